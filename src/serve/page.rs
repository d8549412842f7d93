//! The frame every screen shares (header, navigation, the embedded stylesheet and script),
//! links that carry a path in the query, and error pages: every failure is a page in
//! Chinese that says what to do, never a bare status.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

/// A page in the shared frame. `crumbs` are the links above the title (label, href).
pub fn frame(title: &str, crumbs: &[(String, String)], body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — 总结" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" data-testid="home" { "总结 · 建议提案办理工作总结" }
                    nav {
                        @for (label, href) in crumbs {
                            span.sep { "›" }
                            a href=(href) { (label) }
                        }
                    }
                }
                main {
                    h1 data-testid="page-title" { (title) }
                    (body)
                }
            }
        }
    }
}

/// A link to `route` with the query `pairs`.
pub fn link(route: &str, pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return route.to_owned();
    }
    let q = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{route}?{q}")
}

/// A finished page.
pub fn respond(markup: Markup) -> Response {
    Html(markup.into_string()).into_response()
}

/// A page that ends a request: its status, a title and what to do.
#[derive(Debug)]
pub struct Oops {
    pub status: StatusCode,
    pub title: String,
    pub detail: String,
}

impl Oops {
    pub fn new(status: StatusCode, title: impl Into<String>, detail: impl Into<String>) -> Oops {
        Oops {
            status,
            title: title.into(),
            detail: detail.into(),
        }
    }

    /// A request that names something wrong (a missing field, a file that is not there).
    pub fn bad(detail: impl Into<String>) -> Oops {
        Oops::new(StatusCode::BAD_REQUEST, "无法处理这个请求", detail)
    }

    /// A file that cannot be read or written.
    pub fn io(detail: impl Into<String>) -> Oops {
        Oops::new(StatusCode::INTERNAL_SERVER_ERROR, "文件读写出错", detail)
    }
}

impl IntoResponse for Oops {
    fn into_response(self) -> Response {
        let body = html! {
            div.oops data-testid="error" {
                p { (self.detail) }
                // Without the access token the folder page is refused too: the detail says
                // where the right address is.
                @if self.status != StatusCode::FORBIDDEN {
                    p { a href="/" { "返回文件夹页面" } }
                }
            }
        };
        let mut resp = Html(frame(&self.title, &[], &body).into_string()).into_response();
        *resp.status_mut() = self.status;
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        resp
    }
}

/// Responses that are not ours (the framework's own rejections: a body over its limit, a
/// malformed query, no such route) are in English or empty: each becomes a page in Chinese.
pub async fn in_chinese(resp: Response) -> Response {
    let status = resp.status();
    let ours = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("text/html")
                || t.starts_with("application/json")
                || t.starts_with("application/pdf")
                || t.starts_with("text/css")
                || t.starts_with("text/javascript")
        });
    if !(status.is_client_error() || status.is_server_error()) || ours {
        return resp;
    }
    let (title, detail) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "提交的内容太大",
            "表单不能超过 1 MB，上传的台账不能超过 20 MB。请减少内容或换一个较小的文件后重试。",
        ),
        StatusCode::NOT_FOUND => ("没有这个页面", "地址有误。请从文件夹页面重新进入。"),
        StatusCode::METHOD_NOT_ALLOWED => ("不支持这种请求", "请在本工具的页面上操作，不要直接修改地址。"),
        _ => (
            "无法处理这个请求",
            "请求的格式不对。请从文件夹页面重新进入后再操作。",
        ),
    };
    Oops::new(status, title, detail).into_response()
}

/// A panic inside a handler: the server goes on, the user is told.
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    Oops::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "程序内部出错",
        "处理这个请求时程序内部出错，没有改动任何文件。服务仍在运行，可以返回重试；若反复出现，请把终端窗口中的信息告诉维护人员。",
    )
    .into_response()
}

/// A problem's severity in words.
pub fn severity(error: bool) -> &'static str {
    if error {
        "错误"
    } else {
        "警告"
    }
}
