//! The command line: commands and flags, turned into checked jobs; the results rendered and
//! written. The library below prints nothing.

use std::path::{Path, PathBuf};

use affcast::app::{
    self, BacktestJob, CompareJob, FitJob, ForecastJob, ReportJob, RunOptions, SensitivityJob,
    Swing,
};
use affcast::choice::Choice;
use affcast::engine::Control;
use affcast::i18n::{Lang, Words, in_english};
use affcast::model::{Preset, Scenario};
use affcast::report::{self, Format};
use affcast::stats::Objective;
use affcast::{Error, Result, exports, output, scenario};
use clap::{Args, Parser, Subcommand};

mod track;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A flag's value from a closed set of the library's ([`Choice`]): its names and their
/// help listed in `--help`, and anything else refused with the list.
fn choice<T: Choice + Clone>() -> impl clap::builder::TypedValueParser<Value = T> {
    let values = T::ALL.iter().map(|v| {
        let p = clap::builder::PossibleValue::new(v.name());
        match v.help() {
            Some(h) => p.help(h),
            None => p,
        }
    });
    clap::builder::TypedValueParser::map(clap::builder::PossibleValuesParser::new(values), |name| {
        T::named(&name).expect("clap accepts only the listed names")
    })
}

/// Forecast what an affiliate will actually get paid, and when: clicks → attributed orders →
/// pending → confirmed or reversed → payable → cash, month by month, with uncertainty bands.
#[derive(Debug, Parser)]
#[command(name = "affcast", version)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the Monte Carlo forecast of a scenario (the built-in default if none is given).
    Forecast(ForecastArgs),
    /// Compare category mixes of one scenario (its base mix and each of [mixes], or those
    /// named with --mix), or whole scenarios given as two or more files. Common random
    /// numbers: every variant runs the same trials on the same seeds.
    Compare(CompareArgs),
    /// Programs side by side: the source review's scorecard (its weights and formula, its
    /// inputs editable with --scores) beside what the forecast measures for the scenario's
    /// site under each program (cash per 1,000 clicks, days to bank, reversal share).
    Programs(ProgramsArgs),
    /// Tornado: each input to its low and high (intervals) or ±swing, everything else
    /// central; the effect on the objective and first_cash_month, largest first.
    Sensitivity(SensitivityArgs),
    /// Estimate a scenario from an order export (AliExpress, Admitad, Amazon Associates, or any network's order
    /// report; CSV, JSON or .xlsx). The scenario goes to stdout or --output; what was estimated,
    /// from how many records, and what was not, goes to stderr.
    Fit(FitArgs),
    /// Would the forecast have been right about your own past? At the first day of each of
    /// the last few months (origins), the export as it stood then is fitted and forecast with
    /// the clicks that followed; the bands are scored against what happened.
    Backtest(BacktestArgs),
    /// Write a self-contained HTML report of a forecast: headline figures, the fan chart,
    /// the monthly table, withdrawal advice, the mixes, and every assumption with its origin.
    Report(ReportArgs),
    /// The monthly loop: `track import EXPORT` keeps every order and its status history in a
    /// local store (SQLite) and the forecast made from it; `track` shows the months so far,
    /// the money in the pipeline, the next months' nowcast and how right the kept forecasts
    /// were.
    Track(track::TrackArgs),
    /// The forecaster as a web page on this computer: edit your site's numbers and watch
    /// the money move, compare mixes, drop an export in. Ctrl-C stops it.
    Serve(ServeArgs),
    /// Check a scenario file; print a one-line summary when it is valid.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Print a commented starter scenario to adapt.
    Init {
        /// The program preset the starter uses.
        #[arg(long, default_value = "aliexpress-portals", value_parser = clap::builder::PossibleValuesParser::new(Preset::ALL.map(Preset::name)))]
        preset: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ForecastArgs {
    /// The scenario file (TOML); without one, the built-in default scenario.
    pub(crate) scenario: Option<PathBuf>,
    /// An order export whose pending and unsettled orders open the forecast: money already
    /// earned, followed to cash alongside the new traffic. Repeat it for several files (e.g.
    /// monthly downloads): an order in more than one counts once, with its latest status.
    #[arg(long, value_name = "ORDERS_FILE")]
    pub(crate) pipeline: Vec<PathBuf>,
    /// Which column of the --pipeline export holds which field, e.g.
    /// `--map "paid_time=Order Time,estimated_paid_commission=Estimated Commission"`.
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub(crate) map: Option<String>,
    /// The zone the export's times are written in: a tz database name (Asia/Shanghai), UTC
    /// or an offset (+08:00). Times are placed on US Pacific, the zone AliExpress documents
    /// [default: America/Los_Angeles].
    #[arg(long, value_name = "ZONE")]
    pub(crate) timezone: Option<String>,
    #[command(flatten)]
    pub(crate) run: RunArgs,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The scenario file (TOML); without one, the built-in default scenario.
    pub(crate) scenario: Option<PathBuf>,
    /// What the mixes are judged on: cash in the bank per month (default), confirmed
    /// commission per month, or all cash over the horizon.
    #[arg(long, value_parser = choice::<Objective>(), default_value = "run_rate_cash")]
    pub(crate) objective: Objective,
    #[command(flatten)]
    pub(crate) run: RunArgs,
    /// Write the page here (whole or not at all) instead of stdout.
    #[arg(long, short, value_name = "FILE.html")]
    pub(crate) output: Option<PathBuf>,
    /// The page's language: its words and the way it writes numbers (keys, metric names and
    /// the scenario's own names stay as they are).
    #[arg(long, value_parser = choice::<Lang>(), default_value = "en")]
    pub(crate) lang: Lang,
    /// Add a track record: a backtest of this order export (with --clicks), the scenario
    /// supplying what the export cannot tell.
    #[arg(long, value_name = "ORDERS_FILE", requires = "clicks")]
    pub(crate) backtest: Vec<PathBuf>,
    /// Add your orders so far from the order store of `affcast track` (the months, the
    /// pipeline, its nowcast and how right the kept forecasts were).
    #[arg(long, value_name = "FILE.db")]
    pub(crate) db: Option<PathBuf>,
    /// The zone the export's times are written in: a tz database name (Asia/Shanghai), UTC
    /// or an offset (+08:00). Times are placed on US Pacific, the zone AliExpress documents
    /// [default: America/Los_Angeles].
    #[arg(long, value_name = "ZONE")]
    pub(crate) timezone: Option<String>,
    /// The site's clicks per day or month, for --backtest.
    #[arg(long, value_name = "CLICKS.csv")]
    pub(crate) clicks: Option<PathBuf>,
    /// Months forecast from each origin of --backtest (1..=12).
    #[arg(long, default_value_t = 3)]
    pub(crate) horizon: i64,
    /// Origins of --backtest (1..=36).
    #[arg(long, default_value_t = 6)]
    pub(crate) origins: i64,
}

#[derive(Debug, Args)]
pub(crate) struct FitArgs {
    /// The order export(s) (JSON envelope or array, CSV, or .xlsx). Several files are read as one:
    /// an order in more than one counts once, with its latest status.
    #[arg(required_unless_present = "db", num_args = 1..)]
    pub(crate) orders: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) export: ExportArgs,
    /// Fit from the order store of `affcast track` instead of files: every order with its
    /// latest status, and times the downloads reveal where exports give none.
    #[arg(long, value_name = "FILE.db", conflicts_with = "orders")]
    pub(crate) db: Option<PathBuf>,
    /// With --db: only orders paid from this month on (YYYY-MM), to forget an old regime.
    #[arg(long, value_name = "YYYY-MM", requires = "db")]
    pub(crate) since: Option<String>,
    /// Clicks over the export's period, to estimate the conversion rate: a number, or a CSV
    /// of `date` (YYYY-MM-DD) or `month` (YYYY-MM), `clicks` and optionally `sub_id`.
    #[arg(long, value_name = "N|CLICKS.csv")]
    pub(crate) clicks: Option<String>,
    /// A CSV of category id,name to name the fitted categories.
    #[arg(long, value_name = "FILE.csv")]
    pub(crate) category_names: Option<PathBuf>,
    /// Also break the orders down per page (sub_id), category or country: a table on stderr,
    /// or `by_<field>` in the JSON document.
    #[arg(long, value_parser = choice::<affcast::fit::groups::By>())]
    pub(crate) by: Option<affcast::fit::groups::By>,
    /// `toml` (the scenario, default) or `json`: one document with the scenario's text, the
    /// notes and the breakdown.
    #[arg(long, value_parser = ["toml", "json"])]
    pub(crate) format: Option<String>,
    /// Write the scenario here (whole or not at all) instead of stdout.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
}

