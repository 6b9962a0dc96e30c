//! The explore page and a listed curriculum as it shows.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curriculum::ItemKind;
use autodidact_core::explore::ExploreQuery;
use autodidact_core::store::{ExploreSort, ListedCurriculum};
use jiff::tz::TimeZone;

use crate::curricula::Choice;
use crate::home::TemplateCard;
use crate::insight::words::hm;
use crate::page::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "explore/index.html")]
pub struct ExplorePage {
    pub layout: Layout,
    /// What the form shows back.
    pub q: String,
    pub skill: String,
    pub min_hours: String,
    pub max_hours: String,
    pub max_weekly: String,
    pub kinds: Vec<Choice>,
    pub sorts: Vec<Choice>,
    /// Every field that could not be read, with what to write instead.
    pub problems: Vec<String>,
    pub rows: Vec<Row>,
    pub page: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Whether anything narrows the listing (so "none match" is said, not "none yet").
    pub filtered: bool,
    pub templates: Vec<TemplateCard>,
}

pub struct Row {
    pub url: String,
    pub title: String,
    pub handle: String,
    pub items: u32,
    pub hours: String,
    pub weekly: Option<String>,
    pub kinds: Vec<&'static str>,
    pub skills: Vec<SkillLink>,
    /// Skills beyond those shown.
    pub skills_more: usize,
    pub followers: u32,
    pub finishers: u32,
    pub updated: String,
}

/// Skills a card names; the rest are counted.
const SKILLS_SHOWN: usize = 8;

pub struct SkillLink {
    pub name: String,
    pub url: String,
}

impl Row {
    pub fn new(l: &ListedCurriculum) -> Self {
        Self {
            url: format!("/curricula/{}", l.id.0),
            title: l.title.clone(),
            handle: l.owner_handle.to_string(),
            items: l.summary.items,
            hours: hm(l.summary.total),
            weekly: l.summary.weekly.map(|w| format!("{} a week", hm(w))),
            kinds: l.summary.kinds.iter().map(|k| k.as_str()).collect(),
            skills_more: l.summary.skills.len().saturating_sub(SKILLS_SHOWN),
            skills: l
                .summary
                .skills
                .iter()
                .take(SKILLS_SHOWN)
                .map(|s| SkillLink {
                    name: s.clone(),
                    url: format!(
                        "/explore?{}",
                        serde_urlencoded::to_string([("skill", s.as_str())]).unwrap_or_default()
                    ),
                })
                .collect(),
            followers: l.followers,
            finishers: l.finishers,
            updated: l.updated_at.to_zoned(TimeZone::UTC).date().to_string(),
        }
    }
}

pub fn kind_choices(current: Option<ItemKind>) -> Vec<Choice> {
    let mut choices = vec![Choice {
        value: String::new(),
        label: "Any kind".to_owned(),
        selected: current.is_none(),
    }];
    choices.extend(ItemKind::ALL.into_iter().map(|k| Choice {
        value: k.as_str().to_owned(),
        label: format!("Has a {}", k.as_str()),
        selected: current == Some(k),
    }));
    choices
}

pub fn sort_choices(current: ExploreSort) -> Vec<Choice> {
    [
        (ExploreSort::Followers, "Most followed"),
        (ExploreSort::Finishers, "Most finished"),
        (ExploreSort::Recent, "Recently updated"),
    ]
    .into_iter()
    .map(|(s, label)| Choice {
        value: s.as_str().to_owned(),
        label: label.to_owned(),
        selected: s == current,
    })
    .collect()
}

/// The address of page `page` of `query`, with only the fields that narrow it.
pub fn page_url(query: &ExploreQuery, page: u32) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    if !query.text.is_empty() {
        parts.push(("q", query.text.clone()));
    }
    if let Some(s) = &query.skill {
        parts.push(("skill", s.clone()));
    }
    if let Some(k) = query.kind {
        parts.push(("kind", k.as_str().to_owned()));
    }
    for (name, value) in [
        ("min_hours", query.min_hours),
        ("max_hours", query.max_hours),
        ("max_weekly", query.max_weekly),
    ] {
        if let Some(v) = value {
            parts.push((name, v.to_string()));
        }
    }
    if query.sort != ExploreSort::Followers {
        parts.push(("sort", query.sort.as_str().to_owned()));
    }
    if page > 1 {
        parts.push(("page", page.to_string()));
    }
    match serde_urlencoded::to_string(&parts) {
        Ok(q) if !q.is_empty() => format!("/explore?{q}"),
        _ => "/explore".to_owned(),
    }
}
