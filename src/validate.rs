//! Checks across records: what no single field shows but a careful clerk would catch.

use crate::diag::{Diag, Diags};
use crate::gbt9704::chinese_date;
use crate::model::{Case, Report};
use chrono::Datelike;

/// Appends every cross-record problem of `report` to `diags`.
pub fn check(report: &Report, diags: &mut Diags) {
    let any_result = report.cases.iter().any(|c| c.result.is_some());
    let any_level = report.cases.iter().any(|c| c.level.is_some());
    if let Some(date) = report.date.filter(|d| *d < report.as_of) {
        diags.push(
            Diag::warning(
                report.at,
                format!(
                    "截止日期{}晚于成文日期{}",
                    chinese_date(report.as_of),
                    chinese_date(date)
                ),
            )
            .help("截止日期是总结中数字所反映的日期，不能晚于成文日期；不写截止日期时按成文日期计"),
        );
    }
    for c in &report.cases {
        dates(report, c, diags);
        if c.result.is_some() && !c.handling.is_lead() {
            diags.push(
                Diag::warning(
                    c.id_at,
                    format!("案件“{}”是{}件，却填了办理结果", c.id, c.handling.name()),
                )
                .help("办理结果由主办单位答复时确定，协办件的办理结果不计入统计；请删去，或核对承办方式"),
            );
        }
        if any_result && c.handling.is_lead() && c.answered.is_some() && c.final_result().is_none() {
            diags.push(
                Diag::warning(c.id_at, format!("主办件“{}”已答复，但没有填办理结果", c.id))
                    .help("补填办理结果，否则办理结果的分类统计会少算这一件"),
            );
        }
        if c.answered.is_none() {
            let filled: Vec<&str> = [
                (c.result.is_some(), "办理结果"),
                // 面商 is not listed: the unit meets the proposer before it answers.
                (c.satisfaction != crate::model::Satisfaction::未反馈, "满意度"),
            ]
            .into_iter()
            .filter_map(|(filled, name)| filled.then_some(name))
            .collect();
            if !filled.is_empty() {
                diags.push(
                    Diag::warning(
                        c.id_at,
                        format!("案件“{}”没有答复日期，却填了{}", c.id, filled.join("、")),
                    )
                    .help("没有答复的案件算作未办复；已经答复的，请补填答复日期，否则请删去这些内容"),
                );
            }
        }
        if any_level && c.level.is_none() {
            diags.push(
                Diag::warning(c.id_at, format!("案件“{}”没有填级别，其他案件填了", c.id))
                    .help("补填级别（如“市级”“区级”），否则按级别的统计会少算这一件"),
            );
        }
    }
}

fn dates(report: &Report, c: &Case, diags: &mut Diags) {
    let second = c.second.as_ref().and_then(|s| s.answered);
    for d in [c.assigned, c.answered, second].into_iter().flatten() {
        let y = d.year();
        if report.year != 0 && !(report.year - 3..=report.year + 1).contains(&y) {
            diags.push(
                Diag::warning(
                    c.at,
                    format!(
                        "案件“{}”的日期{}与年度{}相差较远",
                        c.id,
                        chinese_date(d),
                        report.year
                    ),
                )
                .help("请核对年份是否录错"),
            );
        }
    }
    if let (Some(a), Some(r)) = (c.assigned, c.answered) {
        if r < a {
            diags.push(
                Diag::error(
                    c.id_at,
                    format!(
                        "案件“{}”的答复日期{}早于交办日期{}",
                        c.id,
                        chinese_date(r),
                        chinese_date(a)
                    ),
                )
                .help("答复不能早于交办，请核对两个日期"),
            );
        }
    }
    if let (Some(first), Some(s)) = (c.answered, second) {
        if s < first {
            diags.push(
                Diag::error(
                    c.id_at,
                    format!(
                        "案件“{}”的二次答复日期{}早于首次答复日期{}",
                        c.id,
                        chinese_date(s),
                        chinese_date(first)
                    ),
                )
                .help("请核对二次答复的日期"),
            );
        }
    }
    if c.second.is_some() && c.answered.is_none() {
        diags.push(
            Diag::warning(c.id_at, format!("案件“{}”有二次答复，却没有首次答复日期", c.id))
                .help("补填首次答复的“答复日期”"),
        );
    }
    if let Some(r) = c
        .answered
        .max(second)
        .filter(|r| *r > report.as_of && report.year != 0)
    {
        let which = if report.date == Some(report.as_of) {
            "成文日期"
        } else {
            "截止日期"
        };
        diags.push(
            Diag::warning(
                c.id_at,
                format!(
                    "案件“{}”的答复日期{}晚于总结的{which}{}",
                    c.id,
                    chinese_date(r),
                    chinese_date(report.as_of)
                ),
            )
            .help(format!(
                "请核对答复日期或{which}：总结中的数字是截至{which}的情况"
            )),
        );
    }
}
