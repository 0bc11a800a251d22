//! Where buyers fall in time: a day's expected clicks and buyers, a month's buyers drawn at
//! once and placed on their days, and the moment and cookie of each click.

use rand_distr::{Distribution, Gamma};

use super::fates::halves;
use super::rng::{TrialRng, draw_poisson};
use super::shared::Shared;
use super::table::vose;
use super::world::{CategoryWorld, World};
use crate::model::Calendar;

/// The expected same-session and later buyers among `lambda` expected clicks converting at
/// `p`, of which a share `share` buy in the click's session.
#[inline]
pub(super) fn buyer_means(lambda: f64, p: f64, share: f64) -> (f64, f64) {
    (lambda * p * share, lambda * p * (1.0 - share))
}

/// A category's expected clicks on day `d` of a month of `month_clicks` whose traffic noise
/// that day is `factor`, and their conversion.
#[inline]
pub(super) fn day_clicks(
    month_clicks: f64,
    cal: &Calendar,
    d: usize,
    factor: f64,
    cat: &CategoryWorld,
) -> (f64, f64) {
    let rate = month_clicks * cal.traffic_factor[d] * factor;
    (
        rate * cat.share,
        (cat.conversion_rate * cal.conversion_factor[d]).min(1.0),
    )
}

/// A month's buyers, drawn before any of them is followed when the month's draws alone decide
/// them (no known clicks, no `[links]`). Each day's traffic noise first; then per category
/// the month's same-session and later buyers, two Poisson counts at the month's expected
/// buyers, and the days they click on, each day in proportion to its expected buyers
/// (Poisson splitting: the same buyers as a Poisson count per day, without a count, a loop
/// and a search per day).
#[derive(Debug, Default)]
pub(super) struct Month {
    /// Per day of the month, traffic's noise factor.
    pub(super) factors: Vec<f64>,
    /// Per category: the month's same-session and later buyers.
    pub(super) counts: Vec<(u64, u64)>,
    /// Per category: the days its buyers click on (unless drawn by day).
    pub(super) days: Vec<ClickDays>,
    /// Per category: whose table in `days` gives its buyers' days. Categories whose
    /// conversion is nowhere capped at 1 have expected buyers in the same proportion from
    /// day to day (traffic, its noise and the conversion's factor; up to rounding in the
    /// last bit), so the first of them with buyers lends its table to the others. When
    /// thinned, each day's buyers are the most any variant expects: no table is lent.
    pub(super) table_of: Vec<usize>,
    /// Per category: whether its buyers are counted day by day (in `by_day`), which costs
    /// less than finding each one's day when a day has many ([`BY_DAY`]).
    pub(super) daily: Vec<bool>,
    /// Per category, per day: the same-session and later buyers, when counted by day.
    by_day: Vec<(u64, u64)>,
    /// Per category: the forecast's own expected clicks that buy nothing.
    pub(super) idle: Vec<f64>,
    /// When thinned, per category, per day: each variant's share of the day's buyers.
    keeps: Vec<f64>,
    /// Variants with a share (0 unless thinned).
    variants: usize,
    /// Per day, a category's expected buyers.
    expected: Vec<f64>,
    /// Per day of the month, the cookie of its clicks (an event's, else the program's).
    pub(super) cookies: Vec<f64>,
}

