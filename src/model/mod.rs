//! The checked scenario: every value the engine reads has passed validation.

pub mod calendar;
pub mod dist;
pub mod links;
pub mod money;

use chrono::NaiveDate;

pub use calendar::Calendar;
pub use dist::{Kind, LogNormal, Param, Spread};
pub use links::Links;
pub use money::Cents;

/// Expected clicks of each of `months` months before seasonality and events:
/// `clicks × (1 + growth)^m`, the power taken by repeated multiplication. The engine and the
/// work estimate both use it, so they agree to the last bit.
pub fn monthly_clicks(clicks: f64, growth: f64, months: usize) -> impl Iterator<Item = f64> {
    let mut factor = 1.0;
    (0..months).map(move |_| {
        let month = clicks * factor;
        factor *= 1.0 + growth;
        month
    })
}

/// A scenario ready to simulate (after presets, defaults and validation).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    /// The first day of the first simulated month.
    pub start: NaiveDate,
    /// Number of simulated months, 1..=120.
    pub months: u32,
    /// Display only.
    pub currency: String,
    pub trials: u32,
    pub seed: u64,
    /// The preset the program's defaults came from.
    pub preset: Preset,
    pub program: Program,
    pub traffic: Traffic,
    pub events: Vec<Event>,
    pub regions: Vec<Region>,
    pub categories: Vec<Category>,
    pub mixes: Vec<Mix>,
    /// Link volatility; `None`: links never die.
    pub links: Option<Links>,
}

/// Where the program's defaults come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// AliExpress Portals: monthly settlement on the 25th, 16.00 minimum, 15.00 fee.
    Portals,
    /// AliExpress through Admitad: daily settlement, 20.00 minimum, no fixed fee.
    Admitad,
    /// Other programs, whose terms (with their sources) are in `scenario::programs`; the
    /// buyers' behaviour comes from the Portals preset.
    AmazonUs,
    AmazonUk,
    Ebay,
    Banggood,
    Epn,
    Awin,
    Cj,
    Impact,
}

impl Preset {
    pub const ALL: [Preset; 10] = [
        Preset::Portals,
        Preset::Admitad,
        Preset::AmazonUs,
        Preset::AmazonUk,
        Preset::Ebay,
        Preset::Banggood,
        Preset::Epn,
        Preset::Awin,
        Preset::Cj,
        Preset::Impact,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Portals => "aliexpress-portals",
            Preset::Admitad => "aliexpress-admitad",
            Preset::AmazonUs => "amazon-associates-us",
            Preset::AmazonUk => "amazon-associates-uk",
            Preset::Ebay => "ebay-partner-network",
            Preset::Banggood => "banggood",
            Preset::Epn => "aliexpress-epn",
            Preset::Awin => "awin",
            Preset::Cj => "cj",
            Preset::Impact => "impact",
        }
    }

    /// The AliExpress preset whose values fill what this one does not say (itself for the
    /// two AliExpress ones).
    pub fn base(self) -> Preset {
        match self {
            Preset::Admitad => Preset::Admitad,
            _ => Preset::Portals,
        }
    }

    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// When confirmed commissions become payable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// Everything confirmed in month M is credited on `day` (1..=28) of month M+1.
    Monthly { day: u32 },
    /// Credited `lag_days` whole days after the day of confirmation.
    Daily { lag_days: u32 },
}

