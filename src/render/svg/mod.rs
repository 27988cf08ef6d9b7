//! The chart renderer (`--format svg`, and the drawing `--format png`
//! rasterises): a [`Chart`] as one standalone SVG file. The frame (title,
//! subtitle, panel headings, footer) is written here; each panel is drawn
//! by the file for its kind, with plotters' SVG backend, except the flow
//! diagram, which no crate draws and `flow.rs` writes by hand. Every panel
//! is an `<svg>` element nested in the frame at its place. No clock, no
//! random ids: the same chart gives the same bytes.
//!
//! Sizes: a chart is laid out at most 1280 pixels wide, with no text under
//! 14 pixels there; a wider `--size` draws the same layout scaled up (the
//! `viewBox` stays 1280 wide), a narrower one is laid out at its own width
//! (text keeps its size), but for the flow diagram, laid out at least 1,200
//! wide and shrunk into the picture. Without `--size`, a chart is 1280 wide
//! and as tall as its panels need; with it, the panels share the height
//! asked for in proportion to what each needs, each down to a least
//! height (below which its data has no room); panels that do not fit then
//! lay out taller and the picture shrinks the layout, text and all.
//!
//! A new kind of plot is a variant of `chart::Plot`, a file here with its
//! `draw(&Plot, width, height) -> io::Result<String>` and `height`, and its
//! two arms below.

mod fan;
mod flow;
pub(crate) mod font;
mod heatmap;
mod held;
mod intervals;
mod lines;
mod observed;
mod own_ticks;
mod plot;
mod ranges;
mod scatter;
pub mod style;
mod tick_text;
mod waterfall;

use std::fmt::Write as _;
use std::io::{self, Write};

use super::chart::{Chart, Plot};
use super::Size;

/// The widest a chart is laid out, in pixels: wider pictures scale it up.
pub const WIDTH: u32 = 1280;
/// Left and right margin of the frame.
const SIDE: f64 = 24.0;
/// Title, subtitle, heading and footer text sizes, in pixels.
const TITLE: f64 = 26.0;
const SUBTITLE: f64 = 17.0;
const HEADING_PX: f64 = 18.0;
const FOOTER: f64 = 14.0;
/// Room for a panel's heading above it.
const HEADING: u32 = 34;
/// The height of each further line of a panel's heading.
const HEADING_LINE: u32 = 22;
/// Room between panels.
const GAP: u32 = 16;
/// The least share of its own height a panel is squeezed to when
/// `--size` is small, in percent: below it a plot's legend, axes and notes
/// leave its data no room (a fan 90 pixels tall is a line). Panels that
/// do not fit the picture at that lay out taller, and the picture shrinks
/// the layout into itself, text and all.
const LEAST_PCT: u32 = 60;

pub(super) fn write(chart: &Chart, size: Option<Size>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(svg_sized(chart, size)?.as_bytes())
}

/// The chart as an `<svg>` element 1280 pixels wide and as tall as it
/// needs (no XML declaration, so the same text serves as a file and
/// inline in HTML).
pub fn svg(chart: &Chart) -> io::Result<String> {
    svg_sized(chart, None)
}

