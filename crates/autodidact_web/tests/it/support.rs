//! The test harness: the real router over a real store, and a client that keeps cookies and
//! CSRF tokens the way a browser does.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use autodidact_store::Db;
use autodidact_store::testing::{self, TestDb};
use autodidact_web::{AppState, WebConfig, build_router};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use tower::ServiceExt;

pub const ORIGIN: &str = "http://autodidact.test";

/// Which database the web tests run on: SQLite unless `AUTODIDACT_TEST_WEB_BACKEND=postgres`
/// (CI runs the suite both ways; PostgreSQL needs `AUTODIDACT_TEST_POSTGRES`).
pub const BACKEND_ENV: &str = "AUTODIDACT_TEST_WEB_BACKEND";

/// The app on a fresh, migrated database that is removed when the app is dropped.
#[derive(Debug)]
pub struct TestApp {
    pub router: Router,
    pub db: Db,
    config: WebConfig,
    _database: TestDb,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// The app with some settings changed, such as an SMTP server.
    pub async fn with_config(edit: impl FnOnce(&mut WebConfig)) -> Self {
        let database = match std::env::var(BACKEND_ENV).as_deref() {
            Ok("postgres") => testing::postgres().await.unwrap_or_else(|| {
                panic!(
                    "{BACKEND_ENV}=postgres needs a server in {}",
                    testing::POSTGRES_ENV
                )
            }),
            Ok("sqlite") | Err(_) => testing::sqlite().await,
            Ok(other) => panic!("{BACKEND_ENV}={other}: use sqlite or postgres"),
        };
        let db = database.db.clone();
        let mut config = WebConfig {
            base_url: ORIGIN.to_owned(),
            // Tests send bursts of parallel requests to check races; load shedding has its
            // own tests (serving.rs), which set their own limit.
            max_in_flight: 1024,
            ..WebConfig::default()
        };
        edit(&mut config);
        let router = build_router(AppState::new(Arc::new(db.clone()), config.clone()).unwrap());
        Self {
            router,
            db,
            config,
            _database: database,
        }
    }

    /// `client`, with its cookies, talking to a second server on the same database: another
    /// node behind a load balancer, with memory of its own.
    pub fn on_another_node(&self, client: &Client) -> Client {
        let state = AppState::new(Arc::new(self.db.clone()), self.config.clone()).unwrap();
        Client {
            router: build_router(state),
            ..client.clone()
        }
    }

    /// Runs SQL written for a test, such as moving a row's time into the past.
    pub async fn execute(&self, sql: &str) {
        self._database.execute(sql).await;
    }

    /// A new client, on an address of its own (as if from another computer).
    pub fn client(&self) -> Client {
        let n = NEXT_ADDRESS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let [.., a, b] = n.to_be_bytes();
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            csrf: None,
            address: SocketAddr::from(([10, 1, a, b], 40000)),
        }
    }

    /// The stored user `handle`.
    pub async fn user(&self, handle: &str) -> autodidact_core::store::User {
        use autodidact_core::store::AccountStore;
        self.db
            .user_by_handle(&autodidact_core::accounts::Handle::parse(handle).unwrap())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no @{handle}"))
    }

    /// A client signed up (and so signed in) as `handle`.
    pub async fn learner(&self, handle: &str) -> Client {
        let mut client = self.client();
        let resp = client.sign_up(handle).await;
        assert_eq!(
            resp.status,
            StatusCode::SEE_OTHER,
            "sign-up of {handle}: {}",
            resp.body
        );
        client
    }
}

/// A browser-like client: keeps cookies, remembers the last page's CSRF token and sends it
/// with forms, and sends `Sec-Fetch-Site: same-origin` as a browser would.
#[derive(Clone)]
#[allow(missing_debug_implementations)]
pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    /// The address requests come from (the connection's peer).
    pub address: SocketAddr,
}

