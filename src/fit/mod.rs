//! `affcast fit`: a scenario estimated from an affiliate's own order export.

mod delays;
mod estimate;
mod file;
pub mod groups;
pub mod survival;

pub use delays::DelayFit;
pub use estimate::{
    CategoryEstimate, Cohort, Estimate, MIN_REGION_CONFIRMATIONS, PRIOR_ORDERS, REGION_MIN_SHARE,
    RegionEstimate, THIN_ORDERS, estimate,
};
pub use file::write;

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

use crate::error::{Error, Result};
use crate::exports::Export;
use crate::model::{Preset, Program};

/// Orders paid at least this many days before the export are old enough that their fate
/// (confirmed or reversed) is nearly always known; reversal rates come from them.
pub const MATURE_DAYS: f64 = 120.0;
/// A reversal this soon after payment counts as a cancellation before shipment.
pub const CANCEL_WITHIN_DAYS: f64 = 7.0;
/// Shipping p90 / median of the fitted region (the default region's 30 / 14).
pub const SHIPPING_RATIO: f64 = 30.0 / 14.0;

/// What `fit` produced: the scenario text and the lines to tell the user.
#[derive(Debug, Clone)]
pub struct Fit {
    pub toml: String,
    /// What was estimated, from how many records, and what could not be.
    pub estimate: Estimate,
    /// The fitted payment → confirmation delay: estimate (median, p90) and model (median, p90).
    pub delay: Option<DelayFit>,
}

fn days(a: chrono::NaiveDateTime, b: chrono::NaiveDateTime) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    use statrs::statistics::{Data, OrderStatistics};
    Data::new(values).quantile(q)
}

fn median_of(mut v: Vec<f64>) -> Option<f64> {
    (!v.is_empty()).then(|| quantile(&mut v, 0.5))
}

/// Estimates a scenario from an export. `clicks`: total clicks over the export's period.
/// Categories keep the export's names (see `Export::name_categories`).
pub fn fit(export: &Export, origin: &str, clicks: Option<u64>) -> Result<Fit> {
    let est = estimate(export, clicks);
    let toml = write(&est, origin);
    // What `fit` writes must read back: never a file that fails where it is used.
    if let Err(e) = crate::scenario::parse(&toml, "the fitted scenario") {
        return Err(Error::Other(format!(
            "the fitted scenario does not read back ({e}); nothing was written"
        )));
    }
    Ok(Fit {
        toml,
        delay: est.delay,
        estimate: est,
    })
}

/// The program rules of a preset, checked.
pub fn preset_program(preset: Preset) -> Program {
    let text = format!(
        "start = \"2027-01\"\n[program]\npreset = \"{}\"\n[traffic]\nclicks_per_month = 1\n[[categories]]\nname = \"x\"\nshare = 1\nconversion_rate = 0.01\norder_value = 1\ncommission_rate = 0.01\n",
        preset.name()
    );
    crate::scenario::parse(&text, "(preset)")
        .expect("a preset alone is valid")
        .program
}

/// Share of buyers whose purchase is attributed under a program's cookie rules (central
/// values), by simulation with a fixed seed.
pub fn attribution_share(p: &Program) -> f64 {
    let s = p.same_session_share.central();
    let (cookie, per_day) = p.cookie();
    let cookie = cookie.central() / per_day;
    let overwrite = p.overwrite_rate.central();
    let delay = p.purchase_delay.central();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let n = 200_000;
    let kept: f64 = (0..n)
        .map(|_| {
            let d = delay.sample(&mut rng);
            if d <= cookie {
                (-overwrite * d).exp()
            } else {
                0.0
            }
        })
        .sum::<f64>()
        / n as f64;
    s + (1.0 - s) * kept
}

/// Category id → name from a two-column CSV (`id,name`, header optional).
pub fn read_category_names(path: &std::path::Path) -> Result<BTreeMap<String, String>> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::input(format!("{origin}: {e}")))?;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| Error::input(format!("{origin}: line {}: {e}", i + 1)))?;
        if rec.len() != 2 {
            return Err(Error::input(format!(
                "{origin}: line {}: expected 2 columns (id,name), found {}",
                i + 1,
                rec.len()
            )));
        }
        if i == 0 && rec[0].trim().eq_ignore_ascii_case("id") {
            continue;
        }
        out.insert(rec[0].trim().to_string(), rec[1].trim().to_string());
    }
    Ok(out)
}
