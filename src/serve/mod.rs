//! `affcast serve`: the forecaster as a local web app.
//!
//! An axum server on loopback only. Every simulation runs on the blocking pool through the
//! same service functions as the commands, under a limit of `jobs` at a time (503 with
//! `Retry-After` beyond it); a client that goes away cancels its run. Requests are checked
//! before any work: the `Host` header must name this server (DNS rebinding), POST bodies must
//! say their type (a cross-site form cannot send `application/toml`), and bodies have limits.
//! Nothing is written to disk.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::app::{
    self, CompareJob, FitJob, ForecastJob, ReportJob, RunOptions, SensitivityJob, Swing,
};
use crate::choice::Choice;
use crate::engine::Control;
use crate::error::{Error, Result};
use crate::exports::{self, Clicks, Source};
use crate::fit::groups::By;
use crate::i18n::{Lang, Words};
use crate::report::{self, Format};
use crate::scenario;
use crate::stats::Objective;

/// Largest scenario body, bytes.
pub const SCENARIO_LIMIT: usize = 1 << 20;
/// Largest export body, bytes.
pub const EXPORT_LIMIT: usize = 64 << 20;
/// Longest a request may take before it is answered 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(600);

/// How the server is started.
#[derive(Debug, Clone)]
pub struct Options {
    /// A loopback address.
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Simulations running at once.
    pub jobs: usize,
    /// Memory the running simulations may hold together, GB.
    pub memory_gb: f64,
    /// The order store of `affcast track` the page's "My data" view reads, if any.
    pub db: Option<std::path::PathBuf>,
    /// How long a client may take to send a request's headers, and a kept-alive
    /// connection may wait idle for the next request: then the connection is closed.
    pub idle_timeout: Duration,
}

/// The memory budget of a server started without `--memory`, GB.
pub const DEFAULT_MEMORY_GB: f64 = 4.0;

/// Shared by every request.
struct Shared {
    /// The address the server answers as.
    addr: SocketAddr,
    jobs: Arc<Semaphore>,
    /// Simulations that may run at once.
    max_jobs: usize,
    memory: Arc<Budget>,
    /// Runs stopped because their client went away, since the server started.
    cancelled: AtomicU64,
    /// The open orders of the exports fitted lately, by id, for forecasts opened by them
    /// (`?pipeline=`): the newest [`HELD_EXPORTS`], in memory only.
    held: Mutex<Held>,
    /// The order store the "My data" view reads (read only), if the server was given one.
    store: Option<std::path::PathBuf>,
}

/// Fitted exports' open orders, newest last, and the id the last one was given.
#[derive(Default)]
struct Held {
    exports: std::collections::VecDeque<(u64, Arc<exports::Export>)>,
    last_id: u64,
}

/// Exports whose open orders the server keeps for `?pipeline=`.
const HELD_EXPORTS: usize = 8;

impl Shared {
    /// Keeps an export's open orders; returns the id a forecast names them by.
    fn hold(&self, export: exports::Export) -> u64 {
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if held.exports.len() == HELD_EXPORTS {
            held.exports.pop_front();
        }
        held.last_id += 1;
        let id = held.last_id;
        held.exports.push_back((id, Arc::new(export)));
        id
    }

    fn held(&self, id: u64) -> Option<Arc<exports::Export>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .exports
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, e)| e.clone())
    }
}

/// Memory for all running simulations: each reserves its estimate before it starts and
/// gives it back when it ends, so jobs that each fit cannot together exhaust the machine.
struct Budget {
    total: u64,
    reserved: Mutex<u64>,
}

/// A job's share of the [`Budget`], given back when dropped.
struct Reservation {
    budget: Arc<Budget>,
    bytes: u64,
}

impl Budget {
    fn reserved(&self) -> u64 {
        *self
            .reserved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reserves `bytes` if they fit what is left: 422 if they could never fit, 503 with
    /// `Retry-After` while other runs hold too much of it.
    fn reserve(self: &Arc<Self>, bytes: f64) -> std::result::Result<Reservation, Refusal> {
        let gb = |b: f64| b / 1e9;
        if bytes.is_nan() || bytes > self.total as f64 {
            return Err(Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "this run would hold about {:.2} GB of results, more than the server's memory budget of {:.2} GB: lower trials or months, or start the server with a larger --memory",
                    gb(bytes),
                    gb(self.total as f64)
                ),
            ));
        }
        // Rounded up; at most `total`, so it fits.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bytes = bytes.ceil() as u64;
        let mut reserved = self
            .reserved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if bytes > self.total - *reserved {
            let mut r = Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the runs going on hold {:.2} GB of the server's {:.2} GB memory budget and this one needs {:.2} GB; try again when they end",
                    gb(*reserved as f64),
                    gb(self.total as f64),
                    gb(bytes as f64)
                ),
            );
            r.retry_after = Some(MEMORY_RETRY_SECONDS);
            return Err(r);
        }
        *reserved += bytes;
        Ok(Reservation {
            budget: self.clone(),
            bytes,
        })
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut reserved = self
            .budget
            .reserved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *reserved -= self.bytes;
    }
}

/// Returns the memory a finished run freed to the system. The C allocator keeps freed
/// memory for reuse by the thread that freed it, so runs on other threads would otherwise
/// add up beyond the budget (measured: 666 MB resident for a 600 MB budget without this).
fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            /// glibc: releases free memory of every arena; returns 1 if any was released.
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no
        // pointer and may be called from any thread at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// `Retry-After` when the memory budget is in use: runs that hold much memory take a while.
