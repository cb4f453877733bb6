//! A sweep's output told as a document: each outcome's probability with its
//! interval, each issue's distribution, strikes, and the paired comparison
//! of a `--vs` sweep.

use std::collections::BTreeMap;

use super::output::{SweepOutput, VariantResult};
use crate::render::chart::{Axis, BarRow, Bars, Chart, Columns, Kind};
use crate::render::{Block, Document, Figure, Inline, Meta, Render, Section, Table};

impl Render for SweepOutput {
    fn document(&self) -> Document {
        let names: Vec<&str> = self.variants.iter().map(|v| v.scenario.as_str()).collect();
        let mut meta = vec![
            Meta::new("seeds", format!("{}..{}", self.seeds.start, self.seeds.end)),
            Meta::new(
                "runs",
                format!(
                    "{}{}",
                    self.runs,
                    if names.len() > 1 { " each" } else { "" }
                ),
            ),
            Meta::new(
                "rounds",
                self.rounds
                    .map_or("the scenario's".to_owned(), |r| r.to_string()),
            ),
            Meta::new("engine", format!("entente {}", self.engine)),
        ];
        if let Some(shard) = &self.shard {
            meta.push(Meta::new("shard", shard.clone()));
        }
        let mut blocks = Vec::new();
        if let Some(p) = &self.partial {
            blocks.push(Block::Alert(Inline::plain(format!(
                "PARTIAL: {}; the figures cover those runs alone, not the whole sweep.",
                p.describe()
            ))));
        }
        for (v, variant) in self.variants.iter().enumerate() {
            blocks.push(variant_section(v, variant).into());
        }
        if !self.paired.is_empty() {
            blocks.push(paired(self).into());
        }
        Document {
            title: format!("Sweep of {}", names.join(" vs ")),
            meta,
            blocks,
        }
    }

    fn json(&self) -> String {
        crate::render::pretty_json(self)
    }
}

fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

fn interval(i: (f64, f64)) -> String {
    format!("[{:.1}%, {:.1}%]", 100.0 * i.0, 100.0 * i.1)
}

fn variant_section(v: usize, variant: &VariantResult) -> Section {
    let mut s = Section::new(
        Some(format!("variant-{v}")),
        Inline::code(&variant.scenario),
    );
    s.push(Block::figure(Figure {
        id: format!("outcomes-{v}"),
        chart: probability_chart(&format!("{}: outcomes", variant.scenario), variant),
        caption: "Each outcome's probability over the seeds, with its 95% Wilson interval.".into(),
        data: None,
    }));
    let mut t = Table::new(&[
        "outcome",
        ">runs",
        ">probability",
        ">95% interval",
        ">first round p10/p50/p90",
    ]);
    for o in &variant.outcomes {
        t.rows.push(vec![
            Inline::code(&o.outcome),
            o.count.to_string().into(),
            percent(o.probability).into(),
            interval(o.interval).into(),
            o.first_round
                .as_ref()
                .map_or("–".to_owned(), |f| {
                    format!("{}/{}/{}", f.p10, f.p50, f.p90)
                })
                .into(),
        ]);
    }
    s.push(t.into());
    let f = |x: Option<f64>| x.map_or("–".to_owned(), |x| format!("{x:.1}"));
    let mut t = Table::new(&[
        "issue",
        ">final mean",
        ">sd",
        ">p5",
        ">p50",
        ">p95",
        ">agreed in",
        ">agreed at",
    ]);
    for i in &variant.issues {
        let m = &i.final_mean;
        let (runs, at) = match &i.agreed_position {
            Some(a) => (
                a.runs.to_string(),
                format!("{} ± {}", f(a.position.mean), f(a.position.sd)),
            ),
            None => ("0".to_owned(), "–".to_owned()),
        };
        t.rows.push(vec![
            Inline::code(&i.issue),
            f(m.mean).into(),
            f(m.sd).into(),
            f(m.p5).into(),
            f(m.p50).into(),
            f(m.p95).into(),
            runs.into(),
            at.into(),
        ]);
    }
    s.push(t.into());
    for issue in &variant.issues {
        if let Some(d) = variant.aggregates.issues.get(&issue.issue) {
            s.push(Block::figure(distribution_figure(
                v,
                &issue.issue,
                &d.histogram,
            )));
        }
    }
    if !variant.strikes.is_empty() {
        let mut t = Table::new(&[
            "striker/theatre",
            ">strikes a run",
            ">on designated terrorists",
            ">95% interval",
            ">on threatened forces",
        ]);
        for st in &variant.strikes {
            t.row([
                st.striker.clone(),
                format!("{:.1}", st.per_run),
                percent(st.on_terrorists),
                interval(st.interval),
                st.threatened.to_string(),
            ]);
        }
        s.push(t.into());
    }
    if let Some(t) = survival_table(variant) {
        s.push(t.into());
    }
    if let Some(t) = ripeness_table(variant) {
        s.push(t.into());
    }
    s
}

