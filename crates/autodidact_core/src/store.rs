//! What the application needs from storage, as traits. The store crate implements them for
//! SQLite and PostgreSQL; the web crate and the command line use them through `dyn Store`.
//!
//! Every method is one transaction. Methods that change an owned object take the owner's id
//! and touch nothing unless it matches, so "another user's id" can never change anything
//! even if a caller forgets to check.

use async_trait::async_trait;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::accounts::{Email, Handle, Settings, UserId};
use crate::curriculum::{ItemId, Minutes};
use crate::plan::{Break, BudgetHistory, WeeklyBudget};
use crate::review::Grade;

mod crowd;
mod explore;
mod sharing;
mod throttle;
mod upstream;
pub use crowd::{
    CrowdSample, CrowdStore, HalfStars, ItemReview, ItemReviewRecord, ItemReviewStore,
    NewItemReview, Onward,
};
pub use explore::{CurriculumSummary, ExploreFilter, ExploreSort, ExploreStore, ListedCurriculum};
pub use sharing::{
    FollowRequest, JournalPost, JournalPostId, LinkCheck, LinkStatus, ListedFork, NewJournalPost,
    ProfileSettings, Section, SharingStore,
};
pub use throttle::{HealthStore, ThrottleStore};
pub use upstream::{NewSuggestion, Suggestion, SuggestionId, SuggestionStatus, SuggestionStore};

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; `constraint` names it (`users_handle_key`, …).
    #[error("conflict on {constraint}")]
    Conflict { constraint: String },
    /// The object does not exist, or is not the caller's.
    #[error("not found")]
    NotFound,
    /// No room left to write (a full disk, or the database's size cap). Reads go on; writes
    /// work again once there is room.
    #[error("the database has no room left to write")]
    Full,
    /// The database does not answer for now (restarting, unreachable); the cause is for the
    /// log. The same call may work in a moment.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The database failed; the cause is for the log, never for the user.
    #[error("storage failure: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Ids of stored rows: random positive 63-bit numbers, each kind its own type so that one is
/// never passed for another. In JSON they are strings of digits (JavaScript rounds such
/// numbers).
macro_rules! id_types {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_types! {
    /// A study log.
    LogId;
    /// A piece of evidence on an item.
    EvidenceId;
    /// A session, as the sessions page names it (not its secret token).
    SessionId;
    /// An API token, as the tokens page names it (not its secret).
    TokenId;
    /// A commitment request.
    CommitmentId;
    /// A graded review.
    ReviewEventId;
}

// ---------------------------------------------------------------------------------------------
// Accounts and sessions

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub handle: Handle,
    pub display_name: String,
    pub email: Email,
    pub settings: Settings,
    pub created_at: Timestamp,
    /// Raised by the database with every change to what the learner's pages show; derived
    /// views are kept per learner under it (see [`crate::memo`]).
    #[serde(skip)]
    pub data_version: DataVersion,
}

/// A learner's data version: equal numbers mean equal data, so a view computed at one number
/// is still true at the same number, on any node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DataVersion(pub i64);

