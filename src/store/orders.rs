//! The store read back: its orders as one export (the latest status of each, with the times
//! that consecutive downloads reveal), and the forecasts made at each import.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::{Store, sql, status_of, time_of};
use crate::choice::Choice;
use crate::error::{Error, Result};
use crate::exports::{Export, OrderRecord, ReadStats, Source};

/// The one network whose orders the store holds.
fn network(store: &Store) -> Result<String> {
    let path = &store.path;
    let networks: Vec<String> = {
        let mut q = store
            .conn
            .prepare("SELECT DISTINCT network FROM imports ORDER BY network")
            .map_err(|e| sql(path, e))?;
        q.query_map([], |r| r.get(0))
            .map_err(|e| sql(path, e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| sql(path, e))?
    };
    match networks.as_slice() {
        [] => Err(Error::input(format!(
            "{}: the store has no import yet; `affcast track import EXPORT` adds one",
            path.display()
        ))),
        [one] => Ok(one.clone()),
        more => Err(Error::input(format!(
            "{}: the store holds orders of {} networks ({}); affcast reads one network's at a time",
            path.display(),
            more.len(),
            more.join(", ")
        ))),
    }
}

/// Each order with the time it resolved: the export's, else the middle of the span between
/// the last download that showed its earlier status and the first that showed this one
/// (`inferred_at`, set at import).
const TIMED: &str = "SELECT o.network, o.order_id, o.sub_id, o.category, o.country, o.currency,
        o.paid_at, o.order_value, o.commission, o.rate, o.status,
        coalesce(o.resolved_at, o.inferred_at) AS at,
        o.resolved_at IS NULL AND o.inferred_at IS NOT NULL AS inferred
    FROM orders o";

/// The store's orders chosen by `filter` (over the columns of [`TIMED`], `?1` the network)
/// as an export as of the latest import, and how many of their times were inferred.
fn read(store: &Store, filter: &str, extra: &[&dyn rusqlite::ToSql]) -> Result<(Export, usize)> {
    let path = &store.path;
    let network = network(store)?;
    let source = Source::named(&network).unwrap_or(Source::Generic);
    let as_of = super::import::latest(store, &network)?.unwrap_or_default();
    let mut q = store
        .conn
        .prepare(&format!(
            "WITH t AS ({TIMED}) SELECT order_id, sub_id, category, country, currency, paid_at,
                    order_value, commission, rate, status, at, inferred
             FROM t WHERE network = ?1 AND ({filter})"
        ))
        .map_err(|e| sql(path, e))?;
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![&network];
    values.extend_from_slice(extra);
    let mut inferred = 0;
    let mut currency = String::new();
    let mut records = Vec::new();
    let mut rows = q.query(values.as_slice()).map_err(|e| sql(path, e))?;
    while let Some(r) = rows.next().map_err(|e| sql(path, e))? {
        let row = (|| -> rusqlite::Result<Option<OrderRecord>> {
            let Some(paid_at) = time_of(&r.get::<_, String>(5)?) else {
                return Ok(None);
            };
            if r.get::<_, bool>(11)? {
                inferred += 1;
            }
            let cur: String = r.get(4)?;
            currency.clone_from(&cur);
            Ok(Some(OrderRecord {
                id: r.get(0)?,
                id_field: "order_id",
                sub_id: r.get(1)?,
                category: r.get(2)?,
                country: r.get(3)?,
                currency: cur,
                paid_at,
                amount: r.get(6)?,
                commission: r.get(7)?,
                rate: r.get(8)?,
                status: status_of(&r.get::<_, String>(9)?),
                resolved_at: r.get::<_, Option<String>>(10)?.as_deref().and_then(time_of),
                hot: None,
                new_buyer: None,
                bonus: 0,
            }))
        })()
        .map_err(|e| sql(path, e))?;
        records.extend(row);
    }
    // By payment time, then id: sorted here, where SQLite's sort of a large store's rows
    // took as long as reading them.
    records.sort_unstable_by(|a, b| (a.paid_at, &a.id).cmp(&(b.paid_at, &b.id)));
    let export = Export {
        source,
        currency,
        as_of,
        read: ReadStats {
            files: 1,
            rows: records.len(),
            ..ReadStats::default()
        },
        records,
        guessed: false,
        empty_windows: 0,
    };
    Ok((export, inferred))
}

/// The store's orders of its network as an export as of its latest import; orders paid
/// before `since` left out. An order confirmed or reversed without a time in any export is
/// given the middle of the span between the last download that showed it in its earlier
/// status and the first that showed the new one (the `inferred` count).
pub fn as_export(store: &Store, since: Option<NaiveDate>) -> Result<(Export, usize)> {
    let since = since.map(|d| super::time_text(d.and_hms_opt(0, 0, 0).expect("midnight")));
    read(store, "?2 IS NULL OR paid_at >= ?2", &[&since])
}

/// The latest time of the store's imports: what its statuses are as of.
pub fn latest(store: &Store) -> Result<NaiveDateTime> {
    let network = network(store)?;
    Ok(super::import::latest(store, &network)?.unwrap_or_default())
}

/// What `track` reads of the store.
pub struct Standing {
    /// The orders open now (pending, confirmed or held, as the latest download of each
    /// showed).
    pub open: Export,
    /// Every month's totals, by "YYYY-MM".
    pub months: BTreeMap<String, MonthTotals>,
    /// How many confirmations and reversals had no time in any export and are timed by the
    /// downloads around them.
    pub inferred: usize,
}

/// Reads of [`standing`] before it says the store is busy.
const STANDING_TRIES: usize = 3;

/// The orders open now and every month's totals ([`Standing`]), read at once: the totals on
/// a connection of their own, each a pass over every order. When an import commits while
/// they read (the store's data version moves), both are read again.
pub fn standing(store: &Store) -> Result<Standing> {
    let path = &store.path;
    let network = network(store)?;
    let version = || -> Result<i64> {
        (store.conn)
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| sql(path, e))
    };
    for read_no in 0..STANDING_TRIES {
        let before = version()?;
        let (open, months) = std::thread::scope(|s| {
            let months = s.spawn(|| month_totals(path, &network));
            let open = read(store, "status IN ('pending', 'confirmed', 'held')", &[]);
            (
                open,
                months.join().expect("reading month totals does not panic"),
            )
        });
        let (open, (months, inferred)) = (open?.0, months?);
        commit_while_read(path, read_no)?;
        if version()? == before {
            return Ok(Standing {
                open,
                months,
                inferred,
            });
        }
    }
    Err(super::busy(path))
}

