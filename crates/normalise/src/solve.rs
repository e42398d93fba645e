//! Narrowing counts by the sums a source states, all at once.
//!
//! A force's table may state a total for every row, every column and the
//! whole: each is a [`Sum`], a parent equal to the sum of its parts. A
//! suppressed cell is an interval; every sum it takes part in bounds it,
//! and a bound found through one sum can narrow another's parts in turn.
//! [`solve`] propagates the bounds of every sum together until nothing
//! moves (interval constraint propagation), which is exact for the
//! questions a reader asks of one cell: the narrowed interval holds every
//! value the cell can take when every stated sum holds, and each step is
//! implied by the sums, so a true value is never narrowed away.
//!
//! Sums that contradict the figures as given (a row total of 60 over cells
//! that can only add to 50 to 53) are reported and take no part in
//! narrowing; if the rest contradict each other taken together, nothing is
//! narrowed at all.

use foi_model::Interval;

/// A stated sum: the value of `parent` is the sum of the values of `parts`
/// (indexes into the values given to [`solve`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum {
    pub parent: usize,
    pub parts: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solved {
    /// Each value, narrowed.
    pub values: Vec<Interval>,
    /// For each value, the sums (indexes) that narrowed it, in order.
    pub narrowed_by: Vec<Vec<usize>>,
    /// The sums that contradict the values as given, each on its own.
    pub broken: Vec<usize>,
    /// The other sums cannot all hold together: nothing was narrowed.
    pub inconsistent: bool,
}

/// Rounds of propagation at most. Each round that moves anything moves a
/// bound by at least one; real tables settle in two or three rounds, and
/// stopping early leaves sound (only less narrow) intervals.
const MAX_ROUNDS: usize = 256;

fn total(values: &[Interval], parts: &[usize]) -> (u128, u128) {
    parts.iter().fold((0u128, 0u128), |(lo, hi), &i| {
        (lo + u128::from(values[i].lo), hi + u128::from(values[i].hi))
    })
}

/// Whether a sum holds for some choice of values within the intervals.
pub fn holds(values: &[Interval], sum: &Sum) -> bool {
    let (lo, hi) = total(values, &sum.parts);
    let p = values[sum.parent];
    u128::from(p.lo) <= hi && lo <= u128::from(p.hi)
}

fn clamp(v: u128) -> u64 {
    u64::try_from(v).unwrap_or(u64::MAX)
}

