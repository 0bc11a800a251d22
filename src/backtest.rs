//! Backtest: would the forecast have been right about the site's own past?
//!
//! Rolling origins, as forecasting libraries evaluate forecasts: at the first day T of each of
//! the last few months, the export is rebuilt as it stood at T (orders paid before T, each with
//! the status it had then), fitted, opened with its pending and unsettled money, and forecast
//! for the next months with the clicks those months actually had, day by day. The forecast's
//! bands are then scored against what happened: how often the 80% band held the actual month,
//! where the actual fell among the simulated months (PIT), and the quantile loss against a
//! naive forecast that repeats the last full month.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};

use crate::engine::{self, Control, ReversalDelays};
use crate::error::{Error, Result};
use crate::exports::{Clicks, Export, OrderRecord, Status};
use crate::ledger::{Metric, TrialLedger};
use crate::model::{Scenario, Settlement};
use crate::pipeline::Pipeline;
use crate::stats::{Band, Unit};

/// Months of orders an origin needs before it.
pub const MIN_HISTORY_MONTHS: u32 = 3;

/// Fewer points than this per metric, and the verdict says it cannot tell.
pub const MIN_POINTS: usize = 10;

/// The figures a backtest scores: they come from orders alone, so the test is about the money
/// model and not about withdrawals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scored {
    /// Orders by payment month.
    Orders,
    /// Commission by payment month, cents.
    Earned,
    /// Commission by confirmation month, cents.
    Confirmed,
}

impl Scored {
    pub const ALL: [Scored; 3] = [Scored::Orders, Scored::Earned, Scored::Confirmed];

    pub fn name(self) -> &'static str {
        match self {
            Scored::Orders => "orders",
            Scored::Earned => "earned",
            Scored::Confirmed => "confirmed",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Scored::Orders => Unit::Count,
            _ => Unit::Money,
        }
    }

    pub fn metric(self) -> Metric {
        match self {
            Scored::Orders => Metric::Orders,
            Scored::Earned => Metric::Earned,
            Scored::Confirmed => Metric::Confirmed,
        }
    }
}

/// One metric of one forecast month against what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub actual: f64,
    pub band: Band,
    /// Share of trials below the actual (ties count half): uniform when the bands are right.
    pub pit: f64,
    /// The naive forecast: the last full month before the origin.
    pub naive: f64,
}

impl Point {
    /// Whether the actual lies within the 80% band (p10..=p90).
    pub fn covered(&self) -> bool {
        self.band.p10 <= self.actual && self.actual <= self.band.p90
    }

    /// Mean pinball loss of the p10, p50 and p90 forecasts.
    pub fn pinball(&self) -> f64 {
        let b = &self.band;
        (pinball(0.1, self.actual, b.p10)
            + pinball(0.5, self.actual, b.p50)
            + pinball(0.9, self.actual, b.p90))
            / 3.0
    }

    /// The same loss of the naive forecast (one number for every quantile).
    pub fn naive_pinball(&self) -> f64 {
        [0.1, 0.5, 0.9]
            .iter()
            .map(|&q| pinball(q, self.actual, self.naive))
            .sum::<f64>()
            / 3.0
    }
}

/// The pinball (quantile) loss of forecasting `f` for quantile `q` when `y` happened.
pub fn pinball(q: f64, y: f64, f: f64) -> f64 {
    if y >= f {
        q * (y - f)
    } else {
        (1.0 - q) * (f - y)
    }
}

/// One forecast month of an origin.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthResult {
    /// "YYYY-MM".
    pub month: String,
    /// Months ahead of the origin, 1-based.
    pub h: usize,
    /// One point per [`Scored`] metric, in that order.
    pub points: Vec<Point>,
}

/// What was forecast from one origin.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginResult {
    /// The origin's month, "YYYY-MM" (the forecast starts on its first day).
    pub origin: String,
    /// Orders paid before the origin, and of them those still pending then.
    pub orders_before: usize,
    pub pending: usize,
    pub months: Vec<MonthResult>,
}

/// The scores of a set of points.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub points: usize,
    /// Points whose actual lies in the 80% band.
    pub covered: usize,
    /// `covered / points`; nominal 0.80.
    pub coverage_80: f64,
    pub pinball: f64,
    pub naive_pinball: f64,
    /// 1 − pinball / naive pinball: above 0 the forecast beats repeating the last month.
    pub skill: f64,
    /// PIT values in ten bins of 0.1.
    pub pit_histogram: [u32; 10],
    pub mean_pit: f64,
}

