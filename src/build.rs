//! `zongjie build`: load, check, compose, and write each requested format atomically.
//! Nothing is written when the data or the template has errors.

use crate::cli::{say, tell, tell_raw, EXIT_DATA, EXIT_OK, EXIT_USAGE};
use crate::load::Ctx;
use crate::source::display_path;
use crate::writers::{file_stem, Format};
use std::path::Path;

fn formats(names: &[String]) -> Result<Vec<Format>, String> {
    let mut out = Vec::new();
    for n in names.iter().filter(|n| !n.trim().is_empty()) {
        match Format::parse(n) {
            Some(f) if !out.contains(&f) => out.push(f),
            Some(_) => {}
            None => return Err(format!("不认识的输出格式“{n}”，可用：docx、pdf、txt、md")),
        }
    }
    if out.is_empty() {
        return Err("没有指定输出格式，可用：docx、pdf、txt、md".into());
    }
    Ok(out)
}

/// Reports characters no font has, at their first place in the input files.
fn report_missing(ctx: &mut Ctx, missing: &[char]) {
    for &c in missing {
        let place = ctx.sources.iter().enumerate().find_map(|(id, f)| {
            let (line_no, line) = f.text.lines().enumerate().find(|(_, l)| l.contains(c))?;
            let col = line.chars().position(|x| x == c)? + 1;
            Some(crate::diag::Loc {
                file: id,
                line: line_no as u32 + 1,
                col: col as u32,
                len: 1,
            })
        });
        let title = format!("字符“{c}”（U+{:04X}）没有任何字体能显示", c as u32);
        let help = "PDF 中这个字符的位置留空。请用 字体: 为相应角色指定含这个字的字体文件，或改用常用字";
        let mut d = crate::diag::Diag::warning(place.unwrap_or_default(), title).help(help);
        d.loc = place;
        ctx.diags.push(d);
    }
}

/// A document ready to render, with the font overrides that apply to it.
pub struct Prepared {
    pub doc: crate::document::Document,
    pub fonts: indexmap::IndexMap<String, crate::model::Text>,
    /// The folder font files and default outputs are relative to.
    pub dir: std::path::PathBuf,
}

/// Loads, checks and composes a report or a 汇编. None when there are errors (in `ctx`).
pub fn prepare(ctx: &mut Ctx, path: &Path) -> Result<Option<Prepared>, crate::load::IoFailure> {
    if crate::load::compilation::is_compilation(path) {
        return crate::compile::prepare(ctx, path);
    }
    let Some(c) = crate::check_report(ctx, path)? else {
        return Ok(None);
    };
    if ctx.diags.has_errors() {
        return Ok(None);
    }
    let Some(doc) = crate::compose::compose(ctx, &c.report, &c.figures) else {
        return Ok(None);
    };
    let dir = c.report.path.parent().unwrap_or(Path::new("")).to_path_buf();
    Ok(Some(Prepared {
        doc,
        fonts: c.report.fonts,
        dir,
    }))
}

/// A rendered output: its bytes and, for paged formats, how many pages our layout gives.
pub struct Output {
    pub bytes: Vec<u8>,
    pub pages: Option<usize>,
}

/// Renders the document in `format`, or says why it cannot.
pub fn render(ctx: &mut Ctx, p: &Prepared, format: Format) -> Result<Output, String> {
    let doc = &p.doc;
    let plain = |bytes: Vec<u8>| Output { bytes, pages: None };
    match format {
        Format::Txt => Ok(plain(crate::writers::text::write(doc).into_bytes())),
        Format::Md => Ok(plain(crate::writers::markdown::write(doc).into_bytes())),
        Format::Docx => {
            let names = crate::writers::docx::FontNames::default()
                .with_overrides(p.fonts.iter().map(|(role, t)| (role.as_str(), t.text.as_str())));
            // Our layout gives a 汇编's 目录 its page numbers, and the page count shown.
            let fonts = crate::fonts::FontSet::load(&p.fonts, &p.dir, &mut crate::diag::Diags::default());
            let layout = crate::typeset::layout(doc, &fonts);
            let bytes = crate::writers::docx::write(doc, &names, &layout.facts())
                .map_err(|e| format!("无法生成 DOCX：{e}"))?;
            Ok(Output {
                bytes,
                pages: Some(layout.pages.len()),
            })
        }
        Format::Pdf => {
            let fonts = crate::fonts::FontSet::load(&p.fonts, &p.dir, &mut ctx.diags);
            let layout = crate::typeset::layout(doc, &fonts);
            report_missing(ctx, &layout.missing);
            let bytes =
                crate::writers::pdf::write(doc, &layout, &fonts).map_err(|e| format!("无法生成 PDF：{e}"))?;
            Ok(Output {
                bytes,
                pages: Some(layout.pages.len()),
            })
        }
    }
}

