//! Ruled tables (附表): 四号 text, a 黑体 header row repeated on every page, columns as wide as
//! their content asks, each row a whole number of grid lines high with a wrapped cell's lines
//! at the table text's own leading (not a body line each).

use super::breaking::{break_lines, Atom, Line, Span, Words};
use super::{Baseline, Content, Page, Setter, LEFT, PITCH, SMALL, TOP, WIDTH};
use crate::document::Table;
use crate::fonts::Role;
use std::sync::Arc;

const PAD: f64 = 4.0;
const RULE: f64 = 0.75;
/// Line distance inside a cell: 四号 set 1.3 em apart.
const LEAD: f64 = SMALL * 1.3;

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

/// Every cell set in 四号 (the header in 黑体), once: the widths and the lines are both read
/// from these.
fn set_cells(s: &mut Setter, t: &Table) -> Vec<Vec<Arc<[Atom]>>> {
    std::iter::once(&t.header)
        .chain(&t.rows)
        .enumerate()
        .map(|(r, cells)| {
            let role = if r == 0 { Role::Heading } else { Role::Body };
            cells
                .iter()
                .map(|text| {
                    s.atoms(&[Span {
                        text,
                        role,
                        size: SMALL,
                    }])
                })
                .collect()
        })
        .collect()
}

/// Column widths from the content: every column but the first as wide as its widest cell
/// (numbers, short labels), the first (项目, names) the rest; when that leaves the first too
/// little, all columns share the width in proportion to what they ask.
fn widths(cells: &[Vec<Arc<[Atom]>>], n: usize) -> Vec<f64> {
    if n <= 1 {
        return vec![WIDTH];
    }
    let mut want = vec![0.0f64; n];
    for row in cells {
        for (i, atoms) in row.iter().enumerate().take(n) {
            let w: f64 = atoms.iter().map(|a| a.advance).sum();
            want[i] = want[i].max(w + 2.0 * PAD);
        }
    }
    let total: f64 = want.iter().sum();
    if total <= WIDTH {
        // Room to spare: every column grows in proportion.
        return want.iter().map(|w| w * WIDTH / total).collect();
    }
    let rest: f64 = want[1..].iter().sum();
    if WIDTH - rest >= WIDTH * 0.3 {
        std::iter::once(WIDTH - rest)
            .chain(want[1..].iter().copied())
            .collect()
    } else {
        want.iter().map(|w| w * WIDTH / total).collect()
    }
}

fn row(cells: &[Arc<[Atom]>], t: &Table, w: &[f64], header: bool) -> TableRow {
    let mut x = 0.0;
    let mut out = Vec::new();
    for (i, atoms) in cells.iter().enumerate() {
        let cw = w.get(i).copied().unwrap_or(0.0);
        // Cells are not justified: natural spacing, aligned below.
        let lines: Vec<Line> = break_lines(atoms, cw - 2.0 * PAD, cw - 2.0 * PAD, Words::Anywhere)
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
    let most = out.iter().map(|c| c.2.len()).max().unwrap_or(1).max(1);
    // Whole grid lines, enough for the tallest cell's lines at the table's leading.
    let lines = ((most as f64 * LEAD + PAD) / PITCH).ceil().max(1.0) as usize;
    TableRow { cells: out, lines }
}

/// The table as grid rows; each body row carries the header for repetition.
pub(super) fn rows(s: &mut Setter, t: &Table) -> Vec<super::Row> {
    let cells = set_cells(s, t);
    let w = widths(&cells, t.header.len());
    let header = row(&cells[0], t, &w, true);
    let header_row = super::Row {
        span: header.lines,
        keep_with_next: true,
        ..super::Row::new(Content::TableRow(header))
    };
    let mut out = vec![header_row.clone()];
    for r in &cells[1..] {
        let body = row(r, t, &w, false);
        out.push(super::Row {
            span: body.lines,
            repeat_header: Some(Box::new(header_row.clone())),
            ..super::Row::new(Content::TableRow(body))
        });
    }
    out
}

/// Draws a table row on grid line `g` of `page`: its rules and its cell texts.
pub(super) fn draw(r: TableRow, g: usize, page: &mut Page) {
    let top = TOP + g as f64 * PITCH;
    let bottom = top + r.lines as f64 * PITCH;
    page.rule(LEFT, top, LEFT + WIDTH, top, RULE);
    page.rule(LEFT, bottom, LEFT + WIDTH, bottom, RULE);
    page.rule(LEFT, top, LEFT, bottom, RULE);
    for (x, w, lines, align) in r.cells {
        page.rule(LEFT + x + w, top, LEFT + x + w, bottom, RULE);
        // Vertically centred in the row, LEAD apart; one line sits as body text does on its
        // grid line.
        let centre = top + (bottom - top - lines.len() as f64 * LEAD) / 2.0 + LEAD / 2.0;
        for (n, line) in lines.into_iter().enumerate() {
            let inner = w - 2.0 * PAD;
            let dx = match align {
                Align::Left => 0.0,
                Align::Centre => (inner - line.width) / 2.0,
                Align::Right => inner - line.width,
            };
            let y = centre + n as f64 * LEAD - SMALL / 2.0 + super::ASCENT * SMALL;
            page.text(line, LEFT + x + PAD + dx, Baseline::At(y));
        }
    }
}
