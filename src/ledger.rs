//! One trial's monthly accounts and the identities that must hold in them.

use crate::model::{Calendar, Cents, PayoutMethod, Program, Settlement};
/// The opening balances an observed pipeline puts in every trial's ledger (zero without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Opening {
    /// Pending commission, cents.
    pub pending: Cents,
    pub orders_pending: i64,
    /// Confirmed, not yet settled, cents.
    pub unsettled: Cents,
}

/// A monthly metric of one trial: a flow booked in the month, or a balance at its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    Clicks,
    Orders,
    OrdersLost,
    Gmv,
    Earned,
    Reversed,
    Confirmed,
    Settled,
    Withdrawn,
    Fees,
    Cash,
    PendingEnd,
    UnsettledEnd,
    BalanceEnd,
    InTransitEnd,
    OrdersConfirmed,
    OrdersReversed,
    OrdersPendingEnd,
}

/// Number of monthly metrics.
pub const N_METRICS: usize = 18;

impl Metric {
    /// Every metric, in output order.
    pub const ALL: [Metric; N_METRICS] = [
        Metric::Clicks,
        Metric::Orders,
        Metric::OrdersLost,
        Metric::Gmv,
        Metric::Earned,
        Metric::Reversed,
        Metric::Confirmed,
        Metric::Settled,
        Metric::Withdrawn,
        Metric::Fees,
        Metric::Cash,
        Metric::PendingEnd,
        Metric::UnsettledEnd,
        Metric::BalanceEnd,
        Metric::InTransitEnd,
        Metric::OrdersConfirmed,
        Metric::OrdersReversed,
        Metric::OrdersPendingEnd,
    ];

    /// The name used in every output format.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Clicks => "clicks",
            Metric::Orders => "orders",
            Metric::OrdersLost => "orders_lost",
            Metric::Gmv => "gmv",
            Metric::Earned => "earned",
            Metric::Reversed => "reversed",
            Metric::Confirmed => "confirmed",
            Metric::Settled => "settled",
            Metric::Withdrawn => "withdrawn",
            Metric::Fees => "fees",
            Metric::Cash => "cash",
            Metric::PendingEnd => "pending_end",
            Metric::UnsettledEnd => "unsettled_end",
            Metric::BalanceEnd => "balance_end",
            Metric::InTransitEnd => "in_transit_end",
            Metric::OrdersConfirmed => "orders_confirmed",
            Metric::OrdersReversed => "orders_reversed",
            Metric::OrdersPendingEnd => "orders_pending_end",
        }
    }

    /// Money (cents) rather than a count.
    pub fn is_money(self) -> bool {
        !matches!(
            self,
            Metric::Clicks
                | Metric::Orders
                | Metric::OrdersLost
                | Metric::OrdersConfirmed
                | Metric::OrdersReversed
                | Metric::OrdersPendingEnd
        )
    }

    /// A balance at the month's last day rather than a flow during the month.
    pub fn is_balance(self) -> bool {
        matches!(
            self,
            Metric::PendingEnd
                | Metric::UnsettledEnd
                | Metric::BalanceEnd
                | Metric::InTransitEnd
                | Metric::OrdersPendingEnd
        )
    }

    fn idx(self) -> usize {
        self as usize
    }
}

/// What the orders of one day did, booked by the engine before the money is followed.
#[derive(Debug, Clone, Copy, Default)]
pub struct DayFlows {
    pub clicks: i64,
    pub orders: i64,
    pub orders_lost: i64,
    /// Order values of the day's orders, cents.
    pub gmv: Cents,
    /// Commission of the day's orders, cents.
    pub earned: Cents,
    pub confirmed: Cents,
    pub reversed: Cents,
    pub orders_confirmed: i64,
    pub orders_reversed: i64,
    /// Σ confirmed commission × the day it was sold (cents·days; a day before the horizon
    /// is negative): with `confirmed`, how long money waited from sale to confirmation.
    pub confirmed_sold_on: i64,
}

