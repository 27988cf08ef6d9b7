//! Observations against forecasts over time (`fit`, `backtest`): each
//! observation a ringed orange dot where it was dated, the model (and any
//! other forecast) a line through its values, the model's central 80% and
//! 50% bands as two shades of blue behind each observation; and a fit's
//! residuals as thin bars from zero.

use std::io;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::lines::series;
use super::plot::{cartesian, px, Area, Frame, LEGEND};
use super::style::{
    anchored, io, legend, span, swatches, text_width, Look, Marker, BAND_INNER, BAND_OUTER, BLUE, GREY, INK,
    MEDIUM, ORANGE,
};
use crate::render::chart::{Observed, Residuals};

/// The look of forecast `i`: the model solid and black, the others dashed.
fn look(i: usize) -> Look {
    match i {
        0 => Look {
            colour: INK,
            dash: None,
            marker: Marker::Nothing,
        },
        1 => Look {
            colour: BLUE,
            dash: Some((8, 4)),
            marker: Marker::Square,
        },
        2 => Look {
            colour: GREY,
            dash: Some((12, 4)),
            marker: Marker::Cross,
        },
        _ => Look {
            colour: GREY,
            dash: Some((3, 3)),
            marker: Marker::Triangle,
        },
    }
}

/// An observation's dot at `(x, y)` in pixels.
fn dot(root: &Area<'_>, p: (i32, i32)) -> io::Result<()> {
    root.draw(&Circle::new(p, 5, ORANGE.filled())).map_err(io)?;
    root.draw(&Circle::new(p, 5, ShapeStyle::from(&INK).stroke_width(1)))
        .map_err(io)
}

pub(super) fn draw(o: &Observed, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let n = o.x.categories.len().max(1);
        let xr = (-0.5, n as f64 - 0.5);
        let values = o
            .points
            .iter()
            .map(|p| p.1)
            .chain(o.lines.iter().flat_map(|s| s.points.iter().map(|p| p.1)))
            .chain(o.bands.iter().flat_map(|b| [b.outer.0, b.outer.1]));
        let yr = span(values, 0.08);
        let frame = Frame {
            x: &o.x,
            y: &o.y,
            xr,
            yr,
            top: LEGEND,
            right: 0,
        };
        let mut chart = cartesian(&root, &frame)?;
        for b in &o.bands {
            chart
                .draw_series([
                    Rectangle::new(
                        [(b.x - 0.2, b.outer.0), (b.x + 0.2, b.outer.1)],
                        BAND_OUTER.filled(),
                    ),
                    Rectangle::new(
                        [(b.x - 0.12, b.inner.0), (b.x + 0.12, b.inner.1)],
                        BAND_INNER.filled(),
                    ),
                ])
                .map_err(io)?;
        }
        for (i, s) in o.lines.iter().enumerate() {
            series(&root, &mut chart, s, look(i))?;
        }
        for (x, y) in &o.points {
            if x.is_finite() && y.is_finite() {
                dot(&root, px(&chart, *x, *y))?;
            }
        }
        // The legend: the observations, the forecasts, the bands.
        let left = px(&chart, xr.0, yr.1).0;
        let y0 = 17;
        dot(&root, (left + 13, y0))?;
        root.draw(&Text::new(
            o.name.clone(),
            (left + 34, y0),
            anchored(MEDIUM, HPos::Left, VPos::Center),
        ))
        .map_err(io)?;
        let at = left + 34 + text_width(&o.name, MEDIUM) as i32 + 26;
        let items: Vec<(String, Look)> = o
            .lines
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), look(i)))
            .collect();
        let at = legend(&root, (at, y0), &items)?;
        if !o.bands.is_empty() {
            swatches(
                &root,
                (at, y0),
                &[("model P10–P90", BAND_OUTER), ("model P25–P75", BAND_INNER)],
            )?;
        }
        root.present().map_err(io)?;
    }
    Ok(out)
}

pub(super) fn residuals(r: &Residuals, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let n = r.x.categories.len().max(1);
        let xr = (-0.5, n as f64 - 0.5);
        let yr = span(r.points.iter().map(|p| p.1).chain([0.0]), 0.1);
        let frame = Frame {
            x: &r.x,
            y: &r.y,
            xr,
            yr,
            top: 12,
            right: 0,
        };
        let chart = cartesian(&root, &frame)?;
        let (z0, zy) = px(&chart, xr.0, 0.0);
        let (z1, _) = px(&chart, xr.1, 0.0);
        root.draw(&PathElement::new(
            vec![(z0, zy), (z1, zy)],
            ShapeStyle::from(&INK).stroke_width(1),
        ))
        .map_err(io)?;
        for (x, y) in &r.points {
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            let (cx, top) = px(&chart, *x, y.max(0.0));
            let (_, bottom) = px(&chart, *x, y.min(0.0));
            let colour = if *y >= 0.0 { BLUE } else { ORANGE };
            root.draw(&Rectangle::new(
                [(cx - 3, top), (cx + 3, bottom.max(top + 1))],
                colour.filled(),
            ))
            .map_err(io)?;
        }
        root.present().map_err(io)?;
    }
    Ok(out)
}
