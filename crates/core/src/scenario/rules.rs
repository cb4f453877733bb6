//! The rules of a run: the negotiation model and its variant flags, and what
//! each crisis mechanism needs to know (strike capacities, ceasefire rules,
//! sanction regimes, linkage, the agreement rule, trust).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::forecast::Forecasts;
use crate::model::exchange::ExchangeConfig;
use crate::model::spatial::SpatialConfig;
use crate::scenario::{DecisionRule, Implementation};

/// The negotiation model and its variant flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// Which model moves positions.
    #[serde(default)]
    pub kind: ModelKind,
    /// Compromise model: the step toward the weighted mean, in (0, 1].
    #[serde(default = "default_lambda")]
    pub lambda: f64,
    /// Expected-utility model: the normaliser of the probability of prevailing.
    #[serde(default)]
    pub probability: Probability,
    /// Expected-utility model: which of several compromises a receiver takes.
    #[serde(default)]
    pub compromise_choice: CompromiseChoice,
    /// Expected-utility model: whether a receiver may capitulate.
    #[serde(default)]
    pub capitulation: bool,
    /// When bargaining is over: positions still for some rounds, or back
    /// where they were some rounds ago. `null`: never (the model plays every
    /// round, as the reference programs do).
    #[serde(default = "default_stop")]
    pub stop: Option<StopRule>,
    /// Spatial model: KTAB's options (its defaults for CSV input when
    /// left out).
    #[serde(default, skip_serializing_if = "is_default")]
    pub spatial: SpatialConfig,
    /// Exchange model: the decide package's options (its defaults when
    /// left out).
    #[serde(default, skip_serializing_if = "is_default")]
    pub exchange: ExchangeConfig,
}

/// Whether a value is its type's default (left out of what runs write, so
/// logs of models that do not read it keep their bytes).
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn default_lambda() -> f64 {
    0.2
}

#[expect(clippy::unnecessary_wraps, reason = "serde's default for an Option")]
fn default_stop() -> Option<StopRule> {
    Some(StopRule::default())
}

impl Default for ModelConfig {
    fn default() -> ModelConfig {
        ModelConfig {
            kind: ModelKind::default(),
            lambda: default_lambda(),
            probability: Probability::default(),
            compromise_choice: CompromiseChoice::default(),
            capitulation: false,
            stop: default_stop(),
            spatial: SpatialConfig::default(),
            exchange: ExchangeConfig::default(),
        }
    }
}

/// When bargaining is over. Bargaining iterations are not calendar rounds:
/// once positions have converged or cycle, the model moves no more, while
/// the mechanisms go on to the scenario's last round.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StopRule {
    /// Positions closer than this many points count as the same.
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// Converged: the largest move of a round below the tolerance this many
    /// rounds running.
    #[serde(default = "default_quiet")]
    pub quiet_rounds: u32,
    /// Cycled: positions back within the tolerance of those of a round at
    /// most this many rounds ago (a cycle of period 2 up to this).
    #[serde(default = "default_period")]
    pub max_period: u32,
    /// Also converged, from round 2 on, when a round's total movement (the
    /// sum over actors of the distance moved across all issues, on the 0–1
    /// scale) is below this share of round 1's (plus 10⁻⁴): KTAB's rule,
    /// with 0.02.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative: Option<f64>,
}

fn default_tolerance() -> f64 {
    0.1
}

fn default_quiet() -> u32 {
    3
}

fn default_period() -> u32 {
    8
}

impl Default for StopRule {
    fn default() -> StopRule {
        StopRule {
            tolerance: default_tolerance(),
            quiet_rounds: default_quiet(),
            max_period: default_period(),
            relative: None,
        }
    }
}

/// The negotiation models.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// Every actor steps toward the weighted mean.
    #[default]
    Compromise,
    /// Bueno de Mesquita's expected-utility model (the published form by
    /// default; Scholz et al.'s code as the `scholz` variants).
    ExpectedUtility,
    /// KTAB's spatial model of politics: the scenario's issues are the
    /// dimensions of one space.
    Spatial,
    /// Stokman's equal-gain exchange model, as the decide package has it.
    Exchange,
    /// No bargaining: no position moves by a model (the timeline, the
    /// uncertainty draws and the mechanisms play as written). The status
    /// quo forecast a sceptic makes for free, against which a model's skill
    /// is measured.
    Frozen,
}

