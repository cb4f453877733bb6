//! Trust's rule of Goldstein values: which pairs an event nudges when it
//! is applied, and by how much. [`State::apply`] follows it, and so does a
//! [`Batch`](super::Batch), so an event later in a batch starts from the
//! trust the earlier ones will leave.

use super::State;
use crate::event::{Event, Id};

impl State {
    /// The pairs whose trust `event` moves by its Goldstein value when it
    /// is applied, in the order it moves them: an act's actor and target; a
    /// decision's first member and the regime's target; a package's sides,
    /// or every pair of a group's parties; every pair of the parties a
    /// ceasefire agreed binds; a violator and each other party; every pair
    /// of an agreement's principals as it is signed and carried out; who
    /// threatens and whom.
    /// No pair is an actor with itself.
    pub(super) fn nudges(&self, event: &Event) -> Vec<(usize, usize)> {
        let pair = |a: Option<usize>, b: Option<usize>| {
            a.zip(b).filter(|(a, b)| a != b).into_iter().collect()
        };
        let among_ids =
            |ids: &[Id]| among(&ids.iter().filter_map(|p| self.actor(p)).collect::<Vec<_>>());
        match event {
            Event::Scripted(s) => pair(
                self.actor(&s.actor),
                s.target.as_deref().and_then(|t| self.actor(t)),
            ),
            Event::SanctionsRenewed(d)
            | Event::SanctionsEased(d)
            | Event::SanctionsLifted(d)
            | Event::SanctionsImposed(d) => {
                let regime = self.regime_index(&d.regime).map(|k| &self.regimes[k]);
                pair(regime.and_then(|r| r.first()), regime.map(|r| r.target))
            }
            Event::PackageOffered(t) | Event::PackageAccepted(t) => {
                pair(self.actor(&t.offerer), self.actor(&t.receiver))
            }
            Event::PackageRefused(r) => {
                pair(self.actor(&r.terms.offerer), self.actor(&r.terms.receiver))
            }
            Event::GroupPackageOffered(t) | Event::GroupPackageAccepted(t) => among_ids(&t.parties),
            Event::GroupPackageRefused(r) => among_ids(&r.terms.parties),
            Event::CeasefireAgreed(c) => {
                let Some(k) = self.ceasefire_index(&c.theatre) else {
                    return Vec::new();
                };
                let spoilers: Vec<usize> =
                    c.spoilers.iter().filter_map(|p| self.actor(p)).collect();
                let bound: Vec<usize> = self.ceasefires[k]
                    .parties
                    .iter()
                    .copied()
                    .filter(|p| !spoilers.contains(p))
                    .collect();
                among(&bound)
            }
            Event::CeasefireViolated(v) => {
                let (Some(k), Some(by)) = (self.ceasefire_index(&v.theatre), self.actor(&v.by))
                else {
                    return Vec::new();
                };
                self.ceasefires[k]
                    .parties
                    .iter()
                    .filter(|&&p| p != by)
                    .map(|&p| (by, p))
                    .collect()
            }
            Event::AgreementSigned(a) => self
                .issue(&a.issue)
                .map_or_else(Vec::new, |i| among(&self.principals[i])),
            Event::AgreementStep(p)
            | Event::AgreementImplemented(p)
            | Event::AgreementStalled(p)
            | Event::AgreementReopened(p) => match self.issue(&p.issue) {
                Some(i) if self.agreements[i].is_some() => among(&self.principals[i]),
                _ => Vec::new(),
            },
            Event::ThreatMade(t)
            | Event::ThreatExtended(t)
            | Event::ThreatCarriedOut(t)
            | Event::ThreatWithdrawn(t)
            | Event::ThreatLapsed(t)
            | Event::ThreatEnded(t) => {
                // A threat withdrawn before it was made (its condition held
                // already) was never an act between the two.
                match self.threat(&t.threat) {
                    Some(k)
                        if matches!(event, Event::ThreatWithdrawn(_))
                            && self.threats[k].status == super::ThreatStatus::Pending =>
                    {
                        Vec::new()
                    }
                    Some(_) => pair(self.actor(&t.actor), self.actor(&t.target)),
                    None => Vec::new(),
                }
            }
            Event::ThreatAnswered(x) => match self.threat(&x.threat) {
                Some(_) => pair(self.actor(&x.actor), self.actor(&x.target)),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// Trust `from` moved by an event of Goldstein value `goldstein`: by
    /// the trust rate per 10 Goldstein points, kept within 0–1.
    pub(super) fn nudged(&self, from: f64, goldstein: f64) -> f64 {
        (from + self.trust_rate * goldstein / 10.0).clamp(0.0, 1.0)
    }
}

/// Every pair of `group`, in order.
fn among(group: &[usize]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (k, &a) in group.iter().enumerate() {
        for &b in group[k + 1..].iter().filter(|&&b| b != a) {
            pairs.push((a, b));
        }
    }
    pairs
}
