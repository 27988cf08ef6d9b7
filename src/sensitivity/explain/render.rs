//! `explain` as a table, Markdown, CSV or JSON.

use super::*;
use crate::model::Model;
use crate::render::{Format, Grid};
use crate::report::run::model_json;
use serde_json::{json, Value};
use std::io::{self, Write};

impl Explanation {
    pub fn write(&self, model: &Model, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table | Format::Md => self.text(model, format == Format::Md, out),
            Format::Csv => self.csv(out),
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.json(model))?;
                writeln!(out)
            }
        }
    }

    fn text(&self, model: &Model, md: bool, out: &mut dyn Write) -> io::Result<()> {
        let (h1, h2) = if md { ("# ", "## ") } else { ("", "") };
        writeln!(out, "{h1}{} = {} {}", self.metric, n(self.value), self.unit)?;
        writeln!(out, "{}\n", model.name)?;
        if let Some(a) = &self.aggregation {
            writeln!(out, "{} is {}:\n", self.metric, a.how)?;
            let mut g = Grid::new(["month", "value"], 1);
            for (m, x) in &a.months {
                g.push([m.to_string(), n(*x)]);
            }
            if md {
                g.markdown(out)?;
            } else {
                g.table(out)?;
            }
            writeln!(out, "\nThe chain for {}, {}:", self.month, self.month_reason)?;
        } else {
            writeln!(out, "The chain for {}:", self.month)?;
        }
        for s in &self.steps {
            writeln!(out, "\n{h2}Step {}. {}\n", s.number, s.title)?;
            if md {
                writeln!(out, "```text")?;
            }
            let width = s.lines.iter().map(|l| l.name.chars().count()).max().unwrap_or(0);
            for l in &s.lines {
                let mark = if l.metric.as_ref() == Some(&self.name) {
                    format!("   <- {}", self.metric)
                } else {
                    String::new()
                };
                writeln!(out, "  {:<width$} = {}", l.name, l.formula)?;
                if l.numbers == n(l.value) {
                    writeln!(out, "  {:<width$} = {}{mark}", "", l.numbers)?;
                } else {
                    writeln!(out, "  {:<width$} = {} = {}{mark}", "", l.numbers, n(l.value))?;
                }
            }
            if md {
                writeln!(out, "```")?;
            }
            if !s.used.is_empty() {
                writeln!(out)?;
                let mut g = Grid::new(["assumption", "where", "value", "in force"], 2).wrap(3, 60);
                for u in &s.used {
                    g.push([
                        u.path.clone(),
                        u.location.clone(),
                        format!("{} {}", n(u.value), u.unit),
                        u.change.clone().unwrap_or_else(|| "base value".into()),
                    ]);
                }
                if md {
                    g.markdown(out)?;
                } else {
                    g.table(out)?;
                }
            }
        }
        Ok(())
    }

    /// `step,kind,name,value,detail`: the monthly values of a summary
    /// (step `summary`), each computed quantity (kind `value`, detail the
    /// formula with its numbers) and each assumption (kind `assumption`,
    /// detail where it is and the change in force).
    pub fn csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["step", "kind", "name", "value", "detail"])?;
        if let Some(a) = &self.aggregation {
            w.write_record(["summary", "result", &self.metric, &self.value.to_string(), &a.how])?;
            for (m, x) in &a.months {
                w.write_record(["summary", "month", &m.to_string(), &x.to_string(), ""])?;
            }
        }
        for s in &self.steps {
            let step = s.number.to_string();
            for l in &s.lines {
                w.write_record([
                    step.as_str(),
                    "value",
                    &l.name,
                    &l.value.to_string(),
                    &format!("{} = {}", l.formula, l.numbers),
                ])?;
            }
            for u in &s.used {
                let mut detail = u.location.clone();
                if let Some(c) = &u.change {
                    detail.push_str(&format!("; {c}"));
                }
                w.write_record([
                    step.as_str(),
                    "assumption",
                    &u.path,
                    &u.value.to_string(),
                    &detail,
                ])?;
            }
        }
        w.flush()
    }

    pub fn json(&self, model: &Model) -> Value {
        json!({
            "model": model_json(model),
            "metric": self.metric,
            "value": self.value.to_string(),
            "unit": self.unit,
            "aggregation": self.aggregation.as_ref().map(|a| json!({
                "how": a.how,
                "months": a.months.iter().map(|(m, x)| json!({"month": m.to_string(), "value": x.to_string()})).collect::<Vec<_>>(),
            })),
            "month": self.month.to_string(),
            "month_reason": self.month_reason,
            "steps": self.steps.iter().map(|s| json!({
                "step": s.number,
                "title": s.title,
                "values": s.lines.iter().map(|l| json!({
                    "name": l.name,
                    "formula": l.formula,
                    "numbers": l.numbers,
                    "value": l.value.to_string(),
                    "metric": l.metric,
                })).collect::<Vec<_>>(),
                "assumptions": s.used.iter().map(|u| json!({
                    "path": u.path,
                    "value": u.value.to_string(),
                    "unit": u.unit,
                    "location": u.location,
                    "change": u.change,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}
