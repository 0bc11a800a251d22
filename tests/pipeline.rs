//! `--pipeline`: money already earned enters the forecast at its real age.

use affcast::exports as records;
use affcast::ledger::Metric;
use affcast::pipeline::Pipeline;
use chrono::Duration;

use crate::common::exports::{self, Lifecycle, Truth};
use crate::common::{self, affcast};

fn truth() -> Vec<Truth> {
    vec![Truth {
        category_id: "c",
        weight: 1.0,
        value_median: 12.0,
        value_p90: 40.0,
        rate: 0.08,
        hot_share: 0.0,
        cancel: 0.04,
        refund: 0.06,
        new_buyer_share: 0.0,
    }]
}

/// Orders paid over the 60 days before the export; most are still pending at it.
fn export_text() -> (String, usize) {
    let orders = exports::generate(600, 60.0, &truth(), &Lifecycle::default(), 5);
    let as_of = exports::start() + Duration::days(60);
    let recs = exports::aliexpress_records(&orders, as_of);
    let pending = recs
        .iter()
        .filter(|r| r["order_status"] == "Payment Completed")
        .count();
    (exports::aliexpress_envelope(recs), pending)
}

/// No new traffic; everything withdrawn as soon as it is credited, no fee, no transfer delay.
fn scenario(preset: &str, extra: &str) -> String {
    format!(
        r#"
name = "pipeline only"
start = "2026-03"
months = 12
[simulation]
trials = 50
seed = 9
[program]
preset = "{preset}"
{extra}
[traffic]
clicks_per_month = 0
[[categories]]
name = "c"
share = 1.0
conversion_rate = 0.01
order_value = 10
commission_rate = 0.08
cancel_rate = 0.04
refund_rate = 0.06
"#
    )
}

#[test]
fn pending_orders_all_resolve_and_reach_the_bank_without_new_traffic() {
    let (text, pending) = export_text();
    assert!(pending > 200, "the export has a real pipeline: {pending}");
    let export = records::parse(&text, "orders.json", None).unwrap();
    let sc = common::scenario(&scenario(
        "aliexpress-admitad",
        "minimum_payout = 0.01\npayout_delay_days = 0",
    ));
    let p = Pipeline::from_export(&export, &sc);
    assert_eq!(p.pending.len(), pending);
    let opening = p.opening();
    for l in common::run_with_pipeline(&sc, &p) {
        l.check_identities().unwrap();
        assert_eq!(l.total(Metric::Orders), 0, "no new orders");
        let last = l.months() - 1;
        assert_eq!(
            l.get(last, Metric::OrdersPendingEnd),
            0,
            "every order resolved"
        );
        assert_eq!(
            l.total(Metric::OrdersConfirmed) + l.total(Metric::OrdersReversed),
            pending as i64 + i64::from(0)
        );
        assert_eq!(
            l.total(Metric::Confirmed) + l.total(Metric::Reversed),
            opening.pending
        );
        assert_eq!(
            l.total(Metric::Cash),
            l.total(Metric::Confirmed) + opening.unsettled - l.total(Metric::Fees)
        );
        assert!(l.total(Metric::Reversed) > 0 && l.total(Metric::Confirmed) > 0);
    }
}

#[test]
fn confirmed_unsettled_orders_are_credited_at_the_first_settlement() {
    let (text, _) = export_text();
    let export = records::parse(&text, "orders.json", None).unwrap();
    let sc = common::scenario(&scenario("aliexpress-portals", ""));
    let p = Pipeline::from_export(&export, &sc);
    assert!(
        p.unsettled_orders > 0,
        "some orders are confirmed but not settled"
    );
    let unsettled = p.unsettled;
    for l in common::run_with_pipeline(&sc, &p) {
        l.check_identities().unwrap();
        // Credited on March 25, with nothing else confirmed in February to add to it:
        // the first month's settlement is exactly the opening unsettled money.
        assert_eq!(l.get(0, Metric::Settled), unsettled);
    }
}

#[test]
fn the_binary_reports_the_opening_pipeline() {
    let (text, pending) = export_text();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("orders.json");
    std::fs::write(&export, text).unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, scenario("aliexpress-portals", "")).unwrap();
    let v = common::succeed_json(
        affcast()
            .args(["forecast", "--format", "json", "--pipeline"])
            .arg(&export)
            .arg(&file),
    );
    assert_eq!(v["opening_pipeline"]["pending_orders"], pending as u64);
    assert!(
        v["summary"]["total_confirmed"]["mean"].as_f64().unwrap() > 0.0,
        "pipeline money appears"
    );
    assert!(v["summary"]["total_cash"]["mean"].as_f64().unwrap() > 0.0);
    // The advice replays the same money, opening balances included: at the scenario's own
    // threshold it finds the forecast's cash exactly.
    let own = v["withdrawal_advice"]["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["current"] == true)
        .unwrap();
    assert_eq!(own["cash"], v["summary"]["total_cash"]["mean"]);
    let table = affcast()
        .args(["forecast", "--format", "table", "--pipeline"])
        .arg(&export)
        .arg(&file)
        .output()
        .unwrap();
    // A note, on stderr: stdout carries the result only.
    assert!(
        String::from_utf8_lossy(&table.stderr)
            .contains("note: Opening pipeline from the export as of 2026-03-01")
    );
    assert!(!String::from_utf8_lossy(&table.stdout).contains("Opening pipeline"));
}

#[test]
fn a_pending_order_older_than_the_cut_off_is_voided_at_once_not_confirmed() {
    use affcast::pipeline::PendingOrder;
    let sc = common::scenario(&scenario("aliexpress-portals", ""));
    // Still "Payment Completed" 200 days after payment: the model voids every order not
    // confirmed within 180 days, so no fate of the model is this late.
    let old = PendingOrder {
        paid_at: -200.0,
        age: 200.0,
        commission: 500,
        category: Some(0),
    };
    let p = Pipeline {
        pending: vec![old],
        ..Pipeline::default()
    };
    for l in common::run_with_pipeline(&sc, &p) {
        l.check_identities().unwrap();
        assert_eq!(l.get(0, Metric::Reversed), 500);
        assert_eq!(l.total(Metric::Confirmed), 0);
    }
}
