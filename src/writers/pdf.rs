//! PDF output of a layout (see [`crate::typeset`]): printpdf writes the pages, the fonts
//! and their ToUnicode maps; lopdf adds the outline (bookmarks) and a content-derived file
//! ID. Fonts are subset here with allsorts, to the glyphs the document uses.

use crate::document::Document;
use crate::fonts::FontSet;
use crate::typeset::{Layout, Mark, PAGE_H};
use printpdf::{
    Codepoint, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, TextItem, TextMatrix, TextRenderingMode,
};
use std::collections::BTreeMap;

/// The glyphs each face uses: original glyph id → the text it stands for.
fn used_glyphs(layout: &Layout) -> BTreeMap<usize, BTreeMap<u16, String>> {
    let mut used: BTreeMap<usize, BTreeMap<u16, String>> = BTreeMap::new();
    for page in &layout.pages {
        for m in &page.marks {
            if let Mark::Glyph(g) = m {
                if let Some(r) = g.atom.glyph {
                    used.entry(r.face)
                        .or_default()
                        .entry(r.gid)
                        .or_insert_with(|| g.atom.ch.to_string());
                }
            }
        }
    }
    used
}

/// Six capital letters naming a subset (ISO 32000-1 §9.6.4), from what it contains, so
/// that the same document always gets the same tag.
fn subset_tag(name: &str, gids: &[u16]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain(gids.iter().flat_map(|g| g.to_be_bytes())) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| (b'A' + ((h >> (i * 8)) % 26) as u8) as char)
        .collect()
}

/// Why a PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("字体“{font}”无法取子集：{reason}")]
    Subset { font: String, reason: String },
    #[error("保存失败：{0}")]
    Save(String),
}

/// The PDF's own metadata from the document: title, author, and 成文日期 as the dates.
fn info(doc: &Document, pdf: &mut PdfDocument) {
    let info = &mut pdf.metadata.info;
    info.document_title = doc.title.clone();
    info.author = doc.author.clone();
    info.creator = "zongjie".into();
    info.producer = format!("zongjie {}", env!("CARGO_PKG_VERSION"));
}

/// The document as PDF bytes.
pub fn write(doc: &Document, layout: &Layout, fonts: &FontSet) -> Result<Vec<u8>, PdfError> {
    let mut pdf = PdfDocument::new(&doc.title);
    info(doc, &mut pdf);
    // Each used face becomes a subset font; glyph ids are renumbered by position.
    let mut remap: BTreeMap<(usize, u16), u16> = BTreeMap::new();
    let mut font_ids: BTreeMap<usize, FontId> = BTreeMap::new();
    for (face_index, glyphs) in used_glyphs(layout) {
        let face = &fonts.faces[face_index];
        let gids: Vec<u16> = glyphs.keys().copied().filter(|g| *g != 0).collect();
        let failed = |reason: String| PdfError::Subset {
            font: face.label.clone(),
            reason,
        };
        let bytes = crate::fonts::subset(&face.data, face.index, &gids).map_err(failed)?;
        let mut warnings = Vec::new();
        let mut parsed =
            ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| failed("子集无法读取".into()))?;
        parsed.font_name = Some(format!(
            "{}+{}",
            subset_tag(&face.postscript_name, &gids),
            face.postscript_name
        ));
        for (n, g) in gids.iter().enumerate() {
            remap.insert((face_index, *g), n as u16 + 1);
        }
        let id = FontId(format!("F{face_index}"));
        pdf.resources.fonts.map.insert(id.clone(), PdfFont::new(parsed));
        font_ids.insert(face_index, id);
    }
    let mut pages = Vec::new();
    for page in &layout.pages {
        let mut ops = vec![Op::SaveGraphicsState, Op::StartTextSection];
        let mut current: Option<(usize, f64)> = None;
        let mut rules = Vec::new();
        for m in &page.marks {
            match m {
                Mark::Glyph(g) => {
                    let Some(r) = g.atom.glyph else { continue };
                    if current != Some((r.face, g.atom.size)) {
                        current = Some((r.face, g.atom.size));
                        let bold = fonts.faces[r.face].synthetic_bold;
                        ops.push(Op::SetTextRenderingMode {
                            mode: if bold {
                                TextRenderingMode::FillStroke
                            } else {
                                TextRenderingMode::Fill
                            },
                        });
                        ops.push(Op::SetFont {
                            font: PdfFontHandle::External(font_ids[&r.face].clone()),
                            size: Pt(g.atom.size as f32),
                        });
                    }
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(g.x as f32), Pt((PAGE_H - g.y) as f32)),
                    });
                    let cp = Codepoint {
                        gid: remap[&(r.face, r.gid)],
                        offset: 0.0,
                        cid: Some(g.atom.ch.to_string()),
                    };
                    ops.push(Op::ShowText {
                        items: vec![TextItem::GlyphIds(vec![cp])],
                    });
                }
                Mark::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => rules.push((*x1, *y1, *x2, *y2, *width)),
            }
        }
        ops.push(Op::EndTextSection);
        for (x1, y1, x2, y2, w) in rules {
            let p = |x: f64, y: f64| LinePoint {
                p: Point {
                    x: Pt(x as f32),
                    y: Pt((PAGE_H - y) as f32),
                },
                bezier: false,
            };
            ops.push(Op::SetOutlineThickness { pt: Pt(w as f32) });
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![p(x1, y1), p(x2, y2)],
                    is_closed: false,
                },
            });
        }
        ops.push(Op::RestoreGraphicsState);
        pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    pdf.with_pages(pages);
    let mut warnings = Vec::new();
    let options = PdfSaveOptions {
        subset_fonts: false,
        ..PdfSaveOptions::default()
    };
    let mut lo = pdf.to_lopdf_document(&options, &mut warnings);
    outline::add(&mut lo, layout);
    finish(lo)
}

