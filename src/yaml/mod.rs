//! A YAML tree that remembers where every node stands in its file, built from
//! saphyr-parser's events. serde_yaml cannot tell where a value came from, and every
//! message of ours has to point at the exact line and column.

mod flat;

use compact_str::CompactString;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar's text; `plain` is false for quoted and block scalars, which are always strings.
    Scalar {
        /// Short texts (field names, dates, most values) are held inline, not allocated:
        /// a case file's million scalars were a fifth of reading it in malloc and free.
        text: CompactString,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A node with its position: 1-based line and character column, and its length in characters
/// on that line.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Node {
    /// The text of a scalar, or None for a sequence or mapping.
    pub fn scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// YAML's null: an empty plain scalar, `~` or `null`.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What kind of node this is, in words for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar { .. } if self.is_null() => "空值",
            Value::Scalar { .. } => "文字",
            Value::Seq(_) => "列表",
            Value::Map(_) => "字段表",
        }
    }
}

/// A YAML file that cannot be read as one document, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub col: u32,
    pub kind: SyntaxErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The parser's own (English) explanation.
    Parser(String),
    /// Lists and fields nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Aliases that would expand to more than [`MAX_ALIAS_NODES`] nodes.
    AliasBomb,
    /// A second document after `---` or `...`: its content would be silently ignored.
    SecondDocument,
}

/// Nesting deeper than this is no report of ours, and a hostile file must not exhaust the
/// stack (building, or dropping, the tree recurses).
pub const MAX_DEPTH: usize = 64;
/// How many nodes aliases may add in all: a few hundred bytes of `&a [*b, *b, …]` can
/// otherwise expand to gigabytes, as YAML "billion laughs" files do.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Nodes in a subtree.
fn size(n: &Node) -> usize {
    1 + match &n.value {
        Value::Scalar { .. } => 0,
        Value::Seq(items) => items.iter().map(size).sum(),
        Value::Map(items) => items.iter().map(|(k, v)| size(k) + size(v)).sum(),
    }
}

enum Frame {
    Seq(Node, Vec<Node>, usize),
    Map(Node, Vec<(Node, Node)>, Option<Node>, usize),
}

fn position(span: &Span) -> (u32, u32, u32) {
    let (s, e) = (span.start, span.end);
    let len = if e.line() == s.line() {
        e.col().saturating_sub(s.col())
    } else {
        1
    };
    (s.line() as u32, s.col() as u32 + 1, len.max(1) as u32)
}

fn empty_node(span: &Span, value: Value) -> Node {
    let (line, col, len) = position(span);
    Node {
        value,
        line,
        col,
        len,
    }
}

fn error_at(span: &Span, kind: SyntaxErrorKind) -> SyntaxError {
    let (line, col, _) = position(span);
    SyntaxError { line, col, kind }
}

fn unbalanced(span: &Span) -> SyntaxError {
    error_at(span, SyntaxErrorKind::Parser("unbalanced collection".into()))
}

/// Parses the first document of `text`. Returns None when the text holds no document
/// (an empty file, or only comments). A flat list of records takes the fast path of `flat`.
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    if let Some(root) = flat::parse(text) {
        return Ok(Some(root));
    }
    parse_streaming(text, None)
}

/// Like [`parse`], but when the document is a sequence, each of its items is handed to
/// `on_item` as soon as it is complete and the returned sequence is empty. A file of
/// 100,000 case records is then never held as one tree.
pub fn parse_items(text: &str, on_item: &mut dyn FnMut(Node)) -> Result<Option<Node>, SyntaxError> {
    if let Some(root) = flat::parse_items(text, on_item) {
        return Ok(Some(root));
    }
    parse_streaming(text, Some(on_item))
}

pub use flat::Piece;

/// A file that looks like a flat list of records, cut into at most `n` pieces of whole
/// records that can be parsed on different cores ([`Piece::items`]). If every piece parses,
/// their items in order are what [`parse_items`] hands out; if one does not, the file is not
/// flat and is to be parsed with [`parse_items`]. None when it cannot be flat.
pub fn flat_pieces(text: &str, n: usize) -> Option<Vec<Piece<'_>>> {
    flat::split(text, n)
}

type Events<'a> = Parser<'a, saphyr_parser::StrInput<'a>>;

fn next<'a>(parser: &mut Events<'a>) -> Option<Result<(Event<'a>, Span), SyntaxError>> {
    parser.next_event().map(|ev| {
        ev.map_err(|e| SyntaxError {
            line: e.marker().line() as u32,
            col: e.marker().col() as u32 + 1,
            kind: SyntaxErrorKind::Parser(e.info().to_owned()),
        })
    })
}

