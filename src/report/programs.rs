//! `affcast programs` for people and programs: the source review's scorecard beside what the
//! forecast measures for the site under each program.

use super::decisions::band_cell;
use super::numbers::value;
use crate::app::programs::{ProgramsView, VIEW_FIGURES};
use crate::scorecard::CRITERIA;

fn score_text(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |x| format!("{x:.1}"))
}

/// The two tables and the notes, each table drawn by `table` and titled by `title`.
pub(super) fn text(
    v: &ProgramsView,
    table: impl Fn(Vec<String>, Vec<Vec<String>>) -> String,
    title: impl Fn(&str) -> String,
) -> String {
    let s = &v.scores;
    let mut header = vec![
        "program".to_string(),
        "score".into(),
        "weighted".into(),
        "Trustpilot".into(),
        "internal".into(),
    ];
    header.extend(
        CRITERIA
            .iter()
            .zip(&s.weights)
            .map(|((c, _), w)| format!("{c} ×{w}")),
    );
    let scored = v
        .programs
        .iter()
        .map(|p| {
            let i = p.inputs.clone().unwrap_or_default();
            let mut row = vec![
                p.name.clone(),
                score_text(i.score(s.trustpilot_weight)),
                score_text(i.weighted(&s.weights)),
                score_text(i.trustpilot_stars),
                score_text(i.internal),
            ];
            row.extend(i.criteria.iter().map(|&c| score_text(c)));
            row
        })
        .collect();
    let mut measured_header = vec!["program".to_string()];
    measured_header.extend([
        format!("cash per 1,000 clicks ({})", v.currency),
        "days from sale to bank".into(),
        "reversal share".into(),
        format!("cash per month ({}, last 6)", v.currency),
    ]);
    let measured = v
        .programs
        .iter()
        .map(|p| {
            let mut row = vec![p.name.clone()];
            row.extend(p.figures.iter().map(band_cell));
            row
        })
        .collect();
    let mut out = title("Programs: the review's scorecard");
    out.push_str(&format!(
        "\nscore = Trustpilot stars × 2 × {:.2} + internal × {:.2}; weighted = the criteria × their weights; both rounded up to a tenth. Inputs: {}; edit them with --scores FILE.\n\n",
        s.trustpilot_weight,
        (1.0 - s.trustpilot_weight),
        sources(v)
    ));
    out.push_str(&table(header, scored));
    out.push('\n');
    out.push_str(&title(&format!(
        "What the forecast measures for your site under each ({} trials; median, 10th–90th percentile)",
        v.trials
    )));
    out.push('\n');
    out.push_str(&table(measured_header, measured));
    let assumed: Vec<&crate::app::programs::ProgramRow> = v
        .programs
        .iter()
        .filter(|p| !p.assumed.is_empty())
        .collect();
    if !assumed.is_empty() {
        out.push_str("\nTaken as assumptions, not facts (2ND: a third party says so; ASSUMED: found nowhere):\n");
        for p in assumed {
            out.push_str(&format!("\n{}:\n", p.name));
            for a in &p.assumed {
                out.push_str(&format!("- {a}\n"));
            }
        }
    }
    for (name, why) in &v.skipped {
        out.push_str(&format!("\nnot shown: {name}: {why}\n"));
    }
    out
}

/// Where the inputs come from, program by program.
fn sources(v: &ProgramsView) -> String {
    let named: Vec<String> = v
        .programs
        .iter()
        .filter_map(|p| {
            p.inputs
                .as_ref()
                .map(|i| format!("{} from {}", p.name, i.source))
        })
        .collect();
    if named.is_empty() {
        "none for these programs".into()
    } else {
        named.join("; ")
    }
}

/// Tidy CSV: `program,figure,mean,p10,p50,p90`; the scorecard's values in `mean` alone.
pub(super) fn csv_doc(v: &ProgramsView) -> String {
    let s = &v.scores;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut write = |r: [&str; 6]| w.write_record(r).expect("writing to memory cannot fail");
    write(["program", "figure", "mean", "p10", "p50", "p90"]);
    for p in &v.programs {
        if let Some(i) = &p.inputs {
            let mut items: Vec<(String, Option<f64>)> = vec![
                ("score".into(), i.score(s.trustpilot_weight)),
                ("weighted".into(), i.weighted(&s.weights)),
                ("trustpilot_stars".into(), i.trustpilot_stars),
                ("internal".into(), i.internal),
            ];
            items.extend(
                CRITERIA
                    .iter()
                    .zip(&i.criteria)
                    .map(|((c, _), x)| ((*c).to_string(), *x)),
            );
            for (item, x) in items {
                let x = x.map_or(String::new(), |x| x.to_string());
                write([&p.name, &item, &x, "", "", ""]);
            }
        }
        for (b, f) in p.figures.iter().zip(VIEW_FIGURES) {
            let unit = f.unit();
            let cell = |x: Option<f64>| {
                x.and_then(|x| value(unit, x))
                    .map_or(String::new(), |d| d.to_string())
            };
            let band = b.band.as_ref();
            write([
                &p.name,
                f.name(),
                &cell(band.map(|b| b.mean)),
                &cell(band.map(|b| b.p10)),
                &cell(band.map(|b| b.p50)),
                &cell(band.map(|b| b.p90)),
            ]);
        }
    }
    String::from_utf8(w.into_inner().expect("writing to memory cannot fail"))
        .expect("CSV of UTF-8 text is UTF-8")
}
