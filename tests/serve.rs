//! `entente serve` from outside, with a bare HTTP client: a run from the app
//! is the command's run byte for byte; hostile requests (paths out of the
//! folder, bodies and heads too large, missing or forged tokens, requests
//! from another site or under another Host, garbage) are refused and
//! change nothing; concurrent runs of one output leave one whole log; a
//! sweep cancelled, or a server killed mid-sweep, leaves no output.

use std::path::Path;
use std::time::Duration;

use crate::http::{Served, folder, wait_for};
use crate::util::{ok, s, scenario, scratch};

const MOSCOW: &str = "moscow-2015-12-15.json";

/// Insists that `request` (bytes as sent) is answered `status`, and that
/// the folder's `runs/` still holds exactly what it held.
fn refused(served: &Served, request: &str, status: u16, why: &str) {
    let before = listing(&served.dir.join("runs"));
    let reply = served.send(request);
    assert_eq!(
        reply.status, status,
        "{why}: {request:?} was answered {}: {}",
        reply.status, reply.body
    );
    assert_eq!(
        listing(&served.dir.join("runs")),
        before,
        "{why}: the request changed runs/"
    );
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_run_from_the_app_is_the_commands_run_byte_for_byte() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let reply = served.post_form(&format!("/scenarios/{MOSCOW}/run"), "seed=7");
    assert_eq!(reply.status, 303, "{reply:?}");
    assert_eq!(
        reply.header("location").as_deref(),
        Some("/runs/moscow-2015-12-15-seed7.jsonl")
    );
    let cli = tmp.path().join("cli.jsonl");
    ok(
        &tmp,
        &["run", s(&scenario(MOSCOW)), "--seed", "7", "--out", s(&cli)],
    );
    let app = served.dir.join("runs/moscow-2015-12-15-seed7.jsonl");
    assert!(
        std::fs::read(&app).unwrap() == std::fs::read(&cli).unwrap(),
        "the app's log differs from the command's"
    );
    // The same run asked again is the same log: shown, not written again.
    let again = served.post_form(&format!("/scenarios/{MOSCOW}/run"), "seed=7");
    assert_eq!(again.status, 303, "{again:?}");
    // The run's page verifies it and shows its fingerprint.
    let page = served.get("/runs/moscow-2015-12-15-seed7.jsonl");
    assert_eq!(page.status, 200);
    let head = ok(&tmp, &["replay", s(&app), "--format", "json"]).stdout;
    let head: serde_json::Value = serde_json::from_str(&head).unwrap();
    let head = head["head"].as_str().unwrap().to_owned();
    assert!(page.body.contains("id=\"verified\"") && page.body.contains(&head));
    // The command line reads what the app wrote.
    ok(&tmp, &["replay", "--rerun", s(&app)]);
}

#[test]
fn paths_out_of_the_folder_are_refused() {
    let tmp = scratch();
    let dir = folder(&tmp);
    let secret = tmp.path().join("secret.json");
    std::fs::write(&secret, "{\"not\": \"yours\"}").unwrap();
    std::os::unix::fs::symlink(&secret, dir.join("scenarios/leak.json")).unwrap();
    let served = Served::start(&dir);
    let host = served.addr.clone();
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
    for (path, status) in [
        ("/scenarios/..%2F..%2Fsecret.json", 403),
        ("/scenarios/%2Fetc%2Fpasswd", 403),
        ("/scenarios/..", 403),
        ("/scenarios/.%2E", 403),
        ("/runs/..%2Fscenarios%2Fmoscow-2015-12-15.json", 403),
        ("/scenarios/leak.json", 403),
        ("/sweeps/%2E%2E%2Fsecret.json", 403),
        ("/compare?a=%2Fetc%2Fpasswd&b=x.jsonl", 403),
        ("/compare?a=../secret.json&b=x.jsonl", 403),
        ("/score?history=..%2Fsecret.json", 403),
        ("/sensitivity?scenario=%2Fetc%2Fpasswd", 403),
        ("/../../etc/passwd", 404),
        ("/scenarios/nothing.json", 404),
    ] {
        refused(&served, &get(path), status, path);
        let reply = served.send(&get(path));
        assert!(!reply.body.contains("yours") && !reply.body.contains("root:"));
    }
    // A history file that names a scenario outside the folder.
    std::fs::write(
        dir.join("scenarios/evil.history.json"),
        "{\"version\": 1, \"scenario\": \"../../secret.json\", \"propositions\": []}",
    )
    .unwrap();
    refused(
        &served,
        &get("/score?history=evil.history.json"),
        403,
        "a history naming ../",
    );
    // A branch named into another folder is a name the app never takes.
    let reply = served.post_form(&format!("/scenarios/{MOSCOW}/run"), "seed=1");
    assert_eq!(reply.status, 303);
    let forged = served.post_form(
        "/runs/moscow-2015-12-15-seed1.jsonl/branch",
        "at=5&event=%7B%22..%2F..%2Fx%22%3A%7B%7D%7D",
    );
    assert_eq!(forged.status, 422, "{forged:?}");
    assert!(!tmp.path().join("x.jsonl").exists());
}

