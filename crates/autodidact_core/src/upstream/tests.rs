#![allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;
use crate::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Minutes, Phase, check_toml,
    write_toml,
};

fn id(raw: &str) -> ItemId {
    ItemId::parse(raw).unwrap()
}

fn item(raw: &str, hours: u32) -> Item {
    Item {
        id: id(raw),
        kind: ItemKind::Course,
        title: format!("Item {raw}"),
        url: None,
        effort: Effort::Hours(Minutes::from_hours(hours)),
        estimate_source: EstimateSource::Stated,
        skills: Vec::new(),
        requires: Vec::new(),
        mode_override: None,
        notes: String::new(),
        due: None,
    }
}

fn curriculum(phases: &[(&str, &[&str])]) -> Curriculum {
    Curriculum {
        title: "Deep learning".to_owned(),
        description: String::new(),
        author: "rosa".to_owned(),
        hours_per_week: None,
        phases: phases
            .iter()
            .map(|(title, items)| Phase {
                title: (*title).to_owned(),
                description: String::new(),
                items: items.iter().map(|i| item(i, 10)).collect(),
            })
            .collect(),
    }
}

fn find<'a>(c: &'a mut Curriculum, raw: &str) -> &'a mut Item {
    c.phases
        .iter_mut()
        .flat_map(|p| p.items.iter_mut())
        .find(|i| i.id.as_str() == raw)
        .unwrap()
}

fn remove(c: &mut Curriculum, raw: &str) {
    for p in &mut c.phases {
        p.items.retain(|i| i.id.as_str() != raw);
    }
}

fn ids(c: &Curriculum) -> Vec<&str> {
    c.items().map(|i| i.id.as_str()).collect()
}

/// The issue's own case: the source changes three items and removes one; the learner edited
/// one item's hours and has progress on another.
#[test]
fn changes_apply_edits_are_protected_and_progress_keeps_a_removed_item() {
    let base = curriculum(&[("One", &["a", "b", "c", "d", "e"])]);
    let mut mine = base.clone();
    find(&mut mine, "a").effort = Effort::Hours(Minutes::from_hours(14));
    let mut theirs = base.clone();
    find(&mut theirs, "a").title = "Item a, second edition".to_owned();
    find(&mut theirs, "b").effort = Effort::Hours(Minutes::from_hours(12));
    find(&mut theirs, "c").notes = "Skip chapter 3.".to_owned();
    remove(&mut theirs, "d");
    remove(&mut theirs, "e");
    theirs.phases[0].items.push(item("f", 5));
    let progress = BTreeSet::from([id("d")]);

    let m = merge(&base, &mine, &theirs, &progress, &Decisions::default());

    assert_eq!(ids(&m.curriculum), ["a", "b", "c", "d", "f"]);
    let mut merged = m.curriculum.clone();
    let a = find(&mut merged, "a").clone();
    assert_eq!(
        a.title, "Item a, second edition",
        "the source's title applies"
    );
    assert_eq!(
        a.effort,
        Effort::Hours(Minutes::from_hours(14)),
        "the learner's hours stay"
    );
    assert_eq!(
        m.updated
            .iter()
            .map(|u| (u.id.as_str(), u.fields.clone()))
            .collect::<Vec<_>>(),
        [
            ("a", vec![Field::Title]),
            ("b", vec![Field::Hours]),
            ("c", vec![Field::Notes])
        ]
    );
    assert_eq!(
        m.retired
            .iter()
            .map(|r| (r.id.as_str(), r.why))
            .collect::<Vec<_>>(),
        [("d", Kept::Progress)]
    );
    assert_eq!(
        m.removed.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["e"]
    );
    assert_eq!(m.added.len(), 1);
    assert!(m.added[0].taken);
    assert!(m.conflicts.is_empty());
    assert!(m.problems.is_empty());
}

