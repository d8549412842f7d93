//! Ruled tables (附表): 四号 text, a 黑体 header row repeated on every page, each row a whole
//! number of grid lines high.

use super::breaking::{break_lines, Line, Span};
use super::{baseline, Content, Mark, Setter, LEFT, PITCH, SMALL, TOP, WIDTH};
use crate::document::Table;
use crate::fonts::Role;

const PAD: f64 = 4.0;
const RULE: f64 = 0.75;

/// A laid-out table row: each cell's x offset, width, lines and alignment.
#[derive(Debug, Clone)]
pub struct TableRow {
    pub cells: Vec<(f64, f64, Vec<Line>, Align)>,
    /// Grid lines the row occupies: its tallest cell.
    pub lines: usize,
}

#[derive(Debug, Clone, Copy)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// Column widths: the first column takes two fifths, the rest share the remainder.
fn widths(n: usize) -> Vec<f64> {
    if n <= 1 {
        return vec![WIDTH];
    }
    let first = WIDTH * 2.0 / 5.0;
    std::iter::once(first)
        .chain(std::iter::repeat_n((WIDTH - first) / (n - 1) as f64, n - 1))
        .collect()
}

fn row(s: &mut Setter, cells: &[String], t: &Table, header: bool) -> TableRow {
    let w = widths(t.header.len());
    let mut x = 0.0;
    let mut out = Vec::new();
    for (i, text) in cells.iter().enumerate() {
        let cw = w.get(i).copied().unwrap_or(0.0);
        let role = if header { Role::Heading } else { Role::Body };
        let atoms = s.atoms(&[Span {
            text,
            role,
            size: SMALL,
        }]);
        // Cells are not justified: natural spacing, aligned below.
        let lines: Vec<Line> = break_lines(&atoms, cw - 2.0 * PAD, cw - 2.0 * PAD)
            .into_iter()
            .map(Line::natural)
            .collect();
        let align = if header {
            Align::Centre
        } else if i == 0 {
            Align::Left
        } else if t.numeric.get(i) == Some(&true) {
            Align::Right
        } else {
            Align::Centre
        };
        out.push((x, cw, lines, align));
        x += cw;
    }
    let lines = out.iter().map(|c| c.2.len()).max().unwrap_or(1).max(1);
    TableRow { cells: out, lines }
}

/// The table as grid rows; each body row carries the header for repetition.
pub(super) fn rows(s: &mut Setter, t: &Table) -> Vec<super::Row> {
    let header = row(s, &t.header, t, true);
    let header_row = super::Row {
        span: header.lines,
        keep_with_next: true,
        ..super::Row::new(Content::TableRow(header))
    };
    let mut out = vec![header_row.clone()];
    for r in &t.rows {
        let body = row(s, r, t, false);
        out.push(super::Row {
            span: body.lines,
            repeat_header: Some(Box::new(header_row.clone())),
            ..super::Row::new(Content::TableRow(body))
        });
    }
    out
}

/// The marks of a table row on grid line `g`: its cell texts and its rules.
pub(super) fn draw(r: &TableRow, g: usize) -> Vec<Mark> {
    let top = TOP + g as f64 * PITCH;
    let bottom = top + r.lines as f64 * PITCH;
    let mut marks = vec![
        Mark::Rule {
            x1: LEFT,
            y1: top,
            x2: LEFT + WIDTH,
            y2: top,
            width: RULE,
        },
        Mark::Rule {
            x1: LEFT,
            y1: bottom,
            x2: LEFT + WIDTH,
            y2: bottom,
            width: RULE,
        },
        Mark::Rule {
            x1: LEFT,
            y1: top,
            x2: LEFT,
            y2: bottom,
            width: RULE,
        },
    ];
    for (x, w, lines, align) in &r.cells {
        marks.push(Mark::Rule {
            x1: LEFT + x + w,
            y1: top,
            x2: LEFT + x + w,
            y2: bottom,
            width: RULE,
        });
        // Vertically centred in the row.
        let first = g + (r.lines - lines.len()) / 2;
        for (n, line) in lines.iter().enumerate() {
            let inner = w - 2.0 * PAD;
            let dx = match align {
                Align::Left => 0.0,
                Align::Centre => (inner - line.width) / 2.0,
                Align::Right => inner - line.width,
            };
            for (ax, atom) in &line.atoms {
                marks.push(Mark::Glyph(super::Glyph {
                    x: LEFT + x + PAD + dx + ax,
                    y: baseline(first + n, SMALL),
                    atom: atom.clone(),
                }));
            }
        }
    }
    marks
}
