//! The fonts of a PDF: each face the layout uses, subset to its glyphs and embedded as a
//! Type 0 font over a CID font (CIDFontType2 for TrueType outlines, CIDFontType0 with a
//! bare CFF program for CFF outlines), with widths and a ToUnicode map so that text can be
//! searched and copied.

use super::{deflate, PdfError, Refs};
use crate::fonts::{Face, FontSet};
use crate::typeset::{Layout, Mark};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use rayon::prelude::*;
use std::collections::BTreeMap;

const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// One face as embedded: its objects, and the CID and width of each glyph it shows.
pub struct Embedded {
    face: usize,
    /// The name pages use for it (`F0`, `F1` …, from the face's place in the font set).
    pub resource: String,
    pub type0: Ref,
    cid_font: Ref,
    descriptor: Ref,
    program: Ref,
    to_unicode: Ref,
    /// Original glyph id → (CID, width in thousandths of an em).
    glyphs: BTreeMap<u16, (u16, f32)>,
    tag: String,
}

/// A face's subset font program and ToUnicode map, deflated, and whether its outlines are
/// CFF.
pub struct Program {
    data: Vec<u8>,
    cff: bool,
    to_unicode: Vec<u8>,
}

impl Embedded {
    /// The CID and width of an original glyph.
    pub fn cid(&self, gid: u16) -> (u16, f32) {
        self.glyphs.get(&gid).copied().unwrap_or((0, 0.0))
    }

