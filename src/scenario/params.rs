//! The parameter table: every key of `[program]`, `[traffic]`, `[links]`, `[[regions]]`,
//! `[[categories]]` and `[[events]]`, declared once.
//!
//! An [`Entry`] says what a key is (its [`ValueKind`]: bounds, whether it may be an uncertain
//! `{ low, high }`), where its value comes from when the file is silent ([`Fallback`]: a
//! preset, a default, or nothing), and how it is read from and written to the checked
//! [`Scenario`]. Validation, provenance, the sensitivity sweep and its central scenario,
//! `init`'s starter file, `fit`'s writer and the page's form all read this one table, so
//! adding a key is one entry here, the model field it sets and its use in the engine (and its
//! README row, which a test compares with this table).

use crate::model::{
    Cents, Kind, Links, Lock, NewCustomers, Param, Preset, Scenario, Settlement, Spread,
};

use super::limits::{MAX_AMOUNT, MAX_CLICKS_PER_MONTH};

/// A table of the scenario file whose keys are in the parameter table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Program,
    Traffic,
    /// Link volatility; optional: without it links never die.
    Links,
    /// One entry per `[[regions]]` item.
    Regions,
    /// One entry per `[[categories]]` item.
    Categories,
    /// One entry per `[[events]]` item.
    Events,
}

impl Section {
    /// The table's name in the scenario file.
    pub fn name(self) -> &'static str {
        match self {
            Section::Program => "program",
            Section::Traffic => "traffic",
            Section::Links => "links",
            Section::Regions => "regions",
            Section::Categories => "categories",
            Section::Events => "events",
        }
    }

    /// Whether the section is a list of named items.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Section::Regions | Section::Categories | Section::Events
        )
    }
}

/// What a key holds: how it is read, checked, shown and swung.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueKind {
    /// An item's name (unique within its list).
    Name,
    /// A share of a list (0..=1; the list's shares sum to 1).
    Share,
    /// A probability or share, 0..=1; uncertain: logit-normal.
    Probability,
    /// A non-negative amount, count, rate or number of days, 0..=`hi`; uncertain: lognormal.
    Positive { hi: f64 },
    /// A signed rate such as growth, `lo..=hi`; uncertain: normal.
    Signed {
        lo: f64,
        hi: f64,
        what: &'static str,
    },
    /// Money in currency units (kept in cents), 0..=1e9.
    Money,
    /// A plain number of days, 0..=3650.
    Days,
    /// A plain number `lo..=hi`, described as `what`.
    Number {
        lo: f64,
        hi: f64,
        what: &'static str,
    },
    /// A whole number `lo..=hi`.
    Whole { lo: i64, hi: i64 },
    /// A per-event distribution `{ median, p90 }` (lognormal) or a constant, up to `hi`.
    Distribution { hi: f64 },
    /// One of a few words.
    Choice(&'static [&'static str]),
    /// Twelve monthly multipliers, January first.
    Seasonality,
    /// A day of every year, written "MM-DD".
    DayOfYear,
}

impl ValueKind {
    /// The shape of an uncertain value of this kind, if it may be uncertain.
    pub fn uncertain_shape(self) -> Option<Kind> {
        match self {
            ValueKind::Probability => Some(Kind::Probability),
            ValueKind::Positive { .. } => Some(Kind::Positive),
            ValueKind::Signed { .. } => Some(Kind::Signed),
            _ => None,
        }
    }

    /// The largest value a sensitivity sweep may give it (the validation bound).
    pub fn swing_max(self) -> f64 {
        match self {
            ValueKind::Probability | ValueKind::Share => 1.0,
            ValueKind::Positive { hi } | ValueKind::Signed { hi, .. } => hi,
            ValueKind::Number { hi, .. } => hi,
            ValueKind::Whole { hi, .. } => hi as f64,
            ValueKind::Days => 3650.0,
            ValueKind::Distribution { hi } => hi,
            _ => f64::INFINITY,
        }
    }
}

/// A value written in a table or a preset, before it is checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    Number(f64),
    /// `{ median, p90 }`.
    Dist(f64, f64),
    Word(&'static str),
}

/// Where a key's value comes from when the file does not set it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fallback {
    /// The file must set it.
    Required,
    /// The preset's value (Portals, Admitad).
    Preset([Literal; 2]),
    /// A default; `note` qualifies it in the assumptions ("(assumption)").
    Default(Literal, &'static str),
    /// Absent means "not set": the value is inherited from `from` (a key path).
    Inherit { from: &'static str },
    /// Like `Inherit`, except for items whose name is in `by_name` (country codes, any case),
    /// which get that value.
    ByName {
        by_name: &'static [(&'static str, f64)],
        from: &'static str,
    },
    /// The value of another key of the same section.
    SameAs(&'static str),
    /// Absent means not in force: another key says the same in other units
    /// (`cookie_hours` replaces `cookie_days` only when set).
    Unset,
}

