//! Curricula: a TOML source and its owner.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

use autodidact_core::accounts::UserId;
use autodidact_core::store::{
    CurriculumId, CurriculumRecord, CurriculumStore, NewCurriculum, StoreResult, Visibility,
};

use crate::Db;
use crate::accounts::expect_row;
use crate::rows::{corrupt, db_err, get, get_ts, new_id, secs};

macro_rules! curriculum_columns {
    () => {
        "id, owner_id, title, visibility, source, created_at, updated_at"
    };
}

pub(crate) fn visibility_from_row(row: &AnyRow) -> StoreResult<Visibility> {
    let raw: String = get(row, "visibility")?;
    Visibility::parse(&raw).ok_or_else(|| corrupt("visibility", raw))
}

fn curriculum_from_row(row: &AnyRow) -> StoreResult<CurriculumRecord> {
    Ok(CurriculumRecord {
        id: CurriculumId(get(row, "id")?),
        owner: UserId(get(row, "owner_id")?),
        title: get(row, "title")?,
        visibility: visibility_from_row(row)?,
        source: get(row, "source")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

#[async_trait]
impl CurriculumStore for Db {
    async fn create_curriculum(&self, new: NewCurriculum) -> StoreResult<CurriculumRecord> {
        sqlx::query(concat!(
            "INSERT INTO curricula (",
            curriculum_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ",
            curriculum_columns!()
        ))
        .bind(new_id())
        .bind(new.owner.0)
        .bind(&new.title)
        .bind(new.visibility.as_str())
        .bind(&new.source)
        .bind(secs(new.now))
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)
        .and_then(|row| curriculum_from_row(&row))
    }

    async fn curriculum(&self, id: CurriculumId) -> StoreResult<Option<CurriculumRecord>> {
        sqlx::query(concat!(
            "SELECT ",
            curriculum_columns!(),
            " FROM curricula WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(curriculum_from_row)
        .transpose()
    }

    /// The owner's curricula, most recently changed first.
    async fn curricula_of(&self, owner: UserId) -> StoreResult<Vec<CurriculumRecord>> {
        sqlx::query(concat!(
            "SELECT ",
            curriculum_columns!(),
            " FROM curricula WHERE owner_id = $1 ORDER BY updated_at DESC, id"
        ))
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(curriculum_from_row)
        .collect()
    }

    async fn update_curriculum(
        &self,
        id: CurriculumId,
        owner: UserId,
        title: &str,
        source: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE curricula SET title = $3, source = $4, updated_at = $5 \
             WHERE id = $1 AND owner_id = $2",
        )
        .bind(id.0)
        .bind(owner.0)
        .bind(title)
        .bind(source)
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn set_curriculum_visibility(
        &self,
        id: CurriculumId,
        owner: UserId,
        visibility: Visibility,
        now: Timestamp,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE curricula SET visibility = $3, updated_at = $4 \
             WHERE id = $1 AND owner_id = $2",
        )
        .bind(id.0)
        .bind(owner.0)
        .bind(visibility.as_str())
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    /// The follows, board states and evidence go by `ON DELETE CASCADE`; logs keep their time
    /// and lose the follow by `ON DELETE SET NULL`.
    async fn delete_curriculum(&self, id: CurriculumId, owner: UserId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM curricula WHERE id = $1 AND owner_id = $2")
            .bind(id.0)
            .bind(owner.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())
    }
}
