//! The brief's "How sure": the 80% band of the headline rate and of CPI
//! inflation in the last month of the run, from a seeded Monte Carlo run of
//! the model's `[uncertainty]`: the number a briefing note quotes beside
//! its forecast. The month's parallel rate carries the model's own error on
//! a quote (`[forecast_error]`), as `mc --metric parallel_rate@YYYY-MM`
//! draws it, so the band is one for the quote a reader will hold it
//! against. Rounded for people in the text; exact in JSON and the workbook.

use rust_decimal::Decimal;
use serde::Serialize;

use super::fan::sorted;
use crate::engine::metrics::{metric_label, MetricRef};
use crate::error::Error;
use crate::model::{Model, ParamId};
use crate::num::binary::f64_to_decimal_or_nearest;
use crate::render::for_people;
use crate::render::{count, counted, Cell, Sheet, Table};
use crate::uncertainty_analysis::request::{monte_carlo_watching_custody, Draws};
use crate::uncertainty_analysis::stats::percentile;
use crate::uncertainty_analysis::{Plan, Sampler};

/// One metric's band in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    /// `parallel_rate@2024-12`.
    pub metric: String,
    /// `Parallel rate`.
    pub label: String,
    /// The month, `2024-12`.
    pub month: String,
    /// The metric's unit, `IQD/USD` or `%`.
    pub unit: &'static str,
    /// P10, P50 and P90 over the draws, to 4 places.
    pub p10: Decimal,
    /// The median.
    pub p50: Decimal,
    /// P90.
    pub p90: Decimal,
    /// σ of the model's own error on a quote that the draws carry, in %.
    pub own_error_pct: Option<Decimal>,
}

/// The brief's Monte Carlo bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HowSure {
    /// Draws of the run.
    pub draws: u64,
    /// Its seed (`mc --seed`).
    pub seed: u64,
    /// The headline metric, then CPI inflation (with a market; without
    /// underlying inflation, the exchange-rate effect on prices), in the last month.
    pub bands: Vec<Band>,
    /// The share of the draws (0 to 1, 4 places) in which the custody
    /// account ran dry in some month (its balance reached 0): from then
    /// on approved wires go unmet, so these draws make the bands' far end.
    pub custody_dry_share: Decimal,
    /// "the custody account (…) runs dry by Dec 2024: from then on …",
    /// for the sentence.
    #[serde(skip)]
    runs_dry: String,
    /// Neither the opening custody balance nor any payment abroad has a
    /// published source or a fit: the sentence on dry draws says so.
    #[serde(skip)]
    custody_untested: bool,
    /// What picks the model on a command line
    /// ([`super::command_line::command_line`]), so that the commands the text
    /// suggests run the model briefed on.
    #[serde(skip)]
    pub rerun: String,
}

/// Whether the custody account's opening balance and every payment out of
/// it are untested assumptions (no source, no fit, no schedule): how soon
/// it runs dry then rests on nothing published.
fn custody_untested(model: &Model) -> bool {
    model
        .base
        .ids()
        .into_iter()
        .filter(|id| matches!(id, ParamId::OpeningBalance | ParamId::PaymentUsd(_)))
        .all(|id| super::rests_on::untested(model, id))
}

/// The draws whose lowest custody balance (`lowest`) reached 0.
fn dry_count(lowest: &[f64]) -> u64 {
    lowest.iter().filter(|v| **v <= 0.0).count() as u64
}

/// The share of `n` draws that `dry` is, 0 to 1, to 4 places.
pub(crate) fn dry_share(dry: u64, n: u64) -> Decimal {
    Decimal::from(dry)
        .checked_div(Decimal::from(n.max(1)))
        .unwrap_or_default()
        .round_dp(4)
}

/// `mc`'s note on the draws in which the custody account ran dry, from
/// each draw's lowest balance (`lowest`), if any did: they explain a far
/// tail that no input's rank correlation names.
pub fn dry_note(model: &Model, lowest: &[f64]) -> Option<String> {
    let dry = dry_count(lowest);
    let n = lowest.len() as u64;
    if dry == 0 {
        return None;
    }
    Some(format!(
        "note: in {} of the draws ({} of {}) {}; `--metric custody_balance_usd:min` gives the account's lowest balance in each draw",
        for_people(dry_share(dry, n) * Decimal::ONE_HUNDRED, "%"),
        count(dry),
        count(n),
        runs_dry(model),
    ))
}

/// What a custody account that runs dry in a draw means, in words: "the
/// custody account (…) runs dry by Dec 2024: from then on …". `brief`'s
/// How sure and `mc`'s note both say it.
pub(crate) fn runs_dry(model: &Model) -> String {
    let then = if model.base.has(crate::model::Part::Market) {
        "the auction cannot send every approved wire and the rest goes unmet"
    } else {
        "what the account cannot pay goes into arrears"
    };
    let end = model.timeline.end().short_name();
    format!(
        "{} runs dry by {end}: from then on {then}",
        super::dry::custody_words(model)
    )
}

