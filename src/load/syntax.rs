//! YAML syntax errors said in Chinese, at the place the user must change. The parser often
//! notices a slip a line later than it was made (`年度:2024` is reported on the next line,
//! a tab on the line above), so the lines up to the parser's position are searched for the
//! slips people make, before the parser's own explanation is translated.

use crate::diag::{Diag, Loc};
use crate::source::FileId;
use crate::yaml::{SyntaxError, SyntaxErrorKind};

/// The diagnostic for a syntax error in `text` (the file's whole text).
pub fn diagnose(file: FileId, text: &str, e: &SyntaxError) -> Diag {
    let at = |line: u32, col: u32, len: u32| Loc { file, line, col, len };
    let parser_message = match &e.kind {
        SyntaxErrorKind::TooDeep => {
            return Diag::error(
                at(e.line, e.col, 1),
                format!("列表和字段嵌套超过 {} 层", crate::yaml::MAX_DEPTH),
            )
            .help("报告和案件记录用不到这么多层：检查缩进是否整体错位，或文件是否被别的程序改坏");
        }
        SyntaxErrorKind::AliasBomb => {
            return Diag::error(at(e.line, e.col, 1), "别名（“*名称”）展开后内容过多")
                .help("zongjie 的文件用不到这么多别名：请把内容直接写出来，不用“&名称”和“*名称”");
        }
        SyntaxErrorKind::SecondDocument => {
            return Diag::error(at(e.line, e.col, 3), "“---”或“...”之后还有内容，这部分不会被读取").help(
                "一个文件只能有一份内容：删去这一行，把前后两部分合成一份；或把后一部分另存为一个文件",
            );
        }
        SyntaxErrorKind::Parser(m) => m.as_str(),
    };
    let lines: Vec<&str> = text.lines().collect();
    let upto = (e.line as usize).min(lines.len());
    if let Some(d) = slip(&lines, upto, parser_message, &at) {
        return d;
    }
    let (title, help) = explain(parser_message, &lines, e.line as usize);
    let (line, col) = if title.contains("括号") {
        unclosed_bracket(&lines[..upto]).unwrap_or((e.line, e.col))
    } else {
        (e.line, e.col)
    };
    Diag::error(at(line, col, 1), format!("格式错误：{title}")).help(help)
}

/// The last `[` or `{` left open on the lines given: where a bracket was opened and not
/// closed, rather than the end of the file where the parser gives up.
fn unclosed_bracket(lines: &[&str]) -> Option<(u32, u32)> {
    let mut open: Vec<(u32, u32)> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let mut quote: Option<char> = None;
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => open.push((n as u32 + 1, col as u32 + 1)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.last().copied()
}

/// A slip on one of the lines up to `upto` (1-based) that explains the parser's complaint;
/// a tab is looked for in the whole file.
fn slip(all: &[&str], upto: usize, message: &str, at: &dyn Fn(u32, u32, u32) -> Loc) -> Option<Diag> {
    let lines = &all[..upto];
    let numbered = || lines.iter().enumerate().map(|(i, l)| (i as u32 + 1, *l));
    // An invisible control character, wherever it is.
    for (n, line) in numbered() {
        if let Some((col, c)) = line
            .chars()
            .enumerate()
            .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\r'))
        {
            return Some(
                Diag::error(
                    at(n, col as u32 + 1, 1),
                    format!("文件中有不可见的控制字符 U+{:04X}", c as u32),
                )
                .help("删去这个字符：它打印不出来，多半是复制文字时带进来的"),
            );
        }
    }
    // A tab in the indentation (the parser may report the line above).
    if message.contains("tab") {
        let tabbed = all
            .iter()
            .enumerate()
            .find(|(_, l)| l.starts_with(char::is_whitespace) && l.contains('\t'));
        if let Some((i, line)) = tabbed {
            let col = line.chars().position(|c| c == '\t').unwrap_or(0) as u32 + 1;
            return Some(
                Diag::error(at(i as u32 + 1, col, 1), "不能用 Tab 键缩进")
                    .help("把行首的 Tab 换成空格（同一层级的字段缩进相同）"),
            );
        }
    }
    // `年度:2024` or `单位：江城市民政局`: a key without its colon-and-space.
    for (n, line) in numbered().collect::<Vec<_>>().into_iter().rev() {
        if let Some((key, value, col, full_width)) = key_without_space(line) {
            let title = if full_width {
                format!("“{key}”后面用了全角冒号“：”")
            } else {
                format!("“{key}:{value}”中冒号后缺少空格")
            };
            return Some(
                Diag::error(at(n, col, 1), title)
                    .help(format!("字段名和值之间要用半角冒号加一个空格：“{key}: {value}”")),
            );
        }
    }
    None
}

/// A line whose first word looks like a key followed by `:` without a space, or by a
/// full-width `：`: the key, the value, the colon's column, and whether it was full-width.
fn key_without_space(line: &str) -> Option<(String, String, u32, bool)> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").map_or(body, str::trim_start);
    if body.starts_with(['#', '"', '\'', '{', '[', '&', '*', '!', '|', '>']) || body.contains(": ") {
        return None;
    }
    let (i, c) = body.char_indices().find(|(_, c)| *c == ':' || *c == '：')?;
    let (key, value) = (&body[..i], body[i + c.len_utf8()..].trim());
    // Keys are short words: no spaces, no URL (`http://`), not a time (`12:30`).
    let looks_like_key = !key.is_empty()
        && key.chars().count() <= 12
        && !key.contains(char::is_whitespace)
        && !key.chars().all(|ch| ch.is_ascii_digit())
        && !value.starts_with('/');
    let full_width = c == '：';
    if !looks_like_key || (!full_width && value.is_empty()) {
        return None;
    }
    let col = line.chars().count() - body.chars().count() + key.chars().count() + 1;
    Some((key.to_owned(), value.to_owned(), col as u32, full_width))
}

