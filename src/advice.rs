//! Withdrawal advice: what a few `withdraw_at` thresholds cost in fees and in waiting.
//!
//! A fixed fee per withdrawal (15.00 on Portals) can eat most of a small balance, while a high
//! threshold keeps money waiting in the balance. Each trial's money is replayed at every
//! threshold with the same orders, so the rows differ only by the threshold.

use crate::ledger::PayoutOutcome;
use crate::model::{Cents, Program};

/// The advice keeps fees under this share of the cash they leave.
pub const FEE_SHARE_LIMIT: f64 = 0.05;

/// Thresholds worth comparing: the minimum, 50, 100, 250, 500 and the scenario's own, where
/// a withdrawal there would not be eaten by fees.
pub fn thresholds(program: &Program) -> Vec<Cents> {
    let mut t: Vec<Cents> = [
        program.minimum_payout,
        5_000,
        10_000,
        25_000,
        50_000,
        program.withdrawal_threshold(),
    ]
    .into_iter()
    .filter(|&t| t >= program.minimum_payout)
    .filter(|&t| program.leaves_money(t))
    .collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// One threshold, averaged over trials.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdRow {
    pub threshold: Cents,
    /// The scenario's own threshold.
    pub current: bool,
    /// Mean number of withdrawals over the horizon.
    pub withdrawals: f64,
    /// Mean fees over the horizon, cents.
    pub fees: f64,
    /// Mean cash arrived over the horizon, cents.
    pub cash: f64,
    /// Fees as a share of the cash they leave (Σ fees / Σ (withdrawn − fees)); NaN without
    /// withdrawals.
    pub fee_share: f64,
    /// Amount-weighted mean days from confirmation to arrival in the bank; NaN without cash.
    pub days_to_cash: f64,
}

/// The rows and the recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    pub rows: Vec<ThresholdRow>,
    /// Index into `rows` of the recommended threshold.
    pub recommended: Option<usize>,
    /// Why it is recommended.
    pub reason: Reason,
}

/// Why a threshold is recommended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The quickest threshold whose fees stay under [`FEE_SHARE_LIMIT`] of the cash.
    Quickest,
    /// No threshold keeps fees under the limit; this one costs least.
    Cheapest,
    /// No withdrawal reaches the bank within the horizon at any threshold.
    NoCash,
}

/// Averages per-trial outcomes (`outcomes[trial][threshold]`) into advice.
pub fn advise(program: &Program, thresholds: &[Cents], outcomes: &[Vec<PayoutOutcome>]) -> Advice {
    let n = outcomes.len().max(1) as f64;
    let rows: Vec<ThresholdRow> = thresholds
        .iter()
        .enumerate()
        .map(|(i, &threshold)| {
            let sum = |f: fn(&PayoutOutcome) -> f64| outcomes.iter().map(|o| f(&o[i])).sum::<f64>();
            let withdrawn = sum(|o| o.withdrawn as f64);
            let fees = sum(|o| o.fees as f64);
            let gross = sum(|o| o.cash_gross as f64);
            let delay = sum(|o| o.cash_delay_days as f64);
            ThresholdRow {
                threshold,
                current: threshold == program.withdrawal_threshold(),
                withdrawals: sum(|o| o.withdrawals as f64) / n,
                fees: fees / n,
                cash: sum(|o| o.cash as f64) / n,
                fee_share: if withdrawn > fees {
                    fees / (withdrawn - fees)
                } else {
                    f64::NAN
                },
                days_to_cash: if gross > 0.0 { delay / gross } else { f64::NAN },
            }
        })
        .collect();
    let with_cash = |r: &&ThresholdRow| r.days_to_cash.is_finite();
    let cheap = rows
        .iter()
        .filter(with_cash)
        .filter(|r| r.fee_share < FEE_SHARE_LIMIT)
        .min_by(|a, b| {
            a.days_to_cash
                .total_cmp(&b.days_to_cash)
                .then(a.threshold.cmp(&b.threshold))
        });
    let (recommended, reason) = match cheap {
        Some(r) => (Some(r), Reason::Quickest),
        None => match rows
            .iter()
            .filter(with_cash)
            .min_by(|a, b| a.fee_share.total_cmp(&b.fee_share))
        {
            Some(r) => (Some(r), Reason::Cheapest),
            None => (None, Reason::NoCash),
        },
    };
    Advice {
        recommended: recommended.and_then(|r| rows.iter().position(|x| x.threshold == r.threshold)),
        rows,
        reason,
    }
}
