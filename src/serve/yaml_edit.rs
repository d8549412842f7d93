//! Saving a form into 报告.yaml as a person would edit it: only the top-level fields whose
//! value changed are rewritten, in place, using the lines our YAML reader says each field
//! stands on; every other line (comments, blank lines, key order, the user's quoting) stays
//! as it was. A changed one-line value keeps the comment at the end of its line. The result
//! is read back before it is accepted: every field must say what was meant, or nothing is
//! written.

use crate::yaml::{Node, Value};
use serde_json::Value as Json;

/// A field's value as the form and the file are compared: scalars as text, lists, maps.
pub fn to_json(n: &Node) -> Json {
    match &n.value {
        Value::Scalar { .. } if n.is_null() => Json::Null,
        Value::Scalar { text, .. } => Json::String(text.to_string()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.scalar().unwrap_or_default().to_owned(), to_json(v)))
                .collect(),
        ),
    }
}

/// The file's top-level fields, or None when it is not a map of fields at column 1 (a flow
/// map, or a document we cannot edit line by line).
pub fn top_level(text: &str) -> Result<Vec<(String, Node, Node)>, String> {
    let root = crate::yaml::parse(text).map_err(|e| format!("第 {} 行有 YAML 语法错误", e.line))?;
    let Some(root) = root else {
        return Ok(Vec::new());
    };
    let Value::Map(entries) = root.value else {
        return Err("文件的最外层不是“字段: 值”的形式".into());
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let Some(key) = k.scalar() else {
            return Err(format!("第 {} 行的字段名不是文字", k.line));
        };
        if k.col != 1 {
            return Err(format!("第 {} 行的字段“{key}”没有顶格书写", k.line));
        }
        out.push((key.to_owned(), k, v));
    }
    Ok(out)
}

/// The edited text, and whether comments inside a rewritten value were dropped.
pub struct Edited {
    pub text: String,
    pub comments_dropped: bool,
}

/// Rewrites the fields in `changes` (None: remove the field). A field not in the file is
/// added after the nearest field before it in `order`. Fails with a reason when the file
/// cannot be edited in place, or when reading the result back does not give every field its
/// intended value.
pub fn apply(text: &str, changes: &[(String, Option<Json>)], order: &[&str]) -> Result<Edited, String> {
    let fields = top_level(text)?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Each field's lines, 0-based and inclusive: from its key to its last line of content
    // (comments and blank lines before the next field stay with that field).
    let spans: Vec<(usize, usize)> = fields
        .iter()
        .enumerate()
        .map(|(i, (_, k, _))| {
            let start = k.line as usize - 1;
            let bound = fields
                .get(i + 1)
                .map_or(lines.len(), |(_, next, _)| next.line as usize - 1);
            let mut end = bound.max(start + 1) - 1;
            while end > start && is_filler(&lines[end]) {
                end -= 1;
            }
            (start, end)
        })
        .collect();
    // Edits as (first line, lines replaced, new lines), applied bottom-up.
    let mut edits: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut comments_dropped = false;
    for (key, value) in changes {
        let at = fields.iter().position(|(k, _, _)| k == key);
        match (at, value) {
            (Some(i), None) => {
                let (s, e) = spans[i];
                comments_dropped |= lines[s..=e].iter().any(|l| l.contains('#'));
                edits.push((s, e - s + 1, Vec::new()));
            }
            (Some(i), Some(v)) => {
                let (s, e) = spans[i];
                let mut new = emit(key, v);
                let old_value = &fields[i].2;
                if s == e && new.len() == 1 {
                    if let Some(comment) = trailing_comment(&lines[s], old_value) {
                        new[0].push_str(&comment);
                    }
                } else {
                    comments_dropped |= lines[s..=e].iter().any(|l| l.contains('#'));
                }
                edits.push((s, e - s + 1, new));
            }
            (None, Some(v)) => {
                let before = order
                    .iter()
                    .position(|k| k == key)
                    .map_or(&[][..], |p| &order[..p]);
                let after = before
                    .iter()
                    .rev()
                    .find_map(|b| fields.iter().position(|(k, _, _)| k == b));
                let line = match after {
                    Some(i) => spans[i].1 + 1,
                    None => fields.first().map_or(lines.len(), |_| spans[0].0),
                };
                edits.push((line, 0, emit(key, v)));
            }
            (None, None) => {}
        }
    }
    // Bottom-up, so that earlier line numbers stay true; inserts at one place keep their
    // order.
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    for (line, count, new) in edits.into_iter() {
        lines.splice(line..line + count, new);
    }
    let mut out = lines.join(newline);
    if text.ends_with('\n') || !text.is_empty() || !out.is_empty() {
        out.push_str(newline);
    }
    verify(text, &out, changes)?;
    Ok(Edited {
        text: out,
        comments_dropped,
    })
}

/// A line that belongs to no field: blank, or a comment on its own.
fn is_filler(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// The ` # comment` after a one-line value, with the spaces before it.
fn trailing_comment(line: &str, value: &Node) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let from = (value.col + value.len).saturating_sub(1) as usize;
    let hash = (from.max(1)..chars.len()).find(|&i| chars[i] == '#' && chars[i - 1].is_whitespace())?;
    let mut start = hash;
    while start > 0 && chars[start - 1].is_whitespace() {
        start -= 1;
    }
    Some(chars[start..].iter().collect())
}