/// The chart as an `<svg>` element of `size` (see the module's comment),
/// or 1280 pixels wide and as tall as it needs.
pub fn svg_sized(chart: &Chart, size: Option<Size>) -> io::Result<String> {
    // The layout's width and, with a size, its height, in layout pixels.
    let (width, scale) = match size {
        Some(s) if s.width > WIDTH => (WIDTH, f64::from(s.width) / f64::from(WIDTH)),
        Some(s) => (s.width.max(least_width(chart)), 1.0),
        None => (WIDTH, 1.0),
    };
    let room = f64::from(width) - 2.0 * SIDE;
    let subtitle = wrap(&chart.subtitle, SUBTITLE, false, room);
    let footer = wrap(&chart.footer, FOOTER, false, room);
    let top = 84 + 22 * (subtitle.len().max(1) as u32 - 1);
    let foot = 40 + 18 * (footer.len().max(1) as u32 - 1);
    let tall = size.map(|s| (f64::from(s.height) / scale).round() as u32);
    // Side by side when stacked panels would not fit the picture and two
    // columns shrink it less (mc's fan and histogram of each metric on a
    // slide).
    let grid = |cols: u32| Grid::new(chart, width, cols, top + foot, tall);
    let stacked = grid(1);
    let layout = match tall {
        Some(tall) if chart.panels.len() > 1 && width >= 960 && stacked.total > tall => {
            let two = grid(2);
            if two.total < stacked.total {
                two
            } else {
                stacked
            }
        }
        _ => stacked,
    };
    let cell = width / layout.cols;
    let mut body = String::new();
    let mut y = top;
    for (r, row) in chart.panels.chunks(layout.cols as usize).enumerate() {
        let (h, heading_h) = (layout.heights[r], layout.heading_heights[r]);
        for (c, p) in row.iter().enumerate() {
            let x = cell * c as u32;
            let lines = &layout.headings[r * layout.cols as usize + c];
            for (i, line) in lines.iter().enumerate() {
                let at = f64::from(y) + 24.0 + f64::from(HEADING_LINE) * i as f64;
                text(&mut body, f64::from(x) + SIDE, at, HEADING_PX, true, "#111", line);
            }
            let inner = draw(&p.plot, cell, h)?;
            let at = format!("<svg x=\"{x}\" y=\"{}\" ", y + heading_h);
            body.push_str(&inner.replacen("<svg ", &at, 1));
            if !body.ends_with('\n') {
                body.push('\n');
            }
        }
        y += heading_h + h + GAP;
    }
    let total = y + foot;
    let (out_w, out_h) = match size {
        Some(s) => (s.width, s.height),
        None => (width, total),
    };
    let mut s = String::with_capacity(body.len() + 1024);
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{out_w}\" height=\"{out_h}\" viewBox=\"0 0 {width} {total}\" role=\"img\" font-family=\"{}\">",
        font::FAMILY
    );
    let _ = writeln!(
        s,
        "<title>{}</title>",
        escape(&format!("{}: {}", chart.title, chart.subtitle))
    );
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{total}\" fill=\"#ffffff\"/>"
    );
    heading(&mut s, &fit(&chart.title, TITLE, true, room), &subtitle);
    s.push_str(&body);
    footing(&mut s, &footer, f64::from(total - foot + 8), width);
    s.push_str("</svg>\n");
    Ok(s)
}

/// The panels in rows of `cols`: each row's height and the room for its
/// headings, and the layout's height in all.
struct Grid {
    cols: u32,
    /// Each panel's heading in lines that fit its column.
    headings: Vec<Vec<String>>,
    heights: Vec<u32>,
    heading_heights: Vec<u32>,
    total: u32,
}

impl Grid {
    /// `chart`'s panels in rows of `cols` across a layout `width` wide,
    /// with `frame` pixels of title and footer: each row as tall as its
    /// tallest panel needs, or with the layout's height `tall`, its share
    /// of what the frame and headings leave, in proportion to what it
    /// needs and down to its least ([`least`]).
    fn new(chart: &Chart, width: u32, cols: u32, frame: u32, tall: Option<u32>) -> Grid {
        let room = f64::from(width / cols) - 2.0 * SIDE;
        let rows: Vec<&[super::chart::Panel]> = chart.panels.chunks(cols as usize).collect();
        let headings: Vec<Vec<String>> = chart
            .panels
            .iter()
            .map(|p| panel_heading(&p.heading, room))
            .collect();
        let heading_heights: Vec<u32> = headings
            .chunks(cols as usize)
            .map(|row| {
                let lines = row.iter().map(Vec::len).max();
                HEADING + HEADING_LINE * (lines.unwrap_or(1).max(1) as u32 - 1)
            })
            .collect();
        let frame = frame + heading_heights.iter().map(|h| h + GAP).sum::<u32>();
        let most = |f: &dyn Fn(&Plot) -> u32| -> Vec<u32> {
            rows.iter()
                .map(|row| row.iter().map(|p| f(&p.plot)).max().unwrap_or(0))
                .collect()
        };
        let cell = width / cols;
        let natural = most(&|p| height(p, cell));
        let least = most(&|p| least(p, height(p, cell)));
        let heights = match tall {
            None => natural,
            Some(tall) => {
                let avail = f64::from(tall.saturating_sub(frame));
                let sum = natural.iter().map(|h| f64::from(*h)).sum::<f64>().max(1.0);
                let mut hs: Vec<u32> = natural
                    .iter()
                    .zip(&least)
                    .map(|(h, l)| ((avail * f64::from(*h) / sum).floor() as u32).max(*l))
                    .collect();
                // Rounding down leaves a few pixels: give them to the last row.
                let used: u32 = hs.iter().sum::<u32>() + frame;
                if let Some(last) = hs.last_mut() {
                    *last += tall.saturating_sub(used);
                }
                hs
            }
        };
        let total = frame + heights.iter().sum::<u32>();
        Grid {
            cols,
            headings,
            heights,
            heading_heights,
            total,
        }
    }
}

