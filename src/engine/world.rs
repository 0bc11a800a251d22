//! One trial's world: every uncertain parameter drawn once, in a fixed order.

use rand::Rng;

use crate::model::links::daily_hazard;
use crate::model::money::{cents_from_f64, rate_to_ppm};
use crate::model::{Cents, LogNormal, Scenario};

/// The program and buyers as they are in one trial.
#[derive(Debug, Clone)]
pub struct World {
    pub cookie_days: f64,
    /// Days from the click within which a buyer who carted the item inside the cookie still
    /// earns us the order (0: no cart extension), and the share of buyers who cart.
    pub cart_extension_days: f64,
    pub cart_share: f64,
    pub same_session_share: f64,
    pub purchase_delay: LogNormal,
    pub overwrite_rate: f64,
    pub processing: LogNormal,
    pub confirm_receipt_share: f64,
    pub confirm_delay: LogNormal,
    pub refund_delay: LogNormal,
    /// Whether commissions are earned at shipment (then no fate is drawn from a table).
    pub earned_at_shipment: bool,
    pub clicks_per_month: f64,
    pub monthly_growth: f64,
    pub categories: Vec<CategoryWorld>,
    pub regions: Vec<RegionWorld>,
    /// How links die in this trial; `None` without `[links]`.
    pub links: Option<LinkWorld>,
}

/// Link volatility as it is in one trial.
#[derive(Debug, Clone)]
pub struct LinkWorld {
    /// Per category, the rate per day at which a live link dies.
    pub hazard: Vec<f64>,
    pub alive_at_start: f64,
    /// A dead-link click's conversion relative to a live one's.
    pub dead_link_conversion: f64,
}

/// A category as it is in one trial.
#[derive(Debug, Clone)]
pub struct CategoryWorld {
    pub share: f64,
    pub conversion_rate: f64,
    /// Order value in currency units.
    pub order_value: LogNormal,
    pub rate: i64,
    pub hot_share: f64,
    pub hot_rate: i64,
    pub cancel_rate: f64,
    pub refund_rate: f64,
    pub new_buyer_share: f64,
    pub new_buyer_bonus: Cents,
    /// `hot_share` and `new_buyer_share` as thresholds for a word's upper and lower 32 bits:
    /// a half read as a uniform in [0, 1) lies below the share exactly when it lies below
    /// its threshold ([`below_share`]).
    pub hot_below: u64,
    pub new_buyer_below: u64,
    /// Whether only new buyers' orders earn their commission (`new_customers_only`, whose
    /// share and bonus are then the program's new customers and amount per install).
    pub only_new: bool,
}

/// The threshold `t` for which a 32-bit integer `h` read as the uniform `h / 2³²` lies below
/// `share` exactly when `h < t`: `share · 2³²` rounded up (the product is exact, a power of
/// two scaling a double).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // shares in [0, 1]: at most 2³²
pub(super) fn below_share(share: f64) -> u64 {
    (share * 4_294_967_296.0).ceil() as u64
}

/// A region as it is in one trial.
#[derive(Debug, Clone)]
pub struct RegionWorld {
    /// Cumulative share up to and including this region (the last is 1).
    pub cumulative_share: f64,
    pub shipping: LogNormal,
    /// Days from payment to automatic confirmation.
    pub auto_confirm_days: f64,
}

