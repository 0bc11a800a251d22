//! `fit` recovers known parameters from generated exports, and refuses malformed ones.

use affcast::exports as records;
use affcast::fit;
use affcast::model::{Param, Scenario};
use chrono::Duration;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use statrs::distribution::{ContinuousCDF, LogNormal};

use crate::common::exports::{self, GenOrder, Lifecycle, Truth};
use crate::common::{self, affcast, succeed_saying};

fn truths() -> Vec<Truth> {
    vec![
        Truth {
            category_id: "200001",
            weight: 0.6,
            value_median: 9.0,
            value_p90: 28.0,
            rate: 0.09,
            hot_share: 0.1,
            cancel: 0.04,
            refund: 0.06,
            new_buyer_share: 0.1,
        },
        Truth {
            category_id: "100003",
            weight: 0.4,
            value_median: 15.0,
            value_p90: 50.0,
            rate: 0.07,
            hot_share: 0.0,
            cancel: 0.03,
            refund: 0.05,
            new_buyer_share: 0.0,
        },
    ]
}

const N: usize = 8000;
const PERIOD: f64 = 300.0;

fn orders() -> Vec<GenOrder> {
    exports::generate(N, PERIOD, &truths(), &Lifecycle::default(), 11)
}

fn as_of() -> chrono::NaiveDateTime {
    exports::start() + Duration::days(PERIOD as i64)
}

fn fixed(p: Param) -> f64 {
    match p {
        Param::Fixed(v) => v,
        other => panic!("a fitted value is a plain number, not {other:?}"),
    }
}

fn fitted(text: &str, origin: &str) -> (fit::Fit, Scenario) {
    let export = records::parse(text, origin, None).unwrap();
    let f = fit::fit(&export, origin, None).unwrap();
    let sc = affcast::scenario::parse(&f.toml, "fitted.toml").unwrap();
    (f, sc)
}

/// A lognormal's quantile q ± 4 binomial standard errors of a sample of n: the range where
/// the sample quantile lies unless something is wrong.
fn quantile_bounds(median: f64, p90: f64, q: f64, n: usize) -> (f64, f64) {
    let d = LogNormal::new(median.ln(), (p90 / median).ln() / 1.2815515655446004).unwrap();
    let se = (q * (1.0 - q) / n as f64).sqrt();
    (d.inverse_cdf(q - 4.0 * se), d.inverse_cdf(q + 4.0 * se))
}

/// The true days from payment to confirmation, by a large simulation of the generator's
/// lifecycle, sorted: `q(p)` is its p-quantile.
fn true_confirmation_days(seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut truth: Vec<f64> = (0..200_000)
        .map(|_| exports::confirmation_days(&mut rng, &Lifecycle::default()))
        .collect();
    truth.sort_by(f64::total_cmp);
    truth
}

/// Days from payment to confirmation of the export's confirmed orders (pending ones ignored).
fn confirmed_days(text: &str) -> Vec<f64> {
    records::parse(text, "x", None)
        .unwrap()
        .records
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                records::Status::Confirmed | records::Status::Settled
            )
        })
        .filter_map(|r| {
            r.resolved_at
                .map(|t| (t - r.paid_at).num_seconds() as f64 / 86_400.0)
        })
        .collect()
}

fn within(x: f64, p: f64, n: usize) -> bool {
    (x - p).abs() <= 4.0 * (p * (1.0 - p) / n as f64).sqrt() + 1e-4
}

