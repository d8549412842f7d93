//! The parts around the text: styles (role fonts and sizes, SPEC §5), settings, the font
//! table and the page-number footers.

use super::props::{FirstLine, Ind, LineHeight, PPr, RPr};
use super::xml::Xml;
use super::{run_fonts, FontNames, BODY, INDENT_2, TRACKING};

const W: (&str, &str) = (
    "xmlns:w",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
);

/// A paragraph style: id, Word's built-in name where there is one, what it is based on, the
/// style of the next paragraph, and its properties. Children in CT_Style order.
struct Style<'a> {
    id: &'a str,
    name: &'a str,
    based_on: Option<&'a str>,
    next: Option<&'a str>,
    quick: bool,
    ppr: PPr,
    rpr: RPr,
}

impl Style<'_> {
    fn write(&self, x: &mut Xml, default: bool) {
        let mut attrs = vec![("w:type", "paragraph")];
        if default {
            attrs.push(("w:default", "1"));
        }
        attrs.push(("w:styleId", self.id));
        x.el("w:style", &attrs, |x| {
            x.val("w:name", self.name);
            if let Some(b) = self.based_on {
                x.val("w:basedOn", b);
            }
            if let Some(n) = self.next {
                x.val("w:next", n);
            }
            if self.quick {
                x.empty("w:qFormat", &[]);
            }
            self.ppr.write(x, None);
            self.rpr.write(x);
        });
    }
}

fn first_line(twips: i32) -> Option<Ind> {
    Some(Ind {
        first_line: Some(FirstLine::Indent(twips, twips * 100 / (INDENT_2 / 2))),
        ..Ind::default()
    })
}

/// Body text and the headings: 三号 on the grid, justified, indented two characters, tracked
/// so that 28 characters fill a line; no widow/orphan control, so that every grid line is
/// filled as in the PDF.
fn body_like<'a>(id: &'a str, name: &'a str, font: &str) -> Style<'a> {
    Style {
        id,
        name,
        based_on: None,
        next: None,
        quick: true,
        ppr: PPr {
            widow_control: Some(false),
            east_asian_typography: true,
            snap_to_grid: Some(true),
            line_height: Some(LineHeight::Single),
            ind: first_line(INDENT_2),
            jc: Some("both"),
            ..PPr::default()
        },
        rpr: RPr {
            tracking: Some(TRACKING),
            size: Some(32),
            ..run_fonts(font)
        },
    }
}

/// A style based on body text with its own font, size and alignment, starting at the margin.
fn derived<'a>(id: &'a str, name: &'a str, font: Option<&str>, size: u32, jc: &'static str) -> Style<'a> {
    Style {
        id,
        name,
        based_on: Some(BODY),
        next: None,
        quick: false,
        ppr: PPr {
            ind: first_line(0),
            jc: Some(jc),
            ..PPr::default()
        },
        rpr: RPr {
            size: Some(size),
            ..font.map_or_else(RPr::default, run_fonts)
        },
    }
}

pub fn styles(f: &FontNames) -> Xml {
    let heading = |level: u8, font: &str, bold: bool| {
        let i = usize::from(level - 1);
        let id = ["Heading1", "Heading2", "Heading3", "Heading4"][i];
        let mut s = body_like(id, ["heading 1", "heading 2", "heading 3", "heading 4"][i], font);
        s.based_on = Some(BODY);
        s.next = Some(BODY);
        s.ppr.outline_level = Some(level - 1);
        s.rpr.bold = bold;
        s
    };
    let normal = Style {
        id: "Normal",
        name: "Normal",
        based_on: None,
        next: None,
        quick: true,
        ppr: PPr::default(),
        rpr: RPr {
            size: Some(32),
            ..run_fonts(&f.body)
        },
    };
    let title = Style {
        next: Some(BODY),
        quick: true,
        ..derived("Title", "Title", Some(&f.title), 44, "center")
    };
    let mut footer = derived("Footer", "footer", Some(&f.song), 28, "left");
    // The page number's line is exactly 四号 high, so that its place does not depend on the
    // font's ascent (see the footer distance in page_setup).
    footer.ppr.snap_to_grid = Some(false);
    footer.ppr.line_height = Some(LineHeight::Exact(280));
    let mut table_text = derived("TableText", "Table Text", None, 28, "center");
    table_text.ppr.snap_to_grid = Some(false);
    let mut toc1 = derived("TOC1", "toc 1", None, 32, "left");
    toc1.rpr.size = None;
    let others = [
        body_like(BODY, "Body Text", &f.body),
        heading(1, &f.heading, false),
        heading(2, &f.kai, false),
        heading(3, &f.body, true),
        heading(4, &f.body, false),
        title,
        derived("Cover", "Cover Title", Some(&f.title), 52, "center"),
        derived("TOCHeading", "TOC Heading", Some(&f.title), 44, "center"),
        toc1,
        footer,
        table_text,
    ];
    let mut x = Xml::new();
    x.el("w:styles", &[W], |x| {
        x.el("w:docDefaults", &[], |x| {
            x.el("w:rPrDefault", &[], |x| {
                RPr {
                    size: Some(32),
                    lang_zh: true,
                    ..run_fonts(&f.body)
                }
                .write(x);
            });
        });
        normal.write(x, true);
        for s in &others {
            s.write(x, false);
        }
    });
    x
}

