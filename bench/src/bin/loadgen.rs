//! A fixed-rate, open-loop HTTP load generator for bench/load.sh.
//!
//! Requests are due at fixed times (`rate` a second, evenly spaced) whether or not earlier ones
//! have answered, and each latency is measured from the time the request was due, not from
//! when it went out: a server that stalls is charged for the whole queue it builds (no
//! "coordinated omission", as in wrk2). A scheduler thread that sleeps to each due time hands
//! the requests to a single-threaded tokio runtime with a hyper client (keep-alive, a new
//! connection whenever every open one is busy, at most `--max-in-flight` at once).
//!
//! Each request picks a route from a weighted mix and a signed-in learner at random, and fills
//! the route's placeholders from that learner's line of the sessions file.
//!
//! ```text
//! loadgen --url http://127.0.0.1:8080 --mix mix.txt --sessions sessions.csv \
//!         --rate 500 --duration 15 [--warmup 3] [--pid PID] [--max-in-flight 1024] [--seed 1]
//! ```
//!
//! The mix file has one route a line, `WEIGHT METHOD PATH [BODY]`; `#` starts a comment. The
//! placeholders `{token}`, `{csrf}`, `{follow}`, `{curriculum}`, `{item}`, `{handle}`,
//! `{upstream}` (from a line `token,csrf,follow_id,curriculum_id,item_id[,handle[,upstream]]` of
//! the sessions file), `{today}` (UTC),
//! `{pastday}` (the request's number of days before today, modulo 365: logs spread over a year,
//! as a day holds at most 24 h) and `{n}`
//! (the request's number) are filled in path and body. With a sessions file every request
//! carries the session cookie; a POST is sent as a form with `Sec-Fetch-Site: same-origin`.
//!
//! The last line printed is `RESULT key=value …` for scripts.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};
use tokio::sync::Semaphore;

const COOKIE: &str = "autodidact_session";
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

type Fail = Box<dyn std::error::Error + Send + Sync>;

struct Args {
    url: String,
    mix: PathBuf,
    sessions: Option<PathBuf>,
    rate: f64,
    duration: f64,
    warmup: f64,
    pid: Option<u32>,
    max_in_flight: usize,
    seed: u64,
}

fn parse_args() -> Result<Args, Fail> {
    let mut args = Args {
        url: String::new(),
        mix: PathBuf::new(),
        sessions: None,
        rate: 0.0,
        duration: 15.0,
        warmup: 3.0,
        pid: None,
        max_in_flight: 1024,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value()?.trim_end_matches('/').to_owned(),
            "--mix" => args.mix = value()?.into(),
            "--sessions" => args.sessions = Some(value()?.into()),
            "--rate" => args.rate = value()?.parse()?,
            "--duration" => args.duration = value()?.parse()?,
            "--warmup" => args.warmup = value()?.parse()?,
            "--pid" => args.pid = Some(value()?.parse()?),
            "--max-in-flight" => args.max_in_flight = value()?.parse()?,
            "--seed" => args.seed = value()?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if args.url.is_empty() || args.mix.as_os_str().is_empty() || args.rate <= 0.0 {
        return Err(
            "usage: loadgen --url URL --mix FILE --rate N [--sessions FILE] \
                    [--duration S] [--warmup S] [--pid PID] [--max-in-flight N] [--seed N]"
                .into(),
        );
    }
    Ok(args)
}

struct Route {
    name: String,
    weight: u32,
    method: Method,
    path: String,
    body: Option<String>,
}

fn read_mix(path: &PathBuf) -> Result<Vec<Route>, Fail> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut routes = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut rest = line;
        let mut word = || {
            let text = rest.trim_start();
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            rest = &text[end..];
            Some(&text[..end]).filter(|w| !w.is_empty())
        };
        let (Some(weight), Some(method), Some(path)) = (word(), word(), word()) else {
            return Err(format!("mix line `{line}`: write WEIGHT METHOD PATH [BODY]").into());
        };
        let body = Some(rest.trim())
            .filter(|b| !b.is_empty())
            .map(str::to_owned);
        let method: Method = method.parse()?;
        routes.push(Route {
            name: format!("{method} {path}"),
            weight: weight.parse()?,
            method,
            path: path.to_owned(),
            body,
        });
    }
    if routes.iter().map(|r| r.weight).sum::<u32>() == 0 {
        return Err("the mix has no route with a weight above 0".into());
    }
    Ok(routes)
}

