//! The book of a trial: orders valued, their fates drawn and booked day by day as their
//! lifecycle unfolds, for the scenario and each variant that shares its buyers.

use rand::{Rng, RngExt};

use super::days::{Clicked, Month, MonthDays, OneDay, buyer_means};
use super::fates::{Fates, LANES, halves};
use super::lanes::{
    BEYOND, Cadences, Lanes, Later, OWN, Orders, cadences, debited, locked, outcome, resolve_day,
};
use super::links::EVERY_CADENCE;
use super::rng::{TrialRng, draw_binomial, draw_poisson};
use super::shared::{Booked, Fate, SameBuyers, Sets, VariantDays, variant_bit};
use super::table::{Bounds, FateTable, ways};
use super::world::World;
use crate::ledger::{DayFlows, PartTotals, Parts};
use crate::model::{Calendar, Cents};
use crate::pipeline::Pipeline;

/// How many of a day's buyers exist under each variant: eight 8-bit counters in one word,
/// one addition a buyer, emptied into whole counts before any can overflow.
#[derive(Debug, Default)]
struct Seen {
    packed: u64,
    pending: u32,
    counts: [i64; 8],
}

/// Each cadence mask with bit `v` moved to the lowest bit of byte `v`.
const SPREAD: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut mask = 0;
    while mask < 256 {
        let mut v = 0;
        while v < 8 {
            table[mask] |= ((mask as u64 >> v) & 1) << (8 * v);
            v += 1;
        }
        mask += 1;
    }
    table
};

impl Seen {
    /// A buyer under the variants whose bits `mask` has.
    #[inline]
    fn add(&mut self, mask: Cadences) {
        self.packed += SPREAD[usize::from(mask)];
        self.pending += 1;
        if self.pending == 255 {
            self.empty();
        }
    }

    #[allow(clippy::cast_possible_truncation)] // one byte of the word, a counter
    fn empty(&mut self) {
        for (v, n) in self.counts.iter_mut().enumerate() {
            *n += i64::from((self.packed >> (8 * v)) as u8);
        }
        (self.packed, self.pending) = (0, 0);
    }

    /// The count under each variant.
    fn counts(mut self) -> [i64; 8] {
        self.empty();
        self.counts
    }
}

/// Fates tried, one after another, for an order of the pipeline before its fate is taken
/// from the category's pool instead.
const EXACT_FATE_DRAWS: usize = 32;

/// Fates in a category's pool: drawn once per trial, when an order first outlasts the exact
/// draws, for every order of that category that does.
const POOL_FATES: usize = 4096;

/// A category's fates drawn a full batch at a time and handed out one by one: the pipeline's
/// orders of the category take them in turn, as if each were drawn alone.
struct FateStream {
    fates: Box<Fates>,
    next: usize,
}

impl FateStream {
    fn new() -> FateStream {
        FateStream {
            fates: Box::default(),
            next: LANES,
        }
    }

    /// The next fate: (days after payment, confirmed, region), from the world's fate table
    /// when it has one (as new orders draw theirs).
    fn take(
        &mut self,
        w: &World,
        cat: &crate::engine::world::CategoryWorld,
        (invalid_after, table): (f64, Option<&FateTable>),
        rng: &mut TrialRng,
    ) -> (f64, bool, usize) {
        if self.next == LANES {
            match table {
                Some(t) => t.draw(&mut self.fates, w, cat, LANES, rng),
                None => self.fates.draw(w, cat, invalid_after, LANES, rng),
            }
            self.next = 0;
        }
        let i = self.next;
        self.next += 1;
        let f = &self.fates;
        (f.after[i], f.confirmed[i], f.region[i] as usize)
    }
}

/// A category's fates of one trial, sorted by when they come: for an order open at age `a`,
/// its fate is one of those later than `a`, each as likely (the fate given that it comes
/// after `a`); none later, and the model cannot have left it open that long.
struct FatePool {
    /// (days after payment, confirmed, region), by days.
    fates: Vec<(f64, bool, usize)>,
}

