//! What crowd hours are made from: one row per follow of a curriculum or its copies, by a
//! learner who opted in, with the item done and time logged on it; and the reviews of items.

use async_trait::async_trait;

use autodidact_core::accounts::{Handle, UserId};
use autodidact_core::crowd::resource_address;
use autodidact_core::curriculum::{ItemId, Minutes, check_stored_toml};
use autodidact_core::store::{
    CrowdSample, CrowdStore, CurriculumId, FollowId, HalfStars, ItemReview, ItemReviewRecord,
    ItemReviewStore, NewItemReview, Onward, StoreError, StoreResult,
};

use sqlx::AnyConnection;

use crate::Db;
use crate::accounts::expect_row;
use crate::rows::{StoredRow, corrupt, db_err, get, get_item, get_ts, secs};

/// The follows of curriculum `$1` and of its copies (by the index on `fork_of_id`), kept only
/// for learners who opted in to crowd figures and with item `$2` done.
macro_rules! finishers {
    () => {
        "FROM follows f \
         JOIN profiles p ON p.user_id = f.user_id AND p.crowd = 1 \
         JOIN item_states s ON s.follow_id = f.id AND s.item_id = $2 AND s.status = 'done' \
         WHERE f.curriculum_id IN (SELECT id FROM curricula WHERE id = $1 OR fork_of_id = $1)"
    };
}

/// A review with its reviewer and what their records say: the time logged on the item in
/// that follow, and whether it is done there.
macro_rules! review_select {
    () => {
        "SELECT r.follow_id, r.item_id, r.rating, r.body, r.tip, r.created_at, r.updated_at, \
         f.user_id, f.curriculum_id, u.handle, \
         (SELECT COALESCE(SUM(l.minutes), 0) FROM study_logs l \
          WHERE l.follow_id = r.follow_id AND l.item_id = r.item_id) AS logged, \
         CASE WHEN EXISTS (SELECT 1 FROM item_states s WHERE s.follow_id = r.follow_id \
                 AND s.item_id = r.item_id AND s.status = 'done') THEN 1 ELSE 0 END AS finished \
         FROM item_reviews r JOIN follows f ON f.id = r.follow_id \
         JOIN users u ON u.id = f.user_id "
    };
}

fn minutes(row: &impl StoredRow, column: &str) -> StoreResult<Minutes> {
    let n: i64 = get(row, column)?;
    u32::try_from(n)
        .map(Minutes::new)
        .map_err(|e| corrupt(column, e))
}

#[async_trait]
impl CrowdStore for Db {
    async fn crowd_samples(
        &self,
        root: CurriculumId,
        item: &ItemId,
        address: Option<&str>,
    ) -> StoreResult<Vec<CrowdSample>> {
        // The item in the lineage and the same resource in any public curriculum or copy of
        // one (a private curriculum never counts), then the finishers of each who opted in,
        // then their time on it.
        sqlx::query(
            "SELECT f.user_id, \
             (SELECT COALESCE(SUM(l.minutes), 0) FROM study_logs l \
              WHERE l.follow_id = f.id AND l.item_id = t.item_id) AS minutes, \
             (SELECT COALESCE(SUM(l.minutes), 0) FROM study_logs l \
              WHERE l.follow_id = f.id AND l.item_id = t.item_id AND l.kind = 'build') \
              AS building, \
             (SELECT COUNT(*) FROM evidence e WHERE e.follow_id = f.id \
              AND e.item_id = t.item_id) AS evidence \
             FROM (SELECT id AS curriculum_id, CAST($2 AS TEXT) AS item_id FROM curricula \
                   WHERE id = $1 OR fork_of_id = $1 \
                   UNION SELECT a.curriculum_id, a.item_id FROM item_addresses a \
                   JOIN curricula c ON c.id = a.curriculum_id \
                   LEFT JOIN curricula src ON src.id = c.fork_of_id \
                   WHERE a.address = $3 \
                   AND (c.visibility = 'public' OR src.visibility = 'public')) t \
             JOIN follows f ON f.curriculum_id = t.curriculum_id \
             JOIN profiles p ON p.user_id = f.user_id AND p.crowd = 1 \
             JOIN item_states s ON s.follow_id = f.id AND s.item_id = t.item_id \
              AND s.status = 'done'",
        )
        .bind(root.0)
        .bind(item.as_str())
        .bind(address)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| {
            let evidence: i64 = get(row, "evidence")?;
            Ok(CrowdSample {
                user: UserId(get(row, "user_id")?),
                minutes: minutes(row, "minutes")?,
                building: minutes(row, "building")?,
                evidence: evidence > 0,
            })
        })
        .collect()
    }
}

