//! The API's wire types, kept apart from the domain's: what a client sends and receives, and
//! the explicit conversions from and to the core's records.

use autodidact_core::curriculum::Curriculum;
use autodidact_core::store::{
    CurriculumRecord, Follow, ImportReport, LogKind, StudyLog, TokenScope, User, Visibility,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::logs::Catalog;

/// An id, as a string of digits: ids are 64-bit, and a JSON number that large loses its last
/// digits in JavaScript (`JSON.parse`). Requests may also give a number, for old clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSchema)]
#[schema(value_type = String, pattern = "^[1-9][0-9]{0,18}$", example = "658750468366525395")]
pub struct Id(pub i64);

impl Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(i64),
        }
        let id = match Raw::deserialize(d)? {
            Raw::Text(text) => text.parse::<i64>().map_err(|_| {
                serde::de::Error::custom(format!(
                    "`{text}` is not an id: ids are strings of digits"
                ))
            })?,
            Raw::Number(n) => n,
        };
        if id <= 0 {
            return Err(serde::de::Error::custom("ids are positive"));
        }
        Ok(Id(id))
    }
}

/// Every error: a stable `code` for programs and a `message` for people that says what to fix.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `bad_request`, `unauthorized`, `forbidden`, `not_found`, `method_not_allowed`, …
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Learn,
    Build,
    Review,
}

impl From<Kind> for LogKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Learn => LogKind::Learn,
            Kind::Build => LogKind::Build,
            Kind::Review => LogKind::Review,
        }
    }
}

