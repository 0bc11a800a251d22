//! Engine throughput, and the floor it is measured against.
//!
//! `cargo bench --bench engine`
//!
//! - `engine/one-thread`: attributed orders per second through the whole lifecycle on one
//!   thread (scenarios/bench-large.toml: large traffic, every feature on).
//! - `floor/draws-only`: the same number of orders, drawing only the random numbers one order
//!   needs (same generator, same distributions), booking nothing. engine / floor is what the
//!   bookkeeping costs.
//! - `threads/1` and `threads/2`: the whole bench scenario on 1 and 2 threads.
//! - `forecast/default`: the built-in default forecast, 2000 trials, every core.

use std::hint::black_box;
use std::path::Path;

use affcast::engine::{Control, Scratch, Stream, World, simulate, stream};
use affcast::ledger::Metric;
use affcast::model::Scenario;
use affcast::scenario;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1};

fn bench_scenario() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bench-large.toml");
    scenario::load(&path).expect("the bench scenario is valid")
}

const TRIALS: u64 = 8;

/// Attributed orders in the first `TRIALS` trials of the bench scenario.
fn orders_in(sc: &Scenario) -> u64 {
    let cal = sc.calendar();
    let mut scratch = Scratch::default();
    (0..TRIALS)
        .map(|t| simulate(sc, None, &cal, t, &mut scratch).total(Metric::Orders) as u64)
        .sum()
}

fn engine_one_thread(c: &mut Criterion) {
    let sc = bench_scenario();
    let cal = sc.calendar();
    let orders = orders_in(&sc);
    let mut scratch = Scratch::default();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(orders));
    g.sample_size(10);
    g.bench_function("one-thread", |b| {
        b.iter(|| {
            for t in 0..TRIALS {
                black_box(simulate(&sc, None, &cal, t, &mut scratch));
            }
        })
    });
    g.finish();
}

#[inline]
fn two_uniforms(rng: &mut impl Rng) -> (f64, f64) {
    let x = rng.next_u64();
    (
        (x >> 32) as f64 * 2.3283064365386963e-10,
        (x & 0xFFFF_FFFF) as f64 * 2.3283064365386963e-10,
    )
}

/// The random numbers of one buyer who becomes an order, as the engine draws them for the
/// bench scenario: click time and session, purchase delay and cookie survival for the half
/// who buy later, order value, hot/new-buyer, region and cancellation, processing, shipping,
/// refund and confirmation, and one delay after delivery.
#[inline]
fn one_order_draws(w: &World, rng: &mut affcast::engine::TrialRng) -> f64 {
    let cat = &w.categories[0];
    let (u, s) = two_uniforms(rng);
    let mut acc = u + s;
    if s >= w.same_session_share {
        acc += w.purchase_delay.sample(rng);
        acc += Distribution::<f64>::sample(&Exp1, rng);
    }
    acc += cat.order_value.sample(rng);
    let (h, n) = two_uniforms(rng);
    let (r, c) = two_uniforms(rng);
    acc += h + n + r + c;
    acc += w.processing.sample(rng);
    acc += w.regions[0].shipping.sample(rng);
    let (f, k) = two_uniforms(rng);
    acc += f + k + w.confirm_delay.sample(rng);
    acc
}

fn floor(c: &mut Criterion) {
    let sc = bench_scenario();
    let orders = orders_in(&sc);
    let world = World::draw(&sc, &mut stream(sc.seed, 0, Stream::World));
    let mut rng = stream(sc.seed, 0, Stream::Orders(0));
    let mut g = c.benchmark_group("floor");
    g.throughput(Throughput::Elements(orders));
    g.sample_size(10);
    g.bench_function("draws-only", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for _ in 0..orders {
                acc += one_order_draws(&world, &mut rng);
            }
            black_box(acc + rng.random::<f64>())
        })
    });
    g.finish();
}

fn threads(c: &mut Criterion) {
    let mut sc = bench_scenario();
    sc.trials = 32;
    let orders: u64 = affcast::engine::run(&sc, None, 1, &Control::quiet())
        .unwrap()
        .iter()
        .map(|l| l.total(Metric::Orders) as u64)
        .sum();
    let mut g = c.benchmark_group("threads");
    g.throughput(Throughput::Elements(orders));
    g.sample_size(10);
    for t in [1usize, 2] {
        g.bench_function(format!("{t}"), |b| {
            b.iter(|| black_box(affcast::engine::run(&sc, None, t, &Control::quiet()).unwrap()))
        });
    }
    g.finish();
}

fn default_forecast(c: &mut Criterion) {
    let sc = scenario::builtin();
    let mut g = c.benchmark_group("forecast");
    g.sample_size(10);
    g.bench_function("default", |b| {
        b.iter(|| black_box(affcast::forecast(&sc, None, 0, &Control::quiet()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, engine_one_thread, floor, threads, default_forecast);
criterion_main!(benches);