#[test]
fn bodies_and_heads_beyond_their_limits_are_refused_unread() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let (host, token) = (served.addr.clone(), served.token.clone());
    // A scenario check says 20 MB are coming: refused before one is read.
    refused(
        &served,
        &format!(
            "POST /scenarios/{MOSCOW}/check HTTP/1.1\r\nHost: {host}\r\nX-Entente-Token: {token}\r\nContent-Length: 20000000\r\n\r\n{{"
        ),
        413,
        "a body over the scenario limit",
    );
    // A form of a megabyte, sent whole.
    let big = format!("token={token}&seed=7&pad={}", "x".repeat(1 << 20));
    let reply = served.post(
        &format!("/scenarios/{MOSCOW}/run"),
        "application/x-www-form-urlencoded",
        &[],
        &big,
    );
    assert_eq!(reply.status, 413, "{}", reply.body);
    // A body without a length.
    refused(
        &served,
        &format!(
            "POST /sweeps HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        ),
        411,
        "a chunked body",
    );
    // A head of 64 KB, and a hundred headers.
    refused(
        &served,
        &format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nX-Long: {}\r\n\r\n",
            "y".repeat(64 << 10)
        ),
        431,
        "a long header",
    );
    let many: String = (0..100).map(|k| format!("X-{k}: {k}\r\n")).collect();
    refused(
        &served,
        &format!("GET / HTTP/1.1\r\nHost: {host}\r\n{many}\r\n"),
        431,
        "many headers",
    );
    refused(&served, "\x16\x03\x01garbage\r\n\r\n", 400, "not HTTP");
    // Still serving.
    assert_eq!(served.get("/").status, 200);
}

#[test]
fn state_changing_requests_need_the_sessions_token_and_the_apps_own_pages() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let host = served.addr.clone();
    let token = served.token.clone();
    let run = format!("/scenarios/{MOSCOW}/run");
    let form = |body: &str, extra: &str| {
        format!(
            "POST {run} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{extra}\r\n{body}",
            body.len()
        )
    };
    refused(&served, &form("seed=7", ""), 403, "no token");
    refused(&served, &form("token=&seed=7", ""), 403, "an empty token");
    let forged = "0".repeat(32);
    refused(
        &served,
        &form(&format!("token={forged}&seed=7"), ""),
        403,
        "a forged token",
    );
    refused(
        &served,
        &form("seed=7", &format!("X-Entente-Token: {}\r\n", &token[..31])),
        403,
        "a token one character short",
    );
    // Another site's page cannot ask, even with the token (which it could
    // not read), nor can a name rebound to this address.
    let good = format!("token={token}&seed=7");
    refused(
        &served,
        &form(&good, "Sec-Fetch-Site: cross-site\r\n"),
        403,
        "a request from another site",
    );
    let rebound = format!(
        "POST {run} HTTP/1.1\r\nHost: evil.example:80\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{good}",
        good.len()
    );
    refused(&served, &rebound, 403, "another Host");
    refused(
        &served,
        &format!(
            "GET /runs HTTP/1.1\r\nHost: attacker.example:{}\r\n\r\n",
            host.rsplit(':').next().unwrap()
        ),
        403,
        "a page read under another Host",
    );
    // The scenario's editor saves nothing without the token.
    let text = std::fs::read_to_string(scenario(MOSCOW)).unwrap();
    let save = served.post(
        &format!("/scenarios/{MOSCOW}/save"),
        "application/json",
        &[],
        &text.replace("Kerry", "Nobody"),
    );
    assert_eq!(save.status, 403);
    assert_eq!(
        std::fs::read_to_string(served.dir.join("scenarios").join(MOSCOW)).unwrap(),
        text
    );
    // With it, the run is made; every page names no other origin.
    let made = served.send(&form(&good, ""));
    assert_eq!(made.status, 303, "{made:?}");
    let csp = made.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
}

