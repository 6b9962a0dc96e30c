//! Views derived from a learner's data, kept per learner and reused until the data changes.
//!
//! The database raises a learner's [`DataVersion`] in the same transaction as any change to what
//! their pages show (migration `0013_data_version`: triggers, so no write path can forget). A
//! view computed at one version is still true at the same version, on any node, so a
//! [`LearnerMemo`] keeps a learner's views under the version they were computed at, each with a
//! key of what else the view depends on (today's date, the week shown, the follow). A request
//! reads the version with its session, which it reads anyway, and recomputes only when the
//! version or the key differs.
//!
//! A view computed from data newer than the version it is filed under (a write landed between
//! reading the session and reading the data) is only ever refreshed early, never served stale:
//! the next request reads the newer version and misses.
//!
//! Entries are weighed in approximate bytes and the least useful go first when a memo is full,
//! so memory stays bounded however many learners there are.

use std::hash::Hash;
use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::accounts::UserId;
use crate::store::{DataVersion, User};

/// One learner's view, filed under the version it was computed at.
struct Entry<V> {
    version: DataVersion,
    value: Arc<V>,
    weight: u64,
}

#[derive(Clone)]
struct ByWeight;

impl<K, V> Weighter<(UserId, K), Arc<Entry<V>>> for ByWeight {
    fn weight(&self, _: &(UserId, K), entry: &Arc<Entry<V>>) -> u64 {
        entry.weight
    }
}

/// One kind of view (the dashboard, the week, a follow's plan), an entry per learner and key:
/// a learner with three follows keeps the three. An entry of an older version is replaced when
/// its view is computed again, or goes when the memo needs room.
pub struct LearnerMemo<K, V> {
    entries: Cache<(UserId, K), Arc<Entry<V>>, ByWeight>,
}

/// Entries lighter than this still count as this much: a learner's entry costs a map slot and
/// its key whatever its view holds.
const MIN_WEIGHT: u64 = 256;

impl<K: Eq + Hash + Clone, V> LearnerMemo<K, V> {
    /// A memo that holds at most about `bytes` of views.
    pub fn new(bytes: u64) -> Self {
        let estimated = usize::try_from(bytes / 16_384)
            .unwrap_or(usize::MAX)
            .max(16);
        Self {
            entries: Cache::with_weighter(estimated, bytes.max(1), ByWeight),
        }
    }

    /// The learner's view, if it was computed at their current version with the same key.
    pub fn get(&self, user: &User, key: &K) -> Option<Arc<V>> {
        let entry = self.entries.get(&(user.id, key.clone()))?;
        (entry.version == user.data_version).then(|| Arc::clone(&entry.value))
    }

    /// Files `value`, computed from the learner's data at `user.data_version` (or later), under
    /// that version and `key`, replacing the learner's earlier entry for `key`. `weight` is its
    /// size in approximate bytes.
    pub fn put(&self, user: &User, key: K, value: Arc<V>, weight: u64) {
        let entry = Entry {
            version: user.data_version,
            value,
            weight: weight.max(MIN_WEIGHT),
        };
        self.entries.insert((user.id, key), Arc::new(entry));
    }

    /// How many learners have a view here, and their approximate bytes.
    pub fn usage(&self) -> (usize, u64) {
        (self.entries.len(), self.entries.weight())
    }
}

impl<K: Eq + Hash + Clone, V> std::fmt::Debug for LearnerMemo<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (learners, bytes) = self.usage();
        f.debug_struct("LearnerMemo")
            .field("learners", &learners)
            .field("bytes", &bytes)
            .finish()
    }
}

/// Views of a parsed curriculum that depend on nothing but it (the curriculum page's phases
/// with their Markdown rendered), kept per model.
///
/// [`crate::follow::CurriculumCache`] hands out one shared model per source text, so a model's
/// address names its text exactly for as long as an entry here holds the model: no hash, no
/// version. A model parsed again after it left that cache is a new address, and its views
/// are made again.
pub struct ModelMemo<V> {
    entries: Cache<usize, ModelEntry<V>, ByModelWeight>,
}

/// The model (held, so its address is not reused), its view and the view's weight.
type ModelEntry<V> = (Arc<crate::curriculum::Curriculum>, Arc<V>, u64);

#[derive(Clone)]
struct ByModelWeight;

impl<V> Weighter<usize, ModelEntry<V>> for ByModelWeight {
    fn weight(&self, _: &usize, entry: &ModelEntry<V>) -> u64 {
        entry.2
    }
}

impl<V> ModelMemo<V> {
    /// A memo that holds at most about `bytes` of views.
    pub fn new(bytes: u64) -> Self {
        let estimated = usize::try_from(bytes / 65_536)
            .unwrap_or(usize::MAX)
            .max(16);
        Self {
            entries: Cache::with_weighter(estimated, bytes.max(1), ByModelWeight),
        }
    }

