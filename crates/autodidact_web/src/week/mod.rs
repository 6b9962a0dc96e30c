//! The weekly summary: `GET /week` (the week holding today) and `GET /week?start=YYYY-MM-DD`
//! (the week holding that day, moved back to the learner's week start), with links to the
//! weeks before and after. The figures come from `autodidact_core::insight::summary`; the page
//! prints cleanly (navigation, the quick-log form and buttons are left out on paper).

mod page;

use axum::Router;
use axum::routing::get;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/week", get(page::show))
}
