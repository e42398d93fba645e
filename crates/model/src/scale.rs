//! What a figure may be: a whole count, or a measure with decimals (full-time
//! equivalents, money), kept exactly.
//!
//! A measure is held as a whole number of its smallest step: at six decimal
//! places 1225.8943 FTE is 1,225,894,300 millionths. So every figure is still
//! an [`Interval`] of whole numbers, every sum of intervals is exact, and the
//! arithmetic of counts (sums, totals narrowing suppressed cells, checks) is
//! the arithmetic of measures unchanged. Only reading a value and showing it
//! know the scale.

use crate::{thousands, Interval};
use serde::{Deserialize, Serialize};

/// How many decimal places a campaign's figures are kept to: none for a
/// count, 1 to [`Scale::MAX_DECIMALS`] for a measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scale {
    decimals: u8,
}

impl Scale {
    /// Whole counts: what a campaign's figures are unless it declares a measure.
    pub const COUNT: Scale = Scale { decimals: 0 };
    /// At most nine places: a measure of up to 18 thousand million (u64
    /// millionths of a millionth) still fits, and the Parquet decimal's
    /// eighteen digits hold it.
    pub const MAX_DECIMALS: u8 = 9;

    /// A measure kept to `decimals` places; `None` outside 1 to 9.
    pub fn measure(decimals: u8) -> Option<Scale> {
        (1..=Self::MAX_DECIMALS)
            .contains(&decimals)
            .then_some(Scale { decimals })
    }

    pub fn decimals(&self) -> u8 {
        self.decimals
    }

    pub fn is_count(&self) -> bool {
        self.decimals == 0
    }

    /// How many steps make one whole unit: 10^decimals.
    pub fn one(&self) -> u64 {
        10u64.pow(u32::from(self.decimals))
    }

    /// `n` whole units, in steps (a threshold of 5 is 5,000,000 millionths);
    /// saturating, as no figure can be that large.
    pub fn whole(&self, n: u64) -> u64 {
        n.saturating_mul(self.one())
    }

    /// The figure as a number, for a spreadsheet cell (which holds a binary
    /// float: the CSV and Parquet hold it exactly).
    pub fn to_f64(&self, n: u64) -> f64 {
        n as f64 / self.one() as f64
    }

    /// Signed steps as a float, for a change or a difference.
    pub fn signed_to_f64(&self, n: i64) -> f64 {
        n as f64 / self.one() as f64
    }

    /// "1225.894300": every place, no separators; as a CSV field, so the text
    /// is the exact value and every row has the same places.
    pub fn fixed(&self, n: u64) -> String {
        if self.is_count() {
            return n.to_string();
        }
        let one = self.one();
        format!(
            "{}.{:0width$}",
            n / one,
            n % one,
            width = usize::from(self.decimals)
        )
    }

    /// [`Scale::fixed`] with a sign: "-3.500000".
    pub fn fixed_signed(&self, n: i64) -> String {
        let abs = self.fixed(n.unsigned_abs());
        if n < 0 {
            format!("-{abs}")
        } else {
            abs
        }
    }

    /// "1,225.8943": as people read a figure, thousands grouped and the
    /// trailing zeros of the decimals dropped ("3" for 3.000000).
    pub fn show(&self, n: u64) -> String {
        let one = self.one();
        let whole = thousands(n / one);
        let frac = self.fraction(n % one);
        if frac.is_empty() {
            whole
        } else {
            format!("{whole}.{frac}")
        }
    }

    /// "1,225.894300": grouped, every place, as a spreadsheet's number
    /// format shows it; with a minus sign when negative.
    pub fn grouped(&self, n: i64) -> String {
        let one = self.one();
        let abs = n.unsigned_abs();
        let sign = if n < 0 { "-" } else { "" };
        if self.is_count() {
            return format!("{sign}{}", thousands(abs));
        }
        format!(
            "{sign}{}.{:0width$}",
            thousands(abs / one),
            abs % one,
            width = usize::from(self.decimals)
        )
    }

    /// "+1,750", "-3.5", "0".
    pub fn show_signed(&self, n: i64) -> String {
        let abs = self.show(n.unsigned_abs());
        match n {
            n if n > 0 => format!("+{abs}"),
            n if n < 0 => format!("-{abs}"),
            _ => abs,
        }
    }

