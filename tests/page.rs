//! The page of `affcast serve`, driven in headless Chromium over the DevTools protocol: the
//! default forecast's cards and chart, an edit that moves them, an invalid share marked beside
//! its field, an export dropped on the page and fitted, screenshots at desktop and phone
//! width that are not blank; a busy server asked again, two tabs at once, actions that do not
//! cancel each other, old results marked, the scenario kept and opened from a file.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::page::ScreenshotParams;
use futures::StreamExt;

use crate::common::not_blank;
use crate::serve::{Server, TOML, json};

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("AFFCAST_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
            .find(|p| p.is_file())
    })
}

/// Evaluates `js` (an expression) until it is true: the page answers events in its own time,
/// so the test waits for what it needs to see, at most `polls` times 100 ms.
async fn until(page: &chromiumoxide::Page, js: &str, polls: usize, what: &str) {
    for _ in 0..polls {
        let ok: bool = page
            .evaluate(js)
            .await
            .ok()
            .and_then(|r| r.into_value().ok())
            .unwrap_or(false);
        if ok {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let state: String = page
        .evaluate("document.getElementById('status').textContent")
        .await
        .ok()
        .and_then(|r| r.into_value().ok())
        .unwrap_or_default();
    panic!("the page never showed {what} (status: {state:?})");
}

async fn text(page: &chromiumoxide::Page, js: &str) -> String {
    page.evaluate(js).await.unwrap().into_value().unwrap()
}

/// The full forecast is shown and is for what the form holds now.
const READY: &str = "document.getElementById('results').dataset.trials === '2000' && !document.getElementById('results').classList.contains('stale')";
const FIRST_CARD: &str = "document.querySelector('#cards .card b').textContent";

/// Sets a field of the page's form as typing would, and says so to the page.
fn set(id: &str, value: &str) -> String {
    format!(
        "(() => {{ const f = document.getElementById({id:?}); f.value = {value:?}; f.dispatchEvent(new Event('input')); }})();"
    )
}

/// Types `value` into each field `id`, as a reader would, in one go.
async fn fill(page: &chromiumoxide::Page, fields: &[(&str, &str)]) {
    let script: String = fields.iter().map(|(id, value)| set(id, value)).collect();
    page.evaluate(script).await.unwrap();
}

/// A headless Chromium with its own profile, driving pages of `server`; `None` where this
/// machine has no Chromium (CI always has it).
struct Chromium {
    browser: Browser,
    events: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

impl Chromium {
    async fn launch() -> Option<Chromium> {
        let Some(path) = chromium() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have chromium (.ci/run installs it)"
            );
            eprintln!("note: no chromium on this machine; the page test is skipped (CI runs it)");
            return None;
        };
        let profile = tempfile::tempdir().unwrap();
        let config = BrowserConfig::builder()
            .chrome_executable(path)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1200, 900)
            .arg("--disable-gpu")
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let (browser, mut handler) = Browser::launch(config).await.unwrap();
        let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Some(Chromium {
            browser,
            events,
            _profile: profile,
        })
    }

    /// A new tab at desktop size showing `url`.
    async fn open(&self, url: &str) -> chromiumoxide::Page {
        let page = self.browser.new_page("about:blank").await.unwrap();
        page.execute(SetDeviceMetricsOverrideParams::new(1200, 900, 1.0, false))
            .await
            .unwrap();
        page.goto(url).await.unwrap();
        page
    }

    async fn close(mut self) {
        self.browser.close().await.unwrap();
        let _ = self.browser.wait().await;
        self.events.abort();
    }
}

/// Runs `test` in a browser on a runtime of its own.
fn in_browser<F: std::future::Future<Output = ()>>(test: impl FnOnce(Chromium) -> F) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        if let Some(chromium) = Chromium::launch().await {
            test(chromium).await;
        }
    });
}

