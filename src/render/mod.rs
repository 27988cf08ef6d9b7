//! One home for output. A report is data that knows nothing of formats:
//! it implements [`Report`], saying what it shows as a [`Document`] (for
//! the terminal, Markdown and HTML renderers), its tidy [`Table`] (for
//! CSV), its picture as a [`Chart`] (for SVG), its sheets as a [`Book`]
//! (for Excel) and its `serde::Serialize` form (for JSON). [`write`] is the
//! one place a [`Format`] is matched; each format is one renderer file (or
//! folder) beside this one. A new format is a new renderer, its variant
//! here with the extension that names it, and its arm in [`write`].

pub mod book;
pub mod chart;
mod csv;
mod document;
mod html;
mod json;
mod markdown;
mod numbers;
pub mod svg;
mod table;
mod xlsx;

use std::io::{self, Write};
use std::path::Path;

use clap::ValueEnum;

pub use book::{Book, Sheet};
pub use chart::Chart;
pub use document::{Block, Cell, Document, Number, Range, Ranges, Table};
pub use json::{one_or_list, Json, Lazy, Pairs};
pub use numbers::{count, display, places, plural, significant, thousands, usd_words, usd_words_adding};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for the terminal.
    Table,
    /// The report's tidy table, values exact (no separators, no rounding).
    Csv,
    /// The report's data, every decimal an exact string.
    Json,
    /// Markdown, for a note or a briefing.
    Md,
    /// A standalone SVG chart.
    Svg,
    /// A self-contained HTML page (the briefing).
    Html,
    /// An Excel workbook.
    Xlsx,
}

impl Format {
    /// The format a file name's extension names (`.csv`, `.json`, `.md`,
    /// `.svg`, `.html`, `.xlsx`; `.txt` is a terminal table), or `None`
    /// when it names none.
    pub fn of_file(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Format::Table,
            "csv" => Format::Csv,
            "json" => Format::Json,
            "md" => Format::Md,
            "svg" => Format::Svg,
            "html" | "htm" => Format::Html,
            "xlsx" => Format::Xlsx,
            _ => return None,
        })
    }
}

/// What every report offers the renderers.
pub trait Report: Json {
    /// The report laid out for reading.
    fn document(&self) -> Document;

    /// The tidy table `--format csv` writes; `None` for a report without
    /// one, which has no CSV form (its command refuses `--format csv`).
    fn csv(&self) -> Option<Table> {
        None
    }

    /// The picture `--format svg` draws; `None` for a report without one.
    fn chart(&self) -> Option<Chart> {
        None
    }

    /// The workbook `--format xlsx` writes; `None` for a report without one.
    fn book(&self) -> Option<Book> {
        None
    }
}

impl Format {
    /// Whether the format is bytes rather than text (refused on a terminal).
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }

    /// The format as `--format` names it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Md => "md",
            Format::Svg => "svg",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
        }
    }
}

/// A format the report cannot be written in: a usage problem the command
/// line checks before any work, so this only backs that check up.
fn unsupported(format: Format) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("this report has no {} form", format.name()),
    )
}

/// Writes `report` in `format` to `out`.
pub fn write(report: &dyn Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::write(&report.document(), out),
        Format::Md => markdown::write(&report.document(), out),
        Format::Csv => match report.csv() {
            Some(t) => csv::write(&t, out),
            None => Err(unsupported(format)),
        },
        Format::Json => report.write_json(out),
        Format::Svg => match report.chart() {
            Some(c) => svg::write(&c, out),
            None => Err(unsupported(format)),
        },
        Format::Html => html::write(&report.document(), out),
        Format::Xlsx => match report.book() {
            Some(b) => xlsx::write(&b, out),
            None => Err(unsupported(format)),
        },
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
        // Without a tidy table of its own, a report has no CSV form: a
        // terminal table under a .csv name would be read as a broken CSV.
        let mut out = Vec::new();
        assert!(write(&Small, Format::Csv, &mut out).is_err());
        assert_eq!(text(Format::Json), "null\n");
    }

    #[test]
    fn file_extensions_name_formats() {
        let of = |name: &str| Format::of_file(Path::new(name));
        assert_eq!(of("out/run.csv"), Some(Format::Csv));
        assert_eq!(of("run.JSON"), Some(Format::Json));
        assert_eq!(of("brief.md"), Some(Format::Md));
        assert_eq!(of("brief.txt"), Some(Format::Table));
        assert_eq!(of("brief"), None);
        assert_eq!(of("brief.xlsx"), Some(Format::Xlsx));
        assert_eq!(of("rates.SVG"), Some(Format::Svg));
        assert_eq!(of("brief.html"), Some(Format::Html));
        assert_eq!(of("brief.pdf"), None);
    }
}
