//! Shards of a Monte Carlo run for clusters. `mc --shard K/N` runs the K-th
//! of N consecutive slices of exactly the draws of the unsharded run and
//! writes them, every value an exact decimal, under a header that names
//! the model's hash, the seed, the sampler and the total number of draws.
//! `merge` checks that a set of shard files belongs together and covers
//! every draw once, then rebuilds the draws in order, so the report it
//! prints is byte for byte the one the unsharded run prints.

use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;

use super::design::Sampler;
use super::mc::Samples;
use super::report::RunInfo;
use crate::error::Error;
use crate::num::binary::decimal_to_f64;
use crate::sampling::stream::hash_str;

mod error;
pub use error::{FileProblem, HeaderProblem, ShardError};

const MAGIC: &str = "dinarflow mc shard";
const FORMAT_VERSION: &str = "1";

/// A hash of what a run computes from: the model file's text and the
/// `--set` overrides, as 32 hex digits.
pub fn model_hash(text: &str, sets: &[String]) -> String {
    let mut all = String::from(text);
    for s in sets {
        all.push('\u{0}');
        all.push_str(s);
    }
    format!(
        "{:016x}{:016x}",
        hash_str(&format!("a:{all}")),
        hash_str(&format!("b:{all}"))
    )
}

/// The draws of slice `k` (1-based) of `count` of a run of `n` draws.
pub fn slice(n: u64, k: u64, count: u64) -> Range<u64> {
    let at = |i: u64| (u128::from(n) * u128::from(i) / u128::from(count)) as u64;
    at(k - 1)..at(k)
}

/// Parses `K/N`.
pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{s}` is not K/N with 1 <= K <= N, e.g. 3/8");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The header of a shard file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The dinarflow version that wrote the shard; `merge` refuses to mix versions.
    pub version: String,
    /// The model's name, from `[model] name`.
    pub model: String,
    /// [`model_hash`] of the model file and the `--set` overrides.
    pub model_hash: String,
    /// The seed, sampler, inputs and metrics of the run.
    pub info: RunInfo,
    /// Draws in the whole, unsharded run (`-n`).
    pub n: u64,
    /// `(K, N)` of `--shard K/N`: this is slice K of N.
    pub shard: (u64, u64),
    /// The draws this shard holds, as indices into the whole run.
    pub draws: Range<u64>,
}

impl Header {
    /// The header lines and the column line.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let line = |out: &mut dyn Write, fields: &[&str]| -> io::Result<()> {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            w.write_record(fields)?;
            let bytes = w.into_inner().map_err(|e| e.into_error())?;
            out.write_all(b"# ")?;
            out.write_all(&bytes)
        };
        line(out, &[MAGIC, FORMAT_VERSION])?;
        line(out, &["version", &self.version])?;
        // One line per field: a name written over several lines is joined.
        line(out, &["model", &self.model.replace(['\r', '\n'], " ")])?;
        line(out, &["model_hash", &self.model_hash])?;
        line(out, &["seed", &self.info.seed.to_string()])?;
        line(out, &["sampler", self.info.sampler.name()])?;
        line(out, &["n", &self.n.to_string()])?;
        line(
            out,
            &["shard", &self.shard.0.to_string(), &self.shard.1.to_string()],
        )?;
        line(
            out,
            &[
                "draws",
                &self.draws.start.to_string(),
                &self.draws.end.to_string(),
            ],
        )?;
        line(out, &["inputs", &self.info.inputs.len().to_string()])?;
        let mut own = vec!["forecast_error".to_string()];
        for (metric, sigma) in &self.info.forecast_error {
            own.extend([metric.clone(), sigma.to_string()]);
        }
        line(out, &own.iter().map(String::as_str).collect::<Vec<_>>())?;
        let mut units = vec!["metric_units"];
        units.extend(self.info.metrics.iter().map(|m| m.1.as_str()));
        line(out, &units)?;
        out.write_all(&Self::columns(&self.info))
    }

    /// The column line of a draws file: `draw`, the input paths, the metrics.
    pub fn columns(info: &RunInfo) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let mut cols = vec!["draw"];
        cols.extend(info.inputs.iter().map(String::as_str));
        cols.extend(info.metrics.iter().map(|m| m.0.as_str()));
        let _ = w.write_record(&cols);
        w.into_inner().unwrap_or_default()
    }
}

fn fields(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    r.records()
        .next()
        .and_then(Result::ok)
        .map(|rec| rec.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

crate::error::usage_refusal!(ShardError);

/// One shard file's name and header.
struct Shard {
    file: String,
    path: std::path::PathBuf,
    header: Header,
}

/// The `# ` lines of a shard file's header, each split into its fields,
/// looked up by key with every problem located at its line.
struct Meta<'a> {
    file: &'a str,
    lines: Vec<Vec<String>>,
}

