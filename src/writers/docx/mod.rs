//! DOCX in the GB/T 9704 layout (SPEC §4–5). Word and WPS lay the text out themselves; we
//! give them what they need: A4 with the 公文 margins, a 22-line grid, built-in heading
//! styles carrying the role fonts, even/odd page-number footers, titles broken where our
//! layout breaks them, and a 汇编's 目录 as a TOC field showing our layout's page numbers.
//!
//! The package is written part by part with quick-xml rather than with docx-rs: docx-rs
//! writes paragraph, section, style and settings children out of schema order, folder
//! entries in the zip and parts nothing refers to, which makes Word offer to repair every
//! file; and it has no way to say table header rows, punctuation compression, character
//! indents or section page setup, which needed a string-patching post-pass. Writing the
//! parts ourselves keeps every element where ISO/IEC 29500 puts it, by construction
//! ([`props`]), in less code than the library plus the post-pass.

mod package;
mod props;
mod styles;
use super::xml;

use crate::document::{Attachment, Block, Cover, Document, Heading, Part, Table, ATTACHMENT_NOTE_LABEL};
use crate::gbt9704::{self as gb, Role};
use crate::model::{FontOverride, FontSource};
use crate::typeset::PageFacts;
use props::{FirstLine, Fonts, Ind, Numbering, PPr, PageSetup, RPr, SectPr};
use xml::Xml;

/// Twips (1/1440 inch) in a millimetre.
const MM: f64 = 1440.0 / 25.4;
fn mm(v: f64) -> i32 {
    (v * MM).round() as i32
}

/// A4 with the 版心 of GB/T 9704. The footer distance puts the page number's dashes 7 mm
/// below the 版心: the footer line is exactly 四号 high, its baseline 0.14 em above its foot
/// and the dash 0.35 em above the baseline, as in the PDF.
fn page_setup() -> PageSetup {
    let bottom = gb::PAGE_H_MM - gb::TOP_MM - gb::HEIGHT_MM;
    PageSetup {
        width: mm(gb::PAGE_W_MM),
        height: mm(gb::PAGE_H_MM),
        top: mm(gb::TOP_MM),
        right: mm(gb::PAGE_W_MM - gb::LEFT_MM - gb::WIDTH_MM),
        bottom: mm(bottom),
        left: mm(gb::LEFT_MM),
        header: mm(15.0),
        footer: mm(bottom - gb::PAGE_NUMBER_BELOW_MM - 0.49 * gb::SMALL / gb::MM),
        line_pitch: LINE_PITCH,
    }
}

/// One grid line: 225 mm / 22, in twips.
const LINE_PITCH: i32 = (gb::HEIGHT_MM * MM / gb::LINES as f64 + 0.5) as i32;
/// Tracking of body text, in twentieths of a point: −0.25 pt makes a 16 pt character
/// 15.75 pt wide, so that exactly 28 fit the 156 mm line (28 × 15.75 = 441 pt ≤ 442.2 pt).
///
/// Why not a `linesAndChars` grid with a `charSpace`: Word compresses each character into
/// its 15.79 pt cell, but LibreOffice snaps a 16 pt character to *two* cells and sets 14
/// characters a line. A line grid with tracking gives 28 a line in both.
const TRACKING: i32 = -5;
/// The width of a grid character in twips, for placing the 落款 and the 附件说明.
const CHAR_TWIPS: f64 = gb::WIDTH_MM / gb::LINE_CHARS as f64 * MM;
/// The first-line indent of body text: two grid characters.
const INDENT_2: i32 = 632;
/// The body text style. Word's built-in “Body Text”, so that `Normal` stays the plain
/// default other documents' text falls back to.
const BODY: &str = "BodyText";
/// Latin letters and digits: a serif face that sits well beside 仿宋.
const LATIN: &str = "Times New Roman";

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
    pub fn with_overrides(mut self, overrides: &[FontOverride]) -> Self {
        for o in overrides {
            let FontSource::Family(name) = &o.source else {
                continue;
            };
            let slot = match o.role {
                Role::Title => &mut self.title,
                Role::Body | Role::BodyBold => &mut self.body,
                Role::Heading => &mut self.heading,
                Role::Kai => &mut self.kai,
                Role::Song => &mut self.song,
            };
            slot.clone_from(name);
        }
        self
    }

    /// The name the DOCX gives a role.
    pub fn of(&self, role: Role) -> &str {
        match role {
            Role::Title => &self.title,
            Role::Body | Role::BodyBold => &self.body,
            Role::Heading => &self.heading,
            Role::Kai => &self.kai,
            Role::Song => &self.song,
        }
    }
}

