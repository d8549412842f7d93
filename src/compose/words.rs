//! What the text calls things: the kinds, the cases together, the proposers, the units.
//! Shared by the sentences of 基本情况, the frame and the 自动 problems.

use crate::figures::Figures;
use crate::model::{Kind, Report};

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
        (true, true, false) => "代表议案、建议",
        (true, false, true) => "议案、提案",
        (true, true, true) => "议案、建议、提案",
        _ => "建议提案",
    }
}

/// What the text calls the units (SPEC §2.1 承办单位称谓): the report's word, else 承办科室
/// when every unit is an office of the organ itself (科, 室, 股, 处, 中心), else 承办单位.
pub fn unit_term(report: &Report) -> String {
    if let Some(t) = &report.unit_term {
        return t.clone();
    }
    let mut units = report.cases.iter().flat_map(|c| &c.units).peekable();
    let offices = units.peek().is_some()
        && units.all(|u| ["科", "室", "股", "处", "中心"].iter().any(|e| u.ends_with(e)));
    if offices { "承办科室" } else { "承办单位" }.to_owned()
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

/// `甲、乙和丙`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}和{last}", init.join("、")),
    }
}
