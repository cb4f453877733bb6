//! A run's report told as a document: what every format prints.

use crate::render::chart::{
    Axis, Chart, Columns, Kind, Lines, Mark, Note, Series, Style as LineStyle,
};
use crate::render::doc::{sparkline, sparkline_own};
use crate::render::{Block, Document, Figure, Inline, Item, Meta, Section, Table};

use super::{IssueReport, Report, refusal_words};

/// The report of one run, as a document.
pub(super) fn document(report: &Report) -> Document {
    let mut blocks = Vec::new();
    if !report.complete {
        blocks.push(Block::Alert(Inline::plain(
            "This log is incomplete: it ends before its last round (the run stopped, or is still being written).",
        )));
    }
    blocks.push(outcomes(report).into());
    blocks.push(issues(report).into());
    blocks.extend(fronts(report).map(Block::from));
    blocks.push(timeline(report).into());
    blocks.extend(ceasefires(report).map(Block::from));
    blocks.extend(strikes(report).map(Block::from));
    blocks.extend(threats(report).map(Block::from));
    blocks.extend(groups(report).map(Block::from));
    blocks.extend(sanctions(report).map(Block::from));
    blocks.push(packages(report).into());
    blocks.extend(assessments(report).map(Block::from));
    blocks.extend(exchange_rounds(report).map(Block::from));
    blocks.push(cooperation(report).into());
    Document {
        title: report.title.clone(),
        meta: vec![
            Meta::new("scenario", Inline::code(&report.scenario)),
            Meta::new("seed", report.seed.to_string()),
            Meta::new("rounds", report.rounds.to_string()),
            Meta::new("events", report.events.to_string()),
            Meta::new("model", report.model.clone()),
            Meta::new("engine", format!("entente {}", report.engine)),
            Meta::new("fingerprint", Inline::code(&report.head)),
        ],
        blocks,
    }
}

fn outcomes(report: &Report) -> Section {
    let mut s = Section::new(Some("outcomes".to_owned()), "Outcomes");
    if report.outcomes.is_empty() {
        s.paragraph("None of the outcomes a sweep counts happened.");
    } else {
        s.push(Block::List(
            report
                .outcomes
                .iter()
                .map(|h| {
                    Item::new(
                        Inline::code(&h.outcome)
                            .then(format!(" in round {} ({})", h.round, h.date)),
                    )
                })
                .collect(),
        ));
    }
    s.paragraph(Inline::strong("Bargaining:").then(format!(" {}.", report.bargaining.words())));
    s
}

fn issues(report: &Report) -> Section {
    let mut s = Section::new(Some("issues".to_owned()), "Issues");
    for issue in &report.issues {
        s.push(issue_section(issue, report.rounds).into());
    }
    s
}

fn issue_section(issue: &IssueReport, rounds: u32) -> Section {
    let mut s = Section::new(
        None,
        Inline::code(&issue.id).then(format!(" — {}", issue.question)),
    );
    s.paragraph(format!("0 = {}, 100 = {}", issue.low, issue.high));
    let (Some(first), Some(last)) = (issue.series.first(), issue.series.last()) else {
        s.paragraph("No round closed.");
        return s;
    };
    s.push(Block::List(vec![
        Item::new(format!(
            "forecast: mean {:.1}, median {:.1} (round 0: mean {:.1}, median {:.1}); {} moves",
            issue.forecast.mean, issue.forecast.median, first.mean, first.median, issue.moves
        )),
        Item::new(agreement_words(issue)),
    ]));
    s.push(Block::figure(issue_figure(issue, rounds)));
    let last_round = format!(">round {}", last.round);
    let mut t = Table::new(&[
        "principal",
        ">round 0",
        &last_round,
        ">change",
        "path (0–100)",
    ]);
    for p in &issue.principals {
        let (Some(a), Some(b)) = (first.positions.get(p), last.positions.get(p)) else {
            continue;
        };
        let path: Vec<f64> = issue
            .series
            .iter()
            .filter_map(|point| point.positions.get(p).copied())
            .collect();
        t.rows.push(vec![
            Inline::plain(p.clone()),
            format!("{a:.1}").into(),
            format!("{b:.1}").into(),
            format!("{:+.1}", b - a).into(),
            Inline::code(sparkline(&path, 0.0, 100.0)),
        ]);
    }
    s.push(t.into());
    if let Some(others) = others_who_moved(issue) {
        s.paragraph(others);
    }
    s
}

