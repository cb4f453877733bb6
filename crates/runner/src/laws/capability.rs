//! The capability law across a sweep: doubling an actor's capability lowers
//! no outcome its stances favour, and raises none they oppose, beyond the
//! 95% interval of a paired sweep (the same seeds, common random numbers).
//!
//! What a stance favours is read from the mechanisms' own thresholds, where
//! an outcome has a direction on an issue: a ceasefire is agreed when its
//! parties' mean reaches the threshold, so an actor at or above it favours
//! the agreement and one below opposes it; a regime's member votes as the
//! sanctions mechanism's `vote` says (renew at or above `renew_at`, lift at
//! or below `lift_below`, ease in between), so an actor favours the
//! decision its own vote asks for and opposes the ones it does not. A
//! ceasefire in force at the start is agreed only after it collapses, so
//! its agreement has no direction; nor do collapses, agreements and
//! packages, which are not judged.

use std::ops::Range;

use entente_core::event::Vote;
use entente_core::mechanism::vote;
use entente_core::scenario::Family;
use entente_core::{Outcome, Scenario};

use crate::error::Result;
use crate::stats::Paired;
use crate::sweep::{self, RunOutcome};

/// The seeds `check-laws` sweeps for the capability law.
pub const CAPABILITY_SEEDS: Range<u64> = 0..200;

/// An outcome an actor's stance favours (`true`) or opposes (`false`).
pub type Leaning = (Outcome, bool);

/// What `actor`'s opening stances favour and oppose.
pub fn leanings(scenario: &Scenario, actor: &str) -> Vec<Leaning> {
    // Read as the issue's polarity says: high = a ceasefire now, keep.
    let position = |issue: &str, family: Family| {
        let read = scenario.issues.iter().find(|i| i.id == issue)?;
        scenario
            .stances
            .iter()
            .find(|s| s.actor == actor && s.issue == issue)
            .map(|s| read.reading(family, s.position))
    };
    let mut all = Vec::new();
    for c in scenario.ceasefires.iter().filter(|c| !c.in_force) {
        if let Some(x) = position(&c.issue, Family::Ceasefire) {
            let agreed = Outcome::CeasefireAgreed {
                theatre: c.theatre.clone(),
            };
            all.push((agreed, x >= c.threshold));
        }
    }
    for r in &scenario.sanctions {
        let Some(x) = position(&r.issue, Family::Sanctions) else {
            continue;
        };
        let eased = Outcome::SanctionsEased {
            regime: r.id.clone(),
        };
        let lifted = Outcome::SanctionsLifted {
            regime: r.id.clone(),
        };
        match vote(r, x) {
            Vote::Renew => all.extend([(eased, false), (lifted, false)]),
            Vote::Ease => all.extend([(eased, true), (lifted, false)]),
            Vote::Lift => all.push((lifted, true)),
        }
    }
    all
}

/// A leaning the paired sweep contradicts.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Contradiction {
    /// The actor whose capability was doubled.
    pub actor: String,
    /// The outcome.
    pub outcome: String,
    /// Whether the actor's stance favours it.
    pub favours: bool,
    /// Its probability as written, and with the capability doubled.
    pub probabilities: (f64, f64),
    /// The 95% interval of the difference.
    pub interval: (f64, f64),
}

impl std::fmt::Display for Contradiction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (a, b) = self.probabilities;
        write!(
            f,
            "doubling {}'s capability {} P({}), which its stance {}, from {:.1}% to {:.1}% (difference {:+.1} points [{:+.1}, {:+.1}])",
            self.actor,
            if b < a { "lowers" } else { "raises" },
            self.outcome,
            if self.favours { "favours" } else { "opposes" },
            100.0 * a,
            100.0 * b,
            100.0 * (b - a),
            100.0 * self.interval.0,
            100.0 * self.interval.1
        )
    }
}

/// The scenario with `actor`'s capability doubled.
pub fn doubled(scenario: &Scenario, actor: &str) -> Scenario {
    let mut raised = scenario.clone();
    for a in raised.actors.iter_mut().filter(|a| a.id == actor) {
        a.capability = (a.capability * 2.0).min(entente_core::limits::MAX_CAPABILITY);
    }
    raised
}

