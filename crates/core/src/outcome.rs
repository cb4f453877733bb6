//! The outcomes a run can make happen, in one vocabulary: sweeps count
//! them, reports and comparisons tell them, CSV columns and history files
//! name them by their stable keys (`ceasefire_agreed:syria`).

use std::fmt;

use crate::event::{Event, EventKind, Id};
use crate::scenario::{Family, Issue, Scenario};
use crate::state::{Bargaining, State};

/// The kind of the outcome a complying answer makes happen: an answer is
/// one event type (`threat_answered`), complying or holding.
const THREAT_COMPLIED: &str = "threat_complied";

/// The kind of the outcome of a front taken: a change of control
/// (`control_changed`) that carries a side past the front's share.
const FRONT_TAKEN: &str = "front_taken";

/// How bargaining stood at the end of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BargainingEnd {
    /// The positions stood still.
    Converged,
    /// The positions came back to an earlier round's.
    Cycled,
    /// The model still moved positions in the last round.
    Moving,
}

impl BargainingEnd {
    /// The word in keys and reports.
    pub fn word(self) -> &'static str {
        match self {
            BargainingEnd::Converged => "converged",
            BargainingEnd::Cycled => "cycled",
            BargainingEnd::Moving => "moving",
        }
    }

    /// How bargaining stands in a state.
    pub fn of(state: &State) -> BargainingEnd {
        match state.bargaining() {
            Bargaining::Converged { .. } => BargainingEnd::Converged,
            Bargaining::Cycled { .. } => BargainingEnd::Cycled,
            Bargaining::Moving => BargainingEnd::Moving,
        }
    }
}

/// Something a run can make happen.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// How bargaining ended (a sweep counts the state at the end of each
    /// run: converged, cycled, or still moving).
    Bargaining {
        /// How.
        end: BargainingEnd,
    },
    /// An agreement was signed on an issue.
    Agreement {
        /// The issue.
        issue: String,
    },
    /// An agreement on an issue of the linkage family landed on linking
    /// (at or above 50 read as high = linkage).
    AgreementLinked {
        /// The issue.
        issue: String,
    },
    /// An agreement on an issue of the linkage family landed on not
    /// linking (below 50 read as high = linkage).
    AgreementUnlinked {
        /// The issue.
        issue: String,
    },
    /// A ceasefire was agreed in a theatre.
    CeasefireAgreed {
        /// The theatre.
        theatre: String,
    },
    /// A ceasefire collapsed in a theatre.
    CeasefireCollapsed {
        /// The theatre.
        theatre: String,
    },
    /// A sanction regime was eased.
    SanctionsEased {
        /// The regime.
        regime: String,
    },
    /// A sanction regime was lifted.
    SanctionsLifted {
        /// The regime.
        regime: String,
    },
    /// A signed agreement was carried out in full.
    AgreementImplemented {
        /// The issue.
        issue: String,
    },
    /// A signed agreement stalled.
    AgreementStalled {
        /// The issue.
        issue: String,
    },
    /// A threat was carried out.
    ThreatCarriedOut {
        /// The threat's id.
        threat: String,
    },
    /// A threat was withdrawn: its condition was met.
    ThreatWithdrawn {
        /// The threat's id.
        threat: String,
    },
    /// A threat's target complied (moved to what its condition asks).
    ThreatComplied {
        /// The threat's id.
        threat: String,
    },
    /// A carried-out threat's punishment ended.
    ThreatEnded {
        /// The threat's id.
        threat: String,
    },
    /// A threat fell due when its author's resolve no longer held.
    ThreatLapsed {
        /// The threat's id.
        threat: String,
    },
    /// Every party accepted a group package.
    GroupPackageAccepted {
        /// The parties, the first having offered.
        parties: Vec<String>,
    },
    /// A body adopted its draft resolution on an issue.
    ResolutionAdopted {
        /// The body.
        body: String,
        /// The issue.
        issue: String,
    },
    /// A member with a veto voted a body's draft on an issue down.
    ResolutionVetoed {
        /// The body.
        body: String,
        /// The issue.
        issue: String,
    },
    /// A body's draft on an issue fell short of its quota.
    ResolutionFailed {
        /// The body.
        body: String,
        /// The issue.
        issue: String,
    },
    /// A receiver accepted an offerer's package.
    PackageAccepted {
        /// Who offered it.
        offerer: String,
        /// Who accepted it.
        receiver: String,
    },
    /// A side came to hold at least a front's `taken_at` share of it.
    FrontTaken {
        /// The theatre.
        theatre: String,
        /// The front.
        front: String,
        /// The side.
        side: String,
    },
}

