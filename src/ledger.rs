//! One trial's monthly accounts (MODEL §4) and the identities that must hold in them (§1).

use crate::model::{Calendar, Cents, Program, Settlement, money};

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
}

/// One trial's accounts: `months × N_METRICS` values (cents or counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialLedger {
    values: Box<[i64]>,
}

impl TrialLedger {
    /// Follows the money of the day-by-day order flows through settlement, withdrawals and
    /// transfers, and books everything by month.
    pub fn close(
        days: &[DayFlows],
        cal: &Calendar,
        program: &Program,
        arrivals: &mut Vec<Cents>,
    ) -> Self {
        let months = cal.months();
        let n_days = cal.days();
        let mut values = vec![0i64; months * N_METRICS].into_boxed_slice();
        arrivals.clear();
        arrivals.resize(n_days, 0);
        let threshold = program.withdrawal_threshold();
        let fee_ppm = money::rate_to_ppm(program.payout_fee_percent / 100.0);
        let delay = program.payout_delay_days as usize;

        let (mut pending, mut orders_pending, mut unsettled, mut balance, mut in_transit) =
            (0i64, 0i64, 0i64, 0i64, 0i64);
        let mut confirmed_prev_month = 0i64;
        let mut confirmed_this_month = 0i64;
        for m in 0..months {
            let row = &mut values[m * N_METRICS..(m + 1) * N_METRICS];
            let settle_day = match program.settlement {
                Settlement::Monthly { day } if m > 0 => Some(cal.month_start[m] + day as usize - 1),
                _ => None,
            };
            for d in cal.month_start[m]..cal.month_start[m + 1] {
                let f = &days[d];
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
                unsettled += f.confirmed;
                confirmed_this_month += f.confirmed;

                let credit = match program.settlement {
                    Settlement::Monthly { .. } => {
                        if settle_day == Some(d) {
                            std::mem::take(&mut confirmed_prev_month)
                        } else {
                            0
                        }
                    }
                    Settlement::Daily { lag_days } => d
                        .checked_sub(lag_days as usize)
                        .map_or(0, |s| days[s].confirmed),
                };
                unsettled -= credit;
                balance += credit;
                row[Metric::Settled.idx()] += credit;

                if balance > 0 && balance >= threshold {
                    let fee =
                        (program.payout_fee + money::apply_rate(balance, fee_ppm)).min(balance);
                    let net = balance - fee;
                    row[Metric::Withdrawn.idx()] += balance;
                    row[Metric::Fees.idx()] += fee;
                    in_transit += net;
                    if d + delay < n_days {
                        arrivals[d + delay] += net;
                    }
                    balance = 0;
                }
                let arrived = arrivals[d];
                in_transit -= arrived;
                row[Metric::Cash.idx()] += arrived;
            }
            // A monthly settlement credits last month's confirmations; an earlier month's
            // would already have been credited, so only one month is ever waiting.
            confirmed_prev_month += std::mem::take(&mut confirmed_this_month);
            row[Metric::PendingEnd.idx()] = pending;
            row[Metric::OrdersPendingEnd.idx()] = orders_pending;
            row[Metric::UnsettledEnd.idx()] = unsettled;
            row[Metric::BalanceEnd.idx()] = balance;
            row[Metric::InTransitEnd.idx()] = in_transit;
        }
        TrialLedger { values }
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
        let from = self.months() - n;
        (from..self.months())
            .map(|m| self.get(m, metric))
            .sum::<i64>() as f64
            / n as f64
    }

    /// 1-based month of the first cash arriving in the bank, if any.
    pub fn first_cash_month(&self) -> Option<u32> {
        (0..self.months())
            .find(|&m| self.get(m, Metric::Cash) > 0)
            .map(|m| m as u32 + 1)
    }

    /// Checks the identities of MODEL §1 at every month end (cumulative flows against balances).
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
            let checks = [
                (
                    "earned = confirmed + reversed + pending_end",
                    c(Earned),
                    c(Confirmed) + c(Reversed) + b(PendingEnd),
                ),
                (
                    "confirmed = settled + unsettled_end",
                    c(Confirmed),
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
                    "orders = orders_confirmed + orders_reversed + orders_pending_end",
                    c(Orders),
                    c(OrdersConfirmed) + c(OrdersReversed) + b(OrdersPendingEnd),
                ),
            ];
            for (name, lhs, rhs) in checks {
                if lhs != rhs {
                    return Err(format!("month {}: {name} fails: {lhs} != {rhs}", m + 1));
                }
            }
            let balances = [
                PendingEnd,
                UnsettledEnd,
                BalanceEnd,
                InTransitEnd,
                OrdersPendingEnd,
            ];
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
