//! Sweeps under way: each on a thread of its own that plays its seeds on
//! the app's pool (`sweep::sweep_on`), so the pages never wait for one;
//! each watched (`sweep::Watch`: seeds played, a request to stop). A sweep
//! writes its output whole when it ends (`output::write_atomically`), so a
//! sweep cancelled, or a server killed, leaves no output at all.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use entente_runner::output::{Planned, check_paths, write_atomically};
use entente_runner::render::Render;
use entente_runner::sweep::{self, Plan, Watch};

use crate::app::{App, lock};
use crate::failure::Failure;

/// The sweeps of a session.
#[derive(Debug, Default)]
pub(crate) struct Jobs {
    list: Mutex<Vec<Arc<Job>>>,
}

/// One sweep.
#[derive(Debug)]
pub(crate) struct Job {
    /// Its number in the session (its page is `/sweeps/jobs/N`).
    pub(crate) id: usize,
    /// What it sweeps, in words.
    pub(crate) title: String,
    /// Seeds to play.
    pub(crate) total: u64,
    /// The output's file name in `runs/`.
    pub(crate) name: String,
    /// Seeds played, and the Cancel button.
    pub(crate) watch: Watch,
    state: Mutex<State>,
}

/// Where a sweep stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Playing.
    Running,
    /// Written to its output.
    Done,
    /// Stopped as asked; nothing written.
    Cancelled,
    /// Failed; nothing written.
    Failed(String),
}

impl Jobs {
    /// The job numbered `id`.
    pub(crate) fn get(&self, id: &str) -> Result<Arc<Job>, Failure> {
        let k: usize = id
            .parse()
            .map_err(|_| Failure::not_found(format!("sweep {id:?}: no such sweep")))?;
        lock(&self.list)
            .get(k)
            .cloned()
            .ok_or_else(|| Failure::not_found(format!("sweep {k}: no such sweep in this session")))
    }

    /// Every job, oldest first.
    pub(crate) fn all(&self) -> Vec<Arc<Job>> {
        lock(&self.list).clone()
    }

    /// The job writing `name`, if one is running.
    pub(crate) fn running(&self, name: &str) -> Option<Arc<Job>> {
        lock(&self.list)
            .iter()
            .find(|j| j.name == name && j.state() == State::Running)
            .cloned()
    }
}

impl Job {
    /// Where it stands.
    pub(crate) fn state(&self) -> State {
        lock(&self.state).clone()
    }
}

/// Starts sweeping `plan` into `runs/NAME` on a thread of its own; returns
/// its job.
pub(crate) fn start(
    app: &Arc<App>,
    plan: Plan,
    title: String,
    name: String,
    inputs: Vec<PathBuf>,
) -> Result<Arc<Job>, Failure> {
    let path = app.folder.new_path(crate::folder::Area::Runs, &name)?;
    // Checked before any seed is played, and again when written.
    let refs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    check_paths(&[Planned::file("output", &path)], &refs).map_err(|e| app.failed(&e))?;
    if app.being_written(&path) {
        return Err(Failure::conflict(format!(
            "{}: another sweep of this session is writing it",
            app.shown(&path)
        )));
    }
    let mut list = lock(&app.jobs.list);
    let job = Arc::new(Job {
        id: list.len(),
        title,
        total: plan.own_seeds().end - plan.own_seeds().start,
        name,
        watch: Watch::default(),
        state: Mutex::new(State::Running),
    });
    list.push(Arc::clone(&job));
    drop(list);
    let (app, running) = (Arc::clone(app), Arc::clone(&job));
    let spawned = std::thread::Builder::new()
        .name(format!("entente-sweep-{}", job.id))
        .spawn(move || {
            let ended = play(&app, &plan, &running, &path, &inputs);
            *lock(&running.state) = ended;
        });
    if let Err(e) = spawned {
        *lock(&job.state) = State::Failed(format!("cannot start a thread: {e}"));
    }
    Ok(job)
}

/// Plays the sweep and writes its output; where it ended.
fn play(app: &App, plan: &Plan, job: &Job, path: &std::path::Path, inputs: &[PathBuf]) -> State {
    let Ok(_reserved) = app.reserve(path) else {
        return State::Failed(format!(
            "{}: being written by another request",
            app.shown(path)
        ));
    };
    let output = match sweep::sweep_on(&app.pool, plan, &job.watch) {
        Ok(output) => output,
        Err(entente_runner::Error::Cancelled) => return State::Cancelled,
        Err(e) => return State::Failed(app.failed(&e).message),
    };
    let refs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    let written = check_paths(&[Planned::file("output", path)], &refs)
        .and_then(|()| write_atomically(path, output.json().as_bytes()));
    match written {
        Ok(()) => State::Done,
        Err(e) => State::Failed(app.failed(&e).message),
    }
}