#[test]
fn a_scenario_is_saved_only_when_valid_and_the_old_one_is_kept() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let token = format!("X-Entente-Token: {}", served.token);
    let path = served.dir.join("scenarios/tutorial-three-actors.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["stances"][0]["position"] = serde_json::json!(150);
    let bad = serde_json::to_string_pretty(&doc).unwrap();
    let check = served.post(
        "/scenarios/tutorial-three-actors.json/check",
        "application/json",
        &[&token],
        &bad,
    );
    assert_eq!(check.status, 200);
    let verdict: serde_json::Value = serde_json::from_str(&check.body).unwrap();
    assert_eq!(verdict["valid"], false);
    assert_eq!(verdict["problems"][0]["path"], "$.stances[0].position");
    let save = served.post(
        "/scenarios/tutorial-three-actors.json/save",
        "application/json",
        &[&token],
        &bad,
    );
    assert_eq!(save.status, 422);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "an invalid file was saved"
    );
    doc["stances"][0]["position"] = serde_json::json!(55);
    let good = serde_json::to_string_pretty(&doc).unwrap();
    let save = served.post(
        "/scenarios/tutorial-three-actors.json/save",
        "application/json",
        &[&token],
        &good,
    );
    assert_eq!(save.status, 200, "{}", save.body);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), good);
    assert_eq!(
        std::fs::read_to_string(served.dir.join("scenarios/tutorial-three-actors.json.orig"))
            .unwrap(),
        text,
        "the old file was not kept"
    );
    // As a new file: never over one that exists.
    let again = served.post(
        "/scenarios/tutorial-three-actors.json/save?as=moscow-2015-12-15.json",
        "application/json",
        &[&token],
        &good,
    );
    assert_eq!(again.status, 400, "{}", again.body);
    let new = served.post(
        "/scenarios/tutorial-three-actors.json/save?as=tutorial-55.json",
        "application/json",
        &[&token],
        &good,
    );
    assert_eq!(new.status, 200, "{}", new.body);
    assert_eq!(
        std::fs::read_to_string(served.dir.join("scenarios/tutorial-55.json")).unwrap(),
        good
    );
}

#[test]
fn concurrent_runs_of_one_output_leave_one_whole_log() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let asks: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    served
                        .post_form(&format!("/scenarios/{MOSCOW}/run"), "seed=3")
                        .status
                })
            })
            .collect();
        asks.into_iter().map(|a| a.join().unwrap()).collect()
    });
    assert!(
        statuses.iter().all(|&s| s == 303 || s == 409) && statuses.contains(&303),
        "{statuses:?}"
    );
    assert_eq!(
        listing(&served.dir.join("runs")),
        ["moscow-2015-12-15-seed3.jsonl"],
        "a temporary or a second log was left"
    );
    let cli = tmp.path().join("cli.jsonl");
    ok(
        &tmp,
        &["run", s(&scenario(MOSCOW)), "--seed", "3", "--out", s(&cli)],
    );
    assert!(
        std::fs::read(served.dir.join("runs/moscow-2015-12-15-seed3.jsonl")).unwrap()
            == std::fs::read(&cli).unwrap()
    );
}

/// Starts a long sweep and waits until it has played some seeds; its job
/// page.
fn long_sweep(served: &Served) -> String {
    let reply = served.post_form("/sweeps", &format!("scenario={MOSCOW}&seeds=0..1000000"));
    assert_eq!(reply.status, 303, "{reply:?}");
    let job = reply.header("location").unwrap();
    wait_for(Duration::from_secs(120), "seeds played", || {
        let p: serde_json::Value =
            serde_json::from_str(&served.get(&format!("{job}/progress")).body).ok()?;
        (p["played"].as_u64()? > 0).then_some(())
    });
    job
}