/// Normaliser of P(i prevails over j).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(transform = probability_aliases)]
pub enum Probability {
    /// The published form: the votes for i over j divided by every vote
    /// cast on the pair, Σ_k max(0, v_k) / Σ_k |v_k|, so P(i, j) + P(j, i) = 1.
    #[default]
    #[serde(alias = "paper")]
    Pairwise,
    /// Scholz et al.'s code: divided by the votes of every voter on every
    /// ordered pair, which makes every P small.
    #[serde(alias = "full")]
    Scholz,
}

/// The names engine 0.2 gave the two normalisers, still read.
fn probability_aliases(schema: &mut schemars::Schema) {
    add_aliases(schema, &[("paper", "pairwise"), ("full", "scholz")]);
}

/// Adds each `(old, new)` name to an enum's schema as another accepted
/// string.
fn add_aliases(schema: &mut schemars::Schema, aliases: &[(&str, &str)]) {
    if let Some(serde_json::Value::Array(one_of)) = schema.get_mut("oneOf") {
        for (old, new) in aliases {
            one_of.push(serde_json::json!({
                "type": "string",
                "const": old,
                "description": format!("The name engine 0.2 gave `{new}`."),
            }));
        }
    }
}

/// How a receiver picks among compromises.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CompromiseChoice {
    /// The published rule: the offer asking the smallest move (the same
    /// whichever end of the scale is 0).
    #[default]
    Nearest,
    /// The smallest (|a|·x_i + |b|·x_j)/(|a| + |b|), as Scholz's code did: a
    /// weighted *position*, so mirroring the scale changes the choice.
    Scholz,
}

/// An actor that strikes in a theatre: each round up to `per_round`
/// strikes, as many as its salience on the targeting issue draws.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrikeCapacity {
    /// The striker.
    pub actor: String,
    /// Where: a theatre id such as `syria`.
    pub theatre: String,
    /// The targeting issue: the striker's position, read by the issue's
    /// polarity, is the chance a strike hits designated terrorists rather
    /// than other armed opposition.
    pub issue: String,
    /// The most strikes a round: each of them is flown with the striker's
    /// salience on the targeting issue as its chance (all of them, in a
    /// format-1 scenario).
    #[serde(default = "one")]
    pub per_round: u32,
    /// The actor whose forces a strike on other armed opposition hits: such
    /// a strike lowers trust between the striker and that actor's patrons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hits: Option<String>,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn one() -> u32 {
    1
}

/// A ceasefire that may be agreed in a theatre.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CeasefireRule {
    /// The theatre: `syria`, `eastern_ukraine`.
    pub theatre: String,
    /// The issue whose positions govern it (high = for a ceasefire now).
    pub issue: String,
    /// The parties whose positions must meet.
    pub parties: Vec<String>,
    /// Patrons who broker it: agreed when their positions meet, each party
    /// then joining or refusing as a spoiler (not bound by it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brokers: Vec<String>,
    /// Agreed when the parties' positions lie within this many points…
    pub tolerance: f64,
    /// …and their mean is at least this.
    #[serde(default = "fifty")]
    pub threshold: f64,
    /// Chance a party violates it in a round when positions and trust are nil.
    pub hazard: f64,
    /// A party's own hazard, where it differs from `hazard`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub hazards: std::collections::BTreeMap<String, f64>,
    /// After a collapse, the mean trust among the parties that re-agreement
    /// needs (format 2; a format-1 ceasefire re-agrees on positions alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_to_reagree: Option<f64>,
    /// How much trust between the parties recovers a round toward its
    /// initial value.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub trust_recovery: f64,
    /// Violations that collapse it: the trigger of format 1 and of format-2
    /// files written before engine 0.6. Give this or `collapse_hazard`, not
    /// both.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub collapse_after: u32,
    /// Collapse as a hazard (format 2): each round in force it collapses
    /// with a chance that rises with recent violations and falls with trust
    /// and monitoring. Replaces `collapse_after`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collapse_hazard: Option<CollapseHazard>,
    /// Who watches it, and how closely (format 2): lowers the collapse
    /// hazard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<Monitoring>,
    /// Groups it does not cover (format 2): a strike on their forces is not
    /// a violation (the designated terrorists of a cessation of hostilities).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt: Vec<String>,
    /// Whether it is in force when the scenario starts.
    #[serde(default)]
    pub in_force: bool,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn fifty() -> f64 {
    50.0
}

fn is_zero_u32(x: &u32) -> bool {
    *x == 0
}

