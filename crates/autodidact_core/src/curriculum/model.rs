//! The curriculum model: what a learner's self-made degree is made of.
//!
//! The types here are plain data with validated newtypes for the values that have rules
//! (`ItemId`, `Minutes`). Structural rules that span several items (unique ids, known
//! prerequisites, no cycles) live in [`super::validate`].

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A whole curriculum: ordered phases, each holding ordered items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Curriculum {
    pub title: String,
    /// Markdown.
    pub description: String,
    pub author: String,
    /// The weekly budget the author suggests; also the default for `weeks = …` estimates.
    pub hours_per_week: Option<Minutes>,
    pub phases: Vec<Phase>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    pub title: String,
    /// Markdown.
    pub description: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: ItemId,
    pub kind: ItemKind,
    pub title: String,
    pub url: Option<String>,
    pub effort: Effort,
    pub estimate_source: EstimateSource,
    pub skills: Vec<String>,
    pub requires: Vec<ItemId>,
    /// Overrides the mode that derives from the kind.
    pub mode_override: Option<Mode>,
    /// Markdown.
    pub notes: String,
    pub due: Option<Date>,
}

impl Item {
    /// Whether the item is taking in or making, after the override.
    pub fn mode(&self) -> Mode {
        self.mode_override.unwrap_or_else(|| self.kind.mode())
    }

    /// The hours the planner schedules for this item.
    pub fn planned(&self, curriculum_weekly: Option<Minutes>) -> Minutes {
        self.effort.planned(curriculum_weekly)
    }
}

impl Curriculum {
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.phases.iter().flat_map(|p| p.items.iter())
    }

    /// Items with the index of the phase that holds them.
    pub fn items_with_phase(&self) -> impl Iterator<Item = (usize, &Item)> {
        self.phases
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.items.iter().map(move |item| (i, item)))
    }

    pub fn item(&self, id: &ItemId) -> Option<&Item> {
        self.items().find(|item| &item.id == id)
    }

    /// The sum of every item's planned hours.
    pub fn total_planned(&self) -> Minutes {
        self.items()
            .map(|item| item.planned(self.hours_per_week))
            .fold(Minutes::ZERO, Minutes::saturating_add)
    }
}

/// A stable, human-readable item id: a slug unique in its curriculum.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ItemId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItemIdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error("an id has at most {max} characters, and `{id}` has {len}")]
    TooLong { id: String, len: usize, max: usize },
    #[error(
        "`{id}` is not a valid id: use lowercase letters, digits and single dashes, starting and ending with a letter or digit (for example `{suggestion}`)"
    )]
    NotASlug { id: String, suggestion: String },
}

impl ItemId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, ItemIdError> {
        if raw.is_empty() {
            return Err(ItemIdError::Empty);
        }
        let len = raw.chars().count();
        if len > Self::MAX_LEN {
            return Err(ItemIdError::TooLong {
                id: raw.to_owned(),
                len,
                max: Self::MAX_LEN,
            });
        }
        let valid_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_chars || raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            let suggestion = slugify(raw);
            return Err(ItemIdError::NotASlug {
                id: raw.to_owned(),
                suggestion: if suggestion.is_empty() {
                    "intro-to-python".to_owned()
                } else {
                    suggestion
                },
            });
        }
        Ok(Self(raw.to_owned()))
    }

    /// Makes an id from free text (a title), always valid; falls back to `item`.
    pub fn from_title(title: &str) -> Self {
        let slug = slugify(title);
        Self(if slug.is_empty() {
            "item".to_owned()
        } else {
            slug
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lowercase ASCII slug of at most [`ItemId::MAX_LEN`] characters; may be empty.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(ItemId::MAX_LEN);
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        _ => c,
    }
}

/// What sort of resource or activity an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Course,
    Book,
    Paper,
    Project,
    Practice,
    Article,
    Video,
    Other,
}

impl ItemKind {
    /// The hours an item of this kind is planned at while its estimate is missing: a typical
    /// size, so that a plan of many unestimated items is not absurdly short, and flagged
    /// everywhere until the learner sets it.
    pub const fn placeholder(self) -> Minutes {
        Minutes::from_hours(match self {
            ItemKind::Course => 30,
            ItemKind::Book => 20,
            ItemKind::Project => 15,
            ItemKind::Practice => 5,
            ItemKind::Paper => 3,
            ItemKind::Article | ItemKind::Video => 1,
            ItemKind::Other => 4,
        })
    }

