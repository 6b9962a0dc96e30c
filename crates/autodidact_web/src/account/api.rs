//! The takeout over the JSON API: the same document as the settings page's download.

use autodidact_core::takeout::{Takeout, export_account};
use axum::Json;
use axum::extract::State;
use jiff::Timestamp;

use crate::api::dto::ErrorBody;
use crate::api::extract::TokenUser;
use crate::app::AppState;
use crate::error::ApiError;

/// Everything the learner owns, as one document (docs/takeout.md), read at one moment.
#[utoipa::path(
    get,
    path = "/api/v1/takeout",
    operation_id = "getTakeout",
    tag = "account",
    responses(
        (status = 200, description = "The takeout document", content_type = "application/json"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn takeout(
    State(state): State<AppState>,
    who: TokenUser,
) -> Result<Json<Takeout>, ApiError> {
    export_account(state.store.as_ref(), who.user.id, Timestamp::now())
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
