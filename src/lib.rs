//! affcast: a Monte Carlo forecast of affiliate commissions — pending, confirmed, payable and
//! cash in the bank, month by month — for AliExpress-style programs.
//!
//! Data flows one way: scenario file → [`scenario`] (raw, then checked into a
//! [`model::Scenario`]) → [`engine`] (one consistent world per trial, trials in parallel) →
//! [`ledger`] (monthly accounts per trial) → [`stats`] (bands across trials) → [`report`].

pub mod advice;
pub mod cli;
pub mod compare;
pub mod engine;
pub mod error;
pub mod fit;
pub mod ledger;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod stats;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{
    Cli, Command, CompareArgs, FitArgs, ForecastArgs, OutputArgs, ReportArgs, RunArgs,
    SensitivityArgs,
};
pub use error::{Error, Result};
use ledger::TrialLedger;
use model::{Preset, Scenario};
use report::Format;
use stats::Forecast;

/// Runs every trial and returns the bands, with withdrawal advice, and the per-trial
/// ledgers (in trial order).
pub fn forecast(
    sc: &Scenario,
    threads: usize,
    progress: &ProgressBar,
) -> Result<(Forecast, Vec<TrialLedger>)> {
    let thresholds = advice::thresholds(&sc.program);
    let (trials, payouts): (Vec<TrialLedger>, Vec<_>) =
        engine::run_with_payouts(sc, threads, progress, &thresholds)?
            .into_iter()
            .unzip();
    let labels = sc.calendar().labels;
    let mut fc = Forecast::from_trials(sc, labels, &trials);
    fc.advice = Some(advice::advise(&sc.program, &thresholds, &payouts));
    Ok((fc, trials))
}

/// Runs one command of the binary.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Forecast(args) => run_forecast(args),
        Command::Compare(args) => run_compare(args),
        Command::Sensitivity(args) => run_sensitivity(args),
        Command::Fit(args) => run_fit(args),
        Command::Report(args) => run_report(args),
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

/// The scenario a command names, or the built-in default (announced on stderr).
fn load_or_default(path: Option<&std::path::Path>) -> Result<Scenario> {
    match path {
        Some(path) => scenario::load(path),
        None => {
            let sc = scenario::builtin();
            eprintln!(
                "affcast: no scenario file given; using the built-in default scenario \"{}\" \
                 (start your own with `affcast init > my-site.toml`)",
                sc.name
            );
            Ok(sc)
        }
    }
}

/// A progress bar on stderr, drawn only on a terminal.
fn progress_bar(len: u64) -> ProgressBar {
    let progress = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    progress.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} trials {wide_bar} {eta}")
            .expect("the template is valid"),
    );
    progress
}

/// Renders with the chosen exporter and writes to the file or stdout.
fn emit(out: &OutputArgs, render: impl Fn(&dyn report::Exporter) -> String) -> Result<()> {
    let format = out
        .format
        .or_else(|| out.output.as_deref().and_then(Format::from_extension))
        .unwrap_or(if out.output.is_none() && !output::stdout_is_terminal() {
            Format::Json
        } else {
            Format::Table
        });
    let text = render(report::exporter(format).as_ref());
    match &out.output {
        Some(path) => output::write_atomically(path, &text),
        None => output::print(&text),
    }
}

fn run_forecast(args: ForecastArgs) -> Result<()> {
    let mut sc = load_or_default(args.scenario.as_deref())?;
    apply_overrides(&mut sc, &args.run)?;
    if let Some(path) = &args.pipeline {
        let export = fit::records::read(path, None)?;
        let p = pipeline::Pipeline::from_export(&export, &sc);
        let as_of = export.as_of.date();
        if as_of >= sc.start + chrono::Months::new(1) {
            eprintln!(
                "affcast: note: the export runs to {as_of}, after the forecast's first month {}; orders paid since the start are counted both as pipeline and as new traffic",
                sc.start.format("%Y-%m")
            );
        }
        sc.pipeline = Some(std::sync::Arc::new(p));
    }
    check_work(&sc, 1, true, &args.run)?;
    let progress = progress_bar(sc.trials as u64);
    let (fc, _) = forecast(&sc, args.run.threads, &progress)?;
    progress.finish_and_clear();
    if let Some(plot) = &args.out.plot {
        output::write_atomically(plot, &report::chart::fan_chart(&fc)?)?;
    }
    emit(&args.out, |e| e.render(&fc))
}

