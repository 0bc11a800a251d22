//! Uncertain parameters (drawn once per trial) and per-event distributions (drawn per event).

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// z such that Φ(z) = 0.95: the 5% and 95% quantiles of an interval sit at ∓z.
pub const Z95: f64 = 1.644_853_626_951_472_2;
/// z such that Φ(z) = 0.90: the p90 of a lognormal sits at μ + z·σ.
pub const Z90: f64 = 1.281_551_565_544_600_5;

/// The shape used for an uncertain scalar, chosen by what the scalar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A probability or share: logit-normal.
    Probability,
    /// A positive amount, count or number of days: lognormal.
    Positive,
    /// A signed quantity such as growth: normal.
    Signed,
}

/// A scalar known exactly or only as a 90% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param {
    Fixed(f64),
    /// 5% quantile at `low`, 95% at `high`, in the shape of `kind`.
    Uncertain {
        kind: Kind,
        low: f64,
        high: f64,
    },
}

impl Default for Param {
    fn default() -> Self {
        Param::Fixed(0.0)
    }
}

impl Param {
    /// The value for one trial (one consistent world). Fixed values draw nothing.
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Param::Fixed(v) => v,
            Param::Uncertain { kind, low, high } => {
                let z: f64 = StandardNormal.sample(rng);
                let (to, from): (Transform, Transform) = match kind {
                    Kind::Probability => (logit, logistic),
                    Kind::Positive => (f64::ln, f64::exp),
                    Kind::Signed => (identity, identity),
                };
                let (a, b) = (to(low), to(high));
                from((a + b) / 2.0 + z * (b - a) / (2.0 * Z95))
            }
        }
    }

    /// Whether drawing this and `other` takes the same random numbers: both fixed, or both
    /// intervals (an interval draws one normal whatever its bounds).
    pub fn draws_alike(&self, other: &Param) -> bool {
        matches!(self, Param::Fixed(_)) == matches!(other, Param::Fixed(_))
    }

    /// The central value: the number itself, or the interval's median.
    pub fn central(&self) -> f64 {
        match *self {
            Param::Fixed(v) => v,
            Param::Uncertain { kind, low, high } => match kind {
                Kind::Probability => logistic((logit(low) + logit(high)) / 2.0),
                Kind::Positive => (low * high).sqrt(),
                Kind::Signed => (low + high) / 2.0,
            },
        }
    }

    /// The same parameter with every number multiplied by `factor` (used by sensitivity sweeps).
    pub fn scaled(&self, factor: f64) -> Param {
        match *self {
            Param::Fixed(v) => Param::Fixed(v * factor),
            Param::Uncertain { kind, low, high } => Param::Uncertain {
                kind,
                low: low * factor,
                high: high * factor,
            },
        }
    }
}

/// A map between a parameter and the scale on which its interval is normal.
type Transform = fn(f64) -> f64;

fn identity(x: f64) -> f64 {
    x
}
fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A positive per-event quantity: lognormal from a median and a p90, or a constant.
///
/// The median may be uncertain; then the ratio of p90 to the interval's central median is
/// kept, so a drawn median scales the whole distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: Param,
    /// p90 / median, ≥ 1 (1 = constant).
    pub ratio: f64,
}

impl Default for Spread {
    fn default() -> Self {
        Spread::constant(0.0)
    }
}

impl Spread {
    pub fn constant(v: f64) -> Spread {
        Spread {
            median: Param::Fixed(v),
            ratio: 1.0,
        }
    }

    /// The distribution in force for one trial.
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> LogNormal {
        LogNormal::from_median_p90(self.median.draw(rng), self.ratio)
    }

    /// The distribution at the central median.
    pub fn central(&self) -> LogNormal {
        LogNormal::from_median_p90(self.median.central(), self.ratio)
    }
}

/// A lognormal distribution of days or money, `exp(mu + sigma·Z)`; `sigma = 0` is a constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogNormal {
    pub median: f64,
    pub mu: f64,
    pub sigma: f64,
}

impl LogNormal {
    /// From a median and the ratio p90 / median (σ = ln(ratio) / z₀.₉₀).
    pub fn from_median_p90(median: f64, ratio: f64) -> LogNormal {
        LogNormal {
            median,
            mu: median.ln(),
            sigma: ratio.ln() / Z90,
        }
    }

