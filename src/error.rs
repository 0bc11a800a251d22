//! One error type for the library; `main` maps it to an exit code.

use std::path::PathBuf;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input is wrong: a scenario, a flag, a data file. Exit code 2.
    #[error("{}", .0.join("\n"))]
    Input(Vec<String>),
    /// Reading or writing a file failed for reasons outside the input's content. Exit code 1.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The work asked for is beyond what a run may take (hours, gigabytes). Exit code 2.
    #[error("{0}")]
    Work(String),
    /// The run was cancelled before it finished (a client went away). Exit code 1.
    #[error("the run was cancelled")]
    Cancelled,
    /// Anything else that is not the user's fault. Exit code 1.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// A single bad-input message.
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Input(vec![msg.into()])
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
