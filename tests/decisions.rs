//! compare, sensitivity and withdrawal advice: decisions on cases where the answer is known.

use affcast::advice;
use affcast::ledger::{DayFlows, PayoutOutcome};
use affcast::model::{Calendar, Settlement};
use chrono::NaiveDate;
use serde_json::Value;

use crate::common::{self, affcast};

fn json_of(args: &[&str]) -> Value {
    common::succeed_json(affcast().args(args).args(["--format", "json"]))
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Two categories alike in everything but the rate (9% vs 3%). Their conversion rates are
/// known numbers: as intervals they would be drawn apart in each trial, and in a world where
/// the 3% category converts much better it rightly wins.
pub(crate) const TWO_RATES: &str = r#"
name = "two rates"
start = "2027-01"
months = 12
[simulation]
trials = 300
seed = 3
[traffic]
clicks_per_month = { low = 10000, high = 20000 }
[[categories]]
name = "nine"
share = 0.5
conversion_rate = 0.01
order_value = { median = 10, p90 = 30 }
commission_rate = 0.09
[[categories]]
name = "three"
share = 0.5
conversion_rate = 0.01
order_value = { median = 10, p90 = 30 }
commission_rate = 0.03
[mixes]
more-nine = { nine = 0.8, three = 0.2 }
same = { nine = 0.5, three = 0.5 }
"#;

#[test]
fn a_mix_towards_the_higher_rate_beats_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "two.toml", TWO_RATES);
    let v = json_of(&["compare", &file]);
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 3);
    assert_eq!(variants[0]["name"], "base");
    let more = &variants[1];
    assert_eq!(more["name"], "more-nine");
    let p = more["p_beats_first"].as_f64().unwrap();
    assert!(p > 0.95, "P(more-nine beats base) = {p}");
    assert_eq!(v["objective"], "run_rate_cash");
    assert!(more["difference"]["mean"].as_f64().unwrap() > 0.0);
    let verdict = more["verdict"].as_str().unwrap();
    assert!(
        verdict.contains("more cash in the bank than base")
            && verdict.contains("the simulation's own noise")
            && verdict.contains("in 8 of 10 it lies between"),
        "{verdict}"
    );
    // The mix equal to the base is the base, trial by trial.
    let same = &variants[2];
    for q in ["mean", "p10", "p50", "p90"] {
        assert_eq!(same["difference"][q].as_f64(), Some(0.0));
    }
    assert_eq!(same["noise_se"].as_f64(), Some(0.0));
    assert!(
        same["verdict"]
            .as_str()
            .unwrap()
            .starts_with("identical to base in every simulated world")
    );

    let only = json_of(&["compare", &file, "--mix", "more-nine"]);
    assert_eq!(only["variants"].as_array().unwrap().len(), 2);
}

#[test]
fn identical_scenarios_differ_by_exactly_zero() {
    let file = common::scenario_files()
        .into_iter()
        .find(|f| f.ends_with("gadgets-1111-uncertain.toml"))
        .unwrap();
    let f = file.to_str().unwrap();
    let v = json_of(&["compare", f, f, "--trials", "50"]);
    let second = &v["variants"][1];
    assert_eq!(second["p_beats_first"].as_f64(), Some(0.5));
    for q in ["mean", "p10", "p50", "p90"] {
        assert_eq!(second["difference"][q].as_f64(), Some(0.0));
    }
}

/// The same site on Portals (15.00 per withdrawal, monthly settlement) and through Admitad
/// (no fixed fee, daily settlement): the same commission is confirmed, but not the same
/// money reaches the bank.
#[test]
fn programs_that_confirm_the_same_but_pay_differently_are_not_identical() {
    let dir = tempfile::tempdir().unwrap();
    let site = |preset: &str| {
        TWO_RATES
            .replace(
                "[traffic]",
                &format!("[program]\npreset = \"{preset}\"\n[traffic]"),
            )
            .replace("trials = 300", "trials = 100")
    };
    let portals = write(&dir, "portals.toml", &site("aliexpress-portals"));
    let admitad = write(&dir, "admitad.toml", &site("aliexpress-admitad"));
    let cash = json_of(&["compare", &portals, &admitad]);
    let second = &cash["variants"][1];
    assert!(
        second["difference"]["mean"].as_f64().unwrap() > 0.0,
        "{second}"
    );
    assert!(second["p_beats_first"].as_f64().unwrap() > 0.9, "{second}");
    assert!(
        !second["verdict"].as_str().unwrap().contains("identical"),
        "{second}"
    );
    // Judged on confirmed commission alone, they are the same site.
    let confirmed = json_of(&[
        "compare",
        &portals,
        &admitad,
        "--objective",
        "run_rate_confirmed",
    ]);
    assert_eq!(confirmed["objective"], "run_rate_confirmed");
    let second = &confirmed["variants"][1];
    assert_eq!(second["difference"]["mean"].as_f64(), Some(0.0));
    assert!(second["verdict"].as_str().unwrap().starts_with("identical"));
}

