//! The importers, on the samples in `tests/data/import/` and on generated hostile input.
//! Every successful import is checked to validate and to survive a TOML round trip.

use autodidact_core::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Minutes, check_toml, validate,
    write_toml,
};
use autodidact_core::import::{
    ImportError, Imported, MAX_IMPORT_BYTES, SourceFormat, detect, import_bytes,
};
use autodidact_core::store::ItemStatus;
use jiff::civil::date;
use proptest::prelude::*;
use serde_json::json;

const TRELLO: &[u8] = include_bytes!("../data/import/trello-board.json");
const TRELLO_TRUNCATED: &[u8] = include_bytes!("../data/import/trello-truncated.json");
const TRELLO_WRONG_SHAPE: &[u8] = include_bytes!("../data/import/trello-wrong-shape.json");
const OSSU: &[u8] = include_bytes!("../data/import/markdown-ossu.md");
const CHECKLIST: &[u8] = include_bytes!("../data/import/markdown-checklist.md");
const HOURS: &[u8] = include_bytes!("../data/import/markdown-hours.md");
const TRELLO_STATUS: &[u8] = include_bytes!("../data/import/trello-status.json");
const ROADMAP_STRUCTURE: &[u8] = include_bytes!("../data/import/roadmap-structure.json");
const ROADMAP: &[u8] = include_bytes!("../data/import/roadmap.json");
const ROADMAP_DEEP: &[u8] = include_bytes!("../data/import/roadmap-deep.json");
const PROSE: &[u8] = include_bytes!("../data/import/not-a-curriculum.txt");

/// Imports and checks the promises every successful import makes.
fn import(bytes: &[u8], format: Option<SourceFormat>) -> Imported {
    let imported = import_bytes(bytes, format, "Hackathon prep").unwrap();
    assert_sound(&imported.curriculum);
    imported
}

fn refused(bytes: &[u8], format: Option<SourceFormat>) -> ImportError {
    import_bytes(bytes, format, "Hackathon prep").unwrap_err()
}

/// No validation errors, and `write_toml` → `check_toml` gives the same curriculum back.
fn assert_sound(curriculum: &Curriculum) {
    let errors: Vec<String> = validate(curriculum)
        .into_iter()
        .filter(|p| p.is_error())
        .map(|p| p.kind.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let written = write_toml(curriculum);
    let again = check_toml(&written);
    assert_eq!(again.curriculum.as_ref(), Some(curriculum), "{written}");
}

fn phase_titles(c: &Curriculum) -> Vec<&str> {
    c.phases.iter().map(|p| p.title.as_str()).collect()
}

fn item_titles(c: &Curriculum, phase: usize) -> Vec<&str> {
    c.phases[phase]
        .items
        .iter()
        .map(|i| i.title.as_str())
        .collect()
}

fn item<'c>(c: &'c Curriculum, id: &str) -> &'c Item {
    c.item(&ItemId::parse(id).unwrap())
        .unwrap_or_else(|| panic!("no item `{id}`"))
}

fn hours(h: u32) -> Effort {
    Effort::Hours(Minutes::from_hours(h))
}

fn range(min: u32, max: u32) -> Effort {
    Effort::HoursRange {
        min: Minutes::from_hours(min),
        max: Minutes::from_hours(max),
    }
}

fn ids(ids: &[&str]) -> Vec<ItemId> {
    ids.iter().map(|id| ItemId::parse(id).unwrap()).collect()
}

// --- Trello ----------------------------------------------------------------------------------

#[test]
fn trello_lists_become_phases_and_cards_items_in_position_order() {
    let imported = import(TRELLO, Some(SourceFormat::Trello));
    let c = &imported.curriculum;
    assert_eq!(imported.format, SourceFormat::Trello);
    assert_eq!(c.title, "Self-taught Backend Engineering");
    assert_eq!(
        c.description,
        "My path from scripting to running services in production."
    );
    assert_eq!(phase_titles(c), ["Foundations", "Backend Core", "Capstone"]);
    assert_eq!(
        item_titles(c, 0),
        [
            "Read: The Missing Semester",
            "CS50's Introduction to Computer Science",
            "Learn Git branching"
        ]
    );
    assert_eq!(
        item_titles(c, 1),
        [
            "Build a URL shortener project",
            "Designing Data-Intensive Applications (book)"
        ]
    );
    assert_eq!(
        item_titles(c, 2),
        [
            "Ship a side project to production",
            "Retrospective",
            "Retrospective"
        ]
    );
}

