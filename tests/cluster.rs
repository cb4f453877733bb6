//! The cluster recipes of docs/cluster.md, run on the tools they name: its Slurm
//! job-array scripts submitted byte for byte to a real single-node Slurm
//! cluster (Debian's `slurm-wlm` and `munge`, started here on localhost from
//! tests/slurm/slurm.conf), its GNU parallel recipes run by Debian's
//! `parallel`; each merged result must be byte-identical to the same
//! command run on one machine.
//!
//! Where the tools (or root, which `slurmd` needs) are missing when the
//! tests are built (build.rs), these tests are listed as ignored with the
//! reason. CI installs the packages and, when it runs as root, sets
//! ENTENTE_SLURM_TESTS=required, so there they run, and fail if a daemon
//! cannot be started.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{root, scratch};

/// The seeds the recipes are run on here (their `SEEDS` variable): enough
/// for every shard to hold runs, few enough for CI.
const SEEDS: &str = "0..320";
/// The seeds of the sensitivity recipe here: it plays every perturbed
/// scenario on each.
const SENSITIVITY_SEEDS: &str = "0..3";
/// The variations of the law-suite recipe here.
const LAW_CASES: &str = "16";

/// The fenced block that follows the first line of docs/cluster.md starting
/// with `marker`, byte for byte.
fn recipe(marker: &str) -> String {
    let page = crate::util::doc("docs/cluster.md");
    let at = page
        .find(&format!("\n{marker}"))
        .unwrap_or_else(|| panic!("docs/cluster.md lacks a line starting {marker:?}"));
    let rest = &page[at + 1..];
    let open = rest.find("\n```").expect("a fenced block after the marker") + 1;
    let body = &rest[open..];
    let body = &body[body.find('\n').expect("the fence's line") + 1..];
    let close = body.find("\n```").expect("the block's closing fence");
    body[..=close].to_owned()
}

/// A directory laid out as the recipes expect: the scenarios beside the
/// scripts, and `entente` on the PATH.
fn workdir() -> (tempfile::TempDir, String) {
    let dir = scratch();
    for sub in ["scenarios", "data/deu3", "parts"] {
        fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    for entry in fs::read_dir(root().join("scenarios")).unwrap() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "json") {
            fs::copy(
                entry.path(),
                dir.path().join("scenarios").join(entry.file_name()),
            )
            .unwrap();
        }
    }
    fs::copy(
        root().join("data/deu3/deu3.tsv"),
        dir.path().join("data/deu3/deu3.tsv"),
    )
    .unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_entente"))
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (dir, path)
}

