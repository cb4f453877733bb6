//! The per-seed CSV of a sweep, written as chunks complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use entente_core::Scenario;

use super::play::RunOutcome;
use crate::error::{Error, Result};

/// One CSV row per seed, written in seed order as chunks complete.
/// The rows go to `PATH.entente-partial`, which is renamed to PATH when the
/// sweep is done, and removed if it fails.
pub(super) struct CsvWriter {
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    temporary: PathBuf,
    variants: usize,
    finished: bool,
}

impl CsvWriter {
    pub(super) fn create(
        path: &Path,
        scenarios: &[Scenario],
        keys: &[Vec<String>],
        shard_line: Option<String>,
    ) -> Result<CsvWriter> {
        crate::output::refuse_log(path)?;
        let temporary = crate::files::temporary_sibling(path);
        let file = crate::files::create_fresh(&temporary, crate::output::is_leftover)
            .map_err(|e| Error::io(path, "cannot write", e))?;
        let mut w = CsvWriter {
            out: std::io::BufWriter::new(file),
            path: path.to_owned(),
            temporary,
            variants: scenarios.len(),
            finished: false,
        };
        let prefix = |v: usize| {
            if scenarios.len() > 1 {
                ["a:", "b:"][v.min(1)]
            } else {
                ""
            }
        };
        // A shard's CSV says which shard it is, so a merge can tell a
        // whole set from a part of one.
        if let Some(line) = shard_line {
            w.write(&line)?;
        }
        let mut columns = vec!["seed".to_owned()];
        for v in 0..scenarios.len() {
            columns.push(format!("{}fingerprint", prefix(v)));
        }
        for (v, (scenario, keys)) in scenarios.iter().zip(keys).enumerate() {
            columns.extend(keys.iter().map(|k| format!("{}{k}", prefix(v))));
            for issue in &scenario.issues {
                columns.push(format!("{}{}:mean", prefix(v), issue.id));
                columns.push(format!("{}{}:median", prefix(v), issue.id));
            }
        }
        w.write(&columns.join(","))?;
        Ok(w)
    }

    pub(super) fn row(&mut self, outcomes: &[RunOutcome]) -> Result<()> {
        let mut cells = vec![outcomes.first().map_or(0, |o| o.seed).to_string()];
        for o in outcomes.iter().take(self.variants) {
            cells.push(o.fingerprint.map(|h| h.to_string()).unwrap_or_default());
        }
        for o in outcomes {
            cells.extend(
                o.first
                    .iter()
                    .map(|r| r.map(|r| r.to_string()).unwrap_or_default()),
            );
            for f in &o.forecast {
                cells.push(f.mean.to_string());
                cells.push(f.median.to_string());
            }
        }
        self.write(&cells.join(","))
    }

    fn write(&mut self, line: &str) -> Result<()> {
        writeln!(self.out, "{line}").map_err(|e| Error::io(&self.path, "cannot write", e))
    }

    /// Puts the rows in place, once `summary` (the file the sweep's summary
    /// goes to, if any) is found still free to write.
    pub(super) fn finish(mut self, summary: Option<&Path>) -> Result<()> {
        // On failure, dropping the writer removes the temporary.
        self.out
            .flush()
            .map_err(|e| Error::io(&self.path, "cannot write", e))?;
        if let Some(summary) = summary {
            crate::output::check_still(&crate::output::Planned::file("--out", summary))?;
        }
        self.finished = true;
        crate::output::put_in_place(&self.temporary, &self.path)
    }
}

impl Drop for CsvWriter {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}
