//! The binary as a user meets it: commands, formats, files, determinism.

use crate::common::{self, affcast, scenario_files};

fn stdout_of(args: &[&str]) -> String {
    String::from_utf8(common::succeed(affcast().args(args))).unwrap()
}

#[test]
fn forecast_without_a_file_runs_the_builtin_default_and_says_so() {
    let out = affcast()
        .args(["forecast", "--trials", "30", "--format", "table"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("built-in default scenario"), "{stderr}");
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("Phone accessories niche site — 30 trials, seed 42, 24 months from 2027-01")
    );
    for heading in [
        "Month",
        "Clicks",
        "Confirmed",
        "Pending (end)",
        "Unpaid (end)",
        "Cash",
        "run_rate_confirmed",
        "first_cash_month",
    ] {
        assert!(table.contains(heading), "table lacks {heading}");
    }
    assert!(table.contains("2028-12"), "all 24 months are shown");
}

#[test]
fn json_has_the_documented_shape_and_consistent_numbers() {
    let text = stdout_of(&[
        "forecast", "--trials", "40", "--months", "6", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["scenario"], "Phone accessories niche site");
    assert_eq!(v["currency"], "USD");
    assert_eq!(v["trials"], 40);
    assert_eq!(v["seed"], 42);
    assert_eq!(v["start"], "2027-01");
    let monthly = v["monthly"].as_array().unwrap();
    assert_eq!(monthly.len(), 6);
    assert_eq!(monthly[5]["month"], "2027-06");
    for name in [
        "clicks",
        "orders",
        "orders_lost",
        "gmv",
        "earned",
        "reversed",
        "confirmed",
        "settled",
        "withdrawn",
        "fees",
        "cash",
        "pending_end",
        "unsettled_end",
        "balance_end",
        "in_transit_end",
    ] {
        let b = &monthly[2][name];
        let (p10, p50, p90) = (
            b["p10"].as_f64().unwrap(),
            b["p50"].as_f64().unwrap(),
            b["p90"].as_f64().unwrap(),
        );
        assert!(p10 <= p50 && p50 <= p90, "{name}: {b}");
    }
    for name in [
        "total_clicks",
        "total_earned",
        "total_confirmed",
        "total_reversed",
        "total_cash",
        "total_fees",
        "run_rate_confirmed",
        "run_rate_cash",
        "epc",
        "reversal_rate",
        "first_cash_month",
    ] {
        assert!(v["summary"][name].is_object(), "summary lacks {name}");
    }
    // Means are linear: the identity of the means holds to rounding.
    let month_mean = |m: usize, k: &str| monthly[m][k]["mean"].as_f64().unwrap();
    let cum = |k: &str| (0..6).map(|m| month_mean(m, k)).sum::<f64>();
    let lhs = cum("earned");
    let rhs = cum("confirmed") + cum("reversed") + month_mean(5, "pending_end");
    assert!((lhs - rhs).abs() < 0.05, "{lhs} vs {rhs}");
    assert!(v["summary"]["total_earned"]["mean"].as_f64().unwrap() > 0.0);
}

#[test]
fn csv_is_tidy_and_markdown_has_both_tables() {
    let text = stdout_of(&[
        "forecast", "--trials", "20", "--months", "3", "--format", "csv",
    ]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().unwrap(),
        vec!["month", "metric", "mean", "p10", "p50", "p90"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    // 18 metrics and unpaid_end per month, 11 summary rows, then the breakdowns: 2
    // categories × 7 figures and 2 regions × 4.
    assert_eq!(rows.len(), 3 * 19 + 11 + 2 * 7 + 2 * 4);
    assert_eq!(&rows[0][0], "2027-01");
    assert_eq!(&rows[0][1], "clicks");
    assert!(
        rows.iter()
            .any(|r| &r[0] == "total" && &r[1] == "run_rate_cash")
    );

    let md = stdout_of(&[
        "forecast", "--trials", "20", "--months", "3", "--format", "markdown",
    ]);
    assert!(md.starts_with("# Phone accessories niche site"));
    assert!(md.contains("| Month | Clicks |"));
    assert!(md.contains("## Summary"));
    assert!(md.contains("| run_rate_confirmed |"));
}

#[test]
fn output_file_is_written_whole_in_the_format_its_name_suggests() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fc.json");
    let result = affcast()
        .args(["forecast", "--trials", "20", "--months", "2", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(result.status.success());
    assert!(
        result.stdout.is_empty(),
        "the result goes to the file, not stdout"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["monthly"].as_array().unwrap().len(), 2);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );

    let missing = dir.path().join("no-such-dir").join("fc.csv");
    let result = affcast()
        .args(["forecast", "--trials", "5", "--months", "1", "--output"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("no-such-dir"));
}

#[test]
fn same_seed_gives_identical_bytes_whatever_the_thread_count() {
    let file = scenario_files()
        .into_iter()
        .find(|f| f.ends_with("gadgets-1111-uncertain.toml"))
        .unwrap();
    let file = file.to_str().unwrap();
    let run = |threads: &str, seed: &str| {
        stdout_of(&[
            "forecast",
            file,
            "--trials",
            "64",
            "--format",
            "csv",
            "--threads",
            threads,
            "--seed",
            seed,
        ])
    };
    let one = run("1", "5");
    assert_eq!(one, run("2", "5"));
    assert_eq!(one, run("3", "5"));
    assert_ne!(one, run("2", "6"), "another seed gives another forecast");
}

#[test]
fn every_example_scenario_validates_and_forecasts() {
    for file in scenario_files() {
        let f = file.to_str().unwrap();
        let v = stdout_of(&["validate", f]);
        assert!(v.starts_with("ok: "), "{v}");
        let json = stdout_of(&["forecast", f, "--trials", "20", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(
            v["summary"]["total_confirmed"]["mean"].as_f64().unwrap() > 0.0,
            "{f}"
        );
        assert!(
            v["summary"]["total_cash"]["mean"].as_f64().unwrap() > 0.0,
            "{f}"
        );
    }
}

#[test]
fn init_prints_a_starter_that_validates_for_each_preset() {
    for preset in ["aliexpress-portals", "aliexpress-admitad"] {
        let text = stdout_of(&["init", "--preset", preset]);
        assert!(text.contains(&format!("preset = \"{preset}\"")));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("starter.toml");
        std::fs::write(&file, &text).unwrap();
        let v = stdout_of(&["validate", file.to_str().unwrap()]);
        assert!(v.contains(preset), "{v}");
    }
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("affcast"))
        .args(["forecast", "--trials", "20", "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
