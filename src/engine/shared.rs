//! Variants of a trial that share its buyers: each variant's days, the sets of variants
//! whose orders are booked once, and what sets each variant's number of buyers.

use std::mem::take;
use std::rc::Rc;

use super::fates::LANES;
use super::lanes::{Cadences, OWN, Orders, outcome};
use super::table::FateTable;
use super::world::{CategoryWorld, World};
use crate::ledger::{DayFlows, Parts};
use crate::model::{Calendar, Cents, Scenario, monthly_clicks};

/// The days and category and region totals of one variant of a trial with shared buyers.
#[derive(Debug, Default)]
pub(super) struct VariantDays {
    pub(super) days: Vec<DayFlows>,
    pub(super) parts: Parts,
}

/// What becomes of an order under one variant: what it is worth, and its fate.
#[derive(Debug, Clone, Copy)]
pub(super) struct Booked {
    /// Value and commission, cents.
    pub(super) worth: (Cents, Cents),
    pub(super) fate: Fate,
}

/// An order's fate under one variant.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fate {
    pub(super) confirmed: bool,
    pub(super) region: usize,
    /// The day it resolves, if within the horizon.
    pub(super) resolved: Option<usize>,
    /// Under a lock rule with debits, the day its commission is taken back, if it is.
    pub(super) debited: Option<usize>,
}

impl VariantDays {
    /// Books the orders of category `c` in the lanes that exist under the variant's `bit`,
    /// each as `order(i)` has it; `recent_from` is the first day of the run-rate window.
    #[inline]
    #[allow(clippy::cast_possible_truncation)] // lane indices are below LANES (64)
    pub(super) fn book(
        &mut self,
        orders: &Orders,
        c: usize,
        bit: Cadences,
        recent_from: usize,
        order: impl Fn(usize) -> Booked,
    ) {
        let mut cat = take(&mut self.parts.categories[c]);
        // The orders that exist under the variant, gathered without a branch (when thinned,
        // whether one does is a coin no predictor can guess).
        let (mut which, mut k) = ([0u8; LANES], 0);
        for (i, &mask) in orders.mask[..orders.n].iter().enumerate() {
            which[k] = i as u8;
            k += usize::from(mask & bit != 0);
        }
        for &i in &which[..k] {
            let i = usize::from(i);
            let Booked {
                worth: (value, commission),
                fate:
                    Fate {
                        confirmed,
                        region: r,
                        resolved,
                        debited,
                    },
            } = order(i);
            let (yes, no, ok) = outcome(commission, confirmed);
            self.days[orders.earn_day(i)].pay(value, commission);
            let region = &mut self.parts.regions[r];
            for part in [&mut cat, region] {
                part.pay(commission);
            }
            if let Some(day) = resolved {
                self.days[day].resolve(yes, no, ok, i64::from(orders.pay_day[i]));
                let recent = yes * i64::from(day >= recent_from);
                for part in [&mut cat, &mut self.parts.regions[r]] {
                    part.resolve(yes, no, recent);
                }
            }
            if let Some(day) = debited {
                self.days[day].debit(commission, i64::from(orders.pay_day[i]));
                let recent = commission * i64::from(day >= recent_from);
                for part in [&mut cat, &mut self.parts.regions[r]] {
                    part.resolve(-commission, commission, -recent);
                }
            }
        }
        self.parts.categories[c] = cat;
    }
}

/// With thinned buyers: the orders (and lost purchases) of each set of variants (an order's
/// cadences) booked once, into sums of the set's own, which are added to each variant of the
/// set when the trial is booked, rather than each booked under each of its variants. Of
/// everything but the confirmed commission only monthly sums are ever read (settlement
/// follows that one day by day), so a set keeps its flows by month. At most [`SETS`] sets
/// have sums; the orders of any other set are booked under each of its variants.
#[derive(Debug, Default)]
pub(super) struct Sets {
    /// `slot[mask]`: the place in `sums` of the set `mask`, plus one; 0 while it has none.
    slot: Vec<u8>,
    sums: Vec<SetSums>,
    pub(super) used: usize,
    /// Categories and regions.
    parts: (usize, usize),
    /// At most this many sets have sums ([`SETS`] when `None`).
    pub(super) most: Option<usize>,
}

