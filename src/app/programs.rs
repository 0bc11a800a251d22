//! `compare --programs`: one site's traffic, buyers and category mix under several programs'
//! rules. Each program gets its preset's terms; the site keeps its clicks, conversion, order
//! values, events and its buyers' behaviour (delays, confirmations, refunds); its categories
//! are placed on the program's commission table.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::model::{Param, Preset, Scenario};
use crate::scenario::programs;

/// Where a site's category goes in another program: one of its table's categories, or a rate.
#[derive(Debug, Clone, PartialEq)]
enum Placed {
    Category(String),
    Rate(f64),
}

/// A category mapping file (`--category-map`): per program, each of the site's categories
/// placed on the program's table (`phone-accessories = "headphones"`) or given its rate
/// (`home-garden = 0.03`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryMap {
    origin: String,
    by_program: BTreeMap<String, BTreeMap<String, Placed>>,
}

impl CategoryMap {
    /// Reads a mapping file's text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<CategoryMap> {
        let table: toml::Table = text
            .parse()
            .map_err(|e| Error::input(format!("{origin}: not a category map: {e}")))?;
        let mut by_program = BTreeMap::new();
        for (program, entries) in table {
            if Preset::from_name(&program).is_none() {
                return Err(Error::input(format!(
                    "{origin}: [{program}]: not a program preset (known: {})",
                    known()
                )));
            }
            let Some(entries) = entries.as_table() else {
                return Err(Error::input(format!(
                    "{origin}: {program}: a table of categories is expected, e.g. [{program}] my-category = \"their-category\""
                )));
            };
            let mut placed = BTreeMap::new();
            for (category, to) in entries {
                let path = format!("{origin}: {program}.{category}");
                let to = match to {
                    toml::Value::String(name) => Placed::Category(name.clone()),
                    toml::Value::Float(_) | toml::Value::Integer(_) => {
                        let rate = to.as_float().or(to.as_integer().map(|i| i as f64));
                        match rate {
                            Some(r) if (0.0..=1.0).contains(&r) => Placed::Rate(r),
                            _ => {
                                return Err(Error::input(format!(
                                    "{path}: {to} is not a commission rate (0..=1; 4% is 0.04)"
                                )));
                            }
                        }
                    }
                    other => {
                        return Err(Error::input(format!(
                            "{path}: {other} is neither a category of the program's table nor a rate"
                        )));
                    }
                };
                placed.insert(category.clone(), to);
            }
            by_program.insert(program, placed);
        }
        Ok(CategoryMap {
            origin: origin.to_string(),
            by_program,
        })
    }

    fn get(&self, preset: Preset, category: &str) -> Option<&Placed> {
        self.by_program.get(preset.name())?.get(category)
    }
}

fn known() -> String {
    Preset::ALL.map(Preset::name).join(", ")
}

/// The program presets named in `--programs` ("amazon-associates-us,aliexpress-portals").
pub fn presets(names: &[String]) -> Result<Vec<Preset>> {
    let mut out: Vec<Preset> = Vec::new();
    for name in names {
        let preset = Preset::from_name(name.trim()).ok_or_else(|| {
            Error::input(format!(
                "--programs: \"{name}\" is not a program preset (known: {})",
                known()
            ))
        })?;
        if out.contains(&preset) {
            return Err(Error::input(format!("--programs: {name} is named twice")));
        }
        out.push(preset);
    }
    if out.len() < 2 {
        return Err(Error::input(
            "--programs: name two programs or more, e.g. --programs aliexpress-portals,amazon-associates-us",
        ));
    }
    Ok(out)
}

/// Whether a preset pays AliExpress's own category rates (the scenario's).
fn pays_aliexpress_rates(p: Preset) -> bool {
    matches!(p, Preset::Portals | Preset::Admitad | Preset::Epn)
}

/// Whether the site keeps its own categories' rates under `preset`: its own program, or
/// AliExpress's rates under another AliExpress route.
fn keeps_own_rates(sc: &Scenario, preset: Preset) -> bool {
    preset == sc.preset || (pays_aliexpress_rates(preset) && pays_aliexpress_rates(sc.preset))
}

