//! JSON: the result types serialized through thin views that say each figure's unit.
//! Every number goes through [`value`], so JSON rounds exactly as the other formats do.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::forecast::{CashGaps, cash_gaps, gap_sentence};
use super::track;
use super::{Exporter, advice_reason, metric_unit, notes, refresh_reason, value, verdict_text};
use crate::advice::Advice;
use crate::backtest::{Backtest, MetricScores, MonthResult, Point, Score, Scored};
use crate::compare::{Comparison, VariantResult};
use crate::i18n::in_english;
use crate::ledger::Metric;
use crate::refresh::RefreshAdvice;
use crate::sensitivity::{Row, Sensitivity};
use crate::stats::{Band, Forecast, OpeningSummary, PartBands, SummaryBand, Unit};

pub(super) struct JsonExporter;

/// A figure in a unit: printed rounded to the unit's decimals, `null` when it does not exist.
#[derive(Clone, Copy)]
pub(super) struct Num(pub(super) Unit, pub(super) f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match value(self.0, self.1).and_then(|d| d.to_string().parse::<serde_json::Number>().ok()) {
            Some(n) => n.serialize(s),
            None => s.serialize_none(),
        }
    }
}

/// A plain number rounded to `dp` decimals, `null` when not finite.
struct Rounded(f64, i32);

impl Serialize for Rounded {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Rounded(x, dp) = *self;
        if x.is_finite() {
            s.serialize_f64((x * 10f64.powi(dp)).round() / 10f64.powi(dp))
        } else {
            s.serialize_none()
        }
    }
}

#[derive(Serialize)]
struct BandDoc {
    mean: Num,
    p10: Num,
    p50: Num,
    p90: Num,
}

impl BandDoc {
    fn new(unit: Unit, b: &Band) -> BandDoc {
        BandDoc {
            mean: Num(unit, b.mean),
            p10: Num(unit, b.p10),
            p50: Num(unit, b.p50),
            p90: Num(unit, b.p90),
        }
    }
}

/// A summary figure: its band (nulls where undefined) and how many trials lack it.
struct SummaryDoc<'a>(&'a SummaryBand);

impl Serialize for SummaryDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sb = self.0;
        let b = BandDoc::new(
            sb.metric.unit(),
            sb.band.as_ref().unwrap_or(&Band::UNDEFINED),
        );
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("mean", &b.mean)?;
        m.serialize_entry("p10", &b.p10)?;
        m.serialize_entry("p50", &b.p50)?;
        m.serialize_entry("p90", &b.p90)?;
        if sb.undefined > 0 {
            m.serialize_entry("trials_undefined", &sb.undefined)?;
        }
        m.end()
    }
}

/// Summary figures keyed by name.
pub(super) struct Summaries<'a>(pub(super) &'a [SummaryBand]);

impl Serialize for Summaries<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|sb| (sb.metric.name(), SummaryDoc(sb))))
    }
}

/// One month: its label, then every metric's band.
struct MonthDoc<'a>(&'a Forecast, usize);

impl Serialize for MonthDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let MonthDoc(f, m) = *self;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("month", &f.months[m])?;
        for metric in Metric::ALL {
            map.serialize_entry(
                metric.name(),
                &BandDoc::new(metric_unit(metric), &f.month(m, metric)),
            )?;
        }
        map.serialize_entry("unpaid_end", &BandDoc::new(Unit::Money, &f.unpaid_end[m]))?;
        if let Some(dead) = &f.dead_link_share {
            map.serialize_entry("dead_link_share", &BandDoc::new(Unit::Ratio, &dead[m]))?;
        }
        map.end()
    }
}

/// A category or region: its name, then each figure's band.
struct PartDoc<'a>(&'a PartBands);

