//! `affcast track`: import this month's export into the order store, see where the money
//! stands and how right the forecasts have been; `track export` dumps the store.

use std::path::{Path, PathBuf};

use affcast::app::track as tracking;
use affcast::report;
use affcast::store::{self, Store};
use affcast::{Result, exports, output};
use clap::{Args, Subcommand};

use super::{
    ExportArgs, OutputArgs, RunArgs, emit, field_map, print_notes, with_progress, write_or_print,
};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct TrackArgs {
    #[command(subcommand)]
    action: Option<TrackAction>,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Debug, Subcommand)]
enum TrackAction {
    /// Add order exports to the store, oldest first: each order once (by network and order
    /// id), every status it was seen in kept with the export it was seen in; the same file
    /// twice changes nothing, an older export never overwrites a newer status. Prints what
    /// changed, and keeps the forecast of the next months made from the store as it stands.
    Import(ImportArgs),
    /// Write every order and its status history as CSV (one row per status seen).
    Export(DumpArgs),
}

/// Where the store is: `--db`, else `affcast.db` beside the scenario, else here.
#[derive(Debug, Args)]
struct StoreArgs {
    /// The store's file (SQLite) [default: affcast.db beside --scenario, else in this folder].
    #[arg(long, value_name = "FILE.db")]
    db: Option<PathBuf>,
    /// Your scenario: the program's rules and your traffic for the forecasts [default: one
    /// fitted on the store's orders].
    #[arg(long, value_name = "SCENARIO.toml")]
    scenario: Option<PathBuf>,
}

impl StoreArgs {
    fn path(&self) -> PathBuf {
        store::location(self.db.as_deref(), self.scenario.as_deref())
    }

    /// The scenario's text and name, when one is given.
    fn base(&self) -> Result<Option<(String, String)>> {
        let Some(path) = &self.scenario else {
            return Ok(None);
        };
        let text = output::read_input(path)?;
        affcast::scenario::parse(&text, &path.display().to_string())?;
        Ok(Some((text, path.display().to_string())))
    }
}

