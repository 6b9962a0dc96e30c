//! A followed curriculum's burn-up (earned against the plan in force, earlier plans faded, the
//! forecast band) with its sentences, and the kind re-plan offer when the learner is behind.

use autodidact_core::curriculum::Minutes;
use autodidact_core::insight::burnup::{Line, standing};
use autodidact_core::insight::forecast::{Forecast, forecast};
use autodidact_core::insight::weekly::complete_weeks;
use jiff::civil::Date;

use super::charts::{BurnupChart, BurnupInput};
use super::words::{day_words, days, hm, hours_about};
use crate::follows::Followed;
use crate::page::capitalise;
use autodidact_core::follow::{Progress, Proposals, proposals};

/// Complete weeks of a curriculum's logs that make the forecast's pace.
pub const PACE_WEEKS: usize = 6;
/// Behind the plan by less than this is not worth a word.
pub const BEHIND_AT_LEAST: Minutes = Minutes::new(60);

/// One follow's burn-up section.
#[derive(Debug, Clone)]
pub struct BurnupView {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub chart: BurnupChart,
    /// `Earned 40 h of 120 h; the plan asks for 52 h by the end of today.`
    pub summary: String,
    /// The forecast, or how to get one.
    pub forecast: String,
    /// How many earlier plans are drawn faded.
    pub earlier: usize,
}

/// One choice of the re-plan form.
#[derive(Debug, Clone)]
pub struct Choice {
    pub mode: &'static str,
    /// `Keep the end date (1 March): 26 h a week from today`.
    pub label: String,
    /// Why this choice cannot be made; the choice is then disabled.
    pub problem: Option<String>,
}

/// Where the learner stands against the plan in force, with the offer when behind.
#[derive(Debug, Clone)]
pub struct Behind {
    /// `You are 12 h (5 days) behind plan.`
    pub sentence: String,
    pub choices: Vec<Choice>,
    /// The mode checked by default: the first one that can be made.
    pub checked: &'static str,
    /// Whether any choice can be made (if not, the form has no button).
    pub available: bool,
}

/// What the dashboard knows about one follow, beyond this week's items.
#[derive(Debug, Clone)]
pub struct FollowInsight {
    pub burnup: BurnupView,
    pub behind: Option<Behind>,
}

/// Everything the burn-up needs about one follow.
#[derive(Debug)]
pub struct BurnupParts<'a> {
    pub followed: &'a Followed,
    pub progress: &'a Progress,
    /// The plan in force: its line and its end.
    pub plan: &'a Line,
    pub plan_end: Option<Date>,
    pub earlier: &'a [Line],
    /// The learner's calibration factor for the forecast.
    pub factor: f64,
    pub today: Date,
}

impl BurnupParts<'_> {
    pub fn build(&self) -> FollowInsight {
        let today = self.today;
        let p = self.progress;
        let id = self.followed.follow.id.0;
        let weeks = complete_weeks(&p.activity, today, self.followed.week_start, PACE_WEEKS);
        let remaining = p.remaining();
        let fc = forecast(&weeks, remaining, self.factor, today).filter(|_| !remaining.is_zero());
        let chart = BurnupChart::new(&BurnupInput {
            plan: self.plan,
            earlier: self.earlier,
            earned: &p.earned,
            today,
            earned_today: p.earned_today,
            total: p.total,
            forecast: fc.map(|f| (f.earliest, f.latest)),
        });
        let summary = format!(
            "Earned {} of {}; the plan asks for {} by the end of today.",
            hm(p.earned_today),
            hm(p.total),
            hm(self.plan.at(today))
        );
        let burnup = BurnupView {
            id,
            title: self.followed.record.title.clone(),
            url: format!("/follows/{id}"),
            chart,
            summary,
            forecast: self.forecast_words(fc.as_ref(), remaining),
            earlier: self.earlier.len(),
        };
        FollowInsight {
            burnup,
            behind: self.behind(),
        }
    }

    fn forecast_words(&self, fc: Option<&Forecast>, remaining: Minutes) -> String {
        let today = self.today;
        if self.progress.open_items == 0 {
            return "Everything is done.".to_owned();
        }
        if remaining.is_zero() {
            return "Your logged time has reached the estimates: mark what you have finished as done, and the forecast will measure what is left.".to_owned();
        }
        let Some(f) = fc else {
            return "Log a few weeks of study to see a forecast.".to_owned();
        };
        let pace = match f.weeks {
            1 => "the last week".to_owned(),
            n => format!("the last {n} weeks"),
        };
        let when = if f.earliest == f.latest {
            format!("on {}", day_words(f.earliest, today))
        } else {
            format!(
                "between {} and {}",
                day_words(f.earliest, today),
                day_words(f.latest, today)
            )
        };
        let plan = self
            .plan_end
            .map(|end| format!(" (plan: {})", day_words(end, today)))
            .unwrap_or_default();
        format!("At your pace of {pace} you will finish {when}{plan}.")
    }

    /// Behind by at least an hour at the end of yesterday: today is still open, as it is for
    /// the streak, so a plan is never "behind" in the morning for today's share.
    fn behind(&self) -> Option<Behind> {
        let today = self.today;
        let yesterday = today.yesterday().ok()?;
        let s = standing(self.plan, self.progress.earned_today, yesterday);
        if s.behind < BEHIND_AT_LEAST {
            return None;
        }
        let how_far = if s.days > 0 {
            format!("{} ({})", hours_about(s.behind), days(s.days))
        } else {
            hours_about(s.behind)
        };
        let accepted = match self.plan_end {
            Some(end) if end < today => format!(", which ended on {}", day_words(end, today)),
            Some(end) => format!(", which ends on {}", day_words(end, today)),
            None => String::new(),
        };
        let sentence = format!("You are {how_far} behind the plan you accepted{accepted}.");
        Some(offer(
            sentence,
            proposals(self.followed, self.progress, self.plan_end, today),
            self.plan_end,
            today,
        ))
    }
}

fn offer(sentence: String, p: Proposals, end: Option<Date>, today: Date) -> Behind {
    let keep_end = match (&p.keep_end, end) {
        (Ok(r), Some(end)) => Choice {
            mode: "keep-end",
            label: format!(
                "Keep the end date ({}): {} a week from today",
                day_words(end, today),
                hm(r.weekly)
            ),
            problem: None,
        },
        (Ok(_), None) | (Err(_), _) => Choice {
            mode: "keep-end",
            label: match end {
                Some(end) => format!("Keep the end date ({})", day_words(end, today)),
                None => "Keep the end date".to_owned(),
            },
            problem: p
                .keep_end
                .as_ref()
                .err()
                .map(|e| capitalise(&e.to_string())),
        },
    };
    let keep_budget = match &p.keep_budget {
        Ok(r) => Choice {
            mode: "keep-budget",
            label: match r.end {
                Some(new_end) => format!(
                    "Keep {} a week: finish on {}",
                    hm(r.weekly),
                    day_words(new_end, today)
                ),
                None => format!("Keep {} a week", hm(r.weekly)),
            },
            problem: None,
        },
        Err(e) => Choice {
            mode: "keep-budget",
            label: "Keep your weekly hours".to_owned(),
            problem: Some(capitalise(&e.to_string())),
        },
    };
    let choices = vec![keep_end, keep_budget];
    let checked = choices
        .iter()
        .find(|c| c.problem.is_none())
        .map_or("keep-budget", |c| c.mode);
    Behind {
        sentence,
        available: choices.iter().any(|c| c.problem.is_none()),
        choices,
        checked,
    }
}
