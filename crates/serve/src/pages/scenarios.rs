//! The scenarios: the list with each file's validation, a scenario as
//! tables with its editor, the editor's check and its save.
//!
//! A scenario is checked by the loader `validate` uses
//! (`scenario::parse`): every problem with its JSON path. The loader is
//! held by its tests to refuse whatever the JSON Schema (`entente schema`)
//! refuses, so checking with it is checking against the schema and the
//! semantic rules at once. A file is saved only when it passes: over the
//! old one (which is kept as `NAME.orig`, `NAME.orig.2`…) or as a new file,
//! each written whole.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use entente_core::Scenario;
use entente_runner::input::{self, MAX_SCENARIO_BYTES};
use entente_runner::output::{Planned, check_paths, save_edit};
use entente_runner::render::html::escape;
use entente_runner::render::{Block, Document, Inline, Meta, Section, Table};
use entente_runner::{Error, scenario};

use crate::app::App;
use crate::failure::Failure;
use crate::folder::{Area, keep_old, write_new};
use crate::form::{Form, encode};
use crate::http::{Request, Response};
use crate::page;

/// A scenario file read and checked.
struct Checked {
    /// What it holds, if it passes.
    scenario: Option<Scenario>,
    /// Its problems: (JSON path or place, message).
    problems: Vec<(String, String)>,
}

/// `/` and `/scenarios`: every scenario with its validation and history.
pub(crate) fn list(app: &App) -> Result<Response, Failure> {
    let histories = histories(app);
    let mut body = String::from(
        "<h1>Scenarios</h1>\n<p class=\"muted\">Every scenario file in <code>scenarios/</code>, checked as <code>entente validate</code> checks it.</p>\n",
    );
    body.push_str("<table id=\"scenarios\">\n<tr><th>file</th><th>title</th><th>status</th><th>history</th></tr>\n");
    for name in app.folder.scenario_names() {
        let checked = read(app, &name)?;
        let (title, status) = match &checked.scenario {
            Some(s) => (
                escape(&s.title),
                format!(
                    "<span class=\"ok\">valid</span>: {} actors, {} issues, {} stances, {} timeline events",
                    s.actors.len(),
                    s.issues.len(),
                    s.stances.len(),
                    s.timeline.len()
                ),
            ),
            None => (String::new(), problem_list(&checked.problems)),
        };
        let history = histories
            .get(&name)
            .map(|h| page::link(&format!("/score?history={}", encode(h)), h))
            .unwrap_or_default();
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td>{title}</td><td>{status}</td><td>{history}</td></tr>",
            page::link(&format!("/scenarios/{}", encode(&name)), &name)
        );
    }
    body.push_str("</table>\n");
    Ok(page::respond("Scenarios", &app.token, &body))
}

/// `/scenarios/NAME`: the scenario as tables, the run and sweep forms, and
/// the editor.
pub(crate) fn show(app: &App, name: &str) -> Result<Response, Failure> {
    let path = app.folder.existing(Area::Scenarios, name)?;
    let text = input::read_text(&path, "a scenario file", MAX_SCENARIO_BYTES)
        .map_err(|e| app.failed(&e))?;
    let checked = check_text(name, text.as_bytes());
    let mut body = String::new();
    match &checked.scenario {
        Some(s) => {
            body.push_str(&page::document(&tables(name, s))?);
            body.push_str(&actions(app, name));
        }
        None => {
            let _ = writeln!(
                body,
                "<h1>{}</h1>\n<p class=\"bad\">Not valid; nothing can be run from it until it is.</p>{}",
                escape(name),
                problem_list(&checked.problems)
            );
        }
    }
    body.push_str(&editor(app, name, &text, checked.scenario.as_ref()));
    let title = checked
        .scenario
        .as_ref()
        .map_or(name.to_owned(), |s| s.title.clone());
    Ok(page::respond(&title, &app.token, &body))
}

/// `POST /scenarios/NAME/check`: the scenario in the body checked; JSON.
pub(crate) fn check(app: &App, name: &str, request: &mut Request) -> Result<Response, Failure> {
    app.folder.existing(Area::Scenarios, name)?;
    let body = app.posted(request, MAX_SCENARIO_BYTES)?;
    Ok(Response::json(200, &verdict(&check_text(name, &body))))
}

