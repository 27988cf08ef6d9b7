//! What the exact backend records of one month for `explain`: each step's
//! lines (a quantity, its formula, the numbers that went in, the result)
//! and the assumptions it read. The steps write these beside the code that
//! computes them, so formula and explanation are edited together; the
//! numbers stay `Decimal`s here and are formatted by the report.

use rust_decimal::Decimal;

use super::metrics::{Core, MetricId};
use crate::model::ParamId;

/// One computed quantity of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The quantity as `explain` names it: `gross[<buyer>]`, `net`, `premium_pct`.
    pub name: String,
    /// In symbols: `round2(rate × gross)`.
    pub formula: String,
    /// The formula with `{}` where each of `args` goes: `round2({} × {})`.
    pub template: String,
    /// The numbers that went in, one for each `{}` of `template`, in order.
    pub args: Vec<Decimal>,
    /// The quantity's value this month, exactly as the step computed it.
    pub value: Decimal,
    /// The metric this quantity is, when it is one.
    pub metric: Option<MetricId>,
    /// The places its value is shown to, for one that `explain` works out
    /// beside the step and that has more (a quantity per session, the
    /// market's target rate); `None` shows it as it is.
    pub places: Option<u32>,
}

impl Line {
    /// A line of `name = formula = template(args) = value`.
    pub fn new(
        name: impl Into<String>,
        formula: impl Into<String>,
        template: impl Into<String>,
        args: Vec<Decimal>,
        value: Decimal,
    ) -> Line {
        Line {
            name: name.into(),
            formula: formula.into(),
            template: template.into(),
            args,
            value,
            metric: None,
            places: None,
        }
    }

    /// The same line, its value shown to `places` decimal places.
    pub fn shown_to(mut self, places: u32) -> Line {
        self.places = Some(places);
        self
    }

    /// The same line, naming the metric it is.
    pub fn metric(mut self, id: MetricId) -> Line {
        self.metric = Some(id);
        self
    }

    /// The same line, naming the core metric it is.
    pub fn core(self, c: Core) -> Line {
        self.metric(MetricId::Core(c))
    }

    /// A sum line: `Σ what` with its terms (`nothing` without any).
    pub fn sum(name: &str, formula: &str, terms: Vec<Decimal>, value: Decimal) -> Line {
        let template = if terms.is_empty() {
            "nothing".to_string()
        } else {
            vec!["{}"; terms.len()].join(" + ")
        };
        Line::new(name, formula, template, terms, value)
    }

    /// The template with each `{}` replaced by `fmt` of its argument.
    pub fn numbers(&self, fmt: impl Fn(Decimal) -> String) -> String {
        let mut out = String::with_capacity(self.template.len() + 8 * self.args.len());
        let mut args = self.args.iter();
        let mut rest = self.template.as_str();
        while let Some(i) = rest.find("{}") {
            out.push_str(&rest[..i]);
            if let Some(a) = args.next() {
                out.push_str(&fmt(*a));
            }
            rest = &rest[i + 2..];
        }
        out.push_str(rest);
        out
    }
}

/// `x` as a line shows it among its numbers: rounded half to even to
/// `places` decimal places (display only: nothing computes from it).
pub fn shown(x: Decimal, places: u32) -> Decimal {
    x.round_dp(places)
}

/// One step of docs/model.md §3 as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    /// The step's number in docs/model.md §3, 1..=9.
    pub number: u8,
    /// What the step does, in a line: `Deductions taken off gross revenue`.
    pub title: &'static str,
    /// The step's quantities, in the order it computed them.
    pub lines: Vec<Line>,
    /// The assumptions it read, in order, each with the value the step read (`None` for one the model has no slot for).
    pub used: Vec<(ParamId, Option<Decimal>)>,
}
