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

/// One shard file's name and header.
struct Shard {
    file: String,
    path: std::path::PathBuf,
    header: Header,
}

/// Reads a shard file's header and, with `into`, appends its draws.
fn read_shard(path: &Path, into: Option<&mut Samples>) -> Result<Shard, Error> {
    use std::io::Read;
    let file = path.display().to_string();
    let bad = |m: String| Error::Usage(format!("{file}: {m}"));
    // A regular file only, read no further than its size when opened.
    let (f, len) = crate::model::open_regular(path, "a shard file")?;
    let mut lines = io::BufReader::new(f.take(len)).lines();
    let mut next = |what: &str| -> Result<String, Error> {
        match lines.next() {
            Some(Ok(l)) => Ok(l),
            Some(Err(e)) => Err(bad(format!("cannot read it: {e}"))),
            None => Err(bad(format!("ends before its {what}"))),
        }
    };
    let mut meta: Vec<Vec<String>> = Vec::new();
    let columns = loop {
        let l = next("column line")?;
        match l.strip_prefix("# ") {
            Some(rest) => meta.push(fields(rest)),
            None => break fields(&l),
        }
    };
    if meta.first().map(|f| f.as_slice()) != Some(&[MAGIC.to_string(), FORMAT_VERSION.to_string()]) {
        return Err(bad(
            "is not a dinarflow mc shard file (write one with `dinarflow mc MODEL --shard K/N --out FILE`)"
                .into(),
        ));
    }
    // Each header field with its line (1-based): messages are located.
    let at = |line: usize, m: String| Error::Usage(format!("{file}:{line}: {m}"));
    let line_of = |key: &str| {
        meta.iter()
            .position(|f| f.first().is_some_and(|k| k == key))
            .map(|i| i + 1)
    };
    let get = |key: &str| -> Result<&[String], Error> {
        line_of(key)
            .map(|i| &meta[i - 1][1..])
            .ok_or_else(|| bad(format!("its header has no `{key}` line")))
    };
    let one = |key: &str| -> Result<String, Error> {
        get(key)?
            .first()
            .cloned()
            .ok_or_else(|| at(line_of(key).unwrap_or(0), format!("its `{key}` line is empty")))
    };
    let num = |s: &str, key: &str| -> Result<u64, Error> {
        s.parse().map_err(|_| {
            at(
                line_of(key).unwrap_or(0),
                format!("`{key}` is not a whole number: {s}"),
            )
        })
    };
    let shard = get("shard")?;
    let draws = get("draws")?;
    for (key, f) in [("shard", shard), ("draws", draws)] {
        if f.len() != 2 {
            return Err(at(
                line_of(key).unwrap_or(0),
                format!("`{key}` needs two numbers, found {}", f.len()),
            ));
        }
    }
    let n = num(&one("n")?, "n")?;
    if n == 0 || n > super::MAX_EVALUATIONS {
        return Err(at(
            line_of("n").unwrap_or(0),
            format!("`n` is {n}; a run has from 1 to {} draws", super::MAX_EVALUATIONS),
        ));
    }
    let (k_of, count) = (num(&shard[0], "shard")?, num(&shard[1], "shard")?);
    if count == 0 || k_of == 0 || k_of > count || count > n {
        return Err(at(
            line_of("shard").unwrap_or(0),
            format!(
                "`shard` is {k_of} of {count}; a run of {n} draws has from 1 to {n} shards, numbered from 1"
            ),
        ));
    }
    let (start, end) = (num(&draws[0], "draws")?, num(&draws[1], "draws")?);
    if start >= end || end > n {
        return Err(at(
            line_of("draws").unwrap_or(0),
            format!("`draws` is {start} to {end}; a shard holds at least one draw, from 0 to {n}"),
        ));
    }
    let units = get("metric_units")?.to_vec();
    let col_line = meta.len() + 1;
    if columns.first().map(String::as_str) != Some("draw") {
        return Err(at(col_line, "the column line does not start with `draw`".into()));
    }
    let inputs = num(&one("inputs")?, "inputs")?;
    let k = match usize::try_from(inputs) {
        Ok(k) if k.checked_add(1 + units.len()) == Some(columns.len()) => k,
        _ => {
            return Err(at(
                line_of("inputs").unwrap_or(0),
                format!(
                    "`inputs` is {inputs} and `metric_units` names {} metrics, but the column line (line {col_line}) has {} columns after `draw`",
                    units.len(),
                    columns.len() - 1
                ),
            ))
        }
    };
    if units.is_empty() {
        return Err(at(
            line_of("metric_units").unwrap_or(0),
            "`metric_units` names no metric".into(),
        ));
    }
    let sampler = one("sampler")?;
    let header = Header {
        version: one("version")?,
        model: one("model")?,
        model_hash: one("model_hash")?,
        info: RunInfo {
            seed: num(&one("seed")?, "seed")?,
            sampler: Sampler::parse(&sampler).ok_or_else(|| bad(format!("unknown sampler {sampler}")))?,
            inputs: columns[1..=k].to_vec(),
            metrics: columns[1 + k..].iter().cloned().zip(units).collect(),
        },
        n,
        shard: (k_of, count),
        draws: start..end,
    };
    let Some(samples) = into else {
        return Ok(Shard {
            file,
            path: path.to_path_buf(),
            header,
        });
    };
    let m = header.info.metrics.len();
    let mut expected = header.draws.start;
    for (i, line) in lines.enumerate() {
        let line = line.map_err(|e| bad(format!("cannot read it: {e}")))?;
        let row = i + meta.len() + 2;
        let mut parts = line.split(',');
        let index: Option<u64> = parts.next().and_then(|s| s.parse().ok());
        if index != Some(expected) {
            return Err(bad(format!(
                "line {row}: expected draw {expected}, found {}",
                line.split(',').next().unwrap_or("")
            )));
        }
        let mut count = 0;
        for (c, text) in parts.enumerate() {
            let v: Decimal = text
                .parse()
                .map_err(|_| bad(format!("line {row}: {text:?} is not a decimal")))?;
            if c < k {
                // The units of the value as written: `mc` writes inputs
                // with exactly their places (2 or 6).
                let units = i64::try_from(v.mantissa())
                    .map_err(|_| bad(format!("line {row}: {text} is too large for a drawn value")))?;
                samples.inputs[c].push(units);
            } else if c < k + m {
                samples.metrics[c - k].push(decimal_to_f64(v));
            }
            count += 1;
        }
        if count != k + m {
            return Err(bad(format!("line {row}: {} values, expected {}", count, k + m)));
        }
        expected += 1;
    }
    if expected != header.draws.end {
        return Err(bad(format!(
            "holds draws {} to {} but its header says up to {} (was it cut short?)",
            header.draws.start,
            expected.saturating_sub(1),
            header.draws.end - 1
        )));
    }
    Ok(Shard {
        file,
        path: path.to_path_buf(),
        header,
    })
}

