//! Study logs: time spent, per day, optionally on an item of a follow.

use async_trait::async_trait;
use jiff::civil::Date;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::logs::{DAY_FULL, MAX_MINUTES};
use autodidact_core::store::{
    FollowId, LogChange, LogId, LogKind, LogStore, NewLog, StoreError, StoreResult, StudyLog,
};

use crate::accounts::expect_row;
use crate::rows::{StoredRow, corrupt, day, db_err, get, get_date, get_item, get_ts, new_id, secs};
use crate::{Db, commit};

macro_rules! log_columns {
    () => {
        "id, user_id, follow_id, item_id, minutes, kind, day, note, created_at"
    };
}

pub(crate) fn minutes_from(row: &impl StoredRow, column: &str) -> StoreResult<Minutes> {
    let minutes: i64 = get(row, column)?;
    u32::try_from(minutes)
        .map(Minutes::new)
        .map_err(|e| corrupt(column, e))
}

pub(crate) fn log_from_row(row: &AnyRow) -> StoreResult<StudyLog> {
    let kind: String = get(row, "kind")?;
    let item: Option<String> = get(row, "item_id")?;
    Ok(StudyLog {
        id: LogId(get(row, "id")?),
        user: UserId(get(row, "user_id")?),
        follow: get::<Option<i64>>(row, "follow_id")?.map(FollowId),
        item: item
            .map(|raw| ItemId::parse(&raw).map_err(|e| corrupt("item_id", e)))
            .transpose()?,
        minutes: minutes_from(row, "minutes")?,
        kind: LogKind::parse(&kind).ok_or_else(|| corrupt("kind", kind))?,
        day: get_date(row, "day")?,
        note: get(row, "note")?,
        created_at: get_ts(row, "created_at")?,
    })
}

