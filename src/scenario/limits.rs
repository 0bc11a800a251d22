//! The largest values a scenario or a flag may ask for.

/// Largest horizon in months.
pub const MAX_MONTHS: i64 = 120;
/// Largest number of trials.
pub const MAX_TRIALS: i64 = 1_000_000;
/// Largest expected clicks per month (before growth and seasonality).
pub const MAX_CLICKS_PER_MONTH: f64 = 1e9;
/// Largest p90 / median of a distribution: beyond it the tail is not a forecast any more.
pub const MAX_SPREAD_RATIO: f64 = 1000.0;
/// Largest amount of money a scenario may name, in currency units.
pub const MAX_AMOUNT: f64 = 1e9;
/// Most categories, regions and events a scenario may have.
pub(super) const MAX_CATEGORIES: usize = 200;
pub(super) const MAX_REGIONS: usize = 50;
pub(super) const MAX_EVENTS: usize = 50;
pub(super) const MAX_PAYOUT_METHODS: usize = 8;
