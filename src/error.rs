//! One error type for the library; `main` maps it to an exit code.

use std::path::PathBuf;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input is wrong: a scenario, a flag, a data file. Exit code 2.
    #[error("{}", lines(.0))]
    Input(Vec<Problem>),
    /// Reading or writing a file failed for reasons outside the input's content. Exit code 1.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The work asked for is beyond what a run may take (hours, gigabytes). Exit code 2.
    #[error("{0}")]
    Work(Box<TooMuchWork>),
    /// The run was cancelled before it finished (a client went away). Exit code 1.
    #[error("the run was cancelled")]
    Cancelled,
    /// Anything else that is not the user's fault. Exit code 1.
    #[error("{0}")]
    Other(String),
}

/// A run that would take hours or gigabytes: how much, and what drives it. Front ends add
/// how to lower it or run it anyway in their own terms.
#[derive(Debug, Clone, PartialEq)]
pub struct TooMuchWork {
    pub scenario: String,
    /// Buyers the run would follow, in all.
    pub buyers: f64,
    /// Roughly how long it would take, seconds.
    pub seconds: f64,
    /// Monthly results it would keep, bytes.
    pub bytes: f64,
    pub trials: u64,
    pub variants: usize,
    pub driver: WorkDriver,
}

/// What makes a run large.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WorkDriver {
    /// Traffic growth: clicks grow `factor` times over the horizon, from `from` a month.
    Growth {
        monthly_growth: f64,
        factor: f64,
        from: f64,
    },
    /// Clicks per month over the horizon.
    Clicks { clicks_per_month: f64, months: u32 },
}

impl std::fmt::Display for TooMuchWork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let time = if self.seconds < 7200.0 {
            format!("{:.0} minutes", self.seconds / 60.0)
        } else {
            format!("{:.0} hours", self.seconds / 3600.0)
        };
        let driver = match self.driver {
            WorkDriver::Growth {
                monthly_growth,
                factor,
                from,
            } => format!(
                "driven mostly by traffic.monthly_growth = {monthly_growth}: clicks grow ×{factor:.0}, from {from:.0} to {:.0} a month",
                from * factor
            ),
            WorkDriver::Clicks {
                clicks_per_month,
                months,
            } => format!(
                "driven by traffic.clicks_per_month {clicks_per_month:.0} over {months} months"
            ),
        };
        #[allow(clippy::cast_precision_loss)] // counts of trials and variants
        let each = self.buyers / (self.trials as f64 * self.variants as f64);
        write!(
            f,
            "\"{}\": this run would follow about {:.1e} buyers (roughly {time}) and keep {:.1} GB of monthly results: \
             {} trials × {} variant{} × about {each:.1e} buyers each, {driver}",
            self.scenario,
            self.buyers,
            self.bytes / 1e9,
            self.trials,
            self.variants,
            if self.variants == 1 { "" } else { "s" },
        )
    }
}

/// One thing wrong with the user's input: where it is (the file, and the key path in it),
/// what kind of fault with its numbers, and the sentence the command line prints, apart, so
/// that a front end can point at the key and word the fault in its own language.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    /// The file or text the problem is in, unless the message names it itself.
    pub origin: Option<String>,
    /// The key at fault ("categories[1].refund_rate"), when one is.
    pub path: Option<String>,
    #[serde(flatten)]
    pub fault: Fault,
    pub message: String,
}

/// What is wrong with a value, with the numbers a front end needs to say it again: the
/// value, and the bounds it broke. `Other` is said by the message alone.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    #[default]
    Other,
    /// A required key is not given.
    Missing,
    /// A number outside `lo..=hi`.
    OutOfRange { value: f64, lo: f64, hi: f64 },
    /// Infinite or not a number.
    NotFinite,
    /// A range `{ low, high }` whose low end is above its high end.
    LowAboveHigh { low: f64, high: f64 },
    /// A range `{ low, high }` that leaves `lo..=hi` (open at an end where `open`).
    RangeOutside {
        low: f64,
        high: f64,
        lo: f64,
        hi: f64,
        open: bool,
    },
    /// A value below another key's value it may not go under (`withdraw_at` under
    /// `minimum_payout`, a 90th percentile under its median).
    Below {
        value: f64,
        floor: f64,
        floor_key: &'static str,
    },
    /// The shares of a list (`categories`, `regions`) do not add up to 1.
    SharesSum { sum: f64 },
    /// A name used twice in a list.
    Duplicate { name: String },
    /// A key the section does not have.
    UnknownKey { key: String },
    /// The file is not valid TOML there.
    Syntax { line: Option<usize> },
    /// An export whose kind cannot be told from its columns (named as the file names them):
    /// they need mapping onto the fields.
    UnknownColumns { columns: Vec<String> },
    /// An export without a field its kind needs; its columns as the file names them.
    MissingField { field: String, columns: Vec<String> },
    /// A warning: clicks that grow `factor` times over `months`, from `from` to `to` a month
    /// (usually a percentage written as a whole number).
    SteepGrowth {
        growth: f64,
        factor: f64,
        months: u32,
        from: f64,
        to: f64,
    },
    /// A warning: amounts of a preset (US dollars) used in a scenario in another currency.
    PresetCurrency {
        currency: String,
        keys: Vec<String>,
        preset: &'static str,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for part in [&self.origin, &self.path].into_iter().flatten() {
            write!(f, "{part}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Problems, one a line.
fn lines(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// A single bad-input message that says itself where the problem is.
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Input(vec![Problem {
            origin: None,
            path: None,
            fault: Fault::Other,
            message: msg.into(),
        }])
    }

    /// A bad input in `origin`, at key `path` if one is at fault.
    pub fn at(origin: &str, path: Option<&str>, msg: impl Into<String>) -> Self {
        Error::Input(vec![Problem {
            origin: Some(origin.to_string()),
            path: path.map(str::to_string),
            fault: Fault::Other,
            message: msg.into(),
        }])
    }

    /// A bad input of a known kind whose message says itself where it is.
    pub fn input_fault(fault: Fault, msg: impl Into<String>) -> Self {
        Error::Input(vec![Problem {
            origin: None,
            path: None,
            fault,
            message: msg.into(),
        }])
    }

    /// Like [`Error::at`], with the kind of fault for front ends to word.
    pub fn fault(origin: &str, path: Option<&str>, fault: Fault, msg: impl Into<String>) -> Self {
        Error::Input(vec![Problem {
            origin: Some(origin.to_string()),
            path: path.map(str::to_string),
            fault,
            message: msg.into(),
        }])
    }

    /// The process exit code for this error (2 bad input, 1 other failure).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Work(_) => 2,
            Error::Io { .. } | Error::Cancelled | Error::Other(_) => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
