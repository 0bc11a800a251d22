//! The server's bounds, through a real server on a loopback port: one memory budget for all
//! running jobs, a bounded load, runs stopped when their client leaves (`fit` too), and
//! connections that are half-closed, idle or slow.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use affcast::app::{ForecastJob, RunOptions, SensitivityJob, Swing};
use affcast::stats::Objective;

use crate::serve::{Client, Server, TOML, default_scenario, json};

fn health(s: &Server) -> serde_json::Value {
    json(&s.get("/api/health").1)
}

/// Sends a request on a new connection and returns the connection, still open.
fn send(s: &Server, path: &str, content_type: &str, body: &[u8]) -> TcpStream {
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(
        c,
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        s.addr,
        body.len()
    )
    .unwrap();
    c.write_all(body).unwrap();
    c
}

/// The status and body of the answer on a connection, read to its end (the test never
/// waits forever: two minutes at most).
fn answer(mut c: TcpStream) -> (u16, String) {
    c.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut text = String::new();
    c.read_to_string(&mut text).unwrap();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_string())
}

/// Polls `/api/health` until `busy` is `n`; at most `tries` polls, 100 ms apart.
fn wait_busy(s: &Server, n: u64, tries: usize) -> bool {
    (0..tries).any(|_| {
        if health(s)["busy"].as_u64() == Some(n) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
        false
    })
}

/// The default scenario with ten clicks a month: a forecast of many trials takes seconds.
fn quiet_scenario() -> String {
    let quiet = default_scenario().replace(
        "clicks_per_month = { low = 20000, high = 40000 }",
        "clicks_per_month = 10",
    );
    assert_ne!(quiet, default_scenario());
    quiet
}

fn run(trials: u32) -> RunOptions {
    RunOptions::new(Some(i64::from(trials)), None, None, 0, false).unwrap()
}

/// What the server reserves for a forecast of `text` with `trials` trials.
fn forecast_bytes(text: &str, trials: u32) -> f64 {
    let (sc, _) = affcast::scenario::parse_with_provenance(text, "scenario.toml").unwrap();
    ForecastJob::new(sc, None, run(trials))
        .unwrap()
        .work()
        .bytes
}

/// What the server reserves for a sensitivity sweep of `text` with `trials` trials.
fn sensitivity_bytes(text: &str, trials: u32) -> f64 {
    let (sc, _) = affcast::scenario::parse_with_provenance(text, "scenario.toml").unwrap();
    let swing = Swing::new(0.2).unwrap();
    SensitivityJob::new(sc, swing, Objective::RunRateCash, run(trials))
        .work()
        .bytes
}

/// The server's peak resident memory (Linux), bytes.
fn peak_memory(s: &Server) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", s.child.id())).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb * 1024.0)
}

