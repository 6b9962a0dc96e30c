//! One learner's whole account: read at one moment for the takeout, written at once by an
//! import, deleted when they leave, and the change of email.
//!
//! The snapshot is one transaction (repeatable read on PostgreSQL, a read transaction on
//! SQLite), so a takeout is one moment's state even while the learner keeps logging. An import
//! is one writing transaction: every row or none.

use std::collections::HashMap;

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::{Any, AnyRow};
use sqlx::{AnyConnection, Transaction};

use autodidact_core::accounts::{Email, UserId};
use autodidact_core::curriculum::ItemId;
use autodidact_core::store::{
    AccountDataStore, AccountSnapshot, CurriculumId, DeclaredBreak, FollowId, FollowSnapshot,
    NewCurriculum, NewJournalPost, StoreError, StoreResult, Timer, User,
};

use crate::accounts::{expect_row, user_columns, user_from_row};
use crate::curricula::{
    curriculum_from_row, insert_curriculum, insert_import_report, report_from_row,
};
use crate::follows::{
    breaks_text, evidence_from_row, follow_from_row, item_state_from_row, items_text,
};
use crate::insight::{
    commitment_from_row, review_event_from_row, review_from_row, revision_from_row,
};
use crate::logs::log_from_row;
use crate::rows::{day, db_err, get, new_id, secs};
use crate::sharing::{
    PROFILE_OF_USER, insert_post, post_columns, post_from_row, profile_from_row, upsert_profile,
};
use crate::timers::{TIMER_OF_USER, insert_timer, timer_from_row};
use crate::tokens::token_from_row;
use crate::{Backend, Db, commit};

/// Rows of one query, read in the snapshot's transaction and converted.
async fn rows<T>(
    conn: &mut AnyConnection,
    sql: &str,
    user: UserId,
    convert: fn(&AnyRow) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user.0)
        .fetch_all(conn)
        .await
        .map_err(db_err)?
        .iter()
        .map(convert)
        .collect()
}

impl Db {
    async fn read_tx(&self) -> StoreResult<Transaction<'static, Any>> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        Ok(tx)
    }
}

/// Rows that belong to one of the user's follows, by the follow.
fn by_follow<T>(items: Vec<T>, follow: impl Fn(&T) -> FollowId) -> HashMap<FollowId, Vec<T>> {
    let mut map: HashMap<FollowId, Vec<T>> = HashMap::new();
    for item in items {
        map.entry(follow(&item)).or_default().push(item);
    }
    map
}

async fn is_empty(conn: &mut AnyConnection, user: UserId) -> StoreResult<bool> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM curricula WHERE owner_id = $1) \
              + (SELECT COUNT(*) FROM follows WHERE user_id = $1) \
              + (SELECT COUNT(*) FROM study_logs WHERE user_id = $1) \
              + (SELECT COUNT(*) FROM commitments WHERE user_id = $1) AS n",
    )
    .bind(user.0)
    .fetch_one(conn)
    .await
    .map_err(db_err)?;
    Ok(get::<i64>(&row, "n")? == 0)
}

