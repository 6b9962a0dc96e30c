//! A query of the listing, raw and read, and one page of the answer.

use serde::Deserialize;

use crate::curriculum::ItemKind;
use crate::store::{ExploreSort, ListedCurriculum};

/// A query as a form or a URL carries it: every field text, every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawQuery {
    pub q: String,
    pub skill: String,
    pub kind: String,
    pub min_hours: String,
    pub max_hours: String,
    pub max_weekly: String,
    pub sort: String,
    pub page: String,
}

/// A query, read: what to search for, how to narrow and order it, and which page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExploreQuery {
    /// The search as typed (trimmed), to show it back.
    pub text: String,
    /// Lowercased words; each must be in the title, the skills or the author's handle.
    pub words: Vec<String>,
    pub skill: Option<String>,
    pub kind: Option<ItemKind>,
    pub min_hours: Option<u32>,
    pub max_hours: Option<u32>,
    pub max_weekly: Option<u32>,
    pub sort: ExploreSort,
    /// From 1.
    pub page: u32,
}

/// A field of a query that cannot be read, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct QueryProblem {
    pub field: &'static str,
    pub message: String,
}

/// One page of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplorePage {
    pub query: ExploreQuery,
    pub entries: Vec<ListedCurriculum>,
    /// Whether a next page has entries.
    pub more: bool,
}
