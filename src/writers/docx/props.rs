//! Paragraph, run and section properties, each written in the order its schema type
//! requires (ISO/IEC 29500-1 §17.3.1.26 CT_PPr, §17.3.2.28 CT_RPr, §17.6.17 CT_SectPr).
//! Word refuses children out of order ("unreadable content"); LibreOffice does not, so
//! the order is kept here by construction, field by field, and checked by a test.

use super::xml::Xml;

/// `w:ind`: left and right indents and the first line, in twips. A first line given in
/// characters too (`firstLineChars`, hundredths of a character) is what Word prefers; when
/// present it wins over the twips, so a paragraph that sets a first line must set both or
/// inherit its style's characters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ind {
    pub left: Option<i32>,
    pub right: Option<i32>,
    pub first_line: Option<FirstLine>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FirstLine {
    /// Twips and hundredths of a character.
    Indent(i32, i32),
    /// Twips: the first line starts this far left of the others.
    Hanging(i32),
}

/// `w:spacing` of a paragraph: single lines, nothing before or after; `exact` fixes the line
/// height in twips instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineHeight {
    Single,
    Exact(i32),
}

/// The paragraph properties we use, in CT_PPr order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PPr {
    pub style: Option<&'static str>,
    pub keep_next: bool,
    pub page_break_before: bool,
    pub widow_control: Option<bool>,
    /// A right tab with a dot leader at this position (目录 rows).
    pub dot_tab: Option<i32>,
    /// Hanging punctuation and automatic spacing between Chinese and Latin text, both off.
    pub east_asian_typography: bool,
    pub snap_to_grid: Option<bool>,
    pub line_height: Option<LineHeight>,
    pub ind: Option<Ind>,
    pub jc: Option<&'static str>,
    pub outline_level: Option<u8>,
    pub run: Option<RPr>,
}

impl PPr {
    pub fn style(style: &'static str) -> PPr {
        PPr {
            style: Some(style),
            ..PPr::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == PPr::default()
    }

    /// `w:pPr` with its children; `section` is a section break ending at this paragraph.
    pub fn write(&self, x: &mut Xml, section: Option<&SectPr>) {
        if self.is_empty() && section.is_none() {
            return;
        }
        x.el("w:pPr", &[], |x| {
            if let Some(s) = self.style {
                x.val("w:pStyle", s);
            }
            if self.keep_next {
                x.empty("w:keepNext", &[]);
            }
            if self.page_break_before {
                x.empty("w:pageBreakBefore", &[]);
            }
            if let Some(on) = self.widow_control {
                x.val("w:widowControl", u8::from(on));
            }
            if let Some(pos) = self.dot_tab {
                x.el("w:tabs", &[], |x| {
                    x.empty(
                        "w:tab",
                        &[
                            ("w:val", "right"),
                            ("w:leader", "dot"),
                            ("w:pos", &pos.to_string()),
                        ],
                    );
                });
            }
            if self.east_asian_typography {
                // LibreOffice reads overflowPunct inverted (its import maps 0 to hanging
                // punctuation on), so 1 is what gives no hanging there; Word hangs a
                // line-end mark by default either way.
                x.val("w:overflowPunct", 1);
                x.val("w:autoSpaceDE", 0);
                x.val("w:autoSpaceDN", 0);
            }
            if let Some(on) = self.snap_to_grid {
                x.val("w:snapToGrid", u8::from(on));
            }
            match self.line_height {
                Some(LineHeight::Single) => x.empty(
                    "w:spacing",
                    &[
                        ("w:before", "0"),
                        ("w:after", "0"),
                        ("w:line", "240"),
                        ("w:lineRule", "auto"),
                    ],
                ),
                Some(LineHeight::Exact(h)) => x.empty(
                    "w:spacing",
                    &[
                        ("w:before", "0"),
                        ("w:after", "0"),
                        ("w:line", &h.to_string()),
                        ("w:lineRule", "exact"),
                    ],
                ),
                None => {}
            }
            if let Some(ind) = &self.ind {
                ind.write(x);
            }
            if let Some(jc) = self.jc {
                x.val("w:jc", jc);
            }
            if let Some(level) = self.outline_level {
                x.val("w:outlineLvl", level);
            }
            if let Some(r) = &self.run {
                r.write(x);
            }
            if let Some(s) = section {
                s.write(x);
            }
        });
    }
}

impl Ind {
    fn write(&self, x: &mut Xml) {
        let mut attrs: Vec<(&str, String)> = Vec::new();
        if let Some(l) = self.left {
            attrs.push(("w:left", l.to_string()));
        }
        if let Some(r) = self.right {
            attrs.push(("w:right", r.to_string()));
        }
        match self.first_line {
            Some(FirstLine::Indent(twips, chars)) => {
                attrs.push(("w:firstLine", twips.to_string()));
                attrs.push(("w:firstLineChars", chars.to_string()));
            }
            Some(FirstLine::Hanging(twips)) => {
                // firstLineChars 0 cancels the characters a style gives the first line,
                // which would otherwise win over the hanging indent.
                attrs.push(("w:hanging", twips.to_string()));
                attrs.push(("w:firstLineChars", "0".into()));
            }
            None => {}
        }
        let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.empty("w:ind", &attrs);
    }
}

/// East-Asian and Latin font names of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Fonts {
    pub east_asia: String,
    pub latin: &'static str,
}

