//! Trello board exports ("Menu → Print, export and share → Export as JSON").
//!
//! Open lists become phases and open cards become items, both in Trello's `pos` order. Lists
//! whose names are a status ("To do", "Doing", "In progress", "Done", "Completed"…, in any case,
//! emoji aside) are not topics: their cards go to one phase named after the board, done first,
//! and carry their status. A card is also done when its due date is marked complete or every
//! box of its checklists is ticked, and in progress when some are. Only the fields used are
//! declared; serde skips the many others without building them, which keeps a 5 MB export
//! well under a second.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::draft::{Draft, Estimate, NewItem, one_line};
use super::error::count;
use super::estimate::{find_effort, split_trailing_hours};
use super::{ImportError, Imported, SourceFormat, json};
use crate::curriculum::is_web_url;
use crate::store::ItemStatus;

/// What a list's name says about its cards when it names a status rather than a topic.
fn list_status(name: &str) -> Option<ItemStatus> {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase();
    let key = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    match key.as_str() {
        "done" | "completed" | "complete" | "finished" | "learned" | "learnt" | "read"
        | "watched" | "done this week" | "done this month" | "all done" => Some(ItemStatus::Done),
        "doing" | "in progress" | "wip" | "work in progress" | "current" | "currently" | "now"
        | "learning" | "currently learning" | "reading" | "currently reading" | "in review"
        | "ongoing" | "started" => Some(ItemStatus::Doing),
        "to do" | "todo" | "to learn" | "to read" | "to watch" | "backlog" | "next" | "up next"
        | "later" | "queue" | "not started" | "planned" => Some(ItemStatus::Todo),
        _ => None,
    }
}

#[derive(Debug, Deserialize)]
struct Board {
    name: Option<String>,
    desc: Option<String>,
    lists: Vec<List>,
    cards: Vec<Card>,
    #[serde(default)]
    checklists: Vec<Checklist>,
}