#[test]
fn sensitivity_on_cash_shows_fees_and_payout_timing_and_only_valid_swings() {
    let v = json_of(&["sensitivity", "--trials", "40"]);
    assert_eq!(v["objective"], "run_rate_cash");
    let base = v["base"]["run_rate_cash"].as_f64().unwrap();
    let input = |key: &str| {
        v["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["input"] == key)
            .unwrap_or_else(|| panic!("{key} is swung: {v}"))
            .clone()
    };
    // A higher fee leaves less cash.
    let fee = input("program.payout_fee");
    assert!(fee["at_high"].as_f64().unwrap() < base, "{fee}");
    assert!(fee["at_low"].as_f64().unwrap() > base, "{fee}");
    // Whole numbers move by whole steps: never two ends that round to the same value.
    let delay = input("program.payout_delay_days");
    assert_eq!(
        (delay["low"].as_f64(), delay["high"].as_f64()),
        (Some(4.0), Some(6.0))
    );
    // No swung end is one validation would refuse: withdraw_at stays at or above the
    // 16.00 minimum, and the fee stays below the 16.00 withdrawal.
    let withdraw = input("program.withdraw_at");
    assert!(withdraw["low"].as_f64().unwrap() >= 16.0, "{withdraw}");
    assert!(fee["high"].as_f64().unwrap() < 16.0, "{fee}");
}

#[test]
fn a_difference_inside_the_noise_is_called_noise() {
    // 3% vs 3.1%: too close to call with 60 trials.
    let text = TWO_RATES
        .replace("commission_rate = 0.09", "commission_rate = 0.031")
        .replace("trials = 300", "trials = 60")
        .replace(
            "more-nine = { nine = 0.8, three = 0.2 }",
            "more-nine = { nine = 0.6, three = 0.4 }",
        );
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "close.toml", &text);
    let v = json_of(&["compare", &file, "--mix", "more-nine"]);
    let verdict = v["variants"][1]["verdict"].as_str().unwrap();
    assert!(
        verdict.contains("that the simulation can tell from its own noise")
            && verdict.contains("trials would tell them apart"),
        "{verdict}"
    );
}

#[test]
fn compare_refuses_what_it_cannot_compare() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "two.toml", TWO_RATES);
    let out = affcast()
        .args(["compare", &file, "--mix", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--mix: \"nope\" is not a mix"));
    let other = write(
        &dir,
        "short.toml",
        &TWO_RATES.replace("months = 12", "months = 6"),
    );
    let out = affcast().args(["compare", &file, &other]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("same horizon"));
}

#[test]
fn sensitivity_ranks_the_dominant_input_first_and_a_useless_one_at_zero() {
    let text = r#"
name = "one category"
start = "2027-01"
months = 12
[traffic]
clicks_per_month = 20000
[[regions]]
name = "here"
share = 1.0
[[regions]]
name = "nowhere"
share = 0.0
shipping_days = { median = 30, p90 = 60 }
[[categories]]
name = "only"
share = 1.0
conversion_rate = { low = 0.004, high = 0.03 }
order_value = { median = 10, p90 = 30 }
commission_rate = 0.07
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "one.toml", text);
    let v = json_of(&["sensitivity", &file, "--trials", "60"]);
    let inputs = v["inputs"].as_array().unwrap();
    assert_eq!(inputs[0]["input"], "categories.only.conversion_rate");
    assert_eq!(inputs[0]["low"].as_f64(), Some(0.004));
    assert_eq!(inputs[0]["high"].as_f64(), Some(0.03));
    let base = v["base"]["run_rate_cash"].as_f64().unwrap();
    assert!(inputs[0]["at_low"].as_f64().unwrap() < base);
    assert!(inputs[0]["at_high"].as_f64().unwrap() > base);
    let nowhere = inputs
        .iter()
        .find(|r| r["input"] == "regions.nowhere.shipping_days")
        .expect("swung");
    assert_eq!(nowhere["at_low"].as_f64(), Some(base));
    assert_eq!(nowhere["at_high"].as_f64(), Some(base));
    assert!(
        v["not_swung"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "regions.nowhere.share")
    );
}

