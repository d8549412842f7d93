//! Build and download: building into the report's folder as `zongjie build` does (every
//! output or none, with the snapshot `diff` compares with), the DOCX or PDF rendered in
//! memory for download (UTF-8 file name), and the panel that holds them and the preview.

use super::page::{frame, link, respond, Oops};
use super::security::{relative, resolve};
use super::{param, work, State};
use crate::load::Ctx;
use crate::pipeline::{Prepared, Rendered};
use crate::writers::Format;
use axum::extract::Query;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::collections::HashMap;
use std::sync::Arc;

/// The panel beside the form: build, download, what changed since the last build, and the
/// pages. The script fills the last two from `/preview` (see `preview`) and refreshes them
/// a moment after each edit.
pub fn panel(rel: &str) -> Markup {
    html! {
        section.card.output data-testid="output" {
            h2 { "生成与下载" }
            form method="post" action=(link("/build", &[("p", rel)])) {
                button type="submit" data-testid="build" { "生成到文件夹（DOCX 和 PDF）" }
            }
            p {
                a.button href=(link("/download", &[("p", rel), ("f", "docx")])) data-testid="download-docx" { "下载 DOCX" }
                " "
                a.button href=(link("/download", &[("p", rel), ("f", "pdf")])) data-testid="download-pdf" { "下载 PDF" }
            }
            h2 { "与上次生成相比" }
            div #changes data-testid="changes" {
                p.muted { "正在比较……" }
            }
            h2 { "预览" }
            div #preview data-src=(link("/preview", &[("p", rel)])) data-testid="preview" {
                p.muted { "正在生成预览……" }
            }
        }
    }
}

/// Prepares the report or 汇编 at `rel` and renders `formats`; the problems when it cannot.
fn render(state: &State, rel: &str, formats: &[Format]) -> Result<(Prepared, Vec<Rendered>), Oops> {
    let path = resolve(&state.root, rel)?;
    let mut ctx = Ctx::confined_to(&state.root);
    let prepared = crate::pipeline::prepare(&mut ctx, &path).map_err(|e| Oops::bad(e.to_string()))?;
    let Some(prepared) = prepared else {
        return Err(Oops::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "数据有错误，无法生成",
            format!(
                "{}。请回到报告页面，按“检查结果”改正后再生成。",
                crate::diag::summary(&ctx.diags)
            ),
        ));
    };
    let rendered =
        crate::pipeline::render(&mut ctx, &prepared, formats).map_err(|e| Oops::io(e.to_string()))?;
    Ok((prepared, rendered))
}

pub async fn build(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    work(move || {
        let rel = param(&q, "p")?.to_owned();
        let (prepared, rendered) = render(&state, &rel, &[Format::Docx, Format::Pdf])?;
        // The outputs and, beside them, the snapshot `diff` compares with, all or none.
        let files =
            crate::pipeline::write(&prepared, None, &rendered).map_err(|e| Oops::io(e.to_string()))?;
        let back = if rel.ends_with("汇编.yaml") {
            link("/compilation", &[("p", &rel)])
        } else {
            link("/report", &[("p", &rel)])
        };
        let body = html! {
            p.notice data-testid="built" { "已生成，写入报告所在的文件夹：" }
            ul data-testid="built-files" {
                @for (file, out) in files.iter().zip(&rendered) {
                    li {
                        code { (relative(&state.root, file)) }
                        @if let Some(n) = out.pages { "，" (n) " 页" }
                    }
                }
            }
            p { a.button href=(back) { "返回" } }
        };
        Ok(respond(frame(
            "生成完成",
            &[(rel.clone(), link("/report", &[("p", &rel)]))],
            &body,
        )))
    })
    .await
}

/// `filename*=UTF-8''…` (RFC 6266 and 5987) with an ASCII fallback.
fn disposition(kind: &str, name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let ext = name.rsplit('.').next().unwrap_or("pdf");
    format!("{kind}; filename=\"zongjie.{ext}\"; filename*=UTF-8''{encoded}")
}

pub async fn download(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    work(move || {
        let rel = param(&q, "p")?;
        let format = match param(&q, "f")? {
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            other => {
                return Err(Oops::bad(format!(
                    "不能下载“{other}”格式，只能下载 DOCX 或 PDF。"
                )))
            }
        };
        let (prepared, mut rendered) = render(&state, rel, &[format])?;
        let name = crate::pipeline::output_files(&prepared, None, &rendered)
            .first()
            .and_then(|f| f.file_name())
            .map_or_else(
                || format!("总结.{}", format.extension()),
                |n| n.to_string_lossy().into_owned(),
            );
        let bytes = rendered.pop().map(|r| r.bytes).unwrap_or_default();
        let kind = if q.contains_key("inline") {
            "inline"
        } else {
            "attachment"
        };
        let mime = match format {
            Format::Pdf => "application/pdf",
            _ => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        };
        let mut resp = bytes.into_response();
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Ok(v) = HeaderValue::from_str(&disposition(kind, &name)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        Ok(resp)
    })
    .await
}
