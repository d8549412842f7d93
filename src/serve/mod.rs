//! `zongjie serve`: the same pipeline as the command line, as web pages on this machine, for
//! the office staff who will never edit YAML or read a terminal. The server binds 127.0.0.1
//! only, asks for the token it printed on every request ([`security`]), keeps every path
//! inside the folder it serves, and turns a failure or a panic in a handler into a page in
//! Chinese; it never runs another program. Pages are rendered here (maud), with one small
//! stylesheet and one small script embedded in the binary ([`assets`]); nothing is fetched.
//!
//! One file per screen: [`folder`] (the reports and 汇编 of the folder), [`report_form`]
//! (every key of 报告.yaml), [`report_save`] (saved in place by [`yaml_edit`]), [`problems`], [`figures`] (tables
//! and charts), [`output`] (build, download, preview), [`import`] (a ledger to 案件.yaml).

mod assets;
mod compilation;
mod figures;
mod folder;
mod import;
mod output;
mod page;
mod preview;
mod problems;
mod report_form;
mod report_save;
mod security;
mod yaml_edit;

#[cfg(test)]
mod tests;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Forms and their fields: far more than any report's text.
const FORM_LIMIT: usize = 1 << 20;
/// An uploaded ledger.
const UPLOAD_LIMIT: usize = 20 << 20;

/// What every handler shares.
pub struct State {
    /// The served folder, resolved (links followed): every path must stay inside it.
    root: PathBuf,
    token: String,
    /// The port the Host header must name.
    port: u16,
    /// Uploaded ledgers awaiting confirmation, by their random id.
    uploads: Mutex<HashMap<String, import::Upload>>,
    /// Each report's latest layout, for the preview's pages.
    previews: preview::Kept,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("找不到文件夹“{path}”：{why}。请写一个已有的文件夹，如 zongjie serve 报告", path = crate::source::display_path(.0), why = .1)]
    Folder(PathBuf, String),
    #[error(
        "无法在 127.0.0.1 的 {0} 端口上启动服务：{1}。请换一个端口（--port 8080），或不写 --port 由程序自选"
    )]
    Bind(u16, String),
    #[error("无法生成访问口令：{0}")]
    Token(String),
    #[error("服务运行出错：{0}")]
    Run(String),
}

/// A server bound to its port, ready to run.
pub struct Server {
    listener: std::net::TcpListener,
    state: Arc<State>,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0: any free port) to serve the folder `dir`.
    pub fn bind(dir: &Path, port: u16) -> Result<Server, ServeError> {
        let root = std::fs::canonicalize(dir)
            .map_err(|e| ServeError::Folder(dir.to_path_buf(), crate::load::io_message(&e)))?;
        if !root.is_dir() {
            return Err(ServeError::Folder(dir.to_path_buf(), "这不是文件夹".into()));
        }
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::AddrInUse => "这个端口已被别的程序占用".to_owned(),
                std::io::ErrorKind::PermissionDenied => "没有权限使用这个端口".to_owned(),
                _ => crate::load::io_message(&e),
            };
            ServeError::Bind(port, why)
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| ServeError::Bind(port, e.to_string()))?
            .port();
        let token = security::new_token().map_err(|e| ServeError::Token(e.to_string()))?;
        Ok(Server {
            listener,
            state: Arc::new(State::new(root, token, port)),
        })
    }

    /// The address to open, token included.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.state.port, self.state.token)
    }

    /// Serves until the process ends.
    pub fn run(self) -> Result<(), ServeError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(|e| ServeError::Run(e.to_string()))?;
        let app = router(self.state);
        runtime.block_on(async move {
            self.listener
                .set_nonblocking(true)
                .map_err(|e| ServeError::Run(e.to_string()))?;
            let listener = tokio::net::TcpListener::from_std(self.listener)
                .map_err(|e| ServeError::Run(e.to_string()))?;
            axum::serve(listener, app)
                .await
                .map_err(|e| ServeError::Run(e.to_string()))
        })
    }
}

impl State {
    fn new(root: PathBuf, token: String, port: u16) -> State {
        State {
            root,
            token,
            port,
            uploads: Mutex::default(),
            previews: Mutex::default(),
        }
    }
}

/// Every route, behind the guard; a panic in any of them is a page, not a dead server.
fn router(state: Arc<State>) -> Router {
    let uploads = Router::new()
        .route("/import/upload", post(import::upload))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT));
    Router::new()
        .route("/", get(folder::show))
        .route("/new", post(folder::create))
        .route("/report", get(report_form::show))
        .route("/report/save", post(report_save::save))
        .route("/figures", get(figures::show))
        .route("/build", post(output::build))
        .route("/download", get(output::download))
        .route("/preview", get(preview::saved).post(preview::edited))
        .route("/preview/page", get(preview::page))
        .route("/import", get(import::show))
        .route("/import/confirm", post(import::confirm))
        .route("/compilation", get(compilation::show))
        .route("/compilation/save", post(compilation::save))
        .route("/assets/{name}", get(assets::serve))
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .merge(uploads)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(page::panicked))
        .layer(axum::middleware::map_response(page::in_chinese))
        .with_state(state)
}

/// A handler's work off the server's thread, what it could not do (an `Oops`) and a panic in
/// it each turned into the page that says so.
async fn work<F>(f: F) -> axum::response::Response
where
    F: FnOnce() -> Result<axum::response::Response, page::Oops> + Send + 'static,
{
    use axum::response::IntoResponse;
    blocking(move || f().unwrap_or_else(IntoResponse::into_response)).await
}

/// Runs pipeline work off the server's thread; a panic in it becomes an error page.
async fn blocking<F>(f: F) -> axum::response::Response
where
    F: FnOnce() -> axum::response::Response + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(resp) => resp,
        Err(e) => page::panicked(Box::new(e.to_string())),
    }
}

/// The query parameter `name`, or a page saying it is missing.
fn param<'a>(query: &'a HashMap<String, String>, name: &str) -> Result<&'a str, page::Oops> {
    query
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| page::Oops::bad(format!("请求缺少“{name}”参数，请从文件夹页面重新进入。")))
}

/// Decodes a urlencoded form body into its fields in order (a name may repeat).
fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of field `name`.
fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}
