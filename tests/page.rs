//! The page of `affcast serve`, driven in headless Chromium over the DevTools protocol: the
//! default forecast's cards and chart, an edit that moves them, an invalid share marked beside
//! its field, an export dropped on the page and fitted, and screenshots at desktop and phone
//! width that are not blank.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::page::ScreenshotParams;
use futures::StreamExt;

use crate::common::not_blank;
use crate::serve::Server;

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

const READY: &str =
    "document.getElementById('status').textContent.startsWith('Forecast from 2000')";
const FIRST_CARD: &str = "document.querySelector('#cards .card b').textContent";

#[test]
fn the_page_forecasts_reacts_marks_errors_and_fits_a_dropped_export() {
    let Some(browser_path) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!("note: no chromium on this machine; the page test is skipped (CI runs it)");
        return;
    };
    let server = Server::start("2");
    let url = server.url("/");
    let profile = tempfile::tempdir().unwrap();
    let export = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/backtest-orders.csv"),
    )
    .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        let config = BrowserConfig::builder()
            .chrome_executable(browser_path)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1200, 900)
            .arg("--disable-gpu")
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let (mut browser, mut handler) = Browser::launch(config).await.unwrap();
        let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
        let page = browser.new_page("about:blank").await.unwrap();
        page.execute(SetDeviceMetricsOverrideParams::new(1200, 900, 1.0, false))
            .await
            .unwrap();
        page.goto(url.as_str()).await.unwrap();

        // On load: the built-in scenario's forecast, cards and chart.
        until(&page, READY, 1200, "the default forecast").await;
        let before = text(&page, FIRST_CARD).await;
        assert!(before.ends_with("USD"), "{before}");
        until(&page, "document.querySelectorAll('#fan svg polyline').length >= 2", 50, "the fan chart").await;
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
        page.evaluate(
            "(() => { const f = document.getElementById('f-traffic-clicks_per_month'); f.value = '120000'; f.dispatchEvent(new Event('input')); })()",
        )
        .await
        .unwrap();
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

        // An invalid share: the message beside the field that has it.
        page.evaluate(
            "(() => { const f = document.getElementById('f-categories-0-share'); f.value = '1.5'; f.dispatchEvent(new Event('input')); })()",
        )
        .await
        .unwrap();
        until(
            &page,
            "(() => { const e = document.getElementById('f-categories-0-share-err'); return !e.hidden && e.textContent.includes('1.5'); })()",
            600,
            "the share's error beside it",
        )
        .await;
        let invalid = text(&page, "document.getElementById('f-categories-0-share').getAttribute('aria-invalid') || ''").await;
        assert_eq!(invalid, "true");

        drop_export(&page, &export).await;
        phone_width(&page).await;
        browser.close().await.unwrap();
        let _ = browser.wait().await;
        events.abort();
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

/// Phone width: the page still lays out, and is not blank.
async fn phone_width(page: &chromiumoxide::Page) {
    page.execute(SetDeviceMetricsOverrideParams::new(390, 844, 2.0, true))
        .await
        .unwrap();
    let narrow = page
        .screenshot(ScreenshotParams::builder().full_page(true).build())
        .await
        .unwrap();
    not_blank(&narrow, "phone");
    let overflow: bool = page
        .evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        .await
        .unwrap()
        .into_value()
        .unwrap();
    assert!(
        overflow,
        "the page fits a phone's width without sideways scrolling"
    );
}