/// A log may only point at one of its user's own follows.
async fn check_follow_is_users(
    conn: &mut AnyConnection,
    follow: Option<FollowId>,
    user: UserId,
) -> StoreResult<()> {
    let Some(follow) = follow else {
        return Ok(());
    };
    sqlx::query("SELECT id FROM follows WHERE id = $1 AND user_id = $2")
        .bind(follow.0)
        .bind(user.0)
        .fetch_optional(conn)
        .await
        .map_err(db_err)?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

async fn log_by_key(
    conn: &mut AnyConnection,
    user: UserId,
    key: &str,
) -> StoreResult<Option<StudyLog>> {
    sqlx::query(concat!(
        "SELECT ",
        log_columns!(),
        " FROM study_logs WHERE user_id = $1 AND idempotency_key = $2"
    ))
    .bind(user.0)
    .bind(key)
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(log_from_row)
    .transpose()
}

/// A log's share of the running totals (`log_days`, `log_item_days`): what a write adds, or
/// with `sign` −1 what a removal takes away. Called in the transaction that changes the log.
async fn count_in_totals(conn: &mut AnyConnection, log: &StudyLog, sign: i64) -> StoreResult<()> {
    let minutes = sign * i64::from(log.minutes.get());
    let by_kind = |kind: LogKind| if log.kind == kind { minutes } else { 0 };
    sqlx::query(
        "INSERT INTO log_days (user_id, day, learn, build, review) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, day) DO UPDATE SET learn = log_days.learn + excluded.learn, \
         build = log_days.build + excluded.build, review = log_days.review + excluded.review",
    )
    .bind(log.user.0)
    .bind(day(log.day))
    .bind(by_kind(LogKind::Learn))
    .bind(by_kind(LogKind::Build))
    .bind(by_kind(LogKind::Review))
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    if sign > 0 {
        // A day holds at most 24 h of logs. The row was just written in this transaction, so
        // it is locked until the end: two writers to one day cannot both pass.
        let row = sqlx::query(
            "SELECT learn + build + review AS total FROM log_days WHERE user_id = $1 AND day = $2",
        )
        .bind(log.user.0)
        .bind(day(log.day))
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)?;
        let total: i64 = get(&row, "total")?;
        if total > i64::from(MAX_MINUTES) {
            return Err(StoreError::Conflict {
                constraint: DAY_FULL.to_owned(),
            });
        }
    }
    if let Some(follow) = log.follow {
        sqlx::query(
            "INSERT INTO log_item_days (follow_id, day, item_id, minutes) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (follow_id, day, item_id) \
             DO UPDATE SET minutes = log_item_days.minutes + excluded.minutes",
        )
        .bind(follow.0)
        .bind(day(log.day))
        .bind(log.item.as_ref().map_or("", ItemId::as_str))
        .bind(minutes)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// The user's log `id`, read inside a writing transaction.
async fn own_log(conn: &mut AnyConnection, id: LogId, user: UserId) -> StoreResult<StudyLog> {
    sqlx::query(concat!(
        "SELECT ",
        log_columns!(),
        " FROM study_logs WHERE id = $1 AND user_id = $2"
    ))
    .bind(id.0)
    .bind(user.0)
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(log_from_row)
    .transpose()?
    .ok_or(StoreError::NotFound)
}

/// Marks `item` of `follow` done.
async fn finish_item(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    follow: FollowId,
    item: &ItemId,
    now: jiff::Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
         VALUES ($1, $2, 'done', '', $3) \
         ON CONFLICT (follow_id, item_id) \
         DO UPDATE SET status = 'done', updated_at = excluded.updated_at",
    )
    .bind(follow.0)
    .bind(item.as_str())
    .bind(secs(now))
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Moves `item` of `follow` to doing when it is to do (or has no state yet); an item already
/// doing, done or skipped stays as it is.
async fn start_item(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    follow: FollowId,
    item: &ItemId,
    now: jiff::Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
         VALUES ($1, $2, 'doing', '', $3) \
         ON CONFLICT (follow_id, item_id) \
         DO UPDATE SET status = 'doing', updated_at = excluded.updated_at \
         WHERE item_states.status = 'todo'",
    )
    .bind(follow.0)
    .bind(item.as_str())
    .bind(secs(now))
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl LogStore for Db {
    /// A retry with a used key gets the first log back, even when the retries race: the insert
    /// skips a row that breaks `study_logs_user_id_idempotency_key_key` (on PostgreSQL it
    /// waits for the racing transaction to finish), and the first row is then read back.
    async fn add_log(&self, new: NewLog) -> StoreResult<(StudyLog, bool)> {
        let mut tx = self.write_tx().await?;
        if let Some(key) = &new.idempotency_key
            && let Some(first) = log_by_key(&mut tx, new.user, key).await?
        {
            commit(tx).await?;
            return Ok((first, false));
        }
        check_follow_is_users(&mut tx, new.follow, new.user).await?;
        let inserted = sqlx::query(concat!(
            "INSERT INTO study_logs (",
            log_columns!(),
            ", idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING ",
            log_columns!()
        ))
        .bind(new_id())
        .bind(new.user.0)
        .bind(new.follow.map(|f| f.0))
        .bind(new.item.as_ref().map(ItemId::as_str))
        .bind(i64::from(new.minutes.get()))
        .bind(new.kind.as_str())
        .bind(day(new.day))
        .bind(&new.note)
        .bind(secs(new.now))
        .bind(new.idempotency_key.as_deref())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let result = match (inserted, &new.idempotency_key) {
            (Some(row), _) => {
                let log = log_from_row(&row)?;
                count_in_totals(&mut tx, &log, 1).await?;
                if let (Some(follow), Some(item)) = (log.follow, &log.item) {
                    if new.finish_item {
                        finish_item(&mut tx, follow, item, new.now).await?;
                    } else if new.start_item {
                        start_item(&mut tx, follow, item, new.now).await?;
                    }
                }
                (log, true)
            }
            (None, Some(key)) => {
                let first = log_by_key(&mut tx, new.user, key).await?;
                (first.ok_or(StoreError::NotFound)?, false)
            }
            (None, None) => {
                return Err(StoreError::Backend(
                    "a log without an idempotency key was not inserted".to_owned(),
                ));
            }
        };
        commit(tx).await?;
        Ok(result)
    }

    async fn log(&self, id: LogId) -> StoreResult<Option<StudyLog>> {
        sqlx::query(concat!(
            "SELECT ",
            log_columns!(),
            " FROM study_logs WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(log_from_row)
        .transpose()
    }

    async fn update_log(&self, id: LogId, user: UserId, change: LogChange) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        check_follow_is_users(&mut tx, change.follow, user).await?;
        let old = own_log(&mut tx, id, user).await?;
        let done = sqlx::query(
            "UPDATE study_logs SET follow_id = $3, item_id = $4, minutes = $5, kind = $6, \
             day = $7, note = $8 WHERE id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(change.follow.map(|f| f.0))
        .bind(change.item.as_ref().map(ItemId::as_str))
        .bind(i64::from(change.minutes.get()))
        .bind(change.kind.as_str())
        .bind(day(change.day))
        .bind(&change.note)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())?;
        count_in_totals(&mut tx, &old, -1).await?;
        let changed = StudyLog {
            follow: change.follow,
            item: change.item,
            minutes: change.minutes,
            kind: change.kind,
            day: change.day,
            note: change.note,
            ..old
        };
        count_in_totals(&mut tx, &changed, 1).await?;
        commit(tx).await
    }

    async fn delete_log(&self, id: LogId, user: UserId) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let old = own_log(&mut tx, id, user).await?;
        let done = sqlx::query("DELETE FROM study_logs WHERE id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())?;
        count_in_totals(&mut tx, &old, -1).await?;
        commit(tx).await
    }

    /// Ties on a day go to the most recently logged.
    async fn logs_between(&self, user: UserId, from: Date, to: Date) -> StoreResult<Vec<StudyLog>> {
        sqlx::query(concat!(
            "SELECT ",
            log_columns!(),
            " FROM study_logs WHERE user_id = $1 AND day >= $2 AND day <= $3 \
              ORDER BY day DESC, created_at DESC, id DESC"
        ))
        .bind(user.0)
        .bind(day(from))
        .bind(day(to))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(log_from_row)
        .collect()
    }

    /// The latest `limit` logs by day, then by when they were logged.
    async fn recent_logs(&self, user: UserId, limit: u32) -> StoreResult<Vec<StudyLog>> {
        sqlx::query(concat!(
            "SELECT ",
            log_columns!(),
            " FROM study_logs WHERE user_id = $1 \
              ORDER BY day DESC, created_at DESC, id DESC LIMIT $2"
        ))
        .bind(user.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(log_from_row)
        .collect()
    }

    /// Only items with time logged, by item id.
    async fn item_logs(
        &self,
        follow: FollowId,
        item: &ItemId,
        limit: u32,
    ) -> StoreResult<Vec<StudyLog>> {
        sqlx::query(concat!(
            "SELECT ",
            log_columns!(),
            " FROM study_logs WHERE follow_id = $1 AND item_id = $2 \
             ORDER BY day DESC, created_at DESC, id DESC LIMIT $3"
        ))
        .bind(follow.0)
        .bind(item.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(log_from_row)
        .collect()
    }

    async fn minutes_by_item(&self, follow: FollowId) -> StoreResult<Vec<(ItemId, Minutes)>> {
        sqlx::query(
            "SELECT item_id, SUM(minutes) AS total FROM study_logs \
             WHERE follow_id = $1 AND item_id IS NOT NULL GROUP BY item_id ORDER BY item_id",
        )
        .bind(follow.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| {
            // A sum past u32 (eight thousand years) is clamped rather than refused.
            let total: i64 = get(row, "total")?;
            let total = Minutes::new(u32::try_from(total.max(0)).unwrap_or(u32::MAX));
            Ok((get_item(row, "item_id")?, total))
        })
        .collect()
    }
}
