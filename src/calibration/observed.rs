//! Observed series: the tidy CSV `date,metric,value[,lo,hi,weight,source]`
//! that `fit` and `backtest` compare a model with. A date is a month
//! (`YYYY-MM`), a day (`YYYY-MM-DD`, several in a month are separate
//! observations of it) or a year (`YYYY`, for annual totals). Read and validated here,
//! with every bad row reported as `FILE:LINE:COLUMN` and the line shown, as
//! model files are; nothing about any model is known yet (see `compare`).

use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::diagnostic::{Diagnostics, Problem, SourceFile};
use crate::error::Error;
use crate::model::read_text_at_most;

mod row;

#[cfg(test)]
use row::parse_date;
use row::read_row;

/// The columns an observed file may have; the first three are required.
pub const COLUMNS: [&str; 7] = ["date", "metric", "value", "lo", "hi", "weight", "source"];

/// One observation: a metric's value in a month, as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Line of the row in the file (1-based).
    pub line: usize,
    /// The date as written: `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// The month the date falls in (December for a year).
    pub month: YearMonth,
    /// Whether the date is a year (`YYYY`): the row holds the year's total
    /// (or mean, for a rate), compared with the months of that year.
    pub year: bool,
    /// The metric reference as written (`parallel_rate`, `sales_usd`, `sales_usd:sum`).
    pub metric: String,
    /// Byte range of the metric cell, for errors found against a model.
    pub metric_span: Range<usize>,
    /// The published value.
    pub value: Decimal,
    /// Lower end of the published range, if any: the loss is zero inside `lo..=hi`.
    pub lo: Option<Decimal>,
    /// Upper end of the published range, if any.
    pub hi: Option<Decimal>,
    /// Weight of the row in a fit's loss (default 1).
    pub weight: Decimal,
    /// Where the figure was published.
    pub source: Option<String>,
}

/// An observed file, read and validated.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The file (name and text), for located errors about its rows.
    pub file: SourceFile,
    /// Its rows, in file order.
    pub rows: Vec<Observation>,
}

impl Observed {
    /// The first and last month observed.
    pub fn span(&self) -> Option<(YearMonth, YearMonth)> {
        let min = self.rows.iter().map(|r| r.month).min()?;
        let max = self.rows.iter().map(|r| r.month).max()?;
        Some((min, max))
    }

    /// A problem about one of the rows, rendered against this file.
    pub fn error(&self, problems: Vec<Problem>) -> Error {
        Error::Invalid(Box::new(Diagnostics {
            file: self.file.clone(),
            problems,
        }))
    }
}

/// The largest observed file read (4 MiB): a monthly or daily series of
/// decades is a few hundred KB; a 14 MB file took close to 1 GB to fit.
pub const MAX_OBSERVED_BYTES: u64 = 4 * 1024 * 1024;

/// Most rows of an observed file.
pub const MAX_OBSERVED_ROWS: usize = 100_000;

/// Reads the observed file at `path`.
pub fn read_observed(path: &Path) -> Result<Observed, Error> {
    let text = read_text_at_most(path, "an observed file", "observed files", MAX_OBSERVED_BYTES)?;
    parse_observed(&path.display().to_string(), &text).map_err(|d| Error::Invalid(Box::new(d)))
}

/// Parses and validates an observed file's text; `name` is how errors name it.
pub fn parse_observed(name: &str, text: &str) -> Result<Observed, Diagnostics> {
    let file = SourceFile::new(name, text);
    let fail = |problems: Vec<Problem>| file.diagnostics(problems);
    if let Some(p) = too_long(text).or_else(|| unclosed_quote(text).map(unclosed)) {
        return Err(fail(vec![p]));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    // The header: the first record.
    let header = match records.next() {
        None => {
            return Err(fail(vec![Problem::new(None, "", "the file is empty").allowed(
            "a header `date,metric,value` (then optionally lo,hi,weight,source) and one row per observation",
        )]))
        }
        Some(Err(e)) => return Err(fail(vec![csv_problem(&e)])),
        Some(Ok(h)) => h,
    };
    let columns = read_header(text, &header).map_err(fail)?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(record) => rows.extend(read_row(text, &record, &columns, &mut problems)),
            Err(e) => problems.push(csv_problem(&e)),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            None,
            "",
            "the file has a header but no observations",
        ));
    }
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    Ok(Observed { file, rows })
}

/// Counted before parsing: each row costs a few hundred bytes once read
/// and matched, and every evaluation of a fit compares every row.
fn too_long(text: &str) -> Option<Problem> {
    let (at, _) = text.match_indices('\n').nth(MAX_OBSERVED_ROWS)?;
    Some(
        Problem::new(
            Some(at..at),
            "",
            format!("the file has more than {MAX_OBSERVED_ROWS} lines"),
        )
        .allowed(format!(
            "at most {MAX_OBSERVED_ROWS} observations in an observed file"
        ))
        .help("keep the months and metrics the fit or backtest compares"),
    )
}

