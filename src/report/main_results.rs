//! The brief's main results in plain sentences, along the chain from
//! revenue to prices: what oil earned and what reached custody, what
//! custody paid out, the airlift, the auction, the parallel rate against
//! the official rate in force, consumer prices, and what was fitted. Each
//! sentence is built from the brief's [`Totals`]; amounts are rounded in
//! words as they are written, never before.

use rust_decimal::Decimal;

use super::headline::Totals;
use crate::calendar::YearMonth;
use crate::engine::metrics::{Core, MetricId};
use crate::engine::Run;
use crate::model::{Model, ParamId};
use crate::render::{display, three_figures, usd_words, usd_words_adding};

/// The main results of `run` of `model`; with `adding`, the amounts of a
/// sum in one unit so that its parts add up as printed.
pub(crate) fn sentences(model: &Model, run: &Run, x: &Totals, adding: bool) -> Vec<String> {
    let mut out = vec![revenue(model, x, adding)];
    out.extend(payments(model, x, adding));
    if !x.shipped.is_zero() {
        out.push(format!(
            "The CBI flew {} in banknotes to Baghdad on {} flights, at a cost of {} to the treasury.",
            usd_words(x.shipped),
            display(x.flights, 0),
            usd_words(x.cost)
        ));
    }
    if !x.requests.is_zero() {
        out.push(format!(
            "Banks asked the auction for {}; it sold {}, screening rejected {} of wire transfers ({}% of wire requests), and {} of dollar demand went unmet{}.",
            usd_words(x.requests),
            usd_words(x.sold),
            usd_words(x.rejected),
            display(pct_of(x.rejected, x.wire_requests), 1),
            usd_words(x.unmet),
            unpaid(model, x)
        ));
    }
    if x.market {
        out.push(rates_sentence(run, x));
        out.push(prices(model, x));
        out.extend(inflation(model, x));
    }
    if !x.arrears.is_zero() {
        out.push(format!(
            "Custody ran short: {} of payments and airlift costs went unpaid.",
            usd_words(x.arrears)
        ));
    }
    out.extend(fitted_sentence(model));
    out
}

