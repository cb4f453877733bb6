//! Fronts as the state holds them: who fights where with what, and who
//! controls how much. [`State::front_step`] is the one computation of what a
//! round of fighting does to a front (the rule is `front::step`): the fronts
//! mechanism logs it, settling fills it in, and checking holds a logged
//! `control_changed` to it, so replay refuses a shift the state does not
//! recompute, or one while a ceasefire holds and nobody violated it.

use super::names::Interned;
use super::{CeasefireStatus, State};
use crate::event::{ControlCause, ControlChanged, Id, SideControl};
use crate::front;
use crate::scenario::{Fighting, Scenario};

/// The fronts of a scenario with their ids resolved (shared by every clone
/// of a state).
#[derive(Debug, Default, PartialEq)]
pub(super) struct FrontTable {
    pub(super) fronts: Vec<FrontRule>,
    pub(super) fighting: Fighting,
}

/// One front, resolved.
#[derive(Debug, PartialEq)]
pub(super) struct FrontRule {
    pub(super) id: Id,
    pub(super) theatre: Id,
    /// The two sides (actor indices), in the scenario's order.
    pub(super) sides: [usize; 2],
    /// Each side's forces before strikes: its own and its patrons' times
    /// their leverage over it.
    pub(super) base: [f64; 2],
    pub(super) taken_at: f64,
    /// The theatre's ceasefire, if it has one.
    pub(super) ceasefire: Option<usize>,
    /// Whose violation of that ceasefire lets the front's control shift:
    /// the sides and their patrons.
    pub(super) unfreeze: Vec<usize>,
}

impl FrontTable {
    /// The scenario's fronts; a front naming an actor the scenario does not
    /// have (which validation refuses) is left out.
    pub(super) fn new(scenario: &Scenario, actors: &Interned, ceasefires: &Interned) -> FrontTable {
        let leverage = |patron: &str, client: &str| {
            scenario
                .patrons
                .iter()
                .find(|p| p.patron == patron && p.client == client)
                .map_or(0.0, |p| p.leverage)
        };
        let fronts = scenario
            .fronts
            .iter()
            .filter_map(|f| {
                let [a, b] = f.sides.as_slice() else {
                    return None;
                };
                let sides = [actors.get(&a.actor)?, actors.get(&b.actor)?];
                // Support sums from the smallest contribution up, so no
                // name reaches the bits of a side's forces.
                let base = [a, b].map(|s| {
                    let mut parts: Vec<f64> = s
                        .support
                        .iter()
                        .map(|(p, x)| x * leverage(p, &s.actor))
                        .collect();
                    parts.sort_by(f64::total_cmp);
                    parts.into_iter().fold(s.forces, |sum, x| sum + x)
                });
                let mut unfreeze: Vec<usize> = sides.to_vec();
                for p in &scenario.patrons {
                    if (p.client == a.actor || p.client == b.actor)
                        && let Some(k) = actors.get(&p.patron)
                        && !unfreeze.contains(&k)
                    {
                        unfreeze.push(k);
                    }
                }
                Some(FrontRule {
                    id: Id::from(f.id.as_str()),
                    theatre: Id::from(f.theatre.as_str()),
                    sides,
                    base,
                    taken_at: f.taken_at,
                    ceasefire: ceasefires.get(&f.theatre),
                    unfreeze,
                })
            })
            .collect();
        FrontTable {
            fronts,
            fighting: scenario.fighting.clone().unwrap_or_default(),
        }
    }

    /// Each front's opening control, in its sides' order.
    pub(super) fn control(scenario: &Scenario, table: &FrontTable) -> Vec<[f64; 2]> {
        table
            .fronts
            .iter()
            .map(|r| {
                let f = scenario.fronts.iter().find(|f| f.id == r.id.as_str());
                f.map_or([0.5, 0.5], |f| [f.sides[0].control, f.sides[1].control])
            })
            .collect()
    }

    /// Each side's opening belief: the contest share it expects to win
    /// with its forces as they are.
    pub(super) fn beliefs(&self) -> Vec<[f64; 2]> {
        self.fronts
            .iter()
            .map(|r| {
                let [a, b] = r.base;
                [
                    front::expected(&self.fighting, a, b),
                    front::expected(&self.fighting, b, a),
                ]
            })
            .collect()
    }
}

/// A front as it stands: what reports, laws and the mechanism read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrontView<'s> {
    /// The front's id.
    pub id: &'s str,
    /// Its theatre.
    pub theatre: &'s str,
    /// Its sides (actor indices).
    pub sides: [usize; 2],
    /// Each side's share now.
    pub control: [f64; 2],
    /// Strikes on each side in the theatre this round.
    pub hits: [u32; 2],
    /// Each side's belief about the contest share it wins.
    pub belief: [f64; 2],
    /// The share at which a side has taken it.
    pub taken_at: f64,
}

impl State {
    /// The rules of fighting.
    pub fn fighting(&self) -> &Fighting {
        &self.fronts.fighting
    }

    /// How many fronts the scenario has.
    pub fn front_count(&self) -> usize {
        self.fronts.fronts.len()
    }

    /// The index of front `id`.
    pub fn front_index(&self, id: &str) -> Option<usize> {
        self.fronts.fronts.iter().position(|f| f.id == id)
    }