/// A checked value, as the model holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Param(Param),
    Number(f64),
    Money(Cents),
    Whole(i64),
    Spread(Spread),
    Word(String),
    Months([f64; 12]),
    /// A calendar month (1..=12) and day.
    Day(u32, u32),
}

impl Value {
    /// The number a sweep moves (cents for money, the median for a distribution).
    pub fn swing_param(&self) -> Option<Param> {
        match self {
            Value::Param(p) => Some(*p),
            Value::Number(v) => Some(Param::Fixed(*v)),
            Value::Money(c) => Some(Param::Fixed(*c as f64)),
            Value::Whole(n) => Some(Param::Fixed(*n as f64)),
            Value::Spread(s) => Some(s.median),
            Value::Word(_) | Value::Months(_) | Value::Day(..) => None,
        }
    }

    /// The same value with its swept number replaced by `v`.
    #[allow(clippy::cast_possible_truncation)] // swept and checked values stay within the key's validated bounds
    pub fn with_number(&self, v: f64) -> Value {
        match self {
            Value::Param(_) => Value::Param(Param::Fixed(v)),
            Value::Number(_) => Value::Number(v),
            Value::Money(_) => Value::Money(v.round() as Cents),
            Value::Whole(_) => Value::Whole(v.round() as i64),
            Value::Spread(s) => Value::Spread(Spread {
                median: Param::Fixed(v),
                ratio: s.ratio,
            }),
            other => other.clone(),
        }
    }
}

/// Reads a key of item `i` from the checked scenario; `None` when it is not in force.
pub type Getter = fn(&Scenario, usize) -> Option<Value>;
/// Writes a checked value of a key of item `i`; a value of another kind than the key's is
/// refused, never written as 0.
pub type Setter = fn(&mut Scenario, usize, Value) -> Result<(), Mismatch>;

/// A setter given a value of another kind than its key holds: a bug in the caller, since
/// values are made by kind.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("expected {expected}, got {got:?}")]
pub struct Mismatch {
    pub expected: &'static str,
    pub got: Value,
}

/// One key of the scenario file.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub section: Section,
    pub key: &'static str,
    pub kind: ValueKind,
    pub fallback: Fallback,
    /// What the key means, for the starter file and forms.
    pub help: &'static str,
    /// Whether a sensitivity sweep moves it.
    pub swept: bool,
    /// The key applies only when another key of the section has one of these words
    /// (`settlement_day` only under `settlement = "monthly"`).
    pub only_if: Option<(&'static str, &'static [&'static str])>,
    pub get: Getter,
    pub set: Setter,
}

impl Entry {
    /// The key path of item `i` as error messages write it: `program.cookie_days`,
    /// `categories[1].refund_rate`.
    pub fn path(&self, i: usize) -> String {
        if self.section.is_list() {
            format!("{}[{i}].{}", self.section.name(), self.key)
        } else {
            format!("{}.{}", self.section.name(), self.key)
        }
    }

    /// The key path by item name, as reports write it: `categories.phone.refund_rate`.
    pub fn named_path(&self, item: &str) -> String {
        if self.section.is_list() {
            format!("{}.{item}.{}", self.section.name(), self.key)
        } else {
            format!("{}.{}", self.section.name(), self.key)
        }
    }
}

/// The entries of one section, in file order.
pub fn section(section: Section) -> impl Iterator<Item = &'static Entry> {
    TABLE.iter().filter(move |e| e.section == section)
}

/// The entry of a key, if the section has it.
pub fn find(section: Section, key: &str) -> Option<&'static Entry> {
    TABLE.iter().find(|e| e.section == section && e.key == key)
}

/// `fn name(v: Value) -> Result<T, Mismatch>`: the value inside one variant of [`Value`],
/// or the mismatch naming what was expected.
macro_rules! take {
    ($name:ident -> $t:ty, $pattern:pat => $inner:expr, $expected:literal) => {
        fn $name(v: Value) -> Result<$t, Mismatch> {
            match v {
                $pattern => Ok($inner),
                got => Err(Mismatch {
                    expected: $expected,
                    got,
                }),
            }
        }
    };
}
take!(param -> Param, Value::Param(p) => p, "a number that may be uncertain");
take!(number -> f64, Value::Number(x) => x, "a number");
take!(cents -> Cents, Value::Money(c) => c, "money");
take!(whole -> i64, Value::Whole(n) => n, "a whole number");
take!(spread -> Spread, Value::Spread(s) => s, "a distribution");
take!(word -> String, Value::Word(w) => w, "a word");
take!(months -> [f64; 12], Value::Months(m) => m, "twelve monthly multipliers");
take!(day -> (u32, u32), Value::Day(m, d) => (m, d), "a day of the year");