impl Score {
    fn of<'a>(points: impl Iterator<Item = &'a Point>) -> Score {
        let mut s = Score {
            points: 0,
            covered: 0,
            coverage_80: f64::NAN,
            pinball: 0.0,
            naive_pinball: 0.0,
            skill: f64::NAN,
            pit_histogram: [0; 10],
            mean_pit: 0.0,
        };
        for p in points {
            s.points += 1;
            s.covered += usize::from(p.covered());
            s.pinball += p.pinball();
            s.naive_pinball += p.naive_pinball();
            s.mean_pit += p.pit;
            // PIT 1.0 falls in the last bin.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0..=9
            let bin = ((p.pit * 10.0).floor() as usize).min(9);
            s.pit_histogram[bin] += 1;
        }
        if s.points > 0 {
            let n = s.points as f64;
            s.coverage_80 = s.covered as f64 / n;
            s.skill = if s.naive_pinball > 0.0 {
                1.0 - s.pinball / s.naive_pinball
            } else {
                f64::NAN
            };
            s.pinball /= n;
            s.naive_pinball /= n;
            s.mean_pit /= n;
        }
        s
    }
}

/// A metric's scores, over all points and per horizon step.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricScores {
    pub metric: Scored,
    pub all: Score,
    /// Index `h − 1`.
    pub by_h: Vec<Score>,
    pub verdict: Verdict,
}

/// What the scores say about the bands, in words a site owner can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Too few points for the binomial error to tell 80% from much else.
    TooFew,
    /// Coverage within two binomial standard errors of 80%.
    Calibrated,
    /// Fewer actuals inside the band than 80%, on both sides: the bands are too narrow.
    TooNarrow,
    /// More inside than 80%: the bands are wider than they need to be.
    TooWide,
    /// Actuals mostly above the band: the forecast was too low.
    BiasedLow,
    /// Actuals mostly below the band: the forecast was too high.
    BiasedHigh,
}

impl Verdict {
    /// Judges a score: coverage against the binomial standard error of its number of
    /// points; a miss is called a bias when the PIT values lean to one side.
    pub fn of(s: &Score) -> Verdict {
        if s.points < MIN_POINTS {
            return Verdict::TooFew;
        }
        let se = (0.8 * 0.2 / s.points as f64).sqrt();
        let z = (s.coverage_80 - 0.8) / se;
        if z > 2.0 {
            Verdict::TooWide
        } else if z >= -2.0 {
            Verdict::Calibrated
        } else if s.mean_pit > 0.7 {
            Verdict::BiasedLow
        } else if s.mean_pit < 0.3 {
            Verdict::BiasedHigh
        } else {
            Verdict::TooNarrow
        }
    }

    /// Whether the bands can be trusted as they are.
    pub fn is_calibrated(self) -> bool {
        self == Verdict::Calibrated
    }
}

/// A backtest's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub scenario: String,
    pub currency: String,
    pub horizon: usize,
    pub trials: u32,
    pub seed: u64,
    pub origins: Vec<OriginResult>,
    /// One per [`Scored`] metric, in that order.
    pub scores: Vec<MetricScores>,
    /// Reversed orders without a reversal time (AliExpress "Invalid"): each was given one,
    /// drawn from the fitted lifecycle given that it ends reversed.
    pub reversed_without_time: usize,
    /// Confirmed orders without a confirmation time, pending at every origin likewise.
    pub confirmed_without_time: usize,
}

/// What a backtest runs on.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What the backtest is of (the export's file names), for headings.
    pub name: String,
    /// The whole export (categories already named).
    pub export: Export,
    /// The site's clicks by day or month.
    pub clicks: Clicks,
    /// Months forecast from each origin.
    pub horizon: u32,
    /// How many origins (the last ones the data allows).
    pub origins: u32,
    pub trials: u32,
    pub seed: u64,
    pub threads: usize,
}

/// The first day of the month of `t`.
fn month_of(t: NaiveDateTime) -> NaiveDate {
    t.date().with_day(1).expect("every month has a first day")
}

