//! The workbench as an analyst uses it, in a real headless Chromium driven
//! through WebDriver (Debian's `chromium-driver`): open the Moscow
//! scenario, run seed 7, click the ISSG meeting's "what if…", put in a
//! Syrian ceasefire, run the branch, and read on the comparison that the
//! runs part right after that event and that the ceasefire comes earlier;
//! edit a stance to a position of 150 and see the error at its JSON path
//! with Save disabled; start a sweep of 1,000 seeds, see its progress move
//! and its bars. A screenshot of each page is kept under
//! target/tmp/browser/workbench/ (CI lists them as artefacts); with
//! ENTENTE_RECORD_SCREENSHOTS=1 the comparison's is recorded as the
//! README's picture of the workbench, docs/images/workbench.png.
//!
//! Where Chromium or chromedriver is missing when the tests are built
//! (build.rs), the test is listed as ignored with its reason; with
//! ENTENTE_TOOL_TESTS=required (CI) it runs, and fails without them.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::http::{Served, folder};
use crate::util::{root, scratch};
use crate::webdriver::{Browser, chromedriver, until};

/// The README's picture of the workbench.
const PICTURE: &str = "docs/images/workbench.png";

/// Where a waiting step gives up.
const PATIENCE: Duration = Duration::from_secs(240);

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

/// The browser, the server and where the screenshots go.
struct Session<'a> {
    browser: &'a Browser,
    served: &'a Served,
    shots: PathBuf,
}

impl Session<'_> {
    /// A screenshot of the page, kept as `NAME.png`.
    fn shot(&self, name: &str) -> PathBuf {
        let path = self.shots.join(format!("{name}.png"));
        self.browser.screenshot(&path);
        println!("screenshot: {}", path.display());
        path
    }
}

#[test]
#[cfg_attr(
    any(chromium_missing, chromedriver_missing),
    ignore = "no Chromium or no chromedriver on this machine when the tests were built (apt-get install chromium chromium-driver, or set ENTENTE_CHROMIUM and ENTENTE_CHROMEDRIVER); ENTENTE_TOOL_TESTS=required makes their absence a failure"
)]
fn an_analyst_branches_a_history_edits_a_scenario_and_sweeps_in_a_browser() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let chrome = chromium().expect("no Chromium found (install chromium or set ENTENTE_CHROMIUM)");
    let driver = chromedriver()
        .expect("no chromedriver found (install chromium-driver or set ENTENTE_CHROMEDRIVER)");
    let browser = Browser::start(&driver, &chrome, &tmp.path().join("profile"));
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join("workbench");
    std::fs::create_dir_all(&shots).unwrap();
    let session = Session {
        browser: &browser,
        served: &served,
        shots,
    };
    open_and_run(&session);
    let compared = branch_the_issg_meeting(&session);
    edit_a_stance_out_of_range(&session);
    sweep_a_thousand_seeds(&session);
    if std::env::var_os("ENTENTE_RECORD_SCREENSHOTS").is_some_and(|v| v == "1") {
        std::fs::copy(&compared, root().join(PICTURE)).unwrap();
        println!("recorded {PICTURE}");
    }
}

/// The scenarios, every one valid; open Moscow; run seed 7; the charts
/// take a script: a toggle per series, and values on hover.
fn open_and_run(session: &Session<'_>) {
    let (browser, served) = (session.browser, session.served);
    // The scenarios, every one valid; open Moscow.
    browser.go(&served.url("/"));
    let table = browser.text(&browser.find("#scenarios"));
    assert!(
        table.contains("moscow-2015-12-15.json") && table.contains("valid"),
        "{table}"
    );
    session.shot("1-scenarios");
    browser.click(&browser.find("a[href='/scenarios/moscow-2015-12-15.json']"));
    let title = browser.text(&browser.find("h1"));
    assert!(title.contains("Kerry in Moscow"), "{title}");
    session.shot("2-scenario");

    // Run seed 7.
    browser.type_into(&browser.find("#seed"), "7");
    browser.click(&browser.find("#run"));
    browser.find("#verified");
    assert!(
        browser
            .url()
            .ends_with("/runs/moscow-2015-12-15-seed7.jsonl")
    );
    let verified = browser.text(&browser.find("#verified"));
    assert!(verified.starts_with("Verified"), "{verified}");
    // The charts take a script: a toggle per series, and values on hover.
    let toggles = browser
        .script("return document.querySelectorAll('#issue-assad_role input[data-toggle]').length;");
    assert_eq!(
        toggles,
        Value::from(6),
        "a toggle per series of the first chart"
    );
    browser.click(&browser.find("#issue-assad_role input[data-toggle='RUS']"));
    let hidden = browser.script("return getComputedStyle(document.querySelector('#issue-assad_role g.series[data-series=\"RUS\"]')).display;");
    assert_eq!(hidden, Value::from("none"), "unticking RUS hides its line");
    session.shot("3-run");
}

