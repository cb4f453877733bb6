//! Stokman's equal-gain exchange model, as the Python package
//! decide-exchange-model (foarsitter/decide-exchange-model) implements it:
//! a pure kernel for one round, and a reader for the package's input files.
//!
//! Per issue p, among the actors holding a stance on it (x position on the
//! 0–100 scale, s salience, c capability):
//!
//! - The outcome is O_p = Σ c·s·x / Σ c·s (0 when nobody holds a stance).
//! - For every pair of issues p < q, each actor holding a stance on both is
//!   placed by the side of the outcome it is on (at or below it counts as
//!   below): the actors above on both exchange with those below on both, the
//!   actors below on p and above on q with those above on p and below on q.
//! - Of the two actors, the one with the lower s_p/s_q supplies p (moves on
//!   it) and the other supplies q. A move of d on an issue shifts its outcome
//!   by the exchange ratio d·c·s / Σ c·s. The exchange is sized so that both
//!   gain equally, gain = |Δ_own·s_own − Δ_other·s_other|: first the supplier
//!   of p moves all the way to the other's position; if the equal-gain move
//!   this asks of the other overshoots the supplier's position on q, the
//!   supplier of q moves all the way instead. Then, per side, if its move
//!   would carry its issue's outcome past the position the other side holds
//!   there, it moves only until the outcome reaches that position and the
//!   other move is resized.
//! - A move is allowed when it is larger than 1e-10, stays in [0, 100], and
//!   the side's record of moves sums to at most 100 and points one way.
//! - Exchanges are realised by gain, highest first. After each, every other
//!   valid exchange is brought up to date: a side on the same actor and
//!   supply issue starts from the realised voting position; where the
//!   realised exchange's demander is also a demander here on the same issue,
//!   the supplier's new position enters this exchange's outcome checks; an
//!   exchange touched either way is sized afresh, and dropped if no longer
//!   valid. Exchanges not touched keep their size.
//! - The round's outcomes are those of the voting positions. Then every actor
//!   that exchanged on an issue moves from its start position x toward its
//!   last voting position y there: x ← x + (f + w·(1 − s))·(y − x), with
//!   f = 0.1 and w = 0.4 by default.
//!
//! Quirks of the package kept because they change which exchanges happen:
//! a side that was just given the realised exchange's move keeps its own
//! stale move in its record instead; a demander's own position on its demand
//! issue stays the start-of-round one; an exchange that is invalid when
//! built still takes part in the first sort (and in a tie) before it is
//! dropped; and, with [`KeptTie::Duplicate`], a tie resolved for the leader
//! puts the runner-up in the list twice.
//!
//! Ties: when the best two exchanges have equal gains (within 1e-12 of the
//! larger, or 1e-12 absolute below 1), the package flips a coin. Here the
//! caller's source is asked `tie(2)`: 0 realises the leader, any other value
//! the runner-up (which the package does when `random() >= 0.5`). The leader
//! is the one listed first among the tied: exchanges are listed in the order
//! they were built (issue pairs in order, then actors in order), except that
//! the package moves a passed-over leader, or a duplicated runner-up, to the
//! end. Only the best two are ever compared, as in the package.
//!
//! Numbers: the package computes in 28-digit decimals, the kernel in f64, in
//! a fixed order (actors in index order in every sum). The bounds [0, 100]
//! carry a 1e-9 slack so a move that lands exactly on a position in decimal
//! arithmetic is not lost to an ulp; a decimal result that overshoots 100
//! by a rounding unit (which the package rejects) is accepted here. In the
//! outcome cap a gap within 1e-9 of zero is zero, which lets the move
//! through as the package does when its decimal gap is exactly zero; where
//! that gap is decimal rounding noise the package follows its sign, which no
//! binary computation can reproduce. Tied gains are ordered by the list,
//! where the package orders them by their 27th digit.
//!
//! Cost per round, with n actors, m issues, E ≤ m(m−1)n²/8 candidates and R
//! realised exchanges (R ≤ E in practice; a safety bound of 4E + 64 steps
//! stops a round that would not end): building the candidates O(E·n);
//! each realisation sorts the list, O(E log E), and re-sizes the touched
//! exchanges, O(n·u) each with u the positions recorded on one exchange
//! (u ≤ n·m); in all O(R·E·(log E + n·u)) time and O(E·(R + u)) memory.
//!
//! Sources: decide/model/base.py, equalgain.py, calculations.py and
//! helpers/helpers.py (the round), decide/model/helpers/csvparser.py (the
//! normalisation) of the package; Stokman & Van Oosten (1994), Stokman & Van
//! der Knoop, and Dijkstra, Van Assen, Stokman & Draaijer (2018). See
//! docs/models-exchange.md.

