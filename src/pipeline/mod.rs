//! The one way through the program that every client takes (the commands, the tests, the
//! benchmarks, a web server): load a report or a 汇编 and check it → compose it into one
//! document → lay it out once → render the requested formats → write them all or none.
//! Problems are collected in the [`Ctx`]; nothing here prints.

mod compilation;
mod snapshot;

use crate::diag::{Diag, Loc};
use crate::document::Document;
use crate::figures::Figures;
use crate::fonts::FontSet;
use crate::gbt9704::Role;
use crate::load::{Ctx, IoFailure};
use crate::model::FontOverrides;
use crate::model::Report;
use crate::writers::{file_stem, Format};
use std::path::{Path, PathBuf};

pub use compilation::{check_parts, PartCheck};
pub use snapshot::{last_snapshot, snapshot_file, Snapshot, SnapshotError, SNAPSHOT_SUFFIX};

/// A report that loaded, with its figures. Check `ctx.diags.has_errors()` before using it.
pub struct Checked {
    pub report: Report,
    pub figures: Figures,
}

/// Loads a report, checks it across records, computes its figures and checks 核对.
pub fn check(ctx: &mut Ctx, path: &Path) -> Result<Option<Checked>, IoFailure> {
    let Some(report) = crate::load::load_report(ctx, path)? else {
        return Ok(None);
    };
    crate::validate::check(&report, &mut ctx.diags);
    let figures = crate::figures::compute(&report);
    crate::figures::verify::check(&report, &figures, &mut ctx.diags);
    Ok(Some(Checked { report, figures }))
}

/// Is `path` a 汇编 (its file, or a folder holding one) rather than a report?
pub fn is_compilation(path: &Path) -> bool {
    crate::load::compilation::is_compilation(path)
}

/// A document ready to render: composed from one report or from every 篇 of a 汇编.
pub struct Prepared {
    pub doc: Document,
    /// Each 篇's report and figures, in order (one for a report on its own).
    pub parts: Vec<Checked>,
    /// The font overrides that apply (a 汇编's own for the whole volume).
    pub fonts: FontOverrides,
    /// The folder font files and default outputs are relative to.
    pub dir: PathBuf,
}

/// Loads, checks and composes a report or a 汇编. None when there are errors (in `ctx`).
pub fn prepare(ctx: &mut Ctx, path: &Path) -> Result<Option<Prepared>, IoFailure> {
    // Typesetting will want the word list and the installed fonts' names: a second core
    // reads them meanwhile.
    crate::words::warm();
    crate::fonts::warm();
    if is_compilation(path) {
        return compilation::prepare(ctx, path);
    }
    let Some(c) = check(ctx, path)? else {
        return Ok(None);
    };
    if ctx.diags.has_errors() {
        return Ok(None);
    }
    Ok(compose(ctx, c))
}

/// Composes a checked report into its document. None when composing finds errors (unknown
/// figure names in the text, a template that does not render).
pub fn compose(ctx: &mut Ctx, c: Checked) -> Option<Prepared> {
    let doc = crate::compose::compose(ctx, &c.report, &c.figures, None)?;
    Some(Prepared {
        doc,
        fonts: c.report.fonts.clone(),
        dir: c.report.path.parent().unwrap_or(Path::new("")).to_path_buf(),
        parts: vec![c],
    })
}

/// One rendered output: its format, bytes and, for paged formats, how many pages our
/// layout gives.
pub struct Rendered {
    pub format: Format,
    pub bytes: Vec<u8>,
    pub pages: Option<usize>,
    /// For the PDF: the faces its glyphs come from (installed or built in), first used first.
    pub faces: Vec<String>,
}

