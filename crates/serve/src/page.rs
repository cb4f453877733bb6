//! The frame every page shares: the report's style sheet and page (the
//! render layer's `html::page`), the app's navigation, the session's token
//! for the forms, and the one script. A page's body is the render layer's
//! HTML of a document, with the few forms the app adds.

use std::fmt::Write as _;

use entente_runner::render::html::{self, escape};
use entente_runner::render::{Document, Render};

use crate::failure::Failure;
use crate::http::Response;

/// The style the app adds to the report's.
const APP_STYLE: &str = "
body { max-width: 72rem; }
nav.app { display: flex; gap: 1.2rem; align-items: baseline; border-bottom: 2px solid #0072b2; padding-bottom: 0.4rem; margin-bottom: 1rem; }
nav.app a { text-decoration: none; color: #0072b2; font-weight: 600; }
nav.app .brand { font-weight: 800; color: #111; margin-right: 1rem; }
form.inline { display: inline; }
form fieldset { border: 1px solid #ccc; margin: 0.6rem 0; }
label { margin-right: 0.8rem; }
input[type=number] { width: 6.5rem; }
textarea.json { width: 100%; min-height: 18rem; font-family: ui-monospace, monospace; font-size: 0.8rem; }
.ok { color: #00734f; font-weight: 600; }
.bad { color: #b34500; font-weight: 600; }
ul.problems li, .problem { color: #b34500; }
input[aria-invalid=true] { outline: 2px solid #d55e00; background: #fff1e8; }
section#parting, .parting { background: #fff6d5; border-left: 6px solid #e69f00; padding: 0.3rem 0.8rem; }
tr.differs td { background: #fff6d5; font-weight: 600; }
tr.at td { background: #e6f2fa; }
.series-toggles label { font-size: 0.8rem; }
.tip { position: absolute; background: #111; color: #fff; padding: 0.15rem 0.4rem; font-size: 0.8rem; border-radius: 3px; pointer-events: none; }
progress { width: 30rem; height: 1.2rem; }
.muted { color: #555; font-size: 0.9rem; }
";

/// The app's script, served at `/assets/entente.js`.
pub(crate) const SCRIPT: &str = include_str!("../assets/entente.js");

/// A whole page: the navigation, then `body`.
pub(crate) fn page(title: &str, token: &str, body: &str) -> String {
    let head = format!(
        "<meta name=\"entente-token\" content=\"{}\">\n<style>{APP_STYLE}</style>\n<script src=\"/assets/entente.js\" defer></script>\n",
        escape(token)
    );
    let nav = "<nav class=\"app\"><span class=\"brand\">Entente</span><a href=\"/scenarios\">Scenarios</a><a href=\"/runs\">Runs</a><a href=\"/compare\">Compare</a><a href=\"/sweeps\">Sweeps</a><a href=\"/score\">Score</a><a href=\"/sensitivity\">Sensitivity</a></nav>\n";
    html::page(
        &format!("{title} · Entente"),
        &format!("{nav}{body}"),
        &head,
    )
}

/// A page's response.
pub(crate) fn respond(title: &str, token: &str, body: &str) -> Response {
    Response::html(200, page(title, token, body))
}

/// A document printed by the render layer's HTML printer (what `report
/// --format html` prints between its head and its end).
pub(crate) fn document(doc: &Document) -> Result<String, Failure> {
    html::body(doc).map_err(|e| Failure::new(500, e.to_string()))
}

/// A result's document, printed.
pub(crate) fn rendered(result: &dyn Render) -> Result<String, Failure> {
    document(&result.document())
}

/// The page of a failure.
pub(crate) fn failure(f: &Failure, token: &str) -> Response {
    let title = match f.status {
        400 => "Not a request the app takes",
        403 => "Refused",
        404 => "Not found",
        409 => "In the way",
        413 => "Too large",
        422 => "Not valid",
        _ => "Failed",
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{title}</h1>\n<p class=\"bad\" id=\"failure\">{}</p>\n<p><a href=\"/\">Back to the scenarios</a></p>\n",
        escape(&f.message).replace('\n', "<br>")
    );
    Response::html(f.status, page(title, token, &body))
}

/// A hidden field with the session's token, for a form that changes
/// something.
pub(crate) fn token_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"token\" value=\"{}\">",
        escape(token)
    )
}

/// A link.
pub(crate) fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape(href), escape(text))
}
