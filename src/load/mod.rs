//! Loading a report: its file, its case records, last year's report, each checked field by
//! field. Problems are collected in [`Ctx`] so that a run reports all of them at once.

mod case;
pub mod compilation;
pub mod fields;
mod report;
mod syntax;
pub mod values;

use crate::diag::{Diag, Diags, Loc};
use crate::document::is_forbidden_char;
use crate::model::Report;
use crate::source::{decode_owned, display_path, Encoding, FileId, SourceFile, Sources};
use crate::yaml::{self, Node};
use std::path::{Path, PathBuf};

pub use case::KEYS as CASE_KEYS;

/// Receives the items of a document that is a sequence, one by one.
pub type ItemSink<'a> = &'a mut dyn FnMut(&mut Ctx, Node);

/// What one run has read and found.
#[derive(Debug, Default)]
pub struct Ctx {
    pub sources: Sources,
    pub diags: Diags,
    /// The reports being loaded through 上年, outermost first: a chain that comes back to
    /// one of them stops there.
    pub(crate) chain: Vec<PathBuf>,
    /// The folder reads must stay in (the web server's): a path written in the data (案件,
    /// 上年, 篇目, a template folder) cannot make the server read and show a file elsewhere.
    pub(crate) confine: Option<PathBuf>,
}

impl Ctx {
    /// A run that reads only files inside `root` (a resolved path: links followed).
    pub fn confined_to(root: &Path) -> Ctx {
        Ctx {
            confine: Some(root.to_path_buf()),
            ..Ctx::default()
        }
    }
}

/// A file that could not be read at all: the command line named something that is not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IoFailure {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for IoFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "无法读取“{}”：{}", display_path(&self.path), self.message)
    }
}

/// Describes an I/O error met while reading, in Chinese.
pub fn io_message(e: &std::io::Error) -> String {
    crate::fsutil::io_message(e, crate::fsutil::Access::Read)
}

/// How a read went: the file's id and its document (None when empty or unreadable text).
pub struct Read {
    pub file: FileId,
    pub doc: Option<Node>,
}

impl Ctx {
    /// Reads and parses a YAML file. `from` is where another file named it: then a missing
    /// file is a data error there; without it, a missing file is an I/O failure.
    pub fn read_yaml(&mut self, path: &Path, from: Option<Loc>) -> Result<Option<Read>, IoFailure> {
        let Some(file) = self.read_source(path, from)? else {
            return Ok(None);
        };
        let doc = self.parse_file(file, None);
        Ok(Some(Read { file, doc }))
    }

    /// Reads a file's text into the sources, with a warning for a non-UTF-8 encoding.
    /// None, with the problem reported, when the file is missing and `from` names where it
    /// was referred to, or when its bytes are not text in any encoding we read.
    pub fn read_source(&mut self, path: &Path, from: Option<Loc>) -> Result<Option<FileId>, IoFailure> {
        // A file that is not there reads nothing, wherever it is: it is reported below.
        let outside = |root: &Path| std::fs::canonicalize(path).is_ok_and(|p| !p.starts_with(root));
        if self.confine.as_deref().is_some_and(outside) {
            let title = format!("“{}”不在所打开的文件夹中", display_path(path));
            let help = "在浏览器中只能使用所打开的文件夹（及其子文件夹）中的文件：请把它复制到文件夹中并改写路径，或在命令行中用 zongjie 处理";
            return match from {
                Some(at) => {
                    self.diags.push(Diag::error(at, title).help(help));
                    Ok(None)
                }
                None => Err(IoFailure {
                    path: path.to_owned(),
                    message: format!("{title}。{help}"),
                }),
            };
        }
        let bytes = match crate::fsutil::read_input(path, crate::fsutil::MAX_TEXT_FILE) {
            Ok(b) => b,
            Err(e) => {
                let message = e.message();
                // A path another file names wrongly is that file's data error; a file that is
                // there but cannot be read is an I/O failure.
                return match from {
                    Some(at) if e.is_missing() || matches!(e, crate::fsutil::InputError::NotAFile(_)) => {
                        self.diags.push(
                            Diag::error(at, format!("无法读取“{}”：{message}", display_path(path)))
                                .help("文件路径相对于引用它的文件所在的文件夹；请核对文件名和位置"),
                        );
                        Ok(None)
                    }
                    _ => Err(IoFailure {
                        path: path.to_owned(),
                        message,
                    }),
                };
            }
        };
        let binary = binary_kind(&bytes);
        let decoded = match binary {
            Some(_) => Err(crate::source::UndecodableText { line: 1 }),
            None => decode_owned(bytes),
        };
        let (text, encoding) = match decoded {
            Ok(t) => t,
            Err(_) if binary.is_some() => {
                let file = self.sources.add(SourceFile::new(path.to_owned(), String::new()));
                let what = binary.unwrap_or_default();
                self.diags.push(
                    Diag::error(Loc { file, line: 1, col: 1, len: 1 }, format!("这是{what}，不是 YAML 文本文件"))
                        .help("这里要的是报告（报告.yaml）、案件记录（案件.yaml）或汇编（汇编.yaml）；Excel 台账要先转换成案件记录：在浏览器中用“导入台账”，或运行“zongjie import 台账.xlsx”"),
                );
                return Ok(None);
            }
            Err(bad) => {
                let file = self.sources.add(SourceFile::new(path.to_owned(), String::new()));
                self.diags.push(
                    Diag::error(
                        Loc {
                            file,
                            line: bad.line as u32,
                            col: 1,
                            len: 1,
                        },
                        "文件既不是UTF-8编码，也不是GBK/GB18030编码，无法读取",
                    )
                    .help("用记事本或WPS打开后“另存为”，编码选择UTF-8"),
                );
                // Reported; there is no text to parse (an empty-file error would be false).
                return Ok(None);
            }
        };
        // Old Mac files end lines with CR alone: without this, the whole file is line 1 and no
        // message can show the line it is about.
        let text = if text.contains('\r') && !text.contains('\n') {
            text.replace('\r', "\n")
        } else {
            text
        };
        let file = self.sources.add(SourceFile::new(path.to_owned(), text));
        let first = Loc {
            file,
            line: 1,
            col: 1,
            len: 1,
        };
        match encoding {
            Encoding::Utf8 => {}
            Encoding::Gb18030 => self.diags.push(
                Diag::warning(first, "文件以GBK/GB18030编码保存，已按GB18030读取")
                    .help("建议“另存为”UTF-8编码，以免其他软件读错"),
            ),
            Encoding::Utf16 => self.diags.push(
                Diag::warning(first, "文件以UTF-16编码保存，已正确读取")
                    .help("建议“另存为”UTF-8编码，以免其他软件读错"),
            ),
        }
        Ok(Some(file))
    }