/// For the tests of [`standing`]: on each of its first `AFFCAST_COMMIT_WHILE_TRACK_READS`
/// reads, another connection commits (a table made and dropped) before the store's data
/// version is looked at again, as an import finishing then would.
fn commit_while_read(path: &Path, read_no: usize) -> Result<()> {
    if read_no >= super::test_hook("AFFCAST_COMMIT_WHILE_TRACK_READS").unwrap_or(0) {
        return Ok(());
    }
    let conn = rusqlite::Connection::open(path).map_err(|e| sql(path, e))?;
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         CREATE TABLE commit_while_read (x);
         DROP TABLE commit_while_read;
         COMMIT;",
    )
    .map_err(|e| sql(path, e))
}

/// Every month's totals, by "YYYY-MM", and how many confirmations and reversals were timed
/// by the downloads around them; read on a connection of their own.
fn month_totals(path: &Path, network: &str) -> Result<(BTreeMap<String, MonthTotals>, usize)> {
    use rusqlite::{Connection, OpenFlags};
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| sql(path, e))?;
    conn.busy_timeout(std::time::Duration::from_millis(super::BUSY_WAIT_MS))
        .map_err(|e| sql(path, e))?;
    let mut q = conn
        .prepare(&format!(
            "WITH t AS ({TIMED} WHERE o.network = ?1)
             SELECT paid_at, status, at, commission, inferred FROM t"
        ))
        .map_err(|e| sql(path, e))?;
    // Months as year × 12 + month, read from a time's first seven bytes: no text is made
    // per order.
    fn month(text: &[u8]) -> Option<u32> {
        use crate::exports::digits;
        Some(digits(text.get(0..4)?)? * 12 + digits(text.get(5..7)?)? - 1)
    }
    let mut totals: BTreeMap<u32, MonthTotals> = BTreeMap::new();
    let mut inferred = 0;
    let mut rows = q.query([network]).map_err(|e| sql(path, e))?;
    while let Some(r) = rows.next().map_err(|e| sql(path, e))? {
        let row = (|| -> rusqlite::Result<OrderMonths> {
            let status = r.get_ref(1)?.as_str()?;
            Ok(OrderMonths {
                paid: month(r.get_ref(0)?.as_bytes()?),
                at: r.get_ref(2)?.as_bytes_or_null()?.and_then(month),
                confirmed: matches!(status, "confirmed" | "held" | "settled"),
                reversed: status == "reversed",
                commission: r.get(3)?,
                inferred: r.get(4)?,
            })
        })()
        .map_err(|e| sql(path, e))?;
        let OrderMonths {
            paid: Some(paid),
            at,
            confirmed,
            reversed,
            commission,
            inferred: timed_by_downloads,
        } = row
        else {
            continue;
        };
        inferred += usize::from(timed_by_downloads);
        let m = totals.entry(paid).or_default();
        m.orders += 1;
        m.earned += commission;
        match (confirmed, reversed, at) {
            (true, _, Some(at)) => totals.entry(at).or_default().confirmed += commission,
            (_, true, at) => totals.entry(at.unwrap_or(paid)).or_default().reversed += commission,
            _ => {}
        }
    }
    let out = totals
        .into_iter()
        .map(|(m, t)| (format!("{:04}-{:02}", m / 12, m % 12 + 1), t))
        .collect();
    Ok((out, inferred))
}

