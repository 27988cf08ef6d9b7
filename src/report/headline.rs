//! The brief's headline figures: the period's totals, means and peaks
//! worked out once from a run ([`Totals`]), the figures a briefing note
//! quotes from them, from gross oil revenue down the chain to the CPI
//! impact ([`Figure`]), and the two tables they are shown in: rounded
//! for people in the brief's text, Markdown and HTML, exact in its
//! workbook. Rounding is for display only and happens in the table:
//! every figure keeps its exact value.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::calendar::YearMonth;
use crate::engine::metrics::{Agg, Core, MetricId};
use crate::engine::Run;
use crate::model::{Model, Part};
use crate::num::decimal::{clean, Checked, Overflow};
use crate::render::chart::month_name;
use crate::render::{Cell, Table};

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
    /// Decimal places the workbook shows.
    #[serde(skip)]
    pub dp: u32,
    /// The month a peak (or the last month's figure) is in, `2023-01`;
    /// `None` for a total or a mean. Shown for people as `Jan 2023`.
    pub month: Option<String>,
}

fn trimmed<S: Serializer>(label: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(label.trim())
}

/// A mean over the months, and the largest and smallest months with their `YYYY-MM`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Peaked {
    /// The mean of the monthly values.
    pub mean: Decimal,
    /// The largest monthly value.
    pub peak: Decimal,
    /// Its month, `2023-01` (empty for a run of no months).
    pub month: String,
    /// The smallest monthly value.
    pub low: Decimal,
    /// Its month (the first, on a tie; empty for a run of no months).
    pub low_month: String,
}

/// Everything the brief says, worked out from a run: the period's totals
/// (in USD unless named otherwise), the rates' and percentages' means and
/// peaks, and which parts of the chain the model has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Totals {
    pub airlift: bool,
    pub market: bool,
    pub gross: Decimal,
    pub net: Decimal,
    /// Each deduction's name and total, in the model's order.
    pub deductions: Vec<(String, Decimal)>,
    pub payments: Decimal,
    /// Each payment's total, in the model's order.
    pub payment_parts: Vec<Decimal>,
    pub shipped: Decimal,
    /// A count.
    pub flights: Decimal,
    pub cost: Decimal,
    pub cash_sold: Decimal,
    pub wires_sent: Decimal,
    pub sold: Decimal,
    pub requests: Decimal,
    pub rejected: Decimal,
    pub wire_requests: Decimal,
    pub unmet: Decimal,
    /// The first month custody ended empty after holding dollars
    /// (`2026-01`), when it did.
    pub custody_dry: Option<String>,
    pub arrears: Decimal,
    /// IQD per USD.
    pub parallel: Peaked,
    /// Percent over the official rate in force.
    pub premium: Peaked,
    /// IQD per USD, mean.
    pub effective: Decimal,
    /// Percent.
    pub cpi: Peaked,
    /// Year-on-year CPI inflation, percent: its mean and last month, when
    /// the model says what inflation runs at from other causes.
    pub yoy: Option<(Decimal, Decimal)>,
    /// The basket item whose mean price impact (percent) is largest.
    pub largest: Option<(String, Decimal)>,
    /// The months in words, `Nov 2022–Dec 2024`.
    pub span: String,
}

fn total(run: &Run, c: Core) -> Result<Decimal, Overflow> {
    let id = MetricId::Core(c);
    id.summary().apply(&id.series(run))
}

/// The summary (mean) of a metric, and its largest and smallest months
/// (the first of equal ones).
fn peaked(model: &Model, run: &Run, c: Core) -> Result<Peaked, Overflow> {
    let series = MetricId::Core(c).series(run);
    let month = |i: usize| model.timeline.months[i].month.to_string();
    let pick = |better: fn(&Decimal, &Decimal) -> bool| {
        let mut best: Option<(Decimal, usize)> = None;
        for (i, v) in series.iter().enumerate() {
            if best.is_none_or(|(b, _)| better(v, &b)) {
                best = Some((*v, i));
            }
        }
        best.map_or((Decimal::ZERO, String::new()), |(v, i)| (v, month(i)))
    };
    let (peak, month) = pick(|v, b| v > b);
    let (low, low_month) = pick(|v, b| v < b);
    Ok(Peaked {
        mean: total(run, c)?,
        peak,
        month,
        low,
        low_month,
    })
}