    /// The view of `model`, made by `make` (and weighed by `weight`, in approximate bytes) the
    /// first time.
    pub fn get_or_make(
        &self,
        model: &Arc<crate::curriculum::Curriculum>,
        make: impl FnOnce(&crate::curriculum::Curriculum) -> V,
        weight: impl FnOnce(&V) -> u64,
    ) -> Arc<V> {
        let key = Arc::as_ptr(model) as usize;
        if let Some((held, view, _)) = self.entries.get(&key)
            && Arc::ptr_eq(&held, model)
        {
            return view;
        }
        let view = Arc::new(make(model));
        let weight = weight(&view).max(MIN_WEIGHT);
        self.entries
            .insert(key, (Arc::clone(model), Arc::clone(&view), weight));
        view
    }

    /// How many models have a view here, and their approximate bytes.
    pub fn usage(&self) -> (usize, u64) {
        (self.entries.len(), self.entries.weight())
    }
}

impl<V> std::fmt::Debug for ModelMemo<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (models, bytes) = self.usage();
        f.debug_struct("ModelMemo")
            .field("models", &models)
            .field("bytes", &bytes)
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::accounts::{Email, Handle, Settings};
    use jiff::Timestamp;

    fn learner(id: i64, version: i64) -> User {
        User {
            id: UserId(id),
            handle: Handle::from_trusted(format!("l{id}")),
            display_name: String::new(),
            email: Email::from_trusted(format!("l{id}@example.org")),
            settings: Settings::default(),
            created_at: Timestamp::UNIX_EPOCH,
            data_version: DataVersion(version),
        }
    }

    #[test]
    fn a_view_is_reused_only_at_the_same_version_and_key() {
        let memo: LearnerMemo<&str, String> = LearnerMemo::new(1 << 20);
        memo.put(&learner(1, 7), "mon", Arc::new("seven".into()), 10);
        assert_eq!(
            memo.get(&learner(1, 7), &"mon")
                .as_deref()
                .map(String::as_str),
            Some("seven")
        );
        // Another version, another key, another learner: none sees it.
        assert!(memo.get(&learner(1, 8), &"mon").is_none());
        assert!(memo.get(&learner(1, 6), &"mon").is_none());
        assert!(memo.get(&learner(1, 7), &"tue").is_none());
        assert!(memo.get(&learner(2, 7), &"mon").is_none());
        // A newer view replaces the learner's entry for its key; other keys keep theirs.
        memo.put(&learner(1, 7), "tue", Arc::new("tuesday".into()), 10);
        memo.put(&learner(1, 8), "mon", Arc::new("eight".into()), 10);
        assert!(memo.get(&learner(1, 7), &"mon").is_none());
        assert_eq!(
            memo.get(&learner(1, 8), &"mon")
                .as_deref()
                .map(String::as_str),
            Some("eight")
        );
        assert_eq!(memo.usage().0, 2);
    }

    #[test]
    fn memory_stays_within_the_budget() {
        let memo: LearnerMemo<(), Vec<u8>> = LearnerMemo::new(1_000_000);
        for id in 0..1_000 {
            memo.put(&learner(id, 1), (), Arc::new(vec![0; 10_000]), 10_000);
        }
        let (learners, bytes) = memo.usage();
        assert!(bytes <= 1_000_000, "{bytes} bytes kept");
        assert!((50..=100).contains(&learners), "{learners} learners kept");
    }

    #[test]
    fn a_models_view_is_made_once_and_a_new_model_gets_its_own() {
        let source = "title = \"A\"\n[[phases]]\ntitle = \"P\"\nitems = [{ id = \"a\", kind = \"course\", title = \"A\", hours = 1 }]\n";
        let model = Arc::new(
            crate::curriculum::check_stored_toml(source)
                .curriculum
                .unwrap(),
        );
        let memo: ModelMemo<String> = ModelMemo::new(1 << 20);
        let made = std::cell::Cell::new(0);
        let view = |m: &Arc<crate::curriculum::Curriculum>| {
            memo.get_or_make(
                m,
                |c| {
                    made.set(made.get() + 1);
                    c.title.clone()
                },
                |v| v.len() as u64,
            )
        };
        assert_eq!(*view(&model), "A");
        assert_eq!(*view(&model), "A");
        assert_eq!(made.get(), 1);
        // The same text parsed again is another model: its view is made for it.
        let again = Arc::new((*model).clone());
        assert_eq!(*view(&again), "A");
        assert_eq!(made.get(), 2);
    }
}
