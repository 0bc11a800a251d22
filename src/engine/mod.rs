//! The Monte Carlo engine: trials in parallel, each one consistent world.
//!
//! A run is told how to report progress and when to stop by a [`Control`]; it prints
//! nothing.

mod book;
mod days;
mod fates;
mod lanes;
mod links;
mod reversal;
mod rng;
mod shared;
mod table;
mod trial;
mod world;

use std::cell::OnceCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::ledger::{PayoutOutcome, TrialLedger};
use crate::model::{Calendar, Cents, Scenario, monthly_clicks};
use crate::pipeline::Pipeline;

pub use links::TrialLinks;
pub use reversal::ReversalDelays;
pub use rng::{Stream, TrialRng, stream};
pub use table::Alias;
use table::tabled_in_every_trial;
pub use trial::{Scratch, Simulated, simulate};
pub use world::{CategoryWorld, LinkWorld, RegionWorld, World};

/// A progress callback: (trials done, trials in all so far).
pub type OnProgress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// How a running job reports progress and learns that it should stop.
#[derive(Default)]
pub struct Control<'a> {
    on_progress: Option<OnProgress<'a>>,
    cancel: Option<&'a AtomicBool>,
    done: AtomicU64,
    total: AtomicU64,
}

impl<'a> Control<'a> {
    /// No progress reports, never cancelled.
    pub fn quiet() -> Self {
        Control::default()
    }

    /// Calls `f(done, total)` as trials finish (from any worker thread).
    pub fn with_progress(mut self, f: OnProgress<'a>) -> Self {
        self.on_progress = Some(f);
        self
    }

    /// Stops the run (with [`Error::Cancelled`]) once `flag` is set.
    pub fn with_cancel(mut self, flag: &'a AtomicBool) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// Whether the run has been asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Announces `trials` more trials of work.
    pub fn add_work(&self, trials: u64) {
        let total = self.total.fetch_add(trials, Ordering::Relaxed) + trials;
        if let Some(f) = self.on_progress {
            f(self.done.load(Ordering::Relaxed), total);
        }
    }

    /// An error if the run was cancelled (checked before each trial, and between the steps
    /// of work that has no trials).
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// After a trial.
    fn trial_done(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(f) = self.on_progress {
            f(done, self.total.load(Ordering::Relaxed));
        }
    }
}

/// What a run will cost, estimated before starting from the central values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Work {
    /// Buyers drawn over all trials (each followed through its lifecycle).
    pub buyers: f64,
    /// Wall time on this machine's cores at a conservative 5 million buyers per second per core.
    pub seconds: f64,
    /// Memory the run holds at its peak, bytes: what is kept of every trial.
    pub bytes: f64,
}

impl std::ops::Add for Work {
    type Output = Work;
    /// Two runs one after the other: their buyers and time add up, and so does memory (the
    /// first run's results are kept while the second runs).
    fn add(self, other: Work) -> Work {
        Work {
            buyers: self.buyers + other.buyers,
            seconds: self.seconds + other.seconds,
            bytes: self.bytes + other.bytes,
        }
    }
}

/// Bytes a kept trial holds beside its monthly ledger: money at each withdrawal threshold,
/// totals by category and region, and the allocations' own overhead. Measured peak, the
/// default scenario at 10 clicks a month: about 1 KiB a trial beside the ledger (200,000
/// trials: 889 MB for 24 months, 1.76 GB for 55).
const TRIAL_OVERHEAD_BYTES: f64 = 2048.0;

/// Bytes a trial of one variant holds when only its figures are kept (compare,
/// sensitivity). Measured peak, the default scenario at 10 clicks a month: about 260 bytes
/// (compare: 200,000 trials × 3 variants, 164 MB) and 110 (sensitivity: 20,000 × 77, 179 MB).
const FIGURES_BYTES: f64 = 512.0;

/// Estimates the work of running `variants` variants of a scenario; `ledgers`: whether every
/// trial's monthly ledger is kept (a forecast) or only a few figures (compare, sensitivity).
pub fn estimate(sc: &Scenario, variants: usize, threads: usize, ledgers: bool) -> Work {
    let cal = sc.calendar();
    let conversion: f64 = sc
        .categories
        .iter()
        .map(|c| c.share * c.conversion_rate.central())
        .sum();
    let months = monthly_clicks(
        sc.traffic.clicks_per_month.central(),
        sc.traffic.monthly_growth.central(),
        cal.months(),
    );
    let mut buyers = 0.0;
    for (m, clicks) in months.enumerate() {
        let days = cal.month_start[m]..cal.month_start[m + 1];
        let month: f64 = days
            .map(|d| {
                cal.traffic_factor[d] * cal.conversion_factor[d].min(1.0 / conversion.max(1e-12))
            })
            .sum();
        buyers += clicks * month * conversion;
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
            trials
                * (cal.months() as f64 * crate::ledger::N_METRICS as f64 * 8.0
                    + TRIAL_OVERHEAD_BYTES)
        } else {
            trials * FIGURES_BYTES
        },
    }
}

