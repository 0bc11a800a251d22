//! Link volatility: the alive share and the conversion it scales as the model writes them,
//! the refresh advice on common random numbers, and the new inputs in sensitivity and
//! compare — all through the binary.

use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};

use crate::common::{self, affcast, succeed, succeed_json};

/// The example scenario with links.
fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fashion-accessories-links.toml")
}

/// Days of each month from 2027-01.
fn month_days(months: u32) -> Vec<usize> {
    let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    (0..months)
        .map(|m| {
            let first = start + Months::new(m);
            (first + Months::new(1) - first).num_days() as usize
        })
        .collect()
}

/// The alive share on day `d` as the model writes it, refreshed on the first day of months
/// `every`, 2·`every`, …
fn alive(death_rate: f64, alive_at_start: f64, every: u32, days: &[usize], d: usize) -> f64 {
    let hazard = -(1.0 - death_rate).ln() / 30.4375;
    let mut last = (0, alive_at_start);
    let mut first_day = 0;
    for (m, n) in days.iter().enumerate() {
        if first_day > d {
            break;
        }
        if every > 0 && m > 0 && (m as u32).is_multiple_of(every) {
            last = (first_day, 1.0);
        }
        first_day += n;
    }
    last.1 * (-hazard * (d - last.0) as f64).exp()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn the_dead_share_follows_the_alive_share_by_category() {
    // Two categories: one at the section's death rate, one with its own; refreshed every two
    // months; a fifth of the links dead on the first day.
    let text = r#"
name = "links"
start = "2027-01"
months = 5
[simulation]
trials = 3
[traffic]
clicks_per_month = 1000
[links]
death_rate = 0.1
refresh_every_months = 2
alive_at_start = 0.8
[[categories]]
name = "slow"
share = 0.6
conversion_rate = 0.01
order_value = 10
commission_rate = 0.07
[[categories]]
name = "fast"
share = 0.4
conversion_rate = 0.01
order_value = 10
commission_rate = 0.07
link_death_rate = 0.3
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "links.toml", text);
    let doc = succeed_json(affcast().args(["forecast", "--format", "json"]).arg(&file));
    let days = month_days(5);
    let mut first = 0;
    for (m, &n) in days.iter().enumerate() {
        let expected = (first..first + n)
            .map(|d| {
                0.6 * (1.0 - alive(0.1, 0.8, 2, &days, d))
                    + 0.4 * (1.0 - alive(0.3, 0.8, 2, &days, d))
            })
            .sum::<f64>()
            / n as f64;
        let got = &doc["monthly"][m]["dead_link_share"];
        for q in ["mean", "p10", "p50", "p90"] {
            let x = got[q].as_f64().unwrap();
            // Printed to 4 decimals.
            assert!(
                (x - expected).abs() <= 0.00005 + 1e-12,
                "month {m} {q}: {x} vs {expected}"
            );
        }
        first += n;
    }
    // Hand-checked points: day 0 has a fifth dead; the first day of month 3 (a refresh) none.
    assert!((alive(0.1, 0.8, 2, &days, 0) - 0.8).abs() < 1e-15);
    assert_eq!(alive(0.3, 0.8, 2, &days, 59), 1.0);
    // Month 1 (before any refresh) has more dead links than month 3 (just refreshed).
    let share = |m: usize| {
        doc["monthly"][m]["dead_link_share"]["mean"]
            .as_f64()
            .unwrap()
    };
    assert!(share(1) > share(2), "{} vs {}", share(1), share(2));
}

