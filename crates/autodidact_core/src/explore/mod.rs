//! Explore: the public curricula, searched, filtered and sorted, for anyone, signed in or not.
//!
//! A curriculum's figures (items, hours, kinds, skills) are derived from its source by
//! [`summarize`] and kept beside it, written in the same transaction; the counts of learners
//! who follow or finished it (or a copy of it) are kept by the database's own triggers. A
//! listing is one indexed query and never parses a file. Only public curricula are listed:
//! unlisted ones open at their address and nowhere else.
//!
//! - `model`: a query as the learner asked it, and a page of the listing;
//! - `rules`: the summary of a curriculum, and reading a query from a form, pure;
//! - `service`: one page of the listing, over the `Store` traits.

mod model;
mod rules;
mod service;

pub use model::{ExplorePage, ExploreQuery, QueryProblem, RawQuery};
pub use rules::{parse_query, summarize, summarize_source};
pub use service::{PAGE_SIZE, explore};
