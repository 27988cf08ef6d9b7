//! The assumptions of a model as a reader needs them: each parameter's
//! path, value, unit and source (or that it is an unsourced assumption),
//! where it is in the file, and the timeline changes and uncertainty on it.
//! Used by `check` and `brief`.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::WEEKDAY_NAMES;
use crate::model::{Model, Origin};
use crate::num::decimal::clean;
use crate::render::{Cell, Document, Table};

/// One assumption with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assumption {
    /// The parameter's path, e.g. `auction.rejection_rate` or `exports.buyers[China].share`.
    pub path: String,
    /// Its value, exact, in `unit`.
    pub value: Decimal,
    /// The unit: `USD`, `USD/month`, `USD/day`, `IQD/USD`, `share` (0..1), `elasticity`, ….
    pub unit: &'static str,
    /// The published source the model file cites for it, if any.
    pub source: Option<String>,
    /// The model file's note on it (why an unsourced value is plausible, how it was derived).
    pub note: Option<String>,
    /// `FILE:LINE` (of the model file, or of the scenario file that set it), or `--set` for command-line values.
    #[serde(rename = "where")]
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

    /// Whether the model file cites a published source for the value (`check` and `brief`
    /// list the others separately, as assumptions).
    pub fn is_sourced(&self) -> bool {
        self.source.is_some()
    }
}

/// What a row of the changes table says for a source already printed on the
/// row above it (the same step, the same source and note).
const AS_ABOVE: &str = "as above";

/// What `check` and `brief` say above the table of `[correlation]`.
pub const CORRELATION_HEADING: &str = "Rank correlations between uncertain inputs (mc draws them together; tornado, sobol and morris move each input alone):";

/// A step change in the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeLine {
    /// The parameter's new value, with its unit and provenance.
    #[serde(flatten)]
    pub assumption: Assumption,
    /// The month it takes effect.
    #[serde(rename = "from")]
    pub month: String,
}

/// A parameter with a distribution in `[uncertainty]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uncertain {
    /// The parameter's path, ending in `*` for a drawn factor on its schedule.
    pub path: String,
    /// Its distribution as written out, e.g. `triangular(0.7, mode 0.8, 0.9)`.
    pub distribution: String,
}

/// Everything a model assumes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assumptions {
    /// The timeline in one line: period, months, auction weekend, holidays, sessions.
    pub calendar: String,
    /// Every parameter at its value in the first month: the base value,
    /// or the value of a `[[changes]]` entry from the first month, which
    /// replaces it (docs/model.md §1.5).
    #[serde(rename = "parameters")]
    pub params: Vec<Assumption>,
    /// The `[[changes]]`: step changes to a parameter from a given month.
    pub changes: Vec<ChangeLine>,
    /// The parameters `[uncertainty]` gives a distribution, for `mc`, `sobol` and `morris`.
    pub uncertainty: Vec<Uncertain>,
    /// The rank correlations of `[correlation]` between uncertain inputs
    /// (`mc` draws them together), each as its key (`A|B`), its value
    /// and where it comes from.
    pub correlation: Vec<Assumption>,
    /// The model's own error on quoted rates (`[forecast_error]`, σ in log
    /// points), which `mc` draws on a month's value of them.
    pub forecast_error: Vec<Assumption>,
}

fn located(model: &Model, origin: &Origin) -> Option<String> {
    if let Some(flag) = origin.set_with {
        return Some(flag.into());
    }
    if let Some(at) = &origin.scenario {
        return Some(at.clone());
    }
    origin.span.as_ref().map(|s| model.file.location(s))
}

/// `FILE:LINE` of an entry of the model file at `span`.
fn located_at(model: &Model, span: &std::ops::Range<usize>) -> Option<String> {
    let origin = Origin {
        span: Some(span.clone()),
        ..Origin::default()
    };
    located(model, &origin)
}

