//! `affcast fit`: a scenario estimated from an affiliate's own order export.

pub mod groups;

pub mod survival;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, Months, NaiveDate};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::exports::{Export, OrderRecord, Source, Status};
use crate::model::{LogNormal, Preset, Program};
use crate::scenario::params::{self, Section};
use survival::KaplanMeier;

/// Orders paid at least this many days before the export are old enough that their fate
/// (confirmed or reversed) is nearly always known; reversal rates come from them.
pub const MATURE_DAYS: f64 = 120.0;
/// A reversal this soon after payment counts as a cancellation before shipment.
pub const CANCEL_WITHIN_DAYS: f64 = 7.0;
/// Shipping p90 / median of the fitted region (the default region's 30 / 14).
pub const SHIPPING_RATIO: f64 = 30.0 / 14.0;

/// What `fit` produced: the scenario text and the lines to tell the user.
#[derive(Debug, Clone)]
pub struct Fit {
    pub toml: String,
    pub report: Vec<String>,
    /// The fitted payment → confirmation delay: estimate (median, p90) and model (median, p90).
    pub delay: Option<DelayFit>,
}

/// How well the model's payment → confirmation delay matches the survival estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DelayFit {
    pub km_median: f64,
    pub km_p90: Option<f64>,
    pub model_median: f64,
    pub model_p90: f64,
    pub confirm_receipt_share: f64,
    pub shipping_median: f64,
}

fn days(a: chrono::NaiveDateTime, b: chrono::NaiveDateTime) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    use statrs::statistics::{Data, OrderStatistics};
    Data::new(values).quantile(q)
}

fn median_of(mut v: Vec<f64>) -> Option<f64> {
    (!v.is_empty()).then(|| quantile(&mut v, 0.5))
}

/// The program rules of a preset, checked.
pub fn preset_program(preset: Preset) -> Program {
    let text = format!(
        "start = \"2027-01\"\n[program]\npreset = \"{}\"\n[traffic]\nclicks_per_month = 1\n[[categories]]\nname = \"x\"\nshare = 1\nconversion_rate = 0.01\norder_value = 1\ncommission_rate = 0.01\n",
        preset.name()
    );
    crate::scenario::parse(&text, "(preset)")
        .expect("a preset alone is valid")
        .program
}

/// Share of buyers whose purchase is attributed under a program's cookie rules (central
/// values), by simulation with a fixed seed.
pub fn attribution_share(p: &Program) -> f64 {
    let s = p.same_session_share.central();
    let cookie = p.cookie_days.central();
    let overwrite = p.overwrite_rate.central();
    let delay = p.purchase_delay.central();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let n = 200_000;
    let kept: f64 = (0..n)
        .map(|_| {
            let d = delay.sample(&mut rng);
            if d <= cookie {
                (-overwrite * d).exp()
            } else {
                0.0
            }
        })
        .sum::<f64>()
        / n as f64;
    s + (1.0 - s) * kept
}

/// Fixed standard-normal and uniform draws, so the model's delay quantiles change smoothly
/// with the parameters being fitted (common random numbers).
struct DelayDraws {
    processing: Vec<f64>,
    shipping: Vec<f64>,
    confirm: Vec<f64>,
    buyer: Vec<f64>,
}

impl DelayDraws {
    fn new(n: usize) -> Self {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let mut normal =
            || -> Vec<f64> { (0..n).map(|_| StandardNormal.sample(&mut rng)).collect() };
        let (processing, shipping, confirm) = (normal(), normal(), normal());
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let buyer = (0..n)
            .map(|_| rand::RngExt::random::<f64>(&mut rng))
            .collect();
        DelayDraws {
            processing,
            shipping,
            confirm,
            buyer,
        }
    }
}

/// `d` at the standard normal `z`: `exp(mu + sigma·z)`, exactly the median when `sigma = 0`.
/// In double precision: the fit keeps the C library's `exp`, where the engine's
/// [`LogNormal::at`] takes a single-precision one made for its batches.
fn lognormal_at(d: LogNormal, z: f64) -> f64 {
    if d.sigma == 0.0 {
        d.median
    } else {
        (d.mu + d.sigma * z).exp()
    }
}

/// The model's delays at the fixed draws, as a fit varies the shipping median and the share
/// of buyers who confirm: processing and the buyer's delay do not vary, so they are worked
/// out once; delivery, once per shipping median.
#[derive(Clone)]
struct DelayModel<'a> {
    p: &'a Program,
    draws: &'a DelayDraws,
    processing: Vec<f64>,
    confirm: Vec<f64>,
    /// Days from payment to delivery of every draw, at the last shipping median set.
    delivered: Vec<f64>,
    scratch: Vec<f64>,
}

