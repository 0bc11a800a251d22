//! `affcast track` through the binary: a year of monthly downloads made by a generator that
//! knows every order's fate, imported one by one; the store's histories, the months so far,
//! the pipeline, the nowcast's opening and the kept forecasts' actuals checked against it.
//! Then the store's robustness: a killed import, a busy store, a newer schema, a damaged file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::common::{affcast, succeed, succeed_json};

/// A small, fixed random stream (xorshift): the same year on every machine.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    /// Confirmed at this time (the export says when), settled on the next 25th.
    Confirmed(NaiveDateTime),
    /// Reversed at this time; "Invalid" orders carry no time in the export.
    Reversed(NaiveDateTime),
    /// Still open at the end of the year.
    Open,
}

#[derive(Debug, Clone)]
struct Order {
    id: u64,
    paid: NaiveDateTime,
    /// Cents.
    value: i64,
    commission: i64,
    category: &'static str,
    fate: Fate,
}

/// The orders of 2026: 90 to 110 a month; 85% confirmed 10–60 days after payment, 10%
/// reversed 2–40 days after, 5% still open.
fn year() -> Vec<Order> {
    let mut s = Stream(0x5eed_1234_abcd_0042);
    let mut orders = Vec::new();
    let mut id = 9_000_000;
    for month in 1..=12 {
        let first = NaiveDate::from_ymd_opt(2026, month, 1).unwrap();
        let days = (first + chrono::Months::new(1) - first).num_days() as u64;
        for _ in 0..90 + s.below(21) {
            let paid = first.and_hms_opt(0, 0, 0).unwrap()
                + Duration::seconds((s.below(days * 86_400)) as i64);
            let (category, rate) = if s.below(2) == 0 {
                ("phones", 9)
            } else {
                ("garden", 7)
            };
            let value = 300 + s.below(3_000) as i64;
            let roll = s.below(100);
            let fate = if roll < 85 {
                Fate::Confirmed(paid + Duration::days(10 + s.below(51) as i64))
            } else if roll < 95 {
                Fate::Reversed(paid + Duration::days(2 + s.below(39) as i64))
            } else {
                Fate::Open
            };
            orders.push(Order {
                id,
                paid,
                value,
                commission: value * rate / 100,
                category,
                fate,
            });
            id += 1;
        }
    }
    orders
}

/// The 25th on or after the day after `t`: when a confirmation is settled.
fn settled_at(t: NaiveDateTime) -> NaiveDateTime {
    let d = t.date();
    let this = NaiveDate::from_ymd_opt(d.year(), d.month(), 25).unwrap();
    let day = if d < this {
        this
    } else {
        this + chrono::Months::new(1)
    };
    day.and_hms_opt(0, 0, 0).unwrap()
}

/// An order's status, and its time, in a download taken at `at`; `None` if paid later.
fn as_seen(o: &Order, at: NaiveDateTime) -> Option<(&'static str, Option<NaiveDateTime>)> {
    if o.paid >= at {
        return None;
    }
    Some(match o.fate {
        Fate::Confirmed(t) if t < at && settled_at(t) < at => ("Completed Settlement", Some(t)),
        Fate::Confirmed(t) if t < at => ("Buyer Confirmed Receipt", Some(t)),
        Fate::Reversed(t) if t < at => ("Invalid", None),
        _ => ("Payment Completed", None),
    })
}

