//! Hostile and careless input (issue 13): every file gets a clear Chinese answer with its
//! place, the right exit code, bounded time and memory, and nothing of the user's is lost.

use crate::common::{run_in, Fixture};

const REPORT: &str = "单位: 江城市民政局\n年度: 2024\n案件: 案件.yaml\n";
const CASES: &str = "- {编号: 建议第1号, 类别: 建议, 标题: 关于加装电梯的建议, 承办方式: 主办}\n";

/// A billion-laughs document: ten aliases of ten aliases … of a short list.
fn alias_bomb(prefix: &str) -> String {
    let mut s = format!("{prefix}a: &a [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 10].join(", ");
        s += &format!("{prefix}{}: &{} [{refs}]\n", w[1], w[1]);
    }
    s
}

#[test]
fn alias_bombs_are_refused_where_they_explode() {
    // 5. A few hundred bytes that would expand to gigabytes, in the report and in the cases.
    let f = Fixture::report(&format!("{REPORT}{}", alias_bomb("x")), CASES);
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("别名（“*名称”）展开后内容过多"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("报告.yaml:"), "{}", out.stderr);
    let cases = format!(
        "- 编号: 建议第1号\n  类别: 建议\n  标题: 甲\n  承办方式: 主办\n  备注:\n{}",
        alias_bomb("    ")
    );
    let out = Fixture::report(REPORT, &cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("展开后内容过多") && out.stderr.contains("案件.yaml:"),
        "{}",
        out.stderr
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // 7. 200,000 levels of block nesting.
    let deep = format!("{REPORT}主要做法:\n{}", "- ".repeat(200_000) + "文字\n");
    let out = Fixture::report(&deep, CASES).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("嵌套超过 64 层"), "{}", out.stderr);
}

