//! The sections of a finished report, told from the stories the builder
//! accumulated, the scenario and the final state.

use entente_core::BargainingEnd;
use entente_core::Spell;
use entente_core::State;
use entente_core::forecast::Forecasts;
use entente_core::scenario::{Scenario, StopRule};
use entente_core::state::{Bargaining, CeasefireStatus, Stage, ThreatStatus};

use super::Builder;
use crate::report::{
    BargainingReport, CeasefireReport, CeasefireState, HeldReport, IssueReport, MomentKind,
    RegimeReport, RegimeStatus, StrikeReport, ThreatReport,
};

impl Builder {
    /// Every issue's report, in scenario order: its forecast (the cycle's
    /// mean once bargaining cycled), its series, its agreement and its moves.
    pub(super) fn issue_reports(&mut self, scenario: &Scenario, state: &State) -> Vec<IssueReport> {
        scenario
            .issues
            .iter()
            .enumerate()
            .map(|(i, issue)| IssueReport {
                id: issue.id.clone(),
                question: issue.question.clone(),
                low: issue.low.clone(),
                high: issue.high.clone(),
                principals: issue.principals.clone(),
                forecast: match state.bargaining() {
                    Bargaining::Cycled { .. } => state.final_forecasts(i),
                    _ => self.series[i].last().map_or_else(
                        || state.forecasts(i),
                        |p| Forecasts {
                            mean: p.mean,
                            median: p.median,
                        },
                    ),
                },
                series: std::mem::take(&mut self.series[i]),
                agreement: self.agreements[i].clone().map(|mut a| {
                    if scenario.agreement.implementation.is_some()
                        && let Some(now) = state.agreement(i)
                    {
                        a.stage = Some(
                            match now.stage {
                                Stage::Signed => "signed",
                                Stage::Implemented => "implemented",
                                Stage::Stalled => "stalled",
                            }
                            .to_owned(),
                        );
                        a.steps = Some(now.steps);
                    }
                    a
                }),
                moves: self.moves[i],
                movers: std::mem::take(&mut self.movers[i]),
            })
            .collect()
    }

    /// Every ceasefire's report, in scenario order, with its story.
    pub(super) fn ceasefire_reports(
        &mut self,
        scenario: &Scenario,
        state: &State,
    ) -> Vec<CeasefireReport> {
        scenario
            .ceasefires
            .iter()
            .zip(state.ceasefires())
            .map(|(rule, cf)| {
                let story = self.ceasefires.remove(&rule.theatre).unwrap_or_default();
                let first = |kind| story.iter().find(|m| m.kind == kind).cloned();
                let round = |kind| story.iter().find(|m| m.kind == kind).map(|m| m.round);
                let held = Spell::first(
                    round(MomentKind::Agreed),
                    round(MomentKind::Collapsed),
                    cf.status == CeasefireStatus::InForce,
                    state.closed().unwrap_or(0),
                )
                .map(|spell| HeldReport {
                    rounds: spell.rounds,
                    weeks: f64::from(spell.rounds) * f64::from(scenario.days_per_round) / 7.0,
                    collapsed: spell.collapsed,
                });
                CeasefireReport {
                    held,
                    theatre: rule.theatre.clone(),
                    issue: rule.issue.clone(),
                    parties: rule.parties.clone(),
                    brokers: rule.brokers.clone(),
                    in_force_at_start: rule.in_force,
                    status: match cf.status {
                        CeasefireStatus::NotAgreed => CeasefireState::NeverAgreed,
                        CeasefireStatus::InForce => CeasefireState::InForce,
                        CeasefireStatus::Collapsed => CeasefireState::Collapsed,
                    },
                    agreed: first(MomentKind::Agreed),
                    collapsed: first(MomentKind::Collapsed),
                    violations: story
                        .iter()
                        .filter(|m| m.kind == MomentKind::Violated)
                        .count() as u32,
                    story,
                }
            })
            .collect()
    }

