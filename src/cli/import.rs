//! `zongjie import <台账> [-o 案件.yaml]`: an Excel or CSV ledger turned into case records.
//! Nothing is written while a cell cannot be understood, unless `--force` writes the rows
//! that are fine.

use super::args::ImportArgs;
use super::term::{say, show, tell};
use super::{Failure, Outcome};
use zongjie::{display_path, Ctx, ImportError};

pub fn execute(args: &ImportArgs) -> Outcome {
    let ledger =
        zongjie::read_ledger(&args.input, args.sheet.as_deref(), &args.maps).map_err(|e| match e {
            ImportError::Io(..) => Failure::Usage(e.to_string()),
            ImportError::Data(..) => {
                tell!("错误: {e}");
                Failure::Data
            }
        })?;
    let input = display_path(&args.input);
    if ledger.gbk {
        tell!("警告: “{input}”以GBK/GB18030编码保存，已正确读取");
    }
    let imported = &ledger.imported;
    let mut ctx = Ctx::default();
    for e in &imported.errors {
        ctx.diags.push(e.to_diag(&args.input, &imported.sheet));
    }
    show(&mut ctx);
    if !imported.ignored.is_empty() {
        tell!(
            "提示: 这些列没有对应的字段，未导入：{}（可用 --map 列名=字段 指定）",
            imported.ignored.join("、")
        );
    }
    let bad_rows = imported.bad_rows();
    if !imported.errors.is_empty() && !args.force {
        tell!(
            "{input}：{} 行有 {} 处无法识别，没有写入任何文件。改正台账后重新导入，或加 --force 只导入没有问题的行。",
            bad_rows.len(),
            imported.errors.len()
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
    zongjie::write_file(&args.output, yaml.as_bytes()).map_err(|e| Failure::Usage(e.to_string()))?;
    let skipped = if bad_rows.is_empty() {
        String::new()
    } else {
        let rows: Vec<String> = bad_rows.iter().map(usize::to_string).collect();
        format!(
            "，跳过有问题的 {} 行（第 {} 行）",
            bad_rows.len(),
            rows.join("、")
        )
    };
    say!(
        "{}：从第 {} 行表头下导入 {} 件案件{skipped}。",
        display_path(&args.output),
        imported.header_row,
        imported.records.len(),
    );
    Ok(())
}
