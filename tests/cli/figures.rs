//! Figures of SPEC §2.4 on small fixtures whose expected values are computed by hand
//! (the working is in the comments).

use crate::common::{case, Fixture, REPORT};
use serde_json::{json, Value};

fn stats(f: &Fixture) -> Value {
    let out = f.run(&["stats", "报告.yaml", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("stats --json is JSON")
}

const SIX_CASES: &str = "\
- {编号: 建议第1号, 类别: 建议, 标题: 甲, 承办方式: 主办, 交办日期: 2024-01-31, 答复日期: 2024-04-30, 办理结果: A, 面商: 是, 满意度: 满意, 领域: 交通建设, 承办单位: 甲科}
- {编号: 建议第2号, 类别: 建议, 标题: 乙, 承办方式: 主办, 交办日期: 2024-01-31, 答复日期: 2024-05-01, 办理结果: B, 面商: 否, 满意度: 基本满意, 领域: 交通建设, 承办单位: 乙科}
- {编号: 建议第3号, 类别: 建议, 标题: 丙, 承办方式: 协办, 交办日期: 2024-02-01, 答复日期: 2024-03-01, 领域: 城市建设, 承办单位: 甲科}
- {编号: 提案第1号, 类别: 提案, 标题: 丁, 承办方式: 会办, 答复日期: 2024-06-01, 领域: 城市建设, 承办单位: 甲科}
- {编号: 提案第2号, 类别: 提案, 标题: 戊, 承办方式: 分办, 交办日期: 2024-03-01, 面商: 是, 领域: 教育}
- 编号: 议案第1号
  类别: 议案
  标题: 己
  承办方式: 独办
  交办日期: 2024-03-01
  答复日期: 2024-05-20
  办理结果: C
  面商: 是
  满意度: 不满意
  二次答复: {答复日期: 2024-07-01, 办理结果: A, 满意度: 满意}
  重点督办: 是
  领办领导: 分管副市长
  跨年度: 是
";

#[test]
fn six_cases_by_hand() {
    let report = format!("{REPORT}上年: {{总数: 5, 建议: 4, 提案: 2}}\n统计: {{调研: 3, 面商会: 2}}\n");
    let got = stats(&Fixture::report(&report, SIX_CASES));
    let want = json!({
        "total": 6,
        "by_kind": {
            // Results over each kind's lead cases, the final class counting (议案 C → A).
            "建议": {"total": 3, "主办": 2, "协办": 1,
                     "results": {"A": {"count": 1}, "B": {"count": 1}, "C": {"count": 0}, "D": {"count": 0}}},
            "议案": {"total": 1, "主办": 1, "协办": 0,
                     "results": {"A": {"count": 1}, "B": {"count": 0}, "C": {"count": 0}, "D": {"count": 0}}},
            "提案": {"total": 2, "主办": 1, "协办": 1,
                     "results": {"A": {"count": 0}, "B": {"count": 0}, "C": {"count": 0}, "D": {"count": 0}}}
        },
        // 分办 and 独办 count as 主办, 会办 as 协办.
        "by_role": {"主办": 4, "协办": 2},
        "by_level": null,
        // Answered: all but 提案第2号 → 5/6 = 83.33…
        "answered": 5, "answer_rate": 83.3,
        // Due dates with 3个月: 1-31 → 4-30 (on time on the last day), 建议第2号 answered 5-1 is late;
        // 2-1 → 5-1; 提案第1号 has no 交办日期 and counts as on time; 3-1 → 6-1.
        // 截止日期 defaults to 2024-12-31: 提案第2号 (due 6-1, unanswered) is overdue, none is
        // pending, so all 6 are due: 4/6 = 66.67.
        "on_time": 4, "on_time_rate": 66.7,
        "due": 6, "pending": 0, "overdue": 1, "late": 1,
        // 议案第1号 is carried over.
        "new": 5,
        "by_source": null, "by_system": null,
        "second_results": {"A": {"count": 1}, "B": {"count": 0}, "C": {"count": 0}, "D": {"count": 0}},
        // Lead: 建议1, 建议2, 提案2, 议案1; met: all but 建议2 → 3/4.
        "lead": 4, "consulted": 3, "consult_rate": 75.0,
        // Final classes: A, B, (none), A (the second answer replaces C) → 2:1 over 3:
        // A 66.6… with the larger remainder gets 66.7, B 33.3.
        "results": {
            "A": {"count": 2, "percent": 66.7},
            "B": {"count": 1, "percent": 33.3},
            "C": {"count": 0, "percent": 0.0},
            "D": {"count": 0, "percent": 0.0}
        },
        // Lead feedback: 满意, 基本满意, (未反馈), 满意 after the second answer.
        "satisfaction": {"feedback": 3, "满意": 2, "基本满意": 1, "不满意": 0,
                          "satisfied_rate": 66.7, "satisfied_or_basic_rate": 100.0},
        // 5 cases have 领域; 2:2:1, the tie keeps first appearance.
        "topics": [
            {"name": "交通建设", "count": 2, "percent": 40.0},
            {"name": "城市建设", "count": 2, "percent": 40.0},
            {"name": "教育", "count": 1, "percent": 20.0}
        ],
        "units": [
            {"name": "甲科", "total": 3, "主办": 1, "协办": 2, "answered": 3,
             "results": {"A": {"count": 1, "percent": 100.0}, "B": {"count": 0, "percent": 0.0},
                         "C": {"count": 0, "percent": 0.0}, "D": {"count": 0, "percent": 0.0}},
             "满意": 1},
            {"name": "乙科", "total": 1, "主办": 1, "协办": 0, "answered": 1,
             "results": {"A": {"count": 0, "percent": 0.0}, "B": {"count": 1, "percent": 100.0},
                         "C": {"count": 0, "percent": 0.0}, "D": {"count": 0, "percent": 0.0}},
             "满意": 0}
        ],
        "key_supervised": 1, "leader_led": 1, "carried_over": 1, "second_reply": 1,
        // This year's new cases against last year's: 5 vs 5 → 0; 建议 3 vs 4 → −25%; 提案 2 vs 2 → 0.
        "yoy": {"previous_total": 5, "growth_percent": 0.0,
                "by_kind": {"建议": {"previous": 4, "growth_percent": -25.0},
                            "提案": {"previous": 2, "growth_percent": 0.0}}},
        "counts": {"调研": 3, "面商会": 2}
    });
    assert_eq!(got, want, "\n got: {got:#}\nwant: {want:#}");
}

#[test]
fn json_keys_are_exactly_the_spec_keys_in_order() {
    let out = Fixture::report(REPORT, SIX_CASES).run(&["stats", "报告.yaml", "--json"]);
    let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(&out.stdout)
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "total",
            "by_kind",
            "by_role",
            "by_level",
            "answered",
            "answer_rate",
            "on_time",
            "on_time_rate",
            "due",
            "pending",
            "overdue",
            "late",
            "new",
            "by_source",
            "by_system",
            "second_results",
            "lead",
            "consulted",
            "consult_rate",
            "results",
            "satisfaction",
            "topics",
            "units",
            "key_supervised",
            "leader_led",
            "carried_over",
            "second_reply",
            "yoy",
            "counts"
        ]
    );
}

