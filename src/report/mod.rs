//! Rendering a [`Forecast`]: one exporter per format behind one trait.

pub mod chart;
mod csv;
pub mod groups;
pub mod html;
mod json;
mod markdown;
mod table;
pub mod track;

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::advice::{Advice, FEE_SHARE_LIMIT, Reason};
use crate::backtest::Backtest;
use crate::compare::{Comparison, VariantResult, Verdict};
use crate::ledger::Metric;
use crate::model::Param;
use crate::refresh::{Reason as RefreshReason, RefreshAdvice};
use crate::scenario::params::Value;
use crate::scenario::provenance::Shown;
use crate::sensitivity::Sensitivity;
use crate::stats::{Band, Forecast, Objective, OpeningSummary, PartBands, SummaryMetric, Unit};

/// An output format of `forecast`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables for a terminal: p50 with the p10–p90 range.
    Table,
    Json,
    /// Tidy: month,metric,mean,p10,p50,p90 (summary rows have month = total).
    Csv,
    Markdown,
}

impl Format {
    /// The format a file name suggests (`.json`, `.csv`, `.md`), if any.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

/// Something that turns results into text, one implementation per format.
pub trait Exporter {
    fn render(&self, forecast: &Forecast) -> String;
    fn compare(&self, comparison: &Comparison) -> String;
    fn sensitivity(&self, sweep: &Sensitivity) -> String;
    fn backtest(&self, backtest: &Backtest) -> String;
}

/// The exporter of a format.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::TableExporter),
        Format::Json => Box::new(json::JsonExporter),
        Format::Csv => Box::new(csv::CsvExporter),
        Format::Markdown => Box::new(markdown::MarkdownExporter),
    }
}

/// The unit of a monthly metric.
pub fn metric_unit(metric: Metric) -> Unit {
    if metric.is_money() {
        Unit::Money
    } else {
        Unit::Count
    }
}

/// A figure as printed: money in currency units (cents / 100), rounded half-even to the
/// unit's decimals. `None` for a figure that does not exist (NaN).
pub fn value(unit: Unit, x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    let (x, dp) = match unit {
        Unit::Money => (x / 100.0, 2),
        Unit::MoneyPerClick => (x / 100.0, 4),
        Unit::Ratio => (x, 4),
        Unit::Count | Unit::Month => (x, 2),
    };
    Decimal::from_f64(x).map(|d| with_decimals(d, dp))
}

/// `d` rounded half-even to exactly `dp` decimals, so columns line up ("3" → "3.00").
fn with_decimals(d: Decimal, dp: u32) -> Decimal {
    let mut d = d.round_dp(dp);
    d.rescale(dp);
    d
}