    /// Writes the font's objects, with its program.
    pub fn write(&self, pdf: &mut Pdf, fonts: &FontSet, program: &Program) {
        let face = &fonts.faces[self.face];
        let cff = program.cff;
        let name = format!("{}+{}", self.tag, face.postscript_name);
        let base = Name(name.as_bytes());
        pdf.type0_font(self.type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(self.cid_font)
            .to_unicode(self.to_unicode);

        let mut cid = pdf.cid_font(self.cid_font);
        cid.subtype(if cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(base)
        .system_info(IDENTITY)
        .font_descriptor(self.descriptor)
        .default_width(DEFAULT_WIDTH);
        if !cff {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        let mut widths = cid.widths();
        for (first, run) in width_runs(self.glyphs.values().copied()) {
            widths.consecutive(first, run);
        }
        widths.finish();
        cid.finish();

        let metrics = Metrics::read(face);
        let mut d = pdf.font_descriptor(self.descriptor);
        d.name(base)
            .flags(metrics.flags)
            .bbox(metrics.bbox)
            .italic_angle(metrics.italic_angle)
            .ascent(metrics.ascent)
            .descent(metrics.descent)
            .cap_height(metrics.cap_height)
            .stem_v(metrics.stem_v);
        if cff {
            d.font_file3(self.program);
        } else {
            d.font_file2(self.program);
        }
        d.finish();

        let mut stream = pdf.stream(self.program, &program.data);
        stream.filter(Filter::FlateDecode);
        if cff {
            stream.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        }
        stream.finish();

        pdf.stream(self.to_unicode, &program.to_unicode)
            .filter(Filter::FlateDecode);
    }
}

/// A face to subset: its font program, the glyphs the layout shows of it and their ids in
/// the subset.
pub struct Job<'f> {
    label: String,
    data: &'f [u8],
    index: u32,
    ids: subsetter::GlyphRemapper,
    /// The ToUnicode map, to deflate.
    to_unicode: Vec<u8>,
}

/// The width of a CID font's glyph when the W array gives none (ISO 32000-1 §9.7.4.3).
const DEFAULT_WIDTH: f32 = 1000.0;

/// The W array's entries for glyphs given as (CID, width): widths other than the default,
/// each run of consecutive CIDs as one entry (first CID, widths). A CJK face's glyphs are
/// nearly all 1000 wide and need no entry at all.
fn width_runs(glyphs: impl Iterator<Item = (u16, f32)>) -> Vec<(u16, Vec<f32>)> {
    let mut by_cid: Vec<(u16, f32)> = glyphs.filter(|&(_, w)| w != DEFAULT_WIDTH).collect();
    by_cid.sort_by_key(|(c, _)| *c);
    by_cid
        .chunk_by(|a, b| b.0 == a.0 + 1)
        .map(|run| (run[0].0, run.iter().map(|&(_, w)| w).collect()))
        .collect()
}

/// Every face the layout uses, as it will be embedded (object numbers taken from `refs`), and
/// the subsets to make of them ([`programs`]), in face order. Pages can be written from the
/// first while the second are made: a glyph's CID is its place in the subset, known now.
/// (The widths are read here: a face's glyph cache is not shared between threads.)
pub fn plan<'f>(
    layout: &Layout,
    fonts: &'f FontSet,
    refs: &mut Refs,
) -> (BTreeMap<u16, Embedded>, Vec<Job<'f>>) {
    let mut used: BTreeMap<u16, BTreeMap<u16, char>> = BTreeMap::new();
    for page in &layout.pages {
        for m in page.marks() {
            if let Mark::Glyph(g) = m {
                if let Some(r) = g.atom.glyph() {
                    used.entry(r.face).or_default().entry(r.gid).or_insert(g.atom.ch);
                }
            }
        }
    }
    let mut embedded = BTreeMap::new();
    let mut jobs = Vec::new();
    for (face_index, text) in used {
        let face = &fonts.faces[usize::from(face_index)];
        let gids: Vec<u16> = text.keys().copied().filter(|g| *g != 0).collect();
        let ids = crate::fonts::glyph_ids(&gids);
        let scale = 1000.0 / face.units_per_em;
        let glyphs = gids
            .iter()
            .map(|&g| {
                let advance = text.get(&g).and_then(|c| face.glyph(*c)).map_or(0, |(_, a)| a);
                let cid = ids.get(g).unwrap_or(0);
                (
                    g,
                    (cid, ((f64::from(advance) * scale * 10.0).round() / 10.0) as f32),
                )
            })
            .collect();
        let mut to_unicode = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
        for (gid, ch) in &text {
            to_unicode.pair(ids.get(*gid).unwrap_or(0), *ch);
        }
        embedded.insert(
            face_index,
            Embedded {
                face: usize::from(face_index),
                resource: format!("F{face_index}"),
                type0: refs.next(),
                cid_font: refs.next(),
                descriptor: refs.next(),
                program: refs.next(),
                to_unicode: refs.next(),
                glyphs,
                tag: subset_tag(&face.postscript_name, &gids),
            },
        );
        jobs.push(Job {
            label: face.label.clone(),
            data: &face.data,
            index: face.index,
            ids,
            to_unicode: to_unicode.finish().into_vec(),
        });
    }
    (embedded, jobs)
}

/// Each job's subset, its program deflated, on all cores; in the jobs' order.
pub fn programs(jobs: &[Job]) -> Result<Vec<Program>, PdfError> {
    // The face with the most glyphs first (the body text's, by far the longest to subset and
    // deflate): started last, it was a short build's tail.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].ids.num_gids()));
    let mut made: Vec<(usize, Result<Program, String>)> = order
        .par_iter()
        .map(|&i| {
            let job = &jobs[i];
            let made = crate::fonts::subset(job.data, job.index, &job.ids).map(|data| {
                let (data, cff) = match cff_table(&data) {
                    Some(cff) => (cff, true),
                    None => (data, false),
                };
                // The programs are the bulk of a short document's bytes.
                Program {
                    data: deflate(&data),
                    cff,
                    to_unicode: deflate(&job.to_unicode),
                }
            });
            (i, made)
        })
        .collect();
    made.sort_by_key(|(i, _)| *i);
    made.into_iter()
        .map(|(i, made)| {
            made.map_err(|reason| PdfError::Subset {
                font: jobs[i].label.clone(),
                reason,
            })
        })
        .collect()
}

/// The bare `CFF ` table of a CFF-outlined subset: what `/FontFile3 /CIDFontType0C` holds.
fn cff_table(sfnt: &[u8]) -> Option<Vec<u8>> {
    let raw = ttf_parser::RawFace::parse(sfnt, 0).ok()?;
    raw.table(ttf_parser::Tag::from_bytes(b"CFF "))
        .map(<[u8]>::to_vec)
}

/// Six capital letters naming a subset (ISO 32000-1 §9.6.4), from what it contains, so
/// that the same document always gets the same tag.
fn subset_tag(name: &str, gids: &[u16]) -> String {
    let h = crate::fnv::hash(name.bytes().chain(gids.iter().flat_map(|g| g.to_be_bytes())));
    (0..6)
        .map(|i| (b'A' + ((h >> (i * 8)) % 26) as u8) as char)
        .collect()
}

/// What a font descriptor says of a face, in thousandths of an em, read from its `head`,
/// `hhea`, `OS/2` and `post` tables.
struct Metrics {
    flags: FontFlags,
    bbox: Rect,
    italic_angle: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    stem_v: f32,
}

impl Metrics {
    fn read(face: &Face) -> Metrics {
        use ttf_parser::{head, hhea, os2, post, RawFace, Tag};
        let raw = RawFace::parse(&face.data, face.index).ok();
        let table = |t: &[u8; 4]| raw.as_ref().and_then(|r| r.table(Tag::from_bytes(t)));
        let s = 1000.0 / face.units_per_em as f32;
        let head = table(b"head").and_then(head::Table::parse);
        let hhea = table(b"hhea").and_then(hhea::Table::parse);
        let os2 = table(b"OS/2").and_then(os2::Table::parse);
        let post = table(b"post").and_then(post::Table::parse);
        let bbox = head.map_or(Rect::new(0.0, -120.0, 1000.0, 880.0), |h| {
            let b = h.global_bbox;
            Rect::new(
                f32::from(b.x_min) * s,
                f32::from(b.y_min) * s,
                f32::from(b.x_max) * s,
                f32::from(b.y_max) * s,
            )
        });
        // The design ascender and descender (OS/2 typo metrics: the ideographic em box of a
        // CJK font), so that readers draw every face's text boxes on one baseline alike; the
        // hhea line gap values differ from face to face by a tenth of an em.
        let ascent = os2
            .as_ref()
            .map(|o| f32::from(o.typographic_ascender()) * s)
            .or_else(|| hhea.map(|h| f32::from(h.ascender) * s))
            .unwrap_or(880.0);
        let descent = os2
            .as_ref()
            .map(|o| f32::from(o.typographic_descender()) * s)
            .or_else(|| hhea.map(|h| f32::from(h.descender) * s))
            .unwrap_or(-120.0);
        let italic_angle = post.map_or(0.0, |p| p.italic_angle);
        let weight = os2.as_ref().map_or(400, |o| o.weight().to_number());
        let mut flags = FontFlags::SYMBOLIC;
        if face.postscript_name.contains("Serif") || face.postscript_name.contains("Song") {
            flags |= FontFlags::SERIF;
        }
        if italic_angle != 0.0 {
            flags |= FontFlags::ITALIC;
        }
        Metrics {
            flags,
            bbox,
            italic_angle,
            ascent,
            descent,
            cap_height: os2
                .as_ref()
                .and_then(ttf_parser::os2::Table::capital_height)
                .map_or(ascent, |c| f32::from(c) * s),
            // No table says it; the usual estimate from the weight class.
            stem_v: 10.0 + 0.244 * (f32::from(weight) - 50.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widths_array_gives_every_glyph_its_width() {
        let glyphs = [
            (7, 500.0),
            (1, 1000.0),
            (3, 250.0),
            (2, 556.0),
            (4, 1000.0),
            (5, 556.0),
            (6, 278.0),
        ];
        let runs = width_runs(glyphs.into_iter());
        assert_eq!(
            runs,
            [(2, vec![556.0, 250.0]), (5, vec![556.0, 278.0, 500.0])],
            "the default left out, consecutive CIDs in one entry"
        );
        // Read back as a PDF reader reads it, every glyph has its width.
        let width = |cid: u16| {
            runs.iter()
                .find_map(|(first, ws)| ws.get(usize::from(cid.checked_sub(*first)?)).copied())
                .unwrap_or(DEFAULT_WIDTH)
        };
        for (cid, w) in glyphs {
            assert_eq!(width(cid), w, "CID {cid}");
        }
    }
}
