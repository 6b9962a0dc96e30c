//! Copies and their lineage: what a fork remembers, versions, the one-transaction follow of a
//! copy, and the migration that gave every follower their own copy.

use autodidact_core::accounts::Handle;
use autodidact_core::curriculum::Minutes;
use autodidact_core::store::{
    CurriculumId, CurriculumStore, EvidenceKind, FollowId, FollowStore, ForkOf, ItemStatus,
    Lineage, LogStore, Visibility,
};
use autodidact_store::testing::{backends, backends_at};

use crate::fixtures::{Learner, at, curriculum, item, new_curriculum, new_follow, new_log};

const SOURCE: &str = r#"title = "Rust"
[[phases]]
title = "One"
items = [{ id = "book", kind = "book", title = "The book", hours = 10 }]
"#;

fn fork_of(source: CurriculumId, version: u32) -> Lineage {
    Lineage::Fork(ForkOf {
        source,
        version,
        owner: autodidact_core::accounts::UserId(1),
        owner_handle: Handle::parse("rosa").unwrap(),
        title: "Rust".to_owned(),
        base: "title = \"Rust\"\n".to_owned(),
    })
}

#[tokio::test]
async fn a_copy_is_read_back_with_its_lineage_and_every_edit_counts_a_version() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let original = curriculum(&db, &ada, "Rust").await;
        assert_eq!(
            (original.version, &original.lineage),
            (1, &Lineage::Original)
        );

        let mut new = new_curriculum(&ada, "Rust");
        new.lineage = fork_of(original.id, 3);
        let copy = db.create_curriculum(new).await.unwrap();
        assert_eq!(copy.lineage, fork_of(original.id, 3));
        assert_eq!(db.curriculum(copy.id).await.unwrap(), Some(copy.clone()));
        let copies = db.copies_of(ada.id, original.id).await.unwrap();
        assert_eq!(copies.iter().map(|c| c.id).collect::<Vec<_>>(), [copy.id]);

        let mut new = new_curriculum(&ada, "From a template");
        new.lineage = Lineage::Template {
            id: "ml-beginner-path".to_owned(),
        };
        let templated = db.create_curriculum(new).await.unwrap();
        assert_eq!(
            db.curriculum(templated.id).await.unwrap().unwrap().lineage,
            Lineage::Template {
                id: "ml-beginner-path".to_owned()
            }
        );

        db.update_curriculum(
            copy.id,
            ada.id,
            "Rust",
            "title = \"Rust\"\n# mine\n",
            at(40),
        )
        .await
        .unwrap();
        db.set_curriculum_visibility(copy.id, ada.id, Visibility::Public, at(41))
            .await
            .unwrap();
        let edited = db.curriculum(copy.id).await.unwrap().unwrap();
        assert_eq!(edited.version, 2, "visibility is not a version");
        assert!(edited.edited());
        assert_eq!(edited.lineage, copy.lineage, "an edit keeps the lineage");
    }
}

#[tokio::test]
async fn following_a_copy_stores_both_or_neither() {
    for db in backends().await {
        let rosa = Learner::new("rosa").create(&db).await;
        let kim = Learner::new("kim").create(&db).await;
        let source = curriculum(&db, &rosa, "Rust").await;
        let mut copy = new_curriculum(&kim, "Rust");
        copy.lineage = fork_of(source.id, 1);
        let (made, follow) = db
            .follow_copy(copy.clone(), new_follow(&kim, &source))
            .await
            .unwrap();
        assert_eq!((made.owner, follow.curriculum), (kim.id, made.id));
        assert_eq!(db.follows_of(kim.id).await.unwrap(), [follow]);

        // A follow that cannot be stored (no such learner) leaves no copy behind.
        let mut ghost = new_follow(&kim, &source);
        ghost.user = autodidact_core::accounts::UserId(424_242);
        assert!(db.follow_copy(copy, ghost).await.is_err());
        assert_eq!(db.copies_of(kim.id, source.id).await.unwrap(), [made]);
    }
}

