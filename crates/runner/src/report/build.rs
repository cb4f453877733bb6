//! Building a report: the log is replayed once and each event adds to the
//! story it belongs to.

use std::collections::BTreeMap;
use std::path::Path;

use entente_core::event::{
    AgreementSigned, Cause, CeasefireAgreed, CeasefireViolated, Event, PackageTerms,
    PositionChanged, SanctionsDecision, Shift, ViolationCause,
};
use entente_core::state::Bargaining;
use entente_core::{Envelope, Outcome, Scenario, State};

use super::{
    AgreementReport, Answer, AssessmentReport, BargainingReport, CooperationPoint, Decision,
    DecisionKind, ExchangeRoundReport, FrontCost, FrontPoint, FrontReport, FrontTaken, Happened,
    KeyEvent, Moment, MomentKind, PackageReport, Report, SeriesPoint, refusal_words,
};
use crate::error::Result;
use crate::replay::{Replayed, Replaying};

mod sections;

/// Verifies and folds the log at `path` into its report.
pub fn from_log(path: &Path) -> Result<Report> {
    let mut replaying = Replaying::open(path)?;
    let mut builder = Builder::new(replaying.state(), &replaying.header().scenario);
    while let Some(env) = replaying.next_event()? {
        builder.observe(&env, replaying.state());
    }
    Ok(builder.finish(&replaying.finish()))
}

/// Accumulates a report event by event, as a log is replayed.
#[derive(Debug)]
pub struct Builder {
    series: Vec<Vec<SeriesPoint>>,
    agreements: Vec<Option<AgreementReport>>,
    moves: Vec<u64>,
    movers: Vec<BTreeMap<String, u64>>,
    ceasefires: BTreeMap<String, Vec<Moment>>,
    decisions: BTreeMap<String, Vec<Decision>>,
    packages: Vec<PackageReport>,
    cooperation: BTreeMap<u32, f64>,
    timeline: Vec<KeyEvent>,
    outcomes: Vec<Happened>,
    /// Times bargaining ended (each converged or cycled event).
    endings: u32,
    /// The relative share of the last convergence, if that rule decided.
    relative: Option<f64>,
    assessments: Vec<AssessmentReport>,
    exchange_rounds: Vec<ExchangeRoundReport>,
    /// The scenario, which says where an agreement on a linkage issue
    /// landed.
    scenario: Scenario,
    /// Per front, its story so far.
    fronts: Vec<FrontReport>,
    /// The rounds of mutually hurting stalemate, as the sweep reads them.
    stalemates: entente_core::front::StalemateWatch,
}

impl Builder {
    /// A report of the log whose opening state is `state`.
    pub fn new(state: &State, scenario: &Scenario) -> Builder {
        let issues = state.issues().len();
        Builder {
            series: vec![Vec::new(); issues],
            agreements: vec![None; issues],
            moves: vec![0; issues],
            movers: vec![BTreeMap::new(); issues],
            ceasefires: BTreeMap::new(),
            decisions: BTreeMap::new(),
            packages: Vec::new(),
            cooperation: BTreeMap::new(),
            timeline: Vec::new(),
            outcomes: Vec::new(),
            endings: 0,
            relative: None,
            assessments: Vec::new(),
            exchange_rounds: Vec::new(),
            scenario: scenario.clone(),
            fronts: (0..state.front_count())
                .filter_map(|k| state.front(k))
                .map(|f| FrontReport {
                    id: f.id.to_owned(),
                    theatre: f.theatre.to_owned(),
                    sides: f
                        .sides
                        .iter()
                        .map(|&a| state.actors()[a].to_string())
                        .collect(),
                    series: Vec::new(),
                    taken: Vec::new(),
                    costs: f
                        .sides
                        .iter()
                        .map(|&a| FrontCost {
                            actor: state.actors()[a].to_string(),
                            ..FrontCost::default()
                        })
                        .collect(),
                })
                .collect(),
            stalemates: entente_core::front::StalemateWatch::new(scenario),
        }
    }

