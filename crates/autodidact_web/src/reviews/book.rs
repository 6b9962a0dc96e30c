//! Every item a learner marked, with its title and the day it is placed on after spreading.
//!
//! One place computes the spread, so the reviews page, the dashboard and the calendar feed
//! always agree on the day of a review.

use std::collections::HashMap;

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::{Curriculum, ItemId};
use autodidact_core::insight::activity::RestDays;

use autodidact_core::review::{ReviewState, spread};
use autodidact_core::store::{FollowId, ReviewRecord};
use jiff::civil::Date;

use super::{DueReview, PER_DAY, grade_url, item_url};
use crate::app::AppState;
use crate::error::PageError;

/// A marked item and the day its review is placed on.
#[derive(Debug, Clone)]
pub struct Placed {
    pub follow: FollowId,
    pub item: ItemId,
    /// The item's title (its id when the curriculum no longer has it).
    pub title: String,
    pub curriculum: String,
    pub record: ReviewRecord,
    /// The algorithm's state; `None` if what is stored does not read (shown without interval).
    pub state: Option<ReviewState>,
    /// The day after spreading: the due day or later, never a rest day, never before today.
    pub on: Date,
}

/// A learner's marked items, placed.
#[derive(Debug, Clone, Default)]
pub struct ReviewBook {
    /// By the day placed on, then curriculum and title.
    pub placed: Vec<Placed>,
}

/// What a follow contributes: its curriculum's title and its item titles.
struct Titles {
    curriculum: String,
    items: HashMap<ItemId, String>,
}

impl Titles {
    fn of(curriculum: String, model: &Curriculum) -> Self {
        Self {
            curriculum,
            items: model
                .items()
                .map(|i| (i.id.clone(), i.title.clone()))
                .collect(),
        }
    }
}

impl ReviewBook {
    /// Reads the learner's follows and marked items and spreads the reviews from `today`
    /// (the learner's today), with every break of every follow as rest.
    pub async fn load(state: &AppState, user: UserId, today: Date) -> Result<Self, PageError> {
        let store = state.store.as_ref();
        let records = store.reviews_of_user(user).await?;
        if records.is_empty() {
            return Ok(Self::default());
        }
        let mut titles: HashMap<FollowId, Titles> = HashMap::new();
        let mut rest = RestDays::default();
        for follow in store.follows_of(user).await? {
            rest.breaks.extend(follow.breaks.iter().copied());
            let Some(record) = store.curriculum(follow.curriculum).await? else {
                continue;
            };
            if let Some(curriculum) = state.curricula.parse(&record) {
                titles.insert(follow.id, Titles::of(record.title, &curriculum));
            }
        }
        Ok(Self::place(records, &titles, &rest, today))
    }

    /// The same, from follows and curricula the caller has already read (the dashboard):
    /// `followed` gives each follow's id, curriculum title and model, `rest` every break.
    pub fn from_loaded<'a>(
        records: Vec<ReviewRecord>,
        followed: impl IntoIterator<Item = (FollowId, &'a str, &'a Curriculum)>,
        rest: &RestDays,
        today: Date,
    ) -> Self {
        let titles = followed
            .into_iter()
            .map(|(id, title, curriculum)| (id, Titles::of(title.to_owned(), curriculum)))
            .collect();
        Self::place(records, &titles, rest, today)
    }

    fn place(
        records: Vec<ReviewRecord>,
        titles: &HashMap<FollowId, Titles>,
        rest: &RestDays,
        today: Date,
    ) -> Self {
        let due: Vec<((FollowId, ItemId), Date)> = records
            .iter()
            .map(|r| ((r.follow, r.item.clone()), r.due))
            .collect();
        let days: HashMap<(FollowId, ItemId), Date> =
            spread(&due, |d| rest.is_rest(d), today, PER_DAY)
                .into_iter()
                .collect();
        let mut placed: Vec<Placed> = records
            .into_iter()
            .map(|record| {
                let of = titles.get(&record.follow);
                let key = (record.follow, record.item.clone());
                Placed {
                    follow: record.follow,
                    item: record.item.clone(),
                    title: of
                        .and_then(|t| t.items.get(&record.item))
                        .cloned()
                        .unwrap_or_else(|| record.item.to_string()),
                    curriculum: of.map(|t| t.curriculum.clone()).unwrap_or_default(),
                    state: ReviewState::from_json(&record.state).ok(),
                    on: days.get(&key).copied().unwrap_or(record.due),
                    record,
                }
            })
            .collect();
        placed
            .sort_by(|a, b| (a.on, &a.curriculum, &a.title).cmp(&(b.on, &b.curriculum, &b.title)));
        Self { placed }
    }

    /// The reviews placed on `today` or earlier.
    pub fn due(&self, today: Date) -> Vec<DueReview> {
        self.placed
            .iter()
            .filter(|p| p.on <= today)
            .map(|p| DueReview {
                follow: p.follow,
                item: p.item.clone(),
                title: p.title.clone(),
                curriculum: p.curriculum.clone(),
                due: p.on,
                url: item_url(p.follow, &p.item),
                grade_url: grade_url(p.follow, &p.item),
            })
            .collect()
    }

    /// The marked items of one follow.
    pub fn of_follow(&self, follow: FollowId) -> impl Iterator<Item = &Placed> {
        self.placed.iter().filter(move |p| p.follow == follow)
    }
}
