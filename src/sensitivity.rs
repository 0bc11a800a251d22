//! `affcast sensitivity`: one input at a time to its low and high, everything else at its
//! central value, on common random numbers; the effect on mean `run_rate_confirmed` and on
//! `first_cash_month`, sorted by size (a tornado).

use indicatif::ProgressBar;

use crate::engine;
use crate::error::Result;
use crate::model::{Param, Scenario};
use crate::stats::SummaryMetric;

/// How a swung value is written back into a scenario.
type Apply = Box<dyn Fn(&mut Scenario, f64) + Sync + Send>;

/// One input of the sweep.
struct Knob {
    key: String,
    /// The values it takes at its low and high.
    low: f64,
    high: f64,
    /// How to print the values (money in cents, or a plain number).
    money: bool,
    apply: Apply,
}

/// One row of the tornado.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: String,
    /// The input's value at the low and the high end (printable).
    pub low_value: String,
    pub high_value: String,
    /// Mean `run_rate_confirmed` (cents/month) with the input at low / high.
    pub run_rate_low: f64,
    pub run_rate_high: f64,
    /// Mean `first_cash_month` with the input at low / high (NaN: no cash in any trial).
    pub first_cash_low: f64,
    pub first_cash_high: f64,
}

impl Row {
    /// The larger of the two effects on `run_rate_confirmed`, cents/month.
    pub fn effect(&self, base: f64) -> f64 {
        (self.run_rate_low - base)
            .abs()
            .max((self.run_rate_high - base).abs())
    }
}

/// The whole sweep.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    pub scenario: String,
    pub currency: String,
    pub trials: u32,
    pub seed: u64,
    pub swing: f64,
    /// Mean `run_rate_confirmed` and `first_cash_month` with every input central.
    pub base_run_rate: f64,
    pub base_first_cash: f64,
    /// Sorted by effect on `run_rate_confirmed`, largest first.
    pub rows: Vec<Row>,
    /// Inputs that cannot swing (zero, or a single category's share of 1).
    pub fixed: Vec<String>,
}

/// Sets share `i` to `v` and rescales the others so that all still sum to 1.
fn set_share<'a>(shares: impl Iterator<Item = &'a mut f64>, i: usize, v: f64) {
    let mut shares: Vec<&mut f64> = shares.collect();
    let old = *shares[i];
    for (j, s) in shares.iter_mut().enumerate() {
        **s = if j == i {
            v
        } else {
            **s * (1.0 - v) / (1.0 - old)
        };
    }
}

