//! Admitad's actions, one record per position of a cart.

use serde_json::Value;

use super::fields::Fields;
use super::{OrderRecord, Status};
use crate::error::Result;

/// An Admitad action: one record per position of its cart (each with its own category,
/// amount, commission and rate), or one record for an action without positions.
pub(super) fn records(v: &Value, i: usize, origin: &str) -> Result<Vec<OrderRecord>> {
    let probe = Fields {
        v,
        at: String::new(),
    };
    let (id, id_field) = match probe.text("action_id") {
        Some(id) => (Some(id), "action_id"),
        None => (probe.text("order_id"), "order_id"),
    };
    let at = match &id {
        Some(id) => format!("{origin}: record {i} ({id_field} {id})"),
        None => format!("{origin}: record {i}"),
    };
    let f = Fields { v, at };
    let id = id.ok_or_else(|| f.missing("action_id"))?;
    let status = match f.required("status")?.as_str() {
        "pending" => Status::Pending,
        "approved" => Status::Confirmed,
        "approved_but_stalled" => Status::Held,
        "declined" => Status::Reversed,
        other => {
            return Err(f.err(
                "status",
                format!(
                    "\"{other}\" is not one of pending, approved, declined, approved_but_stalled"
                ),
            ));
        }
    };
    // Paid out by the network (`paid` 1): no longer money on its way.
    let status = match (status, f.flag("paid")?) {
        (Status::Confirmed, Some(true)) => Status::Settled,
        (status, _) => status,
    };
    // Read so that a value other than 0/1 is named; a final (`processed` 1) or not, the
    // status is the network's word.
    f.flag("processed")?;
    let paid_at = f.required_time("action_date")?;
    let resolved_at = match status {
        Status::Pending => None,
        _ => f.time("closing_date")?.or(f.time("status_updated")?),
    };
    if matches!(status, Status::Confirmed | Status::Held) && resolved_at.is_none() {
        return Err(f.err("closing_date", "is missing for an approved action"));
    }
    let record = OrderRecord {
        // An action without positions has no product category (the campaign is not one).
        category: "unknown".into(),
        status,
        paid_at,
        resolved_at,
        // `cart` is null on some actions: the positions' amounts stand for it.
        amount: f.money("cart", false)?.unwrap_or(0),
        commission: f.required_money("payment", false)?,
        rate: None,
        hot: None,
        new_buyer: None,
        bonus: 0,
        currency: f.required("currency")?,
        country: f.text("country").map(|c| c.to_ascii_uppercase()),
        sub_id: f.text("subid").or_else(|| f.text("subid1")),
        id,
        id_field,
    };
    let positions = match v.get("positions") {
        Some(Value::Array(p)) if !p.is_empty() => p,
        _ => return Ok(vec![record]),
    };
    positions
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let pf = Fields {
                v: p,
                at: format!("{}: positions[{k}]", f.at),
            };
            Ok(OrderRecord {
                category: pf
                    .text("product_category_name")
                    .or_else(|| pf.text("product_category_id"))
                    .unwrap_or_else(|| "unknown".into()),
                amount: pf.required_money("amount", false)?,
                commission: pf.required_money("payment", false)?,
                // `percentage` true: `rate` is a percent of the amount ("50.00" = 50%);
                // false: a fixed amount per action, which is no rate (the commission says
                // what was paid).
                rate: match pf.flag("percentage")? {
                    Some(true) => pf.percent("rate")?,
                    Some(false) | None => None,
                },
                // One action, several parts: each part is its own record of the same order.
                id: if positions.len() == 1 {
                    record.id.clone()
                } else {
                    format!("{}#{k}", record.id)
                },
                ..record.clone()
            })
        })
        .collect()
}
