//! The PDF, read back with lopdf: the text of every line, 避头尾 on a generated corpus, page
//! numbers, subset fonts with ToUnicode maps, the outline, size, and byte-identical rebuilds.

use crate::common::pdf::lines;
use crate::common::{run_in, run_with_fonts, Fixture};
use lopdf::{Document, Object};

fn build(f: &Fixture) -> Vec<u8> {
    let out = f.run(&["build", "报告.yaml", "-f", "pdf", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::read(f.output("out")).unwrap()
}

fn texts(pdf: &[u8]) -> Vec<Vec<String>> {
    lines(pdf)
        .into_iter()
        .map(|p| p.into_iter().map(|l| l.text).collect())
        .collect()
}

const CASES: &str = "\
- {编号: 建议第1号, 类别: 建议, 标题: 关于优化公交线路的建议, 承办方式: 主办, 交办日期: 2024-03-01, 答复日期: 2024-05-01, 办理结果: A, 面商: 是, 满意度: 满意, 领域: 公共交通}
- {编号: 提案第7号, 类别: 提案, 标题: 关于完善慢行系统的提案, 承办方式: 协办, 交办日期: 2024-03-01, 答复日期: 2024-04-10, 领域: 公共交通}
";
const REPORT: &str = "单位: 江城市交通运输局\n年度: 2024\n成文日期: 2024-12-05\n案件: 案件.yaml\n导语: 2024年，江城市交通运输局坚持把办理建议提案作为密切联系群众、改进工作作风、推动事业发展的重要抓手，认真研究、逐件落实。现将有关情况总结如下：\n主要做法:\n  - {标题: 压实责任, 内容: 逐件明确责任科室、分管领导和办理时限，做到件件有人管。}\n  - {标题: 加强沟通, 内容: 办理前后与代表委员当面沟通。}\n";

#[test]
fn every_line_of_a_fixture() {
    let pdf = build(&Fixture::report(REPORT, CASES));
    let pages = texts(&pdf);
    assert_eq!(
        pages,
        [
            vec![
                // A title too long for one line, broken after the year into a balanced pair.
                "江城市交通运输局2024年",
                "建议提案办理工作总结",
                // 仿宋's digits are narrower than a half character: “联” fits.
                "2024年，江城市交通运输局坚持把办理建议提案作为密切联",
                // 29 marks: the last “、” may not start a line; it gives up half its width and
                // the marks inside the line a quarter each (SPEC §4.1).
                "系群众、改进工作作风、推动事业发展的重要抓手，认真研究、",
                "逐件落实。现将有关情况总结如下：",
                "一、基本情况",
                "全年共承办建议提案2件，其中人大代表建议1件（主办），",
                // One topic: “均涉及”, not “最关心的问题是”.
                "政协委员提案1件（协办）。从内容看，均涉及公共交通。",
                "截至2024年12月5日，办复率、按期办结率、面商率、满意率",
                // One case: not “均”. Breaking by the paragraph, not line by line: the
                // looseness is shared rather than left on one line.
                "均为100%。从办理结果看，1件主办件为A类（所提问题已经解决",
                "或基本解决）。代表委员反馈意见的1件主办件表示满意。",
                "二、主要做法",
                // 29 characters: the line-end comma gives up half its width, “。” and “、”
                // inside the line a quarter each (no more: half-width, a comma reads as a
                // Western one); 限 is not left alone on the line below.
                "（一）压实责任。逐件明确责任科室、分管领导和办理时限，",
                "做到件件有人管。",
                "（二）加强沟通。办理前后与代表委员当面沟通。",
                "三、存在问题",
                "对照代表委员的期望，办理工作在沟通的深度和落实的力度",
                "上仍有提升空间。",
                "四、下一步打算",
                "下一步，我们将认真总结经验，进一步压实办理责任、加强",
                "沟通协商、狠抓答复落实，不断提高办理工作质量。",
                "— 1 —",
            ],
            // The closing paragraph and the 落款 go on together.
            vec![
                // Not “效。” alone on the last line (a runt), but “成效。”; the character that
                // gives way is shared by two lines, each one character loose, not one line two.
                "我们将以更加务实的作风做好建议提案办理工作，认真听",
                "取代表委员的意见和建议，把办理成果转化为推动工作的实际",
                "成效。",
                "江城市交通运输局",
                "2024年12月5日",
                "— 2 —"
            ],
        ]
    );
}

#[test]
fn grid_indent_and_page_numbers() {
    let pdf = build(&Fixture::report(REPORT, CASES));
    let mm = 72.0 / 25.4;
    let page = &lines(&pdf)[0];
    let pitch = 225.0 / 22.0 * mm;
    let body: Vec<_> = page.iter().filter(|l| (l.size - 16.0).abs() < 0.1).collect();
    // Every 三号 line on the 22-line grid: baselines a whole number of pitches apart.
    for l in &body {
        let k = (body[0].y - l.y) / pitch;
        assert!((k - k.round()).abs() < 0.01, "{} is off the grid", l.text);
    }
    // Paragraphs start two characters in (28 mm + 2 × 156/28 mm); continuation lines at 28 mm.
    let x = |t: &str| body.iter().find(|l| l.text.starts_with(t)).unwrap().x0 / mm;
    assert!((x("一、基本情况") - (28.0 + 2.0 * 156.0 / 28.0)).abs() < 0.1);
    assert!((x("政协委员") - 28.0).abs() < 0.1);
    assert!(
        (x("（一）") - (28.0 + 2.0 * 156.0 / 28.0)).abs() < 0.1,
        "an opening bracket keeps the indent"
    );
    // Page number: 四号, 7 mm below the 版心, odd pages one character in from the right.
    let number = page.last().unwrap();
    assert_eq!(number.text, "— 1 —");
    assert_eq!(number.size, 14.0);
    let below = (297.0 - 37.0 - 225.0) - number.y / mm;
    assert!((below - 7.0).abs() < 3.0, "{below} mm below the 版心");
}

#[test]
fn fonts_are_embedded_subsets_with_tounicode() {
    let pdf = build(&Fixture::report(REPORT, CASES));
    let doc = Document::load_mem(&pdf).unwrap();
    let mut seen = 0;
    for (_, page) in doc.get_pages() {
        for (_, font) in doc.get_page_fonts(page).unwrap() {
            let base = String::from_utf8(font.get(b"BaseFont").unwrap().as_name().unwrap().to_vec()).unwrap();
            let (tag, _) = base
                .split_once('+')
                .unwrap_or_else(|| panic!("{base} is not a subset"));
            assert!(
                tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
                "{base}"
            );
            assert!(font.has(b"ToUnicode"), "{base} has no ToUnicode map");
            let resolve = |o: &Object| match o {
                Object::Reference(id) => doc.get_dictionary(*id).unwrap().clone(),
                Object::Dictionary(d) => d.clone(),
                other => panic!("{other:?}"),
            };
            let cid_font = resolve(&font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0]);
            let desc = resolve(cid_font.get(b"FontDescriptor").unwrap());
            assert!(
                desc.has(b"FontFile3") || desc.has(b"FontFile2"),
                "{base} is not embedded"
            );
            seen += 1;
        }
    }
    assert!(seen >= 4, "title, body, 黑体, 楷体 fonts");
}

#[test]
fn outline_lists_title_and_headings() {
    let pdf = build(&Fixture::report(REPORT, CASES));
    let top = crate::common::pdf::outline(&pdf);
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].title, "江城市交通运输局2024年建议提案办理工作总结");
    let headings: Vec<&str> = top[0].children.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(
        headings,
        ["一、基本情况", "二、主要做法", "三、存在问题", "四、下一步打算"]
    );
}

