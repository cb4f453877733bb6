//! The domain rules: what may happen at all, given the state
//! ([`State::check`] applies them after holding an event to what the state
//! determines).

use super::{CeasefireStatus, Refs, Refusal, Stage, State, ThreatStatus};
use crate::event::Id;
use crate::event::{
    AgreementProgress, CeasefireViolated, Event, PackageTerms, SanctionsDecision, Scripted, Strike,
    ViolationCause, Vote,
};
use crate::scenario::DecisionRule;

impl State {
    /// The domain rules: what may happen at all, given the state.
    pub(super) fn rules(&self, event: &Event, refs: Refs) -> Result<(), Refusal> {
        match event {
            Event::Scripted(s) => self.check_scripted(s)?,
            Event::RiskUpdated(_) | Event::StateAssessed(_) | Event::ExchangeRound(_) => {
                self.check_report(event)?;
            }
            Event::PositionChanged(p) => {
                let i = match refs {
                    Refs::Stance { issue, .. } => issue,
                    _ => self.need_issue(&p.issue)?,
                };
                Refusal::unless_on_scale(
                    || format!("position of {} on {}", p.actor, p.issue),
                    p.to,
                )?;
                if self.settled(i) {
                    return Err(Refusal::IssueSettled(p.issue.to_string()));
                }
            }
            Event::SalienceChanged(_) | Event::CapabilityChanged(_) | Event::TrustChanged(_) => {
                self.check_shift(event)?;
            }
            Event::AgreementStep(p)
            | Event::AgreementImplemented(p)
            | Event::AgreementStalled(p)
            | Event::AgreementReopened(p) => self.check_progress(event, p)?,
            Event::ThreatMade(r)
            | Event::ThreatExtended(r)
            | Event::ThreatCarriedOut(r)
            | Event::ThreatWithdrawn(r)
            | Event::ThreatLapsed(r)
            | Event::ThreatEnded(r) => self.check_threat(event, &r.threat)?,
            Event::ThreatAnswered(x) => self.check_threat(event, &x.threat)?,
            Event::SanctionsImposed(d) => {
                let k = self
                    .regime_index(&d.regime)
                    .ok_or_else(|| Refusal::UnknownRegime(d.regime.to_string()))?;
                if self.regimes[k].level >= 1.0 {
                    return Err(Refusal::RegimeWhole(d.regime.to_string()));
                }
            }
            Event::Strike(s) => self.check_strike(s, refs)?,
            Event::ControlChanged(c) => self.check_control(c)?,
            Event::CeasefireAgreed(c) => {
                let k = self.need_ceasefire(&c.theatre)?;
                if self.ceasefires[k].status == CeasefireStatus::InForce {
                    return Err(Refusal::CeasefireInForce(c.theatre.to_string()));
                }
            }
            Event::CeasefireViolated(v) => self.check_violation(v)?,
            Event::CeasefireCollapsed(c) => {
                self.need_in_force(&c.theatre)?;
            }
            Event::ResolutionAdopted(v)
            | Event::ResolutionVetoed(v)
            | Event::ResolutionFailed(v) => {
                self.check_vote(event, v)?;
            }
            Event::SanctionsRenewed(d) => self.check_decision(d, Some(Vote::Renew))?,
            Event::SanctionsEased(d) => self.check_decision(d, Some(Vote::Ease))?,
            Event::SanctionsLifted(d) => self.check_decision(d, Some(Vote::Lift))?,
            Event::PackageOffered(t) => self.check_terms(t)?,
            Event::PackageAccepted(t) => {
                self.check_terms(t)?;
                // An accepted package moves both issues; one settled by an
                // agreement can no longer move, so the package cannot stand.
                for c in [&t.offerer_yields, &t.receiver_yields] {
                    if self.settled(self.need_issue(&c.issue)?) {
                        return Err(Refusal::IssueSettled(c.issue.to_string()));
                    }
                }
            }
            Event::PackageRefused(r) => self.check_terms(&r.terms)?,
            Event::GroupPackageOffered(t) => self.check_group(t)?,
            Event::GroupPackageAccepted(t) => {
                self.check_group(t)?;
                for c in &t.yields {
                    if self.settled(self.need_issue(&c.issue)?) {
                        return Err(Refusal::IssueSettled(c.issue.to_string()));
                    }
                }
            }
            Event::GroupPackageRefused(r) => {
                self.check_group(&r.terms)?;
                for by in &r.by {
                    if !r.terms.parties.contains(by) {
                        return Err(Refusal::Malformed(format!(
                            "{by} refuses a group package it is not party to"
                        )));
                    }
                }
            }
            Event::AgreementSigned(a) => {
                let i = self.need_issue(&a.issue)?;
                if self.agreements[i].is_some() {
                    return Err(Refusal::AlreadyAgreed(a.issue.to_string()));
                }
                Refusal::unless_on_scale(|| format!("agreed position on {}", a.issue), a.position)?;
            }
            // What the positions say is checked against the verdict.
            Event::BargainingConverged(_) | Event::BargainingCycled(_) => {}
            Event::RoundClosed(rc) => {
                if rc.round != self.round() {
                    return Err(Refusal::WrongRound {
                        closes: rc.round,
                        current: self.round(),
                    });
                }
            }
        }
        Ok(())
    }

