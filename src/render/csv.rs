//! The CSV renderer (`--format csv`): a report's tidy table, one record
//! per row, values exactly as computed (no separators, no rounding).

use std::io::{self, Write};

use super::document::Table;

pub(super) fn write(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(&table.header)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| c.raw()))?;
    }
    w.flush()
}
