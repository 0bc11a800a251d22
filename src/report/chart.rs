//! Charts as SVG (plotters' SVG backend): the forecast's fan chart, the comparison and the
//! tornado.

use plotters::prelude::*;

use crate::backtest::{Backtest, Point, Scored};
use crate::compare::Comparison;
use crate::error::{Error, Result};
use crate::i18n::Words;
use crate::ledger::Metric;
use crate::sensitivity::{Row, Sensitivity};
use crate::stats::{Forecast, Unit};

/// Which end of a tornado row a bar shows.
type EndOf = fn(&Row) -> f64;

const WIDTH: u32 = 960;
const HEIGHT: u32 = 540;
const CASH: RGBColor = RGBColor(31, 119, 180);
const CONFIRMED: RGBColor = RGBColor(44, 160, 44);
const PENDING: RGBColor = RGBColor(255, 127, 14);
const DEAD: RGBColor = RGBColor(127, 127, 127);
const LOW: RGBColor = RGBColor(214, 39, 40);
const HIGH: RGBColor = RGBColor(31, 119, 180);

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Other(format!("cannot draw the chart: {e}"))
}

/// Money in currency units from cents.
fn units(cents: f64) -> f64 {
    cents / 100.0
}

/// The month (0-based) where the median trial first withdraws, if any.
pub fn first_withdrawal_month(f: &Forecast) -> Option<usize> {
    (0..f.months.len()).find(|&m| f.month(m, Metric::Withdrawn).p50 > 0.0)
}

/// The fan chart of a forecast: cash received (p10–p90 band, median line, mean dashed),
/// confirmed (median), the pending balance (median), and the first withdrawal marked.
#[allow(clippy::cast_possible_truncation)] // month and row indices of a chart: at most a few hundred
#[allow(clippy::too_many_lines)] // one chart drawn top to bottom: series, legend, marker
pub fn fan_chart(w: &Words, f: &Forecast) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let n = f.months.len();
        let series = |metric: Metric, pick: fn(&crate::stats::Band) -> f64| -> Vec<(f64, f64)> {
            (0..n)
                .map(|m| (m as f64, units(pick(&f.month(m, metric)))))
                .collect()
        };
        let top = [Metric::Cash, Metric::Confirmed, Metric::PendingEnd]
            .iter()
            .flat_map(|&m| (0..n).map(move |i| (m, i)))
            .map(|(m, i)| units(f.month(i, m).p90))
            .fold(1.0, f64::max)
            * 1.1;
        let labels = f.months.clone();
        // With dying links, their share of clicks on a second axis at the right.
        let right = if f.dead_link_share.is_some() { 64 } else { 0 };
        let mut chart = ChartBuilder::on(&root)
            .caption(
                w.say("report-chart-money", &[("scenario", f.scenario.clone())]),
                ("sans-serif", 22),
            )
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .right_y_label_area_size(right)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top)
            .map_err(failed)?
            .set_secondary_coord(-0.5..(n as f64 - 0.5), 0.0..1.0);
        chart
            .configure_mesh()
            .x_desc(w.say("report-chart-month", &[]))
            .y_desc(w.say(
                "report-chart-money-axis",
                &[("currency", f.currency.clone())],
            ))
            .x_labels(n.min(12))
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 0.01 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(failed)?;

        let high = series(Metric::Cash, |b| b.p90);
        let low = series(Metric::Cash, |b| b.p10);
        let band: Vec<(f64, f64)> = high
            .iter()
            .cloned()
            .chain(low.iter().rev().cloned())
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(band, CASH.mix(0.2).filled())))
            .map_err(failed)?
            .label(w.say("report-chart-band", &[]))
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], CASH.mix(0.2).filled()));
        // The median lines, each with its legend entry.
        for (metric, color, width, label) in [
            (Metric::Cash, CASH, 3, "report-chart-cash-median"),
            (
                Metric::Confirmed,
                CONFIRMED,
                2,
                "report-chart-confirmed-median",
            ),
            (
                Metric::PendingEnd,
                PENDING,
                2,
                "report-chart-pending-median",
            ),
        ] {
            chart
                .draw_series(LineSeries::new(
                    series(metric, |b| b.p50),
                    color.stroke_width(width),
                ))
                .map_err(failed)?
                .label(w.say(label, &[]))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(width))
                });
        }
        chart
            .draw_series(DashedLineSeries::new(
                series(Metric::Cash, |b| b.mean),
                6,
                4,
                CASH.stroke_width(2),
            ))
            .map_err(failed)?
            .label(w.say("report-chart-cash-mean", &[]))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], CASH.stroke_width(2)));
        if let Some(dead) = &f.dead_link_share {
            chart
                .configure_secondary_axes()
                .y_desc(w.say("report-chart-dead-axis", &[]))
                .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
                .draw()
                .map_err(failed)?;
            let line: Vec<(f64, f64)> = dead
                .iter()
                .enumerate()
                .map(|(m, b)| (m as f64, b.p50))
                .collect();
            chart
                .draw_secondary_series(DashedLineSeries::new(line, 3, 3, DEAD.stroke_width(2)))
                .map_err(failed)?
                .label(w.say("report-chart-dead", &[]))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], DEAD.stroke_width(2)));
        }
        if let Some(m) = first_withdrawal_month(f) {
            let x = m as f64;
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, 0.0), (x, top)],
                    4,
                    4,
                    BLACK.mix(0.6).stroke_width(1),
                ))
                .map_err(failed)?
                .label(w.say(
                    "report-chart-first-withdrawal",
                    &[("month", f.months[m].clone())],
                ))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], BLACK.mix(0.6))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// Each variant's `run_rate_confirmed` band side by side, and the paired difference against
