//! Amazon Associates reports (the Fee-Earnings report a dashboard downloads, as `.xlsx` or
//! CSV): one row per item shipped, with its `Revenue($)` and `Ad Fees($)`; the currency is in
//! the header; a return is a row of its own with negative money. There is no order id and no
//! status: a shipped row is earned (Amazon earns at shipment), a return reverses the shipment
//! it matches (same ASIN and tracking ID, shipped before it), and each category's rate is its
//! fees over its revenue.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde_json::Value;

use super::{Fields, OrderRecord, Status, amount};
use crate::error::Result;
use crate::model::Cents;
use crate::model::money::cents_from_decimal;

/// Whether a record (its keys normalised) is an Amazon earnings row: an ASIN and ad fees.
pub(super) fn detect(first: &Value) -> bool {
    first.get("asin").is_some() && keyed(first, "adfees").is_some()
}

/// The key that starts with `prefix` ("adfees" finds "adfees($)"), and its value.
fn keyed<'v>(v: &'v Value, prefix: &str) -> Option<(&'v str, &'v Value)> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (k.as_str(), v))
}

/// The currency a header names in parentheses: "adfees($)" is USD.
fn currency_of(key: &str) -> Option<&'static str> {
    let inside = key.split_once('(')?.1.trim_end_matches(')');
    Some(match inside {
        "$" | "us$" | "usd" => "USD",
        "£" | "gbp" => "GBP",
        "€" | "eur" => "EUR",
        "rs." | "rs" | "₹" | "inr" => "INR",
        "¥" | "jpy" => "JPY",
        "c$" | "cdn$" | "cad" => "CAD",
        "a$" | "aud" => "AUD",
        _ => return None,
    })
}

/// One row of the report: a shipment (earned) or a return (to net against one).
pub(super) struct Row {
    pub(super) record: OrderRecord,
    /// Items returned: a return row, whose money is the amount taken back.
    pub(super) returned: u32,
    /// Items shipped.
    pub(super) shipped: u32,
    pub(super) asin: String,
}

impl Fields<'_> {
    /// Money that may be negative (a return), as written in a report's money column.
    fn signed_money(&self, key: &str) -> Result<Cents> {
        let Some(written) = self.text(key) else {
            return Err(self.err(key, "is missing"));
        };
        Some(written.as_str())
            .filter(|s| amount::is_plain_decimal(s))
            .and_then(|s| s.parse::<Decimal>().ok())
            .and_then(cents_from_decimal)
            .filter(|c| c.abs() <= 100_000_000_000)
            .ok_or_else(|| {
                self.err(
                    key,
                    format!(
                        "\"{written}\" is not an amount: {}",
                        amount::why_not(&written)
                    ),
                )
            })
    }

    fn count(&self, key: &str) -> Result<u32> {
        let written = self.text(key).unwrap_or_else(|| "0".into());
        written
            .parse()
            .map_err(|_| self.err(key, format!("\"{written}\" is not a whole number of items")))
    }
}

/// Reads one row of an earnings report.
pub(super) fn row(v: &Value, i: usize, origin: &str) -> Result<Row> {
    let f = Fields {
        v,
        at: format!("{origin}: record {i}"),
    };
    let (revenue_key, _) = keyed(v, "revenue").ok_or_else(|| f.err("Revenue", "is missing"))?;
    let (fees_key, _) = keyed(v, "adfees").ok_or_else(|| f.err("Ad Fees", "is missing"))?;
    let currency = currency_of(fees_key).unwrap_or("USD");
    let asin = f.required("asin")?;
    let when: NaiveDateTime = match f.time("dateshipped")? {
        Some(t) => t,
        None => f.required_time("date")?,
    };
    let shipped = f.count("itemsshipped")?;
    let returned = f.count("returns")?;
    let revenue = f.signed_money(revenue_key)?;
    let fees = f.signed_money(fees_key)?;
    let sub_id = f.text("trackingid");
    let record = OrderRecord {
        id: format!(
            "{asin} {} {} {shipped}/{returned} {revenue}",
            sub_id.as_deref().unwrap_or("-"),
            when.format("%Y-%m-%d %H:%M:%S")
        ),
        id_field: "ASIN",
        country: None,
        sub_id,
        category: f.text("category").unwrap_or_else(|| "unknown".into()),
        // Earned at shipment; a return row's status is set when it is netted.
        status: if returned > 0 && shipped == 0 {
            Status::Reversed
        } else {
            Status::Confirmed
        },
        paid_at: when,
        resolved_at: Some(when),
        amount: revenue.abs(),
        commission: fees.abs(),
        rate: None,
        hot: None,
        new_buyer: None,
        bonus: 0,
        currency: currency.to_string(),
    };
    Ok(Row {
        record,
        returned,
        shipped,
        asin,
    })
}

