//! One laid-out page (see [`crate::typeset`]) as SVG, for the web interface's live preview: the
//! same marks the PDF writer draws, so the preview is the PDF page. Glyphs are the fonts' own
//! outlines, each distinct glyph once in `<defs>` as a path in font units (y flipped) and
//! placed with `<use>`; the synthetic bold face is stroked as the PDF strokes it; rules are
//! lines, snapped to pixels; the page box is A4 in points on white. An invisible text layer,
//! a `<text>` per run of a line, makes the page searchable and selectable in a browser.
//!
//! The output is deterministic (the same layout gives the same bytes) and numbers carry the
//! precision a page needs: hundredths of a point, tenths of a font unit.

use super::xml::Xml;
use crate::fonts::FontSet;
use crate::gbt9704::{MM, PAGE_H_MM, PAGE_W_MM};
use crate::typeset::{Layout, Mark};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

/// What the SVG needs of a glyph mark. The one place that reads a mark's atom: the layout's
/// representation of a glyph may change without the rest of this file noticing.
struct Placed {
    /// The face and glyph, None when no font has the character (drawn as nothing, as in
    /// the PDF, but kept in the text layer).
    glyph: Option<(usize, u16)>,
    ch: char,
    size: f64,
    advance: f64,
    x: f64,
    y: f64,
}

fn placed(m: Mark) -> Option<Placed> {
    match m {
        Mark::Glyph(g) => Some(Placed {
            glyph: g.atom.glyph().map(|r| (usize::from(r.face), r.gid)),
            ch: g.atom.ch,
            size: g.atom.size(),
            advance: g.atom.advance,
            x: g.x,
            y: g.y,
        }),
        Mark::Rule(_) => None,
    }
}

/// `v` with at most `decimals` decimals, without trailing zeros (`120.5`, `16`, `-3.25`).
fn num(v: f64, decimals: usize) -> String {
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// A point on the page: two decimals (a hundredth of a point, 0.004 mm), as the PDF has.
fn pt(v: f64) -> String {
    num(v, 2)
}

/// The id of a glyph's path in `<defs>`.
fn glyph_id(face: usize, gid: u16) -> String {
    format!("g{face}-{gid}")
}

/// A glyph outline as path data, in font units with y flipped (SVG's y runs down). Points
/// are rounded to a tenth of a unit (TrueType's are whole units; CFF's rarely finer), then
/// written relative to the one before (`h`/`v` for straight runs), which makes a CJK glyph
/// about a third shorter than absolute coordinates: the paths are most of a page's bytes.
#[derive(Default)]
struct PathData {
    d: String,
    /// The current point and the contour's start, in tenths of a unit.
    at: (i64, i64),
    start: (i64, i64),
}

impl PathData {
    fn tenths(x: f32, y: f32) -> (i64, i64) {
        (
            (f64::from(x) * 10.0).round() as i64,
            (-f64::from(y) * 10.0).round() as i64,
        )
    }

    /// A number of tenths, after the previous one: a minus sign separates by itself, and
    /// `.5` stands for `0.5` (SVG's number grammar allows both). Written digit by digit:
    /// formatting is most of a page's time.
    fn number(&mut self, tenths: i64) {
        let after_command = self.d.ends_with(|c: char| c.is_ascii_alphabetic());
        if tenths < 0 {
            self.d.push('-');
        } else if !after_command {
            self.d.push(' ');
        }
        let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
        if whole > 0 || tenth == 0 {
            let _ = write!(self.d, "{whole}");
        }
        if tenth > 0 {
            self.d.push('.');
            self.d.push(char::from(b'0' + tenth as u8));
        }
    }

    /// A relative command through `points`; the last becomes the current point.
    fn relative(&mut self, cmd: char, points: &[(f32, f32)]) {
        self.d.push(cmd);
        let from = self.at;
        for &(x, y) in points {
            let p = Self::tenths(x, y);
            self.number(p.0 - from.0);
            self.number(p.1 - from.1);
            self.at = p;
        }
    }
}

impl ttf_parser::OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = Self::tenths(x, y);
        self.d.push('M');
        self.number(p.0);
        self.number(p.1);
        self.at = p;
        self.start = p;
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let p = Self::tenths(x, y);
        if p.1 == self.at.1 {
            self.d.push('h');
            self.number(p.0 - self.at.0);
        } else if p.0 == self.at.0 {
            self.d.push('v');
            self.number(p.1 - self.at.1);
        } else {
            self.relative('l', &[(x, y)]);
        }
        self.at = p;
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.relative('q', &[(x1, y1), (x, y)]);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.relative('c', &[(x1, y1), (x2, y2), (x, y)]);
    }
    fn close(&mut self) {
        self.d.push('Z');
        self.at = self.start;
    }
}