/// The fields of one line of the sessions file, by placeholder.
type Session = [(&'static str, String); 7];

fn read_sessions(path: &PathBuf) -> Result<Vec<Session>, Fail> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut sessions = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.trim().split(',').collect();
        // The learner's handle is a sixth field in newer files, and a copy with an update
        // from its source a seventh.
        let (token, csrf, follow, curriculum, item, handle, upstream) = match f[..] {
            [t, c, f, cu, i] => (t, c, f, cu, i, "", ""),
            [t, c, f, cu, i, h] => (t, c, f, cu, i, h, ""),
            [t, c, f, cu, i, h, u] => (t, c, f, cu, i, h, u),
            _ => {
                return Err(format!(
                    "sessions line `{line}`: want 5 to 7 comma-separated fields"
                )
                .into());
            }
        };
        sessions.push([
            ("{token}", token.to_owned()),
            ("{csrf}", csrf.to_owned()),
            ("{follow}", follow.to_owned()),
            ("{curriculum}", curriculum.to_owned()),
            ("{item}", item.to_owned()),
            ("{handle}", handle.to_owned()),
            ("{upstream}", upstream.to_owned()),
        ]);
    }
    if sessions.is_empty() {
        return Err(format!("{} holds no session", path.display()).into());
    }
    Ok(sessions)
}

fn fill(template: &str, session: Option<&Session>, today: &str, n: u64) -> String {
    let mut out = template
        .replace("{today}", today)
        .replace("{pastday}", &autodidact_bench::day_utc((n % 365) as i64))
        .replace("{n}", &n.to_string());
    for (key, value) in session.into_iter().flatten() {
        out = out.replace(key, value);
    }
    out
}

/// What the requests of the measured window gave.
#[derive(Default)]
struct Tally {
    /// Latencies in microseconds, per route.
    latencies: Vec<Vec<u32>>,
    /// Latencies of the answers below 400 only (the accepted requests, under overload).
    accepted: Vec<u32>,
    statuses: BTreeMap<u16, u64>,
    failures: u64,
    samples: Vec<String>,
    last_done: Option<Instant>,
}

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    if let Err(e) = run() {
        eprintln!("loadgen: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Fail> {
    let args = parse_args()?;
    let routes = Arc::new(read_mix(&args.mix)?);
    let sessions = Arc::new(match &args.sessions {
        Some(path) => read_sessions(path)?,
        None => Vec::new(),
    });
    let today = today_utc();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(args.max_in_flight)
        .pool_idle_timeout(Duration::from_secs(30))
        .build(connector);

    let tally = Arc::new(Mutex::new(Tally {
        latencies: vec![Vec::new(); routes.len()],
        ..Tally::default()
    }));
    let in_flight = Arc::new(Semaphore::new(args.max_in_flight));
    let late = Arc::new(AtomicU64::new(0));

    let period = Duration::from_secs_f64(1.0 / args.rate);
    let total = ((args.warmup + args.duration) * args.rate).round() as u64;
    let start = Instant::now() + Duration::from_millis(200);
    let measure_from = start + Duration::from_secs_f64(args.warmup);
    let measured = Arc::new(AtomicU64::new(0));

    // Resident memory of the server, sampled while the measured window runs.
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = args.pid.map(|pid| {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while sampling.load(Ordering::Relaxed) {
                if Instant::now() >= measure_from {
                    peak = peak.max(rss_kb(pid).unwrap_or(0));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            (peak, rss_kb(pid).unwrap_or(0))
        })
    });

    let handle = runtime.handle().clone();
    let weights: Vec<u32> = routes.iter().map(|r| r.weight).collect();
    let weight_sum: u32 = weights.iter().sum();
    let url = Arc::new(args.url.clone());
    let scheduler = {
        let (routes, sessions, tally, in_flight, late, measured) = (
            routes.clone(),
            sessions.clone(),
            tally.clone(),
            in_flight.clone(),
            late.clone(),
            measured.clone(),
        );
        std::thread::spawn(move || {
            let mut rng = SmallRng::seed_from_u64(args.seed);
            for n in 0..total {
                let due = start + period.mul_f64(n as f64);
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                } else if now - due > Duration::from_millis(1) {
                    late.fetch_add(1, Ordering::Relaxed);
                }
                let mut pick = rng.random_range(0..weight_sum);
                let route = weights
                    .iter()
                    .position(|&w| {
                        let hit = pick < w;
                        pick = pick.saturating_sub(w);
                        hit
                    })
                    .unwrap_or(0);
                let session = (!sessions.is_empty()).then(|| rng.random_range(0..sessions.len()));
                let r = &routes[route];
                let session = session.map(|s| &sessions[s]);
                let uri = format!("{url}{}", fill(&r.path, session, &today, n));
                let mut request = Request::builder().method(r.method.clone()).uri(uri);
                if let Some(s) = session {
                    request = request.header("cookie", format!("{COOKIE}={}", s[0].1));
                }
                let body = match &r.body {
                    Some(body) => {
                        request = request
                            .header("content-type", "application/x-www-form-urlencoded")
                            .header("sec-fetch-site", "same-origin");
                        Bytes::from(fill(body, session, &today, n))
                    }
                    None => Bytes::new(),
                };
                let Ok(request) = request.body(Full::new(body)) else {
                    continue;
                };
                let (client, tally, in_flight) = (client.clone(), tally.clone(), in_flight.clone());
                let name = r.name.clone();
                let counted = due >= measure_from;
                if counted {
                    measured.fetch_add(1, Ordering::Relaxed);
                }
                handle.spawn(async move {
                    let Ok(_permit) = in_flight.acquire().await else {
                        return;
                    };
                    let outcome = tokio::time::timeout(REQUEST_TIMEOUT, async {
                        let response = client.request(request).await?;
                        let status = response.status().as_u16();
                        response.into_body().collect().await?;
                        Ok::<u16, Fail>(status)
                    })
                    .await;
                    let done = Instant::now();
                    if !counted {
                        return;
                    }
                    let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
                    t.last_done = Some(t.last_done.map_or(done, |l| l.max(done)));
                    match outcome {
                        Ok(Ok(status)) => {
                            let micros = (done - due).as_micros().min(u128::from(u32::MAX));
                            t.latencies[route].push(micros as u32);
                            if status < 400 {
                                t.accepted.push(micros as u32);
                            }
                            *t.statuses.entry(status).or_default() += 1;
                            if status >= 400 && t.samples.len() < 5 {
                                t.samples.push(format!("{status} on {name}"));
                            }
                        }
                        Ok(Err(e)) => {
                            t.failures += 1;
                            if t.samples.len() < 5 {
                                t.samples.push(format!("error: {e}"));
                            }
                        }
                        Err(_) => {
                            t.failures += 1;
                            if t.samples.len() < 5 {
                                t.samples.push("timeout".to_owned());
                            }
                        }
                    }
                });
            }
        })
    };
    runtime.block_on(async {
        while !scheduler.is_finished() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Every request has finished once every permit is free again.
        let all = u32::try_from(args.max_in_flight).unwrap_or(u32::MAX);
        let _ = tokio::time::timeout(REQUEST_TIMEOUT * 2, in_flight.acquire_many(all)).await;
    });
    sampling.store(false, Ordering::Relaxed);
    let rss = sampler.and_then(|s| s.join().ok());
    let _ = scheduler.join();

    let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
    let measured = measured.load(Ordering::Relaxed);
    report(
        &args,
        &routes,
        &mut t,
        measured,
        measure_from,
        rss,
        late.load(Ordering::Relaxed),
    );
    Ok(())
}