/// The orders that may have been open at `t` (paid in the 200 days before it, and not
/// resolved more than two months before it: a confirmation is paid out within one), all a
/// forecast opened at `t` reads.
pub fn open_at(store: &Store, t: NaiveDateTime) -> Result<Export> {
    let from = super::time_text(t - chrono::Duration::days(200));
    let settled_before = super::time_text(t - chrono::Duration::days(62));
    let t = super::time_text(t);
    Ok(read(
        store,
        "paid_at >= ?2 AND paid_at < ?3 AND (at IS NULL OR at >= ?4)",
        &[&from, &t, &settled_before],
    )?
    .0)
}

/// What one month did, as the store knows it: orders paid and their commission, commission
/// confirmed and reversed in it (a reversal without any time in the month it was paid).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonthTotals {
    pub orders: usize,
    pub earned: i64,
    pub confirmed: i64,
    pub reversed: i64,
}

/// One order as the month totals read it: its months (year × 12 + month), its end, its
/// commission, and whether its time was inferred.
struct OrderMonths {
    paid: Option<u32>,
    at: Option<u32>,
    confirmed: bool,
    reversed: bool,
    commission: i64,
    inferred: bool,
}

/// The forecast made at one import for one month and metric.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredForecast {
    pub import_id: i64,
    /// When the import's statuses were as of.
    pub exported_at: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub trials: u32,
    /// The forecast's first month, "YYYY-MM".
    pub origin: String,
    pub month: String,
    pub metric: String,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub mean: f64,
    /// The 1st to 99th percentiles, for the actual's place among the trials.
    pub percentiles: Vec<f64>,
}

