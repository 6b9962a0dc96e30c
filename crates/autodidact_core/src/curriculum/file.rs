//! The curriculum file format: TOML in, TOML out.
//!
//! Parsing goes through serde into "raw" structs that keep the source span of every value,
//! then converts each field to the model, collecting every problem instead of stopping at the
//! first. Spans are kept in a [`SourceMap`] so problems found later, by
//! [`validate`](super::validate::validate), still point at a line and column.
//! Writing goes back through a serializable mirror; `parse(write(c)) == c` for every valid
//! model (a property test checks it).

use std::collections::HashMap;
use std::ops::Range;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::model::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Minutes, Mode, Phase, Tenths,
};
use super::validate::{
    CurriculumField, ItemField, Location, PhaseField, Problem, ProblemKind, Severity, validate,
};

/// The largest curriculum file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// A problem with its place in the source text (1-based line and column).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub problem: Problem,
}

impl Diagnostic {
    /// `file:line:column: error: message`, the form editors and terminals link.
    pub fn render(&self, file: &str) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{file}:{}:{}: {severity}: {}",
            self.line, self.column, self.message
        )
    }
}

/// The outcome of reading a curriculum file: the model when there are no errors, and every
/// diagnostic (errors and warnings) in source order.
#[derive(Debug)]
pub struct Checked {
    pub curriculum: Option<Curriculum>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
}

/// Byte spans of the values of a parsed file, by location.
#[derive(Debug, Default)]
struct SourceMap {
    spans: HashMap<Location, Range<usize>>,
}

impl SourceMap {
    fn record(&mut self, at: Location, span: Range<usize>) {
        self.spans.insert(at, span);
    }

