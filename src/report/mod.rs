//! Rendering a [`Forecast`]: one exporter per format behind one trait.

mod csv;
mod json;
mod markdown;
mod table;

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::ledger::Metric;
use crate::stats::{Forecast, SummaryMetric, Unit};

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

/// Something that turns a forecast into text.
pub trait Exporter {
    fn render(&self, forecast: &Forecast) -> String;
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
    Decimal::from_f64(x).map(|d| d.round_dp(dp).normalize_to(dp))
}

trait NormalizeTo {
    fn normalize_to(self, dp: u32) -> Decimal;
}

impl NormalizeTo for Decimal {
    /// Always exactly `dp` decimals, so columns line up ("3" → "3.00").
    fn normalize_to(mut self, dp: u32) -> Decimal {
        self.rescale(dp);
        self
    }
}

/// A figure for people: thousands separated, counts and months without decimals.
pub fn human(unit: Unit, x: f64) -> String {
    let Some(d) = value(unit, x) else {
        return "—".into();
    };
    let d = match unit {
        Unit::Count | Unit::Month => d.round_dp(0).normalize_to(0),
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

/// The monthly metrics shown in the human formats (table, markdown), with their headings.
pub const KEY_METRICS: [(Metric, &str); 8] = [
    (Metric::Clicks, "Clicks"),
    (Metric::Orders, "Orders"),
    (Metric::Earned, "Earned"),
    (Metric::Confirmed, "Confirmed"),
    (Metric::Reversed, "Reversed"),
    (Metric::PendingEnd, "Pending (end)"),
    (Metric::BalanceEnd, "Payable (end)"),
    (Metric::Cash, "Cash"),
];

/// Plain-language notes under the summary (trials without cash, and so on).
pub fn notes(f: &Forecast) -> Vec<String> {
    let mut notes = Vec::new();
    let no_cash = f.summary(SummaryMetric::FirstCashMonth).undefined;
    if no_cash == f.trials {
        notes.push(format!(
            "No trial reached a withdrawal that arrived within {} months: the payable balance grows \
             but no cash reaches the bank. Lower withdraw_at or forecast more months.",
            f.months.len()
        ));
    } else if no_cash > 0 {
        notes.push(format!(
            "{no_cash} of {} trials had no cash in the bank within {} months; first_cash_month \
             counts only the others, and a quantile among them shows as —.",
            f.trials,
            f.months.len()
        ));
    }
    notes
}
