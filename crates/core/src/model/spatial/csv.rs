//! Reader of KTAB's CSV layout for SMP scenarios, from text (no file I/O).
//!
//! ```text
//! name, "description", actors, dimensions,
//! Actor, Description, Power, <dim 1>, <sal 1>, …, <dim d>, <sal d>,
//! <actor>, <description>, <capability>, <pos 1>, <sal 1>, …, <pos d>, <sal d>,
//! …one line per actor
//! ```
//!
//! Lines are read by the `csv` crate, fields split at every comma (KTAB's
//! reader knows no quoting: `$$` inside a field stands for a comma); each
//! is trimmed of white space and then of one pair of surrounding double
//! quotes. Blank lines are skipped. KTAB keeps surrounding
//! spaces in names and descriptions; this reader drops them. Trailing empty
//! fields (the customary final comma) are allowed, other extra fields and
//! lines are errors (KTAB would silently ignore them). Positions and
//! saliences are on KTAB's 0–100 scale, as in the file; the limits are
//! KTAB's: 3 to 250 actors, at least one dimension, positions and saliences
//! in [0, 100] with each actor's saliences summing to at most 100, a
//! capability in [0, 10⁸), names of 1 to 25 characters.

/// The fewest and most actors KTAB accepts.
const ACTORS: std::ops::RangeInclusive<usize> = 3..=250;
/// KTAB's length limits, in characters.
const MAX_SCENARIO_NAME: usize = 512;
const MAX_ACTOR_NAME: usize = 25;
const MAX_ACTOR_DESCRIPTION: usize = 256;
const MAX_DIMENSION_NAME: usize = 256;
/// Capabilities at or above this are refused (KTAB's sanity check).
const MAX_CAPABILITY: f64 = 1e8;

/// A scenario read from KTAB's CSV layout.
#[derive(Clone, Debug, PartialEq)]
pub struct SpatialScenario {
    /// Scenario name.
    pub name: String,
    /// Scenario description.
    pub description: String,
    /// Names of the dimensions (the position columns' headers).
    pub dimensions: Vec<String>,
    /// The actors, in file order.
    pub actors: Vec<SpatialActor>,
}

/// One actor's line.
#[derive(Clone, Debug, PartialEq)]
pub struct SpatialActor {
    /// Name.
    pub name: String,
    /// Description (may be empty).
    pub description: String,
    /// Capability ("Power").
    pub capability: f64,
    /// Position on each dimension, 0–100.
    pub position: Vec<f64>,
    /// Salience of each dimension, 0–100.
    pub salience: Vec<f64>,
}

impl SpatialScenario {
    /// The capabilities, in actor order.
    pub fn capabilities(&self) -> Vec<f64> {
        self.actors.iter().map(|a| a.capability).collect()
    }

    /// Positions divided by 100, n×d row-major: the kernel's input.
    pub fn unit_positions(&self) -> Vec<f64> {
        self.actors
            .iter()
            .flat_map(|a| a.position.iter().map(|x| x / 100.0))
            .collect()
    }

    /// Saliences divided by 100, n×d row-major: the kernel's input.
    pub fn unit_saliences(&self) -> Vec<f64> {
        self.actors
            .iter()
            .flat_map(|a| a.salience.iter().map(|x| x / 100.0))
            .collect()
    }
}

