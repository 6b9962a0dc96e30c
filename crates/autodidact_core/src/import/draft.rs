//! A curriculum under construction, shared by the importers. It keeps the promises every
//! import makes: unique ids, non-empty titles, only web URLs, an estimate on every item (a
//! placeholder for its kind, marked missing, when the source has none), and a note saying how
//! many estimates are guesses or missing.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use super::error::count;
use super::{ImportError, Imported, SourceFormat, guess_kind};
use crate::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, MAX_TITLE_CHARS, Phase, is_web_url,
};
use crate::store::ItemStatus;

/// An item's estimate, and whether the source stated it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Estimate {
    Stated(Effort),
    Guess(Effort),
    /// No figure in the source: planned at the placeholder for the item's kind, and flagged.
    Missing,
}

impl Estimate {
    /// What the source stated, or missing.
    pub(super) fn stated_or_missing(effort: Option<Effort>) -> Self {
        effort.map_or(Estimate::Missing, Estimate::Stated)
    }
}

/// An item as an importer sees it, before it gets an id and a kind.
#[derive(Debug, Clone)]
pub(super) struct NewItem {
    pub title: String,
    pub url: Option<String>,
    pub estimate: Estimate,
    pub skills: Vec<String>,
    pub requires: Vec<ItemId>,
    pub notes: String,
    pub due: Option<Date>,
    /// The kind to use when the title and URL give nothing away, e.g. rows of a "Courses"
    /// table.
    pub kind_hint: Option<ItemKind>,
    /// Progress the source records: done (a ticked box, a card in "Done") or in progress.
    pub status: Option<ItemStatus>,
}

impl NewItem {
    pub(super) fn new(title: &str, estimate: Estimate) -> Self {
        Self {
            title: title.to_owned(),
            url: None,
            estimate,
            skills: Vec::new(),
            requires: Vec::new(),
            notes: String::new(),
            due: None,
            kind_hint: None,
            status: None,
        }
    }
}

#[derive(Debug)]
pub(super) struct Draft {
    pub title: String,
    pub description: String,
    phases: Vec<Phase>,
    used_ids: HashSet<String>,
    /// The last suffix given to each slug that was taken.
    suffixes: HashMap<String, u32>,
    /// Every item's title in lowercase, in order, for resolving prerequisites by name.
    titles: Vec<(String, ItemId)>,
    notes: Vec<String>,
    /// Titles longer than a title may be, shortened.
    shortened: usize,
    /// The progress the source records, by item.
    progress: Vec<(ItemId, ItemStatus)>,
}

impl Draft {
    pub(super) fn new(title: &str, fallback_title: &str) -> Self {
        Self {
            title: one_line(title, fallback_title),
            description: String::new(),
            phases: Vec::new(),
            used_ids: HashSet::new(),
            suffixes: HashMap::new(),
            titles: Vec::new(),
            notes: Vec::new(),
            shortened: 0,
            progress: Vec::new(),
        }
    }

    /// `title` within [`MAX_TITLE_CHARS`], counting it when it had to be shortened.
    fn fit(&mut self, title: String) -> String {
        match shortened(&title) {
            Some(short) => {
                self.shortened += 1;
                short
            }
            None => title,
        }
    }

    pub(super) fn start_phase(&mut self, title: &str) {
        let title = one_line(title, "Untitled section");
        let title = self.fit(title);
        self.phases.push(Phase {
            title,
            description: String::new(),
            items: Vec::new(),
        });
    }