impl Month {
    /// Draws month `m`'s noise and buyers, which `month_clicks` expects; when the buyers are
    /// thinned among variants, at the most any variant expects ([`Shared::day`]).
    pub(super) fn draw(
        &mut self,
        (w, cal, m): (&World, &Calendar, usize),
        month_clicks: f64,
        (noise, noise_rng): (Option<Gamma<f64>>, &mut TrialRng),
        cat_rngs: &mut [(TrialRng, TrialRng)],
        shared: &mut Shared,
    ) {
        let days = cal.month_start[m]..cal.month_start[m + 1];
        self.factors.clear();
        let factors = days
            .clone()
            .map(|_| noise.map_or(1.0, |g| g.sample(noise_rng)));
        self.factors.extend(factors);
        self.cookies.clear();
        self.cookies
            .extend(days.clone().map(|d| cookie_on(cal, w, d)));
        let categories = w.categories.len();
        self.counts.resize(categories, (0, 0));
        self.days.resize_with(categories, ClickDays::default);
        self.daily.resize(categories, false);
        self.table_of.resize(categories, 0);
        // The first category whose table the categories without a cap may share.
        let mut lender = None;
        self.by_day.resize(categories * days.len(), (0, 0));
        self.idle.resize(categories, 0.0);
        self.keeps.clear();
        self.variants = if shared.thinned {
            shared.intensities.len()
        } else {
            0
        };
        for (c, (cat, (click_rng, _))) in w.categories.iter().zip(cat_rngs).enumerate() {
            self.expected.clear();
            self.idle[c] = 0.0;
            self.table_of[c] = c;
            let mut capped = shared.thinned;
            for (d, &factor) in days.clone().zip(&self.factors) {
                let buyers = if shared.thinned {
                    let most = shared.day(m, d, c, factor);
                    self.keeps
                        .extend_from_slice(shared.keep(c).unwrap_or_default());
                    most
                } else {
                    let (lambda, p) = day_clicks(month_clicks, cal, d, factor, cat);
                    capped |= p >= 1.0;
                    self.idle[c] += lambda * (1.0 - p);
                    lambda * p
                };
                // A day no buyer can click on (or a mean that is not a number) has none.
                self.expected.push(if buyers > 0.0 { buyers } else { 0.0 });
            }
            let total: f64 = self.expected.iter().sum();
            let share = w.same_session_share;
            #[allow(clippy::cast_precision_loss)] // days of a month
            let daily = total >= BY_DAY * self.expected.len() as f64;
            self.daily[c] = daily;
            if daily {
                let by_day = &mut self.by_day[c * days.len()..(c + 1) * days.len()];
                for (counts, &e) in by_day.iter_mut().zip(&self.expected) {
                    let (now, later) = buyer_means(e, 1.0, share);
                    *counts = (draw_poisson(now, click_rng), draw_poisson(later, click_rng));
                }
                self.counts[c] = by_day
                    .iter()
                    .fold((0, 0), |(a, b), &(now, later)| (a + now, b + later));
            } else {
                let (now, later) = buyer_means(total, 1.0, share);
                self.counts[c] = (draw_poisson(now, click_rng), draw_poisson(later, click_rng));
                if self.counts[c] != (0, 0) {
                    match (capped, lender) {
                        (false, Some(l)) => self.table_of[c] = l,
                        _ => {
                            self.days[c].set(&self.expected);
                            lender = lender.or((!capped).then_some(c));
                        }
                    }
                }
            }
        }
    }

    /// Category `c`'s buyers on the month's day `i` (from 0), when counted by day.
    pub(super) fn on(&self, c: usize, i: usize) -> (u64, u64) {
        self.by_day[c * self.factors.len() + i]
    }

    /// When thinned, each variant's share of category `c`'s buyers on the month's day `i`.
    pub(super) fn keep(&self, c: usize, i: usize) -> Option<&[f64]> {
        let at = (c * self.factors.len() + i) * self.variants;
        (self.variants > 0).then(|| &self.keeps[at..at + self.variants])
    }
}

/// Expected buyers a day (of a category, over a month) from which a month's buyers are
/// counted day by day rather than placed on their days one by one. Placing every buyer made
/// 60 trials of a site with 3M clicks a month 7% slower; on copies of the default scenario
/// whose larger category has about 20, 30 and 50 buyers a day, placing every buyer was as
/// fast or faster at 20 and 30 and slower at 50 (one thread).
const BY_DAY: f64 = 30.0;

/// The days of a month a category's buyers click on, each with a probability in proportion
/// to its expected buyers: a Walker alias table over the days, drawn from the upper half of
/// a buyer's word (the half times the number of days: the product's upper part picks a slot,
/// its lower 32 bits the side of the slot, its own day or its alias). Where the draw falls
/// within its side is itself uniform: the moment of the click within its day.
#[derive(Debug, Default)]
pub(super) struct ClickDays {
    slots: Vec<DaySlot>,
    /// Working memory for [`ClickDays::set`].
    scaled: Vec<f64>,
    alias: Vec<u32>,
    work: (Vec<usize>, Vec<usize>),
}