#[test]
fn the_page_forecasts_reacts_marks_errors_and_fits_a_dropped_export() {
    let server = Server::start("2");
    let export = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/backtest-orders.csv"),
    )
    .unwrap();
    in_browser(|chromium| async move {
        let page = chromium.open(&server.url("/")).await;

        // On load: the built-in scenario's forecast, cards and chart.
        until(&page, READY, 1200, "the default forecast").await;
        let before = text(&page, FIRST_CARD).await;
        assert!(before.ends_with("USD"), "{before}");
        until(
            &page,
            "document.querySelectorAll('#fan svg polyline').length >= 2",
            50,
            "the fan chart",
        )
        .await;
        // What a desktop shows first (the README's picture).
        let wide = page
            .screenshot(ScreenshotParams::builder().build())
            .await
            .unwrap();
        not_blank(&wide, "desktop");
        if std::env::var_os("AFFCAST_WRITE_SCREENSHOT").is_some() {
            std::fs::write(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/serve-page.png"),
                &wide,
            )
            .unwrap();
        }

        // Twice the clicks: the cards change.
        fill(
            &page,
            &[
                ("f-traffic-clicks_per_month--low", "40000"),
                ("f-traffic-clicks_per_month--high", "80000"),
            ],
        )
        .await;
        until(
            &page,
            &format!("{READY} && {FIRST_CARD} !== {before:?}"),
            1200,
            "new cards after the edit",
        )
        .await;
        // How long the edit took to show (reported, not judged: timing is the machine's).
        let quick = text(&page, "String(Math.round(window.quickAt - window.editAt))").await;
        let full = text(&page, "String(Math.round(window.fullAt - window.editAt))").await;
        eprintln!("page: edit to quick cards {quick} ms, to the full forecast {full} ms");

        // An invalid share: the message beside the field that has it, and the old figures
        // dimmed and labelled.
        fill(&page, &[("f-categories-0-share", "1.5")]).await;
        until(
            &page,
            "(() => { const e = document.getElementById('f-categories-0-share-err'); return !e.hidden && e.textContent.includes('1.5'); })()",
            600,
            "the share's error beside it",
        )
        .await;
        let invalid = text(
            &page,
            "document.getElementById('f-categories-0-share').getAttribute('aria-invalid') || ''",
        )
        .await;
        assert_eq!(invalid, "true");
        let stale = text(&page, "String(document.getElementById('results').classList.contains('stale')) + ' ' + document.getElementById('results-stale').hidden").await;
        assert_eq!(stale, "true false", "old figures are dimmed and labelled");

        drop_export(&page, &export).await;
        phone_width(&page).await;
        chromium.close().await;
    });
}

/// An export dropped on the page: a fitted scenario, and its forecast.
async fn drop_export(page: &chromiumoxide::Page, export: &str) {
    page.evaluate(format!(
        "(() => {{ const dt = new DataTransfer(); dt.items.add(new File([{}], 'orders.csv', {{ type: 'text/csv' }})); document.getElementById('drop').dispatchEvent(new DragEvent('drop', {{ dataTransfer: dt, bubbles: true, cancelable: true }})); }})()",
        serde_json::to_string(export).unwrap()
    ))
    .await
    .unwrap();
    until(
        page,
        &format!("document.getElementById('toml').value.includes('Fitted from') && {READY}"),
        1200,
        "the fitted scenario's forecast",
    )
    .await;
    let fitted = text(page, "document.getElementById('toml').value").await;
    assert!(
        fitted.contains("[[categories]]") && fitted.contains("commission_rate"),
        "{fitted}"
    );
}

/// Phone width: results first, the chart drawn at the phone's width, nothing wider than
/// the screen; and a page that is not blank. (A full-page screenshot clears the width
/// emulated, so it is taken last.)
async fn phone_width(page: &chromiumoxide::Page) {
    page.execute(SetDeviceMetricsOverrideParams::new(390, 844, 2.0, true))
        .await
        .unwrap();
    until(page, "window.innerWidth === 390", 50, "the phone's width").await;
    let first = text(page, "[document.getElementById('cards').getBoundingClientRect().top, document.getElementById('form').getBoundingClientRect().top].join(' ')").await;
    let tops: Vec<f64> = first.split(' ').map(|x| x.parse().unwrap()).collect();
    assert!(tops[0] < tops[1], "results first on a phone: {first}");
    until(
        page,
        "Number(document.querySelector('#fan svg').getAttribute('width')) <= 390",
        100,
        "the chart at the phone's width",
    )
    .await;
    let fits = text(
        page,
        "String(document.documentElement.scrollWidth <= window.innerWidth + 1)",
    )
    .await;
    assert_eq!(
        fits, "true",
        "the page fits a phone's width without sideways scrolling"
    );
    let narrow = page
        .screenshot(ScreenshotParams::builder().full_page(true).build())
        .await
        .unwrap();
    not_blank(&narrow, "phone");
    if std::env::var_os("AFFCAST_WRITE_SCREENSHOT").is_some() {
        // The README's picture: what a phone shows first.
        page.execute(SetDeviceMetricsOverrideParams::new(390, 844, 1.0, true))
            .await
            .unwrap();
        until(page, "window.innerWidth === 390", 50, "the phone's width").await;
        let first = page
            .screenshot(ScreenshotParams::builder().build())
            .await
            .unwrap();
        std::fs::write(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/serve-page-phone.png"),
            &first,
        )
        .unwrap();
    }
}

