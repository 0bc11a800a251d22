//! Every input kept from fuzzing (tests/fuzz_regressions/<target>/), run through what the
//! fuzz target runs: a result or a bad-input error (exit code 2), never a panic.

use std::path::Path;

use affcast::exports::{self as records, Source};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "{} has inputs", dir.display());
    out
}

#[test]
fn scenario_inputs() {
    for (name, data) in inputs("scenario") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        match affcast::scenario::parse(text, "fuzz.toml") {
            Ok(sc) => {
                let _ = affcast::engine::estimate(&sc, 1, 1, true);
                let _ = sc.calendar();
            }
            Err(e) => assert_eq!(e.exit_code(), 2, "{name}: {e}"),
        }
    }
}

#[test]
fn export_inputs() {
    for (target, source) in [
        ("aliexpress", Source::Aliexpress),
        ("admitad", Source::Admitad),
    ] {
        for (name, data) in inputs(target) {
            let Ok(text) = std::str::from_utf8(&data) else {
                continue;
            };
            for s in [Some(source), None] {
                match records::parse(text, "fuzz.json", s) {
                    Ok(export) => {
                        let _ = affcast::pipeline::Pipeline::from_export(
                            &export,
                            &affcast::scenario::builtin(),
                        )
                        .opening();
                    }
                    Err(e) => assert_eq!(e.exit_code(), 2, "{target}/{name}: {e}"),
                }
            }
        }
    }
}

#[test]
fn generic_and_clicks_inputs() {
    let map = records::FieldMap::parse("commission=Estimated Commission").unwrap();
    for (name, data) in inputs("generic") {
        if let Err(e) = records::xlsx_records(&data, "fuzz.xlsx") {
            assert_eq!(e.exit_code(), 2, "generic/{name}: {e}");
        }
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        for s in [Some(Source::Generic), None] {
            match records::parse_with(text, "fuzz.csv", s, &map) {
                Ok(export) => {
                    let _ = affcast::fit::groups::breakdown(
                        &export,
                        affcast::fit::groups::By::SubId,
                        None,
                    );
                }
                Err(e) => assert_eq!(e.exit_code(), 2, "generic/{name}: {e}"),
            }
        }
    }
    for (name, data) in inputs("clicks") {
        let text = String::from_utf8_lossy(&data);
        match records::Clicks::parse_text(&text, "fuzz.csv") {
            Ok(c) => assert!(c.total > 0 || c.by_day.is_empty(), "clicks/{name}"),
            Err(e) => assert_eq!(e.exit_code(), 2, "clicks/{name}: {e}"),
        }
    }
}
