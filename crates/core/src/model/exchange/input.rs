//! The kernel's input: the state one round starts from, checked once so
//! the round itself cannot fail.

/// A problem with the kernel's input or parameters.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InputError {
    /// A slice does not have the length the others imply.
    #[error("{what} has {found} values, expected {expected}")]
    Length {
        /// Which slice.
        what: &'static str,
        /// The length implied by the others.
        expected: usize,
        /// Its length.
        found: usize,
    },
    /// A held stance with a value the model cannot use: salience outside
    /// (0, 1], capability not above 0, position outside [0, 100].
    #[error("actor {actor} on issue {issue}: {what} {value} is out of range")]
    Stance {
        /// The actor's index.
        actor: usize,
        /// The issue's index.
        issue: usize,
        /// Which value.
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// End-of-round weights that are negative, not finite or sum above 1.
    #[error("end-of-round weights {fixed} + {salience} must be in [0, 1] and sum to at most 1")]
    Weights {
        /// The fixed share.
        fixed: f64,
        /// The salience-dependent share.
        salience: f64,
    },
}

/// The state one round starts from: n actors, m issues, every per-stance
/// slice row-major n×m (actor a, issue p at a·m + p). Values of stances not
/// held are ignored.
#[derive(Clone, Copy, Debug)]
pub struct ExchangeInput<'a> {
    actors: usize,
    issues: usize,
    capability: &'a [f64],
    per_stance: bool,
    position: &'a [f64],
    salience: &'a [f64],
    present: &'a [bool],
}

impl<'a> ExchangeInput<'a> {
    /// An input with one capability per actor (n values); positions on the
    /// 0–100 scale, saliences in (0, 1], capabilities above 0 on every held
    /// stance.
    pub fn new(
        capability: &'a [f64],
        position: &'a [f64],
        salience: &'a [f64],
        present: &'a [bool],
    ) -> Result<ExchangeInput<'a>, InputError> {
        let actors = capability.len();
        let issues = position.len().checked_div(actors).unwrap_or(0);
        Self::checked(
            actors, issues, capability, false, position, salience, present,
        )
    }

    /// An input with a capability per stance (n×m values), as the package's
    /// files allow: each `#D` row carries its own power.
    pub fn per_stance(
        issues: usize,
        capability: &'a [f64],
        position: &'a [f64],
        salience: &'a [f64],
        present: &'a [bool],
    ) -> Result<ExchangeInput<'a>, InputError> {
        let actors = position.len().checked_div(issues).unwrap_or(0);
        Self::checked(
            actors, issues, capability, true, position, salience, present,
        )
    }

    fn checked(
        actors: usize,
        issues: usize,
        capability: &'a [f64],
        per_stance: bool,
        position: &'a [f64],
        salience: &'a [f64],
        present: &'a [bool],
    ) -> Result<ExchangeInput<'a>, InputError> {
        let cells = actors * issues;
        let want_cap = if per_stance { cells } else { actors };
        for (what, found, expected) in [
            ("position", position.len(), cells),
            ("salience", salience.len(), cells),
            ("present", present.len(), cells),
            ("capability", capability.len(), want_cap),
        ] {
            if found != expected {
                return Err(InputError::Length {
                    what,
                    expected,
                    found,
                });
            }
        }
        let input = ExchangeInput {
            actors,
            issues,
            capability,
            per_stance,
            position,
            salience,
            present,
        };
        input.check_values()?;
        Ok(input)
    }

    fn check_values(&self) -> Result<(), InputError> {
        for a in 0..self.actors {
            for p in (0..self.issues).filter(|&p| self.holds(a, p)) {
                let (x, s, c) = (
                    self.position(a, p),
                    self.salience(a, p),
                    self.capability(a, p),
                );
                let bad = if !(s > 0.0 && s <= 1.0) {
                    Some(("salience", s))
                } else if !(c > 0.0 && c.is_finite()) {
                    Some(("capability", c))
                } else if !crate::scale::contains(x) {
                    Some(("position", x))
                } else {
                    None
                };
                if let Some((what, value)) = bad {
                    return Err(InputError::Stance {
                        actor: a,
                        issue: p,
                        what,
                        value,
                    });
                }
            }
        }
        Ok(())
    }

    /// The number of actors.
    pub fn actors(&self) -> usize {
        self.actors
    }

    /// The number of issues.
    pub fn issues(&self) -> usize {
        self.issues
    }

    /// Whether actor `a` holds a stance on issue `p`.
    pub fn holds(&self, a: usize, p: usize) -> bool {
        self.present[a * self.issues + p]
    }

    /// Actor `a`'s position on issue `p`.
    pub fn position(&self, a: usize, p: usize) -> f64 {
        self.position[a * self.issues + p]
    }

    /// Actor `a`'s salience of issue `p`.
    pub fn salience(&self, a: usize, p: usize) -> f64 {
        self.salience[a * self.issues + p]
    }

    /// Actor `a`'s capability on issue `p`.
    pub fn capability(&self, a: usize, p: usize) -> f64 {
        if self.per_stance {
            self.capability[a * self.issues + p]
        } else {
            self.capability[a]
        }
    }

    /// The actors holding a stance on issue `p`, in index order.
    pub(crate) fn holders(&self, p: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.actors).filter(move |&a| self.holds(a, p))
    }

    /// Every position, row-major n×m.
    pub(crate) fn positions(&self) -> &'a [f64] {
        self.position
    }
}
