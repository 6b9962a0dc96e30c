//! `autodidact log`: locally against a SQLite file, remotely against a real `autodidact serve`,
//! and retries that keep their idempotency key.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use autodidact_core::accounts::UserId;
use autodidact_core::secrets::hash_token;
use autodidact_core::store::{
    CurriculumId, FollowId, LogKind, LogStore, StudyLog, TokenScope, TokenStore,
};
use autodidact_store::Db;
use jiff::Timestamp;

use crate::fixtures::{DEEP_LEARNING, ada, follow, open};
use crate::{autodidact, stderr, stdout};

const MATHS: &str = r#"title = "Maths"
[[phases]]
title = "Algebra"
[[phases.items]]
id = "linear-algebra"
kind = "course"
title = "Linear algebra"
hours = 40
"#;

/// A SQLite database with @ada following the deep learning curriculum.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    db: Db,
    url: String,
    ada: UserId,
    curriculum: CurriculumId,
    follow: FollowId,
}

impl Fixture {
    fn new(dir: &Path) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let url = format!("sqlite://{}", dir.join("autodidact.db").display());
        let (db, ada, curriculum, follow) = runtime.block_on(async {
            let db = open(&url).await;
            let ada = ada(&db).await;
            let (curriculum, follow) = follow(&db, ada, DEEP_LEARNING, today()).await;
            (db, ada, curriculum, follow)
        });
        Self {
            runtime,
            db,
            url,
            ada,
            curriculum,
            follow,
        }
    }

    fn follow_also(&self, source: &str) -> (CurriculumId, FollowId) {
        self.runtime
            .block_on(follow(&self.db, self.ada, source, today()))
    }

    fn logs(&self) -> Vec<StudyLog> {
        self.runtime
            .block_on(self.db.recent_logs(self.ada, 100))
            .unwrap()
    }

    fn token(&self, scope: TokenScope) -> String {
        let secret = format!("adt_cli_test_{}", scope.as_str());
        self.runtime
            .block_on(self.db.create_token(
                self.ada,
                "cli",
                &hash_token(&secret),
                scope,
                Timestamp::now(),
            ))
            .unwrap();
        secret
    }
}

