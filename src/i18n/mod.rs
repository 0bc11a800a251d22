//! The languages of the page and its messages: English, Portuguese, Spanish and French, the
//! languages of the program's audience. Words are Fluent messages (`src/i18n/<lang>/page.ftl`
//! for the page, `report.ftl` for the reports, read by `fluent-bundle`); numbers are written by ICU4X's decimal formatter in the
//! language's own separators. A message missing from a language falls back to English.

use std::collections::BTreeMap;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::options::GroupingStrategy;

use crate::choice::Choice;
use crate::error::{Fault, TooMuchWork, WorkDriver};

/// A language affcast speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Pt,
    Es,
    Fr,
}

impl Choice for Lang {
    const ALL: &'static [Self] = &[Lang::En, Lang::Pt, Lang::Es, Lang::Fr];

    fn name(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pt => "pt",
            Lang::Es => "es",
            Lang::Fr => "fr",
        }
    }

    fn help(self) -> Option<&'static str> {
        Some(match self {
            Lang::En => "English",
            Lang::Pt => "Português",
            Lang::Es => "Español",
            Lang::Fr => "Français",
        })
    }
}

impl Lang {
    /// The first language of an `Accept-Language` list ("pt-BR,pt;q=0.9,en;q=0.8") that
    /// affcast speaks, by the list's weights; English when none is.
    pub fn preferred(list: &str) -> Lang {
        let mut wanted: Vec<(f64, usize, Lang)> = list
            .split(',')
            .enumerate()
            .filter_map(|(order, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let weight = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f64>().ok())?;
                let primary = tag.split(['-', '_']).next()?;
                let lang = Lang::named(primary)?;
                (weight > 0.0).then_some((weight, order, lang))
            })
            .collect();
        wanted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        wanted.first().map_or(Lang::En, |w| w.2)
    }

    /// The language's message files: the page's, then the reports'.
    fn sources(self) -> [(&'static str, &'static str); 2] {
        match self {
            Lang::En => [
                ("en/page.ftl", include_str!("en/page.ftl")),
                ("en/report.ftl", include_str!("en/report.ftl")),
            ],
            Lang::Pt => [
                ("pt/page.ftl", include_str!("pt/page.ftl")),
                ("pt/report.ftl", include_str!("pt/report.ftl")),
            ],
            Lang::Es => [
                ("es/page.ftl", include_str!("es/page.ftl")),
                ("es/report.ftl", include_str!("es/report.ftl")),
            ],
            Lang::Fr => [
                ("fr/page.ftl", include_str!("fr/page.ftl")),
                ("fr/report.ftl", include_str!("fr/report.ftl")),
            ],
        }
    }
}

