use super::{Exporter, metric_unit, value};
use crate::ledger::Metric;
use crate::stats::{Band, Forecast, Unit};

pub struct CsvExporter;

fn cells(unit: Unit, b: Option<&Band>) -> [String; 4] {
    let cell = |x: f64| value(unit, x).map(|d| d.to_string()).unwrap_or_default();
    match b {
        Some(b) => [cell(b.mean), cell(b.p10), cell(b.p50), cell(b.p90)],
        None => Default::default(),
    }
}

impl Exporter for CsvExporter {
    fn render(&self, f: &Forecast) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut write = |month: &str, metric: &str, c: [String; 4]| {
            w.write_record([month, metric, &c[0], &c[1], &c[2], &c[3]])
                .expect("writing to memory cannot fail");
        };
        write(
            "month",
            "metric",
            ["mean", "p10", "p50", "p90"].map(String::from),
        );
        for (m, label) in f.months.iter().enumerate() {
            for metric in Metric::ALL {
                write(
                    label,
                    metric.name(),
                    cells(metric_unit(metric), Some(&f.month(m, metric))),
                );
            }
        }
        for s in &f.summary {
            write(
                "total",
                s.metric.name(),
                cells(s.metric.unit(), s.band.as_ref()),
            );
        }
        let bytes = w.into_inner().expect("writing to memory cannot fail");
        String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8")
    }
}
