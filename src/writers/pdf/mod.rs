//! PDF output of a layout (see [`crate::typeset`]), written with pdf-writer one page at a
//! time: each page's content stream is built, compressed and appended before the next is
//! looked at, so memory holds the layout and the finished bytes, never every page's
//! operations at once. Fonts are subset (subsetter) to the glyphs the document uses and
//! embedded as CID fonts with ToUnicode maps; every stream is Flate-compressed.

mod font;
mod outline;

use crate::document::Document;
use crate::fonts::FontSet;
use crate::gbt9704::{MM, PAGE_H_MM, PAGE_W_MM};
use crate::typeset::{Glyph, Layout, Mark, Page, PAGE_H};
use pdf_writer::types::TextRenderingMode;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Why a PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("字体“{font}”无法取子集：{reason}")]
    Subset { font: String, reason: String },
}

/// Deflate level for every stream: 6 is within a few per cent of 9's size at a fraction of
/// its time on content streams and font programs alike.
const LEVEL: u8 = 6;

fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::new(u32::from(LEVEL)),
    );
    z.write_all(data).expect("writing to a Vec");
    z.finish().expect("writing to a Vec")
}

/// Pages whose content streams are deflated together.
const BATCH: usize = 32;

/// Allocates object numbers in writing order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// A coordinate as the page needs it: to a hundredth of a point (0.004 mm).
fn pt(v: f64) -> f32 {
    ((v * 100.0).round() / 100.0) as f32
}

/// The document as PDF bytes.
pub fn write(doc: &Document, layout: &Layout, fonts: &FontSet) -> Result<Vec<u8>, PdfError> {
    let mut refs = Refs(0);
    let catalog = refs.next();
    let page_tree = refs.next();
    let info = refs.next();
    let embedded = font::subset_all(layout, fonts, &mut refs)?;
    let page_ids: Vec<Ref> = layout.pages.iter().map(|_| refs.next()).collect();

    let mut pdf = Pdf::new();
    let media = Rect::new(0.0, 0.0, pt(PAGE_W_MM * MM), pt(PAGE_H_MM * MM));
    // Pages go out in batches: each batch's content streams are built, then deflated on all
    // cores, then written, so that memory holds one batch of streams, not the document's.
    let mut batch: Vec<Vec<u8>> = Vec::new();
    for (n, &id) in page_ids.iter().enumerate() {
        if n % BATCH == 0 {
            let end = (n + BATCH).min(layout.pages.len());
            batch = layout.pages[n..end]
                .iter()
                .map(|p| content(p, fonts, &embedded))
                .collect();
            batch.par_iter_mut().for_each(|c| *c = deflate(c));
        }
        let contents = refs.next();
        let data = std::mem::take(&mut batch[n % BATCH]);
        pdf.stream(contents, &data).filter(Filter::FlateDecode);
        let mut p = pdf.page(id);
        p.parent(page_tree).media_box(media).contents(contents);
        let mut resources = p.resources();
        let mut map = resources.fonts();
        for f in embedded.values() {
            map.pair(Name(f.resource.as_bytes()), f.type0);
        }
    }
    for f in embedded.values() {
        f.write(&mut pdf, fonts);
    }
    pdf.pages(page_tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);

    let outline_root = outline::write(&mut pdf, layout, &page_ids, &mut refs);
    let mut cat = pdf.catalog(catalog);
    cat.pages(page_tree).lang(TextStr("zh-CN"));
    if let Some(root) = outline_root {
        cat.outlines(root)
            .page_mode(pdf_writer::types::PageMode::UseOutlines);
    }
    cat.finish();
    let mut meta = pdf.document_info(info);
    meta.title(TextStr(&doc.title)).creator(TextStr("zongjie"));
    meta.producer(TextStr(concat!("zongjie ", env!("CARGO_PKG_VERSION"))));
    if !doc.author.is_empty() {
        meta.author(TextStr(&doc.author));
    }
    meta.finish();
    // The file ID is derived from everything written, so the same document always has the
    // same ID and two different documents differ (ISO 32000-1 §14.4).
    let id = content_id(pdf.as_bytes());
    pdf.set_file_id((id.clone(), id));
    Ok(pdf.finish())
}

/// One page's content: text first (runs of glyphs on one baseline in one font as a single
/// TJ with the offsets the layout chose), then the ruled lines.
fn content(page: &Page, fonts: &FontSet, embedded: &BTreeMap<u16, font::Embedded>) -> Vec<u8> {
    let mut c = Content::new();
    c.save_state().begin_text();
    let glyphs: Vec<Glyph> = page
        .marks()
        .filter_map(|m| match m {
            Mark::Glyph(g) if g.atom.glyph().is_some() => Some(g),
            _ => None,
        })
        .collect();
    let mut current: Option<(u16, f64)> = None;
    let mut i = 0;
    while i < glyphs.len() {
        let first = glyphs[i];
        let Some(r) = first.atom.glyph() else { break };
        let size = first.atom.size();
        let f = &embedded[&r.face];
        if current != Some((r.face, size)) {
            current = Some((r.face, size));
            c.set_text_rendering_mode(if fonts.faces[usize::from(r.face)].synthetic_bold {
                TextRenderingMode::FillStroke
            } else {
                TextRenderingMode::Fill
            });
            c.set_font(Name(f.resource.as_bytes()), size as f32);
        }
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, pt(first.x), pt(PAGE_H - first.y)]);
        let mut show = c.show_positioned();
        let mut items = show.items();
        // Where the pen stands after the glyphs shown so far, in points from the run's start.
        let mut pen = f64::from(pt(first.x));
        let mut codes = Vec::new();
        while let Some(g) = glyphs.get(i) {
            let Some(gr) = g.atom.glyph() else { break };
            if gr.face != r.face || g.atom.size() != size || (g.y - first.y).abs() > 1e-6 {
                break;
            }
            // PDF text space moves left by adjust/1000 em; a tenth of a unit is fine enough.
            let adjust = ((pen - g.x) * 1000.0 / size * 10.0).round() / 10.0;
            if adjust != 0.0 {
                if !codes.is_empty() {
                    items.show(Str(&codes));
                    codes.clear();
                }
                items.adjust(adjust as f32);
                pen -= adjust * size / 1000.0;
            }
            let (cid, width) = f.cid(gr.gid);
            codes.extend_from_slice(&cid.to_be_bytes());
            pen += f64::from(width) * size / 1000.0;
            i += 1;
        }
        if !codes.is_empty() {
            items.show(Str(&codes));
        }
    }
    c.end_text();
    for m in page.marks() {
        if let Mark::Rule {
            x1,
            y1,
            x2,
            y2,
            width,
        } = m
        {
            c.set_line_width(pt(width));
            c.move_to(pt(x1), pt(PAGE_H - y1));
            c.line_to(pt(x2), pt(PAGE_H - y2));
            c.stroke();
        }
    }
    c.restore_state();
    c.finish().into_vec()
}

/// 16 bytes that identify the content (two FNV-1a hashes), for the trailer's /ID.
fn content_id(bytes: &[u8]) -> Vec<u8> {
    use crate::fnv::{Fnv1a, OFFSET};
    // Two seeds: the offset basis and its halves swapped.
    [OFFSET, OFFSET.rotate_left(32)]
        .iter()
        .flat_map(|&seed| {
            let mut h = Fnv1a::with_seed(seed);
            h.write(bytes.iter().copied());
            h.finish().to_be_bytes()
        })
        .collect()
}
