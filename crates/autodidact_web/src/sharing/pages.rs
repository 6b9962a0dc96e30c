//! The profile's pages: the profile, its feed and site, following a learner, and the
//! settings. They translate requests to the core's sharing services and render the outcome.

use autodidact_core::accounts::Handle;
use autodidact_core::sharing::{
    ProfileError, answer_follow_request, compose, effective, load_profile_data,
    load_public_profile, profile_access, request_follow, save_follow_visibility as save_follow,
    save_profile_settings, stop_following,
};
use autodidact_core::store::{
    FollowId, JournalPost, ProfileSettings, Relation, Section, Visibility,
};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::feed::{FeedLinks, atom};
use super::site::{build_site, describe, zip_site};
use super::views::{
    FollowButton, FollowRow, Links, PersonRow, ProfilePage, SectionRow, SettingsPage, bio_html,
    profile_heatmap, sections, seen_as,
};
use super::{audience_words, visibility_choices};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, Viewer};
use crate::error::PageError;
use crate::memos;
use crate::page::{FieldErrors, Layout, capitalise};

pub(super) fn handle_of(raw: &str) -> Result<Handle, PageError> {
    Handle::parse(raw).map_err(|_| PageError::NotFound)
}

#[derive(Debug, Deserialize)]
pub struct AsQuery {
    #[serde(rename = "as")]
    as_: Option<String>,
}

/// The profile at `/@handle`, composed for the viewer (or, for its owner, as they ask).
pub async fn profile(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(handle): Path<String>,
    Query(query): Query<AsQuery>,
) -> Result<Response, PageError> {
    let handle = handle_of(&handle)?;
    let as_ = match query.as_.as_deref() {
        Some("stranger") => Some(Relation::Stranger),
        Some("follower") => Some(Relation::Follower),
        _ => None,
    };
    let store = state.store.as_ref();
    let me = viewer.as_ref().map(|w| &w.user);
    let access = profile_access(store, me, &handle, as_).await?;
    let now = Timestamp::now();
    // What the profile is made of is kept under its owner's data version; each viewer's page
    // is composed from it.
    let memo = &state.memos.profile;
    let looked = memos::look(memo, &access.owner, access.owner.today(now), || {
        load_profile_data(
            store,
            &state.curricula,
            &access.owner,
            access.settings.clone(),
            now,
        )
    })
    .await?;
    let profile = compose(&looked.view, access.relation).ok_or(PageError::NotFound)?;
    let owner = me.is_some_and(|u| u.id == profile.owner);
    let follow = match me {
        Some(u) if !owner => Some(match store.follow_request(u.id, profile.owner).await? {
            None => FollowButton::Ask,
            Some(r) if r.approved_at.is_none() => FollowButton::Pending,
            Some(_) => FollowButton::Following,
        }),
        _ => None,
    };
    let title = format!("{} (@{})", profile.display_name, profile.handle);
    let s = sections(&profile, &profile.zone, Links::Server);
    let base = state.config.base_url.trim_end_matches('/');
    let page = ProfilePage {
        layout: match &viewer {
            Some(who) => Layout::signed_in(title, who),
            None => Layout::bare(title),
        },
        handle: profile.handle.to_string(),
        display_name: profile.display_name.clone(),
        bio_html: bio_html(&profile.bio),
        owner,
        seen_as: seen_as(profile.relation),
        follow,
        og_url: format!("{base}/@{}", profile.handle),
        og_description: describe(&profile),
        feed: profile
            .listed
            .then(|| format!("/@{}/feed.xml", profile.handle)),
        progress: s.progress,
        finished: s.finished,
        heatmap: profile_heatmap(&profile),
        portfolio: s.portfolio,
        journal: s.journal,
        curricula: s.curricula,
        skills: s.skills,
    };
    // Only a public profile is for search engines; an unlisted one is for those given it.
    let robots = if profile.listed { "all" } else { "noindex" };
    let mut response = memos::render(&page, memo, &access.owner, looked)?;
    response.headers_mut().insert(
        axum::http::HeaderName::from_static("x-robots-tag"),
        axum::http::HeaderValue::from_static(robots),
    );
    Ok(response)
}

