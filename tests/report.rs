//! Charts and the HTML report: well-formed SVG with the expected series, and the report
//! rendered by a real browser (headless Chromium).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{affcast, not_blank};

fn svg_texts(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not well-formed XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

#[test]
fn plots_are_well_formed_svg_with_their_series() {
    let dir = tempfile::tempdir().unwrap();
    let fan = dir.path().join("fan.svg");
    affcast()
        .args(["forecast", "--trials", "40", "--format", "json", "--plot"])
        .arg(&fan)
        .assert()
        .success();
    let texts = svg_texts(&fan);
    for series in [
        "cash p10–p90",
        "cash median",
        "cash mean",
        "confirmed median",
        "pending balance median",
        "Month",
        "2027-01",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(series)),
            "fan chart lacks {series}: {texts:?}"
        );
    }
    assert!(
        texts.iter().any(|t| t.starts_with("first withdrawal (")),
        "the first withdrawal is marked"
    );
    assert!(
        texts.iter().any(|t| t.contains("USD")),
        "the axis names the currency"
    );

    let cmp = dir.path().join("cmp.svg");
    affcast()
        .args(["compare", "--trials", "40", "--format", "json", "--plot"])
        .arg(&cmp)
        .assert()
        .success();
    let texts = svg_texts(&cmp);
    for label in [
        "base",
        "accessories-heavy",
        "home-heavy",
        "difference vs base (paired)",
    ] {
        assert!(
            texts.iter().any(|t| t == label),
            "compare chart lacks {label}"
        );
    }

    let tornado = dir.path().join("tornado.svg");
    affcast()
        .args([
            "sensitivity",
            "--trials",
            "20",
            "--format",
            "json",
            "--plot",
        ])
        .arg(&tornado)
        .assert()
        .success();
    let texts = svg_texts(&tornado);
    assert!(texts.iter().any(|t| t == "traffic.clicks_per_month"));
    assert!(
        texts.iter().any(|t| t == "input at its low")
            && texts.iter().any(|t| t == "input at its high")
    );
}

