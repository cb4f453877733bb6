//! Validation: every problem with a scenario, each at its JSON path, so a
//! user fixes a file in one pass. One check per section of the file, in the
//! order the sections are written; the primitives (a text, a basis, a
//! position, an id that must be known) are stated once, at the bottom.

mod bodies;
mod crisis;
mod fronts;
mod primitives;
mod threats;

use std::collections::{BTreeMap, BTreeSet};

use super::ids::{MAX_ACTOR_ID, MAX_ID, is_actor_id, is_issue_id, is_scenario_id, show};
use super::{ModelKind, Problem, SCENARIO_VERSION, SCENARIO_VERSIONS, Scenario};
use crate::{cameo, limits};

/// Every problem with `s`.
pub(super) fn problems(s: &Scenario) -> Vec<Problem> {
    let mut check = Checker {
        s,
        problems: Vec::new(),
        actors: BTreeMap::new(),
        issues: BTreeMap::new(),
        held: BTreeSet::new(),
    };
    check.header();
    check.sources();
    check.actors();
    check.stances();
    check.issues();
    check.timeline();
    check.model();
    check.strikes();
    check.ceasefires();
    check.sanctions();
    check.linkage();
    check.agreement();
    check.trust();
    check.crisis();
    check.text_limits();
    check.problems
}

/// Collects problems with their paths, and the ids the sections declare.
struct Checker<'s> {
    s: &'s Scenario,
    problems: Vec<Problem>,
    /// Actor ids, with the index where each is first declared.
    actors: BTreeMap<&'s str, usize>,
    /// Issue ids, likewise.
    issues: BTreeMap<&'s str, usize>,
    /// (actor, issue) pairs that hold a stance.
    held: BTreeSet<(&'s str, &'s str)>,
}

impl<'s> Checker<'s> {
    fn header(&mut self) {
        let s = self.s;
        if !SCENARIO_VERSIONS.contains(&s.version) {
            self.push(
                "$.version",
                format!(
                    "scenario format version {} is not known to this engine; expected 1 or {SCENARIO_VERSION}",
                    s.version
                ),
            );
        }
        if !is_scenario_id(&s.id) {
            self.push(
                "$.id",
                format!(
                    "expected at most {MAX_ID} characters, lower-case letters, digits, '-' and '_', starting with a letter or digit; found {:?} ({} characters)",
                    s.id,
                    s.id.chars().count()
                ),
            );
        }
        self.text("$.title", &s.title);
        if s.days_per_round == 0 || s.days_per_round > limits::MAX_DAYS_PER_ROUND {
            self.push(
                "$.days_per_round",
                format!(
                    "expected 1 to {} days, found {}",
                    limits::MAX_DAYS_PER_ROUND,
                    s.days_per_round
                ),
            );
        }
        if s.rounds == 0 || s.rounds > limits::MAX_ROUNDS {
            self.push(
                "$.rounds",
                format!(
                    "expected 1 to {} rounds, found {}",
                    limits::MAX_ROUNDS,
                    s.rounds
                ),
            );
        } else if let Some(problem) = s.rounds_problem(s.rounds) {
            self.push("$.rounds", problem);
        }
        self.count("$.actors", s.actors.len(), limits::MAX_ACTORS);
        self.count("$.issues", s.issues.len(), limits::MAX_ISSUES);
        self.count("$.timeline", s.timeline.len(), limits::MAX_TIMELINE);
    }

    fn sources(&mut self) {
        let s = self.s;
        self.count("$.sources", s.sources.len(), limits::MAX_LIST);
        for (i, src) in s.sources.iter().enumerate() {
            self.text(&format!("$.sources[{i}].id"), &src.id);
            self.text(&format!("$.sources[{i}].title"), &src.title);
        }
    }