    /// Front `k` as it stands.
    pub fn front(&self, k: usize) -> Option<FrontView<'_>> {
        let r = self.fronts.fronts.get(k)?;
        Some(FrontView {
            id: &r.id,
            theatre: &r.theatre,
            sides: r.sides,
            control: self.control[k],
            hits: self.front_hits[k],
            belief: self.belief[k],
            taken_at: r.taken_at,
        })
    }

    /// Who lets front `k`'s control shift this round: nobody needs to
    /// (`Some` of nothing) when no ceasefire holds in its theatre, or the
    /// one that holds does not bind both sides; while one
    /// holds, the sides and their patrons who violated it this round, and
    /// `None` (frozen) when none did.
    pub fn front_unfrozen_by(&self, k: usize) -> Option<Vec<usize>> {
        let r = self.fronts.fronts.get(k)?;
        let Some(c) = r.ceasefire else {
            return Some(Vec::new());
        };
        let cf = &self.ceasefires[c];
        // A ceasefire freezes only a front between sides it binds: not one
        // against a group it exempts (the designated terrorists of a
        // cessation of hostilities) or that is no party to it, nor one a
        // spoiler fights on.
        let uncovered = !r
            .sides
            .iter()
            .all(|&s| cf.binds(s) && !cf.exempt.contains(&s));
        if cf.status != CeasefireStatus::InForce || uncovered {
            return Some(Vec::new());
        }
        let mut by: Vec<usize> = cf
            .violators
            .iter()
            .copied()
            .filter(|v| r.unfreeze.contains(v))
            .collect();
        by.sort_unstable();
        by.dedup();
        (!by.is_empty()).then_some(by)
    }

    /// What a round of fighting does to front `k` now: the one computation
    /// (by `front::step`). `None` when it cannot shift: a ceasefire holds
    /// and nobody violated it, it shifted this round already, nobody has
    /// forces there, or nothing would change.
    pub fn front_step(&self, k: usize) -> Option<ControlChanged> {
        if self.front_moved.get(k).copied().flatten() == Some(self.round()) {
            return None;
        }
        self.front_step_scaled(k, [1.0, 1.0])
    }

    /// What the rule makes of front `k`'s round from where it stands, with
    /// each side's forces scaled by a factor, whether or not it shifted
    /// this round already (the law that more forces never lose control
    /// faster asks what the rule would have done with more).
    pub fn front_step_scaled(&self, k: usize, scale: [f64; 2]) -> Option<ControlChanged> {
        let r = self.fronts.fronts.get(k)?;
        let by = self.front_unfrozen_by(k)?;
        let fighting = &self.fronts.fighting;
        let hits = self.front_hits[k];
        let forces =
            [0, 1].map(|j| front::forces_after_strikes(fighting, r.base[j] * scale[j], hits[j]));
        let from = self.control[k];
        let to = front::step(fighting, from, forces)?;
        if to[0].to_bits() == from[0].to_bits() && to[1].to_bits() == from[1].to_bits() {
            return None;
        }
        let won = front::contest(fighting, forces)?;
        let expected = self.belief[k];
        let sides = (0..2)
            .map(|j| SideControl {
                actor: self.actors()[r.sides[j]].clone(),
                from: from[j],
                to: to[j],
                forces: forces[j],
                hits: hits[j],
                won: won[j],
                expected: expected[j],
                belief: front::revise(fighting, expected[j], won[j]),
            })
            .collect();
        let taken = (0..2)
            .find(|&j| to[j] >= r.taken_at && from[j] < r.taken_at)
            .map(|j| self.actors()[r.sides[j]].clone());
        let cause = if by.is_empty() {
            ControlCause::Fighting
        } else {
            ControlCause::Violation {
                by: by.iter().map(|&a| self.actors()[a].clone()).collect(),
            }
        };
        Some(ControlChanged {
            front: r.id.clone(),
            theatre: r.theatre.clone(),
            sides,
            taken,
            cause,
        })
    }

    /// Applies a change of control: each side's share and belief as the
    /// event says (the check has held them to the state's).
    pub(super) fn apply_control(&mut self, c: &ControlChanged) {
        let Some(k) = self.front_index(&c.front) else {
            return;
        };
        let sides = self.fronts.fronts[k].sides;
        for s in &c.sides {
            if let Some(j) = self
                .actor(&s.actor)
                .and_then(|a| sides.iter().position(|&x| x == a))
            {
                self.control[k][j] = s.to;
                self.belief[k][j] = s.belief;
            }
        }
        self.front_moved[k] = Some(self.round());
    }

    /// Counts a strike on a side's forces against every front of its
    /// theatre where that actor fights.
    pub(super) fn count_front_hit(&mut self, theatre: &str, hit: &str) {
        let Some(a) = self.actor(hit) else {
            return;
        };
        for (k, r) in self.fronts.fronts.iter().enumerate() {
            if r.theatre == theatre
                && let Some(j) = r.sides.iter().position(|&s| s == a)
            {
                self.front_hits[k][j] = self.front_hits[k][j].saturating_add(1);
            }
        }
    }

    /// Holds a logged change of control to what the state computes.
    pub(super) fn check_control(&self, c: &ControlChanged) -> Result<(), super::Refusal> {
        use super::Refusal;
        let k = self
            .front_index(&c.front)
            .ok_or_else(|| Refusal::UnknownFront(c.front.to_string()))?;
        if self.front_moved[k] != Some(self.round()) && self.front_unfrozen_by(k).is_none() {
            return Err(Refusal::FrontFrozen {
                front: c.front.to_string(),
                theatre: self.fronts.fronts[k].theatre.to_string(),
            });
        }
        let expected = self
            .front_step(k)
            .ok_or_else(|| Refusal::FrontStill(c.front.to_string()))?;
        if *c != expected {
            return Err(Refusal::Unsettled {
                what: format!("the change of control of the {} front", c.front),
                event: serde_json::to_string(c).unwrap_or_default(),
                state: serde_json::to_string(&expected).unwrap_or_default(),
            });
        }
        Ok(())
    }
}
