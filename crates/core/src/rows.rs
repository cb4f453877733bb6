//! Rows of CSV text, read by the `csv` crate from the text's bytes (it does
//! no I/O of its own): each record that is not blank, its fields trimmed of
//! white space, with the line it starts on, so that an importer's errors
//! name the file's line.

use csv::{ReaderBuilder, StringRecord, Trim};

/// One record and the 1-based line it starts on.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    /// The line.
    pub(crate) line: usize,
    /// The fields, trimmed.
    pub(crate) fields: StringRecord,
}

/// The rows of `text`, blank lines skipped. Without `quoting`, a double
/// quote is a character like any other and every comma splits (KTAB's
/// reader); with it, a quoted field may hold commas. An error comes with
/// the line it was met on.
pub(crate) fn rows(
    text: &str,
    quoting: bool,
) -> impl Iterator<Item = Result<Row, (usize, String)>> + '_ {
    // Lines are counted from byte offsets: the reader's own line count
    // leaves out the empty lines it skips, and a record's offset is where
    // the one before it ended, before those lines.
    let mut counted = (0, 1);
    let mut line_at = move |byte: u64| {
        let mut byte = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        let (from, line) = counted;
        let newlines = text.as_bytes()[from.min(byte)..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = (byte.max(from), line + newlines);
        counted.1
    };
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .quoting(quoting)
        .trim(Trim::All)
        .from_reader(text.as_bytes())
        .into_records()
        .filter_map(move |record| match record {
            Ok(r) if r.iter().all(str::is_empty) && r.len() <= 1 => None,
            Ok(r) => Some(Ok(Row {
                line: line_at(r.position().map_or(0, csv::Position::byte)),
                fields: r,
            })),
            Err(e) => Some(Err((
                line_at(e.position().map_or(0, csv::Position::byte)),
                e.to_string(),
            ))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_name_their_lines_blank_lines_counted_and_skipped() {
        let text = "a, b ,c\n\n   \n\"d,e\",f\r\ng\n";
        let read = |quoting| -> Vec<(usize, Vec<String>)> {
            rows(text, quoting)
                .map(|r| {
                    let r = r.unwrap();
                    (r.line, r.fields.iter().map(str::to_owned).collect())
                })
                .collect()
        };
        assert_eq!(
            read(true),
            [
                (1, vec!["a".into(), "b".into(), "c".into()]),
                (4, vec!["d,e".into(), "f".into()]),
                (5, vec!["g".into()]),
            ]
        );
        assert_eq!(
            read(false)[1],
            (4, vec!["\"d".into(), "e\"".into(), "f".into()])
        );
    }
}