impl DayFlows {
    /// An order of `value` paid this day, earning `commission` (cents).
    #[inline]
    pub fn pay(&mut self, value: Cents, commission: Cents) {
        self.orders += 1;
        self.gmv += value;
        self.earned += commission;
    }

    /// An order sold on day `sold` resolved this day: `ok` is 1 when confirmed (its
    /// commission in `yes`), 0 when reversed (in `no`). Without branches on the outcome.
    #[inline]
    pub fn resolve(&mut self, yes: Cents, no: Cents, ok: i64, sold: i64) {
        self.confirmed += yes;
        self.confirmed_sold_on += yes * sold;
        self.reversed += no;
        self.orders_confirmed += ok;
        self.orders_reversed += 1 - ok;
    }

    /// A commission confirmed earlier (an order sold on day `sold`) taken back this day: a
    /// refund after the lock, debited from later earnings.
    #[inline]
    pub fn debit(&mut self, commission: Cents, sold: i64) {
        self.confirmed -= commission;
        self.reversed += commission;
        self.orders_confirmed -= 1;
        self.orders_reversed += 1;
        self.confirmed_sold_on -= commission * sold;
    }

    /// Adds another day's flows to this one's.
    pub fn add(&mut self, other: &DayFlows) {
        self.clicks += other.clicks;
        self.orders += other.orders;
        self.orders_lost += other.orders_lost;
        self.gmv += other.gmv;
        self.earned += other.earned;
        self.confirmed += other.confirmed;
        self.reversed += other.reversed;
        self.orders_confirmed += other.orders_confirmed;
        self.orders_reversed += other.orders_reversed;
        self.confirmed_sold_on += other.confirmed_sold_on;
    }
}

/// One part's totals over the horizon (a category or a region): cents or counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartTotals {
    /// Clicks (categories only: a click has no region).
    pub clicks: i64,
    pub orders: i64,
    pub earned: Cents,
    pub confirmed: Cents,
    pub reversed: Cents,
    /// Confirmed within the run-rate window (the last 6 months, or all if fewer).
    pub confirmed_recent: Cents,
}

impl PartTotals {
    /// An order earning `commission` (cents).
    #[inline]
    pub fn pay(&mut self, commission: Cents) {
        self.orders += 1;
        self.earned += commission;
    }

    /// An order resolved: `yes` confirmed, `no` reversed, `recent` confirmed within the
    /// run-rate window (cents; each 0 or the commission).
    #[inline]
    pub fn resolve(&mut self, yes: Cents, no: Cents, recent: Cents) {
        self.confirmed += yes;
        self.reversed += no;
        self.confirmed_recent += recent;
    }

    /// Adds another part's totals to this one's.
    pub fn add(&mut self, other: &PartTotals) {
        self.clicks += other.clicks;
        self.orders += other.orders;
        self.earned += other.earned;
        self.confirmed += other.confirmed;
        self.reversed += other.reversed;
        self.confirmed_recent += other.confirmed_recent;
    }
}

/// One trial's totals by category and by region, in scenario order. In every trial the parts
/// add up exactly to the ledger's totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    pub categories: Vec<PartTotals>,
    pub regions: Vec<PartTotals>,
}

impl Parts {
    /// All zero, for `categories` and `regions` parts.
    pub fn reset(&mut self, categories: usize, regions: usize) {
        self.categories.clear();
        self.categories.resize(categories, PartTotals::default());
        self.regions.clear();
        self.regions.resize(regions, PartTotals::default());
    }

    /// Adds other parts' totals, part by part, to these.
    pub fn add(&mut self, other: &Parts) {
        let pairs = self.categories.iter_mut().zip(&other.categories);
        for (mine, theirs) in pairs.chain(self.regions.iter_mut().zip(&other.regions)) {
            mine.add(theirs);
        }
    }
}

