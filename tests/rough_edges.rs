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

#[test]
fn errors_point_at_the_real_problem() {
    let dir = tempfile::tempdir().unwrap();
    // An order export given as the scenario.
    for export in ["admitad-actions.csv", "aliexpress-envelope.json"] {
        let (code, stderr, _) = refused(&["forecast", &fixture(export)]);
        assert_eq!(code, Some(2));
        assert!(
            stderr.contains("looks like an order export") && stderr.contains("affcast fit"),
            "{stderr}"
        );
    }
    // A percentage where a share belongs.
    let pct = dir.path().join("pct.toml");
    std::fs::write(
        &pct,
        "start = \"2027-01\"\n[traffic]\nclicks_per_month = 1000\n[[categories]]\nname = \"a\"\nshare = 1\nconversion_rate = 1.2%\n",
    )
    .unwrap();
    let (code, stderr, _) = refused(&["validate", pct.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("categories[0].conversion_rate") && stderr.contains("1.2% is 0.012"),
        "{stderr}"
    );
    // A scenario given as an export.
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/default.toml");
    let (code, stderr, _) = refused(&["forecast", "--pipeline", scenario.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("looks like a scenario (TOML), not an order export"),
        "{stderr}"
    );
}

#[test]
fn growth_of_one_hundred_percent_a_month_is_questioned_and_named_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/default.toml"),
    )
    .unwrap()
    .replace("monthly_growth = 0.02", "monthly_growth = 1");
    let file = dir.path().join("growth.toml");
    std::fs::write(&file, text).unwrap();
    let f = file.to_str().unwrap();
    // Valid (it is a number in range), but validate asks whether it was meant.
    let out = affcast().args(["validate", f]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning")
            && stderr.contains("traffic.monthly_growth")
            && stderr.contains("write 0.01"),
        "{stderr}"
    );
    // Forecasting it is refused as too much work, naming what drives the work.
    let (code, stderr, _) = refused(&["forecast", f]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("driven mostly by traffic.monthly_growth = 1"),
        "{stderr}"
    );
}

const EU_AND_BR: &str = r#"
name = "EU and Brazil"
start = "2027-01"
months = 12
currency = "EUR"
[traffic]
clicks_per_month = 25000
[[regions]]
name = "EU"
share = 0.7
[[regions]]
name = "br"
share = 0.3
[[categories]]
name = "gadgets"
share = 1.0
conversion_rate = 0.01
order_value = 12
commission_rate = 0.07
"#;

#[test]
fn brazil_gets_its_longer_buyer_protection_and_says_where_it_came_from() {
    let sc = common::scenario(EU_AND_BR);
    assert_eq!(
        sc.regions[0].auto_confirm_days, None,
        "EU inherits the program's"
    );
    assert_eq!(sc.regions[1].auto_confirm_days, Some(120.0));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("br.toml");
    std::fs::write(&file, EU_AND_BR).unwrap();
    let html = String::from_utf8(common::succeed(
        affcast().args(["report", "--trials", "10"]).arg(&file),
    ))
    .unwrap();
    assert!(
        html.contains("regions.br.auto_confirm_days</td><td class=\"num\">120</td><td class=\"num\">default for BR (buyer protection)"),
        "the assumptions show the protection and its origin"
    );
    assert!(html.contains("regions.EU.auto_confirm_days</td><td class=\"num\">60</td><td class=\"num\">program.auto_confirm_days"));
}

#[test]
fn preset_amounts_in_dollars_under_another_currency_are_not_mixed_silently() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("eur.toml");
    std::fs::write(&file, EU_AND_BR).unwrap();
    let out = affcast().arg("validate").arg(&file).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("currency: \"EUR\"")
            && stderr.contains("minimum_payout 16.00")
            && stderr.contains("payout_fee 15.00")
            && stderr.contains("US dollars"),
        "{stderr}"
    );
    // Amounts set in the file's own currency are not questioned.
    let own = EU_AND_BR.replace(
        "[traffic]",
        "[program]\ncommission_cap = 45\nminimum_payout = 15\npayout_fee = 14\n[traffic]",
    );
    std::fs::write(&file, own).unwrap();
    let out = affcast().arg("validate").arg(&file).output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}

