//! Dispatch: each command calls the runner and prints what it returns.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::CommandFactory;

use entente_core::RunConfig;
use entente_runner::input::{self, FileKind};
use entente_runner::output::{Planned, check_paths, is_stdout};
use entente_runner::render::{Format, Render};
use entente_runner::simulate::{self, Output};
use entente_runner::{EXIT_INPUT, EXIT_OK, EXIT_VERIFY, Error, report, scenario, shard, sweep};

use crate::args::{
    BacktestArgs, BranchArgs, CheckLawsArgs, Cli, Command, CompareArgs, ImportArgs, ImportFormat,
    MergeArgs, RepairArgs, ReplayArgs, ReportArgs, RunArgs, ScoreArgs, SensitivityArgs, SweepArgs,
    ValidateArgs, Writing,
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
        Command::Cameo => print(&entente_core::cameo::listing()),
        Command::CheckLaws(args) => check_laws(args),
        Command::Backtest(args) => backtest(args),
        Command::Score(args) => score(args),
        Command::Sensitivity(args) => sensitivity(args),
        Command::Import(args) => import(args),
        Command::Serve(args) => serve(&args),
        Command::Schema => print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&entente_core::Scenario::json_schema())?
        )),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "entente", &mut script);
            print(&String::from_utf8_lossy(&script))
        }
        Command::Man { subcommand } => man(subcommand.as_deref()),
    }
}

/// The manual page of entente, or of one of its subcommands: every page
/// the main page names (`entente-run(1)`…) can be printed.
fn man(subcommand: Option<&str>) -> Result<i32> {
    let mut command = Cli::command();
    command.build();
    let man = match subcommand {
        None => clap_mangen::Man::new(command),
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let known: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                return Err(Error::Usage(format!(
                    "man {name}: no such subcommand; its pages are {}",
                    known.join(", ")
                ))
                .into());
            };
            clap_mangen::Man::new(sub.clone()).title(format!("entente-{name}"))
        }
    };
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    print(&String::from_utf8_lossy(&roff))
}

fn run(args: RunArgs) -> Result<i32> {
    summary_format("run", args.format.format)?;
    let scenario = args.model.apply(&scenario::load(&args.scenario)?);
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| simulate::default_log_path(&scenario, args.seed));
    let log = Planned::log("--out", &path, args.writing.force);
    check_paths(&[log], &[&args.scenario])?;
    let config = RunConfig {
        seed: args.seed,
        rounds: args.rounds,
        ..RunConfig::default()
    };
    let output = output(path, &args.writing);
    let written = simulate::run_to_file(&scenario, config, Vec::new(), &output)?;
    summary("run", args.format.format, written.text(), written.json())
}

fn replay(args: ReplayArgs) -> Result<i32> {
    if args.rerun {
        let rerun = entente_runner::repair::rerun(&args.log)?;
        return summary(
            "replay",
            args.format.format,
            rerun.text(&args.log),
            rerun.json(),
        );
    }
    let viewed = entente_runner::replay::view(&args.log, args.at)?;
    let incomplete = viewed.incomplete();
    if let (true, Some(why)) = (args.complete, &incomplete) {
        eprintln!("error: {}: {why} (--complete)", args.log.display());
        return Ok(1);
    }
    let status = summary(
        "replay",
        args.format.format,
        viewed.text(&args.log),
        viewed.json(),
    )?;
    if let Some(why) = incomplete {
        eprintln!("note: {}: {why}", args.log.display());
    }
    Ok(status)
}

fn report(args: ReportArgs) -> Result<i32> {
    check_paths(&files(&[("--out", args.out.as_deref())]), &[&args.log])?;
    // A sweep's output, or a log.
    let subject: Box<dyn Render> = match input::sniff(&args.log) {
        FileKind::Sweep => Box::new(sweep::SweepOutput::read(&args.log)?),
        FileKind::Part => {
            return Err(Error::Usage(format!(
                "{}: is a part of a sharded command, not a log; `entente merge` combines the parts into what report reads",
                args.log.display()
            ))
            .into());
        }
        FileKind::Log | FileKind::Other => Box::new(report::from_log(&args.log)?),
    };
    let text = subject.render(args.format.format)?;
    write_or_print(args.out.as_deref(), &text)
}

