//! 汇编: several 篇 with a cover and a 目录 whose page numbers are the true ones.

use crate::common::pdf::lines;
use crate::common::{run_in, Fixture};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build(dir: &Path, formats: &str) -> (Vec<u8>, Vec<u8>) {
    let out = run_in(
        root(),
        &[
            "build",
            "data/huibian",
            "-f",
            formats,
            "-o",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let read = |ext: &str| {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .map(|p| std::fs::read(p).unwrap())
            .unwrap_or_default()
    };
    (read("pdf"), read("docx"))
}

/// The printed number of a page, if it has one.
fn number(page: &[crate::common::pdf::Line]) -> Option<usize> {
    let last = page.last()?;
    let t = last.text.replace(' ', "");
    t.strip_prefix('—')?.strip_suffix('—')?.parse().ok()
}

#[test]
fn toc_numbers_are_the_pages_where_each_part_starts_and_numbers_run_without_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _) = build(dir.path(), "pdf");
    let pages = lines(&pdf);
    // Cover and 目录 are unnumbered; the body starts on an odd page numbered 1.
    assert_eq!(number(&pages[0]), None);
    assert!(
        pages[0].iter().any(|l| l.text == "建议提案办理工作总结汇编"),
        "cover title"
    );
    assert!(pages[0].iter().any(|l| l.text == "江城市人民政府办公室"));
    assert_eq!(pages[1][0].text, "目　录");
    assert_eq!(number(&pages[1]), None);
    let numbers: Vec<usize> = pages[2..]
        .iter()
        .map(|p| number(p).expect("every body page is numbered"))
        .collect();
    assert_eq!(
        numbers,
        (1..=numbers.len()).collect::<Vec<_>>(),
        "page numbers run without gaps"
    );
    // Each 目录 entry's number is the printed number of the page whose first line is its label.
    let entries: Vec<(String, usize)> = toc_entries(&pages[1][1..])
        .iter()
        .map(|t| {
            let digits: String = t.chars().rev().take_while(char::is_ascii_digit).collect();
            (
                t.chars().take(2).collect(),
                digits.chars().rev().collect::<String>().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(entries.len(), 3);
    for (label, n) in &entries {
        let page = pages
            .iter()
            .find(|p| p.first().is_some_and(|l| &l.text == label))
            .expect("the 篇 starts a page");
        assert_eq!(number(page), Some(*n), "{label}");
    }
    assert_eq!(entries[0].1, 1);
}

/// The 目录's entries, each line that starts with 篇 joined with the lines that continue it
/// (a long title wraps; its page number ends the last line).
fn toc_entries(lines: &[crate::common::pdf::Line]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        if l.text.starts_with('篇') {
            out.push(l.text.clone());
        } else if let Some(last) = out.last_mut() {
            if !l.text.starts_with('—') {
                last.push_str(&l.text);
            }
        }
    }
    out
}

#[test]
fn outline_has_one_entry_per_part_with_its_headings() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _) = build(dir.path(), "pdf");
    let outline = crate::common::pdf::outline(&pdf);
    let top: Vec<&str> = outline.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(
        top,
        [
            "目录",
            "篇一　江城市民政局2024年建议提案办理工作总结",
            // Every kind it handled, joined with 顿号 (SPEC §2.5).
            "篇二　青山区人民政府2024年议案、建议、提案办理工作总结",
            "篇三　江城市人大常委会2024年代表建议办理工作总结"
        ]
    );
    let headings: Vec<&str> = outline[1].children.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(
        headings,
        ["一、基本情况", "二、主要做法", "三、存在问题", "四、下一步打算"]
    );
}

#[test]
fn docx_has_a_section_per_part_and_a_prefilled_toc() {
    use crate::common::docx::{attr, child, children, is, parse, text, Package};
    let dir = tempfile::tempdir().unwrap();
    let (pdf, docx) = build(dir.path(), "pdf,docx");
    let package = Package::read(&docx);
    let doc = parse(package.part("word/document.xml"));
    // Front matter, then one section per 篇 (the last one is the document's own).
    let sections: Vec<_> = doc.descendants().filter(|n| is(*n, "sectPr")).collect();
    assert_eq!(sections.len(), 4);
    assert_eq!(
        children(sections[0], "footerReference").count(),
        0,
        "cover and 目录 carry no page numbers"
    );
    let restarts: Vec<bool> = sections
        .iter()
        .map(|s| child(*s, "pgNumType").and_then(|n| attr(n, "start")) == Some("1"))
        .collect();
    assert_eq!(
        restarts,
        [false, true, false, false],
        "the body is numbered from 1"
    );
    let instr: String = doc
        .descendants()
        .filter(|n| is(*n, "instrText"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(instr, r#" TOC \t "Title,1" "#, "a TOC field Word can refresh");
    // The field's entries carry the PDF's page numbers.
    let entries: Vec<String> = doc
        .descendants()
        .filter(|n| {
            is(*n, "p")
                && child(*n, "pPr")
                    .and_then(|p| child(p, "pStyle"))
                    .and_then(|s| attr(s, "val"))
                    == Some("TOC1")
        })
        .map(text)
        .collect();
    let pages = lines(&pdf);
    let printed: Vec<String> = toc_entries(&pages[1])
        .iter()
        .map(|t| {
            let digits: String = t.chars().rev().take_while(char::is_ascii_digit).collect();
            let label: String = t.chars().take(2).collect();
            format!("{label}→{}", digits.chars().rev().collect::<String>())
        })
        .collect();
    let in_docx: Vec<String> = entries
        .iter()
        .map(|e| {
            let (title, page) = e.split_once('\t').unwrap();
            format!("{}→{page}", title.chars().take(2).collect::<String>())
        })
        .collect();
    assert_eq!(in_docx, printed);
    assert_eq!(in_docx.len(), 3);
}

#[test]
fn check_and_build_report_every_part_with_its_label() {
    let f = Fixture::new();
    f.write("甲/报告.yaml", "单位: 甲局\n年度: 2024\n案件: 案件.yaml\n");
    f.write("甲/案件.yaml", "- {编号: a, 类别: 建议, 标题: 题, 承办方式: 主办}\n- {编号: a, 类别: 建议, 标题: 题, 承办方式: 主办}\n");
    f.write("乙/报告.yaml", "单位: 乙局\n年度: 2024\n");
    f.write("汇编.yaml", "标题: 汇编\n篇目:\n  - 乙\n  - 甲\n  - 丙\n");
    let out = f.run(&["check", "汇编.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("找不到篇目“丙”"), "{}", out.stderr);
    assert!(out.stderr.contains("编号“a”重复"), "{}", out.stderr);
    assert!(out.stdout.contains("篇二（甲/报告.yaml）"), "{}", out.stdout);
    let out = f.run(&["build", ".", "-f", "pdf"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("篇二（甲/报告.yaml）有 1 个错误"),
        "{}",
        out.stderr
    );
}

#[test]
fn compilation_fonts_are_checked_like_a_reports() {
    let f = Fixture::new();
    f.write("甲/报告.yaml", "单位: 甲局\n年度: 2024\n");
    f.write(
        "汇编.yaml",
        "标题: 汇编\n篇目: [甲]\n字体: {仿宋体: 仿宋_GB2312}\n",
    );
    let out = f.run(&["check", "汇编.yaml"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("未知的字体角色“仿宋体”"), "{}", out.stderr);
    assert!(out.stderr.contains("是否应为“仿宋”？"), "{}", out.stderr);
}
