//! AliExpress's order export.

use serde_json::Value;

use super::fields::Fields;
use super::{OrderRecord, Status};
use crate::error::Result;

/// An AliExpress order, and whether its `created_time` stood for a missing `paid_time`.
pub(super) fn record(v: &Value, i: usize, origin: &str) -> Result<(OrderRecord, bool)> {
    let probe = Fields {
        v,
        at: String::new(),
    };
    let (id, id_field) = match probe.text("sub_order_id") {
        Some(id) => (Some(id), "sub_order_id"),
        None => (probe.text("order_id"), "order_id"),
    };
    let at = match &id {
        Some(id) => format!("{origin}: record {i} ({id_field} {id})"),
        None => format!("{origin}: record {i}"),
    };
    let f = Fields { v, at };
    let id = id.ok_or_else(|| f.missing("order_id"))?;
    let status_text = f.required("order_status")?;
    let status = match status_text.as_str() {
        "Payment Completed" => Status::Pending,
        "Buyer Confirmed Receipt" => Status::Confirmed,
        "Completed Settlement" => Status::Settled,
        "Invalid" => Status::Reversed,
        other => {
            return Err(f.err(
                "order_status",
                format!("\"{other}\" is not one of \"Payment Completed\", \"Buyer Confirmed Receipt\", \"Completed Settlement\", \"Invalid\""),
            ));
        }
    };
    // Some responses carry only `created_time`: payment follows the order within minutes.
    let (paid_at, from_created) = match f.time("paid_time")? {
        Some(t) => (t, false),
        None => (
            f.time("created_time")?
                .ok_or_else(|| f.err("paid_time", "is missing (and so is created_time)"))?,
            true,
        ),
    };
    let finished = f.time("finished_time")?;
    let settled = f.time("completed_settlement_time")?;
    let resolved_at = match status {
        Status::Pending => None,
        Status::Confirmed | Status::Held => Some(
            finished.ok_or_else(|| f.err("finished_time", "is missing for a confirmed order"))?,
        ),
        Status::Settled => Some(
            finished
                .or(settled)
                .ok_or_else(|| f.err("finished_time", "is missing for a settled order"))?,
        ),
        Status::Reversed => finished,
    };
    if let Some(t) = resolved_at
        && t < paid_at
    {
        return Err(f.err(
            "finished_time",
            format!("{t} is before paid_time {paid_at}"),
        ));
    }
    let bonus = f.money("new_buyer_bonus_commission", true)?.unwrap_or(0);
    let record = OrderRecord {
        category: f.text("category_id").unwrap_or_else(|| "unknown".into()),
        status,
        paid_at,
        resolved_at,
        amount: f.required_money("paid_amount", true)?,
        commission: f.required_money("estimated_paid_commission", true)?,
        rate: f.rate("commission_rate")?,
        hot: f.yes_no("is_hot_product")?,
        new_buyer: f.yes_no("is_new_buyer")?,
        bonus,
        currency: f.text("settled_currency").unwrap_or_else(|| "USD".into()),
        country: f.text("ship_to_country").map(|c| c.to_ascii_uppercase()),
        sub_id: f
            .text("tracking_id")
            .or_else(|| f.text("custom_parameters")),
        id,
        id_field,
    };
    Ok((record, from_created))
}