#[test]
fn withdrawal_advice_on_a_hand_computed_case() {
    // 20.00 confirmed every day of Jan–Mar 2027 (90 days), credited the same day, no transfer
    // delay, 15.00 per withdrawal. At 500.00 a withdrawal happens every 25 days: fees
    // 15 / 485 = 3.1% of the cash, and money waits 24, 23, …, 0 days: 12 on average. Every
    // lower threshold pays 15.00 on a smaller withdrawal: 250.00 → 15 / 245 = 6.1%.
    let sc = common::scenario(&common::simple(
        3,
        1,
        "",
        "clicks_per_month = 1",
        "conversion_rate = 0.01\norder_value = 10\ncommission_rate = 0.07",
    ));
    let mut program = sc.program.clone();
    program.settlement = Settlement::Daily { lag_days: 0 };
    program.payout_delay_days = 0;
    let cal = Calendar::new(
        NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        3,
        &[],
        &[1.0; 12],
    );
    let days: Vec<DayFlows> = (0..cal.days())
        .map(|_| DayFlows {
            orders: 1,
            earned: 2000,
            confirmed: 2000,
            orders_confirmed: 1,
            ..DayFlows::default()
        })
        .collect();
    let thresholds = advice::thresholds(&program);
    assert_eq!(thresholds, vec![1600, 5000, 10_000, 25_000, 50_000]);
    let outcomes = vec![
        thresholds
            .iter()
            .map(|&t| PayoutOutcome::replay(&days, &cal, &program, t, &mut Vec::new()))
            .collect::<Vec<_>>(),
    ];
    let a = advice::advise(&program, &thresholds, &outcomes);
    let at = |t: i64| a.rows.iter().find(|r| r.threshold == t).unwrap();
    assert_eq!(at(50_000).withdrawals, 3.0);
    assert!((at(50_000).fee_share - 15.0 / 485.0).abs() < 1e-12);
    assert!((at(50_000).days_to_cash - 12.0).abs() < 1e-12);
    assert!((at(25_000).fee_share - 15.0 / 245.0).abs() < 1e-12);
    assert!(
        (at(1600).fee_share - 3.0).abs() < 1e-12,
        "15.00 of every 20.00"
    );
    assert_eq!(at(1600).days_to_cash, 0.0);
    assert!(at(1600).current);
    assert_eq!(a.recommended.map(|i| a.rows[i].threshold), Some(50_000));
    let reason = affcast::i18n::in_english(|w| affcast::report::advice_reason(w, &a));
    assert!(reason.contains("withdraw_at = 500.00"), "{reason}");
}

