//! For each example in data/ and each built-in template, the text states the same figures
//! as `stats --json`: every rate, every result class with its share, the total, and no
//! percentage that the figures do not contain.

use crate::common::files::copy_dir;
use crate::common::run_in;
use regex::Regex;
use serde_json::Value;
use std::path::Path;

/// Every percentage anywhere in the figures, as printed in text.
fn percents(v: &Value, out: &mut Vec<String>, key: &str) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| percents(v, out, k)),
        Value::Array(a) => a.iter().for_each(|v| percents(v, out, key)),
        Value::Number(n) if key.ends_with("rate") || key.ends_with("percent") => {
            let tenths = (n.as_f64().unwrap() * 10.0).round() as i64;
            out.push(match (tenths.abs() % 10, tenths) {
                (0, t) => format!("{}", t.abs() / 10),
                (d, t) => format!("{}.{d}", t.abs() / 10),
            });
        }
        _ => {}
    }
}

fn pct(v: &Value) -> String {
    let Some(x) = v.as_f64() else {
        return format!("absent ({v})");
    };
    let t = (x * 10.0).round() as i64;
    if t % 10 == 0 {
        format!("{}", t / 10)
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}

fn check(text: &str, figs: &Value, what: &str) {
    let rate_keys = [
        ("办复率", "answer_rate"),
        ("按期办结率", "on_time_rate"),
        ("面商率", "consult_rate"),
        ("满意率", "satisfied_rate"),
        ("满意和基本满意率", "satisfied_or_basic_rate"),
    ];
    let rates = Regex::new(r"((?:[\p{Han}]+率、)*[\p{Han}]+率)均?为(\d+(?:\.\d)?)%").unwrap();
    let mut seen = 0;
    for cap in rates.captures_iter(text) {
        for name in cap[1].split('、') {
            let name = name.trim_start_matches("截至目前，");
            if let Some((_, key)) = rate_keys.iter().find(|(n, _)| *n == name) {
                let value = if key.starts_with("satisfied") {
                    &figs["satisfaction"][key]
                } else {
                    &figs[key]
                };
                assert_eq!(pct(value), &cap[2], "{what}: {name} in “{}”", &cap[0]);
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "{what}: no rate stated");
    let classes = Regex::new(r"（([A-Z])类）(\d+)件，占(\d+(?:\.\d)?)%").unwrap();
    for cap in classes.captures_iter(text) {
        let r = &figs["results"][&cap[1]];
        assert_eq!(
            r["count"].as_u64().unwrap().to_string(),
            &cap[2],
            "{what}: {}",
            &cap[0]
        );
        assert_eq!(pct(&r["percent"]), &cap[3], "{what}: {}", &cap[0]);
    }
    let total = Regex::new(r"全年共(?:承办|收到)[^0-9]*?(\d+)件").unwrap();
    if let Some(cap) = total.captures(text) {
        assert_eq!(
            figs["total"].as_u64().unwrap().to_string(),
            &cap[1],
            "{what}: {}",
            &cap[0]
        );
    }
    let mut known = vec![];
    percents(figs, &mut known, "");
    // 自动 problems state a unit's 面商率 with its counts: check the rounding and accept it.
    let unit_rate = Regex::new(r"面商率为(\d+(?:\.\d)?)%（(\d+)件主办件中面商(\d+)件）").unwrap();
    for cap in unit_rate.captures_iter(text) {
        let (lead, met): (u64, u64) = (cap[2].parse().unwrap(), cap[3].parse().unwrap());
        let mut tenths = (2 * met * 1000 + lead) / (2 * lead);
        if met < lead && tenths == 1000 {
            tenths = 999;
        }
        let shown = if tenths % 10 == 0 {
            format!("{}", tenths / 10)
        } else {
            format!("{}.{}", tenths / 10, tenths % 10)
        };
        assert_eq!(shown, &cap[1], "{what}: {}", &cap[0]);
        known.push(shown);
    }
    for cap in Regex::new(r"(\d+(?:\.\d)?)%").unwrap().captures_iter(text) {
        assert!(
            known.contains(&cap[1].to_string()),
            "{what}: {}% is not among the figures",
            &cap[1]
        );
    }
}

#[test]
fn every_example_with_every_template_states_the_figures_of_stats_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for example in ["minzhengju", "qingshanqu", "renda", "zhenrenda"] {
        let stats = run_in(root, &["stats", &format!("data/{example}"), "--json"]);
        let figs: Value = serde_json::from_str(&stats.stdout).unwrap();
        for template in ["建议提案办理", "代表建议督办", "人大工作"] {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(&root.join("data").join(example), dir.path());
            let report = dir.path().join("报告.yaml");
            let yaml = std::fs::read_to_string(&report).unwrap();
            let yaml: String = yaml
                .lines()
                .filter(|l| !l.starts_with("模板:"))
                .map(|l| format!("{l}\n"))
                .collect::<String>()
                + &format!("模板: {template}\n");
            std::fs::write(&report, yaml).unwrap();
            let out = run_in(dir.path(), &["build", ".", "-f", "txt", "-o", "out"]);
            let what = format!("{example} × {template}");
            assert_eq!(out.code, 0, "{what}: {}", out.stderr);
            let file = std::fs::read_dir(dir.path().join("out"))
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path();
            let text = std::fs::read_to_string(file).unwrap();
            assert!(text.contains("一、"), "{what}: no numbered sections");
            check(&text, &figs, &what);
        }
    }
}
