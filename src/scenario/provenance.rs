//! Where each effective value of a scenario came from: the file, the preset, or a default,
//! recorded by validation as it reads each key.

use std::collections::BTreeMap;

use super::params::{self, Section, Value};
use super::programs::Confidence;
use crate::model::{Preset, Scenario};

/// Where one value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    File,
    Preset(Preset),
    /// A program preset's term, with how sure its source is.
    Term(Preset, Confidence),
    /// A default, with a qualifier such as " (assumption)".
    Default(&'static str),
    /// Not set: inherited from another key (a key path).
    Inherit(&'static str),
    /// Not set: the value of another key of the same table.
    SameAs(&'static str),
    /// Not set: the default for an item named with this country code.
    Country(&'static str),
}

impl Origin {
    /// As the report's assumptions write it.
    pub fn label(self) -> String {
        match self {
            Origin::File => "file".into(),
            Origin::Preset(p) => format!("preset {}", p.name()),
            Origin::Term(p, c) => format!("preset {} ({})", p.name(), c.label()),
            Origin::Default(note) => format!("default{note}"),
            Origin::Inherit(from) => from.into(),
            Origin::SameAs(key) => format!("default (= {key})"),
            Origin::Country(code) => format!("default for {code} (buyer protection)"),
        }
    }
}

/// The origin of every key validation read, by key path (`categories[1].refund_rate`), and
/// the warnings about values that are valid but probably not what was meant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    origins: BTreeMap<String, Origin>,
    /// What is valid but probably not meant: each with its file, key path and numbers.
    pub warnings: Vec<crate::error::Problem>,
}

impl Provenance {
    pub(super) fn record(&mut self, path: &str, origin: Origin) {
        self.origins.insert(path.to_string(), origin);
    }

    /// The origin of a key path; `File` for one validation did not record.
    pub fn origin(&self, path: &str) -> Origin {
        self.origins.get(path).copied().unwrap_or(Origin::File)
    }
}

/// One effective parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    pub key: String,
    pub value: Shown,
    pub origin: Origin,
}

/// An assumption's value: a checked value, a payout method's terms, or a description (an
/// event).
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Value(Value),
    Method(crate::model::PayoutMethod),
    Text(String),
}

/// Every effective parameter of `sc`, with its origin.
pub fn assumptions(sc: &Scenario, prov: &Provenance) -> Vec<Assumption> {
    let mut out = Vec::new();
    let mut add =
        |key: String, value: Shown, origin: Origin| out.push(Assumption { key, value, origin });
    for (key, value) in [
        ("months", sc.months.to_string()),
        ("currency", sc.currency.clone()),
        ("simulation.trials", sc.trials.to_string()),
        ("simulation.seed", sc.seed.to_string()),
        ("program.preset", sc.preset.name().to_string()),
    ] {
        add(key.into(), Shown::Text(value), prov.origin(key));
    }
    let section =
        |section: Section, i: usize, item: &str, add: &mut dyn FnMut(String, Shown, Origin)| {
            for e in params::section(section) {
                if e.kind == params::ValueKind::Name {
                    continue;
                }
                let origin = prov.origin(&e.path(i));
                let value = match ((e.get)(sc, i), e.fallback) {
                    (Some(v), _) => Shown::Value(v),
                    // An inherited value shows what is in force.
                    (
                        None,
                        params::Fallback::Inherit { from } | params::Fallback::ByName { from, .. },
                    ) => match inherited(sc, from) {
                        Some(v) => Shown::Value(v),
                        None => continue,
                    },
                    (None, _) => continue,
                };
                add(e.named_path(item), value, origin);
            }
        };
    section(Section::Program, 0, "", &mut add);
    if let Some(name) = &sc.program.payout_method {
        add(
            "program.payout_method".into(),
            Shown::Text(name.clone()),
            Origin::File,
        );
    }
    for (i, m) in sc.program.payout_methods.iter().enumerate() {
        let path = format!("payout_methods[{i}]");
        add(
            format!("{path} {}", m.name),
            Shown::Method(m.clone()),
            prov.origin(&path),
        );
    }
    section(Section::Traffic, 0, "", &mut add);
    section(Section::Links, 0, "", &mut add);
    for (i, e) in sc.events.iter().enumerate() {
        let cookie = e
            .cookie_days
            .map_or(String::new(), |c| format!(", cookie {c} days"));
        add(
            format!("events[{i}] {}", e.name),
            Shown::Text(format!(
                "from {:02}-{:02} for {} days: traffic ×{}, conversion ×{}{cookie}",
                e.month, e.day, e.days, e.traffic, e.conversion
            )),
            Origin::File,
        );
    }
    for (i, r) in sc.regions.iter().enumerate() {
        section(Section::Regions, i, &r.name, &mut add);
    }
    for (i, c) in sc.categories.iter().enumerate() {
        section(Section::Categories, i, &c.name, &mut add);
    }
    out
}

/// The value in force of a key path of the program, traffic or links.
fn inherited(sc: &Scenario, path: &str) -> Option<Value> {
    [Section::Program, Section::Traffic, Section::Links]
        .into_iter()
        .flat_map(params::section)
        .find(|e| e.path(0) == path)
        .and_then(|e| (e.get)(sc, 0))
}
