//! Raw scenario → checked [`Scenario`]: presets applied, every rule checked, every
//! problem reported with the file, the key path and the value.

use chrono::NaiveDate;

use super::presets;
use super::raw::{RawDist, RawProgram, RawScenario, RawU};
use crate::model::money::cents_from_f64;
use crate::model::{
    Category, Cents, Event, Kind, Mix, Param, Preset, Program, Region, Scenario, Settlement,
    Spread, Traffic,
};

/// Largest horizon in months.
pub const MAX_MONTHS: i64 = 120;
/// Largest number of trials.
pub const MAX_TRIALS: i64 = 1_000_000;
/// Largest expected clicks per month (before growth and seasonality).
pub const MAX_CLICKS_PER_MONTH: f64 = 1e9;
/// Largest p90 / median of a distribution: beyond it the tail is not a forecast any more.
pub const MAX_SPREAD_RATIO: f64 = 1000.0;
/// Largest amount of money a scenario may name, in currency units.
pub const MAX_AMOUNT: f64 = 1e9;
/// Most categories, regions and events a scenario may have.
pub const MAX_CATEGORIES: usize = 200;
pub const MAX_REGIONS: usize = 50;
pub const MAX_EVENTS: usize = 50;
/// Shares must sum to 1 within this.
const SHARE_TOLERANCE: f64 = 1e-6;

struct Check<'a> {
    origin: &'a str,
    errors: Vec<String>,
}

fn show(u: RawU) -> String {
    match u {
        RawU::Fixed(v) => format!("{v}"),
        RawU::Range { low, high } => format!("{{ low = {low}, high = {high} }}"),
    }
}

impl Check<'_> {
    fn err(&mut self, path: &str, msg: impl AsRef<str>) {
        self.errors
            .push(format!("{}: {path}: {}", self.origin, msg.as_ref()));
    }

    fn missing(&mut self, path: &str) {
        self.err(path, "is missing (required)");
    }

    /// A plain number that must be finite and within `lo..=hi`.
    fn number(&mut self, path: &str, v: f64, lo: f64, hi: f64, what: &str) -> f64 {
        if !v.is_finite() {
            self.err(path, format!("{v} is not a finite number"));
        } else if v < lo || v > hi {
            self.err(path, format!("{v} is not {what}"));
        }
        v
    }

    fn probability(&mut self, path: &str, v: f64) -> f64 {
        self.number(path, v, 0.0, 1.0, "a probability (0..=1)")
    }

    fn days(&mut self, path: &str, v: f64) -> f64 {
        self.number(path, v, 0.0, 3650.0, "a number of days (0..=3650)")
    }

    fn money(&mut self, path: &str, v: f64) -> Cents {
        self.number(path, v, 0.0, MAX_AMOUNT, "an amount of money (0..=1e9)");
        cents_from_f64(v).unwrap_or(0)
    }

    fn int(&mut self, path: &str, v: i64, lo: i64, hi: i64) -> i64 {
        if v < lo || v > hi {
            self.err(path, format!("{v} is out of range ({lo}..={hi})"));
        }
        v.clamp(lo, hi)
    }

    /// An uncertain scalar of the given kind; `lo..=hi` bounds a plain value.
    fn param(&mut self, path: &str, u: RawU, kind: Kind, lo: f64, hi: f64, what: &str) -> Param {
        match u {
            RawU::Fixed(v) => Param::Fixed(self.number(path, v, lo, hi, what)),
            RawU::Range { low, high } => {
                let shown = show(u);
                if !low.is_finite() || !high.is_finite() {
                    self.err(
                        path,
                        format!("{shown}: low and high must be finite numbers"),
                    );
                } else if low > high {
                    self.err(path, format!("{shown}: low is above high"));
                } else if low < lo || high > hi {
                    self.err(path, format!("{shown}: the interval is not {what}"));
                } else {
                    match kind {
                        Kind::Probability if low <= 0.0 || high >= 1.0 => self.err(
                            path,
                            format!("{shown}: a probability interval needs 0 < low and high < 1"),
                        ),
                        Kind::Positive if low <= 0.0 => self.err(
                            path,
                            format!("{shown}: an interval of a positive amount needs low > 0"),
                        ),
                        _ => {}
                    }
                }
                Param::Uncertain { kind, low, high }
            }
        }
    }

    fn prob_param(&mut self, path: &str, u: RawU) -> Param {
        self.param(
            path,
            u,
            Kind::Probability,
            0.0,
            1.0,
            "a probability (0..=1)",
        )
    }

    fn positive_param(&mut self, path: &str, u: RawU, hi: f64) -> Param {
        let what = format!("a non-negative amount (0..={hi})");
        self.param(path, u, Kind::Positive, 0.0, hi, &what)
    }

    /// A per-event distribution of a positive quantity.
    fn spread(&mut self, path: &str, d: RawDist, hi: f64) -> Spread {
        match d {
            RawDist::Fixed(v) => {
                let what = format!("a non-negative number (0..={hi})");
                Spread::constant(self.number(path, v, 0.0, hi, &what))
            }
            RawDist::Spread { median, p90 } => {
                let mpath = format!("{path}.median");
                let what = format!("a positive number (0..={hi})");
                let median = self.param(&mpath, median, Kind::Positive, 0.0, hi, &what);
                if median == Param::Fixed(0.0) {
                    self.err(
                        &mpath,
                        "0 is not a positive median (write a plain 0 for none)",
                    );
                }
                let ppath = format!("{path}.p90");
                self.number(&ppath, p90, 0.0, hi, &what);
                let central = median.central();
                let mut ratio = 1.0;
                if central > 0.0 && p90.is_finite() {
                    ratio = p90 / central;
                    if p90 < central {
                        self.err(&ppath, format!("{p90} is below the median {central}"));
                        ratio = 1.0;
                    } else if ratio > MAX_SPREAD_RATIO {
                        self.err(
                            &ppath,
                            format!(
                                "{p90} is more than {MAX_SPREAD_RATIO} times the median {central}"
                            ),
                        );
                        ratio = 1.0;
                    }
                }
                Spread { median, ratio }
            }
        }
    }

    /// Shares that must sum to 1.
    fn shares_sum(&mut self, path: &str, shares: &[f64]) {
        let sum: f64 = shares.iter().sum();
        if shares.iter().all(|s| s.is_finite()) && (sum - 1.0).abs() > SHARE_TOLERANCE {
            self.err(path, format!("shares sum to {sum}, not 1"));
        }
    }

    fn name(&mut self, path: &str, name: Option<&String>, seen: &mut Vec<String>) -> String {
        match name {
            None => {
                self.missing(path);
                String::new()
            }
            Some(n) if n.trim().is_empty() => {
                self.err(path, "\"\" is empty");
                String::new()
            }
            Some(n) => {
                if seen.contains(n) {
                    self.err(path, format!("\"{n}\" is a duplicate name"));
                }
                seen.push(n.clone());
                n.clone()
            }
        }
    }
}