/// The part of the unmet demand that screening approved but the CBI had
/// no dollars for (custody or the vault empty): ", $207.64 billion of it
/// approved requests the CBI had no dollars for once the custody account
/// (…) ran dry in Jan 2026"; empty when there was none.
fn unpaid(model: &Model, x: &Totals) -> String {
    let gap = x.unmet.checked_sub(x.rejected).unwrap_or_default();
    if gap <= Decimal::ZERO {
        return String::new();
    }
    let when = match &x.custody_dry {
        Some(month) => format!(
            " once {} ran dry in {}",
            super::dry::custody_words(model),
            short(month)
        ),
        None => String::new(),
    };
    format!(
        ", {} of it approved requests the CBI had no dollars for{when}",
        usd_words(gap)
    )
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
    super::join_and(parts)
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

/// An exchange rate in a sentence: three significant figures keeping
/// whole dinars (`1,532`), as the headline table rounds rates.
fn rate_words(d: Decimal) -> String {
    three_figures(d, 10)
}

/// A percentage in a sentence, without its `%`: three significant figures
/// with at most two places, keeping every whole digit (`15.4`, `1.84`,
/// `37,557`), as the headline table rounds it, so that a figure reads the
/// same in both.
fn percent(d: Decimal) -> String {
    three_figures(d, 2)
}

/// `2023-01` as `Jan 2023`.
fn short(month: &str) -> String {
    month
        .parse::<YearMonth>()
        .map_or_else(|_| month.to_string(), YearMonth::short_name)
}

/// Gross revenue = the deductions + what reached custody.
fn revenue(model: &Model, x: &Totals, adding: bool) -> String {
    let t = &model.timeline;
    let mut amounts: Vec<Decimal> = x.deductions.iter().map(|d| d.1).collect();
    amounts.push(x.net);
    let words = prose(adding, x.gross, &amounts);
    let deduction_words: Vec<String> = x
        .deductions
        .iter()
        .zip(&words[1..])
        .filter(|((_, v), _)| !v.is_zero())
        .map(|((name, _), w)| format!("{w} for {name}"))
        .collect();
    let deducted = if deduction_words.is_empty() {
        "with nothing deducted".to_string()
    } else {
        format!("after deductions of {}", join_words(&deduction_words))
    };
    let when = if t.start == t.end() {
        format!("In {}", t.start.short_name())
    } else {
        format!("From {} to {}", t.start.short_name(), t.end().short_name())
    };
    format!(
        "{when}, oil exports earned {} gross; {deducted}, {} reached {}.",
        words[0],
        words[words.len() - 1],
        super::dry::custody_words(model)
    )
}

/// `run`'s note when the custody account ran dry: a chart whose
/// parallel rate leaps in the last months (a horizon that holds outflows
/// above revenue, a what-if) says why. `None` when it never did.
pub fn custody_dry_note(model: &Model, run: &Run) -> Option<String> {
    let month = run.custody_dry(model)?;
    Some(super::dry::ran_dry(model, &format!("in {}", month.short_name())))
}

/// What custody paid out, payment by payment; `None` when nothing.
fn payments(model: &Model, x: &Totals, adding: bool) -> Option<String> {
    if x.payments.is_zero() {
        return None;
    }
    let words = prose(adding, x.payments, &x.payment_parts);
    let parts: Vec<String> = model
        .base
        .custody
        .payments
        .iter()
        .zip(&x.payment_parts)
        .zip(&words[1..])
        .filter(|((_, v), _)| !v.is_zero())
        .map(|((p, _), w)| format!("{} {w}", p.name))
        .collect();
    Some(match &model.base.custody.name {
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
    })
}

/// Consumer prices at the effective import rate against the reference rate.
fn prices(model: &Model, x: &Totals) -> String {
    let span = &x.span;
    let direction = if x.cpi.mean < Decimal::ZERO {
        "lower"
    } else {
        "higher"
    };
    let reference = if model.changes_of(ParamId::ReferenceRate).next().is_some() {
        "the reference rate in force each month".to_string()
    } else {
        format!(
            "the reference rate of {}",
            rate_words(model.base.prices.reference_rate.value)
        )
    };
    let mut prices = format!(
        "At an effective import rate averaging {} IQD per dollar over {span}, consumer prices are {}% {direction} on average than at {reference} (the mean of the monthly impacts; {})",
        rate_words(x.effective),
        percent(x.cpi.mean.abs()),
        impact_range(&x.cpi)
    );
    if let Some((name, v)) = &x.largest {
        prices.push_str(&format!(
            "; the largest effect is on {name} ({}% on average)",
            percent(*v)
        ));
    }
    prices.push('.');
    prices
}

/// The months furthest from the reference rate's prices, in words a
/// reader cannot misread: "peak 1.29% in Jan 2023" when prices were never
/// lower, "at most 3.05% lower, in Jun 2023" when never higher, and "from
/// 1.29% higher in Jan 2023 to 3.05% lower in Jun 2023" when they were both.
fn impact_range(cpi: &super::headline::Peaked) -> String {
    let high = (percent(cpi.peak), short(&cpi.month));
    let low = (percent(cpi.low.abs()), short(&cpi.low_month));
    if cpi.low >= Decimal::ZERO {
        format!("peak {}% in {}", high.0, high.1)
    } else if cpi.peak <= Decimal::ZERO {
        format!("at most {}% lower, in {}", low.0, low.1)
    } else {
        format!(
            "from {}% higher in {} to {}% lower in {}",
            high.0, high.1, low.0, low.1
        )
    }
}

/// Year-on-year CPI inflation, when the model says what it runs at from
/// other causes.
fn inflation(model: &Model, x: &Totals) -> Option<String> {
    let (yoy, last) = x.yoy?;
    let underlying = model
        .base
        .prices
        .underlying_inflation
        .as_ref()
        .map_or(Decimal::ZERO, |p| p.value);
    Some(format!(
        "With {}% a year of inflation from other causes, year-on-year CPI inflation averages {}% over {} (the mean of the monthly rates; {}% in {}).",
        three_figures(underlying, 2),
        percent(yoy),
        x.span,
        percent(last),
        model.timeline.end().short_name()
    ))
}

/// The official rate's steps: (rate, first month index, last month index).
fn official_steps(run: &Run) -> Vec<(Decimal, usize, usize)> {
    let official = MetricId::Core(Core::OfficialRate).series(run);
    let mut steps: Vec<(Decimal, usize, usize)> = Vec::new();
    for (i, v) in official.iter().enumerate() {
        match steps.last_mut() {
            Some(s) if s.0 == *v => s.2 = i,
            _ => steps.push((*v, i, i)),
        }
    }
    steps
}

/// The official rate's schedule in words: `1,460 to Jan 2023 and 1,310
/// from Feb 2023`, or `changed 5 times`.
fn schedule(run: &Run, steps: &[(Decimal, usize, usize)]) -> String {
    let month = |i: usize| {
        run.months
            .get(i)
            .and_then(|m| m.month)
            .map_or_else(String::new, YearMonth::short_name)
    };
    let n = steps.len();
    if n > 4 {
        return format!("changed {} times", n - 1);
    }
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
}

/// The parallel rate's sentence: its mean over the months, and its
/// premium over the official rate in force each month (the mean of the
/// monthly premiums), naming the official rate's steps; never a mean
/// official rate, which was never in force.
fn rates_sentence(run: &Run, x: &Totals) -> String {
    let (parallel, premium) = (&x.parallel, &x.premium);
    let head = format!(
        "The parallel rate averaged {} IQD per dollar over {} (the mean of its monthly rates; peak {} in {})",
        rate_words(parallel.mean),
        x.span,
        rate_words(parallel.peak),
        short(&parallel.month)
    );
    let above = if premium.mean < Decimal::ZERO {
        "below"
    } else {
        "above"
    };
    let (mean, peak, month) = (
        percent(premium.mean.abs()),
        percent(premium.peak),
        short(&premium.month),
    );
    match official_steps(run).as_slice() {
        [(rate, _, _)] => format!(
            "{head}, {mean}% {above} the official rate of {} on average (peak {peak}% in {month}).",
            rate_words(*rate),
        ),
        steps => format!(
            "{head}; month by month it stood {mean}% {above} the official rate in force on average (the mean of the monthly premiums; peak {peak}% in {month}), the official rate being {}.",
            schedule(run, steps)
        ),
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
