//! The editing forms: what a person typed, turned into the model with the same parsers the file
//! format uses, and the problems `validate` finds mapped back to the field at fault.
//!
//! Every form keeps the text as typed, so that a refused form comes back as it was sent.

use autodidact_core::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemField, ItemId, ItemKind, Location, Minutes, Mode,
    PhaseField, Problem, ProblemKind, is_web_url, validate,
};
use serde::Deserialize;

use crate::page::{FieldErrors, capitalise};

/// Messages for a refused form: next to a field where one is at fault, otherwise above the form.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    pub fields: FieldErrors,
    pub general: Vec<String>,
}

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    pub fn field(&mut self, field: &'static str, message: impl AsRef<str>) {
        self.fields.add(field, capitalise(message.as_ref()));
    }

    pub fn general(&mut self, message: impl AsRef<str>) {
        self.general.push(capitalise(message.as_ref()));
    }

    /// Files every error of `problems` next to the field `place` names, or above the form.
    pub fn from_problems(
        problems: &[Problem],
        place: impl Fn(&Problem) -> Option<&'static str>,
    ) -> Self {
        let mut errors = Self::default();
        for problem in problems.iter().filter(|p| p.is_error()) {
            let message = problem_message(&problem.kind);
            match place(problem) {
                Some(field) => errors.field(field, message),
                None => errors.general(message),
            }
        }
        errors
    }
}

/// A problem as the browser editor says it. The file format's messages are kept, except where
/// they speak of TOML tables the person never sees here.
pub fn problem_message(kind: &ProblemKind) -> String {
    match kind {
        ProblemKind::EmptyCurriculum => {
            "a curriculum needs at least one item: add another one first".to_owned()
        }
        other => other.to_string(),
    }
}

/// Validates `changed` and files its errors with `place`; `Ok` when nothing blocks saving.
/// Warnings never block: the curriculum page shows them.
pub fn check(
    changed: Curriculum,
    place: impl Fn(&Problem) -> Option<&'static str>,
) -> Result<Curriculum, FormErrors> {
    let errors = FormErrors::from_problems(&validate(&changed), place);
    if errors.is_empty() {
        Ok(changed)
    } else {
        Err(errors)
    }
}

/// Form text uses CRLF line ends; files and Markdown use LF.
pub fn normalise_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

// ---------------------------------------------------------------------------------------------
// Title and description, and phases

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
}

impl DetailsForm {
    pub fn of(c: &Curriculum) -> Self {
        Self {
            title: c.title.clone(),
            description: c.description.clone(),
        }
    }

    pub fn apply(&self, c: &Curriculum) -> Result<Curriculum, FormErrors> {
        let mut changed = c.clone();
        changed.title = self.title.trim().to_owned();
        changed.description = normalise_text(&self.description);
        check(changed, |p| match p.at {
            Location::Curriculum { .. } => Some("title"),
            _ => None,
        })
    }
}

/// A phase's title and description. Phases are numbered from 1 in URLs and on the page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PhaseForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
}

impl PhaseForm {
    pub fn of(c: &Curriculum, phase: usize) -> Self {
        c.phases.get(phase).map_or_else(Self::default, |p| Self {
            title: p.title.clone(),
            description: p.description.clone(),
        })
    }

