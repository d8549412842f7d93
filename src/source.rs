//! Reading input files as text: UTF-8 (with or without BOM), and the encodings that
//! Windows Notepad and WPS save Chinese text in, which are decoded with a warning rather
//! than turned into mojibake.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// One file's text, with the offsets where its lines start (for diagnostics).
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Shared, so that a parse can read it while the context it reports into is borrowed; a
    /// `String` behind the `Arc` so that a file's text is not copied once more (`Arc<str>`
    /// would copy a 35 MB case file).
    pub text: Arc<String>,
    /// Where each line starts: 32 bits, since no input file is over 256 MB
    /// (`fsutil::MAX_TEXT_FILE`); counted first, so a 100,000-case file's million lines
    /// take 4 MB, not 16.
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        line_starts.push(0);
        let start = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(start));
        SourceFile {
            path,
            text: Arc::new(text),
            line_starts,
        }
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e as usize);
        let text = self.text.get(start as usize..end).unwrap_or("");
        text.trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// All files read in one run; diagnostics refer to them by [`FileId`]. The 篇 of a 汇编 are
/// loaded in parallel, each into its own `Sources` starting at its own id ([`Sources::starting_at`]),
/// and then absorbed in order: ids stay unique and ordered as a sequential run orders them,
/// so that problems sort the same way.
#[derive(Debug, Default)]
pub struct Sources {
    /// Ascending by id.
    files: Vec<(FileId, SourceFile)>,
    next: FileId,
}

impl Sources {
    /// Sources whose first file gets id `base`.
    pub fn starting_at(base: FileId) -> Sources {
        Sources {
            files: Vec::new(),
            next: base,
        }
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = self.next;
        self.next += 1;
        self.files.push((id, file));
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        let i = self
            .files
            .binary_search_by_key(&id, |(f, _)| *f)
            .expect("a file id this run handed out");
        &self.files[i].1
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().map(|(id, f)| (*id, f))
    }

    /// Takes in the files of `other`, whose ids all follow ours.
    pub fn absorb(&mut self, other: Sources) {
        debug_assert!(other.files.first().is_none_or(|(id, _)| *id >= self.next));
        self.files.extend(other.files);
        self.next = self.next.max(other.next);
    }
}

/// How a file's bytes were turned into text, when it was not plain UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
    Utf16,
}

/// Why a file's bytes are not text we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndecodableText {
    /// 1-based line and byte offset of the first bad byte, as far as UTF-8 goes.
    pub line: usize,
}

/// Decodes a file's bytes: UTF-8 (a BOM is dropped), UTF-16 with BOM, or GB18030 (a superset
/// of GBK and GB2312) when the bytes are not UTF-8 but are valid GB18030. UTF-32 (see
/// [`decode_utf32`]) is refused here, at line 1: its byte-order mark begins with UTF-16's,
/// and read as UTF-16 it would be text with a NUL after every character.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), UndecodableText> {
    if utf32_bom(bytes).is_some() {
        return Err(UndecodableText { line: 1 });
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc == encoding_rs::UTF_8 {
            return match std::str::from_utf8(&bytes[bom_len..]) {
                Ok(s) => Ok((s.to_owned(), Encoding::Utf8)),
                Err(e) => Err(bad_utf8(&bytes[bom_len..], e.valid_up_to())),
            };
        }
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(UndecodableText { line: 1 });
        }
        return Ok((text.into_owned(), Encoding::Utf16));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_owned(), Encoding::Utf8)),
        Err(e) => {
            let gb = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes);
            match gb {
                Some(text) => Ok((text.into_owned(), Encoding::Gb18030)),
                // The encoding that read further is likely the one the file was meant to be
                // in: its first bad byte is where the file breaks.
                None => Err(bad_utf8(bytes, e.valid_up_to().max(gb18030_valid_up_to(bytes)))),
            }
        }
    }
}

/// [`decode`] taking the bytes, which become the text without a copy when they are UTF-8
/// without a byte-order mark: the common case, and a case file can be tens of megabytes.
pub fn decode_owned(bytes: Vec<u8>) -> Result<(String, Encoding), UndecodableText> {
    if utf32_bom(&bytes).is_some() || encoding_rs::Encoding::for_bom(&bytes).is_some() {
        return decode(&bytes);
    }
    String::from_utf8(bytes)
        .map(|s| (s, Encoding::Utf8))
        .or_else(|e| decode(e.as_bytes()))
}