/// Runs every trial of a scenario on `threads` threads (0: one per core) and returns the
/// ledgers in trial order, so the result does not depend on the thread count.
pub fn run(
    sc: &Scenario,
    pipeline: Option<&Pipeline>,
    threads: usize,
    ctl: &Control,
) -> Result<Vec<TrialLedger>> {
    Ok(run_with_payouts(sc, pipeline, threads, ctl, &[])?
        .into_iter()
        .map(|t| t.ledger)
        .collect())
}

/// One trial of a forecast: its ledger, its money at other withdrawal thresholds, and what
/// link volatility did (with `[links]`).
#[derive(Debug, Clone)]
pub struct TrialRun {
    pub ledger: TrialLedger,
    pub payouts: Vec<PayoutOutcome>,
    pub links: Option<TrialLinks>,
}

/// Like [`run`], and for each trial its money replayed at each of `thresholds` (cents) and,
/// with `[links]`, under each refresh cadence.
pub fn run_with_payouts(
    sc: &Scenario,
    pipeline: Option<&Pipeline>,
    threads: usize,
    ctl: &Control,
    thresholds: &[Cents],
) -> Result<Vec<TrialRun>> {
    ctl.add_work(sc.trials.into());
    run_trials(sc, pipeline, threads, ctl, thresholds)
}

/// Like [`run`], for a run whose trials the caller announced to `ctl` already (one of several
/// runs of a job, such as a backtest's origins).
pub fn run_planned(
    sc: &Scenario,
    pipeline: Option<&Pipeline>,
    threads: usize,
    ctl: &Control,
) -> Result<Vec<TrialLedger>> {
    Ok(run_trials(sc, pipeline, threads, ctl, &[])?
        .into_iter()
        .map(|t| t.ledger)
        .collect())
}

