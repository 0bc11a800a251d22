//! Scenario files: parse the TOML, apply the preset, validate, produce a checked [`Scenario`].

pub mod params;
mod presets;
pub mod provenance;
pub mod raw;
mod validate;

/// The largest values a scenario or a flag may ask for.
pub mod limits {
    pub use super::validate::{
        MAX_AMOUNT, MAX_CLICKS_PER_MONTH, MAX_MONTHS, MAX_SPREAD_RATIO, MAX_TRIALS,
    };
}

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Scenario;

pub use presets::{DEFAULT_SCENARIO, starter_file, toml_literal};
pub use provenance::Provenance;
pub use raw::RawScenario;

/// Where a scenario's text came from, for messages.
pub const BUILTIN_ORIGIN: &str = "(built-in default scenario)";

/// Reads and checks a scenario file.
pub fn load(path: &Path) -> Result<Scenario> {
    let origin = path.display().to_string();
    let text = crate::output::read_input(path)?;
    parse(&text, &origin)
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
    let de = toml::Deserializer::parse(text).map_err(|e| toml_error(origin, None, text, &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        toml_error(origin, Some(path), text, e.inner())
    })
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
    match path.filter(|p| p != "." && !p.is_empty()) {
        Some(p) => Error::input(format!("{origin}: {p}: {msg}{at}")),
        None => Error::input(format!("{origin}: {msg}{at}")),
    }
}
