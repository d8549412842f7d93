//! Entry points for the fuzzing harness (`examples/fuzz.rs`): each takes arbitrary bytes and
//! runs one stage the way hostile input reaches it. A panic, an abort or unbounded memory
//! here is a bug; an error message is the right answer. Not part of the public API.

use crate::document::{Block, Document, Paragraph, Part, Signature};
use crate::load::Ctx;
use std::path::Path;

/// The text of `bytes` as a user's file would be read (any encoding, or nothing).
fn text(bytes: &[u8]) -> String {
    crate::source::decode(bytes).map_or_else(|_| String::from_utf8_lossy(bytes).into_owned(), |(t, _)| t)
}

/// A report and its case file written from `bytes` into `dir`, checked and composed, and
/// the document rendered as text. The bytes are split at the first NUL into the report and
/// the cases, so that mutations reach both.
pub fn report(dir: &Path, bytes: &[u8]) {
    let (report, cases) = match bytes.iter().position(|b| *b == 0) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (
            bytes,
            "- {编号: 1, 类别: 建议, 标题: 题, 承办方式: 主办}\n".as_bytes(),
        ),
    };
    let _ = std::fs::write(dir.join("报告.yaml"), report);
    let _ = std::fs::write(dir.join("案件.yaml"), cases);
    let mut ctx = Ctx::default();
    if let Ok(Some(p)) = crate::pipeline::prepare(&mut ctx, &dir.join("报告.yaml")) {
        let _ = crate::pipeline::render(
            &mut ctx,
            &p,
            &[crate::writers::Format::Txt, crate::writers::Format::Md],
        );
    }
    let _ = ctx.diags.render(&ctx.sources, false);
}

/// The body markup a template renders, with user text tokens and `{{ 名称 }}` expansion.
pub fn markup(bytes: &[u8]) {
    let text = text(bytes);
    let blocks = crate::compose::markup::parse(&text);
    let mut names = crate::compose::expand::Names::default();
    names.insert("办复率".into(), crate::figures::names::FigureValue::Cases(3));
    let mut diags = crate::diag::Diags::default();
    let t = crate::model::Text {
        text,
        at: crate::diag::Loc::default(),
    };
    let _ = crate::compose::expand::expand(&t, &names, &mut diags, "主要做法", |_| {});
    let _ = blocks.len();
}

/// A document of paragraphs and headings from `bytes`, laid out on pages with the built-in
/// fonts: line breaking, pagination, the 落款.
pub fn typeset(fonts: &crate::fonts::FontSet, bytes: &[u8]) {
    let text = text(bytes);
    let mut blocks = Vec::new();
    for (i, line) in text.split('\n').enumerate().take(200) {
        blocks.push(match i % 5 {
            0 => Block::Heading(crate::document::Heading {
                level: (i % 4) as u8 + 1,
                number: String::new(),
                text: line.to_owned(),
            }),
            _ => Block::Paragraph(Paragraph::plain(line)),
        });
    }
    let mut part = Part {
        title: vec![text.chars().take(60).collect()],
        blocks,
        signature: Some(Signature {
            unit: text.chars().take(12).collect(),
            date: Some("2024年12月20日".into()),
        }),
        ..Part::default()
    };
    part.number_headings();
    let doc = Document {
        parts: vec![part],
        ..Document::default()
    };
    let layout = crate::typeset::layout(&doc, fonts);
    let _ = crate::writers::docx::write(&doc, &crate::writers::docx::FontNames::default(), &layout.facts());
    // The PDF writer subsets the fonts on every call, which costs more than the layout:
    // one input in eight goes through it.
    if bytes.first().is_some_and(|b| b % 8 == 0) {
        let _ = crate::writers::pdf::write(&doc, &layout, fonts);
    }
}

/// A ledger (CSV, or any spreadsheet bytes) written into `dir` and imported.
pub fn import(dir: &Path, bytes: &[u8], name: &str) {
    let path = dir.join(name);
    let _ = std::fs::write(&path, bytes);
    if let Ok(ledger) = crate::import::read_ledger(&path, None, &[]) {
        let _ = ledger.imported.to_yaml(name);
    }
}

/// The built-in fonts, loaded once for [`typeset`].
pub fn fonts() -> crate::fonts::FontSet {
    crate::fonts::FontSet::builtin()
}
