//! Line breaking for Chinese text (SPEC §4.1), by the paragraph (total fit): 避头尾
//! (kinsoku), unbreakable `——`, `……` and runs of Latin letters or digits, compression of
//! full-width punctuation (line end first, a quarter inside a line), and justification to
//! both edges.

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

/// How many units at the end of `units` are marks that may give up a half.
fn trailing_marks(units: &[Unit]) -> usize {
    units.iter().rev().take_while(|u| u.shrink > 0.0).count()
}

fn can_break(units: &[Unit], k: usize) -> bool {
    k == 0 || k >= units.len() || (!units[k].no_start && !units[k - 1].no_end)
}

/// A mark in the middle of a line gives up at most a quarter of a character: squeezed to half
/// it reads as a Western comma (`下一步, 我们将`).
const MID_SHARE: f64 = 0.5;

/// The cost of stretching a line by one character: quadratic, so two lines a character loose
/// each cost less than one line two characters loose (the reader sees the widest holes).
const STRETCH_COST: f64 = 10.0;
/// The cost of taking one character's width from marks inside a line (line-end marks give
/// theirs at a cost of 1: clreq compresses the line end before anything else).
const MID_COST: f64 = 15.0;
/// Squeezing inside a line beyond a quarter a mark, only where nothing else fits.
const FORCED_COST: f64 = 500.0;
/// A paragraph's last line of one character (`格/局。`).
const RUNT_COST: f64 = 1000.0;
/// A paragraph's short last line that starts inside a word (`存在等待观/望现象。`): a little
/// more than one line a character loose, so that such a line is re-broken where that helps.
const WORD_SPLIT_COST: f64 = 12.0;
/// A last line of up to this many characters is short.
const SHORT_TAIL: usize = 4;
/// The characters at a paragraph's end that are segmented into words for that rule.
const TAIL: usize = 24;

/// Where lines may break by sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// Between any two characters 避头尾 allows (a table cell, a case list).
    Anywhere,
    /// Between words where the line allows it (titles, 目录 entries: 回行时词意完整).
    Between,
    /// Anywhere, but a paragraph's short last line should not start inside a word.
    AtTheEnd,
}

/// Lines looser than this (in characters) are not tried, unless nothing else fits.
const MAX_STRETCH: f64 = 4.0;

/// How a line's units are set: what its marks give up (as a share of what each may give)
/// and the space added between units.
#[derive(Debug, Clone, Copy)]
struct Fit {
    cost: f64,
    /// The unit range actually set: spaces at a line's ends are not set.
    from: usize,
    to: usize,
    /// Share given up by the marks at the line's end, and by the marks inside it.
    end_share: f64,
    mid_share: f64,
    gap: f64,
}

/// Sums over the units, so that a line's measures cost the same for any line length.
struct Measure<'u> {
    units: &'u [Unit],
    width: Vec<f64>,
    shrink: Vec<f64>,
}

impl<'u> Measure<'u> {
    fn new(units: &'u [Unit]) -> Self {
        let mut width = vec![0.0; units.len() + 1];
        let mut shrink = vec![0.0; units.len() + 1];
        for (n, u) in units.iter().enumerate() {
            width[n + 1] = width[n] + u.width;
            shrink[n + 1] = shrink[n] + u.shrink;
        }
        Measure { units, width, shrink }
    }

    /// The setting of `units[i..k]` in `avail`, or None when it cannot fit.
    fn fit(&self, i: usize, k: usize, avail: f64, last: bool, em: f64) -> Option<Fit> {
        let us = self.units;
        let (mut from, mut to) = (i, k);
        while from < to && us[from].space {
            from += 1;
        }
        while to > from && us[to - 1].space {
            to -= 1;
        }
        if from == to {
            return Some(Fit {
                cost: 0.0,
                from,
                to,
                end_share: 0.0,
                mid_share: 0.0,
                gap: 0.0,
            });
        }
        let line = &us[from..to];
        let natural = self.width[to] - self.width[from];
        let initial = if line[0].squeeze_left { line[0].shrink } else { 0.0 };
        let all = self.shrink[to] - self.shrink[from] - initial;
        let trailing = trailing_marks(line);
        let end = shrink_from(&line[line.len() - trailing..]).min(all);
        let mid = all - end;
        let over = natural - avail;
        let eps = 1e-6;
        let fit = |cost, end_share, mid_share, gap| Fit {
            cost,
            from,
            to,
            end_share,
            mid_share,
            gap,
        };
        if over <= eps {
            if last {
                return Some(fit(0.0, 0.0, 0.0, 0.0));
            }
            let stretch = -over.min(0.0);
            let gap = if line.len() > 1 {
                stretch / (line.len() - 1) as f64
            } else {
                0.0
            };
            return Some(fit(STRETCH_COST * (stretch / em).powi(2), 0.0, 0.0, gap));
        }
        if over <= end + eps {
            return Some(fit(over / em, over / end, 0.0, 0.0));
        }
        let end_share = if end > 0.0 { 1.0 } else { 0.0 };
        let rest = over - end;
        if rest <= mid * MID_SHARE + eps {
            return Some(fit(end / em + MID_COST * rest / em, end_share, rest / mid, 0.0));
        }
        if rest <= mid + eps {
            return Some(fit(
                FORCED_COST + MID_COST * rest / em,
                end_share,
                rest / mid,
                0.0,
            ));
        }
        None
    }
}

