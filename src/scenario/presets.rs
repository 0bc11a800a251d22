//! The built-in scenario texts: the default scenario and `init`'s starter, whose program
//! block is written from the parameter table under the chosen preset.

use std::fmt::Write as _;

use super::params::{self, Fallback, Literal, Section, ValueKind};
use crate::model::Preset;

/// The scenario `affcast forecast` runs when no file is given.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/default.toml");

const STARTER: &str = include_str!("starter.toml");

/// The commented starter file printed by `affcast init`: every program key with the preset's
/// own value, and a commented `[links]` section with its defaults.
pub fn starter_file(preset: Preset) -> String {
    let mut block = String::new();
    for e in params::section(Section::Program) {
        let literal = match e.fallback {
            Fallback::SameAs(other) => params::find(Section::Program, other)
                .and_then(|o| params::fallback_literal(o, preset)),
            _ => params::fallback_literal(e, preset),
        };
        let Some(literal) = literal else { continue };
        if let Some((other, words)) = e.only_if {
            let in_force = params::find(Section::Program, other)
                .and_then(|o| params::fallback_literal(o, preset));
            if !words.iter().any(|&w| in_force == Some(Literal::Word(w))) {
                continue;
            }
        }
        let line = format!("# {} = {}", e.key, toml_literal(e.kind, literal));
        let _ = writeln!(block, "{line:<33} # {}", e.help);
    }
    let mut links = String::new();
    for e in params::section(Section::Links) {
        let Some(literal) = params::fallback_literal(e, preset) else {
            continue;
        };
        let line = format!("# {} = {}", e.key, toml_literal(e.kind, literal));
        let _ = writeln!(links, "{line:<33} # {}", e.help);
    }
    STARTER
        .replace("{preset}", preset.name())
        .replace("{program}\n", &block)
        .replace("{links}\n", &links)
}

/// A literal as TOML text: money with two decimals, distributions as inline tables.
pub fn toml_literal(kind: ValueKind, l: Literal) -> String {
    match (kind, l) {
        (_, Literal::Word(w)) => format!("\"{w}\""),
        (_, Literal::Dist(median, p90)) => format!("{{ median = {median}, p90 = {p90} }}"),
        (ValueKind::Money, Literal::Number(x)) => format!("{x:.2}"),
        (_, Literal::Number(x)) => format!("{x}"),
    }
}
