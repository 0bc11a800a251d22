//! Reading order exports: records per second and the memory they take.
//!
//! `cargo bench --bench read`
//!
//! - `read/csv-100k`: 100,000 AliExpress orders as CSV (about 9.5 MB), parsed into records.
//! - `fit/csv-100k`: the same, fitted into a scenario.
//!
//! The 1M-order figures in the README (13 s, 561 MB for `fit --by sub_id`) come from the
//! binary under `/usr/bin/time -v` on a generated file of ten times this size.

use std::fmt::Write as _;
use std::hint::black_box;

use affcast::exports;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// `n` orders paid over 300 days in three categories, four countries and 40 pages; a tenth
/// reversed, the rest confirmed 10 to 60 days later or still pending.
#[allow(clippy::cast_possible_truncation)] // indices below 4 and day counts below 300
fn csv(n: usize) -> String {
    let mut out = String::from(
        "sub_order_id,order_status,paid_time,finished_time,paid_amount,estimated_paid_commission,commission_rate,category_id,tracking_id,ship_to_country\n",
    );
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
    for i in 0..n {
        let paid = start + chrono::Duration::seconds(next(300 * 86_400) as i64);
        let (status, finished) = match next(10) {
            _ if paid > start + chrono::Duration::days(240) => ("Payment Completed", String::new()),
            0 => (
                "Invalid",
                (paid + chrono::Duration::days(1 + next(40) as i64))
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
            ),
            _ => (
                "Buyer Confirmed Receipt",
                (paid + chrono::Duration::days(10 + next(50) as i64))
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
            ),
        };
        let cents = 100 + next(5_000);
        let _ = writeln!(
            out,
            "{},{status},{},{finished},{}.{:02},{}.{:02},7.00%,{},p{},{}",
            1_000_000 + i,
            paid.format("%Y-%m-%d %H:%M:%S"),
            cents / 100,
            cents % 100,
            cents * 7 / 10_000,
            (cents * 7 / 100) % 100,
            ["200001", "100003", "44"][next(3) as usize],
            next(40),
            ["ES", "FR", "BR", "US"][next(4) as usize],
        );
    }
    out
}

fn read(c: &mut Criterion) {
    let text = csv(100_000);
    let mut g = c.benchmark_group("read");
    g.throughput(Throughput::Elements(100_000));
    g.sample_size(10);
    g.bench_function("csv-100k", |b| {
        b.iter(|| black_box(exports::parse(&text, "bench.csv", None).unwrap()))
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