/// The ISSG meeting of 18 December: what if a ceasefire had been agreed?
/// The comparison shows the runs part right after it and the ceasefire
/// come earlier. Returns the comparison's screenshot.
fn branch_the_issg_meeting(session: &Session<'_>) -> PathBuf {
    let browser = session.browser;
    let issg = browser.find_xpath(
        "//table[@id='event-table']//tr[td[contains(., 'International Syria Support Group meets')]]",
    );
    let at: u64 = browser
        .property(&issg, "id")
        .as_str()
        .and_then(|id| id.strip_prefix("seq-"))
        .and_then(|n| n.parse().ok())
        .expect("the row's seq");
    browser.click(&browser.find(&format!("#seq-{at} a.whatif")));
    browser.find("#whatif");
    browser.click(&browser.find("#offer option[value*='ceasefire_agreed'][value*='syria']"));
    until(PATIENCE, "the preview to take the ceasefire", || {
        let preview = browser.find("#preview");
        (browser.property(&preview, "className") == "ok").then_some(())
    });
    assert_eq!(
        browser.property(&browser.find("#run-branch"), "disabled"),
        Value::from(false)
    );
    session.shot("4-what-if");
    browser.click(&browser.find("#run-branch"));

    // The comparison: the runs part right after the ISSG event, and the
    // ceasefire comes earlier.
    let parting = browser.find("#parting-seq");
    assert_eq!(
        browser.attribute(&parting, "data-seq"),
        Value::from((at + 1).to_string()),
        "the runs part right after the event clicked"
    );
    let row = browser.find("#outcome-differences tr[data-subject='ceasefire_agreed:syria']");
    let text = browser.text(&row);
    assert!(
        text.contains("round 5") && text.contains("round 2"),
        "the ceasefire's first round in A and B: {text}"
    );
    session.shot("5-compare")
}

/// An invalid stance: the error at its path, Save disabled.
fn edit_a_stance_out_of_range(session: &Session<'_>) {
    let (browser, served) = (session.browser, session.served);
    browser.go(&served.url("/scenarios/moscow-2015-12-15.json"));
    let position = browser.find("input[data-path='$.stances[0].position']");
    browser.type_into(&position, "150");
    let problem = browser.find("#problems li[data-path='$.stances[0].position']");
    assert!(
        browser.text(&problem).contains("0 to 100"),
        "{}",
        browser.text(&problem)
    );
    browser.find(".problem[data-for='$.stances[0].position']");
    assert_eq!(
        browser.attribute(&position, "aria-invalid"),
        Value::from("true")
    );
    for save in ["#save-over", "#save-new"] {
        assert_eq!(
            browser.property(&browser.find(save), "disabled"),
            Value::from(true),
            "{save}"
        );
    }
    browser.script("document.querySelector(\"input[data-path='$.stances[0].position']\").scrollIntoView({block: 'center'}); return 0;");
    session.shot("6-invalid-stance");
}

/// A sweep of 1,000 seeds: progress moves, then the bars.
fn sweep_a_thousand_seeds(session: &Session<'_>) {
    let (browser, served) = (session.browser, session.served);
    browser.go(&served.url("/sweeps"));
    browser.click(&browser.find("#sweep-scenario option[value='moscow-2015-12-15.json']"));
    browser.type_into(&browser.find("#sweep-seeds"), "0..1000");
    browser.click(&browser.find("#sweep-start"));
    browser.find("#job");
    let mut seen: Vec<f64> = Vec::new();
    until(PATIENCE, "the sweep's bars", || {
        if !browser.url().contains("/sweeps/jobs/") {
            return browser.url().contains(".sweep.json").then_some(());
        }
        let played =
            browser.script("var p = document.getElementById('progress'); return p ? p.value : -1;");
        if let Some(n) = played.as_f64()
            && seen.last() != Some(&n)
        {
            let under_way = n > 0.0 && n < 1000.0;
            if under_way && !seen.iter().any(|&m| m > 0.0 && m < 1000.0) {
                session.shot("7-sweep-progress");
            }
            seen.push(n);
        }
        None
    });
    assert!(
        seen.iter().any(|&n| n > 0.0 && n < 1000.0),
        "the progress never showed a sweep under way: {seen:?}"
    );
    browser.find("figure#outcomes-0 svg");
    let rects =
        browser.script("return document.querySelectorAll('figure#outcomes-0 svg rect').length;");
    assert!(rects.as_u64().unwrap_or(0) > 2, "no bars: {rects}");
    session.shot("8-sweep");
}

#[test]
fn the_readmes_picture_of_the_workbench_is_a_screenshot() {
    let readme = crate::util::doc("README.md");
    assert!(
        readme.contains(&format!("]({PICTURE})")),
        "README.md does not show {PICTURE}"
    );
    assert!(readme.contains("cargo run --release -- serve"));
    let bytes = std::fs::read(root().join(PICTURE)).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 20_000);
}