#[test]
fn rebuilds_are_byte_identical() {
    let a = build(&Fixture::report(REPORT, CASES));
    let b = build(&Fixture::report(REPORT, CASES));
    assert!(a == b, "two builds differ");
    let doc = Document::load_mem(&a).unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info).unwrap();
    let author = info.get(b"Author").unwrap();
    assert!(matches!(author, Object::String(..)));
}

/// A deterministic generator of paragraphs dense in punctuation, numbers and Latin words.
fn corpus(n: usize) -> Vec<String> {
    let pieces = [
        "代表委员",
        "建议提案",
        "办理",
        "GB/T 9704",
        "2023",
        "12.5%",
        "——",
        "……",
        "（一）",
        "《关于推进社区养老的建议》",
        "“面商”",
        "，",
        "。",
        "、",
        "；",
        "：",
        "？",
        "！",
        "A类",
        "第105号",
        "PDF",
        "Word",
        "办复率100%",
        "（试行）",
        "‘两会’",
        "3个月",
        "90天",
        "ISO 32000",
        "落实",
        "问题",
        "群众",
        "满意",
        "、",
        "，",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..n)
        .map(|_| {
            let len = 20 + (next() % 40) as usize;
            // A paragraph opens with a word, as real text does; marks may follow anywhere.
            let mut p = String::from("代表委员");
            p.extend((0..len).map(|_| pieces[(next() % pieces.len() as u64) as usize]));
            p.push('。');
            p.replace(' ', "")
        })
        .collect()
}

