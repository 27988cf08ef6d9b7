//! What every drawn panel shares: the palette (colours that stay apart in
//! greyscale: near-black, a dark blue and a light orange, with dashes and
//! marker shapes as a second cue), the text sizes (none under 14 pixels
//! on a chart 1280 pixels wide), numbers rounded for people (at most four
//! significant figures, thousands separators, millions and billions as
//! `m` and `bn`), value ranges with room around them, and the legend.

use std::io;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font;
use crate::num::binary::f64_to_decimal;
use crate::render::numbers::display;

/// Near-black: the first series, text.
pub(super) const INK: RGBColor = RGBColor(17, 17, 17);
/// Dark blue: the second series (about 35% grey when printed in greyscale).
pub(super) const BLUE: RGBColor = RGBColor(31, 95, 168);
/// Light orange: the third series (about 60% grey).
pub(super) const ORANGE: RGBColor = RGBColor(230, 145, 40);
/// Mid grey: a fourth series, base lines.
pub(super) const GREY: RGBColor = RGBColor(118, 118, 118);
/// Pale blues for bands.
pub(super) const BAND_OUTER: RGBColor = RGBColor(205, 222, 242);
pub(super) const BAND_INNER: RGBColor = RGBColor(128, 168, 214);
pub(super) const GRID: RGBColor = RGBColor(225, 225, 225);

/// Tick labels and values printed in a plot, in pixels.
pub(super) const SMALL: f64 = 14.0;
/// Axis titles and legends, in pixels.
pub(super) const MEDIUM: f64 = 15.0;

/// A text style of `px` pixels (plotters writes sizes divided by 1.24).
pub(super) fn font(px: f64) -> TextStyle<'static> {
    TextStyle::from((font::FAMILY, px * 1.24).into_font()).color(&INK)
}

/// A text style anchored at `h` and `v`.
pub(super) fn anchored(px: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    font(px).pos(Pos::new(h, v))
}

/// How wide `text` is at `px` pixels in the charts' font.
pub(super) fn text_width(text: &str, px: f64) -> f64 {
    font::width(text, px, false)
}

/// `v` rounded to `places` with thousands separators, as tables show it.
pub fn fmt(v: f64, places: u32) -> String {
    match f64_to_decimal(v, places) {
        Some(d) => display(d, places),
        None => v.to_string(),
    }
}

/// How many digits `a` (≥ 0) has before its decimal point: 1,532.4 → 4,
/// 0.05 → −1 (the first significant digit is the second after the point).
pub(super) fn digits(a: f64) -> i32 {
    if a == 0.0 || !a.is_finite() {
        1
    } else {
        a.log10().floor() as i32 + 1
    }
}

/// A divisor and its suffix for numbers as large as `a`: billions
/// (`bn`), millions (`m`), or none.
pub(super) fn magnitude(a: f64) -> (f64, &'static str) {
    if a >= 1e9 {
        (1e9, " bn")
    } else if a >= 1e6 {
        (1e6, " m")
    } else {
        (1.0, "")
    }
}

/// `v` for people: at most four significant figures and at most `max`
/// decimals, thousands separators, trailing zeros dropped; millions and
/// billions as `1.25 m` and `113.7 bn`. 1,532.462 → `1,532`; 0.123456 →
/// `0.1235`; 123,456 → `123,500`.
pub fn human(v: f64, max: u32) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let (div, suffix) = magnitude(v.abs());
    let x = v / div;
    let d = digits(x.abs());
    let text = if d > 4 {
        let unit = 10f64.powi(d - 4);
        fmt((x / unit).round() * unit, 0)
    } else {
        let places = (4 - d).clamp(0, max as i32) as u32;
        let s = fmt(x, places);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let text = if text == "-0" { "0".to_string() } else { text };
    format!("{text}{suffix}")
}

/// US dollars for a chart's label, at most four significant figures:
/// `$291.9 billion`, `$29 million`, `$5,700`.
pub fn usd(d: rust_decimal::Decimal) -> String {
    let v = crate::num::decimal::to_f64(d);
    let (sign, a) = if v < 0.0 { ("−", -v) } else { ("", v) };
    let (div, word) = if a >= 1e9 {
        (1e9, " billion")
    } else if a >= 1e6 {
        (1e6, " million")
    } else {
        (1.0, "")
    };
    let t = if div > 1.0 { human(a / div, 3) } else { human(a, 0) };
    format!("{sign}${t}{word}")
}