/// The csv reader takes everything after a quote that is never closed
/// (at byte `at`) as one cell: the rest of the file would vanish into it.
fn unclosed(at: usize) -> Problem {
    Problem::new(
        Some(at..at + 1),
        "",
        "this quote is never closed: the rest of the file would be read as one cell",
    )
    .allowed("a quoted cell closed by a second `\"` (`\"\"` for a quote inside it)")
}

/// The header's columns, each as its index in [`COLUMNS`] (`usize::MAX`
/// for an unknown one), or every problem with it.
fn read_header(text: &str, header: &csv::StringRecord) -> Result<Vec<usize>, Vec<Problem>> {
    let mut problems = Vec::new();
    let header_start = header.position().map_or(0, |p| p.byte() as usize);
    let mut columns: Vec<usize> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let span = cell_span(text, header_start, i);
        match COLUMNS.iter().position(|c| *c == h.trim()) {
            Some(c) if columns.contains(&c) => problems.push(Problem::new(
                Some(span),
                "",
                format!("the column `{}` appears twice", h.trim()),
            )),
            Some(c) => columns.push(c),
            None => {
                problems.push(
                    Problem::new(Some(span), "", format!("unknown column `{}`", h.trim()))
                        .allowed(COLUMNS.join(", ")),
                );
                columns.push(usize::MAX);
            }
        }
    }
    for (required, name) in COLUMNS.iter().enumerate().take(3) {
        if !columns.contains(&required) {
            problems.push(
                Problem::new(
                    Some(header_start..header_start),
                    "",
                    format!("no `{name}` column"),
                )
                .allowed("a header `date,metric,value` (then optionally lo,hi,weight,source)"),
            );
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// The byte range of cell `i` of the record starting at `start`: found by
/// walking the raw line, so a quoted cell is located at its opening quote.
fn cell_span(text: &str, start: usize, i: usize) -> Range<usize> {
    let line_end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    let line = &text[start..line_end];
    let mut begin = 0;
    let mut quoted = false;
    let mut index = 0;
    for (at, ch) in line.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if index == i {
                    return start + begin..start + at;
                }
                index += 1;
                begin = at + 1;
            }
            _ => {}
        }
    }
    if index == i {
        let end = line.trim_end_matches('\r').len();
        start + begin..start + end.max(begin)
    } else {
        line_end..line_end
    }
}

/// The byte offset of a quote that opens a cell and is never closed, as
/// the csv reader reads it: a `"` at the start of a cell opens it, `""`
/// inside is a quote, a line starting with `#` outside a cell is a comment.
fn unclosed_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut cell_start = true;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start && b == b'#' {
            i = text[i..].find('\n').map_or(bytes.len(), |e| i + e + 1);
            continue;
        }
        line_start = false;
        if cell_start && b == b'"' {
            let open = i;
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return Some(open),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => break,
                    Some(_) => i += 1,
                }
            }
            i += 1;
            cell_start = false;
            continue;
        }
        cell_start = b == b',' || b == b'\n';
        line_start = b == b'\n';
        i += 1;
    }
    None
}

/// How an error against an observation is measured (its arithmetic is
/// `Loss::error_of`, in problem.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Loss {
    /// Percent of the observed value: `100 × (model − observed) / observed`.
    Pct,
    /// Log ratio, in percent: `100 × ln(model / observed)`.
    Log,
    /// Units of the metric: `model − observed`.
    Abs,
}