/// Why a CSV scenario was refused. Lines and columns count from 1.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CsvError {
    /// No header line.
    #[error("the file is empty")]
    Empty,
    /// A line with too few fields.
    #[error("line {line}: {found} fields, expected at least {expected}")]
    MissingFields {
        /// Line number.
        line: usize,
        /// Fields required.
        expected: usize,
        /// Fields present.
        found: usize,
    },
    /// A non-empty field past the last expected one.
    #[error("line {line}: unexpected field in column {column}")]
    ExtraField {
        /// Line number.
        line: usize,
        /// Column number.
        column: usize,
    },
    /// A field that should be a number and is not.
    #[error("line {line}, column {column}: {text:?} is not a number")]
    Number {
        /// Line number.
        line: usize,
        /// Column number.
        column: usize,
        /// The field.
        text: String,
    },
    /// A number of actors outside 3–250.
    #[error("line {line}: {count} actors, KTAB allows 3 to 250")]
    ActorCount {
        /// Line number.
        line: usize,
        /// The count.
        count: usize,
    },
    /// No dimensions.
    #[error("line {line}: the scenario needs at least one dimension")]
    DimensionCount {
        /// Line number.
        line: usize,
    },
    /// Fewer actor lines than the header announced.
    #[error("{found} actor lines, the header announced {expected}")]
    MissingActors {
        /// Announced.
        expected: usize,
        /// Found.
        found: usize,
    },
    /// A non-blank line after the last actor.
    #[error("line {line}: unexpected line after the last actor")]
    ExtraLine {
        /// Line number.
        line: usize,
    },
    /// A line the CSV reader cannot read.
    #[error("line {line}: {message}")]
    Unreadable {
        /// Line number.
        line: usize,
        /// The reader's words.
        message: String,
    },
    /// A name or description over KTAB's length limit.
    #[error("line {line}: {what} is longer than {max} characters")]
    TooLong {
        /// Line number.
        line: usize,
        /// Which field.
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// An empty actor name.
    #[error("line {line}: the actor has no name")]
    EmptyName {
        /// Line number.
        line: usize,
    },
    /// A capability outside [0, 10⁸).
    #[error("line {line}: capability {value} is outside [0, 1e8)")]
    Capability {
        /// Line number.
        line: usize,
        /// The value.
        value: f64,
    },
    /// A position outside [0, 100].
    #[error("line {line}: position {value} on dimension {dimension} is outside [0, 100]")]
    Position {
        /// Line number.
        line: usize,
        /// Dimension, from 1.
        dimension: usize,
        /// The value.
        value: f64,
    },
    /// A salience outside [0, 100].
    #[error("line {line}: salience {value} on dimension {dimension} is outside [0, 100]")]
    Salience {
        /// Line number.
        line: usize,
        /// Dimension, from 1.
        dimension: usize,
        /// The value.
        value: f64,
    },
    /// Saliences of one actor summing past 100.
    #[error("line {line}: saliences sum to {total}, more than 100")]
    TotalSalience {
        /// Line number.
        line: usize,
        /// The sum.
        total: f64,
    },
}

/// One line split into cleaned fields.
struct Fields {
    line: usize,
    fields: Vec<String>,
}

/// The non-blank lines of `text` as fields, in order. KTAB's reader knows
/// no quoting, so neither does this one.
fn records(text: &str) -> impl Iterator<Item = Result<Fields, CsvError>> + '_ {
    crate::rows::rows(text, false).map(|row| match row {
        Ok(row) => Ok(Fields::new(row.line, &row.fields)),
        Err((line, message)) => Err(CsvError::Unreadable { line, message }),
    })
}

impl Fields {
    fn new(line: usize, record: &::csv::StringRecord) -> Fields {
        let fields = record
            .iter()
            .map(|f| {
                let f = f
                    .strip_prefix('"')
                    .and_then(|g| g.strip_suffix('"'))
                    .unwrap_or(f);
                f.replace("$$", ",")
            })
            .collect();
        Fields { line, fields }
    }

    /// Require `expected` fields, the rest empty.
    fn expect(&self, expected: usize) -> Result<(), CsvError> {
        let found = self.fields.len();
        if found < expected {
            return Err(CsvError::MissingFields {
                line: self.line,
                expected,
                found,
            });
        }
        match self.fields[expected..].iter().position(|f| !f.is_empty()) {
            Some(extra) => Err(CsvError::ExtraField {
                line: self.line,
                column: expected + extra + 1,
            }),
            None => Ok(()),
        }
    }

