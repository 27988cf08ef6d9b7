//! The Monte Carlo pictures: a fan chart of a metric by month (P5–P95 and
//! P25–P75 as two shades of one hue, the median as a line, the base run
//! dashed; months a horizon holds at the model's last inputs marked)
//! and a histogram of the summary with P5, median and P95 marked.

use std::io;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::held::held_months;
use super::lines::series;
use super::plot::{cartesian, px, Area, Frame, Plot2d, LEGEND};
use super::style::{
    anchored, io, labelled, legend, look, span, swatches, text_width, Look, BAND_INNER, BAND_OUTER, INK,
    SMALL,
};
use crate::render::chart::{Axis, Fan, Histogram, Series};

pub(super) fn draw(f: &Fan, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let n = f.bands.len();
        let xr = (-0.5, n.max(1) as f64 - 0.5);
        let yr = span(
            f.bands.iter().flatten().copied().chain(f.base.iter().copied()),
            0.08,
        );
        let frame = Frame {
            x: &f.x,
            y: &f.y,
            xr,
            yr,
            top: LEGEND,
            right: 0,
        };
        let mut chart = cartesian(&root, &frame)?;
        band(&mut chart, &f.bands, 0, 4, BAND_OUTER)?;
        band(&mut chart, &f.bands, 1, 3, BAND_INNER)?;
        let median = Series {
            name: "median".into(),
            points: f
                .bands
                .iter()
                .enumerate()
                .map(|(i, b)| (i as f64, b[2]))
                .collect(),
        };
        series(&root, &mut chart, &median, look(0))?;
        let base_look = Look {
            marker: super::style::Marker::Square,
            ..look(2)
        };
        if !f.base.is_empty() {
            let base = Series {
                name: "base run".into(),
                points: f.base.iter().enumerate().map(|(i, v)| (i as f64, *v)).collect(),
            };
            series(&root, &mut chart, &base, base_look)?;
        }
        held_months(&root, &chart, &frame)?;
        let left = px(&chart, xr.0, yr.1).0;
        let at = swatches(
            &root,
            (left, 17),
            &[("P5–P95", BAND_OUTER), ("P25–P75", BAND_INNER)],
        )?;
        let mut items = vec![("median".to_string(), look(0))];
        if !f.base.is_empty() {
            items.push(("base run (no uncertainty)".to_string(), base_look));
        }
        legend(&root, (at, 17), &items)?;
        root.present().map_err(io)?;
    }
    Ok(out)
}

/// The band between percentiles `lo` and `hi` (indices into P5, P25,
/// P50, P75, P95); a box around the one month when there is only one.
fn band(
    chart: &mut Plot2d<'_, '_>,
    bands: &[[f64; 5]],
    lo: usize,
    hi: usize,
    colour: RGBColor,
) -> io::Result<()> {
    if let [b] = bands {
        let w = if lo == 0 { 0.3 } else { 0.2 };
        chart
            .draw_series([Rectangle::new([(-w, b[lo]), (w, b[hi])], colour.filled())])
            .map_err(io)?;
        return Ok(());
    }
    let mut points: Vec<(f64, f64)> = bands.iter().enumerate().map(|(i, b)| (i as f64, b[hi])).collect();
    points.extend(bands.iter().enumerate().rev().map(|(i, b)| (i as f64, b[lo])));
    chart
        .draw_series([Polygon::new(points, colour.filled())])
        .map_err(io)?;
    Ok(())
}

/// Room under a histogram for its note, in pixels.
const NOTE: u32 = 24;

/// The histogram's note in lines that fit a panel `w` wide, beside the
/// plot's label area (about 100 pixels).
fn note_lines(x: &Histogram, w: u32) -> Vec<String> {
    if x.note.is_empty() {
        return Vec::new();
    }
    super::wrap(&x.note, SMALL, false, f64::from(w.saturating_sub(100)))
}

/// The height a histogram `w` wide needs: its plot, and a line for each
/// line of its note.
pub(super) fn histogram_height(x: &Histogram, w: u32) -> u32 {
    300 + NOTE * note_lines(x, w).len() as u32
}

pub(super) fn histogram(x: &Histogram, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let lines = note_lines(x, w);
        if lines.is_empty() {
            bins_and_marks(&root, x)?;
        } else {
            let (plot, under) = root.split_vertically(h.saturating_sub(NOTE * lines.len() as u32));
            let left = bins_and_marks(&plot, x)?;
            for (i, line) in lines.into_iter().enumerate() {
                under
                    .draw(&Text::new(
                        line,
                        (left, 2 + NOTE as i32 * i as i32),
                        anchored(SMALL, HPos::Left, VPos::Top),
                    ))
                    .map_err(io)?;
            }
        }
        root.present().map_err(io)?;
    }
    Ok(out)
}

/// The histogram's bars and marks on `root`; the plot's left edge, in pixels.
fn bins_and_marks(root: &Area<'_>, x: &Histogram) -> io::Result<i32> {
    let xr = span(
        x.bins
            .iter()
            .flat_map(|b| [b.lo, b.hi])
            .chain(x.marks.iter().map(|m| m.1)),
        0.03,
    );
    let top = x.bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let y = Axis::new("draws", 0);
    let frame = Frame {
        x: &x.x,
        y: &y,
        xr,
        yr: (0.0, top * 1.18),
        top: 12,
        right: 0,
    };
    let mut chart = cartesian(root, &frame)?;
    let bars = x.bins.iter().map(|b| {
        let (lo, hi) = if b.hi > b.lo {
            (b.lo, b.hi)
        } else {
            (b.lo - 0.5, b.lo + 0.5)
        };
        Rectangle::new([(lo, 0.0), (hi, b.count as f64)], BAND_INNER.filled())
    });
    chart.draw_series(bars).map_err(io)?;
    let edges = x.bins.iter().filter(|b| b.count > 0 && b.hi > b.lo).map(|b| {
        Rectangle::new(
            [(b.lo, 0.0), (b.hi, b.count as f64)],
            ShapeStyle::from(&INK).stroke_width(1),
        )
    });
    chart.draw_series(edges).map_err(io)?;
    marks(root, &chart, x, top * 1.18)?;
    Ok(px(&chart, xr.0, 0.0).0)
}

/// Dashed vertical lines at the marks, each labelled with its name and
/// value; labels that would run into the previous one move down a line.
fn marks(root: &Area<'_>, chart: &Plot2d<'_, '_>, x: &Histogram, top: f64) -> io::Result<()> {
    let mut last_right = i32::MIN;
    let mut row = 0;
    for (name, v) in &x.marks {
        let (x0, y0) = px(chart, *v, top);
        let (_, y1) = px(chart, *v, 0.0);
        root.draw(&DashedPathElement::new(
            vec![(x0, y0 + 4), (x0, y1)],
            5,
            3,
            ShapeStyle::from(&INK).stroke_width(1),
        ))
        .map_err(io)?;
        let label = format!("{name} {}", labelled(&x.x, *v));
        let half = (text_width(&label, SMALL) / 2.0) as i32;
        row = if x0 - half < last_right + 6 { row + 1 } else { 0 };
        last_right = x0 + half;
        let y = y0 + 2 + 18 * row;
        root.draw(&Rectangle::new(
            [(x0 - half - 2, y), (x0 + half + 2, y + 17)],
            WHITE.filled(),
        ))
        .map_err(io)?;
        root.draw(&Text::new(
            label,
            (x0, y),
            anchored(SMALL, HPos::Center, VPos::Top),
        ))
        .map_err(io)?;
    }
    Ok(())
}