/// What the page's first card must say for the scenario the page holds now: the same run
/// through the API, worded by the page's own money format.
async fn expected_first_card(page: &chromiumoxide::Page, server: &Server) -> String {
    let toml = text(page, "document.getElementById('toml').value").await;
    let (code, body) = server.post("/api/forecast?trials=2000", TOML, toml.as_bytes());
    assert_eq!(code, 200, "{body}");
    let doc = json(&body);
    let p50 = doc["summary"]["run_rate_cash"]["p50"].as_f64().unwrap();
    text(
        page,
        &format!(
            "money({p50}) + ' ' + {:?}",
            doc["currency"].as_str().unwrap()
        ),
    )
    .await
}

/// Holds the server's only simulation slot with a sweep of minutes, until dropped (the
/// server then stops the sweep: its client went away).
fn occupy(server: &Server) -> TcpStream {
    let body = crate::serve::default_scenario();
    let mut c = TcpStream::connect(&server.addr).unwrap();
    write!(
        c,
        "POST /api/sensitivity?trials=5000 HTTP/1.1\r\nHost: {}\r\nContent-Type: {TOML}\r\nContent-Length: {}\r\n\r\n{body}",
        server.addr,
        body.len()
    )
    .unwrap();
    let busy = (0..300).any(|_| {
        let (_, h) = server.get("/api/health");
        if json(&h)["busy"].as_u64() == Some(1) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
        false
    });
    assert!(busy, "the sweep holds the slot");
    c
}

#[test]
fn a_busy_server_is_asked_again_and_old_figures_are_never_shown_as_current() {
    let server = Server::start("1");
    in_browser(|chromium| async move {
        let page = chromium.open(&server.url("/")).await;
        until(&page, READY, 1200, "the default forecast").await;
        let sweep = occupy(&server);
        // 3,000,000 clicks typed, then corrected to 30,000, while every slot is busy.
        fill(
            &page,
            &[
                ("f-traffic-clicks_per_month--low", "3000000"),
                ("f-traffic-clicks_per_month--high", "3000000"),
            ],
        )
        .await;
        fill(
            &page,
            &[
                ("f-traffic-clicks_per_month--low", "30000"),
                ("f-traffic-clicks_per_month--high", "30000"),
            ],
        )
        .await;
        // The page says it is busy and will ask again; the old cards are dimmed and labelled.
        until(
            &page,
            "(() => { const s = document.getElementById('status'); return s.classList.contains('warn') && s.textContent.includes('asking again'); })()",
            600,
            "the busy server said",
        )
        .await;
        let stale = text(&page, "String(document.getElementById('results').classList.contains('stale')) + ' ' + document.getElementById('results-stale').hidden").await;
        assert_eq!(stale, "true false", "the old cards are dimmed and labelled");
        // The slot frees: the page asks again by itself and shows the corrected traffic's.
        drop(sweep);
        until(&page, READY, 1200, "the forecast after the server was free").await;
        let shown = text(&page, FIRST_CARD).await;
        assert_eq!(shown, expected_first_card(&page, &server).await);
        chromium.close().await;
    });
}

#[test]
fn two_tabs_at_once_each_end_with_their_own_figures() {
    let server = Server::start("1");
    in_browser(|chromium| async move {
        let a = chromium.open(&server.url("/")).await;
        until(&a, READY, 1200, "tab A's default forecast").await;
        // The second tab shares the browser's storage: it opens with the first one's scenario.
        let b = chromium.open(&server.url("/")).await;
        until(&b, READY, 1200, "tab B's default forecast").await;
        // Both edit at once; one slot: they take turns through 503 and Retry-After.
        for (tab, clicks) in [(&a, "25000"), (&b, "45000")] {
            fill(
                tab,
                &[
                    ("f-traffic-clicks_per_month--low", clicks),
                    ("f-traffic-clicks_per_month--high", clicks),
                ],
            )
            .await;
        }
        for tab in [&a, &b] {
            until(tab, READY, 1200, "each tab's own forecast").await;
        }
        let (shown_a, shown_b) = (text(&a, FIRST_CARD).await, text(&b, FIRST_CARD).await);
        assert_ne!(shown_a, shown_b);
        assert_eq!(shown_a, expected_first_card(&a, &server).await);
        assert_eq!(shown_b, expected_first_card(&b, &server).await);
        chromium.close().await;
    });
}

