//! Which ledger column is which 案件 field (SPEC §2.2), and how its values are written.

use super::grid::Value;
use crate::load::values;

/// Columns that are not 案件 fields but say who handled a case: a ledger that has them and
/// no 承办方式 column gives 承办方式 and 承办单位 from them.
pub const UNIT_COLUMNS: [&str; 2] = ["主办单位", "协办单位"];

/// Header names offices use, per field. Matched after removing spaces, `*` marks and a
/// trailing note in brackets (`交办日期（年月日）`).
#[rustfmt::skip]
pub const SYNONYMS: &[(&str, &[&str])] = &[
    ("编号", &["编号", "建议编号", "提案编号", "议案编号", "建议号", "提案号", "议案号", "案号", "文号", "建议提案编号"]),
    ("类别", &["类别", "类型", "建议提案类别", "案件类别", "性质"]),
    ("标题", &["标题", "建议提案标题", "建议标题", "提案标题", "议案标题", "案由", "题目", "名称", "建议提案名称"]),
    ("提出人", &["提出人", "领衔代表", "提案人", "第一提案人", "领衔人", "提出代表", "代表", "委员", "提出者", "代表姓名"]),
    ("承办方式", &["承办方式", "主办/协办", "主办协办", "主协办", "承办类型", "办理方式", "承办性质"]),
    ("承办单位", &["承办单位", "承办科室", "承办部门", "责任单位", "责任科室", "承办处室"]),
    ("主办单位", &["主办单位", "主办部门", "主办科室", "主办处室"]),
    ("协办单位", &["协办单位", "协办部门", "协办科室", "会办单位", "会办部门", "协办处室"]),
    ("级别", &["级别", "层级", "建议级别"]),
    ("来源", &["来源", "会议", "提出会议", "会次"]),
    ("领域", &["领域", "所属领域", "内容分类", "分类", "专题"]),
    ("交办日期", &["交办日期", "交办时间", "交办"]),
    ("答复日期", &["答复日期", "答复时间", "办结日期", "办结时间", "答复"]),
    ("办理结果", &["办理结果", "答复类别", "解决程度", "结果类别", "办理类别", "答复分类"]),
    ("面商", &["面商", "是否面商", "是否见面", "是否面复", "面商情况"]),
    ("满意度", &["满意度", "代表委员意见", "反馈意见", "满意程度", "代表意见", "委员意见", "测评结果"]),
    ("重点督办", &["重点督办", "是否重点督办"]),
    ("领办领导", &["领办领导", "领导领办", "领办"]),
    ("跨年度", &["跨年度", "是否跨年度", "滚动办理"]),
    ("备注", &["备注", "说明"]),
];

/// A header as compared: no spaces, no `*`, no trailing bracketed note.
pub fn normalise(header: &str) -> String {
    let mut s: String = header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if s.ends_with(close) {
            if let Some(i) = s.rfind(open) {
                s.truncate(i);
            }
        }
    }
    s
}

/// The field a header names.
pub fn field_of(header: &str) -> Option<&'static str> {
    let h = normalise(header);
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(f, _)| *f)
}

/// Headings a ledger often has that hold no field of a case: a row's serial number, remarks.
/// Not imported, and not worth a user's second look either.
const NOT_FIELDS: &[&str] = &["序号", "序", "备注"];

/// Is `header` one of the headings that hold no field ([`NOT_FIELDS`])?
pub fn holds_no_field(header: &str) -> bool {
    NOT_FIELDS.contains(&normalise(header).as_str())
}

/// What is wrong with a value and how to write it.
pub struct Bad {
    pub what: String,
    pub help: &'static str,
}

fn bad(what: impl Into<String>, help: &'static str) -> Bad {
    Bad {
        what: what.into(),
        help,
    }
}

fn yes_no(s: &str) -> Result<&'static str, Bad> {
    match s.trim() {
        "是" | "√" | "✓" | "✔" | "Y" | "y" | "YES" | "Yes" | "yes" | "1" | "有" | "TRUE" | "true"
        | "True" | "已面商" => Ok("是"),
        "否" | "×" | "✗" | "✘" | "N" | "n" | "NO" | "No" | "no" | "0" | "无" | "FALSE" | "false"
        | "False" | "未面商" => Ok("否"),
        _ => Err(bad(format!("“{s}”不是“是”或“否”"), "填“是”“否”，或 √、×")),
    }
}

