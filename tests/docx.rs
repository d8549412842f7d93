//! The DOCX package, read back: page setup, grid, footers, styles and fonts, the text of
//! every paragraph, and byte-identical rebuilds.

mod common;
use common::Fixture;
use regex::Regex;
use std::io::Read;

const CASES: &str = "\
- {编号: 建议第1号, 类别: 建议, 标题: 关于优化公交线路的建议, 承办方式: 主办, 交办日期: 2024-03-01, 答复日期: 2024-05-01, 办理结果: A, 面商: 是, 满意度: 满意, 领域: 公共交通, 承办单位: 公交科}
- {编号: 提案第7号, 类别: 提案, 标题: 关于完善慢行系统的提案, 承办方式: 协办, 交办日期: 2024-03-01, 答复日期: 2024-04-10, 领域: 公共交通, 承办单位: 规划科}
";

const REPORT: &str = "单位: 江城市交通运输局
年度: 2024
成文日期: 2024年12月5日
案件: 案件.yaml
附表: 是
主要做法:
  - {标题: 压实责任, 内容: 逐件明确责任科室。}
";

fn build(f: &Fixture) -> Vec<u8> {
    let out = f.run(&["build", "报告.yaml", "-f", "docx", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::read(f.path("out/江城市交通运输局2024年建议提案办理工作总结.docx")).unwrap()
}

fn part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The text of each paragraph of the body, in order.
fn paragraphs(xml: &str) -> Vec<String> {
    let p = Regex::new(r"(?s)<w:p[ >].*?</w:p>|<w:p />").unwrap();
    let t = Regex::new(r"<w:t[^>]*>([^<]*)</w:t>").unwrap();
    p.find_iter(xml)
        .map(|m| t.captures_iter(m.as_str()).map(|c| c[1].to_string()).collect())
        .collect()
}

fn style<'a>(styles: &'a str, id: &str) -> &'a str {
    let start = styles
        .find(&format!("w:styleId=\"{id}\""))
        .unwrap_or_else(|| panic!("no style {id}"));
    let end = styles[start..].find("</w:style>").unwrap() + start;
    &styles[start..end]
}

