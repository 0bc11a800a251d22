//! Scenario files: parse the TOML, apply the preset, validate, produce a checked [`Scenario`].

pub mod limits;
pub mod params;
mod presets;
pub mod programs;
pub mod provenance;
pub mod raw;
mod validate;

use std::path::Path;

use crate::error::{Error, Fault, Result};
use crate::model::Scenario;

pub use presets::{DEFAULT_SCENARIO, starter_file, toml_literal};
pub use provenance::Provenance;
pub use raw::RawScenario;

/// Where a scenario's text came from, for messages.
pub const BUILTIN_ORIGIN: &str = "(built-in default scenario)";

/// Reads and checks a scenario file.
pub fn load(path: &Path) -> Result<Scenario> {
    load_with_provenance(path).map(|(sc, _)| sc)
}

/// Like [`load`], with where each value came from and the warnings about it.
pub fn load_with_provenance(path: &Path) -> Result<(Scenario, Provenance)> {
    let origin = path.display().to_string();
    let text = crate::output::read_input(path)?;
    parse_with_provenance(&text, &origin)
}

/// The built-in default scenario.
pub fn builtin() -> Scenario {
    parse(DEFAULT_SCENARIO, BUILTIN_ORIGIN).expect("the built-in default scenario is valid")
}

/// Parses and checks scenario text; `origin` names it in messages.
pub fn parse(text: &str, origin: &str) -> Result<Scenario> {
    parse_with_provenance(text, origin).map(|(sc, _)| sc)
}

/// Like [`parse`], with where each value came from (file, preset or default).
pub fn parse_with_provenance(text: &str, origin: &str) -> Result<(Scenario, Provenance)> {
    let raw = parse_raw(text, origin)?;
    validate::validate(&raw, origin, text).map_err(Error::Input)
}

/// Parses scenario text into its raw form (TOML types only).
pub fn parse_raw(text: &str, origin: &str) -> Result<RawScenario> {
    let de = toml::Deserializer::parse(text).map_err(|e| {
        looks_like_an_export(text, origin)
            .or_else(|| percent_written(text, origin, &e))
            .unwrap_or_else(|| toml_error(origin, None, text, &e))
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        toml_error(origin, Some(path), text, e.inner())
    })
}

/// A JSON or CSV order export given where a scenario belongs: say what to do with it.
fn looks_like_an_export(text: &str, origin: &str) -> Option<Error> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let json = t.starts_with('{')
        || (t.starts_with('[') && t[1..].trim_start().starts_with(['{', '"', ']']));
    let first = t.lines().next().unwrap_or("");
    let csv = first.matches(',').count() >= 2 && !first.contains('=') && !first.starts_with('[');
    (json || csv).then(|| {
        Error::at(origin, None, format!(
            "this looks like an order export ({}), not a scenario (TOML). Estimate a scenario from it with `affcast fit {origin}`, or open a forecast with its orders with `affcast forecast --pipeline {origin}`",
            if json { "JSON" } else { "CSV" }
        ))
    })
}

/// `key = 1.2%`: a percentage written where TOML needs a plain number.
fn percent_written(text: &str, origin: &str, e: &toml::de::Error) -> Option<Error> {
    let start = e.span()?.start.min(text.len());
    let n = text.as_bytes()[..start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    let line = text.lines().nth(n)?;
    let (key, value) = line.split_once('=')?;
    let number: f64 = value
        .split('#')
        .next()?
        .trim()
        .strip_suffix('%')?
        .trim()
        .parse()
        .ok()?;
    let key = key.trim();
    // The key's table: the last header above the line, with its item index for a list.
    let mut path = String::new();
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for l in text.lines().take(n) {
        let l = l.trim();
        if let Some(list) = l.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            let c = counts.entry(list.to_string()).or_insert(0);
            path = format!("{list}[{c}].");
            *c += 1;
        } else if let Some(table) = l.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            path = format!("{table}.");
        }
    }
    Some(Error::at(
        origin,
        Some(&format!("{path}{key}")),
        format!(
            "\"{}\" is a percentage; write it as a plain number: {number}% is {} (line {})",
            value.split('#').next().unwrap_or("").trim(),
            number / 100.0,
            n + 1
        ),
    ))
}

fn toml_error(origin: &str, path: Option<String>, text: &str, e: &toml::de::Error) -> Error {
    let line = e.span().map(|s| {
        text.as_bytes()[..s.start.min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    });
    let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
    let msg = e.message().trim_end();
    let path = path.filter(|p| p != "." && !p.is_empty());
    Error::fault(
        origin,
        path.as_deref(),
        Fault::Syntax { line },
        format!("{msg}{at}"),
    )
}
