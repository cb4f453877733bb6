//! The errors a user can meet, each with the exit status it maps to: the
//! user's input (2), a log that does not verify (1), or a fault of the
//! engine's own (70, sysexits' EX_SOFTWARE), which is a bug to report.

use std::fmt;
use std::path::{Path, PathBuf};

use entente_core::log::LineError;
use entente_core::{FoldError, Problem, Refusal, RunError};

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: a verification failed (a tampered or torn log, a re-run that
/// is not byte-identical, a law that does not hold).
pub const EXIT_VERIFY: i32 = 1;
/// Exit status: invalid input or usage, or a file that cannot be read or
/// written.
pub const EXIT_INPUT: i32 = 2;
/// Exit status: a fault of the engine's own, not of the input (sysexits'
/// EX_SOFTWARE). It is a bug.
pub const EXIT_BUG: i32 = 70;

/// Everything that can go wrong in the shell.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A file is larger than the limit for its kind.
    #[error("{}: {size} bytes; the limit for {what} is {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What kind of file.
        what: &'static str,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// JSON (or a table) that does not parse, at a line and column.
    #[error("{}: {message}", place(path, *line, *column))]
    Syntax {
        /// The file (or "<argument>").
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column (0: the whole line).
        column: usize,
        /// What was expected.
        message: String,
    },
    /// A scenario with problems, every one listed.
    #[error("{}: {} problem(s)\n{}", path.display(), problems.len(), list(problems))]
    Scenario {
        /// The file (or the option that made the problem, such as `--rounds`).
        path: PathBuf,
        /// The problems.
        problems: Vec<Problem>,
    },
    /// An event put into a history that cannot happen there.
    #[error("{what}: {refusal}")]
    Refused {
        /// Which event, in words (`--inject #2`).
        what: String,
        /// Why it cannot happen.
        refusal: Box<Refusal>,
    },
    /// A request that cannot be carried out as asked.
    #[error("{0}")]
    Usage(String),
    /// A log whose last line is incomplete: the writer died mid-line.
    #[error("{}: torn after seq {after_seq}: {detail}", path.display())]
    Torn {
        /// The log.
        path: PathBuf,
        /// The last whole event.
        after_seq: u64,
        /// What is wrong with the last line.
        detail: String,
    },
    /// A log another process is still writing, met at its unfinished end.
    #[error(
        "{}: being written by another process; {verified} events so far verify (read it again when the run is done)",
        path.display()
    )]
    BeingWritten {
        /// The log.
        path: PathBuf,
        /// The events verified before the unfinished line.
        verified: u64,
    },
    /// A file given as a log that is not one.
    #[error(
        "{}: not an Entente log (a log's first line begins {{\"format\":\"entente-log\", …)",
        path.display()
    )]
    NotALog {
        /// The file.
        path: PathBuf,
    },
    /// A log that fails verification before its end.
    #[error("{}: corrupt at seq {seq} (line {line}): {damage}", path.display())]
    Corrupt {
        /// The log.
        path: PathBuf,
        /// The seq where it fails (0: the header).
        seq: u64,
        /// The line, 1-based.
        line: u64,
        /// What is wrong.
        damage: Box<Damage>,
    },
    /// Any other verification failure (a re-run that differs, a law).
    #[error("{0}")]
    Verify(String),
    /// Long work stopped before its end because the user asked; nothing
    /// was written.
    #[error("stopped before its end, as asked; nothing was written")]
    Cancelled,
    /// A chart could not be drawn: a bug, not the input.
    #[error("internal error: cannot draw a chart: {0}\nthis is a bug in entente; please report it")]
    Chart(String),
    /// The engine decided something it must not: a bug, not the input.
    #[error(
        "internal error: {0}\nthis is a bug in entente, not a problem with your input; please report it with the command that led to it"
    )]
    Engine(RunError),
}

/// What is wrong with a corrupt line.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    /// The line itself: its hash, its JSON, its seq, its codes.
    #[error("{0}")]
    Line(LineError),
    /// The line is whole but its event cannot stand where it is.
    #[error("{0}")]
    Fold(FoldError),
    /// The line is longer than any log line may be.
    #[error("a line longer than the limit of {0} bytes")]
    TooLong(u64),
}

impl Error {
    /// The process exit status this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Torn { .. }
            | Error::Corrupt { .. }
            | Error::Verify(_)
            | Error::BeingWritten { .. } => EXIT_VERIFY,
            Error::Engine(_) | Error::Chart(_) => EXIT_BUG,
            _ => EXIT_INPUT,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_owned(),
            action,
            source,
        }
    }
}

impl From<RunError> for Error {
    /// An invalid scenario or an injection the engine refuses is the user's
    /// input; any other refusal is the engine's own fault.
    fn from(e: RunError) -> Error {
        match e {
            RunError::Invalid(problems) => Error::Scenario {
                path: PathBuf::from(
                    problems
                        .first()
                        .filter(|p| p.path.starts_with("--"))
                        .map_or("the scenario", |p| p.path.as_str()),
                ),
                problems,
            },
            RunError::Refused {
                decider, refusal, ..
            } if decider == entente_core::run::INJECTION => Error::Refused {
                what: "an injected event".to_owned(),
                refusal,
            },
            other => Error::Engine(other),
        }
    }
}

fn list(problems: &[Problem]) -> impl fmt::Display + '_ {
    struct List<'a>(&'a [Problem]);
    impl fmt::Display for List<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for (i, p) in self.0.iter().enumerate() {
                if i > 0 {
                    writeln!(f)?;
                }
                write!(f, "  {p}")?;
            }
            Ok(())
        }
    }
    List(problems)
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in a file: `file:line:column`, or `file:line` for a whole line
/// (column 0), as editors and compilers write it.
fn place(path: &std::path::Path, line: usize, column: usize) -> String {
    if column == 0 {
        format!("{}:{line}", path.display())
    } else {
        format!("{}:{line}:{column}", path.display())
    }
}
