//! Storage of what a learner shares (see `crate::sharing`): their profile's settings, who
//! follows them, and their journal.

use async_trait::async_trait;
use jiff::Timestamp;
use serde::Serialize;

use super::{FollowId, StoreResult, Visibility};
use crate::accounts::{Handle, UserId};
use crate::curriculum::ItemId;

/// A part of a profile that opens and closes on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Where the learner stands in each curriculum they follow.
    Progress,
    /// The year of study days.
    Heatmap,
    /// Projects and practice, with their evidence.
    Portfolio,
    /// Journal posts.
    Journal,
    /// The curricula the learner wrote or copied.
    Curricula,
    /// Skills, each shown only with a finished item's evidence.
    Skills,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Progress,
        Section::Heatmap,
        Section::Portfolio,
        Section::Journal,
        Section::Curricula,
        Section::Skills,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Progress => "progress",
            Section::Heatmap => "heatmap",
            Section::Portfolio => "portfolio",
            Section::Journal => "journal",
            Section::Curricula => "curricula",
            Section::Skills => "skills",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    fn index(self) -> usize {
        match self {
            Section::Progress => 0,
            Section::Heatmap => 1,
            Section::Portfolio => 2,
            Section::Journal => 3,
            Section::Curricula => 4,
            Section::Skills => 5,
        }
    }
}

/// How a learner's profile is shared. Everything is private until the learner opens it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileSettings {
    /// Markdown, rendered sanitised.
    pub bio: String,
    /// The page itself (name and bio): every section is shown at most this widely.
    pub profile: Visibility,
    /// Each section's own value, in [`Section::ALL`] order.
    sections: [Visibility; 6],
    /// Whether the learner's logs may count in figures across learners (crowd hours).
    pub crowd: bool,
}

impl ProfileSettings {
    /// The section's own value (not composed with the profile's: see
    /// `crate::sharing::effective`).
    pub fn section(&self, section: Section) -> Visibility {
        self.sections[section.index()]
    }

    pub fn set_section(&mut self, section: Section, visibility: Visibility) {
        self.sections[section.index()] = visibility;
    }
}

/// One learner following another: asked, then approved by the one followed. Only an approved
/// follow makes a [`super::Relation::Follower`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowRequest {
    pub follower: UserId,
    pub follower_handle: Handle,
    pub followee: UserId,
    pub followee_handle: Handle,
    /// When the one followed approved it; `None` while it waits.
    pub approved_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JournalPostId(pub i64);

impl std::fmt::Display for JournalPostId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Written as a string of digits, like every 64-bit id.
impl Serialize for JournalPostId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A journal post, optionally about an item of one of the author's follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalPost {
    pub id: JournalPostId,
    pub author: UserId,
    pub title: String,
    /// Markdown, rendered sanitised.
    pub body: String,
    /// The item it is about, in one of the author's follows.
    pub about: Option<(FollowId, ItemId)>,
    pub visibility: Visibility,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A post to store, or a post's new content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJournalPost {
    pub author: UserId,
    pub title: String,
    pub body: String,
    pub about: Option<(FollowId, ItemId)>,
    pub visibility: Visibility,
    pub now: Timestamp,
}

/// What a link answered when it was last checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    /// A 2xx answer (after redirects).
    Alive(u16),
    /// An answer that says the page is not there or not open (4xx, 5xx).
    Broken(u16),
    /// No answer: the name does not resolve, the connection fails or times out, or the
    /// address is not one a check may reach.
    Unreachable,
}

/// The last check of a web address (evidence): kept, so a page shows it without fetching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCheck {
    pub url: String,
    pub status: LinkStatus,
    pub checked_at: Timestamp,
}

/// A public copy of a curriculum, as its source's page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFork {
    pub id: super::CurriculumId,
    pub title: String,
    pub owner: Handle,
    pub updated_at: Timestamp,
}

#[async_trait]
pub trait SharingStore: Send + Sync {
    /// The last check of every address the learner's evidence points to.
    async fn link_checks_of(&self, user: UserId) -> StoreResult<Vec<LinkCheck>>;
    /// Evidence addresses never checked or last checked at or before `older_than`, the
    /// longest unchecked first, at most `limit`.
    async fn links_to_check(&self, older_than: Timestamp, limit: u32) -> StoreResult<Vec<String>>;
    async fn record_link_check(&self, check: &LinkCheck) -> StoreResult<()>;
    /// The public copies of `source` (made from it directly), most recently changed first, at
    /// most `limit`; and how many there are in all.
    async fn listed_forks(
        &self,
        source: super::CurriculumId,
        limit: u32,
    ) -> StoreResult<(Vec<ListedFork>, u64)>;
    /// The learner's settings; all private (the default) when they never changed them.
    async fn profile_settings(&self, user: UserId) -> StoreResult<ProfileSettings>;
    async fn set_profile_settings(
        &self,
        user: UserId,
        settings: &ProfileSettings,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Sets how widely a follow's progress is shown, and in the same transaction widens its
    /// curriculum (the learner's own copy, which the progress names) to at least that;
    /// `NotFound` unless the follow is `user`'s.
    async fn set_follow_visibility(
        &self,
        follow: FollowId,
        user: UserId,
        visibility: Visibility,
        now: Timestamp,
    ) -> StoreResult<()>;

    /// Asks to follow; approved at once with `approve_at`. `Conflict { constraint:
    /// "learner_follows_pkey" }` when already asked.
    async fn request_follow(
        &self,
        follower: UserId,
        followee: UserId,
        approve_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Approves a waiting request; `NotFound` when there is none.
    async fn approve_follow(
        &self,
        followee: UserId,
        follower: UserId,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Ends a follow or a request (either side may); `NotFound` when there is none.
    async fn remove_follow_request(&self, follower: UserId, followee: UserId) -> StoreResult<()>;
    async fn follow_request(
        &self,
        follower: UserId,
        followee: UserId,
    ) -> StoreResult<Option<FollowRequest>>;
    /// Who follows or asked to follow `user`, oldest first.
    async fn followers_of(&self, user: UserId) -> StoreResult<Vec<FollowRequest>>;
    /// Whom `user` follows or asked to follow, oldest first.
    async fn followed_by(&self, user: UserId) -> StoreResult<Vec<FollowRequest>>;

    async fn add_journal_post(&self, post: &NewJournalPost) -> StoreResult<JournalPost>;
    /// Replaces a post's content; `NotFound` unless it is `post.author`'s.
    async fn update_journal_post(
        &self,
        id: JournalPostId,
        post: &NewJournalPost,
    ) -> StoreResult<()>;
    /// `NotFound` unless it is `author`'s.
    async fn delete_journal_post(&self, id: JournalPostId, author: UserId) -> StoreResult<()>;
    async fn journal_post(&self, id: JournalPostId) -> StoreResult<Option<JournalPost>>;
    /// The learner's posts, newest first.
    async fn journal_of(&self, author: UserId) -> StoreResult<Vec<JournalPost>>;
}
