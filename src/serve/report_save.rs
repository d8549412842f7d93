//! Saving the report form in place ([`super::yaml_edit`]): only the fields whose value
//! changed are rewritten, atomically; a file changed on disk since the form was loaded is not
//! overwritten (409); when comments inside a rewritten value had to go, the old file is kept
//! as 报告.yaml.bak and the page says so. After saving, the report is checked again and its
//! problems shown beside the form. The same edit, unsaved, feeds the preview.

use super::page::{respond, Oops};
use super::report_form::{load, order, screen, yes_no, Loaded, Widget, FIELDS};
use super::security::relative;
use super::yaml_edit::{self, to_json};
use super::{form_fields, param, work, State};
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Fields and their new values (None: removed).
type Changes = Vec<(String, Option<Json>)>;

pub async fn save(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    work(move || save_form(&state, param(&q, "p")?, &body)).await
}

/// The form's values: text fields as text (empty: remove), structured ones parsed.
fn submitted(body: &[u8]) -> Result<(Option<String>, Changes), Oops> {
    let mut version = None;
    let mut out = Vec::new();
    for (name, value) in form_fields(body) {
        if name == "version" {
            version = Some(value);
            continue;
        }
        let (key, v) = match name.strip_prefix("json:") {
            Some(key) => {
                let v: Json = serde_json::from_str(&value).map_err(|_| {
                    Oops::bad(format!(
                        "“{key}”一项的内容无法识别，没有保存。请刷新页面后重新填写。"
                    ))
                })?;
                (key.to_owned(), Some(v).filter(|v| !is_empty(v)))
            }
            None => {
                let t = value.replace("\r\n", "\n");
                let t = t.trim();
                (name, (!t.is_empty()).then(|| Json::String(t.to_owned())))
            }
        };
        if !FIELDS.iter().any(|f| f.key == key) {
            return Err(Oops::bad(format!("表单中有不认识的项“{key}”，没有保存。")));
        }
        out.push((key, v));
    }
    Ok((version, out))
}

fn is_empty(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::Array(a) => a.is_empty(),
        Json::Object(m) => m.is_empty(),
        Json::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A value with the spaces and line ends around its texts removed: the form trims what it
/// sends, and a block scalar's last line end is no change of the user's.
fn trimmed(v: &Json) -> Json {
    match v {
        Json::String(s) => Json::String(s.trim().to_owned()),
        Json::Array(a) => Json::Array(a.iter().map(trimmed).collect()),
        Json::Object(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), trimmed(v))).collect()),
        other => other.clone(),
    }
}

fn is_bool_field(key: &str) -> bool {
    FIELDS.iter().any(|f| f.key == key && f.widget == Widget::Bool)
}

fn save_form(state: &State, rel: &str, body: &[u8]) -> Result<Response, Oops> {
    let l = load(state, rel)?;
    let (version, values) = submitted(body)?;
    if version.as_deref() != Some(l.version.as_str()) {
        return Err(Oops::new(
            StatusCode::CONFLICT,
            "报告文件已被改动",
            format!(
                "打开表单之后，“{}”在别处（记事本或另一个窗口）被改动过。为免覆盖那些改动，这次没有保存。请重新打开这份报告，再把要改的内容填一次。",
                l.rel
            ),
        ));
    }
    let Some(Edit {
        changes,
        text,
        backup,
    }) = edit(&l, values)?
    else {
        let notice = html! { p.notice data-testid="notice" { "没有改动，无需保存。" } };
        return Ok(respond(screen(state, &l, Some(notice))));
    };
    let mut backup_note = None;
    if backup {
        let bak = l.file.with_extension("yaml.bak");
        crate::fsutil::write_atomic(&bak, l.text.as_bytes()).map_err(|e| {
            Oops::io(format!(
                "无法写入备份“{}”：{e}，没有保存。",
                relative(&state.root, &bak)
            ))
        })?;
        backup_note = Some(relative(&state.root, &bak));
    }
    crate::fsutil::write_atomic(&l.file, text.as_bytes())
        .map_err(|e| Oops::io(format!("无法保存“{}”：{e}。文件没有改动。", l.rel)))?;
    let saved = load(state, rel)?;
    let names: Vec<&str> = changes.iter().map(|(k, _)| k.as_str()).collect();
    let notice = html! {
        p.notice data-testid="notice" { "已保存：" (names.join("、")) "。" }
        @if l.encoding != crate::source::Encoding::Utf8 {
            p.notice.warn data-testid="encoding" {
                "原文件是 " (if l.encoding == crate::source::Encoding::Gb18030 { "GBK" } else { "UTF-16" })
                " 编码，已改存为 UTF-8 编码（记事本、WPS 和 zongjie 都能正常打开）。"
            }
        }
        @if let Some(bak) = backup_note {
            p.notice.warn data-testid="backup" { "改动的项中原有注释无法保留，原文件已备份为“" (bak) "”。" }
        }
    };
    Ok(respond(screen(state, &saved, Some(notice))))
}

/// What a submitted form changes in the report.
struct Edit {
    changes: Changes,
    /// The file's new text.
    text: String,
    /// Comments inside a rewritten value were dropped (or the file was written anew): the
    /// old file is to be kept as a backup.
    backup: bool,
}

/// The fields of `values` that differ from the file, and the file's text with them; None
/// when nothing changed.
fn edit(l: &Loaded, values: Changes) -> Result<Option<Edit>, Oops> {
    let current: Vec<(String, Json)> = match yaml_edit::top_level(&l.text) {
        Ok(fs) => fs.iter().map(|(k, _, v)| (k.clone(), to_json(v))).collect(),
        Err(why) => {
            return Err(Oops::bad(format!(
                "报告文件无法在表单中编辑：{why}。请先用记事本改正它。"
            )))
        }
    };
    let old = |key: &str| current.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let changes: Vec<(String, Option<Json>)> = values
        .into_iter()
        .filter(|(key, new)| {
            let was = old(key).filter(|v| !v.is_null());
            if is_bool_field(key) {
                was.as_ref().map(yes_no) != new.as_ref().map(yes_no)
            } else {
                was.as_ref().map(trimmed) != new.as_ref().map(trimmed)
            }
        })
        .collect();
    if changes.is_empty() {
        return Ok(None);
    }
    let order = order();
    let (text, backup) = match yaml_edit::apply(&l.text, &changes, &order) {
        Ok(e) => (e.text, e.comments_dropped),
        Err(_) => {
            // The file cannot be edited line by line: written anew, the old one kept.
            let mut all = current.clone();
            for (k, v) in &changes {
                match all.iter_mut().find(|(key, _)| key == k) {
                    Some(slot) => slot.1 = v.clone().unwrap_or(Json::Null),
                    None => all.push((k.clone(), v.clone().unwrap_or(Json::Null))),
                }
            }
            (yaml_edit::fresh(&all), true)
        }
    };
    Ok(Some(Edit {
        changes,
        text,
        backup,
    }))
}

/// The report's file and its text with the form's values, unsaved (for the preview): the
/// file's own text when nothing changed.
pub fn edited(state: &State, rel: &str, body: &[u8]) -> Result<(PathBuf, String), Oops> {
    let l = load(state, rel)?;
    let (_, values) = submitted(body)?;
    Ok(match edit(&l, values)? {
        Some(e) => (l.file, e.text),
        None => (l.file, l.text),
    })
}
