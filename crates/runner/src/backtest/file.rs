//! The DEU layout of a backtest file, read into cases.

use std::path::Path;

use crate::error::{Error, Result};
use crate::input;

/// Largest backtest file, in bytes.
pub const MAX_BACKTEST_BYTES: u64 = 64 << 20;

/// One issue with a known outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The issue id (`isnr`), or the row number.
    pub id: String,
    /// `(actor, position 0–100, salience (0, 1], capability)`.
    pub stances: Vec<(String, f64, f64, f64)>,
    /// The outcome, 0–100.
    pub outcome: f64,
}

/// Reads a file in the DEU layout.
pub fn read(path: &Path) -> Result<Vec<Case>> {
    let bytes = input::read_limited(path, "a backtest file", MAX_BACKTEST_BYTES)?;
    parse(path, &bytes)
}

/// Parses the DEU layout.
pub fn parse(origin: &Path, bytes: &[u8]) -> Result<Vec<Case>> {
    let bad = |line: u64, message: String| Error::Syntax {
        path: origin.to_owned(),
        line: line as usize,
        column: 0,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(1, format!("cannot read the header: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let outcome = column("out").ok_or_else(|| {
        bad(
            1,
            "expected an \"out\" column (the outcome, 0–100)".to_owned(),
        )
    })?;
    let id_column = column("isnr");
    let actors: Vec<(String, usize, usize)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let code = h.strip_prefix('p')?;
            let s = column(&format!("s{code}"))?;
            (!code.is_empty()).then(|| (code.to_owned(), i, s))
        })
        .collect();
    if actors.is_empty() {
        return Err(bad(
            1,
            "expected position and salience columns p<actor> and s<actor>".to_owned(),
        ));
    }
    let mut capability = vec![1.0; actors.len()];
    let mut cases = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let line = k as u64 + 2;
        let record = record.map_err(|e| bad(line, e.to_string()))?;
        let cell = |i: usize| record.get(i).map(str::trim).unwrap_or("");
        let number = |i: usize, what: &str| -> Result<Option<f64>> {
            match cell(i) {
                "" => Ok(None),
                text => text
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(Some)
                    .ok_or_else(|| {
                        bad(
                            line,
                            format!("{what} in column {:?}: not a number: {text:?}", header[i]),
                        )
                    }),
            }
        };
        let id = id_column.map(cell).unwrap_or("");
        if id.is_empty() && cell(outcome).is_empty() && k == 0 {
            // The capability row.
            for (a, &(_, p, _)) in actors.iter().enumerate() {
                if let Some(c) = number(p, "a capability")? {
                    if c <= 0.0 {
                        return Err(bad(
                            line,
                            format!("capability of {} must be above 0", actors[a].0),
                        ));
                    }
                    capability[a] = c;
                }
            }
            continue;
        }
        let Some(out) = number(outcome, "the outcome")? else {
            continue;
        };
        let mut stances = Vec::new();
        for (a, (code, p, s)) in actors.iter().enumerate() {
            let (Some(position), Some(salience)) =
                (number(*p, "a position")?, number(*s, "a salience")?)
            else {
                continue;
            };
            if !(0.0..=100.0).contains(&position) || !(0.0..=100.0).contains(&salience) {
                return Err(bad(
                    line,
                    format!("{code}: position and salience must lie in 0–100"),
                ));
            }
            if salience > 0.0 {
                stances.push((code.clone(), position, salience / 100.0, capability[a]));
            }
        }
        if stances.is_empty() {
            continue;
        }
        if !(0.0..=100.0).contains(&out) {
            return Err(bad(line, format!("outcome {out} is outside 0–100")));
        }
        cases.push(Case {
            id: if id.is_empty() {
                format!("row{line}")
            } else {
                id.to_owned()
            },
            stances,
            outcome: out,
        });
    }
    Ok(cases)
}
