//! Group commit for the hot write on a SQLite file: study logs.
//!
//! With `synchronous=FULL` every commit waits for an fsync, and SQLite takes one writer at a
//! time, so concurrent log writes queue behind each other's fsync: about 900 a second on the
//! project's machine, whatever the number of writers. Here they go to one thread that owns a
//! connection, takes every write waiting when it is free, runs them in one transaction (each
//! inside its own savepoint, so one write's refusal, a full day say, undoes only that write)
//! and commits once: one fsync for the whole group. A write is answered only after the
//! commit that holds it returned, so "acknowledged" still means "on disk". A failed commit
//! (a full disk) fails every write of its group, and the connection is rolled back before the
//! next group.
//!
//! Each write is also one hand-over to the thread, not a round trip per statement as through
//! sqlx's SQLite worker. Other writes stay on sqlx; the two take SQLite's write lock in turn
//! (`busy_timeout`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use autodidact_core::store::{StoreError, StoreResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::rows::sqlite_constraint_name;
use crate::sqlite_reads::{closed, if_open, read_err};

/// The most writes one commit holds; more wait for the next.
const MAX_GROUP: usize = 128;

/// One write on its way: run inside the group's transaction, then told how the commit went.
trait Job: Send {
    /// Runs the write; `false` when it failed (its savepoint is then rolled back).
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller: the write's own result, or the group's failure.
    fn finish(self: Box<Self>, group: Result<(), StoreError>);
}

struct Write<F, T> {
    work: Option<F>,
    out: Option<StoreResult<T>>,
    reply: tokio::sync::oneshot::Sender<StoreResult<T>>,
}

impl<F, T> Job for Write<F, T>
where
    F: FnOnce(&Connection) -> StoreResult<T> + Send,
    T: Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let out = catch_unwind(AssertUnwindSafe(|| work(conn)))
            .unwrap_or_else(|_| Err(StoreError::Backend("a write stopped".to_owned())));
        let ok = out.is_ok();
        self.out = Some(out);
        ok
    }

    fn finish(self: Box<Self>, group: Result<(), StoreError>) {
        let answer = match (self.out, group) {
            // The write's own refusal stands, whatever became of the others.
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(_)), Err(e)) | (None, Err(e)) => Err(e),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (None, Ok(())) => Err(StoreError::Backend("a write was not run".to_owned())),
        };
        // The caller may have gone (its request was dropped): the write stands all the same.
        let _ = self.reply.send(answer);
    }
}

enum Message {
    Job(Box<dyn Job>),
    Close,
}

/// The writing thread of one SQLite file.
pub(crate) struct Writes {
    path: PathBuf,
    sender: Mutex<Option<Sender<Message>>>,
    closed: AtomicBool,
}

impl std::fmt::Debug for Writes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writes").field("path", &self.path).finish()
    }
}

impl Writes {
    /// Starts the thread; it opens its connection (with `pragmas`, after the common ones) at
    /// the first write, and ends with [`Writes::close`] or when the last handle is dropped.
    pub(crate) fn start(path: &Path, pragmas: Vec<String>) -> std::io::Result<Self> {
        let (sender, receiver) = channel();
        let thread_path = path.to_owned();
        std::thread::Builder::new()
            .name("sqlite-writes".to_owned())
            .spawn(move || serve(&thread_path, &pragmas, &receiver))?;
        Ok(Self {
            path: path.to_owned(),
            sender: Mutex::new(Some(sender)),
            closed: AtomicBool::new(false),
        })
    }

    /// Ends the thread after the writes already sent; later writes fail as unavailable.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if let Ok(mut sender) = self.sender.lock()
            && let Some(sender) = sender.take()
        {
            let _ = sender.send(Message::Close);
        }
    }

    /// Runs `work` in the next group's transaction and answers once that group is committed.
    pub(crate) async fn run<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        if_open(&self.closed)?;
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Box::new(Write {
            work: Some(work),
            out: None,
            reply,
        });
        let sent = match self.sender.lock() {
            Ok(sender) => sender
                .as_ref()
                .is_some_and(|s| s.send(Message::Job(job)).is_ok()),
            Err(_) => false,
        };
        if !sent {
            return Err(closed());
        }
        answer
            .await
            .unwrap_or_else(|_| Err(StoreError::Backend("the writing thread stopped".to_owned())))
    }
}

