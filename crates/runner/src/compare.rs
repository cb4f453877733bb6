//! Comparing two runs: where their logs part, and how their outcomes differ.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use entente_core::Envelope;

use crate::error::Result;
use crate::render::{Block, Document, Inline, Meta, Render, Section, Table};
use crate::replay::Replaying;
use crate::report::{self, Builder, Report};

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
    /// Whether each log holds every round its header announces; an
    /// incomplete log's "final" state is where it stopped, not the run's end.
    pub complete: (bool, bool),
    /// The logs as the user named them, for people.
    #[serde(skip)]
    pub names: (String, String),
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

/// Compares the logs at `a` and `b`, verifying both. Each log is read
/// once: the two are replayed side by side, each into its own report, and
/// their events compared until they part.
pub fn compare(a: &Path, b: &Path) -> Result<Comparison> {
    compare_reports(a, b).map(|(comparison, ..)| comparison)
}

/// [`compare`], with the report of each run it built on the way (the
/// workbench draws the two runs' charts over each other from them).
pub fn compare_reports(a: &Path, b: &Path) -> Result<(Comparison, Report, Report)> {
    let (mut ra, mut rb) = (Replaying::open(a)?, Replaying::open(b)?);
    let mut header = Vec::new();
    let ha = serde_json::to_value(ra.header()).unwrap_or(Value::Null);
    let hb = serde_json::to_value(rb.header()).unwrap_or(Value::Null);
    diff_values("$", &ha, &hb, &mut header);
    let (mut builder_a, mut builder_b) = (
        Builder::new(ra.state(), &ra.header().scenario),
        Builder::new(rb.state(), &rb.header().scenario),
    );
    let mut parting = None;
    loop {
        let (ea, eb) = (ra.next_event()?, rb.next_event()?);
        if let Some(e) = &ea {
            builder_a.observe(e, ra.state());
        }
        if let Some(e) = &eb {
            builder_b.observe(e, rb.state());
        }
        if ea.is_none() && eb.is_none() {
            break;
        }
        if parting.is_none() && ea != eb {
            parting = Some(parted(&ea, ra.line(), &eb, rb.line()));
        }
    }
    let report_a = builder_a.finish(&ra.finish());
    let report_b = builder_b.finish(&rb.finish());
    let comparison = between(
        &report_a,
        &report_b,
        header,
        parting,
        (a.display().to_string(), b.display().to_string()),
    );
    Ok((comparison, report_a, report_b))
}

/// Where two logs part: the first events that differ, as JSON and as
/// written.
fn parted(ea: &Option<Envelope>, line_a: &[u8], eb: &Option<Envelope>, line_b: &[u8]) -> Parting {
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
    Parting {
        seq,
        round_a: ea.as_ref().map(|e| e.round),
        round_b: eb.as_ref().map(|e| e.round),
        a: as_json(ea, line_a),
        b: as_json(eb, line_b),
        lines: (as_text(ea, line_a), as_text(eb, line_b)),
    }
}

