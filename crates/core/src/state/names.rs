//! The scenario's ids, interned once per scenario: inside the state an
//! actor, an issue, a theatre, a ceasefire, a regime or a threat is an
//! index, and an id is looked up only where an event (the serialization
//! boundary) names one. The tables are shared, so a state clones without
//! copying them, and every run of a sweep reads the same ones.

use super::{Refusal, State};
use crate::event::{Event, Id};
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
        let ids = |ids: &mut dyn Iterator<Item = &String>| ids.map(Id::from).collect::<Vec<_>>();
        Names {
            // An id listed twice (which validation refuses) names its last
            // listing, as an index built by inserting each in turn would.
            actors: Interned::new(ids(&mut scenario.actors.iter().map(|a| &a.id)), Twice::Last),
            issues: Interned::new(ids(&mut scenario.issues.iter().map(|i| &i.id)), Twice::Last),
            theatres: Interned::new(ids(&mut scenario.theatres().iter()), Twice::First),
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

/// What an event names, as the state's indices: looked up once
/// ([`State::refs`]) and read by settling, checking and applying the event,
/// so the commonest events look each of their ids up once. Other events
/// look their ids up where they read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refs {
    /// A move or a change of salience: who, on which issue.
    Stance { actor: usize, issue: usize },
    /// A change of trust: between whom.
    Pair { a: usize, b: usize },
    /// A strike: who, in which theatre.
    Strike { actor: usize, theatre: usize },
    /// Nothing looked up ahead, or an id the state does not have (which
    /// whoever reads the event then refuses or skips as it always does).
    Later,
}

impl State {
    /// The indices of what `event` names, for the events looked up ahead.
    pub(crate) fn refs(&self, event: &Event) -> Refs {
        let names = &self.names;
        let found = match event {
            Event::PositionChanged(p) => names
                .actors
                .get(&p.actor)
                .zip(names.issues.get(&p.issue))
                .map(|(actor, issue)| Refs::Stance { actor, issue }),
            Event::SalienceChanged(c) => names
                .actors
                .get(&c.actor)
                .zip(names.issues.get(&c.issue))
                .map(|(actor, issue)| Refs::Stance { actor, issue }),
            Event::TrustChanged(t) => names
                .actors
                .get(&t.a)
                .zip(names.actors.get(&t.b))
                .map(|(a, b)| Refs::Pair { a, b }),
            Event::Strike(s) => names
                .actors
                .get(&s.striker)
                .zip(names.theatres.get(&s.theatre))
                .map(|(actor, theatre)| Refs::Strike { actor, theatre }),
            _ => None,
        };
        found.unwrap_or(Refs::Later)
    }

    /// The actor and issue of a move or a change of salience: from `refs`,
    /// or looked up, or a refusal naming the one the state does not have.
    pub(super) fn need_stance_refs(
        &self,
        refs: Refs,
        actor: &str,
        issue: &str,
    ) -> Result<(usize, usize), Refusal> {
        match refs {
            Refs::Stance { actor, issue } => Ok((actor, issue)),
            _ => Ok((self.need_actor(actor)?, self.need_issue(issue)?)),
        }
    }

    /// The two actors of a change of trust, as [`State::need_stance_refs`].
    pub(super) fn need_pair_refs(
        &self,
        refs: Refs,
        a: &str,
        b: &str,
    ) -> Result<(usize, usize), Refusal> {
        match refs {
            Refs::Pair { a, b } => Ok((a, b)),
            _ => Ok((self.need_actor(a)?, self.need_actor(b)?)),
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
/// table whose slots hold each id's bytes as words, so a lookup loads the
/// id once and compares words, calling neither `memcmp` nor `memcpy`. The
/// table is only looked up, never iterated, so its order reaches nothing.
#[derive(Debug, PartialEq)]
pub(super) struct Interned {
    ids: Vec<Id>,
    /// A power of two long, at least twice the ids; `None` where empty.
    slots: Vec<Option<Slot>>,
}

/// One id in the table: its key and its index.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Slot {
    key: Key,
    index: u32,
}

/// An id as words: its length and, little endian, its first eight bytes,
/// its last eight and the eight after the first (each only where the id
/// is that long, zero otherwise). Ids up to [`Key::INLINE`] bytes long
/// (every id the shipped scenarios use) are equal exactly when their keys
/// are, since the words cover every byte; a longer one is compared with the
/// id itself as well.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    len: usize,
    words: [u64; 3],
}

impl Key {
    const INLINE: usize = 24;