    /// One draw. The exponential is taken in single precision by [`fast_exp`]: its relative
    /// error (below 2e-7) is seconds on a delay of months and far below a cent on an order
    /// value.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let z: f64 = StandardNormal.sample(rng);
        self.at(z)
    }

    /// The draw for a standard normal `z`: `exp(mu + sigma·z)`, exactly the median when
    /// `sigma = 0`. A batch is drawn in three loops, each without branches: the exponents
    /// ([`LogNormal::exponent`]), their [`fast_exp`], and [`LogNormal::finish`].
    #[inline]
    pub fn at(&self, z: f64) -> f64 {
        self.finish(fast_exp(self.exponent(z)))
    }

    /// `mu + sigma·z` in the precision the exponential is taken in.
    #[inline]
    #[allow(clippy::cast_possible_truncation)] // the exponential is taken in single precision on purpose (see above)
    pub fn exponent(&self, z: f64) -> f32 {
        (self.mu + self.sigma * z) as f32
    }

    /// The draw from the exponential of its exponent: exactly the median when `sigma = 0`.
    #[inline]
    pub fn finish(&self, e: f32) -> f64 {
        if self.sigma == 0.0 {
            self.median
        } else {
            f64::from(e)
        }
    }

    /// The mean, `exp(mu + sigma²/2)` (0 for a zero median).
    pub fn mean(&self) -> f64 {
        if self.median <= 0.0 {
            0.0
        } else {
            (self.mu + self.sigma * self.sigma / 2.0).exp()
        }
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        if self.median <= 0.0 || self.sigma == 0.0 {
            return if x >= self.median { 1.0 } else { 0.0 };
        }
        if x <= 0.0 {
            return 0.0;
        }
        use statrs::distribution::{ContinuousCDF, Normal};
        let n = Normal::new(0.0, 1.0).expect("the standard normal is valid");
        n.cdf((x.ln() - self.mu) / self.sigma)
    }
}

/// `e^x` in single precision without a library call: `x = n·ln 2 + r` with n whole and
/// |r| ≤ ½ ln 2 (ln 2 in two parts, so that r is exact), `2^n` written into the exponent bits
/// and a degree-7 polynomial for `e^r`. It has no branch, so a loop of it vectorises.
/// Relative error below 2e-7 (f32's own rounding is 6e-8); `x` is clamped to ±87, the range
/// of f32.
#[inline]
pub fn fast_exp(x: f32) -> f32 {
    // Adding 1.5·2²³ rounds to a whole number, which then sits in the low mantissa bits.
    const ROUND: f32 = 12_582_912.0;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Comparisons rather than `clamp`, whose care for NaN costs instructions here.
    let x = if x > 87.0 { 87.0 } else { x };
    let x = if x < -87.0 { -87.0 } else { x };
    let big = x * std::f32::consts::LOG2_E + ROUND;
    let n = big - ROUND;
    let r = x - n * LN2_HI - n * LN2_LO;
    let p = 1.987_569_1e-4_f32;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 0.5;
    let e_r = p * r * r + r + 1.0;
    // The low 9 bits of `big` are n (two's complement); n + 127 is the exponent of 2^n.
    e_r * f32::from_bits(big.to_bits().wrapping_add(127) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use statrs::distribution::{ContinuousCDF, Normal};

    #[test]
    fn z_constants_match_the_normal_quantiles() {
        let n = Normal::new(0.0, 1.0).unwrap();
        assert!((n.inverse_cdf(0.95) - Z95).abs() < 1e-12);
        assert!((n.inverse_cdf(0.90) - Z90).abs() < 1e-12);
    }

    fn quantiles_of(p: Param) -> (f64, f64) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut v: Vec<f64> = (0..200_000).map(|_| p.draw(&mut rng)).collect();
        v.sort_by(f64::total_cmp);
        (v[10_000], v[190_000])
    }

    #[test]
    fn intervals_put_five_and_ninety_five_percent_at_low_and_high() {
        for (kind, low, high) in [
            (Kind::Probability, 0.01, 0.03),
            (Kind::Positive, 20_000.0, 50_000.0),
            (Kind::Signed, -0.01, 0.04),
        ] {
            let (q5, q95) = quantiles_of(Param::Uncertain { kind, low, high });
            // the 5% quantile of 200k draws has a relative standard error well under 1%
            let tol = (high - low) * 0.02;
            assert!((q5 - low).abs() < tol, "{kind:?}: q5 {q5} vs {low}");
            assert!((q95 - high).abs() < tol, "{kind:?}: q95 {q95} vs {high}");
        }
    }

    #[test]
    fn lognormal_from_median_and_p90() {
        let d = LogNormal::from_median_p90(3.0, 14.0 / 3.0);
        assert!((d.cdf(3.0) - 0.5).abs() < 1e-12);
        assert!((d.cdf(14.0) - 0.9).abs() < 1e-9);
        let c = LogNormal::from_median_p90(5.0, 1.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(c.sample(&mut rng), 5.0);
    }

    #[test]
    fn fast_exp_is_as_close_as_single_precision_allows() {
        // Every argument a lognormal of days or money can meet, and beyond: 1e-3 apart.
        let worst = (-80_000..=80_000)
            .map(|i| f64::from(i) / 1000.0)
            .map(|x| {
                #[allow(clippy::cast_possible_truncation)]
                let x32 = x as f32;
                let exact = f64::from(x32).exp();
                (f64::from(fast_exp(x32)) - exact).abs() / exact
            })
            .fold(0.0, f64::max);
        assert!(worst < 2e-7, "relative error {worst:e}");
        assert_eq!(fast_exp(0.0), 1.0);
        assert!(fast_exp(200.0).is_finite() && fast_exp(-200.0) >= 0.0);
    }
}