fn open(path: &Path, pragmas: &[String]) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    for pragma in crate::connect::SQLITE_PRAGMAS.iter().copied() {
        conn.execute_batch(pragma)?;
    }
    for pragma in pragmas {
        conn.execute_batch(pragma)?;
    }
    Ok(conn)
}

/// The thread: a group at a time, until closed.
fn serve(path: &Path, pragmas: &[String], receiver: &Receiver<Message>) {
    let mut conn: Option<Connection> = None;
    let mut closing = false;
    while !closing {
        let Ok(first) = receiver.recv() else {
            return;
        };
        let mut group: Vec<Box<dyn Job>> = Vec::new();
        match first {
            Message::Job(job) => group.push(job),
            Message::Close => return,
        }
        while group.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(Message::Job(job)) => group.push(job),
                Ok(Message::Close) => {
                    closing = true;
                    break;
                }
                Err(_) => break,
            }
        }
        if conn.is_none() {
            match open(path, pragmas) {
                Ok(opened) => conn = Some(opened),
                Err(e) => {
                    let e = write_err(e);
                    for job in group {
                        job.finish(Err(e.clone()));
                    }
                    continue;
                }
            }
        }
        if let Some(c) = &conn {
            let outcome = commit_group(c, &mut group);
            // Whatever failed, the connection leaves no transaction open behind it.
            if !c.is_autocommit() {
                let _ = c.execute_batch("ROLLBACK");
            }
            for job in group {
                job.finish(outcome.clone());
            }
        }
    }
}

/// Runs the group in one transaction and commits it. A write that fails is rolled back to its
/// savepoint and the others go on; an error that ends the transaction itself (SQLite rolls
/// back on a full disk, for one) fails the whole group.
fn commit_group(conn: &Connection, group: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE").map_err(write_err)?;
    for job in group.iter_mut() {
        conn.execute_batch("SAVEPOINT write").map_err(write_err)?;
        let ok = job.run(conn);
        if conn.is_autocommit() {
            return Err(StoreError::Unavailable(
                "the database ended a transaction by itself (is the disk full?)".to_owned(),
            ));
        }
        if !ok {
            conn.execute_batch("ROLLBACK TO write").map_err(write_err)?;
        }
        conn.execute_batch("RELEASE write").map_err(write_err)?;
    }
    conn.execute_batch("COMMIT").map_err(write_err)
}

/// rusqlite's errors on a write as the store's, as [`crate::rows::db_err`] maps sqlx's: a
/// unique violation names its constraint, a foreign-key violation is `NotFound`, a full disk
/// is `Full`, a busy or unreachable file `Unavailable`.
pub(crate) fn write_err(err: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(failure, message) = &err {
        match failure.code {
            ErrorCode::DiskFull => return StoreError::Full,
            ErrorCode::ConstraintViolation => {
                const SQLITE_CONSTRAINT_FOREIGNKEY: i32 = 787;
                const SQLITE_CONSTRAINT_PRIMARYKEY: i32 = 1555;
                const SQLITE_CONSTRAINT_UNIQUE: i32 = 2067;
                match failure.extended_code {
                    SQLITE_CONSTRAINT_FOREIGNKEY => return StoreError::NotFound,
                    SQLITE_CONSTRAINT_PRIMARYKEY | SQLITE_CONSTRAINT_UNIQUE => {
                        let code = failure.extended_code.to_string();
                        return StoreError::Conflict {
                            constraint: sqlite_constraint_name(
                                message.as_deref().unwrap_or(""),
                                Some(&code),
                            ),
                        };
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    read_err(err)
}