const MEMORY_RETRY_SECONDS: u64 = 5;

/// Binds, calls `ready` with the address, and serves until `shutdown` completes.
pub async fn run(
    opts: Options,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    if !opts.bind.is_loopback() {
        return Err(Error::input(format!(
            "--bind: {} is not a loopback address; affcast serves this machine only (127.0.0.1 or ::1)",
            opts.bind
        )));
    }
    if opts.jobs == 0 {
        return Err(Error::input(
            "--jobs: 0; at least one simulation must be able to run",
        ));
    }
    // At least 10 MB (a small run), at most a petabyte.
    if !(0.01..=1e6).contains(&opts.memory_gb) {
        return Err(Error::input(format!(
            "--memory: {} GB; give the memory the simulations may hold, between 0.01 and 1000000 GB",
            opts.memory_gb
        )));
    }
    let listener = tokio::net::TcpListener::bind((opts.bind, opts.port))
        .await
        .map_err(|e| Error::Other(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("cannot read the bound address: {e}")))?;
    let shared = Arc::new(Shared {
        addr,
        jobs: Arc::new(Semaphore::new(opts.jobs)),
        max_jobs: opts.jobs,
        memory: Arc::new(Budget {
            // Checked just above: at most 1e15.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            total: (opts.memory_gb * 1e9) as u64,
            reserved: Mutex::new(0),
        }),
        cancelled: AtomicU64::new(0),
        held: Mutex::default(),
        store: opts.db.clone(),
    });
    // Polled once before the address is announced: a signal future (Ctrl-C) installs its
    // handler when first polled, and a client told the address may signal at once.
    let mut shutdown = std::pin::pin!(shutdown);
    tokio::select! {
        biased;
        () = &mut shutdown => return Ok(()),
        () = std::future::ready(()) => {}
    }
    ready(addr);
    serve_connections(listener, router(shared), opts.idle_timeout, shutdown).await;
    Ok(())
}

/// The [`Options::idle_timeout`] of a server started without `--idle-timeout`, seconds.
pub const DEFAULT_IDLE_SECS: u64 = 10;

/// How long open connections may take to finish once the server is told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Accepts connections until `shutdown` completes, each served by hyper's HTTP/1 with a
/// header-read timeout of `idle_timeout` (hyper closes a connection whose headers are late,
/// idle ones too).
///
/// A client may close its sending side and still wait for the answer (a half-close), and
/// gets it. A client that went away closes the same way, and HTTP cannot tell the two apart
/// until it writes: so each request is told when its connection stops sending
/// ([`ClientClosed`]), and a simulation still running then is stopped and answered 400
/// (written to a client that waits, lost with one that left).
async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: Router,
    idle_timeout: Duration,
    mut shutdown: std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let Ok((stream, _)) = stream else {
            // Out of file descriptors, or a connection reset before it was accepted: the
            // listener itself is fine; give the system a moment.
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let Ok((stream, closed)) = ClientClosed::watch(stream) else {
            continue;
        };
        let app = app.clone().layer(axum::Extension(closed));
        let service = hyper_util::service::TowerToHyperService::new(app);
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(idle_timeout)
            .half_close(true)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
}

/// Whether the client of a request has stopped sending (closed its side, or went away):
/// a second handle on the connection's socket that only peeks, never reads.
#[derive(Clone)]
struct ClientClosed(Arc<tokio::net::TcpStream>);

impl ClientClosed {
    /// A connection's stream for hyper, and the handle that watches it.
    fn watch(stream: tokio::net::TcpStream) -> std::io::Result<(tokio::net::TcpStream, Self)> {
        let stream = stream.into_std()?;
        let watcher = stream.try_clone()?;
        Ok((
            tokio::net::TcpStream::from_std(stream)?,
            ClientClosed(Arc::new(tokio::net::TcpStream::from_std(watcher)?)),
        ))
    }

    /// Completes once the client has stopped sending. Called once a request has been read
    /// whole: a byte waiting is the next request, and its client is still there.
    async fn wait(self) {
        let mut byte = [0u8; 1];
        match self.0.peek(&mut byte).await {
            Ok(0) | Err(_) => {}
            Ok(_) => std::future::pending().await,
        }
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let scenario_routes = Router::new()
        .route("/api/validate", post(validate))
        .route("/api/forecast", post(forecast))
        .route("/api/compare", post(compare))
        .route("/api/programs", post(programs))
        .route("/api/sensitivity", post(sensitivity))
        .route("/api/report", post(report_page))
        .route("/api/track", post(track_view))
        .layer(DefaultBodyLimit::max(SCENARIO_LIMIT));
    let export_routes = Router::new()
        .route("/api/fit", post(fit))
        .layer(DefaultBodyLimit::max(EXPORT_LIMIT));
    Router::new()
        .route("/", get(page))
        .route("/api/health", get(health))
        .route("/api/default", get(default_scenario))
        .route("/api/params", get(params))
        .route("/api/words", get(words))
        .merge(scenario_routes)
        .merge(export_routes)
        .layer(middleware::from_fn_with_state(shared.clone(), check_host))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::map_response(json_errors))
        .with_state(shared)
}

