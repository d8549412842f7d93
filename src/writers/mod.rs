//! Writers: each turns the document model into one format. They read only the model.

pub mod docx;
pub mod markdown;
pub mod pdf;
pub mod text;

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

/// A safe file name from a title: no path separators or characters Windows refuses.
pub fn file_stem(title: &str) -> String {
    let s: String = title
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect();
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
    }
}