/// The download taken at the end of `month` of 2026: every order paid by then.
fn download_at(month: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, month, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + chrono::Months::new(1)
        - Duration::seconds(1)
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The download as AliExpress writes it, and its latest time (what its statuses are as of).
fn download(orders: &[Order], month: u32) -> (String, NaiveDateTime) {
    let at = download_at(month);
    let mut text = String::from(
        "sub_order_id,order_status,paid_time,finished_time,paid_amount,estimated_paid_commission,commission_rate,category_id,ship_to_country\n",
    );
    let mut latest = NaiveDateTime::MIN;
    for o in orders {
        let Some((status, time)) = as_seen(o, at) else {
            continue;
        };
        latest = latest.max(o.paid).max(time.unwrap_or(o.paid));
        text.push_str(&format!(
            "{},{status},{},{},{},{},{}%,{},ES\n",
            o.id,
            o.paid.format("%Y-%m-%d %H:%M:%S"),
            time.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
            money(o.value),
            money(o.commission),
            if o.category == "phones" {
                "9.00"
            } else {
                "7.00"
            },
            o.category
        ));
    }
    (text, latest)
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn import(db: &Path, file: &Path) -> String {
    String::from_utf8(succeed(
        affcast()
            .args(["track", "import", "--trials", "200", "--db"])
            .arg(db)
            .arg(file),
    ))
    .unwrap()
}

/// "N new, M changed, K unchanged" of an import's first line.
fn counts(said: &str) -> (usize, usize, usize) {
    let line = said.lines().next().unwrap();
    let n: Vec<usize> = line
        .split(": ")
        .nth(1)
        .unwrap()
        .split(", ")
        .take(3)
        .map(|p| p.split(' ').next().unwrap().parse().unwrap())
        .collect();
    (n[0], n[1], n[2])
}

/// The store's history as `track export` writes it: per order id, (status, seen_at,
/// previous_seen_at) in order.
fn histories(db: &Path) -> BTreeMap<String, Vec<(String, String, String)>> {
    let csv = succeed(affcast().args(["track", "export", "--db"]).arg(db));
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let mut out: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        out.entry(rec[1].to_string()).or_default().push((
            rec[10].to_string(),
            rec[14].to_string(),
            rec[15].to_string(),
        ));
    }
    out
}

fn status_word(aliexpress: &str) -> &'static str {
    match aliexpress {
        "Completed Settlement" => "settled",
        "Buyer Confirmed Receipt" => "confirmed",
        "Invalid" => "reversed",
        _ => "pending",
    }
}

fn month_of(t: NaiveDateTime) -> String {
    t.format("%Y-%m").to_string()
}

