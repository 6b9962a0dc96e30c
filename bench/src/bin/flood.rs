//! Abuse floods for bench/abuse.sh.
//!
//! ```text
//! flood signins  --url U --count 2000 --signups 500 [--concurrency 500]
//! flood slowloris --url U --count 200 --hold 60
//! ```
//!
//! - `signins`: `count` wrong-password sign-ins (spread over 200 invented accounts) and
//!   `signups` sign-ups of new accounts, all sent at once (at most `concurrency` in flight),
//!   as anonymous browsers do: the double-submit CSRF cookie and field, and
//!   `Sec-Fetch-Site: same-origin`, each with its own `X-Forwarded-For` address (a server
//!   that trusts this machine as a proxy counts each apart). Prints the statuses and the
//!   latencies.
//! - `slowloris`: opens `count` connections, each sending a request's headers one byte every
//!   two seconds, for at most `hold` seconds; prints how many the server closed and when.
//!
//! The last line printed is `RESULT key=value …` for scripts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{Mutex, Semaphore};

type Fail = Box<dyn std::error::Error + Send + Sync>;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn number(args: &[String], name: &str, default: u64) -> u64 {
    arg(args, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn main() -> Result<(), Fail> {
    let args: Vec<String> = std::env::args().collect();
    let url = arg(&args, "--url").ok_or("--url is required")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    match args.get(1).map(String::as_str) {
        Some("signins") => runtime.block_on(signins(
            url,
            number(&args, "--count", 2000),
            number(&args, "--signups", 500),
            number(&args, "--concurrency", 500) as usize,
        )),
        Some("slowloris") => runtime.block_on(slowloris(
            url,
            number(&args, "--count", 200),
            number(&args, "--hold", 60),
        )),
        _ => Err("usage: flood signins|slowloris --url URL [...]".into()),
    }
}

async fn signins(url: String, count: u64, signups: u64, concurrency: usize) -> Result<(), Fail> {
    let client = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(concurrency)
        .build_http::<Full<Bytes>>();
    let slots = Arc::new(Semaphore::new(concurrency));
    let statuses = Arc::new(Mutex::new(BTreeMap::<u16, u64>::new()));
    let latencies = Arc::new(Mutex::new(Vec::<f64>::new()));
    let run = std::process::id();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..count + signups {
        let body = if n < count {
            format!("csrf=flood&login=flood{}&password=wrong+guess+{n}", n % 200)
        } else {
            format!(
                "csrf=flood&handle=f{run}x{n}&display_name=Flood&email=f{run}x{n}%40example.org&password=correct+horse+battery+{n}"
            )
        };
        let path = if n < count { "/signin" } else { "/signup" };
        let request = Request::post(format!("{url}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", "autodidact_csrf=flood")
            .header("sec-fetch-site", "same-origin")
            // Each request from its own address (believed when the server trusts this
            // machine as a proxy), so that the per-address throttles do not stop the flood
            // before the password hashing does.
            .header(
                "x-forwarded-for",
                format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255),
            )
            .body(Full::new(Bytes::from(body)))?;
        let (client, slots, statuses, latencies) = (
            client.clone(),
            slots.clone(),
            statuses.clone(),
            latencies.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire().await;
            let sent = Instant::now();
            let status = match client.request(request).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let _ = response.into_body().collect().await;
                    status
                }
                Err(_) => 0,
            };
            *statuses.lock().await.entry(status).or_default() += 1;
            latencies
                .lock()
                .await
                .push(sent.elapsed().as_secs_f64() * 1000.0);
        }));
    }
    for task in tasks {
        task.await?;
    }
    let took = started.elapsed().as_secs_f64();
    let mut latencies = latencies.lock().await.clone();
    latencies.sort_by(f64::total_cmp);
    let statuses = statuses.lock().await.clone();
    let listed: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}={n}")).collect();
    println!(
        "{} sign-ins and {signups} sign-ups in {took:.1} s: statuses {} (0 = transport failure)",
        count,
        listed.join(" ")
    );
    println!(
        "latency ms: p50 {:.1}, p99 {:.1}, max {:.1}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    let get = |s: u16| statuses.get(&s).copied().unwrap_or(0);
    println!(
        "RESULT seconds={took:.1} s200={} s303={} s401={} s422={} s429={} s503={} failed={} p50={:.1} p99={:.1}",
        get(200),
        get(303),
        get(401),
        get(422),
        get(429),
        get(503),
        get(0),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
    );
    Ok(())
}

async fn slowloris(url: String, count: u64, hold: u64) -> Result<(), Fail> {
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let header = b"GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: slowloris\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    let started = Instant::now();
    let closed = Arc::new(Mutex::new(Vec::<f64>::new()));
    let mut tasks = Vec::new();
    for _ in 0..count {
        let (address, closed) = (address.clone(), closed.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(mut stream) = tokio::net::TcpStream::connect(&address).await else {
                closed.lock().await.push(0.0);
                return;
            };
            let opened = Instant::now();
            let mut buf = [0u8; 256];
            for byte in header.iter().cycle() {
                if opened.elapsed() >= Duration::from_secs(hold) {
                    return;
                }
                if stream.write_all(&[*byte]).await.is_err() {
                    closed.lock().await.push(opened.elapsed().as_secs_f64());
                    return;
                }
                // Two seconds between bytes, watching for the server closing.
                match tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf)).await {
                    Ok(Ok(0) | Err(_)) => {
                        closed.lock().await.push(opened.elapsed().as_secs_f64());
                        return;
                    }
                    _ => {}
                }
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let mut closed = closed.lock().await.clone();
    closed.sort_by(f64::total_cmp);
    println!(
        "{count} slow connections for up to {hold} s: {} closed by the server (median after {:.1} s, last after {:.1} s), {} still open at the end ({:.0} s in all)",
        closed.len(),
        percentile(&closed, 0.5),
        closed.last().copied().unwrap_or(f64::NAN),
        count as usize - closed.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "RESULT closed={} held={} median_close_s={:.1} max_close_s={:.1}",
        closed.len(),
        count as usize - closed.len(),
        percentile(&closed, 0.5),
        closed.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}
