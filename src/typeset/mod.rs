//! The typesetting core: the document model laid out on A4 pages on the 22 × 28 grid of
//! GB/T 9704 (SPEC §4). It knows fonts and metrics, never PDF objects: the PDF writer only
//! draws what this produces.

pub mod breaking;
mod table;

use crate::document::{Block, Cover, Document, Heading, Part, ATTACHMENT_NOTE_LABEL};
use crate::fonts::{FontSet, Role};
use crate::gbt9704::{balance_title, signature_positions, width_halves, PAGE_NUMBER_BELOW};
use breaking::{atoms, break_lines, Atom, Line, Span, Words};
use std::sync::Arc;

pub use crate::gbt9704::{BODY, CHAR, COVER, HEIGHT, LEFT, LINES, PAGE_H, PITCH, SMALL, TITLE, TOP, WIDTH};

/// Ascent used to place a glyph's em box on its grid line (the ideographic em box of the
/// built-in fonts sits 0.88 em above the baseline).
const ASCENT: f64 = 0.88;

/// A glyph on a page: its place (baseline, from the page's top-left) and what it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub x: f64,
    pub y: f64,
    pub atom: Atom,
}

/// A ruled line, from (x1, y1) to (x2, y2) (from the page's top-left), `width` points thick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    pub width: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    Glyph(Glyph),
    Rule(Rule),
}

/// A page: its lines as set and its rules. The glyphs are not copied out of the lines (a
/// 5,000-page case list holds millions): [`Page::marks`] places them as they are read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A line whose glyphs stand at `x` plus their offsets.
    Text {
        line: Line,
        x: f64,
        y: Baseline,
    },
    Rule(Rule),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Baseline {
    /// On grid line g: each glyph on the baseline of its own size.
    Grid(usize),
    At(f64),
}

impl Baseline {
    fn of(self, atom: &Atom) -> f64 {
        match self {
            Baseline::Grid(g) => baseline(g, atom.size()),
            Baseline::At(y) => y,
        }
    }
}

impl Page {
    /// Every glyph and rule of the page, in the order they were set.
    pub fn marks(&self) -> impl Iterator<Item = Mark> + '_ {
        self.items.iter().flat_map(|item| {
            let (text, rule) = match item {
                Item::Text { line, x, y } => (Some((line, *x, *y)), None),
                Item::Rule(r) => (None, Some(Mark::Rule(*r))),
            };
            let glyphs = text.into_iter().flat_map(|(line, x, y)| {
                line.placed().map(move |(ax, atom)| {
                    Mark::Glyph(Glyph {
                        x: x + ax,
                        y: y.of(atom),
                        atom: *atom,
                    })
                })
            });
            rule.into_iter().chain(glyphs)
        })
    }

    /// The page's ruled lines, in the order they were set (without placing its glyphs).
    pub fn rules(&self) -> impl Iterator<Item = Rule> + '_ {
        self.items.iter().filter_map(|item| match item {
            Item::Rule(r) => Some(*r),
            Item::Text { .. } => None,
        })
    }

    fn text(&mut self, line: Line, x: f64, y: Baseline) {
        self.items.push(Item::Text { line, x, y });
    }

    fn rule(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, width: f64) {
        self.items.push(Item::Rule(Rule {
            x1,
            y1,
            x2,
            y2,
            width,
        }));
    }
}

/// A heading for the PDF outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f64,
}

#[derive(Debug, Default)]
pub struct Layout {
    pub pages: Vec<Page>,
    /// Unnumbered pages before the body (a 汇编's cover and 目录).
    pub front_pages: usize,
    /// The printed page number each 篇 starts on.
    pub part_pages: Vec<usize>,
    pub outline: Vec<OutlineEntry>,
    /// Characters no font of their role has, in order of first use.
    pub missing: Vec<char>,
    /// Each 篇's title and its attachments' titles, line by line as laid out.
    pub titles: Vec<PartTitles>,
}

/// The title lines of one 篇 as the layout broke them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartTitles {
    pub title: Vec<String>,
    pub attachments: Vec<Vec<String>>,
}

/// What the DOCX writer takes from the layout: Word breaks the titles where the PDF does,
/// and a 汇编's 目录 carries the PDF's page numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageFacts {
    /// The printed page number each 篇 starts on.
    pub part_pages: Vec<usize>,
    pub titles: Vec<PartTitles>,
}