/// The scenario's `[links]`, made when its first key is set.
fn links(s: &mut Scenario) -> &mut Links {
    s.links.get_or_insert_with(Links::default)
}

use Literal::Number as N;
const fn both(l: Literal) -> Fallback {
    Fallback::Preset([l, l])
}
const fn dist(median: f64, p90: f64) -> Literal {
    Literal::Dist(median, p90)
}
const PROBABILITY: ValueKind = ValueKind::Probability;
/// Buyer protection where it is longer than the program's 60 days, by the ISO code a region
/// is named with (consumer guides: 120 days for Brazil, 90 for Russia; not official).
pub const PROTECTION_BY_COUNTRY: &[(&str, f64)] = &[("BR", 120.0), ("RU", 90.0)];
const MULTIPLIER: ValueKind = ValueKind::Number {
    lo: 0.0,
    hi: 100.0,
    what: "a multiplier (0..=100)",
};
const DAYS_DIST: ValueKind = ValueKind::Distribution { hi: 3650.0 };

macro_rules! opt {
    () => {
        None
    };
    ($e:expr) => {
        Some($e)
    };
}

macro_rules! entry {
    ($section:ident, $key:literal, $kind:expr, $fallback:expr, $swept:expr, $help:literal,
     get: |$gs:ident, $gi:pat_param| $get:expr, set: |$ss:ident, $si:pat_param, $v:ident| $set:expr
     $(, only_if: $cond:expr)?) => {
        Entry {
            section: Section::$section,
            key: $key,
            kind: $kind,
            fallback: $fallback,
            help: $help,
            swept: $swept,
            only_if: opt!($($cond)?),
            get: |$gs: &Scenario, $gi: usize| $get,
            set: |$ss: &mut Scenario, $si: usize, $v: Value| {
                $set;
                Ok(())
            },
        }
    };
}