/// The affiliate program's rules and the buyers' behaviour (`[program]`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Program {
    /// Cookie window in days from the click.
    pub cookie_days: Param,
    /// The cookie window in hours, when the program counts it so: replaces `cookie_days`.
    pub cookie_hours: Option<Param>,
    /// Days from the click within which an item carted inside the cookie still earns when
    /// bought (Amazon's cart extension); `None`: none.
    pub cart_extension_days: Option<f64>,
    /// Share of the buyers who buy after their session that carted the item inside the
    /// cookie; `None`: none.
    pub cart_share: Option<Param>,
    /// Only new customers' orders earn (`new_customers_only`, the Temu shape); `None`: every
    /// order earns.
    pub new_customers: Option<NewCustomers>,
    /// Share of buyers who buy in the same session as the click (delay 0).
    pub same_session_share: Param,
    /// Days from click to purchase for the other buyers.
    pub purchase_delay: Spread,
    /// Rate per day at which another affiliate's click overwrites the cookie.
    pub overwrite_rate: Param,
    /// Largest commission of one order, before any new-buyer bonus.
    pub commission_cap: Cents,
    /// Days from payment to shipment.
    pub processing: Spread,
    /// Share of delivered, kept orders whose buyer clicks "Confirm Goods Received".
    pub confirm_receipt_share: Param,
    /// Days from delivery to the buyer's confirmation.
    pub confirm_delay: Spread,
    /// Days from delivery to a refund.
    pub refund_delay: Spread,
    /// Days from payment until buyer protection ends and the order confirms by itself.
    pub auto_confirm_days: f64,
    /// Days from payment after which an unconfirmed order is voided ("Invalid").
    pub invalid_after_days: f64,
    /// Whether a commission is earned when the item ships (Amazon, Banggood) rather than at
    /// payment: an order cancelled before it ships is then never earned, and a lock rule
    /// counts from the day of shipment.
    pub earned_at_shipment: bool,
    /// When a commission locks; then `settlement` credits it as if it confirmed that day.
    pub lock: Lock,
    /// Under a lock rule, whether a refund after the lock is taken back from later earnings
    /// (`returns_after_payment = "debit_next"`) rather than left paid.
    pub debit_after_lock: bool,
    pub settlement: Settlement,
    pub minimum_payout: Cents,
    /// The user's own withdrawal threshold, ≥ `minimum_payout`.
    pub withdraw_at: Cents,
    /// Fixed fee per withdrawal.
    pub payout_fee: Cents,
    /// Fee in percent (0..=100) of each withdrawal, on top of the fixed fee.
    pub payout_fee_percent: f64,
    /// Largest fee of one withdrawal, fixed and percent together; `None`: no cap.
    pub payout_fee_cap: Option<Cents>,
    /// Whole days from withdrawal to cash in the bank.
    pub payout_delay_days: u32,
    /// The program's payout methods (the file's `[[payout_methods]]` or the preset's; empty:
    /// the one method of `minimum_payout`, `payout_fee`, `payout_fee_percent`,
    /// `payout_fee_cap` and `payout_delay_days`, which otherwise hold the method named, or
    /// the one of the smallest minimum). See [`Program::methods_in_play`].
    pub payout_methods: Vec<PayoutMethod>,
    /// The payout method the scenario names, if any (its terms are then the ones above).
    pub payout_method: Option<String>,
}

/// A program that pays for new customers only (`new_customers_only = true`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewCustomers {
    /// Share of your attributed buyers who are new customers (`new_customer_share`).
    pub share: Param,
    /// Fixed amount paid with a new customer's order (`per_install`), on top of its
    /// commission and not capped.
    pub per_install: Cents,
}

/// One way a program pays out (`[[payout_methods]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct PayoutMethod {
    pub name: String,
    /// Smallest withdrawal by this method.
    pub minimum: Cents,
    /// Fixed fee per withdrawal.
    pub fee: Cents,
    /// Fee in percent of the withdrawal, on top of the fixed fee.
    pub fee_percent: f64,
    /// Largest fee of one withdrawal; `None`: no cap.
    pub fee_cap: Option<Cents>,
    /// Whole days from withdrawal to cash in the bank.
    pub days_to_bank: u32,
}

impl PayoutMethod {
    /// The fee of a withdrawal of `gross` cents: fixed plus percent, capped, at most the
    /// withdrawal.
    pub fn fee_on(&self, gross: Cents) -> Cents {
        let ppm = money::rate_to_ppm(self.fee_percent / 100.0);
        (self.fee + money::apply_rate(gross, ppm))
            .min(self.fee_cap.unwrap_or(Cents::MAX))
            .min(gross)
    }

