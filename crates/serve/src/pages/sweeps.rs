//! Sweeps: the form (a scenario, a variant to pair it with, the seeds),
//! a sweep's progress as it plays (the page polls it; Cancel stops it with
//! nothing written), and a finished sweep's output: outcome probabilities
//! with their intervals as bars, as `report SWEEP.json --format html`
//! draws them.

use std::fmt::Write as _;

use serde_json::json;

use entente_runner::input::FileKind;
use entente_runner::render::html::escape;
use entente_runner::sweep::{self, Plan, SweepOutput};

use crate::app::{App, MAX_FORM_BYTES};
use crate::failure::Failure;
use crate::folder::{Area, is_sweep_output};
use crate::form::{Form, encode};
use crate::http::{Request, Response};
use crate::jobs::{self, Job, State};
use crate::page;

/// `/sweeps[?scenario=NAME]`: the form, this session's sweeps, and the
/// outputs in `runs/`.
pub(crate) fn list(app: &App) -> Result<Response, Failure> {
    let mut body = String::from("<h1>Sweeps</h1>\n");
    body.push_str(&form(app));
    let jobs = app.jobs.all();
    if !jobs.is_empty() {
        body.push_str("<h2>This session's sweeps</h2>\n<ul id=\"jobs\">\n");
        for j in jobs.iter().rev() {
            let _ = writeln!(
                body,
                "<li>{} — {}</li>",
                page::link(&format!("/sweeps/jobs/{}", j.id), &j.title),
                escape(state_words(&j.state()))
            );
        }
        body.push_str("</ul>\n");
    }
    body.push_str("<h2>Sweep outputs in <code>runs/</code></h2>\n<ul id=\"sweep-outputs\">\n");
    for (name, kind) in app.folder.run_files() {
        if is_sweep_output(&name, kind) {
            let _ = writeln!(
                body,
                "<li>{}</li>",
                page::link(&format!("/sweeps/{}", encode(&name)), &name)
            );
        }
    }
    body.push_str("</ul>\n");
    Ok(page::respond("Sweeps", &app.token, &body))
}

/// `POST /sweeps`: starts the sweep asked for (or shows the output it
/// would write, if it is there or being written).
pub(crate) fn start(app: &std::sync::Arc<App>, request: &mut Request) -> Result<Response, Failure> {
    let form = Form::parse(&String::from_utf8_lossy(
        &app.posted(request, MAX_FORM_BYTES)?,
    ));
    let name = form
        .get("scenario")
        .ok_or_else(|| Failure::bad("scenario: choose one"))?;
    let seeds_text = form.get("seeds").unwrap_or("0..1000");
    let seeds = sweep::parse_seeds(seeds_text).map_err(|e| app.failed(&e))?;
    let (path, scenario) = crate::pages::scenarios::load(app, name)?;
    let mut inputs = vec![path];
    let mut scenarios = vec![scenario];
    if let Some(vs) = form.get("vs") {
        let (path, scenario) = crate::pages::scenarios::load(app, vs)?;
        inputs.push(path);
        scenarios.push(scenario);
    }
    let files: Vec<(&std::path::Path, &entente_core::Scenario)> = inputs
        .iter()
        .map(std::path::PathBuf::as_path)
        .zip(&scenarios)
        .collect();
    sweep::check_files(&files, None).map_err(|e| app.failed(&e))?;
    let ids: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
    let output = format!(
        "{}-seeds{}-{}.sweep.json",
        ids.join("-vs-"),
        seeds.start,
        seeds.end
    );
    let title = format!(
        "{} over seeds {}..{}",
        ids.join(" vs "),
        seeds.start,
        seeds.end
    );
    if let Some(job) = app.jobs.running(&output) {
        return Ok(Response::see_other(&format!("/sweeps/jobs/{}", job.id)));
    }
    if let Ok(existing) = app.folder.existing(Area::Runs, &output) {
        // Shown as this sweep's result only if it is: the same scenarios as
        // they stand now, the same seeds, this engine, whole; anything else
        // at that name is kept and named (as a run's log is).
        let hashes: Vec<String> = scenarios.iter().map(sweep::scenario_hash).collect();
        let same = entente_runner::input::sniff(&existing) == FileKind::Sweep
            && SweepOutput::read(&existing).is_ok_and(|o| {
                o.engine == entente_core::log::ENGINE_VERSION
                    && (o.seeds.start, o.seeds.end) == (seeds.start, seeds.end)
                    && o.shard.is_none()
                    && o.partial.is_none()
                    && o.rounds.is_none()
                    && o.variants
                        .iter()
                        .map(|v| &v.scenario_hash)
                        .eq(hashes.iter())
            });
        if same {
            return Ok(Response::see_other(&format!("/sweeps/{}", encode(&output))));
        }
        return Err(Failure::conflict(format!(
            "{}: already exists and is not this sweep's output (of these scenarios as they stand, seeds {}..{}, engine {}); an output of another is never replaced from here: move it to sweep again",
            app.shown(&existing),
            seeds.start,
            seeds.end,
            entente_core::log::ENGINE_VERSION
        )));
    }
    let plan = Plan {
        scenarios,
        seeds,
        rounds: None,
        shard: None,
        jobs: app.pool.current_num_threads(),
        csv: None,
        out: None,
        progress: false,
    };
    plan.check().map_err(|e| app.failed(&e))?;
    let job = jobs::start(app, plan, title, output, inputs)?;
    Ok(Response::see_other(&format!("/sweeps/jobs/{}", job.id)))
}

