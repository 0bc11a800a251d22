//! The order store of `affcast track`: one SQLite file that remembers every order of every
//! export imported, each status it was seen in and when, and the forecast made at each
//! import. The schema is plain SQL (`sqlite3 affcast.db .schema`); its versions are the
//! migrations below, applied in order and recorded in SQLite's `user_version`.
//!
//! Times are written as affcast's clock reads them (US Pacific, `YYYY-MM-DD HH:MM:SS`),
//! money in cents of the export's currency.

mod import;
mod orders;

pub use import::{Imported, Moved, import};
pub use orders::{MonthTotals, Standing, StoredForecast, as_export, latest, open_at, standing};

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{M, Migrations};

use crate::error::{Error, Result};
use crate::exports::Status;

/// The store's file when none is named: `affcast.db` beside the scenario, else in the
/// current folder.
pub const DEFAULT_FILE: &str = "affcast.db";

/// How long a second affcast waits for the one writing the store before it says "busy".
const BUSY_WAIT_MS: u64 = 2_000;

/// The schema, one migration per version. Never edit a released one: add the next.
const MIGRATIONS: &[M<'static>] = &[
    // 1: imports, orders, their histories and the forecasts kept.
    M::up(
        "CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        network TEXT NOT NULL,
        currency TEXT NOT NULL,
        exported_at TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        rows INTEGER NOT NULL,
        new_orders INTEGER NOT NULL,
        changed INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        older INTEGER NOT NULL
    );
    CREATE INDEX imports_sha256 ON imports (sha256);
    CREATE TABLE orders (
        network TEXT NOT NULL,
        order_id TEXT NOT NULL,
        sub_id TEXT,
        category TEXT NOT NULL,
        country TEXT,
        currency TEXT NOT NULL,
        paid_at TEXT NOT NULL,
        order_value INTEGER NOT NULL,
        commission INTEGER NOT NULL,
        rate REAL,
        first_seen_import INTEGER NOT NULL REFERENCES imports (id),
        status TEXT NOT NULL,
        resolved_at TEXT,
        status_seen_at TEXT NOT NULL,
        status_last_seen_at TEXT NOT NULL,
        PRIMARY KEY (network, order_id)
    ) WITHOUT ROWID;
    CREATE INDEX orders_paid_at ON orders (paid_at);
    CREATE TABLE status_history (
        network TEXT NOT NULL,
        order_id TEXT NOT NULL,
        status TEXT NOT NULL,
        resolved_at TEXT,
        commission INTEGER NOT NULL,
        seen_in_import INTEGER NOT NULL REFERENCES imports (id),
        seen_at TEXT NOT NULL,
        previous_seen_at TEXT,
        PRIMARY KEY (network, order_id, seen_in_import)
    ) WITHOUT ROWID;
    CREATE TABLE forecasts (
        import_id INTEGER NOT NULL REFERENCES imports (id),
        scenario_sha256 TEXT NOT NULL,
        seed INTEGER NOT NULL,
        trials INTEGER NOT NULL,
        origin TEXT NOT NULL,
        month TEXT NOT NULL,
        metric TEXT NOT NULL,
        p10 REAL NOT NULL,
        p50 REAL NOT NULL,
        p90 REAL NOT NULL,
        mean REAL NOT NULL,
        percentiles TEXT NOT NULL,
        PRIMARY KEY (import_id, month, metric)
    ) WITHOUT ROWID;",
    ),
    // 2: the time an untimed confirmation or reversal is given (the middle of the downloads
    // around it), kept on the order rather than found again in its history on every read.
    M::up(
        "ALTER TABLE orders ADD COLUMN inferred_at TEXT;
    UPDATE orders SET inferred_at = (
        SELECT datetime((julianday(h.previous_seen_at) + julianday(orders.status_seen_at)) / 2)
        FROM status_history h
        WHERE h.network = orders.network AND h.order_id = orders.order_id
          AND h.seen_at = orders.status_seen_at AND h.previous_seen_at IS NOT NULL)
    WHERE resolved_at IS NULL AND status != 'pending';",
    ),
];

