use autodidact_core::curriculum::Minutes;
use autodidact_core::plan::BudgetHistory;
use autodidact_core::review::Grade;
use autodidact_core::store::{
    CommitmentStore, FollowStore, InsightStore, LogKind, LogStore, Replanned, ReviewStore,
};

use crate::fixtures::{
    Learner, assert_conflict, assert_not_found, at, budget, date, item, learner_with_follow,
    new_log, on_item,
};
use autodidact_store::testing::backends;

#[tokio::test]
async fn daily_minutes_are_summed_per_day_and_kind_within_the_range() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let bob = Learner::new("bob").create(&db).await;
        for (minutes, day, kind) in [
            (30, "2026-01-05", LogKind::Learn),
            (45, "2026-01-05", LogKind::Learn),
            (60, "2026-01-05", LogKind::Build),
            (20, "2026-01-07", LogKind::Review),
            (90, "2026-01-09", LogKind::Learn),
        ] {
            let mut log = on_item(new_log(&ada, minutes, day), &adas, "intro");
            log.kind = kind;
            db.add_log(log).await.unwrap();
        }
        db.add_log(new_log(&bob, 500, "2026-01-05")).await.unwrap();
        let got = db
            .daily_minutes(ada.id, date("2026-01-05"), date("2026-01-08"))
            .await
            .unwrap();
        assert_eq!(
            got,
            vec![
                (date("2026-01-05"), LogKind::Build, Minutes::new(60)),
                (date("2026-01-05"), LogKind::Learn, Minutes::new(75)),
                (date("2026-01-07"), LogKind::Review, Minutes::new(20)),
            ]
        );
    }
}

#[tokio::test]
async fn follow_minutes_group_by_day_and_item_including_logs_without_an_item() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        db.add_log(on_item(new_log(&ada, 30, "2026-01-05"), &adas, "intro"))
            .await
            .unwrap();
        db.add_log(on_item(new_log(&ada, 15, "2026-01-05"), &adas, "intro"))
            .await
            .unwrap();
        let mut general = new_log(&ada, 40, "2026-01-06");
        general.follow = Some(adas.id);
        db.add_log(general).await.unwrap();
        db.add_log(new_log(&ada, 99, "2026-01-06")).await.unwrap();
        let got = db.follow_minutes(adas.id).await.unwrap();
        assert_eq!(
            got,
            vec![
                (date("2026-01-05"), Some(item("intro")), Minutes::new(45)),
                (date("2026-01-06"), None, Minutes::new(40)),
            ]
        );
    }
}

#[tokio::test]
async fn a_dismissal_is_remembered_once_and_only_for_its_user() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let bob = Learner::new("bob").create(&db).await;
        db.dismiss(ada.id, "no-rest:2026-03-01", at(5))
            .await
            .unwrap();
        db.dismiss(ada.id, "no-rest:2026-03-01", at(6))
            .await
            .unwrap();
        assert_eq!(
            db.dismissals(ada.id).await.unwrap(),
            vec!["no-rest:2026-03-01".to_owned()]
        );
        assert!(db.dismissals(bob.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_replan_keeps_the_old_plan_as_a_numbered_revision() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let first = Replanned {
            budget: budget("25"),
            start: date("2026-03-02"),
            history: BudgetHistory::starting(date("2026-03-02"), budget("25")),
            done: vec![item("intro")],
            base: Minutes::new(600),
            today: date("2026-03-02"),
            now: at(500),
        };
        db.replan(adas.id, ada.id, first).await.unwrap();
        let second = Replanned {
            budget: budget("30"),
            start: date("2026-04-06"),
            history: BudgetHistory::starting(date("2026-04-06"), budget("30")),
            done: vec![item("intro"), item("linear-algebra")],
            base: Minutes::new(1200),
            today: date("2026-04-06"),
            now: at(900),
        };
        db.replan(adas.id, ada.id, second).await.unwrap();

        let follow = db.follow(adas.id).await.unwrap().unwrap();
        assert_eq!(
            (follow.budget, follow.start),
            (budget("30"), date("2026-04-06"))
        );
        assert_eq!(
            follow.plan_done,
            vec![item("intro"), item("linear-algebra")]
        );
        assert_eq!(follow.plan_base, Minutes::new(1200));

        let revisions = db.plan_revisions(adas.id).await.unwrap();
        assert_eq!(revisions.len(), 2);
        assert_eq!(revisions[0].number, 1);
        assert_eq!(revisions[0].budget, adas.budget);
        assert_eq!(revisions[0].start, adas.start);
        assert!(revisions[0].done.is_empty());
        assert_eq!(revisions[0].base, Minutes::ZERO);
        assert_eq!(revisions[0].replaced_on, date("2026-03-02"));
        assert_eq!(revisions[1].number, 2);
        assert_eq!(revisions[1].budget, budget("25"));
        assert_eq!(revisions[1].done, vec![item("intro")]);
        assert_eq!(revisions[1].base, Minutes::new(600));
    }
}

