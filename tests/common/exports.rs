//! Writes real-shaped order exports from known parameters, for round trips through `fit`
//! and `--pipeline`. The lifecycle is written out again here, independently of the engine.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use serde_json::{Value, json};

/// Known truth of one category.
#[derive(Debug, Clone)]
pub(crate) struct Truth {
    pub category_id: &'static str,
    pub weight: f64,
    pub value_median: f64,
    pub value_p90: f64,
    pub rate: f64,
    pub hot_share: f64,
    pub cancel: f64,
    pub refund: f64,
    pub new_buyer_share: f64,
}

/// Known truth of the lifecycle (days).
#[derive(Debug, Clone)]
pub(crate) struct Lifecycle {
    pub processing: (f64, f64),
    pub shipping: (f64, f64),
    pub confirm_delay: (f64, f64),
    pub refund_delay: (f64, f64),
    pub confirm_share: f64,
    pub auto_days: f64,
    pub invalid_days: f64,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            processing: (3.0, 7.0),
            shipping: (12.0, 12.0 * 30.0 / 14.0),
            confirm_delay: (3.0, 14.0),
            refund_delay: (5.0, 15.0),
            confirm_share: 0.6,
            auto_days: 60.0,
            invalid_days: 180.0,
        }
    }
}

/// One generated order and what has become of it by the export time.
#[derive(Debug, Clone)]
pub(crate) struct GenOrder {
    pub id: u64,
    pub category: &'static str,
    pub paid: NaiveDateTime,
    /// Days from payment to resolution, and whether it confirms.
    pub fate_days: f64,
    pub confirms: bool,
    pub amount_cents: i64,
    pub commission_cents: i64,
    pub rate: f64,
    pub hot: bool,
    pub new_buyer: bool,
    pub bonus_cents: i64,
}

fn lognormal(rng: &mut Xoshiro256PlusPlus, (median, p90): (f64, f64)) -> f64 {
    let sigma = (p90 / median).ln() / 1.2815515655446004;
    let z: f64 = StandardNormal.sample(rng);
    median * (sigma * z).exp()
}

/// Days from payment to confirmation for an order that is neither cancelled nor refunded.
pub(crate) fn confirmation_days(rng: &mut Xoshiro256PlusPlus, l: &Lifecycle) -> f64 {
    let delivered = lognormal(rng, l.processing) + lognormal(rng, l.shipping);
    let auto = l.auto_days.max(delivered);
    if rng.random::<f64>() < l.confirm_share {
        (delivered + lognormal(rng, l.confirm_delay)).min(auto)
    } else {
        auto
    }
}

pub(crate) fn start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

/// `n` orders paid uniformly over `period_days` from 2026-01-01.
pub(crate) fn generate(
    n: usize,
    period_days: f64,
    cats: &[Truth],
    l: &Lifecycle,
    seed: u64,
) -> Vec<GenOrder> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let paid =
                start() + Duration::seconds((rng.random::<f64>() * period_days * 86_400.0) as i64);
            order(&mut rng, i, paid, cats, l)
        })
        .collect()
}

/// A site over `days` days from 2026-01-01: each day's clicks are Poisson with mean
/// `clicks_per_day`, and each click buys (attributed) with probability `per_click(day)`. Returns
/// the orders and the clicks of each day.
pub(crate) fn site(
    days: usize,
    clicks_per_day: f64,
    per_click: impl Fn(usize) -> f64,
    cats: &[Truth],
    l: &Lifecycle,
    seed: u64,
) -> (Vec<GenOrder>, Vec<u64>) {
    use rand_distr::{Binomial, Poisson};
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut orders = Vec::new();
    let mut clicks = Vec::with_capacity(days);
    for d in 0..days {
        let c = Poisson::new(clicks_per_day).unwrap().sample(&mut rng) as u64;
        clicks.push(c);
        let n = Binomial::new(c, per_click(d)).unwrap().sample(&mut rng);
        for _ in 0..n {
            let paid =
                start() + Duration::seconds(((d as f64 + rng.random::<f64>()) * 86_400.0) as i64);
            let i = orders.len();
            orders.push(order(&mut rng, i, paid, cats, l));
        }
    }
    (orders, clicks)
}

/// A clicks CSV of one row per day from 2026-01-01.
pub(crate) fn clicks_csv(clicks: &[u64]) -> String {
    let mut out = String::from("date,clicks\n");
    for (d, c) in clicks.iter().enumerate() {
        let day = start().date() + Duration::days(d as i64);
        out.push_str(&format!("{day},{c}\n"));
    }
    out
}

/// One order of a category drawn by weight, paid at `paid`, with its fate.
fn order(
    rng: &mut Xoshiro256PlusPlus,
    i: usize,
    paid: NaiveDateTime,
    cats: &[Truth],
    l: &Lifecycle,
) -> GenOrder {
    let total: f64 = cats.iter().map(|c| c.weight).sum();
    let mut u = rng.random::<f64>() * total;
    let cat = cats
        .iter()
        .find(|c| {
            u -= c.weight;
            u < 0.0
        })
        .unwrap_or(&cats[0]);
    let amount_cents =
        ((lognormal(rng, (cat.value_median, cat.value_p90)) * 100.0).round() as i64).max(1);
    let hot = rng.random::<f64>() < cat.hot_share;
    let rate = if hot { 0.0 } else { cat.rate };
    let new_buyer = rng.random::<f64>() < cat.new_buyer_share;
    let bonus_cents = if new_buyer { 150 } else { 0 };
    let commission_cents = (amount_cents as f64 * rate).round() as i64 + bonus_cents;
    let processing = lognormal(rng, l.processing);
    let (fate_days, confirms) = if rng.random::<f64>() < cat.cancel {
        (rng.random::<f64>() * processing, false)
    } else if rng.random::<f64>() < cat.refund {
        let delivered = processing + lognormal(rng, l.shipping);
        (
            (delivered + lognormal(rng, l.refund_delay)).min(l.invalid_days),
            false,
        )
    } else {
        let t = confirmation_days(rng, l);
        if t > l.invalid_days {
            (l.invalid_days, false)
        } else {
            (t, true)
        }
    };
    GenOrder {
        id: 8_000_000 + i as u64,
        category: cat.category_id,
        paid,
        fate_days,
        confirms,
        amount_cents,
        commission_cents,
        rate,
        hot,
        new_buyer,
        bonus_cents,
    }
}

