//! The primitives every section of the validation uses: a problem at a
//! path, ids that must be well formed or known, a text, a basis, a number
//! within its range.

use std::collections::{BTreeMap, BTreeSet};

use super::super::ids::{MAX_ID, is_issue_id, nearest, show};
use super::Checker;
use crate::scenario::Problem;
use crate::{limits, scale};

impl<'s> Checker<'s> {
    pub(super) fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    /// Checks that ids are well formed and unique; returns them with the
    /// index of their first declaration.
    pub(super) fn ids(
        &mut self,
        path: &str,
        ids: impl Iterator<Item = &'s str>,
        well_formed: fn(&str) -> bool,
        expected: &str,
    ) -> BTreeMap<&'s str, usize> {
        let mut seen = BTreeMap::new();
        for (i, id) in ids.enumerate() {
            if !well_formed(id) {
                self.push(
                    format!("{path}[{i}].id"),
                    format!("expected {expected}, found {id:?}"),
                );
            }
            if let Some(first) = seen.insert(id, i) {
                seen.insert(id, first);
                self.push(
                    format!("{path}[{i}].id"),
                    format!("duplicate id {id}; first used at {path}[{first}]"),
                );
            }
        }
        seen
    }

    /// Whether `id` names a declared actor; a problem (with the nearest id,
    /// if one is close) if not.
    pub(super) fn actor(&mut self, path: &str, id: &str) -> bool {
        let known = self.actors.contains_key(id);
        if !known {
            let hint = nearest(id, self.actors.keys().copied());
            self.unknown(path, "actor", id, hint);
        }
        known
    }

    /// Whether `id` names a declared issue.
    pub(super) fn issue(&mut self, path: &str, id: &str) -> bool {
        let known = self.issues.contains_key(id);
        if !known {
            let hint = nearest(id, self.issues.keys().copied());
            self.unknown(path, "issue", id, hint);
        }
        known
    }

    pub(super) fn unknown(&mut self, path: &str, what: &str, id: &str, hint: Option<&str>) {
        let hint = hint
            .map(|n| format!(" (did you mean {n}?)"))
            .unwrap_or_default();
        self.push(path, format!("unknown {what} {id:?}{hint}"));
    }

    /// A known actor (at `actor_path`) that holds a stance on a known issue
    /// (at `issue_path`).
    pub(super) fn stance_of(
        &mut self,
        actor_path: &str,
        actor: &str,
        issue_path: &str,
        issue: &str,
    ) {
        let a = self.actor(actor_path, actor);
        let i = self.issue(issue_path, issue);
        if a && i {
            self.held_by(actor_path, actor, issue);
        }
    }

    /// Requires that a known actor holds a stance on a known issue.
    pub(super) fn held_by(&mut self, path: &str, actor: &str, issue: &str) {
        if !self.held.contains(&(actor, issue)) {
            self.push(
                path,
                format!("{actor} has no stance on {issue}; expected one in $.stances"),
            );
        }
    }

    pub(super) fn distinct(&mut self, path: &str, ids: &[String]) {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.iter().enumerate() {
            if !seen.insert(id) {
                self.push(format!("{path}[{i}]"), format!("{id} is listed twice"));
            }
        }
    }

    pub(super) fn theatre(&mut self, path: &str, id: &str) -> bool {
        let ok = is_issue_id(id);
        if !ok {
            self.push(
                path,
                format!(
                    "expected a snake_case theatre id of at most {MAX_ID} characters, found {id:?}"
                ),
            );
        }
        ok
    }

    /// A text that must say something (its length is every text's limit,
    /// checked once for the whole file by `text_limits`).
    pub(super) fn text(&mut self, path: &str, text: &str) {
        if text.trim().is_empty() {
            self.push(path, "expected a non-empty text");
        }
    }

    /// Every text of the scenario, whatever its field, within the one limit
    /// on text.
    pub(super) fn text_limits(&mut self) {
        let Ok(value) = serde_json::to_value(self.s) else {
            return;
        };
        let mut pending = vec![("$".to_owned(), &value)];
        while let Some((path, v)) = pending.pop() {
            match v {
                serde_json::Value::String(text) if text.len() > limits::MAX_TEXT_BYTES => {
                    self.push(
                        path,
                        format!(
                            "text of {} bytes; the limit is {}",
                            text.len(),
                            limits::MAX_TEXT_BYTES
                        ),
                    );
                }
                serde_json::Value::Array(items) => pending.extend(
                    items
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(i, item)| (format!("{path}[{i}]"), item)),
                ),
                serde_json::Value::Object(members) => pending.extend(
                    members
                        .iter()
                        .rev()
                        .map(|(k, item)| (format!("{path}.{k}"), item)),
                ),
                _ => {}
            }
        }
    }

    pub(super) fn basis(&mut self, path: &str, basis: &str) {
        if basis.trim().is_empty() {
            self.push(
                path,
                "expected a basis: the source sentence, or \"analyst estimate\"",
            );
        } else {
            self.text(path, basis);
        }
    }

    pub(super) fn position(&mut self, path: &str, x: f64) {
        if !scale::contains(x) {
            self.push(
                path,
                format!("expected a position from 0 to 100, found {x}"),
            );
        }
    }

    pub(super) fn probability(&mut self, path: &str, p: f64) {
        self.within(path, p, 1.0);
    }

    /// A finite value from 0 to `max`.
    pub(super) fn within(&mut self, path: &str, x: f64, max: f64) {
        if !(x.is_finite() && (0.0..=max).contains(&x)) {
            self.push(
                path,
                format!("expected a value from 0 to {max}, found {}", show(x)),
            );
        }
    }

    pub(super) fn count(&mut self, path: &str, n: usize, max: usize) {
        if n > max {
            self.push(path, format!("{n} entries; the limit is {max}"));
        }
    }
}