#[test]
fn archived_trello_lists_and_cards_are_not_imported() {
    let imported = import(TRELLO, None);
    let titles: Vec<&str> = imported
        .curriculum
        .items()
        .map(|i| i.title.as_str())
        .collect();
    for archived in ["Old tutorial I dropped", "Learn COBOL", "Write a compiler"] {
        assert!(!titles.contains(&archived), "{archived} was imported");
    }
    assert!(!phase_titles(&imported.curriculum).contains(&"Old ideas"));
    // "Someday" holds only an archived card, so it is dropped too.
    assert!(!phase_titles(&imported.curriculum).contains(&"Someday"));
    for note in [
        "1 archived list was skipped",
        "1 card in archived lists was skipped",
        "2 archived cards were skipped",
        "1 list with no open cards was left out",
    ] {
        assert!(
            imported.notes.iter().any(|n| n == note),
            "{note} missing from {:#?}",
            imported.notes
        );
    }
}

#[test]
fn a_trello_card_keeps_its_description_checklists_completion_due_date_and_labels() {
    let imported = import(TRELLO, None);
    let c = &imported.curriculum;
    let cs50 = item(c, "cs50-s-introduction-to-computer-science");
    assert_eq!(
        cs50.notes,
        "Harvard's intro course. Budget ~80 hrs.\n\nhttps://cs50.harvard.edu/x/\n\n\
         **Problem sets**\n- [x] Week 1: C\n- [ ] Week 2: Arrays"
    );
    // Its due date is marked complete: it starts done.
    assert!(
        imported
            .progress
            .contains(&(cs50.id.clone(), ItemStatus::Done))
    );
    assert_eq!(cs50.due, Some(date(2026, 2, 15)));
    assert_eq!(cs50.skills, ["programming", "c"]);
    assert_eq!(cs50.url.as_deref(), Some("https://cs50.harvard.edu/x/"));

    let shortener = item(c, "build-a-url-shortener-project");
    // 23:30 UTC is the next day in Europe; the date is taken in UTC.
    assert_eq!(shortener.due, Some(date(2026, 4, 30)));
    assert!(
        shortener
            .notes
            .ends_with("**Milestones**\n- [ ] Write the HTTP handlers\n- [x] Design the schema")
    );
    assert_eq!(shortener.skills, ["web-apis"]);
    assert_eq!(shortener.kind, ItemKind::Project);
    assert_eq!(
        item(c, "ship-a-side-project-to-production").skills,
        ["programming"]
    );
}

#[test]
fn stated_trello_estimates_are_used_and_the_others_are_flagged_as_missing() {
    let imported = import(TRELLO, None);
    let c = &imported.curriculum;
    let git = item(c, "learn-git-branching");
    assert_eq!(
        (git.effort, git.estimate_source),
        (hours(10), EstimateSource::Stated)
    );
    assert_eq!(
        git.url.as_deref(),
        Some("https://learngitbranching.js.org/")
    );
    assert_eq!(
        item(c, "cs50-s-introduction-to-computer-science").effort,
        hours(80)
    );
    let book = item(c, "designing-data-intensive-applications-book");
    assert_eq!((book.effort, book.kind), (hours(30), ItemKind::Book));
    let shell = item(c, "read-the-missing-semester");
    assert_eq!(
        (shell.effort, shell.estimate_source),
        (
            Effort::Hours(shell.kind.placeholder()),
            EstimateSource::Missing
        )
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.starts_with("5 items have no estimate in the source")),
        "{:?}",
        imported.notes
    );
}

#[test]
fn trello_cards_with_the_same_name_get_distinct_ids() {
    let c = import(TRELLO, None).curriculum;
    let capstone: Vec<&str> = c.phases[2].items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        capstone,
        [
            "ship-a-side-project-to-production",
            "retrospective",
            "retrospective-2"
        ]
    );
}

