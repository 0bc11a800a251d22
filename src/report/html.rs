//! `affcast report`: one self-contained HTML page (inline SVG and CSS, nothing fetched).

use std::fmt::Write as _;

use super::advice::{advice_header, refresh_header};
use super::forecast::{breakdowns, origin_text, summary_header};
use super::numbers::{human_in, worlds_in};
use super::{
    advice_rows, assumption_text, calendar_footnote, chart, monthly_header, monthly_legend,
    monthly_rows, notes, objective_words, part_rows, refresh_rows, summary_cell, summary_rows,
    track, verdict_text,
};
use crate::app::Mixes;
use crate::app::track::FORECAST_MONTHS;
use crate::backtest::Backtest;
use crate::choice::Choice;
use crate::error::Result;
use crate::i18n::Words;
use crate::scenario::provenance::Assumption;
use crate::stats::{Forecast, SummaryMetric, Unit};

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG from plotters made to scale with the page.
fn responsive(svg: &str) -> String {
    match svg.find("<svg ") {
        Some(i) => {
            let (head, rest) = svg.split_at(i + 5);
            let rest = rest.replacen("width=\"", "data-width=\"", 1).replacen(
                "height=\"",
                "data-height=\"",
                1,
            );
            format!("{head}role=\"img\" style=\"width:100%;height:auto\" {rest}")
        }
        None => svg.to_string(),
    }
}

fn table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    out.push_str("<div class=\"scroll\"><table><thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        out.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let class = if i == 0 { "" } else { " class=\"num\"" };
            let _ = write!(out, "<td{class}>{}</td>", esc(c).replace('\n', "<br>"));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
}

