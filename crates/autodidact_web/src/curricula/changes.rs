//! Changes to a curriculum's structure that come from a button rather than a form: removing
//! and moving phases and items. Each returns the changed curriculum, validated, or the message
//! that says why not.

use autodidact_core::curriculum::{Curriculum, ItemId, Problem};

use super::forms::{FormErrors, check};

/// Up or down the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

/// Where the item with `id` sits: (phase, index).
pub fn position(c: &Curriculum, id: &str) -> Option<(usize, usize)> {
    c.phases.iter().enumerate().find_map(|(p, phase)| {
        phase
            .items
            .iter()
            .position(|item| item.id.as_str() == id)
            .map(|i| (p, i))
    })
}

/// Ids of the items that require `id`, except those for which `except` holds.
fn required_by(c: &Curriculum, id: &ItemId, except: impl Fn(&ItemId) -> bool) -> Vec<String> {
    c.items()
        .filter(|item| !except(&item.id) && item.requires.contains(id))
        .map(|item| format!("`{}`", item.id))
        .collect()
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn no_place(_: &Problem) -> Option<&'static str> {
    None
}

/// Removes an item, unless other items require it.
pub fn remove_item(c: &Curriculum, (phase, index): (usize, usize)) -> Result<Curriculum, String> {
    let id = &c.phases[phase].items[index].id;
    let dependents = required_by(c, id, |_| false);
    if !dependents.is_empty() {
        let verb = if dependents.len() == 1 {
            "requires"
        } else {
            "require"
        };
        return Err(format!(
            "{} {verb} this item: take it out of their prerequisites first",
            and_list(&dependents)
        ));
    }
    let mut changed = c.clone();
    changed.phases[phase].items.remove(index);
    check(changed, no_place).map_err(joined)
}

/// Removes a phase with its items, unless items of other phases require them.
pub fn remove_phase(c: &Curriculum, phase: usize) -> Result<Curriculum, String> {
    let inside: Vec<&ItemId> = c.phases[phase].items.iter().map(|i| &i.id).collect();
    let mut dependents = Vec::new();
    for id in &inside {
        for by in required_by(c, id, |other| inside.contains(&other)) {
            dependents.push(format!("{by} requires `{id}`"));
        }
    }
    if !dependents.is_empty() {
        return Err(format!(
            "items of other phases require items of this one ({}): take them out of their prerequisites first",
            dependents.join("; ")
        ));
    }
    let mut changed = c.clone();
    changed.phases.remove(phase);
    check(changed, no_place).map_err(joined)
}

/// Swaps a phase with its neighbour; at either end, nothing changes.
pub fn move_phase(c: &Curriculum, phase: usize, direction: Direction) -> Curriculum {
    let mut changed = c.clone();
    let other = match direction {
        Direction::Up => phase.checked_sub(1),
        Direction::Down => Some(phase + 1).filter(|&n| n < c.phases.len()),
    };
    if let Some(other) = other {
        changed.phases.swap(phase, other);
    }
    changed
}

/// Moves an item one place. The first item of a phase moves up to the end of the phase before,
/// and the last moves down to the start of the phase after (skipping none: an empty phase
/// takes it). At the very top or bottom, nothing changes.
pub fn move_item(
    c: &Curriculum,
    (phase, index): (usize, usize),
    direction: Direction,
) -> Curriculum {
    let mut changed = c.clone();
    let len = changed.phases[phase].items.len();
    match direction {
        Direction::Up if index > 0 => changed.phases[phase].items.swap(index, index - 1),
        Direction::Down if index + 1 < len => changed.phases[phase].items.swap(index, index + 1),
        Direction::Up if phase > 0 => {
            let item = changed.phases[phase].items.remove(index);
            changed.phases[phase - 1].items.push(item);
        }
        Direction::Down if phase + 1 < changed.phases.len() => {
            let item = changed.phases[phase].items.remove(index);
            changed.phases[phase + 1].items.insert(0, item);
        }
        Direction::Up | Direction::Down => {}
    }
    changed
}

fn joined(errors: FormErrors) -> String {
    errors.general.join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use autodidact_core::curriculum::check_toml;

    fn sample() -> Curriculum {
        check_toml(
            r#"
title = "T"
[[phases]]
title = "One"
[[phases.items]]
id = "a"
kind = "book"
title = "A"
hours = 1
[[phases.items]]
id = "b"
kind = "book"
title = "B"
hours = 1
requires = ["a"]
[[phases]]
title = "Two"
[[phases.items]]
id = "c"
kind = "book"
title = "C"
hours = 1
requires = ["a"]
"#,
        )
        .curriculum
        .unwrap()
    }

    fn ids(c: &Curriculum) -> Vec<Vec<&str>> {
        c.phases
            .iter()
            .map(|p| p.items.iter().map(|i| i.id.as_str()).collect())
            .collect()
    }

    #[test]
    fn items_move_across_phase_boundaries() {
        let c = sample();
        assert_eq!(position(&c, "c"), Some((1, 0)));
        let up = move_item(&c, (1, 0), Direction::Up);
        assert_eq!(ids(&up), [vec!["a", "b", "c"], vec![]]);
        let down = move_item(&c, (0, 1), Direction::Down);
        assert_eq!(ids(&down), [vec!["a"], vec!["b", "c"]]);
        assert_eq!(move_item(&c, (0, 0), Direction::Up), c);
    }

    #[test]
    fn removing_a_required_item_names_who_requires_it() {
        let err = remove_item(&sample(), (0, 0)).unwrap_err();
        assert_eq!(
            err,
            "`b` and `c` require this item: take it out of their prerequisites first"
        );
        let err = remove_phase(&sample(), 0).unwrap_err();
        assert!(err.contains("`c` requires `a`"), "{err}");
        assert!(!err.contains("`b`"), "{err}");
    }
}
