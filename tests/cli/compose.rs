//! Composing the 总结's text: the exact 基本情况 for small fixtures, numbering, the phrase
//! library, 自动 problems, and template errors.

use crate::common::{assert_diag, Fixture};

/// The lines of a section, from its level-1 heading to the next one.
fn section(text: &str, heading: &str) -> Vec<String> {
    let mut lines = text.lines().skip_while(|l| !l.ends_with(heading)).skip(1);
    let mut out = vec![];
    for l in lines.by_ref() {
        let t = l.trim_start_matches('\u{3000}');
        if ["二、", "三、", "四、", "五、"].iter().any(|n| t.starts_with(n)) || l.is_empty() {
            break;
        }
        out.push(t.to_owned());
    }
    out
}

const ALL_100: &str = "\
- {编号: 建议第1号, 类别: 建议, 标题: 关于优化公交线路的建议, 承办方式: 主办, 交办日期: 2024-03-01, 答复日期: 2024-05-01, 办理结果: A, 面商: 是, 满意度: 满意, 领域: 公共交通}
- {编号: 建议第2号, 类别: 建议, 标题: 关于增设停车泊位的建议, 承办方式: 主办, 交办日期: 2024-03-01, 答复日期: 2024-05-20, 办理结果: A, 面商: 是, 满意度: 满意, 领域: 停车管理}
- {编号: 提案第7号, 类别: 提案, 标题: 关于完善慢行系统的提案, 承办方式: 协办, 交办日期: 2024-03-01, 答复日期: 2024-04-10, 领域: 公共交通}
";

#[test]
fn basic_all_rates_100() {
    let f = Fixture::report("单位: 江城市交通运输局\n年度: 2024\n案件: 案件.yaml\n", ALL_100);
    assert_eq!(
        section(&f.built_txt(), "一、基本情况"),
        [
            "全年共承办建议提案3件，其中人大代表建议2件（均为主办件），政协委员提案1件（协办）。从内容看，代表委员最关心的问题是公共交通（2件），其次是停车管理（1件）。",
            "截至2024年12月31日，办复率、按期办结率、面商率、满意率均为100%。从办理结果看，2件主办件均为A类（所提问题已经解决或基本解决）。代表委员反馈意见的2件主办件均表示满意。",
        ]
    );
}

#[test]
fn basic_with_dissatisfaction_previous_year_and_problems() {
    let cases = "\
- {编号: 建议第1号, 类别: 建议, 标题: 甲, 承办方式: 主办, 交办日期: 2024-03-01, 答复日期: 2024-05-01, 办理结果: A, 面商: 是, 满意度: 满意}
- {编号: 建议第2号, 类别: 建议, 标题: 乙, 承办方式: 主办, 交办日期: 2024-03-01, 答复日期: 2024-07-01, 办理结果: B, 面商: 否, 满意度: 不满意}
- {编号: 建议第3号, 类别: 建议, 标题: 丙, 承办方式: 主办, 交办日期: 2024-03-01, 面商: 是}
- {编号: 建议第4号, 类别: 建议, 标题: 丁, 承办方式: 主办, 交办日期: 2024-03-01, 答复日期: 2024-04-01, 办理结果: A, 面商: 是, 满意度: 基本满意}
";
    let report = "单位: 江城市住房和城乡建设局\n年度: 2024\n案件: 案件.yaml\n上年: {总数: 5, 建议: 5}\n存在问题: [自动]\n";
    let text = Fixture::report(report, cases).built_txt();
    // 3 of 4 answered, 2 on time (建议第2号 after 3 months, 建议第3号 not at all), 3 of 4 met;
    // feedback 满意/不满意/基本满意; A:B = 2:1. Last year 5 → 4 is −20%; one kind, so once.
    assert_eq!(
        section(&text, "一、基本情况"),
        [
            "全年共承办人大代表建议4件（均为主办件），比上年减少1件，下降20%。",
            // Rates in the fixed order: 办复率 and 面商率 are equal but not neighbours, so not merged.
            // Results over 3 cases: counts, no shares; the 3 are the answered lead cases.
            "截至2024年12月31日，办复率为75%，按期办结率为50%，面商率为75%，满意率为33.3%，满意和基本满意率为66.7%。从办理结果看，在已答复的3件主办件中，所提问题已经解决或基本解决的（A类）2件；正在解决或列入规划逐步解决的（B类）1件。在代表反馈意见的3件主办件中，表示满意的1件、表示基本满意的1件、表示不满意的1件。",
        ]
    );
    assert_eq!(
        section(&text, "三、存在问题"),
        [
            "办理工作虽然取得了一定成效，但对照代表的期望和上级的要求，仍存在一些不足：",
            // The cases that make 按期办结率 50%: 2 of the 4 due, no cause invented. 基本满意 is
            // 1 of 3 feedback, over 10%: stated.
            "一是办理时效有待提高。截至2024年12月31日，应办结的4件代表建议中，超期答复1件、超期未答复1件（建议第3号），按期办结率为50%。",
            "二是办理质量仍有提升空间。在代表反馈意见的3件主办件中，对1件（建议第2号）的办理结果表示不满意、对1件表示基本满意。",
        ]
    );
}