impl Meta<'_> {
    /// The line (1-based) of `key`, 0 when there is none.
    fn line_of(&self, key: &str) -> usize {
        self.lines
            .iter()
            .position(|f| f.first().is_some_and(|k| k == key))
            .map_or(0, |i| i + 1)
    }

    fn at(&self, key: &str, problem: HeaderProblem) -> ShardError {
        self.at_line(self.line_of(key), problem)
    }

    fn at_line(&self, line: usize, problem: HeaderProblem) -> ShardError {
        ShardError::Header {
            file: self.file.to_string(),
            line,
            problem,
        }
    }

    /// The fields of `key`'s line after the key.
    fn get(&self, key: &'static str) -> Result<&[String], ShardError> {
        match self.line_of(key) {
            0 => Err(file_problem(self.file, FileProblem::NoLine(key))),
            i => Ok(&self.lines[i - 1][1..]),
        }
    }

    /// The one field of `key`'s line.
    fn one(&self, key: &'static str) -> Result<String, ShardError> {
        self.get(key)?
            .first()
            .cloned()
            .ok_or_else(|| self.at(key, HeaderProblem::Empty(key)))
    }

    /// `text`, a field of `key`'s line, as a whole number.
    fn num(&self, text: &str, key: &'static str) -> Result<u64, ShardError> {
        text.parse().map_err(|_| {
            self.at(
                key,
                HeaderProblem::NotWhole {
                    key,
                    text: text.to_string(),
                },
            )
        })
    }

    /// The two numbers of the `shard` or `draws` line.
    fn pair(&self, key: &'static str) -> Result<(u64, u64), ShardError> {
        match self.get(key)? {
            [a, b] => Ok((self.num(a, key)?, self.num(b, key)?)),
            f => Err(self.at(key, HeaderProblem::NotTwo { key, found: f.len() })),
        }
    }
}

fn file_problem(file: &str, problem: FileProblem) -> ShardError {
    ShardError::File {
        file: file.to_string(),
        problem,
    }
}

/// Reads a shard file's header and, with `into`, appends its draws.
fn read_shard(path: &Path, into: Option<&mut Samples>) -> Result<Shard, Error> {
    use std::io::Read;
    let file = path.display().to_string();
    let bad = |problem| file_problem(&file, problem);
    // A regular file only, read no further than its size when opened.
    let (f, len) = crate::model::open_regular(path, "a shard file")?;
    let mut lines = io::BufReader::new(f.take(len)).lines();
    let mut meta = Meta {
        file: &file,
        lines: Vec::new(),
    };
    let columns = loop {
        let l = match lines.next() {
            Some(Ok(l)) => l,
            Some(Err(e)) => return Err(bad(FileProblem::Unreadable(e.to_string())).into()),
            None => return Err(bad(FileProblem::EndsEarly("column line")).into()),
        };
        match l.strip_prefix("# ") {
            Some(rest) => meta.lines.push(fields(rest)),
            None => break fields(&l),
        }
    };
    if meta.lines.first().map(|f| f.as_slice()) != Some(&[MAGIC.to_string(), FORMAT_VERSION.to_string()]) {
        return Err(bad(FileProblem::NotAShard).into());
    }
    let header = read_header(&meta, &columns)?;
    if let Some(samples) = into {
        read_draws(&file, lines, meta.lines.len() + 2, &header, samples)?;
    }
    Ok(Shard {
        file,
        path: path.to_path_buf(),
        header,
    })
}

/// The header of a shard file from its `# ` lines and its column line,
/// each count checked against the others.
fn read_header(meta: &Meta<'_>, columns: &[String]) -> Result<Header, ShardError> {
    let RunSlice { n, shard, draws } = run_slice(meta)?;
    let units = meta.get("metric_units")?.to_vec();
    let column_line = meta.lines.len() + 1;
    if columns.first().map(String::as_str) != Some("draw") {
        return Err(meta.at_line(column_line, HeaderProblem::NoDrawColumn));
    }
    let inputs = meta.num(&meta.one("inputs")?, "inputs")?;
    let k = match usize::try_from(inputs) {
        Ok(k) if k.checked_add(1 + units.len()) == Some(columns.len()) => k,
        _ => {
            return Err(meta.at(
                "inputs",
                HeaderProblem::Columns {
                    inputs,
                    metrics: units.len(),
                    column_line,
                    columns: columns.len() - 1,
                },
            ))
        }
    };
    if units.is_empty() {
        return Err(meta.at("metric_units", HeaderProblem::NoMetric));
    }
    let sampler = meta.one("sampler")?;
    Ok(Header {
        version: meta.one("version")?,
        model: meta.one("model")?,
        model_hash: meta.one("model_hash")?,
        info: RunInfo {
            seed: meta.num(&meta.one("seed")?, "seed")?,
            sampler: Sampler::parse(&sampler)
                .ok_or_else(|| file_problem(meta.file, FileProblem::UnknownSampler(sampler.clone())))?,
            inputs: columns[1..=k].to_vec(),
            metrics: columns[1 + k..].iter().cloned().zip(units).collect(),
            forecast_error: forecast_error(meta)?,
        },
        n,
        shard,
        draws,
    })
}

