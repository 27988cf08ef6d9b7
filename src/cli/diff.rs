//! `dinarflow diff A.toml B.toml`: both summaries side by side, the
//! assumptions that differ, and how much of each metric's change each
//! difference explains. `--scenario` and `--set` apply to both sides;
//! `--scenario-a`/`--scenario-b` and `--set-a`/`--set-b` to one (after the
//! shared ones), so that `diff --set-b 'auction.rejection_rate@2023-07..=0.4'`
//! compares the built-in model with itself under a what-if.

use super::refusal::Refusal;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::common::Analysis;
use super::common::Common;
use super::load_flagged;
use super::output::stderr_error;
use super::progress::Unit;
use crate::error::Error;
use crate::model::{refuse_undone_on_both, Model, SetNote};
use crate::render::Formats;
use crate::report::diff::DiffReport;
use crate::sensitivity::diff::compare;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first model (A, the reference); the built-in models/iraq-2023.toml when omitted
    pub a: Option<PathBuf>,
    /// The second model (B); A again when omitted, for --scenario-a/--scenario-b
    pub b: Option<PathBuf>,
    /// A metric to compare (repeatable); default: every metric both models have
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    /// A scenario file layered on A only, after the shared --scenario (repeatable)
    #[arg(long = "scenario-a", value_name = "FILE")]
    pub scenario_a: Vec<PathBuf>,
    /// A scenario file layered on B only, after the shared --scenario (repeatable)
    #[arg(long = "scenario-b", value_name = "FILE")]
    pub scenario_b: Vec<PathBuf>,
    /// A --set on A only, applied with the shared --set (repeatable)
    #[arg(long = "set-a", value_name = "PATH=VALUE")]
    pub set_a: Vec<String>,
    /// A --set on B only, applied with the shared --set (repeatable), e.g. 'auction.rejection_rate@2023-07..=0.4'
    #[arg(long = "set-b", value_name = "PATH=VALUE")]
    pub set_b: Vec<String>,
    #[command(flatten)]
    pub analysis: Analysis,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.analysis.charted.format_in("diff", DiffReport::FORMATS)?;
    let common = a.analysis.common();
    let one_sided = [&a.scenario_a, &a.scenario_b].iter().any(|s| !s.is_empty())
        || [&a.set_a, &a.set_b].iter().any(|s| !s.is_empty());
    if a.b.is_none() && !one_sided {
        return Err(Refusal::NothingToCompare.into());
    }
    let scenarios =
        |own: &[PathBuf]| -> Vec<PathBuf> { common.scenario.iter().chain(own).cloned().collect() };
    let shared = common.set.iter().map(|s| ("--set", s.as_str()));
    let sets_a: Vec<(&'static str, &str)> = shared
        .clone()
        .chain(a.set_a.iter().map(|s| ("--set-a", s.as_str())))
        .collect();
    let sets_b: Vec<(&'static str, &str)> = shared
        .chain(a.set_b.iter().map(|s| ("--set-b", s.as_str())))
        .collect();
    let path_a = a.a.as_deref();
    let path_b = a.b.as_deref().or(path_a);
    let sides = Sides::named(path_a, path_b);
    // Each side's notes are gathered, then said once: what the shared
    // options did is the same on both sides. Those said before a refusal
    // are said too.
    let (mut said_a, mut said_b) = (Vec::new(), Vec::new());
    let side_a = load_side(path_a, common, &scenarios(&a.scenario_a), &sets_a, &mut said_a);
    let (model_a, notes_a) = match side_a {
        Ok(side) => side,
        Err(e) => {
            sides.say_once(err, &said_a, &said_b, false)?;
            return Err(e);
        }
    };
    let side_b = load_side(path_b, common, &scenarios(&a.scenario_b), &sets_b, &mut said_b);
    sides.say_once(err, &said_a, &said_b, side_b.is_ok())?;
    let (model_b, notes_b) = side_b?;
    refuse_undone_on_both(&notes_a, &notes_b)?;
    // Implausible values: B's own when B is its own file, else only
    // those its one-sided --set-b/--scenario-b added.
    super::warnings::check(&model_a, false, err)?;
    if a.b.is_some() {
        super::warnings::check(&model_b, false, err)?;
    } else {
        super::warnings::check_beyond(&model_b, &model_a, err)?;
    }
    let result = compare(&model_a, &model_b, &a.metric, &a.analysis.bar(Unit::Runs))?;
    let report = DiffReport::new(&model_a, &model_b, result);
    a.analysis.write(out, &report, format)
}

/// A line of a side's notes, and whether it names its side itself (the
/// note of a `--set-a`/`--set-b`).
type Said = Vec<(String, bool)>;

/// One side's model and what its `--set` did, its notes added to `said`.
fn load_side(
    path: Option<&Path>,
    common: &Common,
    scenarios: &[PathBuf],
    sets: &[(&'static str, &str)],
    said: &mut Said,
) -> Result<(Model, Vec<SetNote>), Error> {
    let mut lines = Vec::new();
    let loaded = load_flagged(path, common, scenarios, sets, &mut lines);
    said.extend(
        String::from_utf8_lossy(&lines)
            .lines()
            .map(|l| (l.to_string(), false)),
    );
    let (model, notes) = loaded?;
    said.extend(notes.iter().map(|n| (n.to_string(), n.flag != "--set")));
    Ok((model, notes))
}

/// How the notes name the two sides: "A" and "B", with each side's file
/// when they are different files.
struct Sides {
    a: Side,
    b: Side,
}

/// One side's name in the notes, and its file when the files differ.
struct Side {
    name: String,
    file: Option<String>,
}

impl Side {
    /// `line` with the side named, unless it names it itself (`own`: a
    /// `--set-a`/`--set-b` note; or it names the side's file).
    fn tag(&self, line: &str, own: bool) -> String {
        let names_file = self.file.as_ref().is_some_and(|f| line.contains(f.as_str()));
        match line.split_once(": ") {
            Some((kind, rest)) if !own && !names_file => format!("{kind}: in {}, {rest}", self.name),
            _ => line.to_string(),
        }
    }
}

impl Sides {
    fn named(a: Option<&Path>, b: Option<&Path>) -> Sides {
        let side = |letter: &str, p: Option<&Path>| {
            let file =
                (a != b).then(|| p.map_or_else(|| "the built-in model".into(), |p| p.display().to_string()));
            Side {
                name: file
                    .as_ref()
                    .map_or_else(|| letter.into(), |f| format!("{letter} ({f})")),
                file,
            }
        };
        Sides {
            a: side("A", a),
            b: side("B", b),
        }
    }

    /// Writes A's lines, then those of B's that A did not say. When both
    /// sides loaded (`both`), a line that only one side says names that
    /// side, unless it names it itself; after a refusal, what the refused
    /// side would have said is unknown, so no line names a side.
    fn say_once(&self, err: &mut dyn Write, a: &Said, b: &Said, both: bool) -> Result<(), Error> {
        let says = |side: &Said, line: &str| side.iter().any(|(l, _)| l == line);
        let a_lines = a
            .iter()
            .map(|(l, own)| self.a.tag(l, *own || !both || says(b, l)));
        let b_lines = b
            .iter()
            .filter(|(l, _)| !says(a, l))
            .map(|(l, own)| self.b.tag(l, *own || !both));
        for line in a_lines.chain(b_lines) {
            writeln!(err, "{line}").map_err(stderr_error)?;
        }
        Ok(())
    }
}
