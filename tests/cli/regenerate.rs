//! Regenerating after a correction: diff, byte-identical builds in different folders, failed
//! builds that leave the previous outputs untouched, and --watch.

use crate::common::{run_in, Fixture};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

fn example(f: &Fixture, name: &str) -> std::path::PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/minzhengju");
    for file in ["报告.yaml", "案件.yaml"] {
        f.write(
            &format!("{name}/{file}"),
            &std::fs::read_to_string(from.join(file)).unwrap(),
        );
    }
    f.path(name)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn diff_of_a_changed_satisfaction() {
    let f = Fixture::new();
    example(&f, "旧");
    let new = example(&f, "新");
    edit(&new.join("案件.yaml"), "满意度: 满意", "满意度: 不满意");
    let out = f.run(&["diff", "旧", "新"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    says_one_more_dissatisfied(&out.stdout);
}

#[test]
fn diff_of_an_added_case() {
    let f = Fixture::new();
    example(&f, "旧");
    let new = example(&f, "新");
    let cases = new.join("案件.yaml");
    let mut text = std::fs::read_to_string(&cases).unwrap();
    text.push_str("- {编号: 提案第999号, 类别: 提案, 标题: 关于补录的提案, 承办方式: 协办, 交办日期: 2024-03-08, 答复日期: 2024-04-01}\n");
    std::fs::write(&cases, text).unwrap();
    // The 核对 of 总数 would now fail: drop it for the new version.
    edit(&new.join("报告.yaml"), "  总数: 34\n", "");
    edit(&new.join("报告.yaml"), "  提案: 19\n", "");
    edit(&new.join("报告.yaml"), "  提案.协办: 12\n", "");
    let out = f.run(&["diff", "旧", "新"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("总件数：34 → 35"), "{}", out.stdout);
    assert!(out.stdout.contains("提案件数：19 → 20"), "{}", out.stdout);
    assert!(
        out.stdout.contains("现：全年共承办建议提案35件"),
        "{}",
        out.stdout
    );
}

#[test]
fn diff_of_a_changed_narrative_item() {
    let f = Fixture::new();
    example(&f, "旧");
    let new = example(&f, "新");
    edit(
        &new.join("报告.yaml"),
        "    内容: 交办会后，",
        "    内容: 收到交办通知后，",
    );
    let out = f.run(&["diff", "旧", "新"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("数字没有变化。"), "{}", out.stdout);
    assert!(
        out.stdout.contains("  原：交办会后，局党组先后召开2次会议"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  现：收到交办通知后，局党组先后召开2次会议"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("文字的变化（1 处）"), "{}", out.stdout);
}

#[test]
fn diff_of_an_unchanged_pair() {
    let f = Fixture::new();
    example(&f, "旧");
    example(&f, "新");
    let out = f.run(&["diff", "旧", "新"]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.trim(), "两个版本的数字和文字完全相同，没有变化。");
}

const SNAPSHOT: &str = "江城市民政局2024年建议提案办理工作总结.快照.json";

#[test]
fn diff_with_one_argument_compares_with_the_last_build() {
    let f = Fixture::new();
    let dir = example(&f, "民政局");
    assert_eq!(f.run(&["build", "民政局", "-f", "txt"]).code, 0);
    assert!(dir.join(SNAPSHOT).is_file(), "the snapshot is beside the outputs");
    let out = f.run(&["diff", "民政局"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("数字和文字与上次生成时完全相同，没有变化。"),
        "{}",
        out.stdout
    );
    edit(&dir.join("案件.yaml"), "满意度: 满意", "满意度: 不满意");
    let out = f.run(&["diff", "民政局"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with(&format!("与上次生成时（民政局/{SNAPSHOT}）相比：")),
        "{}",
        out.stdout
    );
    says_one_more_dissatisfied(&out.stdout);
    // The same lines as the two-argument diff against a copy of the built version.
    example(&f, "旧");
    let two = f.run(&["diff", "旧", "民政局"]);
    let one_body = out.stdout.split_once("\n\n").unwrap().1;
    assert_eq!(one_body, two.stdout);
    // Diff only reads: the snapshot is still the build's.
    let again = f.run(&["diff", "民政局"]);
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn diff_with_one_argument_before_any_build_says_to_build() {
    let f = Fixture::new();
    example(&f, "民政局");
    let out = f.run(&["diff", "民政局"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("还没有生成过这份总结"), "{}", out.stderr);
    assert!(out.stderr.contains(SNAPSHOT), "{}", out.stderr);
    assert!(out.stderr.contains("请先 zongjie build 民政局"), "{}", out.stderr);
    // Built elsewhere with -o: found with the same -o, and the plain form says how.
    assert_eq!(f.run(&["build", "民政局", "-f", "txt", "-o", "out"]).code, 0);
    let out = f.run(&["diff", "民政局"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("请写 zongjie diff 民政局 -o 输出目录"),
        "{}",
        out.stderr
    );
    let out = f.run(&["diff", "民政局", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("没有变化"), "{}", out.stdout);
    // -o has no meaning for two versions.
    let out = f.run(&["diff", "民政局", "民政局", "-o", "out"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("比较两个版本时请去掉 -o"), "{}", out.stderr);
}

#[test]
fn a_changed_title_points_at_the_older_snapshot() {
    let f = Fixture::new();
    let dir = example(&f, "民政局");
    assert_eq!(f.run(&["build", "民政局", "-f", "txt"]).code, 0);
    edit(&dir.join("报告.yaml"), "单位: 江城市民政局", "单位: 江城市民政厅");
    let out = f.run(&["diff", "民政局"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains(&format!("这个目录中有其他标题的快照：{SNAPSHOT}")),
        "{}",
        out.stderr
    );
}

#[test]
fn a_broken_snapshot_is_named_with_the_way_out() {
    let f = Fixture::new();
    let dir = example(&f, "民政局");
    assert_eq!(f.run(&["build", "民政局", "-f", "txt"]).code, 0);
    std::fs::write(dir.join(SNAPSHOT), "{\"说明\": ").unwrap();
    let out = f.run(&["diff", "民政局"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains(&format!("无法读取上次生成时的快照“民政局/{SNAPSHOT}”")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("请重新 zongjie build"), "{}", out.stderr);
}

#[test]
fn the_snapshot_is_byte_identical_across_rebuilds() {
    let f = Fixture::new();
    let dir = example(&f, "民政局");
    assert_eq!(f.run(&["build", "民政局", "-f", "txt"]).code, 0);
    let first = std::fs::read(dir.join(SNAPSHOT)).unwrap();
    // Another build, other formats, a moment later: the same bytes (no time inside).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(f.run(&["build", "民政局", "-f", "md,txt"]).code, 0);
    assert_eq!(std::fs::read(dir.join(SNAPSHOT)).unwrap(), first);
    let text = String::from_utf8(first).unwrap();
    assert!(text.contains("\"满意率\": \"91.7%\""), "{text}");
    assert!(!text.contains(&*f.dir.path().to_string_lossy()), "no path inside");
}

#[test]
fn a_failed_build_leaves_the_snapshot_of_the_last_good_one() {
    let f = Fixture::new();
    let dir = example(&f, "民政局");
    assert_eq!(f.run(&["build", "民政局", "-f", "txt"]).code, 0);
    let before = std::fs::read(dir.join(SNAPSHOT)).unwrap();
    edit(&dir.join("案件.yaml"), "满意度: 满意", "满意度: 不满意");
    // 核对 fails: nothing is written, the snapshot included.
    edit(&dir.join("报告.yaml"), "  总数: 34\n", "  总数: 35\n");
    let out = f.run(&["build", "民政局", "-f", "txt"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(std::fs::read(dir.join(SNAPSHOT)).unwrap(), before);
    // Corrected, the diff still compares with the last good build.
    edit(&dir.join("报告.yaml"), "  总数: 35\n", "  总数: 34\n");
    let out = f.run(&["diff", "民政局"]);
    assert!(out.stdout.contains("满意率：91.7% → 83.3%"), "{}", out.stdout);
}

fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn builds_in_different_folders_are_byte_identical() {
    let a = Fixture::new();
    let b = Fixture::new();
    example(&a, "某处/民政局");
    example(&b, "别处/另一个名字");
    assert_eq!(
        a.run(&["build", "某处/民政局", "-f", "docx,pdf,txt,md", "-o", "out"])
            .code,
        0
    );
    assert_eq!(
        b.run(&["build", "别处/另一个名字", "-f", "docx,pdf,txt,md", "-o", "输出"])
            .code,
        0
    );
    let (fa, fb) = (folder(&a.path("out")), folder(&b.path("输出")));
    // The four formats and the build's snapshot.
    assert_eq!(fa.len(), 5, "{:?}", fa.keys());
    assert!(fa.contains_key("江城市民政局2024年建议提案办理工作总结.快照.json"));
    assert!(fa == fb, "the outputs differ");
}

#[test]
fn a_failed_build_leaves_the_outputs_byte_for_byte() {
    let f = Fixture::new();
    let report = example(&f, "民政局");
    assert_eq!(
        f.run(&["build", "民政局", "-f", "docx,pdf,txt", "-o", "out"])
            .code,
        0
    );
    let before = folder(&f.path("out"));
    // A duplicate 编号 slips in: the build fails and writes nothing.
    let cases = report.join("案件.yaml");
    let text = std::fs::read_to_string(&cases).unwrap();
    std::fs::write(
        &cases,
        format!("{text}- {{编号: 建议第23号, 类别: 建议, 标题: 重复, 承办方式: 主办}}\n"),
    )
    .unwrap();
    let out = f.run(&["build", "民政局", "-f", "docx,pdf,txt", "-o", "out"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("编号“建议第23号”重复"), "{}", out.stderr);
    assert!(out.stderr.contains("没有生成任何文件"), "{}", out.stderr);
    assert!(folder(&f.path("out")) == before, "the outputs changed");
}

#[test]
fn an_unwritable_output_changes_nothing_and_names_the_file() {
    let f = Fixture::new();
    example(&f, "民政局");
    assert_eq!(f.run(&["build", "民政局", "-f", "txt,pdf", "-o", "out"]).code, 0);
    // The PDF's place is taken by a folder: it cannot be written. The TXT must not change.
    let pdf = "江城市民政局2024年建议提案办理工作总结.pdf";
    std::fs::remove_file(f.path(&format!("out/{pdf}"))).unwrap();
    std::fs::create_dir(f.path(&format!("out/{pdf}"))).unwrap();
    let before = folder(&f.path("out"));
    edit(
        &f.path("民政局/报告.yaml"),
        "    内容: 交办会后，",
        "    内容: 收到交办通知后，",
    );
    let out = f.run(&["build", "民政局", "-f", "txt,pdf", "-o", "out"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(&format!("无法写入“out/{pdf}”")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("没有改动任何已有的输出文件"),
        "{}",
        out.stderr
    );
    assert!(
        folder(&f.path("out")) == before,
        "a file changed or a temporary file was left"
    );
}

#[test]
fn build_prints_path_pages_and_size() {
    let f = Fixture::new();
    example(&f, "民政局");
    let out = f.run(&["build", "民政局", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].starts_with("out/江城市民政局2024年建议提案办理工作总结.docx（4 页，"),
        "{}",
        out.stdout
    );
    assert!(
        lines[1].starts_with("out/江城市民政局2024年建议提案办理工作总结.pdf（4 页，"),
        "{}",
        out.stdout
    );
    assert!(lines[1].ends_with(" KB）"), "{}", out.stdout);
}

#[test]
fn watch_rebuilds_when_a_case_changes() {
    let f = Fixture::new();
    let dir = example(&f, "民政局");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("zongjie"))
        .env("ZONGJIE_FONT_DIRS", "")
        .current_dir(f.dir.path())
        .args(["build", "民政局", "-f", "txt", "-o", "out", "--watch"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |needle: &str| -> Vec<String> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut seen = vec![];
        while std::time::Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(std::time::Duration::from_millis(100)) {
                let done = line.contains(needle);
                seen.push(line);
                if done {
                    return seen;
                }
            }
        }
        panic!("no “{needle}” within 30 s: {seen:?}");
    };
    wait_for("正在监视");
    edit(&dir.join("案件.yaml"), "满意度: 满意", "满意度: 不满意");
    let seen = wait_for("正在监视");
    let text = seen.join("\n");
    assert!(text.contains("检测到改动：民政局/案件.yaml"), "{text}");
    assert!(text.contains("满意率：91.7% → 83.3%"), "{text}");
    let txt = std::fs::read_to_string(f.path("out/江城市民政局2024年建议提案办理工作总结.txt")).unwrap();
    assert!(txt.contains("表示不满意的1件"), "the output was rebuilt");
    // 27. A deleted case file is noticed; the watch goes on and sees it come back.
    let cases = dir.join("案件.yaml");
    let saved = std::fs::read(&cases).unwrap();
    std::fs::remove_file(&cases).unwrap();
    let text = wait_for("正在监视").join("\n");
    assert!(text.contains("检测到 民政局/案件.yaml 不见了"), "{text}");
    assert!(text.contains("原有的输出保持不变"), "{text}");
    std::fs::write(&cases, &saved).unwrap();
    let text = wait_for("正在监视").join("\n");
    assert!(text.contains("检测到 民政局/案件.yaml 又出现了"), "{text}");
    // A renamed report: said so, and watched until it is back.
    std::fs::rename(dir.join("报告.yaml"), dir.join("报告-改.yaml")).unwrap();
    let text = wait_for("正在监视").join("\n");
    assert!(text.contains("检测到 民政局/报告.yaml 不见了"), "{text}");
    std::fs::rename(dir.join("报告-改.yaml"), dir.join("报告.yaml")).unwrap();
    let text = wait_for("正在监视").join("\n");
    assert!(text.contains("又出现了"), "{text}");
    assert!(child.try_wait().unwrap().is_none(), "still watching");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn watch_starts_from_the_last_build() {
    let f = Fixture::new();
    let dir = example(&f, "民政局");
    assert_eq!(f.run(&["build", "民政局", "-f", "txt", "-o", "out"]).code, 0);
    edit(&dir.join("案件.yaml"), "满意度: 满意", "满意度: 不满意");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("zongjie"))
        .env("ZONGJIE_FONT_DIRS", "")
        .current_dir(f.dir.path())
        .args(["build", "民政局", "-f", "txt", "-o", "out", "--watch"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    for line in std::io::BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        let done = line.contains("正在监视");
        seen.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = seen.join("\n");
    assert!(text.contains("与上次生成时相比："), "{text}");
    assert!(text.contains("  满意率：91.7% → 83.3%"), "{text}");
}

#[test]
fn the_readme_test_uses_the_cli() {
    // A sanity check that the binary used above is the one just built.
    let out = run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["--version"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains(env!("CARGO_PKG_VERSION")));
}

/// What `diff` says when one 满意 of data/minzhengju turns 不满意: the figures and the
/// sentence before and after.
fn says_one_more_dissatisfied(stdout: &str) {
    assert!(stdout.contains("  满意率：91.7% → 83.3%"), "{stdout}");
    assert!(stdout.contains("  不满意件数：0 → 1"), "{stdout}");
    assert!(
        stdout.contains("  原：在代表委员反馈意见的12件主办件中，表示满意的11件、表示基本满意的1件。"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  现：在代表委员反馈意见的12件主办件中，表示满意的10件、表示基本满意的1件、表示不满意的1件。"
        ),
        "{stdout}"
    );
}
