//! What a request can meet instead of its page: a typed failure with its
//! HTTP status, told in a sentence.

use entente_runner::{EXIT_BUG, EXIT_VERIFY, Error};

use crate::http::BodyError;

/// A request that cannot be answered with its page.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct Failure {
    /// The HTTP status.
    pub(crate) status: u16,
    /// What went wrong, for the person who asked.
    pub(crate) message: String,
}

impl Failure {
    /// 400: the request itself is wrong (a bad seed, a missing field).
    pub(crate) fn bad(message: impl Into<String>) -> Failure {
        Failure::new(400, message)
    }

    /// 403: refused whatever its form (a path outside the folder, a forged
    /// token, a request from another site).
    pub(crate) fn forbidden(message: impl Into<String>) -> Failure {
        Failure::new(403, message)
    }

    /// 404: nothing there.
    pub(crate) fn not_found(message: impl Into<String>) -> Failure {
        Failure::new(404, message)
    }

    /// 409: it clashes with what is there (a log that exists, an output
    /// being written).
    pub(crate) fn conflict(message: impl Into<String>) -> Failure {
        Failure::new(409, message)
    }

    /// 422: well formed but not valid (a scenario with problems, an event
    /// that cannot happen, a log that does not verify).
    pub(crate) fn invalid(message: impl Into<String>) -> Failure {
        Failure::new(422, message)
    }

    /// A failure with `status`.
    pub(crate) fn new(status: u16, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    /// The runner's error, with the folder's own path taken out of its
    /// message (`root` and a slash), so pages name files as the folder
    /// holds them.
    pub(crate) fn from_runner(e: &Error, root: &str) -> Failure {
        let message = e.to_string().replace(&format!("{root}/"), "");
        let status = match e {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => 404,
            Error::Cancelled => 409,
            Error::Scenario { .. } | Error::Refused { .. } | Error::Syntax { .. } => 422,
            _ if e.exit_code() == EXIT_VERIFY => 422,
            _ if e.exit_code() == EXIT_BUG => 500,
            _ => 400,
        };
        Failure::new(status, message)
    }
}

impl From<BodyError> for Failure {
    fn from(e: BodyError) -> Failure {
        let status = match e {
            BodyError::TooLarge { .. } => 413,
            BodyError::NoLength => 411,
            BodyError::Io(_) => 400,
        };
        Failure::new(status, e.to_string())
    }
}
