//! The briefing: the handful of figures a briefing note needs, rounded
//! for people with their units (`$191.86 bn`, `1,532 IQD per $`), a few
//! plain sentences stating the results, and the assumptions behind them
//! with their sources. The figures are worked out in `report/headline.rs`,
//! the sentences in `report/main_results.rs`; this puts them together and
//! lays them out.

use serde::Serialize;

use super::assumptions::{Assumption, Assumptions};
use super::headline::{exact_table, figures, people_table, Totals};
use super::ModelInfo;
use crate::engine::Run;
use crate::error::Error;
use crate::model::Model;
use crate::num::decimal::Overflow;
use crate::render::{Block, Book, Cell, Document, Report, Sheet, Table};
use crate::report::how_sure::HowSure;
use crate::report::quarters::Quarter;
use crate::report::rests_on::RestsOn;
use crate::sensitivity::Progress;

pub use super::headline::Figure;

/// Everything `brief` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brief {
    /// The model briefed on.
    pub model: ModelInfo,
    /// The period and its length, e.g. `2022-11 to 2023-12 (14 months)`.
    pub period: String,
    /// The headline figures, from gross oil revenue down the chain to the CPI impact.
    pub figures: Vec<Figure>,
    /// The main results in plain sentences, along the chain from revenue to prices.
    pub sentences: Vec<String>,
    /// The parallel rate, premium, CPI inflation, sales and rejected wires
    /// by calendar quarter; `None` without a parallel market or within
    /// one quarter.
    pub quarters: Option<Vec<Quarter>>,
    /// The 80% bands of the headline rate and CPI inflation in the last
    /// month, from a seeded Monte Carlo run (`None` without
    /// `[uncertainty]`, or before [`Brief::with_how_sure`]).
    pub how_sure: Option<HowSure>,
    /// Every assumption behind the figures, with its source.
    pub assumptions: Assumptions,
    /// What the headline rests on that the data did not test (the
    /// untested assumptions that move it most, and loosely fitted
    /// parameters); `None` when there are none.
    pub rests_on: Option<RestsOn>,
    /// The metric the closing hint suggests a tornado of (the model's
    /// first default metric: `parallel_rate`, or `net_revenue_usd` for a
    /// flow-only model).
    #[serde(skip)]
    pub headline_metric: &'static str,
    /// What picks the model on a command line, for the commands the text
    /// suggests ([`super::command_line::command_line`]).
    #[serde(skip)]
    pub rerun: String,
}

impl Brief {
    /// The briefing on `run` of `model`, each amount in its sentences
    /// rounded on its own; the runs of what the headline rests on are
    /// counted on `progress`, which may stop them.
    pub fn new(model: &Model, run: &Run, progress: &dyn Progress) -> Result<Self, Overflow> {
        Brief::build(model, run, false, progress)
    }

    /// The briefing with amounts in its sentences that add up as printed
    /// (gross = deductions + net; payments = their parts): all of a sum in
    /// one unit, the parts rounded by largest remainder. As [`Brief::new`]
    /// for `progress`.
    pub fn adding_up(model: &Model, run: &Run, progress: &dyn Progress) -> Result<Self, Overflow> {
        Brief::build(model, run, true, progress)
    }

    fn build(model: &Model, run: &Run, adding: bool, progress: &dyn Progress) -> Result<Self, Overflow> {
        let t = &model.timeline;
        let totals = Totals::of(model, run)?;
        let headline_metric = crate::engine::metrics::default_metrics(&model.base)[0];
        Ok(Brief {
            model: ModelInfo::of(model),
            period: format!("{} to {} ({} months)", t.start, t.end(), t.months.len()),
            figures: figures(&totals, t.end()),
            sentences: super::main_results::sentences(model, run, &totals, adding),
            quarters: super::quarters::quarters(model, run, totals.market)?,
            how_sure: None,
            assumptions: Assumptions::of(model),
            rests_on: RestsOn::of(model, headline_metric, progress),
            headline_metric,
            rerun: super::command_line::command_line(model),
        })
    }

    /// The brief with its "How sure": the bands of [`HowSure::of`] from
    /// `draws` Monte Carlo draws of `model` with `seed`, counted on
    /// `progress` (which may stop them).
    pub fn with_how_sure(
        mut self,
        model: &Model,
        draws: u64,
        seed: u64,
        progress: &dyn Progress,
    ) -> Result<Self, Error> {
        self.how_sure = HowSure::of(model, draws, seed, progress)?;
        Ok(self)
    }

