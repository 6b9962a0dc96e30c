//! Markdown curricula in the style of OSSU: headings for sections, checklist lines and lists
//! of links for resources, and tables of courses with Duration, Effort and Prerequisites.
//!
//! pulldown-cmark does the parsing (with its table and task-list extensions); this module
//! only walks the events. Each heading that directly holds items becomes a phase.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::draft::{Draft, Estimate, NewItem, one_line};
use super::error::count;
use super::estimate::{
    TableEstimate, find_effort, find_span_times_rate, hours_effort, split_trailing_hours,
    table_estimate,
};
use super::{ImportError, Imported, SourceFormat, guess_kind};
use crate::curriculum::{ItemId, ItemKind, is_web_url};
use crate::store::ItemStatus;

/// A course row in a table without any estimate: most are a few weeks of evenings.
/// Hours per week assumed for a table row that gives weeks but not effort.
const GUESS_WEEKLY_HOURS: f64 = 5.0;

pub(super) fn import(source: &str, fallback_title: &str) -> Result<Imported, ImportError> {
    let mut walk = Walk::new(fallback_title);
    for event in Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS) {
        walk.event(event);
    }
    walk.finish()
}

/// Inline text being collected, with the first link in it.
#[derive(Debug, Default)]
struct Inline {
    text: String,
    link: Option<Link>,
    open_link: Option<(usize, String)>,
}

/// A link: where its text sits in [`Inline::text`] (byte offsets) and where it points.
#[derive(Debug)]
struct Link {
    start: usize,
    end: usize,
    url: String,
}

impl Inline {
    fn open_link(&mut self, url: &str) {
        if self.link.is_none() && self.open_link.is_none() {
            self.open_link = Some((self.text.len(), url.to_owned()));
        }
    }

    fn close_link(&mut self) {
        if let Some((start, url)) = self.open_link.take() {
            let end = self.text.len();
            self.link = Some(Link { start, end, url });
        }
    }

    /// The first link, when nothing but spaces comes before it.
    fn leading_link(&self) -> Option<&Link> {
        self.link.as_ref().filter(|l| {
            self.text
                .get(..l.start)
                .is_some_and(|before| before.trim().is_empty())
        })
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or_default()
    }
}

#[derive(Debug, Default)]
struct OpenItem {
    inline: Inline,
    /// `Some(ticked)` for a checklist line.
    task: Option<bool>,
    /// Emitted already (when its nested list began), so later text is not its title.
    done: bool,
}

/// Which columns of a table mean something here.
#[derive(Debug, Default, Clone, Copy)]
struct Columns {
    duration: Option<usize>,
    effort: Option<usize>,
    hours: Option<usize>,
    prerequisites: Option<usize>,
    /// From the first column's name: the rows of a "Courses" table are courses.
    kind_hint: Option<ItemKind>,
}

impl Columns {
    fn from_header(header: &[String]) -> Self {
        let find = |names: &[&str]| {
            header
                .iter()
                .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
        };
        Self {
            duration: find(&["duration", "length", "weeks"]),
            effort: find(&["effort", "workload", "hours/week", "hours per week"]),
            hours: find(&["hours", "estimated hours", "time"]),
            prerequisites: find(&["prerequisites", "prerequisite", "prereqs", "requires"]),
            kind_hint: header
                .first()
                .map(|h| guess_kind(h, None))
                .filter(|k| *k != ItemKind::Other),
        }
    }
}

#[derive(Debug, Default)]
struct Table {
    in_head: bool,
    header: Vec<String>,
    columns: Columns,
    row: Vec<Inline>,
    cell: Option<Inline>,
}

struct Walk {
    draft: Draft,
    fallback_title: String,
    first_h1: Option<String>,
    heading: Option<Inline>,
    /// The latest heading's text, and a counter that changes with every heading.
    section: Option<String>,
    section_seq: usize,
    /// The section the last phase was started for.
    phase_seq: Option<usize>,
    items: Vec<OpenItem>,
    table: Option<Table>,
    in_code_block: bool,
    rows_without_link: usize,
    /// Prerequisites that named no earlier item exactly, kept as text in notes.
    unmatched_prerequisites: usize,
}