fn knobs(sc: &Scenario, swing: f64) -> (Vec<Knob>, Vec<String>) {
    let mut knobs = Vec::new();
    let mut fixed = Vec::new();
    // An input: its interval if it has one, else ±swing, clamped to `max`.
    let mut add = |key: String, p: Param, max: f64, money: bool, apply: Apply| {
        let (low, high) = match p {
            Param::Uncertain { low, high, .. } => (low, high),
            Param::Fixed(v) if v < 0.0 => (v * (1.0 + swing), v * (1.0 - swing)),
            Param::Fixed(v) => (v * (1.0 - swing), (v * (1.0 + swing)).min(max)),
        };
        if low == high {
            fixed.push(key);
        } else {
            knobs.push(Knob {
                key,
                low,
                high,
                money,
                apply,
            });
        }
    };
    let fx = Param::Fixed;
    let inf = f64::INFINITY;
    macro_rules! param {
        ($key:expr, $max:expr, |$s:ident| $place:expr) => {
            add(
                $key.to_string(),
                {
                    let $s = sc;
                    $place
                },
                $max,
                false,
                Box::new(move |$s: &mut Scenario, v| $place = Param::Fixed(v)),
            )
        };
    }
    macro_rules! spread {
        ($key:expr, |$s:ident| $place:expr) => {
            add(
                $key.to_string(),
                {
                    let $s = sc;
                    $place.median
                },
                inf,
                false,
                Box::new(move |$s: &mut Scenario, v| $place.median = Param::Fixed(v)),
            )
        };
    }
    macro_rules! plain {
        ($key:expr, $max:expr, |$s:ident| $place:expr) => {
            add(
                $key.to_string(),
                fx({
                    let $s = sc;
                    $place
                }),
                $max,
                false,
                Box::new(move |$s: &mut Scenario, v| $place = v),
            )
        };
    }
    macro_rules! cents {
        ($key:expr, |$s:ident| $place:expr) => {
            add(
                $key.to_string(),
                fx({
                    let $s = sc;
                    $place
                } as f64),
                inf,
                true,
                Box::new(move |$s: &mut Scenario, v| $place = v.round() as i64),
            )
        };
    }
    macro_rules! whole {
        ($key:expr, $max:expr, |$s:ident| $place:expr) => {
            add(
                $key.to_string(),
                fx({
                    let $s = sc;
                    $place
                } as f64),
                $max,
                false,
                Box::new(move |$s: &mut Scenario, v| $place = v.round() as u32),
            )
        };
    }

    param!("traffic.clicks_per_month", inf, |s| s
        .traffic
        .clicks_per_month);
    param!("traffic.monthly_growth", inf, |s| s.traffic.monthly_growth);
    plain!("traffic.overdispersion", inf, |s| s.traffic.overdispersion);

    param!("program.cookie_days", inf, |s| s.program.cookie_days);
    param!("program.same_session_share", 1.0, |s| s
        .program
        .same_session_share);
    spread!("program.purchase_delay_days", |s| s.program.purchase_delay);
    param!("program.overwrite_rate", inf, |s| s.program.overwrite_rate);
    cents!("program.commission_cap", |s| s.program.commission_cap);
    spread!("program.processing_days", |s| s.program.processing);
    param!("program.confirm_receipt_share", 1.0, |s| s
        .program
        .confirm_receipt_share);
    spread!("program.confirm_delay_days", |s| s.program.confirm_delay);
    spread!("program.refund_delay_days", |s| s.program.refund_delay);
    plain!("program.auto_confirm_days", inf, |s| s
        .program
        .auto_confirm_days);
    plain!("program.invalid_after_days", inf, |s| s
        .program
        .invalid_after_days);
    match sc.program.settlement {
        crate::model::Settlement::Monthly { day } => add(
            "program.settlement_day".into(),
            fx(day as f64),
            28.0,
            false,
            Box::new(|s: &mut Scenario, v| {
                s.program.settlement = crate::model::Settlement::Monthly {
                    day: (v.round() as u32).clamp(1, 28),
                }
            }),
        ),
        crate::model::Settlement::Daily { lag_days } => add(
            "program.settlement_lag_days".into(),
            fx(lag_days as f64),
            inf,
            false,
            Box::new(|s: &mut Scenario, v| {
                s.program.settlement = crate::model::Settlement::Daily {
                    lag_days: v.round() as u32,
                }
            }),
        ),
    }
    cents!("program.minimum_payout", |s| s.program.minimum_payout);
    cents!("program.withdraw_at", |s| s.program.withdraw_at);
    cents!("program.payout_fee", |s| s.program.payout_fee);
    plain!("program.payout_fee_percent", 100.0, |s| s
        .program
        .payout_fee_percent);
    whole!("program.payout_delay_days", inf, |s| s
        .program
        .payout_delay_days);

    let n_regions = sc.regions.len();
    for i in 0..n_regions {
        let name = &sc.regions[i].name;
        if n_regions > 1 {
            add(
                format!("regions.{name}.share"),
                fx(sc.regions[i].share),
                1.0,
                false,
                Box::new(move |s: &mut Scenario, v| {
                    set_share(s.regions.iter_mut().map(|r| &mut r.share), i, v)
                }),
            );
        }
        spread!(format!("regions.{name}.shipping_days"), |s| s.regions[i]
            .shipping);
        if sc.regions[i].auto_confirm_days.is_some() {
            add(
                format!("regions.{name}.auto_confirm_days"),
                fx(sc.regions[i].auto_confirm_days.unwrap_or(0.0)),
                inf,
                false,
                Box::new(move |s: &mut Scenario, v| s.regions[i].auto_confirm_days = Some(v)),
            );
        }
    }
    let n_cats = sc.categories.len();
    for i in 0..n_cats {
        let name = sc.categories[i].name.clone();
        let k = |field: &str| format!("categories.{name}.{field}");
        if n_cats > 1 {
            add(
                k("share"),
                fx(sc.categories[i].share),
                1.0,
                false,
                Box::new(move |s: &mut Scenario, v| {
                    set_share(s.categories.iter_mut().map(|c| &mut c.share), i, v)
                }),
            );
        }
        param!(k("conversion_rate"), 1.0, |s| s.categories[i]
            .conversion_rate);
        spread!(k("order_value"), |s| s.categories[i].order_value);
        param!(k("commission_rate"), 1.0, |s| s.categories[i]
            .commission_rate);
        param!(k("hot_share"), 1.0, |s| s.categories[i].hot_share);
        param!(k("hot_rate"), 1.0, |s| s.categories[i].hot_rate);
        param!(k("cancel_rate"), 1.0, |s| s.categories[i].cancel_rate);
        param!(k("refund_rate"), 1.0, |s| s.categories[i].refund_rate);
        param!(k("new_buyer_share"), 1.0, |s| s.categories[i]
            .new_buyer_share);
        param!(k("new_buyer_bonus"), inf, |s| s.categories[i]
            .new_buyer_bonus);
    }
    (knobs, fixed)
}

