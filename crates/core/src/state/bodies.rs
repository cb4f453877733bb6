//! Bodies that vote, stated once: how a member's ballot is read from its
//! position, what the sponsors' draft is, how a vote is counted and what
//! its verdict is. The mechanism (`mechanism::bodies`) decides *when* a
//! draft is put; this module decides *what* a vote gives, and the state's
//! check holds every logged vote to it (docs/models.md, "Bodies").
//!
//! - The draft is the mean of the sponsors' positions (in listing order)
//!   when they lie within the resolution's `tolerance` of each other and
//!   it reaches the resolution's `at_least` (read toward its end), and
//!   there is no draft otherwise.
//! - A member's position and the draft are read toward the resolution's
//!   end (`toward`: high as written, low mirrored). A member votes yes when
//!   its reading is at least the draft's less `accept`, no when it falls
//!   short by more than `oppose`, and abstains in between: a member that
//!   wants more than the draft asks still votes for it.
//! - The tally adds the members the scenario does not model, as declared.
//!   A no from a member with a veto defeats the draft (vetoed); otherwise
//!   it is adopted when its yes votes reach the quota, and fails below it.

use super::State;
use super::names::Interned;
use crate::event::{Ballot, BodyVote, Event, Id};
use crate::scenario::{Others, Scenario, Toward};

/// The bodies' rules with their ids resolved (shared by every clone).
#[derive(Debug, PartialEq)]
pub(super) struct Bodies {
    bodies: Vec<BodyRule>,
}

#[derive(Debug, PartialEq)]
struct BodyRule {
    id: Id,
    /// Modelled members, in listing order (actor indices).
    members: Vec<usize>,
    /// Whether each member holds a veto, like `members`.
    veto: Vec<bool>,
    others: Others,
    quota: u32,
    resolutions: Vec<ResolutionRule>,
    /// Where this body's resolutions start in the flat status list.
    first: usize,
}

#[derive(Debug, PartialEq)]
struct ResolutionRule {
    issue: usize,
    issue_id: Id,
    sponsors: Vec<usize>,
    toward: Toward,
    at_least: Option<f64>,
    tolerance: f64,
    accept: f64,
    oppose: f64,
}

/// Where a draft resolution stands.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ResolutionStatus {
    /// Whether it was adopted (a resolution is adopted once).
    pub adopted: bool,
    /// The round of its last vote, if any.
    pub last_vote: Option<u32>,
}

/// What a vote gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteVerdict {
    /// Adopted.
    Adopted,
    /// A member with a veto voted no.
    Vetoed,
    /// Below the quota, with no veto.
    Failed,
}

impl VoteVerdict {
    /// The verdict a counted vote gives.
    pub fn of(vote: &BodyVote) -> VoteVerdict {
        if !vote.vetoed_by.is_empty() {
            VoteVerdict::Vetoed
        } else if vote.yes >= vote.quota {
            VoteVerdict::Adopted
        } else {
            VoteVerdict::Failed
        }
    }

    /// The event that logs `vote` with this verdict.
    pub fn event(self, vote: BodyVote) -> Event {
        match self {
            VoteVerdict::Adopted => Event::ResolutionAdopted(vote),
            VoteVerdict::Vetoed => Event::ResolutionVetoed(vote),
            VoteVerdict::Failed => Event::ResolutionFailed(vote),
        }
    }
}

/// A member's ballot: its position `p` and the draft read toward the
/// resolution's end; yes within `accept` below the draft (or above it), no
/// beyond `oppose` below it, abstain in between.
pub fn ballot(toward: Toward, accept: f64, oppose: f64, draft: f64, p: f64) -> Ballot {
    let read = |x: f64| match toward {
        Toward::High => x,
        Toward::Low => crate::scale::mirror(x),
    };
    let short = read(draft) - read(p);
    if short <= accept {
        Ballot::Yes
    } else if short > oppose {
        Ballot::No
    } else {
        Ballot::Abstain
    }
}

impl Bodies {
    pub(super) fn new(scenario: &Scenario, actors: &Interned, issues: &Interned) -> Bodies {
        let mut first = 0;
        let bodies = scenario
            .bodies
            .iter()
            .map(|b| {
                let members: Vec<usize> = b.members.iter().filter_map(|m| actors.get(m)).collect();
                let veto = b
                    .members
                    .iter()
                    .filter(|m| actors.get(m).is_some())
                    .map(|m| b.veto.contains(m))
                    .collect();
                let resolutions: Vec<ResolutionRule> = b
                    .resolutions
                    .iter()
                    .filter_map(|r| {
                        Some(ResolutionRule {
                            issue: issues.get(&r.issue)?,
                            issue_id: Id::from(r.issue.as_str()),
                            sponsors: r.sponsors.iter().filter_map(|m| actors.get(m)).collect(),
                            toward: r.toward,
                            at_least: r.at_least,
                            tolerance: r.tolerance,
                            accept: r.accept,
                            oppose: r.oppose,
                        })
                    })
                    .collect();
                let rule = BodyRule {
                    id: Id::from(b.id.as_str()),
                    members,
                    veto,
                    others: b.others,
                    quota: b.needed(),
                    first,
                    resolutions,
                };
                first += rule.resolutions.len();
                rule
            })
            .collect();
        Bodies { bodies }
    }

    /// How many resolutions all bodies have.
    pub(super) fn resolutions(&self) -> usize {
        self.bodies.iter().map(|b| b.resolutions.len()).sum()
    }