/// The Atom feed of a public profile: its public posts and finished items.
pub async fn feed(
    State(state): State<AppState>,
    Path(handle): Path<String>,
) -> Result<Response, PageError> {
    let handle = handle_of(&handle)?;
    let now = Timestamp::now();
    let profile = load_public_profile(state.store.as_ref(), &state.curricula, &handle, now)
        .await
        .map_err(|e| match e {
            ProfileError::NotPublic => PageError::NotFound,
            e => e.into(),
        })?;
    let base = state.config.base_url.trim_end_matches('/').to_owned();
    let post_base = base.clone();
    let post_link = move |p: &JournalPost| format!("{post_base}/journal/{}", p.id);
    let links = FeedLinks {
        home: format!("{base}/@{handle}"),
        post: &post_link,
        own: format!("{base}/@{handle}/feed.xml"),
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        atom(&profile, &links, now),
    )
        .into_response())
}

/// The learner's public profile as a static site, zipped.
pub async fn site_download(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, PageError> {
    let now = Timestamp::now();
    let user = &who.user;
    let profile =
        load_public_profile(state.store.as_ref(), &state.curricula, &user.handle, now).await?;
    let files = build_site(&profile, now).map_err(|e| PageError::Internal(e.to_string()))?;
    let zip = zip_site(&files).map_err(|e| PageError::Internal(e.to_string()))?;
    let name = format!("autodidact-site-{}-{}.zip", user.handle, user.today(now));
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        zip,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn follow(
    State(state): State<AppState>,
    who: SignedIn,
    Path(handle): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    let handle = handle_of(&handle)?;
    request_follow(state.store.as_ref(), &who.user, &handle, Timestamp::now()).await?;
    Ok(Redirect::to(&format!("/@{handle}")))
}

pub async fn unfollow(
    State(state): State<AppState>,
    who: SignedIn,
    Path(handle): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    let handle = handle_of(&handle)?;
    stop_following(state.store.as_ref(), &who.user, &handle).await?;
    Ok(Redirect::to(&format!("/@{handle}")))
}

async fn settings_view(
    state: &AppState,
    who: &SignedIn,
    settings: &ProfileSettings,
) -> Result<SettingsPage, PageError> {
    let store = state.store.as_ref();
    let user = &who.user;
    let mut follows = Vec::new();
    for f in store.follows_of(user.id).await? {
        let Some(record) = store.curriculum(f.curriculum).await? else {
            continue;
        };
        let shown = effective(settings, Section::Progress)
            .narrowest(f.visibility)
            .narrowest(record.visibility);
        follows.push(FollowRow {
            action: format!("/settings/profile/follows/{}", f.id.0),
            title: record.title,
            choices: visibility_choices(f.visibility),
            shown_to: audience_words(shown),
        });
    }
    let person = |handle: &Handle, approved: bool| PersonRow {
        handle: handle.to_string(),
        approved,
    };
    Ok(SettingsPage {
        layout: Layout::signed_in("Your profile", who),
        handle: user.handle.to_string(),
        bio: settings.bio.clone(),
        profile_choices: visibility_choices(settings.profile),
        sections: Section::ALL
            .into_iter()
            .map(|s| SectionRow {
                field: s.as_str(),
                label: section_label(s),
                choices: visibility_choices(settings.section(s)),
                shown_to: audience_words(effective(settings, s)),
                narrowed: effective(settings, s) != settings.section(s),
            })
            .collect(),
        crowd: settings.crowd,
        follows,
        followers: store
            .followers_of(user.id)
            .await?
            .iter()
            .map(|r| person(&r.follower_handle, r.approved_at.is_some()))
            .collect(),
        following: store
            .followed_by(user.id)
            .await?
            .iter()
            .map(|r| person(&r.followee_handle, r.approved_at.is_some()))
            .collect(),
        errors: FieldErrors::default(),
        notice: None,
    })
}

fn section_label(section: Section) -> &'static str {
    match section {
        Section::Progress => "Progress in the curricula you follow",
        Section::Heatmap => "Study days (the heatmap)",
        Section::Portfolio => "Portfolio: projects and practice with evidence",
        Section::Journal => "Journal",
        Section::Curricula => "Curricula you wrote or copied",
        Section::Skills => "Skills, each with its evidence",
    }
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    pub(super) saved: Option<String>,
}

pub async fn settings_page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Result<SettingsPage, PageError> {
    let settings = state.store.profile_settings(who.user.id).await?;
    let mut page = settings_view(&state, &who, &settings).await?;
    page.notice = query
        .saved
        .is_some()
        .then(|| "Saved. See your profile as a stranger to check what others see.".to_owned());
    Ok(page)
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    bio: String,
    profile: String,
    progress: String,
    heatmap: String,
    portfolio: String,
    journal: String,
    curricula: String,
    skills: String,
    crowd: Option<String>,
}

pub(super) fn visibility_field(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
) -> Option<Visibility> {
    let parsed = Visibility::parse(raw);
    if parsed.is_none() {
        errors.add(
            field,
            format!("“{raw}” is not a choice: pick private, followers, unlisted or public."),
        );
    }
    parsed
}

pub async fn save_settings(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let mut settings = ProfileSettings::default();
    settings.bio.clone_from(&form.bio);
    settings.crowd = form.crowd.is_some();
    if let Some(v) = visibility_field(&mut errors, "profile", &form.profile) {
        settings.profile = v;
    }
    for (section, raw) in [
        (Section::Progress, &form.progress),
        (Section::Heatmap, &form.heatmap),
        (Section::Portfolio, &form.portfolio),
        (Section::Journal, &form.journal),
        (Section::Curricula, &form.curricula),
        (Section::Skills, &form.skills),
    ] {
        if let Some(v) = visibility_field(&mut errors, section.as_str(), raw) {
            settings.set_section(section, v);
        }
    }
    if errors.is_empty() {
        match save_profile_settings(state.store.as_ref(), &who.user, &settings, Timestamp::now())
            .await
        {
            Ok(()) => return Ok(Redirect::to("/settings/profile?saved=1").into_response()),
            Err(e @ ProfileError::BioTooLong { .. }) => {
                errors.add("bio", capitalise(&e.to_string()));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut page = settings_view(&state, &who, &settings).await?;
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Deserialize)]
pub struct VisibilityForm {
    visibility: String,
}

pub async fn save_follow_visibility(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<VisibilityForm>,
) -> Result<Redirect, PageError> {
    let id = id.parse::<i64>().map_err(|_| PageError::NotFound)?;
    let visibility = Visibility::parse(&form.visibility).ok_or_else(|| {
        PageError::BadRequest("Pick private, followers, unlisted or public.".to_owned())
    })?;
    save_follow(
        state.store.as_ref(),
        &who.user,
        FollowId(id),
        visibility,
        Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to("/settings/profile?saved=1"))
}

pub async fn approve(
    State(state): State<AppState>,
    who: SignedIn,
    Path(handle): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    answer(&state, &who, &handle, true).await
}

pub async fn remove_follower(
    State(state): State<AppState>,
    who: SignedIn,
    Path(handle): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    answer(&state, &who, &handle, false).await
}

/// Approves a request to follow, or declines it (or removes a follower).
async fn answer(
    state: &AppState,
    who: &SignedIn,
    handle: &str,
    approve: bool,
) -> Result<Redirect, PageError> {
    let handle = handle_of(handle)?;
    let store = state.store.as_ref();
    answer_follow_request(store, &who.user, &handle, approve, Timestamp::now()).await?;
    Ok(Redirect::to("/settings/profile"))
}
