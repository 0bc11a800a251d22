//! affcast: a Monte Carlo forecast of affiliate commissions — pending, confirmed, payable and
//! cash in the bank, month by month — for AliExpress-style programs.
//!
//! Data flows one way: scenario file → [`scenario`] (raw, then checked into a
//! [`model::Scenario`]) → [`engine`] (one consistent world per trial, trials in parallel) →
//! [`ledger`] (monthly accounts per trial) → [`stats`] (bands across trials) → [`report`].

pub mod cli;
pub mod engine;
pub mod error;
pub mod ledger;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod stats;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{Cli, Command, ForecastArgs};
pub use error::{Error, Result};
use ledger::TrialLedger;
use model::{Preset, Scenario};
use report::Format;
use stats::Forecast;

/// Runs every trial and returns the bands and the per-trial ledgers (in trial order).
pub fn forecast(
    sc: &Scenario,
    threads: usize,
    progress: &ProgressBar,
) -> Result<(Forecast, Vec<TrialLedger>)> {
    let trials = engine::run(sc, threads, progress)?;
    let labels = sc.calendar().labels;
    Ok((Forecast::from_trials(sc, labels, &trials), trials))
}

/// Runs one command of the binary.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Forecast(args) => run_forecast(args),
        Command::Validate { scenario } => {
            let sc = scenario::load(&scenario)?;
            output::print(&format!("ok: {}: {}\n", scenario.display(), describe(&sc)))
        }
        Command::Init { preset } => {
            let preset = Preset::from_name(&preset)
                .ok_or_else(|| Error::input(format!("--preset: \"{preset}\" is not a preset")))?;
            output::print(&scenario::starter_file(preset))
        }
    }
}

/// One line about a valid scenario.
fn describe(sc: &Scenario) -> String {
    let cal = sc.calendar();
    format!(
        "\"{}\", {} months from {}, {} categor{}, {} region{}, {} event{}, {} mix{}, preset {}, {} trials",
        sc.name,
        sc.months,
        cal.labels[0],
        sc.categories.len(),
        if sc.categories.len() == 1 { "y" } else { "ies" },
        sc.regions.len(),
        if sc.regions.len() == 1 { "" } else { "s" },
        sc.events.len(),
        if sc.events.len() == 1 { "" } else { "s" },
        sc.mixes.len(),
        if sc.mixes.len() == 1 { "" } else { "es" },
        sc.preset.name(),
        sc.trials
    )
}

fn run_forecast(args: ForecastArgs) -> Result<()> {
    let mut sc = match &args.scenario {
        Some(path) => scenario::load(path)?,
        None => {
            let sc = scenario::builtin();
            eprintln!(
                "affcast: no scenario file given; forecasting the built-in default scenario \"{}\" \
                 (start your own with `affcast init > my-site.toml`)",
                sc.name
            );
            sc
        }
    };
    apply_overrides(&mut sc, &args)?;
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_extension))
        .unwrap_or(if args.output.is_none() && !output::stdout_is_terminal() {
            Format::Json
        } else {
            Format::Table
        });

    let progress =
        ProgressBar::with_draw_target(Some(sc.trials as u64), ProgressDrawTarget::stderr());
    progress.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} trials {wide_bar} {eta}")
            .expect("the template is valid"),
    );
    let (fc, _) = forecast(&sc, args.threads, &progress)?;
    progress.finish_and_clear();

    let text = report::exporter(format).render(&fc);
    match &args.output {
        Some(path) => output::write_atomically(path, &text),
        None => output::print(&text),
    }
}

fn apply_overrides(sc: &mut Scenario, args: &ForecastArgs) -> Result<()> {
    use scenario::limits::{MAX_MONTHS, MAX_TRIALS};
    if let Some(t) = args.trials {
        if !(1..=MAX_TRIALS).contains(&t) {
            return Err(Error::input(format!(
                "--trials: {t} is out of range (1..={MAX_TRIALS})"
            )));
        }
        sc.trials = t as u32;
    }
    if let Some(m) = args.months {
        if !(1..=MAX_MONTHS).contains(&m) {
            return Err(Error::input(format!(
                "--months: {m} is out of range (1..={MAX_MONTHS})"
            )));
        }
        sc.months = m as u32;
    }
    if let Some(s) = args.seed {
        sc.seed = s;
    }
    Ok(())
}