fn agreement_words(issue: &IssueReport) -> String {
    let Some(a) = &issue.agreement else {
        return "no agreement".to_owned();
    };
    let spoilers = if a.spoilers.is_empty() {
        String::new()
    } else {
        format!("; refused by {} (not bound)", a.spoilers.join(", "))
    };
    let stage = match (a.stage.as_deref(), a.steps) {
        (Some(stage), Some(steps)) => format!("; {stage} at the end, {steps} step(s) carried out"),
        _ => String::new(),
    };
    format!(
        "agreement signed in round {} ({}) at {:.1}{spoilers}{stage}",
        a.round, a.date, a.position
    )
}

/// The actors other than the principals who moved, most moves first.
fn others_who_moved(issue: &IssueReport) -> Option<String> {
    let (first, last) = (issue.series.first()?, issue.series.last()?);
    let mut others: Vec<(&String, u64)> = issue
        .movers
        .iter()
        .filter(|(actor, _)| !issue.principals.contains(actor))
        .map(|(actor, &n)| (actor, n))
        .collect();
    if others.is_empty() {
        return None;
    }
    others.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    let listed: Vec<String> = others
        .iter()
        .take(6)
        .filter_map(|(actor, n)| {
            let (a, b) = (first.positions.get(*actor)?, last.positions.get(*actor)?);
            let moves = if *n == 1 { "move" } else { "moves" };
            Some(format!("{actor} {a:.1} → {b:.1} ({n} {moves})"))
        })
        .collect();
    let more = match others.len().saturating_sub(6) {
        0 => String::new(),
        n => format!(", and {n} more"),
    };
    Some(format!("others who moved: {}{more}", listed.join(", ")))
}

/// The chart of one issue: every principal's position by round, the
/// weighted mean and median over them, and the agreement if one was signed;
/// its numbers round by round.
fn issue_figure(issue: &IssueReport, rounds: u32) -> Figure {
    let series_of = |f: &dyn Fn(&super::SeriesPoint) -> Option<f64>| -> Vec<(f64, f64)> {
        issue
            .series
            .iter()
            .filter_map(|p| f(p).map(|y| (f64::from(p.round), y)))
            .collect()
    };
    let mut series: Vec<Series> = issue
        .principals
        .iter()
        .enumerate()
        .map(|(k, p)| Series {
            name: p.clone(),
            points: series_of(&|point| point.positions.get(p).copied()),
            style: LineStyle::Peer(k),
        })
        .collect();
    series.push(Series {
        name: "weighted mean".to_owned(),
        points: series_of(&|p| Some(p.mean)),
        style: LineStyle::Summary,
    });
    series.push(Series {
        name: "weighted median".to_owned(),
        points: series_of(&|p| Some(p.median)),
        style: LineStyle::Secondary,
    });
    let words = |text: &str| {
        let short: String = text.chars().take(70).collect();
        if short.len() < text.len() {
            format!("{short}…")
        } else {
            short
        }
    };
    let marks = issue
        .agreement
        .iter()
        .map(|a| Mark {
            x: f64::from(a.round),
            y: a.position,
            label: format!("agreed at {:.1}", a.position),
        })
        .collect();
    let agreed = issue
        .agreement
        .as_ref()
        .map(|a| {
            format!(
                " An agreement was signed in round {} at {:.1}.",
                a.round, a.position
            )
        })
        .unwrap_or_default();
    let chart = Chart {
        title: issue.id.clone(),
        alt: format!("{}: positions by round", issue.id),
        description: format!(
            "{} Lines show each principal's position by round, with the weighted mean (solid black) and weighted median (dashed grey).{agreed}",
            issue.question
        ),
        height: 380,
        kind: Kind::Lines(Lines {
            x: Axis::new("round", 0.0, f64::from(rounds.max(1))),
            y: Axis::new("position (0–100)", 0.0, 100.0),
            series,
            marks,
            notes: vec![
                Note {
                    x: 0.3,
                    y: 97.0,
                    text: format!("100: {}", words(&issue.high)),
                },
                Note {
                    x: 0.3,
                    y: 6.0,
                    text: format!("0: {}", words(&issue.low)),
                },
            ],
            bands: Vec::new(),
        }),
    };
    let start = issue.series.first();
    Figure {
        id: format!("issue-{}", issue.id),
        chart,
        caption: Inline::strong(&issue.id).then(format!(
            ": {} Final forecast: weighted mean {:.1}, weighted median {:.1}{}; {} moves.",
            issue.question,
            issue.forecast.mean,
            issue.forecast.median,
            start
                .map(|s| format!(" (round 0: {:.1} and {:.1})", s.mean, s.median))
                .unwrap_or_default(),
            issue.moves
        )),
        data: Some((
            format!("{} by round, as numbers", issue.id),
            issue_numbers(issue),
        )),
    }
}