fn sum(run: &Run, id: MetricId) -> Result<Decimal, Overflow> {
    Agg::Sum.apply(&id.series(run))
}

impl Totals {
    /// The totals of `run` of `model`.
    pub fn of(model: &Model, run: &Run) -> Result<Self, Overflow> {
        let t = &model.timeline;
        let market = model.base.has(Part::Market);
        let mut x = Totals {
            airlift: model.base.has(Part::Airlift),
            market,
            span: super::span_words(t.start, t.end()),
            ..Totals::default()
        };
        x.money(model, run)?;
        x.rates(model, run)?;
        Ok(x)
    }

    /// The dollar totals along the chain.
    fn money(&mut self, model: &Model, run: &Run) -> Result<(), Overflow> {
        self.gross = total(run, Core::GrossRevenue)?;
        self.net = total(run, Core::NetRevenue)?;
        for (i, d) in model.base.deductions.iter().enumerate() {
            self.deductions
                .push((d.name.clone(), sum(run, MetricId::Deduction(i))?));
        }
        self.payments = total(run, Core::Payments)?;
        for i in 0..model.base.custody.payments.len() {
            self.payment_parts.push(sum(run, MetricId::Payment(i))?);
        }
        self.shipped = total(run, Core::CashShipped)?;
        self.flights = total(run, Core::Flights)?;
        self.cost = total(run, Core::AirliftCost)?;
        self.cash_sold = total(run, Core::CashSold)?;
        self.wires_sent = total(run, Core::WiresSent)?;
        self.sold = self.cash_sold.add(self.wires_sent, "dollars sold")?;
        self.requests = total(run, Core::Requests)?;
        self.rejected = total(run, Core::WiresRejected)?;
        self.wire_requests = run
            .months
            .iter()
            .try_fold(Decimal::ZERO, |a, m| a.add(m.wires_req, "wire requests"))?;
        self.unmet = total(run, Core::Unmet)?;
        self.custody_dry = run.custody_dry(model).map(|m| m.to_string());
        self.arrears = total(run, Core::Arrears)?;
        Ok(())
    }

    /// The rates and percentages: means over the months and peaks.
    fn rates(&mut self, model: &Model, run: &Run) -> Result<(), Overflow> {
        self.parallel = peaked(model, run, Core::ParallelRate)?;
        self.premium = peaked(model, run, Core::PremiumPct)?;
        self.effective = total(run, Core::EffectiveRate)?;
        self.cpi = peaked(model, run, Core::CpiImpactPct)?;
        // Year-on-year CPI is reported when the model says what inflation
        // runs at from other causes; without it, it only restates the impact.
        if self.market && model.base.prices.underlying_inflation.is_some() {
            let yoy = MetricId::Core(Core::CpiYoyPct);
            let series = yoy.series(run);
            self.yoy = Some((yoy.summary().apply(&series)?, Agg::Last.apply(&series)?));
        }
        if self.market {
            for (i, item) in model.base.prices.basket.iter().enumerate() {
                let v = Agg::Mean.apply(&MetricId::PriceImpact(i).series(run))?;
                if self.largest.as_ref().is_none_or(|(_, b)| v.abs() > b.abs()) {
                    self.largest = Some((item.name.clone(), v));
                }
            }
        }
        Ok(())
    }
}

fn fig(label: impl Into<String>, value: Decimal, unit: &'static str, dp: u32) -> Figure {
    Figure {
        label: label.into(),
        value: clean(value),
        unit,
        dp,
        month: None,
    }
}

/// A peak, with the month it was in.
fn peak_fig(label: &str, p: &Peaked, unit: &'static str) -> Figure {
    Figure {
        month: Some(p.month.clone()),
        ..fig(label, p.peak, unit, 2)
    }
}

/// The headline figures of `x`, from gross oil revenue down the chain to
/// the CPI impact; `end` is the model's last month.
pub(crate) fn figures(x: &Totals, end: YearMonth) -> Vec<Figure> {
    let mut figures = money_figures(x);
    if x.market {
        figures.extend(rate_figures(x, end));
    }
    figures
}