fn fonts(east_asia: &str) -> Fonts {
    Fonts {
        east_asia: east_asia.to_owned(),
        latin: LATIN,
    }
}

fn run_fonts(east_asia: &str) -> RPr {
    RPr {
        fonts: Some(fonts(east_asia)),
        ..RPr::default()
    }
}

/// Why a DOCX could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    /// Text held a character XML 1.0 forbids (`check` reports these at their source line).
    #[error("{part}中有不可见的控制字符 U+{:04X}，Word 无法打开含有它的文件；请删去这个字符", *.ch as u32)]
    ForbiddenChar { part: &'static str, ch: char },
    #[error("打包失败：{0}")]
    Zip(String),
}

/// The document as DOCX bytes. `facts` (from our layout) gives the title breaks and a 汇编's
/// 目录 its page numbers.
pub fn write(doc: &Document, names: &FontNames, facts: &PageFacts) -> Result<Vec<u8>, DocxError> {
    let body = Body { names, facts }.document(doc);
    let body = body
        .finish()
        .map_err(|ch| DocxError::ForbiddenChar { part: "正文", ch })?;
    package::assemble(doc, names, body)
}

/// Writes `word/document.xml`.
struct Body<'a> {
    names: &'a FontNames,
    facts: &'a PageFacts,
}

fn paragraph(x: &mut Xml, ppr: &PPr, runs: &[(RPr, &str)]) {
    x.el("w:p", &[], |x| {
        ppr.write(x, None);
        for (rpr, text) in runs {
            run(x, rpr, text);
        }
    });
}

fn run(x: &mut Xml, rpr: &RPr, text: &str) {
    x.el("w:r", &[], |x| {
        rpr.write(x);
        x.text("w:t", &[("xml:space", "preserve")], text);
    });
}

fn blank(x: &mut Xml) {
    paragraph(x, &PPr::style(BODY), &[]);
}

/// A paragraph that starts at the left margin.
fn flush_left(style: &'static str) -> PPr {
    PPr {
        ind: Some(Ind {
            first_line: Some(FirstLine::Indent(0, 0)),
            ..Ind::default()
        }),
        ..PPr::style(style)
    }
}

/// An empty paragraph that ends a section.
fn section_break(x: &mut Xml, numbering: Numbering) {
    x.el("w:p", &[], |x| {
        PPr::default().write(
            x,
            Some(&SectPr {
                numbering,
                page: page_setup(),
            }),
        );
    });
}

