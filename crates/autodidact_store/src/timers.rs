//! The running timer of each learner.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use autodidact_core::accounts::UserId;
use autodidact_core::store::{FollowId, LogKind, StoreError, StoreResult, Timer, TimerStore};

use crate::Db;
use crate::accounts::expect_row;
use crate::rows::{corrupt, db_err, get, get_item, get_ts, secs};

/// The learner's running timer, if any.
pub(crate) const TIMER_OF_USER: &str =
    "SELECT user_id, follow_id, item_id, kind, label, started_at FROM timers WHERE user_id = $1";

pub(crate) fn timer_from_row(row: &AnyRow) -> StoreResult<Timer> {
    let kind: String = get(row, "kind")?;
    let item: Option<String> = get(row, "item_id")?;
    Ok(Timer {
        user: UserId(get(row, "user_id")?),
        follow: get::<Option<i64>>(row, "follow_id")?.map(FollowId),
        item: match item {
            Some(_) => Some(get_item(row, "item_id")?),
            None => None,
        },
        kind: LogKind::parse(&kind).ok_or_else(|| corrupt("kind", kind))?,
        label: get(row, "label")?,
        started_at: get_ts(row, "started_at")?,
    })
}

#[async_trait]
impl TimerStore for Db {
    /// The caller has checked that the follow is the learner's (the log rules' catalog).
    async fn start_timer(&self, timer: &Timer) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        if insert_timer(&mut conn, timer).await? {
            Ok(())
        } else {
            Err(StoreError::Conflict {
                constraint: "timers_pkey".to_owned(),
            })
        }
    }

    async fn timer(&self, user: UserId) -> StoreResult<Option<Timer>> {
        sqlx::query(TIMER_OF_USER)
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(timer_from_row)
            .transpose()
    }

    async fn end_timer(&self, user: UserId, started_at: Timestamp) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM timers WHERE user_id = $1 AND started_at = $2")
            .bind(user.0)
            .bind(secs(started_at))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())
    }
}

/// Starts `timer` unless its learner has one running; `false` then.
pub(crate) async fn insert_timer(conn: &mut AnyConnection, timer: &Timer) -> StoreResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO timers (user_id, follow_id, item_id, kind, label, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(timer.user.0)
    .bind(timer.follow.map(|f| f.0))
    .bind(timer.item.as_ref().map(|i| i.as_str().to_owned()))
    .bind(timer.kind.as_str())
    .bind(&timer.label)
    .bind(secs(timer.started_at))
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(inserted.rows_affected() == 1)
}
