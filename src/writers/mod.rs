//! Writers: each turns the document model into one format. They read only the model.

pub mod docx;
pub mod markdown;
pub mod pdf;
pub mod text;

/// The output formats `zongjie build` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Pdf,
    Txt,
    Md,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Docx, Format::Pdf, Format::Txt, Format::Md];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Txt => "txt",
            Format::Md => "md",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        let s = s.trim().trim_start_matches('.').to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == s || (s == "markdown" && *f == Format::Md))
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