#[derive(Debug, Args)]
struct ReportArgs {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The export files, oldest first (CSV, JSON or .xlsx, any kind `fit` reads).
    #[arg(required = true, num_args = 1..)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    export: ExportArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Args)]
struct DumpArgs {
    /// The store's file (SQLite) [default: affcast.db in this folder].
    #[arg(long, value_name = "FILE.db")]
    db: Option<PathBuf>,
    /// Write the CSV here (whole or not at all) instead of stdout.
    #[arg(long, short, value_name = "FILE.csv")]
    output: Option<PathBuf>,
}

pub(crate) fn track(args: TrackArgs) -> Result<()> {
    match args.action {
        Some(TrackAction::Import(a)) => import(&a),
        Some(TrackAction::Export(a)) => dump(&a),
        None => report_of(&args.report),
    }
}

/// The run's options, with the track's own number of worlds unless `--trials` says.
fn options(run: &RunArgs) -> Result<affcast::app::RunOptions> {
    affcast::app::RunOptions::new(
        Some(run.trials.unwrap_or(tracking::TRIALS)),
        run.seed,
        run.months,
        run.threads,
        run.force,
    )
}

fn import(args: &ImportArgs) -> Result<()> {
    let run = options(&args.run)?;
    let base = args.store.base()?;
    let map = field_map(&args.export.map)?;
    let zone = args
        .export
        .timezone
        .as_deref()
        .map(exports::Zone::parse)
        .transpose()?
        .unwrap_or_default();
    let mut store = Store::open(&args.store.path(), true)?;
    for path in &args.files {
        let bytes = std::fs::read(path).map_err(|e| affcast::Error::Io {
            path: path.clone(),
            source: e,
        })?;
        let name = path.display().to_string();
        let export =
            exports::parse_bytes(&bytes, &name, args.export.source, &map, &|| false)?.in_zone(zone);
        let sha = tracking::sha256(&bytes);
        let (done, kept) = with_progress(|ctl| {
            tracking::import(&mut store, &name, &sha, &export, base.as_ref(), &run, ctl)
        })?;
        output::print(&import_lines(&done, &kept))?;
    }
    Ok(())
}

/// What an import did, for people: the counts, the money that moved, the forecast kept.
fn import_lines(d: &store::Imported, kept: &[store::StoredForecast]) -> String {
    let money = |c: i64| format!("{} {}", report::money_text(c as f64), d.currency);
    let mut out = format!(
        "{}: {} new, {} changed, {} unchanged",
        d.file, d.new, d.changed, d.unchanged
    );
    if d.older > 0 {
        out.push_str(&format!(
            ", {} older than the store's (its newer status kept)",
            d.older
        ));
    }
    if let Some(at) = &d.already {
        out.push_str(&format!(" (the same file was imported on {at})"));
    }
    out.push('\n');
    let m = &d.moved;
    let mut moved = Vec::new();
    if m.new_orders > 0 {
        moved.push(format!(
            "{} new orders ({} of commission)",
            m.new_orders,
            money(m.new_commission)
        ));
    }
    if m.confirmed_orders > 0 {
        moved.push(format!(
            "{} confirmed ({})",
            m.confirmed_orders,
            money(m.confirmed_commission)
        ));
    }
    if m.reversed_orders > 0 {
        moved.push(format!(
            "{} reversed ({} lost)",
            m.reversed_orders,
            money(m.reversed_commission)
        ));
    }
    if !moved.is_empty() {
        out.push_str(&format!("  moved: {}\n", moved.join("; ")));
    }
    // The forecast is made from the store as it stood on the first day of its first month
    // (an export of mid-April forecasts April from April 1st), so that its months are scored
    // against whole months.
    if let (Some(first), Some(last)) = (kept.first(), kept.last()) {
        out.push_str(&format!(
            "  kept the forecast of {} to {}, made from the store as it stood on {}-01 ({} simulated worlds)\n",
            first.month, last.month, first.origin, first.trials
        ));
    }
    out
}

fn report_of(args: &ReportArgs) -> Result<()> {
    args.out.check()?;
    let run = options(&args.run)?;
    let base = args.store.base()?;
    let store = Store::open(&args.store.path(), false)?;
    let outcome = with_progress(|ctl| tracking::report(&store, base.as_ref(), &run, ctl))?;
    print_notes(&outcome.notes);
    let t = outcome.value;
    if let Some(plot) = &args.out.plot {
        let svg = affcast::i18n::in_english(|w| report::chart::fan_chart(w, &t.nowcast))?;
        output::write_output(plot, &svg)?;
    }
    emit(&args.out, |e| e.track(&t))
}

fn dump(args: &DumpArgs) -> Result<()> {
    super::check_extension("--output", args.output.as_deref(), &["csv"], "CSV")?;
    let path = store::location(args.db.as_deref(), None);
    let store = Store::open(&path, false)?;
    let text = store.dump_csv()?;
    write_or_print(args.output.as_deref(), &text)
}

/// The store's orders for `fit --db` and `backtest --db`: the export as of the latest import,
/// orders paid before `since` (YYYY-MM) left out.
pub(crate) fn store_export(db: &Path, since: Option<&str>) -> Result<exports::Export> {
    let since = since
        .map(|s| {
            chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").map_err(|_| {
                affcast::Error::input(format!("--since: \"{s}\" is not a month (YYYY-MM)"))
            })
        })
        .transpose()?;
    let store = Store::open(db, false)?;
    let (export, inferred) = store::as_export(&store, since)?;
    if inferred > 0 {
        output::say(&format!(
            "affcast: note: {inferred} confirmations or reversals without a time in any export were timed by the downloads around them (the middle between the last download that showed the earlier status and the first that showed the new one)"
        ));
    }
    Ok(export)
}
