//! Line breaking for Chinese text (SPEC §4.1), by the paragraph (total fit): 避头尾
//! (kinsoku), unbreakable `——`, `……` and runs of Latin letters or digits, compression of
//! full-width punctuation (line end first, a quarter inside a line), and justification to
//! both edges.

use crate::fonts::{FontSet, GlyphRef, Role};
use std::sync::Arc;

// The classes of marks as `matches!` over characters, not `str::contains`: asked of every
// unit of every paragraph, a substring search was a few per cent of a 汇编's build.
/// Never at the start of a line: the closing marks, and the marks that follow a word.
pub fn no_start(c: char) -> bool {
    squeeze_right(c)
        || matches!(
            c,
            '？' | '！' | '…' | '—' | '·' | '%' | '％' | ',' | '.' | ';' | ':' | '?' | '!' | ')' | ']' | '}'
        )
}
/// Never at the end of a line: the opening marks.
pub fn no_end(c: char) -> bool {
    squeeze_left(c) || matches!(c, '(' | '[' | '{')
}
/// Full-width marks whose ink sits in the left half: they may give up their right half.
#[rustfmt::skip]
fn squeeze_right(c: char) -> bool {
    matches!(c, '，' | '。' | '、' | '；' | '：' | '）' | '］' | '｝' | '》' | '〉' | '」' | '』' | '】' | '〕' | '”' | '’')
}
/// Full-width marks whose ink sits in the right half: they may give up their left half.
#[rustfmt::skip]
fn squeeze_left(c: char) -> bool {
    matches!(c, '（' | '［' | '｛' | '《' | '〈' | '「' | '『' | '【' | '〔' | '“' | '‘')
}

/// A character as set: its glyph (None when no font has it), its text, size and advance.
/// 16 bytes: a case list sets millions of them, and its lines share them (see [`Line`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Atom {
    /// Advance in points, as set (after grid fitting).
    pub advance: f64,
    pub ch: char,
    gid: u16,
    /// The face in the font set, or NO_FACE.
    face: u8,
    /// In whole points, as every size of the 公文 is.
    size: u8,
}

/// The face of an atom no font has a glyph for.
const NO_FACE: u8 = u8::MAX;

impl Atom {
    fn new(glyph: Option<GlyphRef>, ch: char, size: f64, advance: f64) -> Atom {
        debug_assert!(size.fract() == 0.0 && size < 256.0, "type sizes are whole points");
        let (face, gid) = glyph.map_or((NO_FACE, 0), |g| {
            let face = u8::try_from(g.face).ok().filter(|&f| f != NO_FACE);
            (face.expect("a font set has a handful of faces"), g.gid)
        });
        Atom {
            advance,
            ch,
            gid,
            face,
            size: size as u8,
        }
    }

    /// The glyph that shows it, if any font has one.
    pub fn glyph(&self) -> Option<GlyphRef> {
        (self.face != NO_FACE).then_some(GlyphRef {
            face: u16::from(self.face),
            gid: self.gid,
        })
    }

    /// The type size in points.
    pub fn size(&self) -> f64 {
        f64::from(self.size)
    }

    /// Set at (nearly) a full character's width: a full-width mark that can give up half.
    fn full_width(&self) -> bool {
        self.advance >= self.size() * 0.85
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

/// A line as set: a range of its paragraph's atoms, shared with the paragraph's other lines
/// (a case list is one paragraph of millions of atoms: copying them per line doubled the
/// layout), and each atom's x offset from the line's start.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    all: Arc<[Atom]>,
    start: usize,
    offsets: Vec<f64>,
    /// The width the atoms occupy.
    pub width: f64,
}

impl Line {
    /// `atoms` at the given offsets, occupying `width`.
    pub fn new(atoms: Vec<Atom>, offsets: Vec<f64>, width: f64) -> Line {
        debug_assert_eq!(atoms.len(), offsets.len());
        Line {
            all: atoms.into(),
            start: 0,
            offsets,
            width,
        }
    }

