//! One trial: clicks → buyers → attributed orders → their lifecycle, booked by day, then the
//! money followed through settlement and withdrawals.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Binomial, Distribution, Exp1, Gamma, Poisson};

use super::world::{CategoryWorld, LinkWorld, World};
use crate::ledger::{DayFlows, Opening, Parts, PayoutOutcome, TrialLedger};
use crate::model::links::{advice_cadences, alive_by_day, conversion_factor};
use crate::model::{Calendar, Cents, Program, Scenario, money, monthly_clicks};
use crate::pipeline::Pipeline;

/// The generator every trial uses; named so that forecasts do not change with `rand` releases.
pub type TrialRng = Xoshiro256PlusPlus;

/// Largest order value in cents (10 million currency units): a lognormal tail cannot
/// overflow the sums.
const MAX_ORDER_CENTS: f64 = 1e9;

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
        self.simulate_world(sc, pipeline, cal, &world, trial)
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
            on.then_some(&mut self.links),
        );
        Simulated {
            days: &self.days,
            arrivals: &mut self.arrivals,
            parts: &self.parts,
            links: on.then_some(&self.links),
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
    opening: Opening,
}

impl Simulated<'_> {
    /// The trial's monthly accounts: its money followed through settlement and withdrawals.
    pub fn ledger(&mut self, cal: &Calendar, program: &Program) -> TrialLedger {
        TrialLedger::close_with_opening(self.days, cal, program, self.arrivals, self.opening)
            .with_parts(self.parts.clone())
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

/// A buyer's cadences as bits: bit `k` set when the buyer exists under cadence `k`. Bit 0 is
/// the scenario's own cadence, the one its forecast books.
type Cadences = u8;
const OWN: Cadences = 1;
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
#[allow(clippy::too_many_arguments)] // one trial's inputs and its three pieces of working memory
fn book_days(
    sc: &Scenario,
    pipeline: Option<&Pipeline>,
    cal: &Calendar,
    w: &World,
    trial: u64,
    days: &mut Vec<DayFlows>,
    parts: &mut Parts,
    mut links: Option<&mut LinkBook>,
) -> Opening {
    let n_days = cal.days();
    days.clear();
    days.resize(n_days, DayFlows::default());
    let days = &mut days[..];
    parts.reset(w.categories.len(), w.regions.len());

    let mut noise_rng = stream(sc.seed, trial, Stream::TrafficNoise);
    let od = sc.traffic.overdispersion;
    let noise = (od > 0.0).then(|| Gamma::new(1.0 / (od * od), od * od).expect("cv > 0"));
    let mut cat_rngs: Vec<(TrialRng, TrialRng)> = (0..w.categories.len())
        .map(|c| {
            (
                stream(sc.seed, trial, Stream::Clicks(c)),
                stream(sc.seed, trial, Stream::Orders(c)),
            )
        })
        .collect();
    let dead_link_conversion = w.links.as_ref().map_or(0.0, |l| l.dead_link_conversion);
    let mut cadence_money = links.as_mut().map(|l| std::mem::take(&mut l.confirmed));
    let mut book = Book {
        w,
        cap: sc.program.commission_cap,
        invalid_after: sc.program.invalid_after_days,
        horizon: n_days as f64,
        recent_from: cal.month_start[TrialLedger::run_rate_from(cal.months())] as f64,
        days,
        parts,
        cadences: cadence_money.as_deref_mut(),
    };

    // Expected clicks that do not end in a purchase, per category, this month.
    let mut idle = vec![0.0; w.categories.len()];
    // Known clicks (a backtest): each day's clicks split over the categories by their shares.
    let known = sc.traffic.known_clicks.as_deref();
    let mut split = vec![0u64; w.categories.len()];
    let months = monthly_clicks(w.clicks_per_month, w.monthly_growth, cal.months());
    for (m, month_clicks) in months.enumerate() {
        idle.iter_mut().for_each(|x| *x = 0.0);
        for d in cal.month_start[m]..cal.month_start[m + 1] {
            if let Some(k) = known {
                split_clicks(
                    k.get(d).copied().unwrap_or(0),
                    w,
                    &mut split,
                    &mut noise_rng,
                );
            }
            let factor = match (known, noise) {
                (None, Some(g)) => g.sample(&mut noise_rng),
                _ => 1.0,
            };
            let rate = month_clicks * cal.traffic_factor[d] * factor;
            let cookie = cal.cookie_override[d].unwrap_or(w.cookie_days);
            let conversion_factor = cal.conversion_factor[d];
            for (c, ((cat, (click_rng, order_rng)), idle)) in w
                .categories
                .iter()
                .zip(cat_rngs.iter_mut())
                .zip(idle.iter_mut())
                .enumerate()
            {
                let lambda = rate * cat.share;
                let mut p = (cat.conversion_rate * conversion_factor).min(1.0);
                let keep = match links.as_deref_mut() {
                    Some(l) => {
                        p = l.conversion(
                            c,
                            d,
                            cat.conversion_rate * conversion_factor,
                            dead_link_conversion,
                        );
                        Some(&l.keep[..])
                    }
                    None => None,
                };
                let today = known.map(|_| split[c]);
                let (now, later) = book.day_buyers(d, c, today, lambda, p, idle, click_rng);
                if now + later > 0 {
                    book.buyers(d, c, now, later, cookie, keep, order_rng);
                }
            }
        }
        // Clicks only appear as monthly totals, so the month's other clicks are booked on
        // its first day.
        for (c, (idle, (click_rng, _))) in idle.iter().zip(cat_rngs.iter_mut()).enumerate() {
            let clicks = draw_poisson(*idle, click_rng) as i64;
            book.days[cal.month_start[m]].clicks += clicks;
            book.parts.categories[c].clicks += clicks;
        }
    }
    let opening = match pipeline {
        Some(p) => {
            book.pipeline(p, &mut stream(sc.seed, trial, Stream::Pipeline));
            p.opening()
        }
        None => Opening::default(),
    };
    if let (Some(l), Some(money)) = (links, cadence_money) {
        l.confirmed = money;
    }
    opening
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

/// Two independent uniforms in [0, 1) from one 64-bit draw (32 bits each: a resolution of
/// 2.3e-10, far finer than any rate or share in a scenario).
#[inline]
fn two_uniforms(rng: &mut TrialRng) -> (f64, f64) {
    const SCALE: f64 = 1.0 / 4_294_967_296.0;
    let x = rand::Rng::next_u64(rng);
    ((x >> 32) as f64 * SCALE, (x & 0xFFFF_FFFF) as f64 * SCALE)
}

/// The largest expected count of one draw (a day's buyers of a category, a month's clicks):
/// far beyond any real site, and small enough that no sum of cents or counts can overflow.
/// Runs this large are refused before they start unless forced.
const MAX_LAMBDA: f64 = 1e12;

/// A Poisson count; 0 for a zero (or NaN) mean.
#[inline]
#[allow(clippy::cast_possible_truncation)] // days of a horizon (at most 120 months) and counts capped at MAX_LAMBDA and MAX_ORDER_CENTS fit their integer types
fn draw_poisson(lambda: f64, rng: &mut TrialRng) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0;
    }
    match Poisson::new(lambda.min(MAX_LAMBDA)) {
        Ok(p) => p.sample(rng) as u64,
        Err(_) => MAX_LAMBDA as u64,
    }
}

