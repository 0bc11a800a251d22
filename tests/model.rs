//! The engine against what the model says, on cases where the answer is known: commission
//! arithmetic exactly, the cookie window and the pending balance within standard errors.

use affcast::ledger::{Metric, TrialLedger};
use affcast::model::Scenario;
use statrs::distribution::{Continuous, ContinuousCDF, LogNormal};

use crate::common::{self, mean, std_error};

/// Clicks per month so that every day of 2027 gets the same expected clicks (months differ in
/// length, so each month's seasonality is its length over the average).
fn flat_daily_traffic(clicks_per_month: u32) -> String {
    let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let season: Vec<String> = days
        .iter()
        .map(|d| format!("{}", *d as f64 / (365.0 / 12.0)))
        .collect();
    format!(
        "clicks_per_month = {clicks_per_month}\nseasonality = [{}]",
        season.join(", ")
    )
}

fn totals(ledgers: &[TrialLedger], metric: Metric) -> Vec<i64> {
    ledgers.iter().map(|l| l.total(metric)).collect()
}

#[test]
fn commission_is_value_times_rate_rounded_half_even() {
    // 12.50 × 9% = 1.125 → 1.12 (half-even), for every single order.
    let text = common::simple(
        3,
        4,
        "",
        "clicks_per_month = 20000",
        "conversion_rate = 0.02\norder_value = 12.50\ncommission_rate = 0.09",
    );
    let ledgers = common::run(&common::scenario(&text));
    for l in &ledgers {
        let orders = l.total(Metric::Orders);
        assert!(orders > 500);
        assert_eq!(l.total(Metric::Earned), 112 * orders);
        assert_eq!(l.total(Metric::Gmv), 1250 * orders);
    }
}

#[test]
fn hot_products_pay_the_hot_rate() {
    // All hot: 12.50 × 3% = 0.375 → 0.38 (half-even: 37.5 → 38).
    let text = common::simple(
        2,
        3,
        "",
        "clicks_per_month = 20000",
        "conversion_rate = 0.02\norder_value = 12.50\ncommission_rate = 0.09\nhot_share = 1.0\nhot_rate = 0.03",
    );
    for l in common::run(&common::scenario(&text)) {
        assert_eq!(l.total(Metric::Earned), 38 * l.total(Metric::Orders));
    }
    // Half hot: the number of hot orders follows from the total and is Binomial(n, 0.5).
    let text = common::simple(
        2,
        3,
        "",
        "clicks_per_month = 20000",
        "conversion_rate = 0.02\norder_value = 12.50\ncommission_rate = 0.09\nhot_share = 0.5\nhot_rate = 0.03",
    );
    for l in common::run(&common::scenario(&text)) {
        let n = l.total(Metric::Orders);
        let extra = l.total(Metric::Earned) - 38 * n;
        assert_eq!(extra % (112 - 38), 0, "each order pays 1.12 or 0.38");
        let normal = extra / (112 - 38);
        let sd = (n as f64 * 0.25).sqrt();
        assert!(
            (normal as f64 - n as f64 / 2.0).abs() < 4.0 * sd,
            "{normal} of {n} at the normal rate"
        );
    }
}

#[test]
fn the_cap_limits_the_commission_but_not_the_new_buyer_bonus() {
    // 1000.00 × 9% = 90.00 → capped at 50.00, plus a 2.00 bonus on every order.
    let text = common::simple(
        2,
        3,
        "",
        "clicks_per_month = 5000",
        "conversion_rate = 0.02\norder_value = 1000\ncommission_rate = 0.09\nnew_buyer_share = 1.0\nnew_buyer_bonus = 2.00",
    );
    for l in common::run(&common::scenario(&text)) {
        assert!(l.total(Metric::Orders) > 50);
        assert_eq!(l.total(Metric::Earned), 5200 * l.total(Metric::Orders));
    }
}

/// Attributed share of buyers among purchases in months 6–12 of a flat year, where the
/// start-up of the simulation no longer matters, with its binomial standard error.
fn attributed_share(program: &str, extra_scenario: &str) -> (f64, f64) {
    let text = common::simple(
        12,
        40,
        program,
        &flat_daily_traffic(30000),
        "conversion_rate = 0.05\norder_value = 10\ncommission_rate = 0.07",
    ) + extra_scenario;
    let ledgers = common::run(&common::scenario(&text));
    let (mut orders, mut lost) = (0i64, 0i64);
    for l in &ledgers {
        for m in 5..12 {
            orders += l.get(m, Metric::Orders);
            lost += l.get(m, Metric::OrdersLost);
        }
    }
    let n = (orders + lost) as f64;
    let p = orders as f64 / n;
    (p, (p * (1.0 - p) / n).sqrt())
}