#[test]
fn a_truncated_trello_export_is_refused_as_truncated() {
    for format in [None, Some(SourceFormat::Trello)] {
        let err = refused(TRELLO_TRUNCATED, format);
        assert!(
            matches!(err, ImportError::Truncated { line: 26, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("this looks like truncated JSON: it ends at line 26"),
            "{err}"
        );
    }
}

#[test]
fn a_trello_export_whose_lists_are_text_is_refused_as_invalid() {
    let err = refused(TRELLO_WRONG_SHAPE, None);
    let ImportError::Invalid { format, reason } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*format, SourceFormat::Trello);
    assert!(reason.contains("expected a sequence"), "{reason}");
    assert!(
        err.to_string()
            .contains("the Trello board export does not have the expected shape")
    );
}

#[test]
fn a_roadmap_given_as_trello_is_refused_naming_the_expected_format() {
    let err = refused(ROADMAP, Some(SourceFormat::Trello));
    assert_eq!(
        err,
        ImportError::WrongFormat {
            expected: SourceFormat::Trello,
            detected: Some(SourceFormat::Roadmapsh)
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("expected a JSON object with `lists` and `cards`"),
        "{message}"
    );
    assert!(message.contains("pass --from roadmapsh"), "{message}");
}

#[test]
fn a_json_array_is_refused_as_not_a_trello_board_or_roadmap() {
    let array = br#"[{"name": "a card"}]"#;
    for format in [SourceFormat::Trello, SourceFormat::Roadmapsh] {
        let err = refused(array, Some(format));
        assert_eq!(
            err,
            ImportError::WrongFormat {
                expected: format,
                detected: None
            }
        );
    }
    assert_eq!(refused(array, None), ImportError::Unrecognised);
}

#[test]
fn a_markdown_file_given_as_trello_is_refused_naming_what_it_is() {
    let err = refused(CHECKLIST, Some(SourceFormat::Trello));
    assert_eq!(
        err,
        ImportError::WrongFormat {
            expected: SourceFormat::Trello,
            detected: Some(SourceFormat::Markdown)
        }
    );
}

/// A board shaped like a real export: most of the bytes are actions and unknown fields.
fn large_trello_export(target_bytes: usize) -> Vec<u8> {
    let lists: Vec<_> = (0..20)
        .map(|l| json!({"id": format!("l{l}"), "name": format!("List {l}"), "closed": l == 3, "pos": l * 1024, "idBoard": "b", "subscribed": false}))
        .collect();
    let mut cards = Vec::new();
    let mut actions = Vec::new();
    let mut n = 0;
    let mut size = 0;
    while size < target_bytes {
        let desc = format!(
            "Card {n} description. {}",
            "Some words about what to learn here. ".repeat(8)
        );
        let card = json!({
            "id": format!("c{n}"), "idList": format!("l{}", n % 20), "name": format!("Card {n} (3h)"),
            "desc": desc, "closed": n % 50 == 0, "pos": n, "due": null, "dueComplete": false,
            "idChecklists": [], "labels": [{"id": "x", "name": "Rust", "color": "red"}],
            "badges": {"votes": 0, "viewingMemberVoted": false, "subscribed": false, "fogbugz": "", "checkItems": 0},
            "dateLastActivity": "2026-01-01T00:00:00.000Z", "idMembers": [], "shortUrl": "https://trello.com/c/abc",
        });
        let action = json!({"id": format!("a{n}"), "type": "updateCard", "date": "2026-01-01T00:00:00.000Z",
            "data": {"card": {"id": format!("c{n}"), "name": format!("Card {n}"), "desc": desc}, "old": {"pos": n}}});
        size += card.to_string().len() + action.to_string().len() + 2;
        cards.push(card);
        actions.push(action);
        n += 1;
    }
    serde_json::to_vec(
        &json!({"name": "Big board", "lists": lists, "cards": cards, "actions": actions}),
    )
    .unwrap()
}

#[test]
fn a_five_megabyte_trello_export_imports_every_open_card() {
    let bytes = large_trello_export(5 * 1024 * 1024);
    assert!(bytes.len() > 5 * 1024 * 1024);
    let imported = import(&bytes, None);
    let items = imported.curriculum.items().count();
    assert!(items > 1000, "{items}");
    assert!(imported.curriculum.items().all(|i| i.effort == hours(3)));
    assert_eq!(imported.curriculum.phases.len(), 19);
}

// --- Markdown --------------------------------------------------------------------------------

#[test]
fn markdown_headings_with_items_become_phases_and_the_first_h1_names_the_curriculum() {
    let imported = import(OSSU, None);
    let c = &imported.curriculum;
    assert_eq!(imported.format, SourceFormat::Markdown);
    assert_eq!(c.title, "Open Path to Computer Science");
    // "Contents" links to #anchors and "Community" has no items, so neither is a phase.
    assert_eq!(
        phase_titles(c),
        ["Intro CS", "Core programming", "Extra practice"]
    );
    assert_eq!(
        item_titles(c, 1),
        [
            "How to Code: Simple Data",
            "How to Code: Complex Data",
            "Software Construction in Java",
            "Programming Languages, Part A",
            "Object-Oriented Design",
            "Design patterns in practice"
        ]
    );
    assert!(
        imported
            .notes
            .contains(&"1 table row without a link in the first column was skipped".to_owned())
    );
}

#[test]
fn table_hours_are_duration_in_weeks_times_effort_per_week() {
    let c = import(OSSU, None).curriculum;
    let py4e = item(&c, "python-for-everybody");
    assert_eq!(
        (py4e.effort, py4e.estimate_source),
        (hours(100), EstimateSource::Stated)
    );
    assert_eq!(
        py4e.kind,
        ItemKind::Course,
        "rows of a Courses table are courses"
    );
    assert_eq!(py4e.url.as_deref(), Some("https://www.py4e.com/"));
    assert_eq!(item(&c, "how-to-code-simple-data").effort, range(16, 30));
    assert_eq!(item(&c, "how-to-code-complex-data").effort, range(48, 80));
    assert_eq!(item(&c, "software-construction-in-java").effort, hours(23));
    assert_eq!(
        item(&c, "programming-languages-part-a").effort,
        range(20, 40)
    );
    let ood = item(&c, "object-oriented-design");
    assert_eq!(ood.estimate_source, EstimateSource::Missing);
}

#[test]
fn table_prerequisites_name_earlier_courses_and_the_rest_goes_to_notes() {
    let c = import(OSSU, None).curriculum;
    assert_eq!(item(&c, "python-for-everybody").requires, []);
    assert_eq!(
        item(&c, "python-for-everybody").notes,
        "",
        "\"none\" is not noted"
    );
    let mit = item(
        &c,
        "introduction-to-computer-science-and-programming-using-python",
    );
    assert_eq!(mit.notes, "Prerequisites: high school algebra");
    assert_eq!(
        item(&c, "how-to-code-simple-data").requires,
        ids(&["python-for-everybody"])
    );
    // Only whole titles match: "How to Code" names neither "How to Code: …" course, and a
    // shortened title names nothing; what matches nothing is kept as text.
    let java = item(&c, "software-construction-in-java");
    assert_eq!(java.requires, []);
    assert_eq!(
        java.notes,
        "Prerequisites: How to Code, Introduction to Computer Science and Programming, discrete math"
    );
    // Case, punctuation and hyphens aside: "Object Oriented Design" is "Object-Oriented
    // Design"; a bare "programming" is not "Programming Languages, Part A".
    let patterns = item(&c, "design-patterns-in-practice");
    assert_eq!(patterns.requires, ids(&["object-oriented-design"]));
    assert_eq!(patterns.notes, "Prerequisites: programming");
    assert_eq!(
        item(&c, "programming-languages-part-a").requires,
        ids(&["how-to-code-complex-data", "software-construction-in-java"])
    );
}

#[test]
fn markdown_checklist_lines_keep_their_trailing_estimates() {
    let imported = import(OSSU, None);
    let c = &imported.curriculum;
    assert_eq!(
        item_titles(c, 2),
        [
            "Exercism Python track",
            "Advent of Code 2023",
            "Write a small interpreter"
        ]
    );
    assert_eq!(item(c, "exercism-python-track").effort, hours(20));
    let aoc = item(c, "advent-of-code-2023");
    assert_eq!(aoc.effort, hours(30));
    assert_eq!(aoc.notes, "");
    assert_eq!(imported.progress, [(aoc.id.clone(), ItemStatus::Done)]);
    let interpreter = item(c, "write-a-small-interpreter");
    assert_eq!(
        (interpreter.effort, interpreter.estimate_source),
        (
            Effort::Hours(interpreter.kind.placeholder()),
            EstimateSource::Missing
        )
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.starts_with("1 item done in the source"))
    );
}

#[test]
fn checklists_and_linked_list_items_become_items_and_other_lines_do_not() {
    let imported = import(CHECKLIST, None);
    let c = &imported.curriculum;
    // Items before any heading go to a phase named after the fallback title.
    assert_eq!(c.title, "Hackathon prep");
    assert_eq!(phase_titles(c), ["Hackathon prep", "Web"]);
    assert_eq!(
        item_titles(c, 0),
        [
            "The Rust Book, chapters 1-8",
            "Rustlings exercises",
            "Crust of Rust: Lifetimes"
        ]
    );
    assert_eq!(
        item_titles(c, 1),
        [
            "Zero To Production blog series",
            "Build the newsletter API",
            "Deploy it",
            "Axum examples on GitHub"
        ]
    );
    assert_eq!(item(c, "the-rust-book-chapters-1-8").effort, hours(12));
    assert_eq!(item(c, "rustlings-exercises").effort, hours(6));
    assert_eq!(item(c, "build-the-newsletter-api").effort, range(8, 10));
    assert_eq!(item(c, "zero-to-production-blog-series").effort, hours(20));
    let kinds: Vec<ItemKind> = c.items().map(|i| i.kind).collect();
    use ItemKind::*;
    assert_eq!(
        kinds,
        [Book, Practice, Video, Article, Project, Other, Project]
    );
}

#[test]
fn a_table_with_an_hours_column_uses_it_and_its_first_column_names_the_kind() {
    let source = "## Reading\n\n| Books | Hours | Notes |\n|---|---|---|\n\
                  | [Structure and Interpretation](https://example.org/sicp) | 60-80 | slow going |\n\
                  | [The Little Schemer](https://example.org/schemer) | | |\n";
    let c = import(source.as_bytes(), None).curriculum;
    let sicp = item(&c, "structure-and-interpretation");
    assert_eq!((sicp.effort, sicp.kind), (range(60, 80), ItemKind::Book));
    assert_eq!(sicp.notes, "", "other columns are ignored");
    // No figure: flagged, and planned at a typical size for a book.
    let schemer = item(&c, "the-little-schemer");
    assert_eq!(
        (schemer.effort, schemer.estimate_source),
        (
            Effort::Hours(ItemKind::Book.placeholder()),
            EstimateSource::Missing
        )
    );
}

#[test]
fn markdown_with_nothing_to_learn_is_refused_as_empty() {
    let err = refused(b"# Notes\n\nJust some prose, and a [link](#top).\n", None);
    assert_eq!(
        err,
        ImportError::Empty {
            format: SourceFormat::Markdown
        }
    );
    assert!(err.to_string().contains("`- [ ] [Title](https://…)`"));
}

#[test]
fn a_curriculum_file_given_as_markdown_is_refused_naming_what_it_is() {
    let toml = write_toml(&import(TRELLO, None).curriculum);
    let err = refused(toml.as_bytes(), Some(SourceFormat::Markdown));
    assert_eq!(
        err,
        ImportError::WrongFormat {
            expected: SourceFormat::Markdown,
            detected: Some(SourceFormat::Toml)
        }
    );
}

// --- roadmap.sh ------------------------------------------------------------------------------

#[test]
fn roadmap_topics_start_phases_holding_the_subtopics_linked_to_them() {
    let imported = import(ROADMAP, None);
    let c = &imported.curriculum;
    assert_eq!(imported.format, SourceFormat::Roadmapsh);
    assert_eq!(c.title, "Data Engineer");
    assert_eq!(
        phase_titles(c),
        ["Python", "SQL", "Data Warehouses", "Orchestration"]
    );
    assert_eq!(item_titles(c, 0), ["Python", "Pandas"]);
    // "Indexes" sits level with Data Warehouses but hangs from SQL by an edge.
    assert_eq!(
        item_titles(c, 1),
        ["SQL", "Joins", "Window functions", "Indexes"]
    );
    assert_eq!(item_titles(c, 2), ["Data Warehouses", "Star schema"]);
    // "dbt" has no edge: it joins the topic nearest to it vertically.
    assert_eq!(
        item_titles(c, 3),
        [
            "Orchestration",
            "Airflow",
            "dbt",
            "Build a small ELT pipeline"
        ]
    );
}

#[test]
fn roadmap_edges_never_become_prerequisites() {
    let imported = import(ROADMAP, None);
    assert!(imported.curriculum.items().all(|i| i.requires.is_empty()));
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.starts_with("roadmap.sh edges are drawing connectors"))
    );
}