/// Applies the preset and checks everything; all problems are returned, one line each.
pub fn validate(raw: &RawScenario, origin: &str) -> Result<Scenario, Vec<String>> {
    let mut ck = Check {
        origin,
        errors: Vec::new(),
    };

    let name = raw
        .name
        .clone()
        .unwrap_or_else(|| "unnamed scenario".into());
    let start = match &raw.start {
        None => {
            ck.missing("start");
            NaiveDate::MIN
        }
        Some(s) => match NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
            Ok(d) if s.len() == 7 && (1900..=2999).contains(&chrono::Datelike::year(&d)) => d,
            _ => {
                ck.err("start", format!("\"{s}\" is not a month written YYYY-MM"));
                NaiveDate::MIN
            }
        },
    };
    let months = ck.int("months", raw.months.unwrap_or(24), 1, MAX_MONTHS) as u32;
    let currency = raw.currency.clone().unwrap_or_else(|| "USD".into());
    let sim = raw.simulation.clone().unwrap_or_default();
    let trials = ck.int(
        "simulation.trials",
        sim.trials.unwrap_or(2000),
        1,
        MAX_TRIALS,
    ) as u32;
    let seed = ck.int("simulation.seed", sim.seed.unwrap_or(42), 0, i64::MAX) as u64;

    let user = raw.program.clone().unwrap_or_default();
    let preset = match user.preset.as_deref() {
        None => Preset::Portals,
        Some(p) => Preset::from_name(p).unwrap_or_else(|| {
            let known: Vec<_> = Preset::ALL.iter().map(|p| p.name()).collect();
            ck.err(
                "program.preset",
                format!("\"{p}\" is not a preset (known: {})", known.join(", ")),
            );
            Preset::Portals
        }),
    };
    for (key, n, max) in [
        ("categories", raw.categories.len(), MAX_CATEGORIES),
        ("regions", raw.regions.len(), MAX_REGIONS),
        ("events", raw.events.len(), MAX_EVENTS),
    ] {
        if n > max {
            ck.err(key, format!("{n} entries is more than the limit of {max}"));
            return Err(ck.errors);
        }
    }
    let program = program(&mut ck, &user, preset);
    let traffic = traffic(&mut ck, raw);
    let events = events(&mut ck, raw);
    let regions = regions(&mut ck, raw);
    let categories = categories(&mut ck, raw);
    let mixes = mixes(&mut ck, raw, &categories);

    if !ck.errors.is_empty() {
        return Err(ck.errors);
    }
    Ok(Scenario {
        name,
        start,
        months,
        currency,
        trials,
        seed,
        preset,
        program,
        traffic,
        events,
        regions,
        categories,
        mixes,
        pipeline: None,
    })
}

