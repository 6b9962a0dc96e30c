//! Crowd hours: how long an item really took the learners who finished it,
//! HowLongToBeat-style: how many, the median and the middle half ("most people: 35–60 h"),
//! split by how far they went (read or watched, with exercises, with a project or evidence).
//!
//! An item is the same item across its lineage: the same id in a curriculum and in every copy
//! of it. Only learners who opted in count ([`ProfileSettings::crowd`](crate::store::ProfileSettings)),
//! only when they finished the item and logged time on it, one figure per learner, and nothing
//! is shown below [`MIN_LEARNERS`]. Figures are only made for a public curriculum's items.
//!
//! - `model`: the figures;
//! - `rules`: the figures from the samples, pure;
//! - `service`: the figures of an item a viewer may see, over the `Store` traits.

mod model;
mod rules;
mod service;

pub use model::{CrowdHours, Depth, MIN_LEARNERS, Spread};
pub use rules::{crowd_hours, spread};
pub use service::item_crowd_hours;
