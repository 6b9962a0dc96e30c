//! API tokens: only their hashes are stored.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

use autodidact_core::accounts::UserId;
use autodidact_core::store::{
    ApiToken, StoreError, StoreResult, TokenId, TokenScope, TokenStore, User,
};

use crate::Db;
use crate::accounts::user_columns;
use crate::accounts::{expect_row, user_from_row};
use crate::rows::{corrupt, db_err, get, get_opt_ts, get_ts, new_id, secs};

macro_rules! token_columns {
    () => {
        "id, user_id, name, scope, created_at, last_used_at"
    };
}

pub(crate) fn token_from_row(row: &AnyRow) -> StoreResult<ApiToken> {
    let scope: String = get(row, "scope")?;
    Ok(ApiToken {
        id: TokenId(get(row, "id")?),
        user: UserId(get(row, "user_id")?),
        name: get(row, "name")?,
        scope: TokenScope::parse(&scope).ok_or_else(|| corrupt("scope", scope))?,
        created_at: get_ts(row, "created_at")?,
        last_used_at: get_opt_ts(row, "last_used_at")?,
    })
}

/// How often a token's last use is written, at most (seconds).
const LAST_USE_EVERY_SECS: i64 = 60;

#[async_trait]
impl TokenStore for Db {
    async fn create_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
        scope: TokenScope,
        now: Timestamp,
    ) -> StoreResult<ApiToken> {
        sqlx::query(concat!(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, scope, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
            token_columns!()
        ))
        .bind(new_id())
        .bind(user.0)
        .bind(name)
        .bind(token_hash)
        .bind(scope.as_str())
        .bind(secs(now))
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)
        .and_then(|row| token_from_row(&row))
    }

    /// The tokens not revoked, oldest first.
    async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        sqlx::query(concat!(
            "SELECT ",
            token_columns!(),
            " FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at, id"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(token_from_row)
        .collect()
    }

    async fn use_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<(ApiToken, User)>> {
        // A read: every API call makes one, and on SQLite a write would queue each call behind
        // the one writer.
        let token = sqlx::query(concat!(
            "SELECT ",
            token_columns!(),
            " FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        let Some(mut token) = token.as_ref().map(token_from_row).transpose()? else {
            return Ok(None);
        };
        let user = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u WHERE u.id = $1"
        ))
        .bind(token.user.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        let Some(user) = user.as_ref().map(user_from_row).transpose()? else {
            return Ok(None);
        };
        // The last use is bookkeeping: written at most once a minute, and a database with no
        // room left to write does not refuse the call for it.
        let stale = token
            .last_used_at
            .is_none_or(|last| now.as_second() - last.as_second() >= LAST_USE_EVERY_SECS);
        if stale {
            let touched = sqlx::query(
                "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            )
            .bind(token.id.0)
            .bind(secs(now))
            .execute(&self.pool)
            .await
            .map_err(db_err);
            match touched {
                Ok(_) => token.last_used_at = Some(now),
                Err(StoreError::Full) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Some((token, user)))
    }

    /// Revoked tokens are kept, with the time of revocation, and never work again. The trait
    /// passes no clock here, so the time is the server's.
    async fn revoke_token(&self, user: UserId, id: TokenId) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $3 \
             WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(secs(Timestamp::now()))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }
}
