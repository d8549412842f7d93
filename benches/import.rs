//! Importing a ledger of 10,000 rows (goal, issue 8: under 2 seconds). Results in BENCHMARKS.md.
//!
//! With `ZONGJIE_WRITE_LEDGER=<path>` it writes the same ledger with `ZONGJIE_LEDGER_ROWS`
//! cases (default 1,048,573: a full sheet of 1,048,575 rows) and runs no benchmark, for
//! measuring the peak memory of `zongjie import` (BENCHMARKS.md, "import: peak memory").

use criterion::{criterion_group, Criterion};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn ledger(path: &std::path::Path, n: u32) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 9, "青山区2024年建议提案办理台账", &Format::new())
        .unwrap();
    let header = [
        "序号",
        "建议编号",
        "案由",
        "领衔代表",
        "主办/协办",
        "承办单位",
        "交办时间",
        "答复时间",
        "答复类别",
        "是否面商",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for i in 0..n {
        let r = i + 2;
        ws.write_number(r, 0, f64::from(i + 1)).unwrap();
        ws.write_string(r, 1, format!("建议第{i}号")).unwrap();
        ws.write_string(r, 2, format!("关于加快推进第{i}项民生工程建设的建议"))
            .unwrap();
        ws.write_string(r, 3, "王某某").unwrap();
        ws.write_string(r, 4, if i % 3 == 0 { "协办" } else { "主办" })
            .unwrap();
        ws.write_string(r, 5, ["区教育局", "区住建委", "区卫健委"][(i % 3) as usize])
            .unwrap();
        let d = ExcelDateTime::from_ymd(2024, (1 + i % 6) as u8, (1 + i % 28) as u8).unwrap();
        ws.write_datetime_with_format(r, 6, &d, &date).unwrap();
        ws.write_string(r, 7, format!("2024/{}/{}", 3 + i % 6, 1 + i % 28))
            .unwrap();
        ws.write_string(r, 8, ["A类", "B类", "C类"][(i % 3) as usize])
            .unwrap();
        ws.write_string(r, 9, if i % 4 == 0 { "×" } else { "√" }).unwrap();
    }
    wb.save(path).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.xlsx");
    ledger(&path, 10_000);
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function("10000-row xlsx to YAML", |b| {
        b.iter(|| {
            let ledger = zongjie::read_ledger(&path, None, &[]).unwrap();
            assert_eq!(ledger.imported.records.len(), 10_000);
            ledger.imported.to_yaml("台账.xlsx").unwrap().len()
        });
    });
    g.finish();
}

criterion_group!(benches, bench);

fn main() {
    if let Some(path) = std::env::var_os("ZONGJIE_WRITE_LEDGER") {
        let rows = std::env::var("ZONGJIE_LEDGER_ROWS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1_048_573);
        ledger(std::path::Path::new(&path), rows);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
