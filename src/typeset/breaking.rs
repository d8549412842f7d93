//! Line breaking for Chinese text (SPEC §4.1): 避头尾 (kinsoku), unbreakable `——`, `……`
//! and runs of Latin letters or digits, compression of full-width punctuation before a
//! character is pushed to the next line, and justification to both edges.

use crate::fonts::{FontSet, GlyphRef, Role};

/// Never at the start of a line.
pub const NO_START: &str = "，。、；：？！）］｝》〉」』】〕”’…—·%,.;:?!)]}％";
/// Never at the end of a line.
pub const NO_END: &str = "（［｛《〈「『【〔“‘([{";
/// Full-width marks whose ink sits in the left half: they may give up their right half.
const SQUEEZE_RIGHT: &str = "，。、；：）］｝》〉」』】〕”’";
/// Full-width marks whose ink sits in the right half: they may give up their left half.
const SQUEEZE_LEFT: &str = "（［｛《〈「『【〔“‘";

/// A character as set: its glyph (None when no font has it), its text, role and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub glyph: Option<GlyphRef>,
    pub ch: char,
    pub role: Role,
    pub size: f64,
    /// Advance in points, as set (after grid fitting).
    pub advance: f64,
}

impl Atom {
    /// Set at (nearly) a full character's width: a full-width mark that can give up half.
    fn full_width(&self) -> bool {
        self.advance >= self.size * 0.85
    }
}

/// Atoms that stay together on a line: a range of the paragraph's atoms, so that a long
/// paragraph costs one small record per unit and no copy of its atoms.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    start: usize,
    end: usize,
    width: f64,
    /// How much narrower the unit may be set (half a full-width mark).
    shrink: f64,
    /// The mark's ink is on the right: compression shifts the glyph left.
    squeeze_left: bool,
    no_start: bool,
    no_end: bool,
    space: bool,
}

/// A line as set: atoms with their x offset from the line's start.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub atoms: Vec<(f64, Atom)>,
    /// The width the atoms occupy.
    pub width: f64,
}

impl Line {
    /// The same atoms at their natural spacing (not justified): titles, table cells.
    pub fn natural(self) -> Line {
        let mut line = Line::default();
        for (_, a) in self.atoms {
            line.width += a.advance;
            line.atoms.push((line.width - a.advance, a));
        }
        line
    }

    pub fn text(&self) -> String {
        self.atoms.iter().map(|(_, a)| a.ch).collect()
    }
}

/// A run of text in one role and size.
pub struct Span<'a> {
    pub text: &'a str,
    pub role: Role,
    pub size: f64,
}

/// Sets characters with their glyphs. `cell` is the grid character width for full-width
/// glyphs of `size`; CJK glyphs are fitted to it so that the grid holds 28 a line.
pub fn atoms(
    fonts: &FontSet,
    spans: &[Span],
    cell: impl Fn(f64) -> f64,
    missing: &mut Vec<char>,
) -> Vec<Atom> {
    let mut out = Vec::new();
    for span in spans {
        for ch in span.text.chars().filter(|c| !matches!(c, '\n' | '\r')) {
            let (glyph, em) = match fonts.glyph(span.role, ch) {
                Some((g, adv)) => (Some(g), adv),
                None => {
                    if !missing.contains(&ch) {
                        missing.push(ch);
                    }
                    (None, 1.0)
                }
            };
            let natural = em * span.size;
            let advance = if em >= 0.9 {
                cell(span.size).min(natural)
            } else {
                natural
            };
            out.push(Atom {
                glyph,
                ch,
                role: span.role,
                size: span.size,
                advance,
            });
        }
    }
    compress_adjacent(&mut out);
    out
}

