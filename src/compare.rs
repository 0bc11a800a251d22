//! `affcast compare`: category mixes or whole scenarios side by side, with common random
//! numbers so that differences are paired trial by trial.

use crate::engine::{self, Control};
use crate::error::{Error, Result};
use crate::model::Scenario;
use crate::stats::{Band, SummaryBand, SummaryMetric};

/// The figures shown for every variant.
pub const FIGURES: [SummaryMetric; 6] = [
    SummaryMetric::RunRateConfirmed,
    SummaryMetric::RunRateCash,
    SummaryMetric::Epc,
    SummaryMetric::ReversalRate,
    SummaryMetric::FirstCashMonth,
    SummaryMetric::TotalFees,
];

/// Differences smaller than this many standard errors are called noise.
pub const NOISE_Z: f64 = 2.0;
/// "Would settle it" means a difference this many standard errors from zero.
pub const SETTLE_Z: f64 = 3.0;

/// One variant's results.
#[derive(Debug, Clone)]
pub struct VariantResult {
    pub name: String,
    /// Bands of [`FIGURES`], in that order.
    pub figures: Vec<SummaryBand>,
    /// Paired difference of `run_rate_confirmed` against the first variant (cents/month);
    /// `None` for the first.
    pub diff: Option<Band>,
    /// Standard error of the mean paired difference.
    pub diff_se: f64,
    /// P(this variant's `run_rate_confirmed` > the first's); ties count half.
    pub p_beats: Option<f64>,
    /// The verdict against the first variant.
    pub verdict: Option<Verdict>,
}

/// What the paired differences against the first variant say (money in cents per month).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// The difference is 0 in every trial.
    Identical,
    /// The mean difference is beyond the simulation's noise.
    Differs { mean: f64, se: f64 },
    /// The mean difference is exactly 0 but trials differ.
    NoDetectable,
    /// Within the simulation's noise; about `trials_needed` trials would settle it.
    Noise {
        mean: f64,
        se: f64,
        trials_needed: f64,
    },
}

/// Everything `compare` reports.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub currency: String,
    pub trials: u32,
    pub seed: u64,
    pub variants: Vec<VariantResult>,
}

/// The base mix and each of `[mixes]` (or only those named).
pub fn mix_variants(sc: &Scenario, names: &[String]) -> Result<Vec<(String, Scenario)>> {
    if sc.mixes.is_empty() {
        return Err(Error::input(format!(
            "scenario \"{}\" has no [mixes] to compare; add some, or give two or more scenario files",
            sc.name
        )));
    }
    let mut out = vec![("base".to_string(), sc.clone())];
    let chosen: Vec<_> = if names.is_empty() {
        sc.mixes.iter().collect()
    } else {
        names
            .iter()
            .map(|n| {
                sc.mixes.iter().find(|m| &m.name == n).ok_or_else(|| {
                    let known: Vec<_> = sc.mixes.iter().map(|m| m.name.as_str()).collect();
                    Error::input(format!(
                        "--mix: \"{n}\" is not a mix of this scenario (mixes: {})",
                        known.join(", ")
                    ))
                })
            })
            .collect::<Result<_>>()?
    };
    for m in chosen {
        out.push((m.name.clone(), sc.with_mix(m)));
    }
    Ok(out)
}

/// Runs every variant on the first one's trials and seed and compares them.
pub fn compare(
    variants: Vec<(String, Scenario)>,
    threads: usize,
    ctl: &Control,
) -> Result<Comparison> {
    let first = &variants[0].1;
    let (trials, seed) = (first.trials, first.seed);
    let scenarios: Vec<Scenario> = variants
        .iter()
        .map(|(_, s)| Scenario {
            trials,
            seed,
            ..s.clone()
        })
        .collect();
    let values = engine::run_paired(&scenarios, trials, threads, ctl, |l| {
        FIGURES.map(|f| f.of(l))
    })?;
    let run_rate =
        |v: usize| -> Vec<f64> { values[v].iter().map(|x| x[0].unwrap_or(0.0)).collect() };
    let base = run_rate(0);
    let results = variants
        .iter()
        .enumerate()
        .map(|(v, (name, _))| {
            let figures = FIGURES
                .iter()
                .enumerate()
                .map(|(i, &f)| SummaryBand::of(f, values[v].iter().map(|x| x[i]).collect()))
                .collect();
            let mut r = VariantResult {
                name: name.clone(),
                figures,
                diff: None,
                diff_se: 0.0,
                p_beats: None,
                verdict: None,
            };
            if v > 0 {
                let mut d: Vec<f64> = run_rate(v).iter().zip(&base).map(|(a, b)| a - b).collect();
                let n = d.len() as f64;
                let mean = d.iter().sum::<f64>() / n;
                let var = if n > 1.0 {
                    d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
                } else {
                    0.0
                };
                r.diff_se = (var / n).sqrt();
                r.p_beats = Some(
                    d.iter()
                        .map(|&x| {
                            if x > 0.0 {
                                1.0
                            } else if x == 0.0 {
                                0.5
                            } else {
                                0.0
                            }
                        })
                        .sum::<f64>()
                        / n,
                );
                r.verdict = Some(verdict(&d, mean, r.diff_se, trials));
                r.diff = Band::of(&mut d);
            }
            r
        })
        .collect();
    Ok(Comparison {
        currency: first.currency.clone(),
        trials,
        seed,
        variants: results,
    })
}

fn verdict(d: &[f64], mean: f64, se: f64, trials: u32) -> Verdict {
    if d.iter().all(|&x| x == 0.0) {
        Verdict::Identical
    } else if se == 0.0 || mean.abs() >= NOISE_Z * se {
        Verdict::Differs { mean, se }
    } else if mean == 0.0 {
        Verdict::NoDetectable
    } else {
        Verdict::Noise {
            mean,
            se,
            trials_needed: (trials as f64 * (SETTLE_Z * se / mean.abs()).powi(2)).ceil(),
        }
    }
}
