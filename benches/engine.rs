//! Engine throughput, and the floor it is measured against.
//!
//! `cargo bench --bench engine`
//!
//! - `engine/one-thread`: attributed orders per second through the whole lifecycle on one
//!   thread (scenarios/bench-large.toml: large traffic, every feature on).
//! - `floor/draws-only`: the same number of orders, drawing only the random numbers one order
//!   needs (same generator, same distributions), booking nothing. engine / floor is what the
//!   bookkeeping costs.
//! - `floor/batched`: the same draws for 64 orders at a time, as the engine's lanes make them:
//!   words in bulk, the normals of the batch, one loop of `fast_exp` over the lognormals'
//!   exponents, and nothing booked.
//! - `floor/tabled`: what the engine draws now that the bench scenario's fates come from a
//!   table: per order a word for its click, the purchase delay's lognormal and the cookie's
//!   survival for the half who buy later, the value's lognormal, a word for hot items and new
//!   buyers, and two words for its fate, one of them drawn from an alias table of 1,440
//!   eighth-day cells (the engine's own table, one word a draw);
//!   in batches of 64, nothing booked. engine / this floor is what following and booking
//!   cost, like for like.
//! - `threads/1` and `threads/2`: the whole bench scenario on 1 and 2 threads.
//! - `forecast/default`: the built-in default forecast, 2000 trials, every core.

use std::hint::black_box;
use std::path::Path;

use affcast::engine::{Alias, Control, Scratch, Stream, World, simulate, stream};
use affcast::ledger::Metric;
use affcast::model::Scenario;
use affcast::model::dist::fast_exp;
use affcast::scenario;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, StandardNormal};

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

/// Orders drawn together in [`batched_draws`], as the engine's lanes hold them.
const BATCH: usize = 64;

/// Standard normals for every slot (rand_distr's ziggurat, as the engine draws them).
#[inline]
fn normals(out: &mut [f64], rng: &mut affcast::engine::TrialRng) {
    for z in out {
        *z = StandardNormal.sample(rng);
    }
}

/// The draws of [`one_order_draws`] for a batch of orders, as the engine's lanes make them:
/// the words of the batch in bulk, then its normals, then one loop of `fast_exp` over the
/// exponents of its lognormals (five per order: the purchase delay, the value, processing,
/// shipping, the delay after delivery), and the cookie's exponential for the half who buy
/// later. Nothing is booked.
fn batched_draws(w: &World, rng: &mut affcast::engine::TrialRng) -> f64 {
    let cat = &w.categories[0];
    let dists = [
        w.purchase_delay,
        cat.order_value,
        w.processing,
        w.regions[0].shipping,
        w.confirm_delay,
    ];
    let mut words = [0u64; BATCH * 4];
    let mut z = [0.0f64; BATCH * 5];
    let mut e = [0.0f32; BATCH * 5];
    for x in &mut words {
        *x = rng.next_u64();
    }
    normals(&mut z, rng);
    let mut acc = 0.0;
    for _ in 0..BATCH / 2 {
        acc += Distribution::<f64>::sample(&Exp1, rng);
    }
    for (i, (e, z)) in e.iter_mut().zip(&z).enumerate() {
        *e = dists[i / BATCH].exponent(*z);
    }
    for x in &mut e {
        *x = fast_exp(*x);
    }
    for (i, x) in e.iter().enumerate() {
        acc += dists[i / BATCH].finish(*x);
    }
    acc + words.iter().map(|&x| (x >> 60) as f64).sum::<f64>()
}

/// Cells of a fate table: 180 days of eighth days, weighted like the bench world's
/// shipping delay (a stand-in of the table's size and shape; drawing from it costs the same).
struct Table {
    alias: Alias,
    start: Vec<f32>,
}

impl Table {
    #[allow(clippy::cast_possible_truncation)] // eighth days below 180 are exact in f32
    fn new(w: &World) -> Table {
        let d = &w.regions[0].shipping;
        let density = |t: f64| (-((t.ln() - d.mu) / d.sigma).powi(2) / 2.0).exp() / t;
        let t = |j: usize| (j as f64 + 0.5) / 8.0;
        let weights: Vec<f64> = (0..1440).map(|j| density(t(j))).collect();
        Table {
            alias: Alias::new(&weights).expect("positive weights"),
            start: (0..1440).map(|j| t(j) as f32).collect(),
        }
    }
}

/// The draws of a batch of orders whose fates come from a table, as the engine makes them
/// for the bench scenario (see `floor/tabled`). Nothing is booked.
#[allow(clippy::cast_possible_truncation)] // exponents in single precision, as the engine takes them
fn tabled_draws(w: &World, table: &Table, rng: &mut affcast::engine::TrialRng) -> f64 {
    let cat = &w.categories[0];
    let mut words = [0u64; BATCH * 2];
    let mut z = [0.0f64; BATCH + BATCH / 2];
    let mut e = [0.0f32; BATCH * 2];
    for x in &mut words {
        *x = rng.next_u64();
    }
    normals(&mut z, rng);
    // The later half's purchase delays, then everyone's values.
    for (i, (e, z)) in e.iter_mut().zip(&z).enumerate() {
        let d = if i < BATCH / 2 {
            &w.purchase_delay
        } else {
            &cat.order_value
        };
        *e = d.exponent(*z);
    }
    let (lognormals, survival) = e.split_at_mut(BATCH + BATCH / 2);
    for x in lognormals.iter_mut() {
        *x = fast_exp(*x);
    }
    // The cookie's survival, e^(−rate·delay), for the later half.
    for (s, &x) in survival.iter_mut().zip(&lognormals[..BATCH / 2]) {
        *s = fast_exp((-w.overwrite_rate * w.purchase_delay.finish(x)) as f32);
    }
    let mut acc: f64 = e.iter().map(|&x| f64::from(x)).sum();
    for _ in 0..BATCH {
        let (u, within) = two_uniforms(rng);
        let cell = table.alias.draw(rng.next_u64());
        acc += u + f64::from(table.start[cell]) + within;
    }
    acc + words.iter().map(|&x| (x >> 60) as f64).sum::<f64>()
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
    g.bench_function("batched", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for _ in 0..orders.div_ceil(BATCH as u64) {
                acc += batched_draws(&world, &mut rng);
            }
            black_box(acc)
        })
    });
    let table = Table::new(&world);
    g.bench_function("tabled", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for _ in 0..orders.div_ceil(BATCH as u64) {
                acc += tabled_draws(&world, &table, &mut rng);
            }
            black_box(acc)
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
