//! `autodidact demo`: the demo learner, written into a fresh SQLite file and read back through
//! the store.

use std::path::Path;

use autodidact_core::accounts::{Handle, Zone};
use autodidact_core::curriculum::{Minutes, check_toml};
use autodidact_core::follow::{
    CurriculumCache, Progress, finished_items, load_follow, plan_in_force,
};
use autodidact_core::insight::burnup::standing;
use autodidact_core::plan::Break;
use autodidact_core::store::{
    AccountStore, CommitmentStore, CurriculumStore, Follow, FollowStore, InsightStore, ItemStatus,
    LogStore, ReviewStore, StudyLog,
};
use autodidact_store::Db;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};

use crate::{autodidact, stderr, stdout};

const TODAY: Date = date(2026, 9, 7);

fn url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("demo.db").display())
}

fn demo(dir: &Path, extra: &[&str]) -> std::process::Output {
    let url = url(dir);
    let mut args = vec!["demo", "--database-url", &url, "--today", "2026-09-07"];
    args.extend_from_slice(extra);
    autodidact(dir, &args)
}

/// Every log of the learner, their follows (the main one first) and the database.
fn read_back(
    dir: &Path,
    handle: &str,
) -> (tokio::runtime::Runtime, Db, Vec<StudyLog>, Vec<Follow>) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (db, logs, follows) = runtime.block_on(async {
        let db = Db::connect(&url(dir)).await.unwrap();
        let user = db
            .user_by_handle(&Handle::parse(handle).unwrap())
            .await
            .unwrap()
            .expect("the demo learner exists");
        let logs = db
            .logs_between(user.id, date(2000, 1, 1), date(2100, 1, 1))
            .await
            .unwrap();
        let mut follows = db.follows_of(user.id).await.unwrap();
        // The main curriculum was followed first.
        follows.sort_by_key(|f| f.created_at);
        (db, logs, follows)
    });
    (runtime, db, logs, follows)
}

#[test]
fn the_demo_prints_how_to_sign_in_and_refuses_a_second_run_on_the_same_handle() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo(dir.path(), &["--logs", "600"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("handle:   demo"), "{text}");
    assert!(text.contains("password: demo-year-of-study"), "{text}");
    assert!(
        text.contains(&format!(
            "autodidact serve --database-url {}",
            url(dir.path())
        )),
        "{text}"
    );
    assert!(text.contains("/signin"), "{text}");
    assert!(text.contains("behind the plan by"), "{text}");

    let again = demo(dir.path(), &["--logs", "600"]);
    assert!(!again.status.success());
    let error = stderr(&again);
    assert!(
        error.contains("already has a learner @demo") && error.contains("--handle"),
        "{error}"
    );
    let (_runtime, _db, logs, _) = read_back(dir.path(), "demo");
    assert!((590..=610).contains(&logs.len()), "{} logs", logs.len());

    let other = demo(dir.path(), &["--logs", "600", "--handle", "demo2"]);
    assert!(other.status.success(), "{}", stderr(&other));
    assert!(stdout(&other).contains("handle:   demo2"));
}

