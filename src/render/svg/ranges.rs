//! The tornado: one bar per parameter, largest swing at the top, from the
//! base value to the metric with the parameter at its low (dark) and at
//! its high (light) value; each end labelled with the metric's value and
//! the parameter's; the base value as a dashed line.

use std::io;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{cartesian, px, top_down, y_area, Area, Frame, Plot2d, LEGEND};
use super::style::{anchored, io, labelled, span, swatches, text_width, BLUE, INK, ORANGE, SMALL};
use crate::render::chart::RangeBars;

/// Height of one bar's slot, in pixels.
const SLOT: u32 = 38;
/// Half the bar's thickness, as a share of its slot.
const HALF: f64 = 0.3;

pub(super) fn height(r: &RangeBars) -> u32 {
    LEGEND + 24 + 60 + SLOT * r.bars.len().max(1) as u32
}

/// The labels at the two ends of bar `b`: (low end, high end).
fn labels(r: &RangeBars, i: usize) -> (String, String) {
    let b = &r.bars[i];
    (
        format!("{} (at {})", labelled(&r.x, b.at_low), b.low),
        format!("{} (at {})", labelled(&r.x, b.at_high), b.high),
    )
}

/// Whether the label of a bar end at `v` goes left of it: below the base,
/// or at the base for the low end.
fn leftward(v: f64, base: f64, is_low: bool) -> bool {
    v < base || (v == base && is_low)
}

/// Room the labels need beyond the bars' ends, left and right, in pixels.
fn label_room(r: &RangeBars) -> (f64, f64) {
    let (mut left, mut right) = (0.0f64, 0.0f64);
    for (i, b) in r.bars.iter().enumerate() {
        let (l, h) = labels(r, i);
        for (v, t, is_low) in [(b.at_low, l, true), (b.at_high, h, false)] {
            let width = text_width(&t, SMALL) + 10.0;
            if leftward(v, r.base, is_low) {
                left = left.max(width);
            } else {
                right = right.max(width);
            }
        }
    }
    (left, right)
}

pub(super) fn draw(r: &RangeBars, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let n = r.bars.len().max(1);
        let y = top_down(r.bars.iter().map(|b| b.label.clone()), n);
        let yr = (-0.5, n as f64 - 0.5);
        let (lo, hi) = span(
            r.bars.iter().flat_map(|b| [b.at_low, b.at_high]).chain([r.base]),
            0.0,
        );
        let (left, right) = label_room(r);
        let probe = Frame {
            x: &r.x,
            y: &y,
            xr: (lo, hi),
            yr,
            top: LEGEND + 24,
            right: 0,
        };
        let data_px = (f64::from(w) - f64::from(y_area(&probe)) - 40.0 - left - right).max(80.0);
        let per_px = (hi - lo) / data_px;
        let xr = (lo - left * per_px, hi + right * per_px);
        let frame = Frame { xr, ..probe };
        let chart = cartesian(&root, &frame)?;
        for i in 0..r.bars.len() {
            bar(&root, &chart, r, i)?;
        }
        base_line(&root, &chart, r, yr)?;
        let left_px = px(&chart, xr.0, yr.1).0;
        swatches(
            &root,
            (left_px, 17),
            &[
                ("parameter at its low value", BLUE),
                ("parameter at its high value", ORANGE),
            ],
        )?;
        root.present().map_err(io)?;
    }
    Ok(out)
}

/// Bar `i`: from the base to the metric at the parameter's low value and
/// at its high value, each end labelled.
fn bar(root: &Area<'_>, chart: &Plot2d<'_, '_>, r: &RangeBars, i: usize) -> io::Result<()> {
    let b = &r.bars[i];
    let c = (r.bars.len().max(1) - 1 - i) as f64;
    let (top, bottom) = (px(chart, r.base, c + HALF).1, px(chart, r.base, c - HALF).1);
    let base_x = px(chart, r.base, c).0;
    let (low_label, high_label) = labels(r, i);
    let same_side = (b.at_low - r.base) * (b.at_high - r.base) > 0.0;
    for (v, colour, label, shift) in [
        (b.at_low, BLUE, low_label, -8),
        (b.at_high, ORANGE, high_label, 8),
    ] {
        let x = px(chart, v, c).0;
        let (a, z) = (x.min(base_x), x.max(base_x));
        root.draw(&Rectangle::new(
            [(a, top), (z.max(a + 1), bottom)],
            colour.filled(),
        ))
        .map_err(io)?;
        let y = (top + bottom) / 2 + if same_side || v == r.base { shift } else { 0 };
        let (anchor, at) = if leftward(v, r.base, shift < 0) {
            (HPos::Right, a - 5)
        } else {
            (HPos::Left, z + 5)
        };
        root.draw(&Text::new(label, (at, y), anchored(SMALL, anchor, VPos::Center)))
            .map_err(io)?;
    }
    Ok(())
}

/// The base value as a dashed line across the bars, labelled above them.
fn base_line(root: &Area<'_>, chart: &Plot2d<'_, '_>, r: &RangeBars, yr: (f64, f64)) -> io::Result<()> {
    let (bx, by0) = px(chart, r.base, yr.1);
    let (_, by1) = px(chart, r.base, yr.0);
    root.draw(&DashedPathElement::new(
        vec![(bx, by0 - 4), (bx, by1)],
        6,
        3,
        ShapeStyle::from(&INK).stroke_width(2),
    ))
    .map_err(io)?;
    root.draw(&Text::new(
        format!("base {}", labelled(&r.x, r.base)),
        (bx, by0 - 6),
        anchored(SMALL, HPos::Center, VPos::Bottom),
    ))
    .map_err(io)?;
    Ok(())
}
