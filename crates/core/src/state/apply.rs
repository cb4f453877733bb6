//! How an event changes the state: [`State::apply`], the only mutator.

use super::{Agreement, CeasefireStatus, State};
use crate::event::{Event, StrikeTarget};

impl State {
    /// Applies one event. The only mutator; it cannot fail.
    pub fn apply(&mut self, event: &Event) {
        self.applied += 1;
        let g = || event.goldstein();
        match event {
            Event::Scripted(s) => {
                if let (Some(a), Some(t)) = (self.actor(&s.actor), s.target.as_deref())
                    && let Some(t) = self.actor(t)
                {
                    self.nudge_trust(a, t, g());
                }
            }
            Event::RiskUpdated(r) => {
                if let Some(i) = self.issue(&r.issue) {
                    for (id, &exp) in &r.exponents {
                        if let Some(a) = self.actor(id) {
                            let k = self.cell(i, a);
                            self.risk[k] = exp;
                        }
                    }
                }
            }
            Event::PositionChanged(p) => {
                if let (Some(a), Some(i)) = (self.actor(&p.actor), self.issue(&p.issue)) {
                    let k = self.cell(i, a);
                    if let Some(held) = &mut self.stances[k] {
                        held.position = p.to;
                    }
                }
                self.reopen_if_outside(&p.cause);
            }
            Event::Strike(s) => {
                if let Some(k) = self.strike_cell(&s.striker, &s.theatre) {
                    self.strikes_this_round[k] = self.strikes_this_round[k].saturating_add(1);
                }
                self.count_strike(&s.theatre, s.target);
            }
            Event::CeasefireAgreed(c) => {
                let round = self.round();
                if let Some(k) = self.ceasefire_index(&c.theatre) {
                    let cf = &mut self.ceasefires[k];
                    cf.status = CeasefireStatus::InForce;
                    cf.violations = 0;
                    cf.agreed_round = Some(round);
                    let parties = cf.parties.clone();
                    self.nudge_among(&parties, g());
                }
            }
            Event::CeasefireViolated(v) => {
                if let Some(k) = self.ceasefire_index(&v.theatre) {
                    self.ceasefires[k].violations = v.violations;
                    if let Some(by) = self.actor(&v.by) {
                        let parties = self.ceasefires[k].parties.clone();
                        for p in parties.into_iter().filter(|&p| p != by) {
                            self.nudge_trust(by, p, g());
                        }
                    }
                }
            }
            Event::CeasefireCollapsed(c) => {
                if let Some(k) = self.ceasefire_index(&c.theatre) {
                    self.ceasefires[k].status = CeasefireStatus::Collapsed;
                }
            }
            Event::SanctionsRenewed(d) | Event::SanctionsEased(d) | Event::SanctionsLifted(d) => {
                if let Some(k) = self.regime_index(&d.regime) {
                    let r = &mut self.regimes[k];
                    r.level = if matches!(event, Event::SanctionsLifted(_)) {
                        0.0
                    } else {
                        d.level
                    };
                    r.decisions += 1;
                    let (a, b) = (r.imposer, r.target);
                    self.nudge_trust(a, b, g());
                }
            }
            Event::PackageOffered(t) | Event::PackageAccepted(t) => {
                if let (Some(o), Some(r)) = (self.actor(&t.offerer), self.actor(&t.receiver)) {
                    if matches!(event, Event::PackageOffered(_)) {
                        let round = self.round();
                        self.last_offer.insert((o, r), round);
                    }
                    self.nudge_trust(o, r, g());
                }
            }
            Event::PackageRefused(r) => {
                let t = &r.terms;
                if let (Some(o), Some(r)) = (self.actor(&t.offerer), self.actor(&t.receiver)) {
                    self.nudge_trust(o, r, g());
                }
            }
            Event::AgreementSigned(a) => {
                let round = self.round();
                if let Some(i) = self.issue(&a.issue) {
                    self.agreements[i] = Some(Agreement {
                        round,
                        position: a.position,
                    });
                    let principals = self.principals[i].clone();
                    self.nudge_among(&principals, g());
                }
            }
            // What a model reports of a round changes nothing it holds.
            Event::StateAssessed(_) | Event::ExchangeRound(_) => {}
            Event::BargainingConverged(_) | Event::BargainingCycled(_) => {
                self.end_bargaining(event);
            }
            Event::RoundClosed(rc) => {
                if rc.round == 0 {
                    self.opening_range = (0..self.issues.len()).map(|i| self.range(i)).collect();
                }
                self.closed = Some(rc.round);
                self.strikes_this_round.fill(0);
                self.remember_close(rc.round);
            }
        }
    }

    fn count_strike(&mut self, theatre: &str, target: StrikeTarget) {
        let k = match target {
            StrikeTarget::DesignatedTerrorists => 0,
            StrikeTarget::OtherOpposition => 1,
        };
        // Counted without allocating: strikes are the commonest event.
        match self.strikes.get_mut(theatre) {
            Some(counts) => counts[k] += 1,
            None => {
                let mut counts = [0; 2];
                counts[k] = 1;
                self.strikes.insert(theatre.to_owned(), counts);
            }
        }
    }

    fn nudge_trust(&mut self, a: usize, b: usize, goldstein: f64) {
        if a == b {
            return;
        }
        let n = self.actors.len();
        let t = (self.trust[a * n + b] + self.trust_rate * goldstein / 10.0).clamp(0.0, 1.0);
        self.trust[a * n + b] = t;
        self.trust[b * n + a] = t;
    }

    fn nudge_among(&mut self, group: &[usize], goldstein: f64) {
        for (k, &a) in group.iter().enumerate() {
            for &b in &group[k + 1..] {
                self.nudge_trust(a, b, goldstein);
            }
        }
    }
}
