//! The folder the app serves: `scenarios/` and `runs/` under one root, and
//! the only way a request names a file. A name is one plain file name
//! (letters, digits, `-`, `_`, `.`; never a separator, never a leading
//! dot, so never `..` nor an absolute path); it is resolved with every
//! symbolic link followed and must land directly in its area, so a link
//! that leads out of the folder is refused like `../` would be.

use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use entente_runner::Error;
use entente_runner::files::{create_fresh, sibling, sync_parent_dir, temporary_sibling};
use entente_runner::input::{FileKind, sniff};

use crate::failure::Failure;

/// Longest file name the app takes.
const MAX_NAME: usize = 128;

/// The two areas of the folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Area {
    /// `scenarios/`: scenario and history files.
    Scenarios,
    /// `runs/`: logs and sweep outputs.
    Runs,
}

/// The folder served, its areas resolved once at start.
#[derive(Debug)]
pub(crate) struct Folder {
    root: PathBuf,
    scenarios: PathBuf,
    runs: PathBuf,
}

impl Folder {
    /// Opens `dir`: its `scenarios/` must exist; `runs/` is made if it does
    /// not. Both must lie inside `dir` once links are followed.
    pub(crate) fn open(dir: &Path) -> Result<Folder, Error> {
        let root = dir
            .canonicalize()
            .map_err(|e| Error::io(dir, "cannot open the folder", e))?;
        let scenarios = root.join("scenarios");
        let runs = root.join("runs");
        if !scenarios.is_dir() {
            return Err(Error::Usage(format!(
                "{}: no scenarios/ folder here; serve a folder that holds one (entente serve DIR), such as the repository's root",
                root.display()
            )));
        }
        let inside = |area: &Path| -> Result<PathBuf, Error> {
            let resolved = area
                .canonicalize()
                .map_err(|e| Error::io(area, "cannot open", e))?;
            if !resolved.starts_with(&root) || !resolved.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: must be a directory inside {} (a link out of the folder is refused)",
                    area.display(),
                    root.display()
                )));
            }
            Ok(resolved)
        };
        let scenarios = inside(&scenarios)?;
        if !runs.exists() {
            fs::create_dir_all(&runs).map_err(|e| Error::io(&runs, "cannot create", e))?;
        }
        Ok(Folder {
            scenarios,
            runs: inside(&runs)?,
            root,
        })
    }

    /// The folder, resolved.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The directory of `area`, resolved.
    pub(crate) fn dir(&self, area: Area) -> &Path {
        match area {
            Area::Scenarios => &self.scenarios,
            Area::Runs => &self.runs,
        }
    }

    /// The existing regular file `name` in `area`.
    pub(crate) fn existing(&self, area: Area, name: &str) -> Result<PathBuf, Failure> {
        check_name(name)?;
        let dir = self.dir(area);
        let path = dir.join(name);
        let resolved = match path.canonicalize() {
            Ok(p) => p,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(Failure::not_found(format!(
                    "{}: no such file",
                    shown(area, name)
                )));
            }
            Err(e) => return Err(Failure::bad(format!("{}: {e}", shown(area, name)))),
        };
        if resolved.parent() != Some(dir) {
            return Err(Failure::forbidden(format!(
                "{}: leads out of {} (a link to a file elsewhere); the app reads only the folder's own files",
                shown(area, name),
                area_name(area)
            )));
        }
        if !resolved.is_file() {
            return Err(Failure::not_found(format!(
                "{}: not a regular file",
                shown(area, name)
            )));
        }
        Ok(resolved)
    }

    /// The path a new file `name` in `area` would have (it may exist: the
    /// writer decides what it may replace).
    pub(crate) fn new_path(&self, area: Area, name: &str) -> Result<PathBuf, Failure> {
        check_name(name)?;
        Ok(self.dir(area).join(name))
    }

    /// The names of the regular files in `area` whose names the app takes,
    /// sorted.
    pub(crate) fn names(&self, area: Area) -> Vec<String> {
        let Ok(entries) = fs::read_dir(self.dir(area)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| check_name(n).is_ok())
            .collect();
        names.sort();
        names
    }

    /// The scenario files: `scenarios/*.json` but the history files and
    /// the schema.
    pub(crate) fn scenario_names(&self) -> Vec<String> {
        self.names(Area::Scenarios)
            .into_iter()
            .filter(|n| {
                n.ends_with(".json")
                    && !n.ends_with(".history.json")
                    && !n.ends_with(".schema.json")
            })
            .collect()
    }

    /// The history files: `scenarios/*.history.json`.
    pub(crate) fn history_names(&self) -> Vec<String> {
        self.names(Area::Scenarios)
            .into_iter()
            .filter(|n| n.ends_with(".history.json"))
            .collect()
    }

    /// The logs and sweep outputs in `runs/`, each with what it holds.
    pub(crate) fn run_files(&self) -> Vec<(String, FileKind)> {
        self.names(Area::Runs)
            .into_iter()
            .filter_map(|n| {
                let kind = sniff(&self.runs.join(&n));
                (kind != FileKind::Other).then_some((n, kind))
            })
            .collect()
    }
}

