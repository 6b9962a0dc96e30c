//! `autodidact links check`: asks every evidence address not checked lately whether it is
//! still there, and keeps the answer (`autodidact_core::sharing::check_links`), so profiles
//! say "alive, checked on …" or "broken (404)" without fetching while a page renders. Run it
//! from cron or a timer, for example daily.
//!
//! Learners choose these addresses, so a check never reaches the machine's own network: an
//! address whose host is, or resolves to, a loopback, private or link-local address is
//! "unreachable" without a request (`--allow-private` lifts that, for tests).

use std::net::{IpAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use async_trait::async_trait;
use autodidact_core::sharing::{LinkProbe, check_links, status_of};
use autodidact_core::store::{LinkStatus, Store};
use jiff::{SignedDuration, Timestamp};

use crate::commands::local::with_database;

#[derive(Debug, clap::Args)]
pub struct LinksArgs {
    #[command(subcommand)]
    pub command: LinksCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum LinksCommand {
    /// Check the evidence addresses not checked within --max-age-hours, and keep the answers.
    #[command(after_help = "Example (daily, from cron):\n  autodidact links check --limit 2000")]
    Check {
        /// Check an address again once its last check is this old.
        #[arg(long, default_value_t = 24, value_name = "HOURS")]
        max_age_hours: u32,
        /// At most this many addresses in one run (the longest unchecked first).
        #[arg(long, default_value_t = 500)]
        limit: u32,
        /// Give up on an address after this many seconds.
        #[arg(long, default_value_t = 10, value_name = "SECONDS")]
        timeout_secs: u64,
        /// Also reach loopback and private addresses (for tests; never on a server).
        #[arg(long)]
        allow_private: bool,
        /// The database, as for `serve` [default: SQLite in the user's data directory].
        #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
        database_url: Option<String>,
        /// A config file, as for `serve`.
        #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

pub fn run(args: &LinksArgs) -> Result<()> {
    let LinksCommand::Check {
        max_age_hours,
        limit,
        timeout_secs,
        allow_private,
        database_url,
        config,
    } = &args.command;
    let probe = HttpProbe {
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(*timeout_secs)))
            .max_redirects(5)
            .user_agent("Autodidact link check")
            .build()
            .into(),
        allow_private: *allow_private,
    };
    let report = with_database(config.clone(), database_url.clone(), async |db, _config| {
        let store: &dyn Store = db;
        let max_age = SignedDuration::from_hours(i64::from(*max_age_hours));
        Ok(check_links(store, &probe, Timestamp::now(), max_age, *limit).await?)
    })?;
    println!(
        "Checked {} addresses: {} alive, {} broken, {} unreachable.",
        report.checked(),
        report.alive,
        report.broken,
        report.unreachable
    );
    Ok(())
}

struct HttpProbe {
    agent: ureq::Agent,
    allow_private: bool,
}

/// Whether an address is the machine's own or its network's.
fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// The host and port of an http(s) address.
fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let port = match scheme {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = after
            .strip_prefix(':')
            .and_then(|p| p.parse().ok())
            .unwrap_or(port);
        return Some((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, p)) => Some((host.to_owned(), p.parse().ok()?)),
        None => Some((authority.to_owned(), port)),
    }
}

impl HttpProbe {
    fn reachable(&self, url: &str) -> bool {
        if self.allow_private {
            return true;
        }
        let Some((host, port)) = host_port(url) else {
            return false;
        };
        match (host.as_str(), port).to_socket_addrs() {
            Ok(mut addrs) => addrs.all(|a| !is_private(a.ip())),
            Err(_) => false,
        }
    }
}

#[async_trait]
impl LinkProbe for HttpProbe {
    async fn probe(&self, url: &str) -> LinkStatus {
        if !self.reachable(url) {
            return LinkStatus::Unreachable;
        }
        // HEAD first; some sites refuse it, so a refusal is asked again with GET.
        let head = self.agent.head(url).call();
        let code = match head {
            Ok(r) if !matches!(r.status().as_u16(), 403 | 405 | 501) => r.status().as_u16(),
            _ => match self.agent.get(url).call() {
                Ok(r) => r.status().as_u16(),
                Err(_) => return LinkStatus::Unreachable,
            },
        };
        status_of(code)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_machines_own_and_private_networks_are_never_checked() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
        assert_eq!(
            host_port("https://user@example.org:8443/x?y"),
            Some(("example.org".to_owned(), 8443))
        );
        assert_eq!(host_port("http://[::1]/x"), Some(("::1".to_owned(), 80)));
        assert_eq!(host_port("ftp://example.org/x"), None);
        let probe = HttpProbe {
            agent: ureq::Agent::new_with_defaults(),
            allow_private: false,
        };
        assert!(!probe.reachable("http://127.0.0.1:9/"));
        assert!(!probe.reachable("http://localhost/"));
    }
}
