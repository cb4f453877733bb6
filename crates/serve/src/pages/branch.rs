//! "What if…": from any event of a run, the menu of the events that may be
//! put in after it (`offers::menu`: every candidate the scenario names,
//! kept only if the injection rules `branch` uses take it), a form for its
//! number, a preview of its validation (`offers::preview`, the same
//! completion and check), then the branch (`branch::branch`, the command's
//! own) and the comparison with its parent.

use std::fmt::Write as _;

use serde_json::{Value, json};

use entente_runner::branch::{self, Request as BranchRequest};
use entente_runner::input::MAX_EVENT_BYTES;
use entente_runner::logfile::Durability;
use entente_runner::offers::{self, Offer};
use entente_runner::output::{Planned, check_paths};
use entente_runner::render::html::escape;
use entente_runner::simulate::Output;

use crate::app::{App, MAX_FORM_BYTES};
use crate::failure::Failure;
use crate::folder::Area;
use crate::form::{Form, encode};
use crate::http::{Request, Response};
use crate::page;

/// `/runs/NAME/branch?at=SEQ`: the menu.
pub(crate) fn menu(app: &App, name: &str, query: &Form) -> Result<Response, Failure> {
    let path = app.folder.existing(Area::Runs, name)?;
    let at = at(query.get("at"))?;
    let menu = offers::menu(&path, at).map_err(|e| app.failed(&e))?;
    let read = crate::pages::runs::read(app, name)?;
    let event = read
        .rows
        .iter()
        .find(|r| r.seq == at)
        .map_or_else(|| "(before the first event)".to_owned(), |r| r.json.clone());
    let text = read
        .report
        .timeline
        .iter()
        .find(|k| k.seq == at)
        .map(|k| format!("<p>{}</p>", escape(&k.text)))
        .unwrap_or_default();
    let mut body = format!(
        "<h1>What if… after seq {at} of {}</h1>\n<section class=\"parting\" id=\"at-event\"><p>Round {}: the run so far ends with</p><pre>{}</pre>{text}</section>\n",
        escape(name),
        menu.round,
        escape(&event),
    );
    body.push_str(&form(app, name, at, &menu.offers));
    Ok(page::respond(
        &format!("What if… ({name}, seq {at})"),
        &app.token,
        &body,
    ))
}

/// `POST /runs/NAME/preview`: `{"at": SEQ, "event": {...}}` completed and
/// checked as a branch would; JSON.
pub(crate) fn preview(app: &App, name: &str, request: &mut Request) -> Result<Response, Failure> {
    let path = app.folder.existing(Area::Runs, name)?;
    let body = app.posted(request, MAX_EVENT_BYTES)?;
    let asked: Value =
        serde_json::from_slice(&body).map_err(|e| Failure::bad(format!("not JSON: {e}")))?;
    let at = asked
        .get("at")
        .and_then(Value::as_u64)
        .ok_or_else(|| Failure::bad("\"at\": expected the seq to branch after"))?;
    let event = asked.get("event").cloned().unwrap_or(Value::Null);
    Ok(match offers::preview(&path, at, &event) {
        Ok(completed) => Response::json(
            200,
            &json!({"ok": true, "event": serde_json::to_value(&completed).unwrap_or(Value::Null)}),
        ),
        Err(e) => Response::json(
            200,
            &json!({"ok": false, "problem": app.failed(&e).message}),
        ),
    })
}

/// `POST /runs/NAME/branch`: writes the branch (`runs/<stem>-at<SEQ>-<type>.jsonl`,
/// a new name each time) and shows it compared with its parent.
pub(crate) fn start(app: &App, name: &str, request: &mut Request) -> Result<Response, Failure> {
    let parent = app.folder.existing(Area::Runs, name)?;
    let form = Form::parse(&String::from_utf8_lossy(
        &app.posted(request, MAX_FORM_BYTES)?,
    ));
    let at = at(form.get("at"))?;
    let event = injected(&form)?;
    let seed = match form.get("seed") {
        Some(s) => Some(
            s.trim()
                .parse::<u64>()
                .map_err(|_| Failure::bad("seed: expected a whole number from 0, or nothing"))?,
        ),
        None => None,
    };
    // The file is named for the event's type, in the letters a name takes.
    let kind: String = event
        .as_object()
        .and_then(|o| o.keys().next())
        .map_or("seed", String::as_str)
        .chars()
        .map(|c| if c == '_' { '-' } else { c })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    let stem = name.strip_suffix(".jsonl").unwrap_or(name);
    let (out, _reserved) = free_name(app, &format!("{stem}-at{at}-{kind}"))?;
    check_paths(&[Planned::log("--out", &out, false)], &[&parent]).map_err(|e| app.failed(&e))?;
    let request = BranchRequest {
        parent,
        at,
        inject: vec![event],
        seed,
        output: Output {
            path: out.clone(),
            durability: Durability::default(),
            replace: false,
        },
    };
    branch::branch(&request).map_err(|e| app.failed(&e))?;
    let branch_name = out.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    Ok(Response::see_other(&format!(
        "/compare?a={}&b={}",
        encode(name),
        encode(branch_name)
    )))
}

