//! The assumptions of a model as a reader needs them: each parameter's
//! path, value, unit and source (or that it is an unsourced assumption),
//! where it is in the file, and the timeline changes and uncertainty on it.
//! Used by `check` and `brief`.

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::calendar::WEEKDAY_NAMES;
use crate::model::{Model, Origin};
use crate::number::clean;
use crate::render::{thousands, Grid};

/// One assumption with its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    pub path: String,
    pub value: Decimal,
    pub unit: &'static str,
    pub source: Option<String>,
    pub note: Option<String>,
    /// `FILE:LINE`, or `--set` for command-line values.
    pub location: Option<String>,
}

impl Assumption {
    /// The source, or why there is none.
    pub fn provenance(&self) -> String {
        if self.location.is_none() {
            return "default (not in the file)".into();
        }
        match (&self.source, &self.note) {
            (Some(s), Some(n)) => format!("{s} ({n})"),
            (Some(s), None) => s.clone(),
            (None, Some(n)) if n.starts_with("assumption") || n.starts_with("derived") => n.clone(),
            (None, Some(n)) => format!("assumption: {n}"),
            (None, None) => "assumption (no source given)".into(),
        }
    }

    pub fn is_sourced(&self) -> bool {
        self.source.is_some()
    }
}

/// A step change in the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    pub month: String,
    pub assumption: Assumption,
}

/// Everything a model assumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumptions {
    pub params: Vec<Assumption>,
    pub changes: Vec<ChangeLine>,
    pub uncertainty: Vec<(String, String)>,
    pub calendar: String,
}

fn located(model: &Model, origin: &Origin) -> Option<String> {
    if origin.from_command_line {
        return Some("--set".into());
    }
    origin.span.as_ref().map(|s| model.file.location(s))
}

impl Assumptions {
    pub fn of(model: &Model) -> Self {
        let base = &model.base;
        let params = base
            .ids()
            .into_iter()
            .map(|id| {
                let p = base.param(id);
                Assumption {
                    path: base.path(id),
                    value: clean(p.value),
                    unit: id.spec().unit,
                    source: p.origin.source.clone(),
                    note: p.origin.note.clone(),
                    location: located(model, &p.origin),
                }
            })
            .collect();
        let changes = model
            .changes
            .iter()
            .map(|c| ChangeLine {
                month: c.month.to_string(),
                assumption: Assumption {
                    path: base.path(c.param),
                    value: clean(c.value.value),
                    unit: c.param.spec().unit,
                    source: c.value.origin.source.clone(),
                    note: c.value.origin.note.clone(),
                    location: located(model, &c.value.origin),
                },
            })
            .collect();
        let uncertainty = model
            .uncertainty
            .iter()
            .map(|u| (u.path.clone(), u.dist.to_string()))
            .collect();
        let t = &model.timeline;
        let weekend: Vec<&str> = t
            .weekend
            .iter()
            .map(|d| WEEKDAY_NAMES[d.num_days_from_monday() as usize])
            .collect();
        let sessions: u32 = t.months.iter().map(|m| m.sessions).sum();
        let calendar = format!(
            "{} to {} ({} months); auction weekend {}; {} holiday{}; {} auction sessions in all",
            t.start,
            t.end(),
            t.months.len(),
            if weekend.is_empty() {
                "none".to_string()
            } else {
                weekend.join("+")
            },
            t.holidays.len(),
            if t.holidays.len() == 1 { "" } else { "s" },
            sessions
        );
        Assumptions {
            params,
            changes,
            uncertainty,
            calendar,
        }
    }

    /// Parameters as a grid: path, value, unit, source, location.
    pub fn grid(&self) -> Grid {
        let mut g = Grid::new(["path", "value", "unit", "source", "where"], 1)
            .text_column(2)
            .text_column(4)
            .wrap(3, 60);
        for a in &self.params {
            g.push([
                a.path.clone(),
                thousands(a.value),
                a.unit.to_string(),
                a.provenance(),
                a.location.clone().unwrap_or_default(),
            ]);
        }
        g
    }

    /// Timeline changes as a grid.
    pub fn changes_grid(&self) -> Grid {
        let mut g = Grid::new(["from", "path", "value", "unit", "source", "where"], 2)
            .text_column(3)
            .text_column(5)
            .wrap(4, 60);
        for c in &self.changes {
            let a = &c.assumption;
            g.push([
                c.month.clone(),
                a.path.clone(),
                thousands(a.value),
                a.unit.to_string(),
                a.provenance(),
                a.location.clone().unwrap_or_default(),
            ]);
        }
        g
    }

    /// Writes every part as tables (`markdown` for Markdown).
    pub fn write(&self, out: &mut dyn Write, markdown: bool) -> io::Result<()> {
        let grid = |g: Grid, out: &mut dyn Write| if markdown { g.markdown(out) } else { g.table(out) };
        writeln!(out, "Calendar: {}\n", self.calendar)?;
        grid(self.grid(), out)?;
        if !self.changes.is_empty() {
            writeln!(out, "\nChanges over the timeline:\n")?;
            grid(self.changes_grid(), out)?;
        }
        if !self.uncertainty.is_empty() {
            writeln!(
                out,
                "\nUncertain inputs (used by mc, tornado, sobol; not by run):\n"
            )?;
            let mut g = Grid::new(["path", "distribution"], 2);
            for (p, d) in &self.uncertainty {
                g.push([p.clone(), d.clone()]);
            }
            grid(g, out)?;
        }
        Ok(())
    }

    pub fn json(&self) -> Value {
        let one = |a: &Assumption| {
            json!({
                "path": a.path,
                "value": a.value.to_string(),
                "unit": a.unit,
                "source": a.source,
                "note": a.note,
                "where": a.location,
            })
        };
        json!({
            "calendar": self.calendar,
            "parameters": self.params.iter().map(one).collect::<Vec<_>>(),
            "changes": self.changes.iter().map(|c| {
                let mut v = one(&c.assumption);
                v["from"] = Value::String(c.month.clone());
                v
            }).collect::<Vec<_>>(),
            "uncertainty": self.uncertainty.iter().map(|(p, d)| json!({"path": p, "distribution": d})).collect::<Vec<_>>(),
        })
    }
}
