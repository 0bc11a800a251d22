//! `affcast sensitivity`: one input at a time to its low and high, everything else at its
//! central value, on common random numbers; the effect on the mean of an [`Objective`]
//! (cash in the bank by default) and on `first_cash_month`, sorted by size (a tornado).

use crate::engine::{self, Control, Thinning};
use crate::error::{Error, Result};
use crate::model::{Param, Scenario};
use crate::scenario::params::{self, Entry, Section, ValueKind};
use crate::stats::{Objective, SummaryMetric};

/// One input of the sweep: a key of the parameter table for one item.
struct Knob {
    key: String,
    entry: &'static Entry,
    item: usize,
    /// The values it takes at its low and high.
    low: f64,
    high: f64,
}

impl Knob {
    /// Writes `v` into a scenario (a share rescales the list's others).
    fn apply(&self, s: &mut Scenario, v: f64) -> Result<()> {
        let (e, i) = (self.entry, self.item);
        if e.kind == ValueKind::Share {
            match e.section {
                Section::Regions => set_share(s.regions.iter_mut().map(|r| &mut r.share), i, v),
                _ => set_share(s.categories.iter_mut().map(|c| &mut c.share), i, v),
            }
        } else if let Some(current) = (e.get)(s, i) {
            (e.set)(s, i, current.with_number(v))
                .map_err(|m| Error::Other(format!("{}: cannot be swung ({m})", e.path(i))))?;
        }
        Ok(())
    }
}

/// An input's low and high: its interval if it has one, else ±swing clamped to its bound;
/// a whole number moves by at least one.
fn ends(kind: ValueKind, p: Param, swing: f64) -> (f64, f64) {
    match (p, kind) {
        (Param::Uncertain { low, high, .. }, _) => (low, high),
        (Param::Fixed(v), ValueKind::Whole { lo, hi }) => {
            let (lo, hi) = (lo as f64, hi as f64);
            let low = (v * (1.0 - swing)).round().min(v - 1.0).max(lo);
            let high = (v * (1.0 + swing)).round().max(v + 1.0).min(hi);
            (low, high)
        }
        (Param::Fixed(v), _) if v < 0.0 => (v * (1.0 + swing), v * (1.0 - swing)),
        (Param::Fixed(v), _) => (v * (1.0 - swing), (v * (1.0 + swing)).min(kind.swing_max())),
    }
}

impl Knob {
    /// Pulls an end that the withdrawal rules would refuse (`withdraw_at` under the minimum,
    /// a fee above the withdrawal) back to the farthest value they accept.
    fn keep_valid(&mut self, sc: &Scenario, central: f64) {
        let (low, high) = (self.low, self.high);
        self.low = self.valid_end(sc, central, low);
        self.high = self.valid_end(sc, central, high);
    }

    /// `end`, or the farthest value towards it that the withdrawal rules accept.
    fn valid_end(&self, sc: &Scenario, central: f64, end: f64) -> f64 {
        let valid = |v: f64| {
            let mut s = sc.clone();
            self.apply(&mut s, v).is_ok() && s.program.withdrawals_make_sense()
        };
        {
            if valid(end) {
                return end;
            }
            // Bisection between the central value (valid: the scenario was) and the end.
            let (mut ok, mut bad) = (central, end);
            for _ in 0..50 {
                let mid = (ok + bad) / 2.0;
                if valid(mid) { ok = mid } else { bad = mid }
            }
            match self.entry.kind {
                // Whole cents on the valid side.
                ValueKind::Money if bad > ok => ok.floor(),
                ValueKind::Money => ok.ceil(),
                _ => ok,
            }
        }
    }
}

/// One row of the tornado.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: String,
    /// The input's value at the low and the high end (cents for money).
    pub low: f64,
    pub high: f64,
    /// Whether the values are money.
    pub money: bool,
    /// Mean objective (cents) with the input at low / high.
    pub at_low: f64,
    pub at_high: f64,
    /// Mean `first_cash_month` with the input at low / high (NaN: no cash in any trial).
    pub first_cash_low: f64,
    pub first_cash_high: f64,
}

impl Row {
    /// The larger of the two effects on the objective, cents.
    pub fn effect(&self, base: f64) -> f64 {
        (self.at_low - base).abs().max((self.at_high - base).abs())
    }
}

/// The whole sweep.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    pub scenario: String,
    pub currency: String,
    pub trials: u32,
    pub seed: u64,
    pub swing: f64,
    /// What the inputs are judged on.
    pub objective: Objective,
    /// The mean objective and `first_cash_month` with every input central.
    pub base: f64,
    pub base_first_cash: f64,
    /// Sorted by effect on the objective, largest first.
    pub rows: Vec<Row>,
    /// Inputs that cannot swing (zero, a single category's share of 1, or any swing the
    /// withdrawal rules would refuse).
    pub fixed: Vec<String>,
}