    /// The most precise span known: the field, else its item or phase, else the start.
    fn span_of(&self, at: Location) -> usize {
        let fallback = match at {
            Location::Item { phase, item, .. } => [
                Some(at),
                Some(Location::Item {
                    phase,
                    item,
                    field: ItemField::Whole,
                }),
                Some(Location::Phase {
                    phase,
                    field: PhaseField::Whole,
                }),
            ],
            Location::Phase { phase, .. } => [
                Some(at),
                Some(Location::Phase {
                    phase,
                    field: PhaseField::Whole,
                }),
                None,
            ],
            Location::Curriculum { .. } | Location::Document => [Some(at), None, None],
        };
        fallback
            .into_iter()
            .flatten()
            .find_map(|loc| self.spans.get(&loc).map(|r| r.start))
            .unwrap_or(0)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Parses and validates a curriculum file, reporting every problem found.
pub fn check_toml(source: &str) -> Checked {
    check(source, false)
}

/// Reads a stored curriculum: [`check_toml`], except that the rules added after it may have
/// been stored ([`ProblemKind::binds_stored`]) do not stop it from reading. They apply again
/// when it is edited.
pub fn check_stored_toml(source: &str) -> Checked {
    check(source, true)
}

fn check(source: &str, stored: bool) -> Checked {
    let mut map = SourceMap::default();
    let mut problems = Vec::new();
    let curriculum = if source.len() > MAX_FILE_BYTES {
        problems.push(Problem::error(
            Location::Document,
            ProblemKind::Syntax {
                message: format!(
                    "the file is {} bytes, more than the limit of {MAX_FILE_BYTES}: split the curriculum",
                    source.len()
                ),
            },
        ));
        None
    } else {
        match toml::from_str::<RawCurriculum>(source) {
            Ok(raw) => Some(convert(raw, &mut map, &mut problems)),
            Err(err) => {
                let at = err.span().map_or(0, |s| s.start);
                map.record(Location::Document, at..at);
                problems.push(Problem::error(
                    Location::Document,
                    ProblemKind::Syntax {
                        message: syntax_message(&err),
                    },
                ));
                None
            }
        }
    };
    if let Some(curriculum) = &curriculum {
        problems.extend(validate(curriculum));
    }
    let has_errors = problems
        .iter()
        .any(|p| p.is_error() && (!stored || p.kind.binds_stored()));
    let mut diagnostics: Vec<Diagnostic> = problems
        .into_iter()
        .map(|problem| {
            let (line, column) = line_col(source, map.span_of(problem.at));
            Diagnostic {
                severity: problem.severity,
                line,
                column,
                message: problem.kind.to_string(),
                problem,
            }
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.line, d.column));
    diagnostics.dedup_by(|a, b| a.line == b.line && a.column == b.column && a.message == b.message);
    Checked {
        curriculum: if has_errors { None } else { curriculum },
        diagnostics,
    }
}

fn syntax_message(err: &toml::de::Error) -> String {
    // toml's message is good; keep its first line, the rest repeats the source excerpt.
    let message = err.message().trim();
    let message = message.strip_suffix('.').unwrap_or(message);
    format!("this is not a valid curriculum file: {message}")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCurriculum {
    title: Option<Spanned<String>>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    author: String,
    hours_per_week: Option<Spanned<toml::Value>>,
    #[serde(default)]
    phases: Vec<Spanned<RawPhase>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    title: Option<Spanned<String>>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    items: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    hours: Option<Spanned<toml::Value>>,
    weeks: Option<Spanned<toml::Value>>,
    weekly_hours: Option<Spanned<toml::Value>>,
    estimated: Option<Spanned<String>>,
    /// With `estimated = "crowd"`: the item's own figure the crowd's replaced.
    own_hours: Option<Spanned<toml::Value>>,
    #[serde(default)]
    skills: Vec<String>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    mode: Option<Spanned<String>>,
    #[serde(default)]
    notes: String,
    due: Option<Spanned<toml::value::Datetime>>,
}

fn convert(raw: RawCurriculum, map: &mut SourceMap, problems: &mut Vec<Problem>) -> Curriculum {
    let title_at = Location::Curriculum {
        field: CurriculumField::Title,
    };
    let title = match raw.title {
        Some(t) => {
            map.record(title_at, t.span());
            t.into_inner()
        }
        None => {
            problems.push(Problem::error(
                Location::Document,
                ProblemKind::MissingField {
                    field: "title",
                    hint: "add `title = \"My degree\"` at the top of the file",
                },
            ));
            String::new()
        }
    };
    let hours_per_week = raw.hours_per_week.and_then(|value| {
        let at = Location::Curriculum {
            field: CurriculumField::HoursPerWeek,
        };
        map.record(at, value.span());
        hours_value(value.get_ref(), at, problems)
    });
    let phases = raw
        .phases
        .into_iter()
        .enumerate()
        .map(|(p, phase)| convert_phase(p, phase, map, problems))
        .collect();
    Curriculum {
        title,
        description: raw.description,
        author: raw.author,
        hours_per_week,
        phases,
    }
}

fn convert_phase(
    p: usize,
    raw: Spanned<RawPhase>,
    map: &mut SourceMap,
    problems: &mut Vec<Problem>,
) -> Phase {
    let whole = Location::Phase {
        phase: p,
        field: PhaseField::Whole,
    };
    map.record(whole, raw.span());
    let raw = raw.into_inner();
    let title = match raw.title {
        Some(t) => {
            map.record(
                Location::Phase {
                    phase: p,
                    field: PhaseField::Title,
                },
                t.span(),
            );
            t.into_inner()
        }
        None => {
            problems.push(Problem::error(
                whole,
                ProblemKind::MissingField {
                    field: "title",
                    hint: "give the phase a title, for example `title = \"Foundations\"`",
                },
            ));
            String::new()
        }
    };
    let items = raw
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| convert_item(p, i, item, map, problems))
        .collect();
    Phase {
        title,
        description: raw.description,
        items,
    }
}

/// Converts one item. A field with a problem gets a placeholder value so that the structural
/// checks can still run and report everything else at once.
fn convert_item(
    p: usize,
    i: usize,
    raw: Spanned<RawItem>,
    map: &mut SourceMap,
    problems: &mut Vec<Problem>,
) -> Item {
    let at = |field| Location::Item {
        phase: p,
        item: i,
        field,
    };
    map.record(at(ItemField::Whole), raw.span());
    let raw = raw.into_inner();
    let mut spanned = |field, span: Range<usize>| map.record(at(field), span);

    let id = match &raw.id {
        Some(id) => {
            spanned(ItemField::Id, id.span());
            ItemId::parse(id.get_ref()).unwrap_or_else(|err| {
                problems.push(Problem::error(
                    at(ItemField::Id),
                    ProblemKind::InvalidId {
                        message: err.to_string(),
                    },
                ));
                ItemId::from_title(id.get_ref())
            })
        }
        None => {
            let suggestion = raw.title.as_ref().map_or_else(
                || "my-item".to_owned(),
                |t| ItemId::from_title(t.get_ref()).to_string(),
            );
            problems.push(Problem::error(
                at(ItemField::Whole),
                ProblemKind::MissingField {
                    field: "id",
                    hint: if suggestion.is_empty() {
                        "give the item a stable id"
                    } else {
                        "give the item a stable id, such as a slug of its title"
                    },
                },
            ));
            ItemId::from_title(&suggestion)
        }
    };

    let kind = match &raw.kind {
        Some(kind) => {
            spanned(ItemField::Kind, kind.span());
            ItemKind::parse(kind.get_ref()).unwrap_or_else(|| {
                problems.push(Problem::error(
                    at(ItemField::Kind),
                    ProblemKind::UnknownKind {
                        given: kind.get_ref().clone(),
                    },
                ));
                ItemKind::Other
            })
        }
        None => {
            problems.push(Problem::error(
                at(ItemField::Whole),
                ProblemKind::MissingField {
                    field: "kind",
                    hint: "add `kind = \"course\"` (or book, paper, project, practice, article, video, other)",
                },
            ));
            ItemKind::Other
        }
    };

    let title = match &raw.title {
        Some(t) => {
            spanned(ItemField::Title, t.span());
            t.get_ref().clone()
        }
        None => {
            problems.push(Problem::error(
                at(ItemField::Whole),
                ProblemKind::MissingField {
                    field: "title",
                    hint: "add `title = \"…\"`",
                },
            ));
            String::new()
        }
    };

    let url = raw.url.as_ref().map(|url| {
        spanned(ItemField::Url, url.span());
        let url = url.get_ref().clone();
        if !is_web_url(&url) {
            problems.push(Problem::error(
                at(ItemField::Url),
                ProblemKind::BadUrl { url: url.clone() },
            ));
        }
        url
    });

    for (field, value) in [
        (ItemField::Hours, &raw.hours),
        (ItemField::Weeks, &raw.weeks),
        (ItemField::WeeklyHours, &raw.weekly_hours),
    ] {
        if let Some(value) = value {
            spanned(field, value.span());
        }
    }
    let effort = convert_effort(&raw, &at, problems);

    let estimate_source = match &raw.estimated {
        None => EstimateSource::Stated,
        Some(value) => {
            spanned(ItemField::Estimated, value.span());
            match value.get_ref().as_str() {
                "guess" => EstimateSource::Guess,
                "stated" => EstimateSource::Stated,
                "missing" => EstimateSource::Missing,
                "crowd" => EstimateSource::Crowd {
                    own: raw
                        .own_hours
                        .as_ref()
                        .and_then(|v| hours_value(v.get_ref(), at(ItemField::Estimated), problems)),
                },
                other => {
                    problems.push(Problem::error(
                        at(ItemField::Estimated),
                        ProblemKind::UnknownEstimateSource {
                            given: other.to_owned(),
                        },
                    ));
                    EstimateSource::Guess
                }
            }
        }
    };

    if raw.own_hours.is_some() && !matches!(estimate_source, EstimateSource::Crowd { .. }) {
        problems.push(Problem::error(
            at(ItemField::Estimated),
            ProblemKind::BadHours {
                message: "`own_hours` only goes with `estimated = \"crowd\"` (it keeps the item's own figure while the crowd's is used): remove it".to_owned(),
            },
        ));
    }

    let mode_override = raw.mode.and_then(|mode| {
        spanned(ItemField::Mode, mode.span());
        let parsed = Mode::parse(mode.get_ref());
        if parsed.is_none() {
            problems.push(Problem::error(
                at(ItemField::Mode),
                ProblemKind::UnknownMode {
                    given: mode.into_inner(),
                },
            ));
        }
        parsed
    });

    let requires = raw
        .requires
        .into_iter()
        .enumerate()
        .filter_map(|(r, req)| {
            spanned(ItemField::Requires(r), req.span());
            match ItemId::parse(req.get_ref()) {
                Ok(id) => Some(id),
                Err(err) => {
                    problems.push(Problem::error(
                        at(ItemField::Requires(r)),
                        ProblemKind::InvalidId {
                            message: err.to_string(),
                        },
                    ));
                    None
                }
            }
        })
        .collect();

    let due = raw.due.and_then(|due| {
        spanned(ItemField::Due, due.span());
        let parsed = due.get_ref().date.filter(|_| due.get_ref().time.is_none());
        let date = parsed.and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok());
        if date.is_none() {
            problems.push(Problem::error(
                at(ItemField::Due),
                ProblemKind::BadHours {
                    message: "`due` must be a plain date, for example `due = 2027-03-01`"
                        .to_owned(),
                },
            ));
        }
        date
    });

    Item {
        id,
        kind,
        title,
        url,
        effort,
        estimate_source,
        skills: raw.skills,
        requires,
        mode_override,
        notes: raw.notes,
        due,
    }
}

fn convert_effort(
    raw: &RawItem,
    at: &impl Fn(ItemField) -> Location,
    problems: &mut Vec<Problem>,
) -> Effort {
    let placeholder = Effort::Hours(Minutes::from_hours(1));
    match (&raw.hours, &raw.weeks) {
        (Some(_), Some(_)) => {
            problems.push(Problem::error(
                at(ItemField::Weeks),
                ProblemKind::ConflictingEstimate,
            ));
            placeholder
        }
        (None, None) => {
            problems.push(Problem::error(
                at(ItemField::Whole),
                ProblemKind::MissingField {
                    field: "hours",
                    hint: "estimate the work with `hours = 10`, `hours = [8, 12]` or `weeks = [4, 6]`",
                },
            ));
            placeholder
        }
        (Some(hours), None) => {
            if raw.weekly_hours.is_some() {
                problems.push(Problem::error(
                    at(ItemField::WeeklyHours),
                    ProblemKind::BadHours {
                        message: "`weekly_hours` only goes with `weeks`: remove it, or write the estimate as `weeks`".to_owned(),
                    },
                ));
            }
            let field = at(ItemField::Hours);
            match range_of(hours.get_ref(), field, problems, |v| {
                Minutes::parse_hours(v).map_err(|e| e.to_string())
            }) {
                Some((min, max))
                    if min == max && !matches!(hours.get_ref(), toml::Value::Array(_)) =>
                {
                    Effort::Hours(min)
                }
                Some((min, max)) => Effort::HoursRange { min, max },
                None => placeholder,
            }
        }
        (None, Some(weeks)) => {
            let weekly = raw
                .weekly_hours
                .as_ref()
                .and_then(|w| hours_value(w.get_ref(), at(ItemField::WeeklyHours), problems));
            let field = at(ItemField::Weeks);
            match range_of(weeks.get_ref(), field, problems, |v| {
                Tenths::parse(v).ok_or_else(|| {
                    format!(
                        "{v} weeks is not a duration: use a positive number of weeks, up to 1000"
                    )
                })
            }) {
                Some((min_weeks, max_weeks)) => Effort::Weeks {
                    min_weeks,
                    max_weeks,
                    weekly,
                },
                None => placeholder,
            }
        }
    }
}

/// A number, or an array `[min, max]` of two numbers, each converted by `parse`.
fn range_of<T: PartialOrd + Copy + std::fmt::Display>(
    value: &toml::Value,
    at: Location,
    problems: &mut Vec<Problem>,
    parse: impl Fn(f64) -> Result<T, String>,
) -> Option<(T, T)> {
    let mut one = |v: &toml::Value| match number(v) {
        Some(n) => parse(n)
            .map_err(|message| problems.push(Problem::error(at, ProblemKind::BadHours { message })))
            .ok(),
        None => {
            problems.push(Problem::error(
                at,
                ProblemKind::BadHours {
                    message: format!(
                        "expected a number or a range like [4, 6], found {}",
                        describe(v)
                    ),
                },
            ));
            None
        }
    };
    match value {
        toml::Value::Array(values) if values.len() == 2 => {
            let min = one(&values[0]);
            let max = one(&values[1]);
            let (min, max) = (min?, max?);
            if min > max {
                problems.push(Problem::error(
                    at,
                    ProblemKind::RangeReversed {
                        min: min.to_string(),
                        max: max.to_string(),
                    },
                ));
                return None;
            }
            Some((min, max))
        }
        toml::Value::Array(values) => {
            problems.push(Problem::error(
                at,
                ProblemKind::BadHours {
                    message: format!(
                        "a range has exactly two numbers, [min, max], and this one has {}",
                        values.len()
                    ),
                },
            ));
            None
        }
        single => one(single).map(|v| (v, v)),
    }
}

fn hours_value(value: &toml::Value, at: Location, problems: &mut Vec<Problem>) -> Option<Minutes> {
    match number(value) {
        Some(n) => Minutes::parse_hours(n)
            .map_err(|e| {
                problems.push(Problem::error(
                    at,
                    ProblemKind::BadHours {
                        message: e.to_string(),
                    },
                ))
            })
            .ok(),
        None => {
            problems.push(Problem::error(
                at,
                ProblemKind::BadHours {
                    message: format!("expected a number of hours, found {}", describe(value)),
                },
            ));
            None
        }
    }
}

fn number(value: &toml::Value) -> Option<f64> {
    match value {
        toml::Value::Integer(n) => Some(*n as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the text \"{s}\""),
        other => format!("a {}", other.type_str()),
    }
}

/// Whether a URL is an absolute http(s) address, the only kind an item may link to.
pub fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

// ---------------------------------------------------------------------------------------------
// Writing

#[derive(Serialize)]
struct OutCurriculum<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    author: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours_per_week: Option<toml::Value>,
    phases: Vec<OutPhase<'a>>,
}