impl From<LogKind> for Kind {
    fn from(kind: LogKind) -> Self {
        match kind {
            LogKind::Learn => Kind::Learn,
            LogKind::Build => Kind::Build,
            LogKind::Review => Kind::Review,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub handle: String,
    pub display_name: String,
    /// An IANA zone: "today" and every default date are in it.
    pub timezone: String,
    /// The first day of the learner's week, `monday` to `sunday`.
    pub week_start: String,
    pub token: TokenInfo,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    pub name: String,
    /// `read` or `read-write`.
    pub scope: String,
}

impl Me {
    pub fn new(user: &User, name: &str, scope: TokenScope) -> Self {
        Self {
            handle: user.handle.to_string(),
            display_name: user.display_name.clone(),
            timezone: user.settings.timezone.name().to_owned(),
            week_start: format!("{:?}", user.settings.week_start.0).to_lowercase(),
            token: TokenInfo {
                name: name.to_owned(),
                scope: scope.as_str().to_owned(),
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurriculumList {
    pub curricula: Vec<CurriculumSummary>,
    /// Where the next page starts; none on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurriculumSummary {
    pub id: Id,
    pub title: String,
    /// `private`, `unlisted` or `public`.
    pub visibility: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl From<&CurriculumRecord> for CurriculumSummary {
    fn from(r: &CurriculumRecord) -> Self {
        Self {
            id: Id(r.id.0),
            title: r.title.clone(),
            visibility: visibility(r.visibility),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn visibility(v: Visibility) -> String {
    v.as_str().to_owned()
}

/// What the import that made a curriculum from a file said about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportDto {
    /// `toml`, `trello`, `markdown` or `roadmapsh`.
    pub format: String,
    /// The importer's remarks, in order: estimates missing or guessed, titles shortened, what
    /// was skipped.
    pub notes: Vec<String>,
    /// The progress the file recorded, which the first follow started with.
    pub progress: Vec<ImportProgressDto>,
    pub created_at: Timestamp,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProgressDto {
    pub item: String,
    /// `done` or `doing`.
    pub status: String,
}

impl From<&ImportReport> for ImportReportDto {
    fn from(r: &ImportReport) -> Self {
        Self {
            format: r.format.clone(),
            notes: r.notes.clone(),
            progress: r
                .progress
                .iter()
                .map(|(item, status)| ImportProgressDto {
                    item: item.as_str().to_owned(),
                    status: status.as_str().to_owned(),
                })
                .collect(),
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurriculumDetail {
    pub id: Id,
    pub title: String,
    /// The owner's handle.
    pub owner: String,
    pub visibility: String,
    /// Markdown.
    pub description: String,
    pub hours_per_week: Option<f64>,
    pub phases: Vec<PhaseDto>,
    /// 1 when made, one more with every change.
    pub version: u32,
    /// Where it came from, as a sentence; none for an original.
    pub lineage: Option<String>,
    /// The curriculum it was copied from, for a fork.
    pub forked_from: Option<Id>,
    /// The curriculum file, as `autodidact check` reads it.
    pub toml: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhaseDto {
    pub title: String,
    pub items: Vec<ItemDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDto {
    /// The id to log time against.
    pub id: String,
    pub title: String,
    pub kind: String,
    /// The hours the planner schedules.
    pub hours: f64,
    pub url: Option<String>,
    pub requires: Vec<String>,
}

impl CurriculumDetail {
    pub fn new(record: &CurriculumRecord, owner: String, curriculum: &Curriculum) -> Self {
        let weekly = curriculum.hours_per_week;
        Self {
            id: Id(record.id.0),
            title: record.title.clone(),
            owner,
            visibility: visibility(record.visibility),
            description: curriculum.description.clone(),
            hours_per_week: weekly.map(|m| m.hours()),
            phases: curriculum
                .phases
                .iter()
                .map(|phase| PhaseDto {
                    title: phase.title.clone(),
                    items: phase
                        .items
                        .iter()
                        .map(|item| ItemDto {
                            id: item.id.to_string(),
                            title: item.title.clone(),
                            kind: item.kind.as_str().to_owned(),
                            hours: item.planned(weekly).hours(),
                            url: item.url.clone(),
                            requires: item.requires.iter().map(ToString::to_string).collect(),
                        })
                        .collect(),
                })
                .collect(),
            version: record.version,
            lineage: autodidact_core::curricula::lineage_words(record),
            forked_from: match &record.lineage {
                autodidact_core::store::Lineage::Fork(f) => Some(Id(f.source.0)),
                _ => None,
            },
            toml: record.source.clone(),
            updated_at: record.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowList {
    pub follows: Vec<FollowDto>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowDto {
    pub id: Id,
    pub curriculum: Id,
    pub curriculum_title: String,
    /// Hours a week (`20`) or per weekday (`mon=2,sat=6`).
    pub budget: String,
    pub start: Date,
    pub breaks: Vec<String>,
    pub created_at: Timestamp,
}

impl FollowDto {
    pub fn new(follow: &Follow, curriculum_title: String) -> Self {
        Self {
            id: Id(follow.id.0),
            curriculum: Id(follow.curriculum.0),
            curriculum_title,
            budget: follow.budget.to_string(),
            start: follow.start,
            breaks: follow.breaks.iter().map(ToString::to_string).collect(),
            created_at: follow.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogList {
    pub from: Date,
    pub to: Date,
    /// Newest first.
    pub logs: Vec<LogDto>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LogDto {
    pub id: Id,
    pub minutes: u32,
    pub kind: Kind,
    pub date: Date,
    pub note: String,
    /// The follow the item belongs to, when the log is about an item.
    pub follow: Option<Id>,
    pub curriculum: Option<Id>,
    pub item: Option<String>,
    pub created_at: Timestamp,
}

impl LogDto {
    pub fn new(log: &StudyLog, catalog: &Catalog) -> Self {
        Self {
            id: Id(log.id.0),
            minutes: log.minutes.get(),
            kind: log.kind.into(),
            date: log.day,
            note: log.note.clone(),
            follow: log.follow.map(|f| Id(f.0)),
            curriculum: log
                .follow
                .and_then(|f| catalog.by_follow(f))
                .map(|f| Id(f.curriculum.0)),
            item: log.item.as_ref().map(ToString::to_string),
            created_at: log.created_at,
        }
    }
}

/// The most items a list answers at once.
pub const MAX_PAGE: usize = 200;
const DEFAULT_PAGE: usize = 50;

/// A page of a list: `limit` items from where `cursor` says (the `next_cursor` of the page
/// before; opaque).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1 to 200; default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// The `next_cursor` of the page before.
    #[param(max_length = 40, pattern = "^c[0-9]{1,9}$")]
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page of `items`, and the cursor of the next one when there is more.
    pub fn page<T>(
        &self,
        items: Vec<T>,
    ) -> Result<(Vec<T>, Option<String>), crate::error::ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(crate::error::ApiError::BadRequest(format!(
                "limit: ask for 1 to {MAX_PAGE} at a time"
            )));
        }
        let start = match &self.cursor {
            None => 0,
            Some(c) => c
                .strip_prefix('c')
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n <= items.len() && *n < 1_000_000_000)
                .ok_or_else(|| {
                    crate::error::ApiError::BadRequest(
                        "cursor: not one this list gave; start again without a cursor".to_owned(),
                    )
                })?,
        };
        let end = (start + limit).min(items.len());
        let next = (end < items.len()).then(|| format!("c{end}"));
        Ok((items.into_iter().skip(start).take(limit).collect(), next))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogsQuery {
    /// The first day, inclusive (default: 30 days before `to`).
    pub from: Option<Date>,
    /// The last day, inclusive (default: tomorrow, in the learner's zone).
    pub to: Option<Date>,
    /// 1 to 200; default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// The `next_cursor` of the page before.
    #[param(max_length = 40, pattern = "^c[0-9]{1,9}$")]
    pub cursor: Option<String>,
}

/// A study session to log. Name the item with `item` alone when only one followed
/// curriculum has that id, or with `follow` or `curriculum` as well.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogSessionRequest {
    /// 1 to 1440.
    #[schema(minimum = 1, maximum = 1440)]
    pub minutes: i64,
    /// Default `learn`.
    pub kind: Option<Kind>,
    /// Default today, in the learner's zone; at most a day ahead.
    pub date: Option<Date>,
    /// At most 2,000 characters.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    pub follow: Option<Id>,
    pub curriculum: Option<Id>,
    /// An item id, such as `fast-ai-part-1`.
    pub item: Option<String>,
    /// Mark the item done with the log (default false); needs an item.
    pub done: Option<bool>,
}

/// A change to a log: only the fields given change. `"item": null` unties the log from its
/// item; a new `item` (with `follow` or `curriculum` where needed) moves it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogPatchRequest {
    #[schema(minimum = 1, maximum = 1440)]
    pub minutes: Option<i64>,
    pub kind: Option<Kind>,
    pub date: Option<Date>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    pub follow: Option<Id>,
    pub curriculum: Option<Id>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub item: Option<Option<String>>,
}

/// Tells a field given as `null` (`Some(None)`) from a field left out (`None`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}
