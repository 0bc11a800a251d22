//! The built-in scenario texts: the default scenario and `init`'s starter, whose program
//! block is written from the parameter table under the chosen preset.

use std::fmt::Write as _;

use super::params::{self, Fallback, Literal, Section, ValueKind};
use super::programs::{self, Confidence, Terms};
use crate::model::Preset;

/// The scenario `affcast forecast` runs when no file is given.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/default.toml");

const STARTER: &str = include_str!("starter.toml");

/// The commented starter file printed by `affcast init`: every program key with the preset's
/// own value, and a commented `[links]` section with its defaults.
pub fn starter_file(preset: Preset) -> String {
    let mut block = String::new();
    let methods = programs::terms_of(preset).map_or(&[][..], |t| t.methods);
    for e in params::section(Section::Program) {
        // A preset with payout methods gives the one method's keys per method.
        if !methods.is_empty() && ONE_METHOD_KEYS.contains(&e.key) {
            continue;
        }
        let smallest = methods.iter().map(|m| m.minimum).reduce(f64::min);
        let literal = match e.fallback {
            Fallback::SameAs(_) if let Some(m) = smallest => Some(Literal::Number(m)),
            Fallback::SameAs(other) => params::find(Section::Program, other)
                .and_then(|o| programs::preset_value(o, preset)),
            _ => programs::preset_value(e, preset),
        };
        let Some(literal) = literal else { continue };
        if let Some((other, words)) = e.only_if {
            let in_force = params::find(Section::Program, other)
                .and_then(|o| programs::preset_value(o, preset));
            if !words.iter().any(|&w| in_force == Some(Literal::Word(w))) {
                continue;
            }
        }
        let line = format!("# {} = {}", e.key, toml_literal(e.kind, literal));
        let _ = writeln!(block, "{line:<33} # {}", e.help);
        if let Some(t) = programs::term(preset, e.key) {
            let _ = writeln!(block, "#   {}", said_of(t.confidence, t.source));
        }
    }
    let mut links = String::new();
    for e in params::section(Section::Links) {
        let Some(literal) = programs::preset_value(e, preset) else {
            continue;
        };
        let line = format!("# {} = {}", e.key, toml_literal(e.kind, literal));
        let _ = writeln!(links, "{line:<33} # {}", e.help);
    }
    if !methods.is_empty() {
        let names: Vec<String> = methods.iter().map(|m| format!("\"{}\"", m.name)).collect();
        let line = format!("# payout_method = {}", names[0]);
        let _ = writeln!(
            block,
            "{line:<33} # the one you use, of {} (else each withdrawal takes the cheapest it reaches)",
            names.join(", ")
        );
        block.push_str(&methods_block(methods));
    }
    let terms = programs::terms_of(preset);
    let currency = terms.map_or("USD", |t| t.currency);
    let currency = match terms {
        Some(_) => format!(
            "{:<33} # display only; the preset's amounts are in it",
            format!("currency = \"{currency}\"")
        ),
        None => format!(
            "{:<33} # display only",
            format!("currency = \"{currency}\"")
        ),
    };
    let commission_rate = match terms {
        Some(_) => {
            "commission_rate = 0.04            # assumption: your category's rate in this program"
        }
        None => {
            "commission_rate = 0.09            # 9% phone accessories, clothing, garden; 7% most; 3% phones"
        }
    };
    STARTER
        .replace("{preset}", preset.name())
        .replace("{currency}", &currency)
        .replace(
            "{program_head}",
            &terms.map_or_else(String::new, program_head),
        )
        .replace("{program}\n", &block)
        .replace("{links}\n", &links)
        .replace("{rates}", &terms.map_or_else(String::new, rates_block))
        .replace("{commission_rate}", commission_rate)
}

/// `[program]` keys of a single payout method, which a preset with several gives per method.
const ONE_METHOD_KEYS: [&str; 5] = [
    "minimum_payout",
    "payout_fee",
    "payout_fee_percent",
    "payout_fee_cap",
    "payout_delay_days",
];

