//! Estimates with their confidence intervals, grouped (Sobol indices: for
//! each input an S1 bar and an ST bar, each with its 95% interval as a
//! whisker and its value printed past the whisker).

use std::io;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{cartesian, px, top_down, zero_line, Frame, LEGEND};
use super::style::{anchored, human, io, span, swatches, BLUE, INK, ORANGE, SMALL};
use crate::render::chart::Intervals;

const SLOT: u32 = 54;

pub(super) fn height(i: &Intervals) -> u32 {
    LEGEND + 60 + SLOT * i.groups.len().max(1) as u32
}

/// An interval's half-width as its label shows it: two decimals, or more
/// (up to `max`) when two would round a nonzero width to 0 (0.0009 →
/// `0.0009`, not `0`), and `< 0.0001` (at `max` 4) when even `max` would;
/// 0 only when it is 0.
fn half_width(c: f64, max: u32) -> String {
    let text = human(c, max.min(2));
    if c == 0.0 || text != "0" {
        return text;
    }
    match human(c, max) {
        t if t == "0" => format!("< {}", human(10f64.powi(-(max as i32)), max)),
        t => t,
    }
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
                    format!(
                        "{} ± {}",
                        human(*e, iv.x.places.min(2)),
                        half_width(*c, iv.x.places)
                    ),
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
    use super::half_width;

    #[test]
    fn a_narrow_interval_does_not_read_as_zero() {
        assert_eq!(half_width(0.0283, 4), "0.03");
        // The guide's ±0.0009 (ST of auction.cash_share at N = 4,096).
        assert_eq!(half_width(0.0009, 4), "0.0009");
        assert_eq!(half_width(0.00386, 4), "0.0039");
        assert_eq!(half_width(0.00004, 4), "< 0.0001");
        assert_eq!(half_width(0.0, 4), "0");
    }
}
