//! What a chart shows, before any drawing: a frame (the model's name as
//! title, what is drawn, a footer naming the model file and its period)
//! around panels of a few kinds. Reports build a [`Chart`] from the same
//! data their tables show; `render::svg` draws it, and the HTML briefing
//! inlines the drawing. Coordinates are `f64` (for geometry only); every
//! axis says how many places its values are printed with, so printed
//! numbers look as they do in the tables (thousands separators, places).

/// A picture of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The model's name.
    pub title: String,
    /// What is drawn, e.g. "Exchange rates by month".
    pub subtitle: String,
    /// The model file and its period; no clock, so the same input gives
    /// the same bytes.
    pub footer: String,
    /// The plots, drawn top to bottom, each under its own heading.
    pub panels: Vec<Panel>,
}

/// One plot of a chart, under its own heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// The line above the plot, e.g. "Official, parallel and effective exchange rates by month".
    pub heading: String,
    /// What the panel draws.
    pub plot: Plot,
}

/// The kinds of plot.
#[derive(Debug, Clone, PartialEq)]
pub enum Plot {
    /// Lines over months or over a varied value.
    Lines(Lines),
    /// A grid of values, shaded, each printed in its cell.
    Heatmap(Heatmap),
    /// A tornado: bars from a base value to the metric at each low and high.
    Ranges(RangeBars),
    /// Percentile bands by month.
    Fan(Fan),
    /// The distribution of a metric over Monte Carlo draws, with P5, median and P95 marked.
    Histogram(Histogram),
    /// Estimates with confidence intervals, in groups (Sobol indices).
    Intervals(Intervals),
    /// Labelled points (Morris μ* against σ).
    Scatter(Scatter),
    /// From one total to another through signed parts.
    Waterfall(Waterfall),
    /// Where the dollars went: nodes in columns joined by bands.
    Flow(Flow),
    /// Observations against the model's values (and other forecasts) over
    /// time, with the model's bands (`fit`, `backtest`).
    Observed(Observed),
    /// Signed values over time as bars from zero (`fit`'s residuals).
    Residuals(Residuals),
}

/// An axis: its label (with the unit), the places values on it are
/// printed with, and for a category axis the name of each position
/// (position `i` is the value `i`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Axis {
    /// The axis title with its unit, e.g. "parallel_rate (IQD per USD)".
    pub label: String,
    /// Decimal places tick values are printed with, as in the tables.
    pub places: u32,
    /// For a category axis, the name of each position (months, parameters); empty otherwise.
    pub categories: Vec<String>,
    /// Values on it are US dollars: ticks and labels read `$58.92 bn`.
    pub dollars: bool,
    /// Values on it are percentages: labels read `15.17%` (ticks stay
    /// bare numbers under a title that names the unit).
    pub percent: bool,
    /// For a value axis, the values its ticks sit at (a sweep's own
    /// values, every other one when they do not all fit); empty to leave
    /// them to the plot.
    pub ticks: Vec<f64>,
    /// On an axis of months, quarters or years run past the model's last
    /// month (`--horizon`), where the months that hold that month's
    /// inputs begin: the plot marks where the model's own timeline ends.
    pub held: Option<Held>,
}

/// Where a horizon's held months begin on a category axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// The position on the axis: `i - 0.5` when category `i` is the first
    /// held one; inside a quarter or year that holds both the model's own
    /// months and held ones, as far into it as its own months reach.
    pub at: f64,
    /// The first held month in words, `Jan 2025`.
    pub first: String,
}

impl Axis {
    /// A value axis titled `label` whose values are printed with `places` decimals.
    pub fn new(label: impl Into<String>, places: u32) -> Self {
        Axis {
            label: label.into(),
            places,
            categories: Vec::new(),
            dollars: false,
            percent: false,
            ticks: Vec::new(),
            held: None,
        }
    }

    /// A value axis titled `label` for values in `unit` (`USD`,
    /// `IQD/USD`, …): printed with the unit's places, and with `$` when
    /// the unit is dollars.
    pub fn in_unit(label: impl Into<String>, unit: &str) -> Self {
        Axis {
            dollars: unit.starts_with("USD"),
            percent: unit == "%",
            ..Axis::new(label, super::places(unit))
        }
    }

    /// A category axis of months: `2023-07` is named `Jul 2023` (any
    /// other text is kept as it is).
    pub fn months(label: impl Into<String>, months: &[String]) -> Self {
        Axis::categories(label, months.iter().map(|m| month_name(m)).collect())
    }

