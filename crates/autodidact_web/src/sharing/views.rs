//! The pages of this feature, and the profile turned into what its template shows.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::sharing::{NotebookLinks, Profile, Project, Receipt, notebook_links};
use autodidact_core::store::{Evidence, ItemStatus, JournalPost, LinkCheck, LinkStatus, Relation};

use crate::curricula::Choice;
use crate::insight::sections::HeatmapView;
use crate::insight::words::hm;
use crate::markdown::render;
use crate::page::{FieldErrors, Layout};

/// What a signed-in visitor may do about following the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowButton {
    Ask,
    Pending,
    Following,
}

#[derive(Template, WebTemplate)]
#[template(path = "sharing/profile.html")]
pub struct ProfilePage {
    pub layout: Layout,
    pub handle: String,
    pub display_name: String,
    pub bio_html: String,
    /// The owner, whatever they chose to see it as.
    pub owner: bool,
    /// `you`, `follower` or `stranger`: whom the page is composed for.
    pub seen_as: &'static str,
    pub follow: Option<FollowButton>,
    /// Open Graph: the page's absolute address and a plain description.
    pub og_url: String,
    pub og_description: String,
    /// The profile's Atom feed, when it is public.
    pub feed: Option<String>,
    pub progress: Option<Vec<ProgressView>>,
    pub finished: Option<Vec<ReceiptView>>,
    pub heatmap: Option<HeatmapView>,
    pub portfolio: Option<Vec<ProjectView>>,
    pub journal: Option<Vec<PostRow>>,
    pub curricula: Option<Vec<CardView>>,
    pub skills: Option<Vec<SkillView>>,
}

impl ProfilePage {
    /// Whether no section is shown at all.
    pub fn empty(&self) -> bool {
        self.progress.is_none()
            && self.heatmap.is_none()
            && self.portfolio.is_none()
            && self.journal.is_none()
            && self.curricula.is_none()
            && self.skills.is_none()
    }
}

pub struct ProgressView {
    pub title: String,
    /// The curriculum's page; none on a static site, which works without the server.
    pub url: Option<String>,
    pub done: usize,
    pub items: usize,
    pub percent: u32,
    pub earned: String,
    pub total: String,
    pub logged: String,
    pub doing: Vec<String>,
}

pub struct EvidenceView {
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub date: String,
    /// Colab, Binder and nbviewer, for a notebook on GitHub.
    pub notebook: Option<NotebookLinks>,
    /// The last check of the address, in words: `alive, checked 2026-12-05`.
    pub checked: String,
    /// Whether the last check found it broken or unreachable.
    pub broken: bool,
}

/// The checks of a profile's evidence, by address, and the zone dates are said in.
pub struct Checks<'a> {
    pub zone: &'a autodidact_core::accounts::Zone,
    pub by_url: &'a std::collections::HashMap<String, LinkCheck>,
}

impl EvidenceView {
    fn new(e: &Evidence, checks: &Checks<'_>) -> Self {
        let zone = checks.zone;
        let (checked, broken) = match checks.by_url.get(&e.url) {
            None => ("not checked yet".to_owned(), false),
            Some(c) => {
                let on = zone.date_of(c.checked_at);
                match c.status {
                    LinkStatus::Alive(_) => (format!("alive, checked {on}"), false),
                    LinkStatus::Broken(code) => (format!("broken ({code}), checked {on}"), true),
                    LinkStatus::Unreachable => (format!("unreachable, checked {on}"), true),
                }
            }
        };
        Self {
            notebook: notebook_links(&e.url),
            checked,
            broken,
            title: if e.title.is_empty() {
                e.url.clone()
            } else {
                e.title.clone()
            },
            url: e.url.clone(),
            kind: e.kind.as_str(),
            date: zone.date_of(e.created_at).to_string(),
        }
    }
}

pub struct ProjectView {
    pub title: String,
    pub curriculum: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub logged: String,
    pub skills: Vec<String>,
    pub evidence: Vec<EvidenceView>,
}

pub struct ReceiptView {
    pub title: String,
    pub curriculum: String,
    pub logged: String,
    pub finished: String,
    pub evidence: Vec<EvidenceView>,
}

pub struct SkillView {
    pub name: String,
    pub receipts: Vec<ReceiptView>,
}