#[test]
fn forecast_prints_the_advice_under_its_summary() {
    let out = affcast()
        .args(["forecast", "--trials", "30", "--format", "table"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let summary = text.find("Summary").unwrap();
    let advice = text.find("Withdrawal advice").expect("advice is shown");
    assert!(advice > summary);
    assert!(text.contains("Advice: withdraw_at = "));
    let v = json_of(&["forecast", "--trials", "30"]);
    let rows = v["withdrawal_advice"]["thresholds"].as_array().unwrap();
    let t: Vec<f64> = rows
        .iter()
        .map(|r| r["withdraw_at"].as_f64().unwrap())
        .collect();
    assert_eq!(t, vec![16.0, 50.0, 100.0, 250.0, 500.0]);
}

/// Asserts that each of `metrics` (name, rounding of its JSON value) has a mean in `shared`
/// within four standard errors of its mean in `alone`, `trials` trials each: the spread of
/// each from its band's p10–p90, as for a normal.
fn within_noise(shared: &Value, alone: &Value, trials: f64, metrics: &[(&str, f64)], what: &str) {
    let sd = |band: &Value| (band["p90"].as_f64().unwrap() - band["p10"].as_f64().unwrap()) / 2.563;
    for &(metric, rounding) in metrics {
        let (a, b) = (&shared[metric], &alone[metric]);
        let diff = a["mean"].as_f64().unwrap() - b["mean"].as_f64().unwrap();
        let se = ((sd(a).powi(2) + sd(b).powi(2)) / trials).sqrt();
        assert!(
            diff.abs() <= 4.0 * se + rounding,
            "{metric} of {what}: {a} shared, {b} alone (s.e. {se})"
        );
    }
}

/// A sweep keeps the base's own trials: the base is exactly a forecast of the file, an input
/// that changes what orders are worth or what becomes of them is exactly a forecast of the
/// file with that input at its end, and an input that changes how many buyers there are
/// (simulated with the other such inputs on shared buyers) lies within four standard errors
/// of its own forecast; the sweep does not depend on the thread count.
#[test]
fn a_sweep_keeps_the_bases_own_trials_and_each_inputs_figures() {
    let text = TWO_RATES
        .replace(
            "clicks_per_month = { low = 10000, high = 20000 }",
            "clicks_per_month = 15000",
        )
        .replace("trials = 300", "trials = 200");
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "sweep.toml", &text);
    let sweep = |threads: &str| json_of(&["sensitivity", &file, "--threads", threads]);
    let v = sweep("2");
    assert_eq!(v, sweep("1"), "the same sweep on two threads and on one");
    let cash = |forecast: &Value| forecast["summary"]["run_rate_cash"].clone();
    let mean = |forecast: &Value| cash(forecast)["mean"].as_f64().unwrap();
    assert_eq!(
        v["base"]["run_rate_cash"].as_f64(),
        Some(mean(&json_of(&["forecast", &file])))
    );
    let row = |key: &str| {
        let rows = v["inputs"].as_array().unwrap();
        rows.iter().find(|r| r["input"] == key).unwrap().clone()
    };
    let forecast_at = |name: &str, text: String| json_of(&["forecast", &write(&dir, name, &text)]);
    // Exactly as alone: a commission rate, the confirmation share.
    let rate = row("categories.nine.commission_rate");
    let low = rate["low"].as_f64().unwrap();
    let alone = forecast_at(
        "rate.toml",
        text.replacen(
            "commission_rate = 0.09",
            &format!("commission_rate = {low}"),
            1,
        ),
    );
    assert_eq!(rate["at_low"].as_f64(), Some(mean(&alone)), "{rate}");
    let share = row("program.confirm_receipt_share");
    let high = share["high"].as_f64().unwrap();
    let alone = forecast_at(
        "share.toml",
        format!("{text}\n[program]\nconfirm_receipt_share = {high}\n"),
    );
    assert_eq!(share["at_high"].as_f64(), Some(mean(&alone)), "{share}");
    // Within the noise: the traffic at either end.
    let clicks = row("traffic.clicks_per_month");
    for end in ["low", "high"] {
        let value = clicks[end].as_f64().unwrap();
        let alone = forecast_at(
            "clicks.toml",
            text.replace(
                "clicks_per_month = 15000",
                &format!("clicks_per_month = {value}"),
            ),
        );
        let sd =
            (cash(&alone)["p90"].as_f64().unwrap() - cash(&alone)["p10"].as_f64().unwrap()) / 2.563;
        let diff = clicks[format!("at_{end}")].as_f64().unwrap() - mean(&alone);
        assert!(
            diff.abs() <= 4.0 * sd * (2.0 / 200.0_f64).sqrt() + 0.01,
            "{end}: {clicks}, {diff}"
        );
    }
}

/// A category mix's variants share their buyers (drawn at each category's highest share and
/// thinned), yet each keeps its own scenario's figures: every figure's mean lies within four
/// standard errors of a forecast of that mix alone (the spread from each band's p10–p90, as
/// for a normal), and the comparison does not depend on the thread count.
#[test]
fn mixes_sharing_their_buyers_keep_each_mixs_own_figures() {
    let dir = tempfile::tempdir().unwrap();
    let text = TWO_RATES
        .replace(
            "clicks_per_month = { low = 10000, high = 20000 }",
            "clicks_per_month = 15000",
        )
        .replace("trials = 300", "trials = 400");
    let file = write(&dir, "two.toml", &text);
    let run = |threads: &str| json_of(&["compare", &file, "--threads", threads]);
    let v = run("1");
    assert_eq!(v, run("2"), "the same comparison on one thread and on two");

    let alone = |nine: &str, three: &str| {
        let (mut seen, mut mix) = (0, String::new());
        for line in text.lines() {
            if line == "share = 0.5" {
                seen += 1;
                mix.push_str(&format!(
                    "share = {}\n",
                    if seen == 1 { nine } else { three }
                ));
            } else if line == "[mixes]" {
                break;
            } else {
                mix.push_str(line);
                mix.push('\n');
            }
        }
        json_of(&["forecast", &write(&dir, &format!("{nine}.toml"), &mix)])
    };
    for (variant, nine, three) in [(0, "0.5", "0.5"), (1, "0.8", "0.2")] {
        let shared = &v["variants"][variant]["summary"];
        let metrics = [
            ("run_rate_confirmed", 0.01),
            ("run_rate_cash", 0.01),
            ("epc", 1e-4),
        ];
        let what = format!("the mix nine = {nine}");
        within_noise(
            shared,
            &alone(nine, three)["summary"],
            400.0,
            &metrics,
            &what,
        );
    }
    // The more-nine mix earns more per click than the base (9% against 3%): the shares are
    // really the mix's, not the highest drawn.
    let epc = |x: &Value| x["summary"]["epc"]["mean"].as_f64().unwrap();
    assert!(epc(&v["variants"][1]) > epc(&v["variants"][0]) * 1.2);
}

/// Files that differ only in how many buyers they have (traffic, growth, an event's traffic
/// and conversion, a category's conversion) share their buyers in `compare`, and each keeps
/// its own scenario's figures (within four standard errors of a forecast of it alone).
#[test]
fn scenarios_differing_in_traffic_and_conversion_share_their_buyers() {
    // The two-rate site with no growth and a five-day sale.
    let base = TWO_RATES
        .replace("trials = 300", "trials = 400")
        .replace("seed = 3", "seed = 11")
        .replace(
            "clicks_per_month = { low = 10000, high = 20000 }",
            "clicks_per_month = { low = 10000, high = 20000 }\nmonthly_growth = 0.0\n\
             [[events]]\nname = \"sale\"\nfrom = \"03-10\"\ndays = 5\ntraffic = 2.0\n\
             conversion = 1.2",
        );
    let base = base.as_str();
    let more_traffic = base
        .replace(
            "{ low = 10000, high = 20000 }",
            "{ low = 20000, high = 40000 }",
        )
        .replace("monthly_growth = 0.0", "monthly_growth = 0.05");
    let better_pages = base
        .replacen("conversion_rate = 0.01", "conversion_rate = 0.02", 1)
        .replace("traffic = 2.0", "traffic = 3.0")
        .replace("conversion = 1.2", "conversion = 4.0");
    let parse = |text: &str| affcast::scenario::parse(text, "plan.toml").unwrap();
    let first = parse(base);
    assert!(first.same_but_intensities(&parse(&more_traffic)));
    assert!(first.same_but_intensities(&parse(&better_pages)));
    // Not for a change in what an order earns, nor for traffic known in one and uncertain in
    // the other (their worlds are drawn differently).
    assert!(!first.same_but_intensities(&parse(&base.replace("0.09", "0.08"))));
    assert!(!first.same_but_intensities(&parse(
        &base.replace("{ low = 10000, high = 20000 }", "15000")
    )));

    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(&dir, "base.toml", base),
        write(&dir, "more-traffic.toml", &more_traffic),
        write(&dir, "better-pages.toml", &better_pages),
    ];
    let mut args = vec!["compare"];
    args.extend(files.iter().map(String::as_str));
    let v = json_of(&args);
    for (k, file) in files.iter().enumerate() {
        let (shared, own) = (&v["variants"][k]["summary"], json_of(&["forecast", file]));
        let metrics = [("run_rate_confirmed", 0.01), ("epc", 1e-4)];
        within_noise(shared, &own["summary"], 400.0, &metrics, file);
    }
}