    pub const ALL: [ItemKind; 8] = [
        ItemKind::Course,
        ItemKind::Book,
        ItemKind::Paper,
        ItemKind::Project,
        ItemKind::Practice,
        ItemKind::Article,
        ItemKind::Video,
        ItemKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Course => "course",
            ItemKind::Book => "book",
            ItemKind::Paper => "paper",
            ItemKind::Project => "project",
            ItemKind::Practice => "practice",
            ItemKind::Article => "article",
            ItemKind::Video => "video",
            ItemKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// Projects and practice are making; everything else is taking in.
    pub fn mode(self) -> Mode {
        match self {
            ItemKind::Project | ItemKind::Practice => Mode::Making,
            ItemKind::Course
            | ItemKind::Book
            | ItemKind::Paper
            | ItemKind::Article
            | ItemKind::Video
            | ItemKind::Other => Mode::TakingIn,
        }
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Inhale or exhale: learning from others' work, or making your own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    TakingIn,
    Making,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::TakingIn => "taking-in",
            Mode::Making => "making",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "taking-in" => Some(Mode::TakingIn),
            "making" => Some(Mode::Making),
            _ => None,
        }
    }
}

/// Whether an estimate comes from the curriculum's source, is the author's guess, is
/// missing (the source gave no figure, and the hours are a placeholder for the item's kind,
/// [`ItemKind::placeholder`], until someone sets them), or is the crowd's median: how long
/// the item took the learners who finished it (`crate::crowd`), taken in place of a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EstimateSource {
    #[default]
    Stated,
    Guess,
    Missing,
    /// The crowd's median when it was taken; `own` is the figure it replaced (none when it
    /// was missing), so that switching the crowd off gives it back.
    Crowd {
        own: Option<Minutes>,
    },
}

impl EstimateSource {
    /// Whether the hours are someone's guess or a placeholder, which a crowd figure may
    /// replace.
    pub fn is_guess(self) -> bool {
        matches!(self, EstimateSource::Guess | EstimateSource::Missing)
    }
}

/// A duration in whole minutes. Hours are written as decimals in files but kept as minutes,
/// so that sums are exact and the planner conserves hours to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Minutes(u32);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HoursError {
    #[error("hours must be a number, and {0} is not")]
    NotANumber(f64),
    #[error("hours must be more than zero, and {0} is not")]
    NotPositive(f64),
    #[error(
        "{hours} hours is more than the limit of {max} for one estimate: split the item into smaller ones"
    )]
    Absurd { hours: f64, max: u32 },
    #[error("{0} hours is less than a minute")]
    TooSmall(f64),
}

impl Minutes {
    pub const ZERO: Minutes = Minutes(0);
    /// The largest single estimate accepted: two years of full-time study.
    pub const MAX_ESTIMATE_HOURS: u32 = 4_000;

    pub const fn new(minutes: u32) -> Self {
        Self(minutes)
    }

    pub const fn from_hours(hours: u32) -> Self {
        Self(hours * 60)
    }

