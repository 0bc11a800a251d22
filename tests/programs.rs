//! Other programs' rules: when a commission locks (`lock`), checked in closed form.

use affcast::ledger::{Metric, TrialLedger};
use affcast::model::Lock;
use chrono::NaiveDate;

use crate::common;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn each_lock_rule_gives_the_day_its_terms_say() {
    let amazon = Lock::MonthEndPlusDays { days: 60 };
    // January ends on the 31st: 60 days later is 1 April (2027 is not a leap year).
    assert_eq!(amazon.day_of(date(2027, 1, 1)), Some(date(2027, 4, 1)));
    assert_eq!(amazon.day_of(date(2027, 1, 31)), Some(date(2027, 4, 1)));
    assert_eq!(amazon.day_of(date(2027, 2, 14)), Some(date(2027, 4, 29)));
    let cj = Lock::DayOfMonthAfter { day: 10, months: 1 };
    assert_eq!(cj.day_of(date(2027, 12, 31)), Some(date(2028, 1, 10)));
    let ebay = Lock::DayOfMonthAfter { day: 10, months: 2 };
    assert_eq!(ebay.day_of(date(2027, 1, 1)), Some(date(2027, 3, 10)));
    assert_eq!(ebay.day_of(date(2027, 1, 31)), Some(date(2027, 3, 10)));
    let awin = Lock::AfterDays { days: 30 };
    assert_eq!(awin.day_of(date(2027, 2, 15)), Some(date(2027, 3, 17)));
    assert_eq!(Lock::OnConfirmation.day_of(date(2027, 2, 15)), None);
}

/// A scenario whose clicks all fall in 1–28 January (the cookie is 3 days, so every order is
/// paid in January), paid out the day its money locks, without fees.
fn january_only(lock: &str, refund_rate: f64) -> String {
    format!(
        r#"name = "lock"
start = "2027-01"
months = 6
currency = "USD"

[simulation]
trials = 60
seed = 11

[program]
preset = "aliexpress-portals"
{lock}
settlement = "daily"
settlement_lag_days = 0
minimum_payout = 1.0
payout_fee = 0.0
payout_delay_days = 0

[traffic]
clicks_per_month = 30000

[[events]]
name = "quiet"
from = "01-29"
days = 337
traffic = 0.0

[[regions]]
name = "EU"
share = 1.0

[[categories]]
name = "phones"
share = 1.0
conversion_rate = 0.02
order_value = {{ median = 9.0, p90 = 28.0 }}
commission_rate = 0.09
cancel_rate = 0.0
refund_rate = {refund_rate}
"#
    )
}

/// `january_only` with more `[program]` lines, written to `dir`: its path.
fn january_with(dir: &tempfile::TempDir, refund_rate: f64, program: &str) -> std::path::PathBuf {
    let path = dir.path().join("january.toml");
    let text = january_only("", refund_rate).replace(
        "minimum_payout = 1.0",
        &format!("minimum_payout = 1.0\n{program}"),
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn ledgers(text: &str) -> Vec<TrialLedger> {
    common::run(&common::scenario(text))
}

#[test]
fn all_of_a_months_money_locks_on_one_day_sixty_days_after_its_end() {
    let text = january_only("lock = \"month_end_plus_days\"\nlock_days = 60", 0.0);
    for l in ledgers(&text) {
        let earned = l.get(0, Metric::Earned);
        assert!(earned > 0);
        assert_eq!(
            l.get(1, Metric::Earned),
            0,
            "every order is paid in January"
        );
        // 31 January + 60 days = 1 April: all of it confirmed, credited and in the bank then,
        // nothing before or after.
        for m in 0..6 {
            let expected = if m == 3 { earned } else { 0 };
            assert_eq!(l.get(m, Metric::Confirmed), expected, "month {m}");
            assert_eq!(l.get(m, Metric::Cash), expected, "month {m}");
        }
        assert_eq!(
            l.get(2, Metric::PendingEnd),
            earned,
            "pending until it locks"
        );
    }
}

#[test]
fn a_refund_before_the_lock_reverses_and_none_is_booked_after_it() {
    let text = january_only("lock = \"month_end_plus_days\"\nlock_days = 60", 0.3);
    let all = ledgers(&text);
    let mut reversed_any = false;
    for l in &all {
        let earned = l.get(0, Metric::Earned);
        let reversed: i64 = (0..6).map(|m| l.get(m, Metric::Reversed)).sum();
        reversed_any |= reversed > 0;
        // Every order either reversed before 1 April or confirmed on it.
        assert_eq!(l.get(3, Metric::Confirmed) + reversed, earned);
        for m in 3..6 {
            assert_eq!(
                l.get(m, Metric::Reversed),
                0,
                "a refund after the lock is not booked"
            );
        }
        assert_eq!(l.get(5, Metric::PendingEnd), 0);
    }
    assert!(reversed_any);
}

#[test]
fn a_lock_on_the_tenth_of_the_month_after_next_pays_then() {
    let text = january_only(
        "lock = \"day_of_month_after\"\nlock_day = 10\nlock_months = 2",
        0.0,
    );
    for l in ledgers(&text) {
        let earned = l.get(0, Metric::Earned);
        for m in 0..6 {
            let expected = if m == 2 { earned } else { 0 };
            assert_eq!(l.get(m, Metric::Confirmed), expected, "month {m}");
            assert_eq!(l.get(m, Metric::Cash), expected, "month {m}");
        }
    }
}

#[test]
fn a_lock_some_days_after_payment_follows_each_orders_own_day() {
    // Paid 1–31 January, locked 40 days later: 10 February to 12 March.
    let text = january_only("lock = \"after_days\"\nlock_days = 40", 0.0);
    let all = ledgers(&text);
    for l in &all {
        let earned = l.get(0, Metric::Earned);
        assert_eq!(l.get(0, Metric::Confirmed), 0);
        assert_eq!(
            l.get(1, Metric::Confirmed) + l.get(2, Metric::Confirmed),
            earned
        );
        assert_eq!(l.get(3, Metric::Confirmed), 0);
    }
    // Clicks stop on 28 January, so most orders lock in February; a few (paid 29–31 January
    // or on 1 January's late side) in March.
    let feb: i64 = all.iter().map(|l| l.get(1, Metric::Confirmed)).sum();
    let mar: i64 = all.iter().map(|l| l.get(2, Metric::Confirmed)).sum();
    assert!(feb > 0 && mar > 0 && feb > mar, "{feb} {mar}");
}

#[test]
fn a_lock_rule_is_checked_and_its_keys_only_apply_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "lock = \"month_end_plus_days\"",
            "program.lock_days: is missing",
        ),
        (
            "lock = \"after_dayz\"\nlock_days = 3",
            "program.lock: \"after_dayz\"",
        ),
        (
            "lock = \"day_of_month_after\"\nlock_day = 10\nlock_days = 3",
            "program.lock_days: applies to lock = \"month_end_plus_days\" or \"after_days\" only",
        ),
        (
            "lock_day = 10",
            "program.lock_day: applies to lock = \"day_of_month_after\" only",
        ),
        (
            "lock = \"day_of_month_after\"\nlock_day = 31",
            "program.lock_day",
        ),
    ];
    for (lines, said) in cases {
        let path = dir.path().join("s.toml");
        std::fs::write(&path, january_only(lines, 0.0)).unwrap();
        let out = common::affcast()
            .arg("forecast")
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{lines}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(said) && err.contains("s.toml"),
            "{lines}: {err}"
        );
    }
}