#[test]
fn basic_three_class_scheme_with_ties() {
    let cases = "\
- {编号: 提案第1号, 类别: 提案, 标题: 甲, 承办方式: 主办, 答复日期: 2024-05-01, 办理结果: A, 满意度: 满意, 领域: 教育}
- {编号: 提案第2号, 类别: 提案, 标题: 乙, 承办方式: 主办, 答复日期: 2024-05-01, 办理结果: B, 满意度: 满意, 领域: 医疗}
- {编号: 提案第3号, 类别: 提案, 标题: 丙, 承办方式: 主办, 答复日期: 2024-05-01, 办理结果: C, 满意度: 满意, 领域: 养老}
- {编号: 提案第4号, 类别: 提案, 标题: 丁, 承办方式: 主办, 答复日期: 2024-05-01, 办理结果: A, 满意度: 满意, 领域: 教育}
";
    let f = Fixture::report(
        "单位: 江城市卫生健康委员会\n年度: 2024\n分类方案: 三类\n案件: 案件.yaml\n",
        cases,
    );
    // A 2, B 1, C 1 of 4: 50%, 25%, 25%; B and C tie and share one clause. No 面商 recorded:
    // no 面商率 clause.
    assert_eq!(
        section(&f.built_txt(), "一、基本情况"),
        [
            "全年共承办政协委员提案4件（均为主办件）。从内容看，委员最关心的问题是教育（2件），其次是医疗和养老（各1件），共涉及3个方面。",
            // Four results: a base under 5 gets counts, not shares.
            "截至2024年12月31日，办复率、按期办结率、满意率均为100%。从办理结果看，在4件主办件中，解决采纳的2件；计划解决和留作参考的各1件。委员反馈意见的4件主办件均表示满意。",
        ]
    );
}

#[test]
fn basic_with_levels_and_previous_year() {
    let cases = "\
- {编号: 市建议1, 类别: 建议, 标题: 甲, 承办方式: 主办, 级别: 市级, 答复日期: 2024-05-01}
- {编号: 市提案1, 类别: 提案, 标题: 乙, 承办方式: 协办, 级别: 市级, 答复日期: 2024-05-01}
- {编号: 区议案1, 类别: 议案, 标题: 丙, 承办方式: 主办, 级别: 区级, 答复日期: 2024-05-01}
";
    let f = Fixture::report(
        "单位: 青山区人民政府\n年度: 2024\n案件: 案件.yaml\n上年: {总数: 2, 市级: 2, 区级: 0}\n",
        cases,
    );
    assert_eq!(
        section(&f.built_txt(), "一、基本情况"),
        [
            "全年共承办市、区两级议案、建议、提案3件，比上年增加1件，增长50%。其中市级2件（人大代表建议1件、政协委员提案1件），与上年持平；区级1件（人大代表议案1件），比上年增加1件。按承办方式分，主办2件、协办1件。",
            "截至2024年12月31日，办复率、按期办结率均为100%。",
        ]
    );
}

