//! Builders for the rows tests need: learners, curricula and follows, made the same way in
//! every crate's tests and on every backend, through the storage traits.
//!
//! `LearnerBuilder::new("ada").create(&db)`, then
//! `CurriculumBuilder::new(&ada, "Deep learning").source(TOML).public().create(&db)` and
//! `FollowBuilder::new(&ada, &curriculum).hours_per_week(10).create(&db)`.

#![allow(
    clippy::unwrap_used,
    reason = "test support: a row that cannot be made should stop the test"
)]

use jiff::Timestamp;
use jiff::civil::Date;

use autodidact_core::accounts::{Email, Handle, Settings, Zone};
use autodidact_core::curriculum::Minutes;
use autodidact_core::plan::{Break, WeeklyBudget};
use autodidact_core::store::{
    AccountStore, CurriculumRecord, CurriculumStore, Follow, FollowStore, NewCurriculum, NewFollow,
    NewUser, User, Visibility,
};

use crate::Db;

/// A learner to create. Defaults: display name "{handle} (display)", email
/// "{handle}@example.org", a placeholder password hash, UTC, weeks from Monday.
#[derive(Debug, Clone)]
pub struct LearnerBuilder {
    user: NewUser,
}

impl LearnerBuilder {
    pub fn new(handle: &str) -> Self {
        Self {
            user: NewUser {
                handle: Handle::parse(handle).unwrap(),
                display_name: format!("{handle} (display)"),
                email: Email::parse(&format!("{handle}@example.org")).unwrap(),
                password_hash: format!("$argon2id$hash-of-{handle}"),
                settings: Settings::default(),
                now: Timestamp::now(),
            },
        }
    }

    pub fn email(mut self, email: &str) -> Self {
        self.user.email = Email::parse(email).unwrap();
        self
    }

    pub fn display_name(mut self, name: &str) -> Self {
        name.clone_into(&mut self.user.display_name);
        self
    }

    pub fn zone(mut self, zone: &str) -> Self {
        self.user.settings.timezone = Zone::parse(zone).unwrap();
        self
    }

    pub fn password_hash(mut self, hash: &str) -> Self {
        hash.clone_into(&mut self.user.password_hash);
        self
    }

    pub fn at(mut self, now: Timestamp) -> Self {
        self.user.now = now;
        self
    }

    pub fn build(self) -> NewUser {
        self.user
    }

    pub async fn create(self, db: &Db) -> User {
        db.create_user(self.user).await.unwrap()
    }
}

/// A curriculum to create. Defaults: private, a source with the title and nothing else.
#[derive(Debug, Clone)]
pub struct CurriculumBuilder {
    new: NewCurriculum,
}

impl CurriculumBuilder {
    pub fn new(owner: &User, title: &str) -> Self {
        Self {
            new: NewCurriculum {
                owner: owner.id,
                title: title.to_owned(),
                visibility: Visibility::Private,
                source: format!("title = \"{title}\"\n"),
                lineage: Default::default(),
                now: Timestamp::now(),
            },
        }
    }

    /// The TOML source; the title is taken from its first line's string.
    pub fn source(mut self, source: &str) -> Self {
        if let Some(title) = source.lines().next().and_then(|l| l.split('"').nth(1)) {
            title.clone_into(&mut self.new.title);
        }
        source.clone_into(&mut self.new.source);
        self
    }

    pub fn visibility(mut self, visibility: Visibility) -> Self {
        self.new.visibility = visibility;
        self
    }

    pub fn public(self) -> Self {
        self.visibility(Visibility::Public)
    }

    pub fn at(mut self, now: Timestamp) -> Self {
        self.new.now = now;
        self
    }

    pub fn build(self) -> NewCurriculum {
        self.new
    }

    pub async fn create(self, db: &Db) -> CurriculumRecord {
        db.create_curriculum(self.new).await.unwrap()
    }
}

/// A follow to create. Defaults: 10 h a week from 2026-01-05, no breaks.
#[derive(Debug, Clone)]
pub struct FollowBuilder {
    new: NewFollow,
}

impl FollowBuilder {
    pub fn new(user: &User, curriculum: &CurriculumRecord) -> Self {
        Self {
            new: NewFollow {
                user: user.id,
                curriculum: curriculum.id,
                budget: WeeklyBudget::PerWeek(Minutes::from_hours(10)),
                start: Date::constant(2026, 1, 5),
                breaks: Vec::new(),
                declared: Vec::new(),
                now: Timestamp::now(),
            },
        }
    }

    pub fn hours_per_week(mut self, hours: u32) -> Self {
        self.new.budget = WeeklyBudget::PerWeek(Minutes::from_hours(hours));
        self
    }

    /// A budget as people write it: `10` or `mon=2,sat=6`.
    pub fn budget(mut self, budget: &str) -> Self {
        self.new.budget = WeeklyBudget::parse(budget).unwrap();
        self
    }

    pub fn start(mut self, start: Date) -> Self {
        self.new.start = start;
        self
    }

    /// A break as people write it: `2026-12-21..2027-01-03` or `sun`; a break of dates is
    /// declared on the start day.
    pub fn with_break(mut self, raw: &str) -> Self {
        self.new.breaks.push(raw.parse::<Break>().unwrap());
        self.new.declared = autodidact_core::store::DeclaredBreak::of(
            &self.new.breaks,
            &self.new.declared,
            self.new.start,
        );
        self
    }

    /// A break of dates declared on `on`.
    pub fn with_break_declared(mut self, raw: &str, on: Date) -> Self {
        self.new.breaks.push(raw.parse::<Break>().unwrap());
        self.new.declared =
            autodidact_core::store::DeclaredBreak::of(&self.new.breaks, &self.new.declared, on);
        self
    }

    pub fn at(mut self, now: Timestamp) -> Self {
        self.new.now = now;
        self
    }

    pub fn build(self) -> NewFollow {
        self.new
    }

    pub async fn create(self, db: &Db) -> Follow {
        db.create_follow(self.new).await.unwrap()
    }
}
