//! The learner's dashboard: what is next this week, hours against the budget, the year
//! heatmap, weekly bars, a burn-up per followed curriculum with its forecast and, when behind,
//! a kind re-plan, the balance of taking in and making, calibration, the forgiving streak, the
//! burnout guard, the commitment buffer, due reviews and recent logs. Every date is the
//! learner's: today in their zone, weeks from their first weekday.
//!
//! The page reads the store a fixed number of times whatever the number of logs: six reads
//! for the learner (follows, minutes per day and kind, recent logs, dismissals, commitments,
//! marked reviews) and four per follow (its curriculum, board, minutes per day and item, and
//! earlier plans). Each curriculum is parsed once for the plan, the burn-up, the re-plan
//! preview, the due reviews' titles and the quick-log form.

use std::sync::Arc;

use askama::Template;
use autodidact_core::accounts::{UserId, Zone};
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::insight::activity::{Activity, RestDays};
use autodidact_core::insight::burnup::Line;
use autodidact_core::insight::weekly::BudgetLine;
use autodidact_core::plan::{BudgetHistory, Plan};
use autodidact_core::store::{CommitmentRecord, Follow, PlanRevision, ReviewRecord, StudyLog};
use jiff::Timestamp;
use jiff::civil::{Date, Weekday, date};

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::follows::Followed;
use crate::home::{TemplateCard, template_cards};
use crate::insight::burnup::{Behind, BurnupParts, BurnupView};
use crate::insight::sections::{
    BalanceView, BufferView, BurnoutNote, CalibrationView, HeatmapView, StreakView, WeeklyView,
    balance_view, buffer_view, burnout_notes, calibration_view, heatmap_view, streak_view,
    weekly_view,
};
use crate::insight::words::day_words;
use crate::logs::stats::week_of;
use crate::logs::{Catalog, LogRow, QuickLog, log_rows};
use crate::memos::{look, render};
use crate::page::{Layout, capitalise};
use crate::reviews::{DueReview, ReviewBook};
use autodidact_core::follow::{FollowError, load_follow};
use autodidact_core::follow::{Progress, earlier_plans, finished_items, plan_in_force};
use autodidact_core::logs::FollowedCurriculum;
use axum::response::Response;

const RECENT_LOGS: u32 = 8;
/// The first day read back: before any log.
const EARLIEST: Date = date(1, 1, 1);

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    /// Everything but the layout, which is the session's: kept in the memo between requests.
    view: Arc<DashboardView>,
}

impl std::ops::Deref for DashboardPage {
    type Target = DashboardView;
    fn deref(&self) -> &DashboardView {
        &self.view
    }
}

impl std::fmt::Debug for DashboardView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DashboardView").finish_non_exhaustive()
    }
}

/// The dashboard of one learner on one day, the same for each of their sessions.
pub struct DashboardView {
    /// The items of the quick log.
    catalog: Arc<Catalog>,
    templates: Vec<TemplateCard>,
    follows: Vec<FollowWeek>,
    week: WeekFigures,
    heatmap: HeatmapView,
    weekly: WeeklyView,
    burnups: Vec<BurnupView>,
    balance: BalanceView,
    calibration: CalibrationView,
    streak: StreakView,
    burnout: Vec<BurnoutNote>,
    buffer: Option<BufferView>,
    due: Vec<DueReview>,
    recent: Vec<LogRow>,
}

/// This week's hours against the sum of the follows' weekly budgets.
struct WeekFigures {
    first: String,
    last: String,
    logged: String,
    budget: Option<String>,
    logged_minutes: u32,
    budget_minutes: u32,
    left: Option<String>,
}

/// One follow's work for the rest of this week, as the rolling plan has it.
struct FollowWeek {
    id: i64,
    title: String,
    url: String,
    /// The rest of this week in the rolling plan.
    items: Vec<NextItem>,
    /// `The plan ends on 2 April.`
    end: Option<String>,
    /// The same day as `2026-04-02`, for machines.
    end_date: Option<String>,
    behind: Option<Behind>,
    /// Why there is nothing this week, or why there is no plan.
    status: Option<String>,
}

struct NextItem {
    title: String,
    url: String,
    planned: String,
    logged: Option<String>,
}

/// A follow as read for the dashboard: parsed, or the reason it cannot be.
struct Entry {
    follow: Follow,
    catalog: FollowedCurriculum,
    loaded: Result<Loaded, String>,
}