/// An issue's chart as numbers: the forecasts and every principal's
/// position, round by round.
fn issue_numbers(issue: &IssueReport) -> Table {
    let mut columns = vec![
        ">round".to_owned(),
        "date".to_owned(),
        ">mean".to_owned(),
        ">median".to_owned(),
    ];
    columns.extend(issue.principals.iter().map(|p| format!(">{p}")));
    let mut data = Table::new(&columns.iter().map(String::as_str).collect::<Vec<_>>());
    for point in &issue.series {
        let mut row: Vec<Inline> = vec![
            point.round.to_string().into(),
            point.date.to_string().into(),
            format!("{:.2}", point.mean).into(),
            format!("{:.2}", point.median).into(),
        ];
        row.extend(issue.principals.iter().map(|p| {
            point
                .positions
                .get(p)
                .map_or(String::new(), |x| format!("{x:.2}"))
                .into()
        }));
        data.rows.push(row);
    }
    data
}

fn timeline(report: &Report) -> Section {
    let mut s = Section::new(Some("timeline".to_owned()), "Key events");
    let mut t = Table::new(&[">seq", "date", ">round", "event", "CAMEO", "what happened"]);
    for e in &report.timeline {
        t.row([
            e.seq.to_string(),
            e.date.to_string(),
            e.round.to_string(),
            e.event.clone(),
            e.cameo.clone(),
            e.text.clone(),
        ]);
    }
    s.push(t.into());
    s
}

fn ceasefires(report: &Report) -> Option<Section> {
    if report.ceasefires.is_empty() {
        return None;
    }
    let mut s = Section::new(Some("ceasefires".to_owned()), "Ceasefires");
    let items = report
        .ceasefires
        .iter()
        .map(|c| {
            let brokers = if c.brokers.is_empty() {
                String::new()
            } else {
                format!("; brokered by {}", c.brokers.join(", "))
            };
            let mut details = Vec::new();
            if c.in_force_at_start {
                details.push(Inline::plain("in force when the run started"));
            }
            details.extend(
                c.story
                    .iter()
                    .map(|m| Inline::plain(format!("round {} ({}): {}", m.round, m.date, m.what))),
            );
            let held = c.held.as_ref().map_or(String::new(), |h| {
                format!(
                    "; first spell held {:.0} week(s){}",
                    h.weeks,
                    if h.collapsed {
                        " to its collapse"
                    } else {
                        " to the run's end"
                    }
                )
            });
            Item {
                text: Inline::strong(&c.theatre).then(format!(
                    " ({} between {}{brokers}): {}, {} violation(s){held}",
                    c.issue,
                    c.parties.join(", "),
                    c.status,
                    c.violations
                )),
                details,
            }
        })
        .collect();
    s.push(Block::List(items));
    Some(s)
}

fn strikes(report: &Report) -> Option<Section> {
    if report.strikes.is_empty() {
        return None;
    }
    let mut s = Section::new(Some("strikes".to_owned()), "Strikes");
    let mut t = Table::new(&[
        "striker",
        "theatre",
        ">strikes",
        ">on designated terrorists",
        ">on other armed opposition",
        ">on threatened forces",
    ]);
    for x in &report.strikes {
        t.row([
            x.striker.clone(),
            x.theatre.clone(),
            (x.designated_terrorists + x.other_opposition + x.threatened).to_string(),
            x.designated_terrorists.to_string(),
            x.other_opposition.to_string(),
            x.threatened.to_string(),
        ]);
    }
    s.push(t.into());
    Some(s)
}