    /// A remark for the person importing, shown once after the import.
    pub(super) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Adds an item to the last phase (starting one named after the curriculum if there is
    /// none yet) and returns its id.
    pub(super) fn push(&mut self, new: NewItem) -> ItemId {
        if self.phases.is_empty() {
            let title = self.title.clone();
            self.start_phase(&title);
        }
        let full = one_line(&new.title, "Untitled item");
        let title = self.fit(full.clone());
        // A shortened title keeps its whole text at the top of the item's notes.
        let notes = if title == full {
            multi_line(&new.notes)
        } else {
            multi_line(&format!("{full}\n\n{}", new.notes))
        };
        let url = new
            .url
            .map(|u| u.trim().to_owned())
            .filter(|u| is_web_url(u));
        let id = self.unique_id(&title);
        self.titles.push((normalised(&title), id.clone()));
        let kind = match guess_kind(&title, url.as_deref()) {
            ItemKind::Other => new.kind_hint.unwrap_or(ItemKind::Other),
            guessed => guessed,
        };
        let (effort, estimate_source) = match new.estimate {
            Estimate::Stated(effort) => (effort, EstimateSource::Stated),
            Estimate::Guess(effort) => (effort, EstimateSource::Guess),
            Estimate::Missing => (Effort::Hours(kind.placeholder()), EstimateSource::Missing),
        };
        let mut skills: Vec<String> = Vec::new();
        for skill in new.skills.iter().map(|s| skill_slug(s)) {
            if !skill.is_empty() && !skills.contains(&skill) {
                skills.push(skill);
            }
        }
        let item = Item {
            id: id.clone(),
            kind,
            title,
            url,
            effort,
            estimate_source,
            skills,
            requires: new.requires,
            mode_override: None,
            notes,
            due: new.due,
        };
        if let Some(status) = new
            .status
            .filter(|s| matches!(s, ItemStatus::Done | ItemStatus::Doing))
        {
            self.progress.push((id.clone(), status));
        }
        if let Some(phase) = self.phases.last_mut() {
            phase.items.push(item);
        }
        id
    }

    /// The slug of `title`, made unique with `-2`, `-3`… and kept within the id length limit.
    /// Each slug remembers the last suffix it gave, so a board of 20,000 identical titles
    /// (or titles in a script that gives no slug) takes linear time.
    fn unique_id(&mut self, title: &str) -> ItemId {
        let base = ItemId::from_title(title).to_string();
        let mut candidate = base.clone();
        if self.used_ids.contains(&candidate) {
            let n = self.suffixes.entry(base.clone()).or_insert(1);
            loop {
                *n += 1;
                let suffix = format!("-{n}");
                let mut stem = base.clone();
                stem.truncate(ItemId::MAX_LEN - suffix.len());
                candidate = format!("{}{suffix}", stem.trim_end_matches('-'));
                if !self.used_ids.contains(&candidate) {
                    break;
                }
            }
        }
        self.used_ids.insert(candidate.clone());
        // A slug with a numeric suffix is still a slug, so this keeps it as it is.
        ItemId::from_title(&candidate)
    }

    /// The most recent earlier item whose title is `name`, compared after normalising case,
    /// punctuation and hyphens ("Object Oriented Design" names "Object-Oriented Design"). Only
    /// a whole title matches: a bare "programming" names no "Programming Languages".
    pub(super) fn find_earlier(&self, name: &str) -> Option<ItemId> {
        let name = normalised(name);
        if name.is_empty() {
            return None;
        }
        self.titles
            .iter()
            .rev()
            .find(|(t, _)| *t == name)
            .map(|(_, id)| id.clone())
    }

    /// The finished curriculum, or [`ImportError::Empty`] when nothing learnable was found.
    pub(super) fn finish(mut self, format: SourceFormat) -> Result<Imported, ImportError> {
        self.phases.retain(|p| !p.items.is_empty());
        if self.phases.is_empty() {
            return Err(ImportError::Empty { format });
        }
        let title = std::mem::take(&mut self.title);
        let title = self.fit(title);
        let curriculum = Curriculum {
            title,
            description: multi_line(&self.description),
            author: String::new(),
            hours_per_week: None,
            phases: self.phases,
        };
        let missing = curriculum
            .items()
            .filter(|i| i.estimate_source == EstimateSource::Missing)
            .count();
        if missing > 0 {
            let has = if missing == 1 { "has" } else { "have" };
            self.notes.push(format!(
                "{} {has} no estimate in the source: each is planned at a typical size for its kind until you set its hours",
                count(missing, "item", "items")
            ));
        }
        let guesses = curriculum
            .items()
            .filter(|i| i.estimate_source == EstimateSource::Guess)
            .count();
        if guesses > 0 {
            let are = if guesses == 1 {
                "is a guess"
            } else {
                "are guesses"
            };
            self.notes.push(format!(
                "{} {are}: edit `hours` to your own",
                count(guesses, "estimate", "estimates")
            ));
        }
        let done = self
            .progress
            .iter()
            .filter(|(_, s)| *s == ItemStatus::Done)
            .count();
        let doing = self.progress.len() - done;
        if done + doing > 0 {
            let parts: Vec<String> = [(done, "done"), (doing, "in progress")]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{} {what}", count(*n, "item", "items")))
                .collect();
            self.notes.push(format!(
                "{} in the source: your board starts that way when you follow this curriculum",
                parts.join(" and ")
            ));
        }
        if self.shortened > 0 {
            self.notes.push(format!(
                "{} longer than {MAX_TITLE_CHARS} characters, shortened (an item keeps its whole title in its notes)",
                count(self.shortened, "title was", "titles were")
            ));
        }
        Ok(Imported {
            curriculum,
            format,
            notes: self.notes,
            progress: self.progress,
        })
    }
}

/// `title` cut to at most [`MAX_TITLE_CHARS`] characters, at a word boundary when one is near,
/// ending in `…`; `None` when it already fits.
fn shortened(title: &str) -> Option<String> {
    if title.chars().count() <= MAX_TITLE_CHARS {
        return None;
    }
    let cut: String = title.chars().take(MAX_TITLE_CHARS - 1).collect();
    let at_word = cut
        .rfind(' ')
        .filter(|&at| cut[..at].chars().count() > MAX_TITLE_CHARS * 3 / 4)
        .map_or(cut.as_str(), |at| &cut[..at]);
    Some(format!("{}…", at_word.trim_end()))
}

/// A title as prerequisites are matched against it: lowercase, every run of punctuation,
/// hyphens and spaces one space.
fn normalised(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A skill from a label or tag: lowercase words joined by dashes, in any script (`深層学習`,
/// `machine-learning`); empty when nothing is left.
fn skill_slug(label: &str) -> String {
    normalised(label).replace(' ', "-")
}

/// A title on one line with single spaces, or `fallback` when there is nothing to it.
pub(super) fn one_line(text: &str, fallback: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        fallback.to_owned()
    } else {
        joined
    }
}

/// Notes with Unix line ends, trimmed: TOML may normalise `\r\n` inside multi-line strings,
/// which would break the promise that an import survives a round trip.
pub(super) fn multi_line(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_owned()
}