/// Clients get addresses in turn, so that each counts apart in the throttles.
static NEXT_ADDRESS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// The trimmed text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector).into_iter().next().unwrap_or_default()
    }

    /// Attribute `name` of the first element matching `selector`.
    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.attrs(selector, name).into_iter().next()
    }

    /// Attribute `name` of every element matching `selector` that has it.
    pub fn attrs(&self, selector: &str, name: &str) -> Vec<String> {
        let sel = Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(name).map(str::to_owned))
            .collect()
    }

    /// The path of the calendar feed address shown on a plan page (`#feed-url`).
    pub fn feed_path(&self) -> String {
        let url = self.attr("#feed-url", "value").unwrap();
        let path = url.strip_prefix(ORIGIN).unwrap();
        assert!(
            path.starts_with("/calendar/") && path.ends_with(".ics"),
            "{url}"
        );
        path.to_owned()
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Client {
    pub async fn send(&mut self, mut request: Request<Body>) -> Resp {
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(self.address));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let raw = value.to_str().unwrap();
            let pair = raw.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let expired = raw.to_ascii_lowercase().contains("max-age=0");
            if expired || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let body =
            String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes())
                .into_owned();
        if let Some(token) = csrf_of(&body) {
            self.csrf = Some(token);
        }
        Resp {
            status,
            headers,
            body,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header("sec-fetch-site", "same-origin")
            .header(header::USER_AGENT, "autodidact-tests")
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let request = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(request).await
    }

    /// Posts a form with the current CSRF token added.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let csrf = self.csrf.clone().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_exact(path, &all).await
    }

    /// Posts exactly these fields, with no token added.
    pub async fn post_exact(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a multipart form with one file, and the current CSRF token.
    pub async fn upload(&mut self, path: &str, file_name: &str, bytes: &[u8]) -> Resp {
        let boundary = "autodidact-test-boundary";
        let csrf = self.csrf.clone().unwrap_or_default();
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = self
            .request("POST", path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn sign_up(&mut self, handle: &str) -> Resp {
        self.get("/signup").await;
        let email = format!("{handle}@example.org");
        let resp = self
            .post(
                "/signup",
                &[
                    ("handle", handle),
                    ("display_name", &format!("{handle} Lovelace")),
                    ("email", &email),
                    ("password", "correct horse battery staple"),
                ],
            )
            .await;
        if resp.status != StatusCode::OK || !resp.body.contains("Check your email") {
            return resp;
        }
        // A server that sends email: follow the emailed link, as a person would.
        let (_, maildir) = smtp_sink().expect("an app with email needs the SMTP sink");
        let message = message_to(&maildir, &email, "/signup/confirm/").await;
        let start = message
            .find("/signup/confirm/")
            .expect("a link to finish signing up");
        let path = message[start..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();
        self.get(&path).await;
        self.post(&path, &[]).await
    }

    /// Loads a page first (as a person would) to pick up its token, then posts.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Resp {
        self.get(page).await;
        self.post(action, fields).await
    }
}

fn csrf_of(body: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_owned())
}

/// A day as the pages write it: `Mon 7 Dec`, with the year when it is not this year's.
pub fn day_words(day: jiff::civil::Date) -> String {
    if day.year() == crate::logs::today().year() {
        day.strftime("%a %-d %b").to_string()
    } else {
        day.strftime("%a %-d %b %Y").to_string()
    }
}

/// An ISO date (`2026-12-07`) as the pages write it.
pub fn iso_words(iso: &str) -> String {
    day_words(iso.parse().unwrap())
}

// ---------------------------------------------------------------------------------------------
// Email

/// The SMTP sink `.ci/run` starts (`scripts/start-smtp-sink.sh`): its address and Maildir.
/// Outside CI without one, the email tests say so and stop; in CI they fail without it.
pub fn smtp_sink() -> Option<(String, PathBuf)> {
    match (
        std::env::var("AUTODIDACT_TEST_SMTP"),
        std::env::var("AUTODIDACT_TEST_MAILDIR"),
    ) {
        (Ok(address), Ok(maildir)) => Some((address, PathBuf::from(maildir))),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => panic!(
            "CI=true but AUTODIDACT_TEST_SMTP is not set: start the sink with `eval \"$(bash scripts/start-smtp-sink.sh)\"`"
        ),
        _ => {
            eprintln!("note: the email tests were NOT run: AUTODIDACT_TEST_SMTP is not set");
            None
        }
    }
}

/// Quoted-printable, as lettre writes long lines: soft breaks joined, `=XX` decoded.
fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The message the sink received for `to` that contains `text`, waiting for it a little (it
/// is sent after the answer, by a task this runtime runs while the test waits).
pub async fn message_to(maildir: &std::path::Path, to: &str, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let new = maildir.join("new");
        if let Ok(entries) = std::fs::read_dir(&new) {
            for entry in entries.flatten() {
                let raw = std::fs::read_to_string(entry.path()).unwrap_or_default();
                let message = decode_quoted_printable(&raw);
                if raw.contains(&format!("X-RcptTo: {to}")) && message.contains(text) {
                    return message;
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "no message to {to} with {text:?} in {}",
            new.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A suffix that makes a handle or an address unique across test runs (the sink's Maildir
/// is shared).
pub fn rand_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{nanos:09}")
}
