//! The fates of a batch of paid orders, drawn in bulk: when each resolves, whether it is
//! confirmed, and its buyer's region; and the bulk draws and branch-free arithmetic that
//! batches of orders share.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::world::{CategoryWorld, World};
use crate::model::LogNormal;
use crate::model::dist::fast_exp;

/// Orders followed together.
pub(super) const LANES: usize = 64;

/// The two 32-bit halves of a random word as uniforms in [0, 1) (a resolution of 2.3e-10,
/// far finer than any rate or share in a scenario).
#[inline]
#[allow(clippy::cast_precision_loss)] // 32-bit integers are exact in f64
pub(super) fn halves(x: u64) -> (f64, f64) {
    const SCALE: f64 = 1.0 / 4_294_967_296.0;
    ((x >> 32) as f64 * SCALE, (x & 0xFFFF_FFFF) as f64 * SCALE)
}

/// `n` random words.
#[inline]
pub(super) fn fill_words<R: Rng + ?Sized>(out: &mut [u64], rng: &mut R) {
    for x in out {
        *x = rng.next_u64();
    }
}

/// A standard normal in every slot of `out` (rand_distr's ziggurat: exact to the tails).
#[inline]
pub(super) fn fill_normals<R: Rng + ?Sized>(out: &mut [f64], rng: &mut R) {
    for x in out {
        *x = StandardNormal.sample(rng);
    }
}

/// The smaller of two numbers that are not NaN, in one instruction (`f64::min` spends more
/// on NaN).
#[inline]
pub(super) fn lesser(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// The larger of two numbers that are not NaN, in one instruction.
#[inline]
pub(super) fn greater(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// `e^x` for each `x`: a loop the compiler vectorises.
#[inline]
pub(super) fn exp_all(xs: &mut [f32]) {
    for x in xs {
        *x = fast_exp(*x);
    }
}

/// What becomes of a batch of paid orders: for each, days from payment to its resolution,
/// whether it is confirmed (else reversed), and its buyer's region.
///
/// Cancelled before shipment (at a uniform time during processing), refunded after delivery,
/// confirmed by the buyer or automatically when buyer protection ends, voided if not
/// confirmed within `invalid_after` days. Every order draws the same numbers (two words, three
/// normals: processing, shipping, and the delay after delivery, which is the refund's or the
/// confirmation's), so the batch's draws come in bulk and its arithmetic has no branches.
#[derive(Debug)]
pub(super) struct Fates {
    pub(super) after: [f64; LANES],
    /// Days from payment to shipment; infinite for an order cancelled before it ships.
    pub(super) shipped: [f64; LANES],
    pub(super) confirmed: [bool; LANES],
    pub(super) region: [u32; LANES],
    /// With a table: each order's way of ending and cell in it.
    pub(super) way: [u32; LANES],
    pub(super) cell: [u32; LANES],
    /// Each order's two words (its region, way of ending and cell when drawn from a table).
    pub(super) words: [[u64; LANES]; 2],
    normals: [[f64; LANES]; 3],
    exponents: [[f32; LANES]; 3],
}

impl Default for Fates {
    fn default() -> Self {
        Fates {
            after: [0.0; LANES],
            shipped: [0.0; LANES],
            confirmed: [false; LANES],
            region: [0; LANES],
            way: [0; LANES],
            cell: [0; LANES],
            words: [[0; LANES]; 2],
            normals: [[0.0; LANES]; 3],
            exponents: [[0.0; LANES]; 3],
        }
    }
}

impl Fates {
    /// Draws the fates of `n` (at most [`LANES`]) orders of category `cat`.
    #[allow(clippy::cast_possible_truncation)] // region indices are small
    pub(super) fn draw<R: Rng + ?Sized>(
        &mut self,
        w: &World,
        cat: &CategoryWorld,
        invalid_after: f64,
        n: usize,
        rng: &mut R,
    ) {
        let n = n.min(LANES);
        for words in &mut self.words {
            fill_words(&mut words[..n], rng);
        }
        for normals in &mut self.normals {
            fill_normals(&mut normals[..n], rng);
        }
        // The exponents of the three lognormals follow from the region and from whether the
        // order is refunded.
        let [processing, shipping, delay] = &mut self.exponents;
        for i in 0..n {
            let (u_region, _) = halves(self.words[0][i]);
            let (u_refund, _) = halves(self.words[1][i]);
            let r = region_of(w, u_region);
            self.region[i] = r as u32;
            processing[i] = w.processing.exponent(self.normals[0][i]);
            shipping[i] = w.regions[r].shipping.exponent(self.normals[1][i]);
            delay[i] = after_delivery(w, u_refund < cat.refund_rate).exponent(self.normals[2][i]);
        }
        for e in &mut self.exponents {
            exp_all(&mut e[..n]);
        }
        let [processing, shipping, delay] = &self.exponents;
        for i in 0..n {
            let (_, u_cancel) = halves(self.words[0][i]);
            let (u_refund, u_confirm) = halves(self.words[1][i]);
            let region = &w.regions[self.region[i] as usize];
            let cancelled = u_cancel < cat.cancel_rate;
            let refunded = u_refund < cat.refund_rate;
            let processing = w.processing.finish(processing[i]);
            let delivered = processing + region.shipping.finish(shipping[i]);
            let delay = after_delivery(w, refunded).finish(delay[i]);
            let auto = greater(region.auto_confirm_days, delivered);
            let confirm = if u_confirm < w.confirm_receipt_share {
                lesser(delivered + delay, auto)
            } else {
                auto
            };
            let resolved = if refunded { delivered + delay } else { confirm };
            // Below the cancellation rate, the uniform over the rate is itself uniform: the
            // moment during processing the order is cancelled.
            self.after[i] = if cancelled {
                u_cancel / cat.cancel_rate * processing
            } else {
                lesser(resolved, invalid_after)
            };
            self.shipped[i] = if cancelled { f64::INFINITY } else { processing };
            self.confirmed[i] = !cancelled && !refunded && resolved <= invalid_after;
        }
    }

    /// Order `i`'s two words.
    #[inline]
    pub(super) fn words_of(&self, i: usize) -> [u64; 2] {
        let [a, b] = &self.words;
        [a[i], b[i]]
    }

    /// With a table: order `i`'s region, way of ending and cell.
    #[inline]
    pub(super) fn place_of(&self, i: usize) -> [u32; 3] {
        [self.region[i], self.way[i], self.cell[i]]
    }
}

/// The region of a buyer whose uniform is `u`: the number of cumulative shares at or below
/// it (without a branch; the last region's share is whatever is left).
#[inline]
pub(super) fn region_of(w: &World, u: f64) -> usize {
    w.regions[..w.regions.len() - 1]
        .iter()
        .map(|r| usize::from(u >= r.cumulative_share))
        .sum()
}

/// The delay after delivery: to the refund, or to the buyer's confirmation.
#[inline]
fn after_delivery(w: &World, refunded: bool) -> &LogNormal {
    if refunded {
        &w.refund_delay
    } else {
        &w.confirm_delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_are_uniforms_of_the_two_words() {
        assert_eq!(halves(0), (0.0, 0.0));
        let (a, b) = halves(u64::MAX);
        assert!(a < 1.0 && b < 1.0 && a == b && a > 0.999_999_999);
        assert_eq!(halves(1 << 63).0, 0.5);
    }
}
