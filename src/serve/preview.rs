//! The live preview: the report (or the form's unsaved values, a moment after each edit) laid
//! out once and kept, its pages drawn as SVG when the page asks for them (`writers::svg`: the
//! PDF's own layout and glyph outlines, so the preview is the PDF page), and what changed
//! since the last build (the snapshot written beside the outputs). Unsaved values are written
//! to a hidden temporary file beside the report, so that its relative paths hold, and the
//! file is removed after.

use super::page::{link, Oops};
use super::security::resolve;
use super::{blocking, param, work, State};
use crate::load::Ctx;
use crate::pipeline::{Prepared, Preview, Snapshot};
use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Layouts kept at once: one a report open in the browser, a handful at most.
const KEPT: usize = 8;
/// Pages the panel shows; a case list of thousands of pages is built, not browsed here.
const SHOWN: usize = 300;
/// Changed sentences listed; the rest are counted.
const SENTENCES: usize = 30;

/// Each report's latest layout, by its path in the folder. A layout is drawn by one request
/// at a time (its font cache is not shared between threads).
pub type Kept = Mutex<HashMap<String, Arc<Mutex<Preview>>>>;

/// The saved report's preview, as JSON (see [`facts`]).
pub async fn saved(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    blocking(move || {
        let run = || -> Result<serde_json::Value, Oops> {
            let rel = param(&q, "p")?;
            let path = resolve(&state.root, rel)?;
            let mut ctx = Ctx::confined_to(&state.root);
            let prepared = crate::pipeline::prepare(&mut ctx, &path).map_err(|e| Oops::bad(e.to_string()))?;
            Ok(facts(&state, rel, prepared, &mut ctx, false))
        };
        json(run())
    })
    .await
}

/// The preview of the form's unsaved values, as JSON (see [`facts`]).
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
            let tmp = crate::fsutil::scratch_file(dir, ".tmp", text.as_bytes())
                .map_err(|e| Oops::io(format!("无法生成预览：{e}")))?;
            let mut ctx = Ctx::confined_to(&state.root);
            let prepared =
                crate::pipeline::prepare(&mut ctx, tmp.path()).map_err(|e| Oops::bad(e.to_string()))?;
            Ok(facts(&state, rel, prepared, &mut ctx, true))
        };
        json(run())
    })
    .await
}

/// Lays the prepared report out, keeps the layout for [`page`], and says: the page count and
/// the address of each page's SVG, and what changed since the last build; or, when the data
/// has errors, the first of them.
fn facts(
    state: &State,
    rel: &str,
    prepared: Option<Prepared>,
    ctx: &mut Ctx,
    edited: bool,
) -> serde_json::Value {
    let Some(prepared) = prepared else {
        let first: Vec<String> = ctx
            .diags
            .list
            .iter()
            .filter(|d| d.is_error())
            .take(3)
            .map(|d| d.title.clone())
            .collect();
        return serde_json::json!({
            "ok": false,
            "message": format!("{}，暂时无法预览：{}", crate::diag::summary(&ctx.diags), first.join("；")),
        });
    };
    let preview = crate::pipeline::preview(ctx, &prepared);
    let pages = preview.pages();
    let mut kept = state.previews.lock().unwrap_or_else(PoisonError::into_inner);
    if kept.len() >= KEPT && !kept.contains_key(rel) {
        kept.clear();
    }
    kept.insert(rel.to_owned(), Arc::new(Mutex::new(preview)));
    drop(kept);
    serde_json::json!({
        "ok": true,
        "pages": pages,
        "shown": pages.min(SHOWN),
        "edited": edited,
        "page": link("/preview/page", &[("p", rel)]),
        "changes": changes(&prepared),
    })
}

/// The figures and sentences changed since the last build of this report, as its snapshot
/// beside the outputs records them.
fn changes(p: &Prepared) -> serde_json::Value {
    let last = match crate::pipeline::last_snapshot(p, None) {
        Ok(Some(s)) => s,
        Ok(None) => return serde_json::json!({ "built": false }),
        Err(e) => return serde_json::json!({ "built": false, "message": e.to_string() }),
    };
    let now = Snapshot::of(p);
    let figures: Vec<serde_json::Value> = crate::diff::figure_changes(&last.figures, &now.figures)
        .into_iter()
        .map(|(name, old, new)| serde_json::json!({ "name": name, "old": old, "new": new }))
        .collect();
    let sentences = crate::diff::sentence_changes(&last.sentences, &now.sentences);
    let more = sentences.len().saturating_sub(SENTENCES);
    let sentences: Vec<serde_json::Value> = sentences
        .into_iter()
        .take(SENTENCES)
        .map(|(old, new)| serde_json::json!({ "old": old, "new": new }))
        .collect();
    serde_json::json!({ "built": true, "figures": figures, "sentences": sentences, "more": more })
}

/// Page `n` (from 0) of a report's kept layout, as SVG.
pub async fn page(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    work(move || {
        let rel = param(&q, "p")?;
        let n: usize = param(&q, "n")?
            .parse()
            .map_err(|_| Oops::bad("“n”应为页码（从 0 起的整数）。"))?;
        let kept = state
            .previews
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(rel)
            .cloned();
        let not_here = || {
            Oops::new(
                StatusCode::NOT_FOUND,
                "没有这一页的预览",
                "预览已更新或已过期。请刷新报告页面，预览会重新生成。",
            )
        };
        let preview = kept.ok_or_else(not_here)?;
        let svg = preview
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .page_svg(n)
            .ok_or_else(not_here)?;
        let mut resp = svg.into_response();
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(resp)
    })
    .await
}

fn json(facts: Result<serde_json::Value, Oops>) -> Response {
    let facts = facts.unwrap_or_else(
        |e| serde_json::json!({ "ok": false, "message": format!("{}：{}", e.title, e.detail) }),
    );
    let mut resp = facts.to_string().into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}
