//! Server settings: from flags, then `AUTODIDACT_…` environment variables, then an optional
//! TOML config file, then defaults. `docs/CONFIG.md` is generated from [`SETTINGS`], and a
//! test keeps the two equal.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use autodidact_web::WebConfig;
use serde::Deserialize;

/// One documented setting.
#[derive(Debug)]
pub struct Setting {
    /// The key in the config file.
    pub key: &'static str,
    pub flag: &'static str,
    pub env: &'static str,
    pub default: &'static str,
    pub help: &'static str,
}

pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "bind",
        flag: "--bind",
        env: "AUTODIDACT_BIND",
        default: "127.0.0.1:8080",
        help: "The address and port to listen on.",
    },
    Setting {
        key: "database_url",
        flag: "--database-url",
        env: "AUTODIDACT_DATABASE_URL",
        default: "sqlite://<data dir>/autodidact/autodidact.db",
        help: "`sqlite://path` or `postgres://user:password@host/db`. The data dir is `$XDG_DATA_HOME`, else `~/.local/share`. SQLite commits are on disk before they are acknowledged (`synchronous=FULL`); `sqlite://path?synchronous=normal` trades that for fewer fsyncs (docs/OPERATIONS.md).",
    },
    Setting {
        key: "base_url",
        flag: "--base-url",
        env: "AUTODIDACT_BASE_URL",
        default: "http://<bind>",
        help: "The address people use. With `https://`, cookies are marked `Secure`; forms must come from this origin.",
    },
    Setting {
        key: "session_days",
        flag: "--session-days",
        env: "AUTODIDACT_SESSION_DAYS",
        default: "30",
        help: "Days a session lasts without use.",
    },
    Setting {
        key: "max_upload_bytes",
        flag: "--max-upload-bytes",
        env: "AUTODIDACT_MAX_UPLOAD_BYTES",
        default: "4194304",
        help: "The largest request body, uploads included (at most 34603008: the 32 MiB import limit and room for the form).",
    },
    Setting {
        key: "smtp_url",
        flag: "--smtp-url",
        env: "AUTODIDACT_SMTP_URL",
        default: "(none: no email)",
        help: "The SMTP server for links to set a forgotten password: `smtp://host:25` (no encryption, a relay on this machine), `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtps://user:password@host:465`. Without it, `autodidact account reset-password` prints a link.",
    },
    Setting {
        key: "mail_from",
        flag: "--mail-from",
        env: "AUTODIDACT_MAIL_FROM",
        default: "Autodidact <autodidact@localhost>",
        help: "The sender of those emails.",
    },
    Setting {
        key: "trusted_proxies",
        flag: "--trusted-proxies",
        env: "AUTODIDACT_TRUSTED_PROXIES",
        default: "(none)",
        help: "Addresses of reverse proxies in front of the server, comma-separated (`127.0.0.1,::1`). A request from one of them is counted under the address its `X-Forwarded-For` names (by the throttles and on the sessions page); from any other peer the header is ignored. Leave it empty unless a proxy you run forwards every request, or everyone behind it shares one address's limits.",
    },
    Setting {
        key: "max_in_flight",
        flag: "--max-in-flight",
        env: "AUTODIDACT_MAX_IN_FLIGHT",
        default: "16",
        help: "Requests handled at once. Beyond it a request waits at most `queue_wait_ms` for a place, then gets 503 with `Retry-After: 1`, so that an overload is answered at once rather than queued for seconds (`/healthz` and `/readyz` never wait).",
    },
    Setting {
        key: "queue_wait_ms",
        flag: "--queue-wait-ms",
        env: "AUTODIDACT_QUEUE_WAIT_MS",
        default: "40",
        help: "Milliseconds a request may wait for one of the `max_in_flight` places before it gets 503. Shorter keeps the accepted requests faster under overload and sheds more of a short burst.",
    },
    Setting {
        key: "memo_mib",
        flag: "--memo-mib",
        env: "AUTODIDACT_MEMO_MIB",
        default: "64",
        help: "Mebibytes of learners' derived views (the dashboard, Today, the week, the quick log's items) kept between requests. Each is kept under the learner's data version, which the database raises with every change, so a view is never served after its data changed, on any node; more memory only means fewer recomputations. 0 keeps none.",
    },
    Setting {
        key: "log",
        flag: "--log",
        env: "AUTODIDACT_LOG",
        default: "info",
        help: "Log filter, in `tracing` syntax (`info`, `autodidact_web=debug`).",
    },
];