#[cfg(test)]
mod engine_tests;
mod input;
mod kernel;
mod model;
mod parse;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_parse;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use input::{ExchangeInput, InputError};
use kernel::{Book, Pair};
pub use model::ExchangeModel;
pub use parse::{DecideActor, DecideData, DecideIssue, ParseError, parse};

/// The exchange model's parameters. The default is the package's equal-gain
/// model as its current code runs it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ExchangeConfig {
    /// Which side of the outcome an actor exactly on it counts as.
    #[serde(default)]
    pub on_outcome: OnOutcome,
    /// What a tie resolved for the leader does to the runner-up.
    #[serde(default)]
    pub kept_tie: KeptTie,
    /// The share of the way to the voting position every actor that
    /// exchanged moves at the end of the round (0.1).
    #[serde(default = "default_fixed_weight")]
    pub fixed_weight: f64,
    /// The further share, times (1 − salience) (0.4).
    #[serde(default = "default_salience_weight")]
    pub salience_weight: f64,
}

fn default_fixed_weight() -> f64 {
    0.1
}

fn default_salience_weight() -> f64 {
    0.4
}

impl Default for ExchangeConfig {
    fn default() -> ExchangeConfig {
        ExchangeConfig {
            on_outcome: OnOutcome::default(),
            kept_tie: KeptTie::default(),
            fixed_weight: default_fixed_weight(),
            salience_weight: default_salience_weight(),
        }
    }
}

impl ExchangeConfig {
    /// Checks the weights: finite, not negative, summing to at most 1.
    pub fn validate(&self) -> Result<(), InputError> {
        let (f, w) = (self.fixed_weight, self.salience_weight);
        let fine = f.is_finite() && w.is_finite() && f >= 0.0 && w >= 0.0 && f + w <= 1.0;
        if fine {
            Ok(())
        } else {
            Err(InputError::Weights {
                fixed: f,
                salience: w,
            })
        }
    }
}

/// Which side of the outcome an actor whose position equals it is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OnOutcome {
    /// Below it, as the package's current base.py has it (x ≤ O).
    #[default]
    Below,
    /// Above it, as earlier versions had it (only x < O is below).
    Above,
}

/// What happens to the runner-up when a tie is resolved for the leader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum KeptTie {
    /// The package appends it to the list a second time, so it is
    /// recomputed twice after each realisation and may be realised twice.
    #[default]
    Duplicate,
    /// It stays in the list once.
    Once,
}

/// One side of an exchange: `actor` moves on `issue` (its supply issue)
/// from `from` to `to`. It demands the other side's issue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Supply {
    /// The actor's index.
    pub actor: usize,
    /// The issue it moves on.
    pub issue: usize,
    /// Its position there before the exchange.
    pub from: f64,
    /// Its voting position there after the exchange.
    pub to: f64,
}

/// An exchange between two actors on two issues.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// The package's side `i`: the supplier of the later issue q of the
    /// pair (p, q) the exchange was built on.
    pub first: Supply,
    /// The package's side `j`: the supplier of the earlier issue p.
    pub second: Supply,
    /// The equal utility gain of each actor.
    pub gain: f64,
    /// Whether the moves are allowed; only valid exchanges are realised.
    pub valid: bool,
}

