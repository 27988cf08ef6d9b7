//! The briefing: the handful of figures a briefing note needs, with units
//! and thousands separators, a few plain sentences stating the results, and
//! the assumptions behind them with their sources.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::assumptions::{Assumption, Assumptions};
use super::{span_words, ModelInfo};
use crate::engine::metrics::{Agg, Core, MetricId};
use crate::engine::Run;
use crate::model::{Model, ParamId, Part};
use crate::num::decimal::{clean, Checked, Overflow};
use crate::render::{
    display, usd_words, usd_words_adding, Block, Book, Cell, Document, Report, Sheet, Table,
};
use crate::report::rests_on::RestsOn;

/// One headline figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Indented for the table ("  of which …"); trimmed in JSON.
    #[serde(serialize_with = "trimmed")]
    pub label: String,
    /// The figure, exact: a total over the period, an average or a peak.
    pub value: Decimal,
    /// Its unit as printed: `USD`, `IQD/USD`, `%`, `flights`.
    pub unit: &'static str,
    /// Decimal places shown.
    #[serde(skip)]
    pub dp: u32,
    /// e.g. "in 2023-01" for a peak.
    pub detail: String,
}

fn trimmed<S: Serializer>(label: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(label.trim())
}

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
}

fn total(run: &Run, c: Core) -> Result<Decimal, Overflow> {
    let id = MetricId::Core(c);
    id.summary().apply(&id.series(run))
}

/// Largest monthly value of a metric and its month.
fn peak(model: &Model, run: &Run, id: MetricId) -> (Decimal, String) {
    let series = id.series(run);
    let mut best: Option<(Decimal, usize)> = None;
    for (i, v) in series.iter().enumerate() {
        if best.is_none_or(|(b, _)| *v > b) {
            best = Some((*v, i));
        }
    }
    best.map_or((Decimal::ZERO, String::new()), |(v, i)| {
        (v, model.timeline.months[i].month.to_string())
    })
}

fn fig(label: impl Into<String>, value: Decimal, unit: &'static str, dp: u32) -> Figure {
    Figure {
        label: label.into(),
        value: clean(value),
        unit,
        dp,
        detail: String::new(),
    }
}

fn pct_of(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        Decimal::ZERO
    } else {
        part.checked_div(whole)
            .and_then(|q| q.checked_mul(Decimal::ONE_HUNDRED))
            .unwrap_or(Decimal::MAX)
            .round_dp(1)
    }
}

