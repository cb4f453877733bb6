//! entente-runner: Entente's shell.
//!
//! Scenario files in; runs, logs, reports and replays out. Every side effect
//! of the product lives here: files, locks, fsync. The model itself is
//! entente-core, which does no I/O.

pub mod backtest;
pub mod branch;
pub mod compare;
pub mod error;
pub mod files;
pub mod import;
pub mod input;
pub mod laws;
pub mod limits;
pub mod logfile;
pub mod offers;
pub mod output;
pub mod parts;
pub mod quotes;
pub mod render;
pub mod repair;
pub mod replay;
pub mod report;
pub mod scenario;
pub mod score;
pub mod sensitivity;
pub mod shard;
pub mod simulate;
pub mod stats;
pub mod sweep;

pub use error::{EXIT_BUG, EXIT_INPUT, EXIT_OK, EXIT_VERIFY, Error, Result};

#[cfg(test)]
mod tests;
