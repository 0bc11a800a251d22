//! `.xlsx` workbooks (a zip of XML parts), read within bounds: a workbook is a compressed
//! file, and a small one can unpack to gigabytes (a "zip bomb"). Before the sheet is parsed,
//! every part is unpacked once through a counting reader that stops past [`MAX_UNPACKED`]
//! bytes in all, whatever sizes the zip declares; then the first sheet may hold at most
//! [`MAX_CELLS`] cells.

use std::io::Read;

use serde_json::Value;

use crate::error::{Error, Result};

/// Bytes all of a workbook's parts may unpack to: twice the largest export the local page
/// takes (64 MiB), as a sheet's XML is about twice its CSV.
pub const MAX_UNPACKED: u64 = 128 << 20;

/// Cells of the first sheet read at most (rows × columns): over a million orders of a
/// dozen columns.
pub const MAX_CELLS: usize = 16_000_000;

/// Unpacks every part of a workbook into nothing, counting: an error past [`MAX_UNPACKED`].
fn check_unpacked(bytes: &[u8], origin: &str) -> Result<()> {
    let bad = |e: String| Error::input(format!("{origin}: not a readable .xlsx workbook: {e}"));
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let too_big = || {
        Error::input(format!(
            "{origin}: the workbook unpacks to more than {} MiB (a .xlsx is compressed; this one is {:.1} MiB packed): save the sheet as CSV, or split it",
            MAX_UNPACKED >> 20,
            bytes.len() as f64 / f64::from(1u32 << 20)
        ))
    };
    let mut total: u64 = 0;
    let mut sink = [0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        if part.size() > MAX_UNPACKED - total {
            return Err(too_big());
        }
        loop {
            let n = part.read(&mut sink).map_err(|e| bad(e.to_string()))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > MAX_UNPACKED {
                return Err(too_big());
            }
        }
    }
    Ok(())
}

/// The first sheet of a workbook as records: the first row names the columns. Dates are
/// written as "YYYY-MM-DD HH:MM:SS", numbers as they read.
pub fn xlsx_records(bytes: &[u8], origin: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    each_row(bytes, origin, |_, r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// Calls `f(index, record)` on each record of the first sheet, read cell by cell (never the
/// whole sheet at once): the first row with cells names the columns, a one-cell title row
/// before it is skipped, and rows without cells are no records.
pub(super) fn each_row(
    bytes: &[u8],
    origin: &str,
    mut f: impl FnMut(usize, Value) -> Result<()>,
) -> Result<()> {
    use calamine::{Data, Reader, Xlsx};
    check_unpacked(bytes, origin)?;
    let bad = |e: String| Error::input(format!("{origin}: not a readable .xlsx workbook: {e}"));
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| bad(e.to_string()))?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| bad("it has no sheet".into()))?;
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|e| bad(e.to_string()))?;
    let mut sheet = Sheet::default();
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| bad(e.to_string()))? {
        count += 1;
        if count > MAX_CELLS {
            return Err(Error::input(format!(
                "{origin}: the first sheet has more than {MAX_CELLS} cells, more than an export may have: save the orders alone as CSV"
            )));
        }
        let (row, column) = cell.get_position();
        let Some(value) = text_of(&Data::from(cell.get_value().clone())) else {
            continue;
        };
        if sheet.row != Some(row) {
            sheet.finish_row(&mut f)?;
            sheet.row = Some(row);
        }
        sheet.cells.push((column, value));
    }
    sheet.finish_row(&mut f)
}

/// A cell's text; `None` for an empty one.
fn text_of(c: &calamine::Data) -> Option<String> {
    use calamine::{Data, DataType};
    match c {
        Data::Empty => None,
        Data::String(s) if s.trim().is_empty() => None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::DateTime(_) => c
            .as_datetime()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(f.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::Error(e) => Some(format!("#{e:?}")),
    }
}

/// A sheet being read row by row.
#[derive(Default)]
struct Sheet {
    /// The row being read, and its cells (column, text).
    row: Option<u32>,
    cells: Vec<(u32, String)>,
    /// A one-cell row before any header: a title, unless the next row has one cell too.
    title: Option<Vec<(u32, String)>>,
    /// Column → name.
    header: Option<std::collections::BTreeMap<u32, String>>,
    records: usize,
}

impl Sheet {
    fn finish_row(&mut self, f: &mut impl FnMut(usize, Value) -> Result<()>) -> Result<()> {
        let cells = std::mem::take(&mut self.cells);
        if cells.is_empty() {
            return Ok(());
        }
        let names = |cells: Vec<(u32, String)>| {
            cells
                .into_iter()
                .map(|(c, name)| (c, name.trim().to_string()))
                .collect()
        };
        if self.header.is_some() {
            return self.finish_record(cells, f);
        }
        match self.title.take() {
            None if cells.len() == 1 => self.title = Some(cells),
            None => self.header = Some(names(cells)),
            Some(_) if cells.len() > 1 => self.header = Some(names(cells)),
            Some(title) => {
                self.header = Some(names(title));
                return self.finish_record(cells, f);
            }
        }
        Ok(())
    }

    fn finish_record(
        &mut self,
        cells: Vec<(u32, String)>,
        f: &mut impl FnMut(usize, Value) -> Result<()>,
    ) -> Result<()> {
        let Some(header) = &self.header else {
            return Ok(());
        };
        let record: serde_json::Map<String, Value> = cells
            .into_iter()
            .filter_map(|(c, v)| header.get(&c).map(|h| (h.clone(), Value::String(v))))
            .collect();
        // Cells only under no named column (a note beside the table) are no record.
        if record.is_empty() {
            return Ok(());
        }
        f(self.records, Value::Object(record))?;
        self.records += 1;
        Ok(())
    }
}
