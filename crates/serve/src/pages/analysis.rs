//! Score and sensitivity, served live: the HTML pages `entente score` and
//! `entente sensitivity` print (the reliability diagram, the tornado
//! charts), computed when the page is asked for, one analysis at a time,
//! and not stored. Each page is its URL: the form's choices are its query.

use std::fmt::Write as _;

use clap::ValueEnum;
use serde_json::Value;

use entente_runner::input;
use entente_runner::render::html::escape;
use entente_runner::score::{self, ModelChoice};
use entente_runner::sensitivity::{self, Method};
use entente_runner::sweep;

use crate::app::{App, lock};
use crate::failure::Failure;
use crate::folder::Area;
use crate::form::Form;
use crate::http::Response;
use crate::page;

/// Most seeds a score served live plays per history.
const MAX_SCORE_SEEDS: u64 = 5_000;
/// Most seeds a sensitivity analysis served live plays per variation.
const MAX_SENSITIVITY_SEEDS: u64 = 500;

/// `/score?history=H&history=…&seeds=A..B&model=M`.
pub(crate) fn score(app: &App, query: &Form) -> Result<Response, Failure> {
    let chosen = query.all("history");
    let seeds_text = query.get("seeds").unwrap_or("0..100");
    let model_word = query.get("model").unwrap_or("as-written");
    let mut body = String::from("<h1>Score</h1>\n");
    body.push_str(&score_form(app, &chosen, seeds_text, model_word));
    if chosen.is_empty() {
        return Ok(page::respond("Score", &app.token, &body));
    }
    let seeds = seeds(seeds_text, MAX_SCORE_SEEDS, app)?;
    let model = ModelChoice::from_str(model_word, true).map_err(|_| {
        Failure::bad(format!(
            "model {model_word:?}: not a model the score offers"
        ))
    })?;
    let histories = chosen
        .iter()
        .map(|name| history(app, name))
        .collect::<Result<Vec<_>, _>>()?;
    let plan = score::Plan {
        histories,
        seeds,
        model,
        jobs: app.pool.current_num_threads(),
    };
    let output = {
        let _one = lock(&app.analysis);
        score::score(&plan).map_err(|e| app.failed(&e))?
    };
    body.push_str(&page::rendered(&output)?);
    Ok(page::respond("Score", &app.token, &body))
}

/// `/sensitivity?scenario=S&seeds=A..B&method=oat|morris`.
pub(crate) fn sensitivity(app: &App, query: &Form) -> Result<Response, Failure> {
    let chosen = query.get("scenario");
    let seeds_text = query.get("seeds").unwrap_or("0..20");
    let method_word = query.get("method").unwrap_or("oat");
    let mut body = String::from("<h1>Sensitivity</h1>\n");
    body.push_str(&sensitivity_form(app, chosen, seeds_text, method_word));
    let Some(name) = chosen else {
        return Ok(page::respond("Sensitivity", &app.token, &body));
    };
    let seeds = seeds(seeds_text, MAX_SENSITIVITY_SEEDS, app)?;
    let method = Method::from_str(method_word, true)
        .map_err(|_| Failure::bad(format!("method {method_word:?}: oat or morris")))?;
    let (_, scenario) = crate::pages::scenarios::load(app, name)?;
    let plan = sensitivity::Plan {
        scenario,
        seeds,
        method,
        delta: 10.0,
        trajectories: 10,
        seed: 0,
        top: 5,
        jobs: app.pool.current_num_threads(),
        progress: false,
    };
    let output = {
        let _one = lock(&app.analysis);
        sensitivity::analyse(&plan).map_err(|e| app.failed(&e))?
    };
    body.push_str(&page::rendered(&output)?);
    Ok(page::respond("Sensitivity", &app.token, &body))
}

fn seeds(text: &str, most: u64, app: &App) -> Result<std::ops::Range<u64>, Failure> {
    let seeds = sweep::parse_seeds(text).map_err(|e| app.failed(&e))?;
    if seeds.end - seeds.start > most {
        return Err(Failure::bad(format!(
            "seeds {text}: a page plays at most {most} seeds; the command line takes more (and shards)"
        )));
    }
    Ok(seeds)
}

/// The history file `name`, loaded as `score` loads it, once the scenario
/// it names is known to be a file of the folder.
fn history(app: &App, name: &str) -> Result<score::Loaded, Failure> {
    let path = app.folder.existing(Area::Scenarios, name)?;
    let bytes =
        input::read_limited(&path, "a history file", 1 << 20).map_err(|e| app.failed(&e))?;
    let named = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| v.get("scenario").and_then(Value::as_str).map(str::to_owned))
        .ok_or_else(|| Failure::invalid(format!("scenarios/{name}: names no scenario")))?;
    // The scenario must be a file beside it, in the folder.
    app.folder.existing(Area::Scenarios, &named)?;
    score::load(&path).map_err(|e| app.failed(&e))
}

fn score_form(app: &App, chosen: &[&str], seeds: &str, model: &str) -> String {
    let mut out = String::from(
        "<form method=\"get\" action=\"/score\" id=\"score-form\"><fieldset><legend>Forecasts scored against what happened (as <code>entente score</code>)</legend>",
    );
    for h in app.folder.history_names() {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"history\" value=\"{}\"{}> {}</label>",
            escape(&h),
            if chosen.contains(&h.as_str()) {
                " checked"
            } else {
                ""
            },
            escape(&h)
        );
    }
    let _ = write!(
        out,
        "<br><label>seeds <input type=\"text\" name=\"seeds\" value=\"{}\" size=\"10\"></label><label>model <select name=\"model\">",
        escape(seeds)
    );
    for m in ModelChoice::value_variants() {
        let word = m
            .to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default();
        let _ = write!(
            out,
            "<option{}>{}</option>",
            if word == model { " selected" } else { "" },
            escape(&word)
        );
    }
    out.push_str("</select></label><button type=\"submit\" id=\"score-run\">Score</button></fieldset></form>\n");
    out
}

fn sensitivity_form(app: &App, chosen: Option<&str>, seeds: &str, method: &str) -> String {
    let mut out = String::from(
        "<form method=\"get\" action=\"/sensitivity\" id=\"sensitivity-form\"><fieldset><legend>What the outcomes hang on (as <code>entente sensitivity</code>)</legend><label>scenario <select name=\"scenario\">",
    );
    for n in app.folder.scenario_names() {
        let _ = write!(
            out,
            "<option{}>{}</option>",
            if chosen == Some(n.as_str()) {
                " selected"
            } else {
                ""
            },
            escape(&n)
        );
    }
    let _ = write!(
        out,
        "</select></label><label>seeds <input type=\"text\" name=\"seeds\" value=\"{}\" size=\"10\"></label><label>method <select name=\"method\">",
        escape(seeds)
    );
    for m in ["oat", "morris"] {
        let _ = write!(
            out,
            "<option{}>{m}</option>",
            if m == method { " selected" } else { "" }
        );
    }
    out.push_str("</select></label><button type=\"submit\" id=\"sensitivity-run\">Analyse</button></fieldset></form>\n");
    out
}