/// The origins: the first days of the last `n` months T with `MIN_HISTORY_MONTHS` of orders
/// before T and `horizon` whole months of orders and clicks from T.
pub fn origins(export: &Export, clicks: &Clicks, horizon: u32, n: u32) -> Result<Vec<NaiveDate>> {
    let first = export
        .records
        .iter()
        .map(|r| r.paid_at)
        .min()
        .ok_or_else(|| Error::input("the export holds no orders"))?;
    let (_, clicks_end) = clicks.span().ok_or_else(|| {
        Error::input("--clicks: a backtest needs clicks by day or month (a CSV), not one total")
    })?;
    let earliest = month_of(first) + Months::new(MIN_HISTORY_MONTHS);
    let data_end = export.as_of.date().min(clicks_end + chrono::Days::new(1));
    let mut out = Vec::new();
    let mut t = earliest;
    while t + Months::new(horizon) <= data_end {
        out.push(t);
        t = t + Months::new(1);
    }
    if out.is_empty() {
        return Err(Error::input(format!(
            "a backtest needs {} months of orders before an origin and {horizon} whole months of orders and clicks after it; the export runs from {} to {} and the clicks to {}",
            MIN_HISTORY_MONTHS,
            first.format("%Y-%m-%d"),
            export.as_of.format("%Y-%m-%d"),
            clicks_end
        )));
    }
    let skip = out.len().saturating_sub(n as usize);
    Ok(out.split_off(skip))
}

/// The day confirmed money was credited to the balance under `settlement`.
fn credited(confirmed: NaiveDateTime, settlement: Settlement) -> NaiveDateTime {
    match settlement {
        Settlement::Monthly { day } => {
            (month_of(confirmed) + Months::new(1))
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                + chrono::Days::new(u64::from(day) - 1)
        }
        Settlement::Daily { lag_days } => confirmed + chrono::Days::new(u64::from(lag_days)),
    }
}

/// An order as it stood at `t`: absent if paid at or after `t`; confirmed or reversed if that
/// happened before `t` (and settled if credited before `t`); else pending. An outcome without
/// a time was pending at `t` (a backtest gives reversed orders one first).
pub fn as_of_record(
    r: &OrderRecord,
    t: NaiveDateTime,
    settlement: Settlement,
) -> Option<OrderRecord> {
    let (status, resolved_at) = state_at(r, t, settlement)?;
    Some(OrderRecord {
        status,
        resolved_at,
        ..r.clone()
    })
}

/// The status and resolution time of [`as_of_record`].
fn state_at(
    r: &OrderRecord,
    t: NaiveDateTime,
    settlement: Settlement,
) -> Option<(Status, Option<NaiveDateTime>)> {
    if r.paid_at >= t {
        return None;
    }
    let before = r.resolved_at.filter(|&at| at < t);
    let status = match (r.status, before) {
        (Status::Pending, _) | (_, None) => Status::Pending,
        (Status::Reversed, Some(_)) => Status::Reversed,
        (Status::Held, Some(_)) => Status::Held,
        (Status::Confirmed | Status::Settled, Some(at)) => {
            if credited(at, settlement) < t {
                Status::Settled
            } else {
                Status::Confirmed
            }
        }
    };
    let resolved_at = if status == Status::Pending {
        None
    } else {
        before
    };
    Some((status, resolved_at))
}

/// The export as it stood at the first moment of day `t`.
pub fn as_of(export: &Export, t: NaiveDate, settlement: Settlement) -> Export {
    let t = t.and_hms_opt(0, 0, 0).expect("midnight exists");
    Export {
        records: export
            .records
            .iter()
            .filter_map(|r| as_of_record(r, t, settlement))
            .collect(),
        as_of: t,
        ..export.without_records()
    }
}

/// [`as_of`] of an export no longer needed as it was: its records are changed in place
/// rather than copied (a store's year of orders is a few hundred thousand).
pub fn into_as_of(mut export: Export, t: NaiveDate, settlement: Settlement) -> Export {
    let t = t.and_hms_opt(0, 0, 0).expect("midnight exists");
    export
        .records
        .retain_mut(|r| match state_at(r, t, settlement) {
            Some((status, resolved_at)) => {
                (r.status, r.resolved_at) = (status, resolved_at);
                true
            }
            None => false,
        });
    export.as_of = t;
    export
}

/// What happened in each month from `from` (first day) for `months` months: per [`Scored`]
/// metric, orders and earned by payment month, confirmed by confirmation month.
pub fn actuals(export: &Export, from: NaiveDate, months: usize) -> Vec<[f64; 3]> {
    let mut out = vec![[0.0; 3]; months];
    let index = |t: NaiveDateTime| {
        Some(months_between(from, t.date())).filter(|&i| t.date() >= from && i < months)
    };
    for r in &export.records {
        if let Some(i) = index(r.paid_at) {
            out[i][0] += 1.0;
            out[i][1] += r.commission as f64;
        }
        let confirmed = matches!(r.status, Status::Confirmed | Status::Settled | Status::Held);
        if let (true, Some(at)) = (confirmed, r.resolved_at)
            && let Some(i) = index(at)
        {
            out[i][2] += r.commission as f64;
        }
    }
    out
}

