//! The 汇编 screen: its title, 编者 and date, the 篇 in order (moved up and down), each 篇's
//! check summary, and build and download as for a report. Saving edits 汇编.yaml in place as
//! the report form does.

use super::folder::Entry;
use super::page::{frame, link, respond, Oops};
use super::report_form::{yes_no, yes_no_select, Loaded};
use super::security::{relative, resolve};
use super::yaml_edit::{self, to_json};
use super::{form_fields, param, work, State};
use crate::load::Ctx;
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const ORDER: &[&str] = &["标题", "编者", "日期", "篇目", "封面", "目录", "字体"];

fn load(state: &State, rel: &str) -> Result<Loaded, Oops> {
    let path = resolve(&state.root, rel)?;
    let file = if path.is_dir() {
        path.join("汇编.yaml")
    } else {
        path
    };
    Loaded::read(state, file, "汇编")
}

pub async fn show(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    work(move || {
        let l = load(&state, param(&q, "p")?)?;
        Ok(respond(screen(&state.root, &l, None)))
    })
    .await
}

fn screen(root: &std::path::Path, l: &Loaded, notice: Option<Markup>) -> Markup {
    let values: HashMap<String, Json> = yaml_edit::top_level(&l.text)
        .map(|fs| fs.iter().map(|(k, _, v)| (k.clone(), to_json(v))).collect())
        .unwrap_or_default();
    let text = |k: &str| values.get(k).and_then(Json::as_str).unwrap_or("").to_owned();
    let parts: Vec<String> = values
        .get("篇目")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let reports: Vec<Entry> = super::folder::entries(root)
        .into_iter()
        .filter(|e| !e.compilation)
        .collect();
    let mut ctx = Ctx::confined_to(root);
    let lines: Vec<String> = crate::pipeline::check_parts(&mut ctx, &l.file)
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let report = std::fs::canonicalize(&p.report).unwrap_or_else(|_| p.report.clone());
            p.line(&relative(root, &report))
        })
        .collect();
    let errors = ctx.diags.error_count();
    let problems = super::problems::of(&mut ctx, &l.file, &[]);
    let body = html! {
        @if let Some(n) = notice { (n) }
        div.columns {
            form.report method="post" action=(link("/compilation/save", &[("p", &l.rel)])) data-testid="compilation-form" {
                input type="hidden" name="version" value=(l.version);
                @for (key, help) in [("标题", "汇编的书名，印在封面上"), ("编者", "编印单位，印在封面上"), ("日期", "封面上的日期，如 2025年1月10日")] {
                    div.field id=(format!("wrap-{key}")) {
                        label for=(format!("field-{key}")) { (key) }
                        input type="text" name=(key) id=(format!("field-{key}")) value=(text(key)) data-testid=(format!("field-{key}"));
                        div.help { (help) }
                    }
                }
                div.field {
                    label { "篇目（按顺序为篇一、篇二……）" }
                    ol.parts data-testid="parts" {
                        @for p in &parts {
                            li data-testid="part" {
                                input type="hidden" name="篇目" value=(p);
                                @let title = title_of(&reports, &l.file, p);
                                @match part_link(root, &l.file, p) {
                                    Some(href) => a href=(href) { (title.as_deref().unwrap_or(p)) },
                                    None => span { (title.as_deref().unwrap_or(p)) },
                                }
                                " " span.muted { (p) } " "
                                button.small type="button" data-action="up" { "上移" }
                                button.small type="button" data-action="down" { "下移" }
                                button.small type="button" data-action="remove" { "删除" }
                            }
                        }
                    }
                    @let more = addable(&reports, &l.file, &parts);
                    @if !more.is_empty() {
                        div.row {
                            select #add-part data-testid="add-part" {
                                @for (path, label) in &more {
                                    option value=(path) { (label) }
                                }
                            }
                            " " button.small type="button" data-action="add" data-testid="add-part-button" { "加入篇目" }
                        }
                    }
                    div.help { "每篇是一份报告。用“上移”“下移”排序，“删除”移出汇编（报告本身不动），从下拉框中选这个文件夹里的其他报告“加入篇目”；改完点“保存”。" }
                }
                @for (key, help) in [("封面", "是否印封面（书名、编者、日期）"), ("目录", "是否印目录（各篇标题和页码）")] {
                    div.field id=(format!("wrap-{key}")) {
                        label for=(format!("field-{key}")) { (key) }
                        (yes_no_select(key, values.get(key), "不填（是）"))
                        div.help { (help) }
                    }
                }
                div.actions { button type="submit" data-testid="save" { "保存" } }
            }
            aside.side {
                section.problems data-testid="problems" data-errors=(errors) {
                    h2 { "检查结果" }
                    ul { @for line in &lines { li { (line) } } }
                    @if !problems.is_empty() {
                        ol {
                            @for p in &problems {
                                li class=(if p.error { "error" } else { "warning" }) data-testid="problem" {
                                    strong { (super::page::severity(p.error)) "：" (p.title) }
                                    @if let Some(place) = &p.place { div.place { (place) } }
                                    @for n in &p.notes { div.note { (n) } }
                                }
                            }
                        }
                    }
                }
                (super::output::panel(&l.rel))
            }
        }
    };
    frame(
        "汇编",
        &[(l.rel.clone(), link("/compilation", &[("p", &l.rel)]))],
        &body,
    )
}