#[tokio::test]
async fn the_migration_gives_every_follower_their_own_copy_and_keeps_their_record() {
    for db in backends_at(4).await {
        let rosa = Learner::new("rosa").create(&db).await;
        let kim = Learner::new("kim").create(&db).await;
        // The schema before the migration has no lineage columns: the row is written by hand.
        db.execute(&format!(
            "INSERT INTO curricula (id, owner_id, title, visibility, source, created_at, updated_at) \
             VALUES (77, {}, 'Rust', 'public', '{SOURCE}', 10, 10)",
            rosa.id.0
        ))
        .await;
        let rust = CurriculumId(77);
        // So are the follows: today's store writes columns that schema does not have yet.
        for (id, user) in [(81, rosa.id), (82, kim.id)] {
            db.execute(&format!(
                "INSERT INTO follows (id, user_id, curriculum_id, budget, start_date, breaks, \
                 visibility, plan_done, plan_base_minutes, created_at, updated_at) \
                 VALUES ({id}, {}, 77, '10', '2026-01-05', '', 'private', '', 0, 20, 20)",
                user.0
            ))
            .await;
        }
        let (rosas, kims) = (FollowId(81), FollowId(82));
        let book = item("book");
        db.set_item_status(kims, kim.id, &book, ItemStatus::Done, at(30))
            .await
            .unwrap();
        db.set_item_notes(kims, kim.id, &book, "my notes", at(31))
            .await
            .unwrap();
        db.add_evidence(
            kims,
            kim.id,
            &book,
            EvidenceKind::Repository,
            "https://example.org/r",
            "repo",
            at(32),
        )
        .await
        .unwrap();
        let mut log = new_log(&kim, 90, "2026-01-06");
        (log.follow, log.item) = (Some(kims), Some(item("book")));
        db.add_log(log).await.unwrap();

        db.migrate().await.unwrap();

        // Rosa still follows her own curriculum; Kim follows a private copy of it.
        assert_eq!(db.follow(rosas).await.unwrap().unwrap().curriculum, rust);
        let kims_now = db.follow(kims).await.unwrap().unwrap();
        assert_ne!(kims_now.curriculum, rust);
        let copy = db.curriculum(kims_now.curriculum).await.unwrap().unwrap();
        assert_eq!((copy.owner, copy.visibility), (kim.id, Visibility::Private));
        let original = db.curriculum(rust).await.unwrap().unwrap();
        assert_eq!(
            (copy.source.as_str(), copy.version),
            (original.source.as_str(), 1)
        );
        let Lineage::Fork(fork) = &copy.lineage else {
            panic!("{:?}", copy.lineage)
        };
        assert_eq!((fork.source, fork.version, fork.owner), (rust, 1, rosa.id));
        assert_eq!(
            (fork.owner_handle.as_str(), fork.base.as_str()),
            ("rosa", original.source.as_str())
        );

        // Her board, notes, evidence and logs are where they were, and stay when Rosa deletes.
        db.delete_curriculum(rust, rosa.id).await.unwrap();
        assert!(db.follow(rosas).await.unwrap().is_none());
        let states = db.item_states(kims).await.unwrap();
        assert_eq!(states.len(), 1);
        assert_eq!(
            (states[0].status, states[0].notes.as_str()),
            (ItemStatus::Done, "my notes")
        );
        assert_eq!(db.evidence(kims).await.unwrap().len(), 1);
        assert_eq!(
            db.minutes_by_item(kims).await.unwrap(),
            [(book, Minutes::new(90))]
        );
        assert!(db.curriculum(copy.id).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn a_copy_synced_with_its_source_takes_the_new_base_at_the_version_it_was_merged_against() {
    use autodidact_core::store::{ForkSync, StoreError};
    for db in backends().await {
        let rosa = Learner::new("rosa").create(&db).await;
        let kim = Learner::new("kim").create(&db).await;
        let source = curriculum(&db, &rosa, "Rust").await;
        let mut new = new_curriculum(&kim, "Rust");
        new.lineage = fork_of(source.id, 1);
        let copy = db.create_curriculum(new).await.unwrap();
        let merged = SOURCE.replace("hours = 10", "hours = 12");
        let sync = ForkSync {
            id: copy.id,
            owner: kim.id,
            version: copy.version,
            title: "Rust",
            source: &merged,
            base: "title = \"Rust\"\n# the source at 4\n",
            base_version: 4,
            now: at(50),
        };
        db.sync_fork(sync).await.unwrap();
        let synced = db.curriculum(copy.id).await.unwrap().unwrap();
        assert_eq!(synced.source, merged);
        assert_eq!(synced.version, copy.version + 1);
        let Lineage::Fork(lineage) = &synced.lineage else {
            panic!("{:?}", synced.lineage)
        };
        assert_eq!(
            (lineage.version, lineage.base.as_str()),
            (4, "title = \"Rust\"\n# the source at 4\n")
        );
        assert_eq!(lineage.source, source.id, "still a copy of the same source");

        // Made against the version before: refused, nothing written.
        assert!(matches!(
            db.sync_fork(sync).await,
            Err(StoreError::Conflict { .. })
        ));
        assert_eq!(db.curriculum(copy.id).await.unwrap().unwrap(), synced);
        // Someone else's copy, or a curriculum that is no copy: not found.
        let other = ForkSync {
            owner: rosa.id,
            version: synced.version,
            ..sync
        };
        assert!(matches!(
            db.sync_fork(other).await,
            Err(StoreError::NotFound)
        ));
        let original = ForkSync {
            id: source.id,
            owner: rosa.id,
            version: source.version,
            ..sync
        };
        assert!(matches!(
            db.sync_fork(original).await,
            Err(StoreError::NotFound)
        ));
    }
}
