//! How an event changes the state: [`State::apply`], the only mutator.

use super::{Agreement, CeasefireStatus, Refs, Stage, State, ThreatStatus};
use crate::event::{Event, SanctionsDecision};

impl State {
    /// Applies one event. The only mutator; it cannot fail.
    pub fn apply(&mut self, event: &Event) {
        self.apply_with(event, self.refs(event));
    }

    /// [`State::apply`], with the event's ids looked up already
    /// ([`State::refs`], as settling or checking it returned them).
    pub(crate) fn apply_with(&mut self, event: &Event, refs: Refs) {
        self.applied += 1;
        // Trust's rule (`nudges`) reads the state before the event.
        let nudges = self.nudges(event);
        self.watch(event);
        match event {
            // An act moves nothing but trust.
            Event::Scripted(_) => {}
            Event::RiskUpdated(r) => {
                if let Some(i) = self.issue(&r.issue) {
                    for (id, &exp) in &r.exponents {
                        if let Some(a) = self.actor(id) {
                            let k = self.cell(i, a);
                            self.risk[k] = exp;
                        }
                    }
                }
            }
            Event::PositionChanged(p) => {
                if let Refs::Stance { actor, issue } = refs {
                    self.forecasts.forget(issue);
                    let k = self.cell(issue, actor);
                    if let Some(held) = &mut self.stances[k] {
                        let moved = p.to - held.position;
                        held.position = p.to;
                        if p.cause.is_the_wars() {
                            self.history.carry(k, moved);
                        }
                    }
                }
                self.reopen_if_outside(&p.cause);
            }
            Event::Strike(s) => {
                if let Refs::Strike { actor, theatre } = refs {
                    let k = self.strike_cell_of(actor, theatre);
                    self.strikes_this_round[k] = self.strikes_this_round[k].saturating_add(1);
                    self.strike_counts[k][s.target.index()] += 1;
                }
                if s.target != crate::event::StrikeTarget::DesignatedTerrorists
                    && let Some(hit) = &s.hits
                {
                    self.count_front_hit(&s.theatre, hit);
                }
            }
            Event::CeasefireAgreed(_)
            | Event::CeasefireViolated(_)
            | Event::CeasefireCollapsed(_) => self.apply_ceasefire(event),
            Event::SanctionsRenewed(d)
            | Event::SanctionsEased(d)
            | Event::SanctionsLifted(d)
            | Event::SanctionsImposed(d) => self.apply_decision(event, d),
            Event::ResolutionAdopted(v)
            | Event::ResolutionVetoed(v)
            | Event::ResolutionFailed(v) => {
                self.apply_vote(event, v);
            }
            Event::PackageOffered(t) => {
                if let (Some(o), Some(r)) = (self.actor(&t.offerer), self.actor(&t.receiver)) {
                    let round = self.round();
                    self.last_offer.insert((o, r), round);
                }
            }
            Event::GroupPackageOffered(t) => {
                let parties: Vec<usize> = t.parties.iter().filter_map(|p| self.actor(p)).collect();
                if let [first, second, ..] = parties[..] {
                    let round = self.round();
                    self.last_offer.insert((first, second), round);
                }
            }
            // Answers to packages move nothing but trust.
            Event::PackageAccepted(_)
            | Event::PackageRefused(_)
            | Event::GroupPackageAccepted(_)
            | Event::GroupPackageRefused(_) => {}
            Event::AgreementSigned(_)
            | Event::AgreementStep(_)
            | Event::AgreementImplemented(_)
            | Event::AgreementStalled(_)
            | Event::AgreementReopened(_) => self.apply_agreement(event),
            // What a model reports of a round changes nothing it holds.
            Event::StateAssessed(_) | Event::ExchangeRound(_) => {}
            Event::BargainingConverged(_) | Event::BargainingCycled(_) => {
                self.end_bargaining(event);
            }
            Event::SalienceChanged(_) | Event::CapabilityChanged(_) | Event::TrustChanged(_) => {
                self.apply_shift(event, refs);
            }
            Event::ThreatMade(t)
            | Event::ThreatExtended(t)
            | Event::ThreatCarriedOut(t)
            | Event::ThreatWithdrawn(t)
            | Event::ThreatLapsed(t)
            | Event::ThreatEnded(t) => self.apply_threat(event, t),
            Event::ControlChanged(c) => self.apply_control(c),
            Event::ThreatAnswered(a) => {
                if let Some(k) = self.threat(&a.threat) {
                    self.threats[k].answer = Some(a.answer);
                }
            }
            Event::RoundClosed(rc) => {
                self.recover_trust();
                if rc.round == 0 {
                    self.opening_range = (0..self.issues().len()).map(|i| self.range(i)).collect();
                }
                self.closed = Some(rc.round);
                self.strikes_this_round.fill(0);
                self.front_hits.fill([0, 0]);
                for cf in &mut self.ceasefires {
                    if let Some(h) = cf.hazard {
                        // The window holds this round and the closed rounds
                        // before it: window − 1 of them.
                        let this_round = u32::try_from(cf.violators.len()).unwrap_or(u32::MAX);
                        cf.recent.push(this_round);
                        let keep = h.window.saturating_sub(1) as usize;
                        let drop = cf.recent.len().saturating_sub(keep);
                        cf.recent.drain(..drop);
                    }
                    cf.violators.clear();
                }
                self.remember_close(rc.round);
            }
        }
        let goldstein = event.goldstein();
        for (a, b) in nudges {
            self.nudge_trust(a, b, goldstein);
        }
    }

