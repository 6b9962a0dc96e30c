//! A shipped curriculum before it is copied: `/templates/{id}` shows its phases, items and hours,
//! and "Use this template" makes the learner's own copy (`POST /curricula/from-template`). Open
//! to anyone: the templates are public, and the landing page offers them to visitors.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curriculum::{Curriculum, Mode};
use autodidact_core::templates;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use crate::app::AppState;
use crate::auth::Viewer;
use crate::auth::csrf::anonymous_token;
use crate::error::PageError;
use crate::markdown;
use crate::page::Layout;

struct ItemRow {
    title: String,
    url: Option<String>,
    kind: &'static str,
    making: bool,
    hours: String,
}

struct PhaseBlock {
    title: String,
    /// Rendered, sanitised Markdown.
    description: String,
    hours: String,
    items: Vec<ItemRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "curricula/preview.html")]
pub struct PreviewPage {
    layout: Layout,
    id: &'static str,
    title: String,
    author: String,
    description: String,
    items: usize,
    hours: String,
    weekly: Option<String>,
    /// Weeks at the suggested hours, when the curriculum suggests some.
    weeks: Option<u32>,
    phases: Vec<PhaseBlock>,
    signed_in: bool,
}

pub async fn page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let template = templates::find(&id).ok_or(PageError::NotFound)?;
    let curriculum = template.curriculum().map_err(|_| {
        PageError::Internal(format!("shipped template {} does not read", template.id))
    })?;
    let title = format!("Preview: {}", curriculum.title);
    match viewer {
        Some(who) => {
            let layout = Layout::signed_in(title, &who);
            Ok(PreviewPage::new(layout, template.id, &curriculum, true).into_response())
        }
        None => {
            let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
            let layout = Layout::anonymous(title, csrf);
            Ok((
                jar,
                PreviewPage::new(layout, template.id, &curriculum, false),
            )
                .into_response())
        }
    }
}

impl PreviewPage {
    fn new(layout: Layout, id: &'static str, c: &Curriculum, signed_in: bool) -> Self {
        let weekly = c.hours_per_week;
        let total = c.total_planned();
        Self {
            layout,
            id,
            title: c.title.clone(),
            author: c.author.clone(),
            description: markdown::render(&c.description),
            items: c.items().count(),
            hours: total.to_string(),
            weekly: weekly.map(|w| w.to_string()),
            weeks: weekly
                .filter(|w| !w.is_zero())
                .map(|w| total.get().div_ceil(w.get())),
            phases: c
                .phases
                .iter()
                .map(|p| PhaseBlock {
                    title: p.title.clone(),
                    description: markdown::render(&p.description),
                    hours: p
                        .items
                        .iter()
                        .map(|i| i.planned(weekly))
                        .sum::<autodidact_core::curriculum::Minutes>()
                        .to_string(),
                    items: p
                        .items
                        .iter()
                        .map(|i| ItemRow {
                            title: i.title.clone(),
                            url: i.url.clone(),
                            kind: i.kind.as_str(),
                            making: i.mode() == Mode::Making,
                            hours: i.planned(weekly).to_string(),
                        })
                        .collect(),
                })
                .collect(),
            signed_in,
        }
    }
}