/// The messages and number format of one language.
pub struct Words {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    /// English, for a message the language lacks.
    english: Option<FluentBundle<FluentResource>>,
    numbers: DecimalFormatter,
    /// The same without grouping.
    ungrouped: DecimalFormatter,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier =
        lang.name().parse().expect("the language tags are valid");
    let mut bundle = FluentBundle::new(vec![id]);
    // Plain text for the page and its messages: no bidirectional isolation marks.
    bundle.set_use_isolating(false);
    for (file, text) in lang.sources() {
        let resource = FluentResource::try_new(text.to_string())
            .unwrap_or_else(|(_, errors)| panic!("{file} does not parse: {errors:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("{file} repeats a message: {errors:?}"));
    }
    bundle
}

impl Words {
    pub fn new(lang: Lang) -> Words {
        let locale: icu_locale_core::Locale =
            lang.name().parse().expect("the language tags are valid");
        Words {
            lang,
            bundle: bundle(lang),
            english: (lang != Lang::En).then(|| bundle(Lang::En)),
            numbers: DecimalFormatter::try_new(locale.clone().into(), Default::default())
                .expect("ICU4X's compiled data has the four languages"),
            ungrouped: DecimalFormatter::try_new(locale.into(), GroupingStrategy::Never.into())
                .expect("ICU4X's compiled data has the four languages"),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Message `id` with its arguments (text already in the language); a variable not
    /// given stays as `{$name}`.
    pub fn say(&self, id: &str, args: &[(&str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.clone()));
        }
        self.format(id, &fluent_args)
    }

    fn format(&self, id: &str, fluent_args: &FluentArgs) -> String {
        let found = [Some(&self.bundle), self.english.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|b| Some((b, b.get_message(id)?.value()?)));
        let Some((bundle, pattern)) = found else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(fluent_args), &mut errors)
            .into_owned()
    }

    /// Whether the language itself (not its English fallback) has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// `x` with at most `digits` decimals (trailing zeros dropped), in the language's
    /// separators: 30000.5 is "30,000.5" in English, "30.000,5" in Portuguese.
    pub fn number(&self, x: f64, digits: usize) -> String {
        if !x.is_finite() {
            return x.to_string();
        }
        let mut d: Decimal = format!("{x:.digits$}")
            .parse()
            .expect("a formatted finite number parses");
        d.trim_end();
        self.numbers.format(&d).to_string()
    }

    /// `x` rounded to exactly `digits` decimals, zeros kept so that columns line up
    /// ("3.50" in English, "3,50" in Portuguese).
    pub fn fixed(&self, x: f64, digits: usize) -> String {
        if !x.is_finite() {
            return "—".into();
        }
        self.decimal(&format!("{x:.digits$}"))
    }

    /// A decimal written in plain digits ("-1234.50"), in the language's separators with
    /// every decimal kept.
    pub fn decimal(&self, plain: &str) -> String {
        match plain.parse::<Decimal>() {
            Ok(d) => self.numbers.format(&d).to_string(),
            Err(_) => plain.to_string(),
        }
    }

    /// As [`Words::fixed`] without thousands separators, for amounts inside sentences
    /// ("1234.50", "1234,50").
    pub fn plain(&self, x: f64, digits: usize) -> String {
        if !x.is_finite() {
            return "—".into();
        }
        self.decimal_plain(&format!("{x:.digits$}"))
    }

    /// As [`Words::decimal`] without thousands separators.
    pub fn decimal_plain(&self, plain: &str) -> String {
        match plain.parse::<Decimal>() {
            Ok(d) => self.ungrouped.format(&d).to_string(),
            Err(_) => plain.to_string(),
        }
    }

    /// A share as a percentage with `digits` decimals ("12.5%", "12,5 %" in French).
    pub fn percent(&self, share: f64, digits: usize) -> String {
        if !share.is_finite() {
            return "—".into();
        }
        self.say(
            "number-percent",
            &[("n", self.fixed(share * 100.0, digits))],
        )
    }

    /// Message `id` whose wording depends on whole numbers (Fluent's plural categories of
    /// the language), with further arguments already in words.
    pub fn say_counts(
        &self,
        id: &str,
        counts: &[(&str, usize)],
        args: &[(&str, String)],
    ) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, n) in counts {
            fluent_args.set(*name, FluentValue::from(*n));
        }
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.clone()));
        }
        self.format(id, &fluent_args)
    }

    /// A fault in words, numbers in the language (`message`, the library's sentence, gives a
    /// syntax error's details); `None` for a fault only the library's message says.
    pub fn fault(&self, fault: &Fault, message: &str) -> Option<String> {
        let n = |x: f64| self.number(x, 6);
        Some(match fault {
            Fault::Other => return None,
            Fault::Missing => self.say("fault-missing", &[]),
            Fault::NotFinite => self.say("fault-not-finite", &[]),
            Fault::OutOfRange { value, lo, hi } => self.say(
                "fault-out-of-range",
                &[("value", n(*value)), ("lo", n(*lo)), ("hi", n(*hi))],
            ),
            Fault::LowAboveHigh { low, high } => self.say(
                "fault-low-above-high",
                &[("low", n(*low)), ("high", n(*high))],
            ),
            Fault::RangeOutside {
                low,
                high,
                lo,
                hi,
                open,
            } => self.say(
                if *open {
                    "fault-range-open"
                } else {
                    "fault-range-outside"
                },
                &[
                    ("low", n(*low)),
                    ("high", n(*high)),
                    ("lo", n(*lo)),
                    ("hi", n(*hi)),
                ],
            ),
            Fault::Below {
                value,
                floor,
                floor_key,
            } => self.say(
                "fault-below",
                &[
                    ("value", n(*value)),
                    ("floor", n(*floor)),
                    ("floor-key", self.say(&format!("floor-{floor_key}"), &[])),
                ],
            ),
            Fault::SharesSum { sum } => self.say("fault-shares-sum", &[("sum", n(*sum))]),
            Fault::Duplicate { name } => self.say("fault-duplicate", &[("name", name.clone())]),
            Fault::UnknownKey { key } => self.say("fault-unknown-key", &[("key", key.clone())]),
            Fault::SteepGrowth {
                growth,
                factor,
                months,
                from,
                to,
            } => self.say(
                "fault-steep-growth",
                &[
                    ("percent", self.number(growth * 100.0, 2)),
                    ("factor", self.number(*factor, 0)),
                    ("months", months.to_string()),
                    ("from", self.number(*from, 0)),
                    ("to", self.number(*to, 0)),
                    ("written", self.number(*growth, 6)),
                    ("meant", self.number(growth / 100.0, 6)),
                ],
            ),
            Fault::PresetCurrency {
                currency,
                keys,
                preset,
            } => self.say(
                "fault-preset-currency",
                &[
                    ("currency", currency.clone()),
                    ("keys", keys.join(", ")),
                    ("preset", (*preset).to_string()),
                ],
            ),
            Fault::MissingField { field, .. } => {
                self.say("fault-missing-field", &[("field", field.clone())])
            }
            Fault::UnknownColumns { columns } => self.say(
                "fault-unknown-columns",
                &[("count", columns.len().to_string())],
            ),
            Fault::Syntax { line } => {
                let message = message.split(" (line ").next().unwrap_or("").to_string();
                match line {
                    Some(l) => self.say(
                        "fault-syntax",
                        &[("line", l.to_string()), ("message", message)],
                    ),
                    None => self.say("fault-syntax-nowhere", &[("message", message)]),
                }
            }
        })
    }

    /// A run too large to start, in words: how much work, what drives it, how to lower it
    /// on the page (no command-line flags).
    pub fn too_much_work(&self, w: &TooMuchWork) -> String {
        let time = if w.seconds < 7200.0 {
            self.say(
                "time-minutes",
                &[("count", self.number(w.seconds / 60.0, 0))],
            )
        } else {
            self.say(
                "time-hours",
                &[("count", self.number(w.seconds / 3600.0, 0))],
            )
        };
        let driver = match w.driver {
            WorkDriver::Growth {
                monthly_growth,
                factor,
                from,
            } => self.say(
                "work-driver-growth",
                &[
                    ("growth", self.number(monthly_growth, 6)),
                    ("factor", self.number(factor, 0)),
                    ("from", self.number(from, 0)),
                    ("to", self.number(from * factor, 0)),
                ],
            ),
            WorkDriver::Clicks {
                clicks_per_month,
                months,
            } => self.say(
                "work-driver-clicks",
                &[
                    ("clicks", self.number(clicks_per_month, 0)),
                    ("months", months.to_string()),
                ],
            ),
        };
        self.say(
            "fault-too-much-work",
            &[
                (
                    "buyers",
                    self.number(w.buyers / 1e6, usize::from(w.buyers < 1e7)),
                ),
                ("time", time),
                ("gb", self.number(w.bytes / 1e9, 1)),
                ("driver", driver),
            ],
        )
    }

    /// Every message of the page (`page-*`, and the form's `key-*` and `help-*`), its
    /// variables left as `{$name}` for the page to fill with numbers it formats itself.
    pub fn page(&self) -> BTreeMap<String, String> {
        message_ids(Lang::En)
            .into_iter()
            .filter(|id| ["page-", "key-", "help-"].iter().any(|p| id.starts_with(p)))
            .map(|id| {
                let text = self.say(&id, &[]);
                (id, text)
            })
            .collect()
    }
}

