//! The text rules of SPEC §2.5, one small fixture each with the exact sentence expected: true
//! as of 截止日期, one subset one count, rates in order, small bases, ties, counts that agree
//! with their frame, the 人大 view, 自动 problems without names or causes, opening, closing
//! and nesting.

use crate::common::Fixture;

/// The .txt of a build.
fn txt(report: &str, cases: &str) -> String {
    Fixture::report(report, cases).built_txt()
}

/// The paragraphs of the text, without the indent.
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_start_matches('\u{3000}').to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

fn has(text: &str, paragraph: &str) {
    assert!(
        paragraphs(text).iter().any(|p| p == paragraph),
        "no paragraph “{paragraph}” in:\n{text}"
    );
}

fn case(id: &str, extra: &str) -> String {
    format!("- {{编号: {id}, 类别: 建议, 标题: 关于{id}的建议, 承办方式: 主办{extra}}}\n")
}

const REPORT: &str =
    "单位: 江城市民政局\n年度: 2024\n成文日期: 2024-12-25\n截止日期: 2024-12-20\n案件: 案件.yaml\n";

#[test]
fn a_case_within_its_deadline_is_pending_not_a_problem() {
    // 11-26 + 3个月 is after 12-20: pending. 3-01 + 3个月 passed: overdue. 6 answered on time.
    let mut cases =
        case("建议第1号", ", 交办日期: 2024-11-26") + &case("建议第2号", ", 交办日期: 2024-03-01");
    for i in 3..9 {
        cases += &case(
            &format!("建议第{i}号"),
            ", 交办日期: 2024-03-01, 答复日期: 2024-04-01",
        );
    }
    let text = txt(&format!("{REPORT}存在问题: [自动]\n"), &cases);
    // 按期办结率 over the 7 due: 6/7 = 85.7%; the pending case is said apart, as not late.
    has(
        &text,
        "截至2024年12月20日，办复率为75%，按期办结率为85.7%。另有1件尚在办理期限内，正在抓紧办理。",
    );
    // The problem names the overdue case only, with the counts that make the rate.
    has(
        &text,
        "办理时效有待提高。截至2024年12月20日，应办结的7件代表建议中，超期未答复1件（建议第2号），按期办结率为85.7%。",
    );
    assert!(!text.contains("建议第1号"), "{text}");
}

#[test]
fn one_subset_keeps_one_count_and_one_name() {
    // 6 lead cases, 5 answered with a result: results are over “已答复的5件主办件”, never
    // “6件主办件” in one sentence and 5 in the next.
    let mut cases = case("建议第1号", ", 交办日期: 2024-11-26");
    for (i, r) in ["A", "A", "A", "B", "C"].iter().enumerate() {
        cases += &case(
            &format!("建议第{}号", i + 2),
            &format!(", 答复日期: 2024-05-01, 办理结果: {r}"),
        );
    }
    let text = txt(REPORT, &cases);
    has(
        &text,
        "截至2024年12月20日，办复率为83.3%，按期办结率为100%。另有1件尚在办理期限内，正在抓紧办理。从办理结果看，在已答复的5件主办件中，所提问题已经解决或基本解决的（A类）3件，占60%；正在解决或列入规划逐步解决（B类）和因目前条件限制或其他原因需待以后解决（C类）的各1件，各占20%。",
    );
}

#[test]
fn rates_keep_their_order_and_only_neighbours_merge() {
    // 办复率 100, 按期办结率 80, 面商率 100: equal but not neighbours, so three clauses.
    let mut cases = String::new();
    for i in 1..=5 {
        let answered = if i == 5 { "2024-09-01" } else { "2024-04-01" };
        cases += &case(
            &format!("建议第{i}号"),
            &format!(", 交办日期: 2024-03-01, 答复日期: {answered}, 面商: 是"),
        );
    }
    let text = txt(REPORT, &cases);
    has(
        &text,
        "截至2024年12月20日，办复率为100%，按期办结率为80%，面商率为100%。",
    );
    // 办复率 and 按期办结率 are neighbours: merged.
    let cases = cases.replace("2024-09-01", "2024-04-01");
    has(
        &txt(REPORT, &cases),
        "截至2024年12月20日，办复率、按期办结率、面商率均为100%。",
    );
}

