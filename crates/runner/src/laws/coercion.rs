//! The laws of coercion across a sweep: with the shipped model and every
//! mechanism playing, a threat made more severe or more credible, or its
//! target's patron pressing harder toward compliance, lowers no chance
//! that the target complies (`threat_complied:ID`) beyond the 95% interval
//! of a paired sweep (the same seeds, common random numbers). The law
//! suite checks the same laws seed by seed with the threats alone
//! (`entente_core::laws`); here bargaining plays too, so they hold in
//! probability.
//!
//! The strengthenings: the threat's severity raised by 0.3 (kept within
//! 1); its author's capability doubled; the leverage of each of the
//! target's patrons who stands nearer than the target to everything the
//! threat asks raised to 1.

use std::ops::Range;

use entente_core::laws::Law;
use entente_core::scenario::Severity;
use entente_core::{Outcome, Scenario, State};

use super::Contradiction;
use crate::error::Result;
use crate::sweep::{self, Plan};

/// The seeds `check-laws` sweeps for the laws of coercion.
pub const COERCION_SEEDS: Range<u64> = 0..200;

/// One threat made stronger: which law it tests, what changed, and the
/// scenario with the change.
#[derive(Clone, Debug)]
pub struct Strengthened {
    /// The law the change tests.
    pub law: Law,
    /// What changed, in words.
    pub what: String,
    /// The threat's id.
    pub threat: String,
    /// The scenario with the change.
    pub scenario: Scenario,
}

/// Every strengthening of every threat of `scenario`.
pub fn strengthenings(scenario: &Scenario) -> Vec<Strengthened> {
    let opening = State::new(scenario);
    let mut all = Vec::new();
    for (k, t) in scenario.threats.iter().enumerate() {
        let mut severe = scenario.clone();
        let (share, uncertainty) = t.severity_share();
        severe.threats[k].severity = Some(Severity {
            share: (share + 0.3).min(1.0),
            uncertainty,
            basis: "check-laws".to_owned(),
        });
        all.push(Strengthened {
            law: Law::ThreatMonotone,
            what: format!("the severity of {} raised by 0.3", t.id),
            threat: t.id.clone(),
            scenario: severe,
        });
        all.push(Strengthened {
            law: Law::ThreatMonotone,
            what: format!("{}'s capability doubled", t.actor),
            threat: t.id.clone(),
            scenario: super::doubled(scenario, &t.actor),
        });
        let (Some(terms), Some(target)) = (opening.threat_terms(k), opening.actor(&t.target))
        else {
            continue;
        };
        for p in scenario.patrons.iter().filter(|p| p.client == t.target) {
            let Some(patron) = opening.actor(&p.patron) else {
                continue;
            };
            let nearer = !terms.moves.is_empty()
                && terms.moves.iter().all(|&(i, mark)| {
                    let gap = |a| opening.held(i, a).map(|h| (h.position - mark).abs());
                    gap(patron).zip(gap(target)).is_some_and(|(p, t)| p < t)
                });
            if !nearer || p.leverage >= 1.0 {
                continue;
            }
            let mut pressed = scenario.clone();
            for q in pressed
                .patrons
                .iter_mut()
                .filter(|q| q.patron == p.patron && q.client == t.target)
            {
                q.leverage = 1.0;
            }
            all.push(Strengthened {
                law: Law::PatronPressure,
                what: format!("{}'s leverage over {} raised to 1", p.patron, t.target),
                threat: t.id.clone(),
                scenario: pressed,
            });
        }
    }
    all
}

/// Sweeps `seeds` with each strengthening, paired with the scenario as
/// written, and returns each one whose chance of compliance falls beyond
/// its interval.
pub(super) fn contradictions(
    scenario: &Scenario,
    seeds: Range<u64>,
    jobs: usize,
) -> Result<Vec<(Strengthened, Contradiction)>> {
    let mut found = Vec::new();
    for s in strengthenings(scenario) {
        let plan = Plan::quiet(
            vec![scenario.clone(), s.scenario.clone()],
            seeds.clone(),
            jobs,
        );
        let output = sweep::sweep(&plan)?;
        let key = Outcome::ThreatComplied {
            threat: s.threat.clone(),
        }
        .key();
        let Some(p) = output.paired.iter().find(|p| p.outcome == key) else {
            continue;
        };
        if p.interval.1 < 0.0 {
            let contradiction = Contradiction {
                actor: s.what.clone(),
                outcome: key,
                favours: true,
                probabilities: (p.p_a, p.p_b),
                interval: p.interval,
            };
            found.push((s, contradiction));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minsk() -> Scenario {
        serde_json::from_str(include_str!("../../../../scenarios/minsk-i-2014.json")).unwrap()
    }

    #[test]
    fn each_threat_is_made_more_severe_and_more_credible() {
        let s = minsk();
        let all = strengthenings(&s);
        let whats: Vec<&str> = all.iter().map(|x| x.what.as_str()).collect();
        assert!(
            whats.starts_with(&[
                "the severity of eu_further_measures raised by 0.3",
                "EU's capability doubled"
            ]),
            "{whats:?}"
        );
        assert_eq!(all[0].scenario.threats[0].severity_share().0, 0.1 + 0.3);
        assert!(all.iter().all(|x| x.scenario.problems().is_empty()));
    }

    /// The coercion crises of the library (issue 28 §7): their threats keep
    /// the laws of coercion across a sweep, as Minsk I's does.
    #[test]
    fn no_strengthening_of_the_cuba_or_kosovo_threat_lowers_compliance() {
        let shipped: [Scenario; 2] = [
            serde_json::from_str(include_str!("../../../../scenarios/cuba-1962.json")).unwrap(),
            serde_json::from_str(include_str!("../../../../scenarios/kosovo-1999.json")).unwrap(),
        ];
        for scenario in &shipped {
            assert!(!strengthenings(scenario).is_empty(), "{}", scenario.id);
            let found = contradictions(scenario, 0..20, 1).unwrap();
            assert!(
                found.is_empty(),
                "{}: {:?}",
                scenario.id,
                found.iter().map(|(s, c)| (&s.what, c)).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn no_strengthening_of_the_minsk_threat_lowers_compliance() {
        let found = contradictions(&minsk(), 0..20, 1).unwrap();
        assert!(
            found.is_empty(),
            "{:?}",
            found.iter().map(|(s, c)| (&s.what, c)).collect::<Vec<_>>()
        );
    }
}
