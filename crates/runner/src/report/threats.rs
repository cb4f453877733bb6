//! A threat's story in a report.

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