/// Files that differ only in what orders are worth (commission rates, order values, hot
/// items, the cap) are followed once in `compare` and each order valued under each: every
/// figure is exactly the one a forecast of that file gives alone.
#[test]
fn scenarios_differing_in_what_orders_earn_are_followed_once_and_exactly() {
    let base = TWO_RATES.replace("trials = 300", "trials = 200");
    let cheaper = base.replacen("commission_rate = 0.09", "commission_rate = 0.07", 1);
    let dearer = base.replacen(
        "order_value = { median = 10, p90 = 30 }",
        "order_value = { median = 14, p90 = 50 }",
        1,
    );
    let hot = base.replacen(
        "commission_rate = 0.09",
        "commission_rate = 0.09\nhot_share = 0.2",
        1,
    );
    let capped = format!("{base}\n[program]\ncommission_cap = 0.50\n");
    let parse = |text: &str| affcast::scenario::parse(text, "worth.toml").unwrap();
    let first = parse(&base);
    assert!(first.same_but_earnings(&parse(&cheaper)));
    assert!(first.same_but_earnings(&parse(&capped)));
    assert!(first.same_but_earnings(&parse(&dearer)));
    // Hot items make every order draw one more word: not the same numbers.
    assert!(!first.same_but_earnings(&parse(&hot)));
    assert!(!first.same_but_earnings(&parse(
        &base.replace("conversion_rate = 0.01", "conversion_rate = 0.02")
    )));

    compared_exactly_as_alone(&[
        ("base.toml", &base),
        ("cheaper.toml", &cheaper),
        ("dearer.toml", &dearer),
        ("capped.toml", &capped),
    ]);
}