struct Loaded {
    followed: Followed,
    minutes: Vec<(Date, Option<ItemId>, Minutes)>,
    revisions: Vec<PlanRevision>,
}

/// What the store holds for the learner, read once per page.
struct Record {
    entries: Vec<Entry>,
    activity: Activity,
    /// Each follow's budget history: every week is judged by the budgets in force then.
    budgets: Vec<BudgetHistory>,
    /// Every break of every follow.
    rest: RestDays,
    recent: Vec<StudyLog>,
    dismissed: Vec<String>,
    commitments: Vec<CommitmentRecord>,
    /// The items marked worth revisiting.
    reviews: Vec<ReviewRecord>,
}

/// The sections that come from each follow: its week, its burn-up, and calibration over all.
struct FollowSections {
    weeks: Vec<FollowWeek>,
    burnups: Vec<BurnupView>,
    calibration: CalibrationView,
}

pub async fn page(state: &AppState, who: &SignedIn) -> Result<Response, PageError> {
    let user = &who.user;
    let today = user.settings.timezone.today(Timestamp::now());
    let memo = &state.memos.dashboard;
    let looked = look(memo, user, today, || view(state, who, today)).await?;
    let page = DashboardPage {
        layout: Layout::signed_in_with_log(
            "Dashboard",
            who,
            QuickLog::with_items(who, &looked.view.catalog, "/dashboard"),
        ),
        view: Arc::clone(&looked.view),
    };
    render(&page, memo, user, looked)
}

/// The learner's dashboard as of `today`.
async fn view(state: &AppState, who: &SignedIn, today: Date) -> Result<DashboardView, PageError> {
    let user = &who.user;
    let zone = &user.settings.timezone;
    let week_start = user.settings.week_start.0;
    let pacing = user.settings.pacing;
    let (first, last) = week_of(today, week_start);
    let record = load_record(state, user.id, today, week_start).await?;
    let span = WeekSpan { today, first, last };
    let sections = follow_sections(&record.entries, zone, span);
    let catalog = match &who.catalog {
        Some(catalog) => Arc::clone(catalog),
        None => Arc::new(catalog(&record.entries)),
    };
    let activity = &record.activity;
    // This week's budget, as the follows' histories have it.
    let budget = record.budgets[..].week(first, last);
    // The burnout guard's seven days run across calendar weeks: it weighs them against the
    // whole weekly budget in force today, never the share of a week a follow began in.
    let in_force: Minutes = record
        .budgets
        .iter()
        .filter_map(|h| h.on(today))
        .map(|b| b.weekly_total())
        .sum();
    Ok(DashboardView {
        templates: if record.entries.is_empty() {
            template_cards()
        } else {
            Vec::new()
        },
        follows: sections.weeks,
        week: WeekFigures::new(first, last, activity.between(first, last).total(), budget),
        heatmap: heatmap_view(activity, &record.rest, today, week_start),
        weekly: weekly_view(activity, &record.budgets, today, week_start),
        burnups: sections.burnups,
        balance: balance_view(activity, today, &pacing),
        calibration: sections.calibration,
        streak: streak_view(activity, &record.rest, &pacing, week_start, today),
        burnout: burnout_notes(activity, today, in_force, &pacing, &record.dismissed),
        buffer: buffer_view(
            activity,
            &record.commitments,
            &user.settings.delays(),
            today,
        ),
        due: due_reviews(&record, today),
        recent: log_rows(&record.recent, &catalog, today),
        catalog,
    })
}

/// The learner's reads (five, at once) and each follow's (four, at once).
async fn load_record(
    state: &AppState,
    user: UserId,
    today: Date,
    week_start: Weekday,
) -> Result<Record, PageError> {
    // Logs may be dated up to a day ahead; this week's hours count them.
    let tomorrow = today.tomorrow().unwrap_or(today);
    let store = state.store.as_ref();
    let (follows, daily, recent, dismissed, commitments, reviews) = tokio::try_join!(
        store.follows_of(user),
        store.daily_minutes(user, EARLIEST, tomorrow),
        store.recent_logs(user, RECENT_LOGS),
        store.dismissals(user),
        store.commitments(user),
        store.reviews_of_user(user),
    )?;
    let mut entries = Vec::with_capacity(follows.len());
    for follow in follows {
        if let Some(entry) = load_entry(state, follow, week_start).await? {
            entries.push(entry);
        }
    }
    let mut budgets = Vec::new();
    let mut rest = RestDays::default();
    for e in &entries {
        budgets.push(e.follow.budgets());
        rest.breaks.extend(e.follow.breaks.iter().copied());
    }
    Ok(Record {
        entries,
        activity: Activity::from_entries(daily),
        budgets,
        rest,
        recent,
        dismissed,
        commitments,
        reviews,
    })
}