/// Where an actor that exchanged on an issue ends the round there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndMove {
    /// The actor's index.
    pub actor: usize,
    /// The issue's index.
    pub issue: usize,
    /// Its position at the start of the round.
    pub from: f64,
    /// Its last voting position in the round.
    pub voting: f64,
    /// Its position for the next round.
    pub to: f64,
}

/// What one round did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRound {
    /// The outcomes at the start of the round.
    pub start_outcomes: Vec<f64>,
    /// How many candidate exchanges were built (valid or not).
    pub candidates: usize,
    /// The realised exchanges in order, as they stood when realised.
    pub realised: Vec<Exchange>,
    /// How many ties the caller's source resolved.
    pub ties: usize,
    /// The voting positions (n×m); unchanged where nobody exchanged.
    pub voting: Vec<f64>,
    /// The outcomes of the voting positions: the package's round outcome.
    pub outcomes: Vec<f64>,
    /// The end-of-round moves, by actor then issue.
    pub moves: Vec<EndMove>,
    /// The positions the next round starts from (n×m).
    pub positions: Vec<f64>,
    /// Whether the safety bound on steps ended the round early (never seen
    /// on the package's data).
    pub cut_short: bool,
}

/// The capability×salience weighted outcome of every issue.
pub fn outcomes(input: &ExchangeInput<'_>) -> Vec<f64> {
    let book = Book::new(input);
    (0..input.issues())
        .map(|p| book.outcome_of(p, input.positions()))
        .collect()
}

/// Every candidate exchange of the round, sized, valid or not, in the
/// package's order: issue pairs (p, q) with p < q in order; within a pair
/// the actors above both outcomes with those below both, then those below
/// on p only with those below on q only, each in actor order.
pub fn candidates(config: &ExchangeConfig, input: &ExchangeInput<'_>) -> Vec<Exchange> {
    let book = Book::new(input);
    build(config, &book).iter().map(exchange_of).collect()
}

fn build(config: &ExchangeConfig, book: &Book<'_>) -> Vec<Pair> {
    let input = book.input;
    let m = input.issues();
    let start: Vec<f64> = (0..m)
        .map(|p| book.outcome_of(p, input.positions()))
        .collect();
    let below = |a: usize, p: usize| match config.on_outcome {
        OnOutcome::Below => input.position(a, p) <= start[p],
        OnOutcome::Above => input.position(a, p) < start[p],
    };
    let mut pairs = Vec::new();
    for p in 0..m {
        for q in p + 1..m {
            // Group 0: above on both; 1: below on p only; 2: below on q
            // only; 3: below on both (the package's a, b, c, d).
            let mut groups: [Vec<usize>; 4] = Default::default();
            for a in (0..input.actors()).filter(|&a| input.holds(a, p) && input.holds(a, q)) {
                groups[usize::from(below(a, p)) | usize::from(below(a, q)) << 1].push(a);
            }
            for (x, y) in [(0, 3), (1, 2)] {
                for &a in &groups[x] {
                    for &b in &groups[y] {
                        pairs.push(Pair::new(book, a, b, p, q));
                    }
                }
            }
        }
    }
    pairs
}

fn exchange_of(pair: &Pair) -> Exchange {
    let side = |s: &kernel::Side| Supply {
        actor: s.actor,
        issue: s.supply,
        from: s.at,
        to: s.to,
    };
    Exchange {
        first: side(&pair.i),
        second: side(&pair.j),
        gain: pair.gain,
        valid: pair.valid,
    }
}

/// Whether two gains tie (the package: equal to 1e-20 in 28-digit decimals).
fn tied(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

/// Sorts the list by gain, highest first, keeping the list order among
/// tied gains, as the package's stable sort does with exactly equal ones.
fn rank(list: &mut Vec<usize>, pairs: &[Pair]) {
    let gain = |k: usize| pairs[list[k]].gain;
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by(|&a, &b| gain(b).total_cmp(&gain(a)).then(a.cmp(&b)));
    let mut start = 0;
    while start < order.len() {
        let lead = gain(order[start]);
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&k| tied(lead, gain(k)))
                .count();
        order[start..end].sort_unstable();
        start = end;
    }
    *list = order.iter().map(|&k| list[k]).collect();
}

