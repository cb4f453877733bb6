//! The DEU layout of a backtest file, read into cases.

use std::path::Path;

use crate::error::{Error, Result};
use crate::input;
use entente_core::scale;

/// Largest backtest file, in bytes.
pub const MAX_BACKTEST_BYTES: u64 = 64 << 20;

/// One issue with a known outcome.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Case {
    /// The issue id (`isnr`), or the row number.
    pub id: String,
    /// The proposal the issue belongs to (`prnr`), or the id.
    pub proposal: String,
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
    if let Some(twice) = header
        .iter()
        .enumerate()
        .find(|(k, h)| !h.is_empty() && header[..*k].contains(h))
    {
        return Err(bad(1, format!("the column {:?} is given twice", twice.1)));
    }
    let layout = Layout::new(&header).map_err(|message| bad(1, message))?;
    let mut ids = std::collections::BTreeSet::new();
    let mut capability = vec![1.0; layout.actors.len()];
    let mut cases = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let line = k as u64 + 2;
        let record = record.map_err(|e| bad(line, e.to_string()))?;
        // The reader takes rows of any length, so a ragged row is said
        // here, at its own line (a quoted cell may span lines): a short
        // row would drop its last actors, a long one hide a shifted cell.
        let line = record
            .position()
            .map_or(line, |at| line_of(bytes, at.byte()));
        if record.len() != header.len() {
            return Err(bad(
                line,
                format!("expected {} fields, found {}", header.len(), record.len()),
            ));
        }
        let row = Row {
            record: &record,
            header: &header,
        };
        let id = layout.id.map_or("", |i| row.cell(i));
        if id.is_empty() && row.cell(layout.outcome).is_empty() && k == 0 {
            // The capability row.
            for (a, &(_, p, _)) in layout.actors.iter().enumerate() {
                if let Some(c) = row.number(p, "a capability").map_err(|m| bad(line, m))? {
                    if c <= 0.0 {
                        return Err(bad(
                            line,
                            format!("capability of {} must be above 0", layout.actors[a].0),
                        ));
                    }
                    capability[a] = c;
                }
            }
            continue;
        }
        if let Some(case) = layout
            .case(&row, line, &capability)
            .map_err(|m| bad(line, m))?
        {
            if !ids.insert(case.id.clone()) {
                return Err(bad(line, format!("issue {:?} is given twice", case.id)));
            }
            cases.push(case);
        }
    }
    Ok(cases)
}

/// The line a record at byte `at` of `bytes` starts on: the reader may
/// place a record at the blank lines it skipped before it.
fn line_of(bytes: &[u8], at: u64) -> u64 {
    let at = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
    let start = at
        + bytes[at..]
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .count();
    bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Which column holds what.
struct Layout {
    outcome: usize,
    id: Option<usize>,
    proposal: Option<usize>,
    /// `(actor code, position column, salience column)`.
    actors: Vec<(String, usize, usize)>,
}

impl Layout {
    fn new(header: &[String]) -> std::result::Result<Layout, String> {
        let column = |name: &str| header.iter().position(|h| h == name);
        let outcome = column("out")
            .ok_or_else(|| "expected an \"out\" column (the outcome, 0–100)".to_owned())?;
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
            return Err("expected position and salience columns p<actor> and s<actor>".to_owned());
        }
        Ok(Layout {
            outcome,
            id: column("isnr"),
            proposal: column("prnr"),
            actors,
        })
    }

    /// The case a row describes; `None` for a row without an outcome or a
    /// stance.
    fn case(
        &self,
        row: &Row<'_>,
        line: u64,
        capability: &[f64],
    ) -> std::result::Result<Option<Case>, String> {
        let Some(out) = row.number(self.outcome, "the outcome")? else {
            return Ok(None);
        };
        let mut stances = Vec::new();
        for (a, (code, p, s)) in self.actors.iter().enumerate() {
            let (Some(position), Some(salience)) =
                (row.number(*p, "a position")?, row.number(*s, "a salience")?)
            else {
                continue;
            };
            if !scale::contains(position) || !(0.0..=100.0).contains(&salience) {
                return Err(format!("{code}: position and salience must lie in 0–100"));
            }
            if salience > 0.0 {
                stances.push((code.clone(), position, salience / 100.0, capability[a]));
            }
        }
        if stances.is_empty() {
            return Ok(None);
        }
        if !scale::contains(out) {
            return Err(format!("outcome {out} is outside 0–100"));
        }
        let id = self.id.map_or("", |i| row.cell(i));
        let id = if id.is_empty() {
            format!("row{line}")
        } else {
            id.to_owned()
        };
        let proposal = self.proposal.map_or("", |i| row.cell(i));
        Ok(Some(Case {
            proposal: if proposal.is_empty() {
                id.clone()
            } else {
                proposal.to_owned()
            },
            id,
            stances,
            outcome: out,
        }))
    }
}

/// One record with the header that names its columns.
struct Row<'a> {
    record: &'a csv::StringRecord,
    header: &'a [String],
}

impl Row<'_> {
    fn cell(&self, i: usize) -> &str {
        self.record.get(i).map_or("", str::trim)
    }

    /// The number in column `i`; `None` for an empty cell.
    fn number(&self, i: usize, what: &str) -> std::result::Result<Option<f64>, String> {
        match self.cell(i) {
            "" => Ok(None),
            text => text
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "{what} in column {:?}: not a number: {text:?}",
                        self.header[i]
                    )
                }),
        }
    }
}