/// 16 bytes that identify the content (two FNV-1a hashes), for the trailer's /ID.
fn content_id(bytes: &[u8]) -> Vec<u8> {
    let fnv = |seed: u64| {
        bytes
            .iter()
            .fold(seed, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    };
    [fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4)]
        .iter()
        .flat_map(|h| h.to_be_bytes())
        .collect()
}

/// A file ID derived from the content, and the bytes.
fn finish(mut lo: lopdf::Document) -> Result<Vec<u8>, PdfError> {
    lo.trailer.remove(b"ID");
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| PdfError::Save(e.to_string()))?;
    let id = lopdf::Object::String(content_id(&bytes), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| PdfError::Save(e.to_string()))?;
    Ok(out)
}

mod outline {
    //! The document outline: the title of each 篇 with its headings beneath.

    use crate::typeset::{Layout, PAGE_H};
    use lopdf::{Dictionary, Object, ObjectId};

    /// PDF text string: UTF-16BE with a byte-order mark.
    fn text(s: &str) -> Object {
        let mut b = vec![0xFE, 0xFF];
        b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(b, lopdf::StringFormat::Hexadecimal)
    }

    pub fn add(doc: &mut lopdf::Document, layout: &Layout) {
        if layout.outline.is_empty() {
            return;
        }
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let root = doc.new_object_id();
        // Each entry's parent: the nearest earlier entry of a lower level, or the root.
        let ids: Vec<ObjectId> = layout.outline.iter().map(|_| doc.new_object_id()).collect();
        let parent: Vec<Option<usize>> = (0..ids.len())
            .map(|i| {
                (0..i)
                    .rev()
                    .find(|&j| layout.outline[j].level < layout.outline[i].level)
            })
            .collect();
        let children =
            |p: Option<usize>| -> Vec<usize> { (0..ids.len()).filter(|&i| parent[i] == p).collect() };
        let mut dicts: Vec<Dictionary> = Vec::new();
        for (i, e) in layout.outline.iter().enumerate() {
            let mut d = Dictionary::new();
            d.set("Title", text(&e.title));
            d.set("Parent", Object::Reference(parent[i].map_or(root, |p| ids[p])));
            let page = pages.get(e.page).copied().unwrap_or(pages[0]);
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    "XYZ".into(),
                    Object::Null,
                    Object::Real((PAGE_H - e.y) as f32),
                    Object::Null,
                ]),
            );
            dicts.push(d);
        }
        let link = |kids: &[usize], dicts: &mut Vec<Dictionary>| {
            for (n, &k) in kids.iter().enumerate() {
                if n > 0 {
                    dicts[k].set("Prev", Object::Reference(ids[kids[n - 1]]));
                }
                if let Some(&next) = kids.get(n + 1) {
                    dicts[k].set("Next", Object::Reference(ids[next]));
                }
            }
        };
        for i in 0..ids.len() {
            let kids = children(Some(i));
            if let (Some(&f), Some(&l)) = (kids.first(), kids.last()) {
                dicts[i].set("First", Object::Reference(ids[f]));
                dicts[i].set("Last", Object::Reference(ids[l]));
                dicts[i].set("Count", Object::Integer(-(kids.len() as i64)));
            }
            link(&kids, &mut dicts);
        }
        let top = children(None);
        link(&top, &mut dicts);
        for (i, d) in dicts.into_iter().enumerate() {
            doc.objects.insert(ids[i], Object::Dictionary(d));
        }
        let mut r = Dictionary::new();
        r.set("Type", "Outlines");
        if let (Some(&f), Some(&l)) = (top.first(), top.last()) {
            r.set("First", Object::Reference(ids[f]));
            r.set("Last", Object::Reference(ids[l]));
            r.set("Count", Object::Integer(top.len() as i64));
        }
        doc.objects.insert(root, Object::Dictionary(r));
        if let Ok(catalog) = doc.catalog_mut() {
            catalog.set("Outlines", Object::Reference(root));
            catalog.set("PageMode", "UseOutlines");
        }
    }
}