thread_local! {
    static ENGLISH: Words = Words::new(Lang::En);
}

/// `f` given the English words, made once per thread: the text formats (table, Markdown,
/// JSON and the command line's messages) speak English.
pub fn in_english<R>(f: impl FnOnce(&Words) -> R) -> R {
    ENGLISH.with(f)
}

/// The message ids of a language's file, in file order.
pub fn message_ids(lang: Lang) -> Vec<String> {
    lang.sources()
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter(|l| !l.starts_with(['#', ' ']) && !l.trim().is_empty())
        .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;

    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let english = message_ids(Lang::En);
        let vars = |text: &str| -> Vec<String> {
            let mut v: Vec<String> = text
                .match_indices("{$")
                .map(|(i, _)| text[i..].split('}').next().unwrap_or("").to_string())
                .collect();
            v.sort();
            v
        };
        let en = Words::new(Lang::En);
        for &lang in Lang::ALL {
            let words = Words::new(lang);
            let ids = message_ids(lang);
            for id in &english {
                assert!(words.has(id), "{}: no {id}", lang.name());
                assert_eq!(
                    vars(&words.say(id, &[])),
                    vars(&en.say(id, &[])),
                    "{}: {id} has other variables than in English",
                    lang.name()
                );
            }
            for id in &ids {
                assert!(
                    english.contains(id),
                    "{} has {id}, English does not",
                    lang.name()
                );
            }
        }
    }

    #[test]
    fn numbers_are_written_in_the_language() {
        assert_eq!(Words::new(Lang::En).number(30000.5, 2), "30,000.5");
        assert_eq!(Words::new(Lang::Pt).number(30000.5, 2), "30.000,5");
        assert_eq!(Words::new(Lang::Es).number(0.015, 4), "0,015");
        // French groups with a narrow no-break space.
        assert_eq!(Words::new(Lang::Fr).number(30000.5, 2), "30\u{202f}000,5");
    }

    #[test]
    fn fixed_and_plain_numbers_keep_their_decimals() {
        let en = Words::new(Lang::En);
        assert_eq!(en.fixed(1234.5, 2), "1,234.50");
        assert_eq!(en.plain(1234.5, 2), "1234.50");
        assert_eq!(en.fixed(-0.125, 1), "-0.1");
        assert_eq!(en.percent(0.125, 1), "12.5%");
        let pt = Words::new(Lang::Pt);
        assert_eq!(pt.fixed(1234.5, 2), "1.234,50");
        assert_eq!(pt.plain(1234.5, 2), "1234,50");
        assert_eq!(Words::new(Lang::Fr).percent(0.125, 1), "12,5\u{202f}%");
        assert_eq!(
            en.say_counts("report-months", &[("count", 1)], &[]),
            "1 month"
        );
        assert_eq!(
            pt.say_counts("report-months", &[("count", 24)], &[]),
            "24 meses"
        );
    }

    #[test]
    fn the_browser_list_picks_the_language() {
        assert_eq!(Lang::preferred("pt-BR,pt;q=0.9,en;q=0.8"), Lang::Pt);
        assert_eq!(Lang::preferred("de-DE,fr;q=0.5,es;q=0.7"), Lang::Es);
        assert_eq!(Lang::preferred("de,ja"), Lang::En);
        assert_eq!(Lang::preferred(""), Lang::En);
    }

    #[test]
    fn a_fault_is_said_with_the_language_numbers() {
        let p = Problem {
            origin: None,
            path: Some("traffic.clicks_per_month".into()),
            fault: Fault::OutOfRange {
                value: 3e10,
                lo: 0.0,
                hi: 1e9,
            },
            message: String::new(),
        };
        assert_eq!(
            Words::new(Lang::Pt).fault(&p.fault, &p.message).unwrap(),
            "Informe um número de 0 a 1.000.000.000; 30.000.000.000 está fora disso."
        );
    }
}
