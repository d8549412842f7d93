//! Markdown preview: the title as `#`, level-1 headings as `##`, run-in headings in bold.

use crate::document::{Block, Document, Part, Table, ATTACHMENT_NOTE_LABEL};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn table(out: &mut String, t: &Table) {
    out.push_str(&format!(
        "| {} |\n",
        t.header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
    ));
    let rule: Vec<&str> = t
        .numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for r in &t.rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out.push('\n');
}

fn blocks(out: &mut String, blocks: &[Block]) {
    for b in blocks {
        match b {
            Block::Heading(h) => {
                let marks = "#".repeat(h.level as usize + 1);
                out.push_str(&format!("{marks} {}{}\n\n", h.number, h.text));
            }
            Block::Paragraph(p) => {
                if let Some(h) = &p.run_in {
                    out.push_str(&format!("**{}{}**", h.number, h.text));
                }
                out.push_str(&format!("{}\n\n", p.text));
            }
            Block::Table(t) => table(out, t),
            Block::PageBreak => out.push_str("---\n\n"),
        }
    }
}

fn part(out: &mut String, p: &Part) {
    out.push_str(&format!("# {}\n\n", p.title.join("")));
    blocks(out, &p.blocks);
    let note: Vec<String> = p
        .attachment_note()
        .iter()
        .map(|item| format!("{}{}", item.number, item.name))
        .collect();
    if !note.is_empty() {
        out.push_str(&format!("{ATTACHMENT_NOTE_LABEL}{}\n\n", note.join("  \n")));
    }
    if let Some(s) = &p.signature {
        out.push_str(&format!("<div align=\"right\">\n\n{}", s.unit));
        if let Some(d) = &s.date {
            out.push_str(&format!("  \n{d}"));
        }
        out.push_str("\n\n</div>\n\n");
    }
    for a in &p.attachments {
        out.push_str(&format!("---\n\n**{}**\n\n## {}\n\n", a.label, a.title));
        blocks(out, &a.blocks);
    }
}

pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    for (i, p) in doc.parts.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n\n");
        }
        part(&mut out, p);
    }
    out
}
