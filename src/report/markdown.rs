use super::{
    ADVICE_HEADER, Exporter, KEY_METRICS, advice_rows, compare_text, human, metric_unit, notes,
    sensitivity_rows, summary_cell,
};
use crate::compare::Comparison;
use crate::sensitivity::Sensitivity;
use crate::stats::Forecast;

pub struct MarkdownExporter;

fn md_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "| {} |\n|---|{}\n",
        header.join(" | "),
        "---:|".repeat(header.len() - 1)
    );
    for r in rows {
        out.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    out
}

impl Exporter for MarkdownExporter {
    fn compare(&self, c: &Comparison) -> String {
        let t = compare_text(c);
        let mut out = format!(
            "# Comparison\n\n{}\n\n{}\n",
            t.heading,
            md_table(&t.header, &t.rows)
        );
        for v in t.verdicts {
            out.push_str(&format!("- {v}\n"));
        }
        out
    }

    fn sensitivity(&self, s: &Sensitivity) -> String {
        let (heading, header, rows) = sensitivity_rows(s);
        let mut out = format!(
            "# Sensitivity\n\n{}\n\n{}",
            heading.replace('\n', "\n\n"),
            md_table(&header, &rows)
        );
        if !s.fixed.is_empty() {
            out.push_str(&format!(
                "\nNot swung (zero or a single share): {}\n",
                s.fixed.join(", ")
            ));
        }
        out
    }

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
        if let Some((heading, rows, reason)) = advice_rows(f) {
            out.push_str(&format!(
                "\n## {heading}\n\n| {} |\n|{}\n",
                ADVICE_HEADER.join(" | "),
                "---:|".repeat(ADVICE_HEADER.len())
            ));
            for r in rows {
                out.push_str(&format!("| {} |\n", r.join(" | ")));
            }
            out.push_str(&format!("\n{reason}\n"));
        }
        out
    }
}
