//! Settlement and withdrawals on hand-built cases, where the answer is known by hand.

use affcast::ledger::{DayFlows, Metric, Opening, PayoutOutcome, TrialLedger};
use affcast::model::{Calendar, Program, Settlement, money};
use chrono::NaiveDate;
use proptest::strategy::Strategy as _;

use crate::common;

fn calendar(months: u32) -> Calendar {
    let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    Calendar::new(start, months, &[], &[1.0; 12])
}

/// The Portals program (monthly on the 25th, 16.00 minimum, 15.00 fee, 5 days to the bank).
fn portals() -> Program {
    common::scenario(&common::simple(
        1,
        1,
        "",
        "clicks_per_month = 1",
        "conversion_rate = 0.01\norder_value = 10\ncommission_rate = 0.07",
    ))
    .program
}

/// One order paid on day 0 and confirmed on `confirm_day`, for `cents` of commission.
fn confirmed_on(days: &mut [DayFlows], confirm_day: usize, cents: i64) {
    days[0].orders += 1;
    days[0].earned += cents;
    days[confirm_day].confirmed += cents;
    days[confirm_day].orders_confirmed += 1;
}

fn close(days: &[DayFlows], cal: &Calendar, p: &Program) -> TrialLedger {
    let l = TrialLedger::close(days, cal, p, &mut Vec::new());
    l.check_identities().expect("identities hold");
    l
}

#[test]
fn confirmation_on_jan_31_is_credited_feb_25_and_on_feb_1_mar_25() {
    let cal = calendar(4);
    let p = portals();

    let mut days = vec![DayFlows::default(); cal.days()];
    confirmed_on(&mut days, 30, 2000); // 2027-01-31
    let l = close(&days, &cal, &p);
    assert_eq!(l.get(0, Metric::UnsettledEnd), 2000);
    assert_eq!(l.get(1, Metric::Settled), 2000, "credited in February");
    // 20.00 ≥ 16.00: withdrawn on Feb 25, 15.00 fee, 5.00 arrives on Mar 2.
    assert_eq!(l.get(1, Metric::Withdrawn), 2000);
    assert_eq!(l.get(1, Metric::Fees), 1500);
    assert_eq!(l.get(1, Metric::InTransitEnd), 500);
    assert_eq!(l.get(2, Metric::Cash), 500);
    assert_eq!(l.first_cash_month(), Some(3));

    let mut days = vec![DayFlows::default(); cal.days()];
    confirmed_on(&mut days, 31, 2000); // 2027-02-01
    let l = close(&days, &cal, &p);
    assert_eq!(l.get(1, Metric::Settled), 0);
    assert_eq!(l.get(1, Metric::UnsettledEnd), 2000);
    assert_eq!(l.get(2, Metric::Settled), 2000, "credited in March");
    assert_eq!(l.get(2, Metric::Withdrawn), 2000);
    // Mar 25 + 5 days = Mar 30: still in March.
    assert_eq!(l.get(2, Metric::Cash), 500);
}

#[test]
fn settlement_day_itself_is_the_crediting_day() {
    let cal = calendar(3);
    let p = portals();
    let mut days = vec![DayFlows::default(); cal.days()];
    confirmed_on(&mut days, 5, 1800);
    let l = close(&days, &cal, &p);
    // Credited and withdrawn on Feb 25; the cash arrives 5 days later, on Mar 2.
    assert_eq!(l.get(1, Metric::Settled), 1800);
    assert_eq!(l.get(1, Metric::Cash), 0, "5 days after Feb 25 is March");
    assert_eq!(l.get(2, Metric::Cash), 300);
}

#[test]
fn a_balance_under_withdraw_at_waits_and_the_fee_is_paid_once() {
    let cal = calendar(5);
    let mut p = portals();
    p.withdraw_at = 5000;
    let mut days = vec![DayFlows::default(); cal.days()];
    for confirm_day in [10, 40, 70] {
        // Jan 11, Feb 10, Mar 12
        confirmed_on(&mut days, confirm_day, 2000);
    }
    let l = close(&days, &cal, &p);
    assert_eq!(l.get(1, Metric::BalanceEnd), 2000, "20.00 < 50.00 waits");
    assert_eq!(l.get(2, Metric::BalanceEnd), 4000, "40.00 < 50.00 waits");
    assert_eq!(
        l.get(3, Metric::Withdrawn),
        6000,
        "60.00 withdrawn on Apr 25"
    );
    assert_eq!(l.get(3, Metric::BalanceEnd), 0);
    assert_eq!(l.total(Metric::Fees), 1500, "one withdrawal, one fee");
    assert_eq!(l.get(3, Metric::Cash), 4500, "Apr 25 + 5 = Apr 30");
    assert_eq!(l.total(Metric::Cash), 4500);
}

