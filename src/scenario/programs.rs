//! Other programs' terms, as presets: each value with where it was read and how sure that
//! source is. A preset's program keys come from here; every key it does not name (the buyers'
//! behaviour: delays, confirmations, refunds) comes from the AliExpress Portals preset, since
//! no source gives them for these programs.

use super::params::{self, Entry, Literal, Section};
use crate::model::Preset;

/// How sure a value is, by its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    /// The program's own terms or help pages.
    Official,
    /// The network's own help pages.
    Network,
    /// A third party: a blog, a directory, a forum.
    Second,
    /// Not found stated anywhere: a stand-in to replace with your own.
    Assumed,
}

impl Confidence {
    /// As files and tables write it.
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Official => "OFFICIAL",
            Confidence::Network => "NET",
            Confidence::Second => "2ND",
            Confidence::Assumed => "ASSUMED",
        }
    }

    /// Whether the value is to be shown as an assumption rather than a fact.
    pub fn is_assumption(self) -> bool {
        matches!(self, Confidence::Second | Confidence::Assumed)
    }
}

/// One program key's value under a preset.
#[derive(Debug, Clone, Copy)]
pub struct Term {
    pub key: &'static str,
    pub value: Literal,
    pub confidence: Confidence,
    /// Where it was read (a page), or why it is assumed.
    pub source: &'static str,
}

/// A category of a program's commission table.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    pub category: &'static str,
    /// Commission rate, 0..=1.
    pub rate: f64,
    pub confidence: Confidence,
    pub source: &'static str,
}

/// One of a program's payout methods (`[[payout_methods]]`), with how sure its weakest
/// value is and where each was read.
#[derive(Debug, Clone, Copy)]
pub struct Method {
    pub name: &'static str,
    pub minimum: f64,
    pub fee: f64,
    pub fee_percent: f64,
    pub fee_cap: Option<f64>,
    pub days_to_bank: u32,
    pub confidence: Confidence,
    pub source: &'static str,
}

/// A program's terms.
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub preset: Preset,
    /// What the program is, in a few words.
    pub title: &'static str,
    /// The currency its amounts (minimum, fees, cap) are in.
    pub currency: &'static str,
    pub terms: &'static [Term],
    /// Its commission table by category ("other" for its rate of everything else).
    pub rates: &'static [Rate],
    /// Its payout methods, when it offers several (then its minimum and fees are theirs).
    pub methods: &'static [Method],
    /// Terms the model does not follow yet, said wherever the preset is shown.
    pub not_modeled: &'static [&'static str],
    /// Keys no source gives for this program, yours to set, with what they mean.
    pub yours: &'static [&'static str],
}

use Confidence::{Assumed, Network, Official, Second};
use Literal::{Number as N, Word as W};

const fn t(
    key: &'static str,
    value: Literal,
    confidence: Confidence,
    source: &'static str,
) -> Term {
    Term {
        key,
        value,
        confidence,
        source,
    }
}

const fn method(
    name: &'static str,
    (minimum, fee, fee_percent, fee_cap): (f64, f64, f64, Option<f64>),
    days_to_bank: u32,
    confidence: Confidence,
    source: &'static str,
) -> Method {
    Method {
        name,
        minimum,
        fee,
        fee_percent,
        fee_cap,
        days_to_bank,
        confidence,
        source,
    }
}

const fn rate(
    category: &'static str,
    rate: f64,
    confidence: Confidence,
    source: &'static str,
) -> Rate {
    Rate {
        category,
        rate,
        confidence,
        source,
    }
}

const AMAZON_RATES: &str = "US rate card as four third-party tables agree (2020-2025); the official schedule page was not read";
const PAID_ON_LOCK: &str = "paid on the day the money locks, no settlement lag stated";
const NO_FEE: &str = "no fee stated for this payout method";
const NO_CAP: &str = "no per-order cap stated";
const AMAZON_DEBIT: &str = "affiliate-program.amazon.sg/help/node/topic/GMVYSY8X84EPFA7X: items returned or refunded after payment are deducted from later fees (the SG page)";
const AMAZON_SHIPPED: &str = "affiliate-program.amazon.com/help/node/topic/202050210: fees are earned after the order has shipped";
const BANGGOOD_LOCK: &str = "newbg.banggood.com/Affiliates-program-FAQ_hl72_at473: points locked 45 days after the order ships";
const CART: &str = "an item carted inside the 24 hours earns if ordered before the cart expires, \"usually after 90 days\" (OFFICIAL on the IN and SE help pages, G9SMD8TQHFJ7728F); this country's figure was not found";

