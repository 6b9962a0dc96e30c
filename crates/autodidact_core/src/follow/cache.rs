//! Parsed curricula, kept between requests.

use std::hash::BuildHasher;
use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::curriculum::{Curriculum, check_stored_toml};
use crate::store::CurriculumRecord;

/// About this many bytes of curriculum source are kept parsed (a parsed model takes a few
/// times its source): every curriculum a busy server's active learners follow, many times over.
const CACHED_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Clone)]
struct BySource;

/// A parsed model with the source it was parsed from, to tell a hash collision from a hit.
type Parsed = (Arc<Curriculum>, Arc<str>);

impl Weighter<u64, Parsed> for BySource {
    fn weight(&self, _: &u64, entry: &Parsed) -> u64 {
        (entry.1.len() as u64).max(1)
    }
}

/// Parsed models of stored curricula, keyed by their source: the text, not the curriculum.
///
/// The same source always gives the same model, so the cache holds no state another server
/// could disagree with, an edit is a new key, and the many unchanged copies of one template
/// share one model. The key is a hash of the source and the entry keeps the source, so a
/// collision is told apart and parsed anew. One lives in the web app's state and one in each
/// command that reads follows; every path that plans a stored curriculum goes through it. A
/// model is shared, not copied: a hit costs a hash and a comparison of the source, and a
/// reference count.
pub struct CurriculumCache {
    parsed: Cache<u64, Parsed, BySource>,
    hasher: foldhash::fast::FixedState,
}

impl std::fmt::Debug for CurriculumCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CurriculumCache")
            .field("sources", &self.parsed.len())
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
        let key = self.hasher.hash_one(&record.source);
        if let Some((hit, source)) = self.parsed.get(&key)
            && *source == *record.source
        {
            return Some(hit);
        }
        let parsed = Arc::new(check_stored_toml(&record.source).curriculum?);
        self.parsed.insert(
            key,
            (Arc::clone(&parsed), Arc::from(record.source.as_str())),
        );
        Some(parsed)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::accounts::UserId;
    use crate::store::{CurriculumId, Lineage, Visibility};
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
        assert_eq!(
            edited.phases[0].items[0].effort.bounds(None).0.get(),
            12 * 60
        );
        assert!(cache.parse(&record(2, "not toml [")).is_none());
    }

    #[test]
    fn copies_with_the_same_source_share_one_model() {
        let cache = CurriculumCache::new();
        let first = cache.parse(&record(1, SOURCE)).unwrap();
        let copy = cache.parse(&record(2, SOURCE)).unwrap();
        assert!(Arc::ptr_eq(&first, &copy));
        assert_eq!(cache.parsed.len(), 1);
    }
}
