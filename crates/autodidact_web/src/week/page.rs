//! The week page: the core's [`WeekSummary`] as rows and sentences.

use askama::Template;
use autodidact_core::insight::summary::{WeekError, WeekSummary, kinds, load_week, whole_percents};
use autodidact_core::plan::start_of_week;
use axum::extract::{Query, State};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::commitments::{buffer_words, per_week};
use crate::error::PageError;
use crate::insight::words::day_words;
use crate::logs::kind_label;
use crate::memos::{look, render};
use crate::page::Layout;
use axum::response::Response;

pub struct ItemRow {
    pub title: String,
    pub curriculum: Option<String>,
    pub url: Option<String>,
    pub minutes: String,
}

pub struct KindRow {
    pub label: &'static str,
    pub minutes: String,
    /// Share of the week's total, in whole percent.
    pub percent: u32,
    /// Where its bar starts in the chart, in percent of the width.
    pub x: u32,
    /// `learn`, `build` or `review`, for the bar's colour.
    pub class: &'static str,
}

pub struct FinishedRow {
    pub title: String,
    pub curriculum: String,
    pub url: String,
    pub on: String,
}

pub struct PlannedRow {
    pub title: String,
    pub url: String,
    pub minutes: String,
}

pub struct NextFollow {
    pub curriculum: String,
    pub url: String,
    pub items: Vec<PlannedRow>,
    pub planned: String,
}

#[derive(Template)]
#[template(path = "week/show.html")]
pub struct WeekPage {
    layout: Layout,
    heading: String,
    range: String,
    current: bool,
    previous: Date,
    next: Date,
    total: String,
    kinds: Vec<KindRow>,
    items: Vec<ItemRow>,
    finished: Vec<FinishedRow>,
    streak_current: u32,
    streak_longest: u32,
    as_of: String,
    committed: Option<String>,
    buffer: Option<String>,
    next_range: String,
    next_week: Vec<NextFollow>,
}

#[derive(Debug, Deserialize)]
pub struct WeekQuery {
    start: Option<String>,
}

impl From<WeekError> for PageError {
    fn from(err: WeekError) -> Self {
        match err {
            WeekError::Store(e) => e.into(),
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<WeekQuery>,
) -> Result<Response, PageError> {
    let today = who.user.today(Timestamp::now());
    let day = match query.start.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => today,
        Some(raw) => raw.parse::<Date>().map_err(|_| {
            PageError::BadRequest(format!(
                "“{raw}” is not a date: give the week as ?start=year-month-day, for example ?start={}.",
                start_of_week(today, who.user.settings.week_start.0)
            ))
        })?,
    };
    let user = &who.user;
    let memo = &state.memos.week;
    let first = start_of_week(day, user.settings.week_start.0);
    let looked = look(memo, user, (first, today), || {
        load_week(state.store.as_ref(), &state.curricula, user, first, today)
    })
    .await?;
    let page = WeekPage::new(&who, &looked.view, today);
    render(&page, memo, user, looked)
}

/// Learn, build and review with their share, laid end to end for the chart.
fn kind_rows(s: &WeekSummary) -> Vec<KindRow> {
    let mut x = 0;
    let kinds = kinds(&s.by_kind);
    let shares = whole_percents(&kinds.map(|(_, m)| m));
    kinds
        .into_iter()
        .zip(shares)
        .map(|((kind, minutes), share)| {
            let row = KindRow {
                label: kind_label(kind),
                minutes: minutes.to_string(),
                percent: share,
                x,
                class: kind.as_str(),
            };
            x += share;
            row
        })
        .collect()
}

impl WeekPage {
    fn new(who: &SignedIn, s: &WeekSummary, today: Date) -> Self {
        let heading = format!("Week of {}", day_words(s.first, today));
        let next_last = s.next_first.checked_add(6.days()).unwrap_or(s.next_first);
        Self {
            layout: Layout::signed_in(heading.clone(), who),
            heading,
            range: format!(
                "{} to {}",
                day_words(s.first, today),
                day_words(s.last, today)
            ),
            current: s.current,
            previous: s.first.checked_sub(7.days()).unwrap_or(s.first),
            next: s.next_first,
            total: s.total.to_string(),
            kinds: kind_rows(s),
            items: s
                .by_item
                .iter()
                .map(|r| ItemRow {
                    title: if r.item.is_some() {
                        r.title.clone()
                    } else {
                        "Without an item".to_owned()
                    },
                    curriculum: r.curriculum.clone(),
                    url: r
                        .follow
                        .zip(r.item.as_ref())
                        .map(|(f, i)| format!("/follows/{}/items/{}", f.0, i.as_str())),
                    minutes: r.minutes.to_string(),
                })
                .collect(),
            finished: s
                .finished
                .iter()
                .map(|f| FinishedRow {
                    title: f.title.clone(),
                    curriculum: f.curriculum.clone(),
                    url: format!("/follows/{}/items/{}", f.follow.0, f.item.as_str()),
                    on: day_words(f.on, today),
                })
                .collect(),
            streak_current: s.streaks.current,
            streak_longest: s.streaks.longest,
            as_of: day_words(s.as_of, today),
            committed: s.committed.map(per_week),
            buffer: s.buffer_days.map(buffer_words),
            next_range: format!(
                "{} to {}",
                day_words(s.next_first, today),
                day_words(next_last, today)
            ),
            next_week: s
                .next_week
                .iter()
                .map(|n| NextFollow {
                    curriculum: n.curriculum.clone(),
                    url: format!("/follows/{}", n.follow.0),
                    items: n
                        .items
                        .iter()
                        .map(|i| PlannedRow {
                            title: i.title.clone(),
                            url: format!("/follows/{}/items/{}", n.follow.0, i.item.as_str()),
                            minutes: i.minutes.to_string(),
                        })
                        .collect(),
                    planned: n.planned.to_string(),
                })
                .collect(),
        }
    }
}
