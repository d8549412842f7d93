//! The sentences of 基本情况, written from the figures the way a seasoned 文秘 writes them:
//! no zero clauses, equal rates merged, every figure stated once. Templates arrange these
//! sentences; they never have to reason about zeros or rounding themselves.

use crate::figures::round::Percent;
use crate::figures::{Figures, KindCount};
use crate::model::{Case, Kind, Report};
use serde::Serialize;

/// `建议` → `人大代表建议` in running text.
pub fn kind_long(k: Kind) -> &'static str {
    match k {
        Kind::建议 => "人大代表建议",
        Kind::议案 => "人大代表议案",
        Kind::提案 => "政协委员提案",
    }
}

/// What to call the cases together: `建议提案`, `代表建议`, `议案建议` …
pub fn collective(figs: &Figures) -> &'static str {
    let has = |k: Kind| figs.by_kind.contains_key(&k);
    match (has(Kind::议案), has(Kind::建议), has(Kind::提案)) {
        (false, true, false) => "代表建议",
        (false, false, true) => "委员提案",
        (true, false, false) => "代表议案",
        (true, true, false) => "代表议案建议",
        (true, _, true) => "议案建议提案",
        _ => "建议提案",
    }
}

/// Who raised them: 代表, 委员, or 代表委员.
pub fn proposers(figs: &Figures) -> &'static str {
    let npc = figs.by_kind.contains_key(&Kind::建议) || figs.by_kind.contains_key(&Kind::议案);
    match (npc, figs.by_kind.contains_key(&Kind::提案)) {
        (true, false) => "代表",
        (false, true) => "委员",
        _ => "代表委员",
    }
}

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

/// `甲、乙和丙`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}和{last}", init.join("、")),
    }
}

/// The opening: how many, of which kinds and roles, by level, and the change from last year.
/// `verb` is 承办 for a unit handling cases, 收到 for a 人大 receiving them.
pub fn overview(figs: &Figures, verb: &str) -> String {
    let what = collective(figs);
    if figs.total == 0 {
        return format!("全年没有{verb}{what}。");
    }
    let mut s = format!("全年共{verb}");
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
                        p.push_str(&format!("，{}", change(c.total, g.previous, g.growth_percent)));
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

fn yoy_total(figs: &Figures) -> String {
    let Some(y) = &figs.yoy else { return String::new() };
    let Some(prev) = y.previous_total else {
        return String::new();
    };
    let mut s = format!("，{}", change(figs.total, prev, y.growth_percent.flatten()));
    let kinds: Vec<String> = y
        .by_kind
        .iter()
        .map(|(&k, g)| {
            let cur = figs.by_kind.get(&k).map_or(0, |c| c.total);
            format!("{}{}", kind_long(k), change(cur, g.previous, g.growth_percent))
        })
        .collect();
    // With one kind, its change is the total's: saying it again would repeat the figures.
    if !kinds.is_empty() && figs.by_kind.len() > 1 {
        s.push_str(&format!("（{}）", kinds.join("，")));
    }
    s
}

/// 代表委员最关心的问题是…，其次是…: groups of equal counts, so ties read as ties.
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
    if first.0 == 1 {
        // Every topic has one case: nothing stands out, so only the range is stated.
        let names: Vec<String> = figs.topics.iter().take(5).map(|t| t.name.clone()).collect();
        let more = if figs.topics.len() > 5 { "等" } else { "" };
        return Some(format!(
            "从内容看，涉及{}{more}{}个方面。",
            join_and(&names),
            figs.topics.len()
        ));
    }
    let count = |(n, names): &(u64, Vec<String>)| match names.len() {
        1 => format!("{}（{n}件）", names[0]),
        _ => format!("{}（各{n}件）", join_and(names)),
    };
    let mut s = format!("从内容看，{who}最关心的问题是{}", count(first));
    if let Some(second) = rest.first().filter(|g| g.0 > 1 || first.0 > 1) {
        s.push_str(&format!("，其次是{}", count(second)));
    }
    if figs.topics.len() > 2 {
        s.push_str(&format!("，共涉及{}个方面", figs.topics.len()));
    }
    s.push('。');
    Some(s)
}

