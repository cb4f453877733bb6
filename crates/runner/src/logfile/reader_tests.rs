//! The read-ahead reader against a plain line-by-line one: the same events,
//! bytes and errors, whatever the batch size, wherever a log is cut, flipped
//! or holds a line too long.

use std::path::Path;

use entente_core::{Header, Verifier};

use super::LogReader;
use crate::error::{Damage, Error};

/// What a reader makes of a log: one entry per event, then how it ended.
fn read_all(path: &Path, limits: (usize, u64)) -> Vec<String> {
    let mut reader = match LogReader::open_with(path, false, limits) {
        Ok(r) => r,
        Err(e) => return vec![format!("open: {e}")],
    };
    let mut out = Vec::new();
    loop {
        match reader.next_event() {
            Ok(Some(env)) => out.push(format!(
                "seq {} to byte {} head {} line {}",
                env.seq,
                reader.verified_bytes(),
                reader.head(),
                String::from_utf8_lossy(reader.line())
            )),
            Ok(None) => {
                out.push("end".to_owned());
                return out;
            }
            Err(e) => {
                out.push(e.to_string());
                return out;
            }
        }
    }
}

/// The same, read line by line with the core's [`Verifier`]: the reference.
fn reference(path: &Path, bytes: &[u8], max_line: u64) -> Vec<String> {
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let mut verifier = Verifier::default();
    if verifier.header(&bytes[..header_end]).is_err() || header_end == bytes.len() {
        return vec!["header".to_owned()];
    }
    let mut out = Vec::new();
    let mut pos = header_end + 1;
    let mut line_no = 1;
    loop {
        let rest = &bytes[pos..];
        if rest.is_empty() {
            out.push("end".to_owned());
            return out;
        }
        let (line, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], true),
            None => (rest, false),
        };
        let taken = line.len() + usize::from(complete);
        let after = verifier.seq();
        if taken as u64 > max_line {
            out.push(
                Error::Corrupt {
                    path: path.to_owned(),
                    seq: after + 1,
                    line: line_no + 1,
                    damage: Box::new(Damage::TooLong(max_line)),
                }
                .to_string(),
            );
            return out;
        }
        line_no += 1;
        let torn = |detail: &str| Error::Torn {
            path: path.to_owned(),
            after_seq: after,
            detail: format!(
                "the last line, which would be seq {}, {detail}: a writer died mid-line; `entente repair` keeps the whole events",
                after + 1
            ),
        };
        let end = match verifier.event(line) {
            Ok(env) if complete => {
                pos += taken;
                out.push(format!(
                    "seq {} to byte {pos} head {} line {}",
                    env.seq,
                    verifier.head(),
                    String::from_utf8_lossy(line)
                ));
                continue;
            }
            Ok(_) => torn("has no newline"),
            Err(_) if !complete => torn("is incomplete"),
            Err(e) => Error::Corrupt {
                path: path.to_owned(),
                seq: after + 1,
                line: line_no,
                damage: Box::new(Damage::Line(e)),
            },
        };
        out.push(end.to_string());
        return out;
    }
}

/// A log of the EC table (a few hundred events) as bytes.
fn a_log() -> Vec<u8> {
    let scenario: entente_core::Scenario =
        serde_json::from_str(include_str!("../../../../scenarios/ec-car-emissions.json")).unwrap();
    let header = Header::new(scenario.clone(), 3, 10);
    let run = entente_core::Run::new(&scenario, entente_core::RunConfig::default()).unwrap();
    let mut bytes = Vec::new();
    for line in entente_core::log::encode(&header, run) {
        bytes.extend_from_slice(&line.unwrap().bytes);
    }
    bytes
}

/// Checks every batch size on `bytes`.
fn agrees(dir: &Path, name: &str, bytes: &[u8], max_line: u64) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let expected = reference(&path, bytes, max_line);
    for batch in [1, 7, 100, 4_096, 1 << 20] {
        let got = read_all(&path, (batch, max_line));
        if expected == ["header"] {
            assert!(
                got.len() == 1 && got[0].starts_with("open: "),
                "{name}: {got:?}"
            );
            continue;
        }
        assert_eq!(got, expected, "{name}, batches of {batch} bytes");
    }
}

#[test]
fn a_whole_log_reads_alike_in_batches_of_any_size() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = a_log();
    assert!(
        bytes.len() > 20_000,
        "the log is long enough to cut into batches"
    );
    agrees(dir.path(), "whole.jsonl", &bytes, 1 << 20);
}

