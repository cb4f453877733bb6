//! Dispatch: each command calls the runner and prints what it returns.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::CommandFactory;
use serde_json::json;

use entente_core::RunConfig;
use entente_runner::logfile::Durability;
use entente_runner::output::check_paths;
use entente_runner::replay::{self, StateView};
use entente_runner::report::{self, Style};
use entente_runner::simulate::{self, Output};
use entente_runner::{EXIT_INPUT, EXIT_OK, Error, scenario};

use crate::args::{
    BacktestArgs, BranchArgs, CheckLawsArgs, Cli, Command, CompareArgs, Format, MergeArgs,
    RepairArgs, ReplayArgs, ReportArgs, ReportFormat, RunArgs, SweepArgs, Sync, ValidateArgs,
};

/// Runs the command; returns the exit status.
pub(crate) fn dispatch(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Replay(args) => replay(args),
        Command::Report(args) => report(args),
        Command::Validate(args) => validate(args),
        Command::Compare(args) => compare(args),
        Command::Branch(args) => branch(args),
        Command::Sweep(args) => sweep(args),
        Command::Merge(args) => merge(args),
        Command::Repair(args) => repair(args),
        Command::Cameo => cameo(),
        Command::CheckLaws(args) => check_laws(args),
        Command::Backtest(args) => backtest(args),
        Command::Schema => print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&entente_core::Scenario::json_schema())?
        )),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "entente", &mut script);
            print(&String::from_utf8_lossy(&script))
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            print(&String::from_utf8_lossy(&page))
        }
    }
}

fn backtest(args: BacktestArgs) -> Result<i32> {
    use entente_runner::backtest;
    check_paths(&[("--csv", args.csv.as_deref())], &[&args.file])?;
    let cases = backtest::read(&args.file)?;
    if cases.is_empty() {
        return Err(
            Error::Usage(format!("{}: no issue with an outcome", args.file.display())).into(),
        );
    }
    let options = backtest::Options {
        rounds: args.rounds.clamp(1, entente_core::limits::MAX_ROUNDS),
        bootstrap: args.bootstrap.min(1_000_000),
        seed: args.seed,
    };
    let result = backtest::backtest(&cases, options)?;
    if let Some(path) = &args.csv {
        write_file(path, result.csv().as_bytes())?;
    }
    match args.format {
        Format::Json => print(&format!("{}\n", serde_json::to_string_pretty(&result)?)),
        Format::Text => print(&format!(
            "{} issues with an outcome, {} rounds per model, MAE intervals from {} bootstrap resamples (seed {})\n\n{}",
            result.issues,
            result.rounds,
            result.bootstrap,
            result.seed,
            result.table()
        )),
    }
}

fn check_laws(args: CheckLawsArgs) -> Result<i32> {
    check_paths(&[("--out", args.out.as_deref())], &[&args.scenario])?;
    let scenario = scenario::load(&args.scenario)?;
    let ranges = entente_runner::laws::Ranges {
        position: args.vary_positions,
        salience: args.vary_saliences,
        capability: args.vary_capabilities,
    };
    if let Some(problem) = ranges.problem() {
        return Err(Error::Usage(problem).into());
    }
    match entente_runner::laws::check(&scenario, args.cases, ranges) {
        Ok(cases) => {
            let mut text = format!(
                "{}: every law holds over {cases} variations (positions ±{}, saliences ×(1 ± {}), capabilities ×[1/{}, {}]):\n",
                args.scenario.display(),
                ranges.position,
                ranges.salience,
                ranges.capability,
                ranges.capability
            );
            for law in entente_core::laws::Law::ALL {
                text.push_str(&format!("  ok  {law}\n"));
            }
            print(&text)
        }
        Err(failure) => {
            let path = args
                .out
                .clone()
                .unwrap_or_else(|| format!("{}.counterexample.json", scenario.id).into());
            write_file(&path, failure.scenario_json().as_bytes())?;
            let _ = writeln!(
                io::stderr(),
                "law broken: {}\n  {}\n  after {} passing variation(s); the smallest counterexample is in {}\n  run it: entente run {} --seed {}",
                failure.violation.law,
                failure.violation.detail,
                failure.passed,
                path.display(),
                path.display(),
                failure.seed
            );
            Ok(entente_runner::EXIT_VERIFY)
        }
    }
}

fn cameo() -> Result<i32> {
    let mut text = String::from("code\tgoldstein\tquad\tlabel\n");
    for c in entente_core::cameo::table() {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            c.code, c.goldstein, c.quad, c.label
        ));
    }
    print(&text)
}

fn repair(args: RepairArgs) -> Result<i32> {
    match entente_runner::repair::repair(&args.log, args.truncate_at)? {
        None => print(&format!(
            "{}: verifies; nothing to repair\n",
            args.log.display()
        )),
        Some(r) => print(&format!(
            "{}: kept events 1..{}; the original is {}\n  damage: {}\n",
            args.log.display(),
            r.kept,
            r.original.display(),
            r.damage
        )),
    }
}