impl Observed {
    /// Refuses, located, rows that `loss` cannot measure an error against:
    /// with `pct` or `log`, an observed value (or the low end of its
    /// range) of 0 or below, where a percentage or a logarithm has no
    /// meaning (a zero was shown as "0% error").
    pub fn check_loss(&self, loss: Loss) -> Result<(), Error> {
        if loss == Loss::Abs {
            return Ok(());
        }
        let problems: Vec<Problem> = self
            .rows
            .iter()
            .filter_map(|r| {
                let (what, v) = match r.lo {
                    _ if r.value <= Decimal::ZERO => ("value", r.value),
                    Some(lo) if lo <= Decimal::ZERO => ("lo", lo),
                    _ => return None,
                };
                let line = self.file.line_span(r.line);
                let line = line.start..self.file.text[line.clone()].trim_end_matches('\r').len() + line.start;
                Some(
                    Problem::new(
                        Some(line),
                        what,
                        format!(
                            "{v} is not above 0, and --loss {} measures errors relative to the observed value",
                            loss.name()
                        ),
                    )
                    .allowed("observed values above 0 with --loss pct or log")
                    .help("use --loss abs for a series that is 0 or negative, or leave the row out"),
                )
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(self.error(problems))
        }
    }
}

fn csv_problem(e: &csv::Error) -> Problem {
    let span = e.position().map(|p| p.byte() as usize..p.byte() as usize);
    Problem::new(span, "", format!("not a CSV row: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str) -> String {
        parse_observed("obs.csv", text).unwrap_err().render()
    }

    #[test]
    fn rows_keep_month_range_weight_and_source() {
        let o = parse_observed(
            "obs.csv",
            "date,metric,value,lo,hi,weight,source\n2023-01-27,parallel_rate,1650,,,2,MEES\n2022-11,parallel_rate,1585,1570,1600,,AFP\n",
        )
        .unwrap();
        assert_eq!(o.rows.len(), 2);
        let r = &o.rows[0];
        assert_eq!(
            (r.line, r.month, r.value, r.weight),
            (
                2,
                YearMonth::new(2023, 1).unwrap(),
                Decimal::from(1650),
                Decimal::TWO
            )
        );
        assert_eq!(r.source.as_deref(), Some("MEES"));
        assert_eq!(
            (o.rows[1].lo, o.rows[1].hi),
            (Some(Decimal::from(1570)), Some(Decimal::from(1600)))
        );
        assert_eq!(o.rows[1].weight, Decimal::ONE);
        assert_eq!(&o.file.text[r.metric_span.clone()], "parallel_rate");
    }

    #[test]
    fn dates_as_pandas_writes_them_are_read_as_their_month() {
        let july = YearMonth::new(2023, 7).unwrap();
        for d in [
            "2023-07-15 00:00:00",
            "2023-07-15T00:00:00",
            "2023-07-01",
            "2023-07-31 23:59:59.999999",
            "2023-07-15T12:30",
            "2023-07-15 00:00:00+03:00",
            "2023-07-31T23:00:00Z",
            "2023-07",
        ] {
            assert_eq!(parse_date(d), Ok(july), "{d}");
        }
        for d in [
            "2023-07-15 25:00:00",
            "2023-07-15x00:00:00",
            "2023-07-32 00:00:00",
            "15/07/2023",
        ] {
            assert_eq!(parse_date(d), Err(format!("{d:?} is not a date")), "{d}");
        }
        let o = parse_observed(
            "obs.csv",
            "date,metric,value\n2023-07-15 00:00:00,parallel_rate,1465\n2023-08-01T00:00:00,parallel_rate,1470\n",
        )
        .unwrap();
        assert_eq!(o.rows[0].month, july);
        assert_eq!(o.rows[1].month, YearMonth::new(2023, 8).unwrap());
        assert_eq!(o.rows[0].date, "2023-07-15 00:00:00");
    }

    #[test]
    fn bad_rows_are_located_with_the_line_shown() {
        let text = "date,metric,value\n2023-13,parallel_rate,1650\n2023-01,parallel_rate,1.650,5\n2023-01,parallel_rate,abc\n";
        let out = rendered(text);
        assert!(out.contains("obs.csv:2:1: date: \"2023-13\""), "{out}");
        assert!(out.contains("obs.csv:3:"), "{out}");
        assert!(out.contains("4 cells where the header has 3"), "{out}");
        assert!(out.contains("obs.csv:4:23: value: \"abc\""), "{out}");
    }

    #[test]
    fn a_header_must_name_the_three_columns() {
        let out = rendered("when,metric,value\n2023-01,parallel_rate,1\n");
        assert!(
            out.contains(
                "obs.csv:1:1: unknown column `when` (allowed: date, metric, value, lo, hi, weight, source)"
            ),
            "{out}"
        );
        assert!(out.contains("no `date` column"), "{out}");
    }

    #[test]
    fn a_value_outside_its_own_range_is_refused_at_its_cell() {
        // `2023-03,parallel_rate,` is 22 characters: the value starts in column 23.
        let text = "date,metric,value,lo,hi\n2023-03,parallel_rate,1500,1510,1600\n2023-04,parallel_rate,1700,,1600\n2023-05,parallel_rate,1550,1510,1600\n2023-06,parallel_rate,1510,1510,\n";
        let out = rendered(text);
        assert!(
            out.contains("obs.csv:2:23: value: 1500 is below lo 1510, the low end of its own range (allowed: a value within lo..=hi (the published range it belongs to))"),
            "{out}"
        );
        assert!(
            out.contains("obs.csv:3:23: value: 1700 is above hi 1600, the high end of its own range"),
            "{out}"
        );
        // Inside the range, and on its end, is allowed.
        assert!(
            !out.contains("obs.csv:4:") && !out.contains("obs.csv:5:"),
            "{out}"
        );
        assert!(out.contains("2 problems in obs.csv"), "{out}");
        // A range whose lo is above its hi is said once, at lo.
        let out = rendered("date,metric,value,lo,hi\n2023-01,parallel_rate,1600,1700,1500\n");
        assert!(out.contains("lo: 1700 is above hi 1500"), "{out}");
        assert!(!out.contains("value:"), "{out}");
    }

    #[test]
    fn lo_above_hi_and_a_zero_weight_are_refused() {
        let out = rendered("date,metric,value,lo,hi,weight\n2023-01,parallel_rate,1600,1700,1500,0\n");
        assert!(out.contains("lo: 1700 is above hi 1500"), "{out}");
        assert!(out.contains("weight: 0 is not positive"), "{out}");
    }
}