#[test]
fn an_export_pipeline_is_refused_under_another_lock_or_earning_at_shipment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    for (lines, said) in [
        (
            "lock = \"month_end_plus_days\"\nlock_days = 60",
            ["program.lock = \"month_end_plus_days\"", "on_confirmation"],
        ),
        (
            "earned_at = \"shipment\"",
            [
                "program.earned_at = \"shipment\"",
                "earned_at = \"payment\"",
            ],
        ),
    ] {
        std::fs::write(&path, january_only(lines, 0.0)).unwrap();
        let out = common::affcast()
            .arg("forecast")
            .arg(&path)
            .arg("--pipeline")
            .arg("tests/fixtures/aliexpress-orders.csv")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(said.iter().all(|s| err.contains(s)), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn through_the_binary_the_months_money_lands_in_april() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(
        &path,
        january_only("lock = \"month_end_plus_days\"\nlock_days = 60", 0.0),
    )
    .unwrap();
    let json = common::succeed_json(common::affcast().arg("forecast").arg(&path));
    let monthly = json["monthly"].as_array().unwrap();
    // Each trial's April confirmations are its January earnings, so their bands agree.
    for q in ["mean", "p10", "p50", "p90"] {
        assert_eq!(monthly[3]["confirmed"][q], monthly[0]["earned"][q], "{q}");
        assert_eq!(monthly[3]["cash"][q], monthly[0]["earned"][q], "{q}");
        assert_eq!(monthly[2]["confirmed"][q], 0.0, "{q}");
    }
}

/// Files under lock rules, one differing from another in what becomes of orders (refunds)
/// and one in the rule itself, compared side by side: every figure is the one a forecast of
/// that file gives alone (the rule is applied to each order's fate under each file).
#[test]
fn files_under_lock_rules_compare_exactly_as_alone() {
    let base = crate::decisions::TWO_RATES.replace("trials = 300", "trials = 120");
    let refunds = base.replacen(
        "commission_rate = 0.03",
        "commission_rate = 0.03\nrefund_rate = 0.2\ncancel_rate = 0.1",
        1,
    );
    let amazon = "\n[program]\nlock = \"month_end_plus_days\"\nlock_days = 60\n\
                  settlement = \"daily\"\nsettlement_lag_days = 0\n";
    let cj = "\n[program]\nlock = \"day_of_month_after\"\nlock_day = 10\n";
    let debits = format!("{amazon}returns_after_payment = \"debit_next\"\n");
    let shipped = format!("{debits}earned_at = \"shipment\"\n");
    let parse = |text: &str| affcast::scenario::parse(text, "lock.toml").unwrap();
    let (a, b) = (
        parse(&format!("{base}{amazon}")),
        parse(&format!("{refunds}{amazon}")),
    );
    assert!(a.same_but_worth_and_fates(&b));
    assert!(!a.same_orders(&parse(&format!("{base}{cj}"))));
    crate::decisions::compared_exactly_as_alone(&[
        ("portals.toml", &base),
        ("amazon.toml", &format!("{base}{amazon}")),
        ("amazon-refunds.toml", &format!("{refunds}{amazon}")),
        ("cj.toml", &format!("{base}{cj}")),
        ("cj-refunds.toml", &format!("{refunds}{cj}")),
        ("amazon-debits.toml", &format!("{base}{debits}")),
        ("amazon-debits-refunds.toml", &format!("{refunds}{debits}")),
        // Earned at shipment, each order's lanes compacted: alone, beside another rate (the
        // same buyers valued twice) and with refunds (followed apart).
        ("shipped.toml", &format!("{refunds}{shipped}")),
        (
            "shipped-rates.toml",
            &format!("{refunds}{shipped}")
                .replace("commission_rate = 0.09", "commission_rate = 0.05"),
        ),
        ("shipped-no-refunds.toml", &format!("{base}{shipped}")),
    ]);
}

#[test]
fn a_cookie_of_hours_is_the_cookie_of_as_many_twenty_fourths_of_days() {
    let dir = tempfile::tempdir().unwrap();
    let run = |program: &str| {
        let path = january_with(&dir, 0.1, program);
        common::succeed(common::affcast().arg("forecast").arg(&path))
    };
    assert_eq!(run("cookie_hours = 24"), run("cookie_days = 1"));
    assert_eq!(
        run("cookie_hours = { low = 12, high = 48 }"),
        run("cookie_days = { low = 0.5, high = 2 }")
    );
    // It replaces cookie_days, and a shorter cookie loses orders.
    assert_eq!(
        run("cookie_hours = 72\ncookie_days = 30"),
        run("cookie_days = 3")
    );
    assert_ne!(run("cookie_hours = 24"), run("cookie_days = 3"));
}

const PROGRAM_PRESETS: [&str; 8] = [
    "amazon-associates-us",
    "amazon-associates-uk",
    "ebay-partner-network",
    "banggood",
    "aliexpress-epn",
    "awin",
    "cj",
    "impact",
];

#[test]
fn each_programs_starter_says_where_each_term_comes_from_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    for preset in PROGRAM_PRESETS {
        let text = String::from_utf8(common::succeed(
            common::affcast().args(["init", "--preset", preset]),
        ))
        .unwrap();
        assert!(text.contains(&format!("preset = \"{preset}\"")), "{preset}");
        let terms = affcast::scenario::programs::terms_of(
            affcast::model::Preset::from_name(preset).unwrap(),
        )
        .unwrap();
        for t in terms.terms {
            // The key's line, then the line saying how sure its value is.
            let line = text
                .lines()
                .position(|l| l.starts_with(&format!("# {} = ", t.key)))
                .unwrap_or_else(|| panic!("{preset}: {} not written", t.key));
            let said = text.lines().nth(line + 1).unwrap();
            assert!(
                said.contains(t.confidence.label()) && said.contains(t.source),
                "{said}"
            );
            assert_eq!(
                said.contains("an assumption"),
                t.confidence.is_assumption(),
                "{preset}.{}: {said}",
                t.key
            );
        }
        assert!(text.contains(&format!("currency = \"{}\"", terms.currency)));
        // A preset with payout methods writes them as tables, each with how sure it is, and
        // not the one method's keys; uncommented, they are the preset's own, to the byte.
        for m in terms.methods {
            let line = text
                .lines()
                .position(|l| l == format!("# name = \"{}\"", m.name))
                .unwrap_or_else(|| panic!("{preset}: method {} not written", m.name));
            let said = text
                .lines()
                .skip(line)
                .find(|l| l.starts_with("#   "))
                .unwrap();
            assert!(
                said.contains(m.confidence.label()) && said.contains(m.source),
                "{said}"
            );
        }
        assert_eq!(
            text.contains("# minimum_payout = "),
            terms.methods.is_empty(),
            "{preset}"
        );
        let forecast = |name: &str, text: &str| {
            let path = dir.path().join(format!("{name}.toml"));
            std::fs::write(&path, text.replace("trials = 2000", "trials = 40")).unwrap();
            let out = common::affcast()
                .arg("forecast")
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let alone = forecast(preset, &text);
        if !terms.methods.is_empty() {
            let mut in_methods = false;
            let listed: Vec<&str> = text
                .lines()
                .map(|l| {
                    in_methods |= l == "# [[payout_methods]]";
                    in_methods &= !l.is_empty();
                    match l.strip_prefix("# ") {
                        Some(key) if in_methods && !l.starts_with("#   ") => key,
                        _ => l,
                    }
                })
                .collect();
            let listed = listed.join("\n");
            assert!(listed.contains("\n[[payout_methods]]\n"), "{listed}");
            assert_eq!(
                forecast(&format!("{preset}-listed"), &listed),
                alone,
                "{preset}"
            );
        }
    }
}

/// `january_only` under a preset, its program keys left to the preset.
fn january_under(preset: &str) -> String {
    let text = january_only("", 0.0);
    let start = text.find("[program]").unwrap();
    let end = text.find("[traffic]").unwrap();
    format!(
        "{}[program]\npreset = \"{preset}\"\n\n{}",
        &text[..start],
        &text[end..]
    )
}

#[test]
fn under_amazons_preset_a_months_money_is_paid_once_sixty_days_after_its_end() {
    for l in ledgers(&january_under("amazon-associates-us")) {
        // Earned when shipped: January's orders ship in January or February (a rare slow
        // one in March), and each month's money locks 60 days after its end: January's on 1
        // April, February's on 29 April, March's on 30 May.
        let earned = |m| l.get(m, Metric::Earned);
        assert!(earned(0) > 0 && earned(1) > 0);
        let expected = [0, 0, 0, earned(0) + earned(1), earned(2), earned(3)];
        for (m, expected) in expected.into_iter().enumerate() {
            assert_eq!(l.get(m, Metric::Confirmed), expected, "month {m}");
        }
    }
}

#[test]
fn under_ebays_preset_januarys_money_locks_on_the_tenth_of_march() {
    for l in ledgers(&january_under("ebay-partner-network")) {
        let earned = l.get(0, Metric::Earned);
        for m in 0..6 {
            let expected = if m == 2 { earned } else { 0 };
            assert_eq!(l.get(m, Metric::Confirmed), expected, "month {m}");
        }
    }
}

#[test]
fn a_preset_in_pounds_warns_a_scenario_in_dollars() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("uk.toml");
    std::fs::write(&path, january_under("amazon-associates-uk")).unwrap();
    let (_, err) = common::succeed_saying(common::affcast().arg("validate").arg(&path));
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("minimum_payout 25.00") && err.contains("where they are GBP"),
        "{err}"
    );
    std::fs::write(
        &path,
        january_under("amazon-associates-uk").replace("currency = \"USD\"", "currency = \"GBP\""),
    )
    .unwrap();
    let (_, err) = common::succeed_saying(common::affcast().arg("validate").arg(&path));
    assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
}