/// The preset's purchase delay: median 1 day, p90 7 days.
fn purchase_delay() -> LogNormal {
    LogNormal::new(0.0, 7f64.ln() / 1.2815515655446004).unwrap()
}

#[test]
fn cookie_window_attributes_same_session_buyers_and_delays_within_the_window() {
    let s = 0.5;
    let expected = s + (1.0 - s) * purchase_delay().cdf(3.0);
    let (p, se) = attributed_share("overwrite_rate = 0.0", "");
    assert!(
        (p - expected).abs() < 4.0 * se,
        "attributed {p:.5} vs {expected:.5} (se {se:.5})"
    );
}

#[test]
fn an_event_cookie_of_16_days_raises_attribution() {
    let s = 0.5;
    let expected = s + (1.0 - s) * purchase_delay().cdf(16.0);
    let event =
        "\n[[events]]\nname = \"all-year\"\nfrom = \"01-01\"\ndays = 366\ncookie_days = 16\n";
    let (p, se) = attributed_share("overwrite_rate = 0.0", event);
    assert!(
        (p - expected).abs() < 4.0 * se,
        "attributed {p:.5} vs {expected:.5} (se {se:.5})"
    );
    let (base, base_se) = attributed_share("overwrite_rate = 0.0", "");
    assert!(
        p - base > 4.0 * (se * se + base_se * base_se).sqrt(),
        "{p} vs {base}"
    );
}

#[test]
fn cookie_overwrites_lower_attribution_by_the_expected_factor() {
    let (s, r, cookie) = (0.5, 0.2, 3.0);
    // E[exp(−r·d); d ≤ cookie] by Simpson's rule on the lognormal density.
    let d = purchase_delay();
    let n = 20_000;
    let h = cookie / n as f64;
    let f = |x: f64| {
        if x <= 0.0 {
            0.0
        } else {
            (-r * x).exp() * d.pdf(x)
        }
    };
    let integral = (0..=n)
        .map(|i| {
            let w = if i == 0 || i == n {
                1.0
            } else if i % 2 == 1 {
                4.0
            } else {
                2.0
            };
            w * f(i as f64 * h)
        })
        .sum::<f64>()
        * h
        / 3.0;
    let expected = s + (1.0 - s) * integral;
    let (p, se) = attributed_share(&format!("overwrite_rate = {r}"), "");
    assert!(
        (p - expected).abs() < 4.0 * se,
        "attributed {p:.5} vs {expected:.5} (se {se:.5})"
    );
    let without = s + (1.0 - s) * d.cdf(cookie);
    assert!(
        expected < without - 8.0 * se,
        "the test distinguishes the two"
    );
}

#[test]
fn steady_state_pending_balance_follows_littles_law() {
    // Every duration constant, so the mean days from payment to resolution is known:
    // cancelled (4%): uniform within 3 days of processing → 1.5;
    // refunded (5% of the rest): 3 + 10 + 5 = 18;
    // confirmed: by the buyer (70%) at 3 + 10 + 4 = 17, else at the 60-day auto-confirmation.
    let mean_days = 0.04 * 1.5 + 0.96 * (0.05 * 18.0 + 0.95 * (0.7 * 17.0 + 0.3 * 60.0));
    let program = "processing_days = 3\nconfirm_delay_days = 4\nrefund_delay_days = 5\nconfirm_receipt_share = 0.7\nauto_confirm_days = 60\ninvalid_after_days = 180";
    let category = "conversion_rate = 0.02\norder_value = 20\ncommission_rate = 0.07\ncancel_rate = 0.04\nrefund_rate = 0.05\n[[regions]]\nname = \"r\"\nshare = 1.0\nshipping_days = 10";
    let text = common::simple(12, 60, program, &flat_daily_traffic(30000), category);
    let sc = common::scenario(&text);
    let cal = sc.calendar();
    let ledgers = common::run(&sc);
    // From April on, every order that can still be pending was paid after the start.
    let months = 3..12;
    let days = (cal.month_start[12] - cal.month_start[2]) as f64;
    let gap: Vec<f64> = ledgers
        .iter()
        .map(|l| {
            let pending = months
                .clone()
                .map(|m| l.get(m, Metric::PendingEnd) as f64)
                .sum::<f64>()
                / months.len() as f64;
            let earned_per_day = (2..12)
                .map(|m| l.get(m, Metric::Earned) as f64)
                .sum::<f64>()
                / days;
            pending - earned_per_day * mean_days
        })
        .collect();
    let (g, se) = (mean(&gap), std_error(&gap));
    let pending = mean(
        &ledgers
            .iter()
            .map(|l| l.get(11, Metric::PendingEnd) as f64)
            .collect::<Vec<_>>(),
    );
    assert!(
        pending > 10_000.0,
        "a meaningful pending balance: {pending}"
    );
    assert!(
        g.abs() < 4.0 * se,
        "pending − λ·W = {g:.1} cents (se {se:.1}); mean days {mean_days}"
    );
}

