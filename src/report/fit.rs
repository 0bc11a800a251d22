//! What `fit` tells the user, line by line: what it estimated, from how many records, and
//! what it left at the preset.

use crate::exports::Source;
use crate::fit::{Estimate, PRIOR_ORDERS, REGION_MIN_SHARE, THIN_ORDERS};

/// What `fit` estimated, from how many records, and what it could not, line by line.
pub fn fit_lines(est: &Estimate) -> Vec<String> {
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
