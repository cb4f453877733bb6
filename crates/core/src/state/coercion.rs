//! Coercion's numbers, stated once: whether a threat's condition holds,
//! whether its author's resolve holds, and what the target weighs when it
//! answers (the cost of conceding, the threat's credibility, its patrons'
//! pressure). The threats mechanism decides with them; the state's check
//! holds a logged answer, a carrying-out and a lapse to them.
//!
//! - cost of conceding = Σ over the issues the target must move on of its
//!   salience × the distance it must move / 100;
//! - credibility = resolve × c_a / (c_a + c_t): the author's capability's
//!   share of the pair's (Bueno de Mesquita's dyadic probability of
//!   prevailing, *The War Trap*, 1981) times its resolve share, its
//!   position on the resolve issue read toward acting (1 without a
//!   declared resolve; 0 once the resolve no longer holds);
//! - patrons' pressure = Σ over the target's patrons and those issues of
//!   ±leverage × the patron's salience × the distance / 100: + for a patron
//!   nearer the mark than the target, − for one farther;
//! - the target complies when severity × credibility + pressure exceeds
//!   the cost of conceding.

use super::State;
use super::names::Interned;
use crate::outcome::Outcome;
use crate::scenario::{Condition, ConditionForm, Family, Scenario};

/// The threats' rules with their ids resolved, in scenario order.
#[derive(Debug, PartialEq)]
pub(super) struct Coercion {
    rules: Vec<Rule>,
    /// The outcome keys the conditions name, each once.
    pub(super) watched: Vec<String>,
}

/// One threat's rule.
#[derive(Debug, PartialEq)]
struct Rule {
    author: Option<usize>,
    target: Option<usize>,
    condition: Cond,
    /// The resolve: issue, at least (true) or at most, the level.
    resolve: Option<(Option<usize>, bool, f64)>,
    /// The outcome that must have happened for the author to act: its
    /// place in [`Coercion::watched`].
    requires: Option<usize>,
    /// The declared severity and its uncertainty.
    severity: (f64, f64),
    /// The target's patrons and their leverage.
    patrons: Vec<(usize, f64)>,
    duration: Option<u32>,
    /// The issue whose target position a threat record carries.
    headline: Option<usize>,
}

/// A condition with its ids resolved.
#[derive(Debug, PartialEq)]
enum Cond {
    Position {
        actor: Option<usize>,
        issue: Option<usize>,
        at_least: bool,
        mark: f64,
    },
    Outcome {
        /// Its place in [`Coercion::watched`].
        watched: usize,
        /// What the target can do toward it: move on this issue to this
        /// position (at least it when `true`, at most when `false`, as
        /// written; `None`: at the issue's forecast),
        /// if anything.
        concede: Option<(usize, Option<(f64, bool)>)>,
    },
    AllOf(Vec<Cond>),
    AnyOf(Vec<Cond>),
}

/// What a threat's target weighs this round.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreatTerms {
    /// Where the target must move to comply: (issue, position), each issue
    /// once. Empty: it can do nothing toward the condition.
    pub moves: Vec<(usize, f64)>,
    /// The cost of conceding.
    pub cost_concede: f64,
    /// The threat's credibility.
    pub credibility: f64,
    /// The patrons' pressure toward compliance.
    pub leverage: f64,
    /// The severities the target may weigh: the declared share ± its
    /// uncertainty, within [0, 1].
    pub severity: (f64, f64),
}

impl ThreatTerms {
    /// Whether a target that weighs `severity` complies.
    pub fn complies(&self, severity: f64) -> bool {
        !self.moves.is_empty() && severity * self.credibility + self.leverage > self.cost_concede
    }

    /// The severity `u` in [0, 1) picks within the target's uncertainty.
    pub fn severity_at(&self, u: f64) -> f64 {
        let (lo, hi) = self.severity;
        lo + (hi - lo) * u
    }
}

impl Coercion {
    pub(super) fn new(scenario: &Scenario, actors: &Interned, issues: &Interned) -> Coercion {
        let mut watched = Vec::new();
        let rules = scenario
            .threats
            .iter()
            .map(|t| {
                let target = actors.get(&t.target);
                let condition = compile(
                    scenario,
                    actors,
                    issues,
                    &t.condition,
                    &t.target,
                    &mut watched,
                    0,
                );
                let requires = t.requires.as_ref().map(|key| watch(&mut watched, key));
                Rule {
                    requires,
                    author: actors.get(&t.actor),
                    target,
                    headline: headline(&condition),
                    condition,
                    resolve: t.resolve.as_ref().and_then(|r| {
                        let issue = issues.get(&r.issue);
                        match (r.at_least, r.at_most) {
                            (Some(x), _) => Some((issue, true, x)),
                            (None, Some(x)) => Some((issue, false, x)),
                            (None, None) => None,
                        }
                    }),
                    severity: t.severity_share(),
                    patrons: scenario
                        .patrons
                        .iter()
                        .filter(|p| p.client == t.target)
                        .filter_map(|p| actors.get(&p.patron).map(|a| (a, p.leverage)))
                        .collect(),
                    duration: t.duration,
                }
            })
            .collect();
        Coercion { rules, watched }
    }
}

