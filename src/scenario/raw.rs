//! The scenario file as written: serde types that accept exactly the documented keys.
//!
//! Nothing here is checked beyond its TOML type; [`super::validate`] turns a [`RawScenario`]
//! into a checked [`crate::model::Scenario`].

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
    pub program: Option<RawProgram>,
    pub traffic: Option<RawTraffic>,
    #[serde(default)]
    pub events: Vec<RawEvent>,
    #[serde(default)]
    pub regions: Vec<RawRegion>,
    #[serde(default)]
    pub categories: Vec<RawCategory>,
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

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProgram {
    pub preset: Option<String>,
    pub cookie_days: Option<RawU>,
    pub same_session_share: Option<RawU>,
    pub purchase_delay_days: Option<RawDist>,
    pub overwrite_rate: Option<RawU>,
    pub commission_cap: Option<f64>,
    pub processing_days: Option<RawDist>,
    pub confirm_receipt_share: Option<RawU>,
    pub confirm_delay_days: Option<RawDist>,
    pub refund_delay_days: Option<RawDist>,
    pub auto_confirm_days: Option<f64>,
    pub invalid_after_days: Option<f64>,
    pub settlement: Option<String>,
    pub settlement_day: Option<i64>,
    pub settlement_lag_days: Option<i64>,
    pub minimum_payout: Option<f64>,
    pub withdraw_at: Option<f64>,
    pub payout_fee: Option<f64>,
    pub payout_fee_percent: Option<f64>,
    pub payout_delay_days: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraffic {
    pub clicks_per_month: Option<RawU>,
    pub monthly_growth: Option<RawU>,
    pub overdispersion: Option<f64>,
    pub seasonality: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub name: Option<String>,
    pub from: Option<String>,
    pub days: Option<i64>,
    pub traffic: Option<f64>,
    pub conversion: Option<f64>,
    pub cookie_days: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub name: Option<String>,
    pub share: Option<f64>,
    pub shipping_days: Option<RawDist>,
    pub auto_confirm_days: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub name: Option<String>,
    pub share: Option<f64>,
    pub conversion_rate: Option<RawU>,
    pub order_value: Option<RawDist>,
    pub commission_rate: Option<RawU>,
    pub hot_share: Option<RawU>,
    pub hot_rate: Option<RawU>,
    pub cancel_rate: Option<RawU>,
    pub refund_rate: Option<RawU>,
    pub new_buyer_share: Option<RawU>,
    pub new_buyer_bonus: Option<RawU>,
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