/// The chart's title and the lines of its subtitle.
fn heading(s: &mut String, title: &str, subtitle: &[String]) {
    text(s, SIDE, 38.0, TITLE, true, "#111", title);
    for (i, line) in subtitle.iter().enumerate() {
        text(s, SIDE, 66.0 + 22.0 * i as f64, SUBTITLE, false, "#333", line);
    }
}

/// A rule at `rule` across a layout `width` wide, and the footer's lines under it.
fn footing(s: &mut String, footer: &[String], rule: f64, width: u32) {
    let _ = writeln!(
        s,
        "<line x1=\"{SIDE}\" y1=\"{rule}\" x2=\"{}\" y2=\"{rule}\" stroke=\"#cccccc\"/>",
        f64::from(width) - SIDE
    );
    for (i, line) in footer.iter().enumerate() {
        text(
            s,
            SIDE,
            rule + 22.0 + 18.0 * i as f64,
            FOOTER,
            false,
            "#444",
            line,
        );
    }
}

/// A panel's heading in lines `room` pixels wide: broken between words
/// into two lines when it does not fit on one (a tornado's "What moves …
/// most: each parameter at its low and high value, the others at base"),
/// the second cut with an ellipsis if even two do not hold it.
fn panel_heading(t: &str, room: f64) -> Vec<String> {
    let mut lines = wrap(t, HEADING_PX, true, room);
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(fit(&rest, HEADING_PX, true, room));
    }
    lines
}

/// `t` cut to `room` pixels at `px`, with an ellipsis when cut.
fn fit(t: &str, px: f64, bold: bool, room: f64) -> String {
    if font::width(t, px, bold) <= room {
        return t.to_string();
    }
    let mut s = String::new();
    for c in t.chars() {
        if font::width(&format!("{s}{c}…"), px, bold) > room {
            break;
        }
        s.push(c);
    }
    s.push('…');
    s
}

