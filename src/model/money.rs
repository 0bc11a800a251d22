//! Money: integer cents in the engine, `Decimal` at the edges (amounts read from files here;
//! amounts written as text in `report::value`, the one place figures become text).

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};

/// An amount of money in integer cents of the scenario's currency.
pub type Cents = i64;

/// A commission rate in parts per million of the commissionable amount (0.09 = 90_000).
pub type RatePpm = i64;

/// Converts a rate in 0..=1 to parts per million, half-even.
#[allow(clippy::cast_possible_truncation)] // a rate of at most 1 (1e6 ppm) times an amount in i64 cents, divided by 1e6, fits in i64
pub fn rate_to_ppm(rate: f64) -> RatePpm {
    (rate * 1e6).round_ties_even() as RatePpm
}

/// `amount × rate`, rounded half-even to whole cents (`round_half_even(V × rate, 2 dp)`).
#[inline]
#[allow(clippy::cast_possible_truncation)] // a rate of at most 1 (1e6 ppm) times an amount in i64 cents, divided by 1e6, fits in i64
pub fn apply_rate(amount: Cents, rate: RatePpm) -> Cents {
    // 64-bit arithmetic while the product fits (orders up to 10^7 currency units at any rate
    // ≤ 100%); 128-bit beyond, e.g. for a percentage fee on a huge balance.
    match amount.checked_mul(rate) {
        Some(x) => half_even(x / 1_000_000, x % 1_000_000),
        None => {
            let x = amount as i128 * rate as i128;
            half_even((x / 1_000_000) as i64, (x % 1_000_000) as i64)
        }
    }
}

/// An order's commission: [`apply_rate`] for an amount of at most [`ORDER_CENTS_MAX`] at a
/// rate of at most 100%, whose product always fits in 64 bits. Unsigned arithmetic without
/// an overflow check: the engine's commonest money operation, a tenth of its time otherwise.
#[inline]
#[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)] // both operands are checked to be in range
pub fn order_commission(amount: Cents, rate: RatePpm) -> Cents {
    debug_assert!((0..=ORDER_CENTS_MAX).contains(&amount) && (0..=1_000_000).contains(&rate));
    let x = amount as u64 * rate as u64;
    half_even((x / 1_000_000) as i64, (x % 1_000_000) as i64)
}

/// The largest order value the engine draws, in cents (10 million currency units).
pub const ORDER_CENTS_MAX: Cents = 1_000_000_000;

#[inline]
fn half_even(q: i64, r: i64) -> Cents {
    // Without branches: whether to round up is a coin flip across orders, which a branch
    // predictor gets wrong half the time.
    let up = (r > 500_000) | ((r == 500_000) & (q & 1 != 0));
    q + up as i64
}

/// A currency amount written in a scenario (e.g. `16.00`) as cents, half-even.
/// `None` when it is not finite or does not fit.
pub fn cents_from_f64(amount: f64) -> Option<Cents> {
    let d = Decimal::from_f64(amount)?;
    (d * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven)
        .to_i64()
}

/// A `Decimal` amount (e.g. parsed from an export) as cents, half-even.
pub fn cents_from_decimal(amount: Decimal) -> Option<Cents> {
    amount
        .checked_mul(Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven)
        .to_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_even_rounding_of_commissions() {
        // 12.50 × 9% = 1.125 → 1.12 (tie to even)
        assert_eq!(apply_rate(1250, rate_to_ppm(0.09)), 112);
        // 13.50 × 9% = 1.215 → 1.22 (tie to even)
        assert_eq!(apply_rate(1350, rate_to_ppm(0.09)), 122);
        // 9.99 × 7% = 0.6993 → 0.70
        assert_eq!(apply_rate(999, rate_to_ppm(0.07)), 70);
        // 0.01 × 3% = 0.0003 → 0.00
        assert_eq!(apply_rate(1, rate_to_ppm(0.03)), 0);
        assert_eq!(apply_rate(10_000, 0), 0);
        // Beyond 64 bits the result is the same arithmetic.
        // 9_223_372_036_854_775 × 50% = …387.5 → …388 (half-even)
        assert_eq!(apply_rate(i64::MAX / 1000, 500_000), 4_611_686_018_427_388);
    }

    #[test]
    fn order_commissions_are_the_same_arithmetic() {
        let amounts = [1, 999, 1250, 1350, 123_456_789, ORDER_CENTS_MAX];
        for amount in amounts {
            for rate in [0, 1, 30_000, 70_000, 90_000, 500_000, 999_999, 1_000_000] {
                assert_eq!(order_commission(amount, rate), apply_rate(amount, rate));
            }
        }
    }

    #[test]
    fn scenario_amounts_to_cents() {
        assert_eq!(cents_from_f64(16.0), Some(1600));
        assert_eq!(cents_from_f64(0.1), Some(10));
        assert_eq!(cents_from_f64(50.005), Some(5000));
        assert_eq!(cents_from_f64(f64::NAN), None);
    }
}
