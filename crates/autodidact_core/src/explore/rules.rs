//! The figures of a curriculum for the listing, and reading a query, as pure functions.

use std::collections::BTreeSet;

use super::model::{ExploreQuery, QueryProblem, RawQuery};
use crate::curriculum::{Curriculum, ItemKind, check_stored_toml};
use crate::store::{CurriculumSummary, ExploreSort};

/// The longest search accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;
/// The most words a search may have.
pub const MAX_WORDS: usize = 8;
/// The last page that can be asked for: past it, narrow the search.
pub const MAX_PAGE: u32 = 500;
/// The most bytes of a curriculum's search text (its title, then its skills, whole lines):
/// the text sits in the listing's indexes, whose entries PostgreSQL caps at about 2.7 KB.
pub const MAX_SEARCH_TEXT_BYTES: usize = 1_000;

/// A curriculum in figures: items, planned hours, its stated hours a week, the kinds and
/// skills of its items, and the text a search looks in (title and skills, lowercased, one a
/// line, so that a skill can be matched whole).
pub fn summarize(curriculum: &Curriculum) -> CurriculumSummary {
    let kinds: BTreeSet<ItemKind> = curriculum.items().map(|i| i.kind).collect();
    let mut skills: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for skill in curriculum.items().flat_map(|i| i.skills.iter()) {
        let skill = one_line(skill);
        if !skill.is_empty() && seen.insert(skill.to_lowercase()) {
            skills.push(skill);
        }
    }
    skills.sort_by_key(|s| s.to_lowercase());
    let mut search_text = format!("\n{}\n", one_line(&curriculum.title).to_lowercase());
    if search_text.len() > MAX_SEARCH_TEXT_BYTES {
        let mut cut = MAX_SEARCH_TEXT_BYTES - 1;
        while !search_text.is_char_boundary(cut) {
            cut -= 1;
        }
        search_text.truncate(cut);
        search_text.push('\n');
    }
    for skill in &seen {
        // Whole skills only, so that a skill is matched whole or not at all.
        if search_text.len() + skill.len() + 1 > MAX_SEARCH_TEXT_BYTES {
            break;
        }
        search_text.push_str(skill);
        search_text.push('\n');
    }
    CurriculumSummary {
        items: u32::try_from(curriculum.items().count()).unwrap_or(u32::MAX),
        total: curriculum.total_planned(),
        weekly: curriculum.hours_per_week,
        kinds: ItemKind::ALL
            .into_iter()
            .filter(|k| kinds.contains(k))
            .collect(),
        skills,
        search_text,
    }
}