    /// The cheapest of `methods` for a withdrawal of `gross` cents among those it reaches
    /// (then the quickest, then the first listed).
    pub fn cheapest(methods: &[PayoutMethod], gross: Cents) -> Option<&PayoutMethod> {
        methods
            .iter()
            .filter(|m| m.minimum <= gross)
            .min_by_key(|m| (m.fee_on(gross), m.days_to_bank))
    }
}

/// When an order's commission locks (becomes confirmed) under the program's rules. Under
/// every rule but [`Lock::OnConfirmation`] the lock day follows from the day the order was
/// paid, whatever the buyer does: an order reversed (cancelled, refunded, voided) before its
/// lock day is reversed then; any other is confirmed on its lock day, and a reversal after it
/// does not take the commission back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lock {
    /// AliExpress: when the buyer confirms receipt or protection runs out.
    #[default]
    OnConfirmation,
    /// `days` days after the end of the month the order was paid in (Amazon: about 60).
    MonthEndPlusDays { days: u32 },
    /// On day `day` (1..=28) of the `months`-th month after the one the order was paid in
    /// (CJ: the 10th of the next month; eBay: the 10th of the month after next).
    DayOfMonthAfter { day: u32, months: u32 },
    /// `days` days after the order was paid (Awin's auto-approval).
    AfterDays { days: u32 },
}

impl Lock {
    /// The rule's word in a scenario file (`lock = "…"`).
    pub fn name(self) -> &'static str {
        match self {
            Lock::OnConfirmation => "on_confirmation",
            Lock::MonthEndPlusDays { .. } => "month_end_plus_days",
            Lock::DayOfMonthAfter { .. } => "day_of_month_after",
            Lock::AfterDays { .. } => "after_days",
        }
    }

    /// The lock day of an order paid on `paid`, or `None` under [`Lock::OnConfirmation`].
    pub fn day_of(self, paid: NaiveDate) -> Option<NaiveDate> {
        use chrono::{Datelike, Days, Months};
        let month_start = paid.with_day(1)?;
        match self {
            Lock::OnConfirmation => None,
            Lock::MonthEndPlusDays { days } => {
                let end = month_start + Months::new(1) - Days::new(1);
                Some(end + Days::new(days.into()))
            }
            Lock::DayOfMonthAfter { day, months } => {
                (month_start + Months::new(months)).with_day(day)
            }
            Lock::AfterDays { days } => Some(paid + Days::new(days.into())),
        }
    }
}

impl Default for Settlement {
    fn default() -> Self {
        Settlement::Monthly { day: 25 }
    }
}

impl Program {
    /// Whether the withdrawal rules hold: `withdraw_at` at least `minimum_payout`, and a
    /// withdrawal there worth more than its fees. Validation refuses a scenario without it.
    pub fn withdrawals_make_sense(&self) -> bool {
        self.withdraw_at >= self.minimum_payout && self.leaves_money(self.withdraw_at)
    }

    /// The cookie's length as drawn: `cookie_hours` when set, else `cookie_days`, with the
    /// units in a day of the one given (24 or 1), by which its draws are divided.
    pub fn cookie(&self) -> (&Param, f64) {
        match &self.cookie_hours {
            Some(hours) => (hours, 24.0),
            None => (&self.cookie_days, 1.0),
        }
    }

    /// The one payout method of `minimum_payout`, `payout_fee`, `payout_fee_percent`,
    /// `payout_fee_cap` and `payout_delay_days` (the method named, or the only one).
    pub fn payout(&self) -> PayoutMethod {
        PayoutMethod {
            name: self.payout_method.clone().unwrap_or_default(),
            minimum: self.minimum_payout,
            fee: self.payout_fee,
            fee_percent: self.payout_fee_percent,
            fee_cap: self.payout_fee_cap,
            days_to_bank: self.payout_delay_days,
        }
    }

