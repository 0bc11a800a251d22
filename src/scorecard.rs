//! The source review's scorecard of affiliate programs: a Trustpilot-weighted score and a
//! weighted internal score over nine criteria, with its inputs shown and editable
//! (`affcast programs --scores FILE`).

use std::collections::BTreeMap;

use crate::error::{Error, Result};

/// The review's criteria and their weights in the internal score.
pub const CRITERIA: [(&str, f64); 9] = [
    ("commission", 0.20),
    ("cookie", 0.05),
    ("payout", 0.20),
    ("transparency", 0.10),
    ("trust", 0.20),
    ("product", 0.10),
    ("ease", 0.07),
    ("competition", 0.03),
    ("support", 0.05),
];

/// The review's formula: Trustpilot stars × 2 × 0.7 + internal review score × 0.3.
pub const TRUSTPILOT_WEIGHT: f64 = 0.7;

/// One program's inputs, each 1–10 but the Trustpilot stars (1–5).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    pub trustpilot_stars: Option<f64>,
    /// The internal review score.
    pub internal: Option<f64>,
    /// The criteria's scores, in [`CRITERIA`] order.
    pub criteria: [Option<f64>; 9],
    /// Where they come from.
    pub source: String,
}

/// The weights and every program's inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub weights: [f64; 9],
    pub trustpilot_weight: f64,
    pub by_program: BTreeMap<String, Inputs>,
}

/// Rounded up to the next tenth, as the review rounds (5.12 → 5.2, 5.49 → 5.5, 5.5 → 5.5).
pub fn up_to_tenth(x: f64) -> f64 {
    ((x * 10.0) - 1e-9).ceil() / 10.0
}

impl Inputs {
    /// The review's score: Trustpilot stars × 2 weighted against the internal score.
    pub fn score(&self, trustpilot_weight: f64) -> Option<f64> {
        let (stars, internal) = (self.trustpilot_stars?, self.internal?);
        Some(up_to_tenth(
            stars * 2.0 * trustpilot_weight + internal * (1.0 - trustpilot_weight),
        ))
    }

    /// The weighted internal score, when every criterion has a score.
    pub fn weighted(&self, weights: &[f64; 9]) -> Option<f64> {
        let mut sum = 0.0;
        for (s, w) in self.criteria.iter().zip(weights) {
            sum += (*s)? * w;
        }
        Some(up_to_tenth(sum))
    }
}

impl Scores {
    /// The review's weights, and its inputs for AliExpress (Trustpilot 2.2/5, internal 6.8;
    /// criteria 5, 3, 5, 6, 5.2, 9, 7, 2, 5), given to both AliExpress presets.
    pub fn review() -> Scores {
        let aliexpress = Inputs {
            trustpilot_stars: Some(2.2),
            internal: Some(6.8),
            criteria: [5.0, 3.0, 5.0, 6.0, 5.2, 9.0, 7.0, 2.0, 5.0].map(Some),
            source: "the source review of the AliExpress program".into(),
        };
        Scores {
            weights: CRITERIA.map(|(_, w)| w),
            trustpilot_weight: TRUSTPILOT_WEIGHT,
            by_program: ["aliexpress-portals", "aliexpress-admitad"]
                .into_iter()
                .map(|p| (p.to_string(), aliexpress.clone()))
                .collect(),
        }
    }

    /// A scores file's values over these: `[weights]` (the criteria and
    /// `trustpilot_weight`) and a table per program (`trustpilot_stars`, `internal`, the
    /// criteria). `origin` names the file in messages.
    pub fn merge(&mut self, text: &str, origin: &str) -> Result<()> {
        let table: toml::Table = text
            .parse()
            .map_err(|e| Error::input(format!("{origin}: not a scores file: {e}")))?;
        for (name, entries) in table {
            let entries = entries.as_table().ok_or_else(|| {
                Error::input(format!("{origin}: {name}: a table is expected ([{name}])"))
            })?;
            if name == "weights" {
                for (key, v) in entries {
                    let path = format!("{origin}: weights.{key}");
                    let x = number(v, &path, 0.0, 1.0)?;
                    match key.as_str() {
                        "trustpilot_weight" => self.trustpilot_weight = x,
                        _ => self.weights[criterion(key, &path)?] = x,
                    }
                }
                continue;
            }
            let inputs = self
                .by_program
                .entry(name.clone())
                .or_insert_with(|| Inputs {
                    source: origin.to_string(),
                    ..Inputs::default()
                });
            inputs.source = origin.to_string();
            for (key, v) in entries {
                let path = format!("{origin}: {name}.{key}");
                match key.as_str() {
                    "trustpilot_stars" => {
                        inputs.trustpilot_stars = Some(number(v, &path, 1.0, 5.0)?)
                    }
                    "internal" => inputs.internal = Some(number(v, &path, 1.0, 10.0)?),
                    _ => {
                        inputs.criteria[criterion(key, &path)?] = Some(number(v, &path, 0.0, 10.0)?)
                    }
                }
            }
        }
        Ok(())
    }
}

fn number(v: &toml::Value, path: &str, lo: f64, hi: f64) -> Result<f64> {
    let x = v.as_float().or(v.as_integer().map(|i| i as f64));
    match x {
        Some(x) if (lo..=hi).contains(&x) => Ok(x),
        _ => Err(Error::input(format!(
            "{path}: {v} is not a number in {lo}..={hi}"
        ))),
    }
}

fn criterion(key: &str, path: &str) -> Result<usize> {
    CRITERIA.iter().position(|(c, _)| *c == key).ok_or_else(|| {
        let known: Vec<&str> = CRITERIA.iter().map(|(c, _)| *c).collect();
        Error::input(format!(
            "{path}: unknown criterion (known: {}, and trustpilot_stars, internal; weights also trustpilot_weight)",
            known.join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reviews_own_arithmetic_for_aliexpress() {
        let s = Scores::review();
        let a = &s.by_program["aliexpress-portals"];
        // (2.2 × 2 × 0.7) + (6.8 × 0.3) = 5.12 → 5.2; the weighted criteria 5.49 → 5.5.
        assert_eq!(a.score(s.trustpilot_weight), Some(5.2));
        assert_eq!(a.weighted(&s.weights), Some(5.5));
        assert_eq!(up_to_tenth(5.5), 5.5);
        assert!((s.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