#[test]
fn mixes_tornado_and_report_survive_an_edit_and_are_marked_when_old() {
    let server = Server::start("4");
    in_browser(|chromium| async move {
        let page = chromium.open(&server.url("/")).await;
        until(&page, READY, 1200, "the default forecast").await;
        // Leaving a field and clicking at once: the forecast's re-run stops none of these.
        page.evaluate(format!(
            "{} document.getElementById('run-mixes').click(); document.getElementById('run-sens').click(); document.getElementById('dl-report').click();",
            set("f-traffic-clicks_per_month--low", "25000")
        ))
        .await
        .unwrap();
        until(&page, "document.getElementById('mixes-status').textContent.startsWith('500 simulated worlds') && document.querySelectorAll('#mixes tbody tr').length >= 3", 1800, "the mixes").await;
        until(&page, "document.getElementById('sens-status').textContent.startsWith('100 simulated worlds') && document.querySelectorAll('#sens svg rect').length >= 5", 1800, "the tornado").await;
        until(
            &page,
            "window.downloads.some((d) => d.name === 'affcast-report.html' && d.size > 10000)",
            1800,
            "the report downloaded",
        )
        .await;
        until(&page, READY, 1200, "the forecast of the edit").await;
        let fresh = text(&page, "['results', 'mixes', 'sens'].map((b) => document.getElementById(b).classList.contains('stale')).join(' ')").await;
        assert_eq!(
            fresh, "false false false",
            "everything is for the form as it is"
        );
        // Each mix's verdict, said by the page from its numbers.
        let verdicts = text(&page, "Array.from(document.querySelectorAll('#mixes tr.said')).map((r) => r.textContent).join('|')").await;
        assert!(
            verdicts.contains("than base on average")
                || verdicts.starts_with("No difference from base"),
            "{verdicts}"
        );
        // The tornado's bars are labelled in words, with the results at both ends.
        let labels = text(&page, "Array.from(document.querySelectorAll('#sens svg text')).map((t) => t.textContent).join('|')").await;
        assert!(
            labels.contains("conversion rate · phone-accessories"),
            "{labels}"
        );
        assert!(!labels.contains("categories."), "{labels}");
        // Readable at a laptop's width and at a phone's: nothing wider than its column, the
        // charts drawn at the width they are shown (text at its own size, not shrunk).
        for width in [1366, 390] {
            page.execute(SetDeviceMetricsOverrideParams::new(
                width,
                900,
                1.0,
                width < 500,
            ))
            .await
            .unwrap();
            until(
                &page,
                &format!("Math.round(document.querySelector('#sens svg').getBoundingClientRect().width) === Number(document.querySelector('#sens svg').getAttribute('width')) && document.querySelector('#sens svg').getAttribute('width') <= {width}"),
                100,
                "the tornado drawn at its width",
            )
            .await;
            let fits = text(&page, "['mixes', 'sens', 'results'].map((b) => { const e = document.getElementById(b); return e.scrollWidth <= e.clientWidth + 1; }).join(' ')").await;
            assert_eq!(fits, "true true true", "at {width} px");
        }
        page.execute(SetDeviceMetricsOverrideParams::new(1200, 900, 1.0, false))
            .await
            .unwrap();
        // Another edit: the mixes and the tornado are now for earlier inputs, and say so.
        fill(&page, &[("f-traffic-monthly_growth", "0.03")]).await;
        let old = text(&page, "['mixes', 'sens'].map((b) => document.getElementById(b).classList.contains('stale') + '/' + document.getElementById(b + '-stale').hidden).join(' ')").await;
        assert_eq!(old, "true/false true/false");
        chromium.close().await;
    });
}

