//! Word boundaries of Chinese text, where a line may break by sense (GB/T 9704 §7.2.3: 回行时
//! 词意完整): titles, 目录 entries and the last line of a paragraph. Segmented by jieba-rs with
//! a dictionary cut down to the common words and the trade's vocabulary (src/words.txt,
//! written by scripts/make-words), so that loading it costs milliseconds, not the full
//! dictionary's 120.

use jieba_rs::Jieba;
use std::sync::OnceLock;

static WORDS: OnceLock<Jieba> = OnceLock::new();

fn jieba() -> &'static Jieba {
    WORDS.get_or_init(|| {
        // The list is ours and tested; were it ever unreadable, breaking falls back to
        // characters rather than failing the build.
        Jieba::with_dict(&mut include_str!("words.txt").as_bytes()).unwrap_or_else(|_| Jieba::empty())
    })
}

/// Loads the dictionary on another thread, so that a build that will need it finds it ready
/// (a second core does it while the figures are computed).
pub fn warm() {
    if WORDS.get().is_none() {
        std::thread::spawn(|| {
            jieba();
        });
    }
}

/// For each character position of `text` (0 to its length in characters), whether a word
/// may end there: true at both ends and between words, false inside a word.
pub fn boundaries(text: &str) -> Vec<bool> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut out = vec![false; n + 1];
    out[0] = true;
    out[n] = true;
    // A year (`2024年`, `2024年度`) ends a word whatever follows: the dictionary would read 年代 in
    // `2024年代表建议`. The text is segmented piece by piece between such years.
    let mut start = 0;
    for i in 0..n {
        if chars[i] == '年' && i > 0 && chars[i - 1].is_ascii_digit() {
            // 年度 stays one word.
            let end = if chars.get(i + 1) == Some(&'度') {
                i + 1
            } else {
                i
            };
            if end >= start {
                segment(&chars[start..=end], start, &mut out);
                start = end + 1;
            }
        }
    }
    segment(&chars[start..], start, &mut out);
    out
}

fn segment(piece: &[char], offset: usize, out: &mut [bool]) {
    let text: String = piece.iter().collect();
    out[offset + piece.len()] = true;
    for token in jieba().cut(&text, false) {
        out[offset + token.end.min(piece.len())] = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let b = boundaries(text);
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut start = 0;
        for (i, &end) in b.iter().enumerate().skip(1) {
            if end {
                out.push(chars[start..i].iter().collect());
                start = i;
            }
        }
        out
    }

    #[test]
    fn the_trade_s_words_stay_whole() {
        assert_eq!(
            words("青山区人民政府办公室关于2024年度政协委员提案办理工作情况的总结"),
            [
                "青山区",
                "人民政府",
                "办公室",
                "关于",
                "2024",
                "年度",
                "政协委员",
                "提案",
                "办理",
                "工作",
                "情况",
                "的",
                "总结"
            ]
        );
        assert_eq!(
            words("存在等待观望现象。"),
            ["存在", "等待", "观望", "现象", "。"]
        );
        assert_eq!(boundaries(""), [true]);
        assert_eq!(words("2024年代表建议"), ["2024", "年", "代表", "建议"]);
    }
}