fn validate(args: ValidateArgs) -> Result<i32> {
    let mut status = EXIT_OK;
    let sources = args
        .sources
        .as_deref()
        .map(|dir| entente_runner::quotes::Sources::read(dir).map(|s| (dir, s)))
        .transpose()?;
    for path in &args.scenarios {
        let checked = validate_one(path).and_then(|line| match &sources {
            Some((dir, texts)) if !path.to_string_lossy().ends_with(".schema.json") => {
                let n = entente_runner::quotes::check(path, texts, dir)?;
                Ok(format!(
                    "{line}; {n} quotation(s) found word for word in {}",
                    dir.display()
                ))
            }
            _ => Ok(line),
        });
        match checked {
            Ok(line) => {
                print(&format!("{}: {line}\n", path.display()))?;
            }
            Err(e) => {
                let _ = writeln!(io::stderr(), "error: {e}");
                status = EXIT_INPUT;
            }
        }
    }
    Ok(status)
}

/// Validates one of the files that live in a scenarios folder, told apart
/// by name as the folder names them: a history (`*.history.json`, checked
/// with the scenario it names), the format's schema (`*.schema.json`,
/// compared with this build's), or a scenario.
fn validate_one(path: &Path) -> Result<String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.ends_with(".history.json") {
        let history = entente_runner::score::load(path)?;
        let (total, happened) = history.propositions();
        return Ok(format!(
            "ok (a history: {total} propositions, {happened} of them happened, over {})",
            history.scenario_path.display()
        ));
    }
    if name.ends_with(".schema.json") {
        let text = input::read_text(path, "a schema file", input::MAX_SCENARIO_BYTES)?;
        let ours = format!(
            "{}\n",
            serde_json::to_string_pretty(&entente_core::Scenario::json_schema())?
        );
        return if text == ours {
            Ok("ok (the scenario format's JSON Schema, as `entente schema` prints it)".to_owned())
        } else {
            Err(Error::Usage(format!(
                "{}: a JSON Schema that differs from this build's scenario format; `entente schema > {}` writes the current one",
                path.display(),
                path.display()
            ))
            .into())
        };
    }
    let s = scenario::load(path)?;
    // An entry without effects is context: say how many do something.
    let acting = s.timeline.iter().filter(|e| !e.effects.is_empty()).count();
    let effects = if s.version >= 2 {
        format!(
            "; {acting} with effects, {} context only",
            s.timeline.len() - acting
        )
    } else {
        String::new()
    };
    Ok(format!(
        "ok ({} actors, {} issues, {} stances, {} timeline events{effects})",
        s.actors.len(),
        s.issues.len(),
        s.stances.len(),
        s.timeline.len()
    ))
}

fn compare(args: CompareArgs) -> Result<i32> {
    let comparison = entente_runner::compare::compare(&args.log_a, &args.log_b)?;
    print(&comparison.render(args.format.format)?)
}

fn branch(args: BranchArgs) -> Result<i32> {
    summary_format("branch", args.format.format)?;
    let event_files: Vec<&Path> = args
        .inject
        .iter()
        .filter_map(|a| a.strip_prefix('@').map(Path::new))
        .collect();
    let inputs: Vec<&Path> = std::iter::once(args.log.as_path())
        .chain(event_files)
        .collect();
    let log = Planned::log("--out", &args.out, args.writing.force);
    check_paths(&[log], &inputs)?;
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
        output: output(args.out.clone(), &args.writing),
    };
    let branched = entente_runner::branch::branch(&request)?;
    summary(
        "branch",
        args.format.format,
        branched.text(),
        branched.json(),
    )
}

