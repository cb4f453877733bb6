//! The errors a user can meet, each with the exit status it maps to.

use std::fmt;
use std::path::{Path, PathBuf};

use entente_core::Problem;

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: a verification failed (a tampered or torn log, a re-run that
/// is not byte-identical, a law that does not hold).
pub const EXIT_VERIFY: i32 = 1;
/// Exit status: invalid input or usage, or a file that cannot be read or
/// written.
pub const EXIT_INPUT: i32 = 2;

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
    /// JSON that does not parse, at a line and column.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        /// The file (or "<argument>").
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// A scenario with problems, every one listed.
    #[error("{}: {} problem(s)\n{}", path.display(), problems.len(), list(problems))]
    Scenario {
        /// The file.
        path: PathBuf,
        /// The problems.
        problems: Vec<Problem>,
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
    /// A log that fails verification before its end.
    #[error("{}: corrupt at seq {seq} (line {line}): {detail}", path.display())]
    Corrupt {
        /// The log.
        path: PathBuf,
        /// The seq where it fails (0: the header).
        seq: u64,
        /// The line, 1-based.
        line: u64,
        /// What is wrong.
        detail: String,
    },
    /// Any other verification failure (a re-run that differs, a law).
    #[error("{0}")]
    Verify(String),
}

impl Error {
    /// The process exit status this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Torn { .. } | Error::Corrupt { .. } | Error::Verify(_) => EXIT_VERIFY,
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
