//! Where each effective value of a scenario came from: the file, the preset, or a default.

use super::raw::RawScenario;
use crate::model::{Cents, Param, Scenario, Settlement, Spread};

/// One effective parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    pub key: String,
    pub value: String,
    /// "file", "preset aliexpress-portals", or "default".
    pub origin: String,
}

fn param(p: Param) -> String {
    match p {
        Param::Fixed(v) => format!("{v}"),
        Param::Uncertain { low, high, .. } => format!("90% between {low} and {high}"),
    }
}

fn spread(s: Spread) -> String {
    if s.ratio == 1.0 {
        return param(s.median);
    }
    let p90 = s.median.central() * s.ratio;
    format!("median {}, p90 {:.4}", param(s.median), p90).replace(".0000", "")
}

fn money(c: Cents) -> String {
    format!("{:.2}", c as f64 / 100.0)
}

/// Every effective parameter of `sc`, with its origin judged from the file's raw form.
pub fn assumptions(raw: &RawScenario, sc: &Scenario) -> Vec<Assumption> {
    let mut out = Vec::new();
    let mut add = |key: String, value: String, from_file: bool, otherwise: &str| {
        out.push(Assumption {
            key,
            value,
            origin: if from_file {
                "file".into()
            } else {
                otherwise.to_string()
            },
        })
    };
    let preset = format!("preset {}", sc.preset.name());
    add(
        "months".into(),
        sc.months.to_string(),
        raw.months.is_some(),
        "default",
    );
    add(
        "currency".into(),
        sc.currency.clone(),
        raw.currency.is_some(),
        "default",
    );
    let sim = raw.simulation.clone().unwrap_or_default();
    add(
        "simulation.trials".into(),
        sc.trials.to_string(),
        sim.trials.is_some(),
        "default",
    );
    add(
        "simulation.seed".into(),
        sc.seed.to_string(),
        sim.seed.is_some(),
        "default",
    );

    let rp = raw.program.clone().unwrap_or_default();
    let p = &sc.program;
    add(
        "program.preset".into(),
        sc.preset.name().into(),
        rp.preset.is_some(),
        "default",
    );
    add(
        "program.cookie_days".into(),
        param(p.cookie_days),
        rp.cookie_days.is_some(),
        &preset,
    );
    add(
        "program.same_session_share".into(),
        param(p.same_session_share),
        rp.same_session_share.is_some(),
        &preset,
    );
    add(
        "program.purchase_delay_days".into(),
        spread(p.purchase_delay),
        rp.purchase_delay_days.is_some(),
        &preset,
    );
    add(
        "program.overwrite_rate".into(),
        param(p.overwrite_rate),
        rp.overwrite_rate.is_some(),
        &preset,
    );
    add(
        "program.commission_cap".into(),
        money(p.commission_cap),
        rp.commission_cap.is_some(),
        &preset,
    );
    add(
        "program.processing_days".into(),
        spread(p.processing),
        rp.processing_days.is_some(),
        &preset,
    );
    add(
        "program.confirm_receipt_share".into(),
        param(p.confirm_receipt_share),
        rp.confirm_receipt_share.is_some(),
        &preset,
    );
    add(
        "program.confirm_delay_days".into(),
        spread(p.confirm_delay),
        rp.confirm_delay_days.is_some(),
        &preset,
    );
    add(
        "program.refund_delay_days".into(),
        spread(p.refund_delay),
        rp.refund_delay_days.is_some(),
        &preset,
    );
    add(
        "program.auto_confirm_days".into(),
        format!("{}", p.auto_confirm_days),
        rp.auto_confirm_days.is_some(),
        &preset,
    );
    add(
        "program.invalid_after_days".into(),
        format!("{}", p.invalid_after_days),
        rp.invalid_after_days.is_some(),
        &preset,
    );
    match p.settlement {
        Settlement::Monthly { day } => {
            add(
                "program.settlement".into(),
                "monthly".into(),
                rp.settlement.is_some(),
                &preset,
            );
            add(
                "program.settlement_day".into(),
                day.to_string(),
                rp.settlement_day.is_some(),
                &preset,
            );
        }
        Settlement::Daily { lag_days } => {
            add(
                "program.settlement".into(),
                "daily".into(),
                rp.settlement.is_some(),
                &preset,
            );
            add(
                "program.settlement_lag_days".into(),
                lag_days.to_string(),
                rp.settlement_lag_days.is_some(),
                &preset,
            );
        }
    }
    add(
        "program.minimum_payout".into(),
        money(p.minimum_payout),
        rp.minimum_payout.is_some(),
        &preset,
    );
    add(
        "program.withdraw_at".into(),
        money(p.withdraw_at),
        rp.withdraw_at.is_some(),
        "default (= minimum_payout)",
    );
    add(
        "program.payout_fee".into(),
        money(p.payout_fee),
        rp.payout_fee.is_some(),
        &preset,
    );
    add(
        "program.payout_fee_percent".into(),
        format!("{}", p.payout_fee_percent),
        rp.payout_fee_percent.is_some(),
        &preset,
    );
    add(
        "program.payout_delay_days".into(),
        p.payout_delay_days.to_string(),
        rp.payout_delay_days.is_some(),
        &preset,
    );

    let rt = raw.traffic.clone().unwrap_or_default();
    let t = &sc.traffic;
    add(
        "traffic.clicks_per_month".into(),
        param(t.clicks_per_month),
        rt.clicks_per_month.is_some(),
        "default",
    );
    add(
        "traffic.monthly_growth".into(),
        param(t.monthly_growth),
        rt.monthly_growth.is_some(),
        "default",
    );
    add(
        "traffic.overdispersion".into(),
        format!("{}", t.overdispersion),
        rt.overdispersion.is_some(),
        "default",
    );
    let season: Vec<String> = t.seasonality.iter().map(|x| format!("{x}")).collect();
    add(
        "traffic.seasonality".into(),
        season.join(", "),
        rt.seasonality.is_some(),
        "default",
    );

    for (i, e) in sc.events.iter().enumerate() {
        let cookie = e
            .cookie_days
            .map_or(String::new(), |c| format!(", cookie {c} days"));
        add(
            format!("events[{i}] {}", e.name),
            format!(
                "from {:02}-{:02} for {} days: traffic ×{}, conversion ×{}{cookie}",
                e.month, e.day, e.days, e.traffic, e.conversion
            ),
            true,
            "",
        );
    }
    let regions_from_file = !raw.regions.is_empty();
    for (i, r) in sc.regions.iter().enumerate() {
        let raw_r = raw.regions.get(i);
        let k = |f: &str| format!("regions.{}.{f}", r.name);
        add(
            k("share"),
            format!("{}", r.share),
            regions_from_file,
            "default (one global region)",
        );
        add(
            k("shipping_days"),
            spread(r.shipping),
            raw_r.is_some_and(|x| x.shipping_days.is_some()),
            "default",
        );
        let auto = r.auto_confirm_days.unwrap_or(p.auto_confirm_days);
        add(
            k("auto_confirm_days"),
            format!("{auto}"),
            raw_r.is_some_and(|x| x.auto_confirm_days.is_some()),
            "program.auto_confirm_days",
        );
    }
    for (i, c) in sc.categories.iter().enumerate() {
        let rc = raw.categories.get(i).cloned().unwrap_or_default();
        let k = |f: &str| format!("categories.{}.{f}", c.name);
        add(k("share"), format!("{}", c.share), true, "");
        add(k("conversion_rate"), param(c.conversion_rate), true, "");
        add(k("order_value"), spread(c.order_value), true, "");
        add(k("commission_rate"), param(c.commission_rate), true, "");
        add(
            k("hot_share"),
            param(c.hot_share),
            rc.hot_share.is_some(),
            "default",
        );
        add(
            k("hot_rate"),
            param(c.hot_rate),
            rc.hot_rate.is_some(),
            "default",
        );
        add(
            k("cancel_rate"),
            param(c.cancel_rate),
            rc.cancel_rate.is_some(),
            "default (assumption)",
        );
        add(
            k("refund_rate"),
            param(c.refund_rate),
            rc.refund_rate.is_some(),
            "default (assumption)",
        );
        add(
            k("new_buyer_share"),
            param(c.new_buyer_share),
            rc.new_buyer_share.is_some(),
            "default",
        );
        add(
            k("new_buyer_bonus"),
            param(c.new_buyer_bonus),
            rc.new_buyer_bonus.is_some(),
            "default",
        );
    }
    out
}
