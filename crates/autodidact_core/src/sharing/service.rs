//! Loading a profile, following a learner, the settings and the journal, through the `Store`.

use jiff::Timestamp;

use super::model::{FollowData, Profile, ProfileData};
use super::rules::compose;
use crate::accounts::{Handle, UserId};
use crate::curriculum::ItemId;
use crate::follow::{CurriculumCache, FollowError, load_follow, load_progress};
use crate::store::{
    FollowId, JournalPost, JournalPostId, NewJournalPost, ProfileSettings, Relation, Section,
    Store, StoreError, User, Visibility,
};
use crate::throttle::{Hit, Limit, Throttled, take};

/// The longest bio, in characters.
pub const BIO_MAX_CHARS: usize = 2_000;
/// The longest journal title and body, in characters.
pub const TITLE_MAX_CHARS: usize = 200;
pub const BODY_MAX_CHARS: usize = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// No such learner, or nothing of their profile is the viewer's to see.
    #[error("no such profile")]
    NotFound,
    /// Only a public profile is published outside Autodidact.
    #[error(
        "the profile is not public, so there is nothing to publish: make the profile page and the parts you want on the site public in your profile's settings"
    )]
    NotPublic,
    #[error("the bio is {chars} characters long: keep it under {BIO_MAX_CHARS}")]
    BioTooLong { chars: usize },
    /// Not one of the learner's follows.
    #[error("no such follow")]
    NoSuchFollow,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What `viewer` is to `owner`: the owner, an approved follower, or a stranger.
pub async fn relation_between(
    store: &dyn Store,
    owner: UserId,
    viewer: Option<UserId>,
) -> Result<Relation, StoreError> {
    let Some(viewer) = viewer else {
        return Ok(Relation::Stranger);
    };
    if viewer == owner {
        return Ok(Relation::Owner);
    }
    let request = store.follow_request(viewer, owner).await?;
    Ok(match request {
        Some(r) if r.approved_at.is_some() => Relation::Follower,
        _ => Relation::Stranger,
    })
}

/// Everything the owner's profile may show, read whole, under the settings the caller read
/// (and checked) already. A follow whose curriculum no longer reads is left out rather than
/// failing the page.
pub async fn load_profile_data(
    store: &dyn Store,
    cache: &CurriculumCache,
    owner: &User,
    settings: ProfileSettings,
    now: Timestamp,
) -> Result<ProfileData, StoreError> {
    let curricula = store.curricula_of(owner.id).await?;
    let mut follows = Vec::new();
    for follow in store.follows_of(owner.id).await? {
        let id = follow.id;
        let followed = match load_follow(store, cache, follow, owner.settings.week_start.0).await {
            Ok(f) => f,
            Err(FollowError::Store(e)) => return Err(e),
            Err(FollowError::NotFound | FollowError::Unreadable { .. }) => continue,
        };
        let progress = load_progress(store, &followed, owner, now).await?;
        let evidence = store.evidence(id).await?;
        follows.push(FollowData {
            followed,
            progress,
            evidence,
        });
    }
    let journal = store.journal_of(owner.id).await?;
    let link_checks = store.link_checks_of(owner.id).await?;
    Ok(ProfileData {
        user: owner.clone(),
        settings,
        curricula,
        follows,
        journal,
        link_checks,
        today: owner.today(now),
    })
}

/// Whose profile a request is for, as whom it is seen, and its settings.
#[derive(Debug, Clone)]
pub struct ProfileAccess {
    pub owner: User,
    pub relation: Relation,
    pub settings: ProfileSettings,
}

/// Who may see the profile of `handle`, and as whom: the owner may ask to see it `as` a
/// follower or a stranger would; anyone else's `as` is ignored. `NotFound` when the page is
/// not the viewer's to see, with nothing but the settings read.
pub async fn profile_access(
    store: &dyn Store,
    viewer: Option<&User>,
    handle: &Handle,
    as_: Option<Relation>,
) -> Result<ProfileAccess, ProfileError> {
    let owner = store
        .user_by_handle(handle)
        .await?
        .ok_or(ProfileError::NotFound)?;
    let mut relation = relation_between(store, owner.id, viewer.map(|v| v.id)).await?;
    if relation == Relation::Owner {
        relation = as_.unwrap_or(Relation::Owner);
    }
    let settings = store.profile_settings(owner.id).await?;
    if !settings.profile.shows_to(relation) {
        return Err(ProfileError::NotFound);
    }
    Ok(ProfileAccess {
        owner,
        relation,
        settings,
    })
}

/// The profile of `handle` as `viewer` sees it (see [`profile_access`]).
pub async fn load_profile(
    store: &dyn Store,
    cache: &CurriculumCache,
    viewer: Option<&User>,
    handle: &Handle,
    as_: Option<Relation>,
    now: Timestamp,
) -> Result<Profile, ProfileError> {
    let access = profile_access(store, viewer, handle, as_).await?;
    let data = load_profile_data(store, cache, &access.owner, access.settings, now).await?;
    compose(&data, access.relation).ok_or(ProfileError::NotFound)
}

