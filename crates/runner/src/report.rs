//! Outcome reports: the story of a run, folded from its log.
//!
//! [`Report`] is the JSON contract of `report --format json` (fields may be
//! added, never renamed); the text and Markdown renderings tell the same
//! story for people.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use entente_core::event::{Cause, Event, StrikeTarget, ViolationCause};
use entente_core::{Date, Envelope, Header, State};

use crate::error::Result;
use crate::replay::{self, Replayed};

/// The report of one run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Run seed.
    pub seed: u64,
    /// Engine that wrote the log.
    pub engine: String,
    /// The negotiation model.
    pub model: String,
    /// Rounds the header announces.
    pub rounds: u32,
    /// Events in the log.
    pub events: u64,
    /// The fingerprint.
    pub head: String,
    /// Whether the log holds every round.
    pub complete: bool,
    /// Per issue: forecasts, series and agreement.
    pub issues: Vec<IssueReport>,
    /// Per theatre: the ceasefire's story.
    pub ceasefires: Vec<CeasefireReport>,
    /// Per striker and theatre: strikes by target.
    pub strikes: Vec<StrikeReport>,
    /// Per regime: the renewal decisions.
    pub sanctions: Vec<RegimeReport>,
    /// Every package offered, with its answer.
    pub linkage: Vec<PackageReport>,
    /// Goldstein sum per round.
    pub cooperation: Vec<CooperationPoint>,
    /// Scripted acts and the mechanisms' decisions, in order.
    pub timeline: Vec<KeyEvent>,
}

/// One issue.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IssueReport {
    /// Issue id.
    pub id: String,
    /// The question.
    pub question: String,
    /// What 0 means.
    pub low: String,
    /// What 100 means.
    pub high: String,
    /// Principals.
    pub principals: Vec<String>,
    /// The final forecasts.
    pub forecast: Forecasts,
    /// One point per round closed, from round 0.
    pub series: Vec<SeriesPoint>,
    /// The agreement, if one was signed.
    pub agreement: Option<AgreementReport>,
    /// Position changes on the issue after the opening draws.
    pub moves: u64,
    /// Position changes per actor.
    pub movers: BTreeMap<String, u64>,
}

/// The two forecasts.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Forecasts {
    /// Weighted mean.
    pub mean: f64,
    /// Weighted median.
    pub median: f64,
}

/// An issue at the close of a round.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SeriesPoint {
    /// The round; 0 is the state before the first round.
    pub round: u32,
    /// The round's date.
    pub date: Date,
    /// Weighted mean.
    pub mean: f64,
    /// Weighted median.
    pub median: f64,
    /// Every member's position.
    pub positions: BTreeMap<String, f64>,
}

/// An agreement.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AgreementReport {
    /// Round signed.
    pub round: u32,
    /// Date signed.
    pub date: Date,
    /// Agreed position.
    pub position: f64,
}

/// A ceasefire's story.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CeasefireReport {
    /// Theatre.
    pub theatre: String,
    /// Governing issue.
    pub issue: String,
    /// Parties.
    pub parties: Vec<String>,
    /// `never agreed`, `in force` or `collapsed`.
    pub status: String,
    /// First agreement.
    pub agreed: Option<Moment>,
    /// First collapse.
    pub collapsed: Option<Moment>,
    /// Violations over the run.
    pub violations: u32,
    /// Every agreement, violation and collapse.
    pub story: Vec<Moment>,
}

/// A dated happening.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Moment {
    /// Seq of the event.
    pub seq: u64,
    /// Round.
    pub round: u32,
    /// Date.
    pub date: Date,
    /// What happened, in words.
    pub what: String,
}

/// Strikes of one striker in one theatre.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StrikeReport {
    /// Striker.
    pub striker: String,
    /// Theatre.
    pub theatre: String,
    /// Strikes on designated terrorists.
    pub designated_terrorists: u64,
    /// Strikes on other armed opposition.
    pub other_opposition: u64,
}

/// A sanction regime's fate.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RegimeReport {
    /// Regime id.
    pub id: String,
    /// Imposer.
    pub imposer: String,
    /// Target.
    pub target: String,
    /// `in force`, `eased` or `lifted`.
    pub status: String,
    /// Level at the end: 1 whole, 0 lifted.
    pub level: f64,
    /// Every renewal decision.
    pub decisions: Vec<Decision>,
}