impl HowSure {
    /// The bands of `model` from `draws` draws with `seed`, counted on
    /// `progress` (which may stop them); `None` for a model without
    /// `[uncertainty]`.
    pub fn of(
        model: &Model,
        draws: u64,
        seed: u64,
        progress: &dyn crate::sensitivity::Progress,
    ) -> Result<Option<HowSure>, Error> {
        if model.uncertainty.is_empty() {
            return Ok(None);
        }
        let last = model.timeline.end();
        let headline = crate::engine::metrics::default_metrics(&model.base)[0];
        let mut names = vec![headline];
        if model.base.has(crate::model::Part::Market) {
            // Without underlying inflation, cpi_yoy_pct is the
            // exchange-rate effect alone: the brief names it so.
            names.push(if model.base.prices.underlying_inflation.is_some() {
                "cpi_yoy_pct"
            } else {
                "cpi_impact_pct"
            });
        }
        let refs = names
            .iter()
            .map(|n| MetricRef::parse(&format!("{n}@{last}"), &model.base, &model.timeline))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Error::Usage)?;
        let plan = Plan::new(model)?;
        let run = Draws {
            n: draws,
            seed,
            sampler: Sampler::Random,
        };
        // Each draw's lowest custody balance too, to count the draws it ran dry in.
        let (samples, _, lowest) = monte_carlo_watching_custody(model, &plan, &refs, run, &[], progress)?;
        let bands = names
            .iter()
            .zip(&refs)
            .zip(&samples.metrics)
            .map(|((name, r), col)| {
                let s = sorted(col);
                // Engine values stay within a Decimal's range, so a
                // percentile always has a decimal (past ~9.7e24, the nearest).
                let at = |q: f64| f64_to_decimal_or_nearest(percentile(&s, q), 4).unwrap_or_default();
                // Exact here (JSON, the workbook); the sentence rounds it.
                let own_error_pct = model
                    .quote_error_of(name)
                    .map(|e| (e.sigma * Decimal::ONE_HUNDRED).normalize());
                Band {
                    metric: format!("{name}@{last}"),
                    label: metric_label(name).map_or_else(|| name.to_string(), |l| l.0),
                    month: last.to_string(),
                    unit: r.id.unit(),
                    p10: at(0.10),
                    p50: at(0.50),
                    p90: at(0.90),
                    own_error_pct,
                }
            })
            .collect();
        Ok(Some(HowSure {
            draws,
            seed,
            bands,
            custody_dry_share: dry_share(dry_count(&lowest), draws),
            runs_dry: runs_dry(model),
            custody_untested: custody_untested(model),
            rerun: super::command_line::command_line(model),
        }))
    }

    /// One sentence per band, rounded for people, and one on the draws in
    /// which the custody account ran dry, if any did.
    pub fn sentences(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .bands
            .iter()
            .map(|b| {
                let what = match &b.own_error_pct {
                    Some(s) => format!(
                        "the model's [uncertainty] and its own error on a quote (σ {}%), so this is a band for a quote",
                        crate::model::sigma_pct(*s / Decimal::ONE_HUNDRED)
                    ),
                    // A reader takes a band for a forecast range: say
                    // that this one leaves out how far a reading strays.
                    None => "the spread of the model's [uncertainty] alone, with no error of its own on a reading \
                             ([forecast_error] has none for it), so a reading can fall outside it more often than one time in five"
                        .to_string(),
                };
                // "1,490 and 1,643 IQD per $", the unit once.
                let (lo, hi) = super::people_range(b.p10, b.p90, b.unit);
                let sep = if b.label.contains(',') { "," } else { "" };
                if self.draws < 2 {
                    return format!(
                        "{}{sep} in {}: {} in the one draw; a band needs more draws (--draws).",
                        b.label,
                        b.month_text(),
                        for_people(b.p50, b.unit),
                    );
                }
                format!(
                    "{}{sep} in {}: between {lo} and {hi} in 80% of {} (P10–P90), median {}; the draws are {what}.",
                    b.label,
                    b.month_text(),
                    counted(self.draws, "draw"),
                    for_people(b.p50, b.unit),
                )
            })
            .collect();
        if let Some(s) = self.dry_sentence() {
            out.push(s);
        }
        out
    }

    /// What the draws in which custody ran dry do to the bands: said when
    /// at least 1% of them did (at 10% or more they reach into the band,
    /// at half the median, at 90% its lower end).
    fn dry_sentence(&self) -> Option<String> {
        let pct = self.custody_dry_share * Decimal::ONE_HUNDRED;
        if pct < Decimal::ONE {
            return None;
        }
        let effect = if pct >= Decimal::from(90) {
            "so the bands, from P10 to P90, are those of an auction short of dollars"
        } else if pct >= Decimal::from(50) {
            "so these draws make the median and the upper end of the bands"
        } else if pct >= Decimal::TEN {
            "so these draws make the upper end of the bands"
        } else {
            "so these draws lie beyond the bands' upper end, in the tail `mc` shows"
        };
        let unsourced = if self.custody_untested {
            ", none of them with a published source or a fit"
        } else {
            ""
        };
        Some(format!(
            "In {} of the draws {}, {effect}. \
             How soon it runs dry rests on custody.opening_balance_usd and the government's payments abroad (custody.payments){unsourced}, \
             beside the oil price; `dinarflow mc{} --metric custody_balance_usd:min` gives its spread.",
            for_people(pct, "%"),
            self.runs_dry,
            self.mc()
        ))
    }

    /// The options after `dinarflow mc` that draw what the brief drew: the
    /// model as picked, and the draws and seed where they are not `mc`'s.
    fn mc(&self) -> String {
        let mut o = self.rerun.clone();
        if self.draws != crate::uncertainty_analysis::request::DEFAULT_DRAWS {
            o.push_str(&format!(" -n {}", self.draws));
        }
        if self.seed != crate::uncertainty_analysis::request::DEFAULT_SEED {
            o.push_str(&format!(" --seed {}", self.seed));
        }
        o
    }

    /// The closing line: how the run was made and how to see more, and
    /// a warning when there are too few draws for the bands to mean much.
    pub fn method(&self) -> String {
        let first = self.bands.first().map_or("parallel_rate", |b| b.metric.as_str());
        let mut line = format!(
            "Monte Carlo: {} (random sampler, seed {}); `dinarflow mc{} --metric {first}` gives every statistic and what drives them.",
            counted(self.draws, "draw"),
            self.seed,
            self.mc()
        );
        if self.draws < ROUGH_BELOW {
            line.push_str(&format!(
                " With fewer than {ROUGH_BELOW} draws fewer than ten lie beyond each P10 and P90, \
                 so these bands are rough; the brief's default is 4,000 (--draws)."
            ));
        }
        line
    }

    /// The workbook's sheet: the bands, exact, and under them the share
    /// of the draws in which the custody account ran dry.
    pub fn sheet(&self) -> Sheet {
        let mut sheet = Sheet::from_table("How sure", &self.table()).frozen(1);
        sheet.rows.push(Vec::new());
        sheet.rows.push(vec![
            Cell::from("custody ran dry (custody_balance_usd:min = 0), share of draws"),
            Cell::num(self.custody_dry_share),
        ]);
        sheet
    }

    /// The bands, exact, for the workbook.
    pub fn table(&self) -> Table {
        let mut t = Table::new(["metric", "P10", "median", "P90", "own error σ %"], 1);
        for b in &self.bands {
            t.push([
                crate::render::Cell::from(&b.metric),
                crate::render::Cell::num(b.p10),
                crate::render::Cell::num(b.p50),
                crate::render::Cell::num(b.p90),
                b.own_error_pct
                    .map_or(crate::render::Cell::Empty, crate::render::Cell::num),
            ]);
        }
        t
    }
}

