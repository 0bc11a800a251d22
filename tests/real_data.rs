//! Real exports read right: Admitad's carts, rates and held money; one order counted once
//! across files; estimates from few orders that stay sane.

use affcast::exports::{self, Status};
use chrono::Duration;

use crate::common::exports::{self as synth, GenOrder, Lifecycle, Truth};
use crate::common::{self, affcast};

/// An Admitad action as the API returns it; `positions` is a JSON array text.
fn action(id: u32, status: &str, cart: &str, payment: &str, positions: &str) -> String {
    format!(
        r#"{{"action_id": {id}, "order_id": "AE{id}", "status": "{status}", "cart": "{cart}", "payment": "{payment}", "currency": "USD", "action_date": "2026-05-0{} 10:00:00", "closing_date": {}, "status_updated": "2026-05-20 10:00:00", "subid": "blog", "advcampaign_name": "AliExpress WW", "positions": {positions}}}"#,
        id % 9 + 1,
        if status == "pending" {
            "null".to_string()
        } else {
            "\"2026-05-20 10:00:00\"".to_string()
        }
    )
}

fn export(actions: &[String]) -> String {
    format!(r#"{{"results": [{}]}}"#, actions.join(","))
}

#[test]
fn admitad_percentages_are_percent_and_carts_split_by_position() {
    let text = export(&[
        // A 1% action: "1.00" is 1%, never 100%.
        action(
            1,
            "approved",
            "50.00",
            "0.50",
            r#"[{"product_category_name": "Phones", "rate": "1.00", "percentage": true, "amount": "50.00", "payment": "0.50"}]"#,
        ),
        // A 30 + 70 cart at 7% and 3%: two parts, each with its own category and rate.
        action(
            2,
            "approved",
            "100.00",
            "4.20",
            r#"[{"product_category_name": "Home", "rate": "7.00", "percentage": true, "amount": "30.00", "payment": "2.10"}, {"product_category_name": "Phones", "rate": "3.00", "percentage": true, "amount": "70.00", "payment": "2.10"}]"#,
        ),
        // No positions: no product category, not the campaign's name.
        action(3, "pending", "10.00", "0.70", "[]"),
    ]);
    let e = exports::parse(&text, "actions.json", None).unwrap();
    let r = &e.records;
    assert_eq!(r.len(), 4, "one record per cart position");
    assert_eq!(r[0].rate, Some(0.01));
    assert_eq!(
        (
            r[1].category.as_str(),
            r[1].amount,
            r[1].commission,
            r[1].rate
        ),
        ("Home", 3000, 210, Some(0.07))
    );
    assert_eq!(
        (
            r[2].category.as_str(),
            r[2].amount,
            r[2].commission,
            r[2].rate
        ),
        ("Phones", 7000, 210, Some(0.03))
    );
    assert_eq!(r[3].category, "unknown");
    // The parts of one cart add up to the action.
    assert_eq!(r[1].amount + r[2].amount, 10_000);
    assert_eq!(r[1].commission + r[2].commission, 420);
}

#[test]
fn approved_but_held_money_is_still_on_its_way() {
    let text = export(&[
        action(
            1,
            "approved_but_stalled",
            "20.00",
            "1.40",
            r#"[{"product_category_name": "Home", "rate": "7.00", "percentage": true, "amount": "20.00", "payment": "1.40"}]"#,
        ),
        action(
            2,
            "pending",
            "10.00",
            "0.70",
            r#"[{"product_category_name": "Home", "rate": "7.00", "percentage": true, "amount": "10.00", "payment": "0.70"}]"#,
        ),
    ]);
    let e = exports::parse(&text, "held.json", None).unwrap();
    assert_eq!(e.records[0].status, Status::Held);
    // Under daily settlement a confirmed order weeks old counts as paid; a held one does not.
    let sc = common::scenario(
        &common::simple(
            3,
            10,
            "preset = \"aliexpress-admitad\"",
            "clicks_per_month = 1",
            "conversion_rate = 0.01\norder_value = 10\ncommission_rate = 0.07",
        )
        .replace("preset = \"aliexpress-portals\"\n", ""),
    );
    let p = affcast::pipeline::Pipeline::from_export(&e, &sc);
    assert_eq!((p.unsettled, p.unsettled_orders), (140, 1));
    assert_eq!(p.pending.len(), 1);
}

#[test]
fn an_export_in_another_currency_does_not_open_a_forecast_silently() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("eur.json");
    std::fs::write(
        &file,
        export(&[action(1, "pending", "20.00", "1.40", "[]")]).replace("\"USD\"", "\"EUR\""),
    )
    .unwrap();
    let out = affcast()
        .args(["forecast", "--trials", "5", "--pipeline"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("in EUR")
            && stderr.contains("counts in USD")
            && stderr.contains("never converted"),
        "{stderr}"
    );
}

fn truths() -> Vec<Truth> {
    vec![Truth {
        category_id: "200001",
        weight: 1.0,
        value_median: 10.0,
        value_p90: 30.0,
        rate: 0.09,
        hot_share: 0.0,
        cancel: 0.04,
        refund: 0.06,
        new_buyer_share: 0.0,
    }]
}

/// Writes an AliExpress export of `orders` as it stood `days` after the start.
fn download(dir: &std::path::Path, name: &str, orders: &[GenOrder], days: i64) -> String {
    let as_of = synth::start() + Duration::days(days);
    let path = dir.join(name);
    std::fs::write(
        &path,
        synth::aliexpress_envelope(synth::aliexpress_records(orders, as_of)),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn one_order_counts_once_across_files_with_its_latest_status() {
    let orders = synth::generate(600, 120.0, &truths(), &Lifecycle::default(), 5);
    let dir = tempfile::tempdir().unwrap();
    // An early download (day 90) and a later one (day 120) of the same account overlap.
    let early = download(dir.path(), "early.json", &orders, 90);
    let late = download(dir.path(), "late.json", &orders, 120);
    let alone = exports::read_all(&[late.clone().into()], None, &Default::default()).unwrap();
    let both = exports::read_all(
        &[early.into(), late.clone().into()],
        None,
        &Default::default(),
    )
    .unwrap();
    assert_eq!(
        both.records.len(),
        alone.records.len(),
        "no order counted twice"
    );
    assert_eq!(both.read.files, 2);
    assert_eq!(both.read.merged, both.read.rows - alone.records.len());
    // The later download's statuses win: the same orders are pending as in the later file.
    let pending = |e: &exports::Export| {
        e.records
            .iter()
            .filter(|r| r.status == Status::Pending)
            .count()
    };
    assert_eq!(pending(&both), pending(&alone));
    let commission = |e: &exports::Export| e.records.iter().map(|r| r.commission).sum::<i64>();
    assert_eq!(commission(&both), commission(&alone));

    // Through the binary: the same file twice fits the same conversion as once, and says so.
    let once = affcast()
        .args(["fit", &late, "--clicks", "50000"])
        .output()
        .unwrap();
    let twice = affcast()
        .args(["fit", &late, &late, "--clicks", "50000"])
        .output()
        .unwrap();
    assert!(once.status.success() && twice.status.success());
    let conversion = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("conversion_rate"))
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .trim()
            .to_string()
    };
    assert_eq!(conversion(&once), conversion(&twice));
    let stderr = String::from_utf8_lossy(&twice.stderr);
    assert!(
        stderr.contains("from 2 files") && stderr.contains("merged"),
        "{stderr}"
    );
}

#[test]
fn the_pipeline_reads_several_downloads_as_one() {
    let orders = synth::generate(300, 60.0, &truths(), &Lifecycle::default(), 8);
    let dir = tempfile::tempdir().unwrap();
    let early = download(dir.path(), "may.json", &orders, 45);
    let late = download(dir.path(), "june.json", &orders, 60);
    let opening = |files: &[&str]| {
        let mut cmd = affcast();
        cmd.args([
            "forecast", "--trials", "5", "--months", "2", "--format", "json",
        ]);
        for f in files {
            cmd.args(["--pipeline", f]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            v["opening_pipeline"].clone(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (alone, _) = opening(&[&late]);
    let (both, stderr) = opening(&[&early, &late]);
    assert_eq!(alone, both, "the overlap is not counted twice");
    assert!(stderr.contains("from 2 files"), "{stderr}");
}

#[test]
fn one_refunded_order_does_not_make_a_category_refund_everything() {
    // A big category, and a category with a single order, refunded 20 days after payment.
    let mut rows = Vec::new();
    for i in 0..40 {
        rows.push(format!(
            r#"{{"sub_order_id": "{i}", "order_status": "Buyer Confirmed Receipt", "paid_time": "2026-01-{:02} 10:00:00", "finished_time": "2026-02-20 10:00:00", "paid_amount": "10.00", "estimated_paid_commission": "0.70", "commission_rate": "7.00%", "category_id": "big"}}"#,
            i % 28 + 1
        ));
    }
    rows.push(r#"{"sub_order_id": "x", "order_status": "Invalid", "paid_time": "2026-01-05 10:00:00", "finished_time": "2026-01-25 10:00:00", "paid_amount": "10.00", "estimated_paid_commission": "0.70", "commission_rate": "7.00%", "category_id": "lonely"}"#.to_string());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.json");
    std::fs::write(&file, format!("[{}]", rows.join(","))).unwrap();
    let out = affcast().arg("fit").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = String::from_utf8(out.stdout).unwrap();
    let sc = common::scenario(&toml);
    let lonely = sc.categories.iter().find(|c| c.name == "lonely").unwrap();
    // (1 refund + 20 × 5%) / (1 + 20) orders: not 1.0.
    assert_eq!(lonely.refund_rate, affcast::model::Param::Fixed(0.0952));
    assert!(toml.contains("THIN: 1 order with a known fate"), "{toml}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("thin estimates") && stderr.contains("lonely (1 with a known fate)"),
        "{stderr}"
    );
}

#[test]
fn aliexpress_top_level_category_ids_are_written_with_their_names() {
    // 44 and 509 are top-level ids; 200000142 is a leaf id and stays an id.
    let rows: Vec<String> = (0..60)
        .map(|i| {
            let id = ["44", "509", "200000142"][i % 3];
            format!(
                r#"{{"sub_order_id": "{i}", "order_status": "Buyer Confirmed Receipt", "paid_time": "2026-01-{:02} 10:00:00", "finished_time": "2026-02-20 10:00:00", "paid_amount": "10.00", "estimated_paid_commission": "0.70", "commission_rate": "7.00%", "category_id": "{id}"}}"#,
                i % 28 + 1
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.json");
    std::fs::write(&file, format!("[{}]", rows.join(","))).unwrap();
    let out = affcast().arg("fit").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sc = common::scenario(&String::from_utf8(out.stdout).unwrap());
    let mut names: Vec<&str> = sc.categories.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "200000142",
            "Consumer Electronics",
            "Phones & Telecommunications"
        ]
    );
    // The user's own names win over the table, and name leaf ids too.
    let own = dir.path().join("names.csv");
    std::fs::write(&own, "id,name\n44,gadgets\n200000142,phone cases\n").unwrap();
    let out = affcast()
        .args([
            "fit",
            "--by",
            "category",
            "--format",
            "json",
            "--category-names",
        ])
        .arg(&own)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut groups: Vec<&str> = doc["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["category"].as_str().unwrap())
        .collect();
    groups.sort_unstable();
    assert_eq!(
        groups,
        ["Phones & Telecommunications", "gadgets", "phone cases"]
    );
}

#[test]
fn the_forecast_says_which_category_and_region_the_money_comes_from() {
    let v =
        common::succeed_json(affcast().args(["forecast", "--trials", "40", "--format", "json"]));
    let cats = v["by_category"].as_array().unwrap();
    assert_eq!(cats.len(), 2);
    assert_eq!(cats[0]["name"], "phone-accessories");
    for key in [
        "clicks",
        "orders",
        "earned",
        "confirmed",
        "reversed",
        "run_rate_confirmed",
        "epc",
    ] {
        assert!(
            cats[0][key]["p50"].is_number(),
            "by_category lacks {key}: {}",
            cats[0]
        );
    }
    let regions = v["by_region"].as_array().unwrap();
    assert_eq!(regions[0]["name"], "EU");
    assert!(regions[0]["clicks"].is_null(), "a click has no region");
    // Means add up (the parts add up in every trial, so their means do, to rounding).
    let total = v["summary"]["total_confirmed"]["mean"].as_f64().unwrap();
    let parts: f64 = cats
        .iter()
        .map(|c| c["confirmed"]["mean"].as_f64().unwrap())
        .sum();
    assert!(
        (parts - total).abs() <= 0.01 * cats.len() as f64,
        "{parts} vs {total}"
    );
    // Every human format shows them.
    let table = String::from_utf8(common::succeed(
        affcast().args(["forecast", "--trials", "20", "--format", "table"]),
    ))
    .unwrap();
    assert!(table.contains("By category") && table.contains("By region"));
    let html = String::from_utf8(common::succeed(
        affcast().args(["report", "--trials", "20"]),
    ))
    .unwrap();
    assert!(html.contains("Income by category"));
}

#[test]
fn countries_become_regions_with_their_shares_and_protection() {
    let orders = synth::generate(1000, 200.0, &truths(), &Lifecycle::default(), 21);
    let mut recs = synth::aliexpress_records(&orders, synth::start() + Duration::days(200));
    let n = recs.len();
    for (i, r) in recs.iter_mut().enumerate() {
        let country = match i % 50 {
            0..30 => "FR".to_string(),
            30..45 => "BR".to_string(),
            k => format!("Z{}", k % 5), // five countries of 2% each: "other"
        };
        r["ship_to_country"] = serde_json::Value::String(country);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.json");
    std::fs::write(&file, synth::aliexpress_envelope(recs)).unwrap();
    let out = affcast().arg("fit").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sc = common::scenario(&String::from_utf8(out.stdout).unwrap());
    let regions: Vec<(&str, f64)> = sc
        .regions
        .iter()
        .map(|r| (r.name.as_str(), r.share))
        .collect();
    let expect = |k: usize| {
        (0..n)
            .filter(|i| {
                k == if i % 50 < 30 {
                    0
                } else if i % 50 < 45 {
                    1
                } else {
                    2
                }
            })
            .count() as f64
            / n as f64
    };
    assert_eq!(regions.len(), 3, "{regions:?}");
    assert_eq!(regions[0].0, "FR");
    assert_eq!(regions[1].0, "BR");
    assert_eq!(regions[2].0, "other");
    for (k, (_, share)) in regions.iter().enumerate() {
        assert!((share - expect(k)).abs() < 1e-6, "{regions:?}");
    }
    // Brazil's longer buyer protection comes with its name.
    assert_eq!(sc.regions[1].auto_confirm_days, Some(120.0));
    assert_eq!(sc.regions[0].auto_confirm_days, None);
}

#[test]
fn the_per_page_table_adds_up_and_ranks_pages_by_expected_epc() {
    let orders = synth::generate(600, 120.0, &truths(), &Lifecycle::default(), 4);
    let mut recs = synth::aliexpress_records(&orders, synth::start() + Duration::days(120));
    for (i, r) in recs.iter_mut().enumerate() {
        let page = match i % 50 {
            0 => "tiny",
            1..15 => "mid",
            _ => "big",
        };
        r["tracking_id"] = serde_json::Value::String(page.into());
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.json");
    std::fs::write(&file, synth::aliexpress_envelope(recs)).unwrap();
    // Clicks per day and page; "mid" converts far better (fewer clicks for its orders).
    let mut clicks = String::from("date,sub_id,clicks\n");
    for day in 1..=28 {
        clicks += &format!(
            "2026-02-{day:02},big,1000\n2026-02-{day:02},mid,100\n2026-02-{day:02},tiny,50\n"
        );
    }
    let clicks_file = dir.path().join("clicks.csv");
    std::fs::write(&clicks_file, clicks).unwrap();
    let v = common::succeed_json(
        affcast()
            .arg("fit")
            .arg(&file)
            .args(["--by", "sub_id", "--format", "json", "--clicks"])
            .arg(&clicks_file),
    );
    assert!(v["scenario"].as_str().unwrap().contains("[[categories]]"));
    let groups = v["by_sub_id"].as_array().unwrap();
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g["sub_id"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "mid", "the best expected EPC first: {names:?}");
    // The groups add up to the export, to the cent.
    let export = exports::read(&file, None).unwrap();
    let cents = |x: &serde_json::Value| (x.as_f64().unwrap() * 100.0).round() as i64;
    let total: i64 = groups.iter().map(|g| cents(&g["earned"])).sum();
    assert_eq!(
        total,
        export.records.iter().map(|r| r.commission).sum::<i64>()
    );
    let orders: u64 = groups.iter().map(|g| g["orders"].as_u64().unwrap()).sum();
    assert_eq!(orders as usize, export.records.len());
    for g in groups {
        let parts = cents(&g["confirmed"]) + cents(&g["reversed"]) + cents(&g["pending"]);
        assert_eq!(parts, cents(&g["earned"]), "{g}");
        assert_eq!(
            g["clicks"].as_u64(),
            Some(match g["sub_id"].as_str().unwrap() {
                "big" => 28_000,
                "mid" => 2_800,
                _ => 1_400,
            })
        );
        let (lo, e, hi) = (
            g["epc_expected_p10"].as_f64().unwrap(),
            g["epc_expected"].as_f64().unwrap(),
            g["epc_expected_p90"].as_f64().unwrap(),
        );
        assert!(lo <= e && e <= hi, "{g}");
    }
    // The tiny page is flagged, and its interval is the widest relative to its EPC.
    let tiny = groups.iter().find(|g| g["sub_id"] == "tiny").unwrap();
    assert_eq!(tiny["too_few_orders"], true);
    let width = |g: &serde_json::Value| {
        (g["epc_expected_p90"].as_f64().unwrap() - g["epc_expected_p10"].as_f64().unwrap())
            / g["epc_expected"].as_f64().unwrap()
    };
    assert!(groups.iter().all(|g| width(g) <= width(tiny) + 1e-9));
}

#[test]
fn a_bad_clicks_file_names_line_column_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let clicks = dir.path().join("clicks.csv");
    std::fs::write(&clicks, "date,clicks\n2026-02-01,100\n2026-02-02,lots\n").unwrap();
    let export = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/aliexpress-envelope.json");
    let out = affcast()
        .arg("fit")
        .arg(&export)
        .arg("--clicks")
        .arg(&clicks)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("clicks.csv: line 3: clicks: \"lots\" is not a whole number"),
        "{stderr}"
    );
    std::fs::write(&clicks, "day,count\n2026-02-01,100\n").unwrap();
    let out = affcast()
        .arg("fit")
        .arg(&export)
        .arg("--clicks")
        .arg(&clicks)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a `date`"));
}

#[test]
fn a_dashboard_download_is_read_by_its_headers_and_a_map() {
    // Headers as a dashboard writes them, money with currency signs and separators.
    let csv = "Sub Order ID,Order Status,Order Time,Paid Amount,Estimated Paid Commission,Category ID,Tracking ID\n\
               1001,Payment Completed,2026-03-01 10:00:00,\"US $1,234.50\",US $86.42,200001,best-cases\n\
               1002,Payment Completed,2026-03-02 10:00:00,US $12.50,US $0.88,200001,best-cases\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dashboard.csv");
    std::fs::write(&file, csv).unwrap();
    // "Order Time" is not a field name: without a map the paid time is missing.
    let out = affcast().arg("fit").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("paid_time: is missing"));
    // A map names it; "Sub Order ID" and the others match without one.
    let map = exports::FieldMap::parse("paid_time=Order Time").unwrap();
    let e = exports::read_mapped(&file, None, &map).unwrap();
    assert!(e.guessed, "detected from its fields");
    assert_eq!(e.records[0].amount, 123_450);
    assert_eq!(e.records[0].commission, 8_642);
    assert_eq!(e.records[1].amount, 1_250);
    assert_eq!(e.records[0].sub_id.as_deref(), Some("best-cases"));
    // An unknown field in a map is refused, naming the known ones.
    let bad = exports::FieldMap::parse("paid_at=Order Time").unwrap_err();
    assert!(
        bad.to_string().contains("\"paid_at\" is not a field"),
        "{bad}"
    );
    // Through the binary, the guess is said.
    let out = affcast()
        .arg("fit")
        .arg(&file)
        .args(["--map", "paid_time=Order Time"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("read as an AliExpress export (detected")
    );
}

#[test]
fn a_file_that_mixes_number_formats_is_refused_and_one_format_is_read_right() {
    let head = "order_id,paid_time,status,commission,order_value\n";
    let mixed = format!(
        "{head}A,2026-03-01 10:00:00,pending,\"1,234.50\",\"US $12,000.00\"\nB,2026-03-02 10:00:00,pending,\"1.234,50\",\"12,50 €\"\n"
    );
    let err = exports::parse(&mixed, "mixed.csv", None).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(
            "mixed.csv: record 1: commission: \"1.234,50\" is written with a decimal comma"
        ) && msg.contains("record 0 (commission) writes \"1,234.50\" with a decimal point"),
        "{msg}"
    );
    // One format, decimal comma: "1.234" is a thousand, "0,88" is 88 cents.
    let comma = format!(
        "{head}A,2026-03-01 10:00:00,pending,\"0,88\",\"1.234 €\"\nB,2026-03-02 10:00:00,pending,\"1.234,50\",\"12,50 €\"\n"
    );
    let e = exports::parse(&comma, "eu.csv", None).unwrap();
    let got: Vec<(i64, i64)> = e.records.iter().map(|r| (r.commission, r.amount)).collect();
    assert_eq!(got, [(88, 123_400), (123_450, 1_250)]);
    // The comma shows itself only in the last record: the records before it, read with a
    // point at first, are read again with the comma, from the file as from text.
    let late = format!(
        "{head}A,2026-03-01 10:00:00,pending,\"€1.234\",\"2.000 €\"\nB,2026-03-02 10:00:00,pending,\"1,234\",7\nC,2026-03-03 10:00:00,pending,\"0,50\",\"12,50 €\"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("late.csv");
    std::fs::write(&file, &late).unwrap();
    for e in [
        exports::parse(&late, "late.csv", None).unwrap(),
        exports::read_all(&[file], None, &Default::default()).unwrap(),
    ] {
        let got: Vec<(i64, i64)> = e.records.iter().map(|r| (r.commission, r.amount)).collect();
        assert_eq!(got, [(123_400, 200_000), (123, 700), (50, 1_250)]);
    }
}

#[test]
fn any_order_report_maps_onto_the_generic_fields() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dashboard-orders.csv");
    // "Estimated Commission" is the commission column of this dashboard.
    let map = exports::FieldMap::parse("commission=Estimated Commission").unwrap();
    let e = exports::read_mapped(&fixture, None, &map).unwrap();
    assert_eq!(e.source, exports::Source::Generic);
    let statuses: Vec<Status> = e.records.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Confirmed,
            Status::Pending,
            Status::Reversed,
            Status::Confirmed,
            Status::Settled
        ]
    );
    assert_eq!(e.records[3].commission, 8_750);
    assert_eq!(e.records[3].amount, 125_000, "thousands separators");
    assert_eq!(
        e.records[2].resolved_at.unwrap().to_string(),
        "2026-03-09 08:00:00"
    );
    assert_eq!(e.records[0].sub_id.as_deref(), Some("best-phone-cases"));
    // The same report as a JSON array reads the same.
    let json = r#"[{"order_id": "D-1", "paid_time": "2026-03-01 09:12:00", "status": "approved", "commission": "1.52", "order_value": 21.7}]"#;
    let j = exports::parse(json, "r.json", Some(exports::Source::Generic)).unwrap();
    assert_eq!(
        (
            j.records[0].status,
            j.records[0].commission,
            j.records[0].amount
        ),
        (Status::Confirmed, 152, 2170)
    );
    // A status it cannot place names the record and the field.
    let bad = json.replace("approved", "maybe");
    let err = exports::parse(&bad, "r.json", Some(exports::Source::Generic)).unwrap_err();
    assert!(
        err.to_string()
            .contains("record 0 (order_id D-1): status: \"maybe\""),
        "{err}"
    );
    // Through the binary with the clicks CSV: a fitted scenario and the per-page table.
    let clicks = fixture.with_file_name("clicks.csv");
    let v = common::succeed_json(
        affcast()
            .arg("fit")
            .arg(&fixture)
            .args([
                "--map",
                "commission=Estimated Commission",
                "--by",
                "sub_id",
                "--format",
                "json",
                "--clicks",
            ])
            .arg(&clicks),
    );
    common::scenario(v["scenario"].as_str().unwrap());
    let pages: Vec<&str> = v["by_sub_id"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["sub_id"].as_str().unwrap())
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
}

/// A minimal .xlsx workbook (one sheet, every cell an inline string) of CSV text.
fn xlsx_of(csv: &str) -> Vec<u8> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    common::workbook(
        |sheet| {
            for (i, row) in rows.iter().enumerate() {
                let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                common::sheet_row(sheet, i + 1, &cells);
            }
        },
        false,
    )
}

#[test]
fn a_spreadsheet_and_its_csv_read_the_same() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dashboard-orders.csv");
    let csv = std::fs::read_to_string(&fixture).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("dashboard-orders.xlsx");
    std::fs::write(&book, xlsx_of(&csv)).unwrap();
    let map = exports::FieldMap::parse("commission=Estimated Commission").unwrap();
    let from_csv = exports::read_mapped(&fixture, None, &map).unwrap();
    let from_xlsx = exports::read_mapped(&book, None, &map).unwrap();
    assert_eq!(from_xlsx.records, from_csv.records);
    assert_eq!(from_xlsx.source, exports::Source::Generic);
    // And fit gives the same scenario from either.
    let fitted = |f: &std::path::Path| {
        String::from_utf8(common::succeed(
            affcast()
                .arg("fit")
                .arg(f)
                .args(["--map", "commission=Estimated Commission"]),
        ))
        .unwrap()
    };
    let strip = |s: String| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    // The first line names the file; everything after is the same.
    assert_eq!(strip(fitted(&fixture)), strip(fitted(&book)));
    // Not a workbook: a clear message, exit 2.
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, "not a zip").unwrap();
    let out = affcast().arg("fit").arg(&fake).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable .xlsx workbook"));
}

/// The same orders as a generic dashboard CSV: headers in words, money in "US $1,234.56".
fn generic_csv(recs: &[serde_json::Value]) -> String {
    let money = |v: &serde_json::Value| -> String {
        let cents = match v {
            serde_json::Value::Number(n) => n.as_i64().unwrap(),
            serde_json::Value::String(s) => (s.parse::<f64>().unwrap() * 100.0).round() as i64,
            _ => 0,
        };
        let units = cents / 100;
        let grouped = if units >= 1000 {
            format!("{},{:03}", units / 1000, units % 1000)
        } else {
            units.to_string()
        };
        format!("\"US ${grouped}.{:02}\"", cents % 100)
    };
    let mut out = String::from(
        "Order ID,Paid Time,Status,Commission,Order Value,Category,Confirmed Time,Reversed Time,Country\n",
    );
    for r in recs {
        let status = r["order_status"].as_str().unwrap();
        let word = match status {
            "Payment Completed" => "Pending",
            "Invalid" => "Reversed",
            "Completed Settlement" => "Settled",
            _ => "Confirmed",
        };
        let finished = r["finished_time"].as_str().unwrap();
        let (confirmed, reversed) = if word == "Reversed" {
            ("", finished)
        } else {
            (finished, "")
        };
        out += &format!(
            "{},{},{word},{},{},{},{confirmed},{reversed},{}\n",
            r["sub_order_id"],
            r["paid_time"].as_str().unwrap(),
            money(&r["estimated_paid_commission"]),
            money(&r["paid_amount"]),
            r["category_id"].as_str().unwrap(),
            r["ship_to_country"].as_str().unwrap(),
        );
    }
    out
}

#[test]
fn a_generic_report_of_the_same_orders_fits_the_same_site() {
    let orders = synth::generate(3000, 250.0, &truths(), &Lifecycle::default(), 17);
    let recs = synth::aliexpress_records(&orders, synth::start() + Duration::days(250));
    let dir = tempfile::tempdir().unwrap();
    let api = dir.path().join("api.json");
    std::fs::write(&api, synth::aliexpress_envelope(recs.clone())).unwrap();
    let report = dir.path().join("report.csv");
    std::fs::write(&report, generic_csv(&recs)).unwrap();
    let fit = |f: &std::path::Path| {
        common::scenario(&String::from_utf8(common::succeed(affcast().arg("fit").arg(f))).unwrap())
    };
    let (a, g) = (fit(&api), fit(&report));
    // The same orders, fates, times and values: the same estimates, except the rate, which
    // the report does not state (it is derived from commission / value, bonuses included).
    assert_eq!(a.categories.len(), g.categories.len());
    for (x, y) in a.categories.iter().zip(&g.categories) {
        assert_eq!(x.name, y.name);
        assert_eq!(x.share, y.share);
        assert_eq!(x.order_value, y.order_value);
        assert_eq!(x.cancel_rate, y.cancel_rate);
        assert_eq!(x.refund_rate, y.refund_rate);
    }
    assert_eq!(
        a.program.confirm_receipt_share,
        g.program.confirm_receipt_share
    );
    assert_eq!(a.regions.len(), g.regions.len());
    assert_eq!(a.regions[0].shipping, g.regions[0].shipping);
    // And the truth is recovered: the order-value median within a few standard errors
    // (the median of n lognormal draws has s.e. ≈ 1.2533 σ m / √n).
    let median = match g.categories[0].order_value.median {
        affcast::model::Param::Fixed(m) => m,
        other => panic!("{other:?}"),
    };
    let sigma = (30.0f64 / 10.0).ln() / 1.281_551_565_544_600_5;
    let se = 1.2533 * sigma * 10.0 / (g.categories.len() as f64 * 3000.0).sqrt();
    assert!(
        (median - 10.0).abs() < 4.0 * se + 0.01,
        "median {median} vs 10 ± {se}"
    );
}

/// `affcast fit FILE` on `bytes` written to a file named `name`: its exit code and stderr.
fn fit_file(name: &str, bytes: &[u8], args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = dir.path().join("fitted.toml");
    let result = affcast()
        .arg("fit")
        .args(args)
        .arg("--output")
        .arg(&out)
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    if result.status.code() != Some(0) {
        assert!(!out.exists(), "nothing written on an error");
    }
    (result.status.code(), stderr)
}

#[test]
fn a_money_cell_is_a_plain_decimal_or_an_error_naming_it() {
    let csv = |commission: &str| {
        format!(
            "order_id,paid_time,status,commission,order_value\n\
             1,2026-03-01 10:00:00,confirmed,0.70,10.00\n\
             2,2026-03-02 10:00:00,confirmed,\"{commission}\",1000.00\n"
        )
    };
    for (cell, why) in [
        ("1.5e2", "scientific notation"),
        ("2E3", "scientific notation"),
        ("1e400", "scientific notation"),
        ("0x10", "hexadecimal notation"),
        ("NaN", "not a number"),
        ("Infinity", "not a number"),
        ("12 pcs", "digits within other text"),
        ("ab12cd", "digits within other text"),
    ] {
        let (code, stderr) = fit_file("orders.csv", csv(cell).as_bytes(), &["--source", "generic"]);
        assert_eq!(code, Some(2), "{cell}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "orders.csv: record 1 (order_id 2): commission: \"{cell}\" is not an amount: {why}"
            )),
            "{cell}: {stderr}"
        );
    }
    // Money written for people still reads.
    for cell in ["US $7.00", "$7.00", "7.00 USD", "€7,00"] {
        let (code, stderr) = fit_file("orders.csv", csv(cell).as_bytes(), &["--source", "generic"]);
        assert_eq!(code, Some(0), "{cell}: {stderr}");
    }
    // And so does a rate, strictly too.
    let rates = "sub_order_id,order_status,paid_time,paid_amount,estimated_paid_commission,commission_rate\n\
                 1,Payment Completed,2026-03-01 10:00:00,1000,70,7e0%\n";
    let (code, stderr) = fit_file("rates.csv", rates.as_bytes(), &[]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("commission_rate: \"7e0%\" is not a rate"),
        "{stderr}"
    );
}