impl Layout {
    pub fn facts(&self) -> PageFacts {
        PageFacts {
            part_pages: self.part_pages.clone(),
            titles: self.titles.clone(),
        }
    }
}

/// The text of title rows, a line each.
fn row_texts(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .filter_map(|r| match &r.content {
            Content::Text { line, .. } => Some(line.text()),
            _ => None,
        })
        .collect()
}

/// What a grid row holds.
#[derive(Debug, Clone)]
enum Content {
    Blank,
    /// A line of text, placed `x` from the 版心's left edge.
    Text {
        line: Line,
        x: f64,
    },
    /// A table row (spans as many grid lines as its tallest cell).
    TableRow(table::TableRow),
}

#[derive(Debug, Clone)]
struct Row {
    content: Content,
    /// Grid lines it occupies.
    span: usize,
    /// Must stand on the same page as the row after it.
    keep_with_next: bool,
    page_break_before: bool,
    /// A heading starting here, for the outline.
    outline: Option<(u8, String)>,
    /// Header row of the table this row belongs to, repeated after a page break.
    repeat_header: Option<Box<Row>>,
}

impl Row {
    fn new(content: Content) -> Row {
        Row {
            content,
            span: 1,
            keep_with_next: false,
            page_break_before: false,
            outline: None,
            repeat_header: None,
        }
    }
}

fn cell(size: f64) -> f64 {
    if (size - BODY).abs() < 0.01 {
        CHAR
    } else {
        size
    }
}

struct Setter<'a> {
    fonts: &'a FontSet,
    missing: Vec<char>,
    titles: Vec<PartTitles>,
}

