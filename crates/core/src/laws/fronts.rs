//! The laws of fronts (issue 29): more forces on a front never lose
//! control faster; losing never makes a side less willing to accept a
//! ceasefire; a ceasefire in force never lets control shift without a
//! violation; and fronts are invariant under relabelling the sides.
//!
//! The first three look at each event and the state it met, as the other
//! event laws do (the suite plays without the engine's checks, so they see
//! what the rules decide). The last plays the fronts alone, with the null
//! model, on the case and on a copy whose actors are renamed and listed the
//! other way round and whose every front lists its sides the other way
//! round, and compares control and positions bit for bit.

use super::checks::violation;
use super::invariance::{reversed, still};
use super::{Deciders, Keep, Law, Suite, Violation};
use crate::RunConfig;
use crate::event::{Cause, ControlChanged, Event, Shift};
use crate::scenario::{Family, Scenario};
use crate::state::{CeasefireStatus, State};

/// The event laws of fronts on one event and the state before it.
pub(super) fn front_event_laws(
    scenario: &Scenario,
    before: &State,
    seq: u64,
    e: &Event,
) -> Result<(), Violation> {
    match e {
        Event::ControlChanged(c) => {
            frozen_unless_violated(before, seq, c)?;
            more_forces_never_lose_faster(before, seq, c)
        }
        Event::PositionChanged(p) if matches!(p.cause, Cause::Front { .. }) => {
            let issue = scenario.issues.iter().find(|i| i.id == p.issue.as_str());
            let toward = issue.is_some_and(|i| {
                i.reading(Family::Ceasefire, p.to) >= i.reading(Family::Ceasefire, p.from)
            });
            if toward {
                Ok(())
            } else {
                Err(violation(
                    Law::LossesTowardCeasefire,
                    format!(
                        "seq {seq}: fighting moves {} away from a ceasefire on {} ({} → {})",
                        p.actor, p.issue, p.from, p.to
                    ),
                ))
            }
        }
        Event::SalienceChanged(c) if matches!(c.cause, Shift::Front { .. }) && c.to < c.from => {
            Err(violation(
                Law::LossesTowardCeasefire,
                format!(
                    "seq {seq}: fighting lowers {}'s salience on {} ({} → {})",
                    c.actor, c.issue, c.from, c.to
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// A change of control while the theatre's ceasefire holds needs a
/// violation this round by a side or its patron.
fn frozen_unless_violated(before: &State, seq: u64, c: &ControlChanged) -> Result<(), Violation> {
    let Some(k) = before.front_index(&c.front) else {
        return Ok(());
    };
    let holds = before.ceasefire_index(&c.theatre).is_some_and(|cf| {
        let cf = &before.ceasefires()[cf];
        let sides = before.front(k).map_or([0, 0], |f| f.sides);
        cf.status == CeasefireStatus::InForce
            && sides.iter().all(|s| cf.binds(*s) && !cf.exempt.contains(s))
    });
    if holds && before.front_unfrozen_by(k).is_none() {
        return Err(violation(
            Law::CeasefireFreezesFronts,
            format!(
                "seq {seq}: control of the {} front shifts while the {} ceasefire holds and nobody violated it",
                c.front, c.theatre
            ),
        ));
    }
    Ok(())
}

/// Each side, had it twice its forces on the front, would have ended the
/// round with at least the share the change gives it.
fn more_forces_never_lose_faster(
    before: &State,
    seq: u64,
    c: &ControlChanged,
) -> Result<(), Violation> {
    let Some(k) = before.front_index(&c.front) else {
        return Ok(());
    };
    for (j, side) in c.sides.iter().enumerate().take(2) {
        let mut scale = [1.0, 1.0];
        scale[j] = 2.0;
        let Some(more) = before.front_step_scaled(k, scale) else {
            continue;
        };
        let with_more = more.sides[j].to;
        if with_more < side.to {
            return Err(violation(
                Law::FrontForces,
                format!(
                    "seq {seq}: with twice its forces {} would hold {with_more} of the {} front instead of {}",
                    side.actor, c.front, side.to
                ),
            ));
        }
    }
    Ok(())
}

impl Suite {
    /// Relabel for fronts: the fronts alone (null model), the case against
    /// its actors renamed and listed in reverse and each front's sides
    /// listed in reverse; control and every position the same bits.
    pub(super) fn fronts_relabel(&self, scenario: &Scenario, seed: u64) -> Result<(), Violation> {
        if scenario.fronts.is_empty() {
            return Ok(());
        }
        let config = RunConfig {
            seed,
            ..RunConfig::default()
        };
        let base = still(scenario);
        let (mut renamed, names) = reversed(&base);
        let new = |id: &str| {
            names
                .iter()
                .find(|(old, _)| old == id)
                .map_or_else(|| id.to_owned(), |(_, new)| new.clone())
        };
        for f in &mut renamed.fronts {
            f.sides.reverse();
        }
        let (_, a) = self.play(&base, config.clone(), Deciders::Fronts, Keep::Ends)?;
        let (_, b) = self.play(&renamed, config, Deciders::Fronts, Keep::Ends)?;
        let (Some(a), Some(b)) = (a.last(), b.last()) else {
            return Ok(());
        };
        for k in 0..a.front_count() {
            let (Some(fa), Some(fb)) = (a.front(k), b.front(k)) else {
                continue;
            };
            for j in 0..2 {
                let who = &a.actors()[fa.sides[j]];
                let theirs = b.actors()[fb.sides[1 - j]].as_str();
                if new(who) != theirs || fa.control[j].to_bits() != fb.control[1 - j].to_bits() {
                    return Err(violation(
                        Law::FrontsRelabel,
                        format!(
                            "with the actors renamed and the sides listed the other way, {who} ends with {} of the {} front instead of {}",
                            fb.control[1 - j],
                            fa.id,
                            fa.control[j]
                        ),
                    ));
                }
            }
        }
        for (i, issue) in a.issues().iter().enumerate() {
            for (k, actor) in a.actors().iter().enumerate() {
                let x = a.held(i, k).map(|h| h.position.to_bits());
                let y = b
                    .actor(&new(actor))
                    .and_then(|k2| b.held(i, k2))
                    .map(|h| h.position.to_bits());
                if x != y {
                    return Err(violation(
                        Law::FrontsRelabel,
                        format!(
                            "with the actors renamed and the sides listed the other way, {actor} ends elsewhere on {issue}"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}
