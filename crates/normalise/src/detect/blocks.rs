//! Where tables are on a sheet, by content: runs of rows that hold
//! figures (or dates, one row per crime), the header rows above them, the
//! title rows above those, and where each table ends.
//!
//! A data row holds at least two cells, one of them a figure or a date.
//! Rows of data next to each other make a block; a block's first row is
//! its header instead when it breaks the columns' kinds (a "Total" or an
//! age band written as text over a column of counts, dates over counts)
//! and its row label is nothing the campaign knows. Blocks separated only
//! by blank rows are one table when the later has no header of its own
//! (blank rows between groups of offences).

use super::cells::Kind;
use super::Mapper;
use crate::grid::Sheet;

/// The cells of a sheet as detection sees them.
pub struct Grid<'s> {
    pub sheet: &'s Sheet,
    /// Per sheet row, per column: what the cell holds.
    pub kinds: Vec<Vec<Kind>>,
    /// Rows that count: in a text file, a line inside a quoted field that
    /// spans lines is no row.
    pub live: Vec<bool>,
    /// The sheet's width, worked out once (`Sheet::width` walks every row).
    pub width: usize,
}

impl<'s> Grid<'s> {
    pub fn kind(&self, r: usize, c: usize) -> Kind {
        self.kinds
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(Kind::Empty)
    }
    pub fn text(&self, r: usize, c: usize) -> String {
        self.sheet.cell(r, c).text()
    }
    /// The non-empty cells of a row.
    pub fn filled(&self, r: usize) -> Vec<usize> {
        self.kinds
            .get(r)
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(_, k)| **k != Kind::Empty)
                    .map(|(c, _)| c)
                    .collect()
            })
            .unwrap_or_default()
    }
    pub fn is_blank(&self, r: usize) -> bool {
        self.kinds
            .get(r)
            .is_none_or(|row| row.iter().all(|k| *k == Kind::Empty))
    }
    fn is_data_row(&self, r: usize) -> bool {
        let Some(row) = self.kinds.get(r) else {
            return false;
        };
        let filled = row.iter().filter(|k| **k != Kind::Empty).count();
        filled >= 2 && row.iter().any(|k| k.is_value())
    }
    /// The live rows above `r` (nearest first).
    fn above(&self, r: usize) -> impl Iterator<Item = usize> + '_ {
        (0..r).rev().filter(|&x| self.live[x])
    }
}

/// A table found on a sheet, before its columns are given roles.
#[derive(Debug, Clone)]
pub struct Block {
    /// Header rows, top first (one to three).
    pub header: Vec<usize>,
    /// Rows between the header and the data holding one cell: a units
    /// line ("Numbers"), a subheading. Left out when read.
    pub skip: Vec<usize>,
    /// The data rows, top first; blank rows inside are not listed.
    pub rows: Vec<usize>,
    /// Whether blank rows lie between the first and last data row.
    pub gaps: bool,
    /// Title rows above the header, back to the previous table (nearest
    /// first), and whether each lies directly above (no blank between).
    pub titles: Vec<(usize, bool)>,
    /// Columns that hold something in the data rows.
    pub columns: Vec<usize>,
    /// The column of row labels: the leftmost filled in most rows.
    pub label_col: usize,
    /// A column of dates (one row per crime), when there is one.
    pub date_col: Option<usize>,
}

/// How many cells of each kind (figures, dates, decimals, text) a set of
/// rows holds in each column: what the columns' kinds are read from.
#[derive(Clone)]
struct Tally {
    cells: Vec<[usize; 4]>,
    filled: Vec<usize>,
    rows: usize,
}

fn slot(k: Kind) -> Option<usize> {
    match k {
        Kind::Count | Kind::Mark => Some(0),
        Kind::Date => Some(1),
        Kind::Decimal => Some(2),
        Kind::Text => Some(3),
        Kind::Empty => None,
    }
}