/// Plays one round: builds the candidates, realises them by gain (asking
/// `tie(2)` on ties; see the module documentation for the rule), and moves
/// every actor that exchanged part of the way to its voting position.
/// `tie(n)` must return a uniform integer below n, e.g. the engine's
/// `Stream::below`.
pub fn round(
    config: &ExchangeConfig,
    input: &ExchangeInput<'_>,
    tie: &mut dyn FnMut(u64) -> u64,
) -> ExchangeRound {
    let book = Book::new(input);
    let mut pairs = build(config, &book);
    let mut list: Vec<usize> = (0..pairs.len()).collect();
    let mut done: Vec<usize> = Vec::new();
    let mut realised = Vec::new();
    let mut ties = 0;
    let mut steps = 4 * pairs.len() + 64;
    while !list.is_empty() && steps > 0 {
        steps -= 1;
        rank(&mut list, &pairs);
        let mut pick = list.remove(0);
        if let Some(&next) = list.first()
            && tied(pairs[pick].gain, pairs[next].gain)
        {
            ties += 1;
            if tie(2) != 0 {
                list.push(pick);
                pick = list.remove(0);
            } else if config.kept_tie == KeptTie::Duplicate {
                list.push(next);
            }
        }
        if !pairs[pick].valid {
            continue;
        }
        let seen = pairs[pick].realised();
        let mut kept = Vec::with_capacity(list.len());
        for &k in &list {
            // Checked before and after: a duplicate made invalid by its
            // first recomputation is skipped the second time, as in the
            // package.
            if pairs[k].valid {
                pairs[k].recalculate(&book, &seen);
                if pairs[k].valid {
                    kept.push(k);
                }
            }
        }
        list = kept;
        realised.push(exchange_of(&pairs[pick]));
        done.push(pick);
    }
    finish(
        config,
        &book,
        &pairs,
        &done,
        realised,
        ties,
        !list.is_empty(),
    )
}

/// The end of the round: voting positions from the realised exchanges as
/// they stand now (later ones win), their outcomes, and the partial moves.
fn finish(
    config: &ExchangeConfig,
    book: &Book<'_>,
    pairs: &[Pair],
    done: &[usize],
    realised: Vec<Exchange>,
    ties: usize,
    cut_short: bool,
) -> ExchangeRound {
    let input = book.input;
    let m = input.issues();
    let mut voting = input.positions().to_vec();
    let mut touched = vec![false; voting.len()];
    for &k in done {
        for side in [&pairs[k].i, &pairs[k].j] {
            voting[side.actor * m + side.supply] = side.to;
            touched[side.actor * m + side.supply] = true;
        }
    }
    let outcomes = (0..m).map(|p| book.outcome_of(p, &voting)).collect();
    let mut positions = input.positions().to_vec();
    let mut moves = Vec::new();
    for (cell, _) in touched.iter().enumerate().filter(|(_, t)| **t) {
        let (actor, issue) = (cell / m, cell % m);
        let (x, y, s) = (
            input.positions()[cell],
            voting[cell],
            input.salience(actor, issue),
        );
        let (w, f) = (config.salience_weight, config.fixed_weight);
        // The package's own arrangement of x + (f + w(1 − s))(y − x).
        let to = (1.0 - s) * w * y + f * y + (1.0 - (1.0 - s) * w - f) * x;
        positions[cell] = to;
        moves.push(EndMove {
            actor,
            issue,
            from: x,
            voting: y,
            to,
        });
    }
    ExchangeRound {
        start_outcomes: (0..m)
            .map(|p| book.outcome_of(p, input.positions()))
            .collect(),
        candidates: pairs.len(),
        realised,
        ties,
        voting,
        outcomes,
        moves,
        positions,
        cut_short,
    }
}
