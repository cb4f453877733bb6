//! Runs: the list of logs, a run started from a scenario (the same log
//! `entente run` writes, under the same name), and a run's page: its
//! verification, its report (the HTML report's document, whose charts the
//! script makes interactive), and every event with filters and a "what
//! if…" link.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use entente_core::log::ENGINE_VERSION;
use entente_core::{Envelope, RunConfig, Scenario};
use entente_runner::logfile::Durability;
use entente_runner::output::{Planned, check_paths};
use entente_runner::render::html::escape;
use entente_runner::replay::Replaying;
use entente_runner::report::{Builder, Report};
use entente_runner::simulate::{self, Output};

use crate::app::{App, MAX_FORM_BYTES};
use crate::failure::Failure;
use crate::folder::{Area, is_sweep_output};
use crate::form::{Form, encode};
use crate::http::{Request, Response};
use crate::page;

/// Event types left out of the timeline unless asked for: the engine's
/// bookkeeping and the model's every move.
const ROUTINE: [&str; 5] = [
    "round_closed",
    "risk_updated",
    "state_assessed",
    "exchange_round",
    "position_changed",
];

/// One event of a log as the timeline shows it.
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) seq: u64,
    pub(crate) round: u32,
    pub(crate) date: String,
    pub(crate) kind: &'static str,
    pub(crate) actors: Vec<String>,
    pub(crate) json: String,
}

/// A log read once: verified, its report built, its events kept as rows.
pub(crate) struct Read {
    pub(crate) report: Report,
    pub(crate) rows: Vec<Row>,
    pub(crate) scenario: Scenario,
    pub(crate) being_written: bool,
    pub(crate) branch: Option<entente_core::Branch>,
}

/// `/runs`: the logs and sweep outputs in `runs/`.
pub(crate) fn list(app: &App) -> Result<Response, Failure> {
    let mut body = String::from(
        "<h1>Runs</h1>\n<p class=\"muted\">Every log and sweep output in <code>runs/</code>, whoever made it: this app or the command line.</p>\n<table id=\"runs\">\n<tr><th>log</th><th>scenario</th><th>seed</th><th>branch of</th></tr>\n",
    );
    let files = app.folder.run_files();
    for (name, kind) in &files {
        if is_sweep_output(name, *kind) {
            continue;
        }
        let header = app
            .folder
            .existing(Area::Runs, name)
            .ok()
            .and_then(|p| Replaying::open(&p).ok())
            .map(|r| r.header().clone());
        let (scenario, seed, parent) = match &header {
            Some(h) => (
                h.scenario.id.clone(),
                h.seed.to_string(),
                h.branch.as_ref().map_or(String::new(), |b| {
                    format!(
                        "after seq {} of {}…",
                        b.at,
                        b.parent.get(..12).unwrap_or_default()
                    )
                }),
            ),
            None => (
                "(header does not verify)".to_owned(),
                String::new(),
                String::new(),
            ),
        };
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td><code>{}</code></td><td>{seed}</td><td>{}</td></tr>",
            page::link(&format!("/runs/{}", encode(name)), name),
            escape(&scenario),
            escape(&parent)
        );
    }
    body.push_str("</table>\n<h2>Sweeps</h2>\n<ul>\n");
    for (name, kind) in &files {
        if is_sweep_output(name, *kind) {
            let _ = writeln!(
                body,
                "<li>{}</li>",
                page::link(&format!("/sweeps/{}", encode(name)), name)
            );
        }
    }
    body.push_str("</ul>\n");
    body.push_str(&crate::pages::compare::picker(app, None, None));
    Ok(page::respond("Runs", &app.token, &body))
}

