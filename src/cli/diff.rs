//! `zongjie diff <旧> <新>`: which figures and which sentences changed between two versions
//! of a report (or of a 汇编), for the note to the leader.

use super::term::{say, show, tell};
use super::{Failure, Outcome};
use std::path::Path;
use zongjie::{display_path, Ctx, Snapshot};

fn snapshot(path: &Path) -> Result<Snapshot, Failure> {
    let mut ctx = Ctx::default();
    match zongjie::prepare(&mut ctx, path)? {
        Some(p) => Ok(Snapshot::of(&p)),
        None => {
            show(&mut ctx);
            tell!(
                "{}：{}，无法比较。请先改正以上错误。",
                display_path(path),
                zongjie::summary(&ctx.diags)
            );
            Err(Failure::Data)
        }
    }
}

/// The changed figures, one line each: `  满意率：91.7% → 83.3%`.
pub fn figure_lines(old: &Snapshot, new: &Snapshot) -> Vec<String> {
    zongjie::figure_changes(&old.figures, &new.figures)
        .into_iter()
        .map(|(name, a, b)| format!("  {name}：{a} → {b}"))
        .collect()
}

pub fn execute(old: &Path, new: &Path) -> Outcome {
    for path in [old, new] {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if let Some(ext @ ("docx" | "pdf" | "txt" | "md" | "doc" | "wps")) = ext.as_deref() {
            return Err(Failure::Usage(format!(
                "“{}”是生成的 {} 文件。diff 比较的是两个版本的报告（报告.yaml 或其所在目录）或汇编，例如：\n  zongjie diff 旧版/民政局 新版/民政局\n  zongjie diff 报告-改前.yaml 报告.yaml",
                display_path(path),
                ext.to_uppercase()
            )));
        }
    }
    if zongjie::is_compilation(old) != zongjie::is_compilation(new) {
        return Err(Failure::Usage(
            "一个是报告，一个是汇编，无法逐项比较：请比较两个版本的报告，或两个版本的汇编".into(),
        ));
    }
    let (old, new) = (snapshot(old)?, snapshot(new)?);
    let figures = figure_lines(&old, &new);
    let text = zongjie::sentence_changes(&old.sentences, &new.sentences);
    if figures.is_empty() && text.is_empty() {
        say!("两个版本的数字和文字完全相同，没有变化。");
        return Ok(());
    }
    if figures.is_empty() {
        say!("数字没有变化。");
    } else {
        say!("数字的变化（{} 项）：", figures.len());
        for line in &figures {
            say!("{line}");
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
    Ok(())
}
