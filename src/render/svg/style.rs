//! What every drawn panel shares: the palette (colours that stay apart in
//! greyscale: near-black, a dark blue and a light orange, with dashes and
//! marker shapes as a second cue), fonts, value ranges with room around
//! them, tick labels with thousands separators, and the legend.

use std::io;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// The font family of every text: the reader's sans-serif (nothing is
/// fetched).
pub(super) const FAMILY: &str = "sans-serif";

/// A text style of `px` pixels (plotters writes sizes divided by 1.24).
pub(super) fn font(px: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, px * 1.24).into_font()).color(&INK)
}

/// A text style anchored at `h` and `v`.
pub(super) fn anchored(px: f64, h: HPos, v: VPos) -> TextStyle<'static> {
    font(px).pos(Pos::new(h, v))
}

/// About how wide `text` is at `px` pixels in a sans-serif font.
pub(super) fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * px * 0.6
}

/// `v` rounded to `places` with thousands separators, as tables show it.
pub fn fmt(v: f64, places: u32) -> String {
    match f64_to_decimal(v, places) {
        Some(d) => display(d, places),
        None => v.to_string(),
    }
}

/// Places for tick labels on an axis from `lo` to `hi` with about `n`
/// ticks: enough to tell ticks apart, at most `max`.
pub(super) fn tick_places(lo: f64, hi: f64, n: usize, max: u32) -> u32 {
    let step = (hi - lo).abs() / n.max(1) as f64;
    if !(step.is_finite() && step > 0.0) {
        return max.min(2);
    }
    let p = (-(step / 2.0).log10()).ceil();
    (p.max(0.0) as u32).min(max.max(1)).min(6)
}

/// The range of `values` with `pad` of its width added on each side; a
/// single value (or none) still gives a range around it.
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
    (lo - d, hi + d)
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

/// A legend in one row from `(x, y)` in pixels: a sample of each look and
/// its name.
pub(super) fn legend(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    (x, y): (i32, i32),
    items: &[(String, Look)],
) -> io::Result<()> {
    let mut at = x;
    for (name, l) in items {
        draw_sample(area, (at, y), *l)?;
        area.draw(&Text::new(
            name.clone(),
            (at + 30, y),
            anchored(12.0, HPos::Left, VPos::Center),
        ))
        .map_err(io)?;
        at += 30 + text_width(name, 12.0) as i32 + 24;
    }
    Ok(())
}

/// Filled boxes with names in one row from `(x, y)` in pixels (the
/// legend of bars and bands); returns where the row ends.
pub(super) fn swatches(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    (x, y): (i32, i32),
    items: &[(&str, RGBColor)],
) -> io::Result<i32> {
    let mut at = x;
    for (name, colour) in items {
        area.draw(&Rectangle::new([(at, y - 6), (at + 24, y + 6)], colour.filled()))
            .map_err(io)?;
        area.draw(&Rectangle::new(
            [(at, y - 6), (at + 24, y + 6)],
            ShapeStyle::from(&INK).stroke_width(1),
        ))
        .map_err(io)?;
        area.draw(&Text::new(
            name.to_string(),
            (at + 30, y),
            anchored(12.0, HPos::Left, VPos::Center),
        ))
        .map_err(io)?;
        at += 30 + text_width(name, 12.0) as i32 + 24;
    }
    Ok(at)
}

/// A short line with a marker in the middle, in pixels.
fn draw_sample(area: &DrawingArea<SVGBackend<'_>, Shift>, (x, y): (i32, i32), l: Look) -> io::Result<()> {
    let style = ShapeStyle::from(&l.colour).stroke_width(2);
    match l.dash {
        None => area.draw(&PathElement::new(vec![(x, y), (x + 24, y)], style)),
        Some((d, g)) => area.draw(&DashedPathElement::new(vec![(x, y), (x + 24, y)], d, g, style)),
    }
    .map_err(io)?;
    marker(area, (x + 12, y), l)
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
        Marker::Circle => area.draw(&Circle::new((x, y), 3, fill)),
        Marker::Square => area.draw(&Rectangle::new([(x - 3, y - 3), (x + 3, y + 3)], fill)),
        Marker::Triangle => area.draw(&Polygon::new(
            vec![(x, y - 4), (x - 4, y + 3), (x + 4, y + 3)],
            fill,
        )),
        Marker::Cross => {
            area.draw(&PathElement::new(vec![(x - 3, y - 3), (x + 3, y + 3)], stroke))
                .map_err(io)?;
            area.draw(&PathElement::new(vec![(x - 3, y + 3), (x + 3, y - 3)], stroke))
        }
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
    fn ranges_never_collapse() {
        assert_eq!(span([], 0.1), (0.0, 1.0));
        assert_eq!(span([0.0], 0.1), (-1.0, 1.0));
        let (lo, hi) = span([100.0, 100.0], 0.1);
        assert!(lo < 100.0 && hi > 100.0);
        assert_eq!(span([0.0, 10.0], 0.1), (-1.0, 11.0));
        assert_eq!(tick_places(1400.0, 1800.0, 8, 4), 0);
        assert_eq!(tick_places(0.0, 1.0, 10, 4), 2);
    }
}
