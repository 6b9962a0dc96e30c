//! `autodidact log --start [--item ITEM]`, `--stop [--done]` and `--discard`: the study timer,
//! the same one the web app shows. Locally through `autodidact_core::timer`; remotely through
//! `/api/v1/timer`.

use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use autodidact_core::follow::CurriculumCache;
use autodidact_core::logs::ItemTarget;
use autodidact_core::store::LogKind;
use autodidact_core::timer::{discard_timer, start_timer, stop_timer};
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::local::{learner, with_database};
use super::log::{LogArgs, local_handle};

pub fn run(args: &LogArgs) -> Result<()> {
    match (&args.server, &args.token) {
        (Some(server), Some(token)) => remote(args, server, token),
        (Some(_), None) => bail!(
            "--server needs --token (or AUTODIDACT_TOKEN): create a read-write token on the server's /settings/tokens page"
        ),
        (None, _) => local(args),
    }
}

fn local(args: &LogArgs) -> Result<()> {
    let handle = local_handle(args)?;
    with_database(
        args.config.clone(),
        args.database_url.clone(),
        async |db, config| {
            let user = learner(db, &handle, config).await?;
            let now = Timestamp::now();
            let cache = CurriculumCache::new();
            if args.start {
                let target = ItemTarget::from_parts(None, args.curriculum, args.item.clone())?;
                let kind = LogKind::from(args.kind);
                let timer = start_timer(db, &cache, &user, target, kind, now).await?;
                let on = if timer.label.is_empty() {
                    String::new()
                } else {
                    format!(" on {}", timer.label)
                };
                println!("The timer runs{on} for @{handle}; stop it with `autodidact log --stop`.");
            } else if args.stop {
                let stopped = stop_timer(db, &cache, &user, args.done, now).await?;
                match stopped.recorded {
                    Some(r) => println!(
                        "Stopped: logged {} of {} on {}{} for @{handle}.",
                        r.log.minutes,
                        r.log.kind.as_str(),
                        r.log.day,
                        on_label(&stopped.timer.label)
                    ),
                    None => println!("Stopped after less than a minute: nothing was logged."),
                }
            } else {
                let timer = discard_timer(db, &user).await?;
                println!(
                    "Discarded the timer{}: nothing was logged.",
                    on_label(&timer.label)
                );
            }
            Ok(())
        },
    )
}

fn on_label(label: &str) -> String {
    if label.is_empty() {
        String::new()
    } else {
        format!(" on {label}")
    }
}

fn remote(args: &LogArgs, server: &str, token: &str) -> Result<()> {
    let base = server.trim().trim_end_matches('/');
    if !base.starts_with("http://") && !base.starts_with("https://") {
        bail!("--server: `{server}` must start with http:// or https://");
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let auth = format!("Bearer {token}");
    let sent = if args.start {
        let mut body = Map::new();
        body.insert("kind".into(), json!(LogKind::from(args.kind).as_str()));
        if let Some(item) = &args.item {
            body.insert("item".into(), json!(item));
        }
        if let Some(curriculum) = args.curriculum {
            body.insert("curriculum".into(), json!(curriculum.to_string()));
        }
        agent
            .post(&format!("{base}/api/v1/timer"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(Value::Object(body).to_string().as_str())
    } else if args.stop {
        // Stopping twice logs once: the server keys the log on the timer's start.
        agent
            .post(&format!("{base}/api/v1/timer/stop"))
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(json!({ "done": args.done }).to_string().as_str())
    } else {
        agent
            .delete(&format!("{base}/api/v1/timer"))
            .header("Authorization", &auth)
            .call()
    };
    let mut response = sent.map_err(|e| anyhow!("cannot reach {base}: {e}"))?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    match status {
        201 if args.start => {
            println!(
                "The timer runs{}.",
                on_label(json["label"].as_str().unwrap_or(""))
            );
            Ok(())
        }
        201 => {
            let log = &json["log"];
            if log.is_null() {
                println!("Stopped after less than a minute: nothing was logged.");
            } else {
                println!(
                    "Stopped: logged {} min of {} on {}{}.",
                    log["minutes"].as_u64().unwrap_or(0),
                    log["kind"].as_str().unwrap_or("learn"),
                    log["date"].as_str().unwrap_or("today"),
                    log["item"]
                        .as_str()
                        .map(|i| format!(" on {i}"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        204 => {
            println!("Discarded the timer: nothing was logged.");
            Ok(())
        }
        _ => {
            let message = json["error"]["message"]
                .as_str()
                .map_or_else(|| format!("HTTP {status}"), ToOwned::to_owned);
            bail!("the server refused: {message}")
        }
    }
}
