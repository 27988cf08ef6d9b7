//! `solve`: the value of a parameter at which a metric meets a target, and
//! every other value that meets it too.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{shown, ModelInfo};
use crate::model::Model;
use crate::render::plural;
use crate::render::{thousands, Block, Cell, Document, Report, Table};
use crate::sensitivity::solve::{jump_text, Jump, Root, Solution};

/// A goal seek on a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolveReport {
    /// The model solved on.
    pub model: ModelInfo,
    /// The value found, and every other value that meets the target.
    pub solution: Solution,
}

impl SolveReport {
    /// The report on `solution` for `model`.
    pub fn new(model: &Model, solution: Solution) -> Self {
        SolveReport {
            model: ModelInfo::of(model),
            solution,
        }
    }
}

crate::render::formats!(SolveReport: TEXT);

impl Report for SolveReport {
    fn document(&self) -> Document {
        let s = &self.solution;
        let r = s.root();
        let mut doc = Document::new();
        doc.push(Block::Title {
            model: self.model.name.clone(),
            subject: Some(format!("Solve {} = {}", s.metric, thousands(s.target))),
            terminal: None,
        });
        self.model.note_what_if(&mut doc);
        doc.line(format!(
            "{} = {} gives {} = {} (target {}; {} after scanning {} values from {} to {})",
            s.path,
            thousands(r.value),
            s.metric,
            thousands(r.achieved),
            thousands(s.target),
            plural(r.iterations as usize, "iteration"),
            s.scanned,
            thousands(shown(s.lo)),
            thousands(shown(s.hi)),
        ));
        if s.roots.len() > 1 {
            let mut t = Table::new([s.path.as_str(), &s.metric, "iterations"], 0);
            for r in &s.roots {
                t.push([
                    Cell::num(r.value),
                    Cell::num(r.achieved),
                    Cell::Count(u64::from(r.iterations)),
                ]);
            }
            doc.blank()
                .line(format!(
                    "{} values reach the target; the line above gives the one nearest the base value {}. All of them:",
                    s.roots.len(),
                    thousands(shown(s.base))
                ))
                .blank()
                .table(t);
        }
        for r in &s.roots {
            let Some((last, next)) = r.holds_through else {
                continue;
            };
            let (upto, left) = match next {
                Some(next) => ("from", format!(" (and no longer at {})", thousands(shown(next)))),
                None => ("scanned from", String::new()),
            };
            doc.blank().line(format!(
                "note: {} is exactly {} at every value of {} {upto} {} to {}{left}: the target holds over that stretch, and {} is only its start",
                s.metric,
                thousands(s.target),
                s.path,
                thousands(shown(r.value)),
                thousands(shown(last)),
                thousands(shown(r.value)),
            ));
        }
        if !s.jumps.is_empty() {
            doc.blank().line(format!(
                "note: {} also jumps across the target without meeting it, between adjacent values of {}: {}",
                s.metric,
                s.path,
                jump_text(&s.jumps)
            ));
        }
        self.model
            .note_averages(&mut doc, std::slice::from_ref(&s.metric));
        doc
    }

    /// `path,value,metric,target,achieved,iterations`, one row per root.
    fn csv(&self) -> Option<Table> {
        let s = &self.solution;
        let mut t = Table::new(["path", "value", "metric", "target", "achieved", "iterations"], 0);
        for r in &s.roots {
            t.push([
                Cell::from(&s.path),
                Cell::plain(r.value),
                Cell::from(&s.metric),
                Cell::plain(s.target),
                Cell::plain(r.achieved),
                Cell::Count(u64::from(r.iterations)),
            ]);
        }
        Some(t)
    }
}

/// `{"model","path","value","metric","target","achieved","iterations"}` for the
/// root nearest the base value (`"holds_through"`: the last value scanned
/// of a stretch where the target holds exactly), with `"roots"` when there are several and
/// `"jumps"` (`[{"from": {"value","achieved"}, "to": …}]`) when the metric
/// also jumps across the target.
impl Serialize for SolveReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Found {
            value: Decimal,
            achieved: Decimal,
            iterations: u32,
            #[serde(skip_serializing_if = "Option::is_none")]
            holds_through: Option<Decimal>,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            path: &'a str,
            value: Decimal,
            metric: &'a str,
            target: Decimal,
            achieved: Decimal,
            iterations: u32,
            #[serde(skip_serializing_if = "Option::is_none")]
            holds_through: Option<Decimal>,
            #[serde(skip_serializing_if = "Option::is_none")]
            roots: Option<Vec<Found>>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            jumps: Vec<Across>,
        }
        /// A jump past the target: the two adjacent values and the metric at each.
        #[derive(Serialize)]
        struct Across {
            from: Point,
            to: Point,
        }
        #[derive(Serialize)]
        struct Point {
            value: Decimal,
            achieved: Decimal,
        }
        let sol = &self.solution;
        let r: &Root = sol.root();
        let point = |(value, achieved): (Decimal, Decimal)| Point { value, achieved };
        let across = |j: &Jump| Across {
            from: point(j.below),
            to: point(j.above),
        };
        let found = |r: &Root| Found {
            value: r.value,
            achieved: r.achieved,
            iterations: r.iterations,
            holds_through: r.holds_through.map(|(last, _)| last),
        };
        Json {
            model: &self.model,
            path: &sol.path,
            value: r.value,
            metric: &sol.metric,
            target: sol.target,
            achieved: r.achieved,
            iterations: r.iterations,
            holds_through: r.holds_through.map(|(last, _)| last),
            roots: (sol.roots.len() > 1).then(|| sol.roots.iter().map(found).collect()),
            jumps: sol.jumps.iter().map(across).collect(),
        }
        .serialize(s)
    }
}
