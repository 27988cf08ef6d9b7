//! The model a report is about, as every report names it: its name,
//! file, period, the scenarios, `--set` values and horizon layered on it
//! (`ModelInfo`), and what those give a report: the lines under its
//! title, a chart's subtitle and footer, and a workbook's first and
//! closing sheets. Kept apart from `report/mod.rs` so that each stays
//! short.

use std::sync::Arc;

use serde::Serialize;

use super::assumptions::Assumptions;
use super::{join_and, lowercase_first, singular, span_words, summary_agg, summary_words};
use crate::calendar::YearMonth;
use crate::engine::metrics::{metric_ref_label, Agg, MetricLabel};
use crate::model::{Horizon, Model};
use crate::render::chart::Panel;
use crate::render::{Book, Chart, Document, Sheet};

/// The model a report is about, as JSON outputs name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelInfo {
    /// The model's name, from `[model] name`.
    pub name: String,
    /// The model's description, from `[model] description`, if it has one.
    pub description: Option<String>,
    /// The file it was read from.
    pub file: String,
    /// The scenario files layered on it (`--scenario`), in order; not in
    /// JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<ScenarioInfo>,
    /// The `--set` values in force, in order; not in JSON when there are
    /// none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<OverrideInfo>,
    /// The first month.
    pub start: String,
    /// How many months it runs.
    pub months: usize,
    /// Set when `--horizon` ran it past its last month; not in JSON
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon: Option<HorizonInfo>,
    /// The last month (not in JSON).
    #[serde(skip)]
    pub end: String,
    /// What a workbook carries to be reproducible (not in JSON).
    #[serde(skip)]
    pub source: Arc<Source>,
}

/// A model run past its last month (`--horizon`), as reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HorizonInfo {
    /// The horizon: the run's last month.
    pub month: String,
    /// The model's own last month, whose inputs the added months hold.
    pub model_end: String,
    /// How many months the horizon added.
    pub months_added: i64,
    /// `Months after 2023-12 hold December 2023's inputs (--horizon 2025-06)`.
    pub note: String,
    /// The model's last month in words, `December 2023` (not in JSON).
    #[serde(skip)]
    pub held_name: String,
}

impl HorizonInfo {
    fn of(h: &Horizon) -> Self {
        HorizonInfo {
            month: h.month.to_string(),
            model_end: h.held.to_string(),
            months_added: h.added(),
            note: h.line(),
            held_name: h.held.name(),
        }
    }
}

/// A `--set` in force, as reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideInfo {
    /// The option it was given with (`--set`, or `diff`'s `--set-a` and
    /// `--set-b`); not in JSON, where each side's model lists its own.
    #[serde(skip)]
    pub flag: &'static str,
    /// The `--set` as the model reads it: `auction.rejection_rate@2023-07..=0.4`.
    pub set: String,
    /// Which months it holds in: `from 2023-07 to the end, 2024-12`,
    /// `from 2023-07 to 2023-12, then the step from 2024-01: 0.090445`.
    pub holds: String,
    /// For a step that a later step of its path ends, the last month it
    /// holds in; not in JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

impl OverrideInfo {
    /// The `--set`, with the last month it holds in when a later step
    /// ends it: `auction.rejection_rate@2023-07=0.4 (to 2023-12)`.
    pub fn short(&self) -> String {
        match &self.until {
            Some(m) => format!("{} (to {m})", self.set),
            None => self.set.clone(),
        }
    }
}

/// A scenario file layered on a model, as reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioInfo {
    /// `[scenario] name`.
    pub name: String,
    /// The scenario file, as given on the command line.
    pub file: String,
    /// `[scenario] description`, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What it sets, in `--set`'s words: `[set]` entries, then its
    /// `[[changes]]` (`exports.price_usd_per_bbl@2023-07=60.44`).
    pub set: Vec<String>,
    /// The scenario file's text, for a workbook's closing sheets (not in JSON).
    #[serde(skip)]
    pub text: String,
}

/// The model file's text and its assumptions with their sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The model file's text as read (TOML).
    pub text: String,
    /// Its assumptions, for the closing sheets of a workbook.
    pub assumptions: Assumptions,
}

impl ModelInfo {
    /// The model as a command line names it: its file, or nothing for the
    /// built-in model (which every command runs when MODEL is omitted).
    pub fn argument(&self) -> Option<&str> {
        (self.file != crate::model::DEFAULT_MODEL_NAME).then_some(self.file.as_str())
    }