impl FatePool {
    fn draw(
        w: &World,
        cat: &crate::engine::world::CategoryWorld,
        ends: (f64, Option<&FateTable>),
        stream: &mut FateStream,
        rng: &mut TrialRng,
    ) -> FatePool {
        let mut pool: Vec<(f64, bool, usize)> = (0..POOL_FATES)
            .map(|_| stream.take(w, cat, ends, rng))
            .collect();
        pool.sort_by(|a, b| a.0.total_cmp(&b.0));
        FatePool { fates: pool }
    }

    /// A fate later than `age`, if the pool has one.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // an index below the pool's length
    fn after(&self, age: f64, rng: &mut TrialRng) -> Option<(f64, bool, usize)> {
        let first = self.fates.partition_point(|f| f.0 <= age);
        let later = self.fates.len() - first;
        if later == 0 {
            return None;
        }
        let pick = ((rng.random::<f64>() * later as f64) as usize).min(later - 1);
        Some(self.fates[first + pick])
    }
}

/// Books orders into the day array as their lifecycle unfolds.
pub(super) struct Book<'a> {
    pub(super) w: &'a World,
    /// The trial's calendar (when thinned, the sets' sums are kept by its months).
    pub(super) cal: &'a Calendar,
    /// The trial's fates as a table, when [`FateTable::for_scenario`] gives one.
    pub(super) table: Option<&'a FateTable>,
    pub(super) cap: Cents,
    pub(super) invalid_after: f64,
    /// Days in the horizon: anything at or after it is not booked.
    pub(super) horizon: f64,
    /// The first day of the run-rate window.
    pub(super) recent_from: usize,
    pub(super) days: &'a mut [DayFlows],
    /// Totals by category and region.
    pub(super) parts: &'a mut Parts,
    /// With `[links]`: per cadence, the commission confirmed by day of its orders.
    pub(super) cadences: Option<&'a mut [Vec<Cents>]>,
    /// With shared buyers: the variants after the first, each booked like the first.
    pub(super) others: &'a mut [VariantDays],
    /// Whether the buyers are thinned among the variants: then a variant has the orders its
    /// bit of their cadences says, and its clicks are booked buyer by buyer rather than as
    /// the day's count.
    pub(super) thinned: bool,
    /// When the variants after the first have the same buyers (not thinned): what each one's
    /// orders are worth and what becomes of them. Every order exists under every variant.
    pub(super) same_buyers: &'a [SameBuyers],
    /// When thinned: the orders of each set of variants, booked once.
    pub(super) sets: &'a mut Sets,
}