/// A renewal decision.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Decision {
    /// Round.
    pub round: u32,
    /// Date decided.
    pub date: Date,
    /// The renewal date.
    pub due: Date,
    /// `renewed`, `eased` or `lifted`.
    pub decision: String,
    /// The imposer's position.
    pub position: f64,
    /// Level after.
    pub level: f64,
}

/// A package and its answer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PackageReport {
    /// Round.
    pub round: u32,
    /// Date.
    pub date: Date,
    /// Offerer.
    pub offerer: String,
    /// Receiver.
    pub receiver: String,
    /// Issue the offerer yields on, and to where.
    pub offerer_yields: (String, f64),
    /// Issue the receiver yields on, and to where.
    pub receiver_yields: (String, f64),
    /// Each side's gain.
    pub gain: f64,
    /// `accepted` or `refused`.
    pub answer: String,
    /// Why refused.
    pub reason: Option<String>,
}

/// Cooperation in one round.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CooperationPoint {
    /// Round.
    pub round: u32,
    /// Sum of the Goldstein values of the round's events.
    pub goldstein: f64,
}

/// A key event for the timeline.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct KeyEvent {
    /// Seq.
    pub seq: u64,
    /// Round.
    pub round: u32,
    /// Date.
    pub date: Date,
    /// Event type.
    pub event: String,
    /// CAMEO code.
    pub cameo: String,
    /// In words.
    pub text: String,
}

/// Verifies and folds the log at `path` into its report.
pub fn from_log(path: &Path) -> Result<Report> {
    let mut builder = None;
    let replayed = replay::replay(path, |env, state| {
        builder
            .get_or_insert_with(|| Builder::new(state))
            .observe(env, state);
    })?;
    let mut builder = builder.unwrap_or_else(|| Builder::new(&replayed.state));
    Ok(builder.finish(&replayed))
}

/// Accumulates a report event by event.
struct Builder {
    series: Vec<Vec<SeriesPoint>>,
    agreements: Vec<Option<AgreementReport>>,
    moves: Vec<u64>,
    movers: Vec<BTreeMap<String, u64>>,
    ceasefires: BTreeMap<String, Vec<Moment>>,
    strikes: BTreeMap<(String, String), (u64, u64)>,
    decisions: BTreeMap<String, Vec<Decision>>,
    linkage: Vec<PackageReport>,
    cooperation: BTreeMap<u32, f64>,
    timeline: Vec<KeyEvent>,
}

impl Builder {
    fn new(state: &State) -> Builder {
        let issues = state.issues().len();
        Builder {
            series: vec![Vec::new(); issues],
            agreements: vec![None; issues],
            moves: vec![0; issues],
            movers: vec![BTreeMap::new(); issues],
            ceasefires: BTreeMap::new(),
            strikes: BTreeMap::new(),
            decisions: BTreeMap::new(),
            linkage: Vec::new(),
            cooperation: BTreeMap::new(),
            timeline: Vec::new(),
        }
    }