impl User {
    /// The learner's today, in their zone.
    pub fn today(&self, now: Timestamp) -> Date {
        self.settings.timezone.today(now)
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub handle: Handle,
    pub display_name: String,
    pub email: Email,
    /// An argon2id PHC string.
    pub password_hash: String,
    pub settings: Settings,
    pub now: Timestamp,
}

/// A sign-up waiting for its email address to be confirmed (`accounts::request_sign_up`).
#[derive(Debug, Clone)]
pub struct PendingSignUp {
    /// The SHA-256 of the token in the emailed link.
    pub token_hash: String,
    /// The account it becomes (its settings are the defaults when confirmed).
    pub user: NewUser,
    pub expires_at: Timestamp,
}

/// A server-side session. The cookie holds a random token; only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// A public id for the sessions page; not the token.
    pub id: SessionId,
    pub user: UserId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
    pub user_agent: String,
    pub ip: String,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user: UserId,
    pub csrf_token: String,
    pub now: Timestamp,
    pub expires_at: Timestamp,
    pub user_agent: String,
    pub ip: String,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_user(&self, user: NewUser) -> StoreResult<User>;
    /// Keeps a sign-up until its link is followed (expired ones are swept on the way).
    async fn add_pending_sign_up(&self, pending: PendingSignUp) -> StoreResult<()>;
    /// In one transaction: the live pending sign-up whose link has this token hash becomes an
    /// account, and the pending one is gone. `None` for a used, expired or unknown link; a
    /// handle or email taken meanwhile is a `Conflict`.
    async fn confirm_pending_sign_up(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<User>>;
    async fn user(&self, id: UserId) -> StoreResult<Option<User>>;
    async fn user_by_handle(&self, handle: &Handle) -> StoreResult<Option<User>>;
    /// The user whose handle or email is `login`, with their password hash.
    async fn credentials(&self, login: &str) -> StoreResult<Option<(User, String)>>;
    async fn update_profile(
        &self,
        id: UserId,
        display_name: &str,
        settings: &Settings,
    ) -> StoreResult<()>;
    /// Replaces the password hash and deletes every session but `keep_session` (a token hash),
    /// and every link to set a new password; with `revoke_keys_at`, also revokes every API
    /// token (at that time) and removes every calendar feed address of the user's follows.
    async fn change_password(
        &self,
        id: UserId,
        password_hash: &str,
        keep_session: &str,
        revoke_keys_at: Option<Timestamp>,
    ) -> StoreResult<()>;

    async fn create_session(&self, session: NewSession) -> StoreResult<Session>;
    /// A live session (not expired at `now`) and its user.
    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<(Session, User)>>;
    async fn touch_session(
        &self,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn sessions_of(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<Session>>;
    /// Deletes the user's session with this public id.
    async fn revoke_session(&self, user: UserId, id: SessionId) -> StoreResult<()>;
}

// ---------------------------------------------------------------------------------------------
// Curricula

/// Who may see a shared thing: one value per curriculum, follow (its progress), profile
/// section and journal post. Private is the default everywhere.
///
/// The audiences nest: private ⊂ followers ⊂ unlisted ⊂ public. "Unlisted" is anyone with the
/// address; only "public" is ever *listed* (on a profile to strangers, in explore, in a feed,
/// in the static site), and "followers" is listed to the learner's approved followers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    #[default]
    Private,
    /// The learner's approved followers.
    Followers,
    /// Anyone with the link; not listed.
    Unlisted,
    Public,
}

impl Visibility {
    pub const ALL: [Visibility; 4] = [
        Visibility::Private,
        Visibility::Followers,
        Visibility::Unlisted,
        Visibility::Public,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Followers => "followers",
            Visibility::Unlisted => "unlisted",
            Visibility::Public => "public",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == raw)
    }

    /// The rank of its audience: a wider audience ranks higher (private 0 … public 3).
    pub fn breadth(self) -> u8 {
        match self {
            Visibility::Private => 0,
            Visibility::Followers => 1,
            Visibility::Unlisted => 2,
            Visibility::Public => 3,
        }
    }

    /// The narrower of two: what a thing inside another may show at most (a journal post
    /// inside the journal section inside the profile). Settings compose this way and no other.
    pub fn narrowest(self, other: Visibility) -> Visibility {
        if self.breadth() <= other.breadth() {
            self
        } else {
            other
        }
    }

    /// Whether someone who is `relation` to the owner may open the thing at its address.
    pub fn shows_to(self, relation: Relation) -> bool {
        match relation {
            Relation::Owner => true,
            Relation::Follower => self != Visibility::Private,
            Relation::Stranger => matches!(self, Visibility::Unlisted | Visibility::Public),
        }
    }

    /// Whether the thing is listed to `relation`: shown in a list they did not get by its
    /// address (a profile's sections, explore, a feed, the static site).
    pub fn lists_to(self, relation: Relation) -> bool {
        match relation {
            Relation::Owner => true,
            Relation::Follower => matches!(self, Visibility::Followers | Visibility::Public),
            Relation::Stranger => self == Visibility::Public,
        }
    }
}

/// What a viewer is to the owner of a shared thing. Everyone who is neither the owner nor one
/// of their approved followers is a stranger, signed in or not: nothing is shown to "anyone
/// signed in" that an anonymous visitor could not see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Owner,
    Follower,
    Stranger,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Owner => "owner",
            Relation::Follower => "follower",
            Relation::Stranger => "stranger",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CurriculumId(pub i64);

/// Written as a string of digits: ids are 64-bit, and JSON numbers that large lose digits in
/// JavaScript.
impl Serialize for CurriculumId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A stored curriculum: its TOML source is the truth; title is kept for listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurriculumRecord {
    pub id: CurriculumId,
    pub owner: UserId,
    pub title: String,
    pub visibility: Visibility,
    pub source: String,
    /// 1 when made, one more with every change of its source.
    pub version: u32,
    pub lineage: Lineage,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl CurriculumRecord {
    /// Whether its source changed since it was made (or copied).
    pub fn edited(&self) -> bool {
        self.version > 1
    }
}

/// Where a curriculum came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Lineage {
    /// Written here, or imported from a file.
    #[default]
    Original,
    /// Started from a shipped template, by its id.
    Template { id: String },
    /// A copy of another curriculum.
    Fork(ForkOf),
}

/// The curriculum a copy was made from, as it was then. Nothing here follows the source after
/// the copy is made: the source may change, become private or be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkOf {
    pub source: CurriculumId,
    /// The source's version that was copied.
    pub version: u32,
    pub owner: UserId,
    pub owner_handle: Handle,
    pub title: String,
    /// The source's text at that version: the base that a later pull of the source's changes
    /// compares both sides against.
    pub base: String,
}