/// Where each line starts: the breaks with the least total cost over the paragraph
/// (Knuth–Plass on the character grid). A line may end only where 避头尾 allows; a line's
/// cost is its stretch squared, or what its marks give up; the last line pays for being a
/// runt. One unit wider than a line gets a line of its own.
fn total_fit(atoms: &[Atom], measure: &Measure, first_avail: f64, avail: f64, words: Words) -> Vec<usize> {
    let units = measure.units;
    let n = units.len();
    // Whether a line may start at unit k by sense: everywhere, or only between words (a
    // title, a 目录 entry). The last line of a paragraph pays for starting inside a word.
    // Only the characters to segment are gathered: a case list is one paragraph of millions.
    let segment = |from: usize| {
        let text: String = atoms[from..].iter().map(|a| a.ch).collect();
        (crate::words::boundaries(&text), from)
    };
    let (between, tail_from) = match words {
        Words::Anywhere => (Vec::new(), atoms.len()),
        Words::Between => segment(0),
        Words::AtTheEnd => segment(atoms.len().saturating_sub(TAIL)),
    };
    let at_word = |k: usize| {
        let a = units[k].start;
        a <= tail_from || between.get(a - tail_from).copied().unwrap_or(true)
    };
    let by_sense = matches!(words, Words::Between);
    let em = atoms.first().map_or(1.0, |a| a.size);
    let letters = |i: usize| {
        atoms[units[i].start..]
            .iter()
            .filter(|a| !NO_START.contains(a.ch) && !NO_END.contains(a.ch) && a.ch != ' ')
            .take(SHORT_TAIL + 1)
            .count()
    };
    // best[k]: the least cost of setting units[..k], and where its last line starts.
    let mut best: Vec<(f64, usize)> = vec![(f64::INFINITY, 0); n + 1];
    best[0] = (0.0, 0);
    for i in 0..n {
        if !best[i].0.is_finite() {
            continue;
        }
        let width = if i == 0 { first_avail } else { avail };
        let mut reached = false;
        let mut furthest = None;
        // First the lines no looser than MAX_STRETCH and breaking between words; if none is
        // allowed, looser lines; then breaks inside words.
        let passes = [
            (MAX_STRETCH * em, by_sense),
            (f64::INFINITY, by_sense),
            (MAX_STRETCH * em, false),
            (f64::INFINITY, false),
        ];
        for (limit, sense) in passes {
            for k in i + 1..=n {
                // Fully squeezed, the units up to k are already too wide: so are longer lines.
                let squeezed = measure.width[k] - measure.width[i] - (measure.shrink[k] - measure.shrink[i]);
                if squeezed > width + 1e-6 && k > i + 1 {
                    break;
                }
                furthest = Some(k);
                let stretch = width - (measure.width[k] - measure.width[i]);
                if !can_break(units, k) || (stretch > limit && k < n) || (sense && k < n && !at_word(k)) {
                    continue;
                }
                let Some(fit) = measure.fit(i, k, width, k == n, em) else {
                    continue;
                };
                let runt = match (k == n && i > 0, letters(i)) {
                    (true, 1) => RUNT_COST,
                    (true, l) if l <= SHORT_TAIL && !at_word(i) => WORD_SPLIT_COST,
                    _ => 0.0,
                };
                let cost = best[i].0 + fit.cost + runt;
                reached = true;
                // On a tie the later start wins: earlier lines full, as line-by-line
                // breaking would set them.
                if cost <= best[k].0 + 1e-9 {
                    best[k] = (cost, i);
                }
            }
            if reached {
                break;
            }
        }
        if !reached {
            // No allowed break within reach (a long run of marks that may not start a line,
            // or a stretch beyond the limit): the furthest line that fits, whatever it costs.
            let k = furthest.unwrap_or(i + 1).max(i + 1);
            let cost = best[i].0 + 10_000.0;
            if cost < best[k].0 - 1e-9 {
                best[k] = (cost, i);
            }
        }
    }
    let mut starts = Vec::new();
    let mut k = n;
    while k > 0 {
        k = best[k].1;
        starts.push(k);
    }
    starts.reverse();
    starts
}

