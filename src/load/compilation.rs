//! 汇编.yaml (SPEC §2.7): a compilation of several reports (篇) with a cover and a 目录.

use super::fields::{loc, Fields};
use super::{values, Ctx, IoFailure};
use crate::diag::{Diag, Loc};
use crate::fsutil::FileIdentity;
use crate::yaml::{Node, Value};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

#[rustfmt::skip]
pub const KEYS: &[&str] = &["标题", "编者", "日期", "篇目", "封面", "目录", "字体"];
pub const FILE: &str = "汇编.yaml";

#[derive(Debug, Clone)]
pub struct Compilation {
    pub path: PathBuf,
    pub title: String,
    pub editor: Option<String>,
    pub date: Option<NaiveDate>,
    /// Each 篇's report file and where 篇目 names it.
    pub members: Vec<(PathBuf, Loc)>,
    pub cover: bool,
    pub toc: bool,
    pub fonts: crate::model::FontOverrides,
}

/// Whether `path` (a file, or a folder) is a 汇编 rather than a report: a folder holding
/// 汇编.yaml and no 报告.yaml, a file named 汇编.yaml, or a YAML file with a top-level 篇目.
pub fn is_compilation(path: &Path) -> bool {
    if path.is_dir() {
        return path.join(FILE).is_file() && !path.join("报告.yaml").is_file();
    }
    if path.file_name().is_some_and(|n| n == FILE) {
        return true;
    }
    crate::fsutil::read_input(path, crate::fsutil::MAX_TEXT_FILE)
        .ok()
        .and_then(|b| crate::source::decode(&b).ok())
        .is_some_and(|(text, _)| {
            text.lines()
                .any(|l| l.trim_start_matches('\u{feff}').starts_with("篇目"))
        })
}

pub fn resolve(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(FILE)
    } else {
        path.to_owned()
    }
}

pub fn load(ctx: &mut Ctx, path: &Path) -> Result<Option<Compilation>, IoFailure> {
    let path = resolve(path);
    let Some(read) = ctx.read_yaml(&path, None)? else {
        return Ok(None);
    };
    let Some(doc) = read.doc else { return Ok(None) };
    let Some(f) = Fields::new(ctx, read.file, &doc, "汇编文件") else {
        return Ok(None);
    };
    f.check_keys(ctx, KEYS, "汇编");
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let title = f.lines(ctx, "标题");
    if title.is_none() && f.get("标题").is_none() {
        f.missing(
            ctx,
            "标题",
            "汇编",
            "填写汇编的标题，如“标题: 江城市2024年建议提案办理工作总结汇编”",
        );
    }
    let mut members: Vec<(PathBuf, Loc)> = Vec::new();
    let mut seen: rustc_hash::FxHashMap<FileIdentity, Loc> = Default::default();
    match f.get("篇目") {
        Some(Node {
            value: Value::Seq(items),
            ..
        }) => {
            for item in items {
                match item.scalar().map(str::trim).filter(|s| !s.is_empty()) {
                    Some(p) => {
                        let target = base.join(p);
                        let report = if target.is_dir() {
                            target.join("报告.yaml")
                        } else {
                            target
                        };
                        let identity = FileIdentity::of(&report);
                        if let Some(first) = identity.as_ref().and_then(|i| seen.get(i)) {
                            ctx.diags.push(
                                Diag::error(
                                    loc(read.file, item),
                                    format!("篇目“{p}”与前面的一篇是同一份报告"),
                                )
                                .related(*first, "第一次出现在这里")
                                .help("删去重复的一项"),
                            );
                        } else if report.is_file() {
                            seen.extend(identity.map(|i| (i, loc(read.file, item))));
                            members.push((report, loc(read.file, item)));
                        } else {
                            ctx.diags.push(
                                Diag::error(loc(read.file, item), format!("找不到篇目“{p}”"))
                                    .help("篇目写报告文件的路径，或报告所在的文件夹（其中应有 报告.yaml），相对于汇编文件"),
                            );
                        }
                    }
                    None => ctx
                        .diags
                        .push(Diag::error(loc(read.file, item), "篇目中的每一项应为报告的路径")),
                }
            }
            if items.is_empty() {
                ctx.diags.push(
                    Diag::error(f.loc(f.get("篇目").unwrap_or(&doc)), "篇目是空的").help("列出要汇编的报告"),
                );
            }
        }
        Some(other) => ctx.diags.push(
            Diag::error(f.loc(other), "篇目应为报告路径的列表")
                .help("写成：\n篇目:\n  - 民政局/报告.yaml\n  - 青山区/报告.yaml"),
        ),
        None => f.missing(ctx, "篇目", "汇编", "列出要汇编的报告，每行“- 路径”"),
    }
    let fonts = super::report::fonts(ctx, &f);
    let flag =
        |ctx: &mut Ctx, key| f.get(key).is_none() || f.parsed(ctx, key, values::boolean).unwrap_or(true);
    Ok(Some(Compilation {
        path,
        title: title.unwrap_or_default().replace("\\n", "\n"),
        editor: f.string(ctx, "编者"),
        date: f.date(ctx, "日期"),
        members,
        cover: flag(ctx, "封面"),
        toc: flag(ctx, "目录"),
        fonts,
    }))
}
