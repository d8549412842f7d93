//! Plain text preview: headings and paragraphs indented two characters, the 落款 placed as
//! on paper, tables drawn with box characters.

use super::pad;
use crate::document::{Block, Document, Part, Table, ATTACHMENT_NOTE_LABEL};
use crate::gbt9704::signature_offsets;
use comfy_table::presets::UTF8_FULL_CONDENSED;

pub const INDENT: &str = "\u{3000}\u{3000}";

pub fn table(t: &Table) -> String {
    let mut tb = comfy_table::Table::new();
    tb.load_style(UTF8_FULL_CONDENSED).set_header(t.header.clone());
    for r in &t.rows {
        tb.add_row(r.clone());
    }
    for (i, numeric) in t.numeric.iter().enumerate() {
        if let (true, Some(c)) = (*numeric, tb.column_mut(i)) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    tb.to_string()
}

fn blocks(out: &mut String, blocks: &[Block]) {
    for b in blocks {
        match b {
            Block::Heading(h) => out.push_str(&format!("{INDENT}{}{}\n", h.number, h.text)),
            Block::Paragraph(p) => {
                let head = p
                    .run_in
                    .as_ref()
                    .map_or(String::new(), |h| format!("{}{}", h.number, h.text));
                out.push_str(&format!("{INDENT}{head}{}\n", p.text));
            }
            Block::Table(t) => {
                out.push_str(&table(t));
                out.push('\n');
            }
            Block::PageBreak => out.push('\n'),
        }
    }
}

fn part(out: &mut String, p: &Part) {
    for line in &p.title {
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    blocks(out, &p.blocks);
    let note = p.attachment_note();
    if !note.is_empty() {
        out.push('\n');
    }
    for (i, item) in note.iter().enumerate() {
        let label = if i == 0 {
            ATTACHMENT_NOTE_LABEL
        } else {
            "\u{3000}\u{3000}\u{3000}"
        };
        out.push_str(&format!("{INDENT}{label}{}{}\n", item.number, item.name));
    }
    if let Some(s) = &p.signature {
        let (u, d) = signature_offsets(&s.unit, s.date.as_deref());
        out.push('\n');
        out.push_str(&format!("{}{}\n", pad(u), s.unit));
        if let (Some(date), Some(d)) = (&s.date, d) {
            out.push_str(&format!("{}{date}\n", pad(d)));
        }
    }
    for a in &p.attachments {
        out.push_str(&format!("\n\u{c}{}\n\n{}\n\n", a.label, a.title));
        blocks(out, &a.blocks);
    }
}

/// A 汇编's cover (title, 编者, 日期) and 目录 (each 篇's label and title; a text file has
/// no page numbers), each followed by a page break.
fn front_matter(out: &mut String, doc: &Document) {
    if let Some(c) = &doc.cover {
        for line in &c.title {
            out.push_str(&format!("{line}\n"));
        }
        out.push('\n');
        for line in [&c.editor, &c.date].into_iter().flatten() {
            out.push_str(&format!("{line}\n"));
        }
        out.push_str("\n\u{c}");
    }
    if doc.toc {
        out.push_str("目　录\n\n");
        for p in &doc.parts {
            let label = p.label.as_deref().unwrap_or_default();
            out.push_str(&format!("{label}　{}\n", p.title.concat()));
        }
        out.push_str("\n\u{c}");
    }
}

/// The whole document as UTF-8 text.
pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    front_matter(&mut out, doc);
    for (i, p) in doc.parts.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\u{c}");
        }
        if let Some(label) = &p.label {
            out.push_str(&format!("{label}\n"));
        }
        part(&mut out, p);
    }
    out
}
