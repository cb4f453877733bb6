//! Merging shards: parts of one sweep into exactly the output an unsharded
//! sweep would have written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::aggregate::{Aggregates, Distribution};
use super::output::{FORMAT, Partial, SweepOutput, VERSION, summarise};
use crate::error::{Error, Result};
use crate::input;
use crate::render::{Format, Render};
use crate::shard::{self, MAX_SHARDS, SeedRange};

/// Combines shard outputs into the output one unsharded sweep would give.
/// Every shard of the sweep must be there, unless `partial` is set; then
/// the output says which shards it holds, in every format.
/// Each part comes with the file it was read from, which the messages
/// name.
pub fn merge(parts: &[(PathBuf, SweepOutput)], partial: bool) -> Result<SweepOutput> {
    let Some((_, first)) = parts.first() else {
        return Err(Error::Usage("merge: no parts given".to_owned()));
    };
    let mut named: Vec<&(PathBuf, SweepOutput)> = parts.iter().collect();
    named.sort_by_key(|(_, p)| (p.seeds.start, p.seeds.end));
    let sorted: Vec<&SweepOutput> = named.iter().map(|(_, p)| p).collect();
    let ids = variant_ids(first);
    let first_file = parts[0].0.display();
    for (file, part) in named.iter().map(|(f, p)| (f.display(), p)) {
        if part.format != FORMAT || part.version != VERSION {
            return Err(Error::Usage(format!(
                "merge: {file}: is {} version {}, not an {FORMAT} version {VERSION} file",
                part.format, part.version
            )));
        }
        let differs = if part.engine != first.engine {
            Some(format!(
                "engine {} where the first has {}",
                part.engine, first.engine
            ))
        } else if part.rounds != first.rounds {
            Some(format!(
                "{} rounds where the first has {}",
                shown(part.rounds),
                shown(first.rounds)
            ))
        } else if variant_ids(part) != ids {
            Some("other scenarios (names or contents) than the first".to_owned())
        } else {
            None
        };
        if let Some(differs) = differs {
            return Err(Error::Usage(format!(
                "merge: {file}: the part of seeds {}..{} is not of the same sweep as the part of seeds {}..{} ({first_file}): it has {differs}",
                part.seeds.start, part.seeds.end, first.seeds.start, first.seeds.end
            )));
        }
    }
    for part in &sorted {
        consistent(part)?;
        same_keys(part, first)?;
    }
    for (file, part) in &named {
        as_written(file, part, &ids)?;
    }
    let missing = shards(&named)?;
    let incomplete = missing.as_ref().is_some_and(|(_, m)| !m.is_empty());
    if let Some((n, missing)) = missing.as_ref().filter(|_| incomplete && !partial) {
        let list: Vec<String> = missing.iter().map(u64::to_string).collect();
        return Err(Error::Usage(format!(
            "merge: shard(s) {} of {n} missing; merge every shard, or pass --partial to merge what is here (the output then says it is partial)",
            list.join(", ")
        )));
    }
    let mut aggregates: Vec<Aggregates> = first.variants.iter().map(empty_like).collect();
    let mut paired: BTreeMap<String, [u64; 4]> = first
        .paired_counts
        .keys()
        .map(|k| (k.clone(), [0; 4]))
        .collect();
    let mut expected_start = sorted[0].seeds.start;
    for part in &sorted {
        if !incomplete && part.seeds.start != expected_start {
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
    let seeds = match (incomplete, first.planned) {
        (true, Some(planned)) => planned,
        _ => SeedRange {
            start: sorted[0].seeds.start,
            end: expected_start,
        },
    };
    let mut merged = summarise(&ids, seeds, first.rounds, aggregates, paired)?;
    if incomplete {
        merged.partial = Some(Partial {
            of: missing.as_ref().map_or(0, |(n, _)| *n),
            shards: sorted
                .iter()
                .filter_map(|p| shard_of(p).map(|s| s.0))
                .collect(),
        });
    }
    Ok(merged)
}

/// Holds a part to itself: a shard covers its own slice of the planned
/// seeds, every variant folded one run per seed, no outcome counted in more
/// runs than there were, every issue's distribution one value per run, and
/// each paired count splitting the runs four ways.
fn consistent(part: &SweepOutput) -> Result<()> {
    let name = part.shard.as_deref().map_or_else(
        || format!("the part of seeds {}..{}", part.seeds.start, part.seeds.end),
        |k| format!("shard {k} (seeds {}..{})", part.seeds.start, part.seeds.end),
    );
    let bad = |why: String| Err(Error::Usage(format!("merge: {name}: {why}")));
    if let (Some(k), Some(planned)) = (shard_of(part), part.planned) {
        let own = shard::slice(&(planned.start..planned.end), k);
        if (part.seeds.start, part.seeds.end) != (own.start, own.end) {
            return bad(format!(
                "its seeds are not its slice of {}..{} ({}..{})",
                planned.start, planned.end, own.start, own.end
            ));
        }
    }
    let runs = part.seeds.end.saturating_sub(part.seeds.start);
    for v in &part.variants {
        let a = &v.aggregates;
        if a.runs != runs {
            return bad(format!(
                "{} holds {} runs for {runs} seeds",
                v.scenario, a.runs
            ));
        }
        for (outcome, by_round) in &a.outcomes {
            // The sweep's rounds when it set them, else the most a
            // scenario may have.
            let rounds = part.rounds.unwrap_or(entente_core::limits::MAX_ROUNDS);
            if let Some((&last, _)) = by_round.last_key_value()
                && last > rounds
            {
                return bad(format!(
                    "{outcome} is first reached in round {last}, beyond the {rounds} rounds a run can have"
                ));
            }
            let counted = by_round.values().try_fold(0u64, |t, &c| t.checked_add(c));
            if counted.is_none_or(|c| c > runs) {
                return bad(format!(
                    "{outcome} is counted in more runs than the part's {runs}"
                ));
            }
        }
        // Every run ends with a forecast of every issue; an agreed position
        // is counted only in the runs that reached an agreement.
        let forecasts = a.issues.iter().map(|(issue, d)| (issue, d, true));
        let agreed = a.agreed.iter().map(|(issue, d)| (issue, d, false));
        for (issue, d, every_run) in forecasts.chain(agreed) {
            let values = d
                .histogram
                .values()
                .try_fold(0u64, |t, &c| t.checked_add(c));
            let scale = i128::from(runs) * 100 * (1i128 << 32);
            // Buckets are hundredths of a point on the 0–100 scale.
            let beyond = d
                .histogram
                .last_key_value()
                .is_some_and(|(&k, _)| k > 10_000);
            if values.is_none_or(|n| n > runs || (every_run && n != runs))
                || !d.fits()
                || beyond
                || d.sum < 0
                || d.sum > scale
                || d.sum_sq < 0
            {
                return bad(format!(
                    "{issue}'s distribution does not fit {runs} runs on the 0–100 scale (its counts and its sums must be those of one value per run)"
                ));
            }
        }
        // A ceasefire's first spell collapsed in exactly the runs that
        // reached its collapse, and it had a spell in every run (in force
        // from the start) or in those that agreed it.
        for (theatre, survival) in &a.survival {
            let reached = |key: &str| -> u64 {
                a.outcomes
                    .get(&format!("{key}:{theatre}"))
                    .map_or(0, |r| r.values().sum())
            };
            let collapsed: u64 = survival.collapsed.values().sum();
            let spells = survival.runs();
            if collapsed != reached("ceasefire_collapsed")
                || (spells != runs && spells != reached("ceasefire_agreed"))
            {
                return bad(format!(
                    "the survival of the ceasefire in {theatre} does not fit its outcomes ({collapsed} first spells collapsed, {spells} spells, in {runs} runs)"
                ));
            }
        }
    }
    for (outcome, counts) in &part.paired_counts {
        let total = counts.iter().try_fold(0u64, |t, &c| t.checked_add(c));
        if total != Some(runs) {
            return bad(format!(
                "the paired counts of {outcome} do not add up to its {runs} runs"
            ));
        }
    }
    Ok(())
}

/// Holds a part's tables to its own counts: the merge reads only the
/// counts, so a table edited alone would pass unseen, and a part must be as
/// Entente wrote it.
fn as_written(file: &std::path::Path, part: &SweepOutput, ids: &[(String, String)]) -> Result<()> {
    let again = summarise(
        ids,
        part.seeds,
        part.rounds,
        part.variants.iter().map(|v| v.aggregates.clone()).collect(),
        part.paired_counts.clone(),
    )?;
    let same = serde_json::to_value(&again.variants).ok()
        == serde_json::to_value(&part.variants).ok()
        && serde_json::to_value(&again.paired).ok() == serde_json::to_value(&part.paired).ok();
    if !same {
        return Err(Error::Usage(format!(
            "merge: {}: its tables are not what its own counts give (a part must be as Entente wrote it)",
            file.display()
        )));
    }
    Ok(())
}

/// A part of the same sweep counts the same outcomes and issues as the
/// first: its scenario can produce no other (a key only one part has is
/// forged or from another engine).
fn same_keys(part: &SweepOutput, first: &SweepOutput) -> Result<()> {
    for (v, w) in part.variants.iter().zip(&first.variants) {
        let (a, b) = (&v.aggregates, &w.aggregates);
        let odd = a
            .outcomes
            .keys()
            .find(|k| !b.outcomes.contains_key(*k))
            .or_else(|| b.outcomes.keys().find(|k| !a.outcomes.contains_key(*k)))
            .or_else(|| a.issues.keys().find(|k| !b.issues.contains_key(*k)))
            .or_else(|| b.issues.keys().find(|k| !a.issues.contains_key(*k)));
        if let Some(key) = odd {
            return Err(Error::Usage(format!(
                "merge: the part of seeds {}..{} and the part of seeds {}..{} of {} do not count the same outcomes and issues ({key} is in one only)",
                part.seeds.start, part.seeds.end, first.seeds.start, first.seeds.end, v.scenario
            )));
        }
    }
    Ok(())
}

/// Rounds as a merge message shows them.
fn shown(rounds: Option<u32>) -> String {
    rounds.map_or_else(|| "unstated".to_owned(), |r| r.to_string())
}

fn variant_ids(part: &SweepOutput) -> Vec<(String, String)> {
    part.variants
        .iter()
        .map(|v| (v.scenario.clone(), v.scenario_hash.clone()))
        .collect()
}

/// Aggregates with the keys of `v` and nothing counted.
fn empty_like(v: &super::VariantResult) -> Aggregates {
    Aggregates {
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
        agreed: BTreeMap::new(),
        strikes: BTreeMap::new(),
        survival: BTreeMap::new(),
        ripeness: BTreeMap::new(),
        ripeness_way_out: BTreeMap::new(),
    }
}

/// A part's shard, (K, N).
fn shard_of(part: &SweepOutput) -> Option<(u64, u64)> {
    shard::split(part.shard.as_deref()?)
}

/// For parts that are shards: N and the shards missing. `None` for parts
/// that are whole sweeps of adjoining ranges. Refuses a mix, shards of
/// different splits, and a shard given twice, naming the files.
fn shards(named: &[&(PathBuf, SweepOutput)]) -> Result<Option<(u64, Vec<u64>)>> {
    let bad = |why: &str| Err(Error::Usage(format!("merge: {why}")));
    let parts: Vec<&SweepOutput> = named.iter().map(|(_, p)| p).collect();
    let file = |k: usize| named[k].0.display();
    if let Some(text) = parts
        .iter()
        .filter_map(|p| p.shard.as_deref())
        .find(|t| shard::split(t).is_none())
    {
        return bad(&format!(
            "a part says it is shard {text:?}, which is not K/N with 1 ≤ K ≤ N"
        ));
    }
    let found: Vec<Option<(u64, u64)>> = parts.iter().map(|p| shard_of(p)).collect();
    if found.iter().all(Option::is_none) {
        return Ok(None);
    }
    let Some(shards) = found.iter().copied().collect::<Option<Vec<_>>>() else {
        return bad("the parts mix shards and whole sweeps");
    };
    let n = shards[0].1;
    if n > MAX_SHARDS {
        return bad(&format!(
            "a part says it is one of {n} shards; at most {MAX_SHARDS} are made"
        ));
    }
    let planned = parts[0].planned;
    let seeds = |p: Option<SeedRange>| {
        p.map_or_else(
            || "unstated".to_owned(),
            |r| format!("{}..{}", r.start, r.end),
        )
    };
    if let Some(k) = (0..parts.len()).find(|&k| shards[k].1 != n || parts[k].planned != planned) {
        return bad(&format!(
            "{} and {} are shards of different splits (their N or seed ranges differ): {} says shard {}/{} of seeds {}, {} shard {}/{n} of seeds {}",
            file(k),
            file(0),
            file(k),
            shards[k].0,
            shards[k].1,
            seeds(parts[k].planned),
            file(0),
            shards[0].0,
            seeds(planned)
        ));
    }
    let mut present = std::collections::BTreeMap::new();
    for (j, (k, _)) in shards.iter().enumerate() {
        if let Some(first) = present.insert(*k, j) {
            return bad(&format!(
                "shard {k}/{n} is given twice: {} and {}",
                file(first),
                file(j)
            ));
        }
    }
    Ok(Some((
        n,
        (1..=n).filter(|k| !present.contains_key(k)).collect(),
    )))
}

/// Merges CSV parts: the same header, rows sorted by seed, no seed twice.
/// A shard's CSV starts with a comment line naming it (`# entente-sweep
/// shard K/N of seeds A..B`); every shard must be there, unless `partial`
/// is set, and then the merged CSV starts with a comment saying so.
pub fn merge_csv(parts: &[(PathBuf, String)], partial: bool) -> Result<String> {
    let mut header: Option<&str> = None;
    let mut rows: Vec<(u64, &str)> = Vec::new();
    let mut shards: Vec<Option<(u64, u64, String)>> = Vec::new();
    for (path, text) in parts {
        // Entente ends every CSV with a newline: a part without one was cut.
        if !text.is_empty() && !text.ends_with('\n') {
            return Err(Error::Usage(format!(
                "{}: its last line has no newline: the part was cut short (torn); make it again",
                path.display()
            )));
        }
        let mut lines = text.lines().peekable();
        shards.push(lines.peek().and_then(|l| csv_shard(l)));
        if shards.last().is_some_and(Option::is_some) {
            lines.next();
        }
        let first_row = rows.len();
        let h = lines.next().unwrap_or("");
        if is_partial_note(h) {
            return Err(Error::Usage(format!(
                "{}: is the output of a partial merge, not a shard's CSV; merge the shards' own CSVs (every one, or with --partial)",
                path.display()
            )));
        }
        if h.starts_with("seed,a:fingerprint,b:fingerprint") {
            return Err(Error::Usage(format!(
                "{}: is the CSV of a --vs sweep, whose two variants' rows are not merged by shard; merge its JSON parts instead",
                path.display()
            )));
        }
        if !h.starts_with("seed,fingerprint,") {
            return Err(Error::Usage(format!(
                "{}: not the CSV of an Entente sweep (its header must start with seed,fingerprint)",
                path.display()
            )));
        }
        let columns = h.split(',').count();
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
            if line.split(',').count() != columns {
                return Err(Error::Usage(format!(
                    "{}: a row of {} fields under a header of {columns}: {line:?}",
                    path.display(),
                    line.split(',').count()
                )));
            }
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
        if let Some(Some(declared)) = shards.last() {
            own_seeds_once(path, declared, &mut rows[first_row..])?;
        }
    }
    let note = csv_completeness(parts, &shards, partial)?;
    rows.sort_by_key(|r| r.0);
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::Usage(format!(
            "merge: seed {} appears in two parts",
            w[0].0
        )));
    }
    let mut out = note.map(|n| format!("# {n}\n")).unwrap_or_default();
    out.push_str(header.unwrap_or(""));
    out.push('\n');
    for (_, row) in rows {
        out.push_str(row);
        out.push('\n');
    }
    Ok(out)
}

