//! Parsed curricula, kept between requests.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;

use crate::curriculum::{Curriculum, check_stored_toml};
use crate::store::{CurriculumId, CurriculumRecord};

/// Enough for every curriculum a busy server's active learners follow; cleared when full.
const CACHED: usize = 512;

/// Parsed models of stored curricula, keyed by the curriculum's id and a hash of its source.
///
/// The same source always gives the same model, so the cache holds no state another server
/// could disagree with, and an edit is a new key. One lives in the web app's state and one in
/// each command that reads follows; every path that plans a stored curriculum goes through it.
#[derive(Debug, Default)]
pub struct CurriculumCache {
    parsed: Mutex<HashMap<(CurriculumId, u64), Curriculum>>,
}

impl CurriculumCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The model of a stored curriculum; `None` if its source does not read (a curriculum is
    /// checked when saved, so only one stored by an older version can fail).
    pub fn parse(&self, record: &CurriculumRecord) -> Option<Curriculum> {
        let mut hasher = DefaultHasher::new();
        record.source.hash(&mut hasher);
        let key = (record.id, hasher.finish());
        if let Some(hit) = self.parsed.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Some(hit);
        }
        let parsed = check_stored_toml(&record.source).curriculum?;
        if let Ok(mut cache) = self.parsed.lock() {
            if cache.len() >= CACHED {
                cache.clear();
            }
            cache.insert(key, parsed.clone());
        }
        Some(parsed)
    }
}