/// Whole months from the month of `a` to the month of `b` (0 when `b` is not later).
pub(crate) fn months_between(a: NaiveDate, b: NaiveDate) -> usize {
    let months = (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32;
    usize::try_from(months).unwrap_or(0)
}

/// The share of `values` below `actual`, ties counting half.
fn pit(values: &[f64], actual: f64) -> f64 {
    let below = values.iter().filter(|&&v| v < actual).count() as f64;
    let equal = values.iter().filter(|&&v| v == actual).count() as f64;
    (below + 0.5 * equal) / values.len().max(1) as f64
}

/// Scores one origin's forecast (its trials' ledgers) against the actual months.
#[allow(clippy::cast_possible_truncation)] // month indices of a horizon of at most 12 months
pub fn score_origin(
    origin: NaiveDate,
    ledgers: &[TrialLedger],
    actual: &[[f64; 3]],
    naive: [f64; 3],
) -> Vec<MonthResult> {
    let mut values = Vec::with_capacity(ledgers.len());
    actual
        .iter()
        .enumerate()
        .map(|(m, month)| {
            let points = Scored::ALL
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    values.clear();
                    values.extend(ledgers.iter().map(|l| l.get(m, s.metric()) as f64));
                    let p = pit(&values, month[k]);
                    Point {
                        actual: month[k],
                        band: Band::of(&mut values).unwrap_or(Band::UNDEFINED),
                        pit: p,
                        naive: naive[k],
                    }
                })
                .collect();
            MonthResult {
                month: (origin + Months::new(m as u32)).format("%Y-%m").to_string(),
                h: m + 1,
                points,
            }
        })
        .collect()
}

/// The scores of every metric over the origins.
pub fn scores(origins: &[OriginResult], horizon: usize) -> Vec<MetricScores> {
    Scored::ALL
        .iter()
        .enumerate()
        .map(|(k, &metric)| {
            let points = || origins.iter().flat_map(|o| &o.months);
            let all = Score::of(points().map(|m| &m.points[k]));
            let by_h = (1..=horizon)
                .map(|h| Score::of(points().filter(|m| m.h == h).map(|m| &m.points[k])))
                .collect();
            MetricScores {
                metric,
                verdict: Verdict::of(&all),
                all,
                by_h,
            }
        })
        .collect()
}

/// The export with a time for every reversed order that has none (AliExpress gives "Invalid"
/// orders none): without one, such an order would be pending at every origin, and the model
/// would confirm the old ones at once. The time is drawn from the lifecycle of the scenario
/// fitted on the whole export, given that the order ends reversed (a cancellation during
/// processing, a refund after delivery, or the cut-off for orders never confirmed), from a
/// stream of the order's own id (the same time in every run), and never after the export.
fn with_reversal_times(
    plan: &Plan,
    scenario_at: &(impl Fn(&Export, u64, NaiveDate) -> Result<Scenario> + Sync),
) -> Result<Export> {
    let untimed = |r: &OrderRecord| r.status == Status::Reversed && r.resolved_at.is_none();
    if !plan.export.records.iter().any(untimed) {
        return Ok(plan.export.clone());
    }
    let end = plan.export.as_of.date() + chrono::Days::new(1);
    let clicks = plan.clicks.before(end);
    let sc = engine::in_pool(plan.threads, || scenario_at(&plan.export, clicks, end))??;
    let delays = ReversalDelays::new(&sc, plan.seed);
    let mut export = plan.export.clone();
    let as_of = export.as_of;
    for r in export.records.iter_mut().filter(|r| untimed(r)) {
        let category = sc
            .categories
            .iter()
            .position(|c| c.name == r.category)
            .unwrap_or(0);
        let days = delays.draw(category, plan.seed, key_of(&r.id));
        // Milliseconds of at most `invalid_after_days` (a few hundred days).
        #[allow(clippy::cast_possible_truncation)]
        let after = chrono::Duration::milliseconds((days * 86_400_000.0).round() as i64);
        r.resolved_at = Some((r.paid_at + after).min(as_of));
    }
    Ok(export)
}

