//! A fast path for the common shape of a case file: a root block sequence of flat records.
//!
//! ```yaml
//! # 注释
//! - 编号: 建议第1号
//!   标题: "关于优化公交线路的建议"   # quoted, escapes as YAML does them
//!   答复日期:                       # empty: null
//! - {编号: 建议第2号, 类别: 提案}    # one-line flow mapping of plain values
//! - 编号: 建议第3号
//!   二次答复: {答复日期: 2024-09-25, 办理结果: B}   # a value may be one too
//! ```
//!
//! saphyr's character-by-character scanner was the largest part of `zongjie check` on such
//! files (0.72 s of 1.4 s for 100,000 cases); here each line is split with a few byte searches
//! (0.22 s, in two passes). The path is all or nothing: anything it does not fully understand
//! (anchors, tags, nesting, multi-line or block scalars, tabs, CR, BOM, document markers, odd
//! indentation…) makes it return None before a single item is handed out, and the caller
//! parses the whole text with saphyr instead. When it accepts, the nodes, positions included,
//! are exactly those the saphyr path builds (see the property test below).

use super::{Node, Value};
use compact_str::CompactString;

/// [`super::parse`] for a file of the flat shape: the root sequence with all its items.
pub(super) fn parse(text: &str) -> Option<Node> {
    let mut items = Vec::new();
    let mut root = scan(text, 0, None, |item| items.push(item.build()))?;
    root.value = Value::Seq(items);
    Some(root)
}

/// [`super::parse_items`] for a file of the flat shape. The first pass only checks, so that
/// no item is handed out of a file that will be parsed again by saphyr; the second builds.
pub(super) fn parse_items(text: &str, on_item: &mut dyn FnMut(Node)) -> Option<Node> {
    scan(text, 0, None, |_| {})?;
    scan(text, 0, None, |item| on_item(item.build()))
}

/// A run of whole records of a file that looks flat, to be parsed on a core of its own
/// ([`split`]). Parsing the pieces one after another is parsing the whole text: a record
/// starts on a line holding the sequence's indent and `- `, and nothing of the scan's state
/// crosses such a line but the sequence's column, which each later piece is given.
pub struct Piece<'a> {
    text: &'a str,
    /// Lines of the file before this piece.
    lines_before: u32,
    /// The index in the file of the piece's first record.
    pub first_index: usize,
    /// The root sequence, for every piece but the first (which finds it).
    seq: Option<Node>,
}

impl Piece<'_> {
    /// Hands each record of the piece to `on_item`. None when the piece is not of the flat
    /// shape, possibly after some records were handed out: the file is then to be parsed
    /// whole by saphyr, and what the pieces gave thrown away. The first piece returns the
    /// root sequence node.
    pub fn items(&self, on_item: &mut dyn FnMut(Node)) -> Option<Node> {
        scan(self.text, self.lines_before, self.seq.clone(), |item| {
            on_item(item.build());
        })
    }
}

/// Cuts `text` into at most `n` pieces of about equal size, at record starts. Cheap (two
/// byte searches over the text); whether the text is flat is found out by the pieces' own
/// scans. None when its first line of content is not a record's start.
pub(super) fn split(text: &str, n: usize) -> Option<Vec<Piece<'_>>> {
    let first = text
        .split('\n')
        .find(|l| !l.trim_start_matches(' ').is_empty() && !l.trim_start_matches(' ').starts_with('#'))?;
    let indent = first.bytes().take_while(|&b| b == b' ').count();
    if !first[indent..].starts_with("- ") {
        return None;
    }
    // A line of the sequence's indent and then `- `: in a flat file, always a record's start.
    let start = format!("\n{}- ", " ".repeat(indent));
    let finder = memchr::memmem::Finder::new(start.as_bytes());
    // Every piece holds a record: the first piece is cut after the file's first record.
    let mut from = first.as_ptr() as usize - text.as_ptr() as usize;
    let mut cuts = vec![0];
    for k in 1..n {
        from = from.max(text.len() * k / n);
        match finder.find(&text.as_bytes()[from..]) {
            Some(i) => from += i + 1,
            None => break,
        }
        cuts.push(from);
    }
    cuts.push(text.len());
    let seq = Node {
        value: Value::Seq(vec![]),
        line: 0,
        col: u32::try_from(indent + 1).ok()?,
        len: 1,
    };
    let (mut lines, mut records) = (0usize, 0usize);
    let mut pieces = Vec::with_capacity(cuts.len() - 1);
    for (k, w) in cuts.windows(2).enumerate() {
        let text = &text[w[0]..w[1]];
        pieces.push(Piece {
            text,
            lines_before: u32::try_from(lines).ok()?,
            first_index: records,
            seq: (k > 0).then(|| seq.clone()),
        });
        lines += memchr::memchr_iter(b'\n', text.as_bytes()).count();
        // The piece's records: the lines after a newline that start one, and its first
        // line, which no newline of the piece precedes (every later piece starts with a
        // record; the first does when the file does).
        let first_line = k > 0 || text.starts_with(&start[1..]);
        records += finder.find_iter(text.as_bytes()).count() + usize::from(first_line);
    }
    Some(pieces)
}

