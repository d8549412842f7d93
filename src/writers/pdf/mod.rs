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

/// Deflate level for every stream: zlib-rs's fast strategy. Measured on the three sizes of
/// bench/typst_cli.py, level 6 made the PDFs 2.5–6% smaller and took a sixth of a 4-page
/// build's time, where the PDFs are already smaller than Typst's (BENCHMARKS.md); level 1
/// makes them larger than Typst's.
const LEVEL: u8 = 2;

/// The two-byte zlib header (RFC 1950 §2.2) of a stream deflated at `level`: 32 KB window,
/// the level's class, and the check bits.
const fn zlib_header(level: u8) -> [u8; 2] {
    let class: u16 = match level {
        0 | 1 => 0,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    };
    let head = 0x78_00 | class << 6;
    let head = head + (31 - head % 31) % 31;
    [(head >> 8) as u8, head as u8]
}

/// A stream longer than two pieces is deflated a piece at a time on all cores, as pigz
/// does: the body face's program is a third of a short report's run, on one core otherwise.
const PIECE: usize = 64 << 10;
/// What deflate can refer back to: each piece starts with its predecessor's last 32 KB as
/// its dictionary, so that splitting costs a few bytes, not the matches across the cut.
const WINDOW: usize = 32 << 10;

/// The zlib stream (RFC 1950) of `data`: one piece, or pieces deflated side by side, each
/// ending on a byte boundary (a sync flush) so that they join into one deflate stream.
fn deflate(data: &[u8]) -> Vec<u8> {
    if data.len() <= 2 * PIECE {
        return deflate_piece(data, None, true, true);
    }
    let pieces: Vec<&[u8]> = data.chunks(PIECE).collect();
    let raw: Vec<Vec<u8>> = (0..pieces.len())
        .into_par_iter()
        .map(|i| {
            let dictionary = i
                .checked_sub(1)
                .map(|p| &pieces[p][pieces[p].len().saturating_sub(WINDOW)..]);
            deflate_piece(pieces[i], dictionary, false, i + 1 == pieces.len())
        })
        .collect();
    // The zlib header, the pieces, and the Adler-32 of the whole.
    let mut out = Vec::with_capacity(raw.iter().map(Vec::len).sum::<usize>() + 6);
    out.extend_from_slice(&zlib_header(LEVEL));
    raw.iter().for_each(|r| out.extend_from_slice(r));
    out.extend_from_slice(&adler2::adler32_slice(data).to_be_bytes());
    out
}

/// One piece deflated: a whole zlib stream, or raw deflate data ending in a sync flush (or
/// the final block, for the last piece).
fn deflate_piece(piece: &[u8], dictionary: Option<&[u8]>, zlib: bool, last: bool) -> Vec<u8> {
    // A new compressor each time: one kept and reset between streams keeps the last stream's
    // window, which the match search reads past the end of the data, so that the bytes
    // depended on what the thread had deflated before (a 汇编's font program came out a
    // byte longer when the pages were written alongside).
    let mut z = flate2::Compress::new(flate2::Compression::new(u32::from(LEVEL)), zlib);
    deflate_with(&mut z, piece, dictionary, last)
}

fn deflate_with(z: &mut flate2::Compress, piece: &[u8], dictionary: Option<&[u8]>, last: bool) -> Vec<u8> {
    use flate2::{FlushCompress, Status};
    if let Some(d) = dictionary {
        z.set_dictionary(d)
            .expect("a raw stream takes a dictionary before any data");
    }
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let mut out = Vec::with_capacity(piece.len() / 2 + 64);
    loop {
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity());
        }
        let read = usize::try_from(z.total_in()).expect("a piece is in memory");
        let status = z
            .compress_vec(&piece[read..], &mut out, flush)
            .expect("deflating into memory cannot fail");
        let all_read = usize::try_from(z.total_in()).expect("in memory") == piece.len();
        // Done when the stream has ended, or (a sync flush) all is read and out had room left.
        if status == Status::StreamEnd || (!last && all_read && out.len() < out.capacity()) {
            return out;
        }
    }
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
        let Pages {
            ids: page_ids,
            tree: page_tree,
            stroked,
            embedded,
        } = *self;
        let media = Rect::new(0.0, 0.0, pt(PAGE_W_MM * MM), pt(PAGE_H_MM * MM));
        let mut batch: Vec<Vec<u8>> = Vec::new();
        for (n, &id) in page_ids.iter().enumerate() {
            if n % BATCH == 0 {
                let end = (n + BATCH).min(layout.pages.len());
                batch = layout.pages[n..end]
                    .par_iter()
                    .map(|p| deflate(&content(p, stroked, embedded)))
                    .collect();
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
    fn a_long_stream_deflated_in_pieces_is_one_zlib_stream_of_the_same_size() {
        use std::io::Read as _;
        // 300 KB of a font-like mix: repeats at every distance, some across the pieces' cuts.
        let data: Vec<u8> = (0u32..300_000)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 & if i % 7 < 4 { 0x0f } else { 0xff })
            .collect();
        let pieces = deflate(&data);
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(pieces.as_slice())
            .read_to_end(&mut back)
            .unwrap();
        assert!(back == data, "inflates to the input, Adler-32 checked");
        let whole = deflate_piece(&data, None, true, true);
        assert!(
            pieces.len() <= whole.len() + whole.len() / 100,
            "{} against {}",
            pieces.len(),
            whole.len()
        );
        assert_eq!(deflate(&data), pieces, "the same bytes every time");
        assert_eq!(pieces[..2], whole[..2], "the header zlib writes for the level");
        for level in 0..=9 {
            let mut z = flate2::Compress::new(flate2::Compression::new(level), true);
            let mut out = Vec::with_capacity(64);
            z.compress_vec(b"", &mut out, flate2::FlushCompress::Finish)
                .unwrap();
            assert_eq!(out[..2], zlib_header(level as u8), "level {level}");
        }
    }

    #[test]
    fn a_piece_deflates_to_the_same_bytes_whatever_the_thread_deflated_before() {
        // Part of the body face's program, whose piece 3 a compressor that had just deflated
        // piece 2 and been reset wrote differently: the match search read the old window.
        let font = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/fangsong-regular.ttf")).unwrap();
        let pieces: Vec<&[u8]> = font[400_000..800_000].chunks(PIECE).collect();
        let dictionary = |i: usize| i.checked_sub(1).map(|p| &pieces[p][pieces[p].len() - WINDOW..]);
        let last = |i: usize| i + 1 == pieces.len();
        for i in 1..pieces.len() {
            deflate_piece(pieces[i - 1], dictionary(i - 1), false, last(i - 1));
            let mut new = flate2::Compress::new(flate2::Compression::new(u32::from(LEVEL)), false);
            assert!(
                deflate_piece(pieces[i], dictionary(i), false, last(i))
                    == deflate_with(&mut new, pieces[i], dictionary(i), last(i)),
                "piece {i}"
            );
        }
    }
}
