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
                p { a href="/" { "返回文件夹页面" } }
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
