//! The parameter table is the one place a key is declared: every entry writes and reads back
//! its value, refuses a value of another kind, is made central by the table alone, and the
//! README's key tables and the page's form name exactly its keys.

use affcast::model::{Kind, Links, Param, Scenario, Spread};
use affcast::scenario::params::{self, Entry, Section, TABLE, Value, ValueKind};

/// The built-in scenario with `[links]`: one item in every list.
fn scenario() -> Scenario {
    let mut sc = affcast::scenario::builtin();
    sc.links = Some(Links::default());
    assert!(!sc.regions.is_empty() && !sc.categories.is_empty() && !sc.events.is_empty());
    sc
}

/// A value of `e`'s kind, unlike any default, uncertain where the kind may be.
fn sample(e: &Entry) -> Value {
    let uncertain =
        |kind: Kind, low: f64, high: f64| Value::Param(Param::Uncertain { kind, low, high });
    match e.kind {
        ValueKind::Name => Value::Word("sampled".into()),
        ValueKind::Share => Value::Number(0.375),
        ValueKind::Probability => uncertain(Kind::Probability, 0.125, 0.25),
        ValueKind::Positive { hi } => uncertain(Kind::Positive, hi / 8.0, hi / 4.0),
        ValueKind::Signed { lo, hi, .. } => uncertain(Kind::Signed, lo / 4.0, hi / 4.0),
        ValueKind::Money => Value::Money(1234),
        ValueKind::Days => Value::Number(17.0),
        ValueKind::Number { lo, hi, .. } => Value::Number(lo + (hi - lo) / 8.0),
        ValueKind::Whole { lo, hi } => Value::Whole(lo + (hi - lo) / 3),
        ValueKind::Distribution { hi } => Value::Spread(Spread {
            median: Param::Uncertain {
                kind: Kind::Positive,
                low: hi / 64.0,
                high: hi / 32.0,
            },
            ratio: 2.5,
        }),
        ValueKind::Choice(words) => Value::Word(words[words.len() - 1].to_string()),
        ValueKind::Seasonality => Value::Months([
            0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 0.25, 0.5, 0.75, 1.0, 1.25,
        ]),
        ValueKind::DayOfYear => Value::Day(3, 7),
    }
}

/// Puts the key that `e` applies under to the word it needs (`settlement_day` under
/// monthly settlement).
fn enable(sc: &mut Scenario, e: &Entry, i: usize) {
    if let Some((key, words)) = e.only_if {
        let gate = params::find(e.section, key).unwrap();
        (gate.set)(sc, i, Value::Word(words[0].into())).unwrap();
    }
}

#[test]
fn every_entry_writes_its_value_and_reads_it_back() {
    for e in TABLE {
        let mut sc = scenario();
        enable(&mut sc, e, 0);
        let v = sample(e);
        assert_ne!(
            (e.get)(&sc, 0).as_ref(),
            Some(&v),
            "{}: the sample is the default",
            e.path(0)
        );
        (e.set)(&mut sc, 0, v.clone()).unwrap_or_else(|m| panic!("{}: {m}", e.path(0)));
        assert_eq!((e.get)(&sc, 0), Some(v), "{}", e.path(0));
    }
}

#[test]
fn a_value_of_another_kind_is_refused_not_written_as_zero() {
    for e in TABLE {
        let mut sc = scenario();
        enable(&mut sc, e, 0);
        let before = (e.get)(&sc, 0);
        let wrong = match e.kind {
            ValueKind::DayOfYear => Value::Word("x".into()),
            _ => Value::Day(1, 1),
        };
        assert!((e.set)(&mut sc, 0, wrong).is_err(), "{}", e.path(0));
        assert_eq!(
            (e.get)(&sc, 0),
            before,
            "{}: changed by a refused value",
            e.path(0)
        );
    }
}

