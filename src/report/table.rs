use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::{
    ADVICE_HEADER, Exporter, KEY_METRICS, advice_rows, compare_text, human, metric_unit, notes,
    sensitivity_rows, summary_cell,
};
use crate::compare::Comparison;
use crate::sensitivity::Sensitivity;
use crate::stats::Forecast;

pub struct TableExporter;

fn grid(header: Vec<String>, rows: Vec<Vec<String>>, right_from: usize) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.clone());
    for r in rows {
        t.add_row(r);
    }
    for i in right_from..header.len() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

impl Exporter for TableExporter {
    fn compare(&self, c: &Comparison) -> String {
        let t = compare_text(c);
        let mut out = format!("{}\n{}\n", t.heading, grid(t.header, t.rows, 1));
        for v in t.verdicts {
            out.push_str(&format!("{v}\n"));
        }
        out
    }

    fn sensitivity(&self, s: &Sensitivity) -> String {
        let (heading, header, rows) = sensitivity_rows(s);
        let mut out = format!("{heading}\n{}\n", grid(header, rows, 1));
        if !s.fixed.is_empty() {
            out.push_str(&format!(
                "Not swung (zero or a single share): {}\n",
                s.fixed.join(", ")
            ));
        }
        out
    }

    fn render(&self, f: &Forecast) -> String {
        let mut out = format!(
            "{} — {} trials, seed {}, {} months from {} (money in {})\n\
             Each cell: median, and below it the 10th–90th percentile range across trials.\n",
            f.scenario,
            f.trials,
            f.seed,
            f.months.len(),
            f.start,
            f.currency
        );
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        let mut header = vec!["Month".to_string()];
        header.extend(KEY_METRICS.iter().map(|(_, h)| h.to_string()));
        t.set_header(header);
        for (m, label) in f.months.iter().enumerate() {
            let mut row = vec![label.clone()];
            for (metric, _) in KEY_METRICS {
                let b = f.month(m, metric);
                let u = metric_unit(metric);
                row.push(format!(
                    "{}\n{}–{}",
                    human(u, b.p50),
                    human(u, b.p10),
                    human(u, b.p90)
                ));
            }
            t.add_row(row);
        }
        for i in 1..=KEY_METRICS.len() {
            if let Some(c) = t.column_mut(i) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&t.to_string());
        out.push_str("\n\nSummary\n");

        let mut s = Table::new();
        s.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(vec!["Figure", "mean", "p10", "p50", "p90", "What it is"]);
        for sb in &f.summary {
            let cells: [String; 4] = match &sb.band {
                Some(b) => [b.mean, b.p10, b.p50, b.p90].map(|x| summary_cell(f, sb.metric, x)),
                None => std::array::from_fn(|_| "—".to_string()),
            };
            let mut row = vec![sb.metric.name().to_string()];
            row.extend(cells);
            row.push(sb.metric.describe().to_string());
            s.add_row(row);
        }
        for i in 1..=4 {
            if let Some(c) = s.column_mut(i) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&s.to_string());
        out.push('\n');
        for n in notes(f) {
            out.push_str(&format!("\nNote: {n}\n"));
        }
        if let Some((heading, rows, reason)) = advice_rows(f) {
            let mut a = Table::new();
            a.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(ADVICE_HEADER.to_vec());
            for r in rows {
                a.add_row(r.to_vec());
            }
            for i in 0..ADVICE_HEADER.len() {
                if let Some(c) = a.column_mut(i) {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
            out.push_str(&format!("\n{heading}\n{a}\n{reason}\n"));
        }
        out
    }
}
