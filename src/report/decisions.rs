//! Comparisons and sensitivity in words and rows: verdicts, objectives, inputs.

use super::numbers::{human, money_in, money_text, worlds_in};
use crate::compare::{Comparison, VariantResult, Verdict};
use crate::i18n::Words;
use crate::sensitivity::Sensitivity;
use crate::stats::{Objective, Unit};

/// The words for an objective: what it counts, and over what time (with its leading space:
/// " per month").
pub fn objective_words(w: &Words, o: Objective) -> (String, String) {
    let (what, per) = match o {
        Objective::RunRateCash => ("report-objective-cash", "report-per-month"),
        Objective::RunRateConfirmed => ("report-objective-confirmed", "report-per-month"),
        Objective::TotalCash => ("report-objective-cash", "report-per-horizon"),
    };
    (w.say(what, &[]), format!(" {}", w.say(per, &[])))
}

/// A comparison's verdict on one variant against the first, in plain words: the average
/// difference with the simulation's own noise, kept apart from how the difference varies
/// across plausible worlds.
pub fn verdict_text(w: &Words, v: &VariantResult, c: &Comparison) -> Option<String> {
    let base = ("base", c.variants[0].name.clone());
    let money = |x: f64| format!("{} {}", money_in(w, x), c.currency);
    let (what, per) = objective_words(w, c.objective);
    let spread = match (&v.diff, v.p_beats) {
        (Some(d), Some(p)) => format!(
            " {}",
            w.say(
                "report-verdict-spread",
                &[
                    ("low", money(d.p10)),
                    ("high", money(d.p90)),
                    ("name", v.name.clone()),
                    ("ahead", worlds_in(w, p)),
                ],
            )
        ),
        _ => String::new(),
    };
    let trials = c.trials.to_string();
    let noise = |se: f64| {
        w.say(
            "report-verdict-noise-se",
            &[("noise", money(2.0 * se)), ("trials", trials.clone())],
        )
    };
    let text = match v.verdict? {
        Verdict::Identical => w.say(
            "report-verdict-identical",
            &[
                base,
                ("objective", c.objective.name().into()),
                ("trials", trials.clone()),
            ],
        ),
        Verdict::Differs { mean, se } => {
            w.say(
                if mean > 0.0 {
                    "report-verdict-more"
                } else {
                    "report-verdict-less"
                },
                &[
                    ("amount", money(mean.abs())),
                    ("per", per),
                    ("what", what),
                    base,
                    ("noise", noise(se)),
                ],
            ) + &spread
        }
        Verdict::Noise {
            mean,
            se,
            trials_needed,
        } => {
            let settle = trials_needed.map_or(String::new(), |n| {
                w.say("report-verdict-settle", &[("trials", format!("{n:.0}"))])
            });
            w.say(
                "report-verdict-noise",
                &[
                    ("what", what),
                    ("per", per),
                    base,
                    ("amount", money(mean)),
                    ("noise", noise(se)),
                    ("settle", settle),
                ],
            ) + &spread
        }
    };
    Some(text)
}

/// The comparison for people: heading, per-variant rows of cells, and verdict lines.
pub struct CompareText {
    pub heading: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub verdicts: Vec<String>,
}

/// A summary figure as "p50 (p10–p90)", "—" where no trial has it.
pub(super) fn band_cell(sb: &crate::stats::SummaryBand) -> String {
    let u = sb.metric.unit();
    match &sb.band {
        Some(b) => format!(
            "{} ({}–{})",
            human(u, b.p50),
            human(u, b.p10),
            human(u, b.p90)
        ),
        None => "—".into(),
    }
}

/// Cells of the comparison: each figure as "p50 (p10–p90)", then the paired difference and
/// P(beats the first).
pub fn compare_text(w: &Words, c: &Comparison) -> CompareText {
    let first = &c.variants[0].name;
    let mut header = vec!["Variant".to_string()];
    header.extend(
        c.variants[0]
            .figures
            .iter()
            .map(|f| f.metric.name().to_string()),
    );
    header.push(format!("Δ {} vs {first}", c.objective.name()));
    header.push(format!("P(beats {first})"));
    let rows = c
        .variants
        .iter()
        .map(|v| {
            let mut row = vec![v.name.clone()];
            row.extend(v.figures.iter().map(band_cell));
            row.push(match &v.diff {
                Some(d) => format!(
                    "{} ({}–{})",
                    human(Unit::Money, d.mean),
                    human(Unit::Money, d.p10),
                    human(Unit::Money, d.p90)
                ),
                None => "—".into(),
            });
            row.push(
                v.p_beats
                    .map_or("—".into(), |p| format!("{:.1}%", p * 100.0)),
            );
            row
        })
        .collect();
    let verdicts = c
        .variants
        .iter()
        .filter_map(|v| {
            v.verdict
                .map(|_| format!("{}: {}", v.name, verdict_text(w, v, c).unwrap_or_default()))
        })
        .collect();
    let (what, per) = objective_words(w, c.objective);
    CompareText {
        heading: format!(
            "{} variants judged on {} ({}{}), {} paired trials (same seeds, seed {}), money in {}. Cells: median (p10–p90); Δ: mean (p10–p90) of the per-trial difference.",
            c.variants.len(),
            c.objective.name(),
            what,
            per,
            c.trials,
            c.seed,
            c.currency
        ),
        header,
        rows,
        verdicts,
    }
}

/// A swept input's value as printed: money in currency units, other numbers to 6 decimals.
pub fn input_value(r: &crate::sensitivity::Row, v: f64) -> String {
    if r.money {
        money_text(v)
    } else {
        format!("{}", (v * 1e6).round() / 1e6)
    }
}

/// The tornado for people: heading and rows.
pub fn sensitivity_rows(w: &Words, s: &Sensitivity) -> (String, Vec<String>, Vec<Vec<String>>) {
    let (what, per) = objective_words(w, s.objective);
    let money = |x: f64| human(Unit::Money, x);
    let signed = |x: f64| {
        let d = x - s.base;
        format!("{}{}", if d >= 0.0 { "+" } else { "" }, money(d))
    };
    let month = |x: f64| {
        if x.is_finite() {
            format!("{x:.2}")
        } else {
            "—".into()
        }
    };
    let heading = format!(
        "{}: one input at a time (intervals at their low/high, other inputs ±{:.0}%), everything else central; {} trials on common seeds (seed {}), judged on {} ({}{}), money in {}.\nBase: {} {}, first_cash_month {}.",
        s.scenario,
        s.swing * 100.0,
        s.trials,
        s.seed,
        s.objective.name(),
        what,
        per,
        s.currency,
        s.objective.name(),
        money(s.base),
        month(s.base_first_cash)
    );
    let o = s.objective.name();
    let header = vec![
        "Input".to_string(),
        "low".into(),
        "high".into(),
        format!("Δ {o} at low"),
        format!("Δ {o} at high"),
        "first cash at low".into(),
        "first cash at high".into(),
    ];
    let rows = s
        .rows
        .iter()
        .map(|r| {
            vec![
                r.key.clone(),
                input_value(r, r.low),
                input_value(r, r.high),
                signed(r.at_low),
                signed(r.at_high),
                month(r.first_cash_low),
                month(r.first_cash_high),
            ]
        })
        .collect();
    (heading, header, rows)
}
