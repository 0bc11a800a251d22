//! `fit --by` for people (a table) and the `fit --format json` document.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::json::Num;
use super::{human, note_lines};
use crate::app::{Fitted, Outcome};
use crate::fit::groups::{Breakdown, FEW_ORDERS, Group};
use crate::stats::Unit;

/// The groups as a table, best expected EPC first.
pub fn table(b: &Breakdown, currency: &str) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        b.by.name().to_string(),
        "orders".into(),
        "earned".into(),
        "confirmed".into(),
        "reversed".into(),
        "pending".into(),
        "reversal".into(),
        "clicks".into(),
        "EPC expected (80%)".into(),
    ]);
    let money = |c: i64| human(Unit::Money, c as f64);
    let epc = |x: Option<f64>| x.map_or("—".into(), |e| human(Unit::MoneyPerClick, e));
    for g in &b.groups {
        let interval = match (g.epc_expected, g.epc_low, g.epc_high) {
            (Some(_), Some(lo), Some(hi)) => format!(
                "{} ({}–{}){}",
                epc(g.epc_expected),
                epc(Some(lo)),
                epc(Some(hi)),
                if g.too_few {
                    " too few orders to tell"
                } else {
                    ""
                }
            ),
            _ if g.too_few => "too few orders to tell".into(),
            _ => "—".into(),
        };
        t.add_row(vec![
            g.key.clone(),
            g.orders.to_string(),
            money(g.earned),
            money(g.confirmed),
            money(g.reversed),
            money(g.pending),
            g.reversal_rate
                .map_or("—".into(), |r| format!("{:.1}%", r * 100.0)),
            g.clicks
                .map_or("—".into(), |c| human(Unit::Count, c as f64)),
            interval,
        ]);
    }
    for i in 1..9 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!(
        "Orders by {} (money in {currency}; pending counted at the export's reversal rate of {:.1}%; under {FEW_ORDERS} orders: too few to tell)\n{t}",
        b.by.name(),
        b.reversal_rate * 100.0
    )
}

/// One group, keyed by the field it is grouped by.
struct GroupDoc<'a>(&'static str, &'a Group);

impl Serialize for GroupDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let GroupDoc(field, g) = *self;
        let money = |c: i64| Num(Unit::Money, c as f64);
        let epc = |x: Option<f64>| x.map(|e| Num(Unit::MoneyPerClick, e));
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(field, &g.key)?;
        m.serialize_entry("orders", &g.orders)?;
        m.serialize_entry("gmv", &money(g.gmv))?;
        m.serialize_entry("earned", &money(g.earned))?;
        m.serialize_entry("confirmed", &money(g.confirmed))?;
        m.serialize_entry("reversed", &money(g.reversed))?;
        m.serialize_entry("pending", &money(g.pending))?;
        m.serialize_entry(
            "reversal_rate",
            &g.reversal_rate.map(|r| Num(Unit::Ratio, r)),
        )?;
        m.serialize_entry("clicks", &g.clicks)?;
        m.serialize_entry("epc_confirmed", &epc(g.epc_confirmed))?;
        m.serialize_entry("epc_expected", &epc(g.epc_expected))?;
        m.serialize_entry("epc_expected_p10", &epc(g.epc_low))?;
        m.serialize_entry("epc_expected_p90", &epc(g.epc_high))?;
        m.serialize_entry("too_few_orders", &g.too_few)?;
        m.end()
    }
}

/// `fit --format json`: `{"scenario": "<toml>", "notes": [...], "by_<field>": [...]}`.
pub fn fit_json(outcome: &Outcome<Fitted>) -> String {
    struct Doc<'a>(&'a Outcome<Fitted>);
    impl Serialize for Doc<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let o = self.0;
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("scenario", &o.value.fit.toml)?;
            let notes: Vec<String> = o.notes.iter().flat_map(note_lines).collect();
            m.serialize_entry("notes", &notes)?;
            if let Some(b) = &o.value.breakdown {
                let field = b.by.name();
                let groups: Vec<GroupDoc> = b.groups.iter().map(|g| GroupDoc(field, g)).collect();
                m.serialize_entry(&format!("by_{field}"), &groups)?;
            }
            m.end()
        }
    }
    let mut text = serde_json::to_string_pretty(&Doc(outcome)).expect("the document serializes");
    text.push('\n');
    text
}