#[test]
fn a_small_base_gets_counts_not_shares() {
    let cases = case("建议第1号", ", 答复日期: 2024-05-01, 办理结果: B")
        + &case("建议第2号", ", 答复日期: 2024-05-01, 办理结果: C")
        + &case("建议第3号", ", 答复日期: 2024-05-01, 办理结果: C");
    let text = txt(REPORT, &cases);
    assert!(
        text.contains("从办理结果看，在3件主办件中，因目前条件限制或其他原因需待以后解决的（C类）2件；正在解决或列入规划逐步解决的（B类）1件。")
            || text.contains("从办理结果看，在3件主办件中，正在解决或列入规划逐步解决的（B类）1件；因目前条件限制或其他原因需待以后解决的（C类）2件。"),
        "{text}"
    );
    assert!(!text.contains("占"), "no share over 3 cases: {text}");
}

#[test]
fn ties_name_every_unit_of_a_place_and_one_case_is_never_many() {
    let mut cases = String::new();
    let units = [("甲科", 4), ("乙科", 2), ("丙科", 2), ("丁科", 1)];
    let mut n = 0;
    for (u, k) in units {
        for _ in 0..k {
            n += 1;
            cases += &case(&format!("建议第{n}号"), &format!(", 承办单位: {u}"));
        }
    }
    let text = txt(REPORT, &cases);
    assert!(
        text.contains(
            "以上代表建议分别交由4个承办科室办理，承办件数较多的是甲科（4件）和乙科、丙科（各2件）。"
        ),
        "{text}"
    );
    // All with one case each: none handled many.
    let cases = case("建议第1号", ", 承办单位: 甲科") + &case("建议第2号", ", 承办单位: 乙科");
    assert!(
        txt(REPORT, &cases).contains("以上代表建议分别交由2个承办科室办理。"),
        "no unit named"
    );
}

#[test]
fn topics_lead_tie_or_are_one() {
    let topic = |id: &str, t: &str| case(id, &format!(", 领域: {t}"));
    let one = topic("建议第1号", "养老服务") + &topic("建议第2号", "养老服务");
    assert!(txt(REPORT, &one).contains("从内容看，均涉及养老服务。"));
    let tie = topic("建议第1号", "养老服务")
        + &topic("建议第2号", "养老服务")
        + &topic("建议第3号", "社会救助")
        + &topic("建议第4号", "社会救助");
    let text = txt(REPORT, &tie);
    assert!(
        text.contains("从内容看，代表关注的问题集中在养老服务和社会救助（各2件）。"),
        "no “最关心” when two lead together: {text}"
    );
}

#[test]
fn one_item_is_not_numbered_and_has_no_yi_shi() {
    let report = format!(
        "{REPORT}主要做法:\n  - {{标题: 压实责任, 内容: 逐件落实。}}\n存在问题:\n  - 个别答复针对性不强。\n"
    );
    let text = txt(&report, &case("建议第1号", ""));
    has(&text, "压实责任。逐件落实。");
    has(&text, "个别答复针对性不强。");
    assert!(!text.contains("（一）") && !text.contains("一是"), "{text}");
    assert!(!text.contains("以下几个方面"), "{text}");
}

#[test]
fn kinds_and_proposers_are_named_as_present() {
    let text = txt(REPORT, &case("建议第1号", ""));
    assert!(
        text.starts_with("江城市民政局2024年代表建议办理工作总结"),
        "{text}"
    );
    assert!(!text.contains("委员"), "{text}");
    let cases = "- {编号: 议案第1号, 类别: 议案, 标题: 甲, 承办方式: 主办}\n- {编号: 提案第1号, 类别: 提案, 标题: 乙, 承办方式: 主办}\n";
    let text = txt(REPORT, cases);
    assert!(
        text.starts_with("江城市民政局2024年议案、提案办理工作总结"),
        "{text}"
    );
    assert!(text.contains("代表委员"), "{text}");
}