/// How an order export is read: which kind it is, its columns, its times' zone.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// Which export it is [default: detected from its fields].
    #[arg(long, value_parser = choice::<exports::Source>())]
    pub(crate) source: Option<exports::Source>,
    /// Which column holds which field, e.g. `--map "paid_time=Order Time"`. Headers that
    /// differ from a field's name only by case, spaces, `_` or `-` match without it.
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub(crate) map: Option<String>,
    /// The zone the export's times are written in: a tz database name (Asia/Shanghai), UTC
    /// or an offset (+08:00). Times are placed on US Pacific, the zone AliExpress documents
    /// [default: America/Los_Angeles].
    #[arg(long, value_name = "ZONE")]
    pub(crate) timezone: Option<String>,
}

impl ExportArgs {
    /// The export files read as one.
    fn read(&self, paths: &[PathBuf]) -> Result<exports::Export> {
        read_export(paths, self.source, &self.map, self.timezone.as_deref())
    }
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The address to listen on: a loopback address (this computer only).
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: std::net::IpAddr,
    /// The port; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    pub(crate) port: u16,
    /// Simulations run at once; more requests are told to retry (503).
    #[arg(long, default_value_t = 1)]
    pub(crate) jobs: usize,
    /// Memory, in GB, that the running simulations may hold together: a run is estimated
    /// before it starts and admitted only if it fits what is left (else 503, try again).
    #[arg(long, default_value_t = affcast::serve::DEFAULT_MEMORY_GB)]
    pub(crate) memory: f64,
    /// Seconds a client may take to send a request's headers, and a kept-alive connection
    /// may stay idle, before the server closes it.
    #[arg(long, value_name = "SECS", default_value_t = affcast::serve::DEFAULT_IDLE_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) idle_timeout: u64,
    /// Open the page in the browser once the server listens.
    #[arg(long)]
    pub(crate) open: bool,
    /// The order store of `affcast track` to show in the page's "My data" view (read only).
    #[arg(long, value_name = "FILE.db")]
    pub(crate) db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct BacktestArgs {
    /// The order export(s) (JSON envelope or array, CSV, or .xlsx); several files are read
    /// as one.
    #[arg(required_unless_present = "db", num_args = 1..)]
    pub(crate) orders: Vec<PathBuf>,
    /// Backtest the orders of the order store of `affcast track` instead of files: reversals
    /// no export timed are timed by the downloads around them, not drawn.
    #[arg(long, value_name = "FILE.db", conflicts_with = "orders")]
    pub(crate) db: Option<PathBuf>,
    /// The site's clicks per day or month: a CSV of `date` (YYYY-MM-DD) or `month` (YYYY-MM)
    /// and `clicks`, covering the export's period.
    #[arg(long, required = true, value_name = "CLICKS.csv")]
    pub(crate) clicks: PathBuf,
    /// A scenario for what an export cannot tell (program rules, events); the fitted
    /// estimates replace its traffic, regions and categories.
    #[arg(long, value_name = "BASE.toml")]
    pub(crate) scenario: Option<PathBuf>,
    /// Months forecast from each origin (1..=12).
    #[arg(long, default_value_t = 3)]
    pub(crate) horizon: i64,
    /// Number of origins: the last months the data allows (1..=36).
    #[arg(long, default_value_t = 6)]
    pub(crate) origins: i64,
    #[command(flatten)]
    pub(crate) export: ExportArgs,
    /// Trials per origin.
    #[arg(long, default_value_t = 1000)]
    pub(crate) trials: i64,
    /// Random seed [default: 42].
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Worker threads; 0 = one per core. The output does not depend on it.
    #[arg(long, default_value_t = 0)]
    pub(crate) threads: usize,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// One scenario (compare its mixes) or several (compare them); none: the built-in default.
    pub(crate) scenarios: Vec<PathBuf>,
    /// Only these mixes of the scenario (repeatable).
    #[arg(long = "mix", value_name = "NAME")]
    pub(crate) mixes: Vec<String>,
    /// The scenario's site under each of these programs' presets (the first is the base):
    /// its traffic, buyers and mix, each program's rules and rates.
    #[arg(long, value_name = "PRESET,PRESET,...", value_delimiter = ',')]
    pub(crate) programs: Vec<String>,
    /// With --programs: where the scenario's categories go in each program's rate table.
    #[arg(long, value_name = "MAP.toml", requires = "programs")]
    pub(crate) category_map: Option<PathBuf>,
    /// What decisions are judged on: cash in the bank per month (default), confirmed
    /// commission per month, or all cash over the horizon.
    #[arg(long, value_parser = choice::<Objective>(), default_value = "run_rate_cash")]
    pub(crate) objective: Objective,
    #[command(flatten)]
    pub(crate) run: RunArgs,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ProgramsArgs {
    /// The site's scenario; without one, the built-in default scenario.
    pub(crate) scenario: Option<PathBuf>,
    /// Only these programs (default: every preset that can place the site's categories).
    #[arg(long, value_name = "PRESET,PRESET,...", value_delimiter = ',')]
    pub(crate) programs: Vec<String>,
    /// Where the scenario's categories go in each program's rate table.
    #[arg(long, value_name = "MAP.toml")]
    pub(crate) category_map: Option<PathBuf>,
    /// Scorecard inputs and weights over the review's: [weights] and a table per program.
    #[arg(long, value_name = "SCORES.toml")]
    pub(crate) scores: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) run: RunArgs,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SensitivityArgs {
    /// The scenario file (TOML); without one, the built-in default scenario.
    pub(crate) scenario: Option<PathBuf>,
    /// Relative swing of inputs given as plain numbers (0.2 = ±20%).
    #[arg(long, default_value_t = 0.2)]
    pub(crate) swing: f64,
    /// What decisions are judged on: cash in the bank per month (default), confirmed
    /// commission per month, or all cash over the horizon.
    #[arg(long, value_parser = choice::<Objective>(), default_value = "run_rate_cash")]
    pub(crate) objective: Objective,
    /// Trials per variant (the sweep runs 1 + 2 × inputs variants).
    #[arg(long, default_value_t = 200)]
    pub(crate) trials: i64,
    /// Random seed (overrides simulation.seed).
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Worker threads; 0 = one per core. The output does not depend on it.
    #[arg(long, default_value_t = 0)]
    pub(crate) threads: usize,
    /// Run even when the estimated work is absurd (hours, or gigabytes of results).
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

/// How many trials, which seed, how many threads.
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Number of trials (overrides simulation.trials).
    #[arg(long)]
    pub(crate) trials: Option<i64>,
    /// Random seed (overrides simulation.seed).
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Months to forecast (overrides months).
    #[arg(long)]
    pub(crate) months: Option<i64>,
    /// Worker threads; 0 = one per core. The output does not depend on it.
    #[arg(long, default_value_t = 0)]
    pub(crate) threads: usize,
    /// Run even when the estimated work is absurd (hours, or gigabytes of results).
    #[arg(long)]
    pub(crate) force: bool,
}

/// Where the result goes and in which format.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Output format [default: table on a terminal, else json; with --output, from its extension].
    #[arg(long, value_parser = choice::<Format>())]
    pub(crate) format: Option<Format>,
    /// Write the result to this file (whole or not at all) instead of stdout.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
    /// Also draw the result as an SVG chart in this file.
    #[arg(long, value_name = "FILE.svg")]
    pub(crate) plot: Option<PathBuf>,
}

impl RunArgs {
    fn options(&self) -> Result<RunOptions> {
        RunOptions::new(
            self.trials,
            self.seed,
            self.months,
            self.threads,
            self.force,
        )
    }
}

/// Runs one command of the binary.
pub(crate) fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Forecast(args) => forecast(args),
        Command::Compare(args) => compare(args),
        Command::Programs(args) => programs(args),
        Command::Sensitivity(args) => sensitivity(args),
        Command::Fit(args) => fit(args),
        Command::Backtest(args) => backtest(args),
        Command::Serve(args) => serve(&args),
        Command::Report(args) => report(args),
        Command::Track(args) => track::track(args),
        Command::Validate { scenario } => {
            let sc = load(&scenario)?;
            output::print(&output::for_terminal(&format!(
                "ok: {}: {}\n",
                scenario.display(),
                app::describe(&sc)
            )))
        }
        Command::Init { preset } => {
            let preset = Preset::from_name(&preset)
                .ok_or_else(|| Error::input(format!("--preset: \"{preset}\" is not a preset")))?;
            output::print(&scenario::starter_file(preset))
        }
    }
}

