//! The fitted scenario file: each estimated value with a comment saying how it was found.
//! Values (names, currencies) are written by the `toml` serializer; the lines and their
//! comments, which a TOML serializer does not keep, are laid out here.

use std::fmt::Write as _;

use chrono::{Datelike, Months, NaiveDate};

use super::estimate::{
    CategoryEstimate, Cohort, Estimate, MIN_REGION_CONFIRMATIONS, PRIOR_ORDERS, THIN_ORDERS,
    orders_text, prior,
};
use super::{CANCEL_WITHIN_DAYS, MATURE_DAYS, SHIPPING_RATIO};
use crate::exports::Source;
use crate::scenario::params::{self, Section};

/// A TOML string of any text: quotes, backslashes and control characters escaped by the
/// `toml` serializer, so that every name the export holds reads back as itself.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Text for a `#` comment, which ends at the line's end: control characters (a newline in a
/// file name) are written as escapes.
fn in_comment(text: &str) -> String {
    crate::output::escape_controls(text, &[]).into_owned()
}

/// Writes `key = value   # comment` for a key of the parameter table.
fn key_line(out: &mut String, section: Section, key: &str, value: String, comment: &str) {
    debug_assert!(
        params::find(section, key).is_some(),
        "{key} is a key of the parameter table"
    );
    let _ = writeln!(out, "{key} = {value}   # {comment}");
}

/// The fitted scenario file: what was estimated, and comments saying how.
pub fn write(est: &Estimate, origin: &str) -> String {
    let mut toml = String::new();
    // Several files are named "a.csv, b.csv": the scenario is named after the first.
    let first = origin.split(", ").next().unwrap_or(origin);
    let stem = std::path::Path::new(first)
        .file_stem()
        .map_or("export".into(), |s| s.to_string_lossy().to_string());
    let next_month = NaiveDate::from_ymd_opt(est.as_of.year(), est.as_of.month(), 1)
        .expect("a valid month")
        + Months::new(1);
    let _ = writeln!(
        toml,
        "# Fitted by `affcast fit` from {}: {} orders, {} to {}.",
        in_comment(origin),
        est.records,
        est.first_paid.format("%Y-%m-%d"),
        est.as_of.format("%Y-%m-%d")
    );
    let _ = writeln!(
        toml,
        "# \"estimated\" values come from the export; everything else is the {} preset or an assumption.",
        est.preset.name()
    );
    let _ = writeln!(
        toml,
        "\nname = {}\nstart = \"{}\"\nmonths = 24\ncurrency = {}\n",
        quoted(&format!("Fitted from {stem}")),
        next_month.format("%Y-%m"),
        quoted(&est.currency)
    );
    let _ = writeln!(toml, "[simulation]\ntrials = 2000\nseed = 42\n");
    if est.currency != "USD" {
        let _ = writeln!(
            toml,
            "# The preset's payout amounts (minimum_payout, withdraw_at, payout_fee) are in USD; this export is in {}: set them in {}.\n",
            in_comment(&est.currency),
            in_comment(&est.currency)
        );
    }
    let _ = writeln!(toml, "[program]\npreset = \"{}\"", est.preset.name());
    if est.source == Source::Amazon && est.preset == crate::model::Preset::Portals {
        write_amazon_terms(&mut toml);
    }
    if let Some(d) = &est.delay {
        let p90 = d
            .km_p90
            .map_or("not reached".into(), |q| format!("{q:.1} d"));
        key_line(
            &mut toml,
            Section::Program,
            "confirm_receipt_share",
            format!("{:.2}", d.confirm_receipt_share),
            &format!(
                "estimated: fitted to the payment → confirmation delay (median {:.1} d, p90 {p90})",
                d.km_median
            ),
        );
    }
    toml.push_str("\n[traffic]\n");
    let clicks_comment = if est.clicks.is_some() {
        "estimated: the clicks given over the export's period"
    } else {
        "set to reproduce the export's orders per month (see conversion_rate)"
    };
    key_line(
        &mut toml,
        Section::Traffic,
        "clicks_per_month",
        format!("{:.0}", est.clicks_per_month),
        clicks_comment,
    );
    toml.push_str("monthly_growth = 0.0   # assumption\n\n");
    write_regions(&mut toml, est);
    let conversion_note = est.conversion_note();
    for c in &est.categories {
        write_category(&mut toml, c, est.conversion, &conversion_note);
    }
    toml
}

/// Amazon Associates' terms over the generic rules, for a marketplace without a preset of
/// its own (the presets are the US and UK programs): the rules the US and UK pages state,
/// and the payout amounts left to set in the export's currency.
fn write_amazon_terms(toml: &mut String) {
    toml.push_str(
        "# Amazon Associates of a marketplace without a preset (the presets are amazon-associates-us\n\
         # and -uk): the rules their pages state (OFFICIAL there), over the generic ones.\n",
    );
    for (key, value, comment) in [
        ("cookie_hours", "24", "24 hours from the click"),
        ("earned_at", "\"shipment\"", "earned when the item ships"),
        (
            "lock",
            "\"month_end_plus_days\"",
            "paid about 60 days after the month's end",
        ),
        (
            "lock_days",
            "60",
            "paid about 60 days after the month's end",
        ),
        (
            "returns_after_payment",
            "\"debit_next\"",
            "returns after payment are taken from later fees",
        ),
        (
            "settlement",
            "\"daily\"",
            "ASSUMED: paid on the day the money locks",
        ),
        (
            "settlement_lag_days",
            "0",
            "ASSUMED: paid on the day the money locks",
        ),
    ] {
        key_line(toml, Section::Program, key, value.into(), comment);
    }
    toml.push_str(
        "# ASSUMED: the minimum payout and its fees are the generic rules'; set your marketplace's\n\
         # in its currency. The buyers' delays are the generic rules'.\n",
    );
}