    /// Changes phase `phase`, or adds a phase at the end when it is `None`.
    pub fn apply(&self, c: &Curriculum, phase: Option<usize>) -> Result<Curriculum, FormErrors> {
        let mut changed = c.clone();
        let at = phase.unwrap_or(changed.phases.len());
        if at == changed.phases.len() {
            changed.phases.push(autodidact_core::curriculum::Phase {
                title: String::new(),
                description: String::new(),
                items: Vec::new(),
            });
        }
        let target = &mut changed.phases[at];
        target.title = self.title.trim().to_owned();
        target.description = normalise_text(&self.description);
        check(changed, |p| match p.at {
            Location::Phase {
                phase,
                field: PhaseField::Title | PhaseField::Whole,
            } if phase == at => Some("title"),
            _ => None,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Items

/// A form's fields in order, repeated names kept: checkboxes send one pair each.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// An item as typed in its form.
#[derive(Debug, Clone, Default)]
pub struct ItemForm {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub url: String,
    /// `12`, `7.5` or a range `8-12`; empty keeps an estimate in weeks.
    pub hours: String,
    pub guess: bool,
    /// Comma-separated.
    pub skills: String,
    pub requires: Vec<String>,
    /// Empty follows the kind.
    pub mode: String,
    pub notes: String,
    /// The phase's number, from 1.
    pub phase: String,
}

/// Where an item goes: a new one at the end of a phase, or one already in the curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemSlot {
    /// A new item, added at the end of the phase its form names.
    New,
    Existing {
        phase: usize,
        index: usize,
    },
}

impl ItemForm {
    pub fn of(item: &Item, phase: usize) -> Self {
        Self {
            id: item.id.to_string(),
            kind: item.kind.as_str().to_owned(),
            title: item.title.clone(),
            url: item.url.clone().unwrap_or_default(),
            hours: hours_text(&item.effort),
            guess: item.estimate_source == EstimateSource::Guess,
            skills: item.skills.join(", "),
            requires: item.requires.iter().map(ToString::to_string).collect(),
            mode: item
                .mode_override
                .map(Mode::as_str)
                .unwrap_or("")
                .to_owned(),
            notes: item.notes.clone(),
            phase: (phase + 1).to_string(),
        }
    }

    /// A blank form for a new item in `phase`.
    pub fn blank(phase: usize) -> Self {
        Self {
            kind: ItemKind::Course.as_str().to_owned(),
            phase: (phase + 1).to_string(),
            ..Self::default()
        }
    }

    pub fn from_fields(fields: &Fields) -> Self {
        Self {
            id: fields.one("id"),
            kind: fields.one("kind"),
            title: fields.one("title"),
            url: fields.one("url"),
            hours: fields.one("hours"),
            guess: !fields.one("guess").is_empty(),
            skills: fields.one("skills"),
            requires: fields.all("requires"),
            mode: fields.one("mode"),
            notes: fields.one("notes"),
            phase: fields.one("phase"),
        }
    }

    /// The curriculum with this item put in `slot`, validated with the file format's rules.
    /// Renaming an item's id renames it in every other item's prerequisites too.
    pub fn apply(&self, c: &Curriculum, slot: ItemSlot) -> Result<Curriculum, FormErrors> {
        let existing = match slot {
            ItemSlot::Existing { phase, index } => c.phases[phase].items.get(index),
            ItemSlot::New => None,
        };
        let mut errors = FormErrors::default();
        let parsed = self.parse(c, existing, &mut errors);
        let Some((item, to_phase)) = parsed.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        let mut changed = c.clone();
        let new_id = item.id.clone();
        let at = match slot {
            ItemSlot::Existing { phase, index } => {
                let old = changed.phases[phase].items.remove(index);
                if old.id != new_id {
                    rename_prerequisite(&mut changed, &old.id, &new_id);
                }
                if phase == to_phase {
                    changed.phases[phase].items.insert(index, item);
                    (phase, index)
                } else {
                    changed.phases[to_phase].items.push(item);
                    (to_phase, changed.phases[to_phase].items.len() - 1)
                }
            }
            ItemSlot::New => {
                changed.phases[to_phase].items.push(item);
                (to_phase, changed.phases[to_phase].items.len() - 1)
            }
        };
        check(changed, |p| item_field(p, at, &new_id))
    }

    /// Runs every field's parser, recording each refusal next to its field.
    fn parse(
        &self,
        c: &Curriculum,
        existing: Option<&Item>,
        errors: &mut FormErrors,
    ) -> Option<(Item, usize)> {
        // An empty id is made from the title, as the curriculum files do.
        let raw_id = match self.id.trim() {
            "" => autodidact_core::curriculum::slugify(&self.title),
            given => given.to_owned(),
        };
        let id = ItemId::parse(&raw_id)
            .map_err(|e| errors.field("id", e.to_string()))
            .ok();
        let kind = ItemKind::parse(&self.kind);
        if kind.is_none() {
            let given = self.kind.clone();
            errors.field("kind", ProblemKind::UnknownKind { given }.to_string());
        }
        // `example.org/x` means https://example.org/x: a link typed without its scheme.
        let typed = self.url.trim();
        let with_scheme = if !typed.is_empty()
            && !typed.contains("://")
            && !typed.contains(' ')
            && typed.contains('.')
        {
            format!("https://{typed}")
        } else {
            typed.to_owned()
        };
        let url = with_scheme.as_str();
        if !url.is_empty() && !is_web_url(url) {
            let url = url.to_owned();
            errors.field("url", ProblemKind::BadUrl { url }.to_string());
        }
        let effort = parse_effort(&self.hours, existing.map(|item| &item.effort))
            .map_err(|e| errors.field("hours", e))
            .ok();
        let mode = match self.mode.as_str() {
            "" => Some(None),
            raw => Mode::parse(raw).map(Some),
        };
        if mode.is_none() {
            let given = self.mode.clone();
            errors.field("mode", ProblemKind::UnknownMode { given }.to_string());
        }
        let requires = self.parse_requires(errors);
        let phase = self
            .phase
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=c.phases.len()).contains(n));
        if phase.is_none() {
            errors.field("phase", "choose one of the curriculum's phases");
        }
        let item = Item {
            id: id?,
            kind: kind?,
            title: self.title.trim().to_owned(),
            url: (!url.is_empty()).then(|| url.to_owned()),
            effort: effort?,
            estimate_source: if self.guess {
                EstimateSource::Guess
            } else {
                EstimateSource::Stated
            },
            skills: parse_skills(&self.skills),
            requires: requires?,
            mode_override: mode?,
            notes: normalise_text(&self.notes),
            due: existing.and_then(|item| item.due),
        };
        Some((item, phase? - 1))
    }

    fn parse_requires(&self, errors: &mut FormErrors) -> Option<Vec<ItemId>> {
        let mut ids: Vec<ItemId> = Vec::new();
        for raw in &self.requires {
            match ItemId::parse(raw) {
                Ok(id) if !ids.contains(&id) => ids.push(id),
                Ok(_) => {}
                Err(e) => {
                    errors.field("requires", e.to_string());
                    return None;
                }
            }
        }
        Some(ids)
    }
}

/// The field of the item form at fault for `problem`, for the item now at `at` with `id`.
fn item_field(problem: &Problem, at: (usize, usize), id: &ItemId) -> Option<&'static str> {
    match (&problem.kind, problem.at) {
        (ProblemKind::DuplicateId { id: dup }, _) if dup == id => Some("id"),
        (ProblemKind::PrerequisiteCycle { path }, _) if path.contains(id) => Some("requires"),
        (_, Location::Item { phase, item, field }) if (phase, item) == at => match field {
            ItemField::Id => Some("id"),
            ItemField::Kind => Some("kind"),
            ItemField::Title => Some("title"),
            ItemField::Url => Some("url"),
            ItemField::Hours | ItemField::Weeks | ItemField::WeeklyHours => Some("hours"),
            ItemField::Estimated => Some("guess"),
            ItemField::Mode => Some("mode"),
            ItemField::Requires(_) => Some("requires"),
            ItemField::Whole | ItemField::Due => None,
        },
        _ => None,
    }
}

