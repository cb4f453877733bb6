//! The app: what it holds for the session (the folder, the token, the
//! sweeps under way, the outputs being written, the pool) and the routes.
//! Every request passes the guards first: the Host must be the server's
//! own (a page of another site that rebinds its name to this address is
//! refused), a request a browser marks as coming from another site is
//! refused, and a request that changes anything must carry the session's
//! token.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::failure::Failure;
use crate::folder::Folder;
use crate::form::{Form, decode};
use crate::http::{Request, Response};
use crate::jobs::Jobs;
use crate::page;
use crate::pages;

/// Largest form the app takes (runs, branches, sweeps), in bytes.
pub(crate) const MAX_FORM_BYTES: u64 = 64 << 10;

/// The app of one session.
#[derive(Debug)]
pub(crate) struct App {
    /// The folder served.
    pub(crate) folder: Folder,
    /// The session's token, which every request that changes anything
    /// carries.
    pub(crate) token: String,
    /// The Host values the server answers to, each `name:port`; when it
    /// listens on every address (`--bind 0.0.0.0`), none, and it answers
    /// to any address written as a number, or `localhost`, at its port
    /// ([`host_allowed`]).
    hosts: Vec<String>,
    /// The port listened on.
    port: u16,
    /// Sweeps started in this session.
    pub(crate) jobs: Jobs,
    /// The worker threads of every sweep, score and sensitivity analysis
    /// (`sweep::pool`, as the command builds it).
    pub(crate) pool: rayon::ThreadPool,
    /// Outputs being written by a request or a sweep: a second request
    /// for one of them is refused until the first is done.
    writing: Mutex<BTreeSet<PathBuf>>,
    /// Held while a score or sensitivity analysis is computed for a page:
    /// one at a time.
    pub(crate) analysis: Mutex<()>,
}

/// An output reserved for one writer; released when dropped.
#[derive(Debug)]
pub(crate) struct Reserved<'a> {
    app: &'a App,
    path: PathBuf,
}

impl Drop for Reserved<'_> {
    fn drop(&mut self) {
        lock(&self.app.writing).remove(&self.path);
    }
}

impl App {
    /// The app serving `folder` at `port`, reachable as `bound` (the
    /// address given with `--bind`; `None`: every address) besides the
    /// loopback names.
    pub(crate) fn new(
        folder: Folder,
        token: String,
        bound: Option<&str>,
        port: u16,
        pool: rayon::ThreadPool,
    ) -> App {
        let hosts: Vec<String> = match bound {
            Some(bound) => ["127.0.0.1", "localhost", "[::1]", bound]
                .iter()
                .map(|h| format!("{h}:{port}"))
                .collect(),
            None => Vec::new(),
        };
        App {
            folder,
            token,
            hosts,
            port,
            jobs: Jobs::default(),
            pool,
            writing: Mutex::new(BTreeSet::new()),
            analysis: Mutex::new(()),
        }
    }

    /// Answers one request.
    pub(crate) fn handle(self: &Arc<App>, mut request: Request) -> Response {
        // A request the guards refuse is answered without the session's
        // token: a page of another site must not read it from the refusal.
        let response = match self.guard(&request) {
            Ok(()) => self
                .route(&mut request)
                .unwrap_or_else(|f| page::failure(&f, &self.token)),
            Err(f) => page::failure(&f, ""),
        };
        secure(response)
    }

