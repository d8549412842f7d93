//! `自动` in 存在问题: the problems the figures show, each stated with its numbers.

use super::prose::collective;
use crate::figures::round::{rate, Percent};
use crate::figures::Figures;
use crate::model::{Case, Report, Satisfaction};

/// A unit's 面商率 below this, over at least [`MIN_LEAD`] lead cases, is a problem.
const LOW_CONSULT: Percent = Percent(800);
const MIN_LEAD: u64 = 3;
/// Classes after the second (C, D) above this share of results are a problem.
const HIGH_DEFERRED: i64 = 200;

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
    let mut out = Vec::new();

    let unanswered: Vec<&Case> = report.cases.iter().filter(|c| c.answered.is_none()).collect();
    if !unanswered.is_empty() {
        out.push(format!(
            "办理进度不够均衡。截至目前仍有{}件{what}尚未答复（{}），需加快办理进度。",
            unanswered.len(),
            ids(&unanswered)
        ));
    }
    let late = figs.answered - figs.on_time;
    if late > 0 {
        let rate = figs
            .on_time_rate
            .map_or(String::new(), |p| format!("，按期办结率为{p}%"));
        out.push(format!(
            "办理时效有待提高。有{late}件{what}未在办理时限内答复{rate}，个别承办单位存在前松后紧的情况。"
        ));
    }

    let s = &figs.satisfaction;
    if s.unsatisfied > 0 || s.basic > 0 {
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
        if s.basic > 0 {
            parts.push(format!("对{}件表示基本满意", s.basic));
        }
        out.push(format!(
            "办理质量仍有提升空间。{}{}，答复的针对性和落实的力度还需加强。",
            super::prose::proposers(figs),
            parts.join("、")
        ));
    }

    // C and D (三类: C) are answers that defer the problem; their shown shares are summed so
    // the text never contradicts the shares stated in 基本情况.
    let deferred: Vec<(&str, u64, i64)> = report
        .scheme
        .classes
        .iter()
        .skip(2)
        .filter_map(|(l, _)| {
            figs.results
                .get(l)
                .map(|s| (l.as_str(), s.count, s.percent.map_or(0, |p| p.0)))
        })
        .filter(|x| x.1 > 0)
        .collect();
    let share: i64 = deferred.iter().map(|x| x.2).sum();
    if share > HIGH_DEFERRED {
        let count: u64 = deferred.iter().map(|x| x.1).sum();
        let letters: Vec<&str> = deferred.iter().map(|x| x.0).collect();
        out.push(format!(
            "部分问题解决难度较大。办理结果为{}类的共{count}件，占{}%，有的受政策、资金等条件限制，短期内难以解决。",
            letters.join("、"),
            Percent(share)
        ));
    }

    let low: Vec<String> = figs
        .units
        .iter()
        .filter(|u| u.lead >= MIN_LEAD && figs.consulted > 0)
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
        out.push(format!(
            "与代表委员沟通还不够充分。{}，办理前后的当面沟通需要加强。",
            low.join("，")
        ));
    }
    out
}
