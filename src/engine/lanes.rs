//! Orders in lanes: up to [`LANES`] orders of one category followed together, one array per
//! quantity. Their random numbers are drawn in bulk, and the arithmetic that turns them into
//! values and fates has no branches: the compiler vectorises it, and no branch predictor has
//! to guess whether an order is cancelled, refunded or confirmed.
//!
//! The distributions are the model's, draw for draw: only the order in which the trial's
//! stream is consumed differs from following one order at a time.

use rand::{Rng, RngExt as _};

use super::fates::{Fates, LANES, exp_all, fill_normals, fill_words, greater, lesser};
use super::table::FateTable;
use super::world::{CategoryWorld, World};
use crate::model::dist::fast_exp;
use crate::model::{Cents, LogNormal, money};

/// A resolution day beyond the horizon.
pub(super) const BEYOND: u32 = u32::MAX;
// A lock day past the horizon is the same mark.
const _: () = assert!(BEYOND == crate::model::Calendar::NEVER);

/// The day an order paid at `paid_at` resolves, `after` days later: a whole day before
/// `horizon`, else [`BEYOND`].
#[inline]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // days of a horizon (at most 120 months)
pub(super) fn resolve_day(paid_at: f64, after: f64, horizon: f64) -> u32 {
    let at = paid_at + after;
    if at < horizon { at as u32 } else { BEYOND }
}

/// Under a program's lock rule, an order whose lock day is `lock` (or [`BEYOND`]) and whose
/// own fate resolves on `day` (or [`BEYOND`]), `confirmed` or not: reversed on its day when
/// that comes before the lock, else confirmed on the lock day.
#[inline]
pub(super) fn locked(lock: u32, day: u32, confirmed: bool) -> (u32, bool) {
    if !confirmed && day < lock {
        (day, false)
    } else {
        (lock, true)
    }
}

/// The day an order's commission is debited under a lock rule: the day of its own reversal
/// (`day`, [`BEYOND`] past the horizon) when that comes on or after its lock, else
/// [`BEYOND`].
#[inline]
pub(super) fn debited(lock: u32, day: u32, confirmed: bool) -> u32 {
    if !confirmed && day >= lock && day != BEYOND {
        day
    } else {
        BEYOND
    }
}

/// Largest order value in cents (10 million currency units): a lognormal tail cannot
/// overflow the sums.
#[allow(clippy::cast_precision_loss)] // 1e9 is exact in f64
const MAX_ORDER_CENTS: f64 = money::ORDER_CENTS_MAX as f64;

/// A buyer's cadences as bits: bit `k` set when the buyer exists under refresh cadence `k`
/// (or, when a comparison's variants share their buyers, under variant `k`). Bit 0 is the
/// scenario's own, the one its forecast books.
pub(super) type Cadences = u8;
pub(super) const OWN: Cadences = 1;

/// Draws from one lognormal for a batch: the normals in bulk, their exponents, then one loop
/// of `exp`.
#[derive(Debug)]
struct Lognormals {
    normals: [f64; LANES],
    exponents: [f32; LANES],
}

impl Default for Lognormals {
    fn default() -> Self {
        Lognormals {
            normals: [0.0; LANES],
            exponents: [0.0; LANES],
        }
    }
}

impl Lognormals {
    /// Draws `n` values of `d`.
    pub(super) fn draw<R: Rng + ?Sized>(&mut self, d: &LogNormal, n: usize, rng: &mut R) {
        fill_normals(&mut self.normals[..n], rng);
        for (e, &z) in self.exponents[..n].iter_mut().zip(&self.normals) {
            *e = d.exponent(z);
        }
        exp_all(&mut self.exponents[..n]);
    }

    /// Value `i` of the last batch drawn from `d`.
    #[inline]
    fn value(&self, d: &LogNormal, i: usize) -> f64 {
        d.finish(self.exponents[i])
    }
}