/// Chromium, if installed (CI installs it; elsewhere the browser test is skipped).
fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("AFFCAST_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

fn headless(browser: &Path, profile: &Path) -> Command {
    let mut c = Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Capture only after the page has loaded and every compositor stage has drawn:
        // virtual time, not the wall clock, so a busy machine cannot shoot before paint.
        "--virtual-time-budget=5000",
        "--run-all-compositor-stages-before-draw",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn the_html_report_renders_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    affcast()
        .args(["report", "--trials", "200", "--output"])
        .arg(&html)
        .assert()
        .success();
    let page = std::fs::read_to_string(&html).unwrap();
    for fetch in ["src=", "href=", "<link", "@import", "url(", "<script"] {
        assert!(
            !page.contains(fetch),
            "self-contained: the page has {fetch}"
        );
    }
    assert!(page.contains("<svg"), "the fan chart is inline");

    // The same forecast as JSON, to find its numbers in the page.
    let json = affcast()
        .args(["forecast", "--trials", "200", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let run_rate = format!(
        "{:.2}",
        v["summary"]["run_rate_confirmed"]["p50"].as_f64().unwrap()
    );

    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!("note: no chromium on this machine; the browser check is skipped (CI runs it)");
        return;
    };
    let url = format!("file://{}", html.display());
    let dom = headless(&browser, &dir.path().join("profile-dom"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    for heading in [
        "Phone accessories niche site",
        "Money by month",
        "Monthly figures",
        "Withdrawal advice",
        "Category mixes",
        "Assumptions",
        "How to read this",
    ] {
        assert!(dom.contains(heading), "the rendered page lacks {heading}");
    }
    assert!(
        dom.contains(&run_rate),
        "the page shows the run rate {run_rate}"
    );
    assert!(
        dom.contains("preset aliexpress-portals"),
        "assumptions say where values came from"
    );

    for (name, size) in [("wide", "1200,1600"), ("phone", "390,1200")] {
        let png = dir.path().join(format!("{name}.png"));
        let shot = headless(&browser, &dir.path().join(format!("profile-{name}")))
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("--window-size={size}"))
            .arg(&url)
            .output()
            .unwrap();
        assert!(
            shot.status.success(),
            "{}",
            String::from_utf8_lossy(&shot.stderr)
        );
        not_blank(&std::fs::read(&png).unwrap(), name);
    }
}

#[test]
fn the_reports_mixes_fit_a_wide_page_and_say_their_shares_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    affcast()
        .args(["report", "--trials", "100", "--output"])
        .arg(&html)
        .assert()
        .success();
    let page = std::fs::read_to_string(&html).unwrap();
    let mixes = &page[page
        .find("<h2>Category mixes</h2>")
        .expect("a mixes section")..];
    let mixes = &mixes[..mixes.find("</section>").unwrap()];
    for words in [
        "Share of clicks",
        "Cash in the bank per month",
        "Difference from base",
        "Ahead of base in",
        "phone-accessories 55%",
    ] {
        assert!(mixes.contains(words), "the mixes table lacks {words:?}");
    }
    assert!(
        !mixes.contains("run_rate_confirmed</th>"),
        "headers are words"
    );

    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium");
        return;
    };
    // Measure in the browser how far each table overflows its box at 1300 px.
    let probe = page.replace(
        "</body>",
        "<script>document.body.setAttribute('data-overflow', JSON.stringify([...document.querySelectorAll('section')].filter(s => s.querySelector('h2') && s.querySelector('h2').textContent === 'Category mixes').map(s => { const d = s.querySelector('.scroll'); return d.scrollWidth - d.clientWidth; })));</script></body>",
    );
    let probed = dir.path().join("probe.html");
    std::fs::write(&probed, probe).unwrap();
    let dom = headless(&browser, &dir.path().join("profile-probe"))
        .arg("--window-size=1300,2000")
        .arg("--dump-dom")
        .arg(format!("file://{}", probed.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let start = dom.find("data-overflow=\"").expect("the probe ran") + "data-overflow=\"".len();
    let overflow = &dom[start..start + dom[start..].find('"').unwrap()];
    assert_eq!(
        overflow, "[0]",
        "the mixes table overflows by {overflow} px at 1300 px"
    );
}

#[test]
fn a_report_with_dying_links_shows_them_and_the_refresh_advice() {
    let dir = tempfile::tempdir().unwrap();
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fashion-accessories-links.toml");
    let (html, fan) = (dir.path().join("links.html"), dir.path().join("links.svg"));
    affcast()
        .args(["report", "--trials", "100", "--output"])
        .arg(&html)
        .arg(&example)
        .assert()
        .success();
    affcast()
        .args(["forecast", "--trials", "100", "--format", "json", "--plot"])
        .arg(&fan)
        .arg(&example)
        .assert()
        .success();
    let texts = svg_texts(&fan);
    assert!(
        texts
            .iter()
            .any(|t| t == "dead links, share of clicks (right axis)")
            && texts.iter().any(|t| t == "100%"),
        "the fan chart has the dead-link line and its axis: {texts:?}"
    );
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium");
        return;
    };
    let dom = headless(&browser, &dir.path().join("profile"))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    for text in [
        "Refresh advice",
        "Dead links",
        "every 6 months *",
        "more cash than never refreshing",
        "links.death_rate",
    ] {
        assert!(dom.contains(text), "the rendered report lacks {text:?}");
    }
}

#[test]
fn a_report_with_a_backtest_shows_the_track_record() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let html = dir.path().join("track.html");
    affcast()
        .args(["report", "--trials", "100", "--origins", "3", "--output"])
        .arg(&html)
        .arg("--backtest")
        .arg(fixtures.join("backtest-orders.csv"))
        .arg("--clicks")
        .arg(fixtures.join("backtest-clicks.csv"))
        .assert()
        .success();
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium");
        return;
    };
    let dom = headless(&browser, &dir.path().join("profile"))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    for text in [
        "Track record",
        "3 origins, 3 months ahead",
        "the 80% band held",
        "in 80% band",
        "the forecast against what happened",
        "Withdrawal advice",
    ] {
        assert!(dom.contains(text), "the rendered report lacks {text:?}");
    }
}

/// `x` with `dp` decimals as the language writes it (the CLDR rules of the four languages:
/// Spanish groups only numbers of five digits or more, French with a narrow no-break space).
fn written_in(lang: &str, x: f64, dp: usize) -> String {
    let plain = format!("{x:.dp$}");
    let (sign, plain) = plain
        .strip_prefix('-')
        .map_or(("", plain.as_str()), |p| ("-", p));
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let (group, point) = match lang {
        "en" => (",", "."),
        "fr" => ("\u{202f}", ","),
        _ => (".", ","),
    };
    let grouped = lang != "es" || int.len() > 4;
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if grouped && i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(ch);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}{point}{frac}")
    }
}