/// "a, b and c".
fn join_words(parts: &[String]) -> String {
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// A total and its parts in words: adding up as printed, or each rounded
/// on its own.
fn prose(adding: bool, total: Decimal, parts: &[Decimal]) -> Vec<String> {
    if adding {
        usd_words_adding(total, parts)
    } else {
        [total].iter().chain(parts).map(|d| usd_words(*d)).collect()
    }
}

/// An exchange rate for prose: whole dinars, or four places below 10.
fn rate_words(d: Decimal) -> String {
    if d.abs() < Decimal::TEN {
        display(d, 4)
    } else {
        display(d, 0)
    }
}

impl Brief {
    /// The briefing on `run` of `model`, each amount in its sentences rounded on its own.
    pub fn new(model: &Model, run: &Run) -> Result<Self, Overflow> {
        Brief::build(model, run, false)
    }

    /// The briefing with amounts in its sentences that add up as printed
    /// (gross = deductions + net; payments = their parts): all of a sum in
    /// one unit, the parts rounded by largest remainder.
    pub fn adding_up(model: &Model, run: &Run) -> Result<Self, Overflow> {
        Brief::build(model, run, true)
    }

    fn build(model: &Model, run: &Run, adding: bool) -> Result<Self, Overflow> {
        let t = &model.timeline;
        let (airlift, market) = (model.base.has(Part::Airlift), model.base.has(Part::Market));
        let gross = total(run, Core::GrossRevenue)?;
        let net = total(run, Core::NetRevenue)?;
        let shipped = total(run, Core::CashShipped)?;
        let flights = total(run, Core::Flights)?;
        let cost = total(run, Core::AirliftCost)?;
        let cash_sold = total(run, Core::CashSold)?;
        let wires_sent = total(run, Core::WiresSent)?;
        let sold = cash_sold.add(wires_sent, "dollars sold")?;
        let requests = total(run, Core::Requests)?;
        let rejected = total(run, Core::WiresRejected)?;
        let wire_requests = run
            .months
            .iter()
            .try_fold(Decimal::ZERO, |a, m| a.add(m.wires_req, "wire requests"))?;
        let unmet = total(run, Core::Unmet)?;
        let arrears = total(run, Core::Arrears)?;
        let parallel = total(run, Core::ParallelRate)?;
        let (parallel_peak, parallel_peak_month) = peak(model, run, MetricId::Core(Core::ParallelRate));
        let premium = total(run, Core::PremiumPct)?;
        let (premium_peak, premium_peak_month) = peak(model, run, MetricId::Core(Core::PremiumPct));
        let effective = total(run, Core::EffectiveRate)?;
        let cpi = total(run, Core::CpiImpactPct)?;
        let (cpi_peak, cpi_peak_month) = peak(model, run, MetricId::Core(Core::CpiImpactPct));
        let yoy = MetricId::Core(Core::CpiYoyPct);
        // Year-on-year CPI is reported when the model says what inflation
        // runs at from other causes; without it, it only restates the impact.
        let with_yoy = market && model.base.prices.underlying_inflation.is_some();
        let (cpi_yoy, cpi_yoy_last) = if with_yoy {
            (
                yoy.summary().apply(&yoy.series(run))?,
                Agg::Last.apply(&yoy.series(run))?,
            )
        } else {
            (Decimal::ZERO, Decimal::ZERO)
        };

        let mut figures = vec![fig("Gross oil revenue", gross, "USD", 2)];
        let mut deductions = Vec::new();
        for (i, d) in model.base.deductions.iter().enumerate() {
            let v = Agg::Sum.apply(&MetricId::Deduction(i).series(run))?;
            figures.push(fig(format!("{} deduction", d.name), v, "USD", 2));
            deductions.push((d.name.as_str(), v));
        }
        // gross = deductions + net, in words.
        let mut amounts: Vec<Decimal> = deductions.iter().map(|d| d.1).collect();
        amounts.push(net);
        let words = prose(adding, gross, &amounts);
        let deduction_words: Vec<String> = deductions
            .iter()
            .zip(&words[1..])
            .filter(|((_, v), _)| !v.is_zero())
            .map(|((name, _), w)| format!("{w} for {name}"))
            .collect();
        figures.push(fig("Net revenue into custody", net, "USD", 2));
        if airlift {
            figures.push(fig("Banknotes flown to Baghdad", shipped, "USD", 2));
            figures.push(fig("Flights", flights, "flights", 0));
            figures.push(fig(
                "Airlift cost (transport, security, insurance)",
                cost,
                "USD",
                2,
            ));
        }
        if market {
            figures.push(fig("Dollars sold at the auction", sold, "USD", 2));
            figures.push(fig("  of which banknotes", cash_sold, "USD", 2));
            figures.push(fig("  of which wire transfers", wires_sent, "USD", 2));
            figures.push(fig("Wire transfers rejected", rejected, "USD", 2));
            figures.push(fig("Unmet dollar demand", unmet, "USD", 2));
        }
        if !arrears.is_zero() {
            figures.push(fig(
                "Arrears (unpaid payments and airlift costs)",
                arrears,
                "USD",
                2,
            ));
        }
        let mut largest: Option<(String, Decimal)> = None;
        // Rates and percentages are means of the monthly values: said so,
        // with the months, in every label and sentence.
        let span = span_words(t.start, t.end());
        let mean = format!("mean {span}");
        if market {
            figures.push(fig(format!("Parallel rate, {mean}"), parallel, "IQD/USD", 2));
            figures.push(Figure {
                detail: format!("in {parallel_peak_month}"),
                ..fig("Parallel rate, peak", parallel_peak, "IQD/USD", 2)
            });
            figures.push(fig(
                format!("Premium over the official rate in force, {mean}"),
                premium,
                "%",
                2,
            ));
            figures.push(Figure {
                detail: format!("in {premium_peak_month}"),
                ..fig(
                    "Premium over the official rate in force, peak",
                    premium_peak,
                    "%",
                    2,
                )
            });
            figures.push(fig(
                format!("Effective import rate, {mean}"),
                effective,
                "IQD/USD",
                2,
            ));
            figures.push(fig(format!("CPI impact, {mean}"), cpi, "%", 2));
            if with_yoy {
                figures.push(fig(
                    format!("CPI inflation, year on year, {mean}"),
                    cpi_yoy,
                    "%",
                    2,
                ));
                figures.push(Figure {
                    detail: format!("in {}", t.end()),
                    ..fig("CPI inflation, year on year, last month", cpi_yoy_last, "%", 2)
                });
            }
            for (i, item) in model.base.prices.basket.iter().enumerate() {
                let v = Agg::Mean.apply(&MetricId::PriceImpact(i).series(run))?;
                if largest.as_ref().is_none_or(|(_, b)| v.abs() > b.abs()) {
                    largest = Some((item.name.clone(), v));
                }
            }
            if let Some((name, v)) = &largest {
                figures.push(fig(format!("Largest basket impact: {name}, {mean}"), *v, "%", 2));
            }
        }

        let period = format!("{} to {} ({} months)", t.start, t.end(), t.months.len());
        let mut sentences = Vec::new();
        let deducted = if deduction_words.is_empty() {
            "with nothing deducted".to_string()
        } else {
            format!("after deductions of {}", join_words(&deduction_words))
        };
        sentences.push(format!(
            "From {} to {}, oil exports earned {} gross; {deducted}, {} reached {}.",
            t.start,
            t.end(),
            words[0],
            words[words.len() - 1],
            match &model.base.custody.name {
                Some(name) => format!("the custody account ({name})"),
                None => "the custody account (the CBI's account at the New York Fed)".to_string(),
            }
        ));
        let payments = total(run, Core::Payments)?;
        if !payments.is_zero() {
            let mut amounts = Vec::new();
            for i in 0..model.base.custody.payments.len() {
                amounts.push(Agg::Sum.apply(&MetricId::Payment(i).series(run))?);
            }
            let words = prose(adding, payments, &amounts);
            let parts: Vec<String> = model
                .base
                .custody
                .payments
                .iter()
                .zip(&amounts)
                .zip(&words[1..])
                .filter(|((_, v), _)| !v.is_zero())
                .map(|((p, _), w)| format!("{} {w}", p.name))
                .collect();
            sentences.push(match &model.base.custody.name {
                // Another account (a UN escrow): its payments are not the government's.
                Some(name) => format!(
                    "Payments out of the custody account ({name}) took {} ({}).",
                    words[0],
                    parts.join("; ")
                ),
                None => format!(
                    "Government payments abroad took {} out of custody ({}).",
                    words[0],
                    parts.join("; ")
                ),
            });
        }
        if !shipped.is_zero() {
            sentences.push(format!(
                "The CBI flew {} in banknotes to Baghdad on {} flights, at a cost of {} to the treasury.",
                usd_words(shipped),
                display(flights, 0),
                usd_words(cost)
            ));
        }
        if !requests.is_zero() {
            sentences.push(format!(
                "Banks asked the auction for {}; it sold {}, screening rejected {} of wire transfers ({}% of wire requests), and {} of dollar demand went unmet.",
                usd_words(requests),
                usd_words(sold),
                usd_words(rejected),
                display(pct_of(rejected, wire_requests), 1),
                usd_words(unmet)
            ));
        }
        if market {
            sentences.push(rates_sentence(
                run,
                &span,
                (parallel, parallel_peak, &short(&parallel_peak_month)),
                (premium, premium_peak, &short(&premium_peak_month)),
            ));
            let direction = if cpi < Decimal::ZERO { "lower" } else { "higher" };
            let reference = if model.changes_of(ParamId::ReferenceRate).next().is_some() {
                "the reference rate in force each month".to_string()
            } else {
                format!(
                    "the reference rate of {}",
                    rate_words(model.base.prices.reference_rate.value)
                )
            };
            let mut prices = format!(
                "At an effective import rate averaging {} IQD per dollar over {span}, consumer prices are {}% {direction} on average than at {reference} (the mean of the monthly impacts; peak {}% in {})",
                rate_words(effective),
                display(cpi.abs(), 2),
                display(cpi_peak, 2),
                short(&cpi_peak_month)
            );
            if let Some((name, v)) = &largest {
                prices.push_str(&format!(
                    "; the largest effect is on {name} ({}% on average)",
                    display(*v, 2)
                ));
            }
            prices.push('.');
            sentences.push(prices);
            if with_yoy {
                sentences.push(format!(
                "With {}% a year of inflation from other causes, year-on-year CPI inflation averages {}% over {span} (the mean of the monthly rates; {}% in {}).",
                display(model.base.prices.underlying_inflation.as_ref().map_or(Decimal::ZERO, |p| p.value), 1),
                display(cpi_yoy, 2),
                display(cpi_yoy_last, 2),
                t.end().short_name()
            ));
            }
        }
        if !arrears.is_zero() {
            sentences.push(format!(
                "Custody ran short: {} of payments and airlift costs went unpaid.",
                usd_words(arrears)
            ));
        }
        if let Some(s) = fitted_sentence(model) {
            sentences.push(s);
        }
        let headline_metric = crate::engine::metrics::default_metrics(&model.base)[0];
        Ok(Brief {
            model: ModelInfo::of(model),
            period,
            figures,
            sentences,
            assumptions: Assumptions::of(model),
            rests_on: RestsOn::of(model, headline_metric),
            headline_metric,
        })
    }

    pub(crate) fn figures_table(&self) -> Table {
        let mut t = Table::new(["figure", "value", "unit", "when"], 1)
            .text_column(2)
            .text_column(3);
        for f in &self.figures {
            t.push([
                Cell::from(&f.label),
                Cell::fixed(f.value, f.dp),
                Cell::from(f.unit),
                Cell::from(&f.detail),
            ]);
        }
        t
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

impl Report for Brief {
    /// The figures, the sentences, then every assumption and the model.
    fn book(&self) -> Option<Book> {
        let mut results = Table::new(["main result"], 1).wrap(0, 100);
        for s in &self.sentences {
            results.push([s.as_str()]);
        }
        Some(self.model.book(vec![
            Sheet::from_table("Brief", &self.figures_table()).frozen(1),
            Sheet::from_table("Main results", &results),
        ]))
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
            doc.table(self.assumptions.changes_table());
        }
        doc.blank()
            .line(format!("Calendar: {}", self.assumptions.calendar))
            .blank()
            .line(format!(
                "How sure, and what matters most: `dinarflow mc MODEL` gives P5–P95 ranges from [uncertainty]; \
                 `dinarflow tornado MODEL --metric {}` ranks the assumptions.",
                self.headline_metric
            ));
        doc
    }
}

/// `2023-01` as `Jan 2023`.
fn short(month: &str) -> String {
    month
        .parse::<crate::calendar::YearMonth>()
        .map_or_else(|_| month.to_string(), crate::calendar::YearMonth::short_name)
}

/// The parallel rate's sentence: its mean over the months, and its
/// premium over the official rate in force each month (the mean of the
/// monthly premiums), naming the official rate's steps; never a mean
/// official rate, which was never in force.
fn rates_sentence(
    run: &Run,
    span: &str,
    (parallel, parallel_peak, parallel_month): (Decimal, Decimal, &str),
    (premium, premium_peak, premium_month): (Decimal, Decimal, &str),
) -> String {
    let official = MetricId::Core(Core::OfficialRate).series(run);
    let mut steps: Vec<(Decimal, usize, usize)> = Vec::new();
    for (i, v) in official.iter().enumerate() {
        match steps.last_mut() {
            Some(s) if s.0 == *v => s.2 = i,
            _ => steps.push((*v, i, i)),
        }
    }
    let month = |i: usize| {
        run.months
            .get(i)
            .and_then(|m| m.month)
            .map_or_else(String::new, crate::calendar::YearMonth::short_name)
    };
    let head = format!(
        "The parallel rate averaged {} IQD per dollar over {span} (the mean of its monthly rates; peak {} in {parallel_month})",
        rate_words(parallel),
        rate_words(parallel_peak)
    );
    let above = if premium < Decimal::ZERO { "below" } else { "above" };
    match steps.as_slice() {
        [(rate, _, _)] => format!(
            "{head}, {}% {above} the official rate of {} on average (peak {}% in {premium_month}).",
            display(premium.abs(), 1),
            rate_words(*rate),
            display(premium_peak, 1)
        ),
        _ => {
            let n = steps.len();
            let schedule = if n <= 4 {
                let parts: Vec<String> = steps
                    .iter()
                    .enumerate()
                    .map(|(k, (rate, from, to))| match k {
                        0 => format!("{} to {}", rate_words(*rate), month(*to)),
                        _ if k + 1 == n => format!("{} from {}", rate_words(*rate), month(*from)),
                        _ => format!("{} from {} to {}", rate_words(*rate), month(*from), month(*to)),
                    })
                    .collect();
                join_words(&parts)
            } else {
                format!("changed {} times", n - 1)
            };
            format!(
                "{head}; month by month it stood {}% {above} the official rate in force on average (the mean of the monthly premiums; peak {}% in {premium_month}), the official rate being {schedule}.",
                display(premium.abs(), 1),
                display(premium_peak, 1)
            )
        }
    }
}

/// Marks a value `dinarflow fit --write-model` wrote.
const FITTED: &str = "dinarflow fit";

/// "Fitted: …" naming the parameters whose source is a fit and the
/// figures downstream of them, or `None` when nothing was fitted.
fn fitted_sentence(model: &Model) -> Option<String> {
    let mut paths: Vec<String> = Vec::new();
    let fitted = |p: &crate::model::Param| p.origin.source.as_deref().is_some_and(|s| s.starts_with(FITTED));
    for id in model.base.ids() {
        let path = model.base.path(id);
        if fitted(model.base.param(id)) && !paths.contains(&path) {
            paths.push(path);
        }
    }
    for c in &model.changes {
        let path = format!("{}@{}", model.base.path(c.param), c.month);
        if fitted(&c.value) && !paths.contains(&path) {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return None;
    }
    let rank = |p: &String| match p.split('.').next().unwrap_or("") {
        "prices" => 1,
        "parallel_market" => 2,
        "auction" => 3,
        _ => 4,
    };
    let figures = match paths.iter().map(rank).max().unwrap_or(4) {
        1 => "the CPI figures",
        2 => "the parallel rate, the premium, the effective rate and the CPI figures",
        3 => "the auction's sales, rejections and unmet demand, the parallel rate, the premium, the effective rate and the CPI figures",
        _ => "every figure",
    };
    Some(format!(
        "Fitted: {figures} rest on parameters estimated with dinarflow fit (their sources name the observed data): {}.",
        join_words(&paths)
    ))
}
