//! The sentences of 基本情况, written from the figures the way a seasoned 文秘 writes them:
//! no zero clauses, equal rates merged, every figure stated once. Templates arrange these
//! sentences; they never have to reason about zeros or rounding themselves.

pub use super::words::{collective, join_and, kind_long, proposers, unit_term};
use crate::figures::round::{growth, Percent};
use crate::figures::{Figures, KindCount};
use crate::model::{Case, Kind, Report};
use serde::Serialize;

fn roles(c: &KindCount) -> String {
    match (c.lead, c.assist) {
        (1, 0) => "主办".into(),
        (0, 1) => "协办".into(),
        (_, 0) => "均为主办件".into(),
        (0, _) => "均为协办件".into(),
        (l, a) => format!("主办{l}件、协办{a}件"),
    }
}

/// Kinds in the order the genre names them: 议案 before 建议, then 提案.
fn kinds_clause(by_kind: &indexmap::IndexMap<Kind, KindCount>, with_roles: bool) -> Vec<String> {
    [Kind::议案, Kind::建议, Kind::提案]
        .iter()
        .filter_map(|k| by_kind.get_key_value(k))
        .map(|(&k, c)| match with_roles {
            true => format!("{}{}件（{}）", kind_long(k), c.total, roles(c)),
            false => format!("{}{}件", kind_long(k), c.total),
        })
        .collect()
}

fn change(cur: u64, prev: u64, g: Option<Percent>) -> String {
    match (cur.cmp(&prev), g) {
        (std::cmp::Ordering::Equal, _) => "与上年持平".into(),
        (std::cmp::Ordering::Greater, Some(p)) => format!("比上年增加{}件，增长{p}%", cur - prev),
        (std::cmp::Ordering::Greater, None) => format!("比上年增加{}件", cur - prev),
        (std::cmp::Ordering::Less, Some(p)) => format!("比上年减少{}件，下降{}%", prev - cur, Percent(-p.0)),
        (std::cmp::Ordering::Less, None) => format!("比上年减少{}件", prev - cur),
    }
}

/// The opening of 基本情况: how many, of which kinds and roles, by level, and the change
/// from last year, which compares this year's new cases with last year's (SPEC §2.4 yoy).
pub fn overview(figs: &Figures) -> String {
    let what = collective(figs);
    if figs.total == 0 {
        return format!("全年没有承办{what}。");
    }
    let mut s = "全年共承办".to_owned();
    match &figs.by_level {
        Some(levels) if levels.len() > 1 => {
            let names: Vec<&str> = levels.keys().map(|l| l.trim_end_matches('级')).collect();
            let count = if levels.len() == 2 {
                "两".to_owned()
            } else {
                crate::document::chinese_number(levels.len())
            };
            s.push_str(&format!("{}{count}级{what}{}件", names.join("、"), figs.total));
            s.push_str(&yoy_total(figs));
            let parts: Vec<String> = levels
                .iter()
                .map(|(l, c)| {
                    let mut p = format!(
                        "{l}{}件（{}）",
                        c.total,
                        kinds_clause(&c.by_kind, false).join("、")
                    );
                    if let Some(g) = figs.yoy.as_ref().and_then(|y| y.by_level.get(l)) {
                        let new = if figs.carried_over > 0 {
                            "新交办件数"
                        } else {
                            ""
                        };
                        p.push_str(&format!(
                            "，{new}{}",
                            change(g.current, g.previous, g.growth_percent)
                        ));
                    }
                    p
                })
                .collect();
            s.push_str(&format!("。其中{}。", parts.join("；")));
            s.push_str(&match (figs.by_role.lead, figs.by_role.assist) {
                (_, 0) => "以上均为主办件。".to_owned(),
                (0, _) => "以上均为协办件。".to_owned(),
                (l, a) => format!("按承办方式分，主办{l}件、协办{a}件。"),
            });
        }
        _ => {
            let kinds = kinds_clause(&figs.by_kind, true);
            if kinds.len() == 1 {
                s.push_str(&kinds[0]);
            } else {
                s.push_str(&format!("{what}{}件，其中{}", figs.total, kinds.join("，")));
            }
            s.push_str(&yoy_total(figs));
            s.push('。');
        }
    }
    s
}

