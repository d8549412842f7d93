//! The library's half of the web interface's edit-to-preview (issue 17: under 300 ms for the
//! 336-case example): prepare data/qingshanqu, lay it out once, draw page 1 as SVG; and
//! drawing one more page from the kept layout. The server adds its HTTP round trip.
//! Results go in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

fn preview(c: &mut Criterion) {
    let report = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/qingshanqu");
    let mut g = c.benchmark_group("preview");
    g.sample_size(20);
    g.bench_function("prepare + layout + page 1 (qingshanqu)", |b| {
        b.iter(|| {
            let mut ctx = zongjie::Ctx::default();
            let p = zongjie::prepare(&mut ctx, &report).unwrap().unwrap();
            let preview = zongjie::preview(&mut ctx, &p);
            preview.page_svg(0).unwrap().len()
        });
    });
    let mut ctx = zongjie::Ctx::default();
    let p = zongjie::prepare(&mut ctx, &report).unwrap().unwrap();
    let preview = zongjie::preview(&mut ctx, &p);
    g.bench_function("one more page from the kept layout (qingshanqu page 2)", |b| {
        b.iter(|| preview.page_svg(1).unwrap().len());
    });
    g.finish();
}

criterion_group!(benches, preview);
criterion_main!(benches);
