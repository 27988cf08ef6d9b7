//! The Excel renderer (`--format xlsx`): a [`Book`] as a workbook written
//! with rust_xlsxwriter. Numbers are written as numbers (the nearest
//! `f64` of the exact decimal) with a number format showing the places
//! the tables show, thousands separators where the tables have them and a
//! `%` after percentages (the value stays in percent, as in CSV and JSON);
//! the header row is frozen (and the row labels, where a sheet says so),
//! columns are as wide as their text, and charts are Excel's own. The
//! document properties carry a fixed date, so the same input gives the
//! same bytes.

use std::collections::HashMap;
use std::io::{self, Write};

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartMarker, ChartMarkerType, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};

use super::book::{Book, ChartKind, Sheet, SheetChart};
use super::document::Cell;
use crate::num::decimal::{clean, to_f64};

/// Widest a column is made, in characters.
const MAX_WIDTH: usize = 60;

fn io(e: XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

pub(super) fn write(book: &Book, out: &mut dyn Write) -> io::Result<()> {
    let mut wb = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(1980, 1, 1).map_err(io)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    let mut formats = Formats::default();
    let mut used: Vec<String> = Vec::new();
    for sheet in &book.sheets {
        let name = sheet_name(&sheet.name, &used);
        let ws = wb.add_worksheet();
        fill(ws, &name, sheet, &mut formats).map_err(io)?;
        used.push(name);
    }
    let bytes = wb.save_to_buffer().map_err(io)?;
    out.write_all(&bytes)
}

/// Number formats made once each.
#[derive(Default)]
struct Formats {
    made: HashMap<String, Format>,
}

impl Formats {
    fn num(&mut self, code: &str) -> &Format {
        self.made
            .entry(code.to_string())
            .or_insert_with(|| Format::new().set_num_format(code))
    }
}

/// The Excel number format showing `places` places, with separators
/// when `grouped`, and `suffix` after.
fn code(places: u32, grouped: bool, suffix: &str) -> String {
    let int = if grouped { "#,##0" } else { "0" };
    let frac = if places > 0 {
        format!(".{}", "0".repeat(places as usize))
    } else {
        String::new()
    };
    format!("{int}{frac}{suffix}")
}

/// Places a decimal shows on its own (trailing zeros kept, as tables show it).
fn own_places(d: Decimal) -> u32 {
    clean(d).scale()
}

/// `name` as Excel allows a sheet name (at most 31 characters, none of
/// `[]:*?/\`, not starting or ending with `'`), made unique among `used`
/// (compared without case, as Excel does) with a number.
pub(crate) fn sheet_name(name: &str, used: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'');
    let clean = if clean.is_empty() { "Sheet" } else { clean };
    let fits = |s: &str, room: usize| s.chars().take(room).collect::<String>();
    let taken = |s: &str| used.iter().any(|u| u.to_lowercase() == s.to_lowercase());
    let mut candidate = fits(clean, 31);
    let mut k = 2;
    while taken(&candidate) {
        let suffix = format!(" ({k})");
        candidate = format!("{}{suffix}", fits(clean, 31 - suffix.len()));
        k += 1;
    }
    candidate
}

fn fill(ws: &mut Worksheet, name: &str, sheet: &Sheet, formats: &mut Formats) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let header = Format::new()
        .set_bold()
        .set_background_color(0xE8E8E8)
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mono = Format::new().set_font_name("Courier New");
    for (c, cell) in sheet.header.iter().enumerate() {
        write_cell(ws, 0, c as u16, cell, formats, Some(&header))?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            let wrapped = sheet.wrap.iter().any(|(w, _)| *w == c) || matches!(cell, Cell::Lines(_));
            let own = if sheet.text {
                Some(&mono)
            } else if wrapped {
                Some(&wrap)
            } else {
                None
            };
            write_cell(ws, r, c16, cell, formats, own)?;
        }
    }
    widths(ws, sheet)?;
    if !sheet.text || !sheet.rows.is_empty() {
        ws.set_freeze_panes(1, sheet.frozen_columns)?;
    }
    for chart in &sheet.charts {
        ws.insert_chart(chart.at.0, chart.at.1, &native(name, chart))?;
    }
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    formats: &mut Formats,
    own: Option<&Format>,
) -> Result<(), XlsxError> {
    if let Some((value, code)) = number_of(cell) {
        return ws
            .write_number_with_format(r, c, value, formats.num(&code))
            .map(|_| ());
    }
    match cell {
        Cell::Empty => Ok(()),
        Cell::Text(t) => match own {
            Some(f) => ws.write_string_with_format(r, c, t, f).map(|_| ()),
            None => ws.write_string(r, c, t).map(|_| ()),
        },
        Cell::Lines(lines) => {
            let f = own.cloned().unwrap_or_default().set_text_wrap();
            ws.write_string_with_format(r, c, lines.join("\n"), &f)
                .map(|_| ())
        }
        Cell::Number(_) | Cell::Percent(_) | Cell::Count(_) | Cell::Rounded(_) => Ok(()),
    }
}