#[test]
fn the_memory_budget_is_shared_by_every_running_job() {
    let budget = 0.6e9;
    let s = Server::start_with(&["--jobs", "3", "--memory", "0.6"]);
    assert_eq!(health(&s)["memory_budget"].as_f64(), Some(budget));
    // A sweep of minutes holds a third of the budget: its estimate, exactly.
    let scenario = default_scenario();
    let sweep = (budget / 3.0 / (sensitivity_bytes(&scenario, 1000) / 1000.0)) as u32;
    assert!(sweep >= 2000, "a sweep of {sweep} trials runs for minutes");
    let held = sensitivity_bytes(&scenario, sweep);
    let holder = send(
        &s,
        &format!("/api/sensitivity?trials={sweep}"),
        TOML,
        scenario.as_bytes(),
    );
    assert!(wait_busy(&s, 1, 300), "the sweep started");
    assert_eq!(health(&s)["memory_reserved"].as_f64(), Some(held.ceil()));
    // Forecasts that fit beside it, that fit only alone, and that never fit.
    let quiet = quiet_scenario();
    let per_trial = forecast_bytes(&quiet, 1000) / 1000.0;
    let trials = |bytes: f64| (bytes / per_trial) as u32;
    let (beside, alone, never) = (
        trials(0.9 * (budget - held)),
        trials(1.1 * (budget - held)),
        trials(1.1 * budget),
    );
    assert!(held < 0.6 * budget && forecast_bytes(&quiet, alone) <= budget);
    assert!(forecast_bytes(&quiet, alone) > budget - held);
    let post = |trials: u32| {
        s.post(
            &format!("/api/forecast?trials={trials}"),
            TOML,
            quiet.as_bytes(),
        )
    };
    let (code, body) = post(beside);
    assert_eq!(code, 200, "{body}");
    // What is left is too little: told to come back, with when.
    let r = Client::agent()
        .post(&s.url(&format!("/api/forecast?trials={alone}")))
        .header("Content-Type", TOML)
        .send(quiet.as_bytes())
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(r.headers().get("retry-after").unwrap(), "5");
    let text = r.into_body().read_to_string().unwrap();
    assert!(
        json(&text)["error"]
            .as_str()
            .unwrap()
            .contains("memory budget"),
        "{text}"
    );
    // More than the whole budget: retrying cannot help, and the answer says what would.
    let (code, body) = post(never);
    assert_eq!(code, 422, "{body}");
    assert!(body.contains("--memory"), "{body}");
    // The sweep's client leaves: the run stops and gives its memory back.
    drop(holder);
    assert!(wait_busy(&s, 0, 300), "the abandoned sweep was stopped");
    let h = health(&s);
    assert_eq!(h["memory_reserved"].as_u64(), Some(0));
    assert_eq!(h["cancelled"].as_u64(), Some(1));
    let (code, body) = post(alone);
    assert_eq!(code, 200, "{body}");
    // The server never held much more than its budget (its own few megabytes beside).
    if let Some(peak) = peak_memory(&s) {
        eprintln!(
            "peak resident memory: {:.0} MB of a {:.0} MB budget",
            peak / 1e6,
            budget / 1e6
        );
        assert!(peak < budget + 50e6, "peak {peak} bytes");
    }
}

#[test]
fn a_bad_memory_budget_is_refused() {
    for bad in ["0", "-1", "NaN", "inf"] {
        let out = crate::common::affcast()
            .args(["serve", "--port", "0", &format!("--memory={bad}")])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--memory"),
            "{bad}"
        );
    }
}

/// An AliExpress-style CSV of `orders` orders, several megabytes: reading takes seconds.
fn big_export(orders: usize) -> String {
    let mut csv = String::from(
        "sub_order_id,order_status,paid_time,finished_time,paid_amount,estimated_paid_commission,commission_rate,category_id,ship_to_country\n",
    );
    for i in 0..orders {
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "{},Completed Settlement,2026-01-{day:02} 05:06:26,2026-03-{day:02} 05:06:26,8.97,0.63,7.00%,garden,ES\n",
            8_000_000 + i
        ));
    }
    csv
}

#[test]
fn a_fit_whose_client_stops_sending_is_stopped_and_told_why() {
    let s = Server::start("1");
    let export = big_export(400_000);
    // The request is sent whole, then the client's side closed: the server cannot tell this
    // from a client that left, and stops reading the export.
    let c = send(&s, "/api/fit", "text/csv", export.as_bytes());
    c.shutdown(Shutdown::Write).unwrap();
    let (code, body) = answer(c);
    assert_eq!(code, 400, "{body}");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("stopped sending")
    );
    let h = health(&s);
    assert_eq!(h["cancelled"].as_u64(), Some(1), "{h}");
    assert_eq!(h["busy"].as_u64(), Some(0), "{h}");
    assert_eq!(h["memory_reserved"].as_u64(), Some(0), "{h}");
    // Kept open, the same export is fitted.
    let (code, body) = s.post("/api/fit", "text/csv", export.as_bytes());
    assert_eq!(code, 200, "{}", &body[..body.len().min(300)]);
}