impl World {
    /// Draws one world. The order of draws is part of the seed contract: change it and every
    /// forecast changes.
    pub fn draw<R: Rng + ?Sized>(sc: &Scenario, rng: &mut R) -> World {
        let p = &sc.program;
        // One draw either way: a cookie in hours keeps the draws after it where they were.
        let (cookie, per_day) = p.cookie();
        let cookie_days = cookie.draw(rng) / per_day;
        let same_session_share = p.same_session_share.draw(rng);
        let purchase_delay = p.purchase_delay.draw(rng);
        let overwrite_rate = p.overwrite_rate.draw(rng);
        let processing = p.processing.draw(rng);
        let confirm_receipt_share = p.confirm_receipt_share.draw(rng);
        let confirm_delay = p.confirm_delay.draw(rng);
        let refund_delay = p.refund_delay.draw(rng);
        let clicks_per_month = sc.traffic.clicks_per_month.draw(rng);
        // A normal draw can fall below −100% growth; traffic cannot.
        let monthly_growth = sc.traffic.monthly_growth.draw(rng).max(-0.99);
        let mut categories: Vec<CategoryWorld> = sc
            .categories
            .iter()
            .map(|c| {
                let conversion_rate = c.conversion_rate.draw(rng);
                let order_value = c.order_value.draw(rng);
                let rate = rate_to_ppm(c.commission_rate.draw(rng));
                let hot_share = c.hot_share.draw(rng);
                let hot_rate = rate_to_ppm(c.hot_rate.draw(rng));
                let cancel_rate = c.cancel_rate.draw(rng);
                let refund_rate = c.refund_rate.draw(rng);
                let new_buyer_share = c.new_buyer_share.draw(rng);
                let new_buyer_bonus = cents_from_f64(c.new_buyer_bonus.draw(rng)).unwrap_or(0);
                CategoryWorld {
                    share: c.share,
                    conversion_rate,
                    order_value,
                    rate,
                    hot_share,
                    hot_rate,
                    cancel_rate,
                    refund_rate,
                    new_buyer_share,
                    new_buyer_bonus,
                    hot_below: below_share(hot_share),
                    new_buyer_below: below_share(new_buyer_share),
                    only_new: false,
                }
            })
            .collect();
        let mut cumulative = 0.0;
        let n = sc.regions.len();
        let regions = sc
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| {
                cumulative += r.share;
                RegionWorld {
                    cumulative_share: if i + 1 == n { 1.0 } else { cumulative },
                    shipping: r.shipping.draw(rng),
                    auto_confirm_days: r.auto_confirm_days.unwrap_or(p.auto_confirm_days),
                }
            })
            .collect();
        // Drawn last, and only with `[links]`: a scenario without them draws what it did.
        let links = sc.links.as_ref().map(|l| {
            let death_rate = l.death_rate.draw(rng);
            let dead_link_conversion = l.dead_link_conversion.draw(rng);
            let alive_at_start = l.alive_at_start.draw(rng);
            let hazard = sc
                .categories
                .iter()
                .map(|c| daily_hazard(c.link_death_rate.map_or(death_rate, |d| d.draw(rng))))
                .collect();
            LinkWorld {
                hazard,
                alive_at_start,
                dead_link_conversion,
            }
        });
        // Drawn after everything else, and only when uncertain: a scenario without a cart
        // extension draws what it did.
        let cart_share = p.cart_share.map_or(0.0, |c| c.draw(rng));
        // Then, only with `new_customers_only`: only new customers earn, a share drawn once.
        if let Some(n) = &p.new_customers {
            let share = n.share.draw(rng);
            for c in &mut categories {
                c.new_buyer_share = share;
                c.new_buyer_bonus = n.per_install;
                c.new_buyer_below = below_share(share);
                c.only_new = true;
            }
        }
        World {
            cookie_days,
            cart_extension_days: p.cart_extension_days.unwrap_or(0.0),
            cart_share,
            same_session_share,
            purchase_delay,
            overwrite_rate,
            processing,
            confirm_receipt_share,
            confirm_delay,
            refund_delay,
            earned_at_shipment: p.earned_at_shipment,
            clicks_per_month,
            monthly_growth,
            categories,
            regions,
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // shares in [0, 1]
    #[allow(clippy::cast_precision_loss)] // 32-bit integers are exact in f64
    fn a_half_lies_below_its_threshold_exactly_when_its_uniform_lies_below_the_share() {
        const TWO_32: f64 = 4_294_967_296.0;
        // Shares on the 2⁻³² grid (where rounding up must not move the threshold), between
        // its points, and at both ends.
        let shares = [0.0, 1e-12, 0.1, 0.25, 0.5, 1.0 / 3.0, 0.9, 1.0 - 1e-12, 1.0];
        let on_grid = [1.0, 2.0, 12_345.0, 2_147_483_648.0].map(|k| k / TWO_32);
        for share in shares.into_iter().chain(on_grid) {
            let t = below_share(share);
            let around = (share * TWO_32).floor() as u64;
            let halves = (around.saturating_sub(2)..=around + 2).chain([0, u64::from(u32::MAX)]);
            for h in halves.filter(|&h| h <= u64::from(u32::MAX)) {
                assert_eq!(
                    h < t,
                    (h as f64 / TWO_32) < share,
                    "share {share}, half {h}, threshold {t}"
                );
            }
        }
    }
}