#[test]
fn a_log_cut_anywhere_reads_alike() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = a_log();
    let header_end = bytes.iter().position(|&b| b == b'\n').unwrap();
    for cut in (header_end..bytes.len())
        .step_by(211)
        .chain([bytes.len() - 1])
    {
        agrees(dir.path(), "cut.jsonl", &bytes[..cut], 1 << 20);
    }
}

#[test]
fn a_flipped_byte_reads_alike() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = a_log();
    let header_end = bytes.iter().position(|&b| b == b'\n').unwrap();
    for at in (header_end + 1..bytes.len()).step_by(499) {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x20;
        agrees(dir.path(), "flipped.jsonl", &flipped, 1 << 20);
    }
}

#[test]
fn a_line_over_the_limit_is_refused_alike() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = a_log();
    let header = bytes.iter().position(|&b| b == b'\n').unwrap() as u64 + 1;
    // A line twice the header's length put in after the tenth event, and
    // at the end without a newline: both over a limit the header is under.
    let long = vec![b'x'; 2 * header as usize];
    let tenth = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(10)
        .unwrap()
        .0;
    let mut inside = bytes[..=tenth].to_vec();
    inside.extend_from_slice(&long);
    inside.push(b'\n');
    inside.extend_from_slice(&bytes[tenth + 1..]);
    agrees(dir.path(), "long-inside.jsonl", &inside, header + 10);
    let mut at_end = bytes.clone();
    at_end.extend_from_slice(&long);
    agrees(dir.path(), "long-at-end.jsonl", &at_end, header + 10);
}

/// Calls `next_event` until it has failed or ended `extra` more times after
/// the first end, and returns what each call gave.
fn calls(path: &Path, extra: usize) -> Vec<String> {
    let mut reader = LogReader::open_with(path, false, (100, 1 << 20)).unwrap();
    let mut out = Vec::new();
    let mut ended = 0;
    while ended <= extra {
        match reader.next_event() {
            Ok(Some(env)) => out.push(format!("seq {}", env.seq)),
            Ok(None) => {
                ended += 1;
                out.push("end".to_owned());
            }
            Err(e) => {
                ended += 1;
                out.push(format!("error: {e}"));
            }
        }
    }
    out
}

#[test]
fn after_its_end_a_reader_keeps_ending_and_after_an_error_it_keeps_failing() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = a_log();
    let path = dir.path().join("whole.jsonl");
    std::fs::write(&path, &bytes).unwrap();
    let got = calls(&path, 3);
    assert!(got[got.len() - 4..].iter().all(|c| c == "end"), "{got:?}");
    // Cut mid-line: torn, then failing, never an event or a clean end.
    std::fs::write(&path, &bytes[..bytes.len() - 40]).unwrap();
    let got = calls(&path, 3);
    let first_error = got.iter().position(|c| c.starts_with("error")).unwrap();
    assert!(
        got[first_error].contains("torn") || got[first_error].contains("mid-line"),
        "{got:?}"
    );
    assert!(
        got[first_error..].iter().all(|c| c.starts_with("error")),
        "{got:?}"
    );
}

#[test]
fn a_line_that_chains_but_does_not_parse_stops_the_reader() {
    // Line 6 says seq 55 and every hash from it on is recomputed, so the
    // chain holds and only the parse finds it: nothing after it is given.
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(a_log()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[5] = lines[5].replacen("\"seq\":5,", "\"seq\":55,", 1);
    let suffix = "\"hash\":\"".len() + 64 + 2;
    let mut head =
        entente_core::Hash::parse(&lines[4][lines[4].len() - 66..lines[4].len() - 2]).unwrap();
    for line in &mut lines[5..] {
        let canonical = line[..line.len() - suffix].to_owned();
        head = entente_core::Hash::digest(format!("{head}{canonical}").as_bytes());
        *line = format!("{canonical}\"hash\":\"{head}\"}}");
    }
    let path = dir.path().join("rechained.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let got = calls(&path, 3);
    assert_eq!(got[..4], ["seq 1", "seq 2", "seq 3", "seq 4"], "{got:?}");
    assert!(got[4].contains("expected seq 5, found seq 55"), "{got:?}");
    assert!(got[4..].iter().all(|c| c.starts_with("error")), "{got:?}");
}

#[test]
fn a_pipe_is_refused_at_once_without_waiting_for_a_writer() {
    // A FIFO would block the reader until some process opened its other
    // end: inputs are regular files, refused otherwise before any read.
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("log.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo is part of coreutils"
    );
    let start = Instant::now();
    let refused = LogReader::open(&fifo).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("a FIFO; expected a regular file"),
        "{refused}"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}
