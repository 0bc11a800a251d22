//! `affcast track`: the monthly loop over the order store. Each import keeps the orders and
//! their histories and the forecast of the next months as they stood; the report shows the
//! months so far, the money in the pipeline now, the nowcast of the months ahead and how the
//! forecasts kept at earlier imports did against what then happened.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

use super::{Outcome, fitted_settlement};
use crate::app::{ForecastJob, RunOptions};
use crate::backtest::{
    self, MetricScores, MonthResult, OriginResult, Point, Scored, months_between,
};
use crate::engine::{self, Control};
use crate::error::Result;
use crate::exports::{Export, Status};
use crate::fit;
use crate::model::Cents;
use crate::model::Scenario;
use crate::pipeline::Pipeline;
use crate::stats::{Band, Forecast};
use crate::store::{self, Imported, Store, StoredForecast};

/// Months forecast at each import, and scored once they have happened.
pub const FORECAST_MONTHS: u32 = 3;
/// Months of the nowcast: the months the money in the pipeline now mostly lands in.
pub const NOWCAST_MONTHS: u32 = 3;
/// Simulated worlds of each forecast kept and of the nowcast unless asked otherwise: enough
/// for 80% bands and for an actual's place among them to the percent, and quick on a store of
/// a million orders a year.
pub const TRIALS: i64 = 200;

/// The hex SHA-256 of some bytes (a file imported, a scenario forecast).
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first month a forecast from statuses as of `t` covers: the month of the day after `t`
/// (an export taken on the last evening of March forecasts April; one of mid-March, March).
pub fn origin_of(t: NaiveDateTime) -> NaiveDate {
    let next = t.date() + chrono::Days::new(1);
    next.with_day(1).expect("day 1 exists")
}

/// The scenario a forecast of the store uses: the user's (text and name), else one fitted on
/// the orders known at `t`.
fn scenario_for(
    known: &Export,
    base: Option<&(String, String)>,
    t: NaiveDate,
) -> Result<(Scenario, String)> {
    match base {
        Some((text, origin)) => Ok((crate::scenario::parse(text, origin)?, text.clone())),
        None => {
            let origin = format!("the store as of {}", t.format("%Y-%m-%d"));
            let fitted = fit::fit(known, &origin, None)?;
            Ok((crate::scenario::parse(&fitted.toml, &origin)?, fitted.toml))
        }
    }
}

/// What a scenario is fitted on when the user gives none: the year of orders before `t`, as
/// they stood then.
fn fit_window(store: &Store, t: NaiveDate, settlement: crate::model::Settlement) -> Result<Export> {
    let (recent, _) = store::as_export(store, Some(t - Months::new(12)))?;
    Ok(backtest::into_as_of(recent, t, settlement))
}

/// The `q`-quantiles of `values` for q = 1%, …, 99%, as the bands take theirs (so the 10th
/// and 90th are the band's p10 and p90).
fn percentiles(values: &mut [f64]) -> Vec<f64> {
    use statrs::statistics::{Data, OrderStatistics};
    let mut data = Data::new(values);
    (1..100)
        .map(|k| data.quantile(f64::from(k) / 100.0))
        .collect()
}

/// Where `actual` falls among a forecast's percentiles: the share of trials below it, read
/// off the 1st–99th percentiles (ties spread evenly over their span).
pub fn pit_of(percentiles: &[f64], actual: f64) -> f64 {
    if percentiles.is_empty() {
        return f64::NAN;
    }
    let below = percentiles.iter().filter(|&&p| p < actual).count() as f64;
    let equal = percentiles.iter().filter(|&&p| p == actual).count() as f64;
    ((below + equal / 2.0) + 0.5) / (percentiles.len() as f64 + 1.0)
}