#[test]
fn orders_not_confirmed_within_invalid_after_days_are_voided() {
    // Buyers never confirm and protection lasts longer than the void limit: every shipped,
    // kept order is reversed as Invalid at 30 days, nothing is confirmed.
    let program = "confirm_receipt_share = 0.0\nauto_confirm_days = 90\ninvalid_after_days = 30";
    let text = common::simple(
        4,
        3,
        program,
        "clicks_per_month = 10000",
        "conversion_rate = 0.02\norder_value = 10\ncommission_rate = 0.07",
    );
    for l in common::run(&common::scenario(&text)) {
        assert_eq!(l.total(Metric::Confirmed), 0);
        assert!(l.total(Metric::Reversed) > 0);
        assert_eq!(l.total(Metric::Cash), 0);
    }
}

#[test]
fn reversed_share_matches_cancel_and_refund_rates() {
    // Clicks only from January to June, a 12-month horizon: every order is resolved by the
    // end, and each is reversed with probability cancel + (1 − cancel)·refund.
    let (c, r) = (0.1, 0.2);
    let ledgers = common::run(&resolved_by_the_end(20_000, 20, "", (c, r)));
    assert_reversed_share(&ledgers, c, r);
}

/// A 12-month scenario with clicks (`clicks` a month) only from January to June, so that
/// every order is resolved by the end, in one category cancelled at `c` and refunded at `r`.
fn resolved_by_the_end(clicks: u32, trials: u32, program: &str, (c, r): (f64, f64)) -> Scenario {
    let category = format!(
        "conversion_rate = 0.02\norder_value = 10\ncommission_rate = 0.07\ncancel_rate = {c}\nrefund_rate = {r}"
    );
    let traffic =
        format!("clicks_per_month = {clicks}\nseasonality = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]");
    common::scenario(&common::simple(12, trials, program, &traffic, &category))
}

/// Every order resolved by the last month, and the share reversed within 4 standard errors
/// of cancel + (1 − cancel)·refund; returns the number of orders.
fn assert_reversed_share(ledgers: &[TrialLedger], c: f64, r: f64) -> f64 {
    let last = ledgers[0].months() - 1;
    for l in ledgers {
        assert_eq!(l.get(last, Metric::OrdersPendingEnd), 0);
    }
    let confirmed: i64 = totals(ledgers, Metric::OrdersConfirmed).iter().sum();
    let reversed: i64 = totals(ledgers, Metric::OrdersReversed).iter().sum();
    let n = (confirmed + reversed) as f64;
    let p = reversed as f64 / n;
    let expected = c + (1.0 - c) * r;
    let se = (expected * (1.0 - expected) / n).sqrt();
    assert!(
        (p - expected).abs() < 4.0 * se,
        "reversed share {p:.5} vs {expected:.5} (se {se:.5})"
    );
    n
}

#[test]
fn a_large_site_with_uncertain_delays_keeps_the_reversed_share_and_its_bytes() {
    // Processing time uncertain (a median drawn per trial) and about 180,000 orders per
    // trial: each trial's fates come from a table built for its own world. Every order is
    // resolved by the end, and each is reversed with probability cancel + (1 − cancel)·refund;
    // the run is the same on one thread and on two.
    let (c, r) = (0.1, 0.2);
    let program = "processing_days = { median = { low = 2, high = 4 }, p90 = 7 }";
    let sc = resolved_by_the_end(1_500_000, 4, program, (c, r));
    let run = |threads| {
        affcast::engine::run(&sc, None, threads, &affcast::engine::Control::quiet()).unwrap()
    };
    let ledgers = run(1);
    assert_eq!(ledgers, run(2));
    let n = assert_reversed_share(&ledgers, c, r);
    assert!(n > 600_000.0, "{n} orders");
}