impl Serialize for PartDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &self.0.name)?;
        for f in &self.0.figures {
            map.serialize_entry(
                f.name,
                &BandDoc::new(f.unit, f.band.as_ref().unwrap_or(&Band::UNDEFINED)),
            )?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct ThresholdDoc {
    withdraw_at: Num,
    current: bool,
    withdrawals: Rounded,
    fees: Num,
    cash: Num,
    fee_share: Rounded,
    days_to_cash: Rounded,
}

#[derive(Serialize)]
struct AdviceDoc {
    thresholds: Vec<ThresholdDoc>,
    recommended: Option<Num>,
    reason: String,
    /// The reason as data: `quickest` (the quickest threshold whose fees stay under
    /// `fee_share_limit` of the cash), `cheapest` (none does; this one costs least) or
    /// `no_cash` (no withdrawal reaches the bank).
    reason_kind: &'static str,
    fee_share_limit: f64,
}

impl AdviceDoc {
    fn new(a: &Advice) -> AdviceDoc {
        let money = |c: f64| Num(Unit::Money, c);
        AdviceDoc {
            thresholds: a
                .rows
                .iter()
                .map(|r| ThresholdDoc {
                    withdraw_at: money(r.threshold as f64),
                    current: r.current,
                    withdrawals: Rounded(r.withdrawals, 2),
                    fees: money(r.fees),
                    cash: money(r.cash),
                    fee_share: Rounded(r.fee_share, 4),
                    days_to_cash: Rounded(r.days_to_cash, 1),
                })
                .collect(),
            recommended: a.recommended.map(|i| money(a.rows[i].threshold as f64)),
            reason: in_english(|w| advice_reason(w, a)),
            reason_kind: match a.reason {
                crate::advice::Reason::Quickest => "quickest",
                crate::advice::Reason::Cheapest => "cheapest",
                crate::advice::Reason::NoCash => "no_cash",
            },
            fee_share_limit: crate::advice::FEE_SHARE_LIMIT,
        }
    }
}

#[derive(Serialize)]
struct CadenceDoc {
    refresh_every_months: u32,
    current: bool,
    refreshes: u32,
    total_cash: Num,
    run_rate_cash: Num,
    net: Num,
}

#[derive(Serialize)]
struct RefreshDoc {
    refresh_cost: Num,
    cadences: Vec<CadenceDoc>,
    /// The recommended `refresh_every_months`.
    recommended: u32,
    reason: String,
    /// The reason as data: `no_difference`, `pays_for_itself` or `costs_more`.
    reason_kind: &'static str,
}

impl RefreshDoc {
    fn new(a: &RefreshAdvice, currency: &str) -> RefreshDoc {
        let money = |c: f64| Num(Unit::Money, c);
        RefreshDoc {
            refresh_cost: money(a.refresh_cost as f64),
            cadences: a
                .rows
                .iter()
                .map(|r| CadenceDoc {
                    refresh_every_months: r.refresh_every_months,
                    current: r.current,
                    refreshes: r.refreshes,
                    total_cash: money(r.total_cash),
                    run_rate_cash: money(r.run_rate_cash),
                    net: money(r.net),
                })
                .collect(),
            recommended: a.best().refresh_every_months,
            reason: in_english(|w| refresh_reason(w, a, currency)),
            reason_kind: match a.reason {
                crate::refresh::Reason::NoDifference => "no_difference",
                crate::refresh::Reason::PaysForItself => "pays_for_itself",
                crate::refresh::Reason::CostsMore => "costs_more",
            },
        }
    }
}

#[derive(Serialize)]
struct OpeningDoc<'a> {
    as_of: &'a str,
    pending_orders: u32,
    pending: Num,
    unsettled_orders: u32,
    unsettled: Num,
    skipped_orders: u32,
}

impl<'a> OpeningDoc<'a> {
    fn new(o: &'a OpeningSummary) -> Self {
        OpeningDoc {
            as_of: &o.as_of,
            pending_orders: o.pending_orders,
            pending: Num(Unit::Money, o.pending as f64),
            unsettled_orders: o.unsettled_orders,
            unsettled: Num(Unit::Money, o.unsettled as f64),
            skipped_orders: o.skipped,
        }
    }
}

