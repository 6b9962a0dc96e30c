use autodidact_core::store::{
    CurriculumStore, EvidenceKind, FollowId, FollowSettings, FollowStore, ItemState, ItemStatus,
    LogStore, StoreError, Visibility,
};

use crate::fixtures::{
    Learner, assert_conflict, assert_not_found, at, breaks as break_list, budget, curriculum,
    curriculum_before, date, follow, item, learner_with_follow, new_follow, new_log, on_item,
};
use autodidact_store::testing::backends;

#[tokio::test]
async fn a_follow_is_read_back_with_its_plan_and_listed_for_its_user() {
    for db in backends().await {
        let (ada, rust, adas) = learner_with_follow(&db, "ada").await;
        assert_eq!((adas.user, adas.curriculum), (ada.id, rust.id));
        assert_eq!(adas.budget, budget("10"));
        assert_eq!(adas.start, date("2026-01-05"));
        assert_eq!(adas.breaks, break_list(&["2026-12-21..2027-01-03"]));
        assert_eq!(adas.visibility, Visibility::Private);
        assert_eq!((adas.created_at, adas.updated_at), (at(20), at(20)));
        assert_eq!(db.follow(adas.id).await.unwrap(), Some(adas.clone()));

        let sql = curriculum(&db, &ada, "SQL").await;
        let mut later = new_follow(&ada, &sql);
        later.now = at(25);
        later.breaks = vec![];
        let second = db.create_follow(later).await.unwrap();
        assert!(second.breaks.is_empty());
        assert_eq!(db.follows_of(ada.id).await.unwrap(), [adas, second]);
    }
}

#[tokio::test]
async fn following_a_curriculum_twice_is_a_conflict_naming_the_constraint() {
    for db in backends().await {
        let (ada, rust, _) = learner_with_follow(&db, "ada").await;
        assert_conflict(
            db.create_follow(new_follow(&ada, &rust)).await,
            "follows_user_id_curriculum_id_key",
        );
    }
}

#[tokio::test]
async fn following_a_curriculum_that_does_not_exist_is_not_found() {
    for db in backends().await {
        let (ada, mut rust, _) = learner_with_follow(&db, "ada").await;
        db.delete_curriculum(rust.id, ada.id).await.unwrap();
        rust.title = "gone".to_owned();
        assert_not_found(db.create_follow(new_follow(&ada, &rust)).await);
    }
}

fn history(raw: &str, from: jiff::civil::Date) -> autodidact_core::plan::BudgetHistory {
    autodidact_core::plan::BudgetHistory::starting(from, budget(raw))
}

#[tokio::test]
async fn only_the_follower_can_change_or_delete_a_follow() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let grace = Learner::new("grace").create(&db).await;
        let breaks = break_list(&["2026-08-01..2026-08-14", "2026-12-24"]);

        let start = date("2026-02-02");
        let declared = autodidact_core::store::DeclaredBreak::of(&breaks, &[], date("2026-01-20"));
        let settings = |raw: &str| FollowSettings {
            budget: budget(raw),
            history: history(raw, start),
            start,
            breaks: breaks.clone(),
            declared: declared.clone(),
        };
        assert_not_found(
            db.update_follow_plan(adas.id, grace.id, &settings("5"), at(30))
                .await,
        );
        assert_not_found(db.set_calendar_token(adas.id, grace.id, Some("cal")).await);
        assert_not_found(db.delete_follow(adas.id, grace.id).await);
        assert_eq!(db.follow(adas.id).await.unwrap(), Some(adas.clone()));

        db.update_follow_plan(adas.id, ada.id, &settings("mon=2,sat=6"), at(30))
            .await
            .unwrap();
        let changed = db.follow(adas.id).await.unwrap().unwrap();
        assert_eq!(changed.stored_settings(), settings("mon=2,sat=6"));
        assert_eq!(declared.len(), 2);
        assert_eq!(changed.budget, budget("mon=2,sat=6"));
        assert_eq!(changed.budget_history, history("mon=2,sat=6", start));
        assert_eq!(changed.start, start);
        assert_eq!(changed.breaks, breaks);
        assert_eq!((changed.created_at, changed.updated_at), (at(20), at(30)));

        db.delete_follow(adas.id, ada.id).await.unwrap();
        assert_eq!(db.follow(adas.id).await.unwrap(), None);
        assert_not_found(db.delete_follow(adas.id, ada.id).await);
    }
}

