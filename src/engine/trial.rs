//! One trial: clicks → buyers → attributed orders → their lifecycle, booked by day, then the
//! money followed through settlement and withdrawals.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Binomial, Distribution, Gamma, Poisson};

use super::lanes::{
    BEYOND, Cadences, Fates, LANES, Later, OWN, Orders, cadences, halves, resolve_day,
};
use super::table::{FateTable, vose, ways};
use super::world::{CategoryWorld, LinkWorld, World};
use crate::ledger::{DayFlows, Opening, PartTotals, Parts, PayoutOutcome, TrialLedger};
use crate::model::dist::fast_exp;
use crate::model::links::{advice_cadences, alive_by_day, conversion_factor};
use crate::model::{Calendar, Cents, Program, Scenario, monthly_clicks};
use crate::pipeline::Pipeline;
use std::mem::take;
use std::rc::Rc;

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

/// Working memory of one thread, reused across trials.
#[derive(Debug, Default)]
pub struct Scratch {
    days: Vec<DayFlows>,
    arrivals: Vec<Cents>,
    parts: Parts,
    links: LinkBook,
    lanes: Lanes,
    shared: Shared,
}

/// The lanes of one trial: a batch of orders and of later buyers per category, and room for
/// a batch of an opening pipeline's fates.
#[derive(Debug, Default)]
struct Lanes {
    orders: Vec<Orders>,
    later: Vec<Later>,
    fates: Box<Fates>,
}

impl Lanes {
    /// Empty lanes for `categories` categories.
    fn reset(&mut self, categories: usize) {
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

impl Scratch {
    /// Simulates trial `trial` of a scenario, opened by an observed pipeline if any. The
    /// result borrows this memory: its ledger and its payout replays read that trial's
    /// orders and no other.
    pub fn simulate<'s>(
        &'s mut self,
        sc: &Scenario,
        pipeline: Option<&Pipeline>,
        cal: &Calendar,
        trial: u64,
    ) -> Simulated<'s> {
        let world = World::draw(sc, &mut stream(sc.seed, trial, Stream::World));
        self.shared.off();
        self.simulate_world(sc, pipeline, cal, &world, trial)
    }

    /// Simulates trial `trial` of several variants of a scenario that differ only in what
    /// their orders are worth ([`Scenario::same_but_earnings`]) or also in what becomes of
    /// them ([`Scenario::same_but_worth_and_fates`], every one of them with a table in every
    /// trial). Their buyers and orders are the first's, number for number;
    /// each order is valued under each variant from the same normal and word, and its fate
    /// drawn under each from the same two words, so each variant's ledger
    /// ([`Simulated::variant_ledger`]) is the one it has alone, to the bit.
    pub fn simulate_same_buyers<'s>(
        &'s mut self,
        variants: &[&Scenario],
        cal: &Calendar,
        trial: u64,
    ) -> Simulated<'s> {
        let sc = variants[0];
        debug_assert!(variants.iter().all(|v| sc.same_but_worth_and_fates(v)));
        let mut worlds = worlds(variants.iter().copied(), trial).into_iter();
        let first = SameBuyers::of(sc, worlds.next().expect("a first variant"));
        let rest = worlds
            .zip(&variants[1..])
            .map(|(w, v)| SameBuyers::of(v, w).beside(&first));
        self.shared
            .prepare_same_buyers(rest, cal.days(), sc.regions.len());
        self.simulate_world(sc, None, cal, &first.world, trial)
    }

    /// Simulates trial `trial` of several variants of a scenario that differ only in how
    /// many buyers they have ([`Scenario::same_but_intensities`]: traffic, events' traffic and
    /// conversion, categories' shares and conversion rates; at most eight), each with its
    /// calendar, on one set of buyers: a day's buyers of a category are drawn at the highest
    /// expectation of any variant and each buyer's one uniform says under which variants it
    /// exists. A thinned Poisson count is a Poisson count, so every variant's buyers are
    /// exactly as the model draws them; and the variants share their orders' values and
    /// fates, so their differences are those of their buyers alone. The first variant's
    /// ledger is [`Simulated::ledger`], the others' [`Simulated::variant_ledger`].
    pub fn simulate_shared<'s>(
        &'s mut self,
        variants: &[(&Scenario, &Calendar)],
        trial: u64,
    ) -> Simulated<'s> {
        let (sc, cal) = variants[0];
        debug_assert!(
            variants.len() <= 8 && variants.iter().all(|(v, _)| sc.same_but_intensities(v))
        );
        let worlds = worlds(variants.iter().map(|(v, _)| *v), trial);
        let with: Vec<(&World, &Calendar)> = worlds
            .iter()
            .zip(variants)
            .map(|(w, (_, c))| (w, *c))
            .collect();
        self.shared.prepare(&with, sc.regions.len());
        self.simulate_world(sc, None, cal, &worlds[0], trial)
    }

    /// Like [`Scratch::simulate`], in a given world.
    fn simulate_world<'s>(
        &'s mut self,
        sc: &Scenario,
        pipeline: Option<&Pipeline>,
        cal: &Calendar,
        world: &World,
        trial: u64,
    ) -> Simulated<'s> {
        let on = match &world.links {
            Some(lw) => {
                let own = sc.links.as_ref().map_or(0, |l| l.refresh_every_months);
                self.links.prepare(own, lw, world, cal);
                true
            }
            None => false,
        };
        let opening = book_days(
            sc,
            pipeline,
            cal,
            world,
            trial,
            &mut self.days,
            &mut self.parts,
            &mut self.lanes,
            on.then_some(&mut self.links),
            &mut self.shared,
        );
        let shared = self.shared.active();
        Simulated {
            days: &self.days,
            arrivals: &mut self.arrivals,
            parts: &self.parts,
            links: on.then_some(&self.links),
            others: if shared { &self.shared.others } else { &[] },
            opening,
        }
    }
}

