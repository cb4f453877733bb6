//! The report told in prose: [`tell`] says what is in a report once, and a
//! [`Layout`] for each format (plain text, Markdown) decides how it looks.

use std::fmt::Write as _;

use super::{IssueReport, Report, refusal_words};

/// How one format lays out the parts of a story.
pub(super) trait Layout {
    /// The report's title.
    fn title(&mut self, text: &str);
    /// The lines under the title (seed, fingerprint…).
    fn meta(&mut self, lines: &[String]);
    /// A section heading.
    fn section(&mut self, title: &str);
    /// A topic within a section (an issue), with a line about it.
    fn topic(&mut self, title: &str, about: &str);
    /// A point.
    fn item(&mut self, text: &str);
    /// A point under the last one.
    fn detail(&mut self, text: &str);
    /// A paragraph.
    fn note(&mut self, text: &str);
    /// A table: each column's heading and whether it holds numbers.
    fn table(&mut self, columns: &[(&str, bool)], rows: &[Vec<String>]);
    /// Text set as code (a fingerprint, a sparkline).
    fn code(&self, text: &str) -> String;
}

/// Tells `report` through `out`.
pub(super) fn tell(report: &Report, out: &mut impl Layout) {
    out.title(&format!("{} ({})", report.title, report.scenario));
    out.meta(&[
        format!(
            "seed {} · {} rounds · {} events · {} model · engine {}",
            report.seed, report.rounds, report.events, report.model, report.engine
        ),
        format!("fingerprint {}", out.code(&report.head)),
    ]);
    if !report.complete {
        out.note("This log is incomplete: the run stopped before its last round.");
    }
    out.section("Outcomes");
    if report.outcomes.is_empty() {
        out.note("none of the outcomes a sweep counts happened");
    }
    for h in &report.outcomes {
        out.item(&format!("{} in round {} ({})", h.outcome, h.round, h.date));
    }
    tell_bargaining(report, out);
    out.section("Issues");
    for issue in &report.issues {
        tell_issue(issue, out);
    }
    tell_ceasefires(report, out);
    tell_strikes_and_sanctions(report, out);
    tell_packages(report, out);
    tell_model_rounds(report, out);
    out.section("Cooperation");
    let values: Vec<f64> = report.cooperation.iter().map(|c| c.goldstein).collect();
    out.note(&format!(
        "Goldstein sum per round (−10 conflict … +10 cooperation per event): {}",
        sparkline(&values)
    ));
    let per_round: Vec<String> = report
        .cooperation
        .iter()
        .map(|c| format!("{}:{:+.1}", c.round, c.goldstein))
        .collect();
    out.note(&per_round.join(" "));
}

fn tell_bargaining(report: &Report, out: &mut impl Layout) {
    out.note(&format!("Bargaining: {}.", report.bargaining.words()));
}

fn tell_issue(issue: &IssueReport, out: &mut impl Layout) {
    out.topic(
        &format!("{} — {}", issue.id, issue.question),
        &format!("0 = {}, 100 = {}", issue.low, issue.high),
    );
    let (Some(first), Some(last)) = (issue.series.first(), issue.series.last()) else {
        out.item("no round closed");
        return;
    };
    out.item(&format!(
        "forecast: mean {:.1}, median {:.1} (round 0: mean {:.1}, median {:.1}); {} moves",
        issue.forecast.mean, issue.forecast.median, first.mean, first.median, issue.moves
    ));
    out.item(&match &issue.agreement {
        Some(a) => {
            let spoilers = if a.spoilers.is_empty() {
                String::new()
            } else {
                format!("; refused by {} (not bound)", a.spoilers.join(", "))
            };
            let stage = match (a.stage.as_deref(), a.steps) {
                (Some(stage), Some(steps)) => {
                    format!("; {stage} at the end, {steps} step(s) carried out")
                }
                _ => String::new(),
            };
            format!(
                "agreement signed in round {} ({}) at {:.1}{spoilers}{stage}",
                a.round, a.date, a.position
            )
        }
        None => "no agreement".to_owned(),
    });
    let rows: Vec<Vec<String>> = issue
        .principals
        .iter()
        .filter_map(|p| {
            let (a, b) = (first.positions.get(p)?, last.positions.get(p)?);
            let path: Vec<f64> = issue
                .series
                .iter()
                .filter_map(|point| point.positions.get(p).copied())
                .collect();
            Some(vec![
                p.clone(),
                format!("{a:.1}"),
                format!("{b:.1}"),
                format!("{:+.1}", b - a),
                out.code(&scale_line(&path, 0.0, 100.0)),
            ])
        })
        .collect();
    let last_round = format!("round {}", last.round);
    out.table(
        &[
            ("principal", false),
            ("round 0", true),
            (&last_round, true),
            ("change", true),
            ("path (0–100)", false),
        ],
        &rows,
    );
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
        let more = if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        };
        out.note(&format!("others who moved: {}{more}", listed.join(", ")));
    }
}