    /// All of `atoms` at their natural spacing.
    pub fn natural_of(atoms: Arc<[Atom]>) -> Line {
        Line {
            offsets: vec![0.0; atoms.len()],
            all: atoms,
            start: 0,
            width: 0.0,
        }
        .natural()
    }

    /// The same atoms at their natural spacing (not justified): titles, table cells.
    pub fn natural(mut self) -> Line {
        let mut width = 0.0;
        for (x, a) in self.offsets.iter_mut().zip(&self.all[self.start..]) {
            width += a.advance;
            *x = width - a.advance;
        }
        self.width = width;
        self
    }

    pub fn atoms(&self) -> &[Atom] {
        &self.all[self.start..self.start + self.offsets.len()]
    }

    /// Each atom's x offset from the line's start.
    pub fn offsets(&self) -> &[f64] {
        &self.offsets
    }

    /// Each atom with its offset.
    pub fn placed(&self) -> impl Iterator<Item = (f64, &Atom)> {
        self.offsets.iter().copied().zip(self.atoms())
    }

    pub fn text(&self) -> String {
        self.atoms().iter().map(|a| a.ch).collect()
    }
}

/// A run of text in one role and size.
pub struct Span<'a> {
    pub text: &'a str,
    pub role: Role,
    pub size: f64,
}

/// Sets characters with their glyphs. `cell` is the grid character width for full-width
/// glyphs of `size`; CJK glyphs are fitted to it so that the grid holds 28 a line. The atoms
/// are made in place in their shared slice: a case list's are never copied.
pub fn atoms(
    fonts: &FontSet,
    spans: &[Span],
    cell: impl Fn(f64) -> f64,
    missing: &mut Vec<char>,
) -> Arc<[Atom]> {
    let set = |c: &char| !matches!(c, '\n' | '\r');
    let count = spans.iter().map(|s| s.text.chars().filter(set).count()).sum();
    let blank = Atom::new(None, ' ', 0.0, 0.0);
    let mut all: Arc<[Atom]> = std::iter::repeat_n(blank, count).collect();
    let out = Arc::get_mut(&mut all).expect("a slice just made has no other owner");
    let mut n = 0;
    for span in spans {
        for ch in span.text.chars().filter(set) {
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
            out[n] = Atom::new(glyph, ch, span.size, advance);
            n += 1;
        }
    }
    compress_adjacent(out);
    all
}

