use super::{Exporter, metric_unit, value};
use crate::backtest::{Backtest, Scored};
use crate::compare::Comparison;
use crate::ledger::Metric;
use crate::sensitivity::Sensitivity;
use crate::stats::{Band, Forecast, Unit};

pub(super) struct CsvExporter;

fn cells(unit: Unit, b: Option<&Band>) -> [String; 4] {
    let cell = |x: f64| value(unit, x).map(|d| d.to_string()).unwrap_or_default();
    match b {
        Some(b) => [cell(b.mean), cell(b.p10), cell(b.p50), cell(b.p90)],
        None => Default::default(),
    }
}

/// A cell of text that came from the user (a mix, file or category name). A spreadsheet runs
/// a cell starting with =, +, -, @ (or a tab or carriage return) as a formula, so such text is
/// prefixed with an apostrophe; numbers are left alone.
pub(super) fn text_cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn to_string(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8")
}

impl Exporter for CsvExporter {
    fn track(&self, t: &crate::app::track::Track) -> String {
        super::mydata::csv_doc(t)
    }

    fn programs(&self, v: &crate::app::programs::ProgramsView) -> String {
        super::programs::csv_doc(v)
    }

    /// Tidy: one row per origin, month and metric (`actual, p10, p50, p90, pit`), then the
    /// scores with `origin = score` and `month = all` or `h=1`, `h=2`, … (`coverage_80,
    /// pinball, naive_pinball, skill`).
    fn backtest(&self, b: &Backtest) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut write = |r: [&str; 13]| {
            w.write_record(r).expect("writing to memory cannot fail");
        };
        write([
            "origin",
            "month",
            "h",
            "metric",
            "actual",
            "p10",
            "p50",
            "p90",
            "pit",
            "coverage_80",
            "pinball",
            "naive_pinball",
            "skill",
        ]);
        let num = |unit: Unit, x: f64| value(unit, x).map(|d| d.to_string()).unwrap_or_default();
        let ratio = |x: f64| num(Unit::Ratio, x);
        for o in &b.origins {
            for m in &o.months {
                for (s, p) in Scored::ALL.iter().zip(&m.points) {
                    let u = s.unit();
                    write([
                        &o.origin,
                        &m.month,
                        &m.h.to_string(),
                        s.name(),
                        &num(u, p.actual),
                        &num(u, p.band.p10),
                        &num(u, p.band.p50),
                        &num(u, p.band.p90),
                        &ratio(p.pit),
                        "",
                        "",
                        "",
                        "",
                    ]);
                }
            }
        }
        for s in &b.scores {
            let u = s.metric.unit();
            let all = std::iter::once(("all".to_string(), "".to_string(), &s.all));
            let by_h = s
                .by_h
                .iter()
                .enumerate()
                .map(|(i, sc)| (format!("h={}", i + 1), (i + 1).to_string(), sc));
            for (month, h, sc) in all.chain(by_h) {
                write([
                    "score",
                    &month,
                    &h,
                    s.metric.name(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    &ratio(sc.coverage_80),
                    &num(u, sc.pinball),
                    &num(u, sc.naive_pinball),
                    &ratio(sc.skill),
                ]);
            }
        }
        to_string(w)
    }

    /// Tidy: variant,metric,mean,p10,p50,p90; the paired difference of the objective as
    /// metric `difference_<objective>`, its Monte Carlo standard error as `noise_se` and
    /// P(beats the first) as `p_beats_first` (in `mean`).
    fn compare(&self, c: &Comparison) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut write = |variant: &str, metric: &str, c: [String; 4]| {
            w.write_record([variant, metric, &c[0], &c[1], &c[2], &c[3]])
                .expect("writing to memory cannot fail");
        };
        write(
            "variant",
            "metric",
            ["mean", "p10", "p50", "p90"].map(String::from),
        );
        for v in &c.variants {
            let name = text_cell(&v.name);
            for sb in &v.figures {
                write(
                    &name,
                    sb.metric.name(),
                    cells(sb.metric.unit(), sb.band.as_ref()),
                );
            }
            if let Some(d) = &v.diff {
                write(
                    &name,
                    &format!("difference_{}", c.objective.name()),
                    cells(Unit::Money, Some(d)),
                );
                let se = value(Unit::Money, v.diff_se).map(|d| d.to_string());
                write(
                    &name,
                    "noise_se",
                    [
                        se.unwrap_or_default(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ],
                );
            }
            if let Some(p) = v.p_beats {
                write(
                    &name,
                    "p_beats_first",
                    [
                        format!("{p:.4}"),
                        String::new(),
                        String::new(),
                        String::new(),
                    ],
                );
            }
        }
        to_string(w)
    }