/// `，比上年增加30件，增长25%`: the change of this year's new cases; with cases carried over
/// the sentence says so, since the total is not what is compared.
fn yoy_total(figs: &Figures) -> String {
    let Some(y) = &figs.yoy else { return String::new() };
    let Some(prev) = y.previous_total else {
        return String::new();
    };
    let mut s = if figs.carried_over > 0 {
        format!(
            "，其中本年新交办{}件、跨年度滚动办理{}件，新交办件数{}",
            figs.new,
            figs.carried_over,
            change(figs.new, prev, y.growth_percent.flatten())
        )
    } else {
        format!("，{}", change(figs.new, prev, y.growth_percent.flatten()))
    };
    let kinds: Vec<String> = y
        .by_kind
        .iter()
        .map(|(&k, g)| {
            format!(
                "{}{}",
                kind_long(k),
                change(g.current, g.previous, g.growth_percent)
            )
        })
        .collect();
    // With one kind, its change is the total's: saying it again would repeat the figures.
    if !kinds.is_empty() && figs.by_kind.len() > 1 {
        s.push_str(&format!("（{}）", kinds.join("，")));
    }
    s
}

/// The 人大常委会's view (SPEC §2.5): this year's new suggestions by 来源, no 主办/协办 (a
/// 人大 hands cases over, it does not handle them), carried-over ones apart.
pub fn received(report: &Report, figs: &Figures) -> String {
    let what = collective(figs);
    if figs.total == 0 {
        return format!("全年没有收到{what}。");
    }
    let mut sources: Vec<(String, u64)> = Vec::new();
    for c in report.cases.iter().filter(|c| !c.carried_over) {
        if let Some(src) = &c.source {
            match sources.iter_mut().find(|(n, _)| n == src) {
                Some((_, k)) => *k += 1,
                None => sources.push((src.clone(), 1)),
            }
        }
    }
    let mut s = format!("全年共交办{what}{}件", figs.new);
    let all_have_source = sources.iter().map(|(_, n)| n).sum::<u64>() == figs.new;
    if sources.len() > 1 && all_have_source {
        let parts: Vec<String> = sources.iter().map(|(n, k)| format!("{n}{k}件")).collect();
        s.push_str(&format!("（{}）", parts.join("、")));
    } else if let [(only, _)] = sources.as_slice() {
        if all_have_source {
            s.push_str(&format!("，均为{only}提出"));
        }
    }
    if let Some(y) = &figs.yoy {
        if let Some(prev) = y.previous_total {
            s.push_str(&format!(
                "，{}",
                change(figs.new, prev, y.growth_percent.flatten())
            ));
        }
    }
    s.push('。');
    if figs.carried_over > 0 {
        s.push_str(&format!("另有上年滚动办理{}件。", figs.carried_over));
    }
    s
}

/// 代表委员最关心的问题是…，其次是…: groups of equal counts, so ties read as ties; every item
/// tied for a place is named, up to three, then `等N个`.
pub fn topics(figs: &Figures) -> Option<String> {
    let mut groups: Vec<(u64, Vec<String>)> = Vec::new();
    for t in &figs.topics {
        match groups.last_mut() {
            Some((n, names)) if *n == t.count => names.push(t.name.clone()),
            _ => groups.push((t.count, vec![t.name.clone()])),
        }
    }
    let (first, rest) = groups.split_first()?;
    let who = proposers(figs);
    if figs.topics.len() == 1 {
        return Some(format!("从内容看，均涉及{}。", figs.topics[0].name));
    }
    if first.0 == 1 {
        // Every topic has one case: nothing stands out, so only the range is stated.
        let names: Vec<String> = figs.topics.iter().take(3).map(|t| t.name.clone()).collect();
        let more = if figs.topics.len() > 3 { "等" } else { "" };
        return Some(format!(
            "从内容看，涉及{}{more}{}个方面。",
            join_and(&names),
            figs.topics.len()
        ));
    }
    let named = |names: &[String]| match names.len() {
        1..=3 => join_and(names),
        n => format!("{}等{n}个方面", names[..3].join("、")),
    };
    let count = |(n, names): &(u64, Vec<String>)| match names.len() {
        1 => format!("{}（{n}件）", names[0]),
        _ => format!("{}（各{n}件）", named(names)),
    };
    let mut s = if first.1.len() == 1 {
        format!("从内容看，{who}最关心的问题是{}", count(first))
    } else {
        format!("从内容看，{who}关注的问题集中在{}", count(first))
    };
    if let Some(second) = rest.first() {
        s.push_str(&format!("，其次是{}", count(second)));
    }
    if figs.topics.len() > 2 {
        s.push_str(&format!("，共涉及{}个方面", figs.topics.len()));
    }
    s.push('。');
    Some(s)
}