    /// Adds one event, seen with the state after it.
    pub fn observe(&mut self, env: &Envelope, state: &State) {
        *self.cooperation.entry(env.round).or_insert(0.0) += env.event.goldstein();
        let marks = self.stalemates.observe(&env.event);
        for outcome in Outcome::all_of(&env.event, &self.scenario) {
            self.outcomes.push(Happened {
                outcome: outcome.key(),
                seq: env.seq,
                round: env.round,
                date: env.date,
            });
        }
        let key = match &env.event {
            Event::RoundClosed(_) => {
                self.close(env, state, marks.as_deref().unwrap_or(&[]));
                None
            }
            Event::PositionChanged(p) => self.moved(p, state),
            Event::AgreementSigned(a) => Some(self.agreed(env, a, state)),
            Event::CeasefireAgreed(c) => Some(self.ceasefire_agreed(env, c)),
            Event::CeasefireViolated(v) => Some(self.violated(env, v)),
            Event::CeasefireCollapsed(c) => {
                let what = format!("collapsed after {} violations", c.violations);
                Some(self.moment(env, &c.theatre, MomentKind::Collapsed, what))
            }
            // Strikes are counted by the state (see `strike_reports`).
            Event::Strike(_) => None,
            Event::ControlChanged(c) => self.fought(env, c),
            Event::SanctionsImposed(d) => Some(self.decided(env, d, DecisionKind::Imposed)),
            Event::SalienceChanged(c) => {
                if let Shift::Front { front, .. } = &c.cause {
                    self.front_cost(&c.actor, front, 0.0, 0.0, c.to - c.from);
                }
                crisis_text(&env.event)
            }
            Event::CapabilityChanged(_)
            | Event::TrustChanged(_)
            | Event::AgreementStep(_)
            | Event::AgreementImplemented(_)
            | Event::AgreementStalled(_)
            | Event::AgreementReopened(_)
            | Event::ThreatMade(_)
            | Event::ThreatExtended(_)
            | Event::ThreatCarriedOut(_)
            | Event::ThreatWithdrawn(_)
            | Event::ThreatAnswered(_)
            | Event::ThreatLapsed(_)
            | Event::ThreatEnded(_)
            | Event::ResolutionAdopted(_)
            | Event::ResolutionVetoed(_)
            | Event::ResolutionFailed(_) => crisis_text(&env.event),
            Event::SanctionsRenewed(d) => Some(self.decided(env, d, DecisionKind::Renewed)),
            Event::SanctionsEased(d) => Some(self.decided(env, d, DecisionKind::Eased)),
            Event::SanctionsLifted(d) => Some(self.decided(env, d, DecisionKind::Lifted)),
            Event::PackageAccepted(t) => Some(self.answered(env, t, None)),
            Event::PackageRefused(r) => Some(self.answered(env, &r.terms, Some(r.reason))),
            Event::Scripted(s) => {
                let target = s
                    .target
                    .as_deref()
                    .map(|t| format!(" → {t}"))
                    .unwrap_or_default();
                Some(format!("{}{target}: {}", s.actor, s.text))
            }
            Event::BargainingConverged(_) | Event::BargainingCycled(_) => self.ended(&env.event),
            Event::StateAssessed(_) | Event::ExchangeRound(_) => {
                self.reported(env);
                None
            }
            Event::PackageOffered(_) | Event::GroupPackageOffered(_) | Event::RiskUpdated(_) => {
                None
            }
            Event::GroupPackageAccepted(t) => Some(format!(
                "group package accepted by {}: {}",
                t.parties.join(", "),
                group_terms(t)
            )),
            Event::GroupPackageRefused(r) => Some(format!(
                "group package of {} refused by {} (linkage rejected): {}",
                r.terms.parties.join(", "),
                r.by.join(", "),
                group_terms(&r.terms)
            )),
        };
        if let Some(text) = key {
            self.timeline.push(KeyEvent {
                seq: env.seq,
                round: env.round,
                date: env.date,
                event: env.event.name().to_owned(),
                cameo: env.event.cameo().to_owned(),
                text,
            });
        }
    }