fn tell_ceasefires(report: &Report, out: &mut impl Layout) {
    if report.ceasefires.is_empty() {
        return;
    }
    out.section("Ceasefires");
    for c in &report.ceasefires {
        let brokers = if c.brokers.is_empty() {
            String::new()
        } else {
            format!("; brokered by {}", c.brokers.join(", "))
        };
        out.item(&format!(
            "{} ({} between {}{brokers}): {}, {} violation(s)",
            c.theatre,
            c.issue,
            c.parties.join(", "),
            c.status,
            c.violations
        ));
        if c.in_force_at_start {
            out.detail("in force when the run started");
        }
        for m in &c.story {
            out.detail(&format!("round {} ({}): {}", m.round, m.date, m.what));
        }
    }
}

fn tell_strikes_and_sanctions(report: &Report, out: &mut impl Layout) {
    if !report.strikes.is_empty() {
        out.section("Strikes");
        for s in &report.strikes {
            let threatened = if s.threatened > 0 {
                format!(", {} on a threatened actor's forces", s.threatened)
            } else {
                String::new()
            };
            out.item(&format!(
                "{} in {}: {} strikes, {} on designated terrorists, {} on other armed opposition{threatened}",
                s.striker,
                s.theatre,
                s.designated_terrorists + s.other_opposition + s.threatened,
                s.designated_terrorists,
                s.other_opposition
            ));
        }
    }
    if !report.threats.is_empty() {
        out.section("Threats");
        for t in &report.threats {
            out.item(&format!(
                "{} ({} against {}): {}, deadline {}{}",
                t.id,
                t.actor,
                t.target,
                t.status.replace('_', " "),
                t.deadline,
                if t.extended { " (extended once)" } else { "" }
            ));
        }
    }
    if report.sanctions.is_empty() {
        return;
    }
    out.section("Sanctions");
    for r in &report.sanctions {
        out.item(&format!(
            "{} ({} on {}): {} at level {:.2}",
            r.id, r.imposer, r.target, r.status, r.level
        ));
        if r.decisions.is_empty() {
            out.detail("no renewal fell within the run");
        }
        for d in &r.decisions {
            if d.votes.is_empty() {
                out.detail(&format!(
                    "due {}: {} by {} at position {:.1} (round {})",
                    d.due, d.decision, r.imposer, d.position, d.round
                ));
            } else {
                let votes: Vec<String> = d
                    .votes
                    .iter()
                    .map(|(who, v)| format!("{who} {}", vote_word(*v)))
                    .collect();
                out.detail(&format!(
                    "due {}: {} by vote ({}), pivotal position {:.1} (round {})",
                    d.due,
                    d.decision,
                    votes.join(", "),
                    d.position,
                    d.round
                ));
            }
        }
    }
}

fn tell_packages(report: &Report, out: &mut impl Layout) {
    out.section("Packages");
    if report.packages.is_empty() {
        out.note("none offered");
    }
    for p in &report.packages {
        out.item(&format!(
            "round {} ({}): {} offered {}: {} to {:.1} on {}, {} to {:.1} on {} (gain {:.2} each) — {}{}",
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
                .map(|r| format!(" ({})", refusal_words(r)))
                .unwrap_or_default()
        ));
    }
}

/// The spatial model's win probabilities, or the exchange model's rounds.
fn tell_model_rounds(report: &Report, out: &mut impl Layout) {
    if let (Some(first), Some(last)) = (report.assessments.first(), report.assessments.last()) {
        out.section("Spatial model: the chance each position wins");
        out.note("The probability that each actor's position wins a probabilistic Condorcet election among all positions, state by state (KTAB's output).");
        let rows: Vec<Vec<String>> = first
            .win_probabilities
            .iter()
            .map(|(actor, p)| {
                let path: Vec<f64> = report
                    .assessments
                    .iter()
                    .filter_map(|a| a.win_probabilities.get(actor).copied())
                    .collect();
                vec![
                    actor.clone(),
                    format!("{p:.3}"),
                    last.win_probabilities
                        .get(actor)
                        .map_or("–".to_owned(), |q| format!("{q:.3}")),
                    out.code(&scale_line(&path, 0.0, 1.0)),
                ]
            })
            .collect();
        let (a, b) = (
            format!("round {}", first.round),
            format!("round {}", last.round),
        );
        out.table(
            &[
                ("actor", false),
                (&a, true),
                (&b, true),
                ("path (0–1)", false),
            ],
            &rows,
        );
    }
    if report.exchange_rounds.is_empty() {
        return;
    }
    out.section("Exchange model: rounds");
    for x in &report.exchange_rounds {
        let outcomes: Vec<String> = x
            .outcomes
            .iter()
            .map(|(issue, o)| format!("{issue} {o:.1}"))
            .collect();
        let ties = match x.ties {
            0 => String::new(),
            1 => ", 1 tie settled by the run's stream".to_owned(),
            n => format!(", {n} ties settled by the run's stream"),
        };
        out.item(&format!(
            "round {}: {} of {} candidate exchanges realised{ties}; outcomes of the voting positions: {}",
            x.round,
            x.realised,
            x.candidates,
            outcomes.join(", ")
        ));
    }
}

