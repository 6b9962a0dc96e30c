//! A followed curriculum's burn-up (earned against the plan in force, earlier plans faded, the
//! forecast band) with its sentences, and the kind re-plan offer when the learner is behind.

use autodidact_core::curriculum::Minutes;
use autodidact_core::insight::burnup::{Line, standing};
use autodidact_core::insight::calibration::FinishedItem;
use autodidact_core::insight::forecast::RangeForecast;
use jiff::civil::Date;

use super::charts::{BurnupChart, BurnupInput};
use super::words::{day_words, days, hm, hours_about};
use crate::follows::Followed;
use crate::page::capitalise;
use autodidact_core::follow::{Progress, Proposals, proposals, range_forecast};
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
    /// The learner's finished items, over every follow: the forecast's evidence of how their
    /// real time compares with estimates.
    pub finished: &'a [FinishedItem],
    pub today: Date,
}

impl BurnupParts<'_> {
    pub fn build(&self) -> FollowInsight {
        let today = self.today;
        let p = self.progress;
        let id = self.followed.follow.id.0;
        let remaining = p.remaining();
        let fc = range_forecast(self.followed, p, self.finished, today);
        let chart = BurnupChart::new(&BurnupInput {
            plan: self.plan,
            earlier: self.earlier,
            earned: &p.earned,
            today,
            earned_today: p.earned_today,
            total: p.total,
            forecast: fc.map(|f| (f.early, f.late)),
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

    /// `80 % likely between 12 March and 2 April, most likely 20 March, at your pace of the
    /// last 6 weeks (plan: 13 January).`
    fn forecast_words(&self, fc: Option<&RangeForecast>, remaining: Minutes) -> String {
        let today = self.today;
        if self.progress.open_items == 0 {
            return "Everything is done.".to_owned();
        }
        let Some(f) = fc else {
            return "Log a few weeks of study to see a forecast.".to_owned();
        };
        let percent = (f.probability * 100.0).round();
        let when = if f.open_ended {
            format!(
                "{percent:.0} % likely after {}, if at all at a pace that keeps fading",
                day_words(f.early, today)
            )
        } else if f.early == f.late {
            format!("{percent:.0} % likely on {}", day_words(f.early, today))
        } else {
            format!(
                "{percent:.0} % likely between {} and {}, most likely {}",
                day_words(f.early, today),
                day_words(f.late, today),
                day_words(f.likely, today)
            )
        };
        let pace = match f.weeks {
            0 => "this week".to_owned(),
            1 => "the last week".to_owned(),
            n => format!("the last {n} weeks"),
        };
        let plan = self
            .plan_end
            .map(|end| format!(" (plan: {})", day_words(end, today)))
            .unwrap_or_default();
        let overrun = if remaining.is_zero() {
            " Your logged time has reached the estimates, so the items open are taken to need a little more."
        } else {
            ""
        };
        format!("You finish {when}, at your pace of {pace}{plan}.{overrun}")
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