/// The smallest base a share of a partition (result classes, satisfaction levels) is given
/// over: below it, counts only (SPEC §2.5, `B类1件、C类2件`).
pub const MIN_BASE: u64 = 5;

/// `截至2024年12月20日，办复率、按期办结率均为100%，面商率为91.7%。`: rates in the fixed
/// order, only neighbours with equal values merged; then the cases still within their
/// deadline, which are neither late nor counted in 按期办结率.
pub fn rates(report: &Report, figs: &Figures) -> Option<String> {
    let sat = &figs.satisfaction;
    let mut list: Vec<(&str, Option<Percent>)> =
        vec![("办复率", figs.answer_rate), ("按期办结率", figs.on_time_rate)];
    // No case recorded as 面商 means the ledger does not track it: “面商率为0%” would be a
    // zero clause, not news.
    if figs.consulted > 0 {
        list.push(("面商率", figs.consult_rate));
    }
    list.push(("满意率", sat.satisfied_rate));
    if sat.basic > 0 {
        list.push(("满意和基本满意率", sat.satisfied_or_basic_rate));
    }
    let list: Vec<(&str, Percent)> = list.into_iter().filter_map(|(n, p)| Some((n, p?))).collect();
    let mut clauses: Vec<String> = Vec::new();
    let mut i = 0;
    while i < list.len() {
        let p = list[i].1;
        let mut j = i + 1;
        while j < list.len() && list[j].1 == p {
            j += 1;
        }
        let names: Vec<&str> = list[i..j].iter().map(|r| r.0).collect();
        clauses.push(match names.len() {
            1 => format!("{}为{p}%", names[0]),
            _ => format!("{}均为{p}%", names.join("、")),
        });
        i = j;
    }
    if clauses.is_empty() && figs.pending == 0 {
        return None;
    }
    let mut s = String::new();
    if !clauses.is_empty() {
        s = format!(
            "截至{}，{}。",
            crate::gbt9704::chinese_date(report.as_of),
            clauses.join("，")
        );
    }
    if figs.pending > 0 {
        s.push_str(&format!("另有{}件尚在办理期限内，正在抓紧办理。", figs.pending));
    }
    Some(s)
}

/// How a result class is named in text: 三类 by its wording, others with the letter.
fn class_phrase(report: &Report, letter: &str, label: &str) -> String {
    if report.scheme.name == "三类" {
        format!("{label}的")
    } else {
        format!("{label}的（{letter}类）")
    }
}

/// A result class shown in text: letter, wording, share.
type Class<'a> = (&'a String, &'a String, Option<Percent>);

/// The subset the results are over, named so that it keeps one count everywhere (SPEC §2.5):
/// all lead cases, the answered ones, or those with a result.
fn results_base(report: &Report, figs: &Figures, base: u64, lead_word: &str) -> String {
    let answered_lead = report
        .cases
        .iter()
        .filter(|c| c.handling.is_lead() && c.answered.is_some())
        .count() as u64;
    if base == figs.lead {
        format!("{base}件{lead_word}")
    } else if base == answered_lead {
        format!("已答复的{base}件{lead_word}")
    } else {
        format!("明确办理结果的{base}件{lead_word}")
    }
}