#[test]
fn round_trip_recovers_each_parameter_from_an_aliexpress_envelope() {
    let orders = orders();
    let text = exports::aliexpress_envelope(exports::aliexpress_records(&orders, as_of()));
    let (f, sc) = fitted(&text, "orders.json");
    assert_eq!(sc.categories.len(), 2);
    for t in truths() {
        let c = sc
            .categories
            .iter()
            .find(|c| c.name == t.category_id)
            .unwrap();
        let mine: Vec<&GenOrder> = orders
            .iter()
            .filter(|o| o.category == t.category_id)
            .collect();
        let n = mine.len();
        assert!(
            within(c.share, t.weight, N),
            "{}: share {} vs {}",
            t.category_id,
            c.share,
            t.weight
        );
        let (lo, hi) = quantile_bounds(t.value_median, t.value_p90, 0.5, n);
        let median = fixed(c.order_value.median);
        assert!(
            median >= lo - 0.005 && median <= hi + 0.005,
            "median {median} not in [{lo}, {hi}]"
        );
        let (lo, hi) = quantile_bounds(t.value_median, t.value_p90, 0.9, n);
        let p90 = median * c.order_value.ratio;
        assert!(
            p90 >= lo - 0.01 && p90 <= hi + 0.01,
            "p90 {p90} not in [{lo}, {hi}]"
        );
        assert_eq!(fixed(c.commission_rate), t.rate);
        assert!(within(fixed(c.hot_share), t.hot_share, n));
        if t.hot_share > 0.0 {
            assert_eq!(fixed(c.hot_rate), 0.0);
        }
        assert!(within(fixed(c.new_buyer_share), t.new_buyer_share, n));
        if t.new_buyer_share > 0.0 {
            assert_eq!(fixed(c.new_buyer_bonus), 1.5);
        }
        // Reversals, from the orders old enough for their fate to be known.
        let cohort = mine
            .iter()
            .filter(|o| as_of() - o.paid >= Duration::days(120))
            .count();
        let reversed = 1.0 - (1.0 - fixed(c.cancel_rate)) * (1.0 - fixed(c.refund_rate));
        let truth = t.cancel + (1.0 - t.cancel) * t.refund;
        assert!(
            within(reversed, truth, cohort),
            "{}: reversed {reversed} vs {truth} (n {cohort})",
            t.category_id
        );
    }

    // Payment → confirmation: the Kaplan–Meier median against the true distribution.
    let d = f.delay.expect("the delay is estimated");
    let truth = true_confirmation_days(99);
    let q = |p: f64| truth[(p * truth.len() as f64) as usize];
    let confirmed = confirmed_days(&text);
    // Censoring widens the estimate's spread; 1.5 × the uncensored standard error allows for it.
    let se = 1.5 * (0.25 / confirmed.len() as f64).sqrt();
    let (lo, hi) = (q(0.5 - 4.0 * se), q(0.5 + 4.0 * se));
    assert!(
        d.km_median >= lo && d.km_median <= hi,
        "KM median {} not in [{lo}, {hi}]",
        d.km_median
    );
    let p90 = d.km_p90.expect("300 days of data reach the p90");
    let se90 = 1.5 * (0.09 / confirmed.len() as f64).sqrt();
    assert!(
        p90 >= q(0.9 - 4.0 * se90) && p90 <= q(0.9 + 4.0 * se90),
        "KM p90 {p90}"
    );
    // The fitted model reproduces the estimate.
    assert!((d.model_median / d.km_median - 1.0).abs() < 0.05, "{d:?}");
    assert!((d.model_p90 / p90 - 1.0).abs() < 0.05, "{d:?}");
    assert!((d.confirm_receipt_share - 0.6).abs() <= 0.15, "{d:?}");
}

#[test]
fn csv_and_a_bare_array_fit_the_same_as_the_envelope() {
    let orders = orders();
    let recs = exports::aliexpress_records(&orders, as_of());
    let (_, from_envelope) = fitted(&exports::aliexpress_envelope(recs.clone()), "a.json");
    let (_, from_array) = fitted(
        &serde_json::Value::Array(recs.clone()).to_string(),
        "b.json",
    );
    let (_, from_csv) = fitted(&exports::csv_of(&recs), "c.csv");
    for other in [&from_array, &from_csv] {
        for (a, b) in from_envelope.categories.iter().zip(&other.categories) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
        assert_eq!(
            from_envelope.program.confirm_receipt_share,
            other.program.confirm_receipt_share
        );
    }
}

#[test]
fn admitad_actions_fit_with_daily_settlement() {
    let orders = orders();
    let recs = exports::admitad_records(&orders, as_of());
    let text = serde_json::json!({"_meta": {"count": recs.len(), "limit": 500, "offset": 0}, "results": recs}).to_string();
    let (f, sc) = fitted(&text, "actions.json");
    assert_eq!(sc.preset.name(), "aliexpress-admitad");
    assert!(f.delay.is_some());
    for t in truths() {
        let c = sc
            .categories
            .iter()
            .find(|c| c.name == t.category_id)
            .unwrap();
        assert!(within(c.share, t.weight, N));
        assert_eq!(
            fixed(c.commission_rate),
            t.rate,
            "median rate of the positions"
        );
    }
    let (_, from_csv) = fitted(&exports::csv_of(&recs), "actions.csv");
    assert_eq!(
        from_csv.categories.len(),
        1,
        "CSV has no positions: no product category (the campaign is not one)"
    );
    assert_eq!(from_csv.categories[0].name, "unknown");
}

