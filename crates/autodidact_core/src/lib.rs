//! Autodidact's domain, with no IO: curricula and their file format, validation, the planner,
//! the importers (Trello, Markdown, roadmap.sh) and the exports (Markdown, iCalendar).
//!
//! Everything here is a pure function of its inputs; dates and "today" are passed in. Reading
//! files, databases, HTTP and argument parsing belong to the crates above this one, and
//! `sqlx`, `axum`, `tokio` and `clap` must never enter this crate's dependency tree (CI checks
//! it).

pub mod accounts;
pub mod board;
pub mod commitments;
pub mod crowd;
pub mod curricula;
pub mod curriculum;
pub mod explore;
pub mod export;
pub mod follow;
pub mod import;
pub mod insight;
pub mod logs;
pub mod memo;
pub mod plan;
pub mod review;
pub mod secrets;
pub mod sharing;
pub mod store;
pub mod takeout;
pub mod templates;
pub mod throttle;
pub mod timer;
pub mod today;
pub mod upstream;