/// How a scalar was written; `raw` below is the text between the quotes, undecoded.
#[derive(Clone, Copy)]
enum Style {
    Plain,
    Single,
    Double,
}

/// A scalar as found in the source, decoded only when built.
#[derive(Clone, Copy)]
struct Raw<'a> {
    raw: &'a str,
    style: Style,
    line: u32,
    col: u32,
    len: u32,
}

impl Raw<'_> {
    /// An empty value: saphyr places the null scalar at the `:` (0-based `colon_col`).
    fn null_at(line: u32, colon_col: u32) -> Self {
        Raw {
            raw: "",
            style: Style::Plain,
            line,
            col: colon_col + 1,
            len: 1,
        }
    }

    fn build(&self) -> Node {
        let text = match self.style {
            Style::Plain => CompactString::from(self.raw),
            Style::Single => self.raw.replace("''", "'").into(),
            Style::Double => {
                let mut s = String::with_capacity(self.raw.len());
                unescape(self.raw, Some(&mut s));
                s.into()
            }
        };
        Node {
            value: Value::Scalar {
                text,
                plain: matches!(self.style, Style::Plain),
            },
            line: self.line,
            col: self.col,
            len: self.len,
        }
    }
}

/// A record's value: a scalar, or a one-line flow mapping of scalars (`二次答复: {…}`) at
/// `line`/`col`, `len` as saphyr's mapping start has it (the `{` and the blanks after it).
enum Val<'a> {
    Scalar(Raw<'a>),
    Map {
        line: u32,
        col: u32,
        len: u32,
        entries: Vec<(Raw<'a>, Raw<'a>)>,
    },
}

impl Val<'_> {
    fn build(&self) -> Node {
        match self {
            Val::Scalar(raw) => raw.build(),
            Val::Map {
                line,
                col,
                len,
                entries,
            } => Node {
                value: Value::Map(entries.iter().map(|(k, v)| (k.build(), v.build())).collect()),
                line: *line,
                col: *col,
                len: *len,
            },
        }
    }
}

/// One record: a mapping at `line`/`col`, `len` as saphyr's mapping start has it (1 for a
/// block mapping, the `{` and the blanks after it for a flow mapping).
struct Item<'s, 'a> {
    line: u32,
    col: u32,
    len: u32,
    entries: &'s [(Raw<'a>, Val<'a>)],
}

impl Item<'_, '_> {
    fn build(&self) -> Node {
        Node {
            value: Value::Map(self.entries.iter().map(|(k, v)| (k.build(), v.build())).collect()),
            line: self.line,
            col: self.col,
            len: self.len,
        }
    }
}

/// A block mapping record whose lines are still being read.
struct Open {
    /// Where saphyr puts the mapping: at its first key (1-based), with an empty span.
    line: u32,
    col: u32,
    /// The 0-based column of its keys; every further line of the record starts there.
    key_col: usize,
}

/// Walks the whole text, handing each complete record to `emit`. Returns the root sequence
/// node (with no items: they went to `emit`), or None as soon as the text turns out not to be
/// of the flat shape, possibly after some records went to `emit`: that is why
/// [`parse_items`] runs it twice. A [`Piece`] of a file is scanned with the lines before it
/// and the root sequence found by the first piece.
fn scan<'a>(
    text: &'a str,
    lines_before: u32,
    mut root: Option<Node>,
    mut emit: impl FnMut(&Item<'_, 'a>),
) -> Option<Node> {
    // Tabs, CR, NUL and other controls, and a BOM anywhere: saphyr has rules for each. Past
    // 4 GiB, positions would not fit in u32 (saphyr's would wrap).
    let control = |c: &[u8]| c.iter().fold(false, |any, &b| any | (b < b' ' && b != b'\n'));
    if text.len() >= u32::MAX as usize
        || text.as_bytes().chunks(4096).any(control)
        || text.contains('\u{feff}')
    {
        return None;
    }
    let mut open: Option<Open> = None;
    let mut entries: Vec<(Raw<'a>, Val<'a>)> = Vec::new();
    let mut flow: Vec<(Raw<'a>, Raw<'a>)> = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let line_no = u32::try_from(n + 1).ok()?.checked_add(lines_before)?;
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let rest = &line[indent..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if let Some(after_dash) = rest.strip_prefix("- ") {
            let seq_col = u32::try_from(indent).ok()?;
            match &root {
                None => {
                    root = Some(Node {
                        value: Value::Seq(vec![]),
                        line: line_no,
                        col: seq_col + 1,
                        len: 1,
                    });
                }
                Some(r) if r.col != seq_col + 1 => return None,
                Some(_) => {}
            }
            if let Some(o) = open.take() {
                emit(&Item {
                    line: o.line,
                    col: o.col,
                    len: 1,
                    entries: &entries,
                });
            }
            entries.clear();
            let spaces = after_dash.bytes().take_while(|&b| b == b' ').count();
            let body = &after_dash[spaces..];
            let key_col = u32::try_from(indent + 2 + spaces).ok()?;
            if body.starts_with('{') {
                let len = flow_map(body, line_no, key_col, &mut flow)?;
                entries.extend(flow.drain(..).map(|(k, v)| (k, Val::Scalar(v))));
                emit(&Item {
                    line: line_no,
                    col: key_col + 1,
                    len,
                    entries: &entries,
                });
                entries.clear();
            } else {
                entries.push(block_entry(body, line_no, key_col)?);
                open = Some(Open {
                    line: line_no,
                    col: key_col + 1,
                    key_col: indent + 2 + spaces,
                });
            }
        } else {
            match &open {
                Some(o) if o.key_col == indent => {
                    entries.push(block_entry(rest, line_no, u32::try_from(indent).ok()?)?);
                }
                _ => return None,
            }
        }
    }
    if let Some(o) = open {
        emit(&Item {
            line: o.line,
            col: o.col,
            len: 1,
            entries: &entries,
        });
    }
    root
}

