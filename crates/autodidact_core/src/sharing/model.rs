//! What a profile is made of (the owner's data, whole) and what one viewer sees of it.

use jiff::civil::{Date, Weekday};

use crate::accounts::{Handle, UserId, Zone};
use crate::curriculum::{ItemId, ItemKind, Minutes};
use crate::follow::{Followed, Progress};
use crate::insight::activity::Activity;
use crate::store::{
    CurriculumId, CurriculumRecord, Evidence, FollowId, ItemStatus, JournalPost, LinkCheck,
    ProfileSettings, Relation, User, Visibility,
};

/// Everything a profile may show, unfiltered: read for the owner, then composed per viewer.
#[derive(Debug, Clone)]
pub struct ProfileData {
    pub user: User,
    pub settings: ProfileSettings,
    /// The curricula the learner owns (written, imported or copied).
    pub curricula: Vec<CurriculumRecord>,
    /// Each follow whose curriculum reads, with its progress and evidence.
    pub follows: Vec<FollowData>,
    /// Newest first.
    pub journal: Vec<JournalPost>,
    /// The last check of each of the learner's evidence addresses.
    pub link_checks: Vec<LinkCheck>,
    pub today: Date,
}

#[derive(Debug, Clone)]
pub struct FollowData {
    pub followed: Followed,
    pub progress: Progress,
    pub evidence: Vec<Evidence>,
}

/// A profile as one viewer sees it: a section the viewer may not see is `None`, never empty.
#[derive(Debug, Clone)]
pub struct Profile {
    pub owner: UserId,
    pub handle: Handle,
    pub display_name: String,
    /// Markdown.
    pub bio: String,
    /// What the viewer is to the learner (or what the owner chose to see it as).
    pub relation: Relation,
    /// Whether the page is public: listed, and open to search engines. An unlisted profile
    /// is shown to those with its address only.
    pub listed: bool,
    pub progress: Option<Vec<ProgressCard>>,
    /// Items finished, newest first: part of the progress section.
    pub finished: Option<Vec<Receipt>>,
    pub heatmap: Option<Activity>,
    pub portfolio: Option<Vec<Project>>,
    pub journal: Option<Vec<JournalPost>>,
    pub curricula: Option<Vec<CurriculumCard>>,
    pub skills: Option<Vec<Skill>>,
    /// The last check of each address of the evidence shown, by address.
    pub link_checks: std::collections::HashMap<String, LinkCheck>,
    /// The owner's today, zone and first day of the week: dates are shown in their zone.
    pub today: Date,
    pub zone: Zone,
    pub week_start: Weekday,
}

/// Where the learner stands in one curriculum they follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressCard {
    pub follow: FollowId,
    pub curriculum: CurriculumId,
    pub title: String,
    pub done_items: usize,
    /// Items not skipped.
    pub items: usize,
    /// Estimated minutes earned (done items whole, open ones as logged, capped at their
    /// estimate) and the estimate of every item not skipped.
    pub earned: Minutes,
    pub total: Minutes,
    /// Every minute logged on it.
    pub logged: Minutes,
    /// The items in progress now.
    pub doing: Vec<String>,
    /// The share of the estimate earned, in whole percent.
    pub percent: u32,
}

/// A project or practice item with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub follow: FollowId,
    pub item: ItemId,
    pub title: String,
    pub kind: ItemKind,
    pub curriculum: String,
    pub status: ItemStatus,
    pub evidence: Vec<Evidence>,
    pub logged: Minutes,
    pub skills: Vec<String>,
}

/// A skill, shown only because finished items with evidence carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    pub name: String,
    pub receipts: Vec<Receipt>,
}

/// A finished item (one that shows a skill, or one of the progress section's): its evidence,
/// the time logged and the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub follow: FollowId,
    pub item: ItemId,
    pub title: String,
    pub curriculum: String,
    pub evidence: Vec<Evidence>,
    pub logged: Minutes,
    /// The day it was marked done, in the learner's zone.
    pub finished: Date,
}

/// A curriculum the learner owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurriculumCard {
    pub id: CurriculumId,
    pub title: String,
    pub visibility: Visibility,
    /// The handle it was copied from, if a copy.
    pub copied_from: Option<Handle>,
}
