//! Lines: one per series over months (a category axis) or over a varied
//! value, each with its own colour, dash pattern and marker, and a legend
//! above the plot. Used by `run` (rates, premium, any `--metric`) and by
//! one-way `sweep`; months a horizon holds at the model's last inputs
//! are marked.

use std::io;

use plotters::prelude::*;

use super::held::held_months;
use super::plot::{cartesian, px, Area, Frame, Plot2d, LEGEND};
use super::style::{io, legend, look, marker, span, Look};
use crate::render::chart::{Lines, Series};

/// Markers are left out above this many points on a line.
const MAX_MARKERS: usize = 40;

pub(super) fn draw(l: &Lines, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let xs = l.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
        let xr = if l.x.categories.is_empty() {
            span(xs, 0.0)
        } else {
            (-0.5, l.x.categories.len().max(1) as f64 - 0.5)
        };
        let yr = span(l.series.iter().flat_map(|s| s.points.iter().map(|p| p.1)), 0.08);
        let frame = Frame {
            x: &l.x,
            y: &l.y,
            xr,
            yr,
            top: LEGEND,
            right: 0,
        };
        let mut chart = cartesian(&root, &frame)?;
        for (i, s) in l.series.iter().enumerate() {
            series(&root, &mut chart, s, look(i))?;
        }
        held_months(&root, &chart, &frame)?;
        let left = px(&chart, xr.0, yr.1).0;
        let items: Vec<_> = l
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), look(i)))
            .collect();
        legend(&root, (left, 17), &items)?;
        root.present().map_err(io)?;
    }
    Ok(out)
}

/// One line with its markers.
pub(super) fn series(root: &Area<'_>, chart: &mut Plot2d<'_, '_>, s: &Series, l: Look) -> io::Result<()> {
    let style = ShapeStyle::from(&l.colour).stroke_width(2);
    let points = s
        .points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite());
    match l.dash {
        None => chart.draw_series(LineSeries::new(points, style)).map(|_| ()),
        Some((d, g)) => chart
            .draw_series(DashedLineSeries::new(points, d, g, style))
            .map(|_| ()),
    }
    .map_err(io)?;
    if s.points.len() <= MAX_MARKERS {
        for (x, y) in &s.points {
            if x.is_finite() && y.is_finite() {
                marker(root, px(chart, *x, *y), l)?;
            }
        }
    }
    Ok(())
}
