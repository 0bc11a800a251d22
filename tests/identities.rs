//! The ledger identities hold exactly, in every trial and at every month end: for every
//! example scenario and for generated ones.

use affcast::scenario;
use proptest::prelude::*;

use crate::common::{self, scenario_files};

#[test]
fn hold_in_every_example_scenario() {
    for file in scenario_files() {
        let mut sc = scenario::load(&file).unwrap();
        sc.trials = 40;
        for (t, l) in common::run(&sc).iter().enumerate() {
            if let Err(e) = l.check_identities() {
                panic!("{}: trial {t}: {e}", file.display());
            }
        }
    }
}

/// An interval `{ low, high }` or a plain number, as scenario text.
fn maybe_uncertain(low: f64, high: f64, uncertain: bool) -> String {
    if uncertain {
        format!("{{ low = {low}, high = {high} }}")
    } else {
        format!("{low}")
    }
}

prop_compose! {
    fn generated_scenario()(
        months in 1u32..=30,
        clicks in 0u32..20_000,
        growth in -0.05f64..0.1,
        od in 0.0f64..0.6,
        daily in any::<bool>(),
        lag in 0i64..10,
        day in 1i64..=28,
        min_payout in 0.0f64..50.0,
        extra_threshold in 0.0f64..300.0,
        fee in 0.0f64..15.0,
        fee_pct in 0.0f64..5.0,
        delay in 0i64..20,
        cookie in 0.0f64..30.0,
        overwrite in 0.0f64..0.5,
        same_session in 0.0f64..1.0,
        confirm in 0.0f64..1.0,
        auto in 1.0f64..150.0,
        invalid in 1.0f64..250.0,
        cap in 0.5f64..100.0,
        n_cats in 1usize..4,
        n_regions in 1usize..3,
        conv in 0.0f64..0.2,
        rate in 0.0f64..0.2,
        cancel in 0.0f64..0.5,
        refund in 0.0f64..0.5,
        hot in 0.0f64..0.5,
        bonus in 0.0f64..3.0,
        uncertain in any::<bool>(),
        event in any::<bool>(),
        links in proptest::option::of((0.0f64..0.5, 0u32..4, 0.0f64..1.0, 0.3f64..1.0)),
        seed in 0u64..1000,
    ) -> String {
        let withdraw = (min_payout + extra_threshold).max(fee * 1.2 + 1.0);
        let min_payout = min_payout.min(withdraw);
        let settlement = if daily {
            format!("settlement = \"daily\"\nsettlement_lag_days = {lag}")
        } else {
            format!("settlement = \"monthly\"\nsettlement_day = {day}")
        };
        let mut s = format!(r#"
name = "generated"
start = "2027-05"
months = {months}
[simulation]
trials = 3
seed = {seed}
[program]
cookie_days = {cookie}
same_session_share = {same_session}
overwrite_rate = {overwrite}
confirm_receipt_share = {confirm}
auto_confirm_days = {auto}
invalid_after_days = {invalid}
commission_cap = {cap}
{settlement}
minimum_payout = {min_payout}
withdraw_at = {withdraw}
payout_fee = {fee}
payout_fee_percent = {fee_pct}
payout_delay_days = {delay}
[traffic]
clicks_per_month = {}
monthly_growth = {growth}
overdispersion = {od}
"#, maybe_uncertain(clicks as f64 + 1.0, clicks as f64 * 2.0 + 2.0, uncertain));
        if let Some((death, every, dead_conv, alive)) = links {
            s += &format!("[links]\ndeath_rate = {death}\nrefresh_every_months = {}\ndead_link_conversion = {dead_conv}\nalive_at_start = {alive}\n", every.min(months));
        }
        if event {
            s += "[[events]]\nname = \"sale\"\nfrom = \"06-01\"\ndays = 20\ntraffic = 3\nconversion = 2\ncookie_days = 16\n";
        }
        for r in 0..n_regions {
            s += &format!("[[regions]]\nname = \"r{r}\"\nshare = {}\nshipping_days = {{ median = {}, p90 = {} }}\n",
                1.0 / n_regions as f64, 5 + 5 * r, 20 + 10 * r);
        }
        for c in 0..n_cats {
            s += &format!(r#"[[categories]]
name = "c{c}"
share = {}
conversion_rate = {}
order_value = {{ median = {}, p90 = {} }}
commission_rate = {rate}
hot_share = {hot}
hot_rate = 0.0
cancel_rate = {cancel}
refund_rate = {refund}
new_buyer_share = {hot}
new_buyer_bonus = {bonus}
"#, 1.0 / n_cats as f64, maybe_uncertain((conv * 0.5).max(1e-4), conv.max(2e-4), uncertain), 5 + 20 * c, 20 + 100 * c);
        }
        s
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn hold_in_generated_scenarios(text in generated_scenario()) {
        let sc = scenario::parse(&text, "generated.toml").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        for (t, l) in common::run(&sc).iter().enumerate() {
            prop_assert!(l.check_identities().is_ok(), "trial {}: {:?}\n{}", t, l.check_identities(), text);
        }
    }
}

/// In every trial the parts (categories, regions) add up exactly to the whole: the same
/// clicks, orders and cents, the run-rate window included.
fn parts_add_up(ledgers: &[affcast::ledger::TrialLedger]) {
    use affcast::ledger::{Metric, PartTotals, TrialLedger};
    for (t, l) in ledgers.iter().enumerate() {
        let from = TrialLedger::run_rate_from(l.months());
        let recent: i64 = (from..l.months())
            .map(|m| l.get(m, Metric::Confirmed))
            .sum();
        let sum =
            |parts: &[PartTotals], f: fn(&PartTotals) -> i64| parts.iter().map(f).sum::<i64>();
        for (kind, parts) in [
            ("category", &l.parts.categories),
            ("region", &l.parts.regions),
        ] {
            assert!(!parts.is_empty());
            assert_eq!(
                sum(parts, |p| p.orders),
                l.total(Metric::Orders),
                "trial {t}: {kind} orders"
            );
            assert_eq!(
                sum(parts, |p| p.earned),
                l.total(Metric::Earned),
                "trial {t}: {kind} earned"
            );
            assert_eq!(
                sum(parts, |p| p.confirmed),
                l.total(Metric::Confirmed),
                "trial {t}: {kind} confirmed"
            );
            assert_eq!(
                sum(parts, |p| p.reversed),
                l.total(Metric::Reversed),
                "trial {t}: {kind} reversed"
            );
            assert_eq!(
                sum(parts, |p| p.confirmed_recent),
                recent,
                "trial {t}: {kind} run-rate window"
            );
        }
        assert_eq!(
            sum(&l.parts.categories, |p| p.clicks),
            l.total(Metric::Clicks),
            "trial {t}: clicks"
        );
    }
}

#[test]
fn breakdowns_add_up_to_the_whole_in_every_trial() {
    for file in common::scenario_files() {
        if file.ends_with("bench-large.toml") {
            continue;
        }
        let mut sc = affcast::scenario::load(&file).unwrap();
        sc.trials = 20;
        parts_add_up(&common::run(&sc));
    }
    // With an opening pipeline: its orders resolve into the parts too.
    let mut sc = affcast::scenario::builtin();
    sc.trials = 20;
    sc.start = chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
    let export = affcast::exports::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/aliexpress-envelope.json"),
        None,
    )
    .unwrap();
    let p = affcast::pipeline::Pipeline::from_export(&export, &sc);
    assert!(!p.pending.is_empty());
    parts_add_up(&common::run_with_pipeline(&sc, &p));
}

/// A trial whose category mixes share their buyers: every mix's ledger keeps the identities
/// and its parts add up, exactly, like a trial of its own.
#[test]
fn hold_for_every_mix_of_a_trial_that_shares_its_buyers() {
    use affcast::engine::Scratch;
    use affcast::model::Scenario;
    let mut checked = 0;
    for file in common::scenario_files() {
        let sc = affcast::scenario::load(&file).unwrap();
        if sc.mixes.is_empty() || file.ends_with("bench-large.toml") {
            continue;
        }
        let variants: Vec<Scenario> = std::iter::once(sc.clone())
            .chain(sc.mixes.iter().map(|m| sc.with_mix(m)))
            .collect();
        let cal = sc.calendar();
        let shared: Vec<_> = variants.iter().map(|v| (v, &cal)).collect();
        let mut scratch = Scratch::default();
        let mut ledgers = vec![Vec::new(); variants.len()];
        for t in 0..20 {
            let mut trial = scratch.simulate_shared(&shared, t);
            for (v, variant) in variants.iter().enumerate() {
                ledgers[v].push(trial.variant_ledger(v, &cal, &variant.program));
            }
        }
        for (v, ls) in ledgers.iter().enumerate() {
            for (t, l) in ls.iter().enumerate() {
                if let Err(e) = l.check_identities() {
                    panic!("{}: mix {v}, trial {t}: {e}", file.display());
                }
            }
            parts_add_up(ls);
        }
        checked += 1;
    }
    assert!(checked >= 2, "example scenarios with mixes: {checked}");
}