/// The site `sc` (read from `origin`) under each program, named by its preset.
pub fn under_programs(
    sc: &Scenario,
    origin: &str,
    presets: &[Preset],
    map: Option<&CategoryMap>,
) -> Result<Vec<(String, Scenario)>> {
    presets
        .iter()
        .map(|&p| Ok((p.name().to_string(), under(sc, origin, p, map)?)))
        .collect()
}

/// The site under one program.
fn under(
    sc: &Scenario,
    origin: &str,
    preset: Preset,
    map: Option<&CategoryMap>,
) -> Result<Scenario> {
    let mut out = sc.clone();
    out.name = preset.name().to_string();
    if preset == sc.preset {
        return Ok(out);
    }
    let currency = programs::terms_of(preset).map_or("USD", |t| t.currency);
    if currency != sc.currency {
        return Err(Error::input(format!(
            "--programs: {} counts its minimum and fees in {currency}, but {origin} counts in {}; amounts are never converted: compare programs of the scenario's currency",
            preset.name(),
            sc.currency
        )));
    }
    let mut program = crate::fit::preset_program(preset);
    // The buyers are the site's, whatever the program.
    let p = &sc.program;
    program.same_session_share = p.same_session_share;
    program.purchase_delay = p.purchase_delay;
    program.overwrite_rate = p.overwrite_rate;
    program.processing = p.processing;
    program.confirm_receipt_share = p.confirm_receipt_share;
    program.confirm_delay = p.confirm_delay;
    program.refund_delay = p.refund_delay;
    out.program = program;
    out.preset = preset;
    if !pays_aliexpress_rates(preset) {
        // AliExpress's campaign cookies, 0% promotional items and new-buyer bonuses are its
        // own.
        for e in &mut out.events {
            e.cookie_days = None;
        }
        for c in &mut out.categories {
            c.hot_share = Param::Fixed(0.0);
            c.new_buyer_share = Param::Fixed(0.0);
        }
    }
    if keeps_own_rates(sc, preset) {
        return Ok(out);
    }
    for c in &mut out.categories {
        c.commission_rate = Param::Fixed(match placed(preset, &c.name, map, origin)? {
            Placement::Row(r) => r.rate,
            Placement::Rate(r) => r,
        });
    }
    Ok(out)
}

/// What `sc` under `preset` takes as assumptions: the preset's (see
/// [`programs::assumed`]), and the rates of its table's rows that place the site's categories
/// where those rows are 2ND or ASSUMED.
fn assumed_under(sc: &Scenario, preset: Preset, map: Option<&CategoryMap>) -> Vec<String> {
    let mut out = programs::assumed(preset);
    if keeps_own_rates(sc, preset) {
        return out;
    }
    for c in &sc.categories {
        if let Ok(Placement::Row(r)) = placed(preset, &c.name, map, "")
            && r.confidence.is_assumption()
        {
            out.push(format!(
                "{}: {} from the table's \"{}\" ({}: {})",
                c.name,
                r.rate,
                r.category,
                r.confidence.label(),
                r.source
            ));
        }
    }
    out
}