/// `compare --programs`: the default site under Portals and under Amazon (US) with its home
/// and garden placed on Amazon's lawn-and-garden rate is, figure for figure, the default
/// scenario and the hand-written Amazon example forecast alone.
#[test]
fn the_site_under_each_program_is_the_scenario_written_for_that_program() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "[amazon-associates-us]\nhome-garden = \"lawn-garden\"\n",
    )
    .unwrap();
    let compared = common::succeed_json(
        common::affcast()
            .args(["compare", "--trials", "300", "--programs"])
            .arg("aliexpress-portals,amazon-associates-us")
            .arg("--category-map")
            .arg(&map)
            .arg("scenarios/default.toml"),
    );
    let variants = compared["variants"].as_array().unwrap();
    for (k, (name, file)) in [
        ("aliexpress-portals", "scenarios/default.toml"),
        (
            "amazon-associates-us",
            "scenarios/phone-accessories-amazon-us.toml",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(variants[k]["name"], name);
        let alone =
            common::succeed_json(common::affcast().args(["forecast", "--trials", "300", file]));
        crate::decisions::same_summary(&variants[k], &alone, name);
    }
}

#[test]
fn compare_programs_refuses_what_it_cannot_place_naming_where() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.toml");
    let cases: [(&str, &str, &[&str]); 6] = [
        (
            "aliexpress-portals,nozon",
            "",
            &["--programs: \"nozon\" is not a program preset"],
        ),
        ("aliexpress-portals", "", &["name two programs or more"]),
        (
            "aliexpress-portals,ebay-partner-network",
            "",
            &[
                "scenarios/default.toml: categories.phone-accessories: cannot be placed under ebay-partner-network",
                "auto-parts",
            ],
        ),
        (
            "aliexpress-portals,awin",
            "[awin]\nphone-accessories = 0.05\n",
            &[
                "categories.home-garden: cannot be placed under awin",
                "no rate table",
            ],
        ),
        (
            "aliexpress-portals,amazon-associates-us",
            "[amazon-associates-us]\nhome-garden = \"gardening\"\n",
            &[
                "map.toml: amazon-associates-us.home-garden = \"gardening\"",
                "lawn-garden",
            ],
        ),
        (
            "aliexpress-portals,cj",
            "[cj]\nphone-accessories = 5\nhome-garden = 0.05\n",
            &["map.toml: cj.phone-accessories: 5 is not a commission rate"],
        ),
    ];
    for (programs, map_text, said) in cases {
        std::fs::write(&map, map_text).unwrap();
        let mut cmd = common::affcast();
        cmd.args(["compare", "--trials", "20", "--programs", programs]);
        if !map_text.is_empty() {
            cmd.arg("--category-map").arg(&map);
        }
        let out = cmd.arg("scenarios/default.toml").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{programs}");
        let err = String::from_utf8_lossy(&out.stderr);
        for s in said {
            assert!(err.contains(s), "{programs}: {s}: {err}");
        }
        assert!(out.stdout.is_empty());
    }
    // Amounts are never converted: a program counting in pounds against a site in dollars.
    let out = common::affcast()
        .args([
            "compare",
            "--programs",
            "aliexpress-portals,amazon-associates-uk",
        ])
        .arg("scenarios/default.toml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("amazon-associates-uk counts its minimum and fees in GBP")
    );
}