    /// The axis of `months` (`YYYY-MM`) marked from the first month after
    /// `end`, the model's own last month, when a horizon ran it on past
    /// it; unmarked when `end` is `None` or no month is after it.
    pub fn held_after(mut self, months: &[String], end: Option<&str>) -> Self {
        let after = |m: &String| {
            let (m, e) = (
                m.parse::<crate::calendar::YearMonth>(),
                end?.parse::<crate::calendar::YearMonth>(),
            );
            Some(m.ok()? > e.ok()?)
        };
        self.held = months.iter().position(|m| after(m) == Some(true)).map(|i| Held {
            at: i as f64 - 0.5,
            first: month_name(&months[i]),
        });
        self
    }

    /// The axis marked where `held` says a horizon's held months begin.
    pub fn held_at(mut self, held: Option<Held>) -> Self {
        self.held = held;
        self
    }

    /// A category axis: position `i` is named `categories[i]`.
    pub fn categories(label: impl Into<String>, categories: Vec<String>) -> Self {
        Axis {
            label: label.into(),
            places: 0,
            categories,
            dollars: false,
            percent: false,
            ticks: Vec::new(),
            held: None,
        }
    }
}

/// `2023-07` as `Jul 2023`; any other text as it is.
pub fn month_name(month: &str) -> String {
    month
        .parse::<crate::calendar::YearMonth>()
        .map_or_else(|_| month.to_string(), |m| m.short_name())
}

/// Lines over a shared x axis: metrics by month (`run`) or against a swept value (`sweep`).
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    /// Months (a category axis) or the varied parameter's values.
    pub x: Axis,
    /// The metric(s) drawn, with their unit.
    pub y: Axis,
    /// One line per metric, each with its own legend entry.
    pub series: Vec<Series>,
}

/// One named line of a [`Lines`] plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend entry, usually the metric's name.
    pub name: String,
    /// `(x, y)` points in drawing order; x is a position on a category axis or a value.
    pub points: Vec<(f64, f64)>,
}

/// `cells[row][column]`; rows are the y categories from the top, columns
/// the x categories.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    /// The second swept parameter's values, left to right.
    pub x: Axis,
    /// The first swept parameter's values, top to bottom.
    pub y: Axis,
    /// What the cells hold, with its unit and places.
    pub value: Axis,
    /// The metric at each grid point, `cells[row][column]`.
    pub cells: Vec<Vec<f64>>,
}

/// A tornado (`tornado` command): one bar per parameter from the metric at its low value to
/// the metric at its high value, around the base run.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeBars {
    /// The metric.
    pub x: Axis,
    /// The metric at the model's base values: the line the bars straddle.
    pub base: f64,
    /// Drawn top to bottom in this order.
    pub bars: Vec<RangeBar>,
}

/// One parameter's bar in a tornado.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeBar {
    /// The parameter's path, e.g. `auction.rejection_rate`.
    pub label: String,
    /// The metric with the parameter at its low and its high value.
    pub at_low: f64,
    /// The metric with the parameter at its high value.
    pub at_high: f64,
    /// The parameter's low and high values, as printed.
    pub low: String,
    /// The parameter's high value, as printed at the bar's end.
    pub high: String,
}

/// Percentiles by month: `bands[i]` is P5, P25, P50, P75 and P95 at
/// month `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    /// The months, as a category axis.
    pub x: Axis,
    /// The metric, with its unit.
    pub y: Axis,
    /// P5, P25, P50, P75 and P95 of the metric at each month, over the Monte Carlo draws.
    pub bands: Vec<[f64; 5]>,
    /// The model run once at its base values, by month (empty for none).
    pub base: Vec<f64>,
}

/// How a metric is spread over the Monte Carlo draws (`mc`, `fan`).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// The metric, with its unit.
    pub x: Axis,
    /// Adjoining bins, left to right.
    pub bins: Vec<Bin>,
    /// Vertical lines with a name, e.g. ("P5", 1,580.2).
    pub marks: Vec<(String, f64)>,
    /// A line under the plot saying which draws lie off the axis (which
    /// covers their bulk); empty when every draw is on it.
    pub note: String,
}

/// Draws with values in `[lo, hi)` (the last bin includes `hi`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    /// The bin's lower edge (included).
    pub lo: f64,
    /// The bin's upper edge (excluded, except in the last bin).
    pub hi: f64,
    /// How many draws fall in the bin.
    pub count: u64,
}

