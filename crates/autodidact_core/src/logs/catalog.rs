//! Everything a learner may log time against: the items of the curricula they follow.

use super::rules::{ItemTarget, LogError};
use crate::accounts::UserId;
use crate::curriculum::Curriculum;
use crate::curriculum::ItemId;
use crate::follow::CurriculumCache;
use crate::store::{
    CurriculumId, CurriculumRecord, FollowId, ItemState, ItemStatus, Store, StoreResult,
};

/// One curriculum the learner follows, with its items in document order.
#[derive(Debug, Clone)]
pub struct FollowedCurriculum {
    pub follow: FollowId,
    pub curriculum: CurriculumId,
    pub title: String,
    pub items: Vec<(ItemId, String)>,
    /// The item being worked on: the one moved to doing last, else the first item not
    /// finished, in curriculum order; `None` when everything is finished.
    pub current: Option<ItemId>,
    /// When `current` was moved to doing; `None` when it is only next.
    pub doing_since: Option<jiff::Timestamp>,
}

/// Everything a learner may log time against.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub followed: Vec<FollowedCurriculum>,
}

impl FollowedCurriculum {
    /// A follow's entry: its curriculum's items (none when the source does not read) and the
    /// item being worked on, from its board.
    pub fn new(
        follow: FollowId,
        record: &CurriculumRecord,
        curriculum: Option<&Curriculum>,
        states: &[ItemState],
    ) -> Self {
        let items: Vec<(ItemId, String)> = curriculum
            .map(|c| c.items().map(|i| (i.id.clone(), i.title.clone())).collect())
            .unwrap_or_default();
        let doing = states
            .iter()
            .filter(|s| s.status == ItemStatus::Doing)
            .filter(|s| items.iter().any(|(id, _)| *id == s.item))
            .max_by_key(|s| s.updated_at);
        let (current, doing_since) = match doing {
            Some(s) => (Some(s.item.clone()), Some(s.updated_at)),
            None => {
                let finished = |id: &ItemId| {
                    states
                        .iter()
                        .any(|s| &s.item == id && crate::follow::is_finished(s.status))
                };
                let next = items.iter().map(|(id, _)| id).find(|id| !finished(id));
                (next.cloned(), None)
            }
        };
        Self {
            follow,
            curriculum: record.id,
            title: record.title.clone(),
            items,
            current,
            doing_since,
        }
    }
}

impl Catalog {
    /// The learner's follows with their curricula's items, by curriculum title. A curriculum
    /// whose source no longer reads contributes no items rather than failing the whole page.
    pub async fn load(
        store: &dyn Store,
        cache: &CurriculumCache,
        user: UserId,
    ) -> StoreResult<Self> {
        let mut followed = Vec::new();
        for follow in store.follows_of(user).await? {
            let Some(record) = store.curriculum(follow.curriculum).await? else {
                continue;
            };
            let curriculum = cache.parse(&record);
            let states = store.item_states(follow.id).await?;
            followed.push(FollowedCurriculum::new(
                follow.id,
                &record,
                curriculum.as_deref(),
                &states,
            ));
        }
        // By title, so lists read the same on every page and on every request.
        followed.sort_by(|a, b| {
            (a.title.to_lowercase(), a.follow).cmp(&(b.title.to_lowercase(), b.follow))
        });
        Ok(Self { followed })
    }

    pub fn is_empty(&self) -> bool {
        self.followed.is_empty()
    }

    /// The item a log most likely is about: the one moved to doing last, in any follow, else
    /// the next item of the first follow with one.
    pub fn current(&self) -> Option<(FollowId, &ItemId)> {
        let doing = self
            .followed
            .iter()
            .filter(|f| f.doing_since.is_some())
            .max_by_key(|f| f.doing_since);
        doing
            .or_else(|| self.followed.iter().find(|f| f.current.is_some()))
            .and_then(|f| f.current.as_ref().map(|item| (f.follow, item)))
    }

    pub fn by_follow(&self, follow: FollowId) -> Option<&FollowedCurriculum> {
        self.followed.iter().find(|f| f.follow == follow)
    }

    /// The curriculum's and the item's titles, for showing a log.
    pub fn describe(&self, follow: FollowId, item: &ItemId) -> Option<(&str, &str)> {
        let f = self.by_follow(follow)?;
        let (_, title) = f.items.iter().find(|(id, _)| id == item)?;
        Some((f.title.as_str(), title.as_str()))
    }