#[test]
fn a_client_that_half_closes_gets_its_answer() {
    let s = Server::start("1");
    // A request without a simulation is answered after the client closed its side.
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(c, "GET /api/health HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr).unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    let (code, body) = answer(c);
    assert_eq!(code, 200);
    assert_eq!(json(&body)["ok"], serde_json::json!(true));
    let c = send(&s, "/api/validate", TOML, default_scenario().as_bytes());
    c.shutdown(Shutdown::Write).unwrap();
    let (code, body) = answer(c);
    assert_eq!(code, 200);
    assert_eq!(json(&body)["ok"], serde_json::json!(true));
    // A simulation of minutes is stopped, as for a client that left, and the answer says so.
    let scenario = default_scenario();
    let c = send(
        &s,
        "/api/sensitivity?trials=5000",
        TOML,
        scenario.as_bytes(),
    );
    c.shutdown(Shutdown::Write).unwrap();
    let (code, body) = answer(c);
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("keep the connection open"), "{body}");
    assert_eq!(health(&s)["cancelled"].as_u64(), Some(1));
}

#[test]
fn a_bounded_load_is_answered_200_or_503_and_a_client_that_leaves_cancels_its_run() {
    let s = Server::start("1");
    let scenario = default_scenario();
    // A run of minutes holds the one slot: a sensitivity sweep of 5000 trials per variant.
    let long = send(
        &s,
        "/api/sensitivity?trials=5000",
        TOML,
        scenario.as_bytes(),
    );
    assert!(wait_busy(&s, 1, 300), "the long run started");
    // Twenty forecasts at once while it runs: each is answered, 503 with Retry-After.
    let codes: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|_| {
                scope.spawn(|| {
                    s.post("/api/forecast?trials=200", TOML, scenario.as_bytes())
                        .0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(codes.iter().all(|&c| c == 200 || c == 503), "{codes:?}");
    assert!(
        codes.contains(&503),
        "a busy slot is said, not queued: {codes:?}"
    );
    let retry = Client::agent()
        .post(&s.url("/api/forecast"))
        .header("Content-Type", TOML)
        .send(scenario.as_bytes())
        .unwrap();
    if retry.status().as_u16() == 503 {
        assert_eq!(retry.headers().get("retry-after").unwrap(), "1");
    }
    // The client of the long run goes away: its run stops and frees the slot (a sweep of
    // minutes stops within seconds: every trial checks the flag).
    drop(long);
    assert!(wait_busy(&s, 0, 300), "the abandoned run was cancelled");
    assert_eq!(health(&s)["cancelled"].as_u64(), Some(1));
    let (code, _) = s.post("/api/forecast?trials=200", TOML, scenario.as_bytes());
    assert_eq!(code, 200);
    // Memory stays bounded: the resident size after the load (Linux).
    if let Some(peak) = peak_memory(&s) {
        assert!(peak < 500e6, "the server held {peak} bytes");
    }
}

#[test]
fn idle_and_slow_connections_are_closed_by_the_server() {
    let idle = std::time::Duration::from_secs(1);
    let s = Server::start_with(&["--idle-timeout", "1"]);
    let port = s.addr.rsplit(':').next().unwrap().to_string();
    // Nothing sent; half a request's headers; a whole request, then nothing (kept alive).
    let sends = [
        String::new(),
        format!("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"),
        format!("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    ];
    let clients: Vec<_> = sends
        .into_iter()
        .map(|send| {
            let addr = s.addr.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&addr).unwrap();
                stream.write_all(send.as_bytes()).unwrap();
                // Far longer than the server's idle timeout, shorter than its default: the
                // test never waits forever, and fails if the flag is not heeded.
                let wait = idle * 6;
                stream.set_read_timeout(Some(wait)).unwrap();
                let mut answer = Vec::new();
                // Ends at the server's close (Ok); a timeout would be an error.
                stream.read_to_end(&mut answer).map(|_| answer)
            })
        })
        .collect();
    for (i, c) in clients.into_iter().enumerate() {
        let answer = c.join().unwrap();
        assert!(answer.is_ok(), "connection {i} was left open: {answer:?}");
        if i == 2 {
            assert!(answer.unwrap().starts_with(b"HTTP/1.1 200"));
        }
    }
}
