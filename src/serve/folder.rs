//! The folder screen: the reports (folders with 报告.yaml) and 汇编 (汇编.yaml) under the
//! served folder, each with its 单位, 年度 and title and the outputs last built beside it;
//! and 新建报告, the example of `zongjie init` written into a new subfolder.

use super::page::{frame, link, respond, Oops};
use super::security::{relative, resolve};
use super::{blocking, field, form_fields, work, State};
use crate::yaml::{Node, Value};
use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Folders deeper than this under the served one are not searched.
const MAX_DEPTH: usize = 4;
/// Listing stops after this many entries (a served home folder must not hang the page).
const MAX_ENTRIES: usize = 500;
/// Up to this many reports, a report without 标题 is listed with the title its template
/// gives (composing each); beyond, the listing stays quick.
const COMPOSED_TITLES: usize = 20;

/// One report or 汇编 found.
pub struct Entry {
    /// Its file (报告.yaml or 汇编.yaml).
    pub file: PathBuf,
    pub compilation: bool,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub year: Option<String>,
    /// DOCX and PDF files beside it: name and modification time.
    pub outputs: Vec<(String, String)>,
}

/// The top-level fields of a YAML file, read for a listing (no checks).
pub fn top_fields(path: &Path) -> Vec<(String, Node)> {
    let Ok(bytes) = crate::fsutil::read_input(path, crate::fsutil::MAX_TEXT_FILE) else {
        return Vec::new();
    };
    let Ok((text, _)) = crate::source::decode(&bytes) else {
        return Vec::new();
    };
    match crate::yaml::parse(&text) {
        Ok(Some(Node {
            value: Value::Map(entries),
            ..
        })) => entries
            .into_iter()
            .filter_map(|(k, v)| Some((k.scalar()?.to_owned(), v)))
            .collect(),
        _ => Vec::new(),
    }
}

fn scalar(fields: &[(String, Node)], key: &str) -> Option<String> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.scalar())
        .map(|s| s.trim().replace("\\n", ""))
        .filter(|s| !s.is_empty())
}

/// The reports and 汇编 under `root`, in path order.
pub fn entries(root: &Path) -> Vec<Entry> {
    let mut found = Vec::new();
    walk(root, 0, &mut found);
    found.sort();
    let compose_titles = found.len() <= COMPOSED_TITLES;
    found
        .into_iter()
        .map(|file| {
            let compilation = file.file_name().is_some_and(|n| n == "汇编.yaml");
            let fields = top_fields(&file);
            let title = scalar(&fields, "标题").or_else(|| {
                (compose_titles && !compilation)
                    .then(|| composed_title(root, &file))
                    .flatten()
            });
            Entry {
                compilation,
                title,
                unit: scalar(&fields, if compilation { "编者" } else { "单位" }),
                year: scalar(&fields, if compilation { "日期" } else { "年度" }),
                outputs: outputs_beside(&file),
                file,
            }
        })
        .collect()
}

/// The title the report's template gives it, when the report composes without errors.
fn composed_title(root: &Path, file: &Path) -> Option<String> {
    let mut ctx = crate::load::Ctx::confined_to(root);
    let checked = crate::pipeline::check(&mut ctx, file).ok()??;
    if ctx.diags.has_errors() {
        return None;
    }
    let prepared = crate::pipeline::compose(&mut ctx, checked)?;
    Some(prepared.doc.title)
}

fn walk(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
    for name in ["报告.yaml", "汇编.yaml"] {
        let f = dir.join(name);
        if f.is_file() && found.len() < MAX_ENTRIES {
            found.push(f);
        }
    }
    if depth >= MAX_DEPTH {
        return;
    }
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = read
        .filter_map(Result::ok)
        // Links are not followed: a folder listing never leaves the served folder.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            !n.starts_with('.') && n != "target" && n != "node_modules"
        })
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for d in subdirs {
        walk(&d, depth + 1, found);
    }
}

