//! The order store at scale: 1,000,000 orders of a year in twelve monthly downloads, each
//! listing the orders whose status changed in its month (paid, confirmed, settled, voided:
//! AliExpress lists orders by the time of each status), about 1.9 million rows in all,
//! imported one by one as `affcast track import`, then `affcast track`. Each import keeps the
//! forecast of its next three months from a scenario fitted once on the first download.
//!
//! `cargo bench --bench track` (peak memory through `/usr/bin/time -v` where it exists).
//! `AFFCAST_TRACK_ORDERS=N` changes the number of orders, `AFFCAST_TRACK_TRIALS=N` the
//! worlds of each forecast (200, the track's own); `AFFCAST_TRACK_DIR=DIR` keeps the
//! files and the store in DIR.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

/// A fixed linear congruential stream: the same files on every run.
struct Stream(u64);

impl Stream {
    fn below(&mut self, m: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % m
    }
}

struct Order {
    id: u64,
    paid: NaiveDateTime,
    cents: u64,
    rate: u64,
    category: &'static str,
    country: &'static str,
    page: u64,
    /// Days to confirmation (> 0), to an untimed reversal (< 0), or never (0).
    fate: i64,
}

fn orders(n: u64) -> Vec<Order> {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut s = Stream(7);
    let mut out: Vec<Order> = (0..n)
        .map(|i| {
            let paid = start + Duration::seconds(s.below(365 * 86_400) as i64);
            let (category, rate) =
                [("phones", 9), ("garden", 7), ("tools", 5)][s.below(3) as usize];
            let roll = s.below(100);
            let fate = if roll < 85 {
                10 + s.below(51) as i64
            } else if roll < 95 {
                -(2 + s.below(39) as i64)
            } else {
                0
            };
            Order {
                id: 80_000_000 + i,
                paid,
                cents: 300 + s.below(5_000),
                rate,
                category,
                country: ["ES", "FR", "PL", "BR"][s.below(4) as usize],
                page: s.below(200),
                fate,
            }
        })
        .collect();
    out.sort_by_key(|o| o.paid);
    out
}

fn month_start(m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + chrono::Months::new(m - 1)
}

/// When an order's status changes: paid, then confirmed (and settled on the next 25th), or
/// voided ("Invalid", no time in the export) after its days, or at 180 days unconfirmed.
fn changes(o: &Order) -> Vec<(NaiveDateTime, &'static str, bool)> {
    let mut out = vec![(o.paid, "Payment Completed", false)];
    match o.fate {
        f if f > 0 => {
            let at = o.paid + Duration::days(f);
            out.push((at, "Buyer Confirmed Receipt", true));
            let d = at.date();
            let mut settle = NaiveDate::from_ymd_opt(d.year(), d.month(), 25).unwrap();
            if d >= settle {
                settle = settle + chrono::Months::new(1);
            }
            out.push((
                settle.and_hms_opt(0, 0, 0).unwrap(),
                "Completed Settlement",
                true,
            ));
        }
        f if f < 0 => out.push((o.paid + Duration::days(-f), "Invalid", false)),
        _ => out.push((o.paid + Duration::days(180), "Invalid", false)),
    }
    out
}

/// The download at the end of month `m`: each order whose status changed in the month, with
/// its status at the month's end.
fn write_download(path: &Path, orders: &[Order], m: u32) {
    let from = month_start(m);
    let end = from + chrono::Months::new(1) - Duration::seconds(1);
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(w, "sub_order_id,order_status,paid_time,finished_time,paid_amount,estimated_paid_commission,commission_rate,category_id,ship_to_country,tracking_id").unwrap();
    let time = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
    for o in orders
        .iter()
        .filter(|o| o.paid <= end && o.paid >= from - Duration::days(200))
    {
        let steps = changes(o);
        if !steps.iter().any(|(t, _, _)| *t >= from && *t <= end) {
            continue;
        }
        let (confirmed_at, status) = steps
            .iter()
            .filter(|(t, _, _)| *t <= end)
            .fold((None, ""), |(c, _), (t, s, timed)| {
                (if *timed && c.is_none() { Some(*t) } else { c }, *s)
            });
        let finished = confirmed_at.map(time).unwrap_or_default();
        let commission = o.cents * o.rate / 100;
        writeln!(
            w,
            "{},{status},{},{finished},{}.{:02},{}.{:02},{}.00%,{},{},page-{}",
            o.id,
            time(o.paid),
            o.cents / 100,
            o.cents % 100,
            commission / 100,
            commission % 100,
            o.rate,
            o.category,
            o.country,
            o.page
        )
        .unwrap();
    }
}

