//! Every validation rule: exit code 2, the file, the key path and the value in the message,
//! no panic, no output file.

use crate::common::affcast;

const BASE: &str = r#"
name = "base"
start = "2027-01"
months = 12
[program]
preset = "aliexpress-portals"
[traffic]
clicks_per_month = 1000
[[regions]]
name = "EU"
share = 1.0
[[categories]]
name = "a"
share = 0.6
conversion_rate = 0.01
order_value = { median = 10, p90 = 30 }
commission_rate = 0.07
[[categories]]
name = "b"
share = 0.4
conversion_rate = 0.01
order_value = { median = 10, p90 = 30 }
commission_rate = 0.09
[mixes]
m = { a = 0.5, b = 0.5 }
"#;

/// Replaces `from` (which must occur in the base) with `to`, runs `forecast` with an output
/// file, and checks the refusal.
fn rejects(from: &str, to: &str, expected: &[&str]) {
    assert!(BASE.contains(from), "{from:?} is not in the base scenario");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, BASE.replacen(from, to, 1)).unwrap();
    let out = dir.path().join("out.json");
    let result = affcast()
        .args(["forecast", "--trials", "2", "--output"])
        .arg(&out)
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(
        result.status.code(),
        Some(2),
        "exit code for {to:?}: {stderr}"
    );
    assert!(stderr.contains("bad.toml"), "names the file: {stderr}");
    for e in expected {
        assert!(
            stderr.contains(e),
            "message for {to:?} lacks {e:?}: {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "no output file for a bad scenario");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    // `validate` refuses it in the same words.
    let v = affcast().arg("validate").arg(&file).output().unwrap();
    assert_eq!(v.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&v.stderr), stderr);
}

#[test]
fn the_base_scenario_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ok.toml");
    std::fs::write(&file, BASE).unwrap();
    affcast().arg("validate").arg(&file).assert().success();
}

#[test]
fn unknown_keys() {
    rejects(
        "clicks_per_month = 1000",
        "clicks_per_mnth = 1000",
        &["traffic.clicks_per_mnth", "unknown field", "(line 8)"],
    );
    rejects(
        "commission_rate = 0.09",
        "commision_rate = 0.09",
        &["categories[1].commision_rate"],
    );
    rejects("[program]", "[programme]", &["programme", "unknown field"]);
    rejects(
        "{ median = 10, p90 = 30 }",
        "{ median = 10, p95 = 30 }",
        &["categories[0].order_value: unknown field `p95`"],
    );
}

#[test]
fn shares_not_summing_to_one() {
    rejects("share = 0.4", "share = 0.3", &["categories:", "sum to 0.8"]);
    rejects(
        "name = \"EU\"\nshare = 1.0",
        "name = \"EU\"\nshare = 0.9",
        &["regions:", "sum to 0.9"],
    );
    rejects(
        "m = { a = 0.5, b = 0.5 }",
        "m = { a = 0.5, b = 0.6 }",
        &["mixes.m", "sum to 1.1"],
    );
}

#[test]
fn probabilities_outside_zero_one() {
    rejects(
        "commission_rate = 0.09",
        "commission_rate = 0.09\nrefund_rate = 1.4",
        &["categories[1].refund_rate: 1.4 is not a probability"],
    );
    rejects(
        "conversion_rate = 0.01",
        "conversion_rate = -0.01",
        &["categories[0].conversion_rate: -0.01"],
    );
    rejects(
        "[program]",
        "[program]\nsame_session_share = { low = 0.0, high = 0.5 }",
        &["program.same_session_share", "0 < low"],
    );
}

#[test]
fn negative_amounts_or_days() {
    rejects(
        "[program]",
        "[program]\npayout_fee = -1.0",
        &["program.payout_fee: -1"],
    );
    rejects(
        "[program]",
        "[program]\nauto_confirm_days = -5",
        &["program.auto_confirm_days: -5"],
    );
    rejects(
        "clicks_per_month = 1000",
        "clicks_per_month = -1000",
        &["traffic.clicks_per_month: -1000"],
    );
    rejects(
        "{ median = 10, p90 = 30 }",
        "{ median = -10, p90 = 30 }",
        &["categories[0].order_value.median: -10"],
    );
    rejects(
        "[program]",
        "[program]\npayout_delay_days = -2",
        &["program.payout_delay_days: -2"],
    );
}

#[test]
fn p90_below_median() {
    rejects(
        "{ median = 10, p90 = 30 }",
        "{ median = 10, p90 = 5 }",
        &["categories[0].order_value.p90: 5 is below the median 10"],
    );
}

#[test]
fn low_above_high() {
    rejects(
        "clicks_per_month = 1000",
        "clicks_per_month = { low = 2000, high = 1000 }",
        &["traffic.clicks_per_month: { low = 2000, high = 1000 }: low is above high"],
    );
}

#[test]
fn withdraw_at_below_minimum_or_not_above_the_fee() {
    rejects(
        "[program]",
        "[program]\nwithdraw_at = 10.0",
        &["program.withdraw_at: 10 is below minimum_payout 16"],
    );
    rejects(
        "[program]",
        "[program]\nminimum_payout = 5.0\nwithdraw_at = 15.0",
        &["program.withdraw_at: 15 is not above the fees"],
    );
}