/// Each follow's progress first, since calibration over every follow's done items feeds each
/// forecast; then each follow's week and burn-up from one parsed curriculum.
fn follow_sections(entries: &[Entry], zone: &Zone, span: WeekSpan) -> FollowSections {
    let today = span.today;
    let progress: Vec<Option<Progress>> = entries
        .iter()
        .map(|e| {
            let l = e.loaded.as_ref().ok()?;
            Some(Progress::new(&l.followed, &l.minutes, zone, today))
        })
        .collect();
    let finished: Vec<_> = entries
        .iter()
        .zip(&progress)
        .filter_map(|(e, p)| {
            Some(finished_items(
                &e.loaded.as_ref().ok()?.followed,
                p.as_ref()?,
            ))
        })
        .flatten()
        .collect();
    let (calibration, _) = calibration_view(&finished);
    let mut weeks = Vec::with_capacity(entries.len());
    let mut burnups = Vec::new();
    for (entry, progress) in entries.iter().zip(&progress) {
        let (loaded, progress) = match (&entry.loaded, progress) {
            (Ok(l), Some(p)) => (l, p),
            (Err(problem), _) => {
                weeks.push(FollowWeek::without_plan(&entry.catalog, problem.clone()));
                continue;
            }
            (Ok(_), None) => continue,
        };
        let followed = &loaded.followed;
        let current = match followed.rolling_plan(progress, today) {
            Ok(plan) => plan,
            Err(e) => {
                let problem = capitalise(&e.to_string());
                weeks.push(FollowWeek::without_plan(&entry.catalog, problem));
                continue;
            }
        };
        let mut behind = None;
        if let Some((in_force, line)) = plan_in_force(followed) {
            let earlier: Vec<Line> = earlier_plans(followed, &loaded.revisions);
            let insight = BurnupParts {
                followed,
                progress,
                plan: &line,
                plan_end: in_force.end,
                earlier: &earlier,
                finished: &finished,
                today,
            }
            .build();
            burnups.push(insight.burnup);
            behind = insight.behind;
        }
        // The rolling plan's end: the date the plan page, the week, the feed and the API give.
        let week = FollowWeek::from_plan(followed, &current, span, &loaded.minutes, behind);
        weeks.push(week);
    }
    FollowSections {
        weeks,
        burnups,
        calibration,
    }
}

/// Reads one follow's curriculum, board, minutes and earlier plans; `None` when its
/// curriculum is gone (deleted since the follows were listed).
async fn load_entry(
    state: &AppState,
    follow: Follow,
    week_start: Weekday,
) -> Result<Option<Entry>, PageError> {
    let store = state.store.as_ref();
    // The follow is loaded as every page loads it (`core::follow::load_follow`), at the same
    // time as its minutes and earlier plans.
    let (followed, minutes, revisions) = tokio::join!(
        load_follow(store, &state.curricula, follow.clone(), week_start),
        store.follow_minutes(follow.id),
        store.plan_revisions(follow.id),
    );
    let (minutes, revisions) = (minutes?, revisions?);
    let (catalog, loaded) = match followed {
        Ok(followed) => (
            {
                let states: Vec<_> = followed.states.values().cloned().collect();
                FollowedCurriculum::new(
                    follow.id,
                    &followed.record,
                    Some(&followed.curriculum),
                    &states,
                )
            },
            Ok(Loaded {
                followed,
                minutes,
                revisions,
            }),
        ),
        // Shown in place, with the title, rather than failing the whole page.
        Err(FollowError::Unreadable { title }) => {
            let problem = FollowError::Unreadable {
                title: title.clone(),
            };
            (
                FollowedCurriculum {
                    follow: follow.id,
                    curriculum: follow.curriculum,
                    title,
                    items: Vec::new(),
                    current: None,
                    doing_since: None,
                },
                Err(capitalise(&problem.to_string()) + "."),
            )
        }
        // Deleted since the follows were listed.
        Err(FollowError::NotFound) => return Ok(None),
        Err(FollowError::Store(e)) => return Err(e.into()),
    };
    Ok(Some(Entry {
        follow,
        catalog,
        loaded,
    }))
}

