//! The waterfall of `diff`: A's value at the top, then each difference's
//! attributed part as a bar from the running total (dark blue for a rise,
//! light orange for a fall, drawn leftward), then B's value. Totals are
//! bars from zero on an axis that includes zero, so their lengths compare
//! truly; each bar is labelled right of its right end with its value (a
//! total with its unit, a part signed; a part of a percentage in
//! percentage points).

use std::io;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{cartesian, px, top_down, zero_line, Frame, LEGEND};
use super::style::{
    anchored, digits, dollars, human, io, signed, swatches, text_width, BLUE, GREY, INK, ORANGE, SMALL,
};
use crate::render::chart::Waterfall;

const SLOT: u32 = 40;

pub(super) fn height(w: &Waterfall) -> u32 {
    LEGEND + 70 + SLOT * w.steps.len().max(1) as u32
}

/// Each step's bar as (from, to): a total from zero, a part from the
/// running total.
fn bars(w: &Waterfall) -> Vec<(f64, f64)> {
    let mut running = 0.0;
    w.steps
        .iter()
        .map(|s| {
            if s.total {
                running = s.value;
                (0.0, s.value)
            } else {
                let from = running;
                running += s.value;
                (from, running)
            }
        })
        .collect()
}

/// The label of step `i`.
fn label(wf: &Waterfall, i: usize) -> String {
    let s = &wf.steps[i];
    // Money to cents at least: the places are those of the scaled amount
    // (`4.48 m`), and whole-dollar totals would otherwise read `$4 m`.
    // A percentage (and a part of one, in points) to three significant
    // figures, as brief rounds it: `15.4%`, `−1.84%`, `+7.17 pp`.
    let p = match wf.unit.as_str() {
        "$" => wf.x.places.max(2),
        "%" => (3 - digits(s.value.abs())).clamp(0, 2) as u32,
        _ => wf.x.places,
    };
    if s.total {
        // A negative total with a true minus, as the parts and the axis.
        let v = human(s.value, p);
        let v = match v.strip_prefix('-') {
            Some(rest) => format!("−{rest}"),
            None => v,
        };
        match wf.unit.as_str() {
            "" => v,
            "%" => format!("{v}%"),
            "$" => dollars(&v),
            u => format!("{v} {u}"),
        }
    } else {
        match wf.unit.as_str() {
            "%" => format!("{} pp", signed(s.value, p)),
            "$" => dollars(&signed(s.value, p)),
            _ => signed(s.value, p),
        }
    }
}

pub(super) fn draw(wf: &Waterfall, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let n = wf.steps.len().max(1);
        let y = top_down(wf.steps.iter().map(|s| s.label.clone()), n);
        let spans = bars(wf);
        let ends = spans.iter().flat_map(|(a, b)| [*a, *b]).filter(|v| v.is_finite());
        let (lo, hi) = ends.fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
        let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 1.0, hi + 1.0) };
        let pad = (hi - lo) * 0.03;
        let xr = (
            if lo < 0.0 { lo - pad } else { 0.0 },
            if hi > 0.0 { hi + pad } else { 0.0 },
        );
        let widest = (0..wf.steps.len())
            .map(|i| text_width(&label(wf, i), SMALL))
            .fold(0.0, f64::max);
        let frame = Frame::rows(&wf.x, &y, xr, n, widest as u32 + 12);
        let chart = cartesian(&root, &frame)?;
        // Zero, the line every total starts from.
        zero_line(&root, &chart, n)?;
        let mut previous: Option<(i32, i32)> = None;
        for (i, (s, (from, to))) in wf.steps.iter().zip(&spans).enumerate() {
            let c = (n - 1 - i) as f64;
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
            // A dashed line from the previous bar's end to where this one
            // starts (the running total).
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
            root.draw(&Text::new(
                label(wf, i),
                (b.0.max(a.0 + 1) + 6, (a.1 + b.1) / 2),
                anchored(SMALL, HPos::Left, VPos::Center),
            ))
            .map_err(io)?;
        }
        swatches(
            &root,
            (px(&chart, xr.0, 0.0).0, 17),
            &[("A and B", GREY), ("raises it", BLUE), ("lowers it", ORANGE)],
        )?;
        root.present().map_err(io)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::chart::{Axis, Step};

    fn wf(unit: &str, steps: &[(&str, f64, bool)]) -> Waterfall {
        Waterfall {
            x: Axis::new("x", 4),
            unit: unit.into(),
            steps: steps
                .iter()
                .map(|(l, v, t)| Step {
                    label: l.to_string(),
                    value: *v,
                    total: *t,
                })
                .collect(),
        }
    }

    #[test]
    fn totals_start_at_zero_and_parts_at_the_running_total() {
        let w = wf(
            "IQD per $",
            &[
                ("A", 1453.0, true),
                ("x", 200.0, false),
                ("y", -39.0, false),
                ("B", 1614.0, true),
            ],
        );
        assert_eq!(
            bars(&w),
            vec![(0.0, 1453.0), (1453.0, 1653.0), (1653.0, 1614.0), (0.0, 1614.0)]
        );
        assert_eq!(label(&w, 0), "1,453 IQD per $");
        assert_eq!(label(&w, 1), "+200");
        assert_eq!(label(&w, 2), "−39");
        let w = wf(
            "%",
            &[("A", -1.8207, true), ("x", 7.1356, false), ("B", 5.3149, true)],
        );
        // Three significant figures, as brief's "−1.84%", and a true minus.
        assert_eq!(label(&w, 0), "−1.82%");
        assert_eq!(label(&w, 1), "+7.14 pp");
        assert_eq!(label(&w, 2), "5.31%");
        let svg = draw(&w, 1280, 300).unwrap();
        assert!(svg.contains("+7.14 pp"));
        // 15.42% reads 15.4%, as brief has the premium; +23.98 pp, +24 pp.
        let w = wf(
            "%",
            &[("A", 15.4195, true), ("x", 23.98, false), ("B", 39.4, true)],
        );
        assert_eq!(label(&w, 0), "15.4%");
        assert_eq!(label(&w, 1), "+24 pp");
    }
}