#[test]
fn a_cancelled_sweep_and_a_server_killed_mid_sweep_leave_no_output() {
    let tmp = scratch();
    let dir = folder(&tmp);
    let mut served = Served::start(&dir);
    let job = long_sweep(&served);
    let cancel = served.post_form(&format!("{job}/cancel"), "");
    assert_eq!(cancel.status, 303);
    let state = wait_for(Duration::from_secs(60), "the sweep to stop", || {
        let p: serde_json::Value =
            serde_json::from_str(&served.get(&format!("{job}/progress")).body).ok()?;
        (p["state"] != "running").then(|| p["state"].clone())
    });
    assert_eq!(state, "cancelled");
    assert_eq!(listing(&dir.join("runs")), Vec::<String>::new());
    // Killed (SIGKILL) while it plays: nothing that looks complete, and a
    // new server lists no sweep.
    long_sweep(&served);
    served.kill();
    let left = listing(&dir.join("runs"));
    assert!(
        left.iter().all(|n| !n.ends_with(".sweep.json")),
        "a sweep output was left: {left:?}"
    );
    let again = Served::start(&dir);
    let page = again.get("/sweeps");
    assert!(!page.body.contains(".sweep.json</a>"), "{}", page.body);
}

/// Waits for the sweep whose job page is `job` to end; where it ended.
fn ended(served: &Served, job: &str) -> serde_json::Value {
    wait_for(Duration::from_secs(240), "the sweep to end", || {
        let p: serde_json::Value =
            serde_json::from_str(&served.get(&format!("{job}/progress")).body).ok()?;
        (p["state"] != "running").then_some(p)
    })
}

#[test]
fn a_sweep_from_the_app_is_the_commands_sweep_byte_for_byte() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let linkage = "moscow-2015-12-15-linkage.json";
    let reply = served.post_form(
        "/sweeps",
        &format!("scenario={MOSCOW}&vs={linkage}&seeds=0..40"),
    );
    assert_eq!(reply.status, 303, "{reply:?}");
    let job = reply.header("location").unwrap();
    let end = ended(&served, &job);
    assert_eq!(end["state"], "done", "{end}");
    let name = "moscow-2015-12-15-vs-moscow-2015-12-15-linkage-seeds0-40.sweep.json";
    assert_eq!(end["result"], format!("/sweeps/{name}"));
    let cli = tmp.path().join("cli.json");
    ok(
        &tmp,
        &[
            "sweep",
            s(&scenario(MOSCOW)),
            "--vs",
            s(&scenario(linkage)),
            "--seeds",
            "0..40",
            "--out",
            s(&cli),
        ],
    );
    assert!(
        std::fs::read(served.dir.join("runs").join(name)).unwrap() == std::fs::read(&cli).unwrap(),
        "the app's sweep differs from the command's"
    );
    // Its page: the outcomes' probabilities as bars with their intervals.
    let page = served.get(&format!("/sweeps/{name}"));
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<figure class=\"chart\" id=\"outcomes-0\">")
    );
    // Asked again, the same sweep is shown, not played again.
    let again = served.post_form(
        "/sweeps",
        &format!("scenario={MOSCOW}&vs={linkage}&seeds=0..40"),
    );
    assert_eq!(
        again.header("location").as_deref(),
        Some(format!("/sweeps/{name}").as_str())
    );
}

#[test]
fn score_and_sensitivity_are_the_commands_pages_served_live() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let score = served.get("/score?history=moscow-2015-12-15.history.json&seeds=0..4");
    assert_eq!(score.status, 200, "{}", score.body);
    assert!(
        score
            .body
            .contains("<figure class=\"chart\" id=\"reliability-chart\">"),
        "no reliability diagram"
    );
    let brier = ok(
        &tmp,
        &[
            "score",
            s(&scenario("moscow-2015-12-15.history.json")),
            "--seeds",
            "0..4",
            "--format",
            "json",
        ],
    )
    .stdout;
    let brier: serde_json::Value = serde_json::from_str(&brier).unwrap();
    let brier = brier["overall"]["brier"]
        .as_f64()
        .expect("the score's Brier score");
    assert!(
        score.body.contains(&format!("{brier:.3}")),
        "the page does not show the command's Brier score {brier:.3}"
    );
    let sensitivity =
        served.get("/sensitivity?scenario=tutorial-three-actors.json&seeds=0..3&method=oat");
    assert_eq!(sensitivity.status, 200, "{}", sensitivity.body);
    assert!(
        sensitivity.body.contains("id=\"tornado-"),
        "no tornado chart"
    );
    // More seeds than a page plays: refused, with the way out.
    let many = served.get("/sensitivity?scenario=tutorial-three-actors.json&seeds=0..100000");
    assert_eq!(many.status, 400);
    assert!(many.body.contains("command line"));
}

