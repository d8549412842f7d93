//! `zongjie diff <旧> <新>`: which figures and which sentences changed between two versions
//! of a report (or of a 汇编), for the note to the leader.

use crate::cli::{say, tell_raw, EXIT_DATA, EXIT_OK};
use crate::figures::names::named;
use crate::load::{compilation, Ctx, IoFailure};
use std::path::Path;

/// What a version says: its figures by name (per 篇 in a 汇编) and its sentences.
pub struct Snapshot {
    pub figures: Vec<(String, String)>,
    pub sentences: Vec<String>,
}

/// Splits text into sentences, each keeping its closing mark.
fn sentences(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let mut s = String::new();
        for c in line.chars() {
            s.push(c);
            if "。！？；".contains(c) {
                out.push(std::mem::take(&mut s));
            }
        }
        if !s.trim().is_empty() {
            out.push(s);
        }
    }
    out
}

/// Reads, checks and composes a version. None when it has errors (in `ctx`).
pub fn snapshot(ctx: &mut Ctx, path: &Path) -> Result<Option<Snapshot>, IoFailure> {
    let reports: Vec<(String, std::path::PathBuf)> = if compilation::is_compilation(path) {
        let Some(c) = compilation::load(ctx, path)? else {
            return Ok(None);
        };
        c.members
            .into_iter()
            .enumerate()
            .map(|(n, (p, _))| (format!("篇{}·", crate::document::chinese_number(n + 1)), p))
            .collect()
    } else {
        vec![(String::new(), path.to_path_buf())]
    };
    let mut snap = Snapshot {
        figures: vec![],
        sentences: vec![],
    };
    for (label, report) in reports {
        let Some(c) = crate::check_report(ctx, &report)? else {
            return Ok(None);
        };
        if ctx.diags.has_errors() {
            return Ok(None);
        }
        for (name, value, _) in named(&c.figures, &c.report.scheme) {
            snap.figures.push((format!("{label}{name}"), value.to_string()));
        }
        let Some(doc) = crate::compose::compose(ctx, &c.report, &c.figures) else {
            return Ok(None);
        };
        for p in &doc.parts {
            snap.sentences.extend(sentences(&p.texts()));
        }
    }
    Ok(Some(snap))
}

/// The figures that differ: name, old value, new value (`—` where a side lacks it).
pub fn figure_changes(old: &[(String, String)], new: &[(String, String)]) -> Vec<(String, String, String)> {
    let find =
        |list: &[(String, String)], name: &str| list.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut names: Vec<&String> = old.iter().map(|(n, _)| n).collect();
    names.extend(
        new.iter()
            .map(|(n, _)| n)
            .filter(|n| !old.iter().any(|(o, _)| o == *n)),
    );
    names
        .into_iter()
        .filter_map(|n| {
            let (a, b) = (find(old, n), find(new, n));
            (a != b).then(|| {
                (
                    n.clone(),
                    a.unwrap_or_else(|| "—".into()),
                    b.unwrap_or_else(|| "—".into()),
                )
            })
        })
        .collect()
}

/// The sentences that differ, in order: (old, new), either side empty for an addition or removal.
pub fn sentence_changes(old: &[String], new: &[String]) -> Vec<(Vec<String>, Vec<String>)> {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    capture_diff_slices(Algorithm::Myers, old, new)
        .into_iter()
        .filter_map(|op| match op {
            DiffOp::Equal { .. } => None,
            DiffOp::Delete {
                old_index, old_len, ..
            } => Some((old[old_index..old_index + old_len].to_vec(), vec![])),
            DiffOp::Insert {
                new_index, new_len, ..
            } => Some((vec![], new[new_index..new_index + new_len].to_vec())),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => Some((
                old[old_index..old_index + old_len].to_vec(),
                new[new_index..new_index + new_len].to_vec(),
            )),
        })
        .collect()
}

pub fn run(old: &Path, new: &Path) -> i32 {
    let mut snaps = Vec::new();
    for path in [old, new] {
        let mut ctx = Ctx::default();
        match snapshot(&mut ctx, path) {
            Err(e) => return crate::cli::io_failure(&e),
            Ok(Some(s)) => snaps.push(s),
            Ok(None) => {
                ctx.diags.sort();
                tell_raw!("{}", ctx.diags.render(&ctx.sources, crate::cli::color()));
                crate::cli::tell!(
                    "{}：{}，无法比较。请先改正以上错误。",
                    crate::source::display_path(path),
                    crate::diag::summary(&ctx.diags)
                );
                return EXIT_DATA;
            }
        }
    }
    let figures = figure_changes(&snaps[0].figures, &snaps[1].figures);
    let text = sentence_changes(&snaps[0].sentences, &snaps[1].sentences);
    if figures.is_empty() && text.is_empty() {
        say!("两个版本的数字和文字完全相同，没有变化。");
        return EXIT_OK;
    }
    if figures.is_empty() {
        say!("数字没有变化。");
    } else {
        say!("数字的变化（{} 项）：", figures.len());
        for (name, a, b) in &figures {
            say!("  {name}：{a} → {b}");
        }
    }
    if text.is_empty() {
        say!("\n文字没有变化。");
    } else {
        say!("\n文字的变化（{} 处）：", text.len());
        for (a, b) in &text {
            for s in a {
                say!("  原：{s}");
            }
            for s in b {
                say!("  现：{s}");
            }
            say!("");
        }
    }
    EXIT_OK
}
