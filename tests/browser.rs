//! The HTML reports in a real browser: headless Chromium loads each page,
//! its DOM is checked for the charts, its console for errors, and a
//! screenshot is kept under target/tmp/browser/.
//!
//! The markup of the pages is checked on every machine. The rendering needs
//! Chromium: where none is found when the tests are built (build.rs), the
//! rendering test is listed as ignored with its reason, so a skip is never
//! silent. CI installs Debian's `chromium` and sets
//! ENTENTE_TOOL_TESTS=required, so there the test runs, and fails if no
//! browser can be started.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{ok, run_log, s, scenario, scratch};

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ENTENTE_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Loads `page` in headless Chromium: its DOM after load, and what the
/// browser logged.
fn load(chrome: &Path, page: &Path, profile: &Path, extra: &[&str]) -> (String, String) {
    let url = format!("file://{}", page.display());
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(&url)
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check_markup(html: &str, charts: &[String]) {
    assert!(
        html.starts_with("<!DOCTYPE html>") || html.contains("<html"),
        "not a page"
    );
    // The SVG namespace is a name, not a fetch; nothing else may point out.
    let without_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for forbidden in [
        "<script", "<link", "@import", "http://", "https://", "url(", "src=",
    ] {
        assert!(
            !without_namespace.contains(forbidden),
            "the page is not self-contained: it has {forbidden:?}"
        );
    }
    for id in charts {
        let at = html
            .find(&format!("<figure class=\"chart\" id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no chart {id}"));
        let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
        assert!(
            figure.contains("<svg")
                && figure.contains("role=\"img\"")
                && figure.contains("<title>"),
            "{id}: no accessible SVG"
        );
        assert!(
            figure.contains("<polyline") || figure.contains("<rect") || figure.contains("<path"),
            "{id}: an empty chart"
        );
    }
    assert_eq!(
        html.matches("<figure class=\"chart\"").count(),
        charts.len(),
        "charts other than expected"
    );
}

/// Writes the HTML pages of a Moscow run and of a sweep under
/// target/tmp/browser/, checks their markup, and returns each page with the
/// ids of its charts.
fn pages(dir: &tempfile::TempDir, sub: &str) -> Vec<(PathBuf, Vec<String>)> {
    let log = run_log(dir, "moscow-2015-12-15.json", 7, "m.jsonl");
    // Each test its own directory: two tests writing one file race.
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(sub);
    std::fs::create_dir_all(&out).unwrap();
    let run_page = out.join("moscow-seed7.html");
    ok(
        dir,
        &["report", s(&log), "--format", "html", "--out", s(&run_page)],
    );
    let sweep = dir.path().join("sweep.json");
    ok(
        dir,
        &[
            "sweep",
            s(&scenario("moscow-2015-12-15.json")),
            "--vs",
            s(&scenario("moscow-2015-12-15-linkage.json")),
            "--seeds",
            "0..100",
            "--out",
            s(&sweep),
        ],
    );
    let sweep_page = out.join("moscow-sweep.html");
    ok(
        dir,
        &[
            "report",
            s(&sweep),
            "--format",
            "html",
            "--out",
            s(&sweep_page),
        ],
    );

    let issues = [
        "assad_role",
        "syria_ceasefire",
        "strike_targeting",
        "russia_sanctions",
        "minsk_implementation",
        "syria_ukraine_linkage",
    ];
    let mut run_charts: Vec<String> = issues.iter().map(|i| format!("issue-{i}")).collect();
    run_charts.push("cooperation-chart".to_owned());
    let mut sweep_charts = Vec::new();
    for v in 0..2 {
        sweep_charts.push(format!("outcomes-{v}"));
        sweep_charts.extend(issues.iter().map(|i| format!("distribution-{v}-{i}")));
    }
    let score_page = out.join("score.html");
    ok(
        dir,
        &[
            "score",
            s(&scenario("moscow-2015-12-15.history.json")),
            s(&scenario("minsk-2015-02.history.json")),
            "--seeds",
            "0..50",
            "--format",
            "html",
            "--out",
            s(&score_page),
        ],
    );
    let sensitivity_page = out.join("sensitivity.html");
    ok(
        dir,
        &[
            "sensitivity",
            s(&scenario("tutorial-three-actors.json")),
            "--seeds",
            "0..20",
            "--format",
            "html",
            "--out",
            s(&sensitivity_page),
        ],
    );
    // The tornado charts: one per outcome and issue the analysis moves.
    let analysed: serde_json::Value = serde_json::from_str(
        &ok(
            dir,
            &[
                "sensitivity",
                s(&scenario("tutorial-three-actors.json")),
                "--seeds",
                "0..20",
                "--format",
                "json",
            ],
        )
        .stdout,
    )
    .unwrap();
    let count = |key: &str| analysed[key].as_array().map_or(0, Vec::len);
    let sensitivity_charts: Vec<String> = (0..count("outcomes"))
        .map(|k| format!("tornado-outcome-{k}"))
        .chain((0..count("issues")).map(|k| format!("tornado-issue-{k}")))
        .collect();
    assert!(!sensitivity_charts.is_empty());
    let pages = vec![
        (run_page, run_charts),
        (sweep_page, sweep_charts),
        (score_page, vec!["reliability-chart".to_owned()]),
        (sensitivity_page, sensitivity_charts),
    ];
    for (page, charts) in &pages {
        check_markup(&std::fs::read_to_string(page).unwrap(), charts);
    }
    pages
}

#[test]
fn html_reports_are_self_contained_and_accessible() {
    pages(&scratch(), "markup");
}

#[test]
#[cfg_attr(
    chromium_missing,
    ignore = "no Chromium on this machine when the tests were built (apt-get install chromium, or set ENTENTE_CHROMIUM); ENTENTE_TOOL_TESTS=required makes its absence a failure"
)]
fn html_reports_render_in_headless_chromium() {
    let dir = scratch();
    let pages = pages(&dir, "chromium");

    let chrome = chromium().expect("no Chromium found (install chromium or set ENTENTE_CHROMIUM)");
    for (page, charts) in &pages {
        let profile = dir.path().join(format!(
            "profile-{}",
            page.file_stem().unwrap().to_string_lossy()
        ));
        let (dom, log) = load(&chrome, page, &profile, &["--dump-dom"]);
        check_markup(&format!("<!DOCTYPE html>{dom}"), charts);
        let console: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
            .collect();
        assert!(
            console.is_empty(),
            "{}: console messages:\n{}",
            page.display(),
            console.join("\n")
        );
        let shot = page.with_extension("png");
        let _ = std::fs::remove_file(&shot);
        let screenshot = format!("--screenshot={}", shot.display());
        load(
            &chrome,
            page,
            &profile,
            &[&screenshot, "--window-size=1100,4000"],
        );
        let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 20_000,
            "{}: screenshot of {size} bytes",
            shot.display()
        );
        println!("screenshot: {}", shot.display());
    }
}