impl<'a> DelayModel<'a> {
    fn new(p: &'a Program, draws: &'a DelayDraws) -> Self {
        let at = |d: LogNormal, zs: &[f64]| zs.iter().map(|&z| lognormal_at(d, z)).collect();
        DelayModel {
            p,
            draws,
            processing: at(p.processing.central(), &draws.processing),
            confirm: at(p.confirm_delay.central(), &draws.confirm),
            delivered: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Sets the shipping median.
    fn ship(&mut self, shipping_median: f64) {
        let shipping = LogNormal::from_median_p90(shipping_median, SHIPPING_RATIO);
        let shipped = self
            .draws
            .shipping
            .iter()
            .map(|&z| lognormal_at(shipping, z));
        self.delivered.clear();
        self.delivered
            .extend(self.processing.iter().zip(shipped).map(|(a, b)| a + b));
    }

    /// Quantiles `qs` of the model's days from payment to confirmation, for orders that are
    /// neither cancelled nor refunded, at the shipping median last set and `share` of buyers
    /// who confirm.
    fn quantiles(&mut self, share: f64, qs: &[f64]) -> Vec<f64> {
        let p = self.p;
        let each = self
            .delivered
            .iter()
            .zip(&self.confirm)
            .zip(&self.draws.buyer);
        // Without branches: whether a buyer confirms is a coin no predictor guesses. Every
        // delay is written (over the last try's), and the count moves on past those within
        // the void.
        self.scratch.resize(self.delivered.len(), 0.0);
        let mut kept = 0;
        for ((&delivered, &confirm), &buyer) in each {
            let auto = p.auto_confirm_days.max(delivered);
            let by_buyer = (delivered + confirm).min(auto);
            let mask = u64::from(buyer < share).wrapping_neg();
            let t = f64::from_bits(auto.to_bits() ^ ((auto.to_bits() ^ by_buyer.to_bits()) & mask));
            self.scratch[kept] = t;
            kept += usize::from(t <= p.invalid_after_days);
        }
        ranked(&mut self.scratch[..kept], qs)
    }
}

/// The values at ranks `n·q` of `values` (at most the last), for each of `qs`, found by
/// selection rather than by sorting them all: the middle rank first, then the ranks below
/// it among the values below it and the ranks above among those above (the same values: a
/// rank's value is the same whichever way it is found). Infinite when `values` is empty.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // an index into the values: 0 <= n·q < n
#[allow(clippy::cast_precision_loss)] // sample sizes are small
fn ranked(values: &mut [f64], qs: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 0 {
        return vec![f64::INFINITY; qs.len()];
    }
    let mut ranks: Vec<(usize, usize)> = qs
        .iter()
        .enumerate()
        .map(|(j, &q)| (((n as f64 * q) as usize).min(n - 1), j))
        .collect();
    ranks.sort_unstable();
    let mut out = vec![0.0; qs.len()];
    select_ranks(values, 0, &ranks, &mut out);
    out
}

/// Puts into `out[j]` the value of rank `r` for each `(r, j)` of `ranks` (sorted), where
/// `values` are those of ranks `offset..` of the whole.
fn select_ranks(values: &mut [f64], offset: usize, ranks: &[(usize, usize)], out: &mut [f64]) {
    let Some(&(r, _)) = ranks.get(ranks.len() / 2) else {
        return;
    };
    let (below, v, above) = values.select_nth_unstable_by(r - offset, f64::total_cmp);
    let v = *v;
    let lower = ranks.partition_point(|&(x, _)| x < r);
    let upper = ranks.partition_point(|&(x, _)| x <= r);
    for &(_, j) in &ranks[lower..upper] {
        out[j] = v;
    }
    select_ranks(below, offset, &ranks[..lower], out);
    select_ranks(above, r + 1, &ranks[upper..], out);
}

/// Chooses `confirm_receipt_share` and the shipping median so that the model's payment →
/// confirmation delay matches the survival estimate: at its median and p90 above all, and at
/// its other deciles where the data reach them (the p90 often sits on the auto-confirmation
/// day, where it cannot tell buyers who confirm from those who do not). Without any decile
/// but the median, the share stays at the preset's value.
fn fit_delay(p: &Program, km: &KaplanMeier) -> Option<DelayFit> {
    let shares: Vec<f64> = (1..=19).map(|i| i as f64 * 0.05).collect();
    fit_delay_over(p, km, &shares)
}

/// Shipping medians a delay fit tries: 1 to 41 days by quarter days.
const SHIP_STEPS: usize = 161;

/// Like [`fit_delay`], trying only these shares of buyers who confirm (one share: the
/// shipping alone is fitted, as for each country given the whole export's share).
fn fit_delay_over(p: &Program, km: &KaplanMeier, shares: &[f64]) -> Option<DelayFit> {
    let km_median = km.quantile(0.5)?;
    let km_p90 = km.quantile(0.9);
    let targets: Vec<(f64, f64, f64)> = (1..=9)
        .filter_map(|i| {
            let q = i as f64 / 10.0;
            let weight = if i == 5 || i == 9 { 3.0 } else { 1.0 };
            km.quantile(q).filter(|&t| t > 0.0).map(|t| (q, t, weight))
        })
        .collect();
    let qs: Vec<f64> = targets.iter().map(|t| t.0).collect();
    let draws = DelayDraws::new(6_000);
    let preset_share = [p.confirm_receipt_share.central()];
    let shares: &[f64] = if targets.len() > 1 {
        shares
    } else {
        &preset_share
    };
    let ship = |k: usize| 1.0 + k as f64 * 0.25;
    // Each shipping median's deliveries serve every share, one median per task on every
    // core; the errors are then compared shares first, so that of equal errors the smallest
    // share, then the shortest shipping, wins whatever the threads.
    let mut model = DelayModel::new(p, &draws);
    let errors: Vec<Vec<f64>> = (0..SHIP_STEPS)
        .into_par_iter()
        .map_init(
            || model.clone(),
            |model, k| {
                model.ship(ship(k));
                let error = |at: Vec<f64>| -> f64 {
                    targets
                        .iter()
                        .zip(&at)
                        .map(|(&(_, t, w), &m)| w * (m / t).ln().powi(2))
                        .sum()
                };
                shares
                    .iter()
                    .map(|&share| error(model.quantiles(share, &qs)))
                    .collect()
            },
        )
        .collect();
    let mut best = (f64::INFINITY, 0.0, 0.0);
    for (s, &share) in shares.iter().enumerate() {
        for (k, errors) in errors.iter().enumerate() {
            if errors[s] < best.0 {
                best = (errors[s], share, ship(k));
            }
        }
    }
    model.ship(best.2);
    let at = model.quantiles(best.1, &[0.5, 0.9]);
    Some(DelayFit {
        km_median,
        km_p90,
        model_median: at[0],
        model_p90: at[1],
        confirm_receipt_share: best.1,
        shipping_median: best.2,
    })
}

/// How a category's reversal rates were estimated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cohort {
    /// From this many orders paid at least [`MATURE_DAYS`] before the export.
    Mature(usize),
    /// From this many resolved orders (few old orders: may lean towards quick outcomes).
    Resolved(usize),
}

/// One category's estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryEstimate {
    pub name: String,
    pub orders: usize,
    /// Share of orders, rounded so that all shares sum to 1.
    pub share: f64,
    /// Order value median and p90, currency units.
    pub value_median: f64,
    pub value_p90: f64,
    /// Orders whose value the export gives (0: the values are an assumption).
    pub values_known: usize,
    /// Median rate of non-hot orders, where the export gives rates.
    pub rate: Option<f64>,
    /// Share of hot orders and their median rate, where the export flags them.
    pub hot: Option<(f64, Option<f64>)>,
    /// Orders with a known fate in the cohort, reversed ones, cancel and refund rates.
    pub known: usize,
    pub reversed: usize,
    pub cancel_rate: f64,
    pub refund_rate: f64,
    pub cohort: Cohort,
    /// New-buyer share and mean bonus (currency units), where the export flags them.
    pub new_buyer: Option<(f64, f64)>,
}