    /// The brief with its "How sure" if the draws can be made; where they
    /// cannot (an `[uncertainty]` that `mc` refuses), the brief without
    /// it and a note saying why, so that the figures are still briefed.
    /// The draws are counted on `progress`, which may stop them.
    pub fn how_sure_if_drawn(
        self,
        model: &Model,
        draws: u64,
        seed: u64,
        progress: &dyn Progress,
    ) -> (Self, Option<String>) {
        match HowSure::of(model, draws, seed, progress) {
            Ok(how_sure) => (Brief { how_sure, ..self }, None),
            Err(e) => {
                let why = e.to_string();
                let why = why
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                (self, Some(format!("note: the brief has no \"How sure\": {why}")))
            }
        }
    }

    /// The headline figures rounded for people, each with its exact value
    /// (see [`people_table`]).
    pub(crate) fn figures_table(&self) -> Table {
        people_table(&self.figures)
    }

    /// The parameters with a published source, and those without.
    fn assumption_tables(&self) -> (Table, Table) {
        let row = |a: &Assumption| {
            [
                Cell::from(&a.path),
                Cell::num(a.value),
                Cell::from(a.unit),
                Cell::Text(a.provenance()),
            ]
        };
        let mut sourced = Table::new(["path", "value", "unit", "source"], 1)
            .text_column(2)
            .wrap(3, 70);
        let mut unsourced = Table::new(["path", "value", "unit", "why this value"], 1)
            .text_column(2)
            .wrap(3, 70);
        for a in &self.assumptions.params {
            if a.is_sourced() {
                sourced.push(row(a));
            } else {
                unsourced.push(row(a));
            }
        }
        (sourced, unsourced)
    }
}

// The brief has no CSV form; its HTML form is the briefing's.
crate::render::formats!(Brief: [Table, Json, Md, Xlsx]);

impl Report for Brief {
    /// The figures, the sentences, then every assumption and the model.
    fn book(&self) -> Option<Book> {
        let mut results = Table::new(["main result"], 1).wrap(0, 100);
        for s in &self.sentences {
            results.push([s.as_str()]);
        }
        let mut sheets = vec![
            Sheet::from_table("Brief", &exact_table(&self.figures)).frozen(1),
            Sheet::from_table("Main results", &results),
        ];
        if let Some(q) = &self.quarters {
            sheets.push(Sheet::from_table("By quarter", &super::quarters::table(q)).frozen(1));
        }
        if let Some(r) = &self.rests_on {
            sheets.push(r.sheet());
        }
        if let Some(h) = &self.how_sure {
            sheets.push(h.sheet());
        }
        Some(self.model.book(sheets))
    }

    fn document(&self) -> Document {
        let mut doc = Document::new();
        doc.heading(1, format!("Brief: {}", self.model.name))
            .line(&self.period);
        for l in self.model.heading_lines() {
            doc.line(l);
        }
        doc.blank().table(self.figures_table());
        doc.section(2, "Main results");
        doc.push(Block::Bullets(self.sentences.clone()));
        if let Some(q) = &self.quarters {
            doc.section(2, "Quarter by quarter");
            doc.table(super::quarters::table(q));
        }
        if let Some(h) = &self.how_sure {
            doc.section(2, "How sure");
            doc.push(Block::Bullets(h.sentences()));
            doc.blank().line(h.method());
        }
        if let Some(r) = &self.rests_on {
            r.write(&mut doc);
        }
        let (sourced, unsourced) = self.assumption_tables();
        doc.section(2, "Assumptions with a published source");
        doc.table(sourced);
        doc.section(2, "Assumptions without a published source");
        doc.table(unsourced);
        if !self.assumptions.changes.is_empty() {
            doc.section(2, "Changes over the timeline");
            doc.table(self.assumptions.changes_table_to_read());
        }
        doc.blank()
            .line(format!("Calendar: {}", self.assumptions.calendar))
            .blank()
            .line(match self.how_sure {
                Some(_) => format!(
                    "What matters most: `dinarflow tornado{} --metric {}` ranks the assumptions.",
                    self.rerun, self.headline_metric
                ),
                None => format!(
                    "How sure, and what matters most: `dinarflow mc{}` gives P5–P95 ranges from [uncertainty]; \
                     `dinarflow tornado{} --metric {}` ranks the assumptions.",
                    self.rerun, self.rerun, self.headline_metric
                ),
            });
        doc
    }
}