    /// Parses a file read by [`Ctx::read_source`]. With `on_item`, the items of a document
    /// that is a sequence are handed over one by one as they are parsed (see
    /// [`yaml::parse_items`]). None when the file is empty or not valid YAML (reported).
    pub fn parse_file(&mut self, file: FileId, on_item: Option<ItemSink<'_>>) -> Option<Node> {
        let text = self.sources.get(file).text.clone();
        let first = Loc {
            file,
            line: 1,
            col: 1,
            len: 1,
        };
        let parsed = match on_item {
            None => yaml::parse(&text),
            Some(f) => yaml::parse_items(&text, &mut |n| {
                report_forbidden_chars(&mut self.diags, file, &n, None);
                f(self, n);
            }),
        };
        match parsed {
            Ok(Some(doc)) => {
                report_forbidden_chars(&mut self.diags, file, &doc, None);
                Some(doc)
            }
            Ok(None) => {
                self.diags.push(
                    Diag::error(first, "文件是空的")
                        .help("文件中没有任何内容；可以新建一份示例报告参照填写（浏览器中点“新建报告”，或运行“zongjie init 目录”）"),
                );
                None
            }
            Err(e) => {
                let d = syntax::diagnose(file, &text, &e);
                self.diags.push(d);
                None
            }
        }
    }
}

/// A case file from this size on is read on every core (below it, the threads cost more
/// than they save).
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// What one piece of a file read by [`Ctx::parse_pieces`] gave: the reader's state and the
/// problems found, in the order a run through the whole file finds them.
pub struct ReadPiece<S> {
    pub state: S,
    pub diags: Vec<Diag>,
}