/// Every key, grouped by section, in the order files, reports and sweeps list them.
pub static TABLE: &[Entry] = &[
    // [program]
    entry!(Program, "cookie_days", ValueKind::Positive { hi: 365.0 }, both(N(3.0)), true,
        "days from click within which a purchase counts",
        get: |s, _| Some(Value::Param(s.program.cookie_days)),
        set: |s, _, v| s.program.cookie_days = param(v)?),
    entry!(Program, "cookie_hours", ValueKind::Positive { hi: 8760.0 }, Fallback::Unset, true,
        "cookie window in hours from the click (Amazon, eBay: 24); replaces cookie_days",
        get: |s, _| s.program.cookie_hours.map(Value::Param),
        set: |s, _, v| s.program.cookie_hours = Some(param(v)?)),
    entry!(Program, "cart_extension_days", ValueKind::Days, Fallback::Unset, true,
        "days from the click an item carted inside the cookie still earns when bought (Amazon: ~90)",
        get: |s, _| s.program.cart_extension_days.map(Value::Number),
        set: |s, _, v| s.program.cart_extension_days = Some(number(v)?)),
    entry!(Program, "cart_share", PROBABILITY, Fallback::Unset, true,
        "with cart_extension_days: share of the later buyers who cart the item inside the cookie (your assumption)",
        get: |s, _| s.program.cart_share.map(Value::Param),
        set: |s, _, v| s.program.cart_share = Some(param(v)?)),
    entry!(Program, "new_customers_only", ValueKind::Choice(&["false", "true"]),
    Fallback::Default(Literal::Word("false"), ""), false,
    "true: only new customers' orders earn (the Temu shape), with new_customer_share and per_install",
    get: |s, _| Some(Value::Word(s.program.new_customers.is_some().to_string())),
    set: |s, _, v| s.program.new_customers = match word(v)?.as_str() {
        "false" => None,
        "true" => Some(NewCustomers { share: Param::Fixed(0.0), per_install: 0 }),
        other => return Err(Mismatch { expected: "true or false", got: Value::Word(other.into()) }),
    }),
    entry!(Program, "new_customer_share", PROBABILITY, Fallback::Required, true,
        "with new_customers_only: share of your attributed buyers who are new customers (your assumption)",
        get: |s, _| s.program.new_customers.map(|n| Value::Param(n.share)),
        set: |s, _, v| if let Some(n) = &mut s.program.new_customers {
            n.share = param(v)?;
        }, only_if: ("new_customers_only", &["true"])),
    entry!(Program, "per_install", ValueKind::Money, Fallback::Default(Literal::Number(0.0), ""), true,
        "with new_customers_only: fixed amount paid with a new customer's order (not capped)",
        get: |s, _| s.program.new_customers.map(|n| Value::Money(n.per_install)),
        set: |s, _, v| if let Some(n) = &mut s.program.new_customers {
            n.per_install = cents(v)?;
        }, only_if: ("new_customers_only", &["true"])),
    entry!(Program, "same_session_share", PROBABILITY, both(N(0.5)), true,
        "share of buyers who buy right after the click",
        get: |s, _| Some(Value::Param(s.program.same_session_share)),
        set: |s, _, v| s.program.same_session_share = param(v)?),
    entry!(Program, "purchase_delay_days", DAYS_DIST, both(dist(1.0, 7.0)), true,
        "days from click to purchase for the others",
        get: |s, _| Some(Value::Spread(s.program.purchase_delay)),
        set: |s, _, v| s.program.purchase_delay = spread(v)?),
    entry!(Program, "overwrite_rate", ValueKind::Positive { hi: 100.0 }, both(N(0.02)), true,
        "per day: another affiliate's click replaces your cookie",
        get: |s, _| Some(Value::Param(s.program.overwrite_rate)),
        set: |s, _, v| s.program.overwrite_rate = param(v)?),
    entry!(Program, "commission_cap", ValueKind::Money, both(N(50.0)), true,
        "largest commission of one order",
        get: |s, _| Some(Value::Money(s.program.commission_cap)),
        set: |s, _, v| s.program.commission_cap = cents(v)?),
    entry!(Program, "processing_days", DAYS_DIST, both(dist(3.0, 7.0)), true,
        "days from payment to shipment",
        get: |s, _| Some(Value::Spread(s.program.processing)),
        set: |s, _, v| s.program.processing = spread(v)?),
    entry!(Program, "confirm_receipt_share", PROBABILITY, both(N(0.7)), true,
        "buyers who click \"Confirm Goods Received\"",
        get: |s, _| Some(Value::Param(s.program.confirm_receipt_share)),
        set: |s, _, v| s.program.confirm_receipt_share = param(v)?),
    entry!(Program, "confirm_delay_days", DAYS_DIST, both(dist(3.0, 14.0)), true,
        "days from delivery to the buyer's confirmation",
        get: |s, _| Some(Value::Spread(s.program.confirm_delay)),
        set: |s, _, v| s.program.confirm_delay = spread(v)?),
    entry!(Program, "refund_delay_days", DAYS_DIST, both(dist(5.0, 15.0)), true,
        "days from delivery to a refund",
        get: |s, _| Some(Value::Spread(s.program.refund_delay)),
        set: |s, _, v| s.program.refund_delay = spread(v)?),
    entry!(Program, "auto_confirm_days", ValueKind::Days, both(N(60.0)), true,
        "buyer protection, days after payment",
        get: |s, _| Some(Value::Number(s.program.auto_confirm_days)),
        set: |s, _, v| s.program.auto_confirm_days = number(v)?),
    entry!(Program, "invalid_after_days", ValueKind::Days, both(N(180.0)), true,
        "unconfirmed orders are voided after this",
        get: |s, _| Some(Value::Number(s.program.invalid_after_days)),
        set: |s, _, v| s.program.invalid_after_days = number(v)?),
    entry!(Program, "earned_at", ValueKind::Choice(&["payment", "shipment"]),
    Fallback::Default(Literal::Word("payment"), ""), false,
    "when a commission is earned: \"payment\", or \"shipment\" (Amazon: an order cancelled before it ships never earns)",
    get: |s, _| Some(Value::Word(if s.program.earned_at_shipment { "shipment" } else { "payment" }.into())),
    set: |s, _, v| s.program.earned_at_shipment = match word(v)?.as_str() {
        "payment" => false,
        "shipment" => true,
        other => return Err(Mismatch { expected: "\"payment\" or \"shipment\"", got: Value::Word(other.into()) }),
    }),
    entry!(Program, "lock",
    ValueKind::Choice(&["on_confirmation", "month_end_plus_days", "day_of_month_after", "after_days"]),
    both(Literal::Word("on_confirmation")), false,
    "when a commission locks: \"on_confirmation\", \"month_end_plus_days\", \"day_of_month_after\" or \"after_days\"",
    get: |s, _| Some(Value::Word(s.program.lock.name().into())),
    set: |s, _, v| s.program.lock = match word(v)?.as_str() {
        "on_confirmation" => Lock::OnConfirmation,
        "month_end_plus_days" => Lock::MonthEndPlusDays { days: 60 },
        "day_of_month_after" => Lock::DayOfMonthAfter { day: 1, months: 1 },
        "after_days" => Lock::AfterDays { days: 30 },
        other => return Err(Mismatch { expected: "a lock rule", got: Value::Word(other.into()) }),
    }),
    entry!(Program, "lock_days", ValueKind::Whole { lo: 0, hi: 365 }, Fallback::Required, true,
        "days after the month's end (month_end_plus_days) or after the sale (after_days) a commission locks",
        get: |s, _| match s.program.lock {
            Lock::MonthEndPlusDays { days } | Lock::AfterDays { days } => Some(Value::Whole(days.into())),
            _ => None,
        },
        set: |s, _, v| if let Lock::MonthEndPlusDays { days } | Lock::AfterDays { days } = &mut s.program.lock {
            *days = whole(v)?.clamp(0, 365) as u32;
        }, only_if: ("lock", &["month_end_plus_days", "after_days"])),
    entry!(Program, "lock_day", ValueKind::Whole { lo: 1, hi: 28 }, Fallback::Required, true,
        "day_of_month_after: the day of the month a commission locks on",
        get: |s, _| match s.program.lock {
            Lock::DayOfMonthAfter { day, .. } => Some(Value::Whole(day.into())),
            _ => None,
        },
        set: |s, _, v| if let Lock::DayOfMonthAfter { day, .. } = &mut s.program.lock {
            *day = whole(v)?.clamp(1, 28) as u32;
        }, only_if: ("lock", &["day_of_month_after"])),
    entry!(Program, "lock_months", ValueKind::Whole { lo: 1, hi: 12 },
        Fallback::Default(N(1.0), ""), false,
        "day_of_month_after: months after the month of payment (1: the next)",
        get: |s, _| match s.program.lock {
            Lock::DayOfMonthAfter { months, .. } => Some(Value::Whole(months.into())),
            _ => None,
        },
        set: |s, _, v| if let Lock::DayOfMonthAfter { months, .. } = &mut s.program.lock {
            *months = whole(v)?.clamp(1, 12) as u32;
        }, only_if: ("lock", &["day_of_month_after"])),
    entry!(Program, "returns_after_payment", ValueKind::Choice(&["reverse", "debit_next"]),
        Fallback::Default(Literal::Word("reverse"), ""), false,
        "under a lock rule, a refund after the lock: \"reverse\" leaves it paid, \"debit_next\" takes it from later earnings",
        get: |s, _| (s.program.lock != Lock::OnConfirmation).then(|| Value::Word(
            if s.program.debit_after_lock { "debit_next" } else { "reverse" }.into())),
        set: |s, _, v| s.program.debit_after_lock = match word(v)?.as_str() {
            "reverse" => false,
            "debit_next" => true,
            other => return Err(Mismatch { expected: "\"reverse\" or \"debit_next\"", got: Value::Word(other.into()) }),
        }, only_if: ("lock", &["month_end_plus_days", "day_of_month_after", "after_days"])),
    entry!(Program, "settlement", ValueKind::Choice(&["monthly", "daily"]),
    Fallback::Preset([Literal::Word("monthly"), Literal::Word("daily")]), false,
    "\"monthly\" (settlement_day) or \"daily\" (settlement_lag_days)",
    get: |s, _| Some(Value::Word(match s.program.settlement {
        Settlement::Monthly { .. } => "monthly".into(),
        Settlement::Daily { .. } => "daily".into(),
    })),
    set: |s, _, v| s.program.settlement = match word(v)?.as_str() {
        "daily" => Settlement::Daily { lag_days: 2 },
        "monthly" => Settlement::Monthly { day: 25 },
        other => return Err(Mismatch { expected: "\"monthly\" or \"daily\"", got: Value::Word(other.into()) }),
    }),
    entry!(Program, "settlement_day", ValueKind::Whole { lo: 1, hi: 28 }, both(N(25.0)), true,
        "monthly settlement: day of the next month when a month's confirmations are credited",
        get: |s, _| match s.program.settlement {
            Settlement::Monthly { day } => Some(Value::Whole(day.into())),
            Settlement::Daily { .. } => None,
        },
        set: |s, _, v| if let Settlement::Monthly { day } = &mut s.program.settlement {
            *day = whole(v)?.clamp(1, 28) as u32;
        }, only_if: ("settlement", &["monthly"])),
    entry!(Program, "settlement_lag_days", ValueKind::Whole { lo: 0, hi: 365 }, both(N(2.0)), true,
        "daily settlement: days from confirmation to the balance",
        get: |s, _| match s.program.settlement {
            Settlement::Daily { lag_days } => Some(Value::Whole(lag_days.into())),
            Settlement::Monthly { .. } => None,
        },
        set: |s, _, v| if let Settlement::Daily { lag_days } = &mut s.program.settlement {
            *lag_days = whole(v)?.clamp(0, 365) as u32;
        }, only_if: ("settlement", &["daily"])),
    entry!(Program, "minimum_payout", ValueKind::Money,
        Fallback::Preset([N(16.0), N(20.0)]), true,
        "smallest balance the program pays out",
        get: |s, _| Some(Value::Money(s.program.minimum_payout)),
        set: |s, _, v| s.program.minimum_payout = cents(v)?),
    entry!(Program, "withdraw_at", ValueKind::Money, Fallback::SameAs("minimum_payout"), true,
        "your own threshold, >= minimum_payout",
        get: |s, _| Some(Value::Money(s.program.withdraw_at)),
        set: |s, _, v| s.program.withdraw_at = cents(v)?),
    entry!(Program, "payout_fee", ValueKind::Money, Fallback::Preset([N(15.0), N(0.0)]), true,
        "fixed fee per withdrawal",
        get: |s, _| Some(Value::Money(s.program.payout_fee)),
        set: |s, _, v| s.program.payout_fee = cents(v)?),
    entry!(Program, "payout_fee_percent",
        ValueKind::Number { lo: 0.0, hi: 100.0, what: "a percentage (0..=100)" },
        both(N(0.0)), true,
        "percent of each withdrawal",
        get: |s, _| Some(Value::Number(s.program.payout_fee_percent)),
        set: |s, _, v| s.program.payout_fee_percent = number(v)?),
    entry!(Program, "payout_delay_days", ValueKind::Whole { lo: 0, hi: 365 }, both(N(5.0)), true,
        "days from withdrawal to your bank",
        get: |s, _| Some(Value::Whole(s.program.payout_delay_days.into())),
        set: |s, _, v| s.program.payout_delay_days = whole(v)?.clamp(0, 365) as u32),
    entry!(Program, "payout_fee_cap", ValueKind::Money, Fallback::Unset, false,
        "largest fee of one withdrawal, fixed and percent together (PayPal on Impact: 20.00)",
        get: |s, _| s.program.payout_fee_cap.map(Value::Money),
        set: |s, _, v| s.program.payout_fee_cap = Some(cents(v)?)),
    entry!(Program, "payout_method", ValueKind::Name, Fallback::Unset, false,
        "with [[payout_methods]]: the one you use (else each withdrawal takes the cheapest it reaches)",
        get: |s, _| s.program.payout_method.clone().map(Value::Word),
        set: |s, _, v| s.program.payout_method = Some(word(v)?)),
    // [traffic]
    entry!(Traffic, "clicks_per_month", ValueKind::Positive { hi: MAX_CLICKS_PER_MONTH },
        Fallback::Required, true,
        "outbound affiliate clicks in the first month",
        get: |s, _| Some(Value::Param(s.traffic.clicks_per_month)),
        set: |s, _, v| s.traffic.clicks_per_month = param(v)?),
    entry!(Traffic, "monthly_growth",
        ValueKind::Signed { lo: -0.99, hi: 1.0, what: "a monthly growth rate (-0.99..=1)" },
        Fallback::Default(Literal::Number(0.0), ""), true,
        "compounding growth of clicks per month",
        get: |s, _| Some(Value::Param(s.traffic.monthly_growth)),
        set: |s, _, v| s.traffic.monthly_growth = param(v)?),
    entry!(Traffic, "overdispersion",
        ValueKind::Number { lo: 0.0, hi: 10.0, what: "a coefficient of variation (0..=10)" },
        Fallback::Default(Literal::Number(0.15), ""), true,
        "day-to-day noise of traffic (0 = none beyond Poisson)",
        get: |s, _| Some(Value::Number(s.traffic.overdispersion)),
        set: |s, _, v| s.traffic.overdispersion = number(v)?),
    entry!(Traffic, "seasonality", ValueKind::Seasonality,
        Fallback::Default(Literal::Number(1.0), ""), false,
        "click multiplier per calendar month, January to December",
        get: |s, _| Some(Value::Months(s.traffic.seasonality)),
        set: |s, _, v| s.traffic.seasonality = months(v)?),
    // [links]: every value is the user's assumption (no published death rate exists)
    entry!(Links, "death_rate", PROBABILITY,
        Fallback::Default(Literal::Number(0.05), " (assumption)"), true,
        "share of live links that die in a month (your assumption), below 1",
        get: |s, _| s.links.as_ref().map(|l| Value::Param(l.death_rate)),
        set: |s, _, v| links(s).death_rate = param(v)?),
    entry!(Links, "refresh_every_months", ValueKind::Whole { lo: 0, hi: 120 },
        Fallback::Default(Literal::Number(0.0), " (never)"), false,
        "months between link refreshes, on the first day of months N, 2N, ...; 0 = never",
        get: |s, _| s.links.as_ref().map(|l| Value::Whole(l.refresh_every_months.into())),
        set: |s, _, v| links(s).refresh_every_months = whole(v)?.clamp(0, 120) as u32),
    entry!(Links, "dead_link_conversion", PROBABILITY,
        Fallback::Default(Literal::Number(0.0), " (assumption)"), true,
        "a dead-link click's conversion relative to a live one (your assumption)",
        get: |s, _| s.links.as_ref().map(|l| Value::Param(l.dead_link_conversion)),
        set: |s, _, v| links(s).dead_link_conversion = param(v)?),
    entry!(Links, "alive_at_start", PROBABILITY,
        Fallback::Default(Literal::Number(1.0), " (assumption)"), true,
        "share of links alive on the first day",
        get: |s, _| s.links.as_ref().map(|l| Value::Param(l.alive_at_start)),
        set: |s, _, v| links(s).alive_at_start = param(v)?),
    entry!(Links, "refresh_cost", ValueKind::Money, Fallback::Default(Literal::Number(0.0), ""),
        false,
        "money per refresh (your time), weighed by the refresh advice",
        get: |s, _| s.links.as_ref().map(|l| Value::Money(l.refresh_cost)),
        set: |s, _, v| links(s).refresh_cost = cents(v)?),
    // [[regions]]
    entry!(Regions, "name", ValueKind::Name, Fallback::Required, false, "the region's name",
        get: |s, i| Some(Value::Word(s.regions[i].name.clone())),
        set: |s, i, v| s.regions[i].name = word(v)?),
    entry!(Regions, "share", ValueKind::Share, Fallback::Required, true, "share of orders",
        get: |s, i| Some(Value::Number(s.regions[i].share)),
        set: |s, i, v| s.regions[i].share = number(v)?),
    entry!(Regions, "shipping_days", DAYS_DIST, Fallback::Default(dist(14.0, 30.0), ""), true,
        "days from shipment to delivery",
        get: |s, i| Some(Value::Spread(s.regions[i].shipping)),
        set: |s, i, v| s.regions[i].shipping = spread(v)?),
    entry!(Regions, "auto_confirm_days", ValueKind::Days,
        Fallback::ByName { by_name: PROTECTION_BY_COUNTRY, from: "program.auto_confirm_days" },
        true,
        "this region's buyer protection, days after payment",
        get: |s, i| s.regions[i].auto_confirm_days.map(Value::Number),
        set: |s, i, v| s.regions[i].auto_confirm_days = Some(number(v)?)),
    // [[categories]]
    entry!(Categories, "name", ValueKind::Name, Fallback::Required, false, "the category's name",
        get: |s, i| Some(Value::Word(s.categories[i].name.clone())),
        set: |s, i, v| s.categories[i].name = word(v)?),
    entry!(Categories, "share", ValueKind::Share, Fallback::Required, true,
        "share of clicks; all shares sum to 1",
        get: |s, i| Some(Value::Number(s.categories[i].share)),
        set: |s, i, v| s.categories[i].share = number(v)?),
    entry!(Categories, "conversion_rate", PROBABILITY, Fallback::Required, true,
        "probability that a click's visitor eventually buys",
        get: |s, i| Some(Value::Param(s.categories[i].conversion_rate)),
        set: |s, i, v| s.categories[i].conversion_rate = param(v)?),
    entry!(Categories, "order_value", ValueKind::Distribution { hi: MAX_AMOUNT },
        Fallback::Required, true,
        "commissionable order value",
        get: |s, i| Some(Value::Spread(s.categories[i].order_value)),
        set: |s, i, v| s.categories[i].order_value = spread(v)?),
    entry!(Categories, "commission_rate", PROBABILITY, Fallback::Required, true,
        "9% phone accessories, clothing, garden; 7% most; 3% phones",
        get: |s, i| Some(Value::Param(s.categories[i].commission_rate)),
        set: |s, i, v| s.categories[i].commission_rate = param(v)?),
    entry!(Categories, "hot_share", PROBABILITY, Fallback::Default(Literal::Number(0.0), ""), true,
        "share of orders that are hot products",
        get: |s, i| Some(Value::Param(s.categories[i].hot_share)),
        set: |s, i, v| s.categories[i].hot_share = param(v)?),
    entry!(Categories, "hot_rate", PROBABILITY, Fallback::Default(Literal::Number(0.0), ""), true,
        "commission rate of hot products",
        get: |s, i| Some(Value::Param(s.categories[i].hot_rate)),
        set: |s, i, v| s.categories[i].hot_rate = param(v)?),
    entry!(Categories, "cancel_rate", PROBABILITY,
        Fallback::Default(Literal::Number(0.04), " (assumption)"), true,
        "probability an order is cancelled before shipment",
        get: |s, i| Some(Value::Param(s.categories[i].cancel_rate)),
        set: |s, i, v| s.categories[i].cancel_rate = param(v)?),
    entry!(Categories, "refund_rate", PROBABILITY,
        Fallback::Default(Literal::Number(0.05), " (assumption)"), true,
        "probability a shipped order is refunded or disputed",
        get: |s, i| Some(Value::Param(s.categories[i].refund_rate)),
        set: |s, i, v| s.categories[i].refund_rate = param(v)?),
    entry!(Categories, "new_buyer_share", PROBABILITY,
        Fallback::Default(Literal::Number(0.0), ""), true,
        "probability an order earns the new-buyer bonus",
        get: |s, i| Some(Value::Param(s.categories[i].new_buyer_share)),
        set: |s, i, v| s.categories[i].new_buyer_share = param(v)?),
    entry!(Categories, "new_buyer_bonus", ValueKind::Positive { hi: MAX_AMOUNT },
        Fallback::Default(Literal::Number(0.0), ""), true,
        "bonus per new-buyer order (not capped)",
        get: |s, i| Some(Value::Param(s.categories[i].new_buyer_bonus)),
        set: |s, i, v| s.categories[i].new_buyer_bonus = param(v)?),
    entry!(Categories, "link_death_rate", PROBABILITY,
        Fallback::Inherit { from: "links.death_rate" }, true,
        "with [links]: this category's own death_rate (your assumption)",
        get: |s, i| s.categories[i].link_death_rate.map(Value::Param),
        set: |s, i, v| s.categories[i].link_death_rate = Some(param(v)?)),
    // [[events]]
    entry!(Events, "name", ValueKind::Name, Fallback::Required, false, "the event's name",
        get: |s, i| Some(Value::Word(s.events[i].name.clone())),
        set: |s, i, v| s.events[i].name = word(v)?),
    entry!(Events, "from", ValueKind::DayOfYear, Fallback::Required, false,
    "first day, every year, MM-DD",
    get: |s, i| Some(Value::Day(s.events[i].month, s.events[i].day)),
    set: |s, i, v| (s.events[i].month, s.events[i].day) = day(v)?),
    entry!(Events, "days", ValueKind::Whole { lo: 1, hi: 366 }, Fallback::Required, false,
        "length in days",
        get: |s, i| Some(Value::Whole(s.events[i].days.into())),
        set: |s, i, v| s.events[i].days = whole(v)?.clamp(1, 366) as u32),
    entry!(Events, "traffic", MULTIPLIER, Fallback::Default(Literal::Number(1.0), ""), true,
        "click multiplier",
        get: |s, i| Some(Value::Number(s.events[i].traffic)),
        set: |s, i, v| s.events[i].traffic = number(v)?),
    entry!(Events, "conversion", MULTIPLIER, Fallback::Default(Literal::Number(1.0), ""), true,
        "conversion multiplier",
        get: |s, i| Some(Value::Number(s.events[i].conversion)),
        set: |s, i, v| s.events[i].conversion = number(v)?),
    entry!(Events, "cookie_days", ValueKind::Days,
        Fallback::Inherit { from: "program.cookie_days" }, false,
        "cookie window for clicks inside the event",
        get: |s, i| s.events[i].cookie_days.map(Value::Number),
        set: |s, i, v| s.events[i].cookie_days = Some(number(v)?)),
];

