//! What a report says, before any format: a list of blocks (a title,
//! headings, lines, bullets, tables of typed cells, preformatted lines, a
//! chart of ranges, a drawn chart) that every text renderer lays out its
//! own way. Cells
//! keep their numbers as numbers, with the places they are shown with, so
//! a renderer that writes numbers (a spreadsheet, a chart) has them.

use rust_decimal::Decimal;

use super::chart::Chart;
use super::numbers::{display, thousands};

/// A report laid out for reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The blocks, in reading order.
    pub blocks: Vec<Block>,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The title of a report on one model. Markdown makes it one heading,
    /// `subject: model` (or the model alone), followed by a blank line; a
    /// terminal shows the model's name on its own line, then `terminal`
    /// (the subject as a terminal shows it, if at all).
    Title {
        /// The model's name, from `[model] name`.
        model: String,
        /// What the report is, e.g. "Tornado of parallel_rate"; Markdown puts it before the
        /// model's name.
        subject: Option<String>,
        /// The line a terminal shows under the model's name, if any.
        terminal: Option<String>,
    },
    /// A heading of `level` 1 to 3: `#`…`###` in Markdown, the bare text
    /// in a terminal.
    Heading {
        /// 1 to 3, the number of `#` in Markdown.
        level: u8,
        /// The heading's text.
        text: String,
    },
    /// A line of text.
    Line(String),
    /// A line a terminal indents by `indent` spaces (to align it under the
    /// line above); a paragraph of its own elsewhere.
    Indented {
        /// Spaces a terminal puts before the text.
        indent: usize,
        /// The line's text.
        text: String,
    },
    /// An empty line.
    Blank,
    /// A blank line Markdown needs (after a heading, before a table) and a
    /// terminal does without.
    Spacer,
    /// A bulleted list.
    Bullets(Vec<String>),
    /// A table of typed cells under a header row.
    Table(Table),
    /// Lines laid out exactly as given, in a fixed-width font.
    Preformatted(Vec<String>),
    /// Ranges around a base value, e.g. a tornado's bars.
    Ranges(Ranges),
    /// A drawn chart: inline in HTML, left out of text.
    Chart(Box<Chart>),
}

/// A table with a header row. The first `left` columns are left-aligned,
/// the rest (numbers) right-aligned, except the `text` columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The column titles, with units where a column has one.
    pub header: Vec<String>,
    /// The rows, each as many cells as the header has titles.
    pub rows: Vec<Vec<Cell>>,
    /// How many columns from the left are labels (left-aligned).
    pub left: usize,
    /// A text column wrapped at a width in terminal tables.
    pub wrap: Option<(usize, usize)>,
    /// Text columns after `left` that stay left-aligned.
    pub text: Vec<usize>,
    /// A column that repeats, exact, the figures rounded for people
    /// beside it ([`Cell::Rounded`]): a terminal and Markdown show it,
    /// HTML leaves it out (each rounded cell has its exact value as a
    /// tooltip there).
    pub exact: Option<usize>,
    /// The first column of a series (months, quarters): on a terminal too
    /// narrow for the whole table, the series is shown in blocks of
    /// columns that fit, each repeating the columns before this one.
    pub series_from: Option<usize>,
    /// Columns a terminal too narrow for the table leaves out, as it
    /// leaves out `exact` (an assumption's `where`, its file and line:
    /// a pipe, `--out`, Markdown, CSV and JSON keep them).
    pub optional: Vec<usize>,
    /// A text column without `wrap` that a terminal too narrow for the
    /// table may wrap between words (the headline's labels); a pipe and
    /// the files keep each of its cells on one line.
    pub fold: Option<usize>,
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Nothing: a value that does not apply (or could not be computed) in this row.
    Empty,
    /// Text, shown as it is: a label, a source, a note.
    Text(String),
    /// Several values, one per line where a cell can hold lines.
    Lines(Vec<String>),
    /// A decimal amount (USD, IQD per USD, a share) with how it is shown.
    Number(Number),
    /// A percentage, in percent, shown with its own places and a `%`.
    Percent(Decimal),
    /// A whole count, shown without separators.
    Count(u64),
    /// A figure rounded for people (`$191.86 bn`, `1,532 IQD per $`),
    /// with its exact value.
    Rounded(Rounded),
}

