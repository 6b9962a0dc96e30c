//! Follows: a user's plan for a curriculum, its board (item states) and its evidence.
//!
//! Writes to the board and the evidence check in the same statement that the follow is the
//! user's (`WHERE EXISTS (… AND user_id = $n)`), so there is no window between check and write.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::plan::{Break, BudgetHistory, WeeklyBudget};
use autodidact_core::store::{
    CurriculumId, CurriculumRecord, DeclaredBreak, Evidence, EvidenceId, EvidenceKind, Follow,
    FollowId, FollowSettings, FollowStore, ItemState, ItemStatus, NewCurriculum, NewFollow,
    StoreError, StoreResult, Visibility,
};

use crate::accounts::expect_row;
use crate::curricula::{insert_curriculum, visibility_from_row};
use crate::logs::minutes_from;
use crate::rows::{StoredRow, corrupt, day, db_err, get, get_date, get_item, get_ts, new_id, secs};
use crate::sqlite_reads::all;
use crate::{Db, commit};

macro_rules! follow_columns {
    () => {
        "id, user_id, curriculum_id, budget, budget_history, start_date, breaks, breaks_declared, \
         visibility, plan_done, plan_base_minutes, created_at, updated_at"
    };
}

/// Breaks are stored one per line, as `Break` writes them.
pub(crate) fn breaks_text(breaks: &[Break]) -> String {
    breaks
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn breaks_from(row: &impl StoredRow, column: &str) -> StoreResult<Vec<Break>> {
    let text: String = get(row, column)?;
    text.lines()
        .filter(|b| !b.is_empty())
        .map(|b| b.parse().map_err(|e| corrupt("breaks", e)))
        .collect()
}

pub(crate) fn budget_from(row: &impl StoredRow, column: &str) -> StoreResult<WeeklyBudget> {
    let text: String = get(row, column)?;
    WeeklyBudget::parse(&text).map_err(|e| corrupt("budget", e))
}

pub(crate) fn history_from(row: &impl StoredRow, column: &str) -> StoreResult<BudgetHistory> {
    let text: String = get(row, column)?;
    BudgetHistory::parse(&text).map_err(|e| corrupt("budget history", e))
}

pub(crate) fn declared_from(row: &impl StoredRow, column: &str) -> StoreResult<Vec<DeclaredBreak>> {
    let text: String = get(row, column)?;
    DeclaredBreak::parse_lines(&text).map_err(|line| corrupt(column, format!("`{line}`")))
}

pub(crate) fn follow_from_row(row: &impl StoredRow) -> StoreResult<Follow> {
    Ok(Follow {
        id: FollowId(get(row, "id")?),
        user: UserId(get(row, "user_id")?),
        curriculum: CurriculumId(get(row, "curriculum_id")?),
        budget: budget_from(row, "budget")?,
        budget_history: history_from(row, "budget_history")?,
        declared: declared_from(row, "breaks_declared")?,
        start: get_date(row, "start_date")?,
        breaks: breaks_from(row, "breaks")?,
        visibility: visibility_from_row(row)?,
        plan_done: item_lines(&get::<String>(row, "plan_done")?)?,
        plan_base: minutes_from(row, "plan_base_minutes")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// Item ids are stored one per line.
pub(crate) fn item_lines(text: &str) -> StoreResult<Vec<ItemId>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| ItemId::parse(l).map_err(|e| corrupt("item ids", e)))
        .collect()
}

pub(crate) fn items_text(items: &[ItemId]) -> String {
    items
        .iter()
        .map(ItemId::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn item_state_from_row(row: &impl StoredRow) -> StoreResult<ItemState> {
    let status: String = get(row, "status")?;
    Ok(ItemState {
        item: get_item(row, "item_id")?,
        status: ItemStatus::parse(&status).ok_or_else(|| corrupt("status", status))?,
        notes: get(row, "notes")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

pub(crate) fn evidence_from_row(row: &AnyRow) -> StoreResult<Evidence> {
    let kind: String = get(row, "kind")?;
    Ok(Evidence {
        id: EvidenceId(get(row, "id")?),
        follow: FollowId(get(row, "follow_id")?),
        item: get_item(row, "item_id")?,
        kind: EvidenceKind::parse(&kind).ok_or_else(|| corrupt("kind", kind))?,
        url: get(row, "url")?,
        title: get(row, "title")?,
        created_at: get_ts(row, "created_at")?,
    })
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

impl Db {
    async fn fetch_follows(&self, query: AnyQuery<'_>) -> StoreResult<Vec<Follow>> {
        query
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(follow_from_row)
            .collect()
    }
}

/// Inserts a follow (in a transaction or on the pool); new follows are private.
async fn insert_follow<'e, E>(executor: E, new: &NewFollow) -> StoreResult<Follow>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(concat!(
        "INSERT INTO follows (",
        follow_columns!(),
        ") VALUES ($1, $2, $3, $4, '', $5, $6, $9, $7, '', 0, $8, $8) RETURNING ",
        follow_columns!()
    ))
    .bind(new_id())
    .bind(new.user.0)
    .bind(new.curriculum.0)
    .bind(new.budget.to_string())
    .bind(day(new.start))
    .bind(breaks_text(&new.breaks))
    .bind(Visibility::Private.as_str())
    .bind(secs(new.now))
    .bind(DeclaredBreak::lines(&new.declared))
    .fetch_one(executor)
    .await
    .map_err(db_err)
    .and_then(|row| follow_from_row(&row))
}

#[async_trait]
impl FollowStore for Db {
    async fn create_follow(&self, new: NewFollow) -> StoreResult<Follow> {
        insert_follow(&self.pool, &new).await
    }

    async fn create_follow_with_progress(
        &self,
        new: NewFollow,
        done: &[ItemId],
        doing: &[ItemId],
        base: Minutes,
    ) -> StoreResult<Follow> {
        let mut tx = self.write_tx().await?;
        let follow = insert_follow(&mut *tx, &new).await?;
        sqlx::query("UPDATE follows SET plan_done = $2, plan_base_minutes = $3 WHERE id = $1")
            .bind(follow.id.0)
            .bind(items_text(done))
            .bind(i64::from(base.get()))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let states = done
            .iter()
            .map(|i| (i, ItemStatus::Done))
            .chain(doing.iter().map(|i| (i, ItemStatus::Doing)));
        for (item, status) in states {
            sqlx::query(
                "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
                 VALUES ($1, $2, $3, '', $4)",
            )
            .bind(follow.id.0)
            .bind(item.as_str())
            .bind(status.as_str())
            .bind(secs(new.now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        commit(tx).await?;
        // Read back, so that the plan's baseline is the one stored.
        self.follow(follow.id).await?.ok_or(StoreError::NotFound)
    }

    async fn follow_copy(
        &self,
        copy: NewCurriculum,
        mut new: NewFollow,
    ) -> StoreResult<(CurriculumRecord, Follow)> {
        let mut tx = self.write_tx().await?;
        let record = insert_curriculum(&mut tx, &copy).await?;
        new.curriculum = record.id;
        let follow = insert_follow(&mut *tx, &new).await?;
        commit(tx).await?;
        Ok((record, follow))
    }

    async fn follow(&self, id: FollowId) -> StoreResult<Option<Follow>> {
        let sql = concat!("SELECT ", follow_columns!(), " FROM follows WHERE id = $1");
        Ok(self.fetch_follows(sqlx::query(sql).bind(id.0)).await?.pop())
    }

    /// Oldest first.
    async fn follows_of(&self, user: UserId) -> StoreResult<Vec<Follow>> {
        const SQL: &str = concat!(
            "SELECT ",
            follow_columns!(),
            " FROM follows WHERE user_id = $1 ORDER BY created_at, id"
        );
        if let Some(reads) = &self.reads {
            return reads.run_here(move |conn| all(conn, SQL, [user.0], |r| follow_from_row(r)));
        }
        self.fetch_follows(sqlx::query(SQL).bind(user.0)).await
    }

    async fn update_follow_plan(
        &self,
        id: FollowId,
        user: UserId,
        settings: &FollowSettings,
        now: Timestamp,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE follows SET budget = $3, budget_history = $4, start_date = $5, breaks = $6, \
             updated_at = $7, breaks_declared = $8 WHERE id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(settings.budget.to_string())
        .bind(settings.history.to_string())
        .bind(day(settings.start))
        .bind(breaks_text(&settings.breaks))
        .bind(secs(now))
        .bind(DeclaredBreak::lines(&settings.declared))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn delete_follow(&self, id: FollowId, user: UserId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM follows WHERE id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(user.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn set_calendar_token(
        &self,
        id: FollowId,
        user: UserId,
        token_hash: Option<&str>,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE follows SET calendar_token_hash = $3 WHERE id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(token_hash)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn follow_by_calendar_token(&self, token_hash: &str) -> StoreResult<Option<Follow>> {
        let sql = concat!(
            "SELECT ",
            follow_columns!(),
            " FROM follows WHERE calendar_token_hash = $1"
        );
        Ok(self
            .fetch_follows(sqlx::query(sql).bind(token_hash))
            .await?
            .pop())
    }

    /// Only items with a stored state, by item id; the others are `todo`.
    async fn item_states(&self, follow: FollowId) -> StoreResult<Vec<ItemState>> {
        const SQL: &str = "SELECT item_id, status, notes, updated_at FROM item_states \
             WHERE follow_id = $1 ORDER BY item_id";
        if let Some(reads) = &self.reads {
            return reads
                .run_here(move |conn| all(conn, SQL, [follow.0], |r| item_state_from_row(r)));
        }
        sqlx::query(SQL)
            .bind(follow.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(item_state_from_row)
            .collect()
    }

    async fn settle_done(
        &self,
        follow: FollowId,
        user: UserId,
        items: &[ItemId],
        plan_done: &[ItemId],
        base: Minutes,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let rebased = sqlx::query(
            "UPDATE follows SET plan_done = $3, plan_base_minutes = $4, updated_at = $5 \
             WHERE id = $1 AND user_id = $2",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(items_text(plan_done))
        .bind(i64::from(base.get()))
        .bind(secs(now))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        expect_row(rebased.rows_affected())?;
        for item in items {
            sqlx::query(
                "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
                 VALUES ($1, $2, $3, '', $4) \
                 ON CONFLICT (follow_id, item_id) \
                 DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
            )
            .bind(follow.0)
            .bind(item.as_str())
            .bind(ItemStatus::Done.as_str())
            .bind(secs(now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        commit(tx).await
    }

    async fn set_item_status(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        status: ItemStatus,
        now: Timestamp,
    ) -> StoreResult<()> {
        // SQLite needs the WHERE to tell the upsert's ON CONFLICT from a join's ON.
        let done = sqlx::query(
            "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
             SELECT $1, $3, $4, '', $5 \
             WHERE EXISTS (SELECT 1 FROM follows WHERE id = $1 AND user_id = $2) \
             ON CONFLICT (follow_id, item_id) \
             DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(item.as_str())
        .bind(status.as_str())
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn set_item_notes(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        notes: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
             SELECT $1, $3, $4, $5, $6 \
             WHERE EXISTS (SELECT 1 FROM follows WHERE id = $1 AND user_id = $2) \
             ON CONFLICT (follow_id, item_id) \
             DO UPDATE SET notes = excluded.notes, updated_at = excluded.updated_at",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(item.as_str())
        .bind(ItemStatus::Todo.as_str())
        .bind(notes)
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn add_evidence(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        kind: EvidenceKind,
        url: &str,
        title: &str,
        now: Timestamp,
    ) -> StoreResult<Evidence> {
        sqlx::query(
            "INSERT INTO evidence (id, follow_id, item_id, kind, url, title, created_at) \
             SELECT $1, $2, $4, $5, $6, $7, $8 \
             WHERE EXISTS (SELECT 1 FROM follows WHERE id = $2 AND user_id = $3) \
             RETURNING id, follow_id, item_id, kind, url, title, created_at",
        )
        .bind(new_id())
        .bind(follow.0)
        .bind(user.0)
        .bind(item.as_str())
        .bind(kind.as_str())
        .bind(url)
        .bind(title)
        .bind(secs(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(evidence_from_row)
        .transpose()?
        .ok_or(StoreError::NotFound)
    }

    /// Oldest first.
    async fn evidence(&self, follow: FollowId) -> StoreResult<Vec<Evidence>> {
        sqlx::query(
            "SELECT id, follow_id, item_id, kind, url, title, created_at FROM evidence \
             WHERE follow_id = $1 ORDER BY created_at, id",
        )
        .bind(follow.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(evidence_from_row)
        .collect()
    }

    async fn delete_evidence(
        &self,
        follow: FollowId,
        user: UserId,
        id: EvidenceId,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "DELETE FROM evidence WHERE id = $1 AND follow_id = $2 \
             AND EXISTS (SELECT 1 FROM follows WHERE id = $2 AND user_id = $3)",
        )
        .bind(id.0)
        .bind(follow.0)
        .bind(user.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }
}
