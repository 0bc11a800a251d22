//! Money already earned: an export's pending and unsettled orders opening a forecast.
//!
//! A pipeline is observed state, not an assumption: it travels beside the [`Scenario`] into
//! the engine, never inside it.

use crate::exports::{Export, Status};
use crate::ledger::Opening;
use crate::model::{Cents, Scenario, Settlement};

/// A still-pending order: its commission is earned, its fate is not known yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingOrder {
    /// Days from the forecast's start to the payment (negative: before the start).
    pub paid_at: f64,
    /// Days from payment to the export: the order has not resolved by then.
    pub age: f64,
    pub commission: Cents,
    /// The scenario category of the same name, if any (else one is drawn by click share).
    pub category: Option<usize>,
}

/// The opening position of a forecast.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pipeline {
    pub pending: Vec<PendingOrder>,
    /// Confirmed, not yet credited to the balance: credited at the first settlement.
    pub unsettled: Cents,
    pub unsettled_orders: u32,
    /// Settled or reversed orders of the export, which do not enter the forecast.
    pub skipped: u32,
    /// "YYYY-MM-DD HH:MM" of the export.
    pub as_of: String,
}

impl Pipeline {
    /// The open orders of an export, placed on the scenario's time axis.
    pub fn from_export(export: &Export, sc: &Scenario) -> Pipeline {
        let start = sc.start.and_hms_opt(0, 0, 0).expect("midnight exists");
        let days = |t: chrono::NaiveDateTime| (t - start).num_seconds() as f64 / 86_400.0;
        let lag = match sc.program.settlement {
            Settlement::Daily { lag_days } => lag_days as f64,
            Settlement::Monthly { .. } => f64::INFINITY,
        };
        let mut p = Pipeline {
            as_of: export.as_of.format("%Y-%m-%d %H:%M").to_string(),
            ..Pipeline::default()
        };
        for r in &export.records {
            match r.status {
                Status::Pending => p.pending.push(PendingOrder {
                    paid_at: days(r.paid_at),
                    age: (export.as_of - r.paid_at).num_seconds() as f64 / 86_400.0,
                    commission: r.commission,
                    category: sc.categories.iter().position(|c| c.name == r.category),
                }),
                // Confirmed and not yet credited: AliExpress waits for the monthly
                // settlement; a network credits after its lag.
                Status::Confirmed
                    if r.resolved_at.is_none_or(|t| {
                        (export.as_of - t).num_seconds() as f64 / 86_400.0 < lag
                    }) =>
                {
                    p.unsettled += r.commission;
                    p.unsettled_orders += 1;
                }
                // Approved but held by the network: not paid yet, whatever the lag.
                Status::Held => {
                    p.unsettled += r.commission;
                    p.unsettled_orders += 1;
                }
                _ => p.skipped += 1,
            }
        }
        // By payment: the orders' fates do not hang on the order the export lists them in
        // (orders paid at the same moment keep it).
        p.pending.sort_by(|a, b| a.paid_at.total_cmp(&b.paid_at));
        p
    }

    /// The opening balances this pipeline puts in every trial's ledger.
    pub fn opening(&self) -> Opening {
        Opening {
            pending: self.pending.iter().map(|o| o.commission).sum(),
            orders_pending: self.pending.len() as i64,
            unsettled: self.unsettled,
        }
    }
}