#[test]
fn the_scenario_is_kept_opened_from_a_file_and_only_reset_when_asked() {
    let server = Server::start("2");
    in_browser(|chromium| async move {
        let page = chromium.open(&server.url("/")).await;
        until(&page, READY, 1200, "the default forecast").await;
        // A renamed category keeps its mixes, and the name is shown without quotes.
        fill(&page, &[("f-categories-0-name", "phones")]).await;
        until(&page, READY, 1200, "the forecast after the rename").await;
        let toml = text(&page, "document.getElementById('toml').value").await;
        assert!(toml.contains("name = \"phones\""), "{toml}");
        assert!(
            toml.contains("{ phones = 0.8, home-garden = 0.2 }"),
            "{toml}"
        );
        assert_eq!(
            text(
                &page,
                "document.getElementById('f-categories-0-name').value"
            )
            .await,
            "phones"
        );
        // A reload keeps it.
        page.reload().await.unwrap();
        until(&page, READY, 1200, "the forecast after a reload").await;
        assert_eq!(
            text(&page, "document.getElementById('toml').value").await,
            toml
        );
        // A scenario file dropped on the page is opened as it is.
        let file = crate::serve::default_scenario().replace(
            "clicks_per_month = { low = 20000, high = 40000 }",
            "clicks_per_month = 12345",
        );
        page.evaluate(format!(
            "(() => {{ const dt = new DataTransfer(); dt.items.add(new File([{}], 'mine.toml', {{ type: 'application/toml' }})); document.getElementById('drop').dispatchEvent(new DragEvent('drop', {{ dataTransfer: dt, bubbles: true, cancelable: true }})); }})()",
            serde_json::to_string(&file).unwrap()
        ))
        .await
        .unwrap();
        until(
            &page,
            &format!(
                "document.getElementById('toml').value === {} && {READY}",
                serde_json::to_string(&file).unwrap()
            ),
            1200,
            "the dropped scenario's forecast",
        )
        .await;
        assert_eq!(
            text(
                &page,
                "document.getElementById('f-traffic-clicks_per_month').value"
            )
            .await,
            "12345"
        );
        // "Start again" asks first; "No" keeps the scenario, "Yes" brings the example back.
        page.evaluate("document.getElementById('reset').click()")
            .await
            .unwrap();
        assert_eq!(
            text(&page, "String(document.getElementById('reset-ask').hidden)").await,
            "false"
        );
        page.evaluate("document.getElementById('reset-no').click()")
            .await
            .unwrap();
        assert_eq!(
            text(&page, "document.getElementById('toml').value").await,
            file
        );
        page.evaluate("document.getElementById('reset').click(); document.getElementById('reset-yes').click()").await.unwrap();
        until(
            &page,
            &format!(
                "document.getElementById('toml').value === {}",
                serde_json::to_string(&crate::serve::default_scenario()).unwrap()
            ),
            300,
            "the example back",
        )
        .await;
        chromium.close().await;
    });
}

