//! A reader for decide-exchange-model's input files: one row per line,
//! the first field saying what the row is.
//!
//! | row | fields |
//! |---|---|
//! | `#A` | actor id, full name, comment |
//! | `#P` | issue id, description, comment |
//! | `#M` | issue id, a point on its scale, what the point means |
//! | `#D` | actor id, issue id, position, salience, power, comment |
//! | `#O`, `#0`, `#/` | comments, ignored |
//!
//! Fields are separated by tabs, semicolons or commas (the first row
//! decides, in that order of preference, as the package lets Python's CSV
//! sniffer decide) and may be quoted with `'` or `"` when the first row
//! starts with that quote. A decimal comma is read as a point unless commas
//! separate the fields. Blank rows are skipped.
//!
//! As in the package's reader, an issue's scale runs from the lowest to the
//! highest of its `#M` points, or, without any, from the lowest to the
//! highest position held on it, and positions are normalised to 0–100 on
//! it; a `#D` row with salience 0 is left out (its actor holds no stance).
//! Unlike the package, a row with power 0 is left out too (the package
//! divides by it), duplicates and unknown references are errors, and a
//! position outside an issue's `#M` scale is an error.

use super::{ExchangeInput, InputError};

/// An actor of a decide file.
#[derive(Clone, Debug, PartialEq)]
pub struct DecideActor {
    /// The id `#D` rows refer to it by.
    pub id: String,
    /// Its full name (may be empty).
    pub name: String,
    /// The comment column (may be empty).
    pub comment: String,
}

/// An issue of a decide file.
#[derive(Clone, Debug, PartialEq)]
pub struct DecideIssue {
    /// The id `#D` and `#M` rows refer to it by.
    pub id: String,
    /// Its description (may be empty).
    pub description: String,
    /// The comment column (may be empty).
    pub comment: String,
    /// The scale's lower end, in the file's units.
    pub lower: f64,
    /// The scale's upper end, in the file's units.
    pub upper: f64,
    /// The `#M` points of the scale with their meanings, in file order and
    /// file units.
    pub points: Vec<(f64, String)>,
}

/// The contents of a decide file; per-stance vectors are row-major n×m
/// (actor a, issue p at a·m + p) with zeros where no stance is held.
#[derive(Clone, Debug, PartialEq)]
pub struct DecideData {
    /// The actors in file order.
    pub actors: Vec<DecideActor>,
    /// The issues in file order.
    pub issues: Vec<DecideIssue>,
    /// Positions as written in the file.
    pub raw_position: Vec<f64>,
    /// Positions normalised to 0–100 on each issue's scale.
    pub position: Vec<f64>,
    /// Saliences, in [0, 1].
    pub salience: Vec<f64>,
    /// Power (capability) per stance, in [0, 1].
    pub capability: Vec<f64>,
    /// Whether the actor holds a stance on the issue.
    pub present: Vec<bool>,
}

impl DecideData {
    /// The kernel's view of the file's starting state.
    pub fn input(&self) -> Result<ExchangeInput<'_>, InputError> {
        ExchangeInput::per_stance(
            self.issues.len(),
            &self.capability,
            &self.position,
            &self.salience,
            &self.present,
        )
    }
}

/// A problem in a decide file; `line` is 1-based.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParseError {
    /// More actors or issues than a scenario may hold.
    #[error("line {line}: more than {limit} {what}; a scenario holds at most that many")]
    TooMany {
        /// One-based line number.
        line: usize,
        /// Actors or issues.
        what: &'static str,
        /// The scenario format's limit.
        limit: usize,
    },
    /// A row kind the format does not have.
    #[error("line {line}: unknown row kind {kind:?}")]
    UnknownRow {
        /// The line.
        line: usize,
        /// The first field.
        kind: String,
    },
    /// A required field is missing or empty.
    #[error("line {line}: missing {field}")]
    MissingField {
        /// The line.
        line: usize,
        /// Which field.
        field: &'static str,
    },
    /// A field that should be a number is not one.
    #[error("line {line}: {field} {text:?} is not a number")]
    BadNumber {
        /// The line.
        line: usize,
        /// Which field.
        field: &'static str,
        /// The text found.
        text: String,
    },
    /// A salience or power outside [0, 1].
    #[error("line {line}: {field} {value} is outside [0, 1]")]
    OutOfRange {
        /// The line.
        line: usize,
        /// Which field.
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// A position outside the issue's `#M` scale.
    #[error("line {line}: position {value} is outside the scale {lower}–{upper}")]
    OffScale {
        /// The line.
        line: usize,
        /// The position.
        value: f64,
        /// The scale's lower end.
        lower: f64,
        /// The scale's upper end.
        upper: f64,
    },
    /// A quoted field without its closing quote.
    #[error("line {line}: unterminated quote")]
    UnterminatedQuote {
        /// The line.
        line: usize,
    },
    /// An actor defined twice.
    #[error("line {line}: actor {id:?} is defined twice")]
    DuplicateActor {
        /// The line.
        line: usize,
        /// The id.
        id: String,
    },
    /// An issue defined twice.
    #[error("line {line}: issue {id:?} is defined twice")]
    DuplicateIssue {
        /// The line.
        line: usize,
        /// The id.
        id: String,
    },
    /// A second `#D` row for the same actor and issue.
    #[error("line {line}: a second stance of {actor:?} on {issue:?}")]
    DuplicateStance {
        /// The line.
        line: usize,
        /// The actor's id.
        actor: String,
        /// The issue's id.
        issue: String,
    },
    /// A reference to an actor no `#A` row defines.
    #[error("line {line}: unknown actor {id:?}")]
    UnknownActor {
        /// The line.
        line: usize,
        /// The id.
        id: String,
    },
    /// A reference to an issue no `#P` row defines.
    #[error("line {line}: unknown issue {id:?}")]
    UnknownIssue {
        /// The line.
        line: usize,
        /// The id.
        id: String,
    },
}

