//! The exchange mechanics of one round: the start-of-round book, the two
//! sides of an exchange, sizing an exchange for equal gain, the check that no
//! exchange carries an outcome past the demander's position, and the
//! recomputation after another exchange is realised.
//!
//! Everything here mirrors the package's object model closely, quirks
//! included (see the module documentation of `exchange` for the list), because
//! the sequence of realised exchanges depends on them.

use super::ExchangeInput;

/// Below this a move counts as no move (the package's threshold).
const NO_MOVE: f64 = 1e-10;

/// Slack on the [0, 100] bounds. The package computes in 28-digit decimals,
/// where a move that lands on the other side's position lands exactly; in
/// binary floating point it may overshoot by an ulp, which must not turn a
/// valid exchange invalid.
const BOUND_SLACK: f64 = 1e-9;

/// The round's fixed data: the start positions (the package never changes
/// them inside a round) and each issue's Σ c·s over the actors present.
#[derive(Debug)]
pub(crate) struct Book<'a> {
    pub(crate) input: &'a ExchangeInput<'a>,
    pub(crate) denominator: Vec<f64>,
}

impl<'a> Book<'a> {
    pub(crate) fn new(input: &'a ExchangeInput<'a>) -> Book<'a> {
        let denominator = (0..input.issues())
            .map(|p| {
                let mut sum = 0.0;
                for a in input.holders(p) {
                    sum += input.salience(a, p) * input.capability(a, p);
                }
                sum
            })
            .collect();
        Book { input, denominator }
    }

    /// The weighted outcome of `issue` with `positions` (row-major n×m).
    pub(crate) fn outcome_of(&self, issue: usize, positions: &[f64]) -> f64 {
        let m = self.input.issues();
        self.weighted(issue, |a| positions[a * m + issue])
    }

    /// Σ x·s·c / Σ s·c over the actors present, x from `at`; 0 when nobody
    /// weighs in (the package's rule).
    fn weighted(&self, issue: usize, at: impl Fn(usize) -> f64) -> f64 {
        let d = self.denominator[issue];
        if d == 0.0 {
            return 0.0;
        }
        let mut sum = 0.0;
        for a in self.input.holders(issue) {
            sum += at(a) * self.input.salience(a, issue) * self.input.capability(a, issue);
        }
        sum / d
    }

    /// The outcome of `issue` with the exchange's recorded updates applied
    /// and then `actor` placed at `position` (the package's adjusted outcome).
    fn adjusted(&self, issue: usize, updates: &[Update], actor: usize, position: f64) -> f64 {
        self.weighted(issue, |a| {
            if a == actor {
                position
            } else {
                recorded(updates, issue, a).unwrap_or_else(|| self.input.position(a, issue))
            }
        })
    }

    /// How far `actor`, placed at `from`, must move for the outcome of
    /// `issue` to become `target`. The package places the actor first and
    /// applies the updates after, so an update on the actor itself wins.
    fn shift_to(
        &self,
        issue: usize,
        updates: &[Update],
        actor: usize,
        from: f64,
        target: f64,
    ) -> f64 {
        let inp = self.input;
        let mut sum = 0.0;
        for a in inp.holders(issue) {
            let x = recorded(updates, issue, a).unwrap_or_else(|| {
                if a == actor {
                    from
                } else {
                    inp.position(a, issue)
                }
            });
            sum += x * inp.salience(a, issue) * inp.capability(a, issue);
        }
        let weight = inp.salience(actor, issue) * inp.capability(actor, issue);
        (target * self.denominator[issue] - sum) / weight
    }
}

/// A position another exchange has moved an actor to, as far as this
/// exchange knows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Update {
    issue: usize,
    actor: usize,
    position: f64,
}

fn recorded(updates: &[Update], issue: usize, actor: usize) -> Option<f64> {
    updates
        .iter()
        .find(|u| u.issue == issue && u.actor == actor)
        .map(|u| u.position)
}

/// One actor's side of an exchange: it moves on its supply issue and wants
/// the other side to move on its demand issue.
#[derive(Clone, Debug)]
pub(crate) struct Side {
    pub(crate) actor: usize,
    pub(crate) supply: usize,
    pub(crate) demand: usize,
    /// The supply position at the start of the round.
    pub(crate) start: f64,
    /// The supply position now; moved when an exchange on the same actor
    /// and supply issue is realised.
    pub(crate) at: f64,
    /// The actor's own position on its demand issue, fixed for the round.
    want: f64,
    s_supply: f64,
    c_supply: f64,
    s_demand: f64,
    pub(crate) shift: f64,
    pub(crate) to: f64,
    /// Every move this side has been given, the package's history; its
    /// signs and sum decide whether a move is allowed.
    history: Vec<f64>,
}

impl Side {
    fn new(book: &Book<'_>, actor: usize, supply: usize, demand: usize) -> Side {
        let inp = book.input;
        let at = inp.position(actor, supply);
        Side {
            actor,
            supply,
            demand,
            start: at,
            at,
            want: inp.position(actor, demand),
            s_supply: inp.salience(actor, supply),
            c_supply: inp.capability(actor, supply),
            s_demand: inp.salience(actor, demand),
            shift: 0.0,
            to: at,
            history: Vec::new(),
        }
    }