#[test]
fn dead_links_scale_conversion_as_the_model_says() {
    // A steady site whose every buyer buys at once (so every purchase is attributed): the
    // orders of a month are Poisson with mean Σ_days clicks_per_day × conversion ×
    // (alive + (1 − alive) × dead_link_conversion).
    let trials = 400.0;
    let text = common::simple(
        6,
        400,
        "same_session_share = 1.0",
        "clicks_per_month = 30000\nmonthly_growth = 0.0",
        "conversion_rate = 0.02\norder_value = 10\ncommission_rate = 0.07\n[links]\ndeath_rate = 0.2\ndead_link_conversion = 0.25\nalive_at_start = 0.9",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "steady.toml", &text);
    let doc = succeed_json(affcast().args(["forecast", "--format", "json"]).arg(&file));
    let days = month_days(6);
    let mut first = 0;
    for (m, &n) in days.iter().enumerate() {
        let expected: f64 = (first..first + n)
            .map(|d| {
                let a = alive(0.2, 0.9, 0, &days, d);
                30_000.0 / n as f64 * 0.02 * (a + (1.0 - a) * 0.25)
            })
            .sum();
        let got = doc["monthly"][m]["orders"]["mean"].as_f64().unwrap();
        let se = (expected / trials).sqrt();
        assert!(
            (got - expected).abs() < 4.0 * se,
            "month {m}: {got} orders against {expected:.2} (4 SE = {:.2})",
            4.0 * se
        );
        // Clicks do not change: every click is counted, dead link or not.
        let clicks = doc["monthly"][m]["clicks"]["mean"].as_f64().unwrap();
        let se = (30_000.0 / trials).sqrt();
        assert!(
            (clicks - 30_000.0).abs() < 4.0 * se,
            "month {m}: {clicks} clicks"
        );
        first += n;
    }
}

#[test]
fn refreshing_pays_on_the_same_trials() {
    let doc = succeed_json(
        affcast()
            .args(["forecast", "--trials", "200", "--format", "json"])
            .arg(example()),
    );
    let advice = &doc["refresh_advice"];
    let rows = advice["cadences"].as_array().unwrap();
    let row = |every: u64| {
        rows.iter()
            .find(|r| r["refresh_every_months"] == every)
            .unwrap_or_else(|| panic!("cadence {every} is compared: {advice}"))
    };
    let cash = |every: u64| row(every)["total_cash"].as_f64().unwrap();
    let shown: Vec<u64> = rows
        .iter()
        .map(|r| r["refresh_every_months"].as_u64().unwrap())
        .collect();
    assert_eq!(
        shown,
        [1, 2, 3, 6, 12, 0],
        "most frequent first, never last"
    );
    assert!(
        cash(1) >= cash(0),
        "monthly {} < never {}",
        cash(1),
        cash(0)
    );
    assert!(cash(1) > cash(3) && cash(3) > cash(12) && cash(12) > cash(0));
    // The scenario's own cadence is the forecast itself: the same cents.
    assert_eq!(row(6)["current"], true);
    assert_eq!(row(6)["total_cash"], doc["summary"]["total_cash"]["mean"]);
    // 23, 11, 7, 3, 1 and 0 refreshes in 24 months; net = cash − refreshes × 60.00.
    for (every, n) in [(1, 23), (2, 11), (3, 7), (6, 3), (12, 1), (0, 0)] {
        assert_eq!(row(every)["refreshes"], n);
        let net = row(every)["net"].as_f64().unwrap();
        assert!(
            (net - (cash(every) - 60.0 * n as f64)).abs() < 0.011,
            "{every}: {net}"
        );
    }
    // The recommendation is the highest net, and says why.
    let best = rows
        .iter()
        .max_by(|a, b| {
            a["net"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["net"].as_f64().unwrap())
        })
        .unwrap();
    assert_eq!(advice["recommended"], best["refresh_every_months"]);
    let reason = advice["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("refresh every") && reason.contains("more cash than never refreshing"),
        "{reason}"
    );
}

#[test]
fn without_dying_links_no_cadence_is_better() {
    let text = std::fs::read_to_string(example())
        .unwrap()
        .replace(
            "death_rate = { low = 0.06, high = 0.18 }",
            "death_rate = 0.0",
        )
        .replace("link_death_rate = { low = 0.10, high = 0.25 }", "")
        .replace("alive_at_start = 0.9", "alive_at_start = 1.0");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "immortal.toml", &text);
    let doc = succeed_json(
        affcast()
            .args(["forecast", "--trials", "100", "--format", "json"])
            .arg(&file),
    );
    let advice = &doc["refresh_advice"];
    let rows = advice["cadences"].as_array().unwrap();
    for r in rows {
        assert_eq!(r["total_cash"], rows[0]["total_cash"], "{advice}");
        assert_eq!(r["run_rate_cash"], rows[0]["run_rate_cash"], "{advice}");
    }
    assert_eq!(advice["recommended"], 0, "a tie goes to the rarer: never");
    assert!(
        advice["reason"].as_str().unwrap().contains("same cash"),
        "{advice}"
    );
    assert_eq!(doc["monthly"][5]["dead_link_share"]["p90"], 0.0);
}

