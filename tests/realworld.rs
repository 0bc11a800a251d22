//! The real captures of network data kept beside the project (`../shared/realworld/`, each
//! file's source in its PROVENANCE.md): exports nobody on this project wrote, read through the
//! binary as a user would give them.

use std::path::PathBuf;

use affcast::exports::{self, Status};

use crate::common::{affcast, succeed_json, succeed_saying};

/// A real capture's path: in `../shared/realworld/` beside the project, or in the folder
/// `AFFCAST_REALWORLD` names. The captures are part of the test suite: a missing one fails.
fn capture(name: &str) -> PathBuf {
    let dir = std::env::var_os("AFFCAST_REALWORLD").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld"),
        PathBuf::from,
    );
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "{}: the real capture is missing (set AFFCAST_REALWORLD to the folder that holds it)",
        path.display()
    );
    path
}

/// `affcast fit --format json FILE`: the fitted scenario's text and the notes.
fn fit_json(file: &PathBuf, extra: &[&str]) -> (String, Vec<String>) {
    let doc = succeed_json(
        affcast()
            .args(["fit", "--format", "json"])
            .args(extra)
            .arg(file),
    );
    let notes = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    (doc["scenario"].as_str().unwrap().to_string(), notes)
}

#[test]
fn a_real_admitad_response_fits_with_its_rate_and_its_currency() {
    let file = capture("admitad-actions-letyshops.json");
    let e = exports::read(&file, None).unwrap();
    assert_eq!(e.source, exports::Source::Admitad);
    assert_eq!(e.currency, "RUB");
    let r = &e.records;
    assert_eq!(r.len(), 2);
    // `rate` "50.00" with `percentage` true: 50%; 209.32 × 50% = 104.66.
    assert_eq!(
        (r[0].amount, r[0].commission, r[0].rate),
        (20932, 10466, Some(0.5))
    );
    // Approved, not yet paid out (`paid` 0): confirmed; `closing_date` has no time.
    assert_eq!(r[0].status, Status::Confirmed);
    assert_eq!(r[0].resolved_at.unwrap().to_string(), "2022-02-03 00:00:00");
    // Approved and paid out (`paid` 1), worth nothing ("double cashback was applied"),
    // `cart` null.
    assert_eq!(
        (r[1].status, r[1].amount, r[1].commission),
        (Status::Settled, 0, 0)
    );
    let (scenario, _) = fit_json(&file, &[]);
    assert!(scenario.contains("currency = \"RUB\""), "{scenario}");
    assert!(scenario.contains("commission_rate = 0.5000"), "{scenario}");
    let sc = affcast::scenario::parse(&scenario, "fitted.toml").unwrap();
    assert_eq!(sc.currency, "RUB");
}

#[test]
fn a_real_aliexpress_page_keeps_its_ids_and_integer_cents() {
    let file = capture("aliexpress-order-list-integer-cents.json");
    let e = exports::read(&file, None).unwrap();
    let r = &e.records[0];
    // 16 digits as JSON numbers, above 2^53: read exactly, never through a float. The order
    // is its sub-order (`order_id` is 8211114279848963).
    assert_eq!(r.id, "8211114279858963");
    // 1113 cents; 1113 × 7% = 77.91, which AliExpress writes truncated as 77.
    assert_eq!((r.amount, r.commission, r.rate), (1113, 77, Some(0.07)));
    let (scenario, _) = fit_json(&file, &[]);
    assert!(scenario.contains("commission_rate = 0.0700"), "{scenario}");
}

#[test]
fn a_single_real_order_object_is_read_with_its_creation_time() {
    let file = capture("aliexpress-order-x68he.json");
    let e = exports::read(&file, None).unwrap();
    let r = &e.records[0];
    assert_eq!(r.id, "8213456993722551");
    // Money as strings of integer cents: US$ 37.92, not 3792.
    assert_eq!((r.amount, r.commission, r.rate), (3792, 113, Some(0.03)));
    assert_eq!(r.paid_at.to_string(), "2026-08-17 10:25:47");
    assert_eq!(e.read.paid_from_created, 1);
    let (scenario, notes) = fit_json(&file, &[]);
    assert!(
        scenario.contains("order_value = { median = 37.92"),
        "{scenario}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("created_time stands for it")),
        "{notes:?}"
    );
}

