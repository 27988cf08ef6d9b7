//! Ticks at an axis's own values rather than at round numbers the plot
//! picks: a one-way sweep runs a few values (0.2, 0.35, …, 0.8), and its
//! axis labels each of them, so that none (the lowest least of all) is
//! left without a tick and no tick falls between two runs.

use super::style::{magnitude, text_width, Ticks, SMALL};
use super::tick_text::{tick, ticks_fitting};
use crate::render::chart::Axis;

/// How an axis's own tick values print: their magnitude and the fewest
/// decimals (at most six) that write each of them exactly, so that 0.1 to
/// 0.5 reads `0.1`, `0.2`, … and 0.2 to 0.8 by 0.15 `0.20`, `0.35`, ….
pub(super) fn own_ticks(values: &[f64]) -> Ticks {
    let top = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (div, suffix) = magnitude(top);
    let exact = |p: u32| {
        let scale = 10f64.powi(p as i32);
        values.iter().all(|v| {
            let x = v / div;
            ((x * scale).round() / scale - x).abs() <= 1e-9 * x.abs().max(1.0)
        })
    };
    Ticks {
        div,
        suffix,
        places: (0..=6).find(|p| exact(*p)).unwrap_or(6),
    }
}

/// The most of an axis's own ticks (see [`own_ticks`]) that fit along
/// `length` pixels: all of them, or every second, third, … from the
/// least, so that the lowest value always has its tick. Empty when the
/// axis leaves its ticks to the plot (or has more than twelve).
pub(super) fn own_ticks_fitting(axis: &Axis, length: f64) -> Vec<f64> {
    let values = &axis.ticks;
    if values.is_empty() || values.len() > 12 || !axis.categories.is_empty() {
        return Vec::new();
    }
    let t = own_ticks(values);
    let label = values
        .iter()
        .map(|v| text_width(&tick(axis, *v, &t), SMALL))
        .fold(0.0, f64::max);
    let every = values.len().div_ceil(ticks_fitting(length, label));
    values.iter().step_by(every.max(1)).copied().collect()
}