/// The cadences a buyer exists under, from its uniform `u` and each cadence's share of the
/// day's buyers (`None` without `[links]`: the scenario's own only). The comparisons are
/// written out for each number of cadences, which spares a loop per buyer.
#[inline(always)] // once per buyer
pub(super) fn cadences(u: f64, keep: Option<&[f64]>) -> Cadences {
    let Some(keep) = keep else {
        return OWN;
    };
    match keep.len() {
        2 => below::<2>(u, keep),
        3 => below::<3>(u, keep),
        4 => below::<4>(u, keep),
        5 => below::<5>(u, keep),
        6 => below::<6>(u, keep),
        7 => below::<7>(u, keep),
        8 => below::<8>(u, keep),
        _ => shares_above(u, keep),
    }
}

/// [`cadences`] for `N` cadences: a comparison of known length, written out.
#[inline(always)] // once per buyer
fn below<const N: usize>(u: f64, keep: &[f64]) -> Cadences {
    match <&[f64; N]>::try_from(keep) {
        Ok(keep) => shares_above(u, keep),
        Err(_) => shares_above(u, keep),
    }
}

/// Bit `k` set when `u` lies below `keep[k]`.
#[inline(always)]
fn shares_above(u: f64, keep: &[f64]) -> Cadences {
    keep.iter()
        .enumerate()
        .fold(0, |bits, (k, &x)| bits | (Cadences::from(u < x) << k))
}

/// The lanes of one trial: a batch of orders and of later buyers per category.
#[derive(Debug, Default)]
pub(super) struct Lanes {
    pub(super) orders: Vec<Orders>,
    pub(super) later: Vec<Later>,
}

impl Lanes {
    /// Empty lanes for `categories` categories.
    pub(super) fn reset(&mut self, categories: usize) {
        self.orders.resize_with(categories, Orders::default);
        self.later.resize_with(categories, Later::default);
        for o in &mut self.orders {
            o.n = 0;
        }
        for l in &mut self.later {
            l.n = 0;
        }
    }
}

/// A batch of attributed orders of one category: when each was paid, the cadences it exists
/// under, its value and commission, and its fate.
#[derive(Debug)]
pub(super) struct Orders {
    /// Orders in the lanes.
    pub(super) n: usize,
    /// Payment time, days from the start.
    pub(super) paid_at: [f64; LANES],
    pub(super) mask: [Cadences; LANES],
    /// Order value, cents.
    pub(super) value: [Cents; LANES],
    /// Commission, cents.
    pub(super) commission: [Cents; LANES],
    /// The day of payment, and of resolution ([`BEYOND`] when it is not within the horizon),
    /// worked out for the whole batch before booking (measured: 4% of the engine).
    pub(super) pay_day: [u32; LANES],
    resolve_day: [u32; LANES],
    /// With `shipped`, the day each commission is earned: of shipment (a lock rule counts
    /// from it). Without, it is the day of payment and this is not written.
    earn_day: [u32; LANES],
    /// Whether the batch is earned at shipment.
    shipped: bool,
    /// Under a lock rule with debits, the day each order's commission is taken back.
    debit_day: [u32; LANES],
    /// Whether this batch has debits.
    pub(super) debits: bool,
    pub(super) fates: Fates,
    values: Lognormals,
    words: [u64; LANES],
}

impl Default for Orders {
    fn default() -> Self {
        Orders {
            n: 0,
            paid_at: [0.0; LANES],
            mask: [0; LANES],
            value: [0; LANES],
            commission: [0; LANES],
            pay_day: [0; LANES],
            resolve_day: [0; LANES],
            earn_day: [0; LANES],
            shipped: false,
            debit_day: [BEYOND; LANES],
            debits: false,
            fates: Fates::default(),
            values: Lognormals::default(),
            words: [0; LANES],
        }
    }
}

impl Orders {
    /// Room left in the lanes.
    #[inline]
    pub(super) fn room(&self) -> usize {
        LANES - self.n
    }

    /// Adds an order paid at `paid_at` under the cadences `mask`.
    #[inline]
    pub(super) fn push(&mut self, paid_at: f64, mask: Cadences) {
        self.paid_at[self.n] = paid_at;
        self.mask[self.n] = mask;
        self.n += 1;
    }

