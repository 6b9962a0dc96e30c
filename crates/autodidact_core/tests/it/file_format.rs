//! The curriculum file: round trips, and a located, fixable message for every mistake.

use autodidact_core::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Minutes, Mode, Phase, ProblemKind,
    Severity, Tenths, check_stored_toml, check_toml, write_toml,
};
use jiff::civil::Date;
use proptest::prelude::*;

const GOOD: &str = r#"title = "Tiny degree"
hours_per_week = 10

[[phases]]
title = "One"

[[phases.items]]
id = "python"
kind = "course"
title = "Python"
hours = [4, 6]

[[phases.items]]
id = "first-project"
kind = "project"
title = "A first project"
weeks = 2
requires = ["python"]
due = 2027-01-02
notes = """
- [ ] plan
- [ ] build"""
"#;

/// The diagnostics of a file, rendered as `tiny.toml:line:col: severity: message`.
fn diagnostics(source: &str) -> Vec<String> {
    check_toml(source)
        .diagnostics
        .iter()
        .map(|d| d.render("tiny.toml"))
        .collect()
}

#[test]
fn a_title_has_at_most_200_characters_yet_a_stored_longer_one_still_reads() {
    let at_most = GOOD.replace(
        "title = \"Python\"",
        &format!("title = \"{}\"", "é".repeat(200)),
    );
    assert!(check_toml(&at_most).curriculum.is_some());
    let long = GOOD.replace(
        "title = \"Python\"",
        &format!("title = \"{}\"", "a".repeat(201)),
    );
    assert_eq!(
        diagnostics(&long),
        [
            "tiny.toml:10:9: error: the title has 201 characters, more than the 200 allowed: shorten it, and put the rest in the description"
        ]
    );
    assert!(check_toml(&long).curriculum.is_none());
    // Stored before the rule, it still reads (and is checked again when edited).
    let stored = check_stored_toml(&long).curriculum.unwrap();
    assert_eq!(stored.phases[0].items[0].title.chars().count(), 201);
    // The older rules still bind a stored curriculum.
    let empty = GOOD.replace("title = \"Python\"", "title = \"\"");
    assert!(check_stored_toml(&empty).curriculum.is_none());
}

/// A curriculum of `n` one-hour items in one phase.
fn with_items(n: usize) -> String {
    let mut text = String::from("title = \"Big\"\n\n[[phases]]\ntitle = \"All\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "\n[[phases.items]]\nid = \"i{i}\"\nkind = \"article\"\ntitle = \"Item {i}\"\nhours = 1\n"
        ));
    }
    text
}

#[test]
fn a_curriculum_has_at_most_5000_items_yet_a_stored_larger_one_still_reads() {
    assert!(check_toml(&with_items(5000)).curriculum.is_some());
    let big = with_items(5001);
    let report = check_toml(&big);
    assert!(report.curriculum.is_none());
    let messages: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| d.render("big.toml"))
        .collect();
    assert_eq!(
        messages,
        [
            "big.toml:1:1: error: the curriculum has 5001 items, more than the 5000 allowed: split it into several curricula (by phase, for example)"
        ]
    );
    assert_eq!(
        check_stored_toml(&big).curriculum.unwrap().items().count(),
        5001
    );
}

#[test]
fn a_good_file_reads_into_the_model() {
    let c = check_toml(GOOD).curriculum.unwrap();
    assert_eq!(c.title, "Tiny degree");
    assert_eq!(c.hours_per_week, Some(Minutes::from_hours(10)));
    let project = &c.phases[0].items[1];
    assert_eq!(project.mode(), Mode::Making);
    assert_eq!(project.planned(c.hours_per_week), Minutes::from_hours(20));
    assert_eq!(c.phases[0].items[0].planned(None), Minutes::from_hours(5));
    assert_eq!(project.due, Some(jiff::civil::date(2027, 1, 2)));
    assert_eq!(c.total_planned(), Minutes::from_hours(25));
}

#[test]
fn every_problem_is_reported_at_once_with_line_and_column() {
    let bad = GOOD
        .replace("kind = \"course\"", "kind = \"lecture\"")
        .replace(
            "requires = [\"python\"]",
            "requires = [\"pyhton\", \"first-project\"]",
        )
        .replace("hours = [4, 6]", "hours = -3");
    let found = diagnostics(&bad);
    assert_eq!(
        found,
        [
            "tiny.toml:9:8: error: `lecture` is not a kind: use one of course, book, paper, project, practice, article, video or other",
            "tiny.toml:11:9: error: hours must be more than zero, and -3 is not",
            "tiny.toml:18:13: error: no item has the id `pyhton`: did you mean `python`?",
            "tiny.toml:18:23: error: prerequisites go round in a cycle: first-project → first-project; remove one of these prerequisites",
        ]
    );
}