/// Every sale on 1 January (clicks only that day, every buyer buying at once): under Amazon's
/// rules each cent locks on 1 April (day 90) and reaches the bank 5 days later; under eBay's
/// on 10 March (day 68), 5 days later. Days from sale to bank are exactly those.
#[test]
fn days_from_sale_to_bank_are_the_programs_own_dates() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    let text = january_only("", 0.0)
        .replace(
            "from = \"01-29\"\ndays = 337",
            "from = \"01-02\"\ndays = 364",
        )
        .replace("clicks_per_month = 30000", "clicks_per_month = 62000")
        .replace("[program]\n", "[program]\nsame_session_share = 1.0\n");
    std::fs::write(&site, text).unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "[amazon-associates-us]\nphones = 0.04\n[ebay-partner-network]\nphones = 0.03\n",
    )
    .unwrap();
    let json = common::succeed_json(
        common::affcast()
            .args(["compare", "--programs"])
            .arg("aliexpress-portals,amazon-associates-us,ebay-partner-network")
            .arg("--category-map")
            .arg(&map)
            .arg(&site),
    );
    let v = json["variants"].as_array().unwrap();
    for (k, days) in [(1, 95.0), (2, 73.0)] {
        for q in ["mean", "p10", "p50", "p90"] {
            assert_eq!(
                v[k]["summary"]["days_to_bank"][q], days,
                "{} {q}",
                v[k]["name"]
            );
        }
    }
    // AliExpress pays by the buyers' confirmations: spread, and after the 25th settlement.
    let portals = v[0]["summary"]["days_to_bank"]["mean"].as_f64().unwrap();
    assert!(portals > 30.0 && portals < 120.0, "{portals}");
}