#[test]
fn the_demo_learner_is_behind_a_replanned_plan_with_commitments_reviews_and_a_break() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo(dir.path(), &["--logs", "600"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (runtime, db, logs, follows) = read_back(dir.path(), "demo");
    assert_eq!(follows.len(), 2);
    let main = &follows[0];
    let user = main.user;
    // Re-planned three months ago: the plan in force starts then.
    assert_eq!(main.start, TODAY - 90.days());
    assert_eq!(follows[1].start, TODAY - 120.days());

    // A declared two-week vacation, and no log on it nor outside the year.
    assert_eq!(main.breaks.len(), 1, "{:?}", main.breaks);
    let vacation: Break = main.breaks[0];
    let Break::Dates { from, to } = vacation else {
        panic!("{vacation:?}")
    };
    assert_eq!(to, from + 13.days());
    for log in &logs {
        assert!(!vacation.covers(log.day), "a log on {}", log.day);
        assert!(
            log.day >= TODAY - 365.days() && log.day <= TODAY,
            "a log on {}",
            log.day
        );
        assert!(log.follow.is_some() && log.item.is_some());
    }
    // A burnout week: some 7 days hold more than 30 hours.
    let mut per_day = std::collections::BTreeMap::<Date, u32>::new();
    for log in &logs {
        *per_day.entry(log.day).or_default() += log.minutes.get();
    }
    let worst = per_day
        .keys()
        .map(|&d| per_day.range(d..d + 7.days()).map(|(_, m)| m).sum::<u32>())
        .max()
        .unwrap();
    assert!(worst > 30 * 60, "the busiest week holds {worst} minutes");

    runtime.block_on(async {
        // One re-plan, three months ago, keeping 10 h a week; the first plan started a year ago.
        let revisions = db.plan_revisions(main.id).await.unwrap();
        assert_eq!(revisions.len(), 1);
        assert_eq!(revisions[0].start, TODAY - 365.days());
        assert_eq!(revisions[0].replaced_on, TODAY - 90.days());
        assert_eq!(
            (revisions[0].budget.to_string(), main.budget.to_string()),
            ("10".to_owned(), "10".to_owned())
        );
        assert!(!main.plan_done.is_empty() && !main.plan_base.is_zero());

        let weekly: Vec<Option<u32>> = db
            .commitments(user)
            .await
            .unwrap()
            .iter()
            .map(|c| c.weekly.map(|m| m.get() / 60))
            .collect();
        assert_eq!(weekly, [Some(8), Some(10), Some(6), Some(8)]);

        let reviews = db.reviews_of_user(user).await.unwrap();
        assert_eq!(reviews.len(), 3);
        assert!(reviews.iter().any(|r| r.due <= TODAY), "{reviews:?}");
        for review in &reviews {
            assert!(
                !db.review_events(main.id, &review.item)
                    .await
                    .unwrap()
                    .is_empty()
            );
        }
        assert!(!db.evidence(main.id).await.unwrap().is_empty());

        // Behind the plan in force, and items took 1.1 to 1.5 times their estimates.
        let record = db.curriculum(main.curriculum).await.unwrap().unwrap();
        let curriculum = check_toml(&record.source).curriculum.unwrap();
        let states = db.item_states(main.id).await.unwrap();
        assert!(states.iter().any(|s| !s.notes.is_empty()));
        assert_eq!(
            states
                .iter()
                .filter(|s| s.status == ItemStatus::Doing)
                .count(),
            1
        );
        // The dashboard's own rules: earned value, calibration and the plan in force.
        let followed = load_follow(&db, &CurriculumCache::new(), main.clone(), Weekday::Monday)
            .await
            .unwrap();
        assert_eq!(*followed.curriculum, curriculum);
        let minutes = db.follow_minutes(main.id).await.unwrap();
        let progress = Progress::new(&followed, &minutes, &Zone::utc(), TODAY);
        let (logged, estimated) = finished_items(&followed, &progress)
            .iter()
            .fold((0, 0), |(l, e), i| {
                (l + i.logged.get(), e + i.estimate.get())
            });
        let ratio = f64::from(logged) / f64::from(estimated);
        assert!((1.15..=1.45).contains(&ratio), "calibration {ratio}");
        assert_eq!(main.breaks, vec![vacation]);
        let (_, plan) = plan_in_force(&followed).unwrap();
        let standing = standing(&plan, progress.earned_today, TODAY);
        assert!(
            standing.behind > Minutes::from_hours(20) && standing.days > 7,
            "{standing:?}"
        );
    });
}

#[test]
fn the_default_demo_writes_about_five_thousand_logs() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_runtime, _db, logs, _) = read_back(dir.path(), "demo");
    assert!((4950..=5050).contains(&logs.len()), "{} logs", logs.len());
}
