//! The front page: a landing page for visitors, Today for learners; and the dashboard.

use std::sync::LazyLock;

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::templates;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::cookie::CookieJar;

use crate::app::AppState;
use crate::auth::Viewer;
use crate::auth::csrf::anonymous_token;
use crate::error::PageError;
use crate::page::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(front))
        .route("/dashboard", get(dashboard))
}

/// A shipped curriculum as the landing page and an empty dashboard show it.
#[derive(Debug, Clone)]
pub struct TemplateCard {
    pub id: &'static str,
    pub title: String,
    pub items: usize,
    pub hours: String,
    pub weekly: String,
}

/// The shipped curricula are compiled in, so their cards are the same for the life of the
/// process: parsed once, on first use, rather than on every page.
static TEMPLATE_CARDS: LazyLock<Vec<TemplateCard>> = LazyLock::new(|| {
    templates::all()
        .iter()
        .filter_map(|t| {
            let c = t.curriculum().ok()?;
            Some(TemplateCard {
                id: t.id,
                title: c.title.clone(),
                items: c.items().count(),
                hours: format!("{:.0}", c.total_planned().hours()),
                weekly: c.hours_per_week.map_or_else(
                    || "any pace".to_owned(),
                    |w| format!("{:.0} h a week", w.hours()),
                ),
            })
        })
        .collect()
});

/// The shipped curricula, as cards.
pub fn template_cards() -> Vec<TemplateCard> {
    TEMPLATE_CARDS.clone()
}

#[derive(Template, WebTemplate)]
#[template(path = "landing.html")]
struct Landing {
    layout: Layout,
    templates: Vec<TemplateCard>,
}

async fn front(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    jar: CookieJar,
) -> Result<Response, PageError> {
    match viewer {
        Some(who) => crate::today::page(&state, &who).await,
        None => {
            let (jar, csrf) = anonymous_token(jar, state.config.secure_cookies());
            let page = Landing {
                layout: Layout::anonymous("Your own degree", csrf),
                templates: template_cards(),
            };
            Ok((jar, page).into_response())
        }
    }
}

async fn dashboard(
    State(state): State<AppState>,
    who: crate::auth::SignedIn,
) -> Result<Response, PageError> {
    crate::dashboard::page(&state, &who).await
}

pub async fn not_found() -> PageError {
    PageError::NotFound
}
