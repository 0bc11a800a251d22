//! The long run: 10,000 trials × 120 months of the default scenario, once, with its wall
//! time and the process's peak memory. Too long to repeat under a statistics harness.
//!
//! `cargo bench --bench long_run`

use std::time::Instant;

use affcast::engine::Control;

/// Peak resident memory of this process in MB (Linux), if known.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this in test mode: skip then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // Memory must not grow with traffic: orders are streamed into the day arrays. The same
    // 1000 trials at 1× and then 10× the clicks; the peak after the second is the check.
    for scale in [1.0, 10.0] {
        let mut sc = affcast::scenario::builtin();
        sc.trials = 1000;
        sc.months = 120;
        sc.traffic.clicks_per_month = sc.traffic.clicks_per_month.scaled(scale);
        let start = Instant::now();
        let (_, ledgers) = affcast::forecast(&sc, None, 0, &Control::quiet()).expect("runs");
        let orders: i64 = ledgers
            .iter()
            .map(|l| l.total(affcast::ledger::Metric::Orders))
            .sum();
        println!(
            "long_run: 1000 trials x 120 months at {scale}x clicks: {:.1} M orders in {:.2} s, peak memory so far {} MB",
            orders as f64 / 1e6,
            start.elapsed().as_secs_f64(),
            peak_rss_mb().map_or("?".into(), |m| format!("{m:.0}"))
        );
    }

    let mut sc = affcast::scenario::builtin();
    sc.trials = 10_000;
    sc.months = 120;
    let start = Instant::now();
    let (forecast, ledgers) = affcast::forecast(&sc, None, 0, &Control::quiet()).expect("runs");
    let wall = start.elapsed().as_secs_f64();
    let orders: i64 = ledgers
        .iter()
        .map(|l| l.total(affcast::ledger::Metric::Orders))
        .sum();
    println!(
        "long_run: 10000 trials x 120 months: {wall:.2} s wall, {:.1} M orders ({:.1} M orders/s), peak memory {} MB, {} months reported",
        orders as f64 / 1e6,
        orders as f64 / 1e6 / wall,
        peak_rss_mb().map_or("?".into(), |m| format!("{m:.0}")),
        forecast.months.len()
    );
}