    /// Sets the day of payment, of earning and of resolution of every order in the lanes
    /// (whole days before `horizon`; `paid_at` is always before it). Under `at_shipment`, an
    /// order that does not ship within the horizon (cancelled, voided first, or shipped after
    /// it) was never earned and leaves the lanes.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // days of a horizon (at most 120 months)
    #[inline] // once per batch, in the loop that follows orders
    pub(super) fn days(&mut self, horizon: f64, lock_day: &[u32], debit: bool, at_shipment: bool) {
        for i in 0..self.n {
            self.pay_day[i] = self.paid_at[i] as u32;
            self.resolve_day[i] = resolve_day(self.paid_at[i], self.fates.after[i], horizon);
        }
        self.shipped = at_shipment;
        if at_shipment {
            self.keep_shipped(horizon);
        }
        self.debits = debit && !lock_day.is_empty();
        if !lock_day.is_empty() {
            for i in 0..self.n {
                let (lock, own) = (lock_day[self.earn_day(i)], self.resolve_day[i]);
                let ok = self.fates.confirmed[i];
                self.debit_day[i] = debited(lock, own, ok);
                (self.resolve_day[i], self.fates.confirmed[i]) = locked(lock, own, ok);
            }
        }
    }

    /// Keeps in the lanes, in their order, the orders that ship before `horizon` and before
    /// their own end, each earned on its day of shipment.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // days of a horizon (at most 120 months)
    #[inline(never)] // only under earned_at = "shipment": kept out of the forecast's loops
    fn keep_shipped(&mut self, horizon: f64) {
        let mut kept = 0;
        for i in 0..self.n {
            let (shipped, after) = (self.fates.shipped[i], self.fates.after[i]);
            let at = self.paid_at[i] + shipped;
            if shipped > after || at >= horizon {
                continue;
            }
            self.move_order(i, kept);
            self.earn_day[kept] = at as u32;
            kept += 1;
        }
        self.n = kept;
    }

    /// Moves order `from` to lane `to` (at or before it), with everything drawn for it.
    #[inline]
    fn move_order(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        self.paid_at[to] = self.paid_at[from];
        self.mask[to] = self.mask[from];
        self.value[to] = self.value[from];
        self.commission[to] = self.commission[from];
        self.pay_day[to] = self.pay_day[from];
        self.resolve_day[to] = self.resolve_day[from];
        self.values.normals[to] = self.values.normals[from];
        self.words[to] = self.words[from];
        let f = &mut self.fates;
        f.after[to] = f.after[from];
        f.shipped[to] = f.shipped[from];
        f.confirmed[to] = f.confirmed[from];
        f.region[to] = f.region[from];
        f.way[to] = f.way[from];
        f.cell[to] = f.cell[from];
        for words in &mut f.words {
            words[to] = words[from];
        }
    }

    /// The day order `i`'s commission is earned: of its payment, or of its shipment.
    #[inline(always)] // once per order booked
    pub(super) fn earn_day(&self, i: usize) -> usize {
        (if self.shipped {
            self.earn_day[i]
        } else {
            self.pay_day[i]
        }) as usize
    }

    /// The day order `i`'s commission is taken back after its lock, if it is (a refund after
    /// the lock, under `returns_after_payment = "debit_next"`) within the horizon.
    #[inline]
    pub(super) fn debit_day(&self, i: usize) -> Option<usize> {
        let day = self.debit_day[i];
        (self.debits && day != BEYOND).then_some(day as usize)
    }

    /// The day order `i` resolves on, if within the horizon.
    #[inline]
    pub(super) fn resolve_day(&self, i: usize) -> Option<usize> {
        let day = self.resolve_day[i];
        (day != BEYOND).then_some(day as usize)
    }

    /// Draws the value, commission and fate of every order in the lanes (the fate from
    /// `table` when the world's fates are tabled).
    #[allow(clippy::cast_possible_truncation)] // values are clamped to MAX_ORDER_CENTS
    pub(super) fn draw<R: Rng + ?Sized>(
        &mut self,
        w: &World,
        cat: &CategoryWorld,
        (cap, invalid_after): (Cents, f64),
        table: Option<&FateTable>,
        rng: &mut R,
    ) {
        let n = self.n;
        self.values.draw(&cat.order_value, n, rng);
        let mixed = cat.hot_share > 0.0 || cat.new_buyer_share > 0.0;
        if mixed {
            fill_words(&mut self.words[..n], rng);
        }
        // Under `new_customers_only`, in a loop of its own: the forecast's stays as it was.
        if cat.only_new {
            self.money_of_new_customers(cat, cap, mixed);
        } else {
            self.money::<false>(cat, cap, mixed);
        }
        match table {
            Some(t) => t.draw(&mut self.fates, w, cat, n, rng),
            None => self.fates.draw(w, cat, invalid_after, n, rng),
        }
    }