/// One simulated trial's orders, day by day, and its opening balances.
#[derive(Debug)]
pub struct Simulated<'s> {
    days: &'s [DayFlows],
    arrivals: &'s mut Vec<Cents>,
    parts: &'s Parts,
    /// Link volatility's tables and each cadence's money, with `[links]`.
    links: Option<&'s LinkBook>,
    /// With shared buyers: the days and parts of the variants after the first.
    others: &'s [VariantDays],
    opening: Opening,
}

impl Simulated<'_> {
    /// The trial's monthly accounts: its money followed through settlement and withdrawals.
    pub fn ledger(&mut self, cal: &Calendar, program: &Program) -> TrialLedger {
        TrialLedger::close_with_opening(self.days, cal, program, self.arrivals, self.opening)
            .with_parts(self.parts.clone())
    }

    /// With shared buyers ([`Scratch::simulate_shared`], [`Scratch::simulate_same_buyers`]),
    /// the monthly accounts of variant `v` (0 is [`Simulated::ledger`]'s).
    pub fn variant_ledger(&mut self, v: usize, cal: &Calendar, program: &Program) -> TrialLedger {
        if v == 0 {
            return self.ledger(cal, program);
        }
        let o = &self.others[v - 1];
        TrialLedger::close_with_opening(&o.days, cal, program, self.arrivals, Opening::default())
            .with_parts(o.parts.clone())
    }

    /// The trial's money replayed at other withdrawal thresholds (cents).
    pub fn replay_payouts(
        &mut self,
        cal: &Calendar,
        program: &Program,
        thresholds: &[Cents],
    ) -> Vec<PayoutOutcome> {
        thresholds
            .iter()
            .map(|&t| {
                PayoutOutcome::replay_with_opening(
                    self.days,
                    cal,
                    program,
                    t,
                    self.arrivals,
                    self.opening.unsettled,
                )
            })
            .collect()
    }

    /// With `[links]`: per month, the share of clicks landing on dead links (the scenario's
    /// own cadence), and per refresh cadence (the scenario's own first) its money replayed
    /// to the bank at the scenario's threshold.
    pub fn links(&mut self, cal: &Calendar, program: &Program) -> Option<TrialLinks> {
        let book = self.links?;
        let cash = book
            .confirmed
            .iter()
            .map(|confirmed| {
                PayoutOutcome::replay_confirmed(
                    |d| confirmed[d],
                    cal,
                    program,
                    program.withdrawal_threshold(),
                    self.arrivals,
                    self.opening.unsettled,
                )
            })
            .collect();
        Some(TrialLinks {
            dead_link_share: book.dead_share_by_month(cal),
            cadences: book.cadences.clone(),
            cash,
        })
    }
}

/// What link volatility did in one trial.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialLinks {
    /// Per month, the mean over its days of the share of clicks landing on dead links.
    pub dead_link_share: Vec<f64>,
    /// Months between refreshes (0 = never), the scenario's own first.
    pub cadences: Vec<u32>,
    /// Per cadence, the trial's money at the scenario's withdrawal threshold.
    pub cash: Vec<PayoutOutcome>,
}

const EVERY_CADENCE: Cadences = Cadences::MAX;

/// Link volatility of one trial, and the money of the orders that exist under each refresh
/// cadence.
///
/// Cadences are compared on the same trial exactly by thinning: a day's buyers of a category
/// are drawn at the highest conversion of any cadence that day, and a buyer exists under
/// cadence `k` when its one uniform is below that cadence's conversion over the highest. A
/// thinned Poisson count is a Poisson count, so each cadence's buyers are exactly as the model
/// draws them, and all cadences share their orders' values and fates: one simulation answers
/// for every cadence.
#[derive(Debug, Default)]
struct LinkBook {
    /// Months between refreshes, the scenario's own first (at most 7).
    cadences: Vec<u32>,
    categories: usize,
    /// `alive[k * categories + c][d]`: category `c`'s share of links alive on day `d` under
    /// cadence `k`.
    alive: Vec<Vec<f64>>,
    /// Click shares of the categories.
    shares: Vec<f64>,
    /// `confirmed[k][d]`: commission confirmed on day `d` by the orders of cadence `k`, cents.
    confirmed: Vec<Vec<Cents>>,
    /// For the day and category at hand: cadence `k`'s conversion over the highest.
    keep: Vec<f64>,
}

