//! Files in and out: inputs read with plain messages, results written whole or not at all,
//! stdout that tolerates a closed pipe.

use std::io::{ErrorKind, IsTerminal, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Reads a text input (a scenario, an export): a missing or non-UTF-8 file is bad input.
pub fn read_input(path: &Path) -> Result<String> {
    let origin = path.display();
    std::fs::read_to_string(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => Error::input(format!("{origin}: no such file")),
        ErrorKind::InvalidData => Error::input(format!("{origin}: not UTF-8 text")),
        ErrorKind::IsADirectory => Error::input(format!("{origin}: is a folder, not a file")),
        _ => Error::Io {
            path: path.to_path_buf(),
            source: e,
        },
    })
}

/// Writes `text` to `path` through a temporary file in the same directory and a rename, so
/// the file is either the old one or the whole new one, never half-written.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".affcast-")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    // A temporary file is private (0600); the result is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Prints `text` on stdout. A reader that stops early (`| head`) is not an error.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(Error::Io {
            path: "<stdout>".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Whether stdout is a terminal (decides the default format).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