/// The flags of `serve` and `migrate`.
#[derive(Debug, Default, clap::Args)]
pub struct ServerArgs {
    /// A TOML file with any of the settings below (keys as in docs/CONFIG.md).
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "AUTODIDACT_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// `sqlite://path` or `postgres://…` [default: SQLite in the user's data directory].
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// The address people use, e.g. https://learn.example.org [default: http://<bind>].
    #[arg(long, env = "AUTODIDACT_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// Days a session lasts without use [default: 30].
    #[arg(long, env = "AUTODIDACT_SESSION_DAYS", value_name = "DAYS")]
    pub session_days: Option<i64>,
    /// The largest request body in bytes [default: 4194304].
    #[arg(long, env = "AUTODIDACT_MAX_UPLOAD_BYTES", value_name = "BYTES")]
    pub max_upload_bytes: Option<usize>,
    /// The SMTP server for password links, e.g. smtp://user:pass@host:587?tls=required.
    #[arg(
        long,
        env = "AUTODIDACT_SMTP_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,
    /// The sender of emails [default: Autodidact <autodidact@localhost>].
    #[arg(long, env = "AUTODIDACT_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// Reverse proxies whose X-Forwarded-For is believed, comma-separated [default: none].
    #[arg(long, env = "AUTODIDACT_TRUSTED_PROXIES", value_name = "ADDRESSES")]
    pub trusted_proxies: Option<String>,
    /// Requests handled at once; more get 503 after `--queue-wait-ms` [default: 16].
    #[arg(long, env = "AUTODIDACT_MAX_IN_FLIGHT", value_name = "N")]
    pub max_in_flight: Option<usize>,
    /// Milliseconds a request waits for a place before 503 [default: 40].
    #[arg(long, env = "AUTODIDACT_QUEUE_WAIT_MS", value_name = "MS")]
    pub queue_wait_ms: Option<u64>,
    /// Mebibytes of derived views kept between requests [default: 64].
    #[arg(long, env = "AUTODIDACT_MEMO_MIB", value_name = "MIB")]
    pub memo_mib: Option<u64>,
    /// Log filter [default: info].
    #[arg(long, env = "AUTODIDACT_LOG", value_name = "FILTER")]
    pub log: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    bind: Option<String>,
    database_url: Option<String>,
    base_url: Option<String>,
    session_days: Option<i64>,
    max_upload_bytes: Option<usize>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    trusted_proxies: Option<String>,
    max_in_flight: Option<usize>,
    queue_wait_ms: Option<u64>,
    memo_mib: Option<u64>,
    log: Option<String>,
}

/// The addresses of `trusted_proxies`: comma-separated IPv4 or IPv6 addresses.
fn parse_proxies(raw: &str) -> Result<Vec<std::net::IpAddr>> {
    raw.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse().map_err(|_| {
                anyhow!(
                    "trusted_proxies: `{part}` is not an IP address; list addresses such as 127.0.0.1,::1"
                )
            })
        })
        .collect()
}

/// Settings after every source is applied.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    pub database_url: String,
    pub web: WebConfig,
    pub log: String,
}