#[test]
fn a_duplicate_json_key_is_an_error_naming_the_key() {
    let text = r#"[{"order_id": "1", "paid_time": "2026-03-01 10:00:00", "status": "confirmed",
        "commission": "0.70", "commission": -5e300}]"#;
    let (code, stderr) = fit_file("orders.json", text.as_bytes(), &["--source", "generic"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("orders.json: duplicate key \"commission\""),
        "{stderr}"
    );
    assert!(!stderr.contains("5300"), "{stderr}");
}

#[test]
fn utf16_is_read_and_other_encodings_are_named() {
    let csv = "order_id,paid_time,status,commission,category\n\
               1,2026-03-01 10:00:00,confirmed,0.70,Téléphones\n\
               2,2026-03-02 10:00:00,pending,0.90,Téléphones\n";
    let utf8 = fit_file("orders.csv", csv.as_bytes(), &["--source", "generic"]);
    assert_eq!(utf8.0, Some(0), "{}", utf8.1);
    // UTF-16 with a byte-order mark, as spreadsheet programs save "Unicode text".
    for little in [true, false] {
        let mut bytes = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in csv.encode_utf16() {
            bytes.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        let (code, stderr) = fit_file("orders.csv", &bytes, &["--source", "generic"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(stderr.contains("2 generic records"), "{stderr}");
    }
    // Latin-1: "é" is one byte, 0xE9.
    let latin1: Vec<u8> = csv.chars().map(|c| c as u32 as u8).collect();
    let (code, stderr) = fit_file("orders.csv", &latin1, &["--source", "generic"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("orders.csv: not UTF-8 text (byte 0xE9 on line 2; it looks like Latin-1"),
        "{stderr}"
    );
    // UTF-16 without a mark.
    let bare: Vec<u8> = csv.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let (code, stderr) = fit_file("orders.csv", &bare, &["--source", "generic"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("UTF-16 without a byte-order mark"),
        "{stderr}"
    );
}

#[test]
fn an_admitad_fixed_payment_has_no_rate_and_a_percentage_is_a_boolean() {
    // `percentage` false: `rate` is a fixed amount per action (here 150.00), not a percent.
    let text = export(&[action(
        1,
        "approved",
        "500.00",
        "150.00",
        r#"[{"product_category_name": "Phones", "rate": "150.00", "percentage": false, "amount": "500.00", "payment": "150.00"}]"#,
    )]);
    let e = exports::parse(&text, "actions.json", None).unwrap();
    assert_eq!((e.records[0].rate, e.records[0].commission), (None, 15000));
    // The shape once assumed (the percent in `percentage`) is refused, naming the field.
    let text = export(&[action(
        2,
        "approved",
        "50.00",
        "0.50",
        r#"[{"product_category_name": "Phones", "percentage": "1.00", "amount": "50.00", "payment": "0.50"}]"#,
    )]);
    let err = exports::parse(&text, "actions.json", None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("positions[0]: percentage: \"1.00\" is not true or false"),
        "{err}"
    );
}

/// Rows written as CSV and the same rows as JSON records (every cell a string, empty cells
/// left out).
fn csv_and_json(header: &[&str], rows: &[&[&str]]) -> (String, String) {
    let mut csv = header.join(",") + "\n";
    let mut records = Vec::new();
    for row in rows {
        let quoted: Vec<String> = row.iter().map(|c| format!("\"{c}\"")).collect();
        csv += &(quoted.join(",") + "\n");
        let fields: Vec<String> = (header.iter().zip(row.iter()))
            .filter(|(_, c)| !c.is_empty())
            .map(|(h, c)| format!("\"{h}\": \"{c}\""))
            .collect();
        records.push(format!("{{{}}}", fields.join(", ")));
    }
    (csv, format!("[{}]", records.join(",\n")))
}

#[test]
fn a_csv_export_reads_as_the_same_records_written_as_json() {
    let parse = |text: &str, name: &str, map: &str| {
        let map = if map.is_empty() {
            exports::FieldMap::default()
        } else {
            exports::FieldMap::parse(map).unwrap()
        };
        exports::parse_with(text, name, None, &map).map_err(|e| e.to_string())
    };
    // Headers in any case and spacing, a mapped column, money written for people with a
    // decimal comma, empty cells, and an extra column no field names.
    let header = [
        "Sub Order ID",
        "ORDER_STATUS",
        "Order Time",
        "finished-time",
        "Paid Amount",
        "Estimated Paid Commission",
        "commission_rate",
        "Category_ID",
        "Note",
    ];
    let rows: &[&[&str]] = &[
        &[
            "11",
            "Buyer Confirmed Receipt",
            "2026-05-01 10:00:00",
            "2026-06-01 10:00:00",
            "1.234,50 €",
            "61,73",
            "5.00%",
            "phones",
            "",
        ],
        &[
            "12",
            "Payment Completed",
            "2026-05-02 11:30:00",
            "",
            "20,00",
            "1,40",
            "7.00%",
            "",
            "gift",
        ],
        &[
            "13",
            "Invalid",
            "2026-05-03 12:00:00",
            "2026-05-09 08:00:00",
            "9,99",
            "0,50",
            "",
            "home",
            "",
        ],
    ];
    let (csv, json) = csv_and_json(&header, rows);
    let map = "paid_time=Order Time";
    let from_csv = parse(&csv, "orders.csv", map).unwrap();
    let from_json = parse(&json, "orders.json", map).unwrap();
    assert_eq!(from_csv.records, from_json.records);
    assert_eq!(from_csv.records.len(), 3);
    assert_eq!(
        from_csv.records[0].amount, 123_450,
        "1.234,50 € read with its comma"
    );

    // Two columns naming one field: the later by name wins, in CSV as in JSON.
    let header = [
        "sub_order_id",
        "order_status",
        "paid_time",
        "Paid Time",
        "paid_amount",
        "estimated_paid_commission",
    ];
    let rows: &[&[&str]] = &[&[
        "21",
        "Payment Completed",
        "2026-05-01 10:00:00",
        "2026-05-04 10:00:00",
        "10.00",
        "0.70",
    ]];
    let (csv, json) = csv_and_json(&header, rows);
    let from_csv = parse(&csv, "twice.csv", "").unwrap();
    assert_eq!(
        from_csv.records,
        parse(&json, "twice.json", "").unwrap().records
    );
    assert_eq!(
        from_csv.records[0].paid_at.to_string(),
        "2026-05-01 10:00:00"
    );

    // A record mixing number formats is named by the same cells, and a missing field lists
    // the same columns, as the file names them.
    let refused = |header: &[&str], rows: &[&[&str]]| {
        let (csv, json) = csv_and_json(header, rows);
        let e = parse(&csv, "x", "").unwrap_err();
        assert_eq!(e, parse(&json, "x", "").unwrap_err());
        e
    };
    let e = refused(
        &[
            "sub_order_id",
            "Paid Time",
            "Paid Amount",
            "Estimated Paid Commission",
            "order_status",
        ],
        &[&[
            "31",
            "2026-05-01 10:00:00",
            "1.234,50",
            "1,234.50",
            "Payment Completed",
        ]],
    );
    assert!(e.contains("mixes number formats"), "{e}");
    let e = refused(
        &["sub_order_id", "Paid Time", "order_status", "Ship To"],
        &[&["41", "2026-05-01 10:00:00", "Payment Completed", "FR"]],
    );
    assert!(e.contains("paid_amount"), "{e}");
}