#[test]
fn roadmap_layout_nodes_are_dropped_and_counted() {
    let imported = import(ROADMAP, None);
    let titles: Vec<&str> = imported
        .curriculum
        .items()
        .map(|i| i.title.as_str())
        .collect();
    for layout in [
        "Data Engineer",
        "Visit the SQL roadmap",
        "Pick one",
        "Related",
        "vertical node",
    ] {
        assert!(!titles.contains(&layout), "{layout}");
    }
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.starts_with("9 layout nodes")),
        "{:#?}",
        imported.notes
    );
}

#[test]
fn roadmap_topics_and_subtopics_are_flagged_for_an_estimate() {
    let c = import(ROADMAP, None).curriculum;
    // roadmap.sh gives no hours: every item is flagged, at a typical size for its kind.
    assert!(c.items().all(|i| {
        i.estimate_source == EstimateSource::Missing
            && i.effort == Effort::Hours(i.kind.placeholder())
    }));
    assert_eq!(
        item(&c, "build-a-small-elt-pipeline").kind,
        ItemKind::Project
    );
}

#[test]
fn a_roadmap_without_topics_is_one_phase_in_reading_order() {
    let roadmap = json!({"nodes": [
        {"id": "b", "type": "subtopic", "position": {"x": 0, "y": 50}, "data": {"label": "Second"}},
        {"id": "a", "type": "todo", "position": {"x": 0, "y": 10}, "data": {"label": "First"}},
        {"id": "c", "type": "subtopic", "data": {"label": "No position"}},
    ]});
    let c = import(roadmap.to_string().as_bytes(), None).curriculum;
    assert_eq!(phase_titles(&c), ["Hackathon prep"]);
    assert_eq!(item_titles(&c, 0), ["First", "Second", "No position"]);
}

