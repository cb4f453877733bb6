//! The rules of fighting on a front, stated once (docs/models.md,
//! "Fronts"): the contest function that turns forces into control, what a
//! strike takes out, what a side loses, and what it learns. The state reads
//! them to settle and check `control_changed`, the fronts mechanism to
//! decide its costs, the law suite to hold them to their laws.
//!
//! Every function treats the two sides alike: each side's number is
//! computed by the same operations on (its own, its enemy's) values, so
//! listing the sides the other way round gives the same bits.

use crate::scenario::{Contest, Fighting};

/// The shares of a round's fighting each side wins, by the contest
/// function: Tullock's ratio form F_a^m / (F_a^m + F_b^m), or, for
/// Lanchester's square law, ½ + ½·(F_a² − F_b²)/max(F_a², F_b²) (the
/// share the square law's advance gives). `None` when neither side has
/// forces there: nobody fights.
pub fn contest(fighting: &Fighting, forces: [f64; 2]) -> Option<[f64; 2]> {
    let [a, b] = forces;
    if !(a > 0.0 || b > 0.0) {
        return None;
    }
    Some(match fighting.contest {
        Contest::Tullock => {
            let (pa, pb) = (
                libm::pow(a, fighting.decisiveness),
                libm::pow(b, fighting.decisiveness),
            );
            let total = pa + pb;
            [pa / total, pb / total]
        }
        Contest::Lanchester => [square_share(a, b), square_share(b, a)],
    })
}

/// One side's share under the square law.
fn square_share(own: f64, enemy: f64) -> f64 {
    0.5 + 0.5 * advance(own, enemy)
}

/// The square law's advance of a side over its enemy, in [−1, 1]:
/// (F_own² − F_enemy²) / max(F_own², F_enemy²).
fn advance(own: f64, enemy: f64) -> f64 {
    let (o, e) = (own * own, enemy * enemy);
    let top = o.max(e);
    if top > 0.0 { (o - e) / top } else { 0.0 }
}

/// Control after a round of fighting. Tullock: each side's share moves
/// `rate` of the way to what the contest gives it. Lanchester: the side
/// ahead takes `rate` × its advance of what its enemy holds, the side
/// behind loses as much. Each share is kept in [0, 1].
pub fn step(fighting: &Fighting, control: [f64; 2], forces: [f64; 2]) -> Option<[f64; 2]> {
    let rate = fighting.rate;
    let shares = contest(fighting, forces)?;
    let next = match fighting.contest {
        Contest::Tullock => [
            control[0] + rate * (shares[0] - control[0]),
            control[1] + rate * (shares[1] - control[1]),
        ],
        Contest::Lanchester => [
            lanchester_side(rate, control[0], control[1], forces[0], forces[1]),
            lanchester_side(rate, control[1], control[0], forces[1], forces[0]),
        ],
    };
    Some(next.map(|c| c.clamp(0.0, 1.0)))
}

/// One side's control after a round under the square law.
fn lanchester_side(rate: f64, own: f64, enemy_holds: f64, f_own: f64, f_enemy: f64) -> f64 {
    let adv = advance(f_own, f_enemy);
    if adv >= 0.0 {
        own + rate * adv * enemy_holds
    } else {
        // The enemy's advance over this side, on what this side holds.
        own - rate * advance(f_enemy, f_own) * own
    }
}

/// A side's forces this round: its own and its patrons' (each counted
/// times the patron's leverage), less what the strikes on it took out:
/// × (1 − per_strike)^hits.
pub fn forces_after_strikes(fighting: &Fighting, base: f64, hits: u32) -> f64 {
    base * survival(fighting, hits)
}

/// The share of a side's forces that survives `hits` strikes.
fn survival(fighting: &Fighting, hits: u32) -> f64 {
    libm::pow(1.0 - fighting.per_strike, f64::from(hits))
}

/// What a round cost a side: the control it lost plus the share of its
/// forces the strikes on it took out (each in [0, 1]).
pub fn loss(fighting: &Fighting, from: f64, to: f64, hits: u32) -> f64 {
    (from - to).max(0.0) + (1.0 - survival(fighting, hits))
}