fn durability(sync: Sync) -> Durability {
    match sync {
        Sync::Round => Durability::Round,
        Sync::End => Durability::End,
        Sync::Never => Durability::Never,
    }
}

fn compare(args: CompareArgs) -> Result<i32> {
    let comparison = entente_runner::compare::compare(&args.log_a, &args.log_b)?;
    match args.format {
        Format::Json => print(&format!("{}\n", serde_json::to_string_pretty(&comparison)?)),
        Format::Text => print(&comparison.render(
            &args.log_a.display().to_string(),
            &args.log_b.display().to_string(),
        )),
    }
}

fn branch(args: BranchArgs) -> Result<i32> {
    let inject = args
        .inject
        .iter()
        .map(|text| entente_runner::branch::parse_inject(text))
        .collect::<Result<Vec<_>, _>>()?;
    let request = entente_runner::branch::Request {
        parent: args.log.clone(),
        at: args.at,
        inject,
        seed: args.seed,
        output: Output {
            path: args.out.clone(),
            durability: durability(args.sync),
            replace: args.force,
        },
    };
    let written = entente_runner::branch::branch(&request)?;
    match args.format {
        Format::Json => print(&format!(
            "{}\n",
            json!({
                "log": written.path,
                "parent": args.log,
                "at": args.at,
                "injected": request.inject.len(),
                "head": written.head.to_string(),
                "events": written.events,
            })
        )),
        Format::Text => print(&format!(
            "{}\n  kept events 1..{} of {}, put in {} event(s), ran on to round {}\n  {} events, fingerprint {}\n",
            written.path.display(),
            args.at,
            args.log.display(),
            request.inject.len(),
            written.rounds,
            written.events,
            written.head
        )),
    }
}

fn sweep(args: SweepArgs) -> Result<i32> {
    let inputs: Vec<&Path> = std::iter::once(args.scenario.as_path())
        .chain(args.vs.as_deref())
        .collect();
    check_paths(
        &[
            ("--out", args.out.as_deref()),
            ("--csv", args.csv.as_deref()),
        ],
        &inputs,
    )?;
    let mut scenarios = vec![scenario::load(&args.scenario)?];
    if let Some(vs) = &args.vs {
        scenarios.push(scenario::load(vs)?);
    }
    let plan = entente_runner::sweep::Plan {
        scenarios,
        seeds: entente_runner::sweep::parse_seeds(&args.seeds)?,
        rounds: args.rounds,
        shard: args
            .shard
            .as_deref()
            .map(entente_runner::sweep::parse_shard)
            .transpose()?,
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        }),
        csv: args.csv.clone(),
        progress: true,
    };
    let output = entente_runner::sweep::sweep(&plan)?;
    let json = format!("{}\n", serde_json::to_string_pretty(&output)?);
    match (&args.out, args.format) {
        (Some(path), _) => {
            write_file(path, json.as_bytes())?;
            print(&output.render_text())
        }
        (None, Format::Json) => print(&json),
        (None, Format::Text) => print(&output.render_text()),
    }
}

