//! The three-way merge of a fork with its source, pure: base (the source as the fork last took
//! it), mine (the fork now) and theirs (the source now), item by item and field by field.
//!
//! - A field the learner left as it was takes the source's change; a field the learner
//!   changed keeps the learner's value; both changed differently is a conflict, shown side by
//!   side, which keeps the learner's value unless they take the source's.
//! - An item the source added is proposed and taken unless the learner leaves it out.
//! - An item the source removed goes, unless the learner has progress on it or changed it:
//!   then it stays, "retired". An item the learner removed stays removed.
//! - Phases follow the source's order, with the learner's own phases after the phase they
//!   followed in the copy; items follow the source's order in each phase, with the learner's
//!   own after the item they followed.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{
    Conflict, Decisions, Dropped, Field, Kept, Merge, Place, Proposed, Retired, TopField, Updated,
};
use crate::curriculum::{Curriculum, Item, ItemId, Phase, Severity, validate};

/// An item with the key of the phase it sits in.
#[derive(Clone, Copy)]
struct Placed<'a> {
    item: &'a Item,
    phase: &'a str,
}

/// A version indexed: items by id (with their phase's key), in document order, and phases by
/// key (the title, with `#n` for a repeated title).
struct Version<'a> {
    items: BTreeMap<&'a ItemId, Placed<'a>>,
    order: Vec<&'a ItemId>,
    phases: Vec<(String, &'a Phase)>,
}

fn phase_keys(c: &Curriculum) -> Vec<String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    c.phases
        .iter()
        .map(|p| {
            let n = seen.entry(p.title.as_str()).or_default();
            *n += 1;
            if *n == 1 {
                p.title.clone()
            } else {
                format!("{}#{}", p.title, n)
            }
        })
        .collect()
}

impl<'a> Version<'a> {
    fn new(c: &'a Curriculum, keys: &'a [String]) -> Self {
        let mut items = BTreeMap::new();
        let mut order = Vec::new();
        for (phase, key) in c.phases.iter().zip(keys) {
            for item in &phase.items {
                items.insert(&item.id, Placed { item, phase: key });
                order.push(&item.id);
            }
        }
        Self {
            items,
            order,
            phases: keys.iter().cloned().zip(c.phases.iter()).collect(),
        }
    }

    fn phase(&self, key: &str) -> Option<&'a Phase> {
        self.phases.iter().find(|(k, _)| k == key).map(|(_, p)| *p)
    }
}

/// Whether two placed items agree on `field`.
fn same(field: Field, a: Placed<'_>, b: Placed<'_>) -> bool {
    let (x, y) = (a.item, b.item);
    match field {
        Field::Title => x.title == y.title,
        Field::Kind => x.kind == y.kind,
        Field::Link => x.url == y.url,
        Field::Hours => x.effort == y.effort && x.estimate_source == y.estimate_source,
        Field::Skills => x.skills == y.skills,
        Field::Prerequisites => x.requires == y.requires,
        Field::Mode => x.mode_override == y.mode_override,
        Field::Notes => x.notes == y.notes,
        Field::Due => x.due == y.due,
        Field::Phase => a.phase == b.phase,
    }
}

/// Sets `field` of `into` (and its phase) from `from`.
fn take(field: Field, into: &mut Item, phase: &mut String, from: Placed<'_>) {
    let y = from.item;
    match field {
        Field::Title => into.title.clone_from(&y.title),
        Field::Kind => into.kind = y.kind,
        Field::Link => into.url.clone_from(&y.url),
        Field::Hours => {
            into.effort = y.effort;
            into.estimate_source = y.estimate_source;
        }
        Field::Skills => into.skills.clone_from(&y.skills),
        Field::Prerequisites => into.requires.clone_from(&y.requires),
        Field::Mode => into.mode_override = y.mode_override,
        Field::Notes => into.notes.clone_from(&y.notes),
        Field::Due => into.due = y.due,
        Field::Phase => from.phase.clone_into(phase),
    }
}