#[test]
fn a_roadmap_with_only_layout_is_refused_as_empty() {
    let roadmap =
        json!({"nodes": [{"id": "t", "type": "title", "data": {"label": "Nothing"}}], "edges": []});
    let err = refused(roadmap.to_string().as_bytes(), None);
    assert_eq!(
        err,
        ImportError::Empty {
            format: SourceFormat::Roadmapsh
        }
    );
}

// --- Curriculum TOML -------------------------------------------------------------------------

#[test]
fn a_curriculum_file_imports_as_itself() {
    let original = import(OSSU, None).curriculum;
    let imported = import(write_toml(&original).as_bytes(), None);
    assert_eq!(imported.format, SourceFormat::Toml);
    assert_eq!(imported.curriculum, original);
}

#[test]
fn a_curriculum_file_with_mistakes_is_refused_with_its_diagnostics() {
    let source = "title = \"Broken\"\n\n[[phases]]\ntitle = \"One\"\n\n[[phases.items]]\nid = \"a\"\nkind = \"lecture\"\ntitle = \"A\"\nhours = 2\n";
    let err = refused(source.as_bytes(), None);
    let ImportError::CurriculumProblems(problems) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("line 8, column 8: `lecture` is not a kind"),
        "{}",
        problems[0]
    );
    assert!(
        err.to_string()
            .starts_with("the curriculum has 1 problem, so nothing was imported")
    );
}