/// Characters that start something other than a plain scalar (YAML 1.2, 7.3.3), or that this
/// path does not take on (`-`, `?`, `:`: an indicator or plain, depending on what follows).
fn starts_special(s: &str) -> bool {
    matches!(
        s.as_bytes().first(),
        Some(
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        )
    )
}

/// The first place in `s` where a block plain scalar ends: a `:` followed by a space or the
/// end (`Some((i, true))`, `i` at the `:`), or a ` #` (`Some((i, false))`, `i` at the space).
fn plain_end(s: &str) -> Option<(usize, bool)> {
    let b = s.as_bytes();
    (0..b.len()).find_map(|i| match b[i] {
        b':' if matches!(b.get(i + 1), None | Some(b' ')) => Some((i, true)),
        b'#' if i > 0 && b[i - 1] == b' ' => Some((i - 1, false)),
        _ => None,
    })
}

fn chars(s: &str) -> Option<u32> {
    u32::try_from(s.chars().count()).ok()
}

/// A plain key as a simple key may be: one line, short (saphyr forgets a possible key after
/// 1024 characters), no space before its `:`. (Callers make sure it holds no comment.)
fn plain_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 1000 && !starts_special(key) && !key.ends_with(' ')
}

/// `key: value` at 0-based column `col` of `line`, `body` running to the end of the line.
fn block_entry<'a>(body: &'a str, line: u32, col: u32) -> Option<(Raw<'a>, Val<'a>)> {
    // The key ends at the first `:` followed by a space or the end of the line.
    let Some((colon, true)) = plain_end(body) else {
        return None;
    };
    let key = &body[..colon];
    if !plain_key(key) {
        return None;
    }
    let colon_col = col + chars(key)?;
    let key = Raw {
        raw: key,
        style: Style::Plain,
        line,
        col: col + 1,
        len: colon_col - col,
    };
    let after = &body[colon + 1..];
    let spaces = after.bytes().take_while(|&b| b == b' ').count();
    let v = &after[spaces..];
    let vcol = colon_col + 1 + u32::try_from(spaces).ok()?;
    if v.starts_with('{') {
        let mut entries = Vec::new();
        let len = flow_map(v, line, vcol, &mut entries)?;
        let map = Val::Map {
            line,
            col: vcol + 1,
            len,
            entries,
        };
        return Some((key, map));
    }
    let value = if v.is_empty() || v.starts_with('#') {
        Raw::null_at(line, colon_col)
    } else if let Some(style) = quote_style(v) {
        let (raw, tail) = quoted(v, style)?;
        // Only blanks and a comment may follow; saphyr's span runs to the end of the line.
        let tail_rest = tail.trim_start_matches(' ');
        if !(tail_rest.is_empty() || (tail_rest.starts_with('#') && tail_rest.len() < tail.len())) {
            return None;
        }
        Raw {
            raw,
            style,
            line,
            col: vcol + 1,
            len: chars(v)?,
        }
    } else {
        // A plain value ends at ` #` (a comment) and loses its trailing blanks; a `: ` or a
        // final `:` would make it a key, and `- ` a nested list.
        let content = match plain_end(v) {
            None => v,
            Some((i, false)) => &v[..i],
            Some((_, true)) => return None,
        }
        .trim_end_matches(' ');
        if starts_special(v) && !is_plain_dash(v) {
            return None;
        }
        Raw {
            raw: content,
            style: Style::Plain,
            line,
            col: vcol + 1,
            len: chars(content)?,
        }
    };
    Some((key, Val::Scalar(value)))
}

