//! Crowd figures from samples, pure.

use std::collections::BTreeMap;

use super::model::{
    CrowdHours, Depth, MIN_LEARNERS, REVIEW_MAX_CHARS, Rating, ReviewProblem, Spread, TIP_MAX_CHARS,
};
use crate::curriculum::{Curriculum, Effort, EstimateSource, ItemId, Minutes};
use crate::store::{CrowdSample, HalfStars, ItemReview, Onward};

/// The `q` quantile of sorted `values`, interpolated between neighbours (as a spreadsheet's
/// `PERCENTILE`), to the nearest minute.
fn quantile(sorted: &[u32], q: f64) -> Minutes {
    let at = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    let value =
        f64::from(sorted[lo]) + (f64::from(sorted[hi]) - f64::from(sorted[lo])) * (at - lo as f64);
    Minutes::new(value.round() as u32)
}

/// The spread of `minutes`; `None` below [`MIN_LEARNERS`].
pub fn spread(minutes: &[Minutes]) -> Option<Spread> {
    if minutes.len() < MIN_LEARNERS {
        return None;
    }
    let mut sorted: Vec<u32> = minutes.iter().map(|m| m.get()).collect();
    sorted.sort_unstable();
    Some(Spread {
        learners: sorted.len(),
        median: quantile(&sorted, 0.5),
        low: quantile(&sorted, 0.25),
        high: quantile(&sorted, 0.75),
    })
}

fn depth_of(s: &CrowdSample) -> Depth {
    if s.evidence {
        Depth::Evidence
    } else if !s.building.is_zero() {
        Depth::Exercises
    } else {
        Depth::Read
    }
}

/// An item's crowd hours from its samples: one per learner (a learner with two copies counts
/// once, with the one they spent longest on), samples without time left out; `None` below
/// [`MIN_LEARNERS`] learners. A depth is listed only with enough learners of its own.
pub fn crowd_hours(samples: &[CrowdSample]) -> Option<CrowdHours> {
    let mut per_learner: BTreeMap<_, &CrowdSample> = BTreeMap::new();
    for s in samples.iter().filter(|s| !s.minutes.is_zero()) {
        per_learner
            .entry(s.user)
            .and_modify(|kept| {
                if s.minutes > kept.minutes {
                    *kept = s;
                }
            })
            .or_insert(s);
    }
    let all: Vec<Minutes> = per_learner.values().map(|s| s.minutes).collect();
    let all = spread(&all)?;
    let by_depth = Depth::ALL
        .into_iter()
        .filter_map(|d| {
            let minutes: Vec<Minutes> = per_learner
                .values()
                .filter(|s| depth_of(s) == d)
                .map(|s| s.minutes)
                .collect();
            spread(&minutes).map(|s| (d, s))
        })
        .collect();
    Some(CrowdHours { all, by_depth })
}

/// A rating as a learner writes it: `3.5`, `3,5`, `4` or `4½` stars, in half stars from 0.5
/// to 5.
pub fn parse_rating(raw: &str) -> Result<HalfStars, ReviewProblem> {
    let raw = raw.trim();
    let (whole, half) = match raw.strip_suffix('½') {
        Some(whole) => (whole.trim(), true),
        None => (raw, false),
    };
    let stars: f64 = if whole.is_empty() && half {
        0.0
    } else {
        whole
            .replace(',', ".")
            .parse()
            .map_err(|_| ReviewProblem::Rating)?
    };
    let halves = stars * 2.0 + if half { 1.0 } else { 0.0 };
    if !halves.is_finite() || halves.fract() != 0.0 || !(1.0..=10.0).contains(&halves) {
        return Err(ReviewProblem::Rating);
    }
    HalfStars::new(halves as u8).ok_or(ReviewProblem::Rating)
}

/// A review's rating, text and tip, checked: every problem at once. The text and tip are
/// trimmed.
pub fn check_review(
    rating: &str,
    text: &str,
    tip: &str,
) -> Result<(HalfStars, String, String), Vec<ReviewProblem>> {
    let mut problems = Vec::new();
    let rating = parse_rating(rating).map_err(|p| problems.push(p)).ok();
    let (text, tip) = (text.trim(), tip.trim());
    if text.chars().count() > REVIEW_MAX_CHARS {
        problems.push(ReviewProblem::TextTooLong);
    }
    if tip.chars().count() > TIP_MAX_CHARS {
        problems.push(ReviewProblem::TipTooLong);
    }
    match rating {
        Some(rating) if problems.is_empty() => Ok((rating, text.to_owned(), tip.to_owned())),
        _ => Err(problems),
    }
}

