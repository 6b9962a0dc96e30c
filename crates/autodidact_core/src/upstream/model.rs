//! A fork's update from its source: what the three-way merge found, and the learner's choices.

use std::collections::BTreeSet;

use crate::curriculum::{Curriculum, ItemId, Minutes, Problem};

/// A field of an item that merges on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Title,
    Kind,
    Link,
    /// The estimate, with where it came from.
    Hours,
    Skills,
    Prerequisites,
    Mode,
    Notes,
    Due,
    Phase,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Title,
        Field::Kind,
        Field::Link,
        Field::Hours,
        Field::Skills,
        Field::Prerequisites,
        Field::Mode,
        Field::Notes,
        Field::Due,
        Field::Phase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Kind => "kind",
            Field::Link => "link",
            Field::Hours => "hours",
            Field::Skills => "skills",
            Field::Prerequisites => "prerequisites",
            Field::Mode => "mode",
            Field::Notes => "notes",
            Field::Due => "due",
            Field::Phase => "phase",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }
}

/// A field of the curriculum itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TopField {
    Title,
    Description,
    Author,
    HoursPerWeek,
}

impl TopField {
    pub const ALL: [TopField; 4] = [
        TopField::Title,
        TopField::Description,
        TopField::Author,
        TopField::HoursPerWeek,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TopField::Title => "title",
            TopField::Description => "description",
            TopField::Author => "author",
            TopField::HoursPerWeek => "hours_per_week",
        }
    }
}

/// Where a conflict sits: a field of an item, or of the curriculum.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    Item(ItemId, Field),
    Curriculum(TopField),
}

impl Place {
    /// The key a form names the choice by: `item:ID:FIELD` or `curriculum:FIELD`.
    pub fn key(&self) -> String {
        match self {
            Place::Item(id, f) => format!("item:{id}:{}", f.as_str()),
            Place::Curriculum(f) => format!("curriculum:{}", f.as_str()),
        }
    }
}

/// A field both the learner and the source changed, differently: shown side by side. The
/// learner's value stands unless they take the source's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub place: Place,
    /// The item's title (the learner's), or the curriculum's.
    pub title: String,
    /// Each version in words; `base` is empty for an item both added.
    pub base: String,
    pub mine: String,
    pub theirs: String,
    /// Whether the merge took the source's value (the learner chose it).
    pub took_theirs: bool,
}

/// An item the source added, proposed to the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposed {
    pub id: ItemId,
    pub title: String,
    pub phase: String,
    pub minutes: Minutes,
    /// Whether the merge adds it (the learner did not leave it out).
    pub taken: bool,
}

/// An item whose fields the source changed and the learner had not: they apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    pub id: ItemId,
    pub title: String,
    pub fields: Vec<Field>,
}

/// Why an item the source removed stays in the learner's copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// The learner has logs, notes, evidence, a board state or reviews on it.
    Progress,
    /// The learner changed it.
    Edited,
}

/// An item the source removed that the learner's copy keeps ("retired").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub id: ItemId,
    pub title: String,
    pub why: Kept,
}

/// An item the source removed that goes from the copy too: untouched, with no progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub id: ItemId,
    pub title: String,
    pub minutes: Minutes,
}

/// The learner's choices on a proposed update. The default takes every added item and keeps
/// the learner's value in every conflict.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decisions {
    /// Added items to leave out.
    pub leave_out: BTreeSet<ItemId>,
    /// Conflicts (by [`Place::key`]) to settle with the source's value.
    pub take_theirs: BTreeSet<String>,
}

/// A three-way merge of a fork with its source: the merged curriculum and everything the
/// learner is shown about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    pub curriculum: Curriculum,
    pub added: Vec<Proposed>,
    pub updated: Vec<Updated>,
    /// Curriculum fields the source changed that apply.
    pub updated_top: Vec<TopField>,
    pub retired: Vec<Retired>,
    pub removed: Vec<Dropped>,
    pub conflicts: Vec<Conflict>,
    /// Prerequisites dropped because the item they named is gone: `(item, prerequisite)`.
    pub unlinked: Vec<(ItemId, ItemId)>,
    /// Rule errors of the merged curriculum (a cycle the two versions make together): the
    /// update cannot be accepted as chosen.
    pub problems: Vec<Problem>,
}

impl Merge {
    /// Whether the source changed nothing the copy does not already have.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.updated.is_empty()
            && self.updated_top.is_empty()
            && self.retired.is_empty()
            && self.removed.is_empty()
            && self.conflicts.is_empty()
    }
}
