//! Airstrikes.
//!
//! Each strike capacity flies, each round, up to its `per_round` strikes: in
//! a format-1 scenario all of them; in format 2 each with the striker's
//! salience on its targeting issue as its chance (a Binomial tempo, so a
//! striker that cares less strikes less). A strike hits designated
//! terrorists with chance equal to the striker's current position on the
//! targeting issue read as high = only designated terrorists (the issue's
//! `high_means`), and other armed opposition otherwise.
//!
//! A strike on other opposition in a theatre whose ceasefire is in force
//! violates it, unless the forces it `hits` belong to a group the ceasefire
//! exempts (format 2). A broker of that ceasefire restrains its strikes on
//! the forces of the ceasefire's parties while it holds (format 2): each
//! such strike is flown only with chance 1 − the broker's salience on the
//! ceasefire's issue, so the tempo on the parties is the striker's tempo ×
//! (1 − salience). When the capacity names whose forces such a strike `hits`,
//! the strike lowers trust (by the scenario's trust rate) between the
//! striker and that actor, that actor's patrons, and, where the striker is
//! patron to a party of the theatre's ceasefire, between that party and the
//! actor hit: a patron's strikes count against its client.
//!
//! A threat carried out with strikes adds its strikes each round from then
//! on, on the threatened actor's forces.
//!
//! No striker flies more than the state leaves it this round in a theatre
//! (`State::strikes_left`): a strike put into a branch earlier in the round
//! takes one of the round's strikes. Without one, the state leaves every
//! capacity whole when this phase decides, so the cap changes nothing.

use std::collections::BTreeMap;

use super::{Context, Mechanism};
use crate::event::Id;
use crate::event::{
    CeasefireViolated, Event, Shift, Strike, StrikeTarget, TrustChanged, ViolationCause,
};
use crate::scenario::{Family, ThreatAction};
use crate::state::{Batch, CeasefireStatus, State, ThreatStatus};

/// The strikes mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Strikes;

impl Mechanism for Strikes {
    fn decider(&self) -> &str {
        "strikes"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let scenario = ctx.scenario();
        let format2 = scenario.version >= 2;
        // Several strikes in one round each lower trust from where the
        // last left it.
        let mut batch = Batch::new(state);
        let patrons: Vec<(Option<usize>, Option<usize>)> = scenario
            .patrons
            .iter()
            .map(|p| (state.actor(&p.patron), state.actor(&p.client)))
            .collect();
        let mut left = Left::default();
        for cap in &scenario.strikes {
            let (Some(actor), Some(issue)) = (state.actor(&cap.actor), state.issue(&cap.issue))
            else {
                continue;
            };
            let Some(held) = state.held(issue, actor) else {
                continue;
            };
            let reading = scenario.issues[issue].reading(Family::Strikes, held.position);
            let p_terrorists = reading / 100.0;
            let mut stream = ctx.stream_of(&[&cap.actor, &cap.theatre]);
            let in_force = in_force(state, &cap.theatre);
            let hit = cap.hits.as_deref().and_then(|h| state.actor(h));
            let cover = Cover::of(state, &cap.theatre, actor, hit);
            for _ in 0..cap.per_round {
                if format2 && !stream.chance(held.salience) {
                    continue;
                }
                let target = if stream.chance(p_terrorists) {
                    StrikeTarget::DesignatedTerrorists
                } else {
                    StrikeTarget::OtherOpposition
                };
                if target == StrikeTarget::OtherOpposition
                    && let Some(keep) = cover.restraint
                    && !stream.chance(keep)
                {
                    continue;
                }
                if !left.take(state, (actor, &cap.actor), &cap.theatre) {
                    break;
                }
                let hits = (target == StrikeTarget::OtherOpposition)
                    .then(|| cap.hits.clone())
                    .flatten();
                batch.push(Event::Strike(Strike::new(
                    &cap.actor,
                    &cap.theatre,
                    target,
                    hits.as_deref(),
                )));
                if target == StrikeTarget::OtherOpposition && in_force && !cover.exempt {
                    // The running count is the state's, settled on append.
                    batch.push(Event::CeasefireViolated(CeasefireViolated {
                        theatre: Id::from(cap.theatre.as_str()),
                        by: Id::from(cap.actor.as_str()),
                        cause: ViolationCause::Strike,
                        violations: 0,
                    }));
                }
                if let Some(hit) = hits.as_deref().and_then(|h| state.actor(h)) {
                    let strike = Struck {
                        striker: actor,
                        hit,
                        theatre: &cap.theatre,
                        patrons: &patrons,
                    };
                    struck(ctx, &mut batch, strike);
                }
            }
        }
        // Threats carried out with strikes: on the threatened actor's forces.
        for (threat, ts) in scenario.threats.iter().zip(state.threats()) {
            let ThreatAction::Strikes { theatre, per_round } = &threat.action else {
                continue;
            };
            if ts.status != ThreatStatus::CarriedOut {
                continue;
            }
            // An actor the state does not know has no strike left (its
            // count is 0 whatever it is keyed by).
            let striker = state.actor(&threat.actor).unwrap_or(usize::MAX);
            for _ in 0..*per_round {
                if !left.take(state, (striker, &threat.actor), theatre) {
                    break;
                }
                batch.push(Event::Strike(Strike::new(
                    &threat.actor,
                    theatre,
                    StrikeTarget::Threatened,
                    Some(&threat.target),
                )));
            }
        }
        batch.into_events()
    }
}

