//! Rows the commands' tests need in a local database, written through the storage traits.

use autodidact_core::accounts::{Email, Handle, Settings, UserId};
use autodidact_core::store::{
    AccountStore, CurriculumId, CurriculumStore, FollowId, FollowStore, NewCurriculum, NewFollow,
    NewUser, Visibility,
};
use autodidact_store::Db;
use jiff::Timestamp;
use jiff::civil::Date;

pub const DEEP_LEARNING: &str = r#"title = "Deep learning"
[[phases]]
title = "Foundations"
[[phases.items]]
id = "fast-ai-part-1"
kind = "course"
title = "Practical Deep Learning"
hours = 20
[[phases.items]]
id = "linear-algebra"
kind = "book"
title = "Linear Algebra Done Right"
hours = 30
"#;

/// The database at `url`, migrated.
pub async fn open(url: &str) -> Db {
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    db
}

/// @ada, in UTC.
pub async fn ada(db: &Db) -> UserId {
    db.create_user(NewUser {
        handle: Handle::parse("ada").unwrap(),
        display_name: "Ada".to_owned(),
        email: Email::parse("ada@example.org").unwrap(),
        password_hash: "not a real hash".to_owned(),
        settings: Settings::default(),
        now: Timestamp::now(),
    })
    .await
    .unwrap()
    .id
}

/// `user` following a new private curriculum of `source` at 10 h a week from `start`.
pub async fn follow(db: &Db, user: UserId, source: &str, start: Date) -> (CurriculumId, FollowId) {
    let now = Timestamp::now();
    let title = source.lines().next().unwrap().split('"').nth(1).unwrap();
    let curriculum = db
        .create_curriculum(NewCurriculum {
            owner: user,
            title: title.to_owned(),
            visibility: Visibility::Private,
            source: source.to_owned(),
            now,
        })
        .await
        .unwrap()
        .id;
    let follow = db
        .create_follow(NewFollow {
            user,
            curriculum,
            budget: "10".to_owned(),
            start,
            breaks: Vec::new(),
            now,
        })
        .await
        .unwrap()
        .id;
    (curriculum, follow)
}
