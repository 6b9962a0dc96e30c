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

#[tokio::test]
async fn what_a_profile_shows_raises_its_owners_version() {
    use autodidact_core::store::{
        EvidenceKind, LinkCheck, LinkStatus, NewJournalPost, ProfileSettings, SharingStore,
        Visibility,
    };
    for db in backends().await {
        let (ada, _, adas) = learner_with_follow(&db, "ada").await;
        let bob = Learner::new("bob").create(&db).await;
        assert!(
            raises(&db, &ada, async {
                let mut settings = ProfileSettings::default();
                settings.profile = Visibility::Public;
                db.set_profile_settings(ada.id, &settings, at(60))
                    .await
                    .unwrap();
            })
            .await,
            "the profile's settings"
        );
        assert!(
            raises(&db, &ada, async {
                db.add_journal_post(&NewJournalPost {
                    author: ada.id,
                    title: "Week one".to_owned(),
                    body: "Done".to_owned(),
                    about: None,
                    visibility: Visibility::Public,
                    now: at(61),
                })
                .await
                .unwrap();
            })
            .await,
            "a journal post"
        );
        let mut made = None;
        assert!(
            raises(&db, &ada, async {
                made = Some(curriculum(&db, &ada, "Maths").await);
            })
            .await,
            "a new curriculum, followed by no one"
        );
        let made = made.unwrap();
        assert!(
            raises(&db, &ada, async {
                db.set_curriculum_visibility(made.id, ada.id, Visibility::Public, at(62))
                    .await
                    .unwrap();
            })
            .await,
            "a curriculum shared"
        );
        assert!(
            raises(&db, &ada, async {
                db.delete_curriculum(made.id, ada.id).await.unwrap();
            })
            .await,
            "a curriculum deleted"
        );
        db.add_evidence(
            adas.id,
            ada.id,
            &item("basics"),
            EvidenceKind::Repository,
            "https://github.com/ada/nn",
            "",
            at(63),
        )
        .await
        .unwrap();
        let check = LinkCheck {
            url: "https://github.com/ada/nn".to_owned(),
            status: LinkStatus::Alive(200),
            checked_at: at(64),
        };
        assert!(
            raises(&db, &ada, async {
                db.record_link_check(&check).await.unwrap()
            })
            .await,
            "a check of a link in the evidence"
        );
        assert!(
            !raises(&db, &bob, async {
                db.record_link_check(&check).await.unwrap()
            })
            .await,
            "a check of someone else's link"
        );
    }
}