    /// The follow and item a target names, or why it names none of the learner's items.
    pub fn resolve(&self, target: &ItemTarget) -> Result<(FollowId, ItemId), LogError> {
        if self.followed.is_empty() {
            return Err(LogError::NothingFollowed(target.item().to_owned()));
        }
        let places: Vec<&FollowedCurriculum> = match target {
            ItemTarget::Anywhere(_) => self.followed.iter().collect(),
            ItemTarget::InFollow { follow, .. } => vec![
                self.by_follow(FollowId(*follow))
                    .ok_or(LogError::FollowNotFound(*follow))?,
            ],
            ItemTarget::InCurriculum { curriculum, .. } => vec![
                self.followed
                    .iter()
                    .find(|f| f.curriculum.0 == *curriculum)
                    .ok_or(LogError::CurriculumNotFollowed(*curriculum))?,
            ],
        };
        let wanted = target.item();
        let found: Vec<(&FollowedCurriculum, &ItemId)> = places
            .iter()
            .filter_map(|f| {
                f.items
                    .iter()
                    .find(|(id, _)| id.as_str() == wanted)
                    .map(|(id, _)| (*f, id))
            })
            .collect();
        match found.as_slice() {
            [(f, id)] => Ok((f.follow, (*id).clone())),
            [] => Err(self.unknown_item(wanted, &places)),
            many => Err(LogError::AmbiguousItem {
                item: wanted.to_owned(),
                choices: many
                    .iter()
                    .map(|(f, _)| format!("“{}”, curriculum {}", f.title, f.curriculum.0))
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }

    fn unknown_item(&self, wanted: &str, places: &[&FollowedCurriculum]) -> LogError {
        let close = places
            .iter()
            .flat_map(|f| f.items.iter())
            .map(|(id, _)| id.as_str())
            .find(|id| id.starts_with(wanted) || (wanted.len() >= 3 && id.contains(wanted)));
        LogError::UnknownItem {
            item: wanted.to_owned(),
            hint: close.map_or_else(String::new, |id| format!(" (did you mean `{id}`?)")),
            followed: self
                .followed
                .iter()
                .map(|f| format!("“{}” (curriculum {})", f.title, f.curriculum.0))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let item = |id: &str| (ItemId::parse(id).unwrap(), id.to_uppercase());
        Catalog {
            followed: vec![
                FollowedCurriculum {
                    follow: FollowId(1),
                    curriculum: CurriculumId(10),
                    title: "Deep learning".to_owned(),
                    items: vec![item("fast-ai-part-1"), item("linear-algebra")],
                    current: Some(item("fast-ai-part-1").0),
                    doing_since: None,
                },
                FollowedCurriculum {
                    follow: FollowId(2),
                    curriculum: CurriculumId(20),
                    title: "Maths".to_owned(),
                    items: vec![item("linear-algebra")],
                    current: Some(item("linear-algebra").0),
                    doing_since: Some("2026-03-02T10:00:00Z".parse().unwrap()),
                },
            ],
        }
    }

    #[test]
    fn the_current_item_is_the_one_started_last_else_the_first_follows_next() {
        let mut c = catalog();
        let current = c.current().map(|(f, i)| (f, i.as_str().to_owned()));
        assert_eq!(current, Some((FollowId(2), "linear-algebra".to_owned())));
        c.followed[1].doing_since = None;
        let current = c.current().map(|(f, i)| (f, i.as_str().to_owned()));
        assert_eq!(current, Some((FollowId(1), "fast-ai-part-1".to_owned())));
    }

    #[test]
    fn an_item_resolves_to_the_one_follow_that_holds_it() {
        let c = catalog();
        let any = |i: &str| ItemTarget::Anywhere(i.to_owned());
        assert_eq!(c.resolve(&any("fast-ai-part-1")).unwrap().0, FollowId(1));
        assert!(matches!(
            c.resolve(&any("linear-algebra")),
            Err(LogError::AmbiguousItem { .. })
        ));
        let in_maths = ItemTarget::InCurriculum {
            curriculum: 20,
            item: "linear-algebra".to_owned(),
        };
        assert_eq!(c.resolve(&in_maths).unwrap().0, FollowId(2));
        let err = c.resolve(&any("fast-ai")).unwrap_err().to_string();
        assert!(err.contains("did you mean `fast-ai-part-1`"), "{err}");
        assert!(
            err.contains("you follow: “Deep learning” (curriculum 10)"),
            "{err}"
        );
    }
}