/// Today in UTC, the zone of new accounts.
fn today() -> jiff::civil::Date {
    Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

#[test]
fn log_locally_records_time_on_a_followed_item() {
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::new(dir.path());
    let help = stdout(&autodidact(dir.path(), &["log", "--help"]));
    assert!(help.contains("Usage: autodidact log"), "{help}");
    assert!(help.contains("env: AUTODIDACT_TOKEN"), "{help}");
    let out = autodidact(
        dir.path(),
        &[
            "log",
            "90m",
            "--item",
            "fast-ai-part-1",
            "--kind",
            "build",
            "lesson 3",
            "--user",
            "ada",
            "--database-url",
            &fx.url,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.starts_with("Logged 1.5 h of build on "), "{said}");
    assert!(
        said.contains("on Practical Deep Learning (Deep learning) for @ada"),
        "{said}"
    );
    let logs = fx.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].minutes.get(), 90);
    assert_eq!(logs[0].kind, LogKind::Build);
    assert_eq!(logs[0].note, "lesson 3");
    assert_eq!(logs[0].follow, Some(fx.follow));

    // Without an item, on a given date.
    let out = autodidact(
        dir.path(),
        &[
            "log",
            "45",
            "--date",
            "2026-01-05",
            "--user",
            "ada",
            "--database-url",
            &fx.url,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Logged 45 min of learn on 2026-01-05 for @ada.\n"
    );
}

#[test]
fn log_locally_says_what_is_wrong_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::new(dir.path());
    let db = ["--database-url", fx.url.as_str()];
    let run = |args: &[&str]| {
        let mut all = vec!["log"];
        all.extend_from_slice(args);
        all.extend_from_slice(&db);
        let out = autodidact(dir.path(), &all);
        assert!(!out.status.success(), "{args:?} succeeded");
        stderr(&out)
    };
    let unknown = run(&["30m", "--item", "fast-ai", "--user", "ada"]);
    assert!(
        unknown.contains(&format!(
            "no item `fast-ai` in the curricula you follow (did you mean `fast-ai-part-1`?); you follow: “Deep learning” (curriculum {})",
            fx.curriculum.0
        )),
        "{unknown}"
    );
    assert!(run(&["25h", "--user", "ada"]).contains("1 to 1440 minutes"));
    assert!(run(&["soon", "--user", "ada"]).contains("`soon` is not a duration"));
    assert!(
        run(&["30m", "--date", "2999-01-01", "--user", "ada"])
            .contains("more than a day after today")
    );
    assert!(run(&["30m"]).contains("--user <handle>"));
    assert!(run(&["30m", "--user", "grace"]).contains("no learner @grace"));

    let (maths, _) = fx.follow_also(MATHS);
    let twice = run(&["1h", "--item", "linear-algebra", "--user", "ada"]);
    assert!(
        twice.contains("more than one curriculum you follow"),
        "{twice}"
    );
    assert!(
        twice.contains(&format!("curriculum {}", maths.0)),
        "{twice}"
    );
    assert!(fx.logs().is_empty());

    let out = autodidact(
        dir.path(),
        &[
            "log",
            "1h",
            "--item",
            "linear-algebra",
            "--curriculum",
            &maths.0.to_string(),
            "--user",
            "ada",
            "--database-url",
            &fx.url,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("on Linear algebra (Maths)"),
        "{}",
        stdout(&out)
    );
}

/// `autodidact serve` on a port of its choosing; killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, database_url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_autodidact"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            database_url,
        ])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("Autodidact is running at ") {
                let _ = tx.send(rest.split(' ').next().unwrap_or_default().to_owned());
            }
        }
    });
    let address = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server says where it listens");
    Server { child, address }
}