/// A 类别 as the case file writes it. Accepted: the word itself, with who proposes it in
/// front (人大代表建议, 政协委员提案) and 类 after it; anything else — 建议案, which is
/// neither 建议 nor 议案 for sure — is refused rather than guessed.
fn kind(t: &str) -> Result<&'static str, Bad> {
    let wrong = |why: &str| {
        bad(
            format!("无法识别的类别“{t}”{why}"),
            "类别写“建议”“议案”或“提案”（也可写“人大代表建议”“政协委员提案”）",
        )
    };
    let s: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let mut core = s.strip_suffix('类').unwrap_or(&s);
    let mut by = None;
    for (prefix, who) in [
        ("人大代表", "人大"),
        ("政协委员", "政协"),
        ("人大", "人大"),
        ("政协", "政协"),
        ("代表", "人大"),
        ("委员", "政协"),
    ] {
        if let Some(rest) = core.strip_prefix(prefix) {
            core = rest;
            by = Some(who);
            break;
        }
    }
    let kind = match core {
        "建议" | "建议、批评和意见" | "建议批评和意见" | "建议、批评、意见" => {
            "建议"
        }
        "议案" => "议案",
        "提案" => "提案",
        _ if ["建议", "议案", "提案"]
            .iter()
            .filter(|k| core.contains(*k))
            .count()
            > 1 =>
        {
            return Err(wrong("：看不出是建议、议案还是提案"))
        }
        _ => return Err(wrong("")),
    };
    match (by, kind) {
        (Some("政协"), "建议" | "议案") => Err(wrong("：政协委员提的是提案")),
        (Some("人大"), "提案") => Err(wrong("：人大代表提的是建议或议案")),
        _ => Ok(kind),
    }
}

/// The kind an 编号 names (建议第12号): None when it names none; an error when it names more
/// than one (建议案第3号).
pub fn kind_in_id(id: &str) -> Result<Option<&'static str>, ()> {
    let found: Vec<&'static str> = ["建议", "议案", "提案"]
        .into_iter()
        .filter(|k| id.contains(k))
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(()),
    }
}

/// A 承办方式: the word itself, or followed by 单位 or 件 (主办单位, 协办件), or by a note in
/// brackets (主办（牵头）).
fn handling(t: &str) -> Result<&'static str, Bad> {
    let s = normalise(t);
    let core = s
        .strip_suffix("单位")
        .or_else(|| s.strip_suffix('件'))
        .unwrap_or(&s);
    match core {
        "主办" | "主" => Ok("主办"),
        "协办" | "协" => Ok("协办"),
        "会办" => Ok("会办"),
        "分办" => Ok("分办"),
        "独办" => Ok("独办"),
        _ => Err(bad(
            format!("无法识别的承办方式“{t}”"),
            "承办方式写主办、协办、会办、分办或独办",
        )),
    }
}