#[test]
fn no_line_starts_or_ends_with_a_forbidden_mark_on_a_corpus() {
    let paragraphs = corpus(200);
    let items: String = paragraphs.iter().map(|p| format!("  - \"{p}\"\n")).collect();
    let f = Fixture::report(
        &format!("单位: 江城市民政局\n年度: 2024\n案件: 案件.yaml\n主要做法:\n{items}"),
        CASES,
    );
    let pdf = build(&f);
    let no_start = "，。、；：？！）］｝》〉」』】〕”’…—·%,.;:?!)]}";
    let no_end = "（［｛《〈「『【〔“‘([{";
    let mut checked = 0;
    let pages = lines(&pdf);
    for (n, page) in pages.iter().enumerate() {
        let body: Vec<_> = page.iter().filter(|l| (l.size - 16.0).abs() < 0.1).collect();
        for (i, l) in body.iter().enumerate() {
            let first = l.text.chars().next().unwrap();
            let last = l.text.chars().last().unwrap();
            assert!(
                !no_start.contains(first),
                "page {}: line starts with {first}: {} (after {:?})",
                n + 1,
                l.text,
                body.get(i.wrapping_sub(1)).map(|l| &l.text)
            );
            assert!(
                !no_end.contains(last),
                "page {}: line ends with {last}: {}",
                n + 1,
                l.text
            );
            // A number or Latin word never splits across lines (a new paragraph starts indented).
            if let Some(next) = body.get(i + 1).filter(|nl| nl.x0 < l.x0 + 1.0 || nl.x0 < 100.0) {
                let a = last.is_ascii_alphanumeric();
                let b = next.text.chars().next().unwrap().is_ascii_alphanumeric();
                assert!(
                    !(a && b && next.x0 < 100.0),
                    "split word: {} / {}",
                    l.text,
                    next.text
                );
            }
            assert!(
                !l.text.ends_with('—') || l.text.ends_with("——"),
                "a dash pair split: {}",
                l.text
            );
            checked += 1;
        }
    }
    assert!(checked > 800, "{checked} lines checked");
    // Every paragraph's text is there, in order, once the lines are joined.
    let all: String = pages
        .iter()
        .flatten()
        .filter(|l| (l.size - 16.0).abs() < 0.1)
        .map(|l| l.text.as_str())
        .collect();
    for p in &paragraphs {
        assert!(all.contains(p.as_str()), "lost text: {p}");
    }
}

