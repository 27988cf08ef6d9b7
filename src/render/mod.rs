//! One home for output. A report is data that knows nothing of formats:
//! it implements [`Report`], saying what it shows as a [`Document`] (for
//! the terminal, Markdown and HTML renderers), its tidy [`Table`] (for
//! CSV), its picture as a [`Chart`] (for SVG), its sheets as a [`Book`]
//! (for Excel) and its `serde::Serialize` form (for JSON). [`write()`] is the
//! one place a [`Format`] is matched; each format is one renderer file (or
//! folder) beside this one. A new format is a new renderer, its variant
//! here with the extension that names it, and its arm in [`write()`].

pub mod book;
pub mod chart;
mod csv;
mod document;
mod expanded;
mod html;
mod json;
mod markdown;
mod messages;
mod numbers;
mod png;
pub mod shell;
pub mod svg;
mod table;
mod xlsx;

use std::io::{self, Write};
use std::path::Path;

use clap::ValueEnum;

pub use book::{Book, Sheet};
pub use chart::Chart;
pub use document::{Block, Cell, Document, Number, Range, Ranges, Rounded, Table};
pub use json::{one_or_list, Json, Lazy, Pairs};
pub use messages::WrappedMessages;
pub use numbers::{
    change_for_people, count, counted, display, exact_with_unit, for_people, places, plural, significant,
    thousands, three_figures, usd_short, usd_words, usd_words_adding, PEOPLE_FIGURES,
};
pub use png::png;

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
    /// The chart as a PNG picture (drawn with the font dinarflow carries).
    Png,
    /// A self-contained HTML page (the briefing).
    Html,
    /// An Excel workbook.
    Xlsx,
}

impl Format {
    /// The format a file name's extension names (`.csv`, `.json`, `.md`,
    /// `.svg`, `.png`, `.html`, `.xlsx`; `.txt` is a terminal table), or `None`
    /// when it names none.
    pub fn of_file(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Format::Table,
            "csv" => Format::Csv,
            "json" => Format::Json,
            "md" => Format::Md,
            "svg" => Format::Svg,
            "png" => Format::Png,
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

/// The formats a report is written in, declared once by the report (with
/// `formats!`): its command refuses any other before any work.
pub trait Formats {
    /// In the order `--format` lists them.
    const FORMATS: &'static [Format];
}

/// Declares the formats a report is written in, in the order `--format`
/// lists them: one of the sets (`formats!(RunReport: CHART_BOOK)`, see
/// [`Format::TEXT`]) or a list (`formats!(Briefing: [Html])`).
macro_rules! formats {
    ($report:ty: [$($format:ident),* $(,)?]) => {
        impl $crate::render::Formats for $report {
            const FORMATS: &'static [$crate::render::Format] = &[$($crate::render::Format::$format),*];
        }
    };
    ($report:ty: $set:ident) => {
        impl $crate::render::Formats for $report {
            const FORMATS: &'static [$crate::render::Format] = $crate::render::Format::$set;
        }
    };
}
pub(crate) use formats;

impl Format {
    /// The four text formats every report is written in.
    pub const TEXT: &'static [Format] = &[Format::Table, Format::Csv, Format::Json, Format::Md];
    /// The text formats and a chart.
    pub const CHART: &'static [Format] =
        &[Self::Table, Self::Csv, Self::Json, Self::Md, Self::Svg, Self::Png];
    /// The text formats, a chart and a workbook.
    #[rustfmt::skip]
    pub const CHART_BOOK: &'static [Format] =
        &[Self::Table, Self::Csv, Self::Json, Self::Md, Self::Svg, Self::Png, Self::Xlsx];
}

impl Format {
    /// Whether the format is bytes rather than text (refused on a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Png)
    }

    /// Whether the format is a picture (`--size` applies).
    pub fn is_picture(self) -> bool {
        matches!(self, Format::Svg | Format::Png)
    }

    /// The format as `--format` names it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Md => "md",
            Format::Svg => "svg",
            Format::Png => "png",
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

/// Text broken into lines of at most `width` columns between words, at
/// spaces only: a date (`2022-11`), a path or a range (`0.1:0.9`) is
/// never split at its hyphen or colon. The terminal's tables, records and
/// messages all wrap this way.
fn between_words(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width.max(1))
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// The size of a picture in pixels, `--size WxH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Size {
    /// The least width or height `--size` takes.
    pub const MIN: u32 = 320;
    /// The greatest width or height `--size` takes.
    pub const MAX: u32 = 8000;
    /// A slide: 1280 × 720.
    pub const SLIDE: Size = Size {
        width: 1280,
        height: 720,
    };
}

impl std::str::FromStr for Size {
    type Err = String;

    /// `1280x720` (or `1280X720`, `1280×720`), each side from 320 to 8000.
    fn from_str(s: &str) -> Result<Size, String> {
        let bad = || format!("`{s}` is not a size: write WIDTHxHEIGHT in pixels, e.g. 1280x720");
        let (w, h) = s.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
        let (width, height): (u32, u32) = (
            w.trim().parse().map_err(|_| bad())?,
            h.trim().parse().map_err(|_| bad())?,
        );
        for v in [width, height] {
            if !(Size::MIN..=Size::MAX).contains(&v) {
                return Err(format!(
                    "size {width}x{height}: each side must be {} to {} pixels",
                    Size::MIN,
                    Size::MAX
                ));
            }
        }
        Ok(Size { width, height })
    }
}

/// Writes `report` in `format` to `out`; a picture is 1280 pixels wide
/// and as tall as it needs.
pub fn write(report: &dyn Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    write_sized(report, format, None, out)
}

/// Writes `report` in `format` to `out`, a picture (SVG, PNG) of `size`
/// when one is given (other formats ignore it).
pub fn write_sized(
    report: &dyn Report,
    format: Format,
    size: Option<Size>,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_fitted(report, format, size, None, out)
}

/// As [`write_sized`], a terminal table fitted to `width` columns when one
/// is given (the terminal's, when the report goes to one): a series too
/// wide for it comes in blocks (see [`Table::series_from`]).
pub fn write_fitted(
    report: &dyn Report,
    format: Format,
    size: Option<Size>,
    width: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::write(&report.document(), width, out),
        Format::Md => markdown::write(&report.document(), out),
        Format::Csv => match report.csv() {
            Some(t) => csv::write(&t, out),
            None => Err(unsupported(format)),
        },
        Format::Json => report.write_json(out),
        Format::Svg => match report.chart() {
            Some(c) => svg::write(&c, size, out),
            None => Err(unsupported(format)),
        },
        Format::Png => match report.chart() {
            Some(c) => png::write(&svg::svg_sized(&c, size)?, out),
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
        assert_eq!(of("rates.png"), Some(Format::Png));
        assert_eq!(of("brief.html"), Some(Format::Html));
        assert_eq!(of("brief.pdf"), None);
    }
}