    /// A ceasefire agreed: the key event's text, naming who it binds, its
    /// brokers and its spoilers.
    fn ceasefire_agreed(&mut self, env: &Envelope, c: &CeasefireAgreed) -> String {
        let bound: Vec<&str> = c
            .parties
            .iter()
            .filter(|p| !c.spoilers.contains(p))
            .map(|p| p.as_str())
            .collect();
        let mut what = format!(
            "agreed by {} (mean position {:.1})",
            bound.join(", "),
            c.mean
        );
        if !c.brokers.is_empty() {
            what.push_str(&format!(", brokered by {}", c.brokers.join(", ")));
        }
        if !c.spoilers.is_empty() {
            what.push_str(&format!(
                "; refused by {} (spoilers, not bound)",
                c.spoilers.join(", ")
            ));
        }
        self.moment(env, &c.theatre, MomentKind::Agreed, what)
    }

    /// Bargaining ended, converged or cycled: the key event's text.
    fn ended(&mut self, event: &Event) -> Option<String> {
        match event {
            Event::BargainingConverged(c) => {
                self.endings += 1;
                self.relative = c.relative;
                Some(match c.relative {
                    Some(r) => format!(
                        "bargaining converged: the round's total movement fell below {r} of round 1's; the model moves no more"
                    ),
                    None => format!(
                        "bargaining converged: no position moved {} points or more for {} rounds running; the model moves no more",
                        c.tolerance, c.quiet_rounds
                    ),
                })
            }
            Event::BargainingCycled(c) => {
                self.endings += 1;
                Some(format!(
                    "bargaining cycled: positions came back to those of round {} (a cycle of {} rounds); the model moves no more and the forecast is the cycle's mean",
                    c.returns_to, c.period
                ))
            }
            _ => None,
        }
    }

    /// Keeps what a model reports of a round: a state assessed, an exchange
    /// round.
    fn reported(&mut self, env: &Envelope) {
        match &env.event {
            Event::StateAssessed(a) => {
                self.assessments.push(AssessmentReport {
                    round: a.state,
                    win_probabilities: keyed_by_text(&a.win_probabilities),
                    risk: keyed_by_text(&a.risk),
                });
            }
            Event::ExchangeRound(x) => {
                self.exchange_rounds.push(ExchangeRoundReport {
                    round: env.round,
                    candidates: x.candidates,
                    realised: x.realised,
                    ties: x.ties,
                    outcomes: keyed_by_text(&x.outcomes),
                });
            }
            _ => {}
        }
    }

    fn close(&mut self, env: &Envelope, state: &State, stalemates: &[bool]) {
        let Event::RoundClosed(rc) = &env.event else {
            return;
        };
        self.close_fronts(rc.round, state, stalemates);
        for f in &rc.issues {
            let Some(i) = state.issue(&f.issue) else {
                continue;
            };
            let positions = state.positions(i).map(|(a, x)| (a.to_owned(), x)).collect();
            self.series[i].push(SeriesPoint {
                round: rc.round,
                date: env.date,
                mean: f.mean,
                median: f.median,
                positions,
            });
        }
    }

    /// Each front's control at a round's close, and whether its theatre's
    /// fighting was a mutually hurting stalemate that round
    /// (`front::StalemateWatch`).
    fn close_fronts(&mut self, round: u32, state: &State, stalemates: &[bool]) {
        for (k, report) in self.fronts.iter_mut().enumerate() {
            let Some(view) = state.front(k) else {
                continue;
            };
            report.series.push(FrontPoint {
                round,
                control: view.control.to_vec(),
                stalemate: stalemates.get(k).copied().unwrap_or(false),
                way_out: entente_core::front::way_out(&self.scenario, state, view.theatre),
            });
        }
    }

    /// A change of control: a front taken is a key event.
    fn fought(
        &mut self,
        env: &Envelope,
        c: &entente_core::event::ControlChanged,
    ) -> Option<String> {
        let k = self.fronts.iter().position(|f| f.id == c.front.as_str())?;
        let side = c.taken.as_ref()?;
        self.fronts[k].taken.push(FrontTaken {
            round: env.round,
            side: side.to_string(),
        });
        let share = c
            .sides
            .iter()
            .find(|s| s.actor == *side)
            .map_or(0.0, |s| s.to);
        Some(format!(
            "{side} takes the {} front ({}: {:.0}% of it)",
            c.front,
            c.theatre,
            share * 100.0
        ))
    }

