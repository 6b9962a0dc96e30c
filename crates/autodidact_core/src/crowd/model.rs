//! Crowd figures.

use crate::curriculum::{ItemId, Minutes};
use crate::store::ItemReview;

/// No figure is shown from fewer learners than this: a figure of one or two learners would
/// be their own hours under another name.
pub const MIN_LEARNERS: usize = 5;

/// How far a learner went with an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Depth {
    /// Only time logged as learning or review.
    Read,
    /// Time logged as building too (exercises, practice), without evidence.
    Exercises,
    /// Evidence attached: a project, a notebook, a post.
    Evidence,
}

impl Depth {
    pub const ALL: [Depth; 3] = [Depth::Read, Depth::Exercises, Depth::Evidence];

    pub fn as_str(self) -> &'static str {
        match self {
            Depth::Read => "read",
            Depth::Exercises => "exercises",
            Depth::Evidence => "evidence",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Depth::Read => "read or watched",
            Depth::Exercises => "with exercises",
            Depth::Evidence => "with a project or evidence",
        }
    }
}

/// How long it took a group of learners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spread {
    pub learners: usize,
    pub median: Minutes,
    /// The middle half: from the 25th to the 75th percentile.
    pub low: Minutes,
    pub high: Minutes,
}

/// An item's crowd hours: every learner, and each depth with enough of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrowdHours {
    pub all: Spread,
    pub by_depth: Vec<(Depth, Spread)>,
}

/// The longest review text, in characters.
pub const REVIEW_MAX_CHARS: usize = 4_000;
/// The longest note for the next learner, in characters: a line or two.
pub const TIP_MAX_CHARS: usize = 280;

/// Of the learners who finished an item, how many went on to finish the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnwardFigure {
    pub finished: usize,
    pub went_on: usize,
    pub next: ItemId,
    pub next_title: String,
}

/// The mean rating of an item's reviews.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rating {
    /// In stars, 0.5 to 5.
    pub mean: f64,
    pub reviews: usize,
}

/// What other learners found of an item, as far as one viewer may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCrowd {
    /// How long it took; `None` below [`MIN_LEARNERS`] or for a curriculum that is not public.
    pub hours: Option<CrowdHours>,
    /// Whether finishers went on to the next item; the same rules as `hours`.
    pub onward: Option<OnwardFigure>,
    /// The reviews the viewer may read, newest first, one per learner; the viewer's own among
    /// them.
    pub reviews: Vec<ItemReview>,
    pub rating: Option<Rating>,
    /// The viewer's own review, also in `reviews`.
    pub mine: Option<ItemReview>,
}

/// What is wrong with a review as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewProblem {
    #[error("give a rating from 0.5 to 5 stars, in half stars (such as 3.5)")]
    Rating,
    #[error("a review is at most {REVIEW_MAX_CHARS} characters: shorten it")]
    TextTooLong,
    #[error(
        "the note for the next learner is at most {TIP_MAX_CHARS} characters: keep it to a line or two"
    )]
    TipTooLong,
}

impl ReviewProblem {
    /// The form field it is about.
    pub fn field(&self) -> &'static str {
        match self {
            ReviewProblem::Rating => "rating",
            ReviewProblem::TextTooLong => "text",
            ReviewProblem::TipTooLong => "tip",
        }
    }
}
