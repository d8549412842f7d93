//! Percentages as SPEC §2.4 rounds them, in exact integer arithmetic: tenths of a percent,
//! rounded half up; a rate below 100% never shows 100% and a non-zero share never 0%;
//! the parts of a partition add up to exactly 100 (largest remainder).

use serde::{Serialize, Serializer};
use std::fmt;

/// A percentage in tenths: `Percent(963)` is 96.3%.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(pub i64);

impl Percent {
    pub fn value(self) -> f64 {
        self.0 as f64 / 10.0
    }
}

/// `96.3`, `100` (a trailing `.0` is dropped), `-4.2`.
impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sign, a) = if self.0 < 0 { ("-", -self.0) } else { ("", self.0) };
        match a % 10 {
            0 => write!(f, "{sign}{}", a / 10),
            t => write!(f, "{sign}{}.{t}", a / 10),
        }
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.value())
    }
}

/// `num / den` as a percentage; None when `den` is zero.
pub fn rate(num: u64, den: u64) -> Option<Percent> {
    if den == 0 {
        return None;
    }
    let (n, d) = (num as u128, den as u128);
    let mut tenths = ((2 * n * 1000 + d) / (2 * d)) as i64;
    if num < den && tenths >= 1000 {
        tenths = 999;
    }
    if num > 0 && tenths == 0 {
        tenths = 1;
    }
    Some(Percent(tenths))
}

/// Change from `prev` to `cur` in percent, rounded half away from zero; None when `prev` is 0.
pub fn growth(cur: u64, prev: u64) -> Option<Percent> {
    if prev == 0 {
        return None;
    }
    let diff = cur as i128 - prev as i128;
    let p = prev as i128;
    let t = (2 * diff.abs() * 1000 + p) / (2 * p);
    Some(Percent((if diff < 0 { -t } else { t }) as i64))
}

/// Shares of `counts` in their sum, adding up to exactly 100%. All None when the sum is 0.
pub fn partition(counts: &[u64]) -> Vec<Option<Percent>> {
    let den: u128 = counts.iter().map(|&c| c as u128).sum();
    if den == 0 {
        return vec![None; counts.len()];
    }
    let mut tenths: Vec<i64> = counts.iter().map(|&c| (c as u128 * 1000 / den) as i64).collect();
    let missing = 1000 - tenths.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    // Larger remainder first; the sort is stable, so ties keep list order.
    order.sort_by_key(|&i| std::cmp::Reverse(counts[i] as u128 * 1000 % den));
    for &i in order.iter().take(missing as usize) {
        tenths[i] += 1;
    }
    for i in 0..counts.len() {
        if counts[i] > 0 && tenths[i] == 0 {
            let donor = (0..counts.len())
                .max_by_key(|&j| (tenths[j], std::cmp::Reverse(j)))
                .unwrap_or(i);
            tenths[donor] -= 1;
            tenths[i] = 1;
        }
    }
    tenths.into_iter().map(|t| Some(Percent(t))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: i64) -> Option<Percent> {
        Some(Percent(t))
    }

    #[test]
    fn rates_round_half_up_to_one_decimal() {
        assert_eq!(rate(2, 3), p(667));
        assert_eq!(rate(1, 3), p(333));
        assert_eq!(rate(999, 1000), p(999));
        assert_eq!(rate(1, 8), p(125)); // 12.5 exactly
        assert_eq!(rate(1, 16), p(63)); // 6.25 rounds up to 6.3
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(0, 5), p(0));
        assert_eq!(rate(5, 5), p(1000));
    }

    #[test]
    fn below_100_never_shows_100_and_nonzero_never_0() {
        assert_eq!(rate(9999, 10000), p(999));
        assert_eq!(rate(19999, 20000), p(999));
        assert_eq!(rate(1, 10000), p(1));
        assert_eq!(rate(1, 2001), p(1));
    }

    #[test]
    fn display_drops_trailing_zero() {
        assert_eq!(Percent(1000).to_string(), "100");
        assert_eq!(Percent(963).to_string(), "96.3");
        assert_eq!(Percent(5).to_string(), "0.5");
        assert_eq!(Percent(-42).to_string(), "-4.2");
        assert_eq!(serde_json::to_string(&Percent(1000)).unwrap(), "100.0");
    }

    #[test]
    fn partitions_add_up_to_100() {
        assert_eq!(partition(&[1, 1, 1]), [p(334), p(333), p(333)]);
        assert_eq!(partition(&[2, 1]), [p(667), p(333)]);
        assert_eq!(partition(&[9999, 1]), [p(999), p(1)]);
        assert_eq!(partition(&[1, 0, 0]), [p(1000), p(0), p(0)]);
        assert_eq!(partition(&[0, 0]), [None, None]);
        // 1/7 = 14.2857…: remainders decide who gets the extra tenths.
        let parts = partition(&[1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(parts.iter().map(|x| x.unwrap().0).sum::<i64>(), 1000);
        assert_eq!(parts[0], p(143));
        assert_eq!(parts[6], p(142));
        // Many tiny parts beside one large one: each tiny part still shows 0.1%.
        let mut counts = vec![100_000u64];
        counts.extend([1; 5]);
        let parts = partition(&counts);
        assert_eq!(parts[0], p(995));
        assert!(parts[1..].iter().all(|x| *x == p(1)));
    }

    #[test]
    fn growth_rounds_away_from_zero() {
        assert_eq!(growth(259, 201), p(289)); // 28.855…
        assert_eq!(growth(326, 259), p(259)); // 25.868…
        assert_eq!(growth(100, 200), p(-500));
        assert_eq!(growth(1, 8), p(-875));
        assert_eq!(growth(5, 0), None);
    }
}