/// A ceasefire's collapse as a discrete-time hazard (a logistic model of the
/// chance it collapses in a round, given that it held until then):
///
/// logit p = logit(`base`) + `per_violation` × v − `trust` × t̄ − `monitoring` × m
///
/// where v counts the violations of the last `window` rounds (this one
/// included), t̄ is the mean trust among the parties it binds and m the
/// ceasefire's monitoring level (0 without one). docs/models.md cites it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollapseHazard {
    /// The chance it collapses in a round without violations, trust or
    /// monitoring, in [0, 1].
    pub base: f64,
    /// Log-odds added by each violation in the window (≥ 0: more violations
    /// never make it safer).
    #[serde(default = "default_per_violation")]
    pub per_violation: f64,
    /// Rounds over which violations count, this one included (≥ 1).
    #[serde(default = "default_window")]
    pub window: u32,
    /// Log-odds taken off at mean trust 1 among the bound parties (≥ 0).
    #[serde(default = "default_trust_weight")]
    pub trust: f64,
    /// Log-odds taken off at monitoring level 1 (≥ 0).
    #[serde(default = "default_monitoring_weight")]
    pub monitoring: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn default_per_violation() -> f64 {
    0.5
}

fn default_window() -> u32 {
    4
}

fn default_trust_weight() -> f64 {
    2.0
}

/// ln 4: at full monitoring the odds of collapse fall to a quarter.
fn default_monitoring_weight() -> f64 {
    std::f64::consts::LN_2 * 2.0
}

/// Who monitors a ceasefire and how closely.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// How closely, in [0, 1]: 0 nobody watches, 1 a mandated mission on
    /// every line of contact.
    pub level: f64,
    /// Who monitors (actor ids: a body's members, a broker's task force).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// A sanction regime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegimeRule {
    /// Short id: `eu_sectoral`.
    pub id: String,
    /// Who imposes it and decides its renewal (the first member, when
    /// `imposers` lists several).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub imposer: String,
    /// The members who impose it and vote on it, under `rule`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imposers: Vec<String>,
    /// A body (`$.bodies`) whose modelled members impose it and vote on
    /// it under the body's `rule`, instead of `imposers` and `rule`: one
    /// institution, one voting rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// How the members' votes decide.
    #[serde(default, skip_serializing_if = "is_one")]
    pub rule: DecisionRule,
    /// Who it targets.
    pub target: String,
    /// The issue whose position the imposer decides by (high = keep).
    pub issue: String,
    /// The dates on which it must be renewed or it lapses.
    pub renewals: Vec<Date>,
    /// After the last listed renewal, renewals keep falling due this many
    /// days apart while the run lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_days: Option<u32>,
    /// While in force, each round raises the target's salience on the
    /// issue by this × the level (capped at 1).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cost: f64,
    /// Renewed whole when the imposer's position is at least this…
    #[serde(default = "sixty")]
    pub renew_at: f64,
    /// …lifted when below this, and eased in between.
    #[serde(default = "twenty_five")]
    pub lift_below: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn sixty() -> f64 {
    60.0
}

fn twenty_five() -> f64 {
    25.0
}

/// Package deals across two issues.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkageRule {
    /// The issue on which actors say whether issues may be linked
    /// (high = linking allowed).
    pub issue: String,
    /// An offerer offers when its position on the linkage issue is at least this.
    #[serde(default = "fifty")]
    pub offer_at: f64,
    /// A receiver may accept only when its position is at least this.
    #[serde(default = "fifty")]
    pub accept_at: f64,
    /// Rounds between two offers of the same pair.
    #[serde(default = "four")]
    pub cooldown_rounds: u32,
    /// Who may offer what to whom.
    #[serde(default)]
    pub pairs: Vec<LinkagePair>,
    /// Packages among three or more parties, each yielding on one issue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<LinkageGroup>,
    /// How a group's package splits the joint gain (docs/models.md,
    /// "Packages among three or more").
    #[serde(default, skip_serializing_if = "Split::is_default")]
    pub split: Split,
}

/// How a group package splits the joint gain among its parties.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// Every party gains the same, as much as it can (Stokman's rule for
    /// pairs, for n parties).
    #[default]
    EqualGain,
    /// The Nash bargaining solution: the product of the gains is largest.
    Nash,
    /// Every party concedes fully, to the weighted mean of the others'
    /// positions on its issue (engines before 0.7.0).
    Full,
}

impl Split {
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    fn is_default(&self) -> bool {
        *self == Split::EqualGain
    }
}