#[test]
fn a_year_of_monthly_downloads_is_remembered_as_it_happened() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    let orders = year();
    let mut seen_at = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for month in 1..=12 {
        let (text, latest) = download(&orders, month);
        let file = dir.path().join(format!("orders-2026-{month:02}.csv"));
        std::fs::write(&file, text).unwrap();
        files.push(file);
        seen_at.push(latest);
    }

    // Each import: new orders, orders whose status changed since the last download, the rest.
    for month in 1..=12u32 {
        let said = import(&db, &files[month as usize - 1]);
        let now = download_at(month);
        let before = (month > 1).then(|| download_at(month - 1));
        let (mut new, mut changed, mut unchanged) = (0, 0, 0);
        for o in &orders {
            match (before.and_then(|b| as_seen(o, b)), as_seen(o, now)) {
                (_, None) => {}
                (None, Some(_)) => new += 1,
                (Some(a), Some(b)) if a != b => changed += 1,
                _ => unchanged += 1,
            }
        }
        assert_eq!(
            counts(&said),
            (new, changed, unchanged),
            "month {month}: {said}"
        );
        if month > 1 {
            assert!(said.contains("kept the forecast of"), "{said}");
        }
    }
    // The same file again changes nothing.
    let again = import(&db, &files[5]);
    assert_eq!(counts(&again).0, 0);
    assert_eq!(counts(&again).1, 0);
    assert!(again.contains("the same file was imported on"), "{again}");
    let kept = histories(&db);
    // An older download, as other bytes, never overwrites a newer status.
    let (march, _) = download(&orders, 3);
    let reordered: String = {
        let mut lines: Vec<&str> = march.lines().collect();
        lines[1..].reverse();
        lines.join("\n") + "\n"
    };
    let older = dir.path().join("march-again.csv");
    std::fs::write(&older, reordered).unwrap();
    let said = import(&db, &older);
    assert_eq!(counts(&said).0, 0, "{said}");
    assert_eq!(counts(&said).1, 0, "{said}");
    assert!(said.contains("older than the store's"), "{said}");
    assert_eq!(
        histories(&db),
        kept,
        "the older download changed the histories"
    );

    // Every order's history: each status it went through, first seen in the download that
    // first showed it, and the download before (the last that showed the earlier status).
    let mut inferred = 0;
    for o in &orders {
        let mut expected: Vec<(String, String, String)> = Vec::new();
        let mut last: Option<(&str, Option<NaiveDateTime>)> = None;
        let mut last_seen = String::new();
        for month in 1..=12 {
            let Some(now) = as_seen(o, download_at(month)) else {
                continue;
            };
            if last != Some(now) {
                expected.push((
                    status_word(now.0).to_string(),
                    stamp(seen_at[month as usize - 1]),
                    last_seen.clone(),
                ));
                if now.0 == "Invalid" && last.is_some() {
                    inferred += 1;
                }
                last = Some(now);
            }
            last_seen = stamp(seen_at[month as usize - 1]);
        }
        if expected.is_empty() {
            continue;
        }
        assert_eq!(kept[&o.id.to_string()], expected, "order {}", o.id);
    }

    // The report: the months so far, the pipeline now, the nowcast's opening, and each kept
    // forecast's actuals as the generator counts them.
    let t = succeed_json(
        affcast()
            .args(["track", "--trials", "200", "--format", "json", "--db"])
            .arg(&db),
    );
    assert_eq!(t["imports"], 13);
    assert_eq!(t["inferred_times"], inferred);
    let end = download_at(12);
    // A reversal without a time sits in the middle of the downloads around it.
    let reversal_month = |o: &Order| -> Option<String> {
        let Fate::Reversed(t) = o.fate else {
            return None;
        };
        if t >= end {
            return None;
        }
        let first =
            (1..=12).find(|&m| as_seen(o, download_at(m)).is_some_and(|s| s.0 == "Invalid"))?;
        let first_paid = (1..=12).find(|&m| as_seen(o, download_at(m)).is_some())?;
        if first == first_paid {
            return Some(month_of(o.paid));
        }
        let (a, b) = (seen_at[first as usize - 2], seen_at[first as usize - 1]);
        Some(month_of(a + (b - a) / 2))
    };
    let mut months: BTreeMap<String, (u64, i64, i64, i64)> = BTreeMap::new();
    for o in &orders {
        let m = months.entry(month_of(o.paid)).or_default();
        m.0 += 1;
        m.1 += o.commission;
        if let Fate::Confirmed(c) = o.fate
            && c < end
        {
            months.entry(month_of(c)).or_default().2 += o.commission;
        }
        if let Some(r) = reversal_month(o) {
            months.entry(r).or_default().3 += o.commission;
        }
    }
    let cents = |v: &serde_json::Value| (v.as_f64().unwrap() * 100.0).round() as i64;
    let reported = t["months"].as_array().unwrap();
    assert_eq!(reported.len(), 12);
    for m in reported {
        let label = m["month"].as_str().unwrap();
        let (n, earned, confirmed, reversed) = months[label];
        assert_eq!(m["orders"], n, "{label}");
        assert_eq!(cents(&m["earned"]), earned, "{label} earned");
        assert_eq!(cents(&m["confirmed"]), confirmed, "{label} confirmed");
        assert_eq!(cents(&m["reversed"]), reversed, "{label} reversed");
    }
    let open: Vec<&Order> = orders
        .iter()
        .filter(|o| as_seen(o, end).is_some_and(|s| s.0 == "Payment Completed"))
        .collect();
    assert_eq!(t["pipeline"]["pending_orders"], open.len());
    assert_eq!(
        cents(&t["pipeline"]["pending"]),
        open.iter().map(|o| o.commission).sum::<i64>()
    );
    assert_eq!(t["nowcast"]["start"], "2027-01");
    assert_eq!(
        t["nowcast"]["opening_pipeline"]["pending_orders"],
        open.len()
    );

    // Kept forecasts: imports 1..=9 have their three months scored, 10 two, 11 one, 12 none.
    let fva = t["forecast_vs_actual"].as_array().unwrap();
    assert_eq!(fva.len(), (9 * 3 + 2 + 1) * 3);
    for row in fva {
        let month = row["month"].as_str().unwrap();
        let (n, earned, confirmed, _) = months[month];
        let actual = &row["actual"];
        match row["metric"].as_str().unwrap() {
            "orders" => assert_eq!(actual.as_f64().unwrap(), n as f64, "{row}"),
            "earned" => assert_eq!(cents(actual), earned, "{row}"),
            _ => assert_eq!(cents(actual), confirmed, "{row}"),
        }
        let (p10, p90, a) = (
            row["p10"].as_f64().unwrap(),
            row["p90"].as_f64().unwrap(),
            actual.as_f64().unwrap(),
        );
        assert_eq!(row["covered"], p10 <= a && a <= p90, "{row}");
        let pit = row["pit"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&pit), "{row}");
    }
    assert_eq!(t["scores"]["orders"]["points"], 30);
    // The forecasts of orders, fitted on the months before each origin, are centred on the
    // generator's 100 a month: a month's count varies by ±6 (uniform 90..=110), so a fit on
    // k months is off by 6/√k at one standard error; 4 of them, and 3 for the median of
    // whole counts.
    for row in fva
        .iter()
        .filter(|r| r["metric"] == "orders" && r["h"] == 1)
    {
        let origin = row["origin"].as_str().unwrap();
        let k = origin[5..].parse::<f64>().unwrap() - 1.0;
        let p50 = row["p50"].as_f64().unwrap();
        assert!(
            (p50 - 100.0).abs() <= 4.0 * 6.0 / k.sqrt() + 3.0,
            "orders forecast at {origin}: {p50}"
        );
    }
}

