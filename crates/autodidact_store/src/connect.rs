//! Opening a database from a URL, and the SQLite settings every connection gets.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, Connection, Executor};

use crate::{Backend, Db};

/// How long to wait for a PostgreSQL server to answer before calling it unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a storage call waits for a free connection from the pool (SQLite: a busy moment
/// passes).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// The same for PostgreSQL, shorter: while the server is away the pool keeps trying to
/// connect until this passes, and the request should hear "unavailable" (503) within about a
/// second, not hang.
const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// The SQLite settings, in one place, applied to every new connection: sqlx's `Any` driver
/// cannot take them in the URL. WAL lets readers go on while one writer writes; `busy_timeout`
/// makes a second writer wait instead of failing; `busy_timeout` comes first because switching
/// to WAL itself needs the lock. The `synchronous` pragma follows them (see [`Durability`]).
pub(crate) const SQLITE_PRAGMAS: [&str; 3] = [
    "PRAGMA busy_timeout = 5000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
];

/// How hard SQLite works to keep a commit through a power cut, from the URL's
/// `synchronous=full|normal` (default full).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durability {
    /// `synchronous=FULL`: every commit is on disk before it is acknowledged. The default:
    /// acknowledged means durable.
    Full,
    /// `synchronous=NORMAL`: with WAL, a power cut (not a crash of the process) may lose the
    /// last commits, never corrupt the file; fewer fsyncs. An operator's choice.
    Normal,
}

impl Durability {
    fn pragma(self) -> &'static str {
        match self {
            Durability::Full => "PRAGMA synchronous = FULL",
            Durability::Normal => "PRAGMA synchronous = NORMAL",
        }
    }
}

/// The settings a SQLite URL's query may carry for Autodidact itself (the rest goes to sqlx):
/// `synchronous=full|normal`, and `max_page_count=N`, a cap on the file's size in pages (4 KiB
/// each), beyond which writes fail as on a full disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SqliteSettings {
    durability: Durability,
    max_page_count: Option<u32>,
}

impl SqliteSettings {
    /// The settings of a URL's query, and the query without them.
    fn from_params(params: Option<&str>) -> Result<(SqliteSettings, Option<String>), String> {
        let mut settings = SqliteSettings {
            durability: Durability::Full,
            max_page_count: None,
        };
        let mut rest = Vec::new();
        for p in params.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            match p.split_once('=') {
                Some(("synchronous", value)) => {
                    settings.durability = match value.to_ascii_lowercase().as_str() {
                        "full" => Durability::Full,
                        "normal" => Durability::Normal,
                        other => {
                            return Err(format!(
                                "synchronous={other}: use synchronous=full (the default) or synchronous=normal"
                            ));
                        }
                    }
                }
                Some(("max_page_count", value)) => {
                    let pages = value.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                        format!("max_page_count={value}: give a whole number of pages, such as 262144 (1 GiB)")
                    })?;
                    settings.max_page_count = Some(pages);
                }
                _ => rest.push(p),
            }
        }
        let rest = (!rest.is_empty()).then(|| rest.join("&"));
        Ok((settings, rest))
    }

    /// The pragmas these settings add to every connection's.
    fn pragmas(self) -> Vec<String> {
        let mut pragmas = vec![self.durability.pragma().to_owned()];
        if let Some(pages) = self.max_page_count {
            pragmas.push(format!("PRAGMA max_page_count = {pages}"));
        }
        pragmas
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "`{url}` is not a database URL Autodidact can open: use sqlite://PATH, sqlite::memory:, \
         postgres://… or postgresql://…"
    )]
    UnknownScheme { url: String },
    #[error("`{url}` is not a valid database URL: {cause}")]
    InvalidUrl { url: String, cause: String },
    #[error("cannot create the directory {} for the database: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot reach the database at {target}: {cause}")]
    Unreachable { target: String, cause: String },
    #[error("the database at {target} refused the connection: {cause}")]
    Refused { target: String, cause: String },
}

