//! Bodies that vote: who sits in them, by what rule they decide, and the
//! drafts their sponsors may put, each with its JSON path.

use std::collections::BTreeSet;

use super::Checker;

/// The most members a body may have (the UN General Assembly has 193).
const MAX_BODY_SIZE: u32 = 1_000;

impl Checker<'_> {
    pub(super) fn bodies(&mut self) {
        let s = self.s;
        let mut ids = BTreeSet::new();
        for (i, b) in s.bodies.iter().enumerate() {
            let p = format!("$.bodies[{i}]");
            if !super::is_issue_id(&b.id) {
                self.push(
                    format!("{p}.id"),
                    format!(
                        "expected a snake_case id of at most {} characters, found {:?}",
                        crate::scenario::ids::MAX_ID,
                        b.id
                    ),
                );
            } else if !ids.insert(&b.id) {
                self.push(format!("{p}.id"), format!("duplicate body id {}", b.id));
            }
            if b.members.is_empty() {
                self.push(format!("{p}.members"), "expected at least one member");
            }
            for (k, m) in b.members.iter().enumerate() {
                self.actor(&format!("{p}.members[{k}]"), m);
            }
            self.distinct(&format!("{p}.members"), &b.members);
            for (k, v) in b.veto.iter().enumerate() {
                if !b.members.contains(v) {
                    self.push(
                        format!("{p}.veto[{k}]"),
                        format!("{v} holds a veto but is not among $.bodies[{i}].members"),
                    );
                }
            }
            self.distinct(&format!("{p}.veto"), &b.veto);
            if b.size() > MAX_BODY_SIZE {
                self.push(
                    format!("{p}.others"),
                    format!(
                        "expected at most {MAX_BODY_SIZE} members, found {}",
                        b.size()
                    ),
                );
            }
            match (b.rule, b.quota) {
                (None, None) => self.push(
                    p.clone(),
                    "expected a rule (unanimity, majority, one) or a quota of yes votes",
                ),
                (Some(_), Some(_)) => {
                    self.push(format!("{p}.quota"), "expected a rule or a quota, not both")
                }
                (_, Some(q)) if q == 0 || q > b.size() => self.push(
                    format!("{p}.quota"),
                    format!(
                        "expected 1 to {} yes votes (its members), found {q}",
                        b.size()
                    ),
                ),
                _ => {}
            }
            self.basis(&format!("{p}.basis"), &b.basis);
            self.resolutions(&p, b);
        }
    }

    fn resolutions(&mut self, p: &str, b: &crate::scenario::Body) {
        let end = self
            .s
            .round_last_day(self.s.rounds.min(crate::limits::MAX_ROUNDS));
        let mut issues = BTreeSet::new();
        for (k, r) in b.resolutions.iter().enumerate() {
            let rp = format!("{p}.resolutions[{k}]");
            if self.issue(&format!("{rp}.issue"), &r.issue) && !issues.insert(&r.issue) {
                self.push(
                    format!("{rp}.issue"),
                    format!("{} has a resolution on {} already", b.id, r.issue),
                );
            }
            if r.sponsors.is_empty() {
                self.push(format!("{rp}.sponsors"), "expected at least one sponsor");
            }
            for (j, m) in r.sponsors.iter().enumerate() {
                let sp = format!("{rp}.sponsors[{j}]");
                if !b.members.contains(m) {
                    self.push(
                        sp,
                        format!(
                            "{m} sponsors a draft of {} but is not among its members",
                            b.id
                        ),
                    );
                } else {
                    self.held_by(&sp, m, &r.issue);
                }
            }
            self.distinct(&format!("{rp}.sponsors"), &r.sponsors);
            // Every member votes by its own position on the issue.
            for (j, m) in b.members.iter().enumerate() {
                if self.actors.contains_key(m.as_str())
                    && self.issues.contains_key(r.issue.as_str())
                {
                    self.held_by(&format!("{p}.members[{j}]"), m, &r.issue);
                }
            }
            self.within(&format!("{rp}.tolerance"), r.tolerance, crate::scale::HIGH);
            if let Some(x) = r.at_least {
                self.position(&format!("{rp}.at_least"), x);
            }
            self.within(&format!("{rp}.accept"), r.accept, crate::scale::HIGH);
            self.within(&format!("{rp}.oppose"), r.oppose, crate::scale::HIGH);
            if r.oppose < r.accept {
                self.push(
                    format!("{rp}.oppose"),
                    format!(
                        "expected at least accept ({}): a member that votes no falls further short than one that abstains",
                        r.accept
                    ),
                );
            }
            if let Some(from) = r.from
                && from > end
            {
                self.push(
                    format!("{rp}.from"),
                    format!("{from} is after the run's last day {end}"),
                );
            }
            if r.retry_rounds == 0 || r.retry_rounds > crate::limits::MAX_ROUNDS {
                self.push(
                    format!("{rp}.retry_rounds"),
                    format!(
                        "expected 1 to {} rounds, found {}",
                        crate::limits::MAX_ROUNDS,
                        r.retry_rounds
                    ),
                );
            }
            for (j, effect) in r.effects.iter().enumerate() {
                self.effect(&format!("{rp}.effects[{j}]"), effect);
            }
            self.basis(&format!("{rp}.basis"), &r.basis);
        }
    }
}