/// 办复率、面商率、满意率均为100%，按期办结率为94.1%: equal rates share one clause.
pub fn rates(figs: &Figures) -> Option<String> {
    let sat = &figs.satisfaction;
    let mut list: Vec<(&str, Percent)> = Vec::new();
    let mut add = |name, p: Option<Percent>| {
        if let Some(p) = p {
            list.push((name, p));
        }
    };
    add("办复率", figs.answer_rate);
    add("按期办结率", figs.on_time_rate);
    // No case recorded as 面商 means the ledger does not track it: “面商率为0%” would be a
    // zero clause, not news.
    if figs.consulted > 0 {
        add("面商率", figs.consult_rate);
    }
    add("满意率", sat.satisfied_rate);
    if sat.basic > 0 {
        add("满意和基本满意率", sat.satisfied_or_basic_rate);
    }
    let mut groups: Vec<(Percent, Vec<&str>)> = Vec::new();
    for (name, p) in list {
        match groups.iter_mut().find(|(q, _)| *q == p) {
            Some((_, names)) => names.push(name),
            None => groups.push((p, vec![name])),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let clauses: Vec<String> = groups
        .iter()
        .map(|(p, names)| match names.len() {
            1 => format!("{}为{p}%", names[0]),
            _ => format!("{}均为{p}%", names.join("、")),
        })
        .collect();
    Some(format!("{}。", clauses.join("，")))
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
type Class<'a> = (&'a String, &'a String, Percent);

/// 从办理结果看，…的（A类）n件，占p%；… over the classes with cases.
pub fn results(report: &Report, figs: &Figures) -> Option<String> {
    let shown: Vec<(&String, &String, u64, Percent)> = report
        .scheme
        .classes
        .iter()
        .filter_map(|(l, label)| {
            let s = figs.results.get(l)?;
            Some((l, label, s.count, s.percent?)).filter(|x| x.2 > 0)
        })
        .collect();
    let total: u64 = shown.iter().map(|x| x.2).sum();
    match shown.as_slice() {
        [] => None,
        [(l, label, n, _)] if report.scheme.name == "三类" => {
            Some(format!("从办理结果看，{n}件主办件均为“{label}”类。"))
        }
        [(l, label, n, _)] => Some(format!("从办理结果看，{n}件主办件均为{l}类（{label}）。")),
        _ => {
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
                    [(l, label, p)] => format!("{}{n}件，占{p}%", class_phrase(report, l, label)),
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
                        match members.iter().all(|m| m.2 == p) {
                            true => format!("{names}的各{n}件，各占{p}%"),
                            false => format!("{names}的各{n}件"),
                        }
                    }
                })
                .collect();
            Some(format!(
                "从办理结果看，在{total}件主办件中，{}。",
                parts.join("；")
            ))
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
        return Some(format!("{who}反馈意见的{}件主办件均表示满意。", s.feedback));
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

/// 重点督办、领导领办、跨年度、二次答复, the non-zero ones.
pub fn special(figs: &Figures) -> Option<String> {
    let parts: Vec<String> = [
        ("重点督办", figs.key_supervised),
        ("领导领办", figs.leader_led),
        ("跨年度滚动办理", figs.carried_over),
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

/// The units that handled the most cases: 交由n个承办单位办理，其中…较多.
pub fn units(figs: &Figures) -> Option<String> {
    if figs.units.len() < 2 {
        return None;
    }
    let mut by_size: Vec<_> = figs.units.iter().collect();
    by_size.sort_by_key(|u| std::cmp::Reverse(u.total));
    let top: Vec<String> = by_size
        .iter()
        .take(3)
        .map(|u| format!("{}（{}件）", u.name, u.total))
        .collect();
    Some(format!(
        "以上{}分别交由{}个承办单位办理，承办件数较多的是{}。",
        collective(figs),
        figs.units.len(),
        top.join("、")
    ))
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
    pub overview: String,
    pub received: String,
    pub topics: Option<String>,
    pub rates: Option<String>,
    pub results: Option<String>,
    pub satisfaction: Option<String>,
    pub special: Option<String>,
    pub units: Option<String>,
    pub case_list: Option<String>,
    pub collective: String,
    pub proposers: String,
}

pub fn basic(report: &Report, figs: &Figures) -> Basic {
    Basic {
        overview: overview(figs, "承办"),
        received: overview(figs, "收到"),
        topics: topics(figs),
        rates: rates(figs),
        results: results(report, figs),
        satisfaction: satisfaction(figs),
        special: special(figs),
        units: units(figs),
        case_list: report.list_cases.then(|| case_list(report)).flatten(),
        collective: collective(figs).to_owned(),
        proposers: proposers(figs).to_owned(),
    }
}