/// Every program preset beside the AliExpress ones.
pub static PROGRAMS: &[Terms] = &[
    Terms {
        preset: Preset::AmazonUs,
        title: "Amazon Associates (US)",
        currency: "USD",
        terms: &[
            t(
                "cookie_hours",
                N(24.0),
                Official,
                "affiliate-program.amazon.in/help/node/topic/G9SMD8TQHFJ7728F (same text on .se; the US page was not found)",
            ),
            t("cart_extension_days", N(90.0), Assumed, CART),
            t("commission_cap", N(1e6), Assumed, NO_CAP),
            t("earned_at", W("shipment"), Official, AMAZON_SHIPPED),
            t(
                "lock",
                W("month_end_plus_days"),
                Official,
                "affiliate-program.amazon.com/help/node/topic/202050210: paid approximately 60 days after the end of the month",
            ),
            t(
                "lock_days",
                N(60.0),
                Official,
                "affiliate-program.amazon.com/help/node/topic/202050210",
            ),
            t(
                "returns_after_payment",
                W("debit_next"),
                Official,
                AMAZON_DEBIT,
            ),
            t("settlement", W("daily"), Assumed, PAID_ON_LOCK),
            t("settlement_lag_days", N(0.0), Assumed, PAID_ON_LOCK),
        ],
        rates: &[
            rate("amazon-games", 0.20, Second, AMAZON_RATES),
            rate("luxury-beauty", 0.10, Second, AMAZON_RATES),
            rate("handmade", 0.05, Second, AMAZON_RATES),
            rate("digital-music", 0.05, Second, AMAZON_RATES),
            rate("books", 0.045, Second, AMAZON_RATES),
            rate("kitchen", 0.045, Second, AMAZON_RATES),
            rate("automotive", 0.045, Second, AMAZON_RATES),
            rate("fashion", 0.04, Second, AMAZON_RATES),
            rate("watches", 0.04, Second, AMAZON_RATES),
            rate("jewelry", 0.04, Second, AMAZON_RATES),
            rate("shoes", 0.04, Second, AMAZON_RATES),
            rate("amazon-devices", 0.04, Second, AMAZON_RATES),
            rate("toys", 0.03, Second, AMAZON_RATES),
            rate("home", 0.03, Second, AMAZON_RATES),
            rate("home-improvement", 0.03, Second, AMAZON_RATES),
            rate("lawn-garden", 0.03, Second, AMAZON_RATES),
            rate("pets", 0.03, Second, AMAZON_RATES),
            rate("headphones", 0.03, Second, AMAZON_RATES),
            rate("beauty", 0.03, Second, AMAZON_RATES),
            rate("tools", 0.03, Second, AMAZON_RATES),
            rate("sports", 0.03, Second, AMAZON_RATES),
            rate("baby", 0.03, Second, AMAZON_RATES),
            rate("pc", 0.025, Second, AMAZON_RATES),
            rate("televisions", 0.02, Second, AMAZON_RATES),
            rate("grocery", 0.01, Second, AMAZON_RATES),
            rate("health-personal-care", 0.01, Second, AMAZON_RATES),
            rate("video-games", 0.01, Second, AMAZON_RATES),
            rate("gift-cards", 0.0, Second, AMAZON_RATES),
            rate("other", 0.04, Second, AMAZON_RATES),
        ],
        methods: &[
            method(
                "direct deposit",
                (10.0, 0.0, 0.0, None),
                5,
                Assumed,
                "minimum $10: affiliate-program.amazon.com/help/node/topic/202050210 (OFFICIAL); no fee: proudmoney.com (2ND); 5 days to the bank: the generic stand-in (ASSUMED)",
            ),
            method(
                "check",
                (100.0, 15.0, 0.0, None),
                14,
                Assumed,
                "minimum $100: scoopmart.com, proudmoney.com (2ND); $15 per check: Amazon's payment e-mail at woguide.com/2757.html (2ND); 14 days by post (ASSUMED)",
            ),
        ],
        not_modeled: &[],
        yours: &[
            "cart_share: the share of your buyers past their session who put the item in the cart inside the 24 hours (without it the cart extension is unused)",
        ],
    },
    Terms {
        preset: Preset::AmazonUk,
        title: "Amazon Associates (UK)",
        currency: "GBP",
        terms: &[
            t(
                "cookie_hours",
                N(24.0),
                Official,
                "affiliate-program.amazon.in/help/node/topic/G9SMD8TQHFJ7728F (same text on .se)",
            ),
            t("cart_extension_days", N(90.0), Assumed, CART),
            t("commission_cap", N(1e6), Assumed, NO_CAP),
            t("earned_at", W("shipment"), Official, AMAZON_SHIPPED),
            t(
                "lock",
                W("month_end_plus_days"),
                Official,
                "affiliate-program.amazon.co.uk/help/node/topic/GKDG94FQSRXSJCGK: paid ~60 days after the end of the month",
            ),
            t(
                "lock_days",
                N(60.0),
                Official,
                "affiliate-program.amazon.co.uk/help/node/topic/GKDG94FQSRXSJCGK",
            ),
            t(
                "returns_after_payment",
                W("debit_next"),
                Official,
                AMAZON_DEBIT,
            ),
            t("settlement", W("daily"), Assumed, PAID_ON_LOCK),
            t("settlement_lag_days", N(0.0), Assumed, PAID_ON_LOCK),
        ],
        rates: &[],
        methods: &[
            method(
                "bank transfer",
                (25.0, 0.0, 0.0, None),
                5,
                Assumed,
                "minimum £25: affiliate-program.amazon.co.uk/help/node/topic/GP8Z3AZ27ZFHTEUL (OFFICIAL); no fee found; 5 days to the bank: the generic stand-in (ASSUMED)",
            ),
            method(
                "cheque",
                (50.0, 0.0, 0.0, None),
                14,
                Assumed,
                "minimum £50, for non-UK residents only: affiliate-program.amazon.co.uk/help/node/topic/GP8Z3AZ27ZFHTEUL (OFFICIAL); no fee found; 14 days by post (ASSUMED)",
            ),
        ],
        not_modeled: &[
            "category rates in tiers (exceed a tier and the higher rate applies to all the category's sales): the tier values were not found; give your categories' rates",
        ],
        yours: &[
            "cart_share: the share of your buyers past their session who put the item in the cart inside the 24 hours (without it the cart extension is unused)",
        ],
    },
    Terms {
        preset: Preset::Ebay,
        title: "eBay Partner Network",
        currency: "USD",
        terms: &[
            t(
                "cookie_hours",
                N(24.0),
                Official,
                "partnerhelp.ebay.com \"What is a Qualifying Transaction?\": Buy It Now within 24 hours of the click",
            ),
            t(
                "commission_cap",
                N(1e6),
                Assumed,
                "per-transaction caps exist; their amounts were not found",
            ),
            t(
                "lock",
                W("day_of_month_after"),
                Official,
                "partnerhelp.ebay.com \"Getting Paid Overview\": paid on the 10th for the month before the previous month",
            ),
            t(
                "lock_day",
                N(10.0),
                Official,
                "partnerhelp.ebay.com \"Getting Paid Overview\"",
            ),
            t(
                "lock_months",
                N(2.0),
                Official,
                "partnerhelp.ebay.com \"Getting Paid Overview\"",
            ),
            t(
                "returns_after_payment",
                W("debit_next"),
                Official,
                "epn-blog 2013/10 \"Why am I seeing negative transactions\": returns, unpaid items and cancellations reverse earnings as negative lines (dated)",
            ),
            t("settlement", W("daily"), Assumed, PAID_ON_LOCK),
            t("settlement_lag_days", N(0.0), Assumed, PAID_ON_LOCK),
            t(
                "minimum_payout",
                N(10.0),
                Official,
                "partnerhelp.ebay.com \"Getting Paid Overview\": the balance must exceed 10 units of the payment currency",
            ),
            t("payout_fee", N(0.0), Assumed, NO_FEE),
        ],
        rates: &[rate(
            "auto-parts",
            0.025,
            Official,
            "partnernetwork.ebay.es solutions page: the example of auto parts; other categories 1% to 6%, their table not read",
        )],
        methods: &[],
        not_modeled: &[
            "an auction bid within 24 hours that is won within 10 days",
            "the yearly payout of balances under the minimum",
        ],
        yours: &[],
    },
    Terms {
        preset: Preset::Banggood,
        title: "Banggood affiliate program",
        currency: "USD",
        terms: &[
            t(
                "cookie_days",
                N(15.0),
                Official,
                "banggood.com/it/Affiliates-program-FAQ_hl23: orders within 15 days of the click",
            ),
            t("commission_cap", N(1e6), Assumed, NO_CAP),
            t("earned_at", W("shipment"), Official, BANGGOOD_LOCK),
            t("lock", W("after_days"), Official, BANGGOOD_LOCK),
            t("lock_days", N(45.0), Official, BANGGOOD_LOCK),
            t("settlement", W("daily"), Assumed, PAID_ON_LOCK),
            t("settlement_lag_days", N(0.0), Assumed, PAID_ON_LOCK),
            t(
                "minimum_payout",
                N(1.0),
                Assumed,
                "no minimum found; 1.00 stands in",
            ),
            t(
                "payout_fee",
                N(0.0),
                Assumed,
                "no fee found (PayPal or bank transfer)",
            ),
        ],
        rates: &[rate(
            "other",
            0.04,
            Official,
            "forum.banggood.com/Affiliates-Program_hl23: Standard class 4% (Premium 6%, VIP 8% by sales volume)",
        )],
        methods: &[],
        not_modeled: &[
            "higher rates by class (Premium 6%, VIP 8%) as sales grow",
            "points: 100 points = US$1",
        ],
        yours: &[],
    },
    Terms {
        preset: Preset::Epn,
        title: "AliExpress through ePN",
        currency: "USD",
        terms: &[
            t(
                "cookie_hours",
                N(1.0),
                Assumed,
                "epn.bz/en/partners/ali/rules: the cookie lasts the browser session (OFFICIAL); one hour stands in for a session",
            ),
            t(
                "settlement",
                W("daily"),
                Official,
                "epn.bz/en/faq/questions: confirmed by the buyer, then AliExpress's accounting check",
            ),
            t(
                "settlement_lag_days",
                N(30.0),
                Official,
                "epn.bz/en/faq/questions: the accounting check \"may take up to a month\" (the longest taken)",
            ),
            t(
                "minimum_payout",
                N(1.0),
                Assumed,
                "no minimum found; 1.00 stands in",
            ),
            t("payout_fee", N(0.0), Assumed, "no fee found"),
            t(
                "payout_delay_days",
                N(0.0),
                Official,
                "epn.bz/en/faq/questions: e-wallets and cards within 5 minutes of the request",
            ),
        ],
        rates: &[],
        methods: &[],
        not_modeled: &["rates up to 10.6% with ePN's own bonuses: give your categories' rates"],
        yours: &[],
    },
    Terms {
        preset: Preset::Awin,
        title: "Awin (network rules; the advertiser sets cookie and rates)",
        currency: "USD",
        terms: &[
            t(
                "lock",
                W("after_days"),
                Network,
                "help.awin.com/advertisers/docs/auto-validation: auto-approved at the advertiser's auto-validation period",
            ),
            t(
                "lock_days",
                N(67.0),
                Network,
                "success.awin.com \"How long does it take…\": at most 67 days on Awin Access (others by contract)",
            ),
            t(
                "settlement",
                W("daily"),
                Network,
                "success.awin.com: payments on the 1st and the 15th",
            ),
            t(
                "settlement_lag_days",
                N(8.0),
                Assumed,
                "payments on the 1st and the 15th (NET): about 8 days on average from approval",
            ),
            t(
                "minimum_payout",
                N(20.0),
                Network,
                "success.awin.com \"What are the payment thresholds\": $20 / £20 / €20",
            ),
            t("payout_fee", N(0.0), Assumed, NO_FEE),
        ],
        rates: &[],
        methods: &[],
        not_modeled: &["advertisers paid only after they pay Awin (amber and red ones later)"],
        yours: &[],
    },
    Terms {
        preset: Preset::Cj,
        title: "CJ (network rules; the advertiser sets cookie and rates)",
        currency: "USD",
        terms: &[
            t(
                "lock",
                W("day_of_month_after"),
                Network,
                "junction.cj.com \"Understanding CJ's Publisher Payment Cycle\": locked on the 10th of the month after the event",
            ),
            t(
                "lock_day",
                N(10.0),
                Network,
                "junction.cj.com \"Understanding CJ's Publisher Payment Cycle\"",
            ),
            t(
                "lock_months",
                N(1.0),
                Network,
                "junction.cj.com \"Understanding CJ's Publisher Payment Cycle\"",
            ),
            t(
                "settlement",
                W("daily"),
                Second,
                "affililabs.ai: paid around the 20th",
            ),
            t(
                "settlement_lag_days",
                N(10.0),
                Second,
                "affililabs.ai: paid around the 20th, 10 days after the lock",
            ),
        ],
        rates: &[],
        methods: &[
            method(
                "direct deposit",
                (50.0, 0.0, 0.0, None),
                5,
                Assumed,
                "minimum $50: affililabs.ai (2ND); no fee found; 5 days to the bank: the generic stand-in (ASSUMED)",
            ),
            method(
                "check",
                (100.0, 0.0, 0.0, None),
                14,
                Assumed,
                "minimum $100: affililabs.ai, a 2009 forum (2ND); no fee found; 14 days by post (ASSUMED)",
            ),
        ],
        not_modeled: &[
            "an extended locking period (at most one more) for advertisers with long return windows",
        ],
        yours: &[],
    },
    Terms {
        preset: Preset::Impact,
        title: "Impact (network rules; the advertiser sets cookie and rates)",
        currency: "USD",
        terms: &[
            t(
                "lock",
                W("month_end_plus_days"),
                Network,
                "help.impact.com 48001237476: locked a contract's days after the month's end (example: 27)",
            ),
            t(
                "lock_days",
                N(27.0),
                Network,
                "help.impact.com 48001237476: the example contract",
            ),
            t(
                "settlement",
                W("daily"),
                Network,
                "help.impact.com 155000002749: paid 20 days after the lock month",
            ),
            t(
                "settlement_lag_days",
                N(24.0),
                Network,
                "help.impact.com 155000002749: 20 days after the end of the lock month, about 24 days after a lock on the 27th",
            ),
        ],
        rates: &[],
        methods: &[
            method(
                "bank transfer",
                (10.0, 0.0, 0.0, None),
                5,
                Assumed,
                "withdraw at $10 or more: help.impact.com 48001237980 (NET); no fee found; 5 days to the bank: the generic stand-in (ASSUMED)",
            ),
            method(
                "PayPal",
                (10.0, 0.0, 2.0, Some(20.0)),
                1,
                Assumed,
                "withdraw at $10 or more: help.impact.com 48001237980 (NET); 2% capped at $20: support.getabstract.com (2ND); 1 day to the account (ASSUMED)",
            ),
        ],
        not_modeled: &["a $10 monthly fee on balances unpayable for 6 months"],
        yours: &[],
    },
];

