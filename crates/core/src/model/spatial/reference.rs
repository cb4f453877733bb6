//! Test support: a reader for the lines of KTAB's reference log of
//! `dummyData_3Dim.csv` that carry numbers the kernel must reproduce. Every
//! number is kept as the text KTAB printed, so that tests compare printed
//! digits, not a tolerance.

use std::collections::BTreeMap;

/// The reference log, as shipped in `data/ktab/`.
pub(super) const LOG: &str =
    include_str!("../../../../../data/ktab/20170530_ref-dummyData_3Dim.txt");
/// The scenario it ran.
pub(super) const CSV: &str = include_str!("../../../../../data/ktab/dummyData_3Dim.csv");

/// "Est by h of prob p that [i>j], with expected gain to k of g".
#[derive(Debug, Clone)]
pub(super) struct Estimate {
    pub(super) h: usize,
    pub(super) k: usize,
    pub(super) i: usize,
    pub(super) j: usize,
    pub(super) probability: String,
    pub(super) gain: String,
}

/// The PCE over one actor's queue.
#[derive(Debug, Clone, Default)]
pub(super) struct QueuePce {
    /// P(option i beats option j), rows in the log's queue order.
    pub(super) victory: Vec<Vec<String>>,
    /// P(option), in the log's queue order.
    pub(super) probability: Vec<String>,
    /// Id of the chosen bargain.
    pub(super) chosen: u64,
}

/// A bargain as its initiator proposed it (0–100 scale, 3 decimals).
#[derive(Debug, Clone)]
pub(super) struct LoggedBargain {
    pub(super) receiver: usize,
    pub(super) initiator_position: Vec<String>,
    pub(super) receiver_position: Vec<String>,
}

/// One step of the run, from state t to state t + 1.
#[derive(Debug, Default)]
pub(super) struct Turn {
    /// Initiator → (target, value to 3 decimals).
    pub(super) targets: BTreeMap<usize, (usize, String)>,
    /// Actors with no advantageous target.
    pub(super) no_target: Vec<usize>,
    pub(super) estimates: Vec<Estimate>,
    /// Initiator → its bargain.
    pub(super) bargains: BTreeMap<usize, LoggedBargain>,
    /// Bargain id → (initiator, receiver); status quo ids map to (k, k).
    pub(super) ids: BTreeMap<u64, (usize, usize)>,
    /// Actor → its queue's bargain ids in the log's order.
    pub(super) queues: BTreeMap<usize, Vec<u64>>,
    /// Actor → the PCE over its queue.
    pub(super) pce: BTreeMap<usize, QueuePce>,
    /// Actor → its position in state t + 1 (0–100, 4 decimals).
    pub(super) next_positions: BTreeMap<usize, Vec<String>>,
    /// "sDist" of this step (%.2E) and its ratio to the first (%.4f).
    pub(super) distance: String,
    pub(super) ratio: String,
}

/// One state's assessment.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Risk attitudes (%+.3f).
    pub(super) risk: Vec<String>,
    /// estimates[h][i][j]: h's estimate of i's utility of j's position.
    pub(super) estimates: Vec<Vec<Vec<String>>>,
}

/// Everything the tests read from the log.
#[derive(Debug, Default)]
pub(super) struct Log {
    pub(super) actors: usize,
    pub(super) dimensions: usize,
    pub(super) states: Vec<State>,
    pub(super) turns: Vec<Turn>,
    /// "There were N states".
    pub(super) state_count: usize,
    /// [actor][dimension][state], %5.1f.
    pub(super) history_positions: Vec<Vec<Vec<String>>>,
    /// [actor][state], %.4f.
    pub(super) history_probability: Vec<Vec<String>>,
}

