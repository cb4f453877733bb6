//! What format 2 adds: polarity on every issue a mechanism reads, patrons,
//! threats, timeline effects, the new fields of the mechanisms' rules, and
//! a format-1 file that uses none of them.

use std::collections::BTreeSet;

use super::Checker;
use crate::scenario::ids::show;
use crate::scenario::{DecisionRule, Effect, Family};

/// The largest weight a collapse hazard's log-odds may carry.
const MAX_HAZARD_WEIGHT: f64 = 20.0;
/// The longest window of violations a collapse hazard may count, in rounds.
const MAX_HAZARD_WINDOW: u32 = 520;

impl Checker<'_> {
    /// Every format-2 check.
    pub(super) fn crisis(&mut self) {
        if self.s.version < 2 {
            self.format1_uses_nothing_new();
            return;
        }
        self.polarity();
        self.patrons();
        self.threats();
        self.bodies();
        self.effects();
        self.crisis_rules();
        self.fronts();
    }

    /// A format-1 file keeps format 1's meaning: a field of format 2 in it
    /// is a mistake the user should hear of.
    #[expect(
        clippy::cognitive_complexity,
        reason = "a flat list of format 2's fields, one `if` each: long, not intricate, and split it would scatter the one list"
    )]
    fn format1_uses_nothing_new(&mut self) {
        let s = self.s;
        let mut used: Vec<String> = Vec::new();
        if !s.patrons.is_empty() {
            used.push("$.patrons".into());
        }
        if !s.threats.is_empty() {
            used.push("$.threats".into());
        }
        if !s.bodies.is_empty() {
            used.push("$.bodies".into());
        }
        if !s.fronts.is_empty() {
            used.push("$.fronts".into());
        }
        if s.fighting.is_some() {
            used.push("$.fighting".into());
        }
        for (i, a) in s.actors.iter().enumerate() {
            if a.capability_uncertainty != 0.0 {
                used.push(format!("$.actors[{i}].capability_uncertainty"));
            }
        }
        for (i, st) in s.stances.iter().enumerate() {
            if st.salience_uncertainty != 0.0 {
                used.push(format!("$.stances[{i}].salience_uncertainty"));
            }
        }
        for (i, issue) in s.issues.iter().enumerate() {
            if issue.high_means.is_some() {
                used.push(format!("$.issues[{i}].high_means"));
            }
            if !issue.brokers.is_empty() {
                used.push(format!("$.issues[{i}].brokers"));
            }
            if !issue.must_act.is_empty() {
                used.push(format!("$.issues[{i}].must_act"));
            }
        }
        for (i, e) in s.timeline.iter().enumerate() {
            if !e.effects.is_empty() {
                used.push(format!("$.timeline[{i}].effects"));
            }
            if !e.actors.is_empty() {
                used.push(format!("$.timeline[{i}].actors"));
            }
        }
        for (i, c) in s.strikes.iter().enumerate() {
            if c.hits.is_some() {
                used.push(format!("$.strikes[{i}].hits"));
            }
        }
        for (i, c) in s.ceasefires.iter().enumerate() {
            if !c.brokers.is_empty() {
                used.push(format!("$.ceasefires[{i}].brokers"));
            }
            if !c.hazards.is_empty() {
                used.push(format!("$.ceasefires[{i}].hazards"));
            }
            if c.trust_to_reagree.is_some() {
                used.push(format!("$.ceasefires[{i}].trust_to_reagree"));
            }
            if c.trust_recovery != 0.0 {
                used.push(format!("$.ceasefires[{i}].trust_recovery"));
            }
            if c.collapse_hazard.is_some() {
                used.push(format!("$.ceasefires[{i}].collapse_hazard"));
            }
            if c.monitoring.is_some() {
                used.push(format!("$.ceasefires[{i}].monitoring"));
            }
            if !c.exempt.is_empty() {
                used.push(format!("$.ceasefires[{i}].exempt"));
            }
        }
        for (i, r) in s.sanctions.iter().enumerate() {
            if !r.imposers.is_empty() {
                used.push(format!("$.sanctions[{i}].imposers"));
            }
            if r.rule != crate::scenario::DecisionRule::One {
                used.push(format!("$.sanctions[{i}].rule"));
            }
            if r.every_days.is_some() {
                used.push(format!("$.sanctions[{i}].every_days"));
            }
            if r.cost != 0.0 {
                used.push(format!("$.sanctions[{i}].cost"));
            }
        }
        if s.linkage.as_ref().is_some_and(|l| !l.groups.is_empty()) {
            used.push("$.linkage.groups".into());
        }
        if s.agreement.implementation.is_some() {
            used.push("$.agreement.implementation".into());
        }
        for path in used {
            self.push(
                path,
                "a field of scenario format 2; set $.version to 2 (format 2 also asks each issue a mechanism reads for its high_means)",
            );
        }
    }

    /// Each issue a mechanism reads says what its high end means to that
    /// mechanism's family, and no issue is read by two families.
    fn polarity(&mut self) {
        let s = self.s;
        let mut readers: Vec<(String, &str, Family)> = Vec::new();
        for (i, c) in s.strikes.iter().enumerate() {
            readers.push((format!("$.strikes[{i}].issue"), &c.issue, Family::Strikes));
        }
        for (i, c) in s.ceasefires.iter().enumerate() {
            readers.push((
                format!("$.ceasefires[{i}].issue"),
                &c.issue,
                Family::Ceasefire,
            ));
        }
        for (i, r) in s.sanctions.iter().enumerate() {
            readers.push((
                format!("$.sanctions[{i}].issue"),
                &r.issue,
                Family::Sanctions,
            ));
        }
        if let Some(l) = &s.linkage {
            readers.push(("$.linkage.issue".into(), &l.issue, Family::Linkage));
        }
        for (path, id, family) in readers {
            let Some((k, issue)) = s.issues.iter().enumerate().find(|(_, x)| x.id == id) else {
                continue;
            };
            let (high, low) = family.polarities();
            match issue.high_means {
                None => self.push(
                    path,
                    format!(
                        "{} reads {id}, which does not say what its high end means; set $.issues[{k}].high_means to {:?} or {:?}",
                        family.name(),
                        snake(high),
                        snake(low)
                    ),
                ),
                Some(h) if h != high && h != low => self.push(
                    path,
                    format!(
                        "{} reads {id}, whose high end means {:?} ($.issues[{k}].high_means), a polarity for another mechanism; expected {:?} or {:?}",
                        family.name(),
                        snake(h),
                        snake(high),
                        snake(low)
                    ),
                ),
                Some(_) => {}
            }
        }
        for (i, issue) in s.issues.iter().enumerate() {
            let p = format!("$.issues[{i}]");
            for (k, b) in issue.brokers.iter().enumerate() {
                let bp = format!("{p}.brokers[{k}]");
                if self.actor(&bp, b) {
                    self.held_by(&bp, b, &issue.id);
                }
            }
            self.distinct(&format!("{p}.brokers"), &issue.brokers);
            for (k, m) in issue.must_act.iter().enumerate() {
                let mp = format!("{p}.must_act[{k}]");
                if self.actor(&mp, m) {
                    self.held_by(&mp, m, &issue.id);
                }
            }
            self.distinct(&format!("{p}.must_act"), &issue.must_act);
        }
    }

    fn patrons(&mut self) {
        let s = self.s;
        let mut seen = BTreeSet::new();
        for (i, p) in s.patrons.iter().enumerate() {
            let path = format!("$.patrons[{i}]");
            self.actor(&format!("{path}.patron"), &p.patron);
            self.actor(&format!("{path}.client"), &p.client);
            if p.patron == p.client {
                self.push(
                    format!("{path}.client"),
                    "an actor cannot be its own patron",
                );
            }
            if !seen.insert((&p.patron, &p.client)) {
                self.push(
                    path.clone(),
                    format!("{} is patron to {} twice; keep one", p.patron, p.client),
                );
            }
            if !(p.leverage.is_finite() && p.leverage > 0.0 && p.leverage <= 1.0) {
                self.push(
                    format!("{path}.leverage"),
                    format!("expected a leverage in (0, 1], found {}", show(p.leverage)),
                );
            }
            self.basis(&format!("{path}.basis"), &p.basis);
        }
    }

    fn effects(&mut self) {
        let s = self.s;
        for (i, e) in s.timeline.iter().enumerate() {
            let p = format!("$.timeline[{i}]");
            for (k, who) in e.actors.iter().enumerate() {
                self.actor(&format!("{p}.actors[{k}]"), who);
            }
            self.distinct(&format!("{p}.actors"), &e.actors);
            if !e.actors.is_empty() && !e.actors.contains(&e.actor) {
                self.push(
                    format!("{p}.actors"),
                    format!("expected the entry's actor {} among its actors", e.actor),
                );
            }
            for (k, effect) in e.effects.iter().enumerate() {
                self.effect(&format!("{p}.effects[{k}]"), effect);
            }
        }
    }

    /// One declared effect (of a timeline entry or a threat), at `ep`.
    pub(super) fn effect(&mut self, ep: &str, effect: &Effect) {
        match effect {
            Effect::Salience { actor, issue, by } => {
                self.stance_of(
                    &format!("{ep}.salience.actor"),
                    actor,
                    &format!("{ep}.salience.issue"),
                    issue,
                );
                self.signed(&format!("{ep}.salience.by"), *by, 1.0);
            }
            Effect::Position { actor, issue, by } => {
                self.stance_of(
                    &format!("{ep}.position.actor"),
                    actor,
                    &format!("{ep}.position.issue"),
                    issue,
                );
                self.signed(&format!("{ep}.position.by"), *by, 100.0);
            }
            Effect::Capability { actor, by } => {
                self.actor(&format!("{ep}.capability.actor"), actor);
                if !(by.is_finite() && *by > -1.0 && *by <= 10.0) {
                    self.push(
                        format!("{ep}.capability.by"),
                        format!(
                            "expected a share above −1 and at most 10, found {}",
                            show(*by)
                        ),
                    );
                }
            }
            Effect::Trust { a, b, by } => {
                self.actor(&format!("{ep}.trust.a"), a);
                self.actor(&format!("{ep}.trust.b"), b);
                if a == b {
                    self.push(
                        format!("{ep}.trust.b"),
                        "trust is between two different actors",
                    );
                }
                self.signed(&format!("{ep}.trust.by"), *by, 1.0);
            }
        }
    }

    fn crisis_rules(&mut self) {
        let s = self.s;
        for (i, a) in s.actors.iter().enumerate() {
            self.within(
                &format!("$.actors[{i}].capability_uncertainty"),
                a.capability_uncertainty,
                0.9,
            );
        }
        for (i, st) in s.stances.iter().enumerate() {
            self.within(
                &format!("$.stances[{i}].salience_uncertainty"),
                st.salience_uncertainty,
                0.5,
            );
        }
        for (i, c) in s.strikes.iter().enumerate() {
            if let Some(h) = &c.hits {
                self.actor(&format!("$.strikes[{i}].hits"), h);
            }
        }
        for (i, c) in s.ceasefires.iter().enumerate() {
            let p = format!("$.ceasefires[{i}]");
            for (k, b) in c.brokers.iter().enumerate() {
                let bp = format!("{p}.brokers[{k}]");
                if self.actor(&bp, b) {
                    self.held_by(&bp, b, &c.issue);
                }
            }
            self.distinct(&format!("{p}.brokers"), &c.brokers);
            for (who, &h) in &c.hazards {
                let hp = format!("{p}.hazards.{who}");
                if self.actor(&hp, who) && !c.parties.contains(who) {
                    self.push(
                        hp.clone(),
                        format!("{who} is not a party to this ceasefire"),
                    );
                }
                self.probability(&hp, h);
            }
            if let Some(t) = c.trust_to_reagree {
                self.probability(&format!("{p}.trust_to_reagree"), t);
            }
            self.within(&format!("{p}.trust_recovery"), c.trust_recovery, 1.0);
            self.ceasefire_hazard(&p, c);
        }
        self.crisis_regimes();
    }

    /// A ceasefire's collapse hazard, monitoring and exempt groups.
    fn ceasefire_hazard(&mut self, p: &str, c: &crate::scenario::CeasefireRule) {
        if let Some(h) = &c.collapse_hazard {
            let hp = format!("{p}.collapse_hazard");
            self.probability(&format!("{hp}.base"), h.base);
            for (name, w) in [
                ("per_violation", h.per_violation),
                ("trust", h.trust),
                ("monitoring", h.monitoring),
            ] {
                self.within(&format!("{hp}.{name}"), w, MAX_HAZARD_WEIGHT);
            }
            if h.window == 0 || h.window > MAX_HAZARD_WINDOW {
                self.push(
                    format!("{hp}.window"),
                    format!(
                        "expected 1 to {MAX_HAZARD_WINDOW} rounds, found {}",
                        h.window
                    ),
                );
            }
            self.basis(&format!("{hp}.basis"), &h.basis);
        }
        if let Some(m) = &c.monitoring {
            let mp = format!("{p}.monitoring");
            self.probability(&format!("{mp}.level"), m.level);
            for (k, who) in m.by.iter().enumerate() {
                self.actor(&format!("{mp}.by[{k}]"), who);
            }
            self.distinct(&format!("{mp}.by"), &m.by);
            self.basis(&format!("{mp}.basis"), &m.basis);
        }
        for (k, who) in c.exempt.iter().enumerate() {
            let ep = format!("{p}.exempt[{k}]");
            if self.actor(&ep, who) && c.parties.contains(who) {
                self.push(
                    ep,
                    format!("{who} is a party to this ceasefire; a party cannot be exempt"),
                );
            }
        }
        self.distinct(&format!("{p}.exempt"), &c.exempt);
    }

    /// A regime decided by a body: a body the scenario declares, deciding
    /// by a rule (a quota counts a draft's yes votes, not a renewal's), its
    /// members holding stances on the regime's issue, no imposers or rule
    /// of the regime's own beside it.
    fn regime_body(&mut self, p: &str, r: &crate::scenario::RegimeRule, id: &str) {
        let Some(b) = self.s.bodies.iter().find(|b| b.id == id) else {
            let known: Vec<&str> = self.s.bodies.iter().map(|b| b.id.as_str()).collect();
            self.push(
                format!("{p}.body"),
                format!(
                    "unknown body {id:?}; expected one of $.bodies ({})",
                    known.join(", ")
                ),
            );
            return;
        };
        if !r.imposer.is_empty() || !r.imposers.is_empty() || r.rule != DecisionRule::One {
            self.push(
                format!("{p}.body"),
                "a regime decided by a body takes its members and rule from it: give body, or imposer(s) and rule, not both",
            );
        }
        if b.rule.is_none() {
            self.push(
                format!("{p}.body"),
                format!("{id} decides by a quota of yes votes on drafts; a regime it decides needs a rule (unanimity, majority, one) on the body"),
            );
        }
        for m in &b.members {
            if self.actors.contains_key(m.as_str()) && self.issues.contains_key(r.issue.as_str()) {
                self.held_by(&format!("{p}.body"), m, &r.issue);
            }
            if *m == r.target {
                self.push(
                    format!("{p}.body"),
                    format!("{m} is a member of {id}: an actor cannot sanction itself"),
                );
            }
        }
    }

    /// The members, recurrence and cost of sanction regimes, linkage groups
    /// and the implementation rule.
    fn crisis_regimes(&mut self) {
        let s = self.s;
        for (i, r) in s.sanctions.iter().enumerate() {
            let p = format!("$.sanctions[{i}]");
            if !r.imposers.is_empty() && !r.imposer.is_empty() {
                self.push(format!("{p}.imposer"), "give imposer or imposers, not both");
            }
            if let Some(id) = &r.body {
                self.regime_body(&p, r, id);
            }
            for (k, m) in r.imposers.iter().enumerate() {
                self.stance_of(
                    &format!("{p}.imposers[{k}]"),
                    m,
                    &format!("{p}.issue"),
                    &r.issue,
                );
                if *m == r.target {
                    self.push(
                        format!("{p}.imposers[{k}]"),
                        "an actor cannot sanction itself",
                    );
                }
            }
            self.distinct(&format!("{p}.imposers"), &r.imposers);
            if let Some(d) = r.every_days
                && !(1..=3660).contains(&d)
            {
                self.push(
                    format!("{p}.every_days"),
                    format!("expected 1 to 3660 days, found {d}"),
                );
            }
            if r.every_days.is_some() && r.renewals.is_empty() {
                self.push(
                    format!("{p}.every_days"),
                    "recurring renewals count from the last listed renewal; list at least one",
                );
            }
            self.within(&format!("{p}.cost"), r.cost, 1.0);
        }
        if let Some(l) = &s.linkage {
            for (i, g) in l.groups.iter().enumerate() {
                let p = format!("$.linkage.groups[{i}]");
                if g.parties.len() < 3 {
                    self.push(
                        format!("{p}.parties"),
                        "a group binds at least three parties; use pairs for two",
                    );
                }
                if g.parties.len() > crate::mechanism::MAX_GROUP {
                    self.push(
                        format!("{p}.parties"),
                        format!(
                            "a group binds at most {} parties (its bargain is searched exhaustively)",
                            crate::mechanism::MAX_GROUP
                        ),
                    );
                }
                if g.parties.len() != g.issues.len() {
                    self.push(
                        format!("{p}.issues"),
                        format!(
                            "expected one issue per party ({}), found {}",
                            g.parties.len(),
                            g.issues.len()
                        ),
                    );
                }
                self.distinct(&format!("{p}.parties"), &g.parties);
                for (k, (who, iss)) in g.parties.iter().zip(&g.issues).enumerate() {
                    self.stance_of(
                        &format!("{p}.parties[{k}]"),
                        who,
                        &format!("{p}.issues[{k}]"),
                        iss,
                    );
                    if self.held.contains(&(who.as_str(), l.issue.as_str())) {
                        continue;
                    }
                    self.push(
                        format!("{p}.parties[{k}]"),
                        format!(
                            "{who} has no stance on {}; expected one in $.stances",
                            l.issue
                        ),
                    );
                }
                self.basis(&format!("{p}.basis"), &g.basis);
            }
        }
        if let Some(plan) = s.agreement.implementation {
            if plan.steps == 0 {
                self.push(
                    "$.agreement.implementation.steps",
                    "expected at least 1 step",
                );
            }
            if plan.stall_after == 0 {
                self.push(
                    "$.agreement.implementation.stall_after",
                    "expected at least 1 round",
                );
            }
        }
    }

    /// A finite value from −max to max.
    fn signed(&mut self, path: &str, x: f64, max: f64) {
        if !(x.is_finite() && (-max..=max).contains(&x)) {
            self.push(
                path,
                format!("expected a value from −{max} to {max}, found {}", show(x)),
            );
        }
    }
}

/// A polarity as the file spells it.
fn snake(h: crate::scenario::HighMeans) -> String {
    serde_json::to_value(h)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
