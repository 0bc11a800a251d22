//! What a new user ran into, each through the binary: file names that contradict their
//! format, a stale export, the opening pipeline in CSV, errors that point at the problem.

use std::path::Path;

use crate::common::{self, affcast};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Runs the binary in a fresh folder; returns its exit code, stderr, and whether the folder
/// is still empty afterwards.
fn refused(args: &[&str]) -> (Option<i32>, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = affcast()
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap();
    let empty = std::fs::read_dir(dir.path()).unwrap().count() == 0;
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
        empty,
    )
}

#[test]
fn a_file_name_that_contradicts_its_format_is_a_usage_error() {
    let fit_file = fixture("admitad-actions.csv");
    let cases: [(&[&str], &str); 6] = [
        (&["forecast", "--trials", "5", "-o", "out.xlsx"], ".xlsx"),
        (
            &["forecast", "--trials", "5", "--plot", "chart.png"],
            ".png",
        ),
        (&["report", "--trials", "5", "--output", "rep.pdf"], ".pdf"),
        (&["compare", "scenarios-none.toml", "-o", "c.xlsx"], ".xlsx"),
        (
            &[
                "forecast", "--trials", "5", "-o", "o.json", "--format", "csv",
            ],
            "--format asks for csv",
        ),
        (
            &["fit", &fit_file, "--output", "fitted.json"],
            "a scenario (TOML)",
        ),
    ];
    for (args, says) in cases {
        let (code, stderr, empty) = refused(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(empty, "{args:?}: nothing written");
    }
    // Names that agree with what is written are fine, and so is a name without extension.
    let dir = tempfile::tempdir().unwrap();
    common::succeed(affcast().current_dir(dir.path()).args([
        "forecast", "--trials", "5", "--months", "2", "-o", "plain", "--plot", "c.svg",
    ]));
    assert!(dir.path().join("plain").exists() && dir.path().join("c.svg").exists());
}

#[test]
fn the_opening_pipeline_is_in_the_csv_and_a_stale_export_is_noted() {
    let export = fixture("aliexpress-envelope.json");
    let out = affcast()
        .args([
            "forecast",
            "--trials",
            "5",
            "--months",
            "2",
            "--format",
            "csv",
            "--pipeline",
            &export,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let opening: Vec<&str> = csv.lines().filter(|l| l.starts_with("opening,")).collect();
    assert_eq!(opening.len(), 3, "{csv}");
    assert!(opening[0].starts_with("opening,pending_end,"), "{csv}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The fixture ends in July 2026; the built-in scenario starts in January 2027.
    assert!(
        stderr.contains("the export ends on 2026-07-14, 171 days before the forecast starts"),
        "{stderr}"
    );
}
