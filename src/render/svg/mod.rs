//! The chart renderer (`--format svg`): a [`Chart`] as one standalone SVG
//! file. The frame (title, subtitle, panel headings, footer) is written
//! here; each panel is drawn by the file for its kind, with plotters' SVG
//! backend, except the flow diagram, which no crate draws and
//! `flow.rs` writes by hand. Every panel is an `<svg>` element nested in
//! the frame at its place. No clock, no random ids: the same chart gives
//! the same bytes.
//!
//! A new kind of plot is a variant of `chart::Plot`, a file here with its
//! `draw(&Plot, width, height) -> io::Result<String>` and `height`, and its
//! two arms below.

mod fan;
mod flow;
mod heatmap;
mod intervals;
mod lines;
mod plot;
mod ranges;
mod scatter;
pub mod style;
mod waterfall;

use std::fmt::Write as _;
use std::io::{self, Write};

use super::chart::{Chart, Plot};

/// Width of every chart, in pixels.
pub const WIDTH: u32 = 960;
const TOP: u32 = 70;
const HEADING: u32 = 28;
const GAP: u32 = 14;
const FOOT: u32 = 34;

pub(super) fn write(chart: &Chart, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(svg(chart)?.as_bytes())
}

/// The chart as an `<svg>` element (no XML declaration, so the same text
/// serves as a file and inline in HTML).
pub fn svg(chart: &Chart) -> io::Result<String> {
    let subtitle = wrap(&chart.subtitle, 14.0);
    let footer = wrap(&chart.footer, 11.0);
    let top = TOP + 18 * (subtitle.len().max(1) as u32 - 1);
    let mut body = String::new();
    let mut y = top;
    for p in &chart.panels {
        let h = height(&p.plot);
        text(&mut body, 20, y + 18, 15, "bold", "#111", &p.heading);
        let inner = draw(&p.plot, WIDTH, h)?;
        let at = format!("<svg x=\"0\" y=\"{}\" ", y + HEADING);
        body.push_str(&inner.replacen("<svg ", &at, 1));
        if !body.ends_with('\n') {
            body.push('\n');
        }
        y += HEADING + h + GAP;
    }
    let foot = FOOT + 14 * (footer.len().max(1) as u32 - 1);
    let total = y + foot;
    let mut s = String::with_capacity(body.len() + 1024);
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{total}\" viewBox=\"0 0 {WIDTH} {total}\" role=\"img\" font-family=\"sans-serif\">"
    );
    let _ = writeln!(
        s,
        "<title>{}</title>",
        escape(&format!("{}: {}", chart.title, chart.subtitle))
    );
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{total}\" fill=\"#ffffff\"/>"
    );
    text(&mut s, 20, 30, 20, "bold", "#111", &fit(&chart.title, 20.0));
    for (i, line) in subtitle.iter().enumerate() {
        text(&mut s, 20, 54 + 18 * i as u32, 14, "normal", "#333", line);
    }
    s.push_str(&body);
    let _ = writeln!(
        s,
        "<line x1=\"20\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#cccccc\"/>",
        total - foot + 6,
        WIDTH - 20,
        total - foot + 6
    );
    for (i, line) in footer.iter().enumerate() {
        text(
            &mut s,
            20,
            total - foot + 24 + 14 * i as u32,
            11,
            "normal",
            "#444",
            line,
        );
    }
    s.push_str("</svg>\n");
    Ok(s)
}

/// Characters of `px`-pixel text that fit across the chart.
fn room(px: f64) -> usize {
    ((f64::from(WIDTH) - 40.0) / (px * 0.56)) as usize
}

/// `t` cut to the width of the chart, with an ellipsis when cut.
fn fit(t: &str, px: f64) -> String {
    let n = room(px);
    if t.chars().count() <= n {
        return t.to_string();
    }
    let mut s: String = t.chars().take(n.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// `t` in lines that fit across the chart, broken between words.
fn wrap(t: &str, px: f64) -> Vec<String> {
    let n = room(px);
    let mut lines = vec![String::new()];
    for word in t.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > n {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// The height a plot is drawn at, in pixels.
fn height(p: &Plot) -> u32 {
    match p {
        Plot::Lines(_) | Plot::Fan(_) => 340,
        Plot::Histogram(_) => 260,
        Plot::Scatter(s) => scatter::height(s),
        Plot::Heatmap(h) => heatmap::height(h),
        Plot::Ranges(r) => ranges::height(r),
        Plot::Intervals(i) => intervals::height(i),
        Plot::Waterfall(w) => waterfall::height(w),
        Plot::Flow(f) => flow::height(f),
    }
}

/// The plot as an `<svg>` element `w` × `h` pixels.
fn draw(p: &Plot, w: u32, h: u32) -> io::Result<String> {
    match p {
        Plot::Lines(l) => lines::draw(l, w, h),
        Plot::Fan(f) => fan::draw(f, w, h),
        Plot::Histogram(x) => fan::histogram(x, w, h),
        Plot::Scatter(s) => scatter::draw(s, w, h),
        Plot::Heatmap(x) => heatmap::draw(x, w, h),
        Plot::Ranges(r) => ranges::draw(r, w, h),
        Plot::Intervals(i) => intervals::draw(i, w, h),
        Plot::Waterfall(x) => waterfall::draw(x, w, h),
        Plot::Flow(f) => Ok(flow::draw(f, w, h)),
    }
}

/// Appends a `<text>` element.
fn text(s: &mut String, x: u32, y: u32, size: u32, weight: &str, fill: &str, t: &str) {
    let _ = writeln!(
        s,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{fill}\">{}</text>",
        escape(t)
    );
}

/// Text made safe for XML text content (not for attribute values).
pub(crate) fn escape(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            // Shown, not acted on: a bidirectional override would reverse
            // the figures after it.
            c if crate::diagnostic::is_invisible(c) => s.extend(c.escape_unicode()),
            c => s.push(c),
        }
    }
    s
}