/// Runs `script` with bash in `dir`, insisting that it succeeds.
fn bash(dir: &Path, path: &str, script: &str, env: &[(&str, &str)]) {
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .expect("bash starts");
    assert!(
        out.status.success(),
        "{script}\nfailed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Insists that `a` and `b` (paths under `dir`) hold the same bytes.
fn same_bytes(dir: &Path, a: &str, b: &str) {
    let (x, y) = (
        fs::read(dir.join(a)).unwrap(),
        fs::read(dir.join(b)).unwrap(),
    );
    assert!(!x.is_empty(), "{a} is empty");
    assert!(x == y, "{a} and {b} differ");
}

/// A single-node Slurm cluster on localhost, stopped when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    conf: PathBuf,
    daemons: Vec<Child>,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = scratch();
        let d = dir.path();
        for sub in ["state", "spool"] {
            fs::create_dir(d.join(sub)).unwrap();
        }
        let conf = d.join("slurm.conf");
        let template = fs::read_to_string(root().join("tests/slurm/slurm.conf")).unwrap();
        let socket = d.join("munge.socket");
        let text = template.replace("@DIR@", &d.display().to_string())
            + &format!("AuthInfo=socket={}\n", socket.display());
        fs::write(&conf, text).unwrap();
        // A munge key of its own, and munged on a socket of its own.
        let key = d.join("munge.key");
        let bytes: Vec<u8> = (0..1024u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        fs::write(&key, bytes).unwrap();
        set_mode(&key, 0o600);
        let mut cluster = Cluster {
            conf,
            daemons: Vec::new(),
            dir,
        };
        let d = cluster.dir.path().to_owned();
        cluster.spawn(
            Command::new("munged")
                .arg("--foreground")
                .arg("--force")
                .arg(format!("--socket={}", socket.display()))
                .arg(format!("--key-file={}", key.display()))
                .arg(format!("--log-file={}", d.join("munged.log").display()))
                .arg(format!("--pid-file={}", d.join("munged.pid").display()))
                .arg(format!("--seed-file={}", d.join("munged.seed").display())),
        );
        cluster.wait_for(|| socket.exists(), "munged's socket");
        let conf = cluster.conf.clone();
        cluster.spawn(Command::new("slurmctld").arg("-D").arg("-f").arg(&conf));
        cluster.spawn(
            Command::new("slurmd")
                .args(["-D", "-N", "localhost", "-f"])
                .arg(&conf),
        );
        cluster.wait_for(
            || {
                Command::new("sinfo")
                    .args(["-h", "-o", "%T"])
                    .env("SLURM_CONF", &conf)
                    .output()
                    .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "idle")
            },
            "the node to be idle",
        );
        cluster
    }

    fn spawn(&mut self, command: &mut Command) {
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        self.daemons.push(child);
    }

    fn wait_for(&self, ready: impl Fn() -> bool, what: &str) {
        let start = Instant::now();
        while !ready() {
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "timed out waiting for {what}\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The daemons' logs, for a failure's message.
    fn logs(&self) -> String {
        ["munged.log", "slurmctld.log", "slurmd.log"]
            .iter()
            .map(|name| {
                let text = fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
                let tail: Vec<&str> = text.lines().rev().take(15).collect();
                format!(
                    "--- {name}\n{}",
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Submits `script` from `dir` with `sbatch --wait` and insists that
    /// every task succeeds.
    fn submit(&self, dir: &Path, path: &str, script: &str, seeds: &str) {
        fs::write(dir.join("job.sbatch"), script).unwrap();
        let out = Command::new("timeout")
            .args(["600", "sbatch", "--wait", "job.sbatch"])
            .current_dir(dir)
            .env("PATH", path)
            .env("SLURM_CONF", &self.conf)
            .env("SEEDS", seeds)
            .env("TRAJECTORIES", "2")
            .env("CASES", LAW_CASES)
            .output()
            .expect("sbatch starts");
        let outputs: String = fs::read_dir(dir.join("parts"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("slurm-"))
            .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
            .collect();
        assert!(
            out.status.success(),
            "sbatch --wait failed: {}\n{}\njob output:\n{outputs}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.logs()
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Whatever happened: the daemons stop with the test, asked first
        // (so slurmctld ends its script helper), killed if they linger.
        for child in self.daemons.iter_mut().rev() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let asked = Instant::now();
            while matches!(child.try_wait(), Ok(None)) && asked.elapsed() < Duration::from_secs(10)
            {
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
#[cfg_attr(
    slurm_missing,
    ignore = "needs Debian's slurm-wlm and munge, and root: CI installs them and, as root, sets ENTENTE_SLURM_TESTS=required"
)]
fn the_cluster_docs_slurm_job_arrays_run_on_slurm_and_merge_to_one_machines_bytes() {
    let started = Instant::now();
    let cluster = Cluster::start();
    let (dir, path) = workdir();
    let d = dir.path();
    let jobs = [
        ("A Slurm job array for a sweep", SEEDS),
        ("A Slurm job array for a score", SEEDS),
        ("A Slurm job array for a sensitivity", SENSITIVITY_SEEDS),
        ("A Slurm job array for a backtest", SEEDS),
        ("A Slurm job array for the law suite", SEEDS),
    ];
    for (marker, seeds) in jobs {
        cluster.submit(d, &path, &recipe(marker), seeds);
    }
    bash(d, &path, &recipe("then, once the array is done"), &[]);
    bash(d, &path, &recipe("and their merges:"), &[]);
    // The same commands on one machine.
    bash(
        d,
        &path,
        &format!(
            "entente sweep scenarios/moscow-2015-12-15.json --seeds {SEEDS} --out one.json --csv one.csv
             entente score scenarios/*.history.json --seeds {SEEDS} --format text --out one-score.txt
             entente sensitivity scenarios/moscow-2015-12-15.json --method morris --trajectories 2 \
               --seeds {SENSITIVITY_SEEDS} --format text --out one-sensitivity.txt
             entente backtest data/deu3/deu3.tsv --format text --csv one-backtest.csv > one-backtest.txt
             entente check-laws scenarios/moscow-2015-12-15.json --cases {LAW_CASES} > one-laws.txt"
        ),
        &[],
    );
    for (merged, one) in [
        ("sweep.json", "one.json"),
        ("sweep.csv", "one.csv"),
        ("score.txt", "one-score.txt"),
        ("sensitivity.txt", "one-sensitivity.txt"),
        ("backtest.txt", "one-backtest.txt"),
        ("backtest.csv", "one-backtest.csv"),
        ("laws.txt", "one-laws.txt"),
    ] {
        same_bytes(d, merged, one);
    }
    eprintln!(
        "the Slurm recipes ran and merged in {:.1} s (daemons started included)",
        started.elapsed().as_secs_f64()
    );
}

#[test]
#[cfg_attr(
    parallel_missing,
    ignore = "needs GNU parallel (Debian's parallel): CI installs it (ENTENTE_SLURM_TESTS=required)"
)]
fn the_cluster_docs_gnu_parallel_recipe_merges_to_one_machines_bytes() {
    let (dir, path) = workdir();
    let d = dir.path();
    bash(
        d,
        &path,
        &recipe("GNU parallel on one host"),
        &[("SEEDS", SEEDS)],
    );
    bash(
        d,
        &path,
        &format!("entente sweep scenarios/moscow-2015-12-15.json --seeds {SEEDS} --out one.json"),
        &[],
    );
    same_bytes(d, "sweep.json", "one.json");
}
