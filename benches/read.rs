//! Reading order exports: records per second and the memory they take.
//!
//! `cargo bench --bench read`
//!
//! - `read/csv-100k`: 100,000 AliExpress orders as CSV (about 9.5 MB), parsed into records.
//! - `read/json-100k`: the same orders as the API's response envelope (about 65 MB).
//! - `fit/csv-100k`: the same, fitted into a scenario.
//!
//! The 1M-order figures in the README come from the binary under `/usr/bin/time -v` on files
//! of ten times this size: `AFFCAST_BIG_EXPORTS=DIR cargo bench --bench read` writes them.

use std::fmt::Write as _;
use std::hint::black_box;

use affcast::exports;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// One generated order, as the export writes it.
struct Row {
    id: usize,
    status: &'static str,
    paid: String,
    finished: String,
    cents: u64,
    commission: u64,
    category: &'static str,
    page: u64,
    country: &'static str,
}

/// `n` orders paid over 300 days in three categories, four countries and 40 pages; a tenth
/// reversed, the rest confirmed 10 to 60 days later or still pending.
#[allow(clippy::cast_possible_truncation)] // indices below 4 and day counts below 300
fn rows(n: usize) -> Vec<Row> {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    // A fixed linear congruential sequence: the same file on every run.
    let mut x: u64 = 1;
    let mut next = |m: u64| {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (x >> 33) % m
    };
    let time = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
    (0..n)
        .map(|i| {
            let paid = start + chrono::Duration::seconds(next(300 * 86_400) as i64);
            let (status, finished) = match next(10) {
                _ if paid > start + chrono::Duration::days(240) => {
                    ("Payment Completed", String::new())
                }
                0 => (
                    "Invalid",
                    time(paid + chrono::Duration::days(1 + next(40) as i64)),
                ),
                _ => (
                    "Buyer Confirmed Receipt",
                    time(paid + chrono::Duration::days(10 + next(50) as i64)),
                ),
            };
            let cents = 100 + next(5_000);
            Row {
                id: 1_000_000 + i,
                status,
                paid: time(paid),
                finished,
                cents,
                commission: cents * 7 / 100,
                category: ["200001", "100003", "44"][next(3) as usize],
                page: next(40),
                country: ["ES", "FR", "BR", "US"][next(4) as usize],
            }
        })
        .collect()
}

/// The rows as an AliExpress CSV download (amounts as decimals).
fn csv(rows: &[Row]) -> String {
    let mut out = String::from(
        "sub_order_id,order_status,paid_time,finished_time,paid_amount,estimated_paid_commission,commission_rate,category_id,tracking_id,ship_to_country\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{}.{:02},{}.{:02},7.00%,{},p{},{}",
            r.id,
            r.status,
            r.paid,
            r.finished,
            r.cents / 100,
            r.cents % 100,
            r.commission / 100,
            r.commission % 100,
            r.category,
            r.page,
            r.country,
        );
    }
    out
}

/// The rows as the API's response envelope (amounts in integer cents, as live responses
/// give them, with the record's other fields).
fn json(rows: &[Row]) -> String {
    let mut out = String::from(
        r#"{"aliexpress_affiliate_order_list_response":{"resp_result":{"resp_code":200,"result":{"orders":{"order":["#,
    );
    for (i, r) in rows.iter().enumerate() {
        let finished = if r.finished.is_empty() {
            String::new()
        } else {
            format!(r#""finished_time":"{}","#, r.finished)
        };
        let _ = write!(
            out,
            r#"{}{{"order_id":"{}","sub_order_id":"{}","order_status":"{}","created_time":"{paid}","paid_time":"{paid}",{finished}"paid_amount":{cents},"finished_amount":{cents},"estimated_paid_commission":{commission},"estimated_finished_commission":{commission},"commission_rate":"7.00%","new_buyer_bonus_commission":0,"is_new_buyer":"N","is_hot_product":"N","category_id":"{}","product_id":"1005{:09}","product_count":1,"tracking_id":"p{}","custom_parameters":"","settled_currency":"USD","ship_to_country":"{}","order_type":"global","order_platform":"mobile"}}"#,
            if i == 0 { "" } else { "," },
            r.id / 2,
            r.id,
            r.status,
            r.category,
            r.id,
            r.page,
            r.country,
            paid = r.paid,
            cents = r.cents,
            commission = r.commission,
        );
    }
    out.push_str("]}}}}}");
    out
}

/// With `AFFCAST_BIG_EXPORTS=DIR`, writes a year of a large site (1,000,000 orders) as
/// `DIR/orders-1m.csv` and `DIR/orders-1m.json`, for timing the whole binary on them.
fn write_big_exports() {
    let Some(dir) = std::env::var_os("AFFCAST_BIG_EXPORTS") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let rows = rows(1_000_000);
    std::fs::write(dir.join("orders-1m.csv"), csv(&rows)).expect("writing orders-1m.csv");
    std::fs::write(dir.join("orders-1m.json"), json(&rows)).expect("writing orders-1m.json");
}

fn read(c: &mut Criterion) {
    write_big_exports();
    let rows = rows(100_000);
    let (text, envelope) = (csv(&rows), json(&rows));
    let mut g = c.benchmark_group("read");
    g.throughput(Throughput::Elements(100_000));
    g.sample_size(10);
    g.bench_function("csv-100k", |b| {
        b.iter(|| black_box(exports::parse(&text, "bench.csv", None).unwrap()))
    });
    g.bench_function("json-100k", |b| {
        b.iter(|| black_box(exports::parse(&envelope, "bench.json", None).unwrap()))
    });
    g.finish();
    let export = exports::parse(&text, "bench.csv", None).unwrap();
    let mut g = c.benchmark_group("fit");
    g.throughput(Throughput::Elements(100_000));
    g.sample_size(10);
    g.bench_function("csv-100k", |b| {
        b.iter(|| black_box(affcast::fit::fit(&export, "bench.csv", None).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