/// `-1`, `-x`: a `-` followed by a non-blank starts a plain scalar, not a list entry.
fn is_plain_dash(v: &str) -> bool {
    v.starts_with('-') && !matches!(v.as_bytes().get(1), None | Some(b' '))
}

fn quote_style(v: &str) -> Option<Style> {
    match v.as_bytes().first() {
        Some(b'\'') => Some(Style::Single),
        Some(b'"') => Some(Style::Double),
        _ => None,
    }
}

/// A quoted scalar closed on this line: its undecoded inside and what follows the closing
/// quote. None when it does not close here (a multi-line scalar) or holds a bad escape.
fn quoted(v: &str, style: Style) -> Option<(&str, &str)> {
    let b = v.as_bytes();
    let mut i = 1;
    loop {
        match (style, b.get(i)?) {
            (Style::Single, b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
            (Style::Single, b'\'') | (Style::Double, b'"') => break,
            // The escaped byte is skipped; a multi-byte character's other bytes are never
            // ASCII, so they cannot be taken for a quote or a backslash.
            (Style::Double, b'\\') => i += 2,
            _ => i += 1,
        }
    }
    let raw = &v[1..i];
    if matches!(style, Style::Double) && raw.contains('\\') && !unescape(raw, None) {
        return None;
    }
    Some((raw, &v[i + 1..]))
}

/// Decodes the escapes of a double-quoted scalar (YAML 1.2, 5.7) into `out`, exactly as saphyr
/// does; false on an escape saphyr rejects. With no `out` it only checks.
fn unescape(raw: &str, mut out: Option<&mut String>) -> bool {
    let mut it = raw.chars();
    while let Some(c) = it.next() {
        let c = if c == '\\' {
            let digits = match it.next() {
                Some('x') => 2,
                Some('u') => 4,
                Some('U') => 8,
                e => {
                    let Some(d) = e.and_then(simple_escape) else {
                        return false;
                    };
                    if let Some(o) = out.as_deref_mut() {
                        o.push(d);
                    }
                    continue;
                }
            };
            let mut code = 0u32;
            for _ in 0..digits {
                let Some(d) = it.next().and_then(|h| h.to_digit(16)) else {
                    return false;
                };
                code = (code << 4) | d;
            }
            let Some(ch) = char::from_u32(code) else {
                return false;
            };
            ch
        } else {
            c
        };
        if let Some(o) = out.as_deref_mut() {
            o.push(c);
        }
    }
    true
}

/// The one-character escapes; a tab after `\` never gets here (tabs are refused).
fn simple_escape(c: char) -> Option<char> {
    Some(match c {
        '0' => '\0',
        'a' => '\x07',
        'b' => '\x08',
        't' => '\t',
        'n' => '\n',
        'v' => '\x0b',
        'f' => '\x0c',
        'r' => '\r',
        'e' => '\x1b',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        _ => return None,
    })
}

/// Tracks the character column of a byte position moving forward along one line.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
    col: u32,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    /// Moves to byte `to` (a character boundary at or after the cursor).
    fn advance(&mut self, to: usize) -> Option<()> {
        self.col += chars(self.s.get(self.pos..to)?)?;
        self.pos = to;
        Some(())
    }

    fn skip_spaces(&mut self) -> Option<usize> {
        let n = self.s[self.pos..].bytes().take_while(|&b| b == b' ').count();
        self.advance(self.pos + n)?;
        Some(n)
    }

    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }
}