#[test]
fn the_npc_view_counts_new_suggestions_by_source_and_carried_ones_apart() {
    let report = "单位: 江城市人大常委会\n年度: 2024\n成文日期: 2024-12-25\n模板: 代表建议督办\n分类方案: 三类\n案件: 案件.yaml\n上年: {总数: 2}\n";
    let c = |id: &str, extra: &str| {
        format!(
            "- {{编号: {id}, 类别: 建议, 标题: 关于{id}的建议, 承办方式: 主办, 承办单位: 市教育局{extra}}}\n"
        )
    };
    let cases = c("建议第1号", ", 来源: 大会期间, 承办系统: 政府")
        + &c("建议第2号", ", 来源: 大会期间, 承办系统: 政府")
        + &c("建议第3号", ", 来源: 闭会期间, 承办系统: 法院")
        + &c("建议第4号", ", 来源: 上年大会期间, 跨年度: 是, 承办系统: 政府");
    let text = txt(report, &cases);
    // 3 new against 2 last year: +50%; the carried-over case apart; no 主办/协办.
    assert!(
        text.contains("全年共交办代表建议3件（大会期间2件、闭会期间1件），比上年增加1件，增长50%。另有上年滚动办理1件。按承办系统分，政府系统3件、法院系统1件。"),
        "{text}"
    );
    assert!(!text.contains("主办1") && !text.contains("协办"), "{text}");
}

#[test]
fn automatic_problems_name_no_unit_and_invent_no_cause() {
    // 6 lead cases of one unit, unanswered and overdue, 1 met: 面商率 16.7%.
    let mut cases = String::new();
    for i in 1..=6 {
        let met = if i == 1 { "是" } else { "否" };
        cases += &case(&format!("建议第{i}号"), &format!(", 承办单位: 甲科, 面商: {met}"));
    }
    let report = format!("{REPORT}存在问题: [自动]\n");
    let text = txt(&report, &cases);
    has(
        &text,
        "二是与代表当面沟通还不够充分。6件主办件中面商1件，面商率为16.7%。",
    );
    assert!(!text.contains("甲科面商率"), "{text}");
    for cause in ["前松后紧", "资金", "政策"] {
        assert!(!text.contains(cause), "{cause}: {text}");
    }
    // With 点名单位 a unit of at least 5 cases is named.
    let text = txt(&format!("{report}点名单位: 是\n"), &cases);
    has(
        &text,
        "二是与代表当面沟通还不够充分。甲科面商率为16.7%（6件主办件中面商1件）。",
    );
}

#[test]
fn an_opening_of_the_report_replaces_the_default_and_a_closing_ends_it() {
    let report = format!(
        "{REPORT}导语: 今年我局共承办代表建议1件。现将有关情况总结如下：\n结束语: 我们将继续努力。\n"
    );
    let text = txt(&report, &case("建议第1号", ""));
    let ps = paragraphs(&text);
    assert_eq!(ps[1], "今年我局共承办代表建议1件。现将有关情况总结如下：");
    assert!(
        !text.contains("坚持把办理"),
        "the default opening is gone: {text}"
    );
    assert_eq!(ps[ps.len() - 3], "我们将继续努力。");
    // 结束语: 无 — no closing paragraph; the default one otherwise.
    let text = txt(&format!("{REPORT}结束语: 无\n"), &case("建议第1号", ""));
    let ps = paragraphs(&text);
    assert!(ps[ps.len() - 3].starts_with("下一步"), "{text}");
    let text = txt(REPORT, &case("建议第1号", ""));
    assert!(
        text.contains("我们将以更加务实的作风做好代表建议办理工作"),
        "{text}"
    );
}

#[test]
fn nested_items_are_numbered_one_and_paren_one() {
    let report = format!(
        "{REPORT}主要做法:\n  - 标题: 开展监督\n    内容:\n      - 综合运用多种方式。\n      - 标题: 组织视察\n        内容: 视察4次。\n      - 标题: 执法检查\n        内容:\n          - 检查2次。\n          - {{标题: 安全生产, 内容: 查隐患。}}\n          - {{标题: 食品安全, 内容: 查抽检。}}\n  - {{标题: 代表工作, 内容: 建好联络站。}}\n"
    );
    let text = txt(&report, &case("建议第1号", ""));
    let ps = paragraphs(&text);
    let start = ps.iter().position(|p| p == "二、主要做法").unwrap();
    assert_eq!(
        ps[start + 1..start + 8],
        [
            "（一）开展监督。综合运用多种方式。",
            "1.组织视察。视察4次。",
            "2.执法检查。检查2次。",
            "（1）安全生产。查隐患。",
            "（2）食品安全。查抽检。",
            "（二）代表工作。建好联络站。",
            "三、存在问题",
        ]
    );
}