#[tokio::test]
async fn a_calendar_token_finds_its_follow_until_it_is_removed() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let (grace, _, graces) = learner_with_follow(&db, "grace").await;
        assert_eq!(db.follow_by_calendar_token("cal-a").await.unwrap(), None);

        db.set_calendar_token(adas.id, ada.id, Some("cal-a"))
            .await
            .unwrap();
        assert_eq!(
            db.follow_by_calendar_token("cal-a").await.unwrap(),
            Some(adas.clone())
        );
        assert_conflict(
            db.set_calendar_token(graces.id, grace.id, Some("cal-a"))
                .await,
            "follows_calendar_token_hash_key",
        );

        // Replacing the token retires the old one.
        db.set_calendar_token(adas.id, ada.id, Some("cal-b"))
            .await
            .unwrap();
        assert_eq!(db.follow_by_calendar_token("cal-a").await.unwrap(), None);
        db.set_calendar_token(adas.id, ada.id, None).await.unwrap();
        assert_eq!(db.follow_by_calendar_token("cal-b").await.unwrap(), None);
        // Many follows may have no token.
        db.set_calendar_token(graces.id, grace.id, None)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn board_states_are_upserted_by_the_follower_only() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let grace = Learner::new("grace").create(&db).await;
        let (intro, basics) = (item("intro"), item("basics"));
        assert!(db.item_states(adas.id).await.unwrap().is_empty());

        db.set_item_status(adas.id, ada.id, &intro, ItemStatus::Doing, at(30))
            .await
            .unwrap();
        db.set_item_notes(adas.id, ada.id, &intro, "Read *chapter 1*", at(31))
            .await
            .unwrap();
        db.set_item_status(adas.id, ada.id, &intro, ItemStatus::Done, at(32))
            .await
            .unwrap();
        // Notes first: the card is still to do.
        db.set_item_notes(adas.id, ada.id, &basics, "later", at(33))
            .await
            .unwrap();

        let expected = vec![
            ItemState {
                item: basics.clone(),
                status: ItemStatus::Todo,
                notes: "later".to_owned(),
                updated_at: at(33),
            },
            ItemState {
                item: intro.clone(),
                status: ItemStatus::Done,
                notes: "Read *chapter 1*".to_owned(),
                updated_at: at(32),
            },
        ];
        assert_eq!(db.item_states(adas.id).await.unwrap(), expected);

        assert_not_found(
            db.set_item_status(adas.id, grace.id, &intro, ItemStatus::Skipped, at(40))
                .await,
        );
        assert_not_found(
            db.set_item_notes(adas.id, grace.id, &item("new"), "mine", at(40))
                .await,
        );
        assert_eq!(db.item_states(adas.id).await.unwrap(), expected);
    }
}

#[tokio::test]
async fn evidence_is_added_listed_and_deleted_by_the_follower_only() {
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let grace = Learner::new("grace").create(&db).await;
        let intro = item("intro");
        let repo = db
            .add_evidence(
                adas.id,
                ada.id,
                &intro,
                EvidenceKind::Repository,
                "https://example.org/ada/repo",
                "My repo",
                at(30),
            )
            .await
            .unwrap();
        assert_eq!((repo.follow, &repo.item), (adas.id, &intro));
        assert_eq!(
            (repo.kind, repo.created_at),
            (EvidenceKind::Repository, at(30))
        );
        let cert = db
            .add_evidence(
                adas.id,
                ada.id,
                &intro,
                EvidenceKind::Certificate,
                "u",
                "t",
                at(31),
            )
            .await
            .unwrap();
        assert_eq!(
            db.evidence(adas.id).await.unwrap(),
            [repo.clone(), cert.clone()]
        );

        let refused = db
            .add_evidence(
                adas.id,
                grace.id,
                &intro,
                EvidenceKind::Post,
                "u",
                "t",
                at(32),
            )
            .await;
        assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
        assert_not_found(db.delete_evidence(adas.id, grace.id, repo.id).await);
        assert_eq!(db.evidence(adas.id).await.unwrap().len(), 2);

        db.delete_evidence(adas.id, ada.id, repo.id).await.unwrap();
        assert_eq!(db.evidence(adas.id).await.unwrap(), [cert]);
        assert_not_found(db.delete_evidence(adas.id, ada.id, repo.id).await);
    }
}