impl Tally {
    fn new(width: usize) -> Self {
        Tally {
            cells: vec![[0; 4]; width],
            filled: vec![0; width],
            rows: 0,
        }
    }
    fn of(g: &Grid, rows: &[usize]) -> Self {
        let mut t = Tally::new(g.width);
        for &r in rows {
            t.add(g, r);
        }
        t
    }
    fn add(&mut self, g: &Grid, r: usize) {
        self.rows += 1;
        for c in 0..self.cells.len() {
            if let Some(i) = slot(g.kind(r, c)) {
                self.cells[c][i] += 1;
                self.filled[c] += 1;
            }
        }
    }
    /// The kind of column `c`, leaving row `except` out.
    fn kind(&self, g: &Grid, c: usize, except: Option<usize>) -> Kind {
        let Some(mut n) = self.cells.get(c).copied() else {
            return Kind::Empty;
        };
        if let Some(i) = except.and_then(|r| slot(g.kind(r, c))) {
            n[i] = n[i].saturating_sub(1);
        }
        classify(n)
    }
    /// The leftmost column filled in at least half the rows (leaving row
    /// `except` out).
    fn label_column(&self, g: &Grid, except: Option<usize>) -> usize {
        let rows = self.rows - usize::from(except.is_some());
        (0..self.filled.len())
            .find(|&c| {
                let own = except.is_some_and(|r| g.kind(r, c) != Kind::Empty);
                let filled = self.filled[c] - usize::from(own);
                filled * 2 >= rows.max(1)
            })
            .unwrap_or(0)
    }
}

/// A column's kind from how many of its cells hold figures, dates,
/// decimals and text.
fn classify([figures, dates, decimals, texts]: [usize; 4]) -> Kind {
    let all = figures + dates + decimals + texts;
    if all == 0 {
        Kind::Empty
    } else if dates * 5 >= all * 4 {
        Kind::Date
    } else if decimals > 0 && (figures + decimals) * 5 >= all * 3 {
        Kind::Decimal
    } else if figures * 5 >= all * 3 {
        Kind::Count
    } else {
        Kind::Text
    }
}

/// What most of a column's cells in `rows` hold.
fn column_kind(g: &Grid, rows: &[usize], c: usize) -> Kind {
    let mut n = [0usize; 4];
    for &r in rows {
        if let Some(i) = slot(g.kind(r, c)) {
            n[i] += 1;
        }
    }
    classify(n)
}

/// The leftmost column filled in at least half of `rows`.
fn label_column(g: &Grid, rows: &[usize]) -> usize {
    Tally::of(g, rows).label_column(g, None)
}

/// Whether row `r` of the rows `tally` counts heads the rows after it
/// rather than being one of them: its row label is nothing the campaign
/// knows (or empty), and it writes text or dates over a column of
/// figures, or increasing whole numbers (ages, years) across it.
/// `known` is how many of the rows' labels the campaign knows.
fn heads(g: &Grid, m: &Mapper, tally: &Tally, known: usize, r: usize, strict: bool) -> bool {
    let rest = tally.rows.saturating_sub(1);
    if rest == 0 {
        return false;
    }
    let label_col = tally.label_column(g, Some(r));
    // One row per crime: the header is the row without a date.
    let width = g.width;
    if let Some(d) = (0..width).find(|&c| tally.kind(g, c, Some(r)) == Kind::Date) {
        return g.kind(r, d) != Kind::Date
            && g.filled(r).iter().all(|&c| g.kind(r, c) == Kind::Text);
    }
    let label = g.text(r, label_col);
    let label_known = !label.is_empty() && m.knows(&label);
    // A total row heads nothing, even where its figures happen to rise
    // ("Total: 22, 25, ≤5, 52" is not ages across).
    if label_known || super::cells::is_total(&label) {
        return false;
    }
    let mut breaks = 0;
    let mut numbers = Vec::new();
    for c in g.filled(r) {
        if c == label_col {
            continue;
        }
        let col = tally.kind(g, c, Some(r));
        let k = g.kind(r, c);
        if matches!(col, Kind::Count | Kind::Decimal) && matches!(k, Kind::Text | Kind::Date) {
            breaks += 1;
        }
        if k == Kind::Count {
            if let Ok(n) = g.text(r, c).parse::<u32>() {
                numbers.push(n);
            }
        }
    }
    let rising = numbers.len() >= 3 && numbers.windows(2).all(|w| w[0] < w[1]);
    let numeric_header = rising && !label.is_empty() && known * 2 >= rest;
    if strict {
        breaks >= 2 || numeric_header
    } else {
        breaks >= 1 || numeric_header
    }
}

/// How many of `rows`' labels (in their label column) the campaign knows.
fn known_labels(g: &Grid, m: &Mapper, tally: &Tally, rows: &[usize]) -> usize {
    let label_col = tally.label_column(g, None);
    rows.iter()
        .filter(|&&x| {
            let t = g.text(x, label_col);
            !t.is_empty() && m.knows(&t)
        })
        .count()
}