impl Outcome {
    /// The kind of outcome: the part of the key before the first colon.
    /// An outcome one event type makes happen is named as that event type.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Bargaining { .. } => "bargaining",
            Outcome::Agreement { .. } => "agreement",
            Outcome::AgreementLinked { .. } => "agreement_linked",
            Outcome::AgreementUnlinked { .. } => "agreement_unlinked",
            Outcome::CeasefireAgreed { .. } => EventKind::CeasefireAgreed.name(),
            Outcome::CeasefireCollapsed { .. } => EventKind::CeasefireCollapsed.name(),
            Outcome::SanctionsEased { .. } => EventKind::SanctionsEased.name(),
            Outcome::SanctionsLifted { .. } => EventKind::SanctionsLifted.name(),
            Outcome::PackageAccepted { .. } => EventKind::PackageAccepted.name(),
            Outcome::AgreementImplemented { .. } => EventKind::AgreementImplemented.name(),
            Outcome::AgreementStalled { .. } => EventKind::AgreementStalled.name(),
            Outcome::ThreatCarriedOut { .. } => EventKind::ThreatCarriedOut.name(),
            Outcome::ThreatWithdrawn { .. } => EventKind::ThreatWithdrawn.name(),
            Outcome::ThreatComplied { .. } => THREAT_COMPLIED,
            Outcome::ThreatEnded { .. } => EventKind::ThreatEnded.name(),
            Outcome::ThreatLapsed { .. } => EventKind::ThreatLapsed.name(),
            Outcome::GroupPackageAccepted { .. } => EventKind::GroupPackageAccepted.name(),
            Outcome::ResolutionAdopted { .. } => EventKind::ResolutionAdopted.name(),
            Outcome::ResolutionVetoed { .. } => EventKind::ResolutionVetoed.name(),
            Outcome::ResolutionFailed { .. } => EventKind::ResolutionFailed.name(),
            Outcome::FrontTaken { .. } => FRONT_TAKEN,
        }
    }

    /// What the outcome is about: an issue, a theatre, a regime, or
    /// `OFFERER:RECEIVER`.
    pub fn subject(&self) -> String {
        match self {
            Outcome::Bargaining { end } => end.word().to_owned(),
            Outcome::Agreement { issue }
            | Outcome::AgreementLinked { issue }
            | Outcome::AgreementUnlinked { issue }
            | Outcome::AgreementImplemented { issue }
            | Outcome::AgreementStalled { issue } => issue.clone(),
            Outcome::ThreatCarriedOut { threat }
            | Outcome::ThreatWithdrawn { threat }
            | Outcome::ThreatComplied { threat }
            | Outcome::ThreatEnded { threat }
            | Outcome::ThreatLapsed { threat } => threat.clone(),
            Outcome::CeasefireAgreed { theatre } | Outcome::CeasefireCollapsed { theatre } => {
                theatre.clone()
            }
            Outcome::SanctionsEased { regime } | Outcome::SanctionsLifted { regime } => {
                regime.clone()
            }
            Outcome::PackageAccepted { offerer, receiver } => format!("{offerer}:{receiver}"),
            Outcome::ResolutionAdopted { body, issue }
            | Outcome::ResolutionVetoed { body, issue }
            | Outcome::ResolutionFailed { body, issue } => format!("{body}:{issue}"),
            Outcome::GroupPackageAccepted { parties } => parties.join("+"),
            Outcome::FrontTaken {
                theatre,
                front,
                side,
            } => format!("{theatre}:{front}:{side}"),
        }
    }

    /// The stable key: `kind:subject`, such as `ceasefire_agreed:syria`
    /// (the outcome as it displays).
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The outcome a key names, if it is well formed.
    pub fn parse(key: &str) -> Option<Outcome> {
        let (kind, subject) = key.split_once(':')?;
        let s = subject.to_owned();
        match kind {
            "bargaining" => {
                return Some(Outcome::Bargaining {
                    end: [
                        BargainingEnd::Converged,
                        BargainingEnd::Cycled,
                        BargainingEnd::Moving,
                    ]
                    .into_iter()
                    .find(|e| e.word() == subject)?,
                });
            }
            "agreement" => return Some(Outcome::Agreement { issue: s }),
            THREAT_COMPLIED => return Some(Outcome::ThreatComplied { threat: s }),
            "agreement_linked" => return Some(Outcome::AgreementLinked { issue: s }),
            "agreement_unlinked" => return Some(Outcome::AgreementUnlinked { issue: s }),
            FRONT_TAKEN => {
                let mut parts = subject.splitn(3, ':');
                let (theatre, front, side) = (parts.next()?, parts.next()?, parts.next()?);
                return Some(Outcome::FrontTaken {
                    theatre: theatre.to_owned(),
                    front: front.to_owned(),
                    side: side.to_owned(),
                });
            }
            _ => {}
        }
        Some(match EventKind::named(kind)? {
            EventKind::CeasefireAgreed => Outcome::CeasefireAgreed { theatre: s },
            EventKind::CeasefireCollapsed => Outcome::CeasefireCollapsed { theatre: s },
            EventKind::SanctionsEased => Outcome::SanctionsEased { regime: s },
            EventKind::SanctionsLifted => Outcome::SanctionsLifted { regime: s },
            EventKind::AgreementImplemented => Outcome::AgreementImplemented { issue: s },
            EventKind::AgreementStalled => Outcome::AgreementStalled { issue: s },
            EventKind::ThreatCarriedOut => Outcome::ThreatCarriedOut { threat: s },
            EventKind::ThreatWithdrawn => Outcome::ThreatWithdrawn { threat: s },
            EventKind::ThreatEnded => Outcome::ThreatEnded { threat: s },
            EventKind::ThreatLapsed => Outcome::ThreatLapsed { threat: s },
            EventKind::GroupPackageAccepted => Outcome::GroupPackageAccepted {
                parties: subject.split('+').map(str::to_owned).collect(),
            },
            EventKind::ResolutionAdopted
            | EventKind::ResolutionVetoed
            | EventKind::ResolutionFailed => {
                let (body, issue) = subject.split_once(':')?;
                let (body, issue) = (body.to_owned(), issue.to_owned());
                match EventKind::named(kind)? {
                    EventKind::ResolutionAdopted => Outcome::ResolutionAdopted { body, issue },
                    EventKind::ResolutionVetoed => Outcome::ResolutionVetoed { body, issue },
                    _ => Outcome::ResolutionFailed { body, issue },
                }
            }
            EventKind::PackageAccepted => {
                let (offerer, receiver) = subject.split_once(':')?;
                Outcome::PackageAccepted {
                    offerer: offerer.to_owned(),
                    receiver: receiver.to_owned(),
                }
            }
            _ => return None,
        })
    }

    /// The outcome an event makes happen, if any.
    pub fn of(event: &Event) -> Option<Outcome> {
        Some(match event {
            Event::BargainingConverged(_) => Outcome::Bargaining {
                end: BargainingEnd::Converged,
            },
            Event::BargainingCycled(_) => Outcome::Bargaining {
                end: BargainingEnd::Cycled,
            },
            Event::AgreementSigned(a) => Outcome::Agreement {
                issue: a.issue.to_string(),
            },
            Event::CeasefireAgreed(c) => Outcome::CeasefireAgreed {
                theatre: c.theatre.to_string(),
            },
            Event::CeasefireCollapsed(c) => Outcome::CeasefireCollapsed {
                theatre: c.theatre.to_string(),
            },
            Event::SanctionsEased(d) => Outcome::SanctionsEased {
                regime: d.regime.to_string(),
            },
            Event::SanctionsLifted(d) => Outcome::SanctionsLifted {
                regime: d.regime.to_string(),
            },
            Event::PackageAccepted(t) => Outcome::PackageAccepted {
                offerer: t.offerer.to_string(),
                receiver: t.receiver.to_string(),
            },
            Event::AgreementImplemented(p) => Outcome::AgreementImplemented {
                issue: p.issue.to_string(),
            },
            Event::AgreementStalled(p) => Outcome::AgreementStalled {
                issue: p.issue.to_string(),
            },
            Event::ThreatCarriedOut(t) => Outcome::ThreatCarriedOut {
                threat: t.threat.to_string(),
            },
            Event::ThreatWithdrawn(t) => Outcome::ThreatWithdrawn {
                threat: t.threat.to_string(),
            },
            Event::ThreatAnswered(a) if a.answer == crate::event::Answer::Complied => {
                Outcome::ThreatComplied {
                    threat: a.threat.to_string(),
                }
            }
            Event::ThreatEnded(t) => Outcome::ThreatEnded {
                threat: t.threat.to_string(),
            },
            Event::ThreatLapsed(t) => Outcome::ThreatLapsed {
                threat: t.threat.to_string(),
            },
            Event::GroupPackageAccepted(t) => Outcome::GroupPackageAccepted {
                parties: t.parties.iter().map(Id::to_string).collect(),
            },
            Event::ResolutionAdopted(v) => Outcome::ResolutionAdopted {
                body: v.body.to_string(),
                issue: v.issue.to_string(),
            },
            Event::ResolutionVetoed(v) => Outcome::ResolutionVetoed {
                body: v.body.to_string(),
                issue: v.issue.to_string(),
            },
            Event::ResolutionFailed(v) => Outcome::ResolutionFailed {
                body: v.body.to_string(),
                issue: v.issue.to_string(),
            },
            Event::ControlChanged(c) => Outcome::FrontTaken {
                theatre: c.theatre.to_string(),
                front: c.front.to_string(),
                side: c.taken.as_ref()?.to_string(),
            },
            _ => return None,
        })
    }

    /// Every outcome `event` makes happen in a run of `scenario`: the one
    /// [`Outcome::of`] names, and, for an agreement signed on an issue of the
    /// linkage family, where it landed (linked at or above 50 read as high =
    /// linkage, unlinked below).
    pub fn all_of(event: &Event, scenario: &Scenario) -> impl Iterator<Item = Outcome> {
        let landing = match event {
            Event::AgreementSigned(a) => scenario
                .issues
                .iter()
                .find(|i| i.id == a.issue.as_str())
                .filter(|i| is_linkage(i))
                .map(|i| {
                    let issue = i.id.clone();
                    if i.reading(Family::Linkage, a.position) >= 50.0 {
                        Outcome::AgreementLinked { issue }
                    } else {
                        Outcome::AgreementUnlinked { issue }
                    }
                }),
            _ => None,
        };
        Outcome::of(event).into_iter().chain(landing)
    }

    /// Every outcome a run of `scenario` can make happen, in a fixed order:
    /// how bargaining ended (when the scenario has a stop rule), agreements
    /// by issue (and, under an implementation rule, their implementation and
    /// stalling), then each ceasefire's agreement and collapse, each
    /// regime's easing and lifting, each threat's ends (carried out,
    /// withdrawn, complied with, ended, lapsed), each body's votes on each
    /// of its drafts (adopted, vetoed, failed), each group's and each
    /// offering pair's package.
    pub fn possible(scenario: &Scenario) -> Vec<Outcome> {
        let mut all: Vec<Outcome> = Vec::new();
        if scenario.model.stop.is_some() {
            all.extend(
                [
                    BargainingEnd::Converged,
                    BargainingEnd::Cycled,
                    BargainingEnd::Moving,
                ]
                .map(|end| Outcome::Bargaining { end }),
            );
        }
        all.extend(scenario.issues.iter().map(|i| Outcome::Agreement {
            issue: i.id.clone(),
        }));
        for i in scenario.issues.iter().filter(|i| is_linkage(i)) {
            all.push(Outcome::AgreementLinked {
                issue: i.id.clone(),
            });
            all.push(Outcome::AgreementUnlinked {
                issue: i.id.clone(),
            });
        }
        if scenario.agreement.implementation.is_some() {
            for i in &scenario.issues {
                all.push(Outcome::AgreementImplemented {
                    issue: i.id.clone(),
                });
                all.push(Outcome::AgreementStalled {
                    issue: i.id.clone(),
                });
            }
        }
        for c in &scenario.ceasefires {
            let theatre = c.theatre.clone();
            all.push(Outcome::CeasefireAgreed {
                theatre: theatre.clone(),
            });
            all.push(Outcome::CeasefireCollapsed { theatre });
        }
        for r in &scenario.sanctions {
            all.push(Outcome::SanctionsEased {
                regime: r.id.clone(),
            });
            all.push(Outcome::SanctionsLifted {
                regime: r.id.clone(),
            });
        }
        for t in &scenario.threats {
            all.push(Outcome::ThreatCarriedOut {
                threat: t.id.clone(),
            });
            all.push(Outcome::ThreatWithdrawn {
                threat: t.id.clone(),
            });
            all.push(Outcome::ThreatComplied {
                threat: t.id.clone(),
            });
            all.push(Outcome::ThreatEnded {
                threat: t.id.clone(),
            });
            all.push(Outcome::ThreatLapsed {
                threat: t.id.clone(),
            });
        }
        for b in &scenario.bodies {
            for r in &b.resolutions {
                let (body, issue) = (b.id.clone(), r.issue.clone());
                all.push(Outcome::ResolutionAdopted {
                    body: body.clone(),
                    issue: issue.clone(),
                });
                all.push(Outcome::ResolutionVetoed {
                    body: body.clone(),
                    issue: issue.clone(),
                });
                all.push(Outcome::ResolutionFailed { body, issue });
            }
        }
        for g in scenario.linkage.iter().flat_map(|l| &l.groups) {
            let package = Outcome::GroupPackageAccepted {
                parties: g.parties.clone(),
            };
            if !all.contains(&package) {
                all.push(package);
            }
        }
        for p in scenario.linkage.iter().flat_map(|l| &l.pairs) {
            let package = Outcome::PackageAccepted {
                offerer: p.offerer.clone(),
                receiver: p.receiver.clone(),
            };
            if !all.contains(&package) {
                all.push(package);
            }
        }
        for f in &scenario.fronts {
            for side in &f.sides {
                all.push(Outcome::FrontTaken {
                    theatre: f.theatre.clone(),
                    front: f.id.clone(),
                    side: side.actor.clone(),
                });
            }
        }
        all
    }
}

