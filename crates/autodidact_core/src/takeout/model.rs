//! The takeout document: everything one learner owns, as JSON. Its schema is documented in
//! `docs/takeout.md`; a change to it is a new `version`.
//!
//! Ids are the exporting server's, as strings. They are only references inside the document (a
//! follow names its curriculum, a log its follow); an import makes new ones.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What every takeout says it is.
pub const FORMAT: &str = "autodidact-takeout";
/// The version this program writes and reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Takeout {
    pub format: String,
    pub version: u32,
    pub exported_at: Timestamp,
    pub account: AccountDoc,
    pub settings: SettingsDoc,
    pub curricula: Vec<CurriculumDoc>,
    pub follows: Vec<FollowDoc>,
    pub logs: Vec<LogDoc>,
    pub commitments: Vec<CommitmentDoc>,
    /// Keys of the warnings the learner dismissed, such as `over-ceiling:2026-03-02`.
    pub dismissals: Vec<String>,
    /// The learner's API tokens by name, for the record: a token's secret never leaves the
    /// server, so an import does not bring tokens back.
    pub tokens: Vec<TokenDoc>,
    /// The timer running at the export, or `null` (and left out by older takeouts).
    #[serde(default)]
    pub timer: Option<TimerDoc>,
    /// How the profile is shared (left out by older takeouts: all private).
    #[serde(default)]
    pub profile: Option<ProfileDoc>,
    /// The journal, newest first (left out by older takeouts).
    #[serde(default)]
    pub journal: Vec<JournalPostDoc>,
}

/// How the profile is shared. Each value is `private`, `followers`, `unlisted` or `public`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileDoc {
    /// Markdown.
    pub bio: String,
    pub profile: String,
    pub progress: String,
    pub heatmap: String,
    pub portfolio: String,
    pub journal: String,
    pub curricula: String,
    pub skills: String,
    /// Whether the learner's hours count, without their name, in figures across learners.
    pub crowd: bool,
}

/// A journal post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalPostDoc {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// The id of a follow in this document and an item of it, or both `null`.
    pub follow: Option<String>,
    pub item: Option<String>,
    pub visibility: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountDoc {
    pub handle: String,
    pub display_name: String,
    pub email: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsDoc {
    /// An IANA zone name.
    pub timezone: String,
    /// `monday` … `sunday`.
    pub week_start: String,
    pub streak_min_minutes: u32,
    pub rest_days_per_week: u8,
    pub ceiling_percent: u32,
    pub making_threshold_percent: u32,
    /// The delay requested last (it may hold only from a later day; see the history).
    pub loosen_delay_days: u32,
    /// Which delay held from which day, oldest first; left out by older takeouts (then
    /// `loosen_delay_days` always).
    #[serde(default)]
    pub loosen_delay_history: Vec<DelayChangeDoc>,
}

/// From `from` on, a looser commitment waits `days`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelayChangeDoc {
    pub from: Date,
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurriculumDoc {
    pub id: String,
    pub title: String,
    /// `private`, `unlisted` or `public`.
    pub visibility: String,
    pub version: u32,
    pub lineage: LineageDoc,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The curriculum's TOML file, as `autodidact check` reads it.
    pub source: String,
    /// What the import that made it from a file said; `null` for a curriculum not imported
    /// (and left out by older takeouts).
    #[serde(default)]
    pub import_report: Option<ImportReportDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportReportDoc {
    /// The format read: `trello`, `markdown`, `roadmapsh` or `toml`.
    pub format: String,
    /// The importer's remarks, in order: estimates missing or guessed, titles shortened, what
    /// was skipped.
    pub notes: Vec<String>,
    /// The progress the file recorded, which the first follow of the curriculum starts with.
    pub progress: Vec<ImportProgressDoc>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportProgressDoc {
    pub item: String,
    /// `done` or `doing`.
    pub status: String,
}

/// The timer that was running.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimerDoc {
    /// The id of a follow in this document, or `null`.
    pub follow: Option<String>,
    pub item: Option<String>,
    /// `learn`, `build` or `review`.
    pub kind: String,
    /// What it was started on, as shown.
    pub label: String,
    pub started_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum LineageDoc {
    Original,
    Template {
        template: String,
    },
    Fork {
        /// The source's id on the server it was copied on: a record, not a reference.
        source: String,
        source_version: u32,
        source_owner: String,
        source_owner_handle: String,
        source_title: String,
        /// The source's text at that version.
        base: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowDoc {
    pub id: String,
    /// The id of a curriculum in this document.
    pub curriculum: String,
    /// `20` (hours a week) or `mon=2,sat=6`: the latest budget.
    pub budget: String,
    /// Which budget held from which day, oldest first; left out by takeouts made before
    /// budgets had a history (then `budget` holds since `start`).
    #[serde(default)]
    pub budget_history: Vec<BudgetChangeDoc>,
    pub start: Date,
    /// `2026-12-25`, `2026-12-21..2027-01-03` or `sun`.
    pub breaks: Vec<String>,
    /// The date breaks with the day each was declared; left out by older takeouts (then no
    /// break excuses a commitment week).
    #[serde(default)]
    pub breaks_declared: Vec<DeclaredBreakDoc>,
    pub visibility: String,
    pub plan_done: Vec<String>,
    pub plan_base_minutes: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub revisions: Vec<RevisionDoc>,
    pub board: Vec<BoardDoc>,
    pub evidence: Vec<EvidenceDoc>,
    pub reviews: Vec<ReviewDoc>,
    /// The learner's reviews of items for other learners (left out by older takeouts).
    #[serde(default)]
    pub item_reviews: Vec<ItemReviewDoc>,
}

/// A date break (`2026-12-21..2027-01-03`) and the day it was declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredBreakDoc {
    #[serde(rename = "break")]
    pub range: String,
    pub declared_on: Date,
}

/// From `from` on, `budget` held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetChangeDoc {
    pub from: Date,
    pub budget: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionDoc {
    pub number: u32,
    pub budget: String,
    pub start: Date,
    pub breaks: Vec<String>,
    pub done: Vec<String>,
    pub base_minutes: u32,
    pub replaced_on: Date,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardDoc {
    pub item: String,
    /// `todo`, `doing`, `done` or `skipped`.
    pub status: String,
    /// Markdown.
    pub notes: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDoc {
    pub item: String,
    /// `repository`, `notebook`, `post`, `certificate` or `other`.
    pub kind: String,
    pub url: String,
    pub title: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDoc {
    pub item: String,
    /// The spaced-review state (FSRS memory and dates).
    pub state: serde_json::Value,
    pub due: Date,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub events: Vec<ReviewEventDoc>,
}

/// A review of an item for other learners: a rating, a text and a note for the next learner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemReviewDoc {
    pub item: String,
    /// 0.5 to 5, in half stars.
    pub rating: f64,
    /// Markdown.
    pub text: String,
    pub tip: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewEventDoc {
    /// `again`, `hard`, `good` or `easy`.
    pub grade: String,
    pub day: Date,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogDoc {
    pub id: String,
    /// The id of a follow in this document, or none.
    pub follow: Option<String>,
    pub item: Option<String>,
    pub minutes: u32,
    /// `learn`, `build` or `review`.
    pub kind: String,
    pub day: Date,
    pub note: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentDoc {
    pub number: u32,
    pub requested_on: Date,
    /// Minutes a week; none pauses the commitment.
    pub weekly_minutes: Option<u32>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenDoc {
    pub name: String,
    /// `read` or `read-write`.
    pub scope: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}
