//! Link volatility: promoted listings die (out of stock, removed, seller gone) until the site
//! refreshes its links, and a click on a dead listing converts at a fraction of a live one's.
//!
//! No published AliExpress figure exists for how fast links die: every number here is the
//! user's assumption. (Industry figure: a 2019 study of 7,000 pages of 25 publishers found over
//! 40% of affiliate links with a link-rot issue.)

use super::{Cents, Param};

/// Days in an average month, the unit of `death_rate`.
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// The cadences the refresh advice compares (months between refreshes; 0 = never), beside
/// the scenario's own.
pub const ADVICE_CADENCES: [u32; 6] = [1, 2, 3, 6, 12, 0];

/// `[links]`: how fast links die and how often the site refreshes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links {
    /// Share of live links that die in a month (0..1).
    pub death_rate: Param,
    /// Months between refreshes, on the first day of months N, 2N, … (0-based); 0 = never.
    pub refresh_every_months: u32,
    /// A dead-link click's conversion relative to a live one's (0..=1).
    pub dead_link_conversion: Param,
    /// Share of links alive on the first day (0..=1).
    pub alive_at_start: Param,
    /// Cost of one refresh (the site owner's time), cents; weighed only by the refresh advice.
    pub refresh_cost: Cents,
}

/// Death rate per day of a link, from the share of live links that die in a month.
/// Validation refuses a rate of 1; a sensitivity sweep may push one there, and it is read as
/// just below 1 so that the rate stays finite.
pub fn daily_hazard(death_rate: f64) -> f64 {
    -(1.0 - death_rate.min(1.0 - 1e-9)).ln() / DAYS_PER_MONTH
}

/// The cadences of the refresh advice: the scenario's own first, then the others not equal
/// to it.
pub fn advice_cadences(own: u32) -> Vec<u32> {
    std::iter::once(own)
        .chain(ADVICE_CADENCES.into_iter().filter(|&c| c != own))
        .collect()
}

/// Refreshes within a horizon of `months` months at one every `every` months: months N, 2N,
/// … below `months`.
pub fn refreshes_within(every: u32, months: u32) -> u32 {
    match every {
        0 => 0,
        n => (months.saturating_sub(1)) / n,
    }
}

/// The share of a category's links alive on each day of the horizon: `alive_at_start ·
/// exp(−hazard · d)` until the first refresh, `exp(−hazard · (d − r))` after the latest
/// refresh day `r ≤ d`. Refreshes fall on the first day of months N, 2N, … (`month_start`
/// holds each month's first day and the end of the horizon).
pub fn alive_by_day(
    hazard: f64,
    alive_at_start: f64,
    every: u32,
    month_start: &[usize],
    out: &mut Vec<f64>,
) {
    let days = month_start.last().copied().unwrap_or(0);
    out.clear();
    out.reserve(days);
    let months = month_start.len().saturating_sub(1);
    let (mut since, mut level) = (0usize, alive_at_start);
    let mut next = next_refresh(every, 0, months).map(|m| month_start[m]);
    for d in 0..days {
        if next == Some(d) {
            (since, level) = (d, 1.0);
            let month = month_start.partition_point(|&s| s <= d) - 1;
            next = next_refresh(every, month, months).map(|m| month_start[m]);
        }
        out.push(level * (-hazard * (d - since) as f64).exp());
    }
}

/// The month (0-based) of the first refresh after month `after`, if within `months`.
fn next_refresh(every: u32, after: usize, months: usize) -> Option<usize> {
    let n = every as usize;
    if n == 0 {
        return None;
    }
    let m = (after / n + 1) * n;
    (m < months).then_some(m)
}

/// A click's conversion relative to a live link's when a share `alive` of links is alive.
pub fn conversion_factor(alive: f64, dead_link_conversion: f64) -> f64 {
    alive + (1.0 - alive) * dead_link_conversion
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Months of 31, 28 and 31 days.
    const MONTHS: [usize; 4] = [0, 31, 59, 90];

    #[test]
    fn alive_share_by_hand() {
        let h = daily_hazard(0.1);
        assert!((h - 0.105_360_515_657_826_3 / 30.4375).abs() < 1e-15);
        let mut a = Vec::new();
        // Never refreshed, 80% alive at the start.
        alive_by_day(h, 0.8, 0, &MONTHS, &mut a);
        assert_eq!(a.len(), 90);
        assert_eq!(a[0], 0.8);
        assert!((a[30] - 0.8 * (-h * 30.0).exp()).abs() < 1e-15);
        assert!((a[89] - 0.8 * (-h * 89.0).exp()).abs() < 1e-15);
        // Every month: all alive again on days 31 and 59.
        alive_by_day(h, 0.8, 1, &MONTHS, &mut a);
        assert!((a[30] - 0.8 * (-h * 30.0).exp()).abs() < 1e-15);
        assert_eq!(a[31], 1.0);
        assert!((a[40] - (-h * 9.0).exp()).abs() < 1e-15);
        assert_eq!(a[59], 1.0);
        assert!((a[89] - (-h * 30.0).exp()).abs() < 1e-15);
        // Every second month: day 59 only.
        alive_by_day(h, 0.8, 2, &MONTHS, &mut a);
        assert!((a[58] - 0.8 * (-h * 58.0).exp()).abs() < 1e-15);
        assert_eq!(a[59], 1.0);
        // A cadence beyond the horizon never refreshes.
        alive_by_day(h, 0.8, 3, &MONTHS, &mut a);
        assert!((a[89] - 0.8 * (-h * 89.0).exp()).abs() < 1e-15);
    }

    #[test]
    fn refreshes_and_cadences() {
        assert_eq!(refreshes_within(1, 24), 23);
        assert_eq!(refreshes_within(3, 24), 7);
        assert_eq!(refreshes_within(12, 24), 1);
        assert_eq!(refreshes_within(12, 12), 0);
        assert_eq!(refreshes_within(0, 24), 0);
        assert_eq!(advice_cadences(3), [3, 1, 2, 6, 12, 0]);
        assert_eq!(advice_cadences(4), [4, 1, 2, 3, 6, 12, 0]);
        assert_eq!(conversion_factor(0.75, 0.2), 0.75 + 0.25 * 0.2);
    }
}
