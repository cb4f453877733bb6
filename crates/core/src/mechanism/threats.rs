//! Coercion: threats that both sides decide (Schelling's compellence,
//! George's coercive diplomacy; docs/models.md, "Threats").
//!
//! A threat is made in the round its `made` date falls in. The one date
//! rule: a threat made before the run starts is made in round 1 ([`made_now`]).
//! If its condition holds already, it is withdrawn instead, never made, and
//! changes nothing else. Each round after, in this order:
//!
//! - its condition is met (a position, an outcome that has happened, all of
//!   or any of such): it is withdrawn (`threat_withdrawn`), whatever the
//!   deadline;
//! - the target answers (`threat_answered`): it complies when the expected
//!   cost of defying, severity × credibility, plus its patrons' pressure,
//!   exceeds the cost of conceding (the numbers are the state's,
//!   `State::threat_terms`), and then moves to what the condition asks (on
//!   each issue, `position_changed` with cause `threat`); it holds
//!   otherwise. A held answer is logged when it changes (the first, and
//!   after a compliance); a compliance whenever the target moves. If
//!   complying meets the condition, the threat is withdrawn at once;
//! - in the round its deadline falls in: if the target has moved at least
//!   half way toward a position condition since the threat was made, and
//!   the threat may be extended and was not, its deadline is put back by
//!   `extend_days` (`threat_extended`); else, if the author's resolve
//!   holds, it is carried out (`threat_carried_out`: its effects applied
//!   once, a threatened regime imposed again at full level, threatened
//!   strikes flying every round while the punishment runs); else it lapses
//!   (`threat_lapsed`).
//!
//! A carried-out threat's punishment is an episode: the target goes on
//! answering it, and it ends (`threat_ended`) when its condition is met or
//! its `duration` (rounds) has run. Nothing raises the target's salience:
//! the old `stakes` are read as the severity when none is declared.

use super::{Context, Local, Mechanism};
use crate::event::{
    Answer, Cause, Event, Id, PositionChanged, SanctionsDecision, ThreatAnswered, ThreatRecord,
};
use crate::scenario::{ConditionForm, Threat, ThreatAction};
use crate::state::{Batch, State, ThreatStatus};

/// The threats mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Threats;

impl Mechanism for Threats {
    fn decider(&self) -> &str {
        "threats"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let mut local = Local::new(ctx.state());
        for (k, threat) in ctx.scenario().threats.iter().enumerate() {
            decide_one(ctx, &mut local, k, threat);
        }
        local.events
    }
}

/// Whether `threat` is made in the round `ctx` plays: the round its `made`
/// date falls in, or round 1 for a date before the run starts.
fn made_now(threat: &Threat, ctx: &Context<'_>) -> bool {
    threat.made <= ctx.last_day() && (threat.made >= ctx.first_day() || ctx.round() == 1)
}

fn decide_one(ctx: &Context<'_>, local: &mut Local<'_>, k: usize, threat: &Threat) {
    let Some(ts) = local.state().threats().get(k).copied() else {
        return;
    };
    let record = |state: &State, deadline| ThreatRecord {
        threat: Id::from(threat.id.as_str()),
        actor: Id::default(),
        target: Id::default(),
        deadline,
        position: state.threat_position(k),
    };
    match ts.status {
        ThreatStatus::Pending if made_now(threat, ctx) => {
            let r = record(local.state(), threat.deadline);
            if local.state().threat_condition_met(k) {
                local.push(Event::ThreatWithdrawn(r));
                return;
            }
            local.push(Event::ThreatMade(r));
            if answer(ctx, local, k, threat) {
                return;
            }
            due(ctx, local, k, threat);
        }
        ThreatStatus::Standing => {
            if local.state().threat_condition_met(k) {
                let r = record(local.state(), ts.deadline);
                local.push(Event::ThreatWithdrawn(r));
                return;
            }
            if answer(ctx, local, k, threat) {
                return;
            }
            due(ctx, local, k, threat);
        }
        ThreatStatus::CarriedOut => {
            let over = threat
                .duration
                .is_some_and(|d| ctx.round() >= ts.since.saturating_add(d));
            if !local.state().threat_condition_met(k) && !over && !answer(ctx, local, k, threat) {
                return;
            }
            let r = record(local.state(), ts.deadline);
            local.push(Event::ThreatEnded(r));
        }
        _ => {}
    }
}