fn time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The order's state at `as_of`: status and resolution time (if resolved by then).
fn state(o: &GenOrder, as_of: NaiveDateTime) -> (&'static str, Option<NaiveDateTime>) {
    let at = o.paid + Duration::seconds((o.fate_days * 86_400.0) as i64);
    if at > as_of {
        ("Payment Completed", None)
    } else if !o.confirms {
        ("Invalid", Some(at))
    } else if at + Duration::days(40) <= as_of {
        ("Completed Settlement", Some(at))
    } else {
        ("Buyer Confirmed Receipt", Some(at))
    }
}

/// AliExpress affiliate order records as of `as_of`; amounts alternate between integer
/// cents (live responses) and decimal strings.
pub(crate) fn aliexpress_records(orders: &[GenOrder], as_of: NaiveDateTime) -> Vec<Value> {
    orders
        .iter()
        .filter(|o| o.paid <= as_of)
        .enumerate()
        .map(|(i, o)| {
            let (status, resolved) = state(o, as_of);
            let money = |c: i64| if i % 2 == 0 { json!(c) } else { json!(format!("{}.{:02}", c / 100, c % 100)) };
            json!({
                "order_id": o.id / 10,
                "sub_order_id": o.id,
                "order_status": status,
                "created_time": time(o.paid - Duration::minutes(3)),
                "paid_time": time(o.paid),
                "finished_time": resolved.map(time).unwrap_or_default(),
                "completed_settlement_time": if status == "Completed Settlement" { time(resolved.unwrap() + Duration::days(30)) } else { String::new() },
                "paid_amount": money(o.amount_cents),
                "finished_amount": money(o.amount_cents),
                "estimated_paid_commission": money(o.commission_cents),
                "estimated_finished_commission": money(o.commission_cents),
                "commission_rate": format!("{:.2}%", o.rate * 100.0),
                "new_buyer_bonus_commission": money(o.bonus_cents),
                "is_new_buyer": if o.new_buyer { "Y" } else { "N" },
                "is_hot_product": if o.hot { "Y" } else { "N" },
                "category_id": o.category,
                "product_id": 1_005_000_000 + o.id,
                "product_count": 1,
                "tracking_id": "default",
                "custom_parameters": "",
                "settled_currency": "USD",
                "ship_to_country": "ES",
                "order_type": "global",
                "order_platform": "mobile",
            })
        })
        .collect()
}

/// The `aliexpress.affiliate.order.list` response envelope around the records.
pub(crate) fn aliexpress_envelope(records: Vec<Value>) -> String {
    let n = records.len();
    json!({
        "aliexpress_affiliate_order_list_response": {
            "resp_result": {
                "resp_code": 200,
                "resp_msg": "Call succeeds",
                "result": {
                    "current_page_no": 1,
                    "current_record_count": n,
                    "total_page_no": 1,
                    "orders": { "order": records }
                }
            },
            "request_id": "test"
        }
    })
    .to_string()
}

/// Admitad `statistics/actions` records as of `as_of`.
pub(crate) fn admitad_records(orders: &[GenOrder], as_of: NaiveDateTime) -> Vec<Value> {
    orders
        .iter()
        .filter(|o| o.paid <= as_of)
        .map(|o| {
            let (status, resolved) = state(o, as_of);
            let status = match status {
                "Payment Completed" => "pending",
                "Invalid" => "declined",
                _ => "approved",
            };
            let units = |c: i64| format!("{}.{:02}", c / 100, c % 100);
            json!({
                "action_id": o.id,
                "order_id": format!("AE{}", o.id),
                "status": status,
                "cart": units(o.amount_cents),
                "payment": units(o.commission_cents),
                "currency": "USD",
                "click_date": time(o.paid - Duration::hours(5)),
                "action_date": time(o.paid),
                "closing_date": resolved.map(time),
                "status_updated": resolved.map(time).unwrap_or_else(|| time(o.paid)),
                "subid": "blog",
                "advcampaign_name": "AliExpress WW",
                "positions": [{
                    "product_category_name": o.category,
                    "rate": format!("{:.2}", o.rate * 100.0),
                    "percentage": true,
                    "amount": units(o.amount_cents),
                    "payment": units(o.commission_cents),
                }],
            })
        })
        .collect()
}

/// The records as CSV with the same field names (nested fields left out).
pub(crate) fn csv_of(records: &[Value]) -> String {
    let keys: Vec<String> = records[0]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.is_array() && !v.is_object())
        .map(|(k, _)| k.clone())
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&keys).unwrap();
    for r in records {
        let row: Vec<String> = keys
            .iter()
            .map(|k| match &r[k] {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                v => v.to_string(),
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}