/// Whether `bytes` start with UTF-32's byte-order mark: Some(true) little-endian,
/// Some(false) big-endian.
fn utf32_bom(bytes: &[u8]) -> Option<bool> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        Some(true)
    } else if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some(false)
    } else {
        None
    }
}

/// Decodes UTF-32 with its byte-order mark; None when `bytes` do not start with one. An
/// error gives the line of the first code unit that is not a character.
pub fn decode_utf32(bytes: &[u8]) -> Option<Result<String, UndecodableText>> {
    let little = utf32_bom(bytes)?;
    let mut text = String::with_capacity(bytes.len() / 4);
    let mut line = 1;
    for unit in bytes[4..].chunks(4) {
        let Ok(unit) = <[u8; 4]>::try_from(unit) else {
            return Some(Err(UndecodableText { line }));
        };
        let code = if little {
            u32::from_le_bytes(unit)
        } else {
            u32::from_be_bytes(unit)
        };
        let Some(c) = char::from_u32(code) else {
            return Some(Err(UndecodableText { line }));
        };
        if c == '\n' {
            line += 1;
        }
        text.push(c);
    }
    Some(Ok(text))
}

/// How many bytes decode as GB18030 before the first malformed sequence.
fn gb18030_valid_up_to(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3);
    match decoder.decode_to_string_without_replacement(bytes, &mut out, true) {
        (encoding_rs::DecoderResult::Malformed(bad, consumed_after), read) => {
            read - bad as usize - consumed_after as usize
        }
        _ => bytes.len(),
    }
}

fn bad_utf8(bytes: &[u8], valid_up_to: usize) -> UndecodableText {
    let upto = &bytes[..valid_up_to];
    UndecodableText {
        line: 1 + upto.iter().filter(|&&b| b == b'\n').count(),
    }
}

/// A path as shown to the user: relative paths stay as given, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("单位: 甲".as_bytes()).unwrap(),
            ("单位: 甲".into(), Encoding::Utf8)
        );
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("单位".as_bytes());
        assert_eq!(decode(&b).unwrap().0, "单位");
    }

    #[test]
    fn gbk_is_decoded_not_mangled() {
        let (bytes, _, _) = encoding_rs::GBK.encode("单位: 江城市民政局\n年度: 2024\n");
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(text, "单位: 江城市民政局\n年度: 2024\n");
        assert_eq!(enc, Encoding::Gb18030);
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "年度: 2024".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&b).unwrap(), ("年度: 2024".into(), Encoding::Utf16));
    }

    #[test]
    fn utf32_is_decoded_by_its_own_function_and_refused_as_utf16() {
        let mut le = vec![0xFF, 0xFE, 0, 0];
        let mut be = vec![0, 0, 0xFE, 0xFF];
        for c in "年度: 2024\n单位: 甲".chars() {
            le.extend_from_slice(&(c as u32).to_le_bytes());
            be.extend_from_slice(&(c as u32).to_be_bytes());
        }
        assert_eq!(decode_utf32(&le).unwrap().unwrap(), "年度: 2024\n单位: 甲");
        assert_eq!(decode_utf32(&be).unwrap().unwrap(), "年度: 2024\n单位: 甲");
        assert_eq!(decode(&le).unwrap_err().line, 1);
        assert!(decode_utf32(b"\xFF\xFEa\x00").is_none());
        le.push(0);
        assert_eq!(decode_utf32(&le).unwrap().unwrap_err().line, 2);
    }

    #[test]
    fn a_gbk_file_with_a_utf8_line_appended_points_at_that_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode("a: 甲\nb: 乙\n");
        let mut bytes = gbk.into_owned();
        bytes.extend_from_slice("c: 丙丁戊\n".as_bytes());
        assert_eq!(decode(&bytes).unwrap_err().line, 3);
    }

    #[test]
    fn garbage_is_refused_with_line() {
        let b = b"a: 1\nb: \xff\xff\xff\n";
        assert_eq!(decode(b).unwrap_err().line, 2);
    }

    #[test]
    fn lines() {
        let f = SourceFile::new("x".into(), "a\r\nbb\nccc".into());
        assert_eq!(
            (f.line(1), f.line(2), f.line(3), f.line(4)),
            ("a", "bb", "ccc", "")
        );
    }
}
