//! `zongjie stats <报告> [--json]`: the figures as a Chinese table with their names for the
//! text, or as the JSON of SPEC §2.4.

use super::term::{print, show, tell};
use super::{Failure, Outcome};
use std::path::Path;
use zongjie::{display_path, Ctx};

pub fn execute(path: &Path, json: bool) -> Outcome {
    if zongjie::is_compilation(path) {
        return compilation(path, json);
    }
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

/// A 汇编: each 篇's figures under its label (JSON: an object from label to figures).
fn compilation(path: &Path, json: bool) -> Outcome {
    let mut ctx = Ctx::default();
    let Some(prepared) = zongjie::prepare(&mut ctx, path)? else {
        show(&mut ctx);
        tell!(
            "{}：{}，未计算数字。请先改正以上错误。",
            display_path(path),
            zongjie::summary(&ctx.diags)
        );
        return Err(Failure::Data);
    };
    show(&mut ctx);
    let labels = prepared
        .doc
        .parts
        .iter()
        .map(|p| p.label.clone().unwrap_or_default());
    let text = if json {
        let all: serde_json::Map<String, serde_json::Value> = labels
            .zip(&prepared.parts)
            .map(|(label, c)| Ok((label, serde_json::to_value(&c.figures)?)))
            .collect::<Result<_, serde_json::Error>>()
            .map_err(|e| Failure::Usage(format!("无法生成 JSON：{e}")))?;
        serde_json::to_string_pretty(&all).map_err(|e| Failure::Usage(format!("无法生成 JSON：{e}")))? + "\n"
    } else {
        labels
            .zip(&prepared.parts)
            .map(|(label, c)| {
                format!(
                    "{label}　{}（{}）\n\n{}",
                    c.report.unit,
                    display_path(&c.report.path),
                    zongjie::stats_table(&c.report, &c.figures)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    print(&text)
}
