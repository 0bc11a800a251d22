//! The app layer: one service function per command, between any front end (the command
//! line, a local web page) and the engine.
//!
//! A front end turns what the user gave into a checked job (`*Job::new` refuses a bad value
//! with a bad-input error, so the core never re-checks one), calls the service with a
//! [`Control`] (progress callback, cancel flag), and renders the typed result and its
//! [`Note`]s. Nothing here prints.

mod jobs;
pub mod programs;
pub mod track;

use chrono::NaiveDate;

use crate::advice;
use crate::backtest::{self, Backtest};
use crate::compare::{self, Comparison};
use crate::engine::{self, Control};
use crate::error::{Error, Result, TooMuchWork, WorkDriver};
use crate::exports::ReadStats;
use crate::fit::{self, Fit};
use crate::ledger::TrialLedger;
use crate::model::Scenario;
use crate::pipeline::Pipeline;
use crate::refresh;
use crate::scenario::provenance::{self, Assumption};
use crate::sensitivity::{self, Sensitivity};
use crate::stats::{self, Forecast};

pub use jobs::{
    BacktestJob, CompareJob, FitJob, ForecastJob, ReportJob, RunOptions, SensitivityJob, Swing,
};

/// Something the user should know about a result that is not part of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// The export behind `--pipeline` runs past the forecast's first month.
    ExportPastStart { as_of: NaiveDate, start: NaiveDate },
    /// The export behind `--pipeline` ends well before the forecast starts.
    ExportBeforeStart { as_of: NaiveDate, start: NaiveDate },
    /// What `fit` estimated and what it could not.
    Fitted(Box<crate::fit::Estimate>),
    /// Several files, or an order seen more than once, were read as one export.
    Merged { read: ReadStats, orders: usize },
    /// The export's kind was detected from its fields, not given.
    Detected(crate::exports::Source),
    /// Orders without a payment time, whose creation time stands for it.
    PaidFromCreated(usize),
    /// Amazon returns netted against their shipments, or without a shipment in the report.
    Returns(crate::exports::Returns),
    /// A backtest's orders whose outcome has no time: reversed ones are given a drawn time,
    /// confirmed ones are pending at every origin.
    UntimedOutcomes { reversed: usize, confirmed: usize },
}

/// An export that ends more than this many days before the forecast starts is stale: what
/// happened to its orders in between is unknown.
pub const STALE_EXPORT_DAYS: u64 = 31;

/// A result and the notes that go with it.
#[derive(Debug, Clone)]
pub struct Outcome<T> {
    pub value: T,
    pub notes: Vec<Note>,
}

/// Runs every trial of a scenario, opened by an observed pipeline if any, and returns the
/// bands with withdrawal advice, and the per-trial ledgers (in trial order).
pub fn run_forecast(
    sc: &Scenario,
    pipeline: Option<&Pipeline>,
    threads: usize,
    ctl: &Control,
) -> Result<(Forecast, Vec<TrialLedger>)> {
    let thresholds = advice::thresholds(&sc.program);
    let runs = engine::run_with_payouts(sc, pipeline, threads, ctl, &thresholds)?;
    let (mut trials, mut payouts, mut links) = (Vec::new(), Vec::new(), Vec::new());
    for run in runs {
        trials.push(run.ledger);
        payouts.push(run.payouts);
        links.extend(run.links);
    }
    let labels = sc.calendar().labels;
    let mut fc = Forecast::from_trials(sc, pipeline, labels, &trials);
    fc.advice = Some(advice::advise(&sc.program, &thresholds, &payouts));
    if let Some(l) = &sc.links {
        let by_trial: Vec<&engine::TrialLinks> = links.iter().collect();
        fc.refresh = refresh::advise(&by_trial, sc.months, l.refresh_cost);
        fc.dead_link_share = Some(stats::bands_by_month(
            sc.months as usize,
            &by_trial,
            |t, m| t.dead_link_share[m],
        ));
    }
    Ok((fc, trials))
}

/// `affcast forecast`.
pub fn forecast(job: &ForecastJob, ctl: &Control) -> Result<Outcome<Forecast>> {
    let sc = &job.scenario;
    let mut notes = Vec::new();
    if let Some(source) = job.export_detected {
        notes.push(Note::Detected(source));
    }
    if let (Some(read), Some(p)) = (job.export_read, &job.pipeline)
        && (read.files > 1 || read.merged > 0)
    {
        notes.push(Note::Merged {
            read,
            orders: p.pending.len() + p.unsettled_orders as usize + p.skipped as usize,
        });
    }
    if let Some(as_of) = job.export_as_of {
        if as_of >= sc.start + chrono::Months::new(1) {
            notes.push(Note::ExportPastStart {
                as_of,
                start: sc.start,
            });
        } else if as_of + chrono::Days::new(STALE_EXPORT_DAYS) < sc.start {
            notes.push(Note::ExportBeforeStart {
                as_of,
                start: sc.start,
            });
        }
    }
    check_work(sc, 1, job.work(), &job.run)?;
    let (value, _) = run_forecast(sc, job.pipeline.as_ref(), job.run.threads, ctl)?;
    Ok(Outcome { value, notes })
}

