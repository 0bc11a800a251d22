//! Every exporter on fixed, hand-built results: a change to the engine does not move these
//! snapshots; a change to how a result is written does (review with `cargo insta review`).

use affcast::advice::{Advice, Reason, ThresholdRow};
use affcast::compare::{Comparison, VariantResult, Verdict};
use affcast::ledger::{Metric, N_METRICS};
use affcast::refresh::{CadenceRow, Reason as RefreshReason, RefreshAdvice};
use affcast::report::{Format, exporter};
use affcast::sensitivity::{Row, Sensitivity};
use affcast::stats::{
    Band, Forecast, Objective, OpeningSummary, PartBands, PartFigure, SummaryBand, SummaryMetric,
    Unit,
};

const FORMATS: [(Format, &str); 4] = [
    (Format::Table, "table"),
    (Format::Json, "json"),
    (Format::Csv, "csv"),
    (Format::Markdown, "markdown"),
];

fn band(mean: f64) -> Band {
    Band {
        mean,
        p10: mean * 0.5,
        p50: mean * 0.9,
        p90: mean * 1.6,
    }
}

/// Two months of a small site, its summary, advice and an opening pipeline.
fn forecast() -> Forecast {
    let month = |scale: f64| -> [Band; N_METRICS] {
        Metric::ALL.map(|m| band(scale * (m as usize as f64 + 1.0) * 1234.5))
    };
    let summary = SummaryMetric::ALL
        .iter()
        .map(|&metric| SummaryBand {
            metric,
            band: Some(match metric {
                SummaryMetric::Epc => band(1.25),
                SummaryMetric::ReversalRate => band(0.0916),
                SummaryMetric::FirstCashMonth => band(2.0),
                _ => band(98_765.0),
            }),
            undefined: u32::from(metric == SummaryMetric::FirstCashMonth) * 3,
        })
        .collect();
    Forecast {
        scenario: "Hand-built site".into(),
        currency: "USD".into(),
        trials: 40,
        seed: 7,
        start: "2027-01".into(),
        months: vec!["2027-01".into(), "2027-02".into()],
        monthly: vec![month(1.0), month(2.0)],
        summary,
        opening: Some(OpeningSummary {
            as_of: "2026-12-31 23:00".into(),
            pending_orders: 12,
            pending: 4_321,
            unsettled_orders: 3,
            unsettled: 1_500,
            skipped: 40,
        }),
        advice: Some(Advice {
            rows: vec![
                ThresholdRow {
                    threshold: 1_600,
                    current: true,
                    withdrawals: 2.0,
                    fees: 3_000.0,
                    cash: 50_000.0,
                    fee_share: 0.06,
                    days_to_cash: 45.2,
                },
                ThresholdRow {
                    threshold: 50_000,
                    current: false,
                    withdrawals: 0.5,
                    fees: 750.0,
                    cash: 40_000.0,
                    fee_share: 0.0188,
                    days_to_cash: f64::NAN,
                },
            ],
            recommended: Some(0),
            reason: Reason::Cheapest,
        }),
        withdrawal_threshold: 1_600,
        payout_fee: 1_500,
        payout_fee_percent: 0.5,
        unpaid_end: vec![band(5_000.0), band(0.0)],
        clicks_per_month: 25_000.0,
        settlement_day: Some(25),
        payout_delay_days: 5,
        by_category: vec![part("phones", true, 3.0), part("=gadgets", true, 1.0)],
        by_region: vec![part("EU", false, 4.0)],
        dead_link_share: None,
        refresh: None,
    }
}

/// The same forecast with dying links: the dead share per month and the refresh advice.
fn forecast_with_links() -> Forecast {
    let row = |every: u32, current: bool, refreshes: u32, cash: f64| CadenceRow {
        refresh_every_months: every,
        current,
        refreshes,
        total_cash: cash,
        run_rate_cash: cash / 6.0,
        net: cash - f64::from(refreshes) * 2_500.0,
    };
    Forecast {
        dead_link_share: Some(vec![band(0.125), band(0.3)]),
        refresh: Some(RefreshAdvice {
            rows: vec![
                row(1, false, 1, 61_000.0),
                row(2, true, 0, 55_000.0),
                row(0, false, 0, 55_000.0),
            ],
            recommended: 0,
            reason: RefreshReason::PaysForItself,
            refresh_cost: 2_500,
        }),
        ..forecast()
    }
}

