//! The flow diagram (Sankey style), written by hand: no maintained crate
//! draws one. Nodes stand in columns, each as tall as the most that flows
//! into or out of it; bands join them, as thick as the amount they carry,
//! stacked at each node in the order given, with the amount printed on
//! the band where it fits (every node's label carries its amount too).
//! Demand that was not met is drawn as a dashed outline: it is not money
//! that moved.

use std::fmt::Write as _;

use super::{escape, font};
use crate::render::chart::{Flow, Node};

const NODE_W: f64 = 12.0;
const GAP: f64 = 18.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;
const SIDE: f64 = 20.0;
/// Room left of the first column for its labels.
const FIRST_LABELS: f64 = 170.0;
/// Room right of the last column for its labels.
const LAST_LABELS: f64 = 240.0;
/// Characters of a node's name on one line before it wraps.
const WRAP: usize = 18;
/// Text size of labels and amounts, in pixels.
const PX: f64 = 14.0;
/// Height of one line of a label.
const LINE: f64 = 17.0;

pub(super) fn height(f: &Flow) -> u32 {
    // Room for every label of the fullest column, and as much again for bands.
    let most = (0..columns(f))
        .map(|c| {
            in_column(f, c)
                .map(|i| label_height(&f.nodes[i].label) + GAP)
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    ((most * 1.6 + TOP + BOTTOM) as u32).max(520)
}

/// The height a node's label needs.
fn label_height(label: &str) -> f64 {
    LINE * label_lines(label).len() as f64 + 2.0
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
    let values: Vec<f64> = (0..f.nodes.len()).map(|i| throughput(f, i)).collect();
    let scale = scale(f, &values, hf - TOP - BOTTOM);
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
    let mut places = place(f, &values, scale, wf);
    // Bands first, so nodes and labels lie on top of them.
    let amounts = bands(&mut s, f, &mut places, scale);
    nodes(&mut s, f, &places);
    amounts_on_bands(&mut s, f, &places, amounts);
    note(&mut s, f, hf);
    s.push_str("</svg>\n");
    s
}

/// How many columns the nodes stand in.
fn columns(f: &Flow) -> usize {
    f.nodes.iter().map(|n| n.column).max().unwrap_or(0) + 1
}

/// The nodes of column `c`, by index, top to bottom.
fn in_column(f: &Flow, c: usize) -> impl Iterator<Item = usize> + '_ {
    (0..f.nodes.len()).filter(move |&i| f.nodes[i].column == c)
}

/// What node `i` carries: the more of what flows into it and out of it.
fn throughput(f: &Flow, i: usize) -> f64 {
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
}

/// Pixels per dollar. Each node's slot is as tall as its share of the
/// column or its label, whichever is more: shrink the scale until every
/// column fits in `usable` pixels.
fn scale(f: &Flow, values: &[f64], usable: f64) -> f64 {
    let mut scale = f64::INFINITY;
    for c in 0..columns(f) {
        let in_col: Vec<usize> = in_column(f, c).collect();
        let sum: f64 = in_col.iter().map(|&i| values[i]).sum();
        let room = usable - GAP * in_col.len().saturating_sub(1) as f64;
        if sum > 0.0 {
            scale = scale.min(room / sum);
        }
    }
    for _ in 0..20 {
        let mut next = scale;
        for c in 0..columns(f) {
            let in_col: Vec<usize> = in_column(f, c).collect();
            let gaps = GAP * in_col.len().saturating_sub(1) as f64;
            let fixed: f64 = in_col
                .iter()
                .map(|&i| label_height(&f.nodes[i].label))
                .zip(in_col.iter().map(|&i| values[i] * scale))
                .filter(|(l, h)| l > h)
                .map(|(l, _)| l)
                .sum();
            let flexible: f64 = in_col
                .iter()
                .filter(|&&i| values[i] * scale >= label_height(&f.nodes[i].label))
                .map(|&i| values[i])
                .sum();
            if flexible > 0.0 {
                next = next.min(((usable - gaps - fixed) / flexible).max(0.0));
            }
        }
        if next >= scale {
            break;
        }
        scale = next;
    }
    scale
}

/// Where each node stands on a diagram `wf` pixels wide: its column's
/// place across, stacked down its column in the order given.
fn place(f: &Flow, values: &[f64], scale: f64, wf: f64) -> Vec<Place> {
    let columns = columns(f);
    let step = if columns > 1 {
        (wf - 2.0 * SIDE - FIRST_LABELS - LAST_LABELS - NODE_W) / (columns - 1) as f64
    } else {
        0.0
    };
    let mut places = vec![Place::default(); f.nodes.len()];
    for c in 0..columns {
        let mut y = TOP;
        for i in in_column(f, c) {
            let h = (values[i] * scale).max(2.0);
            let slot = h.max(label_height(&f.nodes[i].label));
            places[i] = Place {
                x: SIDE + FIRST_LABELS + step * c as f64,
                y: y + (slot - h) / 2.0,
                h,
                ..Place::default()
            };
            y += slot + GAP;
        }
    }
    places
}

/// A band's amount and where it would be printed: its middle and thickness.
struct Amount {
    x: f64,
    y: f64,
    thickness: f64,
    label: String,
}

/// Draws the bands, stacking them at each node; their amounts, to print.
fn bands(s: &mut String, f: &Flow, places: &mut [Place], scale: f64) -> Vec<Amount> {
    let mut amounts = Vec::new();
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
            let _ = writeln!(
                s,
                "<path d=\"{path}\" fill=\"#9dbde3\" fill-opacity=\"0.75\" stroke=\"none\"/>"
            );
        }
        amounts.push(Amount {
            x: mx,
            y: (y0 + y1) / 2.0 + t / 2.0,
            thickness: t,
            label: l.label.clone(),
        });
    }
    amounts
}