impl Setter<'_> {
    fn atoms(&mut self, spans: &[Span]) -> Arc<[Atom]> {
        atoms(self.fonts, spans, cell, &mut self.missing)
    }

    /// A paragraph: first line indented two characters, justified, on the grid.
    fn paragraph(&mut self, spans: &[Span], indent: f64) -> Vec<Row> {
        let a = self.atoms(spans);
        let lines = break_lines(&a, WIDTH - indent, WIDTH, Words::AtTheEnd);
        let n = lines.len();
        lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| Row {
                // No line of a paragraph alone at a page's foot or head: the first line goes
                // with the second, and the last but one with the last.
                keep_with_next: n > 1 && (i == 0 || i + 2 == n),
                ..Row::new(Content::Text {
                    line,
                    x: if i == 0 { indent } else { 0.0 },
                })
            })
            .collect()
    }

    /// Lines centred on the 版心 (titles).
    fn centred(&mut self, text: &str, role: Role, size: f64) -> Vec<Row> {
        let a = self.atoms(&[Span { text, role, size }]);
        // Centred lines are not stretched.
        break_lines(&a, WIDTH, WIDTH, Words::Between)
            .into_iter()
            .map(Line::natural)
            .map(|line| {
                let x = (WIDTH - line.width) / 2.0;
                Row::new(Content::Text { line, x })
            })
            .collect()
    }

    /// Title lines, each too wide for the 版心 broken into balanced lines. The balance is
    /// judged in characters, the fit by the glyphs' real widths (a bold face's digits are
    /// wider than half a character), so the capacity is scaled to the measured width.
    fn title(&mut self, lines: &[String]) -> Vec<Row> {
        let mut rows = Vec::new();
        for l in self.balanced(lines, TITLE) {
            rows.extend(self.centred(&l, Role::Title, TITLE));
        }
        if let Some(first) = rows.first_mut() {
            first.outline = Some((0, lines.concat()));
        }
        rows.push(Row::new(Content::Blank));
        rows
    }

    /// Title lines at `size`, each too wide for the 版心 broken into balanced lines.
    fn balanced(&mut self, lines: &[String], size: f64) -> Vec<String> {
        let mut out = Vec::new();
        for line in lines {
            let measured: f64 = self
                .atoms(&[Span {
                    text: line,
                    role: Role::Title,
                    size,
                }])
                .iter()
                .map(|a| a.advance)
                .sum();
            let halves = width_halves(line);
            let capacity = if measured > WIDTH {
                ((halves as f64 * WIDTH / measured).floor() as usize).max(2)
            } else {
                halves.max(2)
            };
            out.extend(balance_title(line, capacity));
        }
        out
    }

    fn heading_role(level: u8) -> Role {
        match level {
            1 => Role::Heading,
            2 => Role::Kai,
            3 => Role::BodyBold,
            _ => Role::Body,
        }
    }

    fn blocks(&mut self, blocks: &[Block], rows: &mut Vec<Row>) {
        for b in blocks {
            match b {
                Block::Heading(h) => {
                    let text = format!("{}{}", h.number, h.text);
                    let mut lines = self.paragraph(
                        &[Span {
                            text: &text,
                            role: Self::heading_role(h.level),
                            size: BODY,
                        }],
                        2.0 * CHAR,
                    );
                    lines.iter_mut().for_each(|r| r.keep_with_next = true);
                    if let Some(first) = lines.first_mut() {
                        first.outline = Some((h.level, text.clone()));
                    }
                    rows.extend(lines);
                }
                Block::Paragraph(p) => {
                    let head = p
                        .run_in
                        .as_ref()
                        .map(|h: &Heading| (format!("{}{}", h.number, h.text), h.level));
                    let mut spans = Vec::new();
                    if let Some((t, level)) = &head {
                        spans.push(Span {
                            text: t,
                            role: Self::heading_role(*level),
                            size: BODY,
                        });
                    }
                    spans.push(Span {
                        text: &p.text,
                        role: Role::Body,
                        size: BODY,
                    });
                    let mut lines = self.paragraph(&spans, 2.0 * CHAR);
                    if let (Some((t, level)), Some(first)) = (head, lines.first_mut()) {
                        first.outline = Some((level, t.trim_end_matches('。').to_owned()));
                    }
                    rows.append(&mut lines);
                }
                Block::Table(t) => rows.extend(table::rows(self, t)),
                Block::PageBreak => {
                    if let Some(r) = rows.last_mut() {
                        r.keep_with_next = false;
                    }
                    rows.push(Row {
                        page_break_before: true,
                        ..Row::new(Content::Blank)
                    });
                }
            }
        }
    }

    /// The width of `text` set in the body face.
    fn body_width(&mut self, text: &str) -> f64 {
        let spans = [Span {
            text,
            role: Role::Body,
            size: BODY,
        }];
        self.atoms(&spans).iter().map(|a| a.advance).sum()
    }

    /// The 附件说明 one blank line under the body: `附件：` two characters in, later numbers
    /// under the first, a wrapped name under the first character of its name.
    fn attachment_note(&mut self, p: &Part, rows: &mut Vec<Row>) {
        let note = p.attachment_note();
        if note.is_empty() {
            return;
        }
        rows.push(Row::new(Content::Blank));
        let label = self.body_width(ATTACHMENT_NOTE_LABEL);
        for (i, item) in note.iter().enumerate() {
            let head = if i == 0 {
                format!("{ATTACHMENT_NOTE_LABEL}{}", item.number)
            } else {
                item.number.clone()
            };
            let start = 2.0 * CHAR + if i == 0 { 0.0 } else { label };
            let hang = 2.0 * CHAR + label + self.body_width(&item.number);
            let spans = [
                Span {
                    text: &head,
                    role: Role::Body,
                    size: BODY,
                },
                Span {
                    text: item.name,
                    role: Role::Body,
                    size: BODY,
                },
            ];
            let atoms = self.atoms(&spans);
            for (j, line) in break_lines(&atoms, WIDTH - start, WIDTH - hang, Words::Between)
                .into_iter()
                .enumerate()
            {
                let x = if j == 0 { start } else { hang };
                rows.push(Row::new(Content::Text { line, x }));
            }
        }
    }

    fn part(&mut self, p: &Part, rows: &mut Vec<Row>) {
        let start = rows.len();
        if let Some(label) = &p.label {
            let atoms = self.atoms(&[Span {
                text: label,
                role: Role::Heading,
                size: BODY,
            }]);
            rows.push(Row {
                keep_with_next: true,
                ..Row::new(Content::Text {
                    line: natural(atoms),
                    x: 0.0,
                })
            });
        }
        let title_row = rows.len();
        let title = self.title(&p.title);
        self.titles.push(PartTitles {
            title: row_texts(&title),
            attachments: Vec::new(),
        });
        rows.extend(title);
        if let (Some(label), Some((_, t))) = (&p.label, rows[title_row].outline.as_mut()) {
            *t = format!("{label}　{t}");
        }
        if start > 0 {
            rows[start].page_break_before = true;
        }
        self.blocks(&p.blocks, rows);
        self.attachment_note(p, rows);
        if let Some(s) = &p.signature {
            // The 落款 keeps the last line of text with it: a page never holds only the 落款.
            if let Some(last) = rows.last_mut() {
                last.keep_with_next = true;
            }
            rows.push(Row {
                keep_with_next: true,
                ..Row::new(Content::Blank)
            });
            let unit = natural(self.atoms(&[Span {
                text: &s.unit,
                role: Role::Body,
                size: BODY,
            }]));
            let date = s.date.as_ref().map(|d| {
                natural(self.atoms(&[Span {
                    text: d,
                    role: Role::Body,
                    size: BODY,
                }]))
            });
            // Placed by the widths the glyphs have, not by counting characters: digits are
            // not half a character wide.
            let (u, d) = signature_positions(unit.width, date.as_ref().map(|d| d.width), WIDTH, CHAR);
            let mut unit_row = Row::new(Content::Text { line: unit, x: u });
            if let (Some(date), Some(d)) = (date, d) {
                unit_row.keep_with_next = true;
                rows.push(unit_row);
                rows.push(Row::new(Content::Text { line: date, x: d }));
            } else {
                rows.push(unit_row);
            }
        }
        for a in &p.attachments {
            let label = self.atoms(&[Span {
                text: &a.label,
                role: Role::Heading,
                size: BODY,
            }]);
            rows.push(Row {
                page_break_before: true,
                keep_with_next: true,
                ..Row::new(Content::Text {
                    line: natural(label),
                    x: 0.0,
                })
            });
            rows.push(Row {
                keep_with_next: true,
                ..Row::new(Content::Blank)
            });
            let mut title = self.title(std::slice::from_ref(&a.title));
            if let Some(t) = self.titles.last_mut() {
                t.attachments.push(row_texts(&title));
            }
            title.iter_mut().for_each(|r| r.keep_with_next = true);
            if let Some(first) = title.first_mut() {
                first.outline = Some((1, format!("{} {}", a.label, a.title)));
            }
            rows.extend(title);
            rows.push(Row {
                keep_with_next: true,
                ..Row::new(Content::Blank)
            });
            self.blocks(&a.blocks, rows);
        }
    }
}