/// A figure rounded for people, as [`crate::render::for_people`] writes
/// it, and the exact value it rounds: machine-readable output and
/// tooltips take the exact value, never the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rounded {
    /// The figure rounded, with its unit: `$191.86 bn`.
    pub text: String,
    /// The exact value, as computed.
    pub exact: Decimal,
    /// Its unit as reports name it: `USD`, `IQD/USD`, `%`, `flights`.
    pub unit: String,
}

impl Rounded {
    /// The exact value with separators and its unit, for a tooltip:
    /// `191,864,526,026.48 USD`, `-1.8234%`.
    pub fn exact_text(&self) -> String {
        super::numbers::exact_with_unit(self.exact, &self.unit)
    }
}

/// A decimal and how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    /// The exact value, as computed.
    pub value: Decimal,
    /// Rounded (half to even) to this many places for display; its own
    /// places when `None`.
    pub places: Option<u32>,
    /// With thousands separators.
    pub grouped: bool,
}

/// Bars from one value to another around a base value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranges {
    /// The value the bars are drawn around (a tornado's metric with every parameter at base).
    pub base: Decimal,
    /// The bars, drawn top to bottom in this order.
    pub bars: Vec<Range>,
}

/// One bar of [`Ranges`]: from one value of the metric to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// What the bar is for, e.g. a parameter's path.
    pub label: String,
    /// Where the bar starts: the metric with the parameter at its low value.
    pub from: Decimal,
    /// Where the bar ends: the metric with the parameter at its high value.
    pub to: Decimal,
}

impl Document {
    /// An empty document.
    pub fn new() -> Self {
        Document::default()
    }

    /// Appends `block`; returns the document so that calls chain.
    pub fn push(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    /// A title naming the model only.
    pub fn title(&mut self, model: &str) -> &mut Self {
        self.push(Block::Title {
            model: model.to_string(),
            subject: None,
            terminal: None,
        })
    }

    /// A heading of `level` 1 to 3.
    pub fn heading(&mut self, level: u8, text: impl Into<String>) -> &mut Self {
        self.push(Block::Heading {
            level,
            text: text.into(),
        })
    }

    /// A line of text.
    pub fn line(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Block::Line(text.into()))
    }

    /// An empty line.
    pub fn blank(&mut self) -> &mut Self {
        self.push(Block::Blank)
    }

    /// A blank line in Markdown only (see [`Block::Spacer`]).
    pub fn spacer(&mut self) -> &mut Self {
        self.push(Block::Spacer)
    }

    /// A table.
    pub fn table(&mut self, table: Table) -> &mut Self {
        self.push(Block::Table(table))
    }

    /// A heading of `level` set apart by a blank line above and below.
    pub fn section(&mut self, level: u8, title: impl Into<String>) -> &mut Self {
        self.blank().heading(level, title).blank()
    }

    /// Adds a part for each of `items`, a blank line between two parts.
    pub fn parts<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut part: impl FnMut(&mut Document, T),
    ) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.blank();
            }
            part(self, item);
        }
        self
    }
}