#[test]
fn a_runs_events_are_filtered_by_type_actor_and_round() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    assert_eq!(
        served
            .post_form(&format!("/scenarios/{MOSCOW}/run"), "seed=7")
            .status,
        303
    );
    let log = "/runs/moscow-2015-12-15-seed7.jsonl";
    let rows = |query: &str| -> Vec<String> {
        let page = served.get(&format!("{log}?{query}"));
        assert_eq!(page.status, 200, "{query}");
        page.body
            .lines()
            .filter(|l| l.starts_with("<tr id=\"seq-"))
            .map(str::to_owned)
            .collect()
    };
    let strikes = rows("kind=strike");
    assert!(!strikes.is_empty());
    assert!(strikes.iter().all(|r| r.contains("data-kind=\"strike\"")));
    let everything = rows("kind=all");
    let in_round_3 = rows("kind=all&round=3");
    assert!(!in_round_3.is_empty() && in_round_3.len() < everything.len());
    assert!(
        in_round_3
            .iter()
            .all(|r| r.contains("<td class=\"n\">3</td><td>"))
    );
    let russian_strikes = rows("kind=strike&actor=RUS");
    assert!(!russian_strikes.is_empty() && russian_strikes.len() < strikes.len());
    assert!(russian_strikes.iter().all(|r| r.contains("RUS")));
}

#[test]
fn a_tampered_log_is_shown_as_failing_verification_and_cannot_be_branched() {
    let tmp = scratch();
    let dir = folder(&tmp);
    std::fs::create_dir_all(dir.join("runs")).unwrap();
    let log = dir.join("runs/tampered.jsonl");
    ok(
        &tmp,
        &["run", s(&scenario(MOSCOW)), "--seed", "2", "--out", s(&log)],
    );
    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[40] = lines[40].replacen("\"round\":", "\"round\": ", 1);
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let served = Served::start(&dir);
    let page = served.get("/runs/tampered.jsonl");
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("line 41"), "{}", page.body);
    let before = listing(&dir.join("runs"));
    let branch = served.post_form(
        "/runs/tampered.jsonl/branch",
        "at=5&event=%7B%22ceasefire_agreed%22%3A%7B%22theatre%22%3A%22syria%22%7D%7D",
    );
    assert_eq!(branch.status, 422, "{}", branch.body);
    assert_eq!(listing(&dir.join("runs")), before);
}

#[test]
fn the_what_if_menu_offers_only_what_branch_takes() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    assert_eq!(
        served
            .post_form(&format!("/scenarios/{MOSCOW}/run"), "seed=7")
            .status,
        303
    );
    let log = served.dir.join("runs/moscow-2015-12-15-seed7.jsonl");
    let page = served.get("/runs/moscow-2015-12-15-seed7.jsonl/branch?at=169");
    assert_eq!(page.status, 200, "{}", page.body);
    // The first offer of each event type, put in with the command line.
    let mut kinds = std::collections::BTreeSet::new();
    let offers: Vec<String> = page
        .body
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| o.split_once('"').map(|(v, _)| v.replace("&quot;", "\"")))
        .filter(|v| !v.is_empty())
        .filter(|v| {
            let kind: serde_json::Value = serde_json::from_str(v).unwrap();
            kinds.insert(kind.as_object().unwrap().keys().next().unwrap().clone())
        })
        .collect();
    assert!(offers.len() >= 5, "{offers:?}");
    for (k, offer) in offers.iter().enumerate() {
        let out = tmp.path().join(format!("b{k}.jsonl"));
        ok(
            &tmp,
            &[
                "branch",
                s(&log),
                "--at",
                "169",
                "--inject",
                offer,
                "--out",
                s(&out),
            ],
        );
    }
    // After the last event of a finished run nothing may be put in: no
    // menu, as `branch` refuses.
    let events = std::fs::read_to_string(&log).unwrap().lines().count() - 1;
    let end = served.get(&format!(
        "/runs/moscow-2015-12-15-seed7.jsonl/branch?at={events}"
    ));
    assert_eq!(end.status, 400, "{}", end.body);
    assert!(end.body.contains("nothing happens after it"));
}