    /// What reports say about `model`: name, file, period, and its source for workbooks.
    pub fn of(model: &Model) -> Self {
        ModelInfo {
            name: model.name.clone(),
            description: model.description.clone(),
            file: model.file.name.clone(),
            scenarios: model
                .scenarios
                .iter()
                .map(|s| ScenarioInfo {
                    name: s.name.clone(),
                    file: s.file.name.clone(),
                    description: s.description.clone(),
                    set: s.entries.clone(),
                    text: s.file.text.clone(),
                })
                .collect(),
            overrides: model
                .overrides
                .iter()
                .map(|o| OverrideInfo {
                    flag: o.flag,
                    set: o.spec.clone(),
                    holds: o.holds.clone(),
                    until: o.until.map(|m| m.to_string()),
                })
                .collect(),
            start: model.timeline.start.to_string(),
            months: model.timeline.months.len(),
            horizon: model.horizon.as_ref().map(HorizonInfo::of),
            end: model.timeline.end().to_string(),
            source: Arc::new(Source {
                text: model.file.text.clone(),
                assumptions: Assumptions::of(model),
            }),
        }
    }

    /// The period, e.g. `2022-11 to 2023-12`.
    pub fn period(&self) -> String {
        format!("{} to {}", self.start, self.end)
    }

    /// The period in words, e.g. `Nov 2022–Dec 2023`.
    pub fn span(&self) -> String {
        match (self.start.parse::<YearMonth>(), self.end.parse::<YearMonth>()) {
            (Ok(a), Ok(b)) => span_words(a, b),
            _ => self.period(),
        }
    }

    /// What a summary of `metric` (as written: `parallel_rate`,
    /// `premium_pct:max`, `cpi_impact_pct@2023-03`) is over this model's
    /// months: `mean Nov 2022–Dec 2023`, `total Nov 2022–Dec 2023`,
    /// `Dec 2023`, `in Mar 2023`.
    pub fn summary_words(&self, metric: &str) -> String {
        match (self.start.parse::<YearMonth>(), self.end.parse::<YearMonth>()) {
            (Ok(a), Ok(b)) => summary_words(metric, a, b),
            _ => metric.to_string(),
        }
    }

    /// Adds to `doc` the lines that say what was layered on the model file
    /// ([`ModelInfo::heading_lines`]): a report's text then says which
    /// what-if its numbers are, as its JSON and chart do.
    pub fn note_what_if(&self, doc: &mut Document) {
        let lines = self.heading_lines();
        if lines.is_empty() {
            return;
        }
        for line in lines {
            doc.line(line);
        }
        doc.blank();
    }

    /// Ends `doc` with [`ModelInfo::averages_line`] after a blank line,
    /// when there is one.
    pub fn note_averages(&self, doc: &mut Document, metrics: &[String]) {
        if let Some(l) = self.averages_line(metrics) {
            doc.blank().line(l);
        }
    }

    /// A line saying which of `metrics` are means (or totals, or one
    /// month's value) over the months, for a report of their summaries:
    /// `parallel_rate and premium_pct: means of the monthly values,
    /// Nov 2022–Dec 2023 (not any one month's).`; `None` when every
    /// metric names its own month.
    pub fn averages_line(&self, metrics: &[String]) -> Option<String> {
        let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
        for m in metrics {
            if m.contains('@') {
                continue;
            }
            let words = match summary_agg(m) {
                Agg::Mean => format!(
                    "means of the monthly values, {} (not any one month's)",
                    self.span()
                ),
                Agg::Sum => format!("totals over {}", self.span()),
                Agg::Min => format!("the lowest month of {}", self.span()),
                Agg::Max => format!("the highest month of {}", self.span()),
                Agg::First => format!("the values of {}", self.span_end(true)),
                Agg::Last => format!("the values of {}", self.span_end(false)),
            };
            match groups.iter_mut().find(|g| g.0 == words) {
                Some(g) => g.1.push(m),
                None => groups.push((words, vec![m])),
            }
        }
        if groups.is_empty() {
            return None;
        }
        let parts: Vec<String> = groups
            .into_iter()
            .map(|(words, names)| {
                let names: Vec<String> = names.into_iter().map(named_with_unit).collect();
                let words = if names.len() == 1 { singular(&words) } else { words };
                format!("{}: {words}", join_and(&names))
            })
            .collect();
        Some(format!("{}.", parts.join("; ")))
    }