/// A scenario file, checked; its warnings go to stderr.
fn load(path: &Path) -> Result<Scenario> {
    let (sc, provenance) = scenario::load_with_provenance(path)?;
    print_warnings(&provenance);
    Ok(sc)
}

fn print_warnings(p: &scenario::Provenance) {
    for w in &p.warnings {
        output::say(&format!("affcast: warning: {w}"));
    }
}

/// The scenario a command names, or the built-in default (announced on stderr).
fn load_or_default(path: Option<&Path>) -> Result<Scenario> {
    match path {
        Some(path) => load(path),
        None => {
            let sc = scenario::builtin();
            output::say(&format!(
                "affcast: no scenario file given; using the built-in default scenario \"{}\" \
                 (start your own with `affcast init > my-site.toml`)",
                sc.name
            ));
            Ok(sc)
        }
    }
}

/// A progress bar on stderr, drawn only on a terminal, and a control that moves it.
fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos}/{len} trials {wide_bar} {eta}")
            .expect("the template is valid"),
    );
    bar
}

/// Runs `f` with a control whose progress moves a bar on stderr.
fn with_progress<T>(f: impl FnOnce(&Control) -> Result<T>) -> Result<T> {
    let bar = progress_bar();
    let on_progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let ctl = Control::quiet().with_progress(&on_progress);
    let result = f(&ctl);
    bar.finish_and_clear();
    result
}

