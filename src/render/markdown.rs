//! The Markdown renderer (`--format md`): a document as GitHub-flavoured
//! Markdown, with `#` headings, pipe tables and fenced preformatted text.
//! Text charts are left out: Markdown has no picture of its own.

use std::io::{self, Write};

use tabled::settings::Style;

use super::document::{Block, Document};
use super::table::tabled;

pub(super) fn write(doc: &Document, out: &mut dyn Write) -> io::Result<()> {
    for block in &doc.blocks {
        match block {
            Block::Title { model, subject, .. } => match subject {
                Some(s) => writeln!(out, "## {s}: {model}\n")?,
                None => writeln!(out, "## {model}\n")?,
            },
            Block::Heading { level, text } => writeln!(out, "{} {text}", "#".repeat(usize::from(*level)))?,
            Block::Line(text) | Block::Indented { text, .. } => writeln!(out, "{text}")?,
            Block::Blank | Block::Spacer => writeln!(out)?,
            Block::Bullets(items) => {
                for item in items {
                    writeln!(out, "- {item}")?;
                }
            }
            // Markdown cells hold no line breaks.
            Block::Table(t) => writeln!(out, "{}", tabled(t, "; ").with(Style::markdown()))?,
            Block::Preformatted(lines) => {
                writeln!(out, "```text")?;
                for line in lines {
                    writeln!(out, "{line}")?;
                }
                writeln!(out, "```")?;
            }
            Block::Ranges(_) | Block::Chart(_) => {}
        }
    }
    Ok(())
}