/// A line of atoms at their natural spacing.
fn natural(atoms: Arc<[Atom]>) -> Line {
    Line::natural_of(atoms)
}

/// Assigns rows to pages: 22 grid lines a page; a row that must stay with the next moves
/// to the next page together with it; a table's header row repeats after a page break.
fn paginate(rows: Vec<Row>) -> Vec<Vec<(usize, Row)>> {
    let mut pages: Vec<Vec<(usize, Row)>> = vec![vec![]];
    let mut line = 0;
    // Rows are moved onto their pages, not copied: a 5,000-page layout holds millions of
    // glyphs.
    for row in rows {
        let needs_new = (row.page_break_before && line > 0) || line + row.span > LINES;
        if needs_new {
            // Carry the rows that must stay with this one (at most half a page of them).
            let page = pages.last_mut().expect("there is always a page");
            let mut carried = Vec::new();
            while let Some((_, prev)) = page.last() {
                if !prev.keep_with_next
                    || row.page_break_before
                    || carried.len() >= LINES / 2
                    || page.len() == carried.len() + 1
                {
                    break;
                }
                carried.push(page.pop().expect("checked").1);
            }
            carried.reverse();
            pages.push(vec![]);
            line = 0;
            if let (Some(h), true) = (&row.repeat_header, carried.is_empty() && !row.page_break_before) {
                pages.last_mut().expect("pushed").push((0, (**h).clone()));
                line = h.span;
            }
            for c in carried {
                let span = c.span;
                pages.last_mut().expect("pushed").push((line, c));
                line += span;
            }
            if matches!(row.content, Content::Blank) && !row.page_break_before && line == 0 {
                continue; // a blank line never opens a page
            }
        }
        let span = row.span;
        pages
            .last_mut()
            .expect("there is always a page")
            .push((line, row));
        line += span;
    }
    pages
}

