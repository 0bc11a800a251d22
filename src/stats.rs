//! Bands across trials: mean, p10, p50, p90 of every monthly metric and summary figure.

use statrs::statistics::{Data, OrderStatistics};

use crate::ledger::{Metric, N_METRICS, TrialLedger};
use crate::model::{Cents, Scenario};
use crate::pipeline::Pipeline;

/// Mean and quantiles of one figure across trials (in cents for money).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub mean: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Band {
    /// Every figure 0 (a month no trial has).
    pub const ZERO: Band = Band {
        mean: 0.0,
        p10: 0.0,
        p50: 0.0,
        p90: 0.0,
    };
    /// Every figure undefined (printed as null or —).
    pub const UNDEFINED: Band = Band {
        mean: f64::NAN,
        p10: f64::NAN,
        p50: f64::NAN,
        p90: f64::NAN,
    };

    /// The band of `values` (reordered in place). `None` when empty.
    pub fn of(values: &mut [f64]) -> Option<Band> {
        if values.is_empty() {
            return None;
        }
        // Summed in the given (trial) order, so the mean does not depend on threads.
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let mut data = Data::new(values);
        Some(Band {
            mean,
            p10: data.quantile(0.1),
            p50: data.quantile(0.5),
            p90: data.quantile(0.9),
        })
    }
}

/// A figure of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryMetric {
    TotalClicks,
    TotalEarned,
    TotalConfirmed,
    TotalReversed,
    TotalCash,
    TotalFees,
    RunRateConfirmed,
    RunRateCash,
    Epc,
    ReversalRate,
    FirstCashMonth,
    /// Days from sale to bank, weighted by amount, of the money that reached the bank (not
    /// among a forecast's figures: `compare --programs` shows it).
    DaysToBank,
    /// Cash in the bank over the horizon per 1,000 clicks (`affcast programs`).
    CashPerThousandClicks,
}

/// How a figure is measured, which decides how it is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Cents, printed in currency units with 2 decimals.
    Money,
    /// Cents per click, printed in currency units with 4 decimals.
    MoneyPerClick,
    /// A fraction, printed with 4 decimals.
    Ratio,
    /// A 1-based month number.
    Month,
    /// Days, printed with 1 decimal.
    Days,
}

impl SummaryMetric {
    pub const ALL: [SummaryMetric; 11] = [
        SummaryMetric::TotalClicks,
        SummaryMetric::TotalEarned,
        SummaryMetric::TotalConfirmed,
        SummaryMetric::TotalReversed,
        SummaryMetric::TotalCash,
        SummaryMetric::TotalFees,
        SummaryMetric::RunRateConfirmed,
        SummaryMetric::RunRateCash,
        SummaryMetric::Epc,
        SummaryMetric::ReversalRate,
        SummaryMetric::FirstCashMonth,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SummaryMetric::TotalClicks => "total_clicks",
            SummaryMetric::TotalEarned => "total_earned",
            SummaryMetric::TotalConfirmed => "total_confirmed",
            SummaryMetric::TotalReversed => "total_reversed",
            SummaryMetric::TotalCash => "total_cash",
            SummaryMetric::TotalFees => "total_fees",
            SummaryMetric::RunRateConfirmed => "run_rate_confirmed",
            SummaryMetric::RunRateCash => "run_rate_cash",
            SummaryMetric::Epc => "epc",
            SummaryMetric::ReversalRate => "reversal_rate",
            SummaryMetric::FirstCashMonth => "first_cash_month",
            SummaryMetric::DaysToBank => "days_to_bank",
            SummaryMetric::CashPerThousandClicks => "cash_per_1000_clicks",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            SummaryMetric::TotalClicks => Unit::Count,
            SummaryMetric::Epc => Unit::MoneyPerClick,
            SummaryMetric::ReversalRate => Unit::Ratio,
            SummaryMetric::FirstCashMonth => Unit::Month,
            SummaryMetric::DaysToBank => Unit::Days,
            _ => Unit::Money,
        }
    }

    /// The figure for one trial; `None` where it is undefined (no clicks, nothing resolved,
    /// no cash yet).
    pub fn of(self, t: &TrialLedger) -> Option<f64> {
        let total = |m| t.total(m) as f64;
        match self {
            SummaryMetric::TotalClicks => Some(total(Metric::Clicks)),
            SummaryMetric::TotalEarned => Some(total(Metric::Earned)),
            SummaryMetric::TotalConfirmed => Some(total(Metric::Confirmed)),
            SummaryMetric::TotalReversed => Some(total(Metric::Reversed)),
            SummaryMetric::TotalCash => Some(total(Metric::Cash)),
            SummaryMetric::TotalFees => Some(total(Metric::Fees)),
            SummaryMetric::RunRateConfirmed => Some(t.run_rate(Metric::Confirmed)),
            SummaryMetric::RunRateCash => Some(t.run_rate(Metric::Cash)),
            SummaryMetric::Epc => {
                let clicks = total(Metric::Clicks);
                (clicks > 0.0).then(|| total(Metric::Confirmed) / clicks)
            }
            SummaryMetric::ReversalRate => {
                let resolved = total(Metric::Confirmed) + total(Metric::Reversed);
                (resolved > 0.0).then(|| total(Metric::Reversed) / resolved)
            }
            SummaryMetric::FirstCashMonth => t.first_cash_month().map(f64::from),
            SummaryMetric::DaysToBank => t.to_bank.days(),
            SummaryMetric::CashPerThousandClicks => {
                let clicks = total(Metric::Clicks);
                (clicks > 0.0).then(|| total(Metric::Cash) / clicks * 1000.0)
            }
        }
    }
}

