//! The laws checked on one played case: those that look at each event and
//! the state it met, the replay of the written log, and the helpers of the
//! model laws (tie-breaking nudges).

use super::{Law, Violation};
use crate::event::Event;
use crate::log;
use crate::scale;
use crate::scenario::Scenario;
use crate::state::{CeasefireStatus, State};
use crate::{Envelope, Fold, Header, Verifier};

pub(super) fn violation(law: Law, detail: String) -> Violation {
    Violation { law, detail }
}

/// The smallest valid scenario, compiled in.
pub(super) fn two_actors() -> Scenario {
    serde_json::from_str(include_str!("../../tests/data/two-actors.json"))
        .expect("a valid built-in scenario")
}

/// The laws that look at each event and the state it met.
pub(super) fn event_laws(
    scenario: &Scenario,
    events: &[Envelope],
    states: &[State],
) -> Result<(), Violation> {
    let theatres = scenario.theatres();
    let mut effects_applied: std::collections::BTreeMap<usize, usize> = Default::default();
    for (k, envelope) in events.iter().enumerate() {
        let before = &states[k];
        let seq = envelope.seq;
        let e = &envelope.event;
        for (what, id) in references(e) {
            let known = match what {
                "actor" => before.actor(id).is_some(),
                "issue" => before.issue(id).is_some(),
                "theatre" => theatres.iter().any(|t| t == id),
                "body" => scenario.bodies.iter().any(|b| b.id == id),
                _ => before.regimes().iter().any(|r| r.id == id),
            };
            if !known {
                return Err(violation(
                    Law::KnownNames,
                    format!("seq {seq} ({}) names an unknown {what} {id:?}", e.name()),
                ));
            }
        }
        for x in positions_in(e) {
            if !scale::contains(x) {
                return Err(violation(
                    Law::PositionsInRange,
                    format!("seq {seq} ({}) puts a position at {x}: {e:?}", e.name()),
                ));
            }
        }
        if let Some(entry) = effect_entry(e) {
            let n = effects_applied.entry(entry).or_insert(0);
            *n += 1;
            let declared = scenario.timeline.get(entry).map_or(0, |t| t.effects.len());
            if *n > declared {
                return Err(violation(
                    Law::EffectsOnce,
                    format!(
                        "seq {seq}: effect {n} of timeline entry {entry}, which declares {declared}"
                    ),
                ));
            }
        }
        kind_laws(before, seq, e)?;
        super::fronts::front_event_laws(scenario, before, seq, e)?;
        if let Event::CeasefireCollapsed(_) | Event::RoundClosed(_) = e {
            violations_never_help(before, seq)?;
        }
    }
    Ok(())
}

/// Each ceasefire in force that collapses by a hazard, in the state before
/// a collapse or a round's close: the hazard with one more violation in its
/// window is never below the hazard as it stands, and the state's hazard is
/// the hazard's function of the window (so a rule that reads violations
/// another way is caught). A ceasefire that collapses on a count of
/// violations collapses sooner with more of them by construction.
fn violations_never_help(before: &State, seq: u64) -> Result<(), Violation> {
    for (k, cf) in before.ceasefires().iter().enumerate() {
        let (Some(terms), Some(now)) = (cf.hazard, before.collapse_hazard(k)) else {
            continue;
        };
        let trust = before.bound_trust(k);
        let v = cf.recent_violations();
        let more = terms.chance(v.saturating_add(1), trust);
        if more < now || now.to_bits() != terms.chance(v, trust).to_bits() {
            return Err(violation(
                Law::ViolationsNeverHelp,
                format!(
                    "seq {seq}: the {} ceasefire's collapse hazard is {now} with {v} recent violations and {more} with one more",
                    cf.theatre
                ),
            ));
        }
    }
    Ok(())
}

