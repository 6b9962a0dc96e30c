//! Two `autodidact serve` processes on one PostgreSQL database serve the same people and
//! sessions: a session made on one node works on the other, with no sticky sessions.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use autodidact_store::testing;

struct Node {
    child: Child,
    port: u16,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_node(database_url: &str) -> Node {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_autodidact"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            database_url,
        ])
        .args(["--base-url", "http://autodidact.test"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let node = Node { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "node on {port} did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    node
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.split(';').next().unwrap().to_owned())
            .collect()
    }

    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).unwrap() + marker.len();
        let end = self.body[start..].find('"').unwrap() + start;
        self.body[start..end].to_owned()
    }
}

/// A minimal HTTP/1.1 exchange: enough for a test, with no client library.
fn http(port: u16, method: &str, path: &str, cookies: &[String], form: Option<&str>) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = form.unwrap_or("");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nSec-Fetch-Site: same-origin\r\nCookie: {}\r\n",
        cookies.join("; ")
    );
    if form.is_some() {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| {
            l.split_once(": ")
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        })
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let v: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_on_one_postgres_database_share_people_and_sessions() {
    let Some(database) = testing::postgres().await else {
        return; // Outside CI with no server; the harness said so on stderr.
    };
    let url = database.connection_url();
    let (a, b) = (start_node(&url), start_node(&url));
    tokio::task::spawn_blocking(move || {
        // Sign up on node A.
        let form = http(a.port, "GET", "/signup", &[], None);
        let mut cookies = form.cookies();
        let signup = encode(&[
            ("csrf", &form.csrf()),
            ("handle", "ada"),
            ("display_name", "Ada"),
            ("email", "ada@example.org"),
            ("password", "correct horse battery staple"),
        ]);
        let created = http(a.port, "POST", "/signup", &cookies, Some(&signup));
        assert_eq!(created.status, 303, "{}", created.body);
        cookies.extend(created.cookies());

        // The session works on node B, and a change made there is seen on A.
        let settings = http(b.port, "GET", "/settings", &cookies, None);
        assert_eq!(settings.status, 200);
        assert!(settings.body.contains("@ada"));
        let change = encode(&[
            ("csrf", &settings.csrf()),
            ("display_name", "Ada L."),
            ("timezone", "Europe/London"),
            ("week_start", "0"),
        ]);
        assert_eq!(
            http(b.port, "POST", "/settings", &cookies, Some(&change)).status,
            303
        );
        assert!(
            http(a.port, "GET", "/settings", &cookies, None)
                .body
                .contains("value=\"Ada L.\"")
        );

        // Signing out on A ends the session on B too.
        let page = http(a.port, "GET", "/settings", &cookies, None);
        let out = encode(&[("csrf", &page.csrf())]);
        assert_eq!(
            http(a.port, "POST", "/signout", &cookies, Some(&out)).status,
            303
        );
        assert_eq!(http(b.port, "GET", "/settings", &cookies, None).status, 303);
        drop((a, b));
    })
    .await
    .unwrap();
}