/// The `forecast_error` line: pairs of a metric and its σ, a number from
/// 0 to 1 (no line, or a line with its key only: none).
fn forecast_error(meta: &Meta<'_>) -> Result<Vec<(String, Decimal)>, ShardError> {
    let line = meta.line_of("forecast_error");
    let Some(fields) = line.checked_sub(1).map(|i| &meta.lines[i][1..]) else {
        return Ok(Vec::new());
    };
    let bad = || meta.at_line(line, HeaderProblem::ForecastError(fields.join(",")));
    if fields.len() % 2 != 0 {
        return Err(bad());
    }
    fields
        .chunks(2)
        .map(|p| match p[1].parse::<Decimal>() {
            Ok(s) if s > Decimal::ZERO && s <= Decimal::ONE => Ok((p[0].clone(), s)),
            _ => Err(bad()),
        })
        .collect()
}

/// What a header says of the run and the shard's place in it.
struct RunSlice {
    n: u64,
    shard: (u64, u64),
    draws: Range<u64>,
}

/// The run's number of draws, which shard of how many this is, and the
/// draws it holds, each within the others' bounds.
fn run_slice(meta: &Meta<'_>) -> Result<RunSlice, ShardError> {
    // Both pairs are looked up before either is read, as the messages expect.
    meta.get("shard")?;
    meta.get("draws")?;
    for key in ["shard", "draws"] {
        let found = meta.get(key)?.len();
        if found != 2 {
            return Err(meta.at(key, HeaderProblem::NotTwo { key, found }));
        }
    }
    let n = meta.num(&meta.one("n")?, "n")?;
    if n == 0 || n > super::MAX_EVALUATIONS {
        return Err(meta.at("n", HeaderProblem::DrawCount(n)));
    }
    let (k, count) = meta.pair("shard")?;
    if count == 0 || k == 0 || k > count || count > n {
        return Err(meta.at("shard", HeaderProblem::ShardNumber { k, count, n }));
    }
    let (start, end) = meta.pair("draws")?;
    if start >= end || end > n {
        return Err(meta.at("draws", HeaderProblem::DrawRange { start, end, n }));
    }
    Ok(RunSlice {
        n,
        shard: (k, count),
        draws: start..end,
    })
}

/// Appends the draw lines of `file` (the first at line `first_row`) to
/// `samples`, checking each is the next draw of `header`'s slice.
fn read_draws(
    file: &str,
    lines: impl Iterator<Item = io::Result<String>>,
    first_row: usize,
    header: &Header,
    samples: &mut Samples,
) -> Result<(), ShardError> {
    let bad = |problem| file_problem(file, problem);
    let k = header.info.inputs.len();
    let m = header.info.metrics.len();
    let mut expected = header.draws.start;
    // The first blank line seen: harmless at the end of the file (an
    // editor's or a shell's trailing newline), an error before a draw.
    let mut blank = None;
    for (i, line) in lines.enumerate() {
        let line = line.map_err(|e| bad(FileProblem::Unreadable(e.to_string())))?;
        let row = i + first_row;
        if line.trim().is_empty() {
            blank = blank.or(Some(row));
            continue;
        }
        if let Some(blank) = blank {
            return Err(bad(FileProblem::BlankLine { row: blank }));
        }
        if expected == header.draws.end {
            return Err(bad(FileProblem::TooMany {
                row,
                end: header.draws.end - 1,
            }));
        }
        let mut parts = line.split(',');
        let first = parts.next().unwrap_or("");
        if first.parse::<u64>().ok() != Some(expected) {
            return Err(bad(FileProblem::OutOfOrder {
                row,
                expected,
                found: first.to_string(),
            }));
        }
        let mut found = 0;
        for (c, text) in parts.enumerate() {
            let v: Decimal = text.parse().map_err(|_| {
                bad(FileProblem::NotDecimal {
                    row,
                    text: text.to_string(),
                })
            })?;
            if c < k {
                // The units of the value as written: `mc` writes inputs
                // with exactly their places (2 or 6).
                let units = i64::try_from(v.mantissa()).map_err(|_| {
                    bad(FileProblem::TooLarge {
                        row,
                        text: text.to_string(),
                    })
                })?;
                samples.inputs[c].push(units);
            } else if c < k + m {
                samples.metrics[c - k].push(decimal_to_f64(v));
            }
            found += 1;
        }
        if found != k + m {
            return Err(bad(FileProblem::Width {
                row,
                found,
                expected: k + m,
            }));
        }
        expected += 1;
    }
    if expected != header.draws.end {
        return Err(bad(FileProblem::CutShort {
            start: header.draws.start,
            last: expected.saturating_sub(1),
            end: header.draws.end - 1,
        }));
    }
    Ok(())
}