impl Body<'_> {
    fn document(&self, doc: &Document) -> Xml {
        let mut x = Xml::new();
        let ns = [
            (
                "xmlns:w",
                "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            ),
            (
                "xmlns:r",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            ),
        ];
        x.el("w:document", &ns, |x| {
            x.el("w:body", &[], |x| {
                let front = doc.cover.is_some() || doc.toc;
                if let Some(c) = &doc.cover {
                    Self::cover(x, c);
                }
                if doc.toc {
                    self.toc(x, doc);
                }
                if front {
                    section_break(x, Numbering::None);
                }
                for (i, p) in doc.parts.iter().enumerate() {
                    // A 篇 of a 汇编 is a section of its own; the first numbers from 1.
                    if i > 0 && p.label.is_some() {
                        section_break(
                            x,
                            if i == 1 && front {
                                Numbering::FromOne
                            } else {
                                Numbering::Continue
                            },
                        );
                    }
                    self.part(x, p, i);
                }
                let last = if front && doc.parts.len() == 1 {
                    Numbering::FromOne
                } else {
                    Numbering::Continue
                };
                SectPr {
                    numbering: last,
                    page: page_setup(),
                }
                .write(x);
            });
        });
        x
    }

    fn part(&self, x: &mut Xml, p: &Part, index: usize) {
        let laid_out = self.facts.titles.get(index);
        let title_lines = laid_out.map_or(p.title.as_slice(), |t| &t.title);
        let mut title = PPr::style("Title");
        if let Some(label) = &p.label {
            // A 篇 of a 汇编 opens its own section (a new page): its label above the title.
            paragraph(x, &flush_left(BODY), &[(run_fonts(&self.names.heading), label)]);
        } else if index > 0 {
            title.page_break_before = true;
        }
        lines(x, &title, title_lines);
        blank(x);
        self.blocks(x, &p.blocks);
        attachment_note(x, p);
        if let Some(s) = &p.signature {
            signature(x, &s.unit, s.date.as_deref());
        }
        for (i, a) in p.attachments.iter().enumerate() {
            let lines = laid_out.and_then(|t| t.attachments.get(i));
            self.attachment(
                x,
                a,
                lines.map_or(std::slice::from_ref(&a.title), |l| l.as_slice()),
            );
        }
    }

    fn blocks(&self, x: &mut Xml, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Heading(h) => heading(x, h),
                Block::Paragraph(p) => match &p.run_in {
                    Some(h) => self.run_in(x, h, &p.text),
                    None => paragraph(x, &PPr::style(BODY), &[(RPr::default(), &p.text)]),
                },
                Block::Table(t) => self.table(x, t),
                Block::PageBreak => x.el("w:p", &[], |x| {
                    x.el("w:r", &[], |x| x.empty("w:br", &[("w:type", "page")]));
                }),
            }
        }
    }

    /// A run-in heading: the heading's run in its role font, the text in the body font, one
    /// paragraph carrying the heading's outline level, so that the navigation pane finds it.
    fn run_in(&self, x: &mut Xml, h: &Heading, text: &str) {
        let head = match h.level {
            2 => run_fonts(&self.names.kai),
            3 => RPr {
                bold: true,
                ..run_fonts(&self.names.body)
            },
            _ => RPr::default(),
        };
        let ppr = PPr {
            outline_level: Some(h.level.saturating_sub(1)),
            ..PPr::style(BODY)
        };
        let number = format!("{}{}", h.number, h.text);
        paragraph(x, &ppr, &[(head, &number), (RPr::default(), text)]);
    }

    fn table(&self, x: &mut Xml, t: &Table) {
        let width = mm(gb::WIDTH_MM);
        let first = width * 2 / 5;
        let columns = t.header.len().max(1) as i32;
        let rest = if columns > 1 {
            (width - first) / (columns - 1)
        } else {
            width
        };
        let widths: Vec<i32> = (0..columns).map(|i| if i == 0 { first } else { rest }).collect();
        x.el("w:tbl", &[], |x| {
            x.el("w:tblPr", &[], |x| {
                x.empty("w:tblW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
                x.val("w:jc", "center");
                x.el("w:tblBorders", &[], |x| {
                    for side in ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"] {
                        x.empty(
                            side,
                            &[
                                ("w:val", "single"),
                                ("w:sz", "4"),
                                ("w:space", "0"),
                                ("w:color", "000000"),
                            ],
                        );
                    }
                });
                x.empty("w:tblLayout", &[("w:type", "fixed")]);
            });
            x.el("w:tblGrid", &[], |x| {
                for w in &widths {
                    x.empty("w:gridCol", &[("w:w", &w.to_string())]);
                }
            });
            let header_font = run_fonts(&self.names.heading);
            Self::row(x, &t.header, &widths, |_| ("center", &header_font), true);
            let plain = RPr::default();
            for r in &t.rows {
                let align = |i: usize| {
                    let jc = match (i, t.numeric.get(i)) {
                        (0, _) => "left",
                        (_, Some(true)) => "right",
                        _ => "center",
                    };
                    (jc, &plain)
                };
                Self::row(x, r, &widths, align, false);
            }
        });
    }

    /// A table row that is never split across pages; the header row repeats on each page.
    fn row<'r>(
        x: &mut Xml,
        cells: &[String],
        widths: &[i32],
        style: impl Fn(usize) -> (&'static str, &'r RPr),
        header: bool,
    ) {
        x.el("w:tr", &[], |x| {
            x.el("w:trPr", &[], |x| {
                x.empty("w:cantSplit", &[]);
                if header {
                    x.empty("w:tblHeader", &[]);
                }
            });
            for (i, text) in cells.iter().enumerate() {
                let (jc, rpr) = style(i);
                let width = widths.get(i).copied().unwrap_or_default();
                x.el("w:tc", &[], |x| {
                    x.el("w:tcPr", &[], |x| {
                        x.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
                    });
                    let ppr = PPr {
                        jc: Some(jc),
                        ..PPr::style("TableText")
                    };
                    paragraph(x, &ppr, &[(rpr.clone(), text)]);
                });
            }
        });
    }

    fn attachment(&self, x: &mut Xml, a: &Attachment, title_lines: &[String]) {
        let label = PPr {
            page_break_before: true,
            ..flush_left(BODY)
        };
        paragraph(x, &label, &[(run_fonts(&self.names.heading), &a.label)]);
        blank(x);
        lines(x, &PPr::style("Title"), title_lines);
        blank(x);
        self.blocks(x, &a.blocks);
    }

    /// A 汇编's cover: title, 编者 and 日期, spaced down the page.
    fn cover(x: &mut Xml, c: &Cover) {
        for _ in 0..5 {
            blank(x);
        }
        for line in &c.title {
            paragraph(x, &PPr::style("Cover"), &[(RPr::default(), line)]);
        }
        for _ in 0..8 {
            blank(x);
        }
        let centred = PPr {
            jc: Some("center"),
            ..flush_left(BODY)
        };
        for line in [&c.editor, &c.date].into_iter().flatten() {
            paragraph(x, &centred, &[(RPr::default(), line)]);
        }
    }

    /// The 目录 as a TOC field over the 篇 titles (style Title), its result filled with each
    /// 篇's label, title, dot leader and the page our layout puts it on; Word's “update
    /// field” recomputes the numbers with its own layout.
    fn toc(&self, x: &mut Xml, doc: &Document) {
        let heading = PPr {
            page_break_before: doc.cover.is_some(),
            ..PPr::style("TOCHeading")
        };
        paragraph(x, &heading, &[(RPr::default(), "目　录")]);
        blank(x);
        let entry = PPr {
            dot_tab: Some(mm(gb::WIDTH_MM)),
            ..PPr::style("TOC1")
        };
        let n = doc.parts.len();
        let field_char = |x: &mut Xml, kind: &str| {
            x.el("w:r", &[], |x| x.empty("w:fldChar", &[("w:fldCharType", kind)]));
        };
        for (i, p) in doc.parts.iter().enumerate() {
            let page = self
                .facts
                .part_pages
                .get(i)
                .map_or(String::new(), std::string::ToString::to_string);
            let label = p.label.clone().unwrap_or_default();
            let text = format!("{label}　{}", p.title.concat());
            x.el("w:p", &[], |x| {
                entry.write(x, None);
                if i == 0 {
                    field_char(x, "begin");
                    x.el("w:r", &[], |x| {
                        x.text(
                            "w:instrText",
                            &[("xml:space", "preserve")],
                            " TOC \\t \"Title,1\" ",
                        );
                    });
                    field_char(x, "separate");
                }
                run(x, &RPr::default(), text.trim());
                x.el("w:r", &[], |x| x.empty("w:tab", &[]));
                run(x, &RPr::default(), &page);
                if i + 1 == n {
                    field_char(x, "end");
                }
            });
        }
    }
}