/// Revenue, the airlift and the auction, in USD (flights counted).
fn money_figures(x: &Totals) -> Vec<Figure> {
    let usd = |label: &str, v: Decimal| fig(label, v, "USD", 2);
    let mut f = vec![usd("Gross oil revenue", x.gross)];
    for (name, v) in &x.deductions {
        f.push(usd(&format!("{name} deduction"), *v));
    }
    f.push(usd("Net revenue into custody", x.net));
    if x.airlift {
        f.push(usd("Banknotes flown to Baghdad", x.shipped));
        f.push(fig("Flights", x.flights, "flights", 0));
        f.push(usd("Airlift cost (transport, security, insurance)", x.cost));
    }
    if x.market {
        f.push(usd("Dollars sold at the auction", x.sold));
        f.push(usd("  of which banknotes", x.cash_sold));
        f.push(usd("  of which wire transfers", x.wires_sent));
        f.push(usd("Wire transfers rejected", x.rejected));
        f.push(usd("Unmet dollar demand", x.unmet));
    }
    if !x.arrears.is_zero() {
        f.push(usd("Arrears (unpaid payments and airlift costs)", x.arrears));
    }
    f
}

/// The rates and prices. Rates and percentages are means of the monthly
/// values: said so, with the months, in every label.
fn rate_figures(x: &Totals, end: YearMonth) -> Vec<Figure> {
    let mean = format!("mean {}", x.span);
    let premium = "Premium over the official rate in force";
    let mut f = vec![
        fig(format!("Parallel rate, {mean}"), x.parallel.mean, "IQD/USD", 2),
        peak_fig("Parallel rate, peak", &x.parallel, "IQD/USD"),
        fig(format!("{premium}, {mean}"), x.premium.mean, "%", 2),
        peak_fig(&format!("{premium}, peak"), &x.premium, "%"),
        fig(
            format!("Effective import rate, {mean}"),
            x.effective,
            "IQD/USD",
            2,
        ),
        fig(
            format!("Exchange-rate effect on consumer prices, {mean}"),
            x.cpi.mean,
            "%",
            2,
        ),
    ];
    if let Some((yoy, last)) = x.yoy {
        f.push(fig(format!("CPI inflation, year on year, {mean}"), yoy, "%", 2));
        f.push(Figure {
            month: Some(end.to_string()),
            ..fig("CPI inflation, year on year, last month", last, "%", 2)
        });
    }
    if let Some((name, v)) = &x.largest {
        f.push(fig(format!("Largest basket impact: {name}, {mean}"), *v, "%", 2));
    }
    f
}

/// The headline figures as the brief's text, Markdown and HTML show
/// them: each rounded for people (`$191.86 bn`, `1,532 IQD per $`,
/// `15.5%`, `52 flights`, as [`crate::render::for_people`] rounds), the
/// month of a peak, then the exact value. An economist pasting the table
/// into notes wants the rounded figure with its unit; the last column
/// keeps every digit to check it against (HTML leaves that column out and
/// shows the exact value as each figure's tooltip instead).
pub(crate) fn people_table(figures: &[Figure]) -> Table {
    let mut t = Table::new(["figure", "value", "when", "exact"], 1)
        .text_column(2)
        .exact_column(3)
        .fold_column(0);
    for f in figures {
        t.push([
            Cell::from(&f.label),
            Cell::rounded(f.value, f.unit),
            Cell::from(f.month.as_deref().map(month_name).unwrap_or_default()),
            // Every digit, money at least to the cent.
            Cell::fixed(f.value, f.dp.max(f.value.scale())),
        ]);
    }
    t
}

/// The headline figures exact, as the workbook holds them: the value
/// (cents for money), its unit and the month of a peak.
pub(crate) fn exact_table(figures: &[Figure]) -> Table {
    let mut t = Table::new(["figure", "value", "unit", "when"], 1)
        .text_column(2)
        .text_column(3);
    for f in figures {
        t.push([
            Cell::from(&f.label),
            Cell::fixed(f.value, f.dp),
            Cell::from(f.unit),
            Cell::from(f.month.as_deref().unwrap_or_default()),
        ]);
    }
    t
}
