//! One page of the listing, over the `Store` traits.

use super::model::{ExplorePage, ExploreQuery};
use crate::curriculum::Minutes;
use crate::store::{ExploreFilter, Store, StoreResult};

/// Curricula on a page of the listing.
pub const PAGE_SIZE: u32 = 20;

/// The page of public curricula `query` asks for. Anyone may ask: only public curricula are
/// ever listed.
pub async fn explore(store: &dyn Store, query: ExploreQuery) -> StoreResult<ExplorePage> {
    let hours = |h: Option<u32>| h.map(|h| Minutes::new(h.saturating_mul(60)));
    let filter = ExploreFilter {
        words: query.words.clone(),
        skill: query.skill.clone(),
        kind: query.kind,
        min_total: hours(query.min_hours),
        max_total: hours(query.max_hours),
        max_weekly: hours(query.max_weekly),
        sort: query.sort,
        offset: (query.page.max(1) - 1) * PAGE_SIZE,
        // One more than a page, to know whether there is a next one.
        limit: PAGE_SIZE + 1,
    };
    let mut entries = store.explore(&filter).await?;
    let more = entries.len() > PAGE_SIZE as usize;
    entries.truncate(PAGE_SIZE as usize);
    Ok(ExplorePage {
        query,
        entries,
        more,
    })
}