/// The text a reader sees: tags, the style sheet and entities gone, chart labels kept.
fn visible_text(html: &str) -> String {
    let no_style = html.split("<style>").next().unwrap_or("").to_string()
        + html.split("</style>").nth(1).unwrap_or("");
    let mut text = String::new();
    let mut in_tag = false;
    for ch in no_style.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

#[test]
fn the_html_report_speaks_each_language() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = root.join("scenarios/fashion-accessories-links.toml");
    let fixtures = root.join("tests/fixtures");
    let json = affcast()
        .args(["forecast", "--trials", "100", "--format", "json"])
        .arg(&scenario)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let run_rate = v["summary"]["run_rate_confirmed"]["p50"].as_f64().unwrap();
    let total_clicks = v["summary"]["total_clicks"]["p50"].as_f64().unwrap();

    // Each section's heading, a chart's words and a sentence made from numbers.
    let english = [
        "Monthly figures",
        "Refresh advice",
        "Track record",
        "How to read this",
        "money by month",
        "Withdrawal advice (fee per withdrawal",
        "the 80% band held",
    ];
    let cases: [(&str, [&str; 7]); 4] = [
        ("en", english),
        (
            "pt",
            [
                "Números mensais",
                "Conselho de renovação",
                "Histórico de acertos",
                "Como ler isto",
                "dinheiro por mês",
                "Conselho de saque (taxa por saque",
                "a faixa de 80% conteve",
            ],
        ),
        (
            "es",
            [
                "Cifras mensuales",
                "Consejo de renovación",
                "Historial de aciertos",
                "Cómo leer esto",
                "dinero por mes",
                "Consejo de retirada (comisión por retirada",
                "la banda del 80\u{a0}% contuvo",
            ],
        ),
        (
            "fr",
            [
                "Chiffres mensuels",
                "Conseil de renouvellement",
                "Historique de justesse",
                "Comment lire ceci",
                "argent par mois",
                "Conseil de retrait (frais par retrait",
                "la bande à 80\u{202f}% a contenu",
            ],
        ),
    ];
    let mut pages = Vec::new();
    for (lang, words) in cases {
        let html = dir.path().join(format!("report-{lang}.html"));
        affcast()
            .args([
                "report",
                "--trials",
                "100",
                "--origins",
                "3",
                "--lang",
                lang,
            ])
            .arg("--output")
            .arg(&html)
            .arg("--backtest")
            .arg(fixtures.join("backtest-orders.csv"))
            .arg("--clicks")
            .arg(fixtures.join("backtest-clicks.csv"))
            .arg(&scenario)
            .assert()
            .success();
        let page = std::fs::read_to_string(&html).unwrap();
        assert!(
            page.starts_with(&format!("<!doctype html>\n<html lang=\"{lang}\">")),
            "{lang}: {}",
            &page[..60]
        );
        let text = visible_text(&page);
        for w in words {
            assert!(text.contains(w), "{lang}: the report lacks {w:?}");
        }
        if lang != "en" {
            for w in english {
                assert!(
                    !text.contains(w),
                    "{lang}: English left in the report: {w:?}"
                );
            }
        }
        // A message the language lacked would show its id; a variable not given, its name.
        for leak in ["report-", "page-", "{$", "{ $"] {
            assert!(!text.contains(leak), "{lang}: {leak:?} in the report");
        }
        // Numbers in the language: the same figures as the JSON, written its way.
        for (x, dp) in [(run_rate, 2), (total_clicks, 0)] {
            let shown = written_in(lang, x, dp);
            assert!(text.contains(&shown), "{lang}: no {shown:?} in the report");
        }
        pages.push((lang, html));
    }
    // The four pages are the same forecast: the same figures, only written otherwise.
    assert_ne!(
        written_in("pt", total_clicks, 0),
        written_in("en", total_clicks, 0)
    );

    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium");
        return;
    };
    let (_, pt) = &pages[1];
    let dom = headless(&browser, &dir.path().join("profile-pt"))
        .arg("--dump-dom")
        .arg(format!("file://{}", pt.display()))
        .output()
        .unwrap();
    assert!(dom.status.success());
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<html lang=\"pt\">") && dom.contains("Números mensais"));
}
