//! What other learners found of an item: crowd hours, whether finishers went on, and reviews.
//!
//! Crowd hours say how long an item really took the learners who finished it,
//! HowLongToBeat-style: how many, the median and the middle half ("most people: 35–60 h"),
//! split by how far they went (read or watched, with exercises, with a project or evidence).
//!
//! An item is the same item across its lineage: the same id in a curriculum and in every copy
//! of it. Only learners who opted in count ([`ProfileSettings::crowd`](crate::store::ProfileSettings)),
//! only when they finished the item and logged time on it, one figure per learner, and nothing
//! is shown below [`MIN_LEARNERS`]. Figures are only made for a public curriculum's items; the
//! share of finishers who went on to finish the next item follows the same rules.
//!
//! A review is a learner's rating in half stars, an optional Markdown text and a spoiler-free
//! note for the next learner, written from their follow once they logged time on the item or
//! finished it, one per learner per item, editable. It shows the reviewer's logged hours and
//! whether they finished, from their own records at the time it is read. Reviews of a public
//! lineage are read by anyone who can see the curriculum; otherwise only their writer sees
//! them.
//!
//! The same resource in unrelated curricula counts too: items whose links have one
//! [`resource_address`] are the same resource, wherever they are.
//!
//! The planner can use the crowd's median in place of a guess: the item is then marked
//! `estimated = "crowd"`, keeps its own figure beside it (`own_hours`), and goes back to it
//! with the off switch. The learner's calibration factor shows the crowd's middle half at
//! their pace, as a range, never a target.
//!
//! - `address`: a resource's address, normalised, pure;
//! - `model`: the figures and the review's limits;
//! - `rules`: the figures from the samples, the review's checks, and the crowd's median in
//!   and out of a curriculum, pure;
//! - `service`: the figures and reviews of an item a viewer may see, writing and removing a
//!   review, and the crowd's hours for a curriculum's guesses, over the `Store` traits.

mod address;
mod model;
mod rules;
mod service;

pub use address::resource_address;
pub use model::{
    CrowdHours, Depth, ItemCrowd, MIN_LEARNERS, OnwardFigure, REVIEW_MAX_CHARS, Rating,
    ReviewProblem, Spread, TIP_MAX_CHARS,
};
pub use rules::{
    at_your_pace, check_review, crowd_hours, mean_rating, one_per_learner, onward_counts,
    own_figures, parse_rating, spread, use_crowd,
};
pub use service::{
    CrowdCandidate, CrowdEstimates, ReviewError, ReviewInput, crowd_estimates, delete_item_review,
    item_crowd, save_item_review, stop_crowd_estimates, use_crowd_estimates,
};