    /// The value and commission of every order in the lanes (`ONLY_NEW`: under
    /// `new_customers_only`).
    #[inline(always)] // once per batch
    fn money<const ONLY_NEW: bool>(&mut self, cat: &CategoryWorld, cap: Cents, mixed: bool) {
        for i in 0..self.n {
            let v = self.values.value(&cat.order_value, i);
            let word = mixed.then(|| self.words[i]);
            (self.value[i], self.commission[i]) = money_of::<ONLY_NEW>(cat, cap, v, word);
        }
    }

    /// [`Orders::money`] under `new_customers_only`.
    #[inline(never)] // kept out of the forecast's loop
    fn money_of_new_customers(&mut self, cat: &CategoryWorld, cap: Cents, mixed: bool) {
        self.money::<true>(cat, cap, mixed);
    }

    /// Order `i`'s value and commission (cents) had its category been `cat` and the cap
    /// `cap`: from the same normal and word it drew (a category whose orders draw the same
    /// numbers: with hot items or new-buyer bonuses if and only if this one has them).
    pub(super) fn money_under(&self, i: usize, cat: &CategoryWorld, cap: Cents) -> (Cents, Cents) {
        let d = &cat.order_value;
        let v = d.finish(fast_exp(d.exponent(self.values.normals[i])));
        let mixed = cat.hot_share > 0.0 || cat.new_buyer_share > 0.0;
        let word = mixed.then(|| self.words[i]);
        match cat.only_new {
            true => money_of::<true>(cat, cap, v, word),
            false => money_of::<false>(cat, cap, v, word),
        }
    }
}

/// An order's value and commission (cents) in category `cat` under the cap `cap`: its value
/// `v` in currency units, and its word (whether the item is a hot one and the buyer new) when
/// the category has hot items or new-buyer bonuses.
#[inline]
#[allow(clippy::cast_possible_truncation)] // values are clamped to MAX_ORDER_CENTS
fn money_of<const ONLY_NEW: bool>(
    cat: &CategoryWorld,
    cap: Cents,
    v: f64,
    word: Option<u64>,
) -> (Cents, Cents) {
    // Rounded half up to whole cents (values are positive), at least one cent.
    let value = greater(lesser(v * 100.0 + 0.5, MAX_ORDER_CENTS), 1.0) as Cents;
    // The word's halves as uniforms below the shares, compared as integers.
    let (hot, new) = word.map_or((false, false), |x| {
        (
            (x >> 32) < cat.hot_below,
            (x & 0xFFFF_FFFF) < cat.new_buyer_below,
        )
    });
    let rate = if hot { cat.hot_rate } else { cat.rate };
    // Without a branch: whether a buyer is new is a coin no predictor can guess. Under
    // `new_customers_only` the commission itself is a new buyer's only.
    let new = Cents::from(new).wrapping_neg();
    let bonus = cat.new_buyer_bonus & new;
    let commission = money::order_commission(value, rate).min(cap);
    match ONLY_NEW {
        true => (value, (commission & new) + bonus),
        false => (value, commission + bonus),
    }
}

/// Buyers of one category who buy after their click's session, gathered over days until
/// there are [`LANES`] of them: when each clicked, its cookie and cadences; then, drawn for
/// the batch, when each paid and whether the purchase is attributed to us.
#[derive(Debug)]
pub(super) struct Later {
    pub(super) n: usize,
    clicked_at: [f64; LANES],
    cookie: [f64; LANES],
    /// The uniform that decides whether the cookie survives overwrites.
    u_survive: [f64; LANES],
    pub(super) mask: [Cadences; LANES],
    pub(super) paid_at: [f64; LANES],
    pub(super) attributed: [bool; LANES],
    delays: Lognormals,
    /// The chance each buyer's cookie survives overwrites.
    survival: [f32; LANES],
}

