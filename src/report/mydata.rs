//! `affcast track` for people and programs: the months so far, the pipeline now, the
//! nowcast and the kept forecasts against what happened.

use serde_json::json;

use super::numbers::{human, human_in, value};
use super::{Format, exporter, track};
use crate::app::track::{FORECAST_MONTHS, Scoring, Track};
use crate::i18n::{Words, in_english};
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
pub(super) fn heading(w: &Words, t: &Track) -> String {
    w.say(
        "report-mydata-sub",
        &[
            ("imports", t.imports.to_string()),
            ("network", t.network.clone()),
            ("store", t.store.clone()),
            ("as-of", t.as_of.clone()),
            ("currency", t.currency.clone()),
        ],
    )
}

/// The months so far (the last `last` of them): header and rows, each figure by `cell`.
pub(super) fn month_rows(w: &Words, t: &Track, last: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "report-col-month",
        "report-part-orders",
        "report-col-earned",
        "report-col-confirmed",
        "report-part-reversed",
    ]
    .map(|id| w.say(id, &[]))
    .to_vec();
    let money = |c: i64| human_in(w, Unit::Money, c as f64);
    let rows = t.months[t.months.len().saturating_sub(last)..]
        .iter()
        .map(|m| {
            vec![
                m.month.clone(),
                human_in(w, Unit::Count, m.orders as f64),
                money(m.earned),
                money(m.confirmed),
                money(m.reversed),
            ]
        })
        .collect();
    (header, rows)
}

/// The pipeline now in one sentence, and the note on inferred times if any.
pub(super) fn pipeline_lines(w: &Words, t: &Track) -> Vec<String> {
    let p = &t.pipeline;
    let money = |c: i64| human_in(w, Unit::Money, c as f64);
    let mut out = vec![w.say(
        "report-mydata-pipeline",
        &[
            ("pending-orders", p.pending_orders.to_string()),
            ("pending", money(p.pending)),
            ("unpaid-orders", p.unpaid_orders.to_string()),
            ("unpaid", money(p.unpaid)),
            ("currency", t.currency.clone()),
        ],
    )];
    if t.inferred_times > 0 {
        out.push(w.say(
            "report-mydata-inferred",
            &[("count", t.inferred_times.to_string())],
        ));
    }
    out
}

/// The nowcast's heading, and its rows: month, confirmed, cash and pending at the month's
/// end, each `cell(p50, p10, p90)`.
pub(super) fn nowcast_rows(
    w: &Words,
    t: &Track,
    cell: impl Fn(String, String, String) -> String,
) -> (String, Vec<String>, Vec<Vec<String>>) {
    let f = &t.nowcast;
    let heading = w.say(
        "report-mydata-nowcast",
        &[
            ("months", f.months.len().to_string()),
            ("trials", f.trials.to_string()),
            ("seed", f.seed.to_string()),
        ],
    );
    let header = [
        "report-col-month",
        "report-col-confirmed",
        "report-col-cash",
        "report-col-pending-end",
    ]
    .map(|id| w.say(id, &[]))
    .to_vec();
    let money = |x: f64| human_in(w, Unit::Money, x);
    let rows = f
        .months
        .iter()
        .enumerate()
        .map(|(m, label)| {
            let mut row = vec![label.clone()];
            for metric in [Metric::Confirmed, Metric::Cash, Metric::PendingEnd] {
                let b = f.month(m, metric);
                row.push(cell(money(b.p50), money(b.p10), money(b.p90)));
            }
            row
        })
        .collect();
    (heading, header, rows)
}

/// Each kept forecast of a month that has happened, against its actual (the command line's
/// table; the HTML report shows the scores).
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

/// What the kept forecasts' scores say, a sentence per metric; or that none is due yet.
pub(super) fn verdict(w: &Words, t: &Track) -> Vec<String> {
    if t.forecast_vs_actual.is_empty() {
        return vec![w.say("report-mydata-fva-none", &[])];
    }
    t.scores
        .iter()
        .map(|s| {
            let a = &s.all;
            w.say(
                "report-track-coverage",
                &[
                    ("covered", a.covered.to_string()),
                    ("points", a.points.to_string()),
                    (
                        "what",
                        w.say(&format!("report-scored-{}", s.metric.name()), &[]),
                    ),
                    ("percent", w.percent(a.coverage_80, 0)),
                    ("verdict", track::verdict_words(w, s.verdict)),
                ],
            )
        })
        .collect()
}

/// A text document (table or Markdown): `grid` draws a table, `title` a section's title.
pub(super) fn text(
    t: &Track,
    grid: impl Fn(Vec<String>, Vec<Vec<String>>) -> String,
    title: impl Fn(&str) -> String,
) -> String {
    in_english(|w| {
        let mut out = format!("{}\n", heading(w, t));
        let (h, r) = month_rows(w, t, usize::MAX);
        out.push_str(&format!(
            "\n{}\n{}",
            title(&w.say("report-mydata-months", &[])),
            grid(h, r)
        ));
        out.push_str(&format!("\n{}\n", pipeline_lines(w, t).join("\n")));
        let (heading, h, r) = nowcast_rows(w, t, |p50, p10, p90| format!("{p50} ({p10}–{p90})"));
        out.push_str(&format!("\n{}\n{}", title(&heading), grid(h, r)));
        out.push_str(&format!("\n{}\n", title(&w.say("report-mydata-fva", &[]))));
        let (h, r) = scoring_rows(t);
        if !r.is_empty() {
            out.push_str(&grid(h, r));
            out.push_str(&format!(
                "\n{}",
                grid(
                    track::score_header(w),
                    track::score_rows(w, &t.scores, FORECAST_MONTHS as usize)
                )
            ));
        }
        out.push_str(&format!("\n{}\n", verdict(w, t).join("; ")));
        out
    })
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
    // Whole counts (orders) as integers, money in currency units.
    let num = |unit: Unit, x: f64| match unit {
        Unit::Count if x.fract() == 0.0 => format!("{x:.0}"),
        _ => value(unit, x).map(|d| d.to_string()).unwrap_or_default(),
    };
    let none = String::new;
    // A figure that happened (a month's, or the pipeline's now): its value, no band.
    let mut fact = |section: &str, month: &str, metric: &str, value: String| {
        write([
            section.into(),
            none(),
            month.into(),
            metric.into(),
            value,
            none(),
            none(),
            none(),
            none(),
            none(),
            none(),
        ]);
    };
    for m in &t.months {
        for (metric, unit, x) in [
            ("orders", Unit::Count, m.orders as f64),
            ("earned", Unit::Money, m.earned as f64),
            ("confirmed", Unit::Money, m.confirmed as f64),
            ("reversed", Unit::Money, m.reversed as f64),
        ] {
            fact("actual", &m.month, metric, num(unit, x));
        }
    }
    let p = &t.pipeline;
    for (metric, unit, x) in [
        ("pending_orders", Unit::Count, p.pending_orders as f64),
        ("pending", Unit::Money, p.pending as f64),
        ("unpaid_orders", Unit::Count, p.unpaid_orders as f64),
        ("unpaid", Unit::Money, p.unpaid as f64),
    ] {
        fact("pipeline", "", metric, num(unit, x));
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