/// `/sweeps/jobs/N`: a sweep's progress, its Cancel button.
pub(crate) fn job(app: &App, id: &str) -> Result<Response, Failure> {
    let job = app.jobs.get(id)?;
    let state = job.state();
    let played = job.watch.played();
    let mut body = format!(
        "<h1>Sweep: {}</h1>\n<section id=\"job\" data-progress=\"/sweeps/jobs/{}/progress\">\n<p><progress id=\"progress\" max=\"{}\" value=\"{played}\"></progress> <span id=\"played\">{played}</span> of {} seeds played</p>\n<p id=\"state\" data-state=\"{}\">{}</p>\n",
        escape(&job.title),
        job.id,
        job.total,
        job.total,
        state_key(&state),
        escape(&state_line(&job, &state)),
    );
    if state == State::Running {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/sweeps/jobs/{}/cancel\" id=\"cancel-form\">{}<button type=\"submit\" id=\"cancel\">Cancel</button></form>\n<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>\n",
            job.id,
            page::token_field(&app.token)
        );
    }
    let _ = writeln!(
        body,
        "<p id=\"result\">{}</p></section>",
        if state == State::Done {
            page::link(&result_url(&job), "The sweep's outcomes")
        } else {
            String::new()
        }
    );
    Ok(page::respond("Sweep", &app.token, &body))
}

/// `/sweeps/jobs/N/progress`: the same, as JSON for the page's script.
pub(crate) fn progress(app: &App, id: &str) -> Result<Response, Failure> {
    let job = app.jobs.get(id)?;
    let state = job.state();
    Ok(Response::json(
        200,
        &json!({
            "played": job.watch.played(),
            "total": job.total,
            "state": state_key(&state),
            "words": state_line(&job, &state),
            "result": (state == State::Done).then(|| result_url(&job)),
        }),
    ))
}

/// `POST /sweeps/jobs/N/cancel`: asks the sweep to stop.
pub(crate) fn cancel(app: &App, id: &str, request: &mut Request) -> Result<Response, Failure> {
    app.posted(request, MAX_FORM_BYTES)?;
    let job = app.jobs.get(id)?;
    job.watch.stop();
    Ok(Response::see_other(&format!("/sweeps/jobs/{}", job.id)))
}

/// `/sweeps/NAME`: a sweep output in `runs/`, as its HTML report.
pub(crate) fn show(app: &App, name: &str) -> Result<Response, Failure> {
    let path = app.folder.existing(Area::Runs, name)?;
    if entente_runner::input::sniff(&path) != FileKind::Sweep {
        return Err(Failure::not_found(format!(
            "runs/{name}: not a sweep's output"
        )));
    }
    let output = SweepOutput::read(&path).map_err(|e| app.failed(&e))?;
    let body = format!(
        "<p class=\"muted\">The file: <code>runs/{}</code> (<code>entente report</code> prints it too).</p>\n{}",
        escape(name),
        page::rendered(&output)?
    );
    Ok(page::respond(name, &app.token, &body))
}

fn form(app: &App) -> String {
    let names = app.folder.scenario_names();
    let options = |none: bool| {
        let mut s = String::new();
        if none {
            s.push_str("<option value=\"\">none</option>");
        }
        for n in &names {
            let _ = write!(s, "<option value=\"{}\">{}</option>", escape(n), escape(n));
        }
        s
    };
    format!(
        "<form method=\"post\" action=\"/sweeps\" id=\"sweep-form\">{}<fieldset><legend>A sweep over seeds (the runs play on the same pool as <code>entente sweep</code>; the output is written to <code>runs/</code> when every seed is played)</legend><label>scenario <select name=\"scenario\" id=\"sweep-scenario\">{}</select></label><label>paired with <select name=\"vs\" id=\"sweep-vs\">{}</select></label><label>seeds <input type=\"text\" name=\"seeds\" id=\"sweep-seeds\" value=\"0..1000\" size=\"12\"></label><button type=\"submit\" id=\"sweep-start\">Start</button></fieldset></form>\n",
        page::token_field(&app.token),
        options(false),
        options(true)
    )
}

fn result_url(job: &Job) -> String {
    format!("/sweeps/{}", encode(&job.name))
}

fn state_key(state: &State) -> &'static str {
    match state {
        State::Running => "running",
        State::Done => "done",
        State::Cancelled => "cancelled",
        State::Failed(_) => "failed",
    }
}

fn state_words(state: &State) -> &'static str {
    match state {
        State::Running => "playing",
        State::Done => "done",
        State::Cancelled => "cancelled: nothing written",
        State::Failed(_) => "failed: nothing written",
    }
}

fn state_line(job: &Job, state: &State) -> String {
    match state {
        State::Running => format!(
            "Playing; the output runs/{} is written when every seed is played.",
            job.name
        ),
        State::Done => format!("Done: written to runs/{}.", job.name),
        State::Cancelled => "Cancelled: stopped as asked; nothing was written.".to_owned(),
        State::Failed(why) => format!("Failed, nothing written: {why}"),
    }
}