/// The principals of every issue, each once, in order of first mention.
pub fn principals(scenario: &Scenario) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for p in scenario.issues.iter().flat_map(|i| &i.principals) {
        if !all.contains(p) {
            all.push(p.clone());
        }
    }
    all
}

/// Whether a paired difference's interval goes against a leaning: wholly
/// below 0 for an outcome the stance favours, wholly above for one it
/// opposes.
fn contradicts(favours: bool, interval: (f64, f64)) -> bool {
    if favours {
        interval.1 < 0.0
    } else {
        interval.0 > 0.0
    }
}

/// Sweeps `seeds` with each of `actors` doubled in turn, paired with the
/// scenario as written, and returns every leaning contradicted beyond its
/// interval. The scenario as written is played once for every actor (the
/// pairs are the same seeds, so its runs are the same); each doubled
/// variant is played against them.
pub fn contradictions(
    scenario: &Scenario,
    actors: &[String],
    seeds: Range<u64>,
    jobs: usize,
) -> Result<Vec<Contradiction>> {
    let pool = sweep::pool(jobs)?;
    let outcomes = Outcome::possible(scenario);
    let mut base: Option<Vec<RunOutcome>> = None;
    let mut found = Vec::new();
    for actor in actors {
        let leanings = leanings(scenario, actor);
        if leanings.is_empty() {
            continue;
        }
        let base = match &mut base {
            Some(runs) => &*runs,
            None => base.insert(sweep::play_seeds(
                &pool,
                scenario,
                &outcomes,
                seeds.clone(),
            )?),
        };
        let raised = doubled(scenario, actor);
        let raised_outcomes = Outcome::possible(&raised);
        let runs = sweep::play_seeds(&pool, &raised, &raised_outcomes, seeds.clone())?;
        for (outcome, favours) in leanings {
            let a = outcomes.iter().position(|o| *o == outcome);
            let b = raised_outcomes.iter().position(|o| *o == outcome);
            if a.is_none() && b.is_none() {
                continue;
            }
            let pairs = base.iter().zip(&runs).map(|(x, y)| {
                let happened =
                    |run: &RunOutcome, k: Option<usize>| k.and_then(|k| run.first[k]).is_some();
                (happened(x, a), happened(y, b))
            });
            let counts = Paired::count(pairs);
            let (_, lo, hi) = counts.difference();
            if contradicts(favours, (lo, hi)) {
                found.push(Contradiction {
                    actor: actor.clone(),
                    outcome: outcome.key(),
                    favours,
                    probabilities: counts.proportions(),
                    interval: (lo, hi),
                });
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moscow() -> Scenario {
        serde_json::from_str(include_str!("../../../../scenarios/moscow-2015-12-15.json")).unwrap()
    }

    fn keys(leanings: &[Leaning], favours: bool) -> Vec<String> {
        leanings
            .iter()
            .filter(|(_, f)| *f == favours)
            .map(|(o, _)| o.key())
            .collect()
    }

    #[test]
    fn stances_favour_what_their_positions_would_decide() {
        let s = moscow();
        // Russia, at 10 on sanctions (below every lift_below) and 50 on the
        // Syrian ceasefire (below its threshold of 60): lifting, and against
        // the ceasefire.
        let rus = leanings(&s, "RUS");
        assert_eq!(
            keys(&rus, true),
            [
                "sanctions_lifted:eu_sectoral",
                "sanctions_lifted:eu_individual",
                "sanctions_lifted:eu_crimea",
                "sanctions_lifted:us_ukraine"
            ]
        );
        assert_eq!(keys(&rus, false), ["ceasefire_agreed:syria"]);
        // Read by polarity: with the sanctions issue turned over (high =
        // lift), Russia's 90 is still a stance for lifting.
        let mut turned = s.clone();
        for issue in turned
            .issues
            .iter_mut()
            .filter(|i| i.id == "russia_sanctions")
        {
            issue.high_means = Some(entente_core::scenario::HighMeans::LiftSanctions);
        }
        for st in turned
            .stances
            .iter_mut()
            .filter(|st| st.issue == "russia_sanctions")
        {
            st.position = entente_core::scale::mirror(st.position);
        }
        assert_eq!(keys(&leanings(&turned, "RUS"), true), keys(&rus, true));
        // The United States, at 90 on sanctions: against every easing and
        // lifting. The eastern Ukraine ceasefire, in force at the start, is
        // judged for nobody.
        let usa = leanings(&s, "USA");
        assert_eq!(keys(&usa, true), ["ceasefire_agreed:syria"]);
        assert_eq!(keys(&usa, false).len(), 8);
        assert!(
            usa.iter()
                .all(|(o, _)| !o.key().contains("eastern_ukraine"))
        );
        // An actor between lift_below and renew_at favours easing and
        // opposes lifting.
        let mut between = s.clone();
        for st in between.stances.iter_mut() {
            if st.actor == "DEU" && st.issue == "russia_sanctions" {
                st.position = 40.0;
            }
        }
        let eu = leanings(&between, "DEU");
        assert!(keys(&eu, true).contains(&"sanctions_eased:eu_sectoral".to_owned()));
        assert!(keys(&eu, false).contains(&"sanctions_lifted:eu_sectoral".to_owned()));
    }

    /// A stance leans as the sanctions mechanism's `vote` says, at the
    /// thresholds too: exactly at `lift_below` the member votes to lift, so
    /// its stance favours lifting.
    #[test]
    fn a_stance_leans_as_its_vote_at_every_threshold() {
        let s = moscow();
        for r in &s.sanctions {
            let issue = s.issues.iter().find(|i| i.id == r.issue).unwrap();
            let on_the_issue = |x: f64| issue.reading(Family::Sanctions, x);
            let at = [
                0.0,
                r.lift_below - 0.5,
                r.lift_below,
                r.renew_at - 0.5,
                r.renew_at,
            ];
            for x in at.into_iter().filter(|&x| x >= 0.0) {
                let mut placed = s.clone();
                for st in placed.stances.iter_mut() {
                    if st.actor == "DEU" && st.issue == r.issue {
                        st.position = on_the_issue(x);
                    }
                }
                let regime = r.id.clone();
                let eased = Outcome::SanctionsEased {
                    regime: regime.clone(),
                };
                let lifted = Outcome::SanctionsLifted { regime };
                let mine: Vec<Leaning> = leanings(&placed, "DEU")
                    .into_iter()
                    .filter(|(o, _)| *o == eased || *o == lifted)
                    .collect();
                let expected = match vote(r, x) {
                    Vote::Renew => vec![(eased, false), (lifted, false)],
                    Vote::Ease => vec![(eased, true), (lifted, false)],
                    Vote::Lift => vec![(lifted, true)],
                };
                assert_eq!(mine, expected, "{} at {x}", r.id);
            }
        }
    }

    #[test]
    fn only_an_interval_wholly_against_the_leaning_contradicts_it() {
        assert!(contradicts(true, (-0.06, -0.01)));
        assert!(!contradicts(true, (-0.06, 0.01)));
        assert!(!contradicts(true, (0.01, 0.06)));
        assert!(contradicts(false, (0.01, 0.06)));
        assert!(!contradicts(false, (-0.01, 0.06)));
        assert!(!contradicts(false, (-0.06, -0.01)));
    }

    #[test]
    fn doubling_names_one_actor_and_principals_are_listed_once() {
        let s = moscow();
        let d = doubled(&s, "RUS");
        let cap = |s: &Scenario, id: &str| s.actors.iter().find(|a| a.id == id).unwrap().capability;
        assert_eq!(cap(&d, "RUS"), 2.0 * cap(&s, "RUS"));
        assert_eq!(cap(&d, "USA"), cap(&s, "USA"));
        // Moscow names USA and RUS as principals of several issues, not
        // next to each other: a set, not `dedup`, tells whether any is
        // listed twice.
        let p = principals(&s);
        let unique: std::collections::BTreeSet<&String> = p.iter().collect();
        assert_eq!(p.len(), unique.len(), "{p:?}");
        let named: std::collections::BTreeSet<&String> =
            s.issues.iter().flat_map(|i| &i.principals).collect();
        assert_eq!(unique, named);
        assert!(p.contains(&"SEP".to_owned()));
    }
}