/// Sets share `i` to `v` and rescales the others so that all still sum to 1.
fn set_share<'a>(shares: impl Iterator<Item = &'a mut f64>, i: usize, v: f64) {
    let mut shares: Vec<&mut f64> = shares.collect();
    let old = *shares[i];
    for (j, s) in shares.iter_mut().enumerate() {
        **s = if j == i {
            v
        } else {
            **s * (1.0 - v) / (1.0 - old)
        };
    }
}

fn knobs(sc: &Scenario, swing: f64) -> (Vec<Knob>, Vec<String>) {
    let mut knobs = Vec::new();
    let mut fixed = Vec::new();
    for section in [
        Section::Traffic,
        Section::Links,
        Section::Program,
        Section::Regions,
        Section::Categories,
        Section::Events,
    ] {
        let items: Vec<&str> = match section {
            Section::Regions => sc.regions.iter().map(|r| r.name.as_str()).collect(),
            Section::Categories => sc.categories.iter().map(|c| c.name.as_str()).collect(),
            Section::Events => sc.events.iter().map(|e| e.name.as_str()).collect(),
            _ => vec![""],
        };
        for (item, name) in items.iter().enumerate() {
            for entry in params::section(section).filter(|e| e.swept) {
                // A single item's share is 1 and cannot move.
                if entry.kind == ValueKind::Share && items.len() < 2 {
                    continue;
                }
                let Some(p) = (entry.get)(sc, item).and_then(|v| v.swing_param()) else {
                    continue;
                };
                let mut knob = Knob {
                    key: entry.named_path(name),
                    entry,
                    item,
                    low: 0.0,
                    high: 0.0,
                };
                (knob.low, knob.high) = ends(entry.kind, p, swing);
                knob.keep_valid(sc, p.central());
                if knob.low == knob.high {
                    fixed.push(knob.key);
                } else {
                    knobs.push(knob);
                }
            }
        }
    }
    // Seasonality is a profile of twelve numbers, not one input: named, not swung.
    if sc.traffic.seasonality.iter().any(|&m| m != 1.0) {
        fixed.push("traffic.seasonality".to_string());
    }
    (knobs, fixed)
}

/// How many variants a sweep of `sc` runs: the central scenario and each input at its low
/// and its high.
pub fn variants(sc: &Scenario, swing: f64) -> usize {
    1 + 2 * knobs(sc, swing).0.len()
}

/// Runs the sweep: `trials` trials of the central scenario and of each input at its low and
/// high, all on the same seeds, judged on `objective`.
pub fn sensitivity(
    sc: &Scenario,
    swing: f64,
    objective: Objective,
    trials: u32,
    threads: usize,
    ctl: &Control,
) -> Result<Sensitivity> {
    let central =
        params::centralized(sc).map_err(|m| Error::Other(format!("the central scenario: {m}")))?;
    let base = Scenario { trials, ..central };
    let (knobs, fixed) = knobs(sc, swing);
    let mut variants = vec![base.clone()];
    for k in &knobs {
        for v in [k.low, k.high] {
            let mut s = base.clone();
            k.apply(&mut s, v)?;
            variants.push(s);
        }
    }
    let figures = [objective.metric(), SummaryMetric::FirstCashMonth];
    // Every input is judged against the base's own trials: the base shares none of its
    // buyers with variants that have more or fewer.
    let values = engine::run_paired(
        &variants,
        trials,
        threads,
        ctl,
        Thinning::NotTheFirst,
        |l| figures.map(|f| f.of(l)),
    )?;
    let mean = |v: usize, i: usize| {
        let xs: Vec<f64> = values[v].iter().filter_map(|x| x[i]).collect();
        if xs.is_empty() {
            f64::NAN
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let base_value = mean(0, 0);
    let mut rows: Vec<Row> = knobs
        .iter()
        .enumerate()
        .map(|(i, k)| Row {
            key: k.key.clone(),
            low: k.low,
            high: k.high,
            money: k.entry.kind == ValueKind::Money,
            at_low: mean(1 + 2 * i, 0),
            at_high: mean(2 + 2 * i, 0),
            first_cash_low: mean(1 + 2 * i, 1),
            first_cash_high: mean(2 + 2 * i, 1),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.effect(base_value)
            .total_cmp(&a.effect(base_value))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(Sensitivity {
        scenario: sc.name.clone(),
        currency: sc.currency.clone(),
        trials,
        seed: sc.seed,
        swing,
        objective,
        base: base_value,
        base_first_cash: mean(0, 1),
        rows,
        fixed,
    })
}