/// Plain text for a terminal.
#[derive(Debug, Default)]
pub(super) struct Text {
    out: String,
}

impl Text {
    pub(super) fn finish(self) -> String {
        self.out
    }
}

impl Layout for Text {
    fn title(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
    }

    fn meta(&mut self, lines: &[String]) {
        for line in lines {
            let _ = writeln!(self.out, "{line}");
        }
    }

    fn section(&mut self, title: &str) {
        let _ = writeln!(self.out, "\n{title}\n{}", "-".repeat(title.chars().count()));
    }

    fn topic(&mut self, title: &str, about: &str) {
        if !self.out.ends_with("-\n") {
            self.out.push('\n');
        }
        let _ = writeln!(self.out, "{title}\n  {about}");
    }

    fn item(&mut self, text: &str) {
        let _ = writeln!(self.out, "  {text}");
    }

    fn detail(&mut self, text: &str) {
        let _ = writeln!(self.out, "    {text}");
    }

    fn note(&mut self, text: &str) {
        let _ = writeln!(self.out, "  {text}");
    }

    fn table(&mut self, columns: &[(&str, bool)], rows: &[Vec<String>]) {
        let width = |k: usize| {
            rows.iter()
                .map(|r| r.get(k).map_or(0, |c| c.chars().count()))
                .chain([columns[k].0.chars().count()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..columns.len()).map(width).collect();
        let line = |cells: Vec<&str>| -> String {
            let padded: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(k, c)| match columns[k].1 {
                    true => format!("{c:>w$}", w = widths[k]),
                    false => format!("{c:<w$}", w = widths[k]),
                })
                .collect();
            format!("  {}", padded.join("  ").trim_end())
        };
        let _ = writeln!(self.out, "{}", line(columns.iter().map(|c| c.0).collect()));
        for row in rows {
            let _ = writeln!(
                self.out,
                "{}",
                line(row.iter().map(String::as_str).collect())
            );
        }
    }

    fn code(&self, text: &str) -> String {
        text.to_owned()
    }
}

/// Markdown for documents: every block set apart by a blank line.
#[derive(Debug, Default)]
pub(super) struct Markdown {
    out: String,
    in_list: bool,
}

impl Markdown {
    pub(super) fn finish(self) -> String {
        self.out
    }

    /// Starts a block: a blank line after whatever came before.
    fn block(&mut self) {
        self.in_list = false;
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }
}

impl Layout for Markdown {
    fn title(&mut self, text: &str) {
        self.block();
        let _ = writeln!(self.out, "# {text}");
    }

    fn meta(&mut self, lines: &[String]) {
        self.block();
        // Two trailing spaces break the line within one paragraph.
        let _ = writeln!(self.out, "{}", lines.join("  \n"));
    }

    fn section(&mut self, title: &str) {
        self.block();
        let _ = writeln!(self.out, "## {title}");
    }

    fn topic(&mut self, title: &str, about: &str) {
        self.block();
        let _ = writeln!(self.out, "### {title}\n\n{about}");
    }

    fn item(&mut self, text: &str) {
        if !self.in_list {
            self.block();
            self.in_list = true;
        }
        let _ = writeln!(self.out, "- {text}");
    }

    fn detail(&mut self, text: &str) {
        let _ = writeln!(self.out, "  - {text}");
    }

    fn note(&mut self, text: &str) {
        self.block();
        let _ = writeln!(self.out, "{text}");
    }

    fn table(&mut self, columns: &[(&str, bool)], rows: &[Vec<String>]) {
        self.block();
        let heads: Vec<&str> = columns.iter().map(|c| c.0).collect();
        let rules: Vec<&str> = columns
            .iter()
            .map(|c| if c.1 { "---:" } else { "---" })
            .collect();
        let _ = writeln!(self.out, "| {} |\n|{}|", heads.join(" | "), rules.join("|"));
        for row in rows {
            let _ = writeln!(self.out, "| {} |", row.join(" | "));
        }
    }

    fn code(&self, text: &str) -> String {
        format!("`{text}`")
    }
}

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

/// A member's vote in words.
fn vote_word(v: entente_core::event::Vote) -> &'static str {
    match v {
        entente_core::event::Vote::Renew => "renew",
        entente_core::event::Vote::Ease => "ease",
        entente_core::event::Vote::Lift => "lift",
    }
}