/// 从办理结果看，…的（A类）n件，占p%；… over the classes with cases. With more than one
/// kind, per kind and in counts (`主办的5件人大代表建议均已解决；…`).
pub fn results(report: &Report, figs: &Figures, lead_word: &str) -> Option<String> {
    let with_results: Vec<(&Kind, u64)> = figs
        .by_kind
        .iter()
        .map(|(k, c)| (k, c.results.values().map(|x| x.count).sum::<u64>()))
        .filter(|(_, n)| *n > 0)
        .collect();
    if with_results.len() > 1 {
        let parts: Vec<String> = with_results
            .iter()
            .map(|(k, base)| {
                let counts: Vec<(String, u64)> = report
                    .scheme
                    .classes
                    .iter()
                    .filter_map(|(l, label)| {
                        let n = figs.by_kind[*k].results.get(l)?.count;
                        (n > 0).then(|| (class_phrase(report, l, label), n))
                    })
                    .collect();
                match counts.as_slice() {
                    [(phrase, _)] => format!(
                        "主办的{base}件{}均为{}",
                        kind_long(**k),
                        phrase.trim_end_matches('的')
                    ),
                    _ => format!(
                        "主办的{base}件{}中，{}",
                        kind_long(**k),
                        counts
                            .iter()
                            .map(|(p, n)| format!("{p}{n}件"))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                }
            })
            .collect();
        return Some(format!("从办理结果看，{}。", parts.join("；")));
    }
    let shown: Vec<(&String, &String, u64, Option<Percent>)> = report
        .scheme
        .classes
        .iter()
        .filter_map(|(l, label)| {
            let s = figs.results.get(l)?;
            Some((l, label, s.count, s.percent)).filter(|x| x.2 > 0)
        })
        .collect();
    let total: u64 = shown.iter().map(|x| x.2).sum();
    let base = results_base(report, figs, total, lead_word);
    match shown.as_slice() {
        [] => None,
        // “均” needs more than one.
        [(_, label, n, _)] if report.scheme.name == "三类" => Some(format!(
            "从办理结果看，{base}{}为“{label}”类。",
            if *n > 1 { "均" } else { "" }
        )),
        [(l, label, n, _)] => Some(format!(
            "从办理结果看，{base}{}为{l}类（{label}）。",
            if *n > 1 { "均" } else { "" }
        )),
        _ => {
            // Over a small base, counts only (SPEC §2.5).
            let shares = total >= MIN_BASE;
            // Classes with equal counts share one clause, so the same count never shows two
            // different shares (largest-remainder rounding may give 33.4% and 33.3%).
            let mut groups: Vec<(u64, Vec<Class>)> = Vec::new();
            for (l, label, n, p) in &shown {
                match groups.iter_mut().find(|g| g.0 == *n) {
                    Some(g) => g.1.push((l, label, *p)),
                    None => groups.push((*n, vec![(l, label, *p)])),
                }
            }
            let parts: Vec<String> = groups
                .iter()
                .map(|(n, members)| match members.as_slice() {
                    [(l, label, Some(p))] if shares => {
                        format!("{}{n}件，占{p}%", class_phrase(report, l, label))
                    }
                    [(l, label, _)] => format!("{}{n}件", class_phrase(report, l, label)),
                    _ => {
                        let names: Vec<String> = members
                            .iter()
                            .map(|(l, label, _)| match report.scheme.name.as_str() {
                                "三类" => (*label).clone(),
                                _ => format!("{label}（{l}类）"),
                            })
                            .collect();
                        let names = join_and(&names);
                        let p = members[0].2;
                        match (shares, p) {
                            (true, Some(p)) if members.iter().all(|m| m.2 == Some(p)) => {
                                format!("{names}的各{n}件，各占{p}%")
                            }
                            _ => format!("{names}的各{n}件"),
                        }
                    }
                })
                .collect();
            Some(format!("从办理结果看，在{base}中，{}。", parts.join("；")))
        }
    }
}

/// Feedback counts; the rates are in [`rates`].
pub fn satisfaction(figs: &Figures) -> Option<String> {
    let s = &figs.satisfaction;
    if s.feedback == 0 {
        return None;
    }
    let who = proposers(figs);
    if s.satisfied == s.feedback {
        let all = if s.feedback > 1 { "均" } else { "" };
        return Some(format!("{who}反馈意见的{}件主办件{all}表示满意。", s.feedback));
    }
    let parts: Vec<String> = [
        ("满意", s.satisfied),
        ("基本满意", s.basic),
        ("不满意", s.unsatisfied),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(name, n)| format!("表示{name}的{n}件"))
    .collect();
    Some(format!(
        "在{who}反馈意见的{}件主办件中，{}。",
        s.feedback,
        parts.join("、")
    ))
}

/// 重点督办、领导领办、跨年度、二次答复, the non-zero ones. `carried` is false where the
/// carried-over cases are stated elsewhere (the 人大 view).
pub fn special(figs: &Figures, carried: bool) -> Option<String> {
    let parts: Vec<String> = [
        ("重点督办", figs.key_supervised),
        ("领导领办", figs.leader_led),
        ("跨年度滚动办理", if carried { figs.carried_over } else { 0 }),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(name, n)| format!("{name}{n}件"))
    .collect();
    let mut s = match parts.is_empty() {
        true => String::new(),
        false => format!("办理中确定{}", parts.join("、")),
    };
    if figs.second_reply > 0 {
        if !s.is_empty() {
            s.push('，');
        }
        s.push_str(&format!("对{}件作了二次答复", figs.second_reply));
    }
    (!s.is_empty()).then(|| format!("{s}。"))
}

/// The outcome of the second answers: `二次答复后，解决采纳的3件、计划解决的2件。`
pub fn second(report: &Report, figs: &Figures) -> Option<String> {
    let parts: Vec<String> = report
        .scheme
        .classes
        .iter()
        .filter_map(|(l, label)| {
            let n = figs.second_results.get(l)?.count;
            (n > 0).then(|| format!("{}{n}件", class_phrase(report, l, label)))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("二次答复后，{}。", parts.join("、")))
}

/// The split by 承办系统: `按承办系统分，政府系统145件、检察院系统3件、法院系统2件。`
pub fn systems(figs: &Figures) -> Option<String> {
    let systems = figs.by_system.as_ref().filter(|s| s.len() > 1)?;
    let mut list: Vec<(&String, u64)> = systems.iter().map(|(k, c)| (k, c.total)).collect();
    list.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let parts: Vec<String> = list
        .iter()
        .map(|(k, n)| {
            let k = if k.ends_with("系统") {
                (*k).clone()
            } else {
                format!("{k}系统")
            };
            format!("{k}{n}件")
        })
        .collect();
    Some(format!("按承办系统分，{}。", parts.join("、")))
}

/// The units that handled the most cases: `分别交由n个承办单位办理，承办件数较多的是…`. Places
/// are taken by count, most first, until three units are named; every unit tied for a place
/// is named (up to three, then `等N个`); a unit with one case never handled “many”, and when
/// all have the same count none stands out.
pub fn units(figs: &Figures, term: &str) -> Option<String> {
    if figs.units.len() < 2 {
        return None;
    }
    let mut s = format!("以上{}分别交由{}个{term}办理", collective(figs), figs.units.len());
    let mut groups: Vec<(u64, Vec<&str>)> = Vec::new();
    let mut by_size: Vec<_> = figs.units.iter().collect();
    by_size.sort_by_key(|u| std::cmp::Reverse(u.total)); // stable: ties keep their order
    for u in by_size {
        match groups.last_mut() {
            Some((n, names)) if *n == u.total => names.push(&u.name),
            _ => groups.push((u.total, vec![&u.name])),
        }
    }
    if groups.len() > 1 {
        let mut shown = Vec::new();
        let mut count = 0;
        for (n, names) in groups.iter().filter(|(n, _)| *n > 1) {
            if count >= 3 {
                break;
            }
            count += names.len();
            shown.push(match names.len() {
                1 => format!("{}（{n}件）", names[0]),
                2 | 3 => format!("{}（各{n}件）", names.join("、")),
                k => format!("{}等{k}个{term}（各{n}件）", names[..3].join("、")),
            });
        }
        if !shown.is_empty() {
            s.push_str(&format!("，承办件数较多的是{}", join_and(&shown)));
        }
    }
    s.push('。');
    Some(s)
}

/// Earlier years and this one, each year's change from the one before where the years run
/// without a gap: `2022年至2024年，承办件数分别为230件、259件、291件，2023年增长12.6%，2024年增长12.4%。`
pub fn series(report: &Report, figs: &Figures) -> Option<String> {
    let mut years: Vec<(i32, u64)> = report
        .history
        .iter()
        .filter_map(|(y, p)| p.total.map(|t| (*y, t)))
        .collect();
    if years.len() < 2 {
        return None;
    }
    years.push((report.year, figs.new));
    let counts: Vec<String> = years.iter().map(|(_, n)| format!("{n}件")).collect();
    let mut s = format!(
        "{}年至{}年，{}分别为{}",
        years[0].0,
        report.year,
        if figs.carried_over > 0 {
            "新交办件数"
        } else {
            "承办件数"
        },
        counts.join("、")
    );
    if years.windows(2).all(|w| w[1].0 == w[0].0 + 1) {
        let changes: Vec<String> = years
            .windows(2)
            .map(|w| {
                let (prev, cur) = (w[0].1, w[1].1);
                let change = match (cur.cmp(&prev), growth(cur, prev)) {
                    (std::cmp::Ordering::Equal, _) => "与上年持平".to_owned(),
                    (_, None) => format!("由0件增至{cur}件"),
                    (std::cmp::Ordering::Greater, Some(p)) => format!("增长{p}%"),
                    (std::cmp::Ordering::Less, Some(p)) => format!("下降{}%", Percent(-p.0)),
                };
                format!("{}年{change}", w[1].0)
            })
            .collect();
        s.push_str(&format!("，{}", changes.join("，")));
    }
    s.push('。');
    Some(s)
}

/// The titles by kind and role: 主办建议5件：《…》（建议第23号）、…
pub fn case_list(report: &Report) -> Option<String> {
    let mut parts = Vec::new();
    for k in Kind::ALL {
        for lead in [true, false] {
            let cases: Vec<&Case> = report
                .cases
                .iter()
                .filter(|c| c.kind == k && c.handling.is_lead() == lead)
                .collect();
            if cases.is_empty() {
                continue;
            }
            let titles: Vec<String> = cases
                .iter()
                .map(|c| format!("{}（{}）", book_title(&c.title), c.id))
                .collect();
            let role = if lead { "主办" } else { "协办" };
            parts.push(format!(
                "{role}{}{}件：{}",
                k.name(),
                cases.len(),
                titles.join("、")
            ));
        }
    }
    (!parts.is_empty()).then(|| format!("{}。", parts.join("；")))
}

/// A title inside 《》, unless it already has them.
pub fn book_title(t: &str) -> String {
    if t.starts_with('《') && t.ends_with('》') {
        t.to_owned()
    } else {
        format!("《{t}》")
    }
}

/// All the sentences, for the templates (`basic.overview`, `basic.rates` …).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Basic {
    /// The template's default opening and closing paragraphs.
    pub opening: String,
    pub closing: String,
    pub overview: String,
    pub received: String,
    pub topics: Option<String>,
    pub rates: Option<String>,
    pub results: Option<String>,
    pub satisfaction: Option<String>,
    pub special: Option<String>,
    pub second: Option<String>,
    pub systems: Option<String>,
    pub series: Option<String>,
    pub units: Option<String>,
    pub case_list: Option<String>,
    pub collective: String,
    pub proposers: String,
}

pub fn basic(report: &Report, figs: &Figures, position: Option<usize>) -> Basic {
    use super::frame::{closing, opening};
    let npc = report.template.genre() != crate::model::Genre::Handling;
    let term = unit_term(report);
    Basic {
        opening: opening(report, figs, position),
        closing: closing(report, figs),
        overview: overview(figs),
        received: received(report, figs),
        topics: topics(figs),
        rates: rates(report, figs),
        results: results(report, figs, "主办件"),
        satisfaction: satisfaction(figs),
        special: special(figs, !npc),
        second: second(report, figs),
        systems: systems(figs),
        series: series(report, figs),
        units: units(figs, &term),
        case_list: report.list_cases.then(|| case_list(report)).flatten(),
        collective: collective(figs).to_owned(),
        proposers: proposers(figs).to_owned(),
    }
}