/// The strikes each striker (by index) may still fly this round in each
/// theatre, as the state leaves them, less those this phase has decided.
#[derive(Debug, Default)]
struct Left<'a>(BTreeMap<(usize, &'a str), u32>);

impl<'a> Left<'a> {
    /// Takes one of `striker`'s strikes in `theatre`; false if none is left.
    fn take(&mut self, state: &State, striker: (usize, &str), theatre: &'a str) -> bool {
        let left = self
            .0
            .entry((striker.0, theatre))
            .or_insert_with(|| state.strikes_left(striker.1, theatre).map_or(0, |(l, _)| l));
        if *left == 0 {
            return false;
        }
        *left -= 1;
        true
    }
}

/// What a theatre's ceasefire in force says of one capacity's strikes on
/// other opposition.
#[derive(Clone, Copy, Debug, Default)]
struct Cover {
    /// The forces hit belong to a group the ceasefire exempts: no violation.
    exempt: bool,
    /// The striker brokered the ceasefire and the forces hit are a party's:
    /// the chance it flies each such strike, 1 − its salience on the
    /// ceasefire's issue.
    restraint: Option<f64>,
}

impl Cover {
    fn of(state: &State, theatre: &str, striker: usize, hit: Option<usize>) -> Cover {
        let Some(hit) = hit else {
            return Cover::default();
        };
        let Some(cf) = state
            .ceasefires()
            .iter()
            .find(|c| c.theatre == theatre && c.status == CeasefireStatus::InForce)
        else {
            return Cover::default();
        };
        let restraint = (cf.brokers.contains(&striker) && cf.parties.contains(&hit))
            .then(|| state.held(cf.issue, striker))
            .flatten()
            .map(|h| (1.0 - h.salience).clamp(0.0, 1.0));
        Cover {
            exempt: cf.exempt.contains(&hit),
            restraint,
        }
    }
}

fn in_force(state: &State, theatre: &str) -> bool {
    state
        .ceasefires()
        .iter()
        .any(|c| c.theatre == theatre && c.status == CeasefireStatus::InForce)
}

/// Lowers trust between `a` and `b` by the trust rate, from where the
/// batch leaves it.
fn lower(ctx: &Context<'_>, batch: &mut Batch<'_>, a: usize, b: usize, striker: &str) {
    let state = ctx.state();
    if a == b {
        return;
    }
    let from = batch.trust(a, b);
    let to = (from - ctx.scenario().trust.rate).max(0.0);
    if to == from {
        return;
    }
    batch.push(Event::TrustChanged(TrustChanged {
        a: state.actors()[a].clone(),
        b: state.actors()[b].clone(),
        from,
        to,
        cause: Shift::Strike {
            striker: Id::from(striker),
        },
    }));
}

/// A strike on someone's forces, and the scenario's patrons as (patron,
/// client) indices, looked up once a round.
#[derive(Clone, Copy)]
struct Struck<'a> {
    striker: usize,
    hit: usize,
    theatre: &'a str,
    patrons: &'a [(Option<usize>, Option<usize>)],
}

/// A strike by `striker` on the forces of `hit`: trust falls between the
/// striker and `hit` and its patrons, and between `hit` and each party of
/// the theatre's ceasefire whose patron the striker is.
fn struck(ctx: &Context<'_>, batch: &mut Batch<'_>, strike: Struck<'_>) {
    let Struck {
        striker,
        hit,
        theatre,
        patrons,
    } = strike;
    let state = ctx.state();
    let name = state.actors()[striker].clone();
    lower(ctx, batch, striker, hit, &name);
    for &(patron, client) in patrons {
        if client == Some(hit)
            && let Some(patron) = patron
        {
            lower(ctx, batch, striker, patron, &name);
        }
    }
    // A patron's strikes count against its clients in the theatre's
    // ceasefire.
    for cf in state.ceasefires().iter().filter(|c| c.theatre == theatre) {
        for &party in &cf.parties {
            let patron_of_party = patrons
                .iter()
                .any(|&(patron, client)| patron == Some(striker) && client == Some(party));
            if patron_of_party && party != hit {
                lower(ctx, batch, party, hit, &name);
            }
        }
    }
}
