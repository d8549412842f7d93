//! 核对: figures declared elsewhere (the 交办通知, last year's report) checked against the
//! counts of the records. A mismatch names both numbers.

use super::{Figures, KindCount};
use crate::diag::{Diag, Diags};
use crate::load::fields::{list, nearest};
use crate::model::{Case, Declared, Kind, Report};

/// The count a 核对 key names, or why the key cannot be understood.
fn lookup(key: &str, figs: &Figures) -> Result<u64, String> {
    let parts: Vec<&str> = key.split(['.', '。', '·']).map(str::trim).collect();
    let level = parts.first().and_then(|p| figs.by_level.as_ref()?.get(*p));
    let (total, kinds, rest) = match level {
        Some(lc) => (lc.total, &lc.by_kind, &parts[1..]),
        None => (figs.total, &figs.by_kind, &parts[..]),
    };
    let sum_roles = |f: fn(&KindCount) -> u64| kinds.values().map(f).sum::<u64>();
    let kind_count = |k: &str| -> Result<KindCount, String> {
        match Kind::parse(k) {
            Some(kind) => Ok(kinds.get(&kind).cloned().unwrap_or_default()),
            None => Err(k.to_owned()),
        }
    };
    match rest {
        [] | ["总数"] => Ok(total),
        ["主办"] => Ok(sum_roles(|k| k.lead)),
        ["协办"] => Ok(sum_roles(|k| k.assist)),
        [k] => kind_count(k).map(|c| c.total),
        [k, "主办"] => kind_count(k).map(|c| c.lead),
        [k, "协办"] => kind_count(k).map(|c| c.assist),
        [k, "总数"] => kind_count(k).map(|c| c.total),
        [_, other] => Err((*other).to_owned()),
        _ => Err(key.to_owned()),
    }
}

fn known_names(figs: &Figures) -> Vec<String> {
    let mut names: Vec<String> = ["总数", "主办", "协办", "建议", "议案", "提案"]
        .map(String::from)
        .to_vec();
    if let Some(levels) = &figs.by_level {
        names.extend(levels.keys().cloned());
    }
    names
}

/// The records a 核对 key counts (the same reading of the key as [`lookup`]).
fn counted_by<'a>(key: &str, report: &'a Report) -> Vec<&'a Case> {
    let mut parts: Vec<&str> = key.split(['.', '。', '·']).map(str::trim).collect();
    let level = parts
        .first()
        .copied()
        .filter(|p| report.cases.iter().any(|c| c.level.as_deref() == Some(*p)));
    if level.is_some() {
        parts.remove(0);
    }
    let kind = parts.first().and_then(|p| Kind::parse(p));
    let role = parts.last().copied().filter(|p| *p == "主办" || *p == "协办");
    report
        .cases
        .iter()
        .filter(|c| level.is_none_or(|l| c.level.as_deref() == Some(l)))
        .filter(|c| kind.is_none_or(|k| c.kind == k))
        .filter(|c| role.is_none_or(|r| c.handling.is_lead() == (r == "主办")))
        .collect()
}

/// Numbers missing from runs of 编号 like 建议第1号 … 建议第10号: where a record was left out.
fn gaps(cases: &[&Case]) -> Vec<String> {
    let mut runs: std::collections::BTreeMap<(String, String), Vec<u64>> = Default::default();
    for c in cases {
        let start = c.id.find(|ch: char| ch.is_ascii_digit());
        let Some(start) = start else { continue };
        let len = c.id[start..]
            .find(|ch: char| !ch.is_ascii_digit())
            .unwrap_or(c.id.len() - start);
        let Ok(n) = c.id[start..start + len].parse::<u64>() else {
            continue;
        };
        let key = (c.id[..start].to_owned(), c.id[start + len..].to_owned());
        runs.entry(key).or_default().push(n);
    }
    let mut out = Vec::new();
    for ((before, after), mut ns) in runs {
        ns.sort_unstable();
        let (Some(&lo), Some(&hi)) = (ns.first(), ns.last()) else {
            continue;
        };
        if hi - lo > 10_000 {
            continue;
        }
        out.extend(
            (lo..=hi)
                .filter(|n| ns.binary_search(n).is_err())
                .map(|n| format!("{before}{n}{after}")),
        );
    }
    out
}

/// What to look at when a 核对 count does not match: the records counted, and any numbers
/// missing from their 编号, so that the user finds the row without reading the whole file.
fn where_to_look(key: &str, report: &Report, declared: u64, counted: u64) -> String {
    let cases = counted_by(key, report);
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    let mut s = if ids.len() <= 12 {
        format!("计入“{key}”的{}件是：{}", ids.len(), list(&ids))
    } else {
        format!("计入“{key}”的{}件从{}到{}", ids.len(), ids[0], ids[ids.len() - 1])
    };
    let missing = gaps(&cases);
    if counted < declared && !missing.is_empty() && missing.len() <= 12 {
        s.push_str(&format!(
            "；编号中缺少{}，请核对是否漏录或类别、承办方式填错",
            list(&missing.iter().map(String::as_str).collect::<Vec<_>>())
        ));
    }
    s
}

/// Each 核对 entry of `report`: its key, the number declared, and the records' count (or
/// the part of the key that cannot be understood), for a table of the checks.
pub fn results(report: &Report, figs: &Figures) -> Vec<(String, u64, Result<u64, String>)> {
    report
        .declared
        .iter()
        .map(|d| (d.key.clone(), d.value, lookup(&d.key, figs)))
        .collect()
}

/// Checks every 核对 entry of `report` against `figs`.
pub fn check(report: &Report, figs: &Figures, diags: &mut Diags) {
    // A case file that could not be read is already reported; comparing declared counts with
    // the partial records would add one false mismatch per 核对 entry.
    if report.cases_unreadable {
        return;
    }
    for Declared { key, value, at } in &report.declared {
        match lookup(key, figs) {
            Ok(counted) if counted == *value => {}
            Ok(counted) => diags.push(
                Diag::error(
                    *at,
                    format!("核对不符：“{key}”声明为{value}件，案件记录中实有{counted}件"),
                )
                .label(format!("声明{value}件，实有{counted}件"))
                .help(where_to_look(key, report, *value, counted))
                .help("核对交办通知和案件记录：补录遗漏的案件、删去多录的案件，或改正这里的数字"),
            ),
            Err(part) => {
                let names = known_names(figs);
                let mut d = Diag::error(*at, format!("无法识别的核对项“{key}”"))
                    .help(format!(
                        "核对项写作“总数”“建议”“主办”“建议.主办”“提案.协办”，有级别时可写“区级.建议”；可用的名称：{}",
                        list(&names.iter().map(String::as_str).collect::<Vec<_>>())
                    ));
                if let Some(s) = nearest(&part, names.iter().map(String::as_str)) {
                    d = d.label(format!("“{part}”是否应为“{s}”？"));
                }
                diags.push(d);
            }
        }
    }
}
