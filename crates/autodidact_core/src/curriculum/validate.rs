//! Structural rules over a whole curriculum: unique ids, known prerequisites, no cycles,
//! estimates in range. The same rules serve the file format and the browser editor; a
//! [`Location`] says which field is at fault, and each front end turns it into a line and
//! column or a place next to a form field.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Serialize;

use super::model::{Curriculum, Effort, ItemId, Minutes};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Where in a curriculum a problem sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Location {
    /// The document as a whole (syntax errors, missing top-level fields).
    Document,
    Curriculum {
        field: CurriculumField,
    },
    Phase {
        phase: usize,
        field: PhaseField,
    },
    Item {
        phase: usize,
        item: usize,
        field: ItemField,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CurriculumField {
    Title,
    HoursPerWeek,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseField {
    Whole,
    Title,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "field", content = "index", rename_all = "snake_case")]
pub enum ItemField {
    Whole,
    Id,
    Kind,
    Title,
    Url,
    Hours,
    Weeks,
    WeeklyHours,
    Estimated,
    Mode,
    Due,
    /// The n-th entry of `requires`.
    Requires(usize),
}

/// One thing wrong with a curriculum, with what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub at: Location,
    pub kind: ProblemKind,
}

/// The facts a problem can state. `Display` says what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ProblemKind {
    Syntax {
        message: String,
    },
    MissingField {
        field: &'static str,
        hint: &'static str,
    },
    EmptyTitle,
    InvalidId {
        message: String,
    },
    DuplicateId {
        id: ItemId,
    },
    UnknownKind {
        given: String,
    },
    UnknownMode {
        given: String,
    },
    UnknownEstimateSource {
        given: String,
    },
    BadHours {
        message: String,
    },
    ConflictingEstimate,
    WeeksWithoutWeeklyHours,
    RangeReversed {
        min: String,
        max: String,
    },
    BadUrl {
        url: String,
    },
    UnknownPrerequisite {
        id: ItemId,
        suggestion: Option<ItemId>,
    },
    PrerequisiteCycle {
        path: Vec<ItemId>,
    },
    PrerequisiteInLaterPhase {
        item: ItemId,
        prerequisite: ItemId,
        phase: String,
    },
    EmptyCurriculum,
    /// A title longer than [`MAX_TITLE_CHARS`]. Older versions allowed any length, so a stored
    /// curriculum with one still reads ([`ProblemKind::binds_stored`]).
    TitleTooLong {
        chars: usize,
    },
    /// More items than [`MAX_ITEMS`]. Like long titles, a rule newer than some stored
    /// curricula ([`ProblemKind::binds_stored`]).
    TooManyItems {
        items: usize,
    },
}

/// The most characters a curriculum's, a phase's or an item's title may have.
pub const MAX_TITLE_CHARS: usize = 200;
/// The most items a curriculum may have: well above real ones (the largest seen has about
/// 1,500), low enough that its plan, board and pages stay quick to build and to read.
pub const MAX_ITEMS: usize = 5000;