#[test]
fn page_setup_grid_and_footers() {
    let docx = build(&Fixture::report(REPORT, CASES));
    let doc = part(&docx, "word/document.xml");
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#), "A4");
    // 37 / 26 / 35 / 28 mm in twips.
    assert!(
        doc.contains(r#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#),
        "margins"
    );
    // 22 lines: 225 mm / 22 = 579.8 twips.
    assert!(
        doc.contains(r#"<w:docGrid w:type="lines" w:linePitch="580" />"#),
        "grid"
    );
    assert!(
        doc.contains(r#"<w:footerReference w:type="default""#)
            && doc.contains(r#"<w:footerReference w:type="even""#)
    );
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders />"));
    assert!(settings.contains(r#"<w:characterSpacingControl w:val="compressPunctuation" />"#));
    let odd = part(&docx, "word/footer1.xml");
    let even = part(&docx, "word/footer2.xml");
    for (footer, side) in [
        (
            &odd,
            r#"<w:jc w:val="right" /><w:ind w:left="0" w:right="280" />"#,
        ),
        (
            &even,
            r#"<w:jc w:val="left" /><w:ind w:left="280" w:right="0" />"#,
        ),
    ] {
        assert!(footer.contains(side), "{footer}");
        assert!(footer.contains("<w:instrText>PAGE</w:instrText>"));
        assert!(footer.contains(">— <") && footer.contains("> —<"), "— n —");
    }
}

#[test]
fn styles_carry_the_role_fonts() {
    let styles = part(&build(&Fixture::report(REPORT, CASES)), "word/styles.xml");
    let ea = |id: &str| {
        Regex::new(r#"w:eastAsia="([^"]+)""#)
            .unwrap()
            .captures(style(&styles, id))
            .unwrap()[1]
            .to_string()
    };
    assert_eq!(ea("BodyText"), "仿宋_GB2312");
    assert_eq!(ea("Heading1"), "黑体");
    assert_eq!(ea("Heading2"), "楷体_GB2312");
    assert_eq!(ea("Heading3"), "仿宋_GB2312");
    assert_eq!(ea("Heading4"), "仿宋_GB2312");
    assert_eq!(ea("Title"), "方正小标宋简体");
    assert_eq!(ea("Footer"), "宋体");
    assert!(
        style(&styles, "Heading1").contains(r#"<w:name w:val="heading 1" />"#),
        "Word's built-in name"
    );
    assert!(style(&styles, "Heading1").contains(r#"<w:outlineLvl w:val="0" />"#));
    assert!(style(&styles, "Heading3").contains("<w:b />"), "level 3 is bold");
    assert!(style(&styles, "Title").contains(r#"<w:sz w:val="44" />"#), "二号");
    assert!(style(&styles, "Title").contains(r#"<w:jc w:val="center" />"#));
    let body = style(&styles, "BodyText");
    assert!(body.contains(r#"<w:sz w:val="32" />"#), "三号");
    assert!(body.contains(r#"<w:jc w:val="both" />"#), "justified");
    assert!(body.contains(r#"w:firstLineChars="200""#), "two-character indent");
    assert!(
        body.contains(r#"<w:spacing w:val="-5" />"#),
        "28 characters a line"
    );
    assert!(style(&styles, "Normal").contains(r#"w:eastAsia="仿宋_GB2312""#));
    assert_eq!(styles.matches(r#"w:styleId="Normal""#).count(), 1);
}

#[test]
fn font_override_renames_the_role() {
    let docx = build(&Fixture::report(
        &format!("{REPORT}字体: {{仿宋: 仿宋, 黑体: fonts/x.ttf}}\n"),
        CASES,
    ));
    let styles = part(&docx, "word/styles.xml");
    assert!(style(&styles, "BodyText").contains(r#"w:eastAsia="仿宋""#));
    // A font file only concerns the PDF: the DOCX keeps the standard name.
    assert!(style(&styles, "Heading1").contains(r#"w:eastAsia="黑体""#));
}

#[test]
fn every_paragraph_in_order() {
    let docx = build(&Fixture::report(REPORT, CASES));
    let paras = paragraphs(&part(&docx, "word/document.xml"));
    let texts: Vec<&str> = paras.iter().map(String::as_str).collect();
    assert_eq!(
        &texts[..9],
        [
            "江城市交通运输局2024年建议提案办理工作总结",
            "",
            "2024年，江城市交通运输局坚持把办理建议提案作为密切联系群众、改进工作作风、推动事业发展的重要抓手，认真研究、逐件落实。现将有关情况总结如下。",
            "一、基本情况",
            "全年共承办建议提案2件，其中人大代表建议1件（主办），政协委员提案1件（协办）。以上建议提案分别交由2个承办单位办理，承办件数较多的是公交科（1件）、规划科（1件）。从内容看，代表委员最关心的问题是公共交通（2件）。",
            "截至目前，办复率、按期办结率、面商率、满意率均为100%。从办理结果看，1件主办件均为A类（所提问题已经解决或基本解决）。代表委员反馈意见的1件主办件均表示满意。",
            "二、主要做法",
            "（一）压实责任。逐件明确责任科室。",
            "三、存在问题",
        ]
    );
    // The 落款 after a blank line, then the attachments, each on a new page.
    let sig = texts.iter().position(|t| *t == "江城市交通运输局").unwrap();
    assert_eq!(texts[sig - 1], "");
    assert_eq!(texts[sig + 1], "2024年12月5日");
    assert_eq!(texts[sig + 2], "附件1");
    assert_eq!(texts[sig + 4], "江城市交通运输局2024年建议提案办理情况统计表");
    let doc = part(&docx, "word/document.xml");
    assert_eq!(doc.matches("<w:pageBreakBefore />").count(), 2, "two attachments");
    assert_eq!(
        doc.matches("<w:tblHeader />").count(),
        2,
        "each table repeats its header row"
    );
    assert!(doc.contains(r#"<w:pStyle w:val="Heading1" />"#));
}

#[test]
fn long_titles_are_balanced() {
    let report = REPORT.replace("江城市交通运输局", "江城市人大常委会");
    let f = Fixture::report(&report, CASES);
    let out = f.run(&["build", "报告.yaml", "-f", "docx", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docx = std::fs::read(f.path("out/江城市人大常委会2024年建议提案办理工作总结.docx")).unwrap();
    let doc = part(&docx, "word/document.xml");
    let title = &doc[..doc.find("</w:p>").unwrap()];
    assert!(title.contains("江城市人大常委会2024年</w:t><w:br w:type=\"textWrapping\" /><w:t xml:space=\"preserve\">建议提案办理工作总结"), "{title}");
}

#[test]
fn rebuilds_are_byte_identical_with_fixed_timestamps() {
    let a = build(&Fixture::report(REPORT, CASES));
    let b = build(&Fixture::report(REPORT, CASES));
    assert_eq!(a, b);
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
    }
    let core = part(&a, "docProps/core.xml");
    assert!(core.contains("2024-12-05T00:00:00Z"), "{core}");
    assert!(
        core.contains("<dc:creator>江城市交通运输局</dc:creator>"),
        "{core}"
    );
    assert!(
        core.contains("<dc:title>江城市交通运输局2024年建议提案办理工作总结</dc:title>"),
        "{core}"
    );
}
