//! A two-way sweep as a heatmap: rows the first parameter's values (first
//! at the top, as in the table), columns the second's, each cell shaded
//! from pale to dark blue (lightness alone carries the value, so it
//! prints in greyscale) and its value printed in it.

use std::io;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{cartesian, px, Frame, LEGEND};
use super::style::{anchored, fmt, io, span, text_width, INK};
use crate::render::chart::{Axis, Heatmap};

const PALE: (f64, f64, f64) = (247.0, 251.0, 255.0);
const DARK: (f64, f64, f64) = (8.0, 48.0, 107.0);

fn cell_height(h: &Heatmap) -> u32 {
    (420 / h.cells.len().max(1) as u32).clamp(18, 34)
}

pub(super) fn height(h: &Heatmap) -> u32 {
    LEGEND + 60 + cell_height(h) * h.cells.len().max(1) as u32
}

/// The shade of a value `t` of the way from the least to the greatest.
fn shade(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(PALE.0, DARK.0), mix(PALE.1, DARK.1), mix(PALE.2, DARK.2))
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
            top: LEGEND,
            right: 0,
        };
        let chart = cartesian(&root, &frame)?;
        let (lo, hi) = span(hm.cells.iter().flatten().copied(), 0.0);
        let t = |v: f64| (v - lo) / (hi - lo);
        let cell_w = f64::from((px(&chart, 1.0, 0.0).0 - px(&chart, 0.0, 0.0).0).max(1));
        let cell_h = f64::from((px(&chart, 0.0, 0.0).1 - px(&chart, 0.0, 1.0).1).max(1));
        let widest = hm
            .cells
            .iter()
            .flatten()
            .map(|v| fmt(*v, hm.value.places).chars().count())
            .max()
            .unwrap_or(1) as f64;
        // The largest font (at most 12 px) at which every value fits its cell.
        let size = (cell_w - 4.0) / (widest * 0.6);
        let size = size.min(12.0).min(cell_h - 2.0);
        for (i, row) in hm.cells.iter().enumerate() {
            let yc = (rows - 1 - i) as f64;
            for (j, v) in row.iter().enumerate() {
                let x = j as f64;
                let (a, b) = (px(&chart, x - 0.5, yc + 0.5), px(&chart, x + 0.5, yc - 0.5));
                root.draw(&Rectangle::new([a, b], shade(t(*v)).filled()))
                    .map_err(io)?;
                root.draw(&Rectangle::new([a, b], ShapeStyle::from(&WHITE).stroke_width(1)))
                    .map_err(io)?;
                if size >= 6.0 {
                    let colour = if t(*v) > 0.55 { WHITE } else { INK };
                    root.draw(&Text::new(
                        fmt(*v, hm.value.places),
                        px(&chart, x, yc),
                        anchored(size, HPos::Center, VPos::Center).color(&colour),
                    ))
                    .map_err(io)?;
                }
            }
        }
        // The scale: five shades from the least to the greatest value.
        let mut at = px(&chart, -0.5, 0.0).0;
        let label = format!("{}:", hm.value.label);
        root.draw(&Text::new(
            label.clone(),
            (at, 14),
            anchored(12.0, HPos::Left, VPos::Center),
        ))
        .map_err(io)?;
        at += text_width(&label, 12.0) as i32 + 10;
        root.draw(&Text::new(
            fmt(lo, hm.value.places),
            (at, 14),
            anchored(12.0, HPos::Left, VPos::Center),
        ))
        .map_err(io)?;
        at += text_width(&fmt(lo, hm.value.places), 12.0) as i32 + 6;
        for k in 0..5 {
            root.draw(&Rectangle::new(
                [(at, 8), (at + 20, 20)],
                shade(f64::from(k) / 4.0).filled(),
            ))
            .map_err(io)?;
            at += 20;
        }
        root.draw(&Text::new(
            fmt(hi, hm.value.places),
            (at + 6, 14),
            anchored(12.0, HPos::Left, VPos::Center),
        ))
        .map_err(io)?;
        if size < 6.0 {
            root.draw(&Text::new(
                "(too many cells to print each value: see --format csv)",
                (at + 20 + text_width(&fmt(hi, hm.value.places), 12.0) as i32, 14),
                anchored(12.0, HPos::Left, VPos::Center),
            ))
            .map_err(io)?;
        }
        root.present().map_err(io)?;
    }
    Ok(out)
}