#[async_trait]
impl AccountDataStore for Db {
    async fn account_snapshot(&self, user: UserId) -> StoreResult<Option<AccountSnapshot>> {
        let mut tx = self.read_tx().await?;
        let Some(account) = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.id = $1"
        ))
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        let account = user_from_row(&account)?;
        let curricula = rows(
            &mut tx,
            "SELECT id, owner_id, title, visibility, source, created_at, updated_at, version, \
             template_id, fork_of_id, fork_of_version, fork_of_owner_id, fork_of_owner_handle, \
             fork_of_title, fork_base FROM curricula WHERE owner_id = $1 ORDER BY created_at, id",
            user,
            curriculum_from_row,
        )
        .await?;
        let follows = rows(
            &mut tx,
            "SELECT id, user_id, curriculum_id, budget, budget_history, start_date, breaks, \
             breaks_declared, visibility, plan_done, plan_base_minutes, created_at, updated_at \
             FROM follows \
             WHERE user_id = $1 ORDER BY created_at, id",
            user,
            follow_from_row,
        )
        .await?;
        let mut revisions = by_follow(
            rows(
                &mut tx,
                "SELECT r.follow_id, r.number, r.budget, r.start_date, r.breaks, r.done_items, \
                 r.base_minutes, r.replaced_on, r.created_at FROM plan_revisions r \
                 JOIN follows f ON f.id = r.follow_id WHERE f.user_id = $1 \
                 ORDER BY r.follow_id, r.number",
                user,
                revision_from_row,
            )
            .await?,
            |r| r.follow,
        );
        let states = rows(
            &mut tx,
            "SELECT s.follow_id, s.item_id, s.status, s.notes, s.updated_at FROM item_states s \
             JOIN follows f ON f.id = s.follow_id WHERE f.user_id = $1 \
             ORDER BY s.follow_id, s.item_id",
            user,
            |row| Ok((FollowId(get(row, "follow_id")?), item_state_from_row(row)?)),
        )
        .await?;
        let mut states = by_follow(states, |(f, _)| *f);
        let mut evidence = by_follow(
            rows(
                &mut tx,
                "SELECT e.id, e.follow_id, e.item_id, e.kind, e.url, e.title, e.created_at \
                 FROM evidence e JOIN follows f ON f.id = e.follow_id WHERE f.user_id = $1 \
                 ORDER BY e.follow_id, e.created_at, e.id",
                user,
                evidence_from_row,
            )
            .await?,
            |e| e.follow,
        );
        let mut reviews = by_follow(
            rows(
                &mut tx,
                "SELECT r.follow_id, r.item_id, r.state, r.due, r.created_at, r.updated_at \
                 FROM reviews r JOIN follows f ON f.id = r.follow_id WHERE f.user_id = $1 \
                 ORDER BY r.follow_id, r.item_id",
                user,
                review_from_row,
            )
            .await?,
            |r| r.follow,
        );
        let mut events = by_follow(
            rows(
                &mut tx,
                "SELECT e.id, e.follow_id, e.item_id, e.grade, e.day, e.created_at \
                 FROM review_events e JOIN follows f ON f.id = e.follow_id \
                 WHERE f.user_id = $1 ORDER BY e.follow_id, e.item_id, e.day, e.created_at, e.id",
                user,
                review_event_from_row,
            )
            .await?,
            |e| e.follow,
        );
        let mut item_reviews = by_follow(
            rows(
                &mut tx,
                "SELECT r.follow_id, r.item_id, r.rating, r.body, r.tip, r.created_at, \
                 r.updated_at FROM item_reviews r JOIN follows f ON f.id = r.follow_id \
                 WHERE f.user_id = $1 ORDER BY r.follow_id, r.item_id",
                user,
                crate::crowd::review_record_from_row,
            )
            .await?,
            |r| r.follow,
        );
        let follows = follows
            .into_iter()
            .map(|follow| {
                let id = follow.id;
                FollowSnapshot {
                    follow,
                    revisions: revisions.remove(&id).unwrap_or_default(),
                    states: states
                        .remove(&id)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(_, s)| s)
                        .collect(),
                    evidence: evidence.remove(&id).unwrap_or_default(),
                    reviews: reviews.remove(&id).unwrap_or_default(),
                    review_events: events.remove(&id).unwrap_or_default(),
                    item_reviews: item_reviews.remove(&id).unwrap_or_default(),
                }
            })
            .collect();
        let logs = rows(
            &mut tx,
            "SELECT id, user_id, follow_id, item_id, minutes, kind, day, note, created_at \
             FROM study_logs WHERE user_id = $1 ORDER BY day, created_at, id",
            user,
            log_from_row,
        )
        .await?;
        let commitments = rows(
            &mut tx,
            "SELECT id, user_id, number, requested_on, weekly_minutes, created_at \
             FROM commitments WHERE user_id = $1 ORDER BY number",
            user,
            commitment_from_row,
        )
        .await?;
        let dismissals = rows(
            &mut tx,
            "SELECT key FROM dismissals WHERE user_id = $1 ORDER BY key",
            user,
            |row| get(row, "key"),
        )
        .await?;
        let tokens = rows(
            &mut tx,
            "SELECT id, user_id, name, scope, created_at, last_used_at FROM api_tokens \
             WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at, id",
            user,
            token_from_row,
        )
        .await?;
        let import_reports = rows(
            &mut tx,
            "SELECT r.curriculum_id, r.format, r.notes, r.progress, r.created_at \
             FROM import_reports r JOIN curricula c ON c.id = r.curriculum_id \
             WHERE c.owner_id = $1 ORDER BY r.curriculum_id",
            user,
            |row| {
                Ok((
                    CurriculumId(get(row, "curriculum_id")?),
                    report_from_row(row)?,
                ))
            },
        )
        .await?;
        let timer = rows(&mut tx, TIMER_OF_USER, user, timer_from_row)
            .await?
            .pop();
        let profile = rows(&mut tx, PROFILE_OF_USER, user, profile_from_row)
            .await?
            .pop()
            .unwrap_or_default();
        let journal = rows(
            &mut tx,
            concat!(
                "SELECT ",
                post_columns!(),
                " FROM journal_posts WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
            ),
            user,
            post_from_row,
        )
        .await?;
        commit(tx).await?;
        Ok(Some(AccountSnapshot {
            user: account,
            curricula,
            follows,
            logs,
            commitments,
            dismissals,
            tokens,
            import_reports,
            timer,
            profile,
            journal,
        }))
    }

    async fn import_account(&self, user: UserId, data: &AccountSnapshot) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        if self.backend == Backend::Postgres {
            // Two imports at once into one account: the second waits here, then finds it full.
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        if !is_empty(&mut tx, user).await? {
            return Err(StoreError::Conflict {
                constraint: "account_not_empty".to_owned(),
            });
        }
        let settings = &data.user.settings;
        let pacing = settings.pacing;
        let updated = sqlx::query(
            "UPDATE users SET display_name = $2, timezone = $3, week_start = $4, \
             streak_min_minutes = $5, rest_days_per_week = $6, ceiling_percent = $7, \
             making_threshold_percent = $8, loosen_delay_days = $9, loosen_delay_history = $10 \
             WHERE id = $1",
        )
        .bind(user.0)
        .bind(&data.user.display_name)
        .bind(settings.timezone.name())
        .bind(i32::from(i8::from(settings.week_start)))
        .bind(i64::from(pacing.streak_min_minutes))
        .bind(i64::from(pacing.rest_days_per_week))
        .bind(i64::from(pacing.ceiling_percent))
        .bind(i64::from(pacing.making_threshold_percent))
        .bind(i64::from(pacing.loosen_delay_days))
        .bind(settings.delay_history.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        expect_row(updated.rows_affected())?;

        let mut curricula: HashMap<CurriculumId, CurriculumId> = HashMap::new();
        for c in &data.curricula {
            let new = insert_curriculum(
                &mut tx,
                &NewCurriculum {
                    owner: user,
                    title: c.title.clone(),
                    visibility: c.visibility,
                    source: c.source.clone(),
                    lineage: c.lineage.clone(),
                    now: c.created_at,
                },
            )
            .await?;
            sqlx::query("UPDATE curricula SET version = $2, updated_at = $3 WHERE id = $1")
                .bind(new.id.0)
                .bind(i64::from(c.version))
                .bind(secs(c.updated_at))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            curricula.insert(c.id, new.id);
        }
        let mut follows: HashMap<FollowId, FollowId> = HashMap::new();
        for f in &data.follows {
            let id = import_follow(&mut tx, user, f, &curricula).await?;
            follows.insert(f.follow.id, id);
        }
        import_logs(&mut tx, user, data, &follows).await?;
        for c in &data.commitments {
            sqlx::query(
                "INSERT INTO commitments (id, user_id, number, requested_on, weekly_minutes, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id())
            .bind(user.0)
            .bind(i64::from(c.number))
            .bind(day(c.requested_on))
            .bind(c.weekly.map(|m| i64::from(m.get())))
            .bind(secs(c.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        for key in &data.dismissals {
            sqlx::query(
                "INSERT INTO dismissals (user_id, key, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, key) DO NOTHING",
            )
            .bind(user.0)
            .bind(key)
            .bind(secs(data.user.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        for (id, report) in &data.import_reports {
            if let Some(new) = curricula.get(id) {
                insert_import_report(&mut tx, *new, report).await?;
            }
        }
        if let Some(timer) = &data.timer {
            // A timer running in the account already is newer than the file's: it stays.
            let timer = Timer {
                user,
                follow: timer.follow.and_then(|f| follows.get(&f).copied()),
                ..timer.clone()
            };
            insert_timer(&mut tx, &timer).await?;
        }
        upsert_profile(&mut tx, user, &data.profile, data.user.created_at).await?;
        for post in &data.journal {
            let about = match &post.about {
                Some((f, item)) => {
                    Some((*follows.get(f).ok_or(StoreError::NotFound)?, item.clone()))
                }
                None => None,
            };
            let new = NewJournalPost {
                author: user,
                title: post.title.clone(),
                body: post.body.clone(),
                about,
                visibility: post.visibility,
                now: post.updated_at,
            };
            insert_post(&mut tx, new_id(), &new, post.created_at).await?;
        }
        commit(tx).await
    }

    /// Everything the user owns goes by `ON DELETE CASCADE` from `users`; a copy another learner
    /// made is theirs, and keeps only the record of where it came from.
    async fn delete_user(&self, user: UserId) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())?;
        commit(tx).await
    }

    async fn change_email(&self, user: UserId, email: &Email) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("UPDATE users SET email = $2 WHERE id = $1")
            .bind(user.0)
            .bind(email.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())?;
        // A link sent to the old address stops working.
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        commit(tx).await
    }

    async fn add_password_reset(
        &self,
        user: UserId,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(secs(now))
        .bind(secs(expires_at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn password_reset_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<User>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        reset_user(&mut conn, token_hash, now).await
    }

    async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> StoreResult<User> {
        let mut tx = self.write_tx().await?;
        // Taking the link out first decides a race: only one request can use it.
        let taken = sqlx::query(
            "DELETE FROM password_resets WHERE token_hash = $1 AND expires_at > $2 \
             RETURNING user_id",
        )
        .bind(token_hash)
        .bind(secs(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        let user_id: i64 = get(&taken, "user_id")?;
        let user = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.id = $1"
        ))
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(user_from_row)
        .transpose()?
        .ok_or(StoreError::NotFound)?;
        sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user.id.0)
            .bind(password_hash)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM password_resets WHERE user_id = $1",
        ] {
            sqlx::query(sql)
                .bind(user.id.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        commit(tx).await?;
        Ok(user)
    }
}

/// The user of a live link.
async fn reset_user(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: Timestamp,
) -> StoreResult<Option<User>> {
    sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND r.expires_at > $2"
    ))
    .bind(token_hash)
    .bind(secs(now))
    .fetch_optional(conn)
    .await
    .map_err(db_err)?
    .as_ref()
    .map(user_from_row)
    .transpose()
}

/// One follow with its revisions, board, evidence and reviews; returns its new id.
async fn import_follow(
    tx: &mut AnyConnection,
    user: UserId,
    f: &FollowSnapshot,
    curricula: &HashMap<CurriculumId, CurriculumId>,
) -> StoreResult<FollowId> {
    let follow = &f.follow;
    let curriculum = curricula
        .get(&follow.curriculum)
        .ok_or(StoreError::NotFound)?;
    let id = FollowId(new_id());
    sqlx::query(
        "INSERT INTO follows (id, user_id, curriculum_id, budget, start_date, breaks, \
         visibility, plan_done, plan_base_minutes, created_at, updated_at, budget_history, \
         breaks_declared) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id.0)
    .bind(user.0)
    .bind(curriculum.0)
    .bind(follow.budget.to_string())
    .bind(day(follow.start))
    .bind(breaks_text(&follow.breaks))
    .bind(follow.visibility.as_str())
    .bind(items_text(&follow.plan_done))
    .bind(i64::from(follow.plan_base.get()))
    .bind(secs(follow.created_at))
    .bind(secs(follow.updated_at))
    .bind(follow.budget_history.to_string())
    .bind(DeclaredBreak::lines(&follow.declared))
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    for r in &f.revisions {
        sqlx::query(
            "INSERT INTO plan_revisions (follow_id, number, budget, start_date, breaks, \
             done_items, base_minutes, replaced_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.0)
        .bind(i64::from(r.number))
        .bind(r.budget.to_string())
        .bind(day(r.start))
        .bind(breaks_text(&r.breaks))
        .bind(items_text(&r.done))
        .bind(i64::from(r.base.get()))
        .bind(day(r.replaced_on))
        .bind(secs(r.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    for s in &f.states {
        sqlx::query(
            "INSERT INTO item_states (follow_id, item_id, status, notes, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.0)
        .bind(s.item.as_str())
        .bind(s.status.as_str())
        .bind(&s.notes)
        .bind(secs(s.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    for e in &f.evidence {
        sqlx::query(
            "INSERT INTO evidence (id, follow_id, item_id, kind, url, title, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(id.0)
        .bind(e.item.as_str())
        .bind(e.kind.as_str())
        .bind(&e.url)
        .bind(&e.title)
        .bind(secs(e.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    for r in &f.reviews {
        sqlx::query(
            "INSERT INTO reviews (follow_id, item_id, state, due, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.0)
        .bind(r.item.as_str())
        .bind(&r.state)
        .bind(day(r.due))
        .bind(secs(r.created_at))
        .bind(secs(r.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    for r in &f.item_reviews {
        sqlx::query(
            "INSERT INTO item_reviews (follow_id, item_id, rating, body, tip, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.0)
        .bind(r.item.as_str())
        .bind(i64::from(r.rating.halves()))
        .bind(&r.text)
        .bind(&r.tip)
        .bind(secs(r.created_at))
        .bind(secs(r.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    for e in &f.review_events {
        sqlx::query(
            "INSERT INTO review_events (id, follow_id, item_id, grade, day, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(id.0)
        .bind(e.item.as_str())
        .bind(e.grade.as_str())
        .bind(day(e.day))
        .bind(secs(e.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    Ok(id)
}

/// Logs per statement: nine values each, well under both backends' limits on parameters.
const LOGS_PER_INSERT: usize = 400;

/// The logs, many to a statement, then their running totals summed in two statements (the
/// account held no logs, so its totals start from nothing).
async fn import_logs(
    tx: &mut AnyConnection,
    user: UserId,
    data: &AccountSnapshot,
    follows: &HashMap<FollowId, FollowId>,
) -> StoreResult<()> {
    for chunk in data.logs.chunks(LOGS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=9).map(|k| format!("${}", i * 9 + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO study_logs (id, user_id, follow_id, item_id, minutes, kind, day, note, \
             created_at) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for log in chunk {
            let follow = match log.follow {
                Some(f) => Some(follows.get(&f).ok_or(StoreError::NotFound)?.0),
                None => None,
            };
            query = query
                .bind(new_id())
                .bind(user.0)
                .bind(follow)
                .bind(log.item.as_ref().map(ItemId::as_str).map(str::to_owned))
                .bind(i64::from(log.minutes.get()))
                .bind(log.kind.as_str())
                .bind(day(log.day))
                .bind(log.note.clone())
                .bind(secs(log.created_at));
        }
        query.execute(&mut *tx).await.map_err(db_err)?;
    }
    // Rows of zeros stay behind when logs are changed or deleted; the account has no logs, so
    // its totals start again from nothing.
    sqlx::query("DELETE FROM log_days WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    sqlx::query(
        "INSERT INTO log_days (user_id, day, learn, build, review) \
         SELECT user_id, day, \
                SUM(CASE WHEN kind = 'learn' THEN minutes ELSE 0 END), \
                SUM(CASE WHEN kind = 'build' THEN minutes ELSE 0 END), \
                SUM(CASE WHEN kind = 'review' THEN minutes ELSE 0 END) \
         FROM study_logs WHERE user_id = $1 GROUP BY user_id, day",
    )
    .bind(user.0)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    sqlx::query(
        "INSERT INTO log_item_days (follow_id, day, item_id, minutes) \
         SELECT follow_id, day, COALESCE(item_id, ''), SUM(minutes) FROM study_logs \
         WHERE user_id = $1 AND follow_id IS NOT NULL \
         GROUP BY follow_id, day, COALESCE(item_id, '')",
    )
    .bind(user.0)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    Ok(())
}