impl Walk {
    fn new(fallback_title: &str) -> Self {
        Self {
            draft: Draft::new(fallback_title, fallback_title),
            fallback_title: fallback_title.to_owned(),
            first_h1: None,
            heading: None,
            section: None,
            section_seq: 0,
            phase_seq: None,
            items: Vec::new(),
            table: None,
            in_code_block: false,
            rows_without_link: 0,
            unmatched_prerequisites: 0,
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Heading { .. }) => self.heading = Some(Inline::default()),
            Event::End(TagEnd::Heading(level)) => self.end_heading(level),
            Event::Start(Tag::List(_)) => self.emit_parent_item(),
            Event::Start(Tag::Item) => self.items.push(OpenItem::default()),
            Event::End(TagEnd::Item) => {
                if let Some(item) = self.items.pop().filter(|item| !item.done) {
                    self.emit_item(item);
                }
            }
            Event::TaskListMarker(ticked) => {
                if let Some(item) = self.items.last_mut() {
                    item.task = Some(ticked);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Start(Tag::Table(_)) => self.table = Some(Table::default()),
            Event::End(TagEnd::Table) => self.table = None,
            Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead) => {
                if let Some(table) = &mut self.table {
                    table.in_head = matches!(event, Event::Start(_));
                    table.columns = Columns::from_header(&table.header);
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(table) = &mut self.table {
                    table.cell = Some(Inline::default());
                }
            }
            Event::End(TagEnd::TableCell) => self.end_cell(),
            Event::End(TagEnd::TableRow) => self.end_row(),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(inline) = self.target() {
                    inline.open_link(&dest_url);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some(inline) = self.target() {
                    inline.close_link();
                }
            }
            Event::Text(text) | Event::Code(text) if !self.in_code_block => {
                if let Some(inline) = self.target() {
                    inline.text.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(inline) = self.target() {
                    inline.text.push(' ');
                }
            }
            _ => {}
        }
    }

    /// Where inline text goes now: a heading, a table cell, or the innermost list item.
    fn target(&mut self) -> Option<&mut Inline> {
        if let Some(heading) = &mut self.heading {
            return Some(heading);
        }
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            return Some(cell);
        }
        self.items
            .last_mut()
            .filter(|item| !item.done)
            .map(|item| &mut item.inline)
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let text = one_line(&heading.text, "");
        if level == HeadingLevel::H1 && self.first_h1.is_none() && !text.is_empty() {
            self.first_h1 = Some(text.clone());
        }
        self.section = Some(text);
        self.section_seq += 1;
    }

    /// Starts a phase for the current heading unless one is open for it already.
    fn ensure_phase(&mut self) {
        if self.phase_seq != Some(self.section_seq) {
            let title = match &self.section {
                Some(section) if !section.is_empty() => section.clone(),
                _ => self.fallback_title.clone(),
            };
            self.draft.start_phase(&title);
            self.phase_seq = Some(self.section_seq);
        }
    }

    /// A list nested in an item ends that item's title: emit it now, so that it comes
    /// before the nested items, in document order.
    fn emit_parent_item(&mut self) {
        let Some(parent) = self.items.last_mut().filter(|item| !item.done) else {
            return;
        };
        parent.done = true;
        let parent = OpenItem {
            inline: std::mem::take(&mut parent.inline),
            task: parent.task,
            done: true,
        };
        self.emit_item(parent);
    }

    /// Checklist lines are items whatever their text; plain list items only when they start
    /// with a link to the web (so a table of contents of `#anchors` is not imported).
    fn emit_item(&mut self, item: OpenItem) {
        let inline = &item.inline;
        let (title, rest, url) = match (inline.leading_link(), item.task) {
            (Some(link), _) if item.task.is_some() || is_web_url(link.url.trim()) => (
                inline.slice(link.start, link.end),
                inline.text.get(link.end..).unwrap_or_default(),
                Some(link.url.clone()),
            ),
            (_, Some(_)) => (
                inline.text.as_str(),
                "",
                inline.link.as_ref().map(|l| l.url.clone()),
            ),
            (_, None) => return,
        };
        let (title, title_effort) = split_trailing_hours(title);
        let (rest, rest_effort) = split_trailing_hours(rest);
        let effort = title_effort
            .or(rest_effort)
            .or_else(|| find_span_times_rate(&title))
            .or_else(|| find_effort(&rest));
        if title.trim().is_empty() && url.is_none() {
            return;
        }
        let title = if title.trim().is_empty() {
            url.clone().unwrap_or_default()
        } else {
            title
        };

        let mut new = NewItem::new(&title, Estimate::stated_or_missing(effort));
        new.url = url;
        let mut notes = vec![
            rest.trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '—' | '–' | '-' | ':' | ',')
            })
            .to_owned(),
        ];
        if item.task == Some(true) {
            new.status = Some(ItemStatus::Done);
        }
        notes.retain(|n| !n.is_empty());
        new.notes = notes.join("\n\n");
        self.ensure_phase();
        self.draft.push(new);
    }

    fn end_cell(&mut self) {
        let Some(table) = &mut self.table else {
            return;
        };
        let Some(cell) = table.cell.take() else {
            return;
        };
        if table.in_head {
            table.header.push(cell.text);
        } else {
            table.row.push(cell);
        }
    }

    fn end_row(&mut self) {
        let Some(table) = &mut self.table else {
            return;
        };
        if table.in_head {
            return;
        }
        let row = std::mem::take(&mut table.row);
        let columns = table.columns;
        self.table_row(&row, columns);
    }

    /// A row whose first cell links to a course: its estimate from Duration × Effort (or
    /// Hours), its prerequisites matched against the items above it.
    fn table_row(&mut self, row: &[Inline], columns: Columns) {
        let Some(first) = row.first() else {
            return;
        };
        let Some(link) = &first.link else {
            self.rows_without_link += 1;
            return;
        };
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|c| c.text.as_str());
        let estimate = match table_estimate(
            cell(columns.duration),
            cell(columns.effort),
            cell(columns.hours),
        ) {
            TableEstimate::Stated(effort) => Estimate::Stated(effort),
            TableEstimate::WeeksOnly { min, max } => {
                hours_effort(min * GUESS_WEEKLY_HOURS, max * GUESS_WEEKLY_HOURS)
                    .map_or(Estimate::Missing, Estimate::Guess)
            }
            TableEstimate::Unknown => Estimate::Missing,
        };
        let link_text = first.slice(link.start, link.end);
        let title = if link_text.trim().is_empty() {
            &link.url
        } else {
            link_text
        };
        let mut new = NewItem::new(title, estimate);
        new.url = Some(link.url.clone());
        new.kind_hint = columns.kind_hint;
        let (requires, unmatched) =
            self.prerequisites(cell(columns.prerequisites).unwrap_or_default());
        new.requires = requires;
        if !unmatched.is_empty() {
            self.unmatched_prerequisites += unmatched.len();
            new.notes = format!("Prerequisites: {}", unmatched.join(", "));
        }
        self.ensure_phase();
        self.draft.push(new);
    }

    /// Names in a Prerequisites cell matched to earlier items; the rest, such as "high school
    /// math", is returned as text for the item's notes.
    fn prerequisites(&self, cell: &str) -> (Vec<ItemId>, Vec<String>) {
        let mut requires: Vec<ItemId> = Vec::new();
        let mut unmatched = Vec::new();
        let mut require = |id: ItemId| {
            if !requires.contains(&id) {
                requires.push(id);
            }
        };
        for chunk in cell.split([',', ';']) {
            let chunk = strip_leading_and(chunk.trim());
            if is_nothing(chunk) {
                continue;
            }
            if let Some(id) = self.draft.find_earlier(chunk) {
                require(id);
                continue;
            }
            // "Calculus 1A and Calculus 1B": only split on "and" when the whole is no title.
            let pieces = split_and(chunk);
            let found: Vec<Option<ItemId>> =
                pieces.iter().map(|p| self.draft.find_earlier(p)).collect();
            if found.iter().all(Option::is_none) {
                unmatched.push(one_line(chunk, ""));
                continue;
            }
            for (piece, id) in pieces.iter().zip(found) {
                match id {
                    Some(id) => require(id),
                    None if !is_nothing(piece) => unmatched.push(one_line(piece, "")),
                    None => {}
                }
            }
        }
        (requires, unmatched)
    }

    fn finish(mut self) -> Result<Imported, ImportError> {
        if let Some(title) = self.first_h1.take() {
            self.draft.title = title;
        }
        if self.unmatched_prerequisites > 0 {
            self.draft.note(format!(
                "{} no earlier item by its whole title: kept as text in the items' notes, to link by hand",
                count(self.unmatched_prerequisites, "prerequisite names", "prerequisites name")
            ));
        }
        if self.rows_without_link > 0 {
            self.draft.note(format!(
                "{} without a link in the first column {} skipped",
                count(self.rows_without_link, "table row", "table rows"),
                if self.rows_without_link == 1 {
                    "was"
                } else {
                    "were"
                }
            ));
        }
        self.draft.finish(SourceFormat::Markdown)
    }
}

fn is_nothing(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "" | "-" | "—" | "–" | "none" | "n/a" | "na" | "nothing"
    )
}

fn strip_leading_and(text: &str) -> &str {
    let lower = text.get(..4).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("and ") => text[4..].trim_start(),
        _ => text,
    }
}

/// Splits on " and " and " & ", ignoring case.
fn split_and(text: &str) -> Vec<String> {
    let text = text.replace(" & ", " and ");
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` fit `text`.
    let lower = text.to_ascii_lowercase();
    let mut pieces = Vec::new();
    let mut start = 0;
    for (at, _) in lower.match_indices(" and ") {
        pieces.push(text[start..at].trim().to_owned());
        start = at + " and ".len();
    }
    pieces.push(text[start..].trim().to_owned());
    pieces
}
