//! Withdrawal and link-refresh advice in words and rows.

use super::numbers::{human_in, money_in};
use crate::advice::{Advice, FEE_SHARE_LIMIT, Reason};
use crate::i18n::Words;
use crate::refresh::{Reason as RefreshReason, RefreshAdvice};
use crate::stats::{Forecast, Unit};

/// Why the withdrawal advice recommends what it does, in one sentence.
pub fn advice_reason(w: &Words, a: &Advice) -> String {
    let limit = ("limit", w.percent(FEE_SHARE_LIMIT, 1));
    match (a.reason, a.recommended.map(|i| &a.rows[i])) {
        (Reason::Quickest, Some(r)) => w.say(
            "report-advice-quickest",
            &[
                ("threshold", money_in(w, r.threshold as f64)),
                limit,
                ("share", w.percent(r.fee_share, 1)),
                ("days", w.plain(r.days_to_cash, 0)),
            ],
        ),
        (Reason::Cheapest, Some(r)) => w.say(
            "report-advice-cheapest",
            &[
                limit,
                ("threshold", money_in(w, r.threshold as f64)),
                ("share", w.percent(r.fee_share, 1)),
            ],
        ),
        _ => w.say("report-advice-none", &[]),
    }
}

/// Column headings of the withdrawal advice.
pub fn advice_header(w: &Words) -> Vec<String> {
    [
        "report-advice-col-threshold",
        "report-advice-col-withdrawals",
        "report-advice-col-fees",
        "report-advice-col-fee-share",
        "report-advice-col-cash",
        "report-advice-col-days",
    ]
    .map(|id| w.say(id, &[]))
    .to_vec()
}

/// The withdrawal advice for people: a heading, one row per threshold (the scenario's own
/// marked with *), and the recommendation.
pub fn advice_rows(w: &Words, f: &Forecast) -> Option<(String, Vec<[String; 6]>, String)> {
    let a = f.advice.as_ref()?;
    let money = |x: f64| human_in(w, Unit::Money, x);
    let heading = w.say(
        "report-advice-heading",
        &[
            ("fee", money(f.payout_fee as f64)),
            ("currency", f.currency.clone()),
            (
                "percent",
                if f.payout_fee_percent > 0.0 {
                    format!(
                        " + {}",
                        w.say(
                            "number-percent",
                            &[("n", w.number(f.payout_fee_percent, 6))]
                        )
                    )
                } else {
                    String::new()
                },
            ),
        ],
    );
    let rows = a
        .rows
        .iter()
        .map(|r| {
            [
                format!(
                    "{}{}",
                    money(r.threshold as f64),
                    if r.current { " *" } else { "" }
                ),
                w.fixed(r.withdrawals, 1),
                money(r.fees),
                w.percent(r.fee_share, 1),
                money(r.cash),
                w.fixed(r.days_to_cash, 0),
            ]
        })
        .collect();
    Some((
        heading,
        rows,
        w.say("report-advice", &[("reason", advice_reason(w, a))]),
    ))
}

/// A refresh cadence in words: "every month", "every 3 months", "never".
pub fn cadence_text(w: &Words, every: u32) -> String {
    match every {
        0 => w.say("report-cadence-never", &[]),
        1 => w.say("report-cadence-monthly", &[]),
        n => w.say("report-cadence-months", &[("months", n.to_string())]),
    }
}

fn refreshes_text(w: &Words, n: u32) -> String {
    w.say_counts("report-refreshes", &[("count", n as usize)], &[])
}

/// Why the refresh advice recommends what it does, in one sentence.
pub fn refresh_reason(w: &Words, a: &RefreshAdvice, currency: &str) -> String {
    let best = a.best();
    let never = a.never();
    let cost = ("cost", money_in(w, a.refresh_cost as f64));
    let currency = ("currency", currency.to_string());
    match a.reason {
        RefreshReason::NoDifference => w.say("report-refresh-no-difference", &[]),
        RefreshReason::PaysForItself => w.say(
            "report-refresh-pays",
            &[
                ("cadence", cadence_text(w, best.refresh_every_months)),
                ("refreshes", refreshes_text(w, best.refreshes)),
                ("more", money_in(w, best.total_cash - never.total_cash)),
                ("best", money_in(w, best.total_cash)),
                ("never", money_in(w, never.total_cash)),
                ("net", money_in(w, best.net - never.net)),
                cost,
                currency,
            ],
        ),
        RefreshReason::CostsMore => {
            let richest = a
                .rows
                .iter()
                .max_by(|x, y| x.total_cash.total_cmp(&y.total_cash))
                .unwrap_or(best);
            w.say(
                "report-refresh-costs",
                &[
                    ("cadence", cadence_text(w, richest.refresh_every_months)),
                    ("more", money_in(w, richest.total_cash - never.total_cash)),
                    ("refreshes", refreshes_text(w, richest.refreshes)),
                    cost,
                    currency,
                ],
            )
        }
    }
}

/// Column headings of the refresh advice.
pub fn refresh_header(w: &Words) -> Vec<String> {
    [
        "report-refresh-col-cadence",
        "report-refresh-col-refreshes",
        "report-refresh-col-cash",
        "report-refresh-col-run-rate",
        "report-refresh-col-net",
    ]
    .map(|id| w.say(id, &[]))
    .to_vec()
}

/// The refresh advice for people: a heading, one row per cadence (the scenario's own marked
/// with *), and the recommendation.
pub fn refresh_rows(w: &Words, f: &Forecast) -> Option<(String, Vec<[String; 5]>, String)> {
    let a = f.refresh.as_ref()?;
    let money = |x: f64| human_in(w, Unit::Money, x);
    let heading = w.say(
        "report-refresh-heading",
        &[
            ("cost", money(a.refresh_cost as f64)),
            ("currency", f.currency.clone()),
        ],
    );
    let rows = a
        .rows
        .iter()
        .map(|r| {
            [
                format!(
                    "{}{}",
                    cadence_text(w, r.refresh_every_months),
                    if r.current { " *" } else { "" }
                ),
                r.refreshes.to_string(),
                money(r.total_cash),
                money(r.run_rate_cash),
                money(r.net),
            ]
        })
        .collect();
    Some((
        heading,
        rows,
        w.say(
            "report-refresh-advice",
            &[("reason", refresh_reason(w, a, &f.currency))],
        ),
    ))
}
