//! What `fit` tells the user, line by line: what it estimated, from how many records, and
//! what it left at the preset.

use crate::exports::Source;
use crate::fit::{Estimate, PRIOR_ORDERS, REGION_MIN_SHARE, THIN_ORDERS};
use crate::i18n::Words;

/// What `fit` estimated, from how many records, and what it could not, line by line, in the
/// language of `w` (the command line prefixes each with `fit: `).
pub fn fit_lines(w: &Words, est: &Estimate) -> Vec<String> {
    let mut report = vec![w.say(
        "report-fit-records",
        &[
            ("records", est.records.to_string()),
            ("source", est.source.label().into()),
            ("currency", est.currency.clone()),
            ("from", est.first_paid.format("%Y-%m-%d").to_string()),
            ("to", est.as_of.format("%Y-%m-%d").to_string()),
            ("months", w.plain(est.span_months, 1)),
        ],
    )];
    if est.records < 200 {
        report.push(w.say("report-fit-few", &[("records", est.records.to_string())]));
    }
    report.push(delay_line(w, est));
    if est.currency != "USD" {
        report.push(w.say(
            "report-fit-currency",
            &[
                ("currency", est.currency.clone()),
                ("preset", est.preset.name().into()),
            ],
        ));
    }
    let mut not_estimated = Vec::new();
    for c in &est.categories {
        let name = ("name", c.name.clone());
        report.push(
            w.say(
                "report-fit-category",
                &[
                    name.clone(),
                    ("orders", c.orders.to_string()),
                    ("share", w.percent(c.share, 1)),
                    ("median", w.plain(c.value_median, 2)),
                    ("p90", w.plain(c.value_p90, 2)),
                    (
                        "rate",
                        c.rate
                            .map_or_else(|| w.say("report-fit-no-rate", &[]), |r| w.percent(r, 2)),
                    ),
                    ("reversed", c.reversed.to_string()),
                    ("known", c.known.to_string()),
                ],
            ),
        );
        if c.rate.is_none() {
            not_estimated.push(w.say("report-fit-no-rate-key", std::slice::from_ref(&name)));
        }
        if c.known == 0 {
            not_estimated.push(w.say("report-fit-no-fate", &[name]));
        }
    }
    if !est.regions.is_empty() {
        let regions: Vec<String> = est
            .regions
            .iter()
            .map(|r| format!("{} {}", r.name, w.percent(r.share, 1)))
            .collect();
        report.push(w.say(
            "report-fit-regions",
            &[
                ("min", w.percent(REGION_MIN_SHARE, 0)),
                ("regions", regions.join(", ")),
            ],
        ));
    }
    let thin: Vec<String> = est
        .categories
        .iter()
        .filter(|c| c.known < THIN_ORDERS)
        .map(|c| {
            w.say(
                "report-fit-thin-one",
                &[("name", c.name.clone()), ("known", c.known.to_string())],
            )
        })
        .collect();
    if !thin.is_empty() {
        report.push(w.say(
            "report-fit-thin",
            &[
                ("categories", thin.join(", ")),
                ("prior", w.plain(PRIOR_ORDERS, 0)),
            ],
        ));
    }
    let how = match est.clicks {
        Some(clicks) => w.say(
            "report-fit-conversion-estimated",
            &[
                ("records", est.records.to_string()),
                ("clicks", clicks.to_string()),
                ("share", w.plain(est.attribution, 3)),
            ],
        ),
        None => w.say("report-fit-conversion-assumed", &[]),
    };
    report.push(w.say("report-fit-conversion", &[("how", how)]));
    report.push(left_line(w, est));
    for what in not_estimated {
        report.push(w.say("report-fit-not-estimated", &[("what", what)]));
    }
    report
}

/// The report's line on the payment → confirmation delay.
fn delay_line(w: &Words, est: &Estimate) -> String {
    let days = |d: f64| w.plain(d, 1);
    match &est.delay {
        Some(d) => w.say(
            "report-fit-delay",
            &[
                ("confirmed", est.km_events.to_string()),
                ("censored", est.km_censored.to_string()),
                ("km-median", days(d.km_median)),
                (
                    "km-p90",
                    d.km_p90.map_or_else(
                        || w.say("report-fit-unreached", &[]),
                        |q| w.say("report-fit-days", &[("days", days(q))]),
                    ),
                ),
                ("median", days(d.model_median)),
                ("p90", days(d.model_p90)),
                ("share", w.plain(d.confirm_receipt_share, 2)),
                ("shipping", days(d.shipping_median)),
            ],
        ),
        None if est.source == Source::Amazon => w.say("report-fit-delay-amazon", &[]),
        None => w.say(
            "report-fit-delay-few",
            &[
                ("confirmed", est.km_events.to_string()),
                ("records", est.records.to_string()),
            ],
        ),
    }
}

/// The report's line on what stays at the preset.
fn left_line(w: &Words, est: &Estimate) -> String {
    let amazon = est.source == Source::Amazon;
    let mut left = vec![
        if amazon {
            "report-fit-left-clicks-amazon"
        } else {
            "report-fit-left-clicks"
        },
        "report-fit-left-timing",
        if amazon {
            "report-fit-left-settlement-amazon"
        } else {
            "report-fit-left-settlement"
        },
    ];
    if est.delay.is_none() {
        left.push("report-fit-left-delay");
    }
    let keys: Vec<String> = left.into_iter().map(|id| w.say(id, &[])).collect();
    w.say(
        "report-fit-left",
        &[
            ("preset", est.preset.name().into()),
            ("keys", keys.join("; ")),
        ],
    )
}
