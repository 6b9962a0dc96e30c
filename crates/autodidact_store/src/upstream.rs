//! Suggestions to a curriculum's author.

use async_trait::async_trait;
use jiff::Timestamp;

use autodidact_core::accounts::{Handle, UserId};
use autodidact_core::store::{
    CurriculumId, NewSuggestion, StoreResult, Suggestion, SuggestionId, SuggestionStatus,
    SuggestionStore,
};

use crate::Db;
use crate::accounts::expect_row;
use crate::rows::{StoredRow, corrupt, db_err, get, get_item, get_opt_ts, get_ts, new_id, secs};

macro_rules! suggestion_select {
    () => {
        "SELECT s.id, s.curriculum_id, s.user_id, u.handle, s.item_id, s.item_source, s.note, \
         s.status, s.created_at, s.decided_at \
         FROM suggestions s JOIN users u ON u.id = s.user_id "
    };
}

fn suggestion_from_row(row: &impl StoredRow) -> StoreResult<Suggestion> {
    let status: String = get(row, "status")?;
    Ok(Suggestion {
        id: SuggestionId(get(row, "id")?),
        curriculum: CurriculumId(get(row, "curriculum_id")?),
        from: UserId(get(row, "user_id")?),
        from_handle: Handle::from_trusted(get(row, "handle")?),
        item: get_item(row, "item_id")?,
        item_source: get(row, "item_source")?,
        note: get(row, "note")?,
        status: SuggestionStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        created_at: get_ts(row, "created_at")?,
        decided_at: get_opt_ts(row, "decided_at")?,
    })
}

#[async_trait]
impl SuggestionStore for Db {
    async fn add_suggestion(&self, new: NewSuggestion) -> StoreResult<Suggestion> {
        let id = new_id();
        sqlx::query(
            "INSERT INTO suggestions (id, curriculum_id, user_id, item_id, item_source, note, \
             status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7)",
        )
        .bind(id)
        .bind(new.curriculum.0)
        .bind(new.from.0)
        .bind(new.item.as_str())
        .bind(&new.item_source)
        .bind(&new.note)
        .bind(secs(new.now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        self.suggestion(SuggestionId(id))
            .await?
            .ok_or(autodidact_core::store::StoreError::NotFound)
    }

    async fn suggestion(&self, id: SuggestionId) -> StoreResult<Option<Suggestion>> {
        sqlx::query(concat!(suggestion_select!(), "WHERE s.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(suggestion_from_row)
            .transpose()
    }

    async fn suggestions_to(&self, id: CurriculumId) -> StoreResult<Vec<Suggestion>> {
        sqlx::query(concat!(
            suggestion_select!(),
            "WHERE s.curriculum_id = $1 \
             ORDER BY CASE WHEN s.status = 'open' THEN 0 ELSE 1 END, s.created_at DESC, s.id"
        ))
        .bind(id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(suggestion_from_row)
        .collect()
    }

    async fn suggestions_by(&self, user: UserId) -> StoreResult<Vec<Suggestion>> {
        sqlx::query(concat!(
            suggestion_select!(),
            "WHERE s.user_id = $1 ORDER BY s.created_at DESC, s.id"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(suggestion_from_row)
        .collect()
    }

    async fn answer_suggestion(
        &self,
        id: SuggestionId,
        owner: UserId,
        status: SuggestionStatus,
        now: Timestamp,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE suggestions SET status = $3, decided_at = $4 \
             WHERE id = $1 AND status = 'open' \
             AND curriculum_id IN (SELECT id FROM curricula WHERE owner_id = $2)",
        )
        .bind(id.0)
        .bind(owner.0)
        .bind(status.as_str())
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }
}
