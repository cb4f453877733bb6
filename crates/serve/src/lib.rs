//! entente-serve: the analyst's workbench, `entente serve`.
//!
//! A local web app over a folder of scenarios (`scenarios/`) and runs
//! (`runs/`). The files stay the database: every run, branch and sweep the
//! app makes is the log or output the command line makes, written under the
//! same rules (`output::check_paths`, `LogWriter`, `write_atomically`), and
//! every page is read from the files when it is asked for, so the command
//! line replays and reports what the app made, the app shows what the
//! command line made, and stopping or killing the server loses nothing.
//!
//! Pages are printed on the server by the render layer the reports use;
//! one small script of the app's own (`assets/entente.js`, served from the
//! binary) makes charts interactive, checks the editor as the user types,
//! previews a branch and follows a sweep. See docs/serve.md.

mod app;
mod failure;
mod folder;
mod form;
mod http;
mod jobs;
mod page;
mod pages;

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;

use entente_runner::{Error, Result, sweep};

/// How to serve.
#[derive(Clone, Debug)]
pub struct Options {
    /// The folder holding `scenarios/` and `runs/`.
    pub dir: PathBuf,
    /// The port (0: any free port).
    pub port: u16,
    /// The address to listen on: loopback unless the user says otherwise.
    pub bind: IpAddr,
    /// Open the first page in the desktop's browser.
    pub open: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            dir: PathBuf::from("."),
            port: DEFAULT_PORT,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            open: false,
        }
    }
}

/// The port `serve` listens on unless told.
pub const DEFAULT_PORT: u16 = 8321;

/// Serves the folder until the process is stopped. Prints the address on
/// standard output once it listens.
pub fn serve(options: &Options) -> Result<()> {
    let folder = folder::Folder::open(&options.dir)?;
    let listener = TcpListener::bind(SocketAddr::new(options.bind, options.port)).map_err(|e| {
        Error::Usage(format!(
            "cannot listen on {}:{}: {e}",
            options.bind, options.port
        ))
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("cannot read the address listened on: {e}")))?
        .port();
    // One worker a core, as `sweep` takes without --jobs.
    let pool = sweep::pool(entente_runner::limits::jobs(None)?)?;
    let bound = match options.bind {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let hosts = (!options.bind.is_unspecified()).then_some(bound.as_str());
    let app = Arc::new(app::App::new(folder, token()?, hosts, port, pool));
    let host = if options.bind.is_loopback() || options.bind.is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        bound
    };
    let url = format!("http://{host}:{port}/");
    if !options.bind.is_loopback() {
        let _ = writeln!(
            std::io::stderr(),
            "warning: listening on {} as asked (--bind): other machines can reach the app; state-changing requests still need the session's token",
            options.bind
        );
    }
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{url}");
        let _ = out.flush();
    }
    let _ = writeln!(
        std::io::stderr(),
        "entente serve: {} at {url} (Ctrl-C stops it; nothing is lost)",
        app.folder.root().display()
    );
    if options.open {
        open_browser(&url);
    }
    let handler = Arc::clone(&app);
    http::serve(&listener, Arc::new(move |request| handler.handle(request)))
        .map_err(|e| Error::Usage(format!("the server stopped: {e}")))
}

/// A token for this session: 128 bits from the kernel's random source.
fn token() -> Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::io(std::path::Path::new("/dev/urandom"), "cannot read", e))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Asks the desktop to open `url` (`xdg-open`, started directly: no shell).
fn open_browser(url: &str) {
    let started = std::process::Command::new("xdg-open")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        let _ = writeln!(
            std::io::stderr(),
            "--open: cannot start xdg-open ({e}); open {url} yourself"
        );
    }
}