pub struct PostRow {
    pub url: String,
    pub title: String,
    pub date: String,
    /// Whom it is shown to, for its author's list.
    pub visibility: &'static str,
}

impl PostRow {
    pub fn new(post: &JournalPost, zone: &autodidact_core::accounts::Zone) -> Self {
        Self::at(post, zone, format!("/journal/{}", post.id))
    }

    fn at(post: &JournalPost, zone: &autodidact_core::accounts::Zone, url: String) -> Self {
        Self {
            url,
            title: post.title.clone(),
            date: zone.date_of(post.created_at).to_string(),
            visibility: super::visibility_label(post.visibility),
        }
    }
}

pub struct CardView {
    /// The curriculum's page; none on a static site.
    pub url: Option<String>,
    pub title: String,
    pub visibility: &'static str,
    pub copied_from: Option<String>,
}

fn status_word(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Todo => "to do",
        ItemStatus::Doing => "in progress",
        ItemStatus::Done => "done",
        ItemStatus::Skipped => "skipped",
    }
}

fn project_view(p: &Project, checks: &Checks<'_>) -> ProjectView {
    ProjectView {
        title: p.title.clone(),
        curriculum: p.curriculum.clone(),
        kind: p.kind.as_str(),
        status: status_word(p.status),
        logged: hm(p.logged),
        skills: p.skills.clone(),
        evidence: p
            .evidence
            .iter()
            .map(|e| EvidenceView::new(e, checks))
            .collect(),
    }
}

fn receipt_view(r: &Receipt, checks: &Checks<'_>) -> ReceiptView {
    ReceiptView {
        title: r.title.clone(),
        curriculum: r.curriculum.clone(),
        logged: hm(r.logged),
        finished: r.finished.to_string(),
        evidence: r
            .evidence
            .iter()
            .map(|e| EvidenceView::new(e, checks))
            .collect(),
    }
}

/// Where a profile's links point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// The server's pages.
    Server,
    /// A static site's own files: posts under `posts/`, and no link to the server.
    Site,
}

/// The address of a post on a static site, relative to its root.
pub fn site_post_path(post: &JournalPost) -> String {
    format!("posts/{}.html", post.id)
}

/// The profile's sections as the template shows them (the heatmap is drawn by the caller,
/// which knows the week's first day).
pub struct Sections {
    pub progress: Option<Vec<ProgressView>>,
    pub finished: Option<Vec<ReceiptView>>,
    pub portfolio: Option<Vec<ProjectView>>,
    pub journal: Option<Vec<PostRow>>,
    pub curricula: Option<Vec<CardView>>,
    pub skills: Option<Vec<SkillView>>,
}

pub fn sections(
    profile: &Profile,
    zone: &autodidact_core::accounts::Zone,
    links: Links,
) -> Sections {
    let curriculum_url = |id: i64| (links == Links::Server).then(|| format!("/curricula/{id}"));
    let checks = Checks {
        zone,
        by_url: &profile.link_checks,
    };
    Sections {
        finished: profile
            .finished
            .as_ref()
            .map(|rs| rs.iter().map(|r| receipt_view(r, &checks)).collect()),
        progress: profile.progress.as_ref().map(|cards| {
            cards
                .iter()
                .map(|c| ProgressView {
                    title: c.title.clone(),
                    url: curriculum_url(c.curriculum.0),
                    done: c.done_items,
                    items: c.items,
                    percent: c.percent,
                    earned: hm(c.earned),
                    total: hm(c.total),
                    logged: hm(c.logged),
                    doing: c.doing.clone(),
                })
                .collect()
        }),
        portfolio: profile
            .portfolio
            .as_ref()
            .map(|ps| ps.iter().map(|p| project_view(p, &checks)).collect()),
        journal: profile.journal.as_ref().map(|posts| {
            posts
                .iter()
                .map(|p| match links {
                    Links::Server => PostRow::new(p, zone),
                    Links::Site => PostRow::at(p, zone, site_post_path(p)),
                })
                .collect()
        }),
        curricula: profile.curricula.as_ref().map(|cards| {
            cards
                .iter()
                .map(|c| CardView {
                    url: curriculum_url(c.id.0),
                    title: c.title.clone(),
                    visibility: super::visibility_label(c.visibility),
                    copied_from: c.copied_from.as_ref().map(ToString::to_string),
                })
                .collect()
        }),
        skills: profile.skills.as_ref().map(|skills| {
            skills
                .iter()
                .map(|s| SkillView {
                    name: s.name.clone(),
                    receipts: s
                        .receipts
                        .iter()
                        .map(|r| receipt_view(r, &checks))
                        .collect(),
                })
                .collect()
        }),
    }
}

