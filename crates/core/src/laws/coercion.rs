//! The laws of coercion (issue 28, §1), played with the threats mechanism
//! alone and the null model, so that a threat's numbers are all that
//! differ between two plays: until the target first complies the two plays
//! are the same, and the law compares the round it first complies in.
//!
//! - threat monotone: the threat's severity raised (by 0.3, kept within 1),
//!   or its author's capability doubled (for a condition on positions only:
//!   an outcome's mark is a forecast, which capability weighs), the target
//!   complies no later;
//! - patron pressure: the leverage of a patron who stands nearer than its
//!   client to everything the threat asks raised to 1, the client complies
//!   no later;
//! - idle threat: a threat whose condition holds when it is made (its
//!   condition replaced by one that always holds), played with every rule,
//!   changes nothing but its own events;
//! - withdrawn stays withdrawn: checked on every event (`checks`).
//!
//! These hold for every seed, not only in probability: the plays share
//! their random numbers (keyed by purpose, not by order). `entente
//! check-laws` also sweeps the shipped model's plays, where they hold in
//! probability.

use super::checks::violation;
use super::invariance::{still, without_shocks};
use super::{Deciders, Keep, Law, Suite, Violation};
use crate::event::{Answer, Cause, Event, Shift};
use crate::scenario::{Condition, ConditionForm, Scenario, Severity};
use crate::state::State;
use crate::{Envelope, RunConfig};

impl Suite {
    pub(super) fn coercion_laws(&self, scenario: &Scenario, seed: u64) -> Result<(), Violation> {
        if scenario.threats.is_empty() {
            return Ok(());
        }
        let config = RunConfig {
            seed,
            ..RunConfig::default()
        };
        let base = without_shocks(&still(scenario));
        for k in 0..scenario.threats.len() {
            self.threat_monotone(&base, k, &config)?;
            self.patron_pressure(&base, k, &config)?;
            self.idle_threat(scenario, k, &config)?;
        }
        Ok(())
    }

    /// The round the target of threat `k` first complies in, playing the
    /// threats mechanism alone.
    fn first_compliance(
        &self,
        scenario: &Scenario,
        k: usize,
        config: &RunConfig,
    ) -> Result<Option<u32>, Violation> {
        let (events, _) = self.play(scenario, config.clone(), Deciders::Threats, Keep::Ends)?;
        let id = &scenario.threats[k].id;
        Ok(events.iter().find_map(|e| match &e.event {
            Event::ThreatAnswered(a) if a.threat == *id && a.answer == Answer::Complied => {
                Some(e.round)
            }
            _ => None,
        }))
    }

    /// Whether `stronger` makes threat `k`'s target comply no later than
    /// `base` does.
    fn no_later(
        &self,
        law: Law,
        base: &Scenario,
        stronger: &Scenario,
        k: usize,
        config: &RunConfig,
        what: &str,
    ) -> Result<(), Violation> {
        let Some(a) = self.first_compliance(base, k, config)? else {
            return Ok(());
        };
        let b = self.first_compliance(stronger, k, config)?;
        if b.is_some_and(|b| b <= a) {
            return Ok(());
        }
        Err(violation(
            law,
            format!(
                "with {what}, the target of {} complies {} instead of in round {a}",
                base.threats[k].id,
                b.map_or_else(|| "never".to_owned(), |b| format!("in round {b}"))
            ),
        ))
    }

    fn threat_monotone(
        &self,
        base: &Scenario,
        k: usize,
        config: &RunConfig,
    ) -> Result<(), Violation> {
        let mut severe = base.clone();
        let t = &mut severe.threats[k];
        let (share, uncertainty) = t.severity_share();
        t.severity = Some(Severity {
            share: (share + 0.3).min(1.0),
            uncertainty,
            basis: "the law suite".to_owned(),
        });
        let law = Law::ThreatMonotone;
        self.no_later(law, base, &severe, k, config, "its severity raised")?;
        if !on_positions_only(&base.threats[k].condition) {
            return Ok(());
        }
        let mut credible = base.clone();
        let author = base.threats[k].actor.clone();
        for a in credible.actors.iter_mut().filter(|a| a.id == author) {
            a.capability = (a.capability * 2.0).min(crate::limits::MAX_CAPABILITY);
        }
        self.no_later(
            law,
            base,
            &credible,
            k,
            config,
            "its author's capability doubled",
        )
    }