/// `POST /scenarios/NAME/save[?as=NEW]`: the scenario in the body saved
/// over NAME (the old kept) or as NEW, only if it passes; JSON.
pub(crate) fn save(
    app: &App,
    name: &str,
    request: &mut Request,
    query: &Form,
) -> Result<Response, Failure> {
    let old = app.folder.existing(Area::Scenarios, name)?;
    let body = app.posted(request, MAX_SCENARIO_BYTES)?;
    let target = query.get("as").unwrap_or(name);
    let checked = check_text(target, &body);
    if checked.scenario.is_none() {
        return Ok(Response::json(422, &verdict(&checked)));
    }
    if !target.ends_with(".json") || target.ends_with(".history.json") {
        return Err(Failure::bad(format!(
            "{target}: a scenario file's name ends in .json (and not .history.json)"
        )));
    }
    let (path, kept) = if target == name {
        // `existing` follows a link to the file it names; saving over the
        // link would write through it, which no output of Entente's does.
        let named = app.folder.dir(Area::Scenarios).join(name);
        if named
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(Failure::forbidden(format!(
                "scenarios/{name}: is a symbolic link (to {}); an edit is never written through one: open the file it names, or save as a new name",
                app.shown(&old)
            )));
        }
        let _reserved = app.reserve(&old)?;
        check_paths(&[Planned::edit("scenario", &old)], &[]).map_err(|e| app.failed(&e))?;
        let kept = keep_old(&old).map_err(|e| app.failed(&e))?;
        save_edit(&old, &body).map_err(|e| app.failed(&e))?;
        (old, Some(kept))
    } else {
        let path = app.folder.new_path(Area::Scenarios, target)?;
        let _reserved = app.reserve(&path)?;
        write_new(&path, &body).map_err(|e| app.failed(&e))?;
        (path, None)
    };
    Ok(Response::json(
        200,
        &json!({
            "valid": true,
            "saved": app.shown(&path),
            "kept": kept.map(|k| app.shown(&k)),
            "url": format!("/scenarios/{}", encode(target)),
        }),
    ))
}

/// Reads and checks the scenario file `name`.
fn read(app: &App, name: &str) -> Result<Checked, Failure> {
    let path = app.folder.existing(Area::Scenarios, name)?;
    Ok(
        match input::read_limited(&path, "a scenario file", MAX_SCENARIO_BYTES) {
            Ok(bytes) => check_text(name, &bytes),
            Err(e) => Checked {
                scenario: None,
                problems: vec![(String::new(), app.failed(&e).message)],
            },
        },
    )
}

/// Checks scenario JSON as the loader does; problems named as `validate`
/// names them.
fn check_text(name: &str, bytes: &[u8]) -> Checked {
    let origin = Path::new("scenarios").join(name);
    match scenario::parse(&origin, bytes) {
        Ok(s) => Checked {
            scenario: Some(s),
            problems: Vec::new(),
        },
        Err(Error::Scenario { problems, .. }) => Checked {
            scenario: None,
            problems: problems.into_iter().map(|p| (p.path, p.message)).collect(),
        },
        // A value of the wrong type is placed by its JSON path, which the
        // editor marks, and by its line and column.
        Err(Error::Syntax {
            line,
            column,
            message,
            ..
        }) => {
            let (path, what) = match message.split_once(": ") {
                Some((path, what)) if path.starts_with('$') => (path.to_owned(), what.to_owned()),
                _ => (String::new(), message),
            };
            Checked {
                scenario: None,
                problems: vec![(path, format!("line {line}, column {column}: {what}"))],
            }
        }
        Err(e) => Checked {
            scenario: None,
            problems: vec![(String::new(), e.to_string())],
        },
    }
}

fn verdict(checked: &Checked) -> Value {
    json!({
        "valid": checked.scenario.is_some(),
        "problems": checked.problems.iter().map(|(path, message)| json!({"path": path, "message": message})).collect::<Vec<_>>(),
    })
}

