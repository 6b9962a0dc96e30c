//! Reads on SQLite through `rusqlite`, whole: on the calling thread, or on a blocking thread.
//!
//! sqlx's SQLite driver runs each connection on a worker thread and sends every row back over
//! a channel, waking the asking task once a row: a profile of the pages put most of their time
//! in those wake-ups. The reads on a page's path go through here instead, with the same SQL,
//! on a connection of a small pool: a read of a few rows by an index (the session, follows, a
//! curriculum, a board) runs on the calling thread ([`Reads::run_here`]), and a read of
//! hundreds of rows (a learner's minutes per day, a follow's minutes per day and item) inside
//! one `spawn_blocking` ([`Reads::run`]), so the rows come back in one hand-over. Writes, and
//! the reads off a page's path, stay on sqlx, which keeps one code path for both backends.
//!
//! The connections open the same file read-write with `query_only` on, so they can never
//! write, and use the pragmas of the sqlx pool that matter to a reader (`busy_timeout`). WAL
//! lets them read while sqlx's connections write.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use autodidact_core::store::{StoreError, StoreResult};
use rusqlite::{Connection, OpenFlags};

/// Reads at once, and so connections: each is opened once and kept, with its page cache. A
/// read beyond them waits for one rather than opening a connection (opening reads the schema
/// and starts with a cold cache: under load that was a tenth of the time).
const CONNECTIONS: usize = 8;

pub(crate) struct Reads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// Set by [`Reads::close`], with the sqlx pool: later reads fail as the pool's do.
    closed: AtomicBool,
    /// A permit for each connection.
    permits: tokio::sync::Semaphore,
}

impl std::fmt::Debug for Reads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reads").field("path", &self.path).finish()
    }
}

impl Reads {
    pub(crate) fn new(path: &Path) -> Arc<Self> {
        Arc::new(Self {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
            permits: tokio::sync::Semaphore::new(CONNECTIONS),
        })
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.execute_batch("PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;")?;
        Ok(conn)
    }

    /// Closes the idle connections (a read under way closes its own when it ends) and refuses
    /// later reads.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.permits.close();
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    /// Runs `read`, a read of a few rows by an index (a session, a curriculum, a learner's
    /// follows), on a pooled connection on the calling thread. Such a read takes microseconds
    /// from the page cache, less than handing it to a blocking thread and back (two thread
    /// switches, which on two cores were a fifth of the load test's time). WAL readers do not
    /// wait for the writer, so this does not hold the async worker beyond the read itself.
    pub(crate) fn run_here<T>(
        &self,
        read: impl FnOnce(&Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        if_open(&self.closed)?;
        self.with_connection(read)
    }

    /// Runs `read` on an idle connection, or on a new one if none is idle, and keeps it.
    fn with_connection<T>(
        &self,
        read: impl FnOnce(&Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let taken = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match taken {
            Some(conn) => conn,
            None => self.open().map_err(read_err)?,
        };
        let out = read(&conn);
        self.put_back(conn);
        out
    }

    /// Keeps `conn` for the next read, unless the reads are closed or enough are kept (the
    /// reads on the calling thread may open a few beyond [`CONNECTIONS`]).
    fn put_back(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && !self.closed.load(Ordering::SeqCst)
            && idle.len() < CONNECTIONS
        {
            idle.push(conn);
        }
    }

    /// Runs `read` on a pooled connection, on a blocking thread: for reads of many rows.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, read: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        if_open(&self.closed)?;
        // Held until the read ends, so at most CONNECTIONS connections exist.
        let _permit = self.permits.acquire().await.map_err(|_| closed())?;
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || this.with_connection(read))
            .await
            .map_err(|e| StoreError::Backend(format!("a read stopped: {e}")))?
    }
}

/// What a call on a closed database gets: unavailable, as from sqlx's closed pool.
pub(crate) fn closed() -> StoreError {
    StoreError::Unavailable("the database is closed".to_owned())
}

/// `Ok` while `closed` is not set.
pub(crate) fn if_open(closed: &AtomicBool) -> StoreResult<()> {
    if closed.load(Ordering::SeqCst) {
        Err(self::closed())
    } else {
        Ok(())
    }
}

/// rusqlite's errors as the store's: a busy or unreachable file is `Unavailable` (503, try
/// again), anything else a backend error.
pub(crate) fn read_err(err: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match err.sqlite_error_code() {
        Some(
            ErrorCode::DatabaseBusy
            | ErrorCode::DatabaseLocked
            | ErrorCode::CannotOpen
            | ErrorCode::SystemIoFailure,
        ) => StoreError::Unavailable(err.to_string()),
        _ => StoreError::Backend(err.to_string()),
    }
}

/// Every row `sql` gives for `params`, each turned into a record by `map` (the same function
/// that turns sqlx's rows into records: see [`crate::rows::StoredRow`]).
pub(crate) fn all<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    map: impl Fn(&Named<'_, '_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut statement = conn.prepare_cached(sql).map_err(read_err)?;
    let names: Vec<String> = statement
        .column_names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut rows = statement.query(params).map_err(read_err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(read_err)? {
        out.push(map(&Named { row, names: &names })?);
    }
    Ok(out)
}

/// A row with its statement's column names read once: rusqlite finds a column by name by
/// asking SQLite for every column's name in turn, on every value, which was a sixth of the
/// time of a read of many rows.
pub(crate) struct Named<'a, 'r> {
    row: &'a rusqlite::Row<'r>,
    names: &'a [String],
}

impl crate::rows::StoredRow for Named<'_, '_> {
    fn column<T: crate::rows::Stored>(&self, column: &str) -> StoreResult<T> {
        let index = self
            .names
            .iter()
            .position(|name| name.eq_ignore_ascii_case(column))
            .ok_or_else(|| StoreError::Backend(format!("no column `{column}` in the row")))?;
        self.row.get(index).map_err(read_err)
    }
}