#[derive(Debug, Clone)]
pub struct NewCurriculum {
    pub owner: UserId,
    pub title: String,
    pub visibility: Visibility,
    pub source: String,
    pub lineage: Lineage,
    pub now: Timestamp,
}

/// What an import said about the file it read, kept with the curriculum it made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The format read: `trello`, `markdown`, `roadmapsh` or `toml`.
    pub format: String,
    /// The remarks, in order: estimates missing or guessed, titles shortened, what was skipped.
    pub notes: Vec<String>,
    /// The progress the file recorded, by item (done, or in progress).
    pub progress: Vec<(ItemId, ItemStatus)>,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait CurriculumStore: Send + Sync {
    async fn create_curriculum(&self, new: NewCurriculum) -> StoreResult<CurriculumRecord>;
    /// Creates the curriculum and keeps its import report, in one transaction.
    async fn create_imported_curriculum(
        &self,
        new: NewCurriculum,
        report: &ImportReport,
    ) -> StoreResult<CurriculumRecord>;
    /// The report of the import that made curriculum `id`, if it was imported.
    async fn import_report(&self, id: CurriculumId) -> StoreResult<Option<ImportReport>>;
    async fn curriculum(&self, id: CurriculumId) -> StoreResult<Option<CurriculumRecord>>;
    async fn curricula_of(&self, owner: UserId) -> StoreResult<Vec<CurriculumRecord>>;
    /// The owner's copies of `source`.
    async fn copies_of(
        &self,
        owner: UserId,
        source: CurriculumId,
    ) -> StoreResult<Vec<CurriculumRecord>>;
    /// Replaces title and source and counts a version; `NotFound` unless `owner` owns it.
    async fn update_curriculum(
        &self,
        id: CurriculumId,
        owner: UserId,
        title: &str,
        source: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn set_curriculum_visibility(
        &self,
        id: CurriculumId,
        owner: UserId,
        visibility: Visibility,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Deletes it with every follow, board state and evidence of it (the owner's: everyone
    /// else follows a copy of their own); logs keep their time but lose the link.
    async fn delete_curriculum(&self, id: CurriculumId, owner: UserId) -> StoreResult<()>;
    /// Stores a copy merged with its source: the new title and source, counted as a version,
    /// and the source's text and version as the new base, in one statement. `Conflict`
    /// (`curricula_version`) when the copy is no longer at `version` (changed since the
    /// preview); `NotFound` unless `owner` owns a copy `id`.
    async fn sync_fork(&self, sync: ForkSync<'_>) -> StoreResult<()>;
}

/// A copy's update from its source, as accepted (see [`CurriculumStore::sync_fork`]).
#[derive(Debug, Clone, Copy)]
pub struct ForkSync<'a> {
    pub id: CurriculumId,
    pub owner: UserId,
    /// The copy's version the merge was made against.
    pub version: u32,
    pub title: &'a str,
    pub source: &'a str,
    /// The source's text and version now: the base of the next merge.
    pub base: &'a str,
    pub base_version: u32,
    pub now: Timestamp,
}

// ---------------------------------------------------------------------------------------------
// Following a curriculum: the plan settings, the board and evidence

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FollowId(pub i64);

/// Written as a string of digits: ids are 64-bit, and JSON numbers that large lose digits in
/// JavaScript.
impl Serialize for FollowId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub id: FollowId,
    pub user: UserId,
    pub curriculum: CurriculumId,
    /// The latest budget: the one in force from the last change of `budget_history` on.
    pub budget: WeeklyBudget,
    /// Which budget was in force on each day; empty means `budget` since `start` (see
    /// [`Follow::budgets`]).
    pub budget_history: BudgetHistory,
    /// The date breaks with the day each was declared.
    pub declared: Vec<DeclaredBreak>,
    pub start: Date,
    pub breaks: Vec<Break>,
    pub visibility: Visibility,
    /// Items that were finished when the plan in force was made (empty until the first
    /// re-plan): the plan line is drawn from these, so finishing more later does not move it.
    pub plan_done: Vec<ItemId>,
    /// Estimated minutes already earned when the plan in force was made.
    pub plan_base: Minutes,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Follow {
    /// The settings as stored, to change one and store them again.
    pub fn stored_settings(&self) -> FollowSettings {
        FollowSettings {
            budget: self.budget,
            history: self.budget_history.clone(),
            start: self.start,
            breaks: self.breaks.clone(),
            declared: self.declared.clone(),
        }
    }

    /// The budget history, with the one budget since the start when none is stored.
    pub fn budgets(&self) -> BudgetHistory {
        if self.budget_history.is_empty() {
            BudgetHistory::starting(self.start, self.budget)
        } else {
            self.budget_history.clone()
        }
    }
}

/// A break of dates as the learner declared it: the days it covers, and the day they said so.
/// A break declared before a week began excuses its days from that week's commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeclaredBreak {
    pub from: Date,
    pub to: Date,
    pub declared_on: Date,
}

impl DeclaredBreak {
    /// The date breaks of `breaks` with the day each was declared: the day in `before` for a
    /// break already declared, `today` for a new one. Weekly rest days are not declarations.
    pub fn of(breaks: &[Break], before: &[DeclaredBreak], today: Date) -> Vec<DeclaredBreak> {
        breaks
            .iter()
            .filter_map(|b| match *b {
                Break::Dates { from, to } => Some(
                    before
                        .iter()
                        .find(|d| d.from == from && d.to == to)
                        .copied()
                        .unwrap_or(DeclaredBreak {
                            from,
                            to,
                            declared_on: today,
                        }),
                ),
                Break::Weekly { .. } => None,
            })
            .collect()
    }

    /// Stored one a line: `2026-12-21..2027-01-03 2026-12-01`.
    pub fn lines(declared: &[DeclaredBreak]) -> String {
        declared
            .iter()
            .map(|d| {
                let range = Break::Dates {
                    from: d.from,
                    to: d.to,
                };
                format!("{range} {}", d.declared_on)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The inverse of [`DeclaredBreak::lines`]; the line that does not read, when one does not.
    pub fn parse_lines(text: &str) -> Result<Vec<DeclaredBreak>, String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let (range, on) = line.rsplit_once(' ').ok_or_else(|| line.to_owned())?;
                let declared_on: Date = on.parse().map_err(|_| line.to_owned())?;
                match range.parse::<Break>() {
                    Ok(Break::Dates { from, to }) => Ok(DeclaredBreak {
                        from,
                        to,
                        declared_on,
                    }),
                    _ => Err(line.to_owned()),
                }
            })
            .collect()
    }
}

/// A follow's plan settings as stored: the latest budget and its history, the start, the
/// breaks and when each date break was declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowSettings {
    pub budget: WeeklyBudget,
    pub history: BudgetHistory,
    pub start: Date,
    pub breaks: Vec<Break>,
    pub declared: Vec<DeclaredBreak>,
}

#[derive(Debug, Clone)]
pub struct NewFollow {
    pub user: UserId,
    pub curriculum: CurriculumId,
    pub budget: WeeklyBudget,
    pub start: Date,
    pub breaks: Vec<Break>,
    /// The date breaks with the day they were declared (the day of following).
    pub declared: Vec<DeclaredBreak>,
    pub now: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    Todo,
    Doing,
    Done,
    Skipped,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 4] = [
        ItemStatus::Todo,
        ItemStatus::Doing,
        ItemStatus::Done,
        ItemStatus::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Todo => "todo",
            ItemStatus::Doing => "doing",
            ItemStatus::Done => "done",
            ItemStatus::Skipped => "skipped",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A card's state on the board. Items with no stored state are `Todo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState {
    pub item: ItemId,
    pub status: ItemStatus,
    /// Markdown, rendered sanitised.
    pub notes: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    Repository,
    Notebook,
    Post,
    Certificate,
    Other,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 5] = [
        EvidenceKind::Repository,
        EvidenceKind::Notebook,
        EvidenceKind::Post,
        EvidenceKind::Certificate,
        EvidenceKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Repository => "repository",
            EvidenceKind::Notebook => "notebook",
            EvidenceKind::Post => "post",
            EvidenceKind::Certificate => "certificate",
            EvidenceKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: EvidenceId,
    pub follow: FollowId,
    pub item: ItemId,
    pub kind: EvidenceKind,
    pub url: String,
    pub title: String,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait FollowStore: Send + Sync {
    /// `Conflict` when the user already follows the curriculum.
    async fn create_follow(&self, new: NewFollow) -> StoreResult<Follow>;
    /// [`FollowStore::create_follow`] starting with progress, in one transaction: `done` and
    /// `doing` items get those states, and the accepted plan starts from the done ones (left
    /// out of it, its line starting at `base`, their minutes).
    async fn create_follow_with_progress(
        &self,
        new: NewFollow,
        done: &[ItemId],
        doing: &[ItemId],
        base: Minutes,
    ) -> StoreResult<Follow>;
    /// Makes `copy` and a follow of it (`new.curriculum` is ignored), in one transaction.
    async fn follow_copy(
        &self,
        copy: NewCurriculum,
        new: NewFollow,
    ) -> StoreResult<(CurriculumRecord, Follow)>;
    async fn follow(&self, id: FollowId) -> StoreResult<Option<Follow>>;
    async fn follows_of(&self, user: UserId) -> StoreResult<Vec<Follow>>;
    /// New settings (a history left empty means `budget` since `start`).
    async fn update_follow_plan(
        &self,
        id: FollowId,
        user: UserId,
        settings: &FollowSettings,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn delete_follow(&self, id: FollowId, user: UserId) -> StoreResult<()>;
    /// Sets (or with `None` removes) the hash of the private calendar feed token.
    async fn set_calendar_token(
        &self,
        id: FollowId,
        user: UserId,
        token_hash: Option<&str>,
    ) -> StoreResult<()>;
    async fn follow_by_calendar_token(&self, token_hash: &str) -> StoreResult<Option<Follow>>;

    async fn item_states(&self, follow: FollowId) -> StoreResult<Vec<ItemState>>;
    /// Marks `items` done and makes the plan in force start from them, in one transaction:
    /// `plan_done` becomes `plan_done` and `plan_base` becomes `base`.
    async fn settle_done(
        &self,
        follow: FollowId,
        user: UserId,
        items: &[ItemId],
        plan_done: &[ItemId],
        base: Minutes,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn set_item_status(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        status: ItemStatus,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn set_item_notes(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        notes: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    #[allow(
        clippy::too_many_arguments,
        reason = "one column each; a struct would only rename them"
    )]
    async fn add_evidence(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        kind: EvidenceKind,
        url: &str,
        title: &str,
        now: Timestamp,
    ) -> StoreResult<Evidence>;
    async fn evidence(&self, follow: FollowId) -> StoreResult<Vec<Evidence>>;
    async fn delete_evidence(
        &self,
        follow: FollowId,
        user: UserId,
        id: EvidenceId,
    ) -> StoreResult<()>;
}

// ---------------------------------------------------------------------------------------------
// Study logs

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogKind {
    Learn,
    Build,
    Review,
}

impl LogKind {
    pub const ALL: [LogKind; 3] = [LogKind::Learn, LogKind::Build, LogKind::Review];

    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::Learn => "learn",
            LogKind::Build => "build",
            LogKind::Review => "review",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyLog {
    pub id: LogId,
    pub user: UserId,
    pub follow: Option<FollowId>,
    pub item: Option<ItemId>,
    pub minutes: Minutes,
    pub kind: LogKind,
    pub day: Date,
    pub note: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewLog {
    pub user: UserId,
    pub follow: Option<FollowId>,
    pub item: Option<ItemId>,
    pub minutes: Minutes,
    pub kind: LogKind,
    pub day: Date,
    pub note: String,
    /// A client's key for retries: the same key from the same user logs once.
    pub idempotency_key: Option<String>,
    /// Whether the logged item moves from to do to doing (when it is to do, or has no state).
    pub start_item: bool,
    /// Whether the logged item is marked done with the log, in the same transaction.
    pub finish_item: bool,
    pub now: Timestamp,
}

/// The changeable fields of a log.
#[derive(Debug, Clone)]
pub struct LogChange {
    pub follow: Option<FollowId>,
    pub item: Option<ItemId>,
    pub minutes: Minutes,
    pub kind: LogKind,
    pub day: Date,
    pub note: String,
}

#[async_trait]
pub trait LogStore: Send + Sync {
    /// Stores a log and returns it with `true`; with an idempotency key already used by this
    /// user, stores nothing and returns the first log with `false`.
    async fn add_log(&self, new: NewLog) -> StoreResult<(StudyLog, bool)>;
    async fn log(&self, id: LogId) -> StoreResult<Option<StudyLog>>;
    async fn update_log(&self, id: LogId, user: UserId, change: LogChange) -> StoreResult<()>;
    async fn delete_log(&self, id: LogId, user: UserId) -> StoreResult<()>;
    /// Logs with `from <= day <= to`, newest first.
    async fn logs_between(&self, user: UserId, from: Date, to: Date) -> StoreResult<Vec<StudyLog>>;
    async fn recent_logs(&self, user: UserId, limit: u32) -> StoreResult<Vec<StudyLog>>;
    /// Minutes logged per item of a follow.
    async fn minutes_by_item(&self, follow: FollowId) -> StoreResult<Vec<(ItemId, Minutes)>>;
    /// The latest `limit` logs on one item of a follow, newest first.
    async fn item_logs(
        &self,
        follow: FollowId,
        item: &ItemId,
        limit: u32,
    ) -> StoreResult<Vec<StudyLog>>;
}

// ---------------------------------------------------------------------------------------------
// The timer

/// A running timer: what it is for and when it started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timer {
    pub user: UserId,
    pub follow: Option<FollowId>,
    pub item: Option<ItemId>,
    pub kind: LogKind,
    /// The item's title when it started (or empty), to show without reading the curriculum.
    pub label: String,
    pub started_at: Timestamp,
}

#[async_trait]
pub trait TimerStore: Send + Sync {
    /// Starts `timer`; `Conflict` when the learner already has one running.
    async fn start_timer(&self, timer: &Timer) -> StoreResult<()>;
    async fn timer(&self, user: UserId) -> StoreResult<Option<Timer>>;
    /// Removes the learner's timer that started at `started_at`; `NotFound` when there is none
    /// (already stopped, or another one runs since).
    async fn end_timer(&self, user: UserId, started_at: Timestamp) -> StoreResult<()>;
}

// ---------------------------------------------------------------------------------------------
// Insight: aggregates for the charts, dismissed warnings, re-plans, commitments, reviews

/// A plan that was in force until a re-plan replaced it, kept so the burn-up can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRevision {
    pub follow: FollowId,
    /// 1 for the first plan, counting up.
    pub number: u32,
    pub budget: WeeklyBudget,
    pub start: Date,
    pub breaks: Vec<Break>,
    pub done: Vec<ItemId>,
    pub base: Minutes,
    /// The day the re-plan replaced it, in the learner's zone.
    pub replaced_on: Date,
    pub created_at: Timestamp,
}

/// A re-plan: the new settings of the follow; the old ones become a [`PlanRevision`].
#[derive(Debug, Clone)]
pub struct Replanned {
    pub budget: WeeklyBudget,
    /// The follow's budget history with the new budget in it.
    pub history: BudgetHistory,
    pub start: Date,
    pub done: Vec<ItemId>,
    pub base: Minutes,
    pub today: Date,
    pub now: Timestamp,
}

/// One request to change the weekly commitment; `None` pauses it. Never deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentRecord {
    pub id: CommitmentId,
    pub user: UserId,
    /// Order of the requests, 1 first.
    pub number: u32,
    pub requested_on: Date,
    pub weekly: Option<Minutes>,
    pub created_at: Timestamp,
}

/// An item marked worth revisiting, with the review algorithm's state as JSON (see
/// `crate::review::ReviewState`) and its next due day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub follow: FollowId,
    pub item: ItemId,
    pub state: String,
    pub due: Date,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One graded review session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewEvent {
    pub id: ReviewEventId,
    pub follow: FollowId,
    pub item: ItemId,
    pub grade: Grade,
    pub day: Date,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait InsightStore: Send + Sync {
    /// Minutes per day and kind over `from..=to`, in day order.
    async fn daily_minutes(
        &self,
        user: UserId,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<(Date, LogKind, Minutes)>>;
    /// Minutes per day and item (or none) logged for a follow, in day order.
    async fn follow_minutes(
        &self,
        follow: FollowId,
    ) -> StoreResult<Vec<(Date, Option<ItemId>, Minutes)>>;
    /// The keys of warnings this user has dismissed.
    async fn dismissals(&self, user: UserId) -> StoreResult<Vec<String>>;
    /// Remembers a dismissed warning; dismissing twice is not an error.
    async fn dismiss(&self, user: UserId, key: &str, now: Timestamp) -> StoreResult<()>;
    /// Keeps the follow's current plan as a revision and puts the new one in force.
    async fn replan(&self, follow: FollowId, user: UserId, new: Replanned) -> StoreResult<()>;
    /// The plans replaced so far, first first.
    async fn plan_revisions(&self, follow: FollowId) -> StoreResult<Vec<PlanRevision>>;
}

#[async_trait]
pub trait CommitmentStore: Send + Sync {
    async fn add_commitment(
        &self,
        user: UserId,
        requested_on: Date,
        weekly: Option<Minutes>,
        now: Timestamp,
    ) -> StoreResult<CommitmentRecord>;
    /// Every request, in the order made.
    async fn commitments(&self, user: UserId) -> StoreResult<Vec<CommitmentRecord>>;
}

#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// Marks an item of the user's follow worth revisiting; `Conflict` if it already is.
    #[allow(
        clippy::too_many_arguments,
        reason = "one column each; a struct would only rename them"
    )]
    async fn mark_review(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        state: &str,
        due: Date,
        now: Timestamp,
    ) -> StoreResult<ReviewRecord>;
    /// Stops reviewing an item; its history goes with it.
    async fn unmark_review(&self, follow: FollowId, user: UserId, item: &ItemId)
    -> StoreResult<()>;
    /// Records a graded review and the new state, in one transaction.
    #[allow(
        clippy::too_many_arguments,
        reason = "one column each; a struct would only rename them"
    )]
    async fn record_review(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        grade: Grade,
        day: Date,
        state: &str,
        due: Date,
        now: Timestamp,
    ) -> StoreResult<ReviewEvent>;
    /// Every item the user has marked, soonest due first.
    async fn reviews_of_user(&self, user: UserId) -> StoreResult<Vec<ReviewRecord>>;
    async fn reviews_of(&self, follow: FollowId) -> StoreResult<Vec<ReviewRecord>>;
    /// Graded sessions of one item, oldest first.
    async fn review_events(&self, follow: FollowId, item: &ItemId)
    -> StoreResult<Vec<ReviewEvent>>;
}