/// Reads `new` back: the changed fields must hold their new values, the others their old.
fn verify(old: &str, new: &str, changes: &[(String, Option<Json>)]) -> Result<(), String> {
    let wrong = || "保存后的内容读回来与所填的不一致".to_owned();
    let before: Vec<(String, Json)> = top_level(old)?
        .iter()
        .map(|(k, _, v)| (k.clone(), to_json(v)))
        .collect();
    let after: Vec<(String, Json)> = top_level(new)
        .map_err(|_| wrong())?
        .iter()
        .map(|(k, _, v)| (k.clone(), to_json(v)))
        .collect();
    let get =
        |list: &[(String, Json)], key: &str| list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    for (key, value) in changes {
        if get(&after, key) != value.clone() {
            return Err(wrong());
        }
    }
    for (key, value) in &before {
        if !changes.iter().any(|(k, _)| k == key) && get(&after, key).as_ref() != Some(value) {
            return Err(wrong());
        }
    }
    Ok(())
}

/// The whole file written anew from `fields` (when it cannot be edited in place).
pub fn fresh(fields: &[(String, Json)]) -> String {
    let mut out = String::new();
    for (k, v) in fields {
        if v.is_null() {
            continue;
        }
        for line in emit(k, v) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// `key: value` as block YAML lines.
pub fn emit(key: &str, value: &Json) -> Vec<String> {
    let mut out = Vec::new();
    block(&mut out, 0, &format!("{}:", scalar(key)), value);
    out
}

fn block(out: &mut Vec<String>, pad: usize, lead: &str, v: &Json) {
    let sp = " ".repeat(pad);
    match v {
        Json::Array(items) if items.is_empty() => out.push(format!("{sp}{lead} []")),
        Json::Object(map) if map.is_empty() => out.push(format!("{sp}{lead} {{}}")),
        Json::Array(items) => {
            let first = out.len();
            for item in items {
                block(out, pad + 2, "-", item);
            }
            attach(out, first, pad, &sp, lead);
        }
        Json::Object(map) => {
            let first = out.len();
            for (k, item) in map {
                block(out, pad + 2, &format!("{}:", scalar(k)), item);
            }
            attach(out, first, pad, &sp, lead);
        }
        Json::Null => out.push(format!("{sp}{lead}")),
        Json::String(s) => out.push(format!("{sp}{lead} {}", scalar(s))),
        other => out.push(format!("{sp}{lead} {other}")),
    }
}

/// A nested block under `lead`: after a dash, its first line joins the dash's line
/// (`- 标题: …`); after a key, it goes on the lines below.
fn attach(out: &mut Vec<String>, first: usize, pad: usize, sp: &str, lead: &str) {
    if lead == "-" {
        let line = &out[first];
        out[first] = format!("{sp}- {}", &line[pad + 2..]);
    } else {
        out.insert(first, format!("{sp}{lead}"));
    }
}

/// A scalar written plain where YAML reads it back unchanged, else double-quoted.
pub fn scalar(s: &str) -> String {
    const SPECIAL_START: &[char] = &[
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
    ];
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(SPECIAL_START)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(char::is_control)
        && !matches!(
            s,
            "~" | "null" | "Null" | "NULL" | "true" | "false" | "True" | "False" | "TRUE" | "FALSE"
        );
    if plain {
        return s.to_owned();
    }
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            c if c.is_control() => q.push_str(&format!("\\u{:04X}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ORDER: &[&str] = &["单位", "年度", "成文日期", "统计", "主要做法"];

    #[test]
    fn a_changed_value_keeps_the_rest_and_its_comment() {
        let text = "# 总结\n单位: 甲局   # 全称\n年度: 2024\n\n# 数字\n统计:\n  调研: 3 # 次\n";
        let e = apply(text, &[("单位".into(), Some(json!("乙局")))], ORDER).unwrap();
        assert_eq!(
            e.text,
            "# 总结\n单位: 乙局   # 全称\n年度: 2024\n\n# 数字\n统计:\n  调研: 3 # 次\n"
        );
        assert!(!e.comments_dropped);
    }

    #[test]
    fn lists_and_new_fields_are_written_in_block_style() {
        let text = "单位: 甲局\n年度: 2024\n统计:\n  调研: 3  # 次\n";
        let items = json!(["自动", {"标题": "压实责任", "内容": ["一", {"常用": "办前分析"}]}]);
        let e = apply(
            text,
            &[
                ("主要做法".into(), Some(items)),
                ("成文日期".into(), Some(json!("2024年12月20日"))),
                ("统计".into(), Some(json!({"调研": "4"}))),
            ],
            ORDER,
        )
        .unwrap();
        assert_eq!(
            e.text,
            "单位: 甲局\n年度: 2024\n成文日期: 2024年12月20日\n统计:\n  调研: 4\n主要做法:\n  - 自动\n  - 标题: 压实责任\n    内容:\n      - 一\n      - 常用: 办前分析\n"
        );
        assert!(
            e.comments_dropped,
            "the comment inside 统计 went with its old value"
        );
    }

    #[test]
    fn text_that_yaml_would_misread_is_quoted() {
        for s in [
            "{{ 办复率 }}达到",
            "a: b",
            "- 一",
            "null",
            " 前后空格 ",
            "两行\n文字",
            "引号\"和\\",
        ] {
            let e = apply("单位: 甲\n", &[("单位".into(), Some(json!(s)))], ORDER).unwrap();
            assert_eq!(
                to_json(&crate::yaml::parse(&e.text).unwrap().unwrap()),
                json!({"单位": s})
            );
        }
    }

    #[test]
    fn a_removed_field_takes_its_lines_only() {
        let text = "单位: 甲\n# 说明\n成文日期: 2024年1月1日\n年度: 2024\n";
        let e = apply(text, &[("成文日期".into(), None)], ORDER).unwrap();
        assert_eq!(e.text, "单位: 甲\n# 说明\n年度: 2024\n");
    }

    #[test]
    fn a_flow_map_file_is_not_edited_in_place() {
        assert!(apply("{单位: 甲}\n", &[("单位".into(), Some(json!("乙")))], ORDER).is_err());
    }
}
