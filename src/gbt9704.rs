//! The rules of GB/T 9704-2012 (党政机关公文格式) that the typesetter and the DOCX writer both
//! follow, so that the PDF and the DOCX agree: the page and its 版心 (§5.2), the 22 × 28 grid
//! (§5.2.2), the title's balanced lines (§7.2.3), the 落款's place and its date (§7.3.5) and
//! the page number's (§7.5). Lengths are in points unless a name says millimetres.

use crate::named::named_enum;

named_enum! {
    /// The font roles of the 公文 (SPEC §5), in order, by the names users write in 字体.
    pub enum Role {
        /// 小标宋: titles.
        Title = "小标宋",
        /// 仿宋: body text.
        Body = "仿宋",
        /// 仿宋, bold: level-3 headings.
        BodyBold = "仿宋",
        /// 黑体: level-1 headings, table headers, 附件 labels.
        Heading = "黑体",
        /// 楷体: level-2 headings.
        Kai = "楷体",
        /// 宋体: page numbers.
        Song = "宋体",
    }
}

impl Role {
    /// The names users write in 字体, once each.
    pub fn names() -> Vec<&'static str> {
        let mut names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
        names.dedup();
        names
    }
}

/// Points in a millimetre.
pub const MM: f64 = 72.0 / 25.4;
/// A4.
pub const PAGE_W_MM: f64 = 210.0;
pub const PAGE_H_MM: f64 = 297.0;
/// 版心: 156 × 225 mm, 37 mm from the top (天头), 28 mm from the left (订口).
pub const TOP_MM: f64 = 37.0;
pub const LEFT_MM: f64 = 28.0;
pub const WIDTH_MM: f64 = 156.0;
pub const HEIGHT_MM: f64 = 225.0;
/// The page number's dashes stand 7 mm below the 版心.
pub const PAGE_NUMBER_BELOW_MM: f64 = 7.0;

pub const PAGE_H: f64 = PAGE_H_MM * MM;
pub const LEFT: f64 = LEFT_MM * MM;
pub const TOP: f64 = TOP_MM * MM;
pub const WIDTH: f64 = WIDTH_MM * MM;
pub const HEIGHT: f64 = HEIGHT_MM * MM;
pub const PAGE_NUMBER_BELOW: f64 = PAGE_NUMBER_BELOW_MM * MM;
/// 22 lines a page.
pub const LINES: usize = 22;
pub const PITCH: f64 = HEIGHT / LINES as f64;
/// A grid character: 156 mm / 28.
pub const CHAR: f64 = WIDTH / LINE_CHARS as f64;
/// 三号 (body), 二号 (title), 四号 (page numbers, tables), in points.
pub const BODY: f64 = 16.0;
pub const TITLE: f64 = 22.0;
pub const SMALL: f64 = 14.0;
/// 一号, for a 汇编's cover.
pub const COVER: f64 = 26.0;

/// The width of the 公文 grid line in characters (SPEC §4): text previews align to it.
pub const LINE_CHARS: usize = 28;

