//! A backtest for people: the verdict in words, the scores, and each origin's months.

use super::{human, percent};
use crate::backtest::{Backtest, MetricScores, Point, Scored, Verdict};
use crate::stats::Unit;

/// A verdict in the words a site owner acts on.
pub fn verdict_words(v: Verdict) -> &'static str {
    match v {
        Verdict::TooFew => "too few points to tell",
        Verdict::Calibrated => "calibrated",
        Verdict::TooNarrow => "bands too narrow: the months varied more than the forecast allowed",
        Verdict::TooWide => "bands too wide: the months varied less than the forecast allowed",
        Verdict::BiasedLow => {
            "biased low: the actual months came in above most of the simulated ones"
        }
        Verdict::BiasedHigh => {
            "biased high: the actual months came in below most of the simulated ones"
        }
    }
}

fn coverage_sentence(s: &MetricScores) -> String {
    let a = &s.all;
    if a.points == 0 {
        return format!("no {} months to score", s.metric.name());
    }
    format!(
        "the 80% band held {} of {} months of {} ({}): {}",
        a.covered,
        a.points,
        s.metric.words(),
        percent(a.coverage_80),
        verdict_words(s.verdict)
    )
}

/// The verdict paragraph: coverage per metric in words, the skill against a naive forecast,
/// and what the bands can be trusted for.
pub fn verdict(b: &Backtest) -> String {
    let mut out = format!(
        "Over {} origin{} with {} month{} ahead each: ",
        b.origins.len(),
        if b.origins.len() == 1 { "" } else { "s" },
        b.horizon,
        if b.horizon == 1 { "" } else { "s" }
    );
    let sentences: Vec<String> = b.scores.iter().map(coverage_sentence).collect();
    out.push_str(&sentences.join("; "));
    out.push('.');
    if let Some(c) = b.scores.iter().find(|s| s.metric == Scored::Confirmed)
        && c.all.skill.is_finite()
    {
        let s = c.all.skill;
        out.push_str(&format!(
            " Against repeating the last full month, the forecast's quantile loss on confirmed money was {} {} (skill {:.2}).",
            percent(s.abs()),
            if s >= 0.0 { "lower" } else { "higher" },
            s
        ));
    }
    let few = b.scores.iter().any(|s| s.verdict == Verdict::TooFew);
    let all_good = b.scores.iter().all(|s| s.verdict.is_calibrated());
    out.push_str(if few {
        " With this few months the binomial error is too large to call the bands right or wrong: give a longer export, or more origins."
    } else if all_good {
        " The bands were honest about this site's past: an 80% band can be read as 8 months in 10."
    } else {
        " The bands were not calibrated on this site's past: read them with care, and look at which months missed below."
    });
    out.push_str(" (Months scored from overlapping origins are not independent, so the counts are less certain than they look.)");
    out
}

/// Column headings of the scores.
pub const SCORE_HEADER: [&str; 8] = [
    "metric",
    "months",
    "in 80% band",
    "coverage",
    "pinball loss",
    "naive loss",
    "skill",
    "verdict",
];

/// One row per metric (all horizons), then one per metric and horizon step.
pub fn score_rows(b: &Backtest) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for s in &b.scores {
        let unit = s.metric.unit();
        let row = |label: String, sc: &crate::backtest::Score, verdict: &str| {
            vec![
                label,
                sc.points.to_string(),
                sc.covered.to_string(),
                if sc.points > 0 {
                    percent(sc.coverage_80)
                } else {
                    "—".into()
                },
                human(unit, sc.pinball),
                human(unit, sc.naive_pinball),
                if sc.skill.is_finite() {
                    format!("{:.2}", sc.skill)
                } else {
                    "—".into()
                },
                verdict.to_string(),
            ]
        };
        rows.push(row(
            s.metric.name().to_string(),
            &s.all,
            verdict_words(s.verdict).split(':').next().unwrap_or(""),
        ));
        if b.horizon > 1 {
            for (i, sc) in s.by_h.iter().enumerate() {
                rows.push(row(format!("  h = {}", i + 1), sc, ""));
            }
        }
    }
    rows
}

/// Column headings of each origin's months.
pub fn point_header() -> Vec<String> {
    let mut h = vec!["origin".to_string(), "month".into(), "h".into()];
    for s in Scored::ALL {
        h.push(format!("{} actual", s.name()));
        h.push("forecast".into());
    }
    h
}

/// A forecast point as "p50 (p10–p90)" with the actual's PIT, and a mark when outside.
fn cell(unit: Unit, p: &Point) -> [String; 2] {
    let mark = if p.covered() { "" } else { " ✗" };
    [
        format!("{}{mark}", human(unit, p.actual)),
        format!(
            "{} ({}–{})",
            human(unit, p.band.p50),
            human(unit, p.band.p10),
            human(unit, p.band.p90)
        ),
    ]
}

/// One row per origin and month ahead.
pub fn point_rows(b: &Backtest) -> Vec<Vec<String>> {
    b.origins
        .iter()
        .flat_map(|o| {
            o.months.iter().map(|m| {
                let mut row = vec![o.origin.clone(), m.month.clone(), m.h.to_string()];
                for (s, p) in Scored::ALL.iter().zip(&m.points) {
                    row.extend(cell(s.unit(), p));
                }
                row
            })
        })
        .collect()
}

/// The heading line of a backtest.
pub fn heading(b: &Backtest) -> String {
    format!(
        "Backtest of {} — {} origins, {} months ahead, {} trials each, seed {} (money in {})",
        b.scenario,
        b.origins.len(),
        b.horizon,
        b.trials,
        b.seed,
        b.currency
    )
}
