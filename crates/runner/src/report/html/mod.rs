//! The HTML reports: one self-contained page (no script, no font, no
//! network) per run or sweep, with its charts as inline SVG.
//!
//! Every chart is a `<figure class="chart">` holding an `<svg role="img">`
//! with a `<title>`, and is followed by its numbers as a table, for screen
//! readers and for copying.

mod charts;
mod run;
mod score;
mod sensitivity;
mod sweep;

use std::fmt::Write as _;

pub use run::run_page;
pub use score::score_page;
pub use sensitivity::sensitivity_page;
pub use sweep::sweep_page;

const STYLE: &str = "
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; }
dl.meta dt { font-weight: 600; }
code, .hash { font-family: ui-monospace, monospace; font-size: 0.85em; word-break: break-all; }
figure.chart { margin: 1.2rem 0; }
figure.chart svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.9rem; color: #333; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.15rem 0.5rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: 0.3rem 0 1rem; }
";

/// Escapes text for HTML.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn figure(out: &mut String, id: &str, svg: &str, caption: &str) {
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{}\">\n{svg}\n<figcaption>{caption}</figcaption>\n</figure>\n",
        escape(id)
    );
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}
