//! The page's timings: from an edit of the default scenario to the quick cards (200 worlds)
//! and to the full forecast (2,000), in headless Chromium against `affcast serve`, over 10
//! edits. The page's promise is quick cards within 0.4 s of an edit on this scenario.
//!
//! `cargo bench --bench page` (needs `chromium` on the PATH, or AFFCAST_CHROMIUM).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use chromiumoxide::browser::{Browser, BrowserConfig};
use futures::StreamExt;

/// Edits measured.
const EDITS: usize = 10;

fn chromium() -> Option<std::path::PathBuf> {
    if let Ok(p) = std::env::var("AFFCAST_CHROMIUM") {
        return Some(p.into());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

async fn value(page: &chromiumoxide::Page, js: &str) -> String {
    page.evaluate(js).await.unwrap().into_value().unwrap()
}

/// Polls `js` until true, at most a minute.
async fn until(page: &chromiumoxide::Page, js: &str) {
    for _ in 0..600 {
        if page
            .evaluate(js)
            .await
            .ok()
            .and_then(|r| r.into_value::<bool>().ok())
            .unwrap_or(false)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed {js}");
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this in test mode: skip then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Some(browser_path) = chromium() else {
        println!("page: no chromium on this machine; nothing measured");
        return;
    };
    /// The server, stopped when dropped (also when the bench panics).
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_affcast"))
            .args(["serve", "--port", "0", "--jobs", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts"),
    );
    let mut line = String::new();
    BufReader::new(server.0.stderr.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .map(|addr| format!("http://{addr}/"))
        .expect("the server says its address");
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (quick, full) = runtime.block_on(async move {
        let config = BrowserConfig::builder()
            .chrome_executable(browser_path)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1366, 900)
            .arg("--disable-gpu")
            .build()
            .unwrap();
        let (mut browser, mut handler) = Browser::launch(config).await.unwrap();
        let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
        let page = browser.new_page(url.as_str()).await.unwrap();
        let ready = "document.getElementById('results').dataset.trials === '2000' && !document.getElementById('results').classList.contains('stale')";
        until(&page, ready).await;
        let (mut quick, mut full) = (Vec::new(), Vec::new());
        for i in 0..EDITS {
            let clicks = 20000 + 1000 * (i + 1);
            page.evaluate(format!(
                "(() => {{ const f = document.getElementById('f-traffic-clicks_per_month--low'); f.value = '{clicks}'; f.dispatchEvent(new Event('input')); }})()"
            ))
            .await
            .unwrap();
            until(&page, &format!("{ready} && window.fullAt > window.editAt")).await;
            let q: f64 = value(&page, "String(window.quickAt - window.editAt)").await.parse().unwrap();
            let f: f64 = value(&page, "String(window.fullAt - window.editAt)").await.parse().unwrap();
            quick.push(q);
            full.push(f);
        }
        browser.close().await.unwrap();
        let _ = browser.wait().await;
        events.abort();
        (quick, full)
    });
    drop(server);
    let max = |xs: &[f64]| xs.iter().copied().fold(0.0, f64::max);
    println!(
        "page: edit → quick cards median {:.0} ms (max {:.0}), → full forecast median {:.0} ms (max {:.0}), over {EDITS} edits; the page promises quick cards within 400 ms: {}",
        median(quick.clone()),
        max(&quick),
        median(full.clone()),
        max(&full),
        if median(quick) <= 400.0 {
            "kept"
        } else {
            "NOT kept"
        }
    );
}
