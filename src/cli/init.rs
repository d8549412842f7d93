//! `zongjie init <目录>`: the example report, written where the user will edit it.

use super::term::say;
use super::{Failure, Outcome};
use std::path::Path;
use zongjie::display_path;

pub fn execute(dir: &Path) -> Outcome {
    let written = zongjie::write_example(dir).map_err(|e| match e {
        zongjie::InitError::Taken(_) => Failure::Usage(format!("{e}。\n请换一个空目录，或先移走这些文件。")),
        zongjie::InitError::Io(..) => Failure::Usage(e.to_string()),
    })?;
    for path in written {
        say!("已写入 {}", display_path(&path));
    }
    let d = display_path(dir);
    say!("\n下一步：\n  1. 修改 {d}/报告.yaml（单位、年度、各部分文字）和 {d}/案件.yaml（每件建议提案一条）");
    say!("  2. zongjie check {d}      检查数据");
    say!("  3. zongjie stats {d}      查看各项数字");
    say!("  4. zongjie build {d}      生成 DOCX 和 PDF（写在 {d} 中）");
    Ok(())
}