fn many(n: usize, answered: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let extra = if i < answered {
            "  答复日期: 2024-05-01\n"
        } else {
            ""
        };
        s.push_str(&case(&format!("建议第{i}号"), extra));
    }
    s
}

#[test]
fn rounding_edges() {
    // 999 of 1000 → 99.9; 2 of 3 → 66.7; 1 of 3 → 33.3.
    assert_eq!(
        stats(&Fixture::report(REPORT, &many(1000, 999)))["answer_rate"],
        json!(99.9)
    );
    assert_eq!(
        stats(&Fixture::report(REPORT, &many(3, 2)))["answer_rate"],
        json!(66.7)
    );
    assert_eq!(
        stats(&Fixture::report(REPORT, &many(3, 1)))["answer_rate"],
        json!(33.3)
    );
    // 1999 of 2000 = 99.95 would round to 100: a rate below 100% never shows 100.
    assert_eq!(
        stats(&Fixture::report(REPORT, &many(2000, 1999)))["answer_rate"],
        json!(99.9)
    );
    // 1 of 2000 = 0.05 would round to 0.1 anyway; a non-zero rate never shows 0.
    assert_eq!(
        stats(&Fixture::report(REPORT, &many(2000, 1)))["answer_rate"],
        json!(0.1)
    );
}

#[test]
fn zero_denominators_are_absent() {
    // No cases at all, and no lead cases: rates are null, not 0 and not NaN.
    let got = stats(&Fixture::report("单位: 甲\n年度: 2024\n", ""));
    assert_eq!(got["total"], json!(0));
    assert_eq!(got["answer_rate"], Value::Null);
    let assisting = "- {编号: 提案第1号, 类别: 提案, 标题: 甲, 承办方式: 协办, 答复日期: 2024-05-01}\n";
    let got = stats(&Fixture::report(REPORT, assisting));
    assert_eq!(got["answer_rate"], json!(100.0));
    assert_eq!(got["consult_rate"], Value::Null);
    assert_eq!(got["satisfaction"]["satisfied_rate"], Value::Null);
    assert_eq!(got["results"]["A"], json!({"count": 0, "percent": null}));
    assert_eq!(got["topics"], json!([]));
    assert_eq!(got["yoy"], Value::Null);
}