/// Settings, in CT_Settings order: even and odd footers, Word's 标点压缩 (punctuation
/// compression, which also turns on kinsoku), Word 2013+ layout.
pub fn settings() -> Xml {
    let mut x = Xml::new();
    x.el("w:settings", &[W], |x| {
        x.empty("w:zoom", &[("w:percent", "100")]);
        x.val("w:defaultTabStop", 420);
        x.empty("w:evenAndOddHeaders", &[]);
        x.val("w:characterSpacingControl", "compressPunctuation");
        x.el("w:compat", &[], |x| {
            x.empty("w:useFELayout", &[]);
            x.empty(
                "w:compatSetting",
                &[
                    ("w:name", "compatibilityMode"),
                    ("w:uri", "http://schemas.microsoft.com/office/word"),
                    ("w:val", "15"),
                ],
            );
        });
        x.empty("w:themeFontLang", &[("w:val", "en-US"), ("w:eastAsia", "zh-CN")]);
    });
    x
}

/// The font table: the role fonts as GB 2312 (charset 86) fonts, with the common names
/// Windows has as alternates, so that Word substitutes 仿宋 for a missing 仿宋_GB2312.
pub fn font_table(f: &FontNames) -> Xml {
    let mut names: Vec<&str> = Vec::new();
    for n in [&f.body, &f.title, &f.heading, &f.kai, &f.song] {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    let mut x = Xml::new();
    x.el("w:fonts", &[W], |x| {
        x.el("w:font", &[("w:name", super::LATIN)], |x| {
            x.val("w:charset", "00");
            x.val("w:family", "roman");
            x.val("w:pitch", "variable");
        });
        for name in names {
            x.el("w:font", &[("w:name", name)], |x| {
                let alt = name.strip_suffix("_GB2312");
                if let Some(alt) = alt {
                    x.val("w:altName", alt);
                }
                x.val("w:charset", "86");
                x.val("w:family", "auto");
                x.val("w:pitch", "variable");
            });
        }
    });
    x
}

/// `— 1 —` with a PAGE field, one character (14 pt) in from the outer side.
pub fn footer(odd: bool) -> Xml {
    let (jc, ind) = if odd {
        (
            "right",
            Ind {
                left: Some(0),
                right: Some(280),
                ..Ind::default()
            },
        )
    } else {
        (
            "left",
            Ind {
                left: Some(280),
                right: Some(0),
                ..Ind::default()
            },
        )
    };
    let ppr = PPr {
        jc: Some(jc),
        ind: Some(ind),
        ..PPr::style("Footer")
    };
    let mut x = Xml::new();
    let ns = [
        W,
        (
            "xmlns:r",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        ),
    ];
    x.el("w:ftr", &ns, |x| {
        x.el("w:p", &[], |x| {
            ppr.write(x, None);
            let text = |x: &mut Xml, t: &str| {
                x.el("w:r", &[], |x| x.text("w:t", &[("xml:space", "preserve")], t));
            };
            let field_char = |x: &mut Xml, kind: &str| {
                x.el("w:r", &[], |x| x.empty("w:fldChar", &[("w:fldCharType", kind)]));
            };
            text(x, "— ");
            field_char(x, "begin");
            x.el("w:r", &[], |x| {
                x.text("w:instrText", &[("xml:space", "preserve")], " PAGE ");
            });
            field_char(x, "separate");
            text(x, "1");
            field_char(x, "end");
            text(x, " —");
        });
    });
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_in_characters() {
        assert_eq!(
            first_line(632).unwrap().first_line,
            Some(FirstLine::Indent(632, 200))
        );
        assert_eq!(first_line(0).unwrap().first_line, Some(FirstLine::Indent(0, 0)));
    }
}
