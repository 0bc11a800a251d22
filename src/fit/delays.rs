//! The payment → confirmation delay: the model's delay fitted to the survival estimate
//! of an export's orders.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::SHIPPING_RATIO;
use super::survival::KaplanMeier;
use crate::model::{LogNormal, Program};

/// How well the model's payment → confirmation delay matches the survival estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DelayFit {
    pub km_median: f64,
    pub km_p90: Option<f64>,
    pub model_median: f64,
    pub model_p90: f64,
    pub confirm_receipt_share: f64,
    pub shipping_median: f64,
}

/// Fixed standard-normal and uniform draws, so the model's delay quantiles change smoothly
/// with the parameters being fitted (common random numbers).
struct DelayDraws {
    processing: Vec<f64>,
    shipping: Vec<f64>,
    confirm: Vec<f64>,
    buyer: Vec<f64>,
}

impl DelayDraws {
    fn new(n: usize) -> Self {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let mut normal =
            || -> Vec<f64> { (0..n).map(|_| StandardNormal.sample(&mut rng)).collect() };
        let (processing, shipping, confirm) = (normal(), normal(), normal());
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let buyer = (0..n)
            .map(|_| rand::RngExt::random::<f64>(&mut rng))
            .collect();
        DelayDraws {
            processing,
            shipping,
            confirm,
            buyer,
        }
    }
}

/// `d` at the standard normal `z`: `exp(mu + sigma·z)`, exactly the median when `sigma = 0`.
/// In double precision: the fit keeps the C library's `exp`, where the engine's
/// [`LogNormal::at`] takes a single-precision one made for its batches.
fn lognormal_at(d: LogNormal, z: f64) -> f64 {
    if d.sigma == 0.0 {
        d.median
    } else {
        (d.mu + d.sigma * z).exp()
    }
}

/// The model's delays at the fixed draws, as a fit varies the shipping median and the share
/// of buyers who confirm: processing and the buyer's delay do not vary, so they are worked
/// out once; delivery, once per shipping median.
#[derive(Clone)]
struct DelayModel<'a> {
    p: &'a Program,
    draws: &'a DelayDraws,
    processing: Vec<f64>,
    confirm: Vec<f64>,
    /// Days from payment to delivery of every draw, at the last shipping median set.
    delivered: Vec<f64>,
    scratch: Vec<f64>,
}

