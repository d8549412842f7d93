//! `zongjie diff <旧> <新>`: which figures and which sentences changed between two versions
//! of a report (or of a 汇编), for the note to the leader. `zongjie diff <报告>` compares the
//! data now with the snapshot its last build kept beside the outputs.

use super::term::{say, show, tell};
use super::{Failure, Outcome};
use std::path::Path;
use zongjie::{display_path, Ctx, Prepared, Snapshot};

fn prepared(path: &Path) -> Result<Prepared, Failure> {
    let mut ctx = Ctx::default();
    match zongjie::prepare(&mut ctx, path)? {
        Some(p) => Ok(p),
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

/// A generated file given where a report belongs: said plainly, with the right commands.
fn refuse_outputs(paths: &[&Path]) -> Outcome {
    for path in paths {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if let Some(ext @ ("docx" | "pdf" | "txt" | "md" | "doc" | "wps" | "json")) = ext.as_deref() {
            return Err(Failure::Usage(format!(
                "“{}”是生成的 {} 文件。diff 比较的是两个版本的报告（报告.yaml 或其所在目录）或汇编，或者报告现在的数据与上次生成时，例如：\n  zongjie diff 民政局            （现在的数据与上次生成时比较）\n  zongjie diff 旧版/民政局 新版/民政局\n  zongjie diff 报告-改前.yaml 报告.yaml",
                display_path(path),
                ext.to_uppercase()
            )));
        }
    }
    Ok(())
}

pub fn execute(old: &Path, new: &Path) -> Outcome {
    refuse_outputs(&[old, new])?;
    if zongjie::is_compilation(old) != zongjie::is_compilation(new) {
        return Err(Failure::Usage(
            "一个是报告，一个是汇编，无法逐项比较：请比较两个版本的报告，或两个版本的汇编".into(),
        ));
    }
    let (old, new) = (Snapshot::of(&prepared(old)?), Snapshot::of(&prepared(new)?));
    show_changes(&old, &new, "两个版本的数字和文字完全相同，没有变化。");
    Ok(())
}

/// `zongjie diff <报告> [-o 目录]`: the data now against the snapshot its last build kept
/// beside the outputs (in `dir`, or the report's folder).
pub fn since_last_build(path: &Path, dir: Option<&Path>) -> Outcome {
    refuse_outputs(&[path])?;
    let p = prepared(path)?;
    let file = zongjie::snapshot_file(&p, dir);
    let Some(old) = zongjie::last_snapshot(&p, dir).map_err(|e| Failure::Usage(e.to_string()))? else {
        return Err(Failure::Usage(no_snapshot(path, &file, dir.is_some())));
    };
    say!("与上次生成时（{}）相比：\n", display_path(&file));
    show_changes(
        &old,
        &Snapshot::of(&p),
        "数字和文字与上次生成时完全相同，没有变化。",
    );
    Ok(())
}

/// Why there is nothing to compare with, and what to do; snapshots of other titles in the
/// folder are named (a changed 单位 or 年度 changes the title, and so the file name).
fn no_snapshot(path: &Path, file: &Path, dir_given: bool) -> String {
    let shown = display_path(path);
    let folder = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let place = if folder == Path::new(".") {
        "当前目录".to_owned()
    } else {
        format!("目录“{}”", display_path(folder))
    };
    let mut message = format!(
        "还没有生成过这份总结（{place}中没有上次生成时记下的“{}”），无法与上次生成时比较。\n请先 zongjie build {shown}：每次生成都会在输出文件旁记下数字和文字，之后 zongjie diff {shown} 就会列出改动。",
        file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
    );
    if !dir_given {
        message.push_str(&format!(
            "\n如果上次生成时用 -o 指定了输出目录，请写 zongjie diff {shown} -o 输出目录"
        ));
    }
    let mut others: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(zongjie::SNAPSHOT_SUFFIX))
                .collect()
        })
        .unwrap_or_default();
    others.sort();
    if !others.is_empty() {
        message.push_str(&format!(
            "\n这个目录中有其他标题的快照：{}。标题随单位、年度改变，改过这些之后需要重新生成一次",
            others.join("、")
        ));
    }
    message
}

/// The changed figures and sentences, or `same` when nothing changed.
fn show_changes(old: &Snapshot, new: &Snapshot, same: &str) {
    let figures = figure_lines(old, new);
    let text = zongjie::sentence_changes(&old.sentences, &new.sentences);
    if figures.is_empty() && text.is_empty() {
        say!("{same}");
        return;
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
}