fn heading(x: &mut Xml, h: &Heading) {
    let style = match h.level {
        1 => "Heading1",
        2 => "Heading2",
        3 => "Heading3",
        _ => "Heading4",
    };
    let ppr = PPr {
        keep_next: true,
        ..PPr::style(style)
    };
    paragraph(x, &ppr, &[(RPr::default(), &format!("{}{}", h.number, h.text))]);
}

/// One paragraph holding `lines`, each after the first on a new line (a title broken where
/// our layout broke it).
fn lines(x: &mut Xml, ppr: &PPr, lines: &[String]) {
    x.el("w:p", &[], |x| {
        ppr.write(x, None);
        x.el("w:r", &[], |x| {
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    x.empty("w:br", &[]);
                }
                x.text("w:t", &[("xml:space", "preserve")], l);
            }
        });
    });
}

fn twips(halves: f64) -> i32 {
    (halves / 2.0 * CHAR_TWIPS).round() as i32
}

/// The width of an attachment number such as `1.` in Times New Roman (digits ½ em, the full
/// stop ¼ em), tracked as the body is, in twips.
fn number_twips(number: &str) -> i32 {
    let em: f64 = number
        .chars()
        .map(|c| if c.is_ascii_digit() { 0.5 } else { 0.25 })
        .sum();
    (em * 320.0) as i32 + TRACKING * number.chars().count() as i32
}

