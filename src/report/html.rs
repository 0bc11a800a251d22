//! `affcast report`: one self-contained HTML page (inline SVG and CSS, nothing fetched).

use std::fmt::Write as _;

use super::{
    ADVICE_HEADER, REFRESH_HEADER, SUMMARY_HEADER, advice_rows, assumption_text, calendar_footnote,
    chart, monthly_header, monthly_legend, monthly_rows, notes, refresh_rows, summary_cell,
    summary_rows, track,
};
use crate::app::Mixes;
use crate::backtest::Backtest;
use crate::error::Result;
use crate::report::{human, objective_words, part_rows, percent_of_worlds, verdict_text};
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
fn cards(o: &mut String, f: &Forecast) {
    o.push_str("<section class=\"cards\" aria-label=\"Headline figures\">");
    let card = |o: &mut String, title: &str, metric: SummaryMetric, unit_text: &str| {
        let sb = f.summary(metric);
        let (big, range) = match &sb.band {
            Some(b) => {
                // A ratio reads better as a percentage.
                let cell = |x: f64| match metric.unit() {
                    Unit::Ratio => format!("{:.1}%", x * 100.0),
                    _ => summary_cell(f, metric, x),
                };
                (
                    cell(b.p50),
                    format!("10–90%: {} to {}{unit_text}", cell(b.p10), cell(b.p90)),
                )
            }
            None => ("—".to_string(), "not within the horizon".to_string()),
        };
        let _ = write!(
            o,
            "<div class=\"card\"><h3>{}</h3><p class=\"big\">{}</p><p class=\"range\">{}</p></div>",
            esc(title),
            esc(&big),
            esc(&range)
        );
    };
    let cur = format!(" {}", f.currency);
    card(
        o,
        "Monthly income, confirmed (run rate)",
        SummaryMetric::RunRateConfirmed,
        &format!("{cur} per month"),
    );
    card(
        o,
        "Cash in the bank per month (run rate)",
        SummaryMetric::RunRateCash,
        &format!("{cur} per month"),
    );
    card(
        o,
        "Earnings per click (EPC)",
        SummaryMetric::Epc,
        &format!("{cur} per click"),
    );
    card(
        o,
        "Reversal rate",
        SummaryMetric::ReversalRate,
        " of commission resolved",
    );
    card(
        o,
        "First cash in the bank",
        SummaryMetric::FirstCashMonth,
        "",
    );
    card(
        o,
        "Withdrawal fees, whole horizon",
        SummaryMetric::TotalFees,
        &cur,
    );
}

