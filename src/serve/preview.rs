//! The live preview: the form's unsaved values rendered to PDF a moment after each edit. The
//! edited text is written to a hidden temporary file beside the report (so that its relative
//! paths hold), rendered, and the file removed; the PDF is kept for `/preview.pdf`. The page
//! count and this PDF are what the preview panel shows until the SVG pages of
//! `writers::svg` take its place.

use super::page::{link, Oops};
use super::{blocking, param, State};
use crate::load::Ctx;
use crate::writers::Format;
use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

/// The preview of the form's unsaved values, as JSON: page count and the PDF's address, or
/// why it cannot be rendered.
pub async fn edited(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    blocking(move || {
        let run = || -> Result<serde_json::Value, Oops> {
            let rel = param(&q, "p")?;
            let (file, text) = super::report_save::edited(&state, rel, &body)?;
            let dir = file.parent().unwrap_or(&state.root);
            let mut tmp = tempfile::Builder::new()
                .prefix(".zongjie-预览-")
                .suffix(".yaml")
                .tempfile_in(dir)
                .map_err(|e| Oops::io(format!("无法生成预览：{e}")))?;
            std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| Oops::io(format!("无法生成预览：{e}")))?;
            let mut ctx = Ctx::default();
            let prepared = crate::pipeline::prepare(&mut ctx, tmp.path()).map_err(|e| Oops::bad(e.to_string()))?;
            let Some(prepared) = prepared else {
                let first: Vec<String> = ctx.diags.list.iter().filter(|d| d.is_error()).take(3).map(|d| d.title.clone()).collect();
                return Ok(serde_json::json!({
                    "ok": false,
                    "message": format!("{}，暂时无法预览：{}", crate::diag::summary(&ctx.diags), first.join("；")),
                }));
            };
            let rendered = crate::pipeline::render(&mut ctx, &prepared, &[Format::Pdf]).map_err(|e| Oops::io(e.to_string()))?;
            let Some(pdf) = rendered.into_iter().next() else {
                return Err(Oops::io("没有生成 PDF"));
            };
            let pages = pdf.pages;
            state
                .previews
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(rel.to_owned(), pdf.bytes);
            Ok(serde_json::json!({ "ok": true, "pages": pages, "pdf": link("/preview.pdf", &[("p", rel)]) }))
        };
        let facts = run().unwrap_or_else(|e| serde_json::json!({ "ok": false, "message": format!("{}：{}", e.title, e.detail) }));
        let mut resp = facts.to_string().into_response();
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        resp
    })
    .await
}

/// The last preview PDF of a report, shown inline.
pub async fn pdf(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(rel) = q.get("p") else {
        return Oops::bad("请求缺少“p”参数。").into_response();
    };
    let pdf = state
        .previews
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(rel)
        .cloned();
    match pdf {
        Some(bytes) => {
            let mut resp = bytes.into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        None => Oops::new(
            StatusCode::NOT_FOUND,
            "还没有预览",
            "请回到报告页面，修改后会自动生成预览。",
        )
        .into_response(),
    }
}
