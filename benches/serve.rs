//! The workbench's first page: `entente serve` (the release binary) on a
//! folder holding the shipped scenarios, and the time from opening a
//! connection to the last byte of `/` (the scenarios page, each file
//! validated as `validate` does, on every request) and of the one script
//! it loads, as a browser loads them. Target: under 100 ms. A run's page
//! (the Moscow log of seed 7 replayed, verified and drawn) is timed beside
//! it, for the record.
//!
//! cargo bench --bench serve

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `entente serve` on a folder, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir_all(&scenarios).expect("scenarios/");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = 0;
    for entry in std::fs::read_dir(&shipped).expect("the shipped scenarios") {
        let entry = entry.expect("an entry");
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::copy(entry.path(), scenarios.join(entry.file_name())).expect("a copy");
            files += 1;
        }
    }
    let server = start(dir.path());
    println!(
        "entente serve on {} with the {files} shipped files of scenarios/",
        server.addr
    );

    // The very first request, to a server that has answered none yet;
    // then fifty more, one after the other.
    let cold = timed(|| first_page(&server.addr));
    let runs = 50;
    let mut all: Vec<Duration> = (0..runs)
        .map(|_| timed(|| first_page(&server.addr)))
        .collect();
    all.sort();
    let page = all[runs / 2];
    println!(
        "first page (GET / and /assets/entente.js): first {:.1} ms, median {:.1} ms, slowest of {runs} {:.1} ms",
        common::ms(cold),
        common::ms(page),
        common::ms(all[runs - 1])
    );
    let verdict = if page < Duration::from_millis(100) {
        "met"
    } else {
        "MISSED"
    };
    println!(
        "first page, median: {:.1} ms (target < 100 ms: {verdict})",
        common::ms(page)
    );

    // A run's page, for the record: the log written by the app, then read,
    // verified, folded and drawn on every request.
    let made = post_run(&server);
    let run = common::median(9, || {
        let body = get(&server.addr, &made);
        assert!(body.contains("id=\"verified\""), "the run's page");
    });
    println!(
        "a run's page ({made}: replayed, verified and drawn): median {:.1} ms",
        common::ms(run)
    );
}

/// Starts the release binary on `dir`, on a free port of 127.0.0.1.
fn start(dir: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["serve", dir.to_str().expect("a UTF-8 path"), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("entente serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("its output"))
        .read_line(&mut line)
        .expect("its address");
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    Server { child, addr }
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// What a browser fetches for the first page: the page, then its script.
fn first_page(addr: &str) {
    let page = get(addr, "/");
    assert!(page.contains("id=\"scenarios\""), "the scenarios page");
    assert!(
        !page.contains("problem(s)"),
        "a shipped scenario is invalid"
    );
    let script = get(addr, "/assets/entente.js");
    assert!(script.contains("use strict"), "the script");
}

/// Runs the Moscow scenario with seed 7 from the app; the run's page.
fn post_run(server: &Server) -> String {
    let page = get(&server.addr, "/");
    let key = "name=\"entente-token\" content=\"";
    let at = page.find(key).expect("the session's token") + key.len();
    let token = &page[at..at + 32];
    let body = format!("token={token}&seed=7");
    let reply = exchange(
        &server.addr,
        &format!(
            "POST /scenarios/moscow-2015-12-15.json/run HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            server.addr,
            body.len()
        ),
    );
    let location = reply
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .expect("a redirect to the run");
    location.trim().to_owned()
}

/// GET `path`; the body, once the status says 200.
fn get(addr: &str, path: &str) -> String {
    let reply = exchange(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
    );
    assert!(reply.starts_with("HTTP/1.1 200"), "{path}: {reply:.200}");
    reply
}

/// Sends `request` on a new connection and reads the response to its end
/// (the server closes every connection after its response).
fn exchange(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("a connection");
    stream.write_all(request.as_bytes()).expect("the request");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("the response");
    String::from_utf8_lossy(&reply).into_owned()
}