/// Every error answer in JSON, like the refusals: the answers the framework writes itself
/// (413 past a body limit, 408 past the time limit, a malformed query) are plain text or
/// empty, and become `{"error": …, "errors": []}` with the same status.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let text = axum::body::to_bytes(response.into_body(), 64 << 10)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let error = match (status, text.is_empty()) {
        (StatusCode::PAYLOAD_TOO_LARGE, _) => format!(
            "the body is larger than the limit (a scenario {} MiB, an export {} MiB)",
            SCENARIO_LIMIT >> 20,
            EXPORT_LIMIT >> 20
        ),
        (_, true) => status
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_string(),
        (_, false) => text,
    };
    let mut r = Refusal::new(status, error).into_response();
    if let Some(v) = retry_after {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// A refusal: a status and a JSON body `{"error", "errors"}`.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    error: String,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
    /// A run too large, kept to be said in a page's language ([`Refusal::in_language`]).
    work: Option<Box<crate::error::TooMuchWork>>,
    /// `error` in the language a request asked for, where it can be said.
    said: Option<String>,
}

/// Each problem's fault in `words`' language, where it can be said.
fn said_in(errors: &mut [FieldError], words: &Words) {
    for e in errors {
        e.said = words.fault(&e.fault, &e.message);
    }
}

impl From<crate::error::Problem> for FieldError {
    fn from(p: crate::error::Problem) -> FieldError {
        FieldError {
            path: p.path,
            fault: p.fault,
            message: p.message,
            said: None,
        }
    }
}

/// One problem of a scenario: the key path it names (if any), the kind of fault with its
/// numbers (`kind`, and `value`, `lo`, `hi`… as the kind has them), what is wrong, and
/// (`said`, where the request named a language) the fault in that language's words.
#[derive(Debug, Serialize)]
struct FieldError {
    path: Option<String>,
    #[serde(flatten)]
    fault: crate::error::Fault,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    said: Option<String>,
}

impl Refusal {
    fn new(status: StatusCode, error: impl Into<String>) -> Refusal {
        Refusal {
            status,
            error: error.into(),
            errors: Vec::new(),
            retry_after: None,
            work: None,
            said: None,
        }
    }

    /// The refusal with what can be said in `lang` said there: each problem's fault, and a
    /// run too large.
    fn in_language(mut self, lang: Option<Lang>) -> Refusal {
        if let Some(lang) = lang {
            let words = Words::new(lang);
            said_in(&mut self.errors, &words);
            self.said = self.work.as_ref().map(|w| words.too_much_work(w));
        }
        self
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            error: String,
            errors: Vec<FieldError>,
            #[serde(skip_serializing_if = "Option::is_none")]
            said: Option<String>,
        }
        let mut r = (
            self.status,
            axum::Json(Body {
                error: self.error,
                errors: self.errors,
                said: self.said,
            }),
        )
            .into_response();
        if let Some(s) = self.retry_after {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        r
    }
}

/// A library error as an answer: bad input 400 (with each line's key path), too much work
/// 422, a cancelled run 499-like 400, anything else 500.
fn refusal(e: Error) -> Refusal {
    let text = e.to_string();
    match e {
        Error::Input(problems) => Refusal {
            errors: problems.into_iter().map(FieldError::from).collect(),
            ..Refusal::new(StatusCode::BAD_REQUEST, text)
        },
        Error::Work(w) => Refusal {
            work: Some(w.clone()),
            ..Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{w}; lower the trials, the months or the traffic"),
            )
        },
        Error::Cancelled => Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "the run was cancelled"),
        other => Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
    }
}

/// Refuses a request whose `Host` is not this server's: a page on another site that rebinds
/// its DNS name to 127.0.0.1 still sends its own name.
async fn check_host(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    if req.headers().get_all(header::HOST).iter().count() > 1 {
        return Refusal::new(
            StatusCode::BAD_REQUEST,
            "the request has more than one Host header",
        )
        .into_response();
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if host_is_this_server(shared.addr, host) {
        next.run(req).await
    } else {
        Refusal::new(
            StatusCode::FORBIDDEN,
            format!(
                "Host \"{host}\" is not this server; open http://{} instead",
                shared.addr
            ),
        )
        .into_response()
    }
}

/// Whether a `Host` header names the server at `addr`: its address, `localhost`,
/// `127.0.0.1` or `[::1]` with its port, or without one on port 80 (what a browser sends
/// there).
fn host_is_this_server(addr: SocketAddr, host: &str) -> bool {
    let port = addr.port();
    let names = [
        addr.ip().to_string(),
        format!("[{}]", addr.ip()),
        "localhost".into(),
        "127.0.0.1".into(),
        "[::1]".into(),
    ];
    names.iter().any(|name| {
        host.eq_ignore_ascii_case(&format!("{name}:{port}"))
            || (port == 80 && host.eq_ignore_ascii_case(name))
    })
}

/// The body's media type, without parameters, in lower case.
fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A scenario body: `application/toml`, UTF-8.
fn scenario_text(headers: &HeaderMap, body: &Bytes) -> std::result::Result<String, Refusal> {
    let media = media_type(headers);
    if media != "application/toml" {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("a scenario is sent as Content-Type: application/toml, not \"{media}\""),
        ));
    }
    String::from_utf8(body.to_vec())
        .map_err(|_| Refusal::new(StatusCode::BAD_REQUEST, "the scenario is not UTF-8 text"))
}

/// The name validation messages give the page's scenario.
const ORIGIN: &str = "scenario.toml";

/// Query flags, checked as the command line checks them.
struct Flags(HashMap<String, String>);