/// Holds a CSV part to the shard it declares: one row for each of its own
/// seeds, and none of another's (a deleted, doubled or foreign row is
/// refused, naming the part and the seed).
fn own_seeds_once(
    path: &std::path::Path,
    (k, n, planned): &(u64, u64, String),
    rows: &mut [(u64, &str)],
) -> Result<()> {
    let bad = |why: String| Err(Error::Usage(format!("{}: {why}", path.display())));
    let Some((a, b)) = planned.split_once("..") else {
        return bad(format!("a shard of seeds {planned:?}, not A..B"));
    };
    let (Ok(a), Ok(b)) = (a.parse::<u64>(), b.parse::<u64>()) else {
        return bad(format!("a shard of seeds {planned:?}, not A..B"));
    };
    if *k == 0 || k > n || a >= b {
        return bad(format!("shard {k}/{n} of seeds {planned} cannot exist"));
    }
    let own = shard::slice(&(a..b), (*k, *n));
    rows.sort_by_key(|r| r.0);
    let mut expected = own.clone();
    for &(seed, _) in rows.iter() {
        if !own.contains(&seed) {
            return bad(format!(
                "seed {seed} is not shard {k}/{n}'s (its seeds are {}..{})",
                own.start, own.end
            ));
        }
        match expected.next() {
            Some(e) if e == seed => {}
            Some(e) if seed < e => return bad(format!("seed {seed} has two rows")),
            Some(e) => return bad(format!("seed {e} has no row")),
            None => return bad(format!("seed {seed} has two rows")),
        }
    }
    match expected.next() {
        Some(e) => bad(format!("seed {e} has no row")),
        None => Ok(()),
    }
}

