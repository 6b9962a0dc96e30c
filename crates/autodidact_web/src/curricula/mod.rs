//! Curricula in the browser: the learner's list, the ways to start one (from scratch, from a
//! shipped template, from an uploaded file, as a copy), the curriculum's page, its editor and
//! its downloads.
//!
//! Who may do what is decided by [`access`] for every route: viewing follows the curriculum's
//! visibility, changing is for its owner, and every refusal is a 404. Every change goes through
//! the core's `validate`, the same rules as `autodidact check`, before it is stored.

mod access;
pub(crate) use access::parse_id;
mod changes;
mod edit;
mod forms;
mod hours;
mod items;
mod preview;
mod update;
pub(crate) mod upload;
pub(crate) mod view;

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::accounts::Zone;
use autodidact_core::curricula::fork_curriculum;
use autodidact_core::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Location, Minutes, Phase,
    write_toml,
};
use autodidact_core::store::{CurriculumRecord, Lineage, NewCurriculum, Visibility};
use autodidact_core::templates;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{SignedIn, Viewer};
use crate::error::PageError;
use crate::home::{TemplateCard, template_cards};
use crate::page::{FieldErrors, Layout, local_time};

use self::access::{page_url, parse_source};
use self::forms::{FormErrors, check, hours_number};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/curricula", get(list))
        .route("/curricula/new", get(to_list).post(create))
        .route("/curricula/from-template", get(to_list).post(from_template))
        .route("/templates/{id}", get(preview::page))
        .route(
            "/curricula/import",
            get(to_list)
                .post(upload::import)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/curricula/{id}", get(view::page))
        .route("/curricula/{id}/hours", get(hours::page).post(hours::save))
        .route(
            "/curricula/{id}/update",
            get(update::page)
                .post(update::compare)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/curricula/{id}/update/apply", post(update::apply))
        .route("/curricula/{id}/fork", post(fork))
        .route("/curricula/{id}/download.toml", get(view::download_toml))
        .route("/curricula/{id}/download.md", get(view::download_markdown))
        .merge(edit::routes())
        .merge(items::routes())
}

/// `{id}` in a URL, kept as text so that a non-number is a 404 rather than a 400.
#[derive(Debug, Deserialize)]
pub struct IdPath {
    pub id: String,
}

// ---------------------------------------------------------------------------------------------
// The list, and the forms to start a curriculum

struct Row {
    url: String,
    title: String,
    items: String,
    hours: String,
    visibility: &'static str,
    updated: String,
}

/// One option of a `<select>`.
#[derive(Debug)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "curricula/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    templates: Vec<TemplateCard>,
    new_title: String,
    formats: Vec<Choice>,
    upload_limit: String,
    errors: FieldErrors,
    /// An import that would duplicate this curriculum of the learner's: its title and page.
    duplicate: Option<(String, String)>,
}

impl ListPage {
    async fn load(state: &AppState, who: &SignedIn) -> Result<Self, PageError> {
        let zone = &who.user.settings.timezone;
        let rows = state
            .store
            .curricula_of(who.user.id)
            .await?
            .iter()
            .map(|record| row(state, record, zone))
            .collect();
        Ok(Self {
            layout: Layout::signed_in("Your curricula", who),
            rows,
            templates: template_cards(),
            new_title: String::new(),
            formats: upload::format_choices(""),
            upload_limit: upload::limit_words(&state.config),
            errors: FieldErrors::default(),
            duplicate: None,
        })
    }
}

fn row(state: &AppState, record: &CurriculumRecord, zone: &Zone) -> Row {
    let parsed = parse_source(state, record).ok();
    Row {
        url: page_url(record.id),
        title: record.title.clone(),
        items: parsed
            .as_ref()
            .map_or_else(|| "?".to_owned(), |c| c.items().count().to_string()),
        hours: parsed.as_ref().map_or_else(
            || "?".to_owned(),
            |c| format!("{} h", hours_number(c.total_planned())),
        ),
        visibility: crate::sharing::visibility_label(record.visibility),
        updated: local_time(record.updated_at, zone),
    }
}

async fn list(State(state): State<AppState>, who: SignedIn) -> Result<ListPage, PageError> {
    ListPage::load(&state, &who).await
}

/// The forms to start a curriculum post here; typed in as an address, they lead to the list.
async fn to_list() -> Redirect {
    Redirect::to("/curricula")
}

async fn store_new(
    state: &AppState,
    who: &SignedIn,
    curriculum: &Curriculum,
    source: String,
    lineage: Lineage,
) -> Result<Response, PageError> {
    let record = state
        .store
        .create_curriculum(NewCurriculum {
            owner: who.user.id,
            title: curriculum.title.clone(),
            visibility: Visibility::Private,
            source,
            lineage,
            now: Timestamp::now(),
        })
        .await?;
    Ok(Redirect::to(&page_url(record.id)).into_response())
}

#[derive(Debug, Deserialize)]
struct NewForm {
    #[serde(default)]
    title: String,
}

/// A curriculum must hold an item, so a new one starts with a placeholder to edit.
fn starter(title: &str) -> Curriculum {
    let item = Item {
        id: ItemId::from_title("first item"),
        kind: ItemKind::Other,
        title: "Your first item: edit me".to_owned(),
        url: None,
        effort: Effort::Hours(Minutes::from_hours(1)),
        estimate_source: EstimateSource::Guess,
        skills: Vec::new(),
        requires: Vec::new(),
        mode_override: None,
        notes: String::new(),
        due: None,
    };
    Curriculum {
        title: title.trim().to_owned(),
        description: String::new(),
        author: String::new(),
        hours_per_week: None,
        phases: vec![Phase {
            title: "Phase 1".to_owned(),
            description: String::new(),
            items: vec![item],
        }],
    }
}

async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<NewForm>,
) -> Result<Response, PageError> {
    let placed = check(starter(&form.title), |p| {
        matches!(p.at, Location::Curriculum { .. }).then_some("title")
    });
    match placed {
        Ok(curriculum) => {
            let source = write_toml(&curriculum);
            store_new(&state, &who, &curriculum, source, Lineage::Original).await
        }
        Err(FormErrors { fields, .. }) => {
            let mut page = ListPage::load(&state, &who).await?;
            page.new_title = form.title;
            page.errors = fields;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
struct TemplateForm {
    #[serde(default)]
    template: String,
}

async fn from_template(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<TemplateForm>,
) -> Result<Response, PageError> {
    let template = templates::find(&form.template).ok_or(PageError::NotFound)?;
    let curriculum = template.curriculum().map_err(|_| {
        PageError::Internal(format!("shipped template {} does not read", template.id))
    })?;
    let lineage = Lineage::Template {
        id: template.id.to_owned(),
    };
    store_new(
        &state,
        &who,
        &curriculum,
        template.source.to_owned(),
        lineage,
    )
    .await
}

/// A private copy for anyone who may see the curriculum, linked to it: "forked from".
async fn fork(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let who = viewer.ok_or(PageError::NotFound)?;
    let id = self::access::parse_id(&path.id)?;
    let copy = fork_curriculum(state.store.as_ref(), &who.user, id, Timestamp::now()).await?;
    Ok(Redirect::to(&page_url(copy.id)).into_response())
}
