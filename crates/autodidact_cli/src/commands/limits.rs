//! `autodidact limits`: the throttles' rules in the local database (see
//! `autodidact_core::throttle`), listed or changed. Every node reads them from there.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use autodidact_core::store::ThrottleStore;
use autodidact_core::throttle::{Limit, Rule};

use crate::commands::local::with_database;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  autodidact limits\n  autodidact limits --set sign_in_pair=10/900"
)]
pub struct LimitsArgs {
    /// Change a rule: NAME=MAX/SECONDS (at most MAX events per key in SECONDS); repeatable.
    #[arg(long, value_name = "NAME=MAX/SECONDS")]
    pub set: Vec<String>,
    /// The database, as for `serve` [default: SQLite in the user's data directory].
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// A config file, as for `serve`.
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: &LimitsArgs) -> Result<()> {
    let changes = args
        .set
        .iter()
        .map(|raw| parse_rule(raw))
        .collect::<Result<Vec<_>>>()?;
    with_database(
        args.config.clone(),
        args.database_url.clone(),
        async |db, _| {
            for (limit, rule) in &changes {
                db.set_throttle_rule(*limit, *rule).await?;
            }
            println!("{:<16} {:>8} {:>8}", "limit", "max", "seconds");
            for (limit, rule) in db.throttle_rules().await? {
                println!(
                    "{:<16} {:>8} {:>8}",
                    limit.name(),
                    rule.max,
                    rule.window_secs
                );
            }
            Ok(())
        },
    )
}

/// `NAME=MAX/SECONDS`.
fn parse_rule(raw: &str) -> Result<(Limit, Rule)> {
    let names = || {
        Limit::ALL
            .iter()
            .map(|l| l.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (name, rule) = raw.split_once('=').ok_or_else(|| {
        anyhow!("--set {raw}: write NAME=MAX/SECONDS, such as sign_in_pair=10/900")
    })?;
    let limit = Limit::from_name(name.trim()).ok_or_else(|| {
        anyhow!(
            "--set {raw}: no limit is named `{name}`; the limits are {}",
            names()
        )
    })?;
    let (max, secs) = rule
        .split_once('/')
        .ok_or_else(|| anyhow!("--set {raw}: write MAX/SECONDS after `=`, such as 10/900"))?;
    let max: u32 = max
        .trim()
        .parse()
        .ok()
        .filter(|m| (1..=1_000_000).contains(m))
        .ok_or_else(|| anyhow!("--set {raw}: MAX must be a whole number from 1 to 1000000"))?;
    let window_secs: i64 = secs
        .trim()
        .parse()
        .ok()
        .filter(|s| (1..=2_592_000).contains(s))
        .ok_or_else(|| {
            anyhow!("--set {raw}: SECONDS must be a whole number from 1 to 2592000 (30 days)")
        })?;
    Ok((limit, Rule { max, window_secs }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_read_from_name_max_and_seconds_and_a_bad_one_says_what_to_write() {
        assert_eq!(
            parse_rule("sign_in_pair=10/900").unwrap(),
            (
                Limit::SignInPair,
                Rule {
                    max: 10,
                    window_secs: 900
                }
            )
        );
        let e = parse_rule("sign_in=10/900").unwrap_err().to_string();
        assert!(
            e.contains("no limit is named `sign_in`") && e.contains("sign_in_pair"),
            "{e}"
        );
        assert!(
            parse_rule("sign_in_pair=0/900")
                .unwrap_err()
                .to_string()
                .contains("1 to 1000000")
        );
        assert!(
            parse_rule("sign_in_pair=5")
                .unwrap_err()
                .to_string()
                .contains("MAX/SECONDS")
        );
        assert!(
            parse_rule("sign_in_pair=5/0")
                .unwrap_err()
                .to_string()
                .contains("30 days")
        );
    }
}