/// `t` in lines of at most `room` pixels at `px`, broken between words.
fn wrap(t: &str, px: f64, bold: bool, room: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in t.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && font::width(&format!("{last} {word}"), px, bold) > room {
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

/// The least height `p` is squeezed to, of the `natural` height it needs:
/// [`LEAST_PCT`] of it, and 70% for the flow diagram, whose nodes' labels
/// run into each other and into the note under it when its columns
/// shorten further (a slide's 1280x720 leaves it 546 pixels, about 70%).
fn least(p: &Plot, natural: u32) -> u32 {
    match p {
        Plot::Flow(_) => natural * 70 / 100,
        _ => natural * LEAST_PCT / 100,
    }
}

/// The least width a chart is laid out at: a narrower picture shrinks it.
/// The flow diagram's five columns of labels need 1,200 pixels; other
/// plots lay out at any width `--size` allows.
fn least_width(chart: &Chart) -> u32 {
    if chart.panels.iter().any(|p| matches!(p.plot, Plot::Flow(_))) {
        1_200
    } else {
        0
    }
}

/// The height a plot `w` pixels wide needs, in pixels.
fn height(p: &Plot, w: u32) -> u32 {
    match p {
        Plot::Lines(_) | Plot::Fan(_) => 380,
        Plot::Histogram(x) => fan::histogram_height(x, w),
        Plot::Scatter(s) => scatter::height(s),
        Plot::Heatmap(h) => heatmap::height(h),
        Plot::Ranges(r) => ranges::height(r),
        Plot::Intervals(i) => intervals::height(i),
        Plot::Waterfall(w) => waterfall::height(w),
        Plot::Flow(f) => flow::height(f),
        Plot::Observed(_) => 380,
        Plot::Residuals(_) => 240,
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
        Plot::Observed(o) => observed::draw(o, w, h),
        Plot::Residuals(r) => observed::residuals(r, w, h),
    }
}

/// Appends a `<text>` element.
fn text(s: &mut String, x: f64, y: f64, size: f64, bold: bool, fill: &str, t: &str) {
    let weight = if bold { "bold" } else { "normal" };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::chart::{Axis, Lines, Panel, Series};

    fn chart(panels: usize) -> Chart {
        let lines = Lines {
            x: Axis::months("", &["2023-01".to_string(), "2023-02".to_string()]),
            y: Axis::new("Parallel rate, IQD per $", 2),
            series: vec![Series {
                name: "Parallel rate".into(),
                points: vec![(0.0, 1600.0), (1.0, 1650.5)],
            }],
        };
        Chart {
            title: "A model".into(),
            subtitle: "What it shows".into(),
            footer: "Model file: x.toml".into(),
            panels: (0..panels)
                .map(|i| Panel {
                    heading: format!("Panel {i}"),
                    plot: Plot::Lines(lines.clone()),
                })
                .collect(),
        }
    }

    fn root(svg: &str) -> (String, String, String) {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let r = doc.root_element();
        let a = |k: &str| r.attribute(k).unwrap().to_string();
        (a("width"), a("height"), a("viewBox"))
    }

    #[test]
    fn a_size_is_the_picture_a_wide_one_the_1280_layout_scaled() {
        let c = chart(3);
        let size = |width, height| Size { width, height };
        // Three line panels need 380 px each and are squeezed to no less
        // than 60% of it, 228. At 640×480 they do not fit: the frame takes
        // 84 (title) + 40 (footer) + 3 × (34 + 16) = 274 px, leaving 206;
        // the layout is 274 + 3 × 228 = 958 tall and the picture keeps the
        // size asked for, the layout shrunk into it. Stacked on a slide
        // (720, 446 px for panels) they would shrink too, but a slide is
        // wide enough for two columns: two rows take 84 + 40 + 2 × (34 +
        // 16) = 224 px of frame, leaving 496, 248 a row, so the layout is
        // the picture. At 1280×960 they fit stacked (686 px, 228 each, and
        // the 2 px left over to the last): the layout is the picture.
        let cases = [
            (Size::SLIDE, ["1280", "720", "0 0 1280 720"]),
            (size(1920, 1080), ["1920", "1080", "0 0 1280 720"]),
            (size(640, 480), ["640", "480", "0 0 640 958"]),
            (size(1280, 960), ["1280", "960", "0 0 1280 960"]),
            (size(1280, 1440), ["1280", "1440", "0 0 1280 1440"]),
        ];
        for (s, want) in cases {
            let svg = svg_sized(&c, Some(s)).unwrap();
            let (w, h, v) = root(&svg);
            assert_eq!([w.as_str(), h.as_str(), v.as_str()], want, "{s:?}");
            // The second panel beside the first, or under it.
            let beside = svg.contains("<svg x=\"640\" y=\"118\" ");
            assert_eq!(beside, s.height * 1280 / s.width == 720, "{s:?}");
        }
        // Without a size: 1280 wide, as tall as the panels need.
        let (w, h, _) = root(&svg(&c).unwrap());
        assert_eq!(w, "1280");
        assert!(h.parse::<u32>().unwrap() > 1000);
    }

    #[test]
    fn sizes_parse_and_are_bounded() {
        assert_eq!("1280x720".parse::<Size>(), Ok(Size::SLIDE));
        assert_eq!("1280X720".parse::<Size>(), Ok(Size::SLIDE));
        assert!("1280".parse::<Size>().unwrap_err().contains("not a size"));
        assert!("100x100".parse::<Size>().unwrap_err().contains("320 to 8000"));
        assert!("9000x720".parse::<Size>().is_err());
    }

    #[test]
    fn long_titles_are_cut_and_subtitles_wrapped_by_their_width() {
        let long = "word ".repeat(80);
        assert!(fit(&long, TITLE, true, 600.0).ends_with('…'));
        assert!(font::width(&fit(&long, TITLE, true, 600.0), TITLE, true) <= 600.0);
        let lines = wrap(&long, SUBTITLE, false, 600.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| font::width(l, SUBTITLE, false) <= 600.0));
    }
}
