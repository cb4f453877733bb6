//! A WebDriver client (the W3C protocol, as Debian's `chromium-driver`
//! speaks it): JSON over HTTP/1.1 on a loopback socket, through the bare
//! client of `http`. It does what the workbench's browser test needs:
//! start a headless Chromium, go to a page, find, click and type, read
//! text, properties and the URL, run a line of script, take a screenshot.
//! Written here rather than taken from a crate: the crates that do it
//! bring an async runtime (tokio, hyper); fantoccini cost 278 s of CPU in
//! a cold build on this 2-core machine (ARCHITECTURE.md, "Choices").

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::http::send_to;

/// The key of an element reference in WebDriver's JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver and a session of headless Chromium.
#[derive(Debug)]
pub(crate) struct Browser {
    driver: Child,
    addr: String,
    session: String,
}

/// An element of the page.
#[derive(Clone, Debug)]
pub(crate) struct Element(String);

/// chromedriver, from ENTENTE_CHROMEDRIVER or the PATH.
pub(crate) fn chromedriver() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ENTENTE_CHROMEDRIVER") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|candidate| candidate.is_file())
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium (the
    /// binary `chrome`) with its profile in `profile`. Under a loaded
    /// machine chromedriver now and then closes the first request without
    /// a reply (seen once in a full suite on two busy cores); a driver that
    /// does is stopped and a fresh one started, three times at most.
    pub(crate) fn start(driver: &Path, chrome: &Path, profile: &Path) -> Browser {
        for attempt in 1..=3 {
            let mut browser = Browser::launch(driver);
            let capabilities = json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chrome,
                    "args": ["--headless", "--no-sandbox", "--disable-gpu",
                             "--disable-dev-shm-usage", "--window-size=1280,1400",
                             "--hide-scrollbars", "--no-first-run",
                             format!("--user-data-dir={}", profile.display())]
                }
            }}});
            let request = format!(
                "POST /session HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{capabilities}",
                browser.addr,
                capabilities.to_string().len()
            );
            let reply = send_to(&browser.addr, request.as_bytes());
            if reply.status == 0 && attempt < 3 {
                continue; // dropped: its driver is stopped, a fresh one tried
            }
            let created: Value = serde_json::from_str(&reply.body)
                .unwrap_or_else(|e| panic!("WebDriver POST /session: {e}: {reply:?}"));
            let created = created["value"].clone();
            assert!(
                reply.status == 200,
                "WebDriver POST /session: {} {created}",
                reply.status
            );
            browser.session = created["sessionId"]
                .as_str()
                .unwrap_or_else(|| panic!("no session: {created}"))
                .to_owned();
            // Finding an element waits up to 20 s for it to appear.
            browser.command(
                "POST",
                "timeouts",
                &json!({"implicit": 20_000, "pageLoad": 300_000, "script": 30_000}),
            );
            return browser;
        }
        unreachable!("the third attempt returns or panics")
    }

    /// chromedriver on a free port, once it says it listens.
    fn launch(driver: &Path) -> Browser {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let mut child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", driver.display()));
        // chromedriver says it started once it listens.
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let started = lines.any(|l| l.is_ok_and(|l| l.contains("started successfully")));
        assert!(started, "chromedriver did not start");
        std::thread::spawn(move || lines.for_each(drop));
        Browser {
            driver: child,
            addr: format!("127.0.0.1:{port}"),
            session: String::new(),
        }
    }

    /// Goes to `url` and waits for the page to load.
    pub(crate) fn go(&self, url: &str) {
        self.command("POST", "url", &json!({ "url": url }));
    }

    /// The page's URL.
    pub(crate) fn url(&self) -> String {
        self.command("GET", "url", &Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first element `css` selects (waiting for it).
    pub(crate) fn find(&self, css: &str) -> Element {
        self.locate("css selector", css)
    }

    /// The first element `xpath` selects (waiting for it).
    pub(crate) fn find_xpath(&self, xpath: &str) -> Element {
        self.locate("xpath", xpath)
    }

    fn locate(&self, using: &str, value: &str) -> Element {
        let found = self.command("POST", "element", &json!({"using": using, "value": value}));
        Element(
            found[ELEMENT]
                .as_str()
                .unwrap_or_else(|| panic!("{value}: not found: {found}"))
                .to_owned(),
        )
    }

    /// Clicks `e`.
    pub(crate) fn click(&self, e: &Element) {
        self.command("POST", &format!("element/{}/click", e.0), &json!({}));
    }

    /// Empties the field `e` and types `text` into it.
    pub(crate) fn type_into(&self, e: &Element, text: &str) {
        self.command("POST", &format!("element/{}/clear", e.0), &json!({}));
        self.command(
            "POST",
            &format!("element/{}/value", e.0),
            &json!({ "text": text }),
        );
    }

    /// The text `e` shows.
    pub(crate) fn text(&self, e: &Element) -> String {
        self.command("GET", &format!("element/{}/text", e.0), &Value::Null)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// A property of `e` (`value`, `disabled`, `className`…).
    pub(crate) fn property(&self, e: &Element, name: &str) -> Value {
        self.command(
            "GET",
            &format!("element/{}/property/{name}", e.0),
            &Value::Null,
        )
    }

    /// An attribute of `e` as the markup has it.
    pub(crate) fn attribute(&self, e: &Element, name: &str) -> Value {
        self.command(
            "GET",
            &format!("element/{}/attribute/{name}", e.0),
            &Value::Null,
        )
    }

    /// Runs `script` (a function body) in the page; its return value.
    pub(crate) fn script(&self, script: &str) -> Value {
        self.command(
            "POST",
            "execute/sync",
            &json!({"script": script, "args": []}),
        )
    }

    /// A screenshot of the window, as PNG.
    pub(crate) fn screenshot(&self, path: &Path) {
        let data = self.command("GET", "screenshot", &Value::Null);
        let png = base64(data.as_str().unwrap_or_default());
        std::fs::write(path, png).unwrap();
    }

    fn command(&self, method: &str, what: &str, body: &Value) -> Value {
        self.call(method, &format!("/session/{}/{what}", self.session), body)
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        let reply = send_to(&self.addr, request.as_bytes());
        let value: Value = serde_json::from_str(&reply.body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}: {reply:?}"));
        let value = value["value"].clone();
        assert!(
            reply.status == 200,
            "WebDriver {method} {path} {body}: {} {}",
            reply.status,
            value
        );
        value
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let request = format!(
                "DELETE {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.addr
            );
            send_to(&self.addr, request.as_bytes());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Decodes standard base64 (what WebDriver sends screenshots in).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut n) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        bits = bits << 6 | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n & 0xff) as u8);
        }
    }
    out
}

/// Waits up to `limit` for `ready` to hold, asking the page again and again.
pub(crate) fn until<T>(limit: Duration, what: &str, ready: impl FnMut() -> Option<T>) -> T {
    crate::http::wait_for(limit, what, ready)
}