/// The profile of `handle` as it may be published outside Autodidact (see
/// [`super::rules::compose_public`]); `NotPublic` unless the profile page is public.
pub async fn load_public_profile(
    store: &dyn Store,
    cache: &CurriculumCache,
    handle: &Handle,
    now: Timestamp,
) -> Result<Profile, ProfileError> {
    let owner = store
        .user_by_handle(handle)
        .await?
        .ok_or(ProfileError::NotFound)?;
    let settings = store.profile_settings(owner.id).await?;
    if settings.profile != Visibility::Public {
        return Err(ProfileError::NotPublic);
    }
    let data = load_profile_data(store, cache, &owner, settings, now).await?;
    super::rules::compose_public(&data).ok_or(ProfileError::NotPublic)
}

/// Stores new settings, whole.
pub async fn save_profile_settings(
    store: &dyn Store,
    user: &User,
    settings: &ProfileSettings,
    now: Timestamp,
) -> Result<(), ProfileError> {
    let chars = settings.bio.chars().count();
    if chars > BIO_MAX_CHARS {
        return Err(ProfileError::BioTooLong { chars });
    }
    let mut clean = settings.clone();
    clean.bio = settings.bio.trim().to_owned();
    store.set_profile_settings(user.id, &clean, now).await?;
    Ok(())
}

/// Sets how widely one of the learner's follows shows its progress.
pub async fn save_follow_visibility(
    store: &dyn Store,
    user: &User,
    follow: FollowId,
    visibility: Visibility,
    now: Timestamp,
) -> Result<(), ProfileError> {
    match store
        .set_follow_visibility(follow, user.id, visibility, now)
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(ProfileError::NoSuchFollow),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FollowLearnerError {
    /// No such learner, or a profile the asker may not see.
    #[error("no such learner")]
    NotFound,
    #[error("you cannot follow yourself")]
    Yourself,
    #[error("you have already asked to follow @{0}")]
    AlreadyAsked(Handle),
    /// No request of this learner's to answer or end.
    #[error("@{0} has not asked to follow you")]
    NoRequest(Handle),
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn learner(store: &dyn Store, handle: &Handle) -> Result<User, FollowLearnerError> {
    store
        .user_by_handle(handle)
        .await?
        .ok_or(FollowLearnerError::NotFound)
}

/// Asks to follow `handle`. It waits for their approval: a follower sees what they open to
/// followers, so nobody becomes one without the learner's say. Only a learner whose profile
/// the asker may see can be asked, and asking is throttled per account.
pub async fn request_follow(
    store: &dyn Store,
    follower: &User,
    handle: &Handle,
    now: Timestamp,
) -> Result<(), FollowLearnerError> {
    let followee = learner(store, handle).await?;
    if followee.id == follower.id {
        return Err(FollowLearnerError::Yourself);
    }
    let settings = store.profile_settings(followee.id).await?;
    if !settings.profile.shows_to(Relation::Stranger) {
        return Err(FollowLearnerError::NotFound);
    }
    if store
        .follow_request(follower.id, followee.id)
        .await?
        .is_some()
    {
        return Err(FollowLearnerError::AlreadyAsked(followee.handle));
    }
    let hit = Hit::new(Limit::FollowRequest, format!("user:{}", follower.id.0));
    take(store, &[hit], now).await??;
    match store
        .request_follow(follower.id, followee.id, None, now)
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict { .. }) => Err(FollowLearnerError::AlreadyAsked(followee.handle)),
        Err(e) => Err(e.into()),
    }
}

/// The learner approves a request to follow them, or declines it (which also ends an
/// approved follow: a learner can always remove a follower).
pub async fn answer_follow_request(
    store: &dyn Store,
    followee: &User,
    follower: &Handle,
    approve: bool,
    now: Timestamp,
) -> Result<(), FollowLearnerError> {
    let asker = learner(store, follower).await?;
    let done = if approve {
        store.approve_follow(followee.id, asker.id, now).await
    } else {
        store.remove_follow_request(asker.id, followee.id).await
    };
    match done {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(FollowLearnerError::NoRequest(asker.handle)),
        Err(e) => Err(e.into()),
    }
}