#[test]
fn an_empty_aliexpress_window_is_no_orders_not_a_broken_file() {
    let empty = capture("aliexpress-order-list-empty-405.json");
    let out = affcast().arg("fit").arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no orders in this window"), "{stderr}");
    assert!(!stderr.contains("envelope"), "{stderr}");
    // Beside a window with orders, it adds none and breaks nothing.
    let page = capture("aliexpress-order-list-integer-cents.json");
    let alone = succeed_saying(affcast().arg("fit").arg(&page)).0;
    let both = succeed_saying(affcast().arg("fit").arg(&page).arg(&empty)).0;
    let body = |t: &[u8]| {
        String::from_utf8_lossy(t)
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&alone), body(&both));
}

#[test]
fn a_real_amazon_earnings_report_nets_its_returns_and_fits() {
    let book = capture("amazon-associates-fee-earnings-2019-12.xlsx");
    let sheet = capture("amazon-associates-fee-earnings-2019-12.sheet1.csv");
    // The title row is skipped and the kind is told from the headers, in both files.
    let from_book = exports::read(&book, None).unwrap();
    let from_sheet = exports::read(&sheet, Some(exports::Source::Amazon)).unwrap();
    assert_eq!(from_book.source, exports::Source::Amazon);
    assert_eq!(from_book.currency, "USD");
    assert_eq!(from_book.records, from_sheet.records);
    let r = &from_book.records;
    // 126 rows: 125 shipments and one return, which reverses the shipment it matches.
    assert_eq!(r.len(), 125);
    assert_eq!(from_book.read.returns.netted, 1);
    assert_eq!(from_book.read.returns.unmatched, 0);
    let reversed: Vec<_> = r.iter().filter(|o| o.status == Status::Reversed).collect();
    assert_eq!(reversed.len(), 1);
    assert_eq!(
        (
            reversed[0].category.as_str(),
            reversed[0].amount,
            reversed[0].commission,
            reversed[0].paid_at.to_string(),
            reversed[0].resolved_at.unwrap().to_string()
        ),
        (
            "Luggage",
            1159,
            46,
            "2019-12-13 03:35:19".into(),
            "2019-12-15 04:07:26".into()
        )
    );
    // The rate is the category's fees over its revenue, e.g. Toys & Games.
    let toys: Vec<_> = r.iter().filter(|o| o.category == "Toys & Games").collect();
    let fees: i64 = toys.iter().map(|o| o.commission).sum();
    let revenue: i64 = toys.iter().map(|o| o.amount).sum();
    assert_eq!(toys.len(), 28);
    assert!(
        toys.iter()
            .all(|o| o.rate == Some(fees as f64 / revenue as f64))
    );
    // Through the binary: a valid scenario under Amazon US's preset (a report in dollars).
    let (scenario, notes) = fit_json(&book, &[]);
    for text in [
        "preset = \"amazon-associates-us\"",
        "name = \"Toys & Games\"",
    ] {
        assert!(scenario.contains(text), "{text}: {scenario}");
    }
    affcast::scenario::parse(&scenario, "fitted.toml").unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("1 return netted against the shipment")),
        "{notes:?}"
    );
    let (from_csv, _) = fit_json(&sheet, &["--source", "amazon"]);
    let body = |s: &str| s.lines().skip(4).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&from_csv), body(&scenario));
}

#[test]
fn the_zone_of_an_exports_times_is_a_setting() {
    // The last order is paid at 03:00 on 1 June as written: in Shanghai that is noon on
    // 31 May in Los Angeles, so the export ends in May and the fitted forecast starts in June.
    let csv = "sub_order_id,order_status,paid_time,paid_amount,estimated_paid_commission\n\
               1,Payment Completed,2026-05-20 10:00:00,1000,70\n\
               2,Payment Completed,2026-06-01 03:00:00,1000,70\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.csv");
    std::fs::write(&file, csv).unwrap();
    let start = |args: &[&str]| {
        let (scenario, _) = fit_json(&file, args);
        let sc = affcast::scenario::parse(&scenario, "fitted.toml").unwrap();
        sc.start.format("%Y-%m").to_string()
    };
    assert_eq!(start(&[]), "2026-07");
    assert_eq!(start(&["--timezone", "America/Los_Angeles"]), "2026-07");
    assert_eq!(start(&["--timezone", "Asia/Shanghai"]), "2026-06");
    assert_eq!(start(&["--timezone", "GMT+8"]), "2026-06");
    let out = affcast()
        .args(["fit", "--timezone", "Mars/Base"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--timezone: \"Mars/Base\" is not a time zone"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