#[tokio::test]
async fn deleting_a_follow_removes_its_board_and_evidence_and_unlinks_its_logs() {
    for db in backends().await {
        let (ada, rust, adas) = learner_with_follow(&db, "ada").await;
        let intro = item("intro");
        db.set_item_status(adas.id, ada.id, &intro, ItemStatus::Done, at(30))
            .await
            .unwrap();
        db.add_evidence(
            adas.id,
            ada.id,
            &intro,
            EvidenceKind::Other,
            "u",
            "t",
            at(30),
        )
        .await
        .unwrap();
        let (log, _) = db
            .add_log(on_item(new_log(&ada, 30, "2026-01-06"), &adas, "intro"))
            .await
            .unwrap();

        db.delete_follow(adas.id, ada.id).await.unwrap();

        assert!(db.item_states(adas.id).await.unwrap().is_empty());
        assert!(db.evidence(adas.id).await.unwrap().is_empty());
        assert_eq!(db.log(log.id).await.unwrap().unwrap().follow, None);
        // The curriculum stays, and can be followed again.
        follow(&db, &ada, &rust).await;
    }
}

#[tokio::test]
async fn the_migration_gives_a_re_planned_follow_the_history_of_its_budgets() {
    for db in autodidact_store::testing::backends_at(6).await {
        let ada = Learner::new("ada").create(&db).await;
        let rust = curriculum_before(&db, 61, &ada, "title = \"Rust\"\n", None).await;
        let go = curriculum_before(&db, 62, &ada, "title = \"Go\"\n", None).await;
        // The schema before has no history: the rows are written by hand. Follow 91 was
        // re-planned twice (10 h, then 5 h, now mon=2,sat=6); follow 92 never.
        let rows = [
            (91, &rust, "mon=2,sat=6", "2026-03-02"),
            (92, &go, "7", "2026-01-05"),
        ];
        for (id, curriculum, budget, start) in rows {
            db.execute(&format!(
                "INSERT INTO follows (id, user_id, curriculum_id, budget, start_date, breaks, \
                 visibility, plan_done, plan_base_minutes, created_at, updated_at) \
                 VALUES ({id}, {}, {}, '{budget}', '{start}', '', 'private', '', 0, 20, 20)",
                ada.id.0, curriculum.id.0
            ))
            .await;
        }
        for (number, budget, start) in [(1, "10", "2026-01-05"), (2, "5", "2026-02-02")] {
            db.execute(&format!(
                "INSERT INTO plan_revisions (follow_id, number, budget, start_date, breaks, \
                 done_items, base_minutes, replaced_on, created_at) \
                 VALUES (91, {number}, '{budget}', '{start}', '', '', 0, '{start}', 30)"
            ))
            .await;
        }
        db.migrate().await.unwrap();

        let replanned = db.follow(FollowId(91)).await.unwrap().unwrap();
        let history = replanned.budget_history;
        assert_eq!(
            history.to_string(),
            "2026-01-05 10\n2026-02-02 5\n2026-03-02 mon=2,sat=6"
        );
        assert_eq!(history.on(date("2026-01-20")), Some(budget("10")));
        assert_eq!(history.on(date("2026-02-20")), Some(budget("5")));
        let never = db.follow(FollowId(92)).await.unwrap().unwrap();
        assert!(never.budget_history.is_empty());
        assert_eq!(never.budgets().on(date("2026-02-20")), Some(budget("7")));
    }
}
