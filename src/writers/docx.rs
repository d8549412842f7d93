//! DOCX in the GB/T 9704 layout (SPEC §4–5), written with docx-rs. Word and WPS lay the text
//! out themselves; we give them what they need: A4 with the 公文 margins, a 22×28 document
//! grid, built-in heading styles carrying the role fonts, even/odd page-number footers.
//! docx-rs cannot express a few settings (repeated table header rows, punctuation
//! compression); [`finish`] adds them and fixes every zip timestamp, so builds are
//! byte-identical.

use super::signature_offsets;
use crate::document::{Attachment, Block, Document, Heading, Part, Table};
use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Style, StyleType,
    TableCell, TableRow, WidthType,
};
use std::io::{Read, Write};

/// Twips (1/1440 inch) in a millimetre.
const MM: f64 = 1440.0 / 25.4;
fn mm(v: f64) -> i32 {
    (v * MM).round() as i32
}

/// One grid line: 225 mm / 22.
pub const LINE_PITCH: i32 = 580;
/// Tracking of body text, in twentieths of a point: −0.25 pt makes a 16 pt character
/// 15.75 pt wide, so that exactly 28 fit the 156 mm line (28 × 15.75 = 441 pt ≤ 442.2 pt).
///
/// Why not a `linesAndChars` grid with a `charSpace`: Word compresses each character into
/// its 15.79 pt cell, but LibreOffice snaps a 16 pt character to *two* cells and sets 14
/// characters a line. A line grid with tracking gives 28 a line in both.
const TRACKING: i32 = -5;
/// The width of a grid character in twips, for placing the 落款.
const CHAR_TWIPS: f64 = 156.0 / 28.0 * MM;
/// The first-line indent of body text: two grid characters.
const INDENT_2: i32 = 632;
/// The body text style. docx-rs always writes a bare `Normal` of its own, so ours is
/// Word's built-in “Body Text”.
const BODY: &str = "BodyText";

/// The east-Asian font names of the roles (SPEC §5), overridable by 字体 in 报告.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontNames {
    pub title: String,
    pub body: String,
    pub heading: String,
    pub kai: String,
    pub song: String,
}

impl Default for FontNames {
    fn default() -> Self {
        FontNames {
            title: "方正小标宋简体".into(),
            body: "仿宋_GB2312".into(),
            heading: "黑体".into(),
            kai: "楷体_GB2312".into(),
            song: "宋体".into(),
        }
    }
}

impl FontNames {
    /// Applies 字体 overrides: a family name replaces the role's name; a font file (used by
    /// the PDF writer) leaves the DOCX name as it is.
    pub fn with_overrides<'a>(mut self, overrides: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        for (role, value) in overrides {
            let lower = value.to_ascii_lowercase();
            if [".ttf", ".otf", ".ttc", ".otc"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                continue;
            }
            let slot = match role {
                "小标宋" => &mut self.title,
                "仿宋" => &mut self.body,
                "黑体" => &mut self.heading,
                "楷体" => &mut self.kai,
                "宋体" => &mut self.song,
                _ => continue,
            };
            *slot = value.to_owned();
        }
        self
    }
}

/// Latin letters and digits: a serif face that sits well beside 仿宋.
const LATIN: &str = "Times New Roman";

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
}