#[test]
fn log_remotely_goes_through_the_api_of_a_real_server() {
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::new(dir.path());
    let server = serve(dir.path(), &fx.url);
    let token = fx.token(TokenScope::ReadWrite);
    let out = autodidact(
        dir.path(),
        &[
            "log",
            "1.5h",
            "--item",
            "fast-ai-part-1",
            "--kind",
            "review",
            "chapter 4",
            "--server",
            &server.address,
            "--token",
            &token,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("Logged 1.5 h of review on "),
        "{}",
        stdout(&out)
    );
    let logs = fx.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].minutes.get(), 90);
    assert_eq!(logs[0].note, "chapter 4");
    assert_eq!(logs[0].follow, Some(fx.follow));

    // The server's refusals come back as clear errors, and nothing is logged.
    let read_only = fx.token(TokenScope::Read);
    let out = autodidact(
        dir.path(),
        &[
            "log",
            "30",
            "--server",
            &server.address,
            "--token",
            &read_only,
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    let out = autodidact(
        dir.path(),
        &[
            "log",
            "30",
            "--item",
            "nope",
            "--server",
            &server.address,
            "--token",
            &token,
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("no item `nope` in the curricula you follow; you follow: “Deep learning”"),
        "{}",
        stderr(&out)
    );
    let out = autodidact(
        dir.path(),
        &[
            "log",
            "30",
            "--server",
            &server.address,
            "--token",
            "adt_wrong",
        ],
    );
    assert!(stderr(&out).contains("check --token"), "{}", stderr(&out));
    assert_eq!(fx.logs().len(), 1);

    // The environment works as well as the flags.
    let out = Command::new(env!("CARGO_BIN_EXE_autodidact"))
        .args(["log", "20m"])
        .env("AUTODIDACT_SERVER", &server.address)
        .env("AUTODIDACT_TOKEN", &token)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fx.logs().len(), 2);
}

/// One request as a fake server reads it: its `Idempotency-Key`.
fn read_request(stream: &mut std::net::TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut key = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(": ") {
            match name.to_ascii_lowercase().as_str() {
                "idempotency-key" => key = value.to_owned(),
                "content-length" => length = value.parse().unwrap(),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    key
}

#[test]
fn a_remote_log_is_retried_after_a_dropped_connection_and_a_5xx_with_the_same_key() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let fake = std::thread::spawn(move || {
        let mut keys = Vec::new();
        for answer in [
            None,
            Some((
                "503 Service Unavailable",
                r#"{"error":{"code":"internal","message":"internal error"}}"#,
            )),
            Some((
                "201 Created",
                r#"{"id":1,"minutes":90,"kind":"learn","date":"2026-03-10","note":"","follow":null,"curriculum":null,"item":null,"created_at":"2026-03-10T10:00:00Z"}"#,
            )),
        ] {
            let (mut stream, _) = listener.accept().unwrap();
            keys.push(read_request(&mut stream));
            if let Some((status, body)) = answer {
                let reply = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                stream.write_all(reply.as_bytes()).unwrap();
            }
            // Dropping the stream closes it: with no answer, the client sees a broken connection.
        }
        keys
    });
    let dir = tempfile::tempdir().unwrap();
    let out = autodidact(
        dir.path(),
        &[
            "log",
            "90m",
            "--server",
            &address,
            "--token",
            "adt_anything",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Logged 1.5 h of learn on 2026-03-10.\n");
    assert_eq!(
        stderr(&out).matches("trying again").count(),
        2,
        "{}",
        stderr(&out)
    );
    let keys = fake.join().unwrap();
    assert_eq!(keys.len(), 3);
    assert!(keys[0].len() >= 32, "{keys:?}");
    assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
}

#[test]
fn the_timer_starts_and_stops_from_the_command_line_and_logs_to_its_item() {
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::new(dir.path());
    let local = |args: &[&str]| {
        let mut all = vec!["log"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--user", "ada", "--database-url", &fx.url]);
        autodidact(dir.path(), &all)
    };
    let out = local(&["--start", "--item", "fast-ai-part-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "The timer runs on Practical Deep Learning for @ada; stop it with `autodidact log --stop`.\n"
    );
    // One at a time.
    let again = local(&["--start"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already running on “Practical Deep Learning”"),
        "{}",
        stderr(&again)
    );
    // Twenty minutes pass.
    fx.runtime.block_on(async {
        let timer = autodidact_core::store::TimerStore::timer(&fx.db, fx.ada)
            .await
            .unwrap()
            .unwrap();
        autodidact_core::store::TimerStore::end_timer(&fx.db, fx.ada, timer.started_at)
            .await
            .unwrap();
        let earlier = autodidact_core::store::Timer {
            started_at: timer.started_at - jiff::SignedDuration::from_mins(20),
            ..timer
        };
        autodidact_core::store::TimerStore::start_timer(&fx.db, &earlier)
            .await
            .unwrap();
    });
    let out = local(&["--stop", "--done"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Dated the day the timer started: yesterday in the first 20 minutes of a day.
    let started = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(20))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    assert_eq!(
        stdout(&out),
        format!(
            "Stopped: logged 20 min of learn on {started} on Practical Deep Learning for @ada.\n"
        )
    );
    let logs = fx.logs();
    assert_eq!((logs.len(), logs[0].minutes.get()), (1, 20));
    let states = fx
        .runtime
        .block_on(autodidact_core::store::FollowStore::item_states(
            &fx.db, fx.follow,
        ))
        .unwrap();
    assert_eq!(states[0].status, autodidact_core::store::ItemStatus::Done);
    // Nothing runs now.
    let none = local(&["--stop"]);
    assert!(!none.status.success());
    assert!(
        stderr(&none).contains("no timer is running"),
        "{}",
        stderr(&none)
    );
    // A duration and the timer do not mix.
    let both = local(&["45", "--start"]);
    assert!(!both.status.success());
}
