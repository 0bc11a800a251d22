use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::advice::{advice_header, refresh_header};
use super::forecast::{breakdowns, summary_header};
use super::track;
use super::{
    Exporter, advice_rows, calendar_footnote, compare_text, human, monthly_header, monthly_legend,
    monthly_rows, part_rows, refresh_rows, sensitivity_rows, summary_rows,
};
use crate::backtest::Backtest;
use crate::compare::Comparison;
use crate::i18n::{Lang, Words, in_english};
use crate::sensitivity::Sensitivity;
use crate::stats::Forecast;

pub(super) struct TableExporter;

/// The width the forecast's tables fit.
const TERMINAL_WIDTH: u16 = 100;

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
    fn programs(&self, v: &crate::app::programs::ProgramsView) -> String {
        super::programs::text(
            v,
            |h, r| format!("{}\n", grid(h, r, 1)),
            |title| format!("{title}\n"),
        )
    }

    fn track(&self, t: &crate::app::track::Track) -> String {
        super::mydata::text(
            t,
            |h, r| format!("{}\n", grid(h, r, 1)),
            |title| title.to_string(),
        )
    }

    fn backtest(&self, b: &Backtest) -> String {
        let w = Words::new(Lang::En);
        let scores = grid(
            track::score_header(&w),
            track::score_rows(&w, &b.scores, b.horizon),
            1,
        );
        let points = grid(track::point_header(), track::point_rows(b), 2);
        format!(
            "{}
{scores}
{}

Each origin's months: actual (✗ outside the 80% band), and the forecast's median (p10–p90).
{points}
",
            track::heading(&w, b),
            track::verdict(&w, b)
        )
    }

    fn compare(&self, c: &Comparison) -> String {
        let t = in_english(|w| compare_text(w, c));
        let mut out = format!("{}\n{}\n", t.heading, grid(t.header, t.rows, 1));
        for v in t.verdicts {
            out.push_str(&format!("{v}\n"));
        }
        out
    }

    fn sensitivity(&self, s: &Sensitivity) -> String {
        let (heading, header, rows) = in_english(|w| sensitivity_rows(w, s));
        let mut out = format!("{heading}\n{}\n", grid(header, rows, 1));
        if !s.fixed.is_empty() {
            out.push_str(&format!(
                "Not swung (zero, a single share, or a profile of twelve months): {}\n",
                s.fixed.join(", ")
            ));
        }
        out
    }

    fn render(&self, f: &Forecast) -> String {
        let w = Words::new(Lang::En);
        let mut out = format!(
            "{} — {} trials, seed {}, {} months from {} (money in {})\n\
             Each cell: median, and below it the 10th–90th percentile range across trials (in whole units).\n",
            f.scenario,
            f.trials,
            f.seed,
            f.months.len(),
            f.start,
            f.currency
        );
        let monthly = grid(
            monthly_header(&w, f),
            monthly_rows(&w, f, true, |p50, p10, p90| format!("{p50}\n{p10}–{p90}")),
            1,
        );
        out.push_str(&monthly.to_string());
        out.push_str(&format!("\n{}\n", monthly_legend(&w, f)));
        if let Some(why) = calendar_footnote(&w, f) {
            out.push_str(&format!("{why}\n"));
        }
        out.push_str("\nSummary\n");
        let mut summary = grid(summary_header(&w), summary_rows(&w, f), 1);
        // The description column reads better left-aligned, and wraps so that the table
        // fits a 100-column terminal.
        if let Some(c) = summary.column_mut(5) {
            c.set_cell_alignment(CellAlignment::Left);
        }
        summary
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(TERMINAL_WIDTH);
        out.push_str(&summary.to_string());
        out.push_str(&format!("\n{}", w.say("report-run-rate-note", &[])));
        let titles = ["By category", "By region"];
        for (title, (first, parts)) in titles.into_iter().zip(breakdowns(&w, f)) {
            let (header, rows) = part_rows(&w, parts, &first, |u, b| human(u, b.p50));
            out.push_str(&format!(
                "\n\n{title} (medians; the bands are in JSON and CSV)\n{}",
                grid(header, rows, 1)
            ));
        }
        out.push('\n');
        if let Some((heading, rows, reason)) = advice_rows(&w, f) {
            let advice = grid(
                advice_header(&w),
                rows.into_iter().map(|r| r.to_vec()).collect(),
                0,
            );
            out.push_str(&format!("\n{heading}\n{advice}\n{reason}\n"));
        }
        if let Some((heading, rows, reason)) = refresh_rows(&w, f) {
            let advice = grid(
                refresh_header(&w),
                rows.into_iter().map(|r| r.to_vec()).collect(),
                0,
            );
            out.push_str(&format!("\n{heading}\n{advice}\n{reason}\n"));
        }
        out
    }
}
