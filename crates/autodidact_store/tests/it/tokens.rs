use autodidact_core::store::{TokenScope, TokenStore};

use crate::fixtures::{Learner, assert_conflict, assert_not_found, at};
use autodidact_store::testing::backends;

#[tokio::test]
async fn a_token_is_used_by_its_hash_and_remembers_its_last_use() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let token = db
            .create_token(ada.id, "laptop script", "hash-1", TokenScope::Read, at(10))
            .await
            .unwrap();
        assert_eq!((token.user, token.name.as_str()), (ada.id, "laptop script"));
        assert_eq!((token.scope, token.created_at), (TokenScope::Read, at(10)));
        assert_eq!(token.last_used_at, None);

        let (used, user) = db.use_token("hash-1", at(20)).await.unwrap().unwrap();
        assert_eq!(user, ada);
        assert_eq!(used.id, token.id);
        assert_eq!(used.last_used_at, Some(at(20)));
        // Written at most once a minute: a use 30 s later keeps the time, 60 s later moves it.
        let (again, _) = db.use_token("hash-1", at(50)).await.unwrap().unwrap();
        assert_eq!(again.last_used_at, Some(at(20)));
        let (later, _) = db.use_token("hash-1", at(80)).await.unwrap().unwrap();
        assert_eq!(later.last_used_at, Some(at(80)));
        assert_eq!(db.tokens_of(ada.id).await.unwrap(), [later]);
        assert_eq!(db.use_token("no-such-hash", at(20)).await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_token_hash_is_unique() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        db.create_token(ada.id, "a", "same", TokenScope::Read, at(10))
            .await
            .unwrap();
        assert_conflict(
            db.create_token(ada.id, "b", "same", TokenScope::ReadWrite, at(11))
                .await,
            "api_tokens_token_hash_key",
        );
    }
}

#[tokio::test]
async fn a_revoked_token_no_longer_works_and_is_not_listed() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let kept = db
            .create_token(ada.id, "kept", "hash-kept", TokenScope::ReadWrite, at(10))
            .await
            .unwrap();
        let revoked = db
            .create_token(ada.id, "revoked", "hash-revoked", TokenScope::Read, at(11))
            .await
            .unwrap();
        assert_eq!(db.tokens_of(ada.id).await.unwrap().len(), 2);

        db.revoke_token(ada.id, revoked.id).await.unwrap();
        assert_eq!(db.use_token("hash-revoked", at(20)).await.unwrap(), None);
        assert_eq!(db.tokens_of(ada.id).await.unwrap(), [kept]);
        assert_not_found(db.revoke_token(ada.id, revoked.id).await);
    }
}

#[tokio::test]
async fn revoking_another_users_token_changes_nothing() {
    for db in backends().await {
        let ada = Learner::new("ada").create(&db).await;
        let grace = Learner::new("grace").create(&db).await;
        let token = db
            .create_token(ada.id, "a", "hash-a", TokenScope::Read, at(10))
            .await
            .unwrap();
        assert_not_found(db.revoke_token(grace.id, token.id).await);
        assert!(db.use_token("hash-a", at(20)).await.unwrap().is_some());
        assert!(db.tokens_of(grace.id).await.unwrap().is_empty());
    }
}
