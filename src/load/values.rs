//! Parsers for the scalar forms users write: dates, 是/否, deadlines, years. Each returns a
//! Chinese explanation of what is wrong, for the caller to place at the value's location.

use crate::model::Deadline;
use chrono::NaiveDate;

/// What is wrong with a value, and how to write it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub title: String,
    pub help: String,
}

fn invalid(title: impl Into<String>, help: impl Into<String>) -> Invalid {
    Invalid {
        title: title.into(),
        help: help.into(),
    }
}

pub const DATE_FORMS: &str = "日期可写作 2024-03-15、2024/3/15、2024.3.15 或 2024年3月15日";

/// `2024-03-15`, `2024/3/15`, `2024.3.15`, `2024年3月15日`.
pub fn date(s: &str) -> Result<NaiveDate, Invalid> {
    let t = s.trim();
    // The three numbers, without allocating (every case has two or three dates); None when
    // a part is not a number of up to four digits or there are not three parts.
    let (mut nums, mut count, mut ok, mut year_digits) = ([0u32; 3], 0, true, 0);
    let mut take = |p: &str| {
        let p = p.trim();
        let n = (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten();
        if count == 0 {
            year_digits = p.len();
        }
        match (n, nums.get_mut(count)) {
            (Some(n), Some(slot)) => *slot = n,
            _ => ok = false,
        }
        count += 1;
    };
    match t.strip_suffix('日') {
        Some(rest) => rest.split(['年', '月']).for_each(&mut take),
        None => t.split(['-', '/', '.']).for_each(&mut take),
    }
    let nums = (ok && count == 3).then_some(nums);
    let bad = || invalid(format!("无法识别的日期“{s}”"), DATE_FORMS);
    match nums.as_ref() {
        Some(&[_, _, _]) if year_digits != 4 => Err(bad()),
        Some(&[y, _, _]) if !(1949..=2100).contains(&y) => Err(invalid(
            format!("日期“{s}”的年份{y}不合理"),
            "请核对年份，应为四位数字，如 2024",
        )),
        Some(&[_, m, _]) if !(1..=12).contains(&m) => Err(invalid(
            format!("日期“{s}”的月份{m}不存在"),
            "月份应在1到12之间，请核对",
        )),
        Some(&[y, m, d]) => NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
            invalid(
                format!("日期“{s}”不存在（{y}年没有{m}月{d}日）"),
                "请核对月份和日期",
            )
        }),
        _ => Err(bad()),
    }
}

/// 是/否, also true/false as YAML writes them.
pub fn boolean(s: &str) -> Result<bool, Invalid> {
    match s.trim() {
        "是" | "true" | "True" | "TRUE" => Ok(true),
        "否" | "false" | "False" | "FALSE" => Ok(false),
        other => Err(invalid(
            format!("“{other}”不是“是”或“否”"),
            "这一项只能填“是”或“否”",
        )),
    }
}

fn small_number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    const DIGITS: &str = "一二三四五六七八九";
    let d = |c: char| DIGITS.chars().position(|x| x == c).map(|i| i as u32 + 1);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => d(*c),
        ['十', c] => d(*c).map(|x| 10 + x),
        [a, '十'] => d(*a).map(|x| 10 * x),
        [a, '十', c] => Some(10 * d(*a)? + d(*c)?),
        _ => None,
    }
}

/// 办理时限: `3个月`, `3月`, `90天`, `90日`, `三个月`.
pub fn deadline(s: &str) -> Result<Deadline, Invalid> {
    let t = s.trim().replace(' ', "");
    let bad = || invalid(format!("无法识别的办理时限“{s}”"), "办理时限写作“3个月”或“90天”");
    let (num, months) = if let Some(n) = t.strip_suffix("个月").or_else(|| t.strip_suffix('月')) {
        (n, true)
    } else if let Some(n) = t.strip_suffix('天').or_else(|| t.strip_suffix('日')) {
        (n, false)
    } else {
        return Err(bad());
    };
    match small_number(num) {
        Some(0) | None => Err(bad()),
        Some(n) if months && n <= 24 => Ok(Deadline::Months(n)),
        Some(n) if !months && n <= 730 => Ok(Deadline::Days(n)),
        Some(_) => Err(invalid(
            format!("办理时限“{s}”过长"),
            "办理时限一般为3个月（90天），最长不超过两年",
        )),
    }
}

/// A whole number of at least zero, as 核对, 上年 and 统计 take; a count beyond a billion
/// is a typing slip, not a number of meetings or cases.
pub fn count(s: &str) -> Result<u64, Invalid> {
    let t = s.trim().trim_end_matches(['件', '次']);
    match t.parse::<u64>() {
        Ok(n) if n <= 1_000_000_000 && !t.starts_with('+') => Ok(n),
        Ok(_) => Err(invalid(format!("“{s}”过大"), "这里应填实际的件数或次数")),
        Err(_) => Err(invalid(format!("“{s}”不是件数"), "这里应填不小于0的整数，如 25")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn date_forms() {
        for s in [
            "2023-03-15",
            "2023/3/15",
            "2023.3.15",
            "2023年3月15日",
            " 2023-3-15 ",
        ] {
            assert_eq!(date(s), Ok(d(2023, 3, 15)), "{s}");
        }
    }

    #[test]
    fn bad_dates() {
        assert!(date("2023-02-30").unwrap_err().title.contains("不存在"));
        assert!(date("23-3-15").unwrap_err().title.contains("无法识别"));
        assert!(date("2023年3月").is_err());
        assert!(date("2023-3").is_err());
        assert!(date("三月十五日").is_err());
        assert!(date("2203-3-15").unwrap_err().title.contains("年份2203不合理"));
        for s in [
            "2024-1-2-3",
            "2024--1",
            "12345-1-1",
            "2024-1-",
            "2024-x-1",
            "2024年1月2日3日",
        ] {
            assert!(date(s).unwrap_err().title.contains("无法识别"), "{s}");
        }
        assert!(date("2024-13-1").unwrap_err().title.contains("月份13不存在"));
    }

    #[test]
    fn booleans() {
        assert_eq!(boolean("是"), Ok(true));
        assert_eq!(boolean("否"), Ok(false));
        assert_eq!(boolean("true"), Ok(true));
        assert!(boolean("对").unwrap_err().help.contains("“是”或“否”"));
    }

    #[test]
    fn deadlines() {
        assert_eq!(deadline("3个月"), Ok(Deadline::Months(3)));
        assert_eq!(deadline("三个月"), Ok(Deadline::Months(3)));
        assert_eq!(deadline("十二个月"), Ok(Deadline::Months(12)));
        assert_eq!(deadline("90天"), Ok(Deadline::Days(90)));
        assert_eq!(deadline("90日"), Ok(Deadline::Days(90)));
        assert!(deadline("3周").is_err());
        assert!(deadline("0天").is_err());
    }
}
