//! The log's guarantees, tested in-process: every damage is caught at the
//! right seq, one writer at a time, and no input makes the shell panic.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use entente_core::{Header, RunConfig, Scenario};
use proptest::prelude::*;

use crate::error::Error;
use crate::logfile::{Durability, LogWriter};
use crate::{branch, replay, report, scenario, simulate};

/// The format-1 Moscow scenario: these tests pin its log lines.
const MOSCOW: &str = include_str!("../../../scenarios/moscow-2015-12-15-minimal.json");

fn moscow() -> Scenario {
    serde_json::from_str(MOSCOW).unwrap()
}

/// A Moscow log of 6 rounds, built once.
fn log_bytes() -> &'static [u8] {
    static LOG: OnceLock<Vec<u8>> = OnceLock::new();
    LOG.get_or_init(|| {
        let config = RunConfig {
            seed: 7,
            rounds: Some(6),
            ..RunConfig::default()
        };
        simulate::run_to_bytes(&moscow(), config).unwrap()
    })
}

/// Byte offsets at which each line starts, and the file's length last.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

fn replay_bytes(dir: &Path, bytes: &[u8]) -> Result<u64, Error> {
    let path = dir.join("log.jsonl");
    std::fs::write(&path, bytes).unwrap();
    replay::replay(&path, |_, _| {}).map(|r| r.events)
}

#[test]
fn truncation_at_every_offset_of_the_last_three_lines_is_caught_at_the_right_seq() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = log_bytes();
    let starts = line_starts(bytes);
    let lines = starts.len() - 1; // header + events
    let events = (lines - 1) as u64;
    for line in lines - 3..lines {
        // line k (0 = header) holds seq k.
        for cut in starts[line]..starts[line + 1] {
            let result = replay_bytes(dir.path(), &bytes[..cut]);
            let whole_before = line as u64 - 1;
            if cut == starts[line] {
                // A cut between lines leaves a shorter log whose lines are all whole.
                assert_eq!(result.unwrap(), whole_before, "cut at {cut}");
            } else {
                match result {
                    Err(Error::Torn { after_seq, .. }) => {
                        assert_eq!(after_seq, whole_before, "cut at {cut}")
                    }
                    other => panic!("cut at {cut} of line {line}: {other:?}"),
                }
            }
        }
    }
    assert_eq!(replay_bytes(dir.path(), bytes).unwrap(), events);
}

#[test]
fn flipping_every_byte_of_an_event_line_is_caught_at_its_seq() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = log_bytes();
    let starts = line_starts(bytes);
    let line = starts.len() / 2;
    for offset in starts[line]..starts[line + 1] {
        for flip in [0x01u8, 0x20, 0x80] {
            let mut bad = bytes.to_vec();
            bad[offset] ^= flip;
            match replay_bytes(dir.path(), &bad) {
                Err(Error::Corrupt { seq, .. }) => {
                    assert_eq!(seq, line as u64, "byte {offset} ^ {flip:#x}")
                }
                other => panic!("byte {offset} ^ {flip:#x}: {other:?}"),
            }
        }
    }
}

/// The header line of a log that `header` starts.
fn header_line(header: &Header) -> entente_core::Line {
    let none = std::iter::empty::<Result<entente_core::Envelope, ()>>();
    entente_core::log::encode(header, none)
        .next()
        .and_then(Result::ok)
        .expect("a header line")
}

#[test]
fn a_second_writer_is_refused_and_the_file_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.jsonl");
    let header = header_line(&Header::new(moscow(), 1, 2));
    let writer = LogWriter::create(&path, &header, Durability::Never, false).unwrap();
    let before = std::fs::read(&path).unwrap();
    for replace in [false, true] {
        let err = LogWriter::create(&path, &header, Durability::Never, replace).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
    drop(writer);
    // Once the writer is gone, --force may replace the file.
    LogWriter::create(&path, &header, Durability::Never, true).unwrap();
}