/// The 附件说明: `附件：` two characters in; later numbers under the first; a wrapped name
/// under the first character of its name (a hanging indent).
fn attachment_note(x: &mut Xml, p: &Part) {
    let note = p.attachment_note();
    if note.is_empty() {
        return;
    }
    blank(x);
    let label = twips(2.0 * ATTACHMENT_NOTE_LABEL.chars().count() as f64);
    for (i, item) in note.iter().enumerate() {
        let start = INDENT_2 + if i == 0 { 0 } else { label };
        let hang = INDENT_2 + label + number_twips(&item.number);
        let ppr = PPr {
            ind: Some(Ind {
                left: Some(hang),
                first_line: Some(FirstLine::Hanging(hang - start)),
                ..Ind::default()
            }),
            jc: Some("left"),
            ..PPr::style(BODY)
        };
        let head = if i == 0 {
            format!("{ATTACHMENT_NOTE_LABEL}{}", item.number)
        } else {
            item.number.clone()
        };
        paragraph(x, &ppr, &[(RPr::default(), &head), (RPr::default(), item.name)]);
    }
}

/// 落款: the unit ending two characters from the right, the date below it (SPEC §4).
fn signature(x: &mut Xml, unit: &str, date: Option<&str>) {
    let (u, d) = gb::signature_offsets(unit, date);
    let at = |halves: usize| PPr {
        ind: Some(Ind {
            left: Some(twips(halves as f64)),
            first_line: Some(FirstLine::Indent(0, 0)),
            ..Ind::default()
        }),
        jc: Some("left"),
        ..PPr::style(BODY)
    };
    blank(x);
    paragraph(x, &at(u), &[(RPr::default(), unit)]);
    if let (Some(date), Some(d)) = (date, d) {
        paragraph(x, &at(d), &[(RPr::default(), date)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_numbers_are_measured_in_times() {
        // "1." = ½ + ¼ em of 16 pt = 12 pt = 240 twips, less two steps of tracking.
        assert_eq!(number_twips("1."), 230);
        assert_eq!(number_twips(""), 0);
    }

    #[test]
    fn page_number_sits_7_mm_below_the_type_area() {
        let p = page_setup();
        // 35 mm − 7 mm − 0.49 × 14 pt ≈ 25.58 mm.
        assert_eq!(p.footer, mm(25.58));
    }
}