/// The field layout of a file: its separator and quote.
#[derive(Clone, Copy, Debug)]
struct Dialect {
    separator: char,
    quote: Option<char>,
}

impl Dialect {
    fn sniff(text: &str) -> Dialect {
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let separator = ['\t', ';', ',']
            .into_iter()
            .find(|&c| first.contains(c))
            .unwrap_or('\t');
        let quote = first.chars().next().filter(|&c| c == '\'' || c == '"');
        Dialect { separator, quote }
    }

    /// The fields of one line; unquoted fields are trimmed.
    fn split(&self, text: &str, line: usize) -> Result<Vec<String>, ParseError> {
        let mut fields = Vec::new();
        let mut chars = text.chars().peekable();
        loop {
            let mut field = String::new();
            let quoted = self.quote.is_some() && chars.peek().copied() == self.quote;
            if quoted {
                chars.next();
                loop {
                    match chars.next() {
                        None => return Err(ParseError::UnterminatedQuote { line }),
                        // A doubled quote inside a quoted field is one quote.
                        Some(c) if Some(c) == self.quote => {
                            if chars.peek().copied() == self.quote {
                                chars.next();
                                field.push(c);
                            } else {
                                break;
                            }
                        }
                        Some(c) => field.push(c),
                    }
                }
            }
            while let Some(c) = chars.next_if(|&c| c != self.separator) {
                field.push(c);
            }
            fields.push(if quoted {
                field
            } else {
                field.trim().to_string()
            });
            if chars.next().is_none() {
                return Ok(fields);
            }
        }
    }

    fn number(&self, text: &str, line: usize, field: &'static str) -> Result<f64, ParseError> {
        let bad = || ParseError::BadNumber {
            line,
            field,
            text: text.to_string(),
        };
        let cleaned = if self.separator == ',' {
            text.to_string()
        } else {
            text.replace(',', ".")
        };
        match cleaned.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(bad()),
        }
    }
}

/// A `#M` or `#D` row, kept until every actor and issue is known.
#[derive(Debug)]
enum Pending {
    Point {
        line: usize,
        issue: String,
        value: f64,
        meaning: String,
    },
    Stance {
        line: usize,
        actor: String,
        issue: String,
        position: f64,
        salience: f64,
        power: f64,
    },
}

fn field<'f>(
    fields: &'f [String],
    k: usize,
    line: usize,
    name: &'static str,
) -> Result<&'f str, ParseError> {
    match fields.get(k) {
        Some(f) if !f.is_empty() => Ok(f),
        _ => Err(ParseError::MissingField { line, field: name }),
    }
}

fn optional(fields: &[String], k: usize) -> String {
    fields.get(k).cloned().unwrap_or_default()
}

fn unit(value: f64, line: usize, field: &'static str) -> Result<f64, ParseError> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(ParseError::OutOfRange { line, field, value })
    }
}

