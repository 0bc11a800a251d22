//! The parts of a forecast every format shows: summary and monthly rows, legends,
//! footnotes, assumptions and notes.

use super::numbers::{human_in, metric_unit, money_in, whole_in};
use crate::app::Note;
use crate::choice::Choice;
use crate::i18n::{Words, in_english};
use crate::ledger::Metric;
use crate::scenario::params::Value;
use crate::scenario::provenance::{Origin, Shown};
use crate::stats::{Band, Forecast, OpeningSummary, PartBands, SummaryMetric, Unit};

/// A summary figure for people; `first_cash_month` also names the month ("3 (2027-03)").
#[allow(clippy::cast_possible_truncation)] // a month number of the horizon (1..=120)
pub fn summary_cell(w: &Words, f: &Forecast, metric: SummaryMetric, x: f64) -> String {
    if metric != SummaryMetric::FirstCashMonth || !x.is_finite() {
        return human_in(w, metric.unit(), x);
    }
    if x.fract() != 0.0 {
        return w.fixed(x, 1);
    }
    match f.months.get(x as usize - 1) {
        Some(label) => format!("{} ({label})", w.fixed(x, 0)),
        None => w.fixed(x, 0),
    }
}

/// A column of the monthly table in the human formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Of(Metric),
    /// Confirmed, not yet in the bank: unsettled + balance + in transit.
    Unpaid,
}

/// The monthly columns shown in the human formats (table, markdown, HTML), with the message
/// of their headings: few enough for a 100-column terminal; every metric is in JSON and CSV.
pub const KEY_COLUMNS: [(Column, &str); 6] = [
    (Column::Of(Metric::Clicks), "report-col-clicks"),
    (Column::Of(Metric::Earned), "report-col-earned"),
    (Column::Of(Metric::Confirmed), "report-col-confirmed"),
    (Column::Of(Metric::PendingEnd), "report-col-pending-end"),
    (Column::Unpaid, "report-col-unpaid-end"),
    (Column::Of(Metric::Cash), "report-col-cash"),
];

/// Headings of the summary table.
pub fn summary_header(w: &Words) -> Vec<String> {
    vec![
        w.say("report-summary-figure", &[]),
        w.say("report-summary-mean", &[]),
        "p10".into(),
        "p50".into(),
        "p90".into(),
        w.say("report-summary-what", &[]),
    ]
}

/// One row per month: the label, then each key column as `cell(p50, p10, p90)`; with
/// `compact`, the range is in whole currency units.
pub fn monthly_rows(
    w: &Words,
    f: &Forecast,
    compact: bool,
    cell: impl Fn(String, String, String) -> String,
) -> Vec<Vec<String>> {
    f.months
        .iter()
        .enumerate()
        .map(|(m, label)| {
            let mut row = vec![label.clone()];
            for (column, _) in KEY_COLUMNS {
                let (b, u) = match column {
                    Column::Of(metric) => (f.month(m, metric), metric_unit(metric)),
                    Column::Unpaid => (f.unpaid_end[m], Unit::Money),
                };
                let range = |x: f64| {
                    if compact {
                        whole_in(w, u, x)
                    } else {
                        human_in(w, u, x)
                    }
                };
                row.push(cell(human_in(w, u, b.p50), range(b.p10), range(b.p90)));
            }
            if let Some(dead) = &f.dead_link_share {
                let b = dead[m];
                let pct = |x: f64| w.percent(x, 0);
                row.push(cell(pct(b.p50), pct(b.p10), pct(b.p90)));
            }
            row
        })
        .collect()
}

/// The header of the monthly table (with `[links]`, the share of clicks on dead links last).
pub fn monthly_header(w: &Words, f: &Forecast) -> Vec<String> {
    std::iter::once("report-col-month")
        .chain(KEY_COLUMNS.iter().map(|(_, h)| *h))
        .chain(f.dead_link_share.as_ref().map(|_| "report-col-dead"))
        .map(|id| w.say(id, &[]))
        .collect()
}

/// What the monthly table's columns mean, and where the clicks start.
pub fn monthly_legend(w: &Words, f: &Forecast) -> String {
    let legend = w.say(
        "report-legend",
        &[("clicks", human_in(w, Unit::Count, f.clicks_per_month))],
    );
    match f.dead_link_share {
        Some(_) => format!("{legend} {}", w.say("report-legend-dead", &[])),
        None => legend,
    }
}