/// `{k: v, k: v}` starting at 0-based column `col`, alone on its line but for a comment.
/// Pushes its entries; returns the length saphyr gives the mapping (the `{` and the blanks
/// after it). Plain keys, plain or quoted values (or none), no trailing comma.
fn flow_map<'a>(body: &'a str, line: u32, col: u32, entries: &mut Vec<(Raw<'a>, Raw<'a>)>) -> Option<u32> {
    let mut c = Cursor {
        s: body,
        pos: 1,
        col: col + 1,
    };
    let len = 1 + u32::try_from(c.skip_spaces()?).ok()?;
    if c.peek() != Some(b'}') {
        loop {
            let rest = c.rest();
            let colon = rest.find(':')?;
            let key = &rest[..colon];
            if !plain_key(key) || key.contains([',', '[', ']', '{', '}', '#']) {
                return None;
            }
            let key_col = c.col;
            c.advance(c.pos + colon)?;
            let colon_col = c.col;
            let key = Raw {
                raw: key,
                style: Style::Plain,
                line,
                col: key_col + 1,
                len: colon_col - key_col,
            };
            c.advance(c.pos + 1)?;
            if c.skip_spaces()? == 0 {
                return None;
            }
            let v = c.rest();
            let vcol = c.col;
            let value = if v.starts_with([',', '}']) {
                Raw::null_at(line, colon_col)
            } else if let Some(style) = quote_style(v) {
                let (raw, _) = quoted(v, style)?;
                c.advance(c.pos + raw.len() + 2)?;
                // saphyr's span takes in the blanks after the closing quote.
                c.skip_spaces()?;
                if !c.rest().starts_with([',', '}']) {
                    return None;
                }
                Raw {
                    raw,
                    style,
                    line,
                    col: vcol + 1,
                    len: c.col - vcol,
                }
            } else {
                let end = v.find([',', '}'])?;
                // saphyr refuses a `-` right before the `,` or `}` ("x -}").
                let content = v[..end].trim_end_matches(' ');
                if starts_special(content)
                    || content.contains(['[', ']', '{', '#', ':'])
                    || v[..end].ends_with('-')
                {
                    return None;
                }
                c.advance(c.pos + content.len())?;
                c.skip_spaces()?;
                Raw {
                    raw: content,
                    style: Style::Plain,
                    line,
                    col: vcol + 1,
                    len: chars(content)?,
                }
            };
            entries.push((key, value));
            match c.peek() {
                Some(b',') => {
                    c.advance(c.pos + 1)?;
                    c.skip_spaces()?;
                    if c.peek() == Some(b'}') {
                        return None;
                    }
                }
                _ => break,
            }
        }
    }
    // At the `}`: then only blanks and a comment.
    let after = c.rest().strip_prefix('}')?;
    let tail = after.trim_start_matches(' ');
    (tail.is_empty() || (tail.starts_with('#') && tail.len() < after.len())).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::super::{parse_streaming, SyntaxError};
    use super::*;

    type Streamed = (Vec<Node>, Result<Option<Node>, SyntaxError>);

    /// The saphyr path alone, as `parse_items` was before the fast path.
    fn saphyr_items(text: &str) -> Streamed {
        let mut items = vec![];
        let root = parse_streaming(text, Some(&mut |n| items.push(n)));
        (items, root)
    }

    fn overall_items(text: &str) -> Streamed {
        let mut items = vec![];
        let root = super::super::parse_items(text, &mut |n| items.push(n));
        (items, root)
    }

    /// Asserts that the fast path, when it accepts `text`, builds what saphyr builds, and that
    /// the public functions give what saphyr alone gives. Returns whether it accepted.
    fn check(text: &str) -> bool {
        let expected = saphyr_items(text);
        let mut items = vec![];
        let fast = parse_items(text, &mut |n| items.push(n));
        let accepted = fast.is_some();
        if let Some(root) = fast {
            assert_eq!(
                (&items, &Ok(Some(root))),
                (&expected.0, &expected.1),
                "fast path differs on {text:?}"
            );
        } else {
            assert!(items.is_empty(), "items handed out before bailing on {text:?}");
        }
        assert_eq!(overall_items(text), expected, "parse_items differs on {text:?}");
        let whole = parse(text);
        assert_eq!(
            whole.is_some(),
            accepted,
            "parse and parse_items disagree on {text:?}"
        );
        if let Some(root) = whole {
            assert_eq!(
                Ok(Some(root)),
                parse_streaming(text, None),
                "parse differs on {text:?}"
            );
        }
        assert_eq!(
            super::super::parse(text),
            parse_streaming(text, None),
            "parse differs on {text:?}"
        );
        for n in [2, 3, 7] {
            check_pieces(text, n, accepted.then_some(&expected));
        }
        accepted
    }

    /// Asserts that `text` cut into `n` pieces parses, piece after piece, into the items of
    /// the whole (`whole`, when the fast path took it) with the right first indices, and that
    /// some piece refuses when the fast path refused the whole.
    fn check_pieces(text: &str, n: usize, whole: Option<&Streamed>) {
        let Some(pieces) = split(text, n) else {
            assert!(whole.is_none(), "split refused a flat file: {text:?}");
            return;
        };
        assert!(!pieces.is_empty() && pieces.len() <= n);
        let mut items = vec![];
        let mut root = None;
        for (k, p) in pieces.iter().enumerate() {
            assert_eq!(p.first_index, items.len(), "first index of piece {k} of {text:?}");
            match p.items(&mut |i| items.push(i)) {
                Some(r) if k == 0 => root = Some(r),
                Some(_) => {}
                None => {
                    assert!(whole.is_none(), "piece {k} of {n} refused a flat file: {text:?}");
                    return;
                }
            }
        }
        let Some((expected, expected_root)) = whole else {
            panic!("every piece took a file the fast path refused: {text:?}");
        };
        assert_eq!(
            (&items, &Ok(root)),
            (expected, expected_root),
            "pieces differ on {text:?}"
        );
    }

    #[test]
    fn takes_the_flat_shape() {
        let text = "# 台账\n- 编号: 建议第1号\n  类别: 建议\n  标题: \"关于优化公交线路的建议\"\n  \
                    交办日期: 2024-03-01\n  答复日期:\n  备注: 'it''s' # 注\n\n- {编号: 建议第2号, 类别: 提案}";
        assert!(check(text));
        assert!(check("  - a: x\n    b: \"\\u4e2d\\t\\\\\"  \n"));
        // A value that is a one-line flow mapping (二次答复), as saphyr places it.
        assert!(check(
            "- 编号: 1\n  二次答复: {答复日期: 2024-09-25, 办理结果: B}  # 注\n  备注: x\n"
        ));
        assert!(check("- 二次答复: { 答复日期: 2024-09-25 }\n- 二次答复: {}\n"));
    }

    #[test]
    fn bails_on_everything_else() {
        for text in [
            "",
            "# 只有注释\n",
            "单位: 甲\n",
            "- 二次答复:\n    答复日期: 2024-09-25\n",
            "- a: &x 1\n  b: *x\n",
            "- a: !!str 1\n",
            "- a: |\n    x\n",
            "- a: 多行\n    文字\n",
            "- a: \"多行\n    文字\"\n",
            "- a: 1\n\t\n",
            "- a: 1\r\n",
            "\u{feff}- a: 1\n",
            "---\n- a: 1\n",
            "- a: 1\n...\n",
            "- a: [1, 2]\n",
            "- a: \"\\q\"\n",
            "- a: 1\n - b: 2\n",
            "- a: 1\n   b: 2\n",
            "- x\n",
            "- ? a\n",
            "- {a: x -}\n",
        ] {
            let mut items = 0;
            assert!(parse_items(text, &mut |_| items += 1).is_none(), "{text:?}");
            assert_eq!(items, 0);
            check(text);
        }
    }

    /// xorshift64*: enough randomness for test inputs, and no crate. `noise` is the chance,
    /// in percent, that a generated piece is an odd one.
    struct Rng(u64, usize);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap()
        }

        /// True with probability `p` percent.
        fn pct(&mut self, p: usize) -> bool {
            self.below(100) < p
        }

        fn odd(&mut self) -> bool {
            let p = self.1;
            self.pct(p)
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }

        /// From `usual`, or now and then from `odd`.
        fn pick2<'a>(&mut self, usual: &[&'a str], odd: &[&'a str]) -> &'a str {
            if self.odd() {
                self.pick(odd)
            } else {
                self.pick(usual)
            }
        }
    }

    const KEYS: &[&str] = &[
        "编号",
        "类别",
        "标题",
        "提出人",
        "承办方式",
        "承办单位",
        "交办日期",
        "答复日期",
        "办理结果",
        "面商",
        "满意度",
        "重点督办",
        "领域",
        "来源",
        "级别",
    ];
    const ODD_KEYS: &[&str] = &[
        "a b", "-x", "?x", ":x", "~", "x:y", "a#b", "a #b", "'q'", "\"q\"", "&a k", "k ", "!k", "<<", "null",
        "编 号", "x]", "[x", "{x", "x,y", "%k", "@k", "- k", "？", "*k", "|k", "k\"", "k'",
    ];
    const TEXTS: &[&str] = &[
        "建议第1号",
        "关于优化公交线路的建议",
        "是",
        "否",
        "建议",
        "2024-03-01",
        "2024/3/19",
        "2024.3.19",
        "2024年3月19日",
        "A",
        "12",
        "3.5",
        "null",
        "~",
        "区教育局",
        "王某某等8名代表",
        "满意",
        "基本满意",
        "关于 加快 推进",
        "问：答",
        "全角　空格",
    ];
    const ODD_TEXTS: &[&str] = &[
        "-1",
        "Null",
        "true",
        "0x1F",
        "1e3",
        ".5",
        "10:30",
        "C#",
        "a#b",
        "x,y",
        "x]",
        "x}",
        "[x",
        "{x",
        "x[1]",
        "a - b",
        "nbsp\u{a0}x",
        "it's",
        "say \"hi\"",
        "http://x.cn/a?b=1",
        "x:y:z",
        "—破折号",
        "…",
        "①",
        "😀",
        "\u{85}nel",
        "a\u{2028}b",
        "?x",
        ":x",
        "-x",
        "%x",
        "@x",
        "`x",
        "!x",
        "&x",
        "*x",
        "|",
        ">",
        "|-",
        ">+",
        "- x",
        "-",
        "? x",
        ": x",
        "a: b",
        "a:",
        "x #c",
        "x  #c",
        "[1, 2]",
        "{a: 1}",
        "\"x",
        "'x",
        "a'b",
        "a\"b",
        "x\t",
        "\u{feff}x",
        "x\r",
        "\u{3000}",
        "x -",
    ];
    const ESCAPES: &[&str] = &[
        "\\n",
        "\\t",
        "\\\"",
        "\\\\",
        "\\x41",
        "\\xe9",
        "\\u4e2d",
        "\\U0001F600",
        "\\ ",
        "\\/",
        "\\N",
        "\\_",
        "\\L",
        "\\P",
        "\\0",
        "\\e",
        "\\a",
        "\\b",
        "\\v",
        "\\f",
        "\\r",
    ];
    const BAD_ESCAPES: &[&str] = &[
        "\\ud800",
        "\\q",
        "\\x4",
        "\\U110000",
        "\\x4G",
        "\\中",
        "\\",
        "\\\t",
    ];
    const QUOTED_BITS: &[&str] = &[" ", "'", "# x", ": ", "文字", "a", "  ", "''", "\"", "#", " #"];

    fn plain(r: &mut Rng) -> String {
        let mut s = r.pick2(TEXTS, ODD_TEXTS).to_owned();
        if r.pct(20) {
            s += r.pick2(
                &[" ", "  ", "#", ":", " - ", ",", "'", "\"", "-"],
                &[" #", ": ", "\t"],
            );
            s += r.pick2(TEXTS, ODD_TEXTS);
        }
        s
    }

    fn quoted_text(r: &mut Rng, q: &str) -> String {
        let mut s = String::from(q);
        for _ in 0..r.below(5) {
            if q == "\"" && r.pct(40) {
                s += r.pick2(ESCAPES, BAD_ESCAPES);
            } else {
                let bit = r.pick2(QUOTED_BITS, &["\n  续行", "\n续行", "\t"]);
                // An unmatched quote of the scalar's own kind would close it early.
                if bit.contains(q) && !(q == "'" && bit == "''") {
                    s += if q == "'" { "''" } else { "\\\"" };
                } else {
                    s += bit;
                }
            }
        }
        if r.odd() {
            s += r.pick(&["\n  续行", "\\", "'", "\"", ""]);
        }
        s + q
    }

    fn value(r: &mut Rng) -> String {
        let v = match r.below(21) {
            20 => flow_item(r),
            0..=11 => plain(r),
            12..=13 => quoted_text(r, "'"),
            14..=15 => quoted_text(r, "\""),
            16..=17 => String::new(),
            _ => r.pick(TEXTS).into(),
        };
        if r.odd() {
            return match r.below(3) {
                0 => r
                    .pick(&[
                        "&a x",
                        "*a",
                        "!!str x",
                        "! x",
                        "|\n    块",
                        ">-\n    块",
                        "[1, 2]",
                        "{a: 1}",
                    ])
                    .into(),
                1 => format!("{v}{}", r.pick(&["#c", "x", ": y", " x", "  ", ":"])),
                _ => format!("{}{v}", r.pick(&["&a ", "!!str ", "!t ", "? ", "- "])),
            };
        }
        v
    }

    fn key(r: &mut Rng) -> String {
        if r.odd() {
            if r.pct(5) {
                return "长".repeat(300 + r.below(200));
            }
            return r.pick(ODD_KEYS).into();
        }
        r.pick(KEYS).into()
    }

    fn tail(r: &mut Rng) -> &'static str {
        match r.below(12) {
            0 => " ",
            1 => "   ",
            2 => " # 注释",
            3 => "  #注 # 再注",
            4 if r.odd() => r.pick(&["#贴着", "\t", " \t# 注"]),
            _ => "",
        }
    }

    fn entry(r: &mut Rng) -> String {
        let k = key(r);
        let v = value(r);
        let sep = if v.is_empty() {
            r.pick(&["", "", " ", "  "])
        } else {
            r.pick2(&[" ", " ", " ", "  "], &["", "\t"])
        };
        format!("{k}:{sep}{v}{}", tail(r))
    }

    fn flow_item(r: &mut Rng) -> String {
        let mut s = String::from(r.pick(&["{", "{", "{ ", "{  "]));
        let n = r.below(4);
        for i in 0..n {
            if i > 0 {
                s += r.pick2(&[", ", ", ", " , ", ",  "], &[",", ",,"]);
            }
            let k = if r.odd() {
                r.pick(ODD_KEYS).to_owned()
            } else {
                r.pick(KEYS).into()
            };
            let v = match r.below(10) {
                0..=5 => r.pick2(TEXTS, ODD_TEXTS).to_owned(),
                6 => quoted_text(r, "'"),
                7 => quoted_text(r, "\""),
                8 => String::new(),
                _ if r.odd() => r
                    .pick(&["[1]", "{a: 1}", "x #c", "&a x", "*a", "x:1", "'x'y", "'x' #c"])
                    .into(),
                _ => r.pick(TEXTS).into(),
            };
            let colon = r.pick2(&[": ", ": ", ":  "], &[":", " :"]);
            s += &format!("{k}{colon}{v}{}", r.pick(&["", "", " ", "  "]));
        }
        if n > 0 && r.odd() {
            s += ",";
        }
        s += r.pick2(&["}", "}", "} ", "}  # 注"], &["}x", "}#x", "", "}}"]);
        s
    }

    /// A lone line between entries: usually one YAML allows anywhere (blank, comment), now
    /// and then one that must send the file to saphyr.
    fn interlude(r: &mut Rng, key_col: usize) -> String {
        let pad = " ".repeat(r.below(key_col + 4));
        if !r.odd() {
            return match r.below(3) {
                0 => String::new(),
                1 => format!("{pad}# 注释行"),
                _ => pad,
            };
        }
        match r.below(16) {
            0 => format!(
                "{}二次答复: {{答复日期: 2024-09-25, 办理结果: B}}",
                " ".repeat(key_col)
            ),
            1 => format!("{}  嵌套: 值", " ".repeat(key_col)),
            2 => format!("{}- 列表项", " ".repeat(key_col)),
            3 => format!("{}续行文字", " ".repeat(key_col + 2)),
            4 => "---".into(),
            5 => "...".into(),
            6 => "%YAML 1.2".into(),
            7 => format!("{pad}\t# 制表符"),
            8 => format!("{}? 复杂键", " ".repeat(key_col)),
            9 => format!("{}{}", " ".repeat(key_col + 1), entry(r)),
            10 => format!("{}{}", " ".repeat(key_col.saturating_sub(1)), entry(r)),
            11 => "单位: 甲".into(),
            12 => "-".into(),
            13 => format!("{}续行文字", " ".repeat(key_col)),
            14 => format!("{pad}#"),
            _ => format!("{pad}\u{feff}"),
        }
    }

    fn file(r: &mut Rng) -> String {
        r.1 = r.pick(&["0", "0", "1", "3", "10", "30"]).parse().unwrap();
        let seq = if r.pct(85) { 0 } else { r.below(4) };
        let mut lines: Vec<String> = vec![];
        for _ in 0..r.below(3) {
            lines.push(r.pick(&["# 台账", "", "  ", "#"]).into());
        }
        for _ in 0..r.below(8) {
            let gap = " ".repeat(r.pick(&["1", "1", "1", "1", "2", "3"]).parse().unwrap());
            let key_col = seq + 1 + gap.len();
            let item_pad = " ".repeat(if r.odd() { r.below(4) } else { seq });
            if r.pct(15) {
                lines.push(format!("{item_pad}-{gap}{}", flow_item(r)));
            } else {
                lines.push(format!("{item_pad}-{gap}{}", entry(r)));
                for _ in 0..r.below(8) {
                    if r.pct(15) {
                        lines.push(interlude(r, key_col));
                    } else {
                        lines.push(format!("{}{}", " ".repeat(key_col), entry(r)));
                    }
                }
            }
            if r.pct(10) {
                lines.push(interlude(r, key_col));
            }
        }
        let mut text = lines.join("\n");
        if r.pct(80) {
            text.push('\n');
        }
        if !r.odd() {
            return text;
        }
        match r.below(6) {
            0 => text.replace('\n', "\r\n"),
            1 => format!("\u{feff}{text}"),
            2 => format!("---\n{text}"),
            3 => text + "---\n- a: 1\n",
            4 => text + "\0",
            _ => text + "\n...\n",
        }
    }

    /// `text` with a few characters YAML cares about dropped in at random places.
    fn mangle(r: &mut Rng, text: &str) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..=r.below(3) {
            let at = r.below(chars.len() + 1);
            if at < chars.len() && r.pct(30) {
                chars.remove(at);
                continue;
            }
            let c = r.pick(&[
                ":", " ", "#", "'", "\"", "\\", "-", "{", "}", ",", "\n", "中", "a", "&", "!", "?", "[", "|",
            ]);
            chars.insert(at, c.chars().next().unwrap());
        }
        chars.into_iter().collect()
    }

    #[test]
    fn agrees_with_saphyr_on_random_files() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15, 0);
        let (mut accepted, total) = (0, 20_000);
        for _ in 0..total {
            let text = file(&mut r);
            accepted += usize::from(check(&text));
            check(&mangle(&mut r, &text));
        }
        // Both sides of the bail-out must be well exercised.
        assert!(
            accepted > total / 4 && accepted < total * 3 / 4,
            "{accepted} of {total} accepted"
        );
    }

    fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                yaml_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }

    #[test]
    fn agrees_with_saphyr_on_the_example_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![];
        yaml_files(&root.join("data"), &mut files);
        yaml_files(&root.join("tests"), &mut files);
        assert!(!files.is_empty());
        let mut r = Rng(42, 0);
        let mut accepted = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            accepted += usize::from(check(&text));
            // And the same files with one line broken or doubled: realistic near misses.
            let lines: Vec<&str> = text.split('\n').collect();
            for _ in 0..20 {
                let mut ls: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
                let i = r.below(ls.len());
                match r.below(6) {
                    0 => ls[i].insert(0, ' '),
                    1 => ls[i] = ls[i].trim_start().to_owned(),
                    2 => ls[i].push_str(" # 注"),
                    3 => ls[i] = ls[i].replacen(": ", ": '", 1) + "'",
                    4 => ls[i] = ls[i].replacen(": ", ":\n    ", 1),
                    _ => ls.insert(i, ls[i].clone()),
                }
                check(&ls.join("\n"));
            }
        }
        assert!(accepted > 0, "no example file took the fast path");
    }
}
