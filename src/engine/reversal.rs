//! When an order the export calls reversed was reversed, where the export does not say
//! (AliExpress gives "Invalid" orders no time): a time drawn from the scenario's own
//! lifecycle, conditional on the order ending reversed. Cancellations fall within
//! processing, refunds after delivery and the refund delay, and orders never confirmed at the
//! `invalid_after_days` cut-off, each as often as the scenario makes them.

use super::fates::{Fates, LANES};
use super::rng::{Stream, TrialRng, stream};
use super::world::World;
use crate::model::Scenario;

/// Batches of fates drawn before an order is taken to have been voided at the cut-off: a
/// scenario whose orders are almost never reversed other than by it.
const MAX_BATCHES: usize = 64;

/// Reversal delays of one scenario (one world: its uncertain values drawn once from `seed`).
#[derive(Debug)]
pub struct ReversalDelays {
    world: World,
    invalid_after: f64,
}

impl ReversalDelays {
    pub fn new(sc: &Scenario, seed: u64) -> ReversalDelays {
        let mut rng = stream(seed, 0, Stream::World);
        ReversalDelays {
            world: World::draw(sc, &mut rng),
            invalid_after: sc.program.invalid_after_days,
        }
    }

    /// Days from payment to the reversal of an order of category `category` (an index of
    /// the scenario's categories) known to be reversed, drawn from the stream of `key` (the
    /// order's own number: the same order gets the same delay in every run).
    pub fn draw(&self, category: usize, seed: u64, key: u64) -> f64 {
        let mut rng: TrialRng = stream(seed, key, Stream::Pipeline);
        let Some(cat) = self.world.categories.get(category) else {
            return self.invalid_after;
        };
        let mut fates = Fates::default();
        for _ in 0..MAX_BATCHES {
            fates.draw(&self.world, cat, self.invalid_after, LANES, &mut rng);
            if let Some(i) = (0..LANES).find(|&i| !fates.confirmed[i]) {
                return fates.after[i];
            }
        }
        self.invalid_after
    }
}
