//! Hostile input and extremes: mutated scenarios are refused cleanly, edge scenarios make
//! sense, interrupted runs leave no file, CSV cells cannot run as formulas.

use proptest::prelude::*;
use serde_json::Value;

use crate::common::{self, affcast, scenario_files};

/// Lines of the example scenarios that set a plain number: (file text, line index, key).
fn number_lines() -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for f in scenario_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or("");
            if let Some((k, v)) = code.split_once('=') {
                let (k, v) = (k.trim(), v.trim());
                if !k.starts_with('[') && !k.contains(' ') && v.parse::<f64>().is_ok() {
                    out.push((text.clone(), i, k.to_string()));
                }
            }
        }
    }
    out
}

fn replace_line(text: &str, index: usize, new: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == index {
                new.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn refused(text: &str, key: &str) -> Result<(), TestCaseError> {
    match affcast::scenario::parse(text, "mutated.toml") {
        Ok(_) => Err(TestCaseError::fail(format!(
            "accepted a bad value of {key}"
        ))),
        Err(e) => {
            prop_assert_eq!(e.exit_code(), 2);
            let msg = e.to_string();
            prop_assert!(msg.starts_with("mutated.toml: "), "{}", msg);
            prop_assert!(msg.contains(key), "the message names {}: {}", key, msg);
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_bad_number_is_refused_with_its_key_path(
        pick in any::<prop::sample::Index>(),
        bad in prop::sample::select(vec!["\"text\"", "-5", "1e300", "nan", "inf", "-inf", "true", "[1, 2]", "{ low = 2, high = 1 }"]),
    ) {
        let lines = number_lines();
        let (text, i, key) = &lines[pick.index(lines.len())];
        // A negative growth is allowed down to −0.99; −5 is not.
        refused(&replace_line(text, *i, &format!("{key} = {bad}")), key)?;
    }

    #[test]
    fn a_deleted_key_is_either_optional_or_named(pick in any::<prop::sample::Index>()) {
        let lines = number_lines();
        let (text, i, key) = &lines[pick.index(lines.len())];
        match affcast::scenario::parse(&replace_line(text, *i, ""), "mutated.toml") {
            Ok(_) => {}
            Err(e) => {
                prop_assert_eq!(e.exit_code(), 2);
                let msg = e.to_string();
                // Deleting a share also breaks the sum of shares, which names the table.
                prop_assert!(msg.contains(key.as_str()) || msg.contains("shares sum"), "{}", msg);
            }
        }
    }

    #[test]
    fn a_duplicated_category_is_refused(pick in any::<prop::sample::Index>()) {
        let files = scenario_files();
        let text = std::fs::read_to_string(&files[pick.index(files.len())]).unwrap();
        let start = text.find("[[categories]]").unwrap();
        let end = text[start + 1..].find("\n[").map_or(text.len(), |e| start + 1 + e);
        let doubled = format!("{}\n{}", text, &text[start..end]);
        refused(&doubled, "is a duplicate name")?;
    }
}

fn json_of(text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edge.toml");
    std::fs::write(&file, text).unwrap();
    common::succeed_json(
        affcast()
            .args(["forecast", "--trials", "40", "--format", "json"])
            .arg(&file),
    )
}

fn edge(months: u32, program: &str, traffic: &str, category: &str) -> String {
    format!(
        "start = \"2027-01\"\nmonths = {months}\n[program]\n{program}\n[traffic]\n{traffic}\n[[categories]]\nname = \"only\"\nshare = 1\norder_value = {{ median = 10, p90 = 30 }}\ncommission_rate = 0.07\n{category}\n"
    )
}

fn total(v: &Value, k: &str) -> f64 {
    v["summary"][k]["mean"].as_f64().unwrap_or(f64::NAN)
}

#[test]
fn edge_scenarios_work_and_make_sense() {
    // No clicks: nothing at all, and figures that would divide by zero are absent, not NaN.
    let v = json_of(&edge(
        12,
        "",
        "clicks_per_month = 0",
        "conversion_rate = 0.02",
    ));
    assert_eq!(total(&v, "total_clicks"), 0.0);
    assert_eq!(total(&v, "total_earned"), 0.0);
    assert!(v["summary"]["epc"]["mean"].is_null());
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("No commission is confirmed")
    );

    // No conversion: clicks, no orders.
    let v = json_of(&edge(
        12,
        "",
        "clicks_per_month = 5000",
        "conversion_rate = 0.0",
    ));
    assert!(total(&v, "total_clicks") > 50_000.0);
    assert_eq!(total(&v, "total_earned"), 0.0);
    assert_eq!(total(&v, "epc"), 0.0);

    // One month.
    let v = json_of(&edge(
        1,
        "",
        "clicks_per_month = 5000",
        "conversion_rate = 0.02",
    ));
    assert_eq!(v["monthly"].as_array().unwrap().len(), 1);
    assert!(total(&v, "total_earned") > 0.0);

    // Every shipped order refunded (and none cancelled): nothing confirmed, all reversed.
    let v = json_of(&edge(
        12,
        "",
        "clicks_per_month = 5000",
        "conversion_rate = 0.02\ncancel_rate = 0.0\nrefund_rate = 1.0",
    ));
    assert_eq!(total(&v, "total_confirmed"), 0.0);
    assert_eq!(total(&v, "total_cash"), 0.0);
    assert_eq!(total(&v, "reversal_rate"), 1.0);

    // A zero cookie: only same-session buyers count; everyone else is lost.
    let v = json_of(&edge(
        6,
        "cookie_days = 0\nsame_session_share = 0.5",
        "clicks_per_month = 5000",
        "conversion_rate = 0.02",
    ));
    let orders: f64 = v["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["orders"]["mean"].as_f64().unwrap())
        .sum();
    let lost: f64 = v["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["orders_lost"]["mean"].as_f64().unwrap())
        .sum();
    assert!(orders > 0.0 && lost > 0.0);
    assert!(
        (orders / (orders + lost) - 0.5).abs() < 0.05,
        "half the buyers buy at once: {orders} vs {lost}"
    );
    let v = json_of(&edge(
        6,
        "cookie_days = 0\nsame_session_share = 0.0",
        "clicks_per_month = 5000",
        "conversion_rate = 0.02",
    ));
    assert_eq!(
        total(&v, "total_earned"),
        0.0,
        "with no same-session buyers a zero cookie attributes nothing"
    );

    // A threshold nobody reaches: no cash, the balance grows, and the summary says so.
    let v = json_of(&edge(
        12,
        "withdraw_at = 1000000",
        "clicks_per_month = 5000",
        "conversion_rate = 0.02",
    ));
    assert_eq!(total(&v, "total_cash"), 0.0);
    let last = v["monthly"].as_array().unwrap().last().unwrap();
    assert!(last["balance_end"]["p50"].as_f64().unwrap() > 0.0);
    assert_eq!(v["summary"]["first_cash_month"]["trials_undefined"], 40);
    let note = v["notes"][0].as_str().unwrap();
    assert!(
        note.contains("No cash reaches the bank") && note.contains("1,000,000.00"),
        "{note}"
    );
}

#[test]
fn absurd_work_is_refused_before_it_starts_unless_forced() {
    let out = affcast()
        .args([
            "forecast", "--trials", "1000000", "--months", "120", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("pass --force") && msg.contains("GB"), "{msg}");
    assert!(out.stdout.is_empty());
}

#[test]
fn too_many_categories_are_refused() {
    let mut text = String::from("start = \"2027-01\"\n[traffic]\nclicks_per_month = 10\n");
    for i in 0..201 {
        text += &format!(
            "[[categories]]\nname = \"c{i}\"\nshare = {}\nconversion_rate = 0.01\norder_value = 1\ncommission_rate = 0.01\n",
            1.0 / 201.0
        );
    }
    let e = affcast::scenario::parse(&text, "many.toml").unwrap_err();
    assert!(
        e.to_string()
            .contains("categories: 201 entries is more than the limit of 200"),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("forecast.json");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("affcast"))
        .args(["forecast", "--trials", "100000", "--output"])
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // No sleep: the run has begun once it announces the built-in scenario on stderr (it
    // does so before simulating), whatever the machine's speed.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut first).unwrap();
    assert!(first.contains("built-in default scenario"), "{first}");
    // SIGTERM, not SIGINT: a job started in the background of a non-interactive shell
    // inherits SIGINT ignored, and then the run would finish; nothing ignores SIGTERM.
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run was interrupted");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no output and no temporary file"
    );
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_escaped() {
    let text = r#"
start = "2027-01"
months = 3
[simulation]
trials = 10
[traffic]
clicks_per_month = 1000
[[categories]]
name = "@SUM(A1)"
share = 0.5
conversion_rate = 0.01
order_value = 10
commission_rate = 0.07
[[categories]]
name = "plain"
share = 0.5
conversion_rate = 0.01
order_value = 10
commission_rate = 0.07
[mixes]
"=HYPERLINK(1)" = { plain = 1.0 }
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.toml");
    std::fs::write(&file, text).unwrap();
    let out = affcast()
        .arg("compare")
        .arg(&file)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains("'=HYPERLINK(1)"), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with("=HYPERLINK")));
    let out = affcast()
        .arg("sensitivity")
        .arg(&file)
        .args(["--format", "csv", "--trials", "5"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.contains("categories.@SUM(A1).conversion_rate"),
        "a key starting with a letter is left alone"
    );
    // Negative numbers stay numbers.
    assert!(!csv.contains("'-"), "{csv}");
}

#[test]
fn names_cannot_drive_the_terminal_or_break_a_markdown_table() {
    let dir = tempfile::tempdir().unwrap();
    // An escape sequence that would retitle a terminal, as a category of an export.
    let csv = "order_id,paid_time,status,commission,category\n\
               1,2026-03-01 10:00:00,confirmed,0.70,\u{1b}]0;owned\u{7}\n";
    let export = dir.path().join("orders.csv");
    std::fs::write(&export, csv).unwrap();
    let out = affcast().arg("fit").arg(&export).output().unwrap();
    assert!(out.status.success());
    assert!(!out.stderr.contains(&0x1b), "a raw escape reached stderr");
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\u{1b}]0;owned\\u{7}"));
    // The same name twice in a scenario: the error names it, escaped.
    let text = common::simple(
        3,
        10,
        "",
        "clicks_per_month = 100",
        "conversion_rate = 0.01\norder_value = 10\ncommission_rate = 0.05",
    )
    .replace("name = \"c\"", "name = \"\\u001b[2J\"")
    .replace("share = 1.0", "share = 0.5")
        + "[[categories]]\nname = \"\\u001b[2J\"\nshare = 0.5\nconversion_rate = 0.01\norder_value = 10\ncommission_rate = 0.05\n";
    let file = dir.path().join("s.toml");
    std::fs::write(&file, &text).unwrap();
    let out = affcast().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.contains(&0x1b), "a raw escape reached stderr");
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\u{1b}[2J"));
    // A `|` in a name stays inside its cell.
    let text = common::simple(
        3,
        10,
        "",
        "clicks_per_month = 1000",
        "conversion_rate = 0.01\norder_value = 10\ncommission_rate = 0.05",
    )
    .replace("name = \"c\"", "name = \"a|b\"");
    std::fs::write(&file, &text).unwrap();
    let md = common::succeed(
        affcast()
            .args(["forecast", "--format", "markdown"])
            .arg(&file),
    );
    let md = String::from_utf8(md).unwrap();
    let row = md
        .lines()
        .find(|l| l.starts_with("| a"))
        .expect("the category's row");
    assert!(row.starts_with("| a\\|b |"), "{row}");
    let columns = |l: &str| l.replace("\\|", "").matches('|').count();
    let header = md
        .lines()
        .rev()
        .skip_while(|l| *l != row)
        .skip_while(|l| l.starts_with("| a") || l.starts_with("|---"))
        .find(|l| l.starts_with('|'))
        .unwrap();
    assert_eq!(columns(row), columns(header), "{header}\n{row}");
}

#[test]
fn messages_about_numbers_and_months_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let text = common::simple(
        3,
        10,
        "",
        "clicks_per_month = 100",
        "conversion_rate = 0.01\norder_value = 1e308\ncommission_rate = 0.05",
    )
    .replace("start = \"2027-01\"", "start = \"9999-12\"");
    let file = dir.path().join("s.toml");
    std::fs::write(&file, &text).unwrap();
    let out = affcast().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("start: \"9999-12\": the year is outside 1900..=2999"),
        "{stderr}"
    );
    assert!(stderr.contains("order_value: 1e308 is not"), "{stderr}");
}