#[derive(Serialize)]
struct OutPhase<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    items: Vec<OutItem<'a>>,
}

#[derive(Serialize)]
struct OutItem<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weeks: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weekly_hours: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    estimated: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    own_hours: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    skills: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    requires: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "str::is_empty")]
    notes: &'a str,
}

fn hours_number(m: Minutes) -> toml::Value {
    if m.get().is_multiple_of(60) {
        toml::Value::Integer(i64::from(m.get() / 60))
    } else {
        toml::Value::Float(m.hours())
    }
}

fn tenths_number(t: Tenths) -> toml::Value {
    if t.get().is_multiple_of(10) {
        toml::Value::Integer(i64::from(t.get() / 10))
    } else {
        toml::Value::Float(t.value())
    }
}

fn pair(a: toml::Value, b: toml::Value) -> toml::Value {
    toml::Value::Array(vec![a, b])
}

/// Writes a curriculum as a TOML file that [`check_toml`] reads back to the same model.
pub fn write_toml(curriculum: &Curriculum) -> String {
    let out = OutCurriculum {
        title: &curriculum.title,
        description: &curriculum.description,
        author: &curriculum.author,
        hours_per_week: curriculum.hours_per_week.map(hours_number),
        phases: curriculum
            .phases
            .iter()
            .map(|phase| OutPhase {
                title: &phase.title,
                description: &phase.description,
                items: phase.items.iter().map(out_item).collect(),
            })
            .collect(),
    };
    // Serializing these plain structs cannot fail: every key is a string and every value is
    // representable in TOML.
    toml::to_string(&out).unwrap_or_else(|err| format!("# could not write: {err}\n"))
}

