//! What the tests of a document's sentences share (readme_prose.rs for the
//! README, guide_prose.rs for docs/guide.md): the document with its lines
//! joined, so that a sentence is found across its wrapped lines, and
//! figures rounded as a person rounds them, from what a command prints in
//! JSON or CSV (every digit).

use std::path::Path;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use super::ok;

/// A document of the repository, every run of white space (line breaks
/// included) made one space.
pub struct Prose {
    file: &'static str,
    text: String,
}

impl Prose {
    /// `file`, a path from the repository's root (`"README.md"`).
    pub fn of(file: &'static str) -> Prose {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        Prose {
            file,
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    /// Fails unless the document says `sentence` (a fragment long enough
    /// to be found in one place only).
    #[track_caller]
    pub fn says(&self, sentence: &str) {
        assert!(
            self.text.contains(sentence),
            "{} should say {sentence:?}; its figure is what the command prints today",
            self.file
        );
    }
}

/// `x` (a JSON or CSV number) as an exact decimal.
pub fn decimal(x: &str) -> Decimal {
    x.parse().unwrap_or_else(|e| panic!("{x:?}: {e}"))
}

/// `x` (a JSON or CSV number) rounded to `dp` places, half away from
/// zero, with thousands separated by commas: "1431.7987", 0 → "1,432";
/// "-14.7997", 1 → "-14.8".
pub fn rounded(x: &str, dp: u32) -> String {
    let r = decimal(x).round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.1$}", r.abs(), dp as usize);
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let digits: Vec<char> = int.chars().collect();
    let mut grouped = String::new();
    if r.is_sign_negative() && !r.is_zero() {
        grouped.push('-');
    }
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

/// A count as a sentence writes it: 9 → "nine".
pub fn word(n: u64) -> &'static str {
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ][n as usize]
}

/// What `dinarflow ARGS` (ending `--format json`) prints, parsed.
pub fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args).stdout).unwrap()
}

/// A JSON number, which dinarflow writes as a string of every digit.
pub fn num(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("{v} is not a number string"))
}

/// The value of the row `FIRST,METRIC,VALUE` of a tidy CSV (`run --format
/// csv`: FIRST a month, a year or `total`).
pub fn cell(csv: &str, first: &str, metric: &str) -> String {
    let prefix = format!("{first},{metric},");
    let line = csv
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no row {prefix}…"));
    line[prefix.len()..].to_string()
}

/// The flags of the guide's fit from the March 2023 origin (the README's
/// backtest's), each `--vary` given as `flag` (`--vary` or `--refit`).
pub fn origin_flags(flag: &str) -> Vec<String> {
    let mut args: Vec<String> = [
        "--observed",
        "models/observed/iraq-parallel-2022-2023.csv",
        "--set",
        "parallel_market.anchor_weight=1",
        "--set",
        "parallel_market.persistence=0.5",
        "--set",
        "parallel_market.baseline_turnover_usd_per_day=170698313.58",
    ]
    .map(String::from)
    .to_vec();
    for vary in [
        "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000",
        "parallel_market.anchor_weight",
        "parallel_market.persistence=0:0.95",
    ] {
        args.push(flag.to_string());
        args.push(vary.to_string());
    }
    args
}

/// The default model's `[forecast_error]` entry for parallel_rate (its
/// `value`, `source` and `note`), as models/iraq-2023.toml writes it.
pub fn default_forecast_error() -> toml::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/iraq-2023.toml");
    let model: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
    model["forecast_error"]["parallel_rate"].clone()
}
