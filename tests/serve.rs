//! `affcast serve` through a real server on an ephemeral loopback port: every endpoint,
//! every refusal, and a bounded load test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server, stopped when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    client: Client,
}

/// Requests to a server at an address.
pub(crate) struct Client {
    pub(crate) addr: String,
}

impl std::ops::Deref for Server {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Server {
    pub(crate) fn start(jobs: &str) -> Server {
        Server::start_with(&["--jobs", jobs])
    }

    /// A server started with `args` beside `serve --port 0`.
    pub(crate) fn start_with(args: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("affcast"))
            .args(["serve", "--port", "0"])
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        // The address is the first line on stderr, printed once it listens.
        let mut line = String::new();
        BufReader::new(child.stderr.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server {
            child,
            client: Client { addr },
        }
    }
}

impl Client {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub(crate) fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into()
    }

    /// POSTs `body` as `content_type`; returns the status and the body.
    pub(crate) fn post(&self, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
        let mut r = Self::agent()
            .post(&self.url(path))
            .header("Content-Type", content_type)
            .send(body)
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    }

    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let mut r = Self::agent().get(&self.url(path)).call().unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    }

    /// A raw request with its own `Host` header (the HTTP client would send the right one).
    fn raw_status(&self, request: &str) -> u16 {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {answer:?}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) const TOML: &str = "application/toml";

pub(crate) fn default_scenario() -> String {
    affcast::scenario::DEFAULT_SCENARIO.to_string()
}

/// A file of `tests/fixtures`.
fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn every_endpoint_answers_as_the_commands_do() {
    let s = Server::start("2");
    let (code, body) = s.get("/api/health");
    assert_eq!(code, 200);
    assert_eq!(json(&body)["ok"], true);
    let (code, body) = s.get("/api/default");
    assert_eq!(
        (code, body.as_str()),
        (200, affcast::scenario::DEFAULT_SCENARIO)
    );
    let (code, body) = s.get("/");
    assert_eq!(code, 200);
    assert!(
        body.contains("<title>affcast") && !body.contains("src=\"http"),
        "self-contained"
    );
    let (code, body) = s.get("/api/params");
    assert_eq!(code, 200);
    assert!(
        json(&body)
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["key"] == "clicks_per_month")
    );

    // The forecast is the command's JSON, byte for byte.
    let (code, body) = s.post(
        "/api/forecast?trials=50&seed=7",
        TOML,
        default_scenario().as_bytes(),
    );
    assert_eq!(code, 200, "{body}");
    let cli = crate::common::succeed(crate::common::affcast().args([
        "forecast", "--trials", "50", "--seed", "7", "--format", "json",
    ]));
    assert_eq!(body.as_bytes(), &cli[..]);

    let (code, body) = s.post("/api/validate", TOML, default_scenario().as_bytes());
    assert_eq!(
        (code, json(&body)["ok"].clone()),
        (200, serde_json::json!(true))
    );
    let bad = default_scenario().replace("refund_rate = 0.05", "refund_rate = 1.4");
    let (code, body) = s.post("/api/validate", TOML, bad.as_bytes());
    assert_eq!(code, 200);
    let v = json(&body);
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"][0]["path"], "categories[0].refund_rate");
    assert!(v["errors"][0]["message"].as_str().unwrap().contains("1.4"));

    let (code, body) = s.post(
        "/api/compare?trials=40&objective=total_cash",
        TOML,
        default_scenario().as_bytes(),
    );
    assert_eq!(code, 200, "{body}");
    assert_eq!(json(&body)["objective"], "total_cash");
    let (code, body) = s.post(
        "/api/sensitivity?trials=20",
        TOML,
        default_scenario().as_bytes(),
    );
    assert_eq!(code, 200, "{body}");
    assert!(json(&body)["inputs"].as_array().unwrap().len() > 10);
    let (code, body) = s.post("/api/report?trials=40", TOML, default_scenario().as_bytes());
    assert_eq!(code, 200);
    assert!(body.starts_with("<!doctype html>"));

    let export = fixture("backtest-orders.csv");
    let (code, body) = s.post("/api/fit?by=category&clicks=180000", "text/csv", &export);
    assert_eq!(code, 200, "{body}");
    let v = json(&body);
    assert!(v["scenario"].as_str().unwrap().contains("[[categories]]"));
    assert!(v["by_category"].as_array().unwrap().len() >= 2);
}

