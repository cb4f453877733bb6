//! Merging shards: parts of one sweep into exactly the output an unsharded
//! sweep would have written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::aggregate::{Aggregates, Distribution};
use super::output::{FORMAT, SeedRange, SweepOutput, VERSION, summarise};
use crate::error::{Error, Result};
use crate::input;

/// Combines shard outputs into the output one unsharded sweep would give.
pub fn merge(parts: &[SweepOutput]) -> Result<SweepOutput> {
    let Some(first) = parts.first() else {
        return Err(Error::Usage("merge: no parts given".to_owned()));
    };
    let mut sorted: Vec<&SweepOutput> = parts.iter().collect();
    sorted.sort_by_key(|p| (p.seeds.start, p.seeds.end));
    let ids: Vec<(String, String)> = first
        .variants
        .iter()
        .map(|v| (v.scenario.clone(), v.scenario_hash.clone()))
        .collect();
    let mut aggregates: Vec<Aggregates> = first
        .variants
        .iter()
        .map(|v| Aggregates {
            runs: 0,
            outcomes: v
                .aggregates
                .outcomes
                .keys()
                .map(|k| (k.clone(), BTreeMap::new()))
                .collect(),
            issues: v
                .aggregates
                .issues
                .keys()
                .map(|k| (k.clone(), Distribution::default()))
                .collect(),
        })
        .collect();
    let mut paired: BTreeMap<String, [u64; 4]> = first
        .paired_counts
        .keys()
        .map(|k| (k.clone(), [0; 4]))
        .collect();
    let mut expected_start = sorted[0].seeds.start;
    for part in &sorted {
        if part.format != FORMAT || part.version != VERSION {
            return Err(Error::Usage(format!(
                "merge: a part is {} version {}, not an {FORMAT} version {VERSION} file",
                part.format, part.version
            )));
        }
        let part_ids: Vec<(String, String)> = part
            .variants
            .iter()
            .map(|v| (v.scenario.clone(), v.scenario_hash.clone()))
            .collect();
        if part.engine != first.engine || part.rounds != first.rounds || part_ids != ids {
            return Err(Error::Usage(
                "merge: the parts are not of the same sweep (engine, rounds or scenarios differ)"
                    .to_owned(),
            ));
        }
        if part.seeds.start != expected_start {
            return Err(Error::Usage(format!(
                "merge: the parts do not cover one range without gaps or overlaps: seeds {}..{} follow {expected_start}",
                part.seeds.start, part.seeds.end
            )));
        }
        expected_start = part.seeds.end;
        for (agg, v) in aggregates.iter_mut().zip(&part.variants) {
            agg.merge(&v.aggregates)?;
        }
        for (key, counts) in &part.paired_counts {
            let mine = paired.entry(key.clone()).or_insert([0; 4]);
            for (m, c) in mine.iter_mut().zip(counts) {
                *m += c;
            }
        }
    }
    summarise(
        &ids,
        SeedRange {
            start: sorted[0].seeds.start,
            end: expected_start,
        },
        first.rounds,
        aggregates,
        paired,
    )
}

/// Merges CSV parts: the same header, rows sorted by seed, no seed twice.
pub fn merge_csv(parts: &[(PathBuf, String)]) -> Result<String> {
    let mut header: Option<&str> = None;
    let mut rows: Vec<(u64, &str)> = Vec::new();
    for (path, text) in parts {
        let mut lines = text.lines();
        let h = lines.next().unwrap_or("");
        match header {
            None => header = Some(h),
            Some(first) if first != h => {
                return Err(Error::Usage(format!(
                    "{}: its CSV header differs from the first part's",
                    path.display()
                )));
            }
            Some(_) => {}
        }
        for line in lines.filter(|l| !l.is_empty()) {
            let seed = line
                .split(',')
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "{}: a row without a seed: {line:?}",
                        path.display()
                    ))
                })?;
            rows.push((seed, line));
        }
    }
    rows.sort_by_key(|r| r.0);
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::Usage(format!(
            "merge: seed {} appears in two parts",
            w[0].0
        )));
    }
    let mut out = String::from(header.unwrap_or(""));
    out.push('\n');
    for (_, row) in rows {
        out.push_str(row);
        out.push('\n');
    }
    Ok(out)
}

/// Merges the part files at `paths` (all sweep outputs, or all CSV parts)
/// into the text of the whole.
pub fn merge_files(paths: &[PathBuf]) -> Result<String> {
    let texts = paths
        .iter()
        .map(|p| {
            input::read_text(p, "a sweep part", input::MAX_SWEEP_BYTES).map(|t| (p.clone(), t))
        })
        .collect::<Result<Vec<_>>>()?;
    let json = texts
        .iter()
        .filter(|(_, t)| t.trim_start().starts_with('{'))
        .count();
    if json == texts.len() {
        let parts = texts
            .iter()
            .map(|(p, t)| input::parse_json(p, t.as_bytes()))
            .collect::<Result<Vec<SweepOutput>>>()?;
        Ok(merge(&parts)?.json())
    } else if json == 0 {
        merge_csv(&texts)
    } else {
        Err(Error::Usage(
            "merge: the parts must be all JSON or all CSV".to_owned(),
        ))
    }
}