    fn actors(&mut self) {
        let s = self.s;
        self.actors = self.ids(
            "$.actors",
            s.actors.iter().map(|a| a.id.as_str()),
            is_actor_id,
            &format!(
                "an upper-case code such as USA or SYR_GOV, of at most {MAX_ACTOR_ID} characters"
            ),
        );
        if s.actors.is_empty() {
            self.push("$.actors", "expected at least one actor, found none");
        }
        for (i, a) in s.actors.iter().enumerate() {
            let p = format!("$.actors[{i}]");
            self.text(&format!("{p}.name"), &a.name);
            self.basis(&format!("{p}.basis"), &a.basis);
            // The rule a capability_changed is held to as well.
            if limits::capability_allowed(a.capability) {
                continue;
            }
            let why = if !(a.capability.is_finite() && a.capability > 0.0) {
                format!("expected a number above 0, found {}", show(a.capability))
            } else if a.capability < limits::MIN_CAPABILITY {
                format!(
                    "capability {} is below the smallest, {} (capabilities are relative: scale them all up)",
                    show(a.capability),
                    show(limits::MIN_CAPABILITY)
                )
            } else {
                format!(
                    "capability {} exceeds the limit {}",
                    show(a.capability),
                    show(limits::MAX_CAPABILITY)
                )
            };
            self.push(format!("{p}.capability"), why);
        }
        self.issues = self.ids(
            "$.issues",
            s.issues.iter().map(|i| i.id.as_str()),
            is_issue_id,
            &format!("a snake_case id such as assad_role, of at most {MAX_ID} characters"),
        );
        if s.issues.is_empty() {
            self.push("$.issues", "expected at least one issue, found none");
        }
    }

    /// Known actor and issue, one stance per pair, values in range.
    fn stances(&mut self) {
        let s = self.s;
        self.count(
            "$.stances",
            s.stances.len(),
            limits::MAX_ACTORS * limits::MAX_ISSUES,
        );
        for (i, st) in s.stances.iter().enumerate() {
            let p = format!("$.stances[{i}]");
            let known_actor = self.actor(&format!("{p}.actor"), &st.actor);
            let known_issue = self.issue(&format!("{p}.issue"), &st.issue);
            if known_actor && known_issue && !self.held.insert((&st.actor, &st.issue)) {
                self.push(
                    p.clone(),
                    format!(
                        "a second stance of {} on {}; expected one stance per actor and issue",
                        st.actor, st.issue
                    ),
                );
            }
            self.position(&format!("{p}.position"), st.position);
            if !(st.salience.is_finite() && st.salience > 0.0 && st.salience <= 1.0) {
                self.push(
                    format!("{p}.salience"),
                    format!("expected a salience in (0, 1], found {}", show(st.salience)),
                );
            }
            self.within(&format!("{p}.uncertainty"), st.uncertainty, 50.0);
            self.basis(&format!("{p}.basis"), &st.basis);
        }
    }

    fn issues(&mut self) {
        let s = self.s;
        for (i, issue) in s.issues.iter().enumerate() {
            let p = format!("$.issues[{i}]");
            self.text(&format!("{p}.question"), &issue.question);
            self.text(&format!("{p}.low"), &issue.low);
            self.text(&format!("{p}.high"), &issue.high);
            if issue.principals.is_empty() {
                self.push(format!("{p}.principals"), "expected at least one principal");
            }
            let mut seen = BTreeSet::new();
            for (k, who) in issue.principals.iter().enumerate() {
                let pp = format!("{p}.principals[{k}]");
                if !self.actor(&pp, who) {
                    continue;
                }
                if !seen.insert(who.as_str()) {
                    self.push(&pp, format!("{who} is listed twice"));
                } else if !self.held.contains(&(who.as_str(), issue.id.as_str())) {
                    self.push(
                        &pp,
                        format!(
                            "{who} is a principal on {} but has no stance on it; add one to $.stances",
                            issue.id
                        ),
                    );
                }
            }
            if !self.held.iter().any(|(_, iss)| *iss == issue.id) {
                self.push(&p, format!("no actor holds a stance on {}", issue.id));
            }
        }
    }

