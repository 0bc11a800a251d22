//! Clicks the user counted: a total, or a CSV of clicks by day or month (and sub-ID).

use chrono::Datelike;

use crate::error::{Error, Result};

/// Clicks the user counted: a total, or a CSV of `date` (YYYY-MM-DD) or `month` (YYYY-MM),
/// `clicks`, and optionally `sub_id`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clicks {
    pub total: u64,
    /// Per sub-ID, when the CSV has a `sub_id` column.
    pub by_sub_id: std::collections::BTreeMap<String, u64>,
    /// Per day (a `month` row counts on the month's first day).
    pub by_day: std::collections::BTreeMap<chrono::NaiveDate, u64>,
    /// Whether the CSV gave months rather than days.
    pub monthly: bool,
}

impl Clicks {
    /// The first and last day the clicks cover (a month's row covers the whole month).
    pub fn span(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let first = *self.by_day.keys().next()?;
        let last = *self.by_day.keys().next_back()?;
        let last = match self.monthly {
            true => last + chrono::Months::new(1) - chrono::Days::new(1),
            false => last,
        };
        Some((first, last))
    }

    /// Clicks before day `until` (exclusive); a month counts whole if it starts before.
    pub fn before(&self, until: chrono::NaiveDate) -> u64 {
        self.by_day.range(..until).map(|(_, n)| n).sum()
    }

    /// The clicks of `days` days from `from`, one number per day; a month's clicks are
    /// spread evenly over its days (the remainder one each on its first days). A day the CSV
    /// does not name has none.
    pub fn daily(&self, from: chrono::NaiveDate, days: usize) -> Vec<u64> {
        (0..days)
            .map(|i| {
                let day = from + chrono::Days::new(i as u64);
                if !self.monthly {
                    return self.by_day.get(&day).copied().unwrap_or(0);
                }
                let first = day.with_day(1).unwrap_or(day);
                let n = (first + chrono::Months::new(1) - first).num_days() as u64;
                let total = self.by_day.get(&first).copied().unwrap_or(0);
                let k = u64::from(day.day0());
                total / n + u64::from(k < total % n)
            })
            .collect()
    }

    /// `--clicks`: a whole number, or the path of a clicks CSV.
    pub fn parse_arg(arg: &str) -> Result<Clicks> {
        match Clicks::total(arg) {
            Some(clicks) => Ok(clicks),
            None => Clicks::read(std::path::Path::new(arg)),
        }
    }

    /// All clicks of a period written as a whole number (`_` and `,` may group its digits),
    /// if `text` is one.
    pub fn total(text: &str) -> Option<Clicks> {
        let total = text.trim().replace(['_', ','], "").parse::<u64>().ok()?;
        Some(Clicks {
            total,
            ..Clicks::default()
        })
    }

    /// Reads a clicks CSV, naming the line, the column and the value of any bad cell.
    pub fn read(path: &std::path::Path) -> Result<Clicks> {
        let origin = path.display().to_string();
        let text = crate::output::read_input(path)?;
        Clicks::parse_text(&text, &origin)
    }

    /// Parses clicks CSV text; `origin` names it in messages.
    pub fn parse_text(text: &str, origin: &str) -> Result<Clicks> {
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers: Vec<String> = r
            .headers()
            .map_err(|e| Error::input(format!("{origin}: CSV header: {e}")))?
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let when = col("date")
            .map(|i| (i, "date"))
            .or(col("month").map(|i| (i, "month")));
        let (Some((when, when_name)), Some(count)) = (when, col("clicks")) else {
            return Err(Error::input(format!(
                "{origin}: a clicks CSV needs a `date` (YYYY-MM-DD) or `month` (YYYY-MM) column and a `clicks` column; found {}",
                headers.join(", ")
            )));
        };
        let sub = col("sub_id");
        let mut out = Clicks {
            monthly: when_name == "month",
            ..Clicks::default()
        };
        for (i, rec) in r.records().enumerate() {
            let line = i + 2;
            let rec = rec.map_err(|e| Error::input(format!("{origin}: line {line}: {e}")))?;
            let cell = |c: usize| rec.get(c).unwrap_or("");
            let day = match when_name {
                "date" => chrono::NaiveDate::parse_from_str(cell(when), "%Y-%m-%d").ok(),
                _ => chrono::NaiveDate::parse_from_str(&format!("{}-01", cell(when)), "%Y-%m-%d")
                    .ok(),
            }
            .ok_or_else(|| {
                Error::input(format!(
                    "{origin}: line {line}: {when_name}: \"{}\" is not a {}",
                    cell(when),
                    if when_name == "date" {
                        "date written YYYY-MM-DD"
                    } else {
                        "month written YYYY-MM"
                    }
                ))
            })?;
            let n: u64 = cell(count).replace(',', "").parse().map_err(|_| {
                Error::input(format!(
                    "{origin}: line {line}: clicks: \"{}\" is not a whole number of clicks",
                    cell(count)
                ))
            })?;
            out.total = out.total.checked_add(n).ok_or_else(|| {
                Error::input(format!(
                    "{origin}: line {line}: clicks: the total overflows"
                ))
            })?;
            *out.by_day.entry(day).or_default() += n;
            if let Some(s) = sub {
                *out.by_sub_id.entry(cell(s).to_string()).or_default() += n;
            }
        }
        Ok(out)
    }
}