#[derive(Debug, Deserialize)]
struct List {
    id: String,
    name: Option<String>,
    #[serde(default)]
    closed: bool,
    pos: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Card {
    id: String,
    id_list: Option<String>,
    name: Option<String>,
    desc: Option<String>,
    #[serde(default)]
    closed: bool,
    due: Option<String>,
    #[serde(default)]
    due_complete: bool,
    #[serde(default)]
    labels: Vec<Label>,
    pos: Option<f64>,
    #[serde(default)]
    attachments: Vec<Attachment>,
}

#[derive(Debug, Deserialize)]
struct Label {
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Attachment {
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Checklist {
    id_card: Option<String>,
    name: Option<String>,
    pos: Option<f64>,
    #[serde(default)]
    check_items: Vec<CheckItem>,
}

#[derive(Debug, Deserialize)]
struct CheckItem {
    name: Option<String>,
    state: Option<String>,
    pos: Option<f64>,
}

pub(super) fn import(source: &str, fallback_title: &str) -> Result<Imported, ImportError> {
    let board: Board = json::parse(source, SourceFormat::Trello)?;
    let mut draft = Draft::new(board.name.as_deref().unwrap_or_default(), fallback_title);
    draft.description = board.desc.clone().unwrap_or_default();

    let mut lists: Vec<&List> = board.lists.iter().collect();
    sort_by_pos(&mut lists, |l| l.pos);
    let mut skipped = Skipped::default();
    let mut cards_by_list = open_cards_by_list(&board, &mut skipped);
    let mut checklists: HashMap<&str, Vec<&Checklist>> = HashMap::new();
    for checklist in &board.checklists {
        if let Some(card) = checklist.id_card.as_deref() {
            checklists.entry(card).or_default().push(checklist);
        }
    }

    // Each phase with its cards and the status their list gives; the status lists make one
    // phase, named after the board, where the first of them stands, done cards first.
    let board_title = draft.title.clone();
    let mut by_status: [Vec<Placed>; 3] = Default::default();
    let mut status_phase_at = None;
    let mut phases: Vec<(&str, Vec<Placed>)> = Vec::new();
    for list in lists {
        if list.closed {
            skipped.archived_lists += 1;
            continue;
        }
        let Some(cards) = cards_by_list.get_mut(list.id.as_str()) else {
            skipped.empty_lists += 1;
            continue;
        };
        sort_by_pos(cards, |c| c.pos);
        let name = list.name.as_deref().unwrap_or("Untitled list");
        match list_status(name) {
            Some(status) => {
                if status_phase_at.is_none() {
                    status_phase_at = Some(phases.len());
                    phases.push((&board_title, Vec::new()));
                }
                let slot = match status {
                    ItemStatus::Done | ItemStatus::Skipped => 0,
                    ItemStatus::Doing => 1,
                    ItemStatus::Todo => 2,
                };
                by_status[slot].extend(cards.iter().map(|c| (*c, Some(status))));
            }
            None => phases.push((name, cards.iter().map(|c| (*c, None)).collect())),
        }
    }
    if let Some(at) = status_phase_at {
        phases[at].1 = by_status.into_iter().flatten().collect();
    }
    for (name, cards) in phases {
        draft.start_phase(name);
        for (card, list) in cards {
            let card_checklists = checklists
                .get(card.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let mut item = card_item(card, card_checklists, &mut draft);
            item.status = card_status(card, card_checklists, list);
            draft.push(item);
        }
    }
    skipped.note(&mut draft);
    draft.finish(SourceFormat::Trello)
}

/// A card, and the status its list gives it (none for a topical list).
type Placed<'b> = (&'b Card, Option<ItemStatus>);

/// What was left out, for the notes.
#[derive(Debug, Default)]
struct Skipped {
    archived_lists: usize,
    cards_in_archived_lists: usize,
    archived_cards: usize,
    empty_lists: usize,
    orphan_cards: usize,
}

impl Skipped {
    fn note(&self, draft: &mut Draft) {
        let counts = [
            (
                self.archived_lists,
                "archived list was",
                "archived lists were",
            ),
            (
                self.cards_in_archived_lists,
                "card in archived lists was",
                "cards in archived lists were",
            ),
            (
                self.archived_cards,
                "archived card was",
                "archived cards were",
            ),
            (
                self.orphan_cards,
                "card of no known list was",
                "cards of no known list were",
            ),
        ];
        for (n, one, many) in counts {
            if n > 0 {
                draft.note(format!("{} skipped", count(n, one, many)));
            }
        }
        if self.empty_lists > 0 {
            draft.note(format!(
                "{} left out",
                count(
                    self.empty_lists,
                    "list with no open cards was",
                    "lists with no open cards were"
                )
            ));
        }
    }
}

/// Open cards grouped by their open list; the others are counted in `skipped`.
fn open_cards_by_list<'b>(
    board: &'b Board,
    skipped: &mut Skipped,
) -> HashMap<&'b str, Vec<&'b Card>> {
    let open_lists: HashMap<&str, bool> = board
        .lists
        .iter()
        .map(|l| (l.id.as_str(), !l.closed))
        .collect();
    let mut cards_by_list: HashMap<&str, Vec<&Card>> = HashMap::new();
    for card in &board.cards {
        let list = card.id_list.as_deref().unwrap_or_default();
        match open_lists.get(list) {
            _ if card.closed => skipped.archived_cards += 1,
            Some(true) => cards_by_list.entry(list).or_default().push(card),
            Some(false) => skipped.cards_in_archived_lists += 1,
            None => skipped.orphan_cards += 1,
        }
    }
    cards_by_list
}

/// Sorts by Trello's `pos`, keeping the export's order for equal or missing positions.
fn sort_by_pos<T>(things: &mut [T], pos: impl Fn(&T) -> Option<f64>) {
    things.sort_by(|a, b| {
        let (a, b) = (pos(a).unwrap_or(f64::MAX), pos(b).unwrap_or(f64::MAX));
        a.total_cmp(&b)
    });
}

fn card_item(card: &Card, checklists: &[&Checklist], draft: &mut Draft) -> NewItem {
    let name = card.name.as_deref().unwrap_or_default();
    let desc = card.desc.as_deref().unwrap_or_default();
    let (title, trailing) = split_trailing_hours(&one_line(name, ""));
    let effort = trailing
        .or_else(|| find_effort(name))
        .or_else(|| find_effort(desc));
    let title = if title.is_empty() { name } else { &title };
    let mut item = NewItem::new(title, Estimate::stated_or_missing(effort));

    item.url = card
        .attachments
        .iter()
        .filter_map(|a| a.url.as_deref())
        .find(|url| is_web_url(url))
        .or_else(|| first_web_url(desc))
        .map(str::to_owned);
    item.skills = card.labels.iter().filter_map(|l| l.name.clone()).collect();
    item.due = card.due.as_deref().and_then(|due| {
        let date = due_date(due);
        if date.is_none() {
            draft.note(format!(
                "the due date `{due}` of \"{}\" could not be read and was left out",
                one_line(name, "a card")
            ));
        }
        date
    });

    let mut notes = vec![desc.trim().to_owned()];
    let mut checklists = checklists.to_vec();
    sort_by_pos(&mut checklists, |c| c.pos);
    notes.extend(checklists.iter().map(|c| checklist_notes(c)));
    notes.retain(|n| !n.is_empty());
    item.notes = notes.join("\n\n");
    item
}

/// A card's progress: its status list's, else done when its due date is marked complete or
/// every box of its checklists is ticked, in progress when some are.
fn card_status(
    card: &Card,
    checklists: &[&Checklist],
    list: Option<ItemStatus>,
) -> Option<ItemStatus> {
    if matches!(list, Some(ItemStatus::Done | ItemStatus::Doing)) {
        return list;
    }
    if card.due_complete {
        return Some(ItemStatus::Done);
    }
    let boxes = checklists.iter().flat_map(|c| c.check_items.iter());
    let (ticked, all) = boxes.fold((0, 0), |(t, a), b| {
        (
            t + usize::from(b.state.as_deref() == Some("complete")),
            a + 1,
        )
    });
    match (ticked, all) {
        (0, _) => list,
        (t, a) if t == a => Some(ItemStatus::Done),
        _ => Some(ItemStatus::Doing),
    }
}

/// A checklist as a Markdown task list under its name in bold.
fn checklist_notes(checklist: &Checklist) -> String {
    let mut entries: Vec<&CheckItem> = checklist.check_items.iter().collect();
    sort_by_pos(&mut entries, |e| e.pos);
    let mut lines = vec![format!(
        "**{}**",
        one_line(checklist.name.as_deref().unwrap_or_default(), "Checklist")
    )];
    for entry in entries {
        let done = entry.state.as_deref() == Some("complete");
        let name = one_line(entry.name.as_deref().unwrap_or_default(), "(unnamed)");
        lines.push(format!("- [{}] {name}", if done { 'x' } else { ' ' }));
    }
    lines.join("\n")
}

/// The calendar date, in UTC, of a Trello due timestamp such as `2026-03-01T17:00:00.000Z`.
fn due_date(due: &str) -> Option<Date> {
    let due = due.trim();
    match due.parse::<Timestamp>() {
        Ok(ts) => Some(ts.to_zoned(TimeZone::UTC).date()),
        Err(_) => due.parse::<Date>().ok(),
    }
}

/// The first http(s) address in free text, without the punctuation that usually follows one.
fn first_web_url(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(start) = rest.find("http") {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '<' | '"' | '`'))
            .unwrap_or(candidate.len());
        let url = candidate[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
        if is_web_url(url) {
            return Some(url);
        }
        rest = &candidate[4..];
    }
    None
}
