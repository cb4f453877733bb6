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

use super::{CeasefireStatus, CeasefireTerms, Refs, Refusal, State, Verdict};
use crate::event::{CeasefireAgreed, Event, Id, IssueForecast, RoundClosed};

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
    /// A threat's actor and target, and the deadline standing for a stage
    /// that does not set one (all but its making and an extension).
    Threat(usize, usize, Option<crate::date::Date>),
    /// A threat's actor and target, and what its target weighs.
    Answer(usize, usize, super::ThreatTerms),
    /// A violation's running count.
    Violations(u32),
    /// A collapse's count of violations so far, and its hazard (for a
    /// ceasefire that collapses by one).
    Collapse(u32, Option<f64>),
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
    /// Who must act on an agreement but refused it.
    Refused(Vec<usize>),
    /// A round's forecasts, issue by issue.
    Close(Vec<IssueForecast>),
    /// What the positions say of bargaining, and the stop rule's tolerance.
    Verdict(Option<Verdict>, f64),
    /// What a round of fighting does to a front.
    Control(Box<crate::event::ControlChanged>),
}

impl State {
    /// Fills in the fields of `event` that the state determines rather than
    /// the decider. An event that names something the state does not have is
    /// left as it is, for [`State::check`] to refuse.
    pub fn settle(&self, event: &mut Event) {
        if let Ok(d) = self.determined(event, self.refs(event)) {
            self.write(&d, event);
        }
    }

    /// [`State::settle`], then [`State::check`], looking the event's ids
    /// up and computing what the state determines once: what the engine
    /// does with every event it appends. The ids, for
    /// [`State::apply_with`].
    pub(crate) fn settle_and_check(&self, event: &mut Event) -> Result<Refs, Refusal> {
        // An event's ids, which alone say what is determined, are not
        // among the fields settling writes.
        let refs = self.refs(event);
        let determined = self.determined(event, refs)?;
        self.write(&determined, event);
        self.rules(event, refs)?;
        self.agrees(determined, event)?;
        Ok(refs)
    }