/// One slot of [`ClickDays`]: the share of it (of 2³²) that gives its own day, the day it
/// gives otherwise, and one over the width of either side (the alias's, then its own).
#[derive(Debug, Default, Clone, Copy)]
struct DaySlot {
    keep: u64,
    alias: u32,
    per: [f64; 2],
}

/// 2³² as a float.
const HALF_WORD: f64 = 4_294_967_296.0;

impl ClickDays {
    /// Days with probabilities in proportion to `expected` (at least one positive and finite),
    /// by Vose's method.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // shares in [0, 1]
    #[allow(clippy::cast_precision_loss)] // days of a month
    fn set(&mut self, expected: &[f64]) {
        let n = expected.len() as f64;
        let total: f64 = expected.iter().sum();
        self.scaled.clear();
        self.scaled.extend(expected.iter().map(|e| e * n / total));
        vose(&mut self.scaled, &mut self.alias, &mut self.work);
        self.slots.clear();
        self.slots
            .extend(self.scaled.iter().zip(&self.alias).map(|(&share, &alias)| {
                // A share of 1 keeps the whole slot: 2³², above every lower half.
                let keep = (share * HALF_WORD) as u64;
                #[allow(clippy::cast_precision_loss)] // at most 2³², exact
                let width = keep as f64;
                DaySlot {
                    keep,
                    alias,
                    per: [1.0 / (HALF_WORD - width), 1.0 / width],
                }
            }));
    }

    /// The day (of the month, from 0) a buyer whose word's upper half is `x` clicks on, and
    /// where in the day, in [0, 1).
    #[allow(clippy::cast_possible_truncation)] // the product's parts
    #[allow(clippy::cast_precision_loss)] // 32-bit integers are exact in f64
    #[inline]
    fn at(&self, x: u32) -> (usize, f64) {
        let m = u64::from(x) * self.slots.len() as u64;
        let (i, within) = ((m >> 32) as usize, m & 0xFFFF_FFFF);
        let slot = &self.slots[i];
        // Without a branch: which side of its slot a draw falls on is a coin no predictor
        // can guess.
        let own = u64::from(within < slot.keep);
        let alias = slot.alias as usize;
        let day = alias ^ ((alias ^ i) & (own as usize).wrapping_neg());
        let from = slot.keep & own.wrapping_sub(1);
        // Below 2³²: converted from 32 bits, which is cheaper than from 64.
        (
            day,
            f64::from((within - from) as u32) * slot.per[own as usize],
        )
    }
}

/// The cookie of a click on day `d`, days: an event's if one overrides it, else the
/// program's.
pub(super) fn cookie_on(cal: &Calendar, w: &World, d: usize) -> f64 {
    cal.cookie_override[d].unwrap_or(w.cookie_days)
}

/// Where a batch of buyers of a category clicked: the moment of each click from the upper
/// half of its buyer's word, and, for the click's day, the cookie and each cadence's (or
/// variant's) share of the day's buyers.
pub(super) trait Clicked {
    /// The moment of a click (days from the start) and its day, as an index for
    /// [`Clicked::cookie`] and [`Clicked::keep`].
    fn at(&self, x: u32) -> (f64, usize);
    /// The cookie of a click on day `i`, days.
    fn cookie(&self, i: usize) -> f64;
    /// Each cadence's (or variant's) share of the buyers of day `i`, if any.
    fn keep(&self, i: usize) -> Option<&[f64]>;
    /// Whether buyers have shares ([`Clicked::keep`] is not `None`).
    fn shared(&self) -> bool {
        self.keep(0).is_some()
    }
    /// The day the buyers' clicks are booked on.
    fn booked_on(&self) -> usize;
}

/// Buyers who clicked on day `day` (the word's upper half is where in the day).
pub(super) struct OneDay<'a> {
    day: usize,
    cookie: f64,
    keep: Option<&'a [f64]>,
}

impl<'a> OneDay<'a> {
    pub(super) fn new(day: usize, cookie: f64, keep: Option<&'a [f64]>) -> Self {
        OneDay { day, cookie, keep }
    }
}