/// `affcast compare`.
pub fn compare(job: &CompareJob, ctl: &Control) -> Result<Comparison> {
    check_work(&job.variants[0].1, job.variants.len(), job.work(), &job.run)?;
    compare::compare_with(
        job.variants.clone(),
        job.objective,
        &job.extra,
        job.run.threads,
        ctl,
    )
}

/// `affcast sensitivity`.
pub fn sensitivity(job: &SensitivityJob, ctl: &Control) -> Result<Sensitivity> {
    let sc = &job.scenario;
    let swing = job.swing.get();
    check_work(sc, sensitivity::variants(sc, swing), job.work(), &job.run)?;
    sensitivity::sensitivity(sc, swing, job.objective, sc.trials, job.run.threads, ctl)
}

/// What `affcast report` shows: the forecast, the mixes compared, and every assumption.
#[derive(Debug, Clone)]
pub struct Report {
    pub forecast: Forecast,
    /// The base mix and each of `[mixes]`, compared, with their click shares.
    pub mixes: Option<Mixes>,
    pub assumptions: Vec<Assumption>,
}

/// The mixes compared, with each one's click shares by category (base first).
#[derive(Debug, Clone)]
pub struct Mixes {
    pub comparison: Comparison,
    /// Per variant, (category, share of clicks).
    pub shares: Vec<Vec<(String, f64)>>,
}

/// `affcast report`.
pub fn report(job: &ReportJob, ctl: &Control) -> Result<Report> {
    let sc = &job.scenario;
    check_work(sc, 1 + sc.mixes.len(), job.work(), &job.run)?;
    let (forecast, _) = run_forecast(sc, job.pipeline.as_ref(), job.run.threads, ctl)?;
    let mixes = if sc.mixes.is_empty() {
        None
    } else {
        let variants = compare::mix_variants(sc, &[])?;
        let shares = variants
            .iter()
            .map(|(_, v)| {
                v.categories
                    .iter()
                    .map(|c| (c.name.clone(), c.share))
                    .collect()
            })
            .collect();
        let comparison = compare::compare(variants, job.objective, job.run.threads, ctl)?;
        Some(Mixes { comparison, shares })
    };
    Ok(Report {
        forecast,
        mixes,
        assumptions: provenance::assumptions(sc, &job.provenance),
    })
}

/// What `fit` produced: the scenario and, when asked, the orders per group.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub fit: Fit,
    pub breakdown: Option<fit::groups::Breakdown>,
}

/// `affcast fit`; stops with [`Error::Cancelled`] between its steps once `ctl` says so.
pub fn fit(job: &FitJob, ctl: &Control) -> Result<Outcome<Fitted>> {
    ctl.check()?;
    let total = job.clicks.as_ref().map(|c| c.total);
    let fitted = fit::fit(&job.export, &job.origin, total)?;
    ctl.check()?;
    let mut notes = Vec::new();
    if job.export.guessed {
        notes.push(Note::Detected(job.export.source));
    }
    let read = job.export.read;
    if read.paid_from_created > 0 {
        notes.push(Note::PaidFromCreated(read.paid_from_created));
    }
    if read.returns != crate::exports::Returns::default() {
        notes.push(Note::Returns(read.returns));
    }
    if read.files > 1 || read.merged > 0 {
        notes.push(Note::Merged {
            read,
            orders: job.export.records.len(),
        });
    }
    notes.push(Note::Fitted(Box::new(fitted.estimate.clone())));
    let breakdown = job
        .by
        .map(|by| fit::groups::breakdown(&job.export, by, job.clicks.as_ref()));
    Ok(Outcome {
        value: Fitted {
            fit: fitted,
            breakdown,
        },
        notes,
    })
}