fn problem_list(problems: &[(String, String)]) -> String {
    let mut out = format!(
        "<span class=\"bad\">{} problem(s)</span><ul class=\"problems\">",
        problems.len()
    );
    for (path, message) in problems {
        let place = if path.is_empty() {
            String::new()
        } else {
            format!("<code>{}</code>: ", escape(path))
        };
        let _ = write!(out, "<li>{place}{}</li>", escape(message));
    }
    out.push_str("</ul>");
    out
}

/// History files by the scenario file each names.
fn histories(app: &App) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for name in app.folder.history_names() {
        let Ok(path) = app.folder.existing(Area::Scenarios, &name) else {
            continue;
        };
        let Ok(bytes) = input::read_limited(&path, "a history file", 1 << 20) else {
            continue;
        };
        let scenario = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v.get("scenario").and_then(Value::as_str).map(str::to_owned));
        if let Some(scenario) = scenario {
            found.entry(scenario).or_insert(name);
        }
    }
    found
}

/// The scenario told as tables: its people, issues, timeline and
/// mechanisms (the stances are the editor's).
fn tables(name: &str, s: &Scenario) -> Document {
    let mut issues = Section::new(Some("issues".to_owned()), "Issues");
    let mut t = Table::new(&["id", "question", "0 means", "100 means", "principals"]);
    for i in &s.issues {
        t.rows.push(vec![
            Inline::code(&i.id),
            i.question.clone().into(),
            i.low.clone().into(),
            i.high.clone().into(),
            i.principals.join(", ").into(),
        ]);
    }
    issues.push(t.into());
    let mut timeline = Section::new(Some("timeline".to_owned()), "Timeline");
    let mut t = Table::new(&["date", "kind", "actor", "what", ">effects"]);
    for e in &s.timeline {
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        t.row([
            e.date.to_string(),
            kind,
            e.actor.clone(),
            e.text.clone(),
            e.effects.len().to_string(),
        ]);
    }
    timeline.push(t.into());
    Document {
        title: s.title.clone(),
        meta: vec![
            Meta::new("file", Inline::code(format!("scenarios/{name}"))),
            Meta::new("id", Inline::code(&s.id)),
            Meta::new("format", s.version.to_string()),
            Meta::new(
                "rounds",
                format!("{} of {} days from {}", s.rounds, s.days_per_round, s.start),
            ),
        ],
        blocks: vec![
            Block::Paragraph(s.description.clone().into()),
            issues.into(),
            timeline.into(),
            mechanisms(s).into(),
        ],
    }
}

fn mechanisms(s: &Scenario) -> Section {
    let mut m = Section::new(Some("mechanisms".to_owned()), "Model and mechanisms");
    m.paragraph(Inline::plain("Model: ").then_code(json(&s.model)));
    if !s.ceasefires.is_empty() {
        let mut t = Table::new(&["ceasefire in", "issue", "parties", "brokers"]);
        for c in &s.ceasefires {
            t.row([
                c.theatre.clone(),
                c.issue.clone(),
                c.parties.join(", "),
                c.brokers.join(", "),
            ]);
        }
        m.push(t.into());
    }
    if !s.strikes.is_empty() {
        let mut t = Table::new(&["striker", "theatre", "issue"]);
        for c in &s.strikes {
            t.row([c.actor.clone(), c.theatre.clone(), c.issue.clone()]);
        }
        m.push(t.into());
    }
    if !s.sanctions.is_empty() {
        let mut t = Table::new(&["sanction regime", "issue", "members"]);
        for r in &s.sanctions {
            t.row([r.id.clone(), r.issue.clone(), r.members(s).join(", ")]);
        }
        m.push(t.into());
    }
    if !s.threats.is_empty() {
        let mut t = Table::new(&["threat", "by", "against"]);
        for r in &s.threats {
            t.row([r.id.clone(), r.actor.clone(), r.target.clone()]);
        }
        m.push(t.into());
    }
    for (what, value) in [
        ("Linkage", json(&s.linkage)),
        ("Agreement", json(&s.agreement)),
        ("Trust", json(&s.trust)),
    ] {
        m.paragraph(Inline::plain(format!("{what}: ")).then_code(value));
    }
    m
}