/// Books orders into the day array as their lifecycle unfolds.
struct Book<'a> {
    w: &'a World,
    cap: Cents,
    invalid_after: f64,
    /// Days in the horizon: anything at or after it is not booked.
    horizon: f64,
    /// The first day of the run-rate window.
    recent_from: f64,
    days: &'a mut [DayFlows],
    /// Totals by category and region.
    parts: &'a mut Parts,
    /// With `[links]`: per cadence, the commission confirmed by day of its orders.
    cadences: Option<&'a mut [Vec<Cents>]>,
}

impl Book<'_> {
    /// A day's buyers of category `c` (same-session and later) at conversion `p`, its clicks
    /// booked: from the day's known clicks (a binomial share of them), else from the expected
    /// clicks `lambda` (Poisson splitting: buyers and the other clicks are independent Poisson
    /// counts; the others are only needed as a monthly count, added to `idle`).
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
                let now = draw_poisson(lambda * p * share, rng);
                let later = draw_poisson(lambda * p * (1.0 - share), rng);
                (now, later, now + later)
            }
        };
        self.days[d].clicks += clicks as i64;
        self.parts.categories[c].clicks += clicks as i64;
        (now, later)
    }

    /// The buyers among day `d`'s clicks of one category: when they buy and whether the
    /// purchase is attributed to us.
    #[inline]
    #[allow(clippy::cast_possible_truncation)]
    // days of a horizon (at most 120 months) and counts capped at MAX_LAMBDA and MAX_ORDER_CENTS fit their integer types
    #[allow(clippy::too_many_arguments)] // a day's buyers of one category and how to follow them
    fn buyers(
        &mut self,
        d: usize,
        c: usize,
        now: u64,
        later: u64,
        cookie: f64,
        keep: Option<&[f64]>,
        rng: &mut TrialRng,
    ) {
        let w = self.w;
        // The cadences a buyer exists under (with `[links]`: one uniform against each
        // cadence's share of the day's buyers).
        let cadences = |rng: &mut TrialRng| match keep {
            None => OWN,
            Some(keep) => {
                let u = rng.random::<f64>();
                keep.iter()
                    .enumerate()
                    .fold(0, |bits, (k, &x)| bits | (Cadences::from(u < x) << k))
            }
        };
        for _ in 0..now {
            let mask = cadences(rng);
            let click_at = d as f64 + rng.random::<f64>();
            self.order(click_at, c, mask, rng);
        }
        for _ in 0..later {
            let mask = cadences(rng);
            let click_at = d as f64 + rng.random::<f64>();
            let delay = w.purchase_delay.sample(rng);
            let paid_at = click_at + delay;
            if paid_at >= self.horizon {
                continue;
            }
            // The cookie survives `delay` days of overwrites with probability
            // exp(−rate·delay): an Exp(1) draw above rate·delay, without computing exp.
            let attributed = delay <= cookie
                && (w.overwrite_rate == 0.0
                    || Distribution::<f64>::sample(&Exp1, rng) > w.overwrite_rate * delay);
            if attributed {
                self.order(paid_at, c, mask, rng);
            } else if mask & OWN != 0 {
                self.days[paid_at as usize].orders_lost += 1;
            }
        }
    }

    /// One attributed order paid at `paid_at` (days): its commission and its fate, booked
    /// under the cadences in `mask` (the forecast's when it holds [`OWN`]).
    #[inline]
    #[allow(clippy::cast_possible_truncation)] // days of a horizon (at most 120 months) and counts capped at MAX_LAMBDA and MAX_ORDER_CENTS fit their integer types
    fn order(&mut self, paid_at: f64, c: usize, mask: Cadences, rng: &mut TrialRng) {
        let w = self.w;
        let cat = &w.categories[c];
        // Rounded half up to whole cents (values are positive), at least one cent.
        let value =
            (cat.order_value.sample(rng) * 100.0 + 0.5).clamp(1.0, MAX_ORDER_CENTS) as Cents;
        let (u_hot, u_new) = if cat.hot_share > 0.0 || cat.new_buyer_share > 0.0 {
            two_uniforms(rng)
        } else {
            (1.0, 1.0)
        };
        let rate = if u_hot < cat.hot_share {
            cat.hot_rate
        } else {
            cat.rate
        };
        let mut commission = money::apply_rate(value, rate).min(self.cap);
        if u_new < cat.new_buyer_share {
            commission += cat.new_buyer_bonus;
        }
        let own = mask & OWN != 0;
        if own {
            let pay = &mut self.days[paid_at as usize];
            pay.orders += 1;
            pay.gmv += value;
            pay.earned += commission;
            let part = &mut self.parts.categories[c];
            part.orders += 1;
            part.earned += commission;
        }
        let (after, confirmed, r) = fate(w, cat, self.invalid_after, rng);
        if own {
            let region = &mut self.parts.regions[r];
            region.orders += 1;
            region.earned += commission;
        }
        self.resolve(paid_at + after, confirmed, commission, c, r, mask);
    }

    /// The orders of an opening pipeline: each follows its lifecycle given that it had not
    /// resolved at the export (drawn until a fate comes later than the order's age), and is
    /// booked when it resolves; anything resolving before the first day is booked on it.
    fn pipeline(&mut self, p: &Pipeline, rng: &mut TrialRng) {
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
            let mut outcome = (o.age, false, 0);
            for _ in 0..MAX_FATE_DRAWS {
                let f = fate(w, cat, self.invalid_after, rng);
                outcome = f;
                if f.0 > o.age {
                    break;
                }
            }
            // An order that outlived every drawn fate resolves at once, as its last draw did.
            let after = outcome.0.max(o.age);
            let (paid_at, commission) = ((o.paid_at + after).max(0.0), o.commission);
            self.resolve(paid_at, outcome.1, commission, c, outcome.2, EVERY_CADENCE);
        }
    }

    /// Books an order's confirmation or reversal at `at` (days), if within the horizon.
    #[inline]
    #[allow(clippy::cast_possible_truncation)] // days of a horizon (at most 120 months) and counts capped at MAX_LAMBDA and MAX_ORDER_CENTS fit their integer types
    fn resolve(
        &mut self,
        at: f64,
        confirmed: bool,
        commission: Cents,
        c: usize,
        r: usize,
        mask: Cadences,
    ) {
        if at >= self.horizon {
            return;
        }
        if let Some(cadences) = self.cadences.as_deref_mut()
            && confirmed
        {
            for (k, money) in cadences.iter_mut().enumerate() {
                if mask >> k & 1 != 0 {
                    money[at as usize] += commission;
                }
            }
        }
        if mask & OWN != 0 {
            let day = &mut self.days[at as usize];
            let (cat, region) = (&mut self.parts.categories[c], &mut self.parts.regions[r]);
            if confirmed {
                day.confirmed += commission;
                day.orders_confirmed += 1;
                cat.confirmed += commission;
                region.confirmed += commission;
                if at >= self.recent_from {
                    cat.confirmed_recent += commission;
                    region.confirmed_recent += commission;
                }
            } else {
                day.reversed += commission;
                day.orders_reversed += 1;
                cat.reversed += commission;
                region.reversed += commission;
            }
        }
    }
}