/// Months without cash between paid months, in the median world, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CashGaps {
    /// "YYYY-MM" of each such month.
    pub months: Vec<String>,
    /// Whether the calendar is the reason: the payout, credited on `settlement_day`, reaches
    /// the bank `payout_delay_days` later, which in a short month is the next month.
    pub short_month: bool,
    pub settlement_day: Option<u32>,
    pub payout_delay_days: u32,
}

/// The months with no cash although the months around them are paid, if any.
pub fn cash_gaps(f: &Forecast) -> Option<CashGaps> {
    let cash = |m: usize| f.month(m, Metric::Cash).p50;
    let gaps: Vec<usize> = (1..f.months.len().saturating_sub(1))
        .filter(|&m| cash(m) == 0.0 && cash(m - 1) > 0.0 && cash(m + 1) > 0.0)
        .collect();
    if gaps.is_empty() {
        return None;
    }
    let months: Vec<String> = gaps.iter().map(|&m| f.months[m].clone()).collect();
    let days_in = |label: &str| {
        let first = chrono::NaiveDate::parse_from_str(&format!("{label}-01"), "%Y-%m-%d").ok()?;
        Some((first + chrono::Months::new(1) - first).num_days())
    };
    let late = |label: &str| match (f.settlement_day, days_in(label)) {
        (Some(d), Some(n)) => i64::from(d + f.payout_delay_days) > n,
        _ => false,
    };
    Some(CashGaps {
        short_month: f.settlement_day.is_some() && months.iter().all(|l| late(l)),
        months,
        settlement_day: f.settlement_day,
        payout_delay_days: f.payout_delay_days,
    })
}

/// Why a month between paid months has no cash, in words.
pub fn calendar_footnote(w: &Words, f: &Forecast) -> Option<String> {
    cash_gaps(f).map(|g| gap_sentence(w, &g))
}

/// The sentence of [`calendar_footnote`] for gaps already found (the page says the same).
pub fn gap_sentence(w: &Words, g: &CashGaps) -> String {
    let months = ("months", g.months.join(", "));
    match g.settlement_day {
        Some(d) if g.short_month => w.say(
            "page-gap-short",
            &[
                months,
                ("day", d.to_string()),
                ("days", g.payout_delay_days.to_string()),
            ],
        ),
        _ => w.say("page-gap-other", &[months]),
    }
}