/// The run properties we use, in CT_RPr order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RPr {
    pub fonts: Option<Fonts>,
    pub bold: bool,
    /// Tracking in twentieths of a point.
    pub tracking: Option<i32>,
    /// Size in half-points.
    pub size: Option<u32>,
    /// Language tags, so that Word applies Chinese line-breaking rules.
    pub lang_zh: bool,
}

impl RPr {
    pub fn is_empty(&self) -> bool {
        *self == RPr::default()
    }

    pub fn write(&self, x: &mut Xml) {
        if self.is_empty() {
            return;
        }
        x.el("w:rPr", &[], |x| {
            if let Some(f) = &self.fonts {
                x.empty(
                    "w:rFonts",
                    &[
                        ("w:ascii", f.latin),
                        ("w:hAnsi", f.latin),
                        ("w:eastAsia", &f.east_asia),
                        ("w:cs", f.latin),
                    ],
                );
            }
            if self.bold {
                x.empty("w:b", &[]);
                x.empty("w:bCs", &[]);
            }
            if let Some(t) = self.tracking {
                x.val("w:spacing", t);
            }
            if let Some(s) = self.size {
                x.val("w:sz", s);
                x.val("w:szCs", s);
            }
            if self.lang_zh {
                x.empty("w:lang", &[("w:val", "en-US"), ("w:eastAsia", "zh-CN")]);
            }
        });
    }
}

/// What a section does with page numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// A 汇编's cover and 目录: no footers.
    None,
    /// Footers, numbering from 1.
    FromOne,
    /// Footers, numbering on from the section before.
    Continue,
}

/// A section's page setup (GB/T 9704: A4, the 版心's margins, the 22-line grid) and footers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectPr {
    pub numbering: Numbering,
    pub page: PageSetup,
}

/// Page size, margins and grid, in twips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    pub width: i32,
    pub height: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    pub left: i32,
    pub header: i32,
    pub footer: i32,
    pub line_pitch: i32,
}

/// The relationship ids of the odd (default) and even page footers.
pub const FOOTER_ODD: &str = "rIdFooterOdd";
pub const FOOTER_EVEN: &str = "rIdFooterEven";

impl SectPr {
    pub fn write(&self, x: &mut Xml) {
        let p = &self.page;
        x.el("w:sectPr", &[], |x| {
            if self.numbering != Numbering::None {
                x.empty(
                    "w:footerReference",
                    &[("w:type", "default"), ("r:id", FOOTER_ODD)],
                );
                x.empty("w:footerReference", &[("w:type", "even"), ("r:id", FOOTER_EVEN)]);
            }
            x.empty(
                "w:pgSz",
                &[("w:w", &p.width.to_string()), ("w:h", &p.height.to_string())],
            );
            x.empty(
                "w:pgMar",
                &[
                    ("w:top", &p.top.to_string()),
                    ("w:right", &p.right.to_string()),
                    ("w:bottom", &p.bottom.to_string()),
                    ("w:left", &p.left.to_string()),
                    ("w:header", &p.header.to_string()),
                    ("w:footer", &p.footer.to_string()),
                    ("w:gutter", "0"),
                ],
            );
            if self.numbering == Numbering::FromOne {
                x.empty("w:pgNumType", &[("w:start", "1")]);
            }
            x.empty("w:cols", &[("w:space", "425")]);
            x.empty(
                "w:docGrid",
                &[("w:type", "lines"), ("w:linePitch", &p.line_pitch.to_string())],
            );
        });
    }
}
