//! Fronts and the rules of fighting (format 2).

use std::collections::BTreeSet;

use super::Checker;
use crate::scenario::ids::{is_issue_id, show};

/// How far the two sides' opening shares may sum from 1.
const SHARE_TOLERANCE: f64 = 1e-9;

impl Checker<'_> {
    /// Every front and the fighting rules.
    pub(super) fn fronts(&mut self) {
        let s = self.s;
        let mut ids = BTreeSet::new();
        for (i, f) in s.fronts.iter().enumerate() {
            let p = format!("$.fronts[{i}]");
            if !is_issue_id(&f.id) {
                self.push(
                    format!("{p}.id"),
                    format!(
                        "expected a snake_case front id of at most {} characters, found {:?}",
                        crate::scenario::ids::MAX_ID,
                        f.id
                    ),
                );
            } else if !ids.insert(f.id.as_str()) {
                self.push(
                    format!("{p}.id"),
                    format!("front {} is declared twice", f.id),
                );
            }
            self.theatre(&format!("{p}.theatre"), &f.theatre);
            if !(f.taken_at.is_finite() && f.taken_at > 0.5 && f.taken_at <= 1.0) {
                self.push(
                    format!("{p}.taken_at"),
                    format!("expected a share in (0.5, 1], found {}", show(f.taken_at)),
                );
            }
            self.basis(&format!("{p}.basis"), &f.basis);
            if f.sides.len() != 2 {
                self.push(
                    format!("{p}.sides"),
                    format!("expected two sides, found {}", f.sides.len()),
                );
                continue;
            }
            if f.sides[0].actor == f.sides[1].actor {
                self.push(
                    format!("{p}.sides[1].actor"),
                    format!("{} cannot fight itself", f.sides[1].actor),
                );
            }
            for (j, side) in f.sides.iter().enumerate() {
                self.front_side(&format!("{p}.sides[{j}]"), side);
            }
            let sum = f.sides[0].control + f.sides[1].control;
            if sum.is_finite() && (sum - 1.0).abs() > SHARE_TOLERANCE {
                self.push(
                    format!("{p}.sides"),
                    format!(
                        "expected the sides' control to sum to 1, found {}",
                        show(sum)
                    ),
                );
            }
        }
        self.fighting();
    }

    /// One side of a front.
    fn front_side(&mut self, p: &str, side: &crate::scenario::FrontSide) {
        let s = self.s;
        self.actor(&format!("{p}.actor"), &side.actor);
        self.probability(&format!("{p}.control"), side.control);
        self.within(&format!("{p}.forces"), side.forces, 1e9);
        for (patron, forces) in &side.support {
            let sp = format!("{p}.support.{patron}");
            if self.actor(&sp, patron)
                && !s
                    .patrons
                    .iter()
                    .any(|x| &x.patron == patron && x.client == side.actor)
            {
                self.push(
                    sp.clone(),
                    format!(
                        "{patron} supports {} but is not its patron: declare the patronage (its leverage counts the support)",
                        side.actor
                    ),
                );
            }
            self.within(&sp, *forces, 1e9);
        }
        self.basis(&format!("{p}.basis"), &side.basis);
    }

    /// The rules of fighting.
    fn fighting(&mut self) {
        let Some(f) = &self.s.fighting else {
            return;
        };
        let p = "$.fighting";
        if !(f.decisiveness.is_finite() && f.decisiveness > 0.0 && f.decisiveness <= 10.0) {
            self.push(
                format!("{p}.decisiveness"),
                format!(
                    "expected a value in (0, 10], found {}",
                    show(f.decisiveness)
                ),
            );
        }
        if !(f.rate.is_finite() && f.rate > 0.0 && f.rate <= 1.0) {
            self.push(
                format!("{p}.rate"),
                format!("expected a share in (0, 1], found {}", show(f.rate)),
            );
        }
        if !(f.per_strike.is_finite() && (0.0..1.0).contains(&f.per_strike)) {
            self.push(
                format!("{p}.per_strike"),
                format!("expected a share in [0, 1), found {}", show(f.per_strike)),
            );
        }
        if !(f.optimism.is_finite() && (0.0..1.0).contains(&f.optimism)) {
            self.push(
                format!("{p}.optimism"),
                format!("expected a share in [0, 1), found {}", show(f.optimism)),
            );
        }
        self.within(&format!("{p}.salience_per_loss"), f.salience_per_loss, 1.0);
        self.within(
            &format!("{p}.position_per_loss"),
            f.position_per_loss,
            100.0,
        );
        self.within(&format!("{p}.learning"), f.learning, 1.0);
        if !(f.capability_per_control.is_finite() && (0.0..1.0).contains(&f.capability_per_control))
        {
            self.push(
                format!("{p}.capability_per_control"),
                format!(
                    "expected a share in [0, 1), found {}",
                    show(f.capability_per_control)
                ),
            );
        }
        self.basis(&format!("{p}.basis"), &f.basis);
    }
}
