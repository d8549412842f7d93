//! The figures of SPEC §2.4, computed from the case records. `zongjie stats --json` prints
//! [`Figures`] as it serializes; the text and every writer read the same values.

pub mod names;
pub mod round;
pub mod verify;

use crate::model::{Case, Kind, Previous, Report, Satisfaction};
use indexmap::IndexMap;
use round::{growth, partition, rate, Percent};
use serde::Serialize;

/// Cases of one kind (or one 承办系统): how many, by role, and the result classes of the lead
/// cases among them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindCount {
    pub total: u64,
    #[serde(rename = "主办")]
    pub lead: u64,
    #[serde(rename = "协办")]
    pub assist: u64,
    pub results: IndexMap<String, Count>,
}

/// A count without a share (per-kind and second-answer results, 来源).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub count: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Total {
    pub total: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RoleCount {
    #[serde(rename = "主办")]
    pub lead: u64,
    #[serde(rename = "协办")]
    pub assist: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LevelCount {
    pub total: u64,
    pub by_kind: IndexMap<Kind, KindCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub count: u64,
    pub percent: Option<Percent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SatisfactionFigures {
    pub feedback: u64,
    #[serde(rename = "满意")]
    pub satisfied: u64,
    #[serde(rename = "基本满意")]
    pub basic: u64,
    #[serde(rename = "不满意")]
    pub unsatisfied: u64,
    pub satisfied_rate: Option<Percent>,
    pub satisfied_or_basic_rate: Option<Percent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    pub name: String,
    pub count: u64,
    pub percent: Option<Percent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitFigures {
    pub name: String,
    pub total: u64,
    #[serde(rename = "主办")]
    pub lead: u64,
    #[serde(rename = "协办")]
    pub assist: u64,
    pub answered: u64,
    pub results: IndexMap<String, Share>,
    #[serde(rename = "满意")]
    pub satisfied: u64,
    /// Lead cases of the unit with 面商 (for 自动 problems; not a JSON key of §2.4).
    #[serde(skip)]
    pub consulted: u64,
}

impl UnitFigures {
    /// The columns of a unit's row in the tables (stats and 附表).
    pub const HEADER: [&'static str; 6] = ["承办单位", "件数", "主办", "协办", "已办复", "满意"];

    pub fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.total.to_string(),
            self.lead.to_string(),
            self.assist.to_string(),
            self.answered.to_string(),
            self.satisfied.to_string(),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Growth {
    pub previous: u64,
    pub growth_percent: Option<Percent>,
    /// This year's new cases the growth is computed from (for the text; not a JSON key).
    #[serde(skip)]
    pub current: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearOverYear {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub growth_percent: Option<Option<Percent>>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub by_kind: IndexMap<Kind, Growth>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub by_level: IndexMap<String, Growth>,
}

/// Every figure of a report. Field order is the JSON key order of SPEC §2.4.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub total: u64,
    pub by_kind: IndexMap<Kind, KindCount>,
    pub by_role: RoleCount,
    pub by_level: Option<IndexMap<String, LevelCount>>,
    pub answered: u64,
    pub answer_rate: Option<Percent>,
    pub on_time: u64,
    pub on_time_rate: Option<Percent>,
    /// 应办结: answered, or unanswered with the deadline on or before 截止日期 (or no 交办日期).
    pub due: u64,
    /// 在办未到期: unanswered, the deadline after 截止日期.
    pub pending: u64,
    /// 超期未复: unanswered, the deadline passed (due − answered).
    pub overdue: u64,
    /// 超期答复: answered after the deadline.
    pub late: u64,
    /// 本年新交办: not carried over from an earlier year.
    pub new: u64,
    pub by_source: Option<IndexMap<String, Total>>,
    pub by_system: Option<IndexMap<String, KindCount>>,
    pub second_results: IndexMap<String, Count>,
    pub lead: u64,
    pub consulted: u64,
    pub consult_rate: Option<Percent>,
    pub results: IndexMap<String, Share>,
    pub satisfaction: SatisfactionFigures,
    pub topics: Vec<Topic>,
    pub units: Vec<UnitFigures>,
    pub key_supervised: u64,
    pub leader_led: u64,
    pub carried_over: u64,
    pub second_reply: u64,
    pub yoy: Option<YearOverYear>,
    pub counts: IndexMap<String, crate::model::Count>,
}

fn count(cases: &[&Case], pred: impl Fn(&Case) -> bool) -> u64 {
    cases.iter().filter(|c| pred(c)).count() as u64
}

fn kind_count(report: &Report, cases: &[&Case]) -> KindCount {
    let lead = count(cases, |c| c.handling.is_lead());
    KindCount {
        total: cases.len() as u64,
        lead,
        assist: cases.len() as u64 - lead,
        results: class_counts(report, lead_results(cases)),
    }
}

fn by_kind(report: &Report, cases: &[&Case]) -> IndexMap<Kind, KindCount> {
    let mut out = IndexMap::new();
    for k in Kind::ALL {
        let of: Vec<&Case> = cases.iter().copied().filter(|c| c.kind == k).collect();
        if !of.is_empty() {
            out.insert(k, kind_count(report, &of));
        }
    }
    out
}

/// How many of `classes` fall in each class of the scheme, in scheme order.
fn tally(report: &Report, classes: impl Iterator<Item = Option<usize>>) -> Vec<u64> {
    let mut counts = vec![0u64; report.scheme.classes.len()];
    for i in classes.flatten() {
        counts[i] += 1;
    }
    counts
}

/// The final result classes of the lead cases among `cases`.
fn lead_results<'a>(cases: &'a [&Case]) -> impl Iterator<Item = Option<usize>> + 'a {
    cases
        .iter()
        .filter(|c| c.handling.is_lead())
        .map(|c| c.final_result())
}

/// [`tally`] by letter, every class listed, without shares.
fn class_counts(report: &Report, classes: impl Iterator<Item = Option<usize>>) -> IndexMap<String, Count> {
    report
        .scheme
        .letters()
        .zip(tally(report, classes))
        .map(|(l, count)| (l.to_owned(), Count { count }))
        .collect()
}

/// Result classes over the lead cases among `cases` that have one, in scheme order.
fn results(report: &Report, cases: &[&Case]) -> IndexMap<String, Share> {
    let counts = tally(report, lead_results(cases));
    let shares = partition(&counts);
    report
        .scheme
        .letters()
        .zip(counts.iter().zip(shares))
        .map(|(l, (&count, percent))| (l.to_owned(), Share { count, percent }))
        .collect()
}

/// Groups cases by a key in order of first appearance.
fn groups<'a>(cases: &[&'a Case], key: impl Fn(&'a Case) -> Option<&'a str>) -> Groups<'a> {
    groups_many(cases, key)
}

/// Cases by key, in order of first appearance. Hashed with FxHash: a key is a unit's or a
/// topic's name, looked up once per case (100,000 SipHashes were a few per cent of `check`).
type Groups<'a> = IndexMap<String, Vec<&'a Case>, rustc_hash::FxBuildHasher>;

/// Groups cases under each of their keys (a case handled jointly is in each unit's group).
fn groups_many<'a, K: IntoIterator<Item = &'a str>>(
    cases: &[&'a Case],
    keys: impl Fn(&'a Case) -> K,
) -> Groups<'a> {
    let mut out = Groups::default();
    for &c in cases {
        for k in keys(c) {
            match out.get_mut(k) {
                Some(v) => v.push(c),
                None => {
                    out.insert(k.to_owned(), vec![c]);
                }
            }
        }
    }
    out
}

fn satisfaction(lead: &[&Case]) -> SatisfactionFigures {
    let of = |s: Satisfaction| count(lead, |c| c.final_satisfaction() == s);
    let (satisfied, basic, unsatisfied) = (
        of(Satisfaction::满意),
        of(Satisfaction::基本满意),
        of(Satisfaction::不满意),
    );
    let feedback = satisfied + basic + unsatisfied;
    SatisfactionFigures {
        feedback,
        satisfied,
        basic,
        unsatisfied,
        satisfied_rate: rate(satisfied, feedback),
        satisfied_or_basic_rate: rate(satisfied + basic, feedback),
    }
}

fn topics(cases: &[&Case]) -> Vec<Topic> {
    let mut g: Vec<(String, u64)> = groups(cases, |c| c.topic.as_deref())
        .into_iter()
        .map(|(k, v)| (k, v.len() as u64))
        .collect();
    g.sort_by_key(|(_, n)| std::cmp::Reverse(*n)); // stable: ties keep first appearance
    let shares = partition(&g.iter().map(|(_, n)| *n).collect::<Vec<_>>());
    g.into_iter()
        .zip(shares)
        .map(|((name, count), percent)| Topic { name, count, percent })
        .collect()
}

/// This year's side is the new cases (carried-over ones are not this year's suggestions).
fn yoy(prev: &Previous, new: &[&Case]) -> YearOverYear {
    let of_kind = |k: Kind| new.iter().filter(|c| c.kind == k).count() as u64;
    let of_level = |l: &str| new.iter().filter(|c| c.level.as_deref() == Some(l)).count() as u64;
    YearOverYear {
        previous_total: prev.total,
        growth_percent: prev.total.map(|p| growth(new.len() as u64, p)),
        by_kind: prev
            .by_kind
            .iter()
            .map(|(k, &p)| {
                let cur = of_kind(*k);
                (
                    *k,
                    Growth {
                        previous: p,
                        growth_percent: growth(cur, p),
                        current: cur,
                    },
                )
            })
            .collect(),
        by_level: prev
            .by_level
            .iter()
            .map(|(l, &p)| {
                let cur = of_level(l);
                (
                    l.clone(),
                    Growth {
                        previous: p,
                        growth_percent: growth(cur, p),
                        current: cur,
                    },
                )
            })
            .collect(),
    }
}

/// Computes every figure of `report`.
pub fn compute(report: &Report) -> Figures {
    let all: Vec<&Case> = report.cases.iter().collect();
    let total = all.len() as u64;
    let lead_cases: Vec<&Case> = all.iter().copied().filter(|c| c.handling.is_lead()).collect();
    let lead = lead_cases.len() as u64;
    let answered = count(&all, |c| c.answered.is_some());
    let on_time = count(&all, |c| report.on_time(c));
    let pending = count(&all, |c| report.pending(c));
    let due = total - pending;
    let new_cases: Vec<&Case> = all.iter().copied().filter(|c| !c.carried_over).collect();
    let consulted = count(&lead_cases, |c| c.met);
    let by_kind_all = by_kind(report, &all);
    let level_groups = groups(&all, |c| c.level.as_deref());
    let by_level = (!level_groups.is_empty()).then(|| {
        level_groups
            .iter()
            .map(|(l, cs)| {
                (
                    l.clone(),
                    LevelCount {
                        total: cs.len() as u64,
                        by_kind: by_kind(report, cs),
                    },
                )
            })
            .collect::<IndexMap<_, _>>()
    });
    let sources = groups(&all, |c| c.source.as_deref());
    let systems = groups(&all, |c| c.system.as_deref());
    let units = groups_many(&all, |c| c.units.iter().map(String::as_str))
        .into_iter()
        .map(|(name, cs)| {
            let lead = count(&cs, |c| c.handling.is_lead());
            UnitFigures {
                name,
                total: cs.len() as u64,
                lead,
                assist: cs.len() as u64 - lead,
                answered: count(&cs, |c| c.answered.is_some()),
                results: results(report, &cs),
                satisfied: count(&cs, |c| {
                    c.handling.is_lead() && c.final_satisfaction() == Satisfaction::满意
                }),
                consulted: count(&cs, |c| c.handling.is_lead() && c.met),
            }
        })
        .collect();
    Figures {
        total,
        by_role: RoleCount {
            lead,
            assist: total - lead,
        },
        answered,
        answer_rate: rate(answered, total),
        on_time,
        on_time_rate: rate(on_time, due),
        due,
        pending,
        overdue: due - answered,
        late: answered - on_time,
        new: new_cases.len() as u64,
        by_source: (!sources.is_empty()).then(|| {
            sources
                .iter()
                .map(|(k, cs)| {
                    (
                        k.clone(),
                        Total {
                            total: cs.len() as u64,
                        },
                    )
                })
                .collect()
        }),
        by_system: (!systems.is_empty()).then(|| {
            systems
                .iter()
                .map(|(k, cs)| (k.clone(), kind_count(report, cs)))
                .collect()
        }),
        // Second answers of lead cases: a 协办 case's 办理结果 is not counted (SPEC §2.2).
        second_results: class_counts(
            report,
            lead_cases
                .iter()
                .filter_map(|c| c.second.as_ref())
                .map(|s| s.result),
        ),
        lead,
        consulted,
        consult_rate: rate(consulted, lead),
        results: results(report, &all),
        satisfaction: satisfaction(&lead_cases),
        topics: topics(&all),
        units,
        key_supervised: count(&all, |c| c.key_supervised),
        leader_led: count(&all, |c| c.leader.is_some()),
        carried_over: count(&all, |c| c.carried_over),
        second_reply: count(&all, |c| c.second.is_some()),
        yoy: report.previous.as_ref().map(|p| yoy(p, &new_cases)),
        by_kind: by_kind_all,
        by_level,
        counts: report.counts.clone(),
    }
}