impl Table {
    /// An empty table with `header` as its column titles, the first `left` of them labels.
    pub fn new(header: impl IntoIterator<Item = impl Into<String>>, left: usize) -> Self {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            left,
            ..Table::default()
        }
    }

    /// Keeps column `col` left-aligned although it comes after the first `left`.
    pub fn text_column(mut self, col: usize) -> Self {
        self.text.push(col);
        self
    }

    /// Wraps column `col` at `width` characters in terminal tables, and
    /// left-aligns it.
    pub fn wrap(mut self, col: usize, width: usize) -> Self {
        self.wrap = Some((col, width));
        self
    }

    /// Appends a row of cells (anything that converts into a [`Cell`]).
    pub fn push(&mut self, row: impl IntoIterator<Item = impl Into<Cell>>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }

    /// Marks column `col` as the exact values of the rounded figures
    /// beside it (see [`Table::exact`]).
    pub fn exact_column(mut self, col: usize) -> Self {
        self.exact = Some(col);
        self
    }

    /// Marks the columns from `col` on as a series that a terminal too
    /// narrow for the table shows in blocks (see [`Table::series_from`]).
    pub fn series_from(mut self, col: usize) -> Self {
        self.series_from = Some(col);
        self
    }

    /// Marks column `col` as one a terminal too narrow for the table
    /// leaves out (see [`Table::optional`]).
    pub fn optional_column(mut self, col: usize) -> Self {
        self.optional.push(col);
        self
    }

    /// Marks column `col` as one a terminal too narrow for the table may
    /// wrap (see [`Table::fold`]).
    pub fn fold_column(mut self, col: usize) -> Self {
        self.fold = Some(col);
        self
    }

    /// The table of columns `cols` only, in that order; the label, text,
    /// wrap, exact, optional and fold marks follow their columns.
    pub fn columns(&self, cols: &[usize]) -> Table {
        let at = |c: usize| cols.iter().position(|&k| k == c);
        Table {
            header: cols.iter().map(|&c| self.header[c].clone()).collect(),
            rows: (self.rows.iter())
                .map(|r| {
                    cols.iter()
                        .map(|&c| r.get(c).cloned().unwrap_or(Cell::Empty))
                        .collect()
                })
                .collect(),
            left: cols.iter().take_while(|&&c| c < self.left).count(),
            wrap: self.wrap.and_then(|(c, w)| Some((at(c)?, w))),
            text: self.text.iter().filter_map(|&c| at(c)).collect(),
            exact: self.exact.and_then(at),
            series_from: None,
            optional: self.optional.iter().filter_map(|&c| at(c)).collect(),
            fold: self.fold.and_then(at),
        }
    }

    /// Whether column `col` is right-aligned below the header.
    pub fn right_aligned(&self, col: usize) -> bool {
        col >= self.left && self.wrap.is_none_or(|(w, _)| w != col) && !self.text.contains(&col)
    }
}

impl Cell {
    /// A decimal with thousands separators and its own places.
    pub fn num(value: Decimal) -> Cell {
        Cell::Number(Number {
            value,
            places: None,
            grouped: true,
        })
    }

    /// A decimal rounded to `places`, with thousands separators.
    pub fn fixed(value: Decimal, places: u32) -> Cell {
        Cell::Number(Number {
            value,
            places: Some(places),
            grouped: true,
        })
    }

    /// `value` in `unit` rounded for people (`$191.86 bn`), keeping the
    /// exact value.
    pub fn rounded(value: Decimal, unit: &str) -> Cell {
        Cell::Rounded(Rounded {
            text: super::numbers::for_people(value, unit),
            exact: value,
            unit: unit.to_string(),
        })
    }

    /// A decimal as it is, without separators.
    pub fn plain(value: Decimal) -> Cell {
        Cell::Number(Number {
            value,
            places: None,
            grouped: false,
        })
    }

    /// The cell as text, with `line_break` between the lines of a
    /// multi-line cell.
    pub fn shown(&self, line_break: &str) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Lines(lines) => lines.join(line_break),
            Cell::Number(n) => n.shown(),
            Cell::Percent(p) => format!("{p}%"),
            Cell::Count(n) => n.to_string(),
            Cell::Rounded(r) => r.text.clone(),
        }
    }

    /// The value as computed, for machine-readable output: no separators,
    /// no rounding, no `%`.
    pub fn raw(&self) -> String {
        match self {
            Cell::Number(n) => n.value.to_string(),
            Cell::Percent(p) => p.to_string(),
            Cell::Rounded(r) => r.exact.to_string(),
            other => other.shown("; "),
        }
    }
}

impl Number {
    /// The number as a table shows it: rounded half to even to its places, with
    /// thousands separators when grouped.
    pub fn shown(&self) -> String {
        let rounded = |dp| {
            let mut r = self
                .value
                .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointNearestEven);
            r.rescale(dp);
            r
        };
        match (self.places, self.grouped) {
            (Some(dp), true) => display(self.value, dp),
            (None, true) => thousands(self.value),
            (Some(dp), false) => rounded(dp).to_string(),
            (None, false) => self.value.to_string(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<&String> for Cell {
    fn from(s: &String) -> Cell {
        Cell::Text(s.clone())
    }
}
