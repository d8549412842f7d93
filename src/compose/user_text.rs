//! User text is text, never structure. A template renders a line markup (`# 标题`,
//! `## 标题。正文`, `@分页`), and user text inside it — a YAML paragraph with a line break, an
//! Excel cell typed with Alt+Enter, a 小标题 holding `。` — must not become a heading, a page
//! break or a split run-in heading. So every string the template sees stands for itself as
//! an opaque token while the template renders and the markup is parsed; the tokens are
//! replaced by the texts only in the parsed blocks.

use crate::document::Block;

/// Opens and closes a token: characters of Unicode's private use area, which no user text
/// keeps (they are replaced when a text is taken in).
const OPEN: char = '\u{F8F0}';
const CLOSE: char = '\u{F8F1}';

#[derive(Default)]
pub struct UserTexts {
    texts: Vec<String>,
}

impl UserTexts {
    /// Replaces every non-empty string in the template's data by a token for it, except the
    /// sentences of 基本情况 (`basic`): they are ours, begin with our words, hold user text
    /// only as one-line names, and templates trim and test them as text.
    pub fn tokenize_view(&mut self, view: &mut serde_json::Value) {
        if let serde_json::Value::Object(map) = view {
            for (_, value) in map.iter_mut().filter(|(k, _)| *k != "basic") {
                self.tokenize(value);
            }
        }
    }

    /// Replaces every non-empty string in `value` by a token for it.
    pub fn tokenize(&mut self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) if !s.is_empty() => {
                let text = std::mem::take(s).replace([OPEN, CLOSE], "\u{FFFD}");
                *s = format!("{OPEN}{}{CLOSE}", self.texts.len());
                self.texts.push(text);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.tokenize(v)),
            // `mark` is ours: the markup of an item's line (`## `), never user text.
            serde_json::Value::Object(map) => map
                .iter_mut()
                .filter(|(k, _)| *k != "mark")
                .for_each(|(_, v)| self.tokenize(v)),
            _ => {}
        }
    }

    /// `s` with its tokens replaced by their texts, whose line breaks are joined: a text
    /// stays within the line the template put it on (see [`crate::load::fields::one_line`]).
    pub fn restore(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find(OPEN) {
            out.push_str(&rest[..i]);
            let after = &rest[i + OPEN.len_utf8()..];
            let Some(j) = after.find(CLOSE) else {
                out.push_str(&rest[i..]);
                return out;
            };
            match after[..j].parse::<usize>().ok().and_then(|n| self.texts.get(n)) {
                Some(text) => out.push_str(&crate::load::fields::one_line(text)),
                None => out.push_str(&rest[i..i + OPEN.len_utf8() + j + CLOSE.len_utf8()]),
            }
            rest = &after[j + CLOSE.len_utf8()..];
        }
        out.push_str(rest);
        out
    }

    /// The blocks with every token replaced.
    pub fn restore_blocks(&self, blocks: &mut [Block]) {
        for b in blocks {
            match b {
                Block::Heading(h) => h.text = self.restore(&h.text),
                Block::Paragraph(p) => {
                    p.text = self.restore(&p.text);
                    if let Some(h) = &mut p.run_in {
                        h.text = self.restore(&h.text);
                    }
                }
                Block::Table(_) | Block::PageBreak => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_hide_structure_and_restore_joined() {
        let mut u = UserTexts::default();
        let mut v = serde_json::json!({"title": "压实责任。逐件落实", "text": "第一行\n# 不是标题\n@分页", "n": 3, "e": ""});
        u.tokenize(&mut v);
        let title = v["title"].as_str().unwrap();
        assert!(!title.contains('。'));
        let markup = format!("## {title}。{}\n", v["text"].as_str().unwrap());
        let mut blocks = crate::compose::markup::parse(&markup);
        u.restore_blocks(&mut blocks);
        let Block::Paragraph(p) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(p.run_in.as_ref().unwrap().text, "压实责任。逐件落实。");
        assert_eq!(p.text, "第一行# 不是标题@分页");
        assert_eq!(blocks.len(), 1);
        assert_eq!(v["n"], 3);
        assert_eq!(v["e"], "");
        assert_eq!(u.restore("GB/T\n9704"), "GB/T\n9704", "only tokens are touched");
    }
}