/// Items of a section in a scenario: its list's length, else one table.
pub fn items(sc: &Scenario, section: Section) -> usize {
    match section {
        Section::Program | Section::Traffic | Section::Links => 1,
        Section::Regions => sc.regions.len(),
        Section::Categories => sc.categories.len(),
        Section::Events => sc.events.len(),
    }
}

/// The same scenario with every uncertain value at its central value (a distribution's
/// median too): every key of the table that holds one, so a new uncertain key is included by
/// its entry alone.
pub fn centralized(sc: &Scenario) -> Result<Scenario, Mismatch> {
    let mut s = sc.clone();
    for e in TABLE {
        for i in 0..items(&s, e.section) {
            let central = match (e.get)(&s, i) {
                Some(Value::Param(p)) => Value::Param(Param::Fixed(p.central())),
                Some(Value::Spread(d)) => Value::Spread(Spread {
                    median: Param::Fixed(d.median.central()),
                    ratio: d.ratio,
                }),
                _ => continue,
            };
            (e.set)(&mut s, i, central)?;
        }
    }
    Ok(s)
}

/// The literal a key falls back to under a preset, if any.
pub fn fallback_literal(entry: &Entry, preset: Preset) -> Option<Literal> {
    match entry.fallback {
        Fallback::Preset(values) => Some(values[preset.base() as usize]),
        Fallback::Default(l, _) => Some(l),
        _ => None,
    }
}