#[test]
fn portuguese_words_and_numbers_and_a_number_that_reads_two_ways_is_asked() {
    let server = Server::start("2");
    in_browser(|chromium| async move {
        let page = chromium.open(&server.url("/")).await;
        until(&page, READY, 1200, "the default forecast").await;
        // The reader picks Portuguese: the page's words, and numbers written the Portuguese way.
        page.evaluate("(() => { const s = document.getElementById('lang'); s.value = 'pt'; s.dispatchEvent(new Event('change')); })()").await.unwrap();
        until(
            &page,
            &format!("document.documentElement.lang === 'pt' && {READY}"),
            1200,
            "the page in Portuguese",
        )
        .await;
        assert_eq!(
            text(&page, "document.getElementById('run-mixes').textContent").await,
            "Comparar as combinações"
        );
        // The month without cash, in Portuguese with its calendar month.
        let gap = text(&page, "document.querySelector('#footnotes li').textContent").await;
        assert!(
            gap.starts_with("Nenhum dinheiro chega em fev. de 2028, embora"),
            "{gap}"
        );
        // The withdrawal advice, said from its numbers in Portuguese.
        let advice = text(&page, "document.querySelector('#advice p').textContent").await;
        assert!(
            advice.starts_with("Saque a partir de ") && advice.contains("abaixo de 5% do dinheiro"),
            "{advice}"
        );
        let card = text(&page, FIRST_CARD).await;
        assert!(card.ends_with(" USD") && card.contains(','), "{card}");
        assert_eq!(card, expected_first_card(&page, &server).await);
        // 30.000 reads two ways (thirty thousand, or thirty): asked, and nothing is run meanwhile.
        fill(&page, &[("f-traffic-clicks_per_month--low", "30.000")]).await;
        let toml = "document.getElementById('toml').value";
        assert!(
            text(&page, toml)
                .await
                .contains("{ low = 20000, high = 40000 }")
        );
        let ask = "document.getElementById('f-traffic-clicks_per_month-ask')";
        assert_eq!(text(&page, &format!("String({ask}.hidden)")).await, "false");
        assert_eq!(
            text(&page, &format!("Array.from({ask}.querySelectorAll('button')).map((b) => b.textContent).join('|')")).await,
            "30|30000"
        );
        let stale = "String(document.getElementById('results').classList.contains('stale'))";
        assert_eq!(
            text(&page, stale).await,
            "true",
            "the figures are not for what the form shows"
        );
        page.evaluate(format!("Array.from({ask}.querySelectorAll('button')).find((b) => b.textContent === '30000').click()")).await.unwrap();
        until(
            &page,
            &format!("{toml}.includes('{{ low = 30000, high = 40000 }}') && {READY}"),
            1200,
            "thirty thousand taken",
        )
        .await;
        // 0,015 and 0,03 read one way: taken as they are.
        fill(
            &page,
            &[
                ("f-categories-0-conversion_rate--low", "0,015"),
                ("f-traffic-monthly_growth", "0,03"),
            ],
        )
        .await;
        until(&page, &format!("{toml}.includes('conversion_rate = {{ low = 0.015, high = 0.025 }}') && {toml}.includes('monthly_growth = 0.03') && {READY}"), 1200, "decimal commas read").await;
        // Valid but probably not meant: the warning in Portuguese, with its numbers.
        fill(&page, &[("f-traffic-monthly_growth", "0,5")]).await;
        until(
            &page,
            "document.getElementById('warnings').textContent.startsWith('50% a mais de cliques todo mês dá ×')",
            600,
            "the growth warning in Portuguese",
        )
        .await;
        let warning = text(&page, "document.getElementById('warnings').textContent").await;
        assert!(
            warning.ends_with("Se você quis dizer 0,5%, escreva 0,005."),
            "{warning}"
        );
        // So much growth is too much work for the page's minute: refused at once, said in
        // Portuguese with the page's way out (not run for a quarter of an hour).
        until(
            &page,
            "document.getElementById('status').textContent.startsWith('Este cálculo acompanharia cerca de')",
            600,
            "the run refused in Portuguese",
        )
        .await;
        let refused = text(&page, "document.getElementById('status').textContent").await;
        assert!(
            refused.ends_with("Diminua o tráfego, o seu crescimento ou os meses.")
                && !refused.contains("--"),
            "{refused}"
        );
        // Not a number: said beside the field, in Portuguese, by the page itself.
        fill(&page, &[("f-traffic-monthly_growth", "dois")]).await;
        let said = text(
            &page,
            "document.getElementById('f-traffic-monthly_growth-err').textContent",
        )
        .await;
        assert!(said.starts_with("“dois” não é um número"), "{said}");
        // A value out of range: the server's fault, worded in Portuguese with its numbers.
        fill(
            &page,
            &[
                ("f-traffic-monthly_growth", "0,03"),
                ("f-categories-0-share", "1,5"),
            ],
        )
        .await;
        until(
            &page,
            "document.getElementById('f-categories-0-share-err').textContent.includes('As parcelas somam 1,95; devem somar 1.')",
            600,
            "the shares' sum said in Portuguese beside the shares",
        )
        .await;
        let beside = text(
            &page,
            "document.getElementById('f-categories-1-share-err').textContent",
        )
        .await;
        assert!(beside.contains("As parcelas somam 1,95"), "{beside}");
        fill(&page, &[("f-categories-0-share", "2")]).await;
        until(
            &page,
            "document.getElementById('f-categories-0-share-err').textContent.includes('Informe um número de 0 a 1; 2 está fora disso.')",
            600,
            "the range said in Portuguese",
        )
        .await;
        if std::env::var_os("AFFCAST_WRITE_SCREENSHOT").is_some() {
            fill(&page, &[("f-categories-0-share", "0,55")]).await;
            until(&page, &format!("{READY} && document.getElementById('status').textContent.startsWith('Previsão a partir')"), 1200, "the forecast again").await;
            let shot = page
                .screenshot(ScreenshotParams::builder().build())
                .await
                .unwrap();
            std::fs::write(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/serve-page-pt.png"),
                shot,
            )
            .unwrap();
        }
        // A dropped export: the fit's notes said in Portuguese, without the command line's
        // prefixes or flags.
        let orders = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/backtest-orders.csv"),
        )
        .unwrap();
        page.evaluate(drop_files(&[("pedidos.csv", &orders)]))
            .await
            .unwrap();
        until(
            &page,
            "document.getElementById('fit-status').textContent.includes('registros AliExpress')",
            1200,
            "the fit's notes in Portuguese",
        )
        .await;
        let notes = text(&page, "document.getElementById('fit-status').textContent").await;
        assert!(
            notes.contains("lida como exportação AliExpress (reconhecida pelos campos)")
                && !notes.contains("fit:")
                && !notes.contains("--"),
            "{notes}"
        );
        chromium.close().await;
    });
}

