//! Reading a YAML mapping field by field: typed getters that report what is wrong at the
//! value's place, and a check for unknown and repeated keys with the nearest known key.

use super::values::{self, Invalid};
use super::Ctx;
use crate::diag::{Diag, Loc};
use crate::model::Text;
use crate::source::FileId;
use crate::yaml::{Node, Value};
use chrono::NaiveDate;

pub fn loc(file: FileId, n: &Node) -> Loc {
    Loc {
        file,
        line: n.line,
        col: n.col,
        len: n.len,
    }
}

/// The known key nearest to `key`, when it is near enough to be a slip.
pub fn nearest<'a>(key: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = key.chars().count();
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(key, k), k))
        .filter(|&(d, k)| d <= 2 && d < len.max(k.chars().count()) && d * 2 <= len.max(2))
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// `text` on one line: its lines trimmed and run together (two Latin words keep a space).
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if latin(out.chars().last()) && latin(line.chars().next()) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The allowed values, joined for a message: `建议、议案、提案`.
pub fn list(values: &[&str]) -> String {
    values.join("、")
}

/// Whether two field names are the same. Field names are a few CJK characters, mostly of
/// the same length: their last bytes differ far more often than their first, and deciding on
/// them spares most of the comparisons a record's dozen lookups make.
fn same_name(a: &str, b: &str) -> bool {
    a.as_bytes().last() == b.as_bytes().last() && a == b
}

/// Whether key node `k` is the field `key`.
fn is_key(k: &Node, key: &str) -> bool {
    k.scalar().is_some_and(|s| same_name(s, key))
}

pub struct Fields<'a> {
    pub file: FileId,
    pub node: &'a Node,
    entries: &'a [(Node, Node)],
}

impl<'a> Fields<'a> {
    /// Takes `node` as a mapping, or reports that `what` should be one.
    pub fn new(ctx: &mut Ctx, file: FileId, node: &'a Node, what: &str) -> Option<Fields<'a>> {
        match Fields::of_map(file, node) {
            Some(f) => Some(f),
            None => {
                let mut d = Diag::error(
                    loc(file, node),
                    format!("{what}应为“字段: 值”的形式，这里是{}", node.kind_name()),
                );
                if let Some(s) = node.scalar() {
                    if s.contains('：') {
                        d = d.help("字段名和值之间要用半角冒号加空格“: ”，不能用全角冒号“：”");
                    } else if s.contains(':') {
                        d = d.help("半角冒号“:”后面要有一个空格，如“单位: 江城市民政局”");
                    }
                }
                ctx.diags.push(d);
                None
            }
        }
    }

    /// Takes `node` as a mapping; None, silently, when it is not one ([`Fields::new`] says why).
    pub fn of_map(file: FileId, node: &'a Node) -> Option<Fields<'a>> {
        match &node.value {
            Value::Map(entries) => Some(Fields { file, node, entries }),
            _ => None,
        }
    }

    pub fn loc(&self, n: &Node) -> Loc {
        loc(self.file, n)
    }

    /// The first node under `key`, when present and not null.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| is_key(k, key))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    /// The key node of `key`, for messages that point at the field's name.
    pub fn key_node(&self, key: &str) -> Option<&'a Node> {
        self.entries.iter().find(|(k, _)| is_key(k, key)).map(|(k, _)| k)
    }

    pub fn entries(&self) -> &'a [(Node, Node)] {
        self.entries
    }

    /// Reports keys that are not in `known`, suggesting the nearest, and keys given twice.
    pub fn check_keys(&self, ctx: &mut Ctx, known: &[&str], what: &str) {
        // Keys seen so far: a record's dozen are looked up by a scan (a map a record was a
        // hundred thousand maps for a case file), a hostile mapping of 100,000 in a map.
        let small = self.entries.len() <= 32;
        let mut seen: rustc_hash::FxHashMap<&str, &Node> = rustc_hash::FxHashMap::default();
        for (n, (k, _)) in self.entries.iter().enumerate() {
            let Some(name) = k.scalar() else {
                ctx.diags
                    .push(Diag::error(self.loc(k), format!("{what}的字段名应为文字")));
                continue;
            };
            let first = if small {
                self.entries[..n].iter().map(|(k, _)| k).find(|k| is_key(k, name))
            } else {
                seen.get(name).copied()
            };
            if let Some(first) = first {
                ctx.diags.push(
                    Diag::error(self.loc(k), format!("字段“{name}”重复出现"))
                        .related(self.loc(first), "第一次出现在这里")
                        .help("删去其中一处，只保留正确的值"),
                );
                continue;
            }
            if !small {
                seen.insert(name, k);
            }
            if known.iter().any(|k| same_name(k, name)) {
                continue;
            }
            let mut d = Diag::error(self.loc(k), format!("未知字段“{name}”"));
            d = match nearest(name, known.iter().copied()) {
                Some(s) => d
                    .label(format!("是否应为“{s}”？"))
                    .help(format!("把“{name}”改为“{s}”")),
                None => d.help(format!("{what}可用的字段有：{}", list(known))),
            };
            ctx.diags.push(d);
        }
    }