#[derive(Serialize)]
struct ForecastDoc<'a> {
    scenario: &'a str,
    currency: &'a str,
    trials: u32,
    seed: u64,
    start: &'a str,
    monthly: Vec<MonthDoc<'a>>,
    summary: Summaries<'a>,
    by_category: Vec<PartDoc<'a>>,
    by_region: Vec<PartDoc<'a>>,
    notes: Vec<String>,
    /// Why the calendar moves money between months, when it does.
    footnotes: Vec<String>,
    /// The same, as data: the months without cash between paid ones, and whether a short
    /// month is why.
    #[serde(skip_serializing_if = "Option::is_none")]
    cash_gaps: Option<CashGaps>,
    withdrawal_advice: Option<AdviceDoc>,
    /// With `[links]` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_advice: Option<RefreshDoc>,
    opening_pipeline: Option<OpeningDoc<'a>>,
}

#[derive(Serialize)]
struct VariantDoc<'a> {
    name: &'a str,
    summary: Summaries<'a>,
    difference: Option<BandDoc>,
    noise_se: Option<Num>,
    p_beats_first: Option<Rounded>,
    verdict: Option<String>,
    /// The verdict as data: `identical`, `differs` (beyond the simulation's noise) or
    /// `noise` (within it; about `trials_needed` trials would tell).
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trials_needed: Option<Rounded>,
}

impl<'a> VariantDoc<'a> {
    fn new(v: &'a VariantResult, c: &Comparison) -> Self {
        VariantDoc {
            name: &v.name,
            summary: Summaries(&v.figures),
            difference: v.diff.as_ref().map(|d| BandDoc::new(Unit::Money, d)),
            noise_se: v.diff.as_ref().map(|_| Num(Unit::Money, v.diff_se)),
            p_beats_first: v.p_beats.map(|p| Rounded(p, 4)),
            verdict: in_english(|w| verdict_text(w, v, c)),
            verdict_kind: v.verdict.map(|k| match k {
                crate::compare::Verdict::Identical => "identical",
                crate::compare::Verdict::Differs { .. } => "differs",
                crate::compare::Verdict::Noise { .. } => "noise",
            }),
            trials_needed: match v.verdict {
                Some(crate::compare::Verdict::Noise {
                    trials_needed: Some(n),
                    ..
                }) => Some(Rounded(n, 0)),
                _ => None,
            },
        }
    }
}

#[derive(Serialize)]
struct CompareDoc<'a> {
    objective: &'static str,
    currency: &'a str,
    trials: u32,
    seed: u64,
    variants: Vec<VariantDoc<'a>>,
}

/// A swept input's value: money in currency units, other numbers to 6 decimals.
enum InputValue {
    Money(Num),
    Plain(Rounded),
}

impl Serialize for InputValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            InputValue::Money(n) => n.serialize(s),
            InputValue::Plain(r) => r.serialize(s),
        }
    }
}

#[derive(Serialize)]
struct InputDoc<'a> {
    input: &'a str,
    low: InputValue,
    high: InputValue,
    at_low: Num,
    at_high: Num,
    first_cash_month_low: Rounded,
    first_cash_month_high: Rounded,
}

impl<'a> InputDoc<'a> {
    fn new(r: &'a Row) -> Self {
        let value = |v: f64| match r.money {
            true => InputValue::Money(Num(Unit::Money, v)),
            false => InputValue::Plain(Rounded(v, 6)),
        };
        InputDoc {
            input: &r.key,
            low: value(r.low),
            high: value(r.high),
            at_low: Num(Unit::Money, r.at_low),
            at_high: Num(Unit::Money, r.at_high),
            first_cash_month_low: Rounded(r.first_cash_low, 2),
            first_cash_month_high: Rounded(r.first_cash_high, 2),
        }
    }
}

/// The central scenario: the objective (under its own name) and `first_cash_month`.
struct BaseDoc {
    objective: &'static str,
    value: Num,
    first_cash_month: Rounded,
}

impl Serialize for BaseDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(self.objective, &self.value)?;
        m.serialize_entry("first_cash_month", &self.first_cash_month)?;
        m.end()
    }
}