    /// Writes what the state determines into `event`.
    fn write(&self, d: &Determined<'_>, event: &mut Event) {
        let name = |k: &usize| self.actors()[*k].clone();
        match (d, event) {
            (Determined::From(x), Event::PositionChanged(p)) => p.from = *x,
            (Determined::Violations(n), Event::CeasefireViolated(v)) => v.violations = *n,
            (Determined::Collapse(n, h), Event::CeasefireCollapsed(c)) => {
                (c.violations, c.hazard) = (*n, *h);
            }
            (Determined::Before(x), Event::SalienceChanged(c)) => c.from = *x,
            (Determined::Before(x), Event::CapabilityChanged(c)) => c.from = *x,
            (Determined::Before(x), Event::TrustChanged(c)) => c.from = *x,
            (
                Determined::Threat(a, t, deadline),
                Event::ThreatMade(r)
                | Event::ThreatExtended(r)
                | Event::ThreatCarriedOut(r)
                | Event::ThreatWithdrawn(r)
                | Event::ThreatLapsed(r)
                | Event::ThreatEnded(r),
            ) => {
                (r.actor, r.target) = (name(a), name(t));
                if let Some(d) = deadline {
                    r.deadline = *d;
                }
            }
            (Determined::Answer(a, t, terms), Event::ThreatAnswered(x)) => {
                (x.actor, x.target) = (name(a), name(t));
                x.credibility = terms.credibility;
                x.cost_defy = x.severity * terms.credibility;
                x.cost_concede = terms.cost_concede;
                x.leverage = terms.leverage;
            }
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
            ) => d.target = name(t),
            (Determined::Principals(principals), Event::AgreementSigned(a)) => {
                a.principals = principals.iter().map(name).collect();
            }
            (
                Determined::Refused(refused),
                Event::AgreementStep(p)
                | Event::AgreementImplemented(p)
                | Event::AgreementStalled(p)
                | Event::AgreementReopened(p),
            ) => p.refused = refused.iter().map(name).collect(),
            (Determined::Close(issues), Event::RoundClosed(rc)) => rc.issues.clone_from(issues),
            (Determined::Control(step), Event::ControlChanged(c)) => c.clone_from(step),
            (
                Determined::Verdict(
                    Some(Verdict::Converged {
                        quiet_rounds,
                        relative,
                    }),
                    tolerance,
                ),
                Event::BargainingConverged(c),
            ) => (c.quiet_rounds, c.tolerance, c.relative) = (*quiet_rounds, *tolerance, *relative),
            (
                Determined::Verdict(Some(Verdict::Cycled { period, returns_to }), tolerance),
                Event::BargainingCycled(c),
            ) => (c.period, c.returns_to, c.tolerance) = (*period, *returns_to, *tolerance),
            _ => {}
        }
    }

    /// Whether `event` can happen now: it names only actors, issues,
    /// theatres and regimes that exist, says what the state determines,
    /// keeps positions on the scale, and respects the life of ceasefires,
    /// regimes and agreements.
    pub fn check(&self, event: &Event) -> Result<(), Refusal> {
        self.checked(event).map(drop)
    }

    /// [`State::check`], and the event's ids, for [`State::apply_with`].
    pub(crate) fn checked(&self, event: &Event) -> Result<Refs, Refusal> {
        let refs = self.refs(event);
        let determined = self.determined(event, refs)?;
        self.rules(event, refs)?;
        self.agrees(determined, event)?;
        Ok(refs)
    }

    /// The one computation of what the state determines of `event`.
    fn determined(&self, event: &Event, refs: Refs) -> Result<Determined<'_>, Refusal> {
        Ok(match event {
            Event::PositionChanged(p) => {
                let (a, i) = self.need_stance_refs(refs, &p.actor, &p.issue)?;
                let held = self.need_stance(i, a)?;
                Determined::From(held.position)
            }
            Event::CeasefireViolated(v) => {
                let k = self.need_ceasefire(&v.theatre)?;
                Determined::Violations(self.ceasefires[k].violations.saturating_add(1))
            }
            Event::CeasefireCollapsed(c) => {
                let k = self.need_ceasefire(&c.theatre)?;
                Determined::Collapse(self.ceasefires[k].violations, self.collapse_hazard(k))
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
                let (a, i) = self.need_stance_refs(refs, &c.actor, &c.issue)?;
                Determined::Before(self.need_stance(i, a)?.salience)
            }
            Event::CapabilityChanged(c) => {
                Determined::Before(self.capability[self.need_actor(&c.actor)?])
            }
            Event::TrustChanged(t) => {
                let (a, b) = self.need_pair_refs(refs, &t.a, &t.b)?;
                Determined::Before(self.trust(a, b))
            }
            Event::ThreatMade(r)
            | Event::ThreatExtended(r)
            | Event::ThreatCarriedOut(r)
            | Event::ThreatWithdrawn(r)
            | Event::ThreatLapsed(r)
            | Event::ThreatEnded(r) => {
                let k = self.need_threat(&r.threat)?;
                let (a, t) = self.threat_parties[k];
                // A threat is made with its deadline and an extension
                // gives a later one; every other stage states the one
                // standing.
                let standing = match event {
                    Event::ThreatMade(_) | Event::ThreatExtended(_) => None,
                    _ => Some(self.threats[k].deadline),
                };
                Determined::Threat(a, t, standing)
            }
            Event::ThreatAnswered(x) => {
                let k = self.need_threat(&x.threat)?;
                let (a, t) = self.threat_parties[k];
                let terms = self
                    .threat_terms(k)
                    .ok_or_else(|| Refusal::UnknownThreat(x.threat.to_string()))?;
                Determined::Answer(a, t, terms)
            }
            Event::SanctionsRenewed(d)
            | Event::SanctionsEased(d)
            | Event::SanctionsLifted(d)
            | Event::SanctionsImposed(d) => {
                let k = self
                    .regime_index(&d.regime)
                    .ok_or_else(|| Refusal::UnknownRegime(d.regime.to_string()))?;
                Determined::Target(self.regimes[k].target)
            }
            Event::AgreementSigned(a) => {
                let i = self.need_issue(&a.issue)?;
                Determined::Principals(&self.principals[i])
            }
            Event::AgreementStep(p)
            | Event::AgreementImplemented(p)
            | Event::AgreementStalled(p)
            | Event::AgreementReopened(p) => {
                let i = self.need_issue(&p.issue)?;
                Determined::Refused(self.refusing(i))
            }
            Event::RoundClosed(_) => Determined::Close(
                (0..self.issues().len())
                    .map(|i| {
                        let f = self.forecasts(i);
                        IssueForecast {
                            issue: self.issues()[i].clone(),
                            mean: f.mean,
                            median: f.median,
                        }
                    })
                    .collect(),
            ),
            Event::ControlChanged(c) => self
                .front_index(&c.front)
                .and_then(|k| self.front_step(k))
                .map_or(Determined::Nothing, |step| {
                    Determined::Control(Box::new(step))
                }),
            Event::BargainingConverged(_) | Event::BargainingCycled(_) => Determined::Verdict(
                self.verdict(),
                self.stop.as_ref().map_or(0.0, |s| s.tolerance),
            ),
            _ => Determined::Nothing,
        })
    }

    /// Whether `event` says what the state determines.
    fn agrees(&self, determined: Determined<'_>, event: &Event) -> Result<(), Refusal> {
        let names = |ids: &[usize]| self.names(ids);
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
            (Determined::Collapse(n, _), Event::CeasefireCollapsed(c)) if c.violations != n => {
                unsettled(
                    format!("the count of violations of the {} ceasefire", c.theatre),
                    c.violations.to_string(),
                    n.to_string(),
                )
            }
            (Determined::Collapse(_, h), Event::CeasefireCollapsed(c))
                if c.hazard.map(f64::to_bits) != h.map(f64::to_bits) =>
            {
                let show = |h: Option<f64>| h.map_or_else(|| "none".to_owned(), |h| h.to_string());
                unsettled(
                    format!("the collapse hazard of the {} ceasefire", c.theatre),
                    show(c.hazard),
                    show(h),
                )
            }
            (Determined::Before(x), event) => agrees_before(x, event),
            (
                Determined::Threat(a, t, _),
                Event::ThreatMade(r)
                | Event::ThreatExtended(r)
                | Event::ThreatCarriedOut(r)
                | Event::ThreatWithdrawn(r)
                | Event::ThreatLapsed(r)
                | Event::ThreatEnded(r),
            ) if r.actor != self.actors()[a] || r.target != self.actors()[t] => unsettled(
                format!("who threatens whom in {}", r.threat),
                format!("{} → {}", r.actor, r.target),
                format!("{} → {}", self.actors()[a], self.actors()[t]),
            ),
            (
                Determined::Threat(_, _, Some(standing)),
                Event::ThreatCarriedOut(r)
                | Event::ThreatWithdrawn(r)
                | Event::ThreatLapsed(r)
                | Event::ThreatEnded(r),
            ) if r.deadline != standing => unsettled(
                format!("the deadline of {}", r.threat),
                r.deadline.to_string(),
                standing.to_string(),
            ),
            (Determined::Answer(a, t, terms), Event::ThreatAnswered(x)) => {
                self.agrees_with_answer(a, t, &terms, x)
            }
            (
                Determined::Ceasefire {
                    parties,
                    brokers,
                    terms,
                },
                Event::CeasefireAgreed(c),
            ) => self.agrees_with_ceasefire(parties, brokers, terms, c),
            (
                Determined::Target(t),
                Event::SanctionsRenewed(d)
                | Event::SanctionsEased(d)
                | Event::SanctionsLifted(d)
                | Event::SanctionsImposed(d),
            ) if d.target != self.actors()[t] => unsettled(
                format!("the target of {}", d.regime),
                d.target.to_string(),
                self.actors()[t].to_string(),
            ),
            (Determined::Principals(principals), Event::AgreementSigned(a))
                if !a.principals.iter().map(Id::as_str).eq(names(principals)) =>
            {
                unsettled(
                    format!("the principals of {}", a.issue),
                    a.principals.join(", "),
                    names(principals).join(", "),
                )
            }
            (
                Determined::Refused(refused),
                Event::AgreementStep(p)
                | Event::AgreementImplemented(p)
                | Event::AgreementStalled(p)
                | Event::AgreementReopened(p),
            ) if !p.refused.iter().map(Id::as_str).eq(names(&refused)) => unsettled(
                format!(
                    "who must act on the agreement on {} but refused it",
                    p.issue
                ),
                p.refused.join(", "),
                names(&refused).join(", "),
            ),
            (
                Determined::Verdict(verdict, tolerance),
                event @ (Event::BargainingConverged(_) | Event::BargainingCycled(_)),
            ) => self.agrees_with_verdict(verdict, tolerance, event),
            (Determined::Close(issues), Event::RoundClosed(rc)) => agrees_with_close(&issues, rc),
            _ => Ok(()),
        }
    }

    /// Whether a threat's answer gives the parties and the numbers the
    /// state determines, weighs a severity within the threat's, and answers
    /// as they say.
    fn agrees_with_answer(
        &self,
        a: usize,
        t: usize,
        terms: &super::ThreatTerms,
        x: &crate::event::ThreatAnswered,
    ) -> Result<(), Refusal> {
        let what = |field: &str| format!("the {field} of the answer to {}", x.threat);
        if x.actor != self.actors()[a] || x.target != self.actors()[t] {
            return unsettled(
                format!("who threatens whom in {}", x.threat),
                format!("{} → {}", x.actor, x.target),
                format!("{} → {}", self.actors()[a], self.actors()[t]),
            );
        }
        let numbers = [
            ("credibility", x.credibility, terms.credibility),
            ("cost_defy", x.cost_defy, x.severity * terms.credibility),
            ("cost_concede", x.cost_concede, terms.cost_concede),
            ("leverage", x.leverage, terms.leverage),
        ];
        for (field, logged, state) in numbers {
            // A NaN is no agreement either.
            let agree = (logged - state).abs() <= DERIVED_TOLERANCE;
            if !agree {
                return unsettled(what(field), logged.to_string(), state.to_string());
            }
        }
        let (lo, hi) = terms.severity;
        if !(x.severity >= lo - DERIVED_TOLERANCE && x.severity <= hi + DERIVED_TOLERANCE) {
            return unsettled(
                what("severity"),
                x.severity.to_string(),
                format!("{lo} to {hi}"),
            );
        }
        let complies = terms.complies(x.severity);
        if complies != (x.answer == crate::event::Answer::Complied) {
            return unsettled(
                what("answer"),
                format!("{:?}", x.answer).to_lowercase(),
                if complies { "complied" } else { "held" }.to_owned(),
            );
        }
        Ok(())
    }

    /// The ids of the actors `ids`.
    fn names(&self, ids: &[usize]) -> Vec<&str> {
        ids.iter().map(|&k| self.actors()[k].as_str()).collect()
    }

    /// Whether a ceasefire agreed names its brokers and parties, spoilers
    /// only among its parties, and the parties' terms.
    fn agrees_with_ceasefire(
        &self,
        parties: &[usize],
        brokers: &[usize],
        terms: Option<CeasefireTerms>,
        c: &CeasefireAgreed,
    ) -> Result<(), Refusal> {
        let names = |ids: &[usize]| self.names(ids);
        if !c.brokers.iter().map(Id::as_str).eq(names(brokers)) {
            return unsettled(
                format!("the brokers of the {} ceasefire", c.theatre),
                c.brokers.join(", "),
                names(brokers).join(", "),
            );
        }
        if let Some(s) = c
            .spoilers
            .iter()
            .find(|s| !names(parties).contains(&s.as_str()))
        {
            return Err(Refusal::NotAParty {
                actor: s.to_string(),
                theatre: c.theatre.to_string(),
            });
        }
        if !c.parties.iter().map(Id::as_str).eq(names(parties)) {
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

    /// Whether a claim that bargaining is over is what the positions say.
    fn agrees_with_verdict(
        &self,
        verdict: Option<Verdict>,
        tolerance: f64,
        event: &Event,
    ) -> Result<(), Refusal> {
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

    /// The index of threat `id`, or a refusal naming it.
    pub(super) fn need_threat(&self, id: &str) -> Result<usize, Refusal> {
        self.threat(id)
            .ok_or_else(|| Refusal::UnknownThreat(id.to_owned()))
    }

    /// The index of actor `id`, or a refusal naming it.
    pub(super) fn need_actor(&self, id: &str) -> Result<usize, Refusal> {
        self.actor(id)
            .ok_or_else(|| Refusal::UnknownActor(id.to_owned()))
    }

    /// The index of issue `id`, or a refusal naming it.
    pub(super) fn need_issue(&self, id: &str) -> Result<usize, Refusal> {
        self.issue(id)
            .ok_or_else(|| Refusal::UnknownIssue(id.to_owned()))
    }

    /// Where `actor` stands on `issue`, or a refusal: it holds no stance.
    pub(super) fn need_stance(&self, issue: usize, actor: usize) -> Result<super::Held, Refusal> {
        self.held(issue, actor).ok_or_else(|| Refusal::NoStance {
            actor: self.actors()[actor].to_string(),
            issue: self.issues()[issue].to_string(),
        })
    }

    /// The index of the ceasefire in `theatre`, or a refusal: there is none.
    pub(super) fn need_ceasefire(&self, theatre: &str) -> Result<usize, Refusal> {
        self.ceasefire_index(theatre)
            .ok_or_else(|| Refusal::NoCeasefire(theatre.to_owned()))
    }

    /// The index of the ceasefire in `theatre`, or a refusal unless it is in
    /// force.
    pub(super) fn need_in_force(&self, theatre: &str) -> Result<usize, Refusal> {
        let k = self.need_ceasefire(theatre)?;
        if self.ceasefires[k].status != CeasefireStatus::InForce {
            return Err(Refusal::CeasefireNotInForce(theatre.to_owned()));
        }
        Ok(k)
    }
}

/// Whether two derived numbers agree, to [`DERIVED_TOLERANCE`].
fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= DERIVED_TOLERANCE
}

/// The refusal of a field that does not say what the state determines.
fn unsettled(what: String, event: String, state: String) -> Result<(), Refusal> {
    Err(Refusal::Unsettled { what, event, state })
}

/// Whether a change of salience, capability or trust says the value the
/// state holds before it, `x`.
fn agrees_before(x: f64, event: &Event) -> Result<(), Refusal> {
    let said = match event {
        Event::SalienceChanged(c) => c.from,
        Event::CapabilityChanged(c) => c.from,
        Event::TrustChanged(t) => t.from,
        _ => return Ok(()),
    };
    if said.to_bits() == x.to_bits() {
        return Ok(());
    }
    let what = match event {
        Event::SalienceChanged(c) => format!("{}'s salience on {}", c.actor, c.issue),
        Event::CapabilityChanged(c) => format!("{}'s capability", c.actor),
        Event::TrustChanged(t) => format!("trust between {} and {}", t.a, t.b),
        _ => String::new(),
    };
    unsettled(what, said.to_string(), x.to_string())
}

/// Whether a round's close lists the forecasts of every issue, in order.
fn agrees_with_close(issues: &[IssueForecast], rc: &RoundClosed) -> Result<(), Refusal> {
    if rc.issues.len() != issues.len() {
        return Err(Refusal::CloseIssues {
            listed: rc.issues.len(),
            issues: issues.len(),
        });
    }
    for (f, s) in rc.issues.iter().zip(issues) {
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