fn styles(f: &FontNames) -> Vec<Style> {
    let single = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(0)
        .after(0);
    let body = |id: &str, name: &str, font: &str| {
        let mut style = Style::new(id, StyleType::Paragraph);
        style.run_property = style.run_property.spacing(TRACKING);
        // Every grid line is filled, as in the PDF: no widow/orphan control moving lines.
        style.paragraph_property = style.paragraph_property.widow_control(false);
        style
            .name(name)
            .fonts(fonts(font))
            .size(32)
            .align(AlignmentType::Both)
            .line_spacing(single.clone())
            .indent(None, Some(SpecialIndentType::FirstLine(INDENT_2)), None, None)
            .snap_to_grid(true)
            .q_format(true)
    };
    let heading = |level: usize, font: &str| {
        body(&format!("Heading{level}"), &format!("heading {level}"), font)
            .based_on(BODY)
            .next(BODY)
            .outline_lvl(level - 1)
    };
    vec![
        body(BODY, "Body Text", &f.body),
        heading(1, &f.heading),
        heading(2, &f.kai),
        heading(3, &f.body).bold(),
        heading(4, &f.body),
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on(BODY)
            .next(BODY)
            .fonts(fonts(&f.title))
            .size(44)
            .align(AlignmentType::Center)
            .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None)
            .q_format(true),
        Style::new("Cover", StyleType::Paragraph)
            .name("Cover Title")
            .based_on(BODY)
            .fonts(fonts(&f.title))
            .size(52)
            .align(AlignmentType::Center)
            .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None),
        Style::new("TOCHeading", StyleType::Paragraph)
            .name("TOC Heading")
            .based_on(BODY)
            .fonts(fonts(&f.title))
            .size(44)
            .align(AlignmentType::Center)
            .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None),
        Style::new("TOC1", StyleType::Paragraph)
            .name("toc 1")
            .based_on(BODY)
            .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None),
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on(BODY)
            .fonts(fonts(&f.song))
            .size(28)
            .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None)
            .snap_to_grid(false),
        Style::new("TableText", StyleType::Paragraph)
            .name("Table Text")
            .based_on(BODY)
            .size(28)
            .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None)
            .align(AlignmentType::Center)
            .snap_to_grid(false),
    ]
}