/// How many learners finished the item and how many of them finished the next: one answer per
/// learner (a learner with two copies went on if they did in either); `None` below
/// [`MIN_LEARNERS`] finishers.
pub fn onward_counts(rows: &[Onward]) -> Option<(usize, usize)> {
    let mut per_learner: BTreeMap<_, bool> = BTreeMap::new();
    for r in rows {
        *per_learner.entry(r.user).or_default() |= r.finished_next;
    }
    (per_learner.len() >= MIN_LEARNERS).then(|| {
        (
            per_learner.len(),
            per_learner.values().filter(|v| **v).count(),
        )
    })
}

/// One review per learner, the last edited (a learner may have written from two copies of one
/// curriculum), newest first.
pub fn one_per_learner(mut reviews: Vec<ItemReview>) -> Vec<ItemReview> {
    reviews.sort_by(|a, b| {
        b.updated_at
            .cmp(&a.updated_at)
            .then(a.follow.cmp(&b.follow))
    });
    let mut seen = std::collections::BTreeSet::new();
    reviews.retain(|r| seen.insert(r.user));
    reviews
}

/// The mean rating of the reviews, `None` without any.
pub fn mean_rating(reviews: &[ItemReview]) -> Option<Rating> {
    if reviews.is_empty() {
        return None;
    }
    let sum: u32 = reviews.iter().map(|r| u32::from(r.rating.halves())).sum();
    Some(Rating {
        mean: f64::from(sum) / 2.0 / reviews.len() as f64,
        reviews: reviews.len(),
    })
}

/// `curriculum` with each named item planned at its crowd median, marked `crowd`; an item's
/// own figure is kept with it (none when it was missing), and an item already on the crowd's
/// figure takes the new median and keeps its own. Only guesses, missing estimates and crowd
/// figures are replaced: an estimate the source or the learner stated stands. Returns how many
/// items changed.
pub fn use_crowd(curriculum: &mut Curriculum, medians: &[(ItemId, Minutes)]) -> usize {
    let weekly = curriculum.hours_per_week;
    let mut changed = 0;
    for item in curriculum
        .phases
        .iter_mut()
        .flat_map(|p| p.items.iter_mut())
    {
        let Some((_, median)) = medians.iter().find(|(id, _)| *id == item.id) else {
            continue;
        };
        let own = match item.estimate_source {
            EstimateSource::Guess => Some(item.planned(weekly)),
            EstimateSource::Missing => None,
            EstimateSource::Crowd { own } => own,
            EstimateSource::Stated => continue,
        };
        let next = (Effort::Hours(*median), EstimateSource::Crowd { own });
        if (item.effort, item.estimate_source) != next {
            (item.effort, item.estimate_source) = next;
            changed += 1;
        }
    }
    changed
}

/// `curriculum` with every item on the crowd's figure back on its own: the guess it had, or
/// missing (the kind's placeholder) when it had none. Returns how many items changed.
pub fn own_figures(curriculum: &mut Curriculum) -> usize {
    let mut changed = 0;
    for item in curriculum
        .phases
        .iter_mut()
        .flat_map(|p| p.items.iter_mut())
    {
        if let EstimateSource::Crowd { own } = item.estimate_source {
            (item.effort, item.estimate_source) = match own {
                Some(own) => (Effort::Hours(own), EstimateSource::Guess),
                None => (
                    Effort::Hours(item.kind.placeholder()),
                    EstimateSource::Missing,
                ),
            };
            changed += 1;
        }
    }
    changed
}

