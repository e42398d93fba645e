use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// A campaign-declared dimension: "offence", "offence_group", "victim_age",
/// "online_method", or whatever another campaign asks about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DimId(pub String);

impl DimId {
    pub fn new(s: &str) -> Self {
        DimId(s.to_string())
    }
}

impl fmt::Display for DimId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The value of one dimension on a record. Tables show it through
/// `Display` ("13", "10-12", "22B"); serde keeps the variant, so a cached
/// record reads back exactly (offence code "13" is not age 13).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DimValue {
    /// A code from the dimension's domain: a Home Office offence category
    /// ("22B"), an offence group, an online method.
    Code(String),
    /// An exact age in years.
    Age(u8),
    /// An age band, inclusive; `hi: None` is open-ended ("18+").
    AgeBand { lo: u8, hi: Option<u8> },
    /// The force said it did not know ("not recorded", "unknown").
    Unknown,
}

impl DimValue {
    /// The ages this value may stand for, inclusive, when it is an age.
    pub fn age_range(&self) -> Option<(u8, u8)> {
        match self {
            DimValue::Age(a) => Some((*a, *a)),
            DimValue::AgeBand { lo, hi } => Some((*lo, hi.unwrap_or(u8::MAX))),
            _ => None,
        }
    }

    /// Parses the canonical text form written by `Display`: for age
    /// dimensions "13", "10-12", "18+", "unknown"; otherwise a code.
    pub fn parse(is_age: bool, s: &str) -> Option<DimValue> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("unknown") {
            return Some(DimValue::Unknown);
        }
        if !is_age {
            return (!s.is_empty()).then(|| DimValue::Code(s.to_string()));
        }
        if let Some(lo) = s.strip_suffix('+') {
            return lo.parse().ok().map(|lo| DimValue::AgeBand { lo, hi: None });
        }
        if let Some((lo, hi)) = s.split_once('-') {
            let (lo, hi): (u8, u8) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
            return (lo <= hi).then_some(DimValue::AgeBand { lo, hi: Some(hi) });
        }
        s.parse().ok().map(DimValue::Age)
    }

    fn sort_key(&self) -> (u8, u8, u8, &str) {
        match self {
            DimValue::Age(a) => (0, *a, *a, ""),
            DimValue::AgeBand { lo, hi } => (0, *lo, hi.unwrap_or(u8::MAX), ""),
            DimValue::Code(c) => (1, 0, 0, c.as_str()),
            DimValue::Unknown => (2, 0, 0, ""),
        }
    }
}

impl Ord for DimValue {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for DimValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for DimValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DimValue::Code(c) => f.write_str(c),
            DimValue::Age(a) => write!(f, "{a}"),
            DimValue::AgeBand { lo, hi: Some(hi) } => write!(f, "{lo}-{hi}"),
            DimValue::AgeBand { lo, hi: None } => write!(f, "{lo}+"),
            DimValue::Unknown => f.write_str("unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["13", "10-12", "18+", "unknown"] {
            assert_eq!(
                DimValue::parse(true, s).map(|v| v.to_string()).as_deref(),
                Some(s)
            );
        }
        assert_eq!(
            DimValue::parse(false, "22B"),
            Some(DimValue::Code("22B".into()))
        );
        assert_eq!(DimValue::parse(true, "12-10"), None);
    }
}
