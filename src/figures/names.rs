//! The Chinese names under which figures appear in `zongjie stats` and in text
//! (`{{ 办复率 }}`, `{{ 建议件数 }}`, `{{ 统计.调研 }}`).

use super::round::Percent;
use super::Figures;
use crate::model::{Count, Kind, Scheme};

/// A figure's value as text uses it.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureValue {
    /// A number of cases.
    Cases(u64),
    /// A percentage; None when its denominator is zero.
    Percent(Option<Percent>),
    /// A number from 统计, as written.
    Number(Count),
}

impl std::fmt::Display for FigureValue {
    /// `25`, `96.3%`, `—` for an absent rate.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FigureValue::Cases(n) => write!(f, "{n}"),
            FigureValue::Percent(Some(p)) => write!(f, "{p}%"),
            FigureValue::Percent(None) => write!(f, "—"),
            FigureValue::Number(n) => write!(f, "{n}"),
        }
    }
}

/// Every named figure, in a stable order: name, value, and a short description.
pub fn named(figs: &Figures, scheme: &Scheme) -> Vec<(String, FigureValue, &'static str)> {
    use FigureValue::{Cases, Percent as P};
    let mut v: Vec<(String, FigureValue, &'static str)> =
        vec![("总件数".into(), Cases(figs.total), "案件总数")];
    for k in Kind::ALL {
        let c = figs.by_kind.get(&k).cloned().unwrap_or_default();
        v.push((format!("{}件数", k.name()), Cases(c.total), "该类别件数"));
        v.push((format!("{}主办件数", k.name()), Cases(c.lead), "该类别中主办件数"));
        v.push((
            format!("{}协办件数", k.name()),
            Cases(c.assist),
            "该类别中协办件数",
        ));
    }
    v.extend([
        (
            "主办件数".into(),
            Cases(figs.by_role.lead),
            "主办（含分办、独办）件数",
        ),
        (
            "协办件数".into(),
            Cases(figs.by_role.assist),
            "协办（含会办）件数",
        ),
        ("办复件数".into(), Cases(figs.answered), "已答复件数"),
        ("办复率".into(), P(figs.answer_rate), "已答复件数 ÷ 总件数"),
        (
            "按期办结件数".into(),
            Cases(figs.on_time),
            "在办理时限内答复的件数",
        ),
        (
            "按期办结率".into(),
            P(figs.on_time_rate),
            "按期办结件数 ÷ 应办结件数",
        ),
        (
            "应办结件数".into(),
            Cases(figs.due),
            "截止日期时已答复或办理期限已到的件数",
        ),
        (
            "在办件数".into(),
            Cases(figs.pending),
            "未答复、办理期限未到（在办未到期）的件数",
        ),
        (
            "超期未复件数".into(),
            Cases(figs.overdue),
            "未答复、办理期限已过的件数",
        ),
        (
            "超期答复件数".into(),
            Cases(figs.late),
            "超过办理期限才答复的件数",
        ),
        (
            "新交办件数".into(),
            Cases(figs.new),
            "本年新交办的件数（总件数减跨年度件数）",
        ),
        ("面商件数".into(), Cases(figs.consulted), "主办件中面商的件数"),
        ("面商率".into(), P(figs.consult_rate), "面商件数 ÷ 主办件数"),
    ]);
    for (letter, _) in &scheme.classes {
        let s = figs.results.get(letter);
        v.push((
            format!("{letter}类件数"),
            Cases(s.map_or(0, |s| s.count)),
            "该类办理结果的主办件数",
        ));
        v.push((
            format!("{letter}类占比"),
            P(s.and_then(|s| s.percent)),
            "该类占有办理结果的主办件的比例",
        ));
    }
    for (letter, c) in &figs.second_results {
        v.push((
            format!("二次答复{letter}类件数"),
            Cases(c.count),
            "二次答复后为该类办理结果的件数",
        ));
    }
    for (source, t) in figs.by_source.iter().flatten() {
        v.push((format!("{source}件数"), Cases(t.total), "该来源的件数"));
    }
    for (system, c) in figs.by_system.iter().flatten() {
        v.push((format!("{system}系统件数"), Cases(c.total), "该承办系统的件数"));
    }
    let s = &figs.satisfaction;
    v.extend([
        ("反馈件数".into(), Cases(s.feedback), "主办件中有满意度反馈的件数"),
        ("满意件数".into(), Cases(s.satisfied), "反馈满意的件数"),
        ("基本满意件数".into(), Cases(s.basic), "反馈基本满意的件数"),
        ("不满意件数".into(), Cases(s.unsatisfied), "反馈不满意的件数"),
        ("满意率".into(), P(s.satisfied_rate), "满意件数 ÷ 反馈件数"),
        (
            "满意和基本满意率".into(),
            P(s.satisfied_or_basic_rate),
            "（满意＋基本满意）÷ 反馈件数",
        ),
        (
            "重点督办件数".into(),
            Cases(figs.key_supervised),
            "重点督办的件数",
        ),
        ("领导领办件数".into(), Cases(figs.leader_led), "有领办领导的件数"),
        (
            "跨年度件数".into(),
            Cases(figs.carried_over),
            "跨年度滚动办理的件数",
        ),
        (
            "二次答复件数".into(),
            Cases(figs.second_reply),
            "有二次答复的件数",
        ),
    ]);
    if let Some(y) = &figs.yoy {
        if let Some(p) = y.previous_total {
            v.push(("上年总件数".into(), Cases(p), "上年新交办的案件总数"));
        }
        if let Some(g) = y.growth_percent {
            v.push(("同比增长".into(), P(g), "新交办件数较上年增长的百分比"));
        }
        for (k, g) in &y.by_kind {
            v.push((format!("上年{k}件数"), Cases(g.previous), "上年该类别新交办件数"));
            v.push((
                format!("{k}同比增长"),
                P(g.growth_percent),
                "该类别较上年增长的百分比",
            ));
        }
        for (l, g) in &y.by_level {
            v.push((format!("上年{l}件数"), Cases(g.previous), "上年该级别件数"));
            v.push((
                format!("{l}同比增长"),
                P(g.growth_percent),
                "该级别较上年增长的百分比",
            ));
        }
    }
    for (k, n) in &figs.counts {
        v.push((format!("统计.{k}"), FigureValue::Number(*n), "报告“统计”中的数字"));
    }
    v
}