/// One trial's accounts: `months × N_METRICS` values (cents or counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialLedger {
    values: Box<[i64]>,
    /// Balances before the first day (an opening pipeline), zero otherwise.
    pub opening: Opening,
    /// Totals by category and region.
    pub parts: Parts,
    /// How long the money that reached the bank waited since its sale.
    pub to_bank: ToBank,
    /// Whether refunds after a lock are debited, so that the balance may owe money.
    pub owes: bool,
}

/// The withdrawals of a trial that arrive within the horizon: their gross amount and
/// Σ amount × days from each cent's sale to its arrival (money confirmed before the first day
/// counts as sold on it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ToBank {
    pub gross: Cents,
    pub sale_days: i128,
}

impl ToBank {
    /// Days from sale to bank, weighted by amount; `None` when nothing arrived.
    #[allow(clippy::cast_precision_loss)] // sums of cents·days far below 2^52
    pub fn days(self) -> Option<f64> {
        (self.gross > 0).then(|| self.sale_days as f64 / self.gross as f64)
    }
}

impl TrialLedger {
    /// Follows the money of the day-by-day order flows through settlement, withdrawals and
    /// transfers, and books everything by month. `arrivals` is working memory.
    pub fn close(
        days: &[DayFlows],
        cal: &Calendar,
        program: &Program,
        arrivals: &mut Vec<Cents>,
    ) -> Self {
        Self::close_with_opening(days, cal, program, arrivals, Opening::default())
    }

    /// Like [`TrialLedger::close`], starting from opening balances: pending commission that
    /// resolves within the horizon, and confirmed money credited at the first settlement.
    pub fn close_with_opening(
        days: &[DayFlows],
        cal: &Calendar,
        program: &Program,
        arrivals: &mut Vec<Cents>,
        opening: Opening,
    ) -> Self {
        let months = cal.months();
        let mut values = vec![0i64; months * N_METRICS].into_boxed_slice();
        let mut payouts = Payouts::new(cal, program, program.withdrawal_threshold(), arrivals);
        payouts.open(opening.unsettled);
        let (mut pending, mut orders_pending) = (opening.pending, opening.orders_pending);
        for m in 0..months {
            let row = &mut values[m * N_METRICS..(m + 1) * N_METRICS];
            for f in &days[cal.month_start[m]..cal.month_start[m + 1]] {
                row[Metric::Clicks.idx()] += f.clicks;
                row[Metric::Orders.idx()] += f.orders;
                row[Metric::OrdersLost.idx()] += f.orders_lost;
                row[Metric::Gmv.idx()] += f.gmv;
                row[Metric::Earned.idx()] += f.earned;
                row[Metric::Confirmed.idx()] += f.confirmed;
                row[Metric::Reversed.idx()] += f.reversed;
                row[Metric::OrdersConfirmed.idx()] += f.orders_confirmed;
                row[Metric::OrdersReversed.idx()] += f.orders_reversed;
                pending += f.earned - f.confirmed - f.reversed;
                orders_pending += f.orders - f.orders_confirmed - f.orders_reversed;
            }
            let moved = payouts.next_month(
                |d| days[d].confirmed,
                |d| i128::from(days[d].confirmed_sold_on),
            );
            row[Metric::Settled.idx()] = moved.credited;
            row[Metric::Withdrawn.idx()] = moved.withdrawn;
            row[Metric::Fees.idx()] = moved.fee;
            row[Metric::Cash.idx()] = moved.arrived;
            row[Metric::PendingEnd.idx()] = pending;
            row[Metric::OrdersPendingEnd.idx()] = orders_pending;
            row[Metric::UnsettledEnd.idx()] = payouts.unsettled;
            row[Metric::BalanceEnd.idx()] = payouts.balance;
            row[Metric::InTransitEnd.idx()] = payouts.in_transit;
        }
        TrialLedger {
            values,
            opening,
            parts: Parts::default(),
            to_bank: ToBank {
                gross: payouts.cash_gross,
                sale_days: payouts.cash_delay_days,
            },
            owes: cal.debit_after_lock,
        }
    }

    /// The same ledger with its totals by category and region.
    pub fn with_parts(mut self, parts: Parts) -> Self {
        self.parts = parts;
        self
    }