fn out_item(item: &Item) -> OutItem<'_> {
    let (hours, weeks, weekly_hours) = match item.effort {
        Effort::Hours(m) => (Some(hours_number(m)), None, None),
        Effort::HoursRange { min, max } => {
            (Some(pair(hours_number(min), hours_number(max))), None, None)
        }
        Effort::Weeks {
            min_weeks,
            max_weeks,
            weekly,
        } => {
            let weeks = if min_weeks == max_weeks {
                tenths_number(min_weeks)
            } else {
                pair(tenths_number(min_weeks), tenths_number(max_weeks))
            };
            (None, Some(weeks), weekly.map(hours_number))
        }
    };
    OutItem {
        id: item.id.as_str(),
        kind: item.kind.as_str(),
        title: &item.title,
        url: item.url.as_deref(),
        hours,
        weeks,
        weekly_hours,
        estimated: match item.estimate_source {
            EstimateSource::Stated => None,
            EstimateSource::Guess => Some("guess"),
            EstimateSource::Missing => Some("missing"),
            EstimateSource::Crowd { .. } => Some("crowd"),
        },
        own_hours: match item.estimate_source {
            EstimateSource::Crowd { own } => own.map(hours_number),
            _ => None,
        },
        mode: item.mode_override.map(Mode::as_str),
        skills: &item.skills,
        requires: item.requires.iter().map(ItemId::as_str).collect(),
        due: item.due.map(|d| toml::value::Datetime {
            date: Some(toml::value::Date {
                year: d.year() as u16,
                month: d.month() as u8,
                day: d.day() as u8,
            }),
            time: None,
            offset: None,
        }),
        notes: &item.notes,
    }
}