/// Runs the binary, timed, with its peak memory where `/usr/bin/time` can tell it.
fn timed(args: &[&std::ffi::OsStr]) -> (f64, Option<u64>, String) {
    let bin = env!("CARGO_BIN_EXE_affcast");
    let gnu_time = Path::new("/usr/bin/time");
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-f").arg("peak_kb=%M").arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args);
    let t = Instant::now();
    let out = cmd.output().unwrap();
    let secs = t.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{err}");
    let peak = err
        .lines()
        .find_map(|l| l.strip_prefix("peak_kb="))
        .and_then(|v| v.trim().parse().ok());
    (secs, peak, String::from_utf8_lossy(&out.stdout).to_string())
}

fn main() {
    let n: u64 = std::env::var("AFFCAST_TRACK_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    // AFFCAST_TRACK_DIR=DIR keeps the files and the store there.
    let kept = std::env::var_os("AFFCAST_TRACK_DIR").map(PathBuf::from);
    let dir: &Path = kept.as_deref().unwrap_or(dir.path());
    std::fs::create_dir_all(dir).unwrap();
    let _ = std::fs::remove_file(dir.join("site.db"));
    let all = orders(n);
    let files: Vec<PathBuf> = (1..=12)
        .map(|m| {
            let p = dir.join(format!("orders-2026-{m:02}.csv"));
            write_download(&p, &all, m);
            p
        })
        .collect();
    drop(all);
    let scenario = dir.join("site.toml");
    let (_, _, _) = timed(&[
        "fit".as_ref(),
        files[0].as_os_str(),
        "--output".as_ref(),
        scenario.as_os_str(),
    ]);
    let db = dir.join("site.db");
    // AFFCAST_TRACK_TRIALS=N: the worlds of each kept forecast and of the report.
    let trials = std::env::var("AFFCAST_TRACK_TRIALS").unwrap_or_else(|_| "200".into());
    let mut total = 0.0;
    let mut peak = 0;
    for f in &files {
        let (secs, kb, said) = timed(&[
            "track".as_ref(),
            "import".as_ref(),
            "--trials".as_ref(),
            trials.as_ref(),
            "--scenario".as_ref(),
            scenario.as_os_str(),
            "--db".as_ref(),
            db.as_os_str(),
            f.as_os_str(),
        ]);
        total += secs;
        peak = peak.max(kb.unwrap_or(0));
        println!(
            "track/import {}: {secs:.2} s, peak {} MB — {}",
            f.file_name().unwrap().to_string_lossy(),
            kb.unwrap_or(0) / 1024,
            said.lines().next().unwrap_or("")
        );
    }
    println!(
        "track/import-all: {n} orders, 12 downloads: {total:.1} s, peak {} MB, store {} MB",
        peak / 1024,
        std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) >> 20
    );
    for _ in 0..3 {
        let (secs, kb, _) = timed(&[
            "track".as_ref(),
            "--trials".as_ref(),
            trials.as_ref(),
            "--scenario".as_ref(),
            scenario.as_os_str(),
            "--db".as_ref(),
            db.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        println!(
            "track/report: {secs:.2} s, peak {} MB",
            kb.unwrap_or(0) / 1024
        );
    }
}
