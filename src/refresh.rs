//! Refresh advice: how often refreshing dead links pays, on the money that reaches the bank.
//!
//! Every cadence (1, 2, 3, 6, 12 months, never, and the scenario's own) is judged on the same
//! trials: the engine draws each day's buyers once and thins them per cadence, so the rows
//! differ only by the cadence, not by luck. A refresh costs `refresh_cost` (the site owner's
//! time), which is weighed against the cash it brings.

use crate::engine::TrialLinks;
use crate::model::Cents;
use crate::model::links::refreshes_within;

/// One cadence, averaged over trials.
#[derive(Debug, Clone, PartialEq)]
pub struct CadenceRow {
    /// Months between refreshes; 0 = never.
    pub refresh_every_months: u32,
    /// The scenario's own cadence.
    pub current: bool,
    /// Refreshes within the horizon.
    pub refreshes: u32,
    /// Mean cash arrived over the horizon, cents.
    pub total_cash: f64,
    /// Mean monthly cash over the run-rate window, cents.
    pub run_rate_cash: f64,
    /// `total_cash` − refreshes × `refresh_cost`, cents.
    pub net: f64,
}

/// Why a cadence is recommended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Every cadence brings the same cash (links do not die, or dead-link clicks convert as
    /// well as live ones): the rarest is recommended.
    NoDifference,
    /// Refreshing at this cadence brings the most cash after its costs.
    PaysForItself,
    /// Refreshing more often brings more cash, but less than it costs.
    CostsMore,
}

/// The rows (most frequent first, never last) and the recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshAdvice {
    pub rows: Vec<CadenceRow>,
    /// Index into `rows` of the cadence with the highest net (a tie goes to the rarer).
    pub recommended: usize,
    pub reason: Reason,
    /// Cost of one refresh, cents.
    pub refresh_cost: Cents,
}

impl RefreshAdvice {
    /// The recommended row.
    pub fn best(&self) -> &CadenceRow {
        &self.rows[self.recommended]
    }

    /// The row of never refreshing.
    pub fn never(&self) -> &CadenceRow {
        self.rows
            .iter()
            .find(|r| r.refresh_every_months == 0)
            .expect("never refreshing is always compared")
    }

    /// The scenario's own row.
    pub fn current(&self) -> &CadenceRow {
        self.rows
            .iter()
            .find(|r| r.current)
            .expect("the scenario's cadence is always compared")
    }
}

/// How rarely a cadence refreshes, for ordering and ties: never is the rarest, then the
/// longer cadences.
fn rarity(every: u32) -> u32 {
    if every == 0 { u32::MAX } else { every }
}

/// Averages each trial's money per cadence into advice. `trials` holds every trial's link
/// results (the scenario's own cadence first); `months`: the horizon.
pub fn advise(trials: &[&TrialLinks], months: u32, refresh_cost: Cents) -> Option<RefreshAdvice> {
    let first = trials.first()?;
    let n = trials.len() as f64;
    // The run-rate window: the last 6 months, or all (as `TrialLedger::run_rate`).
    let window = f64::from(months.min(6));
    let mut rows: Vec<CadenceRow> = first
        .cadences
        .iter()
        .enumerate()
        .map(|(k, &every)| {
            // Summed in trial order, so the means do not depend on threads.
            let total_cash = trials.iter().map(|t| t.cash[k].cash as f64).sum::<f64>() / n;
            let recent = trials
                .iter()
                .map(|t| t.cash[k].cash_recent as f64)
                .sum::<f64>()
                / n;
            let refreshes = refreshes_within(every, months);
            CadenceRow {
                refresh_every_months: every,
                current: k == 0,
                refreshes,
                total_cash,
                run_rate_cash: recent / window,
                net: total_cash - f64::from(refreshes) * refresh_cost as f64,
            }
        })
        .collect();
    rows.sort_by_key(|r| rarity(r.refresh_every_months));
    // The highest net; among equal nets the rarer cadence (later in `rows`).
    let recommended =
        rows.iter().enumerate().fold(
            0,
            |best, (i, r)| if r.net >= rows[best].net { i } else { best },
        );
    let same_cash = rows.iter().all(|r| r.total_cash == rows[0].total_cash);
    let reason = if same_cash {
        Reason::NoDifference
    } else if rows[recommended].refreshes > 0 {
        Reason::PaysForItself
    } else {
        Reason::CostsMore
    };
    Some(RefreshAdvice {
        rows,
        recommended,
        reason,
        refresh_cost,
    })
}