/// Sets with sums of their own in a trial (the orders of any further set are booked under
/// each of its variants): adding up costs a set's months and days once per variant it holds,
/// so their number stays small.
pub(super) const SETS: usize = 32;

/// One set's sums ([`Sets`]).
#[derive(Debug, Default)]
struct SetSums {
    mask: Cadences,
    /// Per month, the flows of the set's orders but their confirmed commission, which is in
    /// `confirmed`, per day.
    months: Vec<DayFlows>,
    confirmed: Vec<Cents>,
    /// Per day, Σ confirmed commission × its day of sale.
    sold_on: Vec<i64>,
    parts: Parts,
}

impl Sets {
    /// No set has sums yet, in a trial with `parts` categories and regions.
    pub(super) fn prepare(&mut self, parts: (usize, usize)) {
        self.slot.clear();
        self.slot.resize(usize::from(Cadences::MAX) + 1, 0);
        self.used = 0;
        self.parts = parts;
    }

    /// The place of set `mask`'s sums, made (all zero, for the trial's calendar `cal`) when
    /// it has none, unless [`SETS`] sets have them.
    #[inline(always)] // once per order; making a set's sums is kept out of line
    fn place(&mut self, mask: Cadences, cal: &Calendar) -> Option<usize> {
        match self.slot[usize::from(mask)] {
            0 => self.make(mask, cal),
            s => Some(usize::from(s) - 1),
        }
    }

    /// Sums for set `mask`, all zero, unless [`SETS`] sets have them.
    #[cold]
    #[inline(never)]
    #[allow(clippy::cast_possible_truncation)] // at most SETS (32) places
    fn make(&mut self, mask: Cadences, cal: &Calendar) -> Option<usize> {
        if self.used >= self.most.unwrap_or(SETS) {
            return None;
        }
        if self.sums.len() == self.used {
            self.sums.push(SetSums::default());
        }
        let sums = &mut self.sums[self.used];
        sums.mask = mask;
        sums.months.clear();
        sums.months.resize(cal.months(), DayFlows::default());
        sums.confirmed.clear();
        sums.confirmed.resize(cal.days(), 0);
        sums.sold_on.clear();
        sums.sold_on.resize(cal.days(), 0);
        sums.parts.reset(self.parts.0, self.parts.1);
        self.used += 1;
        self.slot[usize::from(mask)] = self.used as u8;
        Some(self.used - 1)
    }

    /// Books the orders of category `c` in the lanes into their sets' sums (`recent_from`:
    /// the first day of the run-rate window), and takes them out of the lanes' cadences, so
    /// that nothing else books them; whether every one of them had a set.
    #[allow(clippy::cast_possible_truncation)] // region indices are small
    pub(super) fn book(
        &mut self,
        orders: &mut Orders,
        c: usize,
        cal: &Calendar,
        recent_from: usize,
    ) -> bool {
        let (mut all, month_of) = (true, &cal.month_of_day);
        for i in 0..orders.n {
            let Some(s) = self.place(orders.mask[i], cal) else {
                all = false;
                continue;
            };
            let sums = &mut self.sums[s];
            let (commission, r) = (orders.commission[i], orders.fates.region[i] as usize);
            sums.months[month_of[orders.earn_day(i)] as usize].pay(orders.value[i], commission);
            let (cat, region) = (&mut sums.parts.categories[c], &mut sums.parts.regions[r]);
            for part in [&mut *cat, &mut *region] {
                part.pay(commission);
            }
            if let Some(day) = orders.resolve_day(i) {
                let (yes, no, ok) = outcome(commission, orders.fates.confirmed[i]);
                sums.confirmed[day] += yes;
                sums.sold_on[day] += yes * i64::from(orders.pay_day[i]);
                // The month's confirmed commission stays 0: it is kept by day.
                sums.months[month_of[day] as usize].resolve(0, no, ok, 0);
                let recent = yes * i64::from(day >= recent_from);
                for part in [&mut *cat, &mut *region] {
                    part.resolve(yes, no, recent);
                }
            }
            if let Some(day) = orders.debit_day(i) {
                sums.confirmed[day] -= commission;
                sums.sold_on[day] -= commission * i64::from(orders.pay_day[i]);
                // The month's confirmed commission stays 0: it is kept by day.
                let month = &mut sums.months[month_of[day] as usize];
                month.reversed += commission;
                month.orders_confirmed -= 1;
                month.orders_reversed += 1;
                let recent = commission * i64::from(day >= recent_from);
                for part in [cat, region] {
                    part.resolve(-commission, commission, -recent);
                }
            }
            orders.mask[i] = 0;
        }
        all
    }