fn program(ck: &mut Check, user: &RawProgram, preset: Preset) -> Program {
    let base = presets::program(preset);
    macro_rules! key {
        ($k:ident) => {
            user.$k.clone().or(base.$k.clone())
        };
    }
    macro_rules! get {
        ($k:ident) => {
            key!($k).expect(concat!("every preset sets ", stringify!($k)))
        };
    }
    let p = "program.";
    let cookie_days = ck.positive_param("program.cookie_days", get!(cookie_days), 365.0);
    let same_session_share = ck.prob_param("program.same_session_share", get!(same_session_share));
    let purchase_delay = ck.spread(
        "program.purchase_delay_days",
        get!(purchase_delay_days),
        3650.0,
    );
    let overwrite_rate = ck.positive_param("program.overwrite_rate", get!(overwrite_rate), 100.0);
    let commission_cap = ck.money("program.commission_cap", get!(commission_cap));
    let processing = ck.spread("program.processing_days", get!(processing_days), 3650.0);
    let confirm_receipt_share =
        ck.prob_param("program.confirm_receipt_share", get!(confirm_receipt_share));
    let confirm_delay = ck.spread(
        "program.confirm_delay_days",
        get!(confirm_delay_days),
        3650.0,
    );
    let refund_delay = ck.spread("program.refund_delay_days", get!(refund_delay_days), 3650.0);
    let auto_confirm_days = ck.days("program.auto_confirm_days", get!(auto_confirm_days));
    let invalid_after_days = ck.days("program.invalid_after_days", get!(invalid_after_days));

    let settlement_name = get!(settlement);
    let settlement = match settlement_name.as_str() {
        "monthly" => {
            if user.settlement_lag_days.is_some() {
                ck.err(
                    "program.settlement_lag_days",
                    "applies to settlement = \"daily\" only; this scenario settles monthly",
                );
            }
            let day = key!(settlement_day).unwrap_or(25);
            Settlement::Monthly {
                day: ck.int("program.settlement_day", day, 1, 28) as u32,
            }
        }
        "daily" => {
            if user.settlement_day.is_some() {
                ck.err(
                    "program.settlement_day",
                    "applies to settlement = \"monthly\" only; this scenario settles daily",
                );
            }
            let lag = key!(settlement_lag_days).unwrap_or(2);
            Settlement::Daily {
                lag_days: ck.int("program.settlement_lag_days", lag, 0, 365) as u32,
            }
        }
        other => {
            ck.err(
                "program.settlement",
                format!("\"{other}\" is not a settlement (\"monthly\" or \"daily\")"),
            );
            Settlement::Monthly { day: 25 }
        }
    };
    let minimum_raw = get!(minimum_payout);
    let minimum_payout = ck.money("program.minimum_payout", minimum_raw);
    let withdraw_raw = user.withdraw_at.unwrap_or(minimum_raw);
    let withdraw_at = ck.money("program.withdraw_at", withdraw_raw);
    let fee_raw = get!(payout_fee);
    let payout_fee = ck.money("program.payout_fee", fee_raw);
    let payout_fee_percent = ck.number(
        "program.payout_fee_percent",
        get!(payout_fee_percent),
        0.0,
        100.0,
        "a percentage (0..=100)",
    );
    let payout_delay_days = ck.int("program.payout_delay_days", get!(payout_delay_days), 0, 365);
    if withdraw_at < minimum_payout {
        ck.err(
            &format!("{p}withdraw_at"),
            format!("{withdraw_raw} is below minimum_payout {minimum_raw}"),
        );
    } else if (withdraw_at as f64) * (1.0 - payout_fee_percent / 100.0) <= payout_fee as f64 {
        ck.err(
            &format!("{p}withdraw_at"),
            format!(
                "{withdraw_raw} is not above the fees of a withdrawal (payout_fee {fee_raw}, payout_fee_percent {payout_fee_percent}): every withdrawal would be eaten by fees"
            ),
        );
    }
    Program {
        cookie_days,
        same_session_share,
        purchase_delay,
        overwrite_rate,
        commission_cap,
        processing,
        confirm_receipt_share,
        confirm_delay,
        refund_delay,
        auto_confirm_days,
        invalid_after_days,
        settlement,
        minimum_payout,
        withdraw_at,
        payout_fee,
        payout_fee_percent,
        payout_delay_days: payout_delay_days as u32,
    }
}