impl Default for Later {
    fn default() -> Self {
        Later {
            n: 0,
            clicked_at: [0.0; LANES],
            cookie: [0.0; LANES],
            u_survive: [0.0; LANES],
            mask: [0; LANES],
            paid_at: [0.0; LANES],
            attributed: [false; LANES],
            delays: Lognormals::default(),
            survival: [0.0; LANES],
        }
    }
}

impl Later {
    /// Whether the lanes are full.
    #[inline]
    pub(super) fn is_full(&self) -> bool {
        self.n == LANES
    }

    /// Adds a buyer who clicked at `clicked_at` (days) under a cookie of `cookie` days.
    #[inline]
    pub(super) fn push(&mut self, clicked_at: f64, cookie: f64, mask: Cadences, u_survive: f64) {
        let i = self.n;
        self.clicked_at[i] = clicked_at;
        self.cookie[i] = cookie;
        self.mask[i] = mask;
        self.u_survive[i] = u_survive;
        self.n += 1;
    }

    /// Draws when each buyer in the lanes pays, after a lognormal delay; a purchase is
    /// attributed when the delay is within the cookie and the cookie survived `delay` days of
    /// overwrites at `w.overwrite_rate` per day: its uniform below `e^(−rate·delay)`, the
    /// exponentials taken in one loop like the delays'.
    pub(super) fn draw<R: Rng + ?Sized>(&mut self, w: &World, rng: &mut R) {
        let n = self.n;
        let d = &w.purchase_delay;
        self.delays.draw(d, n, rng);
        for i in 0..n {
            let delay = self.delays.value(d, i);
            self.paid_at[i] = self.clicked_at[i] + delay;
            self.attributed[i] = delay <= self.cookie[i];
            #[allow(clippy::cast_possible_truncation)]
            // the exponential is taken in single precision
            let exponent = (-w.overwrite_rate * delay) as f32;
            self.survival[i] = exponent;
        }
        // A buyer who carted the item inside the cookie earns us the order up to the cart
        // extension's end (a coin per buyer, drawn only under a cart extension).
        if w.cart_extension_days > 0.0 && w.cart_share > 0.0 {
            for i in 0..n {
                let carted = rng.random::<f64>() < w.cart_share;
                let delay = self.paid_at[i] - self.clicked_at[i];
                self.attributed[i] |= carted && delay <= w.cart_extension_days;
            }
        }
        if w.overwrite_rate > 0.0 {
            exp_all(&mut self.survival[..n]);
            for i in 0..n {
                self.attributed[i] &= self.u_survive[i] < f64::from(self.survival[i]);
            }
        }
    }
}

/// An order's commission as confirmed and as reversed (one of them 0), and 1 when confirmed:
/// without a branch, since whether an order is confirmed is a coin flip a branch predictor
/// would often get wrong.
#[inline(always)] // once per order booked
pub(super) fn outcome(commission: Cents, confirmed: bool) -> (Cents, Cents, i64) {
    let ok = i64::from(confirmed);
    (commission * ok, commission * (1 - ok), ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadence_bits_follow_the_shares() {
        assert_eq!(cadences(0.7, None), OWN);
        assert_eq!(cadences(0.5, Some(&[1.0, 0.6, 0.4])), 0b011);
        assert_eq!(cadences(0.0, Some(&[1.0, 0.6, 0.4])), 0b111);
        // Every number of cadences the comparisons are written out for, and beyond: bit k
        // is set exactly when u lies below share k.
        let shares = [1.0, 0.9, 0.35, 0.6, 0.05, 0.8, 0.5, 0.2];
        for n in 0..=shares.len() {
            for u in [0.0, 0.04, 0.05, 0.3, 0.5, 0.55, 0.85, 0.95, 0.999] {
                let expected = (0..n).fold(0, |bits, k| bits | (u8::from(u < shares[k]) << k));
                assert_eq!(
                    cadences(u, Some(&shares[..n])),
                    expected,
                    "{n} shares, u {u}"
                );
            }
        }
    }
}