/// The title of the report a 篇 names (`part`: its folder, relative to the 汇编's), as the
/// folder listing found it.
fn title_of(reports: &[Entry], compilation: &Path, part: &str) -> Option<String> {
    let file = crate::load::report_path(&std::fs::canonicalize(compilation.parent()?.join(part)).ok()?);
    reports.iter().find(|e| e.file == file)?.title.clone()
}

/// The reports of the folder not yet in the 汇编: each as the 汇编 would name it (its folder
/// relative to the 汇编's) and as the user knows it (its title, else its folder).
fn addable(reports: &[Entry], compilation: &Path, parts: &[String]) -> Vec<(String, String)> {
    let Some(base) = compilation.parent() else {
        return Vec::new();
    };
    let included: Vec<PathBuf> = parts
        .iter()
        .filter_map(|p| std::fs::canonicalize(base.join(p)).ok())
        .map(|p| crate::load::report_path(&p))
        .collect();
    reports
        .iter()
        .filter(|e| !included.contains(&e.file))
        .filter_map(|e| {
            let folder = e.file.parent()?;
            let path = pathdiff::diff_paths(folder, base)?
                .to_string_lossy()
                .replace('\\', "/");
            let label = e.title.clone().unwrap_or_else(|| path.clone());
            Some((path.clone(), format!("{label}（{path}）")))
        })
        .collect()
}

/// The report screen of a 篇, when its folder is inside the served one.
fn part_link(root: &std::path::Path, compilation: &std::path::Path, part: &str) -> Option<String> {
    let path = std::fs::canonicalize(compilation.parent()?.join(part)).ok()?;
    let file = crate::load::report_path(&path);
    (file.starts_with(root) && file.is_file()).then(|| link("/report", &[("p", &relative(root, &file))]))
}

pub async fn save(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    work(move || {
        let rel = param(&q, "p")?;
        let l = load(&state, rel)?;
        let fields = form_fields(&body);
        if super::field(&fields, "version") != Some(l.version.as_str()) {
            return Err(Oops::new(
                StatusCode::CONFLICT,
                "汇编文件已被改动",
                "打开页面之后，汇编文件在别处被改动过。为免覆盖那些改动，这次没有保存。请重新打开汇编，再改一次。",
            ));
        }
        let current: HashMap<String, Json> = yaml_edit::top_level(&l.text)
            .map_err(|why| Oops::bad(format!("汇编文件无法在页面中编辑：{why}")))?
            .iter()
            .map(|(k, _, v)| (k.clone(), to_json(v)))
            .collect();
        let mut changes = Vec::new();
        for key in ["标题", "编者", "日期"] {
            let new = super::field(&fields, key)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Json::String(s.to_owned()));
            if current.get(key) != new.as_ref() {
                changes.push((key.to_owned(), new));
            }
        }
        for key in ["封面", "目录"] {
            let new = super::field(&fields, key).filter(|s| !s.is_empty());
            let was = current.get(key).map(yes_no);
            if was.as_ref().and_then(Json::as_str) != new {
                changes.push((key.to_owned(), new.map(|s| Json::String(s.to_owned()))));
            }
        }
        let parts: Vec<Json> = fields
            .iter()
            .filter(|(k, _)| k == "篇目")
            .map(|(_, v)| Json::String(v.clone()))
            .collect();
        let parts = Some(Json::Array(parts));
        if current.get("篇目") != parts.as_ref() {
            changes.push(("篇目".to_owned(), parts));
        }
        let edited = yaml_edit::apply(&l.text, &changes, ORDER)
            .map_err(|why| Oops::bad(format!("无法保存：{why}。汇编文件没有改动。")))?;
        if edited.comments_dropped {
            let bak = l.file.with_extension("yaml.bak");
            crate::fsutil::write_atomic(&bak, l.text.as_bytes()).map_err(|e| Oops::io(e.to_string()))?;
        }
        crate::fsutil::write_atomic(&l.file, edited.text.as_bytes()).map_err(|e| Oops::io(e.to_string()))?;
        let saved = load(&state, rel)?;
        let notice = html! {
            p.notice data-testid="notice" { "已保存。" }
            @if edited.comments_dropped { p.notice.warn data-testid="backup" { "改动的项中原有注释无法保留，原文件已备份为“汇编.yaml.bak”。" } }
        };
        Ok(respond(screen(&state.root, &saved, Some(notice))))
    })
    .await
}
