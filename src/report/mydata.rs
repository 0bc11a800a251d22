//! `affcast track` for people and programs: the months so far, the pipeline now, the
//! nowcast and the kept forecasts against what happened.

use serde_json::json;

use super::numbers::{human, value};
use super::{Format, exporter, track};
use crate::app::track::{Scoring, Track};
use crate::i18n::in_english;
use crate::ledger::Metric;
use crate::stats::Unit;

/// Money in currency units as a JSON number.
fn money(cents: f64) -> serde_json::Value {
    figure(Unit::Money, cents)
}

fn figure(unit: Unit, x: f64) -> serde_json::Value {
    value(unit, x)
        .and_then(|d| d.to_string().parse::<f64>().ok())
        .map_or(serde_json::Value::Null, |f| json!(f))
}

/// The heading: the store, the network, how many imports, as of when.
fn heading(t: &Track) -> String {
    format!(
        "Order store {}: {} orders in {}, {} imports, statuses as of {}",
        t.store, t.network, t.currency, t.imports, t.as_of
    )
}

/// The months so far: header and rows.
fn month_rows(t: &Track) -> (Vec<String>, Vec<Vec<String>>) {
    let header = ["Month", "Orders", "Earned", "Confirmed", "Reversed"]
        .map(String::from)
        .to_vec();
    let rows = t
        .months
        .iter()
        .map(|m| {
            vec![
                m.month.clone(),
                m.orders.to_string(),
                human(Unit::Money, m.earned as f64),
                human(Unit::Money, m.confirmed as f64),
                human(Unit::Money, m.reversed as f64),
            ]
        })
        .collect();
    (header, rows)
}

/// The pipeline now in one sentence.
fn pipeline_line(t: &Track) -> String {
    let p = &t.pipeline;
    format!(
        "In the pipeline now: {} pending orders ({} {cur} of commission not yet confirmed) and {} confirmed orders not yet paid ({} {cur}).",
        p.pending_orders,
        human(Unit::Money, p.pending as f64),
        p.unpaid_orders,
        human(Unit::Money, p.unpaid as f64),
        cur = t.currency
    )
}

/// The nowcast: month, confirmed and cash, each p50 (p10–p90).
fn nowcast_rows(t: &Track) -> (Vec<String>, Vec<Vec<String>>) {
    let f = &t.nowcast;
    let header = ["Month", "Confirmed", "Cash", "Pending (end)"]
        .map(String::from)
        .to_vec();
    let cell = |m: usize, metric: Metric| {
        let b = f.month(m, metric);
        format!(
            "{} ({}–{})",
            human(Unit::Money, b.p50),
            human(Unit::Money, b.p10),
            human(Unit::Money, b.p90)
        )
    };
    let rows = f
        .months
        .iter()
        .enumerate()
        .map(|(m, label)| {
            vec![
                label.clone(),
                cell(m, Metric::Confirmed),
                cell(m, Metric::Cash),
                cell(m, Metric::PendingEnd),
            ]
        })
        .collect();
    (header, rows)
}

/// Each kept forecast of a month that has happened, against its actual.
fn scoring_rows(t: &Track) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "Forecast at",
        "Month",
        "h",
        "Metric",
        "Forecast p50 (p10–p90)",
        "Actual",
        "PIT",
    ]
    .map(String::from)
    .to_vec();
    let rows = t
        .forecast_vs_actual
        .iter()
        .map(|s| {
            let u = s.metric.unit();
            let p = &s.point;
            vec![
                s.exported_at.clone(),
                s.month.clone(),
                s.h.to_string(),
                s.metric.name().to_string(),
                format!(
                    "{} ({}–{})",
                    human(u, p.band.p50),
                    human(u, p.band.p10),
                    human(u, p.band.p90)
                ),
                format!(
                    "{}{}",
                    human(u, p.actual),
                    if p.covered() { "" } else { " ✗" }
                ),
                format!("{:.2}", p.pit),
            ]
        })
        .collect();
    (header, rows)
}

