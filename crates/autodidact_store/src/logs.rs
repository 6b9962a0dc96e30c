//! Study logs: time spent, per day, optionally on an item of a follow.

use async_trait::async_trait;
use jiff::civil::Date;
use sqlx::AnyConnection;

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::logs::{DAY_FULL, MAX_MINUTES};
use autodidact_core::store::{
    FollowId, LogChange, LogId, LogKind, LogStore, NewLog, StoreError, StoreResult, StudyLog,
};

use crate::accounts::expect_row;
use crate::rows::{StoredRow, corrupt, day, db_err, get, get_date, get_item, get_ts, new_id, secs};
use crate::sqlite_writes::write_err;
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

pub(crate) fn log_from_row(row: &impl StoredRow) -> StoreResult<StudyLog> {
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

const FOLLOW_IS_USERS: &str = "SELECT id FROM follows WHERE id = $1 AND user_id = $2";
const LOG_BY_KEY: &str = concat!(
    "SELECT ",
    log_columns!(),
    " FROM study_logs WHERE user_id = $1 AND idempotency_key = $2"
);
/// Skips a row that breaks `study_logs_user_id_idempotency_key_key` (PostgreSQL first waits
/// for a racing transaction with the same key to end).
const INSERT_LOG: &str = concat!(
    "INSERT INTO study_logs (",
    log_columns!(),
    ", idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING ",
    log_columns!()
);
const ADD_TO_DAY: &str = "INSERT INTO log_days (user_id, day, learn, build, review) \
     VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (user_id, day) DO UPDATE SET learn = log_days.learn + excluded.learn, \
     build = log_days.build + excluded.build, review = log_days.review + excluded.review";
const DAY_TOTAL: &str =
    "SELECT learn + build + review AS total FROM log_days WHERE user_id = $1 AND day = $2";
const ADD_TO_ITEM_DAY: &str = "INSERT INTO log_item_days (follow_id, day, item_id, minutes) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (follow_id, day, item_id) \
     DO UPDATE SET minutes = log_item_days.minutes + excluded.minutes";
/// Marks an item of a follow done.
const FINISH_ITEM: &str = "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
     VALUES ($1, $2, 'done', '', $3) \
     ON CONFLICT (follow_id, item_id) \
     DO UPDATE SET status = 'done', updated_at = excluded.updated_at";
/// Moves an item of a follow to doing when it is to do (or has no state yet); an item already
/// doing, done or skipped stays as it is.
const START_ITEM: &str = "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
     VALUES ($1, $2, 'doing', '', $3) \
     ON CONFLICT (follow_id, item_id) \
     DO UPDATE SET status = 'doing', updated_at = excluded.updated_at \
     WHERE item_states.status = 'todo'";

/// A log's minutes by kind, for `log_days`: (learn, build, review), times `sign`.
fn by_kind(log: &StudyLog, sign: i64) -> (i64, i64, i64) {
    let minutes = sign * i64::from(log.minutes.get());
    let of = |kind: LogKind| if log.kind == kind { minutes } else { 0 };
    (of(LogKind::Learn), of(LogKind::Build), of(LogKind::Review))
}

fn check_day_total(total: i64) -> StoreResult<()> {
    if total > i64::from(MAX_MINUTES) {
        return Err(StoreError::Conflict {
            constraint: DAY_FULL.to_owned(),
        });
    }
    Ok(())
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
    sqlx::query(FOLLOW_IS_USERS)
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
    sqlx::query(LOG_BY_KEY)
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
    let (learn, build, review) = by_kind(log, sign);
    sqlx::query(ADD_TO_DAY)
        .bind(log.user.0)
        .bind(day(log.day))
        .bind(learn)
        .bind(build)
        .bind(review)
        .execute(&mut *conn)
        .await
        .map_err(db_err)?;
    if sign > 0 {
        // A day holds at most 24 h of logs. The row was just written in this transaction, so
        // it is locked until the end: two writers to one day cannot both pass.
        let row = sqlx::query(DAY_TOTAL)
            .bind(log.user.0)
            .bind(day(log.day))
            .fetch_one(&mut *conn)
            .await
            .map_err(db_err)?;
        check_day_total(get(&row, "total")?)?;
    }
    if let Some(follow) = log.follow {
        sqlx::query(ADD_TO_ITEM_DAY)
            .bind(follow.0)
            .bind(day(log.day))
            .bind(log.item.as_ref().map_or("", ItemId::as_str))
            .bind(sign * i64::from(log.minutes.get()))
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

/// Moves `item` of `follow` with `sql` ([`FINISH_ITEM`] or [`START_ITEM`]).
async fn move_item(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    sql: &'static str,
    follow: FollowId,
    item: &ItemId,
    now: jiff::Timestamp,
) -> StoreResult<()> {
    sqlx::query(sql)
        .bind(follow.0)
        .bind(item.as_str())
        .bind(secs(now))
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// The same as [`LogStore::add_log`], on SQLite's group-committing writer
/// ([`crate::sqlite_writes`]): the same statements, run by rusqlite inside the group's
/// transaction (the writer holds the write lock, so a day's total cannot race).
fn add_log_sqlite(conn: &rusqlite::Connection, new: &NewLog) -> StoreResult<(StudyLog, bool)> {
    use rusqlite::{OptionalExtension, params};
    let by_key = |key: &str| -> StoreResult<Option<StudyLog>> {
        conn.prepare_cached(LOG_BY_KEY)
            .and_then(|mut s| {
                s.query_row(params![new.user.0, key], |row| Ok(log_from_row(row)))
                    .optional()
            })
            .map_err(write_err)?
            .transpose()
    };
    if let Some(key) = &new.idempotency_key
        && let Some(first) = by_key(key)?
    {
        return Ok((first, false));
    }
    if let Some(follow) = new.follow {
        conn.prepare_cached(FOLLOW_IS_USERS)
            .and_then(|mut s| {
                s.query_row(params![follow.0, new.user.0], |_| Ok(()))
                    .optional()
            })
            .map_err(write_err)?
            .ok_or(StoreError::NotFound)?;
    }
    let inserted = conn
        .prepare_cached(INSERT_LOG)
        .and_then(|mut s| {
            s.query_row(
                params![
                    new_id(),
                    new.user.0,
                    new.follow.map(|f| f.0),
                    new.item.as_ref().map(ItemId::as_str),
                    i64::from(new.minutes.get()),
                    new.kind.as_str(),
                    day(new.day),
                    new.note,
                    secs(new.now),
                    new.idempotency_key.as_deref(),
                ],
                |row| Ok(log_from_row(row)),
            )
            .optional()
        })
        .map_err(write_err)?
        .transpose()?;
    let Some(log) = inserted else {
        return match &new.idempotency_key {
            Some(key) => Ok((by_key(key)?.ok_or(StoreError::NotFound)?, false)),
            None => Err(StoreError::Backend(
                "a log without an idempotency key was not inserted".to_owned(),
            )),
        };
    };
    let execute = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> StoreResult<()> {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.execute(params))
            .map(|_| ())
            .map_err(write_err)
    };
    let (learn, build, review) = by_kind(&log, 1);
    execute(
        ADD_TO_DAY,
        params![log.user.0, day(log.day), learn, build, review],
    )?;
    let total: i64 = conn
        .prepare_cached(DAY_TOTAL)
        .and_then(|mut s| s.query_row(params![log.user.0, day(log.day)], |row| row.get(0)))
        .map_err(write_err)?;
    check_day_total(total)?;
    if let Some(follow) = log.follow {
        execute(
            ADD_TO_ITEM_DAY,
            params![
                follow.0,
                day(log.day),
                log.item.as_ref().map_or("", ItemId::as_str),
                i64::from(log.minutes.get())
            ],
        )?;
        if let Some(item) = &log.item {
            let sql = if new.finish_item {
                Some(FINISH_ITEM)
            } else if new.start_item {
                Some(START_ITEM)
            } else {
                None
            };
            if let Some(sql) = sql {
                execute(sql, params![follow.0, item.as_str(), secs(new.now)])?;
            }
        }
    }
    Ok((log, true))
}

#[async_trait]
impl LogStore for Db {
    /// A retry with a used key gets the first log back, even when the retries race: the insert
    /// skips a row that breaks `study_logs_user_id_idempotency_key_key` (on PostgreSQL it
    /// waits for the racing transaction to finish), and the first row is then read back.
    async fn add_log(&self, new: NewLog) -> StoreResult<(StudyLog, bool)> {
        if let Some(writes) = &self.writes {
            return writes.run(move |conn| add_log_sqlite(conn, &new)).await;
        }
        let mut tx = self.write_tx().await?;
        if let Some(key) = &new.idempotency_key
            && let Some(first) = log_by_key(&mut tx, new.user, key).await?
        {
            commit(tx).await?;
            return Ok((first, false));
        }
        check_follow_is_users(&mut tx, new.follow, new.user).await?;
        let inserted = sqlx::query(INSERT_LOG)
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
                        move_item(&mut tx, FINISH_ITEM, follow, item, new.now).await?;
                    } else if new.start_item {
                        move_item(&mut tx, START_ITEM, follow, item, new.now).await?;
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
