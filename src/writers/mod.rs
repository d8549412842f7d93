//! Writers: each turns the document model into one format. They read only the model (the
//! PDF and the SVG page preview also its layout).

pub mod docx;
pub mod markdown;
pub mod pdf;
pub mod svg;
pub mod text;
mod xml;

use crate::named::named_enum;

named_enum! {
    /// The output formats `zongjie build` knows, by their file extensions.
    pub enum Format {
        Docx = "docx",
        Pdf = "pdf",
        Txt = "txt",
        Md = "md",
    }
}

impl Format {
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// A format as users write it: `pdf`, `.PDF`, `markdown`.
    pub fn from_user(s: &str) -> Option<Format> {
        let s = s.trim().trim_start_matches('.').to_ascii_lowercase();
        Format::parse(if s == "markdown" { "md" } else { &s })
    }
}

/// Spaces that move text `halves` half-characters to the right: full-width spaces, and an
/// ASCII space for an odd half.
pub fn pad(halves: usize) -> String {
    let mut s = "\u{3000}".repeat(halves / 2);
    if halves % 2 == 1 {
        s.push(' ');
    }
    s
}

/// The longest file name stem we write, in bytes: file systems allow 255 bytes a name (a
/// Chinese character takes three), and Windows paths are short; the full title stays inside
/// the document.
const MAX_STEM_BYTES: usize = 150;

/// A safe file name from a title: no path separators or characters Windows refuses, and not
/// longer than a file system takes.
pub fn file_stem(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars().filter(|c| !c.is_control()) {
        let c = if "/\\:*?\"<>|".contains(c) { '_' } else { c };
        if s.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        s.push(c);
    }
    let s = s.trim().trim_matches('.').to_owned();
    if s.is_empty() {
        "总结".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(file_stem("a/b:c"), "a_b_c");
        assert_eq!(file_stem(" "), "总结");
        let long = "江".repeat(84);
        assert_eq!(file_stem(&long), "江".repeat(50));
    }
}