/// A category (with clicks, run rate and EPC) or a region, its figures scaled by `scale`.
fn part(name: &str, clicks: bool, scale: f64) -> PartBands {
    let figure = |name: &'static str, unit: Unit, mean: f64| PartFigure {
        name,
        unit,
        band: Some(band(mean * scale)),
    };
    let mut figures = Vec::new();
    if clicks {
        figures.push(figure("clicks", Unit::Count, 10_000.0));
    }
    figures.extend([
        figure("orders", Unit::Count, 100.0),
        figure("earned", Unit::Money, 12_345.0),
        figure("confirmed", Unit::Money, 10_000.0),
        figure("reversed", Unit::Money, 1_000.0),
    ]);
    if clicks {
        figures.push(figure("run_rate_confirmed", Unit::Money, 2_000.0));
        figures.push(figure("epc", Unit::MoneyPerClick, 1.0));
    }
    PartBands {
        name: name.into(),
        figures,
    }
}

fn comparison() -> Comparison {
    let figures = |scale: f64| {
        affcast::compare::FIGURES
            .iter()
            .map(|&metric| SummaryBand {
                metric,
                band: Some(band(scale * 10_000.0)),
                undefined: 0,
            })
            .collect()
    };
    let variant = |name: &str, scale: f64, verdict: Option<Verdict>| VariantResult {
        name: name.into(),
        figures: figures(scale),
        objective: SummaryBand {
            metric: SummaryMetric::RunRateCash,
            band: Some(band(scale * 9_000.0)),
            undefined: 0,
        },
        diff: verdict.map(|_| band((scale - 1.0) * 10_000.0)),
        diff_se: 123.4,
        p_beats: verdict.map(|_| 0.625),
        verdict,
    };
    Comparison {
        objective: Objective::RunRateCash,
        currency: "EUR".into(),
        trials: 200,
        seed: 42,
        variants: vec![
            variant("base", 1.0, None),
            variant(
                "=phones",
                1.1,
                Some(Verdict::Differs {
                    mean: 1_000.0,
                    se: 123.4,
                }),
            ),
            variant(
                "gadgets",
                1.01,
                Some(Verdict::Noise {
                    mean: 100.0,
                    se: 123.4,
                    trials_needed: Some(2_741.0),
                }),
            ),
            variant("same", 1.0, Some(Verdict::Identical)),
        ],
    }
}

fn sensitivity() -> Sensitivity {
    let row = |key: &str, low: f64, high: f64, money: bool, effect: f64| Row {
        key: key.into(),
        low,
        high,
        money,
        at_low: 50_000.0 - effect,
        at_high: 50_000.0 + effect,
        first_cash_low: 3.0,
        first_cash_high: f64::NAN,
    };
    Sensitivity {
        scenario: "Hand-built site".into(),
        currency: "USD".into(),
        trials: 200,
        seed: 42,
        swing: 0.2,
        objective: Objective::RunRateCash,
        base: 50_000.0,
        base_first_cash: 3.0,
        rows: vec![
            row(
                "traffic.clicks_per_month",
                24_000.0,
                36_000.0,
                false,
                10_000.0,
            ),
            row("program.payout_fee", 1_200.0, 1_800.0, true, 250.0),
        ],
        fixed: vec!["categories.a.hot_share".into()],
    }
}

#[test]
fn forecast_in_every_format() {
    let f = forecast();
    for (format, name) in FORMATS {
        insta::assert_snapshot!(format!("forecast_{name}"), exporter(format).render(&f));
    }
}

#[test]
fn forecast_with_dying_links_in_every_format() {
    let f = forecast_with_links();
    for (format, name) in FORMATS {
        insta::assert_snapshot!(format!("links_{name}"), exporter(format).render(&f));
    }
}

#[test]
fn comparison_in_every_format() {
    let c = comparison();
    for (format, name) in FORMATS {
        insta::assert_snapshot!(format!("compare_{name}"), exporter(format).compare(&c));
    }
}

#[test]
fn sensitivity_in_every_format() {
    let s = sensitivity();
    for (format, name) in FORMATS {
        insta::assert_snapshot!(
            format!("sensitivity_{name}"),
            exporter(format).sensitivity(&s)
        );
    }
}
