//! One seed played and reduced to what a sweep keeps of it.

use std::collections::BTreeMap;

use entente_core::forecast::Forecasts;
use entente_core::state::CeasefireStatus;
use entente_core::{
    BargainingEnd, Envelope, Hash, Header, Outcome, Prepared, RunConfig, Scenario, Spell, State,
    log,
};

use crate::error::{Error, Result};

/// What one run contributes to a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutcome {
    /// The seed.
    pub seed: u64,
    /// The log's fingerprint (computed only when a CSV is written).
    pub fingerprint: Option<Hash>,
    /// Per outcome key: the round it first happened.
    pub first: Vec<Option<u32>>,
    /// Per issue: the final weighted mean and median.
    pub forecast: Vec<Forecasts>,
    /// Per issue: the agreed position, if an agreement was signed.
    pub agreed: Vec<Option<f64>>,
    /// Per `STRIKER/theatre`: strikes on designated terrorists, on other
    /// armed opposition, on threatened actors' forces.
    pub strikes: BTreeMap<String, [u64; 3]>,
    /// Per ceasefire, in scenario order: its first spell in force, if it
    /// had one.
    pub spells: Vec<Option<Spell>>,
}

/// Plays one seed of a prepared scenario and reduces it to its outcome.
pub fn play(
    prepared: &Prepared<'_>,
    outcomes: &[Outcome],
    seed: u64,
    rounds: Option<u32>,
    fingerprint: bool,
) -> Result<RunOutcome> {
    let config = RunConfig {
        seed,
        rounds,
        ..RunConfig::default()
    };
    let mut run = prepared.run(config)?;
    let mut first = vec![None; outcomes.len()];
    // Only a CSV shows fingerprints; a sweep without one does not encode:
    // each event is folded into the state as it is made, noted, and
    // dropped.
    let head = if fingerprint {
        let header = Header::new(prepared.scenario().clone(), seed, run.rounds());
        let events = run.by_ref().map(|e| e.map_err(Error::from));
        let mut head = None;
        for line in log::encode(&header, events) {
            let line = line?;
            if let Some(envelope) = &line.envelope {
                note(prepared.scenario(), outcomes, &mut first, envelope);
            }
            head = Some(line.head);
        }
        head
    } else {
        for envelope in run.by_ref() {
            note(prepared.scenario(), outcomes, &mut first, &envelope?);
        }
        None
    };
    Ok(reduce(run.state(), outcomes, first, seed, head))
}

/// Notes the round `envelope` first made an outcome happen in.
pub(crate) fn note(
    scenario: &Scenario,
    outcomes: &[Outcome],
    first: &mut [Option<u32>],
    envelope: &Envelope,
) {
    // How bargaining ended is read from the final state (`reduce`).
    for outcome in Outcome::all_of(&envelope.event, scenario) {
        if !matches!(outcome, Outcome::Bargaining { .. })
            && let Some(k) = outcomes.iter().position(|o| *o == outcome)
        {
            first[k].get_or_insert(envelope.round);
        }
    }
}

/// What a run that ended in `state` contributes, the rounds its outcomes
/// first happened in noted as its events were made.
pub(crate) fn reduce(
    state: &State,
    outcomes: &[Outcome],
    mut first: Vec<Option<u32>>,
    seed: u64,
    fingerprint: Option<Hash>,
) -> RunOutcome {
    // Strikes are the state's count, keyed `STRIKER/theatre`.
    let strikes = state
        .strike_counts()
        .into_iter()
        .map(|c| (c.key(), c.counts))
        .collect();
    let ended = Outcome::Bargaining {
        end: BargainingEnd::of(state),
    };
    if let Some(k) = outcomes.iter().position(|o| *o == ended) {
        first[k] = state.bargaining().round().or(state.closed());
    }
    let round_of = |o: Outcome| outcomes.iter().position(|x| *x == o).and_then(|k| first[k]);
    let spells = state
        .ceasefires()
        .iter()
        .map(|cf| {
            let theatre = cf.theatre.clone();
            Spell::first(
                round_of(Outcome::CeasefireAgreed {
                    theatre: theatre.clone(),
                }),
                round_of(Outcome::CeasefireCollapsed { theatre }),
                cf.status == CeasefireStatus::InForce,
                state.closed().unwrap_or(0),
            )
        })
        .collect();
    RunOutcome {
        seed,
        fingerprint,
        spells,
        first,
        // A cycling run's forecast is its cycle's mean, not its phase.
        forecast: (0..state.issues().len())
            .map(|i| state.final_forecasts(i))
            .collect(),
        agreed: (0..state.issues().len())
            .map(|i| state.agreement(i).map(|a| a.position))
            .collect(),
        strikes,
    }
}