    /// Parses an hours figure from a file or form: positive, at least a minute, not absurd.
    pub fn parse_hours(hours: f64) -> Result<Self, HoursError> {
        if !hours.is_finite() {
            return Err(HoursError::NotANumber(hours));
        }
        if hours <= 0.0 {
            return Err(HoursError::NotPositive(hours));
        }
        if hours > f64::from(Self::MAX_ESTIMATE_HOURS) {
            return Err(HoursError::Absurd {
                hours,
                max: Self::MAX_ESTIMATE_HOURS,
            });
        }
        let minutes = (hours * 60.0).round();
        if minutes < 1.0 {
            return Err(HoursError::TooSmall(hours));
        }
        // In range: at most MAX_ESTIMATE_HOURS * 60, far below u32::MAX.
        Ok(Self(minutes as u32))
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    pub fn hours(self) -> f64 {
        f64::from(self.0) / 60.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub const fn saturating_add(self, other: Minutes) -> Minutes {
        Minutes(self.0.saturating_add(other.0))
    }

    pub const fn saturating_sub(self, other: Minutes) -> Minutes {
        Minutes(self.0.saturating_sub(other.0))
    }

    pub fn min(self, other: Minutes) -> Minutes {
        Minutes(self.0.min(other.0))
    }
}

impl Minutes {
    /// The minutes as they are shown: to the minute below an hour, to the nearest quarter hour
    /// from an hour on (84 minutes show as 1.5 h, not a falsely precise 1.4 h).
    pub const fn shown(self) -> Minutes {
        if self.0 < 60 {
            self
        } else {
            Minutes(self.0.saturating_add(7) / 15 * 15)
        }
    }
}

impl fmt::Display for Minutes {
    /// `45 min`, then hours to the quarter: `12 h`, `1.25 h`, `1.5 h`, `2.75 h`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.shown().0;
        if m < 60 && m > 0 {
            return write!(f, "{m} min");
        }
        let (hours, quarters) = (m / 60, m % 60 / 15);
        match quarters {
            0 => write!(f, "{hours} h"),
            1 => write!(f, "{hours}.25 h"),
            2 => write!(f, "{hours}.5 h"),
            _ => write!(f, "{hours}.75 h"),
        }
    }
}

impl std::iter::Sum for Minutes {
    fn sum<I: Iterator<Item = Minutes>>(iter: I) -> Self {
        iter.fold(Minutes::ZERO, Minutes::saturating_add)
    }
}

/// How much work an item is, as its author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Effort {
    /// `hours = 12`
    Hours(Minutes),
    /// `hours = [30, 40]`
    HoursRange { min: Minutes, max: Minutes },
    /// `weeks = 4` or `weeks = [4, 6]`, with `weekly_hours = 8` or the curriculum's weekly hours.
    Weeks {
        min_weeks: Tenths,
        max_weeks: Tenths,
        weekly: Option<Minutes>,
    },
}

impl Effort {
    /// The hours the planner schedules: the midpoint of a range.
    pub fn planned(&self, curriculum_weekly: Option<Minutes>) -> Minutes {
        let (min, max) = self.bounds(curriculum_weekly);
        Minutes((min.0 + max.0).div_ceil(2))
    }

    /// The lowest and highest hours this estimate allows.
    pub fn bounds(&self, curriculum_weekly: Option<Minutes>) -> (Minutes, Minutes) {
        match *self {
            Effort::Hours(m) => (m, m),
            Effort::HoursRange { min, max } => (min, max),
            Effort::Weeks {
                min_weeks,
                max_weeks,
                weekly,
            } => {
                let weekly = weekly.or(curriculum_weekly).unwrap_or(Minutes::ZERO);
                (min_weeks.times(weekly), max_weeks.times(weekly))
            }
        }
    }
}

/// A non-negative number with one decimal place (weeks, e.g. `1.5`), kept as tenths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Tenths(u32);

impl Tenths {
    pub const fn new(tenths: u32) -> Self {
        Self(tenths)
    }

    /// Rounds to a tenth; `None` unless finite and positive.
    pub fn parse(value: f64) -> Option<Self> {
        if !value.is_finite() || value <= 0.0 || value > 1_000.0 {
            return None;
        }
        let tenths = (value * 10.0).round();
        (tenths >= 1.0).then_some(Self(tenths as u32))
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    pub fn value(self) -> f64 {
        f64::from(self.0) / 10.0
    }

    fn times(self, weekly: Minutes) -> Minutes {
        let product = u64::from(self.0) * u64::from(weekly.0) / 10;
        Minutes(u32::try_from(product).unwrap_or(u32::MAX))
    }
}

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(10) {
            write!(f, "{}", self.0 / 10)
        } else {
            write!(f, "{}.{}", self.0 / 10, self.0 % 10)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Minutes;

    #[test]
    fn minutes_show_to_the_minute_below_an_hour_and_to_the_quarter_hour_above() {
        let shown = |m: u32| Minutes::new(m).to_string();
        assert_eq!(shown(0), "0 h");
        assert_eq!(shown(45), "45 min");
        assert_eq!(shown(59), "59 min");
        assert_eq!(shown(60), "1 h");
        assert_eq!(shown(84), "1.5 h");
        assert_eq!(shown(82), "1.25 h");
        assert_eq!(shown(90), "1.5 h");
        assert_eq!(shown(105), "1.75 h");
        assert_eq!(shown(113), "2 h");
        assert_eq!(shown(12 * 60 + 20), "12.25 h");
        assert_eq!(Minutes::new(84).shown(), Minutes::new(90));
        assert_eq!(Minutes::new(u32::MAX).shown().get() % 15, 0);
    }
}