/// `— 1 —` with a PAGE field, one character (14 pt) in from the side.
fn page_number(odd: bool) -> Footer {
    let indent = Some(280);
    let (align, left, right) = if odd {
        (AlignmentType::Right, None, indent)
    } else {
        (AlignmentType::Left, indent, None)
    };
    let p = Paragraph::new()
        .style("Footer")
        .align(align)
        .indent(left, None, right, None)
        .add_run(Run::new().add_text("— "))
        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
        .add_run(Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
        .add_run(Run::new().add_text("1"))
        .add_run(Run::new().add_field_char(FieldCharType::End, false))
        .add_run(Run::new().add_text(" —"));
    Footer::new().add_paragraph(p)
}

fn heading_para(h: &Heading) -> Paragraph {
    Paragraph::new()
        .style(&format!("Heading{}", h.level.clamp(1, 4)))
        .keep_next(true)
        .add_run(Run::new().add_text(format!("{}{}", h.number, h.text)))
}

/// A run-in heading: the heading's run in its role font, the text in the body font, one
/// paragraph. The paragraph carries the heading's outline level so that it is found in the
/// navigation pane.
fn run_in(h: &Heading, text: &str, f: &FontNames) -> Paragraph {
    let head = match h.level {
        2 => Run::new().fonts(fonts(&f.kai)),
        3 => Run::new().fonts(fonts(&f.body)).bold(),
        _ => Run::new(),
    };
    Paragraph::new()
        .style(BODY)
        .outline_lvl(h.level.saturating_sub(1) as usize)
        .add_run(head.add_text(format!("{}{}", h.number, h.text)))
        .add_run(Run::new().add_text(text))
}

fn table(t: &Table, f: &FontNames) -> docx_rs::Table {
    let width = mm(156.0) as usize;
    let first = width * 2 / 5;
    let rest = if t.header.len() > 1 {
        (width - first) / (t.header.len() - 1)
    } else {
        width
    };
    let widths: Vec<usize> = (0..t.header.len())
        .map(|i| if i == 0 { first } else { rest })
        .collect();
    let cell = |text: &str, i: usize, header: bool| {
        let mut run = Run::new().add_text(text);
        if header {
            run = run.fonts(fonts(&f.heading));
        }
        let align = if header || t.numeric.get(i) != Some(&true) {
            AlignmentType::Center
        } else {
            AlignmentType::Right
        };
        let align = if !header && i == 0 {
            AlignmentType::Left
        } else {
            align
        };
        TableCell::new()
            .width(widths[i], WidthType::Dxa)
            .add_paragraph(Paragraph::new().style("TableText").align(align).add_run(run))
    };
    let mut rows = vec![TableRow::new(
        t.header
            .iter()
            .enumerate()
            .map(|(i, h)| cell(h, i, true))
            .collect(),
    )
    .cant_split()];
    for r in &t.rows {
        rows.push(TableRow::new(r.iter().enumerate().map(|(i, c)| cell(c, i, false)).collect()).cant_split());
    }
    docx_rs::Table::new(rows)
        .set_grid(widths)
        .width(width, WidthType::Dxa)
        .align(docx_rs::TableAlignmentType::Center)
}

fn blocks(mut docx: Docx, blocks: &[Block], f: &FontNames) -> Docx {
    for b in blocks {
        docx = match b {
            Block::Heading(h) => docx.add_paragraph(heading_para(h)),
            Block::Paragraph(p) => match &p.run_in {
                Some(h) => docx.add_paragraph(run_in(h, &p.text, f)),
                None => {
                    docx.add_paragraph(Paragraph::new().style(BODY).add_run(Run::new().add_text(&p.text)))
                }
            },
            Block::Table(t) => docx.add_table(table(t, f)),
            Block::PageBreak => {
                docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
        };
    }
    docx
}

fn blank() -> Paragraph {
    Paragraph::new().style(BODY)
}

fn title(lines: &[String]) -> Paragraph {
    let lines: Vec<String> = lines
        .iter()
        .flat_map(|l| super::balance_title(l, super::TITLE_CHARS * 2))
        .collect();
    let mut run = Run::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(l);
    }
    Paragraph::new().style("Title").add_run(run)
}

/// 落款: the unit ending two characters from the right, the date below it (SPEC §4).
fn signature(docx: Docx, unit: &str, date: Option<&str>) -> Docx {
    let (u, d) = signature_offsets(unit, date);
    let at = |halves: usize| {
        Paragraph::new().style(BODY).align(AlignmentType::Left).indent(
            Some((halves as f64 / 2.0 * CHAR_TWIPS).round() as i32),
            Some(SpecialIndentType::FirstLine(0)),
            None,
            None,
        )
    };
    let mut docx = docx
        .add_paragraph(blank())
        .add_paragraph(at(u).add_run(Run::new().add_text(unit)));
    if let (Some(date), Some(d)) = (date, d) {
        docx = docx.add_paragraph(at(d).add_run(Run::new().add_text(date)));
    }
    docx
}

fn attachment(docx: Docx, a: &Attachment, f: &FontNames) -> Docx {
    let label = Paragraph::new()
        .style(BODY)
        .page_break_before(true)
        .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None)
        .add_run(Run::new().fonts(fonts(&f.heading)).add_text(&a.label));
    let docx = docx
        .add_paragraph(label)
        .add_paragraph(blank())
        .add_paragraph(title(std::slice::from_ref(&a.title)));
    blocks(docx.add_paragraph(blank()), &a.blocks, f)
}

/// A paragraph that [`finish`] replaces by a section break (docx-rs cannot give a section
/// its page setup).
fn section_marker(kind: &str) -> Paragraph {
    Paragraph::new()
        .style(BODY)
        .add_run(Run::new().add_text(format!("{SECTION_MARK}{kind}")))
}
const SECTION_MARK: char = '\u{E000}';

fn part(mut docx: Docx, p: &Part, first: bool, f: &FontNames) -> Docx {
    let mut t = title(&p.title);
    if let Some(label) = &p.label {
        // A 篇 of a 汇编 opens its own section (a new page): its label above the title.
        let label = Paragraph::new()
            .style(BODY)
            .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None)
            .add_run(Run::new().fonts(fonts(&f.heading)).add_text(label));
        docx = docx.add_paragraph(label);
    } else if !first {
        t = t.page_break_before(true);
    }
    docx = blocks(docx.add_paragraph(t).add_paragraph(blank()), &p.blocks, f);
    if let Some(s) = &p.signature {
        docx = signature(docx, &s.unit, s.date.as_deref());
    }
    for a in &p.attachments {
        docx = attachment(docx, a, f);
    }
    docx
}

