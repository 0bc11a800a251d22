//! What an export says about a site: each category's share, order value, commission and
//! reversals, regions, conversion, shrunk toward the preset where orders are few.

use std::collections::BTreeMap;

use super::delays::{DelayFit, fit_delay, fit_delay_over};
use super::survival::KaplanMeier;
use super::{
    CANCEL_WITHIN_DAYS, MATURE_DAYS, attribution_share, days, median_of, preset_program, quantile,
};
use crate::exports::{Export, OrderRecord, Source, Status};
use crate::model::{Preset, Program};
use crate::scenario::params::{self, Section};

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
#[derive(Debug, Clone, PartialEq)]
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
pub(super) fn orders_text(n: usize) -> String {
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
pub(super) fn prior(key: &str) -> f64 {
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

/// The estimates of an export.
pub fn estimate(export: &Export, clicks: Option<u64>) -> Estimate {
    let recs = &export.records;
    let preset = match (export.source, export.currency.as_str()) {
        (Source::Amazon, "USD") => Preset::AmazonUs,
        (Source::Amazon, "GBP") => Preset::AmazonUk,
        // Another Amazon marketplace: the generic rules, Amazon's terms written over them
        // (see `write_amazon_terms`).
        (Source::Aliexpress | Source::Generic | Source::Amazon, _) => Preset::Portals,
        (Source::Admitad, _) => Preset::Admitad,
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
    pub fn conversion_note(&self) -> String {
        match self.clicks {
            Some(c) => format!(
                "estimated: {} orders / ({c} clicks × {:.3} attributed share under the preset's cookie rules)",
                self.records, self.attribution
            ),
            None => "ASSUMPTION (not estimated: give the clicks of the export's period); clicks_per_month is set so the forecast reproduces the export's orders per month".to_string(),
        }
    }
}