    /// Reports a field that is written but left empty (`标题: ''`): an empty value is never
    /// meant, and silently falling back to a default would hide the slip.
    pub fn empty_is_error(&self, ctx: &mut Ctx, key: &str, help: &str) {
        let empty = self
            .entries
            .iter()
            .find(|(k, _)| is_key(k, key))
            .filter(|(_, v)| v.scalar().is_some_and(|s| s.trim().is_empty()) || v.is_null());
        if let Some((k, _)) = empty {
            ctx.diags
                .push(Diag::error(self.loc(k), format!("“{key}”是空的")).help(help.to_owned()));
        }
    }

    pub fn missing(&self, ctx: &mut Ctx, key: &str, what: &str, help: &str) {
        let at = self.entries.first().map_or(self.node, |(k, _)| k);
        ctx.diags
            .push(Diag::error(self.loc(at), format!("{what}缺少必填字段“{key}”")).help(help.to_owned()));
    }

    /// A scalar field as text. Lists and mappings are reported.
    pub fn text(&self, ctx: &mut Ctx, key: &str) -> Option<Text> {
        let n = self.get(key)?;
        match n.scalar() {
            Some(s) => Some(Text {
                text: s.trim().to_owned(),
                at: self.loc(n),
            }),
            None => {
                ctx.diags.push(
                    Diag::error(
                        self.loc(n),
                        format!("“{key}”应为一段文字，这里是{}", n.kind_name()),
                    )
                    .help("在冒号后直接写文字；文字中含冒号等符号时可以加引号"),
                );
                None
            }
        }
    }

    /// A one-line field (a name, a case's title): a line break typed into it (Alt+Enter in an
    /// Excel cell, a YAML block) is joined away, so that it stays one line of text.
    pub fn string(&self, ctx: &mut Ctx, key: &str) -> Option<String> {
        // Text already on one line (nearly all) is kept as it is, not copied again.
        self.text(ctx, key)
            .map(|t| match t.text.contains('\n') {
                true => one_line(&t.text),
                false => t.text,
            })
            .filter(|s| !s.is_empty())
    }

    /// One name or a list of names (a case handled jointly by several units). Repeated
    /// names are reported; an empty list is as if the field were absent.
    pub fn strings(&self, ctx: &mut Ctx, key: &str) -> Vec<String> {
        let Some(n) = self.get(key) else {
            return Vec::new();
        };
        let crate::yaml::Value::Seq(items) = &n.value else {
            return self.string(ctx, key).into_iter().collect();
        };
        let mut out: Vec<String> = Vec::new();
        for item in items {
            match item.scalar().map(one_line) {
                Some(s) if s.is_empty() => {}
                Some(s) if out.contains(&s) => ctx.diags.push(
                    Diag::error(self.loc(item), format!("“{key}”中“{s}”重复")).help("同一个名称只写一次"),
                ),
                Some(s) => out.push(s),
                None => ctx.diags.push(
                    Diag::error(
                        self.loc(item),
                        format!("“{key}”的列表中应为名称，这里是{}", item.kind_name()),
                    )
                    .help(format!(
                        "每行写一个名称，如“- 市教育局”；只有一个时直接写在“{key}:”后面"
                    )),
                ),
            }
        }
        out
    }

    /// A field whose line breaks are the user's (a title broken by hand).
    pub fn lines(&self, ctx: &mut Ctx, key: &str) -> Option<String> {
        self.text(ctx, key).map(|t| t.text).filter(|s| !s.is_empty())
    }

    /// A scalar field parsed by `parse`; a parse failure is reported at the value.
    pub fn parsed<T>(
        &self,
        ctx: &mut Ctx,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Option<T> {
        let t = self.text(ctx, key)?;
        match parse(&t.text) {
            Ok(v) => Some(v),
            Err(e) => {
                ctx.diags
                    .push(Diag::error(t.at, format!("“{key}”：{}", e.title)).help(e.help));
                None
            }
        }
    }

    pub fn date(&self, ctx: &mut Ctx, key: &str) -> Option<NaiveDate> {
        self.parsed(ctx, key, values::date)
    }

    pub fn boolean(&self, ctx: &mut Ctx, key: &str) -> bool {
        self.parsed(ctx, key, values::boolean).unwrap_or(false)
    }

    /// One of `allowed` (by name), reporting an unknown value with the allowed list.
    pub fn choice<T: Copy>(
        &self,
        ctx: &mut Ctx,
        key: &str,
        allowed: &[T],
        name: impl Fn(T) -> &'static str,
    ) -> Option<T> {
        let t = self.text(ctx, key)?;
        if let Some(v) = allowed.iter().copied().find(|v| name(*v) == t.text) {
            return Some(v);
        }
        let names: Vec<&str> = allowed.iter().map(|v| name(*v)).collect();
        let mut d = Diag::error(t.at, format!("“{key}”的值“{}”无效", t.text))
            .help(format!("“{key}”可填：{}", list(&names)));
        if let Some(s) = nearest(&t.text, names.iter().copied()) {
            d = d.label(format!("是否应为“{s}”？"));
        }
        ctx.diags.push(d);
        None
    }
}