    /// input,low,high,<objective>_at_low,<objective>_at_high,first_cash_month_low,
    /// first_cash_month_high; the first row (input = base) has every input central.
    fn sensitivity(&self, s: &Sensitivity) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let money = |x: f64| {
            value(Unit::Money, x)
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        let month = |x: f64| {
            if x.is_finite() {
                format!("{x:.2}")
            } else {
                String::new()
            }
        };
        let o = s.objective.name();
        let mut rows = vec![[
            "input".into(),
            "low".into(),
            "high".into(),
            format!("{o}_at_low"),
            format!("{o}_at_high"),
            "first_cash_month_low".into(),
            "first_cash_month_high".into(),
        ]];
        rows.push([
            "base".into(),
            String::new(),
            String::new(),
            money(s.base),
            money(s.base),
            month(s.base_first_cash),
            month(s.base_first_cash),
        ]);
        for r in &s.rows {
            rows.push([
                text_cell(&r.key),
                text_cell(&super::input_value(r, r.low)),
                text_cell(&super::input_value(r, r.high)),
                money(r.at_low),
                money(r.at_high),
                month(r.first_cash_low),
                month(r.first_cash_high),
            ]);
        }
        for r in rows {
            w.write_record(&r).expect("writing to memory cannot fail");
        }
        to_string(w)
    }

    fn render(&self, f: &Forecast) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut write = |month: &str, metric: &str, c: [String; 4]| {
            w.write_record([month, metric, &c[0], &c[1], &c[2], &c[3]])
                .expect("writing to memory cannot fail");
        };
        write(
            "month",
            "metric",
            ["mean", "p10", "p50", "p90"].map(String::from),
        );
        // An opening pipeline's balances before the first day: the same in every trial.
        if let Some(o) = &f.opening {
            for (metric, unit, x) in [
                ("pending_end", Unit::Money, o.pending as f64),
                ("unsettled_end", Unit::Money, o.unsettled as f64),
                (
                    "orders_pending_end",
                    Unit::Count,
                    f64::from(o.pending_orders),
                ),
            ] {
                let b = Band {
                    mean: x,
                    p10: x,
                    p50: x,
                    p90: x,
                };
                write("opening", metric, cells(unit, Some(&b)));
            }
        }
        for (m, label) in f.months.iter().enumerate() {
            for metric in Metric::ALL {
                write(
                    label,
                    metric.name(),
                    cells(metric_unit(metric), Some(&f.month(m, metric))),
                );
            }
            write(
                label,
                "unpaid_end",
                cells(Unit::Money, Some(&f.unpaid_end[m])),
            );
            if let Some(dead) = &f.dead_link_share {
                write(label, "dead_link_share", cells(Unit::Ratio, Some(&dead[m])));
            }
        }
        for s in &f.summary {
            write(
                "total",
                s.metric.name(),
                cells(s.metric.unit(), s.band.as_ref()),
            );
        }
        // Breakdowns: `month` names the part (`category:phones`, `region:EU`).
        for (kind, parts) in [("category", &f.by_category), ("region", &f.by_region)] {
            for p in parts {
                let label = text_cell(&format!("{kind}:{}", p.name));
                for fig in &p.figures {
                    write(&label, fig.name, cells(fig.unit, fig.band.as_ref()));
                }
            }
        }
        to_string(w)
    }
}