    /// The payout methods each withdrawal chooses among: several listed and none named.
    /// Empty: the one method of `minimum_payout`, `payout_fee` and the rest.
    pub fn methods_in_play(&self) -> &[PayoutMethod] {
        match (&self.payout_method, self.payout_methods.len()) {
            (None, 2..) => &self.payout_methods,
            _ => &[],
        }
    }

    /// Whether a withdrawal of `amount` cents is worth more than its fees (by the cheapest
    /// method it reaches, when there are several).
    pub fn leaves_money(&self, amount: Cents) -> bool {
        if let Some(m) = PayoutMethod::cheapest(self.methods_in_play(), amount) {
            return m.fee_on(amount) < amount;
        }
        match self.payout_fee_cap {
            Some(cap) if cap < amount => true,
            _ => amount as f64 * (1.0 - self.payout_fee_percent / 100.0) > self.payout_fee as f64,
        }
    }

    /// The balance at which a withdrawal happens: max(minimum_payout, withdraw_at).
    pub fn withdrawal_threshold(&self) -> Cents {
        self.minimum_payout.max(self.withdraw_at)
    }
}

/// Clicks (`[traffic]`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traffic {
    /// Expected clicks in the first month (before seasonality).
    pub clicks_per_month: Param,
    /// Compounding growth per month (> −1).
    pub monthly_growth: Param,
    /// Coefficient of variation of a day's click rate (gamma); 0 = plain Poisson.
    pub overdispersion: f64,
    /// Multiplier per calendar month, January first.
    pub seasonality: [f64; 12],
    /// Clicks of each day of the horizon, when they are known (a backtest replays a site's
    /// own past): then clicks are neither drawn from `clicks_per_month` nor noisy. Never read
    /// from a scenario file.
    pub known_clicks: Option<Vec<u64>>,
}

/// A yearly window with more clicks, better conversion and maybe a longer cookie.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Event {
    pub name: String,
    /// Calendar month (1..=12) and day of the first day.
    pub month: u32,
    pub day: u32,
    /// Length in days, ≥ 1.
    pub days: u32,
    /// Click multiplier.
    pub traffic: f64,
    /// Conversion multiplier.
    pub conversion: f64,
    /// Cookie window for clicks inside the event, days.
    pub cookie_days: Option<f64>,
}

/// Where buyers live: shipping time and buyer protection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Region {
    pub name: String,
    /// Share of orders.
    pub share: f64,
    /// Days from shipment to delivery.
    pub shipping: Spread,
    /// Overrides the program's `auto_confirm_days` for this region.
    pub auto_confirm_days: Option<f64>,
}

/// A product category: its click share, conversion, order values and commission.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Category {
    pub name: String,
    /// Share of clicks.
    pub share: f64,
    /// Probability that a click's visitor eventually buys.
    pub conversion_rate: Param,
    /// Commissionable order value in currency units.
    pub order_value: Spread,
    pub commission_rate: Param,
    /// Share of orders that are "hot products", paid at `hot_rate`.
    pub hot_share: Param,
    pub hot_rate: Param,
    /// Probability an order is cancelled before shipment.
    pub cancel_rate: Param,
    /// Probability a shipped order is refunded or disputed after delivery.
    pub refund_rate: Param,
    /// Probability an order earns the new-buyer bonus.
    pub new_buyer_share: Param,
    /// Bonus per new-buyer order in currency units (not capped).
    pub new_buyer_bonus: Param,
    /// This category's share of live links that die in a month, overriding
    /// `links.death_rate` (only with `[links]`).
    pub link_death_rate: Option<Param>,
}

/// A named alternative set of click shares by category, for `compare`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix {
    pub name: String,
    /// One share per category, in the scenario's category order; sums to 1.
    pub shares: Vec<f64>,
}

impl Traffic {
    /// How many times the first month's expected clicks the last month's are, at the central
    /// growth, over `months` months.
    pub fn growth_over(&self, months: u32) -> f64 {
        let g = self.monthly_growth.central();
        monthly_clicks(1.0, g, months as usize)
            .last()
            .unwrap_or(1.0)
    }
}

