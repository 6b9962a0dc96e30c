//! `autodidact seed-load` (hidden): fills a fresh database with generated learners for the load
//! test in `bench/load.sh`, through the storage traits like the web app.
//!
//! Every learner (`load0001`, …) has a public profile (with the main follow's progress), three
//! curricula from the shipped templates (the third a copy of an unlisted one of theirs whose
//! author has since added an item: an update to preview), follows each,
//! has a board with some items done and one in progress, a year of irregular study logs (about
//! one a day, with gaps), and one signed-in session made directly in the store. The sessions
//! are written to a file, one line per follow (`token,csrf,follow_id,curriculum_id,item_id,handle,upstream`, the last the copy with an update),
//! so the load generator needs no sign-in.
//!
//! Learner `n` draws from its own random generator seeded with `--seed` and `n`, so the data is
//! the same whatever the number of jobs; dates are relative to today. One argon2id hash, made
//! with the web app's own function and parameters, is shared by every account.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::commands::local::random_token;
use anyhow::{Context, Result, anyhow};
use autodidact_core::accounts::{Email, Handle, Password, Settings, UserId};
use autodidact_core::curriculum::{Curriculum, ItemId, Minutes};
use autodidact_core::plan::{Break, WeeklyBudget};
use autodidact_core::secrets::hash_token;
use autodidact_core::store::{
    AccountStore, CurriculumStore, FollowStore, ForkOf, ItemStatus, Lineage, LogKind, LogStore,
    NewCurriculum, NewFollow, NewLog, NewSession, NewUser, ProfileSettings, Section, SharingStore,
    Visibility,
};
use autodidact_core::templates;
use autodidact_store::{Backend, Db};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Curricula (and follows) per learner.
const CURRICULA_PER_LEARNER: usize = 3;
/// Days of logs before today, today included.
const LOG_DAYS: i64 = 365;

#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// How many learners to create (`load0001`, `load0002`, …).
    #[arg(long, default_value_t = 1000)]
    pub learners: u32,
    /// The database to fill: `sqlite://PATH` or `postgres://…`. Migrated first; it must hold no
    /// `load…` learners yet.
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: String,
    /// Every learner's password.
    #[arg(long, default_value = "load-test-password")]
    pub password: String,
    /// Where to write `token,csrf,follow_id,curriculum_id,item_id,handle`, one line per follow.
    #[arg(long, value_name = "FILE")]
    pub sessions_out: Option<PathBuf>,
    /// The seed of the random data.
    #[arg(long, default_value_t = 20_260_101)]
    pub seed: u64,
    /// Learners seeded at once [default: 2 on SQLite, which has one writer; 8 on PostgreSQL].
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Public curricula to add beyond the learners' own, shared out among them (for
    /// `/explore`): copies of the shipped templates under titles of their own, each updated at
    /// a different minute.
    #[arg(long, default_value_t = 0)]
    pub public_curricula: u32,
}

/// What one learner's seeding made: the session lines and the row counts.
#[derive(Default)]
struct Counts {
    curricula: AtomicU64,
    follows: AtomicU64,
    states: AtomicU64,
    logs: AtomicU64,
}

/// The same for every learner: templates parsed once, the shared hash, dates.
struct Plan {
    templates: Vec<(&'static str, Curriculum)>,
    password_hash: String,
    seed: u64,
    now: Timestamp,
    today: Date,
    learners: u32,
    public_curricula: u32,
}

pub fn run(args: &SeedArgs) -> Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(seed(args))
}