/// Points every prerequisite on `old` at `new`.
fn rename_prerequisite(c: &mut Curriculum, old: &ItemId, new: &ItemId) {
    for phase in &mut c.phases {
        for item in &mut phase.items {
            for req in &mut item.requires {
                if req == old {
                    *req = new.clone();
                }
            }
        }
    }
}

/// `python, linear algebra, ,python` → `["python", "linear algebra"]`.
fn parse_skills(raw: &str) -> Vec<String> {
    let mut skills: Vec<String> = Vec::new();
    for skill in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !skills.iter().any(|s| s == skill) {
            skills.push(skill.to_owned());
        }
    }
    skills
}

/// Reads `12`, `7.5`, `8-12` or `8–12` with [`Minutes::parse_hours`]. An empty field keeps an
/// estimate in weeks, which this form does not edit.
pub fn parse_effort(raw: &str, existing: Option<&Effort>) -> Result<Effort, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return match existing {
            Some(weeks @ Effort::Weeks { .. }) => Ok(*weeks),
            _ => Err("give an estimate in hours: 12, 7.5, or a range such as 8-12".to_owned()),
        };
    }
    // A dash after the first character separates a range; a leading one is a minus sign.
    let split = raw
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '-' || c == '–');
    let Some((at, dash)) = split else {
        return hours(raw).map(Effort::Hours);
    };
    let (min, max) = (hours(&raw[..at])?, hours(&raw[at + dash.len_utf8()..])?);
    if min > max {
        return Err(ProblemKind::RangeReversed {
            min: hours_number(min),
            max: hours_number(max),
        }
        .to_string());
    }
    Ok(Effort::HoursRange { min, max })
}