#[derive(Serialize)]
struct SensitivityDoc<'a> {
    scenario: &'a str,
    currency: &'a str,
    trials: u32,
    seed: u64,
    swing: f64,
    objective: &'static str,
    base: BaseDoc,
    inputs: Vec<InputDoc<'a>>,
    not_swung: &'a [String],
}

/// Pretty-printed JSON with a final newline.
fn pretty(doc: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("the documents serialize");
    s.push('\n');
    s
}

/// A point: the actual, the band's quantiles and the PIT.
struct PointDoc<'a>(Unit, &'a Point);

impl Serialize for PointDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let PointDoc(u, p) = *self;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("actual", &Num(u, p.actual))?;
        m.serialize_entry("p10", &Num(u, p.band.p10))?;
        m.serialize_entry("p50", &Num(u, p.band.p50))?;
        m.serialize_entry("p90", &Num(u, p.band.p90))?;
        m.serialize_entry("pit", &Num(Unit::Ratio, p.pit))?;
        m.end()
    }
}

/// A forecast month: its label, how far ahead, and a point per metric.
struct BacktestMonthDoc<'a>(&'a MonthResult);

impl Serialize for BacktestMonthDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("month", &m.month)?;
        map.serialize_entry("h", &m.h)?;
        for (k, p) in Scored::ALL.iter().zip(&m.points) {
            map.serialize_entry(k.name(), &PointDoc(k.unit(), p))?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct OriginDoc<'a> {
    origin: &'a str,
    orders_before: usize,
    pending_at_origin: usize,
    months: Vec<BacktestMonthDoc<'a>>,
}

#[derive(Serialize)]
struct ScoreDoc {
    points: usize,
    coverage_80: Num,
    pinball: Num,
    naive_pinball: Num,
    skill: Num,
    pit_histogram: [u32; 10],
}

impl ScoreDoc {
    fn new(unit: Unit, s: &Score) -> ScoreDoc {
        ScoreDoc {
            points: s.points,
            coverage_80: Num(Unit::Ratio, s.coverage_80),
            pinball: Num(unit, s.pinball),
            naive_pinball: Num(unit, s.naive_pinball),
            skill: Num(Unit::Ratio, s.skill),
            pit_histogram: s.pit_histogram,
        }
    }
}

#[derive(Serialize)]
struct MetricScoreDoc {
    #[serde(flatten)]
    all: ScoreDoc,
    verdict: String,
    by_h: Vec<ScoreDoc>,
}

/// Scores keyed by metric name.
struct ScoresDoc<'a>(&'a [MetricScores]);

impl Serialize for ScoresDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|m| {
            let u = m.metric.unit();
            (
                m.metric.name(),
                MetricScoreDoc {
                    all: ScoreDoc::new(u, &m.all),
                    verdict: in_english(|w| track::verdict_words(w, m.verdict)),
                    by_h: m.by_h.iter().map(|s| ScoreDoc::new(u, s)).collect(),
                },
            )
        }))
    }
}

#[derive(Serialize)]
struct BacktestDoc<'a> {
    scenario: &'a str,
    currency: &'a str,
    horizon: usize,
    trials: u32,
    seed: u64,
    origins: Vec<OriginDoc<'a>>,
    scores: ScoresDoc<'a>,
    verdict: String,
    /// Reversed orders whose reversal was given a drawn time; confirmed orders without a
    /// time, pending at every origin.
    reversed_without_time: usize,
    confirmed_without_time: usize,
}

impl Exporter for JsonExporter {
    fn track(&self, t: &crate::app::track::Track) -> String {
        super::mydata::json_doc(t)
    }

    fn programs(&self, v: &crate::app::programs::ProgramsView) -> String {
        programs_doc(v)
    }

    fn backtest(&self, b: &Backtest) -> String {
        pretty(&BacktestDoc {
            scenario: &b.scenario,
            currency: &b.currency,
            horizon: b.horizon,
            trials: b.trials,
            seed: b.seed,
            origins: b
                .origins
                .iter()
                .map(|o| OriginDoc {
                    origin: &o.origin,
                    orders_before: o.orders_before,
                    pending_at_origin: o.pending,
                    months: o.months.iter().map(BacktestMonthDoc).collect(),
                })
                .collect(),
            scores: ScoresDoc(&b.scores),
            verdict: in_english(|w| track::verdict(w, b)),
            reversed_without_time: b.reversed_without_time,
            confirmed_without_time: b.confirmed_without_time,
        })
    }