    /// The first or last month in words.
    fn span_end(&self, first: bool) -> String {
        let m = if first { &self.start } else { &self.end };
        m.parse::<YearMonth>()
            .map_or_else(|_| m.clone(), YearMonth::short_name)
    }

    /// The first and last month, for labels that name a summary over
    /// them (`mean Nov 2022–Dec 2024`).
    pub fn months(&self) -> Option<(YearMonth, YearMonth)> {
        Some((self.start.parse().ok()?, self.end.parse().ok()?))
    }

    /// The label of metric reference `metric` on a chart, its summary
    /// named over this model's months.
    pub fn metric_label(&self, metric: &str) -> MetricLabel {
        metric_ref_label(metric, self.months())
    }

    /// "Scenario: NAME (FILE): what it sets" for each scenario applied,
    /// for the first lines of a report.
    pub fn scenario_lines(&self) -> Vec<String> {
        self.scenarios
            .iter()
            .map(|s| {
                let mut line = format!("Scenario: {} ({})", s.name, s.file);
                if !s.set.is_empty() {
                    line.push_str(&format!(": {}", s.set.join(", ")));
                }
                line
            })
            .collect()
    }

    /// "Set: SPEC (which months it holds in)" for each `--set` in force.
    pub fn override_lines(&self) -> Vec<String> {
        self.overrides
            .iter()
            .map(|o| format!("Set: {} ({})", o.set, o.holds))
            .collect()
    }

    /// The line under a report's title when `--horizon` ran the model past
    /// its last month: `Months after 2023-12 hold December 2023's inputs
    /// (--horizon 2025-06)`.
    pub fn horizon_line(&self) -> Option<&str> {
        self.horizon.as_ref().map(|h| h.note.as_str())
    }

    /// The lines under a report's title that say what was layered on the
    /// model file: each scenario (`Scenario: NAME (FILE): what it sets`),
    /// each `--set` (`Set: SPEC (months)`), then the horizon. Empty for
    /// the model file as it is.
    pub fn heading_lines(&self) -> Vec<String> {
        let mut lines = self.scenario_lines();
        lines.extend(self.override_lines());
        lines.extend(self.horizon_line().map(str::to_string));
        lines
    }

    /// What a chart's subtitle adds for the scenarios and `--set` values
    /// in force: `what-if: scenario "NAME"; auction.rejection_rate@2023-07..=0.4`,
    /// or `None` for the model file as it is.
    pub fn what_if(&self) -> Option<String> {
        let items: Vec<String> = self
            .scenarios
            .iter()
            .map(|s| format!("scenario \"{}\"", s.name))
            .chain(self.overrides.iter().map(OverrideInfo::short))
            .collect();
        (!items.is_empty()).then(|| format!("what-if: {}", items.join("; ")))
    }

    /// A chart's subtitle `text`, with the scenarios and `--set` values in
    /// force (`… · what-if: auction.rejection_rate@2023-07..=0.4`) and the
    /// horizon when there is one (`… · months after 2023-12 hold December
    /// 2023's inputs (--horizon 2025-06)`).
    pub fn subtitle(&self, text: String) -> String {
        let mut s = text;
        if let Some(w) = self.what_if() {
            s.push_str(&format!(" · {w}"));
        }
        if let Some(line) = self.horizon_line() {
            s.push_str(&format!(" · {}", lowercase_first(line)));
        }
        s
    }

    /// `NAME (FILE, scenario "S", SPEC)`: the model, with what was layered
    /// on it, for naming the sides of a comparison.
    pub fn label(&self) -> String {
        let mut parts = vec![self.file.clone()];
        parts.extend(self.scenarios.iter().map(|s| format!("scenario \"{}\"", s.name)));
        parts.extend(self.overrides.iter().map(OverrideInfo::short));
        format!("{} ({})", self.name, parts.join(", "))
    }

    /// The first sheet of a workbook made with a scenario, `--set` or a
    /// horizon: what the workbook shows, line by line; `None` for the
    /// model file as it is.
    pub fn what_if_sheet(&self) -> Option<Sheet> {
        let lines = self.heading_lines();
        if lines.is_empty() {
            return None;
        }
        let mut text = format!("{} ({}), {}\n", self.name, self.file, self.period());
        for l in &lines {
            text.push_str(l);
            text.push('\n');
        }
        Some(Sheet::text(
            "What-if",
            "What this workbook shows: the model file with these changes",
            &text,
        ))
    }