/// The value a key takes under `preset` when the file does not set it: the program preset's
/// term, else the table's fallback (the AliExpress preset's value for a program preset).
pub fn preset_value(entry: &Entry, preset: Preset) -> Option<Literal> {
    match term(preset, entry.key) {
        Some(t) if entry.section == Section::Program => Some(t.value),
        _ => params::fallback_literal(entry, preset),
    }
}

/// The terms of a program preset, if `preset` is one (not an AliExpress one).
pub fn terms_of(preset: Preset) -> Option<&'static Terms> {
    PROGRAMS.iter().find(|t| t.preset == preset)
}

/// What a program preset takes as assumptions (2ND or ASSUMED), each with its source: its
/// terms, its payout methods, and what it borrows from the AliExpress Portals preset (buyer
/// protection, the void, and the cookie where the advertiser sets it). Empty for the AliExpress presets, whose values are the model's own.
pub fn assumed(preset: Preset) -> Vec<String> {
    let Some(terms) = terms_of(preset) else {
        return Vec::new();
    };
    let said = |c: Confidence, source: &str| format!("{}: {source}", c.label());
    let mut out: Vec<String> = terms
        .terms
        .iter()
        .filter(|t| t.confidence.is_assumption())
        .map(|t| {
            let kind = params::find(Section::Program, t.key).map(|e| e.kind);
            let value = kind.map_or(String::new(), |k| super::toml_literal(k, t.value));
            format!("{} = {value} ({})", t.key, said(t.confidence, t.source))
        })
        .collect();
    out.extend(
        terms
            .methods
            .iter()
            .filter(|m| m.confidence.is_assumption())
            .map(|m| {
                format!(
                    "payout method \"{}\" ({})",
                    m.name,
                    said(m.confidence, m.source)
                )
            }),
    );
    // Keys the program's terms leave to AliExpress's: its buyer protection and void, and the
    // cookie where the advertiser sets it.
    let cookie_named = ["cookie_days", "cookie_hours"]
        .iter()
        .any(|k| term(preset, k).is_some());
    let borrowed: Vec<String> = ["cookie_days", "auto_confirm_days", "invalid_after_days"]
        .into_iter()
        .filter(|&k| k != "cookie_days" || !cookie_named)
        .filter_map(|k| {
            let e = params::find(Section::Program, k)?;
            Some(format!(
                "{k} = {}",
                super::toml_literal(e.kind, preset_value(e, preset)?)
            ))
        })
        .collect();
    out.push(format!(
        "{}: the aliexpress-portals preset's (the buyers' delays, confirmations and refunds are your scenario's)",
        borrowed.join(", ")
    ));
    out
}

/// The value a program preset gives `key` of `[program]`, if it gives one.
pub fn term(preset: Preset, key: &str) -> Option<&'static Term> {
    terms_of(preset)?.terms.iter().find(|t| t.key == key)
}
