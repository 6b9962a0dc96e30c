//! Between rows and domain values: ids, timestamps, dates, and database errors.

use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;
use sqlx::error::ErrorKind;

use autodidact_core::curriculum::ItemId;
use autodidact_core::store::{StoreError, StoreResult};

/// A new random id: positive and below 2^63, so it fits a BIGINT on both backends. Random ids
/// say nothing about how many rows exist and cannot be guessed from a neighbour's.
pub(crate) fn new_id() -> i64 {
    // The top bit is cleared, so the value fits in i64; zero is skipped to keep ids positive.
    let id = (rand::random::<u64>() >> 1) as i64;
    id.max(1)
}

pub(crate) fn secs(t: Timestamp) -> i64 {
    t.as_second()
}

pub(crate) fn get_ts(row: &impl StoredRow, column: &str) -> StoreResult<Timestamp> {
    let secs: i64 = get(row, column)?;
    Timestamp::from_second(secs).map_err(|e| corrupt(column, e))
}

pub(crate) fn get_opt_ts(row: &impl StoredRow, column: &str) -> StoreResult<Option<Timestamp>> {
    let secs: Option<i64> = get(row, column)?;
    secs.map(|s| Timestamp::from_second(s).map_err(|e| corrupt(column, e)))
        .transpose()
}

/// Dates are ISO text (`2026-01-05`), which sorts as dates do.
pub(crate) fn day(d: Date) -> String {
    d.to_string()
}

pub(crate) fn get_date(row: &impl StoredRow, column: &str) -> StoreResult<Date> {
    let text: String = get(row, column)?;
    text.parse().map_err(|e| corrupt(column, e))
}

pub(crate) fn get_item(row: &impl StoredRow, column: &str) -> StoreResult<ItemId> {
    let text: String = get(row, column)?;
    ItemId::parse(&text).map_err(|e| corrupt(column, e))
}

/// A value a column holds, as both drivers read it: integers, text, and their `Option`s.
pub(crate) trait Stored:
    for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + rusqlite::types::FromSql
{
}

impl<T> Stored for T where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + rusqlite::types::FromSql
{
}

/// A row of either driver: sqlx's (both backends) or rusqlite's (the whole-result reads of
/// [`crate::sqlite_reads`]), so that one function turns a row into a domain record for both.
pub(crate) trait StoredRow {
    fn column<T: Stored>(&self, column: &str) -> StoreResult<T>;
}

impl StoredRow for AnyRow {
    fn column<T: Stored>(&self, column: &str) -> StoreResult<T> {
        self.try_get(column).map_err(db_err)
    }
}

impl StoredRow for rusqlite::Row<'_> {
    fn column<T: Stored>(&self, column: &str) -> StoreResult<T> {
        self.get(column).map_err(crate::sqlite_reads::read_err)
    }
}

/// A column, with a decoding failure reported as a backend error.
pub(crate) fn get<T: Stored>(row: &impl StoredRow, column: &str) -> StoreResult<T> {
    row.column(column)
}

/// A stored value that the domain refuses: the database holds something this code never wrote.
pub(crate) fn corrupt(column: &str, cause: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!(
        "column `{column}` holds an unreadable value: {cause}"
    ))
}

/// The one place database errors become [`StoreError`]s. A unique violation names its
/// constraint on both backends: PostgreSQL reports the name; SQLite reports only
/// `UNIQUE constraint failed: follows.user_id, follows.curriculum_id`, so the name is rebuilt
/// from PostgreSQL's convention (`{table}_{columns}_key`, `{table}_pkey`), which every
/// migration follows and the schema-parity test checks. A foreign-key violation means the row
/// referred to does not exist: `NotFound`.
pub(crate) fn db_err(err: sqlx::Error) -> StoreError {
    if let Some(db) = err.as_database_error()
        && db.kind() == ErrorKind::UniqueViolation
    {
        let constraint = match db.constraint() {
            Some(name) => name.to_owned(),
            None => sqlite_constraint_name(db.message(), db.code().as_deref()),
        };
        return StoreError::Conflict { constraint };
    }
    // A row that refers to a missing one (a session for a deleted user, a follow of a deleted
    // curriculum): the thing referred to is not found.
    if let Some(db) = err.as_database_error()
        && db.kind() == ErrorKind::ForeignKeyViolation
    {
        return StoreError::NotFound;
    }
    // The database is away (PostgreSQL restarting, the network gone) or the pool is closed:
    // unavailable for now, not a failure of this request's own.
    if matches!(
        err,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
    ) {
        return StoreError::Unavailable(err.to_string());
    }
    // PostgreSQL going down or coming up: its connection exceptions (class 08) and operator
    // intervention (class 57: admin_shutdown, crash_shutdown, cannot_connect_now).
    if let Some(db) = err.as_database_error()
        && let Some(code) = db.code()
        && (code.starts_with("08") || code.starts_with("57P"))
    {
        return StoreError::Unavailable(err.to_string());
    }
    // No room to write: SQLite's SQLITE_FULL (13, its extended codes end in it too) or
    // PostgreSQL's disk_full (53100).
    if let Some(db) = err.as_database_error() {
        let code = db.code();
        let code = code.as_deref().unwrap_or("");
        let sqlite_full = code.parse::<i32>().is_ok_and(|c| c & 0xff == 13);
        if sqlite_full || code == "53100" || db.message().contains("database or disk is full") {
            return StoreError::Full;
        }
    }
    StoreError::Backend(err.to_string())
}

/// SQLite's extended result code for a primary-key violation.
const SQLITE_CONSTRAINT_PRIMARYKEY: &str = "1555";

pub(crate) fn sqlite_constraint_name(message: &str, code: Option<&str>) -> String {
    let columns = message
        .strip_prefix("UNIQUE constraint failed: ")
        .unwrap_or(message);
    let mut table = "";
    let mut names = Vec::new();
    for qualified in columns.split(", ") {
        let (t, column) = qualified.split_once('.').unwrap_or(("", qualified));
        table = t;
        names.push(column.trim());
    }
    if code == Some(SQLITE_CONSTRAINT_PRIMARYKEY) {
        format!("{table}_pkey")
    } else {
        format!("{table}_{}_key", names.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_messages_map_to_postgres_constraint_names() {
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: users.handle", Some("2067")),
            "users_handle_key"
        );
        assert_eq!(
            sqlite_constraint_name(
                "UNIQUE constraint failed: follows.user_id, follows.curriculum_id",
                Some("2067")
            ),
            "follows_user_id_curriculum_id_key"
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: users.id", Some("1555")),
            "users_pkey"
        );
    }

    #[test]
    fn a_database_that_does_not_answer_is_unavailable_not_a_failure() {
        for err in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
        ] {
            assert!(matches!(db_err(err), StoreError::Unavailable(_)));
        }
        assert!(matches!(
            db_err(sqlx::Error::RowNotFound),
            StoreError::Backend(_)
        ));
    }

    #[test]
    fn new_ids_are_positive() {
        assert!((0..1000).map(|_| new_id()).all(|id| id > 0));
    }
}