    /// Books a purchase lost on day `day` by the buyer of set `mask` into the set's sums;
    /// whether the set has them.
    #[inline]
    pub(super) fn lose(&mut self, day: usize, mask: Cadences, cal: &Calendar) -> bool {
        let Some(s) = self.place(mask, cal) else {
            return false;
        };
        self.sums[s].months[cal.month_of_day[day] as usize].orders_lost += 1;
        true
    }

    /// Adds each set's sums to the days and parts of each of its variants: `own` (bit
    /// [`OWN`]), then `others`; each month's flows on its first day of calendar `cal`.
    pub(super) fn add_up(
        &self,
        cal: &Calendar,
        own: (&mut [DayFlows], &mut Parts),
        others: &mut [VariantDays],
    ) {
        let mut variants: Vec<(Cadences, &mut [DayFlows], &mut Parts)> = vec![(OWN, own.0, own.1)];
        for (v, o) in others.iter_mut().enumerate() {
            variants.push((variant_bit(true, v), &mut o.days[..], &mut o.parts));
        }
        for sums in &self.sums[..self.used] {
            for (bit, days, parts) in &mut variants {
                if sums.mask & *bit == 0 {
                    continue;
                }
                for (&first, month) in cal.month_start.iter().zip(&sums.months) {
                    days[first].add(month);
                }
                for ((day, &confirmed), &sold_on) in
                    days.iter_mut().zip(&sums.confirmed).zip(&sums.sold_on)
                {
                    day.confirmed += confirmed;
                    day.confirmed_sold_on += sold_on;
                }
                parts.add(&sums.parts);
            }
        }
    }
}

/// A variant after the first that has the first's buyers and orders
/// ([`Scratch::simulate_same_buyers`]): what its orders are worth and what becomes of them.
#[derive(Debug)]
pub(super) struct SameBuyers {
    /// Its world as drawn in the trial: categories, regions, confirmation share.
    pub(super) world: World,
    pub(super) cap: Cents,
    /// Whether its orders are worth what the first's are (then they are not valued again).
    pub(super) worth_alike: bool,
    /// Its fate table, when what becomes of its orders differs from the first's.
    pub(super) fates: Option<Rc<FateTable>>,
    /// Whether that table is the first's (the same words at the same place of the same
    /// table give the same cell, which is then not drawn again).
    pub(super) same_table: bool,
}

impl SameBuyers {
    /// Variant `sc` in its world `w` of the trial, on its own.
    pub(super) fn of(sc: &Scenario, w: World) -> SameBuyers {
        SameBuyers {
            fates: FateTable::for_scenario(sc, &w),
            world: w,
            cap: sc.program.commission_cap,
            worth_alike: false,
            same_table: false,
        }
    }