impl Db {
    /// Opens a pool on `url`:
    /// - `sqlite://PATH` (or `sqlite:PATH`): the file and its directory are created if missing;
    /// - `sqlite::memory:`: a private in-memory database, on a single connection that is kept
    ///   open, since the database lives only as long as it does;
    /// - `postgres://…` or `postgresql://…`: fails within about five seconds if the server
    ///   does not answer.
    ///
    /// Connecting does not migrate; call [`Db::migrate`].
    pub async fn connect(url: &str) -> Result<Db, ConnectError> {
        sqlx::any::install_default_drivers();
        match Target::parse(url)? {
            Target::SqliteMemory => {
                let settings = SqliteSettings {
                    durability: Durability::Full,
                    max_page_count: None,
                };
                connect_sqlite("sqlite::memory:", true, settings).await
            }
            Target::SqliteFile { path, params } => {
                let (settings, params) =
                    SqliteSettings::from_params(params.as_deref()).map_err(|cause| {
                        ConnectError::InvalidUrl {
                            url: redact(url),
                            cause,
                        }
                    })?;
                create_parent_dir(&path)?;
                let url = sqlite_url(&path, params.as_deref());
                let mut db = connect_sqlite(&url, false, settings).await?;
                db.reads = Some(crate::sqlite_reads::Reads::new(&path));
                let writes = crate::sqlite_writes::Writes::start(&path, settings.pragmas())
                    .map_err(|e| ConnectError::Unreachable {
                        target: redact(&url),
                        cause: format!("cannot start the writing thread: {e}"),
                    })?;
                db.writes = Some(Arc::new(writes));
                Ok(db)
            }
            Target::Postgres => connect_postgres(url).await,
        }
    }
}

enum Target {
    SqliteMemory,
    SqliteFile {
        path: PathBuf,
        params: Option<String>,
    },
    Postgres,
}

impl Target {
    fn parse(url: &str) -> Result<Target, ConnectError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres);
        }
        let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        else {
            return Err(ConnectError::UnknownScheme { url: redact(url) });
        };
        if rest == ":memory:" {
            return Ok(Target::SqliteMemory);
        }
        let (path, params) = match rest.split_once('?') {
            Some((path, params)) => (path, Some(params.to_owned())),
            None => (rest, None),
        };
        if path.is_empty() {
            return Err(ConnectError::InvalidUrl {
                url: url.to_owned(),
                cause: "the path of the database file is missing".to_owned(),
            });
        }
        Ok(Target::SqliteFile {
            path: PathBuf::from(path),
            params,
        })
    }
}

fn create_parent_dir(path: &Path) -> Result<(), ConnectError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| ConnectError::CreateDir {
                path: dir.to_owned(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// The URL sqlx reads: the path percent-encoded where sqlx would decode it, and `mode=rwc`
/// (create if missing) unless the caller chose a mode.
fn sqlite_url(path: &Path, params: Option<&str>) -> String {
    let path = path
        .to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    let mut params: Vec<&str> = params
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .collect();
    if !params.iter().any(|p| p.starts_with("mode=")) {
        params.push("mode=rwc");
    }
    format!("sqlite://{path}?{}", params.join("&"))
}

async fn connect_sqlite(
    url: &str,
    in_memory: bool,
    settings: SqliteSettings,
) -> Result<Db, ConnectError> {
    let options = parse_options(url)?;
    let pragmas = Arc::new(settings.pragmas());
    let mut pool = AnyPoolOptions::new()
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_connect(move |conn, _meta| {
            let pragmas = pragmas.clone();
            Box::pin(async move {
                for pragma in SQLITE_PRAGMAS {
                    conn.execute(pragma).await?;
                }
                for pragma in pragmas.iter() {
                    conn.execute(sqlx::AssertSqlSafe(pragma.clone())).await?;
                }
                Ok(())
            })
        });
    if in_memory {
        // The database disappears with its last connection: keep exactly one, forever.
        pool = pool
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
    } else {
        pool = pool.after_release(|conn, _meta| Box::pin(async move { Ok(clean(conn)) }));
    }
    let pool = pool
        .connect_with(options)
        .await
        .map_err(|e| ConnectError::Unreachable {
            target: url.to_owned(),
            cause: e.to_string(),
        })?;
    Ok(Db {
        pool,
        backend: Backend::Sqlite,
        reads: None,
        writes: None,
    })
}

async fn connect_postgres(url: &str) -> Result<Db, ConnectError> {
    let options = parse_options(url)?;
    let target = redact(url);
    // One connection first, with a deadline, to report why it failed: the pool would retry a
    // refused connection until its timeout and then report only that it timed out.
    match tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect_with(&options)).await {
        Err(_) => {
            return Err(ConnectError::Unreachable {
                target,
                cause: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            });
        }
        Ok(Err(e)) => return Err(classify(target, e)),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
        }
    }
    let pool = AnyPoolOptions::new()
        .acquire_timeout(PG_ACQUIRE_TIMEOUT)
        .after_release(|conn, _meta| Box::pin(async move { Ok(clean(conn)) }))
        .connect_with(options)
        .await
        .map_err(|e| classify(target, e))?;
    Ok(Db {
        pool,
        reads: None,
        writes: None,
        backend: Backend::Postgres,
    })
}

