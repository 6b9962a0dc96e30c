//! The crowd figures and reviews of an item, over the `Store` traits.

use jiff::Timestamp;

use super::address::resource_address;
use super::model::{ItemCrowd, OnwardFigure, ReviewProblem, Spread};
use super::rules::{
    at_your_pace, check_review, crowd_hours, mean_rating, one_per_learner, onward_counts,
    own_figures, use_crowd,
};
use crate::accounts::UserId;
use crate::curricula::{
    CurriculumError, EditError, edit_curriculum, owned_model, visible_curriculum,
};
use crate::curriculum::{Curriculum, EstimateSource, ItemId, Minutes};
use crate::follow::{CurriculumCache, FollowError, owned_follow};
use crate::insight::overview::load_overview;
use crate::store::{
    CurriculumId, CurriculumRecord, FollowId, ItemReview, ItemStatus, Lineage, NewItemReview,
    Store, StoreError, User, Visibility,
};
use crate::throttle::{Hit, Limit, Throttled, take};

/// The curriculum an item's figures are counted across: the one a copy came from, or the
/// curriculum itself; `None` for a copy whose source is gone.
async fn lineage_root(
    store: &dyn Store,
    record: CurriculumRecord,
) -> Result<Option<CurriculumRecord>, StoreError> {
    match &record.lineage {
        Lineage::Fork(fork) => store.curriculum(fork.source).await,
        _ => Ok(Some(record)),
    }
}

/// Everything other learners found of `item` of curriculum `id`, which `viewer` must be able
/// to see. Across a public lineage: the crowd hours (with the same resource's in any
/// curriculum, by its link's address), how many finishers went on to the next
/// item (the next in this curriculum), and every review. Otherwise, and for a copy whose
/// source is gone, only the viewer's own review: what others wrote about a curriculum that is
/// not public is not shown.
pub async fn item_crowd(
    store: &dyn Store,
    cache: &CurriculumCache,
    viewer: Option<UserId>,
    id: CurriculumId,
    item: &ItemId,
) -> Result<ItemCrowd, CurriculumError> {
    let record = visible_curriculum(store, viewer, id).await?;
    let parsed = cache.parse(&record);
    let next = parsed.as_ref().and_then(|c| {
        let mut items = c.items().skip_while(|i| &i.id != item).skip(1);
        items.next().map(|i| (i.id.clone(), i.title.clone()))
    });
    // The same resource linked from unrelated curricula counts too.
    let address = parsed
        .as_ref()
        .and_then(|c| c.item(item)?.url.as_deref().and_then(resource_address));
    let root = lineage_root(store, record).await?;
    let (hours, onward, reviews) = match root {
        Some(root) if root.visibility == Visibility::Public => {
            let samples = store
                .crowd_samples(root.id, item, address.as_deref())
                .await?;
            let hours = crowd_hours(&samples);
            let onward = match next {
                Some((next, next_title)) => {
                    let rows = store.onward(root.id, item, &next).await?;
                    onward_counts(&rows).map(|(finished, went_on)| OnwardFigure {
                        finished,
                        went_on,
                        next,
                        next_title,
                    })
                }
                None => None,
            };
            let reviews = store.item_reviews(root.id, item).await?;
            (hours, onward, reviews)
        }
        other => {
            let mine = match (viewer, other) {
                (Some(v), Some(root)) => store
                    .item_reviews(root.id, item)
                    .await?
                    .into_iter()
                    .filter(|r| r.user == v)
                    .collect(),
                _ => Vec::new(),
            };
            (None, None, mine)
        }
    };
    let reviews = one_per_learner(reviews);
    let mine = viewer.and_then(|v| reviews.iter().find(|r| r.user == v).cloned());
    Ok(ItemCrowd {
        hours,
        onward,
        rating: mean_rating(&reviews),
        reviews,
        mine,
    })
}

/// Why a review was not saved.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("no such follow or item")]
    NotFound,
    #[error(
        "log time on this item or mark it done before reviewing it: a review shows what it took you"
    )]
    NotStarted,
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ReviewProblem>),
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<FollowError> for ReviewError {
    fn from(err: FollowError) -> Self {
        match err {
            FollowError::Store(e) => ReviewError::Store(e),
            FollowError::NotFound | FollowError::Unreadable { .. } => ReviewError::NotFound,
        }
    }
}

/// What a learner writes in a review.
#[derive(Debug, Clone, Copy)]
pub struct ReviewInput<'a> {
    /// Stars as written: `3.5`, `4½`.
    pub rating: &'a str,
    pub text: &'a str,
    pub tip: &'a str,
}

/// Writes (or rewrites) the learner's review of `item` from their follow `follow`: one per
/// learner per item, editable. The learner must have logged time on the item or finished it;
/// reviews are throttled per account.
pub async fn save_item_review(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
    input: ReviewInput<'_>,
    now: Timestamp,
) -> Result<ItemReview, ReviewError> {
    let followed = owned_follow(store, cache, user, follow).await?;
    if followed.curriculum.item(item).is_none() {
        return Err(ReviewError::NotFound);
    }
    let (rating, text, tip) =
        check_review(input.rating, input.text, input.tip).map_err(ReviewError::Invalid)?;
    let done = followed.status(item) == ItemStatus::Done;
    let logged = !done
        && store
            .minutes_by_item(follow)
            .await?
            .iter()
            .any(|(i, m)| i == item && !m.is_zero());
    if !done && !logged {
        return Err(ReviewError::NotStarted);
    }
    let hit = Hit::new(Limit::ItemReview, format!("user:{}", user.id.0));
    take(store, &[hit], now).await??;
    Ok(store
        .save_item_review(NewItemReview {
            follow,
            item: item.clone(),
            rating,
            text,
            tip,
            now,
        })
        .await?)
}