#[test]
fn percentage_fees_round_half_even_on_top_of_the_fixed_fee() {
    let cal = calendar(3);
    let mut p = portals();
    p.payout_fee = 100;
    p.payout_fee_percent = 2.5;
    let mut days = vec![DayFlows::default(); cal.days()];
    confirmed_on(&mut days, 3, 2050); // 2.5% of 20.50 = 0.5125 → 0.51
    let l = close(&days, &cal, &p);
    assert_eq!(l.get(1, Metric::Fees), 100 + 51);
    assert_eq!(l.total(Metric::Cash), 2050 - 151);
}

#[test]
fn daily_settlement_credits_after_the_lag() {
    let cal = calendar(2);
    let mut p = portals();
    p.settlement = Settlement::Daily { lag_days: 2 };
    p.minimum_payout = 2000;
    p.withdraw_at = 2000;
    p.payout_fee = 0;
    p.payout_delay_days = 0;
    let mut days = vec![DayFlows::default(); cal.days()];
    confirmed_on(&mut days, 29, 1500); // Jan 30 → credited Feb 1
    confirmed_on(&mut days, 30, 1500); // Jan 31 → credited Feb 2, balance 30.00 ≥ 20.00
    let l = close(&days, &cal, &p);
    assert_eq!(l.get(0, Metric::Settled), 0);
    assert_eq!(l.get(0, Metric::UnsettledEnd), 3000);
    assert_eq!(l.get(1, Metric::Settled), 3000);
    assert_eq!(l.get(1, Metric::Withdrawn), 3000);
    assert_eq!(l.get(1, Metric::Cash), 3000, "no fee, same-day arrival");
}

#[test]
fn money_past_the_horizon_stays_in_its_balance() {
    let cal = calendar(2);
    let p = portals();
    let mut days = vec![DayFlows::default(); cal.days()];
    confirmed_on(&mut days, 40, 9000); // Feb 10: credited Mar 25, after the horizon
    days[0].orders += 1;
    days[0].earned += 700; // never resolved within the horizon
    let l = close(&days, &cal, &p);
    assert_eq!(l.get(1, Metric::UnsettledEnd), 9000);
    assert_eq!(l.get(1, Metric::PendingEnd), 700);
    assert_eq!(l.get(1, Metric::OrdersPendingEnd), 1);
    assert_eq!(l.first_cash_month(), None);
}

#[test]
fn identity_check_catches_a_broken_ledger() {
    // A flow with no matching balance movement must be reported, or the identity tests
    // elsewhere could not fail.
    let cal = calendar(1);
    let p = portals();
    let mut days = vec![DayFlows::default(); cal.days()];
    days[3].confirmed = 500; // confirmed without ever being earned
    let l = TrialLedger::close(&days, &cal, &p, &mut Vec::new());
    let err = l.check_identities().unwrap_err();
    assert!(err.contains("pending_end is negative"), "{err}");
}

/// Confirmed money: (cents, day of confirmation).
type Lump = (i64, usize);