/// The target's answer this round; whether it met the condition.
fn answer(ctx: &Context<'_>, local: &mut Local<'_>, k: usize, threat: &Threat) -> bool {
    let state = local.state();
    let Some(terms) = state.threat_terms(k) else {
        return false;
    };
    if terms.moves.is_empty() {
        return false;
    }
    let (lo, hi) = terms.severity;
    let severity = if hi > lo {
        terms.severity_at(ctx.stream(&threat.id).uniform())
    } else {
        lo
    };
    let complied = terms.complies(severity);
    let last = state.threats()[k].answer;
    if !complied && last == Some(Answer::Held) {
        return false;
    }
    let answered = ThreatAnswered {
        threat: Id::from(threat.id.as_str()),
        actor: Id::default(),
        target: Id::default(),
        answer: if complied {
            Answer::Complied
        } else {
            Answer::Held
        },
        severity,
        credibility: terms.credibility,
        cost_defy: severity * terms.credibility,
        cost_concede: terms.cost_concede,
        leverage: terms.leverage,
    };
    local.push(Event::ThreatAnswered(answered));
    if !complied {
        return false;
    }
    let target = Id::from(threat.target.as_str());
    for &(i, to) in &terms.moves {
        let state = local.state();
        let Some(a) = state.actor(&threat.target) else {
            continue;
        };
        let Some(from) = state.held(i, a).map(|h| h.position) else {
            continue;
        };
        if from != to && !state.settled(i) {
            let issue = state.issues()[i].clone();
            local.push(Event::PositionChanged(PositionChanged {
                actor: target.clone(),
                issue,
                from,
                to,
                cause: Cause::Threat {
                    threat: Id::from(threat.id.as_str()),
                },
            }));
        }
    }
    let met = local.state().threat_condition_met(k);
    if met && local.state().threats()[k].status == ThreatStatus::Standing {
        let deadline = local.state().threats()[k].deadline;
        let position = local.state().threat_position(k);
        local.push(Event::ThreatWithdrawn(ThreatRecord {
            threat: Id::from(threat.id.as_str()),
            actor: Id::default(),
            target: Id::default(),
            deadline,
            position,
        }));
    }
    met
}

/// In the round the deadline falls in: extended, carried out or lapsed.
fn due(ctx: &Context<'_>, local: &mut Local<'_>, k: usize, threat: &Threat) {
    let ts = local.state().threats()[k];
    if ts.status != ThreatStatus::Standing || ts.deadline > ctx.last_day() {
        return;
    }
    let position = local.state().threat_position(k);
    let record = |deadline| ThreatRecord {
        threat: Id::from(threat.id.as_str()),
        actor: Id::default(),
        target: Id::default(),
        deadline,
        position,
    };
    if !ts.extended && threat.extend_days > 0 && moving(threat, ts.made_at, position) {
        let later = threat.extended_from(ts.deadline);
        local.push(Event::ThreatExtended(record(later)));
        return;
    }
    if !local.state().threat_resolve_holds(k) {
        local.push(Event::ThreatLapsed(record(ts.deadline)));
        return;
    }
    local.push(Event::ThreatCarriedOut(record(ts.deadline)));
    let mut batch = Batch::new(local.state());
    crate::effects::threat_effects(&mut batch, &threat.effects, &threat.id);
    let effects = batch.into_events();
    for e in effects {
        local.push(e);
    }
    let state = local.state();
    if let ThreatAction::Sanctions { regime } = &threat.action
        && let Some(r) = state.regime_index(regime)
        && state.regimes()[r].level < 1.0
    {
        let rule = &ctx.scenario().sanctions[r];
        let imposed = Event::SanctionsImposed(SanctionsDecision {
            regime: Id::from(regime.as_str()),
            imposer: Id::from(threat.actor.as_str()),
            target: Id::from(rule.target.as_str()),
            due: ts.deadline,
            position,
            level: 1.0,
            votes: Default::default(),
        });
        local.push(imposed);
    }
}

/// Whether the target has come at least half way toward a position
/// condition since the threat was made.
fn moving(threat: &Threat, made_at: f64, now: f64) -> bool {
    let ConditionForm::Position { mark, .. } = threat.condition.form() else {
        return false;
    };
    let gap = (mark - made_at).abs();
    gap > 0.0 && (now - made_at) * (mark - made_at).signum() >= gap / 2.0
}