/// The place of outcome `key` in the watched outcomes, added if new.
fn watch(watched: &mut Vec<String>, key: &str) -> usize {
    watched.iter().position(|w| w == key).unwrap_or_else(|| {
        watched.push(key.to_owned());
        watched.len() - 1
    })
}

/// Conditions nest no deeper than this (validation says so).
pub const MAX_CONDITION_DEPTH: usize = 4;

fn compile(
    scenario: &Scenario,
    actors: &Interned,
    issues: &Interned,
    c: &Condition,
    target: &str,
    watched: &mut Vec<String>,
    depth: usize,
) -> Cond {
    let never = Cond::AnyOf(Vec::new());
    let all = |cs: &[Condition], watched: &mut Vec<String>| -> Vec<Cond> {
        if depth >= MAX_CONDITION_DEPTH {
            return Vec::new();
        }
        cs.iter()
            .map(|c| compile(scenario, actors, issues, c, target, watched, depth + 1))
            .collect()
    };
    match c.form() {
        ConditionForm::Position {
            issue,
            actor,
            at_least,
            mark,
        } => Cond::Position {
            actor: actors.get(actor.unwrap_or(target)),
            issue: issues.get(issue),
            at_least,
            mark,
        },
        ConditionForm::Outcome(key) => {
            let k = watch(watched, key);
            let concede = Outcome::parse(key)
                .and_then(|o| concession(scenario, &o, target))
                .and_then(|(issue, x)| issues.get(&issue).map(|i| (i, x)));
            Cond::Outcome {
                watched: k,
                concede,
            }
        }
        ConditionForm::AllOf(cs) => Cond::AllOf(all(cs, watched)),
        ConditionForm::AnyOf(cs) => Cond::AnyOf(all(cs, watched)),
        ConditionForm::Malformed => never,
    }
}

/// What `target` can do toward `outcome`: move on an issue to at least a
/// position (as written on the issue's scale). An agreement (signed or
/// implemented): its issue, at the forecast it would be signed at (`None`
/// here, read from the state); a ceasefire or a regime's decision: its
/// issue, at the forecast likewise; a package or group package the target
/// is party to: its linkage issue, at the level the linkage rule asks of it
/// (`offer_at` for the one who offers, `accept_at` for the others). Other
/// outcomes (another threat's, how bargaining ended) it cannot move toward.
fn concession(
    scenario: &Scenario,
    outcome: &Outcome,
    target: &str,
) -> Option<(String, Option<(f64, bool)>)> {
    let forecast = |issue: &str| Some((issue.to_owned(), None));
    match outcome {
        Outcome::Agreement { issue } | Outcome::AgreementImplemented { issue } => forecast(issue),
        // A resolution adopted: its issue, at the forecast, as an agreement.
        Outcome::ResolutionAdopted { issue, .. } => forecast(issue),
        Outcome::CeasefireAgreed { theatre } => scenario
            .ceasefires
            .iter()
            .find(|c| &c.theatre == theatre)
            .and_then(|c| forecast(&c.issue)),
        Outcome::SanctionsEased { regime } | Outcome::SanctionsLifted { regime } => scenario
            .sanctions
            .iter()
            .find(|r| &r.id == regime)
            .and_then(|r| forecast(&r.issue)),
        Outcome::PackageAccepted { offerer, receiver } => {
            let rule = scenario.linkage.as_ref()?;
            let at = if offerer == target {
                rule.offer_at
            } else if receiver == target {
                rule.accept_at
            } else {
                return None;
            };
            linkage_level(scenario, &rule.issue, at)
        }
        Outcome::GroupPackageAccepted { parties } => {
            let rule = scenario.linkage.as_ref()?;
            let at = match parties.iter().position(|p| p == target)? {
                0 => rule.offer_at,
                _ => rule.accept_at,
            };
            linkage_level(scenario, &rule.issue, at)
        }
        _ => None,
    }
}

