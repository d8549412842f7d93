//! 附表: the figures as ruled tables, each an attachment on its own page.

use crate::document::{Attachment, Block, Table};
use crate::figures::round::Percent;
use crate::figures::Figures;
use crate::model::Report;

fn pct(p: Option<Percent>) -> String {
    p.map_or("—".into(), |p| format!("{p}%"))
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(std::string::ToString::to_string).collect()
}

pub fn attachments(report: &Report, figs: &Figures) -> Vec<Attachment> {
    let mut rows = vec![row(&["总件数", &figs.total.to_string(), ""])];
    for (k, c) in &figs.by_kind {
        // No zero clause in a label (`协办0件`).
        let roles: Vec<String> = [("主办", c.lead), ("协办", c.assist)]
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(r, n)| format!("{r}{n}件"))
            .collect();
        rows.push(vec![
            format!("{}（{}）", super::prose::kind_long(*k), roles.join("、")),
            c.total.to_string(),
            String::new(),
        ]);
    }
    rows.push(row(&[
        "已办复",
        &figs.answered.to_string(),
        &pct(figs.answer_rate),
    ]));
    if figs.pending > 0 {
        rows.push(row(&["在办未到期", &figs.pending.to_string(), ""]));
        rows.push(row(&["应办结", &figs.due.to_string(), ""]));
    }
    rows.push(row(&[
        if figs.pending > 0 {
            "按期办结（占应办结）"
        } else {
            "按期办结"
        },
        &figs.on_time.to_string(),
        &pct(figs.on_time_rate),
    ]));
    for (name, n) in [("超期答复", figs.late), ("超期未答复", figs.overdue)] {
        if n > 0 {
            rows.push(row(&[name, &n.to_string(), ""]));
        }
    }
    rows.push(row(&[
        "面商（主办件）",
        &figs.consulted.to_string(),
        &pct(figs.consult_rate),
    ]));
    for (l, label) in &report.scheme.classes {
        if let Some(s) = figs.results.get(l) {
            rows.push(vec![
                format!("{l}类：{label}"),
                s.count.to_string(),
                pct(s.percent),
            ]);
        }
    }
    let s = &figs.satisfaction;
    rows.push(row(&["满意", &s.satisfied.to_string(), &pct(s.satisfied_rate)]));
    rows.push(row(&["基本满意", &s.basic.to_string(), ""]));
    rows.push(row(&["不满意", &s.unsatisfied.to_string(), ""]));
    let mut out = vec![Attachment {
        label: String::new(),
        title: format!(
            "{}{}年{}办理情况统计表",
            report.unit,
            report.year,
            super::prose::collective(figs)
        ),
        blocks: vec![Block::Table(Table {
            header: row(&["项目", "件数", "比例"]),
            rows,
            numeric: vec![false, true, true],
        })],
    }];
    if figs.units.len() > 1 {
        let rows = figs
            .units
            .iter()
            .map(crate::figures::UnitFigures::cells)
            .collect();
        out.push(Attachment {
            label: String::new(),
            title: "承办单位办理情况表".into(),
            blocks: vec![Block::Table(Table {
                header: row(&crate::figures::UnitFigures::HEADER),
                rows,
                numeric: vec![false, true, true, true, true, true],
            })],
        });
    }
    let many = out.len() > 1;
    for (i, a) in out.iter_mut().enumerate() {
        a.label = if many {
            format!("附件{}", i + 1)
        } else {
            "附件".into()
        };
    }
    out
}
