//! The laws a sound model keeps whatever it models: the answer does not
//! depend on names or listing order (relabel), on which end of a scale is 0
//! (mirror), or on the unit capabilities are counted in (capability scale);
//! more capability never pulls the forecast away from an actor
//! (capability); a model moves nobody when all agree (unanimity); and on a
//! scenario whose actors differ, high-salience principals move in some runs
//! (movement).
//!
//! Each law plays the case and a transformed copy with the model alone (or
//! with the agreement mechanism, whose rule reads no end of a scale) and
//! compares them. Every position is drawn without uncertainty, since the
//! draws are keyed by name, and exact ties are broken by a nudge keyed by
//! name, since ties go by stated rules (the lower position, the proposer
//! listed first) that a transformation must not be held to.

use std::ops::Range;

use super::checks::{break_ties, violation};
use super::{Deciders, Keep, Law, Suite, Violation};
use crate::event::Event;
use crate::outcome::BargainingEnd;
use crate::scenario::{Effect, Family, Scenario, StopRule};
use crate::{RunConfig, limits, log, scale};

/// Positions closer than this count as the same after a mirror, whose
/// arithmetic (100 − x) rounds.
const MIRROR_TOLERANCE: f64 = 1e-6;

/// Rounds the capability law lets bargaining run to its end; a case whose
/// bargaining is not over by then is not judged.
pub const LAW_ROUNDS: u32 = 400;

/// The stop rule of the capability law: still to a hundred-thousandth of a
/// point.
const FINE_STOP: StopRule = StopRule {
    tolerance: 1e-5,
    quiet_rounds: 3,
    max_period: 8,
    relative: None,
};

/// A change this small (in points) is the residue of a stop, not a push.
const CAPABILITY_TOLERANCE: f64 = 1e-2;

/// A principal moved if it ended this many points from where it opened.
pub const MOVED: f64 = 1.0;

/// High salience, for the movement law.
pub const HIGH_SALIENCE: f64 = 0.7;

impl Suite {
    pub(super) fn model_laws(&self, scenario: &Scenario, seed: u64) -> Result<(), Violation> {
        let config = RunConfig {
            seed,
            ..RunConfig::default()
        };
        if self.exemption(Law::Relabel, scenario).is_none() {
            self.relabel(scenario, &config)?;
        }
        if self.exemption(Law::Mirror, scenario).is_none() {
            self.mirror(scenario, &config)?;
        }
        if self.exemption(Law::CapabilityScale, scenario).is_none() {
            self.capability_scale(scenario, &config)?;
        }
        if self.exemption(Law::Capability, scenario).is_none() {
            self.capability(scenario, &config, seed)?;
        }
        self.unanimity(scenario, &config)
    }

