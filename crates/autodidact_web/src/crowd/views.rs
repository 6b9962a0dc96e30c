//! What the item page shows of other learners: crowd hours, whether finishers went on, the
//! mean rating and the reviews, and the learner's own review form.

use autodidact_core::crowd::{CrowdHours, ItemCrowd, Spread};
use autodidact_core::store::{HalfStars, ItemReview};

use crate::markdown;

/// The stars of a rating as text: `★★★½☆` for 3.5.
pub fn stars(rating: HalfStars) -> String {
    let halves = usize::from(rating.halves());
    let full = halves / 2;
    let half = halves % 2;
    "★".repeat(full) + if half == 1 { "½" } else { "" } + &"☆".repeat(5 - full - half)
}

/// A rating in words: `3.5` or `4`.
pub fn stars_number(stars: f64) -> String {
    if stars.fract() == 0.0 {
        format!("{stars:.0}")
    } else {
        format!("{stars:.1}")
    }
}

fn spread_words(s: &Spread) -> String {
    format!(
        "{}–{} (median {}, {} learners)",
        s.low, s.high, s.median, s.learners
    )
}

/// An item's crowd hours as the page says them.
pub struct HoursView {
    /// "35 h–60 h (median 45 h, 12 learners)".
    pub all: String,
    /// The same for each depth with enough learners: "with exercises: 40 h–70 h (…)".
    pub by_depth: Vec<String>,
}

impl HoursView {
    pub fn new(c: &CrowdHours) -> Self {
        Self {
            all: spread_words(&c.all),
            by_depth: c
                .by_depth
                .iter()
                .map(|(d, s)| format!("{}: {}", d.words(), spread_words(s)))
                .collect(),
        }
    }
}

/// One review as shown.
pub struct ReviewView {
    pub handle: String,
    pub stars: String,
    pub rating: String,
    pub text_html: String,
    pub tip: String,
    /// "logged 12 h 30 min, finished" or "logged 3 h, not finished".
    pub record: String,
    pub day: String,
    pub mine: bool,
}

impl ReviewView {
    fn new(r: &ItemReview, mine: bool) -> Self {
        Self {
            handle: r.handle.to_string(),
            stars: stars(r.rating),
            rating: stars_number(r.rating.stars()),
            text_html: markdown::render(&r.text),
            tip: r.tip.clone(),
            record: format!(
                "logged {}, {}",
                r.logged,
                if r.finished {
                    "finished"
                } else {
                    "not finished"
                }
            ),
            day: r.updated_at.strftime("%-d %b %Y").to_string(),
            mine,
        }
    }
}

/// The learner's review form: what is saved, or what they wrote that did not save.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub tip: String,
}

/// The item page's "what others found" section.
pub struct CrowdSection {
    pub hours: Option<HoursView>,
    /// "Of 12 learners who finished it, 9 went on to finish the next item, “X”."
    pub onward: Option<String>,
    /// "4.5 of 5 from 7 reviews".
    pub rating: Option<String>,
    pub reviews: Vec<ReviewView>,
    /// Whether the learner has a review saved.
    pub reviewed: bool,
    pub form: ReviewForm,
}

impl CrowdSection {
    pub fn new(c: &ItemCrowd, viewer_follow: autodidact_core::store::FollowId) -> Self {
        let mine = c.mine.as_ref().filter(|r| r.follow == viewer_follow);
        Self {
            hours: c.hours.as_ref().map(HoursView::new),
            onward: c.onward.as_ref().map(|o| {
                format!(
                    "Of {} learners who finished it, {} went on to finish the next item, “{}”.",
                    o.finished, o.went_on, o.next_title
                )
            }),
            rating: c.rating.map(|r| {
                format!(
                    "{} of 5 from {} {}",
                    stars_number((r.mean * 10.0).round() / 10.0),
                    r.reviews,
                    if r.reviews == 1 { "review" } else { "reviews" }
                )
            }),
            reviews: c
                .reviews
                .iter()
                .map(|r| ReviewView::new(r, c.mine.as_ref().is_some_and(|m| m.user == r.user)))
                .collect(),
            reviewed: mine.is_some(),
            form: mine.map_or_else(ReviewForm::default, |m| ReviewForm {
                rating: stars_number(m.rating.stars()),
                text: m.text.clone(),
                tip: m.tip.clone(),
            }),
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test stops at the first surprise"
)]
mod tests {
    use super::*;

    #[test]
    fn stars_draw_halves() {
        let s = |h| stars(HalfStars::new(h).expect("a rating"));
        assert_eq!(s(7), "★★★½☆");
        assert_eq!(s(10), "★★★★★");
        assert_eq!(s(1), "½☆☆☆☆");
        assert_eq!(stars_number(3.5), "3.5");
        assert_eq!(stars_number(4.0), "4");
    }
}
