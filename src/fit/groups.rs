//! `fit --by`: an export's orders per page (sub-ID), category or country, with each group's
//! earnings per click and an interval that is honest about how few orders a small page has.

use std::collections::BTreeMap;

use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::exports::{Clicks, Export, OrderRecord, Status};
use crate::model::Cents;

/// Below this many orders a group's figures are "too few orders to tell".
pub const FEW_ORDERS: usize = 20;

/// What the orders are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// The page or campaign (AliExpress `tracking_id`, Admitad `subid`).
    SubId,
    Category,
    /// The country orders ship to.
    Country,
}

impl crate::choice::Choice for By {
    const ALL: &'static [Self] = &[By::SubId, By::Category, By::Country];

    fn name(self) -> &'static str {
        By::name(self)
    }

    fn help(self) -> Option<&'static str> {
        match self {
            By::SubId => Some("The page or campaign (AliExpress `tracking_id`, Admitad `subid`)"),
            By::Category => None,
            By::Country => Some("The country orders ship to"),
        }
    }
}

impl By {
    /// The field's name in every output.
    pub fn name(self) -> &'static str {
        match self {
            By::SubId => "sub_id",
            By::Category => "category",
            By::Country => "country",
        }
    }

    fn key(self, r: &OrderRecord) -> String {
        let none = || "(none)".to_string();
        match self {
            By::SubId => r.sub_id.clone().unwrap_or_else(none),
            By::Category => r.category.clone(),
            By::Country => r.country.clone().unwrap_or_else(none),
        }
    }
}

/// One group's orders and money (cents), and its earnings per click where its clicks are
/// known (cents per click).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub key: String,
    pub orders: usize,
    pub gmv: Cents,
    pub earned: Cents,
    pub confirmed: Cents,
    pub reversed: Cents,
    pub pending: Cents,
    /// reversed / (confirmed + reversed), by amount; `None` without a known fate.
    pub reversal_rate: Option<f64>,
    pub clicks: Option<u64>,
    pub epc_confirmed: Option<f64>,
    /// (confirmed + pending × (1 − the export's reversal rate)) / clicks.
    pub epc_expected: Option<f64>,
    /// An 80% interval of `epc_expected` from the Poisson uncertainty of the group's order
    /// count: wide for a page with few orders.
    pub epc_low: Option<f64>,
    pub epc_high: Option<f64>,
    pub too_few: bool,
}

/// The groups, best expected earnings per click first.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub by: By,
    pub groups: Vec<Group>,
    /// The export's reversal rate by amount, used for pending money.
    pub reversal_rate: f64,
}

/// The orders of `export` grouped `by` a field; `clicks` per sub-ID give the EPCs.
pub fn breakdown(export: &Export, by: By, clicks: Option<&Clicks>) -> Breakdown {
    let mut groups: BTreeMap<String, Vec<&OrderRecord>> = BTreeMap::new();
    for r in &export.records {
        groups.entry(by.key(r)).or_default().push(r);
    }
    let sum = |recs: &[&OrderRecord], f: fn(&OrderRecord) -> Option<Cents>| -> Cents {
        recs.iter().filter_map(|r| f(r)).sum()
    };
    let all: Vec<&OrderRecord> = export.records.iter().collect();
    let (confirmed, reversed) = (sum(&all, confirmed_of), sum(&all, reversed_of));
    let reversal_rate = if confirmed + reversed > 0 {
        reversed as f64 / (confirmed + reversed) as f64
    } else {
        0.0
    };
    let expected = expected_of(reversal_rate);
    let per_order =
        all.iter().filter_map(|r| expected(r)).sum::<Cents>() as f64 / all.len().max(1) as f64;
    let mut out: Vec<Group> = groups
        .into_iter()
        .map(|(key, recs)| {
            let (c, r, p) = (
                sum(&recs, confirmed_of),
                sum(&recs, reversed_of),
                sum(&recs, |o| {
                    (o.status == Status::Pending).then_some(o.commission)
                }),
            );
            let group_clicks = match by {
                By::SubId => clicks.and_then(|k| k.by_sub_id.get(&key).copied()),
                _ => None,
            };
            let expected = c as f64 + p as f64 * (1.0 - reversal_rate);
            let n = recs.len();
            let (lo, hi) = poisson_80(n);
            let per_click = |x: f64| group_clicks.filter(|&k| k > 0).map(|k| x / k as f64);
            let epc_expected = per_click(expected);
            Group {
                orders: n,
                gmv: recs.iter().map(|o| o.amount).sum(),
                earned: recs.iter().map(|o| o.commission).sum(),
                confirmed: c,
                reversed: r,
                pending: p,
                reversal_rate: (c + r > 0).then(|| r as f64 / (c + r) as f64),
                clicks: group_clicks,
                epc_confirmed: per_click(c as f64),
                epc_expected,
                epc_low: epc_expected.map(|e| if n > 0 { e * lo / n as f64 } else { 0.0 }),
                epc_high: epc_expected.and_then(|e| match n {
                    0 => per_click(hi * per_order),
                    _ => Some(e * hi / n as f64),
                }),
                too_few: n < FEW_ORDERS,
                key,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let e = |g: &Group| g.epc_expected.unwrap_or(f64::NEG_INFINITY);
        e(b).total_cmp(&e(a))
            .then(b.earned.cmp(&a.earned))
            .then(a.key.cmp(&b.key))
    });
    Breakdown {
        by,
        groups: out,
        reversal_rate,
    }
}

fn confirmed_of(o: &OrderRecord) -> Option<Cents> {
    matches!(o.status, Status::Confirmed | Status::Held | Status::Settled).then_some(o.commission)
}

fn reversed_of(o: &OrderRecord) -> Option<Cents> {
    (o.status == Status::Reversed).then_some(o.commission)
}

/// Expected commission of one order: confirmed counts whole, pending after reversals.
#[allow(clippy::cast_possible_truncation)] // a commission of at most 1e9 units, in cents
fn expected_of(rate: f64) -> impl Fn(&OrderRecord) -> Option<Cents> {
    move |o| match o.status {
        Status::Pending => Some((o.commission as f64 * (1.0 - rate)).round() as Cents),
        Status::Reversed => None,
        _ => Some(o.commission),
    }
}

/// The 10% and 90% quantiles of a Poisson mean given `n` events (the exact chi-square
/// interval): for 3 orders 1.10 to 6.68, for 300 about 278 to 322.
fn poisson_80(n: usize) -> (f64, f64) {
    let q = |p: f64, dof: f64| ChiSquared::new(dof).map_or(0.0, |c| c.inverse_cdf(p) / 2.0);
    let n = n as f64;
    let lo = if n > 0.0 { q(0.10, 2.0 * n) } else { 0.0 };
    (lo, q(0.90, 2.0 * n + 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_intervals_match_the_tables() {
        let (lo, hi) = poisson_80(3);
        assert!(
            (lo - 1.102).abs() < 0.01 && (hi - 6.681).abs() < 0.01,
            "{lo} {hi}"
        );
        let (lo, hi) = poisson_80(0);
        assert_eq!(lo, 0.0);
        assert!((hi - 2.303).abs() < 0.01, "{hi}");
    }
}