/// A figure for people: thousands separated, counts and months without decimals.
pub fn human(unit: Unit, x: f64) -> String {
    let Some(d) = value(unit, x) else {
        return "—".into();
    };
    let d = match unit {
        Unit::Count | Unit::Month => with_decimals(d, 0),
        _ => d,
    };
    let s = d.to_string();
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

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

/// A figure in whole units (money without cents), for compact ranges.
pub fn whole(unit: Unit, x: f64) -> String {
    match unit {
        Unit::Money => human(Unit::Count, x / 100.0),
        u => human(u, x),
    }
}

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

/// A share as a whole percentage ("12%").
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
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

/// Why a month between paid months has no cash, when the calendar is the reason.
pub fn calendar_footnote(f: &Forecast) -> Option<String> {
    let cash = |m: usize| f.month(m, Metric::Cash).p50;
    let gaps: Vec<usize> = (1..f.months.len().saturating_sub(1))
        .filter(|&m| cash(m) == 0.0 && cash(m - 1) > 0.0 && cash(m + 1) > 0.0)
        .collect();
    if gaps.is_empty() {
        return None;
    }
    let labels: Vec<&str> = gaps.iter().map(|&m| f.months[m].as_str()).collect();
    let days_in = |label: &str| {
        let first = chrono::NaiveDate::parse_from_str(&format!("{label}-01"), "%Y-%m-%d").ok()?;
        Some((first + chrono::Months::new(1) - first).num_days())
    };
    let late = |label: &str| match (f.settlement_day, days_in(label)) {
        (Some(d), Some(n)) => i64::from(d + f.payout_delay_days) > n,
        _ => false,
    };
    let which = labels.join(", ");
    Some(match f.settlement_day {
        Some(d) if labels.iter().all(|l| late(l)) => format!(
            "No cash arrives in {which} although the months around are paid: that month's payout, credited on day {d}, reaches the bank {} days later, which in a short month is already the next month; the next month receives two payouts.",
            f.payout_delay_days
        ),
        _ => format!(
            "No cash arrives in {which} although the months around are paid: no withdrawal reached the bank in that month in the median world (the balance was under the threshold, or payouts fell in the neighbouring months)."
        ),
    })
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

/// An amount for sentences: currency units, two decimals (half-even), no separators.
/// Every sentence writes money through here or through [`human`].
pub fn money_text(cents: f64) -> String {
    value(Unit::Money, cents).map_or_else(|| "—".into(), |d| d.to_string())
}

fn param_text(p: Param) -> String {
    match p {
        Param::Fixed(v) => format!("{v}"),
        Param::Uncertain { low, high, .. } => format!("90% between {low} and {high}"),
    }
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

/// Why the withdrawal advice recommends what it does, in one sentence.
pub fn advice_reason(a: &Advice) -> String {
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let limit = pct(FEE_SHARE_LIMIT);
    match (a.reason, a.recommended.map(|i| &a.rows[i])) {
        (Reason::Quickest, Some(r)) => format!(
            "withdraw_at = {}: the quickest threshold whose fees stay under {limit} of the cash (fees {}, {:.0} days from confirmation to bank on average)",
            money_text(r.threshold as f64),
            pct(r.fee_share),
            r.days_to_cash
        ),
        (Reason::Cheapest, Some(r)) => format!(
            "no threshold keeps fees under {limit} of the cash within the horizon; withdraw_at = {} costs least ({} in fees)",
            money_text(r.threshold as f64),
            pct(r.fee_share)
        ),
        _ => "no withdrawal reaches the bank within the horizon at any of these thresholds".into(),
    }
}

/// A share of worlds as a whole percentage that never rounds to "all" or "none" unless it is.
pub fn percent_of_worlds(p: f64) -> String {
    match p {
        p if p > 0.995 && p < 1.0 => "more than 99%".into(),
        p if p > 0.0 && p < 0.005 => "less than 1%".into(),
        p => format!("{:.0}%", p * 100.0),
    }
}

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
        crate::app::Note::Fit(line) => line.clone(),
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

/// "1 order", "3 orders".
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
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

/// Column headings of the withdrawal advice.
pub const ADVICE_HEADER: [&str; 6] = [
    "withdraw_at",
    "withdrawals",
    "fees",
    "fees / cash",
    "cash",
    "days confirmed → bank",
];

/// The withdrawal advice for people: a heading, one row per threshold (the scenario's own
/// marked with *), and the recommendation.
pub fn advice_rows(f: &Forecast) -> Option<(String, Vec<[String; 6]>, String)> {
    let a = f.advice.as_ref()?;
    let heading = format!(
        "Withdrawal advice (fee per withdrawal: {} {}{}; means over trials)",
        human(Unit::Money, f.payout_fee as f64),
        f.currency,
        if f.payout_fee_percent > 0.0 {
            format!(" + {}%", f.payout_fee_percent)
        } else {
            String::new()
        }
    );
    let rows = a
        .rows
        .iter()
        .map(|r| {
            let pct = if r.fee_share.is_finite() {
                format!("{:.1}%", r.fee_share * 100.0)
            } else {
                "—".into()
            };
            let days = if r.days_to_cash.is_finite() {
                format!("{:.0}", r.days_to_cash)
            } else {
                "—".into()
            };
            [
                format!(
                    "{}{}",
                    human(Unit::Money, r.threshold as f64),
                    if r.current { " *" } else { "" }
                ),
                format!("{:.1}", r.withdrawals),
                human(Unit::Money, r.fees),
                pct,
                human(Unit::Money, r.cash),
                days,
            ]
        })
        .collect();
    Some((
        heading,
        rows,
        format!(
            "Advice: {}. (* = this scenario's threshold)",
            advice_reason(a)
        ),
    ))
}

/// A refresh cadence in words: "every month", "every 3 months", "never".
pub fn cadence_text(every: u32) -> String {
    match every {
        0 => "never".into(),
        1 => "every month".into(),
        n => format!("every {n} months"),
    }
}

fn refreshes_text(n: u32) -> String {
    match n {
        1 => "1 refresh".into(),
        n => format!("{n} refreshes"),
    }
}

/// Why the refresh advice recommends what it does, in one sentence.
pub fn refresh_reason(a: &RefreshAdvice, currency: &str) -> String {
    let best = a.best();
    let never = a.never();
    let cost = money_text(a.refresh_cost as f64);
    match a.reason {
        RefreshReason::NoDifference => "every cadence brings the same cash: in this scenario dead links cost nothing (no link dies, or a dead-link click converts like a live one), so refreshing is not worth any time".into(),
        RefreshReason::PaysForItself => format!(
            "refresh {} ({} within the horizon): {} {currency} more cash than never refreshing ({} against {}), and {} {currency} more after {cost} {currency} per refresh, the most of any cadence",
            cadence_text(best.refresh_every_months),
            refreshes_text(best.refreshes),
            money_text(best.total_cash - never.total_cash),
            money_text(best.total_cash),
            money_text(never.total_cash),
            money_text(best.net - never.net),
        ),
        RefreshReason::CostsMore => {
            let richest = a
                .rows
                .iter()
                .max_by(|x, y| x.total_cash.total_cmp(&y.total_cash))
                .unwrap_or(best);
            format!(
                "do not refresh: the best cadence for cash ({}) brings {} {currency} more than never refreshing, less than its {} cost at {cost} {currency} each",
                cadence_text(richest.refresh_every_months),
                money_text(richest.total_cash - never.total_cash),
                refreshes_text(richest.refreshes),
            )
        }
    }
}

/// Column headings of the refresh advice.
pub const REFRESH_HEADER: [&str; 5] = [
    "refresh",
    "refreshes",
    "cash",
    "cash / month (run rate)",
    "net of refresh cost",
];

/// The refresh advice for people: a heading, one row per cadence (the scenario's own marked
/// with *), and the recommendation.
pub fn refresh_rows(f: &Forecast) -> Option<(String, Vec<[String; 5]>, String)> {
    let a = f.refresh.as_ref()?;
    let heading = format!(
        "Refresh advice (dead links; cost per refresh: {} {}; means over the same trials)",
        human(Unit::Money, a.refresh_cost as f64),
        f.currency
    );
    let rows = a
        .rows
        .iter()
        .map(|r| {
            [
                format!(
                    "{}{}",
                    cadence_text(r.refresh_every_months),
                    if r.current { " *" } else { "" }
                ),
                r.refreshes.to_string(),
                human(Unit::Money, r.total_cash),
                human(Unit::Money, r.run_rate_cash),
                human(Unit::Money, r.net),
            ]
        })
        .collect();
    Some((
        heading,
        rows,
        format!(
            "Advice: {}. (* = this scenario's refresh_every_months)",
            refresh_reason(a, &f.currency)
        ),
    ))
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