/// Everything `fit` estimated from an export, before it is written or told.
#[derive(Debug, Clone)]
pub struct Estimate {
    pub source: Source,
    pub preset: Preset,
    pub currency: String,
    pub records: usize,
    pub first_paid: chrono::NaiveDateTime,
    pub as_of: chrono::NaiveDateTime,
    pub span_months: f64,
    /// Confirmations and censored orders behind the delay estimate.
    pub km_events: usize,
    pub km_censored: usize,
    pub delay: Option<DelayFit>,
    /// Clicks given with `--clicks`.
    pub clicks: Option<u64>,
    pub clicks_per_month: f64,
    pub conversion: f64,
    /// Share of buyers attributed under the preset's cookie rules.
    pub attribution: f64,
    /// Largest first.
    pub categories: Vec<CategoryEstimate>,
    /// One region per country with at least [`REGION_MIN_SHARE`] of the orders, largest
    /// first, then `other`; empty when the export names no countries.
    pub regions: Vec<RegionEstimate>,
}

/// A region fitted from the orders shipped to one country (or the rest).
#[derive(Debug, Clone, PartialEq)]
pub struct RegionEstimate {
    pub name: String,
    pub orders: usize,
    /// Share of orders, rounded so that all shares sum to 1.
    pub share: f64,
    /// Fitted shipping median, days; `None`: too few confirmations, the whole export's.
    pub shipping_median: Option<f64>,
}

/// A country with at least this share of the orders is a region of its own.
pub const REGION_MIN_SHARE: f64 = 0.05;
/// A region's own shipping is fitted from at least this many confirmations, else it takes
/// the whole export's.
pub const MIN_REGION_CONFIRMATIONS: usize = 20;

/// "1 order", "3 orders".
fn orders_text(n: usize) -> String {
    format!("{n} order{}", if n == 1 { "" } else { "s" })
}

/// How many orders the default reversal rates are worth when the export has few: a rate
/// from `k` reversals among `n` orders is `(k + PRIOR_ORDERS·p₀) / (n + PRIOR_ORDERS)`, the
/// mean of a beta posterior whose prior is the category default `p₀` seen in this many orders.
/// One resolved order moves a rate a twenty-first of the way, a thousand orders nearly all.
pub const PRIOR_ORDERS: f64 = 20.0;
/// Below this many orders with a known fate, a category's reversal rates are called thin.
pub const THIN_ORDERS: usize = 30;

/// The default of a category rate, from the parameter table.
fn prior(key: &str) -> f64 {
    match params::find(Section::Categories, key).map(|e| e.fallback) {
        Some(params::Fallback::Default(params::Literal::Number(p), _)) => p,
        _ => 0.0,
    }
}

/// `k` events in `n` trials, leaning on the prior rate `p0` in proportion to the evidence.
fn shrunk(k: f64, n: f64, p0: f64) -> f64 {
    (k + PRIOR_ORDERS * p0) / (n.max(0.0) + PRIOR_ORDERS)
}

/// Order value (median, p90) when an export gives none: an assumption, said as such.
const ASSUMED_ORDER_VALUE: (f64, f64) = (10.0, 30.0);

/// Without clicks, conversion is this assumption and clicks are set to reproduce the orders.
const ASSUMED_CONVERSION: f64 = 0.01;

/// Estimates a scenario from an export. `clicks`: total clicks over the export's period.
/// Categories keep the export's names (see `Export::name_categories`).
pub fn fit(export: &Export, origin: &str, clicks: Option<u64>) -> Result<Fit> {
    let est = estimate(export, clicks);
    let toml = write(&est, origin);
    // What `fit` writes must read back: never a file that fails where it is used.
    if let Err(e) = crate::scenario::parse(&toml, "the fitted scenario") {
        return Err(Error::Other(format!(
            "the fitted scenario does not read back ({e}); nothing was written"
        )));
    }
    Ok(Fit {
        toml,
        report: report(&est),
        delay: est.delay,
    })
}