fn traffic(ck: &mut Check, raw: &RawScenario) -> Traffic {
    let Some(t) = &raw.traffic else {
        ck.missing("traffic");
        return Traffic {
            clicks_per_month: Param::Fixed(0.0),
            monthly_growth: Param::Fixed(0.0),
            overdispersion: 0.0,
            seasonality: [1.0; 12],
        };
    };
    let clicks_per_month = match t.clicks_per_month {
        None => {
            ck.missing("traffic.clicks_per_month");
            Param::Fixed(0.0)
        }
        Some(u) => ck.positive_param("traffic.clicks_per_month", u, MAX_CLICKS_PER_MONTH),
    };
    let monthly_growth = ck.param(
        "traffic.monthly_growth",
        t.monthly_growth.unwrap_or(RawU::Fixed(0.0)),
        Kind::Signed,
        -0.99,
        1.0,
        "a monthly growth rate (-0.99..=1)",
    );
    let overdispersion = ck.number(
        "traffic.overdispersion",
        t.overdispersion.unwrap_or(0.15),
        0.0,
        10.0,
        "a coefficient of variation (0..=10)",
    );
    let mut seasonality = [1.0; 12];
    if let Some(s) = &t.seasonality {
        if s.len() != 12 {
            ck.err(
                "traffic.seasonality",
                format!("has {} numbers; it needs 12 (January to December)", s.len()),
            );
        }
        for (i, (&v, slot)) in s.iter().zip(seasonality.iter_mut()).enumerate() {
            *slot = ck.number(
                &format!("traffic.seasonality[{i}]"),
                v,
                0.0,
                100.0,
                "a multiplier (0..=100)",
            );
        }
    }
    Traffic {
        clicks_per_month,
        monthly_growth,
        overdispersion,
        seasonality,
    }
}

fn events(ck: &mut Check, raw: &RawScenario) -> Vec<Event> {
    let mut seen = Vec::new();
    raw.events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let path = |k: &str| format!("events[{i}].{k}");
            let name = ck.name(&path("name"), e.name.as_ref(), &mut seen);
            let (month, day) = match &e.from {
                None => {
                    ck.missing(&path("from"));
                    (1, 1)
                }
                Some(s) => match NaiveDate::parse_from_str(&format!("2023-{s}"), "%Y-%m-%d") {
                    Ok(d) if s.len() == 5 => {
                        (chrono::Datelike::month(&d), chrono::Datelike::day(&d))
                    }
                    _ => {
                        ck.err(
                            &path("from"),
                            format!("\"{s}\" is not a day of every year written MM-DD"),
                        );
                        (1, 1)
                    }
                },
            };
            let days = match e.days {
                None => {
                    ck.missing(&path("days"));
                    1
                }
                Some(d) => ck.int(&path("days"), d, 1, 366) as u32,
            };
            let traffic = ck.number(
                &path("traffic"),
                e.traffic.unwrap_or(1.0),
                0.0,
                100.0,
                "a multiplier (0..=100)",
            );
            let conversion = ck.number(
                &path("conversion"),
                e.conversion.unwrap_or(1.0),
                0.0,
                100.0,
                "a multiplier (0..=100)",
            );
            let cookie_days = e.cookie_days.map(|c| ck.days(&path("cookie_days"), c));
            Event {
                name,
                month,
                day,
                days,
                traffic,
                conversion,
                cookie_days,
            }
        })
        .collect()
}

fn regions(ck: &mut Check, raw: &RawScenario) -> Vec<Region> {
    if raw.regions.is_empty() {
        return vec![Region {
            name: "global".into(),
            share: 1.0,
            shipping: default_shipping(),
            auto_confirm_days: None,
        }];
    }
    let mut seen = Vec::new();
    let regions: Vec<Region> = raw
        .regions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let path = |k: &str| format!("regions[{i}].{k}");
            let name = ck.name(&path("name"), r.name.as_ref(), &mut seen);
            let share = match r.share {
                None => {
                    ck.missing(&path("share"));
                    0.0
                }
                Some(s) => ck.probability(&path("share"), s),
            };
            let shipping = match r.shipping_days {
                None => default_shipping(),
                Some(d) => ck.spread(&path("shipping_days"), d, 3650.0),
            };
            let auto_confirm_days = r
                .auto_confirm_days
                .map(|d| ck.days(&path("auto_confirm_days"), d));
            Region {
                name,
                share,
                shipping,
                auto_confirm_days,
            }
        })
        .collect();
    let shares: Vec<f64> = regions.iter().map(|r| r.share).collect();
    ck.shares_sum("regions", &shares);
    regions
}