#[test]
fn every_refusal_is_an_answer() {
    let s = Server::start("1");
    let scenario = default_scenario();
    // 415: another content type, as a cross-site form would send.
    for t in [
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data",
    ] {
        let (code, _) = s.post("/api/forecast", t, scenario.as_bytes());
        assert_eq!(code, 415, "{t}");
    }
    let (code, _) = s.post("/api/fit", "text/plain", b"a,b\n1,2\n");
    assert_eq!(code, 415);
    // 400 with key paths; a bad query flag.
    let (code, body) = s.post("/api/forecast", TOML, b"months = 500\n");
    assert_eq!(code, 400);
    assert!(
        json(&body)["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == "months")
    );
    let (code, body) = s.post("/api/forecast?trials=lots", TOML, scenario.as_bytes());
    assert_eq!(code, 400);
    assert!(body.contains("trials"), "{body}");
    let (code, _) = s.post("/api/fit", "text/csv", b"not,an,export\n1,2,3\n");
    assert_eq!(code, 400);
    // 413 past the body limit.
    let big = vec![b'#'; affcast::serve::SCENARIO_LIMIT + 1];
    let (code, body) = s.post("/api/forecast", TOML, &big);
    assert_eq!(code, 413);
    // In JSON, like every other error.
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("larger than the limit"),
        "{body}"
    );
    // 422: work over the command line's limit.
    let huge = scenario.replace(
        "clicks_per_month = { low = 20000, high = 40000 }",
        "clicks_per_month = 1000000000",
    );
    let (code, body) = s.post("/api/forecast", TOML, huge.as_bytes());
    assert_eq!(code, 422, "{body}");
    // It says what drives the work and how to lower it, in the page's terms, not flags.
    let said = json(&body)["error"].as_str().unwrap().to_string();
    assert!(
        said.contains("traffic.clicks_per_month") && said.contains("lower the trials"),
        "{said}"
    );
    assert!(
        !said.contains("--"),
        "no command-line flag on the page: {said}"
    );
    // 403: a foreign Host (DNS rebinding) and a cross-site form post to a foreign name.
    let port = s.addr.rsplit(':').next().unwrap();
    assert_eq!(
        s.raw_status("GET /api/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"),
        403
    );
    assert_eq!(
        s.raw_status(&format!(
            "POST /api/forecast HTTP/1.1\r\nHost: attacker.example:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b"
        )),
        403
    );
    assert_eq!(
        s.raw_status(&format!(
            "GET /api/health HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
        )),
        200
    );
    // Two Host headers: which one is meant cannot be told.
    assert_eq!(
        s.raw_status(&format!(
            "GET /api/health HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        )),
        400
    );
    // The server is still healthy.
    assert_eq!(s.get("/api/health").0, 200);
}

#[test]
fn a_non_loopback_bind_is_refused() {
    let out = crate::common::affcast()
        .args(["serve", "--bind", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a loopback address"));
}

mod fuzzed {
    use proptest::prelude::*;

    use super::{Client, Server, json};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any body, content type and query: an answer (never a crash), and the server
        /// healthy after.
        #[test]
        fn no_request_crashes_the_server(
            path in prop::sample::select(vec!["/api/validate", "/api/forecast", "/api/compare", "/api/sensitivity", "/api/fit", "/api/report"]),
            content_type in prop::sample::select(vec!["application/toml", "text/csv", "application/json", "text/plain", "", "application/toml; charset=utf-8"]),
            query in "[a-z=&0-9.%-]{0,30}",
            body in prop::collection::vec(any::<u8>(), 0..400),
            toml_like in "[\\[\\]a-z_ =\"0-9.{},\n-]{0,300}",
            use_toml in any::<bool>(),
        ) {
            let s = Client { addr: SERVER.with(|s| s.addr.clone()) };
            let body = if use_toml { toml_like.into_bytes() } else { body };
            // A few trials only: a random scenario that happens to be valid runs quickly.
            let url = format!("{path}?trials=3&{query}");
            let (code, _) = s.post(&url, content_type, &body);
            prop_assert!([200, 400, 413, 415, 422, 503].contains(&code), "{url} {content_type}: {code}");
            let (health, text) = s.get("/api/health");
            prop_assert_eq!(health, 200);
            prop_assert_eq!(json(&text)["ok"].clone(), serde_json::json!(true));
        }
    }

    thread_local! {
        static SERVER: Server = Server::start("1");
    }
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut s = Server::start("1");
    assert_eq!(s.get("/api/health").0, 200);
    let pid = s.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let status = s.child.wait().unwrap();
    assert!(status.success(), "exit after Ctrl-C: {status:?}");
    let mut rest = String::new();
    let _ = s.child.stderr.take().unwrap().read_to_string(&mut rest);
    assert!(rest.contains("stopping"), "{rest}");
}

#[test]
fn a_fitted_exports_open_orders_open_the_forecast_and_the_report() {
    let s = Server::start("2");
    let orders = fixture("backtest-orders.csv");
    let (code, body) = s.post("/api/fit?name=orders.csv", "text/csv", &orders);
    assert_eq!(code, 200, "{body}");
    let fitted = json(&body);
    let id = fitted["pipeline"]["id"].as_u64().unwrap();
    let summary = &fitted["pipeline"]["summary"];
    assert_eq!(summary["pending_orders"], 112);
    assert_eq!(summary["pending"], "191.08");
    let scenario = fitted["scenario"].as_str().unwrap();
    // The forecast opens with the same pending money the summary counted.
    let (code, body) = s.post(
        &format!("/api/forecast?trials=50&pipeline={id}"),
        TOML,
        scenario.as_bytes(),
    );
    assert_eq!(code, 200, "{body}");
    let opening = &json(&body)["opening_pipeline"];
    assert_eq!(opening["pending_orders"], 112);
    assert_eq!(opening["pending"], 191.08);
    // So does the report's.
    let (code, page) = s.post(
        &format!("/api/report?trials=50&pipeline={id}"),
        TOML,
        scenario.as_bytes(),
    );
    assert_eq!(code, 200);
    assert!(
        page.contains(
            "Opening pipeline from the export as of 2027-08-31 20:54: 112 pending orders"
        ),
        "the report's notes"
    );
    // An id the server does not hold: 410, said without a flag's name.
    let (code, body) = s.post("/api/forecast?pipeline=999", TOML, scenario.as_bytes());
    assert_eq!(code, 410);
    let error = json(&body)["error"].as_str().unwrap().to_string();
    assert!(
        error.starts_with("pipeline: export 999 is no longer held"),
        "{error}"
    );
}

#[test]
fn the_page_is_served_in_the_language_asked_for() {
    let s = Server::start("1");
    let (_, page) = s.get("/?lang=pt");
    assert!(
        page.starts_with("<!doctype html>\n<html lang=\"pt\">"),
        "{}",
        &page[..40]
    );
    let (_, page) = s.get("/");
    assert!(page.starts_with("<!doctype html>\n<html lang=\"en\">"));
    let r = Client::agent()
        .get(&s.url("/"))
        .header("Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5")
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(r.starts_with("<!doctype html>\n<html lang=\"fr\">"));
    // The report the page downloads is written in the page's language.
    let (code, report) = s.post(
        "/api/report?trials=40&lang=es",
        TOML,
        default_scenario().as_bytes(),
    );
    assert_eq!(code, 200);
    assert!(report.starts_with("<!doctype html>\n<html lang=\"es\">"));
    assert!(report.contains("Cifras mensuales"), "Spanish headings");
}

#[test]
fn notes_are_said_in_the_asked_language_and_the_documents_stay_the_same() {
    let s = Server::start("1");
    // The fit's notes: in English with the command line's prefixes, and said in Portuguese.
    let orders = fixture("backtest-orders.csv");
    let (code, body) = s.post(
        "/api/fit?name=orders.csv&clicks=20000&lang=pt",
        "text/csv",
        &orders,
    );
    assert_eq!(code, 200, "{body}");
    let fitted = json(&body);
    let notes = fitted["notes"].as_array().unwrap();
    let said: Vec<&str> = fitted["said"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(said.len(), notes.len(), "{said:?}");
    assert_eq!(
        notes[0],
        "affcast: note: read as an AliExpress export (detected from its fields; --source says otherwise)"
    );
    assert_eq!(
        said[0],
        "lida como exportação AliExpress (reconhecida pelos campos)"
    );
    assert!(
        said.contains(&"1861 registros AliExpress em USD de 2026-01-01 a 2027-08-31 (20,0 meses)"),
        "{said:?}"
    );
    for n in &said {
        assert!(
            !n.starts_with("fit:") && !n.contains("affcast: note") && !n.contains("--"),
            "{n}"
        );
    }
    let (_, english) = s.post("/api/fit?name=orders.csv&clicks=20000", "text/csv", &orders);
    assert!(json(&english).get("said").is_none());

    // A forecast's notes: two months see no cash. The document is the same with or without a
    // language, keys in the same order; `said_notes` is added at its end.
    let short = default_scenario().replacen("\nmonths = 24", "\nmonths = 2", 1);
    let (code, plain) = s.post("/api/forecast?trials=50", TOML, short.as_bytes());
    assert_eq!(code, 200, "{plain}");
    let (code, french) = s.post("/api/forecast?trials=50&lang=fr", TOML, short.as_bytes());
    assert_eq!(code, 200, "{french}");
    let cut = french
        .rfind(",\n  \"said_notes\"")
        .expect("said_notes at the end");
    assert_eq!(format!("{}\n}}\n", &french[..cut]), plain);
    let notes = json(&french)["said_notes"].as_array().unwrap().clone();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0]
            .as_str()
            .unwrap()
            .starts_with("Aucun argent n'arrive à la banque en 2 mois dans aucune simulation."),
        "{notes:?}"
    );
    assert!(
        json(&plain)["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("No cash reaches the bank within 2 months in any trial.")
    );
}

#[test]
fn the_order_store_is_shown_when_the_server_has_one() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = crate::track::store_of_three(dir.path());
    let s = Server::start_with(&["--db", db.to_str().unwrap()]);
    let (_, health) = s.get("/api/health");
    assert_eq!(json(&health)["store"], true);
    let (code, body) = s.post(
        "/api/track?trials=50&lang=fr",
        TOML,
        default_scenario().as_bytes(),
    );
    assert_eq!(code, 200, "{body}");
    let t = json(&body);
    assert_eq!(t["months"].as_array().unwrap().len(), 3);
    assert_eq!(t["nowcast"]["trials"], 50);
    let html = t["html"].as_str().unwrap();
    assert!(
        html.starts_with("<section id=\"mydata\"><h2>Vos commandes jusqu'ici</h2>"),
        "{html}"
    );
    // Without a store: 404, saying how to give one.
    let plain = Server::start("1");
    let (_, health) = plain.get("/api/health");
    assert_eq!(json(&health)["store"], false);
    let (code, body) = plain.post("/api/track", TOML, default_scenario().as_bytes());
    assert_eq!(code, 404);
    assert!(body.contains("serve --db"), "{body}");
}