#[test]
fn an_append_that_expects_another_seq_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    let scenario = moscow();
    let run = entente_core::Run::new(&scenario, RunConfig::default()).unwrap();
    let mut lines = entente_core::log::encode(&Header::new(scenario.clone(), 1, 2), run);
    let header = lines.next().unwrap().unwrap();
    let mut writer = LogWriter::create(&path, &header, Durability::End, false).unwrap();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    writer.append(0, &first).unwrap();
    let before = std::fs::read(&path).unwrap();
    assert_eq!(writer.append(0, &second).unwrap_err().exit_code(), 2);
    assert_eq!(writer.append(1, &first).unwrap_err().exit_code(), 2);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    writer.append(1, &second).unwrap();
    assert_eq!(writer.seq(), 2);
}

/// Mutations of valid input.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, mask: u8 },
    Truncate { at: usize },
    InsertLine { at: usize, text: String },
    SwapLines { a: usize, b: usize },
    DuplicateLine { at: usize },
    DeleteLine { at: usize },
    Number { nth: usize, to: &'static str },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (
            any::<usize>(),
            prop_oneof![
                Just(String::new()),
                Just("{}".to_owned()),
                Just("null".to_owned()),
                "[ -~]{0,40}",
            ]
        )
            .prop_map(|(at, text)| Mutation::InsertLine { at, text }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any::<usize>().prop_map(|at| Mutation::DuplicateLine { at }),
        any::<usize>().prop_map(|at| Mutation::DeleteLine { at }),
        (
            any::<usize>(),
            prop_oneof![
                Just("NaN"),
                Just("1e999"),
                Just("-1e999"),
                Just("-1"),
                Just("-0"),
                Just("18446744073709551616"),
                Just("1e308"),
                Just("0.000000000000000000001"),
                Just("\"7\""),
                Just("null"),
                Just("999999999999"),
            ]
        )
            .prop_map(|(nth, to)| Mutation::Number { nth, to }),
    ]
}

fn mutate(input: &[u8], m: &Mutation) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = input.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::Flip { at, mask } => {
            let mut out = input.to_vec();
            if !out.is_empty() {
                let i = at % out.len();
                out[i] ^= mask;
            }
            return out;
        }
        Mutation::Truncate { at } => return input[..at % (input.len() + 1)].to_vec(),
        Mutation::InsertLine { at, text } => lines.insert(at % (n + 1), text.clone().into_bytes()),
        Mutation::SwapLines { a, b } => lines.swap(a % n, b % n),
        Mutation::DuplicateLine { at } => {
            let line = lines[at % n].clone();
            lines.insert(at % n, line);
        }
        Mutation::DeleteLine { at } => {
            lines.remove(at % n);
        }
        Mutation::Number { nth, to } => {
            // Replace the nth number in the text.
            let text = String::from_utf8_lossy(input).into_owned();
            let bytes = text.as_bytes();
            let mut numbers = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                let starts_number = bytes[i].is_ascii_digit()
                    && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
                if starts_number {
                    let start = i;
                    while i < bytes.len()
                        && (bytes[i].is_ascii_digit() || b".eE+-".contains(&bytes[i]))
                    {
                        i += 1;
                    }
                    numbers.push(start..i);
                } else {
                    i += 1;
                }
            }
            if numbers.is_empty() {
                return input.to_vec();
            }
            let range = numbers[nth % numbers.len()].clone();
            let mut out = text[..range.start].to_owned();
            out.push_str(to);
            out.push_str(&text[range.end..]);
            return out.into_bytes();
        }
    }
    lines.join(&b'\n')
}

/// Every error a user can meet says something and maps to exit 1 or 2.
fn acceptable(result: Result<(), Error>) -> Result<(), TestCaseError> {
    if let Err(e) = result {
        prop_assert!(matches!(e.exit_code(), 1 | 2), "{e}");
        prop_assert!(!e.to_string().trim().is_empty());
    }
    Ok(())
}

/// The files in `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn mutated_scenarios_never_panic(m in mutation()) {
        let bytes = mutate(MOSCOW.as_bytes(), &m);
        let result = scenario::parse(Path::new("mutated.json"), &bytes).and_then(|s| {
            let config = RunConfig { seed: 1, rounds: Some(3), ..RunConfig::default() };
            simulate::run_to_bytes(&s, config).map(|_| ())
        });
        acceptable(result)?;
    }
}