    /// The first month (0-based) of the run-rate window: the last 6 months, or all.
    pub fn run_rate_from(months: usize) -> usize {
        months - months.min(6)
    }

    /// Number of months.
    pub fn months(&self) -> usize {
        self.values.len() / N_METRICS
    }

    /// One metric of one month (0-based), in cents or a count.
    #[inline]
    pub fn get(&self, month: usize, metric: Metric) -> i64 {
        self.values[month * N_METRICS + metric.idx()]
    }

    /// A flow summed over the whole horizon.
    pub fn total(&self, metric: Metric) -> i64 {
        (0..self.months()).map(|m| self.get(m, metric)).sum()
    }

    /// Mean monthly value of a flow over the last 6 months (or all months if fewer), cents.
    pub fn run_rate(&self, metric: Metric) -> f64 {
        let n = self.months().min(6);
        let from = Self::run_rate_from(self.months());
        (from..self.months())
            .map(|m| self.get(m, metric))
            .sum::<i64>() as f64
            / n as f64
    }

    /// 1-based month of the first cash arriving in the bank, if any.
    #[allow(clippy::cast_possible_truncation)] // withdrawals happen at most once a day over at most 3,653 days
    pub fn first_cash_month(&self) -> Option<u32> {
        (0..self.months())
            .find(|&m| self.get(m, Metric::Cash) > 0)
            .map(|m| m as u32 + 1)
    }

    /// Checks the ledger identities (see the README) at every month end (cumulative flows against balances).
    pub fn check_identities(&self) -> Result<(), String> {
        use Metric::*;
        let mut cum = [0i64; N_METRICS];
        for m in 0..self.months() {
            for metric in Metric::ALL {
                if !metric.is_balance() {
                    cum[metric.idx()] += self.get(m, metric);
                }
            }
            let c = |x: Metric| cum[x.idx()];
            let b = |x: Metric| self.get(m, x);
            let o = self.opening;
            let checks = [
                (
                    "opening pending + earned = confirmed + reversed + pending_end",
                    o.pending + c(Earned),
                    c(Confirmed) + c(Reversed) + b(PendingEnd),
                ),
                (
                    "opening unsettled + confirmed = settled + unsettled_end",
                    o.unsettled + c(Confirmed),
                    c(Settled) + b(UnsettledEnd),
                ),
                (
                    "settled = withdrawn + balance_end",
                    c(Settled),
                    c(Withdrawn) + b(BalanceEnd),
                ),
                (
                    "withdrawn = cash + fees + in_transit_end",
                    c(Withdrawn),
                    c(Cash) + c(Fees) + b(InTransitEnd),
                ),
                (
                    "opening orders + orders = orders_confirmed + orders_reversed + orders_pending_end",
                    o.orders_pending + c(Orders),
                    c(OrdersConfirmed) + c(OrdersReversed) + b(OrdersPendingEnd),
                ),
            ];
            for (name, lhs, rhs) in checks {
                if lhs != rhs {
                    return Err(format!("month {}: {name} fails: {lhs} != {rhs}", m + 1));
                }
            }
            // Under debits after the lock, confirmed money not yet paid may be owed back: the
            // unsettled and the payable balance may go below zero, the bank never.
            let balances: &[Metric] = if self.owes {
                &[PendingEnd, InTransitEnd, OrdersPendingEnd]
            } else {
                &[
                    PendingEnd,
                    UnsettledEnd,
                    BalanceEnd,
                    InTransitEnd,
                    OrdersPendingEnd,
                ]
            };
            if let Some(neg) = balances.iter().find(|&&x| b(x) < 0) {
                return Err(format!(
                    "month {}: {} is negative: {}",
                    m + 1,
                    neg.name(),
                    b(*neg)
                ));
            }
        }
        Ok(())
    }
}