    fn of(id: &str) -> Key {
        let b = id.as_bytes();
        let n = b.len();
        let word = |k: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[k..k + 8]);
            u64::from_le_bytes(w)
        };
        let words = match n {
            0..8 => [short(b), 0, 0],
            8 => [word(0), 0, 0],
            9..=16 => [word(0), word(n - 8), 0],
            _ => [word(0), word(n - 8), word(8)],
        };
        Key { len: n, words }
    }

    /// Whether two keys are equal, word by word (a comparison of the
    /// whole struct at once went through the stack, and stalled).
    fn same(&self, other: &Key) -> bool {
        (self.len == other.len)
            & (self.words[0] == other.words[0])
            & (self.words[1] == other.words[1])
            & (self.words[2] == other.words[2])
    }

    /// The first slot in a table `len` long (a power of two).
    fn slot(&self, len: usize) -> usize {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let h = (self.words[0] ^ (self.len as u64).rotate_left(56))
            .wrapping_mul(K)
            .rotate_left(29)
            ^ self.words[1]
            ^ self.words[2].rotate_left(17);
        (h.wrapping_mul(K) >> 40) as usize & (len - 1)
    }
}

/// Up to seven bytes as a little-endian word, zero past the end, with
/// fixed loads only (two overlapping ones from four bytes on).
fn short(b: &[u8]) -> u64 {
    let n = b.len();
    let word4 = |k: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&b[k..k + 4]);
        u64::from(u32::from_le_bytes(w))
    };
    match n {
        4.. => word4(0) | (word4(n - 4) << ((n - 4) * 8)),
        1..=3 => {
            u64::from(b[0])
                | (u64::from(b[n / 2]) << (n / 2 * 8))
                | (u64::from(b[n - 1]) << ((n - 1) * 8))
        }
        0 => 0,
    }
}

impl Interned {
    pub(super) fn new(ids: Vec<Id>, twice: Twice) -> Interned {
        let len = (ids.len() * 2).next_power_of_two().max(2);
        let mut slots: Vec<Option<Slot>> = vec![None; len];
        for (k, id) in ids.iter().enumerate() {
            let key = Key::of(id);
            let mut i = key.slot(len);
            loop {
                match &mut slots[i] {
                    empty @ None => {
                        *empty = Some(Slot {
                            key,
                            index: k as u32,
                        });
                        break;
                    }
                    Some(slot) if ids[slot.index as usize] == *id => {
                        if twice == Twice::Last {
                            slot.index = k as u32;
                        }
                        break;
                    }
                    Some(_) => i = (i + 1) & (len - 1),
                }
            }
        }
        Interned { ids, slots }
    }

    /// The index of `id`.
    pub(super) fn get(&self, id: &str) -> Option<usize> {
        let key = Key::of(id);
        let len = self.slots.len();
        let mut i = key.slot(len);
        loop {
            let slot = self.slots[i].as_ref()?;
            if slot.key.same(&key)
                && (key.len <= Key::INLINE || self.ids[slot.index as usize] == id)
            {
                return Some(slot.index as usize);
            }
            i = (i + 1) & (len - 1);
        }
    }

    /// The ids, in their order.
    pub(super) fn ids(&self) -> &[Id] {
        &self.ids
    }

    /// How many ids there are.
    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_found_at_its_index_and_no_other_id_is() {
        let ids: Vec<Id> = (0..300).map(|k| Id::from(format!("A{k}"))).collect();
        let table = Interned::new(ids.clone(), Twice::First);
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(table.get(id), Some(k));
        }
        for missing in [
            "",
            "A",
            "A300",
            "a1",
            "A1 ",
            "A1\0",
            "syria_ceasefire_long_id_x",
        ] {
            assert_eq!(table.get(missing), None);
        }
        assert_eq!(Interned::new(Vec::new(), Twice::First).get("USA"), None);
    }

    #[test]
    fn ids_of_every_length_are_told_apart_by_every_byte() {
        // Every length from 0 to 40, and each id with one byte changed:
        // the words of a key hold every byte, and a long id is compared
        // whole.
        let ids: Vec<Id> = (0..=40)
            .map(|n| Id::from(&"abcdefghij".repeat(4)[..n]))
            .collect();
        let table = Interned::new(ids.clone(), Twice::First);
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(table.get(id), Some(k), "{id:?}");
            for at in 0..id.len() {
                let mut other = id.as_bytes().to_vec();
                other[at] = b'Z';
                let other = String::from_utf8(other).unwrap();
                let other = other.as_str();
                assert_eq!(table.get(other), None, "{other:?}");
            }
        }
    }

    #[test]
    fn an_id_listed_twice_names_the_listing_asked_for() {
        let ids = || vec![Id::from("USA"), Id::from("RUS"), Id::from("USA")];
        assert_eq!(Interned::new(ids(), Twice::First).get("USA"), Some(0));
        assert_eq!(Interned::new(ids(), Twice::Last).get("USA"), Some(2));
        assert_eq!(Interned::new(ids(), Twice::Last).get("RUS"), Some(1));
    }
}