/// Stops following `handle`, or takes back a request; `NotFound` when there is neither.
pub async fn stop_following(
    store: &dyn Store,
    follower: &User,
    handle: &Handle,
) -> Result<(), FollowLearnerError> {
    let followee = learner(store, handle).await?;
    match store.remove_follow_request(follower.id, followee.id).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(FollowLearnerError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// A journal post as written in a form or sent to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalInput {
    pub title: String,
    pub body: String,
    pub about: Option<(FollowId, ItemId)>,
    pub visibility: Visibility,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("no such post")]
    NotFound,
    #[error("give the post a title")]
    TitleMissing,
    #[error("the title is {chars} characters long: keep it under {TITLE_MAX_CHARS}")]
    TitleTooLong { chars: usize },
    #[error("the post is {chars} characters long: keep it under {BODY_MAX_CHARS}")]
    BodyTooLong { chars: usize },
    /// The follow is not the author's, or its curriculum has no such item.
    #[error("the post can only be about an item of a curriculum you follow")]
    UnknownItem,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn checked(
    store: &dyn Store,
    cache: &CurriculumCache,
    author: &User,
    input: JournalInput,
    now: Timestamp,
) -> Result<NewJournalPost, JournalError> {
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        return Err(JournalError::TitleMissing);
    }
    let chars = title.chars().count();
    if chars > TITLE_MAX_CHARS {
        return Err(JournalError::TitleTooLong { chars });
    }
    let chars = input.body.chars().count();
    if chars > BODY_MAX_CHARS {
        return Err(JournalError::BodyTooLong { chars });
    }
    if let Some((follow, item)) = &input.about {
        let follow = store
            .follow(*follow)
            .await?
            .filter(|f| f.user == author.id)
            .ok_or(JournalError::UnknownItem)?;
        let followed = load_follow(store, cache, follow, author.settings.week_start.0)
            .await
            .map_err(|e| match e {
                FollowError::Store(e) => JournalError::Store(e),
                FollowError::NotFound | FollowError::Unreadable { .. } => JournalError::UnknownItem,
            })?;
        if followed.curriculum.item(item).is_none() {
            return Err(JournalError::UnknownItem);
        }
    }
    Ok(NewJournalPost {
        author: author.id,
        title,
        body: input.body,
        about: input.about,
        visibility: input.visibility,
        now,
    })
}

/// Writes a post; throttled per account.
pub async fn write_post(
    store: &dyn Store,
    cache: &CurriculumCache,
    author: &User,
    input: JournalInput,
    now: Timestamp,
) -> Result<JournalPost, JournalError> {
    let post = checked(store, cache, author, input, now).await?;
    let hit = Hit::new(Limit::JournalPost, format!("user:{}", author.id.0));
    take(store, &[hit], now).await??;
    Ok(store.add_journal_post(&post).await?)
}

/// One of the author's posts.
pub async fn own_post(
    store: &dyn Store,
    author: &User,
    id: JournalPostId,
) -> Result<JournalPost, JournalError> {
    store
        .journal_post(id)
        .await?
        .filter(|p| p.author == author.id)
        .ok_or(JournalError::NotFound)
}

/// Replaces a post's content; throttled like writing one.
pub async fn edit_post(
    store: &dyn Store,
    cache: &CurriculumCache,
    author: &User,
    id: JournalPostId,
    input: JournalInput,
    now: Timestamp,
) -> Result<(), JournalError> {
    own_post(store, author, id).await?;
    let post = checked(store, cache, author, input, now).await?;
    let hit = Hit::new(Limit::JournalPost, format!("user:{}", author.id.0));
    take(store, &[hit], now).await??;
    match store.update_journal_post(id, &post).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(JournalError::NotFound),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_post(
    store: &dyn Store,
    author: &User,
    id: JournalPostId,
) -> Result<(), JournalError> {
    match store.delete_journal_post(id, author.id).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(JournalError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// A post as a viewer may see it at its address.
#[derive(Debug, Clone)]
pub struct VisiblePost {
    pub post: JournalPost,
    pub author: User,
    pub relation: Relation,
    /// The item it is about, as `(curriculum, item)` titles: only where that follow's
    /// progress is the viewer's to see too.
    pub about: Option<(String, String)>,
}

/// A post at its address, with its author, for `viewer`: shown as widely as the narrowest of
/// the post, the journal section and the profile allow.
pub async fn visible_post(
    store: &dyn Store,
    cache: &CurriculumCache,
    viewer: Option<&User>,
    id: JournalPostId,
) -> Result<VisiblePost, JournalError> {
    let post = store
        .journal_post(id)
        .await?
        .ok_or(JournalError::NotFound)?;
    let author = store
        .user(post.author)
        .await?
        .ok_or(JournalError::NotFound)?;
    let relation = relation_between(store, author.id, viewer.map(|v| v.id)).await?;
    let settings = store.profile_settings(author.id).await?;
    let journal = super::rules::effective(&settings, Section::Journal);
    if !journal.narrowest(post.visibility).shows_to(relation) {
        return Err(JournalError::NotFound);
    }
    let mut about = None;
    if let Some((follow, item)) = &post.about
        && let Some(follow) = store.follow(*follow).await?.filter(|f| f.user == author.id)
        && let Some(record) = store.curriculum(follow.curriculum).await?
    {
        let progress = super::rules::effective(&settings, Section::Progress);
        let shown = progress
            .narrowest(follow.visibility)
            .narrowest(record.visibility)
            .shows_to(relation);
        if shown && let Some(model) = cache.parse(&record) {
            about = model
                .item(item)
                .map(|i| (record.title.clone(), i.title.clone()));
        }
    }
    Ok(VisiblePost {
        post,
        author,
        relation,
        about,
    })
}