/// The baseline of text of `size` on grid line `g`.
fn baseline(g: usize, size: f64) -> f64 {
    TOP + g as f64 * PITCH + (PITCH - size) / 2.0 + ASCENT * size
}

/// `— 7 —`: odd pages one character in from the right edge, even pages from the left,
/// the dash 7 mm below the 版心.
fn page_number(s: &mut Setter, n: usize, page: &mut Page) {
    let text = format!("— {n} —");
    let line = natural(s.atoms(&[Span {
        text: &text,
        role: Role::Song,
        size: SMALL,
    }]));
    let x = if n % 2 == 1 {
        LEFT + WIDTH - SMALL - line.width
    } else {
        LEFT + SMALL
    };
    // The dash sits 0.35 em above the baseline.
    let y = TOP + HEIGHT + PAGE_NUMBER_BELOW + 0.35 * SMALL;
    page.text(line, x, Baseline::At(y));
}

/// Draws paginated rows; `numbers` gives the printed number of the first page, or None for
/// unnumbered pages (a 汇编's cover and 目录). The rows' lines move onto the pages.
fn render(s: &mut Setter, pages: Vec<Vec<(usize, Row)>>, numbers: Option<usize>, out: &mut Layout) {
    for page_rows in pages {
        let n = out.pages.len();
        let mut page = Page::default();
        for (g, row) in page_rows {
            if let Some((level, title)) = row.outline {
                out.outline.push(OutlineEntry {
                    level,
                    title,
                    page: n,
                    y: TOP + g as f64 * PITCH,
                });
            }
            match row.content {
                Content::Blank => {}
                Content::Text { line, x } => page.text(line, LEFT + x, Baseline::Grid(g)),
                Content::TableRow(r) => table::draw(r, g, &mut page),
            }
        }
        if let Some(first) = numbers {
            let number = first + out.pages.len() - out.front_pages;
            page_number(s, number, &mut page);
        }
        out.pages.push(page);
    }
}

impl Setter<'_> {
    /// A 汇编's cover: the title large in the upper third, the compiler and date below.
    fn cover(&mut self, c: &Cover) -> Vec<Row> {
        let mut rows: Vec<Row> = (0..5).map(|_| Row::new(Content::Blank)).collect();
        for line in self.balanced(&c.title, COVER) {
            let line = natural(self.atoms(&[Span {
                text: &line,
                role: Role::Title,
                size: COVER,
            }]));
            let x = (WIDTH - line.width) / 2.0;
            rows.push(Row {
                span: 2,
                ..Row::new(Content::Text { line, x })
            });
        }
        while rows.len() < 16 {
            rows.push(Row::new(Content::Blank));
        }
        for text in [&c.editor, &c.date].into_iter().flatten() {
            rows.extend(self.centred(text, Role::Kai, BODY));
        }
        rows
    }

    /// A 目录 entry: label and title, leader dots, and the page number at the right edge.
    fn toc_entry(&mut self, text: &str, number: usize) -> Vec<Row> {
        let num = natural(self.atoms(&[Span {
            text: &number.to_string(),
            role: Role::Body,
            size: BODY,
        }]));
        let avail = WIDTH - num.width - 2.0 * CHAR;
        let a = self.atoms(&[Span {
            text,
            role: Role::Body,
            size: BODY,
        }]);
        let mut lines = break_lines(&a, avail, avail - 3.0 * CHAR, Words::Between);
        let last = lines.len() - 1;
        let mut rows = Vec::new();
        for (i, mut line) in lines.drain(..).enumerate() {
            let x = if i == 0 { 0.0 } else { 3.0 * CHAR };
            if i == last {
                // Natural spacing, then dots up to the number.
                let natural_line = line.natural();
                let mut atoms = natural_line.atoms().to_vec();
                let mut offsets = natural_line.offsets().to_vec();
                let dot = self.atoms(&[Span {
                    text: "·",
                    role: Role::Body,
                    size: BODY,
                }]);
                if let Some(&dot) = dot.first() {
                    // The dots stand on one grid of half characters from the 版心's left
                    // edge, so that they line up from row to row whatever each title's length.
                    let step = CHAR / 2.0;
                    let centre = (step - dot.advance).max(0.0) / 2.0;
                    let end = WIDTH - num.width - 0.25 * CHAR;
                    let mut at = ((x + natural_line.width + 0.25 * CHAR) / step).ceil() * step;
                    while at + step <= end + 1e-6 {
                        atoms.push(dot);
                        offsets.push(at + centre - x);
                        at += step;
                    }
                }
                for (ax, a) in num.placed() {
                    atoms.push(*a);
                    offsets.push(WIDTH - x - num.width + ax);
                }
                line = Line::new(atoms, offsets, natural_line.width);
            }
            rows.push(Row::new(Content::Text { line, x }));
        }
        rows
    }
}