#[test]
fn fit_through_the_binary_writes_a_valid_scenario_and_says_what_it_did() {
    let orders = orders();
    let recs = exports::aliexpress_records(&orders, as_of());
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("orders.json");
    std::fs::write(&export, exports::aliexpress_envelope(recs.clone())).unwrap();
    let names = dir.path().join("names.csv");
    std::fs::write(
        &names,
        "id,name\n200001,phone-accessories\n100003,home-garden\n",
    )
    .unwrap();
    let out = dir.path().join("fitted.toml");
    let clicks = 1_000_000u64;
    let result = affcast()
        .arg("fit")
        .arg(&export)
        .args(["--clicks", &clicks.to_string(), "--category-names"])
        .arg(&names)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{} AliExpress records", recs.len())),
        "{stderr}"
    );
    assert!(stderr.contains("Kaplan–Meier"), "{stderr}");
    assert!(
        stderr.contains("left at the aliexpress-portals preset"),
        "{stderr}"
    );
    affcast().arg("validate").arg(&out).assert().success();
    let sc = affcast::scenario::load(&out).unwrap();
    let names: Vec<&str> = sc.categories.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["phone-accessories", "home-garden"]);
    let attribution = fit::attribution_share(&fit::preset_program(affcast::model::Preset::Portals));
    let expected = recs.len() as f64 / (clicks as f64 * attribution);
    assert!((fixed(sc.categories[0].conversion_rate) - expected).abs() < 1e-6);
    // And it forecasts.
    affcast()
        .args(["forecast", "--trials", "20", "--format", "json"])
        .arg(&out)
        .assert()
        .success();
}

fn fit_fails(text: &str, name: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join(name);
    std::fs::write(&export, text).unwrap();
    let out = dir.path().join("fitted.toml");
    let result = affcast()
        .arg("fit")
        .arg(&export)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{stderr} lacks {e}");
    }
    assert!(!stderr.contains("panicked"));
    assert!(!out.exists(), "nothing written");
}

#[test]
fn malformed_exports_name_the_record_and_the_field() {
    let orders = orders();
    let mut recs = exports::aliexpress_records(&orders[..20], as_of());
    let id = recs[3]["sub_order_id"].clone();
    recs[3].as_object_mut().unwrap().remove("paid_time");
    recs[3].as_object_mut().unwrap().remove("created_time");
    fit_fails(
        &exports::aliexpress_envelope(recs),
        "a.json",
        &[&format!(
            "record 3 (sub_order_id {id}): paid_time: is missing (and so is created_time)"
        )],
    );

    let mut recs = exports::aliexpress_records(&orders[..20], as_of());
    recs[5]["paid_time"] = "2026-02-30 10:00:00".into();
    fit_fails(
        &exports::aliexpress_envelope(recs),
        "a.json",
        &[
            "record 5",
            "paid_time: \"2026-02-30 10:00:00\" is not a time",
        ],
    );

    let mut recs = exports::aliexpress_records(&orders[..20], as_of());
    recs[7]["paid_amount"] = "12.50.1".into();
    fit_fails(
        &exports::csv_of(&recs),
        "a.csv",
        &["record 7", "paid_amount: \"12.50.1\" is not an amount"],
    );

    let mut recs = exports::aliexpress_records(&orders[..20], as_of());
    recs[9]["settled_currency"] = "EUR".into();
    fit_fails(
        &exports::aliexpress_envelope(recs),
        "a.json",
        &["record 9", "currency: \"EUR\" differs from \"USD\""],
    );

    let mut recs = exports::admitad_records(&orders[..20], as_of());
    recs[2]["status"] = "paid".into();
    fit_fails(
        &serde_json::json!({"results": recs}).to_string(),
        "b.json",
        &["record 2 (action_id", "status: \"paid\""],
    );

    let mut recs = exports::aliexpress_records(&orders[..20], as_of());
    recs[4]["paid_time"] = "9999-12-31 23:59:59".into();
    fit_fails(
        &exports::aliexpress_envelope(recs),
        "a.json",
        &[
            "record 4",
            "paid_time: \"9999-12-31 23:59:59\" is not a plausible date",
        ],
    );

    fit_fails(
        "{\"unexpected\": 1}",
        "c.json",
        &[
            "c.json",
            "expected an aliexpress_affiliate_order_list_response",
        ],
    );
    fit_fails("[{\"x\": 1}]", "d.json", &["record 0", "--source"]);
    fit_fails("[]", "e.json", &["no order records"]);
    fit_fails(
        "{\"aliexpress_affiliate_order_list_response\": {\"resp_result\": {\"result\": {}}}}",
        "f.json",
        &[
            "f.json",
            "the envelope has no resp_result.result.orders.order",
        ],
    );
    let recs = exports::aliexpress_records(&orders[..3], as_of());
    let array = serde_json::to_string(&recs).unwrap();
    fit_fails(
        &format!("{array} ["),
        "g.json",
        &["g.json: not valid JSON", "trailing"],
    );
    fit_fails(
        &array[..array.len() - 2],
        "h.json",
        &["h.json: not valid JSON", "EOF"],
    );
}