#[test]
fn the_central_scenario_leaves_no_key_uncertain() {
    let mut sc = scenario();
    let mut made_uncertain = 0;
    for e in TABLE {
        for i in 0..params::items(&sc, e.section) {
            if e.only_if.is_none() && matches!(sample(e), Value::Param(_) | Value::Spread(_)) {
                (e.set)(&mut sc, i, sample(e)).unwrap();
                made_uncertain += 1;
            }
        }
    }
    assert!(made_uncertain >= 20, "{made_uncertain}");
    let central = params::centralized(&sc).unwrap();
    // Nothing uncertain anywhere in the model, whether or not a key reaches it.
    let text = format!("{central:?}");
    assert!(!text.contains("Uncertain"), "{text}");
    for e in TABLE {
        for i in 0..params::items(&sc, e.section) {
            match ((e.get)(&sc, i), (e.get)(&central, i)) {
                (Some(Value::Param(p)), Some(c)) => {
                    assert_eq!(c, Value::Param(Param::Fixed(p.central())))
                }
                (Some(Value::Spread(d)), Some(Value::Spread(c))) => {
                    assert_eq!(c.median, Param::Fixed(d.median.central()));
                    assert_eq!(c.ratio, d.ratio);
                }
                (before, after) => assert_eq!(before, after, "{}", e.path(i)),
            }
        }
    }
}

/// The key column of each table under `heading` in the README's section on the scenario
/// file: (key, its U/D mark).
fn readme_keys(readme: &str, heading: &str) -> Vec<(String, String)> {
    let start = readme.find("## The scenario file").unwrap();
    let end = start + readme[start..].find("\n## Commands").unwrap();
    let part = &readme[start..end];
    let at = part
        .lines()
        .position(|l| l.starts_with(heading))
        .unwrap_or_else(|| panic!("no paragraph starting {heading}"));
    part.lines()
        .skip(at + 1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| {
            let cell = row.split('|').nth(1).unwrap().trim();
            let key = cell.split('`').nth(1).unwrap().to_string();
            let mark = cell.rsplit('`').next().unwrap().trim().to_string();
            (key, mark)
        })
        .collect()
}

#[test]
fn the_readme_key_tables_name_exactly_the_tables_keys() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for section in [
        Section::Program,
        Section::Traffic,
        Section::Links,
        Section::Events,
        Section::Regions,
        Section::Categories,
    ] {
        let heading = if section.is_list() {
            format!("`[[{}]]`", section.name())
        } else {
            format!("`[{}]`", section.name())
        };
        let written = readme_keys(&readme, &heading);
        let declared: Vec<(String, String)> = params::section(section)
            .filter(|e| !(section == Section::Program && e.key == "preset"))
            .map(|e| {
                let mark = match e.kind {
                    ValueKind::Distribution { .. } => "D",
                    k if k.uncertain_shape().is_some() => "U",
                    _ => "",
                };
                (e.key.to_string(), mark.to_string())
            })
            .collect();
        let written: Vec<_> = written.into_iter().filter(|(k, _)| k != "preset").collect();
        assert_eq!(written, declared, "README {heading}");
    }
}

#[test]
fn the_pages_form_shows_only_keys_of_the_table() {
    let page = include_str!("../src/serve/page.html");
    let start = page.find("const COMMON = {").unwrap();
    let block = &page[start..start + page[start..].find("};").unwrap()];
    let mut shown = 0;
    for line in block.lines().skip(1) {
        let Some((name, keys)) = line.trim().split_once(':') else {
            continue;
        };
        let section = [
            Section::Program,
            Section::Traffic,
            Section::Links,
            Section::Regions,
            Section::Categories,
            Section::Events,
        ]
        .into_iter()
        .find(|s| s.name() == name.trim())
        .unwrap_or_else(|| panic!("the form's section {name} is not in the table"));
        for key in keys.split('"').skip(1).step_by(2) {
            assert!(
                params::find(section, key).is_some() || key == "preset",
                "{name}.{key}"
            );
            shown += 1;
        }
    }
    assert!(shown >= 10, "{shown}");
}
