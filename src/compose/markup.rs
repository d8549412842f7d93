//! The small markup a body template renders, parsed into document blocks:
//!
//! ```text
//! # 基本情况                  a level-1 heading (numbered 一、 by the program)
//! ## 压实办理责任             a level-2 heading on its own line (（一）)
//! ## 压实办理责任。正文……     a run-in heading: up to the first 。, then the paragraph's text
//! ### / ####                  levels 3 (1.) and 4 (（1）), the same way
//! @分页                       a page break
//! 任何其他非空行              one paragraph
//! ```
//!
//! Numbers are never written in the markup: removing or reordering an item renumbers the rest.

use crate::document::{Block, Heading, Paragraph};

fn heading(level: u8, text: &str) -> Heading {
    Heading {
        level,
        number: String::new(),
        text: text.to_owned(),
    }
}

/// Parses rendered markup into blocks.
pub fn parse(markup: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for line in markup.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line == "@分页" {
            blocks.push(Block::PageBreak);
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        let rest = line[hashes..].trim_start();
        if (1..=4).contains(&hashes) && rest.len() < line.len() - hashes {
            let level = hashes as u8;
            match rest.find('。') {
                Some(i) if level > 1 && i + '。'.len_utf8() < rest.len() => {
                    let (title, text) = rest.split_at(i + '。'.len_utf8());
                    blocks.push(Block::Paragraph(Paragraph {
                        run_in: Some(heading(level, title)),
                        text: text.trim_start().to_owned(),
                    }));
                }
                _ => blocks.push(Block::Heading(heading(level, rest))),
            }
            continue;
        }
        blocks.push(Block::Paragraph(Paragraph::plain(line)));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_run_ins_and_paragraphs() {
        let b = parse("# 基本情况\n\n正文一。\n## 压实办理责任。局党组……\n## 单独成行\n@分页\n#不是标题\n");
        assert_eq!(b.len(), 6);
        assert!(matches!(&b[0], Block::Heading(h) if h.level == 1 && h.text == "基本情况"));
        assert!(matches!(&b[1], Block::Paragraph(p) if p.run_in.is_none() && p.text == "正文一。"));
        assert!(
            matches!(&b[2], Block::Paragraph(p) if p.run_in.as_ref().unwrap().text == "压实办理责任。" && p.text == "局党组……")
        );
        assert!(matches!(&b[3], Block::Heading(h) if h.level == 2 && h.text == "单独成行"));
        assert_eq!(b[4], Block::PageBreak);
        assert!(matches!(&b[5], Block::Paragraph(p) if p.text == "#不是标题"));
    }

    #[test]
    fn level_one_never_runs_in() {
        let b = parse("# 基本情况。正文\n");
        assert!(matches!(&b[0], Block::Heading(h) if h.text == "基本情况。正文"));
    }
}