#[test]
fn a_field_both_changed_is_a_conflict_that_keeps_mine_unless_i_take_theirs() {
    let base = curriculum(&[("One", &["a"])]);
    let mut mine = base.clone();
    find(&mut mine, "a").effort = Effort::Hours(Minutes::from_hours(14));
    let mut theirs = base.clone();
    find(&mut theirs, "a").effort = Effort::Hours(Minutes::from_hours(20));
    theirs.title = "Deep learning, 2027".to_owned();

    let m = merge(
        &base,
        &mine,
        &theirs,
        &BTreeSet::new(),
        &Decisions::default(),
    );
    assert_eq!(m.conflicts.len(), 1);
    let c = &m.conflicts[0];
    assert_eq!(c.place.key(), "item:a:hours");
    assert_eq!(
        (c.base.as_str(), c.mine.as_str(), c.theirs.as_str()),
        ("10 h", "14 h", "20 h")
    );
    assert!(!c.took_theirs);
    assert_eq!(m.curriculum.title, "Deep learning, 2027");
    assert_eq!(m.updated_top, [TopField::Title]);
    assert_eq!(
        m.curriculum.items().next().unwrap().effort,
        Effort::Hours(Minutes::from_hours(14))
    );

    let decisions = Decisions {
        take_theirs: BTreeSet::from(["item:a:hours".to_owned()]),
        ..Decisions::default()
    };
    let m = merge(&base, &mine, &theirs, &BTreeSet::new(), &decisions);
    assert!(m.conflicts[0].took_theirs);
    assert_eq!(
        m.curriculum.items().next().unwrap().effort,
        Effort::Hours(Minutes::from_hours(20))
    );
}

#[test]
fn an_added_item_left_out_stays_out_and_a_removal_by_the_learner_stands() {
    let base = curriculum(&[("One", &["a", "b"])]);
    let mut mine = base.clone();
    remove(&mut mine, "b");
    let mut theirs = base.clone();
    find(&mut theirs, "b").title = "B, revised".to_owned();
    theirs.phases.push(Phase {
        title: "Two".to_owned(),
        description: String::new(),
        items: vec![item("c", 3)],
    });
    let decisions = Decisions {
        leave_out: BTreeSet::from([id("c")]),
        ..Decisions::default()
    };
    let m = merge(&base, &mine, &theirs, &BTreeSet::new(), &decisions);
    assert_eq!(ids(&m.curriculum), ["a"]);
    assert!(!m.added[0].taken);
    assert_eq!(m.curriculum.phases.len(), 2, "the new phase comes, empty");
}