fn threats(report: &Report) -> Option<Section> {
    if report.threats.is_empty() {
        return None;
    }
    let mut s = Section::new(Some("threats".to_owned()), "Threats");
    let mut t = Table::new(&["threat", "by", "against", "at the end", "deadline"]);
    for x in &report.threats {
        t.row([
            x.id.clone(),
            x.actor.clone(),
            x.target.clone(),
            x.status.replace('_', " "),
            format!(
                "{}{}",
                x.deadline,
                if x.extended { " (extended once)" } else { "" }
            ),
        ]);
    }
    s.push(t.into());
    Some(s)
}

fn groups(report: &Report) -> Option<Section> {
    if report.groups.is_empty() {
        return None;
    }
    let mut s = Section::new(Some("groups".to_owned()), "Group packages");
    let mut t = Table::new(&[
        "parties",
        "accepted",
        "why not: the best package found at the end",
    ]);
    for g in &report.groups {
        let why = if g.accepted {
            String::new()
        } else if g.best_gains.is_empty() {
            "nothing to trade: a party stands where the others would move it".to_owned()
        } else {
            let terms: Vec<String> = g
                .parties
                .iter()
                .zip(&g.best_shares)
                .zip(&g.best_gains)
                .map(|((p, share), gain)| {
                    format!("{p} concedes {:.0}% and gains {gain:+.3}", share * 100.0)
                })
                .collect();
            let losers = if g.losers.is_empty() {
                String::new()
            } else {
                format!("; {} would not gain", g.losers.join(", "))
            };
            format!("{}{losers}", terms.join(", "))
        };
        t.row([
            g.parties.join(" + "),
            if g.accepted { "yes" } else { "no" }.to_owned(),
            why,
        ]);
    }
    s.push(t.into());
    Some(s)
}

fn sanctions(report: &Report) -> Option<Section> {
    if report.sanctions.is_empty() {
        return None;
    }
    let mut s = Section::new(Some("sanctions".to_owned()), "Sanctions");
    let items = report
        .sanctions
        .iter()
        .map(|r| {
            let mut details: Vec<Inline> = r
                .decisions
                .iter()
                .map(|d| {
                    let by = if d.votes.is_empty() {
                        format!("by {} at position {:.1}", r.imposer, d.position)
                    } else {
                        let votes: Vec<String> = d
                            .votes
                            .iter()
                            .map(|(who, v)| format!("{who} {}", vote_word(*v)))
                            .collect();
                        format!(
                            "by vote ({}), pivotal position {:.1}",
                            votes.join(", "),
                            d.position
                        )
                    };
                    Inline::plain(format!(
                        "due {}: {} {by}, level {:.2} (round {})",
                        d.due, d.decision, d.level, d.round
                    ))
                })
                .collect();
            if details.is_empty() {
                details.push(Inline::plain("no renewal fell within the run"));
            }
            Item {
                text: Inline::strong(&r.id).then(format!(
                    " ({} on {}): {} at level {:.2}",
                    r.imposer, r.target, r.status, r.level
                )),
                details,
            }
        })
        .collect();
    s.push(Block::List(items));
    Some(s)
}

fn packages(report: &Report) -> Section {
    let mut s = Section::new(Some("packages".to_owned()), "Packages");
    if report.packages.is_empty() {
        s.paragraph("None offered.");
        return s;
    }
    let mut t = Table::new(&[">round", "offer", ">gain each", "answer"]);
    for p in &report.packages {
        t.row([
            p.round.to_string(),
            format!(
                "{} offers {}: {} to {:.1} on {}, {} to {:.1} on {}",
                p.offerer,
                p.receiver,
                p.offerer,
                p.offerer_yields.1,
                p.offerer_yields.0,
                p.receiver,
                p.receiver_yields.1,
                p.receiver_yields.0
            ),
            format!("{:.2}", p.gain),
            format!(
                "{}{}",
                p.answer,
                p.reason
                    .map(|r| format!(" ({})", refusal_words(r)))
                    .unwrap_or_default()
            ),
        ]);
    }
    s.push(t.into());
    s
}