fn parse_streaming(
    text: &str,
    mut on_item: Option<&mut dyn FnMut(Node)>,
) -> Result<Option<Node>, SyntaxError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    // Anchored nodes with their sizes, and how many nodes aliases have added so far.
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut expanded = 0usize;
    let mut root: Option<Node> = None;
    while let Some(ev) = next(&mut parser) {
        let (event, span) = ev?;
        if matches!(event, Event::SequenceStart(..) | Event::MappingStart(..)) && stack.len() >= MAX_DEPTH {
            return Err(error_at(&span, SyntaxErrorKind::TooDeep));
        }
        let (node, anchor) = match event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => continue,
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(empty_node(&span, Value::Seq(vec![])), vec![], anchor));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(
                    empty_node(&span, Value::Map(vec![])),
                    vec![],
                    None,
                    anchor,
                ));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(mut n, items, anchor)) => {
                    n.value = Value::Seq(items);
                    (n, anchor)
                }
                _ => return Err(unbalanced(&span)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(mut n, items, _, anchor)) => {
                    n.value = Value::Map(items);
                    (n, anchor)
                }
                _ => return Err(unbalanced(&span)),
            },
            Event::Scalar(text, style, anchor, _) => {
                let plain = style == ScalarStyle::Plain;
                (
                    empty_node(
                        &span,
                        Value::Scalar {
                            text: CompactString::from(text),
                            plain,
                        },
                    ),
                    anchor,
                )
            }
            Event::Alias(id) => {
                if let Some((_, n)) = anchors.get(&id) {
                    expanded += n;
                    if expanded > MAX_ALIAS_NODES {
                        return Err(error_at(&span, SyntaxErrorKind::AliasBomb));
                    }
                }
                let mut n = anchors.get(&id).map_or_else(
                    || {
                        empty_node(
                            &span,
                            Value::Scalar {
                                text: CompactString::default(),
                                plain: true,
                            },
                        )
                    },
                    |(n, _)| n.clone(),
                );
                let (line, col, len) = position(&span);
                (n.line, n.col, n.len) = (line, col, len);
                (n, 0)
            }
        };
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), size(&node)));
        }
        let depth = stack.len();
        match stack.last_mut() {
            None => {
                root = Some(node);
                break;
            }
            Some(Frame::Seq(_, items, _)) => match (&mut on_item, depth) {
                (Some(f), 1) => f(node),
                _ => items.push(node),
            },
            Some(Frame::Map(_, items, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => items.push((k, node)),
            },
        }
    }
    // The rest of the stream: a second document with content would be silently ignored,
    // and a syntax error after the first document must still be reported.
    let mut second: Option<Span> = None;
    while let Some(ev) = next(&mut parser) {
        let (event, span) = ev?;
        match event {
            Event::DocumentStart(_) => second = Some(span),
            Event::Scalar(ref text, ScalarStyle::Plain, _, _) if text.is_empty() || text == "~" => {}
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) | Event::Alias(_) => {
                return Err(error_at(&second.unwrap_or(span), SyntaxErrorKind::SecondDocument));
            }
            _ => {}
        }
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_characters() {
        let n = parse("单位: 江城市民政局\n案件:\n  - 编号: 建议第1号\n")
            .unwrap()
            .unwrap();
        let Value::Map(items) = &n.value else { panic!() };
        assert_eq!((items[0].0.line, items[0].0.col, items[0].0.len), (1, 1, 2));
        assert_eq!((items[0].1.line, items[0].1.col), (1, 5));
        let Value::Seq(cases) = &items[1].1.value else {
            panic!()
        };
        let Value::Map(case) = &cases[0].value else {
            panic!()
        };
        assert_eq!((case[0].1.line, case[0].1.col, case[0].1.len), (3, 9, 5));
    }

    #[test]
    fn empty_and_comment_only_have_no_document() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# 只有注释\n").unwrap(), None);
    }

    #[test]
    fn syntax_error_has_location() {
        let e = parse("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn quoted_scalars_are_not_plain() {
        let n = parse("a: '是'\nb: 是\nc: ~\n").unwrap().unwrap();
        let Value::Map(items) = &n.value else { panic!() };
        assert_eq!(
            items[0].1.value,
            Value::Scalar {
                text: "是".into(),
                plain: false
            }
        );
        assert!(items[2].1.is_null());
    }

    #[test]
    fn items_stream_out_of_a_root_sequence() {
        let mut seen = vec![];
        let root = parse_items("- a: 1\n- [2]\n- 3\n", &mut |n| seen.push(n.line))
            .unwrap()
            .unwrap();
        assert_eq!(seen, [1, 2, 3]);
        assert_eq!(root.value, Value::Seq(vec![]));
        let mut none = 0;
        let root = parse_items("a: [1, 2]\n", &mut |_| none += 1).unwrap().unwrap();
        assert_eq!(none, 0);
        assert!(matches!(root.value, Value::Map(_)));
    }

    #[test]
    fn limits_depth_alias_expansion_and_documents() {
        let deep = "- ".repeat(200_000) + "x\n";
        assert_eq!(parse(&deep).unwrap_err().kind, SyntaxErrorKind::TooDeep);
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
            let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
            bomb += &format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n");
        }
        let e = parse(&bomb).unwrap_err();
        assert_eq!(e.kind, SyntaxErrorKind::AliasBomb);
        assert!(e.line > 1);
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!((e.kind, e.line), (SyntaxErrorKind::SecondDocument, 2));
        let e = parse("- a\n...\n- b\n").unwrap_err();
        assert_eq!(e.kind, SyntaxErrorKind::SecondDocument);
        // An empty document after a trailing separator holds nothing to lose.
        assert!(parse("a: 1\n---\n").is_ok());
        assert!(parse("---\na: 1\n...\n").is_ok());
        // A syntax error after the first document is still an error.
        assert!(parse("a: 1\n---\nb: [\n").is_err());
    }

    #[test]
    fn aliases_resolve() {
        let n = parse("a: &x 甲\nb: *x\n").unwrap().unwrap();
        let Value::Map(items) = &n.value else { panic!() };
        assert_eq!(items[1].1.scalar(), Some("甲"));
        assert_eq!(items[1].1.line, 2);
    }
}
