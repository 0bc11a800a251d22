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

/// One thing wrong with the user's input: where it is (the file, and the key path in it)
/// and what is wrong, apart, so that a front end can point at the key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file or text the problem is in, unless the message names it itself.
    pub origin: Option<String>,
    /// The key at fault ("categories[1].refund_rate"), when one is.
    pub path: Option<String>,
    pub message: String,
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
            message: msg.into(),
        }])
    }

    /// A bad input in `origin`, at key `path` if one is at fault.
    pub fn at(origin: &str, path: Option<&str>, msg: impl Into<String>) -> Self {
        Error::Input(vec![Problem {
            origin: Some(origin.to_string()),
            path: path.map(str::to_string),
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
