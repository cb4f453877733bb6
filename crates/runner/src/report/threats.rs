//! A threat's story in a report, and a group package's.

use serde::Serialize;

use entente_core::Date;

/// A threat's story.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreatReport {
    /// The threat's id.
    pub id: String,
    /// Who threatened.
    pub actor: String,
    /// Whom.
    pub target: String,
    /// `pending`, `standing`, `carried_out` or `withdrawn` at the end.
    pub status: String,
    /// The last deadline set.
    pub deadline: Date,
    /// Whether the deadline was put back.
    pub extended: bool,
}

/// A group package's story: whether it was accepted, and when it never
/// was, why: the shares the equal-gain search found best at the end (the
/// least gain as large as it goes) and who would lose by them.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GroupReport {
    /// The parties, the first offering.
    pub parties: Vec<String>,
    /// The issue each yields on.
    pub issues: Vec<String>,
    /// Whether every party accepted it in the run.
    pub accepted: bool,
    /// When it was never accepted: per party, the share of its full
    /// concession in the best package found at the end…
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub best_shares: Vec<f64>,
    /// …each party's gain by it…
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub best_gains: Vec<f64>,
    /// …and who would not gain by it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub losers: Vec<String>,
}
