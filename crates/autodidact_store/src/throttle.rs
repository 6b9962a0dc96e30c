//! The throttles: rules and events (see `autodidact_core::throttle`).

use async_trait::async_trait;
use jiff::Timestamp;

use autodidact_core::store::{HealthStore, StoreResult, ThrottleStore};
use autodidact_core::throttle::{Hit, Limit, Rule, Throttled, Ticket};

use crate::rows::{db_err, get, new_id, secs};
use crate::{Backend, Db, commit};

#[async_trait]
impl ThrottleStore for Db {
    async fn take_throttle(
        &self,
        hits: &[Hit],
        now: Timestamp,
    ) -> StoreResult<Result<Ticket, Throttled>> {
        let now = secs(now);
        let mut tx = self.write_tx().await?;
        if self.backend == Backend::Postgres {
            // SQLite's write lock (`BEGIN IMMEDIATE`) already makes this transaction the only
            // writer; PostgreSQL needs a lock per key, taken in one order so that two
            // transactions never wait on each other. `pg_advisory_xact_lock` returns `void`,
            // which `Any` cannot decode: count it.
            let mut keys: Vec<String> = hits
                .iter()
                .map(|h| format!("{}\u{1f}{}", h.limit.name(), h.key))
                .collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                sqlx::query(
                    "SELECT COUNT(*) AS n FROM \
                     (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS l",
                )
                .bind(key)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
            }
        }
        let mut refusal: Option<Throttled> = None;
        for hit in hits {
            let rule = rule_of(&mut tx, hit.limit).await?;
            let since = now.saturating_sub(rule.window_secs);
            sqlx::query("DELETE FROM throttle_events WHERE name = $1 AND key = $2 AND at <= $3")
                .bind(hit.limit.name())
                .bind(&hit.key)
                .bind(since)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            let row = sqlx::query(
                "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM throttle_events \
                 WHERE name = $1 AND key = $2",
            )
            .bind(hit.limit.name())
            .bind(&hit.key)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            let count: i64 = get(&row, "n")?;
            let oldest: Option<i64> = get(&row, "oldest")?;
            if count >= i64::from(rule.max) {
                let retry = (oldest.unwrap_or(now) + rule.window_secs - now).max(1);
                // The longest wait of the limits reached is the one that matters.
                if refusal.is_none_or(|r| r.retry_after_secs < retry) {
                    refusal = Some(Throttled {
                        limit: hit.limit,
                        retry_after_secs: retry,
                    });
                }
            }
        }
        if let Some(refused) = refusal {
            // The expired events deleted on the way may go too.
            commit(tx).await?;
            return Ok(Err(refused));
        }
        let mut ids = Vec::with_capacity(hits.len());
        for hit in hits {
            let id = new_id();
            sqlx::query("INSERT INTO throttle_events (id, name, key, at) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(hit.limit.name())
                .bind(&hit.key)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            ids.push(id);
        }
        commit(tx).await?;
        Ok(Ok(Ticket(ids)))
    }

    async fn forgive_throttle(&self, ticket: &Ticket) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        for id in &ticket.0 {
            sqlx::query("DELETE FROM throttle_events WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        commit(tx).await
    }

    async fn clear_throttle(&self, limit: Limit, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM throttle_events WHERE name = $1 AND key = $2")
            .bind(limit.name())
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn throttle_rules(&self) -> StoreResult<Vec<(Limit, Rule)>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        let mut rules = Vec::with_capacity(Limit::ALL.len());
        for limit in Limit::ALL {
            rules.push((limit, rule_of(&mut conn, limit).await?));
        }
        Ok(rules)
    }

    async fn set_throttle_rule(&self, limit: Limit, rule: Rule) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM throttle_rules WHERE name = $1")
            .bind(limit.name())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO throttle_rules (name, max_events, window_secs) VALUES ($1, $2, $3)",
        )
        .bind(limit.name())
        .bind(i64::from(rule.max))
        .bind(rule.window_secs)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit(tx).await
    }
}

/// The rule of `throttle_rules` for a limit, or its default when the row is missing.
async fn rule_of(conn: &mut sqlx::AnyConnection, limit: Limit) -> StoreResult<Rule> {
    let row = sqlx::query("SELECT max_events, window_secs FROM throttle_rules WHERE name = $1")
        .bind(limit.name())
        .fetch_optional(conn)
        .await
        .map_err(db_err)?;
    let Some(row) = row else {
        return Ok(limit.default_rule());
    };
    let max: i64 = get(&row, "max_events")?;
    let window_secs: i64 = get(&row, "window_secs")?;
    Ok(Rule {
        max: u32::try_from(max).unwrap_or(u32::MAX).max(1),
        window_secs: window_secs.max(1),
    })
}

#[async_trait]
impl HealthStore for Db {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1 AS one")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
