//! Stored curricula as use cases: who may see one, and copies (forks) with their lineage.
//!
//! - `rules`: the copy of a curriculum, as a new record that remembers where it came from;
//! - `estimates`: new hours for many items at once (the hours grid), and storing an import
//!   with its report;
//! - `update`: a new version from a file, compared item by item and applied on a yes;
//! - `service`: reading a curriculum the viewer may see, forking it, and storing an edit, over
//!   the `Store` traits.

mod estimates;
mod rules;
mod service;
mod update;

pub use estimates::{
    EstimateChange, EstimatesError, SaveEstimatesError, apply_estimates, import_curriculum,
    import_report, likely_duplicate, save_estimates,
};
pub use rules::{copy_of, lineage_words};
pub(crate) use service::owned_model;
pub use service::{
    CurriculumError, EditError, create_curriculum, delete_curriculum, edit_curriculum,
    fork_curriculum, owned_curriculum, replace_source, set_visibility, visible_curriculum,
};
pub use update::{
    ChangedItem, CurriculumDiff, DiffItem, UpdateError, UpdatePreview, apply_update, diff,
    fingerprint, preview_update,
};
