//! `zongjie stats <报告> [--json]`: the figures as a Chinese table with their names for the
//! text, or as the JSON of SPEC §2.4.

use super::term::{print, show, tell};
use super::{Failure, Outcome};
use std::path::Path;
use zongjie::{display_path, Ctx};

pub fn execute(path: &Path, json: bool) -> Outcome {
    let mut ctx = Ctx::default();
    let checked = zongjie::check(&mut ctx, path)?;
    show(&mut ctx);
    let checked = match checked {
        Some(c) if !ctx.diags.has_errors() => c,
        _ => {
            tell!(
                "{}：{}，未计算数字。请先改正以上错误。",
                display_path(path),
                zongjie::summary(&ctx.diags)
            );
            return Err(Failure::Data);
        }
    };
    let text = if json {
        serde_json::to_string_pretty(&checked.figures)
            .map(|s| s + "\n")
            .map_err(|e| Failure::Usage(format!("无法生成 JSON：{e}")))?
    } else {
        zongjie::stats_table(&checked.report, &checked.figures)
    };
    print(&text)
}
