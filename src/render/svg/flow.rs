//! The flow diagram (Sankey style), written by hand: no maintained crate
//! draws one. Nodes stand in columns, each as tall as the most that flows
//! into or out of it; bands join them, as thick as the amount they carry,
//! stacked at each node in the order given, with the amount printed on
//! the band where it fits (every node's label carries its amount too).
//! Demand that was not met is drawn as a dashed outline: it is not money
//! that moved.

use std::fmt::Write as _;

use super::escape;
use crate::render::chart::Flow;

const NODE_W: f64 = 12.0;
const GAP: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
const SIDE: f64 = 20.0;
/// Room right of the last column for its labels.
const LAST_LABELS: f64 = 190.0;

pub(super) fn height(f: &Flow) -> u32 {
    let columns = f.nodes.iter().map(|n| n.column).max().unwrap_or(0) + 1;
    let most = (0..columns)
        .map(|c| f.nodes.iter().filter(|n| n.column == c).count())
        .max()
        .unwrap_or(1);
    (most as u32 * 44 + 120).max(440)
}

/// Where a node is drawn.
#[derive(Debug, Clone, Copy, Default)]
struct Place {
    x: f64,
    y: f64,
    h: f64,
    /// Next free offset on the left (in) and right (out) side.
    used_in: f64,
    used_out: f64,
}

pub(super) fn draw(f: &Flow, w: u32, h: u32) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let (wf, hf) = (f64::from(w), f64::from(h));
    let value = |i: usize| {
        let (mut inn, mut out) = (0.0, 0.0);
        for l in &f.links {
            if l.to == i {
                inn += l.value.max(0.0);
            }
            if l.from == i {
                out += l.value.max(0.0);
            }
        }
        f64::max(inn, out)
    };
    let values: Vec<f64> = (0..f.nodes.len()).map(value).collect();
    let columns = f.nodes.iter().map(|n| n.column).max().unwrap_or(0) + 1;
    let usable = hf - TOP - BOTTOM;
    let mut scale = f64::INFINITY;
    for c in 0..columns {
        let in_col: Vec<usize> = (0..f.nodes.len()).filter(|&i| f.nodes[i].column == c).collect();
        let sum: f64 = in_col.iter().map(|&i| values[i]).sum();
        let room = usable - GAP * in_col.len().saturating_sub(1) as f64;
        if sum > 0.0 {
            scale = scale.min(room / sum);
        }
    }
    if !scale.is_finite() || values.iter().all(|v| *v <= 0.0) {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" fill=\"#333\">No dollars moved in this period.</text>",
            wf / 2.0,
            hf / 2.0
        );
        note(&mut s, f, hf);
        s.push_str("</svg>\n");
        return s;
    }
    let step = if columns > 1 {
        (wf - 2.0 * SIDE - LAST_LABELS - NODE_W) / (columns - 1) as f64
    } else {
        0.0
    };
    let mut places = vec![Place::default(); f.nodes.len()];
    for c in 0..columns {
        let mut y = TOP;
        for i in (0..f.nodes.len()).filter(|&i| f.nodes[i].column == c) {
            let h = (values[i] * scale).max(2.0);
            places[i] = Place {
                x: SIDE + step * c as f64,
                y,
                h,
                ..Place::default()
            };
            y += h + GAP;
        }
    }
    // Bands first, so nodes and labels lie on top of them.
    let mut labels: Vec<(f64, f64, f64, String)> = Vec::new();
    for l in &f.links {
        let t = (l.value.max(0.0) * scale).max(1.0);
        let (a, b) = (places[l.from], places[l.to]);
        let (x0, x1) = (a.x + NODE_W, b.x);
        let (y0, y1) = (a.y + a.used_out, b.y + b.used_in);
        places[l.from].used_out += t;
        places[l.to].used_in += t;
        let mx = (x0 + x1) / 2.0;
        let path = format!(
            "M{x0:.1},{y0:.1} C{mx:.1},{y0:.1} {mx:.1},{y1:.1} {x1:.1},{y1:.1} L{x1:.1},{:.1} C{mx:.1},{:.1} {mx:.1},{:.1} {x0:.1},{:.1} Z",
            y1 + t,
            y1 + t,
            y0 + t,
            y0 + t
        );
        if l.unmet {
            let _ = writeln!(
                s,
                "<path d=\"{path}\" fill=\"#f4f4f4\" stroke=\"#333333\" stroke-width=\"1.2\" stroke-dasharray=\"5,3\"/>"
            );
        } else {
            let _ = writeln!(s, "<path d=\"{path}\" fill=\"#9dbde3\" fill-opacity=\"0.75\" stroke=\"none\"/>");
        }
        let (cx, cy) = (mx, (y0 + y1) / 2.0 + t / 2.0);
        labels.push((cx, cy, t, l.label.clone()));
    }
    for (i, n) in f.nodes.iter().enumerate() {
        let p = places[i];
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{NODE_W}\" height=\"{:.1}\" fill=\"#222222\"/>",
            p.x, p.y, p.h
        );
        let (x, anchor) = (p.x + NODE_W + 5.0, "start");
        let lines: Vec<&str> = n.label.lines().collect();
        let y = p.y + p.h / 2.0 - 7.0 * (lines.len() as f64 - 1.0) + 4.0;
        for (k, line) in lines.iter().enumerate() {
            let weight = if k == 0 { "bold" } else { "normal" };
            let _ = writeln!(
                s,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-size=\"12\" font-weight=\"{weight}\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                y + 14.0 * k as f64,
                escape(line)
            );
        }
    }
    // Amounts on the bands thick enough to hold them and clear of the
    // labels already placed.
    let mut taken: Vec<(f64, f64, f64, f64)> = places
        .iter()
        .zip(&f.nodes)
        .map(|(p, n)| {
            let width = n.label.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64 * 7.2;
            (p.x, p.y + p.h / 2.0 - 16.0, p.x + NODE_W + 8.0 + width, p.y + p.h / 2.0 + 16.0)
        })
        .collect();
    for (cx, cy, t, label) in labels {
        let width = label.chars().count() as f64 * 7.0;
        let bx = (cx - width / 2.0, cy - 8.0, cx + width / 2.0, cy + 8.0);
        let clear = taken
            .iter()
            .all(|o| bx.2 < o.0 || bx.0 > o.2 || bx.3 < o.1 || bx.1 > o.3);
        if t >= 9.0 && clear {
            taken.push(bx);
            let _ = writeln!(
                s,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11.5\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                cy + 4.0,
                escape(&label)
            );
        }
    }
    note(&mut s, f, hf);
    s.push_str("</svg>\n");
    s
}

fn note(s: &mut String, f: &Flow, h: f64) {
    if !f.note.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{SIDE}\" y=\"{:.1}\" font-size=\"12\" fill=\"#333333\">{}</text>",
            h - 12.0,
            escape(&f.note)
        );
    }
}