/// A number's label as dollars: `58.92 bn` → `$58.92 bn`, `-7.5 bn` →
/// `−$7.5 bn`, `+1.2 m` → `+$1.2 m`.
pub fn dollars(text: &str) -> String {
    if let Some(rest) = text.strip_prefix('-').or_else(|| text.strip_prefix('−')) {
        format!("−${rest}")
    } else if let Some(rest) = text.strip_prefix('+') {
        format!("+${rest}")
    } else {
        format!("${text}")
    }
}

/// `v` for people as [`human`], in dollars when `dollars`.
pub fn amount(v: f64, max: u32, dollars: bool) -> String {
    let t = human(v, max);
    if dollars {
        self::dollars(&t)
    } else {
        t
    }
}

/// `v` for people in `axis`'s unit, as a label on a chart (not a tick):
/// `$58.92 bn`, `1,527`, and a percentage to two decimals with its sign,
/// `−2.05%`.
pub fn labelled(axis: &crate::render::chart::Axis, v: f64) -> String {
    if axis.percent {
        let t = human(v, axis.places.min(2));
        match t.strip_prefix('-') {
            Some(rest) => format!("−{rest}%"),
            None => format!("{t}%"),
        }
    } else {
        amount(v, axis.places, axis.dollars)
    }
}

/// `v` as a signed change: `+309.2`, `−12.5`, `0`.
pub fn signed(v: f64, max: u32) -> String {
    let t = human(v, max);
    if t == "0" {
        t
    } else if let Some(rest) = t.strip_prefix('-') {
        format!("−{rest}")
    } else {
        format!("+{t}")
    }
}

/// How tick values on an axis from `lo` to `hi` with about `n` ticks are
/// printed: the divisor and suffix of their magnitude and the decimals
/// that tell the ticks apart, never more than four significant figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Ticks {
    pub div: f64,
    pub suffix: &'static str,
    pub places: u32,
}

impl Ticks {
    pub(super) fn new(lo: f64, hi: f64, n: usize, max: u32) -> Ticks {
        let top = lo.abs().max(hi.abs());
        let (div, suffix) = magnitude(top);
        let (l, h) = (lo / div, hi / div);
        let step = (h - l).abs() / n.max(1) as f64;
        let places = if step.is_finite() && step > 0.0 {
            let p = (-(step / 2.0).log10()).ceil().max(0.0) as u32;
            p.min(max.max(1)).min(6)
        } else {
            max.min(2)
        };
        let cap = (4 - digits(top / div)).max(0) as u32;
        Ticks {
            div,
            suffix,
            places: places.min(cap),
        }
    }

    /// The label of tick `v`.
    pub(super) fn label(&self, v: f64) -> String {
        let t = fmt(v / self.div, self.places);
        let zero = t
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.' || c == ',');
        // Zero reads as its neighbours do, with their magnitude (`$0 bn`
        // beside `$40 bn`, never a bare `$0`), and without a minus; a
        // negative tick with a true minus, as the chart's labels have it.
        match t.strip_prefix('-') {
            Some(rest) if !zero => format!("−{rest}{}", self.suffix),
            Some(rest) => format!("{rest}{}", self.suffix),
            None => format!("{t}{}", self.suffix),
        }
    }
}

/// The range of `values` with `pad` of its width added on each side; a
/// single value (or none) still gives a range around it, and a range is
/// never so narrow that its ticks need a fifth significant figure.
pub(super) fn span(values: impl IntoIterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 * hi.abs().max(1.0) {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        return (lo - d, hi + d);
    }
    let d = (hi - lo) * pad;
    let (lo, hi) = (lo - d, hi + d);
    let top = lo.abs().max(hi.abs());
    let (div, _) = magnitude(top);
    let least = 2.0 * div * 10f64.powi(digits(top / div) - 3);
    if hi - lo < least {
        let mid = (lo + hi) / 2.0;
        return (mid - least / 2.0, mid + least / 2.0);
    }
    (lo, hi)
}

