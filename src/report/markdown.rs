use super::{Exporter, KEY_METRICS, human, metric_unit, notes, summary_cell};
use crate::stats::Forecast;

pub struct MarkdownExporter;

impl Exporter for MarkdownExporter {
    fn render(&self, f: &Forecast) -> String {
        let mut out = format!(
            "# {}\n\n{} trials, seed {}, {} months from {}; money in {}. \
             Cells: median (10th–90th percentile).\n\n",
            f.scenario,
            f.trials,
            f.seed,
            f.months.len(),
            f.start,
            f.currency
        );
        out.push_str("| Month |");
        for (_, h) in KEY_METRICS {
            out.push_str(&format!(" {h} |"));
        }
        out.push_str("\n|---|");
        out.push_str(&"---:|".repeat(KEY_METRICS.len()));
        out.push('\n');
        for (m, label) in f.months.iter().enumerate() {
            out.push_str(&format!("| {label} |"));
            for (metric, _) in KEY_METRICS {
                let b = f.month(m, metric);
                let u = metric_unit(metric);
                out.push_str(&format!(
                    " {} ({}–{}) |",
                    human(u, b.p50),
                    human(u, b.p10),
                    human(u, b.p90)
                ));
            }
            out.push('\n');
        }
        out.push_str("\n## Summary\n\n| Figure | mean | p10 | p50 | p90 | What it is |\n|---|---:|---:|---:|---:|---|\n");
        for s in &f.summary {
            let [a, b, c, d] = match &s.band {
                Some(b) => [b.mean, b.p10, b.p50, b.p90].map(|x| summary_cell(f, s.metric, x)),
                None => std::array::from_fn(|_| "—".to_string()),
            };
            out.push_str(&format!(
                "| {} | {a} | {b} | {c} | {d} | {} |\n",
                s.metric.name(),
                s.metric.describe()
            ));
        }
        for n in notes(f) {
            out.push_str(&format!("\n> {n}\n"));
        }
        out
    }
}
