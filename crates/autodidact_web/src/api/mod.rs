//! The JSON API under `/api/v1`, over the same store calls and rules as the pages, and its
//! OpenAPI 3.1 document at `/api/openapi.json`.
//!
//! Every request carries a personal access token (`Authorization: Bearer …`, made on
//! `/settings/tokens`); a read-only token may only read. There is no cookie, so no CSRF check:
//! the router is merged outside the pages' origin middleware.
//!
//! The routes and the document come from one list, [`documented`]: each handler is registered
//! through utoipa-axum's `routes!`, which adds its `#[utoipa::path]` to the document as it adds
//! the route, so the two cannot drift. The only other routes are the document itself and the
//! JSON fallbacks for unknown paths and methods.

mod board;
mod curricula;
pub(crate) mod dto;
pub(crate) mod extract;
mod follows;
mod logs;
mod reads;
mod record;
mod timer;

use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use dto::{ErrorBody, ErrorDetail};

pub const DOCUMENT_PATH: &str = "/api/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Autodidact API",
        description = "Everything a learner does in the browser: curricula, follows and their plans, the board, study logs, reviews, commitments, the week and the figures, and the takeout. Ids are strings. Authenticate with a personal access token from /settings/tokens, sent as `Authorization: Bearer <token>`. Errors are always `{\"error\": {\"code\", \"message\"}}`, and the message says what to fix."
    ),
    modifiers(&BearerToken),
    security(("token" = [])),
    tags(
        (name = "account", description = "Who the token acts for"),
        (name = "curricula", description = "Curricula: your own, and others' unlisted or public ones"),
        (name = "follows", description = "The curricula you follow, with their plans' settings"),
        (name = "logs", description = "Study time"),
        (name = "board", description = "Each item's status, notes and evidence"),
        (name = "reviews", description = "Spaced review of finished items"),
        (name = "commitments", description = "The weekly commitment, and its record"),
        (name = "insight", description = "The week's summary and the learner's figures"),
        (name = "sharing", description = "Profiles as you may see them, your profile's settings, and your journal"),
        (name = "crowd", description = "What other learners found of an item: crowd hours, whether finishers went on, reviews; and your own reviews"),
    )
)]
struct ApiDoc;

/// The bearer-token scheme every operation requires.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.description = Some("A personal access token from /settings/tokens.".to_owned());
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("token", SecurityScheme::Http(scheme));
    }
}

/// Every API route, each with its documentation.
pub fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(reads::me))
        .routes(routes!(reads::list_curricula, curricula::create))
        .routes(routes!(
            reads::get_curriculum,
            curricula::update,
            curricula::delete
        ))
        .routes(routes!(curricula::fork))
        .routes(routes!(reads::get_import_report))
        .routes(routes!(reads::list_follows, follows::create))
        .routes(routes!(follows::update, follows::delete))
        .routes(routes!(follows::plan))
        .routes(routes!(board::show))
        .routes(routes!(board::update))
        .routes(routes!(board::evidence))
        .routes(routes!(board::delete_evidence))
        .routes(routes!(board::mark, board::stop))
        .routes(routes!(board::grade))
        .routes(routes!(board::list))
        .routes(routes!(record::commitments, record::commit))
        .routes(routes!(record::week))
        .routes(routes!(record::insight))
        .routes(routes!(logs::list, logs::create))
        .routes(routes!(logs::show, logs::update, logs::delete))
        .routes(routes!(timer::show, timer::start, timer::discard))
        .routes(routes!(timer::stop))
        .routes(routes!(crate::account::api::takeout))
        .routes(routes!(crate::sharing::api::get_profile))
        .routes(routes!(
            crate::sharing::api::get_settings,
            crate::sharing::api::put_settings
        ))
        .routes(routes!(
            crate::sharing::api::list_posts,
            crate::sharing::api::create_post
        ))
        .routes(routes!(
            crate::sharing::api::get_post,
            crate::sharing::api::update_post,
            crate::sharing::api::delete_one
        ))
        .routes(routes!(crate::explore::api::list))
        .routes(routes!(
            crate::upstream::api::preview,
            crate::upstream::api::accept
        ))
        .routes(routes!(crate::crowd::api::show))
        .routes(routes!(crate::crowd::api::put, crate::crowd::api::delete))
}

/// The API's router: the documented routes, the document, and JSON answers for anything else
/// under `/api`.
pub fn routes() -> Router<AppState> {
    let (router, document) = documented().split_for_parts();
    let json: Arc<str> = match document.to_pretty_json() {
        Ok(json) => json.into(),
        Err(e) => {
            tracing::error!(cause = %e, "the OpenAPI document does not serialise");
            "{}".into()
        }
    };
    router
        .route(
            DOCUMENT_PATH,
            get(move || {
                let json = Arc::clone(&json);
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        json.to_string(),
                    )
                }
            }),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .route("/api", any(no_such_endpoint))
        .route("/api/{*rest}", any(no_such_endpoint))
}

async fn no_such_endpoint() -> Response {
    router_error(
        StatusCode::NOT_FOUND,
        "not_found",
        "there is no such endpoint: the API's routes are listed in /api/openapi.json",
    )
}

async fn method_not_allowed() -> Response {
    router_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take this method: see /api/openapi.json",
    )
}

/// The error shape for the two answers the router gives before any handler runs, which
/// [`ApiError`](crate::error::ApiError) has no variant for (an unknown path says so rather than "not yours").
fn router_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_owned(),
            message: message.to_owned(),
        },
    };
    (status, axum::Json(body)).into_response()
}
