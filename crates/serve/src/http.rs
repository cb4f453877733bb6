//! HTTP/1.1 over a socket, within limits: the request line and headers are
//! read into a buffer of at most [`MAX_HEAD_BYTES`] and parsed by
//! `httparse` (hyper's parser); a body is read only with a
//! `Content-Length` no greater than its route's limit, which the caller
//! says once the head is known; one request per connection (every response
//! says `Connection: close`), so no state is kept between requests.
//!
//! Nothing here knows the app: [`serve`] hands each request to a handler
//! on a thread of its own, up to [`MAX_CONNECTIONS`] at once (more are
//! answered 503 at once), so a slow page never holds up another.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Longest request line and headers, in bytes.
pub(crate) const MAX_HEAD_BYTES: usize = 16 << 10;
/// Most headers in a request.
const MAX_HEADERS: usize = 64;
/// Most connections handled at once.
pub(crate) const MAX_CONNECTIONS: usize = 64;
/// How long a client may take to send its request, or to take a response.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A request whose head has been read; its body is read on demand, within
/// a limit.
#[derive(Debug)]
pub(crate) struct Request {
    /// `GET`, `POST`…
    pub(crate) method: String,
    /// The path, still percent-encoded, without the query.
    pub(crate) path: String,
    /// The query string after `?`, if any.
    pub(crate) query: String,
    /// Header names in lower case, with their values.
    pub(crate) headers: Vec<(String, String)>,
    /// Bytes of the body already read with the head.
    early: Vec<u8>,
    stream: TcpStream,
}

/// A response.
#[derive(Debug)]
pub(crate) struct Response {
    /// The status code.
    pub(crate) status: u16,
    /// Headers beside the ones every response has.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

/// Why a body was not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BodyError {
    /// The body is longer than the route takes.
    #[error("the body is {length} bytes; this request takes at most {limit}")]
    TooLarge {
        /// What the request said or sent.
        length: u64,
        /// The route's limit.
        limit: u64,
    },
    /// A body without a length (chunked), which no form or page sends.
    #[error("a body must state its Content-Length")]
    NoLength,
    /// The connection failed or ended early.
    #[error("the body could not be read: {0}")]
    Io(#[from] io::Error),
}

impl Request {
    /// The value of header `name` (lower case), if given once or more (the
    /// first).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Reads the body, refusing one longer than `limit` bytes before any of
    /// it is read past the head.
    pub(crate) fn body(&mut self, limit: u64) -> Result<Vec<u8>, BodyError> {
        if self.header("transfer-encoding").is_some() {
            return Err(BodyError::NoLength);
        }
        let length: u64 = match self.header("content-length") {
            None => 0,
            Some(v) => v.trim().parse().map_err(|_| BodyError::NoLength)?,
        };
        if length > limit {
            return Err(BodyError::TooLarge { length, limit });
        }
        // Within the limit, so it fits in memory and in usize.
        let length = usize::try_from(length).unwrap_or(usize::MAX);
        let mut body = std::mem::take(&mut self.early);
        body.truncate(length);
        let rest = length - body.len();
        (&mut self.stream)
            .take(rest as u64)
            .read_to_end(&mut body)?;
        if body.len() < length {
            return Err(BodyError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the connection ended before the body did",
            )));
        }
        Ok(body)
    }
}

impl Response {
    /// A response with `status`, a content type and a body.
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_owned())],
            body: body.into(),
        }
    }

    /// An HTML page.
    pub(crate) fn html(status: u16, page: String) -> Response {
        Response::new(status, "text/html; charset=utf-8", page)
    }

    /// JSON.
    pub(crate) fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(
            status,
            "application/json",
            serde_json::to_vec(value).unwrap_or_default(),
        )
    }

    /// A redirect to `location` after a form (303: the browser GETs it).
    pub(crate) fn see_other(location: &str) -> Response {
        let mut r = Response::new(303, "text/plain; charset=utf-8", location.to_owned());
        r.headers.push(("Location", location.to_owned()));
        r
    }

    /// This response with one more header.
    #[must_use]
    pub(crate) fn with(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// Accepts connections on `listener` for ever, handing each request to
/// `handle` on a thread of its own.
pub(crate) fn serve(
    listener: &TcpListener,
    handle: Arc<dyn Fn(Request) -> Response + Send + Sync>,
) -> io::Result<()> {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // A connection that failed before it was accepted is the
            // client's; the listener goes on.
            continue;
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = write_response(
                &stream,
                &Response::new(503, "text/plain; charset=utf-8", "busy; try again"),
            );
            continue;
        }
        let (counter, handle) = (Arc::clone(&open), Arc::clone(&handle));
        let spawned = std::thread::Builder::new()
            .name("entente-serve".to_owned())
            .spawn(move || {
                connection(stream, handle.as_ref());
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread could be started: the connection was dropped with
            // its closure; count it closed.
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

/// Reads one request from `stream`, answers it, and closes.
fn connection(stream: TcpStream, handle: &(dyn Fn(Request) -> Response + Send + Sync)) {
    let _ = stream.set_read_timeout(Some(TIMEOUT));
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    let response = match read_head(stream.try_clone()) {
        Ok(request) => handle(request),
        Err(Some(response)) => response,
        Err(None) => return,
    };
    let _ = write_response(&stream, &response);
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Reads a request's head; on failure, the response to send (if the client
/// is still there to read one).
fn read_head(stream: io::Result<TcpStream>) -> Result<Request, Option<Response>> {
    let Ok(mut stream) = stream else {
        return Err(None);
    };
    let refuse = |status: u16, why: &str| {
        Some(Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{why}\n"),
        ))
    };
    let mut buffer = vec![0u8; MAX_HEAD_BYTES];
    let mut filled = 0;
    loop {
        if filled == buffer.len() {
            return Err(refuse(
                431,
                &format!("the request line and headers exceed {MAX_HEAD_BYTES} bytes"),
            ));
        }
        let n = match stream.read(&mut buffer[filled..]) {
            Ok(0) | Err(_) => return Err(None),
            Ok(n) => n,
        };
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buffer[..filled]) {
            Ok(httparse::Status::Partial) => {}
            Ok(httparse::Status::Complete(end)) => {
                let target = parsed.path.unwrap_or("/");
                let (path, query) = target.split_once('?').unwrap_or((target, ""));
                let headers = parsed
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_ascii_lowercase(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect();
                return Ok(Request {
                    method: parsed.method.unwrap_or("GET").to_owned(),
                    path: path.to_owned(),
                    query: query.to_owned(),
                    headers,
                    early: buffer[end..filled].to_vec(),
                    stream,
                });
            }
            Err(httparse::Error::TooManyHeaders) => {
                return Err(refuse(431, &format!("more than {MAX_HEADERS} headers")));
            }
            Err(e) => return Err(refuse(400, &format!("not an HTTP request: {e}"))),
        }
    }
}

/// Writes `response` with the headers every response has.
fn write_response(mut stream: &TcpStream, response: &Response) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    for (name, value) in &response.headers {
        // Values are the app's own; a line break would split the header.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&response.body)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ if status >= 500 => "Internal Server Error",
        _ => "Status",
    }
}