/// The forecast of the [`FORECAST_MONTHS`] from the origin of an import whose statuses are as
/// of `as_of`, made from the store as it stood then.
pub fn forecast_at(
    store: &Store,
    import_id: i64,
    as_of: NaiveDateTime,
    base: Option<&(String, String)>,
    run: &RunOptions,
    ctl: &Control,
) -> Result<Vec<StoredForecast>> {
    let t = origin_of(as_of);
    let midnight = t.and_hms_opt(0, 0, 0).expect("midnight");
    let open = store::open_at(store, midnight)?;
    // The user's scenario, read once; else one fitted on the year before the origin.
    let given = match base {
        Some((text, origin)) => Some((crate::scenario::parse(text, origin)?, text.clone())),
        None => None,
    };
    let settlement = given
        .as_ref()
        .map_or_else(|| fitted_settlement(&open), |(sc, _)| sc.program.settlement);
    let known = backtest::into_as_of(open, t, settlement);
    let (sc, text) = match given {
        Some(given) => given,
        None => scenario_for(&fit_window(store, t, settlement)?, None, t)?,
    };
    let mut sc = run.apply(sc);
    sc.start = t;
    sc.months = FORECAST_MONTHS;
    sc.mixes.clear();
    sc.traffic.known_clicks = None;
    let pipeline = Pipeline::from_export(&known, &sc);
    ctl.add_work(sc.trials.into());
    let ledgers = engine::run_planned(&sc, Some(&pipeline), run.threads, ctl)?;
    let hash = sha256(text.as_bytes());
    let mut rows = Vec::new();
    let mut values = Vec::with_capacity(ledgers.len());
    for m in 0..FORECAST_MONTHS as usize {
        let month = (t + Months::new(m as u32)).format("%Y-%m").to_string();
        for s in Scored::ALL {
            values.clear();
            values.extend(ledgers.iter().map(|l| l.get(m, s.metric()) as f64));
            let band = Band::of(&mut values).unwrap_or(Band::UNDEFINED);
            rows.push(StoredForecast {
                import_id,
                exported_at: store::time_text(as_of),
                scenario_sha256: hash.clone(),
                seed: sc.seed,
                trials: sc.trials,
                origin: t.format("%Y-%m").to_string(),
                month: month.clone(),
                metric: s.name().to_string(),
                p10: band.p10,
                p50: band.p50,
                p90: band.p90,
                mean: band.mean,
                percentiles: percentiles(&mut values),
            });
        }
    }
    Ok(rows)
}

/// Imports one export into the store and, when it is new, keeps the forecast made from it.
pub fn import(
    store: &mut Store,
    file: &str,
    sha: &str,
    export: &Export,
    base: Option<&(String, String)>,
    run: &RunOptions,
    ctl: &Control,
) -> Result<(Imported, Vec<StoredForecast>)> {
    if let Some((text, origin)) = base {
        let sc = crate::scenario::parse(text, origin)?;
        if sc.currency != export.currency && !export.records.is_empty() {
            return Err(crate::error::Error::input(format!(
                "{file}: amounts in {}, but the scenario \"{}\" counts in {}; amounts are never converted: give the scenario currency = \"{}\" and its amounts in {}",
                export.currency, sc.name, sc.currency, export.currency, export.currency
            )));
        }
    }
    let imported = store::import(store, file, sha, export, &|| ctl.is_cancelled())?;
    let Some(id) = imported.id else {
        return Ok((imported, Vec::new()));
    };
    // A file imported before keeps its forecast; one whose forecast was never kept (the run
    // stopped after the import) gets it now.
    if export.records.is_empty() || (imported.already.is_some() && store.has_forecast(id)?) {
        return Ok((imported, Vec::new()));
    }
    let rows = forecast_at(store, id, export.as_of, base, run, ctl)?;
    store.keep_forecast(&rows)?;
    Ok((imported, rows))
}

/// What one month did, as the store knows it now.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthSoFar {
    /// "YYYY-MM".
    pub month: String,
    /// Orders paid in the month, and their commission.
    pub orders: usize,
    pub earned: Cents,
    /// Commission confirmed in the month (by its confirmation time).
    pub confirmed: Cents,
    /// Commission reversed in the month (by its reversal time, else the month it was paid).
    pub reversed: Cents,
}

