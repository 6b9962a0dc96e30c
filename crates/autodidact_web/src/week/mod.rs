//! The weekly summary: `GET /week` (the week holding today) and `GET /week?start=YYYY-MM-DD`
//! (the week holding that day, moved back to the learner's week start), with links to the
//! weeks before and after. The figures come from `autodidact_core::insight::summary`; the page
//! prints cleanly (navigation, the quick-log form and buttons are left out on paper).

mod page;

use axum::Router;
use axum::routing::get;
use jiff::civil::Date;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/week", get(page::show))
}

/// A day as people say it: `Sat 28 Nov`, with the year when it is not this year's.
pub fn day_label(day: Date, today: Date) -> String {
    if day.year() == today.year() {
        day.strftime("%a %-d %b").to_string()
    } else {
        day.strftime("%a %-d %b %Y").to_string()
    }
}