    /// Without grouping, trailing zeros dropped: "1225.8943", as
    /// [`Interval`]'s `Display` writes a count.
    pub fn plain(&self, n: u64) -> String {
        let one = self.one();
        let frac = self.fraction(n % one);
        if frac.is_empty() {
            (n / one).to_string()
        } else {
            format!("{}.{frac}", n / one)
        }
    }

    /// "5,653", or "5,650 to 5,661" for a range: what people quote.
    pub fn range(&self, i: Interval) -> String {
        if i.is_point() {
            self.show(i.lo)
        } else {
            format!("{} to {}", self.show(i.lo), self.show(i.hi))
        }
    }

    /// "5653", or "5650 to 5661": [`Interval`]'s `Display`, at this scale,
    /// for messages.
    pub fn interval(&self, i: Interval) -> String {
        if i.is_point() {
            self.plain(i.lo)
        } else {
            format!("{} to {}", self.plain(i.lo), self.plain(i.hi))
        }
    }

    /// The decimals of `frac` steps, trailing zeros dropped.
    fn fraction(&self, frac: u64) -> String {
        if self.is_count() || frac == 0 {
            return String::new();
        }
        let digits = format!("{frac:0width$}", width = usize::from(self.decimals));
        digits.trim_end_matches('0').to_string()
    }