async fn seed(args: &SeedArgs) -> Result<()> {
    let started = Instant::now();
    let target = super::serve::redact(&args.database_url);
    let db = Db::connect(&args.database_url)
        .await
        .with_context(|| format!("cannot open the database at {target}"))?;
    db.migrate()
        .await
        .context("cannot apply the database migrations")?;
    let jobs = args
        .jobs
        .unwrap_or(match db.backend() {
            Backend::Sqlite => 2,
            Backend::Postgres => 8,
        })
        .max(1);

    let password_hash =
        crate::commands::local::hash_password(&Password::for_sign_in(&args.password))?;
    let mut parsed = Vec::new();
    for template in templates::all() {
        let curriculum = template
            .curriculum()
            .map_err(|_| anyhow!("the shipped template {} does not parse", template.id))?;
        parsed.push((template.source, curriculum));
    }
    let now = Timestamp::now();
    let plan = Arc::new(Plan {
        templates: parsed,
        password_hash,
        seed: args.seed,
        now,
        today: now.to_zoned(TimeZone::UTC).date(),
        learners: args.learners.max(1),
        public_curricula: args.public_curricula,
    });

    let bar = ProgressBar::new(u64::from(args.learners));
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} learners, {per_sec}, eta {eta} {msg}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    let counts = Arc::new(Counts::default());
    let db = Arc::new(db);
    let mut tasks = tokio::task::JoinSet::new();
    for job in 0..jobs {
        let (db, plan, counts, bar) = (db.clone(), plan.clone(), counts.clone(), bar.clone());
        let learners = args.learners;
        tasks.spawn(async move {
            let mut lines = Vec::new();
            let mut n = job as u32 + 1;
            while n <= learners {
                let made = seed_learner(db.as_ref(), &plan, &counts, n)
                    .await
                    .with_context(|| format!("cannot seed learner load{n:04}"))?;
                lines.push((n, made));
                bar.inc(1);
                bar.set_message(format!("{} logs", counts.logs.load(Ordering::Relaxed)));
                n += jobs as u32;
            }
            anyhow::Ok(lines)
        });
    }
    let mut lines = Vec::new();
    while let Some(done) = tasks.join_next().await {
        lines.extend(done.context("a seeding task failed")??);
    }
    bar.finish_and_clear();
    lines.sort_by_key(|(n, _)| *n);
    db.close().await;

    if let Some(path) = &args.sessions_out {
        write_sessions(path, lines.iter().flat_map(|(_, l)| l))?;
    }
    let secs = started.elapsed().as_secs_f64();
    let logs = counts.logs.load(Ordering::Relaxed);
    println!(
        "Seeded {} learners, {} curricula, {} follows, {} board states, {} logs and {} sessions \
         in {secs:.1} s ({:.0} logs/s, {jobs} job{}).",
        args.learners,
        counts.curricula.load(Ordering::Relaxed),
        counts.follows.load(Ordering::Relaxed),
        counts.states.load(Ordering::Relaxed),
        logs,
        args.learners,
        logs as f64 / secs.max(0.001),
        if jobs == 1 { "" } else { "s" },
    );
    Ok(())
}

fn write_sessions<'a>(path: &PathBuf, lines: impl Iterator<Item = &'a String>) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

/// One follow as seeded: its ids, its items in order, and how far the learner is.
struct Seeded {
    follow: autodidact_core::store::FollowId,
    curriculum: autodidact_core::store::CurriculumId,
    items: Vec<ItemId>,
    /// Items done (or skipped) by today; the next one is in progress.
    done: usize,
}