impl Scenario {
    /// Whether two scenarios simulate the same orders, trial for trial: they differ at most in
    /// how confirmed money is settled and withdrawn (which no trial draws from).
    pub fn same_orders(&self, other: &Scenario) -> bool {
        let mut o = other.clone();
        let (p, q) = (&self.program, &mut o.program);
        q.settlement = p.settlement;
        q.minimum_payout = p.minimum_payout;
        q.withdraw_at = p.withdraw_at;
        q.payout_fee = p.payout_fee;
        q.payout_fee_percent = p.payout_fee_percent;
        q.payout_delay_days = p.payout_delay_days;
        q.payout_fee_cap = p.payout_fee_cap;
        q.payout_methods.clone_from(&p.payout_methods);
        q.payout_method.clone_from(&p.payout_method);
        *self == o
    }

    /// Whether two scenarios differ at most in how many buyers they have: their traffic
    /// (clicks per month, growth, seasonality), their events' traffic and conversion, and
    /// their categories' click shares and conversion rates (besides their names and mixes),
    /// each of those uncertain in both or in neither, with no `[links]` and no known clicks.
    /// Their trials draw the same world but for those numbers and can share their buyers
    /// (see the engine's shared buyers).
    pub fn same_but_intensities(&self, other: &Scenario) -> bool {
        if self.traffic.known_clicks.is_some() || self.events.len() != other.events.len() {
            return false;
        }
        self.same_but(other, |mine, o| {
            let (t, u) = (&mine.traffic, &mut o.traffic);
            if !t.clicks_per_month.draws_alike(&u.clicks_per_month)
                || !t.monthly_growth.draws_alike(&u.monthly_growth)
            {
                return false;
            }
            (u.clicks_per_month, u.monthly_growth, u.seasonality) =
                (t.clicks_per_month, t.monthly_growth, t.seasonality);
            for (e, mine) in o.events.iter_mut().zip(&mine.events) {
                (e.traffic, e.conversion) = (mine.traffic, mine.conversion);
            }
            for (c, mine) in o.categories.iter_mut().zip(&mine.categories) {
                if !c.conversion_rate.draws_alike(&mine.conversion_rate) {
                    return false;
                }
                (c.share, c.conversion_rate) = (mine.share, mine.conversion_rate);
            }
            true
        })
    }

    /// Whether two scenarios differ at most in what their orders are worth: their categories'
    /// order values, commission rates, hot items and new-buyer bonuses, and the commission
    /// cap (besides their names and mixes), each uncertain in both or in neither, a category
    /// with hot items or bonuses in both or in neither, with no `[links]`. Their trials draw
    /// the same buyers, orders and fates, number for number, so they can be followed once
    /// and each order valued under each (see the engine's shared buyers): the same results,
    /// to the bit, as following each alone.
    pub fn same_but_earnings(&self, other: &Scenario) -> bool {
        self.same_but(other, copy_worth)
    }

    /// Whether two scenarios differ at most in what their orders are worth (as
    /// [`Scenario::same_but_earnings`] says) and in what becomes of them: the program's
    /// processing, confirmation and refund delays, confirmation share, auto-confirmation and
    /// void; the regions' shares, shipping and auto-confirmation; the categories' cancel and
    /// refund rates; each uncertain in both or in neither. Their trials draw the same buyers
    /// and orders; when both draw every fate from a table (two words an order, whatever the
    /// table), the same numbers too, so each order's fate can be drawn under each from
    /// the same words (see the engine's shared buyers).
    pub fn same_but_worth_and_fates(&self, other: &Scenario) -> bool {
        self.same_but(other, |mine, o| copy_worth(mine, o) && copy_fates(mine, o))
    }

    /// Whether `other` equals this scenario once `copy` has written this one's values into
    /// the fields allowed to differ (answering false when they differ in a way that is not
    /// allowed). Names and mixes never count; a scenario with `[links]` is never alike
    /// another (its buyers' bits are its refresh cadences'), nor are lists of categories of
    /// another length.
    fn same_but(
        &self,
        other: &Scenario,
        copy: impl FnOnce(&Scenario, &mut Scenario) -> bool,
    ) -> bool {
        if self.links.is_some() || self.categories.len() != other.categories.len() {
            return false;
        }
        let mut o = other.clone();
        o.name.clone_from(&self.name);
        o.mixes.clone_from(&self.mixes);
        copy(self, &mut o) && *self == o
    }

