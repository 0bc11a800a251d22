//! Raw scenario → checked [`Scenario`]: presets applied, every rule checked, every
//! problem reported with the file, the key path and the value.

use chrono::NaiveDate;

use super::limits::{
    MAX_AMOUNT, MAX_CATEGORIES, MAX_EVENTS, MAX_MONTHS, MAX_PAYOUT_METHODS, MAX_REGIONS,
    MAX_SPREAD_RATIO, MAX_TRIALS,
};
use super::params::{self, Entry, Fallback, Literal, Section, Value, ValueKind};
use super::programs;
use super::provenance::{Origin, Provenance};
use super::raw::{RawDist, RawScenario, RawU};
use crate::error::{Fault, Problem};
use crate::model::money::cents_from_f64;
use crate::model::{
    Category, Cents, Event, Kind, Links, Mix, Param, PayoutMethod, Preset, Program, Region,
    Scenario, Spread, Traffic,
};

/// Shares must sum to 1 within this.
const SHARE_TOLERANCE: f64 = 1e-6;

struct Check<'a> {
    origin: &'a str,
    /// The scenario's text, to point at the line of an unknown key.
    text: &'a str,
    errors: Vec<Problem>,
}

fn show(u: RawU) -> String {
    match u {
        RawU::Fixed(v) => number_text(v),
        RawU::Range { low, high } => format!(
            "{{ low = {}, high = {} }}",
            number_text(low),
            number_text(high)
        ),
    }
}