#[tokio::test]
async fn nobody_can_replan_another_learners_follow() {
    for db in backends().await {
        let (_, _, adas) = learner_with_follow(&db, "ada").await;
        let bob = Learner::new("bob").create(&db).await;
        let attempt = Replanned {
            budget: budget("1"),
            start: date("2026-03-02"),
            history: BudgetHistory::starting(date("2026-03-02"), budget("1")),
            done: Vec::new(),
            base: Minutes::ZERO,
            today: date("2026-03-02"),
            now: at(500),
        };
        assert_not_found(db.replan(adas.id, bob.id, attempt).await);
        assert!(db.plan_revisions(adas.id).await.unwrap().is_empty());
        assert_eq!(
            db.follow(adas.id).await.unwrap().unwrap().budget,
            adas.budget
        );
    }
}

#[tokio::test]
async fn commitments_are_kept_in_the_order_requested_including_pauses() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let bob = Learner::new("bob").create(&db).await;
        let a = db
            .add_commitment(ada.id, date("2026-01-05"), Some(Minutes::new(600)), at(1))
            .await
            .unwrap();
        db.add_commitment(bob.id, date("2026-01-05"), Some(Minutes::new(60)), at(1))
            .await
            .unwrap();
        db.add_commitment(ada.id, date("2026-02-02"), None, at(2))
            .await
            .unwrap();
        db.add_commitment(ada.id, date("2026-02-02"), Some(Minutes::new(300)), at(2))
            .await
            .unwrap();
        let record = db.commitments(ada.id).await.unwrap();
        assert_eq!(record.len(), 3);
        assert_eq!(record[0], a);
        let numbers: Vec<u32> = record.iter().map(|c| c.number).collect();
        assert_eq!(numbers, vec![1, 2, 3]);
        assert_eq!(record[1].weekly, None);
        assert_eq!(record[2].weekly, Some(Minutes::new(300)));
        assert_eq!(db.commitments(bob.id).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_review_is_marked_graded_and_unmarked_by_its_owner_only() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let bob = Learner::new("bob").create(&db).await;
        let intro = item("intro");
        let marked = db
            .mark_review(
                adas.id,
                ada.id,
                &intro,
                "{\"s\":1}",
                date("2026-02-01"),
                at(10),
            )
            .await
            .unwrap();
        assert_eq!(marked.due, date("2026-02-01"));
        assert_conflict(
            db.mark_review(adas.id, ada.id, &intro, "{}", date("2026-02-01"), at(11))
                .await,
            "reviews_pkey",
        );
        assert_not_found(
            db.mark_review(
                adas.id,
                bob.id,
                &item("other"),
                "{}",
                date("2026-02-01"),
                at(11),
            )
            .await,
        );
        assert_not_found(
            db.record_review(
                adas.id,
                bob.id,
                &intro,
                Grade::Good,
                date("2026-02-01"),
                "{}",
                date("2026-03-01"),
                at(12),
            )
            .await,
        );
        let event = db
            .record_review(
                adas.id,
                ada.id,
                &intro,
                Grade::Good,
                date("2026-02-01"),
                "{\"s\":2}",
                date("2026-02-20"),
                at(12),
            )
            .await
            .unwrap();
        assert_eq!(event.grade, Grade::Good);
        let reviews = db.reviews_of_user(ada.id).await.unwrap();
        assert_eq!(reviews.len(), 1);
        assert_eq!(
            (reviews[0].state.as_str(), reviews[0].due),
            ("{\"s\":2}", date("2026-02-20"))
        );
        assert_eq!(db.reviews_of(adas.id).await.unwrap(), reviews);
        assert!(db.reviews_of_user(bob.id).await.unwrap().is_empty());
        assert_eq!(
            db.review_events(adas.id, &intro).await.unwrap(),
            vec![event]
        );
        assert_not_found(db.unmark_review(adas.id, bob.id, &intro).await);
        db.unmark_review(adas.id, ada.id, &intro).await.unwrap();
        assert!(db.reviews_of(adas.id).await.unwrap().is_empty());
        assert!(db.review_events(adas.id, &intro).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn deleting_a_follow_removes_its_reviews_and_revisions() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        db.mark_review(
            adas.id,
            ada.id,
            &item("intro"),
            "{}",
            date("2026-02-01"),
            at(10),
        )
        .await
        .unwrap();
        db.replan(
            adas.id,
            ada.id,
            Replanned {
                budget: budget("5"),
                start: date("2026-02-01"),
                history: BudgetHistory::starting(date("2026-02-01"), budget("5")),
                done: Vec::new(),
                base: Minutes::ZERO,
                today: date("2026-02-01"),
                now: at(20),
            },
        )
        .await
        .unwrap();
        db.delete_follow(adas.id, ada.id).await.unwrap();
        assert!(db.reviews_of_user(ada.id).await.unwrap().is_empty());
        assert!(db.plan_revisions(adas.id).await.unwrap().is_empty());
    }
}