    /// The exchange ratio of moving `distance` on the supply issue: the
    /// shift of the outcome it causes.
    fn ratio(&self, book: &Book<'_>, distance: f64) -> f64 {
        distance * self.s_supply * self.c_supply / book.denominator[self.supply]
    }

    /// The move on the supply issue that shifts its outcome by `ratio`.
    fn distance(&self, book: &Book<'_>, ratio: f64) -> f64 {
        ratio * book.denominator[self.supply] / (self.c_supply * self.s_supply)
    }

    /// The package's validity test of a move, with its history rule: the
    /// move is real and stays in [0, 100], the history sums to at most 100
    /// and every recorded move points the same way.
    fn allows(&self, shift: f64) -> bool {
        if shift.abs() > 100.0 || shift.abs() <= NO_MOVE {
            return false;
        }
        let end = self.at + shift;
        if !(-BOUND_SLACK..=100.0 + BOUND_SLACK).contains(&end) {
            return false;
        }
        if self.history.iter().sum::<f64>() > 100.0 {
            return false;
        }
        let lo = self.history.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = self
            .history
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        !self.history.is_empty() && ((lo < 0.0 && hi < 0.0) || (lo > 0.0 && hi > 0.0))
    }

    fn set_shift(&mut self, shift: f64) {
        self.history.pop();
        self.history.push(shift);
        self.shift = shift;
        self.to = self.at + shift;
    }
}

/// The conversion of one side's exchange ratio into the other side's that
/// makes both gains equal: (s_sup + s'_dem) / (s_dem + s'_sup).
fn equal_gain(supplier: &Side, other: &Side, ratio: f64) -> f64 {
    (supplier.s_supply + other.s_demand) / (supplier.s_demand + other.s_supply) * ratio
}

/// The utility gain of `side` when its supply issue's outcome shifts by
/// `lost` and its demand issue's by `won`, each weighed by its salience.
fn gain_of(side: &Side, lost: f64, won: f64) -> f64 {
    (lost * side.s_supply - won * side.s_demand).abs()
}

/// What a realised exchange tells the others: per side, who moved on what,
/// from where, to where, and by which last move.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Realised {
    sides: [Seen; 2],
}

#[derive(Clone, Copy, Debug)]
struct Seen {
    actor: usize,
    supply: usize,
    demand: usize,
    start: f64,
    to: f64,
    last: f64,
}

/// A candidate exchange between two actors on two issues; `i` and `j` are
/// the package's names for its sides.
#[derive(Clone, Debug)]
pub(crate) struct Pair {
    pub(crate) i: Side,
    pub(crate) j: Side,
    pub(crate) gain: f64,
    pub(crate) valid: bool,
    updates: Vec<Update>,
}

impl Pair {
    /// The exchange between actors `a` and `b` on issues `p` and `q`
    /// (p < q), sized. The actor whose salience ratio s_p/s_q is the lower
    /// supplies p.
    pub(crate) fn new(book: &Book<'_>, a: usize, b: usize, p: usize, q: usize) -> Pair {
        let inp = book.input;
        let ra = inp.salience(a, p) / inp.salience(a, q);
        let rb = inp.salience(b, p) / inp.salience(b, q);
        let (i, j) = if ra < rb {
            (Side::new(book, b, q, p), Side::new(book, a, p, q))
        } else {
            (Side::new(book, a, q, p), Side::new(book, b, p, q))
        };
        let mut pair = Pair {
            i,
            j,
            gain: 0.0,
            valid: true,
            updates: Vec::new(),
        };
        pair.calculate(book);
        pair
    }

    /// Sizes the exchange for equal gain: j moves all the way to i's
    /// position unless that asks more of i than the distance to j's
    /// position, in which case i moves all the way; then neither outcome may
    /// be carried past the demander's position.
    fn calculate(&mut self, book: &Book<'_>) {
        let (i, j) = (&mut self.i, &mut self.j);
        let mut dp = j.ratio(book, (i.want - j.at).abs());
        let mut dq = equal_gain(j, i, dp);
        i.shift = i.distance(book, dq);
        j.shift = (i.want - j.at).abs();
        if i.shift.abs() > (j.want - i.at).abs() {
            dq = i.ratio(book, (j.want - i.at).abs());
            dp = equal_gain(i, j, dq);
            i.shift = (j.want - i.at).abs();
            j.shift = j.distance(book, dp);
        }
        if i.at > j.want {
            i.shift = -i.shift;
        }
        if j.at > i.want {
            j.shift = -j.shift;
        }
        i.history.push(i.shift);
        j.history.push(j.shift);
        i.to = i.at + i.shift;
        j.to = j.at + j.shift;
        self.gain = gain_of(i, dq, dp);
        self.valid = i.allows(i.shift) && j.allows(j.shift) && self.gain >= NO_MOVE;
        if !self.valid {
            return;
        }
        if let Some(g) = cap_at_demand(book, &self.updates, &mut self.i, &mut self.j) {
            self.gain = g;
        }
        if let Some(g) = cap_at_demand(book, &self.updates, &mut self.j, &mut self.i) {
            self.gain = g;
        }
        self.valid = self.i.allows(self.i.shift) && self.j.allows(self.j.shift);
    }