/// Prints the notes of a result on stderr.
fn print_notes(notes: &[app::Note]) {
    for n in notes {
        for line in report::note_lines(n) {
            output::say(&line);
        }
    }
}

/// Refuses a file name whose extension contradicts what will be written into it (`-o out.xlsx`,
/// `--plot chart.png`), before any work is done. A name without an extension is fine.
fn check_extension(flag: &str, path: Option<&Path>, allowed: &[&str], what: &str) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    output::check_destination(flag, path)?;
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if !allowed.contains(&ext.to_ascii_lowercase().as_str()) => {
            Err(Error::input(format!(
                "{flag}: {}: affcast writes {what} here, not .{ext} (use a name ending in .{})",
                path.display(),
                allowed.join(" or .")
            )))
        }
        _ => Ok(()),
    }
}

impl OutputArgs {
    /// Checks the output and plot file names against the formats written into them.
    fn check(&self) -> Result<()> {
        check_extension(
            "--output",
            self.output.as_deref(),
            &["json", "csv", "md", "markdown", "txt"],
            "JSON, CSV, markdown or a text table",
        )?;
        if let (Some(path), Some(format)) = (&self.output, self.format)
            && let Some(implied) = Format::from_extension(path)
            && implied != format
        {
            return Err(Error::input(format!(
                "--output: {}: the name says {} but --format asks for {}; make them agree",
                path.display(),
                implied.name(),
                format.name()
            )));
        }
        check_extension("--plot", self.plot.as_deref(), &["svg"], "an SVG chart")
    }
}

