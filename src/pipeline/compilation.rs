//! A 汇编: several reports (篇一、篇二…) checked each on its own and composed into one
//! document with a cover and a 目录.

use super::{check, Checked, Prepared};
use crate::diag::Diag;
use crate::document::{chinese_number, Cover, Document};
use crate::load::{compilation, Ctx, IoFailure};
use crate::source::display_path;
use crate::source::{FileId, Sources};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// File ids each 篇 may use (its report, cases, template and 上年 chain need a handful).
const FILES_PER_PART: FileId = 1 << 20;

type Part = (Document, Checked);

/// One 篇 checked and, when it has no errors, composed.
fn one_part(ctx: &mut Ctx, report: &Path, n: usize) -> Result<Option<Part>, IoFailure> {
    let Some(r) = check(ctx, report)? else {
        return Ok(None);
    };
    if ctx.diags.has_errors() {
        return Ok(None);
    }
    Ok(crate::compose::compose(ctx, &r.report, &r.figures, Some(n)).map(|d| (d, r)))
}

/// Every 篇 checked and composed; None when any has errors (all are reported).
pub fn prepare(ctx: &mut Ctx, path: &Path) -> Result<Option<Prepared>, IoFailure> {
    let Some(c) = compilation::load(ctx, path)? else {
        return Ok(None);
    };
    // The 篇 are read, checked and composed in parallel, each into a context of its own
    // whose file ids start at its own base; they are then taken in order, so that the
    // document, the problems and their order are those of a sequential run.
    let confine = ctx.confine.clone();
    let done: Vec<(Ctx, Result<Option<Part>, IoFailure>)> = c
        .members
        .par_iter()
        .enumerate()
        .map(|(n, (report, _))| {
            let mut part_ctx = Ctx {
                sources: Sources::starting_at((n + 1) * FILES_PER_PART),
                confine: confine.clone(),
                ..Ctx::default()
            };
            let result = one_part(&mut part_ctx, report, n);
            (part_ctx, result)
        })
        .collect();
    let mut parts = Vec::new();
    let mut checked_parts = Vec::new();
    let mut failed = false;
    for (n, ((part_ctx, result), (report, at))) in done.into_iter().zip(&c.members).enumerate() {
        let label = format!("篇{}", chinese_number(n + 1));
        let errors = part_ctx.diags.error_count();
        ctx.sources.absorb(part_ctx.sources);
        ctx.diags.list.extend(part_ctx.diags.list);
        match result {
            Ok(Some((mut d, r))) if errors == 0 => {
                let mut part = d.parts.remove(0);
                part.label = Some(label);
                parts.push(part);
                checked_parts.push(r);
            }
            Err(e) => {
                failed = true;
                ctx.diags.push(Diag::error(*at, format!("{label}：{e}")));
                ctx.diags.push(
                    Diag::error(*at, format!("{label}（{}）有 1 个错误", display_path(report)))
                        .help("先改正这一篇的错误；可以单独打开这一篇检查（浏览器中点它的标题，或运行 zongjie check 这篇报告的路径）"),
                );
            }
            _ => {
                failed = true;
                ctx.diags.push(
                    Diag::error(
                        *at,
                        format!("{label}（{}）有 {errors} 个错误", display_path(report)),
                    )
                    .help("先改正这一篇的错误；可以单独打开这一篇检查（浏览器中点它的标题，或运行 zongjie check 这篇报告的路径）"),
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

/// One 篇 of a 汇编 as [`check_parts`] found it.
pub struct PartCheck {
    /// 篇一, 篇二 …
    pub label: String,
    pub report: PathBuf,
    /// How many cases it has, when it loaded.
    pub cases: Option<usize>,
    pub errors: usize,
    pub warnings: usize,
}

impl PartCheck {
    /// Its summary line, the report named as `shown` (each client names paths its way):
    /// `篇一（minzhengju/报告.yaml）：共 34 件案件，未发现问题`.
    pub fn line(&self, shown: &str) -> String {
        let cases = self.cases.map_or(String::new(), |n| format!("共 {n} 件案件，"));
        let found = crate::diag::summary_of(self.errors, self.warnings);
        format!("{}（{shown}）：{cases}{found}", self.label)
    }
}

/// A 汇编 checked 篇 by 篇 (as `zongjie check` does).
pub fn check_parts(ctx: &mut Ctx, path: &Path) -> Result<Vec<PartCheck>, IoFailure> {
    let Some(c) = compilation::load(ctx, path)? else {
        return Ok(vec![]);
    };
    let mut parts = Vec::new();
    for (n, (report, at)) in c.members.iter().enumerate() {
        let label = format!("篇{}", chinese_number(n + 1));
        let (errors, warnings) = (ctx.diags.error_count(), ctx.diags.warning_count());
        let cases = match check(ctx, report) {
            Ok(Some(r)) => {
                let cases = r.report.cases.len();
                // Composition finds what the data alone does not: unknown names in the text.
                if ctx.diags.error_count() == errors {
                    super::compose(ctx, r);
                }
                Some(cases)
            }
            Ok(None) => None,
            Err(e) => {
                ctx.diags.push(Diag::error(*at, format!("{label}：{e}")));
                None
            }
        };
        parts.push(PartCheck {
            label,
            report: report.clone(),
            cases,
            errors: ctx.diags.error_count() - errors,
            warnings: ctx.diags.warning_count() - warnings,
        });
    }
    Ok(parts)
}