#[test]
fn duplicate_ids_point_at_the_second_one() {
    let bad = GOOD
        .replace("id = \"first-project\"", "id = \"python\"")
        .replace("requires = [\"python\"]\n", "");
    let found = check_toml(&bad);
    let d = found.errors().next().unwrap();
    assert!(matches!(d.problem.kind, ProblemKind::DuplicateId { .. }));
    assert_eq!((d.line, d.column), (14, 6));
    assert!(d.message.contains("`python-2`"), "{}", d.message);
}

#[test]
fn a_longer_cycle_is_shown_as_its_path() {
    let source = r#"title = "Loop"
[[phases]]
title = "P"
[[phases.items]]
id = "a"
kind = "book"
title = "A"
hours = 1
requires = ["c"]
[[phases.items]]
id = "b"
kind = "book"
title = "B"
hours = 1
requires = ["a"]
[[phases.items]]
id = "c"
kind = "book"
title = "C"
hours = 1
requires = ["b"]
"#;
    let found = diagnostics(source);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("a → c → b → a"), "{}", found[0]);
    assert!(found[0].starts_with("tiny.toml:9:13:"), "{}", found[0]);
}

#[test]
fn absurd_and_zero_hours_are_errors_that_say_what_to_do() {
    for (hours, expected) in [
        ("0", "must be more than zero"),
        ("10000", "split the item into smaller ones"),
        ("[6, 4]", "write the smaller number first"),
        ("\"lots\"", "expected a number or a range"),
        ("[1, 2, 3]", "exactly two numbers"),
    ] {
        let bad = GOOD.replace("hours = [4, 6]", &format!("hours = {hours}"));
        let found = diagnostics(&bad);
        assert_eq!(found.len(), 1, "{hours}: {found:#?}");
        assert!(
            found[0].starts_with("tiny.toml:11:9: error:"),
            "{}",
            found[0]
        );
        assert!(found[0].contains(expected), "{}", found[0]);
    }
    let weeks = GOOD
        .replace("weeks = 2", "weeks = 500")
        .replace("hours_per_week = 10", "hours_per_week = 40");
    assert!(diagnostics(&weeks)[0].contains("more than the limit of 4000 h"));
}

#[test]
fn a_prerequisite_in_a_later_phase_is_a_warning_and_the_file_still_loads() {
    let source = GOOD
        .replace(
            "[[phases.items]]\nid = \"first-project\"",
            "[[phases]]\ntitle = \"Two\"\n\n[[phases.items]]\nid = \"first-project\"",
        )
        .replace(
            "hours = [4, 6]",
            "hours = [4, 6]\nrequires = [\"first-project\"]",
        )
        .replace("requires = [\"python\"]\n", "");
    let checked = check_toml(&source);
    assert!(checked.curriculum.is_some());
    let warning = checked.warnings().next().unwrap();
    assert_eq!(warning.severity, Severity::Warning);
    assert!(
        warning.message.contains("sits in the later phase \"Two\""),
        "{}",
        warning.message
    );
}

#[test]
fn unknown_fields_and_syntax_errors_name_the_place() {
    let typo = GOOD.replace("requires =", "requries =");
    let found = diagnostics(&typo);
    assert!(found[0].starts_with("tiny.toml:18:1: error:"), "{found:?}");
    assert!(found[0].contains("requries"), "{found:?}");
    let broken = diagnostics("title = \"x\n");
    assert!(broken[0].starts_with("tiny.toml:1:"), "{broken:?}");
}

#[test]
fn missing_fields_are_named() {
    let source =
        "title = \"T\"\n[[phases]]\ntitle = \"P\"\n[[phases.items]]\ntitle = \"Some Course\"\n";
    let found = diagnostics(source);
    let text = found.join("\n");
    assert!(text.contains("`id` is missing"), "{text}");
    assert!(text.contains("`kind` is missing"), "{text}");
    assert!(text.contains("`hours` is missing"), "{text}");
    assert!(
        found.iter().all(|d| d.starts_with("tiny.toml:4:")),
        "{text}"
    );
}

