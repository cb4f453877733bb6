//! The pages, one module per part of the app: each route's handler reads
//! what it needs through the folder, calls the runner as the command of the
//! same name does, and prints the result through the render layer.

pub(crate) mod analysis;
pub(crate) mod branch;
pub(crate) mod compare;
pub(crate) mod runs;
pub(crate) mod scenarios;
pub(crate) mod sweeps;