impl Clicked for OneDay<'_> {
    #[inline]
    #[allow(clippy::cast_precision_loss)] // day numbers are small
    fn at(&self, x: u32) -> (f64, usize) {
        (self.day as f64 + halves(u64::from(x) << 32).0, 0)
    }

    fn cookie(&self, _: usize) -> f64 {
        self.cookie
    }

    fn keep(&self, _: usize) -> Option<&[f64]> {
        self.keep
    }

    fn booked_on(&self) -> usize {
        self.day
    }
}

/// A month's buyers of category `c`, on the days [`ClickDays`] gives.
pub(super) struct MonthDays<'a> {
    /// The month's first day.
    pub(super) first: usize,
    pub(super) days: &'a ClickDays,
    pub(super) month: &'a Month,
    pub(super) c: usize,
}

impl Clicked for MonthDays<'_> {
    #[inline]
    #[allow(clippy::cast_possible_truncation)] // days of a horizon (at most 120 months)
    fn at(&self, x: u32) -> (f64, usize) {
        let (i, within) = self.days.at(x);
        // Days of a horizon fit in 32 bits, which convert cheaper than 64.
        (f64::from((self.first + i) as u32) + within, i)
    }

    #[inline]
    fn cookie(&self, i: usize) -> f64 {
        self.month.cookies[i]
    }

    #[inline]
    fn keep(&self, i: usize) -> Option<&[f64]> {
        self.month.keep(self.c, i)
    }

    fn booked_on(&self) -> usize {
        self.first
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn a_months_buyers_fall_on_its_days_in_proportion_and_anywhere_within_them() {
        // Days without buyers, a tiny share, an event's peak; the table set once for a
        // longer month before, so that its working memory is reused.
        let mut expected = vec![0.0, 2.0, 2.0, 1e-6, 5.0, 0.0, 0.5, 2.0, 11.0, 3.0];
        expected.extend((0..18).map(|i| 1.0 + f64::from(i % 4)));
        let mut days = ClickDays::default();
        days.set(&[1.0; 31]);
        days.set(&expected);
        let total: f64 = expected.iter().sum();
        let n = 1_000_000;
        let mut rng = TrialRng::seed_from_u64(5);
        let (mut count, mut within_sum, mut bins) = (vec![0u32; 28], vec![0.0; 28], [0u32; 10]);
        for _ in 0..n {
            let (i, within) = days.at((rng.next_u64() >> 32) as u32);
            assert!((0.0..1.0).contains(&within), "{within}");
            count[i] += 1;
            within_sum[i] += within;
            bins[(within * 10.0) as usize] += 1;
        }
        for (i, &e) in expected.iter().enumerate() {
            // Each day's count within 5 s.e. of its share; where in the day, uniform: the
            // mean place within 5 s.e. (1/sqrt(12 k)) of one half.
            let (p, k) = (e / total, f64::from(count[i]));
            let se = (f64::from(n) * p * (1.0 - p)).sqrt();
            assert!(
                (k - f64::from(n) * p).abs() <= 5.0 * se + 1.0,
                "day {i}: {k} for {p}"
            );
            if k > 100.0 {
                let mean = within_sum[i] / k;
                assert!(
                    (mean - 0.5).abs() < 5.0 / (12.0 * k).sqrt(),
                    "day {i}: {mean}"
                );
            }
        }
        assert_eq!((count[0], count[5]), (0, 0), "days without buyers");
        let se = (f64::from(n) * 0.09).sqrt();
        for b in bins {
            assert!(
                (f64::from(b) - f64::from(n) / 10.0).abs() < 5.0 * se,
                "{bins:?}"
            );
        }
        // The ends of the half-word: the first and last days it can give, within them.
        for x in [0, u32::MAX] {
            let (i, within) = days.at(x);
            assert!(
                expected[i] > 0.0 && (0.0..1.0).contains(&within),
                "{x}: {i} {within}"
            );
        }
        // One day: the half-word is where in it, exactly.
        days.set(&[3.0]);
        assert_eq!(days.at(1 << 31), (0, 0.5));
    }
}