#[async_trait]
impl ItemReviewStore for Db {
    async fn onward(
        &self,
        root: CurriculumId,
        item: &ItemId,
        next: &ItemId,
    ) -> StoreResult<Vec<Onward>> {
        sqlx::query(concat!(
            "SELECT f.user_id, \
             CASE WHEN EXISTS (SELECT 1 FROM item_states n WHERE n.follow_id = f.id \
                     AND n.item_id = $3 AND n.status = 'done') THEN 1 ELSE 0 END \
               AS finished_next ",
            finishers!()
        ))
        .bind(root.0)
        .bind(item.as_str())
        .bind(next.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| {
            Ok(Onward {
                user: UserId(get(row, "user_id")?),
                finished_next: get::<i64>(row, "finished_next")? == 1,
            })
        })
        .collect()
    }

    async fn save_item_review(&self, review: NewItemReview) -> StoreResult<ItemReview> {
        sqlx::query(
            "INSERT INTO item_reviews (follow_id, item_id, rating, body, tip, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (follow_id, item_id) DO UPDATE SET rating = excluded.rating, \
             body = excluded.body, tip = excluded.tip, updated_at = excluded.updated_at",
        )
        .bind(review.follow.0)
        .bind(review.item.as_str())
        .bind(i64::from(review.rating.halves()))
        .bind(&review.text)
        .bind(&review.tip)
        .bind(secs(review.now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        self.item_review(review.follow, &review.item)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn delete_item_review(&self, follow: FollowId, item: &ItemId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM item_reviews WHERE follow_id = $1 AND item_id = $2")
            .bind(follow.0)
            .bind(item.as_str())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn item_reviews(
        &self,
        root: CurriculumId,
        item: &ItemId,
    ) -> StoreResult<Vec<ItemReview>> {
        sqlx::query(concat!(
            review_select!(),
            "WHERE r.item_id = $2 AND f.curriculum_id IN \
               (SELECT id FROM curricula WHERE id = $1 OR fork_of_id = $1) \
             ORDER BY r.updated_at DESC, r.follow_id"
        ))
        .bind(root.0)
        .bind(item.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(review_from_row)
        .collect()
    }

    async fn item_review(
        &self,
        follow: FollowId,
        item: &ItemId,
    ) -> StoreResult<Option<ItemReview>> {
        sqlx::query(concat!(
            review_select!(),
            "WHERE r.follow_id = $1 AND r.item_id = $2"
        ))
        .bind(follow.0)
        .bind(item.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(review_from_row)
        .transpose()
    }

    async fn item_reviews_by(&self, user: UserId) -> StoreResult<Vec<ItemReview>> {
        sqlx::query(concat!(
            review_select!(),
            "WHERE f.user_id = $1 ORDER BY r.updated_at DESC, r.follow_id, r.item_id"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(review_from_row)
        .collect()
    }
}

fn rating(row: &impl StoredRow) -> StoreResult<HalfStars> {
    let rating: i64 = get(row, "rating")?;
    u8::try_from(rating)
        .ok()
        .and_then(HalfStars::new)
        .ok_or_else(|| corrupt("rating", rating))
}

/// A review as stored, without what the reviewer's records say.
pub(crate) fn review_record_from_row(row: &impl StoredRow) -> StoreResult<ItemReviewRecord> {
    Ok(ItemReviewRecord {
        follow: FollowId(get(row, "follow_id")?),
        item: get_item(row, "item_id")?,
        rating: rating(row)?,
        text: get(row, "body")?,
        tip: get(row, "tip")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

fn review_from_row(row: &impl StoredRow) -> StoreResult<ItemReview> {
    Ok(ItemReview {
        follow: FollowId(get(row, "follow_id")?),
        user: UserId(get(row, "user_id")?),
        handle: Handle::from_trusted(get(row, "handle")?),
        item: get_item(row, "item_id")?,
        rating: rating(row)?,
        text: get(row, "body")?,
        tip: get(row, "tip")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
        logged: minutes(row, "logged")?,
        finished: get::<i64>(row, "finished")? == 1,
        curriculum: CurriculumId(get(row, "curriculum_id")?),
    })
}

/// Writes the addresses of curriculum `id`'s items from its source, replacing what was there.
pub(crate) async fn write_addresses(
    conn: &mut AnyConnection,
    id: i64,
    source: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM item_addresses WHERE curriculum_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let Some(curriculum) = check_stored_toml(source).curriculum else {
        return Ok(());
    };
    let rows: Vec<(String, String)> = curriculum
        .items()
        .filter_map(|i| {
            let address = resource_address(i.url.as_deref()?)?;
            Some((i.id.as_str().to_owned(), address))
        })
        .collect();
    // A few hundred rows at most per statement, well under either backend's parameter cap.
    for chunk in rows.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|n| format!("($1, ${}, ${})", 2 * n + 2, 2 * n + 3))
            .collect();
        let sql = format!(
            "INSERT INTO item_addresses (curriculum_id, item_id, address) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
        for (item, address) in chunk {
            query = query.bind(item.clone()).bind(address.clone());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Indexes the addresses of every stored curriculum, in the migration's transaction.
pub(crate) async fn address_all(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT id, source FROM curricula")
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let source: String = row.try_get("source")?;
        write_addresses(conn, id, &source).await?;
    }
    Ok(())
}
