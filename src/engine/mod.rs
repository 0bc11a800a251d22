//! The Monte Carlo engine: trials in parallel, each one consistent world.

mod trial;
mod world;

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::ledger::{PayoutOutcome, TrialLedger};
use crate::model::{Cents, Scenario};

pub use trial::{Scratch, TrialRng, simulate, simulate_world, stream};
pub use world::{CategoryWorld, RegionWorld, World};

/// What a run will cost, estimated before starting from the central values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Work {
    /// Buyers drawn over all trials (each followed through its lifecycle).
    pub buyers: f64,
    /// Wall time on this machine's cores at a conservative 5 million buyers per second per core.
    pub seconds: f64,
    /// Memory for the per-trial monthly results, bytes.
    pub bytes: f64,
}

/// Estimates the work of running `variants` variants of a scenario; `ledgers`: whether every
/// trial's monthly ledger is kept (a forecast) or only a few figures (compare, sensitivity).
pub fn estimate(sc: &Scenario, variants: usize, threads: usize, ledgers: bool) -> Work {
    let cal = sc.calendar();
    let clicks = sc.traffic.clicks_per_month.central();
    let growth = 1.0 + sc.traffic.monthly_growth.central();
    let conversion: f64 = sc
        .categories
        .iter()
        .map(|c| c.share * c.conversion_rate.central())
        .sum();
    let mut buyers = 0.0;
    for m in 0..cal.months() {
        let days = cal.month_start[m]..cal.month_start[m + 1];
        let month: f64 = days
            .map(|d| {
                cal.traffic_factor[d] * cal.conversion_factor[d].min(1.0 / conversion.max(1e-12))
            })
            .sum();
        buyers += clicks * growth.powi(m as i32) * month * conversion;
    }
    let trials = sc.trials as f64 * variants as f64;
    let cores = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    } as f64;
    Work {
        buyers: buyers * trials,
        seconds: buyers * trials / (5e6 * cores),
        bytes: if ledgers {
            trials * cal.months() as f64 * crate::ledger::N_METRICS as f64 * 8.0
        } else {
            trials * 64.0
        },
    }
}

/// Runs every trial of a scenario on `threads` threads (0: one per core) and returns the
/// ledgers in trial order, so the result does not depend on the thread count.
pub fn run(sc: &Scenario, threads: usize, progress: &ProgressBar) -> Result<Vec<TrialLedger>> {
    Ok(run_with_payouts(sc, threads, progress, &[])?
        .into_iter()
        .map(|(ledger, _)| ledger)
        .collect())
}

/// Like [`run`], and for each trial its money replayed at each of `thresholds` (cents).
pub fn run_with_payouts(
    sc: &Scenario,
    threads: usize,
    progress: &ProgressBar,
    thresholds: &[Cents],
) -> Result<Vec<(TrialLedger, Vec<PayoutOutcome>)>> {
    let cal = sc.calendar();
    in_pool(threads, || {
        (0..sc.trials as u64)
            .into_par_iter()
            .map_init(Scratch::default, |scratch, t| {
                let ledger = simulate(sc, &cal, t, scratch);
                let payouts = scratch.replay_payouts(&cal, &sc.program, thresholds);
                progress.inc(1);
                (ledger, payouts)
            })
            .collect()
    })
}

/// Runs `f` on a pool of `threads` threads (0: one per core).
pub fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> Result<T> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
    Ok(pool.install(f))
}

/// Runs trials `0..trials` of every variant with common random numbers (each variant under
/// its own seed, which callers set equal) and returns `f(ledger)` per variant and trial, in
/// order. Work is spread over (variant, trial) pairs, so many small variants still use every
/// core.
pub fn run_paired<T: Send>(
    variants: &[Scenario],
    trials: u32,
    threads: usize,
    progress: &ProgressBar,
    f: impl Fn(&TrialLedger) -> T + Sync,
) -> Result<Vec<Vec<T>>> {
    let calendars: Vec<_> = variants.iter().map(Scenario::calendar).collect();
    let n = trials as usize;
    let flat: Vec<T> = in_pool(threads, || {
        (0..variants.len() * n)
            .into_par_iter()
            .map_init(Scratch::default, |scratch, i| {
                let (v, t) = (i / n, i % n);
                let ledger = simulate(&variants[v], &calendars[v], t as u64, scratch);
                progress.inc(1);
                f(&ledger)
            })
            .collect()
    })?;
    let mut it = flat.into_iter();
    Ok((0..variants.len())
        .map(|_| it.by_ref().take(n).collect())
        .collect())
}
