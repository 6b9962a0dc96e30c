//! A curriculum's page and its downloads, for anyone its visibility allows.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curricula::lineage_words;
use autodidact_core::curriculum::{
    Curriculum, Effort, Item, Location, Minutes, Mode, Severity, is_web_url, slugify, validate,
};
use autodidact_core::export::curriculum_markdown;
use autodidact_core::store::{CurriculumRecord, Lineage};
use autodidact_core::upstream::{suggestions_to, update_available};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::access::{load_visible, page_url};
use super::forms::hours_number;
use super::{Choice, IdPath};
use crate::app::AppState;
use crate::auth::{SignedIn, Viewer};
use crate::error::PageError;
use crate::markdown;
use crate::page::{Layout, capitalise};
use crate::sharing::{visibility_choices, visibility_help, visibility_label};

/// A link to another item of the same page.
pub struct ItemLink {
    pub id: String,
    pub title: String,
}

pub struct ItemView {
    id: String,
    kind: &'static str,
    mode: &'static str,
    mode_class: &'static str,
    title: String,
    url: Option<String>,
    effort: String,
    guess: bool,
    /// No figure yet: planned at the kind's placeholder until the learner sets it.
    missing: bool,
    skills: Vec<String>,
    requires: Vec<ItemLink>,
    notes_html: String,
    due: Option<String>,
    warnings: Vec<String>,
    first: bool,
    last: bool,
}

pub struct PhaseView {
    number: usize,
    title: String,
    description_html: String,
    hours: String,
    items: Vec<ItemView>,
    first: bool,
    last: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "curricula/view.html")]
pub struct CurriculumPage {
    layout: Layout,
    /// Said once after an update from a file.
    notice: Option<&'static str>,
    url: String,
    title: String,
    author: String,
    /// Where it came from: "Forked from “X” by @r (version 3)."
    lineage: Option<String>,
    /// The source's page, for a copy.
    source_url: Option<String>,
    /// Anyone signed in who may see it may fork it.
    signed_in: bool,
    visibility: &'static str,
    visibility_help: &'static str,
    /// What the curriculum's text alone shows, the same for every viewer.
    body: Arc<CurriculumBody>,
    owner: bool,
    visibilities: Vec<Choice>,
    /// Its public copies (the most recent few), and how many there are.
    forks: Vec<ForkLink>,
    forks_total: u64,
    /// For the owner's copy: the source's version they could update to.
    pub upstream: Option<u32>,
    /// For the owner's copy whose source is shared with them: they may suggest changes.
    pub can_suggest: bool,
    /// For the owner: what learners suggested, open ones first.
    pub suggestions: Vec<crate::upstream::views::SuggestionRow>,
}

/// A public copy of the curriculum, linked from its page.
pub struct ForkLink {
    pub url: String,
    pub title: String,
    pub owner: String,
}

/// How many public copies a curriculum's page names.
const FORKS_SHOWN: u32 = 20;

/// `12 h`, `16–24 h`, `4–6 weeks at 14 h a week (56–84 h)`.
pub fn effort_words(effort: &Effort, curriculum_weekly: Option<Minutes>) -> String {
    let range = |min: Minutes, max: Minutes| {
        if min == max {
            format!("{} h", hours_number(min))
        } else {
            format!("{}–{} h", hours_number(min), hours_number(max))
        }
    };
    match *effort {
        Effort::Hours(m) => range(m, m),
        Effort::HoursRange { min, max } => range(min, max),
        Effort::Weeks {
            min_weeks,
            max_weeks,
            weekly,
        } => {
            let weeks = if min_weeks == max_weeks {
                min_weeks.to_string()
            } else {
                format!("{min_weeks}–{max_weeks}")
            };
            let unit = if max_weeks.get() == 10 {
                "week"
            } else {
                "weeks"
            };
            let per_week = weekly
                .or(curriculum_weekly)
                .map_or_else(|| "?".to_owned(), hours_number);
            let (min, max) = effort.bounds(curriculum_weekly);
            format!(
                "{weeks} {unit} at {per_week} h a week ({})",
                range(min, max)
            )
        }
    }
}

fn mode_words(mode: Mode) -> (&'static str, &'static str) {
    match mode {
        Mode::TakingIn => ("taking in", "take"),
        Mode::Making => ("making", "make"),
    }
}

