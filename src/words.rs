//! Word boundaries of Chinese text, where a line may break by sense (GB/T 9704 §7.2.3: 回行时
//! 词意完整): titles, 目录 entries and the last line of a paragraph.
//!
//! The text is segmented as jieba segments it without its HMM (`Jieba::cut(text, false)` of
//! jieba-rs): the route through the dictionary's words of greatest probability. The dictionary
//! is cut down to the common words and the trade's vocabulary (src/words.txt, written by
//! scripts/make-words), read into a hash table: jieba-rs builds a trie of it first, which took
//! a 4-page build 3 of its 12 ms. The tests hold this segmentation to jieba-rs's on generated
//! texts and on every line of the templates.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// `word frequency` lines.
const LIST: &str = include_str!("words.txt");

struct Dictionary {
    /// Each word's frequency.
    frequency: FxHashMap<&'static str, u32>,
    /// The longest word's length in characters.
    longest: usize,
    /// ln of the frequencies' sum: a word's probability is its frequency over the sum.
    log_total: f64,
}

static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();

fn dictionary() -> &'static Dictionary {
    DICTIONARY.get_or_init(|| {
        let mut frequency = FxHashMap::default();
        frequency.reserve(LIST.len() / 10);
        let (mut longest, mut total) = (0, 0u64);
        // The list is ours and tested: a line it could not read would only leave a word out.
        for (word, n) in LIST.lines().filter_map(|l| l.split_once(' ')) {
            let Ok(n) = n.parse::<u32>() else { continue };
            longest = longest.max(word.chars().count());
            total += u64::from(n);
            frequency.insert(word, n);
        }
        Dictionary {
            frequency,
            longest,
            log_total: (total as f64).ln(),
        }
    })
}

/// Reads the dictionary on another thread, so that a build that will need it finds it ready
/// (a second core does it while the figures are computed).
pub fn warm() {
    if DICTIONARY.get().is_none() {
        std::thread::spawn(dictionary);
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

/// Marks in `out` (from `offset`) the ends of the words of `piece`: jieba's runs of Chinese
/// characters and ASCII letters, digits and `+#&._%-` by the dictionary, anything else
/// character by character (a CR LF together).
fn segment(piece: &[char], offset: usize, out: &mut [bool]) {
    let mut at = 0;
    while at < piece.len() {
        let in_words = is_word_char(piece[at]);
        let len = piece[at..]
            .iter()
            .position(|&c| is_word_char(c) != in_words)
            .unwrap_or(piece.len() - at);
        let run = &piece[at..at + len];
        if in_words {
            segment_words(run, offset + at, out);
        } else {
            for (i, &c) in run.iter().enumerate() {
                if !(c == '\r' && run.get(i + 1) == Some(&'\n')) {
                    out[offset + at + i + 1] = true;
                }
            }
        }
        at += len;
    }
}

/// jieba's `RE_HAN_DEFAULT`: the characters its dictionary route segments.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c,
            '+' | '#' | '&' | '.' | '_' | '%' | '-'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2A6DF}'
            | '\u{2A700}'..='\u{2B73F}'
            | '\u{2B740}'..='\u{2B81F}'
            | '\u{2B820}'..='\u{2CEAF}'
            | '\u{2CEB0}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}')
}