impl Ctx {
    /// Reads a large file of flat records ([`yaml::flat_pieces`]) on every core: each piece's
    /// items are parsed and handed to `read` (with the item's index in the file) on a core of
    /// its own, into a state made by `start` and a context of its own for its problems. The
    /// pieces come back in order with the root sequence node. None when the file is small, or
    /// not flat after all: nothing of it was kept, and [`Ctx::parse_file`] reads it.
    pub fn parse_pieces<S: Send>(
        &mut self,
        file: FileId,
        start: impl Fn() -> S + Sync,
        read: impl Fn(&mut S, &mut Ctx, Node, usize) + Sync,
    ) -> Option<(Node, Vec<ReadPiece<S>>)> {
        use rayon::prelude::*;
        let text = self.sources.get(file).text.clone();
        if text.len() < PARALLEL_FROM_BYTES {
            return None;
        }
        // (Only now: asking for the number of threads starts rayon's pool.)
        let cores = rayon::current_num_threads();
        if cores < 2 {
            return None;
        }
        let pieces = yaml::flat_pieces(&text, cores)?;
        let done: Vec<Option<(Option<Node>, ReadPiece<S>)>> = pieces
            .par_iter()
            .map(|piece| {
                let (mut state, mut ctx) = (start(), Ctx::default());
                let mut index = piece.first_index;
                let root = piece.items(&mut |n| {
                    report_forbidden_chars(&mut ctx.diags, file, &n, None);
                    read(&mut state, &mut ctx, n, index);
                    index += 1;
                })?;
                let diags = ctx.diags.list;
                Some((Some(root), ReadPiece { state, diags }))
            })
            .collect();
        let mut done = done.into_iter().collect::<Option<Vec<_>>>()?;
        let root = done.first_mut()?.0.take()?;
        Some((root, done.into_iter().map(|(_, p)| p).collect()))
    }
}

/// What a binary file is, by its first bytes, for a message that says so.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("一个压缩格式的文件（如 Word 的 .docx、Excel 的 .xlsx）")
    } else if bytes.starts_with(b"%PDF") {
        Some("一个 PDF 文件")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("一个旧版 Office 文件（如 .doc、.xls、WPS 的 .et）")
    } else {
        None
    }
}

/// Reports each character XML 1.0 forbids in the scalars of `node` (a control character
/// from a `"\x07"` escape or pasted text), naming the field it stands in: no document may
/// hold one, and Word cannot open a DOCX that does.
fn report_forbidden_chars(diags: &mut Diags, file: FileId, node: &Node, field: Option<&str>) {
    match &node.value {
        yaml::Value::Scalar { text, .. } => {
            // Each forbidden character is a control byte or starts with EF BF (U+FFFE, U+FFFF,
            // among U+FFC0–U+FFFF): nearly every scalar is cleared by one byte scan, without
            // decoding a character (EF alone starts full-width punctuation, common here; a
            // memmem searcher set up per scalar cost more than the scan).
            let b = text.as_bytes();
            let may = (0..b.len()).any(|i| b[i] < b' ' || (b[i] == 0xEF && b.get(i + 1) == Some(&0xBF)));
            let found = if may {
                text.chars().find(|&c| is_forbidden_char(c))
            } else {
                None
            };
            if let Some(c) = found {
                let what = field.unwrap_or("文字");
                diags.push(
                    Diag::error(
                        fields::loc(file, node),
                        format!("{what}中有不可见的控制字符 U+{:04X}", c as u32),
                    )
                    .help("删去这个字符：它打印不出来，多半是复制文字时带进来的；Word 无法打开含有它的文件"),
                );
            }
        }
        yaml::Value::Seq(items) => {
            for item in items {
                report_forbidden_chars(diags, file, item, field);
            }
        }
        yaml::Value::Map(entries) => {
            for (k, v) in entries {
                report_forbidden_chars(diags, file, k, Some("字段名"));
                report_forbidden_chars(diags, file, v, k.scalar().or(field));
            }
        }
    }
}

/// A report path as the user may give it: the file, or a folder holding 报告.yaml.
pub fn report_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("报告.yaml")
    } else {
        path.to_owned()
    }
}

/// Loads and checks a report and everything it refers to. Returns None when the report is
/// too broken to use; its problems are in `ctx.diags` either way.
pub fn load_report(ctx: &mut Ctx, path: &Path) -> Result<Option<Report>, IoFailure> {
    report::load(ctx, &report_path(path), report::CHAIN)
}

#[cfg(test)]
mod tests {
    /// The user's documentation of the input files.
    const DOCS: &str = include_str!("../../docs/数据格式.md");

    #[test]
    fn every_key_the_loader_accepts_is_documented() {
        let keys = super::report::KEYS
            .iter()
            .chain(super::case::KEYS)
            .chain(super::compilation::KEYS)
            .chain(&["答复日期", "办理结果", "满意度", "标题", "内容", "常用", "自动"]);
        let missing: Vec<&&str> = keys.filter(|k| !DOCS.contains(&format!("`{k}`"))).collect();
        assert!(
            missing.is_empty(),
            "docs/数据格式.md does not document {missing:?}"
        );
    }

