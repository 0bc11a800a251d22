//! The parts of a forecast every format shows: summary and monthly rows, legends,
//! footnotes, assumptions and notes.

use super::numbers::{human, metric_unit, money_text, param_text, percent, plural, whole};
use crate::ledger::Metric;
use crate::scenario::params::Value;
use crate::scenario::provenance::Shown;
use crate::stats::{Band, Forecast, OpeningSummary, PartBands, SummaryMetric, Unit};

/// A summary figure for people; `first_cash_month` also names the month ("3 (2027-03)").
#[allow(clippy::cast_possible_truncation)] // a month number of the horizon (1..=120)
pub fn summary_cell(f: &Forecast, metric: SummaryMetric, x: f64) -> String {
    if metric != SummaryMetric::FirstCashMonth || !x.is_finite() {
        return human(metric.unit(), x);
    }
    if x.fract() != 0.0 {
        return format!("{x:.1}");
    }
    match f.months.get(x as usize - 1) {
        Some(label) => format!("{x:.0} ({label})"),
        None => format!("{x:.0}"),
    }
}

/// A column of the monthly table in the human formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Of(Metric),
    /// Confirmed, not yet in the bank: unsettled + balance + in transit.
    Unpaid,
}

/// The monthly columns shown in the human formats (table, markdown, HTML), with their
/// headings: few enough for a 100-column terminal; every metric is in JSON and CSV.
pub const KEY_COLUMNS: [(Column, &str); 6] = [
    (Column::Of(Metric::Clicks), "Clicks"),
    (Column::Of(Metric::Earned), "Earned"),
    (Column::Of(Metric::Confirmed), "Confirmed"),
    (Column::Of(Metric::PendingEnd), "Pending (end)"),
    (Column::Unpaid, "Unpaid (end)"),
    (Column::Of(Metric::Cash), "Cash"),
];

/// Headings of the summary table.
pub const SUMMARY_HEADER: [&str; 6] = ["Figure", "mean", "p10", "p50", "p90", "What it is"];

/// One row per month: the label, then each key column as `cell(p50, p10, p90)`; with
/// `compact`, the range is in whole currency units.
pub fn monthly_rows(
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
                let range = |x: f64| if compact { whole(u, x) } else { human(u, x) };
                row.push(cell(human(u, b.p50), range(b.p10), range(b.p90)));
            }
            if let Some(dead) = &f.dead_link_share {
                let b = dead[m];
                row.push(cell(percent(b.p50), percent(b.p10), percent(b.p90)));
            }
            row
        })
        .collect()
}

/// The header of the monthly table (with `[links]`, the share of clicks on dead links last).
pub fn monthly_header(f: &Forecast) -> Vec<String> {
    std::iter::once("Month")
        .chain(KEY_COLUMNS.iter().map(|(_, h)| *h))
        .chain(f.dead_link_share.as_ref().map(|_| "Dead links"))
        .map(String::from)
        .collect()
}

/// What the monthly table's columns mean, and where the clicks start.
pub fn monthly_legend(f: &Forecast) -> String {
    let dead = match f.dead_link_share {
        Some(_) => {
            " Dead links: the share of the month's clicks that land on a dead listing ([links], your assumption), before the refreshes of later months."
        }
        None => "",
    };
    format!(
        "Clicks start from traffic.clicks_per_month = {} (the first month's expected clicks, before seasonality, events and day-to-day noise). Pending: earned, not yet confirmed or reversed. Unpaid: confirmed but not yet in the bank (waiting for settlement, in the balance, or in transit).{dead}",
        human(Unit::Count, f.clicks_per_month)
    )
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
pub fn calendar_footnote(f: &Forecast) -> Option<String> {
    cash_gaps(f).map(|g| gap_sentence(&g))
}

/// The sentence of [`calendar_footnote`] for gaps already found.
pub fn gap_sentence(g: &CashGaps) -> String {
    let which = g.months.join(", ");
    match g.settlement_day {
        Some(d) if g.short_month => format!(
            "No cash arrives in {which} although the months around are paid: that month's payout, credited on day {d}, reaches the bank {} days later, which in a short month is already the next month; the next month receives two payouts.",
            g.payout_delay_days
        ),
        _ => format!(
            "No cash arrives in {which} although the months around are paid: no withdrawal reached the bank in that month in the median world (the balance was under the threshold, or payouts fell in the neighbouring months)."
        ),
    }
}

/// The heading of a figure of a breakdown.
fn part_heading(name: &str) -> &'static str {
    match name {
        "clicks" => "Clicks",
        "orders" => "Orders",
        "earned" => "Earned",
        "confirmed" => "Confirmed",
        "reversed" => "Reversed",
        "run_rate_confirmed" => "Run rate*",
        "epc" => "EPC",
        _ => "",
    }
}

