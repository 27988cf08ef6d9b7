//! A two-way sweep as a heatmap: rows the first parameter's values (first
//! at the top, as in the table), columns the second's, each cell shaded
//! and its value printed in it. Values of one sign are shaded on a
//! sequential scale, pale to dark blue (lightness alone carries the value,
//! so it prints in greyscale); values of both signs on a diverging scale
//! centred on zero, blue below and orange above, white at zero, dark at
//! the larger magnitude on either side.

use std::io;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{cartesian, px, Area, Frame, Plot2d, LEGEND};
use super::style::{anchored, digits, dollars, io, magnitude, span, text_width, Ticks, INK, MEDIUM, SMALL};
use crate::render::chart::{Axis, Heatmap};

type Rgb = (f64, f64, f64);
const PALE: Rgb = (247.0, 251.0, 255.0);
const DARK: Rgb = (8.0, 48.0, 107.0);
/// The diverging scale: below zero, zero, above zero.
const BELOW: Rgb = (33.0, 102.0, 172.0);
const ZERO: Rgb = (247.0, 247.0, 247.0);
const ABOVE: Rgb = (179.0, 88.0, 6.0);

fn cell_height(h: &Heatmap) -> u32 {
    (480 / h.cells.len().max(1) as u32).clamp(22, 40)
}

/// The rows' height, and at least the y axis's title turned on its side
/// (a few rows would cut "Share of wires rejected" to "Share of wires r…").
pub(super) fn height(h: &Heatmap) -> u32 {
    let rows = cell_height(h) * h.cells.len().max(1) as u32;
    let title = text_width(&h.y.label, MEDIUM).ceil() as u32 + 16;
    LEGEND + 12 + 70 + rows.max(title)
}

fn mix(a: Rgb, b: Rgb, t: f64) -> RGBColor {
    let m = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    RGBColor(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// How values are shaded: the scale, its ends and where zero is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scale {
    /// One sign: from the least value (pale) to the greatest (dark).
    Sequential { lo: f64, hi: f64 },
    /// Both signs: from −`m` (dark blue) through 0 (white) to `m` (dark orange).
    Diverging { m: f64 },
}

impl Scale {
    fn of(cells: &[Vec<f64>]) -> Scale {
        let (lo, hi) = span(cells.iter().flatten().copied(), 0.0);
        let (min, max) = cells
            .iter()
            .flatten()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        if min < 0.0 && max > 0.0 {
            Scale::Diverging {
                m: min.abs().max(max),
            }
        } else {
            Scale::Sequential { lo, hi }
        }
    }

    /// The shade of `v`, and whether text on it should be white.
    fn shade(self, v: f64) -> (RGBColor, bool) {
        if !v.is_finite() {
            return (RGBColor(255, 255, 255), false);
        }
        match self {
            Scale::Sequential { lo, hi } => {
                let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
                (mix(PALE, DARK, t), t > 0.55)
            }
            Scale::Diverging { m } => {
                let t = (v / m).clamp(-1.0, 1.0);
                if t < 0.0 {
                    (mix(ZERO, BELOW, -t), -t > 0.6)
                } else {
                    (mix(ZERO, ABOVE, t), t > 0.6)
                }
            }
        }
    }

    /// Seven sample values from one end of the scale to the other.
    fn samples(self) -> Vec<f64> {
        let (a, b) = match self {
            Scale::Sequential { lo, hi } => (lo, hi),
            Scale::Diverging { m } => (-m, m),
        };
        (0..7).map(|k| a + (b - a) * f64::from(k) / 6.0).collect()
    }
}

/// How a map's values are printed, every cell and the key alike: one
/// magnitude (`bn`, `m`) and one number of decimals, three significant
/// figures of the largest value or, up to two more, as many as tell
/// neighbouring cells that differ apart: `$52.1 bn` beside `$29.0 bn`,
/// never `$52.1 bn` beside `$28.99 bn`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Printed {
    /// The magnitude and decimals, printed as an axis's ticks are.
    ticks: Ticks,
    dollars: bool,
    percent: bool,
}

