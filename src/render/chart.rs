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
    pub panels: Vec<Panel>,
}

/// One plot of a chart, under its own heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub heading: String,
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
    Histogram(Histogram),
    /// Estimates with confidence intervals, in groups (Sobol indices).
    Intervals(Intervals),
    /// Labelled points (Morris μ* against σ).
    Scatter(Scatter),
    /// From one total to another through signed parts.
    Waterfall(Waterfall),
    /// Where the dollars went: nodes in columns joined by bands.
    Flow(Flow),
}

/// An axis: its label (with the unit), the places values on it are
/// printed with, and for a category axis the name of each position
/// (position `i` is the value `i`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Axis {
    pub label: String,
    pub places: u32,
    pub categories: Vec<String>,
}

impl Axis {
    pub fn new(label: impl Into<String>, places: u32) -> Self {
        Axis {
            label: label.into(),
            places,
            categories: Vec::new(),
        }
    }

    /// A category axis: position `i` is named `categories[i]`.
    pub fn categories(label: impl Into<String>, categories: Vec<String>) -> Self {
        Axis {
            label: label.into(),
            places: 0,
            categories,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// `cells[row][column]`; rows are the y categories from the top, columns
/// the x categories.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub x: Axis,
    pub y: Axis,
    /// What the cells hold, with its unit and places.
    pub value: Axis,
    pub cells: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RangeBars {
    /// The metric.
    pub x: Axis,
    pub base: f64,
    /// Drawn top to bottom in this order.
    pub bars: Vec<RangeBar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RangeBar {
    pub label: String,
    /// The metric with the parameter at its low and its high value.
    pub at_low: f64,
    pub at_high: f64,
    /// The parameter's low and high values, as printed.
    pub low: String,
    pub high: String,
}

/// Percentiles by month: `bands[i]` is P5, P25, P50, P75 and P95 at
/// month `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    pub x: Axis,
    pub y: Axis,
    pub bands: Vec<[f64; 5]>,
    /// The model run once at its base values, by month (empty for none).
    pub base: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub x: Axis,
    pub bins: Vec<Bin>,
    /// Vertical lines with a name, e.g. ("P5", 1,580.2).
    pub marks: Vec<(String, f64)>,
}

/// Draws with values in `[lo, hi)` (the last bin includes `hi`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub count: u64,
}

/// For each group (an input), one estimate per series (S1, ST) with the
/// half-width of its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervals {
    /// The value axis.
    pub x: Axis,
    pub groups: Vec<String>,
    /// Series name and `(estimate, half-width)` per group.
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    pub x: Axis,
    pub y: Axis,
    /// Label and position of each point.
    pub points: Vec<(String, f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    /// The metric.
    pub x: Axis,
    /// A's value first, B's last, the parts between, top to bottom.
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub label: String,
    pub value: f64,
    /// A total (drawn from the axis) rather than a part (drawn from the
    /// running total).
    pub total: bool,
}

/// A flow diagram: nodes placed in columns, bands between them as wide
/// as the amount they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    /// A line under the diagram, e.g. what the dashed bands mean.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub label: String,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub value: f64,
    /// The amount as printed on the band.
    pub label: String,
    /// Demand that was not met rather than dollars paid: drawn hatched.
    pub unmet: bool,
}
