//! The Markdown renderer (`--format md`): a document as GitHub-flavoured
//! Markdown, with `#` headings, pipe tables and fenced preformatted text.
//! Text charts are left out: Markdown has no picture of its own.

use std::io::{self, Write};

use tabled::settings::Style;

use super::document::{Block, Document};
use super::table::{printable, tabled};

pub(super) fn write(doc: &Document, out: &mut dyn Write) -> io::Result<()> {
    for block in &doc.blocks {
        match block {
            Block::Title { model, subject, .. } => match subject {
                Some(s) => writeln!(out, "## {}: {}\n", printable(s), printable(model))?,
                None => writeln!(out, "## {}\n", printable(model))?,
            },
            Block::Heading { level, text } => {
                writeln!(out, "{} {}", "#".repeat(usize::from(*level)), printable(text))?
            }
            Block::Line(text) | Block::Indented { text, .. } => writeln!(out, "{}", printable(text))?,
            Block::Blank | Block::Spacer => writeln!(out)?,
            Block::Bullets(items) => {
                for item in items {
                    writeln!(out, "- {}", printable(item))?;
                }
            }
            Block::Table(t) => writeln!(out, "{}", tabled(t, "; ", cell).with(Style::markdown()))?,
            Block::Preformatted(lines) => {
                writeln!(out, "```text")?;
                for line in lines {
                    writeln!(out, "{}", printable(line))?;
                }
                writeln!(out, "```")?;
            }
            Block::Ranges(_) | Block::Chart(_) => {}
        }
    }
    Ok(())
}

/// A Markdown table cell: `|` escaped (it would end the cell), line
/// breaks (which would end the row) as spaces, control characters escaped.
fn cell(s: &str) -> String {
    printable(s).replace('|', "\\|").replace('\n', " ")
}