impl LinkBook {
    /// Sets up a trial: the alive shares of every cadence, and no money yet.
    fn prepare(&mut self, own: u32, lw: &LinkWorld, w: &World, cal: &Calendar) {
        self.cadences = advice_cadences(own);
        self.categories = w.categories.len();
        self.shares.clear();
        self.shares.extend(w.categories.iter().map(|c| c.share));
        let n = self.cadences.len() * self.categories;
        self.alive.resize_with(n, Vec::new);
        for (k, &every) in self.cadences.iter().enumerate() {
            for (c, &hazard) in lw.hazard.iter().enumerate() {
                let out = &mut self.alive[k * self.categories + c];
                alive_by_day(hazard, lw.alive_at_start, every, &cal.month_start, out);
            }
        }
        self.confirmed.resize_with(self.cadences.len(), Vec::new);
        for c in &mut self.confirmed {
            c.clear();
            c.resize(cal.days(), 0);
        }
        self.keep.resize(self.cadences.len(), 0.0);
    }

    /// The conversion buyers of category `c` on day `d` are drawn at (the highest of any
    /// cadence), given the conversion `p` with every link alive; `keep` is then set.
    fn conversion(&mut self, c: usize, d: usize, p: f64, dead_link_conversion: f64) -> f64 {
        let mut highest: f64 = 0.0;
        for (k, keep) in self.keep.iter_mut().enumerate() {
            let alive = self.alive[k * self.categories + c][d];
            *keep = (p * conversion_factor(alive, dead_link_conversion)).min(1.0);
            highest = highest.max(*keep);
        }
        for keep in &mut self.keep {
            // The highest cadence keeps every buyer: x / x is exactly 1.
            *keep = if highest > 0.0 { *keep / highest } else { 0.0 };
        }
        highest
    }

    /// Per month, the mean over its days of Σ_c share_c · (1 − alive_c(d)) under the
    /// scenario's own cadence.
    fn dead_share_by_month(&self, cal: &Calendar) -> Vec<f64> {
        (0..cal.months())
            .map(|m| {
                let days = cal.month_start[m]..cal.month_start[m + 1];
                let n = days.len() as f64;
                days.map(|d| {
                    self.shares
                        .iter()
                        .enumerate()
                        .map(|(c, share)| share * (1.0 - self.alive[c][d]))
                        .sum::<f64>()
                })
                .sum::<f64>()
                    / n
            })
            .collect()
    }
}

/// The days and category and region totals of one variant of a trial with shared buyers.
#[derive(Debug, Default)]
struct VariantDays {
    days: Vec<DayFlows>,
    parts: Parts,
}

/// What becomes of an order under one variant: its value and commission, whether it is
/// confirmed and its region, and the day it resolves (if within the horizon).
type Booked = ((Cents, Cents), (bool, usize), Option<usize>);