fn item_view(c: &Curriculum, item: &Item, warnings: Vec<String>) -> ItemView {
    let (mode, mode_class) = mode_words(item.mode());
    ItemView {
        id: item.id.to_string(),
        kind: item.kind.as_str(),
        mode,
        mode_class,
        title: item.title.clone(),
        url: item.url.clone().filter(|u| is_web_url(u)),
        effort: effort_words(&item.effort, c.hours_per_week),
        guess: item.estimate_source == autodidact_core::curriculum::EstimateSource::Guess,
        missing: item.estimate_source == autodidact_core::curriculum::EstimateSource::Missing,
        skills: item.skills.clone(),
        requires: item
            .requires
            .iter()
            .map(|id| ItemLink {
                id: id.to_string(),
                title: c
                    .item(id)
                    .map_or_else(|| id.to_string(), |i| i.title.clone()),
            })
            .collect(),
        notes_html: markdown::render(&item.notes),
        due: item.due.map(|d| d.to_string()),
        warnings,
        first: false,
        last: false,
    }
}

fn phase_views(
    c: &Curriculum,
    mut warning_at: impl FnMut(usize, usize) -> Vec<String>,
) -> Vec<PhaseView> {
    let count = c.phases.len();
    let mut phases: Vec<PhaseView> = c
        .phases
        .iter()
        .enumerate()
        .map(|(p, phase)| PhaseView {
            number: p + 1,
            title: phase.title.clone(),
            description_html: markdown::render(&phase.description),
            hours: hours_number(
                phase
                    .items
                    .iter()
                    .map(|i| i.planned(c.hours_per_week))
                    .sum(),
            ),
            items: phase
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| item_view(c, item, warning_at(p, i)))
                .collect(),
            first: p == 0,
            last: p + 1 == count,
        })
        .collect();
    if let Some(first) = phases.iter_mut().flat_map(|p| p.items.iter_mut()).next() {
        first.first = true;
    }
    if let Some(last) = phases.iter_mut().flat_map(|p| p.items.iter_mut()).last() {
        last.last = true;
    }
    phases
}

/// The part of the curriculum page that its text alone decides: its description, summary,
/// phases and items (Markdown rendered, prerequisites named, warnings placed). Kept per parsed
/// model ([`crate::memos::Memos::curriculum`]), since rendering the notes of every item on
/// every view was most of the page's cost.
pub struct CurriculumBody {
    description_html: String,
    summary: String,
    phases: Vec<PhaseView>,
    /// The warnings not about one item.
    warnings: Vec<String>,
}

impl std::fmt::Debug for CurriculumBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CurriculumBody")
            .field("phases", &self.phases.len())
            .finish_non_exhaustive()
    }
}

impl CurriculumBody {
    pub fn new(c: &Curriculum) -> Self {
        let warnings: Vec<_> = validate(c)
            .into_iter()
            .filter(|p| p.severity == Severity::Warning)
            .collect();
        let phases = phase_views(c, |p, i| {
            warnings
                .iter()
                .filter(|w| matches!(w.at, Location::Item { phase, item, .. } if (phase, item) == (p, i)))
                .map(|w| capitalise(&w.kind.to_string()))
                .collect()
        });
        let elsewhere = warnings
            .iter()
            .filter(|w| !matches!(w.at, Location::Item { .. }))
            .map(|w| capitalise(&w.kind.to_string()))
            .collect();
        Self {
            description_html: markdown::render(&c.description),
            summary: summary(c),
            phases,
            warnings: elsewhere,
        }
    }

    /// Approximate bytes: the text it holds.
    pub fn weight(&self) -> u64 {
        let item = |i: &ItemView| {
            i.title.len() + i.notes_html.len() + i.effort.len() + i.id.len() * 2 + 256
        };
        let phases: usize = self
            .phases
            .iter()
            .map(|p| {
                p.title.len() + p.description_html.len() + p.items.iter().map(item).sum::<usize>()
            })
            .sum();
        (self.description_html.len() + self.summary.len() + phases) as u64
    }
}

