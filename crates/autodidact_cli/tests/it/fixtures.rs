//! Rows the commands' tests need in a local database, written through the storage traits.

use autodidact_core::accounts::UserId;
use autodidact_core::store::{AccountStore, CurriculumId, FollowId};
use autodidact_store::Db;
use autodidact_store::testing::{CurriculumBuilder, FollowBuilder, LearnerBuilder};
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
    LearnerBuilder::new("ada")
        .display_name("Ada")
        .create(db)
        .await
        .id
}

/// `user` following a new private curriculum of `source` at 10 h a week from `start`.
pub async fn follow(db: &Db, user: UserId, source: &str, start: Date) -> (CurriculumId, FollowId) {
    let user = db.user(user).await.unwrap().unwrap();
    let curriculum = CurriculumBuilder::new(&user, "")
        .source(source)
        .create(db)
        .await;
    let follow = FollowBuilder::new(&user, &curriculum)
        .start(start)
        .create(db)
        .await;
    (curriculum.id, follow.id)
}