/// The comment line a shard's CSV starts with.
pub(super) fn csv_shard_line(k: u64, n: u64, planned: &std::ops::Range<u64>) -> String {
    format!(
        "# entente-sweep shard {k}/{n} of seeds {}..{}",
        planned.start, planned.end
    )
}

/// Whether `line` is a shard's comment line, whole: `# entente-sweep shard
/// K/N of seeds A..B`.
pub fn is_shard_line(line: &str) -> bool {
    csv_shard(line).is_some_and(|(_, _, planned)| super::parse_seeds(&planned).is_ok())
}

/// How a partial merge's note on its CSV ends.
const PARTIAL_TAIL: &str = "; the rows are those shards' alone";

/// Whether `line` is a partial merge's note, whole: `# partial: only shards
/// 1, 2 of 3 (seeds 0..30); the rows are those shards' alone`.
pub fn is_partial_note(line: &str) -> bool {
    let number = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let Some((shards, seeds)) = line
        .strip_prefix("# partial: only shards ")
        .and_then(|rest| rest.split_once(" (seeds "))
    else {
        return false;
    };
    let seeds_ok = seeds
        .strip_suffix(PARTIAL_TAIL)
        .and_then(|s| s.strip_suffix(')'))
        .is_some_and(|s| super::parse_seeds(s).is_ok());
    seeds_ok
        && shards
            .rsplit_once(" of ")
            .is_some_and(|(list, n)| number(n) && list.split(", ").all(number))
}

