use autodidact_core::curriculum::Minutes;
use autodidact_core::store::{
    CurriculumStore, EvidenceKind, FollowStore, ItemStatus, LogStore, Visibility,
};

use crate::fixtures::{
    Learner, assert_not_found, at, curriculum, follow, item, learner_with_follow, new_curriculum,
    new_log, on_item,
};
use autodidact_store::testing::backends;

#[tokio::test]
async fn a_curriculum_is_read_back_and_listed_for_its_owner_most_recently_changed_first() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        let rust = curriculum(&db, &ada, "Rust").await;
        assert_eq!(
            (rust.owner, rust.title.as_str(), rust.visibility),
            (ada.id, "Rust", Visibility::Private)
        );
        assert_eq!((rust.created_at, rust.updated_at), (at(10), at(10)));
        assert_eq!(db.curriculum(rust.id).await.unwrap(), Some(rust.clone()));

        let mut later = new_curriculum(&ada, "SQL");
        later.now = at(50);
        let sql = db.create_curriculum(later).await.unwrap();
        let titles = |list: Vec<autodidact_core::store::CurriculumRecord>| {
            list.into_iter().map(|c| c.title).collect::<Vec<_>>()
        };
        assert_eq!(
            titles(db.curricula_of(ada.id).await.unwrap()),
            ["SQL", "Rust"]
        );
        db.update_curriculum(rust.id, ada.id, "Rust", "title = \"Rust\"\n# v2\n", at(60))
            .await
            .unwrap();
        assert_eq!(
            titles(db.curricula_of(ada.id).await.unwrap()),
            ["Rust", "SQL"]
        );
        assert!(db.curricula_of(grace.id).await.unwrap().is_empty());
        assert_eq!(db.curriculum(sql.id).await.unwrap().unwrap().owner, ada.id);
    }
}

#[tokio::test]
async fn only_the_owner_can_change_a_curriculum() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        let rust = curriculum(&db, &ada, "Rust").await;

        assert_not_found(
            db.update_curriculum(rust.id, grace.id, "Mine", "stolen", at(30))
                .await,
        );
        assert_not_found(
            db.set_curriculum_visibility(rust.id, grace.id, Visibility::Public, at(30))
                .await,
        );
        assert_not_found(db.delete_curriculum(rust.id, grace.id).await);
        assert_eq!(db.curriculum(rust.id).await.unwrap(), Some(rust.clone()));

        db.update_curriculum(rust.id, ada.id, "Rust 2", "title = \"Rust 2\"\n", at(30))
            .await
            .unwrap();
        db.set_curriculum_visibility(rust.id, ada.id, Visibility::Unlisted, at(40))
            .await
            .unwrap();
        let changed = db.curriculum(rust.id).await.unwrap().unwrap();
        assert_eq!(changed.title, "Rust 2");
        assert_eq!(changed.source, "title = \"Rust 2\"\n");
        assert_eq!(changed.visibility, Visibility::Unlisted);
        assert_eq!((changed.created_at, changed.updated_at), (at(10), at(40)));
    }
}

#[tokio::test]
async fn deleting_a_curriculum_removes_its_follows_board_and_evidence_but_keeps_logged_time() {
    for db in backends().await {
        let (ada, rust, adas_follow) = learner_with_follow(&db, "ada").await;
        let grace = Learner::new("grace").create(&db).await;
        let graces_follow = follow(&db, &grace, &rust).await;
        let intro = item("intro");
        db.set_item_status(adas_follow.id, ada.id, &intro, ItemStatus::Done, at(30))
            .await
            .unwrap();
        db.add_evidence(
            adas_follow.id,
            ada.id,
            &intro,
            EvidenceKind::Post,
            "https://example.org/post",
            "A post",
            at(30),
        )
        .await
        .unwrap();
        let (log, _) = db
            .add_log(on_item(
                new_log(&ada, 45, "2026-01-06"),
                &adas_follow,
                "intro",
            ))
            .await
            .unwrap();

        db.delete_curriculum(rust.id, ada.id).await.unwrap();

        assert_eq!(db.curriculum(rust.id).await.unwrap(), None);
        assert_eq!(db.follow(adas_follow.id).await.unwrap(), None);
        assert_eq!(db.follow(graces_follow.id).await.unwrap(), None);
        assert!(db.item_states(adas_follow.id).await.unwrap().is_empty());
        assert!(db.evidence(adas_follow.id).await.unwrap().is_empty());
        let kept = db.log(log.id).await.unwrap().unwrap();
        assert_eq!(kept.follow, None);
        assert_eq!(kept.minutes, Minutes::new(45));
        assert_not_found(db.delete_curriculum(rust.id, ada.id).await);
    }
}
