//! The waterfall of `diff`: A's value at the top, then each assumption's
//! attributed part as a bar from the running total (dark for a rise, light
//! for a fall), then B's value; each bar labelled with its signed amount.

use std::io;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{cartesian, px, top_down, Frame, LEGEND};
use super::style::{anchored, fmt, io, span, swatches, BLUE, GREY, INK, ORANGE};
use crate::render::chart::Waterfall;

const SLOT: u32 = 30;

pub(super) fn height(w: &Waterfall) -> u32 {
    LEGEND + 60 + SLOT * w.steps.len().max(1) as u32
}

/// Each step's bar as (from, to).
fn bars(w: &Waterfall) -> Vec<(f64, f64)> {
    let mut running = 0.0;
    w.steps
        .iter()
        .map(|s| {
            if s.total {
                running = s.value;
                (f64::NAN, s.value)
            } else {
                let from = running;
                running += s.value;
                (from, running)
            }
        })
        .collect()
}

pub(super) fn draw(wf: &Waterfall, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let n = wf.steps.len().max(1);
        let y = top_down(wf.steps.iter().map(|s| s.label.clone()), n);
        let spans = bars(wf);
        let (lo, hi) = span(spans.iter().flat_map(|(a, b)| [*a, *b]), 0.15);
        let frame = Frame {
            x: &wf.x,
            y: &y,
            xr: (lo, hi),
            yr: (-0.5, n as f64 - 0.5),
            top: LEGEND,
            right: 0,
        };
        let chart = cartesian(&root, &frame)?;
        let mut previous: Option<(i32, i32)> = None;
        for (i, (s, (from, to))) in wf.steps.iter().zip(&spans).enumerate() {
            let c = (n - 1 - i) as f64;
            let from = if from.is_nan() { lo } else { *from };
            let colour = if s.total {
                GREY
            } else if s.value >= 0.0 {
                BLUE
            } else {
                ORANGE
            };
            let a = px(&chart, from.min(*to), c + 0.32);
            let b = px(&chart, from.max(*to), c - 0.32);
            root.draw(&Rectangle::new([a, (b.0.max(a.0 + 1), b.1)], colour.filled()))
                .map_err(io)?;
            if let Some((x, y)) = previous {
                root.draw(&DashedPathElement::new(
                    vec![(x, y), (x, a.1)],
                    3,
                    3,
                    ShapeStyle::from(&INK).stroke_width(1),
                ))
                .map_err(io)?;
            }
            previous = Some((px(&chart, *to, c).0, b.1));
            let label = if s.total {
                fmt(s.value, wf.x.places)
            } else if s.value >= 0.0 {
                format!("+{}", fmt(s.value, wf.x.places))
            } else {
                fmt(s.value, wf.x.places)
            };
            root.draw(&Text::new(
                label,
                (b.0.max(a.0 + 1) + 6, (a.1 + b.1) / 2),
                anchored(12.0, HPos::Left, VPos::Center),
            ))
            .map_err(io)?;
        }
        swatches(
            &root,
            (px(&chart, lo, 0.0).0, 14),
            &[("A and B", GREY), ("raises it", BLUE), ("lowers it", ORANGE)],
        )?;
        root.present().map_err(io)?;
    }
    Ok(out)
}
