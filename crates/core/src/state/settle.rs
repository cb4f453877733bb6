//! The fields of an event that the state determines, and whether an event
//! can happen at all.
//!
//! A decider says *what* happens (a move to 60, a violation by Russia); some
//! fields of its event follow from the state it happens in (the position it
//! moves from, the running count of violations, the parties of a ceasefire
//! and their terms, the principals of an agreement, the target of a regime,
//! a round's forecasts). [`determined`]
//! computes them, once. [`State::settle`] writes them into an event (the
//! engine settles every event before it is appended, and a branch settles an
//! injected one); [`State::check`] holds an event to them and then applies
//! the domain rules, so a log read back must say what the state says.

use super::{CeasefireStatus, CeasefireTerms, Refusal, Stage, State, ThreatStatus, Verdict};
use crate::event::{
    AgreementProgress, CeasefireViolated, Event, IssueForecast, PackageTerms, SanctionsDecision,
    Strike, ViolationCause, Vote,
};
use crate::scenario::DecisionRule;

/// Derived numbers written by an older engine may differ in their last bits
/// (it may have summed in another order); they must agree to this.
const DERIVED_TOLERANCE: f64 = 1e-9;

/// What the state determines of one event.
enum Determined<'s> {
    Nothing,
    /// A move's `from`: where the actor stands.
    From(f64),
    /// A salience's, capability's or trust's value before a change.
    Before(f64),
    /// A threat's actor and target.
    Threat(usize, usize),
    /// A violation's running count, or a collapse's count so far.
    Violations(u32),
    /// A ceasefire's parties and their terms.
    Ceasefire {
        parties: &'s [usize],
        brokers: &'s [usize],
        terms: Option<CeasefireTerms>,
    },
    /// A regime's target.
    Target(usize),
    /// An agreement's principals.
    Principals(&'s [usize]),
    /// A round's forecasts, issue by issue.
    Close(Vec<IssueForecast>),
    /// What the positions say of bargaining, and the stop rule's tolerance.
    Verdict(Option<Verdict>, f64),
}

impl State {
    /// Fills in the fields of `event` that the state determines rather than
    /// the decider. An event that names something the state does not have is
    /// left as it is, for [`State::check`] to refuse.
    pub fn settle(&self, event: &mut Event) {
        let Ok(d) = self.determined(event) else {
            return;
        };
        let name = |k: &usize| self.actors[*k].clone();
        match (d, event) {
            (Determined::From(x), Event::PositionChanged(p)) => p.from = x,
            (Determined::Violations(n), Event::CeasefireViolated(v)) => v.violations = n,
            (Determined::Violations(n), Event::CeasefireCollapsed(c)) => c.violations = n,
            (Determined::Before(x), Event::SalienceChanged(c)) => c.from = x,
            (Determined::Before(x), Event::CapabilityChanged(c)) => c.from = x,
            (Determined::Before(x), Event::TrustChanged(c)) => c.from = x,
            (
                Determined::Threat(a, t),
                Event::ThreatMade(r)
                | Event::ThreatExtended(r)
                | Event::ThreatCarriedOut(r)
                | Event::ThreatWithdrawn(r),
            ) => (r.actor, r.target) = (name(&a), name(&t)),
            (
                Determined::Ceasefire {
                    parties,
                    brokers,
                    terms,
                },
                Event::CeasefireAgreed(c),
            ) => {
                c.parties = parties.iter().map(name).collect();
                c.brokers = brokers.iter().map(name).collect();
                if let Some(t) = terms {
                    (c.mean, c.spread) = (t.mean, t.spread);
                }
            }
            (
                Determined::Target(t),
                Event::SanctionsRenewed(d)
                | Event::SanctionsEased(d)
                | Event::SanctionsLifted(d)
                | Event::SanctionsImposed(d),
            ) => d.target = name(&t),
            (Determined::Principals(principals), Event::AgreementSigned(a)) => {
                a.principals = principals.iter().map(name).collect();
            }
            (Determined::Close(issues), Event::RoundClosed(rc)) => rc.issues = issues,
            (
                Determined::Verdict(
                    Some(Verdict::Converged {
                        quiet_rounds,
                        relative,
                    }),
                    tolerance,
                ),
                Event::BargainingConverged(c),
            ) => (c.quiet_rounds, c.tolerance, c.relative) = (quiet_rounds, tolerance, relative),
            (
                Determined::Verdict(Some(Verdict::Cycled { period, returns_to }), tolerance),
                Event::BargainingCycled(c),
            ) => (c.period, c.returns_to, c.tolerance) = (period, returns_to, tolerance),
            _ => {}
        }
    }