/// A breakdown (by category or region) for people: header and one row per part, each cell
/// written by `cell(unit, band)`.
pub fn part_rows(
    parts: &[PartBands],
    first: &str,
    cell: impl Fn(Unit, &Band) -> String,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec![first.to_string()];
    if let Some(p) = parts.first() {
        header.extend(p.figures.iter().map(|f| part_heading(f.name).to_string()));
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

/// One row per summary figure, under [`SUMMARY_HEADER`].
pub fn summary_rows(f: &Forecast) -> Vec<Vec<String>> {
    f.summary
        .iter()
        .map(|s| {
            let mut row = vec![s.metric.name().to_string()];
            match &s.band {
                Some(b) => {
                    row.extend([b.mean, b.p10, b.p50, b.p90].map(|x| summary_cell(f, s.metric, x)))
                }
                None => row.extend(std::iter::repeat_n("—".to_string(), 4)),
            }
            row.push(s.metric.describe().to_string());
            row
        })
        .collect()
}

/// An assumption's value as the report shows it.
pub fn assumption_text(v: &Shown) -> String {
    let v = match v {
        Shown::Text(t) => return t.clone(),
        Shown::Value(v) => v,
    };
    match v {
        Value::Param(p) => param_text(*p),
        Value::Number(x) => format!("{x}"),
        Value::Money(c) => money_text(*c as f64),
        Value::Whole(n) => n.to_string(),
        Value::Spread(s) if s.ratio == 1.0 => param_text(s.median),
        Value::Spread(s) => {
            let p90 = s.median.central() * s.ratio;
            format!("median {}, p90 {:.4}", param_text(s.median), p90).replace(".0000", "")
        }
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
pub fn opening_sentence(o: &OpeningSummary, currency: &str) -> String {
    format!(
        "Opening pipeline from the export as of {}: {} pending orders ({} {currency} of commission not yet confirmed) and {} confirmed orders not yet settled ({} {currency}); {} settled or reversed orders of the export are not part of the forecast.",
        o.as_of,
        o.pending_orders,
        money_text(o.pending as f64),
        o.unsettled_orders,
        money_text(o.unsettled as f64),
        o.skipped
    )
}

/// A note of a service as lines on stderr: one, or `fit`'s account line by line.
pub fn note_lines(note: &crate::app::Note) -> Vec<String> {
    match note {
        crate::app::Note::Fitted(est) => super::fit::fit_lines(est),
        other => vec![note_line(other)],
    }
}

/// A note of a service, as a line on stderr.
pub fn note_line(note: &crate::app::Note) -> String {
    match note {
        crate::app::Note::ExportPastStart { as_of, start } => format!(
            "affcast: note: the export runs to {as_of}, after the forecast's first month {}; orders paid since the start are counted both as pipeline and as new traffic",
            start.format("%Y-%m")
        ),
        crate::app::Note::ExportBeforeStart { as_of, start } => format!(
            "affcast: note: the export ends on {as_of}, {} days before the forecast starts in {}; whatever its pending orders did in between is unknown, so they open the forecast as if the export were current. Use a fresher export, or start the forecast in {}",
            (*start - *as_of).num_days(),
            start.format("%Y-%m"),
            (*as_of + chrono::Months::new(1)).format("%Y-%m")
        ),
        crate::app::Note::Fitted(est) => super::fit::fit_lines(est).join("\n"),
        crate::app::Note::Detected(source) => format!(
            "affcast: note: read as {} {} export (detected from its fields; --source says otherwise)",
            if *source == crate::exports::Source::Generic {
                "a"
            } else {
                "an"
            },
            source.label()
        ),
        crate::app::Note::PaidFromCreated(n) => format!(
            "affcast: note: {} without a paid_time: the created_time stands for it (payment follows within minutes)",
            plural(*n, "order")
        ),
        crate::app::Note::Returns(r) => {
            let mut text = format!(
                "affcast: note: {} netted against the shipment {} (that shipment is a reversed order)",
                plural(r.netted, "return"),
                if r.netted == 1 {
                    "it matches"
                } else {
                    "each matches"
                }
            );
            if r.unmatched > 0 {
                text.push_str(&format!(
                    "; {} of items shipped before the report ({} in ad fees) match no shipment here and are left out",
                    plural(r.unmatched, "return"),
                    money_text(r.unmatched_fees as f64)
                ));
            }
            text
        }
        crate::app::Note::Merged { read, orders } => format!(
            "affcast: note: read {} rows from {} file{}: {orders} orders; {} rows were an order already read, merged with its latest status kept",
            read.rows,
            read.files,
            if read.files == 1 { "" } else { "s" },
            read.merged
        ),
        crate::app::Note::UntimedOutcomes {
            reversed,
            confirmed,
        } => format!(
            "affcast: note: {} without a time (AliExpress gives none for \"Invalid\" orders): each was given a reversal time drawn from the lifecycle fitted on the whole export (a cancellation, a refund after delivery, or the cut-off for orders never confirmed, as often as the fit makes each), never after the export{}",
            plural(*reversed, "reversed order"),
            if *confirmed > 0 {
                format!(
                    "; {} without a time count as pending at every origin",
                    plural(*confirmed, "confirmed order")
                )
            } else {
                String::new()
            }
        ),
    }
}

/// Plain-language notes under the summary (trials without cash, and so on).
pub fn notes(f: &Forecast) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(o) = &f.opening {
        notes.push(opening_sentence(o, &f.currency));
    }
    let no_cash = f.summary(SummaryMetric::FirstCashMonth).undefined;
    let months = f.months.len();
    let horizon = if months == 1 {
        "1 month".to_string()
    } else {
        format!("{months} months")
    };
    let confirmed = f
        .summary(SummaryMetric::TotalConfirmed)
        .band
        .map_or(0.0, |b| b.mean);
    let last = months.saturating_sub(1);
    if confirmed == 0.0 {
        notes.push(format!(
            "No commission is confirmed within {horizon} in any trial: nothing reaches the balance \
             (no clicks, no conversion, every order reversed, or confirmation takes longer than the horizon)."
        ));
    } else if no_cash == f.trials {
        let balance = human(Unit::Money, f.month(last, Metric::BalanceEnd).p50);
        let unsettled = human(Unit::Money, f.month(last, Metric::UnsettledEnd).p50);
        notes.push(format!(
            "No cash reaches the bank within {horizon} in any trial. By the end the payable balance is \
             {balance} {cur} (median) with {unsettled} {cur} confirmed but not yet settled, under the \
             withdrawal threshold of {threshold} {cur}: the balance keeps growing until it gets there. \
             Lower withdraw_at or forecast more months.",
            cur = f.currency,
            threshold = human(Unit::Money, f.withdrawal_threshold as f64),
        ));
    } else if no_cash > 0 {
        notes.push(format!(
            "{no_cash} of {} trials had no cash in the bank within {horizon}; first_cash_month \
             (its mean and its percentiles) counts only the others.",
            f.trials
        ));
    }
    notes
}