/// The route of greatest probability through `run`: at each character, a dictionary word that
/// starts there (the single character when none does), chosen from the end backwards. The
/// sums are made in jieba-rs's order and ties go to the longer word, as there, so that the
/// same floating-point numbers give the same route.
fn segment_words(run: &[char], offset: usize, out: &mut [bool]) {
    let dictionary = dictionary();
    let text: String = run.iter().collect();
    let mut ends = Vec::with_capacity(run.len() + 1);
    ends.push(0);
    ends.extend(run.iter().scan(0, |end, c| {
        *end += c.len_utf8();
        Some(*end)
    }));
    let n = run.len();
    let log_total = dictionary.log_total;
    // route[i]: the ln probability of the best segmentation of run[i..], and where its first
    // word ends.
    let mut route = vec![(0.0f64, n); n + 1];
    for i in (0..n).rev() {
        let mut best: Option<(f64, usize)> = None;
        for end in i + 1..=n.min(i + dictionary.longest) {
            let Some(&frequency) = dictionary.frequency.get(&text[ends[i]..ends[end]]) else {
                continue;
            };
            let probability = f64::from(frequency).ln() - log_total + route[end].0;
            if best.is_none_or(|(p, e)| probability > p || (probability == p && end > e)) {
                best = Some((probability, end));
            }
        }
        route[i] = best.unwrap_or(((0.0 - log_total) + route[i + 1].0, i + 1));
    }
    // Letters and digits the route leaves single are one word together (`GB`, `2024`).
    let mut in_letters = false;
    let mut at = 0;
    while at < n {
        let end = route[at].1;
        if end - at == 1 && run[at].is_ascii_alphanumeric() {
            in_letters = true;
        } else {
            if in_letters {
                out[offset + at] = true;
                in_letters = false;
            }
            out[offset + end] = true;
        }
        at = end;
    }
    out[offset + n] = true;
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

    /// jieba-rs's boundaries of `text` with the same dictionary, from its tokens' ends.
    fn jieba_boundaries(jieba: &jieba_rs::Jieba, text: &str) -> Vec<bool> {
        let mut out = vec![false; text.chars().count() + 1];
        out[0] = true;
        for token in jieba.cut(text, false) {
            out[token.end] = true;
        }
        out
    }

    fn ours(text: &str) -> Vec<bool> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = vec![false; chars.len() + 1];
        out[0] = true;
        segment(&chars, 0, &mut out);
        out
    }

    fn reference() -> jieba_rs::Jieba {
        jieba_rs::Jieba::with_dict(&mut LIST.as_bytes()).unwrap()
    }

    #[test]
    fn every_line_of_the_list_is_a_word_and_its_frequency() {
        let mut previous = "";
        for line in LIST.lines() {
            let (word, frequency) = line.split_once(' ').expect(line);
            assert_eq!(
                dictionary().frequency.get(word),
                Some(&frequency.parse().expect(line))
            );
            assert!(
                previous < word,
                "src/words.txt: {word} after {previous}: run scripts/make-words"
            );
            previous = word;
        }
        assert_eq!(dictionary().frequency.len(), LIST.lines().count());
        assert_eq!(dictionary().longest, 6);
    }

    #[test]
    fn segments_as_jieba_does_generated_text() {
        let jieba = reference();
        // Text made of the list's words (whose overlaps make the routes compete), the
        // characters they use, letters, digits and the symbols jieba keeps with them, marks,
        // spaces, line ends and characters of the CJK extensions.
        let words: Vec<&str> = LIST.lines().map(|l| l.split(' ').next().unwrap()).collect();
        let chars: Vec<char> = words.iter().flat_map(|w| w.chars()).collect();
        let others: Vec<&str> = vec![
            "a", "Z", "GB", "T", "7", "2024", "12.5", "%", "+", "#", "&", ".", "_", "-", "，", "。", "、",
            "（", "）", "“", "”", "《", "》", "—", "…", " ", "\u{3000}", "\r\n", "\r", "\n", "年", "年度",
            "㐀", "𠀀", "豈", "Ａ", "é",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(24) {
                match next(10) {
                    0..=4 => text.push_str(words[next(words.len())]),
                    5..=7 => text.push(chars[next(chars.len())]),
                    _ => text.push_str(others[next(others.len())]),
                }
            }
            assert_eq!(ours(&text), jieba_boundaries(&jieba, &text), "{text:?}");
        }
    }

    #[test]
    fn segments_as_jieba_does_every_line_of_the_templates() {
        let jieba = reference();
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")];
        let mut lines = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                for line in std::fs::read_to_string(&path).unwrap().lines() {
                    let expected = jieba_boundaries(&jieba, line);
                    assert_eq!(ours(line), expected, "{}: {line}", path.display());
                    lines += 1;
                }
            }
        }
        assert!(lines > 500, "{lines} lines");
    }
}
