//! What a workbook holds, before any file: sheets of typed cells (numbers
//! stay numbers, with the places they are shown with), which columns stay
//! in view, which wrap, and native charts over ranges of a sheet. Reports
//! build a [`Book`] from the same tables they show; `render::xlsx` writes
//! it with rust_xlsxwriter.

use super::document::{Cell, Table};

/// A workbook: its sheets in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Book {
    /// The sheets, in the order the workbook shows their tabs.
    pub sheets: Vec<Sheet>,
}

/// One sheet: a header row (frozen) and rows of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// At most 31 characters, none of `[]:*?/\`.
    pub name: String,
    /// The header row, frozen at the top of the sheet.
    pub header: Vec<Cell>,
    /// The data rows under the header, typed cells (numbers stay numbers).
    pub rows: Vec<Vec<Cell>>,
    /// Columns kept in view when scrolling right (row labels).
    pub frozen_columns: u16,
    /// Text columns wrapped at a width in characters.
    pub wrap: Vec<(usize, usize)>,
    /// Native charts placed on this sheet over ranges of its own cells.
    pub charts: Vec<SheetChart>,
    /// Plain text in a fixed-width font, one line a row (a model file).
    pub text: bool,
}

/// A native Excel chart over cells of its sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetChart {
    /// Line or bar chart.
    pub kind: ChartKind,
    /// The chart's title, shown above the plot.
    pub title: String,
    /// The horizontal (category) axis title, e.g. the month or the swept parameter.
    pub x_title: String,
    /// The vertical (value) axis title, with its unit (e.g. IQD per USD).
    pub y_title: String,
    /// The category labels.
    pub categories: Span,
    /// Each series' name and values.
    pub series: Vec<(String, Span)>,
    /// The cell the chart's top left corner sits on.
    pub at: (u32, u16),
}

/// The kind of native Excel chart a [`SheetChart`] is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Lines with markers (values by month, a one-way sweep).
    Line,
    /// Horizontal bars overlapping at zero, first category at the top (a tornado).
    Bar,
}

/// A block of cells of one sheet, corners included; row 0 is the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The top left cell, as (row, column), both from 0.
    pub first: (u32, u16),
    /// The bottom right cell, as (row, column), both from 0.
    pub last: (u32, u16),
}

impl Span {
    /// Rows `rows` (inclusive, 1 is the first data row) of column `col`.
    pub fn column(col: u16, first: u32, last: u32) -> Span {
        Span {
            first: (first, col),
            last: (last, col),
        }
    }

    /// Columns `first..=last` of row `row`.
    pub fn row(row: u32, first: u16, last: u16) -> Span {
        Span {
            first: (row, first),
            last: (row, last),
        }
    }
}

impl Sheet {
    /// A sheet named `name` holding `table`: its header, its cells, its
    /// wrapped column.
    pub fn from_table(name: impl Into<String>, table: &Table) -> Sheet {
        Sheet {
            name: name.into(),
            header: table.header.iter().map(Cell::from).collect(),
            rows: table.rows.clone(),
            wrap: table.wrap.into_iter().collect(),
            ..Sheet::default()
        }
    }

    /// A sheet of plain text, one line a row under a one-cell header.
    pub fn text(name: impl Into<String>, header: impl Into<String>, text: &str) -> Sheet {
        Sheet {
            name: name.into(),
            header: vec![Cell::Text(header.into())],
            rows: text.lines().map(|l| vec![Cell::from(l)]).collect(),
            text: true,
            ..Sheet::default()
        }
    }

    /// The sheet with its first `columns` columns (the row labels) kept in view when
    /// scrolling right.
    pub fn frozen(mut self, columns: u16) -> Sheet {
        self.frozen_columns = columns;
        self
    }

    /// The sheet with `chart` added to its charts.
    pub fn chart(mut self, chart: SheetChart) -> Sheet {
        self.charts.push(chart);
        self
    }

    /// The cell below the last row, as a place for a chart.
    pub fn below(&self) -> (u32, u16) {
        (self.rows.len() as u32 + 2, 0)
    }
}