/// Export files read as one, their times written in `timezone` (default US Pacific).
fn read_export(
    paths: &[PathBuf],
    source: Option<exports::Source>,
    map: &Option<String>,
    timezone: Option<&str>,
) -> Result<exports::Export> {
    let zone = timezone.map(exports::Zone::parse).transpose()?;
    let export = exports::read_all(paths, source, &field_map(map)?)?;
    Ok(export.in_zone(zone.unwrap_or_default()))
}

/// `--map`, or no map.
fn field_map(arg: &Option<String>) -> Result<exports::FieldMap> {
    arg.as_deref().map_or_else(
        || Ok(exports::FieldMap::default()),
        exports::FieldMap::parse,
    )
}

/// Writes `text` to the file (whole or not at all) or to stdout.
fn write_or_print(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(path) => output::write_output(path, text),
        None => output::print(text),
    }
}

/// Renders with the chosen exporter and writes to the file or stdout.
fn emit(out: &OutputArgs, render: impl Fn(&dyn report::Exporter) -> String) -> Result<()> {
    let format = out
        .format
        .or_else(|| out.output.as_deref().and_then(Format::from_extension))
        .unwrap_or(
            if out.output.as_deref().is_none_or(output::is_stdout) && !output::stdout_is_terminal()
            {
                Format::Json
            } else {
                Format::Table
            },
        );
    let text = render(report::exporter(format).as_ref());
    write_or_print(out.output.as_deref(), &text)
}