/// A value as compact JSON text.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The forms that start work from the scenario.
fn actions(app: &App, name: &str) -> String {
    let action = format!("/scenarios/{}/run", encode(name));
    format!(
        "<section id=\"actions\"><h2>Run it</h2>\n<form method=\"post\" action=\"{}\" id=\"run-form\">{}<label>seed <input type=\"number\" name=\"seed\" id=\"seed\" min=\"0\" value=\"7\" required></label><button type=\"submit\" id=\"run\">Run</button></form>\n<p>{} · {}</p></section>\n",
        escape(&action),
        page::token_field(&app.token),
        page::link(
            &format!("/sweeps?scenario={}", encode(name)),
            "Sweep it over many seeds"
        ),
        page::link(
            &format!("/sensitivity?scenario={}", encode(name)),
            "What its outcomes hang on (sensitivity)"
        ),
    )
}

/// The editor: the actors' capabilities and the stances as fields, the
/// whole file as text, the problems, and Save.
fn editor(app: &App, name: &str, text: &str, s: Option<&Scenario>) -> String {
    let mut out = format!(
        "<section id=\"editor\" data-name=\"{}\"><h2>Edit</h2>\n<p class=\"muted\">Checked as you type against the schema and every rule of the format; saved only when valid, written whole.</p>\n",
        escape(name)
    );
    if let Some(s) = s {
        out.push_str("<h3>Actors</h3>\n<table id=\"actors\"><tr><th>id</th><th>name</th><th>capability</th><th>basis</th></tr>\n");
        for (k, a) in s.actors.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&a.id),
                escape(&a.name),
                number_field(&format!("$.actors[{k}].capability"), a.capability, "any"),
                escape(&a.basis)
            );
        }
        out.push_str("</table>\n<h3>Stances</h3>\n<table id=\"stances\"><tr><th>actor</th><th>issue</th><th>position (0–100)</th><th>salience (0–1]</th><th>basis</th></tr>\n");
        for (k, st) in s.stances.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td><input type=\"text\" size=\"50\" data-path=\"$.stances[{k}].basis\" value=\"{}\"></td></tr>",
                escape(&st.actor),
                escape(&st.issue),
                number_field(&format!("$.stances[{k}].position"), st.position, "any"),
                number_field(&format!("$.stances[{k}].salience"), st.salience, "any"),
                escape(&st.basis)
            );
        }
        out.push_str("</table>\n");
    }
    let _ = write!(
        out,
        "<h3>The file</h3>\n<textarea class=\"json\" id=\"scenario-text\" spellcheck=\"false\">{}</textarea>\n<p id=\"check-status\" class=\"muted\">Not changed.</p>\n<ul class=\"problems\" id=\"problems\"></ul>\n<p><button type=\"button\" id=\"save-over\" disabled>Save over {} (the old kept as .orig)</button> <label>or as <input type=\"text\" id=\"new-name\" placeholder=\"new-name.json\"></label><button type=\"button\" id=\"save-new\" disabled>Save as a new file</button></p>\n<p id=\"save-status\"></p>\n</section>\n{}",
        escape(text),
        escape(name),
        page::token_field(&app.token)
    );
    out
}

fn number_field(path: &str, value: f64, step: &str) -> String {
    format!(
        "<input type=\"number\" step=\"{step}\" data-path=\"{}\" value=\"{value}\">",
        escape(path)
    )
}

/// The scenario file `name`, loaded and checked as `run` loads it.
pub(crate) fn load(app: &App, name: &str) -> Result<(std::path::PathBuf, Scenario), Failure> {
    let path = app.folder.existing(Area::Scenarios, name)?;
    let bytes = input::read_limited(&path, "a scenario file", MAX_SCENARIO_BYTES)
        .map_err(|e| app.failed(&e))?;
    let origin = Path::new("scenarios").join(name);
    let s = scenario::parse(&origin, &bytes).map_err(|e| app.failed(&e))?;
    Ok((path, s))
}