    /// Reserves `path` for one writer, or says who holds it.
    pub(crate) fn reserve(&self, path: &Path) -> Result<Reserved<'_>, Failure> {
        if !lock(&self.writing).insert(path.to_owned()) {
            return Err(Failure::conflict(format!(
                "{}: being written by another request of this session; open it when that is done",
                self.shown(path)
            )));
        }
        Ok(Reserved {
            app: self,
            path: path.to_owned(),
        })
    }

    /// Whether `path` is being written.
    pub(crate) fn being_written(&self, path: &Path) -> bool {
        lock(&self.writing).contains(path)
    }

    /// `path` as the folder names it (`runs/x.jsonl`).
    pub(crate) fn shown(&self, path: &Path) -> String {
        path.strip_prefix(self.folder.root())
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// The runner's error as a failure, naming files as the folder does.
    pub(crate) fn failed(&self, e: &entente_runner::Error) -> Failure {
        Failure::from_runner(e, &self.folder.root().display().to_string())
    }

    /// Reads a request's body of at most `limit` bytes and checks the
    /// session's token, given in the `X-Entente-Token` header or as the
    /// form field `token`.
    pub(crate) fn posted(&self, request: &mut Request, limit: u64) -> Result<Vec<u8>, Failure> {
        let header = request.header("x-entente-token").map(str::to_owned);
        let body = request.body(limit)?;
        let given = match header {
            Some(token) => token,
            None => Form::parse(&String::from_utf8_lossy(&body))
                .get("token")
                .unwrap_or_default()
                .to_owned(),
        };
        if !same(given.as_bytes(), self.token.as_bytes()) {
            return Err(Failure::forbidden(
                "this request changes something and lacks the session's token (the app's own pages carry it; a page of another site cannot)",
            ));
        }
        Ok(body)
    }

    fn guard(&self, request: &Request) -> Result<(), Failure> {
        let host = request.header("host").unwrap_or_default();
        if !host_allowed(&self.hosts, self.port, host) {
            let names = if self.hosts.is_empty() {
                format!(
                    "an address written as a number, or localhost, at port {}",
                    self.port
                )
            } else {
                self.hosts.join(", ")
            };
            return Err(Failure::forbidden(format!(
                "Host {host:?}: the app answers only to {names}"
            )));
        }
        if let Some(site) = request.header("sec-fetch-site")
            && !matches!(site, "same-origin" | "none")
        {
            return Err(Failure::forbidden(format!(
                "a request from another site ({site}); open the app's pages directly"
            )));
        }
        Ok(())
    }

    fn route(self: &Arc<App>, request: &mut Request) -> Result<Response, Failure> {
        let segments: Vec<String> = request
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        let query = Form::parse(&request.query);
        let method = request.method.clone();
        match (method.as_str(), parts.as_slice()) {
            ("GET", [] | ["scenarios"]) => pages::scenarios::list(self),
            ("GET", ["scenarios", name]) => pages::scenarios::show(self, name),
            ("POST", ["scenarios", name, "check"]) => pages::scenarios::check(self, name, request),
            ("POST", ["scenarios", name, "save"]) => {
                pages::scenarios::save(self, name, request, &query)
            }
            ("POST", ["scenarios", name, "run"]) => pages::runs::start(self, name, request),
            ("GET", ["runs"]) => pages::runs::list(self),
            ("GET", ["runs", name]) => pages::runs::show(self, name, &query),
            ("GET", ["runs", name, "branch"]) => pages::branch::menu(self, name, &query),
            ("POST", ["runs", name, "preview"]) => pages::branch::preview(self, name, request),
            ("POST", ["runs", name, "branch"]) => pages::branch::start(self, name, request),
            ("GET", ["compare"]) => pages::compare::show(self, &query),
            ("GET", ["sweeps"]) => pages::sweeps::list(self),
            ("POST", ["sweeps"]) => pages::sweeps::start(self, request),
            ("GET", ["sweeps", "jobs", id]) => pages::sweeps::job(self, id),
            ("GET", ["sweeps", "jobs", id, "progress"]) => pages::sweeps::progress(self, id),
            ("POST", ["sweeps", "jobs", id, "cancel"]) => pages::sweeps::cancel(self, id, request),
            ("GET", ["sweeps", name]) => pages::sweeps::show(self, name),
            ("GET", ["score"]) => pages::analysis::score(self, &query),
            ("GET", ["sensitivity"]) => pages::analysis::sensitivity(self, &query),
            ("GET", ["assets", "entente.js"]) => Ok(Response::new(
                200,
                "text/javascript; charset=utf-8",
                page::SCRIPT,
            )),
            ("GET" | "POST", _) => Err(Failure::not_found(format!(
                "{}: no such page",
                request.path
            ))),
            (other, _) => Err(Failure::new(
                405,
                format!("{other}: the app takes GET and POST"),
            )),
        }
    }
}

/// The headers every response carries: no script but the app's own, no
/// frame, no sniffing, no referrer, no cache.
fn secure(response: Response) -> Response {
    response
        .with(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        .with("X-Content-Type-Options", "nosniff")
        .with("X-Frame-Options", "DENY")
        .with("Referrer-Policy", "no-referrer")
        .with("Cache-Control", "no-store")
}

/// Compares two tokens in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// Locks `m`, whatever a panicking holder left (the sets hold no invariant
/// a panic could break half-way).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether a request's `Host` is one the app answers to, on every request
/// (a page read is as much a leak as a change: the pages carry the
/// session's token): one of `hosts`, or, when the server listens on every
/// address (`hosts` empty, so its own names are not known), an address
/// written as a number (`192.0.2.7`, `[::1]`) or `localhost`, at `port`. A
/// page of another site that rebinds its own name to this machine sends
/// that name, which is neither.
pub(crate) fn host_allowed(hosts: &[String], port: u16, host: &str) -> bool {
    if !hosts.is_empty() {
        return hosts.iter().any(|h| h.eq_ignore_ascii_case(host));
    }
    let Some(name) = host.strip_suffix(&format!(":{port}")) else {
        return false;
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn a_host_is_the_servers_own_or_an_address_written_as_a_number() {
        let bound = vec!["127.0.0.1:8080".to_owned(), "localhost:8080".to_owned()];
        assert!(host_allowed(&bound, 8080, "LOCALHOST:8080"));
        assert!(!host_allowed(&bound, 8080, "192.0.2.7:8080"));
        // Listening on every address: numbers and localhost at the port.
        for (host, allowed) in [
            ("192.0.2.7:8080", true),
            ("[2001:db8::1]:8080", true),
            ("localhost:8080", true),
            ("evil.example:8080", false),
            ("192.0.2.7:8081", false),
            ("192.0.2.7", false),
            ("2001:db8::1:8080", false),
            ("", false),
        ] {
            assert_eq!(host_allowed(&[], 8080, host), allowed, "{host:?}");
        }
    }
}
