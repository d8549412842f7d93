//! Every error and warning of `check` for a report, in Chinese, each tied to the form field
//! it is about (the top-level field of 报告.yaml whose lines hold it) or, in another file
//! (案件.yaml, a template), to its file, line and the text of that line.

use super::page::{link, severity};
use crate::load::Ctx;
use maud::{html, Markup};
use std::path::Path;

/// One problem as the page shows it.
pub struct Problem {
    pub error: bool,
    pub title: String,
    /// The marker's note and the help lines.
    pub notes: Vec<String>,
    /// The form field it is about, when it is in 报告.yaml.
    pub field: Option<String>,
    /// Where it is, in words: the case and its file's line (None where the field link says it).
    pub place: Option<String>,
}

/// Checks the report at `file` as `zongjie check` does (composing the text and finding
/// characters no font has) and returns its problems; `fields` are the top-level fields of
/// the file with their first lines, in order.
pub fn check(root: &Path, file: &Path, fields: &[(String, u32)]) -> Vec<Problem> {
    let mut ctx = Ctx::confined_to(root);
    match crate::pipeline::check(&mut ctx, file) {
        Ok(Some(c)) if !ctx.diags.has_errors() => {
            if let Some(p) = crate::pipeline::compose(&mut ctx, c) {
                crate::pipeline::missing_characters(&mut ctx, &p);
            }
        }
        Ok(_) => {}
        Err(e) => {
            return vec![Problem {
                error: true,
                title: e.to_string(),
                notes: vec![],
                field: None,
                place: None,
            }]
        }
    }
    of(&mut ctx, file, fields)
}

/// The problems collected in `ctx`, in file and line order.
pub fn of(ctx: &mut Ctx, file: &Path, fields: &[(String, u32)]) -> Vec<Problem> {
    ctx.diags.sort();
    ctx.diags
        .list
        .iter()
        .map(|d| {
            let mut notes: Vec<String> = d.label.iter().cloned().collect();
            notes.extend(d.help.iter().cloned());
            let (field, place) = match d.loc {
                Some(loc) => {
                    let source = ctx.sources.get(loc.file);
                    let in_report = crate::fsutil::same_file(&source.path, file) || source.path == file;
                    let field = in_report
                        .then(|| {
                            fields
                                .iter()
                                .rev()
                                .find(|(_, line)| *line <= loc.line)
                                .map(|(k, _)| k.clone())
                        })
                        .flatten();
                    let name = source
                        .path
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let case = if in_report {
                        None
                    } else {
                        case_at(source, loc.line as usize)
                    };
                    // Where, in the office's words: the form field the link names, or the case
                    // and the line of its file; never the file's own text.
                    let at = format!("{name} 第 {} 行", loc.line);
                    let place = match (&field, case) {
                        (Some(_), _) => None,
                        (None, Some(id)) => Some(format!("案件 {id}（{at}）")),
                        (None, None) => Some(at),
                    };
                    (field, place)
                }
                None => (None, d.origin.clone()),
            };
            Problem {
                error: d.is_error(),
                title: d.title.clone(),
                notes,
                field,
                place,
            }
        })
        .collect()
}

/// The 编号 of the case record that holds `line` of a case file: the record starts at the
/// nearest `- ` item above (or on) the line.
fn case_at(source: &crate::source::SourceFile, line: usize) -> Option<String> {
    let start = (1..=line.min(source.line_count()))
        .rev()
        .find(|&n| source.line(n).starts_with("- "))?;
    (start..=source.line_count())
        .take_while(|&n| n == start || !source.line(n).starts_with("- "))
        .find_map(|n| {
            let l = source.line(n).trim_start_matches("- ").trim();
            let id = l.strip_prefix("编号:")?.trim().trim_matches(['"', '\'']);
            (!id.is_empty()).then(|| id.to_owned())
        })
}

/// The problems as a list; `report` (the relative path) links each to its field.
pub fn list(problems: &[Problem], report: &str) -> Markup {
    let errors = problems.iter().filter(|p| p.error).count();
    let summary = crate::diag::summary_of(errors, problems.len() - errors);
    html! {
        section.problems data-testid="problems" data-errors=(errors) {
            h2 { "检查结果" }
            p.summary data-testid="problem-summary" { (summary) }
            @if !problems.is_empty() {
                ol {
                    @for p in problems {
                        li class=(if p.error { "error" } else { "warning" }) data-testid="problem" data-field=[p.field.as_deref()] {
                            strong { (severity(p.error)) "：" (p.title) }
                            @if let Some(f) = &p.field {
                                " " a href=(format!("{}#field-{f}", link("/report", &[("p", report)]))) data-testid="problem-link" { "（改“" (f) "”）" }
                            }
                            @if let Some(place) = &p.place {
                                div.place { (place) }
                            }
                            @for n in &p.notes {
                                div.note { (n) }
                            }
                        }
                    }
                }
            }
        }
    }
}
