//! The server driven in-process (tower's `oneshot`) on copies of the examples in data/: the
//! helpers here, the tests by area in the files beside.

#[path = "../../../tests/cli/common/files.rs"]
mod files;
mod import;
mod output;
mod report;
mod safety;

use super::{router, State};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use files::copy_dir;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const PORT: u16 = 4321;
const HOST: &str = "127.0.0.1:4321";

/// A copy of data/ in a temporary folder, and the router serving it.
fn served() -> (tempfile::TempDir, PathBuf, Router) {
    let tmp = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    copy_dir(&data, tmp.path());
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let app = router(Arc::new(State::new(root.clone(), TOKEN.into(), PORT)));
    (tmp, root, app)
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn run(app: &Router, req: Request<Body>) -> Reply {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let resp = app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        Reply {
            status,
            headers,
            body: body.to_vec(),
        }
    })
}

fn get(app: &Router, uri: &str) -> Reply {
    let req = Request::get(encode(uri))
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .body(Body::empty())
        .unwrap();
    run(app, req)
}

fn post(app: &Router, uri: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let req = Request::post(encode(uri))
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("zongjie_{PORT}={TOKEN}"))
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    run(app, req)
}

fn post_form(app: &Router, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    post(app, uri, "application/x-www-form-urlencoded", body.into_bytes())
}

/// A URI with its non-ASCII characters percent-encoded, as a browser sends it.
fn encode(uri: &str) -> String {
    uri.bytes()
        .map(|b| {
            if b.is_ascii() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The form's version token on a report page.
fn version(page: &str) -> String {
    let at = page.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
    page[at..at + 16].to_owned()
}