/// The money in the pipeline now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenNow {
    pub pending_orders: usize,
    pub pending: Cents,
    /// Confirmed (or held), not yet settled.
    pub unpaid_orders: usize,
    pub unpaid: Cents,
}

/// One metric of one month forecast at one import, against what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    pub import_id: i64,
    pub exported_at: String,
    pub origin: String,
    pub month: String,
    /// Months ahead of the origin, 1-based.
    pub h: usize,
    pub metric: Scored,
    pub point: Point,
}

/// `affcast track`: the store's report.
#[derive(Debug, Clone)]
pub struct Track {
    pub store: String,
    pub network: String,
    pub currency: String,
    /// The latest time of any import.
    pub as_of: String,
    pub imports: usize,
    pub months: Vec<MonthSoFar>,
    pub pipeline: OpenNow,
    pub nowcast: Forecast,
    /// The forecasts kept at earlier imports, for months that have happened.
    pub forecast_vs_actual: Vec<Scoring>,
    pub scores: Vec<MetricScores>,
    /// Confirmations and reversals without a time in any export, timed by the downloads
    /// around them.
    pub inferred_times: usize,
}

/// Every month from the first payment to the month of `as_of`, with the store's totals.
fn months_so_far(
    totals: &std::collections::BTreeMap<String, store::MonthTotals>,
    as_of: NaiveDateTime,
) -> Vec<MonthSoFar> {
    let month_of = |s: &str| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok();
    let Some(first) = totals.keys().next().and_then(|m| month_of(m)) else {
        return Vec::new();
    };
    let n = months_between(first, as_of.date()) + 1;
    (0..n)
        .map(|m| {
            let month = (first + Months::new(m as u32)).format("%Y-%m").to_string();
            let t = totals.get(&month).cloned().unwrap_or_default();
            MonthSoFar {
                month,
                orders: t.orders,
                earned: t.earned,
                confirmed: t.confirmed,
                reversed: t.reversed,
            }
        })
        .collect()
}

impl OpenNow {
    /// The open orders of an export counted: pending, and confirmed or held not yet paid.
    pub fn of(export: &Export) -> OpenNow {
        let mut o = OpenNow {
            pending_orders: 0,
            pending: 0,
            unpaid_orders: 0,
            unpaid: 0,
        };
        for r in &export.records {
            match r.status {
                Status::Pending => {
                    o.pending_orders += 1;
                    o.pending += r.commission;
                }
                Status::Confirmed | Status::Held => {
                    o.unpaid_orders += 1;
                    o.unpaid += r.commission;
                }
                _ => {}
            }
        }
        o
    }
}