/// What happened to the money in one month (or on one day of it).
#[derive(Debug, Clone, Copy, Default)]
pub struct MoneyMoved {
    /// Confirmed money credited to the balance (settled).
    pub credited: Cents,
    /// The whole balance taken out by a withdrawal, fee included.
    pub withdrawn: Cents,
    pub fee: Cents,
    /// Net money arriving in the bank.
    pub arrived: Cents,
}

/// The money side of a trial, month by month: confirmed → settled → balance → withdrawn →
/// in transit → cash, at one withdrawal threshold.
///
/// It also keeps the amount-weighted days from confirmation to cash of the money that reached
/// the bank, for withdrawal advice.
#[derive(Debug)]
pub struct Payouts<'a> {
    settlement: Settlement,
    settle_day: Option<usize>,
    month_start: &'a [usize],
    threshold: Cents,
    /// The program's one payout method, when `methods` is empty.
    single: PayoutMethod,
    /// The methods each withdrawal chooses among (empty: `single`).
    methods: &'a [PayoutMethod],
    /// Net money arriving in the bank, by month under a monthly settlement (money moves
    /// once a month), by day under a daily one.
    arrivals: &'a mut Vec<Cents>,
    month_of_day: &'a [u32],
    month: usize,
    /// Confirmed, not yet credited.
    pub unsettled: Cents,
    /// Credited, not yet withdrawn.
    pub balance: Cents,
    /// Withdrawn net of fees, not yet arrived.
    pub in_transit: Cents,
    /// Monthly settlement: last month's and this month's confirmations (amount, Σ amount ×
    /// the day each cent counts from: see [`Payouts::next_month`]'s `weight_on`).
    prev_month: (Cents, i128),
    this_month: (Cents, i128),
    /// Σ amount × the day each cent counts from, of the money in the balance.
    balance_days: i128,
    /// Opening confirmed money not yet credited.
    opening: Cents,
    /// Withdrawals so far.
    pub withdrawals: u32,
    /// Σ amount·(arrival day − the day it counts from) of the withdrawals that arrive in the
    /// horizon: from confirmation for the advice's replays, from sale for a ledger.
    pub cash_delay_days: i128,
    /// Gross amount of the withdrawals that arrive in the horizon.
    pub cash_gross: Cents,
}

impl<'a> Payouts<'a> {
    pub fn new(
        cal: &'a Calendar,
        program: &'a Program,
        threshold: Cents,
        arrivals: &'a mut Vec<Cents>,
    ) -> Self {
        let slots = match program.settlement {
            Settlement::Monthly { .. } => cal.months(),
            Settlement::Daily { .. } => cal.days(),
        };
        arrivals.clear();
        arrivals.resize(slots, 0);
        let mut p = Payouts {
            settlement: program.settlement,
            settle_day: None,
            month_start: &cal.month_start,
            threshold,
            single: program.payout(),
            methods: program.methods_in_play(),
            arrivals,
            month_of_day: &cal.month_of_day,
            month: 0,
            unsettled: 0,
            balance: 0,
            in_transit: 0,
            prev_month: (0, 0),
            this_month: (0, 0),
            balance_days: 0,
            opening: 0,
            withdrawals: 0,
            cash_delay_days: 0,
            cash_gross: 0,
        };
        p.settle_day = p.settle_day_of(0);
        p
    }

    /// Confirmed money waiting before the first day: credited at the first settlement (the
    /// settlement day of the first month, or after the lag from the first day).
    pub fn open(&mut self, unsettled: Cents) {
        if unsettled == 0 {
            return;
        }
        self.unsettled += unsettled;
        self.opening = unsettled;
        if let Settlement::Monthly { day } = self.settlement {
            self.settle_day = Some(day as usize - 1);
        }
    }

    fn settle_day_of(&self, month: usize) -> Option<usize> {
        match self.settlement {
            Settlement::Monthly { day } if month > 0 && month + 1 < self.month_start.len() => {
                Some(self.month_start[month] + day as usize - 1)
            }
            _ => None,
        }
    }