/// The document properties' date: the 成文日期 of the first part, or 1 January 1980.
fn iso_date(doc: &Document) -> String {
    let date = doc
        .parts
        .first()
        .and_then(|p| p.signature.as_ref())
        .and_then(|s| s.date.as_deref())
        .and_then(|d| {
            let nums: Vec<u32> = d
                .split(['年', '月', '日'])
                .filter_map(|x| x.parse().ok())
                .collect();
            (nums.len() == 3).then(|| format!("{:04}-{:02}-{:02}T00:00:00Z", nums[0], nums[1], nums[2]))
        });
    date.unwrap_or_else(|| "1980-01-01T00:00:00Z".into())
}

fn has_front(doc: &Document) -> bool {
    doc.cover.is_some() || doc.toc
}

/// A 汇编's cover and 目录, in a section of their own without page numbers. The 目录 is a
/// marker here, replaced by the TOC field in [`finish`] ([`toc_field`]).
fn front_matter(mut docx: Docx, doc: &Document) -> Docx {
    if let Some(c) = &doc.cover {
        for _ in 0..5 {
            docx = docx.add_paragraph(blank());
        }
        for line in &c.title {
            docx = docx.add_paragraph(Paragraph::new().style("Cover").add_run(Run::new().add_text(line)));
        }
        for _ in 0..8 {
            docx = docx.add_paragraph(blank());
        }
        for line in [&c.editor, &c.date].into_iter().flatten() {
            let p = Paragraph::new()
                .style(BODY)
                .align(AlignmentType::Center)
                .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None)
                .add_run(Run::new().add_text(line));
            docx = docx.add_paragraph(p);
        }
    }
    if doc.toc {
        let heading = Paragraph::new()
            .style("TOCHeading")
            .page_break_before(doc.cover.is_some())
            .add_run(Run::new().add_text("目　录"));
        docx = docx.add_paragraph(heading).add_paragraph(blank());
        docx = docx.add_paragraph(section_marker("toc"));
    }
    if has_front(doc) {
        docx = docx.add_paragraph(section_marker("front"));
    }
    docx
}

/// The document as DOCX bytes. `layout` (our PDF layout) gives a 汇编's 目录 its numbers.
pub fn write(
    doc: &Document,
    f: &FontNames,
    layout: Option<&crate::typeset::Layout>,
) -> Result<Vec<u8>, String> {
    let margin = PageMargin::new()
        .top(mm(37.0))
        .bottom(mm(35.0))
        .left(mm(28.0))
        .right(mm(26.0))
        .header(mm(15.0))
        .footer(mm(22.0))
        .gutter(0);
    let mut docx = Docx::new()
        .page_size(11906, 16838)
        .page_margin(margin)
        .default_fonts(fonts(&f.body))
        .default_size(32)
        .footer(page_number(true))
        .even_footer(page_number(false))
        .created_at(&iso_date(doc))
        .updated_at(&iso_date(doc));
    docx.document.section_property = docx.document.section_property.clone().doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(LINE_PITCH as usize),
    );
    for s in styles(f) {
        docx = docx.add_style(s);
    }
    docx = front_matter(docx, doc);
    for (i, p) in doc.parts.iter().enumerate() {
        if i > 0 && p.label.is_some() {
            docx = docx.add_paragraph(section_marker(if i == 1 && has_front(doc) {
                "first"
            } else {
                "body"
            }));
        }
        docx = part(docx, p, i == 0, f);
    }
    let mut raw = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut raw).map_err(|e| e.to_string())?;
    finish(&raw.into_inner(), doc, f, layout)
}

