//! Withdrawal and link-refresh advice in words and rows.

use super::numbers::{human, money_text};
use crate::advice::{Advice, FEE_SHARE_LIMIT, Reason};
use crate::refresh::{Reason as RefreshReason, RefreshAdvice};
use crate::stats::{Forecast, Unit};

/// Why the withdrawal advice recommends what it does, in one sentence.
pub fn advice_reason(a: &Advice) -> String {
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let limit = pct(FEE_SHARE_LIMIT);
    match (a.reason, a.recommended.map(|i| &a.rows[i])) {
        (Reason::Quickest, Some(r)) => format!(
            "withdraw_at = {}: the quickest threshold whose fees stay under {limit} of the cash (fees {}, {:.0} days from confirmation to bank on average)",
            money_text(r.threshold as f64),
            pct(r.fee_share),
            r.days_to_cash
        ),
        (Reason::Cheapest, Some(r)) => format!(
            "no threshold keeps fees under {limit} of the cash within the horizon; withdraw_at = {} costs least ({} in fees)",
            money_text(r.threshold as f64),
            pct(r.fee_share)
        ),
        _ => "no withdrawal reaches the bank within the horizon at any of these thresholds".into(),
    }
}

/// Column headings of the withdrawal advice.
pub const ADVICE_HEADER: [&str; 6] = [
    "withdraw_at",
    "withdrawals",
    "fees",
    "fees / cash",
    "cash",
    "days confirmed → bank",
];

/// The withdrawal advice for people: a heading, one row per threshold (the scenario's own
/// marked with *), and the recommendation.
pub fn advice_rows(f: &Forecast) -> Option<(String, Vec<[String; 6]>, String)> {
    let a = f.advice.as_ref()?;
    let heading = format!(
        "Withdrawal advice (fee per withdrawal: {} {}{}; means over trials)",
        human(Unit::Money, f.payout_fee as f64),
        f.currency,
        if f.payout_fee_percent > 0.0 {
            format!(" + {}%", f.payout_fee_percent)
        } else {
            String::new()
        }
    );
    let rows = a
        .rows
        .iter()
        .map(|r| {
            let pct = if r.fee_share.is_finite() {
                format!("{:.1}%", r.fee_share * 100.0)
            } else {
                "—".into()
            };
            let days = if r.days_to_cash.is_finite() {
                format!("{:.0}", r.days_to_cash)
            } else {
                "—".into()
            };
            [
                format!(
                    "{}{}",
                    human(Unit::Money, r.threshold as f64),
                    if r.current { " *" } else { "" }
                ),
                format!("{:.1}", r.withdrawals),
                human(Unit::Money, r.fees),
                pct,
                human(Unit::Money, r.cash),
                days,
            ]
        })
        .collect();
    Some((
        heading,
        rows,
        format!(
            "Advice: {}. (* = this scenario's threshold)",
            advice_reason(a)
        ),
    ))
}

/// A refresh cadence in words: "every month", "every 3 months", "never".
pub fn cadence_text(every: u32) -> String {
    match every {
        0 => "never".into(),
        1 => "every month".into(),
        n => format!("every {n} months"),
    }
}

fn refreshes_text(n: u32) -> String {
    match n {
        1 => "1 refresh".into(),
        n => format!("{n} refreshes"),
    }
}

/// Why the refresh advice recommends what it does, in one sentence.
pub fn refresh_reason(a: &RefreshAdvice, currency: &str) -> String {
    let best = a.best();
    let never = a.never();
    let cost = money_text(a.refresh_cost as f64);
    match a.reason {
        RefreshReason::NoDifference => "every cadence brings the same cash: in this scenario dead links cost nothing (no link dies, or a dead-link click converts like a live one), so refreshing is not worth any time".into(),
        RefreshReason::PaysForItself => format!(
            "refresh {} ({} within the horizon): {} {currency} more cash than never refreshing ({} against {}), and {} {currency} more after {cost} {currency} per refresh, the most of any cadence",
            cadence_text(best.refresh_every_months),
            refreshes_text(best.refreshes),
            money_text(best.total_cash - never.total_cash),
            money_text(best.total_cash),
            money_text(never.total_cash),
            money_text(best.net - never.net),
        ),
        RefreshReason::CostsMore => {
            let richest = a
                .rows
                .iter()
                .max_by(|x, y| x.total_cash.total_cmp(&y.total_cash))
                .unwrap_or(best);
            format!(
                "do not refresh: the best cadence for cash ({}) brings {} {currency} more than never refreshing, less than its {} cost at {cost} {currency} each",
                cadence_text(richest.refresh_every_months),
                money_text(richest.total_cash - never.total_cash),
                refreshes_text(richest.refreshes),
            )
        }
    }
}

/// Column headings of the refresh advice.
pub const REFRESH_HEADER: [&str; 5] = [
    "refresh",
    "refreshes",
    "cash",
    "cash / month (run rate)",
    "net of refresh cost",
];

/// The refresh advice for people: a heading, one row per cadence (the scenario's own marked
/// with *), and the recommendation.
pub fn refresh_rows(f: &Forecast) -> Option<(String, Vec<[String; 5]>, String)> {
    let a = f.refresh.as_ref()?;
    let heading = format!(
        "Refresh advice (dead links; cost per refresh: {} {}; means over the same trials)",
        human(Unit::Money, a.refresh_cost as f64),
        f.currency
    );
    let rows = a
        .rows
        .iter()
        .map(|r| {
            [
                format!(
                    "{}{}",
                    cadence_text(r.refresh_every_months),
                    if r.current { " *" } else { "" }
                ),
                r.refreshes.to_string(),
                human(Unit::Money, r.total_cash),
                human(Unit::Money, r.run_rate_cash),
                human(Unit::Money, r.net),
            ]
        })
        .collect();
    Some((
        heading,
        rows,
        format!(
            "Advice: {}. (* = this scenario's refresh_every_months)",
            refresh_reason(a, &f.currency)
        ),
    ))
}
