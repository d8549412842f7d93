//! `zongjie init <目录>`: writes a complete example report that a user edits into their own.

use crate::cli::{EXIT_OK, EXIT_USAGE};
use crate::fsutil::write_atomic;
use crate::source::display_path;
use std::path::Path;

/// The example: a 局's own 建议提案 summary, the same files as data/minzhengju.
const FILES: &[(&str, &str)] = &[
    ("报告.yaml", include_str!("../data/minzhengju/报告.yaml")),
    ("案件.yaml", include_str!("../data/minzhengju/案件.yaml")),
];

pub fn run(dir: &Path) -> i32 {
    let taken: Vec<String> = FILES
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| p.exists())
        .map(|p| display_path(&p))
        .collect();
    if !taken.is_empty() {
        crate::cli::tell!("错误: {} 已存在，为免覆盖，没有写入任何文件。", taken.join("、"));
        crate::cli::tell!("请换一个空目录，或先移走这些文件。");
        return EXIT_USAGE;
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        crate::cli::tell!(
            "错误: 无法创建目录“{}”：{}",
            display_path(dir),
            crate::load::io_message(&e)
        );
        return EXIT_USAGE;
    }
    for (name, text) in FILES {
        let path = dir.join(name);
        if let Err(e) = write_atomic(&path, text.as_bytes()) {
            crate::cli::tell!(
                "错误: 无法写入“{}”：{}",
                display_path(&path),
                crate::load::io_message(&e)
            );
            return EXIT_USAGE;
        }
        crate::cli::say!("已写入 {}", display_path(&path));
    }
    let d = display_path(dir);
    crate::cli::say!(
        "\n下一步：\n  1. 修改 {d}/报告.yaml（单位、年度、各部分文字）和 {d}/案件.yaml（每件建议提案一条）"
    );
    crate::cli::say!("  2. zongjie check {d}      检查数据");
    crate::cli::say!("  3. zongjie stats {d}      查看各项数字");
    crate::cli::say!("  4. zongjie build {d}      生成 DOCX 和 PDF（写在 {d} 中）");
    EXIT_OK
}