/// the first variant.
#[allow(clippy::cast_possible_truncation)] // month and row indices of a chart: at most a few hundred
#[allow(clippy::too_many_lines)] // two panels drawn side by side, each top to bottom
pub fn compare_chart(w: &Words, c: &Comparison) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (left, right) = root.split_horizontally(WIDTH / 2);
        let n = c.variants.len();
        let names: Vec<String> = c.variants.iter().map(|v| v.name.clone()).collect();
        let bands: Vec<(f64, f64, f64)> = c
            .variants
            .iter()
            .map(|v| {
                v.objective.band.map_or((0.0, 0.0, 0.0), |b| {
                    (units(b.p10), units(b.p50), units(b.p90))
                })
            })
            .collect();
        let top = bands.iter().map(|b| b.2).fold(1.0, f64::max) * 1.1;
        let label = |x: &f64| {
            let i = x.round();
            if (x - i).abs() < 0.01 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let mut chart = ChartBuilder::on(&left)
            .caption(
                w.say(
                    "report-chart-per-variant",
                    &[("objective", c.objective.name().into())],
                ),
                ("sans-serif", 18),
            )
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .x_labels(n)
            .x_label_formatter(&label)
            .y_desc(w.say(
                "report-chart-median-axis",
                &[("currency", c.currency.clone())],
            ))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(failed)?;
        chart
            .draw_series(bands.iter().enumerate().map(|(i, b)| {
                Rectangle::new(
                    [(i as f64 - 0.2, b.0), (i as f64 + 0.2, b.2)],
                    CASH.mix(0.3).filled(),
                )
            }))
            .map_err(failed)?;
        chart
            .draw_series(
                bands
                    .iter()
                    .enumerate()
                    .map(|(i, b)| Circle::new((i as f64, b.1), 5, CASH.filled())),
            )
            .map_err(failed)?;

        let diffs: Vec<(f64, f64, f64)> = c
            .variants
            .iter()
            .map(|v| {
                v.diff.map_or((0.0, 0.0, 0.0), |d| {
                    (units(d.p10), units(d.mean), units(d.p90))
                })
            })
            .collect();
        let span = diffs
            .iter()
            .flat_map(|d| [d.0.abs(), d.2.abs()])
            .fold(1.0, f64::max)
            * 1.1;
        let mut chart = ChartBuilder::on(&right)
            .caption(
                w.say("report-chart-difference", &[("base", names[0].clone())]),
                ("sans-serif", 18),
            )
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), -span..span)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .x_labels(n)
            .x_label_formatter(&label)
            .y_desc(w.say(
                "report-chart-mean-axis",
                &[("currency", c.currency.clone())],
            ))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(failed)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
                BLACK.mix(0.5),
            )))
            .map_err(failed)?;
        chart
            .draw_series(diffs.iter().enumerate().skip(1).map(|(i, d)| {
                Rectangle::new(
                    [(i as f64 - 0.2, d.0), (i as f64 + 0.2, d.2)],
                    CONFIRMED.mix(0.3).filled(),
                )
            }))
            .map_err(failed)?;
        chart
            .draw_series(
                diffs
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(i, d)| Circle::new((i as f64, d.1), 5, CONFIRMED.filled())),
            )
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// The tornado: the effect of each input at its low and high on mean `run_rate_confirmed`,
/// largest at the top (at most 15 inputs).
#[allow(clippy::cast_possible_truncation)] // month and row indices of a chart: at most a few hundred
pub fn tornado(s: &Sensitivity) -> Result<String> {
    let rows: Vec<_> = s.rows.iter().take(15).collect();
    let n = rows.len().max(1);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH, 120 + 32 * n as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let effect = |x: f64| units(x - s.base);
        let span = rows
            .iter()
            .flat_map(|r| [effect(r.at_low).abs(), effect(r.at_high).abs()])
            .filter(|x| x.is_finite())
            .fold(0.01, f64::max)
            * 1.1;
        let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: what moves {}", s.scenario, s.objective.name()),
                ("sans-serif", 20),
            )
            .margin(14)
            .x_label_area_size(44)
            .y_label_area_size(330)
            .build_cartesian_2d(-span..span, -0.5..(n as f64 - 0.5))
            .map_err(failed)?;
        chart
            .configure_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| {
                let i = y.round();
                if (y - i).abs() < 0.01 && i >= 0.0 {
                    keys.get(n - 1 - i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc(format!(
                "change of mean {}, {} (base {})",
                s.objective.name(),
                s.currency,
                super::money_text(s.base)
            ))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(failed)?;
        let y = |i: usize| (n - 1 - i) as f64;
        let ends: [(EndOf, RGBAColor, &str); 2] = [
            (|r| r.at_low, LOW.mix(0.7), "input at its low"),
            (|r| r.at_high, HIGH.mix(0.5), "input at its high"),
        ];
        for (end, color, label) in ends {
            chart
                .draw_series(rows.iter().enumerate().map(|(i, r)| {
                    Rectangle::new(
                        [(0.0, y(i) - 0.35), (effect(end(r)), y(i) + 0.35)],
                        color.filled(),
                    )
                }))
                .map_err(failed)?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], color.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// A backtest's record: per metric a panel with the actual months (black) and each origin's
/// forecast for the months after it (its p10–p90 band and median).
#[allow(clippy::cast_possible_truncation)] // month and panel indices of a chart: at most a few hundred
pub fn backtest_chart(w: &Words, b: &Backtest) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT * 3 / 2)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let root = root
            .titled(
                &w.say("report-chart-backtest", &[("scenario", b.scenario.clone())]),
                ("sans-serif", 22),
            )
            .map_err(failed)?;
        // Every month that appears, in order, with its actual values.
        let mut months: Vec<(&str, &[Point])> = Vec::new();
        for o in &b.origins {
            for m in &o.months {
                if !months.iter().any(|(label, _)| *label == m.month) {
                    months.push((&m.month, &m.points));
                }
            }
        }
        months.sort_by(|a, b| a.0.cmp(b.0));
        let labels: Vec<String> = months.iter().map(|(l, _)| l.to_string()).collect();
        for (k, area) in root.split_evenly((3, 1)).iter().enumerate() {
            track_panel(w, area, b, k, &months, &labels)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// One metric's panel of the backtest chart: each origin's band and median, the actual line.
#[allow(clippy::cast_possible_truncation)] // month indices of a chart: at most a few hundred
fn track_panel(
    w: &Words,
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    b: &Backtest,
    k: usize,
    months: &[(&str, &[Point])],
    labels: &[String],
) -> Result<()> {
    let metric = Scored::ALL[k];
    let index = |label: &str| months.iter().position(|(l, _)| *l == label).unwrap_or(0) as f64;
    let scale = |x: f64| {
        if metric.unit() == Unit::Money {
            units(x)
        } else {
            x
        }
    };
    let top = b
        .origins
        .iter()
        .flat_map(|o| &o.months)
        .flat_map(|m| [m.points[k].band.p90, m.points[k].actual])
        .map(scale)
        .fold(1.0, f64::max)
        * 1.1;
    let n = months.len();
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(72)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top)
        .map_err(failed)?;
    chart
        .configure_mesh()
        .y_desc(match metric.unit() {
            Unit::Money => format!("{} ({})", metric.name(), b.currency),
            _ => metric.name().to_string(),
        })
        .x_labels(n.min(12))
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 0.01 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| format!("{y:.0}"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(failed)?;
    for (i, o) in b.origins.iter().enumerate() {
        let at = |m: &crate::backtest::MonthResult| index(&m.month);
        let high = o
            .months
            .iter()
            .map(|m| (at(m), scale(m.points[k].band.p90)));
        let low: Vec<(f64, f64)> = o
            .months
            .iter()
            .map(|m| (at(m), scale(m.points[k].band.p10)))
            .collect();
        let band: Vec<(f64, f64)> = high.chain(low.into_iter().rev()).collect();
        let series = chart
            .draw_series(std::iter::once(Polygon::new(band, CASH.mix(0.12).filled())))
            .map_err(failed)?;
        if i == 0 {
            series
                .label(w.say("report-chart-backtest-band", &[]))
                .legend(|(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 18, y + 5)], CASH.mix(0.3).filled())
                });
        }
        let median = chart
            .draw_series(LineSeries::new(
                o.months
                    .iter()
                    .map(|m| (at(m), scale(m.points[k].band.p50))),
                CASH.mix(0.7).stroke_width(1),
            ))
            .map_err(failed)?;
        if i == 0 {
            median
                .label(w.say("report-chart-backtest-median", &[]))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], CASH.stroke_width(1)));
        }
    }
    chart
        .draw_series(LineSeries::new(
            months
                .iter()
                .enumerate()
                .map(|(i, (_, p))| (i as f64, scale(p[k].actual))),
            BLACK.stroke_width(2),
        ))
        .map_err(failed)?
        .label(w.say("report-chart-actual", &[]))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(failed)?;
    Ok(())
}