/// The page box: A4 in points.
fn page_size() -> (String, String) {
    (pt(PAGE_W_MM * MM), pt(PAGE_H_MM * MM))
}

/// Page `index` (from 0) of `layout` as an SVG document.
///
/// # Panics
/// When the layout has no page `index`.
pub fn page_svg(layout: &Layout, fonts: &FontSet, index: usize) -> String {
    let page = &layout.pages[index];
    let glyphs: Vec<Placed> = page.marks().filter_map(placed).collect();
    let (w, h) = page_size();
    let mut used: Vec<(usize, u16)> = Vec::new();
    let mut seen: HashSet<(usize, u16)> = HashSet::new();
    for (face, gid) in glyphs.iter().filter_map(|p| p.glyph) {
        if seen.insert((face, gid)) {
            used.push((face, gid));
        }
    }
    let mut x = Xml::new();
    let (width, height, view) = (
        format!("{PAGE_W_MM}mm"),
        format!("{PAGE_H_MM}mm"),
        format!("0 0 {w} {h}"),
    );
    let svg = [
        ("xmlns", "http://www.w3.org/2000/svg"),
        ("width", width.as_str()),
        ("height", height.as_str()),
        ("viewBox", view.as_str()),
    ];
    x.el("svg", &svg, |x| {
        x.empty("rect", &[("width", &w), ("height", &h), ("fill", "#fff")]);
        x.el("defs", &[], |x| glyph_defs(x, fonts, &used));
        for p in &glyphs {
            glyph_use(x, fonts, p);
        }
        // Rules snapped to whole pixels, as PDF readers adjust thin strokes: a 0.75 pt table
        // line is one crisp pixel on screen, not two grey ones.
        x.el(
            "g",
            &[("stroke", "#000"), ("shape-rendering", "crispEdges")],
            |x| {
                for r in page.rules() {
                    let (x1, y1, x2, y2, width) = (pt(r.x1), pt(r.y1), pt(r.x2), pt(r.y2), pt(r.width));
                    let line = [
                        ("x1", &x1),
                        ("y1", &y1),
                        ("x2", &x2),
                        ("y2", &y2),
                        ("stroke-width", &width),
                    ];
                    x.empty("line", &line.map(|(k, v)| (k, v.as_str())));
                }
            },
        );
        text_layer(x, &glyphs);
    });
    // Every text went through `xml_chars`, every attribute is a number or a glyph's id: no
    // character XML forbids can be there.
    x.finish()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// A glyph placed with `<use>`: translated to its place, scaled from font units.
fn glyph_use(x: &mut Xml, fonts: &FontSet, p: &Placed) {
    let Some((face, gid)) = p.glyph else { return };
    let f = &fonts.faces[face];
    let scale = p.size / f.units_per_em;
    let href = format!("#{}", glyph_id(face, gid));
    let transform = format!("translate({} {}) scale({})", pt(p.x), pt(p.y), num(scale, 7));
    if f.synthetic_bold {
        // The PDF fills and strokes with the default line width, one point in user space: in
        // the glyph's units that is 1 / scale.
        let stroke = num(1.0 / scale, 1);
        let attrs = [
            ("href", href.as_str()),
            ("transform", transform.as_str()),
            ("stroke", "#000"),
            ("stroke-width", stroke.as_str()),
        ];
        x.empty("use", &attrs);
    } else {
        x.empty(
            "use",
            &[("href", href.as_str()), ("transform", transform.as_str())],
        );
    }
}

/// A `<path>` for each glyph in `used` (in that order), each face parsed once.
fn glyph_defs(x: &mut Xml, fonts: &FontSet, used: &[(usize, u16)]) {
    let mut by_face: BTreeMap<usize, Vec<u16>> = BTreeMap::new();
    for &(face, gid) in used {
        by_face.entry(face).or_default().push(gid);
    }
    let mut paths: BTreeMap<(usize, u16), String> = BTreeMap::new();
    for (face, gids) in by_face {
        let f = &fonts.faces[face];
        let parsed = ttf_parser::Face::parse(&f.data, f.index).ok();
        for gid in gids {
            let mut path = PathData::default();
            if let Some(parsed) = &parsed {
                parsed.outline_glyph(ttf_parser::GlyphId(gid), &mut path);
            }
            paths.insert((face, gid), path.d);
        }
    }
    for &(face, gid) in used {
        let id = glyph_id(face, gid);
        x.empty(
            "path",
            &[("id", id.as_str()), ("d", paths[&(face, gid)].as_str())],
        );
    }
}

/// Invisible text over the glyphs, a `<text>` per run (glyphs of one size, on one baseline,
/// without a gap wider than a character), stretched to the run's width, so that a browser
/// can find and select the words where they are drawn.
fn text_layer(x: &mut Xml, glyphs: &[Placed]) {
    x.el("g", &[("fill-opacity", "0"), ("font-family", "serif")], |x| {
        let mut i = 0;
        while i < glyphs.len() {
            let first = &glyphs[i];
            let mut end = first.x + first.advance;
            let mut text = String::new();
            let mut j = i;
            while let Some(g) = glyphs.get(j) {
                let same_run = j == i
                    || ((g.y - first.y).abs() < 1e-6
                        && g.size == first.size
                        && g.x >= end - first.size
                        && g.x - end < first.size * 1.5);
                if !same_run {
                    break;
                }
                text.push(g.ch);
                end = g.x + g.advance;
                j += 1;
            }
            i = j;
            if text.trim().is_empty() {
                continue;
            }
            let (tx, ty, size, length) = (pt(first.x), pt(first.y), pt(first.size), pt(end - first.x));
            let attrs = [
                ("x", tx.as_str()),
                ("y", ty.as_str()),
                ("font-size", size.as_str()),
                ("textLength", length.as_str()),
                ("lengthAdjust", "spacingAndGlyphs"),
            ];
            x.text("text", &attrs, &xml_chars(&text));
        }
    });
}

/// Text as XML allows it (quick-xml escapes the rest): a character XML does not allow (a
/// control character that slipped through, a noncharacter) is left out rather than
/// breaking the page; tabs and line ends become spaces.
fn xml_chars(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() || crate::document::is_forbidden_char(c) => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Ctx;
    use std::path::Path;

    /// The layout of a report folder, with `extra` lines added to its 报告.yaml.
    fn laid_out(example: &str, extra: &str) -> (Layout, FontSet) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(example);
        let dir = tempfile::tempdir().unwrap();
        for file in ["报告.yaml", "案件.yaml"] {
            let mut text = std::fs::read_to_string(from.join(file)).unwrap();
            if file == "报告.yaml" {
                text.push_str(extra);
            }
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        let p = crate::pipeline::prepare(&mut Ctx::default(), dir.path())
            .unwrap()
            .unwrap();
        let fonts = FontSet::builtin();
        let layout = crate::typeset::layout(&p.doc, &fonts);
        (layout, fonts)
    }

    fn minzhengju() -> (Layout, FontSet) {
        laid_out("minzhengju", "")
    }

    /// The glyph marks of a page, as the writer reads them.
    fn glyphs(layout: &Layout, page: usize) -> Vec<Placed> {
        layout.pages[page]
            .marks()
            .filter_map(placed)
            .filter(|p| p.glyph.is_some())
            .collect()
    }

    #[test]
    fn the_stroked_bold_is_stroked_and_rules_are_lines() {
        let (layout, fonts) = laid_out("zhenrenda", "附表: 是\n");
        let mut stroked = 0;
        let mut rules = 0;
        for page in 0..layout.pages.len() {
            let svg = page_svg(&layout, &fonts, page);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let bold = glyphs(&layout, page)
                .iter()
                .filter(|p| p.glyph.is_some_and(|(face, _)| fonts.faces[face].synthetic_bold))
                .count();
            let with_stroke = doc
                .descendants()
                .filter(|n| n.has_tag_name("use") && n.attribute("stroke").is_some())
                .count();
            assert_eq!(with_stroke, bold, "page {}", page + 1);
            stroked += bold;
            let lines = doc.descendants().filter(|n| n.has_tag_name("line")).count();
            let marks = layout.pages[page]
                .marks()
                .filter(|m| matches!(m, Mark::Rule(_)))
                .count();
            assert_eq!(lines, marks, "page {}", page + 1);
            rules += lines;
        }
        assert!(stroked > 0, "the example has bold 三级标题");
        assert!(rules > 0, "附表 has ruled lines");
    }

    #[test]
    fn page_one_is_xml_with_a_use_per_glyph_and_each_glyph_defined_once() {
        let (layout, fonts) = minzhengju();
        let svg = page_svg(&layout, &fonts, 0);
        let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("viewBox"), Some("0 0 595.28 841.89"));
        let marks = glyphs(&layout, 0).len();
        let uses: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("use"))
            .map(|n| n.attribute("href").unwrap().trim_start_matches('#'))
            .collect();
        assert!(marks > 300, "a full first page");
        assert_eq!(uses.len(), marks, "one <use> per glyph mark");
        let defined: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("path"))
            .map(|n| n.attribute("id").unwrap())
            .collect();
        let distinct: HashSet<&str> = defined.iter().copied().collect();
        assert_eq!(distinct.len(), defined.len(), "each glyph defined once");
        let used: HashSet<&str> = uses.iter().copied().collect();
        assert_eq!(used, distinct, "every used glyph defined, nothing else");
        // The rules of the page (none on page 1 of the example) and the text layer.
        let text: String = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert!(text.contains("江城市民政局"), "{text}");
    }

    #[test]
    fn the_same_layout_gives_the_same_bytes() {
        let (layout, fonts) = minzhengju();
        let a = page_svg(&layout, &fonts, 0);
        let (layout2, fonts2) = minzhengju();
        assert_eq!(a, page_svg(&layout2, &fonts2, 0));
        assert_eq!(a, page_svg(&layout, &fonts, 0));
        // Points to a hundredth, no float noise.
        let long = regex::Regex::new(r"\.[0-9]{8,}").unwrap();
        assert!(!long.is_match(&a), "long numbers in the SVG");
    }

    #[test]
    fn a_cjk_glyph_has_an_outline() {
        let (layout, fonts) = minzhengju();
        let svg = page_svg(&layout, &fonts, 0);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let (r, _) = fonts.glyph(crate::fonts::Role::Body, '办').unwrap();
        let id = glyph_id(usize::from(r.face), r.gid);
        let path = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(id.as_str()))
            .expect("办 is on page 1");
        let d = path.attribute("d").unwrap();
        assert!(d.starts_with('M') && d.matches('Z').count() >= 3, "{d}");
    }

    #[test]
    fn outlines_are_written_relative_and_flipped() {
        use ttf_parser::OutlineBuilder as _;
        let mut p = PathData::default();
        p.move_to(10.0, 0.0);
        p.line_to(110.0, 0.0);
        p.line_to(110.0, 100.0);
        p.line_to(0.05, 50.5);
        p.curve_to(0.0, 40.0, 5.0, 30.25, 10.0, 0.0);
        p.close();
        p.move_to(20.0, 20.0);
        p.quad_to(30.0, 30.0, 40.0, 20.0);
        p.close();
        assert_eq!(
            p.d,
            "M10 0h100v-100l-109.9 49.5c-.1 10.5 4.9 20.2 9.9 50.5ZM20-20q10-10 20 0Z"
        );
    }

    #[test]
    fn text_is_escaped_and_stays_xml() {
        let text = xml_chars("A&B <c> \u{7}d\u{FFFE}\t");
        assert_eq!(text, "A&B <c> d ");
        let mut x = Xml::new();
        x.text("t", &[], &text);
        let xml = String::from_utf8(x.finish().unwrap()).unwrap();
        assert!(xml.ends_with("<t>A&amp;B &lt;c&gt; d </t>"), "{xml}");
        roxmltree::Document::parse(&xml).unwrap();
    }

    #[test]
    fn numbers_carry_the_precision_a_page_needs() {
        assert_eq!(num(120.504_999, 2), "120.5");
        assert_eq!(num(16.0, 2), "16");
        assert_eq!(num(-0.000_000_000_02, 2), "0");
        assert_eq!(num(0.016, 7), "0.016");
        assert_eq!(pt(PAGE_H_MM * MM), "841.89");
    }
}
