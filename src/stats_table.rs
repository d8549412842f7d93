//! `zongjie stats` without `--json`: the figures as Chinese tables a clerk can read, listing
//! the names under which text can use them.

use crate::figures::names::named;
use crate::figures::round::Percent;
use crate::figures::Figures;
use crate::model::Kind;
use crate::model::Report;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};

fn table(header: &[&str], rows: Vec<Vec<String>>, right_from: usize) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).set_header(header.to_vec());
    for r in rows {
        t.add_row(r);
    }
    for i in right_from..header.len() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.to_string()
}

fn pct(p: Option<Percent>) -> String {
    p.map_or("—".into(), |p| format!("{p}%"))
}

/// The whole `stats` text for one report.
pub fn render(report: &Report, figs: &Figures) -> String {
    let mut out = format!(
        "{}{}年 {}办理统计\n\n",
        report.unit,
        report.year,
        crate::compose::prose::collective(figs)
    );
    out.push_str("主要数字（文字中可写作 {{ 名称 }} 引用）\n");
    let rows = named(figs, &report.scheme)
        .into_iter()
        .map(|(name, value, about)| vec![name, value.to_string(), about.to_owned()])
        .collect();
    out.push_str(&table(&["名称", "数值", "说明"], rows, 1));
    out.push('\n');

    out.push_str(&format!("\n办理结果（分类方案：{}）\n", report.scheme.name));
    let rows = report
        .scheme
        .classes
        .iter()
        .map(|(l, label)| {
            let s = figs.results.get(l);
            vec![
                format!("{l}类"),
                label.clone(),
                s.map_or(0, |s| s.count).to_string(),
                pct(s.and_then(|s| s.percent)),
            ]
        })
        .collect();
    out.push_str(&table(&["类别", "含义", "件数", "占比"], rows, 2));
    out.push('\n');

    if let Some(levels) = &figs.by_level {
        out.push_str("\n按级别\n");
        let rows = levels
            .iter()
            .map(|(l, c)| {
                let k = |kind: Kind| {
                    c.by_kind.get(&kind).map_or("—".into(), |k| {
                        format!("{}（主办{}、协办{}）", k.total, k.lead, k.assist)
                    })
                };
                vec![
                    l.clone(),
                    c.total.to_string(),
                    k(Kind::建议),
                    k(Kind::议案),
                    k(Kind::提案),
                ]
            })
            .collect();
        out.push_str(&table(&["级别", "总件数", "建议", "议案", "提案"], rows, 1));
        out.push('\n');
    }
    if !figs.topics.is_empty() {
        out.push_str("\n领域（件数从多到少）\n");
        let rows = figs
            .topics
            .iter()
            .map(|t| vec![t.name.clone(), t.count.to_string(), pct(t.percent)])
            .collect();
        out.push_str(&table(&["领域", "件数", "占比"], rows, 1));
        out.push('\n');
    }
    if !figs.units.is_empty() {
        out.push_str("\n承办单位\n");
        let rows = figs
            .units
            .iter()
            .map(crate::figures::UnitFigures::cells)
            .collect();
        out.push_str(&table(&crate::figures::UnitFigures::HEADER, rows, 1));
        out.push('\n');
    }
    out
}