/// `affcast backtest`: at each origin the export as it stood then is fitted (over the base
/// scenario, if any) and forecast with the clicks that followed.
pub fn backtest(job: &BacktestJob, ctl: &Control) -> Result<Outcome<Backtest>> {
    let plan = backtest::Plan {
        name: job.name.clone(),
        export: job.export.clone(),
        clicks: job.clicks.clone(),
        horizon: job.horizon,
        origins: job.origins,
        trials: job.trials,
        seed: job.seed,
        threads: job.threads,
    };
    let base = job
        .base
        .as_ref()
        .map(|(text, origin)| crate::scenario::parse(text, origin))
        .transpose()?;
    let settlement = base
        .as_ref()
        .map_or_else(|| fitted_settlement(&job.export), |b| b.program.settlement);
    let value = backtest::run(&plan, settlement, ctl, |at_t, clicks, t| {
        let origin = format!("the export as of {}", t.format("%Y-%m-%d"));
        let fitted = fit::fit(at_t, &origin, Some(clicks))?;
        let text = match &job.base {
            Some((base, _)) => over_base(&fitted.toml, base)?,
            None => fitted.toml,
        };
        crate::scenario::parse(&text, &origin)
    })?;
    let mut notes = Vec::new();
    if job.export.guessed {
        notes.push(Note::Detected(job.export.source));
    }
    if job.export.read.paid_from_created > 0 {
        notes.push(Note::PaidFromCreated(job.export.read.paid_from_created));
    }
    if value.reversed_without_time > 0 || value.confirmed_without_time > 0 {
        notes.push(Note::UntimedOutcomes {
            reversed: value.reversed_without_time,
            confirmed: value.confirmed_without_time,
        });
    }
    Ok(Outcome { value, notes })
}

/// The settlement of the preset `fit` chooses for an export.
pub(crate) fn fitted_settlement(export: &crate::exports::Export) -> crate::model::Settlement {
    match export.source {
        crate::exports::Source::Admitad => crate::model::Settlement::Daily { lag_days: 2 },
        _ => crate::model::Settlement::Monthly { day: 25 },
    }
}

/// A fitted scenario over a base one: the base's program rules with the fitted estimates on
/// top, the fitted traffic, regions and categories; the base's events stay. Mixes (they name
/// the base's categories) and links (the fitted conversion already shows dead links) go.
fn over_base(fitted: &str, base: &str) -> Result<String> {
    let parse = |t: &str| {
        t.parse::<toml::Table>()
            .map_err(|e| Error::Other(format!("a scenario that validated does not parse: {e}")))
    };
    let fitted = parse(fitted)?;
    let mut merged = parse(base)?;
    let mut program = match merged.remove("program") {
        Some(toml::Value::Table(t)) => t,
        _ => toml::Table::new(),
    };
    if let Some(toml::Value::Table(fp)) = fitted.get("program") {
        for (k, v) in fp {
            if k != "preset" || !program.contains_key("preset") {
                program.insert(k.clone(), v.clone());
            }
        }
    }
    merged.insert("program".into(), toml::Value::Table(program));
    for key in ["traffic", "regions", "categories"] {
        match fitted.get(key) {
            Some(v) => merged.insert(key.into(), v.clone()),
            None => merged.remove(key),
        };
    }
    merged.remove("mixes");
    merged.remove("links");
    toml::to_string(&merged).map_err(|e| Error::Other(format!("cannot write the scenario: {e}")))
}

/// A valid scenario in one line (`affcast validate`).
pub fn describe(sc: &Scenario) -> String {
    let cal = sc.calendar();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "\"{}\", {} months from {}, {}, {}, {}, {}, preset {}, {} trials",
        sc.name,
        sc.months,
        cal.labels[0],
        plural(sc.categories.len(), "category", "categories"),
        plural(sc.regions.len(), "region", "regions"),
        plural(sc.events.len(), "event", "events"),
        plural(sc.mixes.len(), "mix", "mixes"),
        sc.preset.name(),
        sc.trials
    )
}

/// Refuses a run whose estimated work `w` (of `variants` variants of `sc`) is absurd, unless
/// forced.
fn check_work(sc: &Scenario, variants: usize, w: engine::Work, run: &RunOptions) -> Result<()> {
    const MAX_BYTES: f64 = 8e9;
    let absurd = !w.buyers.is_finite() || w.seconds > run.max_seconds || w.bytes > MAX_BYTES;
    if absurd && !run.force {
        let growth = sc.traffic.growth_over(sc.months);
        let clicks_per_month = sc.traffic.clicks_per_month.central();
        let driver = if growth > 10.0 {
            WorkDriver::Growth {
                monthly_growth: sc.traffic.monthly_growth.central(),
                factor: growth,
                from: clicks_per_month,
            }
        } else {
            WorkDriver::Clicks {
                clicks_per_month,
                months: sc.months,
            }
        };
        return Err(Error::Work(Box::new(TooMuchWork {
            scenario: sc.name.clone(),
            buyers: w.buyers,
            seconds: w.seconds,
            bytes: w.bytes,
            trials: u64::from(sc.trials),
            variants,
            driver,
        })));
    }
    Ok(())
}