/// An open store.
pub struct Store {
    pub(crate) conn: Connection,
    pub path: PathBuf,
}

/// Where a store's file is: `--db`, else beside the scenario, else in the current folder.
pub fn location(db: Option<&Path>, scenario: Option<&Path>) -> PathBuf {
    match (db, scenario) {
        (Some(db), _) => db.to_path_buf(),
        (None, Some(sc)) => sc
            .parent()
            .map_or_else(|| PathBuf::from(DEFAULT_FILE), |d| d.join(DEFAULT_FILE)),
        (None, None) => PathBuf::from(DEFAULT_FILE),
    }
}

fn failed(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Other(format!("{}: {e}", path.display()))
}

/// Whether an error is SQLite's "another connection holds the lock".
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// The error for a store another process is writing.
pub(crate) fn busy(path: &Path) -> Error {
    Error::Other(format!(
        "{}: the store is busy: another affcast is writing to it; run this again when it has finished",
        path.display()
    ))
}

/// A SQLite failure on the store, said as what it means for the user.
pub(crate) fn sql(path: &Path, e: rusqlite::Error) -> Error {
    if is_busy(&e) {
        return busy(path);
    }
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            Error::input(format!(
                "{}: not an affcast store, or a damaged one ({e}); it was left as it is. Name another file with --db, or move this one away",
                path.display()
            ))
        }
        _ => failed(path, e),
    }
}

/// A count a test's fault hook gives in the environment variable `name`, if any.
fn test_hook(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// The page size of a new store. `track` reads every order twice and an import rewrites
/// most of the pages: with 16 KiB pages (SQLite's default is 4) the twelve imports of the
/// track bench take 50.0/52.6/52.0 s against 54.8/56.1 s, and `track` 1.97-2.01 s against
/// 2.17-2.23 s; 64 KiB pages gain nothing more.
const PAGE_BYTES: i64 = 16 * 1024;

impl Store {
    /// Opens the store at `path`, creating it (and its schema) when `create` and it does not
    /// exist; brings an older schema up to date; refuses one from a newer affcast.
    pub fn open(path: &Path, create: bool) -> Result<Store> {
        if !create && !path.exists() {
            return Err(Error::input(format!(
                "{}: no store here; `affcast track import EXPORT` creates it",
                path.display()
            )));
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| sql(path, e))?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_WAIT_MS))
            .map_err(|e| sql(path, e))?;
        // Reading the header finds a file that is not a database before anything is written.
        let tables = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(|e| sql(path, e))?;
        // A new store's page size (it can only be set before the first table, and in WAL
        // mode not at all later: a store keeps the size it was created with).
        if tables == 0 {
            conn.pragma_update(None, "page_size", PAGE_BYTES)
                .map_err(|e| sql(path, e))?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| sql(path, e))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| sql(path, e))?;
        // In WAL mode a commit survives a crash of the process without a sync of its own; a
        // power cut may lose the last import, never the store's consistency.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| sql(path, e))?;
        let migrations = Migrations::from_slice(MIGRATIONS);
        migrations.to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::MigrationDefinition(
                rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
            ) => Error::input(format!(
                "{}: this store was written by a newer affcast (schema {}, this one knows up to {}); use that version, or another --db",
                path.display(),
                user_version(&conn).unwrap_or(0),
                MIGRATIONS.len()
            )),
            rusqlite_migration::Error::RusqliteError { err, .. } => sql(path, err),
            other => failed(path, other),
        })?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The schema version this affcast writes.
    pub fn schema_version() -> usize {
        MIGRATIONS.len()
    }
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// A status as the store writes it.
pub(crate) fn status_text(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Confirmed => "confirmed",
        Status::Held => "held",
        Status::Settled => "settled",
        Status::Reversed => "reversed",
    }
}

/// A status the store wrote.
pub(crate) fn status_of(text: &str) -> Status {
    match text {
        "confirmed" => Status::Confirmed,
        "held" => Status::Held,
        "settled" => Status::Settled,
        "reversed" => Status::Reversed,
        _ => Status::Pending,
    }
}

