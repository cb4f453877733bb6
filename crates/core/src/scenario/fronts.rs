//! Fronts (format 2): where a theatre's war is fought, who holds how much of
//! each, with what forces, and the one set of rules by which fighting moves
//! control and losses move the sides at the table (docs/models.md,
//! "Fronts").

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A front (or zone) of a theatre, fought over by two sides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Front {
    /// Short id, unique in the scenario: `northern_aleppo`.
    pub id: String,
    /// The theatre it lies in (a ceasefire in that theatre freezes it).
    pub theatre: String,
    /// The two sides, each with the share it holds at the start and its
    /// forces there. Their order does not matter.
    pub sides: Vec<FrontSide>,
    /// A side that comes to hold at least this share has taken the front
    /// (`front_taken:THEATRE:FRONT:SIDE`), in (0.5, 1].
    #[serde(default = "default_taken_at")]
    pub taken_at: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn default_taken_at() -> f64 {
    0.9
}

/// One side of a front.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontSide {
    /// Who fights there.
    pub actor: String,
    /// The share of the front it holds at the start, in [0, 1]; the two
    /// sides' shares sum to 1.
    pub control: f64,
    /// Its own forces there, in the scenario's units (≥ 0).
    pub forces: f64,
    /// Patrons' forces fighting for it (patron → forces), each counted
    /// times the patron's leverage over the side (`patrons`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub support: BTreeMap<String, f64>,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// The rules of fighting on every front: the contest function and what
/// losses and gains do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fighting {
    /// The contest function.
    #[serde(default)]
    pub contest: Contest,
    /// Its decisiveness m (the exponent of the ratio form), in (0, 10].
    #[serde(default = "one")]
    pub decisiveness: f64,
    /// The share of the way to what the contest gives that control moves a
    /// round, in (0, 1].
    #[serde(default = "default_rate")]
    pub rate: f64,
    /// The share of a side's forces on a front one strike on it takes out
    /// for the round, in [0, 1).
    #[serde(default)]
    pub per_strike: f64,
    /// Salience on the theatre's ceasefire issue a side gains per unit of
    /// loss (control lost plus the share of forces lost), ≥ 0.
    #[serde(default)]
    pub salience_per_loss: f64,
    /// Points a side moves toward a ceasefire per unit of loss, ≥ 0; never
    /// past the theatre's ceasefire threshold.
    #[serde(default)]
    pub position_per_loss: f64,
    /// A side's capability changes by this share per unit of control
    /// gained (and falls likewise with control lost), ≥ 0.
    #[serde(default)]
    pub capability_per_control: f64,
    /// Learning from fighting: the share of the gap between the control a
    /// side expected to gain and what it gained by which it revises its
    /// demand, in [0, 1] (0: no learning).
    #[serde(default)]
    pub learning: f64,
    /// How much more of the contest each side expects to win than its
    /// forces give it, in [0, 1): its optimism (the bargaining model's
    /// private information; learning closes it).
    #[serde(default)]
    pub optimism: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn one() -> f64 {
    1.0
}

fn default_rate() -> f64 {
    0.25
}

impl Default for Fighting {
    fn default() -> Fighting {
        Fighting {
            contest: Contest::default(),
            decisiveness: one(),
            rate: default_rate(),
            per_strike: 0.0,
            salience_per_loss: 0.0,
            position_per_loss: 0.0,
            capability_per_control: 0.0,
            learning: 0.0,
            optimism: 0.0,
            basis: "the engine's defaults".to_owned(),
        }
    }
}

/// How forces decide a round of fighting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Contest {
    /// Tullock's contest success function: side a wins the share
    /// F_a^m / (F_a^m + F_b^m), and control moves toward it.
    #[default]
    Tullock,
    /// Lanchester's square law: the side with the greater F² advances by
    /// (F_a² − F_b²) / max(F_a², F_b²) of what its enemy holds.
    Lanchester,
}
