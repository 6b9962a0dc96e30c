//! The quick-log form's data, carried by every signed-in page's [`Layout`](crate::page::Layout).
//!
//! Any page gets the form with today's date; pages that load the learner's follows (the
//! dashboard, the log pages) also get the item list. The item list costs a read of every
//! followed curriculum, so the other pages leave it out and the form logs without an item.

use jiff::{Timestamp, ToSpan};

use autodidact_core::logs::FollowedCurriculum;

use super::Catalog;
use crate::auth::{SignedIn, random_token};

#[derive(Debug, Clone)]
pub struct QuickLog {
    /// The learner's today, the form's default date.
    pub today: String,
    /// The latest date accepted: tomorrow.
    pub max_date: String,
    /// A fresh key per rendered form, so a double submit logs once.
    pub key: String,
    /// Where to come back to; empty means the page the form was sent from.
    pub return_to: String,
    /// Followed items grouped by curriculum; empty when not loaded or nothing is followed.
    pub groups: Vec<ItemGroup>,
    /// The running timer, if any: what it is on and since when.
    pub timer: Option<RunningTimer>,
}

/// A running timer as the bar shows it.
#[derive(Debug, Clone)]
pub struct RunningTimer {
    /// `Linear Algebra Done Right`, or empty without an item.
    pub label: String,
    /// `14:05`, in the learner's zone (with the day when not today).
    pub since: String,
    /// The start as an RFC 3339 instant, for the page's ticking clock.
    pub started_at: String,
}

#[derive(Debug, Clone)]
pub struct ItemGroup {
    pub title: String,
    pub options: Vec<ItemOption>,
}

#[derive(Debug, Clone)]
pub struct ItemOption {
    /// `{follow}:{item}`, as [`ItemTarget::from_choice`](autodidact_core::logs::ItemTarget) reads it.
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl QuickLog {
    /// The form without the item list.
    pub fn for_viewer(who: &SignedIn) -> Self {
        let now = Timestamp::now();
        let today = who.user.today(now);
        let zone = &who.user.settings.timezone;
        let timer = who.timer.as_ref().map(|t| {
            let at = zone.time_of(t.started_at);
            RunningTimer {
                label: t.label.clone(),
                since: if at.date() == today {
                    at.strftime("%H:%M").to_string()
                } else {
                    at.strftime("%a %-d %b %H:%M").to_string()
                },
                started_at: t.started_at.to_string(),
            }
        });
        let groups = who
            .catalog
            .as_deref()
            .map(|c| item_groups(c, &current_choice(c)))
            .unwrap_or_default();
        Self {
            today: today.to_string(),
            max_date: today.checked_add(1.day()).unwrap_or(today).to_string(),
            key: random_token(),
            return_to: String::new(),
            groups,
            timer,
        }
    }

    /// The form about one item (`{follow}:{item}`), named `title`: chosen in the list, which
    /// holds it even when the page loaded no others.
    pub fn preset(&mut self, value: &str, title: &str) {
        let mut found = false;
        for option in self.groups.iter_mut().flat_map(|g| g.options.iter_mut()) {
            option.selected = option.value == value;
            found |= option.selected;
        }
        if !found {
            self.groups.insert(
                0,
                ItemGroup {
                    title: "This page".to_owned(),
                    options: vec![ItemOption {
                        value: value.to_owned(),
                        label: title.to_owned(),
                        selected: true,
                    }],
                },
            );
        }
    }

    /// The form with the learner's followed items, coming back to `return_to`.
    pub fn with_items(who: &SignedIn, catalog: &Catalog, return_to: &str) -> Self {
        Self {
            return_to: return_to.to_owned(),
            groups: item_groups(catalog, &current_choice(catalog)),
            ..Self::for_viewer(who)
        }
    }

    /// The form about one follow: its current item chosen (the one in progress, else next).
    pub fn preset_follow(&mut self, catalog: &FollowedCurriculum) {
        if let Some(item) = &catalog.current {
            let title = catalog
                .items
                .iter()
                .find(|(id, _)| id == item)
                .map_or_else(|| item.to_string(), |(_, t)| t.clone());
            self.preset(&format!("{}:{}", catalog.follow.0, item), &title);
        }
    }
}

/// The `{follow}:{item}` of the item a log is most likely about (see `Catalog::current`), or
/// nothing when every item is finished.
pub fn current_choice(catalog: &Catalog) -> String {
    catalog
        .current()
        .map(|(follow, item)| format!("{}:{}", follow.0, item))
        .unwrap_or_default()
}

/// The `<optgroup>`s of an item `<select>`, with `selected` (`{follow}:{item}`) marked.
pub fn item_groups(catalog: &Catalog, selected: &str) -> Vec<ItemGroup> {
    catalog
        .followed
        .iter()
        .filter(|f| !f.items.is_empty())
        .map(|f| ItemGroup {
            title: f.title.clone(),
            options: f
                .items
                .iter()
                .map(|(id, title)| {
                    let value = format!("{}:{}", f.follow.0, id);
                    ItemOption {
                        selected: value == selected,
                        value,
                        label: title.clone(),
                    }
                })
                .collect(),
        })
        .collect()
}