/// How many variants a sweep of `sc` runs: the central scenario and each input at its low
/// and its high.
pub fn variants(sc: &Scenario, swing: f64) -> usize {
    1 + 2 * knobs(sc, swing).0.len()
}

/// Runs the sweep: `trials` trials of the central scenario and of each input at its low and
/// high, all on the same seeds.
pub fn sensitivity(
    sc: &Scenario,
    swing: f64,
    trials: u32,
    threads: usize,
    progress: &ProgressBar,
) -> Result<Sensitivity> {
    let base = Scenario {
        trials,
        ..sc.centralized()
    };
    let (knobs, fixed) = knobs(sc, swing);
    let mut variants = vec![base.clone()];
    for k in &knobs {
        for v in [k.low, k.high] {
            let mut s = base.clone();
            (k.apply)(&mut s, v);
            variants.push(s);
        }
    }
    progress.set_length(trials as u64 * variants.len() as u64);
    let figures = [
        SummaryMetric::RunRateConfirmed,
        SummaryMetric::FirstCashMonth,
    ];
    let values = engine::run_paired(&variants, trials, threads, progress, |l| {
        figures.map(|f| f.of(l))
    })?;
    let mean = |v: usize, i: usize| {
        let xs: Vec<f64> = values[v].iter().filter_map(|x| x[i]).collect();
        if xs.is_empty() {
            f64::NAN
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let show = |k: &Knob, v: f64| {
        if k.money {
            format!("{:.2}", v / 100.0)
        } else {
            format!("{}", (v * 1e6).round() / 1e6)
        }
    };
    let base_run_rate = mean(0, 0);
    let mut rows: Vec<Row> = knobs
        .iter()
        .enumerate()
        .map(|(i, k)| Row {
            key: k.key.clone(),
            low_value: show(k, k.low),
            high_value: show(k, k.high),
            run_rate_low: mean(1 + 2 * i, 0),
            run_rate_high: mean(2 + 2 * i, 0),
            first_cash_low: mean(1 + 2 * i, 1),
            first_cash_high: mean(2 + 2 * i, 1),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.effect(base_run_rate)
            .total_cmp(&a.effect(base_run_rate))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(Sensitivity {
        scenario: sc.name.clone(),
        currency: sc.currency.clone(),
        trials,
        seed: sc.seed,
        swing,
        base_run_rate,
        base_first_cash: mean(0, 1),
        rows,
        fixed,
    })
}
