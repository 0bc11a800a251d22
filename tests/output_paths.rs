//! Where `-o` writes: a regular file is replaced whole, keeping its permissions; a symbolic
//! link is written through to its file; anything else (read-only, a folder, a device or a
//! pipe) is refused with exit code 2 before any work, and `-o -` is standard output.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

use crate::common::{affcast, succeed};

/// A quick forecast written to `out`; its exit code and stderr.
fn forecast_to(out: &Path) -> (Option<i32>, String) {
    let result = affcast()
        .args([
            "forecast", "--trials", "20", "--months", "3", "--format", "json", "-o",
        ])
        .arg(out)
        .output()
        .unwrap();
    (
        result.status.code(),
        String::from_utf8_lossy(&result.stderr).into_owned(),
    )
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_regular_file_is_replaced_whole_and_keeps_its_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("private.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, stderr) = forecast_to(&out);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(mode(&out), 0o600);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(doc["monthly"].is_array());
    // A new file is an ordinary one.
    let new = dir.path().join("new.json");
    assert_eq!(forecast_to(&new).0, Some(0));
    assert_eq!(mode(&new), 0o644);
}

#[test]
fn a_symbolic_link_is_written_through_to_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let (code, stderr) = forecast_to(&link);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("\"monthly\"")
    );
    assert_eq!(mode(&real), 0o640);
    // A link to a file still to be written creates it.
    let dangling = dir.path().join("later.json");
    std::os::unix::fs::symlink("made.json", &dangling).unwrap();
    assert_eq!(forecast_to(&dangling).0, Some(0));
    assert!(dir.path().join("made.json").is_file());
}

#[test]
fn what_is_not_a_writable_regular_file_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let read_only = dir.path().join("keep.json");
    std::fs::write(&read_only, "keep").unwrap();
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    let fifo = dir.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let folder = dir.path().join("folder.json");
    std::fs::create_dir(&folder).unwrap();
    for (path, why) in [
        (&read_only, "is read-only"),
        (&fifo, "is not a regular file"),
        (&folder, "is a folder"),
    ] {
        let (code, stderr) = forecast_to(path);
        assert_eq!(code, Some(2), "{}: {stderr}", path.display());
        assert!(
            stderr.contains(&format!("--output: {}: {why}", path.display())),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(&read_only).unwrap(), "keep");
    assert_eq!(mode(&read_only), 0o444);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // The same for a plot.
    let svg_fifo = dir.path().join("chart.svg");
    std::process::Command::new("mkfifo")
        .arg(&svg_fifo)
        .status()
        .unwrap();
    let r = affcast()
        .args(["forecast", "--trials", "20", "--months", "3", "--plot"])
        .arg(&svg_fifo)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--plot: "));
}

#[test]
fn a_device_is_never_replaced() {
    // Read only: the decision is made from the file's kind, so no test writes near a device.
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(affcast::output::refusal(&null).is_some_and(|w| w.contains("not a regular file")));
}

#[test]
fn a_dash_and_dev_stdout_are_standard_output() {
    for path in ["-", "/dev/stdout"] {
        let out = succeed(
            affcast()
                .args([
                    "forecast", "--trials", "20", "--months", "3", "--format", "json", "-o",
                ])
                .arg(path),
        );
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(doc["monthly"].is_array(), "{path}");
    }
}
