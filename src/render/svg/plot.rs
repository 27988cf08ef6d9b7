//! The cartesian plot every plotters-drawn panel starts from: the plotting
//! area with room for the legend and the axis labels, the grid, and tick
//! labels rounded for people (at most four significant figures, thousands
//! separators, millions and billions as `m` and `bn`) or, on a category
//! axis, the category names.

use std::io;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::own_ticks::{own_ticks, own_ticks_fitting};
use super::style::{anchored, font, io, text_width, Ticks, GRID, INK, MEDIUM, SMALL};
use super::tick_text::{tick, ticks_fitting};
use crate::render::chart::Axis;

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type Plot2d<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Room above the plotting area for a legend, in pixels.
pub(super) const LEGEND: u32 = 34;

/// Options of [`cartesian`].
pub(super) struct Frame<'x> {
    pub x: &'x Axis,
    pub y: &'x Axis,
    pub xr: (f64, f64),
    pub yr: (f64, f64),
    /// Room above the plot (a legend).
    pub top: u32,
    /// Room right of the plot (labels past the last value).
    pub right: u32,
}

impl<'x> Frame<'x> {
    /// A plot of `n` rows (a bar or a group each) across `xr`, under a
    /// legend, with `right` pixels right of it for labels.
    pub(super) fn rows(x: &'x Axis, y: &'x Axis, xr: (f64, f64), n: usize, right: u32) -> Self {
        Frame {
            x,
            y,
            xr,
            yr: (-0.5, n as f64 - 0.5),
            top: LEGEND,
            right,
        }
    }
}

/// The most ticks over `r` whose labels `ticks` tells apart: no two
/// closer than the last decimal printed.
fn representable(r: (f64, f64), ticks: &Ticks) -> usize {
    let steps = (r.1 - r.0).abs() / ticks.div * 10f64.powi(ticks.places as i32);
    (steps.floor() as usize).max(1)
}

/// Width of the widest tick label of `axis` over `r`.
fn widest(axis: &Axis, r: (f64, f64), ticks: &Ticks) -> f64 {
    if axis.categories.is_empty() {
        [r.0, r.1, (r.0 + r.1) / 2.0]
            .iter()
            .map(|v| text_width(&tick(axis, *v, ticks), SMALL))
            .fold(0.0, f64::max)
    } else {
        axis.categories
            .iter()
            .map(|c| text_width(c, SMALL))
            .fold(0.0, f64::max)
    }
}

/// How the y axis's tick values are printed.
fn y_ticks(f: &Frame<'_>) -> Ticks {
    Ticks::new(f.yr.0, f.yr.1, 8, f.y.places)
}

/// Width of the label area left of the plot, in pixels: the widest tick
/// label and, when the axis has a title, room for it turned on its side.
pub(super) fn y_area(f: &Frame<'_>) -> u32 {
    let title = if f.y.label.is_empty() { 14.0 } else { 40.0 };
    // At least 80 pixels, so that the panels of a chart line up when
    // their tick labels are short.
    ((widest(f.y, f.yr, &y_ticks(f)) + title).ceil() as u32).max(80)
}

