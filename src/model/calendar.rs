//! Days and months of the horizon, with seasonality and yearly events laid out per day.

use chrono::{Datelike, Months, NaiveDate};

use super::{Event, Lock};

/// The simulated horizon, day by day. Day 0 is the first day of the start month.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub start: NaiveDate,
    /// Index of the first day of each month; `month_start[months]` is the number of days.
    pub month_start: Vec<usize>,
    /// Month index (0-based) of every day.
    pub month_of_day: Vec<u32>,
    /// "YYYY-MM" of every month.
    pub labels: Vec<String>,
    /// Expected share of the month's clicks on each day: seasonality / days in month × events.
    pub traffic_factor: Vec<f64>,
    /// Conversion multiplier of each day (product of the events in force).
    pub conversion_factor: Vec<f64>,
    /// Cookie window of clicks on each day when an event overrides it (the longest in force).
    pub cookie_override: Vec<Option<f64>>,
    /// Under a program's lock rule, the day an order paid on each day locks
    /// ([`Calendar::NEVER`] when that is not within the horizon); empty when commissions lock
    /// on confirmation.
    pub lock_day: Vec<u32>,
    /// Under a lock rule, whether a refund after the lock is debited from later earnings.
    pub debit_after_lock: bool,
}

impl Calendar {
    #[allow(clippy::cast_possible_truncation)] // days and months of a horizon of at most 120 months
    pub fn new(start: NaiveDate, months: u32, events: &[Event], seasonality: &[f64; 12]) -> Self {
        let mut month_start = Vec::with_capacity(months as usize + 1);
        let mut labels = Vec::with_capacity(months as usize);
        let mut day = 0usize;
        let mut first = start;
        for _ in 0..months {
            month_start.push(day);
            labels.push(first.format("%Y-%m").to_string());
            let next = first + Months::new(1);
            day += (next - first).num_days() as usize;
            first = next;
        }
        month_start.push(day);
        let days = day;
        let end = first;

        let mut month_of_day = Vec::with_capacity(days);
        let mut traffic_factor = Vec::with_capacity(days);
        for m in 0..months as usize {
            let len = month_start[m + 1] - month_start[m];
            let cal_month = (start + Months::new(m as u32)).month0() as usize;
            for _ in 0..len {
                month_of_day.push(m as u32);
                traffic_factor.push(seasonality[cal_month] / len as f64);
            }
        }
        let mut conversion_factor = vec![1.0; days];
        let mut cookie_override: Vec<Option<f64>> = vec![None; days];
        for e in events {
            for year in (start.year() - 1)..=end.year() {
                let Some(from) = NaiveDate::from_ymd_opt(year, e.month, e.day) else {
                    continue;
                };
                let offset = (from - start).num_days();
                for d in offset..offset + e.days as i64 {
                    if d < 0 || d >= days as i64 {
                        continue;
                    }
                    let d = d as usize;
                    traffic_factor[d] *= e.traffic;
                    conversion_factor[d] *= e.conversion;
                    if let Some(c) = e.cookie_days {
                        cookie_override[d] = Some(cookie_override[d].map_or(c, |o: f64| o.max(c)));
                    }
                }
            }
        }
        Calendar {
            start,
            month_start,
            month_of_day,
            labels,
            traffic_factor,
            conversion_factor,
            cookie_override,
            lock_day: Vec::new(),
            debit_after_lock: false,
        }
    }

    /// A lock day at or after the horizon's end.
    pub const NEVER: u32 = u32::MAX;

    /// The calendar with the lock day of every day under `lock`.
    #[allow(clippy::cast_possible_truncation)] // days of a horizon of at most 120 months
    pub fn with_lock(mut self, lock: Lock, debit_after_lock: bool) -> Self {
        self.debit_after_lock = debit_after_lock && lock != Lock::OnConfirmation;
        let days = self.days();
        self.lock_day = (0..days)
            .map_while(|d| {
                let paid = self.start + chrono::Days::new(d as u64);
                let locked = lock.day_of(paid)?;
                let at = (locked - self.start).num_days();
                Some(if at < days as i64 {
                    at as u32
                } else {
                    Self::NEVER
                })
            })
            .collect();
        self
    }

    /// Number of days in the horizon.
    pub fn days(&self) -> usize {
        *self.month_start.last().unwrap_or(&0)
    }

    /// Number of months in the horizon.
    pub fn months(&self) -> usize {
        self.labels.len()
    }
}