/// The contest share a side expects to win before fighting: its forces
/// seen × (1 + optimism) against the enemy's as they are (Fearon's private
/// information: each side overrates itself).
pub fn expected(fighting: &Fighting, own: f64, enemy: f64) -> f64 {
    contest(fighting, [own * (1.0 + fighting.optimism), enemy]).map_or(0.5, |s| s[0])
}

/// A side's belief about its contest share after seeing a round's result:
/// `learning` of the way from what it expected to what it won.
pub fn revise(fighting: &Fighting, expected: f64, won: f64) -> f64 {
    expected + fighting.learning * (won - expected)
}

/// The points a side lowers its demand by (moves toward a ceasefire) after
/// a round in which it won less than it expected: 100 × `learning` × the
/// shortfall; nothing when it did as well or better.
pub fn lowered_demand(fighting: &Fighting, expected: f64, won: f64) -> f64 {
    100.0 * fighting.learning * (expected - won).max(0.0)
}

/// The largest share a side may gain on a front in a round that still
/// counts as nobody gaining ground.
pub const STALEMATE_GAIN: f64 = 0.01;

/// Whether a theatre's round was a mutually hurting stalemate (Zartman's
/// ripeness): every front of the theatre was fought over (`Some`: the
/// largest share a side gained there), so both sides bled, and on none did
/// a side gain more than [`STALEMATE_GAIN`]. `None` for a front nobody
/// fought over that round (a ceasefire held, or no forces).
pub fn stalemate(fronts: &[Option<f64>]) -> bool {
    !fronts.is_empty()
        && fronts
            .iter()
            .all(|g| g.is_some_and(|gain| gain < STALEMATE_GAIN))
}

/// Rounds after a theatre's first stalemate within which a ceasefire
/// agreed counts as following it (the sweep's ripeness count).
pub const RIPENESS_WINDOW: u32 = 4;

/// Watches a run's events for rounds of mutually hurting stalemate, front
/// by front: the one reading of `control_changed` events that the report
/// and the sweep share.
#[derive(Clone, Debug, Default)]
pub struct StalemateWatch {
    /// Each front's theatre and id, in scenario order.
    fronts: Vec<(String, String)>,
    /// Per front, the largest share a side gained this round, if it was
    /// fought over.
    gains: Vec<Option<f64>>,
}

impl StalemateWatch {
    /// A watch over the scenario's fronts.
    pub fn new(scenario: &crate::Scenario) -> StalemateWatch {
        StalemateWatch {
            fronts: scenario
                .fronts
                .iter()
                .map(|f| (f.theatre.clone(), f.id.clone()))
                .collect(),
            gains: vec![None; scenario.fronts.len()],
        }
    }

    /// The fronts' theatres, sorted and each once.
    pub fn theatres(&self) -> Vec<String> {
        let set: std::collections::BTreeSet<&String> = self.fronts.iter().map(|(t, _)| t).collect();
        set.into_iter().cloned().collect()
    }

    /// Notes an event. At a round's close, returns for each front (in
    /// scenario order) whether its theatre's round was a stalemate
    /// ([`stalemate`]), and starts the next round.
    pub fn observe(&mut self, event: &crate::Event) -> Option<Vec<bool>> {
        match event {
            crate::Event::ControlChanged(c) => {
                if let Some(k) = self
                    .fronts
                    .iter()
                    .position(|(_, id)| *id == c.front.as_str())
                {
                    let gain = c
                        .sides
                        .iter()
                        .map(|s| (s.to - s.from).abs())
                        .fold(0.0, f64::max);
                    self.gains[k] = Some(gain);
                }
                None
            }
            crate::Event::RoundClosed(_) => {
                let marks = self
                    .fronts
                    .iter()
                    .map(|(theatre, _)| {
                        let of_theatre: Vec<Option<f64>> = self
                            .fronts
                            .iter()
                            .zip(&self.gains)
                            .filter(|((t, _), _)| t == theatre)
                            .map(|(_, g)| *g)
                            .collect();
                        stalemate(&of_theatre)
                    })
                    .collect();
                self.gains.fill(None);
                Some(marks)
            }
            _ => None,
        }
    }

    /// The theatre of front `k`.
    pub fn theatre_of(&self, k: usize) -> Option<&str> {
        self.fronts.get(k).map(|(t, _)| t.as_str())
    }
}