/// A plot on `area` with its grid, axis labels and tick labels drawn.
pub(super) fn cartesian<'a, 'b>(area: &'a Area<'b>, f: &Frame<'_>) -> io::Result<Plot2d<'a, 'b>> {
    let (w, h) = area.dim_in_pixel();
    let xt = Ticks::new(f.xr.0, f.xr.1, 10, f.x.places);
    let yt = y_ticks(f);
    let y_area = y_area(f);
    let plot_w = f64::from(w.saturating_sub(y_area + f.right + 24));
    let x_label = widest(f.x, f.xr, &xt);
    let own = own_ticks_fitting(f.x, plot_w);
    let x_ticks = if !own.is_empty() {
        0
    } else if f.x.categories.is_empty() {
        ticks_fitting(plot_w, x_label)
            .min(10)
            .min(representable(f.xr, &xt))
    } else {
        let n = f.x.categories.len();
        let fit = ticks_fitting(plot_w, x_label);
        // Plotters picks steps of 1, 2 or 5: ask for twice as many where
        // all fit, so each whole position has its label.
        if fit >= n {
            2 * n
        } else {
            fit
        }
    };
    let x_area = if f.x.label.is_empty() { 30 } else { 54 };
    let plot_h = f64::from(h.saturating_sub(f.top + x_area));
    let y_count = ((plot_h / 44.0) as usize)
        .clamp(2, 10)
        .min(representable(f.yr, &yt));
    let mut chart = ChartBuilder::on(area)
        .margin_top(f.top)
        .margin_right(
            f.right
                + 20.max(if f.x.categories.is_empty() {
                    (x_label / 2.0) as u32 + 4
                } else {
                    0
                }),
        )
        .margin_left(4)
        .margin_bottom(4)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(f.xr.0..f.xr.1, f.yr.0..f.yr.1)
        .map_err(io)?;
    let fx = |v: &f64| tick(f.x, *v, &xt);
    let fy = |v: &f64| tick(f.y, *v, &yt);
    chart
        .configure_mesh()
        .x_labels(x_ticks)
        .y_labels(if f.y.categories.is_empty() {
            y_count
        } else {
            2 * f.y.categories.len()
        })
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .x_desc(f.x.label.clone())
        .y_desc(fitting(&f.y.label, plot_h - 8.0))
        .label_style(font(SMALL))
        .axis_desc_style(font(MEDIUM))
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .axis_style(ShapeStyle::from(&RGBColor(90, 90, 90)).stroke_width(1))
        .draw()
        .map_err(io)?;
    draw_own_ticks(area, &chart, f, &own)?;
    Ok(chart)
}

/// Draws ticks at `values` along the bottom of `chart`, with grid lines up
/// the plot, as the mesh draws its own.
fn draw_own_ticks(area: &Area<'_>, chart: &Plot2d<'_, '_>, f: &Frame<'_>, values: &[f64]) -> io::Result<()> {
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

/// `text` cut with an ellipsis to `room` pixels at the axis titles' size
/// (a y axis's title, turned on its side, is as long as its plot is high).
/// A title too long is first replaced by its unit (the part after its
/// first comma, which the legend or heading completes).
fn fitting(text: &str, room: f64) -> String {
    if text_width(text, MEDIUM) <= room {
        return text.to_string();
    }
    if let Some(unit) = text.split(", ").nth(1) {
        if text_width(unit, MEDIUM) <= room {
            return unit.to_string();
        }
    }
    let mut s = String::new();
    for c in text.chars() {
        if text_width(&format!("{s}{c}…"), MEDIUM) > room {
            break;
        }
        s.push(c);
    }
    s.push('…');
    s
}

/// A category axis of `n` positions naming `labels` from the top down:
/// the first label sits at `n - 1`, where a plot's top is.
pub(super) fn top_down(labels: impl Iterator<Item = String>, n: usize) -> Axis {
    let mut names: Vec<String> = labels.collect();
    names.resize(n, String::new());
    names.reverse();
    Axis::categories("", names)
}

/// The pixel position of a value in `chart`.
pub(super) fn px(chart: &Plot2d<'_, '_>, x: f64, y: f64) -> (i32, i32) {
    chart.backend_coord(&(x, y))
}

/// The line at zero up a plot of `n` category positions (bars from zero).
pub(super) fn zero_line(root: &Area<'_>, chart: &Plot2d<'_, '_>, n: usize) -> io::Result<()> {
    let (x, top) = px(chart, 0.0, n as f64 - 0.5);
    let (_, bottom) = px(chart, 0.0, -0.5);
    root.draw(&PathElement::new(
        vec![(x, top), (x, bottom)],
        ShapeStyle::from(&INK).stroke_width(1),
    ))
    .map_err(io)
}