#[test]
fn case_list_option() {
    let f = Fixture::report(
        "单位: 江城市交通运输局\n年度: 2024\n案件: 案件.yaml\n列出案件: 是\n",
        ALL_100,
    );
    assert!(
        f.built_txt().contains("主办建议2件：《关于优化公交线路的建议》（建议第1号）、《关于增设停车泊位的建议》（建议第2号）；协办提案1件：《关于完善慢行系统的提案》（提案第7号）。"),
    );
}

#[test]
fn items_are_numbered_by_position() {
    let report = |items: &str| format!("单位: 甲局\n年度: 2024\n案件: 案件.yaml\n主要做法:\n{items}");
    let a = "  - {标题: 压实责任, 内容: 甲。}\n";
    let b = "  - {标题: 深入调研。, 内容: 乙。}\n";
    let c = "  - {标题: 强化督办, 内容: 丙。}\n";
    let practices = |items: &str| {
        section(
            &Fixture::report(&report(items), ALL_100).built_txt(),
            "二、主要做法",
        )
    };
    assert_eq!(
        practices(&format!("{a}{b}{c}")),
        [
            "（一）压实责任。甲。",
            "（二）深入调研。乙。",
            "（三）强化督办。丙。"
        ]
    );
    assert_eq!(
        practices(&format!("{a}{c}")),
        ["（一）压实责任。甲。", "（二）强化督办。丙。"]
    );
    assert_eq!(
        practices(&format!("{c}{a}")),
        ["（一）强化督办。丙。", "（二）压实责任。甲。"]
    );
}

#[test]
fn names_in_yaml_text_are_resolved_or_reported_at_their_line() {
    let report = "单位: 甲局\n年度: 2024\n案件: 案件.yaml\n统计: {调研: 6}\n主要做法:\n  - 标题: 深入调研\n    内容: 先后{{ 统计.调研 }}次调研，办复率达{{ 办复率 }}。\n";
    let text = Fixture::report(report, ALL_100).built_txt();
    assert!(
        // One item alone is not numbered （一）.
        text.contains("　　深入调研。先后6次调研，办复率达100%。"),
        "{text}"
    );

    let report = "单位: 甲局\n年度: 2024\n案件: 案件.yaml\n主要做法:\n  - 先后{{ 统计.调研 }}次调研\n  - 办复率{{ 办付率 }}\n";
    let f = Fixture::report(report, ALL_100);
    let out = f.run(&["build", "报告.yaml", "-f", "txt", "-o", "out"]);
    assert_eq!(out.code, 1);
    assert_diag(
        &out.stderr,
        "主要做法引用了未知的名称“统计.调研”",
        "报告.yaml:5:5",
    );
    assert_diag(&out.stderr, "主要做法引用了未知的名称“办付率”", "报告.yaml:6:5");
    assert!(out.stderr.contains("是否应为“办复率”？"), "{}", out.stderr);
    assert!(!f.path("out").exists(), "nothing is written when composing fails");
}

#[test]
fn phrase_library_items() {
    let report = "单位: 甲局\n年度: 2024\n案件: 案件.yaml\n统计: {调研: 4, 党组会议: 2, 面商会: 3, 督办检查: 2}\n主要做法:\n  - 常用: 深入调查研究\n";
    let text = Fixture::report(report, ALL_100).built_txt();
    let practices = section(&text, "二、主要做法");
    assert_eq!(practices.len(), 1, "{text}");
    assert!(
        practices[0].starts_with("深入调查研究。") && practices[0].contains('4'),
        "{text}"
    );

    let report =
        "单位: 甲局\n年度: 2024\n案件: 案件.yaml\n主要做法:\n  - 常用: 深入调查研究\n  - 常用: 深入调研究\n";
    let out = Fixture::report(report, ALL_100).run(&["build", "报告.yaml", "-f", "txt"]);
    assert_eq!(out.code, 1);
    // The phrase needs 统计.调研, which this report does not give: the report's line is shown.
    assert_diag(
        &out.stderr,
        "常用语“深入调查研究”引用了未知的名称“统计.调研”",
        "报告.yaml:5:9",
    );
    assert_diag(
        &out.stderr,
        "模板“建议提案办理”中没有常用语“深入调研究”",
        "报告.yaml:6:9",
    );
}