/// What netting a report's returns against its shipments did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Returns {
    /// Returns matched with a shipment in the same report: that shipment is reversed.
    pub netted: usize,
    /// Returns of items shipped before the report: no shipment here to reverse.
    pub unmatched: usize,
    /// Their ad fees, cents (taken off the report's earnings by Amazon, not off an order).
    pub unmatched_fees: Cents,
}

/// The report's orders: shipments, each reversed (whole or in part) by the returns that
/// match it, and every category's rate set to its fees over its revenue.
pub(super) fn net(rows: Vec<Row>) -> (Vec<OrderRecord>, Returns) {
    let (returns, mut shipments): (Vec<Row>, Vec<Row>) = rows
        .into_iter()
        .partition(|r| r.returned > 0 && r.shipped == 0);
    let mut out = Returns::default();
    let mut split_off = Vec::new();
    for ret in returns {
        // The latest shipment of the same item and tracking ID before the return, with items
        // left to return.
        let found = shipments
            .iter_mut()
            .filter(|s| {
                s.asin == ret.asin
                    && s.record.sub_id == ret.record.sub_id
                    && s.record.paid_at <= ret.record.paid_at
                    && s.shipped >= ret.returned
                    && s.record.status == Status::Confirmed
            })
            .max_by_key(|s| s.record.paid_at);
        let Some(s) = found else {
            out.unmatched += 1;
            out.unmatched_fees += ret.record.commission;
            continue;
        };
        out.netted += 1;
        let at = Some(ret.record.paid_at);
        if s.shipped == ret.returned {
            s.record.status = Status::Reversed;
            s.record.resolved_at = at;
            continue;
        }
        // Part of a shipment comes back: that part is an order reversed, the rest stays.
        s.shipped -= ret.returned;
        s.record.amount = (s.record.amount - ret.record.amount).max(0);
        s.record.commission = (s.record.commission - ret.record.commission).max(0);
        split_off.push(OrderRecord {
            id: format!("{} returned", ret.record.id),
            status: Status::Reversed,
            paid_at: s.record.paid_at,
            resolved_at: at,
            amount: ret.record.amount,
            commission: ret.record.commission,
            ..s.record.clone()
        });
    }
    let mut records: Vec<OrderRecord> = shipments.into_iter().map(|s| s.record).collect();
    records.extend(split_off);
    set_category_rates(&mut records);
    (records, out)
}

/// Each record's rate: its category's fees over its revenue (shipments and returns alike).
fn set_category_rates(records: &mut [OrderRecord]) {
    let mut sums: std::collections::BTreeMap<String, (Cents, Cents)> = Default::default();
    for r in records.iter() {
        let s = sums.entry(r.category.clone()).or_default();
        s.0 += r.commission;
        s.1 += r.amount;
    }
    for r in records.iter_mut() {
        let (fees, revenue) = sums[&r.category];
        #[allow(clippy::cast_precision_loss)] // cents of one report
        let rate = (revenue > 0).then(|| fees as f64 / revenue as f64);
        r.rate = rate;
    }
}
