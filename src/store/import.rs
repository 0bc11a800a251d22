//! One export into the store, in one transaction: each order once (by network and order id),
//! a row of history each time its status, its resolution time or its commission changes, and
//! never a newer status overwritten by an older download.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, busy, sql, status_of, status_text, time_of, time_text};
use crate::choice::Choice;
use crate::error::{Error, Result};
use crate::exports::{Export, Status};
use crate::model::Cents;

/// Orders and money that moved in one import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moved {
    /// Orders seen for the first time, and their commission.
    pub new_orders: usize,
    pub new_commission: Cents,
    /// Orders that became confirmed (or held, or settled) since the store last saw them.
    pub confirmed_orders: usize,
    pub confirmed_commission: Cents,
    /// Orders that became reversed, and the commission they had.
    pub reversed_orders: usize,
    pub reversed_commission: Cents,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub file: String,
    /// The import's id (the earlier one's when the same file was imported before).
    pub id: Option<i64>,
    pub network: String,
    pub currency: String,
    /// The export's latest time: what its statuses are as of.
    pub exported_at: String,
    pub rows: usize,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Orders whose status in the store was seen in a newer download: kept as they were.
    pub older: usize,
    /// When the identical file was imported, if it was.
    pub already: Option<String>,
    pub moved: Moved,
}

/// What the store knows of an order before this import.
struct Known {
    status: Status,
    resolved_at: Option<String>,
    commission: Cents,
    /// When its status was first seen, and last.
    seen_at: String,
    last_seen_at: String,
    inferred_at: Option<String>,
}

/// The middle of two of the store's times, as the store writes times.
fn midpoint(a: &str, b: &str) -> Option<String> {
    let (a, b) = (time_of(a)?, time_of(b)?);
    Some(time_text(a + (b - a) / 2))
}

fn is_confirmed(s: Status) -> bool {
    matches!(s, Status::Confirmed | Status::Held | Status::Settled)
}

/// The rows after which a test's fault hook stops the process dead (no destructor, no
/// rollback), as a kill would: `AFFCAST_ABORT_IMPORT_AFTER_ROWS`.
fn abort_after() -> Option<usize> {
    super::test_hook("AFFCAST_ABORT_IMPORT_AFTER_ROWS")
}

