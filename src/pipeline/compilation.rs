//! A 汇编: several reports (篇一、篇二…) checked each on its own and composed into one
//! document with a cover and a 目录.

use super::{check, Prepared};
use crate::diag::Diag;
use crate::document::{chinese_number, Cover, Document};
use crate::load::{compilation, Ctx, IoFailure};
use crate::source::display_path;
use std::path::Path;

/// Every 篇 checked and composed; None when any has errors (all are reported).
pub fn prepare(ctx: &mut Ctx, path: &Path) -> Result<Option<Prepared>, IoFailure> {
    let Some(c) = compilation::load(ctx, path)? else {
        return Ok(None);
    };
    let mut parts = Vec::new();
    let mut checked_parts = Vec::new();
    let mut failed = false;
    for (n, (report, at)) in c.members.iter().enumerate() {
        let label = format!("篇{}", chinese_number(n + 1));
        let before = ctx.diags.error_count();
        let checked = match check(ctx, report) {
            Ok(c) => c,
            Err(e) => {
                ctx.diags.push(Diag::error(*at, format!("{label}：{e}")));
                None
            }
        };
        let doc = match checked {
            Some(r) if ctx.diags.error_count() == before => {
                crate::compose::compose(ctx, &r.report, &r.figures, Some(n)).map(|d| (d, r))
            }
            _ => None,
        };
        match doc {
            Some((mut d, r)) => {
                let mut part = d.parts.remove(0);
                part.label = Some(label);
                parts.push(part);
                checked_parts.push(r);
            }
            None => {
                failed = true;
                let errors = ctx.diags.error_count() - before;
                ctx.diags.push(
                    Diag::error(
                        *at,
                        format!("{label}（{}）有 {errors} 个错误", display_path(report)),
                    )
                    .help("先改正这一篇的错误；可以单独检查：zongjie check 这篇报告的路径"),
                );
            }
        }
    }
    if failed || ctx.diags.has_errors() {
        return Ok(None);
    }
    let title: Vec<String> = c
        .title
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let doc = Document {
        title: title.concat(),
        author: c.editor.clone().unwrap_or_default(),
        parts,
        cover: c.cover.then(|| Cover {
            title: title.clone(),
            editor: c.editor.clone(),
            date: c.date.map(crate::gbt9704::chinese_date),
        }),
        toc: c.toc,
    };
    let dir = c.path.parent().unwrap_or(Path::new("")).to_path_buf();
    Ok(Some(Prepared {
        doc,
        parts: checked_parts,
        fonts: c.fonts,
        dir,
    }))
}

/// A 汇编 checked 篇 by 篇 (as `zongjie check` does): one summary line per 篇.
pub fn check_parts(ctx: &mut Ctx, path: &Path) -> Result<Vec<String>, IoFailure> {
    let Some(c) = compilation::load(ctx, path)? else {
        return Ok(vec![]);
    };
    let mut lines = Vec::new();
    for (n, (report, at)) in c.members.iter().enumerate() {
        let label = format!("篇{}", chinese_number(n + 1));
        let (errors, warnings) = (ctx.diags.error_count(), ctx.diags.warning_count());
        let cases = match check(ctx, report) {
            Ok(Some(r)) => {
                let cases = format!("共 {} 件案件，", r.report.cases.len());
                // Composition finds what the data alone does not: unknown names in the text.
                if ctx.diags.error_count() == errors {
                    super::compose(ctx, r);
                }
                cases
            }
            Ok(None) => String::new(),
            Err(e) => {
                ctx.diags.push(Diag::error(*at, format!("{label}：{e}")));
                String::new()
            }
        };
        let found = crate::diag::summary_of(
            ctx.diags.error_count() - errors,
            ctx.diags.warning_count() - warnings,
        );
        lines.push(format!("{label}（{}）：{cases}{found}", display_path(report)));
    }
    Ok(lines)
}