    /// Whether `event` can happen now: it names only actors, issues,
    /// theatres and regimes that exist, says what the state determines,
    /// keeps positions on the scale, and respects the life of ceasefires,
    /// regimes and agreements.
    pub fn check(&self, event: &Event) -> Result<(), Refusal> {
        let determined = self.determined(event)?;
        self.rules(event)?;
        self.agrees(determined, event)
    }

    /// The one computation of what the state determines of `event`.
    fn determined(&self, event: &Event) -> Result<Determined<'_>, Refusal> {
        Ok(match event {
            Event::PositionChanged(p) => {
                let (a, i) = (self.need_actor(&p.actor)?, self.need_issue(&p.issue)?);
                let held = self.need_stance(i, a)?;
                Determined::From(held.position)
            }
            Event::CeasefireViolated(v) => {
                let k = self.need_ceasefire(&v.theatre)?;
                Determined::Violations(self.ceasefires[k].violations.saturating_add(1))
            }
            Event::CeasefireCollapsed(c) => {
                let k = self.need_ceasefire(&c.theatre)?;
                Determined::Violations(self.ceasefires[k].violations)
            }
            Event::CeasefireAgreed(c) => {
                let k = self.need_ceasefire(&c.theatre)?;
                Determined::Ceasefire {
                    parties: &self.ceasefires[k].parties,
                    brokers: &self.ceasefires[k].brokers,
                    terms: self.ceasefire_terms(k),
                }
            }
            Event::SalienceChanged(c) => {
                let (a, i) = (self.need_actor(&c.actor)?, self.need_issue(&c.issue)?);
                Determined::Before(self.need_stance(i, a)?.salience)
            }
            Event::CapabilityChanged(c) => {
                Determined::Before(self.capability[self.need_actor(&c.actor)?])
            }
            Event::TrustChanged(t) => {
                let (a, b) = (self.need_actor(&t.a)?, self.need_actor(&t.b)?);
                Determined::Before(self.trust(a, b))
            }
            Event::ThreatMade(r)
            | Event::ThreatExtended(r)
            | Event::ThreatCarriedOut(r)
            | Event::ThreatWithdrawn(r) => {
                let k = self.need_threat(&r.threat)?;
                let (a, t) = self.threat_parties[k];
                Determined::Threat(a, t)
            }
            Event::SanctionsRenewed(d)
            | Event::SanctionsEased(d)
            | Event::SanctionsLifted(d)
            | Event::SanctionsImposed(d) => {
                let k = self
                    .regime_index(&d.regime)
                    .ok_or_else(|| Refusal::UnknownRegime(d.regime.clone()))?;
                Determined::Target(self.regimes[k].target)
            }
            Event::AgreementSigned(a) => {
                let i = self.need_issue(&a.issue)?;
                Determined::Principals(&self.principals[i])
            }
            Event::RoundClosed(_) => Determined::Close(
                (0..self.issues.len())
                    .map(|i| {
                        let f = self.forecasts(i);
                        IssueForecast {
                            issue: self.issues[i].clone(),
                            mean: f.mean,
                            median: f.median,
                        }
                    })
                    .collect(),
            ),
            Event::BargainingConverged(_) | Event::BargainingCycled(_) => Determined::Verdict(
                self.verdict(),
                self.stop.as_ref().map_or(0.0, |s| s.tolerance),
            ),
            _ => Determined::Nothing,
        })
    }

    /// Whether `event` says what the state determines.
    fn agrees(&self, determined: Determined<'_>, event: &Event) -> Result<(), Refusal> {
        let near = |a: f64, b: f64| (a - b).abs() <= DERIVED_TOLERANCE;
        let unsettled = |what: String, event: String, state: String| {
            Err(Refusal::Unsettled { what, event, state })
        };
        let names =
            |ids: &[usize]| -> Vec<&str> { ids.iter().map(|&k| self.actors[k].as_str()).collect() };
        match (determined, event) {
            (Determined::From(x), Event::PositionChanged(p)) if p.from.to_bits() != x.to_bits() => {
                unsettled(
                    format!("the position {} moves from on {}", p.actor, p.issue),
                    p.from.to_string(),
                    x.to_string(),
                )
            }
            (Determined::Violations(n), Event::CeasefireViolated(v)) if v.violations != n => {
                unsettled(
                    format!("the count of violations of the {} ceasefire", v.theatre),
                    v.violations.to_string(),
                    n.to_string(),
                )
            }
            (Determined::Violations(n), Event::CeasefireCollapsed(c)) if c.violations != n => {
                unsettled(
                    format!("the count of violations of the {} ceasefire", c.theatre),
                    c.violations.to_string(),
                    n.to_string(),
                )
            }
            (Determined::Before(x), event) => {
                let (what, said) = match event {
                    Event::SalienceChanged(c) => {
                        (format!("{}'s salience on {}", c.actor, c.issue), c.from)
                    }
                    Event::CapabilityChanged(c) => (format!("{}'s capability", c.actor), c.from),
                    Event::TrustChanged(t) => (format!("trust between {} and {}", t.a, t.b), t.from),
                    _ => return Ok(()),
                };
                if said.to_bits() == x.to_bits() {
                    Ok(())
                } else {
                    unsettled(what, said.to_string(), x.to_string())
                }
            }
            (
                Determined::Threat(a, t),
                Event::ThreatMade(r)
                | Event::ThreatExtended(r)
                | Event::ThreatCarriedOut(r)
                | Event::ThreatWithdrawn(r),
            ) if r.actor != self.actors[a] || r.target != self.actors[t] => unsettled(
                format!("who threatens whom in {}", r.threat),
                format!("{} → {}", r.actor, r.target),
                format!("{} → {}", self.actors[a], self.actors[t]),
            ),
            (
                Determined::Ceasefire {
                    parties,
                    brokers,
                    terms,
                },
                Event::CeasefireAgreed(c),
            ) => {
                if !c.brokers.iter().map(String::as_str).eq(names(brokers)) {
                    return unsettled(
                        format!("the brokers of the {} ceasefire", c.theatre),
                        c.brokers.join(", "),
                        names(brokers).join(", "),
                    );
                }
                if let Some(s) = c.spoilers.iter().find(|s| !names(parties).contains(&s.as_str())) {
                    return Err(Refusal::NotAParty {
                        actor: s.clone(),
                        theatre: c.theatre.clone(),
                    });
                }
                if !c.parties.iter().map(String::as_str).eq(names(parties)) {
                    return unsettled(
                        format!("the parties of the {} ceasefire", c.theatre),
                        c.parties.join(", "),
                        names(parties).join(", "),
                    );
                }
                match terms {
                    Some(t) if !(near(c.mean, t.mean) && near(c.spread, t.spread)) => unsettled(
                        format!("the terms of the {} ceasefire (mean, spread)", c.theatre),
                        format!("{}, {}", c.mean, c.spread),
                        format!("{}, {}", t.mean, t.spread),
                    ),
                    _ => Ok(()),
                }
            }
            (
                Determined::Target(t),
                Event::SanctionsRenewed(d)
                | Event::SanctionsEased(d)
                | Event::SanctionsLifted(d)
                | Event::SanctionsImposed(d),
            ) if d.target != self.actors[t] => unsettled(
                format!("the target of {}", d.regime),
                d.target.clone(),
                self.actors[t].clone(),
            ),
            (Determined::Principals(principals), Event::AgreementSigned(a))
                if !a
                    .principals
                    .iter()
                    .map(String::as_str)
                    .eq(names(principals)) =>
            {
                unsettled(
                    format!("the principals of {}", a.issue),
                    a.principals.join(", "),
                    names(principals).join(", "),
                )
            }
            (
                Determined::Verdict(verdict, tolerance),
                event @ (Event::BargainingConverged(_) | Event::BargainingCycled(_)),
            ) => self.agrees_with_verdict(verdict, tolerance, event),
            (Determined::Close(issues), Event::RoundClosed(rc)) => {
                if rc.issues.len() != issues.len() {
                    return Err(Refusal::CloseIssues {
                        listed: rc.issues.len(),
                        issues: issues.len(),
                    });
                }
                for (f, s) in rc.issues.iter().zip(&issues) {
                    if f.issue != s.issue || !near(f.mean, s.mean) || !near(f.median, s.median) {
                        return unsettled(
                            format!("the forecasts of {} (mean, median)", f.issue),
                            format!("{}, {}", f.mean, f.median),
                            format!("{}, {} for {}", s.mean, s.median, s.issue),
                        );
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Whether a claim that bargaining is over is what the positions say.
    fn agrees_with_verdict(
        &self,
        verdict: Option<Verdict>,
        tolerance: f64,
        event: &Event,
    ) -> Result<(), Refusal> {
        let near = |a: f64, b: f64| (a - b).abs() <= DERIVED_TOLERANCE;
        let said = match (verdict, event) {
            (
                Some(Verdict::Converged {
                    quiet_rounds,
                    relative,
                }),
                Event::BargainingConverged(c),
            ) if c.quiet_rounds == quiet_rounds
                && c.relative == relative
                && near(c.tolerance, tolerance) =>
            {
                return Ok(());
            }
            (Some(Verdict::Cycled { period, returns_to }), Event::BargainingCycled(c))
                if c.period == period
                    && c.returns_to == returns_to
                    && near(c.tolerance, tolerance) =>
            {
                return Ok(());
            }
            (None, _) if !self.bargaining_goes_on() => "bargaining is over already".to_owned(),
            (None, _) if self.stop.is_none() => "the scenario has no stop rule".to_owned(),
            (None, _) => "the positions still move".to_owned(),
            (Some(Verdict::Converged { quiet_rounds, .. }), _) => {
                format!("the positions stood still for {quiet_rounds} rounds: it converged")
            }
            (Some(Verdict::Cycled { period, returns_to }), _) => format!(
                "the positions came back to those of round {returns_to}: a cycle of period {period}"
            ),
        };
        let claim = match event {
            Event::BargainingCycled(c) => {
                format!(
                    "cycled with period {} back to round {}",
                    c.period, c.returns_to
                )
            }
            _ => "converged".to_owned(),
        };
        Err(Refusal::BargainingNotOver { claim, state: said })
    }

    /// The domain rules: what may happen at all, given the state.
    fn rules(&self, event: &Event) -> Result<(), Refusal> {
        match event {
            Event::Scripted(s) => {
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
            }
            Event::RiskUpdated(r) => {
                let i = self.need_issue(&r.issue)?;
                for (id, &exp) in &r.exponents {
                    let a = self.need_actor(id)?;
                    self.need_stance(i, a)?;
                    if !(exp.is_finite() && exp > 0.0) {
                        return Err(Refusal::BadRisk {
                            actor: id.clone(),
                            value: exp,
                        });
                    }
                }
            }
            Event::StateAssessed(a) => {
                for (id, &p) in &a.win_probabilities {
                    self.need_actor(id)?;
                    Refusal::unless_in(format!("{id}'s win probability"), p, 0.0, 1.0, "[0, 1]")?;
                }
                for (id, &r) in &a.risk {
                    self.need_actor(id)?;
                    Refusal::unless_in(format!("{id}'s risk attitude"), r, -1.0, 1.0, "[−1, 1]")?;
                }
            }
            Event::ExchangeRound(x) => {
                for (id, &o) in &x.outcomes {
                    self.need_issue(id)?;
                    Refusal::unless_on_scale(|| format!("the exchange outcome on {id}"), o)?;
                }
            }
            Event::PositionChanged(p) => {
                let i = self.need_issue(&p.issue)?;
                Refusal::unless_on_scale(
                    || format!("position of {} on {}", p.actor, p.issue),
                    p.to,
                )?;
                if self.settled(i) {
                    return Err(Refusal::IssueSettled(p.issue.clone()));
                }
            }
            Event::SalienceChanged(c) => {
                Refusal::unless_in(
                    format!("{}'s salience on {}", c.actor, c.issue),
                    c.to,
                    0.0,
                    1.0,
                    "[0, 1]",
                )?;
            }
            Event::CapabilityChanged(c) => {
                if !(c.to.is_finite() && c.to > 0.0) {
                    return Err(Refusal::OffRange {
                        what: format!("{}'s capability", c.actor),
                        value: c.to,
                        range: "positive numbers",
                    });
                }
            }
            Event::TrustChanged(t) => {
                if t.a == t.b {
                    return Err(Refusal::SelfTrust(t.a.clone()));
                }
                Refusal::unless_in(
                    format!("trust between {} and {}", t.a, t.b),
                    t.to,
                    0.0,
                    1.0,
                    "[0, 1]",
                )?;
            }
            Event::AgreementStep(p)
            | Event::AgreementImplemented(p)
            | Event::AgreementStalled(p)
            | Event::AgreementReopened(p) => self.check_progress(event, p)?,
            Event::ThreatMade(r)
            | Event::ThreatExtended(r)
            | Event::ThreatCarriedOut(r)
            | Event::ThreatWithdrawn(r) => {
                let k = self.need_threat(&r.threat)?;
                let status = self.threats[k].status;
                let allowed = match event {
                    Event::ThreatMade(_) => status == ThreatStatus::Pending,
                    _ => status == ThreatStatus::Standing,
                };
                if !allowed {
                    return Err(Refusal::ThreatStage {
                        threat: r.threat.clone(),
                        event: event.name(),
                    });
                }
            }
            Event::SanctionsImposed(d) => {
                let k = self
                    .regime_index(&d.regime)
                    .ok_or_else(|| Refusal::UnknownRegime(d.regime.clone()))?;
                if self.regimes[k].level >= 1.0 {
                    return Err(Refusal::RegimeWhole(d.regime.clone()));
                }
            }
            Event::Strike(s) => self.check_strike(s)?,
            Event::CeasefireAgreed(c) => {
                let k = self.need_ceasefire(&c.theatre)?;
                if self.ceasefires[k].status == CeasefireStatus::InForce {
                    return Err(Refusal::CeasefireInForce(c.theatre.clone()));
                }
            }
            Event::CeasefireViolated(v) => self.check_violation(v)?,
            Event::CeasefireCollapsed(c) => {
                self.need_in_force(&c.theatre)?;
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
                        return Err(Refusal::IssueSettled(c.issue.clone()));
                    }
                }
            }
            Event::PackageRefused(r) => self.check_terms(&r.terms)?,
            Event::AgreementSigned(a) => {
                let i = self.need_issue(&a.issue)?;
                if self.agreements[i].is_some() {
                    return Err(Refusal::AlreadyAgreed(a.issue.clone()));
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

    fn check_strike(&self, s: &Strike) -> Result<(), Refusal> {
        self.need_actor(&s.striker)?;
        if !self.theatres.contains(&s.theatre) {
            return Err(Refusal::UnknownTheatre(s.theatre.clone()));
        }
        match self.strikes_left(&s.striker, &s.theatre) {
            None => Err(Refusal::NoStrikeCapacity {
                actor: s.striker.clone(),
                theatre: s.theatre.clone(),
            }),
            Some((0, limit)) => Err(Refusal::TooManyStrikes {
                actor: s.striker.clone(),
                theatre: s.theatre.clone(),
                limit,
            }),
            Some(_) => Ok(()),
        }
    }

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
                actor: v.by.clone(),
                theatre: v.theatre.clone(),
            });
        }
        if let ViolationCause::Hazard { hazard } = v.cause
            && !(hazard.is_finite() && (0.0..=1.0).contains(&hazard))
        {
            return Err(Refusal::HazardOffScale(hazard));
        }
        Ok(())
    }

    fn check_decision(&self, d: &SanctionsDecision, event_kind: Option<Vote>) -> Result<(), Refusal> {
        let r = self
            .regime_index(&d.regime)
            .map(|k| &self.regimes[k])
            .ok_or_else(|| Refusal::UnknownRegime(d.regime.clone()))?;
        let one = || r.imposers.len() <= 1 && r.rule == DecisionRule::One;
        if d.votes.is_empty() && (!one() || self.actors[r.imposer] != d.imposer) {
            return Err(Refusal::NotImposer {
                by: d.imposer.clone(),
                regime: d.regime.clone(),
                imposer: self.actors[r.imposer].clone(),
            });
        }
        if !d.votes.is_empty() {
            let members: Vec<&str> = r.imposers.iter().map(|&k| self.actors[k].as_str()).collect();
            if !d.votes.keys().map(String::as_str).eq(members.iter().copied().collect::<std::collections::BTreeSet<_>>()) {
                return Err(Refusal::Votes {
                    regime: d.regime.clone(),
                    why: format!("the votes must be the members' ({})", members.join(", ")),
                });
            }
            // A change needs the rule's quorum for it.
            let total = d.votes.len();
            let at_least = |v: Vote| d.votes.values().filter(|&&x| x >= v).count();
            let needed = match r.rule {
                DecisionRule::Unanimity => total,
                DecisionRule::Majority => total / 2 + 1,
                DecisionRule::One => 1,
            };
            let short = match event_kind {
                Some(Vote::Lift) => at_least(Vote::Lift) < needed,
                Some(Vote::Ease) => at_least(Vote::Ease) < needed,
                _ => false,
            };
            if short {
                return Err(Refusal::Votes {
                    regime: d.regime.clone(),
                    why: format!("{needed} of {total} members must vote for the change"),
                });
            }
        }
        if !r.active() {
            return Err(Refusal::RegimeLifted(d.regime.clone()));
        }
        if !(d.level.is_finite() && (0.0..=1.0).contains(&d.level)) {
            return Err(Refusal::LevelOffScale(d.level));
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
                || format!("package position of {} on {}", self.actors[who], c.issue),
                c.to,
            )?;
        }
        Ok(())
    }

    fn check_progress(&self, event: &Event, p: &AgreementProgress) -> Result<(), Refusal> {
        let i = self.need_issue(&p.issue)?;
        let Some(a) = self.agreements[i] else {
            return Err(Refusal::NotAgreed(p.issue.clone()));
        };
        let allowed = match event {
            Event::AgreementReopened(_) => a.stage == Stage::Stalled,
            _ => a.stage == Stage::Signed,
        };
        if !allowed {
            return Err(Refusal::AgreementStage {
                issue: p.issue.clone(),
                event: event.name(),
            });
        }
        for id in &p.noncompliant {
            let k = self.need_actor(id)?;
            if !self.principals[i].contains(&k) {
                return Err(Refusal::NotAPrincipal {
                    actor: id.clone(),
                    issue: p.issue.clone(),
                });
            }
        }
        Ok(())
    }

    fn need_threat(&self, id: &str) -> Result<usize, Refusal> {
        self.threat_ids
            .iter()
            .position(|t| t == id)
            .ok_or_else(|| Refusal::UnknownThreat(id.to_owned()))
    }

    fn need_actor(&self, id: &str) -> Result<usize, Refusal> {
        self.actor(id)
            .ok_or_else(|| Refusal::UnknownActor(id.to_owned()))
    }

    fn need_issue(&self, id: &str) -> Result<usize, Refusal> {
        self.issue(id)
            .ok_or_else(|| Refusal::UnknownIssue(id.to_owned()))
    }

    fn need_stance(&self, issue: usize, actor: usize) -> Result<super::Held, Refusal> {
        self.held(issue, actor).ok_or_else(|| Refusal::NoStance {
            actor: self.actors[actor].clone(),
            issue: self.issues[issue].clone(),
        })
    }

    fn need_ceasefire(&self, theatre: &str) -> Result<usize, Refusal> {
        self.ceasefire_index(theatre)
            .ok_or_else(|| Refusal::NoCeasefire(theatre.to_owned()))
    }

    fn need_in_force(&self, theatre: &str) -> Result<usize, Refusal> {
        let k = self.need_ceasefire(theatre)?;
        if self.ceasefires[k].status != CeasefireStatus::InForce {
            return Err(Refusal::CeasefireNotInForce(theatre.to_owned()));
        }
        Ok(k)
    }
}
