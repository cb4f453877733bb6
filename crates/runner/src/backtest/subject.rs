//! The models and variants a backtest scores.

use serde::Serialize;

use entente_core::scenario::{CompromiseChoice, ModelConfig, ModelKind, Probability, StopRule};

/// A model or variant scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Subject {
    /// The forecast of round 0, before any bargaining.
    Round0,
    /// The compromise model.
    Compromise,
    /// The expected-utility model with its variant flags.
    ExpectedUtility {
        /// Scholz et al.'s all-pairs normaliser instead of the published
        /// pairwise one.
        scholz_probability: bool,
        /// Scholz et al.'s position-weighted compromise choice instead of
        /// the smallest move.
        scholz_choice: bool,
        /// Capitulation on.
        capitulation: bool,
        /// The default stop rule off: the model plays every round.
        no_stop: bool,
    },
    /// KTAB's spatial model with its stopping rule.
    Spatial {
        /// A proposal's issues as the dimensions of one space (else each
        /// issue alone).
        proposal: bool,
    },
    /// Stokman's exchange model over a proposal's issues.
    Exchange,
}

impl Subject {
    /// Every model and variant, baselines first: the expected-utility
    /// model in every combination of its three variant flags under the
    /// default stop rule, then the published form and Scholz's code without
    /// it.
    pub fn all() -> Vec<Subject> {
        let mut all = vec![Subject::Round0, Subject::Compromise];
        for scholz_probability in [false, true] {
            for scholz_choice in [false, true] {
                for capitulation in [false, true] {
                    all.push(Subject::ExpectedUtility {
                        scholz_probability,
                        scholz_choice,
                        capitulation,
                        no_stop: false,
                    });
                }
            }
        }
        for scholz in [false, true] {
            all.push(Subject::ExpectedUtility {
                scholz_probability: scholz,
                scholz_choice: scholz,
                capitulation: false,
                no_stop: true,
            });
        }
        all.extend([
            Subject::Spatial { proposal: false },
            Subject::Spatial { proposal: true },
            Subject::Exchange,
        ]);
        all
    }

    /// Whether it plays all the issues of a proposal together.
    pub fn by_proposal(self) -> bool {
        matches!(
            self,
            Subject::Spatial { proposal: true } | Subject::Exchange
        )
    }

    /// A short name: `expected-utility (scholz P, capitulation)`; the
    /// published form is plain `expected-utility`.
    pub fn name(self) -> String {
        match self {
            Subject::Round0 => "round 0 (no bargaining)".to_owned(),
            Subject::Compromise => "compromise (λ 0.2)".to_owned(),
            Subject::Spatial { proposal: false } => "spatial (each issue alone)".to_owned(),
            Subject::Spatial { proposal: true } => {
                "spatial (a proposal's issues as its dimensions)".to_owned()
            }
            Subject::Exchange => "exchange (a proposal's issues)".to_owned(),
            Subject::ExpectedUtility {
                scholz_probability,
                scholz_choice,
                capitulation,
                no_stop,
            } => {
                let scholz = if scholz_probability && scholz_choice {
                    vec![(true, "scholz")]
                } else {
                    vec![
                        (scholz_probability, "scholz P"),
                        (scholz_choice, "scholz choice"),
                    ]
                };
                let flags: Vec<&str> = scholz
                    .into_iter()
                    .chain([(capitulation, "capitulation"), (no_stop, "no stop")])
                    .filter_map(|(on, name)| on.then_some(name))
                    .collect();
                if flags.is_empty() {
                    "expected-utility".to_owned()
                } else {
                    format!("expected-utility ({})", flags.join(", "))
                }
            }
        }
    }

    /// The model configuration it plays; `None` for the round-0 baseline.
    pub fn model(self) -> Option<ModelConfig> {
        match self {
            Subject::Round0 => None,
            Subject::Compromise => Some(ModelConfig::default()),
            Subject::Spatial { .. } => Some(ModelConfig {
                kind: ModelKind::Spatial,
                stop: Some(StopRule {
                    relative: Some(entente_core::model::spatial::QUIET_RATIO),
                    ..StopRule::default()
                }),
                ..ModelConfig::default()
            }),
            Subject::Exchange => Some(ModelConfig {
                kind: ModelKind::Exchange,
                ..ModelConfig::default()
            }),
            Subject::ExpectedUtility {
                scholz_probability,
                scholz_choice,
                capitulation,
                no_stop,
            } => Some(ModelConfig {
                kind: ModelKind::ExpectedUtility,
                probability: if scholz_probability {
                    Probability::Scholz
                } else {
                    Probability::Pairwise
                },
                compromise_choice: if scholz_choice {
                    CompromiseChoice::Scholz
                } else {
                    CompromiseChoice::Nearest
                },
                capitulation,
                stop: if no_stop {
                    None
                } else {
                    ModelConfig::default().stop
                },
                ..ModelConfig::default()
            }),
        }
    }
}