fn run_trials(
    sc: &Scenario,
    pipeline: Option<&Pipeline>,
    threads: usize,
    ctl: &Control,
    thresholds: &[Cents],
) -> Result<Vec<TrialRun>> {
    if pipeline.is_some() && sc.program.earned_at_shipment {
        return Err(Error::input(format!(
            "scenario \"{}\": program.earned_at = \"shipment\": the orders of an export are followed from payment, as AliExpress earns them; an opening pipeline needs earned_at = \"payment\"",
            sc.name
        )));
    }
    if pipeline.is_some() && sc.program.lock != crate::model::Lock::OnConfirmation {
        return Err(Error::input(format!(
            "scenario \"{}\": program.lock = \"{}\": the orders of an export are followed as AliExpress confirms them; an opening pipeline needs lock = \"on_confirmation\"",
            sc.name,
            sc.program.lock.name()
        )));
    }
    let cal = sc.calendar();
    in_pool(threads, || {
        (0..sc.trials as u64)
            .into_par_iter()
            .map_init(Scratch::default, |scratch, t| {
                ctl.check()?;
                let mut trial = scratch.simulate(sc, pipeline, &cal, t);
                let ledger = trial.ledger(&cal, &sc.program);
                let payouts = trial.replay_payouts(&cal, &sc.program, thresholds);
                let links = trial.links(&cal, &sc.program);
                ctl.trial_done();
                Ok(TrialRun {
                    ledger,
                    payouts,
                    links,
                })
            })
            .collect()
    })?
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
/// order. Work is spread over (simulation, trial) pairs, so many small variants still use
/// every core. Variants that simulate the same orders as an earlier one (they differ only in
/// how money is settled and withdrawn) are not simulated again: that one's trials are closed
/// under their program too. Variants that differ only in what orders are worth (values,
/// rates, bonuses, the cap) and what becomes of them (delays, regions, cancellations,
/// refunds) are followed once and each order valued under each, up to 64 at a time
/// ([`Scratch::simulate_same_buyers`]: the same results to the bit). Variants that differ
/// only in how many buyers they have (category mixes, traffic, conversion) share their
/// buyers as `thinning` allows, up to eight at a time ([`Scratch::simulate_shared`]): such a
/// variant's trials are then not those it has alone.
pub fn run_paired<T: Send>(
    variants: &[Scenario],
    trials: u32,
    threads: usize,
    ctl: &Control,
    thinning: Thinning,
    f: impl Fn(&TrialLedger) -> T + Sync,
) -> Result<Vec<Vec<T>>> {
    let calendars: Vec<_> = variants.iter().map(Scenario::calendar).collect();
    // For each variant simulated, the variants closed from its trials (itself first).
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (v, sc) in variants.iter().enumerate() {
        match groups.iter_mut().find(|g| variants[g[0]].same_orders(sc)) {
            Some(g) => g.push(v),
            None => groups.push(vec![v]),
        }
    }
    // Simulations: groups whose variants share their buyers (the first group's first).
    let mut runs: Vec<(Sharing, Vec<usize>)> = Vec::new();
    // Whether a variant always draws its fates from a table, asked only of those whose fates
    // differ from another's.
    let tabled: Vec<OnceCell<bool>> = variants.iter().map(|_| OnceCell::new()).collect();
    let tabled = |v: usize| *tabled[v].get_or_init(|| tabled_in_every_trial(&variants[v]));
    for (g, group) in groups.iter().enumerate() {
        let sc = &variants[group[0]];
        let joins = |(how, run): &(Sharing, Vec<usize>)| {
            let f = groups[run[0]][0];
            let first = &variants[f];
            let same_buyers = || {
                first.same_but_earnings(sc)
                    || (first.same_but_worth_and_fates(sc) && tabled(f) && tabled(group[0]))
            };
            if *how != Sharing::Thinned && run.len() < SAME_BUYERS_MAX && same_buyers() {
                Some(Sharing::SameBuyers)
            } else if thinning.allows(f)
                && *how != Sharing::SameBuyers
                && run.len() < THINNED_MAX
                && first.same_but_intensities(sc)
            {
                Some(Sharing::Thinned)
            } else {
                None
            }
        };
        match runs.iter_mut().find_map(|r| joins(r).map(|how| (how, r))) {
            Some((how, r)) => {
                r.0 = how;
                r.1.push(g);
            }
            None => runs.push((Sharing::Alone, vec![g])),
        }
    }
    let n = trials as usize;
    ctl.add_work(n as u64 * runs.len() as u64);
    let flat: Vec<Vec<(usize, T)>> = in_pool(threads, || {
        (0..runs.len() * n)
            .into_par_iter()
            // A few trials per piece of work: a simulation of many variants costs several
            // times one of a single variant, and small pieces keep both cores busy to the end.
            .with_max_len(8)
            .map_init(Scratch::default, |scratch, i| {
                ctl.check()?;
                let ((how, run), t) = (&runs[i / n], (i % n) as u64);
                let first = groups[run[0]][0];
                let (sc, cal) = (&variants[first], &calendars[first]);
                let members = || run.iter().map(|&g| groups[g][0]);
                let mut trial = match how {
                    Sharing::Alone => scratch.simulate(sc, None, cal, t),
                    Sharing::SameBuyers => {
                        let same: Vec<&Scenario> = members().map(|v| &variants[v]).collect();
                        scratch.simulate_same_buyers(&same, cal, t)
                    }
                    Sharing::Thinned => {
                        let shared: Vec<(&Scenario, &Calendar)> =
                            members().map(|v| (&variants[v], &calendars[v])).collect();
                        scratch.simulate_shared(&shared, t)
                    }
                };
                let mut values = Vec::new();
                for (k, &g) in run.iter().enumerate() {
                    for &v in &groups[g] {
                        let ledger = trial.variant_ledger(k, &calendars[v], &variants[v].program);
                        values.push((v, f(&ledger)));
                    }
                }
                ctl.trial_done();
                Ok(values)
            })
            .collect::<Result<Vec<Vec<(usize, T)>>>>()
    })??;
    let mut out: Vec<Vec<T>> = variants.iter().map(|_| Vec::with_capacity(n)).collect();
    // Trials come in order within each simulation, so each variant's are pushed in order.
    for values in flat {
        for (v, x) in values {
            out[v].push(x);
        }
    }
    Ok(out)
}

/// Which variants of [`run_paired`] may share their buyers by thinning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thinning {
    /// Any: a comparison, whose variants are judged against each other.
    Any,
    /// Any but the first, which keeps its own trials: a sweep that judges every variant
    /// against them.
    NotTheFirst,
}

impl Thinning {
    /// Whether variant `v` may be thinned together with others.
    fn allows(self, v: usize) -> bool {
        self == Thinning::Any || v > 0
    }
}

/// The most variants one simulation's buyers are thinned among (one bit each of a buyer's
/// cadences).
const THINNED_MAX: usize = 8;

/// The most variants one simulation follows with the same buyers.
const SAME_BUYERS_MAX: usize = 64;

/// How the variants of one simulation share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sharing {
    /// One variant (and those closed from its trials).
    Alone,
    /// Variants that differ only in what orders are worth and what becomes of them: the same
    /// buyers, each order valued and its fate drawn under each.
    SameBuyers,
    /// Variants that differ only in how many buyers they have: buyers drawn at the most and
    /// thinned.
    Thinned,
}
