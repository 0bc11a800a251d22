use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::{Exporter, KEY_METRICS, human, metric_unit, notes, summary_cell};
use crate::stats::Forecast;

pub struct TableExporter;

impl Exporter for TableExporter {
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
        out
    }
}