/// What two shards' headers differ in, if they are not of the same run.
fn difference(a: &Header, b: &Header) -> Option<&'static str> {
    if a.model_hash != b.model_hash {
        Some("model (its hash differs: another model file, or other --horizon, --scenario or --set values)")
    } else if a.version != b.version {
        Some("dinarflow version")
    } else if a.info.seed != b.info.seed {
        Some("seed")
    } else if a.info.sampler != b.info.sampler {
        Some("sampler")
    } else if a.n != b.n {
        Some("total number of draws (-n)")
    } else if a.shard.1 != b.shard.1 {
        Some("number of shards")
    } else if a.info.inputs != b.info.inputs || a.info.metrics != b.info.metrics {
        Some("inputs and metrics")
    } else if a.info.forecast_error != b.info.forecast_error {
        Some("the model's own error on a quote ([forecast_error]: a shard run with --no-forecast-error has none)")
    } else {
        None
    }
}

/// Checks that `shards` (sorted by number, the first one given at
/// `first`) are every shard of one run once, each holding its slice.
fn check_coverage(first: &Shard, shards: &[Shard]) -> Result<(), ShardError> {
    let (n, count) = (first.header.n, first.header.shard.1);
    if n > super::MAX_EVALUATIONS {
        return Err(ShardError::TooManyDraws {
            file: first.file.clone(),
            n,
        });
    }
    let mut sorted: Vec<&Shard> = shards.iter().collect();
    sorted.sort_by_key(|s| s.header.shard.0);
    for w in sorted.windows(2) {
        if w[0].header.shard.0 == w[1].header.shard.0 {
            return Err(ShardError::Twice {
                k: w[0].header.shard.0,
                count,
                first: w[0].file.clone(),
                second: w[1].file.clone(),
            });
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !shards.iter().any(|s| s.header.shard.0 == *k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(ShardError::Missing { missing });
    }
    for s in &sorted {
        let want = slice(n, s.header.shard.0, count);
        if s.header.draws != want {
            return Err(ShardError::WrongSlice {
                file: s.file.clone(),
                k: s.header.shard.0,
                count,
                n,
                want,
                found: s.header.draws.clone(),
            });
        }
    }
    Ok(())
}

/// Reads shard files, checks they belong together and cover every draw
/// once, and returns the run's description and its draws in order.
pub fn merge(paths: &[&Path]) -> Result<(RunInfo, Samples), Error> {
    if paths.is_empty() {
        return Err(ShardError::NoShards.into());
    }
    let mut shards = paths
        .iter()
        .map(|p| read_shard(p, None))
        .collect::<Result<Vec<_>, _>>()?;
    let first = &shards[0];
    for s in &shards[1..] {
        if let Some(what) = difference(&first.header, &s.header) {
            return Err(ShardError::OtherRun {
                first: first.file.clone(),
                other: s.file.clone(),
                what,
            }
            .into());
        }
    }
    check_coverage(first, &shards)?;
    let n = first.header.n as usize;
    shards.sort_by_key(|s| s.header.shard.0);
    let info = shards[0].header.info.clone();
    let mut all = Samples {
        first: 0,
        inputs: vec![Vec::with_capacity(n); info.inputs.len()],
        metrics: vec![Vec::with_capacity(n); info.metrics.len()],
    };
    for s in &shards {
        let again = read_shard(&s.path, Some(&mut all))?;
        if again.header != s.header {
            return Err(ShardError::Changed { file: s.file.clone() }.into());
        }
    }
    Ok((info, all))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_every_draw_once() {
        for (n, count) in [(10, 3), (1_000_000, 7), (5, 5), (3, 4)] {
            let mut next = 0;
            for k in 1..=count {
                let s = slice(n, k, count);
                assert_eq!(s.start, next);
                next = s.end;
            }
            assert_eq!(next, n);
        }
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        assert!(parse_shard("0/4").is_err() && parse_shard("5/4").is_err() && parse_shard("x").is_err());
    }
}
