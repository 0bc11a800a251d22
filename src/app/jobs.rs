//! Checked jobs: what a front end asks for, every value checked once, on the way in.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::engine::{self, Work};
use crate::error::{Error, Result};
use crate::exports::{Export, ReadStats};
use crate::model::Scenario;
use crate::pipeline::Pipeline;
use crate::scenario::Provenance;
use crate::scenario::limits::{MAX_MONTHS, MAX_TRIALS};
use crate::stats::Objective;

/// How many trials, which seed, how many months and threads; checked.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunOptions {
    trials: Option<u32>,
    seed: Option<u64>,
    months: Option<u32>,
    /// Worker threads; 0 = one per core. Results do not depend on it.
    pub threads: usize,
    /// Run even when the estimated work is absurd.
    pub force: bool,
    /// The longest a run may be estimated to take before it is refused, seconds: half an
    /// hour unless a front end asks for less (the page asks a minute of its quick runs).
    pub max_seconds: f64,
}

/// The longest run, in estimated seconds, that is started without `force`.
pub const MAX_RUN_SECONDS: f64 = 30.0 * 60.0;

impl RunOptions {
    /// Checks the overrides a user gave (`--trials`, `--seed`, `--months`).
    #[allow(clippy::cast_possible_truncation)] // checked against 1..=max just above, which fits in u32
    pub fn new(
        trials: Option<i64>,
        seed: Option<u64>,
        months: Option<i64>,
        threads: usize,
        force: bool,
    ) -> Result<RunOptions> {
        let check = |flag: &str, v: Option<i64>, max: i64| -> Result<Option<u32>> {
            match v {
                Some(x) if !(1..=max).contains(&x) => Err(Error::input(format!(
                    "--{flag}: {x} is out of range (1..={max})"
                ))),
                Some(x) => Ok(Some(x as u32)),
                None => Ok(None),
            }
        };
        Ok(RunOptions {
            trials: check("trials", trials, MAX_TRIALS)?,
            months: check("months", months, MAX_MONTHS)?,
            seed,
            threads,
            force,
            max_seconds: MAX_RUN_SECONDS,
        })
    }

    /// The same options, refusing runs estimated at more than `seconds` (at most
    /// [`MAX_RUN_SECONDS`]).
    pub fn within(mut self, seconds: f64) -> RunOptions {
        self.max_seconds = seconds.clamp(1.0, MAX_RUN_SECONDS);
        self
    }

    /// The scenario with these overrides applied.
    pub fn apply(&self, mut sc: Scenario) -> Scenario {
        if let Some(t) = self.trials {
            sc.trials = t;
        }
        if let Some(m) = self.months {
            sc.months = m;
        }
        if let Some(s) = self.seed {
            sc.seed = s;
        }
        sc
    }
}

/// A forecast of one scenario, opened by an export's open orders if any.
#[derive(Debug, Clone)]
pub struct ForecastJob {
    pub scenario: Scenario,
    pub pipeline: Option<Pipeline>,
    /// The export's last time, when the pipeline came from one.
    pub export_as_of: Option<NaiveDate>,
    /// How the export's files were read (files, rows, rows merged).
    pub export_read: Option<ReadStats>,
    /// The export's kind, when it was detected rather than given.
    pub export_detected: Option<crate::exports::Source>,
    pub run: RunOptions,
}

impl ForecastJob {
    /// A forecast of `scenario`, opened by the open orders of `export` if any. An export in
    /// another currency than the scenario's is refused: amounts are never converted.
    pub fn new(
        scenario: Scenario,
        export: Option<&Export>,
        run: RunOptions,
    ) -> Result<ForecastJob> {
        let scenario = run.apply(scenario);
        let pipeline = export.map(|e| opening(e, &scenario)).transpose()?;
        Ok(ForecastJob {
            pipeline,
            export_as_of: export.map(|e| e.as_of.date()),
            export_read: export.map(|e| e.read),
            export_detected: export.filter(|e| e.guessed).map(|e| e.source),
            scenario,
            run,
        })
    }
}