impl ProblemKind {
    /// Whether the rule also holds for a curriculum stored before it existed: a stored
    /// curriculum is read despite the rules that came later (it is checked again when edited).
    pub fn binds_stored(&self) -> bool {
        !matches!(
            self,
            ProblemKind::TitleTooLong { .. } | ProblemKind::TooManyItems { .. }
        )
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Syntax { message } => write!(f, "{message}"),
            ProblemKind::MissingField { field, hint } => {
                write!(f, "`{field}` is missing: {hint}")
            }
            ProblemKind::EmptyTitle => write!(f, "the title is empty: give it a few words"),
            ProblemKind::TitleTooLong { chars } => write!(
                f,
                "the title has {chars} characters, more than the {MAX_TITLE_CHARS} allowed: shorten it, and put the rest in the description"
            ),
            ProblemKind::TooManyItems { items } => write!(
                f,
                "the curriculum has {items} items, more than the {MAX_ITEMS} allowed: split it into several curricula (by phase, for example)"
            ),
            ProblemKind::InvalidId { message } => write!(f, "{message}"),
            ProblemKind::DuplicateId { id } => write!(
                f,
                "the id `{id}` is used by an earlier item: give each item its own id, for example `{id}-2`"
            ),
            ProblemKind::UnknownKind { given } => write!(
                f,
                "`{given}` is not a kind: use one of course, book, paper, project, practice, article, video or other"
            ),
            ProblemKind::UnknownMode { given } => write!(
                f,
                "`{given}` is not a mode: use `taking-in` or `making`, or leave `mode` out to follow the kind"
            ),
            ProblemKind::UnknownEstimateSource { given } => write!(
                f,
                "`{given}` is not a value of `estimated`: use `guess`, `missing` (no figure yet: planned at a placeholder for the kind), `crowd` (the hours are the median of the learners who finished it), or leave it out when the estimate comes from the source"
            ),
            ProblemKind::BadHours { message } => write!(f, "{message}"),
            ProblemKind::ConflictingEstimate => write!(
                f,
                "give the estimate once: either `hours` or `weeks`, not both"
            ),
            ProblemKind::WeeksWithoutWeeklyHours => write!(
                f,
                "`weeks` needs hours per week: add `weekly_hours = 8` to the item, or `hours_per_week` to the curriculum"
            ),
            ProblemKind::RangeReversed { min, max } => write!(
                f,
                "the range [{min}, {max}] runs backwards: write the smaller number first"
            ),
            ProblemKind::BadUrl { url } => write!(
                f,
                "`{url}` is not a web address: use a full http:// or https:// URL"
            ),
            ProblemKind::UnknownPrerequisite { id, suggestion } => {
                write!(f, "no item has the id `{id}`")?;
                match suggestion {
                    Some(s) => write!(f, ": did you mean `{s}`?"),
                    None => write!(f, ": name an item of this curriculum, or remove it"),
                }
            }
            ProblemKind::PrerequisiteCycle { path } => {
                let path: Vec<&str> = path.iter().map(ItemId::as_str).collect();
                write!(
                    f,
                    "prerequisites go round in a cycle: {}; remove one of these prerequisites",
                    path.join(" → ")
                )
            }
            ProblemKind::PrerequisiteInLaterPhase {
                item,
                prerequisite,
                phase,
            } => write!(
                f,
                "`{item}` requires `{prerequisite}`, which sits in the later phase \"{phase}\": the plan will pull `{prerequisite}` forward; move one of them if that is not what you want"
            ),
            ProblemKind::EmptyCurriculum => write!(
                f,
                "the curriculum has no items: add a [[phases]] table with at least one [[phases.items]]"
            ),
        }
    }
}

impl Problem {
    pub fn error(at: Location, kind: ProblemKind) -> Self {
        Self {
            severity: Severity::Error,
            at,
            kind,
        }
    }