/// A preset's payout methods as commented `[[payout_methods]]` tables (a list replaces the
/// preset's: uncomment all of them to change one).
fn methods_block(methods: &[programs::Method]) -> String {
    let mut out = String::from(
        "\n# Payout methods: the preset's are below. A file that lists [[payout_methods]] replaces\n\
         # them all: uncomment every table (they end [program]) to change one.\n",
    );
    for m in methods {
        let _ = writeln!(out, "# [[payout_methods]]");
        let _ = writeln!(out, "# name = \"{}\"", m.name);
        let _ = writeln!(out, "# minimum = {:.2}", m.minimum);
        let _ = writeln!(out, "# fee = {:.2}", m.fee);
        if m.fee_percent > 0.0 {
            let _ = writeln!(out, "# fee_percent = {}", m.fee_percent);
        }
        if let Some(cap) = m.fee_cap {
            let _ = writeln!(out, "# fee_cap = {cap:.2}");
        }
        let _ = writeln!(out, "# days_to_bank = {}", m.days_to_bank);
        let _ = writeln!(out, "#   {}", said_of(m.confidence, m.source));
    }
    out
}

/// How a preset's value is to be taken: a fact with its source, or an assumption.
fn said_of(confidence: Confidence, source: &str) -> String {
    match confidence {
        Confidence::Official | Confidence::Network => format!("{}: {source}", confidence.label()),
        Confidence::Second => format!("2ND, an assumption (a third party says so): {source}"),
        Confidence::Assumed => format!("ASSUMED, an assumption to replace: {source}"),
    }
}

/// The head of a program preset's `[program]` block: what its terms are, what the model does
/// not follow of them, and what is yours to set.
fn program_head(terms: &Terms) -> String {
    let mut head = format!(
        "# {}: its terms are below, each with where it was read and how sure that is.\n\
         # A key without that line is the buyers' behaviour of the aliexpress-portals preset:\n\
         # an assumption for this program.\n",
        terms.title
    );
    if !terms.not_modeled.is_empty() {
        head.push_str("# Not followed by the model yet:\n");
        for note in terms.not_modeled {
            let _ = writeln!(head, "#   - {note}");
        }
    }
    if !terms.yours.is_empty() {
        head.push_str("# Yours to set (no source gives them):\n");
        for note in terms.yours {
            let _ = writeln!(head, "#   - {note}");
        }
    }
    head
}

/// A program preset's commission table, in comments before the example category.
fn rates_block(terms: &Terms) -> String {
    let mut rates = String::new();
    if terms.rates.is_empty() {
        rates.push_str(
            "# This program's rates depend on the advertiser: set commission_rate to yours.\n",
        );
        return rates;
    }
    let _ = writeln!(
        rates,
        "# {}'s commission by category (use yours). A category without commission_rate\n\
         # takes its name's rate here, else \"other\"'s; [[program.categories]] tables (name,\n\
         # commission_rate) after [program] add rows or replace them:",
        terms.title
    );
    for r in terms.rates {
        let _ = writeln!(
            rates,
            "#   {} = {} ({})",
            r.category,
            r.rate,
            if r.confidence.is_assumption() {
                format!("{}, an assumption", r.confidence.label())
            } else {
                r.confidence.label().to_string()
            }
        );
    }
    if let Some(source) = terms.rates.first().map(|r| r.source) {
        let _ = writeln!(rates, "#   source: {source}");
    }
    rates
}

/// A literal as TOML text: money with two decimals, distributions as inline tables.
pub fn toml_literal(kind: ValueKind, l: Literal) -> String {
    match (kind, l) {
        (ValueKind::Choice(words), Literal::Word(w)) if words.contains(&"true") => w.to_string(),
        (_, Literal::Word(w)) => format!("\"{w}\""),
        (_, Literal::Dist(median, p90)) => format!("{{ median = {median}, p90 = {p90} }}"),
        (ValueKind::Money, Literal::Number(x)) => format!("{x:.2}"),
        (_, Literal::Number(x)) => format!("{x}"),
    }
}
