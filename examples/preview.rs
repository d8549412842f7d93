#![allow(clippy::print_stdout)] // a command-line tool: its timings go to stdout
//! Draws the pages of a report as the live preview does, through the library's public API
//! (`prepare` → `preview` → `Preview::page_svg`), writes them as SVG files and prints how
//! long each step took — what a server would do after an edit, for looking at pages and for
//! timing.
//!
//!   cargo run --example preview -- data/qingshanqu out/preview [PAGE…]
//!
//! Pages are counted from 1; without any, every page is drawn.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let (Some(report), Some(out)) = (args.next(), args.next()) else {
        println!("用法：cargo run --example preview -- <报告> <输出目录> [页码…]");
        std::process::exit(2);
    };
    let pages: Vec<usize> = args
        .filter_map(|a| a.to_str().and_then(|s| s.parse().ok()))
        .collect();
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).expect("the output folder");

    let start = Instant::now();
    let mut ctx = zongjie::Ctx::default();
    let Some(prepared) = zongjie::prepare(&mut ctx, &PathBuf::from(report)).expect("readable") else {
        println!("{}", zongjie::summary(&ctx.diags));
        std::process::exit(1);
    };
    let prepared_at = start.elapsed();
    let preview = zongjie::preview(&mut ctx, &prepared);
    let laid_out_at = start.elapsed();
    let wanted: Vec<usize> = if pages.is_empty() {
        (1..=preview.pages()).collect()
    } else {
        pages
    };
    let mut bytes = 0;
    for n in &wanted {
        let Some(svg) = preview.page_svg(n - 1) else {
            println!("没有第 {n} 页（共 {} 页）", preview.pages());
            continue;
        };
        bytes += svg.len();
        std::fs::write(out.join(format!("{n}.svg")), svg).expect("write the SVG");
    }
    let drawn_at = start.elapsed();
    println!(
        "{} 页；准备 {:.1} ms，排版 {:.1} ms，画 {} 页 {:.1} ms（{} KB）",
        preview.pages(),
        prepared_at.as_secs_f64() * 1e3,
        (laid_out_at - prepared_at).as_secs_f64() * 1e3,
        wanted.len(),
        (drawn_at - laid_out_at).as_secs_f64() * 1e3,
        bytes / 1024
    );
}
