//! What keeps the local server the user's own: only the Host names of this machine (a page
//! elsewhere that rebinds its DNS name to 127.0.0.1 is refused), the token printed in the
//! terminal on every request (once in the address, then an HttpOnly cookie), POSTs only from
//! our own pages (Origin / Sec-Fetch-Site), and every path a request names resolved inside
//! the served folder.

use super::page::Oops;
use super::State;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// A random token of 32 hex digits.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares without stopping at the first difference (no timing hint about the token).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The cookie's name: per port, since browsers share cookies between ports of one host.
pub fn cookie_name(port: u16) -> String {
    format!("zongjie_{port}")
}

fn token_in_query(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

fn token_in_cookie(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The query string without `token=…`, for the address the browser is sent on to.
fn without_token(query: &str) -> String {
    let rest: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "token")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(rest)
        .finish()
}

/// Every request passes here first.
pub async fn guard(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    req: Request,
    next: Next,
) -> Response {
    let port = state.port;
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let allowed = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !allowed.iter().any(|a| a.eq_ignore_ascii_case(host)) {
        return Oops::new(
            StatusCode::FORBIDDEN,
            "拒绝访问",
            format!("本服务只接受 http://127.0.0.1:{port}/ 或 http://localhost:{port}/ 这两个地址的访问。请打开终端窗口中显示的地址。"),
        )
        .into_response();
    }
    // The stylesheet and script hold nothing of the user's: the refusal pages use them too.
    if req.method() == Method::GET && req.uri().path().starts_with("/assets/") {
        return next.run(req).await;
    }
    let cookie = cookie_name(port);
    if let Some(given) = token_in_query(req.uri().query()) {
        if !same(&given, &state.token) {
            return wrong_token();
        }
        // The token leaves the address bar (and the history) for the cookie.
        let query = without_token(req.uri().query().unwrap_or(""));
        let to = if query.is_empty() {
            req.uri().path().to_owned()
        } else {
            format!("{}?{query}", req.uri().path())
        };
        let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
        let value = format!("{cookie}={}; HttpOnly; SameSite=Strict; Path=/", state.token);
        if let Ok(v) = value.parse() {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
        return resp;
    }
    match token_in_cookie(&req, &cookie) {
        Some(t) if same(&t, &state.token) => {}
        _ => return wrong_token(),
    }
    if req.method() == Method::POST && !same_origin(&req, &allowed) {
        return Oops::new(
            StatusCode::FORBIDDEN,
            "拒绝提交",
            "这次提交不是从本工具的页面发出的，没有执行。请在本工具的页面上操作。",
        )
        .into_response();
    }
    next.run(req).await
}

/// A POST must come from our own pages: its Origin is ours, or (a browser that sends no
/// Origin) Sec-Fetch-Site says so. A request that says neither is refused.
fn same_origin(req: &Request, hosts: &[String]) -> bool {
    let h = req.headers();
    if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return hosts
            .iter()
            .any(|host| origin.eq_ignore_ascii_case(&format!("http://{host}")));
    }
    matches!(
        h.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
        Some("same-origin" | "none")
    )
}

fn wrong_token() -> Response {
    Oops::new(
        StatusCode::FORBIDDEN,
        "需要从终端显示的地址打开",
        "这个地址缺少访问口令，或口令不对。请打开运行 zongjie serve 的终端窗口中显示的完整地址（“在浏览器中打开：”后面那一行，含 ?token=…）。服务重新启动后口令会变，请用新显示的地址。",
    )
    .into_response()
}

/// Resolves `rel`, a path relative to the served folder with `/` between its parts, to a
/// path inside that folder. `..`, absolute paths, drive letters and backslashes are refused,
/// and so is a path whose existing part leads outside through a symbolic link.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, Oops> {
    let refuse = |why: &str| {
        Oops::new(
            StatusCode::BAD_REQUEST,
            "路径不在工作文件夹内",
            format!("“{rel}”{why}。只能打开 zongjie serve 所服务的文件夹里的文件，请从文件夹页面重新进入。"),
        )
    };
    if rel.contains('\\') || rel.contains('\0') || rel.contains(':') {
        return Err(refuse("含有不允许的字符（\\ 或 : ）"));
    }
    let path = Path::new(rel);
    let mut joined = root.to_path_buf();
    for c in path.components() {
        match c {
            Component::Normal(part) => joined.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(refuse("含有“..”，指向上级文件夹")),
            Component::RootDir | Component::Prefix(_) => return Err(refuse("是绝对路径")),
        }
    }
    // The longest part that exists is resolved (links followed) and must stay inside.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while !existing.exists() && existing.symlink_metadata().is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let real = std::fs::canonicalize(existing).map_err(|_| refuse("无法解析（可能是失效的链接）"))?;
    if !real.starts_with(root) {
        return Err(refuse("通过链接指向了工作文件夹以外"));
    }
    Ok(rest.into_iter().rev().fold(real, |p, part| p.join(part)))
}

/// `path` (inside `root`) as the relative form links carry.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
