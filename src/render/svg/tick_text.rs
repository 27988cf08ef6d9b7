//! What a tick on an axis says and how many fit: a value as the axis's
//! [`Ticks`] print it (in dollars on a money axis), a category's name at
//! its whole position; shared by the plot's own ticks and the ticks at an
//! axis's own values (`own_ticks.rs`).

use super::style::{dollars, Ticks};
use crate::render::chart::Axis;

/// The tick label of `v` on `axis`: its category name at a whole position,
/// nothing between; else the value as `ticks` prints it.
pub(super) fn tick(axis: &Axis, v: f64, ticks: &Ticks) -> String {
    if axis.categories.is_empty() {
        let t = ticks.label(v);
        return if axis.dollars { dollars(&t) } else { t };
    }
    let i = v.round();
    if (v - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    axis.categories.get(i as usize).cloned().unwrap_or_default()
}

/// How many ticks fit along `length` pixels when each label is about
/// `label` pixels wide.
pub(super) fn ticks_fitting(length: f64, label: f64) -> usize {
    ((length / (label + 20.0)).floor() as usize).clamp(1, 12)
}