/// Writes each (name, text) file, compares them and checks every figure of each against a
/// forecast of that file alone: the same to the bit.
pub(crate) fn compared_exactly_as_alone(texts: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = texts
        .iter()
        .map(|(name, text)| write(&dir, name, text))
        .collect();
    let mut args = vec!["compare"];
    args.extend(files.iter().map(String::as_str));
    let v = json_of(&args);
    for (k, file) in files.iter().enumerate() {
        let own = json_of(&["forecast", file]);
        same_summary(&v["variants"][k], &own, file);
    }
}

/// A compared variant's summary figures are exactly those of the forecast `alone`.
pub(crate) fn same_summary(variant: &Value, alone: &Value, what: &str) {
    for metric in [
        "run_rate_confirmed",
        "run_rate_cash",
        "epc",
        "reversal_rate",
        "first_cash_month",
        "total_fees",
    ] {
        assert_eq!(
            variant["summary"][metric], alone["summary"][metric],
            "{metric} of {what}"
        );
    }
}

/// Files that differ in what becomes of orders (cancel and refund rates, the confirmation
/// share, regions' shares and shipping, delays, the void) as well as in what they are worth
/// are followed once in `compare`, each order's fate drawn under each from the same words:
/// every figure is exactly the one a forecast of that file gives alone.
#[test]
fn scenarios_differing_in_what_becomes_of_orders_are_followed_once_and_exactly() {
    let base = format!(
        "{}\n[[regions]]\nname = \"near\"\nshare = 0.6\n\
         shipping_days = {{ median = 8, p90 = 15 }}\n\
         [[regions]]\nname = \"far\"\nshare = 0.4\n\
         shipping_days = {{ median = 14, p90 = 30 }}\n",
        TWO_RATES.replace("trials = 300", "trials = 200")
    );
    let with_program = |lines: &str| format!("{base}\n[program]\n{lines}\n");
    let refunds = base.replacen(
        "commission_rate = 0.03",
        "commission_rate = 0.03\nrefund_rate = 0.2\ncancel_rate = 0.1",
        1,
    );
    let slow_far = base.replace("{ median = 14, p90 = 30 }", "{ median = 25, p90 = 50 }");
    let more_near = base
        .replace("share = 0.6", "share = 0.9")
        .replace("share = 0.4", "share = 0.1");
    let lazy_buyers =
        with_program("confirm_receipt_share = 0.3\nconfirm_delay_days = { median = 9, p90 = 20 }");
    let early_void = with_program("invalid_after_days = 40\nauto_confirm_days = 30");
    let cheaper_and_slower =
        slow_far.replacen("commission_rate = 0.09", "commission_rate = 0.07", 1);
    let parse = |text: &str| affcast::scenario::parse(text, "fates.toml").unwrap();
    let first = parse(&base);
    for other in [
        &refunds,
        &slow_far,
        &more_near,
        &lazy_buyers,
        &early_void,
        &cheaper_and_slower,
    ] {
        assert!(first.same_but_worth_and_fates(&parse(other)));
        assert!(!first.same_but_earnings(&parse(other)));
    }
    // Not for a change in how many buyers there are, nor for shipping uncertain in one only.
    assert!(!first.same_but_worth_and_fates(&parse(
        &base.replace("conversion_rate = 0.01", "conversion_rate = 0.02")
    )));
    assert!(!first.same_but_worth_and_fates(&parse(&base.replace(
        "median = 14, p90 = 30",
        "median = { low = 10.0, high = 20.0 }, p90 = 30"
    ))));

    compared_exactly_as_alone(&[
        ("base.toml", &base),
        ("refunds.toml", &refunds),
        ("slow-far.toml", &slow_far),
        ("more-near.toml", &more_near),
        ("lazy-buyers.toml", &lazy_buyers),
        ("early-void.toml", &early_void),
        ("cheaper-and-slower.toml", &cheaper_and_slower),
    ]);
}