fn show(ctx: &mut Ctx) {
    ctx.diags.sort();
    tell_raw!("{}", ctx.diags.render(&ctx.sources, crate::cli::color()));
}

pub fn run(path: &Path, format_names: &[String], output: Option<&Path>, watch: bool) -> i32 {
    let formats = match formats(format_names) {
        Ok(f) => f,
        Err(msg) => {
            tell!("错误: {msg}");
            return EXIT_USAGE;
        }
    };
    if watch {
        return watch_loop(path, &formats, output);
    }
    build_once(path, &formats, output, &mut Ctx::default())
}

/// The files a run read, with their modification time and size, to notice a change.
fn stamps(ctx: &Ctx) -> Vec<(std::path::PathBuf, Option<(std::time::SystemTime, u64)>)> {
    let mut paths: Vec<std::path::PathBuf> = ctx
        .sources
        .iter()
        .map(|f| f.path.clone())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .map(|p| {
            let stamp = std::fs::metadata(&p)
                .ok()
                .and_then(|m| Some((m.modified().ok()?, m.len())));
            (p, stamp)
        })
        .collect()
}

/// `build --watch`: builds, then rebuilds whenever an input file changes, saying what changed
/// in the figures. A failed rebuild shows its errors and leaves the outputs as they were.
fn watch_loop(path: &Path, formats: &[Format], output: Option<&Path>) -> i32 {
    let mut previous: Option<Vec<(String, String)>> = None;
    loop {
        let mut ctx = Ctx::default();
        let code = build_once(path, formats, output, &mut ctx);
        if code == EXIT_OK {
            let mut figures_ctx = Ctx::default();
            if let Ok(Some(now)) = crate::diff::snapshot(&mut figures_ctx, path) {
                if let Some(before) = &previous {
                    let changes = crate::diff::figure_changes(before, &now.figures);
                    if changes.is_empty() {
                        say!("数字没有变化。");
                    }
                    for (name, a, b) in changes {
                        say!("  {name}：{a} → {b}");
                    }
                }
                previous = Some(now.figures);
            }
        } else if code == EXIT_USAGE && ctx.sources.iter().next().is_none() {
            return code;
        } else {
            say!("本次没有生成文件，原有的输出保持不变。");
        }
        let watched = stamps(&ctx);
        say!("正在监视 {} 个文件的改动（按 Ctrl+C 结束）……", watched.len());
        loop {
            std::thread::sleep(std::time::Duration::from_millis(200));
            let now = stamps(&ctx);
            if let Some((p, _)) = now.iter().zip(&watched).find(|(a, b)| a != b).map(|(a, _)| a) {
                say!("\n检测到改动：{}，重新生成……", display_path(p));
                break;
            }
        }
    }
}