/// Mean attributed orders per trial (with its standard error) of a January whose 10th has
/// thirty times the traffic of any other day and a 16-day cookie, February without traffic:
/// every attributed purchase (a delay of at most 16 days) is paid within the two months.
fn orders_of_a_january_with_one_big_day(clicks: u32) -> (f64, f64) {
    let event = "\n[[events]]\nname = \"spike\"\nfrom = \"01-10\"\ndays = 1\ntraffic = 30\ncookie_days = 16\n";
    let traffic =
        format!("clicks_per_month = {clicks}\nseasonality = [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]");
    let text = common::simple(
        2,
        400,
        "overwrite_rate = 0.0",
        &traffic,
        "conversion_rate = 0.05\norder_value = 10\ncommission_rate = 0.07",
    ) + event;
    let orders: Vec<f64> = totals(&common::run(&common::scenario(&text)), Metric::Orders)
        .into_iter()
        .map(|n| n as f64)
        .collect();
    (mean(&orders), std_error(&orders))
}

#[test]
fn an_events_cookie_goes_to_the_buyers_who_click_on_its_days() {
    // Half of January's buyers click on the 10th: their later purchases are attributed
    // within 16 days, the others' within 3. A small site (its buyers placed on their days
    // one by one) and a large one (counted day by day) alike.
    let (s, delay) = (0.5, purchase_delay());
    let attributed = |cookie: f64| s + (1.0 - s) * delay.cdf(cookie);
    for clicks in [3000, 60_000] {
        let buyers = f64::from(clicks) * 60.0 / 31.0 * 0.05;
        let expected = buyers * (attributed(3.0) + attributed(16.0)) / 2.0;
        let (m, se) = orders_of_a_january_with_one_big_day(clicks);
        assert!(
            (m - expected).abs() < 4.0 * se,
            "{clicks} clicks: {m:.1} orders vs {expected:.1} (se {se:.2})"
        );
        // The test tells the big day's cookie from one spread evenly over the month.
        let spread = buyers * (30.0 * attributed(3.0) + attributed(16.0)) / 31.0;
        assert!((expected - spread) > 10.0 * se, "{expected} vs {spread}");
    }
}

#[test]
fn a_category_whose_conversion_is_capped_on_an_event_keeps_its_own_days() {
    // The 10th has 30 times the traffic, 4 times the conversion and a 16-day cookie. On it,
    // category a converts at 0.2, so 0.8 of its month's buyers click then; category b's
    // conversion is capped at 1 there, so only 2/3 of its buyers do. Both small enough that
    // their buyers are placed on their days one by one: b must not be placed on a's days.
    let event = "\n[[events]]\nname = \"spike\"\nfrom = \"01-10\"\ndays = 1\ntraffic = 30\nconversion = 4\ncookie_days = 16\n";
    let category = |name: &str, conversion: f64| {
        format!(
            "\n[[categories]]\nname = \"{name}\"\nshare = 0.5\nconversion_rate = {conversion}\norder_value = 10\ncommission_rate = 0.07\n"
        )
    };
    let text = format!(
        "name = \"test\"\nstart = \"2027-01\"\nmonths = 2\n[simulation]\ntrials = 1000\nseed = 1\n\
         [program]\npreset = \"aliexpress-portals\"\noverwrite_rate = 0.0\n[traffic]\n\
         overdispersion = 0.0\nclicks_per_month = 600\n\
         seasonality = [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n{event}{}{}",
        category("a", 0.05),
        category("b", 0.5)
    );
    let ledgers = common::run(&common::scenario(&text));
    let (s, delay) = (0.5, purchase_delay());
    let attributed = |cookie: f64| s + (1.0 - s) * delay.cdf(cookie);
    let orders = |on_event: f64| on_event * attributed(16.0) + (1.0 - on_event) * attributed(3.0);
    // Expected buyers in January: a normal day has 1/31 of the month's clicks.
    let per_day = 600.0 / 31.0 * 0.5;
    for (c, (buyers, on_event)) in [
        (per_day * (30.0 * 0.05 + 30.0 * 0.2), 0.8),
        (per_day * (30.0 * 0.5 + 30.0), 2.0 / 3.0),
    ]
    .into_iter()
    .enumerate()
    {
        let counts: Vec<f64> = ledgers
            .iter()
            .map(|l| l.parts.categories[c].orders as f64)
            .collect();
        let (m, se) = (mean(&counts), std_error(&counts));
        let expected = buyers * orders(on_event);
        assert!(
            (m - expected).abs() < 4.0 * se,
            "category {c}: {m:.1} orders vs {expected:.1} (se {se:.2})"
        );
        // The test tells b's own days from a's.
        if c == 1 {
            let on_as_days = buyers * orders(0.8);
            assert!(
                on_as_days - expected > 8.0 * se,
                "{on_as_days} vs {expected}"
            );
        }
    }
}