    fn observe(&mut self, env: &Envelope, state: &State) {
        *self.cooperation.entry(env.round).or_insert(0.0) += env.event.goldstein();
        let moment = |what: String| Moment {
            seq: env.seq,
            round: env.round,
            date: env.date,
            what,
        };
        let mut key = None;
        match &env.event {
            Event::RoundClosed(rc) => {
                for f in &rc.issues {
                    let Some(i) = state.issue(&f.issue) else {
                        continue;
                    };
                    let positions = state
                        .members(i)
                        .iter()
                        .filter_map(|&a| {
                            state
                                .held(i, a)
                                .map(|h| (state.actors()[a].clone(), h.position))
                        })
                        .collect();
                    self.series[i].push(SeriesPoint {
                        round: rc.round,
                        date: env.date,
                        mean: f.mean,
                        median: f.median,
                        positions,
                    });
                }
            }
            Event::PositionChanged(p) => {
                // The opening draws are where actors start, not moves.
                if let Some(i) = state.issue(&p.issue)
                    && !matches!(p.cause, Cause::Uncertainty { .. })
                {
                    self.moves[i] += 1;
                    *self.movers[i].entry(p.actor.clone()).or_insert(0) += 1;
                }
                if let Cause::External { note } = &p.cause {
                    key = Some(format!(
                        "{} moves on {} from {:.1} to {:.1} ({note})",
                        p.actor, p.issue, p.from, p.to
                    ));
                }
            }
            Event::AgreementSigned(a) => {
                if let Some(i) = state.issue(&a.issue) {
                    self.agreements[i] = Some(AgreementReport {
                        round: env.round,
                        date: env.date,
                        position: a.position,
                    });
                }
                key = Some(format!(
                    "agreement on {} at {:.1}, signed by {}",
                    a.issue,
                    a.position,
                    a.principals.join(", ")
                ));
            }
            Event::CeasefireAgreed(c) => {
                let what = format!(
                    "agreed by {} (mean position {:.1})",
                    c.parties.join(", "),
                    c.mean
                );
                self.ceasefires
                    .entry(c.theatre.clone())
                    .or_default()
                    .push(moment(what.clone()));
                key = Some(format!("{} ceasefire {what}", c.theatre));
            }
            Event::CeasefireViolated(v) => {
                let how = match &v.cause {
                    ViolationCause::Hazard { hazard } => format!("hazard {hazard:.3}"),
                    ViolationCause::Strike => "a strike on other opposition".to_owned(),
                    ViolationCause::External => "put into the history".to_owned(),
                };
                let what = format!("violated by {} ({how}); {} so far", v.by, v.violations);
                self.ceasefires
                    .entry(v.theatre.clone())
                    .or_default()
                    .push(moment(what.clone()));
                key = Some(format!("{} ceasefire {what}", v.theatre));
            }
            Event::CeasefireCollapsed(c) => {
                let what = format!("collapsed after {} violations", c.violations);
                self.ceasefires
                    .entry(c.theatre.clone())
                    .or_default()
                    .push(moment(what.clone()));
                key = Some(format!("{} ceasefire {what}", c.theatre));
            }
            Event::Strike(s) => {
                let counts = self
                    .strikes
                    .entry((s.striker.clone(), s.theatre.clone()))
                    .or_default();
                match s.target {
                    StrikeTarget::DesignatedTerrorists => counts.0 += 1,
                    StrikeTarget::OtherOpposition => counts.1 += 1,
                }
            }
            Event::SanctionsRenewed(d) | Event::SanctionsEased(d) | Event::SanctionsLifted(d) => {
                let decision = match &env.event {
                    Event::SanctionsRenewed(_) => "renewed",
                    Event::SanctionsEased(_) => "eased",
                    _ => "lifted",
                };
                self.decisions
                    .entry(d.regime.clone())
                    .or_default()
                    .push(Decision {
                        round: env.round,
                        date: env.date,
                        due: d.due,
                        decision: decision.to_owned(),
                        position: d.position,
                        level: d.level,
                    });
                key = Some(format!(
                    "{} {decision} {} (due {}, position {:.1}, level {:.2})",
                    d.imposer, d.regime, d.due, d.position, d.level
                ));
            }
            Event::PackageOffered(_) => {}
            Event::PackageAccepted(t)
            | Event::PackageRefused(entente_core::event::PackageRefused { terms: t, .. }) => {
                let (answer, reason) = match &env.event {
                    Event::PackageRefused(r) => (
                        "refused",
                        Some(
                            serde_json::to_value(r.reason)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default(),
                        ),
                    ),
                    _ => ("accepted", None),
                };
                key = Some(format!(
                    "{} {answer} {}'s package: {} to {:.1} on {}, {} to {:.1} on {}{}",
                    t.receiver,
                    t.offerer,
                    t.offerer,
                    t.offerer_yields.to,
                    t.offerer_yields.issue,
                    t.receiver,
                    t.receiver_yields.to,
                    t.receiver_yields.issue,
                    reason
                        .as_deref()
                        .map(|r| format!(" ({})", r.replace('_', " ")))
                        .unwrap_or_default()
                ));
                self.linkage.push(PackageReport {
                    round: env.round,
                    date: env.date,
                    offerer: t.offerer.clone(),
                    receiver: t.receiver.clone(),
                    offerer_yields: (t.offerer_yields.issue.clone(), t.offerer_yields.to),
                    receiver_yields: (t.receiver_yields.issue.clone(), t.receiver_yields.to),
                    gain: t.gain,
                    answer: answer.to_owned(),
                    reason,
                });
            }
            Event::Scripted(s) => {
                let target = s
                    .target
                    .as_deref()
                    .map(|t| format!(" → {t}"))
                    .unwrap_or_default();
                key = Some(format!("{}{target}: {}", s.actor, s.text));
            }
            Event::RiskUpdated(_) => {}
        }
        if let Some(text) = key {
            self.timeline.push(KeyEvent {
                seq: env.seq,
                round: env.round,
                date: env.date,
                event: env.event.name().to_owned(),
                cameo: env.event.cameo().to_owned(),
                text,
            });
        }
    }