/// Removes the learner's review of `item` from their follow `follow`.
pub async fn delete_item_review(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
) -> Result<(), ReviewError> {
    owned_follow(store, cache, user, follow).await?;
    match store.delete_item_review(follow, item).await {
        Err(StoreError::NotFound) => Err(ReviewError::NotFound),
        other => Ok(other?),
    }
}

/// An item of the learner's curriculum whose guess the crowd's median may replace.
#[derive(Debug, Clone, PartialEq)]
pub struct CrowdCandidate {
    pub id: ItemId,
    pub title: String,
    /// What the item is planned at now.
    pub planned: Minutes,
    pub source: EstimateSource,
    pub crowd: Spread,
    /// The crowd's middle half at the learner's pace (their calibration factor), when their
    /// finished items say what that pace is.
    pub at_your_pace: Option<(Minutes, Minutes)>,
}

/// The crowd's figures for the guesses of the learner's curriculum.
#[derive(Debug, Clone, PartialEq)]
pub struct CrowdEstimates {
    pub record: CurriculumRecord,
    /// Items estimated as a guess, missing, or on the crowd's figure already, that have crowd
    /// hours; in the curriculum's order.
    pub candidates: Vec<CrowdCandidate>,
    /// How many items are on the crowd's figure now (the off switch applies to them).
    pub on_crowd: usize,
    /// The learner's calibration factor, when they have one.
    pub factor: Option<f64>,
}

/// The crowd hours of every guessed, missing or crowd-estimated item of `curriculum`, across
/// the lineage of `record` and wherever else each resource is linked; only for a public
/// lineage, as everywhere.
async fn crowd_medians(
    store: &dyn Store,
    record: &CurriculumRecord,
    curriculum: &Curriculum,
) -> Result<Vec<(ItemId, Spread)>, StoreError> {
    let root = match lineage_root(store, record.clone()).await? {
        Some(root) if root.visibility == Visibility::Public => root,
        _ => return Ok(Vec::new()),
    };
    let mut found = Vec::new();
    for item in curriculum.items().filter(|i| {
        i.estimate_source.is_guess() || matches!(i.estimate_source, EstimateSource::Crowd { .. })
    }) {
        let address = item.url.as_deref().and_then(resource_address);
        let samples = store
            .crowd_samples(root.id, &item.id, address.as_deref())
            .await?;
        if let Some(hours) = crowd_hours(&samples) {
            found.push((item.id.clone(), hours.all));
        }
    }
    Ok(found)
}

/// What the crowd says of the guesses of `user`'s curriculum `id`, for them to choose.
pub async fn crowd_estimates(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    id: CurriculumId,
    now: Timestamp,
) -> Result<CrowdEstimates, EditError> {
    let (record, curriculum) = owned_model(store, user.id, id).await?;
    let medians = crowd_medians(store, &record, &curriculum).await?;
    let calibration = load_overview(store, cache, user, now).await?.calibration;
    let factor = calibration.overall.map(|_| calibration.forecast_factor());
    let weekly = curriculum.hours_per_week;
    let candidates = curriculum
        .items()
        .filter_map(|item| {
            let (_, crowd) = medians.iter().find(|(i, _)| *i == item.id)?;
            Some(CrowdCandidate {
                id: item.id.clone(),
                title: item.title.clone(),
                planned: item.planned(weekly),
                source: item.estimate_source,
                crowd: *crowd,
                at_your_pace: factor.map(|f| at_your_pace(crowd, f)),
            })
        })
        .collect();
    let on_crowd = curriculum
        .items()
        .filter(|i| matches!(i.estimate_source, EstimateSource::Crowd { .. }))
        .count();
    Ok(CrowdEstimates {
        record,
        candidates,
        on_crowd,
        factor,
    })
}

/// Plans the named items of `user`'s curriculum `id` at their crowd median, as one edit; the
/// medians are counted again here, and items without one (or with a stated estimate) are left
/// as they are. Returns how many items changed.
pub async fn use_crowd_estimates(
    store: &dyn Store,
    user: &User,
    id: CurriculumId,
    items: &[ItemId],
    now: Timestamp,
) -> Result<usize, EditError> {
    let (record, mut curriculum) = owned_model(store, user.id, id).await?;
    let medians: Vec<(ItemId, Minutes)> = crowd_medians(store, &record, &curriculum)
        .await?
        .into_iter()
        .filter(|(i, _)| items.contains(i))
        .map(|(i, s)| (i, s.median))
        .collect();
    let changed = use_crowd(&mut curriculum, &medians);
    if changed > 0 {
        edit_curriculum(store, user.id, id, &curriculum, now).await?;
    }
    Ok(changed)
}

/// The off switch: every item of `user`'s curriculum `id` on the crowd's figure goes back to
/// its own, as one edit. Returns how many items changed.
pub async fn stop_crowd_estimates(
    store: &dyn Store,
    user: &User,
    id: CurriculumId,
    now: Timestamp,
) -> Result<usize, EditError> {
    let (_, mut curriculum) = owned_model(store, user.id, id).await?;
    let changed = own_figures(&mut curriculum);
    if changed > 0 {
        edit_curriculum(store, user.id, id, &curriculum, now).await?;
    }
    Ok(changed)
}
