//! Numbers as people read them: money, percentages, units, counts.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::i18n::Words;
use crate::ledger::Metric;
use crate::stats::Unit;

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
        Unit::Days => (x, 1),
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

/// [`human`] in the language of `w` ("1.234,56" in Portuguese); in English the same text.
pub fn human_in(w: &Words, unit: Unit, x: f64) -> String {
    let Some(d) = value(unit, x) else {
        return "—".into();
    };
    let d = match unit {
        Unit::Count | Unit::Month => with_decimals(d, 0),
        _ => d,
    };
    w.decimal(&d.to_string())
}

/// [`whole`] in the language of `w`.
pub fn whole_in(w: &Words, unit: Unit, x: f64) -> String {
    match unit {
        Unit::Money => human_in(w, Unit::Count, x / 100.0),
        u => human_in(w, u, x),
    }
}

/// [`money_text`] in the language of `w`: no thousands separators, its decimal sign.
pub fn money_in(w: &Words, cents: f64) -> String {
    value(Unit::Money, cents).map_or_else(|| "—".into(), |d| w.decimal_plain(&d.to_string()))
}

/// A share of worlds as a whole percentage that never rounds to "all" or "none" unless it
/// is, in the language of `w`.
pub fn worlds_in(w: &Words, p: f64) -> String {
    match p {
        p if p > 0.995 && p < 1.0 => w.say(
            "report-worlds-almost-all",
            &[("percent", w.percent(0.99, 0))],
        ),
        p if p > 0.0 && p < 0.005 => w.say("report-worlds-few", &[("percent", w.percent(0.01, 0))]),
        p => w.percent(p, 0),
    }
}

/// A figure in whole units (money without cents), for compact ranges.
pub fn whole(unit: Unit, x: f64) -> String {
    match unit {
        Unit::Money => human(Unit::Count, x / 100.0),
        u => human(u, x),
    }
}

/// A share as a whole percentage ("12%").
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// An amount for sentences: currency units, two decimals (half-even), no separators.
/// Every sentence writes money through here or through [`human`].
pub fn money_text(cents: f64) -> String {
    value(Unit::Money, cents).map_or_else(|| "—".into(), |d| d.to_string())
}