/// The open orders of `export` opening a forecast of `scenario`; an export in another
/// currency than the scenario's is refused: amounts are never converted.
fn opening(export: &Export, scenario: &Scenario) -> Result<Pipeline> {
    if export.currency != scenario.currency {
        return Err(Error::input(format!(
            "--pipeline: the export's amounts are in {}, but scenario \"{}\" counts in {}; amounts are never converted: give the scenario currency = \"{}\" (and its amounts in {}), or use an export in {}",
            export.currency,
            scenario.name,
            scenario.currency,
            export.currency,
            export.currency,
            scenario.currency
        )));
    }
    Ok(Pipeline::from_export(export, scenario))
}

/// What each job will cost, estimated before it runs: the commands refuse an absurd one,
/// and the server admits a job only if its memory fits what is left of its budget.
impl ForecastJob {
    pub fn work(&self) -> Work {
        engine::estimate(&self.scenario, 1, self.run.threads, true)
    }
}

impl CompareJob {
    pub fn work(&self) -> Work {
        engine::estimate(
            &self.variants[0].1,
            self.variants.len(),
            self.run.threads,
            false,
        )
    }
}

impl SensitivityJob {
    pub fn work(&self) -> Work {
        let sc = &self.scenario;
        let variants = crate::sensitivity::variants(sc, self.swing.get());
        engine::estimate(sc, variants, self.run.threads, false)
    }
}

impl ReportJob {
    /// The forecast's ledgers, then the mixes' figures (the base and each mix).
    pub fn work(&self) -> Work {
        let sc = &self.scenario;
        let forecast = engine::estimate(sc, 1, self.run.threads, true);
        if sc.mixes.is_empty() {
            forecast
        } else {
            forecast + engine::estimate(sc, 1 + sc.mixes.len(), self.run.threads, false)
        }
    }
}

/// Variants compared on common random numbers: a scenario's mixes, or whole scenarios.
#[derive(Debug, Clone)]
pub struct CompareJob {
    pub variants: Vec<(String, Scenario)>,
    pub objective: Objective,
    pub run: RunOptions,
    /// Figures shown after the usual ones (`days_to_bank` when programs are compared).
    pub extra: Vec<crate::stats::SummaryMetric>,
}

impl CompareJob {
    /// The base mix of `sc` and each of its `[mixes]` (or only those named).
    pub fn mixes(
        sc: Scenario,
        names: &[String],
        objective: Objective,
        run: RunOptions,
    ) -> Result<CompareJob> {
        let sc = run.apply(sc);
        Ok(CompareJob {
            variants: crate::compare::mix_variants(&sc, names)?,
            objective,
            run,
            extra: Vec::new(),
        })
    }

    /// Whole scenarios, named by their files; they must cover the same months.
    pub fn scenarios(
        files: Vec<(String, Scenario)>,
        objective: Objective,
        run: RunOptions,
    ) -> Result<CompareJob> {
        let mut variants: Vec<(String, Scenario)> = Vec::new();
        for (name, sc) in files {
            let sc = run.apply(sc);
            if let Some((first_name, first)) = variants.first()
                && (sc.start != first.start || sc.months != first.months)
            {
                return Err(Error::input(format!(
                    "{name}: starts {} for {} months, but {first_name} starts {} for {} months; compared scenarios need the same horizon (use --months)",
                    sc.start.format("%Y-%m"),
                    sc.months,
                    first.start.format("%Y-%m"),
                    first.months
                )));
            }
            variants.push((name, sc));
        }
        Ok(CompareJob {
            variants,
            objective,
            run,
            extra: Vec::new(),
        })
    }
}

/// A relative swing of inputs given as plain numbers, strictly between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Swing(f64);