/// The category mixes: a table narrow enough for the page, in words, then the verdicts and
/// the chart.
fn mixes_section(o: &mut String, m: &Mixes) -> Result<()> {
    let c = &m.comparison;
    let first = &c.variants[0].name;
    let (what, per) = objective_words(c.objective);
    let _ = write!(
        o,
        "<section><h2>Category mixes</h2><p class=\"note\">Each mix runs the same {} simulated worlds; judged on {what}{per}. Ranges: 8 in 10 worlds.</p>",
        c.trials
    );
    let header: Vec<String> = vec![
        "Mix".into(),
        "Share of clicks".into(),
        format!("{}{per}", capitalised(what)),
        format!("Difference from {first}"),
        format!("Ahead of {first} in"),
    ];
    let money = |x: f64| human(Unit::Money, x);
    let rows: Vec<Vec<String>> = c
        .variants
        .iter()
        .zip(&m.shares)
        .map(|(v, shares)| {
            let shares: Vec<String> = shares
                .iter()
                .filter(|(_, s)| *s > 0.0)
                .map(|(name, s)| format!("{name} {:.0}%", s * 100.0))
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
                    format!("{} of worlds", percent_of_worlds(p))
                }),
            ]
        })
        .collect();
    table(o, &header, &rows);
    o.push_str("<ul>");
    for v in c.variants.iter().skip(1) {
        if let Some(text) = verdict_text(v, c) {
            let _ = write!(o, "<li><b>{}</b>: {}</li>", esc(&v.name), esc(&text));
        }
    }
    let _ = write!(
        o,
        "</ul><figure>{}</figure></section>",
        responsive(&chart::compare_chart(c)?)
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
fn breakdowns(o: &mut String, f: &Forecast) {
    for (title, first, parts) in [
        ("Income by category", "Category", &f.by_category),
        ("By region", "Region", &f.by_region),
    ] {
        let _ = write!(
            o,
            "<section><h2>{title}</h2><p class=\"note\">Each cell: the median, and below it the 10th–90th percentile range. The parts add up to the totals in every simulated world.</p>"
        );
        let (header, rows) = part_rows(parts, first, |u, b| {
            format!(
                "{}\n{}–{}",
                human(u, b.p50),
                human(u, b.p10),
                human(u, b.p90)
            )
        });
        table(o, &header, &rows);
        o.push_str("</section>");
    }
}

/// The report page.
/// The track record: the backtest's verdict, its scores and its chart.
fn track_section(o: &mut String, b: &Backtest) -> Result<()> {
    let _ = write!(
        o,
        "<section><h2>Track record</h2><p class=\"note\">{}</p><p>{}</p>",
        esc(&track::heading(b)),
        esc(&track::verdict(b))
    );
    let header: Vec<String> = track::SCORE_HEADER.iter().map(|s| s.to_string()).collect();
    table(o, &header, &track::score_rows(b));
    let _ = write!(
        o,
        "<figure>{}</figure><p class=\"note\">At each origin the export was cut to what was known then, fitted, and forecast with the clicks the next months actually had; the black line is what happened.</p></section>",
        responsive(&chart::backtest_chart(b)?)
    );
    Ok(())
}

/// The whole page; `track` adds the track record of a backtest.
pub fn page(
    f: &Forecast,
    assumptions: &[Assumption],
    mixes: Option<&Mixes>,
    track: Option<&Backtest>,
) -> Result<String> {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} — affcast report</title><style>{CSS}</style></head><body><main>",
        esc(&f.scenario)
    );
    let _ = write!(
        o,
        "<header><h1>{}</h1><p class=\"sub\">What this affiliate site will actually get paid, and when: {} simulated worlds (seed {}), {} months from {}, money in {}.</p></header>",
        esc(&f.scenario),
        f.trials,
        f.seed,
        f.months.len(),
        esc(&f.start),
        esc(&f.currency)
    );

    cards(&mut o, f);
    o.push_str("</section>");
    for n in notes(f) {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(&n));
    }

    let _ = write!(
        o,
        "<section><h2>Money by month</h2><figure>{}</figure><p class=\"note\">The band is where cash lands in 8 of 10 simulated worlds; the line is the median world, the dashed line the average.{}</p></section>",
        responsive(&chart::fan_chart(f)?),
        calendar_footnote(f).map_or(String::new(), |why| format!(" {}", esc(&why)))
    );

    o.push_str("<section><h2>Monthly figures</h2><p class=\"note\">Each cell: the median, and below it the 10th–90th percentile range.</p>");
    table(
        &mut o,
        &monthly_header(f),
        &monthly_rows(f, false, |p50, p10, p90| format!("{p50}\n{p10}–{p90}")),
    );
    let _ = write!(
        o,
        "<p class=\"note\">{}</p></section>",
        esc(&monthly_legend(f))
    );

    o.push_str("<section><h2>Summary</h2>");

    table(&mut o, &SUMMARY_HEADER.map(String::from), &summary_rows(f));
    let _ = write!(
        o,
        "<p class=\"note\">{}</p></section>",
        esc(crate::stats::RUN_RATE_NOTE)
    );
    breakdowns(&mut o, f);

    if let Some((heading, rows, reason)) = advice_rows(f) {
        let _ = write!(
            o,
            "<section><h2>Withdrawal advice</h2><p class=\"note\">{}</p>",
            esc(&heading)
        );
        let header: Vec<String> = ADVICE_HEADER.iter().map(|s| s.to_string()).collect();
        let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.to_vec()).collect();
        table(&mut o, &header, &rows);
        let _ = write!(o, "<p>{}</p></section>", esc(&reason));
    }

    if let Some((heading, rows, reason)) = refresh_rows(f) {
        let _ = write!(
            o,
            "<section><h2>Refresh advice</h2><p class=\"note\">{}</p>",
            esc(&heading)
        );
        let header: Vec<String> = REFRESH_HEADER.iter().map(|s| s.to_string()).collect();
        let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.to_vec()).collect();
        table(&mut o, &header, &rows);
        let _ = write!(o, "<p>{}</p></section>", esc(&reason));
    }

    if let Some(m) = mixes {
        mixes_section(&mut o, m)?;
    }
    if let Some(b) = track {
        track_section(&mut o, b)?;
    }

    o.push_str("<section><h2>Assumptions</h2><p class=\"note\">Every parameter in force after the preset, and where its value came from. Values written as a 90% range are drawn once per simulated world.</p>");
    let header: Vec<String> = ["Parameter", "Value", "From"].map(String::from).to_vec();
    let rows: Vec<Vec<String>> = assumptions
        .iter()
        .map(|a| vec![a.key.clone(), assumption_text(&a.value), a.origin.label()])
        .collect();
    table(&mut o, &header, &rows);
    o.push_str("</section>");

    o.push_str(concat!(
        "<section><h2>How to read this</h2><ul>",
        "<li><b>Pending</b>: commission of orders paid through your links. It is an estimate until the buyer confirms receipt, or buyer protection ends.</li>",
        "<li><b>Confirmed</b>: commission that will be paid. <b>Reversed</b>: lost to a cancellation, a refund, or an order voided after 180 days without confirmation.</li>",
        "<li><b>Payable</b>: confirmed money credited to your balance at settlement (monthly around the 25th on Portals, within days on networks).</li>",
        "<li><b>Cash</b>: what reaches your bank after withdrawal fees, once the balance passes your withdrawal threshold.</li>",
        "<li>Ranges combine luck (which orders get refunded, how busy a day is) and what you do not know (values you gave as ranges). A narrow range only means little of either.</li>",
        "<li>The run rate is the average of the last six months: what the site earns once the pipeline is full.</li>",
        "</ul></section>"
    ));
    let _ = writeln!(
        o,
        "<footer class=\"note\">affcast {} · a Monte Carlo forecast, not a promise.</footer></main></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    Ok(o)
}