/// A ceasefire's first spell in force over a run: how many rounds it held,
/// and whether it ended in a collapse (or held to the run's end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spell {
    /// Rounds from the one it came into force in (0 if in force at the
    /// start) to its first collapse, or to the run's last round.
    pub rounds: u32,
    /// Whether it collapsed (false: still in force when the run ended, a
    /// censored spell).
    pub collapsed: bool,
}

impl Spell {
    /// The first spell, from the round of the first agreement and of the
    /// first collapse, whether it is in force at the end and the run's last
    /// round: the one reading of a ceasefire's survival that reports and
    /// sweeps share. A collapse before any agreement (or with none) means it
    /// was in force from the start; `None`: it was never in force.
    pub fn first(
        agreed: Option<u32>,
        collapsed: Option<u32>,
        in_force_at_end: bool,
        last_round: u32,
    ) -> Option<Spell> {
        let start = match (agreed, collapsed) {
            (_, Some(c)) if agreed.is_none_or(|a| a > c) => 0,
            (Some(a), _) => a,
            (None, _) if in_force_at_end => 0,
            (None, _) => return None,
        };
        Some(match collapsed.filter(|&c| c >= start) {
            Some(c) => Spell {
                rounds: c - start,
                collapsed: true,
            },
            None => Spell {
                rounds: last_round.saturating_sub(start),
                collapsed: false,
            },
        })
    }
}

