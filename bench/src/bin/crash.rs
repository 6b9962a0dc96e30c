//! The crash test for bench/crash.sh: `kill -9` the server at random moments under concurrent
//! API log writes, restart it on the same SQLite database, and check that every acknowledged
//! write is there exactly once.
//!
//! ```text
//! crash --bin target/debug/autodidact --work DIR --cycles 100 [--writers 4] [--port 18280] [--seed 1]
//!       [--synchronous full|normal]
//! crash --bin … --work DIR --cycles 5 --database-url postgres://… --restart "pg_ctl … restart"
//! ```
//!
//! In restart mode the server stays up and the database is restarted instead, each cycle, with
//! the writers going on: an answer of 503 (the database away) or a lost answer makes the write
//! uncertain, sent again later with its key. It also measures how long a request answered 503
//! took (the app should say so within about a second) and how long after the database is back
//! the first write is stored.
//!
//! ```text
//! ```
//!
//! Each write is a one-minute log with its own note and `Idempotency-Key`. A write answered
//! 201 is acknowledged. A write whose answer the kill lost is uncertain: after the restart it
//! is sent again with the same key, and must then be answered 201 (it had not been stored) or
//! 200 (it had, and is not stored twice). At the end every acknowledged note must appear in
//! the learner's takeout exactly once, no note twice, and `autodidact verify` must find the
//! file sound and the running totals equal to the logs.
//!
//! The last line printed is `RESULT key=value …` for scripts; the exit status is 1 when a
//! write was lost or duplicated, or the database does not verify.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};
use tokio::sync::Mutex;

type Fail = Box<dyn std::error::Error + Send + Sync>;
type Http = Client<HttpConnector, Full<Bytes>>;

struct Args {
    bin: PathBuf,
    work: PathBuf,
    cycles: u32,
    writers: u32,
    port: u16,
    seed: u64,
    /// `full` (the default) or `normal`: SQLite's `synchronous`, through the database URL.
    synchronous: String,
    /// Another database than a SQLite file in `work` (a PostgreSQL URL).
    database_url: Option<String>,
    /// Restart mode: instead of killing the server, run this shell command each cycle (it
    /// restarts the database) while the writers go on.
    restart: Option<String>,
}

fn parse_args() -> Result<Args, Fail> {
    let raw: Vec<String> = std::env::args().collect();
    let get = |name: &str| {
        raw.iter()
            .position(|a| a == name)
            .and_then(|i| raw.get(i + 1).cloned())
    };
    Ok(Args {
        bin: get("--bin").ok_or("--bin is required")?.into(),
        work: get("--work").ok_or("--work is required")?.into(),
        cycles: get("--cycles").map_or(Ok(100), |v| v.parse())?,
        writers: get("--writers").map_or(Ok(4), |v| v.parse())?,
        port: get("--port").map_or(Ok(18280), |v| v.parse())?,
        seed: get("--seed").map_or(Ok(1), |v| v.parse())?,
        synchronous: get("--synchronous").unwrap_or_else(|| "full".to_owned()),
        database_url: get("--database-url"),
        restart: get("--restart"),
    })
}

/// One log to write: its note and idempotency key are the same unique text.
#[derive(Clone, Debug)]
struct Write {
    key: String,
    day: String,
}

/// What happened to the writes so far.
#[derive(Default)]
struct Book {
    acknowledged: HashSet<String>,
    uncertain: Vec<Write>,
    retried: u64,
    retried_stored: u64,
    refused: Vec<String>,
}

fn main() -> Result<(), Fail> {
    let args = parse_args()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let sound = runtime.block_on(run(args))?;
    std::process::exit(if sound { 0 } else { 1 });
}

fn start_server(args: &Args, url: &str) -> Result<Child, Fail> {
    Ok(Command::new(&args.bin)
        .args(["serve", "--database-url", url, "--log", "error", "--bind"])
        .arg(format!("127.0.0.1:{}", args.port))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?)
}