    /// Control characters and the two noncharacters are found, next to full-width
    /// punctuation and the characters nearest them (U+FFFD, U+FFEE share their first bytes).
    #[test]
    fn forbidden_characters_are_found_in_any_scalar() {
        let found = |text: &str| {
            let node = crate::yaml::Node {
                value: crate::yaml::Value::Scalar {
                    text: text.into(),
                    plain: true,
                },
                line: 1,
                col: 1,
                len: 1,
            };
            let mut diags = crate::diag::Diags::default();
            super::report_forbidden_chars(&mut diags, 0, &node, Some("标题"));
            diags.list.into_iter().map(|d| d.title).collect::<Vec<_>>()
        };
        for (text, c) in [
            ("关于\u{7}，", "0007"),
            ("，。\u{FFFE}", "FFFE"),
            ("\u{FFFF}", "FFFF"),
            ("a\u{1F}", "001F"),
        ] {
            assert_eq!(
                found(text),
                [format!("标题中有不可见的控制字符 U+{c}")],
                "{text:?}"
            );
        }
        for text in ["关于，。（）：", "\u{FFFD}\u{FFEE}\u{FF0C}", "\t\n\r"] {
            assert!(found(text).is_empty(), "{text:?}");
        }
    }

    /// A case file of 5,000 records (1.4 MB, read on several cores) with every kind of
    /// problem a record can have, some across the pieces' borders: read on four cores, it
    /// gives the cases and the problems, in order, that reading on one gives.
    #[test]
    fn a_large_case_file_reads_the_same_on_several_cores() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("# 台账\n");
        for i in 0..5000 {
            let id = match i % 701 {
                3 => format!("建议第{}号", i / 2),
                5 => format!("建议第{i}\u{200B}号"),
                _ => format!("建议第{i}号"),
            };
            if i % 997 != 7 {
                text += &format!(
                    "- 编号: {id}\n  类别: {}\n",
                    if i % 487 == 1 {
                        "议按"
                    } else {
                        ["建议", "提案"][i % 2]
                    }
                );
            } else {
                text += "- 类别: 建议\n";
            }
            text += &format!(
                "  标题: \"关于第{i}项民生工程的建议{}\"\n",
                if i % 613 == 9 { "\\x07" } else { "" }
            );
            text += "  提出人: 王某某\n  承办方式: 主办\n  承办单位: 区教育局\n  交办日期: 2024-01-05\n";
            if i % 3 == 0 {
                let result = if i % 829 == 0 { "Z" } else { "A" };
                text += &format!(
                    "  答复日期: 2024-0{}-1{}\n  办理结果: {result}\n  满意度: 满意\n",
                    1 + i % 9,
                    i % 10
                );
            }
            if i % 911 == 4 {
                text += "  标体: 多余\n";
            }
        }
        assert!(text.len() > super::PARALLEL_FROM_BYTES);
        std::fs::write(dir.path().join("案件.yaml"), &text).unwrap();
        std::fs::write(
            dir.path().join("报告.yaml"),
            "单位: 江城市教育局\n年度: 2024\n案件: 案件.yaml\n",
        )
        .unwrap();
        let load = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut ctx = super::Ctx::default();
                let report = super::load_report(&mut ctx, dir.path()).unwrap().unwrap();
                let file = ctx
                    .sources
                    .iter()
                    .find(|(_, f)| f.path.ends_with("案件.yaml"))
                    .unwrap()
                    .0;
                let pieces = ctx
                    .parse_pieces(file, || (), |_, _, _, _| ())
                    .map(|(_, p)| p.len());
                (report.cases, ctx.diags.render(&ctx.sources, false), pieces)
            })
        };
        let (one, four) = (load(1), load(4));
        assert_eq!((one.2, four.2), (None, Some(4)), "read on one core, then on four");
        for kind in [
            "编号“建议第1号”重复",
            "看不见的字符",
            "缺少",
            "议按",
            "U+0007",
            "“Z”",
            "标体",
        ] {
            assert!(one.1.contains(kind), "no problem “{kind}” in the test file");
        }
        assert_eq!(one.0.len(), four.0.len());
        assert!(one.0 == four.0, "the cases differ");
        assert!(one.1 == four.1, "the problems differ");
    }

    #[test]
    fn every_figure_name_in_the_documentation_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut ctx = super::Ctx::default();
        let c = crate::pipeline::check(&mut ctx, &root.join("data/renda"))
            .unwrap()
            .unwrap();
        let names: Vec<String> = crate::figures::names::named(&c.figures, &c.report.scheme)
            .into_iter()
            .map(|(n, _, _)| n)
            .collect();
        let table = &DOCS[DOCS.find("## 数字的名称").unwrap()..DOCS.find("## 模板").unwrap()];
        for row in table.lines().filter(|l| l.starts_with("| `")) {
            let first_cell = row.split(" | ").next().unwrap();
            for name in first_cell.split('`').skip(1).step_by(2) {
                if !name.contains('.') {
                    assert!(names.iter().any(|n| n == name), "“{name}” is not a figure name");
                }
            }
        }
    }
}