/// The running totals, recomputed from the logs themselves.
async fn totals_from_logs(
    db: &autodidact_store::Db,
    user: &autodidact_core::store::User,
    follow: autodidact_core::store::FollowId,
) -> (
    Vec<(jiff::civil::Date, LogKind, Minutes)>,
    Vec<(
        jiff::civil::Date,
        Option<autodidact_core::curriculum::ItemId>,
        Minutes,
    )>,
) {
    use std::collections::BTreeMap;
    let logs = db
        .logs_between(user.id, date("2000-01-01"), date("2100-01-01"))
        .await
        .unwrap();
    let mut days: BTreeMap<_, Minutes> = BTreeMap::new();
    let mut items: BTreeMap<_, Minutes> = BTreeMap::new();
    for log in &logs {
        let d = days.entry((log.day, log.kind.as_str())).or_default();
        *d = d.saturating_add(log.minutes);
        if log.follow == Some(follow) {
            let key = (log.day, log.item.clone());
            let i = items.entry(key).or_default();
            *i = i.saturating_add(log.minutes);
        }
    }
    (
        days.into_iter()
            .map(|((d, k), m)| (d, LogKind::parse(k).unwrap(), m))
            .collect(),
        items.into_iter().map(|((d, i), m)| (d, i, m)).collect(),
    )
}

#[tokio::test]
async fn the_running_totals_follow_every_add_change_and_delete() {
    use autodidact_core::store::LogChange;
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let (_, _, other) = {
            let c = crate::fixtures::curriculum(&db, &ada, "second path").await;
            let f = crate::fixtures::follow(&db, &ada, &c).await;
            ((), c, f)
        };
        let mut ids = Vec::new();
        for n in 0..24u32 {
            let day = format!("2026-02-{:02}", 1 + n % 5);
            let mut log = new_log(&ada, 10 + n * 7, &day);
            log.kind = LogKind::ALL[(n % 3) as usize];
            match n % 4 {
                0 => log = on_item(log, &adas, "intro"),
                1 => log = on_item(log, &adas, "linear-algebra"),
                2 => log.follow = Some(adas.id),
                _ => {}
            }
            ids.push(db.add_log(log).await.unwrap().0.id);
        }
        // Move logs between days, kinds, items and follows; shrink some; delete some.
        for (n, id) in ids.iter().enumerate().filter(|(n, _)| n % 3 == 0) {
            let change = LogChange {
                follow: Some(if n % 2 == 0 { other.id } else { adas.id }),
                item: (n % 2 == 1).then(|| item("intro")),
                minutes: Minutes::new(5 + n as u32),
                kind: LogKind::Build,
                day: date("2026-02-09"),
                note: String::new(),
            };
            db.update_log(*id, ada.id, change).await.unwrap();
        }
        for id in ids.iter().skip(1).step_by(5) {
            db.delete_log(*id, ada.id).await.unwrap();
        }
        let (days, items) = totals_from_logs(&db, &ada, adas.id).await;
        let read = db
            .daily_minutes(ada.id, date("2000-01-01"), date("2100-01-01"))
            .await
            .unwrap();
        assert_eq!(read, days);
        assert_eq!(db.follow_minutes(adas.id).await.unwrap(), items);
        // The whole-database check agrees, and sees a total set wrong behind its back.
        let sound = db.verify().await.unwrap();
        assert!(sound.is_sound(), "{sound:?}");
        assert_eq!(sound.logs, 24 - 5);
        db.execute("UPDATE log_days SET build = build + 1 WHERE day = '2026-02-09'")
            .await;
        db.execute(
            "UPDATE log_item_days SET minutes = minutes + 1 \
             WHERE day = (SELECT MIN(day) FROM log_item_days)",
        )
        .await;
        let off = db.verify().await.unwrap();
        assert_eq!(off.learner_days_off, 1, "{off:?}");
        assert!(off.item_days_off >= 1, "{off:?}");
        assert!(!off.is_sound());
        db.execute("UPDATE log_days SET build = build - 1 WHERE day = '2026-02-09'")
            .await;
        db.execute(
            "UPDATE log_item_days SET minutes = minutes - 1 \
             WHERE day = (SELECT MIN(day) FROM log_item_days)",
        )
        .await;

        // A follow that goes takes its totals with it; the learner's days keep the time.
        db.delete_follow(other.id, ada.id).await.unwrap();
        assert!(db.follow_minutes(other.id).await.unwrap().is_empty());
        let after = db
            .daily_minutes(ada.id, date("2000-01-01"), date("2100-01-01"))
            .await
            .unwrap();
        assert_eq!(after, days);
    }
}