fn run_compare(args: CompareArgs) -> Result<()> {
    let variants = if args.scenarios.len() <= 1 {
        let mut sc = load_or_default(args.scenarios.first().map(|p| p.as_path()))?;
        apply_overrides(&mut sc, &args.run)?;
        compare::mix_variants(&sc, &args.mixes)?
    } else {
        if !args.mixes.is_empty() {
            return Err(Error::input(
                "--mix: applies to a single scenario; with several files, whole scenarios are compared",
            ));
        }
        let mut variants: Vec<(String, Scenario)> = Vec::new();
        for path in &args.scenarios {
            let mut sc = scenario::load(path)?;
            apply_overrides(&mut sc, &args.run)?;
            if let Some((first_path, first)) = variants.first()
                && (sc.start != first.start || sc.months != first.months)
            {
                return Err(Error::input(format!(
                    "{}: starts {} for {} months, but {first_path} starts {} for {} months; compared scenarios need the same horizon (use --months)",
                    path.display(),
                    sc.start.format("%Y-%m"),
                    sc.months,
                    first.start.format("%Y-%m"),
                    first.months
                )));
            }
            variants.push((path.display().to_string(), sc));
        }
        variants
    };
    check_work(&variants[0].1, variants.len(), false, &args.run)?;
    let progress = progress_bar(0);
    let comparison = compare::compare(variants, args.run.threads, &progress)?;
    progress.finish_and_clear();
    if let Some(plot) = &args.out.plot {
        output::write_atomically(plot, &report::chart::compare_chart(&comparison)?)?;
    }
    emit(&args.out, |e| e.compare(&comparison))
}

fn run_report(args: ReportArgs) -> Result<()> {
    let (text, origin) = match &args.scenario {
        Some(path) => (
            std::fs::read_to_string(path)
                .map_err(|e| Error::input(format!("{}: {e}", path.display())))?,
            path.display().to_string(),
        ),
        None => {
            eprintln!(
                "affcast: no scenario file given; reporting on the built-in default scenario"
            );
            (
                scenario::DEFAULT_SCENARIO.to_string(),
                scenario::BUILTIN_ORIGIN.to_string(),
            )
        }
    };
    let raw = scenario::parse_raw(&text, &origin)?;
    let mut sc = scenario::parse(&text, &origin)?;
    apply_overrides(&mut sc, &args.run)?;
    check_work(&sc, 1 + sc.mixes.len(), true, &args.run)?;
    let progress = progress_bar(sc.trials as u64);
    let (fc, _) = forecast(&sc, args.run.threads, &progress)?;
    let mixes = if sc.mixes.is_empty() {
        None
    } else {
        Some(compare::compare(
            compare::mix_variants(&sc, &[])?,
            args.run.threads,
            &progress,
        )?)
    };
    progress.finish_and_clear();
    let page = report::html::page(
        &fc,
        &scenario::provenance::assumptions(&raw, &sc),
        mixes.as_ref(),
    )?;
    match &args.output {
        Some(path) => output::write_atomically(path, &page),
        None => output::print(&page),
    }
}

fn run_fit(args: FitArgs) -> Result<()> {
    let export = fit::records::read(&args.orders, args.source)?;
    let names = match &args.category_names {
        Some(p) => fit::read_category_names(p)?,
        None => Default::default(),
    };
    let fitted = fit::fit(
        &export,
        &args.orders.display().to_string(),
        args.clicks,
        &names,
    )?;
    for line in &fitted.report {
        eprintln!("{line}");
    }
    match &args.output {
        Some(path) => output::write_atomically(path, &fitted.toml),
        None => output::print(&fitted.toml),
    }
}

fn run_sensitivity(args: SensitivityArgs) -> Result<()> {
    let mut sc = load_or_default(args.scenario.as_deref())?;
    if !(args.swing > 0.0 && args.swing < 1.0) {
        return Err(Error::input(format!(
            "--swing: {} is not a relative swing (0 < swing < 1)",
            args.swing
        )));
    }
    let run = RunArgs {
        trials: Some(args.trials),
        seed: args.seed,
        months: None,
        threads: args.threads,
        force: args.force,
    };
    apply_overrides(&mut sc, &run)?;
    check_work(&sc, sensitivity::variants(&sc, args.swing), false, &run)?;
    let progress = progress_bar(0);
    let sweep = sensitivity::sensitivity(&sc, args.swing, sc.trials, args.threads, &progress)?;
    progress.finish_and_clear();
    if let Some(plot) = &args.out.plot {
        output::write_atomically(plot, &report::chart::tornado(&sweep)?)?;
    }
    emit(&args.out, |e| e.sensitivity(&sweep))
}

/// Refuses a run whose estimated work is absurd, unless forced.
fn check_work(sc: &Scenario, variants: usize, ledgers: bool, run: &RunArgs) -> Result<()> {
    const MAX_SECONDS: f64 = 30.0 * 60.0;
    const MAX_BYTES: f64 = 8e9;
    let w = engine::estimate(sc, variants, run.threads, ledgers);
    let absurd = !w.buyers.is_finite() || w.seconds > MAX_SECONDS || w.bytes > MAX_BYTES;
    if absurd && !run.force {
        let time = if w.seconds < 7200.0 {
            format!("{:.0} minutes", w.seconds / 60.0)
        } else {
            format!("{:.0} hours", w.seconds / 3600.0)
        };
        return Err(Error::input(format!(
            "\"{}\": this run would follow about {:.1e} buyers (roughly {time}) and keep {:.1} GB of monthly results; \
             lower --trials, the months or the traffic, or pass --force to run it anyway",
            sc.name,
            w.buyers,
            w.bytes / 1e9
        )));
    }
    Ok(())
}

fn apply_overrides(sc: &mut Scenario, args: &RunArgs) -> Result<()> {
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
