//! When bargaining is over: the positions at the last closes, and the
//! verdict they give under the scenario's stop rule.
//!
//! Bargaining iterations are not calendar rounds. After each round the state
//! compares the positions with those at earlier closes, less what the war
//! moved since (a front's costs and lessons come with the calendar, not from
//! the bargaining): still for
//! `quiet_rounds` rounds running is convergence; back within the tolerance
//! of a round at most `max_period` rounds ago (and not standing still) is a
//! cycle. Either ends bargaining: the model moves no more, and the forecast a
//! cycling run reports is the mean over its cycle, not the phase it stopped
//! in.

use std::collections::VecDeque;
use std::sync::Arc;

use super::State;
use crate::event::{Cause, Event};
use crate::forecast::Forecasts;
use crate::scenario::StopRule;

/// Where bargaining stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Bargaining {
    /// The model still moves positions.
    Moving,
    /// Positions stood still; the model stopped in `round`.
    Converged {
        /// The round it stopped in.
        round: u32,
    },
    /// Positions came back to those of `returns_to`; the model stopped in
    /// `round`. The forecasts are the means over the cycle.
    Cycled {
        /// The round it stopped in.
        round: u32,
        /// Rounds in one cycle.
        period: u32,
        /// The round whose positions came back.
        returns_to: u32,
        /// Per issue, the mean of the forecasts over the cycle's rounds.
        forecasts: Vec<Forecasts>,
    },
}

impl Bargaining {
    /// The round bargaining ended in, if it did.
    pub fn round(&self) -> Option<u32> {
        match self {
            Bargaining::Moving => None,
            Bargaining::Converged { round } | Bargaining::Cycled { round, .. } => Some(*round),
        }
    }
}

/// What the positions say now under the stop rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// Still for `quiet_rounds` rounds running, or (`relative`) a round's
    /// total movement below that share of round 1's.
    Converged {
        /// Rounds without a move over the tolerance.
        quiet_rounds: u32,
        /// The share of round 1's movement, when that rule decided.
        relative: Option<f64>,
    },
    /// Back to the positions of `period` rounds ago.
    Cycled {
        /// Rounds in one cycle.
        period: u32,
        /// The round whose positions came back.
        returns_to: u32,
    },
}

/// The positions and forecasts at the last closes, newest first. Each
/// close is shared, so a state is cloned (as the law suite does after every
/// event) without copying them.
#[derive(Clone, Debug, PartialEq, Default)]
pub(super) struct History {
    closes: VecDeque<Arc<Close>>,
    /// How many closes to keep.
    keep: usize,
    /// Round 1's total movement, for the relative rule.
    first_movement: Option<f64>,
    /// Whether a move the war made is carried into the remembered closes
    /// (engine 0.8.0 on); a log of an older engine is read by its own rule,
    /// which counted the war's moves as bargaining's.
    carries_war: bool,
}

/// One round's close, as the stop rule remembers it.
#[derive(Clone, Debug, PartialEq)]
struct Close {
    round: u32,
    /// Positions by cell, `None` where an actor holds no stance.
    positions: Vec<Option<f64>>,
    /// Forecasts by issue.
    forecasts: Vec<Forecasts>,
}

impl History {
    pub(super) fn new(stop: Option<&StopRule>) -> History {
        let keep = stop.map_or(0, |s| s.quiet_rounds.max(s.max_period) as usize + 1);
        History {
            closes: VecDeque::with_capacity(keep),
            keep,
            first_movement: None,
            carries_war: true,
        }
    }

    pub(super) fn push(
        &mut self,
        round: u32,
        positions: Vec<Option<f64>>,
        forecasts: Vec<Forecasts>,
        actors: usize,
    ) {
        if self.keep == 0 {
            return;
        }
        if round == 1
            && let Some(opening) = self.closes.front()
        {
            self.first_movement = Some(total_movement(&positions, &opening.positions, actors));
        }
        if self.closes.len() == self.keep {
            self.closes.pop_back();
        }
        self.closes.push_front(Arc::new(Close {
            round,
            positions,
            forecasts,
        }));
    }
    /// Carries a move the war made (not bargaining) into every remembered
    /// close, so that the stop rule measures bargaining's own movement: the
    /// fighting moves positions every round it goes on, and a model that
    /// stands still while it does has converged.
    pub(super) fn carry(&mut self, cell: usize, moved: f64) {
        if !self.carries_war {
            return;
        }
        for close in &mut self.closes {
            if let Some(Some(x)) = Arc::make_mut(close).positions.get_mut(cell) {
                *x += moved;
            }
        }
    }
}

/// Added to round 1's movement so that a still round 1 does not divide by
/// zero (KTAB's constant).
const MIN_SIGNIFICANT_MOVE: f64 = 1e-4;

/// The sum over actors of the Euclidean distance each moved across all
/// issues, on the 0–1 scale (KTAB's measure), between two position tables
/// laid out issue by issue (cells without a stance in either are skipped).
fn total_movement(a: &[Option<f64>], b: &[Option<f64>], actors: usize) -> f64 {
    (0..actors)
        .map(|k| {
            a.iter()
                .zip(b)
                .skip(k)
                .step_by(actors.max(1))
                .filter_map(|(x, y)| Some(((x.as_ref()? - y.as_ref()?) / 100.0).powi(2)))
                .sum::<f64>()
                .sqrt()
        })
        .sum()
}

/// Whether the largest distance between two position tables (cells
/// without a stance in either skipped) is below `tolerance`: it stops at the
/// first cell that moved as far.
fn within(a: impl Iterator<Item = Option<f64>>, b: &[Option<f64>], tolerance: f64) -> bool {
    // The largest distance starts from 0 and passes over NaN (f64::max):
    // below a tolerance above 0 exactly when no distance reaches it.
    0.0 < tolerance
        && a.zip(b).all(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => {
                let d = (x - y).abs();
                d < tolerance || d.is_nan()
            }
            _ => true,
        })
}