impl Flags {
    fn text(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn number<T: std::str::FromStr>(
        &self,
        key: &str,
        what: &str,
    ) -> std::result::Result<Option<T>, Refusal> {
        self.text(key)
            .map(|v| {
                v.parse::<T>().map_err(|_| {
                    Refusal::new(
                        StatusCode::BAD_REQUEST,
                        format!("{key}: \"{v}\" is not {what}"),
                    )
                })
            })
            .transpose()
    }

    /// The language a request asks its refusals to be said in (`?lang=`), if any.
    fn lang(&self) -> Option<Lang> {
        self.text("lang").and_then(Lang::named)
    }

    /// The run's options; `max_seconds` refuses a run estimated to take longer (an
    /// interactive page's limit; the command line's half hour otherwise).
    fn run(&self) -> std::result::Result<RunOptions, Refusal> {
        let run = RunOptions::new(
            self.number("trials", "a whole number of trials")?,
            self.number("seed", "a seed (a whole number)")?,
            self.number("months", "a whole number of months")?,
            0,
            false,
        )
        .map_err(refusal)?;
        Ok(
            match self.number::<f64>("max_seconds", "a number of seconds")? {
                Some(s) if s.is_finite() => run.within(s),
                _ => run,
            },
        )
    }

    fn objective(&self) -> std::result::Result<Objective, Refusal> {
        match self.text("objective") {
            None => Ok(Objective::RunRateCash),
            Some(v) => Objective::named(v).ok_or_else(|| {
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    format!("objective: \"{v}\" is not one of {}", Objective::names()),
                )
            }),
        }
    }
}

/// Runs `work` on the blocking pool if a job slot is free and its estimated memory `bytes`
/// fits the budget (else 503), cancelling it when the request is dropped (the client went
/// away). The slot and the memory are held until the work has really stopped.
async fn simulate<T: Send + 'static>(
    shared: &Arc<Shared>,
    client: ClientClosed,
    bytes: f64,
    work: impl FnOnce(&Control) -> Result<T> + Send + 'static,
) -> std::result::Result<T, Refusal> {
    let Ok(permit) = shared.jobs.clone().try_acquire_owned() else {
        let mut r = Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "every simulation slot is busy; try again in a moment",
        );
        r.retry_after = Some(1);
        return Err(r);
    };
    let reservation = shared.memory.reserve(bytes)?;
    /// Sets the flag when dropped while armed: the request future is gone.
    struct CancelOnDrop {
        flag: Arc<AtomicBool>,
        armed: bool,
    }
    impl Drop for CancelOnDrop {
        fn drop(&mut self) {
            if self.armed {
                self.flag.store(true, Ordering::Relaxed);
            }
        }
    }
    let flag = Arc::new(AtomicBool::new(false));
    let mut guard = CancelOnDrop {
        flag: flag.clone(),
        armed: true,
    };
    let counter = shared.clone();
    let stop = flag.clone();
    let mut run = tokio::task::spawn_blocking(move || {
        let (_permit, _reservation) = (permit, reservation);
        let ctl = Control::quiet().with_cancel(&stop);
        let result = work(&ctl);
        give_back_memory();
        if matches!(result, Err(Error::Cancelled)) {
            counter.cancelled.fetch_add(1, Ordering::Relaxed);
        }
        result
    });
    let result = tokio::select! {
        result = &mut run => result,
        () = client.wait() => {
            flag.store(true, Ordering::Relaxed);
            // The slot and the memory are given back as the run stops, within a trial.
            let _ = run.await;
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "the connection stopped sending while the run went on, which is how a client that leaves looks, so the run was stopped: keep the connection open for sending until the answer",
            ));
        }
    };
    // Answered: finishing normally is not going away.
    guard.armed = false;
    match result {
        Ok(r) => r.map_err(refusal),
        Err(e) => Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the run failed: {e}"),
        )),
    }
}

/// A JSON object's text with one more field at its end.
fn with_field(doc: String, key: &str, value: &impl Serialize) -> String {
    let body = doc.trim_end().strip_suffix('}').unwrap_or(&doc).trim_end();
    let value = serde_json::to_string(value).expect("the field serializes");
    format!("{body},\n  \"{key}\": {value}\n}}\n")
}

fn json(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// `{"ok", "version", "busy", "memory_budget", "memory_reserved", "cancelled"}`: `busy`
/// counts the simulations running now, `memory_reserved` the bytes they hold of the budget,
/// `cancelled` the runs stopped because their client went away.
async fn health(State(shared): State<Arc<Shared>>) -> Response {
    let busy = shared.max_jobs - shared.jobs.available_permits();
    axum::Json(serde_json::json!({
        "ok": true,
        "version": env!("CARGO_PKG_VERSION"),
        "busy": busy,
        "memory_budget": shared.memory.total,
        "memory_reserved": shared.memory.reserved(),
        "cancelled": shared.cancelled.load(Ordering::Relaxed),
        "store": shared.store.is_some(),
    }))
    .into_response()
}

async fn default_scenario() -> Response {
    (
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        scenario::DEFAULT_SCENARIO,
    )
        .into_response()
}

/// The page, its `<html lang>` the language the request asks for (`?lang=`, else
/// `Accept-Language`); the script then takes its words in that language.
async fn page(Query(q): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let lang = language(&q, &headers).name();
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'",
            ),
        ],
        PAGE.replacen("<html lang=\"en\">", &format!("<html lang=\"{lang}\">"), 1),
    )
        .into_response()
}

/// The page: HTML, CSS and JavaScript in one file inside the binary.
const PAGE: &str = include_str!("page.html");