fn report(
    args: &Args,
    routes: &[Route],
    t: &mut Tally,
    measured: u64,
    measure_from: Instant,
    rss: Option<(u64, u64)>,
    late: u64,
) {
    let mut all: Vec<u32> = Vec::new();
    println!(
        "{:>7.0} req/s for {} s (after {} s warm-up) on {}",
        args.rate, args.duration, args.warmup, args.url
    );
    println!(
        "  {:<44} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "route", "count", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for (route, lat) in routes.iter().zip(t.latencies.iter_mut()) {
        lat.sort_unstable();
        all.extend_from_slice(lat);
        println!(
            "  {:<44} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            route.name,
            lat.len(),
            percentile(lat, 0.5),
            percentile(lat, 0.9),
            percentile(lat, 0.99),
            lat.last().map_or(f64::NAN, |&m| f64::from(m) / 1000.0)
        );
    }
    all.sort_unstable();
    let ok: u64 = t
        .statuses
        .iter()
        .filter(|(s, _)| **s < 400)
        .map(|(_, n)| n)
        .sum();
    let failed = measured.saturating_sub(ok);
    let span = t
        .last_done
        .map_or(args.duration, |l| (l - measure_from).as_secs_f64())
        .max(args.duration);
    let throughput = (all.len() as f64) / span;
    let statuses: Vec<String> = t.statuses.iter().map(|(s, n)| format!("{s}={n}")).collect();
    println!(
        "  {:<44} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
        "all",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.9),
        percentile(&all, 0.99),
        all.last().map_or(f64::NAN, |&m| f64::from(m) / 1000.0)
    );
    println!(
        "  statuses: {}; transport failures: {}; sent late (>1 ms behind schedule): {late}",
        statuses.join(" "),
        t.failures
    );
    for sample in &t.samples {
        println!("  sample failure: {sample}");
    }
    if let Some((peak, end)) = rss {
        println!(
            "  server RSS: peak {:.1} MB, at the end {:.1} MB",
            peak as f64 / 1024.0,
            end as f64 / 1024.0
        );
    }
    let (peak, end) = rss.unwrap_or((0, 0));
    t.accepted.sort_unstable();
    let shed = t.statuses.get(&503).copied().unwrap_or(0);
    println!(
        "RESULT rate={} sent={measured} ok={ok} failed={failed} throughput={throughput:.1} \
         p50={:.2} p90={:.2} p99={:.2} p999={:.2} max={:.2} rss_peak_kb={peak} rss_end_kb={end} \
         late={late} shed={shed} transport={} p99_ok={:.2}",
        args.rate,
        percentile(&all, 0.5),
        percentile(&all, 0.9),
        percentile(&all, 0.99),
        percentile(&all, 0.999),
        all.last().map_or(f64::NAN, |&m| f64::from(m) / 1000.0),
        t.failures,
        percentile(&t.accepted, 0.99),
    );
}

/// Today's date in UTC, as `YYYY-MM-DD`.
fn today_utc() -> String {
    autodidact_bench::day_utc(0)
}