/// `POST /scenarios/NAME/run`: runs the scenario with the seed asked,
/// into `runs/<id>-seed<N>.jsonl` as `entente run` does, and shows it.
/// A log already there from the same scenario and seed is the same run
/// (same bytes), and is shown; any other is never overwritten.
pub(crate) fn start(app: &App, name: &str, request: &mut Request) -> Result<Response, Failure> {
    let form = Form::parse(&String::from_utf8_lossy(
        &app.posted(request, MAX_FORM_BYTES)?,
    ));
    let seed: u64 = form
        .get("seed")
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| Failure::bad("seed: expected a whole number from 0"))?;
    let (scenario_path, scenario) = crate::pages::scenarios::load(app, name)?;
    let default = simulate::default_log_path(&scenario, seed);
    let log_name = default
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let out = app.folder.new_path(Area::Runs, &log_name)?;
    let _reserved = app.reserve(&out)?;
    let url = format!("/runs/{}", encode(&log_name));
    if out.exists() {
        let same = Replaying::open(&out).is_ok_and(|r| {
            let h = r.header();
            h.scenario == scenario
                && h.seed == seed
                && h.branch.is_none()
                && h.engine == ENGINE_VERSION
        });
        if same {
            return Ok(Response::see_other(&url));
        }
        return Err(Failure::conflict(format!(
            "{}: already exists and is not this scenario's run with seed {seed}; a log is never overwritten (move it, or change the scenario's id)",
            app.shown(&out)
        )));
    }
    check_paths(&[Planned::log("--out", &out, false)], &[&scenario_path])
        .map_err(|e| app.failed(&e))?;
    let config = RunConfig {
        seed,
        ..RunConfig::default()
    };
    let output = Output {
        path: out,
        durability: Durability::default(),
        replace: false,
    };
    simulate::run_to_file(&scenario, config, Vec::new(), &output).map_err(|e| app.failed(&e))?;
    Ok(Response::see_other(&url))
}

/// `/runs/NAME?kind=&actor=&round=`: the run's page.
pub(crate) fn show(app: &App, name: &str, query: &Form) -> Result<Response, Failure> {
    let read = read(app, name)?;
    let report = &read.report;
    let mut body = String::new();
    body.push_str(&verification(name, &read));
    body.push_str(&page::rendered(report)?);
    body.push_str(&timeline(name, &read, query));
    Ok(page::respond(&report.title, &app.token, &body))
}

/// Reads, verifies and folds the log `name` once.
pub(crate) fn read(app: &App, name: &str) -> Result<Read, Failure> {
    let path = app.folder.existing(Area::Runs, name)?;
    let failed = |e: entente_runner::Error| app.failed(&e);
    let mut replaying = Replaying::open(&path).map_err(failed)?;
    let scenario = replaying.header().scenario.clone();
    let branch = replaying.header().branch.clone();
    let actors: BTreeSet<&str> = scenario.actors.iter().map(|a| a.id.as_str()).collect();
    let mut builder = Builder::new(replaying.state(), &replaying.header().scenario);
    let mut rows = Vec::new();
    while let Some(env) = replaying.next_event().map_err(failed)? {
        builder.observe(&env, replaying.state());
        rows.push(row(&env, replaying.line(), &actors));
    }
    let replayed = replaying.finish();
    let being_written = replayed.being_written;
    Ok(Read {
        report: builder.finish(&replayed),
        rows,
        scenario,
        being_written,
        branch,
    })
}

fn row(env: &Envelope, line: &[u8], actors: &BTreeSet<&str>) -> Row {
    let value: Value = serde_json::from_slice(line).unwrap_or(Value::Null);
    let event = value.get("event").cloned().unwrap_or(Value::Null);
    let mut named = BTreeSet::new();
    collect_actors(&event, actors, &mut named);
    Row {
        seq: env.seq,
        round: env.round,
        date: env.date.to_string(),
        kind: env.event.kind().name(),
        actors: named.into_iter().collect(),
        json: event.to_string(),
    }
}

/// Every actor an event names, in a field or as a key (a vote).
fn collect_actors(v: &Value, actors: &BTreeSet<&str>, found: &mut BTreeSet<String>) {
    match v {
        Value::String(s) if actors.contains(s.as_str()) => {
            found.insert(s.clone());
        }
        Value::Array(items) => {
            for item in items {
                collect_actors(item, actors, found);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if actors.contains(k.as_str()) {
                    found.insert(k.clone());
                }
                collect_actors(item, actors, found);
            }
        }
        _ => {}
    }
}