/// Seeds learner `n` (from 1) and returns their session lines, one per follow.
async fn seed_learner(db: &Db, plan: &Plan, counts: &Counts, n: u32) -> Result<Vec<String>> {
    let mut rng = StdRng::seed_from_u64(plan.seed ^ (u64::from(n) << 20));
    let year_ago = plan.now - SignedDuration::from_hours(24 * (LOG_DAYS + 1));
    let handle = format!("load{n:04}");
    let user = db
        .create_user(NewUser {
            handle: Handle::parse(&handle).map_err(|e| anyhow!("{handle}: {e}"))?,
            display_name: format!("Load learner {n}"),
            email: Email::parse(&format!("{handle}@load.test")).map_err(|e| anyhow!("{e}"))?,
            password_hash: plan.password_hash.clone(),
            settings: Settings::default(),
            now: year_ago,
        })
        .await?;

    // The extra public curricula numbered n-1, n-1+learners, …: learner n's share of them.
    let mut index = n - 1;
    while index < plan.public_curricula {
        let (source, curriculum) = &plan.templates[index as usize % plan.templates.len()];
        let title = format!("{} (take {index} by {handle})", curriculum.title);
        db.create_curriculum(NewCurriculum {
            owner: user.id,
            title: title.clone(),
            visibility: Visibility::Public,
            source: source.replacen(&curriculum.title, &title, 1),
            lineage: Default::default(),
            now: year_ago + SignedDuration::from_mins(i64::from(index)),
        })
        .await?;
        counts.curricula.fetch_add(1, Ordering::Relaxed);
        index += plan.learners;
    }

    let mut follows = Vec::with_capacity(CURRICULA_PER_LEARNER);
    let mut upstream = String::new();
    for k in 0..CURRICULA_PER_LEARNER {
        let (source, curriculum) = &plan.templates[(n as usize + k) % plan.templates.len()];
        let visibility = if n.is_multiple_of(10) && k == 0 {
            Visibility::Public
        } else {
            Visibility::Private
        };
        // The last is a copy of an unlisted curriculum of the learner's that has since gained
        // an item, so that `/curricula/{upstream}/upstream` previews a real update.
        let lineage = if k + 1 == CURRICULA_PER_LEARNER {
            let origin = db
                .create_curriculum(NewCurriculum {
                    owner: user.id,
                    title: curriculum.title.clone(),
                    visibility: Visibility::Unlisted,
                    source: (*source).to_owned(),
                    lineage: Default::default(),
                    now: year_ago,
                })
                .await?;
            let fork = Lineage::Fork(ForkOf {
                source: origin.id,
                version: origin.version,
                owner: user.id,
                owner_handle: user.handle.clone(),
                title: origin.title.clone(),
                base: origin.source.clone(),
            });
            db.update_curriculum(
                origin.id,
                user.id,
                &origin.title,
                &with_added_item(curriculum),
                year_ago + SignedDuration::from_hours(1),
            )
            .await?;
            counts.curricula.fetch_add(1, Ordering::Relaxed);
            fork
        } else {
            Lineage::Original
        };
        let record = db
            .create_curriculum(NewCurriculum {
                owner: user.id,
                title: curriculum.title.clone(),
                visibility,
                source: (*source).to_owned(),
                lineage,
                now: year_ago,
            })
            .await?;
        counts.curricula.fetch_add(1, Ordering::Relaxed);
        if k + 1 == CURRICULA_PER_LEARNER {
            upstream = record.id.0.to_string();
        }
        let start = plan.today - (LOG_DAYS - rng.random_range(0..30i64)).days();
        let budget = match rng.random_range(0..4u8) {
            0 => WeeklyBudget::parse("mon=2,wed=2,sat=6")?,
            h => WeeklyBudget::PerWeek(Minutes::from_hours(5 + 5 * u32::from(h))),
        };
        let breaks = if rng.random_bool(0.3) {
            vec![Break::Weekly {
                day: jiff::civil::Weekday::Sunday,
            }]
        } else {
            Vec::new()
        };
        let follow = db
            .create_follow(NewFollow {
                user: user.id,
                curriculum: record.id,
                budget,
                start,
                breaks,
                declared: Vec::new(),
                now: year_ago,
            })
            .await?;
        counts.follows.fetch_add(1, Ordering::Relaxed);
        let items: Vec<ItemId> = curriculum.items().map(|i| i.id.clone()).collect();
        // The main follow is well along; the others barely started.
        let share = if k == 0 {
            rng.random_range(0.3..0.8)
        } else {
            rng.random_range(0.0..0.3)
        };
        let done = ((items.len() as f64 * share) as usize).min(items.len().saturating_sub(1));
        follows.push(Seeded {
            follow: follow.id,
            curriculum: record.id,
            items,
            done,
        });
    }

    for seeded in &follows {
        for (i, item) in seeded.items.iter().enumerate().take(seeded.done + 1) {
            let status = if i == seeded.done {
                ItemStatus::Doing
            } else if rng.random_bool(0.05) {
                ItemStatus::Skipped
            } else {
                ItemStatus::Done
            };
            db.set_item_status(seeded.follow, user.id, item, status, plan.now)
                .await?;
            counts.states.fetch_add(1, Ordering::Relaxed);
        }
    }

    seed_logs(db, plan, counts, &mut rng, user.id, &follows).await?;

    let token = random_token();
    let csrf = random_token();
    db.create_session(NewSession {
        token_hash: hash_token(&token),
        user: user.id,
        csrf_token: csrf.clone(),
        now: plan.now,
        expires_at: plan.now + SignedDuration::from_hours(24 * 30),
        user_agent: "autodidact seed-load".to_owned(),
        ip: "127.0.0.1".to_owned(),
    })
    .await?;

    // A public profile, with the main follow's progress, for `/@handle`.
    let mut settings = ProfileSettings::default();
    settings.profile = Visibility::Public;
    for section in Section::ALL {
        settings.set_section(section, Visibility::Public);
    }
    db.set_profile_settings(user.id, &settings, plan.now)
        .await?;
    if let Some(main) = follows.first() {
        db.set_follow_visibility(main.follow, user.id, Visibility::Public, plan.now)
            .await?;
    }

    Ok(follows
        .iter()
        .map(|s| {
            let item = s.items.get(s.done).map_or("", ItemId::as_str);
            format!(
                "{token},{csrf},{},{},{item},{handle},{upstream}",
                s.follow.0, s.curriculum.0
            )
        })
        .collect())
}

