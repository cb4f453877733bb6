//! The scenario's ids, interned once per scenario: inside the state an
//! actor, an issue, a theatre, a ceasefire, a regime or a threat is an
//! index, and an id is looked up only where an event (the serialization
//! boundary) names one. The tables are shared, so a state clones without
//! copying them, and every run of a sweep reads the same ones.

use crate::scenario::Scenario;

/// Every table of ids of one scenario.
#[derive(Debug, PartialEq)]
pub(super) struct Names {
    /// Actor ids, in listing order.
    pub(super) actors: Interned,
    /// Issue ids, in listing order.
    pub(super) issues: Interned,
    /// The theatres named by strikes and ceasefires, sorted.
    pub(super) theatres: Interned,
    /// Each ceasefire's theatre, in scenario order.
    pub(super) ceasefires: Interned,
    /// Regime ids, in scenario order.
    pub(super) regimes: Interned,
    /// Threat ids, in scenario order.
    pub(super) threats: Interned,
}

impl Names {
    pub(super) fn new(scenario: &Scenario) -> Names {
        let ids = |ids: &mut dyn Iterator<Item = &String>| ids.cloned().collect::<Vec<_>>();
        Names {
            // An id listed twice (which validation refuses) names its last
            // listing, as an index built by inserting each in turn would.
            actors: Interned::new(ids(&mut scenario.actors.iter().map(|a| &a.id)), Twice::Last),
            issues: Interned::new(ids(&mut scenario.issues.iter().map(|i| &i.id)), Twice::Last),
            theatres: Interned::new(scenario.theatres(), Twice::First),
            ceasefires: Interned::new(
                ids(&mut scenario.ceasefires.iter().map(|c| &c.theatre)),
                Twice::First,
            ),
            regimes: Interned::new(
                ids(&mut scenario.sanctions.iter().map(|r| &r.id)),
                Twice::First,
            ),
            threats: Interned::new(
                ids(&mut scenario.threats.iter().map(|t| &t.id)),
                Twice::First,
            ),
        }
    }
}

/// Which listing an id listed twice names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Twice {
    First,
    Last,
}

/// Ids in a fixed order, and the index of each: an open-addressing hash
/// table, so a lookup hashes the id once and compares it with one id. The
/// table is only looked up, never iterated, so its order reaches nothing.
#[derive(Debug, PartialEq)]
pub(super) struct Interned {
    ids: Vec<String>,
    /// Indices into `ids`, [`EMPTY`] where none; a power of two long, at
    /// least twice the ids.
    slots: Vec<u32>,
}

const EMPTY: u32 = u32::MAX;

impl Interned {
    pub(super) fn new(ids: Vec<String>, twice: Twice) -> Interned {
        let len = (ids.len() * 2).next_power_of_two().max(2);
        let mut slots = vec![EMPTY; len];
        for (k, id) in ids.iter().enumerate() {
            let mut i = slot(id, len);
            loop {
                match slots[i] {
                    EMPTY => {
                        slots[i] = k as u32;
                        break;
                    }
                    j if ids[j as usize] == *id => {
                        if twice == Twice::Last {
                            slots[i] = k as u32;
                        }
                        break;
                    }
                    _ => i = (i + 1) & (len - 1),
                }
            }
        }
        Interned { ids, slots }
    }

    /// The index of `id`.
    pub(super) fn get(&self, id: &str) -> Option<usize> {
        let len = self.slots.len();
        let mut i = slot(id, len);
        loop {
            match self.slots[i] {
                EMPTY => return None,
                k if self.ids[k as usize] == id => return Some(k as usize),
                _ => i = (i + 1) & (len - 1),
            }
        }
    }

    /// The ids, in their order.
    pub(super) fn ids(&self) -> &[String] {
        &self.ids
    }

    /// How many ids there are.
    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// The first slot of `id` in a table `len` long (a power of two): a
/// multiplicative hash of its bytes, eight at a time.
fn slot(id: &str, len: usize) -> usize {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes = id.as_bytes();
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    (h >> 32) as usize & (len - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_found_at_its_index_and_no_other_id_is() {
        let ids: Vec<String> = (0..300).map(|k| format!("A{k}")).collect();
        let table = Interned::new(ids.clone(), Twice::First);
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(table.get(id), Some(k));
        }
        for missing in ["", "A", "A300", "a1", "A1 ", "syria_ceasefire_long_id_x"] {
            assert_eq!(table.get(missing), None);
        }
        assert_eq!(Interned::new(Vec::new(), Twice::First).get("USA"), None);
    }

    #[test]
    fn an_id_listed_twice_names_the_listing_asked_for() {
        let ids = || vec!["USA".to_owned(), "RUS".to_owned(), "USA".to_owned()];
        assert_eq!(Interned::new(ids(), Twice::First).get("USA"), Some(0));
        assert_eq!(Interned::new(ids(), Twice::Last).get("USA"), Some(2));
        assert_eq!(Interned::new(ids(), Twice::Last).get("RUS"), Some(1));
    }
}