proptest! {
    // A thousand cases, about 140 for each of the seven kinds of mutation:
    // each case replays, reports and re-runs the log, and 4,000 cost 24 s of
    // the suite (ARCHITECTURE.md, "The first build").
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn a_mutated_log_is_refused_at_the_line_it_changed_or_is_a_prefix(m in mutation()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let original = log_bytes();
        let mutated = mutate(original, &m);
        std::fs::write(&path, &mutated).unwrap();
        let replayed = replay::replay(&path, |_, _| {}).map(|r| r.events);
        // What the mutation is: nothing, a cut at a line's end, or a change
        // whose first changed line (0: the header, k: seq k) must be where
        // the refusal points.
        let whole_lines = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count() as u64;
        if mutated == original {
            prop_assert_eq!(replayed.ok(), Some(whole_lines(original) - 1), "a no-op must verify");
        } else if original.starts_with(&mutated) && mutated.ends_with(b"\n") {
            prop_assert_eq!(replayed.ok(), Some(whole_lines(&mutated) - 1), "a cut between lines verifies its prefix");
        } else {
            let k = first_changed_line(original, &mutated);
            match &replayed {
                Err(Error::Corrupt { seq, .. }) => prop_assert_eq!(*seq, k, "{:?}", m),
                Err(Error::Torn { after_seq, .. }) => {
                    prop_assert_eq!(*after_seq, k.saturating_sub(1), "{:?}", m)
                }
                Err(Error::NotALog { .. } | Error::Usage(_)) => prop_assert_eq!(k, 0, "{:?}", m),
                other => prop_assert!(false, "{:?} went unnoticed: {:?}", m, other),
            }
            // The report reads the log the same way; a re-run refuses it.
            let reported = report::from_log(&path).map(|_| ());
            prop_assert_eq!(
                reported.err().map(|e| e.to_string()),
                replayed.err().map(|e| e.to_string())
            );
            prop_assert!(crate::repair::rerun(&path).is_err(), "{:?}", m);
        }
        prop_assert_eq!(files(dir.path()), vec![path]);
    }
}

/// The index of the first line (0: the header) where `mutated` differs from
/// `original`.
fn first_changed_line(original: &[u8], mutated: &[u8]) -> u64 {
    let at = original
        .iter()
        .zip(mutated)
        .position(|(a, b)| a != b)
        .unwrap_or(original.len().min(mutated.len()));
    original[..at].iter().filter(|&&c| c == b'\n').count() as u64
}

/// The event the injection tests mutate: the Syria ceasefire, which the
/// Moscow log accepts wherever it is put in (held by
/// `the_unmutated_injection_is_accepted_at_every_seq_tried`), so a mutation
/// that keeps it meaningful reaches the branch's success.
const INJECTED: &[u8] =
    br#"{"ceasefire_agreed": {"theatre": "syria", "parties": ["SYR_GOV", "SYR_OPP", "RUS"]}}"#;

/// The Moscow log as a file, written once.
fn parent_log() -> &'static Path {
    static PARENT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, parent) = PARENT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parent.jsonl");
        std::fs::write(&path, log_bytes()).unwrap();
        (dir, path)
    });
    parent
}

/// Branches the Moscow log at `at` with `text` put in, into a fresh
/// directory; the result and the files the directory then holds, with the
/// branch's path.
fn inject(text: &str, at: u64) -> (Result<(), Error>, Vec<PathBuf>, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("branch.jsonl");
    let result = branch::parse_inject(text).and_then(|inject| {
        branch::branch(&branch::Request {
            parent: parent_log().to_owned(),
            at,
            inject: vec![inject],
            seed: None,
            output: simulate::Output {
                path: target.clone(),
                durability: Durability::Never,
                replace: false,
            },
        })
        .map(|_| ())
    });
    (result, files(out.path()), target)
}