/// Refuses a name that is not one plain file name.
pub(crate) fn check_name(name: &str) -> Result<(), Failure> {
    let plain = !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if plain {
        Ok(())
    } else {
        Err(Failure::forbidden(format!(
            "{name:?}: not a file name the app takes (letters, digits, - _ and ., not starting with a dot, at most {MAX_NAME} bytes; never a path)"
        )))
    }
}

/// Writes `bytes` to `path`, which must not exist: into a temporary
/// sibling, synced, then linked into place, which fails if a file appeared
/// there meanwhile, so nothing is ever replaced.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temporary = temporary_sibling(path);
    let mut file = create_fresh(&temporary, entente_runner::output::is_leftover)
        .map_err(|e| Error::io(path, "cannot write", e))?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    let placed = written.and_then(|()| fs::hard_link(&temporary, path));
    let _ = fs::remove_file(&temporary);
    // The lock is held until the temporary is gone.
    drop(file);
    match placed {
        Ok(()) => sync_parent_dir(path),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(Error::Usage(format!(
            "{}: already exists; choose another name",
            path.display()
        ))),
        Err(e) => Err(Error::io(path, "cannot write", e)),
    }
}

/// Keeps the file at `path` under the first free name of `NAME.orig`,
/// `NAME.orig.2`, … (a second name for the same file, so it stays as it
/// is when `path` is replaced); returns that name.
pub(crate) fn keep_old(path: &Path) -> Result<PathBuf, Error> {
    for k in 1..1000 {
        let kept = if k == 1 {
            sibling(path, ".orig")
        } else {
            sibling(path, &format!(".orig.{k}"))
        };
        match fs::hard_link(path, &kept) {
            Ok(()) => {
                sync_parent_dir(&kept)?;
                return Ok(kept);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::io(path, "cannot keep the old file", e)),
        }
    }
    Err(Error::Usage(format!(
        "{}: a thousand old versions are kept already; move some away",
        path.display()
    )))
}

/// Whether a sweep output's name is one the app gives (`.sweep.json`).
pub(crate) fn is_sweep_output(name: &str, kind: FileKind) -> bool {
    kind == FileKind::Sweep && name.ends_with(".json")
}

fn area_name(area: Area) -> &'static str {
    match area {
        Area::Scenarios => "scenarios/",
        Area::Runs => "runs/",
    }
}

fn shown(area: Area, name: &str) -> String {
    format!("{}{name}", area_name(area))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_file_names() {
        for good in ["moscow-2015-12-15.json", "a_b.c", "run-seed7.jsonl"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../etc/passwd",
            "/etc/passwd",
            "a/b",
            "a\\b",
            ".hidden",
            "a\0b",
            "x y",
            "é.json",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_link_out_of_the_folder_is_refused_and_nothing_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("work");
        fs::create_dir_all(root.join("scenarios")).unwrap();
        let outside = tmp.path().join("secret.json");
        fs::write(&outside, "{}").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("scenarios/leak.json")).unwrap();
        fs::write(root.join("scenarios/own.json"), "{}").unwrap();
        let bare = tmp.path().join("bare");
        fs::create_dir_all(&bare).unwrap();
        assert!(Folder::open(&bare).is_err());
        assert!(
            !bare.join("runs").exists(),
            "runs/ made in a folder refused"
        );
        let folder = Folder::open(&root).unwrap();
        assert!(folder.dir(Area::Runs).is_dir());
        assert_eq!(
            folder
                .existing(Area::Scenarios, "leak.json")
                .unwrap_err()
                .status,
            403
        );
        assert_eq!(
            folder
                .existing(Area::Scenarios, "none.json")
                .unwrap_err()
                .status,
            404
        );
        assert!(folder.existing(Area::Scenarios, "own.json").is_ok());
        let own = folder.new_path(Area::Scenarios, "own.json").unwrap();
        assert!(write_new(&own, b"new").is_err());
        assert_eq!(fs::read(&own).unwrap(), b"{}");
        let kept = keep_old(&own).unwrap();
        assert!(kept.ends_with("own.json.orig"));
        assert!(keep_old(&own).unwrap().ends_with("own.json.orig.2"));
    }
}
