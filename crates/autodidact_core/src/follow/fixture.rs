//! A follow for the core's unit tests: a small deep learning curriculum followed by user 1.

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};

use super::Followed;
use crate::accounts::UserId;
use crate::curriculum::{ItemId, Minutes};
use crate::plan::WeeklyBudget;
use crate::store::{
    CurriculumId, CurriculumRecord, Follow, FollowId, ItemState, Lineage, Visibility,
};

/// Three items: a 10 h course, a 20 h book and a 10 h project.
pub const SOURCE: &str = r#"title = "Deep learning"
[[phases]]
title = "Foundations"
items = [
  { id = "course", kind = "course", title = "Practical Deep Learning", hours = 10 },
  { id = "book", kind = "book", title = "Linear Algebra Done Right", hours = 20 },
  { id = "project", kind = "project", title = "A small model", hours = 10 },
]
"#;

/// The item id `raw`.
pub fn id(raw: &str) -> ItemId {
    ItemId::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"))
}

/// [`SOURCE`] followed as follow 7 (curriculum 3) at `budget` from `start`, with this board.
pub fn followed(budget: &str, start: Date, states: &[ItemState]) -> Followed {
    let curriculum = crate::curriculum::check_toml(SOURCE)
        .curriculum
        .unwrap_or_else(|| panic!("the fixture's source reads"));
    let budget = WeeklyBudget::parse(budget).unwrap_or_else(|e| panic!("{budget}: {e}"));
    Followed {
        follow: Follow {
            id: FollowId(7),
            user: UserId(1),
            curriculum: CurriculumId(3),
            budget,
            budget_history: crate::plan::BudgetHistory::default(),
            declared: vec![],
            start,
            breaks: vec![],
            visibility: Visibility::Private,
            plan_done: vec![],
            plan_base: Minutes::ZERO,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        },
        record: CurriculumRecord {
            id: CurriculumId(3),
            owner: UserId(1),
            title: curriculum.title.clone(),
            visibility: Visibility::Private,
            source: SOURCE.to_owned(),
            version: 1,
            lineage: Lineage::Original,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        },
        curriculum: curriculum.into(),
        states: states.iter().map(|s| (s.item.clone(), s.clone())).collect(),
        week_start: Weekday::Monday,
    }
}