#[test]
fn two_cadences_compare_as_two_files_on_the_same_trials() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example()).unwrap();
    let six = write(dir.path(), "six.toml", &text);
    let two = write(
        dir.path(),
        "two.toml",
        &text.replace("refresh_every_months = 6", "refresh_every_months = 2"),
    );
    let cmp = succeed_json(
        affcast()
            .args([
                "compare",
                "--trials",
                "100",
                "--objective",
                "total_cash",
                "--format",
                "json",
            ])
            .arg(&six)
            .arg(&two),
    );
    let fc = succeed_json(
        affcast()
            .args(["forecast", "--trials", "100", "--format", "json"])
            .arg(&six),
    );
    let every_two = fc["refresh_advice"]["cadences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["refresh_every_months"] == 2)
        .unwrap()
        .clone();
    // The file refreshed every two months is, trial for trial, the advice's row for it: the
    // paired difference is the advice's difference, to the rounding of the printed means.
    let difference = cmp["variants"][1]["difference"]["mean"].as_f64().unwrap();
    let advised = every_two["total_cash"].as_f64().unwrap()
        - fc["summary"]["total_cash"]["mean"].as_f64().unwrap();
    assert!(difference > 0.0, "{cmp}");
    // Judged on total cash, compare shows that figure too: the advice's row, to the cent.
    assert_eq!(
        cmp["variants"][1]["summary"]["total_cash"]["mean"],
        every_two["total_cash"]
    );
    assert!(
        (difference - advised).abs() <= 0.01 + 1e-9,
        "{difference} vs {advised}"
    );
}

#[test]
fn sensitivity_swings_the_link_inputs() {
    let doc = succeed_json(
        affcast()
            .args(["sensitivity", "--trials", "30", "--format", "json"])
            .arg(example()),
    );
    let inputs: Vec<&str> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["input"].as_str().unwrap())
        .collect();
    for key in [
        "links.death_rate",
        "links.dead_link_conversion",
        "links.alive_at_start",
        "categories.jewelry.link_death_rate",
    ] {
        assert!(inputs.contains(&key), "{key} not swung: {inputs:?}");
    }
    let row = |key: &str| {
        doc["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["input"] == key)
            .unwrap()
            .clone()
    };
    // Links that die faster leave less cash; dead-link clicks that convert better, more.
    let death = row("links.death_rate");
    assert!(
        death["at_high"].as_f64() < death["at_low"].as_f64(),
        "{death}"
    );
    let dead = row("links.dead_link_conversion");
    assert!(dead["at_high"].as_f64() > dead["at_low"].as_f64(), "{dead}");
}

#[test]
fn links_keep_forecasts_deterministic_and_in_every_format() {
    let run = |threads: &str, format: &str| {
        succeed(
            affcast()
                .args([
                    "forecast",
                    "--trials",
                    "48",
                    "--threads",
                    threads,
                    "--format",
                    format,
                ])
                .arg(example()),
        )
    };
    assert_eq!(run("1", "csv"), run("2", "csv"));
    let csv = String::from_utf8(run("2", "csv")).unwrap();
    assert_eq!(
        csv.matches(",dead_link_share,").count(),
        24,
        "one row per month"
    );
    for format in ["table", "markdown"] {
        let text = String::from_utf8(run("2", format)).unwrap();
        assert!(
            text.contains("Dead links") && text.contains("Refresh advice"),
            "{format}"
        );
        assert!(
            text.contains("every 6 months *"),
            "{format}: the scenario's own is marked"
        );
    }
}
