//! The figures screen: every figure of `zongjie stats` with its Chinese name, bar charts drawn
//! here as inline SVG (办理结果, 满意度, 承办单位, 领域, 历年 and 上年), and the 核对 results. Nothing is
//! fetched: the charts are a few rectangles and labels.

use super::page::{frame, link, respond, Oops};
use super::security::resolve;
use super::{param, work, State};
use crate::load::Ctx;
use axum::extract::Query;
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;

/// Bars shown at most in one chart (the rest are in the tables).
const MAX_BARS: usize = 15;

pub async fn show(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    work(move || {
        let rel = param(&q, "p")?;
        let path = resolve(&state.root, rel)?;
        let mut ctx = Ctx::confined_to(&state.root);
        let checked = crate::pipeline::check(&mut ctx, &path).map_err(|e| Oops::bad(e.to_string()))?;
        let Some(c) = checked else {
            return Err(Oops::bad(
                "报告有错误，算不出数字。请回到报告页面，按“检查结果”改正后再看。",
            ));
        };
        let body = screen(&c, rel);
        Ok(respond(frame(
            "各项数字",
            &[(rel.to_owned(), link("/report", &[("p", rel)]))],
            &body,
        )))
    })
    .await
}

fn screen(c: &crate::pipeline::Checked, rel: &str) -> Markup {
    let figs = serde_json::to_value(&c.figures).unwrap_or(Json::Null);
    let scheme = &c.report.scheme;
    let label = |letter: &str| {
        scheme
            .classes
            .iter()
            .find(|(l, _)| l == letter)
            .map_or_else(|| letter.to_owned(), |(l, w)| format!("{l}类 {w}"))
    };
    let count = |v: &Json| v.get("count").and_then(Json::as_f64).unwrap_or(0.0);
    let results: Vec<(String, f64)> = figs["results"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (label(k), count(v))).collect())
        .unwrap_or_default();
    let sat = &figs["satisfaction"];
    let satisfaction: Vec<(String, f64)> = ["满意", "基本满意", "不满意"]
        .iter()
        .map(|k| ((*k).to_owned(), sat[*k].as_f64().unwrap_or(0.0)))
        .collect();
    let list = |key: &str, value: &str| -> Vec<(String, f64)> {
        figs[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|u| {
                        let name = u["name"].as_str().unwrap_or_default().to_owned();
                        (name, u[value].as_f64().unwrap_or(0.0))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut units = list("units", "total");
    // Most cases first; the sort is stable, so ties keep the records' order.
    units.sort_by(|a, b| b.1.total_cmp(&a.1));
    let topics = list("topics", "count");
    // Earlier years (历年, oldest first), last year, and this year's new cases.
    let mut years: Vec<(String, f64)> = c
        .report
        .history
        .iter()
        .filter(|(y, _)| *y < c.report.year - 1)
        .filter_map(|(y, p)| Some((format!("{y}年"), p.total? as f64)))
        .collect();
    if let Some(prev) = figs["yoy"]["previous_total"].as_f64() {
        years.push((format!("{}年", c.report.year - 1), prev));
    }
    if !years.is_empty() {
        let this = figs["new"].as_f64().unwrap_or(0.0);
        years.push((format!("{}年（本年新交办）", c.report.year), this));
    }
    let checks = crate::figures::verify::results(&c.report, &c.figures);
    html! {
        p { a href=(link("/report", &[("p", rel)])) { "返回报告" } }
        div.charts {
            (chart("办理结果（主办件）", "chart-results", &results))
            (chart("满意度（已反馈的主办件）", "chart-satisfaction", &satisfaction))
            (chart("承办单位（件数）", "chart-units", &units))
            (chart("领域", "chart-topics", &topics))
            @if !years.is_empty() { (chart("历年件数", "chart-yoy", &years)) }
        }
        section.card data-testid="checks" {
            h2 { "核对" }
            @if checks.is_empty() {
                p.muted { "报告中没有填写“核对”。" }
            } @else {
                table {
                    thead { tr { th { "核对项" } th { "声明的件数" } th { "案件记录中的件数" } th { "结果" } } }
                    tbody {
                        @for (key, declared, counted) in &checks {
                            tr data-testid="check" {
                                td { (key) }
                                td { (declared) }
                                @match counted {
                                    Ok(n) => {
                                        td { (n) }
                                        td class=(if n == declared { "ok" } else { "bad" }) { @if n == declared { "相符" } @else { "不符" } }
                                    }
                                    Err(part) => { td {} td.bad { "无法识别“" (part) "”" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card data-testid="figure-table" {
            h2 { "全部数字" }
            p.muted { "正文中可用 {{ 名称 }} 引用这些数字，如 {{ 办复率 }}。" }
            table {
                thead { tr { th { "名称" } th { "数值" } th { "含义" } } }
                tbody {
                    @for (name, value, meaning) in crate::figures::names::named(&c.figures, scheme) {
                        tr { td { (name) } td { (value.to_string()) } td.muted { (meaning) } }
                    }
                }
            }
        }
    }
}

/// A horizontal bar chart as inline SVG: one bar per item, its label on the left and its
/// value on the right.
fn chart(title: &str, id: &str, items: &[(String, f64)]) -> Markup {
    let items: Vec<&(String, f64)> = items.iter().take(MAX_BARS).collect();
    let max = items.iter().map(|(_, v)| *v).fold(0.0, f64::max).max(1.0);
    let (row, label_w, bar_w) = (26.0, 190.0, 260.0);
    let height = row * items.len().max(1) as f64 + 8.0;
    html! {
        figure.chart data-testid=(id) {
            figcaption { (title) }
            @if items.is_empty() {
                p.muted { "没有数据" }
            } @else {
                svg xmlns="http://www.w3.org/2000/svg" width=(label_w + bar_w + 60.0) height=(height) role="img" aria-label=(title) {
                    @for (i, (label, value)) in items.iter().enumerate() {
                        @let y = 4.0 + row * i as f64;
                        @let w = (bar_w * value / max).max(if *value > 0.0 { 2.0 } else { 0.0 });
                        text x=(label_w - 6.0) y=(y + 17.0) text-anchor="end" { (short(label)) }
                        rect x=(label_w) y=(y + 4.0) width=(format!("{w:.1}")) height=(row - 8.0) rx="2" {}
                        text x=(label_w + w + 6.0) y=(y + 17.0) { (value) }
                    }
                }
            }
        }
    }
}

/// A label cut to fit the chart's label column.
fn short(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= 13 {
        label.to_owned()
    } else {
        chars[..12].iter().collect::<String>() + "…"
    }
}