impl Swing {
    pub fn new(swing: f64) -> Result<Swing> {
        if swing > 0.0 && swing < 1.0 {
            Ok(Swing(swing))
        } else {
            Err(Error::input(format!(
                "--swing: {swing} is not a relative swing (0 < swing < 1)"
            )))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// A one-at-a-time sweep of a scenario's inputs.
#[derive(Debug, Clone)]
pub struct SensitivityJob {
    pub scenario: Scenario,
    pub swing: Swing,
    pub objective: Objective,
    pub run: RunOptions,
}

impl SensitivityJob {
    pub fn new(
        scenario: Scenario,
        swing: Swing,
        objective: Objective,
        run: RunOptions,
    ) -> SensitivityJob {
        SensitivityJob {
            scenario: run.apply(scenario),
            swing,
            objective,
            run,
        }
    }
}

/// The HTML report of a scenario, with where each of its values came from.
#[derive(Debug, Clone)]
pub struct ReportJob {
    pub scenario: Scenario,
    pub provenance: Provenance,
    /// What the mixes are judged on.
    pub objective: Objective,
    pub run: RunOptions,
    /// Open orders of an export opening the forecast (not the mixes), if any.
    pub pipeline: Option<Pipeline>,
}

impl ReportJob {
    pub fn new(
        scenario: Scenario,
        provenance: Provenance,
        objective: Objective,
        run: RunOptions,
    ) -> ReportJob {
        ReportJob {
            scenario: run.apply(scenario),
            provenance,
            objective,
            run,
            pipeline: None,
        }
    }

    /// The same report, its forecast opened by the open orders of `export`.
    pub fn opened_by(mut self, export: &Export) -> Result<ReportJob> {
        self.pipeline = Some(opening(export, &self.scenario)?);
        Ok(self)
    }
}

/// A scenario estimated from an export.
#[derive(Debug, Clone)]
pub struct FitJob {
    pub export: Export,
    /// The export's name, for the fitted file's comments.
    pub origin: String,
    /// Clicks over the export's period: a total, maybe per sub-ID and day.
    pub clicks: Option<crate::exports::Clicks>,
    /// A breakdown of the orders to add, if any.
    pub by: Option<crate::fit::groups::By>,
}

impl FitJob {
    /// A fit of `export`, its categories named by `names` (category id → name) and, for
    /// AliExpress, by the top-level category table.
    pub fn new(
        mut export: Export,
        origin: String,
        clicks: Option<crate::exports::Clicks>,
        names: &BTreeMap<String, String>,
        by: Option<crate::fit::groups::By>,
    ) -> FitJob {
        export.name_categories(names);
        FitJob {
            export,
            origin,
            clicks,
            by,
        }
    }
}

/// A backtest of the forecast on a site's own past orders and clicks.
#[derive(Debug, Clone)]
pub struct BacktestJob {
    /// What the backtest is of (the export's file names), for headings.
    pub name: String,
    /// The whole export, its categories named.
    pub export: Export,
    /// Clicks by day or month over the export's period.
    pub clicks: crate::exports::Clicks,
    /// A scenario supplying what an export cannot tell (program rules, events), as text and
    /// its name; `None`: the fitted scenario alone.
    pub base: Option<(String, String)>,
    /// Months forecast from each origin, 1..=12.
    pub horizon: u32,
    /// Origins, 1..=36.
    pub origins: u32,
    pub trials: u32,
    pub seed: u64,
    pub threads: usize,
}

impl BacktestJob {
    /// Checks the horizon, the number of origins and the clicks (by day or month, not one
    /// total); names the export's categories as `fit` does.
    #[allow(clippy::too_many_arguments)] // every flag of the command, checked here once
    pub fn new(
        mut export: Export,
        clicks: crate::exports::Clicks,
        base: Option<(String, String)>,
        horizon: i64,
        origins: i64,
        run: &RunOptions,
    ) -> Result<BacktestJob> {
        let check = |flag: &str, v: i64, max: i64| -> Result<u32> {
            u32::try_from(v)
                .ok()
                .filter(|&x| (1..=max).contains(&i64::from(x)))
                .ok_or_else(|| Error::input(format!("--{flag}: {v} is out of range (1..={max})")))
        };
        let horizon = check("horizon", horizon, 12)?;
        let origins = check("origins", origins, 36)?;
        if clicks.by_day.is_empty() {
            return Err(Error::input(
                "--clicks: a backtest needs clicks per day or month (a CSV with `date` or `month` and `clicks`), not one total: each origin is forecast with the clicks its months actually had",
            ));
        }
        if let Some((text, origin)) = &base {
            // Refused now, not at the first origin.
            crate::scenario::parse(text, origin)?;
        }
        export.name_categories(&BTreeMap::new());
        Ok(BacktestJob {
            name: "the export".into(),
            export,
            clicks,
            base,
            horizon,
            origins,
            trials: run.trials.unwrap_or(1000),
            seed: run.seed.unwrap_or(42),
            threads: run.threads,
        })
    }
}