/// Reads a decide file (see the module documentation for the format).
pub fn parse(text: &str) -> Result<DecideData, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let dialect = Dialect::sniff(text);
    let mut actors: Vec<DecideActor> = Vec::new();
    let mut issues: Vec<DecideIssue> = Vec::new();
    let mut pending = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let fields = dialect.split(raw, line)?;
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        match fields[0].as_str() {
            "#O" | "#0" | "#/" => {}
            "#A" => {
                let id = field(&fields, 1, line, "actor id")?.to_string();
                // Limits apply while reading, so a huge file is refused at
                // once rather than after a quadratic check of every id.
                if actors.len() == crate::limits::MAX_ACTORS {
                    return Err(ParseError::TooMany {
                        line,
                        what: "actors",
                        limit: crate::limits::MAX_ACTORS,
                    });
                }
                if actors.iter().any(|a| a.id == id) {
                    return Err(ParseError::DuplicateActor { line, id });
                }
                let (name, comment) = (optional(&fields, 2), optional(&fields, 3));
                actors.push(DecideActor { id, name, comment });
            }
            "#P" => {
                let id = field(&fields, 1, line, "issue id")?.to_string();
                if issues.len() == crate::limits::MAX_ISSUES {
                    return Err(ParseError::TooMany {
                        line,
                        what: "issues",
                        limit: crate::limits::MAX_ISSUES,
                    });
                }
                if issues.iter().any(|p| p.id == id) {
                    return Err(ParseError::DuplicateIssue { line, id });
                }
                issues.push(DecideIssue {
                    id,
                    description: optional(&fields, 2),
                    comment: optional(&fields, 3),
                    lower: 0.0,
                    upper: 100.0,
                    points: Vec::new(),
                });
            }
            "#M" => pending.push(Pending::Point {
                line,
                issue: field(&fields, 1, line, "issue id")?.to_string(),
                value: dialect.number(
                    field(&fields, 2, line, "scale point")?,
                    line,
                    "scale point",
                )?,
                meaning: optional(&fields, 3),
            }),
            "#D" => {
                let num = |k, name| dialect.number(field(&fields, k, line, name)?, line, name);
                pending.push(Pending::Stance {
                    line,
                    actor: field(&fields, 1, line, "actor id")?.to_string(),
                    issue: field(&fields, 2, line, "issue id")?.to_string(),
                    position: num(3, "position")?,
                    salience: unit(num(4, "salience")?, line, "salience")?,
                    power: unit(num(5, "power")?, line, "power")?,
                });
            }
            other => {
                return Err(ParseError::UnknownRow {
                    line,
                    kind: other.to_string(),
                });
            }
        }
    }
    assemble(actors, issues, pending)
}

/// Resolves the `#M` and `#D` rows, sets the scales and normalises.
fn assemble(
    actors: Vec<DecideActor>,
    mut issues: Vec<DecideIssue>,
    pending: Vec<Pending>,
) -> Result<DecideData, ParseError> {
    let (n, m) = (actors.len(), issues.len());
    let issue_of = |id: &str, line: usize| {
        issues
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| ParseError::UnknownIssue {
                line,
                id: id.to_string(),
            })
    };
    let mut points: Vec<Vec<(f64, String)>> = vec![Vec::new(); m];
    let mut data = DecideData {
        actors: Vec::new(),
        issues: Vec::new(),
        raw_position: vec![0.0; n * m],
        position: vec![0.0; n * m],
        salience: vec![0.0; n * m],
        capability: vec![0.0; n * m],
        present: vec![false; n * m],
    };
    let mut seen = vec![false; n * m];
    let mut stance_line = vec![0; n * m];
    for row in pending {
        match row {
            Pending::Point {
                line,
                issue,
                value,
                meaning,
            } => {
                points[issue_of(&issue, line)?].push((value, meaning));
            }
            Pending::Stance {
                line,
                actor,
                issue,
                position,
                salience,
                power,
            } => {
                let p = issue_of(&issue, line)?;
                let a = actors.iter().position(|x| x.id == actor).ok_or_else(|| {
                    ParseError::UnknownActor {
                        line,
                        id: actor.clone(),
                    }
                })?;
                let cell = a * m + p;
                if seen[cell] {
                    return Err(ParseError::DuplicateStance { line, actor, issue });
                }
                seen[cell] = true;
                stance_line[cell] = line;
                data.raw_position[cell] = position;
                data.salience[cell] = salience;
                data.capability[cell] = power;
                // The package drops salience-0 rows; power 0 would make it
                // divide by zero, so such a stance is dropped as well.
                data.present[cell] = salience > 0.0 && power > 0.0;
            }
        }
    }
    for (p, issue) in issues.iter_mut().enumerate() {
        issue.points = std::mem::take(&mut points[p]);
        let held: Vec<f64> = (0..n)
            .filter(|a| seen[a * m + p])
            .map(|a| data.raw_position[a * m + p])
            .collect();
        let scale: Vec<f64> = if issue.points.is_empty() {
            held
        } else {
            issue.points.iter().map(|(v, _)| *v).collect()
        };
        if let (Some(lo), Some(hi)) = (
            scale.iter().copied().reduce(f64::min),
            scale.iter().copied().reduce(f64::max),
        ) {
            issue.lower = lo;
            issue.upper = hi;
        }
        for a in (0..n).filter(|a| seen[a * m + p]) {
            let cell = a * m + p;
            let x = data.raw_position[cell];
            if x < issue.lower || x > issue.upper {
                return Err(ParseError::OffScale {
                    line: stance_line[cell],
                    value: x,
                    lower: issue.lower,
                    upper: issue.upper,
                });
            }
            data.position[cell] = normalise(x, issue.lower, issue.upper);
        }
    }
    data.actors = actors;
    data.issues = issues;
    Ok(data)
}

/// The package's normalisation: (x − lower)·(100 / (upper − lower)), and 0
/// on a scale of no width.
fn normalise(x: f64, lower: f64, upper: f64) -> f64 {
    let width = upper - lower;
    if width == 0.0 {
        0.0
    } else {
        (x - lower) * (100.0 / width)
    }
}
