//! The journal's pages: the learner's list and form, a post at its address, editing and
//! deleting. They translate forms to the core's journal services.

use autodidact_core::curriculum::ItemId;
use autodidact_core::sharing::{
    JournalError, JournalInput, delete_post as remove_post, edit_post, effective, own_post,
    visible_post, write_post,
};
use autodidact_core::store::{
    FollowId, JournalPost, JournalPostId, Relation, Section, User, Visibility,
};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::pages::{Empty, SavedQuery, visibility_field};
use super::views::{AboutGroup, EditPage, JournalPage, PostForm, PostPage, PostRow};
use super::{audience_words, journal_field, visibility_choices};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, Viewer};
use crate::curricula::Choice;
use crate::error::PageError;
use crate::page::{FieldErrors, Layout, capitalise};

/// The items of the learner's follows, to say what a post is about.
async fn about_groups(
    state: &AppState,
    user: &User,
    current: Option<&(FollowId, ItemId)>,
) -> Result<Vec<AboutGroup>, PageError> {
    let store = state.store.as_ref();
    let mut groups = Vec::new();
    for f in store.follows_of(user.id).await? {
        let Some(record) = store.curriculum(f.curriculum).await? else {
            continue;
        };
        let Some(curriculum) = state.curricula.parse(&record) else {
            continue;
        };
        groups.push(AboutGroup {
            title: record.title.clone(),
            options: curriculum
                .items()
                .map(|item| Choice {
                    value: format!("{}:{}", f.id.0, item.id.as_str()),
                    label: item.title.clone(),
                    selected: current.is_some_and(|(cf, ci)| *cf == f.id && *ci == item.id),
                })
                .collect(),
        });
    }
    Ok(groups)
}

async fn post_form(
    state: &AppState,
    user: &User,
    action: String,
    post: Option<&JournalPost>,
) -> Result<PostForm, PageError> {
    let settings = state.store.profile_settings(user.id).await?;
    Ok(PostForm {
        action,
        title: post.map(|p| p.title.clone()).unwrap_or_default(),
        body: post.map(|p| p.body.clone()).unwrap_or_default(),
        about: about_groups(state, user, post.and_then(|p| p.about.as_ref())).await?,
        visibilities: visibility_choices(post.map_or(Visibility::Private, |p| p.visibility)),
        journal_shown_to: audience_words(effective(&settings, Section::Journal)),
        errors: FieldErrors::default(),
    })
}

async fn journal_view(state: &AppState, who: &SignedIn) -> Result<JournalPage, PageError> {
    let user = &who.user;
    let posts = state.store.journal_of(user.id).await?;
    Ok(JournalPage {
        layout: Layout::signed_in("Your journal", who),
        handle: user.handle.to_string(),
        posts: posts
            .iter()
            .map(|p| PostRow::new(p, &user.settings.timezone))
            .collect(),
        form: post_form(state, user, "/journal".to_owned(), None).await?,
        notice: None,
    })
}

pub async fn journal_page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Result<JournalPage, PageError> {
    let mut page = journal_view(&state, &who).await?;
    page.notice = match query.saved.as_deref() {
        Some("deleted") => Some("The post is deleted.".to_owned()),
        _ => None,
    };
    Ok(page)
}

#[derive(Debug, Deserialize)]
pub struct PostFormData {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    about: String,
    visibility: String,
}

impl PostFormData {
    /// The form as the service's input; what does not parse is a field error.
    fn input(&self, errors: &mut FieldErrors) -> Option<JournalInput> {
        let about = match self.about.split_once(':') {
            _ if self.about.is_empty() => None,
            Some((follow, item)) => match (follow.parse::<i64>(), ItemId::parse(item)) {
                (Ok(f), Ok(i)) => Some((FollowId(f), i)),
                _ => {
                    errors.add("about", "Pick an item from the list.");
                    None
                }
            },
            None => {
                errors.add("about", "Pick an item from the list.");
                None
            }
        };
        let visibility = visibility_field(errors, "visibility", &self.visibility);
        errors.is_empty().then(|| JournalInput {
            title: self.title.clone(),
            body: self.body.clone(),
            about,
            visibility: visibility.unwrap_or_default(),
        })
    }