impl VariantDays {
    /// Books the orders of category `c` in the lanes that exist under the variant's `bit`,
    /// each as `order(i)` has it; `recent_from` is the first day of the run-rate window.
    #[inline]
    #[allow(clippy::cast_possible_truncation)] // lane indices are below LANES (64)
    fn book(
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
            let ((value, commission), (confirmed, r), resolved) = order(i);
            let (yes, no, ok) = outcome(commission, confirmed);
            self.days[orders.pay_day[i] as usize].pay(value, commission);
            let region = &mut self.parts.regions[r];
            for part in [&mut cat, region] {
                part.pay(commission);
            }
            if let Some(day) = resolved {
                self.days[day].resolve(yes, no, ok);
                let recent = yes * i64::from(day >= recent_from);
                for part in [&mut cat, &mut self.parts.regions[r]] {
                    part.resolve(yes, no, recent);
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
struct Sets {
    /// `slot[mask]`: the place in `sums` of the set `mask`, plus one; 0 while it has none.
    slot: Vec<u8>,
    sums: Vec<SetSums>,
    used: usize,
    /// Categories and regions.
    parts: (usize, usize),
    /// At most this many sets have sums ([`SETS`] when `None`).
    most: Option<usize>,
}

/// Sets with sums of their own in a trial (the orders of any further set are booked under
/// each of its variants): adding up costs a set's months and days once per variant it holds,
/// so their number stays small.
const SETS: usize = 32;

/// One set's sums ([`Sets`]).
#[derive(Debug, Default)]
struct SetSums {
    mask: Cadences,
    /// Per month, the flows of the set's orders but their confirmed commission, which is in
    /// `confirmed`, per day.
    months: Vec<DayFlows>,
    confirmed: Vec<Cents>,
    parts: Parts,
}

impl Sets {
    /// No set has sums yet, in a trial with `parts` categories and regions.
    fn prepare(&mut self, parts: (usize, usize)) {
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
        sums.parts.reset(self.parts.0, self.parts.1);
        self.used += 1;
        self.slot[usize::from(mask)] = self.used as u8;
        Some(self.used - 1)
    }

    /// Books the orders of category `c` in the lanes into their sets' sums (`recent_from`:
    /// the first day of the run-rate window), and takes them out of the lanes' cadences, so
    /// that nothing else books them; whether every one of them had a set.
    #[allow(clippy::cast_possible_truncation)] // region indices are small
    fn book(&mut self, orders: &mut Orders, c: usize, cal: &Calendar, recent_from: usize) -> bool {
        let (mut all, month_of) = (true, &cal.month_of_day);
        for i in 0..orders.n {
            let Some(s) = self.place(orders.mask[i], cal) else {
                all = false;
                continue;
            };
            let sums = &mut self.sums[s];
            let (commission, r) = (orders.commission[i], orders.fates.region[i] as usize);
            sums.months[month_of[orders.pay_day[i] as usize] as usize]
                .pay(orders.value[i], commission);
            let (cat, region) = (&mut sums.parts.categories[c], &mut sums.parts.regions[r]);
            for part in [&mut *cat, &mut *region] {
                part.pay(commission);
            }
            if let Some(day) = orders.resolve_day(i) {
                let (yes, no, ok) = outcome(commission, orders.fates.confirmed[i]);
                sums.confirmed[day] += yes;
                // The month's confirmed commission stays 0: it is kept by day.
                sums.months[month_of[day] as usize].resolve(0, no, ok);
                let recent = yes * i64::from(day >= recent_from);
                for part in [cat, region] {
                    part.resolve(yes, no, recent);
                }
            }
            orders.mask[i] = 0;
        }
        all
    }

    /// Books a purchase lost on day `day` by the buyer of set `mask` into the set's sums;
    /// whether the set has them.
    #[inline]
    fn lose(&mut self, day: usize, mask: Cadences, cal: &Calendar) -> bool {
        let Some(s) = self.place(mask, cal) else {
            return false;
        };
        self.sums[s].months[cal.month_of_day[day] as usize].orders_lost += 1;
        true
    }

    /// Adds each set's sums to the days and parts of each of its variants: `own` (bit
    /// [`OWN`]), then `others`; each month's flows on its first day of calendar `cal`.
    fn add_up(
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
                for (day, &confirmed) in days.iter_mut().zip(&sums.confirmed) {
                    day.confirmed += confirmed;
                }
                parts.add(&sums.parts);
            }
        }
    }
}

/// A variant after the first that has the first's buyers and orders
/// ([`Scratch::simulate_same_buyers`]): what its orders are worth and what becomes of them.
#[derive(Debug)]
struct SameBuyers {
    /// Its world as drawn in the trial: categories, regions, confirmation share.
    world: World,
    cap: Cents,
    /// Whether its orders are worth what the first's are (then they are not valued again).
    worth_alike: bool,
    /// Its fate table, when what becomes of its orders differs from the first's.
    fates: Option<Rc<FateTable>>,
    /// Whether that table is the first's (the same words at the same place of the same
    /// table give the same cell, which is then not drawn again).
    same_table: bool,
}

impl SameBuyers {
    /// Variant `sc` in its world `w` of the trial, on its own.
    fn of(sc: &Scenario, w: World) -> SameBuyers {
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
    fn beside(mut self, first: &SameBuyers) -> SameBuyers {
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
}

/// Variants of a trial that share its buyers: thinned ([`Scratch::simulate_shared`]) or
/// valued and followed each its own way ([`Scratch::simulate_same_buyers`]).
#[derive(Debug, Default)]
struct Shared {
    /// Whether the trial at hand's buyers are thinned among its variants.
    thinned: bool,
    /// Per variant, how many buyers it has (when thinned).
    intensities: Vec<Intensity>,
    /// `keep[c * variants + v]`: for the day at hand, variant `v`'s expected buyers of
    /// category `c` over the highest of any variant's.
    keep: Vec<f64>,
    /// `idle[c * variants + v]`: variant `v`'s expected clicks of category `c` this month
    /// that buy nothing.
    idle: Vec<f64>,
    /// Variants 1.. (variant 0 books into the trial's own days and parts).
    others: Vec<VariantDays>,
    /// When the variants have the same buyers (no thinning): per variant after the first,
    /// what its orders are worth and what becomes of them.
    same_buyers: Vec<SameBuyers>,
    /// When thinned: the orders of each set of variants, booked once.
    sets: Sets,
}

/// What sets one variant's number of buyers in a trial.
#[derive(Debug, Default)]
struct Intensity {
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
    fn lend(&mut self) -> (Vec<VariantDays>, Vec<SameBuyers>, Sets, usize) {
        let sharing = if self.active() { self.others.len() } else { 0 };
        let (others, same_buyers) = (take(&mut self.others), take(&mut self.same_buyers));
        (others, same_buyers, take(&mut self.sets), sharing)
    }

    /// Whether the trial at hand has variants after the first.
    fn active(&self) -> bool {
        self.thinned || !self.same_buyers.is_empty()
    }

    /// No shared buyers in the trial at hand.
    fn off(&mut self) {
        self.thinned = false;
        self.same_buyers.clear();
    }

    /// Sets up a trial of variants that have the same buyers (each after the first), no
    /// money yet.
    fn prepare_same_buyers(
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
    fn prepare(&mut self, variants: &[(&World, &Calendar)], regions: usize) {
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
    fn day(&mut self, m: usize, d: usize, c: usize, noise: f64) -> f64 {
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
    fn idle<'a>(&'a self, c: usize, own: &'a f64) -> &'a [f64] {
        let n = self.intensities.len();
        if self.thinned {
            &self.idle[c * n..(c + 1) * n]
        } else {
            std::slice::from_ref(own)
        }
    }

    /// With shared buyers, each variant's share of category `c`'s buyers today.
    fn keep(&self, c: usize) -> Option<&[f64]> {
        let n = self.intensities.len();
        self.thinned.then(|| &self.keep[c * n..(c + 1) * n])
    }
}

/// Simulates trial `trial` of a scenario into its monthly ledger.
pub fn simulate(
    sc: &Scenario,
    pipeline: Option<&Pipeline>,
    cal: &Calendar,
    trial: u64,
    scratch: &mut Scratch,
) -> TrialLedger {
    scratch
        .simulate(sc, pipeline, cal, trial)
        .ledger(cal, &sc.program)
}

/// Books one trial's clicks, orders and their fates into `days` (and, with `[links]`, each
/// cadence's confirmed money into `links`); returns the opening balances of the pipeline.
#[allow(clippy::too_many_arguments)] // one trial's inputs and its five pieces of working memory
fn book_days(
    sc: &Scenario,
    pipeline: Option<&Pipeline>,
    cal: &Calendar,
    w: &World,
    trial: u64,
    days: &mut Vec<DayFlows>,
    parts: &mut Parts,
    lanes: &mut Lanes,
    mut links: Option<&mut LinkBook>,
    shared: &mut Shared,
) -> Opening {
    let n_days = cal.days();
    days.clear();
    days.resize(n_days, DayFlows::default());
    let days = &mut days[..];
    parts.reset(w.categories.len(), w.regions.len());
    lanes.reset(w.categories.len());

    let mut noise_rng = stream(sc.seed, trial, Stream::TrafficNoise);
    let od = sc.traffic.overdispersion;
    let noise = (od > 0.0).then(|| Gamma::new(1.0 / (od * od), od * od).expect("cv > 0"));
    let mut cat_rngs = category_streams(sc.seed, trial, w.categories.len());
    let dead_link_conversion = w.links.as_ref().map_or(0.0, |l| l.dead_link_conversion);
    let mut cadence_money = links.as_mut().map(|l| std::mem::take(&mut l.confirmed));
    let table = FateTable::for_scenario(sc, w);
    // The variants after the first are booked through `book`; the shares are read here.
    let (mut others, same_buyers, mut sets, sharing) = shared.lend();
    let mut book = Book {
        w,
        cal,
        table: table.as_deref(),
        cap: sc.program.commission_cap,
        invalid_after: sc.program.invalid_after_days,
        horizon: n_days as f64,
        recent_from: cal.month_start[TrialLedger::run_rate_from(cal.months())],
        days,
        parts,
        cadences: cadence_money.as_deref_mut(),
        others: &mut others[..sharing],
        thinned: shared.thinned,
        same_buyers: &same_buyers,
        sets: &mut sets,
    };

    // Expected clicks that do not end in a purchase, per category, this month.
    let mut idle = vec![0.0; w.categories.len()];
    // Known clicks (a backtest): each day's clicks split over the categories by their shares.
    let known = sc.traffic.known_clicks.as_deref();
    let mut split = vec![0u64; w.categories.len()];
    // Without known clicks or `[links]`, each month's buyers are drawn at once.
    let mut month = (known.is_none() && links.is_none()).then(Month::default);
    debug_assert!(month.is_some() || !shared.thinned);
    // Day by day, known clicks have their own day-to-day noise.
    let day_noise = noise.filter(|_| known.is_none());
    let months = monthly_clicks(w.clicks_per_month, w.monthly_growth, cal.months());
    for (m, month_clicks) in months.enumerate() {
        idle.iter_mut().for_each(|x| *x = 0.0);
        shared.idle.iter_mut().for_each(|x| *x = 0.0);
        if let Some(month) = &mut month {
            // The month's buyers at once: how many, then each one's day.
            let noise = (noise, &mut noise_rng);
            month.draw((w, cal, m), month_clicks, noise, &mut cat_rngs, shared);
            idle.copy_from_slice(&month.idle);
            for (c, (_, order_rng)) in cat_rngs.iter_mut().enumerate() {
                book.month_buyers(lanes, m, c, month, order_rng);
            }
        }
        // Else day by day: a day's buyers depend on the day's known clicks, or on the link
        // book, which the day before changes.
        let days = cal.month_start[m]..cal.month_start[m + 1];
        for d in days.filter(|_| month.is_none()) {
            if let Some(k) = known {
                let today = k.get(d).copied().unwrap_or(0);
                split_clicks(today, w, &mut split, &mut noise_rng);
            }
            let factor = day_noise.map_or(1.0, |g| g.sample(&mut noise_rng));
            let cookie = cookie_on(cal, w, d);
            for (c, ((cat, (click_rng, order_rng)), idle)) in w
                .categories
                .iter()
                .zip(cat_rngs.iter_mut())
                .zip(idle.iter_mut())
                .enumerate()
            {
                let (lambda, mut p) = day_clicks(month_clicks, cal, d, factor, cat);
                let keep = links.as_deref_mut().map(|l| {
                    p = l.conversion(
                        c,
                        d,
                        cat.conversion_rate * cal.conversion_factor[d],
                        dead_link_conversion,
                    );
                    &l.keep[..]
                });
                let today = known.map(|_| split[c]);
                let (now, later) = book.day_buyers(d, c, today, lambda, p, idle, click_rng);
                if now + later > 0 {
                    let at = OneDay::new(d, cookie, keep);
                    book.buyers(lanes, c, (now, later), &at, order_rng);
                }
            }
        }
        // Clicks only appear as monthly totals, so the month's other clicks are booked on
        // its first day.
        for (c, (own, (click_rng, _))) in idle.iter().zip(cat_rngs.iter_mut()).enumerate() {
            book.idle_clicks(cal.month_start[m], c, shared.idle(c, own), click_rng);
        }
    }
    book.follow_rest(lanes, &mut cat_rngs);
    let opening = match pipeline {
        Some(p) => {
            let rng = &mut stream(sc.seed, trial, Stream::Pipeline);
            book.pipeline(p, &mut lanes.fates, rng);
            p.opening()
        }
        None => Opening::default(),
    };
    if let (Some(l), Some(money)) = (links, cadence_money) {
        l.confirmed = money;
    }
    (shared.others, shared.same_buyers, shared.sets) = (others, same_buyers, sets);
    opening
}

/// The expected same-session and later buyers among `lambda` expected clicks converting at
/// `p`, of which a share `share` buy in the click's session.
#[inline]
fn buyer_means(lambda: f64, p: f64, share: f64) -> (f64, f64) {
    (lambda * p * share, lambda * p * (1.0 - share))
}

/// A category's expected clicks on day `d` of a month of `month_clicks` whose traffic noise
/// that day is `factor`, and their conversion.
#[inline]
fn day_clicks(
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
struct Month {
    /// Per day of the month, traffic's noise factor.
    factors: Vec<f64>,
    /// Per category: the month's same-session and later buyers.
    counts: Vec<(u64, u64)>,
    /// Per category: the days its buyers click on (unless drawn by day).
    days: Vec<ClickDays>,
    /// Per category: whose table in `days` gives its buyers' days. Categories whose
    /// conversion is nowhere capped at 1 have expected buyers in the same proportion from
    /// day to day (traffic, its noise and the conversion's factor; up to rounding in the
    /// last bit), so the first of them with buyers lends its table to the others. When
    /// thinned, each day's buyers are the most any variant expects: no table is lent.
    table_of: Vec<usize>,
    /// Per category: whether its buyers are counted day by day (in `by_day`), which costs
    /// less than finding each one's day when a day has many ([`BY_DAY`]).
    daily: Vec<bool>,
    /// Per category, per day: the same-session and later buyers, when counted by day.
    by_day: Vec<(u64, u64)>,
    /// Per category: the forecast's own expected clicks that buy nothing.
    idle: Vec<f64>,
    /// When thinned, per category, per day: each variant's share of the day's buyers.
    keeps: Vec<f64>,
    /// Variants with a share (0 unless thinned).
    variants: usize,
    /// Per day, a category's expected buyers.
    expected: Vec<f64>,
    /// Per day of the month, the cookie of its clicks (an event's, else the program's).
    cookies: Vec<f64>,
}

impl Month {
    /// Draws month `m`'s noise and buyers, which `month_clicks` expects; when the buyers are
    /// thinned among variants, at the most any variant expects ([`Shared::day`]).
    fn draw(
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
    fn on(&self, c: usize, i: usize) -> (u64, u64) {
        self.by_day[c * self.factors.len() + i]
    }

    /// When thinned, each variant's share of category `c`'s buyers on the month's day `i`.
    fn keep(&self, c: usize, i: usize) -> Option<&[f64]> {
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
struct ClickDays {
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
fn cookie_on(cal: &Calendar, w: &World, d: usize) -> f64 {
    cal.cookie_override[d].unwrap_or(w.cookie_days)
}

/// An order's commission as confirmed and as reversed (one of them 0), and 1 when confirmed:
/// without a branch, since whether an order is confirmed is a coin flip a branch predictor
/// would often get wrong.
#[inline(always)] // once per order booked
fn outcome(commission: Cents, confirmed: bool) -> (Cents, Cents, i64) {
    let ok = i64::from(confirmed);
    (commission * ok, commission * (1 - ok), ok)
}

/// Each variant's world in trial `trial`.
fn worlds<'a>(variants: impl Iterator<Item = &'a Scenario>, trial: u64) -> Vec<World> {
    variants
        .map(|v| World::draw(v, &mut stream(v.seed, trial, Stream::World)))
        .collect()
}

/// Each category's two streams in trial `trial`: its clicks and buyers, its orders.
fn category_streams(seed: u64, trial: u64, categories: usize) -> Vec<(TrialRng, TrialRng)> {
    (0..categories)
        .map(|c| {
            let streams = [Stream::Clicks(c), Stream::Orders(c)];
            let [clicks, orders] = streams.map(|which| stream(seed, trial, which));
            (clicks, orders)
        })
        .collect()
}

/// A day's known clicks split over the categories by their shares (a multinomial draw as a
/// chain of binomials).
fn split_clicks(clicks: u64, w: &World, split: &mut [u64], rng: &mut TrialRng) {
    let (mut left, mut share_left) = (clicks, 1.0);
    for (n, cat) in split.iter_mut().zip(&w.categories) {
        *n = draw_binomial(left, cat.share / share_left, rng);
        left -= *n;
        share_left -= cat.share;
    }
}

/// The bit of an order's cadences that says it exists under variant `v` after the first: its
/// own when the buyers are thinned, else the first's ([`OWN`]), which every order then has.
fn variant_bit(thinned: bool, v: usize) -> Cadences {
    if thinned { 1 << (v + 1) } else { OWN }
}

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

/// A binomial count of `n` trials at probability `p` (clamped into 0..=1).
#[inline]
fn draw_binomial(n: u64, p: f64, rng: &mut TrialRng) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    match Binomial::new(n, p.min(1.0)) {
        Ok(b) => b.sample(rng),
        Err(_) => n,
    }
}

/// Draws of an order's fate before giving up on one that outlasts the model's outcomes.
const MAX_FATE_DRAWS: usize = 1000;

/// The largest expected count of one draw (a day's buyers of a category, a month's clicks):
/// far beyond any real site, and small enough that no sum of cents or counts can overflow.
/// Runs this large are refused before they start unless forced.
const MAX_LAMBDA: f64 = 1e12;

/// A Poisson count; 0 for a zero (or NaN) mean.
#[inline(always)] // per day and category on the day-by-day path
fn draw_poisson(lambda: f64, rng: &mut TrialRng) -> u64 {
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

/// Where a batch of buyers of a category clicked: the moment of each click from the upper
/// half of its buyer's word, and, for the click's day, the cookie and each cadence's (or
/// variant's) share of the day's buyers.
trait Clicked {
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
struct OneDay<'a> {
    day: usize,
    cookie: f64,
    keep: Option<&'a [f64]>,
}

impl<'a> OneDay<'a> {
    fn new(day: usize, cookie: f64, keep: Option<&'a [f64]>) -> Self {
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
struct MonthDays<'a> {
    /// The month's first day.
    first: usize,
    days: &'a ClickDays,
    month: &'a Month,
    c: usize,
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

/// Books orders into the day array as their lifecycle unfolds.
struct Book<'a> {
    w: &'a World,
    /// The trial's calendar (when thinned, the sets' sums are kept by its months).
    cal: &'a Calendar,
    /// The trial's fates as a table, when [`FateTable::for_scenario`] gives one.
    table: Option<&'a FateTable>,
    cap: Cents,
    invalid_after: f64,
    /// Days in the horizon: anything at or after it is not booked.
    horizon: f64,
    /// The first day of the run-rate window.
    recent_from: usize,
    days: &'a mut [DayFlows],
    /// Totals by category and region.
    parts: &'a mut Parts,
    /// With `[links]`: per cadence, the commission confirmed by day of its orders.
    cadences: Option<&'a mut [Vec<Cents>]>,
    /// With shared buyers: the variants after the first, each booked like the first.
    others: &'a mut [VariantDays],
    /// Whether the buyers are thinned among the variants: then a variant has the orders its
    /// bit of their cadences says, and its clicks are booked buyer by buyer rather than as
    /// the day's count.
    thinned: bool,
    /// When the variants after the first have the same buyers (not thinned): what each one's
    /// orders are worth and what becomes of them. Every order exists under every variant.
    same_buyers: &'a [SameBuyers],
    /// When thinned: the orders of each set of variants, booked once.
    sets: &'a mut Sets,
}

impl Book<'_> {
    /// A day's buyers of category `c` (same-session and later) at conversion `p`, its clicks
    /// booked: from the day's `known` clicks (a binomial share of them), else from the
    /// expected clicks `lambda` (Poisson splitting: buyers and the other clicks are
    /// independent Poisson counts; the others are only needed as a monthly count, added to
    /// `idle`).
    #[allow(clippy::too_many_arguments)] // one day of one category
    #[allow(clippy::cast_possible_truncation)] // counts capped at MAX_LAMBDA fit in i64
    fn day_buyers(
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
    fn month_buyers(
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
    fn idle_clicks(&mut self, first: usize, c: usize, idle: &[f64], rng: &mut TrialRng) {
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
    fn buyers(
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
    fn follow_rest(&mut self, lanes: &mut Lanes, rngs: &mut [(TrialRng, TrialRng)]) {
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
        orders.days(self.horizon);
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
                self.days[orders.pay_day[i] as usize].pay(orders.value[i], commission);
                for part in [&mut cat, &mut self.parts.regions[r]] {
                    part.pay(commission);
                }
            }
            if let Some(day) = orders.resolve_day(i) {
                let confirmed = orders.fates.confirmed[i];
                self.book_resolution(day, confirmed, commission, &mut cat, r, mask);
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
            days[orders.pay_day[i] as usize].pay(value, commission);
            regions[r].pay(commission);
            earned += commission;
            if let Some(day) = orders.resolve_day(i) {
                let (yes, no, ok) = outcome(commission, orders.fates.confirmed[i]);
                let rec = yes * i64::from(day >= recent_from);
                days[day].resolve(yes, no, ok);
                regions[r].resolve(yes, no, rec);
                (confirmed, reversed, recent) = (confirmed + yes, reversed + no, recent + rec);
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
        // The order as the first variant has it: its value, commission, outcome, region and
        // resolution day.
        let first = |i: usize| {
            let fate = (orders.fates.confirmed[i], orders.fates.region[i] as usize);
            (
                (orders.value[i], orders.commission[i]),
                fate,
                orders.resolve_day(i),
            )
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
                let day = resolve_day(orders.paid_at[i], after, horizon);
                ((ok, r as usize), (day != BEYOND).then_some(day as usize))
            };
            match (s.worth_alike, &s.fates) {
                (true, None) => o.book(orders, c, bit, recent_from, first),
                (false, None) => o.book(orders, c, bit, recent_from, |i| {
                    let (_, fate, day) = first(i);
                    (orders.money_under(i, cat, s.cap), fate, day)
                }),
                (true, Some(t)) => o.book(orders, c, bit, recent_from, |i| {
                    let (fate, day) = fate_under(t, i);
                    (first(i).0, fate, day)
                }),
                (false, Some(t)) => o.book(orders, c, bit, recent_from, |i| {
                    let (fate, day) = fate_under(t, i);
                    (orders.money_under(i, cat, s.cap), fate, day)
                }),
            }
        }
    }

    /// The orders of an opening pipeline: each follows its lifecycle given that it had not
    /// resolved at the export (drawn until a fate comes later than the order's age), and is
    /// booked when it resolves; anything resolving before the first day is booked on it.
    fn pipeline(&mut self, p: &Pipeline, fates: &mut Fates, rng: &mut TrialRng) {
        let w = self.w;
        let total_share: f64 = w.categories.iter().map(|c| c.share).sum();
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
            // Fates are drawn in batches that double (most orders take the first) and the
            // first one later than the order's age is taken, as if drawn one by one. An order
            // the model cannot have left open this long (every fate ends by the cut-off) was
            // never confirmed: it is voided ("Invalid") at the cut-off, or at once if past it.
            let mut outcome = (o.age, false, 0);
            let (mut drawn, mut batch) = (0, 1);
            if o.age >= self.invalid_after {
                drawn = MAX_FATE_DRAWS;
            }
            'draws: while drawn < MAX_FATE_DRAWS {
                let n = batch.min(MAX_FATE_DRAWS - drawn);
                fates.draw(w, cat, self.invalid_after, n, rng);
                for i in 0..n {
                    outcome = (fates.after[i], fates.confirmed[i], fates.region[i] as usize);
                    if outcome.0 > o.age {
                        break 'draws;
                    }
                }
                drawn += n;
                batch = (batch * 2).min(LANES);
            }
            if outcome.0 <= o.age {
                outcome = (self.invalid_after.max(o.age), false, outcome.2);
            }
            let after = outcome.0;
            let (paid_at, commission) = ((o.paid_at + after).max(0.0), o.commission);
            self.resolve(paid_at, outcome.1, commission, c, outcome.2, EVERY_CADENCE);
        }
    }

    /// Books an order's confirmation or reversal at `at` (days), if within the horizon.
    #[allow(clippy::cast_possible_truncation)] // days of a horizon (at most 120 months)
    fn resolve(
        &mut self,
        at: f64,
        confirmed: bool,
        commission: Cents,
        c: usize,
        r: usize,
        mask: Cadences,
    ) {
        if at < self.horizon {
            let mut cat = std::mem::take(&mut self.parts.categories[c]);
            self.book_resolution(at as usize, confirmed, commission, &mut cat, r, mask);
            self.parts.categories[c] = cat;
        }
    }

    /// Books an order's confirmation or reversal on day `day`.
    #[inline(always)] // once per order, in the engine's innermost loop
    fn book_resolution(
        &mut self,
        day: usize,
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
            self.days[day].resolve(yes, no, ok);
            for part in [cat, &mut self.parts.regions[r]] {
                part.resolve(yes, no, recent);
            }
        }
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

    #[test]
    fn orders_booked_once_per_set_of_variants_are_booked_as_under_each_variant() {
        // The built-in scenario and its category mixes, thinned: with sums for every set,
        // for two sets only (the other orders booked under each variant), and for none.
        // Settled daily, so that the day each commission is confirmed counts.
        let mut sc = crate::scenario::builtin();
        sc.program.settlement = crate::model::Settlement::Daily { lag_days: 2 };
        let variants: Vec<Scenario> = std::iter::once(sc.clone())
            .chain(sc.mixes.iter().map(|m| sc.with_mix(m)))
            .collect();
        let cal = sc.calendar();
        let shared: Vec<_> = variants.iter().map(|v| (v, &cal)).collect();
        let ledgers = |most: Option<usize>| {
            let mut scratch = Scratch::default();
            scratch.shared.sets.most = most;
            let mut all = Vec::new();
            for t in 0..30 {
                let mut trial = scratch.simulate_shared(&shared, t);
                for v in 0..variants.len() {
                    all.push(trial.variant_ledger(v, &cal, &sc.program));
                }
            }
            (all, scratch.shared.sets.used)
        };
        let (none, used) = ledgers(Some(0));
        assert_eq!(used, 0);
        for most in [None, Some(2)] {
            let (booked, used) = ledgers(most);
            assert!(used >= 2 && used <= most.unwrap_or(SETS), "{used} sets");
            assert!(booked == none, "sets of at most {most:?}: ledgers differ");
        }
    }
}
