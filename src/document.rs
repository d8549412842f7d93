//! The document model: what every writer (TXT, Markdown, DOCX, PDF) reads. It knows
//! headings, paragraphs, tables and attachments, never pages or fonts; composing fills it,
//! writers lay it out. Heading numbers are assigned here, so reordering items renumbers them.

/// A whole output: one 篇 for a report, several for a 汇编.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Title and author for the file's metadata.
    pub title: String,
    pub author: String,
    pub parts: Vec<Part>,
    /// A 汇编's cover page.
    pub cover: Option<Cover>,
    /// A 汇编's 目录: each 篇's label, title and the page it starts on.
    pub toc: bool,
}

/// The cover of a 汇编: its title, who compiled it, and when.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cover {
    pub title: Vec<String>,
    pub editor: Option<String>,
    pub date: Option<String>,
}

/// One 篇: a titled text with its 落款 and attachments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Part {
    /// `篇一` in a 汇编; None for a report on its own.
    pub label: Option<String>,
    /// Title lines: forced breaks the user wrote; writers may break long lines further.
    pub title: Vec<String>,
    pub blocks: Vec<Block>,
    pub signature: Option<Signature>,
    pub attachments: Vec<Attachment>,
}

/// 落款: the issuing unit and the date, as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub unit: String,
    /// `2024年12月20日`, or None when the report gives no 成文日期.
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading on its own line (level 1 always; levels 2–4 when not run in).
    Heading(Heading),
    /// A paragraph, possibly opening with a run-in heading.
    Paragraph(Paragraph),
    Table(Table),
    PageBreak,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 `一、`, 2 `（一）`, 3 `1.`, 4 `（1）`.
    pub level: u8,
    /// Assigned by [`Part::number_headings`].
    pub number: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// A level-2 or level-3 heading ending with `。` followed by the text on the same line.
    pub run_in: Option<Heading>,
    pub text: String,
}

impl Paragraph {
    pub fn plain(text: impl Into<String>) -> Self {
        Paragraph {
            run_in: None,
            text: text.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns whose cells are numbers (right-aligned in a table).
    pub numeric: Vec<bool>,
}

/// 附件: starts on a new page with its label and a centred title.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// `附件` or `附件1`.
    pub label: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// Chinese numerals for heading numbers: 一 … 九十九.
pub fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    // Below ten thousand, as Chinese counts: 一百零五, 一千零一十, 二千三百; 十 alone for
    // 10–19; beyond that (never a 篇 or heading number), digit by digit.
    if n >= 10_000 {
        return n
            .to_string()
            .chars()
            .map(|c| D[c as usize - '0' as usize])
            .collect();
    }
    if (10..20).contains(&n) {
        return format!("十{}", if n == 10 { "" } else { D[n % 10] });
    }
    if n == 0 {
        return D[0].into();
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push_str(D[d]);
        out.push_str(units[i]);
    }
    out
}

/// The number of the `n`-th heading (1-based) at `level`.
pub fn heading_number(level: u8, n: usize) -> String {
    match level {
        1 => format!("{}、", chinese_number(n)),
        2 => format!("（{}）", chinese_number(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

impl Part {
    /// Numbers every heading in order: a heading resets the counters of the levels below it.
    pub fn number_headings(&mut self) {
        let levels: Vec<u8> = self
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) | Block::Paragraph(Paragraph { run_in: Some(h), .. }) => {
                    Some(h.level.clamp(1, 4))
                }
                _ => None,
            })
            .collect();
        // A heading below level 1 alone under its parent is not numbered: one item is not
        // （一） (SPEC §2.5, counts agree with their frame).
        let alone: Vec<bool> = (0..levels.len())
            .map(|i| {
                let l = levels[i];
                let start = (0..i).rev().find(|&j| levels[j] < l).map_or(0, |j| j + 1);
                let end = (i + 1..levels.len())
                    .find(|&j| levels[j] < l)
                    .unwrap_or(levels.len());
                l > 1 && levels[start..end].iter().filter(|&&x| x == l).count() == 1
            })
            .collect();
        let mut counters = [0usize; 5];
        let mut n = 0;
        let mut assign = |h: &mut Heading| {
            let l = h.level.clamp(1, 4) as usize;
            counters[l] += 1;
            counters[l + 1..].iter_mut().for_each(|c| *c = 0);
            h.number = if alone[n] {
                String::new()
            } else {
                heading_number(l as u8, counters[l])
            };
            n += 1;
        };
        for b in &mut self.blocks {
            match b {
                Block::Heading(h) => assign(h),
                Block::Paragraph(Paragraph { run_in: Some(h), .. }) => assign(h),
                _ => {}
            }
        }
    }

    /// All the text of the part in reading order, one string per line or paragraph.
    pub fn texts(&self) -> Vec<String> {
        let mut out = self.title.clone();
        for b in &self.blocks {
            out.extend(block_text(b));
        }
        for (i, item) in self.attachment_note().iter().enumerate() {
            let label = if i == 0 { ATTACHMENT_NOTE_LABEL } else { "" };
            out.push(format!("{label}{}{}", item.number, item.name));
        }
        if let Some(s) = &self.signature {
            out.push(s.unit.clone());
            out.extend(s.date.clone());
        }
        for a in &self.attachments {
            out.push(a.label.clone());
            out.push(a.title.clone());
            a.blocks.iter().for_each(|b| out.extend(block_text(b)));
        }
        out
    }
}

/// The label that opens a 附件说明.
pub const ATTACHMENT_NOTE_LABEL: &str = "附件：";

/// One line of a 附件说明: the attachment's number (`1.`, empty when it is the only one) and
/// its name.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteItem<'a> {
    pub number: String,
    pub name: &'a str,
}

impl Part {
    /// The 附件说明 (GB/T 9704 §7.3.4) that stands under the body when the 篇 has attachments:
    /// `附件：` and each attachment's name, numbered `1.` `2.` … when there are several. Writers
    /// put it one blank line under the body, two characters in, with later numbers under the
    /// first and a wrapped name under the first character of the name above.
    pub fn attachment_note(&self) -> Vec<NoteItem<'_>> {
        let several = self.attachments.len() > 1;
        self.attachments
            .iter()
            .enumerate()
            .map(|(i, a)| NoteItem {
                number: if several {
                    format!("{}.", i + 1)
                } else {
                    String::new()
                },
                name: &a.title,
            })
            .collect()
    }
}

