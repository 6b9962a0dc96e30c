//! Explore: public curricula, searched, filtered and sorted, open to anyone.
//!
//! The use case is the core's (`autodidact_core::explore`): `pages` reads the query and renders
//! a page of it with the shipped templates beside it, `api` gives the same page as JSON, and
//! `views` holds the template's types. Only public curricula are ever listed.

pub(crate) mod api;
mod pages;
mod views;

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/explore", get(pages::explore_page))
}