/// Whether a way out of the fighting in `theatre` stands open (Zartman's
/// ripe moment needs one beside the stalemate): its ceasefire, not in
/// force, has brokers, or one of its parties stands at or above its
/// threshold, read as high = a ceasefire now.
pub fn way_out(scenario: &crate::Scenario, state: &crate::State, theatre: &str) -> bool {
    let Some(k) = state.ceasefire_index(theatre) else {
        return false;
    };
    let (cf, Some(rule)) = (
        &state.ceasefires()[k],
        scenario.ceasefires.iter().find(|c| c.theatre == theatre),
    ) else {
        return false;
    };
    if cf.status == crate::state::CeasefireStatus::InForce {
        return false;
    }
    !cf.brokers.is_empty()
        || cf.parties.iter().any(|&p| {
            state
                .held(cf.issue, p)
                .is_some_and(|h| state.ceasefire_reading(k, h.position) >= rule.threshold)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(contest: Contest) -> Fighting {
        Fighting {
            contest,
            rate: 0.5,
            per_strike: 0.1,
            ..Fighting::default()
        }
    }

    #[test]
    fn tullock_is_the_ratio_form() {
        let f = Fighting {
            decisiveness: 2.0,
            ..rules(Contest::Tullock)
        };
        let s = contest(&f, [3.0, 1.0]).expect("forces");
        assert!((s[0] - 0.9).abs() < 1e-12, "{s:?}");
        // Half the way from 0.5 to 0.9.
        let next = step(&f, [0.5, 0.5], [3.0, 1.0]).expect("forces");
        assert!((next[0] - 0.7).abs() < 1e-12 && (next[1] - 0.3).abs() < 1e-12);
    }

    #[test]
    fn lanchester_advances_by_the_square_law() {
        let f = rules(Contest::Lanchester);
        // F² 4 against 1: advance 3/4 of the enemy's 0.4, at rate 0.5.
        let next = step(&f, [0.6, 0.4], [2.0, 1.0]).expect("forces");
        assert!((next[0] - 0.75).abs() < 1e-12 && (next[1] - 0.25).abs() < 1e-12);
        assert_eq!(step(&f, [0.6, 0.4], [1.0, 1.0]), Some([0.6, 0.4]));
    }

    #[test]
    fn no_forces_no_fight_and_sides_are_alike() {
        let f = rules(Contest::Tullock);
        assert_eq!(step(&f, [0.5, 0.5], [0.0, 0.0]), None);
        for c in [Contest::Tullock, Contest::Lanchester] {
            let f = rules(c);
            let a = step(&f, [0.3, 0.7], [5.0, 2.0]).expect("forces");
            let b = step(&f, [0.7, 0.3], [2.0, 5.0]).expect("forces");
            assert_eq!(a[0].to_bits(), b[1].to_bits());
            assert_eq!(a[1].to_bits(), b[0].to_bits());
        }
    }

    #[test]
    fn strikes_take_forces_and_count_as_loss() {
        let f = rules(Contest::Tullock);
        assert!((forces_after_strikes(&f, 10.0, 2) - 8.1).abs() < 1e-12);
        assert!((loss(&f, 0.6, 0.5, 1) - 0.2).abs() < 1e-12);
        assert!((loss(&f, 0.5, 0.6, 0) - 0.0).abs() < 1e-12);
    }

    /// A theatre's round is a stalemate when every front was fought over
    /// and none moved by a hundredth or more; a front nobody fought over
    /// (a ceasefire held) is no stalemate.
    #[test]
    fn a_stalemate_is_every_front_fought_over_and_none_moving() {
        assert!(stalemate(&[Some(0.005), Some(0.0)]));
        assert!(!stalemate(&[Some(0.005), Some(0.02)]));
        assert!(!stalemate(&[Some(0.005), None]));
        assert!(!stalemate(&[]));
    }

    #[test]
    fn a_side_that_does_worse_than_it_expected_lowers_its_demand() {
        let f = Fighting {
            learning: 0.5,
            optimism: 0.5,
            ..rules(Contest::Tullock)
        };
        let e = expected(&f, 1.0, 1.0);
        assert!((e - 0.6).abs() < 1e-12);
        assert!((revise(&f, e, 0.5) - 0.55).abs() < 1e-12);
        assert!((lowered_demand(&f, e, 0.5) - 5.0).abs() < 1e-9);
        assert!(lowered_demand(&f, 0.4, 0.5).abs() < 1e-12);
    }
}