#[test]
fn a_character_no_font_has_is_reported_where_it_is() {
    let report = format!("{REPORT}下一步打算:\n  - 加强\u{E000}协作。\n");
    let f = Fixture::report(&report, CASES);
    let out = f.run(&["build", "报告.yaml", "-f", "pdf", "-o", "out"]);
    assert_eq!(out.code, 0, "a warning, not an error: {}", out.stderr);
    assert!(
        out.stderr
            .contains("警告: 字符“\u{E000}”（U+E000）没有任何字体能显示"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("报告.yaml:10:7"), "{}", out.stderr);
}

#[test]
fn the_example_report_is_under_250_kb() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        root,
        &[
            "build",
            "data/minzhengju",
            "-f",
            "pdf",
            "-o",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let size = std::fs::metadata(file).unwrap().len();
    assert!(size < 250_000, "{size} bytes");
}

#[test]
fn a_role_can_use_a_font_file_and_an_unknown_family_is_a_warning() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let kai = root.join("fonts/kai-regular.ttf");
    let report = format!(
        "{REPORT}字体: {{仿宋: \"{}\", 黑体: 没有这个字体}}\n",
        kai.display()
    );
    let f = Fixture::report(&report, CASES);
    let out = f.run(&["build", "报告.yaml", "-f", "pdf", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("警告: 本机没有安装字体“没有这个字体”"),
        "{}",
        out.stderr
    );
    let pdf = std::fs::read(f.output("out")).unwrap();
    let names = embedded_fonts(&pdf);
    assert!(
        names.iter().any(|n| n.ends_with("+ZongjieKai-Regular")),
        "{names:?}"
    );
    let fonts = f.run(&["fonts", "报告.yaml"]);
    assert_eq!(fonts.code, 0, "{}", fonts.stderr);
    assert!(
        fonts.stdout.contains("仿宋（正文）  DOCX：仿宋_GB2312  PDF："),
        "{}",
        fonts.stdout
    );
    assert!(
        fonts
            .stdout
            .contains("kai-regular.ttf（文件） → 朱雀仿宋 Zhuque Fangsong"),
        "{}",
        fonts.stdout
    );
}

/// The /BaseFont names of the fonts a PDF's pages use (`TAG+PostScriptName`), once each.
fn embedded_fonts(pdf: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(pdf).unwrap();
    let mut names: Vec<String> =
        doc.get_pages()
            .values()
            .flat_map(|&p| {
                doc.get_page_fonts(p).unwrap().into_values().map(|f| {
                    String::from_utf8_lossy(f.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned()
                })
            })
            .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn an_installed_gongwen_font_is_used_unless_builtin_is_asked_for() {
    // An office PC with 仿宋_GB2312 installed (a renamed stand-in, tests/fixtures/fonts).
    let installed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fonts");
    let installed = installed.to_str().unwrap();
    let on_that_pc = |f: &Fixture, args: &[&str]| run_with_fonts(&f.path(""), args, installed);
    let uses_stand_in = |pdf: &[u8]| {
        embedded_fonts(pdf)
            .iter()
            .any(|n| n.ends_with("+FangSong_GB2312"))
    };
    let pdf_args = ["build", "报告.yaml", "-f", "pdf", "-o", "out"];

    let f = Fixture::report(REPORT, CASES);
    let out = on_that_pc(&f, &pdf_args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("PDF 所用字体：") && out.stderr.contains("仿宋_GB2312（本机，"),
        "{}",
        out.stderr
    );
    let pdf = std::fs::read(f.output("out")).unwrap();
    assert!(uses_stand_in(&pdf), "{:?}", embedded_fonts(&pdf));
    // The characters the stand-in lacks come from the built-in faces behind it.
    let text = texts(&pdf).concat().concat();
    assert!(text.contains("狠抓答复落实"), "{text}");
    let fonts = on_that_pc(&f, &["fonts", "报告.yaml"]);
    assert!(
        fonts
            .stdout
            .contains("仿宋（正文）  DOCX：仿宋_GB2312  PDF：仿宋_GB2312（本机，"),
        "{}",
        fonts.stdout
    );

    // 字体: 内置: the built-in faces only, the same bytes as on a machine without the font.
    let f = Fixture::report(&format!("{REPORT}字体: 内置\n"), CASES);
    let out = on_that_pc(&f, &pdf_args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("朱雀仿宋") && !out.stderr.contains("本机"),
        "{}",
        out.stderr
    );
    let builtin = std::fs::read(f.output("out")).unwrap();
    assert!(!uses_stand_in(&builtin));
    let f2 = Fixture::report(&format!("{REPORT}字体: 内置\n"), CASES);
    assert_eq!(build(&f2), builtin);

    // Anything else as a single value is an error that says what to write.
    let f = Fixture::report(&format!("{REPORT}字体: 系统\n"), CASES);
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("“字体”应为“内置”或字段表"), "{}", out.stderr);
}

#[test]
fn fonts_command_lists_missing_characters() {
    let f = Fixture::report(&format!("{REPORT}下一步打算:\n  - 加强\u{E000}协作。\n"), CASES);
    let out = f.run(&["fonts", "报告.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("有 1 个字没有字体能显示"), "{}", out.stdout);
    assert!(out.stderr.contains("U+E000"), "{}", out.stderr);
}

#[test]
fn a_title_that_barely_overflows_is_balanced_not_orphaned() {
    // 18 characters and four digits: nominally 20 wide, but the bold face's digits are wider
    // than half a character, so it does not fit one line. It must not leave “结” alone.
    let f = Fixture::report(&REPORT.replace("江城市交通运输局", "青山区人民政府"), CASES);
    let pages = texts(&build(&f));
    assert_eq!(pages[0][..2], ["青山区人民政府2024年", "建议提案办理工作总结"]);
}

#[test]
fn attachment_note_stands_under_the_body_aligned_by_the_rule() {
    // GB/T 9704 §7.3.4: one blank line under the body, 附件： two characters in, the
    // numbers of later attachments under the first, a wrapped name under the first
    // character of its name; then the 落款 after a blank line.
    let cases: String = CASES
        .lines()
        .zip(["公交科", "规划科"])
        .map(|(l, unit)| format!("{}, 承办单位: {unit}}}\n", l.trim_end_matches('}')))
        .collect();
    // A unit name long enough that the first attachment's name wraps.
    let report = REPORT.replace("江城市交通运输局", "江城市交通运输和港口管理局");
    let f = Fixture::report(&format!("{report}附表: 是\n"), &cases);
    let pdf = build(&f);
    let pages = lines(&pdf);
    let all: Vec<&crate::common::pdf::Line> = pages.iter().flatten().collect();
    let at = all
        .iter()
        .position(|l| l.text.starts_with("附件："))
        .expect("a 附件说明");
    let (first, wrapped, second) = (all[at], all[at + 1], all[at + 2]);
    assert_eq!(
        format!("{}{}", first.text, wrapped.text),
        "附件：1.江城市交通运输和港口管理局2024年建议提案办理情况统计表"
    );
    assert_eq!(second.text, "2.承办单位办理情况表");
    let left = 28.0 * 72.0 / 25.4;
    let char_w = 156.0 / 28.0 * 72.0 / 25.4;
    assert!((first.x0 - (left + 2.0 * char_w)).abs() < 0.5, "{}", first.x0);
    assert!((second.x0 - (left + 5.0 * char_w)).abs() < 0.5, "{}", second.x0);
    let number = wrapped.x0 - second.x0;
    assert!(
        number > 0.25 * char_w && number < char_w,
        "the name's first character: {number}"
    );
    // One grid line left blank above it and above the 落款 (PDF y grows upwards).
    let pitch = 225.0 / 22.0 * 72.0 / 25.4;
    assert!((all[at - 1].y - first.y - 2.0 * pitch).abs() < 0.5);
    assert_eq!(all[at + 3].text, "江城市交通运输和港口管理局");
    assert!((second.y - all[at + 3].y - 2.0 * pitch).abs() < 0.5);
    let out = f.run(&["build", "报告.yaml", "-f", "txt", "-o", "txt"]);
    assert_eq!(out.code, 0);
    let txt = std::fs::read_to_string(f.path("txt/江城市交通运输和港口管理局2024年建议提案办理工作总结.txt"))
        .unwrap();
    assert!(
        txt.contains("\n\n　　附件：1.江城市交通运输和港口管理局2024年建议提案办理情况统计表\n　　　　　2.承办单位办理情况表\n\n"),
        "{txt}"
    );
}

#[test]
fn a_single_attachment_is_not_numbered() {
    let pdf = build(&Fixture::report(&format!("{REPORT}附表: 是\n"), CASES));
    let all: Vec<String> = texts(&pdf).into_iter().flatten().collect();
    assert!(
        all.contains(&"附件：江城市交通运输局2024年建议提案办理情况统计表".to_owned()),
        "{all:?}"
    );
    assert!(
        all.contains(&"附件".to_owned()),
        "the attachment's own label is 附件, not 附件1"
    );
}

#[test]
fn every_stream_is_compressed_and_offsets_are_short() {
    let pdf = build(&Fixture::report(REPORT, CASES));
    let doc = Document::load_mem(&pdf).unwrap();
    let mut streams = 0;
    for object in doc.objects.values() {
        if let Object::Stream(s) = object {
            streams += 1;
            let filter = s.dict.get(b"Filter").and_then(Object::as_name).ok();
            assert_eq!(filter, Some(&b"FlateDecode"[..]), "{:?}", s.dict);
        }
    }
    // Pages, fonts and their ToUnicode maps.
    assert!(streams >= 5, "{streams}");
    // Coordinates to a hundredth of a point, never printed like 0.000000000020918378.
    let long = regex::Regex::new(r"\d\.\d{4,}").unwrap();
    for (_, page) in doc.get_pages() {
        let content = String::from_utf8_lossy(&doc.get_page_content(page)).into_owned();
        assert!(!long.is_match(&content), "{}", &content[..content.len().min(400)]);
    }
}

#[test]
fn the_statistics_table_fits_one_page_with_columns_as_wide_as_their_content() {
    // 附表 with 在办未到期 and 超期 rows, 三类: 15 rows, each one grid line high. (With 四类 and
    // every row present the table has 19 rows and takes a second page: rows are whole grid
    // lines.)
    let cases = format!(
        "{CASES}- {{编号: 建议第9号, 类别: 建议, 标题: 丙, 承办方式: 主办, 交办日期: 2024-11-26}}\n- {{编号: 建议第10号, 类别: 建议, 标题: 丁, 承办方式: 主办, 交办日期: 2024-03-01}}\n"
    );
    let pdf = build(&Fixture::report(
        &format!("{REPORT}附表: 是\n分类方案: 三类\n"),
        &cases,
    ));
    let pages = texts(&pdf);
    let table = pages
        .iter()
        .find(|p| p.iter().any(|l| l.starts_with("项目")))
        .expect("a page with the table");
    for row in ["总件数", "在办未到期", "超期未答复", "不满意"] {
        assert!(
            table.iter().any(|l| l.starts_with(row)),
            "{row} on the table's page: {table:?}"
        );
    }
    // The 项目 column is wide enough for its longest label: no row wraps.
    assert!(
        table.iter().any(|l| l.starts_with("人大代表建议（主办3件）")),
        "{table:?}"
    );
}