// --- Detection and formats -------------------------------------------------------------------

#[test]
fn each_sample_is_detected_as_its_format() {
    let toml = write_toml(&import(ROADMAP, None).curriculum);
    assert_eq!(
        detect(std::str::from_utf8(TRELLO).unwrap()),
        Some(SourceFormat::Trello)
    );
    assert_eq!(
        detect(std::str::from_utf8(TRELLO_WRONG_SHAPE).unwrap()),
        Some(SourceFormat::Trello)
    );
    assert_eq!(
        detect(std::str::from_utf8(ROADMAP).unwrap()),
        Some(SourceFormat::Roadmapsh)
    );
    assert_eq!(
        detect(std::str::from_utf8(OSSU).unwrap()),
        Some(SourceFormat::Markdown)
    );
    assert_eq!(
        detect(std::str::from_utf8(CHECKLIST).unwrap()),
        Some(SourceFormat::Markdown)
    );
    assert_eq!(detect(&toml), Some(SourceFormat::Toml));
    assert_eq!(
        detect("| a | b |\n|---|---|\n| 1 | 2 |\n"),
        Some(SourceFormat::Markdown)
    );
    assert_eq!(
        detect("[![build](https://ci.example/badge.svg)](https://ci.example)\n\n- [ ] x\n"),
        Some(SourceFormat::Markdown)
    );
    // GitLab's table of contents starts like a JSON array, but is not one.
    assert_eq!(
        detect("[[_TOC_]]\n\n# Plan\n\n- [ ] Read\n"),
        Some(SourceFormat::Markdown)
    );
}

#[test]
fn unrecognisable_input_is_not_detected() {
    for source in [
        std::str::from_utf8(PROSE).unwrap(),
        "",
        "[1, 2, 3]",
        r#"{"cards": []}"#,
        r#"{"nodes": "not an array"}"#,
        "#hashtag without a space",
        "title = \"no phases\"\n",
    ] {
        assert_eq!(detect(source), None, "{source}");
    }
    let err = refused(PROSE, None);
    assert_eq!(err, ImportError::Unrecognised);
    assert!(err.to_string().starts_with("could not tell the format"));
}

#[test]
fn format_names_parse_and_print_the_same() {
    for format in SourceFormat::ALL {
        assert_eq!(format.as_str().parse::<SourceFormat>(), Ok(format));
    }
    assert_eq!(
        "Roadmap.sh".parse::<SourceFormat>(),
        Ok(SourceFormat::Roadmapsh)
    );
    let err = "notion".parse::<SourceFormat>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "`notion` is not an import format: use toml, trello, markdown or roadmapsh"
    );
}

// --- Hostile input ---------------------------------------------------------------------------

#[test]
fn an_input_over_32_mb_is_refused_before_it_is_parsed() {
    // Not UTF-8 either: the size is checked first, so the size is what is reported.
    let bytes = vec![0xFF_u8; 33 * 1024 * 1024];
    let err = refused(&bytes, None);
    assert_eq!(
        err,
        ImportError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_IMPORT_BYTES
        }
    );
    assert_eq!(
        err.to_string(),
        "the file is 33 MB, more than the 32 MB limit for imports: export a smaller part, or split the file"
    );
    let just_over = refused(
        &vec![b' '; MAX_IMPORT_BYTES + 1],
        Some(SourceFormat::Trello),
    );
    assert!(
        just_over.to_string().starts_with("the file is 32.1 MB"),
        "{just_over}"
    );
}

#[test]
fn bytes_that_are_not_utf8_are_refused() {
    let err = refused(&[b'#', b' ', 0xC3, 0x28, b'\n'], None);
    assert_eq!(err, ImportError::NotUtf8);
}

#[test]
fn deeply_nested_json_is_refused_as_too_deep() {
    assert_eq!(refused(ROADMAP_DEEP, None), ImportError::TooDeep);
    assert_eq!(
        refused(ROADMAP_DEEP, Some(SourceFormat::Roadmapsh)),
        ImportError::TooDeep
    );
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(refused(deep.as_bytes(), None), ImportError::TooDeep);
    let in_cards = format!(
        r#"{{"lists": [], "cards": [{{"x": {}{}}}]}}"#,
        "{\"a\":".repeat(500),
        "}".repeat(500)
    );
    assert_eq!(
        refused(in_cards.as_bytes(), Some(SourceFormat::Trello)),
        ImportError::TooDeep
    );
    let unclosed = "{\"a\":".repeat(1_000_000);
    assert_eq!(refused(unclosed.as_bytes(), None), ImportError::TooDeep);
}

