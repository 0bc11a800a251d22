//! Engine throughput: attributed orders simulated per second through the whole lifecycle.
//!
//! `cargo bench --bench engine`

use std::hint::black_box;
use std::path::Path;

use affcast::engine::{Scratch, simulate};
use affcast::ledger::Metric;
use affcast::scenario;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn load(name: &str) -> affcast::model::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    scenario::load(&path).expect("bench scenario is valid")
}

/// One trial of the large scenario on one thread; throughput in attributed orders.
fn engine_one_thread(c: &mut Criterion) {
    let sc = load("bench-large.toml");
    let cal = sc.calendar();
    let mut scratch = Scratch::default();
    // Orders per trial vary with the drawn world; average a few trials for the throughput.
    let trials = 8u64;
    let orders: i64 = (0..trials)
        .map(|t| simulate(&sc, &cal, t, &mut scratch).total(Metric::Orders))
        .sum();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(orders as u64));
    g.sample_size(10);
    g.bench_function("bench-large, 8 trials, 1 thread", |b| {
        b.iter(|| {
            for t in 0..trials {
                black_box(simulate(&sc, &cal, t, &mut scratch));
            }
        })
    });
    g.finish();
}

/// The whole default forecast (2000 trials) on every core.
fn default_forecast(c: &mut Criterion) {
    let sc = scenario::builtin();
    let mut g = c.benchmark_group("forecast");
    g.sample_size(10);
    g.bench_function("default scenario, 2000 trials", |b| {
        b.iter(|| black_box(affcast::forecast(&sc, 0, &indicatif::ProgressBar::hidden()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, engine_one_thread, default_forecast);
criterion_main!(benches);