impl ServerArgs {
    pub fn resolve(&self) -> Result<ServerConfig> {
        let file = match &self.config {
            Some(path) => read_file(path)?,
            None => FileSettings::default(),
        };
        let bind_raw = self
            .bind
            .clone()
            .or(file.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let bind: SocketAddr = bind_raw.parse().map_err(|_| {
            anyhow!("bind: `{bind_raw}` is not an address and port, such as 127.0.0.1:8080")
        })?;
        let database_url = match self.database_url.clone().or(file.database_url) {
            Some(url) => url,
            None => default_database_url()?,
        };
        let base_url = self
            .base_url
            .clone()
            .or(file.base_url)
            .unwrap_or_else(|| format!("http://{bind}"));
        if !base_url.starts_with("http://") && !base_url.starts_with("https://") {
            return Err(anyhow!(
                "base_url: `{base_url}` must start with http:// or https://"
            ));
        }
        let session_days = self.session_days.or(file.session_days).unwrap_or(30);
        if !(1..=365).contains(&session_days) {
            return Err(anyhow!(
                "session_days: {session_days} is out of range; use 1 to 365"
            ));
        }
        let max_body_bytes = self
            .max_upload_bytes
            .or(file.max_upload_bytes)
            .unwrap_or(4 * 1024 * 1024);
        if !(1024..=autodidact_core::import::MAX_IMPORT_BYTES + 1024 * 1024)
            .contains(&max_body_bytes)
        {
            return Err(anyhow!(
                "max_upload_bytes: {max_body_bytes} is out of range; use 1024 to 34603008"
            ));
        }
        let trusted_proxies = parse_proxies(
            self.trusted_proxies
                .as_deref()
                .or(file.trusted_proxies.as_deref())
                .unwrap_or(""),
        )?;
        let max_in_flight = self.max_in_flight.or(file.max_in_flight).unwrap_or(16);
        if !(1..=100_000).contains(&max_in_flight) {
            return Err(anyhow!(
                "max_in_flight: {max_in_flight} is out of range; use 1 to 100000"
            ));
        }
        let queue_wait_ms = self.queue_wait_ms.or(file.queue_wait_ms).unwrap_or(40);
        if queue_wait_ms > 60_000 {
            return Err(anyhow!(
                "queue_wait_ms: {queue_wait_ms} is out of range; use 0 to 60000"
            ));
        }
        let memo_mib = self.memo_mib.or(file.memo_mib).unwrap_or(64);
        if memo_mib > 65_536 {
            return Err(anyhow!(
                "memo_mib: {memo_mib} is out of range; use 0 to 65536"
            ));
        }
        Ok(ServerConfig {
            bind,
            database_url,
            web: WebConfig {
                base_url: base_url.trim_end_matches('/').to_owned(),
                session_days,
                max_body_bytes,
                smtp_url: self.smtp_url.clone().or(file.smtp_url),
                mail_from: self
                    .mail_from
                    .clone()
                    .or(file.mail_from)
                    .unwrap_or_else(|| WebConfig::default().mail_from),
                trusted_proxies,
                max_in_flight,
                queue_wait: std::time::Duration::from_millis(queue_wait_ms),
                memo_bytes: memo_mib * 1024 * 1024,
            },
            log: self
                .log
                .clone()
                .or(file.log)
                .unwrap_or_else(|| "info".to_owned()),
        })
    }
}

fn read_file(path: &Path) -> Result<FileSettings> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    toml::from_str(&text).map_err(|e| anyhow!("{}: {}", path.display(), e.message()))
}

/// SQLite in the user's data directory, creating the directory.
fn default_database_url() -> Result<String> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .ok_or_else(|| {
            anyhow!("no data directory: set HOME or XDG_DATA_HOME, or pass --database-url")
        })?;
    let dir = base.join("autodidact");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(format!("sqlite://{}", dir.join("autodidact.db").display()))
}

/// The text of docs/CONFIG.md.
pub fn config_doc() -> String {
    let mut doc = String::from(
        "# Configuration\n\n`autodidact serve` and `autodidact migrate` read each setting from, in order: a flag, an\n\
         environment variable, the config file (`--config FILE` or `AUTODIDACT_CONFIG`, TOML with\n\
         the keys below), and the default.\n\n| key | flag | environment | default | meaning |\n|---|---|---|---|---|\n",
    );
    for s in SETTINGS {
        doc.push_str(&format!(
            "| `{}` | `{}` | `{}` | `{}` | {} |\n",
            s.key, s.flag, s.env, s.default, s.help
        ));
    }
    doc.push_str(
        "\nAn example config file:\n\n```toml\nbind = \"0.0.0.0:8080\"\ndatabase_url = \"postgres://autodidact@db.internal/autodidact\"\nbase_url = \"https://learn.example.org\"\n```\n\n\
         This file is generated from the code (`autodidact config-doc`); a test fails when they differ.\n",
    );
    doc
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    fn args(extra: &[&str]) -> ServerArgs {
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            server: ServerArgs,
        }
        let mut argv = vec!["autodidact", "--database-url", "sqlite::memory:"];
        argv.extend_from_slice(extra);
        <Wrap as clap::Parser>::try_parse_from(argv).unwrap().server
    }

    #[test]
    fn the_wait_for_a_place_is_40_ms_unless_set_and_refused_out_of_range() {
        let config = args(&[]).resolve().unwrap();
        assert_eq!(config.web.queue_wait, std::time::Duration::from_millis(40));
        let config = args(&["--queue-wait-ms", "5"]).resolve().unwrap();
        assert_eq!(config.web.queue_wait, std::time::Duration::from_millis(5));
        let refused = args(&["--queue-wait-ms", "60001"]).resolve().unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("queue_wait_ms: 60001 is out of range"),
            "{refused}"
        );
    }
}
