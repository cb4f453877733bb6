//! Ceasefires, one per theatre.
//!
//! Positions are read as the governing issue's `high_means` says (high = a
//! ceasefire now). Each round, in scenario order:
//! 1. A ceasefire not in force is agreed when the positions that decide it
//!    lie within `tolerance` of each other and their mean is at least
//!    `threshold`: the parties' positions, or the brokers' when it is
//!    brokered. After a collapse (format 2), re-agreement also needs the
//!    mean trust among the parties to have come back to `trust_to_reagree`
//!    (default 0.4); trust recovers by `trust_recovery` a round.
//! 2. A brokered ceasefire binds each party whose own position already lies
//!    within `tolerance` of the brokers' mean; any other party joins with
//!    chance leverage × (1 − salience), the greatest leverage any of its
//!    patrons among the brokers holds over it, and otherwise refuses: a
//!    spoiler, named in the agreement and not bound by it. Fewer than two
//!    bound parties and there is nothing to agree.
//! 3. While in force (including the round it is agreed), each bound party
//!    violates it with hazard h = hazard × (1 − p̄/100) × (1 − t̄), where the
//!    hazard is the party's own (`hazards`) or the ceasefire's, p̄ the bound
//!    parties' mean position and t̄ their mean pairwise trust.
//! 4. A ceasefire with a `collapse_hazard` (format 2) collapses with the
//!    chance [`HazardTerms::chance`] gives: logistic in the violations of the
//!    last `window` rounds (strikes' violations count too, a strike on an
//!    `exempt` group's forces does not), less the bound parties' mean trust
//!    (as this round's events leave it) and the monitoring level, each with
//!    its weight. One without collapses when its violations since it was
//!    agreed reach `collapse_after` (the trigger of format 1 and of earlier
//!    format-2 files, kept as it was).

use super::{Context, Mechanism};
use crate::event::Id;
use crate::event::{CeasefireAgreed, CeasefireCollapsed, CeasefireViolated, Event, ViolationCause};
use crate::scenario::CeasefireRule;
use crate::state::{Batch, Ceasefire, CeasefireStatus, HazardTerms, State};

/// The trust among the parties that re-agreement after a collapse needs,
/// when the scenario does not say.
pub const DEFAULT_TRUST_TO_REAGREE: f64 = 0.4;

/// The ceasefire mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ceasefires;

impl Mechanism for Ceasefires {
    fn decider(&self) -> &str {
        "ceasefire"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let format2 = ctx.scenario().version >= 2;
        // Counts the violations within this batch, to decide a collapse;
        // the events' own counts are the state's (settled on append).
        let mut batch = Batch::new(state);
        for (k, (rule, cf)) in ctx
            .scenario()
            .ceasefires
            .iter()
            .zip(state.ceasefires())
            .enumerate()
        {
            let Some(terms) = state.ceasefire_terms(k) else {
                continue;
            };
            let mut in_force = cf.status == CeasefireStatus::InForce;
            let mut bound: Vec<usize> = cf
                .parties
                .iter()
                .copied()
                .filter(|&p| cf.binds(p))
                .collect();
            let fits = terms.spread <= rule.tolerance && terms.mean >= rule.threshold;
            let trusted = !format2
                || cf.collapses == 0
                || mean_trust(state, &cf.parties)
                    >= rule.trust_to_reagree.unwrap_or(DEFAULT_TRUST_TO_REAGREE);
            if !in_force && fits && trusted {
                let spoilers = if cf.brokers.is_empty() {
                    Vec::new()
                } else {
                    refusals(ctx, k, rule, cf, terms.mean)
                };
                bound = cf
                    .parties
                    .iter()
                    .copied()
                    .filter(|p| !spoilers.contains(p))
                    .collect();
                if bound.len() >= 2.min(cf.parties.len()) {
                    batch.push(Event::CeasefireAgreed(CeasefireAgreed {
                        theatre: Id::from(rule.theatre.as_str()),
                        parties: Vec::new(),
                        mean: terms.mean,
                        spread: terms.spread,
                        brokers: Vec::new(),
                        spoilers: spoilers
                            .iter()
                            .map(|&p| state.actors()[p].clone())
                            .collect(),
                    }));
                    in_force = true;
                }
            }
            if !in_force {
                continue;
            }

            let trust = mean_trust(state, &bound);
            let mean = bound_mean(state, k, cf, &bound).unwrap_or(terms.mean);
            for &party in &bound {
                let party_id = &state.actors()[party];
                let base = rule
                    .hazards
                    .get(party_id.as_str())
                    .copied()
                    .unwrap_or(rule.hazard);
                let hazard = (base * (1.0 - mean / 100.0) * (1.0 - trust)).clamp(0.0, 1.0);
                let mut stream = ctx.stream_of(&[&rule.theatre, party_id]);
                if stream.chance(hazard) {
                    batch.push(Event::CeasefireViolated(CeasefireViolated {
                        theatre: Id::from(rule.theatre.as_str()),
                        by: party_id.clone(),
                        cause: ViolationCause::Hazard { hazard },
                        violations: 0,
                    }));
                }
            }
            let collapses = match cf.hazard {
                Some(terms) => {
                    let chance = collapse_chance(&batch, cf, terms, k, &bound);
                    ctx.stream_of(&[&rule.theatre, "collapse"]).chance(chance)
                }
                None => batch.violations(k) >= rule.collapse_after,
            };
            if collapses {
                // The count and the hazard are the state's, settled on append.
                batch.push(Event::CeasefireCollapsed(CeasefireCollapsed {
                    theatre: Id::from(rule.theatre.as_str()),
                    violations: 0,
                    hazard: None,
                }));
            }
        }
        batch.into_events()
    }
}