/// The summary of a stored source; a source that no longer reads (a rule added since it was
/// stored) is summarised as empty, and so never matches a filter on hours or kinds.
pub fn summarize_source(source: &str) -> CurriculumSummary {
    check_stored_toml(source)
        .curriculum
        .map(|c| summarize(&c))
        .unwrap_or_default()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads a query from a form or URL. Empty fields mean "any"; every field that cannot be read
/// is reported, each with what to write instead.
pub fn parse_query(raw: &RawQuery) -> Result<ExploreQuery, Vec<QueryProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &'static str, message: String| {
        problems.push(QueryProblem { field, message });
    };
    let text = raw.q.trim().to_owned();
    if text.chars().count() > MAX_SEARCH_CHARS {
        problem(
            "q",
            format!("a search is at most {MAX_SEARCH_CHARS} characters; shorten it"),
        );
    }
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    if words.len() > MAX_WORDS {
        problem(
            "q",
            format!(
                "a search is at most {MAX_WORDS} words, and this one has {}; leave some out",
                words.len()
            ),
        );
    }
    let skill = one_line(&raw.skill).to_lowercase();
    if skill.chars().count() > MAX_SEARCH_CHARS {
        problem(
            "skill",
            format!("a skill is at most {MAX_SEARCH_CHARS} characters"),
        );
    }
    let kind = match raw.kind.trim() {
        "" => None,
        k => ItemKind::parse(k).or_else(|| {
            problem(
                "kind",
                format!(
                    "“{k}” is not a kind; use one of {}",
                    ItemKind::ALL.map(ItemKind::as_str).join(", ")
                ),
            );
            None
        }),
    };
    let mut hours = |field: &'static str, value: &str| -> Option<u32> {
        match value.trim() {
            "" => None,
            v => match v.parse::<u32>() {
                Ok(n) if n <= 100_000 => Some(n),
                _ => {
                    problem(
                        field,
                        format!("write a whole number of hours, like 40; “{v}” is not one"),
                    );
                    None
                }
            },
        }
    };
    let min_hours = hours("min_hours", &raw.min_hours);
    let max_hours = hours("max_hours", &raw.max_hours);
    let max_weekly = hours("max_weekly", &raw.max_weekly);
    let sort = match raw.sort.trim() {
        "" | "followers" => ExploreSort::Followers,
        "finishers" => ExploreSort::Finishers,
        "recent" => ExploreSort::Recent,
        s => {
            problem(
                "sort",
                format!("“{s}” is not an order; use followers, finishers or recent"),
            );
            ExploreSort::Followers
        }
    };
    let page = match raw.page.trim() {
        "" => 1,
        p => match p.parse::<u32>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                problem(
                    "page",
                    format!("pages go from 1 to {MAX_PAGE}; “{p}” is not one of them"),
                );
                1
            }
        },
    };
    if let (Some(lo), Some(hi)) = (min_hours, max_hours)
        && lo > hi
    {
        problem(
            "max_hours",
            format!("at most {hi} hours is less than at least {lo}; swap them"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ExploreQuery {
        text,
        words,
        skill: (!skill.is_empty()).then_some(skill),
        kind,
        min_hours,
        max_hours,
        max_weekly,
        sort,
        page,
    })
}

impl ExploreSort {
    pub fn as_str(self) -> &'static str {
        match self {
            ExploreSort::Followers => "followers",
            ExploreSort::Finishers => "finishers",
            ExploreSort::Recent => "recent",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::curriculum::{Minutes, check_toml};

    const SOURCE: &str = r#"title = "Deep  learning\tfrom scratch"
hours_per_week = 10
[[phases]]
title = "Foundations"
items = [
  { id = "course", kind = "course", title = "A course", hours = 30, skills = ["Python", "linear algebra"] },
  { id = "book", kind = "book", title = "A book", hours = 20, skills = ["python"] },
  { id = "proj", kind = "project", title = "A project", hours = 15, skills = ["PyTorch"] },
]
"#;

    #[test]
    fn a_summary_counts_items_and_hours_and_keeps_each_kind_and_skill_once() {
        let c = check_toml(SOURCE).curriculum.unwrap();
        let s = summarize(&c);
        assert_eq!(s.items, 3);
        assert_eq!(s.total, Minutes::from_hours(65));
        assert_eq!(s.weekly, Some(Minutes::from_hours(10)));
        assert_eq!(
            s.kinds,
            vec![ItemKind::Course, ItemKind::Book, ItemKind::Project]
        );
        assert_eq!(s.skills, vec!["linear algebra", "Python", "PyTorch"]);
        assert_eq!(
            s.search_text,
            "\ndeep learning from scratch\nlinear algebra\npython\npytorch\n"
        );
    }

    #[test]
    fn the_search_text_is_capped_at_whole_skills() {
        let skills: Vec<String> = (0..200).map(|n| format!("\"skill number {n}\"")).collect();
        let source = format!(
            "title = \"{}\"\n[[phases]]\ntitle = \"One\"\nitems = [{{ id = \"a\", kind = \"book\", title = \"A\", hours = 1, skills = [{}] }}]\n",
            "é".repeat(150),
            skills.join(", ")
        );
        let s = summarize_source(&source);
        assert!(
            s.search_text.len() <= MAX_SEARCH_TEXT_BYTES,
            "{}",
            s.search_text.len()
        );
        assert!(s.search_text.ends_with('\n'));
        assert!(s.search_text.contains("\nskill number 0\n"));
        assert_eq!(s.skills.len(), 200, "every skill is still shown");
    }

    #[test]
    fn an_unreadable_source_is_summarised_as_empty() {
        assert_eq!(summarize_source("title = ["), CurriculumSummary::default());
    }

    #[test]
    fn an_empty_query_lists_everything_by_followers_from_page_one() {
        let q = parse_query(&RawQuery::default()).unwrap();
        assert_eq!(q.sort, ExploreSort::Followers);
        assert_eq!(q.page, 1);
        assert!(q.words.is_empty() && q.skill.is_none() && q.kind.is_none());
    }

    #[test]
    fn a_query_is_read_into_words_and_filters() {
        let q = parse_query(&RawQuery {
            q: "  Deep   Learning ".to_owned(),
            skill: " Linear  Algebra".to_owned(),
            kind: "project".to_owned(),
            min_hours: "10".to_owned(),
            max_hours: "200".to_owned(),
            max_weekly: "15".to_owned(),
            sort: "recent".to_owned(),
            page: "3".to_owned(),
        })
        .unwrap();
        assert_eq!(q.text, "Deep   Learning");
        assert_eq!(q.words, vec!["deep", "learning"]);
        assert_eq!(q.skill.as_deref(), Some("linear algebra"));
        assert_eq!(q.kind, Some(ItemKind::Project));
        assert_eq!(
            (q.min_hours, q.max_hours, q.max_weekly),
            (Some(10), Some(200), Some(15))
        );
        assert_eq!((q.sort, q.page), (ExploreSort::Recent, 3));
    }

    #[test]
    fn every_bad_field_is_reported_with_what_to_write() {
        let problems = parse_query(&RawQuery {
            q: "a b c d e f g h i".to_owned(),
            kind: "podcast".to_owned(),
            min_hours: "ten".to_owned(),
            max_weekly: "-3".to_owned(),
            sort: "stars".to_owned(),
            page: "0".to_owned(),
            ..RawQuery::default()
        })
        .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec!["q", "kind", "min_hours", "max_weekly", "sort", "page"]
        );
        assert!(problems[1].message.contains("course, book"));
        assert!(problems[2].message.contains("like 40"));
    }

    #[test]
    fn a_range_upside_down_is_refused() {
        let problems = parse_query(&RawQuery {
            min_hours: "100".to_owned(),
            max_hours: "20".to_owned(),
            ..RawQuery::default()
        })
        .unwrap_err();
        assert_eq!(problems[0].field, "max_hours");
    }
}
