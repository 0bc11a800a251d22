//! The scenario file as written: serde types that accept exactly the documented keys.
//!
//! Nothing here is checked beyond its TOML type; the tables whose keys are in the parameter
//! table stay TOML tables, read key by key by [`super::validate`], which turns a
//! [`RawScenario`] into a checked [`crate::model::Scenario`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// A scalar that may be uncertain: a plain number, or a 90% interval drawn once per trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawU {
    Fixed(f64),
    Range { low: f64, high: f64 },
}

/// A per-event distribution: a plain number (constant) or `{ median, p90 }` (lognormal).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawDist {
    Fixed(f64),
    Spread { median: RawU, p90: f64 },
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub start: Option<String>,
    pub months: Option<i64>,
    pub currency: Option<String>,
    pub simulation: Option<RawSimulation>,
    /// Keys of the parameter table ([`super::params`]), checked by validation.
    pub program: Option<toml::Table>,
    pub traffic: Option<toml::Table>,
    /// Link volatility; absent: links never die.
    pub links: Option<toml::Table>,
    #[serde(default)]
    pub events: Vec<toml::Table>,
    #[serde(default)]
    pub regions: Vec<toml::Table>,
    #[serde(default)]
    pub categories: Vec<toml::Table>,
    /// The program's payout methods, when it offers several.
    #[serde(default)]
    pub payout_methods: Vec<toml::Table>,
    /// Mix name → (category name → click share), in file order.
    #[serde(default)]
    pub mixes: toml::Table,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub trials: Option<i64>,
    pub seed: Option<i64>,
}

impl<'de> Deserialize<'de> for RawU {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UVisitor)
    }
}

struct UVisitor;

impl<'de> Visitor<'de> for UVisitor {
    type Value = RawU;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a 90% interval { low = ..., high = ... }")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawU, E> {
        Ok(RawU::Fixed(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawU, E> {
        Ok(RawU::Fixed(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawU, E> {
        Ok(RawU::Fixed(v as f64))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawU, A::Error> {
        let (mut low, mut high) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "low" => low = Some(map.next_value::<f64>()?),
                "high" => high = Some(map.next_value::<f64>()?),
                other => return Err(de::Error::unknown_field(other, &["low", "high"])),
            }
        }
        match (low, high) {
            (Some(low), Some(high)) => Ok(RawU::Range { low, high }),
            (None, _) => Err(de::Error::missing_field("low")),
            (_, None) => Err(de::Error::missing_field("high")),
        }
    }
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DistVisitor)
    }
}

struct DistVisitor;

impl<'de> Visitor<'de> for DistVisitor {
    type Value = RawDist;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a distribution { median = ..., p90 = ... }")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
        Ok(RawDist::Fixed(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
        Ok(RawDist::Fixed(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
        Ok(RawDist::Fixed(v as f64))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDist, A::Error> {
        let (mut median, mut p90) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "median" => median = Some(map.next_value::<RawU>()?),
                "p90" => p90 = Some(map.next_value::<f64>()?),
                other => return Err(de::Error::unknown_field(other, &["median", "p90"])),
            }
        }
        match (median, p90) {
            (Some(median), Some(p90)) => Ok(RawDist::Spread { median, p90 }),
            (None, _) => Err(de::Error::missing_field("median")),
            (_, None) => Err(de::Error::missing_field("p90")),
        }
    }
}