/// The timeline in one line: period, months, auction weekend, holidays, sessions.
fn calendar_of(model: &Model) -> String {
    let t = &model.timeline;
    let weekend: Vec<&str> = t
        .weekend
        .iter()
        .map(|d| WEEKDAY_NAMES[d.num_days_from_monday() as usize])
        .collect();
    let sessions: u32 = t.months.iter().map(|m| m.sessions).sum();
    if !model.base.has(crate::model::Part::Market) {
        format!(
            "{} to {} ({} months); no auction",
            t.start,
            t.end(),
            t.months.len()
        )
    } else {
        format!(
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
        )
    }
}

/// The model's own error on each quoted rate, as an assumption with its source.
fn errors_of(model: &Model) -> Vec<Assumption> {
    model
        .forecast_error
        .iter()
        .map(|e| Assumption {
            path: format!("forecast_error.{}", e.metric),
            value: clean(e.sigma),
            unit: "σ of ln(quote / model)",
            source: e.source.clone(),
            note: e.note.clone(),
            location: located_at(model, &e.span),
        })
        .collect()
}

/// `params` with the lag weights of prices after the reference rate, one
/// row a weight (`prices.lag_weights[0]`, …, the paths their errors
/// name): a list no path addresses, but an assumption all the same.
fn with_lag_weights(model: &Model, mut params: Vec<Assumption>) -> Vec<Assumption> {
    let Some(at) = params
        .iter()
        .position(|a| a.path == "prices.reference_rate_iqd_per_usd")
    else {
        return params;
    };
    let prices = &model.base.prices;
    let location = prices.lag_weights_at.as_ref().map(|s| model.file.location(s));
    let rows = prices.lag_weights.iter().enumerate().map(|(k, w)| Assumption {
        path: format!("prices.lag_weights[{k}]"),
        value: clean(*w),
        unit: "share",
        source: None,
        note: None,
        location: location.clone(),
    });
    params.splice(at + 1..at + 1, rows);
    params
}

/// A parameter whose `[[changes]]` entry from the first month replaces
/// the base value in every month: the change's value, source and line,
/// and a note that the base value is never used.
fn in_force_from_the_start(model: &Model, c: &crate::model::Change, base_at: &str) -> Assumption {
    let hidden = format!(
        "[[changes]] from {}; the base value {} ({base_at}) is never used",
        c.month,
        clean(model.base.param(c.param).value)
    );
    Assumption {
        path: model.base.path(c.param),
        value: clean(c.value.value),
        unit: c.param.spec().unit,
        source: c.value.origin.source.clone(),
        note: Some(match &c.value.origin.note {
            Some(n) => format!("{n}; {hidden}"),
            None => hidden,
        }),
        location: located(model, &c.value.origin),
    }
}

impl Assumptions {
    /// The assumptions of `model`, with where each is in its file (or `--set`).
    pub fn of(model: &Model) -> Self {
        let base = &model.base;
        let hidden = crate::model::hidden_bases(model);
        let params = base
            .ids()
            .into_iter()
            .map(|id| {
                if let Some((c, base_at)) = hidden.iter().find(|(c, _)| c.param == id) {
                    return in_force_from_the_start(model, c, base_at);
                }
                let p = base.param(id);
                // A bank with no rate of its own: the source of the rate
                // it faces, and whose that is instead of its note.
                Assumption {
                    path: base.path(id),
                    value: clean(base.get(id)),
                    unit: id.spec().unit,
                    source: p.origin.source.clone(),
                    note: base.follow_note(id).or_else(|| p.origin.note.clone()),
                    location: located(model, &p.origin),
                }
            })
            .collect();
        let params = with_lag_weights(model, params);
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
            .map(|u| Uncertain {
                path: u.name(),
                distribution: u.dist.to_string(),
            })
            .collect();
        let correlation = model
            .correlation
            .iter()
            .map(|c| Assumption {
                path: c.key.clone(),
                value: clean(c.rho),
                unit: "rank correlation",
                source: c.source.clone(),
                note: c.note.clone(),
                location: located_at(model, &c.span),
            })
            .collect();
        let forecast_error = errors_of(model);
        let calendar = calendar_of(model);
        Assumptions {
            params,
            changes,
            uncertainty,
            correlation,
            forecast_error,
            calendar,
        }
    }