/// The comparison of two reports, given where their logs part.
fn between(
    report_a: &Report,
    report_b: &Report,
    header: Vec<FieldDifference>,
    parting: Option<Parting>,
    names: (String, String),
) -> Comparison {
    let identical = header.is_empty() && parting.is_none();
    Comparison {
        complete: (report_a.complete, report_b.complete),
        identical,
        head: (report_a.head.clone(), report_b.head.clone()),
        header,
        parting,
        outcomes: pairs(report_a, report_b, "never", |r| {
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
        issues: issues(report_a, report_b),
        ceasefires: pairs(report_a, report_b, "none", ceasefire_stories),
        sanctions: pairs(report_a, report_b, "none", regime_fates),
        packages: pairs(report_a, report_b, "none", |r| {
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
        cooperation: cooperation(report_a, report_b),
        names,
    }
}

/// Each ceasefire's story in one line, from the report's own header.
fn ceasefire_stories(r: &Report) -> Vec<(String, String)> {
    r.ceasefires
        .iter()
        .map(|c| {
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
}

/// Each regime's fate in one line.
fn regime_fates(r: &Report) -> Vec<(String, String)> {
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

impl Render for Comparison {
    fn document(&self) -> Document {
        let (name_a, name_b) = &self.names;
        let meta = vec![
            Meta::new("A", Inline::code(name_a)),
            Meta::new("A's fingerprint", Inline::code(&self.head.0)),
            Meta::new("B", Inline::code(name_b)),
            Meta::new("B's fingerprint", Inline::code(&self.head.1)),
        ];
        if self.identical {
            return Document {
                title: "Comparison of two runs".to_owned(),
                meta,
                blocks: vec![Block::Paragraph(Inline::plain(format!(
                    "Identical: {name_a} and {name_b} are the same run."
                )))],
            };
        }
        let mut blocks = Vec::new();
        for (name, complete) in [(name_a, self.complete.0), (name_b, self.complete.1)] {
            if !complete {
                blocks.push(Block::Paragraph(Inline::plain(format!(
                    "{name} is incomplete: the run stopped before its last round, so its \"final\" values are where it stopped."
                ))));
            }
        }
        if !self.header.is_empty() {
            let mut s = Section::new(Some("header".to_owned()), "Headers differ");
            let mut t = Table::new(&["field", "A", "B"]);
            for d in &self.header {
                t.rows.push(vec![
                    Inline::code(&d.path),
                    Inline::code(short(&d.a)),
                    Inline::code(short(&d.b)),
                ]);
            }
            s.push(t.into());
            blocks.push(s.into());
        }
        blocks.push(self.parting_section().into());
        blocks.push(self.issues_section().into());
        let bargaining = vec![self.bargaining.clone()];
        for (id, title, list) in [
            ("outcomes", "Outcomes", &self.outcomes),
            ("bargaining", "Bargaining", &bargaining),
            ("ceasefires", "Ceasefires", &self.ceasefires),
            ("sanctions", "Sanctions", &self.sanctions),
            ("packages", "Packages", &self.packages),
        ] {
            if list.is_empty() {
                continue;
            }
            let mut s = Section::new(Some(id.to_owned()), title);
            let mut t = Table::new(&["", "subject", "A", "B"]);
            for p in list {
                t.row([
                    if p.a == p.b { "" } else { "*" }.to_owned(),
                    p.subject.clone(),
                    p.a.clone(),
                    p.b.clone(),
                ]);
            }
            s.push(t.into());
            blocks.push(s.into());
        }
        blocks.push(self.cooperation_section().into());
        Document {
            title: "Comparison of two runs".to_owned(),
            meta,
            blocks,
        }
    }

    /// Through a `Value`, whose keys are sorted: the order this contract
    /// was first written in.
    fn json(&self) -> String {
        crate::render::pretty_json(&serde_json::to_value(self).unwrap_or(Value::Null))
    }
}

impl Comparison {
    fn parting_section(&self) -> Section {
        let mut s = Section::new(Some("parting".to_owned()), "Where the logs part");
        match &self.parting {
            None => s.paragraph("The events are the same."),
            Some(p) => {
                let round = |r: Option<u32>| r.map_or("-".to_owned(), |r| r.to_string());
                s.paragraph(format!(
                    "The logs part at seq {} (round {} in A, {} in B):",
                    p.seq,
                    round(p.round_a),
                    round(p.round_b)
                ));
                let side = |v: &Option<String>| {
                    v.clone()
                        .unwrap_or_else(|| "(no event: the log ends)".to_owned())
                };
                s.push(Block::Code(format!(
                    "A {}\nB {}",
                    side(&p.lines.0),
                    side(&p.lines.1)
                )));
            }
        }
        s
    }

    fn issues_section(&self) -> Section {
        let mut s = Section::new(Some("issues".to_owned()), "Issues (final; A → B)");
        let agreed = |g: Option<f64>| g.map_or("none".to_owned(), |x| format!("{x:.1}"));
        for i in &self.issues {
            let mut sub = Section::new(Some(format!("issue-{}", i.id)), Inline::code(&i.id));
            sub.paragraph(format!(
                "mean {:.1} → {:.1} ({:+.1}), median {:.1} → {:.1} ({:+.1}), agreement {} → {}",
                i.mean.0,
                i.mean.1,
                i.mean.2,
                i.median.0,
                i.median.1,
                i.median.2,
                agreed(i.agreement.0),
                agreed(i.agreement.1)
            ));
            let mut t = Table::new(&["principal", ">A", ">B", ">B − A"]);
            for (p, (x, y, d)) in &i.principals {
                t.row([
                    p.clone(),
                    format!("{x:.1}"),
                    format!("{y:.1}"),
                    format!("{d:+.1}"),
                ]);
            }
            sub.push(t.into());
            s.push(sub.into());
        }
        s
    }

    fn cooperation_section(&self) -> Section {
        let mut s = Section::new(Some("cooperation".to_owned()), "Cooperation");
        let differ: Vec<&CooperationPair> =
            self.cooperation.iter().filter(|c| c.a != c.b).collect();
        if differ.is_empty() {
            s.paragraph("The Goldstein sum is the same in every round.");
            return s;
        }
        s.paragraph("Goldstein sum per round, where the runs differ:");
        let mut t = Table::new(&[">round", ">A", ">B"]);
        for c in differ {
            t.row([
                c.round.to_string(),
                format!("{:+.1}", c.a),
                format!("{:+.1}", c.b),
            ]);
        }
        s.push(t.into());
        s
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