/// Reads shard files, checks they belong together and cover every draw
/// once, and returns the run's description and its draws in order.
pub fn merge(paths: &[&Path]) -> Result<(RunInfo, Samples), Error> {
    if paths.is_empty() {
        return Err(Error::Usage("merge needs the shard files of one run".into()));
    }
    let mut shards = paths
        .iter()
        .map(|p| read_shard(p, None))
        .collect::<Result<Vec<_>, _>>()?;
    let first = &shards[0];
    let same = |s: &Shard| -> Option<&'static str> {
        let (a, b) = (&first.header, &s.header);
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
        } else {
            None
        }
    };
    for s in &shards[1..] {
        if let Some(what) = same(s) {
            return Err(Error::Usage(format!(
                "{} and {} are not shards of the same run: they differ in {what}",
                first.file, s.file
            )));
        }
    }
    let (n, count) = (first.header.n, first.header.shard.1);
    if n > super::MAX_EVALUATIONS {
        return Err(Error::Usage(format!(
            "{}: its header says {n} draws, more than one run makes",
            first.file
        )));
    }
    shards.sort_by_key(|s| s.header.shard.0);
    for w in shards.windows(2) {
        if w[0].header.shard.0 == w[1].header.shard.0 {
            return Err(Error::Usage(format!(
                "shard {}/{count} is given twice: {} and {}",
                w[0].header.shard.0, w[0].file, w[1].file
            )));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !shards.iter().any(|s| s.header.shard.0 == *k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "shard{} {} of this run {} missing; every draw must be covered once",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            if missing.len() > 1 { "are" } else { "is" }
        )));
    }
    for s in &shards {
        let want = slice(n, s.header.shard.0, count);
        if s.header.draws != want {
            return Err(Error::Usage(format!(
                "{}: shard {}/{count} of {n} draws should hold draws {} to {}, not {} to {}",
                s.file,
                s.header.shard.0,
                want.start,
                want.end.saturating_sub(1),
                s.header.draws.start,
                s.header.draws.end.saturating_sub(1)
            )));
        }
    }
    let info = shards[0].header.info.clone();
    let mut all = Samples {
        first: 0,
        inputs: vec![Vec::with_capacity(n as usize); info.inputs.len()],
        metrics: vec![Vec::with_capacity(n as usize); info.metrics.len()],
    };
    for s in &shards {
        let again = read_shard(&s.path, Some(&mut all))?;
        if again.header != s.header {
            return Err(Error::Usage(format!(
                "{} changed while it was being read",
                s.file
            )));
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