/// Drops files (name, text) on the page's drop zone.
fn drop_files(files: &[(&str, &str)]) -> String {
    let items: String = files
        .iter()
        .map(|(name, text)| {
            format!(
                "dt.items.add(new File([{}], {name:?}, {{ type: 'text/csv' }}));",
                serde_json::to_string(text).unwrap()
            )
        })
        .collect();
    format!(
        "(() => {{ const dt = new DataTransfer(); {items} document.getElementById('drop').dispatchEvent(new DragEvent('drop', {{ dataTransfer: dt, bubbles: true, cancelable: true }})); }})()"
    )
}

#[test]
fn several_exports_with_clicks_open_the_forecast_with_their_money_and_odd_columns_are_mapped() {
    let server = Server::start("2");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let orders = std::fs::read_to_string(fixtures.join("backtest-orders.csv")).unwrap();
    // The export in two downloads, each with its header.
    let lines: Vec<&str> = orders.lines().collect();
    let half = lines.len() / 2;
    let first = lines[..half].join("\n");
    let second = format!("{}\n{}", lines[0], lines[half..].join("\n"));
    let dashboard = std::fs::read_to_string(fixtures.join("dashboard-orders.csv")).unwrap();
    in_browser(|chromium| async move {
        let page = chromium.open(&server.url("/")).await;
        until(&page, READY, 1200, "the default forecast").await;
        fill(&page, &[("fit-clicks", "40000")]).await;
        page.evaluate(drop_files(&[("march.csv", &first), ("april.csv", &second)]))
            .await
            .unwrap();
        let toml = "document.getElementById('toml').value";
        until(
            &page,
            &format!("{toml}.includes('40000 clicks') && {READY}"),
            1200,
            "the fit of both files with the clicks",
        )
        .await;
        let status = text(&page, "document.getElementById('fit-status').textContent").await;
        assert!(
            status.starts_with("Fitted from march.csv, april.csv."),
            "{status}"
        );
        let notes = text(
            &page,
            "String(document.querySelectorAll('#fit-status li').length)",
        )
        .await;
        assert!(
            notes.parse::<usize>().unwrap() >= 3,
            "the fit's notes are shown: {notes}"
        );
        // Read as one: every order once, as the whole file gives it.
        let fitted = text(&page, toml).await;
        assert!(fitted.contains("1861 orders"), "{fitted}");
        // The forecast opens with the money the export already holds, and says so.
        let opened = text(&page, "document.querySelector('#footnotes li').textContent").await;
        assert!(
            opened.starts_with("Opened with the money already in your export as of 2027-08-31 20:54: 191.08 USD in 112 pending orders"),
            "{opened}"
        );
        // Columns named otherwise: the page asks which column is which field.
        page.evaluate(drop_files(&[("dashboard.csv", &dashboard)]))
            .await
            .unwrap();
        until(
            &page,
            "!document.getElementById('map-box').hidden",
            600,
            "the mapping step",
        )
        .await;
        let why = text(&page, "document.getElementById('map-box').textContent").await;
        assert!(why.contains("“order_status”"), "{why}");
        // The obvious ones are guessed; the commission's column is picked by the reader.
        assert_eq!(
            text(&page, "document.getElementById('map-paid_time').value").await,
            "Paid Time"
        );
        page.evaluate("(() => { const s = document.getElementById('map-commission'); s.value = 'Estimated Commission'; document.getElementById('map-fit').click(); })()").await.unwrap();
        until(
            &page,
            &format!("{toml}.includes('dashboard.csv') && {READY}"),
            1200,
            "the mapped fit",
        )
        .await;
        assert!(text(&page, toml).await.contains("[[categories]]"));
        chromium.close().await;
    });
}

