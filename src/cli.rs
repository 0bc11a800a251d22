//! The command line: commands and flags only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;

/// Forecast what an affiliate will actually get paid, and when: clicks → attributed orders →
/// pending → confirmed or reversed → payable → cash, month by month, with uncertainty bands.
#[derive(Debug, Parser)]
#[command(name = "affcast", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo forecast of a scenario (the built-in default if none is given).
    Forecast(ForecastArgs),
    /// Compare category mixes of one scenario (its base mix and each of [mixes], or those
    /// named with --mix), or whole scenarios given as two or more files. Common random
    /// numbers: every variant runs the same trials on the same seeds.
    Compare(CompareArgs),
    /// Tornado: each input to its low and high (intervals) or ±swing, everything else
    /// central; the effect on run_rate_confirmed and first_cash_month, largest first.
    Sensitivity(SensitivityArgs),
    /// Estimate a scenario from an order export (AliExpress affiliate orders or Admitad
    /// actions; JSON or CSV). The scenario goes to stdout or --output; what was estimated,
    /// from how many records, and what was not, goes to stderr.
    Fit(FitArgs),
    /// Write a self-contained HTML report of a forecast: headline figures, the fan chart,
    /// the monthly table, withdrawal advice, the mixes, and every assumption with its origin.
    Report(ReportArgs),
    /// Check a scenario file; print a one-line summary when it is valid.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Print a commented starter scenario to adapt.
    Init {
        /// The program preset the starter uses.
        #[arg(long, default_value = "aliexpress-portals", value_parser = ["aliexpress-portals", "aliexpress-admitad"])]
        preset: String,
    },
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The scenario file (TOML); without one, the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// An order export whose pending and unsettled orders open the forecast: money already
    /// earned, followed to cash alongside the new traffic.
    #[arg(long, value_name = "ORDERS_FILE")]
    pub pipeline: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The scenario file (TOML); without one, the built-in default scenario.
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    /// Write the page here (whole or not at all) instead of stdout.
    #[arg(long, short, value_name = "FILE.html")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// The order export (JSON envelope or array, or CSV).
    pub orders: PathBuf,
    /// Which export it is [default: detected from its fields].
    #[arg(long, value_enum)]
    pub source: Option<crate::fit::records::Source>,
    /// Total clicks over the export's period, to estimate the conversion rate.
    #[arg(long)]
    pub clicks: Option<u64>,
    /// A CSV of category id,name to name the fitted categories.
    #[arg(long, value_name = "FILE.csv")]
    pub category_names: Option<PathBuf>,
    /// Write the scenario here (whole or not at all) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// One scenario (compare its mixes) or several (compare them); none: the built-in default.
    pub scenarios: Vec<PathBuf>,
    /// Only these mixes of the scenario (repeatable).
    #[arg(long = "mix", value_name = "NAME")]
    pub mixes: Vec<String>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The scenario file (TOML); without one, the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// Relative swing of inputs given as plain numbers (0.2 = ±20%).
    #[arg(long, default_value_t = 0.2)]
    pub swing: f64,
    /// Trials per variant (the sweep runs 1 + 2 × inputs variants).
    #[arg(long, default_value_t = 200)]
    pub trials: i64,
    /// Random seed (overrides simulation.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads; 0 = one per core. The output does not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Run even when the estimated work is absurd (hours, or gigabytes of results).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// How many trials, which seed, how many threads.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Number of trials (overrides simulation.trials).
    #[arg(long)]
    pub trials: Option<i64>,
    /// Random seed (overrides simulation.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Months to forecast (overrides months).
    #[arg(long)]
    pub months: Option<i64>,
    /// Worker threads; 0 = one per core. The output does not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Run even when the estimated work is absurd (hours, or gigabytes of results).
    #[arg(long)]
    pub force: bool,
}

/// Where the result goes and in which format.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format [default: table on a terminal, else json; with --output, from its extension].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the result to this file (whole or not at all) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Also draw the result as an SVG chart in this file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}
