//! The options of the spatial model. Every default is the one KTAB's `smpc`
//! uses when it reads a CSV scenario, so `SpatialConfig::default()` is the
//! configuration of the published reference runs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much influence an actor throws behind one option over another, given
/// the difference `Δu` of its utilities for them and its weight `w`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VotingRule {
    /// `w · clamp(Δu / 10⁻⁸, −1, 1)`: all or nothing, with a tiny linear
    /// ramp so that ties stay continuous.
    Binary,
    /// `w · (0.8 Δu + 0.2 binary)`.
    PropBin,
    /// `w · Δu` (KTAB's default, "Prop").
    #[default]
    Proportional,
    /// `w · (0.5 Δu + 0.5 Δu³)`.
    PropCubic,
    /// `w · Δu³`.
    Cubic,
    /// Prospect-theory asymmetry: `w · Δu` for a loss, `2 w Δu / 3` for a
    /// gain, so votes for and against a pair do not cancel.
    AsymmetricProspect,
}

/// How the probability that one coalition beats another grows with the
/// ratio of their strengths `s₁ : s₂`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VictoryProbability {
    /// `s₁ / (s₁ + s₂)` (KTAB's default).
    #[default]
    Linear,
    /// `s₁² / (s₁² + s₂²)`.
    Square,
    /// Fourth powers.
    Quartic,
    /// Eighth powers.
    Octic,
    /// Certain victory from a 10% advantage, linear in the strength share
    /// between the two thresholds.
    Binary,
}

/// How the pairwise victory probabilities become one probability per option
/// (the probabilistic Condorcet election, PCE).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PceModel {
    /// One step: `P(i) ∝ Π_j P(i beats j)` (KTAB's default).
    #[default]
    Conditional,
    /// Markov chain whose challenges arise in proportion to the incentive
    /// `C(i, j) · P(i beats j)` of the challengers.
    MarkovIncentive,
    /// Markov chain in which every option challenges with probability 1/m.
    MarkovUniform,
}

/// The range onto which the state's option probabilities are rescaled to
/// give risk attitudes: the most probable position gets +1 (risk averse),
/// the least probable the lower end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RiskRange {
    /// `[0, 1]`.
    Min,
    /// `[−½, 1]` (KTAB's default).
    #[default]
    Mid,
    /// `[−1, 1]`.
    Max,
}

/// How actor h estimates actor i's risk attitude `r_i` from its own `r_h`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RiskAdjust {
    /// `r_h`: everyone is assumed to share h's attitude (KTAB's "None").
    #[serde(rename = "none")]
    NoAdjustment,
    /// `(2 r_h + r_i) / 3` (KTAB's default).
    #[default]
    OneThird,
    /// `(r_h + r_i) / 2`.
    Half,
    /// `(r_h + 2 r_i) / 3`.
    TwoThirds,
    /// `r_i`: h knows i's attitude.
    Full,
}

/// How committed a third party is to the side it joins in a contest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ThirdParty {
    /// It keeps its own position whoever wins.
    NoCommit,
    /// It must adopt the winner's position only if its side loses (KTAB's
    /// default).
    #[default]
    SemiCommit,
    /// It adopts the winner's position whichever side wins.
    FullCommit,
}

/// How a bargain's two proposed positions are interpolated, dimension by
/// dimension, between the initiator's and the receiver's positions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Interpolation {
    /// Weights salience × probability; result rounded to 4 decimals.
    #[serde(rename = "s1p1")]
    S1P1,
    /// Weights (salience × probability)²; result rounded to 4 decimals
    /// (KTAB's default).
    #[default]
    #[serde(rename = "s2p2")]
    S2P2,
    /// Each side concedes by the other's probability margin, weighted by
    /// squared saliences; not rounded.
    #[serde(rename = "s2pmax")]
    S2PMax,
}

/// When a bargain chosen from the queues moves its two partners.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Resolution {
    /// Each actor adopts its side of the bargain its own queue chose,
    /// whatever its partner's queue chose. This is what KTAB's `smpc` did
    /// when it wrote the reference log (and the only behaviour that
    /// reproduces it).
    #[default]
    Independent,
    /// A bargain moves its partners only when both their queues chose it;
    /// otherwise each keeps its position. Not a KTAB option: offered for
    /// scenarios that must not move one side of an unaccepted deal.
    Mutual,
}

/// The options of one spatial-model run. The default reproduces KTAB's
/// defaults for CSV input; the state transition is always deterministic
/// (KTAB's default: the most probable option of each queue, the first on a
/// tie), as the kernel draws no random numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SpatialConfig {
    /// Voting rule for coalitions, challenges and bargain queues.
    pub voting: VotingRule,
    /// Victory probability from coalition strengths.
    pub victory: VictoryProbability,
    /// Probabilistic Condorcet election.
    pub pce: PceModel,
    /// Range of the inferred risk attitudes.
    pub risk_range: RiskRange,
    /// How actors estimate each other's risk attitudes.
    pub risk_adjust: RiskAdjust,
    /// Commitment of third parties in a challenge.
    pub third_party: ThirdParty,
    /// How bargains are interpolated.
    pub interpolation: Interpolation,
    /// When chosen bargains move their partners.
    pub resolution: Resolution,
}