impl State {
    /// Where bargaining stands.
    pub fn bargaining(&self) -> &Bargaining {
        &self.bargaining
    }

    /// Bargaining ends as a converged or cycled event says.
    pub(super) fn end_bargaining(&mut self, event: &Event) {
        let round = self.round();
        self.bargaining = match event {
            Event::BargainingCycled(c) => Bargaining::Cycled {
                round,
                period: c.period,
                returns_to: c.returns_to,
                forecasts: self.cycle_forecasts(c.period.max(1)),
            },
            _ => Bargaining::Converged { round },
        };
    }

    /// Keeps the positions and forecasts of a close, for the stop rule.
    pub(super) fn remember_close(&mut self, round: u32) {
        if self.stop.is_some() {
            let (positions, forecasts) = (self.position_table(), self.forecast_table());
            let actors = self.actors().len();
            self.history.push(round, positions, forecasts, actors);
        }
    }

    /// A move from outside the bargaining (a package, a counterfactual)
    /// after it ended opens it again, its history forgotten.
    pub(super) fn reopen_if_outside(&mut self, cause: &Cause) {
        if cause.reopens_bargaining() && !self.bargaining_goes_on() {
            self.bargaining = Bargaining::Moving;
            self.history.closes.clear();
        }
    }

    /// Reads the log of `engine` by that engine's stop rule: engines before
    /// 0.8.0 counted a front's moves as bargaining's, and their verdicts
    /// (a cycle, a convergence, or neither) are checked as they decided
    /// them.
    pub fn follow_stop_rule_of(&mut self, engine: &str) {
        let version: Vec<u32> = engine.split('.').map_while(|p| p.parse().ok()).collect();
        if version.as_slice() < [0, 8].as_slice() {
            self.history.carries_war = false;
        }
    }

    /// Whether the model may still move positions.
    pub fn bargaining_goes_on(&self) -> bool {
        self.bargaining == Bargaining::Moving
    }

    /// Every position by cell, `None` where an actor holds no stance.
    pub(super) fn position_table(&self) -> Vec<Option<f64>> {
        self.stances.iter().map(|h| h.map(|h| h.position)).collect()
    }

    /// The forecasts of every issue.
    pub(super) fn forecast_table(&self) -> Vec<Forecasts> {
        (0..self.issues().len())
            .map(|i| self.forecasts(i))
            .collect()
    }

    /// What the positions say now, in round `self.round()` before its
    /// close: converged, cycled, or nothing yet. `None` without a stop rule,
    /// before round 1, or once bargaining is over.
    pub fn verdict(&self) -> Option<Verdict> {
        let stop = self.stop.as_ref()?;
        let round = self.round();
        if round == 0 || !self.bargaining_goes_on() {
            return None;
        }
        let now = || self.stances.iter().map(|h| h.map(|h| h.position));
        let closes = &self.history.closes;
        let previous = &closes.front()?.positions;
        let tolerance = stop.tolerance;
        let quiet = stop.quiet_rounds as usize;
        let still = |k: usize| {
            // The move of the k-th round back: between closes k-1 and k.
            if k == 0 {
                within(now(), previous, tolerance)
            } else {
                match (closes.get(k - 1), closes.get(k)) {
                    (Some(a), Some(b)) => {
                        within(a.positions.iter().copied(), &b.positions, tolerance)
                    }
                    _ => false,
                }
            }
        };
        if quiet > 0 && (0..quiet).all(still) {
            return Some(Verdict::Converged {
                quiet_rounds: stop.quiet_rounds,
                relative: None,
            });
        }
        if let (Some(ratio), Some(first)) = (stop.relative, self.history.first_movement)
            && round >= 2
            && total_movement(&self.position_table(), previous, self.actors().len())
                / (first + MIN_SIGNIFICANT_MOVE)
                < ratio
        {
            return Some(Verdict::Converged {
                quiet_rounds: 1,
                relative: Some(ratio),
            });
        }
        if within(now(), previous, tolerance) {
            return None;
        }
        (2..=stop.max_period as usize).find_map(|p| {
            let then = closes.get(p - 1)?;
            within(now(), &then.positions, tolerance).then_some(Verdict::Cycled {
                period: p as u32,
                returns_to: then.round,
            })
        })
    }

    /// The mean of each issue's forecasts over the last `period` rounds, the
    /// current one included.
    pub(super) fn cycle_forecasts(&self, period: u32) -> Vec<Forecasts> {
        let now = self.forecast_table();
        let earlier = self
            .history
            .closes
            .iter()
            .take(period as usize - 1)
            .map(|c| &c.forecasts);
        let mut sums: Vec<(f64, f64)> = now.iter().map(|f| (f.mean, f.median)).collect();
        for close in earlier {
            for (s, f) in sums.iter_mut().zip(close) {
                s.0 += f.mean;
                s.1 += f.median;
            }
        }
        let p = f64::from(period);
        sums.into_iter()
            .map(|(mean, median)| Forecasts {
                mean: mean / p,
                median: median / p,
            })
            .collect()
    }

    /// The forecasts a run reports for `issue`: the mean over its cycle once
    /// bargaining cycled, the current forecasts otherwise.
    pub fn final_forecasts(&self, issue: usize) -> Forecasts {
        match &self.bargaining {
            Bargaining::Cycled { forecasts, .. } => forecasts[issue],
            _ => self.forecasts(issue),
        }
    }
}