/// A body never adopts against a veto or below its quota: the ballots and
/// tally the adoption carries are the ones the members' positions give
/// before it, no member with a veto voted no, and the yes votes reach the
/// quota.
fn body_quota(before: &State, seq: u64, v: &crate::event::BodyVote) -> Result<(), Violation> {
    let counted = before.count_vote(&v.body, &v.issue, v.draft);
    let why = if counted.as_ref() != Some(v) {
        Some("its ballots or tally are not what the members' positions give".to_owned())
    } else if !v.vetoed_by.is_empty() {
        Some(format!("vetoed by {}", v.vetoed_by.join(", ")))
    } else if v.yes < v.quota {
        Some(format!("{} yes of the {} needed", v.yes, v.quota))
    } else {
        None
    };
    match why {
        Some(why) => Err(violation(
            Law::BodyQuota,
            format!(
                "seq {seq}: {} adopted the draft on {}: {why}",
                v.body, v.issue
            ),
        )),
        None => Ok(()),
    }
}

/// The laws of one event's own kind: ceasefire order, spoilers unbound,
/// and who decides a sanction regime.
fn kind_laws(before: &State, seq: u64, e: &Event) -> Result<(), Violation> {
    match e {
        Event::CeasefireViolated(c) => {
            check_in_force(before, &c.theatre, seq, e)?;
            let cf = before.ceasefires().iter().find(|x| x.theatre == c.theatre);
            let spoiler = cf.is_some_and(|cf| {
                before
                    .actor(&c.by)
                    .is_some_and(|by| cf.spoilers.contains(&by))
            });
            if spoiler && !matches!(c.cause, crate::event::ViolationCause::Strike) {
                return Err(violation(
                    Law::SpoilersUnbound,
                    format!(
                        "seq {seq}: {} is held to violate the {} ceasefire, which it refused",
                        c.by, c.theatre
                    ),
                ));
            }
        }
        Event::CeasefireCollapsed(c) => check_in_force(before, &c.theatre, seq, e)?,
        Event::ResolutionAdopted(v) => body_quota(before, seq, v)?,
        Event::ThreatCarriedOut(t) => {
            let withdrawn = before.threat_index(&t.threat).is_some_and(|k| {
                before.threats()[k].status == crate::state::ThreatStatus::Withdrawn
            });
            if withdrawn {
                return Err(violation(
                    Law::WithdrawnStaysWithdrawn,
                    format!(
                        "seq {seq}: {} is carried out after it was withdrawn",
                        t.threat
                    ),
                ));
            }
        }
        Event::AgreementStep(p)
        | Event::AgreementImplemented(p)
        | Event::AgreementStalled(p)
        | Event::AgreementReopened(p) => {
            let i = before.issue(&p.issue);
            if let Some(s) = p.noncompliant.iter().find(|a| {
                i.zip(before.actor(a))
                    .is_some_and(|(i, a)| before.agreement_spoilers(i).contains(&a))
            }) {
                return Err(violation(
                    Law::SpoilersUnbound,
                    format!(
                        "seq {seq}: {s} is held to the agreement on {}, which it refused",
                        p.issue
                    ),
                ));
            }
        }
        Event::SanctionsRenewed(d) | Event::SanctionsEased(d) | Event::SanctionsLifted(d)
            if !d.votes.is_empty() =>
        {
            let Some(r) = before.regimes().iter().find(|r| r.id == d.regime) else {
                return Ok(());
            };
            let members: std::collections::BTreeSet<&str> = r
                .imposers
                .iter()
                .map(|&m| before.actors()[m].as_str())
                .collect();
            if !d
                .votes
                .keys()
                .map(|id| id.as_str())
                .eq(members.iter().copied())
            {
                return Err(violation(
                    Law::ImposerOnly,
                    format!("seq {seq}: the votes on {} are not its members'", d.regime),
                ));
            }
            let change = match e {
                Event::SanctionsLifted(_) => Some(crate::event::Vote::Lift),
                Event::SanctionsEased(_) => Some(crate::event::Vote::Ease),
                _ => None,
            };
            if r.rule == crate::scenario::DecisionRule::Unanimity
                && let Some(v) = change
                && let Some((who, _)) = d.votes.iter().find(|(_, x)| **x < v)
            {
                return Err(violation(
                    Law::UnanimousChange,
                    format!(
                        "seq {seq}: {} {} although {who} did not vote so",
                        d.regime,
                        e.name()
                    ),
                ));
            }
        }
        Event::SanctionsRenewed(d) | Event::SanctionsEased(d) | Event::SanctionsLifted(d) => {
            let imposer = before
                .regimes()
                .iter()
                .find(|r| r.id == d.regime)
                .and_then(|r| r.first())
                .map(|k| before.actors()[k].as_str());
            if imposer != Some(d.imposer.as_str()) {
                return Err(violation(
                    Law::ImposerOnly,
                    format!(
                        "seq {seq}: {} decides regime {} ({}), which {} imposes",
                        d.imposer,
                        d.regime,
                        e.name(),
                        imposer.unwrap_or("nobody")
                    ),
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_in_force(before: &State, theatre: &str, seq: u64, e: &Event) -> Result<(), Violation> {
    let status = before
        .ceasefires()
        .iter()
        .find(|c| c.theatre == theatre)
        .map(|c| c.status);
    if status != Some(CeasefireStatus::InForce) {
        return Err(violation(
            Law::CeasefireOrder,
            format!(
                "seq {seq}: {} in {theatre} while its ceasefire is {}",
                e.name(),
                match status {
                    Some(CeasefireStatus::NotAgreed) => "not agreed",
                    Some(CeasefireStatus::Collapsed) => "collapsed",
                    _ => "not defined",
                }
            ),
        ));
    }
    Ok(())
}

/// Replays the written log line by line against the run's states.
pub(super) fn replay_laws(
    scenario: &Scenario,
    seed: u64,
    events: &[Envelope],
    states: &[State],
) -> Result<(), Violation> {
    let fail = |law: Law, detail: String| Err(violation(law, detail));
    let rounds = events.iter().map(|e| e.round).max().unwrap_or(0);
    let header = Header::new(scenario.clone(), seed, rounds);
    let played = events
        .iter()
        .cloned()
        .map(Ok::<_, std::convert::Infallible>);
    let mut verifier = Verifier::default();
    let mut fold = None;
    for (k, line) in log::encode(&header, played).enumerate() {
        let Ok(line) = line;
        let Some(envelope) = &line.envelope else {
            let read = verifier.header(line.text()).map_err(|e| {
                violation(
                    Law::ReplayEqualsRun,
                    format!("the header does not read back: {e}"),
                )
            })?;
            let start = Fold::new(&read).map_err(|e| {
                violation(
                    Law::ReplayEqualsRun,
                    format!("the header does not fold: {e}"),
                )
            })?;
            fold = Some(start);
            continue;
        };
        let seq = envelope.seq;
        let read = match verifier.event(line.text()) {
            Ok(read) => read,
            Err(e) => {
                return fail(
                    Law::ReplayEqualsRun,
                    format!("seq {seq} does not read back from the log: {e}"),
                );
            }
        };
        if &read != envelope {
            return fail(
                Law::ReplayEqualsRun,
                format!("seq {seq} reads back as another event"),
            );
        }
        let Some(fold) = fold.as_mut() else {
            return fail(Law::ReplayEqualsRun, "the log has no header".to_owned());
        };
        if let Err(e) = fold.push(&read) {
            return fail(
                Law::ReplayEqualsRun,
                format!("replay refuses seq {seq}: {e}"),
            );
        }
        if fold.state() != &states[k] {
            return fail(
                Law::PrefixReplay,
                format!("the log replayed to seq {seq} is not the state the run had there"),
            );
        }
    }
    if fold.as_ref().map(Fold::state) != states.last() {
        return fail(
            Law::ReplayEqualsRun,
            "the replayed state differs at the end".to_owned(),
        );
    }
    Ok(())
}

/// The timeline entry whose effect an event is, if it is one.
fn effect_entry(e: &Event) -> Option<usize> {
    use crate::event::{Cause, Shift};
    match e {
        Event::SalienceChanged(crate::event::SalienceChanged {
            cause: Shift::Effect { entry },
            ..
        })
        | Event::CapabilityChanged(crate::event::CapabilityChanged {
            cause: Shift::Effect { entry },
            ..
        })
        | Event::TrustChanged(crate::event::TrustChanged {
            cause: Shift::Effect { entry },
            ..
        })
        | Event::PositionChanged(crate::event::PositionChanged {
            cause: Cause::Effect { entry },
            ..
        }) => Some(*entry),
        _ => None,
    }
}

/// Every name an event uses, with what it names.
fn references(e: &Event) -> Vec<(&'static str, &str)> {
    let mut v: Vec<(&'static str, &str)> = Vec::new();
    match e {
        Event::Scripted(s) => {
            v.push(("actor", &s.actor));
            v.extend(s.target.as_deref().map(|t| ("actor", t)));
            v.extend(s.issue.as_deref().map(|i| ("issue", i)));
        }
        Event::RiskUpdated(r) => {
            v.push(("issue", &r.issue));
            v.extend(r.exponents.keys().map(|a| ("actor", a.as_str())));
        }
        Event::PositionChanged(p) => {
            v.extend([("actor", p.actor.as_str()), ("issue", p.issue.as_str())])
        }
        Event::Strike(s) => {
            v.extend([
                ("actor", s.striker.as_str()),
                ("theatre", s.theatre.as_str()),
            ]);
            v.extend(s.hits.as_deref().map(|h| ("actor", h)));
        }
        Event::CeasefireAgreed(c) => {
            v.push(("theatre", &c.theatre));
            v.extend(
                c.parties
                    .iter()
                    .chain(&c.brokers)
                    .chain(&c.spoilers)
                    .map(|p| ("actor", p.as_str())),
            );
        }
        Event::CeasefireViolated(c) => {
            v.extend([("theatre", c.theatre.as_str()), ("actor", c.by.as_str())])
        }
        Event::CeasefireCollapsed(c) => v.push(("theatre", &c.theatre)),
        Event::SanctionsRenewed(d)
        | Event::SanctionsEased(d)
        | Event::SanctionsLifted(d)
        | Event::SanctionsImposed(d) => {
            v.push(("regime", d.regime.as_str()));
            v.extend((!d.imposer.is_empty()).then_some(("actor", d.imposer.as_str())));
            v.push(("actor", d.target.as_str()));
            v.extend(d.votes.keys().map(|a| ("actor", a.as_str())));
        }
        Event::SalienceChanged(c) => {
            v.extend([("actor", c.actor.as_str()), ("issue", c.issue.as_str())])
        }
        Event::CapabilityChanged(c) => v.push(("actor", &c.actor)),
        Event::TrustChanged(t) => v.extend([("actor", t.a.as_str()), ("actor", t.b.as_str())]),
        Event::AgreementStep(p)
        | Event::AgreementImplemented(p)
        | Event::AgreementStalled(p)
        | Event::AgreementReopened(p) => {
            v.push(("issue", &p.issue));
            v.extend(p.noncompliant.iter().map(|a| ("actor", a.as_str())));
        }
        Event::ThreatMade(t)
        | Event::ThreatExtended(t)
        | Event::ThreatCarriedOut(t)
        | Event::ThreatWithdrawn(t)
        | Event::ThreatLapsed(t)
        | Event::ThreatEnded(t) => {
            v.extend([("actor", t.actor.as_str()), ("actor", t.target.as_str())])
        }
        Event::ThreatAnswered(a) => {
            v.extend([("actor", a.actor.as_str()), ("actor", a.target.as_str())])
        }
        Event::PackageOffered(t) | Event::PackageAccepted(t) => terms(t, &mut v),
        Event::PackageRefused(r) => terms(&r.terms, &mut v),
        Event::GroupPackageOffered(t) | Event::GroupPackageAccepted(t) => group(t, &mut v),
        Event::GroupPackageRefused(r) => {
            group(&r.terms, &mut v);
            v.extend(r.by.iter().map(|a| ("actor", a.as_str())));
        }
        Event::ResolutionAdopted(r) | Event::ResolutionVetoed(r) | Event::ResolutionFailed(r) => {
            v.extend([("body", r.body.as_str()), ("issue", r.issue.as_str())]);
            v.extend(r.votes.keys().map(|a| ("actor", a.as_str())));
        }
        Event::AgreementSigned(a) => {
            v.push(("issue", &a.issue));
            v.extend(a.principals.iter().map(|p| ("actor", p.as_str())));
        }
        Event::RoundClosed(rc) => v.extend(rc.issues.iter().map(|f| ("issue", f.issue.as_str()))),
        Event::StateAssessed(a) => v.extend(
            a.win_probabilities
                .keys()
                .chain(a.risk.keys())
                .map(|id| ("actor", id.as_str())),
        ),
        Event::ExchangeRound(x) => v.extend(x.outcomes.keys().map(|id| ("issue", id.as_str()))),
        Event::BargainingConverged(_) | Event::BargainingCycled(_) => {}
        Event::ControlChanged(c) => {
            v.push(("theatre", &c.theatre));
            v.extend(c.sides.iter().map(|s| ("actor", s.actor.as_str())));
            v.extend(c.taken.as_deref().map(|a| ("actor", a)));
            if let crate::event::ControlCause::Violation { by } = &c.cause {
                v.extend(by.iter().map(|a| ("actor", a.as_str())));
            }
        }
    }
    v
}

fn group<'a>(t: &'a crate::event::GroupPackage, v: &mut Vec<(&'static str, &'a str)>) {
    v.extend(t.parties.iter().map(|a| ("actor", a.as_str())));
    v.extend(t.yields.iter().map(|c| ("issue", c.issue.as_str())));
}

fn terms<'a>(t: &'a crate::event::PackageTerms, v: &mut Vec<(&'static str, &'a str)>) {
    v.extend([
        ("actor", t.offerer.as_str()),
        ("actor", t.receiver.as_str()),
        ("issue", t.offerer_yields.issue.as_str()),
        ("issue", t.receiver_yields.issue.as_str()),
    ]);
}

/// Every position an event puts on the scale.
fn positions_in(e: &Event) -> Vec<f64> {
    match e {
        Event::PositionChanged(p) => vec![p.to],
        Event::AgreementSigned(a) => vec![a.position],
        Event::PackageOffered(t) | Event::PackageAccepted(t) => {
            vec![t.offerer_yields.to, t.receiver_yields.to]
        }
        Event::PackageRefused(r) => vec![r.terms.offerer_yields.to, r.terms.receiver_yields.to],
        Event::GroupPackageOffered(t) | Event::GroupPackageAccepted(t) => {
            t.yields.iter().map(|c| c.to).collect()
        }
        Event::GroupPackageRefused(r) => r.terms.yields.iter().map(|c| c.to).collect(),
        Event::RoundClosed(rc) => rc.issues.iter().flat_map(|f| [f.mean, f.median]).collect(),
        Event::ExchangeRound(x) => x.outcomes.values().copied().collect(),
        _ => Vec::new(),
    }
}

/// Nudges every position by less than a point, by an amount keyed by the
/// actor's and issue's ids, so no two positions or distances coincide and
/// the nudge is the same whatever the listing order.
pub(super) fn break_ties(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    for st in &mut s.stances {
        let key = crate::log::Hash::digest(format!("{}/{}", st.actor, st.issue).as_bytes());
        let digits = u32::from_str_radix(&key.as_str()[..8], 16).unwrap_or(0);
        let offset = f64::from(digits) / f64::from(u32::MAX) * 0.9;
        st.position = scale::clamp(st.position * 0.99 + offset);
    }
    s
}