const TIME: &str = "%Y-%m-%d %H:%M:%S";

/// A time as the store writes it. Written digit by digit for the years of four digits:
/// chrono's `format` reads its pattern again on every call, and an import writes a few times
/// per order (the same text either way; a unit test compares them).
pub(crate) fn time_text(t: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    if !(0..=9999).contains(&t.year()) || t.nanosecond() >= 1_000_000_000 {
        return t.format(TIME).to_string();
    }
    let mut b = *b"0000-00-00 00:00:00";
    let mut put = |at: usize, width: usize, mut n: u32| {
        for k in (at..at + width).rev() {
            b[k] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, t.year().unsigned_abs());
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    String::from_utf8(b.to_vec()).expect("ASCII digits")
}

/// A time the store wrote. Its own form is read digit by digit; anything else goes to
/// chrono's parser, which decides as before.
pub(crate) fn time_of(text: &str) -> Option<NaiveDateTime> {
    crate::exports::plain_time(text).or_else(|| NaiveDateTime::parse_from_str(text, TIME).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_and_read_as_chrono_does() {
        use chrono::NaiveDate;
        let days = [
            (2026, 1, 1),
            (2027, 12, 31),
            (1999, 2, 28),
            (2024, 2, 29),
            (1, 1, 1),
            (9999, 12, 31),
        ];
        for (y, m, d) in days {
            for (h, mi, s) in [(0, 0, 0), (23, 59, 59), (9, 5, 7)] {
                let t = NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(h, mi, s)
                    .unwrap();
                let text = time_text(t);
                assert_eq!(text, t.format(TIME).to_string());
                assert_eq!(time_of(&text), Some(t));
            }
        }
        let far = NaiveDate::from_ymd_opt(12345, 6, 7)
            .unwrap()
            .and_hms_opt(1, 2, 3)
            .unwrap();
        assert_eq!(time_text(far), far.format(TIME).to_string());
        for text in [
            "2026-02-30 10:00:00",
            "2026-13-01 10:00:00",
            "2026-01-01 24:00:00",
            "2026-01-01T10:00:00",
            "2026-1-01 10:00:000",
            "",
            "+12345-06-07 01:02:03",
            "2026-01-01 10:00:60",
        ] {
            assert_eq!(
                time_of(text),
                NaiveDateTime::parse_from_str(text, TIME).ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_store_of_the_first_schema_gets_its_inferred_times_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            Migrations::from_slice(&MIGRATIONS[..1])
                .to_latest(&mut conn)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO imports VALUES (1, 'a.csv', 'x', 'aliexpress', 'USD', '2026-01-31 23:00:00', 'now', 1, 1, 0, 0, 0);
                 INSERT INTO imports VALUES (2, 'b.csv', 'y', 'aliexpress', 'USD', '2026-02-28 23:00:00', 'now', 1, 0, 1, 0, 0);
                 INSERT INTO orders VALUES ('aliexpress', '7', NULL, 'c', 'ES', 'USD', '2026-01-20 10:00:00', 1000, 70, 0.07, 1,
                     'reversed', NULL, '2026-02-28 23:00:00', '2026-02-28 23:00:00');
                 INSERT INTO status_history VALUES ('aliexpress', '7', 'pending', NULL, 70, 1, '2026-01-31 23:00:00', NULL);
                 INSERT INTO status_history VALUES ('aliexpress', '7', 'reversed', NULL, 70, 2, '2026-02-28 23:00:00', '2026-01-31 23:00:00');",
            )
            .unwrap();
        }
        let store = Store::open(&path, false).unwrap();
        assert_eq!(user_version(&store.conn).unwrap(), 2);
        let at: Option<String> = store
            .conn
            .query_row(
                "SELECT inferred_at FROM orders WHERE order_id = '7'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        // The middle of January 31st and February 28th, 23:00.
        assert_eq!(at.as_deref(), Some("2026-02-14 23:00:00"));
    }
}
