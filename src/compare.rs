//! `affcast compare`: category mixes or whole scenarios side by side, with common random
//! numbers so that differences are paired trial by trial, judged on an [`Objective`]
//! (money in the bank by default).

use crate::engine::{self, Control, Thinning};
use crate::error::{Error, Result};
use crate::model::Scenario;
use crate::stats::{Band, Objective, SummaryBand, SummaryMetric, paired};

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
    /// Bands of [`FIGURES`], in that order, then the objective if it is not one of them, then
    /// any extra figures asked for.
    pub figures: Vec<SummaryBand>,
    /// The band of the objective.
    pub objective: SummaryBand,
    /// Paired difference of the objective against the first variant (cents, per month for
    /// a monthly objective); `None` for the first.
    pub diff: Option<Band>,
    /// Monte Carlo standard error of the mean paired difference (shrinks with more trials).
    pub diff_se: f64,
    /// P(this variant's objective > the first's); ties count half.
    pub p_beats: Option<f64>,
    /// The verdict against the first variant.
    pub verdict: Option<Verdict>,
}

/// What the paired differences of the objective against the first variant say. The mean
/// and its standard error `se` are the simulation's estimate and noise; the band of the
/// difference (in the result) is the spread across plausible worlds, which more trials do
/// not shrink.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// The difference is 0 in every trial.
    Identical,
    /// The mean difference is beyond the simulation's noise.
    Differs { mean: f64, se: f64 },
    /// Within the simulation's noise; about `trials_needed` trials would settle it (`None`:
    /// the mean is exactly 0, no number of trials would).
    Noise {
        mean: f64,
        se: f64,
        trials_needed: Option<f64>,
    },
}

/// Everything `compare` reports.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// What the variants are judged on.
    pub objective: Objective,
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

/// Runs every variant on the first one's trials and seed and compares them on `objective`.
pub fn compare(
    variants: Vec<(String, Scenario)>,
    objective: Objective,
    threads: usize,
    ctl: &Control,
) -> Result<Comparison> {
    compare_with(variants, objective, &[], threads, ctl)
}

/// Like [`compare`], with `extra` figures after [`FIGURES`] (`days_to_bank` for programs).
pub fn compare_with(
    variants: Vec<(String, Scenario)>,
    objective: Objective,
    extra: &[SummaryMetric],
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
    let metric = objective.metric();
    let values = engine::run_paired(&scenarios, trials, threads, ctl, Thinning::Any, |l| {
        let extra: Vec<Option<f64>> = extra.iter().map(|f| f.of(l)).collect();
        (FIGURES.map(|f| f.of(l)), metric.of(l), extra)
    })?;
    let judged = |v: usize| -> Vec<f64> { values[v].iter().map(|x| x.1.unwrap_or(0.0)).collect() };
    let base = judged(0);
    let results = variants
        .iter()
        .enumerate()
        .map(|(v, (name, _))| {
            let objective_band = SummaryBand::of(metric, values[v].iter().map(|x| x.1).collect());
            let mut figures: Vec<SummaryBand> = FIGURES
                .iter()
                .enumerate()
                .map(|(i, &f)| SummaryBand::of(f, values[v].iter().map(|x| x.0[i]).collect()))
                .collect();
            // The objective is shown too when it is not one of the usual figures.
            if !FIGURES.contains(&metric) {
                figures.push(objective_band.clone());
            }
            figures.extend(
                extra
                    .iter()
                    .enumerate()
                    .map(|(i, &f)| SummaryBand::of(f, values[v].iter().map(|x| x.2[i]).collect())),
            );
            let mut r = VariantResult {
                name: name.clone(),
                figures,
                objective: objective_band,
                diff: None,
                diff_se: 0.0,
                p_beats: None,
                verdict: None,
            };
            if v > 0 {
                let mut d: Vec<f64> = judged(v).iter().zip(&base).map(|(a, b)| a - b).collect();
                let (mean, se, beats) = paired(&d);
                r.diff_se = se;
                r.p_beats = Some(beats);
                r.verdict = Some(verdict(&d, mean, se, trials));
                r.diff = Band::of(&mut d);
            }
            r
        })
        .collect();
    Ok(Comparison {
        objective,
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
    } else {
        Verdict::Noise {
            mean,
            se,
            trials_needed: (mean != 0.0)
                .then(|| (trials as f64 * (SETTLE_Z * se / mean.abs()).powi(2)).ceil()),
        }
    }
}