/// Three or more parties that may bind each other in one package: party k
/// yields on issue k.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkageGroup {
    /// The parties, the first offering.
    pub parties: Vec<String>,
    /// The issue each party yields on, in the parties' order.
    pub issues: Vec<String>,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn four() -> u32 {
    4
}

/// A pair that may trade concessions across two issues.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkagePair {
    /// Who offers.
    pub offerer: String,
    /// Who is offered.
    pub receiver: String,
    /// The two issues traded.
    pub issues: [String; 2],
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// When an issue counts as agreed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementRule {
    /// Signed when every principal is within this many points of the forecast.
    pub tolerance: f64,
    /// Which forecast: the weighted mean or the weighted median.
    #[serde(default)]
    pub forecast: ForecastKind,
    /// How an agreement is carried out once signed (format 2; without it an
    /// agreed issue is settled and no longer moves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<Implementation>,
    /// The source sentence, or "analyst estimate": why this tolerance,
    /// forecast and implementation. Every shipped file gives one; a file
    /// without it (as engines before 0.8.0 wrote them) stays valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

impl Default for AgreementRule {
    fn default() -> AgreementRule {
        AgreementRule {
            tolerance: 5.0,
            forecast: ForecastKind::Mean,
            implementation: None,
            basis: None,
        }
    }
}

/// Which of the two forecasts reported every round a rule reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ForecastKind {
    /// The capability×salience weighted mean.
    #[default]
    Mean,
    /// The weighted (Condorcet) median.
    Median,
}

impl ForecastKind {
    /// The forecast this kind names.
    pub fn pick(self, forecasts: Forecasts) -> f64 {
        match self {
            ForecastKind::Mean => forecasts.mean,
            ForecastKind::Median => forecasts.median,
        }
    }
}

/// Trust between actors: 0 none, 1 full.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustRule {
    /// Trust between any pair not listed.
    #[serde(default = "half")]
    pub initial: f64,
    /// Change of trust per 10 Goldstein points of an event between a pair.
    #[serde(default = "trust_rate")]
    pub rate: f64,
    /// Pairs whose trust differs from `initial`.
    #[serde(default)]
    pub pairs: Vec<TrustPair>,
}

fn half() -> f64 {
    0.5
}

fn trust_rate() -> f64 {
    0.05
}

impl Default for TrustRule {
    fn default() -> TrustRule {
        TrustRule {
            initial: half(),
            rate: trust_rate(),
            pairs: Vec::new(),
        }
    }
}

/// Initial trust between two actors (symmetric).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustPair {
    /// One actor.
    pub a: String,
    /// The other.
    pub b: String,
    /// Trust, 0–1.
    pub value: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

impl RegimeRule {
    /// The members who vote on the regime: its body's modelled members,
    /// `imposers`, or the one `imposer`.
    pub fn members<'a>(&'a self, scenario: &'a super::Scenario) -> &'a [String] {
        if let Some(b) = self.body_of(scenario) {
            &b.members
        } else if self.imposers.is_empty() {
            std::slice::from_ref(&self.imposer)
        } else {
            &self.imposers
        }
    }

    /// How its members decide: its body's rule, or its own.
    pub fn decision(&self, scenario: &super::Scenario) -> DecisionRule {
        self.body_of(scenario)
            .and_then(|b| b.rule)
            .unwrap_or(self.rule)
    }

    /// Whether its members vote (several imposers, or a body), rather
    /// than one imposer deciding.
    pub fn votes(&self, scenario: &super::Scenario) -> bool {
        self.body_of(scenario).is_some() || !self.imposers.is_empty()
    }

    /// The body it names, if it names one the scenario declares.
    fn body_of<'a>(&self, scenario: &'a super::Scenario) -> Option<&'a super::Body> {
        let id = self.body.as_deref()?;
        scenario.bodies.iter().find(|b| b.id == id)
    }

    /// The renewal dates falling due from `first` to `last`: the listed ones,
    /// then every `every_days` after the last listed.
    pub fn due_between(&self, first: Date, last: Date) -> Vec<Date> {
        let mut due: Vec<Date> = self
            .renewals
            .iter()
            .copied()
            .filter(|d| (first..=last).contains(d))
            .collect();
        if let (Some(every), Some(&after)) =
            (self.every_days.filter(|&d| d > 0), self.renewals.last())
        {
            let mut d = after.plus_days(i64::from(every));
            while d <= last {
                if d >= first {
                    due.push(d);
                }
                d = d.plus_days(i64::from(every));
            }
        }
        due
    }
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn is_one(rule: &DecisionRule) -> bool {
    *rule == DecisionRule::One
}