    /// Applies a ceasefire coming into force, violated or collapsing.
    fn apply_ceasefire(&mut self, event: &Event) {
        match event {
            Event::CeasefireAgreed(c) => {
                let round = self.round();
                if let Some(k) = self.ceasefire_index(&c.theatre) {
                    let spoilers = c.spoilers.iter().filter_map(|id| self.actor(id)).collect();
                    let cf = &mut self.ceasefires[k];
                    cf.status = CeasefireStatus::InForce;
                    cf.violations = 0;
                    cf.recent.clear();
                    cf.agreed_round = Some(round);
                    cf.spoilers = spoilers;
                }
            }
            Event::CeasefireViolated(v) => {
                if let Some(k) = self.ceasefire_index(&v.theatre) {
                    self.ceasefires[k].violations = v.violations;
                    if let Some(by) = self.actor(&v.by) {
                        self.ceasefires[k].violators.push(by);
                    }
                }
            }
            Event::CeasefireCollapsed(c) => {
                if let Some(k) = self.ceasefire_index(&c.theatre) {
                    let cf = &mut self.ceasefires[k];
                    cf.status = CeasefireStatus::Collapsed;
                    cf.collapses = cf.collapses.saturating_add(1);
                }
            }
            _ => {}
        }
    }

    /// Applies a decision on a regime: its level.
    fn apply_decision(&mut self, event: &Event, d: &SanctionsDecision) {
        if let Some(k) = self.regime_index(&d.regime) {
            let r = &mut self.regimes[k];
            r.level = if matches!(event, Event::SanctionsLifted(_)) {
                0.0
            } else {
                d.level
            };
            r.decisions += 1;
        }
    }

    /// Applies an agreement signed, or a step in carrying it out.
    fn apply_agreement(&mut self, event: &Event) {
        match event {
            Event::AgreementSigned(a) => {
                let round = self.round();
                if let Some(i) = self.issue(&a.issue) {
                    self.agreements[i] = Some(Agreement {
                        round,
                        position: a.position,
                        stage: Stage::Signed,
                        steps: 0,
                        lapses: 0,
                    });
                    self.agreement_spoilers[i] =
                        a.spoilers.iter().filter_map(|id| self.actor(id)).collect();
                }
            }
            Event::AgreementStep(p)
            | Event::AgreementImplemented(p)
            | Event::AgreementStalled(p)
            | Event::AgreementReopened(p) => {
                if let Some(i) = self.issue(&p.issue)
                    && let Some(a) = &mut self.agreements[i]
                {
                    a.steps = p.steps;
                    a.lapses = if p.noncompliant.is_empty() && p.refused.is_empty() {
                        0
                    } else {
                        a.lapses.saturating_add(1)
                    };
                    a.stage = match event {
                        Event::AgreementImplemented(_) => Stage::Implemented,
                        Event::AgreementStalled(_) => Stage::Stalled,
                        Event::AgreementReopened(_) => Stage::Signed,
                        _ => a.stage,
                    };
                }
            }
            _ => {}
        }
    }

