//! Pulling a fork's source: an item-level three-way merge (base = the source as the fork last
//! took it, mine = the fork, theirs = the source now), its plan impact previewed before the
//! learner accepts, and nothing the learner did lost. Board states, notes, evidence, logs and
//! reviews name items by id, and every id with progress survives the merge.
//!
//! - `model`: fields, conflicts, proposals, the learner's decisions and the merge;
//! - `rules`: the merge, pure;
//! - `service`: the update available to a fork, its preview with the plan impact, and
//!   accepting it, over the `Store` traits;
//! - `suggest`: the other way, an item change suggested to the source's author, who accepts
//!   it into their curriculum or declines it.

mod model;
mod rules;
mod service;
mod suggest;

pub use model::{
    Conflict, Decisions, Dropped, Field, Kept, Merge, Place, Proposed, Retired, TopField, Updated,
};
pub use rules::merge;
pub use service::{
    FinishRange, MovedItem, PlanImpact, UpstreamError, UpstreamPreview, accept_upstream,
    preview_upstream, update_available,
};
pub use suggest::{
    NOTE_MAX_CHARS, SuggestError, Suggestable, SuggestionView, answer_suggestion, apply_suggestion,
    differing_fields, item_file, read_item_file, suggest_item, suggestable_items, suggestions_to,
};

#[cfg(test)]
mod tests;