    /// A scripted act names only actors and issues that exist, and a known
    /// CAMEO code.
    fn check_scripted(&self, s: &Scripted) -> Result<(), Refusal> {
        self.need_actor(&s.actor)?;
        if let Some(t) = &s.target {
            self.need_actor(t)?;
        }
        if let Some(i) = &s.issue {
            self.need_issue(i)?;
        }
        if crate::cameo::lookup(&s.cameo).is_none() {
            return Err(Refusal::UnknownCameo(s.cameo.clone()));
        }
        Ok(())
    }

    /// What a model reports of a round names only actors and issues that
    /// exist, with its numbers in their ranges.
    fn check_report(&self, event: &Event) -> Result<(), Refusal> {
        match event {
            Event::RiskUpdated(r) => {
                let i = self.need_issue(&r.issue)?;
                for (id, &exp) in &r.exponents {
                    let a = self.need_actor(id)?;
                    self.need_stance(i, a)?;
                    if !(exp.is_finite() && exp > 0.0) {
                        return Err(Refusal::BadRisk {
                            actor: id.to_string(),
                            value: exp,
                        });
                    }
                }
            }
            Event::StateAssessed(a) => {
                for (id, &p) in &a.win_probabilities {
                    self.need_actor(id)?;
                    Refusal::unless_in(
                        || format!("{id}'s win probability"),
                        p,
                        0.0,
                        1.0,
                        "[0, 1]",
                    )?;
                }
                for (id, &r) in &a.risk {
                    self.need_actor(id)?;
                    Refusal::unless_in(
                        || format!("{id}'s risk attitude"),
                        r,
                        -1.0,
                        1.0,
                        "[−1, 1]",
                    )?;
                }
            }
            Event::ExchangeRound(x) => {
                for (id, &o) in &x.outcomes {
                    self.need_issue(id)?;
                    Refusal::unless_on_scale(|| format!("the exchange outcome on {id}"), o)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A salience, capability or trust changes to a value in its range.
    fn check_shift(&self, event: &Event) -> Result<(), Refusal> {
        match event {
            Event::SalienceChanged(c) => {
                Refusal::unless_in(
                    || format!("{}'s salience on {}", c.actor, c.issue),
                    c.to,
                    0.0,
                    1.0,
                    "[0, 1]",
                )?;
            }
            Event::CapabilityChanged(c) if !crate::limits::capability_allowed(c.to) => {
                return Err(Refusal::OffRange {
                    what: format!("{}'s capability", c.actor),
                    value: c.to,
                    range: crate::limits::CAPABILITY_RANGE,
                });
            }
            Event::TrustChanged(t) => {
                if t.a == t.b {
                    return Err(Refusal::SelfTrust(t.a.to_string()));
                }
                Refusal::unless_in(
                    || format!("trust between {} and {}", t.a, t.b),
                    t.to,
                    0.0,
                    1.0,
                    "[0, 1]",
                )?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A threat is made once (or withdrawn before it is made, its condition
    /// met already); extended (to a later deadline), withdrawn, carried out
    /// or lapsed only while it stands, carried out only while its author's resolve holds and
    /// lapsed only once it does not; answered while it stands or its
    /// punishment runs; ended only while its punishment runs.
    fn check_threat(&self, event: &Event, threat: &Id) -> Result<(), Refusal> {
        let k = self.need_threat(threat)?;
        let status = self.threats[k].status;
        let allowed = match event {
            Event::ThreatMade(_) => status == ThreatStatus::Pending,
            Event::ThreatWithdrawn(_) => {
                matches!(status, ThreatStatus::Pending | ThreatStatus::Standing)
            }
            Event::ThreatAnswered(_) => {
                matches!(status, ThreatStatus::Standing | ThreatStatus::CarriedOut)
            }
            Event::ThreatEnded(_) => status == ThreatStatus::CarriedOut,
            _ => status == ThreatStatus::Standing,
        };
        if !allowed {
            return Err(Refusal::ThreatStage {
                threat: threat.to_string(),
                event: event.name(),
            });
        }
        if let Event::ThreatExtended(r) = event
            && r.deadline <= self.threats[k].deadline
        {
            return Err(Refusal::ThreatNotLater {
                threat: threat.to_string(),
                deadline: r.deadline,
                standing: self.threats[k].deadline,
            });
        }
        let holds = self.threat_resolve_holds(k);
        let against = match event {
            Event::ThreatCarriedOut(_) => !holds,
            Event::ThreatLapsed(_) => holds,
            _ => false,
        };
        if against {
            return Err(Refusal::ThreatResolve {
                threat: threat.to_string(),
                event: event.name(),
                holds: if holds { "holds" } else { "no longer holds" },
            });
        }
        Ok(())
    }

    /// A strike by a known striker in a known theatre, within its capacity
    /// this round.
    fn check_strike(&self, s: &Strike, refs: Refs) -> Result<(), Refusal> {
        let (a, t) = match refs {
            Refs::Strike { actor, theatre } => (actor, theatre),
            _ => (
                self.need_actor(&s.striker)?,
                self.theatre(&s.theatre)
                    .ok_or_else(|| Refusal::UnknownTheatre(s.theatre.to_string()))?,
            ),
        };
        match self.strikes_left_in(self.strike_cell_of(a, t)) {
            None => Err(Refusal::NoStrikeCapacity {
                actor: s.striker.to_string(),
                theatre: s.theatre.to_string(),
            }),
            Some((0, limit)) => Err(Refusal::TooManyStrikes {
                actor: s.striker.to_string(),
                theatre: s.theatre.to_string(),
                limit,
            }),
            Some(_) => Ok(()),
        }
    }

    /// A violation of a ceasefire in force, by a party it binds (or by any
    /// striker, for a strike), at a hazard on the scale.
    fn check_violation(&self, v: &CeasefireViolated) -> Result<(), Refusal> {
        let by = self.need_actor(&v.by)?;
        let k = self.need_in_force(&v.theatre)?;
        // A strike on other opposition violates a ceasefire whoever
        // strikes; any other violation is a party's.
        let allowed = match v.cause {
            ViolationCause::Strike => self.strikes_left(&v.by, &v.theatre).is_some(),
            // A spoiler of a brokered ceasefire is not bound by it.
            _ => self.ceasefires[k].binds(by),
        };
        if !allowed {
            return Err(Refusal::NotAParty {
                actor: v.by.to_string(),
                theatre: v.theatre.to_string(),
            });
        }
        if let ViolationCause::Hazard { hazard } = v.cause
            && !(hazard.is_finite() && (0.0..=1.0).contains(&hazard))
        {
            return Err(Refusal::HazardOffScale(hazard));
        }
        Ok(())
    }

    /// A decision on a regime in force by who decides it (or by its
    /// members' votes, with the rule's quorum for a change), at a level on the
    /// scale.
    fn check_decision(
        &self,
        d: &SanctionsDecision,
        event_kind: Option<Vote>,
    ) -> Result<(), Refusal> {
        let r = self
            .regime_index(&d.regime)
            .map(|k| &self.regimes[k])
            .ok_or_else(|| Refusal::UnknownRegime(d.regime.to_string()))?;
        let one = || r.imposers.len() <= 1 && r.rule == DecisionRule::One;
        let first = r.first().map(|k| self.actors()[k].as_str());
        // A decision is the one imposer's, or its members' votes: never both.
        let forged = !d.votes.is_empty() && !d.imposer.is_empty();
        if forged || (d.votes.is_empty() && (!one() || first != Some(d.imposer.as_str()))) {
            let members: Vec<&str> = r
                .imposers
                .iter()
                .map(|&k| self.actors()[k].as_str())
                .collect();
            return Err(Refusal::NotImposer {
                by: if d.imposer.is_empty() {
                    "nobody".to_owned()
                } else {
                    d.imposer.to_string()
                },
                regime: d.regime.to_string(),
                imposer: if one() {
                    first.unwrap_or("nobody").to_owned()
                } else {
                    format!("a vote of {}", members.join(", "))
                },
            });
        }
        if !d.votes.is_empty() {
            let members: Vec<&str> = r
                .imposers
                .iter()
                .map(|&k| self.actors()[k].as_str())
                .collect();
            if !d.votes.keys().map(Id::as_str).eq(members
                .iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>())
            {
                return Err(Refusal::Votes {
                    regime: d.regime.to_string(),
                    why: format!("the votes must be the members' ({})", members.join(", ")),
                });
            }
            // A change needs the rule's quorum for it.
            let total = d.votes.len();
            let at_least = |v: Vote| d.votes.values().filter(|&&x| x >= v).count();
            let needed = r.rule.quorum(total);
            let short = match event_kind {
                Some(Vote::Lift) => at_least(Vote::Lift) < needed,
                Some(Vote::Ease) => at_least(Vote::Ease) < needed,
                _ => false,
            };
            if short {
                return Err(Refusal::Votes {
                    regime: d.regime.to_string(),
                    why: format!("{needed} of {total} members must vote for the change"),
                });
            }
        }
        if !r.active() {
            return Err(Refusal::RegimeLifted(d.regime.to_string()));
        }
        if !(d.level.is_finite() && (0.0..=1.0).contains(&d.level)) {
            return Err(Refusal::LevelOffScale(d.level));
        }
        Ok(())
    }

    /// A package between known actors, each yielding on an issue it holds a
    /// stance on, to a position on the scale.
    fn check_group(&self, t: &crate::event::GroupPackage) -> Result<(), Refusal> {
        if t.parties.len() < 3
            || t.yields.len() != t.parties.len()
            || t.gains.len() != t.parties.len()
        {
            return Err(Refusal::Malformed(format!(
                "a group package needs three or more parties, each with what it yields and its gain; found {} parties, {} yields, {} gains",
                t.parties.len(),
                t.yields.len(),
                t.gains.len()
            )));
        }
        let mut parties = Vec::with_capacity(t.parties.len());
        let mut issues = Vec::with_capacity(t.parties.len());
        for (who, c) in t.parties.iter().zip(&t.yields) {
            let (a, i) = (self.need_actor(who)?, self.need_issue(&c.issue)?);
            self.need_stance(i, a)?;
            Refusal::unless_on_scale(|| format!("package position of {who} on {}", c.issue), c.to)?;
            parties.push(a);
            issues.push(i);
        }
        // Only a group the scenario lists, in its order, binds its parties.
        if !self
            .groups
            .iter()
            .any(|(p, i)| *p == parties && *i == issues)
        {
            return Err(Refusal::Malformed(format!(
                "{} yielding on {} is no group of the scenario's linkage rule",
                t.parties.join(", "),
                t.yields
                    .iter()
                    .map(|c| c.issue.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        // A gain is a salience times a move of a weighted mean, summed over
        // at most MAX_GROUP issues.
        for g in &t.gains {
            Refusal::unless_in(
                || "a group package's gain".to_owned(),
                *g,
                -500.0,
                500.0,
                "[−500, 500]",
            )?;
        }
        Ok(())
    }

    fn check_terms(&self, t: &PackageTerms) -> Result<(), Refusal> {
        let o = self.need_actor(&t.offerer)?;
        let r = self.need_actor(&t.receiver)?;
        for (who, c) in [(o, &t.offerer_yields), (r, &t.receiver_yields)] {
            let i = self.need_issue(&c.issue)?;
            self.need_stance(i, who)?;
            Refusal::unless_on_scale(
                || format!("package position of {} on {}", self.actors()[who], c.issue),
                c.to,
            )?;
        }
        // A gain is a salience times a move of a weighted mean: at most 100
        // points either way.
        Refusal::unless_in(
            || "the package's gain".to_owned(),
            t.gain,
            -100.0,
            100.0,
            "[−100, 100]",
        )?;
        Ok(())
    }

    /// A step in carrying out an agreement signed, at the stage it allows,
    /// naming only principals as noncompliant.
    fn check_progress(&self, event: &Event, p: &AgreementProgress) -> Result<(), Refusal> {
        let i = self.need_issue(&p.issue)?;
        let Some(a) = self.agreements[i] else {
            return Err(Refusal::NotAgreed(p.issue.to_string()));
        };
        let allowed = match event {
            Event::AgreementReopened(_) => a.stage == Stage::Stalled,
            _ => a.stage == Stage::Signed,
        };
        // Only the compliance of all who must act carries an agreement
        // out: one that refused it leaves it unimplementable.
        if matches!(
            event,
            Event::AgreementImplemented(_) | Event::AgreementReopened(_)
        ) && let Some(&who) = self.refusing(i).first()
        {
            return Err(Refusal::NeedsRefuser {
                issue: p.issue.to_string(),
                actor: self.actors()[who].to_string(),
            });
        }
        if !allowed {
            return Err(Refusal::AgreementStage {
                issue: p.issue.to_string(),
                event: event.name(),
            });
        }
        for id in &p.noncompliant {
            let k = self.need_actor(id)?;
            if !self.principals[i].contains(&k) && !self.must_act[i].contains(&k) {
                return Err(Refusal::NotAPrincipal {
                    actor: id.to_string(),
                    issue: p.issue.to_string(),
                });
            }
        }
        Ok(())
    }
}
