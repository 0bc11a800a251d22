use serde_json::{Map, Value, json};

use super::{Exporter, metric_unit, value};
use crate::compare::Comparison;
use crate::ledger::Metric;
use crate::sensitivity::Sensitivity;
use crate::stats::{Band, Forecast, Unit};

pub struct JsonExporter;

fn number(unit: Unit, x: f64) -> Value {
    value(unit, x)
        .and_then(|d| d.to_string().parse::<serde_json::Number>().ok())
        .map_or(Value::Null, Value::Number)
}

fn band(unit: Unit, b: &Band) -> Value {
    json!({
        "mean": number(unit, b.mean),
        "p10": number(unit, b.p10),
        "p50": number(unit, b.p50),
        "p90": number(unit, b.p90),
    })
}

fn pretty(doc: &Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("JSON values serialize");
    s.push('\n');
    s
}

fn summary_band(sb: &crate::stats::SummaryBand) -> Value {
    let mut v = match &sb.band {
        Some(b) => band(sb.metric.unit(), b),
        None => json!({"mean": null, "p10": null, "p50": null, "p90": null}),
    };
    if sb.undefined > 0 {
        v["trials_undefined"] = json!(sb.undefined);
    }
    v
}

fn rounded(x: f64, dp: i32) -> Value {
    if x.is_finite() {
        json!((x * 10f64.powi(dp)).round() / 10f64.powi(dp))
    } else {
        Value::Null
    }
}

impl Exporter for JsonExporter {
    fn compare(&self, c: &Comparison) -> String {
        let variants: Vec<Value> = c
            .variants
            .iter()
            .map(|v| {
                let mut figures = Map::new();
                for sb in &v.figures {
                    figures.insert(sb.metric.name().into(), summary_band(sb));
                }
                json!({
                    "name": v.name,
                    "summary": figures,
                    "diff_run_rate_confirmed": v.diff.as_ref().map(|d| band(Unit::Money, d)),
                    "diff_standard_error": v.diff.as_ref().map(|_| number(Unit::Money, v.diff_se)),
                    "p_beats_first": v.p_beats.map(|p| rounded(p, 4)),
                    "verdict": v.verdict,
                })
            })
            .collect();
        pretty(&json!({
            "currency": c.currency,
            "trials": c.trials,
            "seed": c.seed,
            "variants": variants,
        }))
    }

    fn sensitivity(&self, s: &Sensitivity) -> String {
        let rows: Vec<Value> = s
            .rows
            .iter()
            .map(|r| {
                json!({
                    "input": r.key,
                    "low": super::input_value(r, r.low),
                    "high": super::input_value(r, r.high),
                    "run_rate_confirmed_low": number(Unit::Money, r.run_rate_low),
                    "run_rate_confirmed_high": number(Unit::Money, r.run_rate_high),
                    "first_cash_month_low": rounded(r.first_cash_low, 2),
                    "first_cash_month_high": rounded(r.first_cash_high, 2),
                })
            })
            .collect();
        pretty(&json!({
            "scenario": s.scenario,
            "currency": s.currency,
            "trials": s.trials,
            "seed": s.seed,
            "swing": s.swing,
            "base": {
                "run_rate_confirmed": number(Unit::Money, s.base_run_rate),
                "first_cash_month": rounded(s.base_first_cash, 2),
            },
            "inputs": rows,
            "not_swung": s.fixed,
        }))
    }

    fn render(&self, f: &Forecast) -> String {
        let monthly: Vec<Value> = f
            .months
            .iter()
            .enumerate()
            .map(|(m, label)| {
                let mut row = Map::new();
                row.insert("month".into(), Value::String(label.clone()));
                for metric in Metric::ALL {
                    row.insert(
                        metric.name().into(),
                        band(metric_unit(metric), &f.month(m, metric)),
                    );
                }
                Value::Object(row)
            })
            .collect();
        let mut summary = Map::new();
        for s in &f.summary {
            summary.insert(s.metric.name().into(), summary_band(s));
        }
        let advice = f.advice.as_ref().map(|a| {
            json!({
                "thresholds": a.rows.iter().map(|r| json!({
                    "withdraw_at": number(Unit::Money, r.threshold as f64),
                    "current": r.current,
                    "withdrawals": rounded(r.withdrawals, 2),
                    "fees": number(Unit::Money, r.fees),
                    "cash": number(Unit::Money, r.cash),
                    "fee_share": rounded(r.fee_share, 4),
                    "days_to_cash": rounded(r.days_to_cash, 1),
                })).collect::<Vec<_>>(),
                "recommended": a.recommended.map(|i| number(Unit::Money, a.rows[i].threshold as f64)),
                "reason": a.reason,
            })
        });
        let doc = json!({
            "scenario": f.scenario,
            "currency": f.currency,
            "trials": f.trials,
            "seed": f.seed,
            "start": f.start,
            "monthly": monthly,
            "summary": summary,
            "notes": super::notes(f),
            "withdrawal_advice": advice,
            "opening_pipeline": f.opening.as_ref().map(|o| json!({
                "as_of": o.as_of,
                "pending_orders": o.pending_orders,
                "pending": number(Unit::Money, o.pending as f64),
                "unsettled_orders": o.unsettled_orders,
                "unsettled": number(Unit::Money, o.unsettled as f64),
                "skipped_orders": o.skipped,
            })),
        });
        pretty(&doc)
    }
}