/// Shipping when a scenario names no region: `{ median = 14, p90 = 30 }`.
fn default_shipping() -> Spread {
    Spread {
        median: Param::Fixed(14.0),
        ratio: 30.0 / 14.0,
    }
}

fn categories(ck: &mut Check, raw: &RawScenario) -> Vec<Category> {
    if raw.categories.is_empty() {
        ck.err(
            "categories",
            "none given; a scenario needs at least one [[categories]]",
        );
        return Vec::new();
    }
    let mut seen = Vec::new();
    let cats: Vec<Category> = raw
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let path = |k: &str| format!("categories[{i}].{k}");
            let name = ck.name(&path("name"), c.name.as_ref(), &mut seen);
            let share = match c.share {
                None => {
                    ck.missing(&path("share"));
                    0.0
                }
                Some(s) => ck.probability(&path("share"), s),
            };
            let required_prob = |ck: &mut Check, key: &str, u: Option<RawU>| match u {
                None => {
                    ck.missing(&path(key));
                    Param::Fixed(0.0)
                }
                Some(u) => ck.prob_param(&path(key), u),
            };
            let conversion_rate = required_prob(ck, "conversion_rate", c.conversion_rate);
            let commission_rate = required_prob(ck, "commission_rate", c.commission_rate);
            let order_value = match c.order_value {
                None => {
                    ck.missing(&path("order_value"));
                    Spread::constant(0.0)
                }
                Some(d) => ck.spread(&path("order_value"), d, MAX_AMOUNT),
            };
            let optional_prob = |ck: &mut Check, key: &str, u: Option<RawU>, default: f64| {
                ck.prob_param(&path(key), u.unwrap_or(RawU::Fixed(default)))
            };
            // Defaults where a category is silent: no hot products, no bonus; cancellation
            // and refund rates of a typical category (assumptions, documented as such).
            let hot_share = optional_prob(ck, "hot_share", c.hot_share, 0.0);
            let hot_rate = optional_prob(ck, "hot_rate", c.hot_rate, 0.0);
            let cancel_rate = optional_prob(ck, "cancel_rate", c.cancel_rate, 0.04);
            let refund_rate = optional_prob(ck, "refund_rate", c.refund_rate, 0.05);
            let new_buyer_share = optional_prob(ck, "new_buyer_share", c.new_buyer_share, 0.0);
            let new_buyer_bonus = ck.positive_param(
                &path("new_buyer_bonus"),
                c.new_buyer_bonus.unwrap_or(RawU::Fixed(0.0)),
                MAX_AMOUNT,
            );
            Category {
                name,
                share,
                conversion_rate,
                order_value,
                commission_rate,
                hot_share,
                hot_rate,
                cancel_rate,
                refund_rate,
                new_buyer_share,
                new_buyer_bonus,
            }
        })
        .collect();
    let shares: Vec<f64> = cats.iter().map(|c| c.share).collect();
    ck.shares_sum("categories", &shares);
    cats
}

fn mixes(ck: &mut Check, raw: &RawScenario, categories: &[Category]) -> Vec<Mix> {
    let names: Vec<&str> = categories.iter().map(|c| c.name.as_str()).collect();
    let mut out = Vec::new();
    for (mix_name, value) in &raw.mixes {
        let path = format!("mixes.{mix_name}");
        let Some(table) = value.as_table() else {
            ck.err(
                &path,
                format!(
                    "{value} is not a table of category = share, e.g. {{ {} = 1.0 }}",
                    names.first().unwrap_or(&"name")
                ),
            );
            continue;
        };
        let mut shares = vec![0.0; categories.len()];
        for (cat, v) in table {
            let cpath = format!("{path}.{cat}");
            let share = match v {
                toml::Value::Float(f) => *f,
                toml::Value::Integer(i) => *i as f64,
                other => {
                    ck.err(&cpath, format!("{other} is not a number"));
                    continue;
                }
            };
            let share = ck.probability(&cpath, share);
            match names.iter().position(|n| n == cat) {
                Some(i) => shares[i] = share,
                None => ck.err(
                    &cpath,
                    format!(
                        "\"{cat}\" is not a category of this scenario (categories: {})",
                        names.join(", ")
                    ),
                ),
            }
        }
        ck.shares_sum(&path, &shares);
        out.push(Mix {
            name: mix_name.clone(),
            shares,
        });
    }
    out
}