impl Printed {
    fn of(cells: &[Vec<f64>], value: &Axis) -> Printed {
        let top = cells
            .iter()
            .flatten()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        let (div, suffix) = magnitude(top);
        let least = (3 - digits(top / div)).max(0) as u32;
        let mut p = Printed {
            ticks: Ticks {
                div,
                suffix,
                places: least,
            },
            dollars: value.dollars,
            percent: value.percent,
        };
        while p.ticks.places < (least + 2).min(6) && p.clash(cells, top) {
            p.ticks.places += 1;
        }
        p
    }

    /// Whether two neighbouring cells (across or down) that differ print
    /// alike.
    fn clash(&self, cells: &[Vec<f64>], top: f64) -> bool {
        let apart = |a: f64, b: f64| (a - b).abs() > 1e-9 * top && self.text(a) == self.text(b);
        cells.iter().enumerate().any(|(i, row)| {
            row.iter().enumerate().any(|(j, v)| {
                let right = row.get(j + 1).is_some_and(|w| apart(*v, *w));
                let down = cells
                    .get(i + 1)
                    .and_then(|r| r.get(j))
                    .is_some_and(|w| apart(*v, *w));
                right || down
            })
        })
    }

    /// `v` as a cell prints it: `$52.1 bn`, `−3.20%`, `1,532`.
    fn text(&self, v: f64) -> String {
        if !v.is_finite() {
            return "–".into();
        }
        let t = self.ticks.label(v);
        let t = if self.percent { format!("{t}%") } else { t };
        if self.dollars {
            dollars(&t)
        } else {
            t
        }
    }
}

pub(super) fn draw(hm: &Heatmap, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let rows = hm.cells.len().max(1);
        let cols = hm.x.categories.len().max(1);
        let mut names = hm.y.categories.clone();
        names.resize(rows, String::new());
        names.reverse();
        let y = Axis {
            categories: names,
            ..hm.y.clone()
        };
        let frame = Frame {
            x: &hm.x,
            y: &y,
            xr: (-0.5, cols as f64 - 0.5),
            yr: (-0.5, rows as f64 - 0.5),
            top: LEGEND + 12,
            right: 0,
        };
        let chart = cartesian(&root, &frame)?;
        let scale = Scale::of(&hm.cells);
        let text = Printed::of(&hm.cells, &hm.value);
        let printed = cells(&root, &chart, hm, scale, text)?;
        key(&root, px(&chart, -0.5, 0.0).0, hm, scale, text, printed)?;
        root.present().map_err(io)?;
    }
    Ok(out)
}

/// Draws each cell in its shade, with its value when every value fits its
/// cell at 14 pixels; whether they were printed.
fn cells(
    root: &Area<'_>,
    chart: &Plot2d<'_, '_>,
    hm: &Heatmap,
    scale: Scale,
    text: Printed,
) -> io::Result<bool> {
    let rows = hm.cells.len().max(1);
    let cell_w = f64::from((px(chart, 1.0, 0.0).0 - px(chart, 0.0, 0.0).0).max(1));
    let cell_h = f64::from((px(chart, 0.0, 0.0).1 - px(chart, 0.0, 1.0).1).max(1));
    let widest = hm
        .cells
        .iter()
        .flatten()
        .map(|v| text_width(&text.text(*v), SMALL))
        .fold(0.0, f64::max);
    let print = widest + 6.0 <= cell_w && SMALL + 4.0 <= cell_h;
    for (i, row) in hm.cells.iter().enumerate() {
        let yc = (rows - 1 - i) as f64;
        for (j, v) in row.iter().enumerate() {
            let x = j as f64;
            let (a, b) = (px(chart, x - 0.5, yc + 0.5), px(chart, x + 0.5, yc - 0.5));
            let (fill, light_text) = scale.shade(*v);
            root.draw(&Rectangle::new([a, b], fill.filled())).map_err(io)?;
            root.draw(&Rectangle::new([a, b], ShapeStyle::from(&WHITE).stroke_width(1)))
                .map_err(io)?;
            if print {
                let colour = if light_text { WHITE } else { INK };
                root.draw(&Text::new(
                    text.text(*v),
                    px(chart, x, yc),
                    anchored(SMALL, HPos::Center, VPos::Center).color(&colour),
                ))
                .map_err(io)?;
            }
        }
    }
    Ok(print)
}

