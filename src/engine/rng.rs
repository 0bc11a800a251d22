//! Random streams and counts: the generator of every trial, its independent streams (part
//! of the seed contract), and the Poisson and binomial draws the engine counts buyers with.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Binomial, Distribution, Poisson};

use crate::model::dist::fast_exp;

/// The generator every trial uses; named so that forecasts do not change with `rand` releases.
pub type TrialRng = Xoshiro256PlusPlus;

/// The independent random streams of one trial. Keeping the parts of a trial apart means
/// that changing one category's share does not shift every other random number: variants
/// stay paired. The numbers are part of the seed contract: change one and forecasts change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// The trial's world: every uncertain parameter, drawn once.
    World,
    /// The day-to-day noise of traffic.
    TrafficNoise,
    /// Clicks and buyers of category `c`.
    Clicks(usize),
    /// The orders of category `c`: values, fates.
    Orders(usize),
    /// The orders of an opening pipeline.
    Pipeline,
}

impl Stream {
    /// The stream's number: 0, 1, then two per category, the pipeline far beyond them.
    pub fn id(self) -> u64 {
        match self {
            Stream::World => 0,
            Stream::TrafficNoise => 1,
            Stream::Clicks(c) => 2 + 2 * c as u64,
            Stream::Orders(c) => 3 + 2 * c as u64,
            Stream::Pipeline => 1 << 40,
        }
    }
}

/// The random stream `which` of trial `trial` under `seed`.
pub fn stream(seed: u64, trial: u64, which: Stream) -> TrialRng {
    // SplitMix64 finaliser over the three inputs; seed_from_u64 then expands it.
    let mut z = seed
        ^ trial.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ which.id().wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    TrialRng::seed_from_u64(z ^ (z >> 31))
}

/// Each category's two streams in trial `trial`: its clicks and buyers, its orders.
pub(super) fn category_streams(
    seed: u64,
    trial: u64,
    categories: usize,
) -> Vec<(TrialRng, TrialRng)> {
    (0..categories)
        .map(|c| {
            let streams = [Stream::Clicks(c), Stream::Orders(c)];
            let [clicks, orders] = streams.map(|which| stream(seed, trial, which));
            (clicks, orders)
        })
        .collect()
}

/// A binomial count of `n` trials at probability `p` (clamped into 0..=1).
#[inline]
pub(super) fn draw_binomial(n: u64, p: f64, rng: &mut TrialRng) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    match Binomial::new(n, p.min(1.0)) {
        Ok(b) => b.sample(rng),
        Err(_) => n,
    }
}

/// The largest expected count of one draw (a day's buyers of a category, a month's clicks):
/// far beyond any real site, and small enough that no sum of cents or counts can overflow.
/// Runs this large are refused before they start unless forced.
pub(super) const MAX_LAMBDA: f64 = 1e12;

/// A Poisson count; 0 for a zero (or NaN) mean.
#[inline(always)] // per day and category on the day-by-day path
pub(super) fn draw_poisson(lambda: f64, rng: &mut TrialRng) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0;
    }
    // Inversion (the rejection method below pays off for larger means); most counts are
    // found among the first terms, which are summed without a branch.
    if lambda < 5.0 {
        return invert_poisson::<8>(lambda, rng);
    }
    if lambda < 12.0 {
        return invert_poisson::<16>(lambda, rng);
    }
    draw_large_poisson(lambda, rng)
}

/// A Poisson count of a mean under 12 by inversion: one uniform against the cumulative
/// probabilities. The first `K` cumulative probabilities are summed before looking at the
/// uniform and the count is how many lie below it (they never decrease), so the loop's exit,
/// which no branch predictor can guess, is only met when the count is `K` or more. The
/// arithmetic is the same sequence either way, so the count is the one-step-at-a-time search's
/// to the bit.
#[inline]
fn invert_poisson<const K: usize>(lambda: f64, rng: &mut TrialRng) -> u64 {
    invert_poisson_at::<K>(lambda, rng.random())
}

