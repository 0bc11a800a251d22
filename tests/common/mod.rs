//! Helpers shared by the test modules.

#![allow(dead_code)]

pub(crate) mod exports;

use std::path::{Path, PathBuf};

use affcast::engine::Control;
use affcast::ledger::TrialLedger;
use affcast::model::Scenario;
use affcast::pipeline::Pipeline;
use assert_cmd::Command;

/// The `affcast` binary under test.
pub(crate) fn affcast() -> Command {
    Command::cargo_bin("affcast").expect("the binary is built")
}

/// Runs a prepared command of the binary, fails the test with its stderr unless it succeeds,
/// and returns its stdout.
pub(crate) fn succeed(cmd: &mut Command) -> Vec<u8> {
    succeed_saying(cmd).0
}

/// Like [`succeed`], returning what it said on stderr as well as its stdout.
pub(crate) fn succeed_saying(cmd: &mut Command) -> (Vec<u8>, Vec<u8>) {
    let out = cmd.output().expect("the binary runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, out.stderr)
}

/// Like [`succeed`], with stdout parsed as JSON.
pub(crate) fn succeed_json(cmd: &mut Command) -> serde_json::Value {
    serde_json::from_slice(&succeed(cmd)).expect("stdout is JSON")
}

/// Every example scenario shipped in scenarios/.
pub(crate) fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "scenarios/ has the default and at least four examples"
    );
    files
}

/// Parses scenario text, panicking with the validation message if it is invalid.
pub(crate) fn scenario(text: &str) -> Scenario {
    affcast::scenario::parse(text, "test.toml")
        .unwrap_or_else(|e| panic!("invalid test scenario: {e}"))
}

/// Runs every trial of a scenario and returns the ledgers.
pub(crate) fn run(sc: &Scenario) -> Vec<TrialLedger> {
    affcast::engine::run(sc, None, 0, &Control::quiet()).expect("the engine runs")
}

/// Runs every trial of a scenario opened by a pipeline and returns the ledgers.
pub(crate) fn run_with_pipeline(sc: &Scenario, pipeline: &Pipeline) -> Vec<TrialLedger> {
    affcast::engine::run(sc, Some(pipeline), 0, &Control::quiet()).expect("the engine runs")
}

/// A one-category scenario with no uncertainty; `program`, `traffic` and `category` are
/// extra TOML lines added to those tables.
pub(crate) fn simple(
    months: u32,
    trials: u32,
    program: &str,
    traffic: &str,
    category: &str,
) -> String {
    format!(
        r#"
name = "test"
start = "2027-01"
months = {months}
[simulation]
trials = {trials}
seed = 1
[program]
preset = "aliexpress-portals"
{program}
[traffic]
overdispersion = 0.0
{traffic}
[[categories]]
name = "c"
share = 1.0
{category}
"#
    )
}

/// Mean of a slice.
pub(crate) fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Standard error of the mean of a slice.
pub(crate) fn std_error(v: &[f64]) -> f64 {
    let m = mean(v);
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0);
    (var / v.len() as f64).sqrt()
}

/// A screenshot is a page, not a blank: enough dark pixels and enough colours.
pub(crate) fn not_blank(png_bytes: &[u8], name: &str) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    let pixels = bytes.len() / channels;
    let inked = bytes
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|&c| c < 200))
        .count();
    let share = inked as f64 / pixels as f64;
    assert!(
        share > 0.02,
        "{name}: the screenshot is nearly blank ({share:.4} inked)"
    );
    let distinct: std::collections::HashSet<&[u8]> = bytes.chunks(channels).collect();
    assert!(
        distinct.len() > 20,
        "{name}: only {} colours: not a rendered page",
        distinct.len()
    );
}

/// Writes one `<row>` of inline-string cells (columns A, B, …; empty cells left out).
pub(crate) fn sheet_row(sheet: &mut dyn std::io::Write, row: usize, cells: &[&str]) {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut xml = format!("<row r=\"{row}\">");
    for (j, cell) in cells.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
        let col = char::from(b'A' + j as u8);
        xml += &format!(
            "<c r=\"{col}{row}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
            esc(cell)
        );
    }
    xml += "</row>";
    sheet.write_all(xml.as_bytes()).unwrap();
}

/// A minimal .xlsx workbook of one sheet, whose `<sheetData>` rows `rows` writes (straight
/// into the zip, so a sheet of any size costs no memory); deflated or stored.
pub(crate) fn workbook(rows: impl FnOnce(&mut dyn std::io::Write), deflated: bool) -> Vec<u8> {
    use std::io::Write;
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default().compression_method(if deflated {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    });
    for (name, body) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options.large_file(true))
        .unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)
        .unwrap();
    rows(&mut zip);
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}