/// The parser's complaint in Chinese: what is wrong and what to do.
fn explain(message: &str, lines: &[&str], line: usize) -> (String, String) {
    let indent = |l: &str| l.chars().take_while(|c| *c == ' ').count();
    let this = lines.get(line.wrapping_sub(1)).copied().unwrap_or("");
    let above = lines[..line.saturating_sub(1).min(lines.len())]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .copied();
    if message.contains("mapping values are not allowed") {
        if let Some(above) = above.filter(|a| indent(this) > indent(a)) {
            return (
                format!("缩进不一致，这一行比上一行多缩进了{}格", indent(this) - indent(above)),
                "上一行的值已经写完，这一行是同一层级的字段时，缩进应与上一行相同；文字中含“: ”时，请把整段文字用引号括起来".into(),
            );
        }
        return (
            "这里不能出现“冒号+空格”".into(),
            "文字中含“: ”时，请把整段文字用引号括起来，如 标题: \"关于……的建议: 再议\"".into(),
        );
    }
    let (title, help) = if message.contains("did not find expected")
        || message.contains("block mapping")
        || message.contains("block collection")
        || message.contains("indentation")
    {
        if message.contains("quoted") {
            (
                "引号没有配对",
                "每个引号都要成对；文字中本身含引号时，用另一种引号括起来（“'”与“\"”）",
            )
        } else {
            (
                "缩进不一致",
                "同一层级的字段缩进要相同，列表的“- ”要对齐；检查这一行和上一行的行首空格",
            )
        }
    } else if message.contains("quote") {
        (
            "引号没有配对",
            "每个引号都要成对；文字中本身含引号时，用另一种引号括起来（“'”与“\"”）",
        )
    } else if message.contains("flow") || message.contains(']') || message.contains('}') {
        (
            "方括号或花括号没有配对",
            "“[”要有对应的“]”，“{”要有对应的“}”，其中各项用半角逗号分开",
        )
    } else if message.contains("simple key") || message.contains("expect ':'") {
        (
            "缺少冒号，或冒号后缺少空格",
            "字段名和值之间要用半角冒号加一个空格，如“单位: 江城市民政局”",
        )
    } else if message.contains("anchor") || message.contains("alias") {
        (
            "别名（“&”“*”）写得不对",
            "zongjie 的文件用不到别名；文字以“&”或“*”开头时，请加引号",
        )
    } else {
        (
            "无法解析这一行",
            "检查这一行及上一行：同一层级的字段缩进要相同，冒号后要有空格，引号和括号要成对",
        )
    };
    (title.to_owned(), help.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> (u32, String) {
        let e = crate::yaml::parse(text).unwrap_err();
        let d = diagnose(0, text, &e);
        (d.loc.unwrap().line, d.title)
    }

    #[test]
    fn slips_are_found_where_they_were_made() {
        assert_eq!(
            said("单位: X\n年度:2024\n成文日期: 2024-12-20\n"),
            (2, "“年度:2024”中冒号后缺少空格".into())
        );
        assert_eq!(
            said("单位：X\n年度: 2024\n"),
            (1, "“单位”后面用了全角冒号“：”".into())
        );
        assert_eq!(said("a: 1\n\tb: 2\n"), (2, "不能用 Tab 键缩进".into()));
        assert_eq!(
            said("a: 1\nb: x\u{0}y\n"),
            (2, "文件中有不可见的控制字符 U+0000".into())
        );
        assert_eq!(
            said("单位: X\n  年度: 2024\n"),
            (2, "格式错误：缩进不一致，这一行比上一行多缩进了2格".into())
        );
        assert_eq!(
            said("主要做法:\n  - 标题: a\n   内容: b\n"),
            (3, "格式错误：缩进不一致".into())
        );
        assert_eq!(said("a: \"x\nb: 2\n").1, "格式错误：引号没有配对");
        assert_eq!(
            said("- 编号: 1\n  标题: [未闭合\n"),
            (2, "格式错误：方括号或花括号没有配对".into())
        );
        // Times and addresses in values are not keys.
        assert_eq!(key_without_space("开会: 14:30"), None);
        assert_eq!(key_without_space("- http://example.org/a"), None);
    }
}
