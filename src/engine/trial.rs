//! One trial: clicks → buyers → attributed orders → their lifecycle, booked by day, then the
//! money followed through settlement and withdrawals.

use rand_distr::{Distribution, Gamma};

use super::book::Book;
use super::days::{Month, OneDay, cookie_on, day_clicks};
use super::lanes::Lanes;
use super::links::{LinkBook, TrialLinks};
use super::rng::{Stream, TrialRng, category_streams, draw_binomial, stream};
use super::shared::{SameBuyers, Shared, VariantDays};
use super::table::FateTable;
use super::world::World;
use crate::ledger::{DayFlows, Opening, Parts, PayoutOutcome, TrialLedger};
use crate::model::{Calendar, Cents, Program, Scenario, monthly_clicks};
use crate::pipeline::Pipeline;

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
            book.pipeline(p, rng);
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

/// Each variant's world in trial `trial`.
fn worlds<'a>(variants: impl Iterator<Item = &'a Scenario>, trial: u64) -> Vec<World> {
    variants
        .map(|v| World::draw(v, &mut stream(v.seed, trial, Stream::World)))
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

#[cfg(test)]
mod tests {
    use super::super::shared::SETS;
    use super::*;

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