#[test]
fn every_json_shape_of_one_export_reads_the_same() {
    // The records are streamed out of whichever shape holds them, in order.
    let recs = exports::aliexpress_records(&orders()[..50], as_of());
    let bare = records::parse(&serde_json::to_string(&recs).unwrap(), "a.json", None).unwrap();
    let envelope =
        records::parse(&exports::aliexpress_envelope(recs.clone()), "b.json", None).unwrap();
    // Keys before and after the orders, and nested objects on the way, are skipped.
    let padded = format!(
        r#"{{"request_id": "x", "aliexpress_affiliate_order_list_response": {{"resp_result": {{"resp_code": 200, "result": {{"current_page_no": 1, "orders": {{"order": {}}}, "total_record_count": 50}}, "resp_msg": {{"a": [1, {{"b": 2}}]}}}}}}}}"#,
        serde_json::to_string(&recs).unwrap()
    );
    let padded = records::parse(&padded, "c.json", None).unwrap();
    assert_eq!(bare.records.len(), 50);
    assert_eq!(bare.records, envelope.records);
    assert_eq!(bare.records, padded.records);
    // A page of one order: the API writes it as an object, not an array.
    let one = format!(
        r#"{{"aliexpress_affiliate_order_list_response": {{"resp_result": {{"result": {{"orders": {{"order": {}}}}}}}}}}}"#,
        serde_json::to_string(&recs[0]).unwrap()
    );
    let one = records::parse(&one, "d.json", None).unwrap();
    assert_eq!(one.records, bare.records[..1]);
}

