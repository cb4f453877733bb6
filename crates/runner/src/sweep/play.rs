//! One seed played and reduced to what a sweep keeps of it.

use std::collections::BTreeMap;

use entente_core::forecast::Forecasts;
use entente_core::front::StalemateWatch;
use entente_core::log::Encoder;
use entente_core::state::CeasefireStatus;
use entente_core::{
    BargainingEnd, Envelope, Hash, Header, Outcome, Prepared, RunConfig, Scenario, Spell, State,
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
    /// Per theatre with fronts (sorted): the first round of mutually
    /// hurting stalemate, if it had one.
    pub stalemates: Vec<(String, Option<Ripe>)>,
}

/// A theatre's first round of mutually hurting stalemate, and whether a way
/// out stood open then (`front::way_out`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ripe {
    /// The round.
    pub round: u32,
    /// Whether a way out stood open.
    pub way_out: bool,
}

/// What a sweep notes of a run as its events are made: the round each
/// outcome first happened, and each theatre's first stalemate.
#[derive(Clone, Debug)]
pub(crate) struct Notes {
    first: Vec<Option<u32>>,
    watch: StalemateWatch,
    stalemates: Vec<(String, Option<Ripe>)>,
}

impl Notes {
    /// Nothing noted yet, for a run of `scenario` counting `outcomes`.
    pub(crate) fn new(scenario: &Scenario, outcomes: usize) -> Notes {
        let watch = StalemateWatch::new(scenario);
        Notes {
            first: vec![None; outcomes],
            stalemates: watch.theatres().into_iter().map(|t| (t, None)).collect(),
            watch,
        }
    }
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
    let mut notes = Notes::new(prepared.scenario(), outcomes.len());
    // Only a CSV shows fingerprints; a sweep without one does not encode:
    // each event is folded into the state as it is made, noted, and
    // dropped (the state after each event is the run's own).
    let mut encoder = fingerprint.then(|| {
        let header = Header::new(prepared.scenario().clone(), seed, run.rounds());
        let mut encoder = Encoder::default();
        encoder.header(&header, &mut Vec::new());
        encoder
    });
    let mut line = Vec::new();
    while let Some(envelope) = run.next() {
        let envelope = envelope.map_err(Error::from)?;
        if let Some(encoder) = &mut encoder {
            line.clear();
            encoder.event(&envelope, &mut line);
        }
        note(
            prepared.scenario(),
            outcomes,
            &mut notes,
            &envelope,
            run.state(),
        );
    }
    let head = encoder.map(|e| e.head());
    Ok(reduce(run.state(), outcomes, notes, seed, head))
}

/// Notes the round `envelope` first made an outcome happen in, and the
/// first round of stalemate of each theatre with fronts, with whether a
/// way out stood open in `state` (the state after `envelope`).
pub(crate) fn note(
    scenario: &Scenario,
    outcomes: &[Outcome],
    notes: &mut Notes,
    envelope: &Envelope,
    state: &State,
) {
    if let Some(marks) = notes.watch.observe(&envelope.event) {
        for (k, ripe) in marks.into_iter().enumerate() {
            let theatre = notes.watch.theatre_of(k).map(str::to_owned);
            if let (true, Some(theatre)) = (ripe, theatre)
                && let Some((_, first)) = notes.stalemates.iter_mut().find(|(t, _)| *t == theatre)
            {
                first.get_or_insert_with(|| Ripe {
                    round: envelope.round,
                    way_out: entente_core::front::way_out(scenario, state, &theatre),
                });
            }
        }
    }
    let first = &mut notes.first;
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
    notes: Notes,
    seed: u64,
    fingerprint: Option<Hash>,
) -> RunOutcome {
    let Notes {
        mut first,
        stalemates,
        ..
    } = notes;
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
        stalemates,
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
