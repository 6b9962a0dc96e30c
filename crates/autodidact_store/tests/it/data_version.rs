//! The database raises a learner's data version with every change to what their pages show,
//! and only theirs: the key under which nodes keep derived views.

use autodidact_core::accounts::UserId;
use autodidact_core::store::{
    AccountStore, CurriculumStore, DataVersion, FollowStore, InsightStore, ItemStatus, LogStore,
    User,
};
use autodidact_store::Db;
use autodidact_store::testing::backends;

use crate::fixtures::{Learner, at, curriculum, follow, item, learner_with_follow, new_log};

async fn version(db: &Db, user: UserId) -> DataVersion {
    db.user(user).await.unwrap().unwrap().data_version
}

/// Runs `change` and says whether it raised `watched`'s version.
async fn raises<F: Future<Output = ()>>(db: &Db, watched: &User, change: F) -> bool {
    let before = version(db, watched.id).await;
    change.await;
    let after = version(db, watched.id).await;
    assert!(after.0 >= before.0, "a version never goes down");
    after != before
}

#[tokio::test]
async fn every_change_to_a_learners_data_raises_their_version_and_no_one_elses() {
    for db in backends().await {
        let (ada, rust, adas) = learner_with_follow(&db, "ada").await;
        let grace = Learner::new("grace").create(&db).await;
        // Grace follows Ada's curriculum, so Ada's edits change Grace's pages.
        let graces = follow(&db, &grace, &rust).await;
        let bob = Learner::new("bob").create(&db).await;

        assert!(
            raises(&db, &ada, async {
                db.add_log(new_log(&ada, 30, "2026-01-06")).await.unwrap();
            })
            .await,
            "a log"
        );
        assert!(
            !raises(&db, &bob, async {
                db.add_log(new_log(&ada, 30, "2026-01-07")).await.unwrap();
            })
            .await,
            "another's log"
        );
        assert!(
            raises(&db, &ada, async {
                db.set_item_status(adas.id, ada.id, &item("basics"), ItemStatus::Doing, at(50))
                    .await
                    .unwrap();
            })
            .await,
            "an item's status"
        );
        assert!(
            raises(&db, &ada, async {
                db.set_item_notes(adas.id, ada.id, &item("basics"), "- [ ] read", at(51))
                    .await
                    .unwrap();
            })
            .await,
            "an item's notes"
        );
        assert!(
            raises(&db, &ada, async {
                db.dismiss(ada.id, "burnout:2026-01-05", at(52))
                    .await
                    .unwrap();
            })
            .await,
            "a dismissal"
        );
        assert!(
            raises(&db, &ada, async {
                let mut settings = ada.settings.clone();
                settings.pacing.streak_min_minutes = 30;
                db.update_profile(ada.id, "Ada", &settings).await.unwrap();
            })
            .await,
            "the learner's settings"
        );
        assert!(
            raises(&db, &grace, async {
                db.update_curriculum(rust.id, ada.id, "Rust", "title = \"Rust\"\n# v2\n", at(60))
                    .await
                    .unwrap();
            })
            .await,
            "an edit of a followed curriculum"
        );
        assert!(
            !raises(&db, &bob, async {
                db.update_curriculum(rust.id, ada.id, "Rust", "title = \"Rust\"\n# v3\n", at(61))
                    .await
                    .unwrap();
            })
            .await,
            "an edit of a curriculum not followed"
        );
        let sql = curriculum(&db, &bob, "SQL").await;
        assert!(
            raises(&db, &grace, async {
                follow(&db, &grace, &sql).await;
            })
            .await,
            "a new follow"
        );
        assert!(
            raises(&db, &grace, async {
                db.delete_follow(graces.id, grace.id).await.unwrap();
            })
            .await,
            "an unfollow"
        );
        assert!(
            !raises(&db, &ada, async {
                db.dismiss(grace.id, "x", at(70)).await.unwrap();
            })
            .await,
            "another's dismissal"
        );
    }
}
