//! Estimates with their confidence intervals, grouped (Sobol indices: for
//! each input an S1 bar and an ST bar, each with its 95% interval as a
//! whisker and its value printed past the whisker).

use std::io;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{cartesian, px, top_down, zero_line, Frame, LEGEND};
use super::style::{anchored, fmt, io, span, swatches, BLUE, INK, ORANGE, SMALL};
use crate::render::chart::Intervals;

const SLOT: u32 = 54;

pub(super) fn height(i: &Intervals) -> u32 {
    LEGEND + 60 + SLOT * i.groups.len().max(1) as u32
}

/// An estimate and its interval's half-width as their label shows them,
/// both with the same decimals: two, or (up to `max`) as many as show the
/// width to two figures when two decimals would round it to 0
/// (`0.0191 ± 0.0039`, not `0 ± 0` or `0.02 ± 0.0039`). An estimate and a
/// width that both round to 0 at `max` places read `< 0.0001` (at `max`
/// 4); a width alone that does shows as zeros. A negative estimate has a
/// true minus, and no minus when it shows as zeros.
fn estimate(e: f64, c: f64, max: u32) -> String {
    let max = max.max(2);
    let zero = |v: f64, p: u32| fmt(v.abs(), p).chars().all(|ch| ch == '0' || ch == '.');
    let places = match (2..=max).find(|p| c == 0.0 || !zero(c, *p)) {
        Some(2) => 2,
        Some(p) => (p + 1).min(max),
        None => max,
    };
    if (e != 0.0 || c != 0.0) && zero(e, max) && zero(c, max) {
        return format!("< {}", fmt(10f64.powi(-(max as i32)), max));
    }
    let shown = fmt(e, places);
    let shown = match shown.strip_prefix('-') {
        Some(rest) if !zero(e, places) => format!("−{rest}"),
        Some(rest) => rest.to_string(),
        None => shown,
    };
    format!("{shown} ± {}", fmt(c, places))
}

pub(super) fn draw(iv: &Intervals, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let n = iv.groups.len().max(1);
        let y = top_down(iv.groups.iter().cloned(), n);
        let ends = iv
            .series
            .iter()
            .flat_map(|(_, v)| v.iter().flat_map(|(e, c)| [e - c, e + c]))
            .chain([0.0]);
        let (lo, hi) = span(ends, 0.0);
        // Room right of the longest whisker for its value.
        let xr = (lo - 0.02 * (hi - lo), hi + 0.16 * (hi - lo));
        let frame = Frame::rows(&iv.x, &y, xr, n, 0);
        let chart = cartesian(&root, &frame)?;
        let k = iv.series.len().max(1) as f64;
        let thick = 0.7 / k;
        let colours = [BLUE, ORANGE, INK];
        for (s, (_, values)) in iv.series.iter().enumerate() {
            let colour = colours[s % colours.len()];
            for (g, (e, c)) in values.iter().enumerate() {
                // Series 0 on top within the group's slot.
                let mid = (n - 1 - g) as f64 + 0.35 - thick * (s as f64 + 0.5);
                let a = px(&chart, 0.0, mid + thick * 0.42);
                let b = px(&chart, *e, mid - thick * 0.42);
                root.draw(&Rectangle::new(
                    [(a.0.min(b.0), a.1), (a.0.max(b.0).max(a.0.min(b.0) + 1), b.1)],
                    colour.filled(),
                ))
                .map_err(io)?;
                let (l, r) = (px(&chart, e - c, mid), px(&chart, e + c, mid));
                let whisker = ShapeStyle::from(&INK).stroke_width(1);
                root.draw(&PathElement::new(vec![l, r], whisker)).map_err(io)?;
                for end in [l, r] {
                    root.draw(&PathElement::new(
                        vec![(end.0, end.1 - 4), (end.0, end.1 + 4)],
                        whisker,
                    ))
                    .map_err(io)?;
                }
                root.draw(&Text::new(
                    estimate(*e, *c, iv.x.places),
                    (r.0.max(a.0.max(b.0)) + 6, r.1),
                    anchored(SMALL, HPos::Left, VPos::Center),
                ))
                .map_err(io)?;
            }
        }
        zero_line(&root, &chart, n)?;
        let items: Vec<(&str, RGBColor)> = iv
            .series
            .iter()
            .enumerate()
            .map(|(s, (name, _))| (name.as_str(), colours[s % colours.len()]))
            .collect();
        swatches(&root, (px(&chart, xr.0, 0.0).0, 17), &items)?;
        root.present().map_err(io)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::estimate;

    #[test]
    fn an_index_and_its_interval_read_with_the_same_decimals() {
        assert_eq!(estimate(0.8412, 0.0283, 4), "0.84 ± 0.03");
        // A narrow interval keeps its digits, and the index as many: the
        // guide's ST of auction.cash_share at N = 256, 0.0191 ± 0.0039.
        assert_eq!(estimate(0.0191, 0.0039, 4), "0.0191 ± 0.0039");
        assert_eq!(estimate(0.0, 0.0009, 4), "0.0000 ± 0.0009");
        assert_eq!(estimate(-0.0123, 0.031, 4), "−0.01 ± 0.03");
        // An input with no effect, and one whose index and interval are
        // both under 0.0001: plain words, not "0 ± < 0.0001".
        assert_eq!(estimate(0.0, 0.0, 4), "0.00 ± 0.00");
        assert_eq!(estimate(0.00002, 0.00004, 4), "< 0.0001");
        assert_eq!(estimate(-0.00002, 0.00001, 4), "< 0.0001");
        // A tiny negative estimate shows no minus on its zeros.
        assert_eq!(estimate(-0.001, 0.05, 4), "0.00 ± 0.05");
        // An index with an interval under 0.0001: the width's zeros.
        assert_eq!(estimate(0.5, 0.00001, 4), "0.5000 ± 0.0000");
    }
}
