//! Study logs: recording, changing and deleting time spent, with one set of rules.
//!
//! - `rules`: pure functions that read what people type (durations such as `1h30m`, kinds,
//!   days, notes) and the checks every log passes: 1 to 1,440 minutes, dated at most a day
//!   after the learner's today, a note of at most 2,000 characters;
//! - `catalog`: the items a learner may log against, and which one a client names;
//! - `service`: the use cases (record, edit, delete) over the `Store` traits. The pages, the
//!   JSON API and the command line all call these, so a log means the same whichever way it
//!   came in.

mod catalog;
mod rules;
mod service;

pub use catalog::{Catalog, FollowedCurriculum};
pub use rules::{
    DAY_FULL, ItemTarget, LogDraft, LogError, MAX_KEY_CHARS, MAX_MINUTES, MAX_NOTE_CHARS,
    check_day, check_key, check_minutes, check_note, parse_day, parse_duration, parse_kind,
};
pub use service::{
    LogInput, LogPatch, LogServiceError, Recorded, delete_log, edit_log, own_log, record_log,
    record_log_in,
};