/// What becomes of a paid order: days from payment to its resolution, whether it is
/// confirmed (else reversed), and the index of its buyer's region: cancelled before shipment, refunded after delivery,
/// confirmed by the buyer or automatically when buyer protection ends, voided if not
/// confirmed within `invalid_after` days.
#[inline]
pub(super) fn fate(
    w: &World,
    cat: &CategoryWorld,
    invalid_after: f64,
    rng: &mut TrialRng,
) -> (f64, bool, usize) {
    let (u_region, u_cancel) = two_uniforms(rng);
    // The region is the number of cumulative shares at or below the uniform: counted without
    // branches, as a search would mispredict on every mixed region.
    let last = w.regions.len() - 1;
    let index = w.regions[..last]
        .iter()
        .map(|r| (u_region >= r.cumulative_share) as usize)
        .sum::<usize>();
    let region = &w.regions[index];
    let processing = w.processing.sample(rng);
    if u_cancel < cat.cancel_rate {
        return (rng.random::<f64>() * processing, false, index);
    }
    let delivered = processing + region.shipping.sample(rng);
    let (u_refund, u_confirm) = two_uniforms(rng);
    if u_refund < cat.refund_rate {
        let refunded = delivered + w.refund_delay.sample(rng);
        return (refunded.min(invalid_after), false, index);
    }
    let auto = region.auto_confirm_days.max(delivered);
    let confirm = if u_confirm < w.confirm_receipt_share {
        (delivered + w.confirm_delay.sample(rng)).min(auto)
    } else {
        auto
    };
    if confirm > invalid_after {
        (invalid_after, false, index)
    } else {
        (confirm, true, index)
    }
}
