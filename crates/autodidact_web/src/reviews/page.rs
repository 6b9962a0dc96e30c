//! `GET /reviews`: what is due (with the four grades), what comes next, and each item's
//! history.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::review::Grade;
use autodidact_core::store::ReviewEvent;
use axum::extract::State;
use jiff::Timestamp;

use super::{Placed, ReviewBook, grade_url, item_url};
use crate::app::AppState;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::insight::words::day_words;
use crate::page::Layout;

/// One graded review, as a line of history.
pub struct HistoryRow {
    pub grade: &'static str,
    pub day: String,
}

/// A marked item on the page.
pub struct ReviewRow {
    /// `review-<follow>-<item>`, for the row's id.
    pub anchor: String,
    pub title: String,
    pub curriculum: String,
    pub url: String,
    pub grade_url: String,
    /// The day it is placed on.
    pub on: String,
    /// Whether it was due before today (left over from earlier).
    pub late: bool,
    /// The current interval, in days.
    pub interval: Option<i64>,
    pub history: Vec<HistoryRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews/list.html")]
pub struct ReviewsPage {
    layout: Layout,
    due: Vec<ReviewRow>,
    upcoming: Vec<ReviewRow>,
    grades: [(&'static str, &'static str); 4],
}

/// The grade buttons: value and the words on the button.
fn grades() -> [(&'static str, &'static str); 4] {
    Grade::ALL.map(|g| {
        let words = match g {
            Grade::Again => "Again: forgotten",
            Grade::Hard => "Hard",
            Grade::Good => "Good",
            Grade::Easy => "Easy",
        };
        (g.as_str(), words)
    })
}

/// A stored grade in the history: one of the four, whatever is stored.
fn row(p: &Placed, events: Vec<ReviewEvent>, today: jiff::civil::Date) -> ReviewRow {
    ReviewRow {
        anchor: format!("review-{}-{}", p.follow.0, p.item.as_str()),
        title: p.title.clone(),
        curriculum: p.curriculum.clone(),
        url: item_url(p.follow, &p.item),
        grade_url: grade_url(p.follow, &p.item),
        on: day_words(p.on, today),
        late: p.record.due < today,
        interval: p.state.as_ref().map(|s| s.interval_days()),
        history: events
            .iter()
            .map(|e| HistoryRow {
                grade: e.grade.as_str(),
                day: day_words(e.day, today),
            })
            .collect(),
    }
}

pub async fn show(State(state): State<AppState>, who: SignedIn) -> Result<ReviewsPage, PageError> {
    let today = who.user.today(Timestamp::now());
    let book = ReviewBook::load(&state, who.user.id, today).await?;
    let mut due = Vec::new();
    let mut upcoming = Vec::new();
    for p in &book.placed {
        let events = state.store.review_events(p.follow, &p.item).await?;
        let r = row(p, events, today);
        if p.on <= today {
            due.push(r);
        } else {
            upcoming.push(r);
        }
    }
    Ok(ReviewsPage {
        layout: Layout::signed_in("Reviews", &who),
        due,
        upcoming,
        grades: grades(),
    })
}
