//! Builders for the rows tests need, written against the storage traits so that they work on
//! every backend.

use jiff::Timestamp;
use jiff::civil::Date;

use autodidact_core::accounts::{Email, Handle, Settings};
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::store::{
    AccountStore, CurriculumRecord, CurriculumStore, Follow, FollowStore, LogKind, NewCurriculum,
    NewFollow, NewLog, NewSession, NewUser, Session, User, Visibility,
};
use autodidact_store::Db;

/// 2026-01-01T00:00:00Z plus `secs`: whole seconds, as the store keeps them.
pub fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_767_225_600 + secs).unwrap()
}

pub fn date(iso: &str) -> Date {
    iso.parse().unwrap()
}

pub fn item(id: &str) -> ItemId {
    ItemId::parse(id).unwrap()
}

/// A learner to create: `Learner::new("ada").create(&db)`.
pub struct Learner {
    user: NewUser,
}

impl Learner {
    pub fn new(handle: &str) -> Self {
        Self {
            user: NewUser {
                handle: Handle::parse(handle).unwrap(),
                display_name: format!("{handle} (display)"),
                email: Email::parse(&format!("{handle}@example.org")).unwrap(),
                password_hash: format!("$argon2id$hash-of-{handle}"),
                settings: Settings::default(),
                now: at(0),
            },
        }
    }

    pub fn with_email(mut self, email: &str) -> Self {
        self.user.email = Email::parse(email).unwrap();
        self
    }

    pub fn new_user(self) -> NewUser {
        self.user
    }

    pub async fn create(self, db: &Db) -> User {
        db.create_user(self.user).await.unwrap()
    }
}

pub fn new_curriculum(owner: &User, title: &str) -> NewCurriculum {
    NewCurriculum {
        owner: owner.id,
        title: title.to_owned(),
        visibility: Visibility::Private,
        source: format!("title = \"{title}\"\n"),
        now: at(10),
    }
}

pub async fn curriculum(db: &Db, owner: &User, title: &str) -> CurriculumRecord {
    db.create_curriculum(new_curriculum(owner, title))
        .await
        .unwrap()
}

pub fn new_follow(user: &User, curriculum: &CurriculumRecord) -> NewFollow {
    NewFollow {
        user: user.id,
        curriculum: curriculum.id,
        budget: "10".to_owned(),
        start: date("2026-01-05"),
        breaks: vec!["2026-12-21..2027-01-03".to_owned()],
        now: at(20),
    }
}

pub async fn follow(db: &Db, user: &User, curriculum: &CurriculumRecord) -> Follow {
    db.create_follow(new_follow(user, curriculum))
        .await
        .unwrap()
}

/// A learner following a curriculum of their own.
pub async fn learner_with_follow(db: &Db, handle: &str) -> (User, CurriculumRecord, Follow) {
    let user = Learner::new(handle).create(db).await;
    let curriculum = curriculum(db, &user, &format!("{handle}'s path")).await;
    let follow = follow(db, &user, &curriculum).await;
    (user, curriculum, follow)
}

/// `minutes` of learning on `day`, unattached to any follow.
pub fn new_log(user: &User, minutes: u32, day: &str) -> NewLog {
    NewLog {
        user: user.id,
        follow: None,
        item: None,
        minutes: Minutes::new(minutes),
        kind: LogKind::Learn,
        day: date(day),
        note: String::new(),
        idempotency_key: None,
        now: at(100),
    }
}

pub fn on_item(mut log: NewLog, follow: &Follow, id: &str) -> NewLog {
    log.follow = Some(follow.id);
    log.item = Some(item(id));
    log
}

pub fn new_session(user: &User, token_hash: &str, now: Timestamp) -> NewSession {
    NewSession {
        token_hash: token_hash.to_owned(),
        user: user.id,
        csrf_token: format!("csrf-{token_hash}"),
        now,
        expires_at: Timestamp::from_second(now.as_second() + 3600).unwrap(),
        user_agent: "test-agent".to_owned(),
        ip: "127.0.0.1".to_owned(),
    }
}

pub async fn session(db: &Db, user: &User, token_hash: &str, now: Timestamp) -> Session {
    db.create_session(new_session(user, token_hash, now))
        .await
        .unwrap()
}

/// Asserts a unique violation that names `constraint`.
#[track_caller]
pub fn assert_conflict<T: std::fmt::Debug>(
    result: autodidact_core::store::StoreResult<T>,
    constraint: &str,
) {
    match result {
        Err(autodidact_core::store::StoreError::Conflict { constraint: named }) => {
            assert_eq!(named, constraint)
        }
        other => panic!("expected a conflict on {constraint}, got {other:?}"),
    }
}

#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: autodidact_core::store::StoreResult<T>) {
    assert!(
        matches!(result, Err(autodidact_core::store::StoreError::NotFound)),
        "expected NotFound, got {result:?}"
    );
}