/// The settlement rules followed day by day with every confirmation kept as a lump, written
/// independently of the ledger: per month (settled, withdrawn, fees, cash, unsettled, balance
/// and in transit at its end), the withdrawals, and Σ amount·(arrival − confirmation day).
fn settle_by_hand(
    confirmed: &[i64],
    cal: &Calendar,
    p: &Program,
    opening: i64,
) -> (Vec<[i64; 7]>, u32, i128) {
    let Settlement::Monthly { day } = p.settlement else {
        unreachable!("monthly settlement only")
    };
    let n = cal.days();
    let threshold = p.withdrawal_threshold();
    // Confirmed money not yet credited, and the balance, as (amount, confirmation day).
    let mut unsettled: Vec<Lump> = Vec::new();
    // Opening money counts as confirmed on the first day, credited at the first settlement.
    let mut opening_left = opening;
    let mut balance: Vec<Lump> = Vec::new();
    let (mut in_transit, mut arrivals) = (0, vec![0i64; n]);
    let (mut withdrawals, mut delay_days) = (0, 0i128);
    let mut rows = Vec::new();
    for m in 0..cal.months() {
        let mut row = [0i64; 7];
        for d in cal.month_start[m]..cal.month_start[m + 1] {
            unsettled.push((confirmed[d], d));
            let settles = d == cal.month_start[m] + day as usize - 1 && (m > 0 || opening > 0);
            if settles {
                // Everything confirmed before this month (and the opening money) is credited.
                let (mut credit, wait): (Vec<Lump>, Vec<Lump>) = unsettled
                    .iter()
                    .partition(|&&(_, c)| c < cal.month_start[m]);
                credit.push((std::mem::take(&mut opening_left), 0));
                row[0] += credit.iter().map(|x| x.0).sum::<i64>();
                balance.extend(credit);
                unsettled = wait;
                let gross: i64 = balance.iter().map(|x| x.0).sum();
                if gross > 0 && gross >= threshold {
                    let fee = (p.payout_fee
                        + money::apply_rate(
                            gross,
                            money::rate_to_ppm(p.payout_fee_percent / 100.0),
                        ))
                    .min(gross);
                    let arrive = d + p.payout_delay_days as usize;
                    if arrive < n {
                        arrivals[arrive] += gross - fee;
                        delay_days += balance
                            .iter()
                            .map(|&(a, c)| i128::from(a) * (arrive - c) as i128)
                            .sum::<i128>();
                    }
                    (row[1], row[2]) = (row[1] + gross, row[2] + fee);
                    in_transit += gross - fee;
                    withdrawals += 1;
                    balance.clear();
                }
            }
            row[3] += arrivals[d];
            in_transit -= arrivals[d];
        }
        row[4] = opening_left + unsettled.iter().map(|x| x.0).sum::<i64>();
        row[5] = balance.iter().map(|x| x.0).sum();
        row[6] = in_transit;
        rows.push(row);
    }
    (rows, withdrawals, delay_days)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// A monthly settlement moves money only on its day, so the ledger follows each month at
    /// once from its sums: the result is the day-by-day rules' for any confirmations,
    /// settlement day, threshold, fees, transfer delay and opening money.
    #[test]
    fn a_monthly_settlement_taken_a_month_at_a_time_follows_the_rules_day_by_day(
        // Amounts and thresholds in steps of 5.00, so that a balance often equals the threshold.
        lumps in proptest::collection::vec((0usize..425, (1i64..40).prop_map(|k| k * 500)), 0..40),
        day in 1u32..=28,
        withdraw_at in (4i64..60).prop_map(|k| k * 500),
        (payout_fee, fee_percent) in (0i64..2000, proptest::sample::select(vec![0.0, 1.0, 2.5])),
        delay in 0u32..70,
        opening in proptest::sample::select(vec![0i64, 1, 2500, 40_000]),
    ) {
        let cal = calendar(14);
        let mut p = portals();
        (p.settlement, p.withdraw_at, p.payout_fee) = (Settlement::Monthly { day }, withdraw_at, payout_fee);
        (p.payout_fee_percent, p.payout_delay_days) = (fee_percent, delay);
        let mut days = vec![DayFlows::default(); cal.days()];
        let mut confirmed = vec![0i64; cal.days()];
        for &(d, cents) in &lumps {
            confirmed_on(&mut days, d, cents);
            confirmed[d] += cents;
        }
        let opened = Opening { unsettled: opening, ..Opening::default() };
        let l = TrialLedger::close_with_opening(&days, &cal, &p, &mut Vec::new(), opened);
        l.check_identities().map_err(proptest::test_runner::TestCaseError::fail)?;
        let (rows, withdrawals, delay_days) = settle_by_hand(&confirmed, &cal, &p, opening);
        let metrics = [
            Metric::Settled,
            Metric::Withdrawn,
            Metric::Fees,
            Metric::Cash,
            Metric::UnsettledEnd,
            Metric::BalanceEnd,
            Metric::InTransitEnd,
        ];
        for (m, row) in rows.iter().enumerate() {
            let got = metrics.map(|x| l.get(m, x));
            proptest::prop_assert_eq!(&got, row, "month {}", m + 1);
        }
        let threshold = p.withdrawal_threshold();
        let out = PayoutOutcome::replay_with_opening(&days, &cal, &p, threshold, &mut Vec::new(), opening);
        proptest::prop_assert_eq!(out.withdrawals, withdrawals);
        proptest::prop_assert_eq!(out.cash_delay_days, delay_days);
        proptest::prop_assert_eq!(out.cash, l.total(Metric::Cash));
    }
}