    /// What a front's fighting did to a side at the table.
    fn front_cost(&mut self, actor: &str, front: &str, loss: f64, learning: f64, salience: f64) {
        let Some(f) = self.fronts.iter_mut().find(|f| f.id == front) else {
            return;
        };
        if let Some(c) = f.costs.iter_mut().find(|c| c.actor == actor) {
            c.loss_points += loss;
            c.learning_points += learning;
            c.salience += salience;
        }
    }

    /// Counts a move; a move put in from outside is a key event.
    fn moved(&mut self, p: &PositionChanged, state: &State) -> Option<String> {
        if let Cause::Front { front, why, .. } = &p.cause {
            let points = (p.to - p.from).abs();
            let (loss, learning) = match why {
                entente_core::event::FrontCause::Loss => (points, 0.0),
                entente_core::event::FrontCause::Learning => (0.0, points),
            };
            self.front_cost(&p.actor, front, loss, learning, 0.0);
        }
        // The opening draws are where actors start, not moves.
        if let Some(i) = state.issue(&p.issue)
            && !matches!(p.cause, Cause::Uncertainty { .. })
        {
            self.moves[i] += 1;
            *self.movers[i].entry(p.actor.to_string()).or_insert(0) += 1;
        }
        match &p.cause {
            Cause::External { note } => Some(format!(
                "{} moves on {} from {:.1} to {:.1} ({note})",
                p.actor, p.issue, p.from, p.to
            )),
            _ => None,
        }
    }