    /// Relabel: new names that sort the other way, listed in reverse order.
    fn relabel(&self, scenario: &Scenario, config: &RunConfig) -> Result<(), Violation> {
        let base = match self.ties {
            super::Ties::Break => break_ties(&still(scenario)),
            super::Ties::Strict => still(scenario),
        };
        let (renamed, names) = reversed(&base);
        let (_, a) = self.play(&base, config.clone(), Deciders::Model, Keep::Ends)?;
        let (_, b) = self.play(&renamed, config.clone(), Deciders::Model, Keep::Ends)?;
        let (Some(a), Some(b)) = (a.last(), b.last()) else {
            return Ok(());
        };
        let back = |id: &str| {
            names
                .iter()
                .find(|(_, new)| new == id)
                .map_or_else(|| id.to_owned(), |(old, _)| old.clone())
        };
        for (i, issue) in a.issues().iter().enumerate() {
            for (k, actor) in a.actors().iter().enumerate() {
                let x = a.held(i, k).map(|h| h.position);
                let y = b
                    .actors()
                    .iter()
                    .position(|id| back(id) == *actor)
                    .and_then(|k2| b.held(i, k2))
                    .map(|h| h.position);
                if x != y {
                    return Err(violation(
                        Law::Relabel,
                        format!(
                            "with the actors renamed and listed in reverse order, {actor} ends at {} on {issue} instead of {}",
                            show(y),
                            show(x)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Mirror: every position x becomes 100 − x.
    fn mirror(&self, scenario: &Scenario, config: &RunConfig) -> Result<(), Violation> {
        let base = untied_weights(&break_ties(&still(scenario)));
        let mirrored = mirrored(&base);
        let (_, a) = self.play(&base, config.clone(), Deciders::Agreements, Keep::Ends)?;
        let (_, b) = self.play(&mirrored, config.clone(), Deciders::Agreements, Keep::Ends)?;
        let (Some(a), Some(b)) = (a.last(), b.last()) else {
            return Ok(());
        };
        let fail = |what: String| {
            Err(violation(
                Law::Mirror,
                format!("with the scale mirrored (x → 100 − x), {what}"),
            ))
        };
        let near = |x: f64, y: f64| (x - scale::mirror(y)).abs() <= MIRROR_TOLERANCE;
        for (i, issue) in a.issues().iter().enumerate() {
            for (k, actor) in a.actors().iter().enumerate() {
                let (x, y) = (a.held(i, k), b.held(i, k));
                if let (Some(x), Some(y)) = (x, y)
                    && !near(y.position, x.position)
                {
                    return fail(format!(
                        "{actor} ends at {} on {issue}, not at 100 − {}",
                        y.position, x.position
                    ));
                }
            }
            let (fa, fb) = (a.final_forecasts(i), b.final_forecasts(i));
            if !near(fb.mean, fa.mean) || !near(fb.median, fa.median) {
                return fail(format!(
                    "the forecasts on {issue} are mean {} and median {}, not 100 − {} and 100 − {}",
                    fb.mean, fb.median, fa.mean, fa.median
                ));
            }
            let (ga, gb) = (a.agreement(i), b.agreement(i));
            if ga.map(|g| g.round) != gb.map(|g| g.round) {
                return fail(format!(
                    "{issue} is agreed in round {} instead of {}",
                    show_round(gb.map(|g| g.round)),
                    show_round(ga.map(|g| g.round))
                ));
            }
        }
        let (ea, eb) = (BargainingEnd::of(a), BargainingEnd::of(b));
        if (ea, a.bargaining().round()) != (eb, b.bargaining().round()) {
            return fail(format!(
                "bargaining is {} in round {} instead of {} in round {}",
                eb.word(),
                show_round(b.bargaining().round()),
                ea.word(),
                show_round(a.bargaining().round())
            ));
        }
        Ok(())
    }

    /// Capability scale: every capability times a power of two, which
    /// floating point keeps exact; down instead of up when up would pass
    /// the limit.
    fn capability_scale(&self, scenario: &Scenario, config: &RunConfig) -> Result<(), Violation> {
        let scenario = &without_shocks(scenario);
        let mut scaled = scenario.clone();
        let largest = scenario
            .actors
            .iter()
            .map(|a| a.capability)
            .fold(0.0, f64::max);
        let factor = if largest * 8.0 <= limits::MAX_CAPABILITY {
            8.0
        } else {
            0.125
        };
        for actor in &mut scaled.actors {
            actor.capability *= factor;
        }
        let (ea, _) = self.play(scenario, config.clone(), Deciders::Model, Keep::Ends)?;
        let (eb, _) = self.play(&scaled, config.clone(), Deciders::Model, Keep::Ends)?;
        if ea != eb {
            let at = ea
                .iter()
                .zip(&eb)
                .position(|(x, y)| x != y)
                .map_or(0, |k| k + 1);
            return Err(violation(
                Law::CapabilityScale,
                format!(
                    "with every capability multiplied by {factor}, the model's events part at seq {at}"
                ),
            ));
        }
        Ok(())
    }

    /// Capability: one actor's capability doubled (the actor picked by the
    /// seed) does not move an issue's forecast farther from where the
    /// actor opened. The forecast is the model's answer: the weighted mean
    /// once bargaining is over (played for up to [`LAW_ROUNDS`] rounds
    /// under a fine stop rule), not a calendar round's, since part-way a
    /// stronger actor that concedes drags the mean with it before the
    /// others follow, and a forecast on its way may pass over the actor.
    fn capability(
        &self,
        scenario: &Scenario,
        config: &RunConfig,
        seed: u64,
    ) -> Result<(), Violation> {
        let mut base = without_shocks(&still(scenario));
        base.model.stop = Some(FINE_STOP);
        let config = RunConfig {
            rounds: Some(LAW_ROUNDS.max(scenario.rounds)),
            ..config.clone()
        };
        let Some(k) = (!base.actors.is_empty()).then(|| (seed % base.actors.len() as u64) as usize)
        else {
            return Ok(());
        };
        if base.actors[k].capability * 2.0 > limits::MAX_CAPABILITY {
            return Ok(());
        }
        let mut raised = base.clone();
        raised.actors[k].capability *= 2.0;
        let (_, a) = self.play(
            &base,
            config.clone(),
            Deciders::ModelUntilSettled,
            Keep::Ends,
        )?;
        let (_, b) = self.play(
            &raised,
            config.clone(),
            Deciders::ModelUntilSettled,
            Keep::Ends,
        )?;
        let (Some(opening), Some(a), Some(b)) = (a.first(), a.last(), b.last()) else {
            return Ok(());
        };
        if a.bargaining_goes_on() || b.bargaining_goes_on() {
            return Ok(());
        }
        let actor = &base.actors[k].id;
        for (i, issue) in a.issues().iter().enumerate() {
            let Some(held) = opening.held(i, k).filter(|h| h.salience > 0.0) else {
                continue;
            };
            let x = held.position;
            let (before, after) = (a.final_forecasts(i).mean, b.final_forecasts(i).mean);
            if (after - x).abs() > (before - x).abs() + CAPABILITY_TOLERANCE {
                return Err(violation(
                    Law::Capability,
                    format!(
                        "with {actor}'s capability doubled, the weighted mean on {issue} once bargaining is over is {after} instead of {before}: farther from {actor}'s opening {x}"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Unanimity: every actor at one position on every issue.
    fn unanimity(&self, scenario: &Scenario, config: &RunConfig) -> Result<(), Violation> {
        let mut same = without_shocks(scenario);
        let at = same.stances.first().map_or(50.0, |s| s.position);
        for stance in &mut same.stances {
            stance.position = at;
            stance.uncertainty = 0.0;
        }
        let (events, _) = self.play(&same, config.clone(), Deciders::Model, Keep::Ends)?;
        if let Some(e) = events
            .iter()
            .find(|e| matches!(e.event, Event::PositionChanged(_)))
        {
            return Err(violation(
                Law::Unanimity,
                format!(
                    "with every actor at {at} on every issue, seq {} moves someone: {:?}",
                    e.seq, e.event
                ),
            ));
        }
        Ok(())
    }

    /// Movement: over `seeds`, some principal of salience at least
    /// [`HIGH_SALIENCE`] (any principal, if none has it) ends at least
    /// [`MOVED`] points from where it opened, the model playing alone.
    /// Holds trivially on a scenario whose principals all share one
    /// capability or one salience. A model exempt from the law passes it.
    pub fn movement(&self, scenario: &Scenario, seeds: Range<u64>) -> Result<(), Violation> {
        if self.exemption(Law::Movement, scenario).is_some() {
            return Ok(());
        }
        let principals: Vec<(usize, &str)> = scenario
            .issues
            .iter()
            .enumerate()
            .flat_map(|(i, issue)| issue.principals.iter().map(move |p| (i, p.as_str())))
            .collect();
        let stance = |i: usize, p: &str| {
            scenario
                .stances
                .iter()
                .find(|s| s.actor == p && s.issue == scenario.issues[i].id)
        };
        let capability = |p: &str| {
            scenario
                .actors
                .iter()
                .find(|a| a.id == p)
                .map(|a| a.capability)
        };
        let differ = |values: Vec<f64>| values.iter().any(|v| Some(v) != values.first());
        let capabilities = principals
            .iter()
            .filter_map(|&(_, p)| capability(p))
            .collect();
        let saliences: Vec<f64> = principals
            .iter()
            .filter_map(|&(i, p)| stance(i, p).map(|s| s.salience))
            .collect();
        if principals.is_empty() || !differ(capabilities) || !differ(saliences.clone()) {
            return Ok(());
        }
        let high = saliences.iter().any(|&s| s >= HIGH_SALIENCE);
        let watched: Vec<(usize, &str)> = principals
            .iter()
            .copied()
            .filter(|&(i, p)| !high || stance(i, p).is_some_and(|s| s.salience >= HIGH_SALIENCE))
            .collect();
        let mut largest = 0.0_f64;
        for seed in seeds.clone() {
            let config = RunConfig {
                seed,
                ..RunConfig::default()
            };
            let (_, states) = self.play(scenario, config, Deciders::Model, Keep::Every)?;
            // The positions once the opening draws are made: after round 0.
            let (Some(opening), Some(end)) =
                (states.iter().find(|s| s.closed().is_some()), states.last())
            else {
                continue;
            };
            for &(i, p) in &watched {
                let Some(k) = opening.actor(p) else { continue };
                if let (Some(x), Some(y)) = (opening.held(i, k), end.held(i, k)) {
                    largest = largest.max((y.position - x.position).abs());
                }
            }
            if largest >= MOVED {
                return Ok(());
            }
        }
        Err(violation(
            Law::Movement,
            format!(
                "over seeds {}..{} no principal{} moved {MOVED} point or more (the largest move was {largest:.3})",
                seeds.start,
                seeds.end,
                if high {
                    format!(" of salience {HIGH_SALIENCE} or more")
                } else {
                    String::new()
                }
            ),
        ))
    }
}

/// The scenario with every opening value as written: no draws of position,
/// salience or capability.
pub(super) fn still(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    for stance in &mut s.stances {
        stance.uncertainty = 0.0;
        stance.salience_uncertainty = 0.0;
    }
    for actor in &mut s.actors {
        actor.capability_uncertainty = 0.0;
    }
    s
}

/// The scenario without the shocks that come from outside the bargaining:
/// timeline entries' effects and the draws of capability and salience
/// (format 2). The laws of capability and unanimity are statements about
/// the model; a scripted move, a capability changed by an event or drawn
/// (its absolute values scale with every capability) is not the model's.
pub(super) fn without_shocks(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    for entry in &mut s.timeline {
        entry.effects.clear();
    }
    for actor in &mut s.actors {
        actor.capability_uncertainty = 0.0;
    }
    for stance in &mut s.stances {
        stance.salience_uncertainty = 0.0;
    }
    s
}

/// Every capability times 1 + a millionth keyed by the actor's id, so no
/// weighted median falls exactly on half the weight, where its tie rule
/// (the lower position) reads an end of the scale.
fn untied_weights(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    for actor in &mut s.actors {
        let key = log::Hash::digest(actor.id.as_bytes());
        let digits = u32::from_str_radix(&key.as_str()[..8], 16).unwrap_or(0);
        let nudge = 1.0 + f64::from(digits) / f64::from(u32::MAX) * 1e-6;
        actor.capability = limits::capability(actor.capability * nudge);
    }
    s
}

/// `base` with its actors renamed to names that sort the other way
/// (`X0003`, `X0002`, …) and its actors and stances listed in reverse, with
/// the renaming (old, new) for reading results back.
pub(super) fn reversed(base: &Scenario) -> (Scenario, Vec<(String, String)>) {
    let n = base.actors.len();
    let names: Vec<(String, String)> = base
        .actors
        .iter()
        .enumerate()
        .map(|(k, a)| (a.id.clone(), format!("X{:04}", n - 1 - k)))
        .collect();
    let mut renamed = relabelled(base, |id| {
        names
            .iter()
            .find(|(old, _)| old == id)
            .map_or_else(|| id.to_owned(), |(_, new)| new.clone())
    });
    renamed.actors.reverse();
    renamed.stances.reverse();
    (renamed, names)
}

/// The scenario on its mirrored scale: every position x at 100 − x, and
/// each issue's ends swapped.
pub fn mirrored(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    for stance in &mut s.stances {
        stance.position = scale::mirror(stance.position);
    }
    for issue in &mut s.issues {
        std::mem::swap(&mut issue.low, &mut issue.high);
        // What the high end means moves to the other end with it.
        issue.high_means = issue.high_means.map(|h| {
            [
                Family::Sanctions,
                Family::Ceasefire,
                Family::Strikes,
                Family::Linkage,
            ]
            .into_iter()
            .map(Family::polarities)
            .find_map(|(a, b)| {
                if h == a {
                    Some(b)
                } else if h == b {
                    Some(a)
                } else {
                    None
                }
            })
            .unwrap_or(h)
        });
    }
    for entry in &mut s.timeline {
        mirror_effects(&mut entry.effects);
    }
    for threat in &mut s.threats {
        mirror_condition(&mut threat.condition);
        if let Some(r) = &mut threat.resolve {
            (r.at_least, r.at_most) = (r.at_most.map(scale::mirror), r.at_least.map(scale::mirror));
        }
        mirror_effects(&mut threat.effects);
    }
    for r in s.bodies.iter_mut().flat_map(|b| &mut b.resolutions) {
        r.toward = match r.toward {
            crate::scenario::Toward::High => crate::scenario::Toward::Low,
            crate::scenario::Toward::Low => crate::scenario::Toward::High,
        };
        mirror_effects(&mut r.effects);
    }
    s
}

/// A threat's condition on the mirrored scale: at least x becomes at most
/// 100 − x, in every part.
fn mirror_condition(c: &mut crate::scenario::Condition) {
    (c.at_least, c.at_most) = (c.at_most.map(scale::mirror), c.at_least.map(scale::mirror));
    for part in c.all_of.iter_mut().chain(c.any_of.iter_mut()) {
        mirror_condition(part);
    }
}

/// A threat's condition with its actors renamed, in its positions and in
/// the outcomes it names.
fn rename_condition(c: &mut crate::scenario::Condition, rename: &dyn Fn(&str) -> String) {
    c.actor = c.actor.as_deref().map(rename);
    if let Some(key) = &c.outcome {
        use crate::outcome::Outcome;
        let renamed = match Outcome::parse(key) {
            Some(Outcome::PackageAccepted { offerer, receiver }) => {
                Some(Outcome::PackageAccepted {
                    offerer: rename(&offerer),
                    receiver: rename(&receiver),
                })
            }
            Some(Outcome::GroupPackageAccepted { parties }) => {
                Some(Outcome::GroupPackageAccepted {
                    parties: parties.iter().map(|p| rename(p)).collect(),
                })
            }
            _ => None,
        };
        if let Some(o) = renamed {
            c.outcome = Some(o.key());
        }
    }
    for part in c.all_of.iter_mut().chain(c.any_of.iter_mut()) {
        rename_condition(part, rename);
    }
}

/// The scenario with every actor renamed by `rename`, wherever it is named.
pub fn relabelled(scenario: &Scenario, rename: impl Fn(&str) -> String) -> Scenario {
    let mut s = scenario.clone();
    let all = |ids: &mut Vec<String>| {
        for id in ids.iter_mut() {
            *id = rename(id);
        }
    };
    for actor in &mut s.actors {
        actor.id = rename(&actor.id);
        all(&mut actor.speaks_for);
    }
    for issue in &mut s.issues {
        all(&mut issue.principals);
    }
    for stance in &mut s.stances {
        stance.actor = rename(&stance.actor);
    }
    for entry in &mut s.timeline {
        entry.actor = rename(&entry.actor);
        entry.target = entry.target.as_deref().map(&rename);
    }
    for strike in &mut s.strikes {
        strike.actor = rename(&strike.actor);
    }
    for ceasefire in &mut s.ceasefires {
        all(&mut ceasefire.parties);
    }
    for regime in &mut s.sanctions {
        if !regime.imposer.is_empty() {
            regime.imposer = rename(&regime.imposer);
        }
        all(&mut regime.imposers);
        regime.target = rename(&regime.target);
    }
    for pair in s.linkage.iter_mut().flat_map(|l| &mut l.pairs) {
        pair.offerer = rename(&pair.offerer);
        pair.receiver = rename(&pair.receiver);
    }
    for group in s.linkage.iter_mut().flat_map(|l| &mut l.groups) {
        all(&mut group.parties);
    }
    for issue in &mut s.issues {
        all(&mut issue.brokers);
        all(&mut issue.must_act);
    }
    for entry in &mut s.timeline {
        all(&mut entry.actors);
        rename_effects(&mut entry.effects, &rename);
    }
    for strike in &mut s.strikes {
        strike.hits = strike.hits.as_deref().map(&rename);
    }
    for ceasefire in &mut s.ceasefires {
        all(&mut ceasefire.brokers);
        all(&mut ceasefire.exempt);
        if let Some(m) = &mut ceasefire.monitoring {
            all(&mut m.by);
        }
        ceasefire.hazards = std::mem::take(&mut ceasefire.hazards)
            .into_iter()
            .map(|(k, v)| (rename(&k), v))
            .collect();
    }
    for p in &mut s.patrons {
        p.patron = rename(&p.patron);
        p.client = rename(&p.client);
    }
    for t in &mut s.threats {
        t.actor = rename(&t.actor);
        t.target = rename(&t.target);
        rename_condition(&mut t.condition, &rename);
        rename_effects(&mut t.effects, &rename);
    }
    for body in &mut s.bodies {
        all(&mut body.members);
        all(&mut body.veto);
        for r in &mut body.resolutions {
            all(&mut r.sponsors);
            rename_effects(&mut r.effects, &rename);
        }
    }
    for pair in &mut s.trust.pairs {
        pair.a = rename(&pair.a);
        pair.b = rename(&pair.b);
    }
    for side in s.fronts.iter_mut().flat_map(|f| &mut f.sides) {
        side.actor = rename(&side.actor);
        side.support = std::mem::take(&mut side.support)
            .into_iter()
            .map(|(k, v)| (rename(&k), v))
            .collect();
    }
    s
}

/// Declared effects with their actors renamed.
fn rename_effects(effects: &mut [Effect], rename: &dyn Fn(&str) -> String) {
    for effect in effects {
        match effect {
            Effect::Salience { actor, .. }
            | Effect::Position { actor, .. }
            | Effect::Capability { actor, .. } => *actor = rename(actor),
            Effect::Trust { a, b, .. } => {
                *a = rename(a);
                *b = rename(b);
            }
        }
    }
}

/// Declared effects on the mirrored scale: a position's move reversed.
fn mirror_effects(effects: &mut [Effect]) {
    for effect in effects {
        if let Effect::Position { by, .. } = effect {
            *by = -*by;
        }
    }
}

fn show(x: Option<f64>) -> String {
    x.map_or_else(|| "nothing".to_owned(), |x| x.to_string())
}

fn show_round(round: Option<u32>) -> String {
    round.map_or_else(|| "none".to_owned(), |r| r.to_string())
}