    /// A non-negative decimal written as text ("1225.8943", "1,225.89",
    /// "1 225", ".5"), in steps, exactly. More places than the scale holds
    /// are refused unless they are zeros: foi never rounds a digit away.
    pub fn parse(&self, text: &str) -> Result<u64, String> {
        let t: String = text
            .trim()
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
            return Err(format!("{:?} is not a number", text.trim()));
        }
        let places = usize::from(self.decimals);
        let (kept, dropped) = frac.split_at(frac.len().min(places));
        if dropped.chars().any(|c| c != '0') {
            return Err(self.too_many_places(text.trim(), frac.trim_end_matches('0').len()));
        }
        let whole: u64 = if int.is_empty() {
            0
        } else {
            int.parse()
                .map_err(|_| format!("{:?} is too large", text.trim()))?
        };
        let frac: u64 = format!("{kept:0<places$}").parse().unwrap_or(0);
        whole
            .checked_mul(self.one())
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(|| format!("{:?} is too large", text.trim()))
    }

    /// A number a spreadsheet cell holds (a binary float), in steps.
    ///
    /// A cell holds the nearest binary fraction to the decimal the
    /// publisher meant, often after adding others up (1225.8942999999999
    /// for 1225.8943; 124783.97276499993 for 124783.972765). It is read as
    /// the decimal at this scale's places it lies within floating-point
    /// error of (a relative 2^-40, about a millionth of a millionth, and
    /// under a thousandth of the last place); a number further from every
    /// such decimal has more places than the scale holds and is refused,
    /// never rounded.
    pub fn from_f64(&self, x: f64) -> Result<u64, String> {
        if !x.is_finite() || x < 0.0 {
            return Err(if self.is_count() {
                format!("{x} is not a whole, non-negative count")
            } else {
                format!("{x} is not a non-negative number")
            });
        }
        if self.is_count() {
            // As counts were always read: whole numbers only.
            return if x.fract() == 0.0 && x < 1e15 {
                Ok(x as u64)
            } else {
                Err(format!(
                    "{x} is not a whole, non-negative count (figures with decimals need [measure] decimals = N in campaign.toml)"
                ))
            };
        }
        let one = self.one() as f64;
        let steps = (x * one).round();
        // Beyond 2^53 steps a float no longer tells one step from the next.
        if steps >= 9_007_199_254_740_992.0 {
            return Err(format!(
                "{x} is too large to be read to {} decimal places",
                self.decimals
            ));
        }
        let nearest = steps / one;
        let error = (x - nearest).abs();
        let noise = x.abs().max(1.0) * 2f64.powi(-40);
        if error <= noise && error * one < 1e-3 {
            Ok(steps as u64)
        } else {
            // The fewest places it is a decimal of, within the same error
            // ("6405.063575", not the float's "6405.063575000006").
            let within = |places: i32| {
                let one = 10f64.powi(places);
                let error = (x - (x * one).round() / one).abs();
                error <= noise && error * one < 1e-3
            };
            let places = (i32::from(self.decimals) + 1..=15)
                .find(|&p| within(p))
                .unwrap_or(15);
            let shown = format!("{x:.prec$}", prec = places as usize);
            Err(self.too_many_places(&shown, places as usize))
        }
    }

    fn too_many_places(&self, shown: &str, places: usize) -> String {
        if self.is_count() {
            format!("{shown:?} is not a whole, non-negative count (figures with decimals need [measure] decimals = N in campaign.toml)")
        } else {
            format!(
                "{shown} has {places} decimal places, more than the {} the campaign keeps ([measure] decimals in campaign.toml): foi does not round",
                self.decimals
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn six() -> Scale {
        Scale::measure(6).expect("six places")
    }

    #[test]
    fn a_count_is_shown_as_before() {
        let c = Scale::COUNT;
        assert_eq!(c.one(), 1);
        assert_eq!(c.fixed(5653), "5653");
        assert_eq!(c.show(5653), "5,653");
        assert_eq!(c.range(Interval::new(5650, 5661)), "5,650 to 5,661");
        assert_eq!(
            c.interval(Interval::new(4, 7)),
            Interval::new(4, 7).to_string()
        );
        assert_eq!(c.show_signed(-1250), "-1,250");
        assert_eq!(c.from_f64(12.0), Ok(12));
        assert!(c.from_f64(2.5).is_err());
        assert!(c.from_f64(-1.0).is_err());
    }

    #[test]
    fn a_measure_is_held_in_steps_and_shown_exactly() {
        let s = six();
        assert_eq!(s.one(), 1_000_000);
        assert_eq!(s.parse("1225.8943"), Ok(1_225_894_300));
        assert_eq!(s.parse("1,225.8943"), Ok(1_225_894_300));
        assert_eq!(s.parse("3"), Ok(3_000_000));
        assert_eq!(s.parse(".5"), Ok(500_000));
        assert_eq!(s.parse("2.50000000"), Ok(2_500_000));
        assert_eq!(s.fixed(1_225_894_300), "1225.894300");
        assert_eq!(s.fixed(5), "0.000005");
        assert_eq!(s.fixed_signed(-3_500_000), "-3.500000");
        assert_eq!(s.show(124_783_972_765), "124,783.972765");
        assert_eq!(s.show(3_000_000), "3");
        assert_eq!(s.plain(1_225_894_300), "1225.8943");
        assert_eq!(s.show_signed(-3_500_000), "-3.5");
        assert_eq!(s.grouped(-1_225_894_300), "-1,225.894300");
        assert_eq!(Scale::COUNT.grouped(-1250), "-1,250");
        assert_eq!(
            s.range(Interval::new(1_000_000, 4_999_999)),
            "1 to 4.999999"
        );
    }

    #[test]
    fn more_places_than_declared_are_refused_never_rounded() {
        let four = Scale::measure(4).expect("four");
        let e = four.parse("6405.063575").expect_err("six places");
        assert!(e.contains("6 decimal places, more than the 4"), "{e}");
        let e = four
            .from_f64(6_405.063_575_000_006)
            .expect_err("six places");
        assert_eq!(e, "6405.063575 has 6 decimal places, more than the 4 the campaign keeps ([measure] decimals in campaign.toml): foi does not round");
        assert!(four.parse("1.2.3").is_err());
        assert!(four.parse("-1").is_err());
        assert!(four.parse("").is_err());
        assert!(four.from_f64(-0.5).is_err());
        assert!(Scale::measure(0).is_none());
        assert!(Scale::measure(10).is_none());
    }

    #[test]
    fn a_cell_is_the_decimal_it_lies_within_float_error_of() {
        let s = six();
        // As the Home Office workforce tables hold them (1225.8943 is
        // 1225.8942999999999 as a float).
        assert_eq!(s.from_f64(1_225.894_3), Ok(1_225_894_300));
        assert_eq!(s.from_f64(124_783.972_764_999_93), Ok(124_783_972_765));
        assert_eq!(s.from_f64(3151.6200000000017), Ok(3_151_620_000));
        assert_eq!(s.from_f64(0.0), Ok(0));
        // FTE worked out over 37 hours: more places than six.
        assert!(s.from_f64(1815.8959459459447).is_err());
    }
}