/// DOCX and PDF files in the folder of `file`, newest first.
pub fn outputs_beside(file: &Path) -> Vec<(String, String)> {
    let Some(dir) = file.parent() else {
        return Vec::new();
    };
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(std::time::SystemTime, String)> = read
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_lowercase();
            n.ends_with(".docx") || n.ends_with(".pdf")
        })
        .filter_map(|e| {
            let modified = e.metadata().ok()?.modified().ok()?;
            Some((modified, e.file_name().to_string_lossy().into_owned()))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    out.into_iter().map(|(t, n)| (n, when(t))).collect()
}

/// A modification time as the user reads it: in 北京时间, the one time zone of the offices
/// this is for (no time zone table is needed for a fixed offset).
fn when(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
    chrono::DateTime::from_timestamp(secs, 0).map_or_else(String::new, |d| {
        d.with_timezone(&beijing)
            .format("%Y年%-m月%-d日 %H:%M")
            .to_string()
    })
}

/// A folder as the user knows it: without the `\\?\` prefix Windows gives resolved paths.
fn shown(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix(r"\\?\").map_or(s.clone(), str::to_owned)
}

pub async fn show(axum::extract::State(state): axum::extract::State<Arc<State>>) -> Response {
    blocking(move || respond(screen(&state, None))).await
}

fn screen(state: &State, message: Option<&str>) -> maud::Markup {
    let list = entries(&state.root);
    let body = html! {
        @if let Some(m) = message {
            p.notice data-testid="notice" { (m) }
        }
        p.lead { "工作文件夹：" code { (shown(&state.root)) } }
        @if list.is_empty() {
            p data-testid="empty" { "这个文件夹里还没有报告。点下面的“新建报告”，从示例开始。" }
        } @else {
            table.list data-testid="entries" {
                thead { tr { th { "类型" } th { "标题" } th { "单位 / 编者" } th { "年度 / 日期" } th { "位置" } th { "上次生成的文件" } th {} } }
                tbody {
                    @for e in &list {
                        @let rel = relative(&state.root, &e.file);
                        tr data-testid="entry" data-path=(rel) {
                            td { @if e.compilation { "汇编" } @else { "报告" } }
                            td { (e.title.clone().unwrap_or_else(|| "（按模板自动生成）".into())) }
                            td { (e.unit.clone().unwrap_or_default()) }
                            td { (e.year.clone().unwrap_or_default()) }
                            td { code { (rel) } }
                            td {
                                @if e.outputs.is_empty() { span.muted { "尚未生成" } }
                                @for (name, at) in &e.outputs {
                                    div { (name) " " span.muted { (at) } }
                                }
                            }
                            td {
                                @if e.compilation {
                                    a.button href=(link("/compilation", &[("p", &rel)])) { "打开" }
                                } @else {
                                    a.button href=(link("/report", &[("p", &rel)])) data-testid="open" { "打开" }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { "新建报告" }
            p { "在工作文件夹中新建一个子文件夹，放入一份完整的示例报告（报告和案件记录），照着修改即可。不会覆盖已有的文件。" }
            form method="post" action="/new" data-testid="new-form" {
                label { "子文件夹名称 " input name="name" required placeholder="如：2025年总结" data-testid="new-name"; }
                " "
                button type="submit" data-testid="new-submit" { "新建报告" }
            }
        }
        section.card {
            h2 { "导入台账" }
            p { "把 Excel 或 CSV 台账转换为案件记录。" a href=(link("/import", &[("dir", "")])) data-testid="import-root" { "导入到工作文件夹" } "；要导入到某份报告的文件夹，请先打开那份报告。" }
        }
    };
    frame("文件夹", &[], &body)
}

/// 新建报告: the example written into a new subfolder, never over a file.
pub async fn create(axum::extract::State(state): axum::extract::State<Arc<State>>, body: Bytes) -> Response {
    work(move || {
        let rel = create_in(&state, &body)?;
        Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, link("/report", &[("p", &rel)]))],
        )
            .into_response())
    })
    .await
}

fn create_in(state: &State, body: &[u8]) -> Result<String, Oops> {
    let fields = form_fields(body);
    let name = field(&fields, "name").unwrap_or("").trim();
    if name.is_empty() {
        return Err(Oops::bad("请填写子文件夹名称，如“2025年总结”。"));
    }
    if name.contains('/') || name.starts_with('.') {
        return Err(Oops::bad(format!(
            "子文件夹名称“{name}”不能含“/”，也不能以“.”开头。请换一个名称。"
        )));
    }
    let dir = resolve(&state.root, name)?;
    if dir.exists() {
        return Err(Oops::new(
            StatusCode::CONFLICT,
            "文件夹已存在",
            format!("工作文件夹中已有“{name}”，为免覆盖其中的文件，没有新建。请换一个名称。"),
        ));
    }
    crate::init::write_example(&dir).map_err(|e| Oops::io(e.to_string()))?;
    Ok(relative(&state.root, &dir.join("报告.yaml")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_time_is_shown_in_beijing_time() {
        // 2024-12-20 06:30 UTC is 14:30 in Beijing.
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_734_676_200);
        assert_eq!(super::when(t), "2024年12月20日 14:30");
    }
}