fn sweep(args: SweepArgs) -> Result<i32> {
    let inputs: Vec<&Path> = std::iter::once(args.scenario.as_path())
        .chain(args.vs.as_deref())
        .collect();
    let outputs = files(&[
        ("--out", args.out.as_deref()),
        ("--csv", csv_file(args.csv.as_deref())?),
    ]);
    check_paths(&outputs, &inputs)?;
    let mut scenarios = vec![args.model.apply(&scenario::load(&args.scenario)?)];
    if let Some(vs) = &args.vs {
        scenarios.push(args.model.apply(&scenario::load(vs)?));
    }
    let files: Vec<(&Path, &entente_core::Scenario)> =
        inputs.iter().copied().zip(&scenarios).collect();
    sweep::check_files(&files, args.rounds)?;
    let plan = sweep::Plan {
        scenarios,
        seeds: sweep::parse_seeds(&args.seeds)?,
        rounds: args.rounds,
        shard: args.shard.as_deref().map(shard::parse).transpose()?,
        jobs: entente_runner::limits::jobs(args.jobs)?,
        csv: args.csv.clone(),
        out: args.out.clone().filter(|p| !is_stdout(p)),
        progress: true,
    };
    let output = sweep::sweep(&plan)?;
    match &args.out {
        Some(path) if is_stdout(path) => print(&output.json()),
        Some(path) => {
            write_file(path, output.json().as_bytes())?;
            print(&output.render(args.format.format)?)
        }
        None => print(&output.render(args.format.format)?),
    }
}

fn score(args: ScoreArgs) -> Result<i32> {
    let histories = args
        .histories
        .iter()
        .map(|h| entente_runner::score::load(h))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    entente_runner::score::distinct(&histories)?;
    // Every file the command reads is an input: each history and the
    // scenario it names.
    let inputs: Vec<&Path> = histories
        .iter()
        .flat_map(|h| [h.path.as_path(), h.scenario_path.as_path()])
        .chain(args.cross_validate.as_deref())
        .collect();
    check_paths(&files(&[("--out", args.out.as_deref())]), &inputs)?;
    let grid = args
        .cross_validate
        .as_deref()
        .map(|g| entente_runner::score::cross::load_grid(g, &histories))
        .transpose()?;
    let plan = entente_runner::score::Plan {
        histories,
        seeds: sweep::parse_seeds(&args.seeds)?,
        model: args.model,
        jobs: entente_runner::limits::jobs(args.jobs)?,
    };
    if let Some(grid) = grid {
        use entente_runner::score::cross;
        let text = match args.shard.as_deref().map(shard::parse).transpose()? {
            Some(shard) => cross::part(&plan, &grid, shard)?.json(),
            None => cross::cross_validate(&plan, &grid)?.render(args.format.format)?,
        };
        return write_or_print(args.out.as_deref(), &text);
    }
    let text = match args.shard.as_deref().map(shard::parse).transpose()? {
        Some(shard) => entente_runner::score::score_part(&plan, shard)?.json(),
        None => entente_runner::score::score(&plan)?.render(args.format.format)?,
    };
    write_or_print(args.out.as_deref(), &text)
}

/// Writes `text` to `out`, or prints it.
fn write_or_print(out: Option<&Path>, text: &str) -> Result<i32> {
    match out {
        Some(path) => write_file(path, text.as_bytes()),
        None => print(text),
    }
}