/// The line style of series `i`: colour, width and dash pattern.
#[derive(Debug, Clone, Copy)]
pub(super) struct Look {
    pub colour: RGBColor,
    /// Dash and gap in pixels; `None` for a solid line.
    pub dash: Option<(u32, u32)>,
    pub marker: Marker,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Marker {
    Circle,
    Square,
    Triangle,
    Cross,
    /// No marker (a line alone).
    Nothing,
}

pub(super) fn look(i: usize) -> Look {
    match i % 4 {
        0 => Look {
            colour: INK,
            dash: None,
            marker: Marker::Circle,
        },
        1 => Look {
            colour: BLUE,
            dash: Some((8, 4)),
            marker: Marker::Square,
        },
        2 => Look {
            colour: ORANGE,
            dash: Some((3, 3)),
            marker: Marker::Triangle,
        },
        _ => Look {
            colour: GREY,
            dash: Some((12, 4)),
            marker: Marker::Cross,
        },
    }
}

/// Plotters' error as an I/O error.
pub(super) fn io<E: std::fmt::Display>(e: E) -> io::Error {
    io::Error::other(e.to_string())
}

/// The width a legend entry takes: its sample, its name and the gap after it.
fn entry_width(name: &str) -> i32 {
    34 + text_width(name, MEDIUM) as i32 + 26
}

/// Where a row `total` pixels wide that should start at `x` starts so
/// that it ends inside `area` (further left on a narrow chart).
fn room_for(area: &DrawingArea<SVGBackend<'_>, Shift>, x: i32, total: i32) -> i32 {
    let width = area.dim_in_pixel().0 as i32;
    if x + total > width - 8 {
        (width - 8 - total).max(8).min(x)
    } else {
        x
    }
}

/// A legend in one row from `(x, y)` in pixels: a sample of each look and
/// its name; returns where the row ends.
pub(super) fn legend(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    at: (i32, i32),
    items: &[(String, Look)],
) -> io::Result<i32> {
    entries(area, at, items, |p, l| draw_sample(area, p, *l))
}

/// Filled boxes with names in one row from `(x, y)` in pixels (the
/// legend of bars and bands); returns where the row ends.
pub(super) fn swatches(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    at: (i32, i32),
    items: &[(&str, RGBColor)],
) -> io::Result<i32> {
    entries(area, at, items, |(at, y), colour| {
        area.draw(&Rectangle::new([(at, y - 7), (at + 26, y + 7)], colour.filled()))
            .map_err(io)?;
        area.draw(&Rectangle::new(
            [(at, y - 7), (at + 26, y + 7)],
            ShapeStyle::from(&INK).stroke_width(1),
        ))
        .map_err(io)
    })
}

/// Legend entries in one row from `(x, y)`, each a sample drawn by
/// `sample` at its left end and its name; returns where the row ends.
fn entries<N: AsRef<str>, T>(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    (x, y): (i32, i32),
    items: &[(N, T)],
    sample: impl Fn((i32, i32), &T) -> io::Result<()>,
) -> io::Result<i32> {
    let total: i32 = items.iter().map(|(n, _)| entry_width(n.as_ref())).sum();
    let mut at = room_for(area, x, total);
    for (name, t) in items {
        let name = name.as_ref();
        sample((at, y), t)?;
        area.draw(&Text::new(
            name.to_string(),
            (at + 34, y),
            anchored(MEDIUM, HPos::Left, VPos::Center),
        ))
        .map_err(io)?;
        at += entry_width(name);
    }
    Ok(at)
}

/// A short line with a marker in the middle, in pixels.
fn draw_sample(area: &DrawingArea<SVGBackend<'_>, Shift>, (x, y): (i32, i32), l: Look) -> io::Result<()> {
    let style = ShapeStyle::from(&l.colour).stroke_width(2);
    match l.dash {
        None => area.draw(&PathElement::new(vec![(x, y), (x + 26, y)], style)),
        Some((d, g)) => area.draw(&DashedPathElement::new(vec![(x, y), (x + 26, y)], d, g, style)),
    }
    .map_err(io)?;
    marker(area, (x + 13, y), l)
}

/// The marker of `l` at `(x, y)` in pixels.
pub(super) fn marker(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    (x, y): (i32, i32),
    l: Look,
) -> io::Result<()> {
    let fill = ShapeStyle::from(&l.colour).filled();
    let stroke = ShapeStyle::from(&l.colour).stroke_width(2);
    match l.marker {
        Marker::Circle => area.draw(&Circle::new((x, y), 4, fill)),
        Marker::Square => area.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], fill)),
        Marker::Triangle => area.draw(&Polygon::new(
            vec![(x, y - 5), (x - 5, y + 4), (x + 5, y + 4)],
            fill,
        )),
        Marker::Cross => {
            area.draw(&PathElement::new(vec![(x - 4, y - 4), (x + 4, y + 4)], stroke))
                .map_err(io)?;
            area.draw(&PathElement::new(vec![(x - 4, y + 4), (x + 4, y - 4)], stroke))
        }
        Marker::Nothing => Ok(()),
    }
    .map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_in_tables() {
        assert_eq!(fmt(1745.32515, 2), "1,745.33");
        assert_eq!(fmt(113_670_880_500.0, 2), "113,670,880,500.00");
        assert_eq!(fmt(-0.5, 0), "0");
        assert_eq!(fmt(f64::NAN, 2), "NaN");
    }

    #[test]
    fn numbers_for_people_have_four_figures_at_most() {
        assert_eq!(human(1532.462, 4), "1,532");
        assert_eq!(human(15.5391, 4), "15.54");
        assert_eq!(human(-1.8207, 4), "-1.821");
        assert_eq!(human(0.123456, 4), "0.1235");
        assert_eq!(human(0.5, 4), "0.5");
        assert_eq!(human(123_456.0, 4), "123,500");
        assert_eq!(human(113_670_880_500.0, 2), "113.7 bn");
        assert_eq!(human(1_250_000.0, 2), "1.25 m");
        assert_eq!(human(-0.00001, 4), "0");
        assert_eq!(human(2.0, 0), "2");
        assert_eq!(signed(309.1964, 4), "+309.2");
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(usd(d("291860000000")), "$291.9 billion");
        assert_eq!(usd(d("100000000000")), "$100 billion");
        assert_eq!(usd(d("29000000")), "$29 million");
        assert_eq!(usd(d("5700.25")), "$5,700");
        assert_eq!(signed(-12.5, 4), "−12.5");
    }

    #[test]
    fn ticks_tell_values_apart_with_four_figures_at_most() {
        let t = Ticks::new(1400.0, 1800.0, 8, 4);
        assert_eq!((t.places, t.label(1450.0)), (0, "1,450".to_string()));
        let t = Ticks::new(0.0, 1.0, 10, 4);
        assert_eq!(t.label(0.3), "0.30");
        let t = Ticks::new(0.0, 120e9, 6, 2);
        assert_eq!(t.label(40e9), "40 bn");
        // Zero with the magnitude, as its neighbours; in dollars, the sign
        // before the $.
        assert_eq!(t.label(0.0), "0 bn");
        assert_eq!(dollars(&t.label(-0.0)), "$0 bn");
        assert_eq!(dollars(&t.label(40e9)), "$40 bn");
        // A negative tick with a true minus, before the $ in dollars (the
        // tornado of the CPI impact had "-2.10" beside its "−1.84%").
        let t = Ticks::new(-2.1, -1.4, 8, 4);
        assert_eq!(t.label(-2.1), "−2.10");
        let t = Ticks::new(-40e9, 40e9, 4, 2);
        assert_eq!(dollars(&t.label(-40e9)), "−$40 bn");
        assert_eq!(dollars(&signed(-7.52e9, 2)), "−$7.52 bn");
        assert_eq!(dollars(&signed(1.2e6, 2)), "+$1.2 m");
        assert_eq!(amount(58.92e9, 2, true), "$58.92 bn");
        assert_eq!(amount(58.92e9, 2, false), "58.92 bn");
        // A label in a unit: dollars, percentages (two decimals, a true
        // minus) and other units bare.
        use crate::render::chart::Axis;
        assert_eq!(labelled(&Axis::in_unit("", "USD"), 58.92e9), "$58.92 bn");
        assert_eq!(labelled(&Axis::in_unit("", "%"), -2.0512), "−2.05%");
        assert_eq!(labelled(&Axis::in_unit("", "%"), 15.1749), "15.17%");
        assert_eq!(labelled(&Axis::in_unit("", "IQD/USD"), 1527.3), "1,527");
        let t = Ticks::new(1000.0, 1001.0, 10, 4);
        assert_eq!(t.places, 0);
        assert_eq!(t.label(-0.0), "0");
    }

    #[test]
    fn ranges_never_collapse() {
        assert_eq!(span([], 0.1), (0.0, 1.0));
        assert_eq!(span([0.0], 0.1), (-1.0, 1.0));
        let (lo, hi) = span([100.0, 100.0], 0.1);
        assert!(lo < 100.0 && hi > 100.0);
        assert_eq!(span([0.0, 10.0], 0.1), (-1.0, 11.0));
        // 1,000 to 1,001 would need tick labels such as 1,000.5.
        let (lo, hi) = span([1000.0, 1001.0], 0.0);
        assert!(hi - lo >= 20.0, "{lo} {hi}");
    }
}
