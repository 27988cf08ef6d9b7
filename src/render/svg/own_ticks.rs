//! Ticks at an axis's own values rather than at round numbers the plot
//! picks: a one-way sweep runs a few values (0.2, 0.35, …, 0.8), and its
//! axis labels each of them, so that none (the lowest least of all) is
//! left without a tick and no tick falls between two runs.

use std::io;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{px, tick, ticks_fitting, Area, Frame, Plot2d};
use super::style::{anchored, io, magnitude, text_width, Ticks, GRID, SMALL};
use crate::render::chart::Axis;

/// How an axis's own tick values print: their magnitude and the fewest
/// decimals (at most six) that write each of them exactly, so that 0.1 to
/// 0.5 reads `0.1`, `0.2`, … and 0.2 to 0.8 by 0.15 `0.20`, `0.35`, ….
fn own_ticks(values: &[f64]) -> Ticks {
    let top = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (div, suffix) = magnitude(top);
    let exact = |p: u32| {
        let scale = 10f64.powi(p as i32);
        values.iter().all(|v| {
            let x = v / div;
            ((x * scale).round() / scale - x).abs() <= 1e-9 * x.abs().max(1.0)
        })
    };
    Ticks {
        div,
        suffix,
        places: (0..=6).find(|p| exact(*p)).unwrap_or(6),
    }
}

/// The most of an axis's own ticks (see [`own_ticks`]) that fit along
/// `length` pixels: all of them, or every second, third, … from the
/// least, so that the lowest value always has its tick. Empty when the
/// axis leaves its ticks to the plot (or has more than twelve).
pub(super) fn own_ticks_fitting(axis: &Axis, length: f64) -> Vec<f64> {
    let values = &axis.ticks;
    if values.is_empty() || values.len() > 12 || !axis.categories.is_empty() {
        return Vec::new();
    }
    let t = own_ticks(values);
    let label = values
        .iter()
        .map(|v| text_width(&tick(axis, *v, &t), SMALL))
        .fold(0.0, f64::max);
    let every = values.len().div_ceil(ticks_fitting(length, label));
    values.iter().step_by(every.max(1)).copied().collect()
}

/// Draws ticks at `values` along the bottom of `chart`, with grid lines up
/// the plot, as the mesh draws its own.
pub(super) fn draw_own_ticks(
    area: &Area<'_>,
    chart: &Plot2d<'_, '_>,
    f: &Frame<'_>,
    values: &[f64],
) -> io::Result<()> {
    let t = own_ticks(&f.x.ticks);
    for v in values {
        let (x, bottom) = px(chart, *v, f.yr.0);
        let (_, top) = px(chart, *v, f.yr.1);
        area.draw(&PathElement::new(vec![(x, top), (x, bottom)], GRID))
            .map_err(io)?;
        area.draw(&PathElement::new(
            vec![(x, bottom + 1), (x, bottom + 6)],
            ShapeStyle::from(&RGBColor(90, 90, 90)).stroke_width(1),
        ))
        .map_err(io)?;
        area.draw(&Text::new(
            tick(f.x, *v, &t),
            (x, bottom + 11),
            anchored(SMALL, HPos::Center, VPos::Top),
        ))
        .map_err(io)?;
    }
    Ok(())
}