/// A number for an order id that is the same on every machine and in every release (FNV-1a).
fn key_of(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Runs a backtest: at every origin, `scenario_at(export as of T, clicks before T, T)`
/// builds the scenario to forecast (fitted from what was known at T), which is opened with
/// the pending and unsettled orders of T and run with the clicks the months after T had.
pub fn run(
    plan: &Plan,
    settlement: Settlement,
    ctl: &Control,
    scenario_at: impl Fn(&Export, u64, NaiveDate) -> Result<Scenario> + Sync,
) -> Result<Backtest> {
    let horizon = plan.horizon as usize;
    let ts = origins(&plan.export, &plan.clicks, plan.horizon, plan.origins)?;
    ctl.add_work(u64::from(plan.trials) * ts.len() as u64);
    let export = &with_reversal_times(plan, &scenario_at)?;
    let first = ts[0] - Months::new(1);
    let span = months_between(first, ts[ts.len() - 1]) + 1 + horizon;
    let all_actual = actuals(export, first, span);
    let mut results = Vec::new();
    let mut currency = String::new();
    for (i, &t) in ts.iter().enumerate() {
        let at_t = as_of(export, t, settlement);
        // The fit's own work runs on as many threads as the trials (`--threads`).
        let clicks = plan.clicks.before(t);
        let mut sc = engine::in_pool(plan.threads, || scenario_at(&at_t, clicks, t))??;
        sc.start = t;
        sc.months = plan.horizon;
        sc.trials = plan.trials;
        sc.seed = plan.seed;
        sc.mixes.clear();
        sc.links = None;
        let days = ((t + Months::new(plan.horizon)) - t).num_days();
        sc.traffic.known_clicks = Some(plan.clicks.daily(t, usize::try_from(days).unwrap_or(0)));
        let pipeline = Pipeline::from_export(&at_t, &sc);
        let ledgers = engine::run_planned(&sc, Some(&pipeline), plan.threads, ctl)?;
        // Month `i + 1` of `all_actual` is this origin's first month; month `i` the naive one.
        let actual = &all_actual[i + 1..i + 1 + horizon];
        results.push(OriginResult {
            origin: t.format("%Y-%m").to_string(),
            orders_before: at_t.records.len(),
            pending: pipeline.pending.len(),
            months: score_origin(t, &ledgers, actual, all_actual[i]),
        });
        currency.clone_from(&sc.currency);
    }
    let count = |status: &[Status]| {
        plan.export
            .records
            .iter()
            .filter(|r| status.contains(&r.status) && r.resolved_at.is_none())
            .count()
    };
    Ok(Backtest {
        scenario: plan.name.clone(),
        currency,
        horizon,
        trials: plan.trials,
        seed: plan.seed,
        scores: scores(&results, horizon),
        origins: results,
        reversed_without_time: count(&[Status::Reversed]),
        confirmed_without_time: count(&[Status::Confirmed, Status::Settled, Status::Held]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::{ReadStats, Source};

    #[test]
    fn an_export_taken_as_of_a_day_is_the_same_borrowed_or_owned() {
        let day = |d: u32| {
            NaiveDate::from_ymd_opt(2027, 3, d)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap()
        };
        let statuses = [
            Status::Pending,
            Status::Confirmed,
            Status::Held,
            Status::Settled,
            Status::Reversed,
        ];
        let records: Vec<OrderRecord> = (0..60u32)
            .map(|i| OrderRecord {
                id: format!("o{i}"),
                id_field: "order_id",
                country: (i % 3 == 0).then(|| "ES".to_string()),
                sub_id: None,
                category: "phones".to_string(),
                status: statuses[i as usize % statuses.len()],
                paid_at: day(1 + i % 20),
                // Some resolved before the cut, some after, some never timed.
                resolved_at: (i % 4 != 0).then(|| day(2 + i % 27)),
                amount: 1_000 + i64::from(i),
                commission: 90,
                rate: Some(0.09),
                hot: None,
                new_buyer: None,
                bonus: 0,
                currency: "USD".to_string(),
            })
            .collect();
        let export = Export {
            source: Source::Generic,
            records,
            currency: "USD".to_string(),
            as_of: day(28),
            read: ReadStats::default(),
            guessed: false,
            empty_windows: 0,
        };
        let t = NaiveDate::from_ymd_opt(2027, 3, 15).unwrap();
        for settlement in [
            Settlement::Monthly { day: 25 },
            Settlement::Daily { lag_days: 2 },
        ] {
            let borrowed = as_of(&export, t, settlement);
            assert!(borrowed.records.len() < export.records.len());
            assert!(borrowed.records.iter().any(|r| r.status == Status::Pending));
            assert!(
                borrowed
                    .records
                    .iter()
                    .any(|r| r.status == Status::Reversed)
            );
            let owned = into_as_of(export.clone(), t, settlement);
            assert_eq!(borrowed.records, owned.records);
            assert_eq!(
                (borrowed.as_of, &borrowed.currency),
                (owned.as_of, &owned.currency)
            );
        }
    }
}