/// Ripeness per theatre: the runs that reached a stalemate and those a
/// ceasefire followed, over all of them and split by whether a way out
/// stood open at the first stalemate.
fn ripeness_table(variant: &VariantResult) -> Option<Table> {
    if variant.ripeness.is_empty() {
        return None;
    }
    let mut t = Table::new(&[
        "theatre",
        "way out at the first stalemate",
        ">runs with a stalemate",
        ">ceasefire within the window",
        ">window (rounds)",
        ">share",
        ">95% interval",
    ]);
    for r in &variant.ripeness {
        let split = |(runs, followed): (u64, u64)| {
            let (share, wilson) = crate::stats::share(followed, runs);
            (runs, followed, share, wilson)
        };
        for (way, (runs, followed, share, wilson)) in [
            ("any", (r.ripe, r.followed, r.share, r.interval)),
            ("open", split(r.split(true))),
            ("none", split(r.split(false))),
        ] {
            t.row([
                r.theatre.clone(),
                way.to_owned(),
                runs.to_string(),
                followed.to_string(),
                r.window.to_string(),
                percent(share),
                interval(wilson),
            ]);
        }
    }
    Some(t)
}

/// Each ceasefire's first spell in force: how often it collapsed, after how
/// many weeks, and the share still in force after some weeks.
fn survival_table(variant: &VariantResult) -> Option<Table> {
    if variant.ceasefires.is_empty() {
        return None;
    }
    let mut header = vec![
        "ceasefire".to_owned(),
        ">in force in".to_owned(),
        ">collapsed".to_owned(),
        ">held to the end".to_owned(),
        ">weeks to collapse p10/p50/p90".to_owned(),
    ];
    if let Some(first) = variant.ceasefires.first() {
        header.extend(
            first
                .surviving
                .iter()
                .map(|w| format!(">holding at {} weeks", w.weeks)),
        );
    }
    header.push(">median weeks".to_owned());
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new(&names);
    for c in &variant.ceasefires {
        let mut row = vec![
            c.theatre.clone(),
            c.runs.to_string(),
            c.collapsed.to_string(),
            c.held_to_end.to_string(),
            c.weeks_to_collapse.map_or("–".to_owned(), |[a, b, d]| {
                format!("{a:.0}/{b:.0}/{d:.0}")
            }),
        ];
        row.extend(c.surviving.iter().map(|w| percent(w.share)));
        row.push(
            c.median_weeks
                .map_or("beyond the runs".to_owned(), |w| format!("{w:.0}")),
        );
        t.row(row);
    }
    Some(t)
}

fn paired(sweep: &SweepOutput) -> Section {
    let mut s = Section::new(Some("paired".to_owned()), "B − A, paired by seed");
    let mut t = Table::new(&[
        "outcome",
        ">A",
        ">B",
        ">B − A, points",
        ">95% interval (Newcombe)",
        "excludes 0",
    ]);
    for p in &sweep.paired {
        let excludes = p.interval.0 > 0.0 || p.interval.1 < 0.0;
        t.rows.push(vec![
            Inline::code(&p.outcome),
            percent(p.p_a).into(),
            percent(p.p_b).into(),
            format!("{:+.1}", 100.0 * p.difference).into(),
            format!(
                "[{:+.1}, {:+.1}]",
                100.0 * p.interval.0,
                100.0 * p.interval.1
            )
            .into(),
            if excludes { "*" } else { "" }.into(),
        ]);
    }
    s.push(t.into());
    s
}

/// One bar per outcome: its probability with the 95% interval as whiskers.
fn probability_chart(title: &str, variant: &VariantResult) -> Chart {
    Chart {
        title: title.to_owned(),
        alt: title.to_owned(),
        description: "Each bar is an outcome's probability over the seeds; the whiskers its 95% Wilson interval.".to_owned(),
        height: 90 + 26 * variant.outcomes.len() as u32,
        kind: Kind::Bars(Bars {
            unit: "probability, % (bar) with its 95% interval (whiskers)".to_owned(),
            from: 0.0,
            to: 100.0,
            rows: variant
                .outcomes
                .iter()
                .map(|o| BarRow {
                    label: o.outcome.clone(),
                    bars: vec![(0.0, 100.0 * o.probability, 0)],
                    whisker: Some((100.0 * o.interval.0, 100.0 * o.interval.1)),
                })
                .collect(),
        }),
    }
}

/// The distribution of an issue's final weighted mean over the seeds, in
/// bins of one point (the sweep keeps hundredths).
fn distribution_figure(v: usize, issue: &str, histogram: &BTreeMap<u32, u64>) -> Figure {
    let mut bins = [0u64; 101];
    for (&bin, &count) in histogram {
        bins[(bin / 100).min(100) as usize] += count;
    }
    let top = bins.iter().copied().max().unwrap_or(1).max(1) as f64;
    Figure {
        id: format!("distribution-{v}-{issue}"),
        chart: Chart {
            title: format!("{issue}: final weighted mean over the seeds"),
            alt: format!("{issue}: distribution of the final weighted mean"),
            description:
                "Bars count the seeds whose final weighted mean fell in each one-point bin."
                    .to_owned(),
            height: 260,
            kind: Kind::Columns(Columns {
                x: Axis::new("final weighted mean (0–100)", 0.0, 101.0),
                y: Axis::new("seeds", 0.0, top * 1.05),
                bars: bins
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(x, &c)| (x as f64, c as f64))
                    .collect(),
                width: 0.9,
                centred: false,
                zero_line: false,
            }),
        },
        caption: Inline::strong(issue).then(": the final weighted mean over the seeds."),
        data: None,
    }
}