fn merge(args: MergeArgs) -> Result<i32> {
    let parts: Vec<&Path> = args.parts.iter().map(PathBuf::as_path).collect();
    check_paths(&[("--out", Some(&args.out))], &parts)?;
    let texts = args
        .parts
        .iter()
        .map(|p| {
            let bytes = entente_runner::input::read_limited(p, "a sweep part", 1 << 30)?;
            String::from_utf8(bytes)
                .map(|text| (p.clone(), text))
                .map_err(|_| Error::Usage(format!("{}: not UTF-8 text", p.display())))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let json_parts = texts
        .iter()
        .filter(|(_, t)| t.trim_start().starts_with('{'))
        .count();
    let merged = if json_parts == texts.len() {
        let parts = texts
            .iter()
            .map(|(p, t)| entente_runner::input::parse_json(p, t.as_bytes()))
            .collect::<Result<Vec<entente_runner::sweep::SweepOutput>, Error>>()?;
        format!(
            "{}\n",
            serde_json::to_string_pretty(&entente_runner::sweep::merge(&parts)?)?
        )
    } else if json_parts == 0 {
        entente_runner::sweep::merge_csv(&texts)?
    } else {
        return Err(Error::Usage("merge: the parts must be all JSON or all CSV".to_owned()).into());
    };
    write_file(&args.out, merged.as_bytes())
}

fn run(args: RunArgs) -> Result<i32> {
    let scenario = scenario::load(&args.scenario)?;
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| simulate::default_log_path(&scenario, args.seed));
    let output = Output {
        path,
        durability: durability(args.sync),
        replace: args.force,
    };
    let config = RunConfig {
        seed: args.seed,
        rounds: args.rounds,
        ..RunConfig::default()
    };
    let written = simulate::run_to_file(&scenario, config, Vec::new(), &output)?;
    let state = &written.state;
    let issues: Vec<_> = (0..state.issues().len())
        .map(|i| {
            json!({
                "id": state.issues()[i],
                "mean": state.mean(i),
                "median": state.median(i),
                "agreed": state.agreement(i).map(|a| a.position),
            })
        })
        .collect();
    match args.format {
        Format::Json => print(&format!(
            "{}\n",
            json!({
                "log": written.path,
                "head": written.head.to_string(),
                "events": written.events,
                "rounds": written.rounds,
                "issues": issues,
            })
        )),
        Format::Text => {
            let mut text = format!(
                "{}\n  {} rounds, {} events, fingerprint {}\n",
                written.path.display(),
                written.rounds,
                written.events,
                written.head
            );
            for i in 0..state.issues().len() {
                let agreed = state
                    .agreement(i)
                    .map(|a| format!("  agreed in round {} at {:.1}", a.round, a.position))
                    .unwrap_or_default();
                text.push_str(&format!(
                    "  {:<24} mean {:>5.1}  median {:>5.1}{agreed}\n",
                    state.issues()[i],
                    state.mean(i),
                    state.median(i)
                ));
            }
            print(&text)
        }
    }
}

fn replay(args: ReplayArgs) -> Result<i32> {
    if args.rerun {
        let events = entente_runner::repair::rerun(&args.log)?;
        return match args.format {
            Format::Json => print(&format!(
                "{}\n",
                json!({"rerun": "identical", "events": events})
            )),
            Format::Text => print(&format!(
                "{}: re-run from its header: byte-identical ({events} events)\n",
                args.log.display()
            )),
        };
    }
    let mut at_state = None;
    let replayed = replay::replay(&args.log, |env, state| {
        if Some(env.seq) == args.at {
            at_state = Some(state.clone());
        }
    })?;
    let (state, seq) = match args.at {
        None => (&replayed.state, replayed.events),
        Some(0) => {
            at_state = Some(entente_core::State::new(&replayed.header.scenario));
            (at_state.as_ref().unwrap_or(&replayed.state), 0)
        }
        Some(at) => match &at_state {
            Some(s) => (s, at),
            None => {
                return Err(Error::Usage(format!(
                    "--at {at}: the log has {} events",
                    replayed.events
                ))
                .into());
            }
        },
    };
    let view = StateView::new(&replayed.header, state, seq);
    let note = if replayed.complete() {
        String::new()
    } else {
        format!(
            "note: the log ends after round {} of {}: the run stopped between two lines\n",
            replayed
                .state
                .closed()
                .map_or("none".to_owned(), |r| r.to_string()),
            replayed.header.rounds
        )
    };
    match args.format {
        Format::Json => print(&format!(
            "{}\n",
            json!({
                "verified": true,
                "events": replayed.events,
                "head": replayed.head.to_string(),
                "complete": replayed.complete(),
                "state": view,
            })
        ))?,
        Format::Text => print(&format!(
            "verified {} events of {}, fingerprint {}\n{note}{}",
            replayed.events,
            args.log.display(),
            replayed.head,
            view.render()
        ))?,
    };
    Ok(EXIT_OK)
}

fn report(args: ReportArgs) -> Result<i32> {
    check_paths(&[("--out", args.out.as_deref())], &[&args.log])?;
    let text = if is_sweep_output(&args.log)? {
        let bytes = entente_runner::input::read_limited(&args.log, "a sweep output", 1 << 30)?;
        let sweep: entente_runner::sweep::SweepOutput =
            entente_runner::input::parse_json(&args.log, &bytes)?;
        match args.format {
            ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(&sweep)?),
            ReportFormat::Text | ReportFormat::Markdown => sweep.render_text(),
            ReportFormat::Html => entente_runner::html::sweep_page(&sweep)?,
        }
    } else {
        let report = report::from_log(&args.log)?;
        match args.format {
            ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
            ReportFormat::Text => report.render(Style::Text),
            ReportFormat::Markdown => report.render(Style::Markdown),
            ReportFormat::Html => entente_runner::html::run_page(&report)?,
        }
    };
    match &args.out {
        Some(path) => write_file(path, text.as_bytes()),
        None => print(&text),
    }
}

fn validate(args: ValidateArgs) -> Result<i32> {
    let mut status = EXIT_OK;
    for path in &args.scenarios {
        match scenario::load(path) {
            Ok(s) => print(&format!(
                "{}: ok ({} actors, {} issues, {} stances, {} timeline events)\n",
                path.display(),
                s.actors.len(),
                s.issues.len(),
                s.stances.len(),
                s.timeline.len()
            ))
            .map(|_| ())?,
            Err(e) => {
                let _ = writeln!(io::stderr(), "error: {e}");
                status = EXIT_INPUT;
            }
        }
    }
    Ok(status)
}

/// Whether `path` holds a sweep's JSON output rather than a log.
fn is_sweep_output(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| Error::io(path, "cannot read", e))?;
    let text = String::from_utf8_lossy(&head[..n]);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    Ok(compact.starts_with("{\"format\":\"entente-sweep\""))
}

/// Writes to standard output; a closed pipe (`| head`) ends quietly.
fn print(text: &str) -> Result<i32> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(EXIT_OK),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(Error::io(Path::new("<stdout>"), "cannot write", e).into()),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<i32> {
    entente_runner::output::write_atomically(path, bytes)?;
    Ok(EXIT_OK)
}