    fn agreed(&mut self, env: &Envelope, a: &AgreementSigned, state: &State) -> String {
        if let Some(i) = state.issue(&a.issue) {
            self.agreements[i] = Some(AgreementReport {
                round: env.round,
                date: env.date,
                position: a.position,
                spoilers: a.spoilers.iter().map(ToString::to_string).collect(),
                stage: None,
                steps: None,
            });
        }
        let refused = if a.spoilers.is_empty() {
            String::new()
        } else {
            format!(
                "; refused by {} (spoilers, not bound)",
                a.spoilers.join(", ")
            )
        };
        format!(
            "agreement on {} at {:.1}, signed by {}{refused}",
            a.issue,
            a.position,
            a.principals
                .iter()
                .filter(|p| !a.spoilers.contains(p))
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    fn violated(&mut self, env: &Envelope, v: &CeasefireViolated) -> String {
        let how = match &v.cause {
            ViolationCause::Hazard { hazard } => format!("hazard {hazard:.3}"),
            ViolationCause::Strike => "a strike on other opposition".to_owned(),
            ViolationCause::External => "put into the history".to_owned(),
        };
        let what = format!("violated by {} ({how}); {} so far", v.by, v.violations);
        self.moment(env, &v.theatre, MomentKind::Violated, what)
    }

    /// Adds a moment to a ceasefire's story; returns the key event's text.
    fn moment(&mut self, env: &Envelope, theatre: &str, kind: MomentKind, what: String) -> String {
        let text = format!("{theatre} ceasefire {what}");
        self.ceasefires
            .entry(theatre.to_owned())
            .or_default()
            .push(Moment {
                seq: env.seq,
                round: env.round,
                date: env.date,
                kind,
                what,
            });
        text
    }

    fn decided(&mut self, env: &Envelope, d: &SanctionsDecision, kind: DecisionKind) -> String {
        self.decisions
            .entry(d.regime.to_string())
            .or_default()
            .push(Decision {
                round: env.round,
                date: env.date,
                due: d.due,
                decision: kind,
                position: d.position,
                level: d.level,
                votes: keyed_by_text(&d.votes),
            });
        let by = if d.imposer.is_empty() {
            format!(
                "a vote of {}",
                d.votes.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        } else {
            d.imposer.to_string()
        };
        format!(
            "{by} {kind} {} (due {}, position {:.1}, level {:.2})",
            d.regime, d.due, d.position, d.level
        )
    }

    fn answered(
        &mut self,
        env: &Envelope,
        t: &PackageTerms,
        reason: Option<entente_core::event::RefusalReason>,
    ) -> String {
        let answer = match reason {
            Some(_) => Answer::Refused,
            None => Answer::Accepted,
        };
        self.packages.push(PackageReport {
            round: env.round,
            date: env.date,
            offerer: t.offerer.to_string(),
            receiver: t.receiver.to_string(),
            offerer_yields: (t.offerer_yields.issue.to_string(), t.offerer_yields.to),
            receiver_yields: (t.receiver_yields.issue.to_string(), t.receiver_yields.to),
            gain: t.gain,
            answer,
            reason,
        });
        format!(
            "{} {answer} {}'s package: {} to {:.1} on {}, {} to {:.1} on {}{}",
            t.receiver,
            t.offerer,
            t.offerer,
            t.offerer_yields.to,
            t.offerer_yields.issue,
            t.receiver,
            t.receiver_yields.to,
            t.receiver_yields.issue,
            reason
                .map(|r| format!(" ({})", refusal_words(r)))
                .unwrap_or_default()
        )
    }

    /// The report of the whole run: the stories accumulated, told against
    /// the scenario and the final state.
    pub fn finish(mut self, replayed: &Replayed) -> Report {
        let header = &replayed.header;
        let scenario = &header.scenario;
        let state = &replayed.state;
        let issues = self.issue_reports(scenario, state);
        let ceasefires = self.ceasefire_reports(scenario, state);
        let strikes = sections::strike_reports(state);
        let sanctions = self.regime_reports(scenario, state);
        let groups = sections::group_reports(scenario, state, &self.outcomes);
        Report {
            scenario: scenario.id.clone(),
            title: scenario.title.clone(),
            seed: header.seed,
            engine: header.engine.clone(),
            model: serde_json::to_value(scenario.model.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            rounds: header.rounds,
            events: replayed.events,
            head: replayed.head.to_string(),
            complete: replayed.complete(),
            outcomes: self.outcomes,
            bargaining: BargainingReport {
                relative: self
                    .relative
                    .filter(|_| matches!(state.bargaining(), Bargaining::Converged { .. })),
                ..sections::bargaining_report(state, scenario.model.stop, self.endings)
            },
            issues,
            ceasefires,
            strikes,
            sanctions,
            linkage: self.packages.clone(),
            packages: self.packages,
            cooperation: self
                .cooperation
                .iter()
                .map(|(&round, &goldstein)| CooperationPoint { round, goldstein })
                .collect(),
            assessments: self.assessments,
            exchange_rounds: self.exchange_rounds,
            threats: sections::threat_reports(scenario, state),
            groups,
            fronts: self.fronts,
            timeline: self.timeline,
        }
    }
}

/// The key event's text of a crisis mechanism's event: a salience,
/// capability or trust shifted (when told), an agreement's implementation,
/// a threat's life.
fn crisis_text(event: &Event) -> Option<String> {
    match event {
        Event::SalienceChanged(c) => shifted(&c.cause).map(|why| {
            format!(
                "{}'s salience on {} from {:.2} to {:.2} ({why})",
                c.actor, c.issue, c.from, c.to
            )
        }),
        Event::CapabilityChanged(c) => shifted(&c.cause).map(|why| {
            format!(
                "{}'s capability from {:.1} to {:.1} ({why})",
                c.actor, c.from, c.to
            )
        }),
        Event::TrustChanged(t) => shifted(&t.cause).map(|why| {
            format!(
                "trust between {} and {} from {:.2} to {:.2} ({why})",
                t.a, t.b, t.from, t.to
            )
        }),
        Event::AgreementStep(_) => None,
        Event::AgreementImplemented(p) => Some(format!(
            "agreement on {} implemented after {} steps",
            p.issue, p.steps
        )),
        Event::AgreementStalled(p) => Some(format!(
            "agreement on {} stalled after {} steps: {} not complying",
            p.issue,
            p.steps,
            p.noncompliant.join(", ")
        )),
        Event::AgreementReopened(p) => Some(format!(
            "agreement on {} reopened: every principal complies again",
            p.issue
        )),
        Event::ThreatMade(t) => Some(format!(
            "{} threatens {} ({}), deadline {}",
            t.actor, t.target, t.threat, t.deadline
        )),
        Event::ThreatExtended(t) => Some(format!(
            "{} extends its deadline to {} ({}): {} is moving",
            t.actor, t.deadline, t.threat, t.target
        )),
        Event::ThreatCarriedOut(t) => Some(format!(
            "{} carries out its threat against {} ({})",
            t.actor, t.target, t.threat
        )),
        Event::ThreatWithdrawn(t) => Some(format!(
            "{} withdraws its threat against {} ({}): the condition is met at {:.1}",
            t.actor, t.target, t.threat, t.position
        )),
        Event::ThreatAnswered(a) => Some(format!(
            "{} {} {} ({}): defying would cost {:.3} (severity {:.2} × credibility {:.2}), its patrons press {:+.3}, conceding would cost {:.3}",
            a.target,
            match a.answer {
                entente_core::event::Answer::Complied => "complies with",
                entente_core::event::Answer::Held => "holds against",
            },
            a.actor,
            a.threat,
            a.cost_defy,
            a.severity,
            a.credibility,
            a.leverage,
            a.cost_concede
        )),
        Event::ThreatLapsed(t) => Some(format!(
            "{} lets its threat against {} lapse ({}): its resolve no longer holds",
            t.actor, t.target, t.threat
        )),
        Event::ThreatEnded(t) => Some(format!(
            "{}'s punishment of {} ends ({})",
            t.actor, t.target, t.threat
        )),
        Event::ResolutionAdopted(v) | Event::ResolutionVetoed(v) | Event::ResolutionFailed(v) => {
            Some(vote_text(event, v))
        }
        _ => None,
    }
}

/// Why a salience, capability or trust changed, when the change is a key
/// event: a timeline entry's effect, a threat's (its effects; in logs of
/// engines before 0.6.0, its stakes), a counterfactual.
/// (Draws, the cost of sanctions and strikes' toll on trust are counted,
/// not told.)
fn shifted(cause: &Shift) -> Option<String> {
    match cause {
        Shift::Effect { entry } => Some(format!("effect of timeline entry {entry}")),
        Shift::Threat { threat } => Some(format!("the threat {threat}")),
        Shift::Resolution { body, issue } => Some(format!("the resolution of {body} on {issue}")),
        Shift::External { note } => Some(note.clone()),
        Shift::Uncertainty { .. }
        | Shift::SanctionsCost { .. }
        | Shift::Strike { .. }
        | Shift::Front { .. } => None,
    }
}

/// A body's vote in words: the verdict, the draft, the tally against the
/// quota, who voted how.
fn vote_text(event: &Event, v: &entente_core::event::BodyVote) -> String {
    use entente_core::event::Ballot;
    let verdict = match event {
        Event::ResolutionAdopted(_) => "adopts".to_owned(),
        Event::ResolutionVetoed(_) => format!("vetoed by {}", v.vetoed_by.join(", ")),
        _ => "fails".to_owned(),
    };
    let who = |b: Ballot| {
        let ids: Vec<&str> = v
            .votes
            .iter()
            .filter(|&(_, x)| *x == b)
            .map(|(id, _)| id.as_str())
            .collect();
        if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.join(", ")
        }
    };
    format!(
        "{}: the draft on {} at {:.1} {verdict}, {} yes of {} needed, {} abstaining, {} no (yes: {}; abstain: {}; no: {})",
        v.body,
        v.issue,
        v.draft,
        v.yes,
        v.quota,
        v.abstain,
        v.no,
        who(Ballot::Yes),
        who(Ballot::Abstain),
        who(Ballot::No)
    )
}

/// What each party of a group package gives, in words.
fn group_terms(t: &entente_core::event::GroupPackage) -> String {
    t.parties
        .iter()
        .zip(&t.yields)
        .map(|(who, c)| format!("{who} to {:.1} on {}", c.to, c.issue))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A map keyed by the ids an event holds, keyed by the report's text.
fn keyed_by_text<V: Copy>(map: &BTreeMap<entente_core::event::Id, V>) -> BTreeMap<String, V> {
    map.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}
