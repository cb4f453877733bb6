//! The compromise model: each round every actor steps toward the issue's
//! capability×salience weighted mean, x ← x + λ·(1 − s)·(mean − x). Actors
//! that care most move least. Moves smaller than [`MIN_MOVE`] are not made, so
//! a converged issue stops writing events.

use super::Model;
use crate::event::{Cause, Event, PositionChanged};
use crate::mechanism::Context;

/// The smallest move the compromise model makes, in points.
pub const MIN_MOVE: f64 = 1e-6;

/// The compromise model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompromiseModel {
    /// The step toward the mean, in (0, 1].
    pub lambda: f64,
}

impl Model for CompromiseModel {
    fn decider(&self) -> &str {
        "compromise"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        // At most one move per member of each issue: room for all at once.
        let mut events = Vec::with_capacity(
            (0..state.issues().len())
                .map(|i| state.members(i).len())
                .sum(),
        );
        for (i, issue) in state.issues().iter().enumerate() {
            if state.settled(i) {
                continue;
            }
            let mean = state.mean(i);
            for &a in state.members(i) {
                let Some(held) = state.held(i, a) else {
                    continue;
                };
                let step = self.lambda * (1.0 - held.salience) * (mean - held.position);
                if step.abs() < MIN_MOVE {
                    continue;
                }
                events.push(Event::PositionChanged(PositionChanged {
                    actor: state.actors()[a].clone(),
                    issue: issue.clone(),
                    from: held.position,
                    to: crate::scale::clamp(held.position + step),
                    cause: Cause::CompromiseModel {
                        mean,
                        lambda: self.lambda,
                    },
                }));
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    //! The compromise model's fixed point. With a = c·s/(1 − s), a step
    //! changes Σ a·x by λ·Σ c·s·(m − x) = 0, since m is the c·s-weighted
    //! mean; so the a-weighted mean of the positions holds still, round
    //! after round, and the positions, each stepping toward m, close on it.

    use proptest::prelude::*;

    use crate::event::Event;
    use crate::scenario::{ModelConfig, ModelKind, Scenario};
    use crate::state::State;
    use crate::testing::{Sizes, scenario};
    use crate::{Run, RunConfig};

    /// The mean of the positions on `issue` weighted by c·s/(1 − s).
    fn fixed_point(state: &State, issue: usize) -> f64 {
        let (mut sum, mut weight) = (0.0, 0.0);
        for &k in state.members(issue) {
            if let Some(h) = state.held(issue, k) {
                let a = state.capability(k) * h.salience / (1.0 - h.salience);
                sum += a * h.position;
                weight += a;
            }
        }
        sum / weight
    }

    /// `s` under the compromise model alone, as the law states it: no
    /// draws, every salience under 1, no stop rule, and no agreement that
    /// would settle an issue before its positions meet.
    fn bare(mut s: Scenario, lambda: f64) -> Scenario {
        s.model = ModelConfig {
            kind: ModelKind::Compromise,
            lambda,
            stop: None,
            ..ModelConfig::default()
        };
        for a in &mut s.actors {
            a.capability_uncertainty = 0.0;
        }
        for st in &mut s.stances {
            st.uncertainty = 0.0;
            st.salience_uncertainty = 0.0;
            st.salience = st.salience.min(0.9);
        }
        s.agreement.tolerance = 0.0;
        s
    }

    /// The fixed point of every issue after each round's close, round 0
    /// first, and the state at the end.
    fn play(s: &Scenario) -> (Vec<Vec<f64>>, State) {
        let mut run = Run::new(s, RunConfig::default()).expect("a valid scenario");
        let mut closes = Vec::new();
        while let Some(envelope) = run.next() {
            let envelope = envelope.expect("the engine's own events");
            if matches!(envelope.event, Event::RoundClosed(_)) {
                let state = run.state();
                closes.push((0..s.issues.len()).map(|i| fixed_point(state, i)).collect());
            }
        }
        (closes, run.state().clone())
    }

    /// The three actors below, their saliences, λ = 1, 200 rounds.
    fn three_actors(saliences: [f64; 3]) -> Scenario {
        let mut s: Scenario =
            serde_json::from_str(include_str!("../../tests/data/two-actors.json"))
                .expect("a valid built-in scenario");
        let mut third = s.actors[1].clone();
        third.id = "C".to_owned();
        s.actors.push(third);
        let mut stance = s.stances[1].clone();
        stance.actor = "C".to_owned();
        s.stances.push(stance);
        for (a, c) in s.actors.iter_mut().zip([4.0, 5.0, 9.0]) {
            a.capability = c;
        }
        for (st, (salience, x)) in s
            .stances
            .iter_mut()
            .zip(saliences.into_iter().zip([10.0, 60.0, 90.0]))
        {
            st.salience = salience;
            st.position = x;
        }
        s.rounds = 200;
        bare(s, 1.0)
    }

    /// Three actors (capability, salience, position): (4, 0.2, 10),
    /// (5, 0.5, 60), (9, 0.8, 90). Their weights c·s/(1 − s) are 1, 5 and
    /// 36, so they meet at (10 + 300 + 3240)/42 = 84.52…, far from the
    /// c·s-weighted mean they open at (806/10.5 = 76.76…).
    #[test]
    fn three_actors_meet_at_the_mean_weighted_by_c_s_over_1_minus_s() {
        let s = three_actors([0.2, 0.5, 0.8]);
        let (closes, end) = play(&s);
        let expected = 3550.0 / 42.0;
        assert!((closes[0][0] - expected).abs() < 1e-12, "{}", closes[0][0]);
        for k in 0..3 {
            let x = end.held(0, k).expect("a stance").position;
            assert!(
                (x - expected).abs() < 1e-4,
                "actor {k} ends at {x}, not {expected}"
            );
        }
    }

    /// An actor of salience 1 never moves, and the others meet where it
    /// stands (with several such actors, at their capability-weighted mean).
    #[test]
    fn an_actor_of_salience_one_holds_and_the_others_meet_it() {
        let mut s = three_actors([0.2, 0.5, 0.8]);
        s.stances[2].salience = 1.0;
        let (_, end) = play(&s);
        for k in 0..3 {
            let x = end.held(0, k).expect("a stance").position;
            assert!((x - 90.0).abs() < 1e-4, "actor {k} ends at {x}, not 90");
        }
        assert_eq!(end.held(0, 2).expect("a stance").position, 90.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// On any scenario, every round keeps each issue's c·s/(1 − s)
        /// mean where it opened, to the moves under `MIN_MOVE` the model
        /// does not make (at most that much a round).
        #[test]
        fn every_round_keeps_the_mean_weighted_by_c_s_over_1_minus_s(
            s in scenario(Sizes { rounds: 12..=12, timeline: 0..=0, mechanisms: false, ..Sizes::default() }),
            lambda in (1u32..=10).prop_map(|l| f64::from(l) / 10.0),
        ) {
            let (closes, _) = play(&bare(s, lambda));
            for (round, close) in closes.iter().enumerate() {
                for (i, (&now, &opened)) in close.iter().zip(&closes[0]).enumerate() {
                    let drift = (now - opened).abs();
                    let allowed = super::MIN_MOVE * round as f64 + 1e-9;
                    prop_assert!(drift <= allowed, "issue {i}, round {round}: {opened} became {now}");
                }
            }
        }
    }
}