/// [`invert_poisson`] at the uniform `u`.
#[inline]
#[allow(clippy::cast_possible_truncation)] // e^−λ in single precision; K is small
fn invert_poisson_at<const K: usize>(lambda: f64, u: f64) -> u64 {
    // e^−λ through the engine's single-precision exp: every probability below is off by the
    // same factor, at most 2e-7.
    let mut p = f64::from(fast_exp(-lambda as f32));
    let mut cumulative = [p; K];
    for k in 1..K {
        p *= term_ratio(lambda, k);
        cumulative[k] = cumulative[k - 1] + p;
    }
    // A term of zero (an underflow) ends the search where it occurs: left to the loop, from
    // the start.
    let (mut k, mut p, mut sum) = if p > 0.0 {
        if u <= cumulative[K - 1] {
            return cumulative.iter().map(|&c| u64::from(u > c)).sum();
        }
        (K as u64 - 1, p, cumulative[K - 1])
    } else {
        (0, cumulative[0], cumulative[0])
    };
    while u > sum && p > 0.0 {
        k += 1;
        p *= term_ratio(lambda, k as usize);
        sum += p;
    }
    k
}

/// The ratio of a Poisson's term `k` to term `k − 1` at mean `lambda`: `lambda / k`, as a
/// product with `1 / k` from a table for the first terms (a division waits some 13 cycles;
/// the product differs from the quotient by at most one unit in the last place).
#[inline]
#[allow(clippy::cast_precision_loss)] // term numbers are small
fn term_ratio(lambda: f64, k: usize) -> f64 {
    match RECIPROCALS.get(k) {
        Some(r) => lambda * r,
        None => lambda / k as f64,
    }
}

/// `1 / k` for the first terms of a Poisson search.
#[allow(clippy::cast_precision_loss)] // term numbers are small
const RECIPROCALS: [f64; 16] = {
    let mut r = [0.0; 16];
    let mut k = 1;
    while k < 16 {
        r[k] = 1.0 / k as f64;
        k += 1;
    }
    r
};

/// A Poisson count of a mean of 12 or more (rand_distr's rejection method), kept out of line
/// so that the common small draws above stay small.
#[inline(never)]
#[allow(clippy::cast_possible_truncation)] // counts capped at MAX_LAMBDA fit in u64
fn draw_large_poisson(lambda: f64, rng: &mut TrialRng) -> u64 {
    match Poisson::new(lambda.min(MAX_LAMBDA)) {
        Ok(p) => p.sample(rng) as u64,
        Err(_) => MAX_LAMBDA as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search one term at a time, as the engine drew its counts before the first terms
    /// were summed without a branch.
    #[allow(clippy::cast_possible_truncation)]
    fn one_step_at_a_time(lambda: f64, rng: &mut TrialRng) -> u64 {
        let u: f64 = rng.random();
        let (mut k, mut p) = (0, f64::from(fast_exp(-lambda as f32)));
        let mut cumulative = p;
        while u > cumulative && p > 0.0 {
            k += 1;
            p *= term_ratio(lambda, k as usize);
            cumulative += p;
        }
        k
    }

    #[test]
    fn small_poisson_counts_are_the_one_step_searchs_to_the_bit() {
        let means = [
            1e-300, 1e-30, 3e-8, 0.01, 0.5, 1.0, 2.7, 4.999, 5.0, 7.3, 11.999,
        ];
        for (i, &lambda) in means.iter().enumerate() {
            let (mut a, mut b) = (
                stream(7, i as u64, Stream::World),
                stream(7, i as u64, Stream::World),
            );
            let (mut tail, terms) = (0, if lambda < 5.0 { 8 } else { 16 });
            for _ in 0..20_000 {
                let k = draw_poisson(lambda, &mut a);
                assert_eq!(k, one_step_at_a_time(lambda, &mut b), "mean {lambda}");
                tail += u64::from(k >= terms);
            }
            // The loop past the branch-free terms is exercised (P(k ≥ 8 | 4.999) and
            // P(k ≥ 16 | 11.999) are both about 0.13).
            if lambda == 4.999 || lambda == 11.999 {
                assert!(
                    tail > 1000,
                    "mean {lambda}: {tail} counts of {terms} or more"
                );
            }
        }
    }
}
