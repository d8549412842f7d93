//! `zongjie --licenses`: the licences of what the binary carries: the embedded fonts (SIL
//! OFL 1.1) and every crate built into it (licenses/THIRD-PARTY.txt, made by
//! scripts/third-party-licenses).

use super::term::print;
use super::Outcome;

const NOTICES: &[(&str, &str)] = &[
    (
        "内置字体 Noto Serif CJK SC、Noto Sans CJK SC（子集）",
        include_str!("../../fonts/OFL-Noto.txt"),
    ),
    (
        "内置字体 Zongjie Kai（LXGW WenKai 的子集，按其保留字体名称的要求改名）",
        include_str!("../../fonts/OFL-LXGWWenKai.txt"),
    ),
    (
        "内置字体 朱雀仿宋 Zhuque Fangsong（子集，弯引号改用其全角字形）",
        include_str!("../../fonts/OFL-Zhuque.txt"),
    ),
    ("第三方软件", include_str!("../../licenses/THIRD-PARTY.txt")),
];

pub fn execute() -> Outcome {
    let mut text = String::new();
    for (what, licence) in NOTICES {
        text.push_str(&format!(
            "{}\n{what}\n{}\n\n{}\n\n",
            "=".repeat(78),
            "=".repeat(78),
            licence.trim()
        ));
    }
    print(&text)
}