/// A 办理结果: a letter of the 分类方案, optionally followed by 类 (A, A类, full-width Ａ).
fn result(t: &str) -> Result<String, Bad> {
    let s: String = t
        .trim()
        .trim_end_matches('类')
        .trim()
        .chars()
        .map(|c| match c {
            'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Ok(c.to_ascii_uppercase().to_string()),
        _ => Err(bad(
            format!("无法识别的办理结果“{t}”"),
            "办理结果写分类方案的字母，如 A、B、C，或“A类”",
        )),
    }
}

/// A value as the 案件 file writes it. None for an empty cell.
pub fn value(field: &str, cell: &Value) -> Result<Option<String>, Bad> {
    let (date, number) = match cell {
        Value::Empty => return Ok(None),
        Value::Error(e) => {
            return Err(bad(
                format!("单元格是 Excel 的错误值 {}，公式没有算出结果", e.trim()),
                "在 Excel 中改正这个单元格的公式，或把它改成要填的内容，然后重新导入",
            ))
        }
        Value::Date(d) => (Some(*d), None),
        Value::Number(n) => (None, Some(*n)),
        Value::Text(_) => (None, None),
    };
    let text = cell.as_text();
    let t = text.trim();
    if let Some(c) = t.chars().find(|&c| crate::document::is_forbidden_char(c)) {
        return Err(bad(
            format!("单元格中有不可见的控制字符 U+{:04X}", c as u32),
            "在 Excel 中重新输入这个单元格的文字：控制字符打印不出来，Word 无法打开含有它的文件",
        ));
    }
    let v = match field {
        "类别" => kind(t)?.to_owned(),
        "承办方式" => handling(t)?.to_owned(),
        "交办日期" | "答复日期" => {
            if let Some(d) = date {
                d.format("%Y-%m-%d").to_string()
            } else if let Some(d) = number.filter(|n| *n > 20000.0).and_then(super::grid::excel_date) {
                // A date typed as a number: Excel's serial day count.
                d.format("%Y-%m-%d").to_string()
            } else {
                let head = t.split([' ', 'T']).next().unwrap_or(t);
                match values::date(head) {
                    Ok(d) => d.format("%Y-%m-%d").to_string(),
                    Err(e) => return Err(bad(
                        e.title,
                        "日期写作 2024-03-15、2024/3/15、2024.3.15 或 2024年3月15日，或设为 Excel 日期格式",
                    )),
                }
            }
        }
        "办理结果" => result(t)?,
        "面商" | "重点督办" | "跨年度" => yes_no(t)?.to_owned(),
        "满意度" => {
            let level = match t {
                "满意" | "非常满意" => "满意",
                "基本满意" | "比较满意" => "基本满意",
                "不满意" => "不满意",
                "未反馈" | "未测评" | "未答复" | "-" | "—" | "／" | "/" => "未反馈",
                _ => {
                    return Err(bad(
                        format!("无法识别的满意度“{t}”"),
                        "满意度写满意、基本满意、不满意或未反馈",
                    ))
                }
            };
            level.to_owned()
        }
        _ => t.to_owned(),
    };
    Ok(Some(v))
}

/// The units a 主办单位 or 协办单位 cell names: several are separated by 、，,;； or line
/// breaks.
pub fn units(t: &str) -> Vec<&str> {
    t.split(['、', '，', ',', ';', '；', '\n', '\r'])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect()
}

/// Whether `named` (as a ledger writes it) is the reporting unit `unit`: the same name, or
/// one the end of the other of three characters or more (市民政局 for 江城市民政局).
pub fn same_unit(named: &str, unit: &str) -> bool {
    let strip = |s: &str| -> String {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        match s.find(['（', '(']) {
            Some(i) if i > 0 => s[..i].to_owned(),
            _ => s,
        }
    };
    let (a, b) = (strip(named), strip(unit));
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    short == long || (short.chars().count() >= 3 && long.ends_with(short.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(field_of("建议编号"), Some("编号"));
        assert_eq!(field_of(" 案 由 "), Some("标题"));
        assert_eq!(field_of("交办时间（年月日）"), Some("交办日期"));
        assert_eq!(field_of("*是否面商"), Some("面商"));
        assert_eq!(field_of("序号"), None);
        assert!(holds_no_field(" 序号 ") && holds_no_field("备注"));
        assert!(!holds_no_field("群众评价"));
    }

    fn text(t: &str) -> Value<'_> {
        Value::text(std::borrow::Cow::Borrowed(t))
    }

    #[test]
    fn values() {
        let v = |f, t| value(f, &text(t)).ok().flatten();
        assert_eq!(v("办理结果", "A类").as_deref(), Some("A"));
        assert_eq!(v("办理结果", "Ｂ类").as_deref(), Some("B"));
        assert_eq!(v("面商", "√").as_deref(), Some("是"));
        assert_eq!(v("类别", "人大代表建议").as_deref(), Some("建议"));
        assert_eq!(v("类别", "政协委员提案").as_deref(), Some("提案"));
        assert_eq!(v("类别", "议案类").as_deref(), Some("议案"));
        assert_eq!(v("承办方式", "主办单位").as_deref(), Some("主办"));
        assert_eq!(v("交办日期", "2024/3/8").as_deref(), Some("2024-03-08"));
        assert_eq!(
            v("交办日期", "2024-03-08 00:00:00").as_deref(),
            Some("2024-03-08")
        );
        assert_eq!(
            value("交办日期", &Value::Number(45366.0))
                .ok()
                .flatten()
                .as_deref(),
            Some("2024-03-15")
        );
        assert!(value("承办方式", &text("牵头")).is_err());
        assert!(value("交办日期", &text("2024-13-01")).is_err());
    }

    #[test]
    fn wordings_that_could_mean_two_things_are_refused() {
        let what = |f, t| value(f, &text(t)).err().map(|b| b.what).unwrap_or_default();
        assert!(what("类别", "建议案").contains("看不出是建议、议案还是提案"));
        assert!(what("类别", "政协委员建议").contains("政协委员提的是提案"));
        assert!(what("类别", "意见").contains("无法识别的类别"));
        assert!(what("承办方式", "非主办").contains("无法识别的承办方式"));
        assert_eq!(
            value("承办方式", &text("主办（牵头）")).ok().flatten().as_deref(),
            Some("主办")
        );
        assert!(what("承办方式", "主办协办").contains("无法识别的承办方式"));
        assert!(what("办理结果", "AB").contains("无法识别的办理结果"));
        assert!(what("满意度", "满意吧").contains("无法识别的满意度"));
        assert!(what("标题", "#DIV/0!").contains("错误值 #DIV/0!"));
        assert_eq!(kind_in_id("建议第21号"), Ok(Some("建议")));
        assert_eq!(kind_in_id("第21号"), Ok(None));
        assert_eq!(kind_in_id("建议案第3号"), Err(()));
    }

    #[test]
    fn units_in_a_cell() {
        assert_eq!(
            units("市民政局、市卫健委，市医保局\n区政府; 区教育局"),
            ["市民政局", "市卫健委", "市医保局", "区政府", "区教育局"]
        );
        assert!(same_unit("市民政局", "江城市民政局"));
        assert!(same_unit("江城市民政局（牵头）", "江城市民政局"));
        assert!(!same_unit("区民政局", "江城市民政局"));
        assert!(!same_unit("政局", "江城市民政局"));
    }
}