/// A store with the first three downloads of the year, and the fourth's file.
pub(crate) fn store_of_three(dir: &Path) -> (PathBuf, PathBuf) {
    let orders = year();
    let db = dir.join("site.db");
    for month in 1..=4 {
        let (text, _) = download(&orders, month);
        std::fs::write(dir.join(format!("m{month}.csv")), text).unwrap();
    }
    for month in 1..=3 {
        import(&db, &dir.join(format!("m{month}.csv")));
    }
    (db, dir.join("m4.csv"))
}

fn dump(db: &Path) -> Vec<u8> {
    succeed(affcast().args(["track", "export", "--db"]).arg(db))
}

#[test]
fn a_killed_import_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (db, april) = store_of_three(dir.path());
    let before = dump(&db);
    // Stopped dead in the middle of its rows, as a kill would: no rollback code runs.
    let out = affcast()
        .env("AFFCAST_ABORT_IMPORT_AFTER_ROWS", "150")
        .args(["track", "import", "--trials", "50", "--db"])
        .arg(&db)
        .arg(&april)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(dump(&db), before, "a half import is visible");
    // The same file imports whole afterwards.
    let said = import(&db, &april);
    assert!(counts(&said).0 > 0, "{said}");
    // Stopped after its import but before its forecast was kept: importing the file again
    // changes no order and keeps the forecast then.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let last: i64 = conn
        .query_row("SELECT max(id) FROM imports", [], |r| r.get(0))
        .unwrap();
    conn.execute("DELETE FROM forecasts WHERE import_id = ?1", [last])
        .unwrap();
    drop(conn);
    let again = import(&db, &april);
    assert_eq!(
        counts(&again),
        (0, 0, counts(&said).2 + counts(&said).0 + counts(&said).1)
    );
    assert!(
        again.contains("kept the forecast of 2026-05 to 2026-07"),
        "{again}"
    );
    let again = import(&db, &april);
    assert!(!again.contains("kept the forecast"), "{again}");
}

/// The store's page size, as SQLite reports it.
fn page_size(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_store_with_other_pages_reads_and_grows_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (db, april) = store_of_three(dir.path());
    assert_eq!(page_size(&db), 16 * 1024, "a new store's pages");
    // The same store rewritten with SQLite's default 4 KiB pages, as an older affcast made
    // them: it keeps them, and answers as the other does.
    let small = dir.path().join("small.db");
    std::fs::copy(&db, &small).unwrap();
    let conn = rusqlite::Connection::open(&small).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.pragma_update(None, "page_size", 4096).unwrap();
    conn.execute_batch("VACUUM").unwrap();
    drop(conn);
    assert_eq!(page_size(&small), 4096);
    assert_eq!(
        import(&small, &april),
        import(&db, &april).replace("site.db", "small.db")
    );
    assert_eq!(page_size(&small), 4096);
    assert_eq!(dump(&small), dump(&db));
    let report = |db: &Path| {
        succeed(
            affcast()
                .args(["track", "--trials", "50", "--format", "csv", "--db"])
                .arg(db),
        )
    };
    assert_eq!(report(&small), report(&db));
}