/// The position on the linkage issue, as written, that reads as `at`.
fn linkage_level(
    scenario: &Scenario,
    issue: &str,
    at: f64,
) -> Option<(String, Option<(f64, bool)>)> {
    let i = scenario.issues.iter().find(|i| i.id == issue)?;
    // Read through the issue's polarity: at least `at` on the reading is
    // at most 100 − at as written when the issue is turned over.
    let turned = i.high_means == Some(Family::Linkage.polarities().1);
    Some((
        issue.to_owned(),
        Some((i.reading(Family::Linkage, at), !turned)),
    ))
}

/// The first issue the condition asks the target to move on.
fn headline(c: &Cond) -> Option<usize> {
    match c {
        Cond::Position { issue, .. } => *issue,
        Cond::Outcome { concede, .. } => concede.map(|(i, _)| i),
        Cond::AllOf(cs) | Cond::AnyOf(cs) => cs.iter().find_map(headline),
    }
}

impl State {
    /// Whether threat `k`'s condition holds now.
    pub fn threat_condition_met(&self, k: usize) -> bool {
        self.threat_condition_met_with(k, |i, a| self.held(i, a).map(|h| h.position))
    }

    /// Whether threat `k`'s condition holds with the positions `position`
    /// gives (a batch's, say).
    pub fn threat_condition_met_with(
        &self,
        k: usize,
        position: impl Fn(usize, usize) -> Option<f64>,
    ) -> bool {
        self.coercion
            .rules
            .get(k)
            .is_some_and(|r| self.met(&r.condition, &position))
    }

    fn met(&self, c: &Cond, position: &impl Fn(usize, usize) -> Option<f64>) -> bool {
        match c {
            Cond::Position {
                actor,
                issue,
                at_least,
                mark,
            } => actor
                .zip(*issue)
                .and_then(|(a, i)| position(i, a))
                .is_some_and(|x| if *at_least { x >= *mark } else { x <= *mark }),
            Cond::Outcome { watched, .. } => self.seen.get(*watched).copied().unwrap_or(false),
            Cond::AllOf(cs) => !cs.is_empty() && cs.iter().all(|c| self.met(c, position)),
            Cond::AnyOf(cs) => cs.iter().any(|c| self.met(c, position)),
        }
    }

    /// Whether threat `k`'s author stands where it would act: beyond its
    /// resolve's level, or anywhere when it declared none, and, when it
    /// `requires` an outcome (a body's authorisation), once that happened.
    pub fn threat_resolve_holds(&self, k: usize) -> bool {
        self.resolve(k).is_some_and(|(holds, _)| holds)
    }

    /// Whether the author's resolve holds, and its resolve share: 1 without
    /// a declared resolve; its position read toward acting (x/100 for at
    /// least, (100 − x)/100 for at most) while the resolve holds; 0 once it
    /// does not.
    fn resolve(&self, k: usize) -> Option<(bool, f64)> {
        let r = self.coercion.rules.get(k)?;
        // An outcome the author needs (a body's authorisation) that has not
        // happened: it would not act, as when its resolve no longer holds.
        if r.requires
            .is_some_and(|w| !self.seen.get(w).copied().unwrap_or(false))
        {
            return Some((false, 0.0));
        }
        let Some((issue, at_least, level)) = r.resolve else {
            return Some((true, 1.0));
        };
        let x = issue
            .zip(r.author)
            .and_then(|(i, a)| self.held(i, a))
            .map(|h| h.position)?;
        let holds = if at_least { x >= level } else { x <= level };
        let read = if at_least { x } else { crate::scale::mirror(x) };
        Some((
            holds,
            if holds {
                read / crate::scale::HIGH
            } else {
                0.0
            },
        ))
    }

    /// The target's position on threat `k`'s headline issue (the first its
    /// condition asks it to move on), or 0.
    pub fn threat_position(&self, k: usize) -> f64 {
        self.coercion
            .rules
            .get(k)
            .and_then(|r| r.headline.zip(r.target))
            .and_then(|(i, t)| self.held(i, t))
            .map_or(0.0, |h| h.position)
    }

    /// Rounds a carried-out threat `k` lasts, if bounded.
    pub fn threat_duration(&self, k: usize) -> Option<u32> {
        self.coercion.rules.get(k).and_then(|r| r.duration)
    }

