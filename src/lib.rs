//! zongjie (总结): turns the case records of 人大代表建议、议案 and 政协委员提案 into the
//! year-end 工作总结. The pipeline, one module a stage:
//! `load` (read and check) → `model` → `figures` → (compose → document → writers).

pub mod build;
pub mod cli;
pub mod compile;
pub mod compose;
pub mod diag;
pub mod diff;
pub mod document;
pub mod figures;
pub mod fonts;
pub mod fsutil;
pub mod gbt9704;
pub mod import;
pub mod init;
pub mod load;
pub mod model;
pub mod source;
pub mod stats_table;
pub mod typeset;
pub mod validate;
pub mod writers;
pub mod yaml;

use figures::Figures;
use load::{Ctx, IoFailure};
use model::Report;
use std::path::Path;

/// A report that loaded, with its figures. Check `ctx.diags.has_errors()` before using it.
pub struct Checked {
    pub report: Report,
    pub figures: Figures,
}

/// Loads a report, checks it across records, computes its figures and checks 核对.
pub fn check_report(ctx: &mut Ctx, path: &Path) -> Result<Option<Checked>, IoFailure> {
    let Some(report) = load::load_report(ctx, path)? else {
        return Ok(None);
    };
    validate::check(&report, &mut ctx.diags);
    let figures = figures::compute(&report);
    figures::verify::check(&report, &figures, &mut ctx.diags);
    Ok(Some(Checked { report, figures }))
}