// ---------------------------------------------------------------------------------------------
// API tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenScope {
    Read,
    ReadWrite,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::ReadWrite => "read-write",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "read" => Some(TokenScope::Read),
            "read-write" => Some(TokenScope::ReadWrite),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: TokenId,
    pub user: UserId,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

#[async_trait]
pub trait TokenStore: Send + Sync {
    async fn create_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
        scope: TokenScope,
        now: Timestamp,
    ) -> StoreResult<ApiToken>;
    async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<ApiToken>>;
    /// A token that is not revoked, with its user; records `now` as its last use (at most
    /// once a minute, and not when the database has no room left to write).
    async fn use_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<(ApiToken, User)>>;
    async fn revoke_token(&self, user: UserId, id: TokenId) -> StoreResult<()>;
}

// ---------------------------------------------------------------------------------------------
// One learner's whole account: the takeout, its import, and leaving

/// A follow with everything that hangs off it.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowSnapshot {
    pub follow: Follow,
    pub revisions: Vec<PlanRevision>,
    pub states: Vec<ItemState>,
    pub evidence: Vec<Evidence>,
    pub reviews: Vec<ReviewRecord>,
    /// Graded sessions of every item of the follow, oldest first.
    pub review_events: Vec<ReviewEvent>,
    /// The learner's reviews of the follow's items (ratings, for other learners).
    pub item_reviews: Vec<ItemReviewRecord>,
}