/// The estimates of an export.
pub fn estimate(export: &Export, clicks: Option<u64>) -> Estimate {
    let recs = &export.records;
    let preset = match export.source {
        // Amazon has no preset of its own yet: the generic rules, its known terms written
        // over them (see `write_amazon_terms`).
        Source::Aliexpress | Source::Generic | Source::Amazon => Preset::Portals,
        Source::Admitad => Preset::Admitad,
    };
    let program = preset_program(preset);
    let first_paid = recs
        .iter()
        .map(|r| r.paid_at)
        .min()
        .expect("an export has records");
    let span_months = days(first_paid, export.as_of).max(1.0) / (365.25 / 12.0);

    let all: Vec<&OrderRecord> = recs.iter().collect();
    let obs = observations(&all, export.as_of);
    let km = KaplanMeier::new(obs);

    // Categories, largest first.
    let mut by_cat: BTreeMap<&str, Vec<&OrderRecord>> = BTreeMap::new();
    for r in recs {
        by_cat.entry(r.category.as_str()).or_default().push(r);
    }
    let mut cats: Vec<(&str, Vec<&OrderRecord>)> = by_cat.into_iter().collect();
    cats.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let n_total = recs.len() as f64;
    let shares = rounded_shares(cats.iter().map(|(_, v)| v.len() as f64 / n_total).collect());
    // An earnings report lists items when they shipped, which is when Amazon earns them:
    // there is no payment → confirmation delay in it to fit.
    let delay = match export.source {
        Source::Amazon => None,
        _ => fit_delay(&program, &km),
    };

    let attribution = attribution_share(&program);
    let (clicks_per_month, conversion) = match clicks {
        Some(c) if c > 0 => (
            c as f64 / span_months,
            (recs.len() as f64 / (c as f64 * attribution)).min(1.0),
        ),
        _ => (
            recs.len() as f64 / span_months / (ASSUMED_CONVERSION * attribution),
            ASSUMED_CONVERSION,
        ),
    };
    Estimate {
        source: export.source,
        preset,
        currency: export.currency.clone(),
        records: recs.len(),
        first_paid,
        as_of: export.as_of,
        span_months,
        km_events: km.events,
        km_censored: km.censored,
        regions: estimate_regions(export, &program, delay.as_ref()),
        delay,
        clicks: clicks.filter(|&c| c > 0),
        clicks_per_month,
        conversion,
        attribution,
        categories: cats
            .iter()
            .zip(&shares)
            .map(|((cat, orders), &share)| {
                estimate_category(cat.to_string(), orders, share, export.as_of)
            })
            .collect(),
    }
}

/// Shares rounded to 6 places that still sum to 1: the first (largest) takes the remainder.
fn rounded_shares(mut shares: Vec<f64>) -> Vec<f64> {
    for s in shares.iter_mut() {
        *s = (*s * 1e6).round() / 1e6;
    }
    let rest: f64 = shares[1..].iter().sum();
    shares[0] = ((1.0 - rest) * 1e6).round() / 1e6;
    shares
}

