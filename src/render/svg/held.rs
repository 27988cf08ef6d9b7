//! The months a horizon adds (`--horizon`), marked on a plot by month,
//! quarter or year: a forecaster reads where the model's own timeline
//! ends and the months that only hold its last month's inputs begin.

use std::io;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::plot::{px, Area, Frame, Plot2d};
use super::style::{anchored, io, text_width, GREY, SMALL};

/// Where the months holding the model's last inputs begin on a month axis
/// run past the model's end (see
/// [`crate::render::chart::Axis::held`]): those months faintly
/// shaded, a dashed line where the model's own timeline ends and, at the
/// plot's top beside it, `inputs held from Jan 2025`. Drawn over the
/// lines and bands, so that the line shows through a fan.
pub(super) fn held_months(area: &Area<'_>, chart: &Plot2d<'_, '_>, f: &Frame<'_>) -> io::Result<()> {
    let Some(held) = &f.x.held else {
        return Ok(());
    };
    let (x, top) = px(chart, held.at, f.yr.1);
    let (right, bottom) = px(chart, f.xr.1, f.yr.0);
    area.draw(&Rectangle::new(
        [(x, top), (right, bottom)],
        GREY.mix(0.12).filled(),
    ))
    .map_err(io)?;
    area.draw(&DashedPathElement::new(
        vec![(x, top), (x, bottom)],
        6,
        4,
        ShapeStyle::from(&GREY).stroke_width(2),
    ))
    .map_err(io)?;
    let label = format!("inputs held from {}", held.first);
    let w = text_width(&label, SMALL).ceil() as i32;
    // Right of the line when it fits in the plot, else left of it.
    let (anchor, at, from) = if x + 8 + w <= right {
        (HPos::Left, x + 8, x + 5)
    } else {
        (HPos::Right, x - 8, x - 11 - w)
    };
    area.draw(&Rectangle::new(
        [(from, top + 4), (from + w + 6, top + 24)],
        WHITE.mix(0.85).filled(),
    ))
    .map_err(io)?;
    area.draw(&Text::new(
        label,
        (at, top + 6),
        anchored(SMALL, anchor, VPos::Top),
    ))
    .map_err(io)?;
    Ok(())
}
