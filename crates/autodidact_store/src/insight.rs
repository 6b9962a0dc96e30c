//! What the charts and the accountability features read and write: aggregated minutes, dismissed
//! warnings, re-plans with their history, commitments and spaced review.
//!
//! Writes that belong to a follow check in the same statement (or transaction) that the follow
//! is the user's, as the board does.

use async_trait::async_trait;
use jiff::civil::Date;
use sqlx::any::AnyRow;

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::review::Grade;
use autodidact_core::store::{
    CommitmentId, CommitmentRecord, CommitmentStore, FollowId, InsightStore, LogKind, PlanRevision,
    Replanned, ReviewEvent, ReviewEventId, ReviewRecord, ReviewStore, StoreError, StoreResult,
};
use jiff::Timestamp;

use crate::accounts::expect_row;
use crate::follows::{breaks_from, budget_from, item_lines, items_text};
use crate::logs::minutes_from;
use crate::rows::StoredRow;
use crate::rows::{corrupt, day, db_err, get, get_date, get_item, get_ts, new_id, secs};
use crate::sqlite_reads::all;
use crate::{Db, commit};

/// A sum of minutes; a total past u32 (eight thousand years) is clamped rather than refused.
fn count_from(row: &AnyRow, column: &str) -> StoreResult<u32> {
    let n: i64 = get(row, column)?;
    u32::try_from(n).map_err(|e| corrupt(column, e))
}

