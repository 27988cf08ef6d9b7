//! One home for output. A report is data that knows nothing of formats:
//! it implements [`Report`], saying what it shows as a [`Document`] (for
//! the terminal and Markdown renderers), its tidy [`Table`] (for CSV) and
//! its `serde::Serialize` form (for JSON). [`write`] is the one place a
//! [`Format`] is matched; each format is one renderer file beside this
//! one. A new format is a new renderer file, its variant here and its arm
//! in [`write`].

mod csv;
mod document;
mod json;
mod markdown;
mod numbers;
mod table;

use std::io::{self, Write};

use clap::ValueEnum;

pub use document::{Block, Cell, Document, Number, Range, Ranges, Table};
pub use json::{one_or_list, Json, Lazy, Pairs};
pub use numbers::{display, places, thousands, usd_words};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
}

/// What every report offers the renderers.
pub trait Report: Json {
    /// The report laid out for reading.
    fn document(&self) -> Document;

    /// The tidy table `--format csv` writes; `None` for a report without
    /// one, which CSV then shows as a terminal table.
    fn csv(&self) -> Option<Table> {
        None
    }
}

/// Writes `report` in `format` to `out`.
pub fn write(report: &dyn Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::write(&report.document(), out),
        Format::Md => markdown::write(&report.document(), out),
        Format::Csv => match report.csv() {
            Some(t) => csv::write(&t, out),
            None => table::write(&report.document(), out),
        },
        Format::Json => report.write_json(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of one small table.
    #[derive(serde::Serialize)]
    struct Small;

    impl Report for Small {
        fn document(&self) -> Document {
            let mut t = Table::new(["metric", "value"], 1);
            t.push([Cell::from("flights"), Cell::Count(3)]);
            t.push([
                Cell::from("parallel_rate"),
                Cell::num("1745.3251".parse().unwrap()),
            ]);
            let mut doc = Document::new();
            doc.table(t);
            doc
        }
    }

    fn text(format: Format) -> String {
        let mut out = Vec::new();
        write(&Small, format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_table_renders_as_table_and_markdown() {
        assert_eq!(
            text(Format::Md),
            "| metric        | value      |\n|---------------|------------|\n| flights       |          3 |\n| parallel_rate | 1,745.3251 |\n"
        );
        assert_eq!(
            text(Format::Table),
            " metric        | value      \n---------------+------------\n flights       |          3 \n parallel_rate | 1,745.3251 \n"
        );
        // Without a CSV table of its own, CSV shows the terminal table.
        assert_eq!(text(Format::Csv), text(Format::Table));
        assert_eq!(text(Format::Json), "null\n");
    }
}
