//! Comparing two runs: where their logs part, and how their outcomes differ.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use entente_core::Envelope;

use crate::error::Result;
use crate::logfile::LogReader;
use crate::report::{self, Report};

/// The comparison of log A with log B.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Comparison {
    /// Same header and same events: the same run.
    pub identical: bool,
    /// The fingerprints.
    pub head: (String, String),
    /// Header fields that differ (seed, scenario values, branch…), by JSON path.
    pub header: Vec<FieldDifference>,
    /// The first event where the logs part, if they do.
    pub parting: Option<Parting>,
    /// Per outcome that happened in either run: when it first did in each.
    pub outcomes: Vec<OutcomePair>,
    /// How bargaining ended in each run.
    pub bargaining: OutcomePair,
    /// Per issue: the forecasts and every principal's final position.
    pub issues: Vec<IssueComparison>,
    /// Per theatre: the ceasefire in each run.
    pub ceasefires: Vec<OutcomePair>,
    /// Per regime: its fate in each run.
    pub sanctions: Vec<OutcomePair>,
    /// Per offering pair: the packages and answers in each run.
    pub packages: Vec<OutcomePair>,
    /// Goldstein sum per round in each run.
    pub cooperation: Vec<CooperationPair>,
}

/// A header field that differs.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FieldDifference {
    /// JSON path in the header.
    pub path: String,
    /// Value in A (null if absent).
    pub a: Value,
    /// Value in B (null if absent).
    pub b: Value,
}

/// Where two logs part.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Parting {
    /// The first seq whose events differ.
    pub seq: u64,
    /// Its round in A, if A has the event.
    pub round_a: Option<u32>,
    /// Its round in B, if B has the event.
    pub round_b: Option<u32>,
    /// The event line in A, without its hash.
    pub a: Option<Value>,
    /// The event line in B, without its hash.
    pub b: Option<Value>,
    /// The same lines as written, for people.
    #[serde(skip)]
    pub lines: (Option<String>, Option<String>),
}

/// One issue in both runs.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IssueComparison {
    /// Issue id.
    pub id: String,
    /// Final weighted mean in A, B, and B − A.
    pub mean: (f64, f64, f64),
    /// Final weighted median in A, B, and B − A.
    pub median: (f64, f64, f64),
    /// Agreement position in A and B.
    pub agreement: (Option<f64>, Option<f64>),
    /// Every principal: final position in A, B, and B − A.
    pub principals: BTreeMap<String, (f64, f64, f64)>,
}

/// A mechanism's outcome in both runs, in words.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OutcomePair {
    /// What it is about (theatre, regime, offerer→receiver).
    pub subject: String,
    /// In A.
    pub a: String,
    /// In B.
    pub b: String,
}

/// Cooperation in one round of both runs.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CooperationPair {
    /// Round.
    pub round: u32,
    /// Goldstein sum in A.
    pub a: f64,
    /// Goldstein sum in B.
    pub b: f64,
}

/// Compares the logs at `a` and `b`, verifying both.
pub fn compare(a: &Path, b: &Path) -> Result<Comparison> {
    let report_a = report::from_log(a)?;
    let report_b = report::from_log(b)?;
    let (header, parting) = part(a, b)?;
    let identical = header.is_empty() && parting.is_none();
    Ok(Comparison {
        identical,
        head: (report_a.head.clone(), report_b.head.clone()),
        header,
        parting,
        outcomes: pairs(&report_a, &report_b, "never", |r| {
            let mut first: BTreeMap<String, String> = BTreeMap::new();
            for h in &r.outcomes {
                first
                    .entry(h.outcome.clone())
                    .or_insert_with(|| format!("first in round {} ({})", h.round, h.date));
            }
            first.into_iter().collect()
        }),
        bargaining: OutcomePair {
            subject: "bargaining".to_owned(),
            a: report_a.bargaining.words(),
            b: report_b.bargaining.words(),
        },
        issues: issues(&report_a, &report_b),
        ceasefires: pairs(&report_a, &report_b, "none", |r| {
            r.ceasefires
                .iter()
                .map(|c| {
                    // Each side's story comes from its own report, and so
                    // from its own header.
                    let mut story = Vec::new();
                    if c.in_force_at_start {
                        story.push("in force from the start".to_owned());
                    }
                    if let Some(m) = &c.agreed {
                        story.push(format!("agreed round {}", m.round));
                    }
                    if let Some(m) = &c.collapsed {
                        story.push(format!("collapsed round {}", m.round));
                    }
                    if story.is_empty() {
                        story.push("never agreed".to_owned());
                    } else {
                        story.push(format!("{} at the end", c.status));
                    }
                    (
                        c.theatre.clone(),
                        format!("{}; {} violations", story.join(", "), c.violations),
                    )
                })
                .collect()
        }),
        sanctions: pairs(&report_a, &report_b, "none", |r| {
            r.sanctions
                .iter()
                .map(|s| {
                    let decisions: Vec<String> = s
                        .decisions
                        .iter()
                        .map(|d| format!("{} {}", d.decision, d.due))
                        .collect();
                    let decisions = if decisions.is_empty() {
                        "no renewal due in the run".to_owned()
                    } else {
                        decisions.join(", ")
                    };
                    (
                        s.id.clone(),
                        format!("{} at level {:.2} ({decisions})", s.status, s.level),
                    )
                })
                .collect()
        }),
        packages: pairs(&report_a, &report_b, "none", |r| {
            let mut by_pair: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for p in &r.packages {
                by_pair
                    .entry(format!("{}→{}", p.offerer, p.receiver))
                    .or_default()
                    .push(format!("round {} {}", p.round, p.answer));
            }
            by_pair
                .into_iter()
                .map(|(k, v)| (k, v.join(", ")))
                .collect()
        }),
        cooperation: cooperation(&report_a, &report_b),
    })
}