/// `text` at `px` pixels, its left end at `at` and its middle at `y`;
/// where the next text may start, `gap` pixels after it.
fn left_text(root: &Area<'_>, text: &str, at: i32, y: i32, px: f64, gap: i32) -> io::Result<i32> {
    root.draw(&Text::new(
        text.to_string(),
        (at, y),
        anchored(px, HPos::Left, VPos::Center),
    ))
    .map_err(io)?;
    Ok(at + text_width(text, px) as i32 + gap)
}

/// The scale above the plot from `left`: its label, then seven shades
/// between the end values (and a note when the cells hold no values).
fn key(
    root: &Area<'_>,
    left: i32,
    hm: &Heatmap,
    scale: Scale,
    text: Printed,
    printed: bool,
) -> io::Result<()> {
    let y0 = 18;
    let mut at = left_text(root, &format!("{}:", hm.value.label), left, y0, MEDIUM, 12)?;
    let samples = scale.samples();
    at = left_text(root, &text.text(samples[0]), at, y0, SMALL, 8)?;
    let strip = at;
    for v in &samples {
        root.draw(&Rectangle::new(
            [(at, y0 - 8), (at + 24, y0 + 8)],
            scale.shade(*v).0.filled(),
        ))
        .map_err(io)?;
        at += 24;
    }
    root.draw(&Rectangle::new(
        [(strip, y0 - 8), (at, y0 + 8)],
        ShapeStyle::from(&RGBColor(150, 150, 150)).stroke_width(1),
    ))
    .map_err(io)?;
    if matches!(scale, Scale::Diverging { .. }) {
        root.draw(&Text::new(
            "0",
            ((strip + at) / 2, y0 + 10),
            anchored(SMALL, HPos::Center, VPos::Top),
        ))
        .map_err(io)?;
    }
    let after = left_text(root, &text.text(samples[6]), at + 8, y0, SMALL, 16)?;
    if !printed {
        left_text(
            root,
            "(cells too small to print each value: see --format csv)",
            after,
            y0,
            SMALL,
            0,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_values_diverge_from_zero() {
        let s = Scale::of(&[vec![-2.0, 1.0], vec![0.5, 4.0]]);
        assert_eq!(s, Scale::Diverging { m: 4.0 });
        // Zero is white, the ends dark, blue below and orange above.
        assert_eq!(s.shade(0.0).0, RGBColor(247, 247, 247));
        assert_eq!(s.shade(-4.0).0, RGBColor(33, 102, 172));
        assert_eq!(s.shade(4.0).0, RGBColor(179, 88, 6));
        assert!(matches!(Scale::of(&[vec![1.0, 3.0]]), Scale::Sequential { .. }));
        assert!(matches!(Scale::of(&[vec![-1.0, -3.0]]), Scale::Sequential { .. }));
    }

    #[test]
    fn one_map_prints_one_number_of_decimals() {
        let usd = Axis {
            dollars: true,
            ..Axis::new("", 2)
        };
        // Three figures of the largest, $52.1 bn, give one decimal in
        // billions: $28.99 bn reads $29.0 bn beside it.
        let p = Printed::of(&[vec![52.1e9, 28.99e9], vec![40.0e9, 0.0]], &usd);
        let row: Vec<String> = [52.1e9, 28.99e9, 40.0e9, 0.0].map(|v| p.text(v)).to_vec();
        assert_eq!(row, ["$52.1 bn", "$29.0 bn", "$40.0 bn", "$0.0 bn"]);
        // Neighbours 1,532.2 and 1,532.4 need a decimal; all cells take it.
        let rate = Axis::new("", 4);
        let p = Printed::of(&[vec![1532.2, 1532.4], vec![1600.0, 1700.0]], &rate);
        assert_eq!(p.text(1532.2), "1,532.2");
        assert_eq!(p.text(1600.0), "1,600.0");
        // Both signs: a true minus, a percentage with its sign.
        let pct = Axis::in_unit("", "%");
        let p = Printed::of(&[vec![-3.2, 15.5]], &pct);
        assert_eq!((p.text(-3.2), p.text(15.5)), ("−3.2%".into(), "15.5%".into()));
        assert_eq!(dollars("-7.5 bn"), "−$7.5 bn");
    }
}