    /// Applies a change of salience, capability or trust.
    fn apply_shift(&mut self, event: &Event, refs: Refs) {
        match event {
            Event::SalienceChanged(c) => {
                if let Refs::Stance { actor, issue } = refs {
                    self.forecasts.forget(issue);
                    let k = self.cell(issue, actor);
                    if let Some(held) = &mut self.stances[k] {
                        held.salience = c.to;
                    }
                }
            }
            Event::CapabilityChanged(c) => {
                if let Some(a) = self.actor(&c.actor) {
                    self.forecasts.forget_all();
                    self.capability[a] = c.to;
                }
            }
            Event::TrustChanged(t) => {
                if let Refs::Pair { a, b } = refs {
                    self.set_trust(a, b, t.to);
                }
            }
            _ => {}
        }
    }

    fn apply_threat(&mut self, event: &Event, t: &crate::event::ThreatRecord) {
        let Some(k) = self.threat(&t.threat) else {
            return;
        };
        let round = self.round();
        let th = &mut self.threats[k];
        // Only its making and an extension set a deadline; every other
        // stage states the one standing (`State::settle`).
        if let Event::ThreatMade(_) | Event::ThreatExtended(_) = event {
            th.deadline = t.deadline;
        }
        // The strikes a threat carried out adds to its author's capacity
        // while its punishment runs.
        let strikes = |state: &State| {
            state.threat_strikes[k]
                .as_ref()
                .and_then(|(a, theatre, n)| state.theatre(theatre).map(|t| (*a, t, *n)))
                .map(|(a, t, n)| (state.strike_cell_of(a, t), n))
        };
        match event {
            Event::ThreatMade(_) => {
                th.status = ThreatStatus::Standing;
                th.made_at = t.position;
            }
            Event::ThreatExtended(_) => th.extended = true,
            Event::ThreatWithdrawn(_) => th.status = ThreatStatus::Withdrawn,
            Event::ThreatLapsed(_) => th.status = ThreatStatus::Lapsed,
            Event::ThreatEnded(_) => {
                th.status = ThreatStatus::Ended;
                if let Some((cell, n)) = strikes(self) {
                    self.strike_capacity[cell] = self.strike_capacity[cell].saturating_sub(n);
                }
            }
            _ => {
                th.status = ThreatStatus::CarriedOut;
                th.since = round;
                if let Some((cell, n)) = strikes(self) {
                    self.strike_capacity[cell] = self.strike_capacity[cell].saturating_add(n);
                }
            }
        }
    }

    /// Trust among each ceasefire's parties recovers toward its opening
    /// value by the ceasefire's recovery a round (format 2; 0 in format 1).
    fn recover_trust(&mut self) {
        for k in 0..self.ceasefires.len() {
            let rate = self.trust_recovery[k];
            if rate <= 0.0 {
                continue;
            }
            let parties = self.ceasefires[k].parties.clone();
            for (x, &a) in parties.iter().enumerate() {
                for &b in &parties[x + 1..] {
                    let n = self.actors().len();
                    let (now, opening) = (self.trust[a * n + b], self.trust0[a * n + b]);
                    if now < opening {
                        self.set_trust(a, b, (now + rate).min(opening));
                    }
                }
            }
        }
    }

    fn set_trust(&mut self, a: usize, b: usize, value: f64) {
        if a == b {
            return;
        }
        let n = self.actors().len();
        self.trust[a * n + b] = value;
        self.trust[b * n + a] = value;
    }

    fn nudge_trust(&mut self, a: usize, b: usize, goldstein: f64) {
        let t = self.nudged(self.trust(a, b), goldstein);
        self.set_trust(a, b, t);
    }
}