/// The `[[regions]]` of the fitted file: by country where the export names them.
fn write_regions(toml: &mut String, est: &Estimate) {
    let Some(d) = &est.delay else { return };
    let shipping = |median: f64| {
        format!(
            "{{ median = {:.2}, p90 = {:.2} }}",
            median,
            median * SHIPPING_RATIO
        )
    };
    if est.regions.is_empty() {
        toml.push_str("[[regions]]\nname = \"all\"\nshare = 1.0\n");
        key_line(
            toml,
            Section::Regions,
            "shipping_days",
            shipping(d.shipping_median),
            "estimated: fitted with confirm_receipt_share",
        );
        toml.push('\n');
        return;
    }
    for r in &est.regions {
        let _ = writeln!(
            toml,
            "[[regions]]\nname = {}   # {}",
            quoted(&r.name),
            orders_text(r.orders)
        );
        key_line(
            toml,
            Section::Regions,
            "share",
            r.share.to_string(),
            "estimated: share of orders by ship_to_country",
        );
        match r.shipping_median {
            Some(m) => key_line(
                toml,
                Section::Regions,
                "shipping_days",
                shipping(m),
                "estimated: fitted to this country's payment → confirmation delay",
            ),
            None => key_line(
                toml,
                Section::Regions,
                "shipping_days",
                shipping(d.shipping_median),
                &format!(
                    "the whole export's: fewer than {MIN_REGION_CONFIRMATIONS} confirmations here to fit"
                ),
            ),
        }
        if let Some((code, days)) = params::PROTECTION_BY_COUNTRY
            .iter()
            .find(|(c, _)| *c == r.name)
        {
            let _ = writeln!(
                toml,
                "# buyer protection for {code}: {days:.0} days by default (consumer guides; unconfirmed)"
            );
        }
        toml.push('\n');
    }
}

/// One `[[categories]]` table of the fitted file.
fn write_category(toml: &mut String, c: &CategoryEstimate, conversion: f64, conversion_note: &str) {
    let cat = Section::Categories;
    let _ = writeln!(
        toml,
        "[[categories]]\nname = {}   # {}",
        quoted(&c.name),
        orders_text(c.orders)
    );
    key_line(
        toml,
        cat,
        "share",
        c.share.to_string(),
        "estimated: share of orders (assumes equal conversion across categories)",
    );
    key_line(
        toml,
        cat,
        "conversion_rate",
        format!("{conversion:.6}"),
        conversion_note,
    );
    key_line(
        toml,
        cat,
        "order_value",
        format!(
            "{{ median = {:.2}, p90 = {:.2} }}",
            c.value_median, c.value_p90
        ),
        &if c.values_known == 0 {
            "ASSUMPTION: the export gives no order values".to_string()
        } else {
            format!("estimated from {}", orders_text(c.values_known))
        },
    );
    match c.rate {
        Some(r) => key_line(
            toml,
            cat,
            "commission_rate",
            format!("{:.4}", r.clamp(0.0, 1.0)),
            "estimated: median rate of non-hot orders",
        ),
        None => key_line(
            toml,
            cat,
            "commission_rate",
            "0.07".into(),
            "ASSUMPTION: no rate in the export (7% is the rate of most categories)",
        ),
    }
    if let Some((share, rate)) = c.hot {
        key_line(
            toml,
            cat,
            "hot_share",
            format!("{share:.4}"),
            "estimated from is_hot_product",
        );
        if let Some(r) = rate {
            key_line(
                toml,
                cat,
                "hot_rate",
                format!("{:.4}", r.clamp(0.0, 1.0)),
                "estimated: median rate of hot orders",
            );
        }
    }
    write_outcomes(toml, c);
    toml.push('\n');
}

/// How much a thin estimate leans on its default, for the fitted file's comment.
fn lean(c: &CategoryEstimate, key: &str) -> String {
    if c.known >= THIN_ORDERS {
        return String::new();
    }
    format!(
        "; THIN: {} order{} with a known fate, so it leans on the {:.0}% default as if {PRIOR_ORDERS:.0} more orders had shown it",
        c.known,
        if c.known == 1 { "" } else { "s" },
        prior(key) * 100.0
    )
}

/// A category's reversal rates and new-buyer bonus, where the export tells them.
fn write_outcomes(toml: &mut String, c: &CategoryEstimate) {
    let cat = Section::Categories;
    if c.known > 0 {
        let cohort = match c.cohort {
            Cohort::Mature(k) => {
                format!("of {k} orders paid at least {MATURE_DAYS:.0} days before the export")
            }
            Cohort::Resolved(k) => {
                format!("of {k} resolved orders (few old orders: may lean towards quick outcomes)")
            }
        };
        key_line(
            toml,
            cat,
            "cancel_rate",
            format!("{:.4}", c.cancel_rate),
            &format!(
                "estimated: reversed within {CANCEL_WITHIN_DAYS:.0} days of payment, {cohort}{}",
                lean(c, "cancel_rate")
            ),
        );
        key_line(
            toml,
            cat,
            "refund_rate",
            format!("{:.4}", c.refund_rate),
            &format!("estimated: reversed later{}", lean(c, "refund_rate")),
        );
    }
    if let Some((share, bonus)) = c.new_buyer {
        key_line(
            toml,
            cat,
            "new_buyer_share",
            format!("{share:.4}"),
            "estimated from is_new_buyer",
        );
        key_line(
            toml,
            cat,
            "new_buyer_bonus",
            format!("{bonus:.2}"),
            "estimated: mean new_buyer_bonus_commission",
        );
    }
}