/// The kept forecasts of months that have happened, each against its actual.
fn scored(
    totals: &std::collections::BTreeMap<String, store::MonthTotals>,
    as_of: NaiveDateTime,
    kept: &[StoredForecast],
) -> (Vec<Scoring>, Vec<MetricScores>) {
    let month_of = |s: &str| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok();
    let Some(first) = kept.iter().filter_map(|f| month_of(&f.origin)).min() else {
        return (Vec::new(), backtest::scores(&[], FORECAST_MONTHS as usize));
    };
    let first = first - Months::new(1);
    let done = |month: NaiveDate| {
        as_of
            >= (month + Months::new(1))
                .and_hms_opt(0, 0, 0)
                .expect("midnight")
    };
    let span = months_between(first, as_of.date()) + 1;
    let actual: Vec<[f64; 3]> = (0..span)
        .map(|m| {
            let label = (first + Months::new(m as u32)).format("%Y-%m").to_string();
            let t = totals.get(&label).cloned().unwrap_or_default();
            [t.orders as f64, t.earned as f64, t.confirmed as f64]
        })
        .collect();
    let mut scorings = Vec::new();
    let mut origins: Vec<OriginResult> = Vec::new();
    let mut by_import: Vec<i64> = kept.iter().map(|f| f.import_id).collect();
    by_import.dedup();
    for id in by_import {
        let rows: Vec<&StoredForecast> = kept.iter().filter(|f| f.import_id == id).collect();
        let Some(origin) = rows.first().and_then(|f| month_of(&f.origin)) else {
            continue;
        };
        let naive = actual[months_between(first, origin) - 1];
        let mut months = Vec::new();
        for h in 0..FORECAST_MONTHS as usize {
            let month = origin + Months::new(h as u32);
            if !done(month) {
                continue;
            }
            let label = month.format("%Y-%m").to_string();
            let i = months_between(first, month);
            let mut points = Vec::new();
            for (k, s) in Scored::ALL.iter().enumerate() {
                let Some(f) = rows
                    .iter()
                    .find(|f| f.month == label && f.metric == s.name())
                else {
                    continue;
                };
                let point = Point {
                    actual: actual[i][k],
                    band: Band {
                        mean: f.mean,
                        p10: f.p10,
                        p50: f.p50,
                        p90: f.p90,
                    },
                    pit: pit_of(&f.percentiles, actual[i][k]),
                    naive: naive[k],
                };
                scorings.push(Scoring {
                    import_id: id,
                    exported_at: f.exported_at.clone(),
                    origin: f.origin.clone(),
                    month: label.clone(),
                    h: h + 1,
                    metric: *s,
                    point: point.clone(),
                });
                points.push(point);
            }
            if points.len() == Scored::ALL.len() {
                months.push(MonthResult {
                    month: label,
                    h: h + 1,
                    points,
                });
            }
        }
        origins.push(OriginResult {
            origin: origin.format("%Y-%m").to_string(),
            orders_before: 0,
            pending: 0,
            months,
        });
    }
    let scores = backtest::scores(&origins, FORECAST_MONTHS as usize);
    (scorings, scores)
}

/// `affcast track`: the months so far, the pipeline now, the nowcast of the next
/// [`NOWCAST_MONTHS`] (opened with the store's open orders, from the user's scenario or one
/// fitted on the store) and the kept forecasts against what happened.
pub fn report(
    store: &Store,
    base: Option<&(String, String)>,
    run: &RunOptions,
    ctl: &Control,
) -> Result<Outcome<Track>> {
    let store::Standing {
        open: now,
        months: totals,
        inferred,
    } = store::standing(store)?;
    let as_of = now.as_of;
    let start = (as_of.date().with_day(1).expect("day 1")) + Months::new(1);
    let (mut sc, _) = match base {
        Some(_) => scenario_for(&now, base, start)?,
        None => {
            let (recent, _) = store::as_export(store, Some(start - Months::new(12)))?;
            scenario_for(&recent, None, start)?
        }
    };
    sc.start = start;
    sc.months = NOWCAST_MONTHS;
    sc.mixes.clear();
    let open = &now;
    if sc.currency != open.currency && !open.records.is_empty() {
        return Err(crate::error::Error::input(format!(
            "the scenario \"{}\" counts in {}, the store's orders are in {}; amounts are never converted: give the scenario currency = \"{}\" and its amounts in {}",
            sc.name, sc.currency, open.currency, open.currency, open.currency
        )));
    }
    let job = ForecastJob::new(sc, Some(open), *run)?;
    let nowcast = super::forecast(&job, ctl)?;
    let kept = store.forecasts()?;
    let (forecast_vs_actual, scores) = scored(&totals, as_of, &kept);
    Ok(Outcome {
        value: Track {
            store: store.path.display().to_string(),
            network: crate::choice::Choice::name(now.source).to_string(),
            currency: now.currency.clone(),
            as_of: store::time_text(as_of),
            imports: store.imports()?.len(),
            months: months_so_far(&totals, as_of),
            pipeline: OpenNow::of(open),
            nowcast: nowcast.value,
            forecast_vs_actual,
            scores,
            inferred_times: inferred,
        },
        notes: nowcast.notes,
    })
}
