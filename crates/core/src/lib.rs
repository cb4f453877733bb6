//! entente-core: the model of Entente.
//!
//! Scenarios, events, the state they fold into, the negotiation models, the
//! crisis mechanisms, the engine that runs them, and the log format. This
//! crate does no I/O: it reads no file and no clock, starts no thread, and
//! draws randomness only from keyed ChaCha streams. Deciding returns events;
//! applying an event cannot fail.
//!
//! ```
//! use entente_core::{Run, RunConfig, Scenario};
//! # let json = include_str!("../tests/data/two-actors.json");
//! let scenario: Scenario = serde_json::from_str(json).unwrap();
//! let run = Run::new(&scenario, RunConfig { seed: 7, ..RunConfig::default() }).unwrap();
//! let events: Vec<_> = run.collect::<Result<_, _>>().unwrap();
//! assert!(!events.is_empty());
//! ```

pub mod cameo;
pub mod date;
pub mod effects;
pub mod event;
pub mod fold;
pub mod forecast;
pub mod front;
pub mod import;
pub mod inject;
#[cfg(any(test, feature = "testing"))]
pub mod laws;
pub mod limits;
pub mod log;
pub mod mechanism;
pub mod model;
pub mod outcome;
mod rows;
pub mod run;
pub mod scale;
pub mod scenario;
pub mod state;
pub mod stream;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod uncertainty;

pub use date::Date;
pub use event::{Envelope, Event};
pub use fold::{Fold, FoldError};
pub use log::{Branch, Encoder, Hash, Header, InjectionRecord, Line, Verifier};
pub use mechanism::{Context, Mechanism};
pub use model::Model;
pub use outcome::{BargainingEnd, Outcome, Spell};
pub use run::{Injection, Prepared, Run, RunConfig, RunError};
pub use scenario::{Problem, Scenario};
pub use state::{Refusal, State};
pub use stream::Stream;

#[cfg(test)]
mod tests;