#[test]
fn the_written_file_is_readable_and_reads_back_the_same() {
    let c = check_toml(GOOD).curriculum.unwrap();
    let written = write_toml(&c);
    assert!(written.contains("[[phases.items]]"));
    assert!(written.contains("hours = [4, 6]"));
    assert_eq!(check_toml(&written).curriculum.unwrap(), c);
}

// ---------------------------------------------------------------------------------------------
// Round trip on generated models

fn text() -> impl Strategy<Value = String> {
    // Any printable text, including quotes, backslashes, newlines and non-Latin scripts.
    "[ -~\u{e9}\u{4e2d}\u{1f600}\n\t\"\\\\]{0,40}"
}

fn title() -> impl Strategy<Value = String> {
    text().prop_filter("titles are not blank", |t| !t.trim().is_empty())
}

fn effort() -> impl Strategy<Value = Effort> {
    prop_oneof![
        (1u32..240_000).prop_map(|m| Effort::Hours(Minutes::new(m))),
        (1u32..1000, 0u32..1000).prop_map(|(a, b)| Effort::HoursRange {
            min: Minutes::new(a),
            max: Minutes::new(a + b)
        }),
        (1u32..200, 0u32..100, prop::option::of(1u32..1200)).prop_map(|(a, b, w)| Effort::Weeks {
            min_weeks: Tenths::new(a),
            max_weeks: Tenths::new(a + b),
            weekly: w.map(Minutes::new),
        }),
    ]
}

fn item_strategy() -> impl Strategy<Value = (Item, Vec<prop::sample::Index>)> {
    (
        (
            prop::sample::select(ItemKind::ALL.to_vec()),
            title(),
            prop::option::of("[a-z]{1,10}"),
            effort(),
        ),
        (
            any::<bool>(),
            prop::collection::vec("[a-z0-9 ]{1,12}", 0..3),
            prop::option::of(any::<bool>()),
            text(),
        ),
        (
            prop::option::of((2000i16..2100, 1i8..13, 1i8..29)),
            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        ),
    )
        .prop_map(
            |((kind, title, url, effort), (guess, skills, mode, notes), (due, reqs))| {
                let item = Item {
                    id: ItemId::parse("placeholder").unwrap(),
                    kind,
                    title,
                    url: url.map(|u| format!("https://example.org/{u}?q=1")),
                    effort,
                    estimate_source: if guess {
                        EstimateSource::Guess
                    } else {
                        EstimateSource::Stated
                    },
                    skills,
                    requires: vec![],
                    mode_override: mode.map(|m| if m { Mode::Making } else { Mode::TakingIn }),
                    notes,
                    due: due.map(|(y, m, d)| Date::new(y, m, d).unwrap()),
                };
                (item, reqs)
            },
        )
}

fn curriculum_strategy() -> impl Strategy<Value = Curriculum> {
    let phases = prop::collection::vec(
        (
            title(),
            text(),
            prop::collection::vec(item_strategy(), 1..5),
        ),
        1..4,
    );
    (title(), text(), text(), 1u32..6000, phases).prop_map(
        |(title, description, author, weekly, phases)| {
            let mut n = 0usize;
            let phases = phases
                .into_iter()
                .map(|(title, description, items)| Phase {
                    title,
                    description,
                    items: items
                        .into_iter()
                        .map(|(mut item, reqs)| {
                            item.id = ItemId::parse(&format!("item-{n}")).unwrap();
                            if n > 0 {
                                let mut requires: Vec<ItemId> = reqs
                                    .iter()
                                    .map(|r| {
                                        ItemId::parse(&format!("item-{}", r.index(n))).unwrap()
                                    })
                                    .collect();
                                requires.dedup();
                                item.requires = requires;
                            }
                            n += 1;
                            item
                        })
                        .collect(),
                })
                .collect();
            Curriculum {
                title,
                description,
                author,
                hours_per_week: Some(Minutes::new(weekly)),
                phases,
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn parse_write_parse_gives_an_identical_model(curriculum in curriculum_strategy()) {
        let written = write_toml(&curriculum);
        let checked = check_toml(&written);
        let errors: Vec<String> = checked.errors().map(|d| d.render("gen.toml")).collect();
        prop_assert!(errors.is_empty(), "{errors:#?}\n{written}");
        let once = checked.curriculum.unwrap();
        prop_assert_eq!(&once, &curriculum);
        let twice = check_toml(&write_toml(&once)).curriculum.unwrap();
        prop_assert_eq!(twice, once);
    }
}
