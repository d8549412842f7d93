//! The DOCX package, read back: page setup, grid, footers, styles and fonts, the text of
//! every paragraph, schema order of every property element, and byte-identical rebuilds.

use crate::common::docx::{attr, child, children, is, paragraphs, parse, style, text, val, Package};
use crate::common::files::copy_dir;
use crate::common::Fixture;

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

fn package(f: &Fixture) -> Package {
    Package::read(&build(f))
}

#[test]
fn page_setup_grid_and_footers() {
    let p = package(&Fixture::report(REPORT, CASES));
    let doc = parse(p.part("word/document.xml"));
    let sect = doc
        .descendants()
        .rfind(|n| is(*n, "sectPr"))
        .expect("the document's section");
    let size = child(sect, "pgSz").unwrap();
    assert_eq!(
        (attr(size, "w"), attr(size, "h")),
        (Some("11906"), Some("16838")),
        "A4"
    );
    // 37 / 26 / 35 / 28 mm in twips; the footer puts the page number 7 mm under the 版心.
    let margins = child(sect, "pgMar").unwrap();
    let got: Vec<&str> = ["top", "right", "bottom", "left", "footer"]
        .iter()
        .map(|a| attr(margins, a).unwrap())
        .collect();
    assert_eq!(got, ["2098", "1474", "1984", "1587", "1450"]);
    // 22 lines: 225 mm / 22 = 579.8 twips.
    let grid = child(sect, "docGrid").unwrap();
    assert_eq!(
        (attr(grid, "type"), attr(grid, "linePitch")),
        (Some("lines"), Some("580"))
    );
    let footers: Vec<&str> = children(sect, "footerReference")
        .map(|f| attr(f, "type").unwrap())
        .collect();
    assert_eq!(footers, ["default", "even"]);
    let settings = parse(p.part("word/settings.xml"));
    let root = settings.root_element();
    assert!(child(root, "evenAndOddHeaders").is_some());
    assert_eq!(val(root, "characterSpacingControl"), Some("compressPunctuation"));
    for (name, jc, left, right) in [
        ("word/footer1.xml", "right", "0", "280"),
        ("word/footer2.xml", "left", "280", "0"),
    ] {
        let footer = parse(p.part(name));
        let para = footer.descendants().find(|n| is(*n, "p")).unwrap();
        let ppr = child(para, "pPr").unwrap();
        assert_eq!(val(ppr, "jc"), Some(jc), "{name}");
        let ind = child(ppr, "ind").unwrap();
        assert_eq!((attr(ind, "left"), attr(ind, "right")), (Some(left), Some(right)));
        let instr: String = footer
            .descendants()
            .filter(|n| is(*n, "instrText"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(instr.trim(), "PAGE");
        assert_eq!(text(para), "— 1 —");
    }
}

#[test]
fn styles_carry_the_role_fonts() {
    let p = package(&Fixture::report(REPORT, CASES));
    let styles = parse(p.part("word/styles.xml"));
    let rpr = |id: &str| child(style(&styles, id), "rPr").unwrap();
    let ppr = |id: &str| child(style(&styles, id), "pPr").unwrap();
    let east_asia = |id: &str| {
        attr(child(rpr(id), "rFonts").unwrap(), "eastAsia")
            .unwrap()
            .to_owned()
    };
    assert_eq!(east_asia("BodyText"), "仿宋_GB2312");
    assert_eq!(east_asia("Heading1"), "黑体");
    assert_eq!(east_asia("Heading2"), "楷体_GB2312");
    assert_eq!(east_asia("Heading3"), "仿宋_GB2312");
    assert_eq!(east_asia("Heading4"), "仿宋_GB2312");
    assert_eq!(east_asia("Title"), "方正小标宋简体");
    assert_eq!(east_asia("Footer"), "宋体");
    assert_eq!(east_asia("Normal"), "仿宋_GB2312");
    assert_eq!(
        val(style(&styles, "Heading1"), "name"),
        Some("heading 1"),
        "Word's built-in name"
    );
    assert_eq!(val(ppr("Heading1"), "outlineLvl"), Some("0"));
    assert!(child(rpr("Heading3"), "b").is_some(), "level 3 is bold");
    assert_eq!(val(rpr("Title"), "sz"), Some("44"), "二号");
    assert_eq!(val(ppr("Title"), "jc"), Some("center"));
    assert_eq!(val(rpr("BodyText"), "sz"), Some("32"), "三号");
    assert_eq!(val(ppr("BodyText"), "jc"), Some("both"), "justified");
    let ind = child(ppr("BodyText"), "ind").unwrap();
    assert_eq!(attr(ind, "firstLineChars"), Some("200"), "two-character indent");
    // A style that starts at the margin must say so in characters too: they win over twips.
    assert_eq!(
        attr(child(ppr("Title"), "ind").unwrap(), "firstLineChars"),
        Some("0")
    );
    assert_eq!(
        val(rpr("BodyText"), "spacing"),
        Some("-5"),
        "28 characters a line"
    );
    let defaults = styles
        .root_element()
        .children()
        .filter(|s| is(*s, "style") && attr(*s, "default") == Some("1"))
        .count();
    assert_eq!(defaults, 1);
}

#[test]
fn font_override_renames_the_role() {
    let p = package(&Fixture::report(
        &format!("{REPORT}字体: {{仿宋: 仿宋, 黑体: fonts/x.ttf}}\n"),
        CASES,
    ));
    let styles = p.part("word/styles.xml");
    let styles = parse(styles);
    let east_asia = |id: &str| {
        let r = child(style(&styles, id), "rPr").unwrap();
        attr(child(r, "rFonts").unwrap(), "eastAsia").unwrap().to_owned()
    };
    assert_eq!(east_asia("BodyText"), "仿宋");
    // A font file only concerns the PDF: the DOCX keeps the standard name.
    assert_eq!(east_asia("Heading1"), "黑体");
    assert!(p.part("word/fontTable.xml").contains("w:name=\"仿宋\""));
}

#[test]
fn every_paragraph_in_order() {
    let p = package(&Fixture::report(REPORT, CASES));
    let xml = p.part("word/document.xml");
    let paras = paragraphs(xml);
    let texts: Vec<&str> = paras.iter().map(String::as_str).collect();
    assert_eq!(
        &texts[..9],
        [
            // Broken where the PDF breaks it: the bold face's digits are wider than half a
            // character, so the nominal 20 characters do not fit one line.
            "江城市交通运输局2024年\n建议提案办理工作总结",
            "",
            "2024年，江城市交通运输局在办理建议提案中坚持与代表委员当面沟通协商，以沟通促办理、以办理促落实。现将有关情况总结如下：",
            "一、基本情况",
            // Two offices of one case each: neither handled “many”.
            "全年共承办建议提案2件，其中人大代表建议1件（主办），政协委员提案1件（协办）。以上建议提案分别交由2个承办科室办理。从内容看，均涉及公共交通。",
            "截至2024年12月5日，办复率、按期办结率、面商率、满意率均为100%。从办理结果看，1件主办件为A类（所提问题已经解决或基本解决）。代表委员反馈意见的1件主办件表示满意。",
            "二、主要做法",
            // One item alone: not numbered.
            "压实责任。逐件明确责任科室。",
            "三、存在问题",
        ]
    );
    // Under the body, after a blank line, the 附件说明 (GB/T 9704 §7.3.4); then the 落款
    // after a blank line; then the attachments, each on a new page.
    let note = texts.iter().position(|t| t.starts_with("附件：")).unwrap();
    assert_eq!(texts[note - 1], "");
    assert_eq!(
        &texts[note..note + 6],
        [
            "附件：1.江城市交通运输局2024年建议提案办理情况统计表",
            "2.承办单位办理情况表",
            "",
            "江城市交通运输局",
            "2024年12月5日",
            "附件1",
        ]
    );
    assert_eq!(texts[note + 7], "江城市交通运输局2024年\n建议提案办理情况统计表");
    let doc = parse(xml);
    let count = |name: &str| doc.descendants().filter(|n| is(*n, name)).count();
    assert_eq!(count("pageBreakBefore"), 2, "two attachments");
    assert_eq!(count("tblHeader"), 2, "each table repeats its header row");
    assert!(doc
        .descendants()
        .any(|n| is(n, "pStyle") && attr(n, "val") == Some("Heading1")));
    // The note's later lines stand under the first number, a wrapped name under its first
    // character: a hanging indent as wide as 附件： plus the number.
    let note_paras: Vec<_> = doc
        .descendants()
        .filter(|n| is(*n, "p") && text(*n).ends_with("情况表") && !text(*n).starts_with("附件"))
        .collect();
    let ind = child(child(note_paras[0], "pPr").unwrap(), "ind").unwrap();
    // 2 + 3 characters (5 × 315.9 twips), and "2." in Times New Roman (230 twips).
    assert_eq!(
        (attr(ind, "left"), attr(ind, "hanging")),
        (Some("1810"), Some("230"))
    );
}

#[test]
fn titles_break_where_the_pdf_breaks_them() {
    let report = REPORT.replace("江城市交通运输局", "江城市人大常委会");
    let f = Fixture::report(&report, CASES);
    let out = f.run(&["build", "报告.yaml", "-f", "docx,pdf", "-o", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docx = std::fs::read(f.path("out/江城市人大常委会2024年建议提案办理工作总结.docx")).unwrap();
    let paras = paragraphs(Package::read(&docx).part("word/document.xml"));
    assert_eq!(paras[0], "江城市人大常委会2024年\n建议提案办理工作总结");
    let pdf = std::fs::read(f.path("out/江城市人大常委会2024年建议提案办理工作总结.pdf")).unwrap();
    let pages = crate::common::pdf::lines(&pdf);
    let first: Vec<&str> = pages[0].iter().take(2).map(|l| l.text.as_str()).collect();
    assert_eq!(first.join("\n"), paras[0]);
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
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{:?}", f.name());
    }
    let p = Package::read(&a);
    let core = p.part("docProps/core.xml");
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

/// The children each property element may have, in the order ISO/IEC 29500-1 requires
/// (wml.xsd of the Transitional schemas; only the elements a 总结 could need are listed, so
/// an element missing here is also a failure to look at).
const ORDER: &[(&str, &[&str])] = &[
    (
        "pPr",
        &[
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        ],
    ),
    (
        "rPr",
        &[
            "rStyle",
            "rFonts",
            "b",
            "bCs",
            "i",
            "iCs",
            "caps",
            "smallCaps",
            "strike",
            "dstrike",
            "outline",
            "shadow",
            "emboss",
            "imprint",
            "noProof",
            "snapToGrid",
            "vanish",
            "webHidden",
            "color",
            "spacing",
            "w",
            "kern",
            "position",
            "sz",
            "szCs",
            "highlight",
            "u",
            "effect",
            "bdr",
            "shd",
            "fitText",
            "vertAlign",
            "rtl",
            "cs",
            "em",
            "lang",
            "eastAsianLayout",
            "specVanish",
            "oMath",
        ],
    ),
    (
        "sectPr",
        &[
            "headerReference|footerReference",
            "footnotePr",
            "endnotePr",
            "type",
            "pgSz",
            "pgMar",
            "paperSrc",
            "pgBorders",
            "lnNumType",
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
        ],
    ),
    (
        "style",
        &[
            "name",
            "aliases",
            "basedOn",
            "next",
            "link",
            "autoRedefine",
            "hidden",
            "uiPriority",
            "semiHidden",
            "unhideWhenUsed",
            "qFormat",
            "locked",
            "personal",
            "personalCompose",
            "personalReply",
            "rsid",
            "pPr",
            "rPr",
            "tblPr",
            "trPr",
            "tcPr",
            "tblStylePr",
        ],
    ),
    (
        "settings",
        &[
            "writeProtection",
            "view",
            "zoom",
            "removePersonalInformation",
            "removeDateAndTime",
            "doNotDisplayPageBoundaries",
            "displayBackgroundShape",
            "mirrorMargins",
            "gutterAtTop",
            "hideSpellingErrors",
            "hideGrammaticalErrors",
            "proofState",
            "attachedTemplate",
            "documentProtection",
            "defaultTabStop",
            "autoHyphenation",
            "evenAndOddHeaders",
            "bookFoldPrinting",
            "drawingGridHorizontalSpacing",
            "drawingGridVerticalSpacing",
            "noPunctuationKerning",
            "characterSpacingControl",
            "strictFirstAndLastChars",
            "noLineBreaksAfter",
            "noLineBreaksBefore",
            "updateFields",
            "footnotePr",
            "endnotePr",
            "compat",
            "docVars",
            "rsids",
            "mathPr",
            "attachedSchema",
            "themeFontLang",
            "clrSchemeMapping",
            "decimalSymbol",
            "listSeparator",
        ],
    ),
    (
        "tblPr",
        &[
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
        ],
    ),
    (
        "tcPr",
        &[
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
        ],
    ),
    ("tbl", &["tblPr", "tblGrid", "tr"]),
    ("tc", &["tcPr", "p|tbl"]),
    (
        "font",
        &[
            "altName",
            "panose1",
            "charset",
            "family",
            "notTrueType",
            "pitch",
            "sig",
        ],
    ),
    ("docDefaults", &["rPrDefault", "pPrDefault"]),
];

/// Every property element of every part has its children in schema order; a `pPr` of a
/// style or of the document defaults (CT_PPrGeneral) has no `rPr` or `sectPr`.
fn assert_schema_order(p: &Package) {
    for (name, xml) in &p.parts {
        if !name.ends_with(".xml") || !name.starts_with("word/") {
            continue;
        }
        let doc = parse(xml);
        for n in doc.descendants().filter(roxmltree::Node::is_element) {
            let Some((_, order)) = ORDER.iter().find(|(el, _)| is(n, el)) else {
                continue;
            };
            let general = is(n, "pPr") && n.parent().is_some_and(|p| is(p, "style") || is(p, "pPrDefault"));
            let mut last = 0;
            for c in n.children().filter(roxmltree::Node::is_element) {
                let local = c.tag_name().name();
                let at = order
                    .iter()
                    .position(|o| o.split('|').any(|x| x == local))
                    .unwrap_or_else(|| {
                        panic!("{name}: <{local}> is not a child of <{}>", n.tag_name().name())
                    });
                assert!(
                    at >= last,
                    "{name}: <{local}> after <{}> in <{}>",
                    order[last],
                    n.tag_name().name()
                );
                assert!(
                    !(general && (local == "rPr" || local == "sectPr")),
                    "{name}: a style's pPr has no <{local}>"
                );
                last = at;
            }
        }
    }
}

/// The package: no folder entries, every part has a content type and is the target of a
/// relationship, every relationship's target exists.
fn assert_package(p: &Package) {
    assert!(p.names.iter().all(|n| !n.ends_with('/')), "{:?}", p.names);
    assert_eq!(p.names[0], "[Content_Types].xml");
    let types = p.part("[Content_Types].xml");
    let mut targets = Vec::new();
    for (name, xml) in p.parts.iter().filter(|(n, _)| n.ends_with(".rels")) {
        let base = name.replace("_rels/", "").trim_end_matches(".rels").to_owned();
        let dir = base.rsplit_once('/').map_or("", |(d, _)| d);
        for r in parse(xml)
            .descendants()
            .filter(|n| n.has_tag_name("Relationship"))
        {
            let t = r.attribute("Target").unwrap();
            let full = if dir.is_empty() {
                t.to_owned()
            } else {
                format!("{dir}/{t}")
            };
            assert!(p.parts.contains_key(&full), "{name} → missing {full}");
            targets.push(full);
        }
    }
    for name in p
        .names
        .iter()
        .filter(|n| !n.ends_with(".rels") && *n != "[Content_Types].xml")
    {
        assert!(targets.contains(name), "{name} is related from nowhere");
        assert!(
            types.contains(&format!("PartName=\"/{name}\"")),
            "{name} has no content type"
        );
    }
}

#[test]
fn every_part_in_schema_order_and_the_package_complete() {
    let report = format!("{REPORT}列出案件: 是\n");
    let p = package(&Fixture::report(&report, CASES));
    assert_schema_order(&p);
    assert_package(&p);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    for (data, template) in [
        ("data/huibian", None),
        ("data/renda", Some("人大工作")),
        ("data/qingshanqu", Some("代表建议督办")),
    ] {
        let f = Fixture::new();
        let dir = match template {
            None => root.join(data),
            Some(t) => {
                // The example with another template and its 附表.
                copy_dir(&root.join(data), f.dir.path());
                let yaml = std::fs::read_to_string(f.path("报告.yaml")).unwrap();
                let yaml: String = yaml
                    .lines()
                    .filter(|l| !l.starts_with("模板:") && !l.starts_with("附表:"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                f.write("报告.yaml", &format!("{yaml}模板: {t}\n附表: 是\n"));
                f.dir.path().to_owned()
            }
        };
        let run = crate::common::run_in(&dir, &["build", ".", "-f", "docx", "-o", o]);
        assert_eq!(run.code, 0, "{data}: {}", run.stderr);
        for e in std::fs::read_dir(out.path()).unwrap() {
            let path = e.unwrap().path();
            if path.to_string_lossy().ends_with(".快照.json") {
                // The build's snapshot, beside the DOCX.
                std::fs::remove_file(path).unwrap();
                continue;
            }
            let p = Package::read(&std::fs::read(&path).unwrap());
            assert_schema_order(&p);
            assert_package(&p);
            std::fs::remove_file(path).unwrap();
        }
    }
}

#[test]
fn text_with_a_control_character_is_refused_before_anything_is_written() {
    let cases = CASES.replace("关于优化公交线路的建议", "\"关于优化公交\\a线路的建议\"");
    let f = Fixture::report(REPORT, &cases);
    let out = f.run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("标题中有不可见的控制字符 U+0007"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("案件.yaml:1:"), "{}", out.stderr);
    let out = f.run(&["build", "报告.yaml", "-f", "docx", "-o", "out"]);
    assert_eq!(out.code, 1);
    assert!(!f.path("out").exists(), "nothing written");
    let report = REPORT.replace("单位: 江城市交通运输局", "单位: \"江城市交通运输局\\x01\"");
    let out = Fixture::report(&report, CASES).run(&["check", "报告.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("单位中有不可见的控制字符 U+0001"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("报告.yaml:1:"), "{}", out.stderr);
}