#[test]
fn deeply_nested_markdown_imports_its_item_or_says_why_not() {
    // Quotes and lists nested 50,000 deep still give the one checklist item at the bottom.
    for nested in ["> ".repeat(50_000), "- ".repeat(50_000)] {
        let source = format!("{nested}- [ ] [Deep](https://example.org)\n");
        let imported = import_bytes(source.as_bytes(), Some(SourceFormat::Markdown), "Deep")
            .unwrap_or_else(|e| panic!("{e}"));
        let items: Vec<(&str, &str)> = imported
            .curriculum
            .items()
            .map(|i| (i.id.as_str(), i.title.as_str()))
            .collect();
        assert_eq!(items, [("deep", "Deep")]);
    }
    // 100,000 open brackets leave no link to read: a clear refusal, not a crash.
    let source = format!("{}- [ ] [Deep](https://example.org)\n", "[".repeat(100_000));
    let refused = import_bytes(source.as_bytes(), Some(SourceFormat::Markdown), "Deep")
        .err()
        .map(|e| e.to_string());
    assert!(
        refused
            .as_deref()
            .is_some_and(|e| e.contains("found nothing to import in the Markdown")),
        "{refused:?}"
    );
}

#[test]
fn long_titles_still_get_unique_valid_ids() {
    let long = "a".repeat(200);
    let source = format!("- [ ] {long}\n- [ ] {long}\n- [ ] {long}!\n");
    let c = import(source.as_bytes(), None).curriculum;
    let ids: Vec<&str> = c.items().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            &long[..64],
            &format!("{}-2", &long[..62]),
            &format!("{}-3", &long[..62])
        ]
    );
}

#[test]
fn trello_status_lists_due_complete_and_checklists_come_across_as_progress() {
    let imported = import(TRELLO_STATUS, None);
    let c = &imported.curriculum;
    // The status lists are one phase named after the board; the topical list is its own.
    let phases: Vec<&str> = c.phases.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(phases, ["My ML degree", "Math foundations"]);
    // Done first, then in progress, then to do.
    let first: Vec<&str> = c.phases[0].items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        first,
        [
            "python-crash-course-book",
            "git-basics",
            "fast-ai-practical-deep-learning",
            "deep-learning-specialization-coursera-5-months-at-6-hours-week",
            "kaggle-titanic"
        ]
    );
    let status = |id: &str| {
        imported
            .progress
            .iter()
            .find(|(i, _)| i.as_str() == id)
            .map(|(_, s)| *s)
    };
    assert_eq!(status("python-crash-course-book"), Some(ItemStatus::Done));
    assert_eq!(status("git-basics"), Some(ItemStatus::Done));
    assert_eq!(
        status("fast-ai-practical-deep-learning"),
        Some(ItemStatus::Doing)
    );
    // `dueComplete` is done, wherever the card is.
    assert_eq!(status("kaggle-titanic"), Some(ItemStatus::Done));
    // Every box ticked is done; some ticked is in progress; none is to do.
    assert_eq!(status("calculus-review"), Some(ItemStatus::Done));
    assert_eq!(status("probability-refresher"), Some(ItemStatus::Doing));
    assert_eq!(status("linear-algebra-3blue1brown"), None);
    assert_eq!(
        status("deep-learning-specialization-coursera-5-months-at-6-hours-week"),
        None
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n == "4 items done and 2 items in progress in the source: your board starts that way when you follow this curriculum"),
        "{:?}",
        imported.notes
    );
    // 5 months at 6 h a week; the video link is not an estimate.
    assert_eq!(
        item(
            c,
            "deep-learning-specialization-coursera-5-months-at-6-hours-week"
        )
        .effort,
        hours(130)
    );
    assert_eq!(
        item(c, "linear-algebra-3blue1brown").estimate_source,
        EstimateSource::Missing
    );
    // Labels in any script are kept as skills.
    assert_eq!(
        item(
            c,
            "deep-learning-specialization-coursera-5-months-at-6-hours-week"
        )
        .skills,
        ["深層学習"]
    );
    assert_eq!(
        item(c, "fast-ai-practical-deep-learning").skills,
        ["deep-learning"]
    );
}

