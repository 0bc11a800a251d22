//! Comparisons and sensitivity in words and rows: verdicts, objectives, inputs.

use super::numbers::{human, money_text, percent_of_worlds};
use crate::compare::{Comparison, VariantResult, Verdict};
use crate::sensitivity::Sensitivity;
use crate::stats::{Objective, Unit};

/// The words for an objective: what it counts, and over what time.
pub fn objective_words(o: Objective) -> (&'static str, &'static str) {
    match o {
        Objective::RunRateCash => ("cash in the bank", " per month"),
        Objective::RunRateConfirmed => ("confirmed commission", " per month"),
        Objective::TotalCash => ("cash in the bank", " over the whole horizon"),
    }
}

/// A comparison's verdict on one variant against the first, in plain words: the average
/// difference with the simulation's own noise, kept apart from how the difference varies
/// across plausible worlds.
pub fn verdict_text(v: &VariantResult, c: &Comparison) -> Option<String> {
    let first = &c.variants[0].name;
    let money = |x: f64| format!("{} {}", money_text(x), c.currency);
    let (what, per) = objective_words(c.objective);
    let spread = match (&v.diff, v.p_beats) {
        (Some(d), Some(p)) => format!(
            " The difference is not the same in every simulated world: in 8 of 10 it lies between {} and {}, and {} comes out ahead in {} of them.",
            money(d.p10),
            money(d.p90),
            v.name,
            percent_of_worlds(p)
        ),
        _ => String::new(),
    };
    let noise = |se: f64| {
        format!(
            "± {} is the simulation's own noise after {} trials, not a range of outcomes",
            money(2.0 * se),
            c.trials
        )
    };
    Some(match v.verdict? {
        Verdict::Identical => format!(
            "identical to {first} in every simulated world ({} is the same in all {} trials).",
            c.objective.name(),
            c.trials
        ),
        Verdict::Differs { mean, se } => format!(
            "{}{per} {} {what} than {first} on average ({}).{spread}",
            money(mean.abs()),
            if mean > 0.0 { "more" } else { "less" },
            noise(se)
        ),
        Verdict::Noise {
            mean,
            se,
            trials_needed,
        } => {
            let settle = match trials_needed {
                Some(n) => format!("; about {n:.0} trials would tell them apart"),
                None => String::new(),
            };
            format!(
                "no difference in {what}{per} from {first} that the simulation can tell from its own noise ({} on average, {}){settle}.{spread}",
                money(mean),
                noise(se)
            )
        }
    })
}

/// The comparison for people: heading, per-variant rows of cells, and verdict lines.
pub struct CompareText {
    pub heading: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub verdicts: Vec<String>,
}

/// Cells of the comparison: each figure as "p50 (p10–p90)", then the paired difference and
/// P(beats the first).
pub fn compare_text(c: &Comparison) -> CompareText {
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
            for sb in &v.figures {
                let u = sb.metric.unit();
                row.push(match &sb.band {
                    Some(b) => format!(
                        "{} ({}–{})",
                        human(u, b.p50),
                        human(u, b.p10),
                        human(u, b.p90)
                    ),
                    None => "—".into(),
                });
            }
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
                .map(|_| format!("{}: {}", v.name, verdict_text(v, c).unwrap_or_default()))
        })
        .collect();
    CompareText {
        heading: format!(
            "{} variants judged on {} ({}{}), {} paired trials (same seeds, seed {}), money in {}. Cells: median (p10–p90); Δ: mean (p10–p90) of the per-trial difference.",
            c.variants.len(),
            c.objective.name(),
            objective_words(c.objective).0,
            objective_words(c.objective).1,
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
pub fn sensitivity_rows(s: &Sensitivity) -> (String, Vec<String>, Vec<Vec<String>>) {
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
        objective_words(s.objective).0,
        objective_words(s.objective).1,
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