#[test]
fn my_data_shows_the_order_store_in_the_page_language() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = crate::track::store_of_three(dir.path());
    let server = Server::start_with(&["--db", db.to_str().unwrap()]);
    in_browser(|chromium| async move {
        let page = chromium.open(&server.url("/?lang=es")).await;
        until(&page, READY, 1200, "the default forecast").await;
        assert_eq!(
            text(
                &page,
                "String(document.getElementById('mydata-box').hidden)"
            )
            .await,
            "false",
            "the view is offered when the server has a store"
        );
        page.evaluate("document.getElementById('run-mydata').click()")
            .await
            .unwrap();
        until(
            &page,
            "document.querySelector('#mydata section h2') !== null",
            1200,
            "the store's section",
        )
        .await;
        let heading = text(
            &page,
            "document.querySelector('#mydata section h2').textContent",
        )
        .await;
        assert_eq!(heading, "Tus pedidos hasta ahora");
        let months = text(
            &page,
            "String(document.querySelectorAll('#mydata table')[0].querySelectorAll('tbody tr').length)",
        )
        .await;
        assert_eq!(months, "3", "January to March");
        // Its nowcast comes from the scenario: an edit marks it as older.
        fill(&page, &[("f-traffic-monthly_growth", "0,03")]).await;
        until(
            &page,
            "!document.getElementById('mydata-stale').hidden",
            600,
            "My data marked older after an edit",
        )
        .await;
        chromium.close().await;
    });
}

/// The page offers every program preset, and compares the site under each program it can
/// place: the review's score, cash per 1,000 clicks and days to bank; the programs it cannot
/// place are named. Choosing another program re-forecasts under its rules.
#[test]
fn the_page_compares_programs_and_switches_to_one() {
    let server = Server::start("2");
    in_browser(|chromium| async move {
        let page = chromium.open(&server.url("/")).await;
        until(&page, READY, 1200, "the default forecast").await;
        let offered = text(&page, "Array.from(document.getElementById('f-program-preset').options).map((o) => o.value).join(' ')").await;
        for preset in [
            "aliexpress-portals",
            "amazon-associates-us",
            "ebay-partner-network",
            "awin",
        ] {
            assert!(offered.contains(preset), "{offered}");
        }
        page.evaluate("document.getElementById('run-programs').click()")
            .await
            .unwrap();
        until(&page, "document.getElementById('programs-status').textContent.startsWith('300 simulated worlds') && document.querySelectorAll('#programs tbody tr').length >= 3", 1800, "the programs").await;
        let rows = text(&page, "Array.from(document.querySelectorAll('#programs tbody tr')).map((r) => Array.from(r.cells).map((c) => c.textContent).join(';')).join('|')").await;
        let first: Vec<&str> = rows.split('|').next().unwrap().split(';').collect();
        assert_eq!(&first[..2], &["aliexpress-portals", "5.2"], "{rows}");
        let amazon = rows
            .split('|')
            .find(|r| r.starts_with("amazon-associates-us;"))
            .unwrap_or_else(|| panic!("{rows}"));
        let days: f64 = amazon.split(';').nth(3).unwrap().parse().unwrap();
        assert!((70.0..90.0).contains(&days), "{amazon}");
        let note = text(
            &page,
            "document.querySelector('#programs p.note').textContent",
        )
        .await;
        assert!(
            note.contains("awin") && note.contains("--category-map"),
            "{note}"
        );
        // What the figures take as assumptions, program by program: none of Portals' own
        // rules, Amazon's settlement among them.
        let assumed = text(&page, "Array.from(document.querySelectorAll('#programs-assumed h3')).map((h) => h.textContent + ': ' + h.nextElementSibling.textContent).join('|')").await;
        assert!(
            !assumed
                .split('|')
                .any(|p| p.starts_with("aliexpress-portals: ")),
            "{assumed}"
        );
        let amazon = assumed
            .split('|')
            .find(|p| p.starts_with("amazon-associates-us: "))
            .unwrap_or_else(|| panic!("{assumed}"));
        assert!(
            amazon.contains("settlement = \"daily\" (ASSUMED: "),
            "{amazon}"
        );
        // Another program: its rules written to the scenario, and the forecast follows them.
        page.evaluate("(() => { const s = document.getElementById('f-program-preset'); s.value = 'amazon-associates-us'; s.dispatchEvent(new Event('change')); })()").await.unwrap();
        until(
            &page,
            "document.getElementById('toml').value.includes('preset = \"amazon-associates-us\"')",
            600,
            "the preset written",
        )
        .await;
        until(&page, READY, 1200, "the forecast under Amazon").await;
        let stale = text(&page, "String(document.getElementById('programs').classList.contains('stale') && !document.getElementById('programs-stale').hidden)").await;
        assert_eq!(stale, "true", "the comparison is for the earlier inputs");
        chromium.close().await;
    });
}