fn forecast(args: ForecastArgs) -> Result<()> {
    args.out.check()?;
    let sc = load_or_default(args.scenario.as_deref())?;
    let run = args.run.options()?;
    let export = match args.pipeline.is_empty() {
        false => Some(read_export(
            &args.pipeline,
            None,
            &args.map,
            args.timezone.as_deref(),
        )?),
        true => None,
    };
    let job = ForecastJob::new(sc, export.as_ref(), run)?;
    let outcome = with_progress(|ctl| app::forecast(&job, ctl))?;
    print_notes(&outcome.notes);
    let fc = outcome.value;
    // Notes about the result go to stderr whatever the format (JSON also carries them).
    for n in in_english(|w| report::notes(w, &fc)) {
        output::say(&format!("affcast: note: {n}"));
    }
    if let Some(plot) = &args.out.plot {
        output::write_output(plot, &in_english(|w| report::chart::fan_chart(w, &fc))?)?;
    }
    emit(&args.out, |e| e.render(&fc))
}

fn serve(args: &ServeArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the server's runtime: {e}")))?;
    let opts = affcast::serve::Options {
        bind: args.bind,
        port: args.port,
        jobs: args.jobs,
        memory_gb: args.memory,
        db: args.db.clone(),
        idle_timeout: std::time::Duration::from_secs(args.idle_timeout),
    };
    let open = args.open;
    runtime.block_on(affcast::serve::run(
        opts,
        |addr| {
            let url = format!("http://{addr}/");
            eprintln!("affcast: serving on {url} (this computer only; Ctrl-C stops)");
            if open {
                open_in_browser(&url);
            }
        },
        async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("affcast: stopping");
        },
    ))
}

/// Asks the desktop to open `url`; a failure only leaves the address printed.
fn open_in_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(program)
        .args(args)
        .spawn()
        .is_err()
    {
        eprintln!("affcast: could not open a browser; open {url} yourself");
    }
}

fn backtest(args: BacktestArgs) -> Result<()> {
    args.out.check()?;
    let job = backtest_job(&args)?;
    let outcome = with_progress(|ctl| app::backtest(&job, ctl))?;
    print_notes(&outcome.notes);
    let b = outcome.value;
    if let Some(plot) = &args.out.plot {
        output::write_output(plot, &in_english(|w| report::chart::backtest_chart(w, &b))?)?;
    }
    emit(&args.out, |e| e.backtest(&b))
}