    /// The next month (the first, then each after it), whose days' confirmations are
    /// `confirmed_on(day)`: the money credited, withdrawn and arrived in it. Under a monthly
    /// settlement money moves only on the settlement day, so the month is followed at once
    /// from its confirmed sum; under a daily one, day by day.
    /// `weight_on(day)` is Σ amount × the day each cent of the day's confirmations counts
    /// from (its confirmation day for the advice's delays, its day of sale for the ledger's).
    pub fn next_month(
        &mut self,
        confirmed_on: impl Fn(usize) -> Cents,
        weight_on: impl Fn(usize) -> i128,
    ) -> MoneyMoved {
        let days = self.month_start[self.month]..self.month_start[self.month + 1];
        let moved = match self.settlement {
            Settlement::Monthly { .. } => {
                let (mut sum, mut weighted) = (0, 0);
                for d in days {
                    sum += confirmed_on(d);
                    weighted += weight_on(d);
                }
                self.monthly(sum, weighted)
            }
            Settlement::Daily { lag_days } => {
                let mut moved = MoneyMoved::default();
                for d in days {
                    let day = self.daily(d, lag_days as usize, (&confirmed_on, &weight_on));
                    moved.credited += day.credited;
                    moved.withdrawn += day.withdrawn;
                    moved.fee += day.fee;
                    moved.arrived += day.arrived;
                }
                moved
            }
        };
        self.month_end();
        moved
    }

    /// Under a monthly settlement, the month at hand, which confirmed `sum` (Σ amount·day:
    /// `weighted`): on its settlement day the month before's confirmations (and any opening
    /// money) are credited, and withdrawn if the balance reaches the threshold; the balance
    /// changes on no other day, so no other day can withdraw.
    fn monthly(&mut self, sum: Cents, weighted: i128) -> MoneyMoved {
        self.unsettled += sum;
        self.this_month.0 += sum;
        self.this_month.1 += weighted;
        let mut moved = MoneyMoved::default();
        if let Some(d) = self.settle_day {
            let (amount, weighted) = std::mem::take(&mut self.prev_month);
            // Opening money counts as confirmed on the first day.
            moved.credited = amount + std::mem::take(&mut self.opening);
            self.credit(moved.credited, weighted);
            (moved.withdrawn, moved.fee) = self.withdraw_if_due(d);
        }
        moved.arrived = self.arrivals[self.month];
        self.in_transit -= moved.arrived;
        moved
    }

    /// Under a daily settlement, day `d`: its confirmations, the credit of those `lag` days
    /// before, a withdrawal if the balance reached the threshold, and the transfers arriving.
    fn daily(
        &mut self,
        d: usize,
        lag: usize,
        (confirmed_on, weight_on): (impl Fn(usize) -> Cents, impl Fn(usize) -> i128),
    ) -> MoneyMoved {
        self.unsettled += confirmed_on(d);
        let opening = if d == lag {
            std::mem::take(&mut self.opening)
        } else {
            0
        };
        let (credited, weighted) = match d.checked_sub(lag) {
            Some(s) => (confirmed_on(s) + opening, weight_on(s)),
            None => (0, 0),
        };
        self.credit(credited, weighted);
        let (withdrawn, fee) = self.withdraw_if_due(d);
        let arrived = self.arrivals[d];
        self.in_transit -= arrived;
        MoneyMoved {
            credited,
            withdrawn,
            fee,
            arrived,
        }
    }

    /// Confirmed money credited to the balance (Σ amount × the day it counts from: `weighted`).
    fn credit(&mut self, credited: Cents, weighted: i128) {
        self.unsettled -= credited;
        self.balance += credited;
        self.balance_days += weighted;
    }