/// White-space separated words after replacing `seps` with spaces.
fn words(line: &str, seps: &[char]) -> Vec<String> {
    line.chars()
        .map(|c| if seps.contains(&c) { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn index(word: &str) -> usize {
    word.trim_end_matches("'s")
        .parse()
        .unwrap_or_else(|_| panic!("not an index: {word:?}"))
}

/// The `rows` lines after `at`, split into words.
fn block(lines: &[&str], at: usize, rows: usize) -> Vec<Vec<String>> {
    lines[at + 1..=at + rows]
        .iter()
        .map(|l| words(l, &[]))
        .collect()
}

impl Log {
    /// Read the reference log.
    #[expect(
        clippy::cognitive_complexity,
        reason = "one `else if` per kind of line of KTAB's log, read in one pass: a table of cases, not a tangle"
    )]
    pub(super) fn read() -> Log {
        let lines: Vec<&str> = LOG.lines().map(str::trim_end).collect();
        let mut log = Log::default();
        let mut pending: Option<(usize, usize, Vec<Vec<String>>)> = None;
        let mut pce_actor = 0;
        let mut sdist: usize = 0;
        for (at, line) in lines.iter().enumerate() {
            let w = words(line, &['[', ']', ',', '>', ':']);
            let turn = log.turns.len().saturating_sub(1);
            if let Some(n) = line.strip_prefix("Number of actors: ") {
                log.actors = index(n);
            } else if let Some(d) = line.strip_prefix("Number of dimensions: ") {
                log.dimensions = index(d);
            } else if line.starts_with("Starting Model::run iteration") {
                log.turns.push(Turn::default());
            } else if line.starts_with("Inferred risk attitudes:") {
                let risk = block(&lines, at, log.actors)
                    .into_iter()
                    .flatten()
                    .collect();
                log.states.push(State {
                    risk,
                    estimates: Vec::new(),
                });
            } else if line.starts_with("Estimate by ") {
                let matrix = block(&lines, at, log.actors);
                if let Some(state) = log.states.last_mut() {
                    state.estimates.push(matrix);
                }
            } else if line.starts_with("In turn ") && line.contains("most advantageous") {
                log.turns[turn]
                    .targets
                    .insert(index(&w[4]), (index(&w[9]), w[11].clone()));
            } else if line.starts_with("In turn ") && line.contains("no advantageous") {
                log.turns[turn].no_target.push(index(&w[4]));
            } else if line.starts_with("Est by ") {
                log.turns[turn].estimates.push(Estimate {
                    h: index(&w[2]),
                    probability: w[5].clone(),
                    i: index(&w[7]),
                    j: index(&w[8]),
                    k: index(&w[13]),
                    gain: w[15].clone(),
                });
            } else if line.starts_with("Bargain [") {
                let (i, j, from) = (index(&w[2]), index(&w[3]), index(&w[5]));
                pending = (from == i).then(|| (i, j, Vec::new()));
            } else if w.get(1).is_some_and(|x| x == "proposes") && w[0] != "compromise" {
                if let Some((i, j, mut got)) = pending.take() {
                    got.push(w[4..].to_vec());
                    if got.len() == 2 {
                        log.turns[turn].bargains.insert(
                            i,
                            LoggedBargain {
                                receiver: j,
                                initiator_position: got[0].clone(),
                                receiver_position: got[1].clone(),
                            },
                        );
                    } else {
                        pending = Some((i, j, got));
                    }
                }
            } else if line.starts_with("Bargains involving actor") {
                let k = index(&w[3]);
                let ids: Vec<u64> = w[4..]
                    .chunks(3)
                    .map(|c| c[0].parse().unwrap_or(0))
                    .collect();
                for c in w[4..].chunks(3) {
                    let id = c[0].parse().unwrap_or(0);
                    log.turns[turn].ids.insert(id, (index(&c[1]), index(&c[2])));
                }
                log.turns[turn].queues.insert(k, ids);
            } else if line.starts_with("Doing scalarPCE") {
                pce_actor = index(&w[8]);
                log.turns[turn].pce.insert(pce_actor, QueuePce::default());
            } else if line.starts_with("Probability Opt_i > Opt_j") {
                let rows = log.turns[turn].queues[&pce_actor].len();
                log.turns[turn].pce.entry(pce_actor).or_default().victory = block(&lines, at, rows);
            } else if *line == "Probability Opt_i" {
                let rows = log.turns[turn].queues[&pce_actor].len();
                let p = block(&lines, at, rows).into_iter().flatten().collect();
                log.turns[turn]
                    .pce
                    .entry(pce_actor)
                    .or_default()
                    .probability = p;
            } else if line.starts_with("Chosen bargain") {
                log.turns[turn].pce.entry(pce_actor).or_default().chosen =
                    w[5].parse().unwrap_or(0);
            } else if line.starts_with("postn ") && !line.starts_with("postn-ideal") {
                let i = index(&w[1]);
                let position = block(&lines, at, 1).into_iter().flatten().collect();
                log.turns[turn].next_positions.insert(i, position);
            } else if line.starts_with("sDist") {
                // Each step prints the first step's distance (plus 10⁻⁴),
                // then its own.
                sdist += 1;
                let a = index(&w[1]);
                if sdist.is_multiple_of(2) && a < log.turns.len() {
                    log.turns[a].distance = w[4].clone();
                }
            } else if line.starts_with("Fractional change") {
                log.turns[turn].ratio = w[6].clone();
            } else if let Some(rest) = line.strip_prefix("There were ") {
                log.state_count = index(&words(rest, &[])[0]);
            } else if line.starts_with("SActor-") {
                log.history(line);
            }
        }
        log
    }

    /// "SActor-00, Pstn1:  75.8 …" and "SActor-00, prob : 0.0047 …".
    fn history(&mut self, line: &str) {
        let values = words(&line[line.find(':').unwrap_or(0) + 1..], &[]);
        if line.contains(", Pstn") {
            let actor = index(&line[7..9]);
            if self.history_positions.len() <= actor {
                self.history_positions.push(Vec::new());
            }
            self.history_positions[actor].push(values);
        } else if line.contains(", prob :") {
            self.history_probability.push(values);
        }
    }
}
