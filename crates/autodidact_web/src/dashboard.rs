//! The learner's dashboard: what is next this week, hours against the budget, the streak and
//! recent logs. Every date is the learner's: today in their zone, weeks from their first
//! weekday.

use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::Minutes;
use autodidact_core::plan::WeeklyBudget;
use autodidact_core::store::{FollowId, Store, StoreResult, StudyLog};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::follows::{FollowPlan, load_plan};
use crate::home::{TemplateCard, template_cards};
use crate::logs::stats::{Streak, streak, today_in, week_of};
use crate::logs::{Catalog, LogRow, QuickLog, log_rows};
use crate::page::Layout;

const RECENT_LOGS: u32 = 8;
/// The streak is read back this many days at a time, as far as it goes.
const STREAK_WINDOW_DAYS: i64 = 120;
const STREAK_MAX_WINDOWS: usize = 40;

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    templates: Vec<TemplateCard>,
    follows: Vec<FollowWeek>,
    week: WeekFigures,
    streak: StreakView,
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

struct StreakView {
    days: u32,
    words: String,
    hint: Option<&'static str>,
}

/// One follow's work this week, as its plan has it.
struct FollowWeek {
    title: String,
    url: String,
    items: Vec<NextItem>,
    /// Why there is nothing this week, or why there is no plan.
    status: Option<String>,
}

struct NextItem {
    title: String,
    url: String,
    planned: String,
    logged: Option<String>,
}

pub async fn page(state: &AppState, who: &SignedIn) -> Result<DashboardPage, PageError> {
    let store = state.store.as_ref();
    let user = &who.user;
    let today = today_in(Timestamp::now(), &user.settings.timezone);
    let (first, last) = week_of(today, user.settings.week_start.0);
    let catalog = Catalog::load(store, user.id).await?;
    let week_logs = store.logs_between(user.id, first, last).await?;
    let mut budget = Minutes::ZERO;
    let mut follows = Vec::new();
    for follow in store.follows_of(user.id).await? {
        if let Ok(b) = WeeklyBudget::parse(&follow.budget) {
            budget = budget.saturating_add(b.weekly_total());
        }
        let title = catalog
            .by_follow(follow.id)
            .map_or_else(|| "A curriculum".to_owned(), |f| f.title.clone());
        follows.push(match load_plan(state, who, follow.id).await {
            Ok(plan) => FollowWeek::from_plan(&plan, today, &week_logs),
            Err(PageError::BadRequest(problem)) => {
                FollowWeek::without_plan(follow.id, title, problem)
            }
            Err(other) => return Err(other),
        });
    }
    let logged: Minutes = week_logs.iter().map(|l| l.minutes).sum();
    let recent = store.recent_logs(user.id, RECENT_LOGS).await?;
    let streak = load_streak(store, user.id, today).await?;
    Ok(DashboardPage {
        layout: Layout::signed_in_with_log(
            "Dashboard",
            who,
            QuickLog::with_items(who, &catalog, "/"),
        ),
        templates: template_cards(),
        follows,
        week: WeekFigures::new(first, last, logged, budget),
        streak: StreakView::new(streak),
        recent: log_rows(&recent, &catalog),
    })
}

/// Reads logs back a window at a time until the streak stops inside one.
async fn load_streak(store: &dyn Store, user: UserId, today: Date) -> StoreResult<Streak> {
    let mut logged = BTreeSet::new();
    let mut to = today;
    for _ in 0..STREAK_MAX_WINDOWS {
        let from = to
            .checked_sub(STREAK_WINDOW_DAYS.days())
            .unwrap_or(Date::MIN);
        logged.extend(
            store
                .logs_between(user, from, to)
                .await?
                .iter()
                .map(|l| l.day),
        );
        let current = streak(&logged, today);
        let reaches_window_start = current.start.is_some_and(|start| start <= from);
        match from.yesterday() {
            Ok(before) if reaches_window_start => to = before,
            _ => return Ok(current),
        }
    }
    Ok(streak(&logged, today))
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

impl StreakView {
    fn new(streak: Streak) -> Self {
        let words = match streak.days {
            0 => "No streak yet".to_owned(),
            1 => "1 day".to_owned(),
            n => format!("{n} days in a row"),
        };
        let hint = match (streak.days, streak.includes_today) {
            (0, _) => Some("Log any study today to start one."),
            (_, false) => Some("Nothing logged today yet: log a session to keep it going."),
            (_, true) => None,
        };
        Self {
            days: streak.days,
            words,
            hint,
        }
    }
}

impl FollowWeek {
    fn from_plan(plan: &FollowPlan, today: Date, week_logs: &[StudyLog]) -> Self {
        let id = plan.followed.follow.id;
        let p = &plan.plan;
        let logged_on = |item: &autodidact_core::curriculum::ItemId| {
            let total: Minutes = week_logs
                .iter()
                .filter(|l| l.follow == Some(id) && l.item.as_ref() == Some(item))
                .map(|l| l.minutes)
                .sum();
            (!total.is_zero()).then(|| total.to_string())
        };
        let week = p.weeks.iter().find(|w| w.start <= today && today <= w.end);
        let items: Vec<NextItem> = week
            .map(|w| {
                w.work
                    .iter()
                    .filter_map(|&(n, minutes)| p.items.get(n).map(|item| (item, minutes)))
                    .map(|(item, minutes)| NextItem {
                        title: item.title.clone(),
                        url: format!("/follows/{}/items/{}", id.0, item.id),
                        planned: minutes.to_string(),
                        logged: logged_on(&item.id),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let status = match (items.is_empty(), p.end) {
            (false, _) => None,
            (true, None) => Some("Every item is done.".to_owned()),
            (true, Some(_)) if p.start > today => Some(format!("The plan starts on {}.", p.start)),
            (true, Some(end)) if end < today => Some(format!(
                "The plan put the remaining work before this week (it ended on {end}): move its start date to plan from today."
            )),
            (true, Some(_)) => Some("Nothing is planned this week: it is a break.".to_owned()),
        };
        Self {
            title: plan.followed.record.title.clone(),
            url: format!("/follows/{}", id.0),
            items,
            status,
        }
    }

    fn without_plan(id: FollowId, title: String, problem: String) -> Self {
        Self {
            title,
            url: format!("/follows/{}", id.0),
            items: Vec::new(),
            status: Some(problem),
        }
    }
}