/// Everything one learner owns, read at one moment (or to be written at once by an import).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSnapshot {
    pub user: User,
    pub curricula: Vec<CurriculumRecord>,
    pub follows: Vec<FollowSnapshot>,
    pub logs: Vec<StudyLog>,
    pub commitments: Vec<CommitmentRecord>,
    pub dismissals: Vec<String>,
    /// Not imported: a token's secret never leaves the server.
    pub tokens: Vec<ApiToken>,
    /// What the import of each curriculum made from a file said, by curriculum.
    pub import_reports: Vec<(CurriculumId, ImportReport)>,
    /// The timer running when the snapshot was read. An import into an account that has one
    /// running already keeps that one.
    pub timer: Option<Timer>,
    /// How the profile is shared (the defaults when never set).
    pub profile: ProfileSettings,
    /// The journal, newest first.
    pub journal: Vec<JournalPost>,
}

#[async_trait]
pub trait AccountDataStore: Send + Sync {
    /// Everything `user` owns, read in one transaction so that it is one moment's state.
    async fn account_snapshot(&self, user: UserId) -> StoreResult<Option<AccountSnapshot>>;
    /// Writes an account's data into `user`'s account, in one transaction, with new ids (the
    /// snapshot's ids only say which rows belong together) and the snapshot's times. The
    /// display name and settings are replaced; handle, email, password and tokens are not
    /// touched. `Conflict { constraint: "account_not_empty" }` unless the account holds no
    /// curricula, follows, logs or commitments.
    async fn import_account(&self, user: UserId, data: &AccountSnapshot) -> StoreResult<()>;
    /// Deletes the user with everything they own: curricula, follows, logs, commitments,
    /// reviews, sessions, tokens and calendar feeds. Copies other learners made stay theirs.
    async fn delete_user(&self, user: UserId) -> StoreResult<()>;
    /// `Conflict { constraint: "users_email_key" }` when another account has it. Links to set
    /// a new password stop working.
    async fn change_email(&self, user: UserId, email: &Email) -> StoreResult<()>;
    /// Keeps a one-time password link (its token's hash) until `expires_at`.
    async fn add_password_reset(
        &self,
        user: UserId,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()>;
    /// The user a live (unexpired) link belongs to.
    async fn password_reset_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<User>>;
    /// Uses a live link, in one transaction: sets the password hash, deletes every session
    /// and every link of the user, and returns the user; `NotFound` for a used, expired or
    /// unknown link.
    async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> StoreResult<User>;
}

/// Everything the application stores.
pub trait Store:
    AccountStore
    + CurriculumStore
    + FollowStore
    + LogStore
    + TimerStore
    + TokenStore
    + InsightStore
    + CommitmentStore
    + ReviewStore
    + AccountDataStore
    + ThrottleStore
    + HealthStore
    + SharingStore
    + ExploreStore
    + CrowdStore
    + ItemReviewStore
    + SuggestionStore
{
}

impl<T> Store for T where
    T: AccountStore
        + CurriculumStore
        + FollowStore
        + LogStore
        + TimerStore
        + TokenStore
        + InsightStore
        + CommitmentStore
        + ReviewStore
        + AccountDataStore
        + ThrottleStore
        + HealthStore
        + SharingStore
        + ExploreStore
        + CrowdStore
        + ItemReviewStore
        + SuggestionStore
{
}