#[test]
fn censoring_does_not_bias_the_delay_estimate() {
    // An export 90 days in: a third of the orders are still pending. Counting only the
    // confirmed ones (as if pending orders never existed) pulls the median down; the survival
    // estimate does not.
    let orders = exports::generate(N, 90.0, &truths(), &Lifecycle::default(), 12);
    let as_of = exports::start() + Duration::days(90);
    let text = exports::aliexpress_envelope(exports::aliexpress_records(&orders, as_of));
    let (f, _) = fitted(&text, "young.json");
    let d = f.delay.expect("the median is reached");
    let truth = true_confirmation_days(98);
    let q = |p: f64| truth[(p * truth.len() as f64) as usize];
    let mut confirmed = confirmed_days(&text);
    let se = 1.5 * (0.25 / confirmed.len() as f64).sqrt();
    let (lo, hi) = (q(0.5 - 4.0 * se), q(0.5 + 4.0 * se));
    assert!(
        d.km_median >= lo && d.km_median <= hi,
        "KM median {} not in [{lo}, {hi}]",
        d.km_median
    );
    confirmed.sort_by(f64::total_cmp);
    let naive = confirmed[confirmed.len() / 2];
    assert!(
        naive < lo,
        "the naive median {naive} should be biased below {lo}"
    );
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn real_shaped_fixtures_read_exactly() {
    use records::Status::*;
    for name in ["aliexpress-envelope.json", "aliexpress-orders.csv"] {
        let e = records::read(&fixture(name), None).unwrap();
        assert_eq!(e.source, records::Source::Aliexpress, "{name}");
        let r = &e.records;
        assert_eq!(r.len(), 4);
        assert_eq!(
            [r[0].status, r[1].status, r[2].status, r[3].status],
            [Settled, Confirmed, Reversed, Pending]
        );
        // Integer cents and decimal strings both read as cents.
        assert_eq!((r[0].amount, r[0].commission), (1250, 112));
        assert_eq!((r[1].amount, r[1].commission, r[1].bonus), (2340, 261, 97));
        assert_eq!(r[1].rate, Some(0.07));
        assert_eq!((r[2].hot, r[1].new_buyer), (Some(true), Some(true)));
        assert_eq!(r[0].id, "3012345678902");
        assert_eq!(r[0].category, "200001");
        assert_eq!(e.as_of.to_string(), "2026-07-14 07:45:51");
    }
    let e = records::read(&fixture("admitad-actions.json"), None).unwrap();
    assert_eq!(e.source, records::Source::Admitad);
    let r = &e.records;
    assert_eq!(
        [r[0].status, r[1].status, r[2].status],
        [Confirmed, Reversed, Pending]
    );
    assert_eq!(
        (r[0].amount, r[0].commission, r[0].rate),
        (3150, 221, Some(0.07))
    );
    assert_eq!(
        (r[2].amount, r[2].commission),
        (1890, 170),
        "numbers in units, not cents"
    );
    assert_eq!(r[1].category, "Phones & Telecommunications");
    let c = records::read(
        &fixture("admitad-actions.csv"),
        Some(records::Source::Admitad),
    )
    .unwrap();
    assert_eq!(c.records.len(), 3);
    assert_eq!(c.records[2].commission, 170);
    assert_eq!(
        c.records[0].category, "unknown",
        "the campaign is not a category"
    );
    // Small exports still fit into a valid scenario, saying what they could not estimate.
    for name in [
        "aliexpress-envelope.json",
        "admitad-actions.json",
        "admitad-actions.csv",
    ] {
        let out = affcast().arg("fit").arg(fixture(name)).output().unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let toml = String::from_utf8(out.stdout).unwrap();
        affcast::scenario::parse(&toml, name).unwrap();
    }
}

#[test]
fn a_fit_does_not_depend_on_the_number_of_threads() {
    // The delay fit tries its shipping medians on every core: the scenario it writes, and
    // what it says, must be the same on one thread as on several.
    let run = |threads: &str| {
        succeed_saying(
            affcast()
                .env("RAYON_NUM_THREADS", threads)
                .arg("fit")
                .arg(fixture("backtest-orders.csv")),
        )
    };
    let one = run("1");
    assert!(String::from_utf8_lossy(&one.1).contains("shipping median"));
    assert_eq!(run("3"), one);
}

#[test]
fn any_name_an_export_holds_reads_back_from_the_fitted_scenario() {
    let names = [
        "say \"hi\"",
        "a\\b",
        "two\nlines",
        "tab\there",
        "nul\0byte",
        "emoji 📱",
        "C:\\users\\x",
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "order_id",
        "paid_time",
        "status",
        "commission",
        "order_value",
        "category",
    ])
    .unwrap();
    for (i, name) in names.iter().enumerate() {
        for k in 0..3 {
            w.write_record([
                format!("{i}-{k}"),
                format!("2026-0{}-1{k} 10:00:00", i % 6 + 1),
                "confirmed".into(),
                "0.70".into(),
                "10.00".into(),
                (*name).to_string(),
            ])
            .unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    // A file name with a quote, a backslash and a newline: it is named in the scenario too.
    let export = dir.path().join("my \"site\"\\\norders.csv");
    std::fs::write(&export, w.into_inner().unwrap()).unwrap();
    let out = dir.path().join("fitted.toml");
    common::succeed(
        affcast()
            .args(["fit", "--source", "generic", "--output"])
            .arg(&out)
            .arg(&export),
    );
    affcast().arg("validate").arg(&out).assert().success();
    let sc = affcast::scenario::load(&out).unwrap();
    let mut read: Vec<&str> = sc.categories.iter().map(|c| c.name.as_str()).collect();
    let mut expected = names.to_vec();
    read.sort_unstable();
    expected.sort_unstable();
    assert_eq!(read, expected);
    assert_eq!(sc.name, "Fitted from my \"site\"\\\norders");
}
