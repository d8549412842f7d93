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
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Settings, Str, TextStr};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Why a PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("字体“{font}”无法取子集：{reason}")]
    Subset { font: String, reason: String },
}

/// Deflate level for every stream, libdeflate's fastest. Measured on the three sizes of
/// bench/typst_cli.py against zlib-rs at its level 2 (a 64 KB piece of a stream on each
/// core): 20% less time for a 4-page build, 8% for a 300-page 汇编, and the PDFs 0.4–1.2%
/// smaller; libdeflate's level 2 costs half as much again for 0.1–2% (BENCHMARKS.md).
const LEVEL: i32 = 1;

/// The zlib stream (RFC 1950) of `data`.
fn deflate(data: &[u8]) -> Vec<u8> {
    use libdeflater::{CompressionLvl, Compressor};
    thread_local! {
        // A compressor a thread, kept between streams: libdeflate compresses each buffer
        // from scratch, so that what a thread deflated before does not change the bytes
        // (a test holds it to that), and a new one allocates its tables each time.
        static KEPT: std::cell::RefCell<Option<Compressor>> = const { std::cell::RefCell::new(None) };
    }
    KEPT.with_borrow_mut(|kept| {
        let compressor =
            kept.get_or_insert_with(|| Compressor::new(CompressionLvl::new(LEVEL).unwrap_or_default()));
        let mut out = vec![0; compressor.zlib_compress_bound(data.len())];
        let len = compressor
            .zlib_compress(data, &mut out)
            .expect("the output has room for the bound libdeflate gives");
        out.truncate(len);
        out
    })
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
    let (embedded, jobs) = font::plan(layout, fonts, &mut refs);
    let page_ids: Vec<Ref> = layout.pages.iter().map(|_| refs.next()).collect();

    // Written compact, as a reader needs it: the pretty form's indentation was 2 KB of a
    // 4-page PDF.
    let mut pdf = Pdf::with_settings(Settings { pretty: false });
    // The pages are written while the fonts are subset: both are deflating, and a short
    // document's fonts took as long as its pages.
    let stroked: Vec<bool> = fonts.faces.iter().map(|f| f.synthetic_bold).collect();
    let pages = Pages {
        ids: &page_ids,
        tree: page_tree,
        stroked: &stroked,
        embedded: &embedded,
    };
    let (programs, ()) = rayon::join(
        || font::programs(&jobs),
        || pages.write(&mut pdf, layout, &mut refs),
    );
    for (f, program) in embedded.values().zip(&programs?) {
        f.write(&mut pdf, fonts, program);
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

/// What the page objects refer to. (A page needs of the font set only which faces are
/// stroked: the set is not shared between threads.)
struct Pages<'a> {
    ids: &'a [Ref],
    tree: Ref,
    stroked: &'a [bool],
    embedded: &'a BTreeMap<u16, font::Embedded>,
}

impl Pages<'_> {
    /// Writes the pages in batches: each batch's content streams are built and deflated on
    /// all cores, then written, so that memory holds one batch of streams, not the document's.
    fn write(&self, pdf: &mut Pdf, layout: &Layout, refs: &mut Refs) {
        let media = Rect::new(0.0, 0.0, pt(PAGE_W_MM * MM), pt(PAGE_H_MM * MM));
        let mut batch: Vec<Vec<u8>> = Vec::new();
        for (n, &id) in self.ids.iter().enumerate() {
            if n % BATCH == 0 {
                let end = (n + BATCH).min(layout.pages.len());
                batch = layout.pages[n..end]
                    .par_iter()
                    .map(|p| deflate(&content(p, self.stroked, self.embedded)))
                    .collect();
            }
            let contents = refs.next();
            let data = std::mem::take(&mut batch[n % BATCH]);
            pdf.stream(contents, &data).filter(Filter::FlateDecode);
            let mut p = pdf.page(id);
            p.parent(self.tree).media_box(media).contents(contents);
            let mut resources = p.resources();
            let mut map = resources.fonts();
            for f in self.embedded.values() {
                map.pair(Name(f.resource.as_bytes()), f.type0);
            }
        }
    }
}

/// One page's content: text first (runs of glyphs on one baseline in one font as a single
/// TJ with the offsets the layout chose), then the ruled lines.
fn content(page: &Page, stroked: &[bool], embedded: &BTreeMap<u16, font::Embedded>) -> Vec<u8> {
    let mut c = Content::with_settings(Settings { pretty: false });
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
            c.set_text_rendering_mode(if stroked[usize::from(r.face)] {
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
    for r in page.rules() {
        c.set_line_width(pt(r.width));
        c.move_to(pt(r.x1), pt(PAGE_H - r.y1));
        c.line_to(pt(r.x2), pt(PAGE_H - r.y2));
        c.stroke();
    }
    c.restore_state();
    c.finish().into_vec()
}

/// 16 bytes that identify the content, for the trailer's /ID: its 128-bit XXH3 hash (a
/// specified algorithm, the same in every build). Two byte-at-a-time FNV hashes took a
/// 4-page build half a millisecond.
fn content_id(bytes: &[u8]) -> Vec<u8> {
    xxhash_rust::xxh3::xxh3_128(bytes).to_be_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_inflates_to_its_data() {
        use std::io::Read as _;
        let font = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/fangsong-regular.ttf")).unwrap();
        for data in [&font[..0], &font[..1], &font[400_000..800_000]] {
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(deflate(data).as_slice())
                .read_to_end(&mut back)
                .unwrap();
            assert!(back == data, "inflates to the input, Adler-32 checked");
        }
    }

    #[test]
    fn a_stream_deflates_to_the_same_bytes_whatever_the_thread_deflated_before() {
        // Parts of the body face's program, one of which a kept and reset zlib-rs compressor
        // wrote differently after its neighbour: the match search read the old window.
        let font = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/fangsong-regular.ttf")).unwrap();
        let pieces: Vec<&[u8]> = font[400_000..800_000].chunks(64 << 10).collect();
        let alone: Vec<Vec<u8>> = pieces
            .iter()
            .map(|p| std::thread::scope(|s| s.spawn(|| deflate(p)).join().unwrap()))
            .collect();
        for (i, piece) in pieces.iter().enumerate() {
            deflate(pieces[(i + 1) % pieces.len()]);
            deflate(&font[..i * 1000]);
            assert!(deflate(piece) == alone[i], "piece {i}");
        }
    }
}
