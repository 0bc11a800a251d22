//! The zone an export's times are written in. Exports write times without a zone, and
//! sources disagree about AliExpress's (US Pacific in its documentation, GMT+8 in some
//! clients): the zone is a setting, `--timezone`. Every time is placed on one clock, US
//! Pacific, the zone AliExpress's documentation gives, so that an export written in another
//! zone has its months, and its orders' ages, where they belong.

use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::error::{Error, Result};

/// The clock every export's times are placed on.
pub(super) const CLOCK: Tz = chrono_tz::America::Los_Angeles;

/// A time zone: a tz database name (with its daylight saving) or a fixed offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Named(Tz),
    Fixed(FixedOffset),
}

impl Default for Zone {
    /// US Pacific: times as written are already on the clock.
    fn default() -> Self {
        Zone::Named(CLOCK)
    }
}

impl Zone {
    /// `America/Los_Angeles`, `Asia/Shanghai`, `UTC`, `GMT+8`, `UTC-03:00` or `+08:00`.
    pub fn parse(written: &str) -> Result<Zone> {
        let s = written.trim();
        if let Ok(tz) = s.parse::<Tz>() {
            return Ok(Zone::Named(tz));
        }
        let offset = s
            .strip_prefix("UTC")
            .or_else(|| s.strip_prefix("GMT"))
            .unwrap_or(s);
        fixed(offset).map(Zone::Fixed).ok_or_else(|| {
            Error::input(format!(
                "--timezone: \"{written}\" is not a time zone (a tz database name such as America/Los_Angeles or Asia/Shanghai, UTC, or an offset such as +08:00 or GMT+8)"
            ))
        })
    }

    /// Whether times written in this zone are already on the clock.
    pub fn is_clock(&self) -> bool {
        *self == Zone::Named(CLOCK)
    }

    /// A time written in this zone, on the clock (US Pacific). A time that falls in a
    /// daylight-saving gap is read as the hour after it; an ambiguous one as the earlier.
    pub fn to_clock(&self, t: NaiveDateTime) -> NaiveDateTime {
        match self {
            _ if self.is_clock() => t,
            Zone::Named(tz) => on_clock(tz, t),
            Zone::Fixed(off) => on_clock(off, t),
        }
    }
}

fn on_clock<Z: TimeZone>(zone: &Z, t: NaiveDateTime) -> NaiveDateTime {
    // No zone skips more than an hour, so one of the two exists.
    [t, t + chrono::Duration::hours(1)]
        .iter()
        .find_map(|local| zone.from_local_datetime(local).earliest())
        .map_or(t, |at| at.with_timezone(&CLOCK).naive_local())
}

/// `+08:00`, `+8`, `-0330`, `0` (and empty: UTC) as an offset.
fn fixed(s: &str) -> Option<FixedOffset> {
    if s.is_empty() {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes()[0] {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ if s == "0" => return FixedOffset::east_opt(0),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..=14).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn times_written_elsewhere_are_placed_on_the_pacific_clock() {
        // Winter: Shanghai is 16 hours ahead of Los Angeles (PST, UTC-8).
        let shanghai = Zone::parse("Asia/Shanghai").unwrap();
        assert_eq!(
            shanghai.to_clock(t("2026-01-01 10:00:00")),
            t("2025-12-31 18:00:00")
        );
        // Summer: 15 hours (PDT, UTC-7).
        assert_eq!(
            shanghai.to_clock(t("2026-07-01 10:00:00")),
            t("2026-06-30 19:00:00")
        );
        for written in ["GMT+8", "UTC+08:00", "+08:00", "+0800", "+8"] {
            let z = Zone::parse(written).unwrap();
            assert_eq!(
                z.to_clock(t("2026-01-01 10:00:00")),
                t("2025-12-31 18:00:00"),
                "{written}"
            );
        }
        assert_eq!(
            Zone::parse("UTC")
                .unwrap()
                .to_clock(t("2026-01-01 10:00:00")),
            t("2026-01-01 02:00:00")
        );
        // The default is the clock itself: nothing moves.
        assert!(Zone::default().is_clock());
        assert_eq!(
            Zone::default().to_clock(t("2026-03-08 02:30:00")),
            t("2026-03-08 02:30:00")
        );
        for bad in ["Mars/Base", "+25:00", "GMT+x", "pacific"] {
            assert!(Zone::parse(bad).is_err(), "{bad}");
        }
    }
}
