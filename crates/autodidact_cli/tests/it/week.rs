//! `autodidact week`: the weekly summary from a local SQLite database.

use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::plan::start_of_week;
use autodidact_core::store::{FollowStore, ItemStatus, LogKind, LogStore, NewLog};
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};

use crate::fixtures::{DEEP_LEARNING, ada, follow, open};
use crate::{autodidact, stderr, stdout};

/// @ada following the curriculum at 10 h a week from this week's Monday, with 1.5 h on the
/// course today, the course done, and half an hour without an item.
async fn fixture(url: &str, today: Date) {
    let db = open(url).await;
    let now = Timestamp::now();
    let ada = ada(&db).await;
    let (_, follow) = follow(
        &db,
        ada,
        DEEP_LEARNING,
        start_of_week(today, Weekday::Monday),
    )
    .await;
    let course = ItemId::parse("fast-ai-part-1").unwrap();
    for (item, minutes) in [(Some(course.clone()), 90), (None, 30)] {
        db.add_log(NewLog {
            user: ada,
            follow: item.as_ref().map(|_| follow),
            item,
            minutes: Minutes::new(minutes),
            kind: LogKind::Learn,
            day: today,
            note: String::new(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now,
        })
        .await
        .unwrap();
    }
    db.set_item_status(follow, ada, &course, ItemStatus::Done, now)
        .await
        .unwrap();
    db.close().await;
}

#[test]
fn week_prints_hours_by_item_finished_items_and_next_weeks_plan() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("autodidact.db").display());
    // New accounts are in UTC.
    let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(fixture(&url, today));
    let monday = start_of_week(today, Weekday::Monday);

    let out = autodidact(
        dir.path(),
        &["week", "--user", "ada", "--database-url", &url],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("Week of {}", monday.strftime("%-d %b %Y"))),
        "{text}"
    );
    assert!(text.contains("Time studied: 2 h\n"), "{text}");
    assert!(
        text.contains("learn 2 h · build 0 h · review 0 h"),
        "{text}"
    );
    assert!(
        text.contains("   1.5 h  Practical Deep Learning (Deep learning)\n"),
        "{text}"
    );
    assert!(text.contains("  30 min  (without an item)\n"), "{text}");
    assert!(
        text.contains("Finished:\n  Practical Deep Learning (Deep learning), "),
        "{text}"
    );
    assert!(text.contains("Streak: 1 day on "), "{text}");
    assert!(text.contains("Commitment: none this week"), "{text}");
    assert!(
        text.contains("  Deep learning: 10 h\n      10 h  Linear Algebra Done Right\n"),
        "{text}"
    );

    // Another week: moved back to its Monday, and empty.
    let out = autodidact(
        dir.path(),
        &[
            "week",
            "--user",
            "ada",
            "--start",
            "2020-01-01",
            "--database-url",
            &url,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Week of 30 Dec 2019"), "{text}");
    assert!(text.contains("Time studied: 0 h\n"), "{text}");
    assert!(text.contains("nothing this week"), "{text}");

    let out = autodidact(
        dir.path(),
        &[
            "week",
            "--user",
            "ada",
            "--start",
            "soon",
            "--database-url",
            &url,
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("year-month-day"), "{}", stderr(&out));
    let out = autodidact(
        dir.path(),
        &["week", "--user", "bob", "--database-url", &url],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no learner @bob"), "{}", stderr(&out));
}

#[test]
fn import_into_shows_what_a_file_changes_and_applies_it_only_with_yes() {
    use autodidact_core::store::{AccountStore, CurriculumStore};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("autodidact.db").display());
    let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(fixture(&url, today));
    let curriculum = runtime.block_on(async {
        let db = open(&url).await;
        let user = db
            .user_by_handle(&autodidact_core::accounts::Handle::parse("ada").unwrap())
            .await
            .unwrap()
            .unwrap();
        let c = db.curricula_of(user.id).await.unwrap().remove(0);
        db.close().await;
        c
    });
    let edited = DEEP_LEARNING.replace("hours = 20", "hours = 25")
        + "[[phases.items]]\nid = \"cs231n\"\nkind = \"course\"\ntitle = \"CS231n\"\nhours = 40\n";
    std::fs::write(dir.path().join("edited.toml"), &edited).unwrap();
    let id = curriculum.id.0.to_string();
    let args = [
        "import",
        "edited.toml",
        "--into",
        &id,
        "--user",
        "ada",
        "--database-url",
        &url,
    ];
    let shown = autodidact(dir.path(), &args);
    assert!(shown.status.success(), "{}", stderr(&shown));
    let text = stdout(&shown);
    assert!(text.contains("hours 50 h → 95 h"), "{text}");
    assert!(text.contains("  + CS231n (cs231n, 40 h)"), "{text}");
    assert!(
        text.contains("  ~ Practical Deep Learning (fast-ai-part-1): hours 20 h → 25 h"),
        "{text}"
    );
    assert!(
        text.contains("Nothing was changed: run again with --yes"),
        "{text}"
    );
    let stored = |url: &str| {
        runtime.block_on(async {
            let db = open(url).await;
            let c = db.curriculum(curriculum.id).await.unwrap().unwrap();
            let logs = db.recent_logs(curriculum.owner, 10).await.unwrap();
            db.close().await;
            (c.source, logs.len())
        })
    };
    assert_eq!(stored(&url), (curriculum.source.clone(), 2));

    let mut yes = args.to_vec();
    yes.push("--yes");
    let applied = autodidact(dir.path(), &yes);
    assert!(applied.status.success(), "{}", stderr(&applied));
    assert!(stdout(&applied).contains("Applied"), "{}", stdout(&applied));
    let (source, logs) = stored(&url);
    assert!(source.contains("cs231n"));
    assert_eq!(logs, 2, "the logs stay");
    // The same file again changes nothing, and says so.
    let again = autodidact(dir.path(), &yes);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("changes nothing"),
        "{}",
        stderr(&again)
    );
}