/// Below this many draws the bands are called rough: a P10 or P90 is
/// then interpolated between fewer than ten draws beyond it.
const ROUGH_BELOW: u64 = 100;

impl Band {
    /// `Dec 2024`.
    fn month_text(&self) -> String {
        self.month
            .parse::<crate::calendar::YearMonth>()
            .map_or_else(|_| self.month.clone(), |m| m.short_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_str;
    use crate::model::testing::SMALL;

    /// small.toml leaves $904,600 in custody at the end of February with
    /// $500,000 a month of payments; each dollar more a month takes two
    /// out by then, so the account runs dry when the payments exceed
    /// 500,000 + 904,600 / 2 = $952,300 a month: drawn uniform from 0 to
    /// $4M, in 1 − 952,300 / 4,000,000 = 76.2% of the draws.
    #[test]
    fn the_draws_in_which_custody_runs_dry_are_counted_and_named() {
        let text = SMALL.replace(
            "[custody]\n",
            "[custody]\nname = \"Escrow at the bank\"\n",
        ) + "\n[uncertainty]\n\"custody.payments[Debt service].usd_per_month\" = { dist = \"uniform\", min = 0, max = 4000000 }\n";
        let model = load_str("small.toml", &text).unwrap();
        let h = HowSure::of(&model, 4000, 1, &crate::sensitivity::Silent)
            .unwrap()
            .unwrap();
        let share = h.custody_dry_share;
        // The sampling error of a share near 0.76 over 4,000 draws is 0.007.
        assert!(
            (share - Decimal::new(762, 3)).abs() < Decimal::new(25, 3),
            "{share}"
        );
        let last = h.sentences().pop().unwrap();
        assert!(
            last.starts_with("In 7")
                && last.contains(
                    "% of the draws the custody account (Escrow at the bank) runs dry by Feb 2023: "
                ),
            "{last}"
        );
        // Over half the draws: the median is a dry account's too.
        assert!(
            last.contains("so these draws make the median and the upper end of the bands."),
            "{last}"
        );
    }
}