    /// This variant beside the first: whether its orders are worth the same, and its table
    /// kept only when what becomes of its orders differs.
    pub(super) fn beside(mut self, first: &SameBuyers) -> SameBuyers {
        let (a, b) = (&first.world, &self.world);
        let pairs = || a.categories.iter().zip(&b.categories);
        self.worth_alike = first.cap == self.cap && pairs().all(|(x, y)| worth_alike(x, y));
        self.same_table = match (&first.fates, &self.fates) {
            (Some(x), Some(y)) => Rc::ptr_eq(x, y),
            (None, None) => true,
            _ => false,
        };
        let fates_alike = self.same_table
            && a.confirm_receipt_share == b.confirm_receipt_share
            && a.regions
                .iter()
                .zip(&b.regions)
                .all(|(x, y)| x.cumulative_share == y.cumulative_share)
            && pairs()
                .all(|(x, y)| (x.cancel_rate, x.refund_rate) == (y.cancel_rate, y.refund_rate));
        // Fates that differ are drawn from tables, two words an order in every variant.
        debug_assert!(fates_alike || (first.fates.is_some() && self.fates.is_some()));
        if fates_alike {
            self.fates = None;
        }
        self
    }
}

/// Whether orders of two categories are worth the same.
fn worth_alike(a: &CategoryWorld, b: &CategoryWorld) -> bool {
    a.order_value == b.order_value
        && (a.rate, a.hot_share, a.hot_rate) == (b.rate, b.hot_share, b.hot_rate)
        && (a.new_buyer_share, a.new_buyer_bonus) == (b.new_buyer_share, b.new_buyer_bonus)
        && a.only_new == b.only_new
}

/// Variants of a trial that share its buyers: thinned ([`Scratch::simulate_shared`]) or
/// valued and followed each its own way ([`Scratch::simulate_same_buyers`]).
#[derive(Debug, Default)]
pub(super) struct Shared {
    /// Whether the trial at hand's buyers are thinned among its variants.
    pub(super) thinned: bool,
    /// Per variant, how many buyers it has (when thinned).
    pub(super) intensities: Vec<Intensity>,
    /// `keep[c * variants + v]`: for the day at hand, variant `v`'s expected buyers of
    /// category `c` over the highest of any variant's.
    keep: Vec<f64>,
    /// `idle[c * variants + v]`: variant `v`'s expected clicks of category `c` this month
    /// that buy nothing.
    pub(super) idle: Vec<f64>,
    /// Variants 1.. (variant 0 books into the trial's own days and parts).
    pub(super) others: Vec<VariantDays>,
    /// When the variants have the same buyers (no thinning): per variant after the first,
    /// what its orders are worth and what becomes of them.
    pub(super) same_buyers: Vec<SameBuyers>,
    /// When thinned: the orders of each set of variants, booked once.
    pub(super) sets: Sets,
}

/// What sets one variant's number of buyers in a trial.
#[derive(Debug, Default)]
pub(super) struct Intensity {
    /// Expected clicks of each month, before seasonality and events.
    month_clicks: Vec<f64>,
    traffic_factor: Vec<f64>,
    conversion_factor: Vec<f64>,
    /// Per category: click share, conversion rate.
    categories: Vec<(f64, f64)>,
}

impl Shared {
    /// The variants after the first (their days and parts, and, with the same buyers, what
    /// their orders are worth and what becomes of them), taken to be booked, and how many of
    /// them the trial at hand has; given back when it is booked.
    pub(super) fn lend(&mut self) -> (Vec<VariantDays>, Vec<SameBuyers>, Sets, usize) {
        let sharing = if self.active() { self.others.len() } else { 0 };
        let (others, same_buyers) = (take(&mut self.others), take(&mut self.same_buyers));
        (others, same_buyers, take(&mut self.sets), sharing)
    }

    /// Whether the trial at hand has variants after the first.
    pub(super) fn active(&self) -> bool {
        self.thinned || !self.same_buyers.is_empty()
    }

    /// No shared buyers in the trial at hand.
    pub(super) fn off(&mut self) {
        self.thinned = false;
        self.same_buyers.clear();
    }