/// The spatial model's win probabilities: a chart, and the first and last
/// state with each actor's path.
fn assessments(report: &Report) -> Option<Section> {
    let (first, last) = (report.assessments.first()?, report.assessments.last()?);
    let mut s = Section::new(
        Some("assessments".to_owned()),
        "Spatial model: the chance each position wins",
    );
    s.paragraph("The probability that each actor's position wins a probabilistic Condorcet election among all positions, state by state (KTAB's output).");
    let actors: Vec<&String> = first.win_probabilities.keys().collect();
    let series = actors
        .iter()
        .enumerate()
        .map(|(k, actor)| Series {
            name: (*actor).clone(),
            points: report
                .assessments
                .iter()
                .filter_map(|a| {
                    a.win_probabilities
                        .get(*actor)
                        .map(|&p| (f64::from(a.round), p))
                })
                .collect(),
            style: LineStyle::Peer(k),
        })
        .collect();
    let mut y = Axis::new("probability", 0.0, 1.0);
    y.decimals = 1;
    let mut columns = vec![">round".to_owned()];
    columns.extend(actors.iter().map(|a| format!(">{a}")));
    let mut data = Table::new(&columns.iter().map(String::as_str).collect::<Vec<_>>());
    for a in &report.assessments {
        let mut row = vec![Inline::plain(a.round.to_string())];
        row.extend(actors.iter().map(|actor| {
            a.win_probabilities
                .get(*actor)
                .map_or("–".to_owned(), |p| format!("{p:.4}"))
                .into()
        }));
        data.rows.push(row);
    }
    s.push(Block::figure(Figure {
        id: "win-chart".to_owned(),
        chart: Chart {
            title: "the chance each position wins".to_owned(),
            alt: "the chance each actor's position wins, by round".to_owned(),
            description: "Lines show, state by state, the probability that each actor's position wins a probabilistic Condorcet election among all positions, as the spatial model assesses it.".to_owned(),
            height: 380,
            kind: Kind::Lines(Lines {
                x: Axis::new("round", 0.0, f64::from(last.round.max(1))),
                y,
                series,
                marks: Vec::new(),
                notes: Vec::new(),
                bands: Vec::new(),
            }),
        },
        caption: "The probability that each actor's position wins, state by state.".into(),
        data: Some(("as numbers".to_owned(), data)),
    }));
    let (a, b) = (
        format!(">round {}", first.round),
        format!(">round {}", last.round),
    );
    let mut t = Table::new(&["actor", &a, &b, "path (0–1)"]);
    for (actor, p) in &first.win_probabilities {
        let path: Vec<f64> = report
            .assessments
            .iter()
            .filter_map(|a| a.win_probabilities.get(actor).copied())
            .collect();
        t.rows.push(vec![
            actor.clone().into(),
            format!("{p:.3}").into(),
            last.win_probabilities
                .get(actor)
                .map_or("–".to_owned(), |q| format!("{q:.3}"))
                .into(),
            Inline::code(sparkline(&path, 0.0, 1.0)),
        ]);
    }
    s.push(t.into());
    Some(s)
}

fn exchange_rounds(report: &Report) -> Option<Section> {
    if report.exchange_rounds.is_empty() {
        return None;
    }
    let mut s = Section::new(Some("exchange".to_owned()), "Exchange model: rounds");
    let mut t = Table::new(&[
        ">round",
        ">candidates",
        ">realised",
        ">ties",
        "outcomes of the voting positions",
    ]);
    for x in &report.exchange_rounds {
        let outcomes: Vec<String> = x
            .outcomes
            .iter()
            .map(|(issue, o)| format!("{issue} {o:.1}"))
            .collect();
        t.row([
            x.round.to_string(),
            x.candidates.to_string(),
            x.realised.to_string(),
            x.ties.to_string(),
            outcomes.join(", "),
        ]);
    }
    s.push(t.into());
    s.paragraph("Ties are settled by the run's stream.");
    Some(s)
}