#[test]
fn an_import_committed_while_track_reads_means_reading_again() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = store_of_three(dir.path());
    let report = |commits: &str| {
        affcast()
            .env("AFFCAST_COMMIT_WHILE_TRACK_READS", commits)
            .args(["track", "--trials", "50", "--format", "csv", "--db"])
            .arg(&db)
            .output()
            .unwrap()
    };
    let calm = report("0");
    assert!(calm.status.success(), "{calm:?}");
    // A commit during the first read: read again, the same report.
    let once = report("1");
    assert!(once.status.success(), "{once:?}");
    assert_eq!(once.stdout, calm.stdout);
    // A commit during every read: the store is busy, nothing half read is shown.
    let always = report("3");
    assert_eq!(always.status.code(), Some(1), "{always:?}");
    assert!(always.stdout.is_empty());
    let said = String::from_utf8_lossy(&always.stderr);
    assert!(said.contains("the store is busy"), "{said}");
}

#[test]
fn a_busy_store_says_so_and_a_foreign_or_newer_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (db, april) = store_of_three(dir.path());
    // Another process writing: a clear "busy", nothing changed.
    let before = dump(&db);
    {
        let other = rusqlite::Connection::open(&db).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let out = affcast()
            .args(["track", "import", "--trials", "50", "--db"])
            .arg(&db)
            .arg(&april)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("the store is busy"), "{err}");
        other.execute_batch("ROLLBACK").unwrap();
    }
    assert_eq!(dump(&db), before);

    // A store written by a newer affcast: refused, untouched.
    let newer = dir.path().join("newer.db");
    std::fs::copy(&db, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let bytes = std::fs::read(&newer).unwrap();
    let out = affcast()
        .args(["track", "--db"])
        .arg(&newer)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("written by a newer affcast (schema 99"),
        "{err}"
    );
    assert_eq!(std::fs::read(&newer).unwrap(), bytes);

    // Not a database: reported, never recreated.
    let damaged = dir.path().join("damaged.db");
    std::fs::write(
        &damaged,
        b"these are not the bytes of a SQLite file, but long enough to be read as a header by it",
    )
    .unwrap();
    let bytes = std::fs::read(&damaged).unwrap();
    let out = affcast()
        .args(["track", "import", "--db"])
        .arg(&damaged)
        .arg(&april)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not an affcast store, or a damaged one"),
        "{err}"
    );
    assert_eq!(std::fs::read(&damaged).unwrap(), bytes);

    // A scenario in another currency than the orders: refused before anything is imported,
    // and by the report.
    let euros = dir.path().join("euros.toml");
    std::fs::write(
        &euros,
        affcast::scenario::DEFAULT_SCENARIO.replacen("currency = \"USD\"", "currency = \"EUR\"", 1),
    )
    .unwrap();
    let before = dump(&db);
    for args in [vec!["track", "import"], vec!["track"]] {
        let mut cmd = affcast();
        cmd.args(&args)
            .arg("--scenario")
            .arg(&euros)
            .arg("--db")
            .arg(&db);
        if args.len() == 2 {
            cmd.arg(&april);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("counts in EUR") && !err.contains("--pipeline"),
            "{err}"
        );
    }
    assert_eq!(dump(&db), before);

    // No store yet: the report says how to make one.
    let out = affcast()
        .args(["track", "--db"])
        .arg(dir.path().join("none.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("track import EXPORT"));
}

#[test]
fn fit_reads_the_store_and_forgets_before_since() {
    let dir = tempfile::tempdir().unwrap();
    let (db, april) = store_of_three(dir.path());
    import(&db, &april);
    let (all, said) = crate::common::succeed_saying(affcast().args(["fit", "--db"]).arg(&db));
    let all = String::from_utf8(all).unwrap();
    let said = String::from_utf8(said).unwrap();
    assert!(all.contains("[[categories]]"), "{all}");
    // The store holds what the last download holds: the same orders as fitting that file.
    let records = |text: &str| -> String {
        text.lines()
            .find(|l| l.starts_with("fit: ") && l.contains(" records in "))
            .unwrap()
            .split(" records")
            .next()
            .unwrap()
            .to_string()
    };
    let (_, from_file) = crate::common::succeed_saying(affcast().arg("fit").arg(&april));
    let from_file = String::from_utf8(from_file).unwrap();
    assert_eq!(
        records(&said).split(' ').nth(1),
        records(&from_file).split(' ').nth(1),
        "{said}\n{from_file}"
    );
    assert!(
        said.contains("timed by the downloads around them"),
        "{said}"
    );
    let (_, since) = crate::common::succeed_saying(
        affcast()
            .args(["fit", "--since", "2026-03", "--db"])
            .arg(&db),
    );
    let since = String::from_utf8(since).unwrap();
    let orders = year();
    let expected = orders
        .iter()
        .filter(|o| {
            o.paid
                >= NaiveDate::from_ymd_opt(2026, 3, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                && o.paid < download_at(4)
        })
        .count();
    assert!(
        since.contains(&format!("fit: {expected} AliExpress records")),
        "{since}"
    );
}

#[test]
fn the_report_and_the_other_formats_show_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (db, april) = store_of_three(dir.path());
    import(&db, &april);
    let pending = year()
        .iter()
        .filter(|o| as_seen(o, download_at(4)).is_some_and(|s| s.0 == "Payment Completed"))
        .count();
    // The HTML report's section, in Portuguese.
    let html = dir.path().join("r.html");
    succeed(
        affcast()
            .args(["report", "--trials", "100", "--lang", "pt", "--db"])
            .arg(&db)
            .arg("--output")
            .arg(&html),
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<section id=\"mydata\"><h2>Seus pedidos até agora</h2>"));
    assert!(
        page.contains(&format!("No fluxo agora: {pending} pedidos pendentes")),
        "the pipeline in Portuguese"
    );
    // The table, Markdown and CSV say the same store.
    let table = String::from_utf8(succeed(
        affcast()
            .args(["track", "--format", "table", "--db"])
            .arg(&db),
    ))
    .unwrap();
    assert!(
        table.contains(&format!("In the pipeline now: {pending} pending orders")),
        "{table}"
    );
    assert!(table.contains("│ 2026-04 "), "{table}");
    let md = String::from_utf8(succeed(
        affcast()
            .args(["track", "--format", "markdown", "--db"])
            .arg(&db),
    ))
    .unwrap();
    assert!(md.contains("## How right the kept forecasts were"), "{md}");
    let csv = String::from_utf8(succeed(
        affcast()
            .args(["track", "--format", "csv", "--db"])
            .arg(&db),
    ))
    .unwrap();
    let pipeline_row = csv
        .lines()
        .find(|l| l.starts_with("pipeline,,,pending_orders,"))
        .unwrap();
    assert!(
        pipeline_row.starts_with(&format!("pipeline,,,pending_orders,{pending},")),
        "{csv}"
    );
}