    /// Sets up a trial of variants that have the same buyers (each after the first), no
    /// money yet.
    pub(super) fn prepare_same_buyers(
        &mut self,
        variants: impl Iterator<Item = SameBuyers>,
        days: usize,
        regions: usize,
    ) {
        self.off();
        self.same_buyers.extend(variants);
        let n = self.same_buyers.len();
        let categories = self
            .same_buyers
            .first()
            .map_or(0, |v| v.world.categories.len());
        self.size_others(n, days, categories, regions);
    }

    /// Sets up a trial of `variants` (each with its world and calendar), no money yet.
    pub(super) fn prepare(&mut self, variants: &[(&World, &Calendar)], regions: usize) {
        let (n, categories) = (variants.len(), variants[0].0.categories.len());
        let (days, months) = (variants[0].1.days(), variants[0].1.months());
        self.off();
        self.thinned = true;
        self.intensities.resize_with(n, Intensity::default);
        for (i, (w, cal)) in self.intensities.iter_mut().zip(variants) {
            i.month_clicks.clear();
            i.month_clicks
                .extend(monthly_clicks(w.clicks_per_month, w.monthly_growth, months));
            i.traffic_factor.clone_from(&cal.traffic_factor);
            i.conversion_factor.clone_from(&cal.conversion_factor);
            i.categories.clear();
            i.categories
                .extend(w.categories.iter().map(|c| (c.share, c.conversion_rate)));
        }
        self.sets.prepare((categories, regions));
        self.keep.clear();
        self.keep.resize(categories * n, 0.0);
        self.idle.clear();
        self.idle.resize(categories * n, 0.0);
        self.size_others(n - 1, days, categories, regions);
    }

    /// Days and parts, all zero, for `n` variants after the first.
    fn size_others(&mut self, n: usize, days: usize, categories: usize, regions: usize) {
        self.others.resize_with(n, VariantDays::default);
        for o in &mut self.others {
            o.days.clear();
            o.days.resize(days, DayFlows::default());
            o.parts.reset(categories, regions);
        }
    }

    /// Category `c` on day `d` of month `m` at traffic noise `noise`: the expected buyers of
    /// the variant with the most, at which they are drawn; each variant's share of them is
    /// set ([`Shared::keep`]) and its clicks that buy nothing added up.
    pub(super) fn day(&mut self, m: usize, d: usize, c: usize, noise: f64) -> f64 {
        let n = self.intensities.len();
        let (keep, idle) = (
            &mut self.keep[c * n..(c + 1) * n],
            &mut self.idle[c * n..(c + 1) * n],
        );
        let mut highest: f64 = 0.0;
        for ((i, keep), idle) in self.intensities.iter().zip(keep.iter_mut()).zip(idle) {
            let (share, conversion) = i.categories[c];
            let clicks = i.month_clicks[m] * i.traffic_factor[d] * noise * share;
            let p = (conversion * i.conversion_factor[d]).min(1.0);
            *keep = clicks * p;
            *idle += clicks * (1.0 - p);
            highest = highest.max(*keep);
        }
        for keep in keep {
            // The variant with the most keeps every buyer: x / x is exactly 1.
            *keep = if highest > 0.0 { *keep / highest } else { 0.0 };
        }
        highest
    }

    /// The expected clicks of category `c` this month that buy nothing, per variant: each
    /// variant's own with shared buyers, else `own`.
    pub(super) fn idle<'a>(&'a self, c: usize, own: &'a f64) -> &'a [f64] {
        let n = self.intensities.len();
        if self.thinned {
            &self.idle[c * n..(c + 1) * n]
        } else {
            std::slice::from_ref(own)
        }
    }

    /// With shared buyers, each variant's share of category `c`'s buyers today.
    pub(super) fn keep(&self, c: usize) -> Option<&[f64]> {
        let n = self.intensities.len();
        self.thinned.then(|| &self.keep[c * n..(c + 1) * n])
    }
}

/// The bit of an order's cadences that says it exists under variant `v` after the first: its
/// own when the buyers are thinned, else the first's ([`OWN`]), which every order then has.
pub(super) fn variant_bit(thinned: bool, v: usize) -> Cadences {
    if thinned { 1 << (v + 1) } else { OWN }
}