/// The keys of the scenario file the page's form shows, from the parameter table.
async fn params() -> Response {
    json(params_json())
}

/// The language a request asks for: `?lang=`, else its `Accept-Language`, else English.
fn language(q: &HashMap<String, String>, headers: &HeaderMap) -> Lang {
    q.get("lang")
        .and_then(|l| Lang::named(l))
        .unwrap_or_else(|| {
            Lang::preferred(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}

/// `{"lang", "languages": [{"name", "label"}], "messages": {id: text}}`: the page's words in
/// the language asked for, variables left as `{$name}`.
async fn words(Query(q): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let words = Words::new(language(&q, &headers));
    let languages: Vec<serde_json::Value> = Lang::ALL
        .iter()
        .map(|l| serde_json::json!({ "name": l.name(), "label": l.help() }))
        .collect();
    axum::Json(serde_json::json!({
        "lang": words.lang().name(),
        "languages": languages,
        "messages": words.page(),
    }))
    .into_response()
}

async fn validate(
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> std::result::Result<Response, Refusal> {
    let lang = q.contains_key("lang").then(|| language(&q, &headers));
    let text = scenario_text(&headers, &body)?;
    #[derive(Serialize)]
    struct Answer {
        ok: bool,
        errors: Vec<FieldError>,
        /// What is valid but probably not meant, as the errors are given.
        warnings: Vec<FieldError>,
    }
    let answer = match scenario::parse_with_provenance(&text, ORIGIN) {
        Ok((_, prov)) => {
            let mut warnings: Vec<FieldError> =
                prov.warnings.into_iter().map(FieldError::from).collect();
            if let Some(lang) = lang {
                said_in(&mut warnings, &Words::new(lang));
            }
            Answer {
                ok: true,
                errors: Vec::new(),
                warnings,
            }
        }
        Err(e) => Answer {
            ok: false,
            errors: refusal(e).in_language(lang).errors,
            warnings: Vec::new(),
        },
    };
    Ok(axum::Json(answer).into_response())
}

/// A checked scenario from a request, or the answer why not.
fn scenario_of(
    headers: &HeaderMap,
    body: &Bytes,
) -> std::result::Result<(crate::model::Scenario, scenario::Provenance), Refusal> {
    let text = scenario_text(headers, body)?;
    scenario::parse_with_provenance(&text, ORIGIN).map_err(refusal)
}

async fn forecast(
    State(shared): State<Arc<Shared>>,
    axum::Extension(client): axum::Extension<ClientClosed>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> std::result::Result<Response, Refusal> {
    let (sc, _) = scenario_of(&headers, &body)?;
    let flags = Flags(q);
    let lang = flags.lang();
    let export = held_export(&shared, &flags)?;
    let job = ForecastJob::new(sc, export.as_deref(), flags.run()?).map_err(pipeline_refusal)?;
    let fc = simulate(&shared, client, job.work().bytes, move |ctl| {
        app::forecast(&job, ctl)
    })
    .await
    .map_err(|r| r.in_language(lang))?;
    let doc = report::exporter(Format::Json).render(&fc.value);
    let Some(lang) = lang else {
        return Ok(json(doc));
    };
    // The notes in the page's language (the opening pipeline the page says itself), added
    // after the document's own keys, which keep their order.
    let said = report::outcome_notes(&Words::new(lang), &fc.value);
    Ok(json(with_field(doc, "said_notes", &said)))
}

/// The order store's view (`serve --db`): the JSON of `affcast track`, its nowcast from the
/// page's scenario, with `html`: the same as the report's section, in the asked language.
async fn track_view(
    State(shared): State<Arc<Shared>>,
    axum::Extension(client): axum::Extension<ClientClosed>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> std::result::Result<Response, Refusal> {
    let Some(path) = shared.store.clone() else {
        return Err(Refusal::new(
            StatusCode::NOT_FOUND,
            "this server has no order store: start it with `serve --db FILE.db`".to_string(),
        ));
    };
    scenario_of(&headers, &body)?;
    let text = String::from_utf8_lossy(&body).to_string();
    let base = Some((text, "the page's scenario".to_string()));
    let words = language(&q, &headers);
    let flags = Flags(q);
    let lang = flags.lang();
    let run = flags.run()?;
    let doc = simulate(&shared, client, TRACK_BYTES, move |ctl| {
        let store = crate::store::Store::open(&path, false)?;
        let t = crate::app::track::report(&store, base.as_ref(), &run, ctl)?.value;
        let html = report::html::mydata_section(&Words::new(words), &t);
        Ok(with_field(
            report::exporter(Format::Json).track(&t),
            "html",
            &html,
        ))
    })
    .await
    .map_err(|r| r.in_language(lang))?;
    Ok(json(doc))
}

/// Memory reserved for the "My data" view: its open orders and a nowcast of 200 worlds.
const TRACK_BYTES: f64 = 200e6;

/// The open orders of the fitted export a request names (`?pipeline=ID`), if it names one:
/// 410 once the server no longer holds them.
fn held_export(
    shared: &Shared,
    flags: &Flags,
) -> std::result::Result<Option<Arc<exports::Export>>, Refusal> {
    match flags.number::<u64>("pipeline", "the id of a fitted export")? {
        None => Ok(None),
        Some(id) => shared.held(id).map(Some).ok_or_else(|| {
            Refusal::new(
                StatusCode::GONE,
                format!("pipeline: export {id} is no longer held by the server (it keeps the last {HELD_EXPORTS}, until it stops); send the export to /api/fit again"),
            )
        }),
    }
}

/// A refusal of the pipeline's export, named as the API names it.
fn pipeline_refusal(e: Error) -> Refusal {
    let mut r = refusal(e);
    r.error = r.error.replacen("--pipeline: ", "pipeline: ", 1);
    r
}

async fn compare(
    State(shared): State<Arc<Shared>>,
    axum::Extension(client): axum::Extension<ClientClosed>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> std::result::Result<Response, Refusal> {
    let (sc, _) = scenario_of(&headers, &body)?;
    let flags = Flags(q);
    let lang = flags.lang();
    let mixes: Vec<String> = flags
        .text("mix")
        .map(|m| m.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    let job = CompareJob::mixes(sc, &mixes, flags.objective()?, flags.run()?).map_err(refusal)?;
    let c = simulate(&shared, client, job.work().bytes, move |ctl| {
        app::compare(&job, ctl)
    })
    .await
    .map_err(|r| r.in_language(lang))?;
    Ok(json(report::exporter(Format::Json).compare(&c)))
}

/// The site under each program that can place its categories, beside the review's
/// scorecard (as `affcast programs`).
async fn programs(
    State(shared): State<Arc<Shared>>,
    axum::Extension(client): axum::Extension<ClientClosed>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> std::result::Result<Response, Refusal> {
    let (sc, _) = scenario_of(&headers, &body)?;
    let flags = Flags(q);
    let lang = flags.lang();
    let run = flags.run()?;
    let sc = run.apply(sc);
    let bytes =
        crate::engine::estimate(&sc, crate::model::Preset::ALL.len(), run.threads, false).bytes;
    let view = simulate(&shared, client, bytes, move |ctl| {
        let scores = crate::scorecard::Scores::review();
        app::programs::view(&sc, "the page's scenario", None, None, scores, &run, ctl)
    })
    .await
    .map_err(|r| r.in_language(lang))?;
    Ok(json(report::exporter(Format::Json).programs(&view)))
}

async fn sensitivity(
    State(shared): State<Arc<Shared>>,
    axum::Extension(client): axum::Extension<ClientClosed>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> std::result::Result<Response, Refusal> {
    let (sc, _) = scenario_of(&headers, &body)?;
    let flags = Flags(q);
    let lang = flags.lang();
    let swing =
        Swing::new(flags.number("swing", "a relative swing")?.unwrap_or(0.2)).map_err(refusal)?;
    let mut run = flags.run()?;
    if flags.text("trials").is_none() {
        run = RunOptions::new(Some(200), flags.number("seed", "a seed")?, None, 0, false)
            .map_err(refusal)?;
    }
    let job = SensitivityJob::new(sc, swing, flags.objective()?, run);
    let s = simulate(&shared, client, job.work().bytes, move |ctl| {
        app::sensitivity(&job, ctl)
    })
    .await
    .map_err(|r| r.in_language(lang))?;
    Ok(json(report::exporter(Format::Json).sensitivity(&s)))
}

async fn report_page(
    State(shared): State<Arc<Shared>>,
    axum::Extension(client): axum::Extension<ClientClosed>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> std::result::Result<Response, Refusal> {
    let (sc, prov) = scenario_of(&headers, &body)?;
    // The report is written in the asked language, else the browser's.
    let words = language(&q, &headers);
    let flags = Flags(q);
    let lang = flags.lang();
    let mut job = ReportJob::new(sc, prov, flags.objective()?, flags.run()?);
    if let Some(export) = held_export(&shared, &flags)? {
        job = job.opened_by(&export).map_err(pipeline_refusal)?;
    }
    let page = simulate(&shared, client, job.work().bytes, move |ctl| {
        let r = app::report(&job, ctl)?;
        report::html::page(
            &Words::new(words),
            &r.forecast,
            &r.assumptions,
            r.mixes.as_ref(),
            None,
            None,
        )
    })
    .await
    .map_err(|r| r.in_language(lang))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"affcast-report.html\"",
            ),
        ],
        page,
    )
        .into_response())
}

/// The media types an export may be sent as.
const EXPORT_TYPES: &[&str] = &[
    "text/csv",
    "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// One export file of a request, with its name.
struct Upload {
    name: String,
    bytes: Bytes,
}

/// What a request to `/api/fit` sends: one export as the body (its name in `?name=`), or a
/// `multipart/form-data` form of `export` files (read as one, as `affcast fit` reads several),
/// `clicks` (a number, or a clicks CSV) and `map` (`FIELD=COLUMN,...`).
struct FitInput {
    files: Vec<Upload>,
    clicks: Option<Clicks>,
    map: exports::FieldMap,
}

async fn fit_input(flags: &Flags, request: Request) -> std::result::Result<FitInput, Refusal> {
    use axum::extract::FromRequest;
    let bad = |m: String| Refusal::new(StatusCode::BAD_REQUEST, m);
    let media = media_type(request.headers());
    let clicks_total = flags
        .number::<u64>("clicks", "a whole number of clicks")?
        .map(|total| Clicks {
            total,
            ..Clicks::default()
        });
    let map = match flags.text("map") {
        None => exports::FieldMap::default(),
        Some(m) => exports::FieldMap::parse(m)
            .map_err(|e| bad(e.to_string().replacen("--map", "map", 1)))?,
    };
    if media != "multipart/form-data" {
        if !EXPORT_TYPES.contains(&media.as_str()) {
            return Err(Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "an export is sent as the file with its type ({}), or several as multipart/form-data, not \"{media}\"",
                    EXPORT_TYPES.join(", ")
                ),
            ));
        }
        let bytes = Bytes::from_request(request, &())
            .await
            .map_err(|e| Refusal::new(e.status(), e.body_text()))?;
        return Ok(FitInput {
            files: vec![Upload {
                name: flags.text("name").unwrap_or("export").to_string(),
                bytes,
            }],
            clicks: clicks_total,
            map,
        });
    }
    let mut form = axum::extract::Multipart::from_request(request, &())
        .await
        .map_err(|e| Refusal::new(e.status(), e.body_text()))?;
    let mut input = FitInput {
        files: Vec::new(),
        clicks: clicks_total,
        map,
    };
    while let Some(part) = form
        .next_field()
        .await
        .map_err(|e| Refusal::new(e.status(), e.body_text()))?
    {
        let field = part.name().unwrap_or("").to_string();
        let name = part.file_name().map(str::to_string);
        let bytes = part
            .bytes()
            .await
            .map_err(|e| Refusal::new(e.status(), e.body_text()))?;
        match field.as_str() {
            "export" => input.files.push(Upload {
                name: name.unwrap_or_else(|| format!("export {}", input.files.len() + 1)),
                bytes,
            }),
            "clicks" => {
                let text = String::from_utf8(bytes.to_vec())
                    .map_err(|_| bad("clicks: not UTF-8 text".into()))?;
                input.clicks = Some(match name {
                    // A file: a clicks CSV, as `--clicks FILE` reads it.
                    Some(file) => Clicks::parse_text(&text, &file).map_err(refusal)?,
                    // A field: the clicks of the export's period, as `--clicks N` reads them
                    // (the API is locale-free: the page sends a plain number).
                    None => Clicks::total(&text).ok_or_else(|| {
                        bad(format!(
                            "clicks: \"{}\" is not a whole number of clicks",
                            text.trim()
                        ))
                    })?,
                });
            }
            "map" => {
                let text = String::from_utf8_lossy(&bytes).to_string();
                if !text.trim().is_empty() {
                    input.map = exports::FieldMap::parse(&text)
                        .map_err(|e| bad(e.to_string().replacen("--map", "map", 1)))?;
                }
            }
            other => {
                return Err(bad(format!(
                    "\"{other}\" is not a part of a fit form (export, clicks, map)"
                )));
            }
        }
    }
    if input.files.is_empty() {
        return Err(bad(
            "no export file in the form (a part named \"export\")".into()
        ));
    }
    Ok(input)
}

async fn fit(
    State(shared): State<Arc<Shared>>,
    axum::Extension(client): axum::Extension<ClientClosed>,
    Query(q): Query<HashMap<String, String>>,
    request: Request,
) -> std::result::Result<Response, Refusal> {
    let flags = Flags(q);
    let source: Option<Source> = match flags.text("source") {
        None => None,
        Some(v) => Some(Source::named(v).ok_or_else(|| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("source: \"{v}\" is not {}", Source::names()),
            )
        })?),
    };
    let by: Option<By> = match flags.text("by") {
        None => None,
        Some(v) => Some(By::named(v).ok_or_else(|| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("by: \"{v}\" is not {}", By::names()),
            )
        })?),
    };
    let zone = match flags.text("timezone") {
        None => exports::Zone::default(),
        Some(v) => exports::Zone::parse(v).map_err(|e| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                e.to_string().replacen("--timezone", "timezone", 1),
            )
        })?,
    };
    let lang = flags.lang();
    let FitInput { files, clicks, map } = fit_input(&flags, request).await?;
    let bytes: f64 = files.iter().map(|f| exports::reading_bytes(&f.bytes)).sum();
    let origin = files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let (outcome, open) = simulate(&shared, client, bytes, move |ctl| {
        let stop = || ctl.is_cancelled();
        let mut read = Vec::with_capacity(files.len());
        for f in &files {
            read.push((
                f.name.clone(),
                exports::parse_bytes(&f.bytes, &f.name, source, &map, &stop)?,
            ));
        }
        let export = exports::merge(read)?.in_zone(zone);
        let open = export.open_only();
        let job = FitJob::new(export, origin, clicks, &Default::default(), by);
        Ok((app::fit(&job, ctl)?, open))
    })
    .await
    .map_err(|r| r.in_language(lang))?;
    let summary = pipeline_summary(&open);
    let id = shared.hold(open);
    let mut doc: serde_json::Value =
        serde_json::from_str(&report::groups::fit_json(&outcome)).expect("fit JSON is JSON");
    doc["pipeline"] = serde_json::json!({ "id": id, "summary": summary });
    if let Some(lang) = lang {
        // The same notes in the page's language, without the command line's prefixes.
        let words = Words::new(lang);
        let said: Vec<String> = outcome
            .notes
            .iter()
            .flat_map(|n| report::note_sentences(&words, n))
            .collect();
        doc["said"] = serde_json::json!(said);
    }
    Ok(axum::Json(doc).into_response())
}

