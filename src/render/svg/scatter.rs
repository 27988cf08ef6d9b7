//! Labelled points (Morris screening: μ* against σ). Each point carries a
//! number and a key beside the plot names it, so long input paths never
//! run into each other.

use std::io;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{cartesian, px, Frame};
use super::style::{anchored, io, span, text_width, BLUE, INK, SMALL};
use crate::render::chart::Scatter;

pub(super) fn height(s: &Scatter) -> u32 {
    (60 + 22 * s.points.len() as u32).max(380)
}

pub(super) fn draw(s: &Scatter, w: u32, h: u32) -> io::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let keys: Vec<String> = s
            .points
            .iter()
            .enumerate()
            .map(|(i, (label, _, _))| format!("{}  {label}", i + 1))
            .collect();
        let key_w = keys.iter().map(|k| text_width(k, SMALL)).fold(0.0, f64::max) as u32 + 30;
        let (_, x_hi) = span(s.points.iter().map(|p| p.1).chain([0.0]), 0.0);
        let (_, y_hi) = span(s.points.iter().map(|p| p.2).chain([0.0]), 0.0);
        let frame = Frame {
            x: &s.x,
            y: &s.y,
            xr: (0.0, x_hi * 1.1),
            yr: (0.0, y_hi * 1.12),
            top: 14,
            right: key_w,
        };
        let chart = cartesian(&root, &frame)?;
        let at: Vec<(i32, i32)> = s.points.iter().map(|(_, x, y)| px(&chart, *x, *y)).collect();
        for (i, p) in at.iter().enumerate() {
            root.draw(&Circle::new(*p, 4, BLUE.filled())).map_err(io)?;
            root.draw(&Circle::new(*p, 4, ShapeStyle::from(&INK).stroke_width(1)))
                .map_err(io)?;
            // Points on one pixel (inputs with no effect, all at 0) share
            // one label, `5, 6, 7`, written once by the first of them.
            if at[..i].contains(p) {
                continue;
            }
            let same: Vec<String> = (i..at.len())
                .filter(|j| at[*j] == *p)
                .map(|j| (j + 1).to_string())
                .collect();
            root.draw(&Text::new(
                same.join(", "),
                (p.0 + 6, p.1 - 4),
                anchored(SMALL, HPos::Left, VPos::Bottom),
            ))
            .map_err(io)?;
        }
        let x0 = w as i32 - key_w as i32 + 4;
        for (i, k) in keys.iter().enumerate() {
            root.draw(&Text::new(
                k.clone(),
                (x0, 24 + 22 * i as i32),
                anchored(SMALL, HPos::Left, VPos::Center),
            ))
            .map_err(io)?;
        }
        root.present().map_err(io)?;
    }
    Ok(out)
}