/// Whether a connection going back to the pool may be used again: not when it still counts
/// itself inside a transaction. A statement or COMMIT that fails with a full disk (or a
/// timeout) can make the database roll the transaction back by itself; sqlx's ROLLBACK on drop
/// then fails, its count of open transactions stays at one, and every later `BEGIN` on that
/// connection would fail ("begin_with at non-zero transaction depth"), reads included. Such a
/// connection is closed and a fresh one opened in its place. (A transaction dropped on an
/// error path has its ROLLBACK queued but maybe not yet run, so that connection is closed too:
/// a cost only on errors.)
fn clean(conn: &mut AnyConnection) -> bool {
    !conn.is_in_transaction()
}

fn parse_options(url: &str) -> Result<AnyConnectOptions, ConnectError> {
    AnyConnectOptions::from_str(url).map_err(|e| ConnectError::InvalidUrl {
        url: redact(url),
        cause: e.to_string(),
    })
}

/// A server that answered with an error refused us; anything else did not answer.
fn classify(target: String, err: sqlx::Error) -> ConnectError {
    match err {
        sqlx::Error::Database(e) => ConnectError::Refused {
            target,
            cause: e.message().to_owned(),
        },
        other => ConnectError::Unreachable {
            target,
            cause: other.to_string(),
        },
    }
}

/// The URL without its password, for messages and logs.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    async fn synchronous(url: &str) -> i64 {
        let db = Db::connect(url).await.unwrap();
        let row = sqlx::query("PRAGMA synchronous")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let value: i64 = sqlx::Row::get(&row, 0);
        db.close().await;
        value
    }

    #[tokio::test]
    async fn an_acknowledged_commit_is_on_disk_unless_the_url_asks_for_normal() {
        let dir = std::env::temp_dir().join(format!("autodidact-sync-{}", std::process::id()));
        let file = |name: &str| format!("sqlite://{}", dir.join(name).display());
        // 2 is FULL, 1 is NORMAL.
        assert_eq!(synchronous(&file("a.db")).await, 2);
        assert_eq!(
            synchronous(&(file("b.db") + "?synchronous=normal")).await,
            1
        );
        assert_eq!(
            synchronous(&(file("c.db") + "?mode=rwc&synchronous=FULL")).await,
            2
        );
        let refused = Db::connect(&(file("d.db") + "?synchronous=off"))
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains("synchronous=normal"),
            "{refused}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact("postgres://ada:secret@db.example:5432/app"),
            "postgres://ada@db.example:5432/app"
        );
        assert_eq!(redact("postgres://db/app"), "postgres://db/app");
    }

    #[test]
    fn sqlite_urls_create_the_file_unless_told_otherwise() {
        assert_eq!(
            sqlite_url(Path::new("data/a.db"), None),
            "sqlite://data/a.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url(Path::new("/x/a%b.db"), Some("mode=ro")),
            "sqlite:///x/a%25b.db?mode=ro"
        );
    }
}
