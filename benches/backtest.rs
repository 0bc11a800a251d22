//! A backtest of a year and a half of a mid-sized site: 20 months, about 12,000 orders and
//! their daily clicks, 8 origins × 1000 trials × 3 months ahead, through the same service the
//! command calls (reading excluded).
//!
//! `cargo bench --bench backtest`

use std::fmt::Write as _;
use std::hint::black_box;

use affcast::app::{self, BacktestJob, RunOptions};
use affcast::engine::Control;
use affcast::exports::{self, Clicks};
use criterion::{Criterion, criterion_group, criterion_main};

/// 608 days from 2027-01-01: about 2000 clicks a day, one attributed order per 100 clicks; a
/// tenth of the orders reversed within 40 days, the rest confirmed 10 to 60 days after
/// payment, those still open at the end pending.
#[allow(clippy::cast_possible_truncation)] // small counts and day numbers
fn site() -> (String, String) {
    let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let end = start.and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::days(608);
    // A fixed linear congruential sequence: the same site on every run.
    let mut x: u64 = 7;
    let mut next = |m: u64| {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (x >> 33) % m
    };
    let mut orders = String::from(
        "sub_order_id,order_status,paid_time,finished_time,paid_amount,estimated_paid_commission,commission_rate,category_id\n",
    );
    let mut clicks = String::from("date,clicks\n");
    let mut id = 0;
    for d in 0..608 {
        let day = start + chrono::Days::new(d);
        let n = 1900 + next(200);
        let _ = writeln!(clicks, "{day},{n}");
        for _ in 0..n {
            if next(100) != 0 {
                continue;
            }
            let paid =
                day.and_hms_opt(0, 0, 0).unwrap() + chrono::Duration::seconds(next(86_400) as i64);
            let (reversed, after) = if next(10) == 0 {
                (true, 1 + next(40))
            } else {
                (false, 10 + next(50))
            };
            let at = paid + chrono::Duration::days(after as i64);
            let (status, finished) = match (at > end, reversed) {
                (true, _) => ("Payment Completed", String::new()),
                (false, true) => ("Invalid", at.format("%Y-%m-%d %H:%M:%S").to_string()),
                (false, false) => (
                    "Buyer Confirmed Receipt",
                    at.format("%Y-%m-%d %H:%M:%S").to_string(),
                ),
            };
            let cents = 300 + next(3_000);
            let _ = writeln!(
                orders,
                "{id},{status},{},{finished},{}.{:02},{}.{:02},7.00%,{}",
                paid.format("%Y-%m-%d %H:%M:%S"),
                cents / 100,
                cents % 100,
                cents * 7 / 10_000,
                (cents * 7 / 100) % 100,
                ["44", "509"][next(2) as usize],
            );
            id += 1;
        }
    }
    (orders, clicks)
}

fn backtest(c: &mut Criterion) {
    let (orders, clicks) = site();
    let export = exports::parse(&orders, "bench.csv", None).unwrap();
    let clicks = Clicks::parse_text(&clicks, "clicks.csv").unwrap();
    eprintln!("backtest bench: {} orders", export.records.len());
    let run = RunOptions::new(Some(1000), None, None, 0, false).unwrap();
    let job = BacktestJob::new(export, clicks, None, 3, 8, &run).unwrap();
    let mut g = c.benchmark_group("backtest");
    g.sample_size(10);
    g.bench_function("12k-orders-8-origins", |b| {
        b.iter(|| black_box(app::backtest(&job, &Control::quiet()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, backtest);
criterion_main!(benches);