/// `curriculum`'s file with one more practice item at the end, as its author might add one.
fn with_added_item(curriculum: &Curriculum) -> String {
    let mut changed = curriculum.clone();
    if let Some(last) = changed
        .phases
        .last_mut()
        .and_then(|p| p.items.last().cloned())
    {
        let mut added = last;
        added.id = ItemId::parse("added-upstream").unwrap_or(added.id);
        added.title = "Added upstream".to_owned();
        added.requires.clear();
        if let Some(phase) = changed.phases.last_mut() {
            phase.items.push(added);
        }
    }
    autodidact_core::curriculum::write_toml(&changed)
}

/// About a log a day for a year: study comes in streaks with gaps between (a two-state chain:
/// a study day is followed by another 85% of the time, a day off by a study day 55% of the
/// time), and a quarter of study days have a second session.
async fn seed_logs(
    db: &Db,
    plan: &Plan,
    counts: &Counts,
    rng: &mut StdRng,
    user: UserId,
    follows: &[Seeded],
) -> Result<()> {
    const NOTES: [&str; 5] = [
        "",
        "Worked through the exercises.",
        "Re-read the chapter and took notes.",
        "Stuck on a bug for an hour, then fixed it.",
        "Watched two lectures.",
    ];
    let mut studying = true;
    for back in (0..LOG_DAYS).rev() {
        studying = rng.random_bool(if studying { 0.85 } else { 0.55 });
        if !studying {
            continue;
        }
        let day = plan.today - back.days();
        let sessions = if rng.random_bool(0.27) { 2 } else { 1 };
        for _ in 0..sessions {
            // Mostly the main curriculum; now and then another, or no curriculum at all.
            let pick = rng.random_range(0..100u8);
            let seeded = match pick {
                0..70 => follows.first(),
                70..85 => follows.get(1),
                85..95 => follows.get(2),
                _ => None,
            };
            // The item in progress on that day, as progress went on over the year.
            let item = seeded.and_then(|s| {
                if rng.random_bool(0.08) {
                    return None;
                }
                let progress = (LOG_DAYS - back) as f64 / LOG_DAYS as f64;
                let at = ((s.done as f64 + 1.0) * progress) as usize;
                s.items.get(at.min(s.done)).cloned()
            });
            let kind = match rng.random_range(0..100u8) {
                0..55 => LogKind::Learn,
                55..85 => LogKind::Build,
                _ => LogKind::Review,
            };
            let at = day
                .at(rng.random_range(7..23), rng.random_range(0..60), 0, 0)
                .to_zoned(TimeZone::UTC)?
                .timestamp();
            db.add_log(NewLog {
                user,
                follow: seeded.map(|s| s.follow),
                item,
                minutes: Minutes::new(5 * rng.random_range(3..=36u32)),
                kind,
                day,
                note: NOTES[rng.random_range(0..NOTES.len())].to_owned(),
                idempotency_key: None,
                start_item: false,
                finish_item: false,
                now: at.min(plan.now),
            })
            .await?;
            counts.logs.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}
