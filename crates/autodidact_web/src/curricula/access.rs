//! Who may see and who may change a curriculum, decided in one place for every route.
//!
//! Anyone the curriculum's visibility allows may see it; only its owner may change it. Every
//! refusal is a 404, the same as for an id that does not exist, so a private curriculum's
//! existence is never revealed.

use autodidact_core::curricula::{edit_curriculum, visible_curriculum};
use autodidact_core::curriculum::Curriculum;
use autodidact_core::store::{CurriculumId, CurriculumRecord};
use jiff::Timestamp;

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::error::PageError;

/// A curriculum its owner is changing.
#[derive(Debug, Clone)]
pub struct Owned {
    pub who: SignedIn,
    pub record: CurriculumRecord,
    pub curriculum: Curriculum,
}

/// The id in a URL; anything but a number is not found.
pub fn parse_id(raw: &str) -> Result<CurriculumId, PageError> {
    raw.parse::<i64>()
        .map(CurriculumId)
        .map_err(|_| PageError::NotFound)
}

/// The stored source as a curriculum, through the parse cache. Every write is validated, so a
/// failure is a bug.
pub fn parse_source(
    state: &AppState,
    record: &CurriculumRecord,
) -> Result<std::sync::Arc<Curriculum>, PageError> {
    state.curricula.parse(record).ok_or_else(|| {
        PageError::Internal(format!(
            "stored curriculum {} does not read back",
            record.id.0
        ))
    })
}

/// The curriculum, if `viewer` may see it.
pub async fn load_visible(
    state: &AppState,
    raw_id: &str,
    viewer: Option<&SignedIn>,
) -> Result<(CurriculumRecord, std::sync::Arc<Curriculum>), PageError> {
    let id = parse_id(raw_id)?;
    let viewer = viewer.map(|w| w.user.id);
    let record = visible_curriculum(state.store.as_ref(), viewer, id).await?;
    let curriculum = parse_source(state, &record)?;
    Ok((record, curriculum))
}

/// The curriculum, if `viewer` owns it.
pub async fn load_owned(
    state: &AppState,
    raw_id: &str,
    viewer: Option<SignedIn>,
) -> Result<Owned, PageError> {
    let who = viewer.ok_or(PageError::NotFound)?;
    let (record, curriculum) = load_visible(state, raw_id, Some(&who)).await?;
    if record.owner != who.user.id {
        return Err(PageError::NotFound);
    }
    Ok(Owned {
        who,
        record,
        curriculum: std::sync::Arc::unwrap_or_clone(curriculum),
    })
}

/// Writes a validated curriculum back as its TOML file. The file is read back first: what is
/// stored must be exactly what the command line would read.
pub async fn save(state: &AppState, owned: &Owned, changed: &Curriculum) -> Result<(), PageError> {
    let (store, owner, id) = (state.store.as_ref(), owned.who.user.id, owned.record.id);
    Ok(edit_curriculum(store, owner, id, changed, Timestamp::now()).await?)
}

/// Where a curriculum's page is.
pub fn page_url(id: CurriculumId) -> String {
    format!("/curricula/{}", id.0)
}