/// The checked job of `backtest`'s flags.
fn backtest_job(args: &BacktestArgs) -> Result<BacktestJob> {
    let run = RunOptions::new(Some(args.trials), args.seed, None, args.threads, false)?;
    let clicks = exports::Clicks::read(&args.clicks)?;
    let (export, name) = match &args.db {
        Some(db) => (track::store_export(db, None)?, db.display().to_string()),
        None => (args.export.read(&args.orders)?, file_names(&args.orders)),
    };
    let base = match &args.scenario {
        Some(path) => Some((output::read_input(path)?, path.display().to_string())),
        None => None,
    };
    let mut job = BacktestJob::new(export, clicks, base, args.horizon, args.origins, &run)?;
    job.name = name;
    Ok(job)
}

/// Files as one name: "a.csv, b.csv".
fn file_names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare(args: CompareArgs) -> Result<()> {
    args.out.check()?;
    let job = if !args.programs.is_empty() {
        if args.scenarios.len() > 1 || !args.mixes.is_empty() {
            return Err(Error::input(
                "--programs: compares one scenario's site under several programs; give one scenario and no --mix",
            ));
        }
        let presets = app::programs::presets(&args.programs)?;
        let map = category_map(args.category_map.as_deref())?;
        let path = args.scenarios.first().map(|p| p.as_path());
        let origin = origin_of(path);
        let sc = load_or_default(path)?;
        let variants = app::programs::under_programs(&sc, &origin, &presets, map.as_ref())?;
        let mut job = CompareJob::scenarios(variants, args.objective, args.run.options()?)?;
        job.extra = vec![affcast::stats::SummaryMetric::DaysToBank];
        job
    } else if args.scenarios.len() <= 1 {
        let sc = load_or_default(args.scenarios.first().map(|p| p.as_path()))?;
        CompareJob::mixes(sc, &args.mixes, args.objective, args.run.options()?)?
    } else {
        if !args.mixes.is_empty() {
            return Err(Error::input(
                "--mix: applies to a single scenario; with several files, whole scenarios are compared",
            ));
        }
        let run = args.run.options()?;
        let files = args
            .scenarios
            .iter()
            .map(|p| Ok((p.display().to_string(), load(p)?)))
            .collect::<Result<Vec<_>>>()?;
        CompareJob::scenarios(files, args.objective, run)?
    };
    let comparison = with_progress(|ctl| app::compare(&job, ctl))?;
    if let Some(plot) = &args.out.plot {
        output::write_output(
            plot,
            &in_english(|w| report::chart::compare_chart(w, &comparison))?,
        )?;
    }
    emit(&args.out, |e| e.compare(&comparison))
}

/// A `--category-map` file, read and checked.
fn category_map(path: Option<&Path>) -> Result<Option<app::programs::CategoryMap>> {
    path.map(|p| {
        app::programs::CategoryMap::parse(&output::read_input(p)?, &p.display().to_string())
    })
    .transpose()
}

/// How messages name a scenario given, or the built-in one.
fn origin_of(path: Option<&Path>) -> String {
    path.map_or_else(
        || "the built-in default scenario".to_string(),
        |p| p.display().to_string(),
    )
}

fn programs(args: ProgramsArgs) -> Result<()> {
    args.out.check()?;
    let named = if args.programs.is_empty() {
        None
    } else {
        Some(app::programs::presets(&args.programs)?)
    };
    let map = category_map(args.category_map.as_deref())?;
    let mut scores = affcast::scorecard::Scores::review();
    if let Some(path) = &args.scores {
        scores.merge(&output::read_input(path)?, &path.display().to_string())?;
    }
    let path = args.scenario.as_deref();
    let origin = origin_of(path);
    let run = args.run.options()?;
    let sc = run.apply(load_or_default(path)?);
    let view = with_progress(|ctl| {
        app::programs::view(
            &sc,
            &origin,
            named.as_deref(),
            map.as_ref(),
            scores,
            &run,
            ctl,
        )
    })?;
    emit(&args.out, |e| e.programs(&view))
}

