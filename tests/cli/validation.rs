//! Every validation case of the foundation issue: the message, its location, exit codes.

use crate::common::{assert_diag, case, Fixture, REPORT};

#[test]
fn unknown_key_suggests_nearest() {
    let f = Fixture::report(REPORT, &case("建议第1号", "  承办方试: 主办\n"));
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert_diag(&out.stderr, "未知字段“承办方试”", "案件.yaml:5:3");
    assert!(out.stderr.contains("是否应为“承办方式”？"), "{}", out.stderr);
}

#[test]
fn unknown_report_key_suggests_nearest() {
    let f = Fixture::report(&format!("{REPORT}模版: 建议提案办理\n"), &case("建议第1号", ""));
    let out = f.run(&["check", "."]);
    assert_eq!(out.code, 1);
    assert_diag(&out.stderr, "未知字段“模版”", "报告.yaml:4:1");
    assert!(out.stderr.contains("是否应为“模板”？"));
}

#[test]
fn unknown_enum_value_lists_allowed() {
    let cases = "- 编号: 建议第1号\n  类别: 建意\n  标题: 关于甲的建议\n  承办方式: 主办\n  满意度: 很满意\n";
    let out = Fixture::report(REPORT, cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert_diag(&out.stderr, "“类别”的值“建意”无效", "案件.yaml:2:7");
    assert!(out.stderr.contains("“类别”可填：建议、议案、提案"));
    assert_diag(&out.stderr, "“满意度”的值“很满意”无效", "案件.yaml:5:8");
    assert!(out.stderr.contains("满意、基本满意、不满意、未反馈"));
}

#[test]
fn duplicate_id_points_at_both() {
    let cases = format!("{}{}", case("建议第1号", ""), case("建议第1号", ""));
    let out = Fixture::report(REPORT, &cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert_diag(&out.stderr, "编号“建议第1号”重复", "案件.yaml:5:7");
    assert!(
        out.stderr.contains("案件.yaml:1:7"),
        "first occurrence shown:\n{}",
        out.stderr
    );
    assert!(out.stderr.contains("同一编号第一次出现在这里"));
}

#[test]
fn duplicate_across_files_and_of_invalid_records() {
    let f = Fixture::report(
        "单位: 甲\n年度: 2024\n案件: [案件.yaml, 补充.yaml]\n",
        &case("建议第1号", ""),
    );
    f.write("补充.yaml", "- 编号: 建议第1号\n  类别: 建意\n");
    let out = f.run(&["check", "报告.yaml"]);
    assert_diag(&out.stderr, "编号“建议第1号”重复", "补充.yaml:1:7");
}

#[test]
fn answer_before_assignment() {
    let c = case("建议第1号", "  交办日期: 2024-03-15\n  答复日期: 2024年3月1日\n");
    let out = Fixture::report(REPORT, &c).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert_diag(
        &out.stderr,
        "案件“建议第1号”的答复日期2024年3月1日早于交办日期2024年3月15日",
        "案件.yaml:1:7",
    );
}

#[test]
fn result_outside_scheme() {
    let out = Fixture::report(
        &format!("{REPORT}分类方案: 三类\n"),
        &case("建议第1号", "  办理结果: D\n"),
    )
    .run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert_diag(&out.stderr, "办理结果“D”不在分类方案“三类”中", "案件.yaml:5:9");
    assert!(
        out.stderr.contains("A（解决采纳）、B（计划解决）、C（留作参考）"),
        "{}",
        out.stderr
    );
}

#[test]
fn result_on_assisting_case_is_a_warning() {
    let c = "- 编号: 提案第3号\n  类别: 提案\n  标题: 关于乙的提案\n  承办方式: 协办\n  答复日期: 2024-05-01\n  办理结果: A\n";
    let out = Fixture::report(REPORT, c).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 0, "a warning does not fail the check");
    assert!(
        out.stderr
            .contains("警告: 案件“提案第3号”是协办件，却填了办理结果"),
        "{}",
        out.stderr
    );
    assert_diag(&out.stderr, "是协办件", "案件.yaml:1:7");
    assert!(out.stdout.contains("未发现错误，有 1 个警告"));
}

#[test]
fn missing_case_file_points_at_reference() {
    let f = Fixture::new();
    f.write(
        "报告.yaml",
        "单位: 甲\n年度: 2024\n案件:\n  - 没有这个文件.yaml\n",
    );
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert_diag(
        &out.stderr,
        "无法读取“没有这个文件.yaml”：文件不存在",
        "报告.yaml:4:5",
    );
}

#[test]
fn empty_case_file_and_empty_report() {
    let out = Fixture::report(REPORT, "").run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("错误: 文件是空的"), "{}", out.stderr);
    assert!(out.stderr.contains("案件.yaml:1:1"), "{}", out.stderr);
    let out = Fixture::report("# 只有注释\n", "").run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("报告.yaml:1:1"), "{}", out.stderr);
}

