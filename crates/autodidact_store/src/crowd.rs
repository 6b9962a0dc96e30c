//! What crowd hours are made from: one row per follow of a curriculum or its copies, by a
//! learner who opted in, with the item done and time logged on it.

use async_trait::async_trait;

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::store::{CrowdSample, CrowdStore, CurriculumId, StoreResult};

use crate::Db;
use crate::rows::{StoredRow, corrupt, db_err, get};

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
    ) -> StoreResult<Vec<CrowdSample>> {
        // The follows of the curriculum and of its copies (by the index on `fork_of_id`), kept
        // only for learners who opted in and with the item done; then their time on it.
        sqlx::query(
            "SELECT f.user_id, \
             (SELECT COALESCE(SUM(l.minutes), 0) FROM study_logs l \
              WHERE l.follow_id = f.id AND l.item_id = $2) AS minutes, \
             (SELECT COALESCE(SUM(l.minutes), 0) FROM study_logs l \
              WHERE l.follow_id = f.id AND l.item_id = $2 AND l.kind = 'build') AS building, \
             (SELECT COUNT(*) FROM evidence e WHERE e.follow_id = f.id AND e.item_id = $2) \
              AS evidence \
             FROM follows f \
             JOIN profiles p ON p.user_id = f.user_id AND p.crowd = 1 \
             JOIN item_states s ON s.follow_id = f.id AND s.item_id = $2 AND s.status = 'done' \
             WHERE f.curriculum_id IN \
               (SELECT id FROM curricula WHERE id = $1 OR fork_of_id = $1)",
        )
        .bind(root.0)
        .bind(item.as_str())
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