/// Whether node `n`'s label stands left of it: the first column's do,
/// when there are others.
fn label_left(n: &Node, columns: usize) -> bool {
    n.column == 0 && columns > 1
}

/// Draws the nodes and their labels.
fn nodes(s: &mut String, f: &Flow, places: &[Place]) {
    let columns = columns(f);
    for (n, p) in f.nodes.iter().zip(places) {
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{NODE_W}\" height=\"{:.1}\" fill=\"#222222\"/>",
            p.x, p.y, p.h
        );
        let (x, anchor) = if label_left(n, columns) {
            (p.x - 5.0, "end")
        } else {
            (p.x + NODE_W + 5.0, "start")
        };
        let lines = label_lines(&n.label);
        let y = p.y + p.h / 2.0 - LINE / 2.0 * (lines.len() as f64 - 1.0) + 5.0;
        for (k, (line, bold)) in lines.iter().enumerate() {
            let weight = if *bold { "bold" } else { "normal" };
            let _ = writeln!(
                s,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-size=\"{PX}\" font-weight=\"{weight}\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                y + LINE * k as f64,
                escape(line)
            );
        }
    }
}

/// The box a node and its label take: left, top, right, bottom.
fn label_box(n: &Node, p: &Place, columns: usize) -> (f64, f64, f64, f64) {
    let lines = label_lines(&n.label);
    let width = lines
        .iter()
        .map(|(l, bold)| font::width(l, PX, *bold))
        .fold(0.0, f64::max);
    let half = LINE / 2.0 * lines.len() as f64 + 4.0;
    let (a, z) = if label_left(n, columns) {
        (p.x - 8.0 - width, p.x + NODE_W)
    } else {
        (p.x, p.x + NODE_W + 8.0 + width)
    };
    (a, p.y + p.h / 2.0 - half, z, p.y + p.h / 2.0 + half)
}

/// Prints the amounts on the bands thick enough to hold them and clear of
/// the labels already placed.
fn amounts_on_bands(s: &mut String, f: &Flow, places: &[Place], amounts: Vec<Amount>) {
    let columns = columns(f);
    let mut taken: Vec<(f64, f64, f64, f64)> = places
        .iter()
        .zip(&f.nodes)
        .map(|(p, n)| label_box(n, p, columns))
        .collect();
    for Amount {
        x: cx,
        y: cy,
        thickness: t,
        label,
    } in amounts
    {
        let width = font::width(&label, PX, false);
        let bx = (cx - width / 2.0, cy - 9.0, cx + width / 2.0, cy + 9.0);
        let clear = taken
            .iter()
            .all(|o| bx.2 < o.0 || bx.0 > o.2 || bx.3 < o.1 || bx.1 > o.3);
        if t >= 11.0 && clear {
            taken.push(bx);
            let _ = writeln!(
                s,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{PX}\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                cy + 5.0,
                escape(&label)
            );
        }
    }
}

/// A node's label as lines, the name (first line) wrapped at [`WRAP`]
/// characters and in bold, the rest as given.
fn label_lines(label: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut parts = label.lines();
    if let Some(name) = parts.next() {
        let mut line = String::new();
        for word in name.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WRAP {
                out.push((std::mem::take(&mut line), true));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push((line, true));
    }
    out.extend(parts.map(|p| (p.to_string(), false)));
    out
}

fn note(s: &mut String, f: &Flow, h: f64) {
    if !f.note.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{SIDE}\" y=\"{:.1}\" font-size=\"{PX}\" fill=\"#333333\">{}</text>",
            h - 12.0,
            escape(&f.note)
        );
    }
}
