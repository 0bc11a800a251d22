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

pub(super) struct MarkdownExporter;

fn md_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "{}|---|{}\n",
        md_row(header),
        "---:|".repeat(header.len() - 1)
    );
    for r in rows {
        out.push_str(&md_row(r));
    }
    out
}

/// One table row: a `|` inside a cell (a category named "a|b") is escaped so that it does not
/// start a column, and a line break is a space, so that it does not end the row.
fn md_row(cells: &[String]) -> String {
    let cells: Vec<String> = cells
        .iter()
        .map(|c| c.replace('|', "\\|").replace(['\n', '\r'], " "))
        .collect();
    format!("| {} |\n", cells.join(" | "))
}

impl Exporter for MarkdownExporter {
    fn programs(&self, v: &crate::app::programs::ProgramsView) -> String {
        super::programs::text(v, |h, r| md_table(&h, &r), |title| format!("## {title}\n"))
    }

    fn track(&self, t: &crate::app::track::Track) -> String {
        super::mydata::text(t, |h, r| md_table(&h, &r), |title| format!("## {title}\n"))
    }

    fn backtest(&self, b: &Backtest) -> String {
        let w = Words::new(Lang::En);
        let header = track::score_header(&w);
        format!(
            "# {}\n\n{}\n\n## Scores\n\n{}\n## Each origin's months\n\nActual (✗ outside the 80% band), and the forecast's median (p10–p90).\n\n{}",
            track::heading(&w, b),
            track::verdict(&w, b),
            md_table(&header, &track::score_rows(&w, &b.scores, b.horizon)),
            md_table(&track::point_header(), &track::point_rows(b))
        )
    }

    fn compare(&self, c: &Comparison) -> String {
        let t = in_english(|w| compare_text(w, c));
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
        let (heading, header, rows) = in_english(|w| sensitivity_rows(w, s));
        let mut out = format!(
            "# Sensitivity\n\n{}\n\n{}",
            heading.replace('\n', "\n\n"),
            md_table(&header, &rows)
        );
        if !s.fixed.is_empty() {
            out.push_str(&format!(
                "\nNot swung (zero, a single share, or a profile of twelve months): {}\n",
                s.fixed.join(", ")
            ));
        }
        out
    }

    fn render(&self, f: &Forecast) -> String {
        let w = Words::new(Lang::En);
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
        out.push_str(&md_table(
            &monthly_header(&w, f),
            &monthly_rows(&w, f, false, |p50, p10, p90| format!("{p50} ({p10}–{p90})")),
        ));
        out.push_str(&format!("\n{}\n", monthly_legend(&w, f)));
        if let Some(why) = calendar_footnote(&w, f) {
            out.push_str(&format!("\n{why}\n"));
        }
        out.push_str("\n## Summary\n\n");
        out.push_str(&md_table(&summary_header(&w), &summary_rows(&w, f)));
        out.push_str(&format!("\n{}\n", w.say("report-run-rate-note", &[])));
        let titles = ["By category", "By region"];
        for (title, (first, parts)) in titles.into_iter().zip(breakdowns(&w, f)) {
            let (header, rows) = part_rows(&w, parts, &first, |u, b| {
                format!(
                    "{} ({}–{})",
                    human(u, b.p50),
                    human(u, b.p10),
                    human(u, b.p90)
                )
            });
            out.push_str(&format!("\n## {title}\n\n{}", md_table(&header, &rows)));
        }
        if let Some((heading, rows, reason)) = advice_rows(&w, f) {
            let header = advice_header(&w);
            out.push_str(&format!(
                "\n## {heading}\n\n| {} |\n|{}\n",
                header.join(" | "),
                "---:|".repeat(header.len())
            ));
            for r in rows {
                out.push_str(&md_row(&r));
            }
            out.push_str(&format!("\n{reason}\n"));
        }
        if let Some((heading, rows, reason)) = refresh_rows(&w, f) {
            let header = refresh_header(&w);
            out.push_str(&format!(
                "\n## {heading}\n\n| {} |\n|{}\n",
                header.join(" | "),
                "---:|".repeat(header.len())
            ));
            for r in rows {
                out.push_str(&md_row(&r));
            }
            out.push_str(&format!("\n{reason}\n"));
        }
        out
    }
}
