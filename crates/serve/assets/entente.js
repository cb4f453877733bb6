// entente.js: the workbench's one script, served by `entente serve` from
// the binary (no CDN, no build step). Written for Entente; licensed as
// Entente is, MIT OR Apache-2.0 (SPDX-License-Identifier: MIT OR Apache-2.0);
// see docs/serve.md.
//
// Every page works without it but for what it adds: charts whose series can
// be shown and hidden, with values on hover; the scenario editor's checks as
// you type; the branch form's preview; a sweep's progress.
"use strict";

(function () {
  const token = (document.querySelector('meta[name="entente-token"]') || {}).content || "";

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "X-Entente-Token": token, "Content-Type": "application/json" },
      body: body,
      credentials: "same-origin",
    }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function debounce(f, ms) {
    let timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(f, ms);
    };
  }

  // Charts: a checkbox per series (drawn in the SVG as g[data-series]);
  // each point's value, in its ring's title, shown on hover.
  function charts() {
    const tip = document.createElement("div");
    tip.className = "tip";
    tip.hidden = true;
    document.body.appendChild(tip);
    document.querySelectorAll("figure.chart").forEach(function (figure) {
      const groups = figure.querySelectorAll("g.series[data-series]");
      if (groups.length === 0) return;
      const toggles = document.createElement("div");
      toggles.className = "series-toggles";
      groups.forEach(function (g) {
        const name = g.getAttribute("data-series");
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.checked = true;
        box.setAttribute("data-toggle", name);
        box.addEventListener("change", function () {
          figure.querySelectorAll("[data-series]").forEach(function (el) {
            if (el.getAttribute("data-series") === name) el.style.display = box.checked ? "" : "none";
          });
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + name));
        toggles.appendChild(label);
      });
      figure.insertBefore(toggles, figure.firstChild);
      figure.querySelectorAll("g.values circle").forEach(function (c) {
        const title = c.querySelector("title");
        c.addEventListener("mouseenter", function (e) {
          tip.textContent = title ? title.textContent : "";
          tip.hidden = false;
          tip.style.left = e.pageX + 12 + "px";
          tip.style.top = e.pageY - 28 + "px";
        });
        c.addEventListener("mouseleave", function () { tip.hidden = true; });
      });
    });
  }

  // A JSON path as the loader writes it ($.stances[3].position), as steps.
  function steps(path) {
    const out = [];
    path.replace(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g, function (_, key, index) {
      out.push(key !== undefined ? key : Number(index));
      return "";
    });
    return out;
  }

  function setPath(obj, path, value) {
    const s = steps(path);
    let at = obj;
    for (let k = 0; k < s.length - 1; k++) {
      if (at === null || typeof at !== "object") return;
      at = at[s[k]];
    }
    if (at !== null && typeof at === "object") at[s[s.length - 1]] = value;
  }

  function getPath(obj, path) {
    let at = obj;
    for (const step of steps(path)) {
      if (at === null || typeof at !== "object") return undefined;
      at = at[step];
    }
    return at;
  }

  // The scenario editor: fields and the whole file kept in step, checked
  // by the server as you type, saved only when valid.
  function editor() {
    const section = document.getElementById("editor");
    if (!section) return;
    const name = section.getAttribute("data-name");
    const text = document.getElementById("scenario-text");
    const fields = section.querySelectorAll("[data-path]");
    const problems = document.getElementById("problems");
    const status = document.getElementById("check-status");
    const saveOver = document.getElementById("save-over");
    const saveNew = document.getElementById("save-new");
    const newName = document.getElementById("new-name");
    const saveStatus = document.getElementById("save-status");
    let asked = 0;

    function show(verdict) {
      problems.textContent = "";
      section.querySelectorAll(".problem[data-for]").forEach(function (el) { el.remove(); });
      fields.forEach(function (f) { f.removeAttribute("aria-invalid"); });
      verdict.problems.forEach(function (p) {
        const li = document.createElement("li");
        if (p.path) {
          const code = document.createElement("code");
          code.textContent = p.path;
          li.appendChild(code);
          li.appendChild(document.createTextNode(": "));
        }
        li.appendChild(document.createTextNode(p.message));
        li.setAttribute("data-path", p.path);
        problems.appendChild(li);
        fields.forEach(function (f) {
          if (f.getAttribute("data-path") === p.path) {
            f.setAttribute("aria-invalid", "true");
            const note = document.createElement("span");
            note.className = "problem";
            note.setAttribute("data-for", p.path);
            note.textContent = " " + p.message;
            f.insertAdjacentElement("afterend", note);
          }
        });
      });
      status.textContent = verdict.valid ? "Valid: it may be saved." : verdict.problems.length + " problem(s): it cannot be saved until they are fixed.";
      status.className = verdict.valid ? "ok" : "bad";
      saveOver.disabled = !verdict.valid;
      saveNew.disabled = !verdict.valid;
    }

    const check = debounce(function () {
      const mine = ++asked;
      status.textContent = "Checking…";
      status.className = "muted";
      post("/scenarios/" + encodeURIComponent(name) + "/check", text.value).then(function (r) {
        if (mine === asked) show(r.data);
      }).catch(function (e) { status.textContent = "Cannot check: " + e; });
    }, 150);

    function changed() {
      saveOver.disabled = true;
      saveNew.disabled = true;
      check();
    }

    fields.forEach(function (f) {
      f.addEventListener("input", function () {
        let doc;
        try { doc = JSON.parse(text.value); } catch (e) { changed(); return; }
        let value = f.value;
        if (f.type === "number") {
          value = f.value.trim() === "" ? "" : Number(f.value);
        }
        setPath(doc, f.getAttribute("data-path"), value);
        text.value = JSON.stringify(doc, null, 2) + "\n";
        changed();
      });
    });
    text.addEventListener("input", function () {
      try {
        const doc = JSON.parse(text.value);
        fields.forEach(function (f) {
          const v = getPath(doc, f.getAttribute("data-path"));
          if (v !== undefined && document.activeElement !== f) f.value = v;
        });
      } catch (e) { /* the server says where the syntax fails */ }
      changed();
    });

    function save(query) {
      saveStatus.textContent = "Saving…";
      post("/scenarios/" + encodeURIComponent(name) + "/save" + query, text.value).then(function (r) {
        if (r.status === 200 && r.data.valid) {
          saveStatus.textContent = "Saved to " + r.data.saved + (r.data.kept ? "; the old file is " + r.data.kept : "") + ".";
          saveStatus.className = "ok";
          if (query) window.location = r.data.url;
        } else if (r.data.problems) {
          show(r.data);
          saveStatus.textContent = "Not saved.";
        } else {
          saveStatus.textContent = "Not saved.";
        }
      }).catch(function (e) { saveStatus.textContent = "Not saved: " + e; });
    }
    saveOver.addEventListener("click", function () { save(""); });
    saveNew.addEventListener("click", function () {
      save("?as=" + encodeURIComponent(newName.value.trim()));
    });
  }

  // "What if…": the chosen offer (and its number) written as the event,
  // previewed by the server as the branch would complete and check it.
  function whatIf() {
    const form = document.getElementById("whatif");
    if (!form) return;
    const name = form.getAttribute("data-name");
    const at = Number(form.querySelector('input[name="at"]').value);
    const offer = document.getElementById("offer");
    const value = document.getElementById("value");
    const valueLabel = document.getElementById("value-label");
    const event = document.getElementById("event");
    const preview = document.getElementById("preview");
    const previewEvent = document.getElementById("preview-event");
    const run = document.getElementById("run-branch");
    let asked = 0;
    valueLabel.hidden = true;
    run.disabled = true;

    const check = debounce(function () {
      const mine = ++asked;
      let parsed;
      try { parsed = JSON.parse(event.value); } catch (e) {
        preview.textContent = "Not JSON yet.";
        preview.className = "bad";
        run.disabled = true;
        return;
      }
      preview.textContent = "Checking…";
      preview.className = "muted";
      post("/runs/" + encodeURIComponent(name) + "/preview", JSON.stringify({ at: at, event: parsed })).then(function (r) {
        if (mine !== asked) return;
        if (r.data.ok) {
          preview.textContent = "It can happen here; completed by the state as the branch will put it in:";
          preview.className = "ok";
          previewEvent.textContent = JSON.stringify(r.data.event, null, 1);
          run.disabled = false;
        } else {
          preview.textContent = r.data.problem || "Refused.";
          preview.className = "bad";
          previewEvent.textContent = "";
          run.disabled = true;
        }
      }).catch(function (e) { preview.textContent = "Cannot check: " + e; });
    }, 150);

    function fromOffer() {
      const option = offer.options[offer.selectedIndex];
      if (!option || !option.value) { event.value = ""; valueLabel.hidden = true; run.disabled = true; return; }
      const doc = JSON.parse(option.value);
      const field = option.getAttribute("data-field");
      if (field) {
        valueLabel.hidden = false;
        value.min = option.getAttribute("data-min");
        const max = option.getAttribute("data-max");
        if (max) value.max = max; else value.removeAttribute("max");
        if (document.activeElement !== value) value.value = option.getAttribute("data-value");
        const body = doc[Object.keys(doc)[0]];
        if (value.value.trim() !== "") body[field] = Number(value.value);
      } else {
        valueLabel.hidden = true;
      }
      event.value = JSON.stringify(doc);
      check();
    }
    offer.addEventListener("change", function () { value.value = ""; fromOffer(); });
    value.addEventListener("input", fromOffer);
    event.addEventListener("input", check);
  }

  // A sweep's progress, asked for four times a second until it ends.
  function sweep() {
    const section = document.getElementById("job");
    if (!section) return;
    const url = section.getAttribute("data-progress");
    const bar = document.getElementById("progress");
    const played = document.getElementById("played");
    const state = document.getElementById("state");
    const result = document.getElementById("result");
    const cancel = document.getElementById("cancel-form");
    function poll() {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (p) {
        bar.max = p.total;
        bar.value = p.played;
        played.textContent = p.played;
        state.textContent = p.words;
        state.setAttribute("data-state", p.state);
        if (p.state === "running") {
          setTimeout(poll, 250);
          return;
        }
        if (cancel) cancel.remove();
        if (p.state === "done" && p.result) {
          const a = document.createElement("a");
          a.href = p.result;
          a.textContent = "The sweep's outcomes";
          result.textContent = "";
          result.appendChild(a);
          window.location = p.result;
        }
      }).catch(function () { setTimeout(poll, 1000); });
    }
    if (state.getAttribute("data-state") === "running") poll();
  }

  function start() {
    charts();
    editor();
    whatIf();
    sweep();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