/// The two breakdowns: by category and by region, each with its kind's heading.
pub fn breakdowns<'f>(w: &Words, f: &'f Forecast) -> [(String, &'f [PartBands]); 2] {
    [
        (w.say("report-part-category", &[]), &f.by_category),
        (w.say("report-part-region", &[]), &f.by_region),
    ]
}

/// A breakdown (by category or region) for people: header and one row per part, each cell
/// written by `cell(unit, band)`.
pub fn part_rows(
    w: &Words,
    parts: &[PartBands],
    first: &str,
    cell: impl Fn(Unit, &Band) -> String,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec![first.to_string()];
    if let Some(p) = parts.first() {
        header.extend(
            p.figures
                .iter()
                .map(|f| w.say(&format!("report-part-{}", f.name), &[])),
        );
    }
    let rows = parts
        .iter()
        .map(|p| {
            let mut row = vec![p.name.clone()];
            row.extend(
                p.figures
                    .iter()
                    .map(|f| f.band.as_ref().map_or("—".into(), |b| cell(f.unit, b))),
            );
            row
        })
        .collect();
    (header, rows)
}

/// One row per summary figure, under [`summary_header`]; the last column says what the
/// figure is (a `*`: see the `report-run-rate-note`).
pub fn summary_rows(w: &Words, f: &Forecast) -> Vec<Vec<String>> {
    f.summary
        .iter()
        .map(|s| {
            let mut row = vec![s.metric.name().to_string()];
            match &s.band {
                Some(b) => row
                    .extend([b.mean, b.p10, b.p50, b.p90].map(|x| summary_cell(w, f, s.metric, x))),
                None => row.extend(std::iter::repeat_n("—".to_string(), 4)),
            }
            row.push(w.say(&format!("report-metric-{}", s.metric.name()), &[]));
            row
        })
        .collect()
}

/// A scenario value as the report's assumptions write it: up to 6 decimals, in the language.
fn param_in(w: &Words, p: crate::model::Param) -> String {
    match p {
        crate::model::Param::Fixed(v) => w.number(v, 6),
        crate::model::Param::Uncertain { low, high, .. } => w.say(
            "report-assumption-range",
            &[("low", w.number(low, 6)), ("high", w.number(high, 6))],
        ),
    }
}

/// Where an assumption's value came from, in words.
pub fn origin_text(w: &Words, o: Origin) -> String {
    match o {
        Origin::File => w.say("report-origin-file", &[]),
        Origin::Preset(p) => w.say("report-origin-preset", &[("preset", p.name().into())]),
        Origin::Term(p, c) => w.say(
            "report-origin-preset",
            &[("preset", format!("{} ({})", p.name(), c.label()))],
        ),
        Origin::Default("") => w.say("report-origin-default", &[]),
        Origin::Default(_) => w.say("report-origin-one-region", &[]),
        Origin::Inherit(from) => from.into(),
        Origin::SameAs(key) => w.say("report-origin-same-as", &[("key", key.into())]),
        Origin::Country(code) => w.say("report-origin-country", &[("code", code.into())]),
    }
}

/// A payout method's terms: "from 100.00, fee 15.00 + 2% (at most 20.00), 14 days to the
/// bank".
fn method_text(w: &Words, m: &crate::model::PayoutMethod) -> String {
    let money = |c: crate::model::Cents| w.fixed(c as f64 / 100.0, 2);
    let mut fee = money(m.fee);
    if m.fee_percent > 0.0 {
        let percent = w.number(m.fee_percent, 6);
        fee = w.say(
            "report-assumption-method-percent",
            &[("fee", fee), ("percent", percent)],
        );
    }
    if let Some(cap) = m.fee_cap {
        fee = w.say(
            "report-assumption-method-cap",
            &[("fee", fee), ("cap", money(cap))],
        );
    }
    w.say_counts(
        "report-assumption-method",
        &[("days", m.days_to_bank as usize)],
        &[("minimum", money(m.minimum)), ("fee", fee)],
    )
}

/// An assumption's value as the report shows it.
pub fn assumption_text(w: &Words, v: &Shown) -> String {
    let v = match v {
        Shown::Text(t) => return t.clone(),
        Shown::Method(m) => return method_text(w, m),
        Shown::Value(v) => v,
    };
    match v {
        Value::Param(p) => param_in(w, *p),
        Value::Number(x) => w.number(*x, 6),
        Value::Money(c) => w.fixed(*c as f64 / 100.0, 2),
        Value::Whole(n) => n.to_string(),
        Value::Spread(s) if s.ratio == 1.0 => param_in(w, s.median),
        Value::Spread(s) => w.say(
            "report-assumption-spread",
            &[
                ("median", param_in(w, s.median)),
                ("p90", w.number(s.median.central() * s.ratio, 4)),
            ],
        ),
        Value::Word(w) => w.clone(),
        Value::Day(month, day) => format!("{month:02}-{day:02}"),
        Value::Months(m) => m
            .iter()
            .map(|x| format!("{x}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The opening pipeline in one sentence.
pub fn opening_sentence(w: &Words, o: &OpeningSummary, currency: &str) -> String {
    w.say(
        "report-opening",
        &[
            ("date", o.as_of.to_string()),
            ("pending-orders", o.pending_orders.to_string()),
            ("pending", money_in(w, o.pending as f64)),
            ("currency", currency.into()),
            ("unsettled-orders", o.unsettled_orders.to_string()),
            ("unsettled", money_in(w, o.unsettled as f64)),
            ("skipped", o.skipped.to_string()),
        ],
    )
}

/// A note of a service as the command line and the JSON documents give it: English, each
/// line prefixed (`fit: ` for the fit's account, `affcast: note: ` otherwise), the detected
/// source with the flag that overrides it.
pub fn note_lines(note: &Note) -> Vec<String> {
    in_english(|w| match note {
        Note::Fitted(est) => super::fit::fit_lines(w, est)
            .into_iter()
            .map(|l| format!("fit: {l}"))
            .collect(),
        Note::Detected(source) => vec![format!(
            "affcast: note: {}",
            detected(w, *source, "; --source says otherwise")
        )],
        other => note_sentences(w, other)
            .into_iter()
            .map(|l| format!("affcast: note: {l}"))
            .collect(),
    })
}

fn detected(w: &Words, source: crate::exports::Source, way_out: &str) -> String {
    w.say(
        "report-note-detected",
        &[
            ("kind", source.name().into()),
            ("source", source.label().into()),
            ("override", way_out.into()),
        ],
    )
}

/// A note of a service in the language of `w`, without prefixes or flag names (the page
/// shows these): one sentence, or the fit's account line by line.
pub fn note_sentences(w: &Words, note: &Note) -> Vec<String> {
    let one = match note {
        Note::Fitted(est) => return super::fit::fit_lines(w, est),
        Note::ExportPastStart { as_of, start } => w.say(
            "report-note-export-past-start",
            &[
                ("as-of", as_of.to_string()),
                ("start", start.format("%Y-%m").to_string()),
            ],
        ),
        Note::ExportBeforeStart { as_of, start } => w.say(
            "report-note-export-before-start",
            &[
                ("as-of", as_of.to_string()),
                ("days", (*start - *as_of).num_days().to_string()),
                ("start", start.format("%Y-%m").to_string()),
                (
                    "next",
                    (*as_of + chrono::Months::new(1))
                        .format("%Y-%m")
                        .to_string(),
                ),
            ],
        ),
        Note::Detected(source) => detected(w, *source, ""),
        Note::PaidFromCreated(n) => {
            w.say_counts("report-note-paid-from-created", &[("count", *n)], &[])
        }
        Note::Returns(r) => {
            let unmatched = if r.unmatched > 0 {
                w.say_counts(
                    "report-note-returns-unmatched",
                    &[("count", r.unmatched)],
                    &[("fees", money_in(w, r.unmatched_fees as f64))],
                )
            } else {
                String::new()
            };
            w.say_counts("report-note-returns", &[("count", r.netted)], &[]) + &unmatched
        }
        Note::Merged { read, orders } => w.say_counts(
            "report-note-merged",
            &[("files", read.files)],
            &[
                ("rows", read.rows.to_string()),
                ("orders", orders.to_string()),
                ("merged", read.merged.to_string()),
            ],
        ),
        Note::UntimedOutcomes {
            reversed,
            confirmed,
        } => {
            let confirmed = if *confirmed > 0 {
                w.say_counts(
                    "report-note-untimed-confirmed",
                    &[("count", *confirmed)],
                    &[],
                )
            } else {
                String::new()
            };
            w.say_counts(
                "report-note-untimed",
                &[("count", *reversed)],
                &[("confirmed", confirmed)],
            )
        }
    };
    vec![one]
}

/// Plain-language notes under the summary: the opening pipeline, then [`outcome_notes`].
pub fn notes(w: &Words, f: &Forecast) -> Vec<String> {
    let opening = f
        .opening
        .as_ref()
        .map(|o| opening_sentence(w, o, &f.currency));
    opening.into_iter().chain(outcome_notes(w, f)).collect()
}

/// What the forecast's worlds say that its figures do not: no commission confirmed, no cash
/// within the horizon, or trials without cash.
pub fn outcome_notes(w: &Words, f: &Forecast) -> Vec<String> {
    let mut notes = Vec::new();
    let no_cash = f.summary(SummaryMetric::FirstCashMonth).undefined;
    let months = f.months.len();
    let horizon = (
        "horizon",
        w.say_counts("report-months", &[("count", months)], &[]),
    );
    let confirmed = f
        .summary(SummaryMetric::TotalConfirmed)
        .band
        .map_or(0.0, |b| b.mean);
    let last = months.saturating_sub(1);
    let currency = ("currency", f.currency.clone());
    if confirmed == 0.0 {
        notes.push(w.say("report-note-nothing-confirmed", &[horizon]));
    } else if no_cash == f.trials {
        let money = |x: f64| human_in(w, Unit::Money, x);
        notes.push(w.say(
            "report-note-no-cash",
            &[
                horizon,
                ("balance", money(f.month(last, Metric::BalanceEnd).p50)),
                ("unsettled", money(f.month(last, Metric::UnsettledEnd).p50)),
                ("threshold", money(f.withdrawal_threshold as f64)),
                currency,
            ],
        ));
    } else if no_cash > 0 {
        notes.push(w.say(
            "report-note-some-no-cash",
            &[
                ("without", no_cash.to_string()),
                ("trials", f.trials.to_string()),
                horizon,
            ],
        ));
    }
    notes
}