#[test]
fn a_hundred_thousand_keys_are_checked_in_linear_time() {
    // 8. Every duplicate among 100,000 keys is found (the check was quadratic: 20 s).
    let mut report = String::from(REPORT);
    report.push_str("统计:\n");
    for i in 0..100_000 {
        report.push_str(&format!("  项{}: 1\n", i % 50_000));
    }
    let out = Fixture::report(&report, CASES).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("统计中的“项0”重复出现"),
        "{}",
        &out.stderr[..500.min(out.stderr.len())]
    );
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_not_read_forever() {
    // 9. /dev/zero and a FIFO as the report, as the cases, as a diff argument, as a font.
    let f = Fixture::report(REPORT, CASES);
    let out = f.run(&["check", "/dev/zero"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("“/dev/zero”：这不是普通文件，而是设备文件"),
        "{}",
        out.stderr
    );
    let fifo = f.path("管道.yaml");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = f.run(&["check", "管道.yaml"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("而是管道（FIFO）"), "{}", out.stderr);
    let out = f.run(&["diff", "报告.yaml", "/dev/urandom"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    f.write("报告.yaml", &REPORT.replace("案件.yaml", "/dev/urandom"));
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1, "a wrong path in the report is the report's error");
    assert!(out.stderr.contains("报告.yaml:3:"), "{}", out.stderr);
    f.write("报告.yaml", &format!("{REPORT}字体: {{仿宋: /dev/zero.ttf}}\n"));
    std::os::unix::fs::symlink("/dev/zero", f.path("zero.ttf")).unwrap();
    f.write("报告.yaml", &format!("{REPORT}字体: {{仿宋: zero.ttf}}\n"));
    let out = f.run(&["build", "报告.yaml", "-f", "pdf", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("无法读取字体文件“zero.ttf”：这不是普通文件，而是设备文件"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_truncated_font_is_a_warning_at_its_line_and_serves_no_role() {
    // 20. Half a font file: refused when named, the built-in face used, and `fonts` says so.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let font = std::fs::read(root.join("fonts/kai-regular.ttf")).unwrap();
    let f = Fixture::report(&format!("{REPORT}字体: {{楷体: 半个.ttf}}\n"), CASES);
    f.write_bytes("半个.ttf", &font[..font.len() / 2]);
    let out = f.run(&["fonts", "报告.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("字体“半个.ttf”无法使用"), "{}", out.stderr);
    assert!(out.stderr.contains("报告.yaml:4:"), "{}", out.stderr);
    assert!(!out.stdout.contains("半个.ttf（文件）"), "{}", out.stdout);
    assert_eq!(
        out.stderr.matches("字体“半个.ttf”无法使用").count(),
        1,
        "told once: {}",
        out.stderr
    );
    // `check` does all a build does but write: the font is told there too, once.
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("字体“半个.ttf”无法使用").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("报告.yaml:4:"), "{}", out.stderr);
    let out = f.run(&["build", "报告.yaml", "-f", "pdf", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stderr.contains("missing") && !out.stderr.contains(" table"),
        "no English: {}",
        out.stderr
    );
}

#[test]
fn a_second_document_is_an_error_at_its_separator() {
    // 18. Everything after a second `---` was silently dropped.
    let cases = format!("{CASES}---\n{}", CASES.replace("建议第1号", "建议第2号"));
    let out = Fixture::report(REPORT, &cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("“---”或“...”之后还有内容"), "{}", out.stderr);
    assert!(out.stderr.contains("案件.yaml:2:"), "{}", out.stderr);
}

#[test]
fn yaml_slips_are_located_where_to_change_and_said_in_chinese() {
    // F. A missing space after a colon was reported on the next line; indentation errors
    // carried the parser's English.
    let f = Fixture::report("单位: 江城市民政局\n年度:2024\n案件: 案件.yaml\n", CASES);
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("“年度:2024”中冒号后缺少空格"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("报告.yaml:2:"), "{}", out.stderr);
    let f = Fixture::report(
        REPORT,
        "- 编号: 建议第1号\n  类别: 建议\n   标题: 甲\n  承办方式: 主办\n",
    );
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("缩进不一致") && out.stderr.contains("案件.yaml:3:"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("mapping") && !out.stderr.contains("expected"),
        "{}",
        out.stderr
    );
}

#[test]
fn output_that_cannot_be_written_is_said_in_chinese() {
    // 24/25. A file where the output folder should be: no English OS sentence, and writing
    // is never called reading.
    let f = Fixture::report(REPORT, CASES);
    f.write("输出", "一个文件");
    let out = f.run(&["build", "报告.yaml", "-f", "txt", "-o", "输出/子目录"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("无法写入“输出/子目录"), "{}", out.stderr);
    assert!(out.stderr.contains("路径中有一部分不是文件夹"), "{}", out.stderr);
    assert!(!out.stderr.contains("os error"), "{}", out.stderr);
    let _ = run_in;
}

#[test]
fn an_unanswered_case_with_a_result_or_satisfaction_is_a_warning() {
    // 14. The text said 办复率…均为0%，面商率、满意率均为100%.
    let cases = "- {编号: 建议第1号, 类别: 建议, 标题: 甲, 承办方式: 主办, 办理结果: A, 满意度: 满意}\n";
    let out = Fixture::report(REPORT, cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 0, "a warning, not an error: {}", out.stderr);
    assert!(
        out.stderr
            .contains("案件“建议第1号”没有答复日期，却填了办理结果、满意度"),
        "{}",
        out.stderr
    );
}

#[test]
fn statistics_are_whole_numbers_and_no_key_is_given_twice() {
    // 15. Negative, fractional, huge and signed values; duplicates in 统计 and 上年.
    for bad in ["-1", "2.5", "1e19", "-0", "10000000000000000000"] {
        let out =
            Fixture::report(&format!("{REPORT}统计: {{调研: {bad}}}\n"), CASES).run(&["check", "报告.yaml"]);
        assert_eq!(out.code, 1, "{bad}");
        assert!(
            out.stderr.contains("统计项“调研”的值应为不小于0的整数"),
            "{bad}: {}",
            out.stderr
        );
    }
    let out = Fixture::report(
        &format!("{REPORT}统计: {{调研: 3, 调研: 4}}\n上年: {{总数: 5, 总数: 6}}\n"),
        CASES,
    )
    .run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("统计中的“调研”重复出现"), "{}", out.stderr);
    assert!(out.stderr.contains("上年中的“总数”重复出现"), "{}", out.stderr);
}

#[test]
fn a_custom_scheme_repeats_no_letter_or_label() {
    // 16. Repeated letters or labels made shares that add up to 66.6.
    let out = Fixture::report(
        &format!("{REPORT}分类方案: {{A: 已解决, B: 已解决, C: 留作参考}}\n"),
        CASES,
    )
    .run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("分类方案中“已解决”出现了两次"),
        "{}",
        out.stderr
    );
    let out = Fixture::report(&format!("{REPORT}分类方案: {{A: 已解决, A: 留作参考}}\n"), CASES)
        .run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("分类方案中的“A”重复出现"), "{}", out.stderr);
}

#[test]
fn last_year_is_another_report_of_the_year_before() {
    // 17. 上年 pointing at the report itself, or at a report of another year.
    let f = Fixture::report(&format!("{REPORT}上年: 报告.yaml\n"), CASES);
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("上年报告指向了本报告自己"), "{}", out.stderr);
    f.write("2022/报告.yaml", "单位: 江城市民政局\n年度: 2022\n案件: []\n");
    f.write("报告.yaml", &format!("{REPORT}上年: 2022\n"));
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("上年报告的年度是2022年，不是2023年"),
        "{}",
        out.stderr
    );
}

fn debris(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".zongjie-"))
                .collect()
        })
        .unwrap_or_default()
}

// The pause it interrupts a build in exists in debug builds only: `cargo test --release`
// leaves the test out rather than wait a minute for files that never come.
#[cfg(all(unix, debug_assertions))]
#[test]
fn an_interrupted_build_leaves_no_debris_and_the_old_outputs() {
    // 2. Ctrl+C or SIGTERM while writing left .zongjie-XXXX.tmp files beside the outputs.
    let f = Fixture::report(REPORT, CASES);
    let out = f.run(&["build", "报告.yaml", "-f", "txt,pdf", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let before: Vec<Vec<u8>> = ["txt", "pdf"]
        .iter()
        .map(|e| std::fs::read(f.path(&format!("out/江城市民政局2024年代表建议办理工作总结.{e}"))).unwrap())
        .collect();
    f.write("案件.yaml", &CASES.replace("加装电梯", "增设停车位"));
    for signal in ["TERM", "INT"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("zongjie"))
            .env("ZONGJIE_FONT_DIRS", "")
            .args(["build", "报告.yaml", "-f", "txt,pdf", "-o", "out"])
            .current_dir(f.dir.path())
            .env("ZONGJIE_PAUSE_BEFORE_SWAP", "30000")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the temporary files are complete (the two outputs and the build's
        // snapshot), then interrupt.
        let started = std::time::Instant::now();
        while debris(&f.path("out")).len() < 3 {
            assert!(
                started.elapsed().as_secs() < 60,
                "the build never wrote its temporary files"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}");
        assert_eq!(debris(&f.path("out")), Vec::<String>::new(), "{signal}");
        for (e, old) in ["txt", "pdf"].iter().zip(&before) {
            let now =
                std::fs::read(f.path(&format!("out/江城市民政局2024年代表建议办理工作总结.{e}"))).unwrap();
            assert_eq!(&now, old, "{signal}: the previous {e} is intact");
        }
    }
}

#[cfg(unix)]
#[test]
fn outputs_get_the_umask_mode_and_keep_theirs_when_replaced() {
    // 3. Outputs were created 0600 whatever the umask, and a rebuild turned 0644 into 0600.
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::report(REPORT, CASES);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let run = |args: &[&str]| {
        let out = std::process::Command::new("sh")
            .env("ZONGJIE_FONT_DIRS", "")
            .arg("-c")
            .arg(format!("umask 022 && exec \"$0\" {}", args.join(" ")))
            .arg(assert_cmd::cargo::cargo_bin("zongjie"))
            .current_dir(f.dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["build", "报告.yaml", "-f", "txt", "-o", "out"]);
    let txt = f.path("out/江城市民政局2024年代表建议办理工作总结.txt");
    assert_eq!(mode(&txt), 0o644);
    std::fs::set_permissions(&txt, std::fs::Permissions::from_mode(0o664)).unwrap();
    run(&["build", "报告.yaml", "-f", "txt", "-o", "out"]);
    assert_eq!(mode(&txt), 0o664, "a replaced file keeps its mode");
    run(&["init", "新的"]);
    assert_eq!(mode(&f.path("新的/报告.yaml")), 0o644);
}

#[test]
fn builds_into_one_folder_at_once_all_succeed() {
    // 4. Two builds into one folder at once: 8 of 300 failed with 文件不存在.
    let f = Fixture::report(REPORT, CASES);
    for _ in 0..10 {
        let children: Vec<_> = (0..3)
            .map(|_| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("zongjie"))
                    .env("ZONGJIE_FONT_DIRS", "")
                    .args(["build", "报告.yaml", "-f", "txt,md,docx", "-o", "out"])
                    .current_dir(f.dir.path())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let c = c.wait_with_output().unwrap();
            assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
        }
    }
    assert_eq!(debris(&f.path("out")), Vec::<String>::new());
}

#[test]
fn user_text_never_becomes_structure() {
    // 19. A line break in user text was parsed as markup: `# X` became a heading, `@分页` a
    // page break; a 小标题 holding `。` was cut in two.
    let report = format!(
        "{REPORT}主要做法:\n  - 标题: 压实责任。逐件落实\n    内容: |\n      第一段。\n      # 不是标题\n      @分页\n  - \"第二项\\n## 也不是标题\"\n"
    );
    let cases = "- {编号: 建议第1号, 类别: 建议, 标题: \"关于加装\\n# 电梯的建议\", 承办方式: 主办}\n";
    let f = Fixture::report(&report, cases);
    let out = f.run(&["build", "报告.yaml", "-f", "txt,docx", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let txt = std::fs::read_to_string(f.path("out/江城市民政局2024年代表建议办理工作总结.txt")).unwrap();
    assert!(
        txt.contains("　　压实责任。逐件落实。第一段。# 不是标题@分页\n"),
        "{txt}"
    );
    assert!(txt.contains("　　第二项## 也不是标题\n"), "{txt}");
    assert!(!txt.contains('\u{c}'), "no page break: {txt}");
    let headings = txt
        .lines()
        .filter(|l| l.starts_with("　　二、") || l.starts_with("　　（二）"))
        .count();
    assert_eq!(headings, 1, "only the template's own headings: {txt}");
}

#[test]
fn a_long_title_gives_a_short_file_name_and_stays_whole_inside() {
    // 22. An 84-character 标题 failed with `File name too long`.
    let title = "江城市民政局关于".to_owned() + &"认真办理人大代表建议和政协委员提案".repeat(4) + "的总结";
    let f = Fixture::report(&format!("{REPORT}标题: {title}\n"), CASES);
    let out = f.run(&["build", "报告.yaml", "-f", "txt,docx,pdf", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let names: Vec<String> = std::fs::read_dir(f.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // Three outputs and the build's snapshot, each a stem of at most 150 bytes and its ending
    // (“.快照.json”, 12 bytes, the longest).
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 150 + 12), "{names:?}");
    let txt = names.iter().find(|n| n.ends_with(".txt")).unwrap();
    let text = std::fs::read_to_string(f.path("out").join(txt)).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        title,
        "the title is whole in the document"
    );
}

#[test]
fn an_empty_title_an_invisible_character_in_an_id_and_a_repeated_part_are_errors() {
    // 23. `标题: ''`; 编号 differing only by a zero-width space; the same 篇 twice.
    let out = Fixture::report(&format!("{REPORT}标题: ''\n"), CASES).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("“标题”是空的") && out.stderr.contains("报告.yaml:4:"),
        "{}",
        out.stderr
    );
    let cases = format!("{CASES}- {{编号: \"建议第1\u{200B}号\", 类别: 建议, 标题: 乙, 承办方式: 主办}}\n");
    let out = Fixture::report(REPORT, &cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("编号“建议第1号”中有看不见的字符 U+200B"),
        "{}",
        out.stderr
    );
    let f = Fixture::report(REPORT, CASES);
    f.write("汇编.yaml", "标题: 汇编\n篇目: [报告.yaml, ./报告.yaml]\n");
    let out = f.run(&["check", "汇编.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("篇目“./报告.yaml”与前面的一篇是同一份报告"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_compilation_as_text_and_markdown_has_its_title_contents_and_labels() {
    // 23. 汇编 TXT/MD lacked the 汇编's title, 目录 and the 篇 labels.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let out = run_in(
        root,
        &[
            "build",
            "data/huibian",
            "-f",
            "txt,md",
            "-o",
            out_dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let read = |ext: &str| {
        let p = std::fs::read_dir(out_dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap();
        std::fs::read_to_string(p).unwrap()
    };
    let txt = read("txt");
    assert!(txt.starts_with("江城市2024年建议提案办理工作总结汇编"), "{txt}");
    assert!(
        txt.contains("目　录\n\n篇一　江城市民政局2024年建议提案办理工作总结\n"),
        "{txt}"
    );
    assert!(txt.contains("\u{c}篇二\n"), "{txt}");
    let md = read("md");
    assert!(md.starts_with("# 江城市2024年建议提案办理工作总结汇编"), "{md}");
    assert!(md.contains("## 目录\n\n- 篇一　"), "{md}");
    assert!(md.contains("# 篇三　江城市人大常委会"), "{md}");
}

#[test]
fn markdown_shows_user_text_and_never_takes_it_as_markup() {
    // 29. `<!--` in user text hid the rest of the Markdown.
    let report = format!("{REPORT}主要做法:\n  - \"<!-- 注释 *强调* [链接](x) # 井号\"\n");
    let f = Fixture::report(&report, CASES);
    let out = f.run(&["build", "报告.yaml", "-f", "md", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = std::fs::read_to_string(f.path("out/江城市民政局2024年代表建议办理工作总结.md")).unwrap();
    assert!(
        md.contains("&lt;!-- 注释 \\*强调\\* \\[链接\\](x) \\# 井号"),
        "{md}"
    );
    assert!(md.contains("## 三、存在问题"), "the rest is still there: {md}");
}

#[test]
fn a_check_mismatch_names_the_records_to_look_at() {
    // C. `建议声明10件，实有9件` gave no clue which row was missing.
    let cases: String = [1, 2, 3, 5, 6]
        .iter()
        .map(|n| format!("- {{编号: 建议第{n}号, 类别: 建议, 标题: 题{n}, 承办方式: 主办}}\n"))
        .collect();
    let out = Fixture::report(&format!("{REPORT}核对: {{建议: 6}}\n"), &cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("核对不符：“建议”声明为6件，案件记录中实有5件"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("计入“建议”的5件是：建议第1号、建议第2号、建议第3号、建议第5号、建议第6号"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("编号中缺少建议第4号"), "{}", out.stderr);
}

#[test]
fn check_does_everything_but_write() {
    // D. An unknown figure name in the text was found only by build.
    let report = format!("{REPORT}主要做法:\n  - 面谈率为{{{{ 面谈率 }}}}。\n");
    let f = Fixture::report(&report, CASES);
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("面谈率"), "{}", out.stderr);
    assert!(!out.stdout.contains("未发现问题"), "{}", out.stdout);
    assert!(
        !f.path("江城市民政局2024年代表建议办理工作总结.docx").exists(),
        "nothing written"
    );
}

#[test]
fn diff_says_what_it_compares() {
    // E. Two DOCX files were answered with 用记事本另存为UTF-8; a report against a 汇编 too.
    let f = Fixture::report(REPORT, CASES);
    f.write_bytes("甲.docx", b"PK\x03\x04");
    f.write_bytes("乙.docx", b"PK\x03\x04");
    let out = f.run(&["diff", "甲.docx", "乙.docx"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("diff 比较的是两个版本的报告"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("记事本"), "{}", out.stderr);
    f.write("汇编.yaml", "标题: 汇编\n篇目: [报告.yaml]\n");
    let out = f.run(&["diff", "报告.yaml", "汇编.yaml"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("一个是报告，一个是汇编"), "{}", out.stderr);
    // A Word file where a report belongs is said to be one.
    let out = f.run(&["check", "甲.docx"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("不是 YAML 文本文件") && !out.stderr.contains("记事本"),
        "{}",
        out.stderr
    );
}

#[test]
fn stats_and_fonts_on_a_compilation_and_files_with_cr_line_ends() {
    // 29. stats/fonts on a 汇编; a file saved with CR line ends had no snippet.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run_in(root, &["stats", "data/huibian"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("篇二　青山区人民政府"), "{}", out.stdout);
    let out = run_in(root, &["stats", "data/huibian", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["篇一"]["total"], 34);
    let out = run_in(root, &["fonts", "data/huibian"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let f = Fixture::report(
        &REPORT.replace('\n', "\r").replace("年度: 2024", "年度: 二〇二四"),
        CASES,
    );
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("报告.yaml:2:") && out.stderr.contains("2 | 年度: 二〇二四"),
        "{}",
        out.stderr
    );
}

#[test]
fn help_is_chinese_and_a_repeated_flag_is_fine() {
    // 28. `[OPTIONS]`, `Arguments:`, `Options:`, `[default: …]`; `stats --json --json`.
    for args in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["import", "--help"],
        vec!["stats", "--help"],
    ] {
        let out = run_in(std::path::Path::new("."), &args);
        assert_eq!(out.code, 0);
        for english in ["[OPTIONS]", "Arguments:", "Options:", "[default:", "Usage:"] {
            assert!(!out.stdout.contains(english), "{args:?}: {}", out.stdout);
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run_in(root, &["stats", "data/minzhengju", "--json", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn a_runaway_template_ends_in_a_message() {
    // 10. Nested loops ran without bound; a template producing 100 MB aborted.
    let f = Fixture::report(&format!("{REPORT}模板: 我的模板\n"), CASES);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    f.write(
        "我的模板/模板.yaml",
        &std::fs::read_to_string(root.join("templates/建议提案办理/模板.yaml")).unwrap(),
    );
    f.write(
        "我的模板/正文.tera",
        "{% for i in range(end=100000000) %}很长的一行{% endfor %}\n",
    );
    let out = f.run(&["build", "报告.yaml", "-f", "txt", "-o", "out"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("range 最多 10000 项"), "{}", out.stderr);
    f.write(
        "我的模板/正文.tera",
        "{% for i in range(end=10000) %}{% for j in range(end=10000) %}{{ i }}{{ j }}很长的一行{% endfor %}{% endfor %}\n",
    );
    let out = f.run(&["build", "报告.yaml", "-f", "txt", "-o", "out"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("生成的文字超过 32 MB"), "{}", out.stderr);
    assert!(out.stderr.contains("我的模板/正文.tera"), "{}", out.stderr);
    assert!(!f.path("out").exists());
}

#[cfg(unix)]
#[test]
fn a_file_that_is_there_but_cannot_be_read_is_an_io_failure() {
    // 26. An unreadable (chmod 000) 案件.yaml gave exit 1; 24. `Too many levels of symbolic
    // links` reached the user in English. Tests run as root here, for whom chmod 000 changes
    // nothing; a symbolic link that points at itself cannot be read by anyone.
    let f = Fixture::report(REPORT, CASES);
    std::fs::remove_file(f.path("案件.yaml")).unwrap();
    std::os::unix::fs::symlink("案件.yaml", f.path("案件.yaml")).unwrap();
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("无法读取“"), "{}", out.stderr);
    assert!(out.stderr.contains("符号链接形成了循环"), "{}", out.stderr);
    assert!(!out.stderr.contains("os error"), "{}", out.stderr);
}

#[test]
fn a_nul_byte_is_called_what_it_is() {
    // 25. A NUL byte was reported as 不能用Tab键缩进.
    let f = Fixture::report(REPORT, "- 编号: 建议第1号\n  标题: 甲\u{0}乙\n");
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("U+0000"), "{}", out.stderr);
    assert!(!out.stderr.contains("Tab"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_device_or_a_fifo_is_no_ledger() {
    // 9. An import of /dev/zero read for ever; of a FIFO, blocked for ever.
    let f = Fixture::new();
    let out = f.run(&["import", "/dev/zero"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("而是设备文件"), "{}", out.stderr);
    let fifo = f.path("台账.csv");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = f.run(&["import", "台账.csv"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("而是管道（FIFO）"), "{}", out.stderr);
}

#[test]
fn a_thousand_pages_of_case_titles_build_in_bounded_memory() {
    // 20,000 cases listed by title: a 1,036-page PDF. Before the PDF was written page by page
    // this took about 430 MB resident (2.2 GB for 100,000 cases); now a debug build needs
    // under 300 MB of address space. `prlimit` (util-linux) caps it at 400 MB: over the cap,
    // an allocation fails and the process aborts.
    let f = Fixture::new();
    f.write("报告.yaml", &format!("{REPORT}列出案件: 是\n"));
    let mut cases = String::new();
    for i in 0..20_000 {
        cases += &format!(
            "- {{编号: 建议第{i}号, 类别: 建议, 标题: 关于加快推进第{i}项民生工程建设的建议, 承办方式: 主办, \
             交办日期: 2024-03-01, 答复日期: 2024-05-01, 办理结果: A, 满意度: 满意}}\n"
        );
    }
    f.write("案件.yaml", &cases);
    let out = std::process::Command::new("prlimit")
        .env("ZONGJIE_FONT_DIRS", "")
        .arg("--as=400000000")
        .arg(assert_cmd::cargo::cargo_bin!("zongjie"))
        .args(["build", ".", "-f", "pdf", "-o", "out"])
        .current_dir(f.dir.path())
        .output()
        .expect("prlimit (util-linux) runs zongjie");
    assert!(
        out.status.success(),
        "{:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(f.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "江城市民政局2024年代表建议办理工作总结.pdf",
            "江城市民政局2024年代表建议办理工作总结.快照.json"
        ]
    );
}