/// Polls `/readyz` until it answers 200: the time it took.
async fn until_ready(http: &Http, base: &str) -> Result<Duration, Fail> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        let request = Request::get(format!("{base}/readyz")).body(Full::new(Bytes::new()))?;
        if let Ok(Ok(response)) =
            tokio::time::timeout(Duration::from_millis(500), http.request(request)).await
            && response.status() == 200
        {
            return Ok(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err("the server did not become ready within 30 s".into())
}

/// Sends one write: `Some(status)` when answered, `None` when the answer was lost.
async fn send(http: &Http, base: &str, token: &str, write: &Write) -> Option<u16> {
    let body = format!(
        r#"{{"minutes": 1, "kind": "build", "date": "{}", "note": "{}"}}"#,
        write.day, write.key
    );
    let request = Request::post(format!("{base}/api/v1/logs"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("idempotency-key", &write.key)
        .body(Full::new(Bytes::from(body)))
        .ok()?;
    let response = tokio::time::timeout(Duration::from_secs(10), http.request(request))
        .await
        .ok()?
        .ok()?;
    let status = response.status().as_u16();
    response.into_body().collect().await.ok()?;
    Some(status)
}

async fn sign_up_and_token(
    args: &Args,
    http: &Http,
    base: &str,
    url: &str,
) -> Result<String, Fail> {
    let request = Request::post(format!("{base}/signup"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", "autodidact_csrf=crash")
        .header("sec-fetch-site", "same-origin")
        .body(Full::new(Bytes::from(
            "csrf=crash&handle=crash&display_name=Crash&email=crash%40example.org&password=correct+horse+battery+staple",
        )))?;
    let status = http.request(request).await?.status();
    if status != 303 {
        return Err(format!("sign-up answered {status}").into());
    }
    let out = Command::new(&args.bin)
        .args([
            "account",
            "token",
            "--user",
            "crash",
            "--scope",
            "read-write",
            "--name",
            "crash",
        ])
        .args(["--database-url", url])
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

async fn run(args: Args) -> Result<bool, Fail> {
    std::fs::create_dir_all(&args.work)?;
    let url = args.database_url.clone().unwrap_or_else(|| {
        format!(
            "sqlite://{}?synchronous={}",
            args.work.join("crash.db").display(),
            args.synchronous
        )
    });
    let base = format!("http://127.0.0.1:{}", args.port);
    let http: Http = Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(5))
        .build_http();
    let mut rng = SmallRng::seed_from_u64(args.seed);
    let book = Arc::new(Mutex::new(Book::default()));
    let next = Arc::new(AtomicU64::new(0));
    let mut ready_ms = Vec::new();
    let mut writing = Duration::ZERO;

    let mut server = start_server(&args, &url)?;
    until_ready(&http, &base).await?;
    let token = sign_up_and_token(&args, &http, &base, &url).await?;
    let mut restarts = Restarts::default();

    for cycle in 0..=args.cycles {
        if let Some(command) = args.restart.clone() {
            resend_uncertain(&http, &base, &token, &book).await;
            if cycle == args.cycles {
                break;
            }
            let started = Instant::now();
            restart_under_writes(
                &args,
                &http,
                &base,
                &token,
                &book,
                &next,
                &command,
                &mut restarts,
                &mut rng,
            )
            .await?;
            writing += started.elapsed();
            continue;
        }
        if cycle > 0 {
            let started = Instant::now();
            server = start_server(&args, &url)?;
            until_ready(&http, &base).await?;
            ready_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        // The writes whose answers were lost, again with their keys.
        let uncertain = std::mem::take(&mut book.lock().await.uncertain);
        for write in uncertain {
            let status = send(&http, &base, &token, &write).await;
            let mut b = book.lock().await;
            b.retried += 1;
            match status {
                Some(201) => {
                    b.acknowledged.insert(write.key);
                }
                Some(200) => {
                    b.retried_stored += 1;
                    b.acknowledged.insert(write.key);
                }
                Some(other) => b.refused.push(format!("retry of {}: {other}", write.key)),
                None => b.uncertain.push(write),
            }
        }
        if cycle == args.cycles {
            break;
        }
        // Writers until the kill.
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for _ in 0..args.writers {
            let (http, base, token, book, next, stop) = (
                http.clone(),
                base.clone(),
                token.clone(),
                book.clone(),
                next.clone(),
                stop.clone(),
            );
            writers.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let write = Write {
                        key: format!("crash-{n}"),
                        day: autodidact_bench::day_utc((n % 3650) as i64),
                    };
                    let status = send(&http, &base, &token, &write).await;
                    let mut b = book.lock().await;
                    match status {
                        Some(201) => {
                            b.acknowledged.insert(write.key);
                        }
                        Some(other) => b.refused.push(format!("{}: {other}", write.key)),
                        None => {
                            b.uncertain.push(write);
                            return;
                        }
                    }
                }
            }));
        }
        let wait = Duration::from_millis(rng.random_range(20..300));
        let started = Instant::now();
        tokio::time::sleep(wait).await;
        server.kill()?; // SIGKILL
        server.wait()?;
        writing += started.elapsed();
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.await?;
        }
    }
    // The last server stays up for the final retries, then stops.
    server.kill()?;
    server.wait()?;

    if args.restart.is_some() {
        restarts.print();
    }

    // What the database holds, through the learner's takeout.
    let export = args.work.join("takeout.json");
    let _ = std::fs::remove_file(&export);
    let out = Command::new(&args.bin)
        .args(["account", "export", "--user", "crash", "-o"])
        .arg(&export)
        .args(["--database-url", &url])
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    let takeout: serde_json::Value = serde_json::from_slice(&std::fs::read(&export)?)?;
    let mut stored: HashMap<String, u32> = HashMap::new();
    for log in takeout["logs"]
        .as_array()
        .ok_or("the takeout has no logs")?
    {
        if let Some(note) = log["note"].as_str() {
            *stored.entry(note.to_owned()).or_default() += 1;
        }
    }
    let verify = Command::new(&args.bin)
        .args(["verify", "--database-url", &url])
        .output()?;
    let verified = verify.status.success();

    let b = book.lock().await;
    let lost: Vec<&String> = b
        .acknowledged
        .iter()
        .filter(|k| !stored.contains_key(*k))
        .collect();
    let duplicated: Vec<(&String, &u32)> = stored.iter().filter(|(_, n)| **n > 1).collect();
    ready_ms.sort_by(f64::total_cmp);
    let median = ready_ms
        .get(ready_ms.len() / 2)
        .copied()
        .unwrap_or(f64::NAN);
    let p99 = ready_ms
        .get((ready_ms.len() * 99 / 100).min(ready_ms.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN);
    let rate = b.acknowledged.len() as f64 / writing.as_secs_f64().max(1e-9);
    println!(
        "{} {}, {} writers, synchronous={}: {} writes acknowledged, {} stored; {} lost, {} duplicated; {} answers lost or refused for a while and sent again ({} had been stored); {} refused",
        args.cycles,
        if args.restart.is_some() {
            "database restarts"
        } else {
            "kill -9 cycles"
        },
        args.writers,
        args.synchronous,
        b.acknowledged.len(),
        stored.len(),
        lost.len(),
        duplicated.len(),
        b.retried,
        b.retried_stored,
        b.refused.len()
    );
    if ready_ms.is_empty() {
        // Restart mode: the server is never restarted, the database is.
        println!("acknowledged writes while writing: {rate:.0} a second");
    } else {
        println!(
            "restart to ready: median {median:.1} ms, p99 {p99:.1} ms; acknowledged writes while writing: {rate:.0} a second"
        );
    }
    println!(
        "verify: {}",
        String::from_utf8_lossy(&verify.stdout)
            .trim()
            .replace('\n', "; ")
    );
    for sample in lost.iter().take(5) {
        println!("  lost: {sample}");
    }
    for (note, n) in duplicated.iter().take(5) {
        println!("  stored {n} times: {note}");
    }
    for refusal in b.refused.iter().take(5) {
        println!("  refused: {refusal}");
    }
    let sound = lost.is_empty()
        && duplicated.is_empty()
        && b.refused.is_empty()
        && verified
        && b.uncertain.is_empty();
    println!(
        "RESULT cycles={} acknowledged={} lost={} duplicated={} retried={} retried_stored={} refused={} uncertain={} verified={} ready_median_ms={median:.1} ready_p99_ms={p99:.1} writes_per_s={rate:.0}",
        args.cycles,
        b.acknowledged.len(),
        lost.len(),
        duplicated.len(),
        b.retried,
        b.retried_stored,
        b.refused.len(),
        b.uncertain.len(),
        verified
    );
    Ok(sound)
}

/// What the database restarts showed (restart mode).
#[derive(Default)]
struct Restarts {
    /// How long each request answered 503 took, in ms.
    refused_ms: Vec<f64>,
    /// From each restart command's end (the database back) to the first write stored, in ms.
    back_ms: Vec<f64>,
}

impl Restarts {
    fn print(&self) {
        let mut refused = self.refused_ms.clone();
        refused.sort_by(f64::total_cmp);
        let max = |v: &[f64]| v.iter().copied().fold(f64::NAN, f64::max);
        println!(
            "database restarts: {} answers of 503 while it was away (median {:.0} ms, longest {:.0} ms); stored again {} after it was back (longest {:.0} ms)",
            refused.len(),
            refused.get(refused.len() / 2).copied().unwrap_or(f64::NAN),
            max(&refused),
            self.back_ms
                .iter()
                .map(|ms| format!("{ms:.0} ms"))
                .collect::<Vec<_>>()
                .join(", "),
            max(&self.back_ms),
        );
        println!(
            "RESTARTS answers_503={} longest_503_ms={:.0} longest_back_ms={:.0}",
            refused.len(),
            max(&refused),
            max(&self.back_ms)
        );
    }
}

/// Sends the uncertain writes again with their keys, until each is answered 201 or 200.
async fn resend_uncertain(http: &Http, base: &str, token: &str, book: &Arc<Mutex<Book>>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let uncertain = std::mem::take(&mut book.lock().await.uncertain);
        if uncertain.is_empty() || Instant::now() > deadline {
            book.lock().await.uncertain.extend(uncertain);
            return;
        }
        for write in uncertain {
            let status = send(http, base, token, &write).await;
            let mut b = book.lock().await;
            b.retried += 1;
            match status {
                Some(201) => {
                    b.acknowledged.insert(write.key);
                }
                Some(200) => {
                    b.retried_stored += 1;
                    b.acknowledged.insert(write.key);
                }
                Some(503) | None => b.uncertain.push(write),
                Some(other) => b.refused.push(format!("retry of {}: {other}", write.key)),
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One cycle of restart mode: writers run, the database restarts under them, and they go on
/// until a write is stored after it is back.
#[allow(clippy::too_many_arguments)]
async fn restart_under_writes(
    args: &Args,
    http: &Http,
    base: &str,
    token: &str,
    book: &Arc<Mutex<Book>>,
    next: &Arc<AtomicU64>,
    command: &str,
    restarts: &mut Restarts,
    rng: &mut SmallRng,
) -> Result<(), Fail> {
    let stop = Arc::new(AtomicBool::new(false));
    let back_at: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
    let first_after: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
    let refused_ms: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for _ in 0..args.writers {
        let (http, base, token, book, next, stop) = (
            http.clone(),
            base.to_owned(),
            token.to_owned(),
            book.clone(),
            next.clone(),
            stop.clone(),
        );
        let (back_at, first_after, refused_ms) =
            (back_at.clone(), first_after.clone(), refused_ms.clone());
        writers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let write = Write {
                    key: format!("crash-{n}"),
                    day: autodidact_bench::day_utc((n % 3650) as i64),
                };
                let sent = Instant::now();
                let status = send(&http, &base, &token, &write).await;
                let done = Instant::now();
                match status {
                    Some(201) => {
                        book.lock().await.acknowledged.insert(write.key);
                        if let Some(back) = *back_at.lock().await {
                            let mut first = first_after.lock().await;
                            if first.is_none() && sent >= back {
                                *first = Some(done);
                            }
                        }
                    }
                    Some(503) => {
                        refused_ms
                            .lock()
                            .await
                            .push((done - sent).as_secs_f64() * 1000.0);
                        book.lock().await.uncertain.push(write);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    None => {
                        book.lock().await.uncertain.push(write);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    Some(other) => book
                        .lock()
                        .await
                        .refused
                        .push(format!("{}: {other}", write.key)),
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(rng.random_range(200..600))).await;
    let command = command.to_owned();
    let status =
        tokio::task::spawn_blocking(move || Command::new("sh").arg("-c").arg(&command).status())
            .await??;
    if !status.success() {
        return Err(format!("the restart command failed: {status}").into());
    }
    let back = Instant::now();
    *back_at.lock().await = Some(back);
    let deadline = back + Duration::from_secs(30);
    while first_after.lock().await.is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await?;
    }
    let first = (*first_after.lock().await)
        .ok_or("no write was stored within 30 s of the database's return")?;
    restarts.back_ms.push((first - back).as_secs_f64() * 1000.0);
    restarts.refused_ms.extend(refused_ms.lock().await.iter());
    Ok(())
}
