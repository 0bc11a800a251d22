//! A backtest for people: the verdict in words, the scores, and each origin's months.

use super::human;
use super::numbers::human_in;
use crate::backtest::{Backtest, MetricScores, Point, Scored, Verdict};
use crate::i18n::Words;
use crate::stats::Unit;

/// A verdict in the words a site owner acts on.
pub fn verdict_words(w: &Words, v: Verdict) -> String {
    w.say(
        match v {
            Verdict::TooFew => "report-track-too-few",
            Verdict::Calibrated => "report-track-calibrated",
            Verdict::TooNarrow => "report-track-too-narrow",
            Verdict::TooWide => "report-track-too-wide",
            Verdict::BiasedLow => "report-track-biased-low",
            Verdict::BiasedHigh => "report-track-biased-high",
        },
        &[],
    )
}

fn coverage_sentence(w: &Words, s: &MetricScores) -> String {
    let a = &s.all;
    if a.points == 0 {
        return w.say("report-track-none", &[("metric", s.metric.name().into())]);
    }
    w.say(
        "report-track-coverage",
        &[
            ("covered", a.covered.to_string()),
            ("points", a.points.to_string()),
            ("what", scored_words(w, s.metric)),
            ("percent", w.percent(a.coverage_80, 0)),
            ("verdict", verdict_words(w, s.verdict)),
        ],
    )
}

/// What a scored metric counts, in words.
fn scored_words(w: &Words, s: Scored) -> String {
    w.say(&format!("report-scored-{}", s.name()), &[])
}

/// The verdict paragraph: coverage per metric in words, the skill against a naive forecast,
/// and what the bands can be trusted for.
pub fn verdict(w: &Words, b: &Backtest) -> String {
    let mut out = w.say_counts(
        "report-track-over",
        &[("origins", b.origins.len()), ("horizon", b.horizon)],
        &[],
    );
    out.push(' ');
    let sentences: Vec<String> = b.scores.iter().map(|s| coverage_sentence(w, s)).collect();
    out.push_str(&sentences.join("; "));
    out.push('.');
    if let Some(c) = b.scores.iter().find(|s| s.metric == Scored::Confirmed)
        && c.all.skill.is_finite()
    {
        let s = c.all.skill;
        out.push(' ');
        out.push_str(&w.say(
            if s >= 0.0 {
                "report-track-skill-lower"
            } else {
                "report-track-skill-higher"
            },
            &[("percent", w.percent(s.abs(), 0)), ("skill", w.plain(s, 2))],
        ));
    }
    let few = b.scores.iter().any(|s| s.verdict == Verdict::TooFew);
    let all_good = b.scores.iter().all(|s| s.verdict.is_calibrated());
    let closing = if few {
        "report-track-few"
    } else if all_good {
        "report-track-good"
    } else {
        "report-track-bad"
    };
    for id in [closing, "report-track-overlap"] {
        out.push(' ');
        out.push_str(&w.say(id, &[]));
    }
    out
}

/// Column headings of the scores.
pub fn score_header(w: &Words) -> Vec<String> {
    [
        "report-score-col-metric",
        "report-score-col-months",
        "report-score-col-covered",
        "report-score-col-coverage",
        "report-score-col-pinball",
        "report-score-col-naive",
        "report-score-col-skill",
        "report-score-col-verdict",
    ]
    .map(|id| w.say(id, &[]))
    .to_vec()
}

/// One row per metric (all horizons), then one per metric and horizon step.
pub fn score_rows(w: &Words, scores: &[MetricScores], horizon: usize) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for s in scores {
        let unit = s.metric.unit();
        let row = |label: String, sc: &crate::backtest::Score, verdict: &str| {
            vec![
                label,
                sc.points.to_string(),
                sc.covered.to_string(),
                if sc.points > 0 {
                    w.percent(sc.coverage_80, 0)
                } else {
                    "—".into()
                },
                human_in(w, unit, sc.pinball),
                human_in(w, unit, sc.naive_pinball),
                w.fixed(sc.skill, 2),
                verdict.to_string(),
            ]
        };
        rows.push(row(
            s.metric.name().to_string(),
            &s.all,
            verdict_words(w, s.verdict).split(':').next().unwrap_or(""),
        ));
        if horizon > 1 {
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
pub fn heading(w: &Words, b: &Backtest) -> String {
    w.say(
        "report-track-heading",
        &[
            ("scenario", b.scenario.clone()),
            ("origins", b.origins.len().to_string()),
            ("horizon", b.horizon.to_string()),
            ("trials", b.trials.to_string()),
            ("seed", b.seed.to_string()),
            ("currency", b.currency.clone()),
        ],
    )
}
