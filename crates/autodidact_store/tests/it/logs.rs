use autodidact_core::curriculum::Minutes;
use autodidact_core::store::{LogChange, LogKind, LogStore, StudyLog};

use crate::fixtures::{
    Learner, assert_not_found, at, date, item, learner_with_follow, new_log, on_item,
};
use autodidact_store::testing::backends;

fn days(logs: &[StudyLog]) -> Vec<String> {
    logs.iter().map(|l| l.day.to_string()).collect()
}

#[tokio::test]
async fn a_log_is_read_back_as_it_was_written() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let mut new = on_item(new_log(&ada, 90, "2026-01-06"), &adas, "intro");
        new.kind = LogKind::Build;
        new.note = "wrote the parser".to_owned();
        let (log, created) = db.add_log(new).await.unwrap();
        assert!(created);
        assert!(log.id.0 > 0);
        assert_eq!(log.user, ada.id);
        assert_eq!(
            (log.follow, log.item.clone()),
            (Some(adas.id), Some(item("intro")))
        );
        assert_eq!((log.minutes, log.kind), (Minutes::new(90), LogKind::Build));
        assert_eq!(
            (log.day, log.note.as_str()),
            (date("2026-01-06"), "wrote the parser")
        );
        assert_eq!(log.created_at, at(100));
        assert_eq!(db.log(log.id).await.unwrap(), Some(log.clone()));
        assert_eq!(
            db.log(autodidact_core::store::LogId(log.id.0 ^ 1))
                .await
                .unwrap(),
            None
        );
    }
}

#[tokio::test]
async fn a_log_of_zero_minutes_is_refused() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        assert!(db.add_log(new_log(&ada, 0, "2026-01-06")).await.is_err());
        assert!(db.recent_logs(ada.id, 10).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_repeated_idempotency_key_returns_the_first_log_and_stores_nothing() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        let mut first = new_log(&ada, 30, "2026-01-06");
        first.idempotency_key = Some("retry-1".to_owned());
        let (stored, created) = db.add_log(first.clone()).await.unwrap();
        assert!(created);

        let mut retry = new_log(&ada, 45, "2026-01-07");
        retry.idempotency_key = Some("retry-1".to_owned());
        let (again, created) = db.add_log(retry).await.unwrap();
        assert!(!created);
        assert_eq!(again, stored);
        assert_eq!(db.recent_logs(ada.id, 10).await.unwrap(), [stored]);

        // Keys are per user.
        let mut graces = new_log(&grace, 30, "2026-01-06");
        graces.idempotency_key = Some("retry-1".to_owned());
        assert!(db.add_log(graces).await.unwrap().1);
        // Logs without a key never collide.
        assert!(db.add_log(new_log(&ada, 30, "2026-01-06")).await.unwrap().1);
        assert!(db.add_log(new_log(&ada, 30, "2026-01-06")).await.unwrap().1);
        assert_eq!(db.recent_logs(ada.id, 10).await.unwrap().len(), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_retries_with_one_key_store_one_log() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        for round in 0..5 {
            let mut new = on_item(new_log(&ada, 25, "2026-01-06"), &adas, "intro");
            new.idempotency_key = Some(format!("race-{round}"));
            let (a, b) = (db.db.clone(), db.db.clone());
            let (na, nb) = (new.clone(), new);
            let (ra, rb) = tokio::join!(
                tokio::spawn(async move { a.add_log(na).await }),
                tokio::spawn(async move { b.add_log(nb).await })
            );
            let (la, created_a) = ra.unwrap().unwrap();
            let (lb, created_b) = rb.unwrap().unwrap();
            assert_eq!(la, lb, "both retries see the same log");
            assert!(created_a ^ created_b, "exactly one of them created it");
        }
        let logs = db.recent_logs(ada.id, 100).await.unwrap();
        assert_eq!(logs.len(), 5);
    }
}

