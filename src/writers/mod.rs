//! Writers: each turns the document model into one format. They read only the model.

pub mod markdown;
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

/// The width of the 公文 grid line in characters (SPEC §4): text previews align to it.
pub const LINE_CHARS: usize = 28;

/// Display width in full-width characters: a CJK character is 1, a digit or Latin letter ½.
pub fn width_halves(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
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

/// 落款 positions in half-characters from the left edge (SPEC §4): the unit ends two
/// characters from the right edge; the date starts two characters right of the unit's start,
/// or ends two characters from the edge when it is longer.
pub fn signature_offsets(unit: &str, date: Option<&str>) -> (usize, Option<usize>) {
    let right = (LINE_CHARS - 2) * 2;
    let unit_start = right.saturating_sub(width_halves(unit));
    let date_start = date.map(|d| {
        let start = unit_start + 4;
        if start + width_halves(d) > right {
            right.saturating_sub(width_halves(d))
        } else {
            start
        }
    });
    (unit_start, date_start)
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
    fn signature_placement() {
        // 6 characters: starts at column 20 (of 28), ends at 26; the date starts 2 later.
        let (u, d) = signature_offsets("江城市民政局", Some("2024年12月20日"));
        assert_eq!(u, 40);
        // The date (5 full + 8 half = 9 characters) would end past column 26: right-aligned.
        assert_eq!(d, Some(52 - 14));
        let (u, d) = signature_offsets("江城市人民政府办公室", Some("2024年1月5日"));
        assert_eq!((u, d), (32, Some(36)));
    }

    #[test]
    fn file_names() {
        assert_eq!(file_stem("a/b:c"), "a_b_c");
        assert_eq!(file_stem(" "), "总结");
    }
}