/// Display width in full-width characters: a CJK character is 1, a digit or Latin letter ½.
pub fn width_halves(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// A date as the 公文 writes it (§7.3.5.1): `2024年12月20日`, Arabic numerals, the year in
/// full, no leading zeros. The same form serves messages about dates.
pub fn chinese_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 落款 positions in half-characters from the left edge, for text that only knows character
/// widths (TXT, DOCX): see [`signature_positions`].
pub fn signature_offsets(unit: &str, date: Option<&str>) -> (usize, Option<usize>) {
    let (u, d) = signature_positions(
        width_halves(unit) as f64,
        date.map(|d| width_halves(d) as f64),
        (LINE_CHARS * 2) as f64,
        2.0,
    );
    (u as usize, d.map(|d| d as usize))
}

/// 落款 positions by GB/T 9704 §7.3.5.2, from the measured widths of the unit and the date
/// and the line's width, in the same unit as `char_w` (a character's width): the unit is set
/// 右空二字 and the date starts two characters right of the unit's first character; a date
/// that would then run into the last two characters is set 右空二字 itself, and the unit
/// moves left by as much (相应增加发文机关署名右空字数).
pub fn signature_positions(unit_w: f64, date_w: Option<f64>, line_w: f64, char_w: f64) -> (f64, Option<f64>) {
    let right = line_w - 2.0 * char_w;
    let mut unit_x = right - unit_w;
    let date_x = date_w.map(|w| {
        let x = unit_x + 2.0 * char_w;
        if x + w > right + 1e-6 {
            unit_x = right - w - 2.0 * char_w;
            right - w
        } else {
            x
        }
    });
    (unit_x.max(0.0), date_x.map(|x| x.max(0.0)))
}

/// Where a break between `prev` and `next` reads well: after the year, the unit, 关于…的,
/// never inside a number or before closing punctuation.
fn break_quality(prev: char, next: char) -> Option<u32> {
    let closing = "，。、；：？！）》」』】”’%";
    if closing.contains(next)
        || "（《「『【“‘".contains(prev)
        || (prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric())
    {
        return None;
    }
    Some(match prev {
        '年' => 0,
        '局' | '委' | '会' | '府' | '院' | '厅' | '室' | '办' | '部' | '处' | '团' => 1,
        '于' | '的' | '和' | '及' => 2,
        _ if next == '关' => 2,
        _ => 6,
    })
}

/// The cost of breaking a title inside a word: more than any boundary and any imbalance a
/// two- or three-line title can have.
const WITHIN_WORD: u32 = 40;

/// Breaks a title line too long for one line into balanced lines (梯形/菱形, GB/T 9704 §7.2.3):
/// as equal as the words allow, breaking where the sense allows.
pub fn balance_title(line: &str, max_halves: usize) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let total = width_halves(line);
    if total <= max_halves {
        return vec![line.to_owned()];
    }
    let lines = total.div_ceil(max_halves);
    let target = total.div_ceil(lines);
    // Breaks only between words (回行时词意完整); where no word boundary is in reach, between
    // characters as break_quality allows.
    let words = crate::words::boundaries(line);
    let mut out = Vec::new();
    let mut start = 0;
    for _ in 1..lines {
        let mut best: Option<(u32, usize)> = None;
        let mut w = 0;
        for i in start..chars.len() - 1 {
            w += width_halves(&chars[i].to_string());
            if w > max_halves {
                break;
            }
            if let Some(q) = break_quality(chars[i], chars[i + 1]) {
                let q = if words[i + 1] { q } else { q + WITHIN_WORD };
                // Distance from the even split, in characters, plus the boundary's cost.
                let score = q * 2 + (w.abs_diff(target) as u32);
                if best.is_none_or(|(s, _)| score < s) {
                    best = Some((score, i + 1));
                }
            }
        }
        let Some((_, end)) = best else { break };
        out.push(chars[start..end].iter().collect());
        start = end;
    }
    out.push(chars[start..].iter().collect());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters a title line holds: the 156 mm line at 22 pt (二号).
    const TITLE_CHARS: usize = 20;

    #[test]
    fn signature_placement() {
        // The date (4 full + 6 half = 7 characters) would end past column 26 if it started two
        // characters right of the unit (column 20): it ends at 26, and the 6-character unit
        // moves left to start two characters before it (§7.3.5.2).
        let (u, d) = signature_offsets("江城市民政局", Some("2024年12月20日"));
        assert_eq!(d, Some(52 - 14));
        assert_eq!(u, 52 - 14 - 4);
        let (u, d) = signature_offsets("江城市人民政府办公室", Some("2024年1月5日"));
        assert_eq!((u, d), (32, Some(36)));
    }

    #[test]
    fn attachment_titles_break_between_words() {
        // 18 characters a line (附件 titles are 小标宋 at 二号 too): not “…办理情/况统计表”.
        let lines = balance_title("江城市民政局2024年建议提案办理情况统计表", 18 * 2);
        assert!(
            lines.iter().all(|l| !l.ends_with('情') && !l.ends_with('统')),
            "{lines:?}"
        );
        assert_eq!(lines.concat(), "江城市民政局2024年建议提案办理情况统计表");
    }

    #[test]
    fn short_titles_stay_whole() {
        assert_eq!(
            balance_title("江城市民政局2024年工作总结", TITLE_CHARS * 2),
            ["江城市民政局2024年工作总结"]
        );
    }

    #[test]
    fn long_titles_break_balanced_at_a_word() {
        assert_eq!(
            balance_title("江城市人大常委会2024年代表建议办理工作总结", TITLE_CHARS * 2),
            ["江城市人大常委会2024年", "代表建议办理工作总结"]
        );
        // Exactly 20 characters (4 digits are half-width): one line.
        assert_eq!(
            balance_title("江城市民政局2024年建议提案办理工作总结", TITLE_CHARS * 2).len(),
            1
        );
        assert_eq!(
            balance_title("青山区人民政府办公室2024年建议提案办理工作总结", TITLE_CHARS * 2),
            ["青山区人民政府办公室2024年", "建议提案办理工作总结"]
        );
        // Three lines when two do not hold it.
        let t = "江城市青山区人民政府办公室关于2024年度人大代表建议和政协委员提案办理工作情况的总结报告";
        let lines = balance_title(t, TITLE_CHARS * 2);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines.concat(), t);
        assert!(
            lines.iter().all(|l| width_halves(l) <= TITLE_CHARS * 2),
            "{lines:?}"
        );
    }
}
