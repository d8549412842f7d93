//! Diagnostics: every problem found in a run, with the file, line and column it points at,
//! rendered the way rustc shows errors (the offending line with a marker under it), in Chinese.

use crate::source::{display_path, FileId, Sources};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// A place in a source file. Line and column are 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
    /// How many characters the marked text spans on its line (at least 1 when shown).
    pub len: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub severity: Severity,
    /// None for problems that belong to no place in a text file.
    pub loc: Option<Loc>,
    /// A place that is not a line of a text file (a spreadsheet), shown as it is.
    pub origin: Option<String>,
    pub title: String,
    /// A short note under the marked text.
    pub label: Option<String>,
    /// Further lines: what to do about it.
    pub help: Vec<String>,
    /// A second place that explains the first (the first occurrence of a duplicate, say).
    pub related: Option<(Loc, String)>,
}

impl Diag {
    pub fn error(loc: Loc, title: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Error,
            loc: Some(loc),
            origin: None,
            title: title.into(),
            label: None,
            help: vec![],
            related: None,
        }
    }

    pub fn warning(loc: Loc, title: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Warning,
            ..Diag::error(loc, title)
        }
    }

    /// A problem at a place outside the text files (a cell of a spreadsheet).
    pub fn error_at(origin: impl Into<String>, title: impl Into<String>) -> Self {
        Diag {
            loc: None,
            origin: Some(origin.into()),
            ..Diag::error(Loc::default(), title)
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    pub fn related(mut self, loc: Loc, note: impl Into<String>) -> Self {
        self.related = Some((loc, note.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The problems of one run, collected so that all of them are reported together.
#[derive(Debug, Default)]
pub struct Diags {
    pub list: Vec<Diag>,
}

impl Diags {
    pub fn push(&mut self, d: Diag) {
        self.list.push(d);
    }

    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.list.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diag::is_error)
    }

    /// Orders problems by file and position, errors and warnings interleaved as they occur.
    pub fn sort(&mut self) {
        self.list.sort_by_key(|d| {
            let l = d.loc.unwrap_or_default();
            (d.loc.is_none(), l.file, l.line, l.col)
        });
    }

    /// All problems rendered as text, each followed by a blank line.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = String::new();
        for d in &self.list {
            out.push_str(&render_one(d, sources, &renderer));
            out.push_str("\n\n");
        }
        out
    }
}

fn level(sev: Severity) -> Level<'static> {
    match sev {
        Severity::Error => Level::ERROR.with_name("错误"),
        Severity::Warning => Level::WARNING.with_name("警告"),
    }
}

/// The byte range in `line` of `len` characters starting at 1-based character column `col`.
fn byte_span(line: &str, col: u32, len: u32) -> std::ops::Range<usize> {
    let mut idx = line.char_indices().map(|(i, _)| i).chain([line.len()]);
    let start = idx.nth(col.saturating_sub(1) as usize).unwrap_or(line.len());
    let end = line[start..]
        .char_indices()
        .nth(len.max(1) as usize)
        .map_or(line.len(), |(i, _)| start + i);
    start..end.max(start)
}

fn snippet<'a>(
    sources: &'a Sources,
    loc: Loc,
    kind: AnnotationKind,
    label: Option<&'a str>,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let file = sources.get(loc.file);
    let text = file.line(loc.line as usize);
    let mut ann = kind.span(byte_span(text, loc.col, loc.len));
    if let Some(l) = label {
        ann = ann.label(l);
    }
    Snippet::source(text)
        .line_start(loc.line as usize)
        .path(display_path(&file.path))
        .annotation(ann)
}

fn render_one(d: &Diag, sources: &Sources, renderer: &Renderer) -> String {
    let mut group = Group::with_title(level(d.severity).primary_title(d.title.as_str()));
    if let Some(loc) = d.loc {
        let file = sources.get(loc.file);
        if (loc.line as usize) <= file.line_count() && !file.line(loc.line as usize).is_empty() {
            group = group.element(snippet(sources, loc, AnnotationKind::Primary, d.label.as_deref()));
        } else {
            group = group.element(
                Origin::path(display_path(&file.path))
                    .line(loc.line as usize)
                    .char_column(loc.col as usize),
            );
            if let Some(l) = &d.label {
                group = group.element(Level::NOTE.with_name("说明").message(l.as_str()));
            }
        }
    }
    if let (None, Some(origin)) = (d.loc, &d.origin) {
        group = group.element(Origin::path(origin.as_str()));
    }
    if let Some((rloc, note)) = &d.related {
        group = group.element(snippet(
            sources,
            *rloc,
            AnnotationKind::Context,
            Some(note.as_str()),
        ));
    }
    for h in &d.help {
        group = group.element(Level::HELP.with_name("帮助").message(h.as_str()));
    }
    renderer.render(&[group])
}

/// A one-line summary of a run's problems.
pub fn summary(diags: &Diags) -> String {
    summary_of(diags.error_count(), diags.warning_count())
}

/// The same summary for given counts (a part of a run, such as one 篇 of a 汇编).
pub fn summary_of(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => "未发现问题".to_owned(),
        (0, w) => format!("未发现错误，有 {w} 个警告"),
        (e, 0) => format!("发现 {e} 个错误"),
        (e, w) => format!("发现 {e} 个错误、{w} 个警告"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn renders_chinese_with_location_and_marker() {
        let mut s = Sources::default();
        let f = s.add(SourceFile::new(
            "案件.yaml".into(),
            "- 编号: 1\n  承办方试: 主办\n".into(),
        ));
        let mut ds = Diags::default();
        ds.push(
            Diag::error(
                Loc {
                    file: f,
                    line: 2,
                    col: 3,
                    len: 4,
                },
                "未知字段“承办方试”",
            )
            .label("是否应为“承办方式”？")
            .help("改正字段名"),
        );
        let out = ds.render(&s, false);
        assert!(out.contains("错误: 未知字段“承办方试”"), "{out}");
        assert!(out.contains("案件.yaml:2:3"), "{out}");
        assert!(out.contains("承办方试: 主办"), "{out}");
        assert!(out.contains("是否应为“承办方式”？"), "{out}");
        assert!(out.contains("帮助: 改正字段名"), "{out}");
    }

    #[test]
    fn byte_span_counts_characters() {
        assert_eq!(byte_span("  承办方试: 主办", 3, 4), 2..14);
        assert_eq!(byte_span("ab", 9, 1), 2..2);
    }
}