/// The middle half of the crowd at the learner's pace: the crowd's 25th and 75th percentiles
/// times their calibration factor, a range, never a target.
pub fn at_your_pace(spread: &Spread, factor: f64) -> (Minutes, Minutes) {
    let scale = |m: Minutes| {
        let scaled = (f64::from(m.get()) * factor).round();
        Minutes::new(if scaled.is_finite() && scaled > 0.0 {
            scaled.min(f64::from(u32::MAX)) as u32
        } else {
            0
        })
    };
    (scale(spread.low), scale(spread.high))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::accounts::UserId;

    fn sample(user: i64, hours: u32) -> CrowdSample {
        CrowdSample {
            user: UserId(user),
            minutes: Minutes::from_hours(hours),
            building: Minutes::ZERO,
            evidence: false,
        }
    }

    #[test]
    fn thirty_learners_give_the_median_and_the_middle_half() {
        // 11 h, 12 h, …, 40 h.
        let samples: Vec<_> = (0..30).map(|n| sample(n, 11 + n as u32)).collect();
        let c = crowd_hours(&samples).unwrap();
        assert_eq!(c.all.learners, 30);
        assert_eq!(
            c.all.median,
            Minutes::new(25 * 60 + 30),
            "between the 15th and 16th"
        );
        assert_eq!(c.all.low, Minutes::new(18 * 60 + 15), "at 7.25 of 29");
        assert_eq!(c.all.high, Minutes::new(32 * 60 + 45), "at 21.75 of 29");
        assert_eq!(c.by_depth, vec![(Depth::Read, c.all)]);
    }

    #[test]
    fn four_learners_give_nothing_and_a_fifth_gives_a_figure() {
        let mut samples: Vec<_> = (0..4).map(|n| sample(n, 10)).collect();
        assert_eq!(crowd_hours(&samples), None);
        samples.push(sample(4, 20));
        assert_eq!(crowd_hours(&samples).unwrap().all.learners, 5);
    }

    #[test]
    fn a_learner_counts_once_and_finishing_without_time_does_not_count() {
        let mut samples: Vec<_> = (0..4).map(|n| sample(n, 10)).collect();
        samples.push(sample(0, 30));
        samples.push(CrowdSample {
            minutes: Minutes::ZERO,
            ..sample(9, 0)
        });
        assert_eq!(crowd_hours(&samples), None, "still four learners with time");
        samples.push(sample(5, 12));
        let c = crowd_hours(&samples).unwrap();
        assert_eq!(c.all.learners, 5);
        assert_eq!(
            c.all.high,
            Minutes::from_hours(12),
            "learner 0 counts with 30 h, once"
        );
        assert_eq!(c.all.median, Minutes::from_hours(10));
    }

    #[test]
    fn depths_split_by_evidence_then_building() {
        let mut samples = Vec::new();
        for n in 0..5 {
            samples.push(sample(n, 5));
            samples.push(CrowdSample {
                building: Minutes::from_hours(3),
                ..sample(10 + n, 20)
            });
            samples.push(CrowdSample {
                evidence: true,
                building: Minutes::from_hours(3),
                ..sample(20 + n, 40)
            });
        }
        samples.push(sample(30, 6));
        let c = crowd_hours(&samples).unwrap();
        assert_eq!(c.all.learners, 16);
        let depths: Vec<_> = c
            .by_depth
            .iter()
            .map(|(d, s)| (*d, s.learners, s.median))
            .collect();
        assert_eq!(
            depths,
            vec![
                (Depth::Read, 6, Minutes::from_hours(5)),
                (Depth::Exercises, 5, Minutes::from_hours(20)),
                (Depth::Evidence, 5, Minutes::from_hours(40)),
            ]
        );
    }

    #[test]
    fn ratings_read_in_half_stars_and_nothing_else() {
        for (raw, halves) in [
            ("3.5", 7),
            ("3,5", 7),
            ("4", 8),
            ("4½", 9),
            ("½", 1),
            (" 5 ", 10),
            ("0.5", 1),
        ] {
            assert_eq!(
                parse_rating(raw).map(HalfStars::halves),
                Ok(halves),
                "{raw}"
            );
        }
        for raw in ["0", "5.5", "3.25", "-1", "", "four", "NaN", "inf", "6"] {
            assert_eq!(parse_rating(raw), Err(ReviewProblem::Rating), "{raw}");
        }
    }

    #[test]
    fn a_review_reports_every_problem_at_once() {
        let long = "x".repeat(REVIEW_MAX_CHARS + 1);
        let tip = "y".repeat(TIP_MAX_CHARS + 1);
        assert_eq!(
            check_review("7", &long, &tip),
            Err(vec![
                ReviewProblem::Rating,
                ReviewProblem::TextTooLong,
                ReviewProblem::TipTooLong
            ])
        );
        let (rating, text, tip) = check_review("4.5", "  Good.  ", " Do the labs. ").unwrap();
        assert_eq!(
            (rating.halves(), text.as_str(), tip.as_str()),
            (9, "Good.", "Do the labs.")
        );
    }

    #[test]
    fn onward_counts_each_learner_once_from_five_up() {
        let row = |user, finished_next| Onward {
            user: UserId(user),
            finished_next,
        };
        let mut rows: Vec<_> = (0..4).map(|n| row(n, n % 2 == 0)).collect();
        assert_eq!(onward_counts(&rows), None);
        rows.push(row(1, true));
        assert_eq!(onward_counts(&rows), None, "learner 1 again: still four");
        rows.push(row(7, false));
        assert_eq!(
            onward_counts(&rows),
            Some((5, 3)),
            "0, 1 (in a copy) and 2 went on"
        );
    }

    fn curriculum() -> Curriculum {
        crate::curriculum::check_toml(
            r#"title = "C"
hours_per_week = 10
[[phases]]
title = "P"
items = [
  { id = "guessed", kind = "book", title = "G", hours = 12, estimated = "guess" },
  { id = "missing", kind = "course", title = "M", hours = 30, estimated = "missing" },
  { id = "stated", kind = "paper", title = "S", hours = 3 },
  { id = "weeks", kind = "course", title = "W", weeks = 2, estimated = "guess" },
]
"#,
        )
        .curriculum
        .unwrap()
    }

    fn id(raw: &str) -> ItemId {
        ItemId::parse(raw).unwrap()
    }

    #[test]
    fn the_crowd_replaces_guesses_only_and_switching_it_off_gives_them_back() {
        let original = curriculum();
        let mut c = original.clone();
        let h = Minutes::from_hours;
        let medians = [
            (id("guessed"), h(25)),
            (id("missing"), h(40)),
            (id("stated"), h(9)),
            (id("weeks"), h(15)),
        ];
        assert_eq!(use_crowd(&mut c, &medians), 3, "the stated estimate stands");
        let item = |c: &Curriculum, raw: &str| c.item(&id(raw)).cloned().unwrap();
        assert_eq!(item(&c, "guessed").effort, Effort::Hours(h(25)));
        assert_eq!(
            item(&c, "guessed").estimate_source,
            EstimateSource::Crowd { own: Some(h(12)) }
        );
        assert_eq!(
            item(&c, "missing").estimate_source,
            EstimateSource::Crowd { own: None }
        );
        assert_eq!(
            item(&c, "weeks").estimate_source,
            EstimateSource::Crowd { own: Some(h(20)) },
            "two weeks at ten hours a week"
        );
        assert_eq!(item(&c, "stated"), item(&original, "stated"));
        // The file keeps it all: it reads back the same.
        let again = crate::curriculum::check_toml(&crate::curriculum::write_toml(&c))
            .curriculum
            .unwrap();
        assert_eq!(again, c);
        // Taking it again changes nothing; a new median moves it and keeps the own figure.
        assert_eq!(use_crowd(&mut c, &medians), 0);
        assert_eq!(use_crowd(&mut c, &[(id("guessed"), h(26))]), 1);
        assert_eq!(
            item(&c, "guessed").estimate_source,
            EstimateSource::Crowd { own: Some(h(12)) }
        );

        assert_eq!(own_figures(&mut c), 3);
        assert_eq!(item(&c, "guessed"), item(&original, "guessed"));
        assert_eq!(
            item(&c, "missing"),
            item(&original, "missing"),
            "the placeholder again"
        );
        assert_eq!(item(&c, "weeks").effort, Effort::Hours(h(20)));
        assert_eq!(item(&c, "weeks").estimate_source, EstimateSource::Guess);
    }

    #[test]
    fn own_hours_goes_only_with_the_crowd() {
        let checked = crate::curriculum::check_toml(
            r#"title = "C"
[[phases]]
title = "P"
items = [{ id = "a", kind = "book", title = "A", hours = 2, own_hours = 3 }]
"#,
        );
        assert!(checked.curriculum.is_none());
        assert!(checked.diagnostics.iter().any(|d| {
            d.problem
                .kind
                .to_string()
                .contains("only goes with `estimated = \"crowd\"`")
        }));
    }

    #[test]
    fn your_pace_scales_the_middle_half() {
        let s = Spread {
            learners: 9,
            median: Minutes::from_hours(30),
            low: Minutes::from_hours(20),
            high: Minutes::from_hours(40),
        };
        assert_eq!(
            at_your_pace(&s, 1.25),
            (Minutes::from_hours(25), Minutes::from_hours(50))
        );
    }
}
