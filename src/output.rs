//! Files in and out: inputs read with plain messages, results written whole or not at all,
//! stdout that tolerates a closed pipe.

use std::io::{ErrorKind, IsTerminal, Write};
use std::path::{Path, PathBuf};

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

/// Whether an output path means standard output: `-` or `/dev/stdout`.
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-") || path == Path::new("/dev/stdout")
}

/// Links followed before a path is taken to loop.
const MAX_LINKS: usize = 40;

/// The file a path names once symbolic links are followed (it may not exist yet: a link may
/// point to a file still to be written).
fn through_links(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p).map_err(|e| Error::Io {
                    path: p.clone(),
                    source: e,
                })?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::input(format!(
        "{}: too many symbolic links (a loop?)",
        path.display()
    )))
}

/// Why a file that exists may not be replaced by an output, if it may not: only regular
/// files that may be written are.
pub fn refusal(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_dir() {
        Some("is a folder; name a file in it")
    } else if !kind.is_file() {
        Some(
            "is not a regular file (a device, a pipe or a socket), which affcast does not replace; use `-o -` for standard output",
        )
    } else if meta.permissions().readonly() {
        Some("is read-only, so affcast does not replace it; make it writable or name another file")
    } else {
        None
    }
}

/// The file an output path writes, and the permissions it keeps if it exists: a new file or
/// a writable regular file, through symbolic links; anything else is refused, the message
/// starting with `flag` (the flag and ": ", or nothing).
fn destination(flag: &str, path: &Path) -> Result<(PathBuf, Option<std::fs::Permissions>)> {
    let target = through_links(path)?;
    match std::fs::metadata(&target) {
        Ok(meta) => match refusal(&meta) {
            Some(why) => Err(Error::input(format!("{flag}{}: {why}", path.display()))),
            None => Ok((target, Some(meta.permissions()))),
        },
        Err(e) if e.kind() == ErrorKind::NotFound => Ok((target, None)),
        Err(e) => Err(Error::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// Checks before any work that `flag`'s path can take the output: standard output, a new
/// file, or a writable regular file (through any symbolic links).
pub fn check_destination(flag: &str, path: &Path) -> Result<()> {
    if !is_stdout(path) {
        destination(&format!("{flag}: "), path)?;
    }
    Ok(())
}

/// Writes an output the user named: `-` and `/dev/stdout` are standard output; any other
/// path is followed through symbolic links to the file it names, which is replaced whole
/// (keeping its permissions) or created. Anything but a writable regular file is refused.
pub fn write_output(path: &Path, text: &str) -> Result<()> {
    if is_stdout(path) {
        return print(text);
    }
    let (target, keep) = destination("", path)?;
    write_atomically(&target, text, keep)
}

/// Writes `text` to `path` through a temporary file in the same directory and a rename, so
/// the file is either the old one or the whole new one, never half-written. The file gets
/// `permissions` (an existing file's own), else those of an ordinary new file.
fn write_atomically(
    path: &Path,
    text: &str,
    permissions: Option<std::fs::Permissions>,
) -> Result<()> {
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
    // A temporary file is private (0600); the result keeps the replaced file's permissions,
    // or is an ordinary file.
    #[cfg(unix)]
    let permissions = permissions.or_else(|| {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    });
    if let Some(p) = permissions {
        tmp.as_file().set_permissions(p).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Text for a terminal: control characters other than newline and tab (an escape sequence
/// in a category name, a file name or a cell) written as escapes (`\u{1b}`), so that data
/// can never move the cursor, recolour or retitle the user's terminal.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, &['\n', '\t'])
}

/// `text` with its control characters, but those in `kept`, written as `\u{..}` escapes.
pub fn escape_controls<'t>(text: &'t str, kept: &[char]) -> std::borrow::Cow<'t, str> {
    let escaped = |c: char| c.is_control() && !kept.contains(&c);
    if !text.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Prints a line on stderr, its control characters escaped ([`for_terminal`]).
pub fn say(line: &str) {
    eprintln!("{}", for_terminal(line));
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
