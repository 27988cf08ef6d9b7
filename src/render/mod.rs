//! Output formats and the pieces every renderer shares: a grid of cells
//! rendered as a terminal table or Markdown (tabled), and the display
//! formatting of numbers (thousands separators). Formatting is for display
//! only: rendered text never feeds back into a computation.

use std::io::{self, Write};

use clap::ValueEnum;
use rust_decimal::Decimal;
use tabled::builder::Builder;
use tabled::settings::object::{Columns, Object, Rows};
use tabled::settings::{Alignment, Style, Width};

use crate::number::clean;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
}

/// A table of text cells with a header row; the first `left` columns are
/// left-aligned, the rest (numbers) right-aligned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub left: usize,
    /// A text column wrapped at a width in the terminal table.
    pub wrap: Option<(usize, usize)>,
    /// Text columns after `left` that stay left-aligned.
    pub text: Vec<usize>,
}

impl Grid {
    pub fn new(header: impl IntoIterator<Item = impl Into<String>>, left: usize) -> Self {
        Grid {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            left,
            wrap: None,
            text: Vec::new(),
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

    pub fn push(&mut self, row: impl IntoIterator<Item = impl Into<String>>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }

    fn build(&self) -> tabled::Table {
        let mut b = Builder::default();
        b.push_record(self.header.clone());
        for r in &self.rows {
            b.push_record(r.clone());
        }
        let mut t = b.build();
        for col in self.left..self.header.len() {
            if self.wrap.is_none_or(|(w, _)| w != col) && !self.text.contains(&col) {
                t.modify(Columns::one(col).not(Rows::first()), Alignment::right());
            }
        }
        t
    }

    /// A plain-text table for the terminal.
    pub fn table(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut t = self.build();
        t.with(Style::psql());
        if let Some((col, width)) = self.wrap {
            t.modify(Columns::one(col), Width::wrap(width).keep_words(true));
        }
        writeln!(out, "{t}")
    }

    /// A GitHub-flavoured Markdown table.
    pub fn markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut t = self.build();
        t.with(Style::markdown());
        writeln!(out, "{t}")
    }
}

/// A decimal with thousands separators, keeping its own decimal places:
/// `1234567.5` → `1,234,567.5`.
pub fn thousands(d: Decimal) -> String {
    let s = clean(d).to_string();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A decimal rounded for display to `dp` places, with thousands separators.
pub fn display(d: Decimal, dp: u32) -> String {
    let mut r = d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointNearestEven);
    r.rescale(dp);
    thousands(r)
}

/// Decimal places a value of `unit` is displayed with in tables: cents for
/// money, four places for rates and percentages, none for counts.
pub fn places(unit: &str) -> u32 {
    match unit {
        "USD" | "IQD" | "USD/day" | "USD/month" | "USD/flight" => 2,
        "flights" => 0,
        _ => 4,
    }
}

/// USD in billions for prose: `113670880500` → `$113.67 billion`; smaller
/// amounts in millions or in full.
pub fn usd_words(d: Decimal) -> String {
    let abs = d.abs();
    let billion = Decimal::from(1_000_000_000u64);
    let million = Decimal::from(1_000_000u64);
    if abs >= billion {
        format!("${} billion", display(d / billion, 2))
    } else if abs >= million {
        format!("${} million", display(d / million, 1))
    } else {
        format!("${}", display(d, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn thousands_separators_keep_decimals() {
        assert_eq!(thousands(d("1234567.50")), "1,234,567.50");
        assert_eq!(thousands(d("-1234")), "-1,234");
        assert_eq!(thousands(d("999")), "999");
        assert_eq!(thousands(d("1000")), "1,000");
        assert_eq!(thousands(d("-0.00")), "0.00");
        assert_eq!(display(d("1745.32515"), 2), "1,745.33");
        assert_eq!(display(d("12"), 2), "12.00");
    }

    #[test]
    fn prose_amounts() {
        assert_eq!(usd_words(d("113670880500.00")), "$113.67 billion");
        assert_eq!(usd_words(d("1339998660")), "$1.34 billion");
        // 56.25 rounds half to even.
        assert_eq!(usd_words(d("56250000.00")), "$56.2 million");
        assert_eq!(usd_words(d("5700")), "$5,700");
    }

    #[test]
    fn grid_renders_as_table_and_markdown() {
        let mut g = Grid::new(["metric", "value"], 1);
        g.push(["flights", "3"]);
        g.push(["parallel_rate", "1,745.3251"]);
        let mut out = Vec::new();
        g.markdown(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "| metric        | value      |\n|---------------|------------|\n| flights       |          3 |\n| parallel_rate | 1,745.3251 |\n"
        );
    }
}