    /// Every sanction regime's report, in scenario order, with its
    /// decisions.
    pub(super) fn regime_reports(
        &mut self,
        scenario: &Scenario,
        state: &State,
    ) -> Vec<RegimeReport> {
        scenario
            .sanctions
            .iter()
            .zip(state.regimes())
            .map(|(rule, r)| RegimeReport {
                id: rule.id.clone(),
                imposer: rule.members(scenario).join(", "),
                target: rule.target.clone(),
                status: RegimeStatus::at(r.level),
                level: r.level,
                decisions: self.decisions.remove(&rule.id).unwrap_or_default(),
            })
            .collect()
    }
}

/// Every striker's strikes in every theatre it struck in, as the state
/// counts them, in the order of the strikers' ids and then the theatres'.
pub(super) fn strike_reports(state: &State) -> Vec<StrikeReport> {
    state
        .strike_counts()
        .into_iter()
        .map(|c| {
            let [dt, oo, th] = c.counts;
            StrikeReport {
                striker: c.striker.to_owned(),
                theatre: c.theatre.to_owned(),
                designated_terrorists: dt,
                other_opposition: oo,
                threatened: th,
            }
        })
        .collect()
}

/// Every threat's report, in scenario order, as it stands at the end.
pub(super) fn threat_reports(scenario: &Scenario, state: &State) -> Vec<ThreatReport> {
    scenario
        .threats
        .iter()
        .zip(state.threats())
        .map(|(t, ts)| ThreatReport {
            id: t.id.clone(),
            actor: t.actor.clone(),
            target: t.target.clone(),
            status: match ts.status {
                ThreatStatus::Pending => "pending",
                ThreatStatus::Standing => "standing",
                ThreatStatus::CarriedOut => "carried_out",
                ThreatStatus::Withdrawn => "withdrawn",
                ThreatStatus::Lapsed => "lapsed",
                ThreatStatus::Ended => "ended",
            }
            .to_owned(),
            deadline: ts.deadline,
            extended: ts.extended,
        })
        .collect()
}

/// Every group package, whether the run accepted it, and, when it did
/// not, the best package found in the final state and who would lose by
/// it (`mechanism::explain_group`); nothing of it is in the log.
pub(super) fn group_reports(
    scenario: &Scenario,
    state: &State,
    happened: &[crate::report::Happened],
) -> Vec<crate::report::GroupReport> {
    scenario
        .linkage
        .iter()
        .flat_map(|l| l.groups.iter().map(move |g| (g, l.split)))
        .map(|(g, split)| {
            let key = entente_core::Outcome::GroupPackageAccepted {
                parties: g.parties.clone(),
            }
            .key();
            let accepted = happened.iter().any(|h| h.outcome == key);
            let parties: Vec<usize> = g.parties.iter().filter_map(|p| state.actor(p)).collect();
            let issues: Vec<usize> = g.issues.iter().filter_map(|i| state.issue(i)).collect();
            let why = (!accepted
                && parties.len() == g.parties.len()
                && issues.len() == g.issues.len())
            .then(|| entente_core::mechanism::explain_group(state, &parties, &issues, split))
            .flatten();
            let (best_shares, best_gains, losers) = why.map_or_else(Default::default, |w| {
                let losers = g
                    .parties
                    .iter()
                    .zip(&w.gains)
                    .filter(|&(_, &x)| x <= 1e-9)
                    .map(|(p, _)| p.clone())
                    .collect();
                (w.shares, w.gains, losers)
            });
            crate::report::GroupReport {
                parties: g.parties.clone(),
                issues: g.issues.clone(),
                accepted,
                best_shares,
                best_gains,
                losers,
            }
        })
        .collect()
}

/// How bargaining stood at the end, from the final state.
pub(super) fn bargaining_report(
    state: &State,
    stop: Option<StopRule>,
    endings: u32,
) -> BargainingReport {
    let (period, returns_to) = match state.bargaining() {
        Bargaining::Cycled {
            period, returns_to, ..
        } => (Some(*period), Some(*returns_to)),
        _ => (None, None),
    };
    let end = BargainingEnd::of(state);
    BargainingReport {
        status: end.word().to_owned(),
        round: state.bargaining().round(),
        period,
        returns_to,
        stop,
        // Every ending but one still standing was undone by a reopening.
        reopened: endings.saturating_sub(u32::from(end != BargainingEnd::Moving)),
        forecast_is_cycle_mean: end == BargainingEnd::Cycled,
        relative: None,
    }
}
