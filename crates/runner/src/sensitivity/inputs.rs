//! The uncertain inputs of a scenario, and how each is perturbed.

use entente_core::Scenario;

/// One input a sensitivity analysis perturbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A stance's opening position: ± delta points.
    Position(usize),
    /// A stance's salience: × (1 ± delta/100).
    Salience(usize),
    /// An actor's capability: × (1 ± delta/100).
    Capability(usize),
    /// A ceasefire's threshold: ± delta points.
    CeasefireThreshold(usize),
    /// A ceasefire's tolerance: ± delta points.
    CeasefireTolerance(usize),
    /// A regime's `renew_at`: ± delta points.
    RenewAt(usize),
    /// A regime's `lift_below`: ± delta points.
    LiftBelow(usize),
    /// The linkage rule's `offer_at`: ± delta points.
    OfferAt,
    /// The linkage rule's `accept_at`: ± delta points.
    AcceptAt,
}

/// Every input of `s`, in a fixed order: stances (position, salience),
/// capabilities, then the mechanisms' thresholds.
pub fn inputs(s: &Scenario) -> Vec<Input> {
    let mut all = Vec::new();
    for k in 0..s.stances.len() {
        all.extend([Input::Position(k), Input::Salience(k)]);
    }
    all.extend((0..s.actors.len()).map(Input::Capability));
    for k in 0..s.ceasefires.len() {
        all.extend([Input::CeasefireThreshold(k), Input::CeasefireTolerance(k)]);
    }
    for k in 0..s.sanctions.len() {
        all.extend([Input::RenewAt(k), Input::LiftBelow(k)]);
    }
    if s.linkage.is_some() {
        all.extend([Input::OfferAt, Input::AcceptAt]);
    }
    all
}

impl Input {
    /// The input in words: `position RUS/assad_role`, `capability USA`.
    pub fn name(self, s: &Scenario) -> String {
        match self {
            Input::Position(k) => format!("position {}/{}", s.stances[k].actor, s.stances[k].issue),
            Input::Salience(k) => format!("salience {}/{}", s.stances[k].actor, s.stances[k].issue),
            Input::Capability(k) => format!("capability {}", s.actors[k].id),
            Input::CeasefireThreshold(k) => {
                format!("ceasefire {} threshold", s.ceasefires[k].theatre)
            }
            Input::CeasefireTolerance(k) => {
                format!("ceasefire {} tolerance", s.ceasefires[k].theatre)
            }
            Input::RenewAt(k) => format!("regime {} renew_at", s.sanctions[k].id),
            Input::LiftBelow(k) => format!("regime {} lift_below", s.sanctions[k].id),
            Input::OfferAt => "linkage offer_at".to_owned(),
            Input::AcceptAt => "linkage accept_at".to_owned(),
        }
    }

    /// `s` with this input moved by `t` (from −1 to 1) times `delta`.
    pub fn apply(self, s: &mut Scenario, t: f64, delta: f64) {
        let points = |x: &mut f64| *x = entente_core::scale::clamp(*x + t * delta);
        let share = 1.0 + t * delta / 100.0;
        match self {
            Input::Position(k) => points(&mut s.stances[k].position),
            Input::Salience(k) => {
                let x = &mut s.stances[k].salience;
                *x = (*x * share).clamp(0.01, 1.0);
            }
            Input::Capability(k) => {
                let x = &mut s.actors[k].capability;
                *x = (*x * share).max(1e-6);
            }
            Input::CeasefireThreshold(k) => points(&mut s.ceasefires[k].threshold),
            Input::CeasefireTolerance(k) => points(&mut s.ceasefires[k].tolerance),
            Input::RenewAt(k) => {
                let r = &mut s.sanctions[k];
                points(&mut r.renew_at);
                r.renew_at = r.renew_at.max(r.lift_below);
            }
            Input::LiftBelow(k) => {
                let r = &mut s.sanctions[k];
                points(&mut r.lift_below);
                r.lift_below = r.lift_below.min(r.renew_at);
            }
            Input::OfferAt => {
                if let Some(l) = &mut s.linkage {
                    points(&mut l.offer_at);
                }
            }
            Input::AcceptAt => {
                if let Some(l) = &mut s.linkage {
                    points(&mut l.accept_at);
                }
            }
        }
    }
}