    fn finish(&mut self, replayed: &Replayed) -> Report {
        let header: &Header = &replayed.header;
        let scenario = &header.scenario;
        let state = &replayed.state;
        let issues = scenario
            .issues
            .iter()
            .enumerate()
            .map(|(i, issue)| IssueReport {
                id: issue.id.clone(),
                question: issue.question.clone(),
                low: issue.low.clone(),
                high: issue.high.clone(),
                principals: issue.principals.clone(),
                forecast: self.series[i]
                    .last()
                    .map(|p| Forecasts {
                        mean: p.mean,
                        median: p.median,
                    })
                    .unwrap_or(Forecasts {
                        mean: state.mean(i),
                        median: state.median(i),
                    }),
                series: std::mem::take(&mut self.series[i]),
                agreement: self.agreements[i].clone(),
                moves: self.moves[i],
                movers: std::mem::take(&mut self.movers[i]),
            })
            .collect();
        let ceasefires = scenario
            .ceasefires
            .iter()
            .zip(state.ceasefires())
            .map(|(rule, cf)| {
                let story = self.ceasefires.remove(&rule.theatre).unwrap_or_default();
                let first = |word: &str| story.iter().find(|m| m.what.starts_with(word)).cloned();
                CeasefireReport {
                    theatre: rule.theatre.clone(),
                    issue: rule.issue.clone(),
                    parties: rule.parties.clone(),
                    status: match cf.status {
                        entente_core::state::CeasefireStatus::NotAgreed => "never agreed",
                        entente_core::state::CeasefireStatus::InForce => "in force",
                        entente_core::state::CeasefireStatus::Collapsed => "collapsed",
                    }
                    .to_owned(),
                    agreed: first("agreed"),
                    collapsed: first("collapsed"),
                    violations: story
                        .iter()
                        .filter(|m| m.what.starts_with("violated"))
                        .count() as u32,
                    story,
                }
            })
            .collect();
        let strikes = self
            .strikes
            .iter()
            .map(|((striker, theatre), &(dt, oo))| StrikeReport {
                striker: striker.clone(),
                theatre: theatre.clone(),
                designated_terrorists: dt,
                other_opposition: oo,
            })
            .collect();
        let sanctions = scenario
            .sanctions
            .iter()
            .zip(state.sanctions())
            .map(|(rule, r)| RegimeReport {
                id: rule.id.clone(),
                imposer: rule.imposer.clone(),
                target: rule.target.clone(),
                status: if r.level <= 0.0 {
                    "lifted"
                } else if r.level < 1.0 {
                    "eased"
                } else {
                    "in force"
                }
                .to_owned(),
                level: r.level,
                decisions: self.decisions.remove(&rule.id).unwrap_or_default(),
            })
            .collect();
        Report {
            scenario: scenario.id.clone(),
            title: scenario.title.clone(),
            seed: header.seed,
            engine: header.engine.clone(),
            model: serde_json::to_value(scenario.model.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            rounds: header.rounds,
            events: replayed.events,
            head: replayed.head.to_string(),
            complete: replayed.complete(),
            issues,
            ceasefires,
            strikes,
            sanctions,
            linkage: std::mem::take(&mut self.linkage),
            cooperation: self
                .cooperation
                .iter()
                .map(|(&round, &goldstein)| CooperationPoint { round, goldstein })
                .collect(),
            timeline: std::mem::take(&mut self.timeline),
        }
    }
}

/// Formats for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Plain text for a terminal.
    Text,
    /// Markdown for documents.
    Markdown,
}