/// Where a site's category lands in a program: a row of its table, or a rate the map gives.
enum Placement {
    Row(&'static programs::Rate),
    Rate(f64),
}

/// Where a site's category `category` lands under `preset`: as the map places it, else the
/// table's category of the same name, else the table's "other".
fn placed(
    preset: Preset,
    category: &str,
    map: Option<&CategoryMap>,
    origin: &str,
) -> Result<Placement> {
    let rates = programs::terms_of(preset).map_or(&[][..], |t| t.rates);
    let of = |name: &str| {
        rates
            .iter()
            .find(|r| r.category == name)
            .map(Placement::Row)
    };
    let table: Vec<&str> = rates.iter().map(|r| r.category).collect();
    match map.and_then(|m| m.get(preset, category)) {
        Some(Placed::Rate(r)) => return Ok(Placement::Rate(*r)),
        Some(Placed::Category(name)) => {
            return of(name).ok_or_else(|| {
                let m = map.map_or("", |m| m.origin.as_str());
                Error::input(format!(
                    "{m}: {}.{category} = \"{name}\": {} has no such category ({})",
                    preset.name(),
                    preset.name(),
                    if table.is_empty() {
                        "it has no table: give a rate".to_string()
                    } else {
                        format!("its table: {}", table.join(", "))
                    }
                ))
            });
        }
        None => {}
    }
    of(category).or_else(|| of("other")).ok_or_else(|| {
        let how = if table.is_empty() {
            format!(
                "{} has no rate table here (its advertisers or tiers set the rates): give the category's rate",
                preset.name()
            )
        } else {
            format!(
                "{}'s table has no such category and no \"other\" rate: place it on one of {}",
                preset.name(),
                table.join(", ")
            )
        };
        Error::input(format!(
            "{origin}: categories.{category}: cannot be placed under {}: {how} in a --category-map file, under [{}]: {category} = \"their-category\" or {category} = 0.04",
            preset.name(),
            preset.name()
        ))
    })
}

/// `affcast programs`: the review's scorecard beside what the forecast measures for the
/// site under each program.
#[derive(Debug, Clone)]
pub struct ProgramsView {
    pub scores: crate::scorecard::Scores,
    pub currency: String,
    pub trials: u32,
    pub programs: Vec<ProgramRow>,
    /// Programs left out (not named by the user) and why: a category they cannot place.
    pub skipped: Vec<(String, String)>,
}

/// One program: its scorecard inputs (if any) and its forecast figures, in
/// [`VIEW_FIGURES`] order.
#[derive(Debug, Clone)]
pub struct ProgramRow {
    pub name: String,
    pub inputs: Option<crate::scorecard::Inputs>,
    pub figures: Vec<crate::stats::SummaryBand>,
    /// What the program's terms and the site's placement in it take as assumptions, each
    /// with its source.
    pub assumed: Vec<String>,
}

/// What the forecast measures for each program in the view.
pub const VIEW_FIGURES: [crate::stats::SummaryMetric; 4] = [
    crate::stats::SummaryMetric::CashPerThousandClicks,
    crate::stats::SummaryMetric::DaysToBank,
    crate::stats::SummaryMetric::ReversalRate,
    crate::stats::SummaryMetric::RunRateCash,
];

/// The view of `sc` under `named` programs, or every preset whose table places its
/// categories (the others listed as skipped).
pub fn view(
    sc: &Scenario,
    origin: &str,
    named: Option<&[Preset]>,
    map: Option<&CategoryMap>,
    scores: crate::scorecard::Scores,
    run: &super::RunOptions,
    ctl: &crate::engine::Control,
) -> Result<ProgramsView> {
    let mut variants: Vec<(String, Scenario)> = Vec::new();
    let mut skipped = Vec::new();
    match named {
        Some(presets) => variants = under_programs(sc, origin, presets, map)?,
        None => {
            // The scenario's own program first.
            let mut all = vec![sc.preset];
            all.extend(Preset::ALL.into_iter().filter(|&p| p != sc.preset));
            for p in all {
                match under(sc, origin, p, map) {
                    Ok(v) => variants.push((p.name().to_string(), v)),
                    Err(e) => skipped.push((p.name().to_string(), e.to_string())),
                }
            }
        }
    }
    let work = crate::engine::estimate(sc, variants.len(), run.threads, false);
    super::check_work(sc, variants.len(), work, run)?;
    // The comparison's own figures include the reversal share and the cash per month.
    let extra = [
        crate::stats::SummaryMetric::CashPerThousandClicks,
        crate::stats::SummaryMetric::DaysToBank,
    ];
    let comparison = crate::compare::compare_with(
        variants,
        crate::stats::Objective::RunRateCash,
        &extra,
        run.threads,
        ctl,
    )?;
    let programs = comparison
        .variants
        .iter()
        .map(|v| ProgramRow {
            name: v.name.clone(),
            inputs: scores.by_program.get(&v.name).cloned(),
            assumed: Preset::from_name(&v.name)
                .map_or_else(Vec::new, |p| assumed_under(sc, p, map)),
            figures: VIEW_FIGURES
                .iter()
                .filter_map(|f| v.figures.iter().find(|b| b.metric == *f).cloned())
                .collect(),
        })
        .collect();
    Ok(ProgramsView {
        scores,
        currency: comparison.currency,
        trials: comparison.trials,
        programs,
        skipped,
    })
}