#[test]
fn yaml_syntax_error_has_location_in_chinese() {
    let out = Fixture::report(REPORT, "- 编号: 建议第1号\n  标题: [未闭合\n").run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("错误: 格式错误：方括号或花括号没有配对"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("案件.yaml:2:"),
        "the bracket opened on line 2: {}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("while") && !out.stderr.contains("expected"),
        "no English: {}",
        out.stderr
    );
}

#[test]
fn full_width_colon_is_explained() {
    let out = Fixture::report("单位：江城市民政局\n", "").run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("不能用全角冒号“：”"), "{}", out.stderr);
    assert!(out.stderr.contains("报告.yaml:1:1"));
}

#[test]
fn declared_mismatch_names_both_numbers() {
    let report = format!("{REPORT}核对:\n  总数: 7\n  建议.主办: 1\n  提案.协办: 4\n");
    let cases = format!("{}{}", case("建议第1号", ""), case("建议第2号", ""));
    let out = Fixture::report(&report, &cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert_diag(
        &out.stderr,
        "核对不符：“总数”声明为7件，案件记录中实有2件",
        "报告.yaml:5:3",
    );
    assert_diag(
        &out.stderr,
        "核对不符：“建议.主办”声明为1件，案件记录中实有2件",
        "报告.yaml:6:3",
    );
    assert_diag(
        &out.stderr,
        "核对不符：“提案.协办”声明为4件，案件记录中实有0件",
        "报告.yaml:7:3",
    );
}

#[test]
fn declared_matching_is_silent_and_levels_work() {
    let report =
        format!("{REPORT}核对: {{总数: 2, 建议: 2, 主办: 2, 协办: 0, 区级: 1, 市级.建议.主办: 1}}\n");
    let cases = format!(
        "{}{}",
        case("建议第1号", "  级别: 市级\n"),
        case("建议第2号", "  级别: 区级\n")
    );
    let out = Fixture::report(&report, &cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("共 2 件案件，未发现问题"));
}

#[test]
fn all_errors_are_reported_at_once() {
    let cases = "- 编号: 建议第1号\n  类别: 建意\n  标题: 甲\n  承办方式: 主办\n  面商: 对\n  交办日期: 2024-13-01\n- 编号: 建议第2号\n  类别: 建议\n  标题: 乙\n  承办方试: 主办\n";
    let out = Fixture::report(&format!("{REPORT}办理时限: 3周\n"), cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    for title in [
        "“类别”的值“建意”无效",
        "“面商”：“对”不是“是”或“否”",
        "日期“2024-13-01”的月份13不存在",
        "未知字段“承办方试”",
        "缺少必填字段“承办方式”",
        "无法识别的办理时限“3周”",
    ] {
        assert!(out.stderr.contains(title), "missing {title}:\n{}", out.stderr);
    }
    assert!(out.stdout.contains("发现 6 个错误"), "{}", out.stdout);
}

#[test]
fn gbk_file_is_read_with_a_warning() {
    let (report, _, _) = encoding_rs::GBK.encode(REPORT);
    let text = case("建议第1号", "  领域: 养老服务\n");
    let (cases, _, _) = encoding_rs::GBK.encode(&text);
    let f = Fixture::new();
    f.write_bytes("报告.yaml", &report);
    f.write_bytes("案件.yaml", &cases);
    let out = f.run(&["stats", "报告.yaml", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("警告: 文件以GBK/GB18030编码保存，已按GB18030读取"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("\"name\": \"养老服务\""),
        "no mojibake: {}",
        out.stdout
    );
}

#[test]
fn utf8_bom_is_accepted_silently() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(REPORT.as_bytes());
    let f = Fixture::new();
    f.write_bytes("报告.yaml", &bytes);
    f.write("案件.yaml", &case("建议第1号", ""));
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn undecodable_bytes_are_refused_clearly() {
    let f = Fixture::new();
    f.write("报告.yaml", REPORT);
    f.write_bytes("案件.yaml", b"- \xff\xfe\xfd\x80\x80: 1\n");
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("既不是UTF-8编码，也不是GBK/GB18030编码"),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_report_is_an_io_error() {
    let out = Fixture::new().run(&["check", "没有.yaml"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("无法读取“没有.yaml”：文件不存在"),
        "{}",
        out.stderr
    );
}

#[test]
fn usage_errors_are_chinese_and_exit_2() {
    let f = Fixture::new();
    let out = f.run(&["chek", "x"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("没有“chek”这个命令，是否应为“check”？"),
        "{}",
        out.stderr
    );
    let out = f.run(&["stats"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("缺少参数"), "{}", out.stderr);
    let out = f.run(&["stats", "x", "--jsn"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("不认识的选项或参数“--jsn”"), "{}", out.stderr);
}

#[test]
fn deadline_and_dates_forms_are_checked() {
    let c = case(
        "建议第1号",
        "  交办日期: 2024.3.15\n  答复日期: 2024年6月15日\n  重点督办: 是\n",
    );
    let out =
        Fixture::report(&format!("{REPORT}办理时限: 90天\n"), &c).run(&["stats", "报告.yaml", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"on_time\": 0"), "{}", out.stdout);
    assert!(out.stdout.contains("\"key_supervised\": 1"));
}

#[test]
fn stats_refuses_bad_data() {
    let out = Fixture::report(REPORT, &case("建议第1号", "  面商: 对\n")).run(&["stats", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("未计算数字"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn no_input_panics() {
    // Odd shapes in every place: the run must end with a message, never a panic.
    let odd = [
        "[1, 2]",
        "单位: [甲]\n年度: 二〇二四\n案件: {a: 1}\n",
        "单位: 甲\n年度: 2024\n案件: [[1]]\n统计: [1]\n核对: 3\n上年: [1]\n主要做法: {标题: 1}\n存在问题: [自动, [1], {常用: }]\n下一步打算: 自动\n字体: {仿宋体: x}\n分类方案: {a: 1, B: }\n",
        "单位: 甲\n年度: 2024\n案件: 案件.yaml\n上年: 不存在的文件夹\n",
        "&a [*a]",
        "? [a]\n: 1\n",
    ];
    for report in odd {
        let f = Fixture::report(report, "- 1\n- {编号: [1]}\n- 编号: x\n  二次答复: 1\n");
        let out = f.run(&["check", "报告.yaml"]);
        assert!(
            out.code == 1 || out.code == 0,
            "{report}: exit {}\n{}",
            out.code,
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{report}:\n{}", out.stderr);
    }
}

#[test]
fn a_half_gbk_half_utf8_file_is_one_error_at_the_line_where_it_breaks() {
    // Saved as GBK, then a line pasted in UTF-8: neither encoding reads the whole file.
    let first = case("建议第1号", "");
    let (gbk, _, _) = encoding_rs::GBK.encode(&first);
    let mut bytes = gbk.into_owned();
    bytes.extend_from_slice(case("建议第2号", "").as_bytes());
    let f = Fixture::new();
    f.write("报告.yaml", &format!("{REPORT}核对: {{总数: 2}}\n"));
    f.write_bytes("案件.yaml", &bytes);
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert_diag(
        &out.stderr,
        "文件既不是UTF-8编码，也不是GBK/GB18030编码，无法读取",
        "案件.yaml:5:",
    );
    // No false “empty file”, and no 核对 mismatch against records that could not be read.
    assert!(
        out.stdout.contains("发现 1 个错误"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn new_report_keys_are_checked_where_they_stand() {
    let report = "单位: 江城市民政局\n年度: 2024\n案件: 案件.yaml\n历年: {二〇二二: {总数: 3}, 2025: {总数: 4}}\n主要做法: [写了章节就不能写]\n章节:\n  - 标题: 一章\n    内容:\n      - 标题: 二级\n        内容:\n          - 标题: 三级\n            内容:\n              - 标题: 四级\n                内容:\n                  - 五级\n      - 自动\n主要做法外: 1\n";
    let cases = "- {编号: 建议第1号, 类别: 建议, 标题: 甲, 承办方式: 主办, 承办单位: [甲科, 甲科, {a: b}]}\n";
    let out = crate::common::Fixture::report(report, cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let e = &out.stderr;
    assert_diag(e, "历年中的“二〇二二”不是年份", "报告.yaml:4:6");
    assert_diag(e, "历年中的2025年不早于本报告的年度2024年", "报告.yaml:4:");
    assert_diag(e, "写了“章节”，就不能再写“主要做法”", "报告.yaml:5:1");
    assert_diag(e, "层次太深：小标题最多分到“（1）”一级", "报告.yaml:15:");
    assert_diag(e, "“承办单位”中“甲科”重复", "案件.yaml:1:");
    assert_diag(e, "“承办单位”的列表中应为名称，这里是字段表", "案件.yaml:1:");
}

#[test]
fn automatic_figures_are_placed_once() {
    for extra in [
        "基本情况: [自动, 自动]\n",
        "章节: [{标题: 一, 内容: [自动]}, {标题: 二, 内容: [自动]}]\n",
        "存在问题: [自动, 自动]\n",
    ] {
        let out =
            Fixture::report(&format!("{REPORT}{extra}"), &case("建议第1号", "")).run(&["check", "报告.yaml"]);
        assert_eq!(out.code, 1, "{extra}: {}", out.stderr);
        assert!(out.stderr.contains("“自动”写了不止一次"), "{}", out.stderr);
    }
}

#[test]
fn an_unused_count_and_a_template_that_does_not_fit_are_warnings() {
    let report =
        format!("{REPORT}统计: {{调研: 3, 座谈: 2}}\n主要做法:\n  - 先后{{{{ 统计.调研 }}}}次调研。\n");
    let out = Fixture::report(&report, &case("建议第1号", "")).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_diag(&out.stderr, "统计中的“座谈”没有在正文中用到", "报告.yaml:4:13");
    assert!(!out.stderr.contains("“调研”没有"), "{}", out.stderr);
    // A name inside another used one is not thereby used: 统计.调研 does not use 统计.调.
    let report =
        format!("{REPORT}统计: {{调研: 3, 调: 1}}\n主要做法:\n  - 先后{{{{ 统计.调研 }}}}次调研。\n");
    let out = Fixture::report(&report, &case("建议第1号", "")).run(&["check", "报告.yaml"]);
    assert!(
        out.stderr.contains("统计中的“调”没有在正文中用到"),
        "{}",
        out.stderr
    );
    let report = "单位: 江城市人大常委会\n年度: 2024\n案件: 案件.yaml\n模板: 建议提案办理\n";
    let out = Fixture::report(report, &case("建议第1号", "")).run(&["check", "报告.yaml"]);
    assert_diag(&out.stderr, "模板与单位不相称", "报告.yaml:4:5");
    let out = Fixture::report(&format!("{REPORT}模板: 代表建议督办\n"), &case("建议第1号", ""))
        .run(&["check", "报告.yaml"]);
    assert_diag(&out.stderr, "模板与单位不相称", "报告.yaml:4:5");
}
