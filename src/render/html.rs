//! The HTML renderer (`--format html`): a document as one self-contained
//! page. Charts are inline SVG, the style sheet is inline, and nothing is
//! fetched (no script, no web font, no link to anywhere), so the file
//! opens offline and prints on A4 (charts scale to the page width and do
//! not break across pages).

use std::io::{self, Write};

use super::document::{Block, Cell, Document, Table};
use super::svg::{escape, svg};

const STYLE: &str = "
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: sans-serif; color: #111; margin: 24px auto; max-width: 1000px; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.1em; }
h2 { font-size: 1.25em; margin: 1.4em 0 0.4em; border-bottom: 1px solid #bbb; padding-bottom: 0.15em; break-after: avoid; }
h3 { font-size: 1.05em; margin: 1em 0 0.3em; break-after: avoid; }
p { margin: 0.3em 0; }
ul { margin: 0.3em 0 0.3em 1.2em; padding: 0; }
li { margin: 0.25em 0; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em; font-size: 0.86em; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #eee; border-bottom: 1px solid #999; }
td.word { white-space: nowrap; }
td.sub { padding-left: 1.6em; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
figure { margin: 0.6em 0 1em; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 0.85em; }
.note { color: #444; font-size: 0.9em; }
@media print { body { margin: 0; max-width: none; padding: 0; font-size: 10pt; } h2 { break-before: auto; } p + figure { break-before: avoid; } }
@media screen and (max-width: 640px) { table { display: block; overflow-x: auto; } figure { overflow-x: auto; } figure svg { min-width: 640px; } }
";

pub(super) fn write(doc: &Document, out: &mut dyn Write) -> io::Result<()> {
    let title = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Title { model, .. } => Some(model.clone()),
            Block::Heading { text, .. } => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "dinarflow".into());
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    ));
    for block in &doc.blocks {
        match block {
            Block::Title { model, subject, .. } => {
                let t = match subject {
                    Some(sub) => format!("{sub}: {model}"),
                    None => model.clone(),
                };
                s.push_str(&format!("<h1>{}</h1>\n", escape(&t)));
            }
            Block::Heading { level, text } => {
                let l = (*level).clamp(1, 3);
                s.push_str(&format!("<h{l}>{}</h{l}>\n", escape(text)));
            }
            Block::Line(t) | Block::Indented { text: t, .. } => {
                s.push_str(&format!("<p>{}</p>\n", escape(t)));
            }
            Block::Blank | Block::Spacer => {}
            Block::Bullets(items) => {
                s.push_str("<ul>\n");
                for i in items {
                    s.push_str(&format!("<li>{}</li>\n", escape(i)));
                }
                s.push_str("</ul>\n");
            }
            Block::Table(t) => table(&mut s, t),
            Block::Preformatted(lines) => {
                s.push_str("<pre>");
                for l in lines {
                    s.push_str(&escape(l));
                    s.push('\n');
                }
                s.push_str("</pre>\n");
            }
            Block::Ranges(_) => {}
            Block::Chart(c) => {
                s.push_str("<figure>\n");
                // Inline SVG needs no namespace: leave out the one URL.
                s.push_str(&svg(c)?.replace(" xmlns=\"http://www.w3.org/2000/svg\"", ""));
                s.push_str("</figure>\n");
            }
        }
    }
    s.push_str("</body>\n</html>\n");
    out.write_all(s.as_bytes())
}

/// A table; its exact column (if any) left out, each rounded figure's
/// exact value its cell's tooltip instead.
fn table(s: &mut String, t: &Table) {
    let class = |c: usize| if t.right_aligned(c) { " class=\"num\"" } else { "" };
    let shown = |c: &usize| t.exact != Some(*c);
    s.push_str("<table>\n<thead><tr>");
    for (c, h) in t.header.iter().enumerate().filter(|(c, _)| shown(c)) {
        s.push_str(&format!("<th{}>{}</th>", class(c), escape(h)));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for (c, cell) in row.iter().enumerate().filter(|(c, _)| shown(c)) {
            let shown = cell.shown("\n");
            // A label indented under the row above ("  of which banknotes")
            // is indented on the page too; HTML would drop the spaces.
            let indented = !t.right_aligned(c) && shown.starts_with("  ");
            let text = shown
                .trim_start()
                .lines()
                .map(escape)
                .collect::<Vec<_>>()
                .join("<br>");
            let title = match cell {
                Cell::Rounded(r) => format!(
                    " title=\"exact: {}\"",
                    escape(&r.exact_text()).replace('"', "&quot;")
                ),
                _ => String::new(),
            };
            // A short word (a month, "2022-12") is not broken at its hyphen.
            let word = !t.right_aligned(c) && text.len() <= 10 && !text.contains([' ', '<']);
            let kind = match (word, indented) {
                (_, true) => " class=\"sub\"",
                (true, false) => " class=\"word\"",
                (false, false) => class(c),
            };
            s.push_str(&format!("<td{kind}{title}>{text}</td>"));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
}