/// A number cell's value as written and its number format; `None` for
/// text.
fn number_of(cell: &Cell) -> Option<(f64, String)> {
    Some(match cell {
        Cell::Number(n) => {
            let places = n.places.unwrap_or_else(|| own_places(n.value));
            (to_f64(n.value), code(places, n.grouped, ""))
        }
        Cell::Percent(p) => (to_f64(*p), code(own_places(*p), false, "\"%\"")),
        Cell::Count(n) => (*n as f64, "0".to_string()),
        // A workbook keeps every digit: the exact value, never the text; a
        // percentage keeps its `%`, as Cell::Percent does.
        Cell::Rounded(x) => {
            let suffix = if x.unit == "%" { "\"%\"" } else { "" };
            (to_f64(x.exact), code(own_places(x.exact), true, suffix))
        }
        Cell::Empty | Cell::Text(_) | Cell::Lines(_) => return None,
    })
}

/// Each column as wide as its widest text (within limits), a wrapped
/// column at its wrap width.
fn widths(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    if sheet.text {
        ws.set_column_width(0, 100)?;
        return Ok(());
    }
    let columns = sheet
        .rows
        .iter()
        .map(Vec::len)
        .chain([sheet.header.len()])
        .max()
        .unwrap_or(0);
    for c in 0..columns {
        let widest = sheet
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .chain(sheet.header.get(c))
            .map(|cell| match cell {
                Cell::Lines(l) => l.iter().map(|x| x.chars().count()).max().unwrap_or(0),
                other => other.shown("; ").chars().count(),
            })
            .max()
            .unwrap_or(0);
        let width = match sheet.wrap.iter().find(|(w, _)| *w == c) {
            Some((_, w)) => *w,
            None => (widest + 2).clamp(6, MAX_WIDTH),
        };
        ws.set_column_width(c as u16, width as f64)?;
    }
    Ok(())
}

/// An Excel chart over the sheet's cells.
fn native(sheet: &str, c: &SheetChart) -> Chart {
    let mut chart = match c.kind {
        ChartKind::Line => Chart::new_line(),
        ChartKind::Bar => Chart::new_bar(),
    };
    let range = |s: &super::book::Span| (sheet, s.first.0, s.first.1, s.last.0, s.last.1);
    let markers = [
        ChartMarkerType::Circle,
        ChartMarkerType::Square,
        ChartMarkerType::Triangle,
        ChartMarkerType::X,
    ];
    for (i, (name, values)) in c.series.iter().enumerate() {
        let s = chart.add_series();
        s.set_name(name.as_str())
            .set_categories(range(&c.categories))
            .set_values(range(values));
        match c.kind {
            ChartKind::Line => {
                s.set_marker(ChartMarker::new().set_type(markers[i % markers.len()]));
            }
            ChartKind::Bar => {
                s.set_overlap(100).set_gap(40);
            }
        }
    }
    chart.title().set_name(c.title.as_str());
    chart.x_axis().set_name(c.x_title.as_str());
    chart.y_axis().set_name(c.y_title.as_str());
    if c.kind == ChartKind::Bar {
        // Bars list their categories bottom up: reverse, so the first
        // (largest) is at the top as in the sheet.
        chart.x_axis().set_reverse();
    }
    chart.set_width(720).set_height(400);
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(code(2, true, ""), "#,##0.00");
        assert_eq!(code(0, true, ""), "#,##0");
        assert_eq!(code(4, false, ""), "0.0000");
        assert_eq!(code(2, false, "\"%\""), "0.00\"%\"");
        assert_eq!(own_places("1745.3250".parse().unwrap()), 4);
    }

    /// A figure rounded for people keeps its exact value and, in percent,
    /// its `%` (the brief's premium, 15.4195%, was a bare 15.4195).
    #[test]
    fn a_rounded_percentage_is_a_number_with_its_percent_sign() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let premium = Cell::rounded(d("15.4195"), "%");
        assert_eq!(
            number_of(&premium),
            Some((15.4195, "#,##0.0000\"%\"".to_string()))
        );
        let sales = Cell::rounded(d("107331555955.51"), "USD");
        assert_eq!(number_of(&sales), Some((107331555955.51, "#,##0.00".to_string())));
        assert_eq!(number_of(&Cell::Count(52)), Some((52.0, "0".to_string())));
        assert_eq!(number_of(&Cell::from("draws")), None);
    }

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let used = vec!["premium_pct_max".to_string()];
        assert_eq!(sheet_name("premium_pct:max", &used), "premium_pct_max (2)");
        assert_eq!(
            sheet_name("price_impact_pct[Food]", &[]),
            "price_impact_pct_Food_"
        );
        assert_eq!(sheet_name(&"x".repeat(40), &[]).chars().count(), 31);
        assert_eq!(sheet_name("'", &[]), "Sheet");
    }
}