fn report(args: ReportArgs) -> Result<()> {
    check_extension(
        "--output",
        args.output.as_deref(),
        &["html", "htm"],
        "an HTML page",
    )?;
    let (text, origin) = match &args.scenario {
        Some(path) => (output::read_input(path)?, path.display().to_string()),
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
    let (sc, provenance) = scenario::parse_with_provenance(&text, &origin)?;
    print_warnings(&provenance);
    let run = args.run.options()?;
    let track_job = match (&args.backtest[..], &args.clicks) {
        ([], _) => None,
        (orders, Some(clicks)) => {
            let clicks = exports::Clicks::read(clicks)?;
            let export = read_export(orders, None, &None, args.timezone.as_deref())?;
            let base = Some((text.clone(), origin.clone()));
            let mut job = BacktestJob::new(export, clicks, base, args.horizon, args.origins, &run)?;
            job.name = file_names(orders);
            Some(job)
        }
        (_, None) => return Err(Error::input("--backtest: needs --clicks CLICKS.csv")),
    };
    let job = ReportJob::new(sc, provenance, args.objective, run);
    let r = with_progress(|ctl| app::report(&job, ctl))?;
    let track = match &track_job {
        Some(j) => {
            let outcome = with_progress(|ctl| app::backtest(j, ctl))?;
            print_notes(&outcome.notes);
            Some(outcome.value)
        }
        None => None,
    };
    let mine = match &args.db {
        Some(db) => {
            let store = affcast::store::Store::open(db, false)?;
            let base = Some((text.clone(), origin.clone()));
            let outcome =
                with_progress(|ctl| app::track::report(&store, base.as_ref(), &run, ctl))?;
            print_notes(&outcome.notes);
            Some(outcome.value)
        }
        None => None,
    };
    let page = report::html::page(
        &Words::new(args.lang),
        &r.forecast,
        &r.assumptions,
        r.mixes.as_ref(),
        track.as_ref(),
        mine.as_ref(),
    )?;
    write_or_print(args.output.as_deref(), &page)
}

fn fit(args: FitArgs) -> Result<()> {
    let json = args.format.as_deref() == Some("json");
    if json {
        check_extension(
            "--output",
            args.output.as_deref(),
            &["json"],
            "a JSON document",
        )?;
    } else {
        check_extension(
            "--output",
            args.output.as_deref(),
            &["toml"],
            "a scenario (TOML)",
        )?;
    }
    let clicks = match &args.clicks {
        Some(c) => Some(exports::Clicks::parse_arg(c)?),
        None => None,
    };
    let (export, origin) = match &args.db {
        Some(db) => (
            track::store_export(db, args.since.as_deref())?,
            db.display().to_string(),
        ),
        None => (args.export.read(&args.orders)?, file_names(&args.orders)),
    };
    let names = match &args.category_names {
        Some(p) => affcast::fit::read_category_names(p)?,
        None => Default::default(),
    };
    let job = FitJob::new(export, origin, clicks, &names, args.by);
    let outcome = app::fit(&job, &Control::quiet())?;
    let text = if json {
        report::groups::fit_json(&outcome)
    } else {
        print_notes(&outcome.notes);
        if let Some(b) = &outcome.value.breakdown {
            output::say(&report::groups::table(b, &job.export.currency));
        }
        outcome.value.fit.toml.clone()
    };
    write_or_print(args.output.as_deref(), &text)
}

fn sensitivity(args: SensitivityArgs) -> Result<()> {
    args.out.check()?;
    let sc = load_or_default(args.scenario.as_deref())?;
    let swing = Swing::new(args.swing)?;
    let run = RunOptions::new(Some(args.trials), args.seed, None, args.threads, args.force)?;
    let job = SensitivityJob::new(sc, swing, args.objective, run);
    let sweep = with_progress(|ctl| app::sensitivity(&job, ctl))?;
    if let Some(plot) = &args.out.plot {
        output::write_output(plot, &report::chart::tornado(&sweep)?)?;
    }
    emit(&args.out, |e| e.sensitivity(&sweep))
}
