//! Users and sessions.

use async_trait::async_trait;
use jiff::Timestamp;

use autodidact_core::accounts::{Email, Handle, Pacing, Settings, UserId, WeekStart, Zone};
use autodidact_core::plan::History;
use autodidact_core::store::{
    AccountStore, DataVersion, NewSession, NewUser, PendingSignUp, Session, SessionId, StoreError,
    StoreResult, User,
};

use crate::rows::{StoredRow, corrupt, db_err, get, get_ts, new_id, secs};
use crate::sqlite_reads::all;
use crate::{Db, commit};

/// Inserts an account (`create_user`, and a confirmed sign-up in its transaction).
async fn insert_user(conn: &mut sqlx::AnyConnection, user: NewUser) -> StoreResult<User> {
    let id = new_id();
    let week_start = i32::from(i8::from(user.settings.week_start));
    sqlx::query(
        "INSERT INTO users \
         (id, handle, display_name, email, password_hash, timezone, week_start, created_at, \
          streak_min_minutes, rest_days_per_week, ceiling_percent, \
          making_threshold_percent, loosen_delay_days) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id)
    .bind(user.handle.as_str())
    .bind(&user.display_name)
    .bind(user.email.as_str())
    .bind(&user.password_hash)
    .bind(user.settings.timezone.name())
    .bind(week_start)
    .bind(secs(user.now))
    .bind(i64::from(user.settings.pacing.streak_min_minutes))
    .bind(i64::from(user.settings.pacing.rest_days_per_week))
    .bind(i64::from(user.settings.pacing.ceiling_percent))
    .bind(i64::from(user.settings.pacing.making_threshold_percent))
    .bind(i64::from(user.settings.pacing.loosen_delay_days))
    .execute(&mut *conn)
    .await
    .map_err(db_err)?;
    Ok(User {
        id: UserId(id),
        handle: user.handle,
        display_name: user.display_name,
        email: user.email,
        settings: user.settings,
        created_at: stored(user.now),
        data_version: DataVersion::default(),
    })
}

/// The columns of a [`User`], from `users u`.
macro_rules! user_columns {
    () => {
        "u.id, u.handle, u.display_name, u.email, u.timezone, u.week_start, \
         u.streak_min_minutes, u.rest_days_per_week, u.ceiling_percent, \
         u.making_threshold_percent, u.loosen_delay_days, u.loosen_delay_history, u.created_at, \
         u.data_version"
    };
}
pub(crate) use user_columns;

/// The columns of a [`Session`], from `sessions s`, named apart from a joined user's.
macro_rules! session_columns {
    () => {
        "s.id AS session_id, s.user_id, s.csrf_token, s.created_at AS session_created_at, \
         s.last_seen_at, s.expires_at, s.user_agent, s.ip"
    };
}

pub(crate) fn user_from_row(row: &impl StoredRow) -> StoreResult<User> {
    Ok(User {
        id: UserId(get(row, "id")?),
        handle: Handle::from_trusted(get(row, "handle")?),
        display_name: get(row, "display_name")?,
        email: Email::from_trusted(get(row, "email")?),
        settings: Settings {
            timezone: {
                let name: String = get(row, "timezone")?;
                Zone::parse(&name).map_err(|e| corrupt("timezone", e))?
            },
            week_start: WeekStart::from_monday_zero(get(row, "week_start")?),
            pacing: Pacing {
                streak_min_minutes: small(row, "streak_min_minutes")?,
                rest_days_per_week: small(row, "rest_days_per_week")?,
                ceiling_percent: small(row, "ceiling_percent")?,
                making_threshold_percent: small(row, "making_threshold_percent")?,
                loosen_delay_days: small(row, "loosen_delay_days")?,
            },
            delay_history: {
                let text: String = get(row, "loosen_delay_history")?;
                History::parse(&text).map_err(|e| corrupt("loosen_delay_history", e))?
            },
        },
        created_at: get_ts(row, "created_at")?,
        data_version: DataVersion(get(row, "data_version")?),
    })
}

/// A small count column, which the schema bounds.
fn small<T: TryFrom<i64>>(row: &impl StoredRow, column: &str) -> StoreResult<T>
where
    T::Error: std::fmt::Display,
{
    let n: i64 = get(row, column)?;
    T::try_from(n).map_err(|e| corrupt(column, e))
}

fn session_from_row(row: &impl StoredRow) -> StoreResult<Session> {
    Ok(Session {
        id: SessionId(get(row, "session_id")?),
        user: UserId(get(row, "user_id")?),
        csrf_token: get(row, "csrf_token")?,
        created_at: get_ts(row, "session_created_at")?,
        last_seen_at: get_ts(row, "last_seen_at")?,
        expires_at: get_ts(row, "expires_at")?,
        user_agent: get(row, "user_agent")?,
        ip: get(row, "ip")?,
    })
}

/// Seconds precision, as stored: what a read would return.
fn stored(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

/// `NotFound` when a statement that must touch a row touched none.
pub(crate) fn expect_row(rows_affected: u64) -> StoreResult<()> {
    if rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl AccountStore for Db {
    async fn create_user(&self, user: NewUser) -> StoreResult<User> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        insert_user(&mut conn, user).await
    }

    async fn add_pending_sign_up(&self, pending: PendingSignUp) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        // Links nobody used are of no use to anyone.
        sqlx::query("DELETE FROM pending_sign_ups WHERE expires_at <= $1")
            .bind(secs(pending.user.now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO pending_sign_ups \
             (token_hash, handle, display_name, email, password_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&pending.token_hash)
        .bind(pending.user.handle.as_str())
        .bind(&pending.user.display_name)
        .bind(pending.user.email.as_str())
        .bind(&pending.user.password_hash)
        .bind(secs(pending.user.now))
        .bind(secs(pending.expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit(tx).await
    }

    async fn confirm_pending_sign_up(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<User>> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT handle, display_name, email, password_hash FROM pending_sign_ups \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(secs(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let handle: String = get(&row, "handle")?;
        let email: String = get(&row, "email")?;
        let user = NewUser {
            handle: Handle::from_trusted(handle),
            display_name: get(&row, "display_name")?,
            email: Email::from_trusted(email),
            password_hash: get(&row, "password_hash")?,
            settings: Settings::default(),
            now,
        };
        sqlx::query("DELETE FROM pending_sign_ups WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let user = insert_user(&mut tx, user).await?;
        commit(tx).await?;
        Ok(Some(user))
    }

    async fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(user_from_row)
        .transpose()
    }

    async fn user_by_handle(&self, handle: &Handle) -> StoreResult<Option<User>> {
        sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.handle = $1"
        ))
        .bind(handle.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(user_from_row)
        .transpose()
    }

    /// `login` is matched as typed at a sign-in form: trimmed, lowercased (handles and emails
    /// are stored lowercase), and a handle may start with `@`.
    async fn credentials(&self, login: &str) -> StoreResult<Option<(User, String)>> {
        let login = login.trim().to_lowercase();
        let handle = login.strip_prefix('@').unwrap_or(&login);
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            ", u.password_hash FROM users u WHERE u.handle = $1 OR u.email = $2"
        ))
        .bind(handle)
        .bind(&login)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(|row| Ok((user_from_row(&row)?, get(&row, "password_hash")?)))
            .transpose()
    }

    async fn update_profile(
        &self,
        id: UserId,
        display_name: &str,
        settings: &Settings,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE users SET display_name = $2, timezone = $3, week_start = $4, \
             streak_min_minutes = $5, rest_days_per_week = $6, ceiling_percent = $7, \
             making_threshold_percent = $8, loosen_delay_days = $9, loosen_delay_history = $10 \
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(display_name)
        .bind(settings.timezone.name())
        .bind(i32::from(i8::from(settings.week_start)))
        .bind(i64::from(settings.pacing.streak_min_minutes))
        .bind(i64::from(settings.pacing.rest_days_per_week))
        .bind(i64::from(settings.pacing.ceiling_percent))
        .bind(i64::from(settings.pacing.making_threshold_percent))
        .bind(i64::from(settings.pacing.loosen_delay_days))
        .bind(settings.delay_history.to_string())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn change_password(
        &self,
        id: UserId,
        password_hash: &str,
        keep_session: &str,
        revoke_keys_at: Option<Timestamp>,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(id.0)
            .bind(password_hash)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(id.0)
            .bind(keep_session)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        // Links to set a new password, asked for before, stop working.
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if let Some(at) = revoke_keys_at {
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
            )
            .bind(id.0)
            .bind(secs(at))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            sqlx::query("UPDATE follows SET calendar_token_hash = NULL WHERE user_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        commit(tx).await
    }

    async fn create_session(&self, session: NewSession) -> StoreResult<Session> {
        let id = new_id();
        let mut tx = self.write_tx().await?;
        // Expired sessions are of no use to anyone: a sign-in sweeps away the user's old ones.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
            .bind(session.user.0)
            .bind(secs(session.now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO sessions (id, token_hash, user_id, csrf_token, created_at, \
             last_seen_at, expires_at, user_agent, ip) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(&session.token_hash)
        .bind(session.user.0)
        .bind(&session.csrf_token)
        .bind(secs(session.now))
        .bind(secs(session.expires_at))
        .bind(&session.user_agent)
        .bind(&session.ip)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit(tx).await?;
        Ok(Session {
            id: SessionId(id),
            user: session.user,
            csrf_token: session.csrf_token,
            created_at: stored(session.now),
            last_seen_at: stored(session.now),
            expires_at: stored(session.expires_at),
            user_agent: session.user_agent,
            ip: session.ip,
        })
    }

    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<(Session, User)>> {
        const SQL: &str = concat!(
            "SELECT ",
            session_columns!(),
            ", ",
            user_columns!(),
            " FROM sessions s JOIN users u ON u.id = s.user_id \
              WHERE s.token_hash = $1 AND s.expires_at > $2"
        );
        if let Some(reads) = &self.reads {
            let (token_hash, now) = (token_hash.to_owned(), secs(now));
            return reads.run_here(move |conn| {
                let found = all(conn, SQL, (&token_hash, now), |row| {
                    Ok((session_from_row(row)?, user_from_row(row)?))
                })?;
                Ok(found.into_iter().next())
            });
        }
        let row = sqlx::query(SQL)
            .bind(token_hash)
            .bind(secs(now))
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(|row| Ok((session_from_row(&row)?, user_from_row(&row)?)))
            .transpose()
    }

    /// Does nothing to a session that is gone or expired: touching never revives one, and a
    /// session signed out between reading and touching it is not an error.
    async fn touch_session(
        &self,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $2, expires_at = $3 \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(secs(now))
        .bind(secs(expires_at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    /// Deleting a session that is already gone succeeds: signing out twice is not an error.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Live sessions, most recently seen first.
    async fn sessions_of(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<Session>> {
        sqlx::query(concat!(
            "SELECT ",
            session_columns!(),
            " FROM sessions s WHERE s.user_id = $1 AND s.expires_at > $2 \
              ORDER BY s.last_seen_at DESC, s.id"
        ))
        .bind(user.0)
        .bind(secs(now))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(session_from_row)
        .collect()
    }

    async fn revoke_session(&self, user: UserId, id: SessionId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(user.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())
    }
}
