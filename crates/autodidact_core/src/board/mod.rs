//! The board of a followed curriculum: moving a card (an item's status), its notes and its
//! evidence.
//!
//! - `rules`: the limits and checks of notes and evidence, and the warning when an item is
//!   started or finished before its prerequisites;
//! - `service`: the use cases over the `Store` traits, shared by the board pages, the item
//!   pages and the API.

mod rules;
mod service;
mod tasks;

pub use rules::{
    EvidenceInput, EvidenceProblem, MAX_EVIDENCE_TITLE_CHARS, MAX_EVIDENCE_URL_CHARS,
    MAX_NOTES_CHARS, check_evidence, start_warning,
};
pub use service::{
    BoardError, Moved, add_evidence, move_card, remove_evidence, save_notes, tick_task,
};
pub use tasks::{NOTES_OPTIONS, TaskError, set_task, task_markers};