    fn timeline(&mut self) {
        let s = self.s;
        for (i, e) in s.timeline.iter().enumerate() {
            let p = format!("$.timeline[{i}]");
            if e.date < s.start && s.version < 2 {
                self.push(
                    format!("{p}.date"),
                    format!(
                        "{} is before the scenario's start {} (format 2 plays such an entry in round 0)",
                        e.date, s.start
                    ),
                );
            }
            let end = s.round_last_day(s.rounds.min(limits::MAX_ROUNDS));
            if e.date > end {
                self.push(
                    format!("{p}.date"),
                    format!(
                        "{} is after the run's last day {end} ({} rounds); play more rounds or leave it out",
                        e.date, s.rounds
                    ),
                );
            }
            self.actor(&format!("{p}.actor"), &e.actor);
            if let Some(t) = &e.target {
                self.actor(&format!("{p}.target"), t);
            }
            if let Some(iss) = &e.issue {
                self.issue(&format!("{p}.issue"), iss);
            }
            if let Some(code) = &e.cameo
                && cameo::lookup(code).is_none()
            {
                self.push(
                    format!("{p}.cameo"),
                    format!("CAMEO code {code:?} is not in the table (`entente cameo` lists it)"),
                );
            }
            self.text(&format!("{p}.text"), &e.text);
            self.basis(&format!("{p}.basis"), &e.basis);
        }
    }

    fn model(&mut self) {
        let m = &self.s.model;
        if !(m.lambda.is_finite() && m.lambda > 0.0 && m.lambda <= 1.0) {
            self.push(
                "$.model.lambda",
                format!("expected a step in (0, 1], found {}", show(m.lambda)),
            );
        }
        if m.kind == ModelKind::Spatial {
            let holders = self
                .s
                .actors
                .iter()
                .filter(|a| self.s.stances.iter().any(|st| st.actor == a.id))
                .count();
            if holders < crate::model::spatial::MIN_ACTORS {
                self.push(
                    "$.model.kind",
                    format!(
                        "the spatial model needs at least {} actors holding a stance, found {holders}",
                        crate::model::spatial::MIN_ACTORS
                    ),
                );
            }
        }
        if m.kind == ModelKind::Exchange
            && let Err(e) = m.exchange.validate()
        {
            self.push("$.model.exchange", e.to_string());
        }
        if let Some(stop) = &m.stop {
            if let Some(r) = stop.relative
                && !(r.is_finite() && r > 0.0 && r <= 1.0)
            {
                self.push(
                    "$.model.stop.relative",
                    format!("expected a share in (0, 1], found {}", show(r)),
                );
            }
            if !(stop.tolerance.is_finite() && stop.tolerance > 0.0 && stop.tolerance <= 100.0) {
                self.push(
                    "$.model.stop.tolerance",
                    format!(
                        "expected a tolerance in (0, 100] points, found {}",
                        show(stop.tolerance)
                    ),
                );
            }
            if !(1..=limits::MAX_STOP_ROUNDS).contains(&stop.quiet_rounds) {
                self.push(
                    "$.model.stop.quiet_rounds",
                    format!(
                        "expected 1 to {} rounds, found {}",
                        limits::MAX_STOP_ROUNDS,
                        stop.quiet_rounds
                    ),
                );
            }
            if !(2..=limits::MAX_STOP_ROUNDS).contains(&stop.max_period) {
                self.push(
                    "$.model.stop.max_period",
                    format!(
                        "expected a period of 2 to {} rounds, found {}",
                        limits::MAX_STOP_ROUNDS,
                        stop.max_period
                    ),
                );
            }
        }
    }

