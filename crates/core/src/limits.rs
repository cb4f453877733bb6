//! Limits on what a scenario, an event or a log may hold.
//!
//! Every input is bounded, so no file can make Entente run out of memory,
//! time or stack. The runner adds the limits that concern files (size, JSON
//! nesting); these are the ones the model itself relies on. A value past a
//! limit is a validation problem with a message naming the limit.

/// Most actors in a scenario.
pub const MAX_ACTORS: usize = 1_000;
/// Most issues in a scenario.
pub const MAX_ISSUES: usize = 100;
/// Most rounds a run may play.
pub const MAX_ROUNDS: u32 = 10_000;
/// Longest round, in days (about ten years).
pub const MAX_DAYS_PER_ROUND: u32 = 3_660;
/// Most timeline entries.
pub const MAX_TIMELINE: usize = 100_000;
/// Most entries in any other list (sources, strikes, ceasefires, regimes,
/// renewal dates, linkage pairs, trust pairs).
pub const MAX_LIST: usize = 10_000;
/// Most strikes one actor makes in a round.
pub const MAX_STRIKES_PER_ROUND: u32 = 1_000;
/// Largest actor capability. Capabilities are relative, so the bound costs
/// nothing and keeps every product of capability, salience and position far
/// from overflow.
pub const MAX_CAPABILITY: f64 = 1e12;
/// Smallest capability an effect, a draw or the fighting leaves an actor
/// with (a capability is positive).
pub const MIN_CAPABILITY: f64 = 1e-6;

/// Whether `x` is a capability a scenario may declare and an event may
/// leave an actor with: finite, from [`MIN_CAPABILITY`] to
/// [`MAX_CAPABILITY`]. The one rule `validate` holds a scenario's actors to
/// and the state holds every `capability_changed` to (an injected one too).
pub fn capability_allowed(x: f64) -> bool {
    x.is_finite() && (MIN_CAPABILITY..=MAX_CAPABILITY).contains(&x)
}

/// The range [`capability_allowed`] states, as a message gives it.
pub const CAPABILITY_RANGE: &str =
    "from the smallest, 1e-6, to the limit, 1e12 (capabilities are relative)";

/// A capability an effect, a draw or the fighting computed, held to
/// [`MIN_CAPABILITY`, `MAX_CAPABILITY`]: every writer of a
/// `capability_changed` goes through it, so no run writes one its replay
/// refuses.
pub fn capability(x: f64) -> f64 {
    x.clamp(MIN_CAPABILITY, MAX_CAPABILITY)
}

/// Longest text field, in bytes.
pub const MAX_TEXT_BYTES: usize = 10_000;
/// Most rounds a stop rule may look back (quiet rounds, a cycle's period):
/// the state keeps that many rounds of positions.
pub const MAX_STOP_ROUNDS: u32 = 100;
