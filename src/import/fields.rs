//! Which ledger column is which 案件 field (SPEC §2.2), and how its values are written.

use crate::load::values;

/// Header names offices use, per field. Matched after removing spaces, `*` marks and a
/// trailing note in brackets (`交办日期（年月日）`).
#[rustfmt::skip]
pub const SYNONYMS: &[(&str, &[&str])] = &[
    ("编号", &["编号", "建议编号", "提案编号", "议案编号", "建议号", "提案号", "议案号", "案号", "文号", "建议提案编号"]),
    ("类别", &["类别", "类型", "建议提案类别", "案件类别", "性质"]),
    ("标题", &["标题", "建议提案标题", "建议标题", "提案标题", "议案标题", "案由", "题目", "名称", "建议提案名称"]),
    ("提出人", &["提出人", "领衔代表", "提案人", "第一提案人", "领衔人", "提出代表", "代表", "委员", "提出者", "代表姓名"]),
    ("承办方式", &["承办方式", "主办/协办", "主办协办", "主协办", "承办类型", "办理方式", "承办性质"]),
    ("承办单位", &["承办单位", "承办科室", "承办部门", "责任单位", "责任科室", "主办单位", "承办处室"]),
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

/// A value as the 案件 file writes it; `date` is the spreadsheet's own date, if it stored one.
/// None for an empty cell.
pub fn value(
    field: &str,
    text: &str,
    date: Option<chrono::NaiveDate>,
    number: Option<f64>,
) -> Result<Option<String>, Bad> {
    let t = text.trim();
    if t.is_empty() && date.is_none() {
        return Ok(None);
    }
    if let Some(c) = t.chars().find(|&c| crate::document::is_forbidden_char(c)) {
        return Err(bad(
            format!("单元格中有不可见的控制字符 U+{:04X}", c as u32),
            "在 Excel 中重新输入这个单元格的文字：控制字符打印不出来，Word 无法打开含有它的文件",
        ));
    }
    let v = match field {
        "类别" => {
            let kinds = [("议案", "议案"), ("提案", "提案"), ("建议", "建议")];
            match kinds.iter().find(|(k, _)| t.contains(k)) {
                Some((_, k)) => (*k).to_owned(),
                None => return Err(bad(format!("无法识别的类别“{t}”"), "类别写“建议”“议案”或“提案”")),
            }
        }
        "承办方式" => {
            let ways = ["主办", "协办", "会办", "分办", "独办"];
            let found: Vec<&str> = ways.iter().copied().filter(|w| t.contains(w)).collect();
            match found.as_slice() {
                [one] => (*one).to_owned(),
                _ if t == "主" => "主办".into(),
                _ if t == "协" => "协办".into(),
                _ => {
                    return Err(bad(
                        format!("无法识别的承办方式“{t}”"),
                        "承办方式写主办、协办、会办、分办或独办",
                    ))
                }
            }
        }
        "交办日期" | "答复日期" => {
            if let Some(d) = date {
                d.format("%Y-%m-%d").to_string()
            } else if let Some(d) = number
                .and_then(super::grid::excel_date)
                .filter(|_| number.is_some_and(|n| n > 20000.0))
            {
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
        "办理结果" => {
            let letter = t.trim_end_matches('类').trim().to_ascii_uppercase();
            if letter.len() == 1 && letter.as_bytes()[0].is_ascii_uppercase() {
                letter
            } else {
                return Err(bad(
                    format!("无法识别的办理结果“{t}”"),
                    "办理结果写分类方案的字母，如 A、B、C，或“A类”",
                ));
            }
        }
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
    }

    #[test]
    fn values() {
        let v = |f, t| value(f, t, None, None).ok().flatten();
        assert_eq!(v("办理结果", "A类").as_deref(), Some("A"));
        assert_eq!(v("面商", "√").as_deref(), Some("是"));
        assert_eq!(v("类别", "人大代表建议").as_deref(), Some("建议"));
        assert_eq!(v("承办方式", "主办单位").as_deref(), Some("主办"));
        assert_eq!(v("交办日期", "2024/3/8").as_deref(), Some("2024-03-08"));
        assert_eq!(
            v("交办日期", "2024-03-08 00:00:00").as_deref(),
            Some("2024-03-08")
        );
        assert_eq!(
            value("交办日期", "45366", None, Some(45366.0))
                .ok()
                .flatten()
                .as_deref(),
            Some("2024-03-15")
        );
        assert!(value("承办方式", "牵头", None, None).is_err());
        assert!(value("交办日期", "2024-13-01", None, None).is_err());
    }
}
