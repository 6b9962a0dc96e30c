//! Parsed curricula, kept between requests.

use std::hash::BuildHasher;
use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::curriculum::{Curriculum, check_stored_toml};
use crate::store::{CurriculumId, CurriculumRecord};

/// About this many bytes of curriculum source are kept parsed (a parsed model takes a few
/// times its source): every curriculum a busy server's active learners follow, many times over.
const CACHED_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Clone)]
struct BySource;

impl Weighter<(CurriculumId, u64), (Arc<Curriculum>, u64)> for BySource {
    fn weight(&self, _: &(CurriculumId, u64), entry: &(Arc<Curriculum>, u64)) -> u64 {
        entry.1.max(1)
    }
}

/// Parsed models of stored curricula, keyed by the curriculum's id and a hash of its source.
///
/// The same source always gives the same model, so the cache holds no state another server
/// could disagree with, and an edit is a new key. One lives in the web app's state and one in
/// each command that reads follows; every path that plans a stored curriculum goes through it.
/// A model is shared, not copied: a hit costs a hash of the source and a reference count.
pub struct CurriculumCache {
    parsed: Cache<(CurriculumId, u64), (Arc<Curriculum>, u64), BySource>,
    hasher: foldhash::fast::FixedState,
}

impl std::fmt::Debug for CurriculumCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CurriculumCache")
            .field("curricula", &self.parsed.len())
            .field("source_bytes", &self.parsed.weight())
            .finish()
    }
}

impl Default for CurriculumCache {
    fn default() -> Self {
        Self {
            parsed: Cache::with_weighter(4096, CACHED_SOURCE_BYTES, BySource),
            hasher: foldhash::fast::FixedState::with_seed(0x6175_746f),
        }
    }
}

impl CurriculumCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The model of a stored curriculum; `None` if its source does not read (a curriculum is
    /// checked when saved, so only one stored by an older version can fail).
    pub fn parse(&self, record: &CurriculumRecord) -> Option<Arc<Curriculum>> {
        let key = (record.id, self.hasher.hash_one(&record.source));
        if let Some((hit, _)) = self.parsed.get(&key) {
            return Some(hit);
        }
        let parsed = Arc::new(check_stored_toml(&record.source).curriculum?);
        let weight = record.source.len() as u64;
        self.parsed.insert(key, (Arc::clone(&parsed), weight));
        Some(parsed)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::accounts::UserId;
    use crate::store::{Lineage, Visibility};
    use jiff::Timestamp;

    fn record(id: i64, source: &str) -> CurriculumRecord {
        CurriculumRecord {
            id: CurriculumId(id),
            owner: UserId(1),
            title: "A".to_owned(),
            visibility: Visibility::Private,
            source: source.to_owned(),
            version: 1,
            lineage: Lineage::Original,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        }
    }

    const SOURCE: &str = r#"title = "A"
hours_per_week = 10

[[phases]]
title = "Foundations"
items = [{ id = "course", kind = "course", title = "A course", hours = 10 }]
"#;

    #[test]
    fn a_hit_shares_the_model_and_an_edit_is_parsed_anew() {
        let cache = CurriculumCache::new();
        let first = cache.parse(&record(1, SOURCE)).unwrap();
        let again = cache.parse(&record(1, SOURCE)).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        let edited = cache
            .parse(&record(1, &SOURCE.replace("hours = 10 }", "hours = 12 }")))
            .unwrap();
        assert!(!Arc::ptr_eq(&first, &edited));
        assert!(cache.parse(&record(2, "not toml [")).is_none());
    }
}