impl<'a> DelayModel<'a> {
    fn new(p: &'a Program, draws: &'a DelayDraws) -> Self {
        let at = |d: LogNormal, zs: &[f64]| zs.iter().map(|&z| lognormal_at(d, z)).collect();
        DelayModel {
            p,
            draws,
            processing: at(p.processing.central(), &draws.processing),
            confirm: at(p.confirm_delay.central(), &draws.confirm),
            delivered: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Sets the shipping median.
    fn ship(&mut self, shipping_median: f64) {
        let shipping = LogNormal::from_median_p90(shipping_median, SHIPPING_RATIO);
        let shipped = self
            .draws
            .shipping
            .iter()
            .map(|&z| lognormal_at(shipping, z));
        self.delivered.clear();
        self.delivered
            .extend(self.processing.iter().zip(shipped).map(|(a, b)| a + b));
    }

    /// Quantiles `qs` of the model's days from payment to confirmation, for orders that are
    /// neither cancelled nor refunded, at the shipping median last set and `share` of buyers
    /// who confirm.
    fn quantiles(&mut self, share: f64, qs: &[f64]) -> Vec<f64> {
        let p = self.p;
        let each = self
            .delivered
            .iter()
            .zip(&self.confirm)
            .zip(&self.draws.buyer);
        // Without branches: whether a buyer confirms is a coin no predictor guesses. Every
        // delay is written (over the last try's), and the count moves on past those within
        // the void.
        self.scratch.resize(self.delivered.len(), 0.0);
        let mut kept = 0;
        for ((&delivered, &confirm), &buyer) in each {
            let auto = p.auto_confirm_days.max(delivered);
            let by_buyer = (delivered + confirm).min(auto);
            let mask = u64::from(buyer < share).wrapping_neg();
            let t = f64::from_bits(auto.to_bits() ^ ((auto.to_bits() ^ by_buyer.to_bits()) & mask));
            self.scratch[kept] = t;
            kept += usize::from(t <= p.invalid_after_days);
        }
        ranked(&mut self.scratch[..kept], qs)
    }
}

/// The values at ranks `n·q` of `values` (at most the last), for each of `qs`, found by
/// selection rather than by sorting them all: the middle rank first, then the ranks below
/// it among the values below it and the ranks above among those above (the same values: a
/// rank's value is the same whichever way it is found). Infinite when `values` is empty.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // an index into the values: 0 <= n·q < n
#[allow(clippy::cast_precision_loss)] // sample sizes are small
fn ranked(values: &mut [f64], qs: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 0 {
        return vec![f64::INFINITY; qs.len()];
    }
    let mut ranks: Vec<(usize, usize)> = qs
        .iter()
        .enumerate()
        .map(|(j, &q)| (((n as f64 * q) as usize).min(n - 1), j))
        .collect();
    ranks.sort_unstable();
    let mut out = vec![0.0; qs.len()];
    select_ranks(values, 0, &ranks, &mut out);
    out
}

/// Puts into `out[j]` the value of rank `r` for each `(r, j)` of `ranks` (sorted), where
/// `values` are those of ranks `offset..` of the whole.
fn select_ranks(values: &mut [f64], offset: usize, ranks: &[(usize, usize)], out: &mut [f64]) {
    let Some(&(r, _)) = ranks.get(ranks.len() / 2) else {
        return;
    };
    let (below, v, above) = values.select_nth_unstable_by(r - offset, f64::total_cmp);
    let v = *v;
    let lower = ranks.partition_point(|&(x, _)| x < r);
    let upper = ranks.partition_point(|&(x, _)| x <= r);
    for &(_, j) in &ranks[lower..upper] {
        out[j] = v;
    }
    select_ranks(below, offset, &ranks[..lower], out);
    select_ranks(above, r + 1, &ranks[upper..], out);
}

/// Chooses `confirm_receipt_share` and the shipping median so that the model's payment →
/// confirmation delay matches the survival estimate: at its median and p90 above all, and at
/// its other deciles where the data reach them (the p90 often sits on the auto-confirmation
/// day, where it cannot tell buyers who confirm from those who do not). Without any decile
/// but the median, the share stays at the preset's value.
pub(super) fn fit_delay(p: &Program, km: &KaplanMeier) -> Option<DelayFit> {
    let shares: Vec<f64> = (1..=19).map(|i| i as f64 * 0.05).collect();
    fit_delay_over(p, km, &shares)
}

/// Shipping medians a delay fit tries: 1 to 41 days by quarter days.
const SHIP_STEPS: usize = 161;

/// Like [`fit_delay`], trying only these shares of buyers who confirm (one share: the
/// shipping alone is fitted, as for each country given the whole export's share).
pub(super) fn fit_delay_over(p: &Program, km: &KaplanMeier, shares: &[f64]) -> Option<DelayFit> {
    let km_median = km.quantile(0.5)?;
    let km_p90 = km.quantile(0.9);
    let targets: Vec<(f64, f64, f64)> = (1..=9)
        .filter_map(|i| {
            let q = i as f64 / 10.0;
            let weight = if i == 5 || i == 9 { 3.0 } else { 1.0 };
            km.quantile(q).filter(|&t| t > 0.0).map(|t| (q, t, weight))
        })
        .collect();
    let qs: Vec<f64> = targets.iter().map(|t| t.0).collect();
    let draws = DelayDraws::new(6_000);
    let preset_share = [p.confirm_receipt_share.central()];
    let shares: &[f64] = if targets.len() > 1 {
        shares
    } else {
        &preset_share
    };
    let ship = |k: usize| 1.0 + k as f64 * 0.25;
    // Each shipping median's deliveries serve every share, one median per task on every
    // core; the errors are then compared shares first, so that of equal errors the smallest
    // share, then the shortest shipping, wins whatever the threads.
    let mut model = DelayModel::new(p, &draws);
    let errors: Vec<Vec<f64>> = (0..SHIP_STEPS)
        .into_par_iter()
        .map_init(
            || model.clone(),
            |model, k| {
                model.ship(ship(k));
                let error = |at: Vec<f64>| -> f64 {
                    targets
                        .iter()
                        .zip(&at)
                        .map(|(&(_, t, w), &m)| w * (m / t).ln().powi(2))
                        .sum()
                };
                shares
                    .iter()
                    .map(|&share| error(model.quantiles(share, &qs)))
                    .collect()
            },
        )
        .collect();
    let mut best = (f64::INFINITY, 0.0, 0.0);
    for (s, &share) in shares.iter().enumerate() {
        for (k, errors) in errors.iter().enumerate() {
            if errors[s] < best.0 {
                best = (errors[s], share, ship(k));
            }
        }
    }
    model.ship(best.2);
    let at = model.quantiles(best.1, &[0.5, 0.9]);
    Some(DelayFit {
        km_median,
        km_p90,
        model_median: at[0],
        model_p90: at[1],
        confirm_receipt_share: best.1,
        shipping_median: best.2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// The rank `n·q` of the values sorted: what selecting ranks must give.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    #[allow(clippy::cast_precision_loss)]
    fn by_sorting(values: &[f64], qs: &[f64]) -> Vec<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        let n = sorted.len();
        qs.iter()
            .map(|&q| sorted[((n as f64 * q) as usize).min(n - 1)])
            .collect()
    }

    #[test]
    fn selected_ranks_are_the_ranks_of_the_sorted_values() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        // Deciles in order, out of order, repeated, at both ends; values with many ties (as
        // the delays have at the auto-confirmation day) and without.
        let qs_sets: [&[f64]; 5] = [
            &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
            &[0.9, 0.5, 0.1, 0.5],
            &[0.0, 1.0, 0.999_999],
            &[0.5, 0.9],
            &[],
        ];
        for n in [1, 2, 3, 10, 101, 6_000] {
            for tied in [false, true] {
                let values: Vec<f64> = (0..n)
                    .map(|_| {
                        let x: f64 = rng.random();
                        if tied && x < 0.4 { 60.0 } else { x * 100.0 }
                    })
                    .collect();
                for qs in qs_sets {
                    let mut shuffled = values.clone();
                    let got = ranked(&mut shuffled, qs);
                    assert_eq!(
                        got,
                        by_sorting(&values, qs),
                        "n {n}, tied {tied}, qs {qs:?}"
                    );
                }
            }
        }
        assert_eq!(ranked(&mut [], &[0.5, 0.9]), vec![f64::INFINITY; 2]);
    }
}
