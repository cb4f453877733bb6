//! The one place that starts the binary: `entente` (and `ok`, `fails`) run
//! it to its end, `spawn` starts it in the background.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scenario under scenarios/.
pub(crate) fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

/// The text of a document of the repository (`README.md`, `docs/log.md`),
/// whose recipes and examples the tests run as written.
pub(crate) fn doc(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What a finished command left behind.
#[derive(Debug)]
pub(crate) struct Ran {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `entente` with `args` in `dir`.
pub(crate) fn entente_in(dir: &Path, args: &[&str]) -> Ran {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the entente binary starts");
    let code = output.status.code().unwrap_or(-1);
    let ran = Ran {
        code,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_ne!(code, 101, "entente panicked: {ran:#?}");
    assert_ne!(code, -1, "entente was killed by a signal: {ran:#?}");
    ran
}

/// Starts `entente` with `args` in `dir` without waiting for it: standard
/// output is dropped, standard error kept.
pub(crate) fn spawn(dir: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the entente binary starts")
}

/// Runs `entente` in `dir` and insists that it succeeds.
pub(crate) fn ok(dir: &tempfile::TempDir, args: &[&str]) -> Ran {
    let ran = entente(dir, args);
    assert_eq!(ran.code, 0, "entente {args:?} failed: {ran:#?}");
    ran
}

/// Runs `entente` in `dir` and insists that it fails with `code`; the
/// returned standard error says why.
pub(crate) fn fails(dir: &tempfile::TempDir, code: i32, args: &[&str]) -> Ran {
    let ran = entente(dir, args);
    assert_eq!(
        ran.code, code,
        "entente {args:?} did not exit {code}: {ran:#?}"
    );
    ran
}

/// Runs `entente` in a scratch directory of the caller's.
pub(crate) fn entente(dir: &tempfile::TempDir, args: &[&str]) -> Ran {
    entente_in(dir.path(), args)
}

/// A fresh scratch directory.
pub(crate) fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Runs a scenario into `dir/name` and returns the log's path.
pub(crate) fn run_log(
    dir: &tempfile::TempDir,
    scenario_file: &str,
    seed: u64,
    name: &str,
) -> PathBuf {
    let out = dir.path().join(name);
    let ran = entente(
        dir,
        &[
            "run",
            scenario(scenario_file).to_str().unwrap(),
            "--seed",
            &seed.to_string(),
            "--out",
            out.to_str().unwrap(),
            "--sync",
            "never",
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    out
}

/// `path` as a &str.
pub(crate) fn s(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// The lines of a text file.
pub(crate) fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("a readable file")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The log's lines with every hash recomputed from the first, as a forger
/// with a hash tool would.
pub(crate) fn rehash(text: &str) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let mut prev = "0".repeat(64);
    let mut out = String::new();
    for line in text.lines() {
        let canonical = &line[..line.rfind("\"hash\":\"").unwrap()];
        let digest = sha2::Sha256::digest(format!("{prev}{canonical}").as_bytes());
        prev = digest.iter().fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
        out.push_str(&format!("{canonical}\"hash\":\"{prev}\"}}\n"));
    }
    out
}

/// The lines of the console block that follows `command` in `text`.
pub(crate) fn block_after(text: &str, command: &str) -> Vec<String> {
    let start = text
        .find(command)
        .unwrap_or_else(|| panic!("the document lacks {command:?}"));
    text[start + command.len()..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("```") && !l.starts_with('$'))
        .map(str::to_owned)
        .collect()
}
