//! The briefing as one page (`brief --format html`): the headline
//! figures, the main results in sentences whose amounts add up as printed,
//! the rates by month, where the dollars went, what matters most (a
//! tornado of the uncertain parameters), how sure (a fan chart from a
//! seeded Monte Carlo run, when the model has `[uncertainty]`), then every
//! assumption with its source and file:line, unsourced ones marked. Each
//! part is a report already built for its own command; this only lays
//! them out.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::assumptions::Assumption;
use super::brief::Brief;
use super::fan::fans;
use super::fan::FanData;
use super::run::RunReport;
use super::tornado::TornadoReport;
use super::trace::Trace;
use crate::engine;
use crate::engine::metrics::{default_metrics, metric_label};
use crate::error::Error;
use crate::model::Model;
use crate::num::binary::f64_to_decimal;
use crate::render::chart::Chart;
use crate::render::{count, counted};
use crate::render::{for_people, Block, Cell, Document, Report, Table};
use crate::sensitivity::tornado::{tornado, Request};
use crate::sensitivity::{overflow, parse_metric, Evaluator, Progress};
use crate::uncertainty_analysis::Sampler;

/// The mark of an assumption without a published source.
pub const UNSOURCED: &str = "⚠";

/// Everything the HTML briefing shows.
#[derive(Debug, Clone)]
pub struct Briefing {
    /// With sentences that add up as printed.
    pub brief: Brief,
    /// The `run` report, for the official, parallel and effective rates by month.
    pub rates: RunReport,
    /// Where the dollars went over the period (`trace`), drawn as a flow diagram.
    pub trace: Trace,
    /// What moves the parallel rate most (`tornado --metric parallel_rate`).
    pub tornado: TornadoReport,
    /// The parallel rate's spread, when the model has `[uncertainty]`.
    pub fan: Option<FanData>,
}

/// JSON is the brief's (the page is the only form the briefing has besides).
impl Serialize for Briefing {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.brief.serialize(s)
    }
}

/// Draws of the briefing's Monte Carlo run unless asked otherwise.
pub const DRAWS: u64 = 4000;

/// The most draws a briefing's Monte Carlo run makes.
pub const MAX_BRIEF_DRAWS: u64 = 1_000_000;

/// Refuses a briefing Monte Carlo run of no draws or of more than a million.
pub fn check_draws(draws: u64) -> Result<(), Error> {
    if draws == 0 || draws > MAX_BRIEF_DRAWS {
        return Err(Error::Usage(format!(
            "--draws must be from 1 to {}",
            count(MAX_BRIEF_DRAWS)
        )));
    }
    Ok(())
}

impl Briefing {
    /// Every part of the HTML briefing of `model`, each built as its own
    /// command builds it; the fan chart from `draws` Monte Carlo draws
    /// with `seed`; every run is counted on `progress`, which may stop
    /// them.
    pub fn build(model: &Model, draws: u64, seed: u64, progress: &dyn Progress) -> Result<Briefing, Error> {
        let overflow = |e| Error::Engine(overflow(model, e));
        let result = engine::run_with_postings(model)?;
        let brief = Brief::adding_up(model, &result, progress)
            .map_err(overflow)?
            .with_how_sure(model, draws, seed, progress)?;
        let rates = RunReport::new(model, &result).map_err(overflow)?;
        let trace = Trace::new(model, &result, None, false).map_err(overflow)?;
        let metric = parse_metric(model, default_metrics(&model.base)[0])?;
        let req = Request {
            metric,
            params: Vec::new(),
            swing_pct: Decimal::TEN,
            forms: Vec::new(),
        };
        let tornado = TornadoReport::new(model, tornado(&Evaluator::new(model), &req, progress)?)
            .with_unit(metric.id.unit());
        let fan = if model.uncertainty.is_empty() {
            None
        } else {
            fans(model, &[metric], draws, seed, Sampler::Random, progress)?.pop()
        };
        Ok(Briefing {
            brief,
            rates,
            trace,
            tornado,
            fan,
        })
    }

    fn chart(doc: &mut Document, chart: Option<Chart>) {
        if let Some(c) = chart {
            doc.push(Block::Chart(Box::new(c)));
        }
    }

    /// A sentence on the Monte Carlo run, its figures rounded for people.
    fn how_sure(&self, f: &FanData) -> String {
        let shown = |v: f64| {
            // Eight places are far finer than three significant figures.
            f64_to_decimal(v, 8).map_or_else(|| v.to_string(), |d| for_people(d, &f.unit))
        };
        if f.draws < 2 {
            return format!(
                "In the one draw of the model's [uncertainty] (random sampler, seed {}), the average {} is {}; a range needs more draws (--draws).",
                f.seed,
                in_words(&f.metric),
                shown(f.summary[1])
            );
        }
        format!(
            "Over {} draws of the model's [uncertainty] (random sampler, seed {}), the average {} lies between {} and {} in 90% of draws (P5–P95), median {}.",
            count(f.draws),
            f.seed,
            in_words(&f.metric),
            shown(f.summary[0]),
            shown(f.summary[2]),
            shown(f.summary[1])
        )
    }

