//! `explain`: the chain of docs/model.md steps behind one number, each quantity
//! with its formula, its numbers and its value, and every assumption used
//! with where it is written.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::ModelInfo;
use crate::model::Model;
use crate::render::{display, places, thousands, Block, Cell, Document, Report, Table};
use crate::sensitivity::explain::{Assumed, Explanation, Step};

/// The explanation of one number of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainReport {
    /// The model the number comes from.
    pub model: ModelInfo,
    /// The steps behind the number and the assumptions they use.
    pub explanation: Explanation,
}

impl ExplainReport {
    /// The report on `explanation` of a number of `model`.
    pub fn new(model: &Model, explanation: Explanation) -> Self {
        ExplainReport {
            model: ModelInfo::of(model),
            explanation,
        }
    }

    /// `= value` as the heading shows the number: money to the cent
    /// (`≈` where a mean of money has more places), anything else as it is.
    fn shown_value(&self) -> String {
        let e = &self.explanation;
        let cents = places(e.unit) == 2;
        if cents && e.value.round_dp(2) != e.value {
            format!("≈ {}", display(e.value, 2))
        } else {
            format!("= {}", thousands(e.value))
        }
    }

    /// A step's quantities, aligned on their `=`: the formula, then the
    /// numbers and the value, the explained metric marked.
    fn lines(&self, s: &Step) -> Vec<String> {
        let e = &self.explanation;
        let width = s.lines.iter().map(|l| l.name.chars().count()).max().unwrap_or(0);
        let mut out = Vec::new();
        for l in &s.lines {
            let mark = if l.metric.as_ref() == Some(&e.name) {
                format!("   <- {}", e.metric)
            } else {
                String::new()
            };
            out.push(format!("  {:<width$} = {}", l.name, l.formula));
            // A value worked out beside the step is shown to its places,
            // with `≈` where that rounds it.
            let (eq, value) = match l.places {
                Some(p) => {
                    let shown = l.value.round_dp(p);
                    (if shown == l.value { "=" } else { "≈" }, thousands(shown))
                }
                None => ("=", thousands(l.value)),
            };
            if l.numbers == value {
                out.push(format!("  {:<width$} = {}{mark}", "", l.numbers));
            } else {
                out.push(format!("  {:<width$} = {} {eq} {value}{mark}", "", l.numbers));
            }
        }
        out
    }
}

crate::render::formats!(ExplainReport: TEXT);

impl Report for ExplainReport {
    fn document(&self) -> Document {
        let e = &self.explanation;
        let mut doc = Document::new();
        doc.heading(1, format!("{} {} {}", e.metric, self.shown_value(), e.unit))
            .line(&self.model.name);
        self.model.note_what_if(&mut doc);
        doc.blank();
        if let Some(a) = &e.aggregation {
            let mut t = Table::new(["month", "value"], 1);
            for (m, x) in &a.months {
                t.push([Cell::Text(m.to_string()), Cell::num(*x)]);
            }
            doc.line(format!("{} is {}:", e.metric, a.how))
                .blank()
                .table(t)
                .blank()
                .line(format!("The chain for {}, {}:", e.month, e.month_reason));
        } else {
            doc.line(format!("The chain for {}:", e.month));
        }
        for s in &e.steps {
            doc.section(2, format!("Step {}. {}", s.number, s.title))
                .push(Block::Preformatted(self.lines(s)));
            if !s.used.is_empty() {
                let mut t = Table::new(["assumption", "where", "value", "in force"], 2)
                    .wrap(3, 60)
                    .optional_column(1);
                for u in &s.used {
                    t.push([
                        Cell::from(&u.path),
                        Cell::from(&u.location),
                        Cell::Text(format!("{} {}", u.value.text(), u.unit)),
                        Cell::Text(u.change.clone().unwrap_or_else(|| "base value".into())),
                    ]);
                }
                doc.blank().table(t);
            }
        }
        doc
    }

    /// `step,kind,name,value,detail`: the monthly values of a summary
    /// (step `summary`), each computed quantity (kind `value`, detail the
    /// formula with its numbers) and each assumption (kind `assumption`,
    /// detail where it is and the change in force).
    fn csv(&self) -> Option<Table> {
        let e = &self.explanation;
        let mut t = Table::new(["step", "kind", "name", "value", "detail"], 0);
        if let Some(a) = &e.aggregation {
            t.push([
                Cell::from("summary"),
                Cell::from("result"),
                Cell::from(&e.metric),
                Cell::plain(e.value),
                Cell::from(&a.how),
            ]);
            for (m, x) in &a.months {
                t.push([
                    Cell::from("summary"),
                    Cell::from("month"),
                    Cell::Text(m.to_string()),
                    Cell::plain(*x),
                    Cell::Empty,
                ]);
            }
        }
        for s in &e.steps {
            let step = Cell::Count(u64::from(s.number));
            for l in &s.lines {
                t.push([
                    step.clone(),
                    Cell::from("value"),
                    Cell::from(&l.name),
                    Cell::plain(l.value),
                    Cell::Text(format!("{} = {}", l.formula, l.numbers)),
                ]);
            }
            for u in &s.used {
                let mut detail = u.location.clone();
                if let Some(c) = &u.change {
                    detail.push_str(&format!("; {c}"));
                }
                let value = match &u.value {
                    Assumed::One(x) => Cell::plain(*x),
                    Assumed::List(xs) => {
                        Cell::Text(xs.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))
                    }
                };
                t.push([
                    step.clone(),
                    Cell::from("assumption"),
                    Cell::from(&u.path),
                    value,
                    Cell::Text(detail),
                ]);
            }
        }
        Some(t)
    }
}

impl Serialize for ExplainReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Month {
            month: String,
            value: Decimal,
        }
        #[derive(Serialize)]
        struct Aggregation<'a> {
            how: &'a str,
            months: Vec<Month>,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            metric: &'a str,
            value: Decimal,
            unit: &'a str,
            aggregation: Option<Aggregation<'a>>,
            month: String,
            month_reason: &'a str,
            steps: &'a [Step],
        }
        let e = &self.explanation;
        Json {
            model: &self.model,
            metric: &e.metric,
            value: e.value,
            unit: e.unit,
            aggregation: e.aggregation.as_ref().map(|a| Aggregation {
                how: &a.how,
                months: a
                    .months
                    .iter()
                    .map(|(m, x)| Month {
                        month: m.to_string(),
                        value: *x,
                    })
                    .collect(),
            }),
            month: e.month.to_string(),
            month_reason: &e.month_reason,
            steps: &e.steps,
        }
        .serialize(s)
    }
}