/// What a decision is judged on: money that reaches the bank by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    #[default]
    RunRateCash,
    RunRateConfirmed,
    TotalCash,
}

impl crate::choice::Choice for Objective {
    const ALL: &'static [Self] = &[
        Objective::RunRateCash,
        Objective::RunRateConfirmed,
        Objective::TotalCash,
    ];

    fn name(self) -> &'static str {
        Objective::name(self)
    }

    fn help(self) -> Option<&'static str> {
        Some(match self {
            Objective::RunRateCash => {
                "Mean monthly cash in the bank over the last 6 months, after fees and payout timing"
            }
            Objective::RunRateConfirmed => {
                "Mean monthly confirmed commission over the last 6 months (ignores fees and timing)"
            }
            Objective::TotalCash => "All cash in the bank over the horizon, after fees",
        })
    }
}

impl Objective {
    /// The summary figure it is.
    pub fn metric(self) -> SummaryMetric {
        match self {
            Objective::RunRateCash => SummaryMetric::RunRateCash,
            Objective::RunRateConfirmed => SummaryMetric::RunRateConfirmed,
            Objective::TotalCash => SummaryMetric::TotalCash,
        }
    }

    /// Its name in every output.
    pub fn name(self) -> &'static str {
        self.metric().name()
    }
}

/// Mean, Monte Carlo standard error and share of positive values (ties count half) of
/// per-trial differences.
pub fn paired(d: &[f64]) -> (f64, f64, f64) {
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = if n > 1.0 {
        d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    let beats = d
        .iter()
        .map(|&x| match x.partial_cmp(&0.0) {
            Some(std::cmp::Ordering::Greater) => 1.0,
            Some(std::cmp::Ordering::Equal) => 0.5,
            _ => 0.0,
        })
        .sum::<f64>()
        / n;
    (mean, (var / n).sqrt(), beats)
}

/// A summary figure across trials.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryBand {
    pub metric: SummaryMetric,
    /// Over the trials where the figure is defined; `None` if it is defined in none.
    pub band: Option<Band>,
    /// Trials where the figure is undefined (e.g. no cash within the horizon).
    pub undefined: u32,
}

/// One figure of a part (a category or a region) across trials.
#[derive(Debug, Clone, PartialEq)]
pub struct PartFigure {
    /// Its name in every output: `clicks`, `orders`, `earned`, `confirmed`, `reversed`,
    /// `run_rate_confirmed`, `epc`.
    pub name: &'static str,
    pub unit: Unit,
    /// `None` where it is defined in no trial (an EPC without clicks).
    pub band: Option<Band>,
}

/// A category's or region's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PartBands {
    pub name: String,
    pub figures: Vec<PartFigure>,
}