    fn text(&self, column: usize) -> &str {
        self.fields.get(column).map_or("", String::as_str)
    }

    fn limited(&self, column: usize, what: &'static str, max: usize) -> Result<String, CsvError> {
        let text = self.text(column);
        if text.chars().count() > max {
            return Err(CsvError::TooLong {
                line: self.line,
                what,
                max,
            });
        }
        Ok(text.to_string())
    }

    fn number(&self, column: usize) -> Result<f64, CsvError> {
        let text = self.text(column);
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(CsvError::Number {
                line: self.line,
                column: column + 1,
                text: text.to_string(),
            }),
        }
    }

    fn count(&self, column: usize) -> Result<usize, CsvError> {
        let text = self.text(column);
        text.parse::<usize>().map_err(|_| CsvError::Number {
            line: self.line,
            column: column + 1,
            text: text.to_string(),
        })
    }
}

/// Parse a scenario in KTAB's SMP CSV layout.
pub fn parse(text: &str) -> Result<SpatialScenario, CsvError> {
    let mut lines = records(text);
    let head = lines.next().ok_or(CsvError::Empty)??;
    let number = head.line;
    head.expect(4)?;
    let name = head.limited(0, "the scenario name", MAX_SCENARIO_NAME)?;
    let description = head.text(1).to_string();
    let actors = head.count(2)?;
    let dims = head.count(3)?;
    if !ACTORS.contains(&actors) {
        return Err(CsvError::ActorCount {
            line: number,
            count: actors,
        });
    }
    if dims == 0 {
        return Err(CsvError::DimensionCount { line: number });
    }

    let columns = lines.next().ok_or(CsvError::MissingActors {
        expected: actors,
        found: 0,
    })??;
    columns.expect(3 + 2 * dims)?;
    let dimensions = (0..dims)
        .map(|k| columns.limited(3 + 2 * k, "a dimension name", MAX_DIMENSION_NAME))
        .collect::<Result<Vec<String>, CsvError>>()?;

    let mut scenario = SpatialScenario {
        name,
        description,
        dimensions,
        actors: Vec::with_capacity(actors),
    };
    for found in 0..actors {
        let fields = lines.next().ok_or(CsvError::MissingActors {
            expected: actors,
            found,
        })??;
        scenario.actors.push(actor(&fields, dims)?);
    }
    match lines.next() {
        Some(fields) => Err(CsvError::ExtraLine { line: fields?.line }),
        None => Ok(scenario),
    }
}

fn actor(fields: &Fields, dims: usize) -> Result<SpatialActor, CsvError> {
    let line = fields.line;
    fields.expect(3 + 2 * dims)?;
    let name = fields.limited(0, "the actor name", MAX_ACTOR_NAME)?;
    if name.is_empty() {
        return Err(CsvError::EmptyName { line });
    }
    let description = fields.limited(1, "the actor description", MAX_ACTOR_DESCRIPTION)?;
    let capability = fields.number(2)?;
    if !(0.0..MAX_CAPABILITY).contains(&capability) {
        return Err(CsvError::Capability {
            line,
            value: capability,
        });
    }
    let mut position = Vec::with_capacity(dims);
    let mut salience = Vec::with_capacity(dims);
    let mut total = 0.0;
    for k in 0..dims {
        let dimension = k + 1;
        let p = fields.number(3 + 2 * k)?;
        if !crate::scale::contains(p) {
            return Err(CsvError::Position {
                line,
                dimension,
                value: p,
            });
        }
        let s = fields.number(4 + 2 * k)?;
        if !(0.0..=100.0).contains(&s) {
            return Err(CsvError::Salience {
                line,
                dimension,
                value: s,
            });
        }
        total += s;
        if total > 100.0 {
            return Err(CsvError::TotalSalience { line, total });
        }
        position.push(p);
        salience.push(s);
    }
    Ok(SpatialActor {
        name,
        description,
        capability,
        position,
        salience,
    })
}
