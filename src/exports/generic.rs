//! Any network's order report, mapped onto the generic fields.

use serde_json::Value;

use super::fields::{Fields, norm};
use super::{OrderRecord, Status};
use crate::error::Result;

/// One row of any network's order report, mapped onto the generic fields.
pub(super) fn record(v: &Value, i: usize, origin: &str) -> Result<OrderRecord> {
    let probe = Fields {
        v,
        at: String::new(),
    };
    let id = probe.text("order_id");
    let at = match &id {
        Some(id) => format!("{origin}: record {i} (order_id {id})"),
        None => format!("{origin}: record {i}"),
    };
    let f = Fields { v, at };
    let id = id.ok_or_else(|| f.missing("order_id"))?;
    let written = f.required("status")?;
    let status = match norm(&written).as_str() {
        "pending" | "paymentcompleted" | "open" | "new" => Status::Pending,
        "confirmed" | "approved" | "buyerconfirmedreceipt" | "locked" => Status::Confirmed,
        "settled" | "paid" | "completedsettlement" => Status::Settled,
        "held" | "approvedbutstalled" | "onhold" => Status::Held,
        "reversed" | "declined" | "invalid" | "cancelled" | "canceled" | "refunded"
        | "rejected" => Status::Reversed,
        _ => {
            return Err(f.err(
                "status",
                format!("\"{written}\" is not one of pending, confirmed, reversed (or an AliExpress or Admitad status)"),
            ));
        }
    };
    let paid_at = f.required_time("paid_time")?;
    let resolved_at = match status {
        Status::Pending => None,
        Status::Reversed => f.time("reversed_time")?,
        _ => f.time("confirmed_time")?,
    };
    if let Some(t) = resolved_at
        && t < paid_at
    {
        return Err(f.err(
            "confirmed_time",
            format!("{t} is before paid_time {paid_at}"),
        ));
    }
    Ok(OrderRecord {
        category: f.text("category").unwrap_or_else(|| "unknown".into()),
        status,
        paid_at,
        resolved_at,
        amount: f.money("order_value", false)?.unwrap_or(0),
        commission: f.required_money("commission", false)?,
        rate: None,
        hot: f.yes_no("is_hot_product")?,
        new_buyer: f.yes_no("is_new_buyer")?,
        bonus: 0,
        currency: f.text("currency").unwrap_or_else(|| "USD".into()),
        country: f.text("country").map(|c| c.to_ascii_uppercase()),
        sub_id: f.text("sub_id"),
        id,
        id_field: "order_id",
    })
}