#[cfg(test)]
thread_local! {
    static LAYOUTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many layouts this thread has made: a build must lay its document out once.
#[cfg(test)]
pub fn layouts_in_this_thread() -> usize {
    LAYOUTS.with(std::cell::Cell::get)
}

/// How many runs of 篇 are set at once: one per core (tests set it).
fn cores() -> usize {
    CORES
        .with(std::cell::Cell::get)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

thread_local! {
    /// Set by tests to lay out with a given number of runs; None: one per core.
    static CORES: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// The rows of every 篇, in order. A 汇编's 篇 are set a run of them per core (each 篇 starts
/// on a new page, so nothing of one reaches into the next): the first run here, the others
/// on threads of their own with a copy of the font set (its glyph cache is not shared), and
/// the rows, the characters no font has (first use first) and the titles joined in order —
/// what one pass over the 篇 gives.
fn set_parts(s: &mut Setter, parts: &[Part], cores: usize) -> Vec<Row> {
    let runs: Vec<&[Part]> = parts.chunks(parts.len().div_ceil(cores).max(1)).collect();
    let set_run = |s: &mut Setter, run: &[Part]| {
        let mut rows = Vec::new();
        for p in run {
            s.part(p, &mut rows);
        }
        rows
    };
    let Some((first, others)) = runs.split_first() else {
        return Vec::new();
    };
    let fonts = s.fonts;
    let (mut rows, later) = std::thread::scope(|scope| {
        let spawned: Vec<_> = others
            .iter()
            .map(|run| {
                let fonts = fonts.clone();
                scope.spawn(move || {
                    let mut t = Setter {
                        fonts: &fonts,
                        missing: Vec::new(),
                        titles: Vec::new(),
                    };
                    let rows = set_run(&mut t, run);
                    (rows, t.missing, t.titles)
                })
            })
            .collect();
        let rows = set_run(s, first);
        let later: Vec<_> = spawned
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect();
        (rows, later)
    });
    for (mut run_rows, missing, titles) in later {
        // A 篇 after the first starts a page (one pass sets this as it goes).
        if let Some(r) = run_rows.first_mut() {
            r.page_break_before = true;
        }
        rows.append(&mut run_rows);
        for c in missing {
            if !s.missing.contains(&c) {
                s.missing.push(c);
            }
        }
        s.titles.extend(titles);
    }
    rows
}

/// Lays out a whole document: the body first, so that a 汇编's 目录 can give the true page
/// each 篇 starts on; then the cover and 目录 in front, unnumbered.
pub fn layout(doc: &Document, fonts: &FontSet) -> Layout {
    #[cfg(test)]
    LAYOUTS.with(|n| n.set(n.get() + 1));
    let mut s = Setter {
        fonts,
        missing: Vec::new(),
        titles: Vec::new(),
    };
    let rows = set_parts(&mut s, &doc.parts, cores());
    let body = paginate(rows);
    // Where each 篇 starts (its title row), as a body page index.
    let mut starts = Vec::new();
    for (n, page) in body.iter().enumerate() {
        for (_, row) in page {
            if matches!(row.outline, Some((0, _))) {
                starts.push(n);
            }
        }
    }
    let mut front: Vec<Vec<(usize, Row)>> = Vec::new();
    if let Some(c) = &doc.cover {
        front.extend(paginate(s.cover(c)));
    }
    if doc.toc {
        let mut rows = s.centred("目　录", Role::Title, TITLE);
        rows.push(Row::new(Content::Blank));
        for (p, start) in doc.parts.iter().zip(&starts) {
            let text = format!("{}　{}", p.label.clone().unwrap_or_default(), p.title.concat());
            rows.extend(s.toc_entry(text.trim(), start + 1));
        }
        let mut toc = paginate(rows);
        if let Some(first) = toc.first_mut().and_then(|p| p.first_mut()) {
            first.1.outline = Some((0, "目录".into()));
        }
        front.extend(toc);
    }
    // The body starts on an odd page, so that odd numbers stand on right-hand pages.
    if front.len() % 2 == 1 {
        front.push(vec![]);
    }
    let mut out = Layout {
        front_pages: front.len(),
        part_pages: starts.iter().map(|s| s + 1).collect(),
        ..Layout::default()
    };
    render(&mut s, front, None, &mut out);
    render(&mut s, body, Some(1), &mut out);
    out.missing = s.missing;
    out.titles = s.titles;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Paragraph, Signature};

    fn text_row(keep: bool) -> Row {
        Row {
            keep_with_next: keep,
            ..Row::new(Content::Text {
                line: Line::default(),
                x: 0.0,
            })
        }
    }

    /// How many rows each page holds, and the grid line of each page's first row.
    fn shape(pages: &[Vec<(usize, Row)>]) -> Vec<(usize, usize)> {
        pages
            .iter()
            .map(|p| (p.len(), p.first().map_or(0, |r| r.0)))
            .collect()
    }

    #[test]
    fn pages_hold_22_grid_lines() {
        let rows: Vec<Row> = (0..50).map(|_| text_row(false)).collect();
        assert_eq!(shape(&paginate(rows)), [(22, 0), (22, 0), (6, 0)]);
    }

    #[test]
    fn a_row_kept_with_the_next_moves_with_it() {
        // A heading on the page's last line goes over with the paragraph it heads.
        let mut rows: Vec<Row> = (0..21).map(|_| text_row(false)).collect();
        rows.push(text_row(true));
        rows.push(text_row(false));
        let pages = paginate(rows);
        assert_eq!(shape(&pages), [(21, 0), (2, 0)]);
        assert!(pages[1][0].1.keep_with_next);
        // A chain of kept rows longer than half a page is broken rather than carried whole.
        let mut rows: Vec<Row> = (0..5).map(|_| text_row(false)).collect();
        rows.extend((0..20).map(|_| text_row(true)));
        rows.push(text_row(false));
        assert_eq!(shape(&paginate(rows)).len(), 2);
    }

    #[test]
    fn a_blank_line_never_opens_a_page_and_a_page_break_starts_one() {
        let mut rows: Vec<Row> = (0..22).map(|_| text_row(false)).collect();
        rows.push(Row::new(Content::Blank));
        rows.push(text_row(false));
        rows.push(Row {
            page_break_before: true,
            ..text_row(false)
        });
        let pages = paginate(rows);
        assert_eq!(shape(&pages), [(22, 0), (1, 0), (1, 0)]);
        assert!(matches!(pages[1][0].1.content, Content::Text { .. }));
    }

    fn fonts() -> FontSet {
        FontSet::builtin()
    }

    /// The x of the first glyph of each line on `page`, by the line's text.
    fn lines_of(page: &Page) -> Vec<(String, f64)> {
        let mut lines: Vec<(f64, String, f64)> = Vec::new();
        for m in page.marks() {
            if let Mark::Glyph(g) = m {
                match lines.iter_mut().find(|(y, _, _)| (y - g.y).abs() < 0.01) {
                    Some((_, text, x)) => {
                        text.push(g.atom.ch);
                        *x = x.min(g.x);
                    }
                    None => lines.push((g.y, g.atom.ch.to_string(), g.x)),
                }
            }
        }
        lines.into_iter().map(|(_, t, x)| (t, x)).collect()
    }

    #[test]
    fn toc_leader_dots_stand_on_one_grid() {
        let part = |label: &str, title: &str| Part {
            label: Some(label.into()),
            title: vec![title.into()],
            blocks: vec![Block::Paragraph(Paragraph::plain("正文"))],
            ..Part::default()
        };
        let doc = Document {
            parts: vec![
                part("篇一", "江城市民政局2024年建议提案办理工作总结"),
                part("篇二", "江城市人大常委会2024年代表建议办理工作总结"),
                part("篇一百", "青山区人民政府办公室2024年议案、建议、提案办理工作总结"),
            ],
            toc: true,
            ..Document::default()
        };
        let layout = layout(&doc, &fonts());
        let dots: Vec<(f64, f64)> = layout.pages[0]
            .marks()
            .filter_map(|m| match m {
                Mark::Glyph(g) if g.atom.ch == '·' => Some((g.y, g.x)),
                _ => None,
            })
            .collect();
        let rows: std::collections::BTreeSet<i64> = dots.iter().map(|(y, _)| *y as i64).collect();
        assert!(rows.len() >= 3, "{dots:?}");
        // Every dot at the same phase of a half-character grid, whichever row it is in.
        let phase = |x: f64| ((x - dots[0].1) / (CHAR / 2.0)).rem_euclid(1.0);
        for (_, x) in &dots {
            let p = phase(*x);
            assert!(!(0.01..=0.99).contains(&p), "a dot off the grid at {x}");
        }
    }

    #[test]
    fn signature_by_the_rule_and_kept_with_the_last_line() {
        let mut part = Part {
            title: vec!["标题".into()],
            blocks: vec![],
            signature: Some(Signature {
                unit: "江城市民政局".into(),
                date: Some("2024年12月20日".into()),
            }),
            ..Part::default()
        };
        // Title, blank line and 20 one-line paragraphs fill the first page to its last line:
        // the 落款 does not fit under it, and takes that line with it to the next page.
        let line = "这".repeat(26);
        part.blocks = (0..20)
            .map(|_| Block::Paragraph(Paragraph::plain(line.clone())))
            .collect();
        let doc = Document {
            parts: vec![part],
            ..Document::default()
        };
        let layout = layout(&doc, &fonts());
        assert_eq!(layout.pages.len(), 2);
        let second = lines_of(&layout.pages[1]);
        let texts: Vec<&str> = second.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts[0].chars().filter(|c| *c == '这').count(), 26, "{texts:?}");
        let unit = second.iter().find(|(t, _)| t == "江城市民政局").unwrap();
        let date = second.iter().find(|(t, _)| t.starts_with("2024")).unwrap();
        // GB/T 9704 §7.3.5.2: the date starts two characters right of the unit's first; it is
        // longer than the unit's last four characters, so it is set 右空二字 and the unit
        // moves left by as much.
        assert!(
            (date.1 - unit.1 - 2.0 * CHAR).abs() < 0.01,
            "{} {}",
            unit.1,
            date.1
        );
        let f = fonts();
        let width = natural(atoms(
            &f,
            &[Span {
                text: "2024年12月20日",
                role: Role::Body,
                size: BODY,
            }],
            cell,
            &mut vec![],
        ))
        .width;
        assert!(
            (date.1 + width - (LEFT + WIDTH - 2.0 * CHAR)).abs() < 0.01,
            "the date ends two characters from the right edge: {}",
            date.1 + width
        );
    }

    #[test]
    fn the_parts_set_in_parallel_are_laid_out_as_in_one_pass() {
        // Five 篇 with characters no font has in two of them, set as one run and as three.
        let part = |n: usize| Part {
            label: Some(format!("篇{n}")),
            title: vec![format!("第{n}个单位2024年建议提案办理工作总结")],
            blocks: vec![Block::Paragraph(Paragraph::plain(format!(
                "{}全年共承办建议提案{n}件。{}",
                "这".repeat(30 * n),
                if n.is_multiple_of(2) { "\u{E000}" } else { "" }
            )))],
            ..Part::default()
        };
        let doc = Document {
            parts: (1..=5).map(part).collect(),
            toc: true,
            ..Document::default()
        };
        let f = fonts();
        let with = |cores: usize| {
            CORES.with(|c| c.set(Some(cores)));
            let l = layout(&doc, &f);
            CORES.with(|c| c.set(None));
            l
        };
        let (one, three) = (with(1), with(3));
        assert_eq!(one.pages.len(), three.pages.len());
        for (a, b) in one.pages.iter().zip(&three.pages) {
            assert!(a.marks().eq(b.marks()), "the same marks on every page");
        }
        assert_eq!(one.missing, three.missing);
        assert_eq!(one.missing, ['\u{E000}']);
        assert_eq!(one.titles, three.titles);
        assert_eq!(one.part_pages, three.part_pages);
        assert_eq!(one.outline, three.outline);
    }
}