/// The open orders of an export in a few numbers: how many pending and how much, how many
/// confirmed or held and not paid, as of when, in what currency.
fn pipeline_summary(open: &exports::Export) -> serde_json::Value {
    let o = crate::app::track::OpenNow::of(open);
    let cents = |c: i64| rust_decimal::Decimal::new(c, 2);
    serde_json::json!({
        "as_of": open.as_of.format("%Y-%m-%d %H:%M").to_string(),
        "currency": open.currency,
        "pending_orders": o.pending_orders,
        "pending": cents(o.pending),
        "unpaid_orders": o.unpaid_orders,
        "unpaid": cents(o.unpaid),
    })
}

/// The parameter table as the page's form needs it: per section its keys, kinds, bounds and
/// help, in file order.
fn params_json() -> String {
    use crate::scenario::params::{self, ValueKind};
    #[derive(Serialize)]
    struct Key {
        section: &'static str,
        key: &'static str,
        kind: &'static str,
        lo: Option<f64>,
        hi: Option<f64>,
        choices: Vec<&'static str>,
        help: &'static str,
        /// The value when the file is silent, under the Portals preset.
        default: Option<String>,
        /// The value when the file is silent, under each preset, by the preset's name.
        defaults: std::collections::BTreeMap<&'static str, String>,
    }
    let keys: Vec<Key> = params::TABLE
        .iter()
        .map(|e| {
            let (kind, lo, hi, choices): (&str, Option<f64>, Option<f64>, Vec<&str>) = match e.kind
            {
                ValueKind::Name => ("name", None, None, vec![]),
                ValueKind::Share => ("share", Some(0.0), Some(1.0), vec![]),
                ValueKind::Probability => ("probability", Some(0.0), Some(1.0), vec![]),
                ValueKind::Positive { hi } => ("positive", Some(0.0), Some(hi), vec![]),
                ValueKind::Signed { lo, hi, .. } => ("signed", Some(lo), Some(hi), vec![]),
                ValueKind::Money => ("money", Some(0.0), Some(1e9), vec![]),
                ValueKind::Days => ("days", Some(0.0), Some(3650.0), vec![]),
                ValueKind::Number { lo, hi, .. } => ("number", Some(lo), Some(hi), vec![]),
                ValueKind::Whole { lo, hi } => ("whole", Some(lo as f64), Some(hi as f64), vec![]),
                ValueKind::Distribution { hi } => ("distribution", Some(0.0), Some(hi), vec![]),
                ValueKind::Choice(words) => ("choice", None, None, words.to_vec()),
                ValueKind::Seasonality => ("seasonality", Some(0.0), Some(100.0), vec![]),
                ValueKind::DayOfYear => ("day", None, None, vec![]),
            };
            Key {
                section: e.section.name(),
                key: e.key,
                kind,
                lo,
                hi,
                choices,
                help: e.help,
                default: params::fallback_literal(e, crate::model::Preset::Portals)
                    .map(|l| scenario::toml_literal(e.kind, l)),
                defaults: crate::model::Preset::ALL
                    .iter()
                    .filter_map(|&p| {
                        crate::scenario::programs::preset_value(e, p)
                            .map(|l| (p.name(), scenario::toml_literal(e.kind, l)))
                    })
                    .collect(),
            }
        })
        .collect();
    serde_json::to_string(&keys).expect("the table serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_keep_their_key_paths() {
        let text = crate::scenario::DEFAULT_SCENARIO.replacen(
            "refund_rate = 0.05",
            "refund_rate = 1.4",
            1,
        );
        assert_ne!(text, crate::scenario::DEFAULT_SCENARIO, "the key was found");
        let r = refusal(scenario::parse(&text, ORIGIN).unwrap_err());
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let e = &r.errors[0];
        assert_eq!(e.path.as_deref(), Some("categories[0].refund_rate"));
        assert!(e.message.starts_with("1.4 is not"), "{}", e.message);
        assert_eq!(
            e.fault,
            crate::error::Fault::OutOfRange {
                value: 1.4,
                lo: 0.0,
                hi: 1.0
            }
        );
        let said = serde_json::to_value(e).unwrap();
        assert_eq!(said["kind"], "out_of_range");
        assert_eq!(said["hi"], 1.0);
        // Shares that do not add up to 1: the list, and the sum.
        let sums = refusal(
            scenario::parse(
                &text
                    .replacen("refund_rate = 1.4", "refund_rate = 0.05", 1)
                    .replacen("share = 0.55", "share = 0.65", 1),
                ORIGIN,
            )
            .unwrap_err(),
        );
        let said = serde_json::to_value(&sums.errors[0]).unwrap();
        assert_eq!(said["path"], "categories");
        assert_eq!(said["kind"], "shares_sum");
        assert!((said["sum"].as_f64().unwrap() - 1.1).abs() < 1e-9, "{said}");
        assert!(
            r.error
                .starts_with("scenario.toml: categories[0].refund_rate: 1.4")
        );
        // TOML that does not parse names no key, and its line.
        let r = refusal(scenario::parse("\nname = ", ORIGIN).unwrap_err());
        assert_eq!(r.errors[0].path, None);
        assert_eq!(
            r.errors[0].fault,
            crate::error::Fault::Syntax { line: Some(2) }
        );
    }

    #[test]
    fn the_host_header_names_this_server_with_its_port_or_on_port_80_without() {
        let at = |port| SocketAddr::from(([127, 0, 0, 1], port));
        for host in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
        ] {
            assert!(host_is_this_server(at(8080), host), "{host}");
        }
        for host in [
            "localhost",
            "127.0.0.1",
            "evil.example:8080",
            "localhost:8081",
            "",
        ] {
            assert!(!host_is_this_server(at(8080), host), "{host}");
        }
        for host in ["localhost", "127.0.0.1", "[::1]", "localhost:80"] {
            assert!(host_is_this_server(at(80), host), "{host}");
        }
        assert!(!host_is_this_server(at(80), "evil.example"));
    }
}