/// Imports `export` (read from `file`, whose bytes hash to `sha256`) into the store.
/// `stop` is asked between rows; when it says so, nothing of this import is kept.
pub fn import(
    store: &mut Store,
    file: &str,
    sha256: &str,
    export: &Export,
    stop: &dyn Fn() -> bool,
) -> Result<Imported> {
    let path = store.path.clone();
    let network = export.source.name().to_string();
    let exported_at = time_text(export.as_of);
    let mut done = Imported {
        file: file.to_string(),
        id: None,
        network: network.clone(),
        currency: export.currency.clone(),
        exported_at: exported_at.clone(),
        rows: export.records.len(),
        new: 0,
        changed: 0,
        unchanged: 0,
        older: 0,
        already: None,
        moved: Moved::default(),
    };
    let tx = store
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| sql(&path, e))?;
    let already: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, imported_at FROM imports WHERE sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|e| sql(&path, e))?;
    if let Some((id, at)) = already {
        done.id = Some(id);
        done.unchanged = done.rows;
        done.already = Some(at);
        return Ok(done);
    }
    let held: Option<String> = tx
        .query_row(
            "SELECT currency FROM orders WHERE network = ?1 LIMIT 1",
            [&network],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| sql(&path, e))?;
    if let Some(held) = held
        && held != export.currency
        && !export.records.is_empty()
    {
        return Err(Error::input(format!(
            "{file}: amounts in {}, but the store holds {network} orders in {held}; one store keeps one currency per network",
            export.currency
        )));
    }
    let imported_at = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string();
    tx.execute(
        "INSERT INTO imports (file, sha256, network, currency, exported_at, imported_at, rows, new_orders, changed, unchanged, older)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0, 0, 0)",
        params![file, sha256, network, export.currency, exported_at, imported_at, done.rows as i64],
    )
    .map_err(|e| sql(&path, e))?;
    let id = tx.last_insert_rowid();
    done.id = Some(id);

    {
        let mut insert_order = tx
            .prepare(
                "INSERT INTO orders (network, order_id, sub_id, category, country, currency, paid_at, order_value, commission, rate, first_seen_import, status, resolved_at, status_seen_at, status_last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
            )
            .map_err(|e| sql(&path, e))?;
        let mut insert_history = tx
            .prepare(
                "INSERT INTO status_history (network, order_id, status, resolved_at, commission, seen_in_import, seen_at, previous_seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .map_err(|e| sql(&path, e))?;
        let mut change_order = tx
            .prepare(
                "UPDATE orders SET status = ?3, resolved_at = ?4, commission = ?5, status_seen_at = ?6,
                    status_last_seen_at = ?7, inferred_at = ?8
                 WHERE network = ?1 AND order_id = ?2",
            )
            .map_err(|e| sql(&path, e))?;
        let mut lookup = tx
            .prepare(
                "SELECT status, resolved_at, commission, status_seen_at, status_last_seen_at, inferred_at
                 FROM orders WHERE network = ?1 AND order_id = ?2",
            )
            .map_err(|e| sql(&path, e))?;
        let mut seen_again = tx
            .prepare(
                "UPDATE orders SET status_last_seen_at = ?3 WHERE network = ?1 AND order_id = ?2",
            )
            .map_err(|e| sql(&path, e))?;
        let abort = abort_after();
        // In the orders' key order: consecutive rows then read and write the same pages of
        // the orders and their histories, where the export's order (by status time) sends
        // each lookup to a page of its own. Stable, so an order listed twice keeps its order.
        let mut records: Vec<&crate::exports::OrderRecord> = export.records.iter().collect();
        records.sort_by(|a, b| a.id.cmp(&b.id));
        for (i, r) in records.into_iter().enumerate() {
            if i % 4096 == 0 && stop() {
                return Err(Error::Cancelled);
            }
            if abort == Some(i) {
                std::process::abort();
            }
            let status = status_text(r.status);
            let resolved = r.resolved_at.map(time_text);
            // A row of the order's history: this status as this download shows it, and the
            // download that last showed the one before.
            let history = |q: &mut rusqlite::Statement<'_>,
                           resolved: Option<&str>,
                           previous: Option<&str>|
             -> Result<()> {
                q.execute(params![
                    network,
                    r.id,
                    status,
                    resolved,
                    r.commission,
                    id,
                    exported_at,
                    previous
                ])
                .map(|_| ())
                .map_err(|e| sql(&path, e))
            };
            let known = lookup
                .query_row(params![network, r.id], |row| {
                    Ok(Known {
                        status: status_of(&row.get::<_, String>(0)?),
                        resolved_at: row.get(1)?,
                        commission: row.get(2)?,
                        seen_at: row.get(3)?,
                        last_seen_at: row.get(4)?,
                        inferred_at: row.get(5)?,
                    })
                })
                .optional()
                .map_err(|e| sql(&path, e))?;
            match known {
                None => {
                    insert_order
                        .execute(params![
                            network,
                            r.id,
                            r.sub_id,
                            r.category,
                            r.country,
                            r.currency,
                            time_text(r.paid_at),
                            r.amount,
                            r.commission,
                            r.rate,
                            id,
                            status,
                            resolved,
                            exported_at,
                        ])
                        .map_err(|e| sql(&path, e))?;
                    history(&mut insert_history, resolved.as_deref(), None)?;
                    done.new += 1;
                    done.moved.new_orders += 1;
                    done.moved.new_commission += r.commission;
                }
                // A download older than the last that showed the order changes nothing.
                Some(k) if exported_at < k.last_seen_at => done.older += 1,
                Some(k) => {
                    // A time the store had stays when a later export leaves it out.
                    let resolved = resolved.or_else(|| {
                        (k.status == r.status)
                            .then(|| k.resolved_at.clone())
                            .flatten()
                    });
                    if k.status == r.status
                        && k.resolved_at == resolved
                        && k.commission == r.commission
                    {
                        if exported_at > k.last_seen_at {
                            seen_again
                                .execute(params![network, r.id, exported_at])
                                .map_err(|e| sql(&path, e))?;
                        }
                        done.unchanged += 1;
                        continue;
                    }
                    // A new status is first seen now; without a time of its own it is given
                    // the middle of this download and the last that showed the one before.
                    let (seen_at, inferred) = if k.status == r.status {
                        (Some(k.seen_at.clone()), k.inferred_at.clone())
                    } else if resolved.is_none() && r.status != Status::Pending {
                        (None, midpoint(&k.last_seen_at, &exported_at))
                    } else {
                        (None, None)
                    };
                    change_order
                        .execute(params![
                            network,
                            r.id,
                            status,
                            resolved,
                            r.commission,
                            seen_at.as_deref().unwrap_or(&exported_at),
                            exported_at,
                            inferred
                        ])
                        .map_err(|e| sql(&path, e))?;
                    history(
                        &mut insert_history,
                        resolved.as_deref(),
                        Some(k.last_seen_at.as_str()),
                    )?;
                    done.changed += 1;
                    if k.status != r.status {
                        if is_confirmed(r.status) && !is_confirmed(k.status) {
                            done.moved.confirmed_orders += 1;
                            done.moved.confirmed_commission += r.commission;
                        } else if r.status == Status::Reversed {
                            done.moved.reversed_orders += 1;
                            done.moved.reversed_commission += k.commission;
                        }
                    }
                }
            }
        }
    }
    tx.execute(
        "UPDATE imports SET new_orders = ?2, changed = ?3, unchanged = ?4, older = ?5 WHERE id = ?1",
        params![id, done.new as i64, done.changed as i64, done.unchanged as i64, done.older as i64],
    )
    .map_err(|e| sql(&path, e))?;
    tx.commit().map_err(|e| {
        if super::is_busy(&e) {
            busy(&path)
        } else {
            sql(&path, e)
        }
    })?;
    Ok(done)
}

/// The latest time of any import of `network`: what the store's statuses are as of.
pub(crate) fn latest(store: &Store, network: &str) -> Result<Option<NaiveDateTime>> {
    let at: Option<String> = store
        .conn
        .query_row(
            "SELECT max(exported_at) FROM imports WHERE network = ?1",
            [network],
            |r| r.get(0),
        )
        .map_err(|e| sql(&store.path, e))?;
    Ok(at.as_deref().and_then(time_of))
}
