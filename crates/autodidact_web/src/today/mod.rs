//! Today, the landing page once signed in: what to do today and this week from each follow's
//! rolling plan, the item in progress, and one-click logging and timing. The figures come from
//! `core::today::load_today`; this module only shows them.

use askama::Template;
use autodidact_core::curriculum::Minutes;
use autodidact_core::today::{FollowToday, TodayWork, load_today};
use jiff::Timestamp;

use crate::app::AppState;
use crate::auth::{SignedIn, random_token};
use crate::error::PageError;
use crate::insight::words::{day_words, hours_about};
use crate::memos::{look, render};
use crate::page::{Layout, capitalise};
use axum::response::Response;

struct WorkRow {
    /// `{follow}:{item}`, as the log and timer forms take it.
    target: String,
    url: String,
    title: String,
    planned: String,
    /// The planned minutes, as shown, as the log form's duration (`90` for 86 planned).
    planned_minutes: u32,
    status: &'static str,
    /// `45 min today`, when something was logged on it today.
    logged_today: Option<String>,
    /// `3 h of 10 h`.
    progress: String,
    /// Fresh idempotency keys for the two one-click logs, so a double click logs once.
    log_key: String,
    done_key: String,
}

impl WorkRow {
    fn new(follow: i64, w: &TodayWork) -> Self {
        Self {
            target: format!("{follow}:{}", w.item),
            url: format!("/follows/{follow}/items/{}", w.item),
            title: w.title.clone(),
            planned: w.minutes.to_string(),
            // What the button says is what it logs: the plan's minutes as they are shown.
            planned_minutes: w.minutes.shown().get(),
            status: w.status.as_str(),
            logged_today: (!w.logged_today.is_zero()).then(|| format!("{} today", w.logged_today)),
            progress: format!("{} of {}", w.logged, w.estimate),
            log_key: random_token(),
            done_key: random_token(),
        }
    }
}

struct FollowCard {
    id: i64,
    title: String,
    today: Vec<WorkRow>,
    later: Vec<WorkRow>,
    current: Option<WorkRow>,
    /// `You are 12 h behind the plan you accepted.`
    behind: Option<String>,
    /// `At these hours you finish on 2 April.`
    end: Option<String>,
    end_date: Option<String>,
    /// Why there is nothing today.
    empty: Option<String>,
}

#[derive(Template)]
#[template(path = "today.html")]
pub struct TodayPage {
    layout: Layout,
    date: String,
    logged_today: String,
    follows: Vec<FollowCard>,
    timer_running: bool,
}

pub async fn page(state: &AppState, who: &SignedIn) -> Result<Response, PageError> {
    let now = Timestamp::now();
    let user = &who.user;
    let memo = &state.memos.today;
    let looked = look(memo, user, user.today(now), || {
        load_today(state.store.as_ref(), &state.curricula, user, now)
    })
    .await?;
    let today = &looked.view;
    let date = today.date;
    let follows: Vec<FollowCard> = today.follows.iter().map(|f| card(f, date)).collect();
    let page = TodayPage {
        layout: Layout::signed_in("Today", who),
        date: day_words(date, date),
        logged_today: if today.logged_today.is_zero() {
            "Nothing logged yet today.".to_owned()
        } else {
            format!("{} logged today.", today.logged_today)
        },
        follows,
        timer_running: who.timer.is_some(),
    };
    render(&page, memo, user, looked)
}

fn card(f: &FollowToday, today: jiff::civil::Date) -> FollowCard {
    let id = f.follow.0;
    let rows = |v: &[TodayWork]| v.iter().map(|w| WorkRow::new(id, w)).collect::<Vec<_>>();
    let empty = if let Some(p) = &f.problem {
        Some(capitalise(p) + ".")
    } else if f.end.is_none() {
        Some("Every item is done.".to_owned())
    } else if f.today.is_empty() {
        Some(
            "Nothing is planned today: a rest day, a break, or today's hours are already studied."
                .to_owned(),
        )
    } else {
        None
    };
    FollowCard {
        id,
        title: f.title.clone(),
        today: rows(&f.today),
        later: rows(&f.later_this_week),
        current: f.current.as_ref().map(|w| WorkRow::new(id, w)),
        behind: (f.behind >= Minutes::from_hours(1)).then(|| {
            format!(
                "You are {} behind the plan you accepted.",
                hours_about(f.behind)
            )
        }),
        end: f
            .end
            .map(|end| format!("At your hours you finish on {}.", day_words(end, today))),
        end_date: f.end.map(|end| end.to_string()),
        empty,
    }
}