    fn compare(&self, c: &Comparison) -> String {
        pretty(&CompareDoc {
            objective: c.objective.name(),
            currency: &c.currency,
            trials: c.trials,
            seed: c.seed,
            variants: c.variants.iter().map(|v| VariantDoc::new(v, c)).collect(),
        })
    }

    fn sensitivity(&self, s: &Sensitivity) -> String {
        pretty(&SensitivityDoc {
            scenario: &s.scenario,
            currency: &s.currency,
            trials: s.trials,
            seed: s.seed,
            swing: s.swing,
            objective: s.objective.name(),
            base: BaseDoc {
                objective: s.objective.name(),
                value: Num(Unit::Money, s.base),
                first_cash_month: Rounded(s.base_first_cash, 2),
            },
            inputs: s.rows.iter().map(InputDoc::new).collect(),
            not_swung: &s.fixed,
        })
    }

    fn render(&self, f: &Forecast) -> String {
        let gaps = cash_gaps(f);
        pretty(&ForecastDoc {
            scenario: &f.scenario,
            currency: &f.currency,
            trials: f.trials,
            seed: f.seed,
            start: &f.start,
            monthly: (0..f.months.len()).map(|m| MonthDoc(f, m)).collect(),
            summary: Summaries(&f.summary),
            by_category: f.by_category.iter().map(PartDoc).collect(),
            by_region: f.by_region.iter().map(PartDoc).collect(),
            notes: in_english(|w| notes(w, f)),
            footnotes: in_english(|w| gaps.iter().map(|g| gap_sentence(w, g)).collect()),
            cash_gaps: gaps,
            withdrawal_advice: f.advice.as_ref().map(AdviceDoc::new),
            refresh_advice: f.refresh.as_ref().map(|a| RefreshDoc::new(a, &f.currency)),
            opening_pipeline: f.opening.as_ref().map(OpeningDoc::new),
        })
    }
}

/// The view as one JSON document.
fn programs_doc(v: &crate::app::programs::ProgramsView) -> String {
    let s = &v.scores;
    let weights: serde_json::Map<String, serde_json::Value> = crate::scorecard::CRITERIA
        .iter()
        .zip(&s.weights)
        .map(|((c, _), w)| ((*c).to_string(), serde_json::json!(w)))
        .collect();
    let programs: Vec<serde_json::Value> = v
        .programs
        .iter()
        .map(|p| {
            let scorecard = p.inputs.as_ref().map(|i| {
                let criteria: serde_json::Map<String, serde_json::Value> =
                    crate::scorecard::CRITERIA
                        .iter()
                        .zip(&i.criteria)
                        .map(|((c, _), x)| ((*c).to_string(), serde_json::json!(x)))
                        .collect();
                serde_json::json!({
                    "source": i.source,
                    "trustpilot_stars": i.trustpilot_stars,
                    "internal": i.internal,
                    "criteria": criteria,
                    "score": i.score(s.trustpilot_weight),
                    "weighted": i.weighted(&s.weights),
                })
            });
            let forecast = serde_json::to_value(Summaries(&p.figures))
                .expect("summary figures always serialize");
            serde_json::json!({
                "name": p.name,
                "scorecard": scorecard,
                "forecast": forecast,
                "assumed": p.assumed,
            })
        })
        .collect();
    let skipped: Vec<serde_json::Value> = v
        .skipped
        .iter()
        .map(|(name, why)| serde_json::json!({ "name": name, "why": why }))
        .collect();
    let doc = serde_json::json!({
        "currency": v.currency,
        "trials": v.trials,
        "weights": weights,
        "trustpilot_weight": s.trustpilot_weight,
        "programs": programs,
        "skipped": skipped,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value always serializes");
    text.push('\n');
    text
}