    fn strikes(&mut self) {
        let s = self.s;
        self.count("$.strikes", s.strikes.len(), limits::MAX_LIST);
        for (i, st) in s.strikes.iter().enumerate() {
            let p = format!("$.strikes[{i}]");
            self.theatre(&format!("{p}.theatre"), &st.theatre);
            self.stance_of(
                &format!("{p}.actor"),
                &st.actor,
                &format!("{p}.issue"),
                &st.issue,
            );
            if st.per_round == 0 || st.per_round > limits::MAX_STRIKES_PER_ROUND {
                self.push(
                    format!("{p}.per_round"),
                    format!(
                        "expected 1 to {} strikes a round, found {}",
                        limits::MAX_STRIKES_PER_ROUND,
                        st.per_round
                    ),
                );
            }
            self.basis(&format!("{p}.basis"), &st.basis);
        }
    }

    fn ceasefires(&mut self) {
        let s = self.s;
        self.count("$.ceasefires", s.ceasefires.len(), limits::MAX_LIST);
        let mut theatres = BTreeSet::new();
        for (i, c) in s.ceasefires.iter().enumerate() {
            let p = format!("$.ceasefires[{i}]");
            if self.theatre(&format!("{p}.theatre"), &c.theatre) && !theatres.insert(&c.theatre) {
                self.push(
                    format!("{p}.theatre"),
                    format!(
                        "a second ceasefire for {}; expected one per theatre",
                        c.theatre
                    ),
                );
            }
            let issue_known = self.issue(&format!("{p}.issue"), &c.issue);
            if c.parties.len() < 2 {
                self.push(format!("{p}.parties"), "expected at least two parties");
            }
            self.distinct(&format!("{p}.parties"), &c.parties);
            for (k, party) in c.parties.iter().enumerate() {
                let pp = format!("{p}.parties[{k}]");
                if self.actor(&pp, party) && issue_known {
                    self.held_by(&pp, party, &c.issue);
                }
            }
            self.within(&format!("{p}.tolerance"), c.tolerance, 100.0);
            self.position(&format!("{p}.threshold"), c.threshold);
            self.probability(&format!("{p}.hazard"), c.hazard);
            match (c.collapse_after, &c.collapse_hazard) {
                (0, None) => self.push(
                    format!("{p}.collapse_after"),
                    "expected at least 1 violation (or a collapse_hazard)",
                ),
                (1.., Some(_)) => self.push(
                    format!("{p}.collapse_after"),
                    "give collapse_after or collapse_hazard, not both",
                ),
                _ => {}
            }
            self.basis(&format!("{p}.basis"), &c.basis);
        }
    }

    fn sanctions(&mut self) {
        let s = self.s;
        self.count("$.sanctions", s.sanctions.len(), limits::MAX_LIST);
        let mut regimes = BTreeSet::new();
        for (i, r) in s.sanctions.iter().enumerate() {
            let p = format!("$.sanctions[{i}]");
            if !is_issue_id(&r.id) {
                self.push(
                    format!("{p}.id"),
                    format!(
                        "expected a snake_case id of at most {} characters, found {:?}",
                        MAX_ID, r.id
                    ),
                );
            } else if !regimes.insert(&r.id) {
                self.push(format!("{p}.id"), format!("duplicate regime id {}", r.id));
            }
            if r.body.is_none() && (r.imposers.is_empty() || !r.imposer.is_empty()) {
                self.stance_of(
                    &format!("{p}.imposer"),
                    &r.imposer,
                    &format!("{p}.issue"),
                    &r.issue,
                );
            }
            self.actor(&format!("{p}.target"), &r.target);
            if r.imposer == r.target {
                self.push(format!("{p}.target"), "an actor cannot sanction itself");
            }
            self.count(&format!("{p}.renewals"), r.renewals.len(), limits::MAX_LIST);
            for (k, d) in r.renewals.iter().enumerate() {
                if *d < s.start {
                    self.push(
                        format!("{p}.renewals[{k}]"),
                        format!("{d} is before the scenario's start {}", s.start),
                    );
                }
                if k > 0 && *d <= r.renewals[k - 1] {
                    self.push(
                        format!("{p}.renewals[{k}]"),
                        "expected renewal dates in increasing order",
                    );
                }
            }
            self.position(&format!("{p}.renew_at"), r.renew_at);
            self.position(&format!("{p}.lift_below"), r.lift_below);
            if r.lift_below > r.renew_at {
                self.push(
                    format!("{p}.lift_below"),
                    format!(
                        "expected lift_below ({}) not above renew_at ({})",
                        r.lift_below, r.renew_at
                    ),
                );
            }
            self.basis(&format!("{p}.basis"), &r.basis);
        }
    }