    /// The calendar of the simulated horizon.
    pub fn calendar(&self) -> Calendar {
        Calendar::new(
            self.start,
            self.months,
            &self.events,
            &self.traffic.seasonality,
        )
        .with_lock(self.program.lock, self.program.debit_after_lock)
    }

    /// The same scenario with its categories' click shares replaced by a mix.
    pub fn with_mix(&self, mix: &Mix) -> Scenario {
        let mut s = self.clone();
        for (c, &share) in s.categories.iter_mut().zip(&mix.shares) {
            c.share = share;
        }
        s.name = format!("{} [{}]", self.name, mix.name);
        s
    }
}

/// Writes `mine`'s worth of an order (values, rates, hot items, bonuses, the cap) into `o`;
/// false when they draw differently (uncertain in one only, hot items or bonuses in one only).
fn copy_worth(mine: &Scenario, o: &mut Scenario) -> bool {
    let zero = |p: &Param| *p == Param::Fixed(0.0);
    let mixed = |c: &Category| !zero(&c.hot_share) || !zero(&c.new_buyer_share);
    let worth = |c: &Category| {
        [
            c.order_value.median,
            c.commission_rate,
            c.hot_share,
            c.hot_rate,
            c.new_buyer_share,
            c.new_buyer_bonus,
        ]
    };
    o.program.commission_cap = mine.program.commission_cap;
    for (c, mine) in o.categories.iter_mut().zip(&mine.categories) {
        let alike = worth(c)
            .iter()
            .zip(&worth(mine))
            .all(|(a, b)| a.draws_alike(b));
        if mixed(c) != mixed(mine) || !alike {
            return false;
        }
        c.order_value = mine.order_value;
        c.commission_rate = mine.commission_rate;
        c.hot_share = mine.hot_share;
        c.hot_rate = mine.hot_rate;
        c.new_buyer_share = mine.new_buyer_share;
        c.new_buyer_bonus = mine.new_buyer_bonus;
    }
    true
}

/// Writes what becomes of `mine`'s orders (delays, confirmation, void, regions' shares and
/// shipping, cancel and refund rates) into `o`; false when they draw differently (uncertain
/// in one only, or another number of regions).
fn copy_fates(mine: &Scenario, o: &mut Scenario) -> bool {
    let (p, q) = (&mine.program, &mut o.program);
    let spreads = [
        (&p.processing, &mut q.processing),
        (&p.confirm_delay, &mut q.confirm_delay),
        (&p.refund_delay, &mut q.refund_delay),
    ];
    for (a, b) in spreads {
        if !a.median.draws_alike(&b.median) {
            return false;
        }
        *b = *a;
    }
    if !p
        .confirm_receipt_share
        .draws_alike(&q.confirm_receipt_share)
        || mine.regions.len() != o.regions.len()
    {
        return false;
    }
    q.confirm_receipt_share = p.confirm_receipt_share;
    q.auto_confirm_days = p.auto_confirm_days;
    q.invalid_after_days = p.invalid_after_days;
    for (r, mine) in o.regions.iter_mut().zip(&mine.regions) {
        if !r.shipping.median.draws_alike(&mine.shipping.median) {
            return false;
        }
        (r.share, r.shipping, r.auto_confirm_days) =
            (mine.share, mine.shipping, mine.auto_confirm_days);
    }
    for (c, mine) in o.categories.iter_mut().zip(&mine.categories) {
        if !c.cancel_rate.draws_alike(&mine.cancel_rate)
            || !c.refund_rate.draws_alike(&mine.refund_rate)
        {
            return false;
        }
        (c.cancel_rate, c.refund_rate) = (mine.cancel_rate, mine.refund_rate);
    }
    true
}
