//! Threats: who threatens whom with what, on what condition, when, with
//! what resolve, severity and punishment, each with its JSON path.

use std::collections::BTreeSet;

use super::Checker;
use crate::outcome::Outcome;
use crate::scenario::{Condition, ConditionForm, Level, Threat, ThreatAction};
use crate::state::MAX_CONDITION_DEPTH;

impl Checker<'_> {
    pub(super) fn threats(&mut self) {
        let s = self.s;
        let end = s.round_last_day(s.rounds.min(crate::limits::MAX_ROUNDS));
        let possible: Vec<String> = if s.threats.is_empty() {
            Vec::new()
        } else {
            Outcome::possible(s).iter().map(Outcome::key).collect()
        };
        let mut ids = BTreeSet::new();
        for (i, t) in s.threats.iter().enumerate() {
            let p = format!("$.threats[{i}]");
            if !super::is_issue_id(&t.id) {
                self.push(
                    format!("{p}.id"),
                    format!(
                        "expected a snake_case id of at most {} characters, found {:?}",
                        crate::scenario::ids::MAX_ID,
                        t.id
                    ),
                );
            } else if !ids.insert(&t.id) {
                self.push(format!("{p}.id"), format!("duplicate threat id {}", t.id));
            }
            self.actor(&format!("{p}.actor"), &t.actor);
            self.actor(&format!("{p}.target"), &t.target);
            if t.actor == t.target {
                self.push(format!("{p}.target"), "an actor cannot threaten itself");
            }
            self.condition(&format!("{p}.condition"), &t.condition, t, &possible, 0);
            // The one date rule (mechanism::threats::made_now): a threat
            // made before the start is made in round 1; after the run's
            // last day, refused.
            if t.deadline < t.made {
                self.push(
                    format!("{p}.deadline"),
                    format!("{} is before the threat is made ({})", t.deadline, t.made),
                );
            }
            if t.made > end {
                self.push(
                    format!("{p}.made"),
                    format!("{} is after the run's last day {end}", t.made),
                );
            }
            self.within(&format!("{p}.stakes"), t.stakes, 1.0);
            self.threat_terms(&p, t);
            if let Some(key) = &t.requires
                && !possible.iter().any(|k| k == key)
            {
                self.push(
                    format!("{p}.requires"),
                    format!(
                        "{key:?} is not an outcome this scenario can produce; expected one such as {}",
                        possible.iter().take(6).map(String::as_str).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            self.basis(&format!("{p}.basis"), &t.basis);
        }
    }

    /// A threat's action, resolve, severity, duration and effects.
    fn threat_terms(&mut self, p: &str, t: &Threat) {
        let s = self.s;
        match &t.action {
            ThreatAction::Strikes { theatre, per_round } => {
                self.theatre(&format!("{p}.action.strikes.theatre"), theatre);
                if *per_round == 0 || *per_round > crate::limits::MAX_STRIKES_PER_ROUND {
                    self.push(
                        format!("{p}.action.strikes.per_round"),
                        format!(
                            "expected 1 to {} strikes a round, found {per_round}",
                            crate::limits::MAX_STRIKES_PER_ROUND
                        ),
                    );
                }
            }
            ThreatAction::Sanctions { regime } => {
                if !s.sanctions.iter().any(|r| &r.id == regime) {
                    self.push(
                        format!("{p}.action.sanctions.regime"),
                        format!("unknown regime {regime:?}; expected one of $.sanctions"),
                    );
                }
            }
        }
        if let Some(r) = &t.resolve {
            self.level(&format!("{p}.resolve"), r, &t.actor);
        }
        if let Some(sev) = &t.severity {
            self.within(&format!("{p}.severity.share"), sev.share, 1.0);
            self.within(&format!("{p}.severity.uncertainty"), sev.uncertainty, 1.0);
            self.basis(&format!("{p}.severity.basis"), &sev.basis);
        }
        if let Some(d) = t.duration
            && (d == 0 || d > crate::limits::MAX_ROUNDS)
        {
            self.push(
                format!("{p}.duration"),
                format!(
                    "expected 1 to {} rounds, found {d}",
                    crate::limits::MAX_ROUNDS
                ),
            );
        }
        for (k, effect) in t.effects.iter().enumerate() {
            self.effect(&format!("{p}.effects[{k}]"), effect);
        }
    }

    /// A level an actor must hold on an issue it has a stance on.
    fn level(&mut self, p: &str, level: &Level, actor: &str) {
        self.stance_of(
            &format!("{p}.issue"),
            actor,
            &format!("{p}.issue"),
            &level.issue,
        );
        match (level.at_least, level.at_most) {
            (Some(x), None) => self.position(&format!("{p}.at_least"), x),
            (None, Some(x)) => self.position(&format!("{p}.at_most"), x),
            _ => self.push(p, "expected one of at_least or at_most"),
        }
    }

    /// A condition, in one of its forms.
    fn condition(&mut self, p: &str, c: &Condition, t: &Threat, possible: &[String], depth: usize) {
        if depth >= MAX_CONDITION_DEPTH {
            self.push(
                p,
                format!("conditions nest at most {MAX_CONDITION_DEPTH} deep"),
            );
            return;
        }
        match c.form() {
            ConditionForm::Position {
                issue,
                actor,
                at_least,
                mark,
            } => {
                let who = actor.unwrap_or(&t.target);
                let actor_path = if actor.is_some() {
                    format!("{p}.actor")
                } else {
                    format!("{p}.issue")
                };
                self.stance_of(&actor_path, who, &format!("{p}.issue"), issue);
                let at = if at_least { "at_least" } else { "at_most" };
                self.position(&format!("{p}.{at}"), mark);
            }
            ConditionForm::Outcome(key) => {
                if !possible.iter().any(|k| k == key) {
                    let shown: Vec<&str> = possible.iter().map(String::as_str).take(12).collect();
                    self.push(
                        format!("{p}.outcome"),
                        format!(
                            "{key:?} is not an outcome this scenario can produce; expected one of {}{}",
                            shown.join(", "),
                            if possible.len() > shown.len() { ", …" } else { "" }
                        ),
                    );
                }
            }
            ConditionForm::AllOf(cs) => {
                for (k, c) in cs.iter().enumerate() {
                    self.condition(&format!("{p}.all_of[{k}]"), c, t, possible, depth + 1);
                }
            }
            ConditionForm::AnyOf(cs) => {
                for (k, c) in cs.iter().enumerate() {
                    self.condition(&format!("{p}.any_of[{k}]"), c, t, possible, depth + 1);
                }
            }
            ConditionForm::Malformed => self.push(
                p,
                "expected one form: issue with at_least or at_most (and an optional actor), an outcome, all_of or any_of",
            ),
        }
    }
}