/// The fourth hostile pass: a server listening on every address
/// (`--bind 0.0.0.0`) answers no request, a page read included, under a
/// Host that names another site: a page that rebinds its name to this
/// machine could read the pages and the session's token. Addresses written
/// as numbers, and localhost, at the server's port, are answered.
#[test]
fn a_server_on_every_address_answers_no_page_under_another_host() {
    let dir = scratch();
    let served = Served::start_with(&folder(&dir), &["--bind", "0.0.0.0"]);
    let port = served.addr.rsplit(':').next().unwrap().to_owned();
    let read = |host: &str| {
        served.send(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("127.0.0.1:{}", port.parse::<u32>().unwrap() + 1),
        String::new(),
    ] {
        let reply = read(&host);
        assert_eq!(reply.status, 403, "{host:?}: {}", reply.body);
        assert!(!reply.body.contains(&served.token), "{host:?}");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("192.0.2.7:{port}"),
    ] {
        assert_eq!(read(&host).status, 200, "{host:?}");
    }
    // On the loopback address too, a refusal does not carry the token.
    let local = Served::start(&folder(&scratch()));
    let reply = local.send(&format!(
        "GET / HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n",
        local.addr.rsplit(':').next().unwrap()
    ));
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(!reply.body.contains(&local.token), "{}", reply.body);
}

/// A sixth hostile pass: a sweep asked for when its output's name already
/// holds another sweep (another scenario with the same id, or the scenario
/// before an edit) or a user's file was answered with that file as its
/// result; the editor's Save over a name that is a symbolic link wrote
/// through the link. Both are refused now, naming the file, and nothing
/// changes.
#[test]
fn a_sweep_is_shown_only_as_its_own_output_and_a_save_never_writes_through_a_link() {
    let tmp = scratch();
    let served = Served::start(&folder(&tmp));
    let token = format!("X-Entente-Token: {}", served.token);
    let tutorial = "tutorial-three-actors.json";
    let text = std::fs::read_to_string(served.dir.join("scenarios").join(tutorial)).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["stances"][0]["position"] = serde_json::json!(90);
    doc["stances"][0]["uncertainty"] = serde_json::json!(0);
    let variant = serde_json::to_string_pretty(&doc).unwrap();
    std::fs::write(served.dir.join("scenarios/variant.json"), &variant).unwrap();

    let first = served.post_form("/sweeps", &format!("scenario={tutorial}&seeds=0..7"));
    assert_eq!(first.status, 303, "{first:?}");
    let end = ended(&served, &first.header("location").unwrap());
    assert_eq!(end["state"], "done", "{end}");
    let name = "tutorial-three-actors-seeds0-7.sweep.json";
    let before = std::fs::read(served.dir.join("runs").join(name)).unwrap();
    // The same id, other positions: not the first sweep's result.
    let other = served.post_form("/sweeps", "scenario=variant.json&seeds=0..7");
    assert_eq!(other.status, 409, "{other:?}");
    assert!(
        other.body.contains(name) && other.body.contains("already exists and is not this sweep"),
        "{}",
        other.body
    );
    assert_eq!(
        std::fs::read(served.dir.join("runs").join(name)).unwrap(),
        before
    );
    // The same sweep asked again is shown.
    let again = served.post_form("/sweeps", &format!("scenario={tutorial}&seeds=0..7"));
    assert_eq!(
        again.header("location").as_deref(),
        Some(format!("/sweeps/{name}").as_str())
    );
    // A user's file at the name: kept, and the refusal says why.
    let mine = served
        .dir
        .join("runs/tutorial-three-actors-seeds0-10.sweep.json");
    std::fs::write(&mine, "mine\n").unwrap();
    let user = served.post_form("/sweeps", &format!("scenario={tutorial}&seeds=0..10"));
    assert_eq!(user.status, 409, "{user:?}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine\n");

    // Save over a link: refused, the file it names unchanged.
    std::fs::write(served.dir.join("scenarios/b.json"), &text).unwrap();
    std::os::unix::fs::symlink("b.json", served.dir.join("scenarios/a.json")).unwrap();
    doc["title"] = serde_json::json!("edited");
    let edited = serde_json::to_string_pretty(&doc).unwrap();
    let save = served.post(
        "/scenarios/a.json/save",
        "application/json",
        &[&token],
        &edited,
    );
    assert_eq!(save.status, 403, "{}", save.body);
    assert!(save.body.contains("symbolic link"), "{}", save.body);
    assert_eq!(
        std::fs::read_to_string(served.dir.join("scenarios/b.json")).unwrap(),
        text
    );
    assert!(!served.dir.join("scenarios/b.json.orig").exists());
    assert!(
        std::fs::symlink_metadata(served.dir.join("scenarios/a.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