/// The figures of one part, `part(trial)` giving its totals in a trial.
fn part_bands(
    name: &str,
    trials: &[TrialLedger],
    part: impl Fn(&TrialLedger) -> crate::ledger::PartTotals,
    with_clicks: bool,
) -> PartBands {
    let recent_months = trials
        .first()
        .map_or(1, |t| t.months() - TrialLedger::run_rate_from(t.months()))
        .max(1) as f64;
    type Of = fn(&crate::ledger::PartTotals, f64) -> Option<f64>;
    let mut figures: Vec<(&'static str, Unit, Of)> = Vec::new();
    if with_clicks {
        figures.push(("clicks", Unit::Count, |p, _| Some(p.clicks as f64)));
    }
    figures.extend([
        ("orders", Unit::Count, (|p, _| Some(p.orders as f64)) as Of),
        ("earned", Unit::Money, |p, _| Some(p.earned as f64)),
        ("confirmed", Unit::Money, |p, _| Some(p.confirmed as f64)),
        ("reversed", Unit::Money, |p, _| Some(p.reversed as f64)),
    ]);
    if with_clicks {
        figures.push(("run_rate_confirmed", Unit::Money, |p, n| {
            Some(p.confirmed_recent as f64 / n)
        }));
        figures.push(("epc", Unit::MoneyPerClick, |p, _| {
            (p.clicks > 0).then(|| p.confirmed as f64 / p.clicks as f64)
        }));
    }
    PartBands {
        name: name.to_string(),
        figures: figures
            .into_iter()
            .map(|(name, unit, of)| {
                let mut values: Vec<f64> = trials
                    .iter()
                    .filter_map(|t| of(&part(t), recent_months))
                    .collect();
                PartFigure {
                    name,
                    unit,
                    band: Band::of(&mut values),
                }
            })
            .collect(),
    }
}

/// The money a forecast starts with (`--pipeline`).
#[derive(Debug, Clone, PartialEq)]
pub struct OpeningSummary {
    pub as_of: String,
    pub pending_orders: u32,
    /// Pending commission, cents.
    pub pending: Cents,
    pub unsettled_orders: u32,
    /// Confirmed, not yet settled, cents.
    pub unsettled: Cents,
    /// Settled or reversed orders of the export, not part of the forecast.
    pub skipped: u32,
}

/// Everything a report shows: the scenario's identity and the bands.
#[derive(Debug, Clone)]
pub struct Forecast {
    pub scenario: String,
    pub currency: String,
    pub trials: u32,
    pub seed: u64,
    pub start: String,
    /// "YYYY-MM" of every month.
    pub months: Vec<String>,
    /// Per month, one band per [`Metric`] (in `Metric::ALL` order).
    pub monthly: Vec<[Band; N_METRICS]>,
    pub summary: Vec<SummaryBand>,
    /// The opening pipeline, when the forecast starts from an export's open orders.
    pub opening: Option<OpeningSummary>,
    /// Fees and waiting at other withdrawal thresholds (forecasts only).
    pub advice: Option<crate::advice::Advice>,
    /// The balance at which a withdrawal happens, cents.
    pub withdrawal_threshold: Cents,
    /// The fixed and percentage fee per withdrawal, for the advice's heading.
    pub payout_fee: Cents,
    pub payout_fee_percent: f64,
    /// Per month, confirmed money not yet in the bank at its end: waiting for settlement, in
    /// the balance, or in transit (cents).
    pub unpaid_end: Vec<Band>,
    /// Expected clicks of the first month before seasonality and events (central value).
    pub clicks_per_month: f64,
    /// The day of the month confirmed money is credited (monthly settlement), if monthly.
    pub settlement_day: Option<u32>,
    /// Whole days from withdrawal to cash.
    pub payout_delay_days: u32,
    /// Every category's figures, in scenario order.
    pub by_category: Vec<PartBands>,
    /// Every region's figures, in scenario order.
    pub by_region: Vec<PartBands>,
    /// With `[links]`: per month, the share of clicks landing on dead links.
    pub dead_link_share: Option<Vec<Band>>,
    /// With `[links]`: what each refresh cadence brings (forecasts only).
    pub refresh: Option<crate::refresh::RefreshAdvice>,
}

/// Per month, the band over trials (in trial order) of `of(trial, month)`.
pub fn bands_by_month<T>(months: usize, trials: &[T], of: impl Fn(&T, usize) -> f64) -> Vec<Band> {
    let mut values = Vec::with_capacity(trials.len());
    (0..months)
        .map(|m| {
            values.clear();
            values.extend(trials.iter().map(|t| of(t, m)));
            Band::of(&mut values).unwrap_or(Band::ZERO)
        })
        .collect()
}

impl Forecast {
    /// Bands across the given trials (in trial order).
    #[allow(clippy::cast_possible_truncation)] // counts of trials (at most 1e6) and of months
    pub fn from_trials(
        sc: &Scenario,
        pipeline: Option<&Pipeline>,
        labels: Vec<String>,
        trials: &[TrialLedger],
    ) -> Forecast {
        let months = labels.len();
        let mut scratch = vec![0.0; trials.len()];
        // The band of a per-trial figure, in trial order.
        let mut band = |of: &dyn Fn(&TrialLedger) -> i64| {
            for (v, t) in scratch.iter_mut().zip(trials) {
                *v = of(t) as f64;
            }
            Band::of(&mut scratch).unwrap_or(Band::ZERO)
        };
        let monthly = (0..months)
            .map(|m| Metric::ALL.map(|metric| band(&|t| t.get(m, metric))))
            .collect();
        let unpaid_end = (0..months)
            .map(|m| {
                band(&|t| {
                    t.get(m, Metric::UnsettledEnd)
                        + t.get(m, Metric::BalanceEnd)
                        + t.get(m, Metric::InTransitEnd)
                })
            })
            .collect();
        let summary = SummaryMetric::ALL
            .iter()
            .map(|&metric| SummaryBand::of(metric, trials.iter().map(|t| metric.of(t)).collect()))
            .collect();
        Forecast {
            scenario: sc.name.clone(),
            currency: sc.currency.clone(),
            trials: trials.len() as u32,
            seed: sc.seed,
            start: labels.first().cloned().unwrap_or_default(),
            months: labels,
            monthly,
            summary,
            opening: pipeline.map(|p| OpeningSummary {
                as_of: p.as_of.clone(),
                pending_orders: p.pending.len() as u32,
                pending: p.opening().pending,
                unsettled_orders: p.unsettled_orders,
                unsettled: p.unsettled,
                skipped: p.skipped,
            }),
            advice: None,
            withdrawal_threshold: sc.program.withdrawal_threshold(),
            payout_fee: sc.program.payout_fee,
            payout_fee_percent: sc.program.payout_fee_percent,
            unpaid_end,
            clicks_per_month: sc.traffic.clicks_per_month.central(),
            settlement_day: match sc.program.settlement {
                crate::model::Settlement::Monthly { day } => Some(day),
                crate::model::Settlement::Daily { .. } => None,
            },
            payout_delay_days: sc.program.payout_delay_days,
            by_category: sc
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| part_bands(&c.name, trials, |t| t.parts.categories[i], true))
                .collect(),
            by_region: sc
                .regions
                .iter()
                .enumerate()
                .map(|(i, r)| part_bands(&r.name, trials, |t| t.parts.regions[i], false))
                .collect(),
            dead_link_share: None,
            refresh: None,
        }
    }

    /// The band of one monthly metric.
    pub fn month(&self, month: usize, metric: Metric) -> Band {
        self.monthly[month][metric as usize]
    }

    /// The band of one summary figure.
    pub fn summary(&self, metric: SummaryMetric) -> &SummaryBand {
        self.summary
            .iter()
            .find(|s| s.metric == metric)
            .expect("every summary metric is computed")
    }
}

impl SummaryBand {
    /// The band of one figure from its per-trial values (`None` where undefined). Mean and
    /// quantiles are both over the trials where it is defined (for `first_cash_month`: the
    /// trials with cash), so the mean always lies within the band.
    #[allow(clippy::cast_possible_truncation)] // counts of trials (at most 1e6)
    pub fn of(metric: SummaryMetric, values: Vec<Option<f64>>) -> SummaryBand {
        let mut defined: Vec<f64> = values.iter().flatten().copied().collect();
        let undefined = (values.len() - defined.len()) as u32;
        SummaryBand {
            metric,
            band: Band::of(&mut defined),
            undefined,
        }
    }
}
