use serde::{Deserialize, Serialize};
use std::fmt;

/// A count that may be known only to lie in `lo..=hi`.
///
/// Sums of intervals are intervals; a sum is a point exactly when every part
/// is. Two honest estimates of the same quantity may be intersected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Interval {
    pub lo: u64,
    pub hi: u64,
}

impl Interval {
    pub const ZERO: Interval = Interval { lo: 0, hi: 0 };

    pub fn point(n: u64) -> Self {
        Interval { lo: n, hi: n }
    }
    /// `lo..=hi`, swapped if given the wrong way round.
    pub fn new(lo: u64, hi: u64) -> Self {
        Interval {
            lo: lo.min(hi),
            hi: lo.max(hi),
        }
    }
    pub fn is_point(&self) -> bool {
        self.lo == self.hi
    }
    /// The value when it is known exactly.
    pub fn value(&self) -> Option<u64> {
        self.is_point().then_some(self.lo)
    }
    /// Both facts at once, or `None` when they contradict each other.
    pub fn intersect(&self, other: &Interval) -> Option<Interval> {
        let lo = self.lo.max(other.lo);
        let hi = self.hi.min(other.hi);
        (lo <= hi).then_some(Interval { lo, hi })
    }
}

impl std::ops::Add for Interval {
    type Output = Interval;
    fn add(self, o: Interval) -> Interval {
        Interval {
            lo: self.lo.saturating_add(o.lo),
            hi: self.hi.saturating_add(o.hi),
        }
    }
}

impl std::ops::AddAssign for Interval {
    fn add_assign(&mut self, o: Interval) {
        *self = *self + o;
    }
}

impl std::iter::Sum for Interval {
    fn sum<I: Iterator<Item = Interval>>(iter: I) -> Interval {
        iter.fold(Interval::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Interval {
    /// "5653", or "5650 to 5661" for a range: the wording researchers quote.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_point() {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{} to {}", self.lo, self.hi)
        }
    }
}

/// "1,234,567": a whole number as UK statistics print it.
pub fn thousands(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::with_capacity(d.len() + d.len() / 3);
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count as a force wrote it, and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub interval: Interval,
    /// The cell text as written ("<5", "1,234", "12*"); for counted rows,
    /// how many rows were counted.
    pub text: String,
}

impl Count {
    pub fn point(n: u64) -> Self {
        Count {
            interval: Interval::point(n),
            text: n.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_intersections() {
        let s: Interval = [Interval::point(3), Interval::new(1, 4)].into_iter().sum();
        assert_eq!(s, Interval::new(4, 7));
        assert_eq!(s.intersect(&Interval::point(6)), Some(Interval::point(6)));
        assert_eq!(s.intersect(&Interval::point(9)), None);
        assert_eq!(s.to_string(), "4 to 7");
    }
}
