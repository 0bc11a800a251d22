use serde_json::{Map, Value, json};

use super::{Exporter, metric_unit, value};
use crate::ledger::Metric;
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

impl Exporter for JsonExporter {
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
            let mut v = match &s.band {
                Some(b) => band(s.metric.unit(), b),
                None => json!({"mean": null, "p10": null, "p50": null, "p90": null}),
            };
            if s.undefined > 0 {
                v["trials_undefined"] = json!(s.undefined);
            }
            summary.insert(s.metric.name().into(), v);
        }
        let doc = json!({
            "scenario": f.scenario,
            "currency": f.currency,
            "trials": f.trials,
            "seed": f.seed,
            "start": f.start,
            "monthly": monthly,
            "summary": summary,
            "notes": super::notes(f),
        });
        let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
        s.push('\n');
        s
    }
}
