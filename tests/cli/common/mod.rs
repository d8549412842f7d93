//! Helpers for the integration tests: a folder of fixture files and a way to run zongjie on it.
#![allow(dead_code)]

pub mod docx;
pub mod files;
pub mod pdf;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Self {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A report 报告.yaml with `report` and a case file 案件.yaml with `cases`.
    pub fn report(report: &str, cases: &str) -> Self {
        let f = Fixture::new();
        f.write("报告.yaml", report);
        f.write("案件.yaml", cases);
        f
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        self.write_bytes(name, text.as_bytes())
    }

    pub fn write_bytes(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The one output a build wrote into `folder`; beside it there must be exactly the
    /// build's snapshot (`<标题>.快照.json`) and nothing else.
    pub fn output(&self, folder: &str) -> PathBuf {
        let (snapshots, mut entries): (Vec<PathBuf>, Vec<PathBuf>) = std::fs::read_dir(self.path(folder))
            .expect("the output folder")
            .map(|e| e.expect("an entry").path())
            .partition(|p| p.to_string_lossy().ends_with(".快照.json"));
        assert_eq!(entries.len(), 1, "one output in {folder}: {entries:?}");
        assert_eq!(snapshots.len(), 1, "one snapshot in {folder}: {snapshots:?}");
        let output = entries.remove(0);
        let stem = output.file_stem().expect("a file name").to_string_lossy();
        assert!(
            snapshots[0].ends_with(format!("{stem}.快照.json")),
            "the snapshot is named after the output: {snapshots:?}, {output:?}"
        );
        output
    }

    /// Builds 报告.yaml as text into out/ (the build must succeed) and returns the text.
    pub fn built_txt(&self) -> String {
        let out = self.run(&["build", "报告.yaml", "-f", "txt", "-o", "out"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        std::fs::read_to_string(self.output("out")).expect("the text")
    }

    /// Runs zongjie with `args` in the fixture folder.
    pub fn run(&self, args: &[&str]) -> Output {
        run_in(self.dir.path(), args)
    }
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    run_with_fonts(dir, args, "")
}

/// Runs zongjie as on a machine whose installed fonts are those in `font_dirs` (none when
/// empty: the tests' outputs must not depend on the machine's fonts).
pub fn run_with_fonts(dir: &Path, args: &[&str], font_dirs: &str) -> Output {
    let out = Command::cargo_bin("zongjie")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ZONGJIE_FONT_DIRS", font_dirs)
        .args(args)
        .output()
        .expect("run zongjie");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The standard header of a report in the tests.
pub const REPORT: &str = "单位: 江城市民政局\n年度: 2024\n案件: 案件.yaml\n";

/// A minimal valid case record with `extra` lines appended.
pub fn case(id: &str, extra: &str) -> String {
    format!("- 编号: {id}\n  类别: 建议\n  标题: 关于{id}的建议\n  承办方式: 主办\n{extra}")
}

/// Asserts that `text` holds a diagnostic titled `title` pointing at `file:line:col`.
pub fn assert_diag(text: &str, title: &str, place: &str) {
    let at = text
        .find(title)
        .unwrap_or_else(|| panic!("no “{title}” in:\n{text}"));
    let after = &text[at..];
    let block_end = after.find("\n\n").unwrap_or(after.len());
    let block = &after[..block_end];
    assert!(
        block.contains(&format!("--> {place}")),
        "“{title}” does not point at {place}:\n{block}"
    );
}