/// For each group (an input), one estimate per series (S1, ST) with the
/// half-width of its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervals {
    /// The value axis.
    pub x: Axis,
    /// The uncertain inputs, one group each, top to bottom.
    pub groups: Vec<String>,
    /// Series name and `(estimate, half-width)` per group.
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

/// Labelled points on two value axes (`morris`: μ* across, σ up).
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    /// The horizontal value axis (Morris μ*).
    pub x: Axis,
    /// The vertical value axis (Morris σ).
    pub y: Axis,
    /// Label and position of each point.
    pub points: Vec<(String, f64, f64)>,
}

/// How a metric goes from model A's value to model B's through each difference's part
/// (`diff`).
#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    /// The metric.
    pub x: Axis,
    /// The metric's unit as people read it (`IQD per $`, `%`, `$`), for
    /// the bars' labels; empty for none.
    pub unit: String,
    /// A's value first, B's last, the parts between, top to bottom.
    pub steps: Vec<Step>,
}

/// One bar of a [`Waterfall`]: a total or a signed part.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// "A", "B", a differing parameter's path, or "interactions".
    pub label: String,
    /// The total's value, or the part's signed contribution, in the metric's unit.
    pub value: f64,
    /// A total (drawn from the axis) rather than a part (drawn from the
    /// running total).
    pub total: bool,
}

/// A flow diagram: nodes placed in columns, bands between them as wide
/// as the amount they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The boxes: revenue, custody, deductions, airlift, auction and so on.
    pub nodes: Vec<Node>,
    /// The bands between nodes, each as wide as the dollars it carries.
    pub links: Vec<Link>,
    /// A line under the diagram, e.g. what the dashed bands mean.
    pub note: String,
}

/// One box of a [`Flow`] diagram (`trace`).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The box's text: a name and, on its own line, the amount in USD.
    pub label: String,
    /// The column it sits in, 0 at the left (where the oil revenue comes in).
    pub column: usize,
}

/// A band of a [`Flow`] diagram: dollars moving from one node to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The index in [`Flow::nodes`] the band leaves.
    pub from: usize,
    /// The index in [`Flow::nodes`] the band reaches.
    pub to: usize,
    /// The amount carried, in USD; sets the band's width.
    pub value: f64,
    /// The amount as printed on the band.
    pub label: String,
    /// Demand that was not met rather than dollars paid: drawn hatched.
    pub unmet: bool,
}

/// Observations as points against lines of forecasts over months, with
/// the model's central bands at each observation when it has them.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// The months, as a category axis; an observation within a month
    /// sits between its whole positions.
    pub x: Axis,
    /// The metric, with its unit.
    pub y: Axis,
    /// The legend entry of the observations.
    pub name: String,
    /// `(x, value)` of each observation.
    pub points: Vec<(f64, f64)>,
    /// The model first, then any other forecast.
    pub lines: Vec<Series>,
    /// The model's bands at each observation.
    pub bands: Vec<Band>,
}

/// The model's central 80% and 50% bands at one position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Where, on the x axis.
    pub x: f64,
    /// P10 and P90.
    pub outer: (f64, f64),
    /// P25 and P75.
    pub inner: (f64, f64),
}

/// Signed values as bars from zero over months (errors of a fit).
#[derive(Debug, Clone, PartialEq)]
pub struct Residuals {
    /// The months, as a category axis.
    pub x: Axis,
    /// What the bars measure, with its unit.
    pub y: Axis,
    /// `(x, value)` of each bar.
    pub points: Vec<(f64, f64)>,
}

/// Where a date falls on a month axis whose position `i` is `months[i]`
/// (`YYYY-MM`): a month's middle at `i`, a day `YYYY-MM-DD` within it, a
/// year `YYYY` at its middle month; `None` outside the months.
pub fn month_position(months: &[String], date: &str) -> Option<f64> {
    let at = |m: &str| months.iter().position(|x| x == m).map(|i| i as f64);
    let date = date.trim();
    match date.len() {
        4 => {
            let first = at(&format!("{date}-01"));
            let last = at(&format!("{date}-12"));
            match (first, last) {
                (Some(a), Some(z)) => Some((a + z) / 2.0),
                (Some(a), None) => Some(a),
                (None, Some(z)) => Some(z),
                _ => None,
            }
        }
        7 => at(date),
        _ => {
            let i = at(date.get(..7)?)?;
            let day: f64 = date.get(8..10)?.parse().ok()?;
            let ym: crate::calendar::YearMonth = date.get(..7)?.parse().ok()?;
            let days = f64::from(ym.days());
            Some(i - 0.5 + (day - 0.5) / days)
        }
    }
}