impl Book<'_> {
    /// A day's buyers of category `c` (same-session and later) at conversion `p`, its clicks
    /// booked: from the day's `known` clicks (a binomial share of them), else from the
    /// expected clicks `lambda` (Poisson splitting: buyers and the other clicks are
    /// independent Poisson counts; the others are only needed as a monthly count, added to
    /// `idle`).
    #[allow(clippy::too_many_arguments)] // one day of one category
    #[allow(clippy::cast_possible_truncation)] // counts capped at MAX_LAMBDA fit in i64
    pub(super) fn day_buyers(
        &mut self,
        d: usize,
        c: usize,
        known: Option<u64>,
        lambda: f64,
        p: f64,
        idle: &mut f64,
        rng: &mut TrialRng,
    ) -> (u64, u64) {
        let share = self.w.same_session_share;
        let (now, later, clicks) = match known {
            Some(clicks) => {
                let buyers = draw_binomial(clicks, p, rng);
                let now = draw_binomial(buyers, share, rng);
                (now, buyers - now, clicks)
            }
            None => {
                *idle += lambda * (1.0 - p);
                // Same-session and later buyers are split the same way, which spares a
                // hard-to-predict branch per buyer.
                let (now, later) = buyer_means(lambda, p, share);
                let (now, later) = (draw_poisson(now, rng), draw_poisson(later, rng));
                (now, later, now + later)
            }
        };
        if !self.thinned {
            self.clicks_of_all(d, c, clicks as i64);
        }
        (now, later)
    }

    /// Month `m`'s buyers of category `c`, drawn in `month`, followed; their clicks booked on
    /// the month's first day (clicks are only reported by month).
    #[allow(clippy::cast_possible_truncation)] // counts capped at MAX_LAMBDA fit in i64
    pub(super) fn month_buyers(
        &mut self,
        lanes: &mut Lanes,
        m: usize,
        c: usize,
        month: &Month,
        rng: &mut TrialRng,
    ) {
        let (now, later) = month.counts[c];
        let first = self.cal.month_start[m];
        if !self.thinned {
            self.clicks_of_all(first, c, (now + later) as i64);
        }
        if month.daily[c] {
            for i in 0..month.factors.len() {
                let (now, later) = month.on(c, i);
                if now + later > 0 {
                    let d = first + i;
                    let at = OneDay::new(d, month.cookies[i], month.keep(c, i));
                    self.buyers(lanes, c, (now, later), &at, rng);
                }
            }
        } else if now + later > 0 {
            let at = MonthDays {
                first,
                days: &month.days[month.table_of[c]],
                month,
                c,
            };
            self.buyers(lanes, c, (now, later), &at, rng);
        }
    }

    /// Books `n` clicks of category `c` on day `d` under variant `v` (0: the trial's own).
    fn clicks(&mut self, d: usize, c: usize, n: i64, v: usize) {
        let (days, parts) = match v {
            0 => (&mut *self.days, &mut *self.parts),
            _ => {
                let o = &mut self.others[v - 1];
                (&mut o.days[..], &mut o.parts)
            }
        };
        days[d].clicks += n;
        parts.categories[c].clicks += n;
    }

    /// Books `n` clicks of category `c` on day `d` under every variant: without thinning,
    /// variants have the same buyers, so the same clicks.
    fn clicks_of_all(&mut self, d: usize, c: usize, n: i64) {
        for v in 0..=self.others.len() {
            self.clicks(d, c, n, v);
        }
    }

    /// A month's clicks of category `c` that buy nothing, booked on the month's first day:
    /// `idle[v]` expected under variant `v` when thinned, else `idle[0]` under every variant.
    #[allow(clippy::cast_possible_truncation)] // counts capped at MAX_LAMBDA fit in i64
    pub(super) fn idle_clicks(&mut self, first: usize, c: usize, idle: &[f64], rng: &mut TrialRng) {
        for (v, &expected) in idle.iter().enumerate() {
            let n = draw_poisson(expected, rng) as i64;
            if self.thinned {
                self.clicks(first, c, n, v);
            } else {
                self.clicks_of_all(first, c, n);
            }
        }
    }

    /// With shared buyers, the day's clicks of its buyers under each variant: `seen[v]`
    /// buyers exist under variant `v`.
    fn buyer_clicks(&mut self, d: usize, c: usize, seen: &[i64; 8]) {
        for (v, &n) in seen.iter().enumerate().take(self.others.len() + 1) {
            self.clicks(d, c, n, v);
        }
    }

    /// Buyers of category `c` (same-session and later) who clicked where `at` says. Same-session
    /// buyers are orders at once; later buyers wait in the category's later lanes until a
    /// batch is full. Orders wait in the category's lanes, which are followed through their
    /// lifecycle whenever they fill. A buyer exists under the cadences (or variants) whose
    /// shares of its day's buyers `at` gives, if any; else it is the forecast's own.
    pub(super) fn buyers(
        &mut self,
        lanes: &mut Lanes,
        c: usize,
        counts: (u64, u64),
        at: &impl Clicked,
        rng: &mut TrialRng,
    ) {
        // Two copies of the loops, so that neither carries the other's work.
        match at.shared() {
            false => self.buyers_with::<false>(lanes, c, counts, at, rng),
            true => self.buyers_with::<true>(lanes, c, counts, at, rng),
        }
    }

    /// [`Book::buyers`], with the cadences' shares if `SHARES`.
    #[allow(clippy::cast_possible_truncation)] // the upper half of a word; batches of at most LANES
    #[inline(always)] // once per day (or month) and category, in one of two copies
    fn buyers_with<const SHARES: bool>(
        &mut self,
        lanes: &mut Lanes,
        c: usize,
        (now, later): (u64, u64),
        at: &impl Clicked,
        rng: &mut TrialRng,
    ) {
        let orders = &mut lanes.orders[c];
        // With thinned buyers: how many of the buyers each variant has.
        let (thinned, mut seen) = (self.thinned, Seen::default());
        let mut left = now;
        while left > 0 {
            let k = left.min(self.room(orders, c, rng));
            for _ in 0..k {
                let word = rng.next_u64();
                let ((clicked_at, i), (_, u_mask)) = (at.at((word >> 32) as u32), halves(word));
                let mask = if SHARES {
                    cadences(u_mask, at.keep(i))
                } else {
                    OWN
                };
                if thinned {
                    seen.add(mask);
                }
                orders.push(clicked_at, mask);
            }
            left -= k;
        }
        // Later buyers wait in their own lanes, over days, until a full batch is drawn.
        let batch = &mut lanes.later[c];
        let fresh_survival = SHARES && self.w.overwrite_rate > 0.0;
        for _ in 0..later {
            let word = rng.next_u64();
            let ((clicked_at, i), (_, u_mask)) = (at.at((word >> 32) as u32), halves(word));
            // Without `[links]` the word's second half is free to decide the cookie's survival.
            let survive = if fresh_survival {
                halves(rng.next_u64()).0
            } else {
                u_mask
            };
            let mask = if SHARES {
                cadences(u_mask, at.keep(i))
            } else {
                OWN
            };
            if thinned {
                seen.add(mask);
            }
            batch.push(clicked_at, at.cookie(i), mask, survive);
            if batch.is_full() {
                self.follow_later(batch, orders, c, rng);
            }
        }
        if thinned {
            self.buyer_clicks(at.booked_on(), c, &seen.counts());
        }
    }

    /// Draws when the later buyers in a category's lanes pay and whether we are paid for
    /// it: attributed purchases join the category's orders, the others are lost. Empties the
    /// lanes.
    #[allow(clippy::cast_possible_truncation)] // days of a horizon (at most 120 months)
    fn follow_later(
        &mut self,
        later: &mut Later,
        orders: &mut Orders,
        c: usize,
        rng: &mut TrialRng,
    ) {
        later.draw(self.w, rng);
        let shared = !self.others.is_empty();
        for i in 0..later.n {
            let paid_at = later.paid_at[i];
            if paid_at >= self.horizon {
                continue;
            }
            if later.attributed[i] {
                if orders.room() == 0 {
                    self.flush(orders, c, rng);
                }
                orders.push(paid_at, later.mask[i]);
            } else {
                let (day, mask) = (paid_at as usize, later.mask[i]);
                if self.thinned && self.sets.lose(day, mask, self.cal) {
                    continue;
                }
                if mask & OWN != 0 {
                    self.days[day].orders_lost += 1;
                }
                if shared {
                    self.lost_by_others(day, mask);
                }
            }
        }
        later.n = 0;
    }

    /// Follows the buyers and orders still in every category's lanes; when thinned, then
    /// adds each set's orders to its variants.
    pub(super) fn follow_rest(&mut self, lanes: &mut Lanes, rngs: &mut [(TrialRng, TrialRng)]) {
        let still = lanes.orders.iter_mut().zip(&mut lanes.later).zip(rngs);
        for (c, ((orders, later), (_, order_rng))) in still.enumerate() {
            self.follow_later(later, orders, c, order_rng);
            self.flush(orders, c, order_rng);
        }
        if self.thinned {
            let own = (&mut *self.days, &mut *self.parts);
            self.sets.add_up(self.cal, own, self.others);
        }
    }

    /// Room in a category's lanes for a batch of buyers (each becomes at most one order).
    /// Lanes nearly full are followed first, so that batches stay large.
    fn room(&mut self, orders: &mut Orders, c: usize, rng: &mut TrialRng) -> u64 {
        if orders.room() < LANES / 4 {
            self.flush(orders, c, rng);
        }
        orders.room() as u64
    }

    /// Follows the orders in a category's lanes through their lifecycle: values,
    /// commissions and fates drawn for the whole batch, then each booked under the cadences
    /// it exists under (the forecast's when they include [`OWN`]). Empties the lanes.
    #[allow(clippy::cast_possible_truncation)] // days of a horizon (at most 120 months)
    fn flush(&mut self, orders: &mut Orders, c: usize, rng: &mut TrialRng) {
        if orders.n == 0 {
            return;
        }
        let w = self.w;
        let limits = (self.cap, self.invalid_after);
        orders.draw(w, &w.categories[c], limits, self.table, rng);
        let at_shipment = w.earned_at_shipment;
        orders.days(
            self.horizon,
            &self.cal.lock_day,
            self.cal.debit_after_lock,
            at_shipment,
        );
        if self.thinned && self.sets.book(orders, c, self.cal, self.recent_from) {
            orders.n = 0;
            return;
        }
        if self.cadences.is_none() && self.others.is_empty() {
            self.book_own(orders, c);
            orders.n = 0;
            return;
        }
        // The category's totals add up in a local, stored once per batch (beside the cadences
        // and the variants, the compiler keeps it in memory: see `Book::book_own`).
        let mut cat = std::mem::take(&mut self.parts.categories[c]);
        for i in 0..orders.n {
            let (mask, commission) = (orders.mask[i], orders.commission[i]);
            let r = orders.fates.region[i] as usize;
            if mask & OWN != 0 {
                self.days[orders.earn_day(i)].pay(orders.value[i], commission);
                for part in [&mut cat, &mut self.parts.regions[r]] {
                    part.pay(commission);
                }
            }
            if let Some(day) = orders.resolve_day(i) {
                let confirmed = orders.fates.confirmed[i];
                let sold = i64::from(orders.pay_day[i]);
                self.book_resolution((day, sold), confirmed, commission, &mut cat, r, mask);
            }
        }
        if orders.debits {
            for i in 0..orders.n {
                if let Some(day) = orders.debit_day(i) {
                    let (commission, r) = (orders.commission[i], orders.fates.region[i] as usize);
                    let sold = i64::from(orders.pay_day[i]);
                    self.book_debit((day, sold), commission, &mut cat, r, orders.mask[i]);
                }
            }
        }
        self.parts.categories[c] = cat;
        // Apart from the loop above, which stays as it is without shared buyers.
        if !self.others.is_empty() {
            self.book_others(orders, c);
        }
        orders.n = 0;
    }

    /// Books the orders in the lanes when every one is the forecast's own (no cadences, no
    /// other variants): the category's totals in locals, stored once per batch.
    #[inline(always)]
    fn book_own(&mut self, orders: &Orders, c: usize) {
        let (days, regions) = (&mut *self.days, &mut self.parts.regions[..]);
        let recent_from = self.recent_from;
        let (mut earned, mut confirmed, mut reversed, mut recent) = (0, 0, 0, 0);
        for i in 0..orders.n {
            let (value, commission) = (orders.value[i], orders.commission[i]);
            let r = orders.fates.region[i] as usize;
            days[orders.earn_day(i)].pay(value, commission);
            regions[r].pay(commission);
            earned += commission;
            if let Some(day) = orders.resolve_day(i) {
                let (yes, no, ok) = outcome(commission, orders.fates.confirmed[i]);
                let rec = yes * i64::from(day >= recent_from);
                days[day].resolve(yes, no, ok, i64::from(orders.pay_day[i]));
                regions[r].resolve(yes, no, rec);
                (confirmed, reversed, recent) = (confirmed + yes, reversed + no, recent + rec);
            }
        }
        // Refunds after a lock, taken back (only under debit_next: out of the loop above).
        if orders.debits {
            for i in 0..orders.n {
                let Some(day) = orders.debit_day(i) else {
                    continue;
                };
                let (commission, r) = (orders.commission[i], orders.fates.region[i] as usize);
                let rec = commission * i64::from(day >= recent_from);
                days[day].debit(commission, i64::from(orders.pay_day[i]));
                regions[r].resolve(-commission, commission, -rec);
                (confirmed, reversed, recent) =
                    (confirmed - commission, reversed + commission, recent - rec);
            }
        }
        let cat = &mut self.parts.categories[c];
        cat.orders += orders.n as i64;
        cat.earned += earned;
        cat.resolve(confirmed, reversed, recent);
    }

    /// With shared buyers: a lost purchase on day `d` under each variant after the first that
    /// its buyer exists under (every one, unless thinned).
    #[inline(never)] // kept out of the loops that follow a forecast's orders
    fn lost_by_others(&mut self, d: usize, mask: Cadences) {
        for (v, o) in self.others.iter_mut().enumerate() {
            o.days[d].orders_lost += i64::from(variant_bit(self.thinned, v) & mask != 0);
        }
    }

    /// With shared buyers: the orders in the lanes booked under each variant after the first
    /// that each exists under.
    #[inline(never)] // kept out of the loops that follow a forecast's orders
    #[allow(clippy::cast_possible_truncation)] // region indices are small
    fn book_others(&mut self, orders: &Orders, c: usize) {
        let (horizon, recent_from) = (self.horizon, self.recent_from);
        // Variants that share their buyers have one program lock (it is not among what they
        // may differ in), the first one's.
        let (lock_day, debits) = (&self.cal.lock_day[..], self.cal.debit_after_lock);
        // The order as the first variant has it: its value, commission, outcome, region and
        // resolution day.
        let first = |i: usize| Booked {
            worth: (orders.value[i], orders.commission[i]),
            fate: Fate {
                confirmed: orders.fates.confirmed[i],
                region: orders.fates.region[i] as usize,
                resolved: orders.resolve_day(i),
                debited: orders.debit_day(i),
            },
        };
        // One variant at a time, each in a loop of its own kind: its days and table stay at
        // hand, and nothing is asked per order that the variant settles once.
        for (v, o) in self.others.iter_mut().enumerate() {
            let bit = variant_bit(self.thinned, v);
            let Some(s) = self.same_buyers.get(v) else {
                o.book(orders, c, bit, recent_from, first);
                continue;
            };
            let cat = &s.world.categories[c];
            let bounds = ways(cat, s.world.confirm_receipt_share);
            let fate_under = |t: &FateTable, i: usize| {
                let drawn = s.same_table.then(|| orders.fates.place_of(i));
                let (after, ok, r) = t.fate(&s.world, &bounds, orders.fates.words_of(i), drawn);
                let mut day = resolve_day(orders.paid_at[i], after, horizon);
                let (mut ok, mut debit) = (ok, BEYOND);
                if let Some(&lock) = lock_day.get(orders.earn_day(i)) {
                    if debits {
                        debit = debited(lock, day, ok);
                    }
                    (day, ok) = locked(lock, day, ok);
                }
                Fate {
                    debited: (debit != BEYOND).then_some(debit as usize),
                    confirmed: ok,
                    region: r as usize,
                    resolved: (day != BEYOND).then_some(day as usize),
                }
            };
            match (s.worth_alike, &s.fates) {
                (true, None) => o.book(orders, c, bit, recent_from, first),
                (false, None) => o.book(orders, c, bit, recent_from, |i| Booked {
                    worth: orders.money_under(i, cat, s.cap),
                    ..first(i)
                }),
                (true, Some(t)) => o.book(orders, c, bit, recent_from, |i| Booked {
                    fate: fate_under(t, i),
                    ..first(i)
                }),
                (false, Some(t)) => o.book(orders, c, bit, recent_from, |i| Booked {
                    worth: orders.money_under(i, cat, s.cap),
                    fate: fate_under(t, i),
                }),
            }
        }
    }

    /// The orders of an opening pipeline: each follows its lifecycle given that it had not
    /// resolved at the export (a fate later than the order's age), and is
    /// booked when it resolves; anything resolving before the first day is booked on it.
    pub(super) fn pipeline(&mut self, p: &Pipeline, rng: &mut TrialRng) {
        let w = self.w;
        let total_share: f64 = w.categories.iter().map(|c| c.share).sum();
        let mut pools: Vec<Option<FatePool>> = w.categories.iter().map(|_| None).collect();
        let mut streams: Vec<FateStream> = w.categories.iter().map(|_| FateStream::new()).collect();
        let exact = self.table.filter(|t| t.draws_after());
        let bounds: Vec<Bounds> = (w.categories.iter())
            .map(|cat| ways(cat, w.confirm_receipt_share))
            .collect();
        for o in &p.pending {
            let c = match o.category {
                Some(c) => c,
                None => {
                    let mut u = rng.random::<f64>() * total_share;
                    w.categories
                        .iter()
                        .position(|c| {
                            u -= c.share;
                            u < 0.0
                        })
                        .unwrap_or(0)
                }
            };
            let cat = &w.categories[c];
            // With a fate table, the order's fate is drawn from it given that it comes later
            // than the order's age (one uniform, inverting the table's distribution). Without
            // one, it is the first of its category's stream later than its age, as if drawn
            // one by one; an order still open after a few (an old one: few fates last that
            // long) takes a later fate of the category's pool, drawn once for all such orders
            // of the trial. An order the model cannot have left open this long (every fate
            // ends by the cut-off) was never confirmed: it is voided ("Invalid") at the
            // cut-off, or at once if past it.
            let mut outcome = (o.age, false, 0);
            let ends = (self.invalid_after, self.table);
            match exact {
                _ if o.age >= self.invalid_after => {}
                Some(t) => {
                    if let Some(later) = t.after(w, &bounds[c], o.age, rng.random::<f64>()) {
                        outcome = later;
                    }
                }
                None => {
                    let stream = &mut streams[c];
                    for _ in 0..EXACT_FATE_DRAWS {
                        outcome = stream.take(w, cat, ends, rng);
                        if outcome.0 > o.age {
                            break;
                        }
                    }
                    if outcome.0 <= o.age {
                        let pool = pools[c]
                            .get_or_insert_with(|| FatePool::draw(w, cat, ends, stream, rng));
                        if let Some(later) = pool.after(o.age, rng) {
                            outcome = later;
                        }
                    }
                }
            }
            if outcome.0 <= o.age {
                outcome = (self.invalid_after.max(o.age), false, outcome.2);
            }
            let after = outcome.0;
            let (paid_at, commission) = ((o.paid_at + after).max(0.0), o.commission);
            let sold = o.paid_at.floor() as i64;
            self.resolve(
                (paid_at, sold),
                outcome.1,
                commission,
                c,
                outcome.2,
                EVERY_CADENCE,
            );
        }
    }

    /// Books the confirmation or reversal at `at` (days) of an order sold on day `sold`, if
    /// within the horizon.
    #[allow(clippy::cast_possible_truncation)] // days of a horizon (at most 120 months)
    fn resolve(
        &mut self,
        (at, sold): (f64, i64),
        confirmed: bool,
        commission: Cents,
        c: usize,
        r: usize,
        mask: Cadences,
    ) {
        if at < self.horizon {
            let mut cat = std::mem::take(&mut self.parts.categories[c]);
            self.book_resolution(
                (at as usize, sold),
                confirmed,
                commission,
                &mut cat,
                r,
                mask,
            );
            self.parts.categories[c] = cat;
        }
    }

    /// Books on day `day` the debit of a commission confirmed earlier (an order sold on day
    /// `sold`): a refund after the lock.
    #[inline(never)] // rare: refunds after a lock, under debit_next only
    fn book_debit(
        &mut self,
        (day, sold): (usize, i64),
        commission: Cents,
        cat: &mut PartTotals,
        r: usize,
        mask: Cadences,
    ) {
        if let Some(cadences) = self.cadences.as_deref_mut() {
            for (k, money) in cadences.iter_mut().enumerate() {
                money[day] -= commission * i64::from(mask >> k & 1);
            }
        }
        if mask & OWN != 0 {
            let recent = commission * i64::from(day >= self.recent_from);
            self.days[day].debit(commission, sold);
            for part in [cat, &mut self.parts.regions[r]] {
                part.resolve(-commission, commission, -recent);
            }
        }
    }

    /// Books an order's confirmation or reversal on day `day`.
    #[inline(always)] // once per order, in the engine's innermost loop
    fn book_resolution(
        &mut self,
        (day, sold): (usize, i64),
        confirmed: bool,
        commission: Cents,
        cat: &mut PartTotals,
        r: usize,
        mask: Cadences,
    ) {
        let (yes, no, ok) = outcome(commission, confirmed);
        if let Some(cadences) = self.cadences.as_deref_mut() {
            for (k, money) in cadences.iter_mut().enumerate() {
                money[day] += yes * i64::from(mask >> k & 1);
            }
        }
        if mask & OWN != 0 {
            let recent = yes * i64::from(day >= self.recent_from);
            self.days[day].resolve(yes, no, ok, sold);
            for part in [cat, &mut self.parts.regions[r]] {
                part.resolve(yes, no, recent);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn buyers_are_counted_under_each_variant_whose_bit_they_have() {
        let mut rng = TrialRng::seed_from_u64(5);
        for n in [0, 1, 254, 255, 256, 1000, 70_000] {
            let (mut seen, mut naive) = (Seen::default(), [0i64; 8]);
            for _ in 0..n {
                let mask = (rng.next_u64() >> 56) as Cadences;
                seen.add(mask);
                for (v, k) in naive.iter_mut().enumerate() {
                    *k += i64::from(mask >> v & 1);
                }
            }
            assert_eq!(seen.counts(), naive, "{n} buyers");
        }
        // Every buyer under every variant: each 8-bit counter is emptied before it overflows.
        let mut seen = Seen::default();
        (0..1000).for_each(|_| seen.add(Cadences::MAX));
        assert_eq!(seen.counts(), [1000; 8]);
    }

    /// The mean and standard error of `xs`.
    fn mean_se(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, (var / n).sqrt())
    }

    #[test]
    fn an_old_order_takes_a_later_fate_as_if_drawn_until_one_came() {
        let sc = crate::scenario::parse(crate::scenario::DEFAULT_SCENARIO, "test").unwrap();
        let mut rng = TrialRng::seed_from_u64(11);
        let w = World::draw(&sc, &mut rng);
        let cat = &w.categories[0];
        let invalid_after = sc.program.invalid_after_days;
        // An age that 3 fates in 100 outlast: past the 32 exact tries for most such orders.
        let mut fates = Fates::default();
        let mut all = Vec::new();
        for _ in 0..2000 {
            fates.draw(&w, cat, invalid_after, LANES, &mut rng);
            all.extend((0..LANES).map(|i| (fates.after[i], fates.confirmed[i])));
        }
        let mut days: Vec<f64> = all.iter().map(|f| f.0).collect();
        days.sort_by(f64::total_cmp);
        let age = days[days.len() * 97 / 100];
        // What drawing one by one until a fate comes later gives: the fates later than the age.
        let reference: Vec<(f64, bool)> = all.into_iter().filter(|f| f.0 > age).collect();
        // The pool's answer, a new pool for each order (as in a new trial), its fates drawn
        // one by one and, where the world has one, from its fate table.
        let table = FateTable::for_world(&w, invalid_after);
        assert!(
            table.is_some(),
            "the default scenario's fates can be tabled"
        );
        for table in [None, table.as_deref()] {
            let pooled: Vec<(f64, bool)> = (0..2000)
                .map(|_| {
                    let mut stream = FateStream::new();
                    let ends = (invalid_after, table);
                    let pool = FatePool::draw(&w, cat, ends, &mut stream, &mut rng);
                    let (after, confirmed, _) = pool.after(age, &mut rng).expect("3% of 4,096");
                    assert!(after > age);
                    (after, confirmed)
                })
                .collect();
            // Means and confirmed shares agree within four standard errors of their difference.
            let days = |v: &[(f64, bool)]| v.iter().map(|f| f.0).collect::<Vec<_>>();
            let share = |v: &[(f64, bool)]| {
                v.iter()
                    .map(|f| f64::from(u8::from(f.1)))
                    .collect::<Vec<_>>()
            };
            for (what, a, b) in [
                ("days", mean_se(&days(&reference)), mean_se(&days(&pooled))),
                (
                    "confirmed",
                    mean_se(&share(&reference)),
                    mean_se(&share(&pooled)),
                ),
            ] {
                let se = (a.1 * a.1 + b.1 * b.1).sqrt();
                assert!(
                    (a.0 - b.0).abs() <= 4.0 * se,
                    "{what} (tabled: {}): one by one {:.3}, pooled {:.3} (se {se:.3}), {} reference fates",
                    table.is_some(),
                    a.0,
                    b.0,
                    reference.len()
                );
            }
        }
    }
}