    /// A sentence on the parameter that moves the headline most, its
    /// figures rounded for people.
    fn matters_most(&self) -> Option<String> {
        let t = &self.tornado;
        let top = t.tornado.bars.first()?;
        Some(format!(
            "Of the parameters moved one at a time, {} moves the {} {} most: from {} to {}.",
            top.path,
            if t.tornado.metric.ends_with("_usd") || t.tornado.metric.ends_with("_iqd") {
                "total"
            } else {
                "average"
            },
            in_words(&t.tornado.metric),
            for_people(top.metric_low, &t.unit),
            for_people(top.metric_high, &t.unit)
        ))
    }

    fn assumptions(&self, doc: &mut Document) {
        let a = &self.brief.assumptions;
        let table = |rows: &[&Assumption], mark: bool| {
            let mut t = Table::new(["path", "value", "unit", "source", "where"], 1)
                .text_column(2)
                .text_column(3)
                .text_column(4);
            for x in rows {
                let path = if mark {
                    format!("{UNSOURCED} {}", x.path)
                } else {
                    x.path.clone()
                };
                t.push([
                    Cell::Text(path),
                    Cell::num(x.value),
                    Cell::from(x.unit),
                    Cell::Text(x.provenance()),
                    Cell::Text(
                        x.location
                            .clone()
                            .unwrap_or_else(|| "not in the file (default)".into()),
                    ),
                ]);
            }
            t
        };
        let sourced: Vec<&Assumption> = a.params.iter().filter(|x| x.is_sourced()).collect();
        let unsourced: Vec<&Assumption> = a.params.iter().filter(|x| !x.is_sourced()).collect();
        doc.heading(2, "Assumptions")
            .line(format!(
                "Every parameter with its source and where the model file sets it. {} of {} have a published source; the other {} are assumptions, marked {UNSOURCED}.",
                sourced.len(),
                a.params.len(),
                unsourced.len()
            ))
            .heading(3, "With a published source")
            .table(table(&sourced, false))
            .heading(3, format!("{UNSOURCED} Without a published source (assumptions)"))
            .table(table(&unsourced, true));
        if !a.changes.is_empty() {
            doc.heading(3, "Changes over the timeline")
                .table(a.changes_table_to_read());
        }
        doc.line(format!("Calendar: {}", a.calendar));
    }
}

// `brief --format html` writes the briefing; its other formats are the brief's.
crate::render::formats!(Briefing: [Html]);

impl Report for Briefing {
    fn document(&self) -> Document {
        let b = &self.brief;
        let mut doc = Document::new();
        doc.heading(1, format!("Briefing: {}", b.model.name))
            .line(format!("{} · model file {}", b.period, b.model.file));
        for line in b.model.heading_lines() {
            doc.line(line);
        }
        if let Some(d) = &b.model.description {
            doc.line(d.clone());
        }
        doc.heading(2, "Headline figures").table(b.figures_table());
        let mut sentences = b.sentences.clone();
        // The Monte Carlo sentence is How sure's, below.
        sentences.extend(self.matters_most());
        doc.heading(2, "Main results").push(Block::Bullets(sentences));
        if self.rates.has_rates() {
            doc.heading(2, "Exchange rates");
            Self::chart(&mut doc, self.rates.chart());
        }
        if let Some(q) = &b.quarters {
            doc.heading(2, "Quarter by quarter")
                .table(super::quarters::table(q));
        }
        doc.heading(2, "Where the dollars went");
        Self::chart(&mut doc, self.trace.chart());
        doc.heading(2, "What matters most").line(
            "Each parameter moved on its own to a low and a high value with the others at base: the P10 and P90 of its [uncertainty] distribution, or base ± 10% when the model has none.",
        );
        Self::chart(&mut doc, self.tornado.chart());
        if let Some(r) = &b.rests_on {
            r.write(&mut doc);
        }
        if let Some(f) = &self.fan {
            doc.heading(2, "How sure").line(self.how_sure(f));
            if let Some(h) = &b.how_sure {
                doc.push(Block::Bullets(h.sentences()));
            }
            Self::chart(
                &mut doc,
                Some(Chart {
                    title: b.model.name.clone(),
                    subtitle: b.model.subtitle(format!(
                        "Monte Carlo over [uncertainty]: {}, seed {}",
                        counted(f.draws, "draw"),
                        f.seed
                    )),
                    footer: b.model.footer(),
                    panels: f.panels(),
                }),
            );
        }
        self.assumptions(&mut doc);
        doc.line("Made by dinarflow from the model file alone: the same file gives the same page.");
        doc
    }
}

/// A metric as a sentence names it: its label as a sentence goes on with
/// it (`net_revenue_usd` → "net oil revenue", `parallel_rate` → "parallel
/// rate"); a name without a label keeps its words.
fn in_words(metric: &str) -> String {
    match metric_label(metric) {
        Some((label, _)) => super::lower_first(&label),
        None => metric.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::in_words;

    #[test]
    fn a_metric_in_a_sentence_is_its_label_in_small_letters() {
        assert_eq!(in_words("net_revenue_usd"), "net oil revenue");
        assert_eq!(in_words("parallel_rate"), "parallel rate");
        assert_eq!(
            in_words("cpi_impact_pct"),
            "exchange-rate effect on consumer prices"
        );
        assert_eq!(in_words("revenue_usd[China]"), "revenue from China");
        assert_eq!(in_words("no_such_metric"), "no such metric");
    }
}