/// The profile's year of study days, when its heatmap is shown (breaks are the learner's own
/// business, so no day is marked as one).
pub fn profile_heatmap(profile: &Profile) -> Option<HeatmapView> {
    profile.heatmap.as_ref().map(|activity| {
        let mut view = crate::insight::sections::heatmap_view(
            activity,
            &autodidact_core::insight::activity::RestDays::default(),
            profile.today,
            profile.week_start,
        );
        view.heading = "Study days";
        view
    })
}

/// The word for a relation, as the owner's "see it as" links name it.
pub fn seen_as(relation: Relation) -> &'static str {
    match relation {
        Relation::Owner => "you",
        Relation::Follower => "follower",
        Relation::Stranger => "stranger",
    }
}

/// The bio as safe HTML.
pub fn bio_html(bio: &str) -> String {
    render(bio)
}

pub struct SectionRow {
    pub field: &'static str,
    pub label: &'static str,
    pub choices: Vec<Choice>,
    /// Whom it is shown to once composed with the profile's value.
    pub shown_to: &'static str,
    /// Set when the profile's value narrows it.
    pub narrowed: bool,
}

pub struct FollowRow {
    pub action: String,
    pub title: String,
    pub choices: Vec<Choice>,
    pub shown_to: &'static str,
}

pub struct PersonRow {
    pub handle: String,
    pub approved: bool,
}

/// The static site's home page: the public profile, standalone.
#[derive(Template)]
#[template(path = "sharing/site/index.html")]
pub struct SiteIndex {
    pub handle: String,
    pub display_name: String,
    pub bio_html: String,
    pub og_description: String,
    pub seen_as: &'static str,
    pub progress: Option<Vec<ProgressView>>,
    pub finished: Option<Vec<ReceiptView>>,
    pub heatmap: Option<HeatmapView>,
    pub portfolio: Option<Vec<ProjectView>>,
    pub journal: Option<Vec<PostRow>>,
    pub curricula: Option<Vec<CardView>>,
    pub skills: Option<Vec<SkillView>>,
    pub generated: String,
}

/// A journal post on the static site.
#[derive(Template)]
#[template(path = "sharing/site/post.html")]
pub struct SitePost {
    pub handle: String,
    pub display_name: String,
    pub title: String,
    pub date: String,
    pub body_html: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "sharing/settings.html")]
pub struct SettingsPage {
    pub layout: Layout,
    pub handle: String,
    pub bio: String,
    pub profile_choices: Vec<Choice>,
    pub sections: Vec<SectionRow>,
    pub crowd: bool,
    pub follows: Vec<FollowRow>,
    pub followers: Vec<PersonRow>,
    pub following: Vec<PersonRow>,
    pub errors: FieldErrors,
    pub notice: Option<String>,
}

/// One item a post can be about, in a group per followed curriculum.
pub struct AboutGroup {
    pub title: String,
    pub options: Vec<Choice>,
}

pub struct PostForm {
    pub action: String,
    pub title: String,
    pub body: String,
    pub about: Vec<AboutGroup>,
    pub visibilities: Vec<Choice>,
    /// Whom the journal section lets a post reach at most.
    pub journal_shown_to: &'static str,
    pub errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "sharing/journal.html")]
pub struct JournalPage {
    pub layout: Layout,
    pub handle: String,
    pub posts: Vec<PostRow>,
    pub form: PostForm,
    pub notice: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "sharing/post.html")]
pub struct PostPage {
    pub layout: Layout,
    pub title: String,
    pub body_html: String,
    pub handle: String,
    pub display_name: String,
    pub date: String,
    pub about: Option<String>,
    pub author: bool,
    pub edit_url: String,
    pub visibility: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "sharing/edit.html")]
pub struct EditPage {
    pub layout: Layout,
    pub form: PostForm,
    pub delete_action: String,
}