#[test]
fn unknown_mix_category() {
    rejects(
        "m = { a = 0.5, b = 0.5 }",
        "m = { a = 0.5, c = 0.5 }",
        &["mixes.m.c", "\"c\" is not a category"],
    );
}

#[test]
fn months_out_of_range() {
    rejects(
        "months = 12",
        "months = 0",
        &["months: 0 is out of range (1..=120)"],
    );
    rejects(
        "months = 12",
        "months = 121",
        &["months: 121 is out of range"],
    );
}

#[test]
fn other_rules() {
    rejects(
        "start = \"2027-01\"",
        "start = \"2027-13\"",
        &["start: \"2027-13\" is not a month"],
    );
    rejects(
        "name = \"b\"",
        "name = \"a\"",
        &["categories[1].name: \"a\" is a duplicate"],
    );
    rejects(
        "preset = \"aliexpress-portals\"",
        "preset = \"amazon\"",
        &["program.preset: \"amazon\" is not a preset"],
    );
    rejects(
        "clicks_per_month = 1000",
        "clicks_per_month = nan",
        &["traffic.clicks_per_month: NaN is not a finite number"],
    );
    rejects(
        "clicks_per_month = 1000",
        "clicks_per_month = \"lots\"",
        &["traffic.clicks_per_month", "invalid type: string \"lots\""],
    );
    rejects(
        "conversion_rate = 0.01\norder_value",
        "order_value",
        &["categories[0].conversion_rate: is missing"],
    );
    rejects(
        "[program]",
        "[program]\nsettlement = \"weekly\"",
        &["program.settlement: \"weekly\""],
    );
    rejects(
        "[program]",
        "[program]\nsettlement_day = 30",
        &["program.settlement_day: 30 is out of range (1..=28)"],
    );
    rejects(
        "[program]",
        "[program]\nsettlement_lag_days = 2",
        &["program.settlement_lag_days: applies to settlement = \"daily\" only"],
    );
    rejects(
        "[[regions]]",
        "[[events]]\nname = \"x\"\nfrom = \"02-30\"\ndays = 2\n[[regions]]",
        &["events[0].from: \"02-30\""],
    );
    rejects(
        "start = \"2027-01\"",
        "start = \"2027-01\"\n[[",
        &["bad.toml", "line"],
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    let cases: [&[&str]; 4] = [
        &["forecast", "--trials", "0"],
        &["forecast", "--months", "500"],
        &["forecast", "--format", "xml"],
        &["frobnicate"],
    ];
    for args in cases {
        let out = affcast().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let out = affcast()
        .args(["forecast", "/no/such/file.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.toml: no such file"));
}

#[test]
fn uncommenting_a_starters_program_keys_changes_nothing() {
    for preset in ["aliexpress-portals", "aliexpress-admitad"] {
        let out = affcast()
            .args(["init", "--preset", preset])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        // Every commented `# key = value   # help` line of [program], uncommented.
        let (head, rest) = text.split_once("[program]").unwrap();
        let (program, tail) = rest.split_once("[traffic]").unwrap();
        let program: String = program
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") => rest.to_string(),
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let uncommented = format!("{head}[program]{program}\n[traffic]{tail}");
        assert!(uncommented.contains("\npayout_fee = "), "{uncommented}");
        let as_given = affcast::scenario::parse(&text, "starter.toml").unwrap();
        let spelled_out = affcast::scenario::parse(&uncommented, "uncommented.toml").unwrap();
        assert_eq!(
            format!("{:?}", as_given.program),
            format!("{:?}", spelled_out.program),
            "{preset}: the starter's commented values are the preset's own"
        );
    }
}

#[test]
fn link_volatility() {
    let links = |body: &str| format!("[links]\n{body}\n[[regions]]");
    rejects(
        "[[regions]]",
        &links("death_rate = 1.0"),
        &["links.death_rate", "1 is not below 1"],
    );
    rejects(
        "[[regions]]",
        &links("death_rate = { low = 0.1, high = 1.0 }"),
        &["links.death_rate", "high < 1"],
    );
    rejects(
        "[[regions]]",
        &links("refresh_every_months = 13"),
        &[
            "links.refresh_every_months",
            "13 is beyond the horizon of 12 months",
        ],
    );
    rejects(
        "[[regions]]",
        &links("refresh_every_months = -1"),
        &["links.refresh_every_months", "-1"],
    );
    rejects(
        "[[regions]]",
        &links("dead_link_conversion = 1.5"),
        &["links.dead_link_conversion", "1.5 is not a probability"],
    );
    rejects(
        "[[regions]]",
        &links("alive_at_start = -0.1"),
        &["links.alive_at_start", "-0.1"],
    );
    rejects(
        "[[regions]]",
        &links("refresh_cost = -5"),
        &["links.refresh_cost", "-5"],
    );
    rejects(
        "[[regions]]",
        &links("death_rates = 0.1"),
        &["links.death_rates", "unknown field", "`death_rate`"],
    );
    rejects(
        "commission_rate = 0.09",
        "commission_rate = 0.09\nlink_death_rate = 0.2",
        &[
            "categories[1].link_death_rate",
            "0.2 is set, but the scenario has no [links] section",
        ],
    );
    rejects(
        "commission_rate = 0.09",
        "commission_rate = 0.09\nlink_death_rate = 1\n[links]\ndeath_rate = 0.1",
        &["categories[1].link_death_rate", "1 is not below 1"],
    );
}