#[test]
fn first_cash_months_mean_lies_within_its_percentiles() {
    use affcast::stats::{SummaryBand, SummaryMetric};
    // 9 trials with cash (one early), 30 without: the band and the mean count the same trials.
    let mut values = vec![Some(4.0)];
    values.extend(std::iter::repeat_n(Some(5.0), 8));
    values.extend(std::iter::repeat_n(None, 30));
    let sb = SummaryBand::of(SummaryMetric::FirstCashMonth, values);
    let b = sb.band.unwrap();
    assert!(b.p10 <= b.mean && b.mean <= b.p90, "{b:?}");
    assert_eq!(sb.undefined, 30);
}

#[test]
fn notes_go_to_stderr_in_every_format() {
    // Three months of the default site: most trials have no cash yet.
    for format in ["table", "markdown", "csv", "json"] {
        let out = affcast()
            .args([
                "forecast", "--trials", "20", "--months", "2", "--format", format,
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("note: No cash reaches the bank"),
            "{format}: {stderr}"
        );
        // Only JSON, a document, also carries its notes.
        assert_eq!(
            stdout.contains("No cash reaches the bank"),
            format == "json",
            "{format}: {stdout}"
        );
    }
}

#[test]
fn sensitivity_swings_events_and_names_seasonality() {
    // The built-in scenario has an 11.11 event and a seasonality profile.
    let v =
        common::succeed_json(affcast().args(["sensitivity", "--trials", "20", "--format", "json"]));
    let inputs: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["input"].as_str().unwrap())
        .collect();
    assert!(inputs.contains(&"events.11.11.traffic"), "{inputs:?}");
    assert!(inputs.contains(&"events.11.11.conversion"), "{inputs:?}");
    assert!(
        v["not_swung"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "traffic.seasonality"),
        "{}",
        v["not_swung"]
    );
}

#[test]
fn the_terminal_table_fits_and_shows_money_waiting_for_payout() {
    let out = common::succeed(affcast().args(["forecast", "--trials", "60", "--format", "table"]));
    let table = String::from_utf8(out).unwrap();
    let widest = table
        .lines()
        .filter(|l| l.contains('│') || l.contains('┌'))
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(widest <= 100, "the tables are {widest} columns wide");
    assert!(table.contains("Unpaid (end)"), "{table}");
    assert!(
        table.contains("traffic.clicks_per_month = 28,284 (the first month's expected clicks, before seasonality"),
        "{table}"
    );
    // On Portals the balance is withdrawn the day it is credited, so "Payable" was 0 every
    // month; confirmed money waiting for the 25th is now visible: not 0 at January's end.
    let january = table.lines().find(|l| l.starts_with("│ 2027-01")).unwrap();
    let unpaid = january.split('┆').nth(5).unwrap().trim();
    assert_ne!(unpaid, "0.00", "{january}");
}

#[test]
fn a_month_without_cash_between_paid_months_is_explained() {
    // Portals: credited on the 25th, 5 days to the bank: February's payout lands in March.
    let out =
        common::succeed(affcast().args(["forecast", "--trials", "60", "--format", "markdown"]));
    let md = String::from_utf8(out).unwrap();
    assert!(
        md.contains("No cash arrives in 2028-02 although the months around are paid: that month's payout, credited on day 25, reaches the bank 5 days later"),
        "{md}"
    );
    let v =
        common::succeed_json(affcast().args(["forecast", "--trials", "60", "--format", "json"]));
    assert!(v["footnotes"][0].as_str().unwrap().contains("2028-02"));
    // With a 2-day payout delay February is paid like any month: nothing to explain.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("quick.toml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/default.toml"),
    )
    .unwrap()
    .replace("[program]", "[program]\npayout_delay_days = 2");
    std::fs::write(&file, text).unwrap();
    let v = common::succeed_json(
        affcast()
            .args(["forecast", "--trials", "60", "--format", "json"])
            .arg(&file),
    );
    assert_eq!(
        v["footnotes"].as_array().unwrap().len(),
        0,
        "{}",
        v["footnotes"]
    );
}