#[test]
fn template_syntax_error_names_file_and_line() {
    let f = Fixture::report(
        "单位: 甲局\n年度: 2024\n案件: 案件.yaml\n模板: 我的模板\n",
        ALL_100,
    );
    f.write("我的模板/模板.yaml", "名称: 我的模板\n标题: \"{{ unit }}总结\"\n");
    f.write(
        "我的模板/正文.tera",
        "# 基本情况\n{{ basic.overview }}\n{% if basic.topics %}\n{{ basic.topics }\n",
    );
    let out = f.run(&["build", "报告.yaml", "-f", "txt"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("模板“我的模板/正文.tera”有错"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("我的模板/正文.tera:4:"), "{}", out.stderr);
}

#[test]
fn template_undefined_variable_names_file_and_line() {
    let f = Fixture::report(
        "单位: 甲局\n年度: 2024\n案件: 案件.yaml\n模板: 我的模板\n",
        ALL_100,
    );
    f.write("我的模板/模板.yaml", "名称: 我的模板\n标题: \"{{ unit }}总结\"\n");
    f.write(
        "我的模板/正文.tera",
        "# 基本情况\n{{ basic.overview }}\n办复率为{{ f.answer_rte }}。\n",
    );
    let out = f.run(&["build", "报告.yaml", "-f", "txt"]);
    assert_eq!(out.code, 1);
    assert_diag(
        &out.stderr,
        "引用了不存在的变量“answer_rte”",
        "我的模板/正文.tera:3:",
    );
    assert!(out.stderr.contains("是否应为“answer_rate”？"), "{}", out.stderr);
}

#[test]
fn custom_template_renders_markup() {
    let f = Fixture::report(
        "单位: 甲局\n年度: 2024\n成文日期: 2024-12-05\n案件: 案件.yaml\n模板: 我的模板\n",
        ALL_100,
    );
    f.write(
        "我的模板/模板.yaml",
        "名称: 我的模板\n标题: \"{{ unit }}{{ year }}年\\n工作总结\"\n",
    );
    f.write("我的模板/正文.tera", "# 概况\n共{{ f.total }}件，办复率{{ f.answer_rate | pct }}。\n## 要点\n### 细目。正文\n### 细目二。正文\n@分页\n#### 小项\n#### 小项二\n## 单独一项\n");
    let text = f.built_txt();
    assert!(text.starts_with("甲局2024年\n工作总结\n\n　　一、概况\n　　共3件，办复率100%。\n　　（一）要点\n　　1.细目。正文\n　　2.细目二。正文\n\n　　（1）小项\n　　（2）小项二\n　　（二）单独一项\n"), "{text}");
    // The date (6½ characters) would overrun if it started two characters right of a 署名
    // ending two characters from the right edge: the date is set 右空二字 (from column 19½) and
    // the 署名 moves left to start two characters before it (GB/T 9704 §7.3.5.2).
    let tail = format!(
        "{} 甲局\n{} 2024年12月5日\n",
        "\u{3000}".repeat(17),
        "\u{3000}".repeat(19)
    );
    assert!(text.ends_with(&tail), "{text:?}");
}

#[test]
fn markdown_output() {
    let f = Fixture::report(
        "单位: 江城市交通运输局\n年度: 2024\n案件: 案件.yaml\n附表: 是\n",
        ALL_100,
    );
    let out = f.run(&["build", "报告.yaml", "-f", "md", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = std::fs::read_to_string(f.path("out/江城市交通运输局2024年建议提案办理工作总结.md")).unwrap();
    assert!(
        md.starts_with("# 江城市交通运输局2024年建议提案办理工作总结\n\n"),
        "{md}"
    );
    assert!(md.contains("\n## 一、基本情况\n"), "{md}");
    assert!(md.contains("| 已办复 | 3 | 100% |"), "{md}");
    assert!(md.contains("**附件**"), "{md}");
}