#[test]
fn three_class_partition_adds_to_100() {
    // 1:1:1 → 33.4 + 33.3 + 33.3 (the first of equal remainders takes the spare tenth).
    let cases: String = ["A", "B", "C"]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            case(
                &format!("建议第{i}号"),
                &format!("  办理结果: {r}\n  满意度: 满意\n"),
            )
        })
        .collect();
    let got = stats(&Fixture::report(&format!("{REPORT}分类方案: 三类\n"), &cases));
    assert_eq!(
        got["results"],
        json!({"A": {"count": 1, "percent": 33.4}, "B": {"count": 1, "percent": 33.3}, "C": {"count": 1, "percent": 33.3}})
    );
}

#[test]
fn custom_scheme_and_days_deadline() {
    let report = format!("{REPORT}分类方案: {{A: 已解决, B: 已列入计划}}\n办理时限: 30天\n");
    // 3-1 + 30 days = 3-31: answered 3-31 is on time, 4-1 late.
    let cases = format!(
        "{}{}",
        case(
            "建议第1号",
            "  交办日期: 2024-03-01\n  答复日期: 2024-03-31\n  办理结果: B\n"
        ),
        case(
            "建议第2号",
            "  交办日期: 2024-03-01\n  答复日期: 2024-04-01\n  办理结果: 已解决\n"
        )
    );
    let got = stats(&Fixture::report(&report, &cases));
    assert_eq!(got["on_time"], json!(1));
    assert_eq!(
        got["results"],
        json!({"A": {"count": 1, "percent": 50.0}, "B": {"count": 1, "percent": 50.0}})
    );
}

#[test]
fn levels_and_previous_report_by_path() {
    let f = Fixture::new();
    f.write(
        "2023/报告.yaml",
        "单位: 青山区人民政府\n年度: 2023\n案件:\n  - {编号: a, 类别: 建议, 标题: 甲, 承办方式: 主办, 级别: 市级}\n  - {编号: b, 类别: 提案, 标题: 乙, 承办方式: 主办, 级别: 区级}\n  - {编号: c, 类别: 提案, 标题: 丙, 承办方式: 协办, 级别: 区级}\n  - {编号: d, 类别: 提案, 标题: 丁, 承办方式: 协办, 级别: 区级, 跨年度: 是}\n",
    );
    f.write(
        "报告.yaml",
        "单位: 青山区人民政府\n年度: 2024\n上年: 2023\n案件: 案件.yaml\n",
    );
    f.write(
        "案件.yaml",
        "- {编号: a, 类别: 建议, 标题: 甲, 承办方式: 主办, 级别: 市级}\n- {编号: b, 类别: 建议, 标题: 乙, 承办方式: 协办, 级别: 市级}\n- {编号: c, 类别: 议案, 标题: 丙, 承办方式: 主办, 级别: 区级, 跨年度: 是}\n- {编号: e, 类别: 建议, 标题: 戊, 承办方式: 主办, 级别: 区级}\n",
    );
    let got = stats(&f);
    let no_results = json!({"A": {"count": 0}, "B": {"count": 0}, "C": {"count": 0}, "D": {"count": 0}});
    assert_eq!(
        got["by_level"],
        json!({
            "市级": {"total": 2, "by_kind": {"建议": {"total": 2, "主办": 1, "协办": 1, "results": no_results}}},
            "区级": {"total": 2, "by_kind": {
                "建议": {"total": 1, "主办": 1, "协办": 0, "results": no_results},
                "议案": {"total": 1, "主办": 1, "协办": 0, "results": no_results}}}
        })
    );
    // Both years compare their new cases (SPEC §2.4 yoy): last year 3 of 4 were new (d was
    // carried over): 建议 1, 提案 2, 市级 1, 区级 2. This year 3 of 4 (c carried over):
    // 建议 3, 议案 0, 市级 2, 区级 1.
    // 3 vs 3 → 0; 建议 3 vs 1 → +200%; 提案 0 vs 2 → −100%; 市级 2 vs 1 → +100%; 区级 1 vs 2 → −50%.
    assert_eq!(got["new"], json!(3));
    assert_eq!(
        got["yoy"],
        json!({
            "previous_total": 3, "growth_percent": 0.0,
            "by_kind": {"建议": {"previous": 1, "growth_percent": 200.0}, "提案": {"previous": 2, "growth_percent": -100.0}},
            "by_level": {"市级": {"previous": 1, "growth_percent": 100.0}, "区级": {"previous": 2, "growth_percent": -50.0}}
        })
    );
}