#[test]
fn roadmap_subtopics_follow_edges_section_boxes_and_columns_and_keep_their_links() {
    let c = import(ROADMAP_STRUCTURE, None).curriculum;
    let phase = |title: &str| -> Vec<&str> {
        c.phases
            .iter()
            .find(|p| p.title == title)
            .unwrap_or_else(|| panic!("no phase {title}"))
            .items
            .iter()
            .map(|i| i.title.as_str())
            .collect()
    };
    // A column of six beside "Python" reaches below "SQL": the column stays together.
    assert_eq!(
        phase("Python"),
        [
            "Python",
            "Syntax",
            "Functions",
            "Classes",
            "Modules",
            "Packaging",
            "Testing"
        ]
    );
    // "Window functions" is nearer "Pipelines" on the canvas, but its edges lead to "SQL".
    assert_eq!(phase("SQL"), ["SQL", "Joins", "Window functions"]);
    // "Data quality" is nearer "Warehouses", but drawn in the box of "Pipelines".
    assert_eq!(phase("Pipelines"), ["Pipelines", "Data quality", "Airflow"]);
    assert_eq!(phase("Warehouses"), ["Warehouses", "Columnar storage"]);
    // Resource links: the first is the item's address, all are in its notes.
    assert_eq!(
        item(&c, "python").url.as_deref(),
        Some("https://docs.python.org/3/tutorial/")
    );
    let joins = item(&c, "joins");
    assert_eq!(joins.url.as_deref(), Some("https://example.org/joins"));
    assert_eq!(
        joins.notes,
        "- [SQL joins explained](https://example.org/joins)\n- [Practice](https://example.org/practice)"
    );
}

#[test]
fn hours_come_from_spans_and_decimal_commas_never_from_links_or_course_codes() {
    let imported = import(HOURS, None);
    let c = &imported.curriculum;
    let by_title = |t: &str| {
        c.items()
            .find(|i| i.title.starts_with(t))
            .unwrap_or_else(|| panic!("no item {t}"))
    };
    let lecture = by_title("Stanford lecture");
    assert_eq!(lecture.estimate_source, EstimateSource::Missing);
    let code = by_title("CSE 490H");
    assert_eq!(code.title, "CSE 490H: Distributed systems");
    assert_eq!(code.estimate_source, EstimateSource::Missing);
    // 6 months of 52 / 12 weeks at 5 h a week.
    assert_eq!(by_title("Deep learning specialization").effort, hours(130));
    assert_eq!(
        by_title("Linear algebra refresher").effort,
        Effort::Hours(Minutes::new(90))
    );
    assert_eq!(by_title("Statistics course").effort, hours(52));
    assert_eq!(by_title("Intro video").effort, hours(2));
    assert_eq!(by_title("Python basics").effort, hours(10));
}

#[test]
fn a_title_too_long_for_a_curriculum_is_shortened_and_kept_whole_in_the_notes() {
    let words = "word ".repeat(60);
    let source = format!("- [ ] {words}\n- [ ] {}\n", "x".repeat(300));
    let imported = import_bytes(source.as_bytes(), Some(SourceFormat::Markdown), "Mine").unwrap();
    let items: Vec<_> = imported.curriculum.items().collect();
    // At a word boundary when one is near, else mid-word; always within 200 characters.
    assert_eq!(
        items[0].title,
        format!("{}…", "word ".repeat(39).trim_end())
    );
    assert_eq!(items[1].title, format!("{}…", "x".repeat(199)));
    assert!(items.iter().all(|i| i.title.chars().count() <= 200));
    assert!(
        items[0].notes.starts_with(words.trim_end()),
        "{}",
        items[0].notes
    );
    assert!(items[1].notes.starts_with(&"x".repeat(300)));
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.starts_with("2 titles were longer than 200 characters, shortened")),
        "{:?}",
        imported.notes
    );
    // The result is a curriculum the checks accept.
    let written = autodidact_core::curriculum::write_toml(&imported.curriculum);
    assert!(
        autodidact_core::curriculum::check_toml(&written)
            .curriculum
            .is_some()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_imported_soundly_or_refused(text in "(\\PC|\n|#|- \\[[ x]\\] |\\||\\[|\\]|\\(https://a.b/\\)|[0-9]+ ?h|,| and )*", format in prop::option::of(prop::sample::select(SourceFormat::ALL.to_vec()))) {
        if let Ok(imported) = import_bytes(text.as_bytes(), format, "Fallback") {
            assert_sound(&imported.curriculum);
        }
    }

    #[test]
    fn generated_trello_boards_are_imported_soundly(
        cards in prop::collection::vec(("\\PC{0,30}", "\\PC{0,60}", any::<bool>(), 0u8..4, prop::option::of("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z")), 0..12),
    ) {
        let cards: Vec<_> = cards.iter().enumerate().map(|(n, (name, desc, closed, list, due))| json!({
            "id": n.to_string(), "idList": format!("l{list}"), "name": name, "desc": desc,
            "closed": closed, "pos": (n * 7919) % 13, "due": due, "labels": [{"name": name}],
        })).collect();
        let board = json!({"name": "", "lists": [
            {"id": "l0", "name": "", "pos": 2}, {"id": "l1", "name": "B", "pos": 1},
            {"id": "l2", "name": "C", "closed": true, "pos": 3},
        ], "cards": cards});
        match import_bytes(board.to_string().as_bytes(), None, "Fallback") {
            Ok(imported) => assert_sound(&imported.curriculum),
            Err(err) => prop_assert_eq!(err, ImportError::Empty { format: SourceFormat::Trello }),
        }
    }
}