#[test]
fn the_learners_own_items_and_phases_keep_their_place() {
    let base = curriculum(&[("One", &["a", "b"]), ("Two", &["c"])]);
    let mut mine = base.clone();
    mine.phases[0].items.insert(1, item("mine", 2));
    mine.phases.insert(
        1,
        Phase {
            title: "Side quest".to_owned(),
            description: String::new(),
            items: vec![item("side", 4)],
        },
    );
    let mut theirs = base.clone();
    theirs.phases[0].items.insert(0, item("new", 1));
    let m = merge(
        &base,
        &mine,
        &theirs,
        &BTreeSet::new(),
        &Decisions::default(),
    );
    let phases: Vec<(&str, Vec<&str>)> = m
        .curriculum
        .phases
        .iter()
        .map(|p| {
            (
                p.title.as_str(),
                p.items.iter().map(|i| i.id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        phases,
        [
            ("One", vec!["new", "a", "mine", "b"]),
            ("Side quest", vec!["side"]),
            ("Two", vec!["c"]),
        ]
    );
}

#[test]
fn a_prerequisite_on_a_removed_item_is_unlinked_and_said() {
    let base = curriculum(&[("One", &["a", "b"])]);
    let mut mine = base.clone();
    let mut own = item("own", 2);
    own.requires = vec![id("b")];
    mine.phases[0].items.push(own);
    let mut theirs = base.clone();
    remove(&mut theirs, "b");
    let m = merge(
        &base,
        &mine,
        &theirs,
        &BTreeSet::new(),
        &Decisions::default(),
    );
    assert_eq!(ids(&m.curriculum), ["a", "own"]);
    assert_eq!(m.unlinked, [(id("own"), id("b"))]);
    assert!(m.problems.is_empty());
    // And the merged curriculum reads back from its file.
    assert_eq!(
        check_toml(&write_toml(&m.curriculum)).curriculum.as_ref(),
        Some(&m.curriculum)
    );
}

#[test]
fn a_source_unchanged_since_the_last_sync_proposes_nothing() {
    let base = curriculum(&[("One", &["a", "b"])]);
    let mut mine = base.clone();
    find(&mut mine, "a").notes = "Mine.".to_owned();
    mine.phases[0].items.push(item("x", 1));
    let m = merge(&base, &mine, &base, &BTreeSet::new(), &Decisions::default());
    assert!(m.is_empty());
    assert_eq!(m.curriculum, mine);
}

// ---------------------------------------------------------------------------------------------
// Properties, over generated edits of a generated curriculum on both sides.

#[derive(Debug, Clone)]
enum Edit {
    Title(usize, u8),
    Hours(usize, u8),
    Notes(usize, u8),
    Kind(usize, u8),
    Move(usize, usize),
    Remove(usize),
    Add(u8, usize),
    NewPhase(u8),
    Top(u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..12usize, 0..3u8).prop_map(|(i, v)| Edit::Title(i, v)),
        (0..12usize, 1..4u8).prop_map(|(i, v)| Edit::Hours(i, v)),
        (0..12usize, 0..3u8).prop_map(|(i, v)| Edit::Notes(i, v)),
        (0..12usize, 0..3u8).prop_map(|(i, v)| Edit::Kind(i, v)),
        (0..12usize, 0..4usize).prop_map(|(i, p)| Edit::Move(i, p)),
        (0..12usize).prop_map(Edit::Remove),
        (0..4u8, 0..4usize).prop_map(|(n, p)| Edit::Add(n, p)),
        (0..2u8).prop_map(Edit::NewPhase),
        (0..3u8).prop_map(Edit::Top),
    ]
}

/// A base of `n` items over up to three phases.
fn base_of(n: usize, phases: usize) -> Curriculum {
    let phases = phases.clamp(1, 3);
    let mut c = curriculum(&[]);
    for p in 0..phases {
        c.phases.push(Phase {
            title: format!("Phase {p}"),
            description: String::new(),
            items: Vec::new(),
        });
    }
    for i in 0..n {
        c.phases[i % phases].items.push(item(&format!("i{i}"), 10));
    }
    c
}

/// `base` with `edits` made by `side` (its added items and phases are named after it, so both
/// sides may add the same id).
fn edited(base: &Curriculum, edits: &[Edit], side: &str) -> Curriculum {
    let mut c = base.clone();
    for e in edits {
        let ids: Vec<String> = c.items().map(|i| i.id.as_str().to_owned()).collect();
        let pick = |i: usize| ids.get(i % ids.len().max(1)).cloned();
        match *e {
            Edit::Title(i, v) => {
                if let Some(x) = pick(i) {
                    find(&mut c, &x).title = format!("Title {v}");
                }
            }
            Edit::Hours(i, v) => {
                if let Some(x) = pick(i) {
                    find(&mut c, &x).effort = Effort::Hours(Minutes::from_hours(u32::from(v)));
                }
            }
            Edit::Notes(i, v) => {
                if let Some(x) = pick(i) {
                    find(&mut c, &x).notes = format!("Note {v}");
                }
            }
            Edit::Kind(i, v) => {
                if let Some(x) = pick(i) {
                    find(&mut c, &x).kind = ItemKind::ALL[usize::from(v)];
                }
            }
            Edit::Move(i, p) => {
                if let Some(x) = pick(i) {
                    let moved = find(&mut c, &x).clone();
                    remove(&mut c, &x);
                    let n = c.phases.len();
                    c.phases[p % n].items.push(moved);
                }
            }
            Edit::Remove(i) => {
                if let Some(x) = pick(i) {
                    remove(&mut c, &x);
                }
            }
            Edit::Add(k, p) => {
                let new = format!("new{k}");
                if !ids.contains(&new) {
                    let n = c.phases.len();
                    c.phases[p % n].items.push(item(&new, u32::from(k) + 1));
                }
            }
            Edit::NewPhase(k) => {
                let title = format!("{side} phase {k}");
                if !c.phases.iter().any(|p| p.title == title) {
                    c.phases.push(Phase {
                        title,
                        description: String::new(),
                        items: Vec::new(),
                    });
                }
            }
            Edit::Top(v) => c.title = format!("Curriculum {v}"),
        }
    }
    c
}

/// The items of `mine` the mask's bits pick (item k by bit k mod 16): those with progress.
fn progress_of(mine: &Curriculum, mask: u16) -> BTreeSet<ItemId> {
    mine.items()
        .enumerate()
        .filter(|(k, _)| mask & (1 << (k % 16)) != 0)
        .map(|(_, i)| i.id.clone())
        .collect()
}

proptest! {
    #[test]
    fn no_merge_loses_an_item_that_has_progress(
        n in 1..10usize,
        phases in 1..4usize,
        mine_edits in prop::collection::vec(edit(), 0..8),
        theirs_edits in prop::collection::vec(edit(), 0..8),
        progress_mask in any::<u16>(),
        leave_out_mask in any::<u8>(),
        theirs_mask in any::<u32>(),
    ) {
        let base = base_of(n, phases);
        let mine = edited(&base, &mine_edits, "mine");
        let theirs = edited(&base, &theirs_edits, "theirs");
        let progress = progress_of(&mine, progress_mask);
        let first = merge(&base, &mine, &theirs, &progress, &Decisions::default());
        let decisions = Decisions {
            leave_out: first
                .added
                .iter()
                .enumerate()
                .filter(|(k, _)| leave_out_mask & (1 << (k % 8)) != 0)
                .map(|(_, a)| a.id.clone())
                .collect(),
            take_theirs: first
                .conflicts
                .iter()
                .enumerate()
                .filter(|(k, _)| theirs_mask & (1 << (k % 32)) != 0)
                .map(|(_, c)| c.place.key())
                .collect(),
        };
        let m = merge(&base, &mine, &theirs, &progress, &decisions);
        let kept: BTreeSet<&ItemId> = m.curriculum.items().map(|i| &i.id).collect();
        for p in &progress {
            prop_assert!(kept.contains(p), "{p} has progress and was lost");
        }
        // The only rule a merge without prerequisites can break: nothing left at all.
        prop_assert!(
            m.problems
                .iter()
                .all(|p| matches!(p.kind, crate::curriculum::ProblemKind::EmptyCurriculum)),
            "{:?}",
            m.problems
        );
    }

    #[test]
    fn merging_the_same_update_twice_changes_nothing(
        n in 1..10usize,
        phases in 1..4usize,
        mine_edits in prop::collection::vec(edit(), 0..8),
        theirs_edits in prop::collection::vec(edit(), 0..8),
        progress_mask in any::<u16>(),
        take_all in any::<bool>(),
    ) {
        let base = base_of(n, phases);
        let mine = edited(&base, &mine_edits, "mine");
        let theirs = edited(&base, &theirs_edits, "theirs");
        let progress = progress_of(&mine, progress_mask);
        let first = merge(&base, &mine, &theirs, &progress, &Decisions::default());
        let decisions = Decisions {
            leave_out: BTreeSet::new(),
            take_theirs: if take_all {
                first.conflicts.iter().map(|c| c.place.key()).collect()
            } else {
                BTreeSet::new()
            },
        };
        let once = merge(&base, &mine, &theirs, &progress, &decisions);
        // Accepted: the source as merged becomes the base.
        let twice = merge(&theirs, &once.curriculum, &theirs, &progress, &Decisions::default());
        prop_assert!(twice.is_empty(), "{:?}", twice);
        prop_assert_eq!(&twice.curriculum, &once.curriculum);
    }

    #[test]
    fn accepting_all_of_the_source_on_an_unedited_fork_gives_the_source(
        n in 1..10usize,
        phases in 1..4usize,
        theirs_edits in prop::collection::vec(edit(), 0..10),
    ) {
        let base = base_of(n, phases);
        let theirs = edited(&base, &theirs_edits, "theirs");
        let m = merge(&base, &base, &theirs, &BTreeSet::new(), &Decisions::default());
        prop_assert!(m.conflicts.is_empty());
        prop_assert_eq!(&m.curriculum, &theirs);
    }
}