    /// Body `body`'s resolution on `issue`: (body index, resolution index).
    fn find(&self, body: &str, issue: &str) -> Option<(usize, usize)> {
        let b = self.bodies.iter().position(|x| x.id == body)?;
        let r = self.bodies[b]
            .resolutions
            .iter()
            .position(|x| x.issue_id == issue)?;
        Some((b, r))
    }
}

impl State {
    /// Where body `body`'s draft on `issue` stands, if it has one.
    pub fn resolution(&self, body: &str, issue: &str) -> Option<ResolutionStatus> {
        let (b, r) = self.bodies.find(body, issue)?;
        self.resolutions
            .get(self.bodies.bodies[b].first + r)
            .copied()
    }

    /// The draft body `body`'s sponsors agree on for `issue`: their mean
    /// position when they lie within the resolution's tolerance of each
    /// other and it reaches the resolution's `at_least`; `None` when it
    /// does not, or a sponsor holds no stance.
    pub fn draft(&self, body: &str, issue: &str) -> Option<f64> {
        let (b, r) = self.bodies.find(body, issue)?;
        let rule = &self.bodies.bodies[b].resolutions[r];
        let positions: Vec<f64> = rule
            .sponsors
            .iter()
            .map(|&s| self.held(rule.issue, s).map(|h| h.position))
            .collect::<Option<_>>()?;
        let (lo, hi) = positions
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &p| {
                (lo.min(p), hi.max(p))
            });
        if positions.is_empty() || hi - lo > rule.tolerance {
            return None;
        }
        let sum: f64 = positions.iter().sum();
        #[expect(
            clippy::cast_precision_loss,
            reason = "a handful of sponsors, far below 2^52"
        )]
        let mean = sum / positions.len() as f64;
        let read = match rule.toward {
            Toward::High => mean,
            Toward::Low => crate::scale::mirror(mean),
        };
        if rule.at_least.is_some_and(|x| read < x) {
            return None;
        }
        Some(mean)
    }

    /// The vote body `body` would cast on `issue` at `draft` now: every
    /// modelled member's ballot from its position, the tally with the
    /// others, the quota and the vetoes. `None` for an unknown body or
    /// draft, or a member without a stance.
    pub fn count_vote(&self, body: &str, issue: &str, draft: f64) -> Option<BodyVote> {
        let (b, r) = self.bodies.find(body, issue)?;
        let rule = &self.bodies.bodies[b];
        let res = &rule.resolutions[r];
        let mut vote = BodyVote {
            body: rule.id.clone(),
            issue: res.issue_id.clone(),
            draft,
            votes: std::collections::BTreeMap::new(),
            yes: rule.others.yes,
            abstain: rule.others.abstain,
            no: rule.others.no,
            quota: rule.quota,
            vetoed_by: Vec::new(),
        };
        for (&m, &veto) in rule.members.iter().zip(&rule.veto) {
            let p = self.held(res.issue, m)?.position;
            let b = ballot(res.toward, res.accept, res.oppose, draft, p);
            let id = self.actors()[m].clone();
            match b {
                Ballot::Yes => vote.yes += 1,
                Ballot::Abstain => vote.abstain += 1,
                Ballot::No => {
                    vote.no += 1;
                    if veto {
                        vote.vetoed_by.push(id.clone());
                    }
                }
            }
            vote.votes.insert(id, b);
        }
        Some(vote)
    }

    /// The body's check of a logged vote: a known draft, not adopted
    /// already, put at the draft its sponsors agree on, with the ballots
    /// and tally the members' positions give and the verdict the tally
    /// gives. A vote that adopts against a veto or below the quota is
    /// refused here (the body law).
    pub(super) fn check_vote(&self, event: &Event, v: &BodyVote) -> Result<(), super::Refusal> {
        use super::Refusal;
        let name = || format!("{}:{}", v.body, v.issue);
        let status = self
            .resolution(&v.body, &v.issue)
            .ok_or_else(|| Refusal::UnknownResolution(name()))?;
        if status.adopted {
            return Err(Refusal::ResolutionAdopted(name()));
        }
        if self.draft(&v.body, &v.issue) != Some(v.draft) {
            return Err(Refusal::VoteDiffers(
                name(),
                "the draft is not the one its sponsors agree on".to_owned(),
            ));
        }
        let expected = self
            .count_vote(&v.body, &v.issue, v.draft)
            .ok_or_else(|| Refusal::UnknownResolution(name()))?;
        if expected != *v {
            return Err(Refusal::VoteDiffers(
                name(),
                "its ballots or tally are not what the members' positions give".to_owned(),
            ));
        }
        let verdict = VoteVerdict::of(v);
        if verdict.event(v.clone()).kind() != event.kind() {
            return Err(Refusal::VoteDiffers(
                name(),
                format!(
                    "{} yes of {} needed{}: the verdict is {verdict:?}",
                    v.yes,
                    v.quota,
                    if v.vetoed_by.is_empty() {
                        String::new()
                    } else {
                        format!(", vetoed by {}", v.vetoed_by.join(", "))
                    }
                ),
            ));
        }
        Ok(())
    }

    /// Records a vote.
    pub(super) fn apply_vote(&mut self, event: &Event, v: &BodyVote) {
        let round = self.round();
        if let Some((b, r)) = self.bodies.find(&v.body, &v.issue) {
            let k = self.bodies.bodies[b].first + r;
            if let Some(s) = self.resolutions.get_mut(k) {
                s.last_vote = Some(round);
                s.adopted |= matches!(event, Event::ResolutionAdopted(_));
            }
        }
    }
}

/// A new state's statuses: one per resolution, none voted.
pub(super) fn statuses(bodies: &Bodies) -> Vec<ResolutionStatus> {
    vec![ResolutionStatus::default(); bodies.resolutions()]
}