impl Store {
    /// Keeps the forecast made at import `import_id`.
    pub fn keep_forecast(&mut self, rows: &[StoredForecast]) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| sql(&path, e))?;
        {
            let mut q = tx
                .prepare(
                    "INSERT OR REPLACE INTO forecasts (import_id, scenario_sha256, seed, trials, origin, month, metric, p10, p50, p90, mean, percentiles)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .map_err(|e| sql(&path, e))?;
            for f in rows {
                let percentiles = serde_json::to_string(&f.percentiles).expect("numbers serialize");
                q.execute(params![
                    f.import_id,
                    f.scenario_sha256,
                    f.seed as i64,
                    f.trials,
                    f.origin,
                    f.month,
                    f.metric,
                    f.p10,
                    f.p50,
                    f.p90,
                    f.mean,
                    percentiles
                ])
                .map_err(|e| sql(&path, e))?;
            }
        }
        tx.commit().map_err(|e| sql(&path, e))
    }

    /// Whether the forecast made at import `id` was kept.
    pub fn has_forecast(&self, id: i64) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM forecasts WHERE import_id = ?1)",
                [id],
                |r| r.get(0),
            )
            .map_err(|e| sql(&self.path, e))
    }

    /// Every forecast kept, oldest import first.
    pub fn forecasts(&self) -> Result<Vec<StoredForecast>> {
        let path = &self.path;
        let mut q = self
            .conn
            .prepare(
                "SELECT f.import_id, i.exported_at, f.scenario_sha256, f.seed, f.trials, f.origin, f.month, f.metric, f.p10, f.p50, f.p90, f.mean, f.percentiles
                 FROM forecasts f JOIN imports i ON i.id = f.import_id
                 ORDER BY f.import_id, f.month, f.metric",
            )
            .map_err(|e| sql(path, e))?;
        let rows = q
            .query_map([], |r| {
                let percentiles: String = r.get(12)?;
                Ok(StoredForecast {
                    import_id: r.get(0)?,
                    exported_at: r.get(1)?,
                    scenario_sha256: r.get(2)?,
                    seed: r.get::<_, i64>(3)? as u64,
                    trials: r.get(4)?,
                    origin: r.get(5)?,
                    month: r.get(6)?,
                    metric: r.get(7)?,
                    p10: r.get(8)?,
                    p50: r.get(9)?,
                    p90: r.get(10)?,
                    mean: r.get(11)?,
                    percentiles: serde_json::from_str(&percentiles).unwrap_or_default(),
                })
            })
            .map_err(|e| sql(path, e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| sql(path, e))
    }

    /// The imports, oldest first: id, file, exported_at.
    pub fn imports(&self) -> Result<Vec<(i64, String, NaiveDateTime)>> {
        let path = &self.path;
        let mut q = self
            .conn
            .prepare("SELECT id, file, exported_at FROM imports ORDER BY exported_at, id")
            .map_err(|e| sql(path, e))?;
        let rows = q
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| sql(path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, file, at) = row.map_err(|e| sql(path, e))?;
            if let Some(at) = time_of(&at) {
                out.push((id, file, at));
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Every order and its status history as CSV: one row per status seen, with the order's
    /// fields, the import that showed it and when its statuses were as of.
    pub fn dump_csv(&self) -> Result<String> {
        let path = &self.path;
        let mut q = self
            .conn
            .prepare(
                "SELECT o.network, o.order_id, o.sub_id, o.category, o.country, o.currency, o.paid_at,
                        o.order_value, h.commission, o.rate, h.status, h.resolved_at,
                        h.seen_in_import, i.file, h.seen_at, h.previous_seen_at
                 FROM status_history h
                 JOIN orders o ON o.network = h.network AND o.order_id = h.order_id
                 JOIN imports i ON i.id = h.seen_in_import
                 ORDER BY o.network, o.paid_at, o.order_id, h.seen_at, h.seen_in_import",
            )
            .map_err(|e| sql(path, e))?;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "network",
            "order_id",
            "sub_id",
            "category",
            "country",
            "currency",
            "paid_at",
            "order_value",
            "commission",
            "rate",
            "status",
            "resolved_at",
            "import",
            "file",
            "seen_at",
            "previous_seen_at",
        ])
        .expect("writing to memory cannot fail");
        let cents = |c: i64| rust_decimal::Decimal::new(c, 2).to_string();
        let mut rows = q.query([]).map_err(|e| sql(path, e))?;
        while let Some(r) = rows.next().map_err(|e| sql(path, e))? {
            let text = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
            };
            let record = (|| -> rusqlite::Result<Vec<String>> {
                Ok(vec![
                    text(0)?,
                    text(1)?,
                    text(2)?,
                    text(3)?,
                    text(4)?,
                    text(5)?,
                    text(6)?,
                    cents(r.get(7)?),
                    cents(r.get(8)?),
                    r.get::<_, Option<f64>>(9)?
                        .map(|x| x.to_string())
                        .unwrap_or_default(),
                    text(10)?,
                    text(11)?,
                    r.get::<_, i64>(12)?.to_string(),
                    text(13)?,
                    text(14)?,
                    text(15)?,
                ])
            })()
            .map_err(|e| sql(path, e))?;
            w.write_record(record)
                .expect("writing to memory cannot fail");
        }
        Ok(
            String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
                .expect("the CSV is UTF-8"),
        )
    }
}