    /// On day `d`, the whole balance withdrawn if it reached the threshold: (withdrawn, fee),
    /// its net amount arriving `delay` days later.
    fn withdraw_if_due(&mut self, d: usize) -> (Cents, Cents) {
        if self.balance <= 0 || self.balance < self.threshold {
            return (0, 0);
        }
        let gross = self.balance;
        let m = PayoutMethod::cheapest(self.methods, gross).unwrap_or(&self.single);
        let (fee, delay) = (m.fee_on(gross), m.days_to_bank as usize);
        self.in_transit += gross - fee;
        let arrive = d + delay;
        if arrive < self.month_of_day.len() {
            let slot = match self.settlement {
                Settlement::Monthly { .. } => self.month_of_day[arrive] as usize,
                Settlement::Daily { .. } => arrive,
            };
            self.arrivals[slot] += gross - fee;
            self.cash_delay_days += i128::from(gross) * arrive as i128 - self.balance_days;
            self.cash_gross += gross;
        }
        self.withdrawals += 1;
        self.balance = 0;
        self.balance_days = 0;
        (gross, fee)
    }

    /// Closes a month: its confirmations wait for next month's settlement day.
    fn month_end(&mut self) {
        // A monthly settlement credits last month's confirmations on its day; an earlier
        // month's have been credited already, so only one month is ever waiting.
        let this = std::mem::take(&mut self.this_month);
        self.prev_month.0 += this.0;
        self.prev_month.1 += this.1;
        self.month += 1;
        self.settle_day = self.settle_day_of(self.month);
    }
}

/// The money of one trial at one withdrawal threshold, over the whole horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoutOutcome {
    pub threshold: Cents,
    pub withdrawals: u32,
    pub withdrawn: Cents,
    pub fees: Cents,
    /// Net money arrived in the bank.
    pub cash: Cents,
    /// Gross amount of the withdrawals that arrived.
    pub cash_gross: Cents,
    /// Σ amount·days from confirmation to arrival, over `cash_gross`.
    pub cash_delay_days: i128,
    /// Net money arrived in the run-rate window (the last 6 months, or all).
    pub cash_recent: Cents,
}

impl PayoutOutcome {
    /// Replays the money of a trial's day flows at another withdrawal threshold.
    pub fn replay(
        days: &[DayFlows],
        cal: &Calendar,
        program: &Program,
        threshold: Cents,
        arrivals: &mut Vec<Cents>,
    ) -> Self {
        Self::replay_with_opening(days, cal, program, threshold, arrivals, 0)
    }

    /// Like [`PayoutOutcome::replay`], with confirmed money waiting before the first day (an
    /// opening pipeline), credited at the first settlement as in the ledger.
    pub fn replay_with_opening(
        days: &[DayFlows],
        cal: &Calendar,
        program: &Program,
        threshold: Cents,
        arrivals: &mut Vec<Cents>,
        opening_unsettled: Cents,
    ) -> Self {
        Self::replay_confirmed(
            |d| days[d].confirmed,
            cal,
            program,
            threshold,
            arrivals,
            opening_unsettled,
        )
    }

    /// Replays the money confirmed on each day (`confirmed_on(day)`, cents) through
    /// settlement, withdrawals at `threshold` and transfers.
    pub fn replay_confirmed(
        confirmed_on: impl Fn(usize) -> Cents,
        cal: &Calendar,
        program: &Program,
        threshold: Cents,
        arrivals: &mut Vec<Cents>,
        opening_unsettled: Cents,
    ) -> Self {
        let mut p = Payouts::new(cal, program, threshold, arrivals);
        p.open(opening_unsettled);
        let recent_from = TrialLedger::run_rate_from(cal.months());
        let (mut withdrawn, mut fees, mut cash, mut cash_recent) = (0, 0, 0, 0);
        for m in 0..cal.months() {
            let moved = p.next_month(&confirmed_on, |d| i128::from(confirmed_on(d)) * d as i128);
            withdrawn += moved.withdrawn;
            fees += moved.fee;
            cash += moved.arrived;
            if m >= recent_from {
                cash_recent += moved.arrived;
            }
        }
        PayoutOutcome {
            threshold,
            withdrawals: p.withdrawals,
            withdrawn,
            fees,
            cash,
            cash_gross: p.cash_gross,
            cash_delay_days: p.cash_delay_days,
            cash_recent,
        }
    }
}
