//! Sharing's storage: the migration that brings "followers" to curricula and follows (SQLite
//! widens its CHECK in place, so rows written before it must come through whole), profile
//! settings, follow requests and the journal, on both backends.

use autodidact_core::store::{
    CurriculumStore, FollowStore, ProfileSettings, Section, SharingStore, StoreError, Visibility,
};
use autodidact_store::testing::{backends, backends_at};

use crate::fixtures::{Learner, at, curriculum, curriculum_before, follow};

#[tokio::test]
async fn curricula_and_follows_written_before_the_migration_come_through_and_take_followers() {
    for db in backends_at(13).await {
        let ada = Learner::new("ada").create(&db).await;
        let record = curriculum_before(&db, 51, &ada, "title = \"Ada's path\"\n", None).await;
        let followed = follow(&db, &ada, &record).await;
        let before = (
            db.curriculum(record.id).await.unwrap(),
            db.follow(followed.id).await.unwrap(),
        );

        db.migrate().await.unwrap();

        assert_eq!(
            (
                db.curriculum(record.id).await.unwrap(),
                db.follow(followed.id).await.unwrap()
            ),
            before,
            "every row as it was"
        );
        db.set_curriculum_visibility(record.id, ada.id, Visibility::Followers, at(40))
            .await
            .unwrap();
        db.set_follow_visibility(followed.id, ada.id, Visibility::Followers, at(41))
            .await
            .unwrap();
        assert_eq!(
            db.curriculum(record.id).await.unwrap().unwrap().visibility,
            Visibility::Followers
        );
        assert_eq!(
            db.follow(followed.id).await.unwrap().unwrap().visibility,
            Visibility::Followers
        );
        // The constraint is wider, not gone: a value outside the four is still refused.
        for table in ["curricula", "follows"] {
            let id = if table == "curricula" {
                record.id.0
            } else {
                followed.id.0
            };
            let refused = db
                .try_execute(&format!(
                    "UPDATE {table} SET visibility = 'everyone' WHERE id = {id}"
                ))
                .await;
            assert!(
                refused.is_err(),
                "{table}: an unknown visibility is refused"
            );
        }
        assert!(
            db.verify().await.unwrap().is_sound(),
            "the database checks out"
        );
    }
}

#[tokio::test]
async fn profile_settings_follow_requests_and_posts_are_kept_and_owned() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let bob = Learner::new("bob").create(&db).await;
        assert_eq!(
            db.profile_settings(ada.id).await.unwrap(),
            ProfileSettings::default(),
            "private until set"
        );
        let mut settings = ProfileSettings::default();
        settings.profile = Visibility::Unlisted;
        settings.set_section(Section::Journal, Visibility::Public);
        settings.bio = "Hello".to_owned();
        settings.crowd = true;
        db.set_profile_settings(ada.id, &settings, at(1))
            .await
            .unwrap();
        settings.set_section(Section::Skills, Visibility::Followers);
        db.set_profile_settings(ada.id, &settings, at(2))
            .await
            .unwrap();
        assert_eq!(db.profile_settings(ada.id).await.unwrap(), settings);

        db.request_follow(bob.id, ada.id, None, at(3))
            .await
            .unwrap();
        assert!(matches!(
            db.request_follow(bob.id, ada.id, None, at(4)).await,
            Err(StoreError::Conflict { .. })
        ));
        assert_eq!(db.followers_of(ada.id).await.unwrap()[0].approved_at, None);
        // Only the one followed approves, once.
        assert!(matches!(
            db.approve_follow(bob.id, ada.id, at(5)).await,
            Err(StoreError::NotFound)
        ));
        db.approve_follow(ada.id, bob.id, at(5)).await.unwrap();
        assert!(
            db.follow_request(bob.id, ada.id)
                .await
                .unwrap()
                .unwrap()
                .approved_at
                .is_some()
        );
        assert_eq!(
            db.followed_by(bob.id).await.unwrap()[0]
                .followee_handle
                .as_str(),
            "ada"
        );
        db.remove_follow_request(bob.id, ada.id).await.unwrap();
        assert!(db.followers_of(ada.id).await.unwrap().is_empty());

        // A post about an item of her follow; unfollowing keeps the post, without the item.
        let record = curriculum(&db, &ada, "Rust").await;
        let f = follow(&db, &ada, &record).await;
        let post = db
            .add_journal_post(&autodidact_core::store::NewJournalPost {
                author: ada.id,
                title: "Week 1".to_owned(),
                body: "Borrowing".to_owned(),
                about: Some((f.id, crate::fixtures::item("book"))),
                visibility: Visibility::Public,
                now: at(6),
            })
            .await
            .unwrap();
        assert_eq!(db.journal_post(post.id).await.unwrap().unwrap(), post);
        assert!(matches!(
            db.delete_journal_post(post.id, bob.id).await,
            Err(StoreError::NotFound)
        ));
        db.delete_follow(f.id, ada.id).await.unwrap();
        assert_eq!(db.journal_post(post.id).await.unwrap().unwrap().about, None);
        db.delete_journal_post(post.id, ada.id).await.unwrap();
        assert!(db.journal_of(ada.id).await.unwrap().is_empty());
    }
}