/// Why a format could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("无法生成 DOCX：{0}")]
    Docx(#[from] crate::writers::docx::DocxError),
    #[error("无法生成 PDF：{0}")]
    Pdf(#[from] crate::writers::pdf::PdfError),
}

/// Renders `formats`. The document is laid out at most once: the PDF draws the layout, the
/// DOCX takes its title breaks and page numbers from it. Characters no font has are reported
/// (as warnings in `ctx`) at their first place in the input files.
pub fn render(ctx: &mut Ctx, p: &Prepared, formats: &[Format]) -> Result<Vec<Rendered>, RenderError> {
    let paged = formats.iter().any(|f| matches!(f, Format::Pdf | Format::Docx));
    let laid_out = paged.then(|| lay_out(ctx, p));
    let mut out = Vec::new();
    for &format in formats {
        let mut faces = Vec::new();
        let (bytes, pages) = match (format, &laid_out) {
            (Format::Txt, _) => (crate::writers::text::write(&p.doc).into_bytes(), None),
            (Format::Md, _) => (crate::writers::markdown::write(&p.doc).into_bytes(), None),
            (Format::Docx, Some((_, layout))) => {
                let names = crate::writers::docx::FontNames::default().with_overrides(&p.fonts.overrides);
                let bytes = crate::writers::docx::write(&p.doc, &names, &layout.facts())?;
                (bytes, Some(layout.pages.len()))
            }
            (Format::Pdf, Some((fonts, layout))) => {
                let bytes = crate::writers::pdf::write(&p.doc, layout, fonts)?;
                faces = faces_used(layout, fonts);
                (bytes, Some(layout.pages.len()))
            }
            (Format::Docx | Format::Pdf, None) => unreachable!("paged formats are laid out above"),
        };
        out.push(Rendered {
            format,
            bytes,
            pages,
            faces,
        });
    }
    Ok(out)
}

/// A document laid out once, for the live preview: its page count, and any page drawn as SVG
/// when it is asked for (a page takes a few milliseconds; the layout is not redone).
pub struct Preview {
    fonts: FontSet,
    layout: crate::typeset::Layout,
}

/// Lays `p` out as the PDF would be, for [`Preview::page_svg`]. Characters no font has are
/// warnings in `ctx`, as in [`render`].
pub fn preview(ctx: &mut Ctx, p: &Prepared) -> Preview {
    let (fonts, layout) = lay_out(ctx, p);
    Preview { fonts, layout }
}

impl Preview {
    /// How many pages the PDF has.
    pub fn pages(&self) -> usize {
        self.layout.pages.len()
    }

    /// Page `index` (from 0) as a standalone SVG document: A4 in points, the fonts' own
    /// outlines, an invisible text layer for search. None past the last page.
    pub fn page_svg(&self, index: usize) -> Option<String> {
        (index < self.pages()).then(|| crate::writers::svg::page_svg(&self.layout, &self.fonts, index))
    }
}

/// The labels of the faces `layout` draws glyphs from, in order of first use; a face drawn
/// both plain and stroked (synthetic bold) is named once.
fn faces_used(layout: &crate::typeset::Layout, fonts: &FontSet) -> Vec<String> {
    let mut seen = Vec::new();
    for page in &layout.pages {
        for mark in page.marks() {
            if let crate::typeset::Mark::Glyph(g) = mark {
                if let Some(r) = g.atom.glyph() {
                    let label = &fonts.faces[usize::from(r.face)].label;
                    if !seen.contains(label) {
                        seen.push(label.clone());
                    }
                }
            }
        }
    }
    seen
}

/// The faces that serve a font role: the name the DOCX gives it, and the PDF's faces in the
/// order they are tried.
pub struct RoleFaces {
    pub role: Role,
    pub docx: String,
    pub pdf: Vec<String>,
}

/// Which faces serve each role under `fonts` (problems opening them are warnings in `ctx`).
pub fn role_faces(ctx: &mut Ctx, fonts: &FontOverrides, dir: &Path) -> Vec<RoleFaces> {
    let set = FontSet::load(fonts, dir, &mut ctx.diags);
    let names = crate::writers::docx::FontNames::default().with_overrides(&fonts.overrides);
    Role::ALL
        .into_iter()
        .map(|role| RoleFaces {
            role,
            docx: names.of(role).to_owned(),
            pdf: set
                .chain(role)
                .map(|f| {
                    if f.synthetic_bold {
                        format!("{}（描边加粗）", f.label)
                    } else {
                        f.label.clone()
                    }
                })
                .collect(),
        })
        .collect()
}

/// Lays the document out to find the characters no font has; each is a warning in `ctx` at
/// its first place in the input files. Returns how many there are.
pub fn missing_characters(ctx: &mut Ctx, p: &Prepared) -> usize {
    lay_out(ctx, p).1.missing.len()
}

/// `p` laid out in its fonts, as every client lays it out: problems with the fonts (a 字体
/// file that cannot be read) and characters no font has are warnings in `ctx`.
fn lay_out(ctx: &mut Ctx, p: &Prepared) -> (FontSet, crate::typeset::Layout) {
    let fonts = FontSet::load(&p.fonts, &p.dir, &mut ctx.diags);
    let layout = crate::typeset::layout(&p.doc, &fonts);
    report_missing(ctx, &layout.missing);
    (fonts, layout)
}

/// Reports characters no font has, at their first place in the input files.
fn report_missing(ctx: &mut Ctx, missing: &[char]) {
    for &c in missing {
        let place = ctx.sources.iter().find_map(|(id, f)| {
            let (line_no, line) = f.text.lines().enumerate().find(|(_, l)| l.contains(c))?;
            let col = line.chars().position(|x| x == c)? + 1;
            Some(Loc {
                file: id,
                line: line_no as u32 + 1,
                col: col as u32,
                len: 1,
            })
        });
        let title = format!("字符“{c}”（U+{:04X}）没有任何字体能显示", c as u32);
        let help = "PDF 中这个字符的位置留空。请用 字体: 为相应角色指定含这个字的字体文件，或改用常用字";
        let mut d = Diag::warning(place.unwrap_or_default(), title).help(help);
        d.loc = place;
        ctx.diags.push(d);
    }
}

/// Where each rendered output goes: `dir` (or the report's folder) / the title . extension.
pub fn output_files(p: &Prepared, dir: Option<&Path>, rendered: &[Rendered]) -> Vec<PathBuf> {
    rendered
        .iter()
        .map(|r| beside_outputs(p, dir, &format!(".{}", r.format.extension())))
        .collect()
}

/// A file a build of `p` writes into `dir` (or the report's folder): named after the title,
/// with `ending` (`.pdf`, `.快照.json`).
fn beside_outputs(p: &Prepared, dir: Option<&Path>, ending: &str) -> PathBuf {
    let dir = dir.map_or_else(|| p.dir.clone(), Path::to_path_buf);
    dir.join(format!("{}{ending}", file_stem(&p.doc.title)))
}

/// A file that could not be written, and why.
#[derive(Debug, thiserror::Error)]
#[error(
    "无法写入“{}”：{}。没有改动任何已有的输出文件",
    crate::source::display_path(path),
    crate::fsutil::io_message(source, crate::fsutil::Access::Write)
)]
pub struct WriteError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Writes every output and, beside them, the build's [`Snapshot`] (for `diff` with one
/// argument), all or none: each goes to a temporary file first, and the old files are
/// replaced only when all are complete (see [`crate::fsutil::write_all_atomic`]). The outputs
/// go where [`output_files`] says; their paths are returned.
pub fn write(p: &Prepared, dir: Option<&Path>, rendered: &[Rendered]) -> Result<Vec<PathBuf>, WriteError> {
    let files = output_files(p, dir, rendered);
    let snapshot = Snapshot::json_of(p);
    let snapshot_path = snapshot_file(p, dir);
    if let Some(dir) = snapshot_path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|source| WriteError {
                path: dir.to_path_buf(),
                source,
            })?;
        }
    }
    let mut pairs: Vec<(PathBuf, &[u8])> = files
        .iter()
        .cloned()
        .zip(rendered.iter().map(|r| r.bytes.as_slice()))
        .collect();
    pairs.push((snapshot_path, snapshot.as_bytes()));
    crate::fsutil::write_all_atomic(&pairs).map_err(|(path, source)| WriteError { path, source })?;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_is_the_same_on_one_core_and_on_three() {
        // Its fonts, pages and stream pieces are made on all cores, in whatever order the
        // threads take them; the bytes must not depend on it.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut ctx = Ctx::default();
        let p = prepare(&mut ctx, &root.join("data/qingshanqu")).unwrap().unwrap();
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let mut ctx = Ctx::default();
            pool.install(|| render(&mut ctx, &p, &[Format::Pdf]).unwrap().remove(0).bytes)
        };
        let one = on(1);
        assert!(one == on(3), "one core and three give different PDFs");
        assert!(one == on(3), "two runs on three cores give different PDFs");
    }

    #[test]
    fn pdf_and_docx_share_one_layout() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut ctx = Ctx::default();
        let p = prepare(&mut ctx, &root.join("data/minzhengju")).unwrap().unwrap();
        let before = crate::typeset::layouts_in_this_thread();
        let out = render(&mut ctx, &p, &[Format::Docx, Format::Pdf, Format::Txt]).unwrap();
        assert_eq!(crate::typeset::layouts_in_this_thread() - before, 1);
        assert_eq!(out[0].pages, out[1].pages);
        let before = crate::typeset::layouts_in_this_thread();
        render(&mut ctx, &p, &[Format::Txt, Format::Md]).unwrap();
        assert_eq!(
            crate::typeset::layouts_in_this_thread(),
            before,
            "text needs no layout"
        );
    }

    #[test]
    fn the_preview_is_laid_out_once_and_draws_the_pdf_pages() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut ctx = Ctx::default();
        let p = prepare(&mut ctx, &root.join("data/minzhengju")).unwrap().unwrap();
        let pdf = render(&mut ctx, &p, &[Format::Pdf]).unwrap();
        let before = crate::typeset::layouts_in_this_thread();
        let preview = preview(&mut ctx, &p);
        assert_eq!(Some(preview.pages()), pdf[0].pages);
        let last = preview.page_svg(preview.pages() - 1).unwrap();
        let svg = roxmltree::Document::parse(&last).expect("a whole SVG document");
        assert_eq!(svg.root_element().tag_name().name(), "svg");
        assert!(
            preview.page_svg(preview.pages()).is_none(),
            "no page past the last"
        );
        assert_eq!(preview.page_svg(0), preview.page_svg(0));
        assert_eq!(crate::typeset::layouts_in_this_thread() - before, 1);
        // A server keeps a preview per open report and draws pages on its worker threads.
        fn movable<T: Send + 'static>(_: &T) {}
        movable(&preview);
        movable(&Snapshot::of(&p));
    }
}
