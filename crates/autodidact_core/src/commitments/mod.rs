//! Weekly commitments as use cases: asking for a new weekly minimum (or a pause), kept in
//! order and never rewritten; its effect follows `insight::commitment`'s rules (a raise at
//! once, a loosening after the learner's delay).

mod service;

pub use service::{CommitmentError, Committed, MAX_WEEKLY, MIN_WEEKLY, commit_weekly, scheduled};