/// Whether an issue is of the linkage family (its `high_means` says so).
fn is_linkage(issue: &Issue) -> bool {
    let (high, low) = Family::Linkage.polarities();
    issue.high_means == Some(high) || issue.high_means == Some(low)
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.subject())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ceasefires_first_spell_runs_from_its_agreement_to_its_collapse() {
        let spell = |rounds, collapsed| Some(Spell { rounds, collapsed });
        assert_eq!(Spell::first(Some(5), Some(9), false, 26), spell(4, true));
        assert_eq!(Spell::first(Some(5), None, true, 26), spell(21, false));
        // In force at the start: collapsed before (or without) an agreement.
        assert_eq!(Spell::first(Some(12), Some(7), true, 26), spell(7, true));
        assert_eq!(Spell::first(None, Some(3), false, 26), spell(3, true));
        assert_eq!(Spell::first(None, None, true, 26), spell(26, false));
        assert_eq!(Spell::first(None, None, false, 26), None);
    }

    #[test]
    fn keys_read_back_as_the_outcomes_they_name() {
        let s: Scenario =
            serde_json::from_str(include_str!("../../../scenarios/moscow-2015-12-15.json"))
                .unwrap();
        let all = Outcome::possible(&s);
        assert!(all.len() > 10);
        for o in &all {
            assert_eq!(Outcome::parse(&o.key()).as_ref(), Some(o), "{o}");
        }
        assert!(all.contains(&Outcome::parse("package_accepted:RUS:USA").unwrap()));
        assert!(all.contains(&Outcome::parse("bargaining:cycled").unwrap()));
        assert_eq!(Outcome::parse("bargaining:sulking"), None);
        assert_eq!(Outcome::parse("telepathy:syria"), None);
        assert_eq!(Outcome::parse("agreement"), None);
        // An event type's name is not an outcome unless that event makes one.
        assert_eq!(Outcome::parse("strike:syria"), None);
    }

    /// An outcome an event makes happen is named as its event type, except
    /// an agreement (signed), how bargaining ended and a threat complied
    /// with (a `threat_answered` that complied).
    #[test]
    fn an_outcome_is_named_as_the_event_that_makes_it() {
        let s: Scenario =
            serde_json::from_str(include_str!("../../../scenarios/moscow-2015-12-15.json"))
                .unwrap();
        let run = crate::Run::new(&s, crate::RunConfig::default()).unwrap();
        let mut seen = 0;
        for envelope in run {
            let event = envelope.unwrap().event;
            let Some(outcome) = Outcome::of(&event) else {
                continue;
            };
            seen += 1;
            match outcome {
                Outcome::Agreement { .. }
                | Outcome::Bargaining { .. }
                | Outcome::ThreatComplied { .. } => {}
                _ => assert_eq!(outcome.kind(), event.name()),
            }
        }
        assert!(seen > 0);
    }
}
