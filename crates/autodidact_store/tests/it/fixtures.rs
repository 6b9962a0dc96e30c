//! Builders for the rows tests need, written against the storage traits so that they work on
//! every backend.

use jiff::Timestamp;
use jiff::civil::Date;

use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::plan::{Break, WeeklyBudget};
use autodidact_core::store::{
    AccountStore, CurriculumRecord, CurriculumStore, Follow, FollowStore, LogKind, NewCurriculum,
    NewFollow, NewLog, NewSession, Session, User,
};
use autodidact_store::Db;
use autodidact_store::testing::{CurriculumBuilder, FollowBuilder, LearnerBuilder};

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

/// A budget as people write it: `10` or `mon=2,sat=6`.
pub fn budget(raw: &str) -> WeeklyBudget {
    WeeklyBudget::parse(raw).unwrap()
}

/// Breaks as people write them.
pub fn breaks(raw: &[&str]) -> Vec<Break> {
    raw.iter().map(|b| b.parse().unwrap()).collect()
}

/// A learner to create, as the shared builder makes them, joining at `at(0)`.
pub struct Learner;

impl Learner {
    #[allow(clippy::new_ret_no_self, reason = "a shorthand for the shared builder")]
    pub fn new(handle: &str) -> LearnerBuilder {
        LearnerBuilder::new(handle).at(at(0))
    }
}

pub fn new_curriculum(owner: &User, title: &str) -> NewCurriculum {
    CurriculumBuilder::new(owner, title).at(at(10)).build()
}

pub async fn curriculum(db: &Db, owner: &User, title: &str) -> CurriculumRecord {
    db.create_curriculum(new_curriculum(owner, title))
        .await
        .unwrap()
}

pub fn new_follow(user: &User, curriculum: &CurriculumRecord) -> NewFollow {
    FollowBuilder::new(user, curriculum)
        .start(date("2026-01-05"))
        .with_break("2026-12-21..2027-01-03")
        .at(at(20))
        .build()
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
        start_item: false,
        finish_item: false,
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

/// A curriculum written by hand, in the columns every schema since the first has, for a test
/// that starts before a migration: today's store writes columns older schemas lack. `fork_of`
/// (a column since the fifth) makes it a copy of that curriculum.
pub async fn curriculum_before(
    db: &autodidact_store::testing::TestDb,
    id: i64,
    owner: &User,
    source: &str,
    fork_of: Option<CurriculumRecord>,
) -> CurriculumRecord {
    let title = source
        .lines()
        .next()
        .and_then(|l| l.split('"').nth(1))
        .unwrap_or("Untitled")
        .replace('\'', "''");
    let source = source.replace('\'', "''");
    let visibility = if fork_of.is_some() {
        "private"
    } else {
        "public"
    };
    db.execute(&format!(
        "INSERT INTO curricula (id, owner_id, title, visibility, source, created_at, updated_at) \
         VALUES ({id}, {}, '{title}', '{visibility}', '{source}', 10, 10)",
        owner.id.0
    ))
    .await;
    if let Some(of) = fork_of {
        db.execute(&format!(
            "UPDATE curricula SET fork_of_id = {}, fork_of_version = 1, fork_of_owner_id = {}, \
             fork_of_owner_handle = 'someone', fork_of_title = 'x', fork_base = '' WHERE id = {id}",
            of.id.0, of.owner.0
        ))
        .await;
    }
    db.curriculum(autodidact_core::store::CurriculumId(id))
        .await
        .unwrap()
        .unwrap()
}