/// clreq §3.1.6: a full-width mark whose ink sits in its left half, followed by another
/// full-width mark (`），` `）。` `》（` `：《`), gives up its blank right half wherever the
/// pair stands, so the pair takes 1.5 characters, not 2 — not only when a line is too long.
fn compress_adjacent(atoms: &mut [Atom]) {
    for i in 0..atoms.len().saturating_sub(1) {
        let (a, b) = (&atoms[i], &atoms[i + 1]);
        if a.full_width()
            && b.full_width()
            && SQUEEZE_RIGHT.contains(a.ch)
            && (SQUEEZE_RIGHT.contains(b.ch) || SQUEEZE_LEFT.contains(b.ch))
        {
            atoms[i].advance /= 2.0;
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Groups atoms into units: `——`, `……`, and Latin/number runs (`2023`, `12.5%`, `GB/T`).
fn units(atoms: &[Atom]) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < atoms.len() {
        let c = atoms[i].ch;
        let mut j = i + 1;
        if (c == '—' || c == '…') && atoms.get(i + 1).is_some_and(|a| a.ch == c) {
            j = i + 2;
        } else if is_word_char(c) {
            while j < atoms.len() {
                let d = atoms[j].ch;
                let next_word = atoms.get(j + 1).is_some_and(|a| is_word_char(a.ch));
                if is_word_char(d) || (".,:/-_+".contains(d) && next_word) || d == '%' {
                    j += 1;
                } else {
                    break;
                }
            }
        }
        out.push(unit(atoms, i, j));
        i = j;
    }
    out
}

/// The unit of `all[start..end]` (never empty).
fn unit(all: &[Atom], start: usize, end: usize) -> Unit {
    let atoms = &all[start..end];
    let first = atoms[0].ch;
    let last = atoms[atoms.len() - 1].ch;
    let width: f64 = atoms.iter().map(|a| a.advance).sum();
    let full = atoms.len() == 1 && atoms[0].full_width();
    let squeeze_left = full && SQUEEZE_LEFT.contains(first);
    let shrink = if full && (SQUEEZE_RIGHT.contains(first) || squeeze_left) {
        width / 2.0
    } else {
        0.0
    };
    Unit {
        width,
        shrink,
        squeeze_left,
        no_start: NO_START.contains(first),
        no_end: NO_END.contains(last),
        space: atoms.len() == 1 && first == ' ',
        start,
        end,
    }
}

/// Splits a unit wider than a line (a URL, a long number or code) so that it never runs
/// past the margin: after `/ . - _ ? & = #` where it can, between any two characters
/// where it must.
fn split_wide(all: &[Atom], units: Vec<Unit>, max: f64) -> Vec<Unit> {
    let mut out = Vec::with_capacity(units.len());
    for u in units {
        if u.width <= max || u.end - u.start < 2 {
            out.push(u);
            continue;
        }
        let mut start = u.start;
        while start < u.end {
            let rest = &all[start..u.end];
            let mut width = 0.0;
            let mut cut = rest.len();
            let mut last_point = None;
            for (i, a) in rest.iter().enumerate() {
                if width + a.advance > max && i > 0 {
                    cut = last_point.unwrap_or(i);
                    break;
                }
                width += a.advance;
                if "/.-_?&=#".contains(a.ch) {
                    last_point = Some(i + 1);
                }
            }
            out.push(unit(all, start, start + cut));
            start += cut;
        }
    }
    out
}

/// What the units of a line may give up: a line-initial opening bracket keeps its width, so
/// that it stays on the indent.
fn shrink_from(units: &[Unit]) -> f64 {
    units
        .iter()
        .enumerate()
        .map(|(n, u)| if n == 0 && u.squeeze_left { 0.0 } else { u.shrink })
        .sum()
}

/// What the marks at the end of a line may give up (clreq: compress at the line end first): a
/// comma squeezed in the middle of a line reads as a Western one.
fn end_shrink(units: &[Unit]) -> f64 {
    shrink_from(&units[units.len() - trailing_marks(units)..]).min(shrink_from(units))
}

/// How many units at the end of `units` are marks that may give up a half.
fn trailing_marks(units: &[Unit]) -> usize {
    units.iter().rev().take_while(|u| u.shrink > 0.0).count()
}

fn can_break(units: &[Unit], k: usize) -> bool {
    k == 0 || k >= units.len() || (!units[k].no_start && !units[k - 1].no_end)
}

/// Where the line starting at `i` ends (exclusive), for a line `avail` wide.
fn line_end(units: &[Unit], i: usize, avail: f64) -> usize {
    let mut w = 0.0;
    let mut k = i;
    while k < units.len() && w + units[k].width <= avail + 1e-6 {
        w += units[k].width;
        k += 1;
    }
    if k >= units.len() {
        return units.len();
    }
    if k == i {
        return i + 1; // one unit wider than the line: it gets a line of its own
    }
    // 1. A mark that may not start a line comes up if compressing the line's marks makes room.
    let mut k2 = k;
    while k2 < units.len() && units[k2].no_start {
        let natural: f64 = units[i..=k2].iter().map(|u| u.width).sum();
        let shrink = end_shrink(&units[i..=k2]);
        if natural - shrink > avail + 1e-6 {
            break;
        }
        k2 += 1;
    }
    if k2 > k && can_break(units, k2) {
        return k2;
    }
    // 2. Otherwise characters go to the next line until the break is allowed.
    let mut b = k;
    while b > i + 1 && !can_break(units, b) {
        b -= 1;
    }
    if can_break(units, b) {
        b
    } else {
        k
    }
}

/// Places a line's units: justified to `avail` unless `last`; compressed when over.
fn place(all: &[Atom], units: &[Unit], avail: f64, last: bool) -> Line {
    // Spaces at the ends of a line are not set.
    let mut us: &[Unit] = units;
    while us.first().is_some_and(|u| u.space) {
        us = &us[1..];
    }
    while us.last().is_some_and(|u| u.space) {
        us = &us[..us.len() - 1];
    }
    let natural: f64 = us.iter().map(|u| u.width).sum();
    let over = natural - avail;
    // The marks at the line's end give up their blank halves first; all marks only when
    // they are not enough (a line that must not overflow).
    let squeeze_from = if over <= end_shrink(us) + 1e-6 {
        us.len() - trailing_marks(us)
    } else {
        0
    };
    let total_shrink = shrink_from(&us[squeeze_from..]);
    let (squeeze, gap) = if over > 1e-6 && total_shrink > 0.0 {
        ((over / total_shrink).min(1.0), 0.0)
    } else if !last && over < -1e-6 && us.len() > 1 {
        (0.0, -over / (us.len() - 1) as f64)
    } else {
        (0.0, 0.0)
    };
    let mut line = Line::default();
    let mut x = 0.0;
    for (n, u) in us.iter().enumerate() {
        let cut = if (n == 0 && u.squeeze_left) || n < squeeze_from {
            0.0
        } else {
            u.shrink * squeeze
        };
        let mut ax = x - if u.squeeze_left { cut } else { 0.0 };
        for a in &all[u.start..u.end] {
            line.atoms.push((ax, a.clone()));
            ax += a.advance;
        }
        x += u.width - cut;
        if n + 1 < us.len() {
            x += gap;
        }
    }
    line.width = x;
    line
}

/// Breaks `atoms` into lines: the first `first_avail` wide, the rest `avail` wide. Every line
/// but the last is justified to its width.
pub fn break_lines(atoms: &[Atom], first_avail: f64, avail: f64) -> Vec<Line> {
    let units = split_wide(atoms, units(atoms), first_avail.min(avail));
    let width = |line: usize| if line == 0 { first_avail } else { avail };
    // Where each line starts.
    let mut starts = Vec::new();
    let mut i = 0;
    while i < units.len() {
        starts.push(i);
        i = line_end(&units, i, width(starts.len() - 1));
    }
    avoid_runt(atoms, &units, &mut starts);
    let mut lines = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(units.len());
        lines.push(place(atoms, &units[start..end], width(n), end >= units.len()));
    }
    lines
}

/// A last line of one character (`格/局。`) reads as a runt: the line before gives it one
/// more unit where a break is allowed there and the line before keeps most of its text (it
/// is then justified a little looser).
fn avoid_runt(atoms: &[Atom], units: &[Unit], starts: &mut [usize]) {
    let Some((&last, before)) = starts.split_last() else {
        return;
    };
    let Some(&prev) = before.last() else { return };
    let letters = atoms[units[last].start..]
        .iter()
        .filter(|a| !NO_START.contains(a.ch) && !NO_END.contains(a.ch))
        .count();
    if letters != 1 {
        return;
    }
    let mut k = last - 1;
    while k > prev + 1 && !can_break(units, k) {
        k -= 1;
    }
    // Moving down more than a few characters would leave the line before too loose.
    if can_break(units, k) && k > prev + 1 && last - k <= 2 {
        *starts.last_mut().expect("a last line") = k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diags;

    fn fonts() -> FontSet {
        FontSet::load(&[], std::path::Path::new("."), &mut Diags::default())
    }

    fn lines(text: &str, chars: usize) -> Vec<String> {
        let f = fonts();
        let a = atoms(
            &f,
            &[Span {
                text,
                role: Role::Body,
                size: 16.0,
            }],
            |_| 16.0,
            &mut vec![],
        );
        break_lines(&a, chars as f64 * 16.0, chars as f64 * 16.0)
            .iter()
            .map(Line::text)
            .collect()
    }

    #[test]
    fn a_run_longer_than_a_line_breaks_at_its_slashes_and_never_overflows() {
        let url = "见https://www.example.gov.cn/zwgk/jyta/2024/rddbjy/index_1234567890.html";
        let ls = lines(url, 10);
        assert!(ls.len() > 2, "{ls:?}");
        assert_eq!(ls.concat(), url);
        assert!(ls[1].ends_with('/') || ls[1].ends_with('.'), "{ls:?}");
        let f = fonts();
        for l in &ls {
            let a = atoms(
                &f,
                &[Span {
                    text: l,
                    role: Role::Body,
                    size: 16.0,
                }],
                |_| 16.0,
                &mut vec![],
            );
            let w: f64 = a.iter().map(|a| a.advance).sum();
            assert!(w <= 160.0 + 0.01, "{l}: {w}");
        }
        // No break point at all: cut between characters.
        let digits = "1".repeat(80);
        assert!(lines(&digits, 10).iter().all(|l| l.len() < 80));
    }

    #[test]
    fn kinsoku_pulls_a_mark_in_by_compression() {
        // 5 a line: “。” would start line 2. “）。” already takes 1.5 characters (adjacent marks
        // are always compressed); giving up the line-end “。”'s blank half makes room for it.
        assert_eq!(lines("甲乙丙丁）。己", 5), ["甲乙丙丁）。", "己"]);
        // A comma in the middle of the line is not squeezed to make room (it would read as a
        // Western comma): 丁 goes down with the second comma instead.
        assert_eq!(lines("甲，乙丙丁，戊己", 5), ["甲，乙丙", "丁，戊己"]);
    }

    #[test]
    fn kinsoku_pushes_when_compression_is_not_enough() {
        // Half of one comma is not room for a whole one: 戊 goes down with it.
        assert_eq!(lines("甲乙丙丁戊，己庚", 5), ["甲乙丙丁", "戊，己庚"]);
        assert_eq!(lines("甲乙丙丁戊。”己", 5), ["甲乙丙丁", "戊。”己"]);
        // “？” is not compressible at all.
        assert_eq!(lines("甲，乙丙丁？己", 5), ["甲，乙丙", "丁？己"]);
    }

    #[test]
    fn opening_bracket_never_ends_a_line() {
        assert_eq!(lines("甲乙丙丁（戊）己", 5), ["甲乙丙丁", "（戊）己"]);
    }

    #[test]
    fn numbers_and_dashes_stay_whole() {
        let l = lines("甲乙丙丁戊己庚辛壬2023年", 10);
        assert_eq!(l, ["甲乙丙丁戊己庚辛壬", "2023年"]);
        let l = lines("甲乙丙丁戊己庚辛壬——癸", 10);
        assert_eq!(l, ["甲乙丙丁戊己庚辛", "壬——癸"]);
        let l = lines("比例为12.5%，其中甲乙丙", 8);
        assert!(l.iter().any(|x| x.contains("12.5%")), "{l:?}");
    }

    #[test]
    fn justified_lines_fill_the_width() {
        let f = fonts();
        let a = atoms(
            &f,
            &[Span {
                text: "甲乙丙，丁戊己庚辛壬癸子丑寅卯辰",
                role: Role::Body,
                size: 16.0,
            }],
            |_| 16.0,
            &mut vec![],
        );
        let ls = break_lines(&a, 100.0, 100.0);
        for l in &ls[..ls.len() - 1] {
            let (x, a) = l.atoms.last().unwrap();
            assert!(
                (x + a.advance - 100.0).abs() < 0.01,
                "{} ends at {}",
                l.text(),
                x + a.advance
            );
        }
    }

    #[test]
    fn adjacent_marks_take_one_and_a_half_characters_anywhere() {
        let f = fonts();
        let a = atoms(
            &f,
            &[Span {
                text: "甲（乙），丙《丁》（戊）",
                role: Role::Body,
                size: 16.0,
            }],
            |_| 16.0,
            &mut vec![],
        );
        let width = |s: &str| -> f64 {
            let i = a.iter().position(|x| x.ch == s.chars().next().unwrap()).unwrap();
            a[i].advance + a[i + 1].advance
        };
        assert_eq!(width("），"), 24.0);
        assert_eq!(width("》（"), 24.0);
        // A single mark keeps its full width.
        assert_eq!(a[1].advance, 16.0);
    }

    #[test]
    fn a_last_line_of_one_character_takes_one_more() {
        // 5 a line: “戊己庚辛壬癸子丑寅卯辰” leaves “辰。” alone; 卯 joins it.
        assert_eq!(
            lines("甲乙丙丁戊己庚辛壬癸子丑寅卯辰。", 5),
            ["甲乙丙丁戊", "己庚辛壬癸", "子丑寅", "卯辰。"]
        );
    }
}