impl Report {
    /// The report as text or Markdown.
    pub fn render(&self, style: Style) -> String {
        let md = style == Style::Markdown;
        let mut out = String::new();
        let h = |out: &mut String, level: usize, title: &str| {
            if md {
                let _ = writeln!(out, "\n{} {title}\n", "#".repeat(level));
            } else if level == 1 {
                let _ = writeln!(out, "{title}");
            } else {
                let _ = writeln!(out, "\n{}\n{}", title, "-".repeat(title.chars().count()));
            }
        };
        h(&mut out, 1, &format!("{} ({})", self.title, self.scenario));
        let _ = writeln!(
            out,
            "{}seed {} · {} rounds · {} events · {} model · engine {}{}",
            if md { "\n" } else { "" },
            self.seed,
            self.rounds,
            self.events,
            self.model,
            self.engine,
            if md { "  " } else { "" }
        );
        let _ = writeln!(
            out,
            "fingerprint {}",
            if md {
                format!("`{}`", self.head)
            } else {
                self.head.clone()
            }
        );
        if !self.complete {
            let _ = writeln!(
                out,
                "\nThis log is incomplete: the run stopped before its last round."
            );
        }

        h(&mut out, 2, "Issues");
        for issue in &self.issues {
            let start = issue.series.first();
            if md {
                let _ = writeln!(
                    out,
                    "### {}\n\n{} (0 = {}, 100 = {})\n",
                    issue.id, issue.question, issue.low, issue.high
                );
            } else {
                let _ = writeln!(
                    out,
                    "{} — {}\n  0 = {}, 100 = {}",
                    issue.id, issue.question, issue.low, issue.high
                );
            }
            let bullet = if md { "- " } else { "  " };
            if let Some(s) = start {
                let _ = writeln!(
                    out,
                    "{bullet}forecast: mean {:.1}, median {:.1} (round 0: mean {:.1}, median {:.1}); {} moves",
                    issue.forecast.mean, issue.forecast.median, s.mean, s.median, issue.moves
                );
            }
            let _ = match &issue.agreement {
                Some(a) => writeln!(
                    out,
                    "{bullet}agreement signed in round {} ({}) at {:.1}",
                    a.round, a.date, a.position
                ),
                None => writeln!(out, "{bullet}no agreement"),
            };
            let (Some(first), Some(last)) = (issue.series.first(), issue.series.last()) else {
                continue;
            };
            if md {
                let _ = writeln!(
                    out,
                    "\n| principal | round 0 | round {} | change | path (0–100) |\n|---|---:|---:|---:|---|",
                    last.round
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {:<10} {:>8} {:>8} {:>8}  path (0–100)",
                    "principal",
                    "round 0",
                    format!("round {}", last.round),
                    "change"
                );
            }
            for p in &issue.principals {
                let (Some(a), Some(b)) = (first.positions.get(p), last.positions.get(p)) else {
                    continue;
                };
                let path: Vec<f64> = issue
                    .series
                    .iter()
                    .filter_map(|point| point.positions.get(p).copied())
                    .collect();
                let path = scale_line(&path, 0.0, 100.0);
                if md {
                    let _ = writeln!(out, "| {p} | {a:.1} | {b:.1} | {:+.1} | `{path}` |", b - a);
                } else {
                    let _ = writeln!(out, "  {p:<10} {a:>8.1} {b:>8.1} {:>+8.1}  {path}", b - a);
                }
            }
            // The other actors who moved, most moves first.
            let mut others: Vec<(&String, u64)> = issue
                .movers
                .iter()
                .filter(|(actor, _)| !issue.principals.contains(actor))
                .map(|(actor, &n)| (actor, n))
                .collect();
            others.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
            if !others.is_empty() {
                let listed: Vec<String> = others
                    .iter()
                    .take(6)
                    .filter_map(|(actor, n)| {
                        let (a, b) = (first.positions.get(*actor)?, last.positions.get(*actor)?);
                        let moves = if *n == 1 { "move" } else { "moves" };
                        Some(format!("{actor} {a:.1} → {b:.1} ({n} {moves})"))
                    })
                    .collect();
                let more = others.len().saturating_sub(6);
                let _ = writeln!(
                    out,
                    "{}others who moved: {}{}",
                    if md { "\n" } else { "  " },
                    listed.join(", "),
                    if more > 0 {
                        format!(", and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
            if md {
                out.push('\n');
            }
        }

        if !self.ceasefires.is_empty() {
            h(&mut out, 2, "Ceasefires");
            for c in &self.ceasefires {
                let _ = writeln!(
                    out,
                    "{}{} ({} between {}): {}, {} violation(s)",
                    if md { "- **" } else { "" },
                    c.theatre,
                    c.issue,
                    c.parties.join(", "),
                    c.status,
                    c.violations
                );
                for m in &c.story {
                    let _ = writeln!(
                        out,
                        "{}round {} ({}): {}",
                        if md { "  - " } else { "    " },
                        m.round,
                        m.date,
                        m.what
                    );
                }
            }
            if md {
                out = out.replace("- **", "- ");
            }
        }

        if !self.strikes.is_empty() {
            h(&mut out, 2, "Strikes");
            for s in &self.strikes {
                let total = s.designated_terrorists + s.other_opposition;
                let _ = writeln!(
                    out,
                    "{}{} in {}: {} strikes, {} on designated terrorists, {} on other armed opposition",
                    if md { "- " } else { "  " },
                    s.striker,
                    s.theatre,
                    total,
                    s.designated_terrorists,
                    s.other_opposition
                );
            }
        }

        if !self.sanctions.is_empty() {
            h(&mut out, 2, "Sanctions");
            for r in &self.sanctions {
                let _ = writeln!(
                    out,
                    "{}{} ({} on {}): {} at level {:.2}",
                    if md { "- " } else { "" },
                    r.id,
                    r.imposer,
                    r.target,
                    r.status,
                    r.level
                );
                if r.decisions.is_empty() {
                    let _ = writeln!(
                        out,
                        "{}no renewal fell within the run",
                        if md { "  - " } else { "    " }
                    );
                }
                for d in &r.decisions {
                    let _ = writeln!(
                        out,
                        "{}due {}: {} by {} at position {:.1} (round {})",
                        if md { "  - " } else { "    " },
                        d.due,
                        d.decision,
                        r.imposer,
                        d.position,
                        d.round
                    );
                }
            }
        }

        h(&mut out, 2, "Packages");
        if self.linkage.is_empty() {
            let _ = writeln!(out, "{}none offered", if md { "" } else { "  " });
        }
        for p in &self.linkage {
            let _ = writeln!(
                out,
                "{}round {} ({}): {} offered {}: {} to {:.1} on {}, {} to {:.1} on {} (gain {:.2} each) — {}{}",
                if md { "- " } else { "  " },
                p.round,
                p.date,
                p.offerer,
                p.receiver,
                p.offerer,
                p.offerer_yields.1,
                p.offerer_yields.0,
                p.receiver,
                p.receiver_yields.1,
                p.receiver_yields.0,
                p.gain,
                p.answer,
                p.reason
                    .as_deref()
                    .map(|r| format!(" ({})", r.replace('_', " ")))
                    .unwrap_or_default()
            );
        }

        h(&mut out, 2, "Cooperation");
        let _ = writeln!(
            out,
            "{}Goldstein sum per round (−10 conflict … +10 cooperation per event): {}",
            if md { "" } else { "  " },
            sparkline(
                &self
                    .cooperation
                    .iter()
                    .map(|c| c.goldstein)
                    .collect::<Vec<_>>()
            )
        );
        let values: Vec<String> = self
            .cooperation
            .iter()
            .map(|c| format!("{}:{:+.1}", c.round, c.goldstein))
            .collect();
        let _ = writeln!(out, "{}{}", if md { "\n" } else { "  " }, values.join(" "));
        out
    }
}

/// A sparkline scaled to the values' own range.
/// A sparkline scaled to the values' own range.
fn sparkline(values: &[f64]) -> String {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    scale_line(values, lo, hi)
}

/// A sparkline of `values` on the fixed range `lo..=hi`.
fn scale_line(values: &[f64], lo: f64, hi: f64) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|&v| {
            if hi > lo {
                BARS[(((v - lo) / (hi - lo)).clamp(0.0, 1.0) * 7.0).round() as usize]
            } else {
                BARS[3]
            }
        })
        .collect()
}