#[tokio::test]
async fn logs_between_includes_both_bounds_newest_first() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        for (minutes, day, now) in [
            (10, "2026-01-04", 1),
            (20, "2026-01-05", 2),
            (30, "2026-01-07", 3),
            (40, "2026-01-05", 4),
            (50, "2026-01-08", 5),
        ] {
            let mut log = new_log(&ada, minutes, day);
            log.now = at(now);
            db.add_log(log).await.unwrap();
        }
        db.add_log(new_log(&grace, 5, "2026-01-06")).await.unwrap();

        let logs = db
            .logs_between(ada.id, date("2026-01-05"), date("2026-01-07"))
            .await
            .unwrap();
        assert_eq!(days(&logs), ["2026-01-07", "2026-01-05", "2026-01-05"]);
        // On the same day, the later logged comes first.
        let minutes: Vec<u32> = logs.iter().map(|l| l.minutes.get()).collect();
        assert_eq!(minutes, [30, 40, 20]);
        assert!(
            db.logs_between(ada.id, date("2026-01-09"), date("2026-02-01"))
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn recent_logs_are_the_latest_by_day_up_to_the_limit() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        for day in ["2026-01-03", "2026-01-09", "2026-01-05", "2026-01-07"] {
            db.add_log(new_log(&ada, 15, day)).await.unwrap();
        }
        let recent = db.recent_logs(ada.id, 3).await.unwrap();
        assert_eq!(days(&recent), ["2026-01-09", "2026-01-07", "2026-01-05"]);
    }
}

#[tokio::test]
async fn minutes_by_item_sums_the_logs_of_the_follow_per_item() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let (grace, _, graces) = learner_with_follow(&db, "grace").await;
        for (minutes, id) in [(30, "intro"), (45, "basics"), (15, "intro")] {
            db.add_log(on_item(new_log(&ada, minutes, "2026-01-06"), &adas, id))
                .await
                .unwrap();
        }
        let mut no_item = new_log(&ada, 60, "2026-01-06");
        no_item.follow = Some(adas.id);
        db.add_log(no_item).await.unwrap();
        db.add_log(on_item(new_log(&grace, 99, "2026-01-06"), &graces, "intro"))
            .await
            .unwrap();

        assert_eq!(
            db.minutes_by_item(adas.id).await.unwrap(),
            [
                (item("basics"), Minutes::new(45)),
                (item("intro"), Minutes::new(45))
            ]
        );
    }
}

#[tokio::test]
async fn logging_time_on_someone_elses_follow_is_refused() {
    for db in backends().await {
        let (ada, _, _) = learner_with_follow(&db, "ada").await;
        let (_, _, graces) = learner_with_follow(&db, "grace").await;
        assert_not_found(
            db.add_log(on_item(new_log(&ada, 30, "2026-01-06"), &graces, "intro"))
                .await,
        );
        assert!(db.recent_logs(ada.id, 10).await.unwrap().is_empty());
        assert!(db.minutes_by_item(graces.id).await.unwrap().is_empty());

        let (log, _) = db.add_log(new_log(&ada, 30, "2026-01-06")).await.unwrap();
        let change = LogChange {
            follow: Some(graces.id),
            item: Some(item("intro")),
            minutes: Minutes::new(30),
            kind: LogKind::Learn,
            day: date("2026-01-06"),
            note: String::new(),
        };
        assert_not_found(db.update_log(log.id, ada.id, change).await);
        assert_eq!(db.log(log.id).await.unwrap(), Some(log));
    }
}

#[tokio::test]
async fn only_the_logger_can_change_or_delete_a_log() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let grace = Learner::new("grace").create(&db).await;
        let (log, _) = db.add_log(new_log(&ada, 30, "2026-01-06")).await.unwrap();
        let change = LogChange {
            follow: Some(adas.id),
            item: Some(item("basics")),
            minutes: Minutes::new(50),
            kind: LogKind::Review,
            day: date("2026-01-08"),
            note: "fixed".to_owned(),
        };

        assert_not_found(db.update_log(log.id, grace.id, change.clone()).await);
        assert_not_found(db.delete_log(log.id, grace.id).await);
        assert_eq!(db.log(log.id).await.unwrap(), Some(log.clone()));

        db.update_log(log.id, ada.id, change).await.unwrap();
        let changed = db.log(log.id).await.unwrap().unwrap();
        assert_eq!(
            (changed.follow, changed.item),
            (Some(adas.id), Some(item("basics")))
        );
        assert_eq!(
            (changed.minutes, changed.kind),
            (Minutes::new(50), LogKind::Review)
        );
        assert_eq!(
            (changed.day, changed.note.as_str()),
            (date("2026-01-08"), "fixed")
        );
        assert_eq!(changed.created_at, log.created_at);

        db.delete_log(log.id, ada.id).await.unwrap();
        assert_eq!(db.log(log.id).await.unwrap(), None);
        assert_not_found(db.delete_log(log.id, ada.id).await);
    }
}