/// clreq §3.1.6: a full-width mark whose ink sits in its left half, followed by another
/// full-width mark (`），` `）。` `》（` `：《`), gives up its blank right half wherever the
/// pair stands, so the pair takes 1.5 characters, not 2 — not only when a line is too long.
fn compress_adjacent(atoms: &mut [Atom]) {
    for i in 0..atoms.len().saturating_sub(1) {
        let (a, b) = (&atoms[i], &atoms[i + 1]);
        if a.full_width()
            && b.full_width()
            && squeeze_right(a.ch)
            && (squeeze_right(b.ch) || squeeze_left(b.ch))
        {
            atoms[i].advance /= 2.0;
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Groups `all[from..to]` into units: `——`, `……`, and Latin/number runs (`2023`, `12.5%`,
/// `GB/T`). Nothing past `to` is looked at.
fn units(all: &[Atom], from: usize, to: usize) -> Vec<Unit> {
    let atoms = &all[..to];
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
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
    let squeeze_left = full && squeeze_left(first);
    let shrink = if full && (squeeze_right(first) || squeeze_left) {
        width / 2.0
    } else {
        0.0
    };
    Unit {
        width,
        shrink,
        squeeze_left,
        no_start: no_start(first),
        no_end: no_end(last),
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

/// The search for the breaks with the least total cost over the paragraph (Knuth–Plass on
/// the character grid). A line may end only where 避头尾 allows; a line's cost is its
/// stretch squared, or what its marks give up; the last line pays for being a runt. One
/// unit wider than a line gets a line of its own.
///
/// `best[k]`: the least cost of setting the units before k, and where the last line of that
/// setting starts (as `base` + its index: the paragraph's unit, not the window's). Lines are
/// tried from every unit before `until`, onto what `best` already holds.
fn least_costs(
    atoms: &[Atom],
    measure: &Measure,
    (first_avail, avail): (f64, f64),
    words: Words,
    best: &mut [(f64, usize)],
    (base, until): (usize, usize),
) {
    let units = measure.units;
    let n = units.len();
    // The atoms these units cover (the whole paragraph, or one window of a long one).
    let (lo, hi) = (
        units.first().map_or(0, |u| u.start),
        units.last().map_or(0, |u| u.end),
    );
    // Whether a line may start at unit k by sense: everywhere, or only between words (a
    // title, a 目录 entry). The last line of a paragraph pays for starting inside a word.
    // Only the characters to segment are gathered: a case list is one paragraph of millions.
    let segment = |from: usize| {
        let text: String = atoms[from..hi].iter().map(|a| a.ch).collect();
        (crate::words::boundaries(&text), from)
    };
    let (between, tail_from) = match words {
        Words::Anywhere => (Vec::new(), atoms.len()),
        Words::Between => segment(lo),
        Words::AtTheEnd => segment(hi.saturating_sub(TAIL).max(lo)),
    };
    let at_word = |k: usize| {
        let a = units[k].start;
        a <= tail_from || between.get(a - tail_from).copied().unwrap_or(true)
    };
    let by_sense = matches!(words, Words::Between);
    let em = atoms.first().map_or(1.0, Atom::size);
    let letters = |i: usize| {
        atoms[units[i].start..hi]
            .iter()
            .filter(|a| !no_start(a.ch) && !no_end(a.ch) && a.ch != ' ')
            .take(SHORT_TAIL + 1)
            .count()
    };
    for i in 0..until {
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
                // Only the paragraph's last line can be a runt: its letters are counted there.
                let runt = match (k == n && i > 0).then(|| letters(i)) {
                    Some(1) => RUNT_COST,
                    Some(l) if l <= SHORT_TAIL && !at_word(i) => WORD_SPLIT_COST,
                    _ => 0.0,
                };
                let cost = best[i].0 + fit.cost + runt;
                reached = true;
                // On a tie the later start wins: earlier lines full, as line-by-line
                // breaking would set them.
                if cost <= best[k].0 + 1e-9 {
                    best[k] = (cost, base + i);
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
                best[k] = (cost, base + i);
            }
        }
    }
}

/// Places the units `i..k` as `fit` says, or compressed to the width when no fit was found.
fn place(all: &Arc<[Atom]>, measure: &Measure, i: usize, k: usize, avail: f64, last: bool) -> Line {
    let em = all[measure.units[i].start].size();
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
    let start = us.first().map_or(0, |u| u.start);
    let mut offsets = Vec::with_capacity(us.last().map_or(0, |u| u.end) - start);
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
            offsets.push(ax);
            ax += a.advance;
        }
        x += u.width - cut;
        if n + 1 < us.len() {
            x += fit.gap;
        }
    }
    Line {
        all: Arc::clone(all),
        start,
        offsets,
        width: x,
    }
}

/// Paragraphs of up to this many atoms are broken as a whole. A longer one (a case list of
/// thousands of titles) is broken window by window, so that the breaker's memory is bounded
/// by the window, with the same lines as a pass over the whole (see [`break_in_windows`]).
const WINDOW: usize = 32_768;

/// Where the window of `window` atoms that starts at `from` ends: at a point no unit
/// straddles (a character that is neither a Latin/number run's nor a `——`/`……` pair's).
fn window_end(atoms: &[Atom], from: usize, window: usize) -> usize {
    if atoms.len() - from <= window {
        return atoms.len();
    }
    let separable = |c: char| !is_word_char(c) && !".,:/-_+%—…".contains(c);
    let mut end = from + window;
    // A run of tens of thousands of digits is cut anyway (it is split into lines regardless).
    while end < (from + 2 * window).min(atoms.len()) && !separable(atoms[end - 1].ch) {
        end += 1;
    }
    end
}

/// Breaks `atoms` into lines: the first `first_avail` wide, the rest `avail` wide. Every line
/// but the last is justified to its width.
pub fn break_lines(atoms: &Arc<[Atom]>, first_avail: f64, avail: f64, words: Words) -> Vec<Line> {
    break_in_windows(atoms, first_avail, avail, words, WINDOW)
}

/// The least-cost search over the whole paragraph, a window of units at a time: in each
/// window lines are tried from the units whose lines cannot reach the window's end (no line
/// is wider than two line widths of units: all marks, each giving up half), so that what is
/// found there is final; the rest of the window's costs go on into the next. Only each
/// unit's back link is kept for the whole paragraph, 4 bytes; the units themselves, their
/// sums and costs are a window's. A paragraph within one window is searched as before.
fn break_in_windows(
    atoms: &Arc<[Atom]>,
    first_avail: f64,
    avail: f64,
    words: Words,
    window: usize,
) -> Vec<Line> {
    let widest = first_avail.max(avail);
    let set_units =
        |from: usize, end: usize| split_wide(atoms, units(atoms, from, end), first_avail.min(avail));
    let mut back: Vec<u32> = Vec::new();
    // Each window: its atoms, its first unit in the paragraph and how many of its units it settled.
    let mut windows: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut carried = vec![(0.0, 0)];
    let (mut from, mut base) = (0, 0);
    // The last window's units, kept for setting its lines (most paragraphs are one window).
    let mut last_units = Vec::new();
    while from < atoms.len() {
        let end = window_end(atoms, from, window);
        let last = end == atoms.len();
        let units = set_units(from, end);
        let measure = Measure::new(&units);
        let n = units.len();
        let mut best = vec![(f64::INFINITY, 0); n + 1];
        best[..carried.len()].copy_from_slice(&carried);
        let done = if last {
            n
        } else {
            let reach = measure.width[n] - 2.0 * widest;
            (1..n).find(|&i| measure.width[i] > reach).unwrap_or(n)
        };
        let first = if from == 0 { first_avail } else { avail };
        // Only the last window holds the paragraph's end, where the word rule applies.
        let rule = if last || words == Words::Between {
            words
        } else {
            Words::Anywhere
        };
        least_costs(atoms, &measure, (first, avail), rule, &mut best, (base, done));
        let link = |b: &(f64, usize)| u32::try_from(b.1).expect("a paragraph is under 256 MB");
        back.extend(best[..done].iter().map(link));
        windows.push((from, end, base, done));
        if last {
            back.push(link(&best[n]));
            last_units = units;
            break;
        }
        carried = best[done..].to_vec();
        from = units[done].start;
        base += done;
    }
    // The paragraph's line starts, by the back links from its end.
    let mut starts = Vec::new();
    let mut k = back.len().saturating_sub(1);
    while k > 0 {
        k = back[k] as usize;
        starts.push(k);
    }
    starts.reverse();
    // Each line is set in the window its first unit was settled in.
    let mut lines = Vec::with_capacity(starts.len());
    let mut next = starts.iter().peekable();
    for (from, end, base, done) in windows {
        let units = if end == atoms.len() {
            std::mem::take(&mut last_units)
        } else {
            set_units(from, end)
        };
        let measure = Measure::new(&units);
        while let Some(&start) = next.next_if(|&&s| s < base + done) {
            let stop = next.peek().map_or(units.len(), |&&s| s - base);
            let width = if start == 0 { first_avail } else { avail };
            let last = end == atoms.len() && stop == units.len();
            lines.push(place(atoms, &measure, start - base, stop, width, last));
        }
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
    fn body(f: &FontSet, text: &str) -> Arc<[Atom]> {
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
            let (x, a) = l.placed().last().unwrap();
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
        let advance = |n: usize| set[0].offsets()[n + 1] - set[0].offsets()[n];
        // No comma looks Western: each keeps three quarters of its width.
        assert!((advance(1) - 12.0).abs() < 0.01, "{}", advance(1));
        assert!((advance(4) - 12.0).abs() < 0.01, "{}", advance(4));
    }

    /// What `lines` cost by the measure of [`least_costs`] (lines priced as set, the last one's
    /// runt price included), over the whole paragraph.
    fn cost(atoms: &Arc<[Atom]>, lines: &[Line], first: f64, avail: f64) -> f64 {
        let us = split_wide(atoms, units(atoms, 0, atoms.len()), first.min(avail));
        let m = Measure::new(&us);
        let mut starts: Vec<usize> = lines
            .iter()
            .map(|l| us.iter().position(|u| u.end > l.start).unwrap())
            .collect();
        starts.push(us.len());
        starts
            .windows(2)
            .enumerate()
            .map(|(n, w)| {
                let width = if n == 0 { first } else { avail };
                let last = w[1] == us.len();
                m.fit(w[0], w[1], width, last, 16.0)
                    .map_or(f64::INFINITY, |f| f.cost)
            })
            .sum()
    }

    #[test]
    fn a_long_paragraph_broken_window_by_window_is_broken_as_a_whole() {
        // Titles, numbers, marks and dashes, as a case list has them: 10,000 characters
        // searched in windows of 500 give the lines of one search over the whole. (Where
        // such a paragraph ends reaches far back: keeping each window's first half, or
        // waiting for the windows' best settings to agree, both gave costlier lines.)
        let mut text = String::new();
        for n in 0..400 {
            text.push_str(&format!(
                "关于加快推进第{n}项民生工程（二期）建设的建议——城区段，"
            ));
            if n % 7 == 0 {
                text.push_str("见GB/T 9704-2012与12.5%的“标准”。");
            }
        }
        let f = fonts();
        let a = body(&f, &text);
        assert!(a.len() > 5000, "{}", a.len());
        let (first, avail) = (28.0 * 16.0, 30.0 * 16.0);
        let whole = break_in_windows(&a, first, avail, Words::AtTheEnd, usize::MAX);
        let windows = break_in_windows(&a, first, avail, Words::AtTheEnd, 500);
        // Every character set once, in order (a space where a line breaks is not set).
        let set: String = windows.iter().map(Line::text).collect();
        assert!(
            set.replace(' ', "") == text.replace(' ', ""),
            "characters lost or repeated"
        );
        let (w, o) = (cost(&a, &windows, first, avail), cost(&a, &whole, first, avail));
        assert!((w - o).abs() < 1e-6, "windows {w} against the whole {o}");
        // The same search: the very same lines.
        assert_eq!(windows.len(), whole.len());
        for (w, o) in windows.iter().zip(&whole) {
            assert!(w.text() == o.text(), "{} against {}", w.text(), o.text());
        }
        for l in &windows {
            assert!(l.width <= avail + 1e-6, "{}: {}", l.text(), l.width);
            assert!(!no_start(l.atoms()[0].ch), "{}", l.text());
        }
    }

    #[test]
    fn lines_share_their_paragraphs_atoms() {
        let f = fonts();
        let a = body(&f, &"甲乙丙丁，戊己庚辛。".repeat(40));
        let ls = break_lines(&a, 160.0, 160.0, Words::AtTheEnd);
        assert!(ls.len() > 10);
        // One allocation: the paragraph's, held by each line.
        assert_eq!(Arc::strong_count(&a), ls.len() + 1);
        assert_eq!(
            ls.iter().map(Line::text).collect::<String>(),
            "甲乙丙丁，戊己庚辛。".repeat(40)
        );
        // A case list sets millions of atoms.
        assert_eq!(std::mem::size_of::<Atom>(), 16);
    }
}