pub fn solve(given: &[Interval], sums: &[Sum]) -> Solved {
    let broken: Vec<usize> = (0..sums.len())
        .filter(|&k| !holds(given, &sums[k]))
        .collect();
    let mut values = given.to_vec();
    let mut narrowed_by: Vec<Vec<usize>> = vec![Vec::new(); given.len()];
    let note = |by: &mut Vec<Vec<usize>>, i: usize, k: usize| {
        if !by[i].contains(&k) {
            by[i].push(k);
        }
    };
    let mut inconsistent = false;
    'rounds: for _ in 0..MAX_ROUNDS {
        let mut moved = false;
        for (k, sum) in sums.iter().enumerate() {
            if broken.contains(&k) {
                continue;
            }
            let (lo, hi) = total(&values, &sum.parts);
            // The parent lies within the sum of its parts.
            let p = values[sum.parent];
            let np = Interval {
                lo: p.lo.max(clamp(lo)),
                hi: p.hi.min(clamp(hi)),
            };
            if np.lo > np.hi {
                inconsistent = true;
                break 'rounds;
            }
            if np != p {
                values[sum.parent] = np;
                note(&mut narrowed_by, sum.parent, k);
                moved = true;
            }
            // Each part is the parent less the others: at least the
            // parent's least less the others' most, at most its most less
            // the others' least.
            let (p_lo, p_hi) = (u128::from(np.lo), u128::from(np.hi));
            for &i in &sum.parts {
                let (lo, hi) = total(&values, &sum.parts);
                let own = values[i];
                let others_lo = lo - u128::from(own.lo);
                let others_hi = hi - u128::from(own.hi);
                let n = Interval {
                    lo: own.lo.max(clamp(p_lo.saturating_sub(others_hi))),
                    hi: own.hi.min(clamp(p_hi.saturating_sub(others_lo))),
                };
                if n.lo > n.hi {
                    inconsistent = true;
                    break 'rounds;
                }
                if n != own {
                    values[i] = n;
                    note(&mut narrowed_by, i, k);
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    if inconsistent {
        return Solved {
            values: given.to_vec(),
            narrowed_by: vec![Vec::new(); given.len()],
            broken,
            inconsistent,
        };
    }
    Solved {
        values,
        narrowed_by,
        broken,
        inconsistent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn iv(lo: u64, hi: u64) -> Interval {
        Interval::new(lo, hi)
    }

    #[test]
    fn a_row_total_narrows_the_suppressed_cells_of_its_row() {
        // Row total 4; two cells "*" (1 to 4, zeros shown); one cell 0.
        let given = [iv(4, 4), iv(1, 4), iv(1, 4), iv(0, 0)];
        let s = solve(
            &given,
            &[Sum {
                parent: 0,
                parts: vec![1, 2, 3],
            }],
        );
        assert_eq!(s.values[1], iv(1, 3));
        assert_eq!(s.values[2], iv(1, 3));
        assert_eq!(s.narrowed_by[1], [0]);
        assert!(s.broken.is_empty() && !s.inconsistent);
    }

    #[test]
    fn a_total_that_its_cells_cannot_reach_is_broken_and_narrows_nothing() {
        // Row total 60 over cells that can only add to 50 to 53.
        let given = [iv(60, 60), iv(20, 20), iv(30, 30), iv(0, 3)];
        let s = solve(
            &given,
            &[Sum {
                parent: 0,
                parts: vec![1, 2, 3],
            }],
        );
        assert_eq!(s.broken, [0]);
        assert_eq!(s.values, given);
    }

    #[test]
    fn row_and_column_totals_narrow_together() {
        // A 2x2 cross-tab, every cell suppressed (0 to 4), with row totals
        // 5 and 2, column totals 4 and 3 and a grand total 7:
        //   a b | 5
        //   c d | 2
        //   4 3 | 7
        // Row 2 gives c + d = 2, so c, d <= 2; column 1 then gives
        // a = 4 - c >= 2; row 1 gives b = 5 - a <= 3.
        let s4 = iv(0, 4);
        let given = [
            s4,
            s4,
            s4,
            s4,
            iv(5, 5),
            iv(2, 2),
            iv(4, 4),
            iv(3, 3),
            iv(7, 7),
        ];
        let sum = |parent, parts: &[usize]| Sum {
            parent,
            parts: parts.to_vec(),
        };
        let sums = [
            sum(4, &[0, 1]),
            sum(5, &[2, 3]),
            sum(6, &[0, 2]),
            sum(7, &[1, 3]),
            sum(8, &[4, 5]),
            sum(8, &[6, 7]),
        ];
        let s = solve(&given, &sums);
        assert_eq!(s.values[2], iv(0, 2));
        assert_eq!(s.values[3], iv(0, 2));
        assert_eq!(s.values[0], iv(2, 4));
        assert_eq!(s.values[1], iv(1, 3));
        // One total at a time (the old way) would leave every cell 0 to 4:
        // each row or column alone allows it.
        for one in &sums {
            let alone = solve(&given, std::slice::from_ref(one));
            assert!(alone.values[..4].contains(&s4), "{one:?}");
        }
        // Cell d was narrowed by row 2.
        assert!(s.narrowed_by[3].contains(&1));
    }

    #[test]
    fn totals_that_hold_one_by_one_but_not_together_narrow_nothing() {
        // a + b = 3 and a + b = 5, each possible alone.
        let given = [iv(0, 4), iv(0, 4), iv(3, 3), iv(5, 5)];
        let sums = [
            Sum {
                parent: 2,
                parts: vec![0, 1],
            },
            Sum {
                parent: 3,
                parts: vec![0, 1],
            },
        ];
        let s = solve(&given, &sums);
        assert!(s.inconsistent);
        assert!(s.broken.is_empty());
        assert_eq!(s.values, given);
    }

    #[test]
    fn an_unknown_total_takes_the_sum_of_its_parts() {
        let given = [iv(0, u64::MAX), iv(2, 2), iv(0, 4)];
        let s = solve(
            &given,
            &[Sum {
                parent: 0,
                parts: vec![1, 2],
            }],
        );
        assert_eq!(s.values[0], iv(2, 6));
    }

    proptest! {
        /// Whatever the true counts, intervals around them and the sums
        /// they make: solving never narrows a true count away.
        #[test]
        fn true_values_are_never_narrowed_away(
            cells in proptest::collection::vec((0u64..20, 0u64..5, 0u64..5), 2..12),
            rows in 1usize..4,
            state_rows in proptest::bool::ANY,
        ) {
            let truth: Vec<u64> = cells.iter().map(|c| c.0).collect();
            let mut given: Vec<Interval> = cells
                .iter()
                .map(|&(t, below, above)| iv(t.saturating_sub(below), t + above))
                .collect();
            let n = given.len();
            let mut sums = Vec::new();
            // Cells split into `rows` rows, each with a stated total, and a
            // grand total over the rows (or over the cells).
            let mut row_parents = Vec::new();
            for r in 0..rows {
                let parts: Vec<usize> = (0..n).filter(|i| i % rows == r).collect();
                if parts.is_empty() {
                    continue;
                }
                let t: u64 = parts.iter().map(|&i| truth[i]).sum();
                given.push(iv(t, t));
                row_parents.push(given.len() - 1);
                sums.push(Sum { parent: given.len() - 1, parts });
            }
            let grand: u64 = truth.iter().sum();
            given.push(iv(grand, grand));
            let g = given.len() - 1;
            sums.push(Sum {
                parent: g,
                parts: if state_rows { row_parents } else { (0..n).collect() },
            });
            let s = solve(&given, &sums);
            prop_assert!(s.broken.is_empty());
            prop_assert!(!s.inconsistent);
            for (i, t) in truth.iter().enumerate() {
                prop_assert!(s.values[i].lo <= *t && *t <= s.values[i].hi,
                    "cell {} true {} narrowed to {:?}", i, t, s.values[i]);
            }
        }
    }
}
