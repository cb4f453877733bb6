//! CAMEO event codes and their Goldstein conflict–cooperation values.
//!
//! Every event Entente writes carries a CAMEO code and the code's Goldstein
//! value (−10 conflict … +10 cooperation), so event-data tools can read a log.
//! The table is `data/cameo-goldstein.tsv`, compiled into the crate; its values
//! are GDELT's Goldstein lookup table.

use std::sync::OnceLock;

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    /// The CAMEO code, e.g. `"042"`.
    pub code: &'static str,
    /// Goldstein value, −10 … +10.
    pub goldstein: f64,
    /// GDELT quad class: 1 verbal cooperation, 2 material cooperation,
    /// 3 verbal conflict, 4 material conflict.
    pub quad: u8,
    /// What the code means.
    pub label: &'static str,
}

const TABLE: &str = include_str!("../data/cameo-goldstein.tsv");

/// Every code in the table, sorted by code.
pub fn table() -> &'static [Code] {
    static CODES: OnceLock<Vec<Code>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut codes: Vec<Code> = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("code\t") && !l.trim().is_empty())
            .filter_map(parse_row)
            .collect();
        codes.sort_by(|a, b| a.code.cmp(b.code));
        codes
    })
}

/// The row for `code`, if the table has it.
pub fn lookup(code: &str) -> Option<&'static Code> {
    let codes = table();
    codes
        .binary_search_by(|c| c.code.cmp(code))
        .ok()
        .map(|i| &codes[i])
}

/// The Goldstein value of `code`; 0 for a code the table lacks (which
/// validation refuses before a run, so a log never holds one).
pub fn goldstein(code: &str) -> f64 {
    lookup(code).map_or(0.0, |c| c.goldstein)
}

fn parse_row(line: &'static str) -> Option<Code> {
    let mut cols = line.split('\t');
    let code = cols.next()?;
    let goldstein = cols.next()?.parse().ok()?;
    let quad = cols.next()?.parse().ok()?;
    let label = cols.next()?;
    Some(Code {
        code,
        goldstein,
        quad,
        label,
    })
}

/// The table as tab-separated text with a header line, as `entente cameo`
/// prints it.
pub fn listing() -> String {
    let mut text = String::from("code\tgoldstein\tquad\tlabel\n");
    for c in table() {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            c.code, c.goldstein, c.quad, c.label
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_table_parses() {
        let data_rows = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("code\t"))
            .count();
        assert_eq!(table().len(), data_rows);
        assert!(table().len() >= 35);
    }

    #[test]
    fn looks_up_known_values() {
        assert_eq!(goldstein("042"), 1.9);
        assert_eq!(goldstein("196"), -9.5);
        assert_eq!(goldstein("0871"), 9.0);
        assert_eq!(lookup("1244").unwrap().quad, 3);
        assert!(lookup("999").is_none());
    }
}
