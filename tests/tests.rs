//! End-to-end tests of the built `entente` binary.
//!
//! One test target, so the suite links once; each module covers one area
//! and goes through the helpers in `util`.

mod http;
mod util;
mod webdriver;

mod backtest;
mod browser;
mod cluster;
mod conformance;
mod editors;
mod fingerprints;
mod foundation;
mod hostile;
mod house;
mod import;
mod laws;
mod model;
mod models_doc;
mod promises;
mod readme;
mod scale;
mod score;
mod seeded_runs;
mod sensitivity;
mod serve;
mod shards;
mod sweeps;
mod trust;
mod workbench;
