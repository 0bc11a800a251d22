//! The Monte Carlo engine: trials in parallel, each one consistent world.

mod trial;
mod world;

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::ledger::TrialLedger;
use crate::model::Scenario;

pub use trial::{Scratch, TrialRng, simulate, simulate_world, stream};
pub use world::{CategoryWorld, RegionWorld, World};

/// Runs every trial of a scenario on `threads` threads (0: one per core) and returns the
/// ledgers in trial order, so the result does not depend on the thread count.
pub fn run(sc: &Scenario, threads: usize, progress: &ProgressBar) -> Result<Vec<TrialLedger>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
    let cal = sc.calendar();
    Ok(pool.install(|| {
        (0..sc.trials as u64)
            .into_par_iter()
            .map_init(Scratch::default, |scratch, t| {
                let ledger = simulate(sc, &cal, t, scratch);
                progress.inc(1);
                ledger
            })
            .collect()
    }))
}