#[test]
fn the_unmutated_injection_is_accepted_at_every_seq_tried() {
    let text = std::str::from_utf8(INJECTED).unwrap();
    for at in 0..60 {
        let (result, wrote, target) = inject(text, at);
        assert!(result.is_ok(), "at {at}: {}", result.unwrap_err());
        assert_eq!(wrote, vec![target], "at {at}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// A mutated injection is written as a branch and nothing else, or
    /// refused with nothing written, and never panics.
    #[test]
    fn mutated_injections_never_panic(m in mutation(), at in 0u64..60) {
        let text = String::from_utf8_lossy(&mutate(INJECTED, &m)).into_owned();
        let (result, wrote, target) = inject(&text, at);
        match &result {
            Ok(()) => prop_assert_eq!(wrote, vec![target]),
            Err(_) => prop_assert!(wrote.is_empty(), "{:?}", wrote),
        }
        acceptable(result)?;
    }
}

#[test]
fn an_engine_fault_is_a_bug_with_its_own_status_and_an_injection_is_input() {
    use entente_core::{Refusal, RunError};
    let refused = |decider: &str| RunError::Refused {
        decider: decider.to_owned(),
        event: "strike",
        seq: 9,
        refusal: Box::new(Refusal::UnknownTheatre("mars".to_owned())),
    };
    let bug = Error::from(refused("strikes"));
    assert_eq!(bug.exit_code(), crate::EXIT_BUG);
    assert!(
        bug.to_string().contains("this is a bug in entente"),
        "{bug}"
    );
    let input = Error::from(refused(entente_core::run::INJECTION));
    assert_eq!(input.exit_code(), crate::EXIT_INPUT, "{input}");
    let invalid = Error::from(RunError::Invalid(vec![entente_core::Problem {
        path: "--rounds".to_owned(),
        message: "expected at most 10000 rounds".to_owned(),
    }]));
    assert_eq!(invalid.exit_code(), crate::EXIT_INPUT);
    assert!(
        invalid.to_string().contains("--rounds: expected at most"),
        "{invalid}"
    );
}

/// Strikes are counted once, by the state: a report and a sweep's run read
/// its counts, and each equals a count of the log's own strike events, in
/// the same order (by striker, then theatre).
#[test]
fn reports_and_sweeps_count_strikes_as_the_state_does() {
    use std::collections::BTreeMap;

    use entente_core::event::Event;

    let scenario: Scenario =
        serde_json::from_str(include_str!("../../../scenarios/moscow-2015-12-15.json")).unwrap();
    let config = RunConfig {
        seed: 1,
        ..RunConfig::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strikes.jsonl");
    std::fs::write(&path, simulate::run_to_bytes(&scenario, config).unwrap()).unwrap();
    let mut events: BTreeMap<(String, String), [u64; 3]> = BTreeMap::new();
    let replayed = replay::replay(&path, |env, _| {
        if let Event::Strike(s) = &env.event {
            let key = (s.striker.to_string(), s.theatre.to_string());
            events.entry(key).or_default()[s.target.index()] += 1;
        }
    })
    .unwrap();
    assert!(events.len() > 1, "{events:?}");
    let events: Vec<((String, String), [u64; 3])> = events.into_iter().collect();
    let state: Vec<((String, String), [u64; 3])> = replayed
        .state
        .strike_counts()
        .iter()
        .map(|c| ((c.striker.to_owned(), c.theatre.to_owned()), c.counts))
        .collect();
    assert_eq!(state, events);
    let reported: Vec<((String, String), [u64; 3])> = report::from_log(&path)
        .unwrap()
        .strikes
        .iter()
        .map(|s| {
            let counts = [s.designated_terrorists, s.other_opposition, s.threatened];
            ((s.striker.clone(), s.theatre.clone()), counts)
        })
        .collect();
    assert_eq!(reported, state);
    let prepared = entente_core::Prepared::new(&scenario).unwrap();
    let swept = crate::sweep::play(&prepared, &[], 1, None, false).unwrap();
    let keyed: BTreeMap<String, [u64; 3]> = events
        .iter()
        .map(|((striker, theatre), counts)| (format!("{striker}/{theatre}"), *counts))
        .collect();
    assert_eq!(swept.strikes, keyed);
}

/// A sweep folds each run's events into the state as they are made, with
/// no log bytes, no hash and no event kept: on a sample of seeds of every
/// shipped scenario, it reaches the final state the run's log folds into
/// when replayed, and every outcome, forecast, agreement and strike count it
/// keeps is the one read back from that log, whose fingerprint is the one a
/// sweep that encodes (for a CSV) computes.
#[test]
fn a_sweep_that_writes_no_log_gets_what_the_log_would_have_said() {
    use crate::sweep::{self, RunOutcome};
    use entente_core::{Outcome, Prepared};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let dir = tempfile::tempdir().unwrap();
    let mut played = 0;
    for file in [
        "moscow-2015-12-15.json",
        "moscow-2015-12-15-minimal.json",
        "moscow-2015-12-15-linkage.json",
        "ec-car-emissions.json",
        "vienna-issg-2015.json",
        "minsk-2015-02.json",
        "decide-toll-2017.json",
        "ktab-dummy-3dim.json",
        "tutorial-three-actors.json",
    ] {
        let scenario: Scenario =
            serde_json::from_slice(&std::fs::read(root.join(file)).unwrap()).unwrap();
        let prepared = Prepared::new(&scenario).unwrap();
        let outcomes = Outcome::possible(&scenario);
        for seed in [0, 1, 7, 42, 999, 123_456_789] {
            let bare = sweep::play(&prepared, &outcomes, seed, None, false).unwrap();
            let encoded = sweep::play(&prepared, &outcomes, seed, None, true).unwrap();
            let config = RunConfig {
                seed,
                ..RunConfig::default()
            };
            let mut run = prepared.run(config.clone()).unwrap();
            for event in run.by_ref() {
                event.unwrap();
            }
            let path = dir.path().join(format!("{file}-{seed}.jsonl"));
            std::fs::write(&path, simulate::run_to_bytes(&scenario, config).unwrap()).unwrap();
            let mut notes = sweep::Notes::new(&scenario, outcomes.len());
            let replayed = replay::replay(&path, |envelope, state| {
                sweep::note(&scenario, &outcomes, &mut notes, envelope, state);
            })
            .unwrap();
            let from_log =
                sweep::reduce(&replayed.state, &outcomes, notes, seed, Some(replayed.head));
            assert!(
                *run.state() == replayed.state,
                "{file} seed {seed}: the final states differ"
            );
            assert_eq!(bare.fingerprint, None);
            assert_eq!(encoded, from_log, "{file} seed {seed}");
            let unhashed = |o: &RunOutcome| RunOutcome {
                fingerprint: None,
                ..o.clone()
            };
            assert_eq!(bare, unhashed(&from_log), "{file} seed {seed}");
            played += 1;
        }
    }
    assert_eq!(played, 54);
}

/// A file of another's that appears where the sweep's summary goes while
/// the sweep runs is met before the CSV is put in place: neither output is
/// placed, the CSV's temporary is gone, and the file is untouched.
#[test]
fn a_file_that_appears_at_the_summary_during_a_sweep_keeps_the_csv_out_too() {
    use crate::sweep::{self, Plan};
    let dir = tempfile::tempdir().unwrap();
    let (csv, out) = (dir.path().join("rows.csv"), dir.path().join("sweep.json"));
    // The CLI checked both paths before the run; the file came after.
    std::fs::write(&out, "a user's notes").unwrap();
    let plan = Plan {
        csv: Some(csv.clone()),
        out: Some(out.clone()),
        ..Plan::quiet(vec![moscow()], 0..4, 1)
    };
    let refused = sweep::sweep(&plan).unwrap_err();
    assert!(
        refused.to_string().contains("not a file Entente wrote"),
        "{refused}"
    );
    assert!(!csv.exists(), "the CSV was put in place");
    assert!(!crate::files::temporary_sibling(&csv).exists());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "a user's notes");
    // With the way clear, both are written.
    std::fs::remove_file(&out).unwrap();
    sweep::sweep(&plan).unwrap();
    assert!(csv.exists());
}