/// Header differences, and the first seq where the events differ.
fn part(a: &Path, b: &Path) -> Result<(Vec<FieldDifference>, Option<Parting>)> {
    let mut ra = LogReader::open(a)?;
    let mut rb = LogReader::open(b)?;
    let mut header = Vec::new();
    let ha = serde_json::to_value(ra.header()).unwrap_or(Value::Null);
    let hb = serde_json::to_value(rb.header()).unwrap_or(Value::Null);
    diff_values("$", &ha, &hb, &mut header);
    loop {
        let (ea, eb) = (ra.next_event()?, rb.next_event()?);
        match (&ea, &eb) {
            (None, None) => return Ok((header, None)),
            (Some(x), Some(y)) if x == y => continue,
            _ => {
                let seq = ea.as_ref().or(eb.as_ref()).map_or(0, |e| e.seq);
                let as_json = |e: &Option<Envelope>, line: &[u8]| {
                    e.as_ref()
                        .and_then(|_| serde_json::from_slice::<Value>(line).ok())
                        .map(|mut v| {
                            if let Some(o) = v.as_object_mut() {
                                o.remove("hash");
                            }
                            v
                        })
                };
                let as_text = |e: &Option<Envelope>, line: &[u8]| {
                    e.as_ref().map(|_| {
                        let text = String::from_utf8_lossy(line);
                        match text.rfind(",\"hash\":") {
                            Some(i) => format!("{}}}", &text[..i]),
                            None => text.into_owned(),
                        }
                    })
                };
                return Ok((
                    header,
                    Some(Parting {
                        seq,
                        round_a: ea.as_ref().map(|e| e.round),
                        round_b: eb.as_ref().map(|e| e.round),
                        a: as_json(&ea, ra.line()),
                        b: as_json(&eb, rb.line()),
                        lines: (as_text(&ea, ra.line()), as_text(&eb, rb.line())),
                    }),
                ));
            }
        }
    }
}

