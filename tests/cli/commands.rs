//! The commands end to end: init, check and stats on the examples in data/.

use crate::common::{run_in, Fixture};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn stats_json_of_each_example_equals_the_independent_oracle() {
    // tests/expected/*.json were computed by tests/oracle/figures.py, written from SPEC alone.
    for name in ["minzhengju", "qingshanqu", "renda", "zhenrenda"] {
        let out = run_in(root(), &["stats", &format!("data/{name}"), "--json"]);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        let got: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root().join(format!("tests/expected/{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn examples_check_clean() {
    let out = run_in(
        root(),
        &[
            "check",
            "data/minzhengju",
            "data/qingshanqu",
            "data/renda",
            "data/renda/上年",
            "data/zhenrenda",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert_eq!(out.stdout.matches("未发现问题").count(), 5, "{}", out.stdout);
}

#[test]
fn init_writes_an_example_that_checks_and_refuses_to_overwrite() {
    let f = Fixture::new();
    let out = f.run(&["init", "我的总结"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("已写入 我的总结/报告.yaml"), "{}", out.stdout);
    let out = f.run(&["check", "我的总结"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("共 34 件案件，未发现问题"), "{}", out.stdout);
    // A second init must not touch the user's edited files.
    f.write("我的总结/报告.yaml", "单位: 已修改\n");
    let out = f.run(&["init", "我的总结"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("已存在，为免覆盖，没有写入任何文件"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(f.path("我的总结/报告.yaml")).unwrap(),
        "单位: 已修改\n"
    );
}

#[test]
fn stats_table_lists_figures_by_chinese_name() {
    let out = run_in(root(), &["stats", "data/minzhengju"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for row in [
        "总件数",
        "办复率",
        "面商率",
        "建议主办件数",
        "A类占比",
        "统计.调研",
    ] {
        assert!(out.stdout.contains(row), "no {row} in:\n{}", out.stdout);
    }
    // 34 cases, all answered; 32 on time → 94.1%.
    assert!(out.stdout.contains("│ 总件数"), "{}", out.stdout);
    assert!(out.stdout.contains("94.1%"), "{}", out.stdout);
    let out = run_in(root(), &["stats", "data/qingshanqu"]);
    assert!(out.stdout.contains("按级别"), "{}", out.stdout);
    assert!(out.stdout.contains("区级同比增长"), "{}", out.stdout);
}

#[test]
fn help_is_chinese() {
    let out = run_in(root(), &["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("用法："), "{}", out.stdout);
    assert!(out.stdout.contains("检查报告和案件记录"), "{}", out.stdout);
    let out = run_in(root(), &["stats", "--help"]);
    assert!(out.stdout.contains("以 JSON 输出"), "{}", out.stdout);
}

#[test]
fn check_of_several_reports_reports_each_and_fails_on_any() {
    let f = Fixture::new();
    f.write("好/报告.yaml", "单位: 甲\n年度: 2024\n");
    f.write("坏/报告.yaml", "单位: 乙\n年度: 二零二四\n");
    let out = f.run(&["check", "好", "坏"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("好/报告.yaml：共 0 件案件，未发现问题"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("坏/报告.yaml：共 0 件案件，发现 1 个错误"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_binary_carries_the_licences_of_its_fonts_and_of_every_crate_in_it() {
    let out = run_in(root(), &["--licenses"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The fonts' three OFL texts (Noto, WenKai, Zhuque); a crate may ship one more for its
    // test fonts.
    assert!(out.stdout.matches("SIL OPEN FONT LICENSE").count() >= 3);
    assert!(out.stdout.contains("朱雀仿宋"));
    // Every crate built into the binary is listed: a new dependency needs
    // scripts/third-party-licenses run again.
    let tree = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-f",
            "{p}",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo tree");
    assert!(tree.status.success(), "{}", String::from_utf8_lossy(&tree.stderr));
    let tree = String::from_utf8(tree.stdout).unwrap();
    for line in tree.lines().filter(|l| !l.starts_with("zongjie ")) {
        let mut words = line.split_whitespace();
        let (name, version) = (
            words.next().unwrap(),
            words.next().unwrap().trim_start_matches('v'),
        );
        assert!(
            out.stdout.contains(&format!("{name} {version} (")),
            "{name} {version} is not in licenses/THIRD-PARTY.txt: run scripts/third-party-licenses"
        );
    }
}

#[test]
fn a_copied_example_leaves_behind_what_a_build_wrote_beside_it() {
    // The README's first command builds into data/minzhengju; tests that copy an example must
    // still see it as the repository holds it (no outputs, no snapshot of a last build).
    let from = tempfile::tempdir().unwrap();
    let to = tempfile::tempdir().unwrap();
    for name in [
        "报告.yaml",
        "案件.yaml",
        "总结.docx",
        "总结.pdf",
        "总结.txt",
        "总结.md",
        "总结.快照.json",
    ] {
        std::fs::write(from.path().join(name), "x").unwrap();
    }
    super::common::files::copy_dir(from.path(), to.path());
    let mut copied: Vec<String> = std::fs::read_dir(to.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    copied.sort();
    assert_eq!(copied, ["报告.yaml", "案件.yaml"]);
}
