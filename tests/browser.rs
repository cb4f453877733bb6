//! The HTML reports in a real browser: headless Chromium loads each page,
//! its DOM is checked for the charts, its console for errors, and a
//! screenshot is kept under target/tmp/browser/. The README's picture,
//! docs/images/moscow-seed7.png (the first issue chart of the Moscow run
//! with seed 7), is drawn the same way and written over the committed one
//! when ENTENTE_RECORD_SCREENSHOTS=1.
//!
//! The markup of the pages is checked on every machine. The rendering needs
//! Chromium: where none is found when the tests are built (build.rs), the
//! rendering test is listed as ignored with its reason, so a skip is never
//! silent. CI installs Debian's `chromium` and sets
//! ENTENTE_TOOL_TESTS=required, so there the test runs, and fails if no
//! browser can be started.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{ok, root, run_log, s, scenario, scratch};

/// The README's picture: the first issue chart of the Moscow run with seed 7.
const PICTURE: &str = "docs/images/moscow-seed7.png";

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

/// The directory the pages of test `sub` are written to (each test its own:
/// two tests writing one file race), without the pages of an earlier build
/// (a page without the engine's mark is not replaced: an output replaces
/// only an output of Entente's).
fn pages_dir(sub: &str) -> PathBuf {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(sub);
    std::fs::create_dir_all(&out).unwrap();
    for page in [
        "moscow-seed7.html",
        "moscow-sweep.html",
        "score.html",
        "sensitivity.html",
    ] {
        let _ = std::fs::remove_file(out.join(page));
    }
    out
}

/// Writes the HTML pages of a Moscow run and of a sweep under
/// target/tmp/browser/, checks their markup, and returns each page with the
/// ids of its charts.
fn pages(dir: &tempfile::TempDir, sub: &str) -> Vec<(PathBuf, Vec<String>)> {
    let log = run_log(dir, "moscow-2015-12-15.json", 7, "m.jsonl");
    let out = pages_dir(sub);
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
    // The Moscow scenario's fronts, each a chart of control by round.
    run_charts.extend(
        ["northern_aleppo", "latakia", "palmyra_east"]
            .iter()
            .map(|f| format!("front-{f}")),
    );
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
    let shot = chart_screenshot(&chrome, &pages[0].0, &pages[0].1[0], dir.path());
    assert_png_of_a_chart(&shot);
    if std::env::var_os("ENTENTE_RECORD_SCREENSHOTS").is_some_and(|v| v == "1") {
        std::fs::copy(&shot, root().join(PICTURE)).unwrap();
        println!("recorded {PICTURE} from {}", shot.display());
    }
}

/// A screenshot of the chart `id` of `page` alone: a page with the report's
/// head (its style) and that one figure, in a window of the chart's size.
fn chart_screenshot(chrome: &Path, page: &Path, id: &str, scratch: &Path) -> PathBuf {
    let html = std::fs::read_to_string(page).unwrap();
    let between = |open: &str, close: &str, from: usize| {
        let start = from
            + html[from..]
                .find(open)
                .unwrap_or_else(|| panic!("no {open}"));
        let end = start
            + html[start..]
                .find(close)
                .unwrap_or_else(|| panic!("no {close}"));
        (start, end + close.len())
    };
    let (head_start, head_end) = between("<head>", "</head>", 0);
    let figure_open = format!("<figure class=\"chart\" id=\"{id}\">");
    let (figure_start, figure_end) = between(&figure_open, "</figure>", 0);
    let figure = &html[figure_start..figure_end];
    // The window fits the drawing (its width and height attributes) with
    // room for the caption.
    let (svg_start, svg_end) = between("<svg", ">", figure_start);
    let svg = &html[svg_start..svg_end];
    let size = |name: &str| -> u32 {
        let at = svg
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("no {name}"))
            + name.len()
            + 3;
        svg[at..at + svg[at..].find('"').unwrap()].parse().unwrap()
    };
    let (width, height) = (size("width") + 32, size("height") + 96);
    let alone = page.with_file_name(format!("{id}.html"));
    std::fs::write(
        &alone,
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n{}\n<body style=\"margin: 16px; max-width: none\">\n{figure}\n</body>\n</html>\n",
            &html[head_start..head_end]
        ),
    )
    .unwrap();
    let shot = alone.with_extension("png");
    let _ = std::fs::remove_file(&shot);
    load(
        chrome,
        &alone,
        &scratch.join("profile-chart"),
        &[
            &format!("--screenshot={}", shot.display()),
            &format!("--window-size={width},{height}"),
        ],
    );
    shot
}

/// Insists that `path` is a PNG of at least a chart's size, drawn on.
fn assert_png_of_a_chart(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "{}: not a PNG",
        path.display()
    );
    let dimension = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    let (width, height) = (dimension(16), dimension(20));
    assert!(
        width >= 400 && height >= 200,
        "{}: {width}×{height} pixels, smaller than a chart",
        path.display()
    );
    // An empty or one-colour image compresses to almost nothing.
    assert!(
        bytes.len() > 10_000,
        "{}: {} bytes, too few for a drawn chart",
        path.display(),
        bytes.len()
    );
}

#[test]
fn the_readmes_picture_is_a_png_of_a_chart() {
    assert!(
        crate::util::doc("README.md").contains(&format!("]({PICTURE})")),
        "README.md does not show {PICTURE}"
    );
    assert_png_of_a_chart(&root().join(PICTURE));
}