/// (K, N, the planned seeds) of a shard's comment line.
fn csv_shard(line: &str) -> Option<(u64, u64, String)> {
    let rest = line.strip_prefix("# entente-sweep shard ")?;
    let (shard, planned) = rest.split_once(" of seeds ")?;
    let (k, n) = shard::split(shard)?;
    Some((k, n, planned.to_owned()))
}

/// Whether CSV parts are every shard of one split; the note a partial merge
/// starts with.
fn csv_completeness(
    parts: &[(PathBuf, String)],
    shards: &[Option<(u64, u64, String)>],
    partial: bool,
) -> Result<Option<String>> {
    if shards.iter().all(Option::is_none) {
        return Ok(None);
    }
    let bad = |why: String| Err(Error::Usage(format!("merge: {why}")));
    let file = |k: usize| parts[k].0.display();
    let Some(shards) = shards.iter().cloned().collect::<Option<Vec<_>>>() else {
        return bad("the CSV parts mix shards and whole sweeps".to_owned());
    };
    let (n, planned) = (shards[0].1, shards[0].2.clone());
    if let Some(k) = (0..shards.len()).find(|&k| shards[k].1 != n || shards[k].2 != planned) {
        return bad(format!(
            "{} and {} are CSV parts of shards of different splits: {} says shard {}/{} of seeds {}, {} shard {}/{n} of seeds {planned}",
            file(k),
            file(0),
            file(k),
            shards[k].0,
            shards[k].1,
            shards[k].2,
            file(0),
            shards[0].0
        ));
    }
    let mut seen = std::collections::BTreeMap::new();
    for (j, s) in shards.iter().enumerate() {
        if let Some(first) = seen.insert(s.0, j) {
            return bad(format!(
                "shard {}/{n} is given twice: {} and {}",
                s.0,
                file(first),
                file(j)
            ));
        }
    }
    let present: Vec<u64> = seen.keys().copied().collect();
    let missing: Vec<String> = (1..=n)
        .filter(|k| !present.contains(k))
        .map(|k| k.to_string())
        .collect();
    if missing.is_empty() {
        return Ok(None);
    }
    if !partial {
        return bad(format!(
            "shard(s) {} of {n} missing; merge every shard, or pass --partial to merge what is here",
            missing.join(", ")
        ));
    }
    let shards = Partial {
        of: n,
        shards: present,
    };
    Ok(Some(format!(
        "partial: {} (seeds {planned}){PARTIAL_TAIL}",
        shards.describe()
    )))
}

/// Merges sweep parts read as text (all sweep outputs, or all CSV parts;
/// `parts::texts` reads them) into the text of the whole: JSON parts into
/// the sweep's output in `format` (JSON by default), CSV parts into CSV.
pub fn merge_texts(
    texts: &[(PathBuf, String)],
    partial: bool,
    format: Option<Format>,
) -> Result<String> {
    let json = texts
        .iter()
        .filter(|(_, t)| t.trim_start().starts_with('{'))
        .count();
    if json == texts.len() {
        let parts = texts
            .iter()
            .map(|(p, t)| input::parse_json(p, t.as_bytes()).map(|part| (p.clone(), part)))
            .collect::<Result<Vec<(PathBuf, SweepOutput)>>>()?;
        merge(&parts, partial)?.render(format.unwrap_or(Format::Json))
    } else if json == 0 {
        match format {
            None => merge_csv(texts, partial),
            Some(other) => Err(other.refuse(
                "merge of a sweep's CSV parts",
                &[],
                "CSV; leave --format out",
            )),
        }
    } else {
        Err(Error::Usage(
            "merge: the parts must be all JSON or all CSV".to_owned(),
        ))
    }
}