#[tokio::test]
async fn a_log_that_starts_its_item_moves_it_from_to_do_to_doing_only() {
    use autodidact_core::store::{FollowStore, ItemStatus};
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let status = |states: Vec<autodidact_core::store::ItemState>, id: &str| {
            states
                .into_iter()
                .find(|s| s.item == item(id))
                .map(|s| s.status)
        };
        // No state yet: the log starts it.
        let mut new = on_item(new_log(&ada, 30, "2026-01-06"), &adas, "intro");
        new.start_item = true;
        db.add_log(new).await.unwrap();
        let states = db.item_states(adas.id).await.unwrap();
        assert_eq!(status(states, "intro"), Some(ItemStatus::Doing));
        // Done stays done.
        db.set_item_status(adas.id, ada.id, &item("intro"), ItemStatus::Done, at(40))
            .await
            .unwrap();
        let mut again = on_item(new_log(&ada, 30, "2026-01-07"), &adas, "intro");
        again.start_item = true;
        db.add_log(again).await.unwrap();
        let states = db.item_states(adas.id).await.unwrap();
        assert_eq!(status(states, "intro"), Some(ItemStatus::Done));
        // A log that does not start its item leaves the board alone.
        let other = on_item(new_log(&ada, 30, "2026-01-07"), &adas, "linear-algebra");
        db.add_log(other).await.unwrap();
        let states = db.item_states(adas.id).await.unwrap();
        assert_eq!(status(states, "linear-algebra"), None);
    }
}

/// Many logs at once (on SQLite they share commits): every one stored is stored once with its
/// share of the running totals, and one refused in the middle (a day past 24 h, an unknown
/// follow) takes nothing else with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_written_at_once_are_each_kept_or_refused_alone() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let (bob, _, bobs) = learner_with_follow(&db, "bob").await;
        let mut tasks = Vec::new();
        for n in 0..96u32 {
            let (user, follow) = if n % 2 == 0 {
                (&ada, &adas)
            } else {
                (&bob, &bobs)
            };
            // 8 logs of 7 h on each of six days: 3 fit in a day, 5 are refused.
            let mut new = on_item(
                new_log(user, 7 * 60, &format!("2026-02-{:02}", 1 + n % 12)),
                follow,
                "intro",
            );
            new.note = format!("log {n}");
            if n % 16 == 5 {
                // Someone else's follow: refused as not found.
                new.follow = Some(if n % 2 == 0 { bobs.id } else { adas.id });
            }
            let db = db.db.clone();
            tasks.push(tokio::spawn(async move { (n, db.add_log(new).await) }));
        }
        let (mut stored, mut day_full, mut not_found) = (Vec::new(), 0, 0);
        for task in tasks {
            match task.await.unwrap() {
                (n, Ok((log, true))) => {
                    assert_eq!(log.note, format!("log {n}"));
                    stored.push(n);
                }
                (_, Err(autodidact_core::store::StoreError::Conflict { constraint })) => {
                    assert_eq!(constraint, autodidact_core::logs::DAY_FULL);
                    day_full += 1;
                }
                (_, Err(autodidact_core::store::StoreError::NotFound)) => not_found += 1,
                (n, other) => panic!("log {n}: {other:?}"),
            }
        }
        assert_eq!(not_found, 6, "{}", db.label);
        // 12 days (2 learners × 6 days each), 3 logs of 7 h fit in each.
        assert_eq!(stored.len(), 12 * 3, "{}", db.label);
        assert_eq!(day_full, 96 - 6 - 36, "{}", db.label);
        let found = db.verify().await.unwrap();
        assert!(found.is_sound(), "{}: {found:?}", db.label);
        assert_eq!(found.logs, 36, "{}", db.label);
        for user in [&ada, &bob] {
            let logs = db.recent_logs(user.id, 100).await.unwrap();
            assert_eq!(logs.len(), 18, "{}", db.label);
            assert!(logs.iter().all(|l| l.user == user.id));
        }
    }
}