/// The parties of a brokered ceasefire that refuse it this round.
fn refusals(
    ctx: &Context<'_>,
    k: usize,
    rule: &CeasefireRule,
    cf: &Ceasefire,
    brokers_mean: f64,
) -> Vec<usize> {
    let state = ctx.state();
    let mut spoilers = Vec::new();
    for &party in &cf.parties {
        let Some(held) = state.held(cf.issue, party) else {
            continue;
        };
        let reading = state.ceasefire_reading(k, held.position);
        if (reading - brokers_mean).abs() <= rule.tolerance {
            continue;
        }
        let chance = join_chance(ctx, &cf.brokers, party, held.salience);
        let mut stream = ctx.stream_of(&[&rule.theatre, "join", &state.actors()[party]]);
        if !stream.chance(chance) {
            spoilers.push(party);
        }
    }
    spoilers
}

/// The chance a client joins what its patrons among `brokers` agreed:
/// leverage × (1 − salience), for the patron with the most leverage.
pub fn join_chance(ctx: &Context<'_>, brokers: &[usize], client: usize, salience: f64) -> f64 {
    let state = ctx.state();
    let leverage = ctx
        .scenario()
        .patrons
        .iter()
        .filter(|p| p.client == state.actors()[client])
        .filter(|p| state.actor(&p.patron).is_some_and(|a| brokers.contains(&a)))
        .map(|p| p.leverage)
        .fold(0.0, f64::max);
    (leverage * (1.0 - salience)).clamp(0.0, 1.0)
}

/// The bound parties' mean position, read as high = a ceasefire now; in
/// the parties' listing order, as the terms are summed.
fn bound_mean(state: &State, k: usize, cf: &Ceasefire, bound: &[usize]) -> Option<f64> {
    if bound.is_empty() || (cf.brokers.is_empty() && bound.len() == cf.parties.len()) {
        return None;
    }
    let mut sum = 0.0;
    for &p in bound {
        sum += state.ceasefire_reading(k, state.held(cf.issue, p)?.position);
    }
    Some(sum / bound.len() as f64)
}

/// Mean trust over every pair of parties.
fn mean_trust(state: &State, parties: &[usize]) -> f64 {
    crate::state::mean_trust(parties, |a, b| state.trust(a, b))
}

/// The chance ceasefire `k` collapses this round, with the violations and
/// trust this round's batch leaves: what [`State::collapse_hazard`] will
/// say when the collapse is appended.
fn collapse_chance(
    batch: &Batch<'_>,
    cf: &Ceasefire,
    terms: HazardTerms,
    k: usize,
    bound: &[usize],
) -> f64 {
    // A ceasefire agreed in this batch starts with an empty window.
    let (before, counted) = if cf.status == CeasefireStatus::InForce {
        (cf.recent_violations(), cf.violations)
    } else {
        (0, 0)
    };
    let violations = before.saturating_add(batch.violations(k).saturating_sub(counted));
    let trust = crate::state::mean_trust(bound, |a, b| batch.trust(a, b));
    terms.chance(violations, trust)
}