/// The sentences under the tables: what the scores say, or that none is due yet.
fn verdict(t: &Track) -> String {
    if t.forecast_vs_actual.is_empty() {
        return "No kept forecast can be scored yet: the months forecast at an import are scored once a later import shows them complete.".into();
    }
    in_english(|w| {
        t.scores
            .iter()
            .map(|s| {
                let a = &s.all;
                format!(
                    "{}: the 80% band held {} of {} months ({})",
                    s.metric.name(),
                    a.covered,
                    a.points,
                    track::verdict_words(w, s.verdict)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
            + "."
    })
}

/// A text section: a title line and a table made by `grid`.
pub(super) fn text(
    t: &Track,
    grid: impl Fn(Vec<String>, Vec<Vec<String>>) -> String,
    title: impl Fn(&str) -> String,
) -> String {
    let mut out = format!("{}\n", heading(t));
    let (h, r) = month_rows(t);
    out.push_str(&format!(
        "\n{}\n{}",
        title("Months so far (by payment; confirmed and reversed by when they happened)"),
        grid(h, r)
    ));
    out.push_str(&format!("\n{}\n", pipeline_line(t)));
    if t.inferred_times > 0 {
        out.push_str(&format!(
            "{} confirmations or reversals without a time in any export were timed by the downloads around them.\n",
            t.inferred_times
        ));
    }
    let (h, r) = nowcast_rows(t);
    out.push_str(&format!(
        "\n{}\n{}",
        title(&format!(
            "Nowcast: the next {} months from the pipeline now and the scenario ({} simulated worlds, seed {}); median (p10–p90) in {}",
            t.nowcast.months.len(),
            t.nowcast.trials,
            t.nowcast.seed,
            t.currency
        )),
        grid(h, r)
    ));
    let (h, r) = scoring_rows(t);
    out.push_str(&format!(
        "\n{}\n",
        title("Forecast vs actual: each import's forecast of the months that have happened (✗ outside the 80% band)")
    ));
    if !r.is_empty() {
        out.push_str(&grid(h, r));
        let scores = in_english(|w| track::score_rows(w, &backtest_of(t)));
        let header = in_english(track::score_header);
        out.push_str(&format!("\n{}", grid(header, scores)));
    }
    out.push_str(&format!("\n{}\n", verdict(t)));
    out
}

/// The scores in the shape of a backtest's, for its rows.
fn backtest_of(t: &Track) -> crate::backtest::Backtest {
    crate::backtest::Backtest {
        scenario: t.store.clone(),
        currency: t.currency.clone(),
        horizon: crate::app::track::FORECAST_MONTHS as usize,
        trials: t.nowcast.trials,
        seed: t.nowcast.seed,
        scores: t.scores.clone(),
        origins: Vec::new(),
        reversed_without_time: 0,
        confirmed_without_time: 0,
    }
}

fn scoring_json(s: &Scoring) -> serde_json::Value {
    let u = s.metric.unit();
    let p = &s.point;
    json!({
        "import": s.import_id,
        "exported_at": s.exported_at,
        "origin": s.origin,
        "month": s.month,
        "h": s.h,
        "metric": s.metric.name(),
        "p10": figure(u, p.band.p10),
        "p50": figure(u, p.band.p50),
        "p90": figure(u, p.band.p90),
        "mean": figure(u, p.band.mean),
        "actual": figure(u, p.actual),
        "pit": figure(Unit::Ratio, p.pit),
        "covered": p.covered(),
    })
}

/// The JSON document of `affcast track`.
pub(super) fn json_doc(t: &Track) -> String {
    let nowcast: serde_json::Value =
        serde_json::from_str(&exporter(Format::Json).render(&t.nowcast))
            .expect("the forecast is JSON");
    let scores: serde_json::Map<String, serde_json::Value> = t
        .scores
        .iter()
        .map(|s| {
            let a = &s.all;
            let u = s.metric.unit();
            (
                s.metric.name().to_string(),
                json!({
                    "points": a.points,
                    "covered": a.covered,
                    "coverage_80": figure(Unit::Ratio, a.coverage_80),
                    "pinball": figure(u, a.pinball),
                    "naive_pinball": figure(u, a.naive_pinball),
                    "skill": figure(Unit::Ratio, a.skill),
                    "verdict": in_english(|w| track::verdict_words(w, s.verdict)),
                }),
            )
        })
        .collect();
    let doc = json!({
        "store": t.store,
        "network": t.network,
        "currency": t.currency,
        "as_of": t.as_of,
        "imports": t.imports,
        "months": t.months.iter().map(|m| json!({
            "month": m.month,
            "orders": m.orders,
            "earned": money(m.earned as f64),
            "confirmed": money(m.confirmed as f64),
            "reversed": money(m.reversed as f64),
        })).collect::<Vec<_>>(),
        "pipeline": {
            "pending_orders": t.pipeline.pending_orders,
            "pending": money(t.pipeline.pending as f64),
            "unpaid_orders": t.pipeline.unpaid_orders,
            "unpaid": money(t.pipeline.unpaid as f64),
        },
        "nowcast": nowcast,
        "forecast_vs_actual": t.forecast_vs_actual.iter().map(scoring_json).collect::<Vec<_>>(),
        "scores": scores,
        "inferred_times": t.inferred_times,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("the document serializes");
    text.push('\n');
    text
}

/// Tidy CSV: `section,origin,month,metric,actual,mean,p10,p50,p90,pit,covered`; the
/// sections are `actual` (the months so far), `pipeline`, `nowcast` and `forecast`.
pub(super) fn csv_doc(t: &Track) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut write = |r: [String; 11]| {
        w.write_record(r).expect("writing to memory cannot fail");
    };
    write(
        [
            "section", "origin", "month", "metric", "actual", "mean", "p10", "p50", "p90", "pit",
            "covered",
        ]
        .map(String::from),
    );
    let num = |unit: Unit, x: f64| value(unit, x).map(|d| d.to_string()).unwrap_or_default();
    let none = String::new;
    for m in &t.months {
        for (metric, unit, x) in [
            ("orders", Unit::Count, m.orders as f64),
            ("earned", Unit::Money, m.earned as f64),
            ("confirmed", Unit::Money, m.confirmed as f64),
            ("reversed", Unit::Money, m.reversed as f64),
        ] {
            write([
                "actual".into(),
                none(),
                m.month.clone(),
                metric.into(),
                num(unit, x),
                none(),
                none(),
                none(),
                none(),
                none(),
                none(),
            ]);
        }
    }
    let p = &t.pipeline;
    for (metric, unit, x) in [
        ("pending_orders", Unit::Count, p.pending_orders as f64),
        ("pending", Unit::Money, p.pending as f64),
        ("unpaid_orders", Unit::Count, p.unpaid_orders as f64),
        ("unpaid", Unit::Money, p.unpaid as f64),
    ] {
        write([
            "pipeline".into(),
            none(),
            none(),
            metric.into(),
            num(unit, x),
            none(),
            none(),
            none(),
            none(),
            none(),
            none(),
        ]);
    }
    let f = &t.nowcast;
    for (m, label) in f.months.iter().enumerate() {
        for metric in [
            Metric::Orders,
            Metric::Earned,
            Metric::Confirmed,
            Metric::Cash,
        ] {
            let b = f.month(m, metric);
            let u = super::metric_unit(metric);
            write([
                "nowcast".into(),
                f.start.clone(),
                label.clone(),
                metric.name().into(),
                none(),
                num(u, b.mean),
                num(u, b.p10),
                num(u, b.p50),
                num(u, b.p90),
                none(),
                none(),
            ]);
        }
    }
    for s in &t.forecast_vs_actual {
        let u = s.metric.unit();
        let pt = &s.point;
        write([
            "forecast".into(),
            s.origin.clone(),
            s.month.clone(),
            s.metric.name().into(),
            num(u, pt.actual),
            num(u, pt.band.mean),
            num(u, pt.band.p10),
            num(u, pt.band.p50),
            num(u, pt.band.p90),
            num(Unit::Ratio, pt.pit),
            pt.covered().to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
        .expect("the CSV is UTF-8")
}