#[test]
fn previous_map_with_levels_and_zero() {
    let report = format!("{REPORT}上年: {{总数: 0, 区级: 207}}\n");
    let got = stats(&Fixture::report(&report, &case("建议第1号", "  级别: 区级\n")));
    assert_eq!(
        got["yoy"],
        json!({"previous_total": 0, "growth_percent": null, "by_level": {"区级": {"previous": 207, "growth_percent": -99.5}}})
    );
}

#[test]
fn the_published_slip_is_caught() {
    // A published 总结 said: 提案 7件, of which 主办1件、协办4件. With 核对, zongjie refuses it.
    let mut cases = String::new();
    for (i, role) in ["主办", "协办", "协办", "协办", "协办"].iter().enumerate() {
        cases.push_str(&format!(
            "- {{编号: 提案{i}, 类别: 提案, 标题: 题{i}, 承办方式: {role}}}\n"
        ));
    }
    let out = Fixture::report(&format!("{REPORT}核对: {{提案: 7}}\n"), &cases).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("核对不符：“提案”声明为7件，案件记录中实有5件"),
        "{}",
        out.stderr
    );
}

#[test]
fn unanswered_cases_are_pending_until_their_deadline_and_overdue_after() {
    // 截止日期 2024-12-20, 3个月: 11-26 → 2025-2-26 is still pending; 9-20 → 12-20 is due on
    // the day itself and overdue; 3-1 answered 6-3 (due 6-1) is late; 3-1 answered 5-1 on time.
    let report = format!("{REPORT}成文日期: 2024-12-25\n截止日期: 2024-12-20\n");
    let cases = [
        case("建议第1号", "  交办日期: 2024-11-26\n"),
        case("建议第2号", "  交办日期: 2024-09-20\n"),
        case("建议第3号", "  交办日期: 2024-03-01\n  答复日期: 2024-06-03\n"),
        case("建议第4号", "  交办日期: 2024-03-01\n  答复日期: 2024-05-01\n"),
    ]
    .concat();
    let got = stats(&Fixture::report(&report, &cases));
    assert_eq!(
        [
            &got["due"],
            &got["pending"],
            &got["overdue"],
            &got["late"],
            &got["on_time"]
        ],
        [&json!(3), &json!(1), &json!(1), &json!(1), &json!(1)]
    );
    // 按期办结率 over the due cases: 1/3, not 1/4.
    assert_eq!(got["on_time_rate"], json!(33.3));
    // Without 截止日期 the 成文日期 decides: 12-25 is still before 2025-2-26.
    let report = format!("{REPORT}成文日期: 2024-12-25\n");
    let got = stats(&Fixture::report(&report, &cases));
    assert_eq!(got["pending"], json!(1));
}

#[test]
fn sources_systems_and_joint_units() {
    let cases = "\
- {编号: 建议第1号, 类别: 建议, 标题: 甲, 承办方式: 主办, 来源: 大会期间, 承办系统: 政府, 承办单位: [市住建局, 市城管局], 办理结果: A}
- {编号: 建议第2号, 类别: 建议, 标题: 乙, 承办方式: 协办, 来源: 闭会期间, 承办系统: 政府, 承办单位: 市城管局}
- {编号: 建议第3号, 类别: 建议, 标题: 丙, 承办方式: 主办, 来源: 大会期间, 承办系统: 法院, 承办单位: 市中级法院, 办理结果: B}
";
    let got = stats(&Fixture::report(REPORT, cases));
    assert_eq!(
        got["by_source"],
        json!({"大会期间": {"total": 2}, "闭会期间": {"total": 1}})
    );
    assert_eq!(
        got["by_system"],
        json!({
            "政府": {"total": 2, "主办": 1, "协办": 1,
                     "results": {"A": {"count": 1}, "B": {"count": 0}, "C": {"count": 0}, "D": {"count": 0}}},
            "法院": {"total": 1, "主办": 1, "协办": 0,
                     "results": {"A": {"count": 0}, "B": {"count": 1}, "C": {"count": 0}, "D": {"count": 0}}}
        })
    );
    // The jointly handled case counts in both units' rows.
    let units: Vec<(String, u64)> = got["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_owned(),
                u["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("市住建局".to_owned(), 1),
            ("市城管局".to_owned(), 2),
            ("市中级法院".to_owned(), 1)
        ]
    );
}