/// Rewrites the package: fixed timestamps, the document's title and author, repeated table
/// header rows and punctuation compression, which docx-rs has no API for.
fn finish(
    zipped: &[u8],
    doc: &Document,
    f: &FontNames,
    layout: Option<&crate::typeset::Layout>,
) -> Result<Vec<u8>, String> {
    let normal = format!(
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\" /><w:rPr><w:rFonts w:ascii=\"{LATIN}\" w:hAnsi=\"{LATIN}\" w:cs=\"{LATIN}\" w:eastAsia=\"{}\" /><w:sz w:val=\"32\" /><w:szCs w:val=\"32\" /></w:rPr><w:qFormat /></w:style>",
        escape(&f.body)
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut names: Vec<String> = archive.file_names().map(String::from).collect();
    // [Content_Types].xml first, as Office writes it; the rest in a stable order.
    names.sort_by_key(|n| (n != "[Content_Types].xml", n.clone()));
    for name in names {
        let mut data = Vec::new();
        archive
            .by_name(&name)
            .map_err(|e| e.to_string())?
            .read_to_end(&mut data)
            .map_err(|e| e.to_string())?;
        // docx-rs numbers paragraphs from a process-wide counter: drop the optional ids so
        // that the bytes do not depend on what else the process wrote before.
        let data = if name.ends_with(".xml") {
            strip_para_ids(&data)
        } else {
            data
        };
        let data = match name.as_str() {
            "word/document.xml" => {
                let xml = repeat_header_rows(&String::from_utf8_lossy(&data));
                let xml = replace_marker(&xml, "toc", &toc_field(doc, layout));
                section_breaks(&xml, doc.parts.len() == 1 && has_front(doc)).into_bytes()
            }
            "word/settings.xml" => compress_punctuation(&String::from_utf8_lossy(&data)).into_bytes(),
            "word/styles.xml" => style_settings(&String::from_utf8_lossy(&data), &normal).into_bytes(),
            "docProps/core.xml" => core_properties(&String::from_utf8_lossy(&data), doc).into_bytes(),
            _ => data,
        };
        out.start_file(name, options).map_err(|e| e.to_string())?;
        out.write_all(&data).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

fn strip_para_ids(xml: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_ref();
    while let Some(i) = rest.find(" w14:paraId=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " w14:paraId=\"".len()..];
        rest = after.find('"').map_or("", |j| &after[j + 1..]);
    }
    out.push_str(rest);
    out.into_bytes()
}

/// Replaces the paragraph holding marker `kind` by `xml`.
fn replace_marker(doc: &str, kind: &str, xml: &str) -> String {
    let mark = format!("{SECTION_MARK}{kind}<");
    let Some(m) = doc.find(&mark) else {
        return doc.to_owned();
    };
    let start = doc[..m].rfind("<w:p>").unwrap_or(m);
    let end = doc[m..]
        .find("</w:p>")
        .map_or(doc.len(), |j| m + j + "</w:p>".len());
    format!("{}{xml}{}", &doc[..start], &doc[end..])
}

/// The 目录 as a TOC field over the 篇 titles (style Title), its result filled with each
/// 篇's label, title, dot leader and the page our layout puts it on.
fn toc_field(doc: &Document, layout: Option<&crate::typeset::Layout>) -> String {
    let tab = mm(156.0);
    let mut out = String::new();
    let n = doc.parts.len();
    for (i, p) in doc.parts.iter().enumerate() {
        let page = layout
            .and_then(|l| l.part_pages.get(i))
            .map_or(String::new(), |n| n.to_string());
        let text = escape(format!("{}　{}", p.label.clone().unwrap_or_default(), p.title.concat()).trim());
        out.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"TOC1\" /><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{tab}\" /></w:tabs></w:pPr>"
        ));
        if i == 0 {
            out.push_str("<w:r><w:fldChar w:fldCharType=\"begin\" /></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\t &quot;Title,1&quot; </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\" /></w:r>");
        }
        out.push_str(&format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r><w:r><w:tab /></w:r><w:r><w:t>{page}</w:t></w:r>"));
        if i + 1 == n {
            out.push_str("<w:r><w:fldChar w:fldCharType=\"end\" /></w:r>");
        }
        out.push_str("</w:p>");
    }
    out
}

/// Turns the section markers into section breaks with the document's page setup: the front
/// matter without page numbers, the first body section numbered from 1, the rest continuing.
fn section_breaks(xml: &str, number_last_from_one: bool) -> String {
    let (Some(a), Some(b)) = (xml.rfind("<w:sectPr>"), xml.rfind("</w:sectPr>")) else {
        return xml.to_owned();
    };
    let sect = &xml[a..b + "</w:sectPr>".len()];
    let start_at_one = |s: &str| s.replacen("<w:cols ", "<w:pgNumType w:start=\"1\" /><w:cols ", 1);
    let without_footers = {
        let mut s = sect.to_owned();
        while let Some(i) = s.find("<w:footerReference") {
            let j = s[i..].find("/>").map_or(s.len(), |j| i + j + 2);
            s.replace_range(i..j, "");
        }
        s
    };
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mark = SECTION_MARK.to_string();
    while let Some(m) = rest.find(&mark) {
        let p_start = rest[..m]
            .rfind("<w:p>")
            .or_else(|| rest[..m].rfind("<w:p "))
            .unwrap_or(m);
        let p_end = rest[m..]
            .find("</w:p>")
            .map_or(rest.len(), |j| m + j + "</w:p>".len());
        let kind = &rest[m + mark.len()..];
        let replacement = if kind.starts_with("front") {
            without_footers.clone()
        } else if kind.starts_with("first") {
            start_at_one(sect)
        } else {
            sect.to_owned()
        };
        out.push_str(&rest[..p_start]);
        out.push_str(&format!("<w:p><w:pPr>{replacement}</w:pPr></w:p>"));
        rest = &rest[p_end..];
    }
    out.push_str(rest);
    if number_last_from_one {
        if let Some(i) = out.rfind("<w:sectPr>") {
            let tail = start_at_one(&out[i..]);
            out.replace_range(i.., &tail);
        }
    }
    out
}

/// Marks the first row of every table as a header row repeated on each page.
fn repeat_header_rows(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(t) = rest.find("<w:tbl>") {
        let (before, after) = rest.split_at(t);
        out.push_str(before);
        match after.find("<w:cantSplit />") {
            Some(c) => {
                out.push_str(&after[..c]);
                out.push_str("<w:cantSplit /><w:tblHeader />");
                rest = &after[c + "<w:cantSplit />".len()..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The style settings docx-rs cannot write:
/// - its bare `Normal` becomes the default style with the body font and size (LibreOffice
///   takes the document's base font size from it);
/// - first-line indents in characters (`firstLineChars`), which Word prefers to twips;
/// - no hanging punctuation and no automatic space between Chinese and Latin text. The
///   `overflowPunct` value is 1 because LibreOffice reads it inverted (1 = no hanging);
///   Word, which hangs a line-end mark by default anyway, keeps its default.
fn style_settings(xml: &str, normal: &str) -> String {
    const BARE_NORMAL: &str =
        "<w:style w:type=\"paragraph\" w:styleId=\"Normal\"><w:name w:val=\"Normal\" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>";
    xml.replacen(BARE_NORMAL, normal, 1)
        .replace(&format!("w:firstLine=\"{INDENT_2}\""), &format!("w:firstLine=\"{INDENT_2}\" w:firstLineChars=\"200\""))
        .replace(
            "<w:snapToGrid w:val=\"true\" />",
            "<w:overflowPunct w:val=\"1\" /><w:autoSpaceDE w:val=\"0\" /><w:autoSpaceDN w:val=\"0\" /><w:snapToGrid w:val=\"true\" />",
        )
}

/// Turns on Word's 标点压缩 and kinsoku (避头尾) for the whole document.
fn compress_punctuation(xml: &str) -> String {
    xml.replacen(
        "</w:settings>",
        "<w:characterSpacingControl w:val=\"compressPunctuation\" /></w:settings>",
        1,
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn core_properties(xml: &str, doc: &Document) -> String {
    let mut xml = xml.to_owned();
    for (tag, value) in [("dc:creator", &doc.author), ("cp:lastModifiedBy", &doc.author)] {
        if let (Some(a), Some(b)) = (xml.find(&format!("<{tag}>")), xml.find(&format!("</{tag}>"))) {
            xml.replace_range(a + tag.len() + 2..b, &escape(value));
        }
    }
    if !xml.contains("<dc:title>") {
        xml = xml.replacen(
            "</cp:coreProperties>",
            &format!("<dc:title>{}</dc:title></cp:coreProperties>", escape(&doc.title)),
            1,
        );
    }
    xml
}