fn cooperation(report: &Report) -> Section {
    let mut s = Section::new(Some("cooperation".to_owned()), "Cooperation and conflict");
    let values: Vec<(u32, f64)> = report
        .cooperation
        .iter()
        .map(|c| (c.round, c.goldstein))
        .collect();
    let lo = values.iter().map(|v| v.1).fold(0.0, f64::min).floor() - 1.0;
    let hi = values.iter().map(|v| v.1).fold(0.0, f64::max).ceil() + 1.0;
    s.push(Block::figure(Figure {
        id: "cooperation-chart".to_owned(),
        chart: Chart {
            title: "cooperation and conflict".to_owned(),
            alt: "cooperation and conflict by round".to_owned(),
            description: "Bars show the sum of the Goldstein values of each round's events: below zero conflict, above zero cooperation.".to_owned(),
            height: 300,
            kind: Kind::Columns(Columns {
                x: Axis::new("round", -0.5, f64::from(report.rounds) + 0.5),
                y: Axis::new("Goldstein sum (conflict < 0 < cooperation)", lo, hi),
                bars: values.iter().map(|&(r, g)| (f64::from(r), g)).collect(),
                width: 0.7,
                centred: true,
                zero_line: true,
            }),
        },
        caption: "The Goldstein sum of each round's events (CAMEO codes, −10 conflict … +10 cooperation).".into(),
        data: None,
    }));
    let sums: Vec<f64> = values.iter().map(|v| v.1).collect();
    s.paragraph(
        Inline::plain("Goldstein sum per round (−10 conflict … +10 cooperation per event): ")
            .then_code(sparkline_own(&sums)),
    );
    let per_round: Vec<String> = values.iter().map(|(r, g)| format!("{r}:{g:+.1}")).collect();
    s.paragraph(per_round.join(" "));
    s
}

/// A member's vote in words.
fn vote_word(v: entente_core::event::Vote) -> &'static str {
    match v {
        entente_core::event::Vote::Renew => "renew",
        entente_core::event::Vote::Ease => "ease",
        entente_core::event::Vote::Lift => "lift",
    }
}

/// The fronts: a chart of control per front by round, with the rounds of a
/// mutually hurting stalemate shaded, and what each front cost each side
/// at the table.
fn fronts(report: &Report) -> Option<Section> {
    if report.fronts.is_empty() {
        return None;
    }
    let mut s = Section::new(Some("fronts".to_owned()), "Fronts");
    s.paragraph(
        "Control of each front by round (each side's share, in percent). Shaded: rounds in which the theatre's fighting was a mutually hurting stalemate (every front fought over, none moving more than a hundredth).",
    );
    for f in &report.fronts {
        s.push(Block::figure(front_figure(f, report.rounds)));
        let mut t = Table::new(&[
            "side",
            ">toward a ceasefire for losses",
            ">for learning",
            ">salience gained",
        ]);
        for c in &f.costs {
            t.rows.push(vec![
                Inline::plain(c.actor.clone()),
                format!("{:+.1}", c.loss_points).into(),
                format!("{:+.1}", c.learning_points).into(),
                format!("{:+.2}", c.salience).into(),
            ]);
        }
        s.push(t.into());
    }
    Some(s)
}

fn front_figure(f: &super::FrontReport, rounds: u32) -> Figure {
    let series = f
        .sides
        .iter()
        .enumerate()
        .map(|(j, side)| Series {
            name: side.clone(),
            points: f
                .series
                .iter()
                .filter_map(|p| p.control.get(j).map(|c| (f64::from(p.round), c * 100.0)))
                .collect(),
            style: LineStyle::Peer(j),
        })
        .collect();
    let bands = f
        .series
        .iter()
        .filter(|p| p.stalemate)
        .map(|p| crate::render::chart::Band {
            from: f64::from(p.round) - 0.5,
            to: f64::from(p.round) + 0.5,
        })
        .collect();
    let marks = f
        .taken
        .iter()
        .map(|t| Mark {
            x: f64::from(t.round),
            y: 50.0,
            label: format!("{} takes it", t.side),
        })
        .collect();
    let ripe = f.series.iter().filter(|p| p.stalemate).count();
    let ripe_with_way_out = f.series.iter().filter(|p| p.stalemate && p.way_out).count();
    Figure {
        id: format!("front-{}", f.id),
        chart: Chart {
            title: format!("{} ({})", f.id, f.theatre),
            alt: format!("{}: control by round", f.id),
            description: format!(
                "Lines show each side's share of the {} front by round; {ripe} round(s) of stalemate are shaded.",
                f.id
            ),
            height: 300,
            kind: Kind::Lines(Lines {
                x: Axis::new("round", 0.0, f64::from(rounds.max(1))),
                y: Axis::new("control (%)", 0.0, 100.0),
                series,
                marks,
                notes: Vec::new(),
                bands,
            }),
        },
        caption: Inline::strong(&f.id).then(format!(
            ": control of the front by {} ({} round(s) of mutually hurting stalemate, {} of them with a way out: a broker or a standing offer).",
            f.sides.join(" and "),
            ripe,
            ripe_with_way_out
        )),
        data: None,
    }
}
