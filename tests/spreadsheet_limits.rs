//! A `.xlsx` is compressed: a small file can unpack to gigabytes, or name a cell a million
//! rows down. Reading one stays within bounds and ends with a clear error, not with the
//! machine's memory.

use std::path::Path;

use affcast::exports::MAX_UNPACKED;

use crate::common::{self, affcast, sheet_row};

/// `affcast fit --source generic FILE`: exit code and stderr.
fn fit(file: &Path) -> (Option<i32>, String) {
    let out = affcast()
        .args(["fit", "--source", "generic"])
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const HEADER: [&str; 4] = ["order_id", "paid_time", "status", "commission"];

#[test]
fn a_workbook_that_unpacks_past_the_bound_is_refused_unread() {
    // One row of orders repeated until the sheet unpacks to 1.5 × the bound; deflated, the
    // file is a few hundred kilobytes.
    let book = common::workbook(
        |sheet| {
            sheet_row(sheet, 1, &HEADER);
            // Rows may leave out their number: the same bytes over and over pack well.
            let row = br#"<row><c t="inlineStr"><is><t>1</t></is></c><c t="inlineStr"><is><t>2026-03-01 10:00:00</t></is></c><c t="inlineStr"><is><t>confirmed</t></is></c><c t="inlineStr"><is><t>0.70</t></is></c></row>"#;
            let block = row.repeat(1024);
            let mut written = 0u64;
            while written < MAX_UNPACKED * 3 / 2 {
                sheet.write_all(&block).unwrap();
                written += block.len() as u64;
            }
        },
        true,
    );
    assert!(
        book.len() < (8 << 20),
        "the bomb is small: {} bytes",
        book.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bomb.xlsx");
    std::fs::write(&file, &book).unwrap();
    let (code, stderr) = fit(&file);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("bomb.xlsx: the workbook unpacks to more than 128 MiB"),
        "{stderr}"
    );
}

#[test]
fn a_cell_far_down_the_sheet_is_not_a_sheet_that_large() {
    // Two orders, and a note in the last cell a sheet can have (XFD1048576): read cell by
    // cell, the sheet is 11 cells, not 16384 columns × 1048576 rows.
    let book = common::workbook(
        |sheet| {
            sheet_row(sheet, 1, &HEADER);
            sheet_row(sheet, 2, &["1", "2026-03-01 10:00:00", "confirmed", "0.70"]);
            sheet_row(sheet, 3, &["2", "2026-03-02 10:00:00", "pending", "0.90"]);
            sheet
                .write_all(br#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>note</t></is></c></row>"#)
                .unwrap();
        },
        true,
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("far.xlsx");
    std::fs::write(&file, &book).unwrap();
    let (code, stderr) = fit(&file);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("2 generic records"), "{stderr}");
}
