//! `zongjie check <报告或目录>…`: every problem of each report or 汇编, and one summary line
//! each.

use super::term::{say, show};
use super::{Failure, Outcome};
use std::path::PathBuf;
use zongjie::{display_path, Ctx};

pub fn execute(paths: &[PathBuf]) -> Outcome {
    let mut worst: Outcome = Ok(());
    for (n, path) in paths.iter().enumerate() {
        // After the last report the process ends: its millions of allocations are left to
        // the system rather than freed one by one.
        let last = n + 1 == paths.len();
        let mut ctx = Ctx::default();
        let summary = if zongjie::is_compilation(path) {
            zongjie::check_parts(&mut ctx, path).map(|parts| {
                let lines = parts.iter().map(|p| p.line(&display_path(&p.report))).collect();
                (lines, true)
            })
        } else {
            zongjie::check(&mut ctx, path).map(|checked| {
                let shown = display_path(&zongjie::report_path(path));
                let cases = checked
                    .as_ref()
                    .map_or(String::new(), |c| format!("共 {} 件案件，", c.report.cases.len()));
                let loaded = checked.is_some();
                // Everything a build does short of writing: composing the text (templates,
                // names of figures) and setting it in the fonts (characters no font has).
                if let Some(c) = checked.filter(|_| !ctx.diags.has_errors()) {
                    if let Some(p) = zongjie::compose(&mut ctx, c) {
                        zongjie::missing_characters(&mut ctx, &p);
                        if last {
                            std::mem::forget(p);
                        }
                    }
                }
                let line = format!("{shown}：{cases}{}", zongjie::summary(&ctx.diags));
                (vec![line], loaded)
            })
        };
        let (lines, loaded) = match summary {
            Ok(s) => s,
            Err(e) => {
                // An unreadable path is the worst outcome; the other paths are still checked.
                if let Failure::Usage(m) = Failure::from(e) {
                    super::term::tell!("错误: {m}");
                }
                worst = Err(Failure::Told);
                continue;
            }
        };
        show(&mut ctx);
        for line in lines {
            say!("{line}");
        }
        if (ctx.diags.has_errors() || !loaded) && worst.is_ok() {
            worst = Err(Failure::Data);
        }
        if last {
            std::mem::forget(ctx);
        }
    }
    worst
}