fn block_text(b: &Block) -> Vec<String> {
    match b {
        Block::Heading(h) => vec![format!("{}{}", h.number, h.text)],
        Block::Paragraph(p) => vec![match &p.run_in {
            Some(h) => format!("{}{}{}", h.number, h.text, p.text),
            None => p.text.clone(),
        }],
        Block::Table(t) => std::iter::once(t.header.join(" "))
            .chain(t.rows.iter().map(|r| r.join(" ")))
            .collect(),
        Block::PageBreak => vec![],
    }
}

/// A character that XML 1.0 forbids (C0 controls other than tab, line feed and carriage
/// return; U+FFFE and U+FFFF). No document may hold one: a DOCX part with one is not
/// well-formed, and it is invisible on a printed page anyway.
pub fn is_forbidden_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_past_ninety_nine() {
        let n: Vec<String> = [1, 10, 11, 20, 99, 100, 101, 105, 110, 999, 1000, 1010, 2300]
            .iter()
            .map(|&n| chinese_number(n))
            .collect();
        assert_eq!(
            n,
            [
                "一",
                "十",
                "十一",
                "二十",
                "九十九",
                "一百",
                "一百零一",
                "一百零五",
                "一百一十",
                "九百九十九",
                "一千",
                "一千零一十",
                "二千三百"
            ]
        );
    }

    fn h(level: u8) -> Block {
        Block::Heading(Heading {
            level,
            number: String::new(),
            text: "标题".into(),
        })
    }

    #[test]
    fn numbers_reset_below_each_heading() {
        let mut p = Part {
            blocks: vec![
                h(1),
                h(2),
                Block::Paragraph(Paragraph {
                    run_in: Some(Heading {
                        level: 2,
                        number: String::new(),
                        text: "乙。".into(),
                    }),
                    text: "正文".into(),
                }),
                h(3),
                h(4),
                h(4),
                h(3),
                h(1),
                h(2),
            ],
            ..Part::default()
        };
        p.number_headings();
        let numbers: Vec<String> = p
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading(h) => h.number.clone(),
                Block::Paragraph(p) => p.run_in.as_ref().unwrap().number.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            numbers,
            [
                "一、",
                "（一）",
                "（二）",
                "1.",
                "（1）",
                "（2）",
                "2.",
                "二、",
                // Alone under its parent: one item is not numbered （一） (SPEC §2.5).
                ""
            ]
        );
    }

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 99]
            .iter()
            .map(|&n| chinese_number(n))
            .collect();
        assert_eq!(
            got,
            ["一", "九", "十", "十一", "十九", "二十", "二十一", "九十九"]
        );
    }
}