/// The quick-log form's items, in the order `Catalog::load` gives them (by title).
fn catalog(entries: &[Entry]) -> Catalog {
    let mut followed: Vec<FollowedCurriculum> = entries.iter().map(|e| e.catalog.clone()).collect();
    followed.sort_by(|a, b| {
        (a.title.to_lowercase(), a.follow).cmp(&(b.title.to_lowercase(), b.follow))
    });
    Catalog { followed }
}

impl WeekFigures {
    fn new(first: Date, last: Date, logged: Minutes, budget: Minutes) -> Self {
        let show = |m: Minutes| {
            if m.is_zero() {
                "0 h".to_owned()
            } else {
                m.to_string()
            }
        };
        Self {
            first: first.strftime("%a %-d %b").to_string(),
            last: last.strftime("%a %-d %b").to_string(),
            logged: show(logged),
            budget: (!budget.is_zero()).then(|| show(budget)),
            logged_minutes: logged.get(),
            budget_minutes: budget.get(),
            left: (budget > logged).then(|| show(budget.saturating_sub(logged))),
        }
    }
}

/// Today and the learner week that holds it.
#[derive(Debug, Clone, Copy)]
struct WeekSpan {
    today: Date,
    first: Date,
    last: Date,
}

impl FollowWeek {
    fn from_plan(
        followed: &Followed,
        p: &Plan,
        span: WeekSpan,
        minutes: &[(Date, Option<ItemId>, Minutes)],
        behind: Option<Behind>,
    ) -> Self {
        let WeekSpan { today, first, last } = span;
        let id = followed.follow.id;
        let logged_on = |item: &ItemId| {
            let total: Minutes = minutes
                .iter()
                .filter(|(day, i, _)| first <= *day && *day <= last && i.as_ref() == Some(item))
                .map(|(_, _, m)| *m)
                .sum();
            (!total.is_zero()).then(|| total.to_string())
        };
        let row = |n: usize, minutes: Minutes| {
            p.items.get(n).map(|item| NextItem {
                title: item.title.clone(),
                url: format!("/follows/{}/items/{}", id.0, item.id),
                planned: minutes.to_string(),
                logged: logged_on(&item.id),
            })
        };
        // The rolling plan starts today, so its week holding today has the rest of this week.
        let items: Vec<NextItem> = p
            .weeks
            .iter()
            .find(|w| w.start <= today && today <= w.end)
            .map(|w| w.work.iter().filter_map(|&(n, m)| row(n, m)).collect())
            .unwrap_or_default();
        let status = match (items.is_empty(), p.end) {
            (false, _) => None,
            (true, None) => Some("Every item is done.".to_owned()),
            (true, Some(_)) if p.start > today => Some(format!("The plan starts on {}.", p.start)),
            (true, Some(_)) => {
                Some("Nothing more is planned this week: the rest of it is a break.".to_owned())
            }
        };
        Self {
            id: id.0,
            title: followed.record.title.clone(),
            url: format!("/follows/{}", id.0),
            items,
            end: p
                .end
                .map(|end| format!("The plan ends on {}.", day_words(end, today))),
            end_date: p.end.map(|end| end.to_string()),
            behind,
            status,
        }
    }

    fn without_plan(catalog: &FollowedCurriculum, problem: String) -> Self {
        Self {
            id: catalog.follow.0,
            title: catalog.title.clone(),
            url: format!("/follows/{}", catalog.follow.0),
            items: Vec::new(),
            end: None,
            end_date: None,
            behind: None,
            status: Some(problem),
        }
    }
}

/// The reviews due today, placed as the reviews page places them, from the follows and
/// curricula this page has already read.
fn due_reviews(record: &Record, today: Date) -> Vec<DueReview> {
    let followed = record.entries.iter().filter_map(|e| {
        e.loaded.as_ref().ok().map(|l| {
            let f = &l.followed;
            (f.follow.id, f.record.title.as_str(), &*f.curriculum)
        })
    });
    ReviewBook::from_loaded(record.reviews.clone(), followed, &record.rest, today).due(today)
}
