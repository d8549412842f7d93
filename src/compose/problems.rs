//! `自动` in 存在问题: the problems the figures show, each stated with its numbers and
//! nothing else (SPEC §2.5): no cause the data does not show, no unit named unless the report
//! allows it (`点名单位: 是`), no unit's rate over fewer than five cases, result classes
//! named as 基本情况 names them. Cases still within their deadline are not a problem.

use super::prose::MIN_BASE;
use super::words::{collective, proposers};
use crate::figures::round::{rate, Percent};
use crate::figures::Figures;
use crate::model::{Case, Report, Satisfaction};

/// 面商率 below this is a problem.
const LOW_CONSULT: Percent = Percent(800);
/// Classes after the second (C, D) above this share of results are a problem.
const HIGH_DEFERRED: i64 = 200;
/// 基本满意 at or above this share of the feedback is a problem.
const MANY_BASIC: Percent = Percent(100);

/// 编号 of up to five cases, and how many more.
fn ids(cases: &[&Case]) -> String {
    let shown: Vec<&str> = cases.iter().take(5).map(|c| c.id.as_str()).collect();
    match cases.len() {
        n if n > 5 => format!("{}等", shown.join("、")),
        _ => shown.join("、"),
    }
}

/// One paragraph per problem; none when the figures show none.
pub fn derive(report: &Report, figs: &Figures) -> Vec<String> {
    let what = collective(figs);
    let who = proposers(figs);
    let mut out = Vec::new();

    // Timeliness: the cases that make 按期办结率 what it is, so the reader can check it.
    let overdue: Vec<&Case> = report.cases.iter().filter(|c| report.overdue(c)).collect();
    if figs.late > 0 || !overdue.is_empty() {
        let mut parts = Vec::new();
        if figs.late > 0 {
            parts.push(format!("超期答复{}件", figs.late));
        }
        if !overdue.is_empty() {
            parts.push(format!("超期未答复{}件（{}）", overdue.len(), ids(&overdue)));
        }
        let rate = figs
            .on_time_rate
            .map_or(String::new(), |p| format!("，按期办结率为{p}%"));
        out.push(format!(
            "办理时效有待提高。截至{}，应办结的{}件{what}中，{}{rate}。",
            crate::gbt9704::chinese_date(report.as_of),
            figs.due,
            parts.join("、")
        ));
    }

    let s = &figs.satisfaction;
    let many_basic = rate(s.basic, s.feedback).is_some_and(|p| p >= MANY_BASIC);
    if s.unsatisfied > 0 || (s.basic > 0 && many_basic) {
        let mut parts = Vec::new();
        if s.unsatisfied > 0 {
            let cases: Vec<&Case> = report
                .cases
                .iter()
                .filter(|c| c.handling.is_lead() && c.final_satisfaction() == Satisfaction::不满意)
                .collect();
            parts.push(format!(
                "对{}件（{}）的办理结果表示不满意",
                s.unsatisfied,
                ids(&cases)
            ));
        }
        if many_basic {
            parts.push(format!("对{}件表示基本满意", s.basic));
        }
        out.push(format!(
            "办理质量仍有提升空间。在{who}反馈意见的{}件主办件中，{}。",
            s.feedback,
            parts.join("、")
        ));
    }

    // C and D (三类: C) are answers that defer the problem; their shown shares are summed so
    // the text never contradicts the shares stated in 基本情况, and they are named with the
    // same words.
    let deferred: Vec<(&str, &str, u64, i64)> = report
        .scheme
        .classes
        .iter()
        .skip(2)
        .filter_map(|(l, label)| {
            figs.results
                .get(l)
                .map(|s| (l.as_str(), label.as_str(), s.count, s.percent.map_or(0, |p| p.0)))
        })
        .filter(|x| x.2 > 0)
        .collect();
    let share: i64 = deferred.iter().map(|x| x.3).sum();
    let base: u64 = figs.results.values().map(|s| s.count).sum();
    if share > HIGH_DEFERRED && base >= MIN_BASE {
        let count: u64 = deferred.iter().map(|x| x.2).sum();
        let names: Vec<String> = deferred
            .iter()
            .map(|(l, label, _, _)| match report.scheme.name.as_str() {
                "三类" => format!("“{label}”"),
                _ => format!("{l}类（{label}）"),
            })
            .collect();
        out.push(format!(
            "部分问题尚未得到解决。办理结果为{}的共{count}件，占{}%。",
            names.join("、"),
            Percent(share)
        ));
    }

    if figs.consulted > 0 {
        if report.name_units {
            let low: Vec<String> = figs
                .units
                .iter()
                .filter(|u| u.lead >= MIN_BASE)
                .filter_map(|u| {
                    let r = rate(u.consulted, u.lead)?;
                    (r < LOW_CONSULT).then(|| {
                        format!(
                            "{}面商率为{r}%（{}件主办件中面商{}件）",
                            u.name, u.lead, u.consulted
                        )
                    })
                })
                .collect();
            if !low.is_empty() {
                out.push(format!("与{who}当面沟通还不够充分。{}。", low.join("，")));
            }
        } else if figs.lead >= MIN_BASE && figs.consult_rate.is_some_and(|r| r < LOW_CONSULT) {
            out.push(format!(
                "与{who}当面沟通还不够充分。{}件主办件中面商{}件，面商率为{}%。",
                figs.lead,
                figs.consulted,
                figs.consult_rate.unwrap_or(Percent(0))
            ));
        }
    }
    out
}