    fn fill(&self, form: &mut PostForm) {
        form.title.clone_from(&self.title);
        form.body.clone_from(&self.body);
        for g in &mut form.about {
            for o in &mut g.options {
                o.selected = o.value == self.about;
            }
        }
        for v in &mut form.visibilities {
            v.selected = v.value == self.visibility;
        }
    }
}

pub async fn write(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<PostFormData>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    if let Some(input) = form.input(&mut errors) {
        let now = Timestamp::now();
        match write_post(
            state.store.as_ref(),
            &state.curricula,
            &who.user,
            input,
            now,
        )
        .await
        {
            Ok(post) => return Ok(Redirect::to(&format!("/journal/{}", post.id)).into_response()),
            Err(e @ (JournalError::Store(_) | JournalError::Throttled(_))) => return Err(e.into()),
            Err(e) => errors.add(journal_field(&e), capitalise(&e.to_string())),
        }
    }
    let mut page = journal_view(&state, &who).await?;
    form.fill(&mut page.form);
    page.form.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn post_id(raw: &str) -> Result<JournalPostId, PageError> {
    raw.parse::<i64>()
        .map(JournalPostId)
        .map_err(|_| PageError::NotFound)
}

/// A post at its address, for anyone it is shown to.
pub async fn post_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = post_id(&id)?;
    let store = state.store.as_ref();
    let me = viewer.as_ref().map(|w| &w.user);
    let shown = visible_post(store, &state.curricula, me, id).await?;
    let (post, author) = (&shown.post, &shown.author);
    let is_author = shown.relation == Relation::Owner;
    let zone = &author.settings.timezone;
    let page = PostPage {
        layout: match &viewer {
            Some(who) => Layout::signed_in(post.title.clone(), who),
            None => Layout::bare(post.title.clone()),
        },
        title: post.title.clone(),
        body_html: crate::markdown::render(&post.body),
        handle: author.handle.to_string(),
        display_name: author.display_name.clone(),
        date: zone.date_of(post.created_at).to_string(),
        about: shown
            .about
            .as_ref()
            .map(|(curriculum, item)| format!("About “{item}” in {curriculum}")),
        author: is_author,
        edit_url: format!("/journal/{}/edit", post.id),
        visibility: super::visibility_label(post.visibility),
    };
    let robots = if post.visibility == Visibility::Public {
        "all"
    } else {
        "noindex"
    };
    Ok((
        [(header::HeaderName::from_static("x-robots-tag"), robots)],
        page,
    )
        .into_response())
}

pub async fn edit_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<EditPage, PageError> {
    let id = post_id(&id)?;
    let post = own_post(state.store.as_ref(), &who.user, id).await?;
    Ok(EditPage {
        layout: Layout::signed_in(format!("Edit “{}”", post.title), &who),
        form: post_form(
            &state,
            &who.user,
            format!("/journal/{id}/edit"),
            Some(&post),
        )
        .await?,
        delete_action: format!("/journal/{id}/delete"),
    })
}

pub async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<PostFormData>,
) -> Result<Response, PageError> {
    let id = post_id(&id)?;
    let post = own_post(state.store.as_ref(), &who.user, id).await?;
    let mut errors = FieldErrors::default();
    if let Some(input) = form.input(&mut errors) {
        let now = Timestamp::now();
        match edit_post(
            state.store.as_ref(),
            &state.curricula,
            &who.user,
            id,
            input,
            now,
        )
        .await
        {
            Ok(()) => return Ok(Redirect::to(&format!("/journal/{id}")).into_response()),
            Err(
                e @ (JournalError::Store(_) | JournalError::Throttled(_) | JournalError::NotFound),
            ) => {
                return Err(e.into());
            }
            Err(e) => errors.add(journal_field(&e), capitalise(&e.to_string())),
        }
    }
    let mut form_view = post_form(
        &state,
        &who.user,
        format!("/journal/{id}/edit"),
        Some(&post),
    )
    .await?;
    form.fill(&mut form_view);
    form_view.errors = errors;
    let page = EditPage {
        layout: Layout::signed_in(format!("Edit “{}”", post.title), &who),
        form: form_view,
        delete_action: format!("/journal/{id}/delete"),
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Redirect, PageError> {
    let id = post_id(&id)?;
    remove_post(state.store.as_ref(), &who.user, id).await?;
    Ok(Redirect::to("/journal?saved=deleted"))
}
