//! The preview of a copy's update, as its template shows it.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curriculum::Minutes;
use autodidact_core::upstream::{Field, Kept, Place, PlanImpact, TopField, UpstreamPreview};

use crate::insight::words::hm;
use crate::page::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "upstream/preview.html")]
pub struct PreviewPage {
    pub layout: Layout,
    pub url: String,
    pub title: String,
    pub source_title: String,
    pub source_url: String,
    pub source_owner: String,
    pub fork_version: u32,
    pub source_version: u32,
    pub added: Vec<AddedRow>,
    pub updated: Vec<String>,
    pub conflicts: Vec<ConflictRow>,
    pub retired: Vec<String>,
    pub removed: Vec<String>,
    pub unlinked: Vec<String>,
    pub problems: Vec<String>,
    pub impact: Option<ImpactView>,
    /// Whether the source changed nothing the copy lacks (it only moves the base on).
    pub nothing: bool,
}

/// Why there is no update to show, with the way back to the curriculum.
#[derive(Template, WebTemplate)]
#[template(path = "upstream/none.html")]
pub struct NoUpdatePage {
    pub layout: Layout,
    pub message: String,
    pub url: String,
}

pub struct AddedRow {
    pub id: String,
    pub title: String,
    pub phase: String,
    pub hours: String,
    pub taken: bool,
}

pub struct ConflictRow {
    pub key: String,
    pub what: String,
    pub base: String,
    pub mine: String,
    pub theirs: String,
    pub took_theirs: bool,
}

pub struct ImpactView {
    pub left: String,
    pub change: String,
    pub end: String,
    pub range: String,
    pub moved: Vec<MovedRow>,
    pub moved_more: usize,
}

pub struct MovedRow {
    pub title: String,
    pub before: String,
    pub after: String,
}

/// Weeks whose moves are listed; the rest are counted.
const MOVED_SHOWN: usize = 20;

/// Fields in words, joined: `hours, notes`.
pub fn fields_words(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| field_words(*f))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The items of a copy its owner may suggest to the source.
#[derive(Template, WebTemplate)]
#[template(path = "upstream/suggest.html")]
pub struct SuggestPage {
    pub layout: Layout,
    pub url: String,
    pub rows: Vec<SuggestRow>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

pub struct SuggestRow {
    pub id: String,
    pub title: String,
    /// "a new item", or the fields that differ.
    pub what: String,
}

/// A suggestion on its curriculum's page, for the author.
pub struct SuggestionRow {
    pub id: i64,
    pub from: String,
    pub title: String,
    pub what: String,
    pub note: String,
    pub open: bool,
    pub status: &'static str,
}

impl SuggestionRow {
    pub fn new(v: &autodidact_core::upstream::SuggestionView) -> Self {
        Self {
            id: v.suggestion.id.0,
            from: v.suggestion.from_handle.to_string(),
            title: v.title.clone(),
            what: if v.new_item {
                "a new item".to_owned()
            } else if v.changes.is_empty() {
                "nothing any more (your item is already the same)".to_owned()
            } else {
                fields_words(&v.changes)
            },
            note: v.suggestion.note.clone(),
            open: v.suggestion.status == autodidact_core::store::SuggestionStatus::Open,
            status: v.suggestion.status.as_str(),
        }
    }
}

fn field_words(f: Field) -> &'static str {
    match f {
        Field::Due => "due date",
        other => other.as_str(),
    }
}

fn top_words(f: TopField) -> &'static str {
    match f {
        TopField::Title => "the curriculum's title",
        TopField::Description => "the curriculum's description",
        TopField::Author => "the curriculum's author",
        TopField::HoursPerWeek => "the curriculum's hours a week",
    }
}

fn signed(before: Minutes, after: Minutes) -> String {
    if after >= before {
        format!("+{}", hm(after.saturating_sub(before)))
    } else {
        format!("−{}", hm(before.saturating_sub(after)))
    }
}

fn day(d: Option<jiff::civil::Date>) -> String {
    d.map_or_else(|| "nothing left".to_owned(), |d| d.to_string())
}

impl ImpactView {
    fn new(i: &PlanImpact) -> Self {
        let range = |r: Option<autodidact_core::upstream::FinishRange>| match r {
            None => "no pace yet".to_owned(),
            Some((a, Some(b))) => format!("{a} to {b}"),
            Some((a, None)) => format!("{a} or later"),
        };
        let week =
            |w: Option<u32>| w.map_or_else(|| "not planned".to_owned(), |w| format!("week {w}"));
        Self {
            left: format!("{} → {}", hm(i.left_before), hm(i.left_after)),
            change: signed(i.left_before, i.left_after),
            end: format!("{} → {}", day(i.end_before), day(i.end_after)),
            range: format!("{} → {}", range(i.range_before), range(i.range_after)),
            moved: i
                .moved
                .iter()
                .take(MOVED_SHOWN)
                .map(|m| MovedRow {
                    title: m.title.clone(),
                    before: week(m.before),
                    after: week(m.after),
                })
                .collect(),
            moved_more: i.moved.len().saturating_sub(MOVED_SHOWN),
        }
    }
}

impl PreviewPage {
    pub fn new(layout: Layout, p: &UpstreamPreview) -> Self {
        let m = &p.merge;
        let url = format!("/curricula/{}", p.fork.id.0);
        Self {
            layout,
            title: p.fork.title.clone(),
            source_title: p.source.title.clone(),
            source_url: format!("/curricula/{}", p.source.id.0),
            source_owner: match &p.fork.lineage {
                autodidact_core::store::Lineage::Fork(f) => f.owner_handle.to_string(),
                _ => String::new(),
            },
            fork_version: p.fork.version,
            source_version: p.source.version,
            added: m
                .added
                .iter()
                .map(|a| AddedRow {
                    id: a.id.to_string(),
                    title: a.title.clone(),
                    phase: a.phase.clone(),
                    hours: hm(a.minutes),
                    taken: a.taken,
                })
                .collect(),
            updated: m
                .updated_top
                .iter()
                .map(|f| top_words(*f).to_owned())
                .chain(m.updated.iter().map(|u| {
                    format!(
                        "{}: {}",
                        u.title,
                        u.fields
                            .iter()
                            .map(|f| field_words(*f))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }))
                .collect(),
            conflicts: m
                .conflicts
                .iter()
                .map(|c| ConflictRow {
                    key: c.place.key(),
                    what: match &c.place {
                        Place::Item(_, f) => format!("{}: {}", c.title, field_words(*f)),
                        Place::Curriculum(f) => top_words(*f).to_owned(),
                    },
                    base: c.base.clone(),
                    mine: c.mine.clone(),
                    theirs: c.theirs.clone(),
                    took_theirs: c.took_theirs,
                })
                .collect(),
            retired: m
                .retired
                .iter()
                .map(|r| {
                    format!(
                        "{} (kept: {})",
                        r.title,
                        match r.why {
                            Kept::Progress => "you have progress on it",
                            Kept::Edited => "you changed it",
                        }
                    )
                })
                .collect(),
            removed: m
                .removed
                .iter()
                .map(|r| format!("{} ({})", r.title, hm(r.minutes)))
                .collect(),
            unlinked: m
                .unlinked
                .iter()
                .map(|(item, gone)| format!("{item} no longer requires {gone}, which is gone"))
                .collect(),
            problems: m.problems.iter().map(|p| p.kind.to_string()).collect(),
            impact: p.impact.as_ref().map(ImpactView::new),
            nothing: m.is_empty(),
            url,
        }
    }
}