/// Splits runs of data rows into blocks' data rows: headers inside a run
/// are cut off the top, and a run holding a second table's header is cut
/// there.
fn data_runs(g: &Grid, m: &Mapper) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let mut tally = Tally::new(g.width);
    let live: Vec<usize> = (0..g.kinds.len()).filter(|&r| g.live[r]).collect();
    for (i, &r) in live.iter().enumerate() {
        if g.is_data_row(r) {
            cur.push(r);
            tally.add(g, r);
        } else if !cur.is_empty() {
            // A row of labels alone between rows of data (a subheading, a
            // partnership with no figures) belongs to the table.
            let next_is_data = live.get(i + 1).is_some_and(|&n| g.is_data_row(n));
            let filled = g.filled(r);
            let labels_only =
                !filled.is_empty() && filled.iter().all(|&c| tally.kind(g, c, None) == Kind::Text);
            // A row label the campaign knows with every figure blank (an
            // age no victim had, left empty as a pivot leaves zeros): a
            // row of the table, even where the labels are numbers.
            let known_label_alone = matches!(filled.as_slice(), [c] if *c == tally.label_column(g, None)
                    && m.knows(&g.text(r, *c)));
            // "(blank)": a pivot table's row for an empty field, often two
            // together above its "Grand Total".
            let pivot_blank = |x: usize| matches!(g.filled(x).as_slice(), [c] if g.text(x, *c).trim().eq_ignore_ascii_case("(blank)"));
            let blanks_then_data = pivot_blank(r)
                && live[i + 1..]
                    .iter()
                    .find(|&&n| !pivot_blank(n))
                    .is_some_and(|&n| g.is_data_row(n));
            if (next_is_data && (labels_only || known_label_alone)) || blanks_then_data {
                cur.push(r);
                tally.add(g, r);
            } else {
                runs.push(std::mem::take(&mut cur));
                tally = Tally::new(g.width);
            }
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    let mut out = Vec::new();
    for run in runs {
        let mut run = run;
        // Header rows at the top (up to three).
        for _ in 0..3 {
            if run.len() < 2 {
                break;
            }
            let tally = Tally::of(g, &run);
            let known = known_labels(g, m, &tally, &run);
            if heads(g, m, &tally, known, run[0], false) {
                run.remove(0);
            } else {
                break;
            }
        }
        // A second table's header inside the run: the columns' kinds are
        // the whole run's, worked out once.
        let tally = Tally::of(g, &run);
        let known = known_labels(g, m, &tally, &run);
        let mut start = 0;
        let mut i = 1;
        while i < run.len() {
            // A header heads rows below it: the run's last row never is one.
            if i > start + 1 && i + 1 < run.len() && heads(g, m, &tally, known, run[i], true) {
                out.push(run[start..i].to_vec());
                start = i + 1; // the header row itself is no data
                i = start + 1;
                continue;
            }
            i += 1;
        }
        if start < run.len() {
            out.push(run[start..].to_vec());
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// A row that titles what is below it rather than heading columns: one
/// cell, at or left of the row labels, or a long sentence.
fn is_title(g: &Grid, r: usize, label_col: usize) -> bool {
    let filled = g.filled(r);
    match filled.as_slice() {
        [c] => *c <= label_col || g.text(r, *c).chars().count() > 60,
        // A sentence over the row labels ("Number of victims of online
        // offences", a title a csv split at its comma).
        [c, ..] => *c <= label_col && g.text(r, *c).chars().count() > 30,
        [] => false,
    }
}

/// The tables on a sheet.
pub fn blocks(g: &Grid, m: &Mapper) -> Vec<Block> {
    let runs = data_runs(g, m);
    let mut out: Vec<Block> = Vec::new();
    // The last row of the previous block (its data, or rows read with it).
    let mut floor: Option<usize> = None;
    for rows in runs {
        let first = rows[0];
        let label_col = label_column(g, &rows);
        // The rows directly above the data, back to a blank row or the
        // previous table.
        let mut run_above: Vec<usize> = Vec::new();
        for r in g.above(first) {
            if floor.is_some_and(|f| r <= f) || g.is_blank(r) {
                break;
            }
            run_above.push(r);
        }
        // A block with nothing directly above it continues the last one
        // when their columns agree (blank rows between groups of rows).
        if run_above.is_empty() {
            if let Some(prev) = out.last_mut() {
                let gap_blank = g
                    .above(first)
                    .take_while(|&r| r > *prev.rows.last().unwrap_or(&0))
                    .all(|r| g.is_blank(r));
                let same =
                    label_column(g, &rows) == prev.label_col && kinds_agree(g, &prev.rows, &rows);
                if gap_blank && same {
                    prev.rows.extend(rows.iter().copied());
                    prev.gaps = true;
                    for c in columns_of(g, &rows) {
                        if !prev.columns.contains(&c) {
                            prev.columns.push(c);
                        }
                    }
                    prev.columns.sort_unstable();
                    floor = rows.last().copied();
                    continue;
                }
            }
        }
        // A header a blank row or two above the data (a spacer line under
        // it): the table then reads past blank rows.
        let mut spaced = false;
        if run_above.is_empty() {
            let mut blanks = 0;
            for r in g.above(first) {
                if floor.is_some_and(|f| r <= f) {
                    break;
                }
                if g.is_blank(r) {
                    blanks += 1;
                    if blanks > 2 {
                        break;
                    }
                    continue;
                }
                if g.filled(r).len() >= 2 {
                    for x in g.above(r + 1) {
                        if floor.is_some_and(|f| x <= f) || g.is_blank(x) {
                            break;
                        }
                        run_above.push(x);
                    }
                    spaced = true;
                }
                break;
            }
        }
        // The header's last row: the nearest with two cells or more; rows
        // of one cell between it and the data are left out when read.
        let mut header = Vec::new();
        let mut skip = Vec::new();
        let bottom = run_above
            .iter()
            .take(4)
            .position(|&r| g.filled(r).len() >= 2);
        match bottom {
            Some(i) => {
                skip.extend(run_above[..i].iter().rev().copied());
                header.push(run_above[i]);
                let cells = g.filled(run_above[i]).len();
                let span = columns_of(g, &rows);
                let (lo, hi) = (
                    span.first().copied().unwrap_or(0),
                    span.last().copied().unwrap_or(0),
                );
                for &r in run_above.iter().skip(i + 1) {
                    if header.len() >= 3 || is_title(g, r, label_col) {
                        break;
                    }
                    let filled = g.filled(r);
                    if filled.len() > cells || filled.iter().any(|&c| c < lo || c > hi) {
                        break;
                    }
                    header.push(r);
                }
                header.reverse();
            }
            None => {
                if let Some(&r) = run_above.first() {
                    header.push(r);
                }
            }
        }
        let top = header.first().copied().unwrap_or(first);
        let mut titles = Vec::new();
        let mut adjacent = true;
        for r in g.above(top) {
            if floor.is_some_and(|f| r <= f) {
                break;
            }
            if g.is_blank(r) {
                adjacent = false;
                continue;
            }
            titles.push((r, adjacent));
        }
        let date_col = columns_of(g, &rows)
            .into_iter()
            .find(|&c| column_kind(g, &rows, c) == Kind::Date);
        floor = rows.last().copied();
        out.push(Block {
            header,
            skip,
            columns: columns_of(g, &rows),
            rows,
            gaps: spaced,
            titles,
            label_col,
            date_col,
        });
    }
    out
}

/// Whether two groups of rows hold the same kinds in the same columns.
fn kinds_agree(g: &Grid, a: &[usize], b: &[usize]) -> bool {
    let ca = columns_of(g, a);
    let cb = columns_of(g, b);
    cb.iter().all(|c| ca.contains(c))
        && cb.iter().all(|&c| {
            let (ka, kb) = (column_kind(g, a, c), column_kind(g, b, c));
            ka == kb || ka == Kind::Empty || kb == Kind::Empty
        })
}

/// The columns filled in any of `rows`.
pub fn columns_of(g: &Grid, rows: &[usize]) -> Vec<usize> {
    let width = g.width;
    (0..width)
        .filter(|&c| rows.iter().any(|&r| g.kind(r, c) != Kind::Empty))
        .collect()
}

/// What most of a column's cells in `rows` hold (see [`column_kind`]).
pub fn kind_of(g: &Grid, rows: &[usize], c: usize) -> Kind {
    column_kind(g, rows, c)
}

impl<'s> Grid<'s> {
    /// Every cell's kind, worked out once per distinct text (a sheet of one
    /// row per crime repeats a few hundred labels and dates).
    pub fn new(sheet: &'s Sheet, sup: &crate::value::Suppression) -> Self {
        use crate::grid::Cell;
        let mut memo: rustc_hash::FxHashMap<&'s str, Kind> = Default::default();
        let kinds = sheet
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Cell::Text(t) => *memo
                            .entry(&**t)
                            .or_insert_with(|| super::cells::kind(cell, sup)),
                        other => super::cells::kind(other, sup),
                    })
                    .collect()
            })
            .collect();
        let text = sheet.name.is_none();
        let live = sheet.rows.iter().map(|r| !(text && r.is_empty())).collect();
        Grid {
            sheet,
            kinds,
            live,
            width: sheet.width(),
        }
    }
}