    /// The snapshot the other exchanges are recomputed against.
    pub(crate) fn realised(&self) -> Realised {
        let seen = |s: &Side| Seen {
            actor: s.actor,
            supply: s.supply,
            demand: s.demand,
            start: s.start,
            to: s.to,
            last: s.history.last().copied().unwrap_or(s.shift),
        };
        Realised {
            sides: [seen(&self.i), seen(&self.j)],
        }
    }

    /// Brings this exchange up to date after `done` was realised, as the
    /// package does: a side on the same actor and supply issue starts from
    /// where `done` left it; when `done`'s demander is one of this
    /// exchange's demanders on the same issue, the position `done` gave its
    /// supplier is recorded; either way the exchange is sized afresh.
    pub(crate) fn recalculate(&mut self, book: &Book<'_>, done: &Realised) {
        let [di, dj] = done.sides;
        let mut redo = false;
        for side in [&mut self.i, &mut self.j] {
            let source = [di, dj]
                .into_iter()
                .find(|d| d.actor == side.actor && d.supply == side.supply);
            if let Some(d) = source {
                side.at = d.to;
                side.history.push(d.last);
                redo = true;
            }
        }
        if redo {
            self.drop_current_moves();
        }
        for (demander, supplier) in [(dj, di), (di, dj)] {
            let shares_demand = [&self.j, &self.i]
                .iter()
                .any(|s| s.actor == demander.actor && s.demand == demander.demand);
            if !shares_demand {
                continue;
            }
            let issue = demander.demand;
            let position = match recorded(&self.updates, issue, supplier.actor) {
                Some(known) => kept_update(supplier.start, supplier.to, known),
                None => supplier.to,
            };
            self.record(issue, supplier.actor, position);
            if !redo {
                self.drop_current_moves();
                redo = true;
            }
        }
        if redo {
            self.calculate(book);
        }
    }

    /// The package pops the last recorded move of both sides before sizing
    /// again. When a side was just given the realised exchange's move, that
    /// is the move popped, and its stale own move stays in its history.
    fn drop_current_moves(&mut self) {
        self.i.history.pop();
        self.j.history.pop();
    }

    fn record(&mut self, issue: usize, actor: usize, position: f64) {
        match self
            .updates
            .iter_mut()
            .find(|u| u.issue == issue && u.actor == actor)
        {
            Some(u) => u.position = position,
            None => self.updates.push(Update {
                issue,
                actor,
                position,
            }),
        }
    }
}

/// Of a recorded position `known` and a new voting position `to` of an
/// actor that started the round at `start`, the one the package keeps: with
/// the recorded position at or above the start the lower of the two, below
/// it the higher.
fn kept_update(start: f64, to: f64, known: f64) -> f64 {
    if start <= known {
        known.min(to)
    } else {
        known.max(to)
    }
}

/// The package's outcome check for side `me`: if moving `me` from its
/// supply position to its voting position carries the supply issue's
/// outcome across the position `other` wants there, `me` moves only as far
/// as puts the outcome on that position and `other`'s move is resized for
/// equal gain. Returns the new gain when it resized.
fn cap_at_demand(
    book: &Book<'_>,
    updates: &[Update],
    me: &mut Side,
    other: &mut Side,
) -> Option<f64> {
    let before = book.adjusted(me.supply, updates, me.actor, me.at);
    let after = book.adjusted(me.supply, updates, me.actor, me.to);
    let target = other.want;
    // A gap within the slack is zero: where the decimal arithmetic is exact
    // (the outcome sits on the target) the package finds zero and lets the
    // move through, while binary arithmetic leaves an ulp of either sign.
    let snap = |gap: f64| if gap.abs() <= BOUND_SLACK { 0.0 } else { gap };
    let (gap_before, gap_after) = (snap(target - before), snap(target - after));
    let same_side =
        (gap_before >= 0.0 && gap_after >= 0.0) || (gap_before <= 0.0 && gap_after <= 0.0);
    if same_side {
        return None;
    }
    let delta = book
        .shift_to(me.supply, updates, me.actor, me.at, target)
        .abs();
    let mine = me.ratio(book, delta);
    let theirs = equal_gain(me, other, mine);
    let mut their_shift = other.distance(book, theirs).abs();
    let mut my_shift = delta;
    if other.at > me.want {
        their_shift = -their_shift;
    }
    if me.at > other.want {
        my_shift = -my_shift;
    }
    other.set_shift(their_shift);
    me.set_shift(my_shift);
    // The package raises when the two gains differ by more than 1e-4; they
    // agree by construction, so the other side's gain is taken as it does.
    Some(gain_of(other, theirs, mine))
}
