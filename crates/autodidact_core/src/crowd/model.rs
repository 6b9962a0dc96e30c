//! Crowd figures.

use crate::curriculum::Minutes;

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