    fn patron_pressure(
        &self,
        base: &Scenario,
        k: usize,
        config: &RunConfig,
    ) -> Result<(), Violation> {
        let t = &base.threats[k];
        let opening = State::new(base);
        let Some(terms) = opening.threat_terms(k) else {
            return Ok(());
        };
        let Some(target) = opening.actor(&t.target) else {
            return Ok(());
        };
        let nearer = |p: usize| {
            terms.moves.iter().all(|&(i, mark)| {
                let gap = |a| opening.held(i, a).map(|h| (h.position - mark).abs());
                gap(p).zip(gap(target)).is_some_and(|(p, t)| p < t)
            })
        };
        for patron in base.patrons.iter().filter(|p| p.client == t.target) {
            let Some(p) = opening.actor(&patron.patron) else {
                continue;
            };
            if patron.leverage >= 1.0 || terms.moves.is_empty() || !nearer(p) {
                continue;
            }
            let mut pressed = base.clone();
            for q in pressed
                .patrons
                .iter_mut()
                .filter(|q| q.patron == patron.patron && q.client == t.target)
            {
                q.leverage = 1.0;
            }
            let what = format!("{}'s leverage raised to 1", patron.patron);
            self.no_later(Law::PatronPressure, base, &pressed, k, config, &what)?;
        }
        Ok(())
    }

    fn idle_threat(
        &self,
        scenario: &Scenario,
        k: usize,
        config: &RunConfig,
    ) -> Result<(), Violation> {
        let t = &scenario.threats[k];
        // A condition that always holds: the target at least 0 on an issue
        // it holds a stance on.
        let Some(issue) = scenario
            .stances
            .iter()
            .find(|s| s.actor == t.target)
            .map(|s| s.issue.clone())
        else {
            return Ok(());
        };
        let mut idle = scenario.clone();
        idle.threats[k].condition = Condition::position(&issue, Some(0.0), None);
        let mut without = scenario.clone();
        without.threats.remove(k);
        let (a, _) = self.play(&idle, config.clone(), Deciders::All, Keep::Ends)?;
        let (b, _) = self.play(&without, config.clone(), Deciders::All, Keep::Ends)?;
        let a: Vec<(u32, &Event)> = a
            .iter()
            .filter(|e| !about(&e.event, &t.id))
            .map(|e: &Envelope| (e.round, &e.event))
            .collect();
        let b: Vec<(u32, &Event)> = b.iter().map(|e| (e.round, &e.event)).collect();
        if a == b {
            return Ok(());
        }
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        Err(violation(
            Law::IdleThreat,
            format!(
                "{} with a condition that holds when it is made changes the run: its {}th other event is {:?} instead of {:?}",
                t.id,
                at + 1,
                a.get(at),
                b.get(at)
            ),
        ))
    }
}

/// Whether a condition names positions only (no outcome).
fn on_positions_only(c: &Condition) -> bool {
    match c.form() {
        ConditionForm::Position { .. } => true,
        ConditionForm::AllOf(cs) | ConditionForm::AnyOf(cs) => cs.iter().all(on_positions_only),
        ConditionForm::Outcome(_) | ConditionForm::Malformed => false,
    }
}

/// Whether an event is threat `id`'s own record or one of its moves.
fn about(e: &Event, id: &str) -> bool {
    match e {
        Event::ThreatMade(r)
        | Event::ThreatExtended(r)
        | Event::ThreatCarriedOut(r)
        | Event::ThreatWithdrawn(r)
        | Event::ThreatLapsed(r)
        | Event::ThreatEnded(r) => r.threat == id,
        Event::ThreatAnswered(a) => a.threat == id,
        Event::PositionChanged(p) => matches!(&p.cause, Cause::Threat { threat } if threat == id),
        Event::SalienceChanged(c) => matches!(&c.cause, Shift::Threat { threat } if threat == id),
        Event::CapabilityChanged(c) => matches!(&c.cause, Shift::Threat { threat } if threat == id),
        Event::TrustChanged(c) => matches!(&c.cause, Shift::Threat { threat } if threat == id),
        _ => false,
    }
}