    pub fn warning(at: Location, kind: ProblemKind) -> Self {
        Self {
            severity: Severity::Warning,
            at,
            kind,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

fn item_at(phase: usize, item: usize, field: ItemField) -> Location {
    Location::Item { phase, item, field }
}

/// A title is a few words: not empty, at most [`MAX_TITLE_CHARS`] characters.
fn check_title(title: &str, at: Location, problems: &mut Vec<Problem>) {
    let chars = title.trim().chars().count();
    if chars == 0 {
        problems.push(Problem::error(at, ProblemKind::EmptyTitle));
    } else if chars > MAX_TITLE_CHARS {
        problems.push(Problem::error(at, ProblemKind::TitleTooLong { chars }));
    }
}

/// Checks the rules that involve more than one field. Problems come in document order.
pub fn validate(curriculum: &Curriculum) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_title(
        &curriculum.title,
        Location::Curriculum {
            field: CurriculumField::Title,
        },
        &mut problems,
    );
    let items = curriculum.items().count();
    if items == 0 {
        problems.push(Problem::error(
            Location::Document,
            ProblemKind::EmptyCurriculum,
        ));
    } else if items > MAX_ITEMS {
        problems.push(Problem::error(
            Location::Document,
            ProblemKind::TooManyItems { items },
        ));
    }

    // First position of every id, for duplicates and prerequisite look-ups.
    let mut first: HashMap<&ItemId, (usize, usize)> = HashMap::new();
    for (p, phase) in curriculum.phases.iter().enumerate() {
        check_title(
            &phase.title,
            Location::Phase {
                phase: p,
                field: PhaseField::Title,
            },
            &mut problems,
        );
        for (i, item) in phase.items.iter().enumerate() {
            if first.contains_key(&item.id) {
                problems.push(Problem::error(
                    item_at(p, i, ItemField::Id),
                    ProblemKind::DuplicateId {
                        id: item.id.clone(),
                    },
                ));
            } else {
                first.insert(&item.id, (p, i));
            }
            check_title(&item.title, item_at(p, i, ItemField::Title), &mut problems);
            check_effort(curriculum, p, i, &item.effort, &mut problems);
        }
    }

    for (p, phase) in curriculum.phases.iter().enumerate() {
        for (i, item) in phase.items.iter().enumerate() {
            for (r, req) in item.requires.iter().enumerate() {
                let at = item_at(p, i, ItemField::Requires(r));
                match first.get(req) {
                    None => problems.push(Problem::error(
                        at,
                        ProblemKind::UnknownPrerequisite {
                            id: req.clone(),
                            suggestion: closest_id(req, first.keys().copied()),
                        },
                    )),
                    Some(&(req_phase, _)) if req_phase > p => problems.push(Problem::warning(
                        at,
                        ProblemKind::PrerequisiteInLaterPhase {
                            item: item.id.clone(),
                            prerequisite: req.clone(),
                            phase: curriculum.phases[req_phase].title.clone(),
                        },
                    )),
                    Some(_) => {}
                }
            }
        }
    }

    for path in find_cycles(curriculum) {
        let start = &path[0];
        let at = match first.get(start) {
            Some(&(p, i)) => {
                let item = &curriculum.phases[p].items[i];
                let r = item
                    .requires
                    .iter()
                    .position(|req| Some(req) == path.get(1))
                    .unwrap_or(0);
                item_at(p, i, ItemField::Requires(r))
            }
            None => Location::Document,
        };
        problems.push(Problem::error(at, ProblemKind::PrerequisiteCycle { path }));
    }

    problems.sort_by_key(|p| p.at);
    problems
}

fn check_effort(
    curriculum: &Curriculum,
    p: usize,
    i: usize,
    effort: &Effort,
    problems: &mut Vec<Problem>,
) {
    if let Effort::Weeks { weekly, .. } = effort {
        if weekly.is_none() && curriculum.hours_per_week.is_none() {
            problems.push(Problem::error(
                item_at(p, i, ItemField::Weeks),
                ProblemKind::WeeksWithoutWeeklyHours,
            ));
            return;
        }
        let (_, max) = effort.bounds(curriculum.hours_per_week);
        if max > Minutes::from_hours(Minutes::MAX_ESTIMATE_HOURS) {
            problems.push(Problem::error(
                item_at(p, i, ItemField::Weeks),
                ProblemKind::BadHours {
                    message: format!(
                        "this comes to {max}, more than the limit of {} h for one item: split it into smaller items",
                        Minutes::MAX_ESTIMATE_HOURS
                    ),
                },
            ));
        }
    }
}

/// Every elementary cycle reachable in the prerequisite graph, each reported once, as a path
/// that starts and ends at the same id (`a → b → a`). Unknown ids are ignored here.
pub fn find_cycles(curriculum: &Curriculum) -> Vec<Vec<ItemId>> {
    let ids: Vec<&ItemId> = curriculum.items().map(|item| &item.id).collect();
    let index: HashMap<&ItemId, usize> = ids.iter().enumerate().map(|(n, id)| (*id, n)).collect();
    let edges: Vec<Vec<usize>> = curriculum
        .items()
        .map(|item| {
            item.requires
                .iter()
                .filter_map(|req| index.get(req).copied())
                .collect()
        })
        .collect();

    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnStack,
        Done,
    }
    let mut mark = vec![Mark::New; ids.len()];
    let mut cycles = Vec::new();
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..ids.len() {
        if mark[root] != Mark::New {
            continue;
        }
        mark[root] = Mark::OnStack;
        stack.push((root, 0));
        // Iterative DFS so that a 10,000-item chain cannot overflow the stack.
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match mark[to] {
                    Mark::New => {
                        mark[to] = Mark::OnStack;
                        stack.push((to, 0));
                    }
                    Mark::OnStack => {
                        let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        let mut path: Vec<ItemId> =
                            stack[from..].iter().map(|&(n, _)| ids[n].clone()).collect();
                        path.push(ids[to].clone());
                        cycles.push(path);
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    cycles
}

/// The known id nearest to `wanted` by edit distance, if it is close enough to be a typo.
fn closest_id<'a>(wanted: &ItemId, known: impl Iterator<Item = &'a ItemId>) -> Option<ItemId> {
    let wanted = wanted.as_str();
    let limit = (wanted.len() / 3).max(2);
    let mut best: BTreeMap<(usize, &ItemId), ()> = BTreeMap::new();
    for id in known {
        let d = edit_distance(wanted, id.as_str());
        if d <= limit {
            best.insert((d, id), ());
        }
    }
    best.into_keys().next().map(|(_, id)| id.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()]
}