    fn linkage(&mut self) {
        let Some(l) = &self.s.linkage else {
            return;
        };
        let linkage_known = self.issue("$.linkage.issue", &l.issue);
        self.position("$.linkage.offer_at", l.offer_at);
        self.position("$.linkage.accept_at", l.accept_at);
        self.count("$.linkage.pairs", l.pairs.len(), limits::MAX_LIST);
        if l.cooldown_rounds > limits::MAX_ROUNDS {
            self.push(
                "$.linkage.cooldown_rounds",
                format!(
                    "expected at most {} rounds, found {}",
                    limits::MAX_ROUNDS,
                    l.cooldown_rounds
                ),
            );
        }
        for (i, pair) in l.pairs.iter().enumerate() {
            let p = format!("$.linkage.pairs[{i}]");
            let mut traded = [false; 2];
            for (k, iss) in pair.issues.iter().enumerate() {
                traded[k] = self.issue(&format!("{p}.issues[{k}]"), iss);
            }
            for (who, field) in [(&pair.offerer, "offerer"), (&pair.receiver, "receiver")] {
                let wp = format!("{p}.{field}");
                if !self.actor(&wp, who) {
                    continue;
                }
                if linkage_known {
                    self.held_by(&wp, who, &l.issue);
                }
                for (k, iss) in pair.issues.iter().enumerate() {
                    if traded[k] {
                        self.held_by(&wp, who, iss);
                    }
                }
            }
            if pair.offerer == pair.receiver {
                self.push(
                    format!("{p}.receiver"),
                    "an actor cannot offer itself a package",
                );
            }
            if pair.issues[0] == pair.issues[1] {
                self.push(format!("{p}.issues"), "expected two different issues");
            }
            if pair.issues.contains(&l.issue) {
                self.push(
                    format!("{p}.issues"),
                    "the linkage issue itself cannot be traded in a package",
                );
            }
            self.basis(&format!("{p}.basis"), &pair.basis);
        }
    }

    fn agreement(&mut self) {
        self.within("$.agreement.tolerance", self.s.agreement.tolerance, 100.0);
        // Optional (files of engines before 0.8.0 have none), but one given
        // says something.
        if let Some(basis) = &self.s.agreement.basis {
            self.basis("$.agreement.basis", basis);
        }
    }

    fn trust(&mut self) {
        let t = &self.s.trust;
        self.probability("$.trust.initial", t.initial);
        self.within("$.trust.rate", t.rate, 1.0);
        self.count("$.trust.pairs", t.pairs.len(), limits::MAX_LIST);
        let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (i, pair) in t.pairs.iter().enumerate() {
            let p = format!("$.trust.pairs[{i}]");
            // Trust is symmetric: (a, b) and (b, a) are one pair.
            let key = if pair.a <= pair.b {
                (pair.a.as_str(), pair.b.as_str())
            } else {
                (pair.b.as_str(), pair.a.as_str())
            };
            if let Some(first) = seen.insert(key, i) {
                seen.insert(key, first);
                self.push(
                    p.clone(),
                    format!(
                        "trust between {} and {} is given twice, here and at $.trust.pairs[{first}]; keep one",
                        pair.a, pair.b
                    ),
                );
            }
            self.actor(&format!("{p}.a"), &pair.a);
            self.actor(&format!("{p}.b"), &pair.b);
            if pair.a == pair.b {
                self.push(format!("{p}.b"), "trust is between two different actors");
            }
            self.probability(&format!("{p}.value"), pair.value);
            self.basis(&format!("{p}.basis"), &pair.basis);
        }
    }
}