fn hours(raw: &str) -> Result<Minutes, String> {
    let raw = raw.trim();
    let number = raw.parse::<f64>().map_err(|_| {
        format!("`{raw}` is not a number of hours: write 12, 7.5, or a range such as 8-12")
    })?;
    Minutes::parse_hours(number).map_err(|e| e.to_string())
}

/// Hours as a plain number that reads back to the same minutes: `12`, `7.5`, `0.3333`.
pub fn hours_number(m: Minutes) -> String {
    if m.get().is_multiple_of(60) {
        return (m.get() / 60).to_string();
    }
    let text = format!("{:.4}", m.hours());
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The hours field's text for an estimate; empty for one in weeks.
pub fn hours_text(effort: &Effort) -> String {
    match *effort {
        Effort::Hours(m) => hours_number(m),
        Effort::HoursRange { min, max } => format!("{}-{}", hours_number(min), hours_number(max)),
        Effort::Weeks { .. } => String::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    #[test]
    fn hours_read_as_a_number_or_a_range() {
        let h = |n| Minutes::from_hours(n);
        assert_eq!(parse_effort("12", None), Ok(Effort::Hours(h(12))));
        assert_eq!(
            parse_effort(" 8 - 12 ", None),
            Ok(Effort::HoursRange {
                min: h(8),
                max: h(12)
            })
        );
        assert_eq!(
            parse_effort("8–12", None),
            Ok(Effort::HoursRange {
                min: h(8),
                max: h(12)
            })
        );
        assert_eq!(
            parse_effort("7.5", None),
            Ok(Effort::Hours(Minutes::new(450)))
        );
    }

    #[test]
    fn bad_hours_say_what_to_write() {
        assert!(
            parse_effort("-3", None)
                .unwrap_err()
                .contains("more than zero")
        );
        assert!(
            parse_effort("12-8", None)
                .unwrap_err()
                .contains("backwards")
        );
        assert!(
            parse_effort("lots", None)
                .unwrap_err()
                .contains("not a number")
        );
        assert!(parse_effort("5000", None).unwrap_err().contains("limit"));
        assert!(parse_effort("", None).unwrap_err().contains("estimate"));
    }

    #[test]
    fn an_empty_hours_field_keeps_weeks() {
        let weeks = Effort::Weeks {
            min_weeks: autodidact_core::curriculum::Tenths::new(40),
            max_weeks: autodidact_core::curriculum::Tenths::new(60),
            weekly: None,
        };
        assert_eq!(parse_effort("", Some(&weeks)), Ok(weeks));
    }

    #[test]
    fn hours_text_reads_back_to_the_same_minutes() {
        for minutes in [1, 20, 45, 60, 90, 450, 6001] {
            let m = Minutes::new(minutes);
            assert_eq!(parse_effort(&hours_number(m), None), Ok(Effort::Hours(m)));
        }
    }

    #[test]
    fn skills_are_trimmed_and_deduplicated() {
        assert_eq!(
            parse_skills(" python, linear algebra, ,python"),
            ["python", "linear algebra"]
        );
    }
}