/// Walks two JSON values and lists the paths where they differ (at most
/// 100, leaves only).
pub(crate) fn diff_values(path: &str, a: &Value, b: &Value, out: &mut Vec<FieldDifference>) {
    if out.len() >= 100 || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let null = Value::Null;
                diff_values(
                    &format!("{path}.{k}"),
                    x.get(k).unwrap_or(&null),
                    y.get(k).unwrap_or(&null),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff_values(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ => out.push(FieldDifference {
            path: path.to_owned(),
            a: a.clone(),
            b: b.clone(),
        }),
    }
}

fn issues(a: &Report, b: &Report) -> Vec<IssueComparison> {
    a.issues
        .iter()
        .filter_map(|ia| {
            let ib = b.issues.iter().find(|i| i.id == ia.id)?;
            let last = |i: &report::IssueReport| {
                i.series
                    .last()
                    .map(|p| p.positions.clone())
                    .unwrap_or_default()
            };
            let (pa, pb) = (last(ia), last(ib));
            let principals = ia
                .principals
                .iter()
                .filter_map(|p| {
                    let (x, y) = (*pa.get(p)?, *pb.get(p)?);
                    Some((p.clone(), (x, y, y - x)))
                })
                .collect();
            Some(IssueComparison {
                id: ia.id.clone(),
                mean: (
                    ia.forecast.mean,
                    ib.forecast.mean,
                    ib.forecast.mean - ia.forecast.mean,
                ),
                median: (
                    ia.forecast.median,
                    ib.forecast.median,
                    ib.forecast.median - ia.forecast.median,
                ),
                agreement: (
                    ia.agreement.as_ref().map(|g| g.position),
                    ib.agreement.as_ref().map(|g| g.position),
                ),
                principals,
            })
        })
        .collect()
}

/// The subjects either report describes, each with its description in A
/// and in B (`absent` where a report does not describe it).
fn pairs(
    a: &Report,
    b: &Report,
    absent: &str,
    describe: impl Fn(&Report) -> Vec<(String, String)>,
) -> Vec<OutcomePair> {
    let (da, db): (BTreeMap<_, _>, BTreeMap<_, _>) = (
        describe(a).into_iter().collect(),
        describe(b).into_iter().collect(),
    );
    let keys: std::collections::BTreeSet<&String> = da.keys().chain(db.keys()).collect();
    keys.into_iter()
        .map(|k| OutcomePair {
            subject: k.clone(),
            a: da.get(k).cloned().unwrap_or_else(|| absent.to_owned()),
            b: db.get(k).cloned().unwrap_or_else(|| absent.to_owned()),
        })
        .collect()
}

fn cooperation(a: &Report, b: &Report) -> Vec<CooperationPair> {
    let ca: BTreeMap<u32, f64> = a
        .cooperation
        .iter()
        .map(|c| (c.round, c.goldstein))
        .collect();
    let cb: BTreeMap<u32, f64> = b
        .cooperation
        .iter()
        .map(|c| (c.round, c.goldstein))
        .collect();
    let rounds: std::collections::BTreeSet<u32> = ca.keys().chain(cb.keys()).copied().collect();
    rounds
        .into_iter()
        .map(|round| CooperationPair {
            round,
            a: ca.get(&round).copied().unwrap_or(0.0),
            b: cb.get(&round).copied().unwrap_or(0.0),
        })
        .collect()
}

impl Comparison {
    /// The comparison as text.
    pub fn render(&self, name_a: &str, name_b: &str) -> String {
        let mut out = String::new();
        if self.identical {
            let _ = writeln!(
                out,
                "identical: {name_a} and {name_b} are the same run ({})",
                self.head.0
            );
            return out;
        }
        let _ = writeln!(
            out,
            "A {name_a}\n  fingerprint {}\nB {name_b}\n  fingerprint {}",
            self.head.0, self.head.1
        );
        if !self.header.is_empty() {
            let _ = writeln!(out, "\nHeaders differ:");
            for d in &self.header {
                let _ = writeln!(out, "  {}: {} | {}", d.path, short(&d.a), short(&d.b));
            }
        }
        match &self.parting {
            None => {
                let _ = writeln!(out, "\nThe events are the same.");
            }
            Some(p) => {
                let round = |r: Option<u32>| r.map_or("-".to_owned(), |r| r.to_string());
                let _ = writeln!(
                    out,
                    "\nThe logs part at seq {} (round {} in A, {} in B):",
                    p.seq,
                    round(p.round_a),
                    round(p.round_b)
                );
                let side = |v: &Option<String>| {
                    v.clone()
                        .unwrap_or_else(|| "(no event: the log ends)".to_owned())
                };
                let _ = writeln!(out, "  A {}\n  B {}", side(&p.lines.0), side(&p.lines.1));
            }
        }
        let b = &self.bargaining;
        let _ = writeln!(
            out,
            "\n{}Bargaining:\n    A {}\n    B {}",
            if b.a == b.b { "" } else { "*" },
            b.a,
            b.b
        );
        let _ = writeln!(out, "\nIssues (final; A → B):");
        for i in &self.issues {
            let agreed = |g: Option<f64>| g.map_or("none".to_owned(), |x| format!("{x:.1}"));
            let _ = writeln!(
                out,
                "  {}: mean {:.1} → {:.1} ({:+.1}), median {:.1} → {:.1} ({:+.1}), agreement {} → {}",
                i.id,
                i.mean.0,
                i.mean.1,
                i.mean.2,
                i.median.0,
                i.median.1,
                i.median.2,
                agreed(i.agreement.0),
                agreed(i.agreement.1)
            );
            for (p, (x, y, d)) in &i.principals {
                let _ = writeln!(out, "    {p:<10} {x:>6.1} → {y:>6.1} ({d:+.1})");
            }
        }
        for (title, list) in [
            ("Outcomes", &self.outcomes),
            ("Ceasefires", &self.ceasefires),
            ("Sanctions", &self.sanctions),
            ("Packages", &self.packages),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title}:");
            for p in list {
                let mark = if p.a == p.b { " " } else { "*" };
                let _ = writeln!(out, " {mark}{}\n    A {}\n    B {}", p.subject, p.a, p.b);
            }
        }
        let _ = writeln!(out, "\nCooperation (Goldstein sum per round, A | B):");
        let line: Vec<String> = self
            .cooperation
            .iter()
            .filter(|c| c.a != c.b)
            .map(|c| format!("{}: {:+.1} | {:+.1}", c.round, c.a, c.b))
            .collect();
        let _ = writeln!(
            out,
            "  {}",
            if line.is_empty() {
                "the same in every round".to_owned()
            } else {
                line.join("; ")
            }
        );
        out
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}