/// The event to put in: the form's JSON if given, else the offer chosen
/// with its number.
fn injected(form: &Form) -> Result<Value, Failure> {
    let text = match form.get("event") {
        Some(text) => text,
        None => form
            .get("offer")
            .ok_or_else(|| Failure::bad("choose an event to put in"))?,
    };
    let mut event: Value = serde_json::from_str(text)
        .map_err(|e| Failure::bad(format!("the event is not JSON: {e}")))?;
    if form.get("event").is_none()
        && let Some(value) = form.get("value")
    {
        let number: f64 = value
            .trim()
            .parse()
            .map_err(|_| Failure::bad(format!("{value:?}: expected a number")))?;
        if let Some(Value::Object(fields)) =
            event.as_object_mut().and_then(|o| o.values_mut().next())
            && fields.contains_key("to")
        {
            fields.insert("to".to_owned(), json!(number));
        }
    }
    Ok(event)
}

/// The first name `STEM.jsonl`, `STEM-2.jsonl`… in `runs/` that is neither
/// there nor being written, reserved.
fn free_name<'a>(
    app: &'a App,
    stem: &str,
) -> Result<(std::path::PathBuf, crate::app::Reserved<'a>), Failure> {
    for k in 1..1000 {
        let name = if k == 1 {
            format!("{stem}.jsonl")
        } else {
            format!("{stem}-{k}.jsonl")
        };
        let path = app.folder.new_path(Area::Runs, &name)?;
        if path.exists() {
            continue;
        }
        if let Ok(reserved) = app.reserve(&path) {
            return Ok((path, reserved));
        }
    }
    Err(Failure::conflict(format!(
        "{stem}: a thousand branches of this name already; move some away"
    )))
}

fn at(given: Option<&str>) -> Result<u64, Failure> {
    given
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| Failure::bad("at: expected the seq of an event (0: before the first)"))
}

/// The form: the offers grouped by event type, the number, the event as
/// JSON, the seed, the preview and the button.
fn form(app: &App, name: &str, at: u64, offers: &[Offer]) -> String {
    let mut out = format!(
        "<form method=\"post\" action=\"/runs/{}/branch\" id=\"whatif\" data-name=\"{}\">{}<input type=\"hidden\" name=\"at\" value=\"{at}\">\n",
        escape(&encode(name)),
        escape(name),
        page::token_field(&app.token)
    );
    if offers.is_empty() {
        out.push_str("<p class=\"bad\">Nothing the rules take may be put in here; you can still write an event below.</p>\n");
    }
    out.push_str("<p><label>put in <select name=\"offer\" id=\"offer\"><option value=\"\">choose an event…</option>\n");
    let mut group = "";
    for o in offers {
        if o.kind != group {
            if !group.is_empty() {
                out.push_str("</optgroup>\n");
            }
            group = o.kind;
            let _ = write!(out, "<optgroup label=\"{}\">", escape(o.kind));
        }
        let number = o.number.map_or(String::new(), |n| {
            format!(
                " data-field=\"{}\" data-min=\"{}\" data-max=\"{}\" data-value=\"{}\"",
                n.field,
                n.min,
                n.max.map_or(String::new(), |m| m.to_string()),
                n.value
            )
        });
        let _ = write!(
            out,
            "<option value=\"{}\"{number}>{}: {}</option>",
            escape(&o.partial.to_string()),
            escape(o.kind),
            escape(&o.subject)
        );
    }
    if !group.is_empty() {
        out.push_str("</optgroup>\n");
    }
    out.push_str("</select></label>\n<label id=\"value-label\">to <input type=\"number\" step=\"any\" name=\"value\" id=\"value\"></label></p>\n");
    out.push_str("<p><label>the event, as <code>branch --inject</code> takes it (fields the state determines may be left out):<br><textarea class=\"json\" name=\"event\" id=\"event\" rows=\"4\" spellcheck=\"false\"></textarea></label></p>\n");
    out.push_str("<p><label>seed after the branch <input type=\"number\" name=\"seed\" min=\"0\" placeholder=\"the parent's\"></label></p>\n");
    out.push_str("<p id=\"preview\" class=\"muted\">Choose an event to see whether it can happen here.</p>\n<pre id=\"preview-event\"></pre>\n");
    out.push_str("<p><button type=\"submit\" id=\"run-branch\">Run the branch and compare</button></p></form>\n");
    out
}
