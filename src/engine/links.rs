//! Link volatility in a trial: each refresh cadence's alive links, and the money of the
//! orders that exist under each cadence.

use super::lanes::Cadences;
use super::world::{LinkWorld, World};
use crate::ledger::PayoutOutcome;
use crate::model::links::{advice_cadences, alive_by_day, conversion_factor};
use crate::model::{Calendar, Cents};

/// What link volatility did in one trial.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialLinks {
    /// Per month, the mean over its days of the share of clicks landing on dead links.
    pub dead_link_share: Vec<f64>,
    /// Months between refreshes (0 = never), the scenario's own first.
    pub cadences: Vec<u32>,
    /// Per cadence, the trial's money at the scenario's withdrawal threshold.
    pub cash: Vec<PayoutOutcome>,
}

pub(super) const EVERY_CADENCE: Cadences = Cadences::MAX;

/// Link volatility of one trial, and the money of the orders that exist under each refresh
/// cadence.
///
/// Cadences are compared on the same trial exactly by thinning: a day's buyers of a category
/// are drawn at the highest conversion of any cadence that day, and a buyer exists under
/// cadence `k` when its one uniform is below that cadence's conversion over the highest. A
/// thinned Poisson count is a Poisson count, so each cadence's buyers are exactly as the model
/// draws them, and all cadences share their orders' values and fates: one simulation answers
/// for every cadence.
#[derive(Debug, Default)]
pub(super) struct LinkBook {
    /// Months between refreshes, the scenario's own first (at most 7).
    pub(super) cadences: Vec<u32>,
    categories: usize,
    /// `alive[k * categories + c][d]`: category `c`'s share of links alive on day `d` under
    /// cadence `k`.
    alive: Vec<Vec<f64>>,
    /// Click shares of the categories.
    shares: Vec<f64>,
    /// `confirmed[k][d]`: commission confirmed on day `d` by the orders of cadence `k`, cents.
    pub(super) confirmed: Vec<Vec<Cents>>,
    /// For the day and category at hand: cadence `k`'s conversion over the highest.
    pub(super) keep: Vec<f64>,
}

impl LinkBook {
    /// Sets up a trial: the alive shares of every cadence, and no money yet.
    pub(super) fn prepare(&mut self, own: u32, lw: &LinkWorld, w: &World, cal: &Calendar) {
        self.cadences = advice_cadences(own);
        self.categories = w.categories.len();
        self.shares.clear();
        self.shares.extend(w.categories.iter().map(|c| c.share));
        let n = self.cadences.len() * self.categories;
        self.alive.resize_with(n, Vec::new);
        for (k, &every) in self.cadences.iter().enumerate() {
            for (c, &hazard) in lw.hazard.iter().enumerate() {
                let out = &mut self.alive[k * self.categories + c];
                alive_by_day(hazard, lw.alive_at_start, every, &cal.month_start, out);
            }
        }
        self.confirmed.resize_with(self.cadences.len(), Vec::new);
        for c in &mut self.confirmed {
            c.clear();
            c.resize(cal.days(), 0);
        }
        self.keep.resize(self.cadences.len(), 0.0);
    }

    /// The conversion buyers of category `c` on day `d` are drawn at (the highest of any
    /// cadence), given the conversion `p` with every link alive; `keep` is then set.
    pub(super) fn conversion(
        &mut self,
        c: usize,
        d: usize,
        p: f64,
        dead_link_conversion: f64,
    ) -> f64 {
        let mut highest: f64 = 0.0;
        for (k, keep) in self.keep.iter_mut().enumerate() {
            let alive = self.alive[k * self.categories + c][d];
            *keep = (p * conversion_factor(alive, dead_link_conversion)).min(1.0);
            highest = highest.max(*keep);
        }
        for keep in &mut self.keep {
            // The highest cadence keeps every buyer: x / x is exactly 1.
            *keep = if highest > 0.0 { *keep / highest } else { 0.0 };
        }
        highest
    }

    /// Per month, the mean over its days of Σ_c share_c · (1 − alive_c(d)) under the
    /// scenario's own cadence.
    pub(super) fn dead_share_by_month(&self, cal: &Calendar) -> Vec<f64> {
        (0..cal.months())
            .map(|m| {
                let days = cal.month_start[m]..cal.month_start[m + 1];
                let n = days.len() as f64;
                days.map(|d| {
                    self.shares
                        .iter()
                        .enumerate()
                        .map(|(c, share)| share * (1.0 - self.alive[c][d]))
                        .sum::<f64>()
                })
                .sum::<f64>()
                    / n
            })
            .collect()
    }
}
