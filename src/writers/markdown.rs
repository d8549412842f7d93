//! Markdown preview: the title as `#`, level-1 headings as `##`, run-in headings in bold.
//! All text is escaped: a user's `<!--`, `*` or `#` is shown, never taken as markup.

use crate::document::{Block, Document, Part, Table, ATTACHMENT_NOTE_LABEL};

/// Text as Markdown shows it literally: HTML's `< > &` as entities, Markdown's own marks
/// behind a backslash.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    // A line that starts like a list item or a numbered one: `-`, `+`, `1.`.
    if out.starts_with(['-', '+']) || (out.starts_with(|c: char| c.is_ascii_digit()) && out.contains(". ")) {
        out.insert(0, '\\');
    }
    out
}

fn cell(s: &str) -> String {
    esc(s)
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
                out.push_str(&format!("{marks} {}{}\n\n", h.number, esc(&h.text)));
            }
            Block::Paragraph(p) => {
                if let Some(h) = &p.run_in {
                    out.push_str(&format!("**{}{}**", h.number, esc(&h.text)));
                }
                out.push_str(&format!("{}\n\n", esc(&p.text)));
            }
            Block::Table(t) => table(out, t),
            Block::PageBreak => out.push_str("---\n\n"),
        }
    }
}

fn part(out: &mut String, p: &Part) {
    let label = p.label.as_ref().map_or(String::new(), |l| format!("{l}　"));
    out.push_str(&format!("# {label}{}\n\n", esc(&p.title.join(""))));
    blocks(out, &p.blocks);
    let note: Vec<String> = p
        .attachment_note()
        .iter()
        .map(|item| format!("{}{}", item.number, esc(item.name)))
        .collect();
    if !note.is_empty() {
        out.push_str(&format!("{ATTACHMENT_NOTE_LABEL}{}\n\n", note.join("  \n")));
    }
    if let Some(s) = &p.signature {
        out.push_str(&format!("<div align=\"right\">\n\n{}", esc(&s.unit)));
        if let Some(d) = &s.date {
            out.push_str(&format!("  \n{}", esc(d)));
        }
        out.push_str("\n\n</div>\n\n");
    }
    for a in &p.attachments {
        out.push_str(&format!("---\n\n**{}**\n\n## {}\n\n", a.label, esc(&a.title)));
        blocks(out, &a.blocks);
    }
}

pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(c) = &doc.cover {
        out.push_str(&format!("# {}\n\n", esc(&c.title.concat())));
        for line in [&c.editor, &c.date].into_iter().flatten() {
            out.push_str(&format!("{}  \n", esc(line)));
        }
        out.push_str("\n---\n\n");
    }
    if doc.toc {
        out.push_str("## 目录\n\n");
        for p in &doc.parts {
            let label = p.label.as_deref().unwrap_or_default();
            out.push_str(&format!("- {label}　{}\n", esc(&p.title.concat())));
        }
        out.push_str("\n---\n\n");
    }
    for (i, p) in doc.parts.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n\n");
        }
        part(&mut out, p);
    }
    out
}
