//! `mc`'s report with what its pictures and workbook add: the model it is
//! about and, for each metric, its spread by month and the distribution
//! of its summary. Text, CSV and JSON are those of the statistics alone
//! (as `merge` writes them too); the chart draws a fan and a histogram
//! per metric, and the workbook holds every table.

use serde::{Serialize, Serializer};

use super::fan::FanData;
use super::ModelInfo;
use crate::render::count;
use crate::render::{Book, Chart, Document, Report, Sheet, Table};
use crate::uncertainty_analysis::report::McReport;

/// A Monte Carlo report about a model, with its fans.
#[derive(Debug, Clone, PartialEq)]
pub struct McView {
    /// The statistics: percentiles of each metric and the inputs that drive them.
    pub stats: McReport,
    /// The model the draws are of.
    pub model: ModelInfo,
    /// One per metric; empty unless a chart or a workbook is written.
    pub fans: Vec<FanData>,
}

impl Serialize for McView {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.stats.serialize(s)
    }
}

impl Report for McView {
    fn document(&self) -> Document {
        self.stats.document()
    }

    fn csv(&self) -> Option<Table> {
        self.stats.csv()
    }

    fn chart(&self) -> Option<Chart> {
        Some(Chart {
            title: self.model.name.clone(),
            subtitle: self.model.subtitle(format!(
                "Monte Carlo over [uncertainty]: {} draws ({} sampler, seed {})",
                count(self.stats.n),
                self.stats.info.sampler.name(),
                self.stats.info.seed
            )),
            footer: self.model.footer(),
            panels: self.fans.iter().flat_map(FanData::panels).collect(),
        })
    }

    fn book(&self) -> Option<Book> {
        let s = &self.stats;
        let mut sheets = vec![
            Sheet::from_table("Statistics", &s.statistics_table()).frozen(1),
            Sheet::from_table("Drivers", &s.drivers_table()).frozen(1),
        ];
        if let Some(c) = &s.convergence {
            sheets.push(Sheet::from_table("Convergence", &s.convergence_table(c)).frozen(2));
        }
        sheets.extend(self.fans.iter().filter_map(FanData::sheet));
        Some(self.model.book(sheets))
    }
}