const CSS: &str = r#"
:root { --ink: #1d2733; --muted: #5b6776; --line: #d9dee5; --accent: #1f77b4; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.sub, .note { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: .75rem; margin-top: 1rem; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; background: var(--bg); }
.card h3 { font-size: .85rem; font-weight: 600; color: var(--muted); margin: 0; text-transform: uppercase; letter-spacing: .03em; }
.card .big { font-size: 1.7rem; font-weight: 700; margin: .2rem 0; }
.card .range { font-size: .85rem; color: var(--muted); margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--bg); position: sticky; top: 0; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
figure { margin: 0; overflow-x: auto; }
figure svg { min-width: 560px; display: block; }
th:not(:first-child) { text-align: right; }
@media (max-width: 600px) { body { font-size: 15px; } .card .big { font-size: 1.4rem; } th, td { padding: .25rem .35rem; } }
@media print {
  main { max-width: none; padding: 0; }
  .card, figure, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  th { position: static; }
  .scroll { overflow: visible; }
}
"#;

/// The headline cards: the figures a site owner looks at first.
fn cards(o: &mut String, w: &Words, f: &Forecast) {
    let _ = write!(
        o,
        "<section class=\"cards\" aria-label=\"{}\">",
        esc(&w.say("report-html-cards", &[]))
    );
    let card = |o: &mut String, title: &str, metric: SummaryMetric, unit_text: &str| {
        let sb = f.summary(metric);
        let (big, range) = match &sb.band {
            Some(b) => {
                // A ratio reads better as a percentage.
                let cell = |x: f64| match metric.unit() {
                    Unit::Ratio => w.percent(x, 1),
                    _ => summary_cell(w, f, metric, x),
                };
                (
                    cell(b.p50),
                    w.say(
                        "report-card-range",
                        &[
                            ("low", cell(b.p10)),
                            ("high", cell(b.p90)),
                            ("unit", unit_text.to_string()),
                        ],
                    ),
                )
            }
            None => ("—".to_string(), w.say("report-card-none", &[])),
        };
        let _ = write!(
            o,
            "<div class=\"card\"><h3>{}</h3><p class=\"big\">{}</p><p class=\"range\">{}</p></div>",
            esc(&w.say(title, &[])),
            esc(&big),
            esc(&range)
        );
    };
    let cur = format!(" {}", f.currency);
    let per = |id: &str| format!("{cur} {}", w.say(id, &[]));
    card(
        o,
        "report-card-run-rate-confirmed",
        SummaryMetric::RunRateConfirmed,
        &per("report-card-per-month"),
    );
    card(
        o,
        "report-card-run-rate-cash",
        SummaryMetric::RunRateCash,
        &per("report-card-per-month"),
    );
    card(
        o,
        "report-card-epc",
        SummaryMetric::Epc,
        &per("report-card-per-click"),
    );
    card(
        o,
        "report-card-reversal",
        SummaryMetric::ReversalRate,
        &format!(" {}", w.say("report-card-resolved", &[])),
    );
    card(
        o,
        "report-card-first-cash",
        SummaryMetric::FirstCashMonth,
        "",
    );
    card(o, "report-card-fees", SummaryMetric::TotalFees, &cur);
    o.push_str("</section>");
}

/// The category mixes: a table narrow enough for the page, in words, then the verdicts and
/// the chart.
fn mixes_section(o: &mut String, w: &Words, m: &Mixes) -> Result<()> {
    let c = &m.comparison;
    let base = ("base", c.variants[0].name.clone());
    let (what, per) = objective_words(w, c.objective);
    let _ = write!(
        o,
        "<section><h2>{}</h2><p class=\"note\">{}</p>",
        esc(&w.say("report-html-mixes", &[])),
        esc(&w.say(
            "report-html-mixes-note",
            &[
                ("trials", c.trials.to_string()),
                ("what", what.clone()),
                ("per", per.clone()),
            ],
        ))
    );
    let header: Vec<String> = vec![
        w.say("report-mix-col-mix", &[]),
        w.say("report-mix-col-shares", &[]),
        format!("{}{per}", capitalised(&what)),
        w.say("report-mix-col-difference", std::slice::from_ref(&base)),
        w.say("report-mix-col-ahead", &[base]),
    ];
    let money = |x: f64| human_in(w, Unit::Money, x);
    let rows: Vec<Vec<String>> = c
        .variants
        .iter()
        .zip(&m.shares)
        .map(|(v, shares)| {
            let shares: Vec<String> = shares
                .iter()
                .filter(|(_, s)| *s > 0.0)
                .map(|(name, s)| format!("{name} {}", w.percent(*s, 0)))
                .collect();
            vec![
                v.name.clone(),
                shares.join("\n"),
                v.objective.band.map_or("—".into(), |b| {
                    format!("{}\n{}–{}", money(b.p50), money(b.p10), money(b.p90))
                }),
                v.diff.map_or("—".into(), |d| {
                    format!("{}\n{}–{}", money(d.mean), money(d.p10), money(d.p90))
                }),
                v.p_beats.map_or("—".into(), |p| {
                    w.say("report-mix-of-worlds", &[("percent", worlds_in(w, p))])
                }),
            ]
        })
        .collect();
    table(o, &header, &rows);
    o.push_str("<ul>");
    for v in c.variants.iter().skip(1) {
        if let Some(text) = verdict_text(w, v, c) {
            let _ = write!(o, "<li><b>{}</b>: {}</li>", esc(&v.name), esc(&text));
        }
    }
    let _ = write!(
        o,
        "</ul><figure>{}</figure></section>",
        responsive(&chart::compare_chart(w, c)?)
    );
    Ok(())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Income by category and the orders by region, each part's bands.
fn parts_sections(o: &mut String, w: &Words, f: &Forecast) {
    let titles = ["report-html-by-category", "report-html-by-region"];
    for (title, (first, parts)) in titles.into_iter().zip(breakdowns(w, f)) {
        let _ = write!(
            o,
            "<section><h2>{}</h2><p class=\"note\">{}</p>",
            esc(&w.say(title, &[])),
            esc(&w.say("report-html-parts-note", &[]))
        );
        let (header, rows) = part_rows(w, parts, &first, |u, b| {
            format!(
                "{}\n{}–{}",
                human_in(w, u, b.p50),
                human_in(w, u, b.p10),
                human_in(w, u, b.p90)
            )
        });
        table(o, &header, &rows);
        o.push_str("</section>");
    }
}

/// The track record: the backtest's verdict, its scores and its chart.
fn track_section(o: &mut String, w: &Words, b: &Backtest) -> Result<()> {
    let _ = write!(
        o,
        "<section><h2>{}</h2><p class=\"note\">{}</p><p>{}</p>",
        esc(&w.say("report-html-track", &[])),
        esc(&track::heading(w, b)),
        esc(&track::verdict(w, b))
    );
    table(
        o,
        &track::score_header(w),
        &track::score_rows(w, &b.scores, b.horizon),
    );
    let _ = write!(
        o,
        "<figure>{}</figure><p class=\"note\">{}</p></section>",
        responsive(&chart::backtest_chart(w, b)?),
        esc(&w.say("report-html-track-note", &[]))
    );
    Ok(())
}

/// The store's section: the months so far (the last twelve), the pipeline now, the nowcast
/// and how right the kept forecasts were. The page's "My data" view shows the same.
pub fn mydata_section(w: &Words, t: &crate::app::track::Track) -> String {
    use super::mydata;
    let mut o = String::new();
    let _ = write!(
        o,
        "<section id=\"mydata\"><h2>{}</h2><p class=\"note\">{}</p><p class=\"note\">{}</p>",
        esc(&w.say("report-html-mydata", &[])),
        esc(&mydata::heading(w, t)),
        esc(&w.say("report-mydata-months", &[]))
    );
    let (header, rows) = mydata::month_rows(w, t, 12);
    table(&mut o, &header, &rows);
    for line in mydata::pipeline_lines(w, t) {
        let _ = write!(o, "<p>{}</p>", esc(&line));
    }
    let (heading, header, rows) =
        mydata::nowcast_rows(w, t, |p50, p10, p90| format!("{p50}\n{p10}–{p90}"));
    let _ = write!(o, "<p class=\"note\">{}</p>", esc(&heading));
    table(&mut o, &header, &rows);
    let _ = write!(
        o,
        "<p class=\"note\">{}</p>",
        esc(&w.say("report-mydata-fva", &[]))
    );
    if !t.forecast_vs_actual.is_empty() {
        table(
            &mut o,
            &track::score_header(w),
            &track::score_rows(w, &t.scores, FORECAST_MONTHS as usize),
        );
    }
    o.push_str("<ul>");
    for line in mydata::verdict(w, t) {
        let _ = write!(o, "<li>{}</li>", esc(&line));
    }
    o.push_str("</ul></section>");
    o
}

/// An advice section: its heading, the note, the table and the recommendation.
fn advice_section<const N: usize>(
    o: &mut String,
    w: &Words,
    title: &str,
    header: &[String],
    (heading, rows, reason): (String, Vec<[String; N]>, String),
) {
    let _ = write!(
        o,
        "<section><h2>{}</h2><p class=\"note\">{}</p>",
        esc(&w.say(title, &[])),
        esc(&heading)
    );
    let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.to_vec()).collect();
    table(o, header, &rows);
    let _ = write!(o, "<p>{}</p></section>", esc(&reason));
}

/// The whole page in the language of `w`; `track` adds the track record of a backtest,
/// `mine` the orders so far of the order store.
pub fn page(
    w: &Words,
    f: &Forecast,
    assumptions: &[Assumption],
    mixes: Option<&Mixes>,
    track: Option<&Backtest>,
    mine: Option<&crate::app::track::Track>,
) -> Result<String> {
    let mut o = String::new();
    let h2 = |o: &mut String, id: &str| {
        let _ = write!(o, "<section><h2>{}</h2>", esc(&w.say(id, &[])));
    };
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body><main>",
        w.lang().name(),
        esc(&w.say("report-html-title", &[("scenario", f.scenario.clone())]))
    );
    let _ = write!(
        o,
        "<header><h1>{}</h1><p class=\"sub\">{}</p></header>",
        esc(&f.scenario),
        esc(&w.say(
            "report-html-sub",
            &[
                ("trials", f.trials.to_string()),
                ("seed", f.seed.to_string()),
                ("months", f.months.len().to_string()),
                ("start", f.start.clone()),
                ("currency", f.currency.clone()),
            ],
        ))
    );

    cards(&mut o, w, f);
    for n in notes(w, f) {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(&n));
    }
    if let Some(t) = mine {
        o.push_str(&mydata_section(w, t));
    }

    h2(&mut o, "report-html-money");
    let _ = write!(
        o,
        "<figure>{}</figure><p class=\"note\">{}{}</p></section>",
        responsive(&chart::fan_chart(w, f)?),
        esc(&w.say("report-html-fan-note", &[])),
        calendar_footnote(w, f).map_or(String::new(), |why| format!(" {}", esc(&why)))
    );

    h2(&mut o, "report-html-monthly");
    let _ = write!(
        o,
        "<p class=\"note\">{}</p>",
        esc(&w.say("report-html-cells", &[]))
    );
    table(
        &mut o,
        &monthly_header(w, f),
        &monthly_rows(w, f, false, |p50, p10, p90| format!("{p50}\n{p10}–{p90}")),
    );
    let _ = write!(
        o,
        "<p class=\"note\">{}</p></section>",
        esc(&monthly_legend(w, f))
    );

    h2(&mut o, "report-html-summary");
    table(&mut o, &summary_header(w), &summary_rows(w, f));
    let _ = write!(
        o,
        "<p class=\"note\">{}</p></section>",
        esc(&w.say("report-run-rate-note", &[]))
    );
    parts_sections(&mut o, w, f);

    if let Some(advice) = advice_rows(w, f) {
        advice_section(&mut o, w, "report-html-advice", &advice_header(w), advice);
    }
    if let Some(refresh) = refresh_rows(w, f) {
        advice_section(
            &mut o,
            w,
            "report-html-refresh",
            &refresh_header(w),
            refresh,
        );
    }
    if let Some(m) = mixes {
        mixes_section(&mut o, w, m)?;
    }
    if let Some(b) = track {
        track_section(&mut o, w, b)?;
    }

    h2(&mut o, "report-html-assumptions");
    let _ = write!(
        o,
        "<p class=\"note\">{}</p>",
        esc(&w.say("report-html-assumptions-note", &[]))
    );
    let header: Vec<String> = [
        "report-assumption-col-key",
        "report-assumption-col-value",
        "report-assumption-col-from",
    ]
    .map(|id| w.say(id, &[]))
    .to_vec();
    let rows: Vec<Vec<String>> = assumptions
        .iter()
        .map(|a| {
            vec![
                a.key.clone(),
                assumption_text(w, &a.value),
                origin_text(w, a.origin),
            ]
        })
        .collect();
    table(&mut o, &header, &rows);
    o.push_str("</section>");

    // The explanations carry their own <b> marks, from the message files.
    h2(&mut o, "report-html-read");
    o.push_str("<ul>");
    for id in [
        "report-read-pending",
        "report-read-confirmed",
        "report-read-payable",
        "report-read-cash",
        "report-read-ranges",
        "report-read-run-rate",
    ] {
        let _ = write!(o, "<li>{}</li>", w.say(id, &[]));
    }
    o.push_str("</ul></section>");
    let _ = writeln!(
        o,
        "<footer class=\"note\">{}</footer></main></body></html>",
        esc(&w.say(
            "report-html-footer",
            &[("version", env!("CARGO_PKG_VERSION").into())]
        ))
    );
    Ok(o)
}