fn sensitivity(args: SensitivityArgs) -> Result<i32> {
    check_paths(&files(&[("--out", args.out.as_deref())]), &[&args.scenario])?;
    use entente_runner::sensitivity;
    if matches!(args.method, sensitivity::Method::Oat)
        && (args.trajectories.is_some() || args.seed.is_some())
    {
        return Err(Error::Usage(
            "--trajectories and --seed are Morris's (--method morris); one at a time plays every input down and up and draws no paths".to_owned(),
        )
        .into());
    }
    let plan = sensitivity::Plan {
        scenario: args.model.apply(&scenario::load(&args.scenario)?),
        seeds: sweep::parse_seeds(&args.seeds)?,
        method: args.method,
        delta: args.delta,
        trajectories: args.trajectories.unwrap_or(10),
        seed: args.seed.unwrap_or(0),
        top: args.top,
        jobs: entente_runner::limits::jobs(args.jobs)?,
        progress: true,
    };
    let text = match args.shard.as_deref().map(shard::parse).transpose()? {
        Some(shard) => sensitivity::analyse_part(&plan, shard)?.json(),
        None => sensitivity::analyse(&plan)?.render(args.format.format)?,
    };
    write_or_print(args.out.as_deref(), &text)
}

fn merge(args: MergeArgs) -> Result<i32> {
    let parts: Vec<&Path> = args.parts.iter().map(PathBuf::as_path).collect();
    use entente_runner::parts::{self, Kind};
    let texts = parts::texts(&args.parts)?;
    let kind = parts::kind(&texts)?;
    // A check-laws merge writes a counterexample, or its verdict, where an
    // earlier one may be.
    let out = if kind == Some(Kind::CheckLaws) {
        Planned::scenario("--out", &args.out)
    } else {
        Planned::file("--out", &args.out)
    };
    let csv = csv_file(args.csv.as_deref())?;
    let mut outputs = vec![out];
    outputs.extend(csv.map(|c| Planned::file("--csv", c)));
    check_paths(&outputs, &parts)?;
    // A merge writes what the unsharded command writes with the same
    // --format, and by default what it writes by default: a sweep's JSON,
    // every other command's text.
    let format = args.format.unwrap_or(Format::Text);
    let Some(kind) = kind else {
        if args.csv.is_some() {
            return Err(Error::Usage(
                "merge --csv: a sweep's CSV is merged from its CSV parts, on their own (entente merge P1.csv P2.csv … --out ALL.csv)".to_owned(),
            )
            .into());
        }
        let merged = sweep::merge_texts(&texts, args.partial, args.format)?;
        return write_file(&args.out, merged.as_bytes());
    };
    if args.csv.is_some() && kind != Kind::Backtest {
        return Err(Error::Usage(
            "merge --csv: only a backtest's parts have rows to write".to_owned(),
        )
        .into());
    }
    if args.partial {
        return Err(Error::Usage(
            "merge --partial: only a sweep's parts can be merged without every shard".to_owned(),
        )
        .into());
    }
    let text = match kind {
        Kind::Score => {
            entente_runner::score::merge(&parts::read(&texts, Kind::Score)?)?.render(format)?
        }
        Kind::CrossValidate => {
            entente_runner::score::cross::merge(&parts::read(&texts, Kind::CrossValidate)?)?
                .render(format)?
        }
        Kind::Backtest => {
            let merged = entente_runner::backtest::merge(&parts::read(&texts, Kind::Backtest)?)?;
            return backtest_outputs(&merged, args.csv.as_deref(), format, Some(&args.out));
        }
        Kind::CheckLaws => {
            let (verdict, scenario, path, ranges) =
                entente_runner::laws::merge(&parts::read(&texts, Kind::CheckLaws)?)?;
            return laws_verdict(
                verdict,
                &scenario,
                (&path, ranges),
                &args.out,
                Some(&args.out),
                format,
            );
        }
        Kind::Sensitivity => {
            entente_runner::sensitivity::merge(&parts::read(&texts, Kind::Sensitivity)?)?
                .render(format)?
        }
    };
    write_file(&args.out, text.as_bytes())
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

fn check_laws(args: CheckLawsArgs) -> Result<i32> {
    use entente_runner::laws;
    let scenario = scenario::load(&args.scenario)?;
    // Where a counterexample goes, held to the output rules before any work
    // (the default name could be the input's own: re-checking a
    // counterexample must not replace it).
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| format!("{}.counterexample.json", scenario.id).into());
    check_paths(&[Planned::scenario("--out", &path)], &[&args.scenario]).map_err(|e| {
        if args.out.is_some() {
            e
        } else {
            Error::Usage(format!(
                "{e} (the counterexample's default name; give --out for another)"
            ))
        }
    })?;
    let ranges = laws::Ranges {
        position: args.vary_positions,
        salience: args.vary_saliences,
        capability: args.vary_capabilities,
    };
    ranges.check()?;
    laws::check_cases(args.cases)?;
    if let Some(shard) = args.shard.as_deref().map(shard::parse).transpose()? {
        let part = laws::check_part(
            &scenario,
            &args.scenario,
            args.cases,
            ranges,
            entente_runner::limits::jobs(None)?,
            shard,
        );
        return match args.out.as_deref() {
            Some(out) => write_scenario(out, part.json().as_bytes()),
            None => print(&part.json()),
        };
    }
    let verdict = laws::check(
        &scenario,
        args.cases,
        ranges,
        entente_runner::limits::jobs(None)?,
    );
    laws_verdict(
        verdict,
        &scenario,
        (&args.scenario, ranges),
        &path,
        None,
        args.format.format,
    )
}

