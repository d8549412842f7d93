//! `zongjie import <台账> [-o 案件.yaml]`: an Excel or CSV ledger turned into case records.
//! Nothing is written while a cell cannot be understood, unless `--force` writes the rows
//! that are fine. A file at the output path is replaced only when import wrote it and it is
//! unchanged since (or with `--force`); the ledger itself is never replaced.

use super::args::ImportArgs;
use super::term::{say, show, tell};
use super::{Failure, Outcome};
use std::path::Path;
use zongjie::{display_path, Ctx, ImportError, Imported, Ledger};

/// Rows listed by number in the closing line; more are counted.
const ROWS_LISTED: usize = 20;

pub fn execute(args: &ImportArgs) -> Outcome {
    let output = display_path(&args.output);
    if zongjie::same_file(&args.input, &args.output) {
        return Err(Failure::Usage(format!(
            "输出文件“{output}”就是要导入的台账，写入会毁掉台账，因此没有写入（加 --force 也不会覆盖它）。请用 -o 指定另一个文件，如 -o 案件.yaml"
        )));
    }
    let folder = match args.output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let unit = args.unit.clone().or_else(|| Ledger::unit_in_report(folder));
    // The library turns a panic of the spreadsheet readers on a damaged file into a message;
    // the default hook would print the reader's English text above it.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let read = Ledger::read(&args.input, args.sheet.as_deref(), &args.maps, unit.as_deref());
    std::panic::set_hook(hook);
    let ledger = read.map_err(|e| match e {
        ImportError::Data(..) => {
            tell!("错误: {e}");
            Failure::Data
        }
        ImportError::Columns(..) => {
            tell!("错误: {e}");
            tell!("  在命令行中用 --map 列名=字段 指明，如 --map 建议摘要=标题；可以写多个");
            Failure::Data
        }
        ImportError::Io(..) | ImportError::Write(..) => Failure::Usage(e.to_string()),
    })?;
    let input = display_path(&args.input);
    if let Some(encoding) = ledger.encoding {
        tell!("警告: “{input}”以 {encoding} 编码保存，已正确读取");
    }
    for note in &ledger.notes {
        tell!("提示: {note}");
    }
    let imported = &ledger.imported;
    let mut ctx = Ctx::default();
    for e in &imported.errors {
        ctx.diags.push(e.to_diag(&args.input, imported.sheet.as_deref()));
    }
    show(&mut ctx);
    if imported.error_count > imported.errors.len() {
        tell!(
            "……另有 {} 处问题没有列出。",
            imported.error_count - imported.errors.len()
        );
    }
    if !imported.ignored.is_empty() {
        tell!(
            "提示: 这些列没有对应的字段，未导入：{}（可用 --map 列名=字段 指定）",
            imported.ignored.join("、")
        );
    }
    let bad_rows = &imported.bad_rows;
    if imported.error_count > 0 && !args.force {
        tell!(
            "{input}：{} 行有 {} 处无法识别，没有写入任何文件。改正台账后重新导入，或加 --force 只导入没有问题的行。",
            bad_rows.len(),
            imported.error_count
        );
        return Err(Failure::Data);
    }
    let source = args
        .input
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let yaml = imported
        .to_yaml(&source)
        .map_err(|e| Failure::Usage(format!("无法生成 YAML：{e}")))?;
    may_replace(&args.output, args.force)?;
    zongjie::write_file(&args.output, yaml.as_bytes())
        .map_err(|e| Failure::Usage(ImportError::write(&args.output, &e).to_string()))?;
    let skipped = if bad_rows.is_empty() {
        String::new()
    } else {
        let mut rows: Vec<String> = bad_rows.iter().take(ROWS_LISTED).map(usize::to_string).collect();
        if bad_rows.len() > ROWS_LISTED {
            rows.push("……".into());
        }
        format!(
            "，跳过有问题的 {} 行（第 {} 行）",
            bad_rows.len(),
            rows.join("、")
        )
    };
    let sheet = imported
        .sheet
        .as_ref()
        .map_or_else(String::new, |s| format!("工作表“{s}”"));
    say!(
        "{output}：从“{input}”{sheet}第 {} 行表头下导入 {} 件案件{skipped}。",
        imported.header_row,
        imported.records.len(),
    );
    Ok(())
}

/// Whether the file at `path`, if any, may be replaced: one that import wrote and nobody
/// changed since, an empty one, or any with `force`.
fn may_replace(path: &Path, force: bool) -> Outcome {
    let shown = display_path(path);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Failure::Usage(ImportError::write(path, &e).to_string())),
    };
    if meta.is_dir() {
        return Err(Failure::Usage(format!(
            "无法写入“{shown}”：这是一个文件夹。请用 -o 指定文件，如 -o {shown}/案件.yaml"
        )));
    }
    if force || meta.len() == 0 {
        return Ok(());
    }
    let written = std::fs::File::open(path).and_then(Imported::written_by_import);
    let why = match written.map_err(|e| Failure::Usage(ImportError::write(path, &e).to_string()))? {
        Some(true) => return Ok(()),
        Some(false) => "是以前导入的，但导入后有改动",
        None => "已存在，且不是 zongjie import 写出的",
    };
    Err(Failure::Usage(format!(
        "“{shown}”{why}，为免丢失其中的内容，没有覆盖它。要覆盖，请加 --force；或用 -o 写到另一个文件"
    )))
}