/// The log's verification, and what may be done with it.
fn verification(name: &str, read: &Read) -> String {
    let r = &read.report;
    let mut out = format!(
        "<section id=\"verification\"><p class=\"ok\" id=\"verified\">Verified: every line's hash chains from the header to the fingerprint <code class=\"hash\">{}</code> ({} events; every event checked against the state it meets).</p>",
        escape(&r.head),
        r.events
    );
    if read.being_written {
        out.push_str("<p class=\"bad\">Another process is writing this log; what is shown verifies so far.</p>");
    }
    if let Some(b) = &read.branch {
        let _ = write!(
            out,
            "<p>A branch: its parent's events 1–{} (parent fingerprint <code class=\"hash\">{}</code>), then {} event(s) put in.</p>",
            b.at,
            escape(&b.parent),
            b.injections.iter().filter(|i| i.event.is_some()).count()
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"muted\">The file: <code>runs/{}</code>. Pick an event below and ask “what if…”.</p></section>",
        escape(name)
    );
    out
}

/// The events, filtered by type, actor and round, each with its "what if…".
fn timeline(name: &str, read: &Read, query: &Form) -> String {
    let kind = query.get("kind").unwrap_or("key");
    let actor = query.get("actor");
    let round: Option<u32> = query.get("round").and_then(|r| r.parse().ok());
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &read.rows {
        *kinds.entry(r.kind).or_default() += 1;
    }
    let texts: BTreeMap<u64, &str> = read
        .report
        .timeline
        .iter()
        .map(|k| (k.seq, k.text.as_str()))
        .collect();
    let mut out = format!(
        "<section id=\"events\"><h2>Events</h2>\n<form method=\"get\" action=\"/runs/{}#events\" id=\"filters\"><label>type <select name=\"kind\">",
        escape(&encode(name))
    );
    let option = |value: &str, text: &str, selected: bool| {
        format!(
            "<option value=\"{}\"{}>{}</option>",
            escape(value),
            if selected { " selected" } else { "" },
            escape(text)
        )
    };
    out.push_str(&option(
        "key",
        "key events (all but the routine)",
        kind == "key",
    ));
    out.push_str(&option("all", "every event", kind == "all"));
    for (k, n) in &kinds {
        out.push_str(&option(k, &format!("{k} ({n})"), kind == *k));
    }
    out.push_str("</select></label><label>actor <select name=\"actor\">");
    out.push_str(&option("", "any", actor.is_none()));
    for a in &read.scenario.actors {
        out.push_str(&option(&a.id, &a.id, actor == Some(a.id.as_str())));
    }
    out.push_str("</select></label><label>round <select name=\"round\">");
    out.push_str(&option("", "any", round.is_none()));
    for r in 0..=read.report.rounds {
        out.push_str(&option(&r.to_string(), &r.to_string(), round == Some(r)));
    }
    out.push_str("</select></label><button type=\"submit\">Filter</button></form>\n");
    out.push_str("<table id=\"event-table\">\n<tr><th>seq</th><th>round</th><th>date</th><th>event</th><th>actors</th><th>what</th><th></th></tr>\n");
    let shown = read.rows.iter().filter(|r| {
        let by_kind = match kind {
            "all" => true,
            "key" => !ROUTINE.contains(&r.kind),
            k => r.kind == k,
        };
        by_kind
            && actor.is_none_or(|a| r.actors.iter().any(|x| x == a))
            && round.is_none_or(|n| r.round == n)
    });
    let mut count = 0;
    for r in shown {
        count += 1;
        let what = texts.get(&r.seq).map_or_else(
            || format!("<code>{}</code>", escape(&short(&r.json))),
            |t| escape(t),
        );
        let _ = writeln!(
            out,
            "<tr id=\"seq-{seq}\" data-kind=\"{kind}\"><td class=\"n\">{seq}</td><td class=\"n\">{}</td><td>{}</td><td>{kind}</td><td>{}</td><td>{what}</td><td><a class=\"whatif\" href=\"/runs/{}/branch?at={seq}\">what if…</a></td></tr>",
            r.round,
            escape(&r.date),
            escape(&r.actors.join(", ")),
            escape(&encode(name)),
            seq = r.seq,
            kind = r.kind,
        );
    }
    let _ = write!(
        out,
        "</table>\n<p class=\"muted\" id=\"event-count\">{count} of {} events shown.</p></section>\n",
        read.rows.len()
    );
    out
}

fn short(text: &str) -> String {
    if text.chars().count() <= 160 {
        return text.to_owned();
    }
    let cut: String = text.chars().take(160).collect();
    format!("{cut}…")
}