    /// What threat `k`'s target weighs now; `None` for an unknown threat or
    /// a party the state does not have.
    pub fn threat_terms(&self, k: usize) -> Option<ThreatTerms> {
        let r = self.coercion.rules.get(k)?;
        let (author, target) = (r.author?, r.target?);
        let mut moves = Vec::new();
        self.moves(&r.condition, target, &mut moves);
        let gap = |i: usize, mark: f64, a: usize| {
            self.held(i, a)
                .map(|h| (h.salience, (mark - h.position).abs() / crate::scale::HIGH))
        };
        let mut cost_concede = 0.0;
        let mut leverage = 0.0;
        for &(i, mark) in &moves {
            let Some((salience, distance)) = gap(i, mark, target) else {
                continue;
            };
            cost_concede += salience * distance;
            for &(p, l) in &r.patrons {
                let Some((s_p, d_p)) = gap(i, mark, p) else {
                    continue;
                };
                let side = if d_p < distance {
                    1.0
                } else if d_p > distance {
                    -1.0
                } else {
                    0.0
                };
                leverage += side * l * s_p * distance;
            }
        }
        let (ca, ct) = (self.capability(author), self.capability(target));
        let ratio = if ca + ct > 0.0 { ca / (ca + ct) } else { 0.0 };
        let credibility = self.resolve(k).map_or(0.0, |(_, share)| share) * ratio;
        let (share, spread) = r.severity;
        Some(ThreatTerms {
            moves,
            cost_concede,
            credibility,
            leverage,
            severity: (
                (share - spread).clamp(0.0, 1.0),
                (share + spread).clamp(0.0, 1.0),
            ),
        })
    }

    /// Where the target must move to meet `c`, added to `moves`; nothing
    /// for a condition met, or one it can do nothing toward. All of: each
    /// unmet part it can move toward; any of: the cheapest such part.
    fn moves(&self, c: &Cond, target: usize, moves: &mut Vec<(usize, f64)>) {
        if self.met(c, &|i, a| self.held(i, a).map(|h| h.position)) {
            return;
        }
        let add = |i: usize, mark: f64, moves: &mut Vec<(usize, f64)>| {
            if !self.settled(i)
                && self.held(i, target).is_some()
                && !moves.iter().any(|&(j, _)| j == i)
            {
                moves.push((i, crate::scale::clamp(mark)));
            }
        };
        match c {
            Cond::Position {
                issue: Some(i),
                mark,
                at_least,
                ..
            } => {
                // Where another actor's position is asked for, the target
                // moves its own there, unless it already stands beyond it.
                let beyond = self.held(*i, target).is_some_and(|h| {
                    if *at_least {
                        h.position >= *mark
                    } else {
                        h.position <= *mark
                    }
                });
                if !beyond {
                    add(*i, *mark, moves);
                }
            }
            Cond::Position { issue: None, .. } => {}
            Cond::Outcome {
                concede: Some((i, at)),
                ..
            } => {
                let Some(x) = self.held(*i, target).map(|h| h.position) else {
                    return;
                };
                match at {
                    None => {
                        let forecast = self.agreement_forecast(*i);
                        if x != forecast {
                            add(*i, forecast, moves);
                        }
                    }
                    Some((at, true)) if x < *at => add(*i, *at, moves),
                    Some((at, false)) if x > *at => add(*i, *at, moves),
                    Some(_) => {}
                }
            }
            Cond::Outcome { concede: None, .. } => {}
            Cond::AllOf(cs) => cs.iter().for_each(|c| self.moves(c, target, moves)),
            Cond::AnyOf(cs) => {
                let cost = |m: &[(usize, f64)]| -> f64 {
                    m.iter()
                        .filter_map(|&(i, mark)| {
                            self.held(i, target)
                                .map(|h| h.salience * (mark - h.position).abs())
                        })
                        .sum()
                };
                let mut best: Option<(f64, Vec<(usize, f64)>)> = None;
                for c in cs {
                    let mut m = Vec::new();
                    self.moves(c, target, &mut m);
                    if m.is_empty() {
                        continue;
                    }
                    let x = cost(&m);
                    if best.as_ref().is_none_or(|(b, _)| x < *b) {
                        best = Some((x, m));
                    }
                }
                for (i, mark) in best.map(|(_, m)| m).unwrap_or_default() {
                    add(i, mark, moves);
                }
            }
        }
    }

    /// Marks the outcomes the conditions watch that `event` makes happen.
    pub(super) fn watch(&mut self, event: &crate::event::Event) {
        if self.coercion.watched.is_empty() {
            return;
        }
        if let Some(o) = Outcome::of(event) {
            let key = o.key();
            if let Some(k) = self.coercion.watched.iter().position(|w| *w == key) {
                self.seen[k] = true;
            }
        }
    }
}