impl CurriculumPage {
    pub fn new(
        record: &CurriculumRecord,
        c: &Curriculum,
        body: Arc<CurriculumBody>,
        viewer: Option<&SignedIn>,
    ) -> Self {
        let owner = viewer.is_some_and(|w| w.user.id == record.owner);
        Self {
            layout: match viewer {
                Some(who) => Layout::signed_in(c.title.clone(), who),
                None => Layout::bare(c.title.clone()),
            },
            notice: None,
            url: page_url(record.id),
            title: c.title.clone(),
            // A copy that has been changed is no longer what its author wrote.
            author: if record.edited() && record.lineage != Lineage::Original {
                String::new()
            } else {
                c.author.clone()
            },
            lineage: lineage_words(record),
            source_url: match &record.lineage {
                Lineage::Fork(fork) => Some(page_url(fork.source)),
                _ => None,
            },
            signed_in: viewer.is_some(),
            visibility: visibility_label(record.visibility),
            visibility_help: visibility_help(record.visibility),
            body,
            owner,
            visibilities: visibility_choices(record.visibility),
            forks: Vec::new(),
            forks_total: 0,
            upstream: None,
            can_suggest: false,
            suggestions: Vec::new(),
        }
    }
}

/// `12 items in 3 phases · 240 h planned · 20 h a week suggested`.
fn summary(c: &Curriculum) -> String {
    let items = c.items().count();
    let phases = c.phases.len();
    let mut text = format!(
        "{items} {} in {phases} {} · {} h planned",
        if items == 1 { "item" } else { "items" },
        if phases == 1 { "phase" } else { "phases" },
        hours_number(c.total_planned()),
    );
    if let Some(weekly) = c.hours_per_week {
        text.push_str(&format!(" · {} h a week suggested", hours_number(weekly)));
    }
    text
}

#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    updated: Option<String>,
    synced: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> Result<CurriculumPage, PageError> {
    let (record, curriculum) = load_visible(&state, &path.id, viewer.as_ref()).await?;
    let body = state.memos.curriculum.get_or_make(
        &curriculum,
        CurriculumBody::new,
        CurriculumBody::weight,
    );
    let mut page = CurriculumPage::new(&record, &curriculum, body, viewer.as_ref());
    let (forks, total) = state.store.listed_forks(record.id, FORKS_SHOWN).await?;
    page.forks = forks
        .into_iter()
        .map(|f| ForkLink {
            url: page_url(f.id),
            title: f.title,
            owner: f.owner.to_string(),
        })
        .collect();
    page.forks_total = total;
    page.notice = query
        .updated
        .map(|_| "Updated from your file. Plans, boards, notes and logs are as they were.")
        .or(query.synced.map(
            |_| "Updated from its source. Your notes, logs, board and edits are as they were.",
        ));
    if let Some(who) = &viewer
        && who.user.id == record.owner
    {
        page.upstream = update_available(state.store.as_ref(), &who.user, &record).await?;
        page.can_suggest = matches!(record.lineage, autodidact_core::store::Lineage::Fork(_));
        page.suggestions = suggestions_to(state.store.as_ref(), who.user.id, &record, &curriculum)
            .await?
            .iter()
            .map(crate::upstream::views::SuggestionRow::new)
            .collect();
    }
    Ok(page)
}

/// A file to save, named after the curriculum: `deep-learning.toml`.
fn attachment(body: String, content_type: &'static str, title: &str, extension: &str) -> Response {
    let slug = slugify(title);
    let stem = if slug.is_empty() { "curriculum" } else { &slug };
    // The slug holds only a-z, 0-9 and dashes, so it needs no quoting rules.
    let disposition = format!("attachment; filename=\"{stem}.{extension}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-cache".to_owned()),
        ],
        body,
    )
        .into_response()
}

pub async fn download_toml(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
) -> Result<Response, PageError> {
    let (record, _) = load_visible(&state, &path.id, viewer.as_ref()).await?;
    let title = record.title.clone();
    Ok(attachment(
        record.source,
        "application/toml; charset=utf-8",
        &title,
        "toml",
    ))
}

pub async fn download_markdown(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
) -> Result<Response, PageError> {
    let (record, curriculum) = load_visible(&state, &path.id, viewer.as_ref()).await?;
    Ok(attachment(
        curriculum_markdown(&curriculum),
        "text/markdown; charset=utf-8",
        &record.title,
        "md",
    ))
}