#[test]
fn the_parts_of_a_compilation_open_differently() {
    let f = Fixture::new();
    for (dir, unit) in [("a", "甲局"), ("b", "乙局"), ("c", "丙局")] {
        f.write(
            &format!("{dir}/报告.yaml"),
            &format!("单位: {unit}\n年度: 2024\n案件: 案件.yaml\n"),
        );
        f.write(
            &format!("{dir}/案件.yaml"),
            &case("建议第1号", ", 答复日期: 2024-05-01, 办理结果: A, 面商: 是"),
        );
    }
    f.write("汇编.yaml", "标题: 2024年总结汇编\n篇目: [a, b, c]\n");
    let out = f.run(&["build", "汇编.yaml", "-f", "txt", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(f.output("out")).unwrap();
    let openings: Vec<String> = paragraphs(&text)
        .into_iter()
        .filter(|p| p.ends_with("总结如下："))
        .map(|p| {
            p.replacen("甲局", "X", 1)
                .replacen("乙局", "X", 1)
                .replacen("丙局", "X", 1)
        })
        .collect();
    assert_eq!(openings.len(), 3, "{text}");
    assert!(
        openings[0] != openings[1] && openings[1] != openings[2] && openings[0] != openings[2],
        "{openings:#?}"
    );
}

#[test]
fn earlier_years_make_a_series() {
    let report = format!("{REPORT}上年: {{总数: 2}}\n历年: {{2022: {{总数: 1}}}}\n");
    let cases = case("建议第1号", "") + &case("建议第2号", "") + &case("建议第3号", "");
    let text = txt(&report, &cases);
    assert!(
        text.contains("全年共承办人大代表建议3件（均为主办件），比上年增加1件，增长50%。2022年至2024年，承办件数分别为1件、2件、3件，2023年增长100%，2024年增长50%。"),
        "{text}"
    );
}

#[test]
fn a_chain_of_last_years_reports_makes_the_series_too() {
    let f = Fixture::new();
    let one = |y: i32, n: usize, prev: &str| {
        let cases: String = (1..=n).map(|i| case(&format!("建议第{i}号"), "")).collect();
        (
            format!("单位: 江城市民政局\n年度: {y}\n案件: 案件.yaml\n{prev}"),
            cases,
        )
    };
    for (dir, y, n, prev) in [
        ("2022", 2022, 2, ""),
        ("2023", 2023, 3, "上年: ../2022\n"),
        ("2024", 2024, 6, "上年: ../2023\n"),
    ] {
        let (r, c) = one(y, n, prev);
        f.write(&format!("{dir}/报告.yaml"), &r);
        f.write(&format!("{dir}/案件.yaml"), &c);
    }
    let out = f.run(&["build", "2024", "-f", "txt", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(f.output("out")).unwrap();
    assert!(
        text.contains("2022年至2024年，承办件数分别为2件、3件、6件，2023年增长50%，2024年增长100%。"),
        "{text}"
    );
}

#[test]
fn a_chain_of_reports_that_loops_stops_and_warns_once() {
    let f = Fixture::new();
    f.write(
        "a/报告.yaml",
        "单位: 甲局\n年度: 2024\n案件: 案件.yaml\n上年: ../b\n",
    );
    f.write(
        "b/报告.yaml",
        "单位: 甲局\n年度: 2023\n案件: 案件.yaml\n上年: ../a\n",
    );
    f.write("a/案件.yaml", &case("建议第1号", ""));
    f.write("b/案件.yaml", &case("建议第1号", ""));
    let out = f.run(&["build", "a", "-f", "txt", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("上年报告的年度是2024年，不是2022年").count(),
        1,
        "{}",
        out.stderr
    );
    let text = std::fs::read_to_string(f.output("out")).unwrap();
    assert!(!text.contains("2022年至"), "no series from a loop: {text}");
}