/// A field in words, for the side-by-side view.
fn shown(field: Field, p: Placed<'_>, weekly: Option<crate::curriculum::Minutes>) -> String {
    let i = p.item;
    match field {
        Field::Title => i.title.clone(),
        Field::Kind => i.kind.as_str().to_owned(),
        Field::Link => i.url.clone().unwrap_or_else(|| "no link".to_owned()),
        Field::Hours => i.planned(weekly).to_string(),
        Field::Skills => i.skills.join(", "),
        Field::Prerequisites => i
            .requires
            .iter()
            .map(ItemId::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Field::Mode => i
            .mode_override
            .map_or_else(|| "from its kind".to_owned(), |m| m.as_str().to_owned()),
        Field::Notes => i.notes.clone(),
        Field::Due => i.due.map_or_else(|| "none".to_owned(), |d| d.to_string()),
        Field::Phase => p.phase.split('#').next().unwrap_or(p.phase).to_owned(),
    }
}

fn top_same(f: TopField, a: &Curriculum, b: &Curriculum) -> bool {
    match f {
        TopField::Title => a.title == b.title,
        TopField::Description => a.description == b.description,
        TopField::Author => a.author == b.author,
        TopField::HoursPerWeek => a.hours_per_week == b.hours_per_week,
    }
}

fn top_take(f: TopField, into: &mut Curriculum, from: &Curriculum) {
    match f {
        TopField::Title => into.title.clone_from(&from.title),
        TopField::Description => into.description.clone_from(&from.description),
        TopField::Author => into.author.clone_from(&from.author),
        TopField::HoursPerWeek => into.hours_per_week = from.hours_per_week,
    }
}

fn top_shown(f: TopField, c: &Curriculum) -> String {
    match f {
        TopField::Title => c.title.clone(),
        TopField::Description => c.description.clone(),
        TopField::Author => c.author.clone(),
        TopField::HoursPerWeek => c
            .hours_per_week
            .map_or_else(|| "not stated".to_owned(), |m| format!("{m} a week")),
    }
}

/// Inserts each of `extra` (in `mine_order`) after the nearest earlier one of `mine_order`
/// already in `list`, or at the front: a sequence from the source with the learner's own
/// entries where they had them.
fn weave<T: Clone + PartialEq>(list: &mut Vec<T>, extra: &[T], mine_order: &[T]) {
    for x in extra {
        let at = mine_order
            .iter()
            .position(|m| m == x)
            .and_then(|i| {
                mine_order[..i]
                    .iter()
                    .rev()
                    .find_map(|p| list.iter().position(|l| l == p))
            })
            .map_or(0, |p| p + 1);
        list.insert(at, x.clone());
    }
}

/// Merges `theirs` into `mine` over `base`, with the learner's `decisions`; `progress` holds
/// the items the learner has logs, notes, evidence, a board state or reviews on.
pub fn merge(
    base: &Curriculum,
    mine: &Curriculum,
    theirs: &Curriculum,
    progress: &BTreeSet<ItemId>,
    decisions: &Decisions,
) -> Merge {
    let (bk, mk, tk) = (phase_keys(base), phase_keys(mine), phase_keys(theirs));
    let (b, m, t) = (
        Version::new(base, &bk),
        Version::new(mine, &mk),
        Version::new(theirs, &tk),
    );
    let mut out = Merge {
        curriculum: mine.clone(),
        added: Vec::new(),
        updated: Vec::new(),
        updated_top: Vec::new(),
        retired: Vec::new(),
        removed: Vec::new(),
        conflicts: Vec::new(),
        unlinked: Vec::new(),
        problems: Vec::new(),
    };

    // The curriculum's own fields.
    let mut top = mine.clone();
    for f in TopField::ALL {
        if top_same(f, mine, base) {
            if !top_same(f, theirs, base) {
                top_take(f, &mut top, theirs);
                out.updated_top.push(f);
            }
        } else if !top_same(f, theirs, base) && !top_same(f, mine, theirs) {
            let place = Place::Curriculum(f);
            let took = decisions.take_theirs.contains(&place.key());
            if took {
                top_take(f, &mut top, theirs);
            }
            out.conflicts.push(Conflict {
                title: mine.title.clone(),
                base: top_shown(f, base),
                mine: top_shown(f, mine),
                theirs: top_shown(f, theirs),
                place,
                took_theirs: took,
            });
        }
    }

    // Every item of the copy, then every item only the source has.
    let mut merged: BTreeMap<ItemId, (Item, String)> = BTreeMap::new();
    for id in &m.order {
        let mi = m.items[id];
        match (b.items.get(id), t.items.get(id)) {
            (base_item, Some(&ti)) => {
                let mut item = mi.item.clone();
                let mut phase = mi.phase.to_owned();
                let mut applied = Vec::new();
                for f in Field::ALL {
                    let mine_is_base = base_item.is_some_and(|&bi| same(f, mi, bi));
                    let theirs_is_base = base_item.is_some_and(|&bi| same(f, ti, bi));
                    if mine_is_base {
                        if !theirs_is_base {
                            take(f, &mut item, &mut phase, ti);
                            applied.push(f);
                        }
                    } else if !theirs_is_base && !same(f, mi, ti) {
                        let place = Place::Item((*id).clone(), f);
                        let took = decisions.take_theirs.contains(&place.key());
                        if took {
                            take(f, &mut item, &mut phase, ti);
                        }
                        out.conflicts.push(Conflict {
                            title: mi.item.title.clone(),
                            base: base_item
                                .map(|&bi| shown(f, bi, base.hours_per_week))
                                .unwrap_or_default(),
                            mine: shown(f, mi, mine.hours_per_week),
                            theirs: shown(f, ti, theirs.hours_per_week),
                            place,
                            took_theirs: took,
                        });
                    }
                }
                if !applied.is_empty() {
                    out.updated.push(Updated {
                        id: (*id).clone(),
                        title: item.title.clone(),
                        fields: applied,
                    });
                }
                merged.insert((*id).clone(), (item, phase));
            }
            (Some(&bi), None) => {
                let edited = Field::ALL.into_iter().any(|f| !same(f, mi, bi));
                let why = if progress.contains(*id) {
                    Some(Kept::Progress)
                } else if edited {
                    Some(Kept::Edited)
                } else {
                    None
                };
                match why {
                    Some(why) => {
                        out.retired.push(Retired {
                            id: (*id).clone(),
                            title: mi.item.title.clone(),
                            why,
                        });
                        merged.insert((*id).clone(), (mi.item.clone(), mi.phase.to_owned()));
                    }
                    None => out.removed.push(Dropped {
                        id: (*id).clone(),
                        title: mi.item.title.clone(),
                        minutes: mi.item.planned(mine.hours_per_week),
                    }),
                }
            }
            (None, None) => {
                merged.insert((*id).clone(), (mi.item.clone(), mi.phase.to_owned()));
            }
        }
    }
    for id in &t.order {
        if m.items.contains_key(id) || b.items.contains_key(id) {
            // Kept above, or removed by the learner: their removal stands.
            continue;
        }
        let ti = t.items[id];
        let taken = !decisions.leave_out.contains(*id);
        out.added.push(Proposed {
            id: (*id).clone(),
            title: ti.item.title.clone(),
            phase: shown(Field::Phase, ti, theirs.hours_per_week),
            minutes: ti.item.planned(theirs.hours_per_week),
            taken,
        });
        if taken {
            merged.insert((*id).clone(), (ti.item.clone(), ti.phase.to_owned()));
        }
    }

    // Phases: the source's order, the learner's own woven in where they had them.
    let mine_keys: Vec<String> = m.phases.iter().map(|(k, _)| k.clone()).collect();
    let mut keys: Vec<String> = t.phases.iter().map(|(k, _)| k.clone()).collect();
    let extra: Vec<String> = mine_keys
        .iter()
        .filter(|k| !keys.contains(k))
        .cloned()
        .collect();
    weave(&mut keys, &extra, &mine_keys);

    // Items of each phase: the source's order, the learner's own woven in.
    let mine_ids: Vec<ItemId> = m.order.iter().map(|i| (*i).clone()).collect();
    let mut phases = Vec::new();
    for key in &keys {
        let here = |id: &ItemId| merged.get(id).is_some_and(|(_, p)| p == key);
        let mut ids: Vec<ItemId> = t
            .order
            .iter()
            .map(|i| (*i).clone())
            .filter(|i| here(i))
            .collect();
        let extra: Vec<ItemId> = mine_ids
            .iter()
            .filter(|i| here(i) && !ids.contains(i))
            .cloned()
            .collect();
        weave(&mut ids, &extra, &mine_ids);
        let (bp, mp, tp) = (b.phase(key), m.phase(key), t.phase(key));
        if ids.is_empty() && tp.is_none() && bp.is_some() {
            // A phase the source removed or renamed, emptied by the merge.
            continue;
        }
        let description = match (bp, mp, tp) {
            (Some(bp), Some(mp), Some(tp)) if mp.description == bp.description => {
                tp.description.clone()
            }
            (_, Some(mp), _) => mp.description.clone(),
            (_, None, Some(tp)) => tp.description.clone(),
            _ => String::new(),
        };
        let title = mp.or(tp).map(|p| p.title.clone()).unwrap_or_default();
        let items = ids
            .iter()
            .filter_map(|id| merged.get(id).map(|(item, _)| item.clone()))
            .collect();
        phases.push(Phase {
            title,
            description,
            items,
        });
    }
    top.phases = phases;

    // A prerequisite that names an item no longer there is dropped, and said.
    let present: BTreeSet<ItemId> = top.items().map(|i| i.id.clone()).collect();
    for phase in &mut top.phases {
        for item in &mut phase.items {
            let (kept, gone): (Vec<ItemId>, Vec<ItemId>) =
                item.requires.drain(..).partition(|r| present.contains(r));
            item.requires = kept;
            out.unlinked
                .extend(gone.into_iter().map(|g| (item.id.clone(), g)));
        }
    }
    out.problems = validate(&top)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    out.curriculum = top;
    out
}