    /// Parameters as a table: path, value, unit, source, location.
    pub fn table(&self) -> Table {
        let mut t = Table::new(["path", "value", "unit", "source", "where"], 1)
            .text_column(2)
            .text_column(4)
            .wrap(3, 60)
            .optional_column(4);
        for a in &self.params {
            t.push([
                Cell::from(&a.path),
                Cell::num(a.value),
                Cell::from(a.unit),
                Cell::Text(a.provenance()),
                Cell::Text(a.location.clone().unwrap_or_default()),
            ]);
        }
        t
    }

    /// The uncertain inputs as a table: path, distribution.
    pub fn uncertainty_table(&self) -> Table {
        let mut t = Table::new(["path", "distribution"], 2);
        for u in &self.uncertainty {
            t.push([&u.path, &u.distribution]);
        }
        t
    }

    /// The rank correlations as a table: the pair (`A|B`, as the file's
    /// key), the correlation, its source, where it is.
    pub fn correlation_table(&self) -> Table {
        let mut t = Table::new(["inputs", "rank correlation", "source", "where"], 1)
            .text_column(3)
            .wrap(2, 60)
            .optional_column(3);
        for a in &self.correlation {
            t.push([
                Cell::from(&a.path),
                Cell::num(a.value),
                Cell::Text(a.provenance()),
                Cell::Text(a.location.clone().unwrap_or_default()),
            ]);
        }
        t
    }

    /// Timeline changes as a table.
    pub fn changes_table(&self) -> Table {
        self.changes_rows(false)
    }

    /// The changes for a reader (`check`, `brief`, the HTML page): a step
    /// that sets several paths with one source prints that source once, and
    /// "as above" on the rows after it (the workbook's sheet keeps every
    /// row whole, for filtering).
    pub fn changes_table_to_read(&self) -> Table {
        self.changes_rows(true)
    }

    fn changes_rows(&self, collapse: bool) -> Table {
        let mut t = Table::new(["from", "path", "value", "unit", "source", "where"], 2)
            .text_column(3)
            .text_column(5)
            .wrap(4, 60)
            .optional_column(5);
        let mut previous: Option<(&str, String)> = None;
        for c in &self.changes {
            let a = &c.assumption;
            let provenance = a.provenance();
            let repeats = previous
                .as_ref()
                .is_some_and(|(m, p)| *m == c.month && *p == provenance);
            let source = if collapse && repeats {
                AS_ABOVE.to_string()
            } else {
                provenance.clone()
            };
            t.push([
                Cell::from(&c.month),
                Cell::from(&a.path),
                Cell::num(a.value),
                Cell::from(a.unit),
                Cell::Text(source),
                Cell::Text(a.location.clone().unwrap_or_default()),
            ]);
            previous = Some((c.month.as_str(), provenance));
        }
        t
    }

    /// Every part, as `check` shows it.
    pub fn add_to(&self, doc: &mut Document) {
        doc.line(format!("Calendar: {}", self.calendar))
            .blank()
            .table(self.table());
        if !self.changes.is_empty() {
            doc.blank()
                .line("Changes over the timeline:")
                .blank()
                .table(self.changes_table_to_read());
        }
        if !self.uncertainty.is_empty() {
            doc.blank()
                .line("Uncertain inputs (used by mc, tornado, sobol; not by run):")
                .blank()
                .table(self.uncertainty_table());
            if self.uncertainty.iter().any(|u| u.path.ends_with('*')) {
                doc.blank().line(
                    "A path ending in * draws a factor that multiplies its value in every month (base and [[changes]]).",
                );
            }
        }
        if !self.correlation.is_empty() {
            doc.blank()
                .line(CORRELATION_HEADING)
                .blank()
                .table(self.correlation_table());
        }
        for e in &self.forecast_error {
            doc.blank().line(format!(
                "The model's own error on a quote (mc draws it on a month's value): {} = {} ({}); {}",
                e.path,
                e.value,
                e.unit,
                e.provenance()
            ));
        }
    }
}
