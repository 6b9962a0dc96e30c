use autodidact_core::accounts::{Pacing, Settings, UserId, WeekStart};
use autodidact_core::store::AccountStore;
use jiff::civil::Weekday;

use crate::fixtures::{Learner, assert_conflict, assert_not_found, at, new_session, session};
use autodidact_store::testing::backends;

#[tokio::test]
async fn a_user_is_found_by_id_by_handle_and_by_login() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        assert!(ada.id.0 > 0);
        assert_eq!(ada.created_at, at(0));

        assert_eq!(db.user(ada.id).await.unwrap(), Some(ada.clone()));
        assert_eq!(
            db.user_by_handle(&ada.handle).await.unwrap(),
            Some(ada.clone())
        );
        for login in ["ada", "@ada", " ADA ", "ada@example.org", "Ada@Example.ORG"] {
            let (user, hash) = db.credentials(login).await.unwrap().expect(login);
            assert_eq!(user, ada);
            assert_eq!(hash, "$argon2id$hash-of-ada");
        }
        assert_eq!(db.credentials("grace").await.unwrap(), None);
        assert_eq!(db.user(UserId(ada.id.0 ^ 1)).await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_taken_handle_is_a_conflict_naming_users_handle_key() {
    for db in backends().await {
        Learner::new("ada").create(&db).await;
        let again = Learner::new("ada").email("other@example.org");
        assert_conflict(db.create_user(again.build()).await, "users_handle_key");
    }
}

#[tokio::test]
async fn a_taken_email_is_a_conflict_naming_users_email_key() {
    for db in backends().await {
        Learner::new("ada").create(&db).await;
        let same_email = Learner::new("grace").email("ada@example.org");
        assert_conflict(db.create_user(same_email.build()).await, "users_email_key");
        assert_eq!(db.credentials("grace").await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_profile_update_changes_the_name_and_settings_of_that_user_only() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        let settings = Settings {
            timezone: autodidact_core::accounts::Zone::parse("Europe/Amsterdam").unwrap(),
            week_start: WeekStart(Weekday::Sunday),
            pacing: Pacing {
                streak_min_minutes: 30,
                rest_days_per_week: 2,
                ceiling_percent: 175,
                making_threshold_percent: 25,
                loosen_delay_days: 14,
            },
            delay_history: autodidact_core::plan::History::parse("2026-01-05 7\n2026-02-02 14")
                .unwrap(),
        };
        db.update_profile(ada.id, "Ada Lovelace", &settings)
            .await
            .unwrap();

        let read = db.user(ada.id).await.unwrap().unwrap();
        assert_eq!(read.display_name, "Ada Lovelace");
        assert_eq!(read.settings, settings);
        assert_eq!(db.user(grace.id).await.unwrap(), Some(grace));
        assert_not_found(db.update_profile(UserId(1), "Nobody", &settings).await);
    }
}

#[tokio::test]
async fn a_session_lives_until_it_expires_and_touching_extends_it() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let created = session(&db, &ada, "token-a", at(0)).await;
        assert_eq!(created.expires_at, at(3600));

        let (live, user) = db.session("token-a", at(3599)).await.unwrap().unwrap();
        assert_eq!((live, user), (created.clone(), ada.clone()));
        assert_eq!(db.session("token-a", at(3600)).await.unwrap(), None);
        assert_eq!(db.session("no-such-token", at(0)).await.unwrap(), None);

        db.touch_session("token-a", at(3000), at(7000))
            .await
            .unwrap();
        let (touched, _) = db.session("token-a", at(6999)).await.unwrap().unwrap();
        assert_eq!(
            (touched.last_seen_at, touched.expires_at),
            (at(3000), at(7000))
        );
        assert_eq!(touched.created_at, at(0));

        // An expired session is not revived.
        db.touch_session("token-a", at(7000), at(9000))
            .await
            .unwrap();
        assert_eq!(db.session("token-a", at(7001)).await.unwrap(), None);
        assert_eq!(db.sessions_of(ada.id, at(7000)).await.unwrap(), vec![]);
    }
}

#[tokio::test]
async fn sessions_of_lists_the_live_sessions_most_recently_seen_first() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        let old = session(&db, &ada, "old", at(0)).await;
        let new = session(&db, &ada, "new", at(100)).await;
        session(&db, &grace, "graces", at(100)).await;

        let ids: Vec<autodidact_core::store::SessionId> = db
            .sessions_of(ada.id, at(200))
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, vec![new.id, old.id]);
        // `old` expires at 3600, `new` at 3700.
        let ids: Vec<autodidact_core::store::SessionId> = db
            .sessions_of(ada.id, at(3650))
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, vec![new.id]);
    }
}