/// What `check-laws` says of its verdict: that every law holds (printed in
/// `format`, or written to `holds_to`), or the broken law on standard error,
/// its counterexample written to `path`, exit 1.
fn laws_verdict(
    verdict: std::result::Result<u32, entente_runner::laws::Broken>,
    scenario: &entente_core::Scenario,
    (scenario_path, ranges): (&Path, entente_runner::laws::Ranges),
    path: &Path,
    holds_to: Option<&Path>,
    format: Format,
) -> Result<i32> {
    use entente_runner::laws;
    match verdict {
        Ok(cases) => {
            let text = ranges
                .holds(scenario_path, cases, scenario)
                .render(format)?;
            match holds_to {
                Some(out) => write_scenario(out, text.as_bytes()),
                None => print(&text),
            }
        }
        Err(failure) => {
            write_scenario(path, failure.scenario_json().as_bytes())?;
            let _ = write!(
                io::stderr(),
                "{}",
                laws::broken(&failure, scenario_path, path)
            );
            Ok(EXIT_VERIFY)
        }
    }
}

fn serve(args: &crate::args::ServeArgs) -> Result<i32> {
    entente_serve::serve(&entente_serve::Options {
        dir: args.dir.clone(),
        port: args.port,
        bind: args.bind,
        open: args.open,
    })?;
    Ok(EXIT_OK)
}

