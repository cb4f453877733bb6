//! Identifiers: what a well-formed id looks like, and the nearest known id
//! to suggest when one is mistyped.

/// A number as a message shows it: plainly when it is of a sensible size,
/// in scientific notation when printing every digit would flood the screen.
pub(crate) fn show(x: f64) -> String {
    if x.is_finite() && (x == 0.0 || (1e-6..1e9).contains(&x.abs())) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// The longest actor id, in characters.
pub(crate) const MAX_ACTOR_ID: usize = 32;
/// The longest id of anything else a scenario names (the scenario, an
/// issue, a threat, a theatre…), in characters.
pub(crate) const MAX_ID: usize = 64;

pub(crate) fn is_actor_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('A'..='Z'))
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && id.len() <= MAX_ACTOR_ID
}

pub(crate) fn is_issue_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && id.len() <= MAX_ID
}

pub(crate) fn is_scenario_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z' | '0'..='9'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && id.len() <= MAX_ID
}

/// The known id closest to `id` by case-insensitive edit distance, if close.
pub(crate) fn nearest<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let id = id.to_ascii_lowercase();
    known
        .map(|k| (edit_distance(&id, &k.to_ascii_lowercase()), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}