/// Regions by the country orders ship to: one per country with at least
/// [`REGION_MIN_SHARE`] of the orders, the rest `other`, each with its share and its own
/// shipping fitted given the whole export's confirm share (and, for BR and RU, their longer
/// buyer protection).
fn estimate_regions(
    export: &Export,
    program: &Program,
    delay: Option<&DelayFit>,
) -> Vec<RegionEstimate> {
    let recs = &export.records;
    if recs.iter().all(|r| r.country.is_none()) {
        return Vec::new();
    }
    let mut by_country: BTreeMap<&str, Vec<&OrderRecord>> = BTreeMap::new();
    for r in recs {
        by_country
            .entry(r.country.as_deref().unwrap_or("other"))
            .or_default()
            .push(r);
    }
    let n = recs.len() as f64;
    let mut groups: Vec<(String, Vec<&OrderRecord>)> = Vec::new();
    let mut other: Vec<&OrderRecord> = Vec::new();
    for (country, orders) in by_country {
        if country != "other" && orders.len() as f64 / n >= REGION_MIN_SHARE {
            groups.push((country.to_string(), orders));
        } else {
            other.extend(orders);
        }
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    if !other.is_empty() {
        groups.push(("other".into(), other));
    }
    let shares = rounded_shares(groups.iter().map(|g| g.1.len() as f64 / n).collect());
    groups
        .into_iter()
        .zip(shares)
        .map(|((name, orders), share)| {
            let mut p = program.clone();
            if let Some(&(_, days)) = params::PROTECTION_BY_COUNTRY
                .iter()
                .find(|(code, _)| *code == name)
            {
                p.auto_confirm_days = days;
            }
            let km = KaplanMeier::new(observations(&orders, export.as_of));
            let shipping_median = delay
                .filter(|_| km.events >= MIN_REGION_CONFIRMATIONS)
                .and_then(|d| {
                    fit_delay_over(&p, &km, &[d.confirm_receipt_share]).map(|f| f.shipping_median)
                });
            RegionEstimate {
                name,
                orders: orders.len(),
                share,
                shipping_median,
            }
        })
        .collect()
}

/// Payment → confirmation times: confirmed orders are events, pending ones are censored at
/// the export time, reversed ones at their reversal (they never confirm).
fn observations(recs: &[&OrderRecord], as_of: chrono::NaiveDateTime) -> Vec<(f64, bool)> {
    recs.iter()
        .filter_map(|r| match r.status {
            Status::Confirmed | Status::Held | Status::Settled => {
                r.resolved_at.map(|t| (days(r.paid_at, t), true))
            }
            Status::Pending => Some((days(r.paid_at, as_of), false)),
            Status::Reversed => r.resolved_at.map(|t| (days(r.paid_at, t), false)),
        })
        .collect()
}

/// One category's order values, rates and reversals.
fn estimate_category(
    name: String,
    orders: &[&OrderRecord],
    share: f64,
    as_of: chrono::NaiveDateTime,
) -> CategoryEstimate {
    // Order values where the export gives them (a generic report may not).
    let mut values: Vec<f64> = orders
        .iter()
        .filter(|r| r.amount > 0)
        .map(|r| r.amount as f64 / 100.0)
        .collect();
    let values_known = values.len();
    let (value_median, value_p90) = if values.is_empty() {
        (ASSUMED_ORDER_VALUE.0, ASSUMED_ORDER_VALUE.1)
    } else {
        let median = quantile(&mut values, 0.5).max(0.01);
        (median, quantile(&mut values, 0.9).max(median))
    };
    let is_hot = |r: &&&OrderRecord| r.hot == Some(true);
    let rate_of = |r: &&OrderRecord| {
        r.rate.or_else(|| {
            (r.amount > 0).then(|| (r.commission - r.bonus).max(0) as f64 / r.amount as f64)
        })
    };
    let rate = median_of(
        orders
            .iter()
            .filter(|r| !is_hot(r))
            .filter_map(rate_of)
            .collect(),
    );
    let hot_known = orders.iter().filter(|r| r.hot.is_some()).count();
    let hot = (hot_known > 0).then(|| {
        let share = orders.iter().filter(is_hot).count() as f64 / hot_known as f64;
        (
            share,
            median_of(orders.iter().filter(is_hot).filter_map(rate_of).collect()),
        )
    });
    let nb_known = orders.iter().filter(|r| r.new_buyer.is_some()).count();
    let nb: Vec<_> = orders
        .iter()
        .filter(|r| r.new_buyer == Some(true))
        .collect();
    let new_buyer = (nb_known > 0).then(|| {
        let bonus = if nb.is_empty() {
            0.0
        } else {
            nb.iter().map(|r| r.bonus as f64).sum::<f64>() / nb.len() as f64 / 100.0
        };
        (nb.len() as f64 / nb_known as f64, bonus)
    });

    let mature: Vec<&OrderRecord> = orders
        .iter()
        .copied()
        .filter(|r| days(r.paid_at, as_of) >= MATURE_DAYS)
        .collect();
    let (cohort, kind): (Vec<&OrderRecord>, Cohort) = if mature.len() >= 30 {
        let k = mature.len();
        (mature, Cohort::Mature(k))
    } else {
        let resolved: Vec<&OrderRecord> = orders
            .iter()
            .copied()
            .filter(|r| r.status != Status::Pending)
            .collect();
        let k = resolved.len();
        (resolved, Cohort::Resolved(k))
    };
    let reversed: Vec<&&OrderRecord> = cohort
        .iter()
        .filter(|r| r.status == Status::Reversed)
        .collect();
    let cancels = reversed
        .iter()
        .filter(|r| {
            r.resolved_at
                .is_some_and(|t| days(r.paid_at, t) <= CANCEL_WITHIN_DAYS)
        })
        .count() as f64;
    let m = cohort.len() as f64;
    CategoryEstimate {
        name,
        orders: orders.len(),
        share,
        value_median,
        value_p90,
        values_known,
        rate,
        hot,
        known: cohort.len(),
        reversed: reversed.len(),
        cancel_rate: shrunk(cancels, m, prior("cancel_rate")),
        refund_rate: shrunk(
            reversed.len() as f64 - cancels,
            m - cancels,
            prior("refund_rate"),
        ),
        cohort: kind,
        new_buyer,
    }
}

impl Estimate {
    /// Where the conversion rate came from, in words.
    fn conversion_note(&self) -> String {
        match self.clicks {
            Some(c) => format!(
                "estimated: {} orders / ({c} clicks × {:.3} attributed share under the preset's cookie rules)",
                self.records, self.attribution
            ),
            None => "ASSUMPTION (not estimated: give --clicks N); clicks_per_month is set so the forecast reproduces the export's orders per month".to_string(),
        }
    }
}

/// A TOML string of any text: quotes, backslashes and control characters escaped by the
/// `toml` serializer, so that every name the export holds reads back as itself.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Text for a `#` comment, which ends at the line's end: control characters (a newline in a
/// file name) are written as escapes.
fn in_comment(text: &str) -> String {
    crate::output::escape_controls(text, &[]).into_owned()
}

/// Writes `key = value   # comment` for a key of the parameter table.
fn key_line(out: &mut String, section: Section, key: &str, value: String, comment: &str) {
    debug_assert!(
        params::find(section, key).is_some(),
        "{key} is a key of the parameter table"
    );
    let _ = writeln!(out, "{key} = {value}   # {comment}");
}

/// The fitted scenario file: what was estimated, and comments saying how.
pub fn write(est: &Estimate, origin: &str) -> String {
    let mut toml = String::new();
    // Several files are named "a.csv, b.csv": the scenario is named after the first.
    let first = origin.split(", ").next().unwrap_or(origin);
    let stem = std::path::Path::new(first)
        .file_stem()
        .map_or("export".into(), |s| s.to_string_lossy().to_string());
    let next_month = NaiveDate::from_ymd_opt(est.as_of.year(), est.as_of.month(), 1)
        .expect("a valid month")
        + Months::new(1);
    let _ = writeln!(
        toml,
        "# Fitted by `affcast fit` from {}: {} orders, {} to {}.",
        in_comment(origin),
        est.records,
        est.first_paid.format("%Y-%m-%d"),
        est.as_of.format("%Y-%m-%d")
    );
    let _ = writeln!(
        toml,
        "# \"estimated\" values come from the export; everything else is the {} preset or an assumption.",
        est.preset.name()
    );
    let _ = writeln!(
        toml,
        "\nname = {}\nstart = \"{}\"\nmonths = 24\ncurrency = {}\n",
        quoted(&format!("Fitted from {stem}")),
        next_month.format("%Y-%m"),
        quoted(&est.currency)
    );
    let _ = writeln!(toml, "[simulation]\ntrials = 2000\nseed = 42\n");
    if est.currency != "USD" {
        let _ = writeln!(
            toml,
            "# The preset's payout amounts (minimum_payout, withdraw_at, payout_fee) are in USD; this export is in {}: set them in {}.\n",
            in_comment(&est.currency),
            in_comment(&est.currency)
        );
    }
    let _ = writeln!(toml, "[program]\npreset = \"{}\"", est.preset.name());
    if est.source == Source::Amazon {
        write_amazon_terms(&mut toml, &est.currency);
    }
    if let Some(d) = &est.delay {
        let p90 = d
            .km_p90
            .map_or("not reached".into(), |q| format!("{q:.1} d"));
        key_line(
            &mut toml,
            Section::Program,
            "confirm_receipt_share",
            format!("{:.2}", d.confirm_receipt_share),
            &format!(
                "estimated: fitted to the payment → confirmation delay (median {:.1} d, p90 {p90})",
                d.km_median
            ),
        );
    }
    toml.push_str("\n[traffic]\n");
    let clicks_comment = if est.clicks.is_some() {
        "estimated: --clicks over the export's period"
    } else {
        "set to reproduce the export's orders per month (see conversion_rate)"
    };
    key_line(
        &mut toml,
        Section::Traffic,
        "clicks_per_month",
        format!("{:.0}", est.clicks_per_month),
        clicks_comment,
    );
    toml.push_str("monthly_growth = 0.0   # assumption\n\n");
    write_regions(&mut toml, est);
    let conversion_note = est.conversion_note();
    for c in &est.categories {
        write_category(&mut toml, c, est.conversion, &conversion_note);
    }
    toml
}

/// Amazon Associates' terms over the generic rules, until it has a preset of its own: what
/// the model can say, each with its source, and what it cannot, said as assumed.
fn write_amazon_terms(toml: &mut String, currency: &str) {
    toml.push_str(
        "# Amazon Associates, over the generic rules (no Amazon preset yet). Known terms:\n",
    );
    key_line(
        toml,
        Section::Program,
        "cookie_days",
        "1".into(),
        "OFFICIAL: 24 hours from the click (the 90-day cart extension is not modelled)",
    );
    if currency == "USD" {
        key_line(
            toml,
            Section::Program,
            "minimum_payout",
            "10.00".into(),
            "OFFICIAL (US): $10 by direct deposit or gift card",
        );
        key_line(
            toml,
            Section::Program,
            "withdraw_at",
            "10.00".into(),
            "Amazon pays whenever the balance reaches the minimum",
        );
        key_line(
            toml,
            Section::Program,
            "payout_fee",
            "0.00".into(),
            "OFFICIAL (US): no fee by direct deposit",
        );
    }
    toml.push_str(
        "# ASSUMED (the model cannot say them yet): Amazon pays about 60 days after the end of the\n\
         # month (OFFICIAL), here the generic monthly settlement on the 25th of the next month, so\n\
         # cash comes about a month early; earned at shipment, here at payment; returns after\n\
         # payment are deducted from later fees, here reversals; buyer protection and shipping\n\
         # delays are the generic rules'.\n",
    );
}

/// The `[[regions]]` of the fitted file: by country where the export names them.
fn write_regions(toml: &mut String, est: &Estimate) {
    let Some(d) = &est.delay else { return };
    let shipping = |median: f64| {
        format!(
            "{{ median = {:.2}, p90 = {:.2} }}",
            median,
            median * SHIPPING_RATIO
        )
    };
    if est.regions.is_empty() {
        toml.push_str("[[regions]]\nname = \"all\"\nshare = 1.0\n");
        key_line(
            toml,
            Section::Regions,
            "shipping_days",
            shipping(d.shipping_median),
            "estimated: fitted with confirm_receipt_share",
        );
        toml.push('\n');
        return;
    }
    for r in &est.regions {
        let _ = writeln!(
            toml,
            "[[regions]]\nname = {}   # {}",
            quoted(&r.name),
            orders_text(r.orders)
        );
        key_line(
            toml,
            Section::Regions,
            "share",
            r.share.to_string(),
            "estimated: share of orders by ship_to_country",
        );
        match r.shipping_median {
            Some(m) => key_line(
                toml,
                Section::Regions,
                "shipping_days",
                shipping(m),
                "estimated: fitted to this country's payment → confirmation delay",
            ),
            None => key_line(
                toml,
                Section::Regions,
                "shipping_days",
                shipping(d.shipping_median),
                &format!(
                    "the whole export's: fewer than {MIN_REGION_CONFIRMATIONS} confirmations here to fit"
                ),
            ),
        }
        if let Some((code, days)) = params::PROTECTION_BY_COUNTRY
            .iter()
            .find(|(c, _)| *c == r.name)
        {
            let _ = writeln!(
                toml,
                "# buyer protection for {code}: {days:.0} days by default (consumer guides; unconfirmed)"
            );
        }
        toml.push('\n');
    }
}

/// One `[[categories]]` table of the fitted file.
fn write_category(toml: &mut String, c: &CategoryEstimate, conversion: f64, conversion_note: &str) {
    let cat = Section::Categories;
    let _ = writeln!(
        toml,
        "[[categories]]\nname = {}   # {}",
        quoted(&c.name),
        orders_text(c.orders)
    );
    key_line(
        toml,
        cat,
        "share",
        c.share.to_string(),
        "estimated: share of orders (assumes equal conversion across categories)",
    );
    key_line(
        toml,
        cat,
        "conversion_rate",
        format!("{conversion:.6}"),
        conversion_note,
    );
    key_line(
        toml,
        cat,
        "order_value",
        format!(
            "{{ median = {:.2}, p90 = {:.2} }}",
            c.value_median, c.value_p90
        ),
        &if c.values_known == 0 {
            "ASSUMPTION: the export gives no order values".to_string()
        } else {
            format!("estimated from {}", orders_text(c.values_known))
        },
    );
    match c.rate {
        Some(r) => key_line(
            toml,
            cat,
            "commission_rate",
            format!("{:.4}", r.clamp(0.0, 1.0)),
            "estimated: median rate of non-hot orders",
        ),
        None => key_line(
            toml,
            cat,
            "commission_rate",
            "0.07".into(),
            "ASSUMPTION: no rate in the export (7% is the rate of most categories)",
        ),
    }
    if let Some((share, rate)) = c.hot {
        key_line(
            toml,
            cat,
            "hot_share",
            format!("{share:.4}"),
            "estimated from is_hot_product",
        );
        if let Some(r) = rate {
            key_line(
                toml,
                cat,
                "hot_rate",
                format!("{:.4}", r.clamp(0.0, 1.0)),
                "estimated: median rate of hot orders",
            );
        }
    }
    write_outcomes(toml, c);
    toml.push('\n');
}

/// How much a thin estimate leans on its default, for the fitted file's comment.
fn lean(c: &CategoryEstimate, key: &str) -> String {
    if c.known >= THIN_ORDERS {
        return String::new();
    }
    format!(
        "; THIN: {} order{} with a known fate, so it leans on the {:.0}% default as if {PRIOR_ORDERS:.0} more orders had shown it",
        c.known,
        if c.known == 1 { "" } else { "s" },
        prior(key) * 100.0
    )
}

/// A category's reversal rates and new-buyer bonus, where the export tells them.
fn write_outcomes(toml: &mut String, c: &CategoryEstimate) {
    let cat = Section::Categories;
    if c.known > 0 {
        let cohort = match c.cohort {
            Cohort::Mature(k) => {
                format!("of {k} orders paid at least {MATURE_DAYS:.0} days before the export")
            }
            Cohort::Resolved(k) => {
                format!("of {k} resolved orders (few old orders: may lean towards quick outcomes)")
            }
        };
        key_line(
            toml,
            cat,
            "cancel_rate",
            format!("{:.4}", c.cancel_rate),
            &format!(
                "estimated: reversed within {CANCEL_WITHIN_DAYS:.0} days of payment, {cohort}{}",
                lean(c, "cancel_rate")
            ),
        );
        key_line(
            toml,
            cat,
            "refund_rate",
            format!("{:.4}", c.refund_rate),
            &format!("estimated: reversed later{}", lean(c, "refund_rate")),
        );
    }
    if let Some((share, bonus)) = c.new_buyer {
        key_line(
            toml,
            cat,
            "new_buyer_share",
            format!("{share:.4}"),
            "estimated from is_new_buyer",
        );
        key_line(
            toml,
            cat,
            "new_buyer_bonus",
            format!("{bonus:.2}"),
            "estimated: mean new_buyer_bonus_commission",
        );
    }
}

/// What `fit` estimated, from how many records, and what it could not, line by line.
pub fn report(est: &Estimate) -> Vec<String> {
    let mut report = vec![format!(
        "fit: {} {} records in {} from {} to {} ({:.1} months)",
        est.records,
        est.source.label(),
        est.currency,
        est.first_paid.format("%Y-%m-%d"),
        est.as_of.format("%Y-%m-%d"),
        est.span_months
    )];
    if est.records < 200 {
        report.push(format!(
            "fit: only {} records: the estimates below are rough; a few hundred orders per category make them trustworthy",
            est.records
        ));
    }
    report.push(delay_line(est));
    if est.currency != "USD" {
        report.push(format!(
            "fit: the export is in {}, the {} preset's payout amounts (minimum_payout, withdraw_at, payout_fee) in USD: set them in {} in the scenario",
            est.currency,
            est.preset.name(),
            est.currency
        ));
    }
    let mut not_estimated = Vec::new();
    for c in &est.categories {
        report.push(format!(
            "fit: category {}: {} orders ({:.1}%), order value median {:.2} / p90 {:.2}, rate {}, reversal {} of {} with a known fate",
            c.name,
            c.orders,
            c.share * 100.0,
            c.value_median,
            c.value_p90,
            c.rate.map_or("not in export".into(), |r| format!("{:.2}%", r * 100.0)),
            c.reversed,
            c.known
        ));
        if c.rate.is_none() {
            not_estimated.push(format!("{}: commission_rate", c.name));
        }
        if c.known == 0 {
            not_estimated.push(format!(
                "{}: cancel_rate, refund_rate (no order with a known fate)",
                c.name
            ));
        }
    }
    if !est.regions.is_empty() {
        let regions: Vec<String> = est
            .regions
            .iter()
            .map(|r| format!("{} {:.1}%", r.name, r.share * 100.0))
            .collect();
        report.push(format!(
            "fit: regions by ship_to_country (a country with at least {:.0}% of the orders is its own): {}",
            REGION_MIN_SHARE * 100.0,
            regions.join(", ")
        ));
    }
    let thin: Vec<String> = est
        .categories
        .iter()
        .filter(|c| c.known < THIN_ORDERS)
        .map(|c| format!("{} ({} with a known fate)", c.name, c.known))
        .collect();
    if !thin.is_empty() {
        report.push(format!(
            "fit: thin estimates: the reversal rates of {} lean on the defaults (a prior worth {PRIOR_ORDERS:.0} orders); more orders will move them",
            thin.join(", ")
        ));
    }
    report.push(format!("fit: conversion_rate: {}", est.conversion_note()));
    report.push(left_line(est));
    for n in not_estimated {
        report.push(format!("fit: not estimated: {n}"));
    }
    report
}

/// The report's line on the payment → confirmation delay.
fn delay_line(est: &Estimate) -> String {
    match &est.delay {
        Some(d) => format!(
            "fit: payment → confirmation (Kaplan–Meier, {} confirmed, {} censored): median {:.1} d, p90 {}; the fitted model gives median {:.1} d, p90 {:.1} d (confirm_receipt_share {:.2}, shipping median {:.1} d)",
            est.km_events,
            est.km_censored,
            d.km_median,
            d.km_p90.map_or("not reached by the data".into(), |q| format!("{q:.1} d")),
            d.model_median,
            d.model_p90,
            d.confirm_receipt_share,
            d.shipping_median
        ),
        None if est.source == Source::Amazon => "fit: payment → confirmation: an earnings report lists items as they shipped (earned then), so there is no delay to fit; the scenario's timing is the generic rules' (see its comments)".to_string(),
        None => format!(
            "fit: payment → confirmation: too few confirmations ({} of {}) to estimate; left at the preset",
            est.km_events, est.records
        ),
    }
}

/// The report's line on what stays at the preset.
fn left_line(est: &Estimate) -> String {
    let amazon = est.source == Source::Amazon;
    let mut left = vec![
        if amazon {
            "purchase_delay_days, same_session_share, overwrite_rate (no click data in an order export); cookie_days is Amazon's 24 hours"
        } else {
            "purchase_delay_days, same_session_share, cookie_days, overwrite_rate (no click data in an order export)"
        },
        "processing_days, confirm_delay_days, refund_delay_days, auto_confirm_days, invalid_after_days",
        if amazon {
            "the settlement (Amazon's ~60 days after the month's end cannot be said yet; see the scenario's comments); Amazon's US minimum and fee are written"
        } else {
            "settlement and withdrawal rules"
        },
    ];
    if est.delay.is_none() {
        left.push("confirm_receipt_share and shipping_days");
    }
    format!(
        "fit: left at the {} preset: {}",
        est.preset.name(),
        left.join("; ")
    )
}

/// Category id → name from a two-column CSV (`id,name`, header optional).
pub fn read_category_names(path: &std::path::Path) -> Result<BTreeMap<String, String>> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::input(format!("{origin}: {e}")))?;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| Error::input(format!("{origin}: line {}: {e}", i + 1)))?;
        if rec.len() != 2 {
            return Err(Error::input(format!(
                "{origin}: line {}: expected 2 columns (id,name), found {}",
                i + 1,
                rec.len()
            )));
        }
        if i == 0 && rec[0].trim().eq_ignore_ascii_case("id") {
            continue;
        }
        out.insert(rec[0].trim().to_string(), rec[1].trim().to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// The rank `n·q` of the values sorted: what selecting ranks must give.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    #[allow(clippy::cast_precision_loss)]
    fn by_sorting(values: &[f64], qs: &[f64]) -> Vec<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        let n = sorted.len();
        qs.iter()
            .map(|&q| sorted[((n as f64 * q) as usize).min(n - 1)])
            .collect()
    }

    #[test]
    fn selected_ranks_are_the_ranks_of_the_sorted_values() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        // Deciles in order, out of order, repeated, at both ends; values with many ties (as
        // the delays have at the auto-confirmation day) and without.
        let qs_sets: [&[f64]; 5] = [
            &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
            &[0.9, 0.5, 0.1, 0.5],
            &[0.0, 1.0, 0.999_999],
            &[0.5, 0.9],
            &[],
        ];
        for n in [1, 2, 3, 10, 101, 6_000] {
            for tied in [false, true] {
                let values: Vec<f64> = (0..n)
                    .map(|_| {
                        let x: f64 = rng.random();
                        if tied && x < 0.4 { 60.0 } else { x * 100.0 }
                    })
                    .collect();
                for qs in qs_sets {
                    let mut shuffled = values.clone();
                    let got = ranked(&mut shuffled, qs);
                    assert_eq!(
                        got,
                        by_sorting(&values, qs),
                        "n {n}, tied {tied}, qs {qs:?}"
                    );
                }
            }
        }
        assert_eq!(ranked(&mut [], &[0.5, 0.9]), vec![f64::INFINITY; 2]);
    }
}