#[test]
fn a_backtest_of_the_store_times_reversals_by_its_downloads() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("site.db");
    let orders = year();
    let mut last = PathBuf::new();
    for month in 1..=12 {
        let (text, _) = download(&orders, month);
        last = dir.path().join(format!("m{month}.csv"));
        std::fs::write(&last, text).unwrap();
        import(&db, &last);
    }
    let clicks = dir.path().join("clicks.csv");
    let mut text = String::from("month,clicks\n");
    for month in 1..=12 {
        text.push_str(&format!("2026-{month:02},10000\n"));
    }
    std::fs::write(&clicks, text).unwrap();
    let run = |source: &[&std::ffi::OsStr]| {
        succeed_json(
            affcast()
                .args([
                    "backtest",
                    "--trials",
                    "50",
                    "--origins",
                    "3",
                    "--format",
                    "json",
                    "--clicks",
                ])
                .arg(&clicks)
                .args(source),
        )
    };
    let from_file = run(&[last.as_os_str()]);
    let from_store = run(&["--db".as_ref(), db.as_os_str()]);
    // The last download gives no "Invalid" order a time; the store times every one it saw
    // change, leaving only those first seen already reversed.
    let untimed_file = from_file["reversed_without_time"].as_u64().unwrap();
    let untimed_store = from_store["reversed_without_time"].as_u64().unwrap();
    let first_seen_reversed = orders
        .iter()
        .filter(|o| {
            let first = (1..=12).find(|&m| as_seen(o, download_at(m)).is_some());
            first.is_some_and(|m| as_seen(o, download_at(m)).unwrap().0 == "Invalid")
        })
        .count() as u64;
    let reversed = orders
        .iter()
        .filter(|o| as_seen(o, download_at(12)).is_some_and(|s| s.0 == "Invalid"))
        .count() as u64;
    assert_eq!(untimed_file, reversed);
    assert_eq!(untimed_store, first_seen_reversed);
    assert!(untimed_store < untimed_file);
}