/// Places the units `i..k` as `fit` says, or compressed to the width when no fit was found.
fn place(all: &[Atom], measure: &Measure, i: usize, k: usize, avail: f64, last: bool) -> Line {
    let em = all[measure.units[i].start].size;
    let fit = measure.fit(i, k, avail, last, em).unwrap_or_else(|| {
        // Only a line that may not be broken anywhere reaches this: squeeze all it has.
        let mut f = measure
            .fit(i, k, f64::INFINITY, true, em)
            .expect("fits in an infinite line");
        f.end_share = 1.0;
        f.mid_share = 1.0;
        f
    });
    let us = &measure.units[fit.from..fit.to];
    let trailing = us.len() - trailing_marks(us);
    let mut line = Line::default();
    let mut x = 0.0;
    for (n, u) in us.iter().enumerate() {
        let cut = if n == 0 && u.squeeze_left {
            0.0
        } else if n >= trailing {
            u.shrink * fit.end_share
        } else {
            u.shrink * fit.mid_share
        };
        let mut ax = x - if u.squeeze_left { cut } else { 0.0 };
        for a in &all[u.start..u.end] {
            line.atoms.push((ax, a.clone()));
            ax += a.advance;
        }
        x += u.width - cut;
        if n + 1 < us.len() {
            x += fit.gap;
        }
    }
    line.width = x;
    line
}

/// Breaks `atoms` into lines: the first `first_avail` wide, the rest `avail` wide. Every line
/// but the last is justified to its width.
pub fn break_lines(atoms: &[Atom], first_avail: f64, avail: f64, words: Words) -> Vec<Line> {
    if atoms.is_empty() {
        return Vec::new();
    }
    let units = split_wide(atoms, units(atoms), first_avail.min(avail));
    let measure = Measure::new(&units);
    let starts = total_fit(atoms, &measure, first_avail, avail, words);
    let mut lines = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(units.len());
        let width = if n == 0 { first_avail } else { avail };
        lines.push(place(atoms, &measure, start, end, width, end >= units.len()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> FontSet {
        FontSet::builtin()
    }

    /// `text` set in the body face at 16 pt on a 16 pt grid.
    fn body(f: &FontSet, text: &str) -> Vec<Atom> {
        atoms(
            f,
            &[Span {
                text,
                role: Role::Body,
                size: 16.0,
            }],
            |_| 16.0,
            &mut vec![],
        )
    }

    fn lines(text: &str, chars: usize) -> Vec<String> {
        let f = fonts();
        let a = body(&f, text);
        break_lines(&a, chars as f64 * 16.0, chars as f64 * 16.0, Words::AtTheEnd)
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
            let a = body(&f, l);
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
        assert_eq!(lines("甲乙丙丁）。己庚", 5), ["甲乙丙丁）。", "己庚"]);
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
        let a = body(&f, "甲乙丙，丁戊己庚辛壬癸子丑寅卯辰");
        let ls = break_lines(&a, 100.0, 100.0, Words::AtTheEnd);
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
        let a = body(&f, "甲（乙），丙《丁》（戊）");
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
    fn a_last_line_of_one_character_takes_more_and_the_looseness_is_shared() {
        // 5 a line: “戊己庚辛壬癸子丑寅卯辰” leaves “辰。” alone. Line by line, 卯 would join it and
        // leave “子丑寅” two characters loose; over the paragraph, two lines give up one
        // character each.
        assert_eq!(
            lines("甲乙丙丁戊己庚辛壬癸子丑寅卯辰。", 5),
            ["甲乙丙丁戊", "己庚辛壬", "癸子丑寅", "卯辰。"]
        );
    }

    #[test]
    fn a_short_last_line_does_not_start_inside_a_word() {
        // Line by line: “…午等待观” / “望现象。”, the word 观望 split at the paragraph's end.
        // One character loose on the line before is the better price.
        assert_eq!(
            lines("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午等待观望现象。", 10),
            ["甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午等待", "观望现象。"]
        );
    }

    #[test]
    fn a_line_end_mark_and_quarter_marks_inside_make_room_before_stretching() {
        // 10 a line, “象。” would be a runt. Compressing the line-end “。” by half and the two
        // commas inside by a quarter each fits the whole paragraph on one line.
        let ls = lines("甲，丙丁，己庚辛现象。", 10);
        assert_eq!(ls, ["甲，丙丁，己庚辛现象。"]);
        let f = fonts();
        let a = body(&f, "甲，丙丁，己庚辛现象。");
        let set = break_lines(&a, 160.0, 160.0, Words::AtTheEnd);
        let advance = |n: usize| set[0].atoms[n + 1].0 - set[0].atoms[n].0;
        // No comma looks Western: each keeps three quarters of its width.
        assert!((advance(1) - 12.0).abs() < 0.01, "{}", advance(1));
        assert!((advance(4) - 12.0).abs() < 0.01, "{}", advance(4));
    }
}