pub(crate) fn revision_from_row(row: &AnyRow) -> StoreResult<PlanRevision> {
    Ok(PlanRevision {
        follow: FollowId(get(row, "follow_id")?),
        number: count_from(row, "number")?,
        budget: budget_from(row, "budget")?,
        start: get_date(row, "start_date")?,
        breaks: breaks_from(row, "breaks")?,
        done: item_lines(&get::<String>(row, "done_items")?)?,
        base: minutes_from(row, "base_minutes")?,
        replaced_on: get_date(row, "replaced_on")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub(crate) fn commitment_from_row(row: &AnyRow) -> StoreResult<CommitmentRecord> {
    let weekly: Option<i64> = get(row, "weekly_minutes")?;
    Ok(CommitmentRecord {
        id: CommitmentId(get(row, "id")?),
        user: UserId(get(row, "user_id")?),
        number: count_from(row, "number")?,
        requested_on: get_date(row, "requested_on")?,
        weekly: weekly
            .map(|m| {
                u32::try_from(m)
                    .map(Minutes::new)
                    .map_err(|e| corrupt("weekly_minutes", e))
            })
            .transpose()?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub(crate) fn review_from_row(row: &AnyRow) -> StoreResult<ReviewRecord> {
    Ok(ReviewRecord {
        follow: FollowId(get(row, "follow_id")?),
        item: get_item(row, "item_id")?,
        state: get(row, "state")?,
        due: get_date(row, "due")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

pub(crate) fn review_event_from_row(row: &AnyRow) -> StoreResult<ReviewEvent> {
    Ok(ReviewEvent {
        id: ReviewEventId(get(row, "id")?),
        follow: FollowId(get(row, "follow_id")?),
        item: get_item(row, "item_id")?,
        grade: {
            let grade: String = get(row, "grade")?;
            Grade::parse(&grade).ok_or_else(|| corrupt("grade", grade))?
        },
        day: get_date(row, "day")?,
        created_at: get_ts(row, "created_at")?,
    })
}

macro_rules! review_columns {
    () => {
        "follow_id, item_id, state, due, created_at, updated_at"
    };
}

/// A learner's running totals by day, columns in this order: day, learn, build, review.
const DAILY_MINUTES: &str = "SELECT day, learn, build, review FROM log_days \
     WHERE user_id = $1 AND day >= $2 AND day <= $3 ORDER BY day";

/// A follow's running totals by day and item: day, item_id (empty: no item), minutes.
const FOLLOW_MINUTES: &str = "SELECT day, item_id, minutes FROM log_item_days \
     WHERE follow_id = $1 AND minutes > 0 ORDER BY day, item_id";

/// A row of a learner's running totals: the day and `[build, learn, review]`.
fn day_totals(row: &impl StoredRow) -> StoreResult<(Date, [i64; 3])> {
    let totals = [get(row, "build")?, get(row, "learn")?, get(row, "review")?];
    Ok((get_date(row, "day")?, totals))
}

/// A day of running totals as the trait gives it: a row per kind with minutes, in the order of
/// the kinds' names.
fn push_day(out: &mut Vec<(Date, LogKind, Minutes)>, on: Date, totals: [i64; 3]) {
    for (kind, total) in [LogKind::Build, LogKind::Learn, LogKind::Review]
        .into_iter()
        .zip(totals)
    {
        let total = minutes_of(total);
        if !total.is_zero() {
            out.push((on, kind, total));
        }
    }
}

/// A row of a follow's running totals; an empty item id is time on no item.
fn item_day(row: &impl StoredRow) -> StoreResult<(Date, Option<ItemId>, Minutes)> {
    let item: String = get(row, "item_id")?;
    let item = if item.is_empty() {
        None
    } else {
        Some(ItemId::parse(&item).map_err(|e| corrupt("item_id", e))?)
    };
    let minutes: i64 = get(row, "minutes")?;
    Ok((get_date(row, "day")?, item, minutes_of(minutes)))
}

/// A stored total as minutes: never negative, capped at what `Minutes` holds.
fn minutes_of(total: i64) -> Minutes {
    Minutes::new(u32::try_from(total.max(0)).unwrap_or(u32::MAX))
}

#[async_trait]
impl InsightStore for Db {
    async fn daily_minutes(
        &self,
        user: UserId,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<(Date, LogKind, Minutes)>> {
        // The running totals: one row a day, however many logs it holds.
        let (from, to) = (day(from), day(to));
        if let Some(reads) = &self.reads {
            return reads
                .run(move |conn| {
                    let days = all(conn, DAILY_MINUTES, (user.0, &from, &to), |r| day_totals(r))?;
                    let mut out = Vec::with_capacity(days.len() * 2);
                    for (on, totals) in days {
                        push_day(&mut out, on, totals);
                    }
                    Ok(out)
                })
                .await;
        }
        let rows = sqlx::query(DAILY_MINUTES)
            .bind(user.0)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut out = Vec::with_capacity(rows.len() * 2);
        for row in &rows {
            let (on, totals) = day_totals(row)?;
            push_day(&mut out, on, totals);
        }
        Ok(out)
    }

    async fn follow_minutes(
        &self,
        follow: FollowId,
    ) -> StoreResult<Vec<(Date, Option<ItemId>, Minutes)>> {
        if let Some(reads) = &self.reads {
            return reads
                .run(move |conn| all(conn, FOLLOW_MINUTES, [follow.0], |r| item_day(r)))
                .await;
        }
        sqlx::query(FOLLOW_MINUTES)
            .bind(follow.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(item_day)
            .collect()
    }

    async fn dismissals(&self, user: UserId) -> StoreResult<Vec<String>> {
        sqlx::query("SELECT key FROM dismissals WHERE user_id = $1 ORDER BY key")
            .bind(user.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(|row| get(row, "key"))
            .collect()
    }

    async fn dismiss(&self, user: UserId, key: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO dismissals (user_id, key, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, key) DO NOTHING",
        )
        .bind(user.0)
        .bind(key)
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn replan(&self, follow: FollowId, user: UserId, new: Replanned) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let kept = sqlx::query(
            "INSERT INTO plan_revisions \
             (follow_id, number, budget, start_date, breaks, done_items, base_minutes, \
              replaced_on, created_at) \
             SELECT f.id, \
                    (SELECT COALESCE(MAX(r.number), 0) + 1 FROM plan_revisions r \
                     WHERE r.follow_id = f.id), \
                    f.budget, f.start_date, f.breaks, f.plan_done, f.plan_base_minutes, $3, $4 \
             FROM follows f WHERE f.id = $1 AND f.user_id = $2",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(day(new.today))
        .bind(secs(new.now))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        expect_row(kept.rows_affected())?;
        sqlx::query(
            "UPDATE follows SET budget = $3, start_date = $4, plan_done = $5, \
             plan_base_minutes = $6, updated_at = $7, budget_history = $8 \
             WHERE id = $1 AND user_id = $2",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(new.budget.to_string())
        .bind(day(new.start))
        .bind(items_text(&new.done))
        .bind(i64::from(new.base.get()))
        .bind(secs(new.now))
        .bind(new.history.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit(tx).await
    }

    async fn plan_revisions(&self, follow: FollowId) -> StoreResult<Vec<PlanRevision>> {
        sqlx::query(
            "SELECT follow_id, number, budget, start_date, breaks, done_items, base_minutes, \
             replaced_on, created_at FROM plan_revisions WHERE follow_id = $1 ORDER BY number",
        )
        .bind(follow.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(revision_from_row)
        .collect()
    }
}

#[async_trait]
impl CommitmentStore for Db {
    async fn add_commitment(
        &self,
        user: UserId,
        requested_on: Date,
        weekly: Option<Minutes>,
        now: Timestamp,
    ) -> StoreResult<CommitmentRecord> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "INSERT INTO commitments (id, user_id, number, requested_on, weekly_minutes, created_at) \
             SELECT $1, $2, (SELECT COALESCE(MAX(number), 0) + 1 FROM commitments WHERE user_id = $2), \
                    $3, $4, $5 \
             RETURNING id, user_id, number, requested_on, weekly_minutes, created_at",
        )
        .bind(new_id())
        .bind(user.0)
        .bind(day(requested_on))
        .bind(weekly.map(|m| i64::from(m.get())))
        .bind(secs(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let record = commitment_from_row(&row)?;
        commit(tx).await?;
        Ok(record)
    }

    async fn commitments(&self, user: UserId) -> StoreResult<Vec<CommitmentRecord>> {
        sqlx::query(
            "SELECT id, user_id, number, requested_on, weekly_minutes, created_at \
             FROM commitments WHERE user_id = $1 ORDER BY number",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(commitment_from_row)
        .collect()
    }
}

#[async_trait]
impl ReviewStore for Db {
    async fn mark_review(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        state: &str,
        due: Date,
        now: Timestamp,
    ) -> StoreResult<ReviewRecord> {
        let sql = concat!(
            "INSERT INTO reviews (",
            review_columns!(),
            ") SELECT f.id, $3, $4, $5, $6, $6 FROM follows f WHERE f.id = $1 AND f.user_id = $2 \
             RETURNING ",
            review_columns!()
        );
        sqlx::query(sql)
            .bind(follow.0)
            .bind(user.0)
            .bind(item.as_str())
            .bind(state)
            .bind(day(due))
            .bind(secs(now))
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(review_from_row)
            .unwrap_or(Err(StoreError::NotFound))
    }

    async fn unmark_review(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "DELETE FROM reviews WHERE follow_id = $1 AND item_id = $3 \
             AND EXISTS (SELECT 1 FROM follows f WHERE f.id = $1 AND f.user_id = $2)",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(item.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())?;
        sqlx::query("DELETE FROM review_events WHERE follow_id = $1 AND item_id = $2")
            .bind(follow.0)
            .bind(item.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        commit(tx).await
    }

    async fn record_review(
        &self,
        follow: FollowId,
        user: UserId,
        item: &ItemId,
        grade: Grade,
        day_of_review: Date,
        state: &str,
        due: Date,
        now: Timestamp,
    ) -> StoreResult<ReviewEvent> {
        let mut tx = self.write_tx().await?;
        let updated = sqlx::query(
            "UPDATE reviews SET state = $4, due = $5, updated_at = $6 \
             WHERE follow_id = $1 AND item_id = $3 \
             AND EXISTS (SELECT 1 FROM follows f WHERE f.id = $1 AND f.user_id = $2)",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(item.as_str())
        .bind(state)
        .bind(day(due))
        .bind(secs(now))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        expect_row(updated.rows_affected())?;
        let row = sqlx::query(
            "INSERT INTO review_events (id, follow_id, item_id, grade, day, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             RETURNING id, follow_id, item_id, grade, day, created_at",
        )
        .bind(new_id())
        .bind(follow.0)
        .bind(item.as_str())
        .bind(grade.as_str())
        .bind(day(day_of_review))
        .bind(secs(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        let event = review_event_from_row(&row)?;
        commit(tx).await?;
        Ok(event)
    }

    async fn reviews_of_user(&self, user: UserId) -> StoreResult<Vec<ReviewRecord>> {
        sqlx::query(
            "SELECT r.follow_id, r.item_id, r.state, r.due, r.created_at, r.updated_at \
             FROM reviews r JOIN follows f ON f.id = r.follow_id \
             WHERE f.user_id = $1 ORDER BY r.due, r.follow_id, r.item_id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(review_from_row)
        .collect()
    }

    async fn reviews_of(&self, follow: FollowId) -> StoreResult<Vec<ReviewRecord>> {
        let sql = concat!(
            "SELECT ",
            review_columns!(),
            " FROM reviews WHERE follow_id = $1 ORDER BY due, item_id"
        );
        sqlx::query(sql)
            .bind(follow.0)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(review_from_row)
            .collect()
    }

    async fn review_events(
        &self,
        follow: FollowId,
        item: &ItemId,
    ) -> StoreResult<Vec<ReviewEvent>> {
        sqlx::query(
            "SELECT id, follow_id, item_id, grade, day, created_at FROM review_events \
             WHERE follow_id = $1 AND item_id = $2 ORDER BY day, created_at",
        )
        .bind(follow.0)
        .bind(item.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(review_event_from_row)
        .collect()
    }
}
