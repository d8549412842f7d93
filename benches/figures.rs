//! Loading, checking and computing the figures of a report of 100,000 generated cases.
//! The goal (issue 2): under 2 seconds on the 2-core machine. Results go in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write;
use std::path::Path;

const TOPICS: &[&str] = &[
    "交通建设",
    "城市管理",
    "教育",
    "医疗卫生",
    "养老服务",
    "农业农村",
    "生态环境",
    "社会保障",
];
const UNITS: &[&str] = &[
    "区教育局",
    "区住建委",
    "区卫健委",
    "区民政局",
    "区交通局",
    "区农业农村委",
    "区生态环境局",
];
const RESULTS: &[&str] = &["A", "A", "A", "B", "B", "C", "D"];
const SATISFACTION: &[&str] = &["满意", "满意", "满意", "基本满意", "不满意", "未反馈"];

/// A case file of `n` records with every field of SPEC §2.2 in use.
pub fn generate(n: usize) -> String {
    let mut s = String::with_capacity(n * 420);
    for i in 0..n {
        let kind = ["建议", "提案", "建议", "议案"][i % 4];
        let role = ["主办", "协办", "会办", "分办", "主办"][i % 5];
        let (m, d) = (1 + i % 6, 1 + i % 28);
        let _ = write!(
            s,
            "- 编号: {kind}第{i}号\n  类别: {kind}\n  标题: 关于加快推进第{i}项民生工程建设的{kind}\n  提出人: 王某某\n  承办方式: {role}\n  承办单位: {unit}\n  级别: {level}\n  来源: 区十七届人大五次会议\n  领域: {topic}\n  交办日期: 2024-{m:02}-{d:02}\n",
            unit = UNITS[i % UNITS.len()],
            level = if i % 6 == 0 { "市级" } else { "区级" },
            topic = TOPICS[(i * 7 / 3) % TOPICS.len()],
        );
        if i % 50 != 0 {
            let _ = writeln!(s, "  答复日期: 2024/{}/{}", m + 2 + i % 3, d);
        }
        if role != "协办" && role != "会办" {
            let _ = write!(
                s,
                "  办理结果: {}\n  面商: {}\n  满意度: {}\n",
                RESULTS[i % RESULTS.len()],
                if i % 9 == 0 { "否" } else { "是" },
                SATISFACTION[i % SATISFACTION.len()]
            );
        }
        if i % 97 == 0 {
            s.push_str("  重点督办: 是\n  领办领导: 分管副区长\n");
        }
    }
    s
}

fn write_fixture(dir: &Path, n: usize) {
    std::fs::write(
        dir.join("报告.yaml"),
        "单位: 青山区人民政府\n年度: 2024\n案件: 案件.yaml\n上年: {总数: 90000, 市级: 15000, 区级: 75000}\n",
    )
    .expect("write report");
    std::fs::write(dir.join("案件.yaml"), generate(n)).expect("write cases");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    write_fixture(dir.path(), 100_000);
    let report = dir.path().join("报告.yaml");
    let mut g = c.benchmark_group("check+figures");
    g.sample_size(10);
    g.bench_function("100000 cases", |b| {
        b.iter(|| {
            let mut ctx = zongjie::Ctx::default();
            let checked = zongjie::check(&mut ctx, &report)
                .expect("readable")
                .expect("loads");
            assert!(
                !ctx.diags.has_errors(),
                "{}",
                ctx.diags.render(&ctx.sources, false)
            );
            assert_eq!(checked.figures.total, 100_000);
            checked.figures.answered
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