fn import(args: ImportArgs) -> Result<i32> {
    use entente_core::import::Format;
    // Without --force nothing is replaced; with it, only an earlier import
    // (or another output of Entente's), never a scenario of the user's.
    check_paths(
        &[Planned::forced("--out", &args.out, args.force)],
        &[&args.file],
    )?;
    let format = match args.format {
        ImportFormat::Ktab => Format::Ktab,
        ImportFormat::Decide => Format::Decide,
        ImportFormat::Scholz => Format::Scholz,
    };
    let scenario = entente_runner::import::import(format, &args.file)?;
    write_scenario(
        &args.out,
        entente_runner::import::to_json(&scenario).as_bytes(),
    )?;
    if !is_stdout(&args.out) {
        print(&format!(
            "{}\n  {} actors, {} issues, {} stances; {} model, {} rounds\n",
            args.out.display(),
            scenario.actors.len(),
            scenario.issues.len(),
            scenario.stances.len(),
            serde_json::to_value(scenario.model.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            scenario.rounds
        ))?;
    }
    Ok(EXIT_OK)
}

fn backtest(args: BacktestArgs) -> Result<i32> {
    use entente_runner::backtest;
    check_paths(
        &files(&[
            ("--csv", csv_file(args.csv.as_deref())?),
            ("--out", args.out.as_deref()),
        ]),
        &[&args.file],
    )?;
    let options = backtest::Options {
        rounds: args.rounds,
        bootstrap: args.bootstrap,
        seed: args.seed,
    };
    options.check()?;
    let cases = backtest::read(&args.file)?;
    if cases.is_empty() {
        return Err(
            Error::Usage(format!("{}: no issue with an outcome and an actor of salience above 0 (an issue nobody cares about is left out)", args.file.display())).into(),
        );
    }
    if let Some(shard) = args.shard.as_deref().map(shard::parse).transpose()? {
        if args.csv.is_some() {
            return Err(Error::Usage(
                "backtest --csv: a shard's rows go into its part; `entente merge PARTS --out F --csv ROWS` writes the CSV".to_owned(),
            )
            .into());
        }
        let file = args.file.display().to_string();
        let part = backtest::backtest_part(&cases, options, &file, shard)?;
        return write_or_print(args.out.as_deref(), &part.json());
    }
    let result = backtest::backtest(&cases, options)?;
    backtest_outputs(
        &result,
        args.csv.as_deref(),
        args.format.format,
        args.out.as_deref(),
    )
}

/// A backtest's CSV (if asked) and its summary, printed or written to `out`.
fn backtest_outputs(
    result: &entente_runner::backtest::Backtest,
    csv: Option<&Path>,
    format: Format,
    out: Option<&Path>,
) -> Result<i32> {
    if let Some(path) = csv {
        write_file(path, result.csv().as_bytes())?;
    }
    write_or_print(out, &result.render(format)?)
}

/// Prints a command's summary as text or JSON; a summary is no report, so
/// Markdown and HTML are refused with where to find one.
fn summary(command: &str, format: Format, text: String, json: serde_json::Value) -> Result<i32> {
    summary_format(command, format)?;
    match format {
        Format::Json => print(&format!("{}\n", serde_json::to_string_pretty(&json)?)),
        _ => print(&text),
    }
}

/// Refuses a format a summary has not, before a command writes anything.
fn summary_format(command: &str, format: Format) -> Result<()> {
    match format {
        Format::Text | Format::Json => Ok(()),
        other => Err(other
            .refuse(
                command,
                &[Format::Text, Format::Json],
                " (a summary); `entente report LOG --format markdown|html` tells a run",
            )
            .into()),
    }
}

fn output(path: PathBuf, writing: &Writing) -> Output {
    Output {
        path,
        durability: writing.sync,
        replace: writing.force,
    }
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

/// Writes an output file whole, or to standard output when it is named `-`.
fn write_file(path: &Path, bytes: &[u8]) -> Result<i32> {
    write_as(Planned::file("output", path), bytes)
}

/// Writes a scenario Entente makes (an import, a counterexample) or what
/// check-laws writes in its place, as [`write_file`] does: it may replace
/// an earlier output of Entente's, a scenario it made included.
fn write_scenario(path: &Path, bytes: &[u8]) -> Result<i32> {
    write_as(Planned::scenario("output", path), bytes)
}

/// Writes `bytes` as `planned` says, or prints them when its path is `-`.
fn write_as(planned: Planned<'_>, bytes: &[u8]) -> Result<i32> {
    if is_stdout(planned.path) {
        return print(&String::from_utf8_lossy(bytes));
    }
    entente_runner::output::write_planned(planned, bytes)?;
    Ok(EXIT_OK)
}

/// The reports and tables a command is asked to write, by flag.
fn files<'a>(outputs: &[(&'a str, Option<&'a Path>)]) -> Vec<Planned<'a>> {
    outputs
        .iter()
        .filter_map(|&(flag, path)| path.map(|p| Planned::file(flag, p)))
        .collect()
}

/// A CSV beside a command's main output is written to a file: `-` (which
/// elsewhere means standard output) is refused rather than taken as a
/// file of that name.
fn csv_file(csv: Option<&Path>) -> Result<Option<&Path>> {
    match csv {
        Some(p) if is_stdout(p) => Err(Error::Usage(
            "--csv -: the CSV is written to a file; standard output takes the command's main output (--out)".to_owned(),
        )
        .into()),
        other => Ok(other),
    }
}