fn build_once(path: &Path, formats: &[Format], output: Option<&Path>, ctx: &mut Ctx) -> i32 {
    let ctx = &mut *ctx;
    let prepared = match prepare(ctx, path) {
        Ok(p) => p,
        Err(e) => return crate::cli::io_failure(&e),
    };
    let Some(prepared) = prepared else {
        show(ctx);
        tell!(
            "{}：{}，没有生成任何文件。请先改正以上错误。",
            display_path(path),
            crate::diag::summary(&ctx.diags)
        );
        return EXIT_DATA;
    };
    let dir = output.map_or_else(|| prepared.dir.clone(), Path::to_path_buf);
    // Render everything before writing anything, so a failure leaves no partial set.
    let mut rendered = Vec::new();
    for &f in formats {
        match render(ctx, &prepared, f) {
            Ok(bytes) => rendered.push((f, bytes)),
            Err(msg) => {
                show(ctx);
                tell!("错误: {msg}");
                return EXIT_USAGE;
            }
        }
    }
    show(ctx);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        tell!(
            "错误: 无法创建输出目录“{}”：{}",
            display_path(&dir),
            crate::load::io_message(&e)
        );
        return EXIT_USAGE;
    }
    let stem = file_stem(&prepared.doc.title);
    let files: Vec<(std::path::PathBuf, Vec<u8>)> = rendered
        .iter()
        .map(|(f, out)| (dir.join(format!("{stem}.{}", f.extension())), out.bytes.clone()))
        .collect();
    if let Err((path, e)) = crate::fsutil::write_all_atomic(&files) {
        tell!(
            "错误: 无法写入“{}”：{}。没有改动任何已有的输出文件。",
            display_path(&path),
            crate::load::io_message(&e)
        );
        return EXIT_USAGE;
    }
    for ((path, bytes), (_, out)) in files.iter().zip(&rendered) {
        let pages = out.pages.map_or(String::new(), |n| format!("{n} 页，"));
        say!("{}（{pages}{}）", display_path(path), human_size(bytes.len()));
    }
    EXIT_OK
}

fn human_size(n: usize) -> String {
    match n {
        0..=1023 => format!("{n} B"),
        1024..=1_048_575 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

/// `zongjie fonts [报告]`: the faces serving each role, and a report's missing characters.
pub fn fonts(path: Option<&Path>) -> i32 {
    use crate::fonts::{FontSet, Role};
    let mut ctx = Ctx::default();
    let checked = match path.map(|p| crate::check_report(&mut ctx, p)) {
        Some(Err(e)) => return crate::cli::io_failure(&e),
        Some(Ok(c)) => c,
        None => None,
    };
    if path.is_some() && (checked.is_none() || ctx.diags.has_errors()) {
        ctx.diags.sort();
        tell_raw!("{}", ctx.diags.render(&ctx.sources, crate::cli::color()));
        return EXIT_DATA;
    }
    let empty = indexmap::IndexMap::new();
    let (overrides, dir) = match &checked {
        Some(c) => (
            &c.report.fonts,
            c.report.path.parent().unwrap_or(Path::new("")).to_path_buf(),
        ),
        None => (&empty, std::path::PathBuf::new()),
    };
    let set = FontSet::load(overrides, &dir, &mut ctx.diags);
    let docx = crate::writers::docx::FontNames::default()
        .with_overrides(overrides.iter().map(|(r, t)| (r.as_str(), t.text.as_str())));
    say!("字体角色（PDF 按顺序查找，前一个字体没有的字由后一个补上）：");
    for role in Role::ALL {
        let (name, what) = match role {
            Role::Title => (&docx.title, "标题"),
            Role::Body => (&docx.body, "正文"),
            Role::BodyBold => (&docx.body, "三级标题，加粗"),
            Role::Heading => (&docx.heading, "一级标题、表头"),
            Role::Kai => (&docx.kai, "二级标题"),
            Role::Song => (&docx.song, "页码"),
        };
        let chain: Vec<String> = set
            .chain(role)
            .map(|f| {
                if f.synthetic_bold {
                    format!("{}（描边加粗）", f.label)
                } else {
                    f.label.clone()
                }
            })
            .collect();
        say!(
            "  {}（{what}）  DOCX：{name}  PDF：{}",
            role.name(),
            chain.join(" → ")
        );
    }
    if let Some(c) = checked {
        let Some(doc) = crate::compose::compose(&mut ctx, &c.report, &c.figures) else {
            ctx.diags.sort();
            tell_raw!("{}", ctx.diags.render(&ctx.sources, crate::cli::color()));
            return EXIT_DATA;
        };
        let layout = crate::typeset::layout(&doc, &set);
        report_missing(&mut ctx, &layout.missing);
        ctx.diags.sort();
        tell_raw!("{}", ctx.diags.render(&ctx.sources, crate::cli::color()));
        match layout.missing.len() {
            0 => say!("\n{}：所有字都有字体能显示。", display_path(&c.report.path)),
            n => say!(
                "\n{}：有 {n} 个字没有字体能显示（见上）。",
                display_path(&c.report.path)
            ),
        }
    }
    EXIT_OK
}
