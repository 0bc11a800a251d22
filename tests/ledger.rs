//! Settlement and withdrawals on hand-built cases, where the answer is known by hand.

use affcast::ledger::{DayFlows, Metric, TrialLedger};
use affcast::model::{Calendar, Program, Settlement};
use chrono::NaiveDate;

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