#[tokio::test]
async fn a_session_token_hash_is_unique() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        session(&db, &ada, "same", at(0)).await;
        assert_conflict(
            db.create_session(new_session(&ada, "same", at(1))).await,
            "sessions_token_hash_key",
        );
    }
}

#[tokio::test]
async fn a_session_for_an_unknown_user_is_not_found() {
    for db in backends().await {
        let mut ghost = Learner::new("ghost").create(&db).await;
        ghost.id = UserId(ghost.id.0 ^ 1);
        assert_not_found(db.create_session(new_session(&ghost, "t", at(0))).await);
    }
}

#[tokio::test]
async fn changing_the_password_revokes_every_other_session() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        session(&db, &ada, "this-one", at(0)).await;
        session(&db, &ada, "laptop", at(0)).await;
        session(&db, &ada, "phone", at(0)).await;
        session(&db, &grace, "graces", at(0)).await;

        db.change_password(ada.id, "$argon2id$new", "this-one", None)
            .await
            .unwrap();

        let (_, hash) = db.credentials("ada").await.unwrap().unwrap();
        assert_eq!(hash, "$argon2id$new");
        assert!(db.session("this-one", at(1)).await.unwrap().is_some());
        assert_eq!(db.session("laptop", at(1)).await.unwrap(), None);
        assert_eq!(db.session("phone", at(1)).await.unwrap(), None);
        assert!(db.session("graces", at(1)).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn changing_an_unknown_users_password_changes_nothing() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        session(&db, &ada, "laptop", at(0)).await;
        assert_not_found(
            db.change_password(UserId(ada.id.0 ^ 1), "$argon2id$new", "x", None)
                .await,
        );
        assert!(db.session("laptop", at(1)).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn revoking_another_users_session_changes_nothing() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        let adas = session(&db, &ada, "adas", at(0)).await;

        assert_not_found(db.revoke_session(grace.id, adas.id).await);
        assert!(db.session("adas", at(1)).await.unwrap().is_some());

        db.revoke_session(ada.id, adas.id).await.unwrap();
        assert_eq!(db.session("adas", at(1)).await.unwrap(), None);
        assert_not_found(db.revoke_session(ada.id, adas.id).await);
    }
}

#[tokio::test]
async fn signing_out_deletes_the_session_and_may_be_repeated() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        session(&db, &ada, "adas", at(0)).await;
        db.delete_session("adas").await.unwrap();
        assert_eq!(db.session("adas", at(1)).await.unwrap(), None);
        db.delete_session("adas").await.unwrap();
    }
}

#[tokio::test]
async fn a_new_email_or_password_ends_every_link_to_set_a_password() {
    use autodidact_core::store::AccountDataStore;
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let later = at(3600 * 24 * 365);
        for (n, change) in ["email", "password", "use"].into_iter().enumerate() {
            let hash = format!("link-{n}");
            db.add_password_reset(ada.id, &hash, at(10), later)
                .await
                .unwrap();
            assert!(
                db.password_reset_user(&hash, at(20))
                    .await
                    .unwrap()
                    .is_some()
            );
            match change {
                "email" => {
                    let email =
                        autodidact_core::accounts::Email::parse("ada@new.example.org").unwrap();
                    db.change_email(ada.id, &email).await.unwrap();
                }
                "password" => db
                    .change_password(ada.id, "$argon2id$new", "no-session", None)
                    .await
                    .unwrap(),
                _ => {
                    db.use_password_reset(&hash, "$argon2id$newer", at(30))
                        .await
                        .unwrap();
                    assert_not_found(
                        db.use_password_reset(&hash, "$argon2id$again", at(31))
                            .await,
                    );
                }
            }
            assert!(
                db.password_reset_user(&hash, at(40))
                    .await
                    .unwrap()
                    .is_none(),
                "{change}"
            );
        }
        // An expired link is no link.
        db.add_password_reset(ada.id, "old", at(10), at(20))
            .await
            .unwrap();
        assert!(
            db.password_reset_user("old", at(21))
                .await
                .unwrap()
                .is_none()
        );
        assert_not_found(db.use_password_reset("old", "$argon2id$x", at(21)).await);
    }
}