/// `affcast programs`: the review's own figures for AliExpress, a scores file's for another
/// program, and the forecast's figures exactly those `compare --programs` gives.
#[test]
fn the_scorecard_is_the_reviews_arithmetic_beside_the_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let scores = dir.path().join("scores.toml");
    std::fs::write(
        &scores,
        "[amazon-associates-us]\ntrustpilot_stars = 4.0\ninternal = 7.0\n\
         commission = 4\ncookie = 2\npayout = 7\ntransparency = 8\ntrust = 8\n\
         product = 9\nease = 8\ncompetition = 2\nsupport = 6\n",
    )
    .unwrap();
    let programs = "aliexpress-portals,amazon-associates-us";
    let view = common::succeed_json(
        common::affcast()
            .args([
                "programs",
                "--trials",
                "200",
                "--programs",
                programs,
                "--scores",
            ])
            .arg(&scores)
            .arg("scenarios/default.toml"),
    );
    let p = view["programs"].as_array().unwrap();
    // The review: (2.2 × 2 × 0.7) + (6.8 × 0.3) = 5.12 → 5.2; its weighted criteria 5.49 → 5.5.
    assert_eq!(p[0]["scorecard"]["score"], 5.2);
    assert_eq!(p[0]["scorecard"]["weighted"], 5.5);
    // 4.0 × 2 × 0.7 + 7.0 × 0.3 = 7.7; 0.8+0.1+1.4+0.8+1.6+0.9+0.56+0.06+0.3 = 6.52 → 6.6.
    assert_eq!(p[1]["scorecard"]["score"], 7.7);
    assert_eq!(p[1]["scorecard"]["weighted"], 6.6);
    // What each program's figures take as assumptions: none for AliExpress's own rules; for
    // Amazon its assumed terms and methods, each with its source, and the 2ND rate table's
    // "other" row that places both of the site's categories.
    let assumed = |k: usize| -> Vec<String> {
        p[k]["assumed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    };
    assert!(assumed(0).is_empty());
    let amazon = assumed(1);
    let terms = affcast::scenario::programs::terms_of(affcast::model::Preset::AmazonUs).unwrap();
    for t in terms.terms {
        let said = amazon
            .iter()
            .any(|a| a.starts_with(&format!("{} = ", t.key)) && a.contains(t.source));
        assert_eq!(said, t.confidence.is_assumption(), "{}: {amazon:?}", t.key);
    }
    for category in ["phone-accessories", "home-garden"] {
        let line = format!("{category}: 0.04 from the table's \"other\" (2ND: ");
        assert!(
            amazon.iter().any(|a| a.starts_with(&line)),
            "{line}: {amazon:?}"
        );
    }
    assert!(
        amazon
            .iter()
            .any(|a| a.starts_with("payout method \"check\" (ASSUMED: minimum $100"))
    );
    let compared = common::succeed_json(common::affcast().args([
        "compare",
        "--trials",
        "200",
        "--programs",
        programs,
        "scenarios/default.toml",
    ]));
    for k in 0..2 {
        for f in ["days_to_bank", "reversal_rate", "run_rate_cash"] {
            assert_eq!(
                p[k]["forecast"][f], compared["variants"][k]["summary"][f],
                "{k} {f}"
            );
        }
        let cash = p[k]["forecast"]["cash_per_1000_clicks"]["mean"]
            .as_f64()
            .unwrap();
        assert!(cash > 0.0);
    }
    // Portals pays 9% and 7% where Amazon pays 4%: more cash per click.
    assert!(
        p[0]["forecast"]["cash_per_1000_clicks"]["p50"].as_f64()
            > p[1]["forecast"]["cash_per_1000_clicks"]["p50"].as_f64()
    );
}

#[test]
fn programs_leaves_out_what_it_cannot_place_and_refuses_bad_scores() {
    let view = common::succeed_json(common::affcast().args([
        "programs",
        "--trials",
        "30",
        "scenarios/default.toml",
    ]));
    let shown: Vec<&str> = view["programs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        shown[0], "aliexpress-portals",
        "the scenario's own program first"
    );
    assert!(shown.contains(&"amazon-associates-us") && !shown.contains(&"awin"));
    let skipped = view["skipped"].as_array().unwrap();
    assert!(skipped.iter().any(|s| {
        s["name"] == "awin"
            && s["why"]
                .as_str()
                .unwrap()
                .contains("categories.phone-accessories")
    }));
    let dir = tempfile::tempdir().unwrap();
    let scores = dir.path().join("scores.toml");
    for (text, said) in [
        (
            "[cj]\nfriendliness = 3\n",
            "scores.toml: cj.friendliness: unknown criterion",
        ),
        (
            "[cj]\ntrustpilot_stars = 7\n",
            "scores.toml: cj.trustpilot_stars: 7 is not a number in 1..=5",
        ),
        (
            "[weights]\npayout = 2\n",
            "scores.toml: weights.payout: 2 is not a number in 0..=1",
        ),
    ] {
        std::fs::write(&scores, text).unwrap();
        let out = common::affcast()
            .args(["programs", "--scores"])
            .arg(&scores)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(said),
            "{said}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Amazon's cart extension: when every later buyer carts the item inside the cookie and the
/// extension outlasts every purchase delay, no purchase is lost to the cookie; when none
/// does, the forecast is the one without an extension, byte for byte.
#[test]
fn a_cart_extension_keeps_the_buyers_who_carted() {
    let dir = tempfile::tempdir().unwrap();
    let run = |program: &str| {
        let program = format!("cookie_hours = 1\noverwrite_rate = 0\n{program}");
        let path = january_with(&dir, 0.0, &program);
        common::succeed_json(common::affcast().arg("forecast").arg(&path))
    };
    let clicks = |j: &serde_json::Value| j["summary"]["total_clicks"].clone();
    let none = run("");
    let all = run("cart_extension_days = 3650\ncart_share = 1.0");
    let half = run("cart_extension_days = 3650\ncart_share = 0.5");
    let orders_lost = |j: &serde_json::Value| -> f64 {
        j["monthly"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["orders_lost"]["mean"].as_f64().unwrap())
            .sum()
    };
    assert_eq!(clicks(&none), clicks(&all), "the same clicks");
    assert!(orders_lost(&none) > 100.0, "{}", orders_lost(&none));
    assert_eq!(orders_lost(&all), 0.0);
    // Half of the buyers past the cookie cart first: about half of them are lost. The two
    // runs' lost purchases over the 60 trials, h and n, are counts (the coins move the later
    // draws, so not one the thinning of the other): the ratio's standard error is
    // h/n·√(1/h + 1/n).
    let (h, n) = (orders_lost(&half) * 60.0, orders_lost(&none) * 60.0);
    let share = h / n;
    let se = share * (1.0 / h + 1.0 / n).sqrt();
    assert!((share - 0.5).abs() < 4.0 * se, "{share} ± {se}");
    assert_eq!(
        run("cart_extension_days = 30"),
        none,
        "no buyer carts: nothing changes"
    );
}

/// `returns_after_payment = "debit_next"`: January's money is all paid on 1 April; refunds
/// after it are debited from later earnings, month by month, and the balance owes them
/// (no more cash comes, and none is taken back from the bank).
#[test]
fn a_refund_after_the_lock_is_debited_from_later_earnings() {
    let text = january_only(
        "lock = \"month_end_plus_days\"\nlock_days = 60\nreturns_after_payment = \"debit_next\"\n\
         refund_delay_days = { median = 100, p90 = 110 }",
        0.3,
    );
    let all = ledgers(&text);
    let mut debited = 0;
    for l in &all {
        let earned = l.get(0, Metric::Earned);
        let confirmed: i64 = (0..6).map(|m| l.get(m, Metric::Confirmed)).sum();
        let reversed: i64 = (0..6).map(|m| l.get(m, Metric::Reversed)).sum();
        assert_eq!(confirmed + reversed, earned);
        // After April nothing locks: each month's confirmations are its debits, negative.
        for m in 4..6 {
            assert_eq!(
                l.get(m, Metric::Confirmed),
                -l.get(m, Metric::Reversed),
                "month {m}"
            );
            debited += l.get(m, Metric::Reversed);
        }
        // Everything not refunded by 31 March locks and is paid on 1 April; April's own
        // refunds come after the lock, so April nets them.
        let cash: i64 = (0..6).map(|m| l.get(m, Metric::Cash)).sum();
        let before: i64 = (0..3).map(|m| l.get(m, Metric::Reversed)).sum();
        assert_eq!(cash, earned - before, "paid once, on 1 April");
        assert_eq!(
            l.get(3, Metric::Confirmed),
            cash - l.get(3, Metric::Reversed)
        );
        assert_eq!(
            l.get(5, Metric::BalanceEnd),
            confirmed - cash,
            "the balance owes the debits"
        );
        assert!(l.get(5, Metric::BalanceEnd) <= 0);
    }
    assert!(debited > 0);
    // Without it, the same refunds after the lock leave the money paid.
    for l in ledgers(&text.replace("returns_after_payment = \"debit_next\"", "")) {
        assert_eq!(l.get(4, Metric::Reversed) + l.get(5, Metric::Reversed), 0);
    }
}

#[test]
fn amazons_starter_says_the_cart_share_is_yours_to_set() {
    let text = String::from_utf8(common::succeed(common::affcast().args([
        "init",
        "--preset",
        "amazon-associates-us",
    ])))
    .unwrap();
    let yours = text.find("# Yours to set").expect("the heading");
    assert!(
        text[yours..].lines().nth(1).unwrap().contains("cart_share"),
        "{text}"
    );
    let banggood = String::from_utf8(common::succeed(
        common::affcast().args(["init", "--preset", "banggood"]),
    ))
    .unwrap();
    assert!(!banggood.contains("# Yours to set"));
}

/// Clicks on 1–15 January only, every buyer paying at once, every item shipped 40 days after
/// payment (10–24 February, a constant: no fate is tabled either way, so both ways of earning
/// draw the same orders), 30% cancelled before shipment; `program` adds its lines.
fn shipped_in_february(program: &str) -> String {
    january_only(
        &format!("same_session_share = 1.0\nprocessing_days = 40\n{program}"),
        0.0,
    )
    .replace(
        "from = \"01-29\"\ndays = 337",
        "from = \"01-16\"\ndays = 350",
    )
    .replace("cancel_rate = 0.0", "cancel_rate = 0.3")
}

#[test]
fn earned_at_shipment_books_each_order_on_its_day_of_shipment_and_never_a_cancelled_one() {
    let pay = ledgers(&shipped_in_february("earned_at = \"payment\""));
    let ship = ledgers(&shipped_in_february(
        "earned_at = \"shipment\"\nlock = \"day_of_month_after\"\nlock_day = 10",
    ));
    let total = |l: &TrialLedger, m: Metric| (0..6).map(|k| l.get(k, m)).sum::<i64>();
    for (p, s) in pay.iter().zip(&ship) {
        let earned = total(p, Metric::Earned);
        let cancelled = total(p, Metric::Reversed);
        assert!(cancelled > 0 && earned > cancelled);
        assert_eq!(p.get(0, Metric::Earned), earned, "paid in January");
        // The same orders, each earned on its day of shipment in February; those cancelled
        // before shipment (all the payment-earned reversals here) never earned.
        assert_eq!(s.get(0, Metric::Earned), 0);
        assert_eq!(s.get(1, Metric::Earned), earned - cancelled);
        assert_eq!(
            total(s, Metric::Orders),
            total(p, Metric::Orders) - total(p, Metric::OrdersReversed)
        );
        assert_eq!(total(s, Metric::Reversed), 0);
        // The lock counts from shipment: the 10th of March, every cent, and nothing else.
        for m in 0..6 {
            let expected = if m == 2 { earned - cancelled } else { 0 };
            assert_eq!(s.get(m, Metric::Confirmed), expected, "month {m}");
            assert_eq!(s.get(m, Metric::Cash), expected, "month {m}");
        }
    }
}

/// `january_only` under Amazon's lock, paid out by `methods` (`[[payout_methods]]` tables)
/// and `program` lines.
fn january_paid_by(program: &str, methods: &str) -> String {
    let text = january_only(
        &format!("lock = \"month_end_plus_days\"\nlock_days = 60\n{program}"),
        0.0,
    );
    let text = [
        "minimum_payout = 1.0\n",
        "payout_fee = 0.0\n",
        "payout_delay_days = 0\n",
    ]
    .into_iter()
    .fold(text, |t, line| t.replace(line, ""));
    format!("{text}\n{methods}").replace("clicks_per_month = 30000", "clicks_per_month = 60000")
}

#[test]
fn each_withdrawal_goes_by_the_cheapest_method_it_reaches_or_the_one_named() {
    let methods = |wire_minimum: f64| {
        format!(
            "[[payout_methods]]\nname = \"wire\"\nminimum = {wire_minimum}\nfee = 5.0\n\n\
             [[payout_methods]]\nname = \"paypal\"\nminimum = 1.0\nfee_percent = 2.0\nfee_cap = 10.0\ndays_to_bank = 40\n"
        )
    };
    let cheapest = ledgers(&january_paid_by("", &methods(1.0)));
    let named = ledgers(&january_paid_by(
        "payout_method = \"paypal\"",
        &methods(1.0),
    ));
    let out_of_reach = ledgers(&january_paid_by("", &methods(1e6)));
    for ((w, p), r) in cheapest.iter().zip(&named).zip(&out_of_reach) {
        // January's money, over 500.00 in every trial (2% of it is over PayPal's cap), locks
        // and is withdrawn on 1 April.
        let earned = w.get(0, Metric::Earned);
        assert!(earned > 50_000, "{earned}");
        assert_eq!(w.get(3, Metric::Withdrawn), earned);
        // Wire costs 5.00 against PayPal's 2% capped at 10.00, and arrives the same day.
        assert_eq!(w.get(3, Metric::Fees), 500);
        assert_eq!(w.get(3, Metric::Cash), earned - 500);
        // Named, PayPal is used whatever it costs: 10.00, and 40 days later (11 May).
        for l in [p, r] {
            assert_eq!(l.get(3, Metric::Fees), 1000);
            assert_eq!(l.get(3, Metric::Cash), 0);
            assert_eq!(l.get(3, Metric::InTransitEnd), earned - 1000);
            assert_eq!(l.get(4, Metric::Cash), earned - 1000);
        }
    }
}

#[test]
fn payout_methods_are_checked_naming_the_method_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.toml");
    let method = "[[payout_methods]]\nname = \"wire\"\nminimum = 10.0\n";
    for (program, methods, said) in [
        (
            "payout_method = \"check\"",
            method.to_string(),
            "program.payout_method: \"check\" is not one of the payout methods: the methods are \"wire\"",
        ),
        (
            "payout_fee = 2.0",
            method.to_string(),
            "program.payout_fee: is set per method when the file lists [[payout_methods]]",
        ),
        (
            "",
            format!("{method}fee_percent = 101\n"),
            "payout_methods[0].fee_percent: 101 is not a percentage (0..=100)",
        ),
        (
            "",
            format!("{method}{method}"),
            "payout_methods[1].name: \"wire\" is listed twice",
        ),
        (
            "",
            "[[payout_methods]]\nname = \"wire\"\nfees = 1.0\n".to_string(),
            "payout_methods[0].fees: unknown field `fees`",
        ),
        (
            "",
            "[[payout_methods]]\nname = \"wire\"\n".to_string(),
            "payout_methods[0].minimum: is missing (required)",
        ),
    ] {
        std::fs::write(&path, january_paid_by(program, &methods)).unwrap();
        refused_naming(&path, said);
    }
}

/// `january_only` whose category has `category` lines and the program `program` lines.
fn january_buyers(program: &str, category: &str) -> String {
    january_only(program, 0.0).replace(
        "commission_rate = 0.09\n",
        &format!("commission_rate = 0.09\n{category}"),
    )
}

#[test]
fn only_new_customers_earn_their_commission_and_the_install_amount() {
    // Every buyer new: exactly the category's new-buyer bonus of the same amount, draw for
    // draw.
    let all_new = ledgers(&january_buyers(
        "new_customers_only = true\nnew_customer_share = 1.0\nper_install = 5.0",
        "",
    ));
    let bonus = ledgers(&january_buyers(
        "",
        "new_buyer_share = 1.0\nnew_buyer_bonus = 5.0\n",
    ));
    assert_eq!(all_new, bonus);
    // Three in ten new, nothing but the install amount: earned is 5.00 per new customer.
    let installs = ledgers(
        &january_buyers(
            "new_customers_only = true\nnew_customer_share = 0.3\nper_install = 5.0",
            "",
        )
        .replace("commission_rate = 0.09", "commission_rate = 0.0"),
    );
    // Three in ten new, their commissions only: the same orders as everyone earning, a
    // share of their money near 0.3.
    let only = ledgers(&january_buyers(
        "new_customers_only = true\nnew_customer_share = 0.3",
        "",
    ));
    let every = ledgers(&january_buyers("", "new_buyer_share = 0.3\n"));
    let total = |l: &TrialLedger, m: Metric| (0..6).map(|k| l.get(k, m)).sum::<i64>();
    let mut shares = Vec::new();
    for ((i, o), e) in installs.iter().zip(&only).zip(&every) {
        let (earned, orders) = (total(i, Metric::Earned), total(i, Metric::Orders));
        assert_eq!(earned % 500, 0, "{earned}");
        assert!(earned > 0 && earned < 500 * orders);
        assert_eq!(total(o, Metric::Orders), total(e, Metric::Orders));
        assert_eq!(total(o, Metric::Clicks), total(e, Metric::Clicks));
        shares.push(total(o, Metric::Earned) as f64 / total(e, Metric::Earned) as f64);
    }
    // Each trial's share of money kept, averaged: within four standard errors of 0.3.
    let n = shares.len() as f64;
    let mean = shares.iter().sum::<f64>() / n;
    let sd = (shares.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!((mean - 0.3).abs() < 4.0 * sd / n.sqrt(), "{mean} ± {sd}");
    assert!(sd > 0.0);
}

#[test]
fn new_customer_keys_are_checked_and_only_apply_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.toml");
    for (program, category, said) in [
        (
            "new_customers_only = true",
            "",
            "program.new_customer_share: is missing (required)",
        ),
        (
            "per_install = 5.0",
            "",
            "program.per_install: applies to new_customers_only = \"true\" only",
        ),
        (
            "new_customers_only = true\nnew_customer_share = 0.2",
            "new_buyer_share = 0.1\n",
            "categories[0].new_buyer_share: does not apply under program.new_customers_only = true",
        ),
        (
            "new_customers_only = \"maybe\"",
            "",
            "program.new_customers_only: \"maybe\" is not a new_customers_only",
        ),
    ] {
        std::fs::write(&path, january_buyers(program, category)).unwrap();
        refused_naming(&path, said);
    }
}

/// Two categories under Amazon's preset, `rates[k]` their `commission_rate` lines, after the
/// program's `table`.
fn kitchen_and_widgets(table: &str, rates: [&str; 2]) -> String {
    format!(
        "start = \"2027-01\"\nmonths = 3\n[simulation]\ntrials = 50\n\
         [program]\npreset = \"amazon-associates-us\"\n{table}\n\
         [traffic]\nclicks_per_month = 3000\n\
         [[categories]]\nname = \"kitchen\"\nshare = 0.5\nconversion_rate = 0.02\norder_value = 20\n{}\n\
         [[categories]]\nname = \"widgets\"\nshare = 0.5\nconversion_rate = 0.02\norder_value = 20\n{}\n",
        rates[0], rates[1]
    )
}

#[test]
fn a_category_without_a_rate_takes_the_programs_table_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let forecast = |name: &str, text: String| {
        let path = dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        common::succeed(common::affcast().arg("forecast").arg(&path))
    };
    let explicit = |rates| forecast("explicit", kitchen_and_widgets("", rates));
    // Amazon's table: kitchen 4.5%; widgets, not in it, its "other" 4%.
    assert_eq!(
        forecast("preset", kitchen_and_widgets("", ["", ""])),
        explicit(["commission_rate = 0.045", "commission_rate = 0.04"])
    );
    // A table in the file adds to the preset's, or replaces a row of it.
    let table = "[[program.categories]]\nname = \"widgets\"\ncommission_rate = 0.07\n\n\
                 [[program.categories]]\nname = \"kitchen\"\ncommission_rate = 0.05\n";
    assert_eq!(
        forecast("table", kitchen_and_widgets(table, ["", ""])),
        explicit(["commission_rate = 0.05", "commission_rate = 0.07"])
    );
    // A category's own rate stays its own.
    assert_eq!(
        forecast(
            "own",
            kitchen_and_widgets(table, ["commission_rate = 0.01", ""])
        ),
        explicit(["commission_rate = 0.01", "commission_rate = 0.07"])
    );
    for (table, said) in [
        (
            "[[program.categories]]\nname = \"widgets\"\ncommission_rate = 1.5\n",
            "program.categories[0].commission_rate: 1.5 is not a probability (0..=1)",
        ),
        (
            "[[program.categories]]\ncommission_rate = 0.05\n",
            "program.categories[0].name: is missing (required)",
        ),
        (
            "[[program.categories]]\nname = \"widgets\"\nrate = 0.05\n",
            "program.categories[0].rate: unknown field `rate`",
        ),
        (
            "categories = 3\n",
            "program.categories: is not a list of tables",
        ),
    ] {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, kitchen_and_widgets(table, ["", ""])).unwrap();
        refused_naming(&path, said);
    }
}

/// `validate` of `path` exits 2 with `said` after the file's name.
fn refused_naming(path: &std::path::Path, said: &str) {
    let out = common::affcast()
        .arg("validate")
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{said}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}: {said}", path.display())),
        "{err}"
    );
}

#[test]
fn the_report_lists_the_payout_methods_with_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("amazon.html");
    common::succeed(
        common::affcast()
            .args(["report", "--trials", "50", "--output"])
            .arg(&out)
            .arg("scenarios/phone-accessories-amazon-us.toml"),
    );
    let html = std::fs::read_to_string(&out).unwrap();
    for row in [
        "payout_methods[0] direct deposit</td><td class=\"num\">from 10.00, fee 0.00, 5 days to the bank",
        "payout_methods[1] check</td><td class=\"num\">from 100.00, fee 15.00, 14 days to the bank",
    ] {
        let at = html.find(row).unwrap_or_else(|| panic!("{row}"));
        // Its origin follows in the row: the preset's, marked an assumption.
        let rest: String = html[at..].chars().take(400).collect();
        assert!(
            rest.contains("preset amazon-associates-us (ASSUMED)"),
            "{rest}"
        );
    }
}
