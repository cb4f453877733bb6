//! The workbench's tests' plumbing: `entente serve` started on a scratch
//! folder (and killed when the test is done with it), and a bare HTTP/1.1
//! client over a socket that sends exactly the bytes a test writes, so a
//! hostile request is the request the test means.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::root;

/// `entente serve` on a folder of its own.
#[derive(Debug)]
pub(crate) struct Served {
    child: Child,
    /// host:port.
    pub(crate) addr: String,
    /// The folder served.
    pub(crate) dir: PathBuf,
    /// The session's token, read from the first page.
    pub(crate) token: String,
}

/// A response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: String,
}

impl Reply {
    /// A header's value.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// A folder with the shipped scenarios in `scenarios/` (copies) and no
/// `runs/`.
pub(crate) fn folder(scratch: &tempfile::TempDir) -> PathBuf {
    let dir = scratch.path().join("work");
    let scenarios = dir.join("scenarios");
    std::fs::create_dir_all(&scenarios).unwrap();
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), scenarios.join(entry.file_name())).unwrap();
        }
    }
    dir
}

impl Served {
    /// Serves `dir` on a free port of 127.0.0.1.
    pub(crate) fn start(dir: &Path) -> Served {
        Served::start_with(dir, &[])
    }

    /// Serves `dir` on a free port, with `args` (`--bind 0.0.0.0`) besides.
    pub(crate) fn start_with(dir: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
            .args(["serve", dir.to_str().unwrap(), "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("entente serve starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("its standard output");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("entente serve prints its address");
        let addr = line
            .trim()
            .strip_prefix("http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("not an address: {line:?}"))
            .to_owned();
        let mut served = Served {
            child,
            addr,
            dir: dir.to_owned(),
            token: String::new(),
        };
        let first = served.get("/");
        assert_eq!(first.status, 200, "{first:?}");
        let at = first
            .body
            .find("name=\"entente-token\" content=\"")
            .expect("the page carries the session's token")
            + "name=\"entente-token\" content=\"".len();
        served.token = first.body[at..at + 32].to_owned();
        served
    }

    /// The page's URL.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GET `path`.
    pub(crate) fn get(&self, path: &str) -> Reply {
        self.send(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// POST a form with the session's token.
    pub(crate) fn post_form(&self, path: &str, fields: &str) -> Reply {
        let body = format!("token={}&{fields}", self.token);
        self.post(path, "application/x-www-form-urlencoded", &[], &body)
    }

    /// POST `body` with `headers` (each a whole line).
    pub(crate) fn post(&self, path: &str, kind: &str, headers: &[&str], body: &str) -> Reply {
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.addr,
            body.len()
        );
        for h in headers {
            request.push_str(h);
            request.push_str("\r\n");
        }
        request.push_str("\r\n");
        request.push_str(body);
        self.send(&request)
    }

    /// Sends `request` as written and reads the whole response.
    pub(crate) fn send(&self, request: &str) -> Reply {
        send_to(&self.addr, request.as_bytes())
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Sends `bytes` to `addr` and reads the response to its end.
pub(crate) fn send_to(addr: &str, bytes: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("{addr}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(300)))
        .unwrap();
    // A server may answer before it has read all it was sent (a body it
    // refuses): the rest is then not wanted, and may fail to go.
    let _ = stream.write_all(bytes);
    // Read to the end of the body its Content-Length gives (chromedriver
    // says `Connection: close` and keeps the socket open), or to the end.
    let mut raw = Vec::new();
    let mut buffer = [0u8; 64 << 10];
    loop {
        if let Some(length) = whole(&raw)
            && raw.len() >= length
        {
            break;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
        }
    }
    parse(&raw)
}

/// The length of the whole response once its head is in and gives its
/// body's length.
fn whole(raw: &[u8]) -> Option<usize> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let length = head.lines().find_map(|l| {
        l.strip_prefix("content-length:")
            .and_then(|v| v.trim().parse::<usize>().ok())
    })?;
    Some(end + length)
}

/// A response's status, head and body (a chunked body put together).
pub(crate) fn parse(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Reply {
        status,
        head: head.to_owned(),
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].strip_prefix("\r\n").unwrap_or(&rest[n..]);
    }
    out
}

/// Waits, for at most `limit`, until `ready` gives a value.
pub(crate) fn wait_for<T>(limit: Duration, what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = ready() {
            return v;
        }
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