/// A number as a message shows it: as written for everyday sizes, in scientific notation
/// beyond them (1e308, not a 309-digit number).
fn number_text(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

impl Check<'_> {
    /// The line (1-based) where `key = …` is written, when exactly one line writes it.
    fn line_of(&self, key: &str) -> Option<usize> {
        let mut lines = self.text.lines().enumerate().filter(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        match (lines.next(), lines.next()) {
            (Some((i, _)), None) => Some(i + 1),
            _ => None,
        }
    }

    fn err(&mut self, path: &str, msg: impl AsRef<str>) {
        self.fault(path, Fault::Other, msg);
    }

    fn fault(&mut self, path: &str, fault: Fault, msg: impl AsRef<str>) {
        self.errors.push(Problem {
            origin: Some(self.origin.to_string()),
            path: Some(path.to_string()),
            fault,
            message: msg.as_ref().to_string(),
        });
    }

    fn missing(&mut self, path: &str) {
        self.fault(path, Fault::Missing, "is missing (required)");
    }

    /// A plain number that must be finite and within `lo..=hi`.
    fn number(&mut self, path: &str, v: f64, lo: f64, hi: f64, what: &str) -> f64 {
        if !v.is_finite() {
            self.fault(
                path,
                Fault::NotFinite,
                format!("{v} is not a finite number"),
            );
        } else if v < lo || v > hi {
            let fault = Fault::OutOfRange { value: v, lo, hi };
            self.fault(path, fault, format!("{} is not {what}", number_text(v)));
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
            #[allow(clippy::cast_precision_loss)] // bounds of counts, far below 2^53
            let fault = Fault::OutOfRange {
                value: v as f64,
                lo: lo as f64,
                hi: hi as f64,
            };
            self.fault(path, fault, format!("{v} is out of range ({lo}..={hi})"));
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
                    let fault = Fault::LowAboveHigh { low, high };
                    self.fault(path, fault, format!("{shown}: low is above high"));
                } else if low < lo || high > hi {
                    let fault = Fault::RangeOutside {
                        low,
                        high,
                        lo,
                        hi,
                        open: false,
                    };
                    self.fault(path, fault, format!("{shown}: the interval is not {what}"));
                } else {
                    let open = |hi| Fault::RangeOutside {
                        low,
                        high,
                        lo: 0.0,
                        hi,
                        open: true,
                    };
                    match kind {
                        Kind::Probability if low <= 0.0 || high >= 1.0 => self.fault(
                            path,
                            open(1.0),
                            format!("{shown}: a probability interval needs 0 < low and high < 1"),
                        ),
                        Kind::Positive if low <= 0.0 => self.fault(
                            path,
                            open(hi),
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
                        let fault = Fault::Below {
                            value: p90,
                            floor: central,
                            floor_key: "median",
                        };
                        self.fault(
                            &ppath,
                            fault,
                            format!("{p90} is below the median {central}"),
                        );
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
        // An empty list is refused on its own ("none given").
        if !shares.is_empty()
            && shares.iter().all(|s| s.is_finite())
            && (sum - 1.0).abs() > SHARE_TOLERANCE
        {
            let fault = Fault::SharesSum { sum };
            self.fault(path, fault, format!("shares sum to {sum}, not 1"));
        }
    }
}

/// Applies the preset and checks everything; all problems are returned, one line each.
#[allow(clippy::cast_possible_truncation)] // values are clamped into their checked range, and lists are capped, before the cast
pub(super) fn validate(
    raw: &RawScenario,
    origin: &str,
    text: &str,
) -> Result<(Scenario, Provenance), Vec<Problem>> {
    let mut ck = Check {
        origin,
        text,
        errors: Vec::new(),
    };
    let mut prov = Provenance::default();
    let (name, start, months, currency, trials, seed) = header(&mut ck, &mut prov, raw);

    let program = raw.program.clone().unwrap_or_default();
    let preset = match program.get("preset") {
        None => Preset::Portals,
        Some(toml::Value::String(p)) => Preset::from_name(p).unwrap_or_else(|| {
            let known: Vec<_> = Preset::ALL.iter().map(|p| p.name()).collect();
            ck.err(
                "program.preset",
                format!("\"{p}\" is not a preset (known: {})", known.join(", ")),
            );
            Preset::Portals
        }),
        Some(other) => {
            ck.err("program.preset", format!("{other} is not a preset name"));
            Preset::Portals
        }
    };
    let preset_origin = match program.contains_key("preset") {
        true => Origin::File,
        false => Origin::Default(""),
    };
    prov.record("program.preset", preset_origin);
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
    let mut sc = Scenario {
        name,
        start,
        months,
        currency,
        trials,
        seed,
        preset,
        program: Program::default(),
        traffic: Traffic::default(),
        events: vec![Event::default(); raw.events.len()],
        regions: vec![Region::default(); raw.regions.len().max(1)],
        categories: vec![Category::default(); raw.categories.len()],
        mixes: Vec::new(),
        links: None,
    };
    let mut reader = Reader {
        ck: &mut ck,
        prov: &mut prov,
        preset,
        rates: Vec::new(),
    };
    reader.section(&mut sc, Section::Program, 0, Some(&program));
    reader.program_rates(&program);
    reader.payout_methods(&mut sc, &program, &raw.payout_methods);
    reader.program_rules(&mut sc, &program);
    match &raw.traffic {
        Some(t) => reader.section(&mut sc, Section::Traffic, 0, Some(t)),
        None => reader.ck.missing("traffic"),
    }
    if raw.regions.is_empty() {
        reader.default_region(&mut sc);
    }
    for (i, r) in raw.regions.iter().enumerate() {
        reader.section(&mut sc, Section::Regions, i, Some(r));
    }
    if raw.categories.is_empty() {
        reader.ck.err(
            "categories",
            "none given; a scenario needs at least one [[categories]]",
        );
    }
    for (i, c) in raw.categories.iter().enumerate() {
        reader.section(&mut sc, Section::Categories, i, Some(c));
    }
    reader.list_rules(&sc, Section::Regions, !raw.regions.is_empty());
    reader.list_rules(&sc, Section::Categories, true);
    if sc.program.new_customers.is_some() {
        for (i, c) in raw.categories.iter().enumerate() {
            for key in ["new_buyer_share", "new_buyer_bonus"] {
                if c.contains_key(key) {
                    reader.ck.err(
                        &format!("categories[{i}].{key}"),
                        "does not apply under program.new_customers_only = true: only new customers earn there; set program.new_customer_share and per_install",
                    );
                }
            }
        }
    }
    for (i, e) in raw.events.iter().enumerate() {
        reader.section(&mut sc, Section::Events, i, Some(e));
    }
    reader.list_rules(&sc, Section::Events, true);
    if let Some(t) = &raw.links {
        sc.links = Some(Links::default());
        reader.section(&mut sc, Section::Links, 0, Some(t));
    }
    links_rules(&mut ck, &sc);
    growth_warning(origin, &sc, &mut prov);
    currency_warning(origin, &sc, &mut prov);
    sc.mixes = mixes(&mut ck, raw, &sc.categories);

    if !ck.errors.is_empty() {
        return Err(ck.errors);
    }
    Ok((sc, prov))
}

/// The rules of link volatility: death rates below 1 (a rate of 1 kills every link at once,
/// and its daily rate is infinite), a refresh cadence within the horizon, and a category's own
/// death rate only where there is a `[links]` section.
fn links_rules(ck: &mut Check, sc: &Scenario) {
    let at_least_one = |p: Param| matches!(p, Param::Fixed(v) if v >= 1.0);
    if let Some(l) = &sc.links {
        if at_least_one(l.death_rate) {
            ck.err(
                "links.death_rate",
                format!(
                    "{} is not below 1: a death rate of 1 kills every link within the month; it is the share of live links that die in a month (0..1)",
                    l.death_rate.central()
                ),
            );
        }
        if l.refresh_every_months > sc.months {
            ck.err(
                "links.refresh_every_months",
                format!(
                    "{} is beyond the horizon of {} months, so no refresh would happen; use 0 for never",
                    l.refresh_every_months, sc.months
                ),
            );
        }
    }
    for (i, c) in sc.categories.iter().enumerate() {
        let Some(d) = c.link_death_rate else { continue };
        let path = format!("categories[{i}].link_death_rate");
        if sc.links.is_none() {
            ck.err(
                &path,
                format!(
                    "{} is set, but the scenario has no [links] section, so links never die; add [links]",
                    d.central()
                ),
            );
        } else if at_least_one(d) {
            ck.err(
                &path,
                format!(
                    "{} is not below 1: it is the share of live links that die in a month (0..1)",
                    d.central()
                ),
            );
        }
    }
}

/// The top-level keys and `[simulation]`: name, start, months, currency, trials, seed.
#[allow(clippy::cast_possible_truncation)] // clamped into their checked ranges before the cast
fn header(
    ck: &mut Check,
    prov: &mut Provenance,
    raw: &RawScenario,
) -> (String, NaiveDate, u32, String, u32, u64) {
    let mut given = |key: &str, set: bool| {
        prov.record(
            key,
            if set {
                Origin::File
            } else {
                Origin::Default("")
            },
        )
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
            Ok(_) if s.len() == 7 => {
                ck.err("start", format!("\"{s}\": the year is outside 1900..=2999"));
                NaiveDate::MIN
            }
            _ => {
                ck.err("start", format!("\"{s}\" is not a month written YYYY-MM"));
                NaiveDate::MIN
            }
        },
    };
    let months = ck.int("months", raw.months.unwrap_or(24), 1, MAX_MONTHS) as u32;
    given("months", raw.months.is_some());
    let currency = raw.currency.clone().unwrap_or_else(|| "USD".into());
    given("currency", raw.currency.is_some());
    let sim = raw.simulation.clone().unwrap_or_default();
    let trials = ck.int(
        "simulation.trials",
        sim.trials.unwrap_or(2000),
        1,
        MAX_TRIALS,
    ) as u32;
    given("simulation.trials", sim.trials.is_some());
    let seed = ck.int("simulation.seed", sim.seed.unwrap_or(42), 0, i64::MAX) as u64;
    given("simulation.seed", sim.seed.is_some());

    (name, start, months, currency, trials, seed)
}

/// Clicks that compound to many times their start within the horizon: valid, but usually a
/// percentage written as a whole number (`monthly_growth = 1` for 1%).
fn growth_warning(origin: &str, sc: &Scenario, prov: &mut Provenance) {
    let g = sc.traffic.monthly_growth.central();
    let c0 = sc.traffic.clicks_per_month.central();
    let factor = sc.traffic.growth_over(sc.months);
    if g > 0.0 && (factor > MAX_GROWTH_FACTOR || g >= 0.5) {
        prov.warnings.push(Problem {
            origin: Some(origin.to_string()),
            path: Some("traffic.monthly_growth".into()),
            fault: Fault::SteepGrowth {
                growth: g,
                factor,
                months: sc.months,
                from: c0,
                to: c0 * factor,
            },
            message: format!(
                "{g} is {}% more clicks every month: ×{factor:.0} over {} months, from {c0:.0} to {:.0} a month. If you meant {g}%, write {}",
                g * 100.0,
                sc.months,
                c0 * factor,
                g / 100.0
            ),
        });
    }
}

/// Money the preset sets is in US dollars: a scenario in another currency that leaves it to
/// the preset would mix currencies without a word.
fn currency_warning(origin: &str, sc: &Scenario, prov: &mut Provenance) {
    let (preset_currency, in_words) = match super::programs::terms_of(sc.preset) {
        Some(t) if t.currency != "USD" => (t.currency, t.currency),
        _ => ("USD", "US dollars"),
    };
    if sc.currency == preset_currency {
        return;
    }
    let from_preset: Vec<String> = params::section(Section::Program)
        .filter(|e| e.kind == ValueKind::Money)
        .filter(|e| {
            matches!(
                prov.origin(&e.path(0)),
                Origin::Preset(_) | Origin::Term(..)
            )
        })
        .filter_map(|e| match (e.get)(sc, 0) {
            Some(Value::Money(c)) if c > 0 => Some(format!("{} {:.2}", e.key, c as f64 / 100.0)),
            _ => None,
        })
        .collect();
    if !from_preset.is_empty() {
        let message = format!(
            "\"{}\", but {} come from the {} preset, where they are {in_words}; they are used as written, not converted: set them in [program] in {}",
            sc.currency,
            from_preset.join(", "),
            sc.preset.name(),
            sc.currency
        );
        prov.warnings.push(Problem {
            origin: Some(origin.to_string()),
            path: Some("currency".into()),
            fault: Fault::PresetCurrency {
                currency: sc.currency.clone(),
                keys: from_preset,
                preset: sc.preset.name(),
            },
            message,
        });
    }
}

/// Growth over the horizon beyond which validation asks whether it was meant.
const MAX_GROWTH_FACTOR: f64 = 20.0;

/// Reads the keys of the parameter table from the file's tables into a scenario.
struct Reader<'c, 'o> {
    ck: &'c mut Check<'o>,
    prov: &'c mut Provenance,
    preset: Preset,
    /// The program's commission table: a category without its own `commission_rate` takes
    /// the rate of its name, else of "other" (name, rate, where it comes from).
    rates: Vec<(String, f64, Origin)>,
}

impl Reader<'_, '_> {
    /// Every key of item `i` of a section: from the file, else its fallback; unknown keys
    /// are errors.
    fn section(
        &mut self,
        sc: &mut Scenario,
        section: Section,
        i: usize,
        table: Option<&toml::Table>,
    ) {
        let empty = toml::Table::new();
        let table = table.unwrap_or(&empty);
        let prefix = match section.is_list() {
            true => format!("{}[{i}]", section.name()),
            false => section.name().to_string(),
        };
        for key in table.keys() {
            let known = params::find(section, key).is_some()
                || (section == Section::Program
                    && ["preset", "categories"].contains(&key.as_str()));
            if !known {
                let mut expected: Vec<String> = params::section(section)
                    .map(|e| format!("`{}`", e.key))
                    .collect();
                if section == Section::Program {
                    expected.insert(0, "`preset`".into());
                    expected.push("`[[program.categories]]`".into());
                }
                let at = self.ck.line_of(key).map(|l| format!(" (line {l})"));
                self.ck.fault(
                    &format!("{prefix}.{key}"),
                    Fault::UnknownKey { key: key.clone() },
                    format!(
                        "unknown field `{key}`, expected one of {}{}",
                        expected.join(", "),
                        at.unwrap_or_default()
                    ),
                );
            }
        }
        for e in params::section(section) {
            let path = e.path(i);
            if let Some((other, words)) = e.only_if {
                let in_force =
                    table.get(other).and_then(choice_word).or_else(|| {
                        match params::find(section, other)
                            .and_then(|o| programs::preset_value(o, self.preset))
                        {
                            Some(Literal::Word(w)) => Some(w.to_string()),
                            _ => None,
                        }
                    });
                if !words.iter().any(|&w| in_force.as_deref() == Some(w)) {
                    if table.contains_key(e.key) {
                        let now = in_force.unwrap_or_default();
                        let words: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                        self.ck.err(
                            &path,
                            format!("applies to {other} = {} only; this scenario has {other} = \"{now}\"", words.join(" or ")),
                        );
                    }
                    continue;
                }
            }
            let term = match section {
                Section::Program => super::programs::term(self.preset, e.key),
                _ => None,
            };
            let from_table = match (section, e.key) {
                (Section::Categories, "commission_rate") => self.table_rate(sc, i),
                _ => None,
            };
            let (value, origin) = match table.get(e.key) {
                Some(v) => (self.given(e, &path, v), Origin::File),
                None if let Some((rate, origin)) = from_table => {
                    (Some(Value::Param(Param::Fixed(rate))), origin)
                }
                None if let Some(t) = term => (
                    Some(literal(e.kind, t.value)),
                    Origin::Term(self.preset, t.confidence),
                ),
                None => match e.fallback {
                    Fallback::Required => {
                        self.ck.missing(&path);
                        (None, Origin::File)
                    }
                    Fallback::Preset(values) => (
                        Some(literal(e.kind, values[self.preset.base() as usize])),
                        Origin::Preset(self.preset),
                    ),
                    Fallback::Default(l, note) => (Some(literal(e.kind, l)), Origin::Default(note)),
                    Fallback::Inherit { from } => (None, Origin::Inherit(from)),
                    Fallback::Unset => (None, Origin::File),
                    Fallback::ByName { by_name, from } => {
                        let name = params::find(section, "name").and_then(|n| (n.get)(sc, i));
                        let code = by_name.iter().find(|(code, _)| {
                            matches!(&name, Some(Value::Word(n)) if n.eq_ignore_ascii_case(code))
                        });
                        match code {
                            Some(&(code, days)) => {
                                (Some(Value::Number(days)), Origin::Country(code))
                            }
                            None => (None, Origin::Inherit(from)),
                        }
                    }
                    Fallback::SameAs(other) => (
                        params::find(section, other).and_then(|o| (o.get)(sc, i)),
                        Origin::SameAs(other),
                    ),
                },
            };
            if let Some(v) = value
                && let Err(m) = (e.set)(sc, i, v)
            {
                self.ck
                    .err(&path, format!("cannot be set ({m}); this is a bug"));
            }
            self.prov.record(&path, origin);
        }
    }

    /// A value written in the file, checked against its kind.
    fn given(&mut self, e: &Entry, path: &str, v: &toml::Value) -> Option<Value> {
        let ck = &mut *self.ck;
        let typed = |ck: &mut Check, r: Result<f64, String>| match r {
            Ok(x) => Some(x),
            Err(m) => {
                ck.err(path, m);
                None
            }
        };
        match e.kind {
            ValueKind::Name => match v.as_str() {
                Some(n) if n.trim().is_empty() => {
                    ck.err(path, "\"\" is empty");
                    Some(Value::Word(String::new()))
                }
                Some(n) => Some(Value::Word(n.to_string())),
                None => {
                    ck.err(path, format!("{v} is not a name (a quoted text)"));
                    None
                }
            },
            ValueKind::Share => {
                typed(ck, number(v)).map(|x| Value::Number(ck.probability(path, x)))
            }
            ValueKind::Probability | ValueKind::Positive { .. } | ValueKind::Signed { .. } => {
                let u = deserialize::<RawU>(ck, path, v)?;
                Some(Value::Param(match e.kind {
                    ValueKind::Positive { hi } => ck.positive_param(path, u, hi),
                    ValueKind::Signed { lo, hi, what } => {
                        ck.param(path, u, Kind::Signed, lo, hi, what)
                    }
                    _ => ck.prob_param(path, u),
                }))
            }
            ValueKind::Money => typed(ck, number(v)).map(|x| Value::Money(ck.money(path, x))),
            ValueKind::Days => typed(ck, number(v)).map(|x| Value::Number(ck.days(path, x))),
            ValueKind::Number { lo, hi, what } => {
                typed(ck, number(v)).map(|x| Value::Number(ck.number(path, x, lo, hi, what)))
            }
            ValueKind::Whole { lo, hi } => {
                let n = deserialize::<i64>(ck, path, v)?;
                Some(Value::Whole(ck.int(path, n, lo, hi)))
            }
            ValueKind::Distribution { hi } => {
                let d = deserialize::<RawDist>(ck, path, v)?;
                Some(Value::Spread(ck.spread(path, d, hi)))
            }
            ValueKind::Choice(words) => {
                let w = match choice_word(v) {
                    Some(w) => w,
                    None => deserialize::<String>(ck, path, v)?,
                };
                if words.contains(&w.as_str()) {
                    Some(Value::Word(w))
                } else {
                    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                    ck.err(
                        path,
                        format!("\"{w}\" is not a {} ({})", e.key, quoted.join(" or ")),
                    );
                    None
                }
            }
            ValueKind::DayOfYear => {
                let text = deserialize::<String>(ck, path, v)?;
                match NaiveDate::parse_from_str(&format!("2023-{text}"), "%Y-%m-%d") {
                    Ok(d) if text.len() == 5 => Some(Value::Day(
                        chrono::Datelike::month(&d),
                        chrono::Datelike::day(&d),
                    )),
                    _ => {
                        ck.err(
                            path,
                            format!("\"{text}\" is not a day of every year written MM-DD"),
                        );
                        None
                    }
                }
            }
            ValueKind::Seasonality => {
                let s = deserialize::<Vec<f64>>(ck, path, v)?;
                if s.len() != 12 {
                    ck.err(
                        path,
                        format!("has {} numbers; it needs 12 (January to December)", s.len()),
                    );
                }
                let mut months = [1.0; 12];
                for (i, (&x, slot)) in s.iter().zip(months.iter_mut()).enumerate() {
                    *slot = ck.number(
                        &format!("{path}[{i}]"),
                        x,
                        0.0,
                        100.0,
                        "a multiplier (0..=100)",
                    );
                }
                Some(Value::Months(months))
            }
        }
    }

    /// A row of a list of named tables at `at` (`payout_methods[1]`): every key in `keys`
    /// (the first is `name`), else an error naming it; its name, if it has one.
    fn named_row(&mut self, at: &str, row: &toml::Table, keys: &[&str]) -> Option<String> {
        for key in row.keys().filter(|k| !keys.contains(&k.as_str())) {
            let expected: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            self.ck.fault(
                &format!("{at}.{key}"),
                Fault::UnknownKey { key: key.clone() },
                format!(
                    "unknown field `{key}`, expected one of {}",
                    expected.join(", ")
                ),
            );
        }
        match row.get("name") {
            Some(toml::Value::String(n)) if !n.trim().is_empty() => Some(n.clone()),
            Some(v) => {
                let msg = format!("{v} is not a name (a quoted text)");
                self.ck.err(&format!("{at}.name"), msg);
                None
            }
            None => {
                self.ck.missing(&format!("{at}.name"));
                None
            }
        }
    }

    /// The program's commission table: the preset's, with the file's `[[program.categories]]`
    /// (`name`, `commission_rate`) over it.
    fn program_rates(&mut self, program: &toml::Table) {
        let terms = programs::terms_of(self.preset).map_or(&[][..], |t| t.rates);
        self.rates = terms
            .iter()
            .map(|r| {
                (
                    r.category.to_string(),
                    r.rate,
                    Origin::Term(self.preset, r.confidence),
                )
            })
            .collect();
        let Some(listed) = program.get("categories") else {
            return;
        };
        let Some(listed) = listed
            .as_array()
            .filter(|a| a.iter().all(toml::Value::is_table))
        else {
            self.ck.err(
                "program.categories",
                "is not a list of tables: write each as [[program.categories]] with name and commission_rate",
            );
            return;
        };
        if listed.len() > MAX_CATEGORIES {
            let n = listed.len();
            self.ck.err(
                "program.categories",
                format!("{n} entries is more than the limit of {MAX_CATEGORIES}"),
            );
            return;
        }
        for (i, row) in listed.iter().filter_map(toml::Value::as_table).enumerate() {
            let path = |key: &str| format!("program.categories[{i}].{key}");
            let Some(name) = self.named_row(&format!("program.categories[{i}]"), row, RATE_KEYS)
            else {
                continue;
            };
            let rate = match row.get("commission_rate").map(number) {
                Some(Ok(x)) => self.ck.probability(&path("commission_rate"), x),
                Some(Err(m)) => {
                    self.ck.err(&path("commission_rate"), m);
                    continue;
                }
                None => {
                    self.ck.missing(&path("commission_rate"));
                    continue;
                }
            };
            let rows = &listed[..i];
            if rows
                .iter()
                .any(|r| r.get("name").and_then(toml::Value::as_str) == Some(&name))
            {
                self.ck
                    .err(&path("name"), format!("\"{name}\" is listed twice"));
            }
            self.rates.retain(|(n, ..)| *n != name);
            self.rates
                .push((name, rate, Origin::Inherit("program.categories")));
        }
    }

    /// The program table's rate for category `i` (its name's, else "other"'s), if any.
    fn table_rate(&self, sc: &Scenario, i: usize) -> Option<(f64, Origin)> {
        let name = sc.categories.get(i).map(|c| c.name.as_str())?;
        let of = |n: &str| self.rates.iter().find(|(m, ..)| m == n);
        of(name)
            .or_else(|| of("other"))
            .map(|&(_, rate, origin)| (rate, origin))
    }

    /// The payout methods: the file's `[[payout_methods]]`, else the preset's unless the file
    /// sets the one method's keys itself. The method named by `payout_method`, else the one
    /// of the smallest minimum, fills the program's minimum, fees and days to the bank (and
    /// `withdraw_at` unless the file sets it); several in play stay listed for each
    /// withdrawal to take the cheapest it reaches.
    fn payout_methods(&mut self, sc: &mut Scenario, program: &toml::Table, listed: &[toml::Table]) {
        let own: Vec<&str> = METHOD_KEYS
            .into_iter()
            .filter(|k| program.contains_key(*k))
            .collect();
        let terms = programs::terms_of(self.preset).map_or(&[][..], |t| t.methods);
        let errors_before = self.ck.errors.len();
        let (methods, origins): (Vec<PayoutMethod>, Vec<Origin>) = if !listed.is_empty() {
            for key in &own {
                self.ck.err(
                    &format!("program.{key}"),
                    "is set per method when the file lists [[payout_methods]]: give it there (minimum, fee, fee_percent, fee_cap, days_to_bank)",
                );
            }
            if listed.len() > MAX_PAYOUT_METHODS {
                self.ck.err(
                    "payout_methods",
                    format!(
                        "{} entries is more than the limit of {MAX_PAYOUT_METHODS}",
                        listed.len()
                    ),
                );
                return;
            }
            listed
                .iter()
                .enumerate()
                .map(|(i, t)| (self.payout_method(i, t), Origin::File))
                .unzip()
        } else if own.is_empty() {
            terms
                .iter()
                .map(|m| (preset_method(m), Origin::Term(self.preset, m.confidence)))
                .unzip()
        } else {
            (Vec::new(), Vec::new())
        };
        for (i, m) in methods.iter().enumerate() {
            if methods[..i].iter().any(|o| o.name == m.name) {
                self.ck.err(
                    &format!("payout_methods[{i}].name"),
                    format!("\"{}\" is listed twice", m.name),
                );
            }
        }
        if self.ck.errors.len() > errors_before {
            return;
        }
        let p = &mut sc.program;
        let chosen: Vec<usize> = match &p.payout_method {
            Some(name) => match methods.iter().position(|m| &m.name == name) {
                Some(k) => vec![k],
                None => {
                    let names: Vec<String> =
                        methods.iter().map(|m| format!("\"{}\"", m.name)).collect();
                    let known = match names.is_empty() {
                        true => "the scenario lists none ([[payout_methods]])".to_string(),
                        false => format!("the methods are {}", names.join(", ")),
                    };
                    self.ck.err(
                        "program.payout_method",
                        format!("\"{name}\" is not one of the payout methods: {known}"),
                    );
                    return;
                }
            },
            None => (0..methods.len()).collect(),
        };
        let Some(&first) = chosen
            .iter()
            .min_by_key(|&&k| (methods[k].minimum, methods[k].fee_on(methods[k].minimum)))
        else {
            return;
        };
        let m = &methods[first];
        (p.minimum_payout, p.payout_fee, p.payout_fee_percent) = (m.minimum, m.fee, m.fee_percent);
        (p.payout_fee_cap, p.payout_delay_days) = (m.fee_cap, m.days_to_bank);
        if !program.contains_key("withdraw_at") {
            p.withdraw_at = m.minimum;
        }
        for key in METHOD_KEYS {
            self.prov.record(&format!("program.{key}"), origins[first]);
        }
        for (i, origin) in origins.into_iter().enumerate() {
            self.prov.record(&format!("payout_methods[{i}]"), origin);
        }
        p.payout_methods = methods;
    }

    /// Method `i` of the file's `[[payout_methods]]`.
    fn payout_method(&mut self, i: usize, t: &toml::Table) -> PayoutMethod {
        let path = |key: &str| format!("payout_methods[{i}].{key}");
        let name = self
            .named_row(&format!("payout_methods[{i}]"), t, METHOD_FIELDS)
            .unwrap_or_default();
        let amount = |ck: &mut Check, key: &str| -> Option<Cents> {
            let v = t.get(key)?;
            match number(v) {
                Ok(x) => Some(ck.money(&path(key), x)),
                Err(m) => {
                    ck.err(&path(key), m);
                    None
                }
            }
        };
        let minimum = amount(self.ck, "minimum");
        if minimum.is_none() && !t.contains_key("minimum") {
            self.ck.missing(&path("minimum"));
        }
        let fee = amount(self.ck, "fee").unwrap_or(0);
        let fee_cap = amount(self.ck, "fee_cap");
        let fee_percent = match t.get("fee_percent").map(number) {
            None => 0.0,
            Some(Ok(x)) => self.ck.number(
                &path("fee_percent"),
                x,
                0.0,
                100.0,
                "a percentage (0..=100)",
            ),
            Some(Err(m)) => {
                self.ck.err(&path("fee_percent"), m);
                0.0
            }
        };
        let days_to_bank = match t.get("days_to_bank") {
            None => 0,
            Some(v) => deserialize::<i64>(self.ck, &path("days_to_bank"), v)
                .map_or(0, |n| self.ck.int(&path("days_to_bank"), n, 0, 365)),
        };
        PayoutMethod {
            name,
            minimum: minimum.unwrap_or(0),
            fee,
            fee_percent,
            fee_cap,
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 0..=365
            days_to_bank: days_to_bank as u32,
        }
    }

    /// The rules that tie program keys together.
    fn program_rules(&mut self, sc: &mut Scenario, program: &toml::Table) {
        let p = &sc.program;
        let shown = |key: &str, cents: Cents| match program.get(key).and_then(|v| number(v).ok()) {
            Some(x) => x,
            None => cents as f64 / 100.0,
        };
        let minimum_raw = shown("minimum_payout", p.minimum_payout);
        let withdraw_raw = shown("withdraw_at", p.withdraw_at);
        let fee_raw = shown("payout_fee", p.payout_fee);
        if p.withdraw_at < p.minimum_payout {
            self.ck.fault(
                "program.withdraw_at",
                Fault::Below {
                    value: withdraw_raw,
                    floor: minimum_raw,
                    floor_key: "minimum_payout",
                },
                format!("{withdraw_raw} is below minimum_payout {minimum_raw}"),
            );
        } else if !p.withdrawals_make_sense() {
            self.ck.err(
                "program.withdraw_at",
                format!(
                    "{withdraw_raw} is not above the fees of a withdrawal (payout_fee {fee_raw}, payout_fee_percent {}): every withdrawal would be eaten by fees",
                    p.payout_fee_percent
                ),
            );
        }
    }

    /// The one region of a scenario that names none.
    fn default_region(&mut self, sc: &mut Scenario) {
        sc.regions = vec![Region {
            name: "global".into(),
            share: 1.0,
            shipping: default_shipping(),
            auto_confirm_days: None,
        }];
        for e in params::section(Section::Regions) {
            let origin = match e.fallback {
                Fallback::Inherit { from } | Fallback::ByName { from, .. } => Origin::Inherit(from),
                _ if e.kind == ValueKind::Share => Origin::Default(" (one global region)"),
                _ => Origin::Default(""),
            };
            self.prov.record(&e.path(0), origin);
        }
    }

    /// Names unique and shares summing to 1 across a list.
    fn list_rules(&mut self, sc: &Scenario, section: Section, from_file: bool) {
        if !from_file {
            return;
        }
        let n = match section {
            Section::Regions => sc.regions.len(),
            Section::Events => sc.events.len(),
            _ => sc.categories.len(),
        };
        for e in params::section(section) {
            let values: Vec<Option<Value>> = (0..n).map(|i| (e.get)(sc, i)).collect();
            match e.kind {
                ValueKind::Name => {
                    let mut seen: Vec<&str> = Vec::new();
                    for (i, v) in values.iter().enumerate() {
                        if let Some(Value::Word(name)) = v
                            && !name.is_empty()
                        {
                            if seen.contains(&name.as_str()) {
                                let fault = Fault::Duplicate { name: name.clone() };
                                let msg = format!("\"{name}\" is a duplicate name");
                                self.ck.fault(&e.path(i), fault, msg);
                            }
                            seen.push(name);
                        }
                    }
                }
                ValueKind::Share => {
                    let shares: Vec<f64> = values
                        .iter()
                        .map(|v| match v {
                            Some(Value::Number(x)) => *x,
                            _ => 0.0,
                        })
                        .collect();
                    self.ck.shares_sum(section.name(), &shares);
                }
                _ => {}
            }
        }
    }
}

/// A choice as the file writes it: a word, or a yes-or-no choice as a TOML boolean
/// (`new_customers_only = true`).
fn choice_word(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::Boolean(b) => Some(b.to_string()),
        v => v.as_str().map(String::from),
    }
}

/// A number written as an integer or a float.
fn number(v: &toml::Value) -> Result<f64, String> {
    match v {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) => Ok(*f),
        other => Err(format!(
            "invalid type: {}, expected a number",
            other.type_str()
        )),
    }
}

/// A value of the file read into a serde type, with serde's message on failure.
fn deserialize<T: serde::de::DeserializeOwned>(
    ck: &mut Check,
    path: &str,
    v: &toml::Value,
) -> Option<T> {
    match v.clone().try_into::<T>() {
        Ok(t) => Some(t),
        Err(e) => {
            ck.err(path, e.message().trim_end());
            None
        }
    }
}

/// A preset's or default's value as the model holds it.
#[allow(clippy::cast_possible_truncation)] // values are clamped into their checked range, and lists are capped, before the cast
fn literal(kind: ValueKind, l: Literal) -> Value {
    match (kind, l) {
        (ValueKind::Seasonality, Literal::Number(x)) => Value::Months([x; 12]),
        (_, Literal::Word(w)) => Value::Word(w.to_string()),
        (_, Literal::Dist(median, p90)) => Value::Spread(Spread {
            median: Param::Fixed(median),
            ratio: p90 / median,
        }),
        (ValueKind::Money, Literal::Number(x)) => Value::Money(cents_from_f64(x).unwrap_or(0)),
        (ValueKind::Whole { .. }, Literal::Number(x)) => Value::Whole(x as i64),
        (k, Literal::Number(x)) if k.uncertain_shape().is_some() => Value::Param(Param::Fixed(x)),
        (_, Literal::Number(x)) => Value::Number(x),
    }
}

/// The keys of a `[[program.categories]]` row and of a `[[payout_methods]]` method.
const RATE_KEYS: &[&str] = &["name", "commission_rate"];
const METHOD_FIELDS: &[&str] = &[
    "name",
    "minimum",
    "fee",
    "fee_percent",
    "fee_cap",
    "days_to_bank",
];

/// The `[program]` keys of the one payout method, which `[[payout_methods]]` sets per method.
const METHOD_KEYS: [&str; 5] = [
    "minimum_payout",
    "payout_fee",
    "payout_fee_percent",
    "payout_fee_cap",
    "payout_delay_days",
];

/// A preset's payout method as the model holds it.
fn preset_method(m: &programs::Method) -> PayoutMethod {
    let cents = |x: f64| cents_from_f64(x).unwrap_or(0);
    PayoutMethod {
        name: m.name.to_string(),
        minimum: cents(m.minimum),
        fee: cents(m.fee),
        fee_percent: m.fee_percent,
        fee_cap: m.fee_cap.map(cents),
        days_to_bank: m.days_to_bank,
    }
}

/// Shipping when a scenario names no region: `{ median = 14, p90 = 30 }`.
fn default_shipping() -> Spread {
    Spread {
        median: Param::Fixed(14.0),
        ratio: 30.0 / 14.0,
    }
}

#[allow(clippy::cast_possible_truncation)] // values are clamped into their checked range, and lists are capped, before the cast
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