    /// The model file, with the scenario files layered on it.
    fn files(&self) -> String {
        let mut s = self.file.clone();
        for sc in &self.scenarios {
            s.push_str(&format!(" + scenario {}", sc.file));
        }
        s
    }

    /// A chart of this model: its name as title, `what` it shows in the
    /// subtitle (see [`ModelInfo::subtitle`]), the footer, and `panels`.
    pub fn chart(&self, what: String, panels: Vec<Panel>) -> Chart {
        Chart {
            title: self.name.clone(),
            subtitle: self.subtitle(what),
            footer: self.footer(),
            panels,
        }
    }

    /// The footer of a chart: the model file and its period. No clock:
    /// the same model gives the same picture.
    pub fn footer(&self) -> String {
        format!(
            "Model file: {} · {} ({} month{}) · drawn by dinarflow",
            self.files(),
            self.period(),
            self.months,
            if self.months == 1 { "" } else { "s" }
        )
    }

    /// The sheets every workbook ends with: the assumptions (path, value,
    /// unit, source, file:line), the timeline changes and the uncertain
    /// inputs when there are any, the model file's text and each
    /// scenario file's text (`--scenario`). `suffix`
    /// tells two models apart (" A", " B").
    pub fn sheets(&self, suffix: &str) -> Vec<Sheet> {
        let a = &self.source.assumptions;
        let mut sheets = vec![Sheet::from_table(format!("Assumptions{suffix}"), &a.table()).frozen(1)];
        if !a.changes.is_empty() {
            sheets.push(Sheet::from_table(format!("Changes{suffix}"), &a.changes_table()).frozen(2));
        }
        if !a.uncertainty.is_empty() {
            sheets.push(Sheet::from_table(
                format!("Uncertainty{suffix}"),
                &a.uncertainty_table(),
            ));
        }
        if !a.correlation.is_empty() {
            sheets.push(Sheet::from_table(format!("Correlation{suffix}"), &a.correlation_table()).frozen(1));
        }
        let mut heading = format!("model file: {}", self.file);
        if let Some(line) = self.horizon_line() {
            heading.push_str(&format!(" · {}", lowercase_first(line)));
        }
        sheets.push(Sheet::text(format!("Model{suffix}"), heading, &self.source.text));
        for (i, sc) in self.scenarios.iter().enumerate() {
            sheets.push(Sheet::text(
                format!("Scenario {}{suffix}", i + 1),
                format!("scenario file: {}", sc.file),
                &sc.text,
            ));
        }
        sheets
    }

    /// `sheets` followed by this model's closing sheets, after a first
    /// sheet naming the scenarios, `--set` values and horizon in force
    /// when there are any.
    pub fn book(&self, sheets: Vec<Sheet>) -> Book {
        let mut all: Vec<Sheet> = self.what_if_sheet().into_iter().collect();
        all.extend(sheets);
        all.extend(self.sheets(""));
        Book { sheets: all }
    }
}

/// A metric reference with its unit where its name does not say it
/// (`parallel_rate (IQD per USD)`; `premium_pct`, `sales_usd` and
/// `flights` as they are), so that a table of bare numbers under metric
/// names says what they are in.
fn named_with_unit(metric: &str) -> String {
    let base = metric.split(['[', ':', '@']).next().unwrap_or(metric);
    let said = ["_pct", "_usd", "_iqd"].iter().any(|s| base.ends_with(s));
    match crate::engine::metrics::metric_unit(base) {
        Some(unit) if !said && unit != base => format!("{metric} ({})", super::unit_words(unit)),
        _ => metric.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::named_with_unit;

    #[test]
    fn a_metric_whose_name_does_not_say_its_unit_is_given_it() {
        assert_eq!(named_with_unit("parallel_rate"), "parallel_rate (IQD per USD)");
        assert_eq!(
            named_with_unit("effective_rate:max"),
            "effective_rate:max (IQD per USD)"
        );
        assert_eq!(
            named_with_unit("official_rate@2023-03"),
            "official_rate@2023-03 (IQD per USD)"
        );
        for said in [
            "premium_pct",
            "sales_usd",
            "price_impact_pct[Food]",
            "payment_usd[Debt service]",
            "flights",
        ] {
            assert_eq!(named_with_unit(said), said);
        }
    }
}
