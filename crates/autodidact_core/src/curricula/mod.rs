//! Stored curricula as use cases: who may see one, and copies (forks) with their lineage.
//!
//! - `rules`: the copy of a curriculum, as a new record that remembers where it came from;
//! - `service`: reading a curriculum the viewer may see, forking it, and storing an edit, over
//!   the `Store` traits.

mod rules;
mod service;

pub use rules::{copy_of, lineage_words};
pub use service::{
    CurriculumError, EditError, create_curriculum, delete_curriculum, edit_curriculum,
    fork_curriculum, owned_curriculum, replace_source, set_visibility, visible_curriculum,
};
